/* guard.c - run-time guards: displacement between list checks, Buckingham collapse.
 *
 * 1. Displacement between checks. Verlet lists hold all pairs within cutoff + skin and are
 *    rebuilt when an atom has moved more than skin/2 since the last build; that guarantees no
 *    pair within the cutoff is missed only if the displacement is checked every step. With
 *    "neighbor SKIN every N" (N > 1) an atom that moves more than skin/2 in the N steps
 *    between two checks may have crossed into another atom's cutoff unseen. At every check
 *    the largest displacement since the previous check is reduced over ranks (positions kept
 *    at each check; atoms keep their order between rebuilds); beyond skin/2 the run stops,
 *    naming the atom and the distance. LAMMPS only counts such "dangerous builds".
 *
 * 2. Buckingham collapse. E(r) = A exp(-r/rho) - C/r^6 has a wall whose top is at r*, the
 *    inner root of dE/dr = -A/rho exp(-r/rho) + 6 C/r^7 = 0; inside r* the C/r^6 term wins,
 *    E falls to -infinity and the pair fuses (LAMMPS has no guard: the run goes on with two
 *    atoms on top of each other). Taking logarithms, g(r) = ln(A/rho) - ln(6C) + 7 ln r - r/rho
 *    = 0: g rises on (0, 7 rho) and falls beyond, so r* is found by bisection on (0, 7 rho)
 *    when g(7 rho) > 0 (else E decreases everywhere: no wall at all, reported at run start).
 *    The Coulomb term is left out: it is finite at these distances and r* marks where the
 *    short-range form itself fails. On every step whose lists were rebuilt (and at run start)
 *    the owned atoms' list entries are scanned for Buckingham pairs closer than r*; such pairs
 *    stop the run with their atom ids, distance, r* and the step. Special (bonded) pairs are
 *    skipped. Cost: one pass over the lists per rebuild (rebuilds happen every 10-50 steps),
 *    threaded; none without Buckingham pairs.
 *
 * 3. pair_modify buck_guard yes: a repulsive continuation of the Buckingham form inside r*
 *    (see guard_buck_correct below) instead of the error.
 *
 * (NaN/Inf in forces and energies is checked in force.c after every evaluation; atoms that
 * overlap under LJ or Coulomb-only pairs blow apart and are caught there.) */
#include "guard.h"
#include "comm.h"
#include "error.h"
#include "memory.h"
#include "neigh.h"
#include "sim.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GUARD_REPORT_MAX 4   /* pairs named per rank */

/* A pair that may come inside r* before the next rebuild (pair_modify buck_guard). */
typedef struct Cand {
    int i, j;              /* owned i, owned or ghost j (local indices, valid until a rebuild) */
} Cand;

struct Guard {
    double rstar[SIM_MAXTYPES][SIM_MAXTYPES]; /* A; 0: no check for the pair */
    double estar[SIM_MAXTYPES][SIM_MAXTYPES]; /* kcal/mol: E(r*), the top of the wall */
    int any;               /* some pair has r* > 0 */
    int table_ok;          /* rstar/estar are those of the current coefficients */
    /* buck_guard: candidate pairs found at the last rebuild */
    Cand *cand;
    int ncand, candcap;
    int64_t ncand_all;     /* over all ranks */
    int cand_nbuild;       /* the build the candidates belong to (-1: none) */
    int warned_inside;     /* the continuation was reported in this run */
    double (*xcheck)[3];   /* owned positions at the last check, A */
    int cap;
    int valid;             /* xcheck matches the current owned atoms */
    int64_t check_step;    /* step of xcheck */
    int nbuild;            /* neighbour builds seen */
    int warned_nowall;
};
typedef struct Guard Guard;

static Guard *get(Sim *sim)
{
    if (!sim->guard) sim->guard = calloc(1, sizeof(Guard));
    return sim->guard;
}

double guard_buck_turnover(double a, double rho, double c)
{
    if (a <= 0 || c <= 0 || rho <= 0) return 0.0;
    const double base = log(a / rho) - log(6.0 * c);
#define G(r) (base + 7.0 * log(r) - (r) / rho)
    double hi = 7.0 * rho;
    if (G(hi) <= 0) return -1.0;
    double lo = hi * 1e-9;
    if (G(lo) >= 0) return lo;
    for (int it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
        double mid = 0.5 * (lo + hi);
        if (G(mid) > 0) hi = mid;
        else lo = mid;
    }
#undef G
    return 0.5 * (lo + hi);
}

/* Stop every rank with the reports gathered from all ranks (count > 0 somewhere). */
static void report(Sim *sim, const char *mine, const char *head, const char *tail)
{
    size_t n = strlen(mine);
    size_t total = comm_sum_size(sim->comm, n);
    char *all = sim->rank == 0 ? calloc(total + 1, 1) : NULL;
    size_t *counts = sim->rank == 0 ? calloc((size_t)sim->nranks, sizeof(size_t)) : NULL;
    comm_gatherv_bytes(sim->comm, mine, n, all, counts, 0);
    char msg[1800] = "";
    if (sim->rank == 0) {
        all[total] = '\0';
        snprintf(msg, sizeof msg, "%s%s%s", head, all, tail);
    }
    free(all);
    free(counts);
    comm_bcast(sim->comm, msg, sizeof msg, 0);
    error_all(FLERR, "%s", msg);
}

/* One offending pair: distance r and its limit lim (A), atom ids and types. */
typedef struct PairReport {
    double ratio, r, lim;
    int64_t gi, gj;
    int ti, tj;
} PairReport;

/* Scan the lists for Buckingham pairs inside r*. */
static void check_pairs(Sim *sim)
{
    Guard *g = sim->guard;
    if (!g->any) return; /* no Buckingham pair: nothing to scan (the same on every rank) */
    const Atoms *a = &sim->atoms;
    const Neigh *nb = &sim->neigh;
    const int nlocal = a->nlocal;
    int64_t nbad = 0;
    /* the closest offenders, relative to their limit */
    int nrep = 0;
    PairReport rep[GUARD_REPORT_MAX];
#pragma omp parallel
    {
        int64_t my = 0;
        int myrep = 0;
        PairReport mr[GUARD_REPORT_MAX];
#pragma omp for schedule(static)
        for (int i = 0; i < nlocal; i++) {
            const int ti = a->type[i];
            const int *jl = nb->firstneigh[i];
            const int jn = nb->numneigh[i];
            for (int k = 0; k < jn; k++) {
                int jraw = jl[k], j = jraw, special = 0;
#ifdef NEIGH_INDEXMASK
                j = jraw & NEIGH_INDEXMASK;
                special = (int)((unsigned)jraw >> NEIGH_SBBITS);
#endif
                if (special) continue;
                const int tj = a->type[j];
                const double lim = g->rstar[ti][tj], lim2 = lim * lim;
                double dx = a->x[i][0] - a->x[j][0], dy = a->x[i][1] - a->x[j][1], dz = a->x[i][2] - a->x[j][2];
                double rsq = dx * dx + dy * dy + dz * dz;
                if (rsq >= lim2) continue;
                /* an owned-ghost pair is listed on both sides: count it where gid i < gid j */
                if (j >= nlocal && a->gid[i] > a->gid[j]) continue;
                my++;
                double r = sqrt(rsq), ratio = r / lim;
                int slot = myrep < GUARD_REPORT_MAX ? myrep++ : -1;
                if (slot < 0)
                    for (int s = 0; s < GUARD_REPORT_MAX; s++)
                        if (mr[s].ratio > ratio && (slot < 0 || mr[s].ratio > mr[slot].ratio)) slot = s;
                if (slot >= 0) {
                    mr[slot].ratio = ratio; mr[slot].r = r; mr[slot].lim = lim;
                    mr[slot].gi = a->gid[i]; mr[slot].gj = a->gid[j]; mr[slot].ti = ti; mr[slot].tj = tj;
                }
            }
        }
#pragma omp critical
        {
            nbad += my;
            for (int s = 0; s < myrep; s++) {
                int slot = nrep < GUARD_REPORT_MAX ? nrep++ : -1;
                if (slot < 0)
                    for (int q = 0; q < GUARD_REPORT_MAX; q++)
                        if (rep[q].ratio > mr[s].ratio && (slot < 0 || rep[q].ratio > rep[slot].ratio)) slot = q;
                if (slot >= 0) memcpy(&rep[slot], &mr[s], sizeof rep[0]);
            }
        }
    }
    int64_t total = nbad;
    comm_sum_int64(sim->comm, &total, 1);
    if (total == 0) return;
    if (sim->buck_guard) {
        /* the repulsive continuation holds them apart: say so once per run */
        if (!g->warned_inside)
            error_warn("step %lld: %lld Buckingham pair%s inside the turnover distance r*: held apart by the buck_guard repulsion (pair_modify buck_guard yes); energies there are not the Buckingham form's",
                       (long long)sim->step, (long long)total, total == 1 ? "" : "s");
        g->warned_inside = 1;
        return;
    }
    char mine[1024] = "";
    int len = 0;
    for (int s = 0; s < nrep && len < (int)sizeof mine - 200; s++) {
        len += snprintf(mine + len, sizeof mine - (size_t)len, "\n  atoms %lld (%s) and %lld (%s): %.4f A apart, r* = %.4f A",
                        (long long)rep[s].gi, sim->types.name[rep[s].ti], (long long)rep[s].gj, sim->types.name[rep[s].tj],
                        rep[s].r, rep[s].lim);
    }
    char head[256];
    snprintf(head, sizeof head, "step %lld: %lld atom pair%s closer than the Buckingham turnover distance r*:", (long long)sim->step,
             (long long)total, total == 1 ? " is" : "s are");
    report(sim, mine, head,
           "\n  inside r* A exp(-r/rho) - C/r^6 turns attractive and the pair collapses (energy to -infinity). Likely causes: a time step too "
           "large for the temperature, or a start configuration with overlapping atoms (builder, missing minimisation): check the minimum "
           "distances of the start configuration");
}

static double buck_energy(const PairCoeff *c, double r) { return c->a * exp(-r / c->rho) - c->c / pow(r, 6.0); }

/* r* and E(r*) for every type pair from the current coefficients. */
static void make_table(Sim *sim, Guard *g)
{
    g->any = 0;
    const int nt = sim->types.ntypes;
    for (int i = 0; i < nt; i++)
        for (int j = 0; j < nt; j++) {
            const PairCoeff *c = &sim->pair.coeff[i][j];
            double rs = 0.0;
            if (c->form == SR_BUCK) rs = guard_buck_turnover(c->a, c->rho, c->c);
            if (rs < 0) {
                if (!g->warned_nowall && j >= i)
                    error_warn("Buckingham pair %s %s (A %g, rho %g, C %g) has no repulsive wall: its energy decreases at every distance, so nothing keeps these atoms apart but other terms",
                               sim->types.name[i], sim->types.name[j], c->a, c->rho, c->c);
                rs = 0.0;
            }
            g->rstar[i][j] = rs;
            g->estar[i][j] = rs > 0 ? buck_energy(c, rs) : 0.0;
            if (rs > 0) g->any = 1;
        }
    g->warned_nowall = 1;
    g->table_ok = 1;
}

void guard_run_begin(Sim *sim)
{
    Guard *g = get(sim);
    make_table(sim, g);
    g->warned_inside = 0;
    g->cand_nbuild = -1;
    g->nbuild = sim->neigh.nbuild;
    g->valid = 0;
    check_pairs(sim);
    guard_after_neighbors(sim, 1);
}

void guard_before_neighbors(Sim *sim, int check)
{
    Guard *g = sim->guard;
    if (!g || !check || sim->neigh.every <= 1 || !g->valid) return;
    const Atoms *a = &sim->atoms;
    double dmax2 = 0.0;
    int64_t who = 0;
    for (int i = 0; i < a->nlocal; i++) {
        double dx = a->x[i][0] - g->xcheck[i][0], dy = a->x[i][1] - g->xcheck[i][1], dz = a->x[i][2] - g->xcheck[i][2];
        double d2 = dx * dx + dy * dy + dz * dz;
        if (d2 > dmax2) { dmax2 = d2; who = a->gid[i]; }
    }
    double lim = 0.5 * sim->pair.skin;
    double gmax = dmax2;
    comm_max_double(sim->comm, &gmax, 1);
    if (gmax <= lim * lim) return;
    double id = dmax2 == gmax ? (double)who : HUGE_VAL;
    comm_min_double(sim->comm, &id, 1);
    error_all(FLERR, "step %lld: atom %lld moved %.3f A in %lld steps, more than half the neighbour skin (%.3g A) between two neighbour-list checks: pairs may have been missed; lower the timestep or check every step ('neighbor %g every 1')",
              (long long)sim->step, (long long)id, sqrt(gmax), (long long)(sim->step - g->check_step), lim, sim->pair.skin);
}

void guard_after_neighbors(Sim *sim, int check)
{
    Guard *g = sim->guard;
    if (!g) return;
    int rebuilt = sim->neigh.nbuild != g->nbuild;
    g->nbuild = sim->neigh.nbuild;
    if (rebuilt) check_pairs(sim);
    if (sim->neigh.every <= 1 || !(check || rebuilt)) return;
    const Atoms *a = &sim->atoms;
    if (a->nlocal > g->cap) {
        int cap = a->nlocal + a->nlocal / 4 + 16;
        mem_grow((void **)&g->xcheck, 0, (size_t)cap, sizeof *g->xcheck, "guard positions");
        g->cap = cap;
    }
    memcpy(g->xcheck, a->x, sizeof *g->xcheck * (size_t)a->nlocal);
    g->valid = 1;
    g->check_step = sim->step;
}

/* ---- pair_modify buck_guard yes ----
 * Inside r* the Buckingham energy is replaced by a repulsive continuation, with u = r* / r,
 *   E(r) = E* + S [u^12 - 1 - 12 (u - 1)],   S = max(E*, 1 kcal/mol),  E* = E_buck(r*),
 * which equals E* with zero slope at r* (the Buckingham form's own slope there), so energy
 * and force are continuous, and rises as S (r* / r)^12 as r -> 0. Pairs that can come inside r*
 * before the next rebuild are those within r* + skin of each other at the rebuild (2 skin
 * with "neighbor every N > 1"); they are collected at each rebuild and corrected after every
 * pair_compute: E_guard - E_buck and its force for the pairs inside r*, with the same
 * owned/ghost weights as the pair loop (owned-owned once, owned-ghost half on each side). */
static void collect_candidates(Sim *sim, Guard *g)
{
    const Atoms *a = &sim->atoms;
    const Neigh *nb = &sim->neigh;
    const double margin = (sim->neigh.every > 1 ? 2.0 : 1.0) * sim->pair.skin;
    g->ncand = 0;
    for (int i = 0; i < a->nlocal && g->any; i++) {
        const int *jl = nb->firstneigh[i];
        for (int k = 0; k < nb->numneigh[i]; k++) {
            int jraw = jl[k], j = jraw, special = 0;
#ifdef NEIGH_INDEXMASK
            j = jraw & NEIGH_INDEXMASK;
            special = (int)((unsigned)jraw >> NEIGH_SBBITS);
#endif
            double rs = g->rstar[a->type[i]][a->type[j]];
            if (special || rs <= 0) continue;
            double dx = a->x[i][0] - a->x[j][0], dy = a->x[i][1] - a->x[j][1], dz = a->x[i][2] - a->x[j][2];
            if (dx * dx + dy * dy + dz * dz >= (rs + margin) * (rs + margin)) continue;
            if (g->ncand == g->candcap) {
                int cap = g->candcap ? 2 * g->candcap : 64;
                mem_grow((void **)&g->cand, (size_t)g->candcap, (size_t)cap, sizeof *g->cand, "buck_guard pairs");
                g->candcap = cap;
            }
            g->cand[g->ncand].i = i;
            g->cand[g->ncand].j = j;
            g->ncand++;
        }
    }
    g->ncand_all = g->ncand;
    comm_sum_int64(sim->comm, &g->ncand_all, 1);
    g->cand_nbuild = sim->neigh.nbuild;
}

void guard_buck_correct(Sim *sim)
{
    if (!sim->buck_guard) return;
    Guard *g = get(sim);
    if (!g->table_ok) make_table(sim, g);
    if (g->cand_nbuild != sim->neigh.nbuild) collect_candidates(sim, g);
    if (g->ncand_all == 0) return;
    Atoms *a = &sim->atoms;
    double acc[7] = {0, 0, 0, 0, 0, 0, 0}; /* energy, virial xx yy zz xy xz yz */
    for (int k = 0; k < g->ncand; k++) {
        const int i = g->cand[k].i, j = g->cand[k].j, ti = a->type[i], tj = a->type[j];
        const double rs = g->rstar[ti][tj];
        double d[3] = {a->x[i][0] - a->x[j][0], a->x[i][1] - a->x[j][1], a->x[i][2] - a->x[j][2]};
        double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        if (r >= rs) continue;
        const PairCoeff *c = &sim->pair.coeff[ti][tj];
        const double es = g->estar[ti][tj], sc = es > 1.0 ? es : 1.0, u = rs / r, u11 = pow(u, 11.0);
        const double e_g = es + sc * (u11 * u - 1.0 - 12.0 * (u - 1.0));
        const double f_g = 12.0 * sc * rs * (u11 - 1.0) / (r * r * r);                     /* -dE/dr / r */
        const double ex = c->a * exp(-r / c->rho), r6 = pow(r, 6.0);
        const double f_b = (ex / c->rho * r - 6.0 * c->c / r6) / (r * r);                  /* -dE/dr / r */
        const double w = j < a->nlocal ? 1.0 : 0.5, df = f_g - f_b;
        acc[0] += w * (e_g - (ex - c->c / r6));
        for (int q = 0; q < 3; q++) {
            a->f[i][q] += df * d[q];
            if (j < a->nlocal) a->f[j][q] -= df * d[q];
        }
        acc[1] += w * df * d[0] * d[0]; acc[2] += w * df * d[1] * d[1]; acc[3] += w * df * d[2] * d[2];
        acc[4] += w * df * d[0] * d[1]; acc[5] += w * df * d[0] * d[2]; acc[6] += w * df * d[1] * d[2];
    }
    comm_sum_double(sim->comm, acc, 7);
    sim->en.evdwl += acc[0];
    for (int q = 0; q < 6; q++) sim->en.virial[q] += acc[1 + q];
}

void guard_free(Sim *sim)
{
    if (!sim->guard) return;
    mem_free(sim->guard->cand);
    mem_free(sim->guard->xcheck);
    free(sim->guard);
    sim->guard = NULL;
}
