/* integrate.h - time stepping: velocity Verlet with NVE, Nose-Hoover chain NVT or Langevin. */
#ifndef NECKMD_INTEGRATE_H
#define NECKMD_INTEGRATE_H
#include <stdint.h>
typedef struct Sim Sim;

/* Run nsteps steps of the selected integrator (nsteps = 0 evaluates and prints step 0).
 * Prints thermo every sim->thermo_every steps and the end-of-run summary. Collective. */
void integrate_run(Sim *sim, int64_t nsteps);
/* Energy stored in the thermostat (kcal/mol): the Nose-Hoover chain's kinetic and
 * potential terms, 0 otherwise; etotal + this is conserved by NVE and NVT. */
double integrate_thermostat_energy(const Sim *sim);
/* Draw velocities (A/fs) for temperature T (K) from a Gaussian seeded by (seed, atom id),
 * remove the centre-of-mass momentum and scale to exactly T. Collective. */
void integrate_velocity_create(Sim *sim, double T, uint64_t seed);
/* The end-of-run report (loop time over loop_s s, timer breakdown min/avg/max over ranks,
 * atom count check, total charge) and sim->last_run; nsteps = 0 for a minimisation (no
 * ns/day). Used by integrate_run and minimize_run. Collective. */
void integrate_run_summary(Sim *sim, int64_t nsteps, double loop_s);

#endif
