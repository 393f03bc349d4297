/* main.c - neckmd: prolog (MPI, defaults), the input deck, epilog.
 *
 *   neckmd run INPUT      run an input deck (under mpirun -np N; OMP_NUM_THREADS threads)
 *   neckmd --help         commands and their arguments
 *   neckmd --version      version and build */
#include "comm.h"
#include "config.h"
#include "error.h"
#include "halo.h"
#include "input.h"
#include "neigh.h"
#include "sim.h"
#include "atoms.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static void usage(FILE *fp)
{
    fprintf(fp, "usage: neckmd run INPUT | neckmd --help | neckmd --version\n"
                "  run INPUT   execute the input deck INPUT (mpirun -np N neckmd run INPUT for N ranks;\n"
                "              OMP_NUM_THREADS sets threads per rank)\n");
}

static void sim_defaults(Sim *sim)
{
    sim->pair.skin = 2.0;
    sim->pair.coul = COUL_OFF;
    sim->neigh.every = 1;
    sim->integ.style = INT_NVE;
    sim->integ.dt = 1.0;
    sim->thermo_every = 0;
    sim->kparams.order = 5;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
        printf("neckmd %s (git %s)\n  compiler: %s\n  flags: %s\n", PACKAGE_VERSION, NECKMD_GIT, NECKMD_CC, NECKMD_CFLAGS);
        return 0;
    }
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        printf("\n");
        input_print_help(stdout);
        return 0;
    }
    if (argc != 3 || strcmp(argv[1], "run") != 0) {
        usage(stderr);
        return 2;
    }
    Sim *sim = calloc(1, sizeof *sim);
    sim->comm = comm_create(&argc, &argv);
    error_set_comm(sim->comm);
    sim->rank = comm_rank(sim->comm);
    sim->nranks = comm_size(sim->comm);
    sim->nthreads = 1;
#ifdef _OPENMP
    sim->nthreads = omp_get_max_threads();
#endif
    sim_defaults(sim);
    if (sim->rank == 0) printf("neckmd %s: %d MPI ranks x %d OpenMP threads\n", PACKAGE_VERSION, sim->nranks, sim->nthreads);
    input_run_file(sim, argv[2]);
    if (sim->thermo_fp) fclose(sim->thermo_fp);
    if (sim->kspace) sim->kspace->style->destroy(&sim->kspace);
    halo_free(sim);
    neigh_free(sim);
    atoms_free(&sim->atoms);
    free(sim->pair.tab);
    free(sim->input_echo);
    comm_destroy(&sim->comm);
    free(sim);
    return 0;
}
