/* read_data.h - read a LAMMPS data file (atom_style full or charge, orthogonal box). */
#ifndef NECKMD_READ_DATA_H
#define NECKMD_READ_DATA_H
typedef struct Sim Sim;

/* Read FILE on rank 0, broadcast, set the box (A), types (names, masses in amu), and give
 * each rank the atoms inside its subdomain (positions A, charges e, velocities A/fs when a
 * Velocities section is present). where = "input:line" of the command, for messages.
 * Errors name the file, the line and what was expected; they stop every rank. */
void read_data(Sim *sim, const char *file, const char *where);

#endif
