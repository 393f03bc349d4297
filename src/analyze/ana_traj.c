/* ana_traj.c - AMBER netCDF trajectory frames for the analysis (netCDF C library, serial).
 *
 * Layout (traj_netcdf.c, shared/docs/reference/ecosystem.md section 1): float
 * coordinates(frame, atom, spatial) in angstrom, float time(frame) in picosecond, double
 * cell_lengths(frame, cell_spatial) in angstrom; neckmd adds double cell_origin(frame,
 * cell_spatial) and int atom_types(atom). A scale_factor on coordinates, time or
 * cell_lengths (allowed by the convention) is applied. Frames are read one at a time in
 * chunks of 2^18 atoms, so memory stays at the size of one frame in double. */
#include "analyze/ana_traj.h"
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_ATOMS 262144

struct AnaTraj {
    int nc;
    int v_coord, v_time, v_clen, v_corig, v_types;
    double s_coord, s_time, s_clen;
    size_t natoms, nframes;
    float *buf;
    char path[512];
};

static double scale_of(int nc, int var)
{
    double s = 1.0;
    if (var >= 0 && nc_get_att_double(nc, var, "scale_factor", &s) != NC_NOERR) s = 1.0;
    return s;
}

AnaTraj *ana_traj_open(const char *path, char *err, size_t errlen)
{
    int nc, dim;
    int st = nc_open(path, NC_NOWRITE, &nc);
    if (st != NC_NOERR) {
        snprintf(err, errlen, "%s: cannot open as netCDF: %s", path, nc_strerror(st));
        return NULL;
    }
    AnaTraj *t = calloc(1, sizeof *t);
    t->nc = nc;
    snprintf(t->path, sizeof t->path, "%s", path);
    const char *why = NULL;
    if (nc_inq_dimid(nc, "atom", &dim) || nc_inq_dimlen(nc, dim, &t->natoms)) why = "no 'atom' dimension";
    else if (nc_inq_dimid(nc, "frame", &dim) || nc_inq_dimlen(nc, dim, &t->nframes)) why = "no 'frame' dimension";
    else if (nc_inq_varid(nc, "coordinates", &t->v_coord)) why = "no 'coordinates' variable";
    if (why) {
        snprintf(err, errlen, "%s: not an AMBER netCDF trajectory: %s", path, why);
        nc_close(nc);
        free(t);
        return NULL;
    }
    if (nc_inq_varid(nc, "time", &t->v_time)) t->v_time = -1;
    if (nc_inq_varid(nc, "cell_lengths", &t->v_clen)) t->v_clen = -1;
    if (nc_inq_varid(nc, "cell_origin", &t->v_corig)) t->v_corig = -1;
    if (nc_inq_varid(nc, "atom_types", &t->v_types)) t->v_types = -1;
    t->s_coord = scale_of(nc, t->v_coord);
    t->s_time = scale_of(nc, t->v_time);
    t->s_clen = scale_of(nc, t->v_clen);
    size_t nb = t->natoms < CHUNK_ATOMS ? t->natoms : CHUNK_ATOMS;
    t->buf = malloc(sizeof(float) * 3 * (nb ? nb : 1));
    return t;
}

void ana_traj_close(AnaTraj **t)
{
    if (!t || !*t) return;
    nc_close((*t)->nc);
    free((*t)->buf);
    free(*t);
    *t = NULL;
}

int64_t ana_traj_natoms(const AnaTraj *t) { return (int64_t)t->natoms; }
size_t ana_traj_nframes(const AnaTraj *t) { return t->nframes; }

int ana_traj_types(AnaTraj *t, int *types)
{
    if (t->v_types < 0) return -1;
    return nc_get_var_int(t->nc, t->v_types, types) == NC_NOERR ? 0 : -1;
}

int ana_traj_read(AnaTraj *t, size_t f, double *x, double *time_ps, double lo[3], double len[3], const double lo_default[3],
                  const double len_default[3], char *err, size_t errlen)
{
    if (f >= t->nframes) {
        snprintf(err, errlen, "%s: frame %zu does not exist (%zu frames)", t->path, f, t->nframes);
        return -1;
    }
    for (size_t a0 = 0; a0 < t->natoms; a0 += CHUNK_ATOMS) {
        size_t n = t->natoms - a0 < CHUNK_ATOMS ? t->natoms - a0 : CHUNK_ATOMS;
        size_t start[3] = {f, a0, 0}, count[3] = {1, n, 3};
        int st = nc_get_vara_float(t->nc, t->v_coord, start, count, t->buf);
        if (st != NC_NOERR) {
            snprintf(err, errlen, "%s: frame %zu: reading coordinates: %s", t->path, f, nc_strerror(st));
            return -1;
        }
        for (size_t k = 0; k < 3 * n; k++) x[3 * a0 + k] = t->buf[k] * t->s_coord;
    }
    *time_ps = (double)f;
    if (t->v_time >= 0) {
        float tp;
        if (nc_get_var1_float(t->nc, t->v_time, &f, &tp) == NC_NOERR) *time_ps = tp * t->s_time;
    }
    size_t start[2] = {f, 0}, count[2] = {1, 3};
    for (int d = 0; d < 3; d++) {
        lo[d] = lo_default[d];
        len[d] = len_default[d];
    }
    double v[3];
    if (t->v_clen >= 0 && nc_get_vara_double(t->nc, t->v_clen, start, count, v) == NC_NOERR && v[0] > 0 && v[1] > 0 && v[2] > 0)
        for (int d = 0; d < 3; d++) len[d] = v[d] * t->s_clen;
    if (t->v_corig >= 0 && nc_get_vara_double(t->nc, t->v_corig, start, count, v) == NC_NOERR)
        for (int d = 0; d < 3; d++) lo[d] = v[d];
    return 0;
}
