/* minimize.h - energy minimisation of the atom positions: Polak-Ribiere conjugate gradients
 * with a backtracking/quadratic line search, or FIRE. */
#ifndef NECKMD_MINIMIZE_H
#define NECKMD_MINIMIZE_H
#include <stdint.h>
#include <stdio.h>
typedef struct Sim Sim;

typedef enum { MIN_CG = 0, MIN_FIRE, MIN_COUNT } MinStyle;

/* Minimise the potential energy over the positions of all atoms (box fixed), as LAMMPS's
 * `minimize`: stop when the relative energy change of one iteration
 *   |E_k - E_{k-1}| <= etol * (|E_k| + |E_{k-1}| + 1e-8) / 2
 * (etol dimensionless; 0 disables it), or the global force 2-norm |F| <= ftol (kcal/mol/A;
 * 0 disables it), or after maxiter iterations (CG line searches, FIRE steps) or maxeval force
 * evaluations (the first evaluation, at the start configuration, is not counted, as in
 * LAMMPS). Velocities and the step number are left as they are. Prints the iteration table
 * (every `thermo` N iterations, and the first and last) and the LAMMPS-like summary; the
 * result is kept for the run record (minimize_record_json). Collective. */
void minimize_run(Sim *sim, double etol, double ftol, int64_t maxiter, int64_t maxeval, MinStyle style);
/* Name of a style ("cg", "fire"); NULL if out of range. */
const char *minimize_style_name(MinStyle style);
/* Write `"minimize": {...},` (one JSON member and a comma, indented by two blanks, with a
 * newline) describing the last minimisation, or nothing if there was none. Rank 0. */
void minimize_record_json(const Sim *sim, FILE *fp);
/* Free the kept result (sim_destroy calls it). */
void minimize_free(Sim *sim);

#endif
