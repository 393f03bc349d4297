/* simctl.h - creating and destroying the simulation context. */
#ifndef NECKMD_SIMCTL_H
#define NECKMD_SIMCTL_H
typedef struct Sim Sim;
typedef struct Comm Comm;

/* A context with the defaults (skin 2 A, NVE, dt 1 fs, no Coulomb, PPPM order 5) on comm. */
Sim *sim_create(Comm *comm);
/* Free everything the context owns (not the Comm); sets *sim to NULL. */
void sim_destroy(Sim **sim);

#endif
