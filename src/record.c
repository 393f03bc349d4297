/* record.c - a small JSON writer for the run record.
 *
 * Conservation summary: atom count, total charge (e), total momentum (amu A/fs), and the
 * drift of the conserved energy (etotal, plus the thermostat's energy in NVT, plus P0 V and
 * the barostat's accumulated work and heat with a barostat: thermo.c econserve) as a linear
 * least-squares slope over the thermo rows, in kcal/mol per atom per ns. */
#include "record.h"
#include "comm.h"
#include "config.h"
#include "error.h"
#include "minimize.h"
#include "pair.h"
#include "sim.h"
#include "thermo.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static void json_string(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(fp, "\\%c", c);
        else if (c == '\n') fputs("\\n", fp);
        else if (c == '\t') fputs("\\t", fp);
        else if (c < 0x20) fprintf(fp, "\\u%04x", c);
        else fputc(c, fp);
    }
    fputc('"', fp);
}

static double drift_slope(const ThermoRow *r, int n, int64_t natoms)
{
    if (n < 2) return 0.0;
    double st = 0, se = 0, stt = 0, ste = 0;
    for (int i = 0; i < n; i++) {
        double t = r[i].time_fs * 1e-6, e = r[i].econserve / (double)natoms; /* ns, kcal/mol/atom */
        st += t; se += e; stt += t * t; ste += t * e;
    }
    double den = n * stt - st * st;
    return den > 0 ? (n * ste - st * se) / den : 0.0;
}

void record_write(Sim *sim)
{
    double p[3] = {0, 0, 0};
    for (int i = 0; i < sim->atoms.nlocal; i++)
        for (int d = 0; d < 3; d++) p[d] += sim->types.mass[sim->atoms.type[i]] * sim->atoms.v[i][d];
    comm_sum_double(sim->comm, p, 3);
    char err[700] = "";
    if (sim->rank == 0) {
        const char *path = sim->record_file[0] ? sim->record_file : "neckmd.record.json";
        char tmp[600];
        snprintf(tmp, sizeof tmp, "%s.tmp", path);
        FILE *fp = fopen(tmp, "w");
        if (!fp) {
            snprintf(err, sizeof err, "cannot write the run record '%s': %s", tmp, strerror(errno));
        } else {
            const ThermoRow *r = thermo_rows(sim);
            int n = thermo_nrows(sim);
            fprintf(fp, "{\n  \"program\": \"neckmd\",\n  \"version\": \"%s\",\n", PACKAGE_VERSION);
            fprintf(fp, "  \"build\": {\"git\": \"%s\", \"cc\": ", NECKMD_GIT);
            json_string(fp, NECKMD_CC);
            fprintf(fp, ", \"cflags\": ");
            json_string(fp, NECKMD_CFLAGS);
#ifdef _OPENMP
            fprintf(fp, ", \"openmp\": %d", _OPENMP);
#else
            fprintf(fp, ", \"openmp\": 0");
#endif
            fprintf(fp, "},\n  \"input_file\": ");
            json_string(fp, sim->input_file);
            fprintf(fp, ",\n  \"input\": ");
            json_string(fp, sim->input_echo);
            fprintf(fp, ",\n  \"parallel\": {\"ranks\": %d, \"threads\": %d, \"grid\": [%d, %d, %d]},\n", sim->nranks, sim->nthreads, sim->dims[0], sim->dims[1], sim->dims[2]);
            fprintf(fp, "  \"system\": {\"natoms\": %lld, \"box_A\": [%.15g, %.15g, %.15g], \"types\": [", (long long)sim->natoms, sim->len[0], sim->len[1], sim->len[2]);
            for (int t = 0; t < sim->types.ntypes; t++) {
                fprintf(fp, "%s{\"name\": ", t ? ", " : "");
                json_string(fp, sim->types.name[t]);
                fprintf(fp, ", \"mass_amu\": %.10g}", sim->types.mass[t]);
            }
            fprintf(fp, "]},\n  \"interactions\": {\"cutoff_A\": %.10g, \"skin_A\": %.10g, \"coulomb\": \"%s\", \"erfc\": \"%s\"", sim->pair.cutoff, sim->pair.skin, pair_coul_name(sim->pair.coul), sim->pair.erfc_poly ? "poly" : "exact");
            if (sim->kspace) {
                fprintf(fp, ", \"kspace\": \"%s\", \"g_ewald_per_A\": %.10g, \"est_rel_force_accuracy\": %.6g, \"kspace_summary\": ", sim->kspace->style->name, sim->kspace->g_ewald, sim->kspace->est_rel_force);
                json_string(fp, sim->kspace_summary);
            }
            fprintf(fp, ", \"pairs\": [");
            int first = 1;
            for (int i = 0; i < sim->types.ntypes; i++)
                for (int j = i; j < sim->types.ntypes; j++) {
                    const PairCoeff *c = &sim->pair.coeff[i][j];
                    fprintf(fp, "%s\n    {\"types\": [\"%s\", \"%s\"], \"form\": \"%s\"", first ? "" : ",", sim->types.name[i], sim->types.name[j], pair_form_name(c->form));
                    if (c->form == SR_BUCK) fprintf(fp, ", \"A\": %.12g, \"rho\": %.12g, \"C\": %.12g", c->a, c->rho, c->c);
                    if (c->form == SR_LJ) fprintf(fp, ", \"epsilon\": %.12g, \"sigma\": %.12g", c->eps, c->sigma);
                    fprintf(fp, ", \"source\": ");
                    json_string(fp, c->source);
                    fprintf(fp, "}");
                    first = 0;
                }
            fprintf(fp, "]},\n");
            minimize_record_json(sim, fp); /* "minimize": {...}, if the deck minimised */
            fprintf(fp, "  \"run\": {\"index\": %d, \"steps\": %lld, \"dt_fs\": %.10g, \"loop_s\": %.6g, \"atom_steps_per_s\": %.6g, \"ns_per_day\": %.6g, \"neighbor_builds\": %d},\n",
                    sim->nruns, (long long)sim->last_run.nsteps, sim->integ.dt, sim->last_run.loop_s, sim->last_run.atom_steps_per_s, sim->last_run.ns_per_day, sim->neigh.nbuild);
            fprintf(fp, "  \"timers_s\": {");
            for (int t = 0; t < TIMER_COUNT; t++)
                fprintf(fp, "%s\"%s\": [%.6g, %.6g, %.6g]", t ? ", " : "", timer_name((TimerId)t), sim->last_run.tmin[t], sim->last_run.tavg[t], sim->last_run.tmax[t]);
            fprintf(fp, "},\n  \"thermo_columns\": [\"step\", \"time_fs\", \"temp_K\", \"pe\", \"ke\", \"etotal\", \"evdwl\", \"ecoul\", \"elong\", \"econserve\", \"press_atm\", \"vol_A3\", \"ebond\", \"eangle\", \"edihed\", \"eimp\", \"pxx_atm\", \"pyy_atm\", \"pzz_atm\", \"lx_A\", \"ly_A\", \"lz_A\", \"erestr\"],\n  \"thermo\": [");
            for (int i = 0; i < n; i++)
                fprintf(fp, "%s\n    [%lld, %.10g, %.15g, %.15g, %.15g, %.15g, %.15g, %.15g, %.15g, %.15g, %.15g, %.15g, %.15g, %.15g, %.15g, %.15g, %.15g, %.15g, %.15g, %.17g, %.17g, %.17g, %.15g]", i ? "," : "",
                        (long long)r[i].step, r[i].time_fs, r[i].temp, r[i].pe, r[i].ke, r[i].etotal, r[i].evdwl, r[i].ecoul, r[i].elong, r[i].econserve, r[i].press, r[i].vol,
                        r[i].ebond, r[i].eangle, r[i].edihed, r[i].eimp, r[i].pxx, r[i].pyy, r[i].pzz, r[i].lx, r[i].ly, r[i].lz, r[i].erestr);
            double dmax = 0;
            for (int i = 1; i < n; i++) {
                double d = (r[i].econserve - r[0].econserve) / (double)sim->natoms;
                if (d < 0) d = -d;
                if (d > dmax) dmax = d;
            }
            fprintf(fp, "\n  ],\n  \"conservation\": {\"natoms\": %lld, \"total_charge_e\": %.12g, \"momentum_amu_A_per_fs\": [%.6g, %.6g, %.6g], \"energy_drift_kcal_per_mol_atom_ns\": %.6g, \"max_abs_dE_kcal_per_mol_atom\": %.6g, \"warnings\": %d}\n}\n",
                    (long long)sim->natoms, sim->last_run.qtotal, p[0], p[1], p[2], drift_slope(r, n, sim->natoms), dmax, error_nwarn());
            if (fclose(fp) != 0 || rename(tmp, path) != 0)
                snprintf(err, sizeof err, "cannot finish the run record '%s': %s", path, strerror(errno));
        }
    }
    comm_bcast(sim->comm, err, sizeof err, 0);
    if (err[0]) error_all(FLERR, "%s", err);
}
