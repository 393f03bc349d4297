/* solvent.c - fill the periodic box with solvent molecules at a target density.
 *
 * Free volume: the box on a grid of ~1 A voxels; a voxel is excluded when its centre lies
 * within 2.2 A of a core (PbSe) atom or 2.5 A of any other solute atom (ligands, gap atoms
 * 2.2). 2.2 A closes the rock-salt interstices (the largest site-free sphere in the a/2 grid
 * has radius sqrt3 a/4 = 2.65 A but its openings 2.16 A), so after the marking the interior of
 * an NC is a set of small enclosed pockets: connected free regions (6-connected, periodic)
 * smaller than 150 A^3 (about 1.5 solvent molecules) are counted as excluded too. The excluded
 * layer then ends roughly where a solvent atom's centre can come (0.4-2.5 A above the
 * outermost atomic plane, against ~1.5 A for the geometric surface), so the solvent density
 * over the free volume is close to the liquid's; 2.5 A around ligand sites gives ~25 A^3 per
 * CH2 unit (liquid alkanes: 27 A^3).
 *
 * Count: N = round(rho V_free N_A / M). Packing (the builder's own; see docs/build.md for
 * packmol): (1) candidate centres on a cubic lattice of spacing 0.9 (V_free/N)^(1/3) in free
 * voxels, in a seeded random order, each with up to 8 random orientations and a random shift
 * of up to +-0.3 spacing; (2) random free voxels (a bounded number of trials); a molecule is
 * accepted in (1)-(2) when none of its atoms comes closer than --solvent-rmin (default 2.3 A)
 * to any atom (minimum image). This random sequential addition jams at ~92 % of the liquid
 * density, so (3) the remaining molecules are inserted at the least-overlapping of 20 random
 * poses and (4) the overlaps are relaxed, as packmol does with its objective function but by
 * rigid-body moves: each solvent molecule with a contact below rmin tries up to 6 random
 * moves (shift up to 0.4 A, turn up to 12 deg; one in three ten times larger) and keeps the
 * first that lowers its penalty sum_(pairs) (rmin^2 - d^2)^2, sweep after sweep (the list of
 * overlapping molecules kept exact through the partners of each moved molecule) until no
 * contact is left or 400 sweeps; (5) molecules still in contact are removed, worst first.
 * The lattice start melts in the first picoseconds. */
#include "build/builder.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AVOGADRO 6.02214076e23
#define VOX 1.0
#define POCKET_MAX 150.0

typedef struct Vox {
    int n[3];
    double h[3];
    unsigned char *excl;   /* 1 excluded by the solute, 2 enclosed pocket */
    long nfree;
} Vox;

static long vidx(const Vox *v, int i, int j, int k) { return ((long)i * v->n[1] + j) * v->n[2] + k; }

static void vox_build(const BSys *s, Vox *v)
{
    long nv = 1;
    for (int d = 0; d < 3; d++) {
        v->n[d] = (int)ceil(s->box[d] / VOX);
        if (v->n[d] < 1) v->n[d] = 1;
        v->h[d] = s->box[d] / v->n[d];
        nv *= v->n[d];
    }
    v->excl = build_alloc((size_t)nv, 1);
    for (long i = 0; i < s->n; i++) {
        if (s->dead[i] || s->role[i] == ROLE_SOLVENT) continue;
        double r = s->role[i] == ROLE_LIGAND ? 2.5 : 2.2, r2 = r * r;
        int lo[3], hi[3];
        for (int d = 0; d < 3; d++) {
            lo[d] = (int)floor((s->x[i][d] - r) / v->h[d] - 0.5);
            hi[d] = (int)ceil((s->x[i][d] + r) / v->h[d] - 0.5);
        }
        for (int a = lo[0]; a <= hi[0]; a++) {
            double dx = (a + 0.5) * v->h[0] - s->x[i][0];
            if (dx * dx > r2) continue;
            int ia = ((a % v->n[0]) + v->n[0]) % v->n[0];
            for (int b = lo[1]; b <= hi[1]; b++) {
                double dy = (b + 0.5) * v->h[1] - s->x[i][1];
                if (dx * dx + dy * dy > r2) continue;
                int ib = ((b % v->n[1]) + v->n[1]) % v->n[1];
                for (int c = lo[2]; c <= hi[2]; c++) {
                    double dz = (c + 0.5) * v->h[2] - s->x[i][2];
                    if (dx * dx + dy * dy + dz * dz > r2) continue;
                    int ic = ((c % v->n[2]) + v->n[2]) % v->n[2];
                    v->excl[vidx(v, ia, ib, ic)] = 1;
                }
            }
        }
    }
    /* enclosed pockets: connected free regions smaller than POCKET_MAX. A breadth-first
     * search from each unclassified free voxel stops as soon as its region exceeds the cap or
     * meets a voxel already known to be in a large region; every voxel it visited is then
     * classified (pocket: 2, large free region: 3), so each voxel is visited O(1) times and
     * the memory is one byte per voxel plus a queue of at most cap voxels. */
    double vvox = v->h[0] * v->h[1] * v->h[2];
    long cap = (long)ceil(POCKET_MAX / vvox) + 1;
    long *queue = build_alloc((size_t)cap + 8, sizeof *queue);
    static const int nb[6][3] = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
    enum { FREE = 0, SOLUTE = 1, POCKET = 2, OPEN = 3, SEEN = 4 };
    v->nfree = 0;
    for (long start = 0; start < nv; start++) {
        if (v->excl[start] != FREE) continue;
        long qh = 0, qt = 0;
        int big = 0;
        queue[qt++] = start;
        v->excl[start] = SEEN;
        while (qh < qt && !big) {
            long c = queue[qh++];
            int k = (int)(c % v->n[2]), j = (int)((c / v->n[2]) % v->n[1]), i = (int)(c / ((long)v->n[1] * v->n[2]));
            for (int q = 0; q < 6 && !big; q++) {
                int a = (i + nb[q][0] + v->n[0]) % v->n[0], b = (j + nb[q][1] + v->n[1]) % v->n[1], e = (k + nb[q][2] + v->n[2]) % v->n[2];
                long o = vidx(v, a, b, e);
                if (v->excl[o] == OPEN) big = 1;
                else if (v->excl[o] == FREE) {
                    if (qt >= cap) big = 1;
                    else { v->excl[o] = SEEN; queue[qt++] = o; }
                }
            }
        }
        for (long q = 0; q < qt; q++) v->excl[queue[q]] = big ? OPEN : POCKET;
    }
    for (long q = 0; q < nv; q++) {
        if (v->excl[q] == OPEN) { v->excl[q] = 0; v->nfree++; }
        else if (v->excl[q] == POCKET) v->excl[q] = 2;
    }
    free(queue);
}

/* A uniformly random point of the free volume (rejection on the voxel grid). */
static void random_free_point(const Vox *v, BRng *rng, double c[3])
{
    for (int t = 0; t < 100000; t++) {
        double u[3] = {brng_uniform(rng), brng_uniform(rng), brng_uniform(rng)};
        int i = (int)(u[0] * v->n[0]), j = (int)(u[1] * v->n[1]), k = (int)(u[2] * v->n[2]);
        if (i >= v->n[0] || j >= v->n[1] || k >= v->n[2] || v->excl[vidx(v, i, j, k)]) continue;
        c[0] = u[0] * v->n[0] * v->h[0]; c[1] = u[1] * v->n[1] * v->h[1]; c[2] = u[2] * v->n[2] * v->h[2];
        return;
    }
    build_die("solvent: no free space found in the box");
}

double solvent_free_volume(const BSys *s, double *vexcl)
{
    Vox v;
    vox_build(s, &v);
    double vvox = v.h[0] * v.h[1] * v.h[2], vbox = s->box[0] * s->box[1] * s->box[2];
    free(v.excl);
    if (vexcl) *vexcl = vbox - v.nfree * vvox;
    return v.nfree * vvox;
}

/* Try the template at centre c with rotation R; on success add it. */
static int try_insert(BSys *s, Grid *g, const MolTemplate *m, const double (*body)[3], const int *tmap, const int *shift,
                      const double c[3], const double R[3][3], double rmin, double (*x)[3])
{
    for (int i = 0; i < m->natoms; i++) {
        m_vec(R, body[i], x[i]);
        for (int d = 0; d < 3; d++) x[i][d] += c[d];
        if (grid_clash(g, s, x[i], rmin, -1)) return 0;
    }
    long first = bsys_add_molecule(s, m, tmap, shift, (const double (*)[3])x, ++s->nmol, 0, ROLE_SOLVENT);
    for (int i = 0; i < m->natoms; i++) grid_add(g, s, first + i);
    return 1;
}

/* Overlap penalty of one molecule (atoms x, molecule id mol) against everything else;
 * partners (solvent molecules of this fill, index >= 0) are flagged in mark[]. */
typedef struct PenCtx { const BSys *s; long mol; double r2; double pen; long first0; int nat; unsigned char *mark; } PenCtx;

static void pen_cb(long j, double d2, void *v)
{
    PenCtx *c = v;
    if (c->s->mol[j] == c->mol) return;
    double t = c->r2 - d2;
    c->pen += t * t;
    if (c->mark && j >= c->first0 && c->s->role[j] == ROLE_SOLVENT) c->mark[(j - c->first0) / c->nat] = 1;
}

static double mol_penalty(const Grid *g, const BSys *s, const double (*x)[3], int nat, long mol, double rmin, long first0, unsigned char *mark)
{
    PenCtx c = {s, mol, rmin * rmin, 0.0, first0, nat, mark};
    for (int i = 0; i < nat; i++) grid_visit(g, s, x[i], rmin, pen_cb, &c);
    return c.pen;
}

/* Put atoms first..first+nat-1 at x (grid kept current). */
static void mol_move(Grid *g, BSys *s, long first, int nat, const double (*x)[3])
{
    for (int i = 0; i < nat; i++) {
        grid_remove(g, s, first + i);
        memcpy(s->x[first + i], x[i], sizeof s->x[0]);
        grid_add(g, s, first + i);
    }
}

static void random_pose(const double (*body)[3], int nat, const double c[3], BRng *rng, double (*x)[3])
{
    double R[3][3];
    brng_rotation(rng, R);
    for (int i = 0; i < nat; i++) {
        m_vec(R, body[i], x[i]);
        for (int d = 0; d < 3; d++) x[i][d] += c[d];
    }
}

/* Steps (3)-(5): insert nmiss more molecules at least overlap, relax, remove what still
 * overlaps. Returns the number of molecules of this fill that remain. */
static long relax_fill(BSys *s, Grid *g, const MolTemplate *m, const int *tmap, const int *shift, const double (*body)[3],
                       const Vox *v, long first0, long nplaced, long nmiss, double rmin, BRng *rng,
                       long *trials)
{
    int nat = m->natoms;
    double (*x)[3] = build_alloc((size_t)nat, sizeof *x), (*best)[3] = build_alloc((size_t)nat, sizeof *best);
    for (long q = 0; q < nmiss; q++) {
        double bp = 1e300;
        for (int t = 0; t < 20; t++) {
            double c[3];
            random_free_point(v, rng, c);
            random_pose(body, nat, c, rng, x);
            double p = mol_penalty(g, s, (const double (*)[3])x, nat, -1, rmin, first0, NULL);
            if (p < bp) { bp = p; memcpy(best, x, sizeof(double) * 3 * (size_t)nat); }
        }
        long first = bsys_add_molecule(s, m, tmap, shift, (const double (*)[3])best, ++s->nmol, 0, ROLE_SOLVENT);
        for (int i = 0; i < nat; i++) grid_add(g, s, first + i);
    }
    long nm = nplaced + nmiss;
    unsigned char *list = build_alloc((size_t)nm, 1), *next = build_alloc((size_t)nm, 1);
    double *pen = build_alloc((size_t)nm, sizeof *pen);
    for (long q = 0; q < nm; q++) {
        long f = first0 + q * nat;
        pen[q] = mol_penalty(g, s, (const double (*)[3])(s->x + f), nat, s->mol[f], rmin, first0, NULL);
        list[q] = pen[q] > 0;
    }
    for (int sweep = 0; sweep < 400; sweep++) {
        long nlist = 0;
        for (long q = 0; q < nm; q++) nlist += list[q];
        if (!nlist) break;
        memset(next, 0, (size_t)nm);
        for (long q = 0; q < nm; q++) {
            if (!list[q]) continue;
            long f = first0 + q * nat, mol = s->mol[f];
            double p0 = mol_penalty(g, s, (const double (*)[3])(s->x + f), nat, mol, rmin, first0, NULL);
            if (p0 > 0) {
                double cen[3] = {0, 0, 0};
                for (int i = 0; i < nat; i++)
                    for (int d = 0; d < 3; d++) cen[d] += s->x[f + i][d] / nat;
                for (int t = 0; t < 6; t++) {
                    double big = brng_uniform(rng) < 1.0 / 3.0 ? 10.0 : 1.0;
                    double ax[3] = {brng_normal(rng), brng_normal(rng), brng_normal(rng)}, R[3][3], dx[3];
                    v_unit(ax);
                    m_axis_angle(ax, big * (12.0 * M_PI / 180.0) * (2 * brng_uniform(rng) - 1), R);
                    for (int d = 0; d < 3; d++) dx[d] = big * 0.4 * (2 * brng_uniform(rng) - 1);
                    for (int i = 0; i < nat; i++) {
                        double r[3] = {s->x[f + i][0] - cen[0], s->x[f + i][1] - cen[1], s->x[f + i][2] - cen[2]};
                        m_vec(R, r, r);
                        for (int d = 0; d < 3; d++) x[i][d] = cen[d] + dx[d] + r[d];
                    }
                    (*trials)++;
                    double p1 = mol_penalty(g, s, (const double (*)[3])x, nat, mol, rmin, first0, NULL);
                    if (p1 < p0) {
                        mol_move(g, s, f, nat, (const double (*)[3])x);
                        p0 = p1;
                        break;
                    }
                }
            }
            /* this molecule's partners and itself go on the next list */
            p0 = mol_penalty(g, s, (const double (*)[3])(s->x + f), nat, mol, rmin, first0, next);
            pen[q] = p0;
            if (p0 > 0) next[q] = 1;
        }
        memcpy(list, next, (size_t)nm);
    }
    /* remove what still overlaps, worst first */
    long kept = nm;
    for (;;) {
        long worst = -1;
        for (long q = 0; q < nm; q++) {
            if (!list[q]) continue;
            long f = first0 + q * nat;
            pen[q] = mol_penalty(g, s, (const double (*)[3])(s->x + f), nat, s->mol[f], rmin, first0, NULL);
            if (pen[q] <= 0) { list[q] = 0; continue; }
            if (worst < 0 || pen[q] > pen[worst]) worst = q;
        }
        if (worst < 0) break;
        long f = first0 + worst * nat;
        for (int i = 0; i < nat; i++) { grid_remove(g, s, f + i); s->dead[f + i] = 1; }
        list[worst] = 0;
        kept--;
    }
    free(x); free(best); free(list); free(next); free(pen);
    return kept;
}

void solvent_fill(BSys *s, const MolTemplate *m, const BuildOpts *o, SolventReport *rep)
{
    memset(rep, 0, sizeof *rep);
    int tmap[BUILD_MAXTYPES], shift[BK_COUNT];
    bsys_register_template(s, m, tmap, shift);
    Vox v;
    vox_build(s, &v);
    double vvox = v.h[0] * v.h[1] * v.h[2];
    rep->vbox = s->box[0] * s->box[1] * s->box[2];
    rep->vfree = v.nfree * vvox;
    rep->vexcl = rep->vbox - rep->vfree;
    rep->target = o->density;
    rep->ntarget = lround(o->density * rep->vfree * 1e-24 * AVOGADRO / m->mass);
    /* molecule body frame: centred on the centroid */
    double cen[3], (*body)[3] = build_alloc((size_t)m->natoms, sizeof *body), (*x)[3] = build_alloc((size_t)m->natoms, sizeof *x);
    moltemplate_centroid(m, cen);
    for (int i = 0; i < m->natoms; i++)
        for (int d = 0; d < 3; d++) body[i][d] = m->x[i][d] - cen[d];
    Grid *g = grid_create(NULL, s->box, fmax(o->solv_rmin, 2.4), 1);
    for (long i = 0; i < s->n; i++)
        if (!s->dead[i]) grid_add(g, s, i);
    BRng rng;
    brng_init(&rng, o->seed, 99);
    long placed = 0, trials = 0, first0 = s->n;
    if (rep->ntarget > 0) {
        double sp = 0.9 * cbrt(rep->vfree / rep->ntarget);
        int nl[3];
        long ncand = 1;
        for (int d = 0; d < 3; d++) { nl[d] = (int)floor(s->box[d] / sp); if (nl[d] < 1) nl[d] = 1; ncand *= nl[d]; }
        long *cand = build_alloc((size_t)ncand, sizeof *cand);
        long nc = 0;
        for (long q = 0; q < ncand; q++) {
            int k = (int)(q % nl[2]), j = (int)((q / nl[2]) % nl[1]), i = (int)(q / ((long)nl[1] * nl[2]));
            double p[3] = {(i + 0.5) * s->box[0] / nl[0], (j + 0.5) * s->box[1] / nl[1], (k + 0.5) * s->box[2] / nl[2]};
            int vi = (int)(p[0] / v.h[0]), vj = (int)(p[1] / v.h[1]), vk = (int)(p[2] / v.h[2]);
            if (vi >= v.n[0]) vi = v.n[0] - 1;
            if (vj >= v.n[1]) vj = v.n[1] - 1;
            if (vk >= v.n[2]) vk = v.n[2] - 1;
            if (!v.excl[vidx(&v, vi, vj, vk)]) cand[nc++] = q;
        }
        for (long q = nc - 1; q > 0; q--) { /* Fisher-Yates */
            long r = (long)(brng_uniform(&rng) * (q + 1));
            long t = cand[q]; cand[q] = cand[r]; cand[r] = t;
        }
        for (long qi = 0; qi < nc && placed < rep->ntarget; qi++) {
            long q = cand[qi];
            int k = (int)(q % nl[2]), j = (int)((q / nl[2]) % nl[1]), i = (int)(q / ((long)nl[1] * nl[2]));
            for (int t = 0; t < 8; t++) {
                double c[3] = {(i + 0.5 + 0.6 * (brng_uniform(&rng) - 0.5)) * s->box[0] / nl[0],
                               (j + 0.5 + 0.6 * (brng_uniform(&rng) - 0.5)) * s->box[1] / nl[1],
                               (k + 0.5 + 0.6 * (brng_uniform(&rng) - 0.5)) * s->box[2] / nl[2]};
                double R[3][3];
                brng_rotation(&rng, R);
                trials++;
                if (try_insert(s, g, m, (const double (*)[3])body, tmap, shift, c, R, o->solv_rmin, x)) { placed++; break; }
            }
        }
        free(cand);
        /* random free points: a bounded number of plain insertions, then relaxation */
        long budget = 30 * (rep->ntarget - placed) + 20000;
        for (long t = 0; t < budget && placed < rep->ntarget; t++) {
            double c[3], R[3][3];
            random_free_point(&v, &rng, c);
            brng_rotation(&rng, R);
            trials++;
            if (try_insert(s, g, m, (const double (*)[3])body, tmap, shift, c, R, o->solv_rmin, x)) placed++;
        }
        if (placed < rep->ntarget)
            placed = relax_fill(s, g, m, tmap, shift, (const double (*)[3])body, &v, first0, placed, rep->ntarget - placed, o->solv_rmin, &rng, &trials);
    }
    rep->nmol = placed;
    rep->trials = trials;
    rep->density = rep->vfree > 0 ? placed * m->mass / (AVOGADRO * rep->vfree * 1e-24) : 0;
    grid_destroy(&g);
    free(body); free(x); free(v.excl);
}
