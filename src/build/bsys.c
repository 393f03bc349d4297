/* bsys.c - the builder's containers and helpers: the growing system, molecule templates,
 * cell-list contact checks, random numbers, small vector algebra.
 *
 * Random numbers: xoshiro256** (Blackman & Vigna 2018), each stream seeded through
 * splitmix64 from (seed, stream), so every part of a build (one NC's ligands, the solvent)
 * draws from its own stream and the output depends only on the arguments and the seed.
 *
 * Contact grid: cell lists with a singly linked list per cell (head/next), cell edge >= the
 * contact distance so a query visits the 27 neighbouring cells. Non-periodic grids clamp
 * points outside their range to the border cells (clamping is monotonic and 1-Lipschitz in
 * cell units, so no neighbour within one cell edge is missed); periodic grids wrap and use
 * the minimum image. */
#include "build/bsys.h"
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void build_die(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "neckmd build: error: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    exit(1);
}

void *build_alloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) build_die("out of memory (%zu x %zu bytes)", n, size);
    return p;
}

void *build_grow(void *p, size_t n, size_t size)
{
    void *q = realloc(p, (n ? n : 1) * size);
    if (!q) build_die("out of memory (%zu x %zu bytes)", n, size);
    return q;
}

/* ---------------------------------------------------------------- random numbers */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t brng_next(BRng *r)
{
    uint64_t *s = r->s;
    uint64_t res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t; s[3] = rotl(s[3], 45);
    return res;
}

void brng_init(BRng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed * 0x9e3779b97f4a7c15ULL ^ (stream + 0x632be59bd9b4e019ULL) * 0xd1b54a32d192ed03ULL;
    for (int k = 0; k < 4; k++) r->s[k] = splitmix64(&x);
}

double brng_uniform(BRng *r) { return (double)(brng_next(r) >> 11) * 0x1.0p-53; }

double brng_normal(BRng *r)
{
    double u1 = brng_uniform(r), u2 = brng_uniform(r);
    if (u1 < 1e-300) u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

void brng_rotation(BRng *r, double R[3][3])
{
    /* Shoemake (1992): uniform unit quaternion from three uniforms */
    double u1 = brng_uniform(r), u2 = 2.0 * M_PI * brng_uniform(r), u3 = 2.0 * M_PI * brng_uniform(r);
    double a = sqrt(1.0 - u1) * sin(u2), b = sqrt(1.0 - u1) * cos(u2), c = sqrt(u1) * sin(u3), d = sqrt(u1) * cos(u3);
    R[0][0] = a * a + b * b - c * c - d * d; R[0][1] = 2 * (b * c - a * d); R[0][2] = 2 * (b * d + a * c);
    R[1][0] = 2 * (b * c + a * d); R[1][1] = a * a - b * b + c * c - d * d; R[1][2] = 2 * (c * d - a * b);
    R[2][0] = 2 * (b * d - a * c); R[2][1] = 2 * (c * d + a * b); R[2][2] = a * a - b * b - c * c + d * d;
}

/* ---------------------------------------------------------------- vectors */
double v_dot(const double a[3], const double b[3]) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
void v_cross(const double a[3], const double b[3], double c[3])
{
    double t0 = a[1] * b[2] - a[2] * b[1], t1 = a[2] * b[0] - a[0] * b[2], t2 = a[0] * b[1] - a[1] * b[0];
    c[0] = t0; c[1] = t1; c[2] = t2;
}
double v_norm(const double a[3]) { return sqrt(v_dot(a, a)); }
void v_unit(double a[3])
{
    double n = v_norm(a);
    if (n > 0) { a[0] /= n; a[1] /= n; a[2] /= n; }
}
void m_vec(const double R[3][3], const double v[3], double out[3])
{
    double t[3];
    for (int i = 0; i < 3; i++) t[i] = R[i][0] * v[0] + R[i][1] * v[1] + R[i][2] * v[2];
    memcpy(out, t, sizeof t);
}
void m_mul(const double A[3][3], const double B[3][3], double C[3][3])
{
    double T[3][3];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) T[i][j] = A[i][0] * B[0][j] + A[i][1] * B[1][j] + A[i][2] * B[2][j];
    memcpy(C, T, sizeof T);
}
void m_axis_angle(const double u[3], double ang, double R[3][3])
{
    double c = cos(ang), s = sin(ang), t = 1.0 - c;
    R[0][0] = c + u[0] * u[0] * t; R[0][1] = u[0] * u[1] * t - u[2] * s; R[0][2] = u[0] * u[2] * t + u[1] * s;
    R[1][0] = u[1] * u[0] * t + u[2] * s; R[1][1] = c + u[1] * u[1] * t; R[1][2] = u[1] * u[2] * t - u[0] * s;
    R[2][0] = u[2] * u[0] * t - u[1] * s; R[2][1] = u[2] * u[1] * t + u[0] * s; R[2][2] = c + u[2] * u[2] * t;
}
void v_perp_basis(const double n[3], double e1[3], double e2[3])
{
    double h[3] = {1, 0, 0};
    if (fabs(n[0]) > 0.8) { h[0] = 0; h[1] = 1; }
    v_cross(h, n, e1);
    v_unit(e1);
    v_cross(n, e1, e2);
}

/* ---------------------------------------------------------------- templates */
int bk_natom(int kind) { return kind + 2; }

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) *--e = '\0';
    return s;
}

MolTemplate *moltemplate_read(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) build_die("cannot open molecule template %s (see --moldir)", path);
    MolTemplate *m = build_alloc(1, sizeof *m);
    snprintf(m->path, sizeof m->path, "%s", path);
    static const char *secs[] = {"Masses", "Atoms", "Bonds", "Angles", "Dihedrals"};
    char line[1024];
    int sec = -1, lineno = 0, seen_atoms = 0;
    long hdr_atoms = -1, hdr_topo[BK_COUNT] = {0, 0, 0};
    int got[BK_COUNT] = {0, 0, 0};
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (lineno == 1) continue; /* title */
        char *hash = strchr(line, '#');
        char comment[256] = "";
        if (hash) { snprintf(comment, sizeof comment, "%s", trim(hash + 1)); *hash = '\0'; }
        char *s = trim(line);
        if (!*s) continue;
        int is_sec = -1;
        for (int k = 0; k < 5; k++)
            if (strcmp(s, secs[k]) == 0) is_sec = k;
        if (is_sec >= 0) { sec = is_sec; continue; }
        if (isalpha((unsigned char)*s)) build_die("%s:%d: section '%s' is not supported in a molecule template", path, lineno, s);
        long v;
        char w1[64], w2[64];
        if (sec < 0) {
            int nw = sscanf(s, "%ld %63s %63s", &v, w1, w2);
            if (nw >= 2 && strcmp(w1, "atoms") == 0) hdr_atoms = v;
            else if (nw >= 2 && strcmp(w1, "bonds") == 0) hdr_topo[BK_BOND] = v;
            else if (nw >= 2 && strcmp(w1, "angles") == 0) hdr_topo[BK_ANGLE] = v;
            else if (nw >= 2 && strcmp(w1, "dihedrals") == 0) hdr_topo[BK_DIHEDRAL] = v;
            else if (nw == 3 && strcmp(w2, "types") == 0) {
                if (strcmp(w1, "atom") == 0) m->ntypes = (int)v;
                else if (strcmp(w1, "bond") == 0) m->ntopotypes[BK_BOND] = (int)v;
                else if (strcmp(w1, "angle") == 0) m->ntopotypes[BK_ANGLE] = (int)v;
                else if (strcmp(w1, "dihedral") == 0) m->ntopotypes[BK_DIHEDRAL] = (int)v;
            }
            if (hdr_atoms > 0 && !m->type) {
                m->natoms = (int)hdr_atoms;
                m->type = build_alloc((size_t)hdr_atoms, sizeof *m->type);
                m->q = build_alloc((size_t)hdr_atoms, sizeof *m->q);
                m->x = build_alloc((size_t)hdr_atoms, sizeof *m->x);
            }
            continue;
        }
        if (sec == 0) {
            double mass;
            if (sscanf(s, "%ld %lf", &v, &mass) != 2 || v < 1 || v > m->ntypes || v > BUILD_MAXTYPES || !comment[0])
                build_die("%s:%d: Masses: expected 'TYPE MASS # NAME' with TYPE 1..%d", path, lineno, m->ntypes);
            snprintf(m->tname[v - 1], BUILD_NAMELEN, "%s", comment);
            m->tmass[v - 1] = mass;
        } else if (sec == 1) {
            long id, mol, t;
            double q, x, y, z;
            if (!m->type || sscanf(s, "%ld %ld %ld %lf %lf %lf %lf", &id, &mol, &t, &q, &x, &y, &z) != 7 || id < 1 ||
                id > m->natoms || t < 1 || t > m->ntypes)
                build_die("%s:%d: Atoms: expected 'ID MOL TYPE Q X Y Z' (atom_style full)", path, lineno);
            m->type[id - 1] = (int)t - 1;
            m->q[id - 1] = q;
            m->x[id - 1][0] = x; m->x[id - 1][1] = y; m->x[id - 1][2] = z;
            seen_atoms++;
        } else {
            int k = sec - 2, na = bk_natom(k);
            if (!m->topo[k]) m->topo[k] = build_alloc((size_t)(hdr_topo[k] > 0 ? hdr_topo[k] : 1) * (size_t)(na + 1), sizeof(int));
            long a[6];
            int nw = sscanf(s, "%ld %ld %ld %ld %ld %ld", &a[0], &a[1], &a[2], &a[3], &a[4], &a[5]);
            if (nw != na + 2 || got[k] >= hdr_topo[k] || a[1] < 1 || a[1] > m->ntopotypes[k])
                build_die("%s:%d: %s: expected 'ID TYPE' and %d atom ids (types 1..%d)", path, lineno, secs[sec], na, m->ntopotypes[k]);
            int *r = m->topo[k] + (size_t)got[k] * (size_t)(na + 1);
            r[0] = (int)a[1] - 1;
            for (int j = 0; j < na; j++) {
                if (a[2 + j] < 1 || a[2 + j] > m->natoms) build_die("%s:%d: atom id %ld out of range", path, lineno, a[2 + j]);
                r[1 + j] = (int)a[2 + j] - 1;
            }
            got[k]++;
        }
    }
    fclose(f);
    if (m->natoms <= 0 || seen_atoms != m->natoms) build_die("%s: expected %d atoms in the Atoms section, found %d", path, m->natoms, seen_atoms);
    for (int k = 0; k < BK_COUNT; k++) {
        if (got[k] != hdr_topo[k]) build_die("%s: header announces %ld %s, found %d", path, hdr_topo[k], secs[k + 2], got[k]);
        m->ntopo[k] = got[k];
    }
    for (int t = 0; t < m->ntypes; t++)
        if (!m->tname[t][0]) build_die("%s: atom type %d has no '# Name' in Masses", path, t + 1);
    for (int i = 0; i < m->natoms; i++) {
        m->mass += m->tmass[m->type[i]];
        m->charge += m->q[i];
    }
    return m;
}

void moltemplate_free(MolTemplate **pm)
{
    MolTemplate *m = *pm;
    if (!m) return;
    free(m->type); free(m->q); free(m->x);
    for (int k = 0; k < BK_COUNT; k++) free(m->topo[k]);
    free(m);
    *pm = NULL;
}

void moltemplate_centroid(const MolTemplate *m, double c[3])
{
    c[0] = c[1] = c[2] = 0;
    for (int i = 0; i < m->natoms; i++)
        for (int d = 0; d < 3; d++) c[d] += m->x[i][d] / m->natoms;
}

/* ---------------------------------------------------------------- the system */
BSys *bsys_create(void) { return build_alloc(1, sizeof(BSys)); }

void bsys_destroy(BSys **ps)
{
    BSys *s = *ps;
    if (!s) return;
    free(s->x); free(s->type); free(s->mol); free(s->q); free(s->nc); free(s->role); free(s->dead); free(s->anchor);
    for (int k = 0; k < BK_COUNT; k++) { free(s->topo[k]); free(s->topotname[k]); }
    free(s);
    *ps = NULL;
}

int bsys_type(BSys *s, const char *name, double mass)
{
    for (int t = 0; t < s->ntypes; t++)
        if (strcmp(s->tname[t], name) == 0) return t;
    if (s->ntypes >= BUILD_MAXTYPES) build_die("too many atom types (max %d)", BUILD_MAXTYPES);
    snprintf(s->tname[s->ntypes], BUILD_NAMELEN, "%s", name);
    s->tmass[s->ntypes] = mass;
    return s->ntypes++;
}

long bsys_add_atom(BSys *s, int type, double q, const double x[3], long mol, int nc, int role)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 4096;
        s->x = build_grow(s->x, (size_t)s->cap, sizeof *s->x);
        s->type = build_grow(s->type, (size_t)s->cap, sizeof *s->type);
        s->mol = build_grow(s->mol, (size_t)s->cap, sizeof *s->mol);
        s->q = build_grow(s->q, (size_t)s->cap, sizeof *s->q);
        s->nc = build_grow(s->nc, (size_t)s->cap, sizeof *s->nc);
        s->role = build_grow(s->role, (size_t)s->cap, sizeof *s->role);
        s->dead = build_grow(s->dead, (size_t)s->cap, sizeof *s->dead);
        s->anchor = build_grow(s->anchor, (size_t)s->cap, sizeof *s->anchor);
    }
    long i = s->n++;
    memcpy(s->x[i], x, sizeof s->x[i]);
    s->type[i] = type;
    s->q[i] = q;
    s->mol[i] = mol;
    s->nc[i] = nc;
    s->role[i] = (unsigned char)role;
    s->dead[i] = 0;
    s->anchor[i] = -1;
    return i;
}

void bsys_register_template(BSys *s, const MolTemplate *m, int tmap[BUILD_MAXTYPES], int shift[BK_COUNT])
{
    for (int t = 0; t < m->ntypes; t++) tmap[t] = bsys_type(s, m->tname[t], m->tmass[t]);
    for (int k = 0; k < BK_COUNT; k++) {
        shift[k] = s->ntopotypes[k];
        int nt = s->ntopotypes[k] + m->ntopotypes[k];
        s->topotname[k] = build_grow(s->topotname[k], (size_t)nt, sizeof *s->topotname[k]);
        for (int ty = s->ntopotypes[k]; ty < nt; ty++) memset(s->topotname[k][ty], 0, sizeof s->topotname[k][ty]);
        /* names from the first record of each type */
        int na = bk_natom(k);
        for (int r = m->ntopo[k] - 1; r >= 0; r--) {
            const int *rec = m->topo[k] + (size_t)r * (size_t)(na + 1);
            for (int j = 0; j < na; j++)
                snprintf(s->topotname[k][shift[k] + rec[0]][j], BUILD_NAMELEN, "%s", m->tname[m->type[rec[1 + j]]]);
        }
        s->ntopotypes[k] = nt;
    }
}

long bsys_add_molecule(BSys *s, const MolTemplate *m, const int tmap[BUILD_MAXTYPES], const int shift[BK_COUNT],
                       const double (*x)[3], long mol, int nc, int role)
{
    long first = s->n;
    for (int i = 0; i < m->natoms; i++) bsys_add_atom(s, tmap[m->type[i]], m->q[i], x[i], mol, nc, role);
    for (int k = 0; k < BK_COUNT; k++) {
        int na = bk_natom(k);
        if (s->ntopo[k] + m->ntopo[k] > s->captopo[k]) {
            s->captopo[k] = 2 * (s->ntopo[k] + m->ntopo[k]) + 1024;
            s->topo[k] = build_grow(s->topo[k], (size_t)s->captopo[k] * (size_t)(na + 1), sizeof(long));
        }
        for (int r = 0; r < m->ntopo[k]; r++) {
            const int *rec = m->topo[k] + (size_t)r * (size_t)(na + 1);
            long *out = s->topo[k] + (size_t)s->ntopo[k] * (size_t)(na + 1);
            out[0] = shift[k] + rec[0];
            for (int j = 0; j < na; j++) out[1 + j] = first + rec[1 + j];
            s->ntopo[k]++;
        }
    }
    return first;
}

void bsys_compact(BSys *s)
{
    long *map = build_alloc((size_t)s->n + 1, sizeof *map);
    long m = 0;
    for (long i = 0; i < s->n; i++) map[i] = s->dead[i] ? -1 : m++;
    for (long i = 0; i < s->n; i++) {
        long j = map[i];
        if (j < 0 || j == i) continue;
        memcpy(s->x[j], s->x[i], sizeof s->x[j]);
        s->type[j] = s->type[i]; s->q[j] = s->q[i]; s->mol[j] = s->mol[i]; s->nc[j] = s->nc[i];
        s->role[j] = s->role[i]; s->dead[j] = 0;
        s->anchor[j] = s->anchor[i];
    }
    for (long j = 0; j < m; j++)
        if (s->anchor[j] >= 0) s->anchor[j] = map[s->anchor[j]];
    for (int k = 0; k < BK_COUNT; k++) {
        int na = bk_natom(k);
        long nr = 0;
        for (long r = 0; r < s->ntopo[k]; r++) {
            long *rec = s->topo[k] + (size_t)r * (size_t)(na + 1);
            int ndead = 0;
            for (int a = 0; a < na; a++) ndead += map[rec[1 + a]] < 0;
            if (ndead == na) continue;
            if (ndead) build_die("internal: a bonded term joins a removed and a kept atom");
            long *out = s->topo[k] + (size_t)nr * (size_t)(na + 1);
            out[0] = rec[0];
            for (int a = 0; a < na; a++) out[1 + a] = map[rec[1 + a]];
            nr++;
        }
        s->ntopo[k] = nr;
    }
    s->n = m;
    /* molecule ids 1.. in order of first appearance (the order of the atoms) */
    long maxmol = 0;
    for (long i = 0; i < s->n; i++)
        if (s->mol[i] > maxmol) maxmol = s->mol[i];
    long *mm = build_alloc((size_t)maxmol + 1, sizeof *mm);
    long nm = 0;
    for (long i = 0; i < s->n; i++) {
        if (!mm[s->mol[i]]) mm[s->mol[i]] = ++nm;
        s->mol[i] = mm[s->mol[i]];
    }
    s->nmol = nm;
    free(mm);
    free(map);
}

double bsys_charge(const BSys *s)
{
    double q = 0;
    for (long i = 0; i < s->n; i++)
        if (!s->dead[i]) q += s->q[i];
    return q;
}

/* ---------------------------------------------------------------- grid */
Grid *grid_create(const double lo[3], const double hi[3], double cell, int periodic)
{
    Grid *g = build_alloc(1, sizeof *g);
    g->periodic = periodic;
    long ncell = 1;
    for (int d = 0; d < 3; d++) {
        g->lo[d] = periodic ? 0.0 : lo[d];
        g->L[d] = hi[d] - (periodic ? 0.0 : lo[d]);
        g->n[d] = (int)floor(g->L[d] / cell);
        if (g->n[d] < 1) g->n[d] = 1;
        if (g->n[d] > 1024) g->n[d] = 1024;
        ncell *= g->n[d];
    }
    /* the cell edge may only grow (periodic: L / n >= cell) */
    g->cell = cell;
    g->head = build_alloc((size_t)ncell, sizeof *g->head);
    for (long c = 0; c < ncell; c++) g->head[c] = -1;
    return g;
}

void grid_destroy(Grid **pg)
{
    if (!*pg) return;
    free((*pg)->head);
    free((*pg)->next);
    free(*pg);
    *pg = NULL;
}

static int cell_coord(const Grid *g, double x, int d)
{
    double h = g->L[d] / g->n[d];
    if (g->periodic) {
        double w = x - g->L[d] * floor(x / g->L[d]);
        int c = (int)(w / h);
        return c >= g->n[d] ? g->n[d] - 1 : (c < 0 ? 0 : c);
    }
    double t = floor((x - g->lo[d]) / h);
    if (t < 0) return 0;
    if (t >= g->n[d]) return g->n[d] - 1;
    return (int)t;
}

void grid_add(Grid *g, const BSys *s, long i)
{
    if (i >= g->capnext) {
        long nc = g->capnext ? 2 * g->capnext : 4096;
        while (nc <= i) nc *= 2;
        g->next = build_grow(g->next, (size_t)nc, sizeof *g->next);
        g->capnext = nc;
    }
    int c[3];
    for (int d = 0; d < 3; d++) c[d] = cell_coord(g, s->x[i][d], d);
    long ci = ((long)c[0] * g->n[1] + c[1]) * g->n[2] + c[2];
    g->next[i] = g->head[ci];
    g->head[ci] = i;
}

void grid_remove(Grid *g, const BSys *s, long i)
{
    int c[3];
    for (int d = 0; d < 3; d++) c[d] = cell_coord(g, s->x[i][d], d);
    long ci = ((long)c[0] * g->n[1] + c[1]) * g->n[2] + c[2];
    if (g->head[ci] == i) { g->head[ci] = g->next[i]; return; }
    for (long j = g->head[ci]; j >= 0; j = g->next[j])
        if (g->next[j] == i) { g->next[j] = g->next[i]; return; }
    build_die("internal: grid_remove: atom %ld not in its cell", i);
}

typedef struct { long skip; int hit; } ClashCtx;

/* Loop over the cells within r of p (each distinct cell once, also when a periodic axis has
 * fewer cells than the span); call f for every atom closer than r (minimum image when
 * periodic). Returns early when *stop becomes nonzero. */
static int axis_cells(const Grid *g, const double p[3], double r, int d, int *out)
{
    double h = g->L[d] / g->n[d];
    int c0 = cell_coord(g, p[d], d), span = (int)ceil(r / h), m = 0;
    for (int k = -span; k <= span; k++) {
        int c = c0 + k;
        if (g->periodic) { c %= g->n[d]; if (c < 0) c += g->n[d]; }
        else if (c < 0 || c >= g->n[d]) continue;
        int dup = 0;
        for (int q = 0; q < m; q++) dup |= out[q] == c;
        if (!dup) out[m++] = c;
        if (m == g->n[d]) break;
    }
    return m;
}

static void grid_loop(const Grid *g, const BSys *s, const double p[3], double r, long skip,
                      void (*f)(long, double, void *), void *ctx, int *stop)
{
    int cx[2100], cy[2100], cz[2100];
    if (r > 1000.0 * g->cell) r = 1000.0 * g->cell;
    int nx = axis_cells(g, p, r, 0, cx), ny = axis_cells(g, p, r, 1, cy), nz = axis_cells(g, p, r, 2, cz);
    double r2 = r * r;
    for (int a = 0; a < nx; a++)
        for (int b = 0; b < ny; b++)
            for (int c = 0; c < nz; c++) {
                long ci = ((long)cx[a] * g->n[1] + cy[b]) * g->n[2] + cz[c];
                for (long j = g->head[ci]; j >= 0; j = g->next[j]) {
                    if (j == skip || s->dead[j]) continue;
                    double dd[3];
                    for (int d = 0; d < 3; d++) {
                        dd[d] = s->x[j][d] - p[d];
                        if (g->periodic) dd[d] -= g->L[d] * nearbyint(dd[d] / g->L[d]);
                    }
                    double d2 = v_dot(dd, dd);
                    if (d2 < r2) {
                        f(j, d2, ctx);
                        if (stop && *stop) return;
                    }
                }
            }
}

static void clash_cb(long j, double d2, void *ctx) { (void)j; (void)d2; ((ClashCtx *)ctx)->hit = 1; }

int grid_clash(const Grid *g, const BSys *s, const double p[3], double r, long skip)
{
    ClashCtx c = {skip, 0};
    grid_loop(g, s, p, r, skip, clash_cb, &c, &c.hit);
    return c.hit;
}

void grid_visit(const Grid *g, const BSys *s, const double p[3], double r, void (*f)(long, double, void *), void *ctx)
{
    grid_loop(g, s, p, r, -1, f, ctx, NULL);
}
