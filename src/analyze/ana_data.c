/* ana_data.c - a small serial LAMMPS data-file reader for the analysis command.
 *
 * The engine's reader (read_data.c) distributes atoms over MPI ranks and builds the force
 * field's topology; the analysis needs only type names and masses, charges, molecule ids and
 * the box, on one process without MPI, so it reads the file itself. Lexical rules as LAMMPS
 * (shared/docs/reference/ecosystem.md section 3): the first line is a title; header lines
 * "N atoms", "N atom types", "xlo xhi" ...; a section starts with a line whose first
 * character is a letter; its "# comment" is the style hint (Atoms # full). */
#include "textfile.h"
#include "analyze/ana_data.h"
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    return -1;
}



void ana_data_free(AnaData *d)
{
    free(d->type_name);
    free(d->type_mass);
    free(d->type);
    free(d->mol);
    free(d->q);
    memset(d, 0, sizeof *d);
}

int ana_data_type_index(const AnaData *d, const char *name)
{
    for (int t = 0; t < d->ntypes; t++)
        if (strcmp(d->type_name[t], name) == 0) return t;
    char *end;
    long v = strtol(name, &end, 10);
    if (*end == '\0' && v >= 1 && v <= d->ntypes) return (int)v - 1;
    return -1;
}

int ana_data_read(const char *path, AnaData *d, char *err, size_t errlen)
{
    memset(d, 0, sizeof *d);
    FILE *fp = fopen(path, "r");
    if (!fp) return fail(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    char buf[4096], sec[128] = "", hint[64] = "";
    int line = 0, rc = 0, in_header = 1;
    double lo[3] = {0, 0, 0}, hi[3] = {0, 0, 0};
    int have_box[3] = {0, 0, 0};
    char *seen = NULL;
    int64_t nread = 0;
    while (fgets(buf, sizeof buf, fp)) {
        line++;
        if (line == 1) continue; /* title */
        char *comment = strchr(buf, '#');
        if (comment) *comment++ = '\0';
        char *p = buf;
        while (isspace((unsigned char)*p)) p++;
        if (!*p) continue;
        if (isalpha((unsigned char)*p)) { /* a section */
            char *e = p + strlen(p);
            while (e > p && isspace((unsigned char)e[-1])) *--e = '\0';
            snprintf(sec, sizeof sec, "%.127s", p);
            hint[0] = '\0';
            if (comment) {
                char *tok[2];
                if (textfile_split(comment, tok, 2) >= 1) snprintf(hint, sizeof hint, "%s", tok[0]);
            }
            if (in_header) {
                in_header = 0;
                if (d->natoms < 1 || d->ntypes < 1) { rc = fail(err, errlen, "%s:%d: section '%s' before the header gave 'N atoms' and 'N atom types'", path, line, sec); break; }
                for (int k = 0; k < 3; k++)
                    if (!have_box[k] || !(hi[k] > lo[k])) { rc = fail(err, errlen, "%s: the header has no valid '%s' box bounds", path, k == 0 ? "xlo xhi" : k == 1 ? "ylo yhi" : "zlo zhi"); break; }
                if (rc) break;
                d->type_name = calloc((size_t)d->ntypes, sizeof *d->type_name);
                d->type_mass = calloc((size_t)d->ntypes, sizeof(double));
                d->type = calloc((size_t)d->natoms, sizeof(int));
                d->mol = calloc((size_t)d->natoms, sizeof(int));
                d->q = calloc((size_t)d->natoms, sizeof(double));
                seen = calloc((size_t)d->natoms, 1);
                if (!d->type_name || !d->type_mass || !d->type || !d->mol || !d->q || !seen) { rc = fail(err, errlen, "%s: out of memory for %lld atoms", path, (long long)d->natoms); break; }
                for (int t = 0; t < d->ntypes; t++) snprintf(d->type_name[t], ANA_NAMELEN, "%d", t + 1);
                for (int k = 0; k < 3; k++) {
                    d->lo[k] = lo[k];
                    d->len[k] = hi[k] - lo[k];
                }
            }
            continue;
        }
        char *tok[16];
        int n = textfile_split(p, tok, 16);
        if (in_header) {
            double v;
            if (n == 2 && strcmp(tok[1], "atoms") == 0 && textfile_double(tok[0], &v)) d->natoms = (int64_t)v;
            else if (n == 3 && strcmp(tok[1], "atom") == 0 && strcmp(tok[2], "types") == 0 && textfile_double(tok[0], &v)) d->ntypes = (int)v;
            else if (n == 4 && tok[3][1] == 'h' && tok[3][2] == 'i' && tok[2][1] == 'l' && tok[2][2] == 'o' && tok[2][0] == tok[3][0] &&
                     tok[2][0] >= 'x' && tok[2][0] <= 'z') {
                int k = tok[2][0] - 'x';
                if (!textfile_double(tok[0], &lo[k]) || !textfile_double(tok[1], &hi[k])) { rc = fail(err, errlen, "%s:%d: box bounds: expected two numbers", path, line); break; }
                have_box[k] = 1;
            } else if (n == 6 && strcmp(tok[3], "xy") == 0) {
                double t1, t2, t3;
                if (!textfile_double(tok[0], &t1) || !textfile_double(tok[1], &t2) || !textfile_double(tok[2], &t3) || t1 != 0 || t2 != 0 || t3 != 0) { rc = fail(err, errlen, "%s:%d: a triclinic box is not supported", path, line); break; }
            }
            continue;
        }
        if (strcmp(sec, "Masses") == 0) {
            double t, m;
            if (n < 2 || !textfile_double(tok[0], &t) || !textfile_double(tok[1], &m) || t < 1 || t > d->ntypes || t != floor(t)) { rc = fail(err, errlen, "%s:%d: Masses: expected 'type mass [# Name]' with type 1..%d", path, line, d->ntypes); break; }
            d->type_mass[(int)t - 1] = m;
            char *ct[2];
            if (comment && textfile_split(comment, ct, 2) >= 1) snprintf(d->type_name[(int)t - 1], ANA_NAMELEN, "%s", ct[0]);
        } else if (strcmp(sec, "Atom Type Labels") == 0) {
            double t;
            if (n < 2 || !textfile_double(tok[0], &t) || t < 1 || t > d->ntypes || t != floor(t)) { rc = fail(err, errlen, "%s:%d: Atom Type Labels: expected 'type label' with type 1..%d", path, line, d->ntypes); break; }
            snprintf(d->type_name[(int)t - 1], ANA_NAMELEN, "%s", tok[1]);
        } else if (strcmp(sec, "Atoms") == 0) {
            int full;
            if (strcmp(hint, "full") == 0) full = 1;
            else if (strcmp(hint, "charge") == 0) full = 0;
            else if (hint[0]) { rc = fail(err, errlen, "%s:%d: Atoms # %s: expected atom_style full or charge", path, line, hint); break; }
            else full = (n == 7 || n == 10);
            int want = full ? 7 : 6;
            if (n != want && n != want + 3) { rc = fail(err, errlen, "%s:%d: Atoms (%s): expected %d or %d columns, got %d", path, line, full ? "full" : "charge", want, want + 3, n); break; }
            double v[10];
            for (int c = 0; c < n; c++)
                if (!textfile_double(tok[c], &v[c])) { rc = fail(err, errlen, "%s:%d: Atoms: column %d '%s' is not a number", path, line, c + 1, tok[c]); break; }
            if (rc) break;
            int64_t id = (int64_t)v[0];
            int type = (int)v[full ? 2 : 1];
            if (id < 1 || id > d->natoms || seen[id - 1]) { rc = fail(err, errlen, "%s:%d: Atoms: atom id %lld outside 1..%lld or repeated", path, line, (long long)id, (long long)d->natoms); break; }
            if (type < 1 || type > d->ntypes) { rc = fail(err, errlen, "%s:%d: Atoms: type %d outside 1..%d", path, line, type, d->ntypes); break; }
            seen[id - 1] = 1;
            nread++;
            d->type[id - 1] = type - 1;
            d->mol[id - 1] = full ? (int)v[1] : 0;
            d->q[id - 1] = v[full ? 3 : 2];
            d->has_mol = full;
        }
        /* other sections (Velocities, Bonds, Coeffs ...) are not needed */
    }
    fclose(fp);
    free(seen);
    if (!rc && in_header) rc = fail(err, errlen, "%s: no Atoms section", path);
    if (!rc && nread != d->natoms) rc = fail(err, errlen, "%s: the Atoms section has %lld of the %lld atoms", path, (long long)nread, (long long)d->natoms);
    if (rc) ana_data_free(d);
    return rc;
}
