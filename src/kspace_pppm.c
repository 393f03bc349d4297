/* kspace_pppm.c - particle-particle particle-mesh (P3M) Ewald sum with ik differentiation.
 *
 * Physics. The reciprocal-space Ewald energy (see kspace_ewald.c)
 *   E_k = qqr2e [ (1/2V) sum_{k != 0} G(k) |rho~(k)|^2 - g/sqrt(pi) sum q^2 - pi Q^2/(2 g^2 V) ]
 * is evaluated on a regular mesh of n_x n_y n_z points (Hockney & Eastwood, "Computer
 * Simulation Using Particles" (1988); Deserno & Holm, J. Chem. Phys. 109, 7678 (1998)):
 *
 * 1. Charge assignment of order p (2..7, default 5): q_i is spread onto the p^3 mesh points
 *    around r_i with the weights W(x) = M_p(x/h + p/2), M_p the cardinal B-spline of order p
 *    (the p-fold convolution of the unit box), per dimension; rho(r_m) = sum_i q_i W / h^3.
 *    The p weights of one dimension follow from the recurrence
 *    M_{n+1}(w+j) = [(w+j) M_n(w+j) + (n+1-w-j) M_n(w+j-1)] / n, started at M_1 = 1 on [0,1).
 * 2. rho^(k) = FFT(rho) (forward, exp(-i k.r)); k = 2 pi per/L with per in (-n/2, n/2].
 * 3. The optimal influence function for ik differentiation (Hockney-Eastwood; D-H eq. 31),
 *      G(k) = (4 pi/k^2) sum_m [k.k_m/k_m^2] exp(-k_m^2/(4 g^2)) U^2(k_m) / [sum_m U^2(k_m)]^2,
 *    with aliases k_m = k + 2 pi m/h, U(k) = prod_d [sin(k_d h_d/2)/(k_d h_d/2)]^p. The
 *    numerator alias sum runs over |m_d| <= nb_d = (int)(g L_d/(pi n_d) (-ln 1e-7)^(1/4));
 *    the denominator is exact: by Poisson summation sum_m U^2(k_m) = prod_d sum_j
 *    M_2p(p+j) cos(j k_d h_d) (the sampled autocorrelation of the assignment function).
 *    G is computed once per init (box change) for this rank's FFT slab.
 * 4. E_k = qqr2e [ (V/2) sum_k G |rho^|^2 / N_mesh^2 - self - background ]; virial
 *    W_ab = qqr2e (V/2) sum_k G |rho^|^2/N_mesh^2 [delta_ab - 2 (1/k^2 + 1/(4g^2)) k_a k_b].
 * 5. Fields E_a = IFFT(-i k_a G rho^) / N_mesh (ik differentiation: three field components,
 *    interpolated back with the same weights): F_i = qqr2e q_i sum_m W(r_i - r_m) E(r_m).
 *    The derivative factor is set to zero on the Nyquist plane of an even mesh; each field
 *    is then exactly real, which lets E_x + i E_y share one complex backward FFT (two
 *    backward FFTs instead of three). This equals taking the real part of three separate
 *    transforms, as LAMMPS does. ik forces are not the exact gradient of the mesh energy;
 *    both approach the Ewald values at the estimated accuracy.
 *
 * Parameters, as LAMMPS (29 Sep 2021) pppm.cpp with its default ik differentiation, so that
 * g_ewald and the mesh agree with LAMMPS: a = accuracy qqr2e; q2 = qqr2e sum q^2;
 * g0 = a sqrt(N rc V)/(2 q2), g = (1.35 - 0.15 ln a)/rc if g0 >= 1 else sqrt(-ln g0)/rc
 * (unless given). Mesh, unless given: per dimension h = 1/g, n = (int)(L/h) + 1, then while
 * the Deserno-Holm ik error estimate
 *   dF(h, L) = q2 (h g)^p sqrt(g L sqrt(2 pi) sum_{m<p} a_{p,m} (h g)^{2m} / N) / L^2
 * (coefficients a_{p,m} from D-H, JCP 109, 7698, 1998) exceeds a, n is increased (LAMMPS
 * tests the estimate before it increments, so the loop ends one step past the first n that
 * meets it; reproduced). Every n (also a given one) is then raised until its only prime
 * factors are 2, 3, 5. Unless g was given, g is finally adjusted by Newton-Raphson (forward-
 * difference derivative, step 1e-6 1/A; stop when |f| < 1e-5) so that the real-space
 * estimate 2 q2 exp(-g^2 rc^2)/sqrt(N rc V) equals the k-space estimate
 * sqrt(sum_d dF(h_d,L_d)^2 / 3). (The h = 4/g, x0.95 grid search of LAMMPS is its "ad"
 * branch; ik uses the branch above.) The influence-function prefactor is 12.5663706, the
 * value LAMMPS writes for 4 pi: kept so energies agree with LAMMPS to ~1e-12 instead of 1e-9.
 *
 * Parallel layout (a documented limitation, simple and exact): every rank spreads its
 * owned charges onto a full copy of the global mesh (periodic wrap of the stencil);
 * comm_reduce_scatter_double sums the copies and hands each rank its FFTW x-slab; the
 * forward FFT, the influence function and the two backward FFTs work on slabs; the three
 * field components (interleaved per mesh point) are all-gathered back to full meshes and
 * each rank interpolates the forces on its owned atoms. Memory and message volume grow
 * with the full mesh per rank, which is fine for the few-rank runs this code targets; a
 * brick decomposition with ghost planes would replace it for many ranks.
 *
 * Box changes: the first init() fixes g_ewald, the mesh and the order (as LAMMPS init());
 * later init() calls recompute only the wave vectors and G for the new box (as LAMMPS
 * setup()); compute() does the same by itself if the box differs from the last init().
 *
 * OpenMP, race strategy: the per-atom stencils (indices and weights) are computed once per
 * call with threads over atoms; atoms are then bucketed (stable counting sort) by the
 * highest x plane of their stencil, and the charge spread runs with threads over x planes:
 * the thread owning plane ix adds the contributions of the p buckets that touch it, so no
 * two threads write the same point and each point sums its contributions in a fixed order
 * (no atomics, no per-thread meshes, result independent of the thread count). Influence
 * function, energy/virial (per-plane partial sums added serially) and the FFT fills run
 * with threads over slab planes; the force interpolation with threads over atoms.
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

extern const KspaceStyle kspace_style_pppm; /* defined at the end of this file */

#define PPPM_MAXORDER 7
#define PPPM_MINORDER 2
#define PPPM_EPS_HOC 1.0e-7      /* alias-sum truncation target of the influence function */
#define PPPM_FOURPI_LAMMPS 12.5663706 /* 4 pi as written in LAMMPS compute_gf_ik (see top) */
#define PPPM_NEWTON_TOL 1.0e-5   /* kcal/mol/A: |real - kspace estimate| to stop Newton */
#define PPPM_NEWTON_STEP 1.0e-6  /* 1/A: forward-difference step of the derivative */
#define PPPM_NEWTON_MAXIT 10000
#define PPPM_QSUM_SMALL 1.0e-5   /* e: net charge above this triggers a warning */
#define PPPM_MAXGRID 16384       /* LAMMPS's OFFSET limit on the mesh size per dimension */

/* Deserno-Holm ik error coefficients a_{p,m} (JCP 109, 7698 (1998), table), p = 1..7. */
static const double pppm_acons[8][7] = {
    {0},
    {2.0 / 3.0},
    {1.0 / 50.0, 5.0 / 294.0},
    {1.0 / 588.0, 7.0 / 1440.0, 21.0 / 3872.0},
    {1.0 / 4320.0, 3.0 / 1936.0, 7601.0 / 2271360.0, 143.0 / 28800.0},
    {1.0 / 23232.0, 7601.0 / 13628160.0, 143.0 / 69120.0, 517231.0 / 106536960.0,
     106640677.0 / 11737571328.0},
    {691.0 / 68140800.0, 13.0 / 57600.0, 47021.0 / 35512320.0, 9694607.0 / 2095994880.0,
     733191589.0 / 59609088000.0, 326190917.0 / 11700633600.0},
    {1.0 / 345600.0, 3617.0 / 35512320.0, 745739.0 / 838397952.0, 56399353.0 / 12773376000.0,
     25091609.0 / 1560084480.0, 1755948832039.0 / 36229939200000.0,
     4887769399.0 / 37838389248.0},
};

typedef struct Pppm {
    Kspace base;
    int mesh_fixed;        /* 1 once init() has fixed g_ewald, the mesh and the FFT plan */
    int order;             /* charge-assignment order p */
    int n[3];              /* mesh points per dimension */
    double q2;             /* qqr2e sum q^2, kcal*A/mol */
    double accuracy_abs;   /* kcal/mol/A */
    double len[3];         /* box edges the influence function was computed for, A */
    double volume;         /* A^3 */
    int nranks;
    CommFFT *fft;
    int n0, x0;            /* this rank's x planes [x0, x0+n0) */
    int *cnt1, *cnt3;      /* per rank: slab points, 3 * slab points */
    size_t nslab, ngrid;   /* slab points, full-mesh points */
    double *green;         /* G(k) on the slab, A^2 */
    double *fk[3];         /* k_d per mesh index, 1/A (Nyquist: -pi n/L, as LAMMPS) */
    double *fkd[3];        /* ik derivative factor: fk with the Nyquist index set to 0 */
    double *rho;           /* full mesh: this rank's charge density, e/A^3 */
    double *rho_slab;      /* summed density on the slab (== rho on one rank) */
    double *grho;          /* G rho^ / N_mesh on the slab, complex interleaved */
    double *field;         /* full mesh: E_x E_y E_z interleaved, e/A^2 (x qqr2e: kcal/mol/A/e) */
    double *field_slab;    /* the slab part before the all-gather (== field on one rank) */
    double *plane_sum;     /* per slab plane: energy sum and 6 virial sums */
    int atom_cap;
    int *sidx;             /* per atom, dimension, stencil point k: wrapped mesh index */
    double *swt;           /* the matching weights */
    int *akey;             /* per atom: x index of the top stencil point */
    int *bstart, *batom;   /* x-plane buckets: start offsets (n[0]+1), atom list */
} Pppm;

/* ---------------------------------------------------------------- parameter choice */

static double pppm_ik_error(int order, double h, double prd, int64_t natoms, double q2,
                            double g)
{
    if (natoms == 0) return 0.0;
    double sum = 0.0;
    for (int m = 0; m < order; m++) sum += pppm_acons[order][m] * pow(h * g, 2.0 * m);
    return q2 * pow(h * g, (double)order) *
           sqrt(g * prd * sqrt(2.0 * UNITS_PI) * sum / (double)natoms) / (prd * prd);
}

static double pppm_df_kspace(const Pppm *pm, const double len[3], int64_t natoms, double g)
{
    double s = 0.0;
    for (int d = 0; d < 3; d++) {
        double e = pppm_ik_error(pm->order, len[d] / pm->n[d], len[d], natoms, pm->q2, g);
        s += e * e;
    }
    return sqrt(s / 3.0);
}

static double pppm_df_rspace(const Pppm *pm, const double len[3], int64_t natoms, double g)
{
    double rc = pm->base.par.cutoff;
    if (rc <= 0.0) return 0.0;
    return 2.0 * pm->q2 * exp(-g * g * rc * rc) /
           sqrt((double)natoms * rc * len[0] * len[1] * len[2]);
}

static int pppm_factorable(int n)
{
    static const int factors[3] = {2, 3, 5};
    while (n > 1) {
        int i;
        for (i = 0; i < 3; i++)
            if (n % factors[i] == 0) {
                n /= factors[i];
                break;
            }
        if (i == 3) return 0;
    }
    return 1;
}

/* Choose g_ewald and the mesh (see the top of the file); natoms >= 1. */
static void pppm_choose(Pppm *pm, const KspaceSystem *s, int64_t natoms)
{
    const KspaceParams *p = &pm->base.par;
    const double *len = s->len;
    double g;
    int given_g = p->g_ewald > 0.0;
    if (given_g) {
        g = p->g_ewald;
    } else {
        if (pm->accuracy_abs <= 0.0)
            error_all(FLERR, "pppm: accuracy must be > 0 (got %g)", p->accuracy);
        if (pm->q2 == 0.0) error_all(FLERR, "pppm: give g_ewald for a system without charges");
        if (p->cutoff <= 0.0) error_all(FLERR, "pppm: Coulomb cutoff must be > 0");
        g = pm->accuracy_abs * sqrt((double)natoms * p->cutoff * len[0] * len[1] * len[2]) /
            (2.0 * pm->q2);
        if (g >= 1.0) g = (1.35 - 0.15 * log(pm->accuracy_abs)) / p->cutoff;
        else g = sqrt(-log(g)) / p->cutoff;
    }

    if (p->grid[0] > 0 && p->grid[1] > 0 && p->grid[2] > 0) {
        for (int d = 0; d < 3; d++) pm->n[d] = p->grid[d];
    } else {
        if (p->grid[0] || p->grid[1] || p->grid[2])
            error_all(FLERR, "pppm: the mesh must be given for all three dimensions (got %d %d %d)",
                      p->grid[0], p->grid[1], p->grid[2]);
        if (pm->accuracy_abs <= 0.0)
            error_all(FLERR, "pppm: accuracy must be > 0 to choose the mesh (got %g)", p->accuracy);
        for (int d = 0; d < 3; d++) {
            double h = 1.0 / g;
            int n = (int)(len[d] / h) + 1;
            double err = pppm_ik_error(pm->order, h, len[d], natoms, pm->q2, g);
            while (err > pm->accuracy_abs) {
                err = pppm_ik_error(pm->order, h, len[d], natoms, pm->q2, g);
                n++;
                h = len[d] / n;
                if (n >= PPPM_MAXGRID) break;
            }
            pm->n[d] = n;
        }
    }
    for (int d = 0; d < 3; d++) {
        while (!pppm_factorable(pm->n[d])) pm->n[d]++;
        if (pm->n[d] < 2) pm->n[d] = 2;
        if (pm->n[d] >= PPPM_MAXGRID)
            error_all(FLERR, "pppm: mesh of %d points in dimension %d is too large", pm->n[d], d);
    }

    if (!given_g) { /* Newton-Raphson: real-space estimate = k-space estimate */
        int it;
        for (it = 0; it < PPPM_NEWTON_MAXIT; it++) {
            double f1 = pppm_df_rspace(pm, len, natoms, g) - pppm_df_kspace(pm, len, natoms, g);
            double gh = g + PPPM_NEWTON_STEP;
            double f2 = pppm_df_rspace(pm, len, natoms, gh) - pppm_df_kspace(pm, len, natoms, gh);
            double df = (f2 - f1) / PPPM_NEWTON_STEP;
            if (df == 0.0 || df != df) break;
            double dx = f1 / df;
            while (g - dx <= 0.0) dx *= 0.5; /* keep g > 0 (never active in LAMMPS's cases) */
            g -= dx;
            double f = pppm_df_rspace(pm, len, natoms, g) - pppm_df_kspace(pm, len, natoms, g);
            if (fabs(f) < PPPM_NEWTON_TOL) break;
        }
        if (it == PPPM_NEWTON_MAXIT || !(g > 0.0))
            error_all(FLERR, "pppm: could not adjust g_ewald to the mesh");
    }
    pm->base.g_ewald = g;
}

/* ---------------------------------------------------------------- assignment weights */

/* Cardinal B-spline of order p: c[j] = M_p(w + j), j = 0..p-1, for w in [0,1). */
static inline void pppm_bspline(int p, double w, double *c)
{
    c[0] = 1.0;
    for (int n = 1; n < p; n++) {
        c[n] = 0.0;
        double inv = 1.0 / n;
        for (int j = n; j > 0; j--) c[j] = ((w + j) * c[j] + (n + 1 - w - j) * c[j - 1]) * inv;
        c[0] = w * c[0] * inv;
    }
}

/* ---------------------------------------------------------------- influence function */

static inline double pppm_sinc_pow(double x, int twop)
{
    if (x == 0.0) return 1.0;
    double s = sin(x) / x, r = 1.0;
    for (int i = 0; i < twop; i++) r *= s;
    return r;
}

/* Wave vectors per mesh index and G(k) on this rank's slab for box s. */
static void pppm_setup(Pppm *pm, const KspaceSystem *s)
{
    const int p = pm->order, *n = pm->n;
    const double g = pm->base.g_ewald;
    for (int d = 0; d < 3; d++) pm->len[d] = s->len[d];
    pm->volume = s->len[0] * s->len[1] * s->len[2];

    /* 1-D pieces: k per index, and the alias-sum denominator factor per index */
    double m2p[2 * PPPM_MAXORDER];
    pppm_bspline(2 * p, 0.0, m2p); /* m2p[j] = M_2p(j) */
    double *den[3];
    for (int d = 0; d < 3; d++) {
        double unitk = 2.0 * UNITS_PI / s->len[d];
        den[d] = mem_alloc(sizeof(double) * (size_t)n[d], "pppm denominator");
        for (int i = 0; i < n[d]; i++) {
            int per = i - n[d] * (2 * i / n[d]);
            pm->fk[d][i] = unitk * per;
            pm->fkd[d][i] = (2 * i == n[d]) ? 0.0 : unitk * per;
            double th = 2.0 * UNITS_PI * per / n[d], sum = m2p[p];
            for (int j = 1; j < p; j++) sum += 2.0 * m2p[p + j] * cos(j * th);
            den[d][i] = sum;
        }
    }
    int nb[3];
    for (int d = 0; d < 3; d++)
        nb[d] = (int)((g * s->len[d] / (UNITS_PI * n[d])) * pow(-log(PPPM_EPS_HOC), 0.25));

    const int ny = n[1], nz = n[2];
    const double ux = 2.0 * UNITS_PI / s->len[0], uy = 2.0 * UNITS_PI / s->len[1],
                 uz = 2.0 * UNITS_PI / s->len[2];
    const double hx = s->len[0] / n[0], hy = s->len[1] / n[1], hz = s->len[2] / n[2];
    const double inv4g2 = 0.25 / (g * g);
#pragma omp parallel for schedule(dynamic, 1)
    for (int lx = 0; lx < pm->n0; lx++) {
        int ix = pm->x0 + lx;
        int kper = ix - n[0] * (2 * ix / n[0]);
        for (int iy = 0; iy < ny; iy++) {
            int lper = iy - ny * (2 * iy / ny);
            for (int iz = 0; iz < nz; iz++) {
                int mper = iz - nz * (2 * iz / nz);
                size_t m = ((size_t)lx * ny + iy) * nz + iz;
                double kx = ux * kper, ky = uy * lper, kz = uz * mper;
                double sqk = kx * kx + ky * ky + kz * kz;
                if (sqk == 0.0) {
                    pm->green[m] = 0.0;
                    continue;
                }
                double sum1 = 0.0;
                for (int ax = -nb[0]; ax <= nb[0]; ax++) {
                    double qx = ux * (kper + n[0] * ax);
                    double wx = exp(-inv4g2 * qx * qx) * pppm_sinc_pow(0.5 * qx * hx, 2 * p);
                    for (int ay = -nb[1]; ay <= nb[1]; ay++) {
                        double qy = uy * (lper + ny * ay);
                        double wy = exp(-inv4g2 * qy * qy) * pppm_sinc_pow(0.5 * qy * hy, 2 * p);
                        for (int az = -nb[2]; az <= nb[2]; az++) {
                            double qz = uz * (mper + nz * az);
                            double wz = exp(-inv4g2 * qz * qz) * pppm_sinc_pow(0.5 * qz * hz, 2 * p);
                            double dot1 = kx * qx + ky * qy + kz * qz;
                            double dot2 = qx * qx + qy * qy + qz * qz;
                            sum1 += dot1 / dot2 * wx * wy * wz;
                        }
                    }
                }
                double dd = den[0][ix] * den[1][iy] * den[2][iz];
                pm->green[m] = PPPM_FOURPI_LAMMPS / sqk * sum1 / (dd * dd);
            }
        }
    }
    for (int d = 0; d < 3; d++) mem_free(den[d]);
}

/* ---------------------------------------------------------------- create / init / destroy */

static Kspace *pppm_create(const KspaceParams *p)
{
    Pppm *pm = mem_alloc(sizeof *pm, "pppm");
    pm->base.style = &kspace_style_pppm;
    pm->base.par = *p;
    return &pm->base;
}

static void pppm_free_mesh(Pppm *pm)
{
    comm_fft_destroy(&pm->fft);
    mem_free(pm->cnt1);
    mem_free(pm->cnt3);
    mem_free(pm->green);
    for (int d = 0; d < 3; d++) {
        mem_free(pm->fk[d]);
        mem_free(pm->fkd[d]);
        pm->fk[d] = pm->fkd[d] = NULL;
    }
    if (pm->rho_slab != pm->rho) mem_free(pm->rho_slab);
    if (pm->field_slab != pm->field) mem_free(pm->field_slab);
    mem_free(pm->rho);
    mem_free(pm->field);
    mem_free(pm->grho);
    mem_free(pm->plane_sum);
    mem_free(pm->bstart);
    pm->cnt1 = pm->cnt3 = NULL;
    pm->green = pm->rho = pm->rho_slab = pm->field = pm->field_slab = NULL;
    pm->grho = pm->plane_sum = NULL;
    pm->bstart = NULL;
}

static void pppm_destroy(Kspace **k)
{
    if (!k || !*k) return;
    Pppm *pm = (Pppm *)*k;
    pppm_free_mesh(pm);
    mem_free(pm->sidx);
    mem_free(pm->swt);
    mem_free(pm->akey);
    mem_free(pm->batom);
    mem_free(pm);
    *k = NULL;
}

/* FFT plan, slab bookkeeping and mesh arrays for the fixed mesh. */
static void pppm_alloc_mesh(Pppm *pm, const Comm *c)
{
    const int *n = pm->n;
    pm->nranks = comm_size(c);
    pm->fft = comm_fft_create(c, n, &pm->n0, &pm->x0);
    int *n0all = mem_alloc(sizeof(int) * (size_t)pm->nranks, "pppm slab sizes");
    n0all[comm_rank(c)] = pm->n0;
    comm_max_int(c, n0all, pm->nranks); /* all other entries are 0 */
    pm->cnt1 = mem_alloc(sizeof(int) * (size_t)pm->nranks, "pppm slab counts");
    pm->cnt3 = mem_alloc(sizeof(int) * (size_t)pm->nranks, "pppm slab counts");
    int sum = 0;
    for (int r = 0; r < pm->nranks; r++) {
        sum += n0all[r];
        if ((double)n0all[r] * n[1] * n[2] * 3.0 > 2147483647.0)
            error_all(FLERR, "pppm: FFT slab of %d x %d x %d points exceeds the MPI count limit",
                      n0all[r], n[1], n[2]);
        pm->cnt1[r] = n0all[r] * n[1] * n[2];
        pm->cnt3[r] = 3 * pm->cnt1[r];
    }
    if (sum != n[0]) error_all(FLERR, "pppm: FFT slabs cover %d of %d x planes", sum, n[0]);
    mem_free(n0all);
    pm->nslab = (size_t)pm->n0 * n[1] * n[2];
    pm->ngrid = (size_t)n[0] * n[1] * n[2];
    pm->green = mem_alloc(sizeof(double) * (pm->nslab ? pm->nslab : 1), "pppm green");
    for (int d = 0; d < 3; d++) {
        pm->fk[d] = mem_alloc(sizeof(double) * (size_t)n[d], "pppm k");
        pm->fkd[d] = mem_alloc(sizeof(double) * (size_t)n[d], "pppm ik");
    }
    pm->rho = mem_alloc(sizeof(double) * pm->ngrid, "pppm density mesh");
    pm->field = mem_alloc(sizeof(double) * 3 * pm->ngrid, "pppm field mesh");
    if (pm->nranks > 1) {
        pm->rho_slab = mem_alloc(sizeof(double) * (pm->nslab ? pm->nslab : 1), "pppm density slab");
        pm->field_slab = mem_alloc(sizeof(double) * 3 * (pm->nslab ? pm->nslab : 1), "pppm field slab");
    } else {
        pm->rho_slab = pm->rho;
        pm->field_slab = pm->field;
    }
    pm->grho = mem_alloc(sizeof(double) * 2 * (pm->nslab ? pm->nslab : 1), "pppm G rho");
    pm->plane_sum = mem_alloc(sizeof(double) * 7 * (size_t)(pm->n0 ? pm->n0 : 1), "pppm sums");
    pm->bstart = mem_alloc(sizeof(int) * (size_t)(n[0] + 1), "pppm buckets");
}

static void pppm_init(Kspace *k, const KspaceSystem *s, char *buf, int bufsize)
{
    Pppm *pm = (Pppm *)k;
    const KspaceParams *p = &k->par;
    int64_t natoms = s->natoms > 0 ? s->natoms : 1;
    pm->q2 = s->qsqsum * UNITS_QQR2E;
    pm->accuracy_abs = p->accuracy * UNITS_QQR2E;
    if (fabs(s->qsum) > PPPM_QSUM_SMALL)
        error_warn("pppm: system is not charge neutral, net charge = %g e", s->qsum);

    if (!pm->mesh_fixed) {
        pm->order = p->order ? p->order : 5;
        if (pm->order < PPPM_MINORDER || pm->order > PPPM_MAXORDER)
            error_all(FLERR, "pppm: order must be %d..%d (got %d)", PPPM_MINORDER, PPPM_MAXORDER,
                      pm->order);
        pppm_choose(pm, s, natoms);
        pppm_alloc_mesh(pm, s->comm);
        pm->mesh_fixed = 1;
    }
    pppm_setup(pm, s);

    double g = k->g_ewald;
    double dk = pppm_df_kspace(pm, s->len, natoms, g), dr = pppm_df_rspace(pm, s->len, natoms, g);
    k->est_abs_force = sqrt(dk * dk + dr * dr);
    k->est_rel_force = k->est_abs_force / UNITS_QQR2E;
    if (buf && bufsize > 0)
        snprintf(buf, (size_t)bufsize,
                 "pppm: g_ewald = %.8g 1/A, grid = %d %d %d, stencil order = %d, estimated RMS "
                 "force accuracy = %.8g kcal/mol/A absolute, %.8g relative (kspace %.3g, real "
                 "space %.3g kcal/mol/A); FFT x-slabs over %d rank(s), full mesh per rank",
                 g, pm->n[0], pm->n[1], pm->n[2], pm->order, k->est_abs_force, k->est_rel_force,
                 dk, dr, pm->nranks);
}

/* ---------------------------------------------------------------- compute */

/* Stencil indices and weights of every owned atom, and the x-plane buckets. */
static void pppm_stencils(Pppm *pm, const KspaceSystem *s)
{
    const int p = pm->order, nat = s->nlocal;
    if (nat > pm->atom_cap) {
        int cap = nat + nat / 4 + 8;
        mem_free(pm->sidx);
        mem_free(pm->swt);
        mem_free(pm->akey);
        mem_free(pm->batom);
        pm->sidx = mem_alloc(sizeof(int) * 3 * (size_t)p * cap, "pppm stencil index");
        pm->swt = mem_alloc(sizeof(double) * 3 * (size_t)p * cap, "pppm stencil weight");
        pm->akey = mem_alloc(sizeof(int) * (size_t)cap, "pppm atom plane");
        pm->batom = mem_alloc(sizeof(int) * (size_t)cap, "pppm plane buckets");
        pm->atom_cap = cap;
    }
    const double half = 0.5 * p;
#pragma omp parallel for schedule(static)
    for (int i = 0; i < nat; i++) {
        for (int d = 0; d < 3; d++) {
            int nd = pm->n[d];
            double u = (s->x[i][d] - s->lo[d]) * nd / pm->len[d] + half;
            double top = floor(u);
            double c[PPPM_MAXORDER];
            pppm_bspline(p, u - top, c);
            int it = (int)top % nd; /* point it - j gets weight c[j] */
            if (it < 0) it += nd;
            int *ix = pm->sidx + ((size_t)i * 3 + d) * p;
            double *w = pm->swt + ((size_t)i * 3 + d) * p;
            for (int j = 0; j < p; j++) {
                int m = it - j;
                ix[j] = m < 0 ? m + nd * ((-m + nd - 1) / nd) : m;
                w[j] = c[j];
            }
            if (d == 0) pm->akey[i] = it;
        }
    }
    int nx = pm->n[0];
    int *bs = pm->bstart;
    memset(bs, 0, sizeof(int) * (size_t)(nx + 1));
    for (int i = 0; i < nat; i++) bs[pm->akey[i] + 1]++;
    for (int b = 0; b < nx; b++) bs[b + 1] += bs[b];
    for (int i = 0; i < nat; i++) pm->batom[bs[pm->akey[i]]++] = i; /* bs[b] -> end of b */
    for (int b = nx; b > 0; b--) bs[b] = bs[b - 1];
    bs[0] = 0;
}

/* Spread the owned charges on the full mesh (threads own x planes). */
static void pppm_spread(Pppm *pm, const KspaceSystem *s)
{
    const int p = pm->order, nx = pm->n[0], ny = pm->n[1], nz = pm->n[2];
    const double delvolinv = (double)pm->ngrid / pm->volume;
    const int *bs = pm->bstart, *ba = pm->batom;
#pragma omp parallel for schedule(dynamic, 1)
    for (int ix = 0; ix < nx; ix++) {
        double *plane = pm->rho + (size_t)ix * ny * nz;
        memset(plane, 0, sizeof(double) * (size_t)ny * nz);
        for (int t = 0; t < p; t++) {
            int b = (ix + t) % nx;
            for (int a = bs[b]; a < bs[b + 1]; a++) {
                int i = ba[a];
                const double *w = pm->swt + (size_t)i * 3 * p;
                const int *id = pm->sidx + (size_t)i * 3 * p;
                double wx = w[t] * s->q[i] * delvolinv;
                const double *wy = w + p, *wz = w + 2 * p;
                const int *iy = id + p, *iz = id + 2 * p;
                for (int jy = 0; jy < p; jy++) {
                    double *row = plane + (size_t)iy[jy] * nz;
                    double wxy = wx * wy[jy];
                    for (int jz = 0; jz < p; jz++) row[iz[jz]] += wxy * wz[jz];
                }
            }
        }
    }
}

/* Interpolate E at the owned atoms and add the forces. */
static void pppm_gather_forces(Pppm *pm, const KspaceSystem *s)
{
    const int p = pm->order, ny = pm->n[1], nz = pm->n[2], nat = s->nlocal;
    const double *fld = pm->field;
#pragma omp parallel for schedule(static)
    for (int i = 0; i < nat; i++) {
        const double *w = pm->swt + (size_t)i * 3 * p;
        const int *id = pm->sidx + (size_t)i * 3 * p;
        double ex = 0.0, ey = 0.0, ez = 0.0;
        for (int jx = 0; jx < p; jx++) {
            const double *pl = fld + (size_t)id[jx] * ny * nz * 3;
            for (int jy = 0; jy < p; jy++) {
                const double *row = pl + (size_t)id[p + jy] * nz * 3;
                double wxy = w[jx] * w[p + jy];
                for (int jz = 0; jz < p; jz++) {
                    double ww = wxy * w[2 * p + jz];
                    const double *e = row + 3 * (size_t)id[2 * p + jz];
                    ex += ww * e[0];
                    ey += ww * e[1];
                    ez += ww * e[2];
                }
            }
        }
        double qf = UNITS_QQR2E * s->q[i];
        s->f[i][0] += qf * ex;
        s->f[i][1] += qf * ey;
        s->f[i][2] += qf * ez;
    }
}

static void pppm_compute(Kspace *k, const KspaceSystem *s)
{
    Pppm *pm = (Pppm *)k;
    k->energy = 0.0;
    for (int j = 0; j < 6; j++) k->virial[j] = 0.0;
    if (s->qsqsum == 0.0) return;
    if (!pm->mesh_fixed) error_all(FLERR, "pppm: compute called before init");
    if (s->len[0] != pm->len[0] || s->len[1] != pm->len[1] || s->len[2] != pm->len[2])
        pppm_setup(pm, s); /* the box changed without init(): redo what init() would */

    const int n0 = pm->n0, ny = pm->n[1], nz = pm->n[2];
    const size_t plane = (size_t)ny * nz;
    const double g = k->g_ewald;

    pppm_stencils(pm, s);
    pppm_spread(pm, s);
    if (pm->nranks > 1) comm_reduce_scatter_double(s->comm, pm->rho, pm->rho_slab, pm->cnt1);

    double *data = comm_fft_data(pm->fft);
#pragma omp parallel for schedule(static)
    for (size_t m = 0; m < pm->nslab; m++) {
        data[2 * m] = pm->rho_slab[m];
        data[2 * m + 1] = 0.0;
    }
    comm_fft_execute(pm->fft, -1);

    /* energy, virial and G rho^/N, per slab plane */
    const double ninv = 1.0 / (double)pm->ngrid, inv4g2 = 0.25 / (g * g);
#pragma omp parallel for schedule(static)
    for (int lx = 0; lx < n0; lx++) {
        double acc[7] = {0, 0, 0, 0, 0, 0, 0};
        const double kx = pm->fk[0][pm->x0 + lx];
        for (int iy = 0; iy < ny; iy++) {
            const double ky = pm->fk[1][iy];
            for (int iz = 0; iz < nz; iz++) {
                size_t m = (size_t)lx * plane + (size_t)iy * nz + iz;
                double re = data[2 * m], im = data[2 * m + 1], gr = pm->green[m];
                pm->grho[2 * m] = gr * re * ninv;
                pm->grho[2 * m + 1] = gr * im * ninv;
                if (gr == 0.0) continue;
                const double kz = pm->fk[2][iz];
                double e = gr * (re * re + im * im);
                double vterm = -2.0 * (1.0 / (kx * kx + ky * ky + kz * kz) + inv4g2);
                acc[0] += e;
                acc[1] += e * (1.0 + vterm * kx * kx);
                acc[2] += e * (1.0 + vterm * ky * ky);
                acc[3] += e * (1.0 + vterm * kz * kz);
                acc[4] += e * vterm * kx * ky;
                acc[5] += e * vterm * kx * kz;
                acc[6] += e * vterm * ky * kz;
            }
        }
        for (int j = 0; j < 7; j++) pm->plane_sum[7 * lx + j] = acc[j];
    }
    double sums[7] = {0, 0, 0, 0, 0, 0, 0};
    for (int lx = 0; lx < n0; lx++)
        for (int j = 0; j < 7; j++) sums[j] += pm->plane_sum[7 * lx + j];
    comm_sum_double(s->comm, sums, 7);

    /* E_x + i E_y in one backward FFT, then E_z */
    const double *gh = pm->grho;
#pragma omp parallel for schedule(static)
    for (int lx = 0; lx < n0; lx++) {
        const double kx = pm->fkd[0][pm->x0 + lx];
        for (int iy = 0; iy < ny; iy++) {
            const double ky = pm->fkd[1][iy];
            size_t m0 = (size_t)lx * plane + (size_t)iy * nz;
            for (int iz = 0; iz < nz; iz++) {
                size_t m = m0 + iz;
                double re = gh[2 * m], im = gh[2 * m + 1];
                data[2 * m] = kx * im + ky * re;
                data[2 * m + 1] = ky * im - kx * re;
            }
        }
    }
    comm_fft_execute(pm->fft, +1);
    double *fs = pm->field_slab;
#pragma omp parallel for schedule(static)
    for (size_t m = 0; m < pm->nslab; m++) {
        fs[3 * m] = data[2 * m];
        fs[3 * m + 1] = data[2 * m + 1];
    }
#pragma omp parallel for schedule(static)
    for (int lx = 0; lx < n0; lx++) {
        for (int iy = 0; iy < ny; iy++) {
            size_t m0 = (size_t)lx * plane + (size_t)iy * nz;
            for (int iz = 0; iz < nz; iz++) {
                size_t m = m0 + iz;
                const double kz = pm->fkd[2][iz];
                data[2 * m] = kz * gh[2 * m + 1];
                data[2 * m + 1] = -kz * gh[2 * m];
            }
        }
    }
    comm_fft_execute(pm->fft, +1);
#pragma omp parallel for schedule(static)
    for (size_t m = 0; m < pm->nslab; m++) fs[3 * m + 2] = data[2 * m];
    if (pm->nranks > 1)
        comm_allgatherv_double(s->comm, fs, (int)(3 * pm->nslab), pm->field, pm->cnt3);

    pppm_gather_forces(pm, s);

    const double s2v = 0.5 * pm->volume * ninv * ninv;
    double en = s2v * sums[0] - g * s->qsqsum / sqrt(UNITS_PI) -
                0.5 * UNITS_PI * s->qsum * s->qsum / (g * g * pm->volume);
    k->energy = UNITS_QQR2E * en;
    for (int j = 0; j < 6; j++) k->virial[j] = UNITS_QQR2E * s2v * sums[1 + j];
}

const KspaceStyle kspace_style_pppm = {
    .name = "pppm",
    .reference = "R. W. Hockney and J. W. Eastwood, Computer Simulation Using Particles (1988); "
                 "M. Deserno and C. Holm, J. Chem. Phys. 109, 7678 (1998); parameter choice as "
                 "LAMMPS pppm (ik differentiation)",
    .create = pppm_create,
    .init = pppm_init,
    .compute = pppm_compute,
    .destroy = pppm_destroy,
};
