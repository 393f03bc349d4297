/* constraint_shake.c - SHAKE (Ryckaert, Ciccotti & Berendsen, J. Comput. Phys. 23, 327 (1977))
 * and RATTLE (Andersen, J. Comput. Phys. 52, 24 (1983)) for bond-length constraints, so united-
 * atom models can use 2 fs.
 *
 * Parallel form: constraints are the bonds of chosen types, stored (like every bonded term) on
 * both atoms. Each iteration is a Jacobi sweep: every rank evaluates every constraint touching
 * one of its owned atoms from the same positions (ghost copies refreshed through the halo),
 * and moves only its owned atoms. Both ranks sharing a constraint compute the same correction,
 * so the result does not depend on the decomposition, and a molecule may span any number of
 * subdomains (chains included: LAMMPS's fix shake only handles clusters around one atom).
 * Corrections are under-relaxed by omega = 1/(largest number of constraints on one atom), the
 * classical condition for a Jacobi sweep on a constraint graph to converge; momentum is
 * conserved exactly at every sweep. Iterate until every |r^2 - d^2| / d^2 < 2 tol, i.e. the
 * relative length error < tol.
 *   position stage: x' = x + dt v + ...; for bond (i,j), s = x'_i - x'_j, r = x_i - x_j (the
 *     constrained positions of the previous step): g = (s^2 - d^2) / (2 s.r (1/m_i + 1/m_j)),
 *     x'_i -= omega g r / m_i, x'_j += omega g r / m_j; then v += (x'_shaken - x')/dt.
 *   velocity stage: k = r.(v_i - v_j) / (r^2 (1/m_i + 1/m_j)), v_i -= omega k r/m_i, ...
 * Constraint virial: per constraint, the position-stage force on i is F = -2 lambda r_old/dt^2
 * (lambda the multiplier summed over sweeps), so W = sum_c r_old (x) F with minimum-image bond
 * vectors only (the velocity stage's virial is of order dt smaller and is omitted, as in LAMMPS).
 * Each sweep costs one halo exchange of positions (or velocities). */
#include "constraint_shake.h"
#include "bonded.h"
#include "comm.h"
#include "error.h"
#include "halo.h"
#include "memory.h"
#include "sim.h"
#include "topology.h"
#include "units.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct Shake {
    int on;
    char constrained[SIM_MAXBTYPES];
    double tol;
    int maxiter;
    double omega;
    long ncons;                 /* global */
    double (*xold)[3];          /* constrained positions at the start of the step (owned + ghosts) */
    double (*work)[3];          /* per-atom corrections */
    double *lambda;             /* per (owned atom, bond slot): accumulated multiplier, amu */
    int nmax, nlam;
    int iter_last, iter_max;
    double virial[6];
};

static struct Shake *sk(const Sim *sim) { return sim->shake; }

int shake_active(const Sim *sim) { return sim->shake && sk(sim)->on; }
double shake_tolerance(const Sim *sim) { return shake_active(sim) ? sk(sim)->tol : 0.0; }
long shake_count(const Sim *sim) { return shake_active(sim) ? sk(sim)->ncons : 0; }
const double *shake_virial(const Sim *sim) { return sk(sim)->virial; }
void shake_stats(const Sim *sim, int *last, int *max)
{
    *last = shake_active(sim) ? sk(sim)->iter_last : 0;
    *max = shake_active(sim) ? sk(sim)->iter_max : 0;
}

void shake_enable(Sim *sim, const int *types, int ntypes, double tol, int maxiter, const char *where)
{
    if (!topology_present(sim) || !sim->topo.ntotal[TOPO_BOND])
        error_all(FLERR, "%s: shake: the system has no bonds", where);
    if (!sim->shake) sim->shake = calloc(1, sizeof(struct Shake));
    struct Shake *s = sk(sim);
    memset(s->constrained, 0, sizeof s->constrained);
    for (int t = 0; t < sim->topo.ntypes[TOPO_BOND]; t++) s->constrained[t] = ntypes < 0;
    for (int k = 0; k < ntypes; k++) {
        if (types[k] < 0 || types[k] >= sim->topo.ntypes[TOPO_BOND])
            error_all(FLERR, "%s: shake: bond type %d does not exist (1..%d)", where, types[k] + 1, sim->topo.ntypes[TOPO_BOND]);
        s->constrained[types[k]] = 1;
    }
    s->tol = tol;
    s->maxiter = maxiter;
    s->on = 1;
    /* count constraints and the largest number on one atom */
    const Atoms *a = &sim->atoms;
    long n2 = 0;
    int maxon = 0;
    for (int i = 0; i < a->nlocal; i++) {
        int c = 0;
        for (int m = 0; m < a->topo_count[TOPO_BOND][i]; m++)
            if (s->constrained[a->topo_type[TOPO_BOND][(size_t)i * (size_t)a->topo_maxper[TOPO_BOND] + (size_t)m]]) c++;
        n2 += c;
        if (c > maxon) maxon = c;
    }
    double cnt = (double)n2;
    comm_sum_double(sim->comm, &cnt, 1);
    comm_max_int(sim->comm, &maxon, 1);
    s->ncons = (long)(cnt / 2 + 0.5);
    s->omega = maxon > 0 ? 1.0 / maxon : 1.0;
    if (sim->rank == 0)
        printf("shake: %ld bonds constrained (tolerance %g, at most %d sweeps, relaxation %.3g)\n", s->ncons, tol, maxiter, s->omega);
}

static void reserve(Sim *sim)
{
    struct Shake *s = sk(sim);
    int n = sim->atoms.nmax;
    if (n > s->nmax) {
        mem_free(s->xold);
        mem_free(s->work);
        s->xold = mem_alloc(sizeof(double) * 3 * (size_t)n, "shake positions");
        s->work = mem_alloc(sizeof(double) * 3 * (size_t)n, "shake corrections");
        s->nmax = n;
    }
}

void shake_save(Sim *sim)
{
    if (!shake_active(sim)) return;
    reserve(sim);
    memcpy(sk(sim)->xold, sim->atoms.x, sizeof(double) * 3 * (size_t)sim->atoms.nlocal);
}

static inline void min_image(const Sim *sim, double d[3])
{
    for (int c = 0; c < 3; c++)
        if (fabs(d[c]) > 0.5 * sim->len[c]) d[c] -= sim->len[c] * floor(d[c] / sim->len[c] + 0.5);
}

/* Bond slot m of owned atom i: 1 and its partner's local index *j and target length *d (A)
 * if it is a constrained bond, else 0. A partner missing from owned and ghost atoms is fatal. */
static int constraint_at(Sim *sim, const struct Shake *s, int i, int m, int *j, double *d)
{
    const Atoms *a = &sim->atoms;
    size_t slot = (size_t)i * (size_t)a->topo_maxper[TOPO_BOND] + (size_t)m;
    int ty = a->topo_type[TOPO_BOND][slot];
    if (!s->constrained[ty]) return 0;
    const int64_t *g = a->topo_gid[TOPO_BOND] + 2 * slot;
    int64_t other = g[0] == a->gid[i] ? g[1] : g[0];
    *j = topology_map_find(sim, other);
    if (*j < 0)
        error_one(FLERR, "shake: bond atoms missing at step %lld: atom %lld (bonded to %lld) is not on this rank or its ghosts",
                  (long long)sim->step, (long long)other, (long long)a->gid[i]);
    *d = sim->topo.coeff[TOPO_BOND][ty].p[1];
    return 1;
}

static void shake_positions_impl(Sim *sim, int fix_velocities)
{
    if (!shake_active(sim)) return;
    struct Shake *s = sk(sim);
    Atoms *a = &sim->atoms;
    reserve(sim);
    double dt = sim->integ.dt;
    /* ghost copies of the previous (constrained) positions and of the current ones */
    halo_forward_vec(sim, s->xold, 1);
    double (*x0)[3] = mem_alloc(sizeof(double) * 3 * (size_t)(a->nlocal + 1), "shake start positions");
    memcpy(x0, a->x, sizeof(double) * 3 * (size_t)a->nlocal);
    double tol2 = 2.0 * s->tol;
    int per = a->topo_maxper[TOPO_BOND];
    if ((size_t)a->nlocal * (size_t)per > (size_t)s->nlam) {
        mem_free(s->lambda);
        s->nlam = a->nmax * per;
        s->lambda = mem_alloc(sizeof(double) * (size_t)s->nlam, "shake multipliers");
    }
    memset(s->lambda, 0, sizeof(double) * (size_t)a->nlocal * (size_t)per);
    if (per > 64) error_one(FLERR, "shake: %d bonds on one atom (at most 64)", per);
    double *lam_pending = mem_alloc(sizeof(double) * (size_t)(a->nlocal + 1) * (size_t)per, "shake multipliers of a sweep");
    int it;
    for (it = 1; it <= s->maxiter; it++) {
        halo_forward(sim);
        int done = 1;
        for (int i = 0; i < a->nlocal; i++) {
            double mi = sim->types.mass[a->type[i]];
            double w[3] = {0, 0, 0};
            double lam_sweep[64];
            for (int m = 0; m < per && m < 64; m++) lam_sweep[m] = 0.0;
            for (int m = 0; m < a->topo_count[TOPO_BOND][i]; m++) {
                int j;
                double d;
                if (!constraint_at(sim, s, i, m, &j, &d)) continue;
                double mj = sim->types.mass[a->type[j]];
                double sv[3] = {a->x[i][0] - a->x[j][0], a->x[i][1] - a->x[j][1], a->x[i][2] - a->x[j][2]};
                double r[3] = {s->xold[i][0] - s->xold[j][0], s->xold[i][1] - s->xold[j][1], s->xold[i][2] - s->xold[j][2]};
                min_image(sim, sv);
                min_image(sim, r);
                double s2 = sv[0] * sv[0] + sv[1] * sv[1] + sv[2] * sv[2], d2 = d * d;
                double diff = s2 - d2;
                if (fabs(diff) > tol2 * d2) done = 0;
                double sr = sv[0] * r[0] + sv[1] * r[1] + sv[2] * r[2];
                if (sr < 1e-6 * d2)
                    error_one(FLERR, "shake: bond %lld-%lld rotated by more than 90 degrees in one step at step %lld: lower the time step",
                              (long long)a->gid[i], (long long)a->gid[j], (long long)sim->step);
                double g = diff / (2.0 * sr * (1.0 / mi + 1.0 / mj));
                for (int c = 0; c < 3; c++) w[c] -= s->omega * g * r[c] / mi;
                lam_sweep[m] = s->omega * g;
            }
            memcpy(s->work[i], w, sizeof w);
            memcpy(lam_pending + (size_t)i * (size_t)per, lam_sweep, sizeof(double) * (size_t)per);
        }
        comm_min_int(sim->comm, &done, 1);
        if (done) break;
        for (int i = 0; i < a->nlocal; i++)
            for (int c = 0; c < 3; c++) a->x[i][c] += s->work[i][c];
        for (size_t q = 0; q < (size_t)a->nlocal * (size_t)per; q++) s->lambda[q] += lam_pending[q];
    }
    if (it > s->maxiter)
        error_all(FLERR, "shake: not converged to %g in %d sweeps at step %lld: lower the time step or raise the sweep limit", s->tol, s->maxiter, (long long)sim->step);
    s->iter_last = it;
    if (it > s->iter_max) s->iter_max = it;
    /* velocity correction */
    for (int i = 0; i < a->nlocal; i++)
        for (int c = 0; c < 3; c++)
            if (fix_velocities) a->v[i][c] += (a->x[i][c] - x0[i][c]) / dt;
    /* constraint virial, per constraint: the force on i from constraint (i,j) over the step is
     * F = -2 lambda r_old / dt^2 (lambda = the summed multiplier, amu), its virial r_old (x) F;
     * each endpoint owner adds half, so bonds across ranks and periodic boundaries count once
     * and only minimum-image bond vectors enter (no absolute positions) */
    double vir[6] = {0, 0, 0, 0, 0, 0};
    for (int i = 0; i < a->nlocal; i++)
        for (int m = 0; m < a->topo_count[TOPO_BOND][i]; m++) {
            int j;
            double d;
            if (!constraint_at(sim, s, i, m, &j, &d)) continue;
            double r[3] = {s->xold[i][0] - s->xold[j][0], s->xold[i][1] - s->xold[j][1], s->xold[i][2] - s->xold[j][2]};
            min_image(sim, r);
            double k = -0.5 * 2.0 * s->lambda[(size_t)i * (size_t)per + (size_t)m] / (dt * dt) * UNITS_MVV2E; /* kcal/mol/A^2 */
            vir[0] += k * r[0] * r[0]; vir[1] += k * r[1] * r[1]; vir[2] += k * r[2] * r[2];
            vir[3] += k * r[0] * r[1]; vir[4] += k * r[0] * r[2]; vir[5] += k * r[1] * r[2];
        }
    comm_sum_double(sim->comm, vir, 6);
    memcpy(s->virial, vir, sizeof vir);
    mem_free(lam_pending);
    mem_free(x0);
}

void shake_positions(Sim *sim) { shake_positions_impl(sim, 1); }

void shake_project(Sim *sim)
{
    if (!shake_active(sim)) return;
    shake_save(sim);
    shake_positions_impl(sim, 0);
    memset(sk(sim)->virial, 0, sizeof sk(sim)->virial);
}

void shake_velocities(Sim *sim)
{
    if (!shake_active(sim)) return;
    struct Shake *s = sk(sim);
    Atoms *a = &sim->atoms;
    reserve(sim);
    int it;
    for (it = 1; it <= s->maxiter; it++) {
        halo_forward_vec(sim, a->v, 0);
        int done = 1;
        for (int i = 0; i < a->nlocal; i++) {
            double mi = sim->types.mass[a->type[i]];
            double w[3] = {0, 0, 0};
            for (int m = 0; m < a->topo_count[TOPO_BOND][i]; m++) {
                int j;
                double d;
                if (!constraint_at(sim, s, i, m, &j, &d)) continue;
                double mj = sim->types.mass[a->type[j]];
                double r[3] = {a->x[i][0] - a->x[j][0], a->x[i][1] - a->x[j][1], a->x[i][2] - a->x[j][2]};
                min_image(sim, r);
                double vr = r[0] * (a->v[i][0] - a->v[j][0]) + r[1] * (a->v[i][1] - a->v[j][1]) + r[2] * (a->v[i][2] - a->v[j][2]);
                double r2 = r[0] * r[0] + r[1] * r[1] + r[2] * r[2];
                /* relative velocity along the bond, compared with a typical speed 1e-3 A/fs */
                if (fabs(vr) > s->tol * sqrt(r2) * 1e-2) done = 0;
                double k = vr / (r2 * (1.0 / mi + 1.0 / mj));
                for (int c = 0; c < 3; c++) w[c] -= s->omega * k * r[c] / mi;
                (void)d;
            }
            memcpy(s->work[i], w, sizeof w);
        }
        comm_min_int(sim->comm, &done, 1);
        if (done) break;
        for (int i = 0; i < a->nlocal; i++)
            for (int c = 0; c < 3; c++) a->v[i][c] += s->work[i][c];
    }
    if (it > s->maxiter)
        error_all(FLERR, "rattle: velocity constraints not converged in %d sweeps at step %lld", s->maxiter, (long long)sim->step);
}

double shake_max_error(Sim *sim)
{
    double e = 0.0;
    if (!shake_active(sim)) return 0.0;
    struct Shake *s = sk(sim);
    Atoms *a = &sim->atoms;
    halo_forward(sim);
    for (int i = 0; i < a->nlocal; i++) {
        for (int m = 0; m < a->topo_count[TOPO_BOND][i]; m++) {
            int j;
            double d;
            if (!constraint_at(sim, s, i, m, &j, &d)) continue;
            double r[3] = {a->x[i][0] - a->x[j][0], a->x[i][1] - a->x[j][1], a->x[i][2] - a->x[j][2]};
            min_image(sim, r);
            double err = fabs(sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]) - d) / d;
            if (err > e) e = err;
        }
    }
    comm_max_double(sim->comm, &e, 1);
    return e;
}
