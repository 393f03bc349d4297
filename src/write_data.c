/* write_data.c - the current state as a LAMMPS data file (units real, atom_style full).
 *
 * What is written (LAMMPS doc/src/read_data.rst; shared/docs/reference/ecosystem.md 3):
 *   title line: "LAMMPS data file via neckmd VERSION KIND, step S, time T fs"
 *   caller comment lines (restart state), then the header: N atoms, N atom types, the
 *   topology counts (write_data_topology), xlo xhi / ylo yhi / zlo zhi;
 *   Masses with the type names as '# Name' comments (numeric types: Debian's LAMMPS and
 *   MDAnalysis refuse Atom Type Labels), Atoms # full with image flags, Velocities (A/fs),
 *   the topology sections, then caller comment lines.
 * Numbers: the shorter of %.15g and %.17g that reads back to the same double, so a data file
 * (and a restart) gives back positions, velocities, charges and the box bit for bit while
 * round numbers stay short (1.29, not 1.2900000000000000).
 * Atoms are visited in id order through gather_by_id (bounded memory on rank 0), one pass per
 * section. The file is written as FILE.tmp and renamed over FILE only when complete. */
#include "write_data.h"
#include "comm.h"
#include "config.h"
#include "domain.h"
#include "error.h"
#include "gather.h"
#include "sim.h"
#include "topology.h"
#include "bonded.h"
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *write_data_format_double(char *buf, double v)
{
    snprintf(buf, 32, "%.15g", v);
    if (strtod(buf, NULL) != v) snprintf(buf, 32, "%.17g", v);
    return buf;
}

/* One bonded interaction as written: type (0-based) and its atoms' ids. */
typedef struct TopoLine {
    int64_t gid[4];
    int type;
    int pad;
} TopoLine;

static int cmp_topo(const void *p, const void *q)
{
    const TopoLine *a = p, *b = q;
    for (int k = 0; k < 4; k++)
        if (a->gid[k] != b->gid[k]) return (a->gid[k] > b->gid[k]) - (a->gid[k] < b->gid[k]);
    return (a->type > b->type) - (a->type < b->type);
}

static const char *const topo_section[4] = {"Bonds", "Angles", "Dihedrals", "Impropers"};
static const char *const topo_word[4] = {"bond", "angle", "dihedral", "improper"};
static const char *const coeff_section[4] = {"Bond Coeffs", "Angle Coeffs", "Dihedral Coeffs", "Improper Coeffs"};

void write_data_topology(Sim *sim, FILE *fp, WriteDataPart part)
{
    /* Header: the counts. Sections: the coefficients of every bonded type that has them
     * (with the style as a '# style' comment, which read_data understands), then each
     * interaction once. An interaction is written by the rank owning its first listed atom;
     * all are gathered on rank 0 (memory O(number of interactions) there), sorted by their
     * atom ids so the file does not depend on the decomposition, and numbered 1..N. */
    if (!topology_present(sim)) return;
    const Topology *T = &sim->topo;
    const Atoms *a = &sim->atoms;
    if (part == WRITE_DATA_HEADER) {
        if (!fp) return;
        for (int k = 0; k < 4; k++) {
            if (!T->ntypes[k]) continue;
            fprintf(fp, "%lld %ss\n%d %s types\n", (long long)T->ntotal[k], topo_word[k], T->ntypes[k], topo_word[k]);
        }
        return;
    }
    /* Pair Coeffs for the like pairs when they share one form (cross pairs come back from the
     * mixing rule or the deck's forcefield files, which a restarted deck repeats) */
    if (fp) {
        int form = sim->pair.coeff_set[0][0] ? (int)sim->pair.coeff[0][0].form : -1;
        for (int t = 0; t < sim->types.ntypes; t++)
            if (!sim->pair.coeff_set[t][t] || (int)sim->pair.coeff[t][t].form != form) form = -1;
        if (form == SR_LJ || form == SR_BUCK) {
            char b[3][32];
            fprintf(fp, "\nPair Coeffs # %s\n\n", form == SR_LJ ? "lj/cut/coul/long" : "buck/coul/long");
            for (int t = 0; t < sim->types.ntypes; t++) {
                const PairCoeff *c = &sim->pair.coeff[t][t];
                if (form == SR_LJ) fprintf(fp, "%d %s %s\n", t + 1, write_data_format_double(b[0], c->eps), write_data_format_double(b[1], c->sigma));
                else fprintf(fp, "%d %s %s %s\n", t + 1, write_data_format_double(b[0], c->a), write_data_format_double(b[1], c->rho), write_data_format_double(b[2], c->c));
            }
        }
    }
    for (int k = 0; k < 4; k++) {
        if (!T->ntotal[k]) continue;
        int na = a->topo_natom[k], per = a->topo_maxper[k];
        if (fp) {
            int any = 0;
            for (int ty = 0; ty < T->ntypes[k]; ty++) any |= T->coeff[k][ty].style != NULL;
            if (any) {
                fprintf(fp, "\n%s # %s\n\n", coeff_section[k], T->coeff[k][0].style ? T->coeff[k][0].style->name : (k == 2 ? "opls" : "harmonic"));
                for (int ty = 0; ty < T->ntypes[k]; ty++) {
                    const BondedCoeff *c = &T->coeff[k][ty];
                    if (!c->style) continue;
                    char b[32];
                    fprintf(fp, "%d", ty + 1);
                    for (int q = 0; q < c->style->nparam; q++) fprintf(fp, " %s", write_data_format_double(b, c->user[q]));
                    fprintf(fp, "\n");
                }
            }
        }
        size_t n = 0, cap = 64;
        TopoLine *mine = malloc(sizeof *mine * cap);
        for (int i = 0; i < a->nlocal; i++)
            for (int m = 0; m < a->topo_count[k][i]; m++) {
                const int64_t *g = a->topo_gid[k] + ((size_t)i * (size_t)per + (size_t)m) * (size_t)na;
                if (g[0] != a->gid[i]) continue; /* written by the owner of its first atom */
                if (n == cap) { cap *= 2; mine = realloc(mine, sizeof *mine * cap); }
                TopoLine *t = &mine[n++];
                memset(t, 0, sizeof *t);
                memcpy(t->gid, g, sizeof(int64_t) * (size_t)na);
                t->type = a->topo_type[k][(size_t)i * (size_t)per + (size_t)m];
            }
        size_t total = comm_sum_size(sim->comm, sizeof(TopoLine) * n);
        TopoLine *all = NULL;
        size_t *counts = NULL;
        if (sim->rank == 0) {
            all = malloc(total + sizeof(TopoLine));
            counts = malloc(sizeof(size_t) * (size_t)sim->nranks);
        }
        comm_gatherv_bytes(sim->comm, mine, sizeof(TopoLine) * n, all, counts, 0);
        if (sim->rank == 0 && fp) {
            size_t m = total / sizeof(TopoLine);
            qsort(all, m, sizeof(TopoLine), cmp_topo);
            fprintf(fp, "\n%s\n\n", topo_section[k]);
            for (size_t q = 0; q < m; q++) {
                fprintf(fp, "%zu %d", q + 1, all[q].type + 1);
                for (int c = 0; c < na; c++) fprintf(fp, " %lld", (long long)all[q].gid[c]);
                fprintf(fp, "\n");
            }
        }
        free(mine);
        free(all);
        free(counts);
    }
}

/* ---- per-atom payloads ---- */
typedef struct AtomLine {
    double q, x[3];
    int type, mol, image[3];
} AtomLine;

typedef struct Writer {
    FILE *fp;              /* rank 0 */
} Writer;

static void pack_atom(const Sim *sim, int i, void *out, void *ctx)
{
    const Atoms *a = &sim->atoms;
    AtomLine r;
    memset(&r, 0, sizeof r);
    r.q = a->q[i];
    r.type = a->type[i];
    r.mol = a->mol[i];
    memcpy(r.x, a->x[i], sizeof r.x);
    memcpy(r.image, a->image[i], sizeof r.image);
    domain_wrap(sim, r.x, r.image); /* between neighbour builds atoms may sit outside the box */
    memcpy(out, &r, sizeof r);
}

static void write_atoms(Sim *sim, int64_t gid0, int64_t n, const void *payloads, void *ctx)
{
    Writer *w = ctx;
    if (!w->fp) return;
    char b[5][32];
    for (int64_t k = 0; k < n; k++) {
        AtomLine r;
        memcpy(&r, (const char *)payloads + sizeof r * (size_t)k, sizeof r);
        fprintf(w->fp, "%lld %d %d %s %s %s %s %d %d %d\n", (long long)(gid0 + k), r.mol, r.type + 1,
                write_data_format_double(b[0], r.q), write_data_format_double(b[1], r.x[0]),
                write_data_format_double(b[2], r.x[1]), write_data_format_double(b[3], r.x[2]),
                r.image[0], r.image[1], r.image[2]);
    }
}

static void pack_vel(const Sim *sim, int i, void *out, void *ctx) { memcpy(out, sim->atoms.v[i], sizeof(double) * 3); }

static void write_vel(Sim *sim, int64_t gid0, int64_t n, const void *payloads, void *ctx)
{
    Writer *w = ctx;
    if (!w->fp) return;
    char b[3][32];
    for (int64_t k = 0; k < n; k++) {
        double v[3];
        memcpy(v, (const char *)payloads + sizeof v * (size_t)k, sizeof v);
        fprintf(w->fp, "%lld %s %s %s\n", (long long)(gid0 + k), write_data_format_double(b[0], v[0]),
                write_data_format_double(b[1], v[1]), write_data_format_double(b[2], v[2]));
    }
}

void write_data_with(Sim *sim, const char *path, const char *where, const WriteDataOptions *opt)
{
    if (!sim->box_set) error_all(FLERR, "%s: %s: no system yet (read_data or read_restart first)", where, opt->kind);

    const Types *t = &sim->types;
    int all_masses = 1;
    for (int k = 0; k < t->ntypes; k++) all_masses = all_masses && t->mass_set[k];
    char tmp[1100], err[1400] = "";
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    Writer w = {NULL};
    if (sim->rank == 0) {
        w.fp = fopen(tmp, "w");
        if (!w.fp) snprintf(err, sizeof err, "%s: %s: cannot write '%s': %s", where, opt->kind, tmp, strerror(errno));
    }
    /* an unopened file is everyone's error before any collective work */
    comm_bcast(sim->comm, err, sizeof err, 0);
    if (err[0]) error_all(FLERR, "%s", err);
    char b[6][32];
    if (w.fp) {
        fprintf(w.fp, "LAMMPS data file via neckmd %s %s, step %lld, time %s fs (units real, atom_style full)\n",
                PACKAGE_VERSION, opt->kind, (long long)sim->step, write_data_format_double(b[0], sim->time_fs));
    }
    if (opt->header) opt->header(sim, w.fp, opt->ctx);
    if (w.fp) {
        fprintf(w.fp, "\n%lld atoms\n%d atom types\n", (long long)sim->natoms, t->ntypes);
    }
    write_data_topology(sim, w.fp, WRITE_DATA_HEADER);
    if (w.fp) {
        fprintf(w.fp, "\n");
        for (int d = 0; d < 3; d++)
            fprintf(w.fp, "%s %s %clo %chi\n", write_data_format_double(b[0], sim->lo[d]), write_data_format_double(b[1], sim->hi[d]), 'x' + d, 'x' + d);
        if (all_masses) {
            fprintf(w.fp, "\nMasses\n\n");
            for (int k = 0; k < t->ntypes; k++) fprintf(w.fp, "%d %s # %s\n", k + 1, write_data_format_double(b[0], t->mass[k]), t->name[k]);
        }
        fprintf(w.fp, "\nAtoms # full\n\n");
    }
    if (!all_masses && !opt->header)
        error_warn("%s: write_data %s: some atom types have no mass yet, so the file has no Masses section and the type names are lost", where, path);
    gather_by_id(sim, sizeof(AtomLine), 0, pack_atom, write_atoms, &w);
    if (w.fp) fprintf(w.fp, "\nVelocities\n\n");
    gather_by_id(sim, sizeof(double) * 3, 0, pack_vel, write_vel, &w);
    write_data_topology(sim, w.fp, WRITE_DATA_SECTIONS);
    if (opt->tail) opt->tail(sim, w.fp, opt->ctx);
    if (w.fp) {
        int bad = fflush(w.fp) != 0 || ferror(w.fp);
        if (!bad && opt->sync) bad = fsync(fileno(w.fp)) != 0;
        if (fclose(w.fp) != 0) bad = 1;
        if (bad) snprintf(err, sizeof err, "%s: %s: error writing '%s': %s (the previous '%s', if any, is kept)", where, opt->kind, tmp, strerror(errno), path);
        else if (rename(tmp, path) != 0) snprintf(err, sizeof err, "%s: %s: cannot rename '%s' to '%s': %s", where, opt->kind, tmp, path, strerror(errno));
    }
    comm_bcast(sim->comm, err, sizeof err, 0);
    if (err[0]) error_all(FLERR, "%s", err);
}

void write_data(Sim *sim, const char *path, const char *where)
{
    WriteDataOptions opt = {"write_data", NULL, NULL, NULL, 0};
    write_data_with(sim, path, where, &opt);
}
