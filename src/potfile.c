/* potfile.c - the parameter-file format (see potentials/README.md for the full description):
 *
 *   model   NAME
 *   units   energy kcal/mol | energy eV     (A, C, epsilon converted to kcal/mol; 1 eV = 23.060548 kcal/mol)
 *   source  citation ...                    (any number of lines; kept for the run record)
 *   status  text
 *   mixing  none | geometric | arithmetic   (LJ cross pairs not given explicitly)
 *   type    NAME mass M [charge Q]          (amu, e; a charge overrides the data file's)
 *   pair    NAME1 NAME2 buck A RHO C        (kcal/mol, A, kcal/mol A^6)
 *   pair    NAME1 NAME2 lj EPSILON SIGMA    (kcal/mol, A)
 *   special lj F12 F13 F14 coul F12 F13 F14 (scale factors of 1-2, 1-3, 1-4 pairs)
 *   bond    N1 N2 harmonic K R0             (kcal/mol/A^2, A: E = K (r - r0)^2)
 *   angle   N1 N2 N3 harmonic K THETA0      (kcal/mol/rad^2, degrees)
 *   dihedral N1 N2 N3 N4 opls K1 K2 K3 K4   (kcal/mol)
 *   improper N1 N2 N3 N4 harmonic K CHI0    (kcal/mol/rad^2, degrees)
 * Bonded lines apply to every numeric bonded type of the data file whose atoms have these
 * type names (in this order or reversed; X matches any type).
 *
 * Every line is checked; an error names the file and line and says what was expected. */
#include "potfile.h"
#include "bonded.h"
#include "comm.h"
#include "error.h"
#include "sim.h"
#include "textfile.h"
#include "units.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int potfile_type_index(const Sim *sim, const char *name)
{
    for (int t = 0; t < sim->types.ntypes; t++)
        if (strcmp(sim->types.name[t], name) == 0) return t;
    char *end;
    long v = strtol(name, &end, 10);
    if (*end == '\0' && v >= 1 && v <= sim->types.ntypes) return (int)v - 1;
    return -1;
}


static const char *base(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

void potfile_apply(Sim *sim, const char *path, const char *where)
{
    char *text = textfile_read_all(sim->comm, path, where);
    char **lines;
    int nl = textfile_lines(text, &lines);
    double escale = 0.0; /* unset until a units line */
    int ncharge_types = 0;
    for (int il = 0; il < nl; il++) {
        char *tok[16];
        int n = textfile_tokens(lines[il], tok, 16);
        if (n == 0) continue;
        int line = il + 1;
        if (strcmp(tok[0], "model") == 0 || strcmp(tok[0], "source") == 0 || strcmp(tok[0], "status") == 0) {
            continue;
        } else if (strcmp(tok[0], "units") == 0) {
            if (n != 3 || strcmp(tok[1], "energy") != 0 || (strcmp(tok[2], "kcal/mol") != 0 && strcmp(tok[2], "eV") != 0 && strcmp(tok[2], "kJ/mol") != 0))
                error_all(FLERR, "%s: forcefield: %s:%d: expected 'units energy kcal/mol', 'units energy kJ/mol' or 'units energy eV'", where, path, line);
            escale = strcmp(tok[2], "eV") == 0 ? UNITS_EV : (strcmp(tok[2], "kJ/mol") == 0 ? 1.0 / 4.184 : 1.0);
        } else if (strcmp(tok[0], "mixing") == 0) {
            if (n != 2 || (strcmp(tok[1], "none") && strcmp(tok[1], "geometric") && strcmp(tok[1], "arithmetic")))
                error_all(FLERR, "%s: forcefield: %s:%d: expected 'mixing none|geometric|arithmetic'", where, path, line);
            sim->mixing = strcmp(tok[1], "none") == 0 ? 0 : (strcmp(tok[1], "geometric") == 0 ? 1 : 2);
        } else if (strcmp(tok[0], "type") == 0) {
            double m, q = 0;
            int hasq = 0;
            if (!(n == 4 || n == 6) || strcmp(tok[2], "mass") != 0 || !textfile_double(tok[3], &m) || !(m > 0) ||
                (n == 6 && (strcmp(tok[4], "charge") != 0 || !textfile_double(tok[5], &q))))
                error_all(FLERR, "%s: forcefield: %s:%d: expected 'type NAME mass M [charge Q]' (amu, e)", where, path, line);
            hasq = n == 6;
            int t = potfile_type_index(sim, tok[1]);
            if (t < 0 || strcmp(sim->types.name[t], tok[1]) != 0) continue; /* type not in this system */
            if (!sim->types.mass_set[t]) {
                sim->types.mass[t] = m;
                sim->types.mass_set[t] = 1;
            } else if (fabs(sim->types.mass[t] - m) > 1e-3 * m) {
                error_warn("%s:%d: mass of %s is %g amu here but %g amu in the data file; the data file's is used", path, line, tok[1], m, sim->types.mass[t]);
            }
            if (hasq) {
                sim->tcharge.q[t] = q;
                sim->tcharge.set[t] = 1;
                ncharge_types++;
            }
        } else if (strcmp(tok[0], "pair") == 0) {
            if (escale == 0.0) error_all(FLERR, "%s: forcefield: %s:%d: a 'units energy ...' line must come before the first pair line", where, path, line);
            double p[3] = {0.0, 0.0, 0.0};
            int ok = n >= 4;
            int buck = ok && strcmp(tok[3], "buck") == 0, lj = ok && strcmp(tok[3], "lj") == 0;
            if (buck) ok = n == 7 && textfile_double(tok[4], &p[0]) && textfile_double(tok[5], &p[1]) && textfile_double(tok[6], &p[2]) && p[1] > 0;
            else if (lj) ok = n == 6 && textfile_double(tok[4], &p[0]) && textfile_double(tok[5], &p[1]) && p[1] > 0;
            else ok = 0;
            if (!ok) error_all(FLERR, "%s: forcefield: %s:%d: expected 'pair NAME1 NAME2 buck A RHO C' or 'pair NAME1 NAME2 lj EPSILON SIGMA' (numbers, RHO and SIGMA > 0)", where, path, line);
            int ti = potfile_type_index(sim, tok[1]), tj = potfile_type_index(sim, tok[2]);
            if (ti < 0 || tj < 0 || strcmp(sim->types.name[ti], tok[1]) || strcmp(sim->types.name[tj], tok[2])) continue;
            PairCoeff c;
            memset(&c, 0, sizeof c);
            if (buck) { c.form = SR_BUCK; c.a = p[0] * escale; c.rho = p[1]; c.c = p[2] * escale; }
            else { c.form = SR_LJ; c.eps = p[0] * escale; c.sigma = p[1]; }
            snprintf(c.source, sizeof c.source, "%s:%d", base(path), line);
            sim->pair.coeff[ti][tj] = sim->pair.coeff[tj][ti] = c;
            sim->pair.coeff_set[ti][tj] = sim->pair.coeff_set[tj][ti] = 1;
        } else if (strcmp(tok[0], "special") == 0) {
            double f[6];
            int ok = n == 9 && strcmp(tok[1], "lj") == 0 && strcmp(tok[5], "coul") == 0;
            for (int k = 0; k < 3 && ok; k++) ok = textfile_double(tok[2 + k], &f[k]) && textfile_double(tok[6 + k], &f[3 + k]) && f[k] >= 0 && f[k] <= 1 && f[3 + k] >= 0 && f[3 + k] <= 1;
            if (!ok) error_all(FLERR, "%s: forcefield: %s:%d: expected 'special lj F12 F13 F14 coul F12 F13 F14' (factors 0..1)", where, path, line);
            int differs = 0;
            for (int k = 0; k < 3; k++)
                differs |= sim->topo.special_lj[k + 1] != f[k] || sim->topo.special_coul[k + 1] != f[3 + k];
            if (sim->topo.special_set && differs)
                error_warn("%s: forcefield: %s:%d: this file's 1-2/1-3/1-4 factors (lj %g %g %g coul %g %g %g) replace different ones set before (lj %g %g %g coul %g %g %g): one rule holds for the whole system, so the models loaded earlier no longer get their own 1-4 treatment",
                           where, path, line, f[0], f[1], f[2], f[3], f[4], f[5], sim->topo.special_lj[1], sim->topo.special_lj[2], sim->topo.special_lj[3],
                           sim->topo.special_coul[1], sim->topo.special_coul[2], sim->topo.special_coul[3]);
            for (int k = 0; k < 3; k++) {
                sim->topo.special_lj[k + 1] = f[k];
                sim->topo.special_coul[k + 1] = f[3 + k];
            }
            sim->topo.special_set = 1;
        } else if (strcmp(tok[0], "bond") == 0 || strcmp(tok[0], "angle") == 0 || strcmp(tok[0], "dihedral") == 0 || strcmp(tok[0], "improper") == 0) {
            int kind = tok[0][0] == 'b' ? TOPO_BOND : tok[0][0] == 'a' ? TOPO_ANGLE : tok[0][0] == 'd' ? TOPO_DIHEDRAL : TOPO_IMPROPER;
            int na = bonded_kind_natom(kind);
            if (n < na + 2) error_all(FLERR, "%s: forcefield: %s:%d: expected '%s' with %d type names, a style and its parameters", where, path, line, tok[0], na);
            const char *style = tok[1 + na];
            if (kind == TOPO_BOND && strcmp(style, "fixed") == 0) {
                /* the model constrains this bond (TraPPE): mark the types; 'shake TOL N fixed'
                 * constrains them to the R0 of their harmonic line, which must also be given */
                double r0;
                if (n != 5 || !textfile_double(tok[4], &r0) || !(r0 > 0))
                    error_all(FLERR, "%s: forcefield: %s:%d: expected 'bond N1 N2 fixed R0' (A)", where, path, line);
                const Topology *T = &sim->topo;
                for (int ty = 0; ty < T->ntypes[kind]; ty++) {
                    if (!T->names[kind] || T->names[kind][ty][0][0] == '\0') continue;
                    if ((strcmp(T->names[kind][ty][0], tok[1]) == 0 && strcmp(T->names[kind][ty][1], tok[2]) == 0) ||
                        (strcmp(T->names[kind][ty][1], tok[1]) == 0 && strcmp(T->names[kind][ty][0], tok[2]) == 0)) {
                        sim->topo.fixed[ty] = 1;
                        sim->topo.fixed_r0[ty] = r0;
                    }
                }
                continue;
            }
            const BondedStyle *st = bonded_style_find(kind, style);
            if (!st) error_all(FLERR, "%s: forcefield: %s:%d: unknown %s style '%s' (harmonic for bonds, angles and impropers; opls for dihedrals)", where, path, line, tok[0], style);
            if (escale == 0.0) error_all(FLERR, "%s: forcefield: %s:%d: a 'units energy ...' line must come before the first %s line", where, path, line, tok[0]);
            double u[BONDED_MAXPARAM];
            int ok = n == na + 2 + st->nparam;
            for (int k = 0; k < st->nparam && ok; k++) ok = textfile_double(tok[na + 2 + k], &u[k]);
            if (!ok) error_all(FLERR, "%s: forcefield: %s:%d: %s %s takes %s", where, path, line, tok[0], style, st->params);
            /* energies (the K's) are scaled; lengths and angles are not */
            if (kind == TOPO_DIHEDRAL) for (int k = 0; k < st->nparam; k++) u[k] *= escale;
            else u[0] *= escale;
            const Topology *T = &sim->topo;
            for (int ty = 0; ty < T->ntypes[kind]; ty++) {
                if (!T->names[kind] || T->names[kind][ty][0][0] == '\0') continue;
                int fwd = 1, rev = 1;
                for (int a = 0; a < na; a++) {
                    fwd &= strcmp(T->names[kind][ty][a], tok[1 + a]) == 0 || strcmp(tok[1 + a], "X") == 0;
                    rev &= strcmp(T->names[kind][ty][na - 1 - a], tok[1 + a]) == 0 || strcmp(tok[1 + a], "X") == 0;
                }
                if (!fwd && !rev) continue;
                BondedCoeff *bc = &sim->topo.coeff[kind][ty];
                bc->style = st;
                memcpy(bc->user, u, sizeof u);
                st->prepare(bc->user, bc->p);
                snprintf(bc->source, sizeof bc->source, "%s:%d", base(path), line);
            }
        } else {
            error_all(FLERR, "%s: forcefield: %s:%d: unknown keyword '%s': expected model, units, source, status, mixing, special, type, pair, bond, angle, dihedral or improper", where, path, line, tok[0]);
        }
    }
    free(lines);
    free(text);
    if (ncharge_types) {
        Atoms *a = &sim->atoms;
        for (int i = 0; i < a->nlocal; i++)
            if (sim->tcharge.set[a->type[i]]) a->q[i] = sim->tcharge.q[a->type[i]];
    }
}

void potfile_mix(Sim *sim)
{
    int nt = sim->types.ntypes;
    if (!sim->mixing) return;
    for (int i = 0; i < nt; i++)
        for (int j = 0; j < nt; j++) {
            if (i == j || sim->pair.coeff_set[i][j]) continue;
            const PairCoeff *a = &sim->pair.coeff[i][i], *b = &sim->pair.coeff[j][j];
            if (!sim->pair.coeff_set[i][i] || !sim->pair.coeff_set[j][j] || a->form != SR_LJ || b->form != SR_LJ) continue;
            PairCoeff c;
            memset(&c, 0, sizeof c);
            c.form = SR_LJ;
            c.eps = sqrt(a->eps * b->eps);
            c.sigma = sim->mixing == 1 ? sqrt(a->sigma * b->sigma) : 0.5 * (a->sigma + b->sigma);
            snprintf(c.source, sizeof c.source, "%s mixing", sim->mixing == 1 ? "geometric" : "arithmetic");
            sim->pair.coeff[i][j] = sim->pair.coeff[j][i] = c;
            sim->pair.coeff_set[i][j] = sim->pair.coeff_set[j][i] = 1;
        }
}
