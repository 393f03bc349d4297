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
#include "bonded.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "memory.h"
#include "sim.h"
#include "textfile.h"
#include "topology.h"
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



/* What rank 0 reads, then broadcasts. */
typedef struct DataContent {
    int64_t natoms;
    int ntypes;
    double lo[3], hi[3];
    int has_vel;
    int64_t ntopo[4];      /* bonds, angles, dihedrals, impropers */
    int ntopotypes[4];     /* their numeric type counts */
    int ncoeff;            /* coefficient lines read from Coeffs sections */
} DataContent;

/* Topology as read (rank 0), then broadcast: interaction m of kind k has type[k][m] (0-based)
 * and atom ids atoms[k][m*natom + a]. */
typedef struct TopoData {
    int *type[4];
    int64_t *atoms[4];
} TopoData;

/* One line of a Coeffs section (applied after reading, on every rank). */
typedef struct CoeffLine {
    int kind;              /* 0..3 bonded kinds, 4 = Pair Coeffs */
    int type;              /* 0-based */
    int nparam;
    double param[6];
    char style[32];        /* from the section's '# style' comment, or the default */
    int line;
} CoeffLine;

static const char *topo_names[4] = {"Bonds", "Angles", "Dihedrals", "Impropers"};
static const char *coeff_names[5] = {"Bond Coeffs", "Angle Coeffs", "Dihedral Coeffs", "Improper Coeffs", "Pair Coeffs"};
static const int topo_natom[4] = {2, 3, 4, 4};
static int topo_kind(const char *section, const char *const *names, int n)
{
    for (int k = 0; k < n; k++)
        if (strcmp(section, names[k]) == 0) return k;
    return -1;
}

typedef struct AtomRec {
    int64_t gid;
    int type, mol;
    double q, x[3], v[3];
    int image[3];
} AtomRec;

static const char *topo_sections[] = {"PairIJ Coeffs", "BondBond Coeffs", "BondAngle Coeffs", "MiddleBondTorsion Coeffs",
    "EndBondTorsion Coeffs", "AngleTorsion Coeffs", "AngleAngleTorsion Coeffs",
    "BondBond13 Coeffs", "AngleAngle Coeffs", "Ellipsoids", "Lines", "Triangles", "Bodies",
    "Bond Type Labels", "Angle Type Labels", "Dihedral Type Labels", "Improper Type Labels",
    NULL};

static int is_section(const char *s, const char **name)
{
    static const char *known[] = {"Atoms", "Velocities", "Masses", "Atom Type Labels", "Bonds", "Angles",
        "Dihedrals", "Impropers", "Bond Coeffs", "Angle Coeffs", "Dihedral Coeffs", "Improper Coeffs",
        "Pair Coeffs", NULL};
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
static void read_file(DataFile *d, DataContent *c, Types *types, AtomRec **recs_out, TopoData *topo,
                      CoeffLine **coeffs_out)
{
    CoeffLine *coeffs = NULL;
    int ncoeff = 0, capcoeff = 0;
    char *tseen[4] = {NULL, NULL, NULL, NULL};
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
        int n = textfile_split(d->buf, tok, 16);
        if (n > 16) { df_fail(d, d->line, "unrecognised header line (%d words)", n); return; } /* found by tests/fuzz */
        long long iv;
        double a, b;
        if (n == 2 && strcmp(tok[1], "atoms") == 0) {
            if (!textfile_long(tok[0], &iv) || iv < 1) { df_fail(d, d->line, "expected a positive atom count, got '%s'", tok[0]); return; }
            c->natoms = iv;
        } else if (n == 3 && strcmp(tok[1], "atom") == 0 && strcmp(tok[2], "types") == 0) {
            if (!textfile_long(tok[0], &iv) || iv < 1 || iv > SIM_MAXTYPES) { df_fail(d, d->line, "expected an atom type count 1..%d, got '%s'", SIM_MAXTYPES, tok[0]); return; }
            c->ntypes = (int)iv;
        } else if (n == 4 && strcmp(tok[3] + 1, "hi") == 0 && tok[2][0] == tok[3][0] && strcmp(tok[2] + 1, "lo") == 0 && strchr("xyz", tok[2][0])) {
            int dim = tok[2][0] - 'x';
            if (!textfile_double(tok[0], &a) || !textfile_double(tok[1], &b) || !(b > a)) { df_fail(d, d->line, "expected '%clo %chi' bounds with %chi > %clo", tok[2][0], tok[2][0], tok[2][0], tok[2][0]); return; }
            c->lo[dim] = a; c->hi[dim] = b; have_box[dim] = 1;
        } else if (n == 6 && strcmp(tok[3], "xy") == 0) {
            double t[3];
            for (int k = 0; k < 3; k++)
                if (!textfile_double(tok[k], &t[k])) { df_fail(d, d->line, "bad tilt factor '%s'", tok[k]); return; }
            if (t[0] != 0 || t[1] != 0 || t[2] != 0) { df_fail(d, d->line, "triclinic boxes are not supported (tilt factors must be 0)"); return; }
        } else if (n == 2 && (strcmp(tok[1], "bonds") == 0 || strcmp(tok[1], "angles") == 0 || strcmp(tok[1], "dihedrals") == 0 || strcmp(tok[1], "impropers") == 0)) {
            int k = tok[1][0] == 'b' ? 0 : tok[1][0] == 'a' ? 1 : tok[1][0] == 'd' ? 2 : 3;
            if (!textfile_long(tok[0], &iv) || iv < 0) { df_fail(d, d->line, "expected a count >= 0 of %s, got '%s'", tok[1], tok[0]); return; }
            c->ntopo[k] = iv;
        } else if (n == 3 && strcmp(tok[2], "types") == 0 && (strcmp(tok[1], "bond") == 0 || strcmp(tok[1], "angle") == 0 || strcmp(tok[1], "dihedral") == 0 || strcmp(tok[1], "improper") == 0)) {
            int k = tok[1][0] == 'b' ? 0 : tok[1][0] == 'a' ? 1 : tok[1][0] == 'd' ? 2 : 3;
            if (!textfile_long(tok[0], &iv) || iv < 0 || iv > SIM_MAXBTYPES) { df_fail(d, d->line, "expected a %s type count 0..%d, got '%s'", tok[1], SIM_MAXBTYPES, tok[0]); return; }
            c->ntopotypes[k] = (int)iv;
        } else if (n >= 4 && strcmp(tok[n - 2], "per") == 0 && strcmp(tok[n - 1], "atom") == 0) {
            /* "N extra bond per atom" and the like: capacity hints, not needed here */
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
    for (int k = 0; k < 4; k++) {
        if (!c->ntopo[k]) continue;
        if (!c->ntopotypes[k]) { df_fail(d, d->line, "the header announces %lld %s but no '%s types' line", (long long)c->ntopo[k], topo_names[k], k == 0 ? "bond" : k == 1 ? "angle" : k == 2 ? "dihedral" : "improper"); break; }
        topo->type[k] = calloc((size_t)c->ntopo[k], sizeof(int));
        topo->atoms[k] = calloc((size_t)c->ntopo[k] * (size_t)topo_natom[k], sizeof(int64_t));
        tseen[k] = calloc((size_t)c->ntopo[k] + 1, 1);
        if (!topo->type[k] || !topo->atoms[k] || !tseen[k]) { df_fail(d, d->line, "out of memory for %lld %s", (long long)c->ntopo[k], topo_names[k]); break; }
    }
    int have_atoms = 0;
    /* sections */
    while (section[0] && !d->failed) {
        int sline = d->line;
        const char *sname = NULL;
        int kind = is_section(section, &sname);
        if (kind == 2) {
            df_fail(d, sline, "section '%s' is not supported by neckmd (supported: Masses, Atom Type Labels, Atoms, Velocities, Bonds, Angles, Dihedrals, Impropers and their Coeffs, Pair Coeffs)", section);
            break;
        }
        /* the style hint (Atoms # full, Bond Coeffs # harmonic) is the comment of the section line */
        char hint[64] = "";
        if (comment) snprintf(hint, sizeof hint, "%s", comment);
        int tk = topo_kind(section, topo_names, 4), ck = topo_kind(section, coeff_names, 5);
        if (tk >= 0 && !c->ntopo[tk]) { df_fail(d, sline, "section %s, but the header announces no %s", section, topo_names[tk]); break; }
        if (ck >= 0 && ck < 4 && !c->ntopotypes[ck]) { df_fail(d, sline, "section %s, but the header announces no such types", section); break; }
        int64_t nexpect = strcmp(section, "Masses") == 0 || strcmp(section, "Atom Type Labels") == 0 || ck == 4 ? c->ntypes : c->natoms;
        if (tk >= 0) nexpect = c->ntopo[tk];
        if (ck >= 0 && ck < 4) nexpect = c->ntopotypes[ck];
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
            int n = textfile_split(d->buf, tok, 16);
            long long id;
            if (tk >= 0) {
                int na = topo_natom[tk];
                long long v[6];
                int ok = n == 2 + na;
                for (int q = 0; q < 2 + na && ok; q++) ok = textfile_long(tok[q], &v[q]);
                if (!ok) { df_fail(d, d->line, "%s: expected 'id type' and %d atom ids (integers)", section, na); break; }
                if (v[0] < 1 || v[0] > c->ntopo[tk] || tseen[tk][v[0]]) { df_fail(d, d->line, "%s: id %lld is outside 1..%lld or repeated", section, v[0], (long long)c->ntopo[tk]); break; }
                if (v[1] < 1 || v[1] > c->ntopotypes[tk]) { df_fail(d, d->line, "%s: type %lld outside 1..%d", section, v[1], c->ntopotypes[tk]); break; }
                int bad = 0;
                for (int q = 0; q < na; q++) {
                    if (v[2 + q] < 1 || v[2 + q] > c->natoms) bad = 1;
                    for (int r = 0; r < q; r++) if (v[2 + q] == v[2 + r]) bad = 2;
                }
                if (bad) { df_fail(d, d->line, "%s: %s", section, bad == 1 ? "an atom id is outside 1..N atoms" : "an atom appears twice in one interaction"); break; }
                tseen[tk][v[0]] = 1;
                topo->type[tk][v[0] - 1] = (int)v[1] - 1;
                for (int q = 0; q < na; q++) topo->atoms[tk][(v[0] - 1) * na + q] = v[2 + q];
                nread++;
                continue;
            }
            if (ck >= 0) {
                long long ty;
                double p[6];
                int ok = n >= 2 && n <= 7 && textfile_long(tok[0], &ty);
                for (int q = 1; q < n && ok; q++) ok = textfile_double(tok[q], &p[q - 1]);
                int ntmax = ck == 4 ? c->ntypes : c->ntopotypes[ck];
                if (!ok || ty < 1 || ty > ntmax) { df_fail(d, d->line, "%s: expected 'type' (1..%d) and 1 to 6 numbers", section, ntmax); break; }
                if (ncoeff == capcoeff) {
                    capcoeff = capcoeff ? 2 * capcoeff : 64;
                    coeffs = realloc(coeffs, sizeof *coeffs * (size_t)capcoeff);
                }
                CoeffLine *cl = &coeffs[ncoeff++];
                memset(cl, 0, sizeof *cl);
                cl->kind = ck;
                cl->type = (int)ty - 1;
                cl->nparam = n - 1;
                memcpy(cl->param, p, sizeof(double) * (size_t)(n - 1));
                cl->line = d->line;
                const char *def = ck == 2 ? "opls" : ck == 4 ? "lj" : "harmonic";
                snprintf(cl->style, sizeof cl->style, "%s", hint[0] ? hint : def);
                nread++;
                continue;
            }
            if (strcmp(section, "Masses") == 0) {
                double m;
                if (n != 2 || !textfile_long(tok[0], &id) || id < 1 || id > c->ntypes || !textfile_double(tok[1], &m) || !(m > 0)) {
                    df_fail(d, d->line, "Masses: expected 'type mass' with type 1..%d and mass > 0 (amu)", c->ntypes);
                    break;
                }
                types->mass[id - 1] = m;
                types->mass_set[id - 1] = 1;
                if (comment && comment[0] && !strchr(comment, ' ')) snprintf(types->name[id - 1], SIM_NAMELEN, "%s", comment);
            } else if (strcmp(section, "Atom Type Labels") == 0) {
                if (n != 2 || !textfile_long(tok[0], &id) || id < 1 || id > c->ntypes) {
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
                int ok = textfile_long(tok[0], &id);
                if (full) ok = ok && textfile_long(tok[k++], &mol);
                ok = ok && textfile_long(tok[k++], &type) && textfile_double(tok[k++], &q);
                for (int dd = 0; dd < 3; dd++) ok = ok && textfile_double(tok[k++], &x[dd]);
                if (n == want + 3)
                    for (int dd = 0; dd < 3; dd++) ok = ok && textfile_long(tok[k++], &im[dd]);
                if (!ok) {
                    static const char *names[] = {"id", "mol", "type", "q", "x", "y", "z", "ix", "iy", "iz"};
                    int nint = full ? 3 : 2; /* id [mol] type, then q x y z, then ix iy iz */
                    for (int c = 0; c < n; c++) {
                        int isint = c < nint || c >= want;
                        double dv;
                        long long lv;
                        if (isint ? textfile_long(tok[c], &lv) : textfile_double(tok[c], &dv)) continue;
                        df_fail(d, d->line, "Atoms: column %d (%s) is '%s': expected %s", c + 1, names[c + (full || c == 0 ? 0 : 1)], tok[c], isint ? "an integer" : "a finite number");
                        break;
                    }
                    break;
                }
                if (id < 1 || id > c->natoms) { df_fail(d, d->line, "Atoms: atom id %lld outside 1..%lld (ids must be 1..N)", id, (long long)c->natoms); break; }
                if (seen[id]) { df_fail(d, d->line, "Atoms: atom id %lld appears twice", id); break; }
                if (type < 1 || type > c->ntypes) { df_fail(d, d->line, "Atoms: atom type %lld outside 1..%d", type, c->ntypes); break; }
                /* found by tests/fuzz: wrapping a position 1e19 A away overflowed the int image count */
                int far = mol < -2147483647LL || mol > 2147483647LL;
                for (int dd = 0; dd < 3; dd++)
                    far = far || !(fabs(x[dd] - c->lo[dd]) <= 1e6 * (c->hi[dd] - c->lo[dd])) || im[dd] < -1000000000LL || im[dd] > 1000000000LL;
                if (far) { df_fail(d, d->line, "Atoms: atom %lld: a position more than 10^6 box lengths from the box, an image flag beyond +-10^9, or a molecule id beyond the int range", id); break; }
                seen[id] = 1;
                AtomRec *r = &recs[id - 1];
                r->gid = id; r->type = (int)type - 1; r->mol = (int)mol; r->q = q;
                for (int dd = 0; dd < 3; dd++) { r->x[dd] = x[dd]; r->image[dd] = (int)im[dd]; }
                have_atoms = 1;
            } else if (strcmp(section, "Velocities") == 0) {
                double v[3];
                if (n != 4 || !textfile_long(tok[0], &id) || !textfile_double(tok[1], &v[0]) || !textfile_double(tok[2], &v[1]) || !textfile_double(tok[3], &v[2])) {
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
    for (int k = 0; k < 4 && !d->failed; k++)
        for (int64_t m = 1; m <= c->ntopo[k]; m++)
            if (!tseen[k][m]) { df_fail(d, d->line, "the header announces %lld %s but id %lld is missing (no %s section, or a short one)", (long long)c->ntopo[k], topo_names[k], (long long)m, topo_names[k]); break; }
    for (int k = 0; k < 4; k++) free(tseen[k]);
    c->ncoeff = ncoeff;
    *coeffs_out = coeffs;
    free(seen);
    free(vseen);
    if (d->failed) { free(recs); recs = NULL; }
    *recs_out = recs;
}

/* Every rank: from the broadcast topology, the per-atom capacities, the special lists (CSR
 * over global ids), the type-name tuples of each bonded type and the coefficient sections. */
typedef struct Specials {
    int64_t *off;   /* [natoms+1] */
    int64_t *gid;   /* partner ids: 1-2, then 1-3, then 1-4 for each atom */
    int (*n)[3];    /* cumulative counts per atom */
} Specials;

static void build_specials(const DataContent *c, const TopoData *t, Specials *sp, int *maxspecial)
{
    int64_t n = c->natoms, nb = c->ntopo[0];
    int64_t *deg = calloc((size_t)n + 1, sizeof(int64_t)), *aoff = calloc((size_t)n + 2, sizeof(int64_t));
    int64_t *adj = malloc(sizeof(int64_t) * (size_t)(2 * nb + 1));
    for (int64_t m = 0; m < nb; m++) { deg[t->atoms[0][2 * m] - 1]++; deg[t->atoms[0][2 * m + 1] - 1]++; }
    for (int64_t i = 0; i < n; i++) aoff[i + 1] = aoff[i] + deg[i];
    memset(deg, 0, sizeof(int64_t) * (size_t)n);
    for (int64_t m = 0; m < nb; m++) {
        int64_t a = t->atoms[0][2 * m] - 1, b = t->atoms[0][2 * m + 1] - 1;
        adj[aoff[a] + deg[a]++] = b;
        adj[aoff[b] + deg[b]++] = a;
    }
    sp->off = calloc((size_t)n + 1, sizeof(int64_t));
    sp->n = calloc((size_t)n + 1, sizeof *sp->n);
    size_t cap = 1024, used = 0;
    sp->gid = malloc(sizeof(int64_t) * cap);
    int64_t list[4096];
    *maxspecial = 0;
    for (int64_t i = 0; i < n; i++) {
        int cnt = 0;
        int lo = 0;
        /* 1-2 */
        for (int64_t k = aoff[i]; k < aoff[i + 1] && cnt < 4096; k++) list[cnt++] = adj[k];
        sp->n[i][0] = cnt;
        /* 1-3 and 1-4: neighbours of the previous shell not already listed and not i */
        for (int shell = 1; shell < 3; shell++) {
            int hi = cnt;
            for (int q = lo; q < hi; q++)
                for (int64_t k = aoff[list[q]]; k < aoff[list[q] + 1]; k++) {
                    int64_t b = adj[k];
                    if (b == i) continue;
                    int dup = 0;
                    for (int r = 0; r < cnt && !dup; r++) dup = list[r] == b;
                    if (!dup && cnt < 4096) list[cnt++] = b;
                }
            lo = hi;
            sp->n[i][shell] = cnt;
        }
        if (used + (size_t)cnt > cap) {
            while (used + (size_t)cnt > cap) cap *= 2;
            sp->gid = realloc(sp->gid, sizeof(int64_t) * cap);
        }
        for (int q = 0; q < cnt; q++) sp->gid[used++] = list[q] + 1;
        sp->off[i + 1] = (int64_t)used;
        if (cnt > *maxspecial) *maxspecial = cnt;
    }
    free(deg);
    free(aoff);
    free(adj);
}

static void apply_coeff_lines(Sim *sim, const CoeffLine *cl, int n, const char *file, const char *where)
{
    for (int i = 0; i < n; i++) {
        const CoeffLine *l = &cl[i];
        if (l->kind == 4) {
            PairCoeff pc;
            memset(&pc, 0, sizeof pc);
            if (strncmp(l->style, "lj", 2) == 0 && l->nparam >= 2) { pc.form = SR_LJ; pc.eps = l->param[0]; pc.sigma = l->param[1]; }
            else if (strncmp(l->style, "buck", 4) == 0 && l->nparam >= 3) { pc.form = SR_BUCK; pc.a = l->param[0]; pc.rho = l->param[1]; pc.c = l->param[2]; }
            else error_all(FLERR, "%s: read_data: %s:%d: Pair Coeffs '# %s' with %d numbers: expected lj (EPS SIGMA) or buck (A RHO C)", where, file, l->line, l->style, l->nparam);
            snprintf(pc.source, sizeof pc.source, "%s:%d", file, l->line);
            sim->pair.coeff[l->type][l->type] = pc;
            sim->pair.coeff_set[l->type][l->type] = 1;
            continue;
        }
        const BondedStyle *st = bonded_style_find(l->kind, l->style);
        if (!st || st->nparam != l->nparam)
            error_all(FLERR, "%s: read_data: %s:%d: %s '%s' with %d numbers: expected %s", where, file, l->line, coeff_names[l->kind], l->style, l->nparam,
                      st ? st->params : "a supported style (harmonic for bonds, angles, impropers; opls for dihedrals), named in a '# style' comment on the section line");
        BondedCoeff *bc = &sim->topo.coeff[l->kind][l->type];
        bc->style = st;
        memcpy(bc->user, l->param, sizeof(double) * (size_t)l->nparam);
        st->prepare(bc->user, bc->p);
        snprintf(bc->source, sizeof bc->source, "%s:%d", file, l->line);
    }
}

void read_data(Sim *sim, const char *file, const char *where)
{
    DataFile d = {.path = file};
    DataContent c;
    memset(&c, 0, sizeof c);
    AtomRec *recs = NULL;
    TopoData topo;
    memset(&topo, 0, sizeof topo);
    CoeffLine *coeffs = NULL;
    Types types;
    memset(&types, 0, sizeof types);
    if (sim->rank == 0) {
        d.fp = fopen(file, "r");
        if (!d.fp) {
            snprintf(d.err, sizeof d.err, "cannot open '%s': %s", file, strerror(errno));
            d.failed = 1;
        } else {
            read_file(&d, &c, &types, &recs, &topo, &coeffs);
            fclose(d.fp);
        }
    }
    comm_bcast(sim->comm, &d.failed, sizeof d.failed, 0);
    if (d.failed) {
        comm_bcast(sim->comm, d.err, sizeof d.err, 0);
        error_all(FLERR, "%s: read_data: %s", where, d.err);
    }
    comm_bcast(sim->comm, &c, sizeof c, 0);
    comm_bcast(sim->comm, &types, sizeof types, 0);
    if (sim->rank != 0) recs = mem_alloc(sizeof *recs * (size_t)c.natoms, "data file atoms");
    comm_bcast(sim->comm, recs, sizeof *recs * (size_t)c.natoms, 0);
    for (int k = 0; k < 4; k++) {
        if (!c.ntopo[k]) continue;
        if (sim->rank != 0) {
            topo.type[k] = malloc(sizeof(int) * (size_t)c.ntopo[k]);
            topo.atoms[k] = malloc(sizeof(int64_t) * (size_t)c.ntopo[k] * (size_t)topo_natom[k]);
        }
        comm_bcast(sim->comm, topo.type[k], sizeof(int) * (size_t)c.ntopo[k], 0);
        comm_bcast(sim->comm, topo.atoms[k], sizeof(int64_t) * (size_t)c.ntopo[k] * (size_t)topo_natom[k], 0);
    }
    if (c.ncoeff) {
        if (sim->rank != 0) coeffs = malloc(sizeof *coeffs * (size_t)c.ncoeff);
        comm_bcast(sim->comm, coeffs, sizeof *coeffs * (size_t)c.ncoeff, 0);
    }

    sim->types = types;
    for (int k = 0; k < 3; k++) {
        sim->lo[k] = c.lo[k];
        sim->hi[k] = c.hi[k];
        sim->len[k] = c.hi[k] - c.lo[k];
    }
    sim->box_set = 1;
    sim->natoms = c.natoms;
    domain_setup(sim);

    /* topology: capacities, specials, bonded types and their atom-type names */
    int has_topo = c.ntopo[0] || c.ntopo[1] || c.ntopo[2] || c.ntopo[3];
    Specials sp;
    memset(&sp, 0, sizeof sp);
    int maxper[4] = {0, 0, 0, 0}, maxspecial = 0;
    Topology *T = &sim->topo;
    if (has_topo) {
        int *cnt = calloc((size_t)c.natoms + 1, sizeof(int));
        for (int k = 0; k < 4; k++) {
            T->ntypes[k] = c.ntopotypes[k];
            T->ntotal[k] = c.ntopo[k];
            free(T->coeff[k]);
            free(T->names[k]);
            T->coeff[k] = calloc((size_t)c.ntopotypes[k] + 1, sizeof(BondedCoeff));
            T->names[k] = calloc((size_t)c.ntopotypes[k] + 1, sizeof *T->names[k]);
            if (!c.ntopo[k]) continue;
            memset(cnt, 0, sizeof(int) * ((size_t)c.natoms + 1));
            for (int64_t m = 0; m < c.ntopo[k]; m++) {
                const int64_t *g = topo.atoms[k] + m * topo_natom[k];
                for (int q = 0; q < topo_natom[k]; q++)
                    if (++cnt[g[q] - 1] > maxper[k]) maxper[k] = cnt[g[q] - 1];
                int ty = topo.type[k][m];
                if (T->names[k][ty][0][0] == '\0')
                    for (int q = 0; q < topo_natom[k]; q++)
                        snprintf(T->names[k][ty][q], SIM_NAMELEN, "%s", types.name[recs[g[q] - 1].type]);
            }
        }
        free(cnt);
        build_specials(&c, &topo, &sp, &maxspecial);
        if (maxspecial == 0) maxspecial = 1; /* angles without bonds: keep the topology machinery on */
        int natom[4] = {2, 3, 4, 4};
        atoms_set_topology(&sim->atoms, natom, maxper, maxspecial);
        apply_coeff_lines(sim, coeffs, c.ncoeff, file, where);
    } else {
        apply_coeff_lines(sim, coeffs, c.ncoeff, file, where);
    }

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
        a->gmask[k] = 1; /* group 'all' */
        for (int dd = 0; dd < 3; dd++) {
            a->x[k][dd] = x[dd];
            a->v[k][dd] = r->v[dd];
            a->f[k][dd] = 0.0;
            a->image[k][dd] = im[dd];
        }
        if (has_topo) {
            for (int kk = 0; kk < 4; kk++)
                if (a->topo_maxper[kk]) a->topo_count[kk][k] = 0;
            int64_t g0 = r->gid - 1;
            int ns = (int)(sp.off[g0 + 1] - sp.off[g0]);
            for (int q = 0; q < 3; q++) a->nspecial[k][q] = sp.n[g0][q];
            memcpy(a->special + (size_t)k * (size_t)a->maxspecial, sp.gid + sp.off[g0], sizeof(int64_t) * (size_t)ns);
        }
    }
    if (has_topo) {
        /* store every interaction on each of its owned atoms */
        a->nghost = 0;
        topology_map_build(sim);
        for (int k = 0; k < 4; k++) {
            int na = topo_natom[k], per = a->topo_maxper[k];
            for (int64_t m = 0; m < c.ntopo[k]; m++) {
                const int64_t *g = topo.atoms[k] + m * na;
                for (int q = 0; q < na; q++) {
                    int i = topology_map_find(sim, g[q]);
                    if (i < 0 || i >= a->nlocal) continue;
                    int slot = a->topo_count[k][i]++;
                    a->topo_type[k][(size_t)i * (size_t)per + (size_t)slot] = topo.type[k][m];
                    memcpy(a->topo_gid[k] + ((size_t)i * (size_t)per + (size_t)slot) * (size_t)na, g, sizeof(int64_t) * (size_t)na);
                }
            }
        }
        if (sim->rank == 0) {
            printf("read_data %s: topology %lld bonds, %lld angles, %lld dihedrals, %lld impropers; up to %d 1-2/1-3/1-4 partners per atom\n",
                   file, (long long)c.ntopo[0], (long long)c.ntopo[1], (long long)c.ntopo[2], (long long)c.ntopo[3], maxspecial);
        }
    }
    free(sp.off);
    free(sp.gid);
    free(sp.n);
    for (int k = 0; k < 4; k++) { free(topo.type[k]); free(topo.atoms[k]); }
    free(coeffs);
    if (sim->rank == 0) free(recs);
    else mem_free(recs);
    int64_t nown = a->nlocal;
    comm_sum_int64(sim->comm, &nown, 1);
    if (nown != sim->natoms)
        error_all(FLERR, "%s: read_data %s: %lld atoms were assigned to ranks, expected %lld", where, file, (long long)nown, (long long)sim->natoms);
    sim->forces_ready = 0;
}
