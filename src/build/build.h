/* build.h - `neckmd build`: the system builder (oleate-capped PbSe nanocrystals, pairs,
 * monolayers, {001} slab systems, solvent), serial; see docs/build.md. */
#ifndef NECKMD_BUILD_H
#define NECKMD_BUILD_H

/* Run the builder with the command line after "neckmd" (argv[0] = "build").
 * Returns the process exit status: 0 success, 1 error (message on stderr, no file written),
 * 2 usage error. Needs no MPI. */
int build_main(int argc, char **argv);

#endif
