/* nc.c - PbSe nanocrystal cores cut from rock salt, their surface sites and facet areas,
 * and exact charge neutrality.
 *
 * Lattice: rock salt with lattice constant a; the sites form a simple cubic grid of spacing
 * a/2 (indices i, j, k = 0..N-1 along x, y, z), Pb where i+j+k is even, Se where odd (as
 * tests/ref/make_data.py). A site's coordinates relative to the NC centre are u a/4 with
 * u_d = 2 i_d - (N - 1): N {200} layers along each <100> axis, the outermost planes at
 * +-(N-1) a/4, the geometric {100} facet half a layer further out, at N a/4 (so N = 20 gives
 * the paper's 6.1 nm along <100>).
 *
 * Shapes:
 *   cube        all N^3 sites ({100} facets only);
 *   octahedron  the cube cut by the eight {111} planes s.r <= d111 (s = (+-1, +-1, +-1)/sqrt3):
 *               a truncated octahedron with {100} and {111} facets. Along [111] the atomic
 *               layers are pure Pb or pure Se (spacing a/(2 sqrt3)); for each facet the
 *               outermost layer kept is the outermost Pb layer inside the plane, i.e. a Se
 *               layer that would be outermost is removed: every {111} facet is Pb-terminated
 *               (Pb-rich NCs, as real oleate-capped PbSe). The geometric {111} facet lies half
 *               a {111} spacing beyond that Pb layer. Default d111 = N a/4 (the {111} facets as
 *               far from the centre as the {100} ones, a near-isotropic shape).
 *   sphere      sites with |r| <= N a/4 - a/8.
 * Atoms left with fewer than two neighbours by the cut are removed.
 *
 * Surface sites (fewer than 6 nearest neighbours) are classified by facet family: on an
 * octahedron, the outermost Pb layer of a {111} facet is {111} (edges with {100} included)
 * and the outermost {100} planes are {100}; otherwise (spheres, stray atoms) the direction of
 * the missing neighbours decides: one missing direction {100}, three {111}, two (a {110}-like
 * step) {111} (the nearer of the two directions). The outward normal of a site is the unit
 * sum of its missing-neighbour directions (the radial direction if they cancel).
 *
 * Facet areas: for the polyhedra the exact areas of the geometric facets (each facet polygon
 * clipped by all other planes, Sutherland-Hodgman); for a sphere 4 pi R^2 shared between the
 * families in proportion to their surface Pb times the area per surface Pb of that family
 * (a^2/2 on {100}, sqrt3 a^2/4 on {111}).
 *
 * Neutrality (q_Pb = +1.29, q_Se = -1.29, q_oleate = -0.645): N_oleate = 2 (N_Pb - N_Se).
 * After the ligands are placed, surface Pb without a ligand (too Pb-rich) or surface Se (too
 * Se-rich) are removed, lowest coordination first (corners, edges, then facets; ties broken
 * by a seeded random key), never leaving a neighbour with fewer than two neighbours. */
#include "build/builder.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define Q_PB 1.29    /* e, potentials/pbse_lj_q129.ff */
#define Q_SE (-1.29)
#define M_PB 207.2   /* amu, potentials/pbse_lj_q129.ff */
#define M_SE 78.971

static const int S111[8][3] = {{1, 1, 1}, {1, 1, -1}, {1, -1, 1}, {1, -1, -1}, {-1, 1, 1}, {-1, 1, -1}, {-1, -1, 1}, {-1, -1, -1}};
static const int NB[6][3] = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};

static int mod2(int x) { return ((x % 2) + 2) % 2; }

static int lat_index(int N, const int u[3])
{
    int idx = 0;
    for (int d = 0; d < 3; d++) {
        int t = u[d] + N - 1;
        if (t < 0 || t > 2 * (N - 1) || (t & 1)) return -1;
        idx = idx * N + t / 2;
    }
    return idx;
}

static int is_pb(int N, const int u[3])
{
    int s = 0;
    for (int d = 0; d < 3; d++) s += (u[d] + N - 1) / 2;
    return (s & 1) == 0;
}

/* Area of the polygon {x : n.x = off} clipped by the half spaces np[j].x <= op[j] (j != self). */
static double clipped_area(const double n[3], double off, const double (*np)[3], const double *op, int nplane, int self)
{
    enum { MAXV = 64 };
    double poly[MAXV][3], tmp[MAXV][3], e1[3], e2[3];
    int nv = 4;
    v_perp_basis(n, e1, e2);
    const double big = 1e5;
    for (int v = 0; v < 4; v++) {
        double s1 = (v == 0 || v == 3) ? -big : big, s2 = (v < 2) ? -big : big;
        for (int d = 0; d < 3; d++) poly[v][d] = n[d] * off + s1 * e1[d] + s2 * e2[d];
    }
    for (int j = 0; j < nplane && nv > 0; j++) {
        if (j == self) continue;
        int m = 0;
        for (int v = 0; v < nv; v++) {
            const double *P = poly[v], *Q = poly[(v + 1) % nv];
            double fp = v_dot(np[j], P) - op[j], fq = v_dot(np[j], Q) - op[j];
            if (fp <= 0 && m < MAXV) memcpy(tmp[m++], P, sizeof tmp[0]);
            if ((fp < 0 && fq > 0) || (fp > 0 && fq < 0)) {
                double t = fp / (fp - fq);
                if (m < MAXV)
                    for (int d = 0; d < 3; d++) tmp[m][d] = P[d] + t * (Q[d] - P[d]);
                m++;
            }
        }
        nv = m < MAXV ? m : MAXV;
        memcpy(poly, tmp, sizeof(double) * 3 * (size_t)nv);
    }
    if (nv < 3) return 0.0;
    double acc[3] = {0, 0, 0};
    for (int v = 0; v < nv; v++) {
        double c[3];
        v_cross(poly[v], poly[(v + 1) % nv], c);
        for (int d = 0; d < 3; d++) acc[d] += c[d];
    }
    return 0.5 * fabs(v_dot(acc, n));
}

static int fam_by_direction(const int m[3], const int u[3])
{
    int nz = (m[0] != 0) + (m[1] != 0) + (m[2] != 0);
    if (nz == 1) return FAM_100;
    if (nz >= 2) return FAM_111;
    double au = fabs((double)u[0]) + fabs((double)u[1]) + fabs((double)u[2]);
    double mx = fmax(fabs((double)u[0]), fmax(fabs((double)u[1]), fabs((double)u[2])));
    double nu = sqrt((double)u[0] * u[0] + (double)u[1] * u[1] + (double)u[2] * u[2]);
    if (nu == 0) return FAM_100;
    return mx / nu >= au / (sqrt(3.0) * nu) ? FAM_100 : FAM_111;
}

static void core_neighbours(NCCore *c)
{
    for (int k = 0; k < c->nsite; k++) {
        c->cn[k] = 0;
        c->miss[k][0] = c->miss[k][1] = c->miss[k][2] = 0;
        for (int b = 0; b < 6; b++) {
            int v[3];
            for (int d = 0; d < 3; d++) v[d] = c->u[k][d] + 2 * NB[b][d];
            int li = lat_index(c->N, v);
            if (li >= 0 && c->occ[li] >= 0) c->cn[k]++;
            else for (int d = 0; d < 3; d++) c->miss[k][d] += NB[b][d];
        }
    }
}

NCCore *nc_core_create(const BuildOpts *o)
{
    NCCore *c = build_alloc(1, sizeof *c);
    int N = o->layers;
    c->N = N;
    c->a = o->a;
    c->shape = o->shape;
    long ntot = (long)N * N * N;
    c->occ = build_alloc((size_t)ntot, sizeof *c->occ);
    for (long i = 0; i < ntot; i++) c->occ[i] = -1;
    const double r3 = sqrt(3.0), a = o->a;
    if (c->shape == SHAPE_OCTA) {
        double D = o->d111 > 0 ? o->d111 : N * a / 4.0;
        double bound = 4.0 * r3 * D / a - 1.0 + 1e-9;
        for (int f = 0; f < 8; f++) {
            int m = (int)floor(bound);
            while (mod2(m - (N - 1))) m--;
            int ss = S111[f][0] + S111[f][1] + S111[f][2];
            while (mod2((m + (N - 1) * ss) / 2)) m -= 2; /* Se layer outermost: cut it */
            c->M111[f] = m;
            c->d111[f] = (m + 1) * a / (4.0 * r3);
        }
    }
    /* cut */
    int (*u)[3] = build_alloc((size_t)ntot, sizeof *u);
    int ns = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            for (int k = 0; k < N; k++) {
                int v[3] = {2 * i - (N - 1), 2 * j - (N - 1), 2 * k - (N - 1)};
                int keep = 1;
                if (c->shape == SHAPE_OCTA) {
                    for (int f = 0; f < 8 && keep; f++)
                        keep = S111[f][0] * v[0] + S111[f][1] * v[1] + S111[f][2] * v[2] <= c->M111[f];
                } else if (c->shape == SHAPE_SPHERE) {
                    keep = (double)v[0] * v[0] + (double)v[1] * v[1] + (double)v[2] * v[2] <= (N - 0.5) * (N - 0.5) + 1e-9;
                }
                if (keep) memcpy(u[ns++], v, sizeof v);
            }
    c->u = u;
    c->nsite = ns;
    c->pb = build_alloc((size_t)ns + 1, 1);
    c->cn = build_alloc((size_t)ns + 1, sizeof *c->cn);
    c->miss = build_alloc((size_t)ns + 1, sizeof *c->miss);
    c->fam = build_alloc((size_t)ns + 1, 1);
    for (int k = 0; k < ns; k++) c->occ[lat_index(N, u[k])] = k;
    /* remove atoms with fewer than two neighbours, until none is left */
    for (;;) {
        core_neighbours(c);
        int m = 0, removed = 0;
        for (int k = 0; k < c->nsite; k++) {
            if (c->cn[k] <= 1) { removed++; continue; }
            memmove(c->u[m++], c->u[k], sizeof c->u[0]);
        }
        if (!removed) break;
        c->nsite = m;
        for (long i = 0; i < ntot; i++) c->occ[i] = -1;
        for (int k = 0; k < m; k++) c->occ[lat_index(N, c->u[k])] = k;
    }
    if (c->nsite == 0) build_die("the nanocrystal is empty: --layers %d with --d111 %g A leaves no atom", N, o->d111);
    /* species, radius */
    c->npb = c->nse = 0;
    c->radius = 0;
    for (int k = 0; k < c->nsite; k++) {
        c->pb[k] = (unsigned char)is_pb(N, c->u[k]);
        if (c->pb[k]) c->npb++; else c->nse++;
        double r = sqrt((double)c->u[k][0] * c->u[k][0] + (double)c->u[k][1] * c->u[k][1] + (double)c->u[k][2] * c->u[k][2]) * a / 4.0;
        if (r > c->radius) c->radius = r;
    }
    /* facet areas */
    double h = N * a / 4.0;
    if (c->shape == SHAPE_CUBE) {
        c->area[FAM_100] = 6.0 * (2 * h) * (2 * h);
        c->area[FAM_111] = 0.0;
    } else if (c->shape == SHAPE_OCTA) {
        double np[14][3], op[14];
        for (int p = 0; p < 6; p++) {
            for (int d = 0; d < 3; d++) np[p][d] = NB[p][d];
            op[p] = h;
        }
        for (int f = 0; f < 8; f++) {
            for (int d = 0; d < 3; d++) np[6 + f][d] = S111[f][d] / r3;
            op[6 + f] = c->d111[f];
        }
        c->area[FAM_100] = c->area[FAM_111] = 0;
        for (int p = 0; p < 14; p++) c->area[p < 6 ? FAM_100 : FAM_111] += clipped_area(np[p], op[p], (const double (*)[3])np, op, 14, p);
    }
    /* families */
    for (int k = 0; k < c->nsite; k++) {
        c->fam[k] = -1;
        if (c->cn[k] >= 6) continue;
        int f = -1;
        if (c->shape == SHAPE_CUBE) f = FAM_100;
        else if (c->shape == SHAPE_OCTA) {
            for (int q = 0; q < 8 && f < 0; q++)
                if (c->pb[k] && S111[q][0] * c->u[k][0] + S111[q][1] * c->u[k][1] + S111[q][2] * c->u[k][2] == c->M111[q]) f = FAM_111;
            for (int d = 0; d < 3 && f < 0; d++)
                if (abs(c->u[k][d]) == N - 1) f = FAM_100;
            if (f < 0) f = fam_by_direction(c->miss[k], c->u[k]);
            if (c->area[f] <= 0) f = 1 - f; /* a family without facets (pure octahedron / cube-like cut) */
        } else {
            f = fam_by_direction(c->miss[k], c->u[k]);
        }
        c->fam[k] = (signed char)f;
        if (c->pb[k]) c->nsurf_pb[f]++;
    }
    if (c->shape == SHAPE_SPHERE) {
        double R = h, tot = 4.0 * M_PI * R * R;
        double w100 = c->nsurf_pb[FAM_100] * a * a / 2.0, w111 = c->nsurf_pb[FAM_111] * r3 * a * a / 4.0;
        double w = w100 + w111;
        c->area[FAM_100] = w > 0 ? tot * w100 / w : 0;
        c->area[FAM_111] = w > 0 ? tot * w111 / w : 0;
    }
    return c;
}

void nc_core_destroy(NCCore **pc)
{
    NCCore *c = *pc;
    if (!c) return;
    free(c->u); free(c->pb); free(c->cn); free(c->miss); free(c->fam); free(c->occ);
    free(c);
    *pc = NULL;
}

void nc_euler(const double e[3], double R[3][3])
{
    double z[3] = {0, 0, 1}, x[3] = {1, 0, 0}, A[3][3], B[3][3], C[3][3];
    m_axis_angle(z, e[0] * M_PI / 180.0, A);
    m_axis_angle(x, e[1] * M_PI / 180.0, B);
    m_axis_angle(z, e[2] * M_PI / 180.0, C);
    m_mul(A, B, R);
    m_mul(R, C, R);
}

void nc_site_pos(const NCInst *in, int k, double x[3])
{
    const NCCore *c = in->core;
    double v[3] = {c->u[k][0] * c->a / 4.0, c->u[k][1] * c->a / 4.0, c->u[k][2] * c->a / 4.0};
    m_vec(in->R, v, x);
    for (int d = 0; d < 3; d++) x[d] += in->centre[d];
}

void nc_site_normal(const NCInst *in, int k, double n[3])
{
    const NCCore *c = in->core;
    double v[3] = {c->miss[k][0], c->miss[k][1], c->miss[k][2]};
    if (v_norm(v) == 0) { v[0] = c->u[k][0]; v[1] = c->u[k][1]; v[2] = c->u[k][2]; }
    if (v_norm(v) == 0) v[2] = 1;
    v_unit(v);
    m_vec(in->R, v, n);
}

NCInst *nc_inst_create(const NCCore *c, BSys *s, Grid *g, int id, long mol, const double R[3][3], const double centre[3])
{
    NCInst *in = build_alloc(1, sizeof *in);
    in->core = c;
    in->id = id;
    memcpy(in->R, R, sizeof in->R);
    memcpy(in->centre, centre, sizeof in->centre);
    in->atom = build_alloc((size_t)c->nsite, sizeof *in->atom);
    in->cn = build_alloc((size_t)c->nsite, sizeof *in->cn);
    in->anchored = build_alloc((size_t)c->nsite, 1);
    int tpb = bsys_type(s, "Pb", M_PB), tse = bsys_type(s, "Se", M_SE);
    for (int k = 0; k < c->nsite; k++) {
        double x[3];
        nc_site_pos(in, k, x);
        in->atom[k] = bsys_add_atom(s, c->pb[k] ? tpb : tse, c->pb[k] ? Q_PB : Q_SE, x, mol, id, ROLE_CORE);
        in->cn[k] = c->cn[k];
        if (g) grid_add(g, s, in->atom[k]);
    }
    return in;
}

void nc_inst_destroy(NCInst **p)
{
    NCInst *in = *p;
    if (!in) return;
    free(in->atom); free(in->cn); free(in->anchored);
    free(in);
    *p = NULL;
}

void nc_counts(const NCInst *in, const BSys *s, int *npb, int *nse)
{
    *npb = *nse = 0;
    for (int k = 0; k < in->core->nsite; k++) {
        if (s->dead[in->atom[k]]) continue;
        if (in->core->pb[k]) (*npb)++; else (*nse)++;
    }
}

void nc_extent(const NCInst *in, int d, double *lo, double *hi)
{
    *lo = 1e30; *hi = -1e30;
    for (int k = 0; k < in->core->nsite; k++) {
        double x[3];
        nc_site_pos(in, k, x);
        double v = x[d] - in->centre[d];
        if (v < *lo) *lo = v;
        if (v > *hi) *hi = v;
    }
}

/* Neighbour site of k in direction b, or -1. */
static int nb_site(const NCCore *c, int k, int b)
{
    int v[3];
    for (int d = 0; d < 3; d++) v[d] = c->u[k][d] + 2 * NB[b][d];
    int li = lat_index(c->N, v);
    return li >= 0 ? c->occ[li] : -1;
}

void nc_neutralize(NCInst *in, BSys *s, int target, unsigned long long seed)
{
    const NCCore *c = in->core;
    int npb, nse;
    nc_counts(in, s, &npb, &nse);
    int excess = npb - nse;
    if (excess == target) return;
    int want_pb = excess > target; /* remove Pb (too Pb-rich) or Se */
    int nremove = abs(excess - target);
    BRng rng;
    brng_init(&rng, seed, 7000 + (uint64_t)in->id);
    double *key = build_alloc((size_t)c->nsite, sizeof *key);
    for (int k = 0; k < c->nsite; k++) key[k] = brng_uniform(&rng);
    for (int r = 0; r < nremove; r++) {
        int best = -1;
        for (int k = 0; k < c->nsite; k++) {
            if (s->dead[in->atom[k]] || c->pb[k] != want_pb || in->anchored[k] || in->cn[k] >= 6) continue;
            if (best >= 0 && (in->cn[k] > in->cn[best] || (in->cn[k] == in->cn[best] && key[k] <= key[best]))) continue;
            /* never leave a neighbour with fewer than two neighbours */
            int ok = 1;
            for (int b = 0; b < 6 && ok; b++) {
                int j = nb_site(c, k, b);
                if (j >= 0 && !s->dead[in->atom[j]] && in->cn[j] <= 2) ok = 0;
            }
            if (ok) best = k;
        }
        if (best < 0)
            build_die("NC %d: cannot reach neutrality: %d more surface %s would have to go (N_Pb - N_Se = %d, needed %d = N_oleate/2); change the coverage",
                      in->id, nremove - r, want_pb ? "Pb without ligand" : "Se", excess, target);
        s->dead[in->atom[best]] = 1;
        for (int b = 0; b < 6; b++) {
            int j = nb_site(c, best, b);
            if (j >= 0) in->cn[j]--;
        }
        if (want_pb) in->removed_pb++; else in->removed_se++;
    }
    free(key);
}
