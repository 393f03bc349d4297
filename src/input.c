/* input.c - the command table and the two-phase reader.
 *
 * Phase 1 checks every line of the deck (known command, argument count, numbers where
 * numbers are expected, keywords from their sets; the directory of every output file exists)
 * and stops with "FILE:LINE: ..." before anything runs, so a typo at line 40 does not waste
 * the run of lines 1-39 nor overwrite their outputs. Phase 2 executes; errors found only
 * then (a missing data file, a type without coefficients) also name the command's
 * file:line. Commands follow LAMMPS's words where LAMMPS has one (read_data, pair_coeff,
 * timestep, velocity, thermo, run). */
#include "input.h"
#include "barostat.h"
#include "comm.h"
#include "constraint_shake.h"
#include "domain.h"
#include "error.h"
#include "force.h"
#include "group.h"
#include "integrate.h"
#include "minimize.h"
#include "output.h"
#include "potfile.h"
#include "read_data.h"
#include "record.h"
#include "restart.h"
#include "restraint.h"
#include "runlog.h"
#include "sim.h"
#include "textfile.h"
#include "traj_netcdf.h"
#include "write_data.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct Command {
    const char *name;
    int minargs, maxargs;
    const char *usage;   /* arguments, with units */
    const char *help;    /* what it does */
    /* phase 1: syntax; returns NULL if fine, else what was expected */
    const char *(*check)(char **arg, int narg);
    /* phase 2 */
    void (*exec)(Sim *sim, char **arg, int narg, const char *where);
    int outfile;         /* 1-based argument that names an output file (0: none; -1: the one after "file") */
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
    for (int i = 0; i < n; i += 2) {
        if (i + 1 >= n) return "keyword/value pairs: erfc exact|poly, mix geometric|arithmetic|none, shift yes|no, buck_guard yes|no";
        if (strcmp(a[i], "erfc") == 0 && (strcmp(a[i + 1], "exact") == 0 || strcmp(a[i + 1], "poly") == 0)) continue;
        if (strcmp(a[i], "mix") == 0 && (strcmp(a[i + 1], "geometric") == 0 || strcmp(a[i + 1], "arithmetic") == 0 || strcmp(a[i + 1], "none") == 0)) continue;
        if (strcmp(a[i], "shift") == 0 && (strcmp(a[i + 1], "yes") == 0 || strcmp(a[i + 1], "no") == 0)) continue;
        if (strcmp(a[i], "buck_guard") == 0 && (strcmp(a[i + 1], "yes") == 0 || strcmp(a[i + 1], "no") == 0)) continue; /* issue 5 */
        return "keyword/value pairs: erfc exact|poly, mix geometric|arithmetic|none, shift yes|no, buck_guard yes|no";
    }
    return NULL;
}
static const char *chk_special_bonds(char **a, int n)
{
    static const char *why = "lj F12 F13 F14 coul F12 F13 F14 | lj/coul F12 F13 F14 (factors 0..1)";
    for (int i = 0; i < n;) {
        if (strcmp(a[i], "lj") && strcmp(a[i], "coul") && strcmp(a[i], "lj/coul")) return why;
        if (i + 3 >= n) return why;
        for (int k = 1; k <= 3; k++)
            if (!is_num(a[i + k]) || dbl(a[i + k]) < 0 || dbl(a[i + k]) > 1) return why;
        i += 4;
    }
    return NULL;
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
        return (n == 4 || (n == 6 && strcmp(a[4], "group") == 0)) && is_num(a[1]) && dbl(a[1]) >= 0 && is_num(a[2]) && dbl(a[2]) > 0 && is_int(a[3]) && lng(a[3]) > 0 ? NULL : "langevin T(K) DAMP(fs, > 0) SEED(positive integer) [group G]";
    return "nve | nvt T TDAMP | langevin T DAMP SEED [group G]";
}
static const char *chk_thermo(char **a, int n) { return is_int(a[0]) && lng(a[0]) >= 0 ? NULL : "N (steps, >= 0) [FILE.csv]"; }
static const char *chk_shake(char **a, int n)
{
    static const char *why = "TOL (relative, 0 < TOL < 0.1) MAXITER (sweeps, >= 1) all | fixed | TYPE... (numeric bond types)";
    if (!is_num(a[0]) || dbl(a[0]) <= 0 || dbl(a[0]) >= 0.1 || !is_int(a[1]) || lng(a[1]) < 1) return why;
    if (n == 3 && (strcmp(a[2], "all") == 0 || strcmp(a[2], "fixed") == 0)) return NULL;
    for (int i = 2; i < n; i++)
        if (!is_int(a[i]) || lng(a[i]) < 1) return why;
    return NULL;
}
static const char *chk_run(char **a, int n) { return is_int(a[0]) && lng(a[0]) >= 0 ? NULL : "N (steps, >= 0)"; }
static const char *chk_minimize(char **a, int n)
{
    static const char *why = "ETOL (relative, >= 0) FTOL (kcal/mol/A, >= 0) MAXITER (>= 0) MAXEVAL (>= 0) [cg|fire] [group G]";
    if (!is_num(a[0]) || dbl(a[0]) < 0 || !is_num(a[1]) || dbl(a[1]) < 0) return why;
    if (!is_int(a[2]) || lng(a[2]) < 0 || !is_int(a[3]) || lng(a[3]) < 0) return why;
    int i = 4;
    if (i < n && (strcmp(a[i], "cg") == 0 || strcmp(a[i], "fire") == 0)) i++;
    if (i + 1 < n && strcmp(a[i], "group") == 0) i += 2;
    return i == n ? NULL : why;
}
/* issue 5: trajectory, restart, log */
static const char *chk_trajectory(char **a, int n)
{
    static const char *why = "N (steps, >= 1) FILE.nc [velocities] [forces] [unwrapped] [chunk NATOMS] | off";
    if (strcmp(a[0], "off") == 0) return n == 1 ? NULL : why;
    if (n < 2 || !is_int(a[0]) || lng(a[0]) < 1 || lng(a[0]) > 2147483647) return why;
    for (int i = 2; i < n; i++) {
        if (strcmp(a[i], "velocities") == 0 || strcmp(a[i], "forces") == 0 || strcmp(a[i], "unwrapped") == 0) continue;
        if (strcmp(a[i], "chunk") == 0 && i + 1 < n && is_int(a[i + 1]) && lng(a[i + 1]) >= 1) { i++; continue; }
        return why;
    }
    return NULL;
}
static const char *chk_restart(char **a, int n)
{
    if (strcmp(a[0], "off") == 0) return n == 1 ? NULL : "off (no file)";
    return n == 2 && is_int(a[0]) && lng(a[0]) >= 1 && lng(a[0]) <= 2147483647 ? NULL : "N (steps, >= 1) FILE ('*' in FILE becomes the step) | off";
}
static const char *chk_log(char **a, int n) { return n == 1 || strcmp(a[1], "append") == 0 ? NULL : "FILE|none [append]"; }

/* ---- execution ---- */
static void need_types(Sim *sim, const char *cmd, const char *where)
{
    if (!sim->box_set) error_all(FLERR, "%s: %s needs the atom types: put it after read_data", where, cmd);
}

/* Before a force evaluation: mix the cross pairs the parameter files' rules allow, then name
 * any type pair still without coefficients, with the command's file:line. */
static void need_coeffs(Sim *sim, const char *cmd, const char *where)
{
    potfile_mix(sim);
    for (int i = 0; i < sim->types.ntypes; i++)
        for (int j = i; j < sim->types.ntypes; j++)
            if (!sim->pair.coeff_set[i][j])
                error_all(FLERR, "%s: %s: no pair coefficients for types %s %s: give them with 'forcefield FILE' or 'pair_coeff %s %s buck|lj ...'",
                          where, cmd, sim->types.name[i], sim->types.name[j], sim->types.name[i], sim->types.name[j]);
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
static void ex_pair_modify(Sim *sim, char **a, int n, const char *where)
{
    for (int i = 0; i < n; i += 2) {
        if (strcmp(a[i], "erfc") == 0) sim->pair.erfc_poly = strcmp(a[i + 1], "poly") == 0;
        else if (strcmp(a[i], "shift") == 0) sim->pair.shift = strcmp(a[i + 1], "yes") == 0;
        else if (strcmp(a[i], "buck_guard") == 0) sim->buck_guard = strcmp(a[i + 1], "yes") == 0;
        else sim->mixing = strcmp(a[i + 1], "none") == 0 ? 0 : (strcmp(a[i + 1], "geometric") == 0 ? 1 : 2);
    }
}
static void ex_special_bonds(Sim *sim, char **a, int n, const char *where)
{
    for (int i = 0; i < n; i += 4)
        for (int k = 1; k <= 3; k++) {
            if (strcmp(a[i], "coul")) sim->topo.special_lj[k] = dbl(a[i + k]);
            if (strcmp(a[i], "lj")) sim->topo.special_coul[k] = dbl(a[i + k]);
        }
    sim->topo.special_set = 1;
}
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
    const Integrator old = *it;
    if (strcmp(a[0], "nve") == 0) it->style = INT_NVE;
    else if (strcmp(a[0], "nvt") == 0) { it->style = INT_NVT; it->t_target = dbl(a[1]); it->t_damp = dbl(a[2]); }
    else { it->style = INT_LANGEVIN; it->t_target = dbl(a[1]); it->t_damp = dbl(a[2]); it->seed = (uint64_t)lng(a[3]); }
    sim->langevin_mask = n == 6 ? group_bit(sim, a[5], where) : 0; /* langevin ... group G */
    /* the same style with the same parameters keeps the thermostat's state, so a deck that
     * repeats its integrate command after read_restart continues exactly (as LAMMPS fixes) */
    if (old.style == it->style && old.t_target == it->t_target && old.t_damp == it->t_damp && old.seed == it->seed) return;
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
    need_coeffs(sim, "write_forces", where);
    output_write_forces(sim, a[0], where);
}
static void ex_shake(Sim *sim, char **a, int n, const char *where)
{
    need_types(sim, "shake", where);
    int types[64], nt = -1;
    if (strcmp(a[2], "fixed") == 0) {
        nt = 0;
        for (int t = 0; t < sim->topo.ntypes[0] && nt < 64; t++)
            if (sim->topo.fixed[t]) types[nt++] = t;
        if (nt == 0) error_all(FLERR, "%s: shake ... fixed: no bond type is marked 'fixed' by a forcefield file", where);
    } else if (strcmp(a[2], "all") != 0) {
        nt = 0;
        for (int i = 2; i < n && nt < 64; i++) types[nt++] = (int)lng(a[i]) - 1;
    }
    shake_enable(sim, types, nt, dbl(a[0]), (int)lng(a[1]), where);
}
/* issue 5: trajectory, restarts, data files, log */
static void ex_trajectory(Sim *sim, char **a, int n, const char *where) { traj_configure(sim, a, n, where); }
static void ex_restart(Sim *sim, char **a, int n, const char *where) { restart_configure(sim, a, n, where); }
static void ex_read_restart(Sim *sim, char **a, int n, const char *where) { read_restart(sim, a[0], where); }
static void ex_write_data(Sim *sim, char **a, int n, const char *where)
{
    need_types(sim, "write_data", where);
    write_data(sim, a[0], where);
}
static void ex_write_restart(Sim *sim, char **a, int n, const char *where)
{
    need_types(sim, "write_restart", where);
    restart_write_now(sim, a[0], where);
}
static void ex_log(Sim *sim, char **a, int n, const char *where) { runlog_open(sim, a[0], n == 2, where); }
static void ex_run(Sim *sim, char **a, int n, const char *where)
{
    need_types(sim, "run", where);
    need_coeffs(sim, "run", where);
    integrate_run(sim, lng(a[0]));
    sim->nruns++;
    record_write(sim);
}
static void ex_minimize(Sim *sim, char **a, int n, const char *where)
{
    need_types(sim, "minimize", where);
    need_coeffs(sim, "minimize", where);
    MinStyle style = n >= 5 && strcmp(a[4], "fire") == 0 ? MIN_FIRE : MIN_CG;
    int mobile = 0;
    for (int i = 4; i + 1 < n; i++)
        if (strcmp(a[i], "group") == 0) mobile = group_bit(sim, a[i + 1], where);
    if (mobile) group_set_mobile(sim, mobile); /* only the atoms of G move */
    minimize_run(sim, dbl(a[0]), dbl(a[1]), lng(a[2]), lng(a[3]), style);
    if (mobile) group_set_mobile(sim, 0);
    record_write(sim);
}

static const Command commands[] = {
    {"read_data", 1, 1, "FILE", "read a LAMMPS data file (atom_style full or charge; orthogonal periodic box). Type names come from '# Name' comments in Masses or an Atom Type Labels section.", chk_none, ex_read_data, 0},
    {"processors", 3, 3, "PX PY PZ", "MPI process grid (use * for automatic); before read_data", chk_processors, ex_processors, 0},
    {"forcefield", 1, 16, "FILE...", "apply parameter files (potentials/*.ff): masses, type charges, pair coefficients, matched by type name", chk_none, ex_forcefield, 0},
    {"pair_coeff", 3, 6, "NAME1 NAME2 buck A RHO C | lj EPS SIGMA | none", "set one type pair's short-range form: Buckingham A (kcal/mol), rho (A), C (kcal/mol A^6) or LJ epsilon (kcal/mol), sigma (A); overrides files", chk_pair_coeff, ex_pair_coeff, 0},
    {"pair_cutoff", 1, 1, "R", "cutoff of short-range and real-space Coulomb terms (A)", chk_pos1, ex_pair_cutoff, 0},
    {"pair_modify", 2, 8, "erfc exact|poly | mix geometric|arithmetic|none | shift yes|no | buck_guard yes|no", "erfc for real-space Coulomb: the Abramowitz-Stegun polynomial LAMMPS uses (default) or libm; mixing rule for LJ cross pairs nothing else sets; shift yes: short-range energies shifted to 0 at the cutoff (LAMMPS pair_modify shift); buck_guard: a steep repulsion replaces the Buckingham form inside its turnover distance r* (default no: such a pair stops the run)", chk_pair_modify, ex_pair_modify, 0},
    {"special_bonds", 4, 8, "lj F12 F13 F14 coul F12 F13 F14 | lj/coul F12 F13 F14", "scale factors of LJ and Coulomb between 1-2, 1-3, 1-4 partners of a molecule (default 0 0 0, as LAMMPS)", chk_special_bonds, ex_special_bonds, 0},
    {"coulomb", 1, 2, "pppm ACC | ewald ACC | dsf ALPHA | cut | off", "electrostatics: PPPM or Ewald with relative force accuracy ACC; damped shifted force (alpha 1/A); plain cutoff; none", chk_coulomb, ex_coulomb, 0},
    {"kspace_modify", 2, 16, "gewald G | mesh NX NY NZ | kmax KX KY KZ | order P", "override the automatic Ewald/PPPM parameters (g in 1/A)", chk_kspace_modify, ex_kspace_modify, 0},
    {"neighbor", 1, 3, "SKIN [every N]", "neighbour-list skin (A, default 2.0) and how often to check for a rebuild (steps, default 1)", chk_neighbor, ex_neighbor, 0},
    {"timestep", 1, 1, "DT", "time step (fs, default 1.0)", chk_pos1, ex_timestep, 0},
    {"velocity", 2, 2, "T SEED", "Gaussian velocities for temperature T (K), zero total momentum; the same for any number of ranks", chk_velocity, ex_velocity, 0},
    {"integrate", 1, 6, "nve | nvt T TDAMP | langevin T DAMP SEED [group G]", "integrator: velocity Verlet; Nose-Hoover chain (T in K, TDAMP in fs); Langevin (T K, DAMP fs), on the atoms of group G only if given (the others NVE)", chk_integrate, ex_integrate, 0},
    {"barostat", 1, 12, "off | iso|aniso P PDAMP [SEED] [compress K] [every N] [temp T]", "constant pressure by stochastic cell rescaling (Bernetti & Bussi 2020), with any integrator: target P (atm), relaxation time PDAMP (fs), noise seed, compressibility K (1/atm, default 4.5e-5, water), a move every N steps (default 1), temperature T (K, default the thermostat's); iso scales the volume, aniso each box edge", barostat_check_args, barostat_command, 0},
    {"thermo", 1, 2, "N [FILE.csv]", "print thermodynamics every N steps, and write them as CSV to FILE", chk_thermo, ex_thermo, 2},
    {"record", 1, 1, "FILE.json", "where the run record (build, input, decomposition, thermo, timers, conservation) is written (default neckmd.record.json)", chk_none, ex_record, 1},
    {"write_forces", 1, 1, "FILE", "write per-atom forces (kcal/mol/A) sorted by atom id, and the energies, of the current configuration", chk_none, ex_write_forces, 1},
    {"shake", 3, 34, "TOL MAXITER all | fixed | TYPE...", "constrain the bonds of all types, of the types parameter files mark fixed, or of the listed numeric bond types to their R0 (SHAKE/RATTLE, parallel Jacobi sweeps) to relative tolerance TOL, e.g. shake 1e-8 500 all", chk_shake, ex_shake, 0},
    {"read_restart", 1, 1, "FILE", "instead of read_data: continue from a restart file (state, step, time, timestep, integrator and thermostat state); the deck repeats the force field and settings", chk_none, ex_read_restart, 0},
    {"restart", 1, 2, "N FILE | off", "write a restart file every N steps (atomically: FILE.tmp, then rename; '*' in FILE becomes the step); continuing from it is bitwise exact on the same rank count", chk_restart, ex_restart, 2},
    {"write_restart", 1, 1, "FILE", "write a restart file of the current state now", chk_none, ex_write_restart, 1},
    {"write_data", 1, 1, "FILE", "write a LAMMPS data file of the current state (atom_style full, image flags, velocities in A/fs, full precision)", chk_none, ex_write_data, 1},
    {"trajectory", 1, 8, "N FILE.nc [velocities] [forces] [unwrapped] [chunk NATOMS] | off", "AMBER netCDF trajectory every N steps: coordinates (A, wrapped unless 'unwrapped'), time (ps), box; optional velocities (A/ps), forces (kcal/mol/A); atoms in id order; gathered to rank 0 in chunks of NATOMS (default 1048576)", chk_trajectory, ex_trajectory, 2},
    {"log", 1, 2, "FILE|none [append]", "the run log (default log.neckmd, opened once the deck is checked): build info, input deck, everything rank 0 prints", chk_log, ex_log, 1},
    {"run", 1, 1, "N", "run N steps (0: evaluate and print the energies)", chk_run, ex_run, 0},
    {"minimize", 4, 7, "ETOL FTOL MAXITER MAXEVAL [cg|fire] [group G]", "minimise the energy over the positions (box fixed; velocities and step kept): Polak-Ribiere CG with a quadratic line search (default) or FIRE; stop at relative energy change <= ETOL, force 2-norm <= FTOL (kcal/mol/A), MAXITER iterations or MAXEVAL force evaluations; at most 0.1 A per atom and step; with group G only the atoms of G move (and frozen atoms never)", chk_minimize, ex_minimize, 0},
    {"group", 2, 31, "NAME type T... | molecule M... | id I... | nc FILE.ncid K... | region x|y|z LO HI | union G... | subtract G1 G2... | intersect G... | empty", "define a named set of atoms from the current state (ranges A:B; nc: the NC/slab ids of a neckmd build .ncid file; region: wrapped coordinate in [LO, HI) A); at most 31 groups besides 'all'", group_check_args, group_command, 0},
    {"freeze", 1, 1, "GROUP | none", "hold the atoms of GROUP fixed in runs and minimisations (zero force and velocity; they leave the temperature's degrees of freedom)", group_check_freeze, group_freeze_command, 0},
    {"displace", 4, 4, "GROUP DX DY DZ", "move the atoms of GROUP rigidly by (DX, DY, DZ) A", group_check_displace, group_displace_command, 0},
    {"restraint", 2, 13, "NAME G1 G2 K R0|current [rate V] [dims xyz|x|y|z|xy|xz|yz] [file FILE.csv] [every N] | NAME off", "harmonic restraint E = K/2 (d - d0)^2 on the distance d between the centres of mass of groups G1 and G2 (K kcal/mol/A^2; d0 = R0 + V t, R0 in A or the current distance, V in A/fs: 0 for an umbrella window, < 0 to pull together); only the components in dims count; every N steps a CSV row of target, distance, force, energy and work", restraint_check_args, restraint_command, -1},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, 0},
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
    if (!sim->check_only) runlog_begin(sim); /* rank 0's output is kept until the log opens */
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
        if (why) {
            char got[256] = "";
            for (int i = 1, len = 0; i < n && len < (int)sizeof got; i++)
                len += snprintf(got + len, sizeof got - (size_t)len, "%s%s", i > 1 ? " " : "", tok[i]);
            error_all(FLERR, "%s:%d: %s: expected %s, got '%s'", path, il + 1, c->name, why, got);
        }
        p[np].cmd = c;
        memcpy(p[np].tok, tok, sizeof(char *) * (size_t)n);
        p[np].ntok = n;
        p[np].line = il + 1;
        np++;
    }
    /* phase 1, continued: the directory of every output file must exist and be writable
     * (rank 0 looks), so a mistyped path stops the job before the run, not after it */
    char err[1200] = "";
    for (int k = 0; k < np && sim->rank == 0 && !err[0]; k++) {
        int ia = p[k].cmd->outfile;
        if (ia < 0) /* the word after the keyword "file" (restraint) */
            for (int t = 1, ia2 = ia = 0; t + 1 < p[k].ntok && !ia2; t++)
                if (strcmp(p[k].tok[t], "file") == 0) ia = ia2 = t + 1;
        if (ia == 0 || ia >= p[k].ntok) continue;
        const char *file = p[k].tok[ia];
        char dir[512];
        const char *slash = strrchr(file, '/');
        if (!slash) snprintf(dir, sizeof dir, ".");
        else if (slash == file) snprintf(dir, sizeof dir, "/");
        else snprintf(dir, sizeof dir, "%.*s", (int)(slash - file), file);
        struct stat st;
        const char *why = NULL;
        if (stat(dir, &st) != 0) why = errno == ENOENT ? "does not exist" : "cannot be reached";
        else if (!S_ISDIR(st.st_mode)) why = "is not a directory";
        else if (access(dir, W_OK | X_OK) != 0) why = "is not writable";
        if (why) snprintf(err, sizeof err, "%s:%d: %s: cannot write '%s': directory '%s' %s", path, p[k].line, p[k].cmd->name, file, dir, why);
    }
    comm_bcast(sim->comm, err, sizeof err, 0);
    if (err[0]) error_all(FLERR, "%s", err);
    if (!sim->check_only) {
        /* the deck is good: open the run log, named by its first log command */
        const char *log = "log.neckmd";
        int append = 0;
        char where[600];
        snprintf(where, sizeof where, "%s", path);
        for (int k = 0; k < np; k++)
            if (strcmp(p[k].cmd->name, "log") == 0) {
                log = p[k].tok[1];
                append = p[k].ntok == 3;
                snprintf(where, sizeof where, "%s:%d", path, p[k].line);
                break;
            }
        runlog_open(sim, log, append, where);
    }
    /* phase 2 */
    for (int k = 0; k < np && !sim->check_only; k++) {
        char where[600];
        snprintf(where, sizeof where, "%s:%d", path, p[k].line);
        runlog_echo(sim, where, p[k].tok, p[k].ntok);
        p[k].cmd->exec(sim, p[k].tok + 1, p[k].ntok - 1, where);
    }
    runlog_end(sim);
    free(p);
    free(lines);
    free(text);
}
