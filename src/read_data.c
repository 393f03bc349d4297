/* read_data.c - LAMMPS data files (the format moltemplate, packmol+topotools and VMD write).
 *
 * Accepted: the header (counts, "N atom types", box bounds "xlo xhi", optional
 * "xy xz yz" only if all zero), sections Masses (an optional "# Name" comment names the type),
 * Atom Type Labels (type names, newer LAMMPS), Atoms (style full: id mol type q x y z
 * [ix iy iz]; style charge: id type q x y z [ix iy iz]; the style is taken from the
 * "# full"/"# charge" hint or else from the column count), Velocities (id vx vy vz, A/fs).
 * Topology sections (Bonds, Angles, Dihedrals, Impropers) and coefficient sections are
 * refused with a clear message until the molecular force fields are supported.
 *
 * Rank 0 reads and checks everything (ids unique and complete, types in range, numbers
 * finite); the outcome - an error message or the data - is broadcast, so every rank stops
 * together with the same message. Then each rank keeps the atoms of its subdomain. */
#include "read_data.h"
#include "atoms.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "memory.h"
#include "sim.h"
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct DataFile {
    const char *path;
    FILE *fp;
    int line;
    char buf[4096];
    char err[1024];
    int failed;
} DataFile;

static void df_fail(DataFile *d, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void df_fail(DataFile *d, int line, const char *fmt, ...)
{
    if (d->failed) return;
    int n = snprintf(d->err, sizeof d->err, "%s:%d: ", d->path, line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->err + n, sizeof d->err - (size_t)n, fmt, ap);
    va_end(ap);
    d->failed = 1;
}

/* Next line; returns 0 at EOF. The comment part is kept in *comment (or NULL). */
static int df_next(DataFile *d, char **comment)
{
    if (!fgets(d->buf, sizeof d->buf, d->fp)) return 0;
    d->line++;
    size_t n = strlen(d->buf);
    if (n == sizeof d->buf - 1 && d->buf[n - 1] != '\n') {
        df_fail(d, d->line, "line longer than %zu characters", sizeof d->buf - 2);
        return 0;
    }
    char *h = strchr(d->buf, '#');
    if (comment) *comment = NULL;
    if (h) {
        *h = '\0';
        if (comment) {
            char *c = h + 1;
            while (isspace((unsigned char)*c)) c++;
            char *e = c + strlen(c);
            while (e > c && isspace((unsigned char)e[-1])) *--e = '\0';
            *comment = c;
        }
    }
    return 1;
}

static int split(char *s, char **tok, int max)
{
    int n = 0;
    for (char *p = strtok(s, " \t\r\n"); p; p = strtok(NULL, " \t\r\n")) {
        if (n < max) tok[n] = p;
        n++;
    }
    return n;
}

static int parse_double(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return *end == '\0' && errno == 0 && isfinite(*v);
}
static int parse_long(const char *s, long long *v)
{
    char *end;
    errno = 0;
    *v = strtoll(s, &end, 10);
    return *end == '\0' && errno == 0;
}

/* What rank 0 reads, then broadcasts. */
typedef struct DataContent {
    int64_t natoms;
    int ntypes;
    double lo[3], hi[3];
    int has_vel;
} DataContent;

typedef struct AtomRec {
    int64_t gid;
    int type, mol;
    double q, x[3], v[3];
    int image[3];
} AtomRec;

static const char *topo_sections[] = {"Bonds", "Angles", "Dihedrals", "Impropers",
    "Pair Coeffs", "PairIJ Coeffs", "Bond Coeffs", "Angle Coeffs", "Dihedral Coeffs",
    "Improper Coeffs", "BondBond Coeffs", "BondAngle Coeffs", "MiddleBondTorsion Coeffs",
    "EndBondTorsion Coeffs", "AngleTorsion Coeffs", "AngleAngleTorsion Coeffs",
    "BondBond13 Coeffs", "AngleAngle Coeffs", "Ellipsoids", "Lines", "Triangles", "Bodies",
    "Bond Type Labels", "Angle Type Labels", "Dihedral Type Labels", "Improper Type Labels",
    NULL};

static int is_section(const char *s, const char **name)
{
    static const char *known[] = {"Atoms", "Velocities", "Masses", "Atom Type Labels", NULL};
    for (int i = 0; known[i]; i++)
        if (strcmp(s, known[i]) == 0) { *name = known[i]; return 1; }
    for (int i = 0; topo_sections[i]; i++)
        if (strcmp(s, topo_sections[i]) == 0) { *name = topo_sections[i]; return 2; }
    return 0;
}

static void trim(char *s)
{
    char *p = s;
    while (isspace((unsigned char)*p)) p++;
    memmove(s, p, strlen(p) + 1);
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) *--e = '\0';
}

/* Rank 0: read the whole file into content, types and recs. */
static void read_file(DataFile *d, DataContent *c, Types *types, AtomRec **recs_out)
{
    AtomRec *recs = NULL;
    char *comment, *tok[16];
    int have_box[3] = {0, 0, 0};
    c->natoms = -1;
    c->ntypes = -1;
    /* title line */
    if (!df_next(d, NULL)) { df_fail(d, 1, "empty file: expected a LAMMPS data file"); return; }
    char section[128] = "";
    /* header */
    while (df_next(d, &comment)) {
        char line[4096];
        strcpy(line, d->buf);
        trim(line);
        if (line[0] == '\0') continue;
        const char *sname;
        if (is_section(line, &sname)) { strcpy(section, sname); break; }
        int n = split(d->buf, tok, 16);
        long long iv;
        double a, b;
        if (n == 2 && strcmp(tok[1], "atoms") == 0) {
            if (!parse_long(tok[0], &iv) || iv < 1) { df_fail(d, d->line, "expected a positive atom count, got '%s'", tok[0]); return; }
            c->natoms = iv;
        } else if (n == 3 && strcmp(tok[1], "atom") == 0 && strcmp(tok[2], "types") == 0) {
            if (!parse_long(tok[0], &iv) || iv < 1 || iv > SIM_MAXTYPES) { df_fail(d, d->line, "expected an atom type count 1..%d, got '%s'", SIM_MAXTYPES, tok[0]); return; }
            c->ntypes = (int)iv;
        } else if (n == 4 && strcmp(tok[3] + 1, "hi") == 0 && tok[2][0] == tok[3][0] && strcmp(tok[2] + 1, "lo") == 0 && strchr("xyz", tok[2][0])) {
            int dim = tok[2][0] - 'x';
            if (!parse_double(tok[0], &a) || !parse_double(tok[1], &b) || !(b > a)) { df_fail(d, d->line, "expected '%clo %chi' bounds with %chi > %clo", tok[2][0], tok[2][0], tok[2][0], tok[2][0]); return; }
            c->lo[dim] = a; c->hi[dim] = b; have_box[dim] = 1;
        } else if (n == 6 && strcmp(tok[3], "xy") == 0) {
            double t[3];
            for (int k = 0; k < 3; k++)
                if (!parse_double(tok[k], &t[k])) { df_fail(d, d->line, "bad tilt factor '%s'", tok[k]); return; }
            if (t[0] != 0 || t[1] != 0 || t[2] != 0) { df_fail(d, d->line, "triclinic boxes are not supported (tilt factors must be 0)"); return; }
        } else if (n >= 2 && (strcmp(tok[n - 1], "bonds") == 0 || strcmp(tok[n - 1], "angles") == 0 || strcmp(tok[n - 1], "dihedrals") == 0 || strcmp(tok[n - 1], "impropers") == 0 || strcmp(tok[n - 1], "types") == 0 || strcmp(tok[n - 1], "per/atom") == 0)) {
            /* counts of topology: accepted when zero */
            if (parse_long(tok[0], &iv) && iv != 0 && strcmp(tok[n - 1], "per/atom") != 0) {
                df_fail(d, d->line, "'%s %s' : molecular topology is not supported yet by neckmd (bonded force fields are a planned feature); this build runs atomic systems (atom_style full or charge without bonds)", tok[0], tok[1]);
                return;
            }
        } else {
            df_fail(d, d->line, "unrecognised header line: expected 'N atoms', 'N atom types', 'xlo xhi' bounds or a section name");
            return;
        }
    }
    if (d->failed) return;
    if (c->natoms < 0) { df_fail(d, d->line, "header has no 'N atoms' line"); return; }
    if (c->ntypes < 0) { df_fail(d, d->line, "header has no 'N atom types' line"); return; }
    for (int k = 0; k < 3; k++)
        if (!have_box[k]) { df_fail(d, d->line, "header has no '%clo %chi' line", 'x' + k, 'x' + k); return; }
    if (section[0] == '\0') { df_fail(d, d->line, "no Atoms section"); return; }
    types->ntypes = c->ntypes;
    for (int t = 0; t < c->ntypes; t++) snprintf(types->name[t], SIM_NAMELEN, "%d", t + 1);
    recs = calloc((size_t)c->natoms, sizeof *recs);
    char *seen = calloc((size_t)c->natoms + 1, 1);
    char *vseen = calloc((size_t)c->natoms + 1, 1);
    if (!recs || !seen || !vseen) { df_fail(d, d->line, "out of memory for %lld atoms", (long long)c->natoms); free(recs); free(seen); free(vseen); return; }
    int have_atoms = 0;
    /* sections */
    while (section[0] && !d->failed) {
        int sline = d->line;
        const char *sname = NULL;
        int kind = is_section(section, &sname);
        if (kind == 2) {
            df_fail(d, sline, "section '%s' found: molecular topology and coefficient sections are not supported yet by neckmd (give pair parameters with forcefield/pair_coeff)", section);
            break;
        }
        /* the style hint of Atoms is in the comment of the section line (already consumed) */
        char hint[64] = "";
        if (strcmp(section, "Atoms") == 0 && comment) snprintf(hint, sizeof hint, "%s", comment);
        /* blank line after the section name */
        int64_t nexpect = strcmp(section, "Masses") == 0 || strcmp(section, "Atom Type Labels") == 0 ? c->ntypes : c->natoms;
        int64_t nread = 0;
        char next[128] = "";
        while (df_next(d, &comment)) {
            char line[4096];
            strcpy(line, d->buf);
            trim(line);
            if (line[0] == '\0') {
                if (nread == 0) continue;
                if (nread >= nexpect) {
                    /* find the next section name */
                    while (df_next(d, &comment)) {
                        strcpy(line, d->buf);
                        trim(line);
                        if (line[0] == '\0') continue;
                        const char *nn;
                        if (!is_section(line, &nn)) df_fail(d, d->line, "expected a section name (Atoms, Velocities, Masses, ...), got '%s'", line);
                        else strcpy(next, nn);
                        break;
                    }
                    break;
                }
                continue;
            }
            if (nread >= nexpect) {
                const char *nn;
                if (is_section(line, &nn)) { strcpy(next, nn); break; }
                df_fail(d, d->line, "section %s has more than the %lld lines the header announces", section, (long long)nexpect);
                break;
            }
            int n = split(d->buf, tok, 16);
            long long id;
            if (strcmp(section, "Masses") == 0) {
                double m;
                if (n != 2 || !parse_long(tok[0], &id) || id < 1 || id > c->ntypes || !parse_double(tok[1], &m) || !(m > 0)) {
                    df_fail(d, d->line, "Masses: expected 'type mass' with type 1..%d and mass > 0 (amu)", c->ntypes);
                    break;
                }
                types->mass[id - 1] = m;
                types->mass_set[id - 1] = 1;
                if (comment && comment[0] && !strchr(comment, ' ')) snprintf(types->name[id - 1], SIM_NAMELEN, "%s", comment);
            } else if (strcmp(section, "Atom Type Labels") == 0) {
                if (n != 2 || !parse_long(tok[0], &id) || id < 1 || id > c->ntypes) {
                    df_fail(d, d->line, "Atom Type Labels: expected 'type label' with type 1..%d", c->ntypes);
                    break;
                }
                snprintf(types->name[id - 1], SIM_NAMELEN, "%s", tok[1]);
            } else if (strcmp(section, "Atoms") == 0) {
                int full;
                if (strncmp(hint, "full", 4) == 0) full = 1;
                else if (strncmp(hint, "charge", 6) == 0) full = 0;
                else if (hint[0]) { df_fail(d, sline, "Atoms section style '%s' is not supported: expected 'full' or 'charge'", hint); break; }
                else full = (n == 7 || n == 10);
                int want = full ? 7 : 6;
                if (n != want && n != want + 3) {
                    df_fail(d, d->line, "Atoms (%s): expected %d or %d columns (%s), got %d", full ? "full" : "charge", want, want + 3, full ? "id mol type q x y z [ix iy iz]" : "id type q x y z [ix iy iz]", n);
                    break;
                }
                long long mol = 0, type = 0;
                int k = 1;
                double q = 0, x[3] = {0, 0, 0};
                long long im[3] = {0, 0, 0};
                int ok = parse_long(tok[0], &id);
                if (full) ok = ok && parse_long(tok[k++], &mol);
                ok = ok && parse_long(tok[k++], &type) && parse_double(tok[k++], &q);
                for (int dd = 0; dd < 3; dd++) ok = ok && parse_double(tok[k++], &x[dd]);
                if (n == want + 3)
                    for (int dd = 0; dd < 3; dd++) ok = ok && parse_long(tok[k++], &im[dd]);
                if (!ok) { df_fail(d, d->line, "Atoms: a column is not a finite number"); break; }
                if (id < 1 || id > c->natoms) { df_fail(d, d->line, "Atoms: atom id %lld outside 1..%lld (ids must be 1..N)", id, (long long)c->natoms); break; }
                if (seen[id]) { df_fail(d, d->line, "Atoms: atom id %lld appears twice", id); break; }
                if (type < 1 || type > c->ntypes) { df_fail(d, d->line, "Atoms: atom type %lld outside 1..%d", type, c->ntypes); break; }
                seen[id] = 1;
                AtomRec *r = &recs[id - 1];
                r->gid = id; r->type = (int)type - 1; r->mol = (int)mol; r->q = q;
                for (int dd = 0; dd < 3; dd++) { r->x[dd] = x[dd]; r->image[dd] = (int)im[dd]; }
                have_atoms = 1;
            } else if (strcmp(section, "Velocities") == 0) {
                double v[3];
                if (n != 4 || !parse_long(tok[0], &id) || !parse_double(tok[1], &v[0]) || !parse_double(tok[2], &v[1]) || !parse_double(tok[3], &v[2])) {
                    df_fail(d, d->line, "Velocities: expected 'id vx vy vz' (A/fs)");
                    break;
                }
                if (id < 1 || id > c->natoms || vseen[id]) { df_fail(d, d->line, "Velocities: atom id %lld out of range or repeated", id); break; }
                vseen[id] = 1;
                memcpy(recs[id - 1].v, v, sizeof v);
                c->has_vel = 1;
            }
            nread++;
        }
        if (d->failed) break;
        if (nread < nexpect) { df_fail(d, d->line, "section %s ended after %lld lines; the header announces %lld", section, (long long)nread, (long long)nexpect); break; }
        strcpy(section, next);
    }
    if (!d->failed && !have_atoms) df_fail(d, d->line, "no Atoms section");
    if (!d->failed && c->has_vel)
        for (int64_t i = 1; i <= c->natoms; i++)
            if (!vseen[i]) { df_fail(d, d->line, "Velocities section lacks atom %lld", (long long)i); break; }
    free(seen);
    free(vseen);
    if (d->failed) { free(recs); recs = NULL; }
    *recs_out = recs;
}

void read_data(Sim *sim, const char *file, const char *where)
{
    DataFile d = {.path = file};
    DataContent c;
    memset(&c, 0, sizeof c);
    AtomRec *recs = NULL;
    Types types;
    memset(&types, 0, sizeof types);
    if (sim->rank == 0) {
        d.fp = fopen(file, "r");
        if (!d.fp) {
            snprintf(d.err, sizeof d.err, "%s: read_data: cannot open '%s': %s", where, file, strerror(errno));
            d.failed = 1;
        } else {
            read_file(&d, &c, &types, &recs);
            fclose(d.fp);
        }
    }
    comm_bcast(sim->comm, &d.failed, sizeof d.failed, 0);
    if (d.failed) {
        comm_bcast(sim->comm, d.err, sizeof d.err, 0);
        error_all(FLERR, "%s (read_data at %s)", d.err, where);
    }
    comm_bcast(sim->comm, &c, sizeof c, 0);
    comm_bcast(sim->comm, &types, sizeof types, 0);
    if (sim->rank != 0) recs = mem_alloc(sizeof *recs * (size_t)c.natoms, "data file atoms");
    comm_bcast(sim->comm, recs, sizeof *recs * (size_t)c.natoms, 0);

    sim->types = types;
    for (int k = 0; k < 3; k++) {
        sim->lo[k] = c.lo[k];
        sim->hi[k] = c.hi[k];
        sim->len[k] = c.hi[k] - c.lo[k];
    }
    sim->box_set = 1;
    sim->natoms = c.natoms;
    domain_setup(sim);

    Atoms *a = &sim->atoms;
    a->nlocal = a->nghost = 0;
    for (int64_t i = 0; i < c.natoms; i++) {
        AtomRec *r = &recs[i];
        double x[3];
        int im[3];
        memcpy(x, r->x, sizeof x);
        memcpy(im, r->image, sizeof im);
        domain_wrap(sim, x, im);
        if (!domain_owns(sim, x)) continue;
        atoms_grow(a, a->nlocal + 1);
        int k = a->nlocal++;
        a->gid[k] = r->gid; a->type[k] = r->type; a->mol[k] = r->mol; a->q[k] = r->q;
        for (int dd = 0; dd < 3; dd++) {
            a->x[k][dd] = x[dd];
            a->v[k][dd] = r->v[dd];
            a->f[k][dd] = 0.0;
            a->image[k][dd] = im[dd];
        }
    }
    if (sim->rank == 0) free(recs);
    else mem_free(recs);
    int64_t nown = a->nlocal;
    comm_sum_int64(sim->comm, &nown, 1);
    if (nown != sim->natoms)
        error_all(FLERR, "%s: read_data %s: %lld atoms were assigned to ranks, expected %lld", where, file, (long long)nown, (long long)sim->natoms);
    sim->forces_ready = 0;
}
