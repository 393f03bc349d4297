/* restart.h - restart files: everything needed to continue a run exactly. */
#ifndef NECKMD_RESTART_H
#define NECKMD_RESTART_H
#include <stdint.h>
typedef struct Sim Sim;

/* "restart N FILE" (every N steps; a '*' in FILE becomes the step) or "restart off". */
void restart_configure(Sim *sim, char **arg, int narg, const char *where);
/* 1 if the current step (sim->step, inside a run) is a restart step: the loop then forces a
 * full neighbour rebuild at this step and writes the restart at its end. */
int restart_due(const Sim *sim);
/* Loop hook at the end of a step: write the configured restart file if due. Collective. */
void restart_write_if_due(Sim *sim);
/* Write a restart file now ("write_restart FILE"). Collective. */
void restart_write_now(Sim *sim, const char *path, const char *where);
/* "read_restart FILE": read_data plus the neckmd state (step, time, timestep, integrator and
 * its chain state, the forces of the interrupted step for Langevin). Collective. */
void read_restart(Sim *sim, const char *path, const char *where);
/* Run start, after the first force evaluation: warn if the deck's settings differ from the
 * restart's; if the job continues a Langevin run at the restart's step, put the interrupted
 * step's total forces (kcal/mol/A) back and return 1 (the integrator then skips its own
 * Langevin forces); else 0. Collective. */
int restart_run_begin(Sim *sim);
/* 1 and *step if this job continues from a restart file (for appending trajectories). */
int restart_continues(const Sim *sim, int64_t *step);
/* This job continues from a restart and is still at its step: the saved state of restraint
 * NAME ("r0_ref_A t_ref_fs d0_A work_kcal_mol"), else NULL. */
const char *restart_restraint_state(const Sim *sim, const char *name);
void restart_free(Sim *sim);

#endif
