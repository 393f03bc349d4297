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
 * Parallel layout: a brick decomposition of the mesh for the charges and fields, FFTW's
 * x-slabs for the transforms (the scheme of LAMMPS's pppm with its GridComm and remap).
 *  - Bricks. Rank r owns the mesh points whose positions lo + i h fall in its subdomain
 *    [sublo, subhi): i in [ceil((sublo-lo)/h), ceil((subhi-lo)/h)) per dimension (an index
 *    within 1e-9 of an integer is snapped to it, so that neighbours agree and the last rank
 *    ends at n). The owned bricks tile the mesh; this is checked at every layout, with every
 *    brick known on every rank (one all-gather of 6 ints per rank per layout).
 *  - Ghosts. The local array is the owned brick plus gl_d layers below and gh_d above in each
 *    dimension, the same widths on every rank, wide enough for the p-point stencils of the
 *    owned atoms: those were inside the subdomain at the last neighbour build and have moved
 *    less than skin/2 since (KspaceSystem.skin), so the widths are sized for positions within
 *    skin/2 of [sublo, subhi) (about p/2 + skin/(2h) + 1 layers; p/2 + 1 for a dimension
 *    with one rank). Every call also measures the stencil extent of its atoms (the periodic
 *    image nearest the brick centre is used) and one 7-int max-reduction tells all ranks
 *    whether some atom is beyond the ghosts (e.g. "neighbor every N" with N > 1) or some
 *    brick changed (a box or subdomain change that moved a face past a mesh plane; a
 *    barostat's small steps mostly do not); then all ranks redo the layout (with wider
 *    ghosts if needed), so no atom is ever out of range and no error is needed. init()
 *    always redoes it.
 *  - Charges are spread on the local array; the reverse ghost exchange then sums the ghost
 *    layers into their owners dimension by dimension (z, y, x), with comm_sendrecv_bytes to
 *    the Cartesian neighbours (periodic; a rank that is its own neighbour exchanges with
 *    itself by a direct copy). A ghost region wider than the neighbour's brick is served in
 *    several passes, each forwarding what the previous one brought (the plan is fixed at
 *    layout time by a dry run that exchanges only plane counts). The forward exchange (x, y,
 *    z, passes in order) is its exact transpose and fills the ghosts of the field.
 *  - Remap. Owned bricks -> x-slabs for the forward FFT, and x-slabs -> owned bricks for the
 *    three field components, by comm_alltoallv_double moving only the intersection of each
 *    brick with each slab (non-intersecting pairs send 0 values; a rank's own intersection is
 *    copied directly).
 *  - The forward FFT, energy/virial, influence function and the two backward FFTs work on
 *    slabs as before; each rank interpolates the forces of its owned atoms from its local
 *    field array.
 * Cost per rank: memory O(local mesh), no global-mesh array anywhere: 4 doubles per local
 * point (density; E_x E_y E_z), 5 per FFT slab point (complex data, G, G rho^) and remap
 * buffers for the points that change hands (up to 3 values each). Measured for a 160^3 mesh
 * (nc_cube_3nm): 313 / 239 / 140 MB per rank on 1 / 2 / 4 ranks, against 299 / 331 / 260 MB
 * with the former full-mesh copies. Messages per step: ghost exchanges with the face
 * neighbours (3 dimensions x 2 sides, for the density and again for the field; one pass
 * each unless a brick is thinner than the ghost layers; none along a dimension with one
 * rank), two all-to-alls in which only brick/slab intersections carry data, the 7-int
 * layout check and the 7-double energy/virial reduction. Results equal those of the former
 * full-mesh version to round-off (only the order in which contributions to a mesh point are
 * summed changes).
 * Alternatives. The former scheme (every rank spreads onto a full mesh, reduce-scatter to
 * slabs, all-gather of the fields) costs O(global mesh) memory and traffic per rank and does
 * not scale. LAMMPS's remap posts point-to-point messages to the intersecting ranks only;
 * MPI_Alltoallv with zero counts is simpler and fine for tens to hundreds of ranks; for
 * thousands, a sparse point-to-point version would use the same plan (the partners are the
 * boxes in rout/rin). Limitation kept: FFTW's slabs give at most n_x ranks FFT work (ranks
 * beyond that only spread and interpolate); pencil FFTs (as LAMMPS's fft3d or heFFTe)
 * would lift it.
 *
 * Box changes: the first init() fixes g_ewald, the mesh and the order (as LAMMPS init());
 * later init() calls recompute only the wave vectors and G for the new box (as LAMMPS
 * setup()); compute() does the same by itself if the box differs from the last init().
 *
 * OpenMP, race strategy: the per-atom stencils (weights and the top mesh index per
 * dimension, in local-array coordinates) are computed once per call with threads over atoms;
 * atoms are then bucketed (stable counting sort) by the local x plane of their top stencil
 * point, and the charge spread runs with threads over the local x planes: the thread owning
 * plane ix adds the contributions of the p buckets that touch it, so no two threads write
 * the same point and each point sums its contributions in a fixed order (no atomics, no
 * per-thread meshes, result independent of the thread count). Ghost-exchange packing and
 * remap packing/unpacking are copies of disjoint rows, work-shared over (x, y) rows (on one
 * thread below PPPM_OMP_MIN_COPY values, where a thread team costs more than the copy);
 * influence function, energy/virial (per-plane partial sums added serially) and the FFT
 * fills run with threads over slab planes; the force interpolation with threads over atoms.
 */
#include "kspace.h"
#include "comm.h"
#include "error.h"
#include "memory.h"
#include "units.h"
#include <limits.h>
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
#define PPPM_OMP_MIN_COPY 16384  /* doubles: smaller ghost/remap copies run on one thread
                                    (~10 us of memcpy; a thread team costs a few us, far more
                                    when ranks x threads exceed the cores) */

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

/* A box of mesh points [lo, hi) in global mesh indices (which may run past 0 and n for
 * ghosts, in the numbering of the rank that holds them). */
typedef struct PppmBox {
    int lo[3], hi[3];
} PppmBox;

/* Where mesh points live in memory: point (i, j, k) in global indices starts at
 * p + (((i - org0) dim1 + j - org1) dim2 + k - org2) stride and has nv values. */
typedef struct PppmView {
    double *p;
    int org[3], dim[3];
    int nv, stride;
} PppmView;

/* One pass of the ghost exchange along a dimension: the planes (global indices along that
 * dimension, this rank's numbering) sent and received. "up": the upper ghost layers,
 * filled from the +d neighbour (this rank sends the bottom of its data to the -d
 * neighbour); "dn": the lower ghost layers, filled from the -d neighbour. */
typedef struct PppmPass {
    int up_send[2], up_recv[2], dn_send[2], dn_recv[2];
} PppmPass;

/* One side of the brick <-> slab remap: the boxes exchanged with other ranks (rank order,
 * non-empty only), their offsets in the packed buffer (points) and the per-rank counts. */
typedef struct PppmRemap {
    int nbox;
    PppmBox *box;
    size_t *off;           /* per box: first point in the packed buffer */
    size_t *cnt;           /* per rank: points (0 for self and non-intersecting ranks) */
    size_t total;          /* points */
} PppmRemap;

typedef struct Pppm {
    Kspace base;
    int mesh_fixed;        /* 1 once init() has fixed g_ewald, the mesh and the FFT plan */
    int order;             /* charge-assignment order p */
    int n[3];              /* mesh points per dimension */
    double q2;             /* qqr2e sum q^2, kcal*A/mol */
    double accuracy_abs;   /* kcal/mol/A */
    double len[3];         /* box edges the influence function was computed for, A */
    double volume;         /* A^3 */
    int nranks, me;
    CommFFT *fft;
    int n0, x0;            /* this rank's x planes [x0, x0+n0) */
    int *slab;             /* per rank: x0, n0 of its FFT slab */
    size_t nslab, ngrid;   /* slab points, global mesh points */
    double *green;         /* G(k) on the slab, A^2 */
    double *fk[3];         /* k_d per mesh index, 1/A (Nyquist: -pi n/L, as LAMMPS) */
    double *fkd[3];        /* ik derivative factor: fk with the Nyquist index set to 0 */
    double *grho;          /* G rho^ / N_mesh on the slab, complex interleaved */
    double *plane_sum;     /* per slab plane: energy sum and 6 virial sums */
    /* brick layout (pppm_layout) */
    int have_layout;
    int in_lo[3], in_hi[3];/* owned mesh points [in_lo, in_hi), global indices */
    int gl[3], gh[3];      /* ghost layers below / above (the same on every rank) */
    int org[3], ext[3];    /* local array: global index of its first point, size */
    size_t next;           /* points in the local array */
    double *brho;          /* local array: charge density, e/A^3 */
    double *bfield;        /* local array: E_x E_y E_z interleaved, e/A^2 (x qqr2e:
                              kcal/mol/A/e) */
    int npass[3];
    PppmPass *pass[3];     /* ghost-exchange plan per dimension */
    double *gbuf;          /* ghost pack buffer */
    void *grecv;           /* ghost receive buffer (grown by comm_sendrecv_bytes) */
    size_t grecv_cap;      /* bytes */
    PppmRemap rout;        /* my brick -> other ranks' slabs */
    PppmRemap rin;         /* other ranks' bricks -> my slab */
    PppmBox rself;         /* my brick intersected with my slab (may be empty) */
    size_t *rcnt_s, *rcnt_r; /* per rank scratch: values sent / received */
    double *rbuf_s, *rbuf_r; /* remap pack / receive buffers */
    /* per-atom stencils */
    int atom_cap;
    int *sidx;             /* per atom and dimension: top stencil index (global, then local);
                              stencil point j (0..p-1) is top - j and has weight swt[j] */
    double *swt;           /* per atom, dimension: the p weights */
    int *bstart, *batom;   /* local x-plane buckets: start offsets (ext[0]+1), atom list */
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

/* ---------------------------------------------------------------- mesh boxes and copies */

static inline int pppm_imin(int a, int b) { return a < b ? a : b; }
static inline int pppm_imax(int a, int b) { return a > b ? a : b; }

static inline int pppm_box_empty(const PppmBox *b)
{
    return b->hi[0] <= b->lo[0] || b->hi[1] <= b->lo[1] || b->hi[2] <= b->lo[2];
}

static inline size_t pppm_box_points(const PppmBox *b)
{
    if (pppm_box_empty(b)) return 0;
    return (size_t)(b->hi[0] - b->lo[0]) * (size_t)(b->hi[1] - b->lo[1]) *
           (size_t)(b->hi[2] - b->lo[2]);
}

static PppmBox pppm_box_and(const PppmBox *a, const PppmBox *b)
{
    PppmBox r;
    for (int d = 0; d < 3; d++) {
        r.lo[d] = pppm_imax(a->lo[d], b->lo[d]);
        r.hi[d] = pppm_imin(a->hi[d], b->hi[d]);
    }
    return r;
}

static inline double *pppm_view_at(const PppmView *v, int i, int j, int k)
{
    size_t m = ((size_t)(i - v->org[0]) * (size_t)v->dim[1] + (size_t)(j - v->org[1])) *
                   (size_t)v->dim[2] + (size_t)(k - v->org[2]);
    return v->p + m * (size_t)v->stride;
}

/* The points of box b packed in x, y, z order, nv values each, at p. */
static PppmView pppm_view_packed(double *p, const PppmBox *b, int nv)
{
    PppmView v;
    v.p = p;
    for (int d = 0; d < 3; d++) {
        v.org[d] = b->lo[d];
        v.dim[d] = b->hi[d] - b->lo[d];
    }
    v.nv = v.stride = nv;
    return v;
}

/* This rank's local array (owned brick + ghosts), nv values per point. */
static PppmView pppm_view_local(const Pppm *pm, double *p, int nv)
{
    PppmView v;
    v.p = p;
    for (int d = 0; d < 3; d++) {
        v.org[d] = pm->org[d];
        v.dim[d] = pm->ext[d];
    }
    v.nv = v.stride = nv;
    return v;
}

/* This rank's FFT slab with nv values per point and a stride of stride doubles. */
static PppmView pppm_view_slab(const Pppm *pm, double *p, int nv, int stride)
{
    PppmView v;
    v.p = p;
    v.org[0] = pm->x0;
    v.org[1] = v.org[2] = 0;
    v.dim[0] = pm->n0;
    v.dim[1] = pm->n[1];
    v.dim[2] = pm->n[2];
    v.nv = nv;
    v.stride = stride;
    return v;
}

/* One row of n points: d = s (add: d += s), snv values per point from s (stride ss), dnv
 * per point into d (stride ds; values snv..dnv-1 set to 0). Inlined with constant
 * arguments for the frequent layouts, so that the compiler specialises the loops. */
static inline void pppm_row(double *restrict d, size_t ds, int dnv, const double *restrict s,
                            size_t ss, int snv, int n, int add)
{
    for (int k = 0; k < n; k++) {
        for (int v = 0; v < snv; v++) {
            if (add) d[k * ds + v] += s[k * ss + v];
            else d[k * ds + v] = s[k * ss + v];
        }
        if (!add)
            for (int v = snv; v < dnv; v++) d[k * ds + v] = 0.0;
    }
}

/* Copy the points of box b from src to dst (add != 0: add them). src->nv values per point;
 * when dst->nv > src->nv the remaining values are set to 0 (a real value into a complex FFT
 * element). Work-shares the (x, y) rows over the threads of the enclosing parallel region
 * without a barrier (orphaned "omp for nowait"; serial when called outside a region): the
 * rows written are disjoint, and dst is read only after the region ends. Every thread of
 * the region makes the same sequence of calls. */
static void pppm_box_copy(const PppmView *dst, const PppmView *src, const PppmBox *b, int add)
{
    if (pppm_box_empty(b)) return;
    const int n0 = b->hi[0] - b->lo[0], n1 = b->hi[1] - b->lo[1], n2 = b->hi[2] - b->lo[2];
    const int snv = src->nv, dnv = dst->nv;
    const size_t ss = (size_t)src->stride, ds = (size_t)dst->stride;
    /* the layouts of compute(): 0 contiguous copy, 1 density ghosts (add), 2 density into
     * the complex FFT data, 3 E_x E_y out of it, 4 E_z out of it, 5 anything else */
    int kind = 5;
    if (!add && snv == dnv && ss == (size_t)snv && ds == (size_t)dnv) kind = 0;
    else if (add && snv == 1 && dnv == 1 && ss == 1 && ds == 1) kind = 1;
    else if (!add && snv == 1 && dnv == 2 && ss == 1 && ds == 2) kind = 2;
    else if (!add && snv == 2 && dnv == 2 && ss == 2 && ds == 3) kind = 3;
    else if (!add && snv == 1 && dnv == 1 && ss == 2 && ds == 3) kind = 4;
#pragma omp for collapse(2) schedule(static) nowait
    for (int i = 0; i < n0; i++)
        for (int j = 0; j < n1; j++) {
            const double *s = pppm_view_at(src, b->lo[0] + i, b->lo[1] + j, b->lo[2]);
            double *d = pppm_view_at(dst, b->lo[0] + i, b->lo[1] + j, b->lo[2]);
            switch (kind) {
            case 0: memcpy(d, s, sizeof(double) * (size_t)n2 * (size_t)snv); break;
            case 1: pppm_row(d, 1, 1, s, 1, 1, n2, 1); break;
            case 2: pppm_row(d, 2, 2, s, 1, 1, n2, 0); break;
            case 3: pppm_row(d, 3, 2, s, 2, 2, n2, 0); break;
            case 4: pppm_row(d, 3, 1, s, 2, 1, n2, 0); break;
            default: pppm_row(d, ds, dnv, s, ss, snv, n2, add); break;
            }
        }
}

/* ---------------------------------------------------------------- ghost exchange */

/* The region of the local array exchanged along d: planes [planes[0], planes[1]) in d; the
 * full local range (ghosts included, already exchanged) in the dimensions before d; the
 * owned range in the dimensions after d (their ghosts are filled by a later dimension). */
static PppmBox pppm_ghost_region(const Pppm *pm, int d, const int planes[2])
{
    PppmBox b;
    for (int e = 0; e < 3; e++) {
        if (e < d) {
            b.lo[e] = pm->org[e];
            b.hi[e] = pm->org[e] + pm->ext[e];
        } else if (e > d) {
            b.lo[e] = pm->in_lo[e];
            b.hi[e] = pm->in_hi[e];
        } else {
            b.lo[e] = planes[0];
            b.hi[e] = planes[1];
        }
    }
    return b;
}

/* One ghost message along d: the region sp of the local array v goes to rank dest; the
 * region rp receives (add = 0) or accumulates (add = 1) what rank src sends. When this rank
 * is its own neighbour the regions (disjoint planes, periodic images of each other) are
 * copied directly. */
static void pppm_ghost_message(Pppm *pm, const Comm *c, const PppmView *v, int d, const int sp[2],
                               int dest, const int rp[2], int src, int add)
{
    PppmBox sb = pppm_ghost_region(pm, d, sp), rb = pppm_ghost_region(pm, d, rp);
    size_t ns = pppm_box_points(&sb), nr = pppm_box_points(&rb);
    if (dest == pm->me && src == pm->me) {
        if (ns != nr)
            error_one(FLERR, "pppm: periodic ghost copy along %c of %zu points into %zu", 'x' + d,
                      ns, nr);
        PppmView dv = *v; /* dv at a point of sb = v at its image in rb */
        dv.org[d] -= rp[0] - sp[0];
#pragma omp parallel if (ns * (size_t)v->nv > PPPM_OMP_MIN_COPY)
        pppm_box_copy(&dv, v, &sb, add);
        return;
    }
    PppmView pv = pppm_view_packed(pm->gbuf, &sb, v->nv);
#pragma omp parallel if (ns * (size_t)v->nv > PPPM_OMP_MIN_COPY)
    pppm_box_copy(&pv, v, &sb, 0);
    size_t nb = comm_sendrecv_bytes(c, pm->gbuf, sizeof(double) * ns * (size_t)v->nv, dest,
                                    &pm->grecv, &pm->grecv_cap, src);
    if (nb != sizeof(double) * nr * (size_t)v->nv)
        error_one(FLERR, "pppm: ghost exchange along %c received %zu bytes from rank %d, "
                  "expected %zu", 'x' + d, nb, src, sizeof(double) * nr * (size_t)v->nv);
    PppmView rv = pppm_view_packed(pm->grecv, &rb, v->nv);
#pragma omp parallel if (nr * (size_t)v->nv > PPPM_OMP_MIN_COPY)
    pppm_box_copy(v, &rv, &rb, add);
}

/* Forward exchange: copy the owners' values into the ghost layers of the local array v. */
static void pppm_ghost_forward(Pppm *pm, const Comm *c, const PppmView *v)
{
    for (int d = 0; d < 3; d++) {
        int minus = comm_cart_neighbor(c, d, -1), plus = comm_cart_neighbor(c, d, +1);
        for (int k = 0; k < pm->npass[d]; k++) {
            const PppmPass *ps = &pm->pass[d][k];
            pppm_ghost_message(pm, c, v, d, ps->up_send, minus, ps->up_recv, plus, 0);
            pppm_ghost_message(pm, c, v, d, ps->dn_send, plus, ps->dn_recv, minus, 0);
        }
    }
}

/* Reverse exchange, the transpose of the forward one (dimensions and passes in reverse
 * order, messages going back): adds the ghost layers of v into their owners. */
static void pppm_ghost_reverse(Pppm *pm, const Comm *c, const PppmView *v)
{
    for (int d = 2; d >= 0; d--) {
        int minus = comm_cart_neighbor(c, d, -1), plus = comm_cart_neighbor(c, d, +1);
        for (int k = pm->npass[d] - 1; k >= 0; k--) {
            const PppmPass *ps = &pm->pass[d][k];
            pppm_ghost_message(pm, c, v, d, ps->dn_recv, minus, ps->dn_send, plus, 1);
            pppm_ghost_message(pm, c, v, d, ps->up_recv, plus, ps->up_send, minus, 1);
        }
    }
}

/* Send one int to dest, receive one from src. */
static int pppm_swap_int(Pppm *pm, const Comm *c, int val, int dest, int src)
{
    size_t nb = comm_sendrecv_bytes(c, &val, sizeof val, dest, &pm->grecv, &pm->grecv_cap, src);
    if (nb != sizeof val) error_one(FLERR, "pppm: ghost plan message of %zu bytes", nb);
    int r;
    memcpy(&r, pm->grecv, sizeof r);
    return r;
}

/* The ghost-exchange plan, by a dry run of the forward exchange that moves plane counts
 * only. Along d, the -d neighbour's upper ghost layers are my planes [a, a + gh) (its b is
 * my a, modulo n); pass after pass I send it the part of them I hold (my owned planes, then
 * upper ghost planes received in earlier passes), and receive from the +d neighbour the next
 * planes above b. The lower side mirrors it. All ranks make the same number of passes. */
static void pppm_plan_ghosts(Pppm *pm, const Comm *c)
{
    for (int d = 0; d < 3; d++) {
        const int a = pm->in_lo[d], b = pm->in_hi[d], gl = pm->gl[d], gh = pm->gh[d];
        const int minus = comm_cart_neighbor(c, d, -1), plus = comm_cart_neighbor(c, d, +1);
        int up_valid = b, up_sent = a, dn_valid = a, dn_sent = b, cap = 0;
        mem_free(pm->pass[d]);
        pm->pass[d] = NULL;
        pm->npass[d] = 0;
        for (;;) {
            PppmPass ps;
            int cu = pppm_imax(pppm_imin(a + gh, up_valid) - up_sent, 0);
            ps.up_send[0] = up_sent;
            ps.up_send[1] = up_sent += cu;
            int ru = pppm_swap_int(pm, c, cu, minus, plus);
            ps.up_recv[0] = up_valid;
            ps.up_recv[1] = up_valid += ru;
            int cl = pppm_imax(dn_sent - pppm_imax(b - gl, dn_valid), 0);
            ps.dn_send[1] = dn_sent;
            ps.dn_send[0] = dn_sent -= cl;
            int rl = pppm_swap_int(pm, c, cl, plus, minus);
            ps.dn_recv[1] = dn_valid;
            ps.dn_recv[0] = dn_valid -= rl;
            if (up_valid > b + gh || dn_valid < a - gl)
                error_one(FLERR, "pppm: ghost plan along %c overran the ghost layers", 'x' + d);
            int st[2] = {up_valid < b + gh || dn_valid > a - gl, cu + cl > 0};
            comm_max_int(c, st, 2);
            if (!st[1]) {
                if (!st[0]) break; /* nothing moved and nothing missing: drop the empty pass */
                error_all(FLERR, "pppm: the ghost exchange along %c makes no progress", 'x' + d);
            }
            if (pm->npass[d] == cap) {
                int nc = cap ? 2 * cap : 2;
                mem_grow((void **)&pm->pass[d], (size_t)cap, (size_t)nc, sizeof(PppmPass),
                         "pppm ghost plan");
                cap = nc;
            }
            pm->pass[d][pm->npass[d]++] = ps;
            if (!st[0]) break;
        }
    }
}

/* ---------------------------------------------------------------- brick layout */

/* ceil(t), but t within 1e-9 (relative) of an integer counts as that integer. */
static double pppm_snap_ceil(double t)
{
    double r = nearbyint(t);
    if (fabs(t - r) <= 1e-9 * fmax(1.0, fabs(t))) return r;
    return ceil(t);
}

/* The mesh points [*a, *b) along d whose positions lie in the subdomain of s. */
static void pppm_owned(const Pppm *pm, const KspaceSystem *s, int d, int *a, int *b)
{
    const double n = pm->n[d];
    double ta = pppm_snap_ceil((s->sublo[d] - s->lo[d]) * n / s->len[d]);
    double tb = pppm_snap_ceil((s->subhi[d] - s->lo[d]) * n / s->len[d]);
    ta = ta > 0.0 ? (ta < n ? ta : n) : 0.0; /* also maps NaN to 0 */
    tb = tb > 0.0 ? (tb < n ? tb : n) : 0.0;
    *a = (int)ta;
    *b = pppm_imax((int)tb, *a);
}

static PppmBox pppm_brick_of(const int *all, int r)
{
    PppmBox b;
    for (int d = 0; d < 3; d++) {
        b.lo[d] = all[6 * r + d];
        b.hi[d] = all[6 * r + 3 + d];
    }
    return b;
}

/* The owned bricks (every rank's, in all[6 P]) must tile the mesh, and the process-grid
 * neighbours of this rank must own the adjoining bricks. */
static void pppm_check_bricks(const Pppm *pm, const Comm *c, const int *all)
{
    const int P = pm->nranks, *n = pm->n;
    size_t vol = 0;
    int bad = 0;
    for (int r = 0; r < P; r++) {
        PppmBox br = pppm_brick_of(all, r);
        for (int d = 0; d < 3; d++)
            if (br.lo[d] < 0 || br.hi[d] > n[d] || br.hi[d] < br.lo[d]) bad = 1;
        vol += pppm_box_points(&br);
    }
    for (int r = 0; r < P && !bad; r++) {
        PppmBox br = pppm_brick_of(all, r);
        if (pppm_box_empty(&br)) continue;
        for (int q = r + 1; q < P && !bad; q++) {
            PppmBox bq = pppm_brick_of(all, q), x = pppm_box_and(&br, &bq);
            if (!pppm_box_empty(&x)) bad = 1;
        }
    }
    if (bad || vol != pm->ngrid)
        error_all(FLERR, "pppm: the ranks' subdomains (sublo, subhi) do not tile the %d x %d x %d "
                  "mesh (%zu points owned in all)", n[0], n[1], n[2], vol);
    for (int d = 0; d < 3; d++)
        for (int dir = -1; dir <= 1; dir += 2) {
            int r = comm_cart_neighbor(c, d, dir);
            PppmBox br = pppm_brick_of(all, r);
            int ok = dir > 0 ? br.lo[d] % n[d] == pm->in_hi[d] % n[d]
                             : br.hi[d] % n[d] == pm->in_lo[d] % n[d];
            for (int e = 0; e < 3; e++)
                if (e != d && (br.lo[e] != pm->in_lo[e] || br.hi[e] != pm->in_hi[e])) ok = 0;
            if (!ok)
                error_one(FLERR, "pppm: the subdomain of rank %d, the %c%c neighbour of rank %d on "
                          "the process grid, does not adjoin it (sublo/subhi must come from the "
                          "grid of comm_cart_setup)", r, dir > 0 ? '+' : '-', 'x' + d, pm->me);
        }
}

/* Boxes of the brick <-> slab remap: my brick with every other rank's slab (out), every
 * other rank's brick with my slab (in), and my brick with my slab (copied directly). */
static void pppm_plan_remap(Pppm *pm, const int *all)
{
    const int P = pm->nranks;
    PppmBox mine = pppm_brick_of(all, pm->me);
    PppmBox myslab = {{pm->x0, 0, 0}, {pm->x0 + pm->n0, pm->n[1], pm->n[2]}};
    PppmRemap *rm[2] = {&pm->rout, &pm->rin};
    for (int t = 0; t < 2; t++) {
        mem_free(rm[t]->box);
        mem_free(rm[t]->off);
        rm[t]->box = mem_alloc(sizeof(PppmBox) * (size_t)P, "pppm remap boxes");
        rm[t]->off = mem_alloc(sizeof(size_t) * (size_t)P, "pppm remap offsets");
        rm[t]->nbox = 0;
        rm[t]->total = 0;
    }
    for (int r = 0; r < P; r++) {
        PppmBox slab_r = {{pm->slab[2 * r], 0, 0},
                          {pm->slab[2 * r] + pm->slab[2 * r + 1], pm->n[1], pm->n[2]}};
        PppmBox brick_r = pppm_brick_of(all, r);
        PppmBox x[2] = {pppm_box_and(&mine, &slab_r), pppm_box_and(&brick_r, &myslab)};
        if (r == pm->me) {
            pm->rself = x[0];
            pm->rout.cnt[r] = pm->rin.cnt[r] = 0;
            continue;
        }
        for (int t = 0; t < 2; t++) {
            size_t np = pppm_box_points(&x[t]);
            rm[t]->cnt[r] = np;
            if (!np) continue;
            rm[t]->box[rm[t]->nbox] = x[t];
            rm[t]->off[rm[t]->nbox++] = rm[t]->total;
            rm[t]->total += np;
        }
    }
    if (pm->rin.total + pppm_box_points(&pm->rself) != pm->nslab)
        error_one(FLERR, "pppm: the bricks cover %zu of the %zu points of the FFT slab of rank %d",
                  pm->rin.total + pppm_box_points(&pm->rself), pm->nslab, pm->me);
    size_t ns = pm->rout.total > 3 * pm->rin.total ? pm->rout.total : 3 * pm->rin.total;
    size_t nr = pm->rin.total > 3 * pm->rout.total ? pm->rin.total : 3 * pm->rout.total;
    mem_free(pm->rbuf_s);
    mem_free(pm->rbuf_r);
    pm->rbuf_s = mem_alloc(sizeof(double) * ns, "pppm remap send buffer");
    pm->rbuf_r = mem_alloc(sizeof(double) * nr, "pppm remap receive buffer");
}

/* Owned brick, ghost layers (the larger of the skin-based estimate, need[6] and, over ranks,
 * the widest; see the top of the file), the ghost plan, the remap and the local arrays for
 * the subdomains of s. Collective. */
static void pppm_layout(Pppm *pm, const KspaceSystem *s, const int need[6])
{
    const Comm *c = s->comm;
    const int p = pm->order, *n = pm->n;
    int w[6];
    for (int d = 0; d < 3; d++) {
        int a, b;
        pppm_owned(pm, s, d, &a, &b);
        pm->in_lo[d] = a;
        pm->in_hi[d] = b;
        /* positions (mesh units) of the owned atoms: the subdomain widened by skin/2; a rank
         * owning the whole dimension sees them in [0, n) (nearest image, pppm_stencils) */
        double u0 = 0.0, u1 = n[d];
        if (a != 0 || b != n[d]) {
            double delta = s->skin > 0.0 ? 0.5 * s->skin : 0.0;
            u0 = (s->sublo[d] - delta - s->lo[d]) * n[d] / s->len[d];
            u1 = (s->subhi[d] + delta - s->lo[d]) * n[d] / s->len[d];
        }
        int lowest = (int)floor(u0 + 0.5 * p) - p + 1, highest = (int)floor(u1 + 0.5 * p);
        w[2 * d] = pppm_imax(pppm_imax(a - lowest, need[2 * d]), 0);
        w[2 * d + 1] = pppm_imax(pppm_imax(highest + 1 - b, need[2 * d + 1]), 0);
    }
    comm_max_int(c, w, 6);
    pm->next = 1;
    for (int d = 0; d < 3; d++) {
        pm->gl[d] = w[2 * d];
        pm->gh[d] = w[2 * d + 1];
        pm->org[d] = pm->in_lo[d] - pm->gl[d];
        pm->ext[d] = pm->in_hi[d] - pm->in_lo[d] + pm->gl[d] + pm->gh[d];
        pm->next *= (size_t)pm->ext[d];
    }

    int mine[6] = {pm->in_lo[0], pm->in_lo[1], pm->in_lo[2],
                   pm->in_hi[0], pm->in_hi[1], pm->in_hi[2]};
    int *all = mem_alloc(sizeof(int) * 6 * (size_t)pm->nranks, "pppm bricks");
    comm_allgather_int(c, mine, 6, all);
    pppm_check_bricks(pm, c, all);

    mem_free(pm->brho);
    mem_free(pm->bfield);
    mem_free(pm->bstart);
    pm->brho = mem_alloc(sizeof(double) * pm->next, "pppm density brick");
    pm->bfield = mem_alloc(sizeof(double) * 3 * pm->next, "pppm field brick");
    pm->bstart = mem_alloc(sizeof(int) * ((size_t)pm->ext[0] + 1), "pppm buckets");

    pppm_plan_ghosts(pm, c);
    size_t gmax = 0;
    for (int d = 0; d < 3; d++)
        for (int k = 0; k < pm->npass[d]; k++) {
            const PppmPass *ps = &pm->pass[d][k];
            const int *pl[4] = {ps->up_send, ps->up_recv, ps->dn_send, ps->dn_recv};
            for (int j = 0; j < 4; j++) {
                PppmBox rb = pppm_ghost_region(pm, d, pl[j]);
                size_t np = pppm_box_points(&rb);
                if (np > gmax) gmax = np;
            }
        }
    mem_free(pm->gbuf);
    pm->gbuf = mem_alloc(sizeof(double) * 3 * gmax, "pppm ghost buffer");

    pppm_plan_remap(pm, all);
    mem_free(all);
    pm->have_layout = 1;
}

/* ---------------------------------------------------------------- remap */

/* Owned bricks -> FFT slabs: the density of the owned points becomes the real part of the
 * FFT data (imaginary part 0). */
static void pppm_remap_to_slabs(Pppm *pm, const Comm *c, double *data)
{
    PppmView bv = pppm_view_local(pm, pm->brho, 1), dv = pppm_view_slab(pm, data, 2, 2);
    size_t nout = pm->rout.total + pppm_box_points(&pm->rself);
#pragma omp parallel if (nout > PPPM_OMP_MIN_COPY)
    {
        for (int j = 0; j < pm->rout.nbox; j++) {
            PppmView pv = pppm_view_packed(pm->rbuf_s + pm->rout.off[j], &pm->rout.box[j], 1);
            pppm_box_copy(&pv, &bv, &pm->rout.box[j], 0);
        }
        pppm_box_copy(&dv, &bv, &pm->rself, 0);
    }
    if (pm->nranks == 1) return;
    comm_alltoallv_double(c, pm->rbuf_s, pm->rout.cnt, pm->rbuf_r, pm->rin.cnt);
#pragma omp parallel if (pm->rin.total > PPPM_OMP_MIN_COPY)
    for (int j = 0; j < pm->rin.nbox; j++) {
        PppmView pv = pppm_view_packed(pm->rbuf_r + pm->rin.off[j], &pm->rin.box[j], 1);
        pppm_box_copy(&dv, &pv, &pm->rin.box[j], 0);
    }
}

/* FFT slabs -> owned bricks for the field, part 1 (after each backward FFT): components
 * comp0 .. comp0 + ncomp - 1 (E_x, E_y from the real and imaginary parts, or E_z from the
 * real part) of the slab points go into the remap send buffer (3 values per point) and, for
 * my own brick, straight into the local field array. */
static void pppm_field_pack(Pppm *pm, const double *data, int comp0, int ncomp)
{
    PppmView sv = pppm_view_slab(pm, (double *)data, ncomp, 2);
    PppmView bv = pppm_view_local(pm, pm->bfield + comp0, 3);
    bv.nv = ncomp;
    size_t nout = (size_t)ncomp * (pm->rin.total + pppm_box_points(&pm->rself));
#pragma omp parallel if (nout > PPPM_OMP_MIN_COPY)
    {
        for (int j = 0; j < pm->rin.nbox; j++) {
            PppmView pv = pppm_view_packed(pm->rbuf_s + 3 * pm->rin.off[j] + comp0,
                                           &pm->rin.box[j], 3);
            pv.nv = ncomp;
            pppm_box_copy(&pv, &sv, &pm->rin.box[j], 0);
        }
        pppm_box_copy(&bv, &sv, &pm->rself, 0);
    }
}

/* FFT slabs -> owned bricks for the field, part 2: the all-to-all, and the received
 * points (E_x E_y E_z) into the local field array. */
static void pppm_field_exchange(Pppm *pm, const Comm *c)
{
    if (pm->nranks == 1) return;
    PppmView bv = pppm_view_local(pm, pm->bfield, 3);
    for (int r = 0; r < pm->nranks; r++) {
        pm->rcnt_s[r] = 3 * pm->rin.cnt[r];
        pm->rcnt_r[r] = 3 * pm->rout.cnt[r];
    }
    comm_alltoallv_double(c, pm->rbuf_s, pm->rcnt_s, pm->rbuf_r, pm->rcnt_r);
#pragma omp parallel if (3 * pm->rout.total > PPPM_OMP_MIN_COPY)
    for (int j = 0; j < pm->rout.nbox; j++) {
        PppmView pv = pppm_view_packed(pm->rbuf_r + 3 * pm->rout.off[j], &pm->rout.box[j], 3);
        pppm_box_copy(&bv, &pv, &pm->rout.box[j], 0);
    }
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
    double **dp[] = {&pm->green, &pm->grho, &pm->plane_sum, &pm->brho,
                     &pm->bfield, &pm->gbuf, &pm->rbuf_s, &pm->rbuf_r};
    for (size_t j = 0; j < sizeof dp / sizeof dp[0]; j++) {
        mem_free(*dp[j]);
        *dp[j] = NULL;
    }
    for (int d = 0; d < 3; d++) {
        mem_free(pm->fk[d]);
        mem_free(pm->fkd[d]);
        mem_free(pm->pass[d]);
        pm->fk[d] = pm->fkd[d] = NULL;
        pm->pass[d] = NULL;
        pm->npass[d] = 0;
    }
    PppmRemap *rm[2] = {&pm->rout, &pm->rin};
    for (int t = 0; t < 2; t++) {
        mem_free(rm[t]->box);
        mem_free(rm[t]->off);
        mem_free(rm[t]->cnt);
        memset(rm[t], 0, sizeof *rm[t]);
    }
    mem_free(pm->rcnt_s);
    mem_free(pm->rcnt_r);
    mem_free(pm->slab);
    mem_free(pm->bstart);
    pm->rcnt_s = pm->rcnt_r = NULL;
    pm->slab = pm->bstart = NULL;
    pm->have_layout = 0;
}

static void pppm_destroy(Kspace **k)
{
    if (!k || !*k) return;
    Pppm *pm = (Pppm *)*k;
    pppm_free_mesh(pm);
    free(pm->grecv); /* grown by comm_sendrecv_bytes with realloc */
    mem_free(pm->sidx);
    mem_free(pm->swt);
    mem_free(pm->batom);
    mem_free(pm);
    *k = NULL;
}

/* FFT plan, slab bookkeeping and slab arrays for the fixed mesh (the bricks: pppm_layout). */
static void pppm_alloc_mesh(Pppm *pm, const Comm *c)
{
    const int *n = pm->n, P = comm_size(c);
    pm->nranks = P;
    pm->me = comm_rank(c);
    pm->fft = comm_fft_create(c, n, &pm->n0, &pm->x0);
    int mine[2] = {pm->x0, pm->n0};
    pm->slab = mem_alloc(sizeof(int) * 2 * (size_t)P, "pppm slabs");
    comm_allgather_int(c, mine, 2, pm->slab);
    int next = 0;
    for (int r = 0; r < P; r++) {
        if (pm->slab[2 * r + 1] > 0 && pm->slab[2 * r] != next)
            error_all(FLERR, "pppm: FFT slab of rank %d starts at x plane %d, expected %d", r,
                      pm->slab[2 * r], next);
        next += pm->slab[2 * r + 1];
    }
    if (next != n[0]) error_all(FLERR, "pppm: FFT slabs cover %d of %d x planes", next, n[0]);
    pm->nslab = (size_t)pm->n0 * n[1] * n[2];
    pm->ngrid = (size_t)n[0] * n[1] * n[2];
    pm->green = mem_alloc(sizeof(double) * pm->nslab, "pppm green");
    for (int d = 0; d < 3; d++) {
        pm->fk[d] = mem_alloc(sizeof(double) * (size_t)n[d], "pppm k");
        pm->fkd[d] = mem_alloc(sizeof(double) * (size_t)n[d], "pppm ik");
    }
    pm->grho = mem_alloc(sizeof(double) * 2 * pm->nslab, "pppm G rho");
    pm->plane_sum = mem_alloc(sizeof(double) * 7 * (size_t)pm->n0, "pppm sums");
    pm->rout.cnt = mem_alloc(sizeof(size_t) * (size_t)P, "pppm remap counts");
    pm->rin.cnt = mem_alloc(sizeof(size_t) * (size_t)P, "pppm remap counts");
    pm->rcnt_s = mem_alloc(sizeof(size_t) * (size_t)P, "pppm remap counts");
    pm->rcnt_r = mem_alloc(sizeof(size_t) * (size_t)P, "pppm remap counts");
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
    const int no_need[6] = {0, 0, 0, 0, 0, 0};
    pppm_layout(pm, s, no_need);

    double g = k->g_ewald;
    double dk = pppm_df_kspace(pm, s->len, natoms, g), dr = pppm_df_rspace(pm, s->len, natoms, g);
    k->est_abs_force = sqrt(dk * dk + dr * dr);
    k->est_rel_force = k->est_abs_force / UNITS_QQR2E;
    if (buf && bufsize > 0)
        snprintf(buf, (size_t)bufsize,
                 "pppm: g_ewald = %.8g 1/A, grid = %d %d %d, stencil order = %d, estimated RMS "
                 "force accuracy = %.8g kcal/mol/A absolute, %.8g relative (kspace %.3g, real "
                 "space %.3g kcal/mol/A); FFT x-slabs over %d rank(s), mesh bricks with ghost "
                 "layers (rank %d: %d x %d x %d owned, %d x %d x %d with ghosts)",
                 g, pm->n[0], pm->n[1], pm->n[2], pm->order, k->est_abs_force, k->est_rel_force,
                 dk, dr, pm->nranks, pm->me, pm->in_hi[0] - pm->in_lo[0],
                 pm->in_hi[1] - pm->in_lo[1], pm->in_hi[2] - pm->in_lo[2], pm->ext[0], pm->ext[1],
                 pm->ext[2]);
}

/* ---------------------------------------------------------------- compute */

/* Weights and top mesh indices (global, of the periodic image nearest the centre of the
 * brick of s's subdomain) of the owned atoms. chk[0..5] receives the ghost layers they
 * require below / above that brick per dimension, chk[6] is 1 if that brick is not the one
 * of the current layout (a box or subdomain change that moved a brick face past a mesh
 * plane; smaller changes keep the layout). */
static void pppm_stencils(Pppm *pm, const KspaceSystem *s, int chk[7])
{
    const int p = pm->order, nat = s->nlocal;
    if (nat > pm->atom_cap) {
        int cap = nat + nat / 4 + 8;
        mem_free(pm->sidx);
        mem_free(pm->swt);
        mem_free(pm->batom);
        pm->sidx = mem_alloc(sizeof(int) * 3 * (size_t)cap, "pppm stencil index");
        pm->swt = mem_alloc(sizeof(double) * 3 * (size_t)p * cap, "pppm stencil weight");
        pm->batom = mem_alloc(sizeof(int) * (size_t)cap, "pppm plane buckets");
        pm->atom_cap = cap;
    }
    int a[3], b[3];
    double cen[3];
    chk[6] = !pm->have_layout;
    for (int d = 0; d < 3; d++) {
        pppm_owned(pm, s, d, &a[d], &b[d]);
        cen[d] = 0.5 * (a[d] + b[d]);
        if (a[d] != pm->in_lo[d] || b[d] != pm->in_hi[d]) chk[6] = 1;
    }
    const double half = 0.5 * p;
    int lo0 = INT_MAX, lo1 = INT_MAX, lo2 = INT_MAX, hi0 = INT_MIN, hi1 = INT_MIN, hi2 = INT_MIN;
    int bad = 0;
#pragma omp parallel for schedule(static) reduction(min : lo0, lo1, lo2) \
    reduction(max : hi0, hi1, hi2, bad)
    for (int i = 0; i < nat; i++) {
        int top[3];
        for (int d = 0; d < 3; d++) {
            int nd = pm->n[d];
            double u = (s->x[i][d] - s->lo[d]) * nd / pm->len[d] + half;
            if (!(fabs(u) < 1e8)) {
                bad = 1;
                u = 0.0;
            }
            double fl = floor(u);
            pppm_bspline(p, u - fl, pm->swt + ((size_t)i * 3 + d) * p);
            int k = (int)floor((u - half - cen[d]) / nd + 0.5);
            top[d] = (int)fl - k * nd; /* stencil point j = top - j has weight swt[j] */
            pm->sidx[(size_t)i * 3 + d] = top[d];
        }
        lo0 = pppm_imin(lo0, top[0]);
        lo1 = pppm_imin(lo1, top[1]);
        lo2 = pppm_imin(lo2, top[2]);
        hi0 = pppm_imax(hi0, top[0]);
        hi1 = pppm_imax(hi1, top[1]);
        hi2 = pppm_imax(hi2, top[2]);
    }
    if (bad)
        error_one(FLERR, "pppm: an owned atom has a non-finite position or is far outside the "
                  "box");
    const int lo[3] = {lo0, lo1, lo2}, hi[3] = {hi0, hi1, hi2};
    for (int d = 0; d < 3; d++) {
        chk[2 * d] = nat ? a[d] - (lo[d] - p + 1) : 0;
        chk[2 * d + 1] = nat ? hi[d] + 1 - b[d] : 0;
    }
}

/* Stencil indices into local-array coordinates, and the local x-plane buckets. */
static void pppm_buckets(Pppm *pm, int nat)
{
    const int nx = pm->ext[0];
#pragma omp parallel for schedule(static)
    for (int i = 0; i < nat; i++)
        for (int d = 0; d < 3; d++) pm->sidx[(size_t)i * 3 + d] -= pm->org[d];
    int *bs = pm->bstart;
    memset(bs, 0, sizeof(int) * (size_t)(nx + 1));
    for (int i = 0; i < nat; i++) bs[pm->sidx[(size_t)i * 3] + 1]++;
    for (int b = 0; b < nx; b++) bs[b + 1] += bs[b];
    for (int i = 0; i < nat; i++) pm->batom[bs[pm->sidx[(size_t)i * 3]]++] = i; /* -> end of b */
    for (int b = nx; b > 0; b--) bs[b] = bs[b - 1];
    bs[0] = 0;
}

/* Spread the owned charges on the local array (threads own x planes). */
static void pppm_spread(Pppm *pm, const KspaceSystem *s)
{
    const int p = pm->order, nx = pm->ext[0], ny = pm->ext[1], nz = pm->ext[2];
    const double delvolinv = (double)pm->ngrid / pm->volume;
    const int *bs = pm->bstart, *ba = pm->batom;
#pragma omp parallel for schedule(dynamic, 1)
    for (int ix = 0; ix < nx; ix++) {
        double *plane = pm->brho + (size_t)ix * ny * nz;
        memset(plane, 0, sizeof(double) * (size_t)ny * nz);
        for (int t = 0; t < p && ix + t < nx; t++) {
            int b = ix + t; /* atoms whose top x plane is ix + t reach ix with weight t */
            for (int a = bs[b]; a < bs[b + 1]; a++) {
                int i = ba[a];
                const double *w = pm->swt + (size_t)i * 3 * p;
                const int *top = pm->sidx + (size_t)i * 3;
                double wx = w[t] * s->q[i] * delvolinv;
                const double *wy = w + p, *wz = w + 2 * p;
                for (int jy = 0; jy < p; jy++) {
                    double *row = plane + (size_t)(top[1] - jy) * nz + top[2];
                    double wxy = wx * wy[jy];
                    for (int jz = 0; jz < p; jz++) row[-jz] += wxy * wz[jz];
                }
            }
        }
    }
}

/* Interpolate E at the owned atoms from the local field array and add the forces. */
static void pppm_gather_forces(Pppm *pm, const KspaceSystem *s)
{
    const int p = pm->order, ny = pm->ext[1], nz = pm->ext[2], nat = s->nlocal;
    const double *fld = pm->bfield;
#pragma omp parallel for schedule(static)
    for (int i = 0; i < nat; i++) {
        const double *w = pm->swt + (size_t)i * 3 * p;
        const int *top = pm->sidx + (size_t)i * 3;
        double ex = 0.0, ey = 0.0, ez = 0.0;
        for (int jx = 0; jx < p; jx++) {
            const double *pl = fld + (size_t)(top[0] - jx) * ny * nz * 3;
            for (int jy = 0; jy < p; jy++) {
                const double *row = pl + ((size_t)(top[1] - jy) * nz + top[2]) * 3;
                double wxy = w[jx] * w[p + jy];
                for (int jz = 0; jz < p; jz++) {
                    double ww = wxy * w[2 * p + jz];
                    const double *e = row - 3 * jz;
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

    /* stencils; one reduction: do the ghosts still cover every atom, is the layout current? */
    int chk[7];
    pppm_stencils(pm, s, chk);
    comm_max_int(s->comm, chk, 7);
    int relayout = chk[6];
    for (int d = 0; d < 3; d++)
        if (chk[2 * d] > pm->gl[d] || chk[2 * d + 1] > pm->gh[d]) relayout = 1;
    if (relayout) pppm_layout(pm, s, chk);
    pppm_buckets(pm, s->nlocal);

    /* density: spread, sum ghosts into owners, owned bricks -> FFT slabs */
    pppm_spread(pm, s);
    PppmView rv = pppm_view_local(pm, pm->brho, 1);
    pppm_ghost_reverse(pm, s->comm, &rv);
    double *data = comm_fft_data(pm->fft);
    pppm_remap_to_slabs(pm, s->comm, data);
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
    pppm_field_pack(pm, data, 0, 2);
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
    pppm_field_pack(pm, data, 2, 1);

    /* field: FFT slabs -> owned bricks, owners -> ghosts, interpolate */
    pppm_field_exchange(pm, s->comm);
    PppmView fv = pppm_view_local(pm, pm->bfield, 3);
    pppm_ghost_forward(pm, s->comm, &fv);
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
