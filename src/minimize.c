/* minimize.c - energy minimisation over the atom positions (box fixed).
 *
 * Both algorithms work on distributed vectors of 3 N components: each rank holds those of
 * its owned atoms. The search direction, previous gradient and FIRE velocities are kept in
 * the atoms' extra per-atom slots (Atoms.extra), so they migrate with their atoms when a
 * neighbour rebuild moves atoms between ranks; positions are advanced by increments
 * (x += d alpha h), never reset from a stored copy, so the periodic wrapping done at a
 * rebuild (and its image counts) stays consistent. Every dot product is a local sum reduced
 * with comm_sum_double, so the result depends on the number of ranks only through round-off.
 * Before every force evaluation force_update_neighbors(sim, 1) rebuilds the lists when an
 * atom moved more than skin/2.
 *
 * Conjugate gradients (default): Polak-Ribiere (E. Polak & G. Ribiere, Rev. Fr. Inform.
 * Rech. Oper. 16, 35 (1969)) as LAMMPS min_style cg (min_cg.cpp, 29 Sep 2021):
 *   h = g = F;  repeat: line search along h;  beta = max(0, (F.F - F.g) / (g.g));
 *   g = F;  h = g + beta h;  restart (h = g) every 3N iterations or when h.g <= 0.
 * The line search is LAMMPS's "quadratic" one (min_linesearch.cpp, linemin_quadratic):
 * start at alpha_max = min(1, dmax / max_i |h_i|) so no atom moves more than dmax = 0.1 A;
 * at each trial alpha compute E and F.h; if the energy is consistent with a quadratic along
 * h (relative error of the trapezoidal rule for E(alpha) below 0.1) take the secant step
 * alpha0 = alpha - (alpha - alpha_prev) (F.h) / d(F.h) when 0 < alpha0 < alpha_max, accepted
 * if E(alpha0) <= E(0); otherwise accept alpha by the Armijo condition
 * E(alpha) - E(0) <= -0.4 alpha F(0).h, else halve alpha. When the required decrease falls
 * below 1e-8 kcal/mol (LAMMPS's EMACH) the atoms go back to alpha = 0 and the minimisation
 * stops ("linesearch alpha is zero"): the energy differences have reached round-off.
 * Differences from LAMMPS, and why: (1) the quadratic step must not raise the energy at all
 * (LAMMPS allows +1e-8 kcal/mol), so the energy never increases from one iteration to the
 * next, which the tests check; (2) when the quadratic step is rejected but alpha satisfied
 * the Armijo condition, alpha is taken (one more evaluation) instead of judging the rejected
 * point by alpha's criterion; (3) dmax bounds each atom's displacement length (LAMMPS bounds
 * the largest Cartesian component, i.e. up to sqrt(3) dmax per atom).
 * Limitation: a truncated, unshifted pair potential (LJ at the cutoff, as LAMMPS's default
 * pair_modify shift no) has energy jumps; a pair ending just inside the cutoff makes every
 * step that separates it cost the jump (1.7e-3 kcal/mol for the test chains' LJ at 10 A), so
 * the line search fails at every step length and CG stops with "linesearch alpha is zero"
 * while the forces are not small (LAMMPS behaves the same; a retry along F does not help:
 * tried). Stop such runs by ETOL, or make the energy continuous at the cutoff.
 * Rejected: Fletcher-Reeves (slower on the stiff-soft mix of a molecular system and not
 * self-restarting); a plain backtracking search (several times more force evaluations near
 * the minimum, where the quadratic step is nearly exact).
 *
 * FIRE: Bitzek, Koskinen, Gaehler, Moseler & Gumbsch, Phys. Rev. Lett. 97, 170201 (2006),
 * with the paper's parameters N_min = 5, f_inc = 1.1, f_dec = 0.5, alpha_start = 0.1,
 * f_alpha = 0.99, dt_max = 10 dt (dt from `timestep`, the initial step). MD with the REAL
 * masses (as LAMMPS min_style fire): each step is a semi-implicit Euler step
 *   v += dt F/m;  x += dt v  (the step is shortened so no atom moves more than 0.1 A),
 * then the paper's F1-F4 on the new force: P = F.v; if P > 0, v = (1 - a) v + a |v| F/|F|
 * and, more than N_min steps after the last P <= 0, dt = min(f_inc dt, dt_max), a *= f_alpha;
 * if P <= 0, dt *= f_dec, v = 0, a = alpha_start. FIRE's velocities are its own: the atoms'
 * velocities are left untouched. The energy criterion is tested only more than N_min steps
 * after the last velocity reset (as LAMMPS), since FIRE's energy is not monotonic.
 *
 * Stopping tests after each iteration, in this order: force 2-norm <= ftol, relative energy
 * change <= etol (etol > 0), force evaluations >= maxeval; after maxiter iterations: "max
 * iterations". The force evaluation at the start is not counted (as in LAMMPS). */
#include "minimize.h"
#include "atoms.h"
#include "comm.h"
#include "constraint_shake.h"
#include "error.h"
#include "force.h"
#include "integrate.h"
#include "sim.h"
#include "thermo.h"
#include "units.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* conjugate gradients and line search (LAMMPS min_linesearch.cpp) */
#define MIN_DMAX 0.1          /* A: largest displacement of one atom in one step */
#define LS_ALPHA_MAX 1.0      /* A^2 mol/kcal: largest step along h (h is a force) */
#define LS_ALPHA_REDUCE 0.5   /* backtracking factor */
#define LS_BACKTRACK_SLOPE 0.4
#define LS_QUADRATIC_TOL 0.1  /* relative error of the quadratic model to trust it */
#define LS_EMACH 1.0e-8       /* kcal/mol: smallest energy decrease worth a step */
#define LS_EPS_QUAD 1.0e-28   /* (kcal/mol/A)^2: F.h or its change treated as zero */
#define EPS_ENERGY 1.0e-8     /* kcal/mol: in the relative energy criterion, as LAMMPS */
/* FIRE (Bitzek et al. 2006) */
#define FIRE_NMIN 5
#define FIRE_FINC 1.1
#define FIRE_FDEC 0.5
#define FIRE_ALPHA0 0.1
#define FIRE_FALPHA 0.99
#define FIRE_TMAX 10.0        /* dt_max = FIRE_TMAX dt */
#define HIST_ALL 100000       /* history rows kept for every iteration; then only printed ones */

typedef enum {
    STOP_NONE = 0, STOP_ETOL, STOP_FTOL, STOP_MAXITER, STOP_MAXEVAL, STOP_ZEROALPHA,
    STOP_ZEROFORCE, STOP_ZEROQUAD, STOP_DOWNHILL, STOP_COUNT
} MinStop;
/* LAMMPS's wording */
static const char *const stop_text[STOP_COUNT] = {
    "none", "energy tolerance", "force tolerance", "max iterations", "max force evaluations",
    "linesearch alpha is zero", "forces are zero", "quadratic factors are zero",
    "search direction is not downhill"};
static const char *const style_name[MIN_COUNT] = {"cg", "fire"};

/* One row of the iteration history. */
typedef struct MinHist {
    int64_t iter, neval;
    double pe;      /* kcal/mol */
    double fnorm;   /* kcal/mol/A, global 2-norm */
    double fmax;    /* kcal/mol/A, largest atom force */
} MinHist;

/* The result of the last minimisation, kept for the run record. */
typedef struct MinResult {
    MinStyle style;
    double etol, ftol;          /* -, kcal/mol/A */
    int64_t maxiter, maxeval;
    double dt0;                 /* fs, FIRE's initial step */
    int run_index;              /* runs done before this minimisation */
    MinStop stop;
    int64_t niter, neval;
    double e_init, e_prev, e_final;             /* kcal/mol */
    double fnorm_init, fnorm_final;             /* kcal/mol/A */
    double fmax_init, fmax_final;               /* kcal/mol/A */
    double alpha_final;         /* CG: last line-search step, A^2 mol/kcal */
    double move_final;          /* CG: largest atom displacement in the last line search, A */
    double dt_final;            /* FIRE: last time step, fs */
    double terms[7];            /* evdwl ecoul elong ebond eangle edihed eimp, kcal/mol */
    double press_final;         /* atm, as thermo (the velocities are those the atoms have) */
    double loop_s;              /* s */
    MinHist *hist;
    int64_t nhist, caphist;
} MinResult;

/* Working state. */
typedef struct Min {
    Sim *sim;
    MinResult *res;
    double e;          /* current energy, kcal/mol */
    double alpha_cur;  /* CG: step reached along h in this line search, A^2 mol/kcal */
    int64_t neval;
} Min;

const char *minimize_style_name(MinStyle style)
{
    return (int)style >= 0 && style < MIN_COUNT ? style_name[style] : NULL;
}

/* extra slots of atom i: [0..2] search direction h (CG) or velocity (FIRE), [3..5] g (CG) */
static inline double *slot(const Atoms *a, int i) { return a->extra + (size_t)i * (size_t)a->nextra; }

/* force evaluation at the current positions; m->e = E (kcal/mol) */
static void energy_force(Min *m)
{
    force_update_neighbors(m->sim, 1);
    force_compute(m->sim);
    m->e = force_pe(m->sim);
    m->neval++;
}

/* global |F| (2-norm) and largest |F_i| */
static void force_norms(Sim *sim, double *fnorm, double *fbig)
{
    const Atoms *a = &sim->atoms;
    double ff = 0.0, mx = 0.0;
    for (int i = 0; i < a->nlocal; i++) {
        double f2 = a->f[i][0] * a->f[i][0] + a->f[i][1] * a->f[i][1] + a->f[i][2] * a->f[i][2];
        ff += f2;
        if (f2 > mx) mx = f2;
    }
    comm_sum_double(sim->comm, &ff, 1);
    comm_max_double(sim->comm, &mx, 1);
    *fnorm = sqrt(ff);
    *fbig = sqrt(mx);
}

static int etol_met(double etol, double e, double eprev)
{
    return etol > 0.0 && fabs(e - eprev) <= etol * 0.5 * (fabs(e) + fabs(eprev) + EPS_ENERGY);
}

static void print_row(const Sim *sim, const MinHist *h)
{
    if (sim->rank == 0) {
        printf("%10lld %10lld %20.10f %16.8g %16.8g\n", (long long)h->iter, (long long)h->neval, h->pe, h->fnorm, h->fmax);
        fflush(stdout);
    }
}

static int row_printed(const Sim *sim, int64_t iter)
{
    return iter == 0 || (sim->thermo_every > 0 && iter % sim->thermo_every == 0);
}

/* keep one history row (every iteration for the first HIST_ALL rows, then the printed ones);
 * print it every `thermo` N iterations (N = 0: first and last only) */
static void hist_add(Min *m, int64_t iter, double fnorm, double fbig, int last)
{
    MinResult *r = m->res;
    if (r->nhist >= HIST_ALL && !last && !row_printed(m->sim, iter)) return;
    if (r->nhist == r->caphist) {
        r->caphist = r->caphist ? 2 * r->caphist : 256;
        r->hist = realloc(r->hist, sizeof *r->hist * (size_t)r->caphist);
        if (!r->hist) error_one(FLERR, "out of memory for the minimisation history (%lld rows)", (long long)r->caphist);
    }
    MinHist *h = &r->hist[r->nhist++];
    h->iter = iter; h->neval = m->neval; h->pe = m->e; h->fnorm = fnorm; h->fmax = fbig;
    if (row_printed(m->sim, iter)) print_row(m->sim, h);
}

/* ---- conjugate gradients ---- */

/* move to alpha along h (from the line search's start) and evaluate */
static void line_step(Min *m, double alpha)
{
    Atoms *a = &m->sim->atoms;
    double d = alpha - m->alpha_cur;
    for (int i = 0; i < a->nlocal; i++) {
        const double *h = slot(a, i);
        a->x[i][0] += d * h[0];
        a->x[i][1] += d * h[1];
        a->x[i][2] += d * h[2];
    }
    m->alpha_cur = alpha;
    energy_force(m);
}

/* F.h and F.F at the current point (global) */
static void dots_fh(Sim *sim, double *fh, double *ff)
{
    const Atoms *a = &sim->atoms;
    double s[2] = {0.0, 0.0};
    for (int i = 0; i < a->nlocal; i++) {
        const double *h = slot(a, i);
        for (int d = 0; d < 3; d++) {
            s[0] += a->f[i][d] * h[d];
            s[1] += a->f[i][d] * a->f[i][d];
        }
    }
    comm_sum_double(sim->comm, s, 2);
    *fh = s[0];
    *ff = s[1];
}

/* line minimisation along h from the current positions (energy m->e); on success the atoms
 * are at the accepted point with its forces and m->e; *alpha_out is the step taken */
static MinStop linemin(Min *m, double *alpha_out, double *move_out)
{
    Sim *sim = m->sim;
    const Atoms *a = &sim->atoms;
    double fh0, ff, hmax = 0.0;
    dots_fh(sim, &fh0, &ff);
    for (int i = 0; i < a->nlocal; i++) {
        const double *h = slot(a, i);
        double h2 = h[0] * h[0] + h[1] * h[1] + h[2] * h[2];
        if (h2 > hmax) hmax = h2;
    }
    comm_max_double(sim->comm, &hmax, 1);
    hmax = sqrt(hmax);
    if (hmax == 0.0) return STOP_ZEROFORCE;
    if (!(fh0 > 0.0)) return STOP_DOWNHILL;
    double alphamax = fmin(LS_ALPHA_MAX, MIN_DMAX / hmax);
    double eorig = m->e;
    double alpha = alphamax, alphaprev = 0.0, engprev = eorig, fhprev = fh0;
    m->alpha_cur = 0.0;
    for (;;) {
        line_step(m, alpha);
        double fh, ffn;
        dots_fh(sim, &fh, &ffn);
        double ealpha = m->e;
        double delfh = fh - fhprev;
        if (fabs(fh) < LS_EPS_QUAD || fabs(delfh) < LS_EPS_QUAD) {
            line_step(m, 0.0);
            return STOP_ZEROQUAD;
        }
        double de_ideal = -LS_BACKTRACK_SLOPE * alpha * fh0;
        int armijo = ealpha - eorig <= de_ideal;
        /* quadratic projection (secant on F.h), if E(alpha) fits the quadratic model */
        double relerr = fabs(1.0 - (0.5 * (alpha - alphaprev) * (fh + fhprev) + ealpha) / engprev);
        double alpha0 = alpha - (alpha - alphaprev) * fh / delfh;
        if (relerr <= LS_QUADRATIC_TOL && alpha0 > 0.0 && alpha0 < alphamax) {
            line_step(m, alpha0);
            if (m->e <= eorig) {
                *alpha_out = alpha0;
                *move_out = alpha0 * hmax;
                return STOP_NONE;
            }
            if (armijo) line_step(m, alpha); /* back to the point that was good enough */
        }
        if (armijo) {
            *alpha_out = alpha;
            *move_out = alpha * hmax;
            return STOP_NONE;
        }
        fhprev = fh;
        engprev = ealpha;
        alphaprev = alpha;
        alpha *= LS_ALPHA_REDUCE;
        if (alpha <= 0.0 || de_ideal >= -LS_EMACH) {
            line_step(m, 0.0);
            return STOP_ZEROALPHA;
        }
    }
}

static MinStop minimize_cg(Min *m)
{
    Sim *sim = m->sim;
    MinResult *r = m->res;
    Atoms *a = &sim->atoms;
    double gg = 0.0;
    for (int i = 0; i < a->nlocal; i++) {
        double *s = slot(a, i);
        for (int d = 0; d < 3; d++) {
            s[d] = s[3 + d] = a->f[i][d];
            gg += a->f[i][d] * a->f[i][d];
        }
    }
    comm_sum_double(sim->comm, &gg, 1);
    int64_t nlimit = 3 * sim->natoms;
    for (int64_t iter = 1; iter <= r->maxiter; iter++) {
        r->niter = iter;
        double eprev = m->e;
        double alpha = 0.0, move = 0.0;
        MinStop stop = linemin(m, &alpha, &move);
        if (stop != STOP_NONE) return stop;
        r->e_prev = eprev;
        r->alpha_final = alpha;
        r->move_final = move;
        /* a = &sim->atoms is unchanged, but its arrays may have been reallocated */
        double s[2] = {0.0, 0.0}; /* F.F, F.g */
        for (int i = 0; i < a->nlocal; i++) {
            const double *sl = slot(a, i);
            for (int d = 0; d < 3; d++) {
                s[0] += a->f[i][d] * a->f[i][d];
                s[1] += a->f[i][d] * sl[3 + d];
            }
        }
        comm_sum_double(sim->comm, s, 2);
        double fnorm, fbig;
        force_norms(sim, &fnorm, &fbig);
        hist_add(m, iter, fnorm, fbig, 0);
        if (r->ftol > 0.0 && s[0] <= r->ftol * r->ftol) return STOP_FTOL;
        if (etol_met(r->etol, m->e, eprev)) return STOP_ETOL;
        if (m->neval >= r->maxeval) return STOP_MAXEVAL;
        /* Polak-Ribiere direction, restarted as steepest descent every 3N iterations */
        double beta = (s[0] - s[1]) / gg;
        if (!(beta > 0.0)) beta = 0.0;
        if (iter % nlimit == 0) beta = 0.0;
        gg = s[0];
        double gh = 0.0;
        for (int i = 0; i < a->nlocal; i++) {
            double *sl = slot(a, i);
            for (int d = 0; d < 3; d++) {
                sl[3 + d] = a->f[i][d];
                sl[d] = sl[3 + d] + beta * sl[d];
                gh += sl[3 + d] * sl[d];
            }
        }
        comm_sum_double(sim->comm, &gh, 1);
        if (gh <= 0.0) /* not downhill: restart along the gradient */
            for (int i = 0; i < a->nlocal; i++) {
                double *sl = slot(a, i);
                for (int d = 0; d < 3; d++) sl[d] = sl[3 + d];
            }
    }
    return STOP_MAXITER;
}

/* ---- FIRE ---- */
static MinStop minimize_fire(Min *m)
{
    Sim *sim = m->sim;
    MinResult *r = m->res;
    Atoms *a = &sim->atoms;
    double dt = sim->integ.dt, dtmax = FIRE_TMAX * sim->integ.dt, alpha = FIRE_ALPHA0;
    int64_t last_negative = 0;
    for (int i = 0; i < a->nlocal; i++) {
        double *v = slot(a, i);
        v[0] = v[1] = v[2] = 0.0;
    }
    for (int64_t iter = 1; iter <= r->maxiter; iter++) {
        r->niter = iter;
        /* MD step: semi-implicit Euler with real masses; the move is capped at MIN_DMAX */
        double vmax = 0.0;
        for (int i = 0; i < a->nlocal; i++) {
            double *v = slot(a, i);
            double s = dt * UNITS_FTM2V / sim->types.mass[a->type[i]];
            for (int d = 0; d < 3; d++) v[d] += s * a->f[i][d];
            double v2 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
            if (v2 > vmax) vmax = v2;
        }
        comm_max_double(sim->comm, &vmax, 1);
        vmax = sqrt(vmax);
        double dtx = dt * vmax > MIN_DMAX ? MIN_DMAX / vmax : dt;
        for (int i = 0; i < a->nlocal; i++) {
            const double *v = slot(a, i);
            for (int d = 0; d < 3; d++) a->x[i][d] += dtx * v[d];
        }
        double eprev = m->e;
        energy_force(m);
        r->e_prev = eprev;
        /* F1-F4 on the new force */
        double s[3] = {0.0, 0.0, 0.0}; /* P = F.v, v.v, F.F */
        for (int i = 0; i < a->nlocal; i++) {
            const double *v = slot(a, i);
            for (int d = 0; d < 3; d++) {
                s[0] += a->f[i][d] * v[d];
                s[1] += v[d] * v[d];
                s[2] += a->f[i][d] * a->f[i][d];
            }
        }
        comm_sum_double(sim->comm, s, 3);
        if (s[0] > 0.0) {
            double c1 = 1.0 - alpha, c2 = s[2] > 0.0 ? alpha * sqrt(s[1] / s[2]) : 0.0;
            for (int i = 0; i < a->nlocal; i++) {
                double *v = slot(a, i);
                for (int d = 0; d < 3; d++) v[d] = c1 * v[d] + c2 * a->f[i][d];
            }
            if (iter - last_negative > FIRE_NMIN) {
                dt = fmin(dt * FIRE_FINC, dtmax);
                alpha *= FIRE_FALPHA;
            }
        } else {
            last_negative = iter;
            dt *= FIRE_FDEC;
            alpha = FIRE_ALPHA0;
            for (int i = 0; i < a->nlocal; i++) {
                double *v = slot(a, i);
                v[0] = v[1] = v[2] = 0.0;
            }
        }
        r->dt_final = dt;
        double fnorm, fbig;
        force_norms(sim, &fnorm, &fbig);
        hist_add(m, iter, fnorm, fbig, 0);
        if (r->ftol > 0.0 && s[2] <= r->ftol * r->ftol) return STOP_FTOL;
        if (iter - last_negative > FIRE_NMIN && etol_met(r->etol, m->e, eprev)) return STOP_ETOL;
        if (m->neval >= r->maxeval) return STOP_MAXEVAL;
    }
    return STOP_MAXITER;
}

/* ---- driver ---- */
void minimize_run(Sim *sim, double etol, double ftol, int64_t maxiter, int64_t maxeval, MinStyle style)
{
    if (style == MIN_FIRE)
        for (int t = 0; t < sim->types.ntypes; t++)
            if (!sim->types.mass_set[t]) error_all(FLERR, "minimize fire: no mass for atom type %s: give it in the data file's Masses section or in a forcefield file", sim->types.name[t]);
    if (shake_active(sim))
        error_warn("minimize does not apply the shake constraints: the constrained bonds relax under their harmonic terms (the next run projects them back to R0)");
    minimize_free(sim);
    MinResult *r = calloc(1, sizeof *r);
    if (!r) error_one(FLERR, "out of memory");
    sim->min_result = r;
    r->style = style; r->etol = etol; r->ftol = ftol; r->maxiter = maxiter; r->maxeval = maxeval;
    r->dt0 = sim->integ.dt;
    r->run_index = sim->nruns;
    Min m = {sim, r, 0.0, 0.0, 0};

    force_setup(sim);
    atoms_set_extra(&sim->atoms, style == MIN_CG ? 6 : 3);
    timers_reset(&sim->timers);
    double t0 = comm_wtime();
    timer_start(&sim->timers, TIMER_TOTAL);
    thermo_clear(sim); /* the record of a minimisation has no thermo rows: see "minimize" */
    if (sim->rank == 0) {
        printf("minimize %s: etol %g, ftol %g kcal/mol/A, maxiter %lld, maxeval %lld; largest move per step %g A",
               style_name[style], etol, ftol, (long long)maxiter, (long long)maxeval, MIN_DMAX);
        if (style == MIN_FIRE) printf("; FIRE dt %g fs (max %g fs), real masses", sim->integ.dt, FIRE_TMAX * sim->integ.dt);
        printf("\n%10s %10s %20s %16s %16s\n", "Iter", "ForceEvals", "PotEng", "Fnorm", "Fmax(atom)");
    }
    energy_force(&m);
    m.neval = 0; /* the start configuration's evaluation is not counted (as LAMMPS) */
    double fnorm, fbig;
    force_norms(sim, &fnorm, &fbig);
    r->e_init = r->e_prev = m.e;
    r->fnorm_init = fnorm;
    r->fmax_init = fbig;
    hist_add(&m, 0, fnorm, fbig, 0);
    MinStop stop;
    if (fnorm == 0.0) stop = STOP_ZEROFORCE;
    else if (ftol > 0.0 && fnorm <= ftol) stop = STOP_FTOL;
    else if (maxiter == 0) stop = STOP_MAXITER;
    else stop = style == MIN_CG ? minimize_cg(&m) : minimize_fire(&m);
    r->stop = stop;
    r->neval = m.neval;
    /* the atoms are at the configuration of the last evaluation: its forces are current */
    force_norms(sim, &fnorm, &fbig);
    r->e_final = m.e;
    r->fnorm_final = fnorm;
    r->fmax_final = fbig;
    if (r->hist[r->nhist - 1].iter != r->niter || r->hist[r->nhist - 1].pe != m.e) hist_add(&m, r->niter, fnorm, fbig, 1);
    if (!row_printed(sim, r->niter)) print_row(sim, &r->hist[r->nhist - 1]);
    const Energies *e = &sim->en;
    double terms[7] = {e->evdwl, e->ecoul, e->elong, e->ebond, e->eangle, e->edihed, e->eimp};
    memcpy(r->terms, terms, sizeof terms);
    atoms_set_extra(&sim->atoms, 0);
    timer_stop(&sim->timers, TIMER_TOTAL);
    ThermoRow row = thermo_row(sim);
    r->press_final = row.press;
    r->loop_s = comm_wtime() - t0;
    if (sim->rank == 0) {
        printf("Minimization stats (%s):\n", style_name[style]);
        printf("  Stopping criterion = %s\n", stop_text[stop]);
        printf("  Energy initial, next-to-last, final = \n    %20.10f %20.10f %20.10f\n", r->e_init, r->e_prev, r->e_final);
        printf("  Force two-norm initial, final = %.8g %.8g\n", r->fnorm_init, r->fnorm_final);
        printf("  Force max (atom) initial, final = %.8g %.8g\n", r->fmax_init, r->fmax_final);
        if (style == MIN_CG) printf("  Final line search alpha, max atom move = %.8g %.8g\n", r->alpha_final, r->move_final);
        else printf("  Final FIRE time step = %.8g fs\n", r->dt_final);
        printf("  Iterations, force evaluations = %lld %lld\n", (long long)r->niter, (long long)r->neval);
        printf("  Final energy terms: evdwl %.10f ecoul %.10f elong %.10f ebond %.10f eangle %.10f edihed %.10f eimp %.10f; pressure %.6g atm\n",
               terms[0], terms[1], terms[2], terms[3], terms[4], terms[5], terms[6], r->press_final);
    }
    integrate_run_summary(sim, 0, r->loop_s);
}

void minimize_record_json(const Sim *sim, FILE *fp)
{
    const MinResult *r = sim->min_result;
    if (!r) return;
    fprintf(fp, "  \"minimize\": {\"style\": \"%s\", \"etol\": %.10g, \"ftol_kcal_per_mol_A\": %.10g, \"maxiter\": %lld, \"maxeval\": %lld, \"dmax_A\": %.10g, \"after_runs\": %d,\n",
            style_name[r->style], r->etol, r->ftol, (long long)r->maxiter, (long long)r->maxeval, MIN_DMAX, r->run_index);
    if (r->style == MIN_FIRE) fprintf(fp, "    \"fire\": {\"dt0_fs\": %.10g, \"dtmax_fs\": %.10g, \"dt_final_fs\": %.10g, \"masses\": \"real\"},\n", r->dt0, FIRE_TMAX * r->dt0, r->dt_final);
    else fprintf(fp, "    \"cg\": {\"alpha_final_A2_mol_per_kcal\": %.10g, \"max_atom_move_final_A\": %.10g},\n", r->alpha_final, r->move_final);
    fprintf(fp, "    \"stop\": \"%s\", \"iterations\": %lld, \"force_evaluations\": %lld, \"loop_s\": %.6g,\n", stop_text[r->stop], (long long)r->niter, (long long)r->neval, r->loop_s);
    fprintf(fp, "    \"energy_initial\": %.15g, \"energy_next_to_last\": %.15g, \"energy_final\": %.15g,\n", r->e_init, r->e_prev, r->e_final);
    fprintf(fp, "    \"fnorm_initial\": %.10g, \"fnorm_final\": %.10g, \"fmax_atom_initial\": %.10g, \"fmax_atom_final\": %.10g,\n", r->fnorm_init, r->fnorm_final, r->fmax_init, r->fmax_final);
    fprintf(fp, "    \"final_terms\": {\"evdwl\": %.15g, \"ecoul\": %.15g, \"elong\": %.15g, \"ebond\": %.15g, \"eangle\": %.15g, \"edihed\": %.15g, \"eimp\": %.15g, \"press_atm\": %.10g},\n",
            r->terms[0], r->terms[1], r->terms[2], r->terms[3], r->terms[4], r->terms[5], r->terms[6], r->press_final);
    fprintf(fp, "    \"history_columns\": [\"iter\", \"force_evals\", \"pe\", \"fnorm\", \"fmax_atom\"],\n    \"history\": [");
    for (int64_t i = 0; i < r->nhist; i++) {
        const MinHist *h = &r->hist[i];
        fprintf(fp, "%s\n      [%lld, %lld, %.15g, %.10g, %.10g]", i ? "," : "", (long long)h->iter, (long long)h->neval, h->pe, h->fnorm, h->fmax);
    }
    fprintf(fp, "\n    ]},\n");
}

void minimize_free(Sim *sim)
{
    MinResult *r = sim->min_result;
    if (!r) return;
    free(r->hist);
    free(r);
    sim->min_result = NULL;
}
