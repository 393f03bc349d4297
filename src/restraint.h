/* restraint.h - harmonic restraints on the centre-of-mass distance of two groups: steered
 * approach (moving target) and umbrella windows (fixed target), with force and work output. */
#ifndef NECKMD_RESTRAINT_H
#define NECKMD_RESTRAINT_H
#include <stdio.h>
typedef struct Sim Sim;

/* `restraint NAME G1 G2 K R0|current [rate V] [dims xyz|x|y|z|xy|xz|yz] [file F.csv] [every N]`
 * / `restraint NAME off`: phase-1 check (NULL if fine, else what was expected). */
const char *restraint_check_args(char **arg, int narg);
/* Define, replace or remove a restraint (collective). */
void restraint_command(Sim *sim, char **arg, int narg, const char *where);
/* Add the restraint forces (kcal/mol/A) to the owned atoms, set sim->en.erestr (kcal/mol)
 * and add the virial (kcal/mol); advance the accumulated work when the target moved.
 * Collective (one reduction for all restraints). Called by force_compute. */
void restraint_compute(Sim *sim);
/* Write the CSV rows due at the current step (rank 0 writes; no collective). */
void restraint_output(Sim *sim);
/* Restart state lines ("# neckmd-restart restraint NAME ..."), rank 0's fp. */
void restraint_write_state(const Sim *sim, FILE *fp, const char *tag);
/* Work done on the system by moving restraint targets so far (kcal/mol, every rank). */
double restraint_work(const Sim *sim);
/* Number of restraints defined. */
int restraint_count(const Sim *sim);
void restraint_free(Sim *sim);
#endif
