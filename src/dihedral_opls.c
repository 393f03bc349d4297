/* dihedral_opls.c - OPLS torsion (Jorgensen, Maxwell & Tirado-Rives, JACS 118, 11225 (1996);
 * LAMMPS dihedral_style opls):
 *   E = 1/2 [K1 (1 + cos phi) + K2 (1 - cos 2phi) + K3 (1 + cos 3phi) + K4 (1 - cos 4phi)]
 * phi = 180 deg for trans. Parameters K1..K4 in kcal/mol. The TraPPE cosine series
 * c0 + c1(1+cos) + c2(1-cos2) + c3(1+cos3) is this form with K = 2c (plus the constant c0). */
#include "bonded.h"
#include "dihedral_util.h"

static void prepare(const double *u, double *p)
{
    for (int k = 0; k < 4; k++) p[k] = u[k];
}

static double compute(const double *p, const double (*x)[3], double (*f)[3])
{
    double g[4][3];
    double phi = torsion_angle(x, g);
    double e = 0.5 * (p[0] * (1 + cos(phi)) + p[1] * (1 - cos(2 * phi)) + p[2] * (1 + cos(3 * phi)) +
                      p[3] * (1 - cos(4 * phi)));
    double de = 0.5 * (-p[0] * sin(phi) + 2 * p[1] * sin(2 * phi) - 3 * p[2] * sin(3 * phi) + 4 * p[3] * sin(4 * phi));
    for (int a = 0; a < 4; a++)
        for (int c = 0; c < 3; c++) f[a][c] = -de * g[a][c];
    return e;
}

const BondedStyle bonded_style_dihedral_opls = {
    "opls", TOPO_DIHEDRAL, 4, "K1 K2 K3 K4 (kcal/mol)",
    "OPLS dihedral E = 1/2 [K1(1+cos) + K2(1-cos2) + K3(1+cos3) + K4(1-cos4)]", prepare, compute};
