/* force.h - one force evaluation: neighbour upkeep, pair, kspace; and the kspace style table. */
#ifndef NECKMD_FORCE_H
#define NECKMD_FORCE_H
typedef struct Sim Sim;

/* Prepare for dynamics: migrate atoms, build ghosts and lists, choose kspace parameters,
 * check coefficients. Collective. Prints the kspace summary on rank 0. */
void force_setup(Sim *sim);
/* Keep ghosts and lists current for the present positions: a full rebuild (migration,
 * ghosts, lists) when an atom moved more than skin/2, else a position refresh. Collective. */
void force_update_neighbors(Sim *sim, int check);
/* A full rebuild (migration, ghosts, lists) now, whatever the displacements. Collective. */
void force_rebuild_neighbors(Sim *sim);
/* Zero forces and compute forces (kcal/mol/A), energies (kcal/mol) and virial. Collective.
 * Stops the job (error_all, naming the step) if an energy, the virial or a force is not finite. */
void force_compute(Sim *sim);
/* Total potential energy, kcal/mol (after force_compute). */
double force_pe(const Sim *sim);
/* Global charge sums into sim->qsum (e), sim->qsqsum (e^2). Collective. */
void force_charge_sums(Sim *sim);

#endif
