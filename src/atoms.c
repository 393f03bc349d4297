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
    mem_grow((void **)&a->gmask, o, m, sizeof *a->gmask, "group masks");
    mem_grow((void **)&a->q, o, m, sizeof *a->q, "charges");
    mem_grow((void **)&a->x, o, m, sizeof *a->x, "positions");
    mem_grow((void **)&a->v, o, m, sizeof *a->v, "velocities");
    mem_grow((void **)&a->f, o, m, sizeof *a->f, "forces");
    mem_grow((void **)&a->image, o, m, sizeof *a->image, "image flags");
    mem_grow((void **)&a->xhold, o, m, sizeof *a->xhold, "neighbour positions");
    for (int k = 0; k < 4; k++) {
        if (!a->topo_maxper[k]) continue;
        size_t per = (size_t)a->topo_maxper[k];
        mem_grow((void **)&a->topo_count[k], o, m, sizeof(int), "topology counts");
        mem_grow((void **)&a->topo_type[k], o * per, m * per, sizeof(int), "topology types");
        mem_grow((void **)&a->topo_gid[k], o * per * (size_t)a->topo_natom[k], m * per * (size_t)a->topo_natom[k], sizeof(int64_t), "topology atoms");
    }
    if (a->maxspecial) {
        mem_grow((void **)&a->nspecial, o, m, sizeof *a->nspecial, "special counts");
        mem_grow((void **)&a->special, o * (size_t)a->maxspecial, m * (size_t)a->maxspecial, sizeof(int64_t), "special lists");
    }
    if (a->nextra) mem_grow((void **)&a->extra, o * (size_t)a->nextra, m * (size_t)a->nextra, sizeof(double), "per-atom work vectors");
    a->nmax = nmax;
}

void atoms_copy(Atoms *a, int i, int j)
{
    a->gid[i] = a->gid[j];
    a->type[i] = a->type[j];
    a->mol[i] = a->mol[j];
    a->gmask[i] = a->gmask[j];
    a->q[i] = a->q[j];
    memcpy(a->x[i], a->x[j], sizeof a->x[0]);
    memcpy(a->v[i], a->v[j], sizeof a->v[0]);
    memcpy(a->f[i], a->f[j], sizeof a->f[0]);
    memcpy(a->image[i], a->image[j], sizeof a->image[0]);
    memcpy(a->xhold[i], a->xhold[j], sizeof a->xhold[0]);
    for (int k = 0; k < 4; k++) {
        if (!a->topo_maxper[k]) continue;
        size_t per = (size_t)a->topo_maxper[k], na = (size_t)a->topo_natom[k];
        a->topo_count[k][i] = a->topo_count[k][j];
        memcpy(a->topo_type[k] + (size_t)i * per, a->topo_type[k] + (size_t)j * per, per * sizeof(int));
        memcpy(a->topo_gid[k] + (size_t)i * per * na, a->topo_gid[k] + (size_t)j * per * na, per * na * sizeof(int64_t));
    }
    if (a->maxspecial) {
        memcpy(a->nspecial[i], a->nspecial[j], sizeof a->nspecial[0]);
        memcpy(a->special + (size_t)i * a->maxspecial, a->special + (size_t)j * a->maxspecial, sizeof(int64_t) * (size_t)a->maxspecial);
    }
    if (a->nextra)
        memcpy(a->extra + (size_t)i * (size_t)a->nextra, a->extra + (size_t)j * (size_t)a->nextra, sizeof(double) * (size_t)a->nextra);
}

void atoms_set_extra(Atoms *a, int nextra)
{
    mem_free(a->extra);
    a->extra = NULL;
    a->nextra = nextra > 0 ? nextra : 0;
    if (a->nextra)
        a->extra = mem_alloc(sizeof(double) * (size_t)a->nextra * (size_t)(a->nmax > 0 ? a->nmax : 1), "per-atom work vectors");
}

void atoms_set_topology(Atoms *a, const int natom[4], const int maxper[4], int maxspecial)
{
    int n = a->nmax > 0 ? a->nmax : 64;
    atoms_free(a);
    for (int k = 0; k < 4; k++) {
        a->topo_natom[k] = natom[k];
        a->topo_maxper[k] = maxper[k];
    }
    a->maxspecial = maxspecial;
    atoms_grow(a, n);
}

/* The migration record: fixed part, then topology, then specials, then the extra doubles. */
typedef struct AtomFixed {
    int64_t gid;
    int type, mol, gmask, pad;
    double q, x[3], v[3];
    int image[3];
} AtomFixed;

size_t atoms_record_size(const Atoms *a)
{
    size_t n = sizeof(AtomFixed);
    for (int k = 0; k < 4; k++)
        if (a->topo_maxper[k])
            n += sizeof(int) * (1 + (size_t)a->topo_maxper[k]) + sizeof(int64_t) * (size_t)a->topo_maxper[k] * (size_t)a->topo_natom[k];
    if (a->maxspecial) n += sizeof(int) * 3 + sizeof(int64_t) * (size_t)a->maxspecial;
    n += sizeof(double) * (size_t)a->nextra;
    return (n + 7) / 8 * 8;
}

void atoms_pack(const Atoms *a, int i, void *buf)
{
    char *p = buf;
    AtomFixed r;
    memset(&r, 0, sizeof r);
    r.gid = a->gid[i]; r.type = a->type[i]; r.mol = a->mol[i]; r.gmask = a->gmask[i]; r.q = a->q[i];
    memcpy(r.x, a->x[i], sizeof r.x);
    memcpy(r.v, a->v[i], sizeof r.v);
    memcpy(r.image, a->image[i], sizeof r.image);
    memcpy(p, &r, sizeof r);
    p += sizeof r;
    for (int k = 0; k < 4; k++) {
        if (!a->topo_maxper[k]) continue;
        size_t per = (size_t)a->topo_maxper[k], na = (size_t)a->topo_natom[k];
        memcpy(p, &a->topo_count[k][i], sizeof(int)); p += sizeof(int);
        memcpy(p, a->topo_type[k] + (size_t)i * per, per * sizeof(int)); p += per * sizeof(int);
        memcpy(p, a->topo_gid[k] + (size_t)i * per * na, per * na * sizeof(int64_t)); p += per * na * sizeof(int64_t);
    }
    if (a->maxspecial) {
        memcpy(p, a->nspecial[i], sizeof(int) * 3); p += sizeof(int) * 3;
        memcpy(p, a->special + (size_t)i * a->maxspecial, sizeof(int64_t) * (size_t)a->maxspecial);
        p += sizeof(int64_t) * (size_t)a->maxspecial;
    }
    if (a->nextra) memcpy(p, a->extra + (size_t)i * (size_t)a->nextra, sizeof(double) * (size_t)a->nextra);
}

void atoms_unpack(Atoms *a, const void *buf)
{
    const char *p = buf;
    AtomFixed r;
    memcpy(&r, p, sizeof r);
    p += sizeof r;
    atoms_grow(a, a->nlocal + 1);
    int i = a->nlocal++;
    a->gid[i] = r.gid; a->type[i] = r.type; a->mol[i] = r.mol; a->gmask[i] = r.gmask; a->q[i] = r.q;
    memcpy(a->x[i], r.x, sizeof r.x);
    memcpy(a->v[i], r.v, sizeof r.v);
    memcpy(a->image[i], r.image, sizeof r.image);
    a->f[i][0] = a->f[i][1] = a->f[i][2] = 0.0;
    for (int k = 0; k < 4; k++) {
        if (!a->topo_maxper[k]) continue;
        size_t per = (size_t)a->topo_maxper[k], na = (size_t)a->topo_natom[k];
        memcpy(&a->topo_count[k][i], p, sizeof(int)); p += sizeof(int);
        memcpy(a->topo_type[k] + (size_t)i * per, p, per * sizeof(int)); p += per * sizeof(int);
        memcpy(a->topo_gid[k] + (size_t)i * per * na, p, per * na * sizeof(int64_t)); p += per * na * sizeof(int64_t);
    }
    if (a->maxspecial) {
        memcpy(a->nspecial[i], p, sizeof(int) * 3); p += sizeof(int) * 3;
        memcpy(a->special + (size_t)i * a->maxspecial, p, sizeof(int64_t) * (size_t)a->maxspecial);
        p += sizeof(int64_t) * (size_t)a->maxspecial;
    }
    if (a->nextra) memcpy(a->extra + (size_t)i * (size_t)a->nextra, p, sizeof(double) * (size_t)a->nextra);
}

void atoms_free(Atoms *a)
{
    mem_free(a->gid); mem_free(a->type); mem_free(a->mol); mem_free(a->gmask); mem_free(a->q);
    mem_free(a->x); mem_free(a->v); mem_free(a->f); mem_free(a->image); mem_free(a->xhold);
    for (int k = 0; k < 4; k++) { mem_free(a->topo_count[k]); mem_free(a->topo_type[k]); mem_free(a->topo_gid[k]); }
    mem_free(a->nspecial); mem_free(a->special);
    mem_free(a->extra);
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
