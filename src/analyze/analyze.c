/* analyze.c - `neckmd analyze TRAJ.nc DATA.data [options] -o OUT.csv`: the curves of the
 * oriented-attachment paper (shared/docs/science.md), per trajectory frame, in C.
 *
 * What is measured (docs/analysis.md has every column and option):
 *  - NCs: the atoms whose type is named Pb or Se (--nc-types). NC ids per atom come from
 *    --ncid FILE ("atom_id nc_id" lines), --ncid mol (molecule ids), or by default from the
 *    connected components of the Pb/Se atoms at the first frame with a 4 A cutoff (periodic,
 *    union-find over a cell list); components smaller than --nc-min atoms are not NCs.
 *  - Centres: centre of mass of each NC's Pb/Se atoms. Every atom is unwrapped to the image
 *    nearest the NC's previous centre (first frame: the circular mean per axis, then the
 *    centre of mass, twice), so an NC split by the periodic boundary is whole and the centre
 *    path is continuous across frames.
 *  - Pairs: neighbouring NCs at the first frame (centre distance <= --pair-factor x the
 *    nearest-neighbour distance of either NC); per-pair columns are written for them.
 *  - Gap between the facing atomic planes along the centre-centre axis u. The atoms of each
 *    NC are projected on u; the facing plane is the outermost group of >= --plane-min atoms
 *    within --plane-width (0.5 A) of an extreme projection, re-centred on its own mean
 *    (atoms within +-0.5 A of the mean, 3 times, so a thermally rough plane is averaged, not
 *    its outermost atom). The gap is the distance between the two planes. Not centre
 *    distance minus diameter (the paper's warning: NC shape and size spread make that wrong).
 *    When a neck exists, the atoms of the neck's footprint (a cylinder along u through the
 *    neck atoms' centroid, radius = their largest distance from it + d200/2) are left out of
 *    the plane search, so the gap is still that between the facets beside the neck; if no
 *    plane is left (the neck is as wide as the facet) all atoms are used.
 *  - Orientation: ana_orient_fit on the nearest-neighbour Pb-Se bonds of each NC (the <100>
 *    axes), started from the previous frame's axes; misalignment = the cubic misorientation
 *    angle between the two NCs of a pair; nc rotation = the same angle against its own
 *    first-frame axes.
 *  - Dipole: p = sum q_i (r_i - centre) over the NC's Pb/Se atoms with the data file's
 *    charges (e A; 1 e A = 4.80320 D, CODATA 2018 e and c).
 *  - Ligands in the gap: atoms of ligand types (names starting with --ligand, default OL_)
 *    strictly between the two facing planes and within the facets' cross-section radius
 *    (sqrt(2 <rho^2>) of the facing-plane atoms about the axis, rho the distance from it:
 *    the radius of a disk with that second moment; the smaller of the two NCs); the mean angle
 *    between u and the end-to-end vector (first to last atom, by id, of each molecule with an
 *    atom in the gap): 90 deg = lying flat in the gap, 0 = spanning it.
 *  - Neck: a bridge is a pair of atoms, one from each NC, closer than --bond-cut (3.8 A,
 *    between the Pb-Se bond 3.06 A and the second neighbour 4.33 A) that share a Voronoi
 *    face; its atoms are the neck atoms. The cells are computed one at a time with Voro++
 *    (voro_cell_compute) for the atoms in contact, among the Pb/Se atoms of the two NCs. A
 *    plain Voronoi tessellation of two NCs in vacuum always has a closed interface between
 *    them, however far apart, and the cell of an atom at a free surface reaches into the
 *    vacuum (the 3x3 neck's area would come out 2.6 times too large); so each empty nearest-
 *    neighbour lattice site of the atom (+-d200 along its NC's <100> axes, no atom within
 *    d200/2) gets a virtual neighbour, which closes the cell as a bulk neighbour would, and
 *    the cell is clipped to a cube of half-width --cap (0.75 d200) in the NC's frame as a
 *    safety net. In a perfect lattice every cell is then the bulk cube, so an n x n neck has
 *    the area (n d200)^2 exactly; with thermal noise the cells of the interior are plain
 *    Voronoi cells. (Rejected: clipping with a cube alone - at half-width 0.52 d200 a thermal
 *    interface (0.1 A noise) keeps 76 % of its area, at 0.6 d200, enough for it, the 3x3
 *    neck's rim makes its area 14 % too large: docs/analysis.md.) A face counts if both cells
 *    have it (its area is the smaller of the two). Neck area = the faces between neck atoms
 *    of the two NCs (second-neighbour faces included: with thermal motion part of the
 *    interface goes to them) projected on the plane normal to the axis, i.e. the neck's
 *    cross-section (a rough
 *    interface has more face area than cross-section; the raw sum is written too). Width =
 *    2 sqrt(A/pi) (equivalent circle), side = sqrt(A) (equivalent square: the paper's 3x3
 *    nucleus, 0.9 nm). Length = the number of {200} layers that fill the gap, gap/d200 - 1,
 *    while bridges exist (the paper's 6.7 - 6.1 nm = 2 layers; the axial extent of the
 *    bridging atoms themselves is always one bond, whatever the neck's length). Filament
 *    events: the bridge count going 0 -> >0 -> 0 (counted when it breaks).
 *  - Superlattice angles: for each NC i and two of its first-frame neighbours k, l whose
 *    angle k-i-l is below 150 deg at the first frame, the angle between the centre-centre
 *    vectors (60/120 deg in a hexagonal layer; 90 in a square one).
 *
 * Performance: one cell-list pass over the NC atoms per frame finds the bonds (orientation)
 * and the inter-NC contacts (neck candidates); Voronoi cells are computed only for the
 * contact atoms; the plane search sorts only the outer three layers. A 10^6-atom frame
 * takes under a second (docs/analysis.md). Rejected: a periodic Voro++ tessellation of all
 * NC atoms (voro_periodic) - it costs the whole NC volume every frame and, in vacuum, gives
 * an interface between any two NCs at any distance (see above). */
#include "analyze/analyze.h"
#include "analyze/ana_data.h"
#include "analyze/ana_geom.h"
#include "analyze/ana_traj.h"
#include "units.h"
#include "voro_wrap.h"
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EA_TO_DEBYE 4.80320471 /* 1 e A in D: e = 1.602176634e-19 C, 1 D = 1e-21/c C m (CODATA 2018) */
#define MAXNCTYPES 8
#define BRIDGE_MIN_AREA 0.01 /* A^2: smaller shared faces (round-off slivers) are not bridges */

typedef struct Opts {
    const char *traj, *data, *out, *ncid;
    char nc_types[MAXNCTYPES][ANA_NAMELEN];
    int n_nc_types;
    char ligand[ANA_NAMELEN];
    double cluster_cut, bond_cut, d200, plane_width, cap, pair_factor;
    int plane_min, nc_min, every, quiet;
    long first, last;
} Opts;

typedef struct Pair {
    int a, b;
    int seen_zero, in_run, run_after_zero, events; /* filament bookkeeping */
} Pair;

typedef struct Angle {
    int k, i, l; /* angle k-i-l at NC i */
} Angle;

typedef struct Contact {
    int i, j;
} Contact;

typedef struct Face {
    int i, j;    /* i < j */
    double area; /* A^2, from one side */
    int side;    /* 0: from i's cell, 1: from j's */
    int bonded;  /* closer than --bond-cut */
} Face;

typedef struct PairResult {
    double dist, gap, misalign, lig_angle, area, faces, len_layers;
    int lig_atoms, lig_mols, nbridge, nbatoms;
} PairResult;

typedef struct Ana {
    Opts o;
    AnaData data;
    AnaTraj *traj;
    int N;
    double *x;            /* current frame, 3N, A */
    double *xu;           /* NC atoms: unwrapped next to their NC's centre, 3N */
    double lo[3], len[3]; /* box, A */
    signed char *species; /* index in nc_types, -1 if not an NC type */
    char *is_lig;
    int *nc_of;           /* NC index per atom, -1 */
    int nnc;
    int *nc_start, *nc_atom; /* atoms of each NC */
    double *cen;          /* 3 per NC, A */
    double *R, *R0;       /* 9 per NC */
    double *orient_rms;   /* deg per NC */
    double *dip;          /* 3 per NC, e A */
    int npair;
    Pair *pair;
    int *pair_of;         /* nnc*nnc -> pair index or -1 */
    int nang;
    Angle *ang;
    int nmol;
    int *mol_first, *mol_last; /* ligand molecules: first and last atom */
    int *lig_mol;         /* molecule index per ligand atom */
    int *lig_atoms, nlig;
    /* per-frame scratch */
    AnaCells cells;
    int *nc_list, n_nc_list;
    double *bonds;        /* 3 per bond, grouped by NC */
    int *nbond, *bond_cap;
    double **bond_of;
    Contact *contact;
    int ncontact, contact_cap;
    VoroCell *vc;
    int *stamp, stamp_val;
    char *mol_mark;
    PairResult *res;
    FILE *csv;
} Ana;

void analyze_usage(FILE *fp)
{
    fprintf(fp,
            "usage: neckmd analyze TRAJ.nc DATA.data [options] -o OUT.csv\n"
            "  per-frame NC centres, dipoles, gaps, misalignment, ligands in the gap, necks, superlattice angles\n"
            "  (docs/analysis.md lists every column)\n"
            "  -o FILE            output CSV (required)\n"
            "  --ncid FILE|mol    NC id per atom: FILE of 'atom_id nc_id' lines, or the data file's molecule ids;\n"
            "                     default: clusters of Pb/Se atoms at the first frame (--cluster-cut)\n"
            "  --nc-types A,B     type names of the NC atoms (default Pb,Se; bonds join different types)\n"
            "  --ligand PREFIX    ligand types: names starting with PREFIX (default OL_)\n"
            "  --cluster-cut R    A, clustering cutoff (default 4.0)\n"
            "  --nc-min N         smallest cluster counted as an NC (default 20 atoms)\n"
            "  --bond-cut R       A, Pb-Se bonds and bridges (default 3.8)\n"
            "  --d200 D           A, {200} spacing (default 3.06)\n"
            "  --cap H            A, half-width of the cube clipping each Voronoi cell (default 0.75 d200)\n"
            "  --plane-width W    A, facing-plane window (default 0.5)\n"
            "  --plane-min N      fewest atoms in a facing plane (default 4)\n"
            "  --pair-factor F    NC pairs: centre distance <= F x nearest-neighbour distance (default 1.3)\n"
            "  --first F --last F --every N   frames (0-based, inclusive; default all)\n"
            "  --quiet            no progress output\n");
}

static int err_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int err_out(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "neckmd analyze: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    return 1;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static double dot3(const double *a, const double *b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
/* for printing: round-off around zero is printed as 0, not -0.0000 */
static double cz(double v) { return fabs(v) < 5e-9 ? 0.0 : v; }

/* ---- options ---- */
static int parse_num(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return s[0] && *end == '\0' && errno == 0 && isfinite(*v);
}

static int parse_opts(int argc, char **argv, Opts *o)
{
    memset(o, 0, sizeof *o);
    snprintf(o->nc_types[0], ANA_NAMELEN, "Pb");
    snprintf(o->nc_types[1], ANA_NAMELEN, "Se");
    o->n_nc_types = 2;
    snprintf(o->ligand, sizeof o->ligand, "OL_");
    o->cluster_cut = 4.0;
    o->bond_cut = 3.8;
    o->d200 = 3.06;
    o->plane_width = 0.5;
    o->cap = -1;
    o->pair_factor = 1.3;
    o->plane_min = 4;
    o->nc_min = 20;
    o->every = 1;
    o->first = 0;
    o->last = -1;
    int npos = 0;
    for (int k = 0; k < argc; k++) {
        const char *a = argv[k];
        const char *val = k + 1 < argc ? argv[k + 1] : NULL;
        double v;
#define NEED_VAL()                                                                       \
    do {                                                                                 \
        if (!val) return err_out("option %s needs a value (neckmd analyze --help)", a);  \
        k++;                                                                             \
    } while (0)
#define NUM_OPT(name, field, cond, what)                                                                           \
    if (strcmp(a, name) == 0) {                                                                                    \
        NEED_VAL();                                                                                                \
        if (!parse_num(val, &v) || !(cond)) return err_out("option %s: '%s' is not %s", a, val, what);             \
        field = v;                                                                                                 \
        continue;                                                                                                  \
    }
        if (strcmp(a, "-o") == 0 || strcmp(a, "--out") == 0) {
            NEED_VAL();
            o->out = val;
            continue;
        }
        if (strcmp(a, "--ncid") == 0) {
            NEED_VAL();
            o->ncid = val;
            continue;
        }
        if (strcmp(a, "--ligand") == 0) {
            NEED_VAL();
            snprintf(o->ligand, sizeof o->ligand, "%s", val);
            continue;
        }
        if (strcmp(a, "--nc-types") == 0) {
            NEED_VAL();
            char buf[256];
            snprintf(buf, sizeof buf, "%s", val);
            o->n_nc_types = 0;
            for (char *t = strtok(buf, ","); t; t = strtok(NULL, ",")) {
                if (o->n_nc_types == MAXNCTYPES) return err_out("--nc-types: at most %d names", MAXNCTYPES);
                snprintf(o->nc_types[o->n_nc_types++], ANA_NAMELEN, "%s", t);
            }
            if (o->n_nc_types < 1) return err_out("--nc-types: expected names like Pb,Se");
            continue;
        }
        if (strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
            continue;
        }
        NUM_OPT("--cluster-cut", o->cluster_cut, v > 0 && v < 50, "a distance in (0, 50) A")
        NUM_OPT("--bond-cut", o->bond_cut, v > 0 && v < 50, "a distance in (0, 50) A")
        NUM_OPT("--d200", o->d200, v > 0.5 && v < 20, "a spacing in (0.5, 20) A")
        NUM_OPT("--cap", o->cap, v > 0 && v < 20, "a half-width in (0, 20) A")
        NUM_OPT("--plane-width", o->plane_width, v > 0 && v < 10, "a width in (0, 10) A")
        NUM_OPT("--plane-min", o->plane_min, v >= 1 && v < 1e9 && v == floor(v), "a positive integer")
        NUM_OPT("--nc-min", o->nc_min, v >= 1 && v < 1e9 && v == floor(v), "a positive integer")
        NUM_OPT("--pair-factor", o->pair_factor, v >= 1, "a factor >= 1")
        NUM_OPT("--first", o->first, v >= 0 && v == floor(v), "a frame index >= 0")
        NUM_OPT("--last", o->last, v >= 0 && v == floor(v), "a frame index >= 0")
        NUM_OPT("--every", o->every, v >= 1 && v < 1e9 && v == floor(v), "a positive integer")
        if (a[0] == '-' && a[1]) return err_out("unknown option '%s' (neckmd analyze --help)", a);
        if (npos == 0) o->traj = a;
        else if (npos == 1) o->data = a;
        else return err_out("unexpected argument '%s' (usage: neckmd analyze TRAJ.nc DATA.data [options] -o OUT.csv)", a);
        npos++;
    }
    if (!o->traj || !o->data || !o->out) {
        analyze_usage(stderr);
        return 2;
    }
    if (o->cap < 0) o->cap = 0.75 * o->d200;
    return 0;
}

/* ---- NC identification (first analysed frame) ---- */
static int uf_find(int *p, int i)
{
    while (p[i] != i) {
        p[i] = p[p[i]];
        i = p[i];
    }
    return i;
}

/* nc_of from clusters of the NC-type atoms; returns 0 or 1 on error */
static int identify_clusters(Ana *s)
{
    int n = s->n_nc_list;
    int *parent = malloc(sizeof(int) * (size_t)s->N);
    for (int k = 0; k < n; k++) parent[s->nc_list[k]] = s->nc_list[k];
    AnaCells c = {0};
    ana_cells_build(&c, n, s->nc_list, s->x, s->lo, s->len, s->o.cluster_cut);
    int near[1024];
    double rc2 = s->o.cluster_cut * s->o.cluster_cut;
    for (int k = 0; k < n; k++) {
        int i = s->nc_list[k];
        int nn = ana_cells_near(&c, s->x + 3 * (size_t)i, s->o.cluster_cut, near, 1024);
        for (int m = 0; m < nn; m++)
            for (int q = c.start[near[m]]; q < c.start[near[m] + 1]; q++) {
                int j = c.atom[q];
                if (j <= i) continue;
                double d[3];
                ana_minimg(s->x + 3 * (size_t)i, s->x + 3 * (size_t)j, s->len, d);
                if (dot3(d, d) < rc2) {
                    int ri = uf_find(parent, i), rj = uf_find(parent, j);
                    if (ri != rj) parent[ri > rj ? ri : rj] = ri < rj ? ri : rj;
                }
            }
    }
    ana_cells_free(&c);
    /* roots are the smallest index of each cluster; count sizes */
    int *size = calloc((size_t)s->N, sizeof(int));
    for (int k = 0; k < n; k++) size[uf_find(parent, s->nc_list[k])]++;
    int *id_of_root = malloc(sizeof(int) * (size_t)s->N);
    int nsmall = 0, small_atoms = 0;
    s->nnc = 0;
    for (int k = 0; k < n; k++) { /* nc_list is in index order: NCs numbered by their smallest atom id */
        int i = s->nc_list[k];
        if (parent[i] != i) continue;
        if (size[i] >= s->o.nc_min) id_of_root[i] = s->nnc++;
        else {
            id_of_root[i] = -1;
            nsmall++;
            small_atoms += size[i];
        }
    }
    for (int k = 0; k < n; k++) {
        int i = s->nc_list[k];
        s->nc_of[i] = id_of_root[uf_find(parent, i)];
    }
    if (nsmall && !s->o.quiet)
        fprintf(stderr, "neckmd analyze: %d clusters of fewer than %d Pb/Se atoms (%d atoms) are not NCs (--nc-min)\n", nsmall, s->o.nc_min,
                small_atoms);
    free(parent);
    free(size);
    free(id_of_root);
    return 0;
}

static int identify_from_ids(Ana *s, const int *raw) /* raw id per atom (<= 0: none) */
{
    /* renumber the distinct positive ids in increasing order */
    int maxid = 0;
    for (int k = 0; k < s->n_nc_list; k++)
        if (raw[s->nc_list[k]] > maxid) maxid = raw[s->nc_list[k]];
    int *map = calloc((size_t)maxid + 2, sizeof(int));
    for (int k = 0; k < s->n_nc_list; k++)
        if (raw[s->nc_list[k]] > 0) map[raw[s->nc_list[k]]] = 1;
    s->nnc = 0;
    for (int v = 1; v <= maxid; v++) map[v] = map[v] ? s->nnc++ : -1;
    for (int k = 0; k < s->n_nc_list; k++) {
        int i = s->nc_list[k];
        s->nc_of[i] = raw[i] > 0 ? map[raw[i]] : -1;
    }
    free(map);
    return 0;
}

/* Pb/Se atoms without an NC id (e.g. the builder's "gap" atoms, NC id 0) join the NC of the
 * nearest NC atom within --cluster-cut, grown outwards pass by pass (a neck or a layer of
 * pairs in the gap belongs to the NCs it touches); atoms farther from every NC stay out. */
static void adopt_loose_atoms(Ana *s)
{
    int nloose = 0, nadopt = 0;
    for (int k = 0; k < s->n_nc_list; k++) nloose += s->nc_of[s->nc_list[k]] < 0;
    if (!nloose || !s->nnc) return;
    AnaCells c = {0};
    ana_cells_build(&c, s->n_nc_list, s->nc_list, s->x, s->lo, s->len, s->o.cluster_cut);
    int near[1024], *newid = malloc(sizeof(int) * (size_t)s->n_nc_list);
    double rc2 = s->o.cluster_cut * s->o.cluster_cut;
    for (int pass = 0; pass < 1000; pass++) {
        int changed = 0;
        for (int k = 0; k < s->n_nc_list; k++) {
            int i = s->nc_list[k];
            newid[k] = s->nc_of[i];
            if (s->nc_of[i] >= 0) continue;
            double best = rc2;
            int nn = ana_cells_near(&c, s->x + 3 * (size_t)i, s->o.cluster_cut, near, 1024);
            for (int m = 0; m < nn; m++)
                for (int q = c.start[near[m]]; q < c.start[near[m] + 1]; q++) {
                    int j = c.atom[q];
                    if (s->nc_of[j] < 0) continue;
                    double d[3];
                    ana_minimg(s->x + 3 * (size_t)i, s->x + 3 * (size_t)j, s->len, d);
                    if (dot3(d, d) < best) best = dot3(d, d), newid[k] = s->nc_of[j];
                }
        }
        for (int k = 0; k < s->n_nc_list; k++)
            if (newid[k] != s->nc_of[s->nc_list[k]]) {
                s->nc_of[s->nc_list[k]] = newid[k];
                changed++;
            }
        nadopt += changed;
        if (!changed) break;
    }
    free(newid);
    ana_cells_free(&c);
    if (!s->o.quiet)
        fprintf(stderr, "neckmd analyze: %d Pb/Se atoms without an NC id: %d joined the NC of their nearest NC atom, %d stay out\n", nloose, nadopt,
                nloose - nadopt);
}

static int identify_ncs(Ana *s)
{
    if (!s->o.ncid) return identify_clusters(s);
    int *raw = calloc((size_t)s->N, sizeof(int));
    if (strcmp(s->o.ncid, "mol") == 0) {
        if (!s->data.has_mol) {
            free(raw);
            return err_out("--ncid mol: the data file has no molecule ids (atom_style charge)");
        }
        for (int i = 0; i < s->N; i++) raw[i] = s->data.mol[i];
    } else {
        FILE *fp = fopen(s->o.ncid, "r");
        if (!fp) {
            free(raw);
            return err_out("--ncid %s: cannot open: %s", s->o.ncid, strerror(errno));
        }
        char buf[512];
        int line = 0;
        while (fgets(buf, sizeof buf, fp)) {
            line++;
            char *h = strchr(buf, '#');
            if (h) *h = '\0';
            long long id, nc;
            char first[2];
            if (sscanf(buf, " %1s", first) != 1) continue; /* blank */
            int got = sscanf(buf, "%lld %lld", &id, &nc);
            if (got != 2 || id < 1 || id > s->N || nc < 0 || nc > 1000000) {
                fclose(fp);
                free(raw);
                return err_out("%s:%d: expected 'atom_id nc_id [...]' (atom id 1..%d, nc id >= 0; 0 = in no NC)", s->o.ncid, line, s->N);
            }
            raw[id - 1] = (int)nc;
        }
        fclose(fp);
    }
    identify_from_ids(s, raw);
    free(raw);
    adopt_loose_atoms(s);
    return 0;
}

/* ---- per-frame pieces ---- */

/* Circular mean of the NC's atoms per axis: a point inside a compact cluster whatever the wrapping. */
static void circular_mean(const Ana *s, int nc, double out[3])
{
    for (int d = 0; d < 3; d++) {
        double cs = 0, sn = 0;
        for (int q = s->nc_start[nc]; q < s->nc_start[nc + 1]; q++) {
            double th = 2 * UNITS_PI * (s->x[3 * (size_t)s->nc_atom[q] + d] - s->lo[d]) / s->len[d];
            cs += cos(th);
            sn += sin(th);
        }
        double f = atan2(sn, cs) / (2 * UNITS_PI);
        out[d] = s->lo[d] + (f < 0 ? f + 1 : f) * s->len[d]; /* inside the box */
    }
}

/* Unwrap the NC's atoms next to ref, then its centre of mass into cen. */
static void unwrap_centre(Ana *s, int nc, const double ref[3], double cen[3])
{
    double m = 0, c[3] = {0, 0, 0};
    for (int q = s->nc_start[nc]; q < s->nc_start[nc + 1]; q++) {
        int i = s->nc_atom[q];
        double d[3];
        ana_minimg(ref, s->x + 3 * (size_t)i, s->len, d);
        double w = s->data.type_mass[s->data.type[i]];
        if (!(w > 0)) w = 1;
        for (int k = 0; k < 3; k++) {
            s->xu[3 * (size_t)i + k] = ref[k] + d[k];
            c[k] += w * (ref[k] + d[k]);
        }
        m += w;
    }
    for (int k = 0; k < 3; k++) cen[k] = c[k] / m;
}

static void centres(Ana *s, int first)
{
    for (int nc = 0; nc < s->nnc; nc++) {
        double ref[3], *c = s->cen + 3 * nc;
        if (first) {
            circular_mean(s, nc, ref);
            unwrap_centre(s, nc, ref, c);
            memcpy(ref, c, sizeof ref);
        } else {
            memcpy(ref, c, sizeof ref);
        }
        unwrap_centre(s, nc, ref, c);
    }
}

static void dipoles(Ana *s)
{
    for (int nc = 0; nc < s->nnc; nc++) {
        double p[3] = {0, 0, 0};
        for (int q = s->nc_start[nc]; q < s->nc_start[nc + 1]; q++) {
            int i = s->nc_atom[q];
            for (int k = 0; k < 3; k++) p[k] += s->data.q[i] * (s->xu[3 * (size_t)i + k] - s->cen[3 * nc + k]);
        }
        memcpy(s->dip + 3 * nc, p, sizeof p);
    }
}

static void add_contact(Ana *s, int i, int j)
{
    if (s->ncontact == s->contact_cap) {
        s->contact_cap = s->contact_cap ? 2 * s->contact_cap : 4096;
        s->contact = realloc(s->contact, sizeof(Contact) * (size_t)s->contact_cap);
    }
    s->contact[s->ncontact].i = i;
    s->contact[s->ncontact].j = j;
    s->ncontact++;
}

/* One pass over the NC atoms: Pb-Se bonds within each NC (kept with a stride so that at most
 * ~200000 per NC are fitted) and contacts between atoms of different NCs. */
static void bonds_and_contacts(Ana *s)
{
    ana_cells_build(&s->cells, s->n_nc_list, s->nc_list, s->x, s->lo, s->len, s->o.bond_cut);
    double rc2 = s->o.bond_cut * s->o.bond_cut;
    int *stride = malloc(sizeof(int) * (size_t)s->nnc), *counter = calloc((size_t)s->nnc, sizeof(int));
    for (int nc = 0; nc < s->nnc; nc++) {
        int na = s->nc_start[nc + 1] - s->nc_start[nc];
        stride[nc] = 1 + (3 * na) / 200000;
        s->nbond[nc] = 0;
    }
    s->ncontact = 0;
    int near[1024];
    for (int k = 0; k < s->n_nc_list; k++) {
        int i = s->nc_list[k], ni = s->nc_of[i];
        if (ni < 0) continue;
        const double *xi = s->x + 3 * (size_t)i;
        int nn = ana_cells_near(&s->cells, xi, s->o.bond_cut, near, 1024);
        for (int m = 0; m < nn; m++)
            for (int q = s->cells.start[near[m]]; q < s->cells.start[near[m] + 1]; q++) {
                int j = s->cells.atom[q], nj = s->nc_of[j];
                if (j == i || nj < 0) continue;
                if (nj == ni && !(s->species[i] == 0 && s->species[j] != 0)) continue;
                if (nj != ni && j < i) continue;
                double d[3];
                ana_minimg(xi, s->x + 3 * (size_t)j, s->len, d);
                if (dot3(d, d) >= rc2) continue;
                if (nj != ni) {
                    if (s->pair_of[ni * s->nnc + nj] >= 0) add_contact(s, i, j);
                    continue;
                }
                if (counter[ni]++ % stride[ni]) continue;
                if (s->nbond[ni] == s->bond_cap[ni]) {
                    s->bond_cap[ni] = s->bond_cap[ni] ? 2 * s->bond_cap[ni] : 1024;
                    s->bond_of[ni] = realloc(s->bond_of[ni], sizeof(double) * 3 * (size_t)s->bond_cap[ni]);
                }
                memcpy(s->bond_of[ni] + 3 * (size_t)s->nbond[ni]++, d, sizeof d);
            }
    }
    free(stride);
    free(counter);
}

static void orientations(Ana *s, int first)
{
    for (int nc = 0; nc < s->nnc; nc++) {
        double *R = s->R + 9 * nc;
        s->orient_rms[nc] = ana_orient_fit(s->nbond[nc], s->bond_of[nc], R, !first);
        if (first) memcpy(s->R0 + 9 * nc, R, sizeof(double) * 9);
    }
}

static int cmp_face(const void *a, const void *b)
{
    const Face *x = a, *y = b;
    if (x->i != y->i) return x->i < y->i ? -1 : 1;
    if (x->j != y->j) return x->j < y->j ? -1 : 1;
    return x->side - y->side;
}

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Facing plane from projections s[0..n) (the plane toward +s): the outermost group of >= nmin
 * values within w, re-centred on its mean. Returns the position, or NAN if n < nmin. */
static double facing_plane(double *v, int n, double w, int nmin, double depth)
{
    if (n < nmin || n < 1) return NAN;
    double smax = v[0];
    for (int k = 1; k < n; k++)
        if (v[k] > smax) smax = v[k];
    /* sort only the outer slab of the given depth; fall back to all values if it is too thin */
    int m = 0;
    for (int pass = 0; pass < 2; pass++) {
        m = 0;
        for (int k = 0; k < n; k++)
            if (pass == 1 || v[k] > smax - depth) {
                double t = v[k];
                v[k] = v[m];
                v[m++] = t;
            }
        qsort(v, (size_t)m, sizeof(double), cmp_desc);
        int e = 0, found = -1;
        for (int k = 0; k < m && found < 0; k++) {
            if (e < k) e = k;
            while (e < m && v[k] - v[e] <= w) e++;
            if (e - k >= nmin) found = k;
        }
        if (found < 0) continue;
        double mean = 0;
        int cnt = 0;
        for (int q = found; q < m && v[found] - v[q] <= w; q++) mean += v[q], cnt++;
        mean /= cnt;
        for (int it = 0; it < 3; it++) {
            double sum = 0;
            cnt = 0;
            for (int q = 0; q < m; q++)
                if (fabs(v[q] - mean) <= w) sum += v[q], cnt++;
            if (cnt) mean = sum / cnt;
        }
        return mean;
    }
    return NAN;
}

/* Relative position of atom i (of NC nc, which is pair member a or b) to the centre of NC a,
 * in the pair's frame: NC b's atoms are placed at c_a + dab + (xu - c_b). */
static void pair_rel(const Ana *s, int i, int nc, int a, const double dab[3], double r[3])
{
    for (int k = 0; k < 3; k++) r[k] = s->xu[3 * (size_t)i + k] - s->cen[3 * nc + k] + (nc == a ? 0 : dab[k]);
}

static void analyze_pair(Ana *s, int ip, PairResult *pr)
{
    Pair *P = &s->pair[ip];
    int a = P->a, b = P->b;
    const Opts *o = &s->o;
    double dab[3], u[3];
    ana_minimg(s->cen + 3 * a, s->cen + 3 * b, s->len, dab);
    double D = sqrt(dot3(dab, dab));
    for (int k = 0; k < 3; k++) u[k] = dab[k] / D;
    memset(pr, 0, sizeof *pr);
    pr->dist = D;
    pr->misalign = ana_cubic_misorientation(s->R + 9 * a, s->R + 9 * b);

    /* ---- neck: clipped Voronoi cells of the contact atoms ---- */
    s->stamp_val++;
    int ncand = 0;
    int *cand = malloc(sizeof(int) * (size_t)(2 * s->ncontact + 1));
    for (int c = 0; c < s->ncontact; c++) {
        int i = s->contact[c].i, j = s->contact[c].j;
        int ni = s->nc_of[i], nj = s->nc_of[j];
        if (!((ni == a && nj == b) || (ni == b && nj == a))) continue;
        if (s->stamp[i] != s->stamp_val) s->stamp[i] = s->stamp_val, cand[ncand++] = i;
        if (s->stamp[j] != s->stamp_val) s->stamp[j] = s->stamp_val, cand[ncand++] = j;
    }
    const double h = o->cap, reach = 2 * h * sqrt(3.0) + 1e-6, rc2 = o->bond_cut * o->bond_cut, rv2 = 0.25 * o->d200 * o->d200;
    double lo[3] = {-h, -h, -h}, hi[3] = {h, h, h};
    int rel_cap = 1024, nface_cap = 256;
    double *rel = malloc(sizeof(double) * 3 * (size_t)rel_cap), *farea = malloc(sizeof(double) * (size_t)nface_cap);
    int *rid = malloc(sizeof(int) * (size_t)rel_cap), *fid = malloc(sizeof(int) * (size_t)nface_cap);
    int nfaces = 0, faces_cap = 256;
    Face *faces = malloc(sizeof(Face) * (size_t)faces_cap);
    int ncap = 1;
    for (int k = 0; k < 3; k++) {
        int w = 2 * (int)ceil(reach / s->cells.side[k]) + 1;
        ncap *= w < s->cells.nc[k] ? w : s->cells.nc[k];
    }
    int *near = malloc(sizeof(int) * (size_t)ncap);
    for (int c = 0; c < ncand; c++) {
        int i = cand[c], ni = s->nc_of[i], other = ni == a ? b : a;
        const double *xi = s->x + 3 * (size_t)i, *Ri = s->R + 9 * ni;
        int nn = ana_cells_near(&s->cells, xi, reach, near, ncap), nrel = 0;
        for (int m = 0; m < nn; m++)
            for (int q = s->cells.start[near[m]]; q < s->cells.start[near[m] + 1]; q++) {
                int j = s->cells.atom[q];
                if (j == i || (s->nc_of[j] != a && s->nc_of[j] != b)) continue;
                double d[3];
                ana_minimg(xi, s->x + 3 * (size_t)j, s->len, d);
                if (dot3(d, d) > reach * reach) continue;
                if (nrel == rel_cap) {
                    rel_cap *= 2;
                    rel = realloc(rel, sizeof(double) * 3 * (size_t)rel_cap);
                    rid = realloc(rid, sizeof(int) * (size_t)rel_cap);
                }
                /* into the NC's lattice frame: R^T d */
                for (int k = 0; k < 3; k++) rel[3 * nrel + k] = Ri[k] * d[0] + Ri[3 + k] * d[1] + Ri[6 + k] * d[2];
                rid[nrel++] = j;
            }
        /* virtual neighbours on the empty lattice sites next to the atom (vacuum, a neck rim) */
        for (int k = 0; k < 6; k++) {
            double site[3] = {0, 0, 0};
            site[k % 3] = k < 3 ? o->d200 : -o->d200;
            int occupied = 0;
            for (int q = 0; q < nrel && !occupied; q++) {
                double e0 = rel[3 * q] - site[0], e1 = rel[3 * q + 1] - site[1], e2 = rel[3 * q + 2] - site[2];
                occupied = e0 * e0 + e1 * e1 + e2 * e2 < rv2;
            }
            if (occupied) continue;
            if (nrel == rel_cap) {
                rel_cap *= 2;
                rel = realloc(rel, sizeof(double) * 3 * (size_t)rel_cap);
                rid = realloc(rid, sizeof(int) * (size_t)rel_cap);
            }
            memcpy(rel + 3 * nrel, site, sizeof site);
            rid[nrel++] = s->N + k;
        }
        if (voro_cell_compute(s->vc, lo, hi, nrel, rel, rid, NULL) != 0) continue;
        int nf = voro_cell_faces(s->vc, nface_cap, fid, farea);
        if (nf > nface_cap) {
            nface_cap = nf;
            fid = realloc(fid, sizeof(int) * (size_t)nface_cap);
            farea = realloc(farea, sizeof(double) * (size_t)nface_cap);
            voro_cell_faces(s->vc, nface_cap, fid, farea);
        }
        for (int f = 0; f < nf; f++) {
            int j = fid[f];
            if (j < 0 || j >= s->N || s->nc_of[j] != other) continue;
            double d[3];
            ana_minimg(xi, s->x + 3 * (size_t)j, s->len, d);
            if (nfaces == faces_cap) faces = realloc(faces, sizeof(Face) * (size_t)(faces_cap *= 2));
            faces[nfaces].i = i < j ? i : j;
            faces[nfaces].j = i < j ? j : i;
            faces[nfaces].area = farea[f];
            faces[nfaces].side = i < j ? 0 : 1;
            faces[nfaces].bonded = dot3(d, d) < rc2;
            nfaces++;
        }
    }
    qsort(faces, (size_t)nfaces, sizeof(Face), cmp_face);
    /* a face counts if both cells have it (area: the smaller side); pass 0: bridges (bonded
       pairs) mark the neck atoms; pass 1: the neck area = every face between two neck atoms
       (with thermal motion part of the interface goes to second neighbours, 4.33 A) */
    double area = 0, faces_total = 0;
    int nbridge = 0, nbatoms = 0;
    s->stamp_val++;
    for (int pass = 0; pass < 2; pass++)
        for (int f = 0; f + 1 < nfaces; f++) {
            if (faces[f].i != faces[f + 1].i || faces[f].j != faces[f + 1].j) continue;
            double ar = faces[f].area < faces[f + 1].area ? faces[f].area : faces[f + 1].area;
            f++;
            if (ar < BRIDGE_MIN_AREA) continue;
            int i = faces[f].i, j = faces[f].j;
            if (pass == 0) {
                if (!faces[f].bonded) continue;
                nbridge++;
                if (s->stamp[i] != s->stamp_val) s->stamp[i] = s->stamp_val, nbatoms++;
                if (s->stamp[j] != s->stamp_val) s->stamp[j] = s->stamp_val, nbatoms++;
                continue;
            }
            if (s->stamp[i] != s->stamp_val || s->stamp[j] != s->stamp_val) continue;
            double rij[3];
            ana_minimg(s->x + 3 * (size_t)i, s->x + 3 * (size_t)j, s->len, rij);
            /* the face's normal is along r_ij: its projection on the plane normal to the axis */
            double ap = ar * fabs(dot3(rij, u)) / sqrt(dot3(rij, rij));
            faces_total += ar;
            area += ap;
        }
    /* the neck's footprint: the axis through the neck atoms' centroid, radius = their largest
       distance from it + d200/2 (their cells) */
    double nlat[3] = {0, 0, 0}, rx = 0;
    if (nbatoms) {
        double ncen[3] = {0, 0, 0};
        for (int c = 0; c < ncand; c++) {
            if (s->stamp[cand[c]] != s->stamp_val) continue;
            double r[3];
            pair_rel(s, cand[c], s->nc_of[cand[c]], a, dab, r);
            for (int k = 0; k < 3; k++) ncen[k] += r[k] / nbatoms;
        }
        double sn = dot3(ncen, u);
        for (int k = 0; k < 3; k++) nlat[k] = ncen[k] - sn * u[k];
        for (int c = 0; c < ncand; c++) {
            if (s->stamp[cand[c]] != s->stamp_val) continue;
            double r[3];
            pair_rel(s, cand[c], s->nc_of[cand[c]], a, dab, r);
            double sp = dot3(r, u), l[3];
            for (int k = 0; k < 3; k++) l[k] = r[k] - sp * u[k] - nlat[k];
            double rl = sqrt(dot3(l, l));
            if (rl > rx) rx = rl;
        }
        rx += 0.5 * o->d200;
    }
    free(near);
    free(faces);
    free(rel);
    free(rid);
    free(fid);
    free(farea);
    free(cand);
    pr->nbridge = nbridge;
    pr->nbatoms = nbatoms;
    pr->area = area;
    pr->faces = faces_total;

    /* ---- facing planes: NC a toward +u, NC b toward -u (projections relative to c_a) ---- */
    double plane[2], radius[2];
    for (int side = 0; side < 2; side++) {
        int nc = side == 0 ? a : b;
        int na = s->nc_start[nc + 1] - s->nc_start[nc];
        double *v = malloc(sizeof(double) * (size_t)(na ? na : 1));
        double pos = NAN;
        for (int excl = nbatoms ? 1 : 0; excl >= 0 && isnan(pos); excl--) {
            int m = 0;
            for (int q = s->nc_start[nc]; q < s->nc_start[nc + 1]; q++) {
                double r[3];
                pair_rel(s, s->nc_atom[q], nc, a, dab, r);
                double sp = dot3(r, u);
                if (excl) {
                    double l[3];
                    for (int k = 0; k < 3; k++) l[k] = r[k] - sp * u[k] - nlat[k];
                    if (dot3(l, l) < rx * rx) continue;
                }
                v[m++] = side == 0 ? sp : -sp;
            }
            pos = facing_plane(v, m, o->plane_width, o->plane_min, 3 * o->d200);
        }
        plane[side] = side == 0 ? pos : -pos;
        /* cross-section of the facing plane: all of its atoms, neck included */
        double r2 = 0;
        int cnt = 0;
        for (int q = s->nc_start[nc]; q < s->nc_start[nc + 1]; q++) {
            double r[3];
            pair_rel(s, s->nc_atom[q], nc, a, dab, r);
            double sp = dot3(r, u);
            if (fabs(sp - plane[side]) > o->plane_width) continue;
            r2 += dot3(r, r) - sp * sp;
            cnt++;
        }
        radius[side] = cnt ? sqrt(2 * r2 / cnt) : NAN;
        free(v);
    }
    pr->gap = plane[1] - plane[0];
    pr->len_layers = nbridge ? pr->gap / o->d200 - 1 : 0;

    /* ---- ligands in the gap ---- */
    double rcs = radius[0] < radius[1] ? radius[0] : radius[1];
    double mid[3];
    for (int k = 0; k < 3; k++) mid[k] = s->cen[3 * a + k] + 0.5 * dab[k];
    int nla = 0;
    for (int q = 0; q < s->nlig; q++) {
        int i = s->lig_atoms[q];
        double r[3];
        ana_minimg(mid, s->x + 3 * (size_t)i, s->len, r);
        for (int k = 0; k < 3; k++) r[k] += 0.5 * dab[k];
        double sp = dot3(r, u);
        if (!(sp > plane[0] && sp < plane[1])) continue;
        if (dot3(r, r) - sp * sp > rcs * rcs) continue;
        nla++;
        if (s->lig_mol[i] >= 0) s->mol_mark[s->lig_mol[i]] = 1;
    }
    double asum = 0;
    int nm = 0;
    for (int m = 0; m < s->nmol; m++) {
        if (!s->mol_mark[m]) continue;
        s->mol_mark[m] = 0;
        double v[3];
        ana_minimg(s->x + 3 * (size_t)s->mol_first[m], s->x + 3 * (size_t)s->mol_last[m], s->len, v);
        double vn = sqrt(dot3(v, v));
        if (!(vn > 0)) continue;
        double c = fabs(dot3(v, u)) / vn;
        if (c > 1) c = 1;
        asum += acos(c) * 180 / UNITS_PI;
        nm++;
    }
    pr->lig_atoms = nla;
    pr->lig_mols = nm;
    pr->lig_angle = nm ? asum / nm : NAN;
}

/* ---- set-up after the first frame's centres: pairs and angles ---- */
static void setup_pairs(Ana *s)
{
    int n = s->nnc;
    double *dmin = malloc(sizeof(double) * (size_t)(n ? n : 1));
    s->pair_of = malloc(sizeof(int) * (size_t)(n > 0 ? n * n : 1));
    for (int k = 0; k < n * n; k++) s->pair_of[k] = -1;
    for (int i = 0; i < n; i++) {
        dmin[i] = INFINITY;
        for (int j = 0; j < n; j++) {
            if (j == i) continue;
            double d[3];
            ana_minimg(s->cen + 3 * i, s->cen + 3 * j, s->len, d);
            double r = sqrt(dot3(d, d));
            if (r < dmin[i]) dmin[i] = r;
        }
    }
    s->pair = malloc(sizeof(Pair) * (size_t)(n > 0 ? n * n : 1));
    s->npair = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            double d[3];
            ana_minimg(s->cen + 3 * i, s->cen + 3 * j, s->len, d);
            double r = sqrt(dot3(d, d)), ref = dmin[i] > dmin[j] ? dmin[i] : dmin[j];
            if (r > s->o.pair_factor * ref * (1 + 1e-9)) continue;
            memset(&s->pair[s->npair], 0, sizeof(Pair));
            s->pair[s->npair].a = i;
            s->pair[s->npair].b = j;
            s->pair_of[i * n + j] = s->pair_of[j * n + i] = s->npair;
            s->npair++;
        }
    s->ang = malloc(sizeof(Angle) * (size_t)(n > 0 ? n * n * n : 1));
    s->nang = 0;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++)
            for (int l = k + 1; l < n; l++) {
                if (k == i || l == i || s->pair_of[i * n + k] < 0 || s->pair_of[i * n + l] < 0) continue;
                double dk[3], dl[3];
                ana_minimg(s->cen + 3 * i, s->cen + 3 * k, s->len, dk);
                ana_minimg(s->cen + 3 * i, s->cen + 3 * l, s->len, dl);
                double c = dot3(dk, dl) / sqrt(dot3(dk, dk) * dot3(dl, dl));
                if (c <= cos(150 * UNITS_PI / 180)) continue;
                s->ang[s->nang].k = k;
                s->ang[s->nang].i = i;
                s->ang[s->nang].l = l;
                s->nang++;
            }
    s->res = calloc((size_t)(s->npair ? s->npair : 1), sizeof(PairResult));
    free(dmin);
}

static void write_header(Ana *s)
{
    FILE *f = s->csv;
    fprintf(f, "frame,time_ps");
    for (int c = 1; c <= s->nnc; c++)
        fprintf(f, ",nc%d_x_A,nc%d_y_A,nc%d_z_A,nc%d_px_eA,nc%d_py_eA,nc%d_pz_eA,nc%d_p_D,nc%d_rot_deg", c, c, c, c, c, c, c, c);
    for (int p = 0; p < s->npair; p++) {
        int a = s->pair[p].a + 1, b = s->pair[p].b + 1;
        fprintf(f, ",dist_%d_%d_A,gap_%d_%d_A,gap_edge_%d_%d_A,misalign_%d_%d_deg,lig_atoms_%d_%d,lig_mols_%d_%d,lig_angle_%d_%d_deg", a, b, a, b,
                a, b, a, b, a, b, a, b, a, b);
        fprintf(f, ",bridges_%d_%d,neck_atoms_%d_%d,neck_faces_%d_%d_A2,neck_area_%d_%d_A2,neck_width_%d_%d_A,neck_side_%d_%d_A,neck_len_%d_%d_layers,filaments_%d_%d",
                a, b, a, b, a, b, a, b, a, b, a, b, a, b, a, b);
    }
    for (int q = 0; q < s->nang; q++) fprintf(f, ",angle_%d_%d_%d_deg", s->ang[q].k + 1, s->ang[q].i + 1, s->ang[q].l + 1);
    fprintf(f, "\n");
}

static void write_row(Ana *s, size_t frame, double t)
{
    FILE *f = s->csv;
    fprintf(f, "%zu,%.6g", frame, t);
    for (int c = 0; c < s->nnc; c++) {
        const double *p = s->dip + 3 * c, *x = s->cen + 3 * c;
        fprintf(f, ",%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.3f", cz(x[0]), cz(x[1]), cz(x[2]), cz(p[0]), cz(p[1]), cz(p[2]),
                cz(sqrt(dot3(p, p)) * EA_TO_DEBYE), cz(ana_cubic_misorientation(s->R0 + 9 * c, s->R + 9 * c)));
    }
    for (int q = 0; q < s->npair; q++) {
        const PairResult *r = &s->res[q];
        double w = 2 * sqrt(r->area / UNITS_PI), side = sqrt(r->area);
        fprintf(f, ",%.4f,%.4f,%.4f,%.3f,%d,%d,%.2f", r->dist, cz(r->gap), cz(r->gap - s->o.d200), cz(r->misalign), r->lig_atoms, r->lig_mols,
                r->lig_angle);
        fprintf(f, ",%d,%d,%.3f,%.3f,%.4f,%.4f,%.3f,%d", r->nbridge, r->nbatoms, r->faces, r->area, w, side, cz(r->len_layers), s->pair[q].events);
    }
    for (int q = 0; q < s->nang; q++) {
        const Angle *g = &s->ang[q];
        double dk[3], dl[3];
        ana_minimg(s->cen + 3 * g->i, s->cen + 3 * g->k, s->len, dk);
        ana_minimg(s->cen + 3 * g->i, s->cen + 3 * g->l, s->len, dl);
        double c = dot3(dk, dl) / sqrt(dot3(dk, dk) * dot3(dl, dl));
        if (c > 1) c = 1;
        if (c < -1) c = -1;
        fprintf(f, ",%.3f", acos(c) * 180 / UNITS_PI);
    }
    fprintf(f, "\n");
}

static void filament_update(Pair *P, int nbridge)
{
    if (nbridge > 0) {
        if (!P->in_run) {
            P->in_run = 1;
            P->run_after_zero = P->seen_zero;
        }
    } else {
        if (P->in_run && P->run_after_zero) P->events++;
        P->in_run = 0;
        P->seen_zero = 1;
    }
}

static void ana_free(Ana *s)
{
    ana_data_free(&s->data);
    ana_traj_close(&s->traj);
    free(s->x);
    free(s->xu);
    free(s->species);
    free(s->is_lig);
    free(s->nc_of);
    free(s->nc_start);
    free(s->nc_atom);
    free(s->cen);
    free(s->R);
    free(s->R0);
    free(s->orient_rms);
    free(s->dip);
    free(s->pair);
    free(s->pair_of);
    free(s->ang);
    free(s->mol_first);
    free(s->mol_last);
    free(s->lig_mol);
    free(s->lig_atoms);
    ana_cells_free(&s->cells);
    free(s->nc_list);
    if (s->bond_of)
        for (int c = 0; c < s->nnc; c++) free(s->bond_of[c]);
    free(s->bond_of);
    free(s->nbond);
    free(s->bond_cap);
    free(s->contact);
    voro_cell_destroy(&s->vc);
    free(s->stamp);
    free(s->mol_mark);
    free(s->res);
    if (s->csv) fclose(s->csv);
}

/* type flags, ligand molecules; NC lists after identification */
static int setup_atoms(Ana *s)
{
    int nt = s->data.ntypes;
    signed char tspec[1024];
    char tlig[1024];
    if (nt > 1024) return err_out("%s: more than 1024 atom types", s->o.data);
    int found[MAXNCTYPES] = {0};
    for (int t = 0; t < nt; t++) {
        tspec[t] = -1;
        for (int k = 0; k < s->o.n_nc_types; k++)
            if (strcmp(s->data.type_name[t], s->o.nc_types[k]) == 0 ||
                (ana_data_type_index(&s->data, s->o.nc_types[k]) == t)) {
                tspec[t] = (signed char)k;
                found[k] = 1;
            }
        tlig[t] = tspec[t] < 0 && s->o.ligand[0] && strncmp(s->data.type_name[t], s->o.ligand, strlen(s->o.ligand)) == 0;
    }
    for (int k = 0; k < s->o.n_nc_types; k++)
        if (!found[k]) {
            char names[1024] = "";
            for (int t = 0, l = 0; t < nt && l < 1000; t++) l += snprintf(names + l, sizeof names - (size_t)l, "%s%s", t ? " " : "", s->data.type_name[t]);
            return err_out("%s: no atom type named '%s' (types: %s; give the NC types with --nc-types)", s->o.data, s->o.nc_types[k], names);
        }
    s->species = malloc((size_t)s->N);
    s->is_lig = malloc((size_t)s->N);
    s->nc_list = malloc(sizeof(int) * (size_t)s->N);
    s->lig_atoms = malloc(sizeof(int) * (size_t)s->N);
    s->lig_mol = malloc(sizeof(int) * (size_t)s->N);
    s->n_nc_list = s->nlig = 0;
    for (int i = 0; i < s->N; i++) {
        int t = s->data.type[i];
        s->species[i] = tspec[t];
        s->is_lig[i] = tlig[t];
        s->lig_mol[i] = -1;
        if (tspec[t] >= 0) s->nc_list[s->n_nc_list++] = i;
        if (tlig[t]) s->lig_atoms[s->nlig++] = i;
    }
    /* ligand molecules by molecule id: first and last atom (id order) */
    s->nmol = 0;
    if (s->data.has_mol && s->nlig) {
        int maxmol = 0;
        for (int q = 0; q < s->nlig; q++)
            if (s->data.mol[s->lig_atoms[q]] > maxmol) maxmol = s->data.mol[s->lig_atoms[q]];
        int *idx = malloc(sizeof(int) * ((size_t)maxmol + 1));
        for (int m = 0; m <= maxmol; m++) idx[m] = -1;
        s->mol_first = malloc(sizeof(int) * (size_t)(s->nlig > 0 ? s->nlig : 1));
        s->mol_last = malloc(sizeof(int) * (size_t)(s->nlig > 0 ? s->nlig : 1));
        for (int q = 0; q < s->nlig; q++) {
            int i = s->lig_atoms[q], m = s->data.mol[i];
            if (m < 0) continue;
            if (idx[m] < 0) {
                idx[m] = s->nmol++;
                s->mol_first[idx[m]] = i;
            }
            s->mol_last[idx[m]] = i;
            s->lig_mol[i] = idx[m];
        }
        free(idx);
    }
    s->mol_mark = calloc((size_t)(s->nmol ? s->nmol : 1), 1);
    return 0;
}

static int setup_ncs(Ana *s)
{
    s->nc_of = malloc(sizeof(int) * (size_t)s->N);
    for (int i = 0; i < s->N; i++) s->nc_of[i] = -1;
    if (identify_ncs(s)) return 1;
    if (s->nnc < 1) return err_out("no NC found (no cluster of >= %d %s atoms; see --nc-types, --nc-min, --ncid)", s->o.nc_min, s->o.nc_types[0]);
    s->nc_start = calloc((size_t)s->nnc + 1, sizeof(int));
    for (int k = 0; k < s->n_nc_list; k++)
        if (s->nc_of[s->nc_list[k]] >= 0) s->nc_start[s->nc_of[s->nc_list[k]] + 1]++;
    for (int c = 0; c < s->nnc; c++) s->nc_start[c + 1] += s->nc_start[c];
    s->nc_atom = malloc(sizeof(int) * (size_t)(s->nc_start[s->nnc] + 1));
    int *fill = malloc(sizeof(int) * (size_t)s->nnc);
    memcpy(fill, s->nc_start, sizeof(int) * (size_t)s->nnc);
    for (int k = 0; k < s->n_nc_list; k++) {
        int i = s->nc_list[k];
        if (s->nc_of[i] >= 0) s->nc_atom[fill[s->nc_of[i]]++] = i;
    }
    free(fill);
    s->cen = calloc(3 * (size_t)s->nnc, sizeof(double));
    s->R = calloc(9 * (size_t)s->nnc, sizeof(double));
    for (int c = 0; c < s->nnc; c++) s->R[9 * c] = s->R[9 * c + 4] = s->R[9 * c + 8] = 1; /* if an NC has no bonds */
    s->R0 = calloc(9 * (size_t)s->nnc, sizeof(double));
    s->orient_rms = calloc((size_t)s->nnc, sizeof(double));
    s->dip = calloc(3 * (size_t)s->nnc, sizeof(double));
    s->bond_of = calloc((size_t)s->nnc, sizeof(double *));
    s->nbond = calloc((size_t)s->nnc, sizeof(int));
    s->bond_cap = calloc((size_t)s->nnc, sizeof(int));
    return 0;
}

int analyze_main(int argc, char **argv)
{
    for (int k = 0; k < argc; k++)
        if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
            analyze_usage(stdout);
            return 0;
        }
    Ana S;
    memset(&S, 0, sizeof S);
    Ana *s = &S;
    int rc = parse_opts(argc, argv, &s->o);
    if (rc) return rc;
    char err[1024];
    double t0 = now();
    if (ana_data_read(s->o.data, &s->data, err, sizeof err)) return err_out("%s", err);
    s->traj = ana_traj_open(s->o.traj, err, sizeof err);
    if (!s->traj) {
        ana_free(s);
        return err_out("%s", err);
    }
    if (ana_traj_natoms(s->traj) != s->data.natoms) {
        rc = err_out("%s has %lld atoms, %s has %lld: not the data file of this trajectory", s->o.traj, (long long)ana_traj_natoms(s->traj), s->o.data,
                     (long long)s->data.natoms);
        ana_free(s);
        return rc;
    }
    if (s->data.natoms > 200000000) {
        ana_free(s);
        return err_out("%lld atoms: more than the analysis supports (2e8)", (long long)s->data.natoms);
    }
    s->N = (int)s->data.natoms;
    {
        int *tt = malloc(sizeof(int) * (size_t)s->N);
        if (ana_traj_types(s->traj, tt) == 0)
            for (int i = 0; i < s->N; i++)
                if (tt[i] != s->data.type[i] + 1) {
                    rc = err_out("%s: atom %d has type %d in the trajectory and %d in %s: not the data file of this trajectory", s->o.traj, i + 1, tt[i],
                                 s->data.type[i] + 1, s->o.data);
                    break;
                }
        free(tt);
        if (rc) {
            ana_free(s);
            return rc;
        }
    }
    if (setup_atoms(s)) {
        ana_free(s);
        return 1;
    }
    size_t nframes = ana_traj_nframes(s->traj);
    size_t first = (size_t)s->o.first, last = s->o.last < 0 || (size_t)s->o.last >= nframes ? nframes - 1 : (size_t)s->o.last;
    if (nframes == 0 || first > last) {
        ana_free(s);
        return err_out("%s: no frames to analyse (%zu frames in the file, --first %ld)", s->o.traj, nframes, s->o.first);
    }
    s->x = malloc(sizeof(double) * 3 * (size_t)s->N);
    s->xu = calloc(3 * (size_t)s->N, sizeof(double));
    s->stamp = calloc((size_t)s->N, sizeof(int));
    s->vc = voro_cell_create();
    s->csv = fopen(s->o.out, "w");
    if (!s->x || !s->xu || !s->stamp || !s->vc || !s->csv) {
        rc = !s->csv ? err_out("%s: cannot create: %s", s->o.out, strerror(errno)) : err_out("out of memory for %d atoms", s->N);
        ana_free(s);
        return rc;
    }
    size_t ndone = 0, ntodo = (last - first) / (size_t)s->o.every + 1;
    double tlast = now(), tread = 0, tframe = 0;
    for (size_t f = first; f <= last; f += (size_t)s->o.every) {
        double time_ps, ta = now();
        if (ana_traj_read(s->traj, f, s->x, &time_ps, s->lo, s->len, s->data.lo, s->data.len, err, sizeof err)) {
            rc = err_out("%s", err);
            break;
        }
        double tb = now();
        tread += tb - ta;
        int isfirst = ndone == 0;
        if (isfirst) {
            if (setup_ncs(s)) {
                rc = 1;
                break;
            }
        }
        centres(s, isfirst);
        if (isfirst) {
            setup_pairs(s);
            write_header(s);
            if (!s->o.quiet) {
                fprintf(stderr, "neckmd analyze: %s: %zu frames (analysing %zu); %d NCs (", s->o.traj, nframes, ntodo, s->nnc);
                for (int c = 0; c < s->nnc; c++) fprintf(stderr, "%s%d", c ? ", " : "", s->nc_start[c + 1] - s->nc_start[c]);
                fprintf(stderr, " Pb/Se atoms), %d pairs, %d angles, %d ligand atoms in %d molecules\n", s->npair, s->nang, s->nlig, s->nmol);
            }
        }
        bonds_and_contacts(s);
        orientations(s, isfirst);
        dipoles(s);
        for (int p = 0; p < s->npair; p++) {
            analyze_pair(s, p, &s->res[p]);
            filament_update(&s->pair[p], s->res[p].nbridge);
        }
        write_row(s, f, time_ps);
        ndone++;
        double tc = now();
        tframe += tc - tb;
        if (!s->o.quiet && (tc - tlast > 2.0 || ndone == ntodo) && ntodo > 1) {
            double el = tc - t0;
            fprintf(stderr, "neckmd analyze: frame %zu/%zu (%.0f%%), %.1f s, about %.0f s left\n", ndone, ntodo, 100.0 * ndone / ntodo, el,
                    el / ndone * (ntodo - ndone));
            tlast = tc;
        }
    }
    if (!rc) {
        fflush(s->csv);
        if (ferror(s->csv)) rc = err_out("%s: write error", s->o.out);
    }
    if (!rc) {
        printf("neckmd analyze: %zu frames, %d atoms, %d NCs, %d pairs -> %s (%.2f s: reading %.2f s, analysis %.2f s = %.3f s per frame)\n", ndone,
               s->N, s->nnc, s->npair, s->o.out, now() - t0, tread, tframe, tframe / (ndone ? ndone : 1));
        for (int p = 0; p < s->npair; p++)
            printf("  pair %d-%d: final gap %.3f A, %d bridges, neck width %.2f A, %d filament events\n", s->pair[p].a + 1, s->pair[p].b + 1,
                   s->res[p].gap, s->res[p].nbridge, 2 * sqrt(s->res[p].area / UNITS_PI), s->pair[p].events);
        for (int c = 0; c < s->nnc; c++)
            if (s->orient_rms[c] > 15 || s->orient_rms[c] < 0)
                fprintf(stderr, "neckmd analyze: warning: NC %d: its Pb-Se bonds deviate by %.1f deg RMS from <100> (not rock salt, or --bond-cut wrong?)\n",
                        c + 1, s->orient_rms[c]);
    }
    ana_free(s);
    return rc;
}
