/* analyze.h - `neckmd analyze`: per-frame nanocrystal measures (gap, neck, alignment, dipoles, superlattice angles) as CSV. */
#ifndef NECKMD_ANALYZE_H
#define NECKMD_ANALYZE_H
#include <stdio.h>

/* Run the analysis with the command-line arguments after "analyze" (argv[0] is the first
 * of them): TRAJ.nc DATA.data [options] -o OUT.csv. Serial, no MPI. Returns the process
 * exit status (0 success, 1 error, 2 usage). Messages go to stderr, the summary to stdout. */
int analyze_main(int argc, char **argv);
/* The option summary (neckmd analyze --help). */
void analyze_usage(FILE *fp);

#endif
