/* kspace_ewald.c - the reciprocal-space part of the standard Ewald sum (orthogonal box).
 *
 * Physics. The Coulomb energy of N point charges in a periodic box is split with the Ewald
 * parameter g (1/A) into a short-range part, sum erfc(g r)/r (done by the pair styles), and
 * a smooth long-range part computed here in reciprocal space:
 *
 *   E_k = qqr2e * [ (2 pi / V) sum_{k != 0} exp(-k^2/(4 g^2)) / k^2 |S(k)|^2
 *                   - g/sqrt(pi) sum_i q_i^2 - pi Q^2 / (2 g^2 V) ],
 *   S(k) = sum_i q_i exp(i k.r_i),   k = 2 pi (kx/Lx, ky/Ly, kz/Lz),
 *
 * (Ewald, Ann. Phys. 369, 253 (1921); the last two terms are the self energy and the
 * neutralising-background term, zero for a neutral system, Q = sum q). Because
 * |S(-k)| = |S(k)| only half of the k vectors are stored (kx > 0, or kx = 0 and ky > 0, or
 * kx = ky = 0 and kz > 0) and each is counted twice: with u(k) = (4 pi/V) exp(-k^2/4g^2)/k^2
 *
 *   E_k = qqr2e [ sum_half u(k) |S(k)|^2 - self - background ],
 *   F_i = qqr2e q_i sum_half 2 u(k) k [ sin(k.r_i) Re S(k) - cos(k.r_i) Im S(k) ],
 *   W_ab = qqr2e sum_half u(k) |S(k)|^2 [ delta_ab - 2 (1/k^2 + 1/(4 g^2)) k_a k_b ]
 *
 * (virial tensor, components xx yy zz xy xz yz; its trace is -dE/d(eps) for a uniform
 * strain r -> (1+eps) r of box and positions).
 *
 * Algorithm. exp(i k.r_i) = product over dimensions of exp(i 2 pi m x_d / L_d); per atom
 * and dimension the tables cos/sin(m 2 pi x_d/L_d), m = 0..kmax, are built with the
 * angle-addition recurrence from m = 1 (one sin/cos per atom and dimension instead of one
 * per atom and k vector); negative m are complex conjugates. S(k) is summed over the
 * owned atoms of each rank and then over ranks (comm_sum_double); forces need only the
 * owned atoms. Cost O(N_k N) per call, so Ewald is the reference solver for small systems
 * and for tests; PPPM (kspace_pppm.c) is the production solver.
 *
 * Parameters, exactly as LAMMPS (29 Sep 2021) ewald.cpp chooses them so that runs compare:
 * absolute accuracy a = accuracy * qqr2e (force between two unit charges 1 A apart);
 * q2 = qqr2e sum q^2; unless given,
 *   g = a sqrt(N rc Lx Ly Lz) / (2 q2);  g = (1.35 - 0.15 ln a)/rc if g >= 1 else sqrt(-ln g)/rc;
 * per dimension the smallest kdmax >= 1 with rms(kdmax, L_d) <= a, where (Kolafa & Perram,
 * Mol. Simul. 9, 351 (1992))
 *   rms(m, L) = 2 q2 g / L sqrt(1/(pi m N)) exp(-pi^2 m^2 / (g^2 L^2));
 * gsqmx = 1.00001 max_d (2 pi kdmax/L_d)^2. Included: axis vectors (m,0,0) etc. with
 * 1 <= m <= kmax = max_d kdmax and k^2 <= gsqmx, and vectors with two or three non-zero
 * components with |k_d| <= kdmax and k^2 <= gsqmx. The reported accuracy combines
 * rms_k = sqrt(sum_d rms(kdmax,L_d)^2 / 3) with the real-space estimate
 * 2 q2 exp(-g^2 rc^2) / sqrt(N rc V) in quadrature.
 *
 * Box changes: the first init() fixes g (as LAMMPS init()); later init() calls (box
 * changed) keep g and redo kmax and the k vectors (as LAMMPS setup()); compute() does the
 * same by itself if it sees a box other than the one of the last init().
 *
 * OpenMP, race strategy: S(k) is computed with threads over k vectors (each k owns its
 * sum; the atom order inside a sum is fixed); forces with threads over blocks of atoms
 * (each thread owns its atoms' accumulators and runs over all k). No atomics, no
 * per-thread copies, and the result does not depend on the thread count. The O(N_k)
 * energy and virial sums are serial for the same reason.
 */
#include "kspace.h"
#include "comm.h"
#include "error.h"
#include "memory.h"
#include "units.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const KspaceStyle kspace_style_ewald; /* defined at the end of this file */

#define EWALD_GSQ_SLACK 1.00001 /* LAMMPS's widening of the k-sphere radius^2 */
#define EWALD_QSUM_SMALL 1.0e-5 /* e: net charge above this triggers a warning (as LAMMPS) */
#define EWALD_BLOCK 256         /* atoms per force block (fits the block's tables in L2) */

typedef struct Ewald {
    Kspace base;
    int g_fixed;           /* 1 once init() has fixed g_ewald */
    double accuracy_abs;   /* kcal/mol/A */
    double q2;             /* qqr2e * sum q^2, kcal*A/mol */
    double volume;         /* A^3 */
    double len[3];         /* box edges the k vectors were built for, A */
    double unitk[3];       /* 2 pi / L_d, 1/A */
    int kdmax[3];          /* largest k index per dimension for mixed vectors */
    int kmax;              /* max of kdmax: table length - 1, largest axis index */
    int kcount;            /* number of stored (half-space) k vectors */
    int kcap;              /* allocated k entries */
    int (*kv)[3];          /* integer k vectors, kx >= 0 */
    double *ug;            /* u(k) = 4 pi/V exp(-k^2/4g^2)/k^2, A^-1 (times qqr2e -> energy) */
    double (*eg)[3];       /* 2 u(k) k, A^-2 */
    double (*vg)[6];       /* delta_ab - 2 (1/k^2 + 1/4g^2) k_a k_b, dimensionless */
    double *sfac;          /* S(k): re, im interleaved, e (global after the sum) */
    int natom_cap;         /* per-atom table capacity (atoms) */
    int table_kmax;        /* kmax the tables were sized for */
    double *cs, *sn;       /* cos/sin tables, index ((d*(kmax+1))+m)*natom_cap + i */
} Ewald;

static double ewald_rms(int km, double prd, int64_t natoms, double q2, double g)
{
    if (natoms == 0) natoms = 1;
    return 2.0 * q2 * g / prd * sqrt(1.0 / (UNITS_PI * km * (double)natoms)) *
           exp(-UNITS_PI * UNITS_PI * km * km / (g * g * prd * prd));
}

static Kspace *ewald_create(const KspaceParams *p)
{
    Ewald *e = mem_alloc(sizeof *e, "ewald");
    e->base.style = &kspace_style_ewald;
    e->base.par = *p;
    return &e->base;
}

static void ewald_free_tables(Ewald *e)
{
    mem_free(e->cs);
    mem_free(e->sn);
    e->cs = e->sn = NULL;
    e->natom_cap = 0;
}

static void ewald_destroy(Kspace **k)
{
    if (!k || !*k) return;
    Ewald *e = (Ewald *)*k;
    mem_free(e->kv);
    mem_free(e->ug);
    mem_free(e->eg);
    mem_free(e->vg);
    mem_free(e->sfac);
    ewald_free_tables(e);
    mem_free(e);
    *k = NULL;
}

/* Append k vector (kx,ky,kz) if it is inside the sphere; k^2 in 1/A^2. */
static void ewald_add_k(Ewald *e, int kx, int ky, int kz)
{
    double k[3] = {e->unitk[0] * kx, e->unitk[1] * ky, e->unitk[2] * kz};
    double sqk = k[0] * k[0] + k[1] * k[1] + k[2] * k[2];
    double g = e->base.g_ewald;
    if (e->kcount == e->kcap) {
        int ncap = e->kcap ? 2 * e->kcap : 1024;
        mem_grow((void **)&e->kv, (size_t)e->kcap, (size_t)ncap, sizeof *e->kv, "ewald k vectors");
        mem_grow((void **)&e->ug, (size_t)e->kcap, (size_t)ncap, sizeof *e->ug, "ewald u(k)");
        mem_grow((void **)&e->eg, (size_t)e->kcap, (size_t)ncap, sizeof *e->eg, "ewald e(k)");
        mem_grow((void **)&e->vg, (size_t)e->kcap, (size_t)ncap, sizeof *e->vg, "ewald v(k)");
        e->kcap = ncap;
    }
    int n = e->kcount++;
    e->kv[n][0] = kx;
    e->kv[n][1] = ky;
    e->kv[n][2] = kz;
    double u = 4.0 * UNITS_PI / e->volume * exp(-0.25 * sqk / (g * g)) / sqk;
    e->ug[n] = u;
    for (int d = 0; d < 3; d++) e->eg[n][d] = 2.0 * u * k[d];
    double vterm = -2.0 * (1.0 / sqk + 0.25 / (g * g));
    e->vg[n][0] = 1.0 + vterm * k[0] * k[0];
    e->vg[n][1] = 1.0 + vterm * k[1] * k[1];
    e->vg[n][2] = 1.0 + vterm * k[2] * k[2];
    e->vg[n][3] = vterm * k[0] * k[1];
    e->vg[n][4] = vterm * k[0] * k[2];
    e->vg[n][5] = vterm * k[1] * k[2];
}

/* kmax per dimension, the k-sphere and the k-vector list for the current box and g. */
static void ewald_setup(Ewald *e, const KspaceSystem *s)
{
    const KspaceParams *p = &e->base.par;
    double g = e->base.g_ewald;
    e->volume = s->len[0] * s->len[1] * s->len[2];
    for (int d = 0; d < 3; d++) {
        e->len[d] = s->len[d];
        e->unitk[d] = 2.0 * UNITS_PI / s->len[d];
    }

    if (p->kmax[0] > 0 && p->kmax[1] > 0 && p->kmax[2] > 0) {
        for (int d = 0; d < 3; d++) e->kdmax[d] = p->kmax[d];
    } else {
        if (p->kmax[0] || p->kmax[1] || p->kmax[2])
            error_all(FLERR, "ewald: kmax must be given for all three dimensions (got %d %d %d)",
                      p->kmax[0], p->kmax[1], p->kmax[2]);
        if (e->accuracy_abs <= 0.0)
            error_all(FLERR, "ewald: accuracy must be > 0 to choose kmax (got %g)", p->accuracy);
        for (int d = 0; d < 3; d++) {
            int km = 1;
            while (ewald_rms(km, s->len[d], s->natoms, e->q2, g) > e->accuracy_abs) km++;
            e->kdmax[d] = km;
        }
    }
    e->kmax = e->kdmax[0];
    if (e->kdmax[1] > e->kmax) e->kmax = e->kdmax[1];
    if (e->kdmax[2] > e->kmax) e->kmax = e->kdmax[2];
    double gsqmx = 0.0;
    for (int d = 0; d < 3; d++) {
        double gd = e->unitk[d] * e->kdmax[d];
        if (gd * gd > gsqmx) gsqmx = gd * gd;
    }
    gsqmx *= EWALD_GSQ_SLACK;

    /* half space: kx > 0; kx = 0, ky > 0; kx = ky = 0, kz > 0 */
    e->kcount = 0;
    const int *km = e->kdmax;
    for (int kx = 0; kx <= e->kmax; kx++) {
        for (int ky = -e->kmax; ky <= e->kmax; ky++) {
            if (kx == 0 && ky < 0) continue;
            for (int kz = -e->kmax; kz <= e->kmax; kz++) {
                if (kx == 0 && ky == 0 && kz <= 0) continue;
                int nz = (kx != 0) + (ky != 0) + (kz != 0);
                if (nz >= 2 && (kx > km[0] || abs(ky) > km[1] || abs(kz) > km[2])) continue;
                double a = e->unitk[0] * kx, b = e->unitk[1] * ky, c = e->unitk[2] * kz;
                if (a * a + b * b + c * c > gsqmx) continue;
                ewald_add_k(e, kx, ky, kz);
            }
        }
    }
    mem_free(e->sfac);
    e->sfac = mem_alloc(sizeof(double) * 2 * (size_t)(e->kcount > 0 ? e->kcount : 1), "ewald S(k)");
}

static void ewald_init(Kspace *k, const KspaceSystem *s, char *buf, int bufsize)
{
    Ewald *e = (Ewald *)k;
    const KspaceParams *p = &k->par;
    e->q2 = s->qsqsum * UNITS_QQR2E;
    e->accuracy_abs = p->accuracy * UNITS_QQR2E;
    int64_t natoms = s->natoms > 0 ? s->natoms : 1;
    double vol = s->len[0] * s->len[1] * s->len[2];

    if (fabs(s->qsum) > EWALD_QSUM_SMALL)
        error_warn("ewald: system is not charge neutral, net charge = %g e", s->qsum);
    if (!e->g_fixed) {
        if (p->g_ewald > 0.0) {
            k->g_ewald = p->g_ewald;
        } else {
            if (e->accuracy_abs <= 0.0)
                error_all(FLERR, "ewald: accuracy must be > 0 (got %g)", p->accuracy);
            if (e->q2 == 0.0)
                error_all(FLERR, "ewald: give g_ewald for a system without charges");
            if (p->cutoff <= 0.0) error_all(FLERR, "ewald: Coulomb cutoff must be > 0");
            double g = e->accuracy_abs * sqrt((double)natoms * p->cutoff * vol) / (2.0 * e->q2);
            if (g >= 1.0) g = (1.35 - 0.15 * log(e->accuracy_abs)) / p->cutoff;
            else g = sqrt(-log(g)) / p->cutoff;
            k->g_ewald = g;
        }
        e->g_fixed = 1;
    }
    ewald_setup(e, s);

    double g = k->g_ewald, err2 = 0.0;
    for (int d = 0; d < 3; d++) {
        double r = ewald_rms(e->kdmax[d], s->len[d], s->natoms, e->q2, g);
        err2 += r * r;
    }
    double lpr = sqrt(err2 / 3.0);
    double spr = p->cutoff > 0.0 ? 2.0 * e->q2 * exp(-g * g * p->cutoff * p->cutoff) /
                                       sqrt((double)natoms * p->cutoff * vol)
                                 : 0.0;
    k->est_abs_force = sqrt(lpr * lpr + spr * spr);
    k->est_rel_force = k->est_abs_force / UNITS_QQR2E;

    if (buf && bufsize > 0)
        snprintf(buf, (size_t)bufsize,
                 "ewald: g_ewald = %.8g 1/A, kxmax kymax kzmax = %d %d %d, %d k vectors "
                 "(half space), estimated RMS force accuracy = %.8g kcal/mol/A absolute, "
                 "%.8g relative (kspace %.3g, real space %.3g kcal/mol/A)",
                 g, e->kdmax[0], e->kdmax[1], e->kdmax[2], e->kcount, k->est_abs_force,
                 k->est_rel_force, lpr, spr);
}

/* Per-atom cos/sin(m 2 pi (x_d - lo_d)/L_d), m = 0..kmax, by angle addition. */
static void ewald_tables(Ewald *e, const KspaceSystem *s)
{
    int n = s->nlocal, km = e->kmax;
    if (n > e->natom_cap || km != e->table_kmax) {
        ewald_free_tables(e);
        int cap = n > 0 ? n + n / 4 + 8 : 8;
        size_t len = (size_t)3 * (size_t)(km + 1) * (size_t)cap;
        e->cs = mem_alloc(len * sizeof(double), "ewald cos table");
        e->sn = mem_alloc(len * sizeof(double), "ewald sin table");
        e->natom_cap = cap;
        e->table_kmax = km;
    }
    size_t cap = (size_t)e->natom_cap;
    for (int d = 0; d < 3; d++) {
        double *c0 = e->cs + (size_t)d * (km + 1) * cap, *s0 = e->sn + (size_t)d * (km + 1) * cap;
        double uk = e->unitk[d], lo = s->lo[d];
#pragma omp parallel for schedule(static)
        for (int i = 0; i < n; i++) {
            double c1 = cos(uk * (s->x[i][d] - lo)), s1 = sin(uk * (s->x[i][d] - lo));
            double cm = 1.0, sm = 0.0;
            c0[i] = 1.0;
            s0[i] = 0.0;
            for (int m = 1; m <= km; m++) {
                double cn = cm * c1 - sm * s1, sn = sm * c1 + cm * s1;
                cm = cn;
                sm = sn;
                c0[(size_t)m * cap + i] = cm;
                s0[(size_t)m * cap + i] = sm;
            }
        }
    }
}

/* Pointers to the cos/sin rows of dimension d, index m (m may be negative: sign flips sin). */
static inline void ewald_row(const Ewald *e, int d, int m, const double **c, const double **sn,
                             double *sgn)
{
    size_t cap = (size_t)e->natom_cap;
    int am = m < 0 ? -m : m;
    size_t off = ((size_t)d * (e->kmax + 1) + (size_t)am) * cap;
    *c = e->cs + off;
    *sn = e->sn + off;
    *sgn = m < 0 ? -1.0 : 1.0;
}

static void ewald_compute(Kspace *k, const KspaceSystem *s)
{
    Ewald *e = (Ewald *)k;
    k->energy = 0.0;
    for (int j = 0; j < 6; j++) k->virial[j] = 0.0;
    if (s->qsqsum == 0.0) return;
    if (!e->g_fixed) error_all(FLERR, "ewald: compute called before init");
    if (s->len[0] != e->len[0] || s->len[1] != e->len[1] || s->len[2] != e->len[2])
        ewald_setup(e, s); /* the box changed without init(): redo what init() would */

    const int n = s->nlocal, nk = e->kcount;
    const double *q = s->q;
    ewald_tables(e, s);

    /* structure factors of the owned atoms; threads over k (each k's sum is private) */
    double *sf = e->sfac;
#pragma omp parallel for schedule(static)
    for (int ik = 0; ik < nk; ik++) {
        const double *cx, *sx, *cy, *sy, *cz, *sz;
        double gx, gy, gz;
        ewald_row(e, 0, e->kv[ik][0], &cx, &sx, &gx);
        ewald_row(e, 1, e->kv[ik][1], &cy, &sy, &gy);
        ewald_row(e, 2, e->kv[ik][2], &cz, &sz, &gz);
        double re = 0.0, im = 0.0;
#pragma omp simd reduction(+ : re, im)
        for (int i = 0; i < n; i++) {
            double syv = gy * sy[i], szv = gz * sz[i];
            double cyz = cy[i] * cz[i] - syv * szv, syz = syv * cz[i] + cy[i] * szv;
            double sxv = gx * sx[i];
            re += q[i] * (cx[i] * cyz - sxv * syz);
            im += q[i] * (sxv * cyz + cx[i] * syz);
        }
        sf[2 * ik] = re;
        sf[2 * ik + 1] = im;
    }
    comm_sum_double(s->comm, sf, 2 * nk);

    /* forces; threads over blocks of atoms, each block runs over all k */
    const int nblock = (n + EWALD_BLOCK - 1) / EWALD_BLOCK;
#pragma omp parallel for schedule(dynamic, 1)
    for (int b = 0; b < nblock; b++) {
        int i0 = b * EWALD_BLOCK, i1 = i0 + EWALD_BLOCK < n ? i0 + EWALD_BLOCK : n, m = i1 - i0;
        double ex[EWALD_BLOCK], ey[EWALD_BLOCK], ez[EWALD_BLOCK];
        for (int i = 0; i < m; i++) ex[i] = ey[i] = ez[i] = 0.0;
        for (int ik = 0; ik < nk; ik++) {
            const double *cx, *sx, *cy, *sy, *cz, *sz;
            double gx, gy, gz;
            ewald_row(e, 0, e->kv[ik][0], &cx, &sx, &gx);
            ewald_row(e, 1, e->kv[ik][1], &cy, &sy, &gy);
            ewald_row(e, 2, e->kv[ik][2], &cz, &sz, &gz);
            cx += i0; sx += i0; cy += i0; sy += i0; cz += i0; sz += i0;
            const double sr = sf[2 * ik], si = sf[2 * ik + 1];
            const double egx = e->eg[ik][0], egy = e->eg[ik][1], egz = e->eg[ik][2];
#pragma omp simd
            for (int i = 0; i < m; i++) {
                double syv = gy * sy[i], szv = gz * sz[i];
                double cyz = cy[i] * cz[i] - syv * szv, syz = syv * cz[i] + cy[i] * szv;
                double sxv = gx * sx[i];
                double c = cx[i] * cyz - sxv * syz, sn = sxv * cyz + cx[i] * syz;
                double part = sn * sr - c * si;
                ex[i] += part * egx;
                ey[i] += part * egy;
                ez[i] += part * egz;
            }
        }
        for (int i = 0; i < m; i++) {
            double qf = UNITS_QQR2E * q[i0 + i];
            s->f[i0 + i][0] += qf * ex[i];
            s->f[i0 + i][1] += qf * ey[i];
            s->f[i0 + i][2] += qf * ez[i];
        }
    }

    /* energy and virial (serial: O(N_k), and independent of the thread count) */
    double en = 0.0, vir[6] = {0, 0, 0, 0, 0, 0};
    for (int ik = 0; ik < nk; ik++) {
        double uk = e->ug[ik] * (sf[2 * ik] * sf[2 * ik] + sf[2 * ik + 1] * sf[2 * ik + 1]);
        en += uk;
        for (int j = 0; j < 6; j++) vir[j] += uk * e->vg[ik][j];
    }
    double g = k->g_ewald;
    en -= g * s->qsqsum / sqrt(UNITS_PI) + 0.5 * UNITS_PI * s->qsum * s->qsum / (g * g * e->volume);
    k->energy = UNITS_QQR2E * en;
    for (int j = 0; j < 6; j++) k->virial[j] = UNITS_QQR2E * vir[j];
}

const KspaceStyle kspace_style_ewald = {
    .name = "ewald",
    .reference = "P. P. Ewald, Ann. Phys. 369, 253 (1921); error estimates J. Kolafa and "
                 "J. W. Perram, Mol. Simul. 9, 351 (1992); parameter choice as LAMMPS ewald",
    .create = ewald_create,
    .init = ewald_init,
    .compute = ewald_compute,
    .destroy = ewald_destroy,
};
