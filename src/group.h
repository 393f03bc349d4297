/* group.h - named sets of atoms (by type, molecule, id, NC id file, region), and the atoms
 * held fixed ("freeze"). */
#ifndef NECKMD_GROUP_H
#define NECKMD_GROUP_H
#include <stdint.h>
typedef struct Sim Sim;

#define GROUP_MAX 32   /* bit 0 is "all" */

/* `group NAME STYLE ARGS...`: phase-1 syntax check of the arguments (NULL if fine, else what
 * was expected). */
const char *group_check_args(char **arg, int narg);
/* Define or redefine group NAME from the current state (collective; prints its atom count). */
void group_command(Sim *sim, char **arg, int narg, const char *where);
/* The bit mask of group NAME; errors (naming `where`) if it does not exist. */
int group_bit(Sim *sim, const char *name, const char *where);
/* Number of atoms in the groups of mask (global, collective). */
int64_t group_count(Sim *sim, int mask);

/* `freeze GROUP|none`: atoms of GROUP keep their positions: zero force and velocity (as
 * LAMMPS fix setforce 0 0 0 plus zero velocities). Collective. */
const char *group_check_freeze(char **arg, int narg);
void group_freeze_command(Sim *sim, char **arg, int narg, const char *where);
/* While a minimisation runs: only atoms of mask move (0: lift the restriction). */
void group_set_mobile(Sim *sim, int mask);
/* Is owned atom i held fixed? */
int group_frozen(const Sim *sim, int i);
/* Number of fixed atoms (global; kept current by the commands). */
int64_t group_nfrozen(const Sim *sim);
/* Zero the forces (kcal/mol/A) and velocities of the fixed owned atoms. */
void group_apply_freeze(Sim *sim);

/* `displace GROUP DX DY DZ` (A): move the atoms of GROUP rigidly. Collective. */
const char *group_check_displace(char **arg, int narg);
void group_displace_command(Sim *sim, char **arg, int narg, const char *where);

void group_free(Sim *sim);
#endif
