/* pair.c - one non-bonded pass for every atom pair within the cutoff rc.
 *
 * Short range, per type pair (a "hybrid" table filled from parameter files and pair_coeff):
 *   Buckingham  E = A exp(-r/rho) - C/r^6
 *   LJ 12-6     E = 4 eps [(sigma/r)^12 - (sigma/r)^6]
 * truncated at rc without shift (as LAMMPS pair_modify shift no), no tail correction.
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
#include "sim.h"
#include "units.h"
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

/* Flat per-type-pair parameters prepared by pair_init. */
struct PairTab {
    int form;
    double a, rhoinv, c6;     /* buck: A, 1/rho, C */
    double lj12, lj6;         /* lj: 4 eps sigma^12, 4 eps sigma^6 */
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
            t->form = c->form;
            if (c->form == SR_BUCK) {
                t->a = c->a;
                t->rhoinv = 1.0 / c->rho;
                t->c6 = c->c;
            } else if (c->form == SR_LJ) {
                double s6 = pow(c->sigma, 6.0);
                t->lj12 = 4.0 * c->eps * s6 * s6;
                t->lj6 = 4.0 * c->eps * s6;
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

/* One pair: returns energies and force/r. COUL is a compile-time constant in each caller. */
static inline __attribute__((always_inline)) void kernel(const Pair *pp, const PairTab *t, int coul, int poly,
                                                         double qiqj, double rsq, double *ev,
                                                         double *ec, double *fpair)
{
    double r2inv = 1.0 / rsq, f = 0.0, e_v = 0.0, e_c = 0.0;
    double r = 0.0;
    if (t->form == SR_BUCK) {
        r = sqrt(rsq);
        double r6inv = r2inv * r2inv * r2inv;
        double rexp = exp(-r * t->rhoinv);
        e_v = t->a * rexp - t->c6 * r6inv;
        f = (t->a * t->rhoinv * r * rexp - 6.0 * t->c6 * r6inv) * r2inv;
    } else if (t->form == SR_LJ) {
        double r6inv = r2inv * r2inv * r2inv;
        e_v = r6inv * (t->lj12 * r6inv - t->lj6);
        f = r6inv * (12.0 * t->lj12 * r6inv - 6.0 * t->lj6) * r2inv;
    }
    if (coul != COUL_OFF && qiqj != 0.0) {
        if (r == 0.0) r = sqrt(rsq);
        double pre = UNITS_QQR2E * qiqj / r;
        if (coul == COUL_LONG) {
            double gr = pp->g_ewald * r, expm2 = exp(-gr * gr), erfcv;
            if (poly) {
                double tt = 1.0 / (1.0 + AS_P * gr);
                erfcv = tt * (AS_A1 + tt * (AS_A2 + tt * (AS_A3 + tt * (AS_A4 + tt * AS_A5)))) * expm2;
            } else {
                erfcv = erfc(gr);
            }
            e_c = pre * erfcv;
            f += pre * (erfcv + TWO_OVER_SQRTPI * gr * expm2) * r2inv;
        } else if (coul == COUL_CUT) {
            e_c = pre;
            f += pre * r2inv;
        } else { /* COUL_DSF */
            double ar = pp->dsf_alpha * r, expm2 = exp(-ar * ar), erfcv;
            if (poly) {
                double tt = 1.0 / (1.0 + AS_P * ar);
                erfcv = tt * (AS_A1 + tt * (AS_A2 + tt * (AS_A3 + tt * (AS_A4 + tt * AS_A5)))) * expm2;
            } else {
                erfcv = erfc(ar);
            }
            e_c = pre * (erfcv - r * pp->dsf_eshift - rsq * pp->dsf_fshift);
            f += pre * (erfcv + TWO_OVER_SQRTPI * ar * expm2 + rsq * pp->dsf_fshift) * r2inv;
        }
    }
    *ev = e_v;
    *ec = e_c;
    *fpair = f;
}

/* The pair loop for one Coulomb form (COUL and POLY constant after inlining). */
static inline __attribute__((always_inline)) void pair_loop(Sim *sim, int coul, int poly,
                                                            double (*ft)[3], int ifirst,
                                                            int ilast, double acc[8])
{
    const Atoms *a = &sim->atoms;
    const Neigh *nb = &sim->neigh;
    const int nlocal = a->nlocal;
    const double cutsq = sim->pair.cutoff * sim->pair.cutoff;
    double ev_sum = 0, ec_sum = 0, v[6] = {0, 0, 0, 0, 0, 0};
    for (int i = ifirst; i < ilast; i++) {
        const double xi = a->x[i][0], yi = a->x[i][1], zi = a->x[i][2], qi = a->q[i];
        const PairTab *trow = &sim->pair.tab[a->type[i] * SIM_MAXTYPES];
        const int *jl = nb->firstneigh[i];
        const int jn = nb->numneigh[i];
        double fxi = 0, fyi = 0, fzi = 0;
        for (int k = 0; k < jn; k++) {
            int j = jl[k];
            double dx = xi - a->x[j][0], dy = yi - a->x[j][1], dz = zi - a->x[j][2];
            double rsq = dx * dx + dy * dy + dz * dz;
            if (rsq >= cutsq) continue;
            double e_v, e_c, fpair;
            kernel(&sim->pair, &trow[a->type[j]], coul, poly, qi * a->q[j], rsq, &e_v, &e_c, &fpair);
            fxi += dx * fpair;
            fyi += dy * fpair;
            fzi += dz * fpair;
            double w = 1.0;
            if (j < nlocal) {
                ft[j][0] -= dx * fpair;
                ft[j][1] -= dy * fpair;
                ft[j][2] -= dz * fpair;
            } else {
                w = 0.5;
            }
            ev_sum += w * e_v;
            ec_sum += w * e_c;
            double wf = w * fpair;
            v[0] += wf * dx * dx; v[1] += wf * dy * dy; v[2] += wf * dz * dz;
            v[3] += wf * dx * dy; v[4] += wf * dx * dz; v[5] += wf * dy * dz;
        }
        ft[i][0] += fxi;
        ft[i][1] += fyi;
        ft[i][2] += fzi;
    }
    acc[0] += ev_sum;
    acc[1] += ec_sum;
    for (int c = 0; c < 6; c++) acc[2 + c] += v[c];
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
    kernel(&sim->pair, t, sim->pair.coul, sim->pair.erfc_poly, qi * qj, r * r, evdwl, ecoul, fpair);
}
