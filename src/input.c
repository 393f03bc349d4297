/* input.c - the command table and the two-phase reader.
 *
 * Phase 1 checks every line of the deck (known command, argument count, numbers where
 * numbers are expected, keywords from their sets) and stops with "FILE:LINE: ..." before
 * anything runs, so a typo at line 40 does not waste the run of lines 1-39 nor overwrite
 * their outputs. Phase 2 executes; errors found only then (a missing data file, a type
 * without coefficients) also name the command's file:line. Commands follow LAMMPS's words
 * where LAMMPS has one (read_data, pair_coeff, timestep, velocity, thermo, run). */
#include "input.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "force.h"
#include "integrate.h"
#include "output.h"
#include "potfile.h"
#include "read_data.h"
#include "record.h"
#include "sim.h"
#include "textfile.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct Command {
    const char *name;
    int minargs, maxargs;
    const char *usage;   /* arguments, with units */
    const char *help;    /* what it does */
    /* phase 1: syntax; returns NULL if fine, else what was expected */
    const char *(*check)(char **arg, int narg);
    /* phase 2 */
    void (*exec)(Sim *sim, char **arg, int narg, const char *where);
} Command;

static int is_num(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    return *end == '\0' && errno == 0 && isfinite(v);
}
static int is_int(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    (void)v;
    return *end == '\0' && errno == 0 && s[0] != '\0';
}
static double dbl(const char *s) { return strtod(s, NULL); }
static long long lng(const char *s) { return strtoll(s, NULL, 10); }

/* ---- checks ---- */
static const char *chk_none(char **a, int n) { (void)a; (void)n; return NULL; }
static const char *chk_pos1(char **a, int n) { return is_num(a[0]) && dbl(a[0]) > 0 ? NULL : "a positive number"; }
static const char *chk_pair_coeff(char **a, int n)
{
    if (strcmp(a[2], "buck") == 0)
        return n == 6 && is_num(a[3]) && is_num(a[4]) && dbl(a[4]) > 0 && is_num(a[5]) ? NULL : "NAME1 NAME2 buck A(kcal/mol) RHO(A, > 0) C(kcal/mol A^6)";
    if (strcmp(a[2], "lj") == 0)
        return n == 5 && is_num(a[3]) && dbl(a[3]) >= 0 && is_num(a[4]) && dbl(a[4]) > 0 ? NULL : "NAME1 NAME2 lj EPSILON(kcal/mol, >= 0) SIGMA(A, > 0)";
    if (strcmp(a[2], "none") == 0) return n == 3 ? NULL : "NAME1 NAME2 none";
    return "NAME1 NAME2 buck A RHO C | lj EPSILON SIGMA | none";
}
static const char *chk_pair_modify(char **a, int n)
{
    return n == 2 && strcmp(a[0], "erfc") == 0 && (strcmp(a[1], "exact") == 0 || strcmp(a[1], "poly") == 0) ? NULL : "erfc exact|poly";
}
static const char *chk_coulomb(char **a, int n)
{
    if ((strcmp(a[0], "pppm") == 0 || strcmp(a[0], "ewald") == 0))
        return n == 2 && is_num(a[1]) && dbl(a[1]) > 0 && dbl(a[1]) < 1 ? NULL : "pppm|ewald ACCURACY (relative force accuracy, 0 < ACC < 1, e.g. 1e-5)";
    if (strcmp(a[0], "dsf") == 0) return n == 2 && is_num(a[1]) && dbl(a[1]) > 0 ? NULL : "dsf ALPHA (1/A, > 0)";
    if (strcmp(a[0], "cut") == 0 || strcmp(a[0], "off") == 0) return n == 1 ? NULL : "cut | off (no arguments)";
    return "pppm ACC | ewald ACC | dsf ALPHA | cut | off";
}
static const char *chk_kspace_modify(char **a, int n)
{
    for (int i = 0; i < n;) {
        if (strcmp(a[i], "gewald") == 0 && i + 1 < n && is_num(a[i + 1]) && dbl(a[i + 1]) >= 0) i += 2;
        else if ((strcmp(a[i], "mesh") == 0 || strcmp(a[i], "kmax") == 0) && i + 3 < n && is_int(a[i + 1]) && is_int(a[i + 2]) && is_int(a[i + 3]) && lng(a[i + 1]) >= 0 && lng(a[i + 2]) >= 0 && lng(a[i + 3]) >= 0) i += 4;
        else if (strcmp(a[i], "order") == 0 && i + 1 < n && is_int(a[i + 1]) && lng(a[i + 1]) >= 2 && lng(a[i + 1]) <= 7) i += 2;
        else return "keyword/value pairs: gewald G(1/A, 0 = auto) | mesh NX NY NZ | kmax KX KY KZ | order 2..7";
    }
    return NULL;
}
static const char *chk_neighbor(char **a, int n)
{
    if (!is_num(a[0]) || dbl(a[0]) < 0) return "SKIN (A, >= 0) [every N]";
    if (n == 1) return NULL;
    return n == 3 && strcmp(a[1], "every") == 0 && is_int(a[2]) && lng(a[2]) >= 1 ? NULL : "SKIN (A) [every N (>= 1)]";
}
static const char *chk_processors(char **a, int n)
{
    for (int i = 0; i < 3; i++)
        if (!(strcmp(a[i], "*") == 0 || (is_int(a[i]) && lng(a[i]) >= 1))) return "PX PY PZ (positive integers or *)";
    return NULL;
}
static const char *chk_velocity(char **a, int n)
{
    return is_num(a[0]) && dbl(a[0]) >= 0 && is_int(a[1]) && lng(a[1]) > 0 ? NULL : "T (K, >= 0) SEED (positive integer)";
}
static const char *chk_integrate(char **a, int n)
{
    if (strcmp(a[0], "nve") == 0) return n == 1 ? NULL : "nve (no arguments)";
    if (strcmp(a[0], "nvt") == 0) return n == 3 && is_num(a[1]) && dbl(a[1]) > 0 && is_num(a[2]) && dbl(a[2]) > 0 ? NULL : "nvt T(K, > 0) TDAMP(fs, > 0)";
    if (strcmp(a[0], "langevin") == 0)
        return n == 4 && is_num(a[1]) && dbl(a[1]) >= 0 && is_num(a[2]) && dbl(a[2]) > 0 && is_int(a[3]) && lng(a[3]) > 0 ? NULL : "langevin T(K) DAMP(fs, > 0) SEED(positive integer)";
    return "nve | nvt T TDAMP | langevin T DAMP SEED";
}
static const char *chk_thermo(char **a, int n) { return is_int(a[0]) && lng(a[0]) >= 0 ? NULL : "N (steps, >= 0) [FILE.csv]"; }
static const char *chk_run(char **a, int n) { return is_int(a[0]) && lng(a[0]) >= 0 ? NULL : "N (steps, >= 0)"; }

/* ---- execution ---- */
static void need_types(Sim *sim, const char *cmd, const char *where)
{
    if (!sim->box_set) error_all(FLERR, "%s: %s needs the atom types: put it after read_data", where, cmd);
}

static void ex_read_data(Sim *sim, char **a, int n, const char *where)
{
    if (sim->box_set) error_all(FLERR, "%s: read_data: a system is already defined (one read_data per input)", where);
    read_data(sim, a[0], where);
    if (sim->rank == 0) {
        printf("read_data %s: %lld atoms, %d types (", a[0], (long long)sim->natoms, sim->types.ntypes);
        for (int t = 0; t < sim->types.ntypes; t++) printf("%s%s", t ? " " : "", sim->types.name[t]);
        printf("), box %.6g x %.6g x %.6g A, %d x %d x %d ranks\n", sim->len[0], sim->len[1], sim->len[2], sim->dims[0], sim->dims[1], sim->dims[2]);
    }
}
static void ex_forcefield(Sim *sim, char **a, int n, const char *where)
{
    need_types(sim, "forcefield", where);
    for (int i = 0; i < n; i++) potfile_apply(sim, a[i], where);
}
static void ex_pair_coeff(Sim *sim, char **a, int n, const char *where)
{
    need_types(sim, "pair_coeff", where);
    int ti = potfile_type_index(sim, a[0]), tj = potfile_type_index(sim, a[1]);
    if (ti < 0 || tj < 0)
        error_all(FLERR, "%s: pair_coeff: unknown atom type '%s' (types are named by the data file's Masses comments or Atom Type Labels, or by number)", where, ti < 0 ? a[0] : a[1]);
    PairCoeff c;
    memset(&c, 0, sizeof c);
    if (strcmp(a[2], "buck") == 0) { c.form = SR_BUCK; c.a = dbl(a[3]); c.rho = dbl(a[4]); c.c = dbl(a[5]); }
    else if (strcmp(a[2], "lj") == 0) { c.form = SR_LJ; c.eps = dbl(a[3]); c.sigma = dbl(a[4]); }
    else c.form = SR_NONE;
    snprintf(c.source, sizeof c.source, "pair_coeff %s", where);
    sim->pair.coeff[ti][tj] = sim->pair.coeff[tj][ti] = c;
    sim->pair.coeff_set[ti][tj] = sim->pair.coeff_set[tj][ti] = 1;
}
static void ex_pair_cutoff(Sim *sim, char **a, int n, const char *where) { sim->pair.cutoff = dbl(a[0]); }
static void ex_pair_modify(Sim *sim, char **a, int n, const char *where) { sim->pair.erfc_poly = strcmp(a[1], "poly") == 0; }
static void reset_kspace(Sim *sim)
{
    if (sim->kspace) sim->kspace->style->destroy(&sim->kspace);
}
static void ex_coulomb(Sim *sim, char **a, int n, const char *where)
{
    reset_kspace(sim);
    if (strcmp(a[0], "pppm") == 0 || strcmp(a[0], "ewald") == 0) {
        sim->pair.coul = COUL_LONG;
        sim->kstyle = kspace_style_find(a[0]);
        if (!sim->kstyle) error_all(FLERR, "%s: kspace style %s is not built in", where, a[0]);
        sim->kparams.accuracy = dbl(a[1]);
    } else if (strcmp(a[0], "dsf") == 0) {
        sim->pair.coul = COUL_DSF;
        sim->pair.dsf_alpha = dbl(a[1]);
    } else if (strcmp(a[0], "cut") == 0) {
        sim->pair.coul = COUL_CUT;
    } else {
        sim->pair.coul = COUL_OFF;
    }
}
static void ex_kspace_modify(Sim *sim, char **a, int n, const char *where)
{
    reset_kspace(sim);
    for (int i = 0; i < n;) {
        if (strcmp(a[i], "gewald") == 0) { sim->kparams.g_ewald = dbl(a[i + 1]); i += 2; }
        else if (strcmp(a[i], "order") == 0) { sim->kparams.order = (int)lng(a[i + 1]); i += 2; }
        else {
            int *dst = strcmp(a[i], "mesh") == 0 ? sim->kparams.grid : sim->kparams.kmax;
            for (int d = 0; d < 3; d++) dst[d] = (int)lng(a[i + 1 + d]);
            i += 4;
        }
    }
}
static void ex_neighbor(Sim *sim, char **a, int n, const char *where)
{
    sim->pair.skin = dbl(a[0]);
    if (n == 3) sim->neigh.every = (int)lng(a[2]);
}
static void ex_processors(Sim *sim, char **a, int n, const char *where)
{
    if (sim->box_set) error_all(FLERR, "%s: processors must come before read_data", where);
    long long prod = 1;
    for (int d = 0; d < 3; d++) {
        sim->procgrid_req[d] = strcmp(a[d], "*") == 0 ? 0 : (int)lng(a[d]);
        if (sim->procgrid_req[d]) prod *= sim->procgrid_req[d];
    }
    if (prod > sim->nranks || (sim->procgrid_req[0] && sim->procgrid_req[1] && sim->procgrid_req[2] && prod != sim->nranks))
        error_all(FLERR, "%s: processors %s %s %s does not fit %d MPI ranks", where, a[0], a[1], a[2], sim->nranks);
}
static void ex_timestep(Sim *sim, char **a, int n, const char *where) { sim->integ.dt = dbl(a[0]); }
static void ex_velocity(Sim *sim, char **a, int n, const char *where)
{
    need_types(sim, "velocity", where);
    for (int t = 0; t < sim->types.ntypes; t++)
        if (!sim->types.mass_set[t]) error_all(FLERR, "%s: velocity: no mass for type %s yet (Masses section or forcefield file)", where, sim->types.name[t]);
    integrate_velocity_create(sim, dbl(a[0]), (uint64_t)lng(a[1]));
}
static void ex_integrate(Sim *sim, char **a, int n, const char *where)
{
    Integrator *it = &sim->integ;
    if (strcmp(a[0], "nve") == 0) it->style = INT_NVE;
    else if (strcmp(a[0], "nvt") == 0) { it->style = INT_NVT; it->t_target = dbl(a[1]); it->t_damp = dbl(a[2]); }
    else { it->style = INT_LANGEVIN; it->t_target = dbl(a[1]); it->t_damp = dbl(a[2]); it->seed = (uint64_t)lng(a[3]); }
    memset(it->eta, 0, sizeof it->eta);
    memset(it->eta_dot, 0, sizeof it->eta_dot);
}
static void ex_thermo(Sim *sim, char **a, int n, const char *where)
{
    sim->thermo_every = (int)lng(a[0]);
    if (n == 2) {
        if (sim->thermo_fp) fclose(sim->thermo_fp);
        sim->thermo_fp = NULL;
        sim->thermo_opened = 0;
        snprintf(sim->thermo_file, sizeof sim->thermo_file, "%s", a[1]);
    }
}
static void ex_record(Sim *sim, char **a, int n, const char *where) { snprintf(sim->record_file, sizeof sim->record_file, "%s", a[0]); }
static void ex_write_forces(Sim *sim, char **a, int n, const char *where)
{
    need_types(sim, "write_forces", where);
    output_write_forces(sim, a[0], where);
}
static void ex_run(Sim *sim, char **a, int n, const char *where)
{
    need_types(sim, "run", where);
    potfile_mix(sim);
    integrate_run(sim, lng(a[0]));
    sim->nruns++;
    record_write(sim);
}

static const Command commands[] = {
    {"read_data", 1, 1, "FILE", "read a LAMMPS data file (atom_style full or charge; orthogonal periodic box). Type names come from '# Name' comments in Masses or an Atom Type Labels section.", chk_none, ex_read_data},
    {"processors", 3, 3, "PX PY PZ", "MPI process grid (use * for automatic); before read_data", chk_processors, ex_processors},
    {"forcefield", 1, 16, "FILE...", "apply parameter files (potentials/*.ff): masses, type charges, pair coefficients, matched by type name", chk_none, ex_forcefield},
    {"pair_coeff", 3, 6, "NAME1 NAME2 buck A RHO C | lj EPS SIGMA | none", "set one type pair's short-range form: Buckingham A (kcal/mol), rho (A), C (kcal/mol A^6) or LJ epsilon (kcal/mol), sigma (A); overrides files", chk_pair_coeff, ex_pair_coeff},
    {"pair_cutoff", 1, 1, "R", "cutoff of short-range and real-space Coulomb terms (A)", chk_pos1, ex_pair_cutoff},
    {"pair_modify", 2, 2, "erfc exact|poly", "erfc for real-space Coulomb: libm (default) or the Abramowitz-Stegun polynomial LAMMPS uses", chk_pair_modify, ex_pair_modify},
    {"coulomb", 1, 2, "pppm ACC | ewald ACC | dsf ALPHA | cut | off", "electrostatics: PPPM or Ewald with relative force accuracy ACC; damped shifted force (alpha 1/A); plain cutoff; none", chk_coulomb, ex_coulomb},
    {"kspace_modify", 2, 16, "gewald G | mesh NX NY NZ | kmax KX KY KZ | order P", "override the automatic Ewald/PPPM parameters (g in 1/A)", chk_kspace_modify, ex_kspace_modify},
    {"neighbor", 1, 3, "SKIN [every N]", "neighbour-list skin (A, default 2.0) and how often to check for a rebuild (steps, default 1)", chk_neighbor, ex_neighbor},
    {"timestep", 1, 1, "DT", "time step (fs, default 1.0)", chk_pos1, ex_timestep},
    {"velocity", 2, 2, "T SEED", "Gaussian velocities for temperature T (K), zero total momentum; the same for any number of ranks", chk_velocity, ex_velocity},
    {"integrate", 1, 4, "nve | nvt T TDAMP | langevin T DAMP SEED", "integrator: velocity Verlet; Nose-Hoover chain (T in K, TDAMP in fs); Langevin (T K, DAMP fs)", chk_integrate, ex_integrate},
    {"thermo", 1, 2, "N [FILE.csv]", "print thermodynamics every N steps, and write them as CSV to FILE", chk_thermo, ex_thermo},
    {"record", 1, 1, "FILE.json", "where the run record (build, input, decomposition, thermo, timers, conservation) is written (default neckmd.record.json)", chk_none, ex_record},
    {"write_forces", 1, 1, "FILE", "write per-atom forces (kcal/mol/A) sorted by atom id, and the energies, of the current configuration", chk_none, ex_write_forces},
    {"run", 1, 1, "N", "run N steps (0: evaluate and print the energies)", chk_run, ex_run},
    {NULL, 0, 0, NULL, NULL, NULL, NULL},
};

void input_print_help(FILE *fp)
{
    fprintf(fp, "Input commands (one per line, '#' starts a comment; units: A, fs, kcal/mol, e, K):\n");
    for (int i = 0; commands[i].name; i++)
        fprintf(fp, "  %-13s %s\n  %13s   %s\n", commands[i].name, commands[i].usage, "", commands[i].help);
}

static const Command *find(const char *name)
{
    for (int i = 0; commands[i].name; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

typedef struct Parsed {
    const Command *cmd;
    char *tok[32];
    int ntok;
    int line;
} Parsed;

void input_run_file(Sim *sim, const char *path)
{
    char *text = textfile_read_all(sim->comm, path, "command line");
    snprintf(sim->input_file, sizeof sim->input_file, "%s", path);
    free(sim->input_echo);
    sim->input_echo = strdup(text);
    char **lines;
    int nl = textfile_lines(text, &lines);
    Parsed *p = calloc((size_t)nl + 1, sizeof *p);
    int np = 0;
    /* phase 1 */
    for (int il = 0; il < nl; il++) {
        char *tok[32];
        int n = textfile_tokens(lines[il], tok, 32);
        if (n == 0) continue;
        if (n > 32) error_all(FLERR, "%s:%d: too many words (at most 32)", path, il + 1);
        const Command *c = find(tok[0]);
        if (!c) error_all(FLERR, "%s:%d: unknown command '%s' (neckmd --help lists the commands)", path, il + 1, tok[0]);
        int narg = n - 1;
        if (narg < c->minargs || narg > c->maxargs)
            error_all(FLERR, "%s:%d: %s takes %s (got %d argument%s)", path, il + 1, c->name, c->usage, narg, narg == 1 ? "" : "s");
        const char *why = c->check(tok + 1, narg);
        if (why) error_all(FLERR, "%s:%d: %s: expected %s", path, il + 1, c->name, why);
        p[np].cmd = c;
        memcpy(p[np].tok, tok, sizeof(char *) * (size_t)n);
        p[np].ntok = n;
        p[np].line = il + 1;
        np++;
    }
    /* phase 2 */
    for (int k = 0; k < np; k++) {
        char where[600];
        snprintf(where, sizeof where, "%s:%d", path, p[k].line);
        p[k].cmd->exec(sim, p[k].tok + 1, p[k].ntok - 1, where);
    }
    free(p);
    free(lines);
    free(text);
}
