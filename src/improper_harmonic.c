/* improper_harmonic.c - E = K (chi - chi0)^2 with chi the angle between the planes (I,J,K) and
 * (J,K,L), 0..180 deg (LAMMPS improper_style harmonic). chi = |phi| of the torsion I-J-K-L.
 * Parameters: K (kcal/mol/rad^2), chi0 (degrees). */
#include "bonded.h"
#include "dihedral_util.h"

static void prepare(const double *u, double *p) { p[0] = u[0]; p[1] = u[1] * 3.14159265358979323846 / 180.0; }

static double compute(const double *p, const double (*x)[3], double (*f)[3])
{
    double g[4][3];
    double phi = torsion_angle(x, g);
    double chi = fabs(phi), s = phi < 0 ? -1.0 : 1.0;
    double d = chi - p[1];
    double de = 2.0 * p[0] * d * s; /* dE/dphi */
    for (int a = 0; a < 4; a++)
        for (int c = 0; c < 3; c++) f[a][c] = -de * g[a][c];
    return p[0] * d * d;
}

const BondedStyle bonded_style_improper_harmonic = {
    "harmonic", TOPO_IMPROPER, 2, "K (kcal/mol/rad^2) CHI0 (degrees)",
    "harmonic improper E = K (chi - chi0)^2", prepare, compute};
