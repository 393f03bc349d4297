/* output.c - gather (id, values) records from all ranks to rank 0 and write them sorted.
 * Files are written to "NAME.tmp" and renamed, so a failure never leaves a half file in place
 * of a good one. */
#include "output.h"
#include "comm.h"
#include "error.h"
#include "force.h"
#include "sim.h"
#include "thermo.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct FRec {
    int64_t gid;
    double f[3];
} FRec;

static int cmp_frec(const void *a, const void *b)
{
    int64_t x = ((const FRec *)a)->gid, y = ((const FRec *)b)->gid;
    return (x > y) - (x < y);
}

void output_write_forces(Sim *sim, const char *path, const char *where)
{
    if (!sim->forces_ready) {
        force_setup(sim);
        force_compute(sim);
    }
    ThermoRow row = thermo_row(sim);
    int n = sim->atoms.nlocal;
    FRec *mine = malloc(sizeof(FRec) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        mine[i].gid = sim->atoms.gid[i];
        memcpy(mine[i].f, sim->atoms.f[i], sizeof mine[i].f);
    }
    size_t total = comm_sum_size(sim->comm, sizeof(FRec) * (size_t)n);
    FRec *all = NULL;
    size_t *counts = NULL;
    if (sim->rank == 0) {
        all = malloc(total + sizeof(FRec));
        counts = malloc(sizeof(size_t) * (size_t)sim->nranks);
    }
    comm_gatherv_bytes(sim->comm, mine, sizeof(FRec) * (size_t)n, all, counts, 0);
    char err[700] = "";
    if (sim->rank == 0) {
        size_t m = total / sizeof(FRec);
        qsort(all, m, sizeof(FRec), cmp_frec);
        char tmp[600];
        snprintf(tmp, sizeof tmp, "%s.tmp", path);
        FILE *fp = fopen(tmp, "w");
        if (!fp) {
            snprintf(err, sizeof err, "%s: write_forces: cannot write '%s': %s", where, tmp, strerror(errno));
        } else {
            fprintf(fp, "# neckmd forces, step %lld, %lld atoms, %d ranks x %d threads\n", (long long)sim->step, (long long)sim->natoms, sim->nranks, sim->nthreads);
            fprintf(fp, "# pe %.15g\n# evdwl %.15g\n# ecoul %.15g\n# elong %.15g\n# ebond %.15g\n# eangle %.15g\n# edihed %.15g\n# eimp %.15g\n# press %.15g\n", row.pe, row.evdwl, row.ecoul, row.elong, row.ebond, row.eangle, row.edihed, row.eimp, row.press);
            fprintf(fp, "# virial %.15g %.15g %.15g %.15g %.15g %.15g\n", sim->en.virial[0], sim->en.virial[1], sim->en.virial[2], sim->en.virial[3], sim->en.virial[4], sim->en.virial[5]);
            fprintf(fp, "# id fx fy fz (kcal/mol/A)\n");
            for (size_t k = 0; k < m; k++)
                fprintf(fp, "%lld %.15g %.15g %.15g\n", (long long)all[k].gid, all[k].f[0], all[k].f[1], all[k].f[2]);
            if (fclose(fp) != 0 || rename(tmp, path) != 0)
                snprintf(err, sizeof err, "%s: write_forces: cannot finish '%s': %s", where, path, strerror(errno));
        }
    }
    free(mine);
    free(all);
    free(counts);
    comm_bcast(sim->comm, err, sizeof err, 0);
    if (err[0]) error_all(FLERR, "%s", err);
}
