/* restraint.c - harmonic restraints on the distance between the centres of mass of two groups.
 *
 * For groups G1, G2 with centres of mass c1, c2 (unwrapped positions x + image L, masses m):
 *     D = c2 - c1 (minimum image; only the components in `dims`),  d = |D|,
 *     E = K/2 (d - d0(t))^2,   d0(t) = R0 + V (t - t_ref)
 * K in kcal/mol/A^2, d and d0 in A, V in A/fs, t in fs. The force on atom i of G2 is
 *     F_i = -K (d - d0) (m_i / M2) D/d,   and on atom i of G1 +K (d - d0) (m_i / M1) D/d,
 * so each group feels the restraint at its centre of mass without any torque, and the forces
 * sum to zero. Virial: sum_i x_i (x) F_i = D (x) F2 with F2 = -K (d - d0) D/d.
 * V = 0: an umbrella window at d0 = R0. V != 0: steered approach (V < 0) or separation.
 *
 * Work of the moving target (the non-equilibrium work of Jarzynski's equality): when the
 * target moves from d0' to d0 at fixed positions (between two force evaluations) the work
 * increment is E(x, d0) - E(x, d0') = K/2 [(d - d0)^2 - (d - d0')^2], so in NVE
 * etotal(t) - etotal(0) = W(t) up to the integration error (tests/regress/restraint.sh), and
 * W = integral of -K (d - d0) dd0 as the time step goes to 0.
 *
 * The energy is part of the potential energy (thermo column erestr), so minimisation,
 * NVE conservation and the pressure see it. The CSV (rank 0, every N steps of a run, and at
 * its start) has step, time, target, distance, force along D on G2, energy, work and both
 * centres; a job continuing from a restart keeps the rows up to the restart's step and
 * appends (no duplicates), and takes the target, its reference and the work from the file.
 *
 * Alternatives rejected: a restraint on the gap between facing atomic planes (what the
 * analysis reports) is not a smooth function of the positions; the centre-of-mass distance
 * is, and gap = d - (the NCs' half widths) for rigid, aligned NCs. */
#include "restraint.h"
#include "comm.h"
#include "error.h"
#include "group.h"
#include "restart.h"
#include "sim.h"
#include "write_data.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RESTRAINT_MAX 8

typedef struct Restraint {
    char name[SIM_NAMELEN], gname[2][SIM_NAMELEN];
    int gbit[2];
    double k;          /* kcal/mol/A^2 */
    double r0_ref;     /* A: target at t_ref */
    double t_ref;      /* fs */
    double rate;       /* A/fs */
    int dims[3];       /* 1: component counts in the distance */
    char file[512];
    int every;         /* steps between CSV rows (0: no file) */
    FILE *fp;          /* rank 0 */
    int64_t last_row;  /* step of the last row written (-1: none) */
    /* state */
    int have_d0;
    double d0, work;   /* A, kcal/mol */
    double d, e, fpar; /* A, kcal/mol, kcal/mol/A (force along D on G2) */
    double c[2][3];    /* A: centres of mass (unwrapped) */
    double mass[2];    /* amu: group masses */
} Restraint;

typedef struct Restraints {
    int n;
    Restraint r[RESTRAINT_MAX];
} Restraints;

static int isnum(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    return end != s && *end == '\0' && errno == 0 && isfinite(v);
}

static int parse_dims(const char *s, int dims[3])
{
    dims[0] = dims[1] = dims[2] = 0;
    if (!s[0] || strlen(s) > 3) return 0;
    for (const char *p = s; *p; p++) {
        if (*p < 'x' || *p > 'z' || dims[*p - 'x']) return 0;
        dims[*p - 'x'] = 1;
    }
    return 1;
}

const char *restraint_check_args(char **a, int n)
{
    static const char *why = "NAME G1 G2 K(kcal/mol/A^2, > 0) R0(A, >= 0)|current [rate V(A/fs)] [dims xyz|x|y|z|xy|xz|yz] [file FILE.csv] [every N(steps, >= 1)] | NAME off";
    if (n == 2 && strcmp(a[1], "off") == 0) return NULL;
    if (n < 5 || !isnum(a[3]) || strtod(a[3], NULL) <= 0) return why;
    if (strcmp(a[4], "current") != 0 && (!isnum(a[4]) || strtod(a[4], NULL) < 0)) return why;
    if (strcmp(a[1], a[2]) == 0) return "two different groups G1 G2";
    int dims[3];
    for (int i = 5; i < n; i += 2) {
        if (i + 1 >= n) return why;
        if (strcmp(a[i], "rate") == 0 && isnum(a[i + 1])) continue;
        if (strcmp(a[i], "dims") == 0 && parse_dims(a[i + 1], dims)) continue;
        if (strcmp(a[i], "file") == 0) continue;
        if (strcmp(a[i], "every") == 0 && isnum(a[i + 1]) && atol(a[i + 1]) >= 1) continue;
        return why;
    }
    return NULL;
}

static Restraints *get(Sim *sim)
{
    if (!sim->restr) sim->restr = calloc(1, sizeof(Restraints));
    return sim->restr;
}

int restraint_count(const Sim *sim) { return sim->restr ? sim->restr->n : 0; }

double restraint_work(const Sim *sim)
{
    double w = 0.0;
    for (int k = 0; k < restraint_count(sim); k++) w += sim->restr->r[k].work;
    return w;
}

/* Centres of mass and distances of all restraints: one reduction. */
static void centres(Sim *sim)
{
    Restraints *rs = sim->restr;
    double s[RESTRAINT_MAX * 8];
    memset(s, 0, sizeof s);
    const Atoms *a = &sim->atoms;
    for (int k = 0; k < rs->n; k++) {
        const Restraint *r = &rs->r[k];
        double *sk = s + 8 * k;
        for (int i = 0; i < a->nlocal; i++) {
            int m = a->gmask[i];
            int g = (m & r->gbit[0]) ? 0 : ((m & r->gbit[1]) ? 1 : -1);
            if (g < 0) continue;
            double mass = sim->types.mass[a->type[i]];
            for (int d = 0; d < 3; d++) sk[4 * g + d] += mass * (a->x[i][d] + a->image[i][d] * sim->len[d]);
            sk[4 * g + 3] += mass;
        }
    }
    comm_sum_double(sim->comm, s, 8 * rs->n);
    for (int k = 0; k < rs->n; k++) {
        Restraint *r = &rs->r[k];
        double *sk = s + 8 * k, dd = 0.0;
        for (int g = 0; g < 2; g++)
        {
            r->mass[g] = sk[4 * g + 3];
            for (int d = 0; d < 3; d++) r->c[g][d] = sk[4 * g + 3] > 0 ? sk[4 * g + d] / sk[4 * g + 3] : 0.0;
        }
        for (int d = 0; d < 3; d++) {
            double D = r->c[1][d] - r->c[0][d];
            D -= sim->len[d] * nearbyint(D / sim->len[d]);
            if (r->dims[d]) dd += D * D;
        }
        r->d = sqrt(dd);
    }
}

static double target(const Sim *sim, const Restraint *r) { return r->r0_ref + r->rate * (sim->time_fs - r->t_ref); }

void restraint_compute(Sim *sim)
{
    sim->en.erestr = 0.0;
    Restraints *rs = sim->restr;
    if (!rs || rs->n == 0) return;
    centres(sim);
    Atoms *a = &sim->atoms;
    for (int k = 0; k < rs->n; k++) {
        Restraint *r = &rs->r[k];
        double d0 = target(sim, r);
        if (r->have_d0 && d0 != r->d0)
            r->work += 0.5 * r->k * ((r->d - d0) * (r->d - d0) - (r->d - r->d0) * (r->d - r->d0));
        r->d0 = d0;
        r->have_d0 = 1;
        r->e = 0.5 * r->k * (r->d - d0) * (r->d - d0);
        r->fpar = -r->k * (r->d - d0);
        sim->en.erestr += r->e;
        if (r->d < 1e-10) continue; /* the direction is undefined; E is extremal in d there */
        double u[3], D[3];
        for (int d = 0; d < 3; d++) {
            D[d] = r->c[1][d] - r->c[0][d];
            D[d] -= sim->len[d] * nearbyint(D[d] / sim->len[d]);
            if (!r->dims[d]) D[d] = 0.0;
            u[d] = D[d] / r->d;
        }
        double F2[3] = {r->fpar * u[0], r->fpar * u[1], r->fpar * u[2]}; /* kcal/mol/A on G2 */
        for (int i = 0; i < a->nlocal; i++) {
            int m = a->gmask[i];
            int g = (m & r->gbit[0]) ? 0 : ((m & r->gbit[1]) ? 1 : -1);
            if (g < 0) continue;
            double w = sim->types.mass[a->type[i]] / (g ? r->mass[1] : r->mass[0]) * (g ? 1.0 : -1.0);
            for (int d = 0; d < 3; d++) a->f[i][d] += w * F2[d];
        }
        sim->en.virial[0] += D[0] * F2[0];
        sim->en.virial[1] += D[1] * F2[1];
        sim->en.virial[2] += D[2] * F2[2];
        sim->en.virial[3] += D[0] * F2[1];
        sim->en.virial[4] += D[0] * F2[2];
        sim->en.virial[5] += D[1] * F2[2];
    }
}

/* Rank 0: open the CSV. A job continuing from a restart keeps the rows up to the restart's
 * step (a killed job may have written rows after it) and appends; otherwise a new file. */
static void open_csv(Sim *sim, Restraint *r, char *err, size_t nerr)
{
    int64_t rstep;
    int cont = restart_continues(sim, &rstep);
    if (cont) {
        FILE *in = fopen(r->file, "r");
        if (in) {
            char tmp[600];
            snprintf(tmp, sizeof tmp, "%s.tmp", r->file);
            FILE *out = fopen(tmp, "w");
            if (!out) { fclose(in); snprintf(err, nerr, "cannot write '%s': %s", tmp, strerror(errno)); return; }
            char line[2048];
            while (fgets(line, sizeof line, in)) {
                char *end;
                long long st = strtoll(line, &end, 10);
                if (end != line && *end == ',' && st > rstep) continue;
                if (end != line && *end == ',' && st >= r->last_row) r->last_row = st;
                fputs(line, out);
            }
            fclose(in);
            fclose(out);
            if (rename(tmp, r->file) != 0) { snprintf(err, nerr, "cannot rename '%s': %s", tmp, strerror(errno)); return; }
            r->fp = fopen(r->file, "a");
            if (!r->fp) snprintf(err, nerr, "cannot append to '%s': %s", r->file, strerror(errno));
            return;
        }
    }
    r->fp = fopen(r->file, "w");
    if (!r->fp) { snprintf(err, nerr, "cannot open '%s' for writing: %s", r->file, strerror(errno)); return; }
    fprintf(r->fp, "# neckmd restraint %s: groups %s %s, K %.17g kcal/mol/A^2, dims %s%s%s, rate %.17g A/fs, E = 0.5 K (d - d0)^2\n",
            r->name, r->gname[0], r->gname[1], r->k, r->dims[0] ? "x" : "", r->dims[1] ? "y" : "", r->dims[2] ? "z" : "", r->rate);
    fprintf(r->fp, "step,time_fs,target_A,distance_A,force_kcal_mol_A,energy_kcal_mol,work_kcal_mol,com1_x_A,com1_y_A,com1_z_A,com2_x_A,com2_y_A,com2_z_A\n");
    fflush(r->fp);
}

void restraint_command(Sim *sim, char **a, int n, const char *where)
{
    if (!sim->box_set) error_all(FLERR, "%s: restraint needs the atoms: put it after read_data", where);
    Restraints *rs = get(sim);
    int k;
    for (k = 0; k < rs->n; k++)
        if (strcmp(rs->r[k].name, a[0]) == 0) break;
    if (k < rs->n) { /* replaced or removed: close its file, drop it */
        if (rs->r[k].fp) fclose(rs->r[k].fp);
        for (int j = k; j + 1 < rs->n; j++) rs->r[j] = rs->r[j + 1];
        rs->n--;
    }
    sim->forces_ready = 0;
    if (n == 2) {
        if (sim->rank == 0) printf("restraint %s: off\n", a[0]);
        return;
    }
    if (rs->n == RESTRAINT_MAX) error_all(FLERR, "%s: restraint: at most %d restraints", where, RESTRAINT_MAX);
    Restraint *r = &rs->r[rs->n];
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", a[0]);
    for (int g = 0; g < 2; g++) {
        snprintf(r->gname[g], sizeof r->gname[g], "%s", a[1 + g]);
        r->gbit[g] = group_bit(sim, a[1 + g], where);
    }
    int64_t n1 = group_count(sim, r->gbit[0]), n2 = group_count(sim, r->gbit[1]), both = 0;
    for (int i = 0; i < sim->atoms.nlocal; i++)
        if ((sim->atoms.gmask[i] & r->gbit[0]) && (sim->atoms.gmask[i] & r->gbit[1])) both++;
    comm_sum_int64(sim->comm, &both, 1);
    if (n1 == 0 || n2 == 0) error_all(FLERR, "%s: restraint %s: group %s has no atoms", where, a[0], n1 == 0 ? a[1] : a[2]);
    if (both) error_all(FLERR, "%s: restraint %s: %lld atoms are in both %s and %s (the groups must be disjoint)", where, a[0], (long long)both, a[1], a[2]);
    r->k = strtod(a[3], NULL);
    r->dims[0] = r->dims[1] = r->dims[2] = 1;
    r->last_row = -1;
    for (int i = 5; i < n; i += 2) {
        if (strcmp(a[i], "rate") == 0) r->rate = strtod(a[i + 1], NULL);
        else if (strcmp(a[i], "dims") == 0) parse_dims(a[i + 1], r->dims);
        else if (strcmp(a[i], "file") == 0) snprintf(r->file, sizeof r->file, "%s", a[i + 1]);
        else r->every = atoi(a[i + 1]);
    }
    if (r->file[0] && r->every == 0) r->every = 1;
    if (!r->file[0]) r->every = 0;
    rs->n++;
    centres(sim); /* current distance (collective) */
    r->t_ref = sim->time_fs;
    r->r0_ref = strcmp(a[4], "current") == 0 ? r->d : strtod(a[4], NULL);
    /* a job continuing from a restart takes the target and the work from the file */
    const char *saved = restart_restraint_state(sim, r->name);
    int restored = 0;
    if (saved) {
        double v[4];
        if (sscanf(saved, "%lf %lf %lf %lf", &v[0], &v[1], &v[2], &v[3]) == 4) {
            r->r0_ref = v[0]; r->t_ref = v[1]; r->d0 = v[2]; r->work = v[3];
            r->have_d0 = 1;
            restored = 1;
        }
    }
    if (!restored) { r->d0 = target(sim, r); r->have_d0 = 1; }
    char err[700] = "";
    if (r->file[0] && sim->rank == 0) open_csv(sim, r, err, sizeof err);
    comm_bcast(sim->comm, err, sizeof err, 0);
    if (err[0]) error_all(FLERR, "%s: restraint %s: %s", where, a[0], err);
    if (sim->rank == 0)
        printf("restraint %s: groups %s (%lld atoms) and %s (%lld atoms), K %g kcal/mol/A^2, distance now %.6f A, target %.6f A%s%s, rate %g A/fs (%g m/s)%s%s\n",
               r->name, a[1], (long long)n1, a[2], (long long)n2, r->k, r->d, r->d0, restored ? " (from the restart, work " : "",
               restored ? "so far kept)" : "", r->rate, r->rate * 1e5, r->file[0] ? ", rows to " : "", r->file);
}

void restraint_output(Sim *sim)
{
    Restraints *rs = sim->restr;
    if (!rs || sim->rank != 0) return;
    for (int k = 0; k < rs->n; k++) {
        Restraint *r = &rs->r[k];
        if (!r->fp || r->every <= 0 || sim->step % r->every != 0 || sim->step <= r->last_row) continue;
        char b[13][32];
        double v[13] = {sim->time_fs, r->d0, r->d, r->fpar, r->e, r->work, r->c[0][0], r->c[0][1], r->c[0][2], r->c[1][0], r->c[1][1], r->c[1][2], 0};
        fprintf(r->fp, "%lld", (long long)sim->step);
        for (int j = 0; j < 12; j++) fprintf(r->fp, ",%s", write_data_format_double(b[j], v[j]));
        fputc('\n', r->fp);
        fflush(r->fp);
        r->last_row = sim->step;
    }
}

void restraint_write_state(const Sim *sim, FILE *fp, const char *tag)
{
    const Restraints *rs = sim->restr;
    if (!rs || !fp) return;
    for (int k = 0; k < rs->n; k++) {
        const Restraint *r = &rs->r[k];
        char b[4][32];
        fprintf(fp, "%srestraint %s %s %s %s %s\n", tag, r->name, write_data_format_double(b[0], r->r0_ref),
                write_data_format_double(b[1], r->t_ref), write_data_format_double(b[2], r->d0), write_data_format_double(b[3], r->work));
    }
}

void restraint_free(Sim *sim)
{
    Restraints *rs = sim->restr;
    if (!rs) return;
    for (int k = 0; k < rs->n; k++)
        if (rs->r[k].fp) fclose(rs->r[k].fp);
    free(rs);
    sim->restr = NULL;
}
