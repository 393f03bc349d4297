/* topology.h - finding bonded partners among owned and ghost atoms; exclusion lookups. */
#ifndef NECKMD_TOPOLOGY_H
#define NECKMD_TOPOLOGY_H
#include <stdint.h>
typedef struct Sim Sim;
typedef struct Atoms Atoms;

/* 1 if the system has bonded topology or special (excluded/scaled) pairs. */
int topology_present(const Sim *sim);
/* Rebuild the global-id -> local-index map over owned atoms and ghosts (owned win, then the
 * first ghost image). Call after every ghost build. */
void topology_map_build(Sim *sim);
/* Local index of global id gid (an owned atom, else some ghost image), -1 if absent. */
int topology_map_find(const Sim *sim, int64_t gid);
/* Special class of the pair (owned i, gid): 0 none, 1 = 1-2, 2 = 1-3, 3 = 1-4 partner. */
int topology_special(const Atoms *a, int i, int64_t gid);

#endif
