/* constraint_shake.h - bond-length constraints (SHAKE positions, RATTLE velocities). */
#ifndef NECKMD_CONSTRAINT_SHAKE_H
#define NECKMD_CONSTRAINT_SHAKE_H
typedef struct Sim Sim;

/* Constrain the bonds of the listed numeric bond types (0-based; all if ntypes < 0) to the
 * R0 of their coefficients, to relative tolerance tol, at most maxiter iterations a stage. */
void shake_enable(Sim *sim, const int *types, int ntypes, double tol, int maxiter, const char *where);
/* 1 if constraints are active. */
int shake_active(const Sim *sim);
/* The requested relative tolerance (0 if inactive). */
double shake_tolerance(const Sim *sim);
/* Before the drift of a step: remember the constrained positions (owned atoms). */
void shake_save(Sim *sim);
/* After the drift: move owned atoms (and correct their velocities by dx/dt) so every
 * constrained bond has its length; adds the constraint virial. Collective. */
void shake_positions(Sim *sim);
/* Start of a run: move atoms onto the constraints (bond lengths = R0) along the current bond
 * directions, velocities untouched. Ghosts must be current. Collective. */
void shake_project(Sim *sim);
/* After the second half-kick: remove velocity components along constrained bonds. Collective. */
void shake_velocities(Sim *sim);
/* Constraint virial of the last step (kcal/mol, xx yy zz xy xz yz), for the pressure. */
const double *shake_virial(const Sim *sim);
/* Number of constraints (global) removed from the degrees of freedom. */
long shake_count(const Sim *sim);
/* Largest relative bond-length error over the constrained bonds now (collective). */
double shake_max_error(Sim *sim);
/* Iterations: last position stage, and the most in any stage so far. */
void shake_stats(const Sim *sim, int *last, int *max);

#endif
