/* build.c - `neckmd build`: command line, the build sequence, checks and the report.
 *
 * Sequence: (1) cores (one NC, a pair along x, a hexagonal monolayer in xy, or two {001}
 * slabs); (2) oleates on each NC, per facet family, to the requested coverage (counts rounded,
 * the NC's total made even); (3) each NC made exactly neutral (N_oleate = 2 (N_Pb - N_Se)) by
 * removing unbound surface Pb or surface Se; (4) the box (given, or the solute's extent plus
 * --pad on every side) with the solute centred; (5) solvent to the target density over the
 * free volume; (6) checks (neutrality, contacts by class) and the files: PREFIX.data (LAMMPS,
 * atom_style full), PREFIX.in (a ready neckmd deck), PREFIX.ncid (atom id -> NC id, role),
 * PREFIX.build.json (everything reported). Files are written as PREFIX.*.tmp and renamed only
 * after every check passed, so an error leaves no (partial) output.
 *
 * Molecule ids: the atoms of NC k (or slab k) are molecule k (k = 1..number of NCs); each
 * oleate and each solvent molecule is a molecule of its own, numbered after them in the
 * order of the atoms (gap atoms of --slabs --pairs form one molecule after the slabs). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "build/build.h"
#include "build/builder.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef NECKMD_POTDIR
#define NECKMD_POTDIR "potentials"
#endif

#define Q_OLEATE_ABS 0.645
#define CORE_RMIN 2.5   /* closest allowed approach of core atoms of different NCs, A */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static void usage(FILE *f)
{
    fprintf(f,
"usage: neckmd build [options] -o PREFIX        (serial; writes PREFIX.data, PREFIX.in, PREFIX.ncid, PREFIX.build.json)\n"
"System (default: one nanocrystal)\n"
"  --pair --gap G [--misalign DEG]   two NCs along x, <100>-aligned, G A between the facing {100} atomic planes;\n"
"                                    the second turned by DEG about the x axis\n"
"  --monolayer N --spacing S         N NCs on a quasi-hexagonal patch in the xy plane, centre-to-centre S A\n"
"  --slabs --gap G [--fragment oleate] [--pairs n] [--pair-layers P] [--slab-cells NX NY] [--slab-layers L]\n"
"                                    two PbSe {001} slabs along z, G A between facing planes; an oleate in the gap\n"
"                                    (plus one under slab 1 on a Pb adatom, for neutrality) or n Pb-Se pairs in the gap\n"
"                                    (cuboid of P layers, default 2: n = 9 is 3x3x2); cells default 4 4, layers 4\n"
"Nanocrystal\n"
"  --shape cube|octahedron|sphere    default octahedron (truncated: {100} and Pb-terminated {111} facets)\n"
"  --layers N                        {200} atomic layers along <100> (default 20 = 6.1 nm)\n"
"  --a A                             lattice constant, A (default 6.12)\n"
"  --d111 D | --d111 NL              {111} facet distance from the centre: D in A, or NL followed by L = as far as the\n"
"                                    {100} facets of an NL-layer cube (default: --d111 NL with NL = --layers)\n"
"  --euler A B C                     orientation, degrees (z-x-z rotation of the lattice; not with --pair)\n"
"Ligands (oleate, potentials/oleate_ua.ff)\n"
"  --oleate-100 X --oleate-111 Y     oleates per nm^2 on {100} and on {111} facets (default 0.5 and 3.0)\n"
"  --strip 100|111|all|none          no ligands on these facets (the EDA case); default none\n"
"  --tails extended|random           tail conformers (default extended; others are used where needed)\n"
"  --pb-o R                          Pb-O distance of the chelating head, A (default 2.4)\n"
"  --ligand-rmin R                   smallest ligand contact with other atoms, A (default 2.8)\n"
"Solvent and box\n"
"  --solvent eg|eda|none             default none\n"
"  --density D                       g/cm^3 over the free volume (default 1.11 for EG, 0.90 for EDA)\n"
"  --box LX LY LZ                    box edges, A (default: solute extent + 2 pad; slabs: the slab cell)\n"
"  --pad P                           A between the solute and the box faces (default 12; slabs: 30 = vacuum/solvent)\n"
"  --solvent-rmin R                  smallest solvent contact with anything, A (default 2.3)\n"
"Deck and misc\n"
"  --temp T  --steps N               NVT temperature (K, default 300) and steps (default 50000) of PREFIX.in\n"
"  --min-iter N                      iterations of the deck's minimize before the run (default 1000; 0: none)\n"
"  --seed S                          random seed (default 1); same arguments and seed give identical files\n"
"  -o|--output PREFIX                output prefix (default system)\n"
"  --potentials DIR  --moldir DIR    parameter files (default %s) and molecule templates (DIR/molecules)\n", NECKMD_POTDIR);
}

/* ---------------------------------------------------------------- argument parsing */
static double num_arg(int argc, char **argv, int *i, const char *opt)
{
    if (*i + 1 >= argc) build_die("%s needs a number", opt);
    char *end;
    errno = 0;
    double v = strtod(argv[++*i], &end);
    if (*end || errno || !isfinite(v) || end == argv[*i]) build_die("%s: '%s' is not a number", opt, argv[*i]);
    return v;
}

static long int_arg(int argc, char **argv, int *i, const char *opt)
{
    double v = num_arg(argc, argv, i, opt);
    if (v != floor(v) || fabs(v) > 1e15) build_die("%s: '%s' is not an integer", opt, argv[*i]);
    return (long)v;
}

static const char *str_arg(int argc, char **argv, int *i, const char *opt)
{
    if (*i + 1 >= argc) build_die("%s needs a value", opt);
    return argv[++*i];
}

typedef struct Given { int gap, misalign, spacing, fragment, pairs, slab, shape, d111, density, oleate; } Given;

static void parse(BuildOpts *o, int argc, char **argv)
{
    Given gv;
    memset(&gv, 0, sizeof gv);
    memset(o, 0, sizeof *o);
    o->sys = SYS_NC;
    o->shape = SHAPE_OCTA;
    o->layers = 20;
    o->a = 6.12;
    o->cov[FAM_100] = 0.5;
    o->cov[FAM_111] = 3.0;
    o->pb_o = 2.4;
    o->lig_rmin = 2.8;
    o->slab_cells[0] = o->slab_cells[1] = 4;
    o->slab_layers = 4;
    o->pair_layers = 2;
    o->pad = -1;
    o->solv_rmin = 2.3;
    o->temp = 300.0;
    o->steps = 50000;
    o->min_iter = 1000;
    o->seed = 1;
    snprintf(o->out, sizeof o->out, "system");
    const char *env = getenv("NECKMD_POTENTIALS");
    snprintf(o->potdir, sizeof o->potdir, "%s", env && *env ? env : NECKMD_POTDIR);
    int nsys = 0;
    /* the command line for the file headers, without the output prefix */
    size_t cl = 0;
    cl += (size_t)snprintf(o->cmdline + cl, sizeof o->cmdline - cl, "neckmd build");
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0 || strcmp(argv[i], "--potentials") == 0 ||
             strcmp(argv[i], "--moldir") == 0) && i + 1 < argc) { i++; continue; }
        if (cl < sizeof o->cmdline - 1) cl += (size_t)snprintf(o->cmdline + cl, sizeof o->cmdline - cl, " %s", argv[i]);
    }
    if (cl >= sizeof o->cmdline) cl = sizeof o->cmdline - 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) { usage(stdout); exit(0); }
        else if (strcmp(a, "--pair") == 0) { o->sys = SYS_PAIR; nsys++; }
        else if (strcmp(a, "--monolayer") == 0) { o->sys = SYS_MONOLAYER; nsys++; o->nmono = (int)int_arg(argc, argv, &i, a); }
        else if (strcmp(a, "--slabs") == 0) { o->sys = SYS_SLABS; nsys++; }
        else if (strcmp(a, "--gap") == 0) { o->gap = num_arg(argc, argv, &i, a); o->gap_set = gv.gap = 1; }
        else if (strcmp(a, "--misalign") == 0) { o->misalign = num_arg(argc, argv, &i, a); gv.misalign = 1; }
        else if (strcmp(a, "--spacing") == 0) { o->spacing = num_arg(argc, argv, &i, a); gv.spacing = 1; }
        else if (strcmp(a, "--shape") == 0) {
            const char *v = str_arg(argc, argv, &i, a);
            if (strcmp(v, "cube") == 0) o->shape = SHAPE_CUBE;
            else if (strcmp(v, "octahedron") == 0 || strcmp(v, "octa") == 0) o->shape = SHAPE_OCTA;
            else if (strcmp(v, "sphere") == 0) o->shape = SHAPE_SPHERE;
            else build_die("--shape: '%s': expected cube, octahedron or sphere", v);
            gv.shape = 1;
        } else if (strcmp(a, "--layers") == 0) o->layers = (int)int_arg(argc, argv, &i, a);
        else if (strcmp(a, "--a") == 0) o->a = num_arg(argc, argv, &i, a);
        else if (strcmp(a, "--d111") == 0) {
            const char *v = str_arg(argc, argv, &i, a);
            char buf[64];
            snprintf(buf, sizeof buf, "%s", v);
            size_t n = strlen(buf);
            int layers = n > 0 && (buf[n - 1] == 'L' || buf[n - 1] == 'l');
            if (layers) buf[n - 1] = '\0';
            char *end;
            double d = strtod(buf, &end);
            if (*end || end == buf || !isfinite(d) || d <= 0) build_die("--d111: '%s': expected a positive distance in A, or a layer count followed by L (e.g. 16L)", v);
            o->d111 = layers ? -d : d; /* negative: in layers, converted below */
            gv.d111 = 1;
        } else if (strcmp(a, "--euler") == 0) {
            for (int k = 0; k < 3; k++) o->euler[k] = num_arg(argc, argv, &i, a);
            o->euler_set = 1;
        } else if (strcmp(a, "--oleate-100") == 0) { o->cov[FAM_100] = num_arg(argc, argv, &i, a); gv.oleate = o->cov_given[FAM_100] = 1; }
        else if (strcmp(a, "--oleate-111") == 0) { o->cov[FAM_111] = num_arg(argc, argv, &i, a); gv.oleate = o->cov_given[FAM_111] = 1; }
        else if (strcmp(a, "--strip") == 0) {
            const char *v = str_arg(argc, argv, &i, a);
            if (strcmp(v, "100") == 0) o->strip[FAM_100] = 1;
            else if (strcmp(v, "111") == 0) o->strip[FAM_111] = 1;
            else if (strcmp(v, "all") == 0) o->strip[FAM_100] = o->strip[FAM_111] = 1;
            else if (strcmp(v, "none") == 0) o->strip[FAM_100] = o->strip[FAM_111] = 0;
            else build_die("--strip: '%s': expected 100, 111, all or none", v);
        } else if (strcmp(a, "--tails") == 0) {
            const char *v = str_arg(argc, argv, &i, a);
            if (strcmp(v, "extended") == 0) o->tails_random = 0;
            else if (strcmp(v, "random") == 0) o->tails_random = 1;
            else build_die("--tails: '%s': expected extended or random", v);
        } else if (strcmp(a, "--pb-o") == 0) o->pb_o = num_arg(argc, argv, &i, a);
        else if (strcmp(a, "--ligand-rmin") == 0) o->lig_rmin = num_arg(argc, argv, &i, a);
        else if (strcmp(a, "--fragment") == 0) {
            const char *v = str_arg(argc, argv, &i, a);
            if (strcmp(v, "oleate") == 0) o->fragment = 1;
            else if (strcmp(v, "none") == 0) o->fragment = 0;
            else build_die("--fragment: '%s': expected oleate or none", v);
            gv.fragment = 1;
        } else if (strcmp(a, "--pairs") == 0) { o->npairs = (int)int_arg(argc, argv, &i, a); gv.pairs = 1; }
        else if (strcmp(a, "--pair-layers") == 0) { o->pair_layers = (int)int_arg(argc, argv, &i, a); gv.pairs = 1; }
        else if (strcmp(a, "--slab-cells") == 0) {
            o->slab_cells[0] = (int)int_arg(argc, argv, &i, a);
            o->slab_cells[1] = (int)int_arg(argc, argv, &i, a);
            gv.slab = 1;
        } else if (strcmp(a, "--slab-layers") == 0) { o->slab_layers = (int)int_arg(argc, argv, &i, a); gv.slab = 1; }
        else if (strcmp(a, "--solvent") == 0) {
            const char *v = str_arg(argc, argv, &i, a);
            if (strcmp(v, "eg") == 0) o->solvent = SOLV_EG;
            else if (strcmp(v, "eda") == 0) o->solvent = SOLV_EDA;
            else if (strcmp(v, "none") == 0) o->solvent = SOLV_NONE;
            else build_die("--solvent: '%s': expected eg, eda or none", v);
        } else if (strcmp(a, "--density") == 0) { o->density = num_arg(argc, argv, &i, a); gv.density = 1; }
        else if (strcmp(a, "--box") == 0) {
            for (int k = 0; k < 3; k++) o->box[k] = num_arg(argc, argv, &i, a);
            o->box_set = 1;
        } else if (strcmp(a, "--pad") == 0) o->pad = num_arg(argc, argv, &i, a);
        else if (strcmp(a, "--solvent-rmin") == 0) o->solv_rmin = num_arg(argc, argv, &i, a);
        else if (strcmp(a, "--temp") == 0) o->temp = num_arg(argc, argv, &i, a);
        else if (strcmp(a, "--steps") == 0) o->steps = int_arg(argc, argv, &i, a);
        else if (strcmp(a, "--min-iter") == 0) o->min_iter = int_arg(argc, argv, &i, a);
        else if (strcmp(a, "--seed") == 0) {
            long v = int_arg(argc, argv, &i, a);
            if (v < 0) build_die("--seed must be >= 0 (got %ld)", v);
            o->seed = (unsigned long long)v;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) snprintf(o->out, sizeof o->out, "%s", str_arg(argc, argv, &i, a));
        else if (strcmp(a, "--potentials") == 0) snprintf(o->potdir, sizeof o->potdir, "%s", str_arg(argc, argv, &i, a));
        else if (strcmp(a, "--moldir") == 0) snprintf(o->moldir, sizeof o->moldir, "%s", str_arg(argc, argv, &i, a));
        else build_die("unknown option '%s' (neckmd build --help lists them)", a);
    }
    /* checks */
    if (nsys > 1) build_die("choose one of --pair, --monolayer N, --slabs");
    if (o->layers < 2 || o->layers > 64) build_die("--layers must be 2..64 (got %d)", o->layers);
    if (!(o->a >= 4.0 && o->a <= 8.0)) build_die("--a must be between 4 and 8 A (got %g)", o->a);
    if (o->d111 < 0) o->d111 = -o->d111 * o->a / 4.0;
    if (gv.d111 && o->shape != SHAPE_OCTA) build_die("--d111 applies to --shape octahedron only");
    for (int f = 0; f < FAM_COUNT; f++)
        if (o->cov[f] < 0) build_die("--oleate-%s must be >= 0 ligands/nm^2 (got %g)", f == FAM_100 ? "100" : "111", o->cov[f]);
    if (!(o->pb_o > 1.5 && o->pb_o < 4.0)) build_die("--pb-o must be between 1.5 and 4 A (got %g)", o->pb_o);
    if (!(o->lig_rmin > 1.0 && o->lig_rmin <= 4.0)) build_die("--ligand-rmin must be between 1 and 4 A (got %g)", o->lig_rmin);
    if (!(o->solv_rmin > 1.0 && o->solv_rmin <= 4.0)) build_die("--solvent-rmin must be between 1 and 4 A (got %g)", o->solv_rmin);
    if (gv.gap && o->gap < 0) build_die("--gap must be >= 0 A (got %g): it is the distance between the facing atomic planes", o->gap);
    if ((o->sys == SYS_PAIR || o->sys == SYS_SLABS) && !gv.gap) build_die("%s needs --gap G (A between the facing atomic planes)", o->sys == SYS_PAIR ? "--pair" : "--slabs");
    if (gv.gap && o->sys != SYS_PAIR && o->sys != SYS_SLABS) build_die("--gap applies to --pair and --slabs only");
    if (gv.misalign && o->sys != SYS_PAIR) build_die("--misalign applies to --pair only");
    if (o->euler_set && o->sys == SYS_PAIR) build_die("--euler cannot be combined with --pair (the pair is <100>-aligned along x; use --misalign)");
    if (o->sys == SYS_MONOLAYER) {
        if (o->nmono < 1 || o->nmono > 200) build_die("--monolayer N needs 1 <= N <= 200 (got %d)", o->nmono);
        if (!gv.spacing) build_die("--monolayer needs --spacing S (centre-to-centre, A)");
        if (!(o->spacing > 0)) build_die("--spacing must be > 0 A (got %g)", o->spacing);
    } else if (gv.spacing) build_die("--spacing applies to --monolayer only");
    if (o->sys != SYS_SLABS && (gv.fragment || gv.pairs || gv.slab)) build_die("--fragment, --pairs, --pair-layers, --slab-cells and --slab-layers apply to --slabs only");
    if (o->sys == SYS_SLABS) {
        if (o->npairs < 0 || o->npairs > 400) build_die("--pairs must be 0..400 (got %d)", o->npairs);
        if (o->pair_layers < 2 || o->pair_layers % 2) build_die("--pair-layers must be even and >= 2 (got %d)", o->pair_layers);
        if ((2 * o->npairs) % o->pair_layers) build_die("--pairs %d: 2n = %d atoms do not fill %d layers evenly", o->npairs, 2 * o->npairs, o->pair_layers);
        if (o->slab_cells[0] < 1 || o->slab_cells[1] < 1 || o->slab_cells[0] > 64 || o->slab_cells[1] > 64) build_die("--slab-cells must be 1..64");
        if (o->slab_layers < 1 || o->slab_layers > 64) build_die("--slab-layers must be 1..64");
        if (o->box_set) build_die("--box does not apply to --slabs (the lateral cell is --slab-cells; the height is set by --gap and --pad)");
        if (gv.shape || gv.d111 || o->euler_set || gv.oleate) build_die("--shape, --d111, --euler and --oleate-* do not apply to --slabs");
        if (o->fragment && o->gap < 4.0) build_die("--fragment oleate needs --gap >= 4 A (got %g)", o->gap);
    }
    if (gv.density && !(o->density > 0 && o->density < 5)) build_die("--density must be between 0 and 5 g/cm^3 (got %g)", o->density);
    if (gv.density && o->solvent == SOLV_NONE) build_die("--density needs --solvent eg or eda");
    if (!gv.density) o->density = o->solvent == SOLV_EG ? 1.11 : o->solvent == SOLV_EDA ? 0.90 : 0.0;
    if (o->box_set)
        for (int k = 0; k < 3; k++)
            if (!(o->box[k] > 0)) build_die("--box edges must be > 0 A (got %g %g %g)", o->box[0], o->box[1], o->box[2]);
    if (o->pad < 0) o->pad = o->sys == SYS_SLABS ? 30.0 : 12.0;
    if (o->sys == SYS_SLABS && o->fragment && o->pad < 28.0) build_die("--slabs --fragment oleate needs --pad >= 28 A (room for the oleate under slab 1)");
    if (!(o->temp > 0)) build_die("--temp must be > 0 K");
    if (o->steps < 0) build_die("--steps must be >= 0");
    if (o->min_iter < 0) build_die("--min-iter must be >= 0");
    char *rp = realpath(o->potdir, NULL);
    if (!rp) build_die("potentials directory %s: %s (see --potentials)", o->potdir, strerror(errno));
    snprintf(o->potdir, sizeof o->potdir, "%s", rp);
    free(rp);
    if (!o->moldir[0]) snprintf(o->moldir, sizeof o->moldir, "%s/molecules", o->potdir);
    if (!o->out[0]) build_die("-o: empty output prefix");
}

/* ---------------------------------------------------------------- NC systems */
typedef struct NCRun {
    NCCore *core;
    NCInst **inst;
    int nnc;
    double target_real[FAM_COUNT];
} NCRun;

/* Ligand counts per family for one NC: rounded, total even, within the sites. */
static void ligand_targets(const BuildOpts *o, const NCCore *c, int n[FAM_COUNT], double t[FAM_COUNT])
{
    int ok[FAM_COUNT];
    for (int f = 0; f < FAM_COUNT; f++) {
        ok[f] = !o->strip[f] && o->cov[f] > 0 && c->area[f] > 0;
        t[f] = ok[f] ? o->cov[f] * c->area[f] / 100.0 : 0.0;
        n[f] = (int)lround(t[f]);
        if (!o->cov_given[f] && n[f] > c->nsurf_pb[f]) n[f] = c->nsurf_pb[f]; /* a default on a small NC */
    }
    if ((n[0] + n[1]) % 2) {
        double best = 1e30;
        int bn[2] = {n[0], n[1]};
        for (int f = 1; f >= 0; f--)
            for (int dlt = 1; dlt >= -1; dlt -= 2) {
                int m[2] = {n[0], n[1]};
                m[f] += dlt;
                if (!ok[f] || m[f] < 0 || m[f] > c->nsurf_pb[f]) continue;
                double e = fabs(m[0] - t[0]) / fmax(t[0], 1.0) + fabs(m[1] - t[1]) / fmax(t[1], 1.0);
                if (e < best - 1e-12) { best = e; bn[0] = m[0]; bn[1] = m[1]; }
            }
        if (best > 1e29) build_die("cannot make the ligand count even (N_oleate = 2 (N_Pb - N_Se)) with the coverages asked");
        n[0] = bn[0]; n[1] = bn[1];
    }
    for (int f = 0; f < FAM_COUNT; f++)
        if (n[f] > c->nsurf_pb[f])
            build_die("--oleate-%s %g /nm^2 asks for %d oleates on the {%s} facets (%.1f nm^2) but the NC has only %d surface Pb there "
                      "(at most %.2f /nm^2)",
                      f ? "111" : "100", o->cov[f], n[f], f ? "111" : "100", c->area[f] / 100.0, c->nsurf_pb[f],
                      c->nsurf_pb[f] / (c->area[f] / 100.0));
}

static void hex_positions(int n, double S, double (*p)[2])
{
    int K = (int)ceil(sqrt((double)n)) + 2, m = 0;
    int cap = (2 * K + 1) * (2 * K + 1);
    double (*c)[4] = build_alloc((size_t)cap, sizeof *c);
    for (int j = -K; j <= K; j++)
        for (int i = -K; i <= K; i++) {
            double x = S * (i + 0.5 * j), y = S * (sqrt(3.0) / 2.0) * j;
            c[m][0] = x; c[m][1] = y; c[m][2] = x * x + y * y; c[m][3] = atan2(y, x);
            m++;
        }
    /* selection sort of the n nearest (distance, then angle) */
    for (int k = 0; k < n; k++) {
        int b = k;
        for (int q = k + 1; q < m; q++)
            if (c[q][2] < c[b][2] - 1e-6 || (fabs(c[q][2] - c[b][2]) <= 1e-6 && c[q][3] < c[b][3])) b = q;
        double t[4];
        memcpy(t, c[k], sizeof t); memcpy(c[k], c[b], sizeof t); memcpy(c[b], t, sizeof t);
        p[k][0] = c[k][0]; p[k][1] = c[k][1];
    }
    double cx = 0, cy = 0;
    for (int k = 0; k < n; k++) { cx += p[k][0] / n; cy += p[k][1] / n; }
    for (int k = 0; k < n; k++) { p[k][0] -= cx; p[k][1] -= cy; }
    free(c);
}

static void build_ncs(BSys *s, const BuildOpts *o, const MolTemplate *ole, LigandModel **plm, NCRun *run, double *t_core, double *t_lig)
{
    double t0 = now();
    NCCore *c = nc_core_create(o);
    run->core = c;
    int n[FAM_COUNT];
    ligand_targets(o, c, n, run->target_real);
    int nnc = o->sys == SYS_NC ? 1 : o->sys == SYS_PAIR ? 2 : o->nmono;
    run->nnc = nnc;
    run->inst = build_alloc((size_t)nnc, sizeof *run->inst);
    double R[3][3], I[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    double (*cen)[3] = build_alloc((size_t)nnc, sizeof *cen);
    double (*rot)[3][3] = build_alloc((size_t)nnc, sizeof *rot);
    nc_euler(o->euler, R);
    if (o->sys == SYS_PAIR) {
        double xa[3] = {1, 0, 0}, R2[3][3];
        m_axis_angle(xa, o->misalign * M_PI / 180.0, R2);
        memcpy(rot[0], I, sizeof I);
        memcpy(rot[1], R2, sizeof R2);
        /* facing planes: the largest x of NC 1 and the smallest of NC 2 (turning about x keeps it) */
        double hi = -1e30, lo = 1e30;
        for (int k = 0; k < c->nsite; k++) {
            double x1 = c->u[k][0] * c->a / 4.0;
            if (x1 > hi) hi = x1;
            if (x1 < lo) lo = x1;
        }
        cen[0][0] = cen[0][1] = cen[0][2] = 0;
        cen[1][0] = hi + o->gap - lo; cen[1][1] = cen[1][2] = 0;
    } else if (o->sys == SYS_MONOLAYER) {
        double (*p)[2] = build_alloc((size_t)nnc, sizeof *p);
        hex_positions(nnc, o->spacing, p);
        for (int k = 0; k < nnc; k++) {
            cen[k][0] = p[k][0]; cen[k][1] = p[k][1]; cen[k][2] = 0;
            memcpy(rot[k], R, sizeof R);
        }
        free(p);
    } else {
        cen[0][0] = cen[0][1] = cen[0][2] = 0;
        memcpy(rot[0], R, sizeof R);
    }
    /* contact grid over the solute region */
    double lo[3] = {1e30, 1e30, 1e30}, hi[3] = {-1e30, -1e30, -1e30};
    for (int k = 0; k < nnc; k++)
        for (int d = 0; d < 3; d++) {
            lo[d] = fmin(lo[d], cen[k][d] - c->radius - 40.0);
            hi[d] = fmax(hi[d], cen[k][d] + c->radius + 40.0);
        }
    Grid *g = grid_create(lo, hi, fmax(3.0, o->lig_rmin), 0);
    for (int k = 0; k < nnc; k++) {
        run->inst[k] = nc_inst_create(c, s, g, k + 1, k + 1, (const double (*)[3])rot[k], cen[k]);
        for (int f = 0; f < FAM_COUNT; f++) run->inst[k]->nlig_target[f] = n[f];
    }
    s->nmol = nnc;
    /* cores of different NCs must not touch */
    if (nnc > 1)
        for (long i = 0; i < s->n; i++)
            if (grid_clash(g, s, s->x[i], CORE_RMIN, i))
                build_die("the NC cores overlap (core atoms of different NCs closer than %.1f A): increase %s", CORE_RMIN,
                          o->sys == SYS_PAIR ? "--gap" : "--spacing");
    *t_core = now() - t0;
    t0 = now();
    if (n[0] + n[1] > 0) {
        *plm = ligand_model_create(ole, s, o->pb_o);
        ligand_cover(*plm, s, g, run->inst, nnc, o);
    }
    for (int k = 0; k < nnc; k++) {
        NCInst *in = run->inst[k];
        nc_neutralize(in, s, (in->nlig[0] + in->nlig[1]) / 2, o->seed);
    }
    *t_lig = now() - t0;
    grid_destroy(&g);
    free(cen);
    free(rot);
}

/* Centre the solute in the box (given, or extent + 2 pad). */
static void make_box(BSys *s, const BuildOpts *o)
{
    int has_lig = 0;
    for (long i = 0; i < s->n && !has_lig; i++) has_lig = s->role[i] == ROLE_LIGAND && !s->dead[i];
    double lo[3] = {1e30, 1e30, 1e30}, hi[3] = {-1e30, -1e30, -1e30};
    for (long i = 0; i < s->n; i++) {
        if (s->dead[i]) continue;
        for (int d = 0; d < 3; d++) { lo[d] = fmin(lo[d], s->x[i][d]); hi[d] = fmax(hi[d], s->x[i][d]); }
    }
    for (int d = 0; d < 3; d++) {
        double ext = hi[d] - lo[d];
        if (o->box_set) {
            /* the solute must not touch its periodic image */
            double need = ext + (has_lig ? fmax(CORE_RMIN, o->lig_rmin) : CORE_RMIN);
            if (need > o->box[d])
                build_die("box too small: the solute spans %.2f A along %c (NCs and ligands, atom centres) but --box gives %.2f A; "
                          "needs at least %.2f A", ext, "xyz"[d], o->box[d], need);
            s->box[d] = o->box[d];
        } else {
            s->box[d] = ext + 2.0 * o->pad;
            if (s->box[d] < 2.0 * CORE_RMIN) s->box[d] = 2.0 * CORE_RMIN;
        }
        double shift = 0.5 * s->box[d] - 0.5 * (lo[d] + hi[d]);
        for (long i = 0; i < s->n; i++) s->x[i][d] += shift;
    }
}

/* ---------------------------------------------------------------- contacts */
enum { C_CORE_CORE, C_LIG_CORE, C_LIG_LIG, C_GAP, C_SOLV, C_COUNT };
static const char *cname[C_COUNT] = {"core_core_other_nc", "ligand_core", "ligand_ligand", "gap_any", "solvent_any"};
typedef struct Contacts { double d[C_COUNT]; long pair[C_COUNT][2]; double bound_min, bound_max; long nbound; } Contacts;
typedef struct CtxC { const BSys *s; long i; Contacts *c; } CtxC;

static void contact_cb(long j, double d2, void *vctx)
{
    CtxC *x = vctx;
    const BSys *s = x->s;
    long i = x->i;
    if (j <= i) return;
    double d = sqrt(d2);
    if (s->anchor[i] == j || s->anchor[j] == i) { /* a bound head atom and its Pb */
        if (d < x->c->bound_min) x->c->bound_min = d;
        if (d > x->c->bound_max) x->c->bound_max = d;
        x->c->nbound++;
        return;
    }
    int ri = s->role[i], rj = s->role[j], k;
    if (s->mol[i] == s->mol[j]) return; /* same molecule (an NC core, a slab, the gap cuboid, one ligand) */
    if (ri == ROLE_SOLVENT || rj == ROLE_SOLVENT) k = C_SOLV;
    else if (ri == ROLE_GAP || rj == ROLE_GAP) k = C_GAP;
    else if (ri == ROLE_LIGAND && rj == ROLE_LIGAND) k = C_LIG_LIG;
    else if (ri == ROLE_LIGAND || rj == ROLE_LIGAND) k = C_LIG_CORE;
    else k = C_CORE_CORE;
    if (d < x->c->d[k]) { x->c->d[k] = d; x->c->pair[k][0] = i; x->c->pair[k][1] = j; }
}

static void contacts(const BSys *s, Contacts *c)
{
    for (int k = 0; k < C_COUNT; k++) { c->d[k] = 1e30; c->pair[k][0] = c->pair[k][1] = -1; }
    c->bound_min = 1e30; c->bound_max = 0; c->nbound = 0;
    Grid *g = grid_create(NULL, s->box, 4.0, 1);
    for (long i = 0; i < s->n; i++) grid_add(g, s, i);
    for (long i = 0; i < s->n; i++) {
        CtxC x = {s, i, c};
        grid_visit(g, s, s->x[i], 4.0, contact_cb, &x);
    }
    grid_destroy(&g);
}

/* ---------------------------------------------------------------- output */
static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static void write_data(const BSys *s, const char *path, const char *title)
{
    FILE *f = fopen(path, "w");
    if (!f) build_die("cannot write %s: %s", path, strerror(errno));
    fprintf(f, "%s\n\n", title);
    fprintf(f, "%ld atoms\n%ld bonds\n%ld angles\n%ld dihedrals\n0 impropers\n\n", s->n, s->ntopo[BK_BOND], s->ntopo[BK_ANGLE], s->ntopo[BK_DIHEDRAL]);
    fprintf(f, "%d atom types\n%d bond types\n%d angle types\n%d dihedral types\n\n", s->ntypes, s->ntopotypes[BK_BOND], s->ntopotypes[BK_ANGLE],
            s->ntopotypes[BK_DIHEDRAL]);
    fprintf(f, "0.0 %.6f xlo xhi\n0.0 %.6f ylo yhi\n0.0 %.6f zlo zhi\n\nMasses\n\n", s->box[0], s->box[1], s->box[2]);
    for (int t = 0; t < s->ntypes; t++) fprintf(f, "%d %g # %s\n", t + 1, s->tmass[t], s->tname[t]);
    fprintf(f, "\nAtoms # full\n\n");
    for (long i = 0; i < s->n; i++) {
        double w[3];
        long im[3];
        for (int d = 0; d < 3; d++) {
            im[d] = (long)floor(s->x[i][d] / s->box[d]);
            w[d] = s->x[i][d] - im[d] * s->box[d];
            if (w[d] >= s->box[d]) { w[d] -= s->box[d]; im[d]++; }
            if (w[d] < 0) w[d] = 0;
        }
        fprintf(f, "%ld %ld %d %.4f %.6f %.6f %.6f %ld %ld %ld\n", i + 1, s->mol[i], s->type[i] + 1, s->q[i], w[0], w[1], w[2], im[0], im[1], im[2]);
    }
    static const char *sec[BK_COUNT] = {"Bonds", "Angles", "Dihedrals"};
    for (int k = 0; k < BK_COUNT; k++) {
        if (!s->ntopo[k]) continue;
        int na = bk_natom(k);
        fprintf(f, "\n%s\n\n", sec[k]);
        for (long r = 0; r < s->ntopo[k]; r++) {
            const long *rec = s->topo[k] + (size_t)r * (size_t)(na + 1);
            fprintf(f, "%ld %ld", r + 1, rec[0] + 1);
            for (int a = 0; a < na; a++) fprintf(f, " %ld", rec[1 + a] + 1);
            fprintf(f, "\n");
        }
    }
    if (ferror(f) || fclose(f) != 0) build_die("error writing %s", path);
}

/* Bond types to constrain: those a parameter file marks 'fixed', and bonds to hydrogen. */
static int shake_types(const BSys *s, char ffs[][600], int nff, int *out)
{
    int n = 0;
    for (int ty = 0; ty < s->ntopotypes[BK_BOND]; ty++) {
        const char *a = s->topotname[BK_BOND][ty][0], *b = s->topotname[BK_BOND][ty][1];
        int fix = 0;
        for (int t = 0; t < s->ntypes; t++)
            if ((strcmp(s->tname[t], a) == 0 || strcmp(s->tname[t], b) == 0) && s->tmass[t] < 1.5) fix = 1;
        for (int q = 0; q < nff && !fix; q++) {
            FILE *f = fopen(ffs[q], "r");
            if (!f) build_die("cannot read %s (see --potentials)", ffs[q]);
            char line[1024];
            while (fgets(line, sizeof line, f) && !fix) {
                char w0[64], w1[64], w2[64], w3[64];
                if (sscanf(line, "%63s %63s %63s %63s", w0, w1, w2, w3) == 4 && strcmp(w0, "bond") == 0 && strcmp(w3, "fixed") == 0 &&
                    ((strcmp(w1, a) == 0 && strcmp(w2, b) == 0) || (strcmp(w1, b) == 0 && strcmp(w2, a) == 0)))
                    fix = 1;
            }
            fclose(f);
        }
        if (fix) out[n++] = ty + 1;
    }
    return n;
}

static void write_deck(const BSys *s, const BuildOpts *o, const char *path, const char *title, int has_ole)
{
    char ffs[4][600];
    int nff = 0;
    snprintf(ffs[nff++], sizeof ffs[0], "%s/pbse_lj_q129.ff", o->potdir);
    if (has_ole) snprintf(ffs[nff++], sizeof ffs[0], "%s/oleate_ua.ff", o->potdir);
    if (o->solvent == SOLV_EG) snprintf(ffs[nff++], sizeof ffs[0], "%s/eg_opls_ua.ff", o->potdir);
    if (o->solvent == SOLV_EDA) snprintf(ffs[nff++], sizeof ffs[0], "%s/eda_ua.ff", o->potdir);
    for (int q = 0; q < nff; q++) {
        FILE *t = fopen(ffs[q], "r");
        if (!t) build_die("cannot read %s (see --potentials)", ffs[q]);
        fclose(t);
    }
    int sh[64];
    int nsh = s->ntopotypes[BK_BOND] <= 64 ? shake_types(s, ffs, nff, sh) : 0;
    FILE *f = fopen(path, "w");
    if (!f) build_die("cannot write %s: %s", path, strerror(errno));
    const char *b = base_name(o->out);
    fprintf(f, "# neckmd input deck for %s.data (%s)\n# written by: %s\n", b, title, o->cmdline);
    fprintf(f, "# Run from this directory: mpirun -np 4 neckmd run %s.in   (OMP_NUM_THREADS threads per rank)\n", b);
    fprintf(f, "log           %s.log\n", b);
    fprintf(f, "read_data     %s.data\n", b);
    fprintf(f, "# PbSe: LJ + Coulomb, q = +-1.29 (pbse_lj_q129.ff)%s%s\n", has_ole ? "; oleate: TraPPE-UA + OPLS-UA head, -0.645 e (oleate_ua.ff)" : "",
            o->solvent == SOLV_EG ? "; EG: OPLS-UA" : o->solvent == SOLV_EDA ? "; EDA: UA from OPLS-AA" : "");
    fprintf(f, "forcefield   ");
    for (int q = 0; q < nff; q++) fprintf(f, " %s", ffs[q]);
    fprintf(f, "\n");
    if (has_ole && o->solvent != SOLV_NONE) {
        fprintf(f, "# One 1-2/1-3/1-4 rule holds per system: the solvent's OPLS rule (1-4 x 0.5). For the oleate (TraPPE:\n"
                   "# 1-4 excluded) this adds its 1-4 LJ pairs at half strength; its 1-4 Coulomb pairs all involve an\n"
                   "# uncharged chain site, so electrostatics are unchanged.\n");
        fprintf(f, "special_bonds lj 0.0 0.0 0.5 coul 0.0 0.0 0.5\n");
    } else if (has_ole) {
        fprintf(f, "# TraPPE (oleate_ua.ff): 1-2, 1-3 and 1-4 pairs excluded\nspecial_bonds lj 0.0 0.0 0.0 coul 0.0 0.0 0.0\n");
    } else if (o->solvent != SOLV_NONE) {
        fprintf(f, "# OPLS (solvent file): 1-4 x 0.5\nspecial_bonds lj 0.0 0.0 0.5 coul 0.0 0.0 0.5\n");
    }
    fprintf(f, "pair_cutoff   12.0\ncoulomb       pppm 1e-5\nneighbor      2.0 every 1\n");
    long every = o->steps >= 1000 ? 100 : (o->steps >= 10 ? o->steps / 10 : 1);
    fprintf(f, "thermo        %ld %s.thermo.csv\nrecord        %s.record.json\n", every, b, b);
    fprintf(f, "# relax the contacts of the build (box fixed; harmonic stand-ins for the constrained bonds)\n");
    if (o->min_iter > 0) fprintf(f, "minimize      1e-6 1e-3 %ld %ld\n", o->min_iter, 10 * o->min_iter);
    if (nsh > 0) {
        fprintf(f, "# constrain the bonds the parameter files mark 'fixed' and the bonds to H (numeric bond types)\nshake         1e-8 500");
        for (int q = 0; q < nsh; q++) fprintf(f, " %d", sh[q]);
        fprintf(f, "\ntimestep      2.0\n");
    } else {
        fprintf(f, "timestep      %s\n", s->ntopo[BK_BOND] ? "1.0" : "2.0");
    }
    fprintf(f, "velocity      %g %llu\n", o->temp, o->seed % 2147483646ULL + 1ULL);
    fprintf(f, "integrate     nvt %g 100.0\n", o->temp);
    long tr = o->steps >= 1000 ? 1000 : (o->steps > 0 ? o->steps : 1);
    fprintf(f, "trajectory    %ld %s.nc\n", tr, b);
    fprintf(f, "restart       %ld %s.rst\n", o->steps >= 10000 ? 10000 : (o->steps > 0 ? o->steps : 1), b);
    fprintf(f, "run           %ld\n", o->steps);
    fprintf(f, "write_data    %s.final.data\n", b);
    if (ferror(f) || fclose(f) != 0) build_die("error writing %s", path);
}

static void write_ncid(const BSys *s, const char *path)
{
    static const char *role[ROLE_COUNT] = {"?", "core", "ligand", "solvent", "gap"};
    FILE *f = fopen(path, "w");
    if (!f) build_die("cannot write %s: %s", path, strerror(errno));
    fprintf(f, "# neckmd build: atom id -> NC id (NC/slab k = 1..; 0 = solvent or gap atoms), role (core ligand solvent gap)\n# id nc role\n");
    for (long i = 0; i < s->n; i++) fprintf(f, "%ld %d %s\n", i + 1, s->nc[i], role[s->role[i]]);
    if (ferror(f) || fclose(f) != 0) build_die("error writing %s", path);
}

/* ---------------------------------------------------------------- main */
int build_main(int argc, char **argv)
{
    double t_start = now(), t_core = 0, t_lig = 0, t_solv = 0, t_check = 0, t_write = 0;
    BuildOpts o;
    parse(&o, argc, argv);
    BSys *s = bsys_create();
    char path[1200];
    MolTemplate *ole = NULL, *solv = NULL;
    LigandModel *lm = NULL;
    NCRun run;
    memset(&run, 0, sizeof run);
    SlabReport srep;
    memset(&srep, 0, sizeof srep);
    SolventReport vrep;
    memset(&vrep, 0, sizeof vrep);
    static const char *sysname[] = {"nc", "pair", "monolayer", "slabs"};
    static const char *shapename[] = {"cube", "octahedron", "sphere"};
    static const char *solvname[] = {"none", "eg", "eda"};
    snprintf(path, sizeof path, "%s/oleate_single.data", o.moldir);
    ole = moltemplate_read(path);
    if (o.solvent != SOLV_NONE) {
        snprintf(path, sizeof path, "%s/%s_single.data", o.moldir, o.solvent == SOLV_EG ? "eg" : "eda");
        solv = moltemplate_read(path);
    }
    bsys_type(s, "Pb", 207.2);
    bsys_type(s, "Se", 78.971);
    if (o.sys == SYS_SLABS) {
        double t0 = now();
        if (o.fragment) lm = ligand_model_create(ole, s, o.pb_o);
        slab_build(s, &o, lm, &srep);
        t_core = now() - t0;
    } else {
        build_ncs(s, &o, ole, &lm, &run, &t_core, &t_lig);
        make_box(s, &o);
    }
    if (solv) {
        double t0 = now();
        solvent_fill(s, solv, &o, &vrep);
        t_solv = now() - t0;
    }
    double t0 = now();
    bsys_compact(s);
    /* counts and neutrality */
    long npb = 0, nse = 0, nole = 0, nsolv = vrep.nmol;
    for (long i = 0; i < s->n; i++) {
        if (s->role[i] == ROLE_CORE || s->role[i] == ROLE_GAP) {
            if (strcmp(s->tname[s->type[i]], "Pb") == 0) npb++;
            else nse++;
        }
    }
    for (long i = 0; i < s->n; i++)
        if (s->role[i] == ROLE_LIGAND) nole++;
    if (nole % ole->natoms) build_die("internal: %ld ligand atoms is not a whole number of oleates", nole);
    nole /= ole->natoms;
    if (2 * (npb - nse) != nole)
        build_die("internal: the system is not neutral: 2 (N_Pb - N_Se) = %ld but N_oleate = %ld", 2 * (npb - nse), nole);
    double qsum = bsys_charge(s);
    Contacts ct;
    contacts(s, &ct);
    t_check = now() - t0;
    /* title */
    char title[1600], summary[800];
    snprintf(summary, sizeof summary, "%s; %ld atoms, %ld Pb, %ld Se, %ld oleate, %ld %s; net charge 0 (2 (N_Pb - N_Se) = N_oleate); seed %llu",
             sysname[o.sys], s->n, npb, nse, nole, nsolv, o.solvent ? solvname[o.solvent] : "solvent", o.seed);
    snprintf(title, sizeof title, "LAMMPS data file (atom_style full, units real) written by neckmd build: %s", summary);
    /* files: PREFIX.*.tmp, renamed at the end */
    t0 = now();
    char tmp[4][1200], fin[4][1200];
    static const char *ext[4] = {".data", ".in", ".ncid", ".build.json"};
    for (int k = 0; k < 4; k++) {
        snprintf(fin[k], sizeof fin[k], "%s%s", o.out, ext[k]);
        snprintf(tmp[k], sizeof tmp[k], "%s%s.tmp", o.out, ext[k]);
    }
    write_data(s, tmp[0], title);
    write_deck(s, &o, tmp[1], summary, nole > 0);
    write_ncid(s, tmp[2]);
    t_write = now() - t0;
    double t_total = now() - t_start;
    /* report (stdout) and JSON */
    FILE *js = fopen(tmp[3], "w");
    if (!js) build_die("cannot write %s: %s", tmp[3], strerror(errno));
    char cmdjs[8200];
    size_t q = 0;
    for (const char *p = o.cmdline; *p && q < sizeof cmdjs - 3; p++) {
        if (*p == '"' || *p == '\\') cmdjs[q++] = '\\';
        cmdjs[q++] = (unsigned char)*p < 32 ? ' ' : *p;
    }
    cmdjs[q] = '\0';
    fprintf(js, "{\n  \"command\": \"%s\",\n  \"seed\": %llu,\n  \"system\": \"%s\",\n", cmdjs, o.seed, sysname[o.sys]);
    fprintf(js, "  \"files\": {\"data\": \"%s\", \"deck\": \"%s\", \"ncid\": \"%s\"},\n", fin[0], fin[1], fin[2]);
    fprintf(js, "  \"atoms\": %ld,\n  \"bonds\": %ld,\n  \"angles\": %ld,\n  \"dihedrals\": %ld,\n  \"molecules\": %ld,\n", s->n, s->ntopo[0], s->ntopo[1], s->ntopo[2], s->nmol);
    fprintf(js, "  \"box\": [%.6f, %.6f, %.6f],\n", s->box[0], s->box[1], s->box[2]);
    fprintf(js, "  \"counts\": {\"Pb\": %ld, \"Se\": %ld, \"oleate\": %ld, \"solvent\": %ld},\n", npb, nse, nole, nsolv);
    fprintf(js, "  \"net_charge_e\": %.12g,\n  \"net_charge_exact\": \"1.29 (N_Pb - N_Se) - 0.645 N_oleate = 0.645 (%ld - %ld) = 0\",\n", qsum, 2 * (npb - nse), nole);
    printf("neckmd build: %s", sysname[o.sys]);
    if (o.sys != SYS_SLABS) printf(", %d NC%s, %s, %d layers (%.2f nm along <100>), a = %.4f A", run.nnc, run.nnc > 1 ? "s" : "", shapename[o.shape], o.layers, o.layers * o.a / 20.0, o.a);
    printf("\n");
    fprintf(js, "  \"ncs\": [");
    if (o.sys != SYS_SLABS) {
        const NCCore *c = run.core;
        if (c->shape == SHAPE_OCTA) printf("  {111} facet distances: %.3f .. %.3f A (d111 asked %.3f A); {100}: %.3f A\n",
                                           fmin(fmin(c->d111[0], c->d111[1]), fmin(c->d111[6], c->d111[7])), fmax(fmax(c->d111[0], c->d111[1]), fmax(c->d111[6], c->d111[7])),
                                           o.d111 > 0 ? o.d111 : o.layers * o.a / 4.0, o.layers * o.a / 4.0);
        printf("  as cut: %d Pb + %d Se (N_Pb - N_Se = %d); facet areas {100} %.2f nm^2, {111} %.2f nm^2; surface Pb {100} %d, {111} %d\n",
               c->npb, c->nse, c->npb - c->nse, c->area[0] / 100, c->area[1] / 100, c->nsurf_pb[0], c->nsurf_pb[1]);
        for (int k = 0; k < run.nnc; k++) {
            const NCInst *in = run.inst[k];
            int pb = 0, se = 0;
            for (long i = 0; i < s->n; i++)
                if (s->nc[i] == in->id && s->role[i] == ROLE_CORE) {
                    if (strcmp(s->tname[s->type[i]], "Pb") == 0) pb++; else se++;
                }
            int nl = in->nlig[0] + in->nlig[1];
            double cov[2];
            for (int f = 0; f < 2; f++) cov[f] = c->area[f] > 0 ? in->nlig[f] / (c->area[f] / 100.0) : 0.0;
            double q = 1.29 * (pb - se) - Q_OLEATE_ABS * nl;
            printf("  NC %d: %d Pb + %d Se + %d oleate (%d on {100}: %.3f /nm^2, asked %.3f; %d on {111}: %.3f /nm^2, asked %.3f); removed %d Pb, %d Se; charge %+.2e e\n",
                   in->id, pb, se, nl, in->nlig[0], cov[0], o.strip[0] ? 0.0 : o.cov[0], in->nlig[1], cov[1], o.strip[1] ? 0.0 : o.cov[1],
                   in->removed_pb, in->removed_se, fabs(q) < 1e-9 ? 0.0 : q);
            fprintf(js, "%s\n    {\"id\": %d, \"Pb\": %d, \"Se\": %d, \"oleate\": %d, \"oleate_100\": %d, \"oleate_111\": %d, "
                        "\"area_100_nm2\": %.6f, \"area_111_nm2\": %.6f, \"coverage_100\": %.6f, \"coverage_111\": %.6f, "
                        "\"requested_100\": %.6f, \"requested_111\": %.6f, \"surface_Pb_100\": %d, \"surface_Pb_111\": %d, "
                        "\"removed_Pb\": %d, \"removed_Se\": %d, \"skipped_sites\": %d, \"charge_e\": %.12g, \"centre\": [%.6f, %.6f, %.6f]}",
                    k ? "," : "", in->id, pb, se, nl, in->nlig[0], in->nlig[1], c->area[0] / 100, c->area[1] / 100, cov[0], cov[1],
                    (o.strip[0] || c->area[0] <= 0) ? 0.0 : o.cov[0], (o.strip[1] || c->area[1] <= 0) ? 0.0 : o.cov[1], c->nsurf_pb[0], c->nsurf_pb[1],
                    in->removed_pb, in->removed_se, in->nskipped[0] + in->nskipped[1], fabs(q) < 1e-9 ? 0.0 : q,
                    in->centre[0], in->centre[1], in->centre[2]);
        }
    }
    fprintf(js, "\n  ],\n");
    if (o.sys == SYS_SLABS) {
        printf("  two {001} slabs %d x %d cells x %d layers (%.3f x %.3f A), gap %.3f A between facing planes (z %.3f | %.3f); "
               "%d Pb + %d Se, %d gap atoms (%d pairs), %d adatom, %s\n",
               o.slab_cells[0], o.slab_cells[1], o.slab_layers, srep.lateral[0], srep.lateral[1], srep.gap, srep.zplanes[1], srep.zplanes[2],
               srep.npb, srep.nse, srep.ngap_atoms, srep.ngap_atoms / 2, srep.nadatom, srep.nfragment ? "one oleate in the gap + one under slab 1" : "no oleate");
        fprintf(js, "  \"slabs\": {\"cells\": [%d, %d], \"layers\": %d, \"gap_A\": %.6f, \"planes_z\": [%.6f, %.6f, %.6f, %.6f], \"Pb\": %d, \"Se\": %d, "
                    "\"gap_atoms\": %d, \"pairs\": %d, \"adatoms\": %d, \"fragment\": %d},\n",
                o.slab_cells[0], o.slab_cells[1], o.slab_layers, srep.gap, srep.zplanes[0], srep.zplanes[1], srep.zplanes[2], srep.zplanes[3], srep.npb,
                srep.nse, srep.ngap_atoms, srep.ngap_atoms / 2, srep.nadatom, srep.nfragment);
    }
    if (solv) {
        printf("  solvent %s: %ld molecules of %ld targeted (%ld trials), %.4f g/cm^3 over the free volume %.0f A^3 (box %.0f, excluded %.0f); target %.4f\n",
               solvname[o.solvent], vrep.nmol, vrep.ntarget, vrep.trials, vrep.density, vrep.vfree, vrep.vbox, vrep.vexcl, vrep.target);
    }
    fprintf(js, "  \"solvent\": {\"name\": \"%s\", \"molecules\": %ld, \"target_molecules\": %ld, \"density_g_cm3\": %.6f, \"target_g_cm3\": %.6f, "
                "\"free_volume_A3\": %.3f, \"excluded_volume_A3\": %.3f, \"box_volume_A3\": %.3f, \"trials\": %ld},\n",
            solvname[o.solvent], vrep.nmol, vrep.ntarget, vrep.density, vrep.target, vrep.vfree, vrep.vexcl, vrep.vbox, vrep.trials);
    fprintf(js, "  \"min_dist_A\": {");
    printf("  closest contacts (A):");
    for (int k = 0; k < C_COUNT; k++) {
        fprintf(js, "%s\"%s\": %.6f", k ? ", " : "", cname[k], ct.d[k] > 1e29 ? -1.0 : ct.d[k]);
        if (ct.d[k] < 1e29) printf(" %s %.3f", cname[k], ct.d[k]);
    }
    fprintf(js, ", \"bound_head_pb_min\": %.6f, \"bound_head_pb_max\": %.6f},\n", ct.nbound ? ct.bound_min : -1.0, ct.nbound ? ct.bound_max : -1.0);
    if (ct.nbound) printf("; bound head-Pb %.3f..%.3f", ct.bound_min, ct.bound_max);
    printf(" (none under 4 A if not listed)\n");
    printf("  %ld atoms, %ld bonds, %ld angles, %ld dihedrals, %ld molecules; box %.3f x %.3f x %.3f A; net charge %.2e e\n", s->n, s->ntopo[0], s->ntopo[1],
           s->ntopo[2], s->nmol, s->box[0], s->box[1], s->box[2], qsum);
    printf("  time: cores %.2f s, ligands %.2f s, solvent %.2f s, checks %.2f s, writing %.2f s; total %.2f s\n", t_core, t_lig, t_solv, t_check, t_write, t_total);
    printf("  wrote %s, %s, %s, %s\n", fin[0], fin[1], fin[2], fin[3]);
    fprintf(js, "  \"timing_s\": {\"cores\": %.4f, \"ligands\": %.4f, \"solvent\": %.4f, \"checks\": %.4f, \"write\": %.4f, \"total\": %.4f}\n}\n", t_core,
            t_lig, t_solv, t_check, t_write, t_total);
    if (ferror(js) || fclose(js) != 0) build_die("error writing %s", tmp[3]);
    for (int k = 0; k < 4; k++)
        if (rename(tmp[k], fin[k]) != 0) build_die("cannot rename %s to %s: %s", tmp[k], fin[k], strerror(errno));
    if (solv && vrep.nmol < 0.99 * vrep.ntarget)
        fprintf(stderr, "neckmd build: warning: only %ld of %ld solvent molecules fitted (%.1f %% of the target density)\n", vrep.nmol, vrep.ntarget,
                100.0 * vrep.nmol / vrep.ntarget);
    ligand_model_destroy(&lm);
    moltemplate_free(&ole);
    moltemplate_free(&solv);
    if (run.inst)
        for (int k = 0; k < run.nnc; k++) nc_inst_destroy(&run.inst[k]);
    free(run.inst);
    nc_core_destroy(&run.core);
    bsys_destroy(&s);
    return 0;
}
