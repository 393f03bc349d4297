/* main.c - neckmd: prolog (MPI, defaults), the input deck, epilog.
 *
 *   neckmd run INPUT      run an input deck (under mpirun -np N; OMP_NUM_THREADS threads)
 *   neckmd analyze ...    per-frame analysis of a trajectory (serial, no MPI; src/analyze/)
 *   neckmd build ...      build a system: data file, deck, NC ids (serial, no MPI; src/build/, docs/build.md)
 *   neckmd --help         commands and their arguments
 *   neckmd --version      version and build */
#include "analyze/analyze.h"
#include "build/build.h"
#include "comm.h"
#include "config.h"
#include "error.h"
#include "input.h"
#include "sim.h"
#include "simctl.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static void usage(FILE *fp)
{
    fprintf(fp, "usage: neckmd run INPUT | neckmd analyze TRAJ.nc DATA.data [options] -o OUT.csv | neckmd build [options] -o PREFIX |\n"
                "       neckmd --help | neckmd --version\n"
                "  run INPUT   execute the input deck INPUT (mpirun -np N neckmd run INPUT for N ranks;\n"
                "              OMP_NUM_THREADS sets threads per rank)\n"
                "  analyze     gap, neck, alignment, dipoles, superlattice angles per frame (neckmd analyze --help)\n"
                "  build       oleate-capped PbSe NCs, pairs, monolayers, slabs, solvent: LAMMPS data file + deck (neckmd build --help)\n");
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
    if (argc >= 2 && strcmp(argv[1], "analyze") == 0) return analyze_main(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "build") == 0) return build_main(argc - 1, argv + 1); /* serial, no MPI */
    if (argc != 3 || strcmp(argv[1], "run") != 0) {
        usage(stderr);
        return 2;
    }
    Comm *comm = comm_create(&argc, &argv);
    error_set_comm(comm);
    Sim *sim = sim_create(comm);
    if (sim->rank == 0) printf("neckmd %s: %d MPI ranks x %d OpenMP threads\n", PACKAGE_VERSION, sim->nranks, sim->nthreads);
    input_run_file(sim, argv[2]);
    sim_destroy(&sim);
    comm_destroy(&comm);
    return 0;
}
