/* angle_harmonic.c - E = K (theta - theta0)^2 for the angle at the middle atom (LAMMPS
 * angle_style harmonic). Parameters: K (kcal/mol/rad^2), theta0 (degrees; radians inside).
 * Forces: dE/dtheta = 2 K (theta - theta0); d theta/d x_0 = -(u2 - cos u1)/(r1 sin), etc. */
#include "bonded.h"
#include <math.h>

static void prepare(const double *u, double *p) { p[0] = u[0]; p[1] = u[1] * 3.14159265358979323846 / 180.0; }

static double compute(const double *p, const double (*x)[3], double (*f)[3])
{
    double a[3], b[3];
    for (int c = 0; c < 3; c++) { a[c] = x[0][c] - x[1][c]; b[c] = x[2][c] - x[1][c]; }
    double ra = sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    double rb = sqrt(b[0] * b[0] + b[1] * b[1] + b[2] * b[2]);
    double cs = (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]) / (ra * rb);
    if (cs > 1.0) cs = 1.0;
    if (cs < -1.0) cs = -1.0;
    double sn = sqrt(1.0 - cs * cs);
    if (sn < 1e-8) sn = 1e-8; /* straight angle: direction undefined, force vanishes with dtheta */
    double th = acos(cs), dth = th - p[1];
    double de = 2.0 * p[0] * dth; /* dE/dtheta */
    /* dtheta/da = -(b/(ra rb) - cs a/ra^2)/sn ; force = -dE/dtheta * dtheta/dx */
    for (int c = 0; c < 3; c++) {
        double dta = -(b[c] / (ra * rb) - cs * a[c] / (ra * ra)) / sn;
        double dtb = -(a[c] / (ra * rb) - cs * b[c] / (rb * rb)) / sn;
        f[0][c] = -de * dta;
        f[2][c] = -de * dtb;
        f[1][c] = -(f[0][c] + f[2][c]);
    }
    return p[0] * dth * dth;
}

const BondedStyle bonded_style_angle_harmonic = {
    "harmonic", TOPO_ANGLE, 2, "K (kcal/mol/rad^2) THETA0 (degrees)",
    "harmonic angle E = K (theta - theta0)^2", prepare, compute};
