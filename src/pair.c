/* pair.c - one non-bonded pass for every atom pair within the cutoff rc.
 *
 * Short range, per type pair (a "hybrid" table filled from parameter files and pair_coeff):
 *   Buckingham  E = A exp(-r/rho) - C/r^6
 *   LJ 12-6     E = 4 eps [(sigma/r)^12 - (sigma/r)^6]
 * truncated at rc, by default without shift (as LAMMPS pair_modify shift no; 'pair_modify shift
 * yes' subtracts E(rc) so the energy is continuous, which minimisers like), no tail correction.
 * Real-space Coulomb, one form for the whole system (k = 332.06371 kcal A/(mol e^2)):
 *   long  E = k qi qj erfc(g r)/r, the real-space half of Ewald/PPPM (g from the kspace style)
 *   cut   E = k qi qj / r (plain truncation; for tests and gas-phase checks only)
 *   dsf   damped shifted force, Fennell & Gezelter, J. Chem. Phys. 124, 234104 (2006), eq. 14:
 *         E = k qi qj [erfc(a r)/r - erfc(a rc)/rc + (erfc(a rc)/rc^2
 *                       + 2a/sqrt(pi) exp(-a^2 rc^2)/rc)(r - rc)]
 *         plus the self term -(erfc(a rc)/(2 rc) + a/sqrt(pi)) k sum_i qi^2.
 *         (LAMMPS's coul/dsf uses -(e_shift/2 + a/sqrt(pi)) k qi^2 instead, which differs by a
 *         constant per charge; forces are identical.)
 * erfc: libm's erfc by default; "pair_modify erfc poly" uses the Abramowitz & Stegun 7.1.26
 * rational approximation (|error| < 1.5e-7), which is what LAMMPS uses without tables, so
 * energies compare to LAMMPS to ~1e-10; its force is then not exactly -dE/dr (~1e-6 rel).
 *
 * Special pairs (1-2, 1-3, 1-4 in a molecule) are scaled by the model's factors (special_bonds):
 * LJ by flj; Coulomb keeps fco of k qi qj / r, written, as in LAMMPS, as the full pair term
 * minus (1 - fco) k qi qj / r, which for long-range Coulomb also cancels the excluded part the
 * kspace sum contains (within the cutoff).
 *
 * Lists are half lists with owned-ghost pairs on both ranks (see neigh.c): force goes on
 * owned atoms only and owned-ghost pairs count half their energy and virial.
 *
 * OpenMP race strategy: the owned atoms are split into contiguous blocks, one per thread;
 * a pair (i, j) with j owned writes f[j], which may belong to another thread's block, so
 * every thread accumulates into its own force array (nlocal x 3, zeroed per call) and the
 * arrays are summed afterwards in thread order (deterministic for a given thread count).
 * This keeps Newton's third law (half the pair work of CoMD's full lists); measured on the
 * 1000-atom PbSe cube it is the faster of the two on this dense system. */
#include "pair.h"
#include "comm.h"
#include "error.h"
#include "memory.h"
#include "neigh.h"
#include "sim.h"
#include "units.h"
#include "fastexp.h"
#include <math.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* Abramowitz & Stegun 7.1.26 */
#define AS_P 0.3275911
#define AS_A1 0.254829592
#define AS_A2 -0.284496736
#define AS_A3 1.421413741
#define AS_A4 -1.453152027
#define AS_A5 1.061405429
#define TWO_OVER_SQRTPI 1.12837916709551257390

/* Flat per-type-pair parameters prepared by pair_init. One branch-free form covers both
 * short-range styles, so the loop over neighbours vectorises:
 *   E = a exp(-r rhoinv) - c6 / r^6 + c12 / r^12
 * Buckingham: a = A, rhoinv = 1/rho, c6 = C, c12 = 0. LJ: a = 0, c6 = 4 eps sigma^6,
 * c12 = 4 eps sigma^12. */
struct PairTab {
    double a, rhoinv, c6, c12;
    double eshift;            /* E_sr(rc) if pair_modify shift yes, else 0 (kcal/mol) */
};
typedef struct PairTab PairTab;

static const char *form_names[SR_COUNT] = {"none", "buck", "lj"};
static const char *coul_names[COUL_COUNT] = {"off", "cut", "long", "dsf"};
const char *pair_form_name(int f) { return (f >= 0 && f < SR_COUNT) ? form_names[f] : "?"; }
const char *pair_coul_name(int c) { return (c >= 0 && c < COUL_COUNT) ? coul_names[c] : "?"; }

void pair_init(Sim *sim, double g_ewald)
{
    Pair *p = &sim->pair;
    if (!p->tab) p->tab = mem_alloc(sizeof(PairTab) * SIM_MAXTYPES * SIM_MAXTYPES, "pair table");
    int nt = sim->types.ntypes;
    for (int i = 0; i < nt; i++)
        for (int j = 0; j < nt; j++) {
            if (!p->coeff_set[i][j])
                error_all(FLERR, "no pair coefficients for types %s %s: give them with 'forcefield FILE' or 'pair_coeff %s %s buck|lj ...'",
                          sim->types.name[i], sim->types.name[j], sim->types.name[i], sim->types.name[j]);
            const PairCoeff *c = &p->coeff[i][j];
            PairTab *t = &p->tab[i * SIM_MAXTYPES + j];
            memset(t, 0, sizeof *t);
            if (c->form == SR_BUCK) {
                t->a = c->a;
                t->rhoinv = 1.0 / c->rho;
                t->c6 = c->c;
            } else if (c->form == SR_LJ) {
                double s6 = pow(c->sigma, 6.0);
                t->c12 = 4.0 * c->eps * s6 * s6;
                t->c6 = 4.0 * c->eps * s6;
            }
            if (p->shift) {
                double rc = p->cutoff, rc6 = pow(rc, -6.0);
                t->eshift = t->a * exp(-rc * t->rhoinv) - t->c6 * rc6 + t->c12 * rc6 * rc6;
            }
        }
    p->g_ewald = g_ewald;
    if (p->coul == COUL_DSF) {
        double a = p->dsf_alpha, rc = p->cutoff;
        double erfcc = erfc(a * rc);
        p->dsf_fshift = -(erfcc / (rc * rc) + TWO_OVER_SQRTPI * a * exp(-a * a * rc * rc) / rc);
        p->dsf_eshift = erfcc / rc - p->dsf_fshift * rc;
    }
}

/* erfc(x) and exp(-x^2): libm, or Abramowitz & Stegun 7.1.26 (one vectorisable exp). */
static inline double erfc_and_exp(double x, int poly, double *expm2)
{
    double e = fast_exp(-x * x);
    *expm2 = e;
    if (poly) {
        double t = 1.0 / (1.0 + AS_P * x);
        return t * (AS_A1 + t * (AS_A2 + t * (AS_A3 + t * (AS_A4 + t * AS_A5)))) * e;
    }
    return erfc(x);
}

/* One pair: energies (kcal/mol) and force/r (kcal/mol/A^2). COUL and POLY are constants in
 * every caller, so the branches below fold away. */
static inline __attribute__((always_inline)) double kernel(const Pair *pp, const PairTab *t, int coul,
                                                           int poly, double qiqj, double rsq,
                                                           double flj, double fco, double *ev,
                                                           double *ec)
{
    double r2inv = 1.0 / rsq, r = sqrt(rsq);
    double r6inv = r2inv * r2inv * r2inv;
    double rexp = t->a * fast_exp(-r * t->rhoinv);
    double e_v = flj * (rexp - t->c6 * r6inv + t->c12 * r6inv * r6inv - t->eshift);
    double f = flj * (rexp * t->rhoinv * r - 6.0 * t->c6 * r6inv + 12.0 * t->c12 * r6inv * r6inv) * r2inv;
    double e_c = 0.0;
    if (coul != COUL_OFF) {
        double pre = UNITS_QQR2E * qiqj / r;
        if (coul == COUL_LONG) {
            double expm2, gr = pp->g_ewald * r;
            double erfcv = erfc_and_exp(gr, poly, &expm2);
            /* a special pair keeps fco of its 1/r: subtract (1 - fco) k qi qj / r, which also
             * removes the part the kspace sum includes (the exclusion correction) */
            e_c = pre * (erfcv - (1.0 - fco));
            f += pre * (erfcv + TWO_OVER_SQRTPI * gr * expm2 - (1.0 - fco)) * r2inv;
        } else if (coul == COUL_CUT) {
            e_c = fco * pre;
            f += fco * pre * r2inv;
        } else { /* COUL_DSF */
            double expm2, ar = pp->dsf_alpha * r;
            double erfcv = erfc_and_exp(ar, poly, &expm2);
            e_c = pre * (erfcv - r * pp->dsf_eshift - rsq * pp->dsf_fshift - (1.0 - fco));
            f += pre * (erfcv + TWO_OVER_SQRTPI * ar * expm2 + rsq * pp->dsf_fshift - (1.0 - fco)) * r2inv;
        }
    }
    *ev = e_v;
    *ec = e_c;
    return f;
}

#define PAIR_CHUNK 64

/* The pair loop for one Coulomb form (COUL and POLY constant after inlining). Neighbours
 * are processed in chunks: a vectorised pass computes force/r and the energy and virial sums,
 * then a scalar pass scatters the reaction forces onto owned neighbours (the scatter would
 * otherwise stop vectorisation). */
static inline __attribute__((always_inline)) void pair_loop(Sim *sim, int coul, int poly,
                                                            double (*ft)[3], int ifirst,
                                                            int ilast, double acc[8])
{
    const Atoms *a = &sim->atoms;
    const Neigh *nb = &sim->neigh;
    const Pair *pp = &sim->pair;
    const int nlocal = a->nlocal;
    const double cutsq = pp->cutoff * pp->cutoff;
    const double (*restrict x)[3] = (const double (*)[3])a->x;
    const double *restrict q = a->q;
    const int *restrict type = a->type;
    double ev_sum = 0, ec_sum = 0, v0 = 0, v1 = 0, v2 = 0, v3 = 0, v4 = 0, v5 = 0;
    double fpc[PAIR_CHUNK], dxc[PAIR_CHUNK], dyc[PAIR_CHUNK], dzc[PAIR_CHUNK], rsqc[PAIR_CHUNK];
    double fljc[PAIR_CHUNK], fcoc[PAIR_CHUNK];
    int jc[PAIR_CHUNK];
    const double *special_lj = sim->topo.special_lj, *special_coul = sim->topo.special_coul;
    for (int i = ifirst; i < ilast; i++) {
        const double xi = x[i][0], yi = x[i][1], zi = x[i][2], qi = q[i];
        const PairTab *trow = &pp->tab[type[i] * SIM_MAXTYPES];
        const int *restrict jl = nb->firstneigh[i];
        const int jn = nb->numneigh[i];
        double fxi = 0, fyi = 0, fzi = 0;
        for (int k0 = 0; k0 < jn; k0 += PAIR_CHUNK) {
            const int kn = jn - k0 < PAIR_CHUNK ? jn - k0 : PAIR_CHUNK;
            /* compact the neighbours inside the cutoff (about 60% of a list with skin) */
            int m = 0;
            for (int k = 0; k < kn; k++) {
                const int jraw = jl[k0 + k], j = jraw & NEIGH_INDEXMASK, sb = (int)((unsigned)jraw >> NEIGH_SBBITS);
                const double dx = xi - x[j][0], dy = yi - x[j][1], dz = zi - x[j][2];
                const double rsq = dx * dx + dy * dy + dz * dz;
                jc[m] = j; dxc[m] = dx; dyc[m] = dy; dzc[m] = dz; rsqc[m] = rsq;
                fljc[m] = special_lj[sb]; fcoc[m] = special_coul[sb];
                m += rsq < cutsq;
            }
#pragma omp simd reduction(+ : fxi, fyi, fzi, ev_sum, ec_sum, v0, v1, v2, v3, v4, v5)
            for (int k = 0; k < m; k++) {
                const int j = jc[k];
                const double dx = dxc[k], dy = dyc[k], dz = dzc[k];
                double e_v, e_c;
                const double f = kernel(pp, &trow[type[j]], coul, poly, qi * q[j], rsqc[k], fljc[k], fcoc[k], &e_v, &e_c);
                const double w = j < nlocal ? 1.0 : 0.5;
                fpc[k] = j < nlocal ? f : 0.0;
                fxi += dx * f; fyi += dy * f; fzi += dz * f;
                ev_sum += w * e_v;
                ec_sum += w * e_c;
                const double wf = w * f;
                v0 += wf * dx * dx; v1 += wf * dy * dy; v2 += wf * dz * dz;
                v3 += wf * dx * dy; v4 += wf * dx * dz; v5 += wf * dy * dz;
            }
            for (int k = 0; k < m; k++) {
                const int j = jc[k];
                if (j >= nlocal) continue; /* ghost: its owner computes its side (thread arrays hold owned atoms only) */
                ft[j][0] -= dxc[k] * fpc[k];
                ft[j][1] -= dyc[k] * fpc[k];
                ft[j][2] -= dzc[k] * fpc[k];
            }
        }
        ft[i][0] += fxi;
        ft[i][1] += fyi;
        ft[i][2] += fzi;
    }
    acc[0] += ev_sum;
    acc[1] += ec_sum;
    acc[2] += v0; acc[3] += v1; acc[4] += v2; acc[5] += v3; acc[6] += v4; acc[7] += v5;
}

void pair_compute(Sim *sim)
{
    Atoms *a = &sim->atoms;
    const int nlocal = a->nlocal;
    const int coul = sim->pair.coul, poly = sim->pair.erfc_poly;
    int nthreads = 1;
#ifdef _OPENMP
    nthreads = omp_get_max_threads();
#endif
    double (*fthr)[3] = NULL;
    if (nthreads > 1)
        fthr = mem_alloc(sizeof(double) * 3 * (size_t)nlocal * (size_t)(nthreads - 1), "per-thread forces");
    double acc_all[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    double *acc_thr = mem_alloc(sizeof(double) * 8 * (size_t)nthreads, "per-thread energies");
#pragma omp parallel
    {
        int tid = 0, nt = 1;
#ifdef _OPENMP
        tid = omp_get_thread_num();
        nt = omp_get_num_threads();
#endif
        /* thread 0 accumulates straight into f; the others into their own arrays */
        double (*ft)[3] = tid == 0 ? a->f : fthr + (size_t)(tid - 1) * (size_t)nlocal;
        int ifirst = (int)((long)nlocal * tid / nt), ilast = (int)((long)nlocal * (tid + 1) / nt);
        double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
        switch (coul) {
        case COUL_LONG:
            if (poly) pair_loop(sim, COUL_LONG, 1, ft, ifirst, ilast, acc);
            else pair_loop(sim, COUL_LONG, 0, ft, ifirst, ilast, acc);
            break;
        case COUL_CUT: pair_loop(sim, COUL_CUT, 0, ft, ifirst, ilast, acc); break;
        case COUL_DSF:
            if (poly) pair_loop(sim, COUL_DSF, 1, ft, ifirst, ilast, acc);
            else pair_loop(sim, COUL_DSF, 0, ft, ifirst, ilast, acc);
            break;
        default: pair_loop(sim, COUL_OFF, 0, ft, ifirst, ilast, acc); break;
        }
#pragma omp barrier
        /* reduce the thread arrays into f: each thread sums a block of atoms */
        for (int t = 1; t < nt; t++) {
            const double (*src)[3] = (const double (*)[3])(fthr + (size_t)(t - 1) * (size_t)nlocal);
            for (int i = ifirst; i < ilast; i++) {
                a->f[i][0] += src[i][0];
                a->f[i][1] += src[i][1];
                a->f[i][2] += src[i][2];
            }
        }
        for (int c = 0; c < 8; c++) acc_thr[8 * tid + c] = acc[c];
    }
    /* thread order, so the sums do not depend on which thread finished first */
    for (int t = 0; t < nthreads; t++)
        for (int c = 0; c < 8; c++) acc_all[c] += acc_thr[8 * t + c];
    mem_free(acc_thr);
    mem_free(fthr);
    if (coul == COUL_DSF) {
        double a_ = sim->pair.dsf_alpha, rc = sim->pair.cutoff;
        double self = -(erfc(a_ * rc) / (2.0 * rc) + a_ / sqrt(UNITS_PI)) * UNITS_QQR2E;
        for (int i = 0; i < nlocal; i++) acc_all[1] += self * a->q[i] * a->q[i];
    }
    comm_sum_double(sim->comm, acc_all, 8);
    sim->en.evdwl = acc_all[0];
    sim->en.ecoul = acc_all[1];
    for (int c = 0; c < 6; c++) sim->en.virial[c] += acc_all[2 + c];
}

void pair_single(const Sim *sim, int ti, int tj, double qi, double qj, double r, double *evdwl,
                 double *ecoul, double *fpair)
{
    const PairTab *t = &sim->pair.tab[ti * SIM_MAXTYPES + tj];
    *fpair = kernel(&sim->pair, t, sim->pair.coul, sim->pair.erfc_poly, qi * qj, r * r, 1.0, 1.0, evdwl, ecoul);
}
