/* force.c - the force evaluation sequence: refresh ghosts/lists, pair pass, kspace.
 *
 * Energies are global (reduced inside pair_compute and the kspace style); forces are on
 * owned atoms. The virial is the sum over pairs of r_ij (x) f_ij plus the kspace virial
 * (kcal/mol), used for the pressure. */
#include "force.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "halo.h"
#include "neigh.h"
#include "pair.h"
#include "sim.h"
#include <stdio.h>
#include <string.h>

void force_charge_sums(Sim *sim)
{
    double s[2] = {0.0, 0.0};
    for (int i = 0; i < sim->atoms.nlocal; i++) {
        s[0] += sim->atoms.q[i];
        s[1] += sim->atoms.q[i] * sim->atoms.q[i];
    }
    comm_sum_double(sim->comm, s, 2);
    sim->qsum = s[0];
    sim->qsqsum = s[1];
}

static void rebuild(Sim *sim)
{
    timer_start(&sim->timers, TIMER_COMM);
    domain_migrate(sim);
    halo_build(sim, sim->pair.cutoff + sim->pair.skin);
    timer_stop(&sim->timers, TIMER_COMM);
    timer_start(&sim->timers, TIMER_NEIGH);
    neigh_build(sim);
    timer_stop(&sim->timers, TIMER_NEIGH);
}

static KspaceSystem kspace_system(Sim *sim)
{
    KspaceSystem ks;
    ks.comm = sim->comm;
    for (int d = 0; d < 3; d++) { ks.lo[d] = sim->lo[d]; ks.len[d] = sim->len[d]; }
    ks.nlocal = sim->atoms.nlocal;
    ks.x = (const double (*)[3])sim->atoms.x;
    ks.q = sim->atoms.q;
    ks.f = sim->atoms.f;
    ks.natoms = sim->natoms;
    ks.qsum = sim->qsum;
    ks.qsqsum = sim->qsqsum;
    return ks;
}

void force_setup(Sim *sim)
{
    if (!sim->box_set) error_all(FLERR, "no system: read_data must come before run");
    if (sim->pair.cutoff <= 0) error_all(FLERR, "no cutoff: give 'pair_cutoff R' (A)");
    force_charge_sums(sim);
    double g_ewald = 0.0;
    if (sim->pair.coul == COUL_LONG) {
        if (!sim->kspace) {
            sim->kparams.cutoff = sim->pair.cutoff;
            sim->kspace = sim->kstyle->create(&sim->kparams);
            sim->kspace->style = sim->kstyle;
        }
        KspaceSystem ks = kspace_system(sim);
        sim->kspace_summary[0] = '\0';
        sim->kspace->style->init(sim->kspace, &ks, sim->kspace_summary, sizeof sim->kspace_summary);
        if (sim->rank == 0 && sim->kspace_summary[0]) printf("%s\n", sim->kspace_summary);
        g_ewald = sim->kspace->g_ewald;
        if (sim->qsum * sim->qsum > 1e-10)
            error_warn("system is not charge neutral: total charge %.6g e (the Ewald background correction is applied)", sim->qsum);
    }
    if (sim->pair.coul == COUL_DSF && !sim->dsf_warned) {
        error_warn("coulomb dsf truncates electrostatics at %g A: the long-range nanocrystal-nanocrystal dipolar interaction that drives alignment is removed, and polar-facet (truncated octahedral) PbSe is off by 10-18 kcal/mol/atom; use 'coulomb pppm' for production", sim->pair.cutoff);
        sim->dsf_warned = 1;
    }
    pair_init(sim, g_ewald);
    rebuild(sim);
    sim->forces_ready = 0;
}

void force_update_neighbors(Sim *sim, int check)
{
    if (check && neigh_needs_rebuild(sim)) {
        rebuild(sim);
    } else {
        timer_start(&sim->timers, TIMER_COMM);
        halo_forward(sim);
        timer_stop(&sim->timers, TIMER_COMM);
    }
}

void force_compute(Sim *sim)
{
    Atoms *a = &sim->atoms;
    memset(a->f, 0, sizeof(double) * 3 * (size_t)a->nlocal);
    memset(sim->en.virial, 0, sizeof sim->en.virial);
    timer_start(&sim->timers, TIMER_PAIR);
    pair_compute(sim);
    timer_stop(&sim->timers, TIMER_PAIR);
    sim->en.elong = 0.0;
    if (sim->pair.coul == COUL_LONG) {
        timer_start(&sim->timers, TIMER_KSPACE);
        KspaceSystem ks = kspace_system(sim);
        sim->kspace->style->compute(sim->kspace, &ks);
        sim->en.elong = sim->kspace->energy;
        for (int c = 0; c < 6; c++) sim->en.virial[c] += sim->kspace->virial[c];
        timer_stop(&sim->timers, TIMER_KSPACE);
    }
    sim->forces_ready = 1;
}

double force_pe(const Sim *sim) { return sim->en.evdwl + sim->en.ecoul + sim->en.elong; }
