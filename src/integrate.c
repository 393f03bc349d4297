/* integrate.c - velocity Verlet and its thermostatted variants.
 *
 * NVE: velocity Verlet (Swope, Andersen, Berens & Wilson, J. Chem. Phys. 76, 637 (1982)):
 *   v += dt/2 F/m;  x += dt v;  F = F(x);  v += dt/2 F/m.
 * NVT: a Nose-Hoover chain of length 3 (Martyna, Klein & Tuckerman, J. Chem. Phys. 97, 2635
 *   (1992)), integrated by the Trotter splitting of Martyna, Tuckerman, Tobias & Klein, Mol.
 *   Phys. 87, 1117 (1996): a half-step chain update (one Suzuki-Yoshida stage) before and
 *   after the velocity Verlet step. Masses Q1 = dof kT tau^2, Qk = kT tau^2 (tau = TDAMP).
 *   Conserved: E + sum_k Qk vk^2/2 + dof kT eta1 + kT sum_{k>1} eta_k.
 * Langevin: F += -m v/damp + sqrt(2 m kT/(damp dt)) N(0,1) per component, added after each
 *   force evaluation (as LAMMPS fix langevin, with Gaussian instead of uniform noise); the
 *   noise of atom i at step n is a pure function of (seed, global id, n, component), so a run
 *   does not depend on the number of ranks or threads.
 * NPT: with a barostat (barostat.c, stochastic cell rescaling) its cell move replaces the
 *   drift of a step (scaling fused with x += dt v), with any of the three; its effective
 *   energy is closed after the force evaluation, before the second half kick.
 * Units: x A, v A/fs, F kcal/mol/A, m amu; F/m * UNITS_FTM2V is A/fs^2. */
#include "integrate.h"
#include "barostat.h"
#include "comm.h"
#include "constraint_shake.h"
#include "error.h"
#include "force.h"
#include "group.h"
#include "guard.h"
#include "restart.h"
#include "restraint.h"
#include "rng.h"
#include "sim.h"
#include "thermo.h"
#include "traj_netcdf.h"
#include "units.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

double integrate_thermostat_energy(const Sim *sim)
{
    const Integrator *it = &sim->integ;
    if (it->style != INT_NVT) return 0.0;
    double kT = UNITS_KB * it->t_target, tau2 = it->t_damp * it->t_damp;
    double dof = thermo_dof(sim);
    double e = 0.0;
    for (int k = 0; k < NHC_LEN; k++) {
        double Q = (k == 0 ? dof : 1.0) * kT * tau2;
        e += 0.5 * Q * it->eta_dot[k] * it->eta_dot[k];
        e += (k == 0 ? dof : 1.0) * kT * it->eta[k];
    }
    return e;
}

/* Half-step (dt/2) update of the chain; returns the velocity scale factor. ke in kcal/mol. */
static double nhc_half_step(Sim *sim, double ke)
{
    Integrator *it = &sim->integ;
    double dt = it->dt, dt2 = 0.5 * dt, dt4 = 0.25 * dt, dt8 = 0.125 * dt;
    double kT = UNITS_KB * it->t_target, tau2 = it->t_damp * it->t_damp, dof = thermo_dof(sim);
    double Q[NHC_LEN], G[NHC_LEN];
    for (int k = 0; k < NHC_LEN; k++) Q[k] = (k == 0 ? dof : 1.0) * kT * tau2;
    int M = NHC_LEN - 1;
    G[0] = (2.0 * ke - dof * kT) / Q[0];
    for (int k = 1; k < NHC_LEN; k++) G[k] = (Q[k - 1] * it->eta_dot[k - 1] * it->eta_dot[k - 1] - kT) / Q[k];
    it->eta_dot[M] += dt4 * G[M];
    for (int k = M - 1; k >= 0; k--) {
        double aa = exp(-dt8 * it->eta_dot[k + 1]);
        it->eta_dot[k] = it->eta_dot[k] * aa * aa + dt4 * G[k] * aa;
    }
    double scale = exp(-dt2 * it->eta_dot[0]);
    ke *= scale * scale;
    for (int k = 0; k < NHC_LEN; k++) it->eta[k] += dt2 * it->eta_dot[k];
    G[0] = (2.0 * ke - dof * kT) / Q[0];
    for (int k = 0; k < M; k++) {
        double aa = exp(-dt8 * it->eta_dot[k + 1]);
        it->eta_dot[k] = it->eta_dot[k] * aa * aa + dt4 * G[k] * aa;
        G[k + 1] = (Q[k] * it->eta_dot[k] * it->eta_dot[k] - kT) / Q[k + 1];
    }
    it->eta_dot[M] += dt4 * G[M];
    return scale;
}

static void scale_velocities(Sim *sim, double s)
{
    Atoms *a = &sim->atoms;
    for (int i = 0; i < a->nlocal; i++)
        for (int d = 0; d < 3; d++) a->v[i][d] *= s;
}

static void langevin_forces(Sim *sim)
{
    Atoms *a = &sim->atoms;
    const Integrator *it = &sim->integ;
    double kT = UNITS_KB * it->t_target;
    for (int i = 0; i < a->nlocal; i++) {
        if ((sim->langevin_mask && !(a->gmask[i] & sim->langevin_mask)) || group_frozen(sim, i)) continue;
        double m = sim->types.mass[a->type[i]];
        double gamma = m / it->t_damp * UNITS_MVV2E;                         /* kcal/mol/A per A/fs */
        double sigma = sqrt(2.0 * m * kT * UNITS_MVV2E / (it->t_damp * it->dt)); /* kcal/mol/A */
        for (int d = 0; d < 3; d++)
            a->f[i][d] += -gamma * a->v[i][d] + sigma * rng_normal(it->seed, (uint64_t)a->gid[i], (uint64_t)sim->step, (uint64_t)d);
    }
}

static void kick(Sim *sim, double dt_half)
{
    Atoms *a = &sim->atoms;
    for (int i = 0; i < a->nlocal; i++) {
        double s = dt_half * UNITS_FTM2V / sim->types.mass[a->type[i]];
        a->v[i][0] += s * a->f[i][0];
        a->v[i][1] += s * a->f[i][1];
        a->v[i][2] += s * a->f[i][2];
    }
}

static void drift(Sim *sim, double dt)
{
    Atoms *a = &sim->atoms;
    for (int i = 0; i < a->nlocal; i++) {
        a->x[i][0] += dt * a->v[i][0];
        a->x[i][1] += dt * a->v[i][1];
        a->x[i][2] += dt * a->v[i][2];
    }
}

void integrate_velocity_create(Sim *sim, double T, uint64_t seed)
{
    Atoms *a = &sim->atoms;
    double p[4] = {0, 0, 0, 0}; /* momentum (amu A/fs) and total mass */
    for (int i = 0; i < a->nlocal; i++) {
        double m = sim->types.mass[a->type[i]];
        double s = sqrt(UNITS_KB * (T > 0 ? T : 1.0) / (m * UNITS_MVV2E));
        if (group_frozen(sim, i)) { a->v[i][0] = a->v[i][1] = a->v[i][2] = 0.0; continue; }
        for (int d = 0; d < 3; d++) {
            a->v[i][d] = s * rng_normal(seed, (uint64_t)a->gid[i], 0, 100 + (uint64_t)d);
            p[d] += m * a->v[i][d];
        }
        p[3] += m;
    }
    comm_sum_double(sim->comm, p, 4);
    for (int i = 0; i < a->nlocal; i++)
        if (!group_frozen(sim, i))
            for (int d = 0; d < 3; d++) a->v[i][d] -= p[d] / p[3];
    double ke = thermo_ke(sim);
    double tnow = 2.0 * ke / (thermo_dof(sim) * UNITS_KB);
    scale_velocities(sim, tnow > 0 ? sqrt(T / tnow) : 0.0);
}

static void run_summary(Sim *sim, int64_t nsteps, double loop_s);

void integrate_run(Sim *sim, int64_t nsteps)
{
    Integrator *it = &sim->integ;
    if (sim->types.ntypes > 0)
        for (int t = 0; t < sim->types.ntypes; t++)
            if (!sim->types.mass_set[t]) error_all(FLERR, "no mass for atom type %s: give it in the data file's Masses section or in a forcefield file", sim->types.name[t]);
    force_setup(sim);
    timers_reset(&sim->timers);
    double t0 = comm_wtime();
    timer_start(&sim->timers, TIMER_TOTAL);
    if (shake_active(sim) && shake_max_error(sim) > shake_tolerance(sim)) {
        /* start on the constraint manifold: bond lengths at R0 (a continuation that is
         * already on it is left untouched, so restarts stay bitwise) */
        shake_project(sim);
        force_update_neighbors(sim, 1);
        double err = shake_max_error(sim); /* collective */
        if (sim->rank == 0) printf("shake: initial bond lengths projected to R0 (max error now %.2e)\n", err);
    }
    guard_run_begin(sim);
    force_compute(sim);
    /* a job continuing a Langevin run gets the interrupted step's total forces back */
    int restored = restart_run_begin(sim);
    if (it->style == INT_LANGEVIN && !restored) langevin_forces(sim);
    shake_velocities(sim);
    barostat_run_begin(sim);
    thermo_header(sim);
    thermo_clear(sim);
    ThermoRow row = thermo_row(sim);
    thermo_print(sim, &row);
    traj_write_if_due(sim);
    restraint_output(sim);
    double tstart = comm_wtime();
    int64_t next_progress = nsteps / 10;
    for (int64_t n = 1; n <= nsteps; n++) {
        if (it->style == INT_NVT) scale_velocities(sim, nhc_half_step(sim, thermo_ke(sim)));
        kick(sim, 0.5 * it->dt);
        shake_save(sim);
        if (!barostat_drift(sim, it->dt)) drift(sim, it->dt); /* NPT: the cell move is fused with the drift */
        shake_positions(sim);
        sim->step++;
        sim->time_fs += it->dt;
        int check = sim->neigh.every > 0 && sim->step % sim->neigh.every == 0;
        guard_before_neighbors(sim, check);
        if (restart_due(sim)) force_rebuild_neighbors(sim); /* the lists a continuing job starts with */
        else force_update_neighbors(sim, check);
        guard_after_neighbors(sim, check);
        force_compute(sim);
        barostat_after_force(sim);
        if (it->style == INT_LANGEVIN) langevin_forces(sim);
        kick(sim, 0.5 * it->dt);
        shake_velocities(sim);
        if (it->style == INT_NVT) scale_velocities(sim, nhc_half_step(sim, thermo_ke(sim)));
        if ((sim->thermo_every > 0 && n % sim->thermo_every == 0) || n == nsteps) {
            timer_start(&sim->timers, TIMER_OUTPUT);
            row = thermo_row(sim);
            thermo_print(sim, &row);
            timer_stop(&sim->timers, TIMER_OUTPUT);
        }
        traj_write_if_due(sim);     /* timed as output */
        restraint_output(sim);
        restart_write_if_due(sim);  /* timed as output */
        if (n == next_progress && nsteps >= 100) {
            double el = comm_wtime() - tstart;
            double eta = el / (double)n * (double)(nsteps - n);
            if (sim->rank == 0 && el + eta > 30.0)
                printf("progress: step %lld of %lld (%d%%), %.1f s elapsed, ETA %.1f s\n", (long long)n, (long long)nsteps, (int)(100 * n / nsteps), el, eta);
            next_progress += nsteps / 10;
        }
    }
    timer_stop(&sim->timers, TIMER_TOTAL);
    run_summary(sim, nsteps, comm_wtime() - t0);
}

static void run_summary(Sim *sim, int64_t nsteps, double loop_s)
{
    double avg[TIMER_COUNT], mn[TIMER_COUNT], mx[TIMER_COUNT];
    for (int t = 0; t < TIMER_COUNT; t++) avg[t] = mn[t] = mx[t] = sim->timers.total[t];
    comm_sum_double(sim->comm, avg, TIMER_COUNT);
    comm_min_double(sim->comm, mn, TIMER_COUNT);
    comm_max_double(sim->comm, mx, TIMER_COUNT);
    double q = 0.0;
    for (int i = 0; i < sim->atoms.nlocal; i++) q += sim->atoms.q[i];
    comm_sum_double(sim->comm, &q, 1);
    int64_t n = sim->atoms.nlocal;
    comm_sum_int64(sim->comm, &n, 1);
    if (n != sim->natoms) error_all(FLERR, "atom count changed: %lld of %lld", (long long)n, (long long)sim->natoms);
    sim->last_run.loop_s = loop_s;
    sim->last_run.nsteps = nsteps;
    sim->last_run.atom_steps_per_s = nsteps > 0 ? (double)sim->natoms * (double)nsteps / loop_s : 0.0;
    sim->last_run.ns_per_day = nsteps > 0 ? sim->integ.dt * 1e-6 * (double)nsteps / loop_s * 86400.0 : 0.0;
    sim->last_run.qtotal = q;
    for (int t = 0; t < TIMER_COUNT; t++) {
        sim->last_run.tmin[t] = mn[t];
        sim->last_run.tavg[t] = avg[t] / sim->nranks;
        sim->last_run.tmax[t] = mx[t];
    }
    double bond_err = shake_max_error(sim); /* collective: before the rank-0 return */
    (void)bond_err;
    if (sim->rank != 0) return;
    printf("Loop time of %.6g s on %d ranks x %d threads for %lld steps with %lld atoms\n", loop_s,
           sim->nranks, sim->nthreads, (long long)nsteps, (long long)sim->natoms);
    if (nsteps > 0)
        printf("Performance: %.4f ns/day, %.1f atom-steps/s, %.3f steps/s\n", sim->last_run.ns_per_day,
               sim->last_run.atom_steps_per_s, (double)nsteps / loop_s);
    printf("Timing breakdown (s)  %10s %10s %10s %7s\n", "min", "avg", "max", "%total");
    double other[3] = {mn[TIMER_TOTAL], avg[TIMER_TOTAL] / sim->nranks, mx[TIMER_TOTAL]};
    for (int t = 1; t < TIMER_COUNT; t++) {
        printf("  %-18s  %10.4f %10.4f %10.4f %7.2f\n", timer_name((TimerId)t), mn[t], avg[t] / sim->nranks, mx[t],
               avg[TIMER_TOTAL] > 0 ? 100.0 * avg[t] / avg[TIMER_TOTAL] : 0.0);
        other[1] -= avg[t] / sim->nranks;
    }
    printf("  %-18s  %10s %10.4f %10s %7.2f\n", "other", "", other[1], "",
           avg[TIMER_TOTAL] > 0 ? 100.0 * other[1] * sim->nranks / avg[TIMER_TOTAL] : 0.0);
    printf("Atoms: %lld (conserved); total charge %.10g e; neighbour list builds %d\n", (long long)n, q, sim->neigh.nbuild);
    if (shake_active(sim)) {
        int last, mx;
        shake_stats(sim, &last, &mx);
        printf("shake: %ld constraints, largest relative bond-length error %.3g, sweeps last step %d, most %d\n", shake_count(sim), bond_err, last, mx);
    }
    fflush(stdout);
}

void integrate_run_summary(Sim *sim, int64_t nsteps, double loop_s) { run_summary(sim, nsteps, loop_s); }
