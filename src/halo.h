/* halo.h - ghost atoms: who needs which images, and refreshing their positions. */
#ifndef NECKMD_HALO_H
#define NECKMD_HALO_H
typedef struct Sim Sim;

/* Build the ghost atoms of this rank (all atom images within rghost (A) of the subdomain)
 * and the swap plan that halo_forward replays. Owned atoms must be migrated first.
 * Collective. */
void halo_build(Sim *sim, double rghost);
/* Refresh ghost positions (A) from their owners along the stored plan. Collective. */
void halo_forward(Sim *sim);
/* Refresh ghost copies of any per-atom 3-vector array v (e.g. velocities, old positions)
 * along the stored plan; periodic shifts are added only if shift != 0 (positions). */
void halo_forward_vec(Sim *sim, double (*v)[3], int shift);
/* Free the plan's buffers. */
void halo_free(Sim *sim);

#endif
