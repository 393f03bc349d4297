/* output.h - per-atom output files gathered to rank 0. */
#ifndef NECKMD_OUTPUT_H
#define NECKMD_OUTPUT_H
typedef struct Sim Sim;

/* Evaluate forces if needed and write FILE: a header with the energies (kcal/mol) and
 * pressure (atm), then "id fx fy fz" (kcal/mol/A) for every atom sorted by id.
 * An existing file is replaced only once the new one is completely written. Collective. */
void output_write_forces(Sim *sim, const char *path, const char *where);

#endif
