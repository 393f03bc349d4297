/* atoms.c - the per-atom arrays (one per quantity), grown by 1.5x through memory.c. */
#include "atoms.h"
#include "memory.h"
#include "sim.h"
#include <stdlib.h>
#include <string.h>

void atoms_grow(Atoms *a, int n)
{
    if (n <= a->nmax) return;
    int nmax = a->nmax ? a->nmax : 64;
    while (nmax < n) nmax = nmax + nmax / 2 + 16;
    size_t o = (size_t)a->nmax, m = (size_t)nmax;
    mem_grow((void **)&a->gid, o, m, sizeof *a->gid, "atom ids");
    mem_grow((void **)&a->type, o, m, sizeof *a->type, "atom types");
    mem_grow((void **)&a->mol, o, m, sizeof *a->mol, "molecule ids");
    mem_grow((void **)&a->q, o, m, sizeof *a->q, "charges");
    mem_grow((void **)&a->x, o, m, sizeof *a->x, "positions");
    mem_grow((void **)&a->v, o, m, sizeof *a->v, "velocities");
    mem_grow((void **)&a->f, o, m, sizeof *a->f, "forces");
    mem_grow((void **)&a->image, o, m, sizeof *a->image, "image flags");
    mem_grow((void **)&a->xhold, o, m, sizeof *a->xhold, "neighbour positions");
    a->nmax = nmax;
}

void atoms_copy(Atoms *a, int i, int j)
{
    a->gid[i] = a->gid[j];
    a->type[i] = a->type[j];
    a->mol[i] = a->mol[j];
    a->q[i] = a->q[j];
    memcpy(a->x[i], a->x[j], sizeof a->x[0]);
    memcpy(a->v[i], a->v[j], sizeof a->v[0]);
    memcpy(a->f[i], a->f[j], sizeof a->f[0]);
    memcpy(a->image[i], a->image[j], sizeof a->image[0]);
    memcpy(a->xhold[i], a->xhold[j], sizeof a->xhold[0]);
}

void atoms_free(Atoms *a)
{
    mem_free(a->gid); mem_free(a->type); mem_free(a->mol); mem_free(a->q);
    mem_free(a->x); mem_free(a->v); mem_free(a->f); mem_free(a->image); mem_free(a->xhold);
    memset(a, 0, sizeof *a);
}

typedef struct { int64_t gid; int idx; } GidIdx;
static int cmp_gid(const void *p, const void *q)
{
    int64_t a = ((const GidIdx *)p)->gid, b = ((const GidIdx *)q)->gid;
    return (a > b) - (a < b);
}

void atoms_sort_owned(Atoms *a)
{
    int n = a->nlocal;
    int sorted = 1;
    for (int i = 1; i < n && sorted; i++) sorted = a->gid[i - 1] < a->gid[i];
    if (sorted) return;
    GidIdx *key = mem_alloc(sizeof *key * (size_t)(n + 1), "sort keys");
    for (int i = 0; i < n; i++) { key[i].gid = a->gid[i]; key[i].idx = i; }
    qsort(key, (size_t)n, sizeof *key, cmp_gid);
    /* permute through a scratch copy placed after the owned atoms */
    atoms_grow(a, 2 * n);
    for (int i = 0; i < n; i++) atoms_copy(a, n + i, key[i].idx);
    for (int i = 0; i < n; i++) atoms_copy(a, i, n + i);
    mem_free(key);
}
