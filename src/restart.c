/* restart.c - restart files and exact continuation.
 *
 * Format: a LAMMPS data file (write_data.c: every double written so that it reads back bit
 * for bit; Atoms with image flags; Velocities), so LAMMPS, MDAnalysis and read_data read it
 * too, plus the neckmd state as comment lines that every data-file reader skips:
 *   # neckmd-restart version 1
 *   # neckmd-restart step S          time_fs T    dt_fs DT
 *   # neckmd-restart integrator nve|nvt|langevin, t_target, t_damp, seed, eta, eta_dot
 *   # neckmd-restart types NAME...   (type names, also when Masses cannot be written)
 *   # neckmd-restart settings ...    (the deck's interaction settings, to warn on changes)
 *   # neckmd-restart forces 0|1      (1: "# F id fx fy fz" lines follow the last section)
 * The force field itself is NOT in the file: as with LAMMPS data files, the deck that reads
 * the restart repeats forcefield/pair_coeff, pair_cutoff, coulomb, kspace_modify, neighbor
 * and the output commands. Step, time, timestep, integrator style, its parameters and its
 * state come from the file; an "integrate" command with the same style and parameters keeps
 * that state, a different one starts afresh (and the continuation is then not exact).
 *
 * Why the continuation is bitwise exact (same rank count): positions, velocities, the box
 * and eta are doubles written with enough digits; the Langevin noise is a pure function of
 * (seed, atom id, step) (rng.c); and pair sums depend on the neighbour-list order, so on a
 * restart step the running job forces a full rebuild (migration, which wraps positions into
 * the box and sorts atoms by id, then ghosts and lists) before its force evaluation - exactly
 * what the continuing job does at its start (LAMMPS does the same). What cannot be rebuilt is
 * the Langevin force of the interrupted step (friction on the half-step velocity plus noise):
 * it enters the next half kick, so Langevin restarts carry the total forces. On another rank
 * count the sums run in another order and the runs agree to round-off.
 *
 * Atomicity: the file is written as FILE.tmp, fsync'ed and renamed over FILE, so a crash
 * leaves the previous restart intact. */
#include "restart.h"
#include "restraint.h"
#include "comm.h"
#include "error.h"
#include "gather.h"
#include "integrate.h"
#include "memory.h"
#include "pair.h"
#include "read_data.h"
#include "sim.h"
#include "write_data.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RESTART_VERSION 1
#define RESTART_TAG "# neckmd-restart "

struct Restart {
    int every;             /* steps between restart files; 0 = none */
    char path[512];        /* file name; '*' is replaced by the step */
    /* what read_restart brought */
    int loaded;            /* this job continues from a restart file */
    int64_t step;          /* its step */
    double (*f)[3];        /* Langevin: total forces of that step by id - 1 (every rank), until used */
    char settings[512];    /* the writing deck's settings */
    int checked;           /* settings compared (first run) */
    int nrestr;            /* restraint state lines (restraint.c): "NAME r0_ref t_ref d0 work" */
    char restr[8][256];
};

static const char *style_names[INT_COUNT] = {"nve", "nvt", "langevin"};

static struct Restart *get(Sim *sim)
{
    if (!sim->restart) sim->restart = calloc(1, sizeof(struct Restart));
    return sim->restart;
}

/* The deck settings a continuation must repeat, as one line (compared at the first run). */
static void settings_line(const Sim *sim, char *buf, size_t n)
{
    const Integrator *it = &sim->integ;
    char b[4][32];
    int k = snprintf(buf, n, "cutoff %s skin %s every %d coulomb %s", write_data_format_double(b[0], sim->pair.cutoff),
                     write_data_format_double(b[1], sim->pair.skin), sim->neigh.every, pair_coul_name(sim->pair.coul));
    if (sim->pair.coul == COUL_LONG && sim->kstyle)
        k += snprintf(buf + k, n - (size_t)k, " %s %s", sim->kstyle->name, write_data_format_double(b[0], sim->kparams.accuracy));
    if (sim->pair.coul == COUL_DSF) k += snprintf(buf + k, n - (size_t)k, " alpha %s", write_data_format_double(b[0], sim->pair.dsf_alpha));
    k += snprintf(buf + k, n - (size_t)k, " erfc %s dt %s integrate %s", sim->pair.erfc_poly ? "poly" : "exact",
                  write_data_format_double(b[0], it->dt), style_names[it->style]);
    if (it->style != INT_NVE)
        k += snprintf(buf + k, n - (size_t)k, " %s %s", write_data_format_double(b[0], it->t_target), write_data_format_double(b[1], it->t_damp));
    if (it->style == INT_LANGEVIN) snprintf(buf + k, n - (size_t)k, " %llu", (unsigned long long)it->seed);
}

void restart_configure(Sim *sim, char **arg, int narg, const char *where)
{
    struct Restart *r = get(sim);
    if (strcmp(arg[0], "off") == 0) {
        r->every = 0;
        return;
    }
    r->every = atoi(arg[0]);
    snprintf(r->path, sizeof r->path, "%s", arg[1]);
}

int restart_due(const Sim *sim)
{
    const struct Restart *r = sim->restart;
    return r && r->every > 0 && sim->step % r->every == 0;
}

/* ---- writing ---- */
typedef struct WriteCtx {
    int forces;
} WriteCtx;

static void write_header(Sim *sim, FILE *fp, void *vctx)
{
    if (!fp) return;
    const WriteCtx *c = vctx;
    const Integrator *it = &sim->integ;
    char b[4][32], set[512];
    fprintf(fp, RESTART_TAG "version %d (neckmd restart: a LAMMPS data file plus this state; read it with read_restart)\n", RESTART_VERSION);
    fprintf(fp, RESTART_TAG "step %lld\n", (long long)sim->step);
    fprintf(fp, RESTART_TAG "time_fs %s\n", write_data_format_double(b[0], sim->time_fs));
    fprintf(fp, RESTART_TAG "dt_fs %s\n", write_data_format_double(b[0], it->dt));
    fprintf(fp, RESTART_TAG "integrator %s\n", style_names[it->style]);
    fprintf(fp, RESTART_TAG "t_target %s\n", write_data_format_double(b[0], it->t_target));
    fprintf(fp, RESTART_TAG "t_damp %s\n", write_data_format_double(b[0], it->t_damp));
    fprintf(fp, RESTART_TAG "seed %llu\n", (unsigned long long)it->seed);
    fprintf(fp, RESTART_TAG "eta");
    for (int k = 0; k < NHC_LEN; k++) fprintf(fp, " %s", write_data_format_double(b[0], it->eta[k]));
    fprintf(fp, "\n" RESTART_TAG "eta_dot");
    for (int k = 0; k < NHC_LEN; k++) fprintf(fp, " %s", write_data_format_double(b[0], it->eta_dot[k]));
    fprintf(fp, "\n" RESTART_TAG "types");
    for (int t = 0; t < sim->types.ntypes; t++) fprintf(fp, " %s", sim->types.name[t]);
    settings_line(sim, set, sizeof set);
    fprintf(fp, "\n" RESTART_TAG "settings %s\n", set);
    fprintf(fp, RESTART_TAG "forces %d\n", c->forces);
    restraint_write_state(sim, fp, RESTART_TAG);
    fprintf(fp, RESTART_TAG "written_by %d ranks x %d threads\n", sim->nranks, sim->nthreads);
}

typedef struct ForceOut {
    FILE *fp;
} ForceOut;

static void pack_force(const Sim *sim, int i, void *out, void *ctx) { memcpy(out, sim->atoms.f[i], sizeof(double) * 3); }

static void write_forces(Sim *sim, int64_t gid0, int64_t n, const void *payloads, void *ctx)
{
    ForceOut *o = ctx;
    if (!o->fp) return;
    char b[3][32];
    for (int64_t k = 0; k < n; k++) {
        double f[3];
        memcpy(f, (const char *)payloads + sizeof f * (size_t)k, sizeof f);
        fprintf(o->fp, "# F %lld %s %s %s\n", (long long)(gid0 + k), write_data_format_double(b[0], f[0]),
                write_data_format_double(b[1], f[1]), write_data_format_double(b[2], f[2]));
    }
}

static void write_tail(Sim *sim, FILE *fp, void *vctx)
{
    const WriteCtx *c = vctx;
    if (!c->forces) return;
    if (fp) fprintf(fp, "\n# Langevin restart: total forces (kcal/mol/A) of this step, which enter the next half kick\n");
    ForceOut o = {fp};
    gather_by_id(sim, sizeof(double) * 3, 0, pack_force, write_forces, &o);
}

static void write_restart_file(Sim *sim, const char *pattern, const char *where, int forces)
{
    char path[600];
    const char *star = strchr(pattern, '*');
    if (star) snprintf(path, sizeof path, "%.*s%lld%s", (int)(star - pattern), pattern, (long long)sim->step, star + 1);
    else snprintf(path, sizeof path, "%s", pattern);
    WriteCtx c = {forces};
    WriteDataOptions opt = {"restart", write_header, write_tail, &c, 1};
    timer_start(&sim->timers, TIMER_OUTPUT);
    write_data_with(sim, path, where, &opt);
    timer_stop(&sim->timers, TIMER_OUTPUT);
}

void restart_write_if_due(Sim *sim)
{
    if (!restart_due(sim)) return;
    char where[64];
    snprintf(where, sizeof where, "restart at step %lld", (long long)sim->step);
    /* the Langevin force of this step cannot be rebuilt from the state: carry it */
    write_restart_file(sim, sim->restart->path, where, sim->integ.style == INT_LANGEVIN);
}

void restart_write_now(Sim *sim, const char *path, const char *where)
{
    /* between runs the next run recomputes every force (the Langevin one from the full-step
     * velocities), so the file needs none: reading it gives the same as running on */
    write_restart_file(sim, path, where, 0);
}

/* ---- reading ---- */
typedef struct State {
    int version;
    long long step;
    double time_fs, dt, t_target, t_damp;
    unsigned long long seed;
    int style;
    double eta[NHC_LEN], eta_dot[NHC_LEN];
    int forces;
    int ntypes;
    char names[SIM_MAXTYPES][SIM_NAMELEN];
    char settings[512];
    int nrestr;
    char restr[8][256];
    unsigned seen;         /* bit per required key */
} State;

enum { K_VERSION, K_STEP, K_TIME, K_DT, K_INTEG, K_TT, K_TD, K_SEED, K_ETA, K_ETADOT, K_FORCES, K_COUNT };
static const char *keys[K_COUNT] = {"version", "step", "time_fs", "dt_fs", "integrator", "t_target", "t_damp", "seed", "eta", "eta_dot", "forces"};

static int parse_doubles(const char *s, double *v, int n)
{
    char *end;
    for (int k = 0; k < n; k++) {
        errno = 0;
        v[k] = strtod(s, &end);
        if (end == s || errno) return 0;
        s = end;
    }
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
    return *s == '\0';
}

/* Rank 0: the state lines of the header; returns 0 or fills err. */
static int read_state(const char *path, State *st, char *err, size_t nerr)
{
    FILE *fp = fopen(path, "r");
    if (!fp) { snprintf(err, nerr, "cannot open '%s': %s", path, strerror(errno)); return -1; }
    char line[4096];
    int ln = 0;
    while (fgets(line, sizeof line, fp)) {
        ln++;
        if (ln == 1) continue;
        if (strncmp(line, RESTART_TAG, strlen(RESTART_TAG)) != 0) {
            const char *p = line;
            while (*p == ' ' || *p == '\t') p++;
            /* the header ends at the first section */
            if (strncmp(p, "Masses", 6) == 0 || strncmp(p, "Atoms", 5) == 0) break;
            continue;
        }
        char *key = line + strlen(RESTART_TAG), *val = key;
        while (*val && *val != ' ' && *val != '\n') val++;
        if (*val) *val++ = '\0';
        char *nl = strchr(val, '\n');
        if (nl) *nl = '\0';
        int k;
        for (k = 0; k < K_COUNT; k++)
            if (strcmp(key, keys[k]) == 0) break;
        double d[NHC_LEN];
        int ok = 1;
        switch (k) {
        case K_VERSION: st->version = atoi(val); break;
        case K_STEP: ok = sscanf(val, "%lld", &st->step) == 1 && st->step >= 0; break;
        case K_TIME: ok = parse_doubles(val, &st->time_fs, 1); break;
        case K_DT: ok = parse_doubles(val, &st->dt, 1) && st->dt > 0; break;
        case K_TT: ok = parse_doubles(val, &st->t_target, 1); break;
        case K_TD: ok = parse_doubles(val, &st->t_damp, 1); break;
        case K_SEED: ok = sscanf(val, "%llu", &st->seed) == 1; break;
        case K_FORCES: st->forces = atoi(val); break;
        case K_INTEG:
            st->style = -1;
            for (int s = 0; s < INT_COUNT; s++)
                if (strcmp(val, style_names[s]) == 0) st->style = s;
            ok = st->style >= 0;
            break;
        case K_ETA:
        case K_ETADOT:
            ok = parse_doubles(val, d, NHC_LEN);
            if (ok) memcpy(k == K_ETA ? st->eta : st->eta_dot, d, sizeof d);
            break;
        default:
            if (strcmp(key, "types") == 0) {
                st->ntypes = 0;
                for (char *t = strtok(val, " \t"); t && st->ntypes < SIM_MAXTYPES; t = strtok(NULL, " \t"))
                    snprintf(st->names[st->ntypes++], SIM_NAMELEN, "%s", t);
            } else if (strcmp(key, "restraint") == 0 && st->nrestr < 8) {
                snprintf(st->restr[st->nrestr++], sizeof st->restr[0], "%.250s", val);
            } else if (strcmp(key, "settings") == 0) {
                snprintf(st->settings, sizeof st->settings, "%.500s", val);
            }
            k = -1;
        }
        if (!ok) { snprintf(err, nerr, "%s:%d: bad restart state line '%.40s %.200s'", path, ln, key, val); fclose(fp); return -1; }
        if (k >= 0) st->seen |= 1u << k;
    }
    fclose(fp);
    if (!(st->seen & (1u << K_VERSION))) {
        snprintf(err, nerr, "'%s' is not a neckmd restart file (no '%sversion' line): use read_data for a plain data file", path, RESTART_TAG);
        return -1;
    }
    if (st->version != RESTART_VERSION) {
        snprintf(err, nerr, "'%s': restart format version %d, this neckmd reads version %d", path, st->version, RESTART_VERSION);
        return -1;
    }
    for (int k = 0; k < K_COUNT; k++)
        if (!(st->seen & (1u << k))) { snprintf(err, nerr, "'%s': the restart state has no '%s' line", path, keys[k]); return -1; }
    return 0;
}

/* Rank 0: the "# F id fx fy fz" lines into f[natoms][3]. */
static int read_forces(const char *path, int64_t natoms, double (*f)[3], char *err, size_t nerr)
{
    FILE *fp = fopen(path, "r");
    if (!fp) { snprintf(err, nerr, "cannot open '%s': %s", path, strerror(errno)); return -1; }
    char *seen = calloc((size_t)natoms + 1, 1);
    char line[4096];
    int ln = 0;
    int64_t nseen = 0;
    while (fgets(line, sizeof line, fp)) {
        ln++;
        if (line[0] != '#' || line[1] != ' ' || line[2] != 'F' || line[3] != ' ') continue;
        char *p = line + 4, *end;
        errno = 0;
        long long id = strtoll(p, &end, 10);
        double v[3];
        if (end == p || errno || id < 1 || id > natoms || seen[id] || !parse_doubles(end, v, 3)) {
            snprintf(err, nerr, "%s:%d: bad or repeated force line (expected '# F id fx fy fz', id 1..%lld)", path, ln, (long long)natoms);
            break;
        }
        seen[id] = 1;
        nseen++;
        memcpy(f[id - 1], v, sizeof v);
    }
    if (!err[0] && nseen != natoms) snprintf(err, nerr, "'%s' has forces for %lld of %lld atoms (a truncated restart file?)", path, (long long)nseen, (long long)natoms);
    free(seen);
    fclose(fp);
    return err[0] ? -1 : 0;
}

void read_restart(Sim *sim, const char *path, const char *where)
{
    if (sim->box_set) error_all(FLERR, "%s: read_restart: a system is already defined (read_restart replaces read_data; one per input)", where);
    State st;
    memset(&st, 0, sizeof st);
    char err[1400] = "";
    if (sim->rank == 0) read_state(path, &st, err, sizeof err);
    comm_bcast(sim->comm, err, sizeof err, 0);
    if (err[0]) error_all(FLERR, "%s: read_restart: %s", where, err);
    comm_bcast(sim->comm, &st, sizeof st, 0);
    read_data(sim, path, where);
    struct Restart *r = get(sim);
    if (st.forces) {
        r->f = mem_alloc(sizeof(double) * 3 * (size_t)sim->natoms, "restart forces");
        if (sim->rank == 0) read_forces(path, sim->natoms, r->f, err, sizeof err);
        comm_bcast(sim->comm, err, sizeof err, 0);
        if (err[0]) error_all(FLERR, "%s: read_restart: %s", where, err);
        comm_bcast(sim->comm, r->f, sizeof(double) * 3 * (size_t)sim->natoms, 0);
    }
    if (st.ntypes == sim->types.ntypes)
        for (int t = 0; t < st.ntypes; t++) snprintf(sim->types.name[t], SIM_NAMELEN, "%s", st.names[t]);
    sim->step = st.step;
    sim->time_fs = st.time_fs;
    Integrator *it = &sim->integ;
    it->dt = st.dt;
    it->style = (IntegratorStyle)st.style;
    it->t_target = st.t_target;
    it->t_damp = st.t_damp;
    it->seed = st.seed;
    memcpy(it->eta, st.eta, sizeof it->eta);
    memcpy(it->eta_dot, st.eta_dot, sizeof it->eta_dot);
    r->loaded = 1;
    r->step = st.step;
    r->checked = 0;
    snprintf(r->settings, sizeof r->settings, "%s", st.settings);
    r->nrestr = st.nrestr;
    memcpy(r->restr, st.restr, sizeof r->restr);
    if (sim->rank == 0) {
        printf("read_restart %s: %lld atoms, %d types (", path, (long long)sim->natoms, sim->types.ntypes);
        for (int t = 0; t < sim->types.ntypes; t++) printf("%s%s", t ? " " : "", sim->types.name[t]);
        printf("), step %lld, time %.10g fs, timestep %g fs, integrator %s%s%s; %d x %d x %d ranks\n", st.step, st.time_fs, st.dt,
               style_names[st.style], st.style == INT_NVT ? " (chain state restored)" : "",
               st.forces ? " (forces of the interrupted step restored)" : "", sim->dims[0], sim->dims[1], sim->dims[2]);
        printf("read_restart: the force field is not in the file: the deck repeats forcefield/pair_coeff, pair_cutoff, coulomb, neighbor (as after read_data)\n");
    }
}

int restart_run_begin(Sim *sim)
{
    struct Restart *r = sim->restart;
    if (!r || !r->loaded) return 0;
    if (!r->checked) {
        r->checked = 1;
        char now[512];
        settings_line(sim, now, sizeof now);
        if (r->settings[0] && strcmp(now, r->settings) != 0)
            error_warn("the settings differ from those of the run that wrote the restart, so this is a new run from its state, not an exact continuation:\n  restart: %s\n  now:     %s", r->settings, now);
    }
    if (!r->f) return 0;
    int used = 0;
    if (sim->integ.style == INT_LANGEVIN && sim->step == r->step) {
        Atoms *a = &sim->atoms;
        for (int i = 0; i < a->nlocal; i++) memcpy(a->f[i], r->f[a->gid[i] - 1], sizeof a->f[i]);
        used = 1;
    }
    mem_free(r->f);
    r->f = NULL;
    return used;
}

int restart_continues(const Sim *sim, int64_t *step)
{
    const struct Restart *r = sim->restart;
    if (!r || !r->loaded) return 0;
    *step = r->step;
    return 1;
}

const char *restart_restraint_state(const Sim *sim, const char *name)
{
    const struct Restart *r = sim->restart;
    if (!r || !r->loaded || sim->step != r->step) return NULL;
    size_t n = strlen(name);
    for (int k = 0; k < r->nrestr; k++)
        if (strncmp(r->restr[k], name, n) == 0 && r->restr[k][n] == ' ') return r->restr[k] + n + 1;
    return NULL;
}

void restart_free(Sim *sim)
{
    if (!sim->restart) return;
    mem_free(sim->restart->f);
    free(sim->restart);
    sim->restart = NULL;
}
