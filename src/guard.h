/* guard.h - run-time checks that stop a run with a precise message instead of wrong results. */
#ifndef NECKMD_GUARD_H
#define NECKMD_GUARD_H
typedef struct Sim Sim;

/* Run start, after force_setup: the Buckingham turnover distances per type pair, then the
 * pair check of the start configuration. Collective. */
void guard_run_begin(Sim *sim);
/* Before the neighbour upkeep of a step (check = this step checks the lists): with
 * "neighbor SKIN every N>1", stop if an atom moved more than skin/2 since the previous
 * check (pairs may have been missed in between). Collective. */
void guard_before_neighbors(Sim *sim, int check);
/* After the neighbour upkeep: when the lists were rebuilt, stop if a Buckingham pair is
 * closer than its turnover distance r*; keep the positions for the next displacement
 * check. Collective. */
void guard_after_neighbors(Sim *sim, int check);
/* Turnover distance r* (A) of A exp(-r/rho) - C/r^6 (A kcal/mol, rho A, C kcal/mol A^6): the
 * inner root of dE/dr = 0, the top of the wall, inside which the pair collapses. 0 if the
 * form has no collapse (A <= 0 or C <= 0); -1 if it has no wall (dE/dr < 0 everywhere). */
double guard_buck_turnover(double a, double rho, double c);
/* pair_modify buck_guard yes: after pair_compute, replace the Buckingham energy and force of
 * every pair closer than r* by the repulsive continuation E* + S [u^12 - 1 - 12 (u - 1)],
 * u = r* / r, S = max(E*, 1 kcal/mol), E* = E(r*) (continuous energy and force at r*); adds
 * the difference to the forces, evdwl and the virial. Nothing when buck_guard is off.
 * Collective when on. */
void guard_buck_correct(Sim *sim);
void guard_free(Sim *sim);

#endif
