/* traj_netcdf.h - AMBER-convention netCDF trajectories (what MDAnalysis, VMD, cpptraj, OVITO read). */
#ifndef NECKMD_TRAJ_NETCDF_H
#define NECKMD_TRAJ_NETCDF_H
typedef struct Sim Sim;

/* "trajectory N FILE [velocities] [forces] [unwrapped] [chunk NATOMS]" or "trajectory off".
 * The file is opened when the first frame is due. Collective. */
void traj_configure(Sim *sim, char **arg, int narg, const char *where);
/* Loop hook (run start and every step): write a frame if the step is a multiple of N and
 * the file has no frame of this step yet. Forces must be current. Collective. */
void traj_write_if_due(Sim *sim);
/* Close the file (another trajectory command). */
void traj_close(Sim *sim);
/* Close the file and free the settings (end of the job). */
void traj_free(Sim *sim);

#endif
