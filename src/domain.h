/* domain.h - the periodic box, its decomposition into rank subdomains, and atom migration. */
#ifndef NECKMD_DOMAIN_H
#define NECKMD_DOMAIN_H
typedef struct Sim Sim;

/* Set the Cartesian process grid (sim->procgrid_req, zeros = automatic) for the box and this
 * rank's subdomain [sublo, subhi) (A). Collective. */
void domain_setup(Sim *sim);
/* Wrap x (A) into [lo, hi) in every dimension, updating image counts im. */
void domain_wrap(const Sim *sim, double x[3], int im[3]);
/* 1 if the wrapped position x (A) lies in this rank's subdomain. */
int domain_owns(const Sim *sim, const double x[3]);
/* Wrap owned atoms into the box and send every atom that left this rank's subdomain to
 * the rank that owns it (any distance); then sort owned atoms by global id. Collective.
 * Fatal error if the global atom count changes (a lost atom). */
void domain_migrate(Sim *sim);
/* Scale the box about the point origin (A) by s[d] per dimension (lo' = o + s (lo - o),
 * len' = s len, hi' = lo' + len'), recompute this rank's subdomain on the same process grid,
 * and set sim->box_changed so the next force evaluation rebuilds ghosts, lists and the kspace
 * box. Atom positions are the caller's business (barostat.c scales them). Same on every rank. */
void domain_rescale(Sim *sim, const double s[3], const double origin[3]);

#endif
