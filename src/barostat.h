/* barostat.h - constant pressure by stochastic cell rescaling, isotropic or per axis. */
#ifndef NECKMD_BAROSTAT_H
#define NECKMD_BAROSTAT_H
typedef struct Sim Sim;

/* Phase-1 syntax check of the "barostat" command's arguments
 *   off | iso|aniso PRESSURE(atm) PDAMP(fs) [SEED] [compress K(1/atm)] [every N] [temp T(K)]
 * Returns NULL if they are fine, else what was expected. */
const char *barostat_check_args(char **arg, int narg);
/* Phase 2 of "barostat": switch it on with these settings (replacing earlier ones; the
 * accumulated effective-energy term is kept) or off. where = "FILE:LINE" for errors. */
void barostat_command(Sim *sim, char **arg, int narg, const char *where);
/* 1 if a barostat is on. */
int barostat_active(const Sim *sim);
/* Run start, after the first force evaluation: check the settings against the integrator and
 * print one summary line (rank 0). Collective. */
void barostat_run_begin(Sim *sim);
/* The position update of an MD step (after the first half kick), dt in fs. On a barostat
 * step: draw the cell move from the current pressure tensor, scale box and positions about
 * the box centre by s (per axis) while drifting, x' = c + s (x - c) + (s + 1/s)/2 dt v,
 * v' = v/s, set the new box and subdomains (domain_rescale: the next force evaluation does a
 * full rebuild and re-initialises the kspace style) and return 1. Returns 0 and changes
 * nothing when the barostat is off or skips this step: the caller then drifts x += dt v.
 * Collective. */
int barostat_drift(Sim *sim, double dt);
/* After the force evaluation of a step that barostat_drift moved (new virial, velocities
 * before the second half kick): the second half of the effective-energy bookkeeping.
 * Does nothing otherwise. Collective. */
void barostat_after_force(Sim *sim);
/* Energy to add to etotal (and the thermostat energy) for the conserved quantity, kcal/mol:
 * P0 V plus the accumulated barostat work and heat (the SCR effective energy); 0 if the
 * barostat has never been on. */
double barostat_energy(const Sim *sim);
/* The accumulated work and heat alone (kcal/mol, without P0 V), and its restoration: the one
 * piece of barostat state a restart file must carry for econserve to continue (the settings
 * come from the deck; the noise is a function of (seed, step)). */
double barostat_heat(const Sim *sim);
void barostat_set_heat(Sim *sim, double e_kcal_mol);
void barostat_free(Sim *sim);

#endif
