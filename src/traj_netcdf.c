/* traj_netcdf.c - trajectories in the AMBER netCDF convention.
 *
 * Convention: "AMBER NetCDF Trajectory/Restart ConventionVersion 1.0"
 * (https://ambermd.org/netcdf/nctraj.xhtml), written as cpptraj writes it and checked
 * against what readers require (shared/docs/reference/ecosystem.md section 1):
 *   - 64-bit-offset (CDF-2) file: MDAnalysis reads only CDF-2 (not CDF-1/CDF-5/netCDF-4);
 *   - global attributes Conventions "AMBER" (exactly: cpptraj and OVITO compare the whole
 *     string), ConventionVersion "1.0", program, programVersion, title, application;
 *   - dimensions frame (unlimited), spatial 3, atom N, cell_spatial 3, cell_angular 3, label 5;
 *   - char labels spatial "xyz", cell_spatial "abc", cell_angular "alpha","beta ","gamma";
 *   - float time(frame) "picosecond"; float coordinates(frame,atom,spatial) "angstrom";
 *     double cell_lengths "angstrom" and cell_angles "degree" (singular: MDAnalysis refuses
 *     "degrees"); optional float velocities "angstrom/picosecond" stored as v/20.455 with
 *     scale_factor 20.455 (the AMBER time unit: what cpptraj assumes and MDAnalysis applies;
 *     v in A/fs is multiplied by 1000 first), optional float forces
 *     "kilocalorie/mole/angstrom";
 *   - extras that readers ignore (OVITO imports them): double step(frame) - the MD step of
 *     each frame, exact to 2^53, used to append after a restart without duplicates -
 *     double cell_origin(frame,cell_spatial) (the box's lower corner, as LAMMPS writes it),
 *     and, once per file, int atom_types(atom) (1-based; type names in its attribute
 *     "type_names"), int mol_id(atom), float charges(atom). No scale_factor on any extra
 *     (MDAnalysis refuses it there).
 * Atoms are in global id order (1..N) whatever the rank count: the order of the data file
 * every reader uses as topology.
 *
 * Parallel: rank 0 writes with the serial netCDF library; per-atom data reach it through
 * gather_by_id in chunks of at most `chunk` atoms (default 2^20), so rank 0 holds at most
 * chunk x (2 x payload + 8) bytes (payload 12, 24 or 36 B: 48-80 MB at the default), not the
 * whole system. Each chunk is one MPI gather; the time is counted in the "output" timer.
 * (Parallel writes were rejected: Debian's netCDF-MPI writes only netCDF-4, which MDAnalysis
 * cannot read, and PnetCDF would be another dependency - ecosystem.md section 2.)
 *
 * Crash safety: nc_sync after every frame writes the record count to the header, and the
 * per-atom data of a frame are written before its time and step; a job killed at any moment
 * leaves a file whose complete frames all read back (the record count on disk only counts
 * synced frames).
 *
 * Restarts: when the job continues from a restart file (read_restart) and the trajectory
 * file exists, the file is reopened and logically truncated after the last frame whose step
 * is <= the restart's step (the record count in the CDF-2 header, a big-endian 32-bit word at
 * byte 4, is set to that frame count before the library opens the file); frames the crashed
 * job wrote after the restart are then overwritten, never duplicated. Bytes beyond the record
 * count are ignored by every reader. Only the first trajectory file a job opens is appended to
 * that way; otherwise (no restart, or a file opened again later) an existing file is replaced. */
#include "traj_netcdf.h"
#include "comm.h"
#include "config.h"
#include "error.h"
#include "gather.h"
#include "memory.h"
#include "restart.h"
#include "sim.h"
#include <fcntl.h>
#include <math.h>
#include <netcdf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define AMBER_VEL_SCALE 20.455   /* A/ps per AMBER velocity unit (A per 1/20.455 ps) */

struct Traj {
    /* settings */
    int every;             /* steps between frames; 0 = off */
    char path[512];
    int vel, frc, unwrapped;
    int64_t chunk;         /* atoms per gather chunk */
    char where[600];       /* the trajectory command, for messages */
    /* the open file (rank 0 owns the netCDF handle; the other fields agree on all ranks) */
    int open;
    int ncid;
    int v_time, v_step, v_coord, v_vel, v_frc, v_clen, v_cang, v_corig;
    size_t nframes;        /* frames in the file */
    int64_t last_step;     /* step of the last frame, -1 if none */
    int appended_once;     /* a file was opened in this job: only the first may append after a restart */
    float *plane;          /* rank 0: one quantity of one chunk, 3 floats per atom */
    size_t plane_cap;
    char err[1024];        /* rank 0: first netCDF error of the current operation */
};

typedef struct Traj Traj;

static Traj *get(Sim *sim)
{
    if (!sim->traj) {
        sim->traj = calloc(1, sizeof(Traj));
        sim->traj->ncid = -1;
        sim->traj->last_step = -1;
    }
    return sim->traj;
}

/* Record the first netCDF failure (rank 0). Returns 1 if status is an error. */
static int nc_fail(Traj *t, int status, const char *what)
{
    if (status == NC_NOERR) return 0;
    if (!t->err[0]) snprintf(t->err, sizeof t->err, "trajectory '%s': %s: %s", t->path, what, nc_strerror(status));
    return 1;
}

/* Every rank learns rank 0's error; a failure stops the job. */
static void sync_error(Sim *sim, Traj *t)
{
    int bad = sim->rank == 0 && t->err[0];
    comm_bcast(sim->comm, &bad, sizeof bad, 0);
    if (!bad) return;
    comm_bcast(sim->comm, t->err, sizeof t->err, 0);
    error_all(FLERR, "%s: %s", t->where, t->err);
}

void traj_close(Sim *sim)
{
    Traj *t = sim->traj;
    if (!t) return;
    if (t->open && sim->rank == 0 && t->ncid >= 0) nc_close(t->ncid);
    t->open = 0;
    t->ncid = -1;
    t->nframes = 0;
    t->last_step = -1;
    mem_free(t->plane);
    t->plane = NULL;
    t->plane_cap = 0;
}

void traj_free(Sim *sim)
{
    traj_close(sim);
    free(sim->traj);
    sim->traj = NULL;
}

void traj_configure(Sim *sim, char **arg, int narg, const char *where)
{
    Traj *t = get(sim);
    if (strcmp(arg[0], "off") == 0) {
        traj_close(sim);
        t->every = 0;
        return;
    }
    int vel = 0, frc = 0, unw = 0;
    int64_t chunk = GATHER_CHUNK_DEFAULT;
    for (int k = 2; k < narg; k++) {
        if (strcmp(arg[k], "velocities") == 0) vel = 1;
        else if (strcmp(arg[k], "forces") == 0) frc = 1;
        else if (strcmp(arg[k], "unwrapped") == 0) unw = 1;
        else if (strcmp(arg[k], "chunk") == 0 && k + 1 < narg) chunk = atoll(arg[++k]);
    }
    if (t->open && strcmp(t->path, arg[1]) == 0 && (vel != t->vel || frc != t->frc || unw != t->unwrapped))
        error_all(FLERR, "%s: trajectory: '%s' is open with other contents (velocities/forces/unwrapped are fixed when a file is created): give another file name", where, arg[1]);
    if (t->open && strcmp(t->path, arg[1]) != 0) traj_close(sim);
    t->every = atoi(arg[0]);
    snprintf(t->path, sizeof t->path, "%s", arg[1]);
    t->vel = vel;
    t->frc = frc;
    t->unwrapped = unw;
    t->chunk = chunk;
    snprintf(t->where, sizeof t->where, "%s", where);
}

/* ---- per-atom data through gather_by_id ---- */
typedef struct AtomInfo {
    int type, mol;
    float q;
} AtomInfo;

typedef struct FrameCtx {
    Traj *t;
    size_t frame;
    int nq;                /* quantities per atom: 1 + vel + frc */
    int varid[3];
} FrameCtx;

static void pack_info(const Sim *sim, int i, void *out, void *ctx)
{
    AtomInfo r = {sim->atoms.type[i] + 1, sim->atoms.mol[i], (float)sim->atoms.q[i]};
    memcpy(out, &r, sizeof r);
}

static void write_info(Sim *sim, int64_t gid0, int64_t n, const void *payloads, void *vctx)
{
    Traj *t = vctx;
    if (t->err[0]) return;
    int vt, vm, vq;
    if (nc_fail(t, nc_inq_varid(t->ncid, "atom_types", &vt), "atom_types") || nc_fail(t, nc_inq_varid(t->ncid, "mol_id", &vm), "mol_id") ||
        nc_fail(t, nc_inq_varid(t->ncid, "charges", &vq), "charges"))
        return;
    int *ti = malloc(sizeof(int) * 2 * (size_t)n + 1);
    float *qf = malloc(sizeof(float) * (size_t)n + 1);
    for (int64_t k = 0; k < n; k++) {
        AtomInfo r;
        memcpy(&r, (const char *)payloads + sizeof r * (size_t)k, sizeof r);
        ti[k] = r.type;
        ti[n + k] = r.mol;
        qf[k] = r.q;
    }
    size_t start = (size_t)(gid0 - 1), count = (size_t)n;
    nc_fail(t, nc_put_vara_int(t->ncid, vt, &start, &count, ti), "writing atom_types");
    nc_fail(t, nc_put_vara_int(t->ncid, vm, &start, &count, ti + n), "writing mol_id");
    nc_fail(t, nc_put_vara_float(t->ncid, vq, &start, &count, qf), "writing charges");
    free(ti);
    free(qf);
}

static void pack_frame(const Sim *sim, int i, void *out, void *vctx)
{
    const FrameCtx *c = vctx;
    const Atoms *a = &sim->atoms;
    float p[9];
    for (int d = 0; d < 3; d++) {
        double x = a->x[i][d];
        if (c->t->unwrapped) {
            x += a->image[i][d] * sim->len[d];
        } else if (x < sim->lo[d] || x >= sim->hi[d]) {
            /* between neighbour builds an atom may have left the box */
            x -= floor((x - sim->lo[d]) / sim->len[d]) * sim->len[d];
            if (x >= sim->hi[d]) x -= sim->len[d];
        }
        p[d] = (float)x;
    }
    int k = 3;
    if (c->t->vel)
        for (int d = 0; d < 3; d++) p[k++] = (float)(a->v[i][d] * 1000.0 / AMBER_VEL_SCALE);
    if (c->t->frc)
        for (int d = 0; d < 3; d++) p[k++] = (float)a->f[i][d];
    memcpy(out, p, sizeof(float) * (size_t)k);
}

static void write_frame_chunk(Sim *sim, int64_t gid0, int64_t n, const void *payloads, void *vctx)
{
    FrameCtx *c = vctx;
    Traj *t = c->t;
    if (t->err[0]) return;
    if ((size_t)n * 3 > t->plane_cap) {
        mem_free(t->plane);
        t->plane_cap = (size_t)n * 3;
        t->plane = mem_alloc(sizeof(float) * t->plane_cap, "trajectory chunk");
    }
    const float *p = payloads;
    const size_t stride = 3 * (size_t)c->nq;
    for (int q = 0; q < c->nq; q++) {
        for (int64_t k = 0; k < n; k++)
            for (int d = 0; d < 3; d++) t->plane[3 * k + d] = p[stride * (size_t)k + 3 * (size_t)q + d];
        size_t start[3] = {c->frame, (size_t)(gid0 - 1), 0}, count[3] = {1, (size_t)n, 3};
        if (nc_fail(t, nc_put_vara_float(t->ncid, c->varid[q], start, count, t->plane), "writing a frame")) return;
    }
}

/* ---- creating and reopening ---- */
static int put_att_text(Traj *t, int var, const char *name, const char *text)
{
    return nc_fail(t, nc_put_att_text(t->ncid, var, name, strlen(text), text), name);
}

/* Rank 0: a new file with every dimension, variable and attribute. */
static void create_file(Sim *sim, Traj *t)
{
    int nc, old;
    if (nc_fail(t, nc_create(t->path, NC_CLOBBER | NC_64BIT_OFFSET, &nc), "cannot create")) return;
    t->ncid = nc;
    nc_set_fill(nc, NC_NOFILL, &old);
    int d_frame, d_spatial, d_atom, d_cs, d_ca, d_label;
    if (nc_fail(t, nc_def_dim(nc, "frame", NC_UNLIMITED, &d_frame), "frame dimension") ||
        nc_fail(t, nc_def_dim(nc, "spatial", 3, &d_spatial), "spatial dimension") ||
        nc_fail(t, nc_def_dim(nc, "atom", (size_t)sim->natoms, &d_atom), "atom dimension") ||
        nc_fail(t, nc_def_dim(nc, "cell_spatial", 3, &d_cs), "cell_spatial dimension") ||
        nc_fail(t, nc_def_dim(nc, "cell_angular", 3, &d_ca), "cell_angular dimension") ||
        nc_fail(t, nc_def_dim(nc, "label", 5, &d_label), "label dimension"))
        return;
    int v_spatial, v_cs, v_ca, v_types, v_mol, v_q;
    int dims_fas[3] = {d_frame, d_atom, d_spatial}, dims_cl[2] = {d_frame, d_cs}, dims_ca[2] = {d_frame, d_ca}, dims_lab[2] = {d_ca, d_label};
    if (nc_fail(t, nc_def_var(nc, "spatial", NC_CHAR, 1, &d_spatial, &v_spatial), "spatial") ||
        nc_fail(t, nc_def_var(nc, "cell_spatial", NC_CHAR, 1, &d_cs, &v_cs), "cell_spatial") ||
        nc_fail(t, nc_def_var(nc, "cell_angular", NC_CHAR, 2, dims_lab, &v_ca), "cell_angular") ||
        nc_fail(t, nc_def_var(nc, "time", NC_FLOAT, 1, &d_frame, &t->v_time), "time") ||
        nc_fail(t, nc_def_var(nc, "step", NC_DOUBLE, 1, &d_frame, &t->v_step), "step") ||
        nc_fail(t, nc_def_var(nc, "coordinates", NC_FLOAT, 3, dims_fas, &t->v_coord), "coordinates"))
        return;
    if (put_att_text(t, t->v_time, "units", "picosecond") || put_att_text(t, t->v_coord, "units", "angstrom") ||
        put_att_text(t, t->v_step, "long_name", "MD step of the frame (time = step x timestep)"))
        return;
    if (t->vel) {
        double s = AMBER_VEL_SCALE;
        if (nc_fail(t, nc_def_var(nc, "velocities", NC_FLOAT, 3, dims_fas, &t->v_vel), "velocities") ||
            put_att_text(t, t->v_vel, "units", "angstrom/picosecond") ||
            nc_fail(t, nc_put_att_double(nc, t->v_vel, "scale_factor", NC_DOUBLE, 1, &s), "scale_factor"))
            return;
    }
    if (t->frc) {
        if (nc_fail(t, nc_def_var(nc, "forces", NC_FLOAT, 3, dims_fas, &t->v_frc), "forces") ||
            put_att_text(t, t->v_frc, "units", "kilocalorie/mole/angstrom"))
            return;
    }
    if (nc_fail(t, nc_def_var(nc, "cell_lengths", NC_DOUBLE, 2, dims_cl, &t->v_clen), "cell_lengths") ||
        nc_fail(t, nc_def_var(nc, "cell_angles", NC_DOUBLE, 2, dims_ca, &t->v_cang), "cell_angles") ||
        nc_fail(t, nc_def_var(nc, "cell_origin", NC_DOUBLE, 2, dims_cl, &t->v_corig), "cell_origin") ||
        put_att_text(t, t->v_clen, "units", "angstrom") || put_att_text(t, t->v_cang, "units", "degree") ||
        put_att_text(t, t->v_corig, "units", "angstrom"))
        return;
    if (nc_fail(t, nc_def_var(nc, "atom_types", NC_INT, 1, &d_atom, &v_types), "atom_types") ||
        nc_fail(t, nc_def_var(nc, "mol_id", NC_INT, 1, &d_atom, &v_mol), "mol_id") ||
        nc_fail(t, nc_def_var(nc, "charges", NC_FLOAT, 1, &d_atom, &v_q), "charges") ||
        put_att_text(t, v_q, "units", "electron"))
        return;
    char names[SIM_MAXTYPES * (SIM_NAMELEN + 1) + 1] = "";
    for (int k = 0, len = 0; k < sim->types.ntypes; k++)
        len += snprintf(names + len, sizeof names - (size_t)len, "%s%s", k ? " " : "", sim->types.name[k]);
    if (put_att_text(t, v_types, "type_names", names)) return;
    char title[81];
    snprintf(title, sizeof title, "neckmd trajectory: %.60s", sim->input_file);
    if (put_att_text(t, NC_GLOBAL, "title", title) || put_att_text(t, NC_GLOBAL, "application", "neckmd") ||
        put_att_text(t, NC_GLOBAL, "program", "neckmd") || put_att_text(t, NC_GLOBAL, "programVersion", PACKAGE_VERSION) ||
        put_att_text(t, NC_GLOBAL, "Conventions", "AMBER") || put_att_text(t, NC_GLOBAL, "ConventionVersion", "1.0") ||
        put_att_text(t, NC_GLOBAL, "neckmd_positions", t->unwrapped ? "unwrapped (x + image flags x box length)" : "wrapped into the box"))
        return;
    if (nc_fail(t, nc_enddef(nc), "enddef")) return;
    nc_fail(t, nc_put_var_text(nc, v_spatial, "xyz"), "spatial labels");
    nc_fail(t, nc_put_var_text(nc, v_cs, "abc"), "cell_spatial labels");
    nc_fail(t, nc_put_var_text(nc, v_ca, "alphabeta gamma"), "cell_angular labels");
}

/* Rank 0: open an existing file of ours for appending after the last frame with step <=
 * keep_step. Sets t->nframes, t->last_step; returns the number of frames dropped. */
static size_t reopen_file(Sim *sim, Traj *t, int64_t keep_step)
{
    int nc, fmt, dim, var;
    size_t natom = 0, nrec = 0;
    if (nc_fail(t, nc_open(t->path, NC_NOWRITE, &nc), "cannot open for appending")) return 0;
    const char *why = NULL;
    nc_inq_format(nc, &fmt);
    if (fmt != NC_FORMAT_64BIT_OFFSET) why = "it is not a 64-bit-offset (CDF-2) netCDF file";
    else if (nc_inq_dimid(nc, "atom", &dim) || nc_inq_dimlen(nc, dim, &natom) || natom != (size_t)sim->natoms) why = "its atom count differs from the system's";
    else if (nc_inq_dimid(nc, "frame", &dim) || nc_inq_dimlen(nc, dim, &nrec)) why = "it has no frame dimension";
    else if (nc_inq_varid(nc, "step", &var) || nc_inq_varid(nc, "coordinates", &var) || nc_inq_varid(nc, "time", &var)) why = "it has no step/time/coordinates variables (not written by neckmd)";
    else if ((nc_inq_varid(nc, "velocities", &var) == NC_NOERR) != t->vel || (nc_inq_varid(nc, "forces", &var) == NC_NOERR) != t->frc)
        why = "its velocities/forces do not match the trajectory command";
    char pos[128] = "";
    size_t plen = 0;
    if (!why && nc_inq_attlen(nc, NC_GLOBAL, "neckmd_positions", &plen) == NC_NOERR && plen < sizeof pos &&
        nc_get_att_text(nc, NC_GLOBAL, "neckmd_positions", pos) == NC_NOERR && (strncmp(pos, "unwrapped", 9) == 0) != t->unwrapped)
        why = t->unwrapped ? "it holds wrapped coordinates and the command asks for unwrapped ones" : "it holds unwrapped coordinates and the command asks for wrapped ones";
    size_t keep = 0;
    if (!why && nrec > 0) {
        double *steps = malloc(sizeof(double) * nrec);
        nc_inq_varid(nc, "step", &var);
        if (nc_get_var_double(nc, var, steps) != NC_NOERR) why = "its step variable cannot be read";
        else
            while (keep < nrec && steps[keep] <= (double)keep_step) keep++;
        t->last_step = keep > 0 ? (int64_t)steps[keep - 1] : -1;
        free(steps);
    }
    nc_close(nc);
    if (why) {
        snprintf(t->err, sizeof t->err, "cannot append to '%s': %s; remove it or give another file name", t->path, why);
        return 0;
    }
    if (keep < nrec) {
        /* logical truncation: the record count is the big-endian 32-bit word at byte 4 */
        int fd = open(t->path, O_RDWR);
        unsigned char h[8];
        if (fd < 0 || pread(fd, h, 8, 0) != 8 || memcmp(h, "CDF\002", 4) != 0) {
            snprintf(t->err, sizeof t->err, "cannot truncate '%s' to %zu frames", t->path, keep);
        } else {
            unsigned char w[4] = {(unsigned char)(keep >> 24), (unsigned char)(keep >> 16), (unsigned char)(keep >> 8), (unsigned char)keep};
            if (pwrite(fd, w, 4, 4) != 4 || fsync(fd) != 0) snprintf(t->err, sizeof t->err, "cannot truncate '%s' to %zu frames", t->path, keep);
        }
        if (fd >= 0) close(fd);
        if (t->err[0]) return 0;
    }
    if (nc_fail(t, nc_open(t->path, NC_WRITE, &nc), "cannot reopen for appending")) return 0;
    t->ncid = nc;
    int old;
    nc_set_fill(nc, NC_NOFILL, &old);
    t->v_vel = t->v_frc = -1;
    if (nc_fail(t, nc_inq_varid(nc, "time", &t->v_time), "time") || nc_fail(t, nc_inq_varid(nc, "step", &t->v_step), "step") ||
        nc_fail(t, nc_inq_varid(nc, "coordinates", &t->v_coord), "coordinates") ||
        nc_fail(t, nc_inq_varid(nc, "cell_lengths", &t->v_clen), "cell_lengths") ||
        nc_fail(t, nc_inq_varid(nc, "cell_angles", &t->v_cang), "cell_angles") ||
        nc_fail(t, nc_inq_varid(nc, "cell_origin", &t->v_corig), "cell_origin") ||
        (t->vel && nc_fail(t, nc_inq_varid(nc, "velocities", &t->v_vel), "velocities")) ||
        (t->frc && nc_fail(t, nc_inq_varid(nc, "forces", &t->v_frc), "forces")))
        return 0;
    t->nframes = keep;
    return nrec - keep;
}

static void open_file(Sim *sim, Traj *t)
{
    if ((uint64_t)sim->natoms * 12u >= 4000000000u || sim->natoms >= 2147483647)
        error_all(FLERR, "%s: trajectory: %lld atoms exceed the 64-bit-offset netCDF limit (a frame of one variable must stay below 4 GiB: < 3.3e8 atoms)", t->where, (long long)sim->natoms);
    int64_t rstep = 0;
    int append = 0;
    struct stat st;
    if (sim->rank == 0 && !t->appended_once && restart_continues(sim, &rstep) && stat(t->path, &st) == 0) append = 1;
    comm_bcast(sim->comm, &append, sizeof append, 0);
    t->appended_once = 1;
    t->err[0] = '\0';
    t->nframes = 0;
    t->last_step = -1;
    size_t dropped = 0;
    if (append) {
        if (sim->rank == 0) dropped = reopen_file(sim, t, rstep);
        sync_error(sim, t);
    } else {
        if (sim->rank == 0) create_file(sim, t);
        sync_error(sim, t);
        gather_by_id(sim, sizeof(AtomInfo), t->chunk, pack_info, write_info, t);
        if (sim->rank == 0 && !t->err[0]) nc_fail(t, nc_sync(t->ncid), "sync");
        sync_error(sim, t);
    }
    uint64_t state[2] = {t->nframes, (uint64_t)t->last_step};
    comm_bcast(sim->comm, state, sizeof state, 0);
    t->nframes = state[0];
    t->last_step = (int64_t)state[1];
    t->open = 1;
    if (sim->rank == 0) {
        printf("trajectory %s: every %d steps, coordinates (%s)%s%s, AMBER netCDF (CDF-2)", t->path, t->every,
               t->unwrapped ? "unwrapped" : "wrapped", t->vel ? ", velocities" : "", t->frc ? ", forces" : "");
        if (append)
            printf("; continuing the restart at step %lld: %zu frames kept (last step %lld), %zu later frames dropped\n", (long long)rstep,
                   t->nframes, (long long)t->last_step, dropped);
        else
            printf("; gathered to rank 0 in chunks of %lld atoms\n", (long long)(t->chunk < sim->natoms ? t->chunk : sim->natoms));
        fflush(stdout);
    }
}

static void write_frame(Sim *sim, Traj *t)
{
    FrameCtx c;
    memset(&c, 0, sizeof c);
    c.t = t;
    c.frame = t->nframes;
    c.nq = 0;
    c.varid[c.nq++] = t->v_coord;
    if (t->vel) c.varid[c.nq++] = t->v_vel;
    if (t->frc) c.varid[c.nq++] = t->v_frc;
    t->err[0] = '\0';
    gather_by_id(sim, sizeof(float) * 3 * (size_t)c.nq, t->chunk, pack_frame, write_frame_chunk, &c);
    if (sim->rank == 0 && !t->err[0]) {
        /* the frame's time and step last, then the record count reaches the disk */
        size_t f = c.frame, start[2] = {f, 0}, count[2] = {1, 3};
        float tp = (float)(sim->time_fs * 1e-3);
        double step = (double)sim->step, ang[3] = {90.0, 90.0, 90.0};
        if (!nc_fail(t, nc_put_vara_double(t->ncid, t->v_clen, start, count, sim->len), "cell_lengths") &&
            !nc_fail(t, nc_put_vara_double(t->ncid, t->v_cang, start, count, ang), "cell_angles") &&
            !nc_fail(t, nc_put_vara_double(t->ncid, t->v_corig, start, count, sim->lo), "cell_origin") &&
            !nc_fail(t, nc_put_var1_float(t->ncid, t->v_time, &f, &tp), "time") &&
            !nc_fail(t, nc_put_var1_double(t->ncid, t->v_step, &f, &step), "step"))
            nc_fail(t, nc_sync(t->ncid), "sync");
    }
    sync_error(sim, t);
    t->nframes++;
    t->last_step = sim->step;
}

void traj_write_if_due(Sim *sim)
{
    Traj *t = sim->traj;
    if (!t || t->every <= 0 || sim->step % t->every != 0) return;
    if (t->open && t->last_step >= sim->step) return;
    timer_start(&sim->timers, TIMER_OUTPUT);
    if (!t->open) open_file(sim, t);
    if (t->last_step < sim->step) write_frame(sim, t);
    timer_stop(&sim->timers, TIMER_OUTPUT);
}
