/* neigh.h - count-sorted cell lists and Verlet neighbour lists with a skin. */
#ifndef NECKMD_NEIGH_H
#define NECKMD_NEIGH_H
typedef struct Sim Sim;

/* A list entry is j | special_class << NEIGH_SBBITS (class 0 none, 1-3 = 1-2, 1-3, 1-4). */
#define NEIGH_SBBITS 30
#define NEIGH_INDEXMASK ((1 << NEIGH_SBBITS) - 1)

/* Build the half neighbour list of the owned atoms: for each owned i, every owned j > i and
 * every ghost j with |x_i - x_j| < cutoff + skin (A). Ghosts must be current. Records the
 * owned positions for neigh_needs_rebuild. */
void neigh_build(Sim *sim);
/* Collective: 1 if some owned atom moved more than skin/2 since the last build. */
int neigh_needs_rebuild(Sim *sim);
/* Brute-force O(N^2) list for tests: fills a count per owned atom of neighbours within
 * r (A) among owned j>i and all ghosts; returns the total number of pairs. */
long neigh_count_bruteforce(const Sim *sim, double r, int *count);
void neigh_free(Sim *sim);

#endif
