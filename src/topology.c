/* topology.c - partner look-up by global id and the special-pair classes.
 *
 * Bonded interactions are stored by global ids on each of their atoms (see sim.h). To
 * compute one, its partners are found by id among the owned atoms and ghosts through an
 * open-addressing hash map (linear probing, load <= 0.5), rebuilt after every ghost build.
 * Any image of a partner serves: bonded geometry uses minimum-image differences, and forces
 * go on owned atoms only (the "newton off" rule of the pair loop). */
#include "topology.h"
#include "error.h"
#include "memory.h"
#include "sim.h"
#include <stdlib.h>
#include <string.h>

int topology_present(const Sim *sim) { return sim->atoms.maxspecial > 0; } /* set whenever the data file has any bonded interaction */

static inline unsigned hash_gid(int64_t g, int mask)
{
    uint64_t h = (uint64_t)g * 0x9e3779b97f4a7c15ULL;
    return (unsigned)(h >> 32) & (unsigned)mask;
}

void topology_map_build(Sim *sim)
{
    Topology *t = &sim->topo;
    const Atoms *a = &sim->atoms;
    int n = a->nlocal + a->nghost;
    int cap = 64;
    while (cap < 2 * n + 2) cap *= 2;
    if (cap != t->map_cap) {
        free(t->map_key);
        free(t->map_val);
        t->map_key = malloc(sizeof(int64_t) * (size_t)cap);
        t->map_val = malloc(sizeof(int) * (size_t)cap);
        if (!t->map_key || !t->map_val) error_one(FLERR, "out of memory for the atom-id map (%d slots)", cap);
        t->map_cap = cap;
    }
    for (int s = 0; s < cap; s++) t->map_key[s] = -1;
    int mask = cap - 1;
    for (int i = 0; i < n; i++) {
        unsigned s = hash_gid(a->gid[i], mask);
        while (t->map_key[s] != -1 && t->map_key[s] != a->gid[i]) s = (s + 1) & (unsigned)mask;
        if (t->map_key[s] == -1) {
            t->map_key[s] = a->gid[i];
            t->map_val[s] = i;
        }
    }
}

int topology_map_find(const Sim *sim, int64_t gid)
{
    const Topology *t = &sim->topo;
    if (!t->map_cap) return -1;
    int mask = t->map_cap - 1;
    unsigned s = hash_gid(gid, mask);
    while (t->map_key[s] != -1) {
        if (t->map_key[s] == gid) return t->map_val[s];
        s = (s + 1) & (unsigned)mask;
    }
    return -1;
}

int topology_special(const Atoms *a, int i, int64_t gid)
{
    const int64_t *sp = a->special + (size_t)i * (size_t)a->maxspecial;
    const int *ns = a->nspecial[i];
    for (int k = 0; k < ns[2]; k++)
        if (sp[k] == gid) return k < ns[0] ? 1 : (k < ns[1] ? 2 : 3);
    return 0;
}
