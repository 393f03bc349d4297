/* ana_traj.h - read frames of an AMBER netCDF trajectory (the `trajectory` command's files). */
#ifndef NECKMD_ANA_TRAJ_H
#define NECKMD_ANA_TRAJ_H
#include <stddef.h>
#include <stdint.h>

typedef struct AnaTraj AnaTraj;

/* Open PATH read-only. The frame count is the record count on disk: for a file still being
 * written that is the number of complete frames (the writer syncs after each one).
 * Returns NULL with a message in err. */
AnaTraj *ana_traj_open(const char *path, char *err, size_t errlen);
void ana_traj_close(AnaTraj **t);
int64_t ana_traj_natoms(const AnaTraj *t);
size_t ana_traj_nframes(const AnaTraj *t);
/* 1-based atom types of the file (variable atom_types), or -1 if it has none. */
int ana_traj_types(AnaTraj *t, int *types);
/* Frame f: positions (A, 3 per atom) into x, time (ps; the frame index if there is no time),
 * box origin (A; cell_origin, else lo_default) and edges (A; cell_lengths, else len_default).
 * Returns 0, or -1 with a message in err. */
int ana_traj_read(AnaTraj *t, size_t f, double *x, double *time_ps, double lo[3], double len[3], const double lo_default[3],
                  const double len_default[3], char *err, size_t errlen);

#endif
