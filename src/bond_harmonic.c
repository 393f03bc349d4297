/* bond_harmonic.c - E = K (r - r0)^2 (LAMMPS bond_style harmonic: no factor 1/2).
 * Parameters: K (kcal/mol/A^2), r0 (A). */
#include "bonded.h"
#include <math.h>

static void prepare(const double *u, double *p) { p[0] = u[0]; p[1] = u[1]; }

static double compute(const double *p, const double (*x)[3], double (*f)[3])
{
    double d[3] = {x[0][0] - x[1][0], x[0][1] - x[1][1], x[0][2] - x[1][2]};
    double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    double dr = r - p[1];
    double fr = r > 0 ? -2.0 * p[0] * dr / r : 0.0; /* force on atom 0 along d, per unit d */
    for (int c = 0; c < 3; c++) {
        f[0][c] = fr * d[c];
        f[1][c] = -fr * d[c];
    }
    return p[0] * dr * dr;
}

const BondedStyle bonded_style_bond_harmonic = {
    "harmonic", TOPO_BOND, 2, "K (kcal/mol/A^2) R0 (A)",
    "harmonic bond E = K (r - r0)^2", prepare, compute};
