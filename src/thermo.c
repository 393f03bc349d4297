/* thermo.c - temperature, pressure and energies; LAMMPS-like screen table and a CSV file.
 *
 * T = 2 KE / (dof k_B), dof = 3N - 3 (total momentum is conserved or removed).
 * P = (2 KE + W_xx + W_yy + W_zz) / (3 V) * 68568.415 atm per kcal/(mol A^3), W = sum r (x) f
 * over pairs plus the kspace virial: the same definitions as LAMMPS's compute pressure.
 * The diagonal of the pressure tensor, P_aa = (sum m v_a^2 + W_aa) / V, is reported too
 * (pxx, pyy, pzz; the barostat's per-axis driving pressures). */
#include "thermo.h"
#include "barostat.h"
#include "comm.h"
#include "constraint_shake.h"
#include "error.h"
#include "force.h"
#include "group.h"
#include "restraint.h"
#include "integrate.h"
#include "memory.h"
#include "sim.h"
#include "units.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ThermoStore {
    ThermoRow *rows;
    int n, cap;
} ThermoStore;

static ThermoStore *store(const Sim *sim) { return (ThermoStore *)sim->thermo_store; }

double thermo_ke(Sim *sim)
{
    const Atoms *a = &sim->atoms;
    double ke = 0.0;
    for (int i = 0; i < a->nlocal; i++) {
        double m = sim->types.mass[a->type[i]];
        ke += m * (a->v[i][0] * a->v[i][0] + a->v[i][1] * a->v[i][1] + a->v[i][2] * a->v[i][2]);
    }
    ke *= 0.5 * UNITS_MVV2E;
    comm_sum_double(sim->comm, &ke, 1);
    return ke;
}

double thermo_dof(const Sim *sim)
{
    double dof = 3.0 * (double)(sim->natoms - group_nfrozen(sim)) - 3.0 - (double)shake_count(sim);
    return dof > 0 ? dof : 1.0;
}

void thermo_pressure_diag(Sim *sim, double p[3])
{
    const Atoms *a = &sim->atoms;
    double k2[3] = {0.0, 0.0, 0.0}; /* 2 K_aa, amu A^2/fs^2 */
    for (int i = 0; i < a->nlocal; i++) {
        double m = sim->types.mass[a->type[i]];
        for (int d = 0; d < 3; d++) k2[d] += m * a->v[i][d] * a->v[i][d];
    }
    comm_sum_double(sim->comm, k2, 3);
    double vol = sim->len[0] * sim->len[1] * sim->len[2];
    for (int d = 0; d < 3; d++) {
        double w = sim->en.virial[d];
        if (shake_active(sim)) w += shake_virial(sim)[d];
        p[d] = (k2[d] * UNITS_MVV2E + w) / vol * UNITS_NKTV2P;
    }
}

ThermoRow thermo_row(Sim *sim)
{
    ThermoRow r;
    memset(&r, 0, sizeof r);
    r.step = sim->step;
    r.time_fs = sim->time_fs;
    r.ke = thermo_ke(sim);
    r.temp = 2.0 * r.ke / (thermo_dof(sim) * UNITS_KB);
    r.evdwl = sim->en.evdwl;
    r.ecoul = sim->en.ecoul;
    r.elong = sim->en.elong;
    r.ebond = sim->en.ebond;
    r.eangle = sim->en.eangle;
    r.edihed = sim->en.edihed;
    r.eimp = sim->en.eimp;
    r.erestr = sim->en.erestr;
    r.pe = force_pe(sim);
    r.etotal = r.pe + r.ke;
    r.econserve = r.etotal + integrate_thermostat_energy(sim) + barostat_energy(sim) - restraint_work(sim);
    r.vol = sim->len[0] * sim->len[1] * sim->len[2];
    double pd[3];
    thermo_pressure_diag(sim, pd);
    r.pxx = pd[0];
    r.pyy = pd[1];
    r.pzz = pd[2];
    r.lx = sim->len[0];
    r.ly = sim->len[1];
    r.lz = sim->len[2];
    double w = sim->en.virial[0] + sim->en.virial[1] + sim->en.virial[2];
    if (shake_active(sim)) w += shake_virial(sim)[0] + shake_virial(sim)[1] + shake_virial(sim)[2];
    r.press = (2.0 * r.ke + w) / (3.0 * r.vol) * UNITS_NKTV2P;
    return r;
}

void thermo_header(Sim *sim)
{
    if (!sim->thermo_store) sim->thermo_store = calloc(1, sizeof(ThermoStore));
    if (sim->thermo_file[0] && !sim->thermo_opened) {
        sim->thermo_opened = 1;
        /* rank 0 writes the file; every rank learns whether it could be opened */
        char err[600] = "";
        if (sim->rank == 0) {
            sim->thermo_fp = fopen(sim->thermo_file, "w");
            if (!sim->thermo_fp) snprintf(err, sizeof err, "cannot open thermo file '%s' for writing: %s", sim->thermo_file, strerror(errno));
            else fprintf(sim->thermo_fp, "step,time_fs,temp_K,pe,ke,etotal,evdwl,ecoul,elong,ebond,eangle,edihed,eimp,press_atm,vol_A3,pxx_atm,pyy_atm,pzz_atm,lx_A,ly_A,lz_A,erestr\n");
        }
        comm_bcast(sim->comm, err, sizeof err, 0);
        if (err[0]) error_all(FLERR, "%s", err);
    }
    if (sim->rank != 0) return;
    printf("%10s %12s %12s %18s %16s %18s %16s %18s %16s %14s\n", "Step", "Time(fs)", "Temp(K)",
           "PotEng", "KinEng", "TotEng", "E_vdwl", "E_coul", "E_long", "Press(atm)");
}

void thermo_print(Sim *sim, const ThermoRow *r)
{
    ThermoStore *s = store(sim);
    if (s) {
        if (s->n == s->cap) {
            s->cap = s->cap ? 2 * s->cap : 64;
            s->rows = realloc(s->rows, sizeof(ThermoRow) * (size_t)s->cap);
        }
        s->rows[s->n++] = *r;
    }
    if (sim->rank != 0) return;
    printf("%10lld %12.2f %12.4f %18.8f %16.8f %18.8f %16.8f %18.8f %16.8f %14.4f\n",
           (long long)r->step, r->time_fs, r->temp, r->pe, r->ke, r->etotal, r->evdwl, r->ecoul,
           r->elong, r->press);
    fflush(stdout);
    if (sim->thermo_fp) {
        fprintf(sim->thermo_fp, "%lld,%.6f,%.10g,%.15g,%.15g,%.15g,%.15g,%.15g,%.15g,%.15g,%.15g,%.15g,%.15g,%.10g,%.10g,%.10g,%.10g,%.10g,%.15g,%.15g,%.15g,%.15g\n",
                (long long)r->step, r->time_fs, r->temp, r->pe, r->ke, r->etotal, r->evdwl,
                r->ecoul, r->elong, r->ebond, r->eangle, r->edihed, r->eimp, r->press, r->vol,
                r->pxx, r->pyy, r->pzz, r->lx, r->ly, r->lz, r->erestr);
        fflush(sim->thermo_fp);
    }
}

int thermo_nrows(const Sim *sim) { return store(sim) ? store(sim)->n : 0; }
const ThermoRow *thermo_rows(const Sim *sim) { return store(sim) ? store(sim)->rows : NULL; }
void thermo_clear(Sim *sim)
{
    if (store(sim)) store(sim)->n = 0;
}
