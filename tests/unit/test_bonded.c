/* test_bonded.c - every bonded style: forces = -dE/dx by central differences (h = 1e-6 A) at
 * random distorted geometries, zero net force and torque, and energies at geometries where
 * the value is known by hand (r0, theta0, trans and cis and gauche torsions).
 * Tolerance 1e-6 relative to the largest force (central differences are O(h^2) ~ 1e-10 here;
 * a wrong sign or factor fails by orders of magnitude). */
#include "bonded.h"
#include "tap.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static double energy(const BondedStyle *s, const double *p, double (*x)[3])
{
    double f[4][3];
    return s->compute(p, (const double (*)[3])x, f);
}

static void fd_check(const BondedStyle *s, const double *p, double (*x)[3], const char *what)
{
    int na = bonded_kind_natom(s->kind);
    double f[4][3];
    s->compute(p, (const double (*)[3])x, f);
    double maxerr = 0, maxf = 0, net[3] = {0, 0, 0}, torque[3] = {0, 0, 0};
    for (int a = 0; a < na; a++)
        for (int c = 0; c < 3; c++) {
            double h = 1e-6, keep = x[a][c];
            x[a][c] = keep + h;
            double ep = energy(s, p, x);
            x[a][c] = keep - h;
            double em = energy(s, p, x);
            x[a][c] = keep;
            double fd = -(ep - em) / (2 * h);
            if (fabs(fd - f[a][c]) > maxerr) maxerr = fabs(fd - f[a][c]);
            if (fabs(f[a][c]) > maxf) maxf = fabs(f[a][c]);
            net[c] += f[a][c];
        }
    for (int a = 0; a < na; a++) {
        torque[0] += x[a][1] * f[a][2] - x[a][2] * f[a][1];
        torque[1] += x[a][2] * f[a][0] - x[a][0] * f[a][2];
        torque[2] += x[a][0] * f[a][1] - x[a][1] * f[a][0];
    }
    double nn = fabs(net[0]) + fabs(net[1]) + fabs(net[2]), tt = fabs(torque[0]) + fabs(torque[1]) + fabs(torque[2]);
    tap_ok(maxerr <= 1e-6 * fmax(maxf, 1.0) && nn < 1e-9 * fmax(maxf, 1.0) && tt < 1e-8 * fmax(maxf, 1.0),
           "%s %s %s: max |F + dE/dx| %.1e (max |F| %.3g), net force %.1e, net torque %.1e",
           bonded_kind_name(s->kind), s->name, what, maxerr, maxf, nn, tt);
}

static void set(double (*x)[3], int a, double X, double Y, double Z) { x[a][0] = X; x[a][1] = Y; x[a][2] = Z; }

int main(void)
{
    srand(2024);
    /* bond */
    {
        const BondedStyle *s = bonded_style_find(TOPO_BOND, "harmonic");
        double u[2] = {300.0, 1.54}, p[BONDED_MAXPARAM];
        s->prepare(u, p);
        double x[4][3] = {{0, 0, 0}, {1.54, 0, 0}};
        tap_ok(fabs(energy(s, p, x)) < 1e-14, "bond harmonic: E(r0) = 0");
        set(x, 1, 1.0, 1.2, -0.3);
        double r = sqrt(1.0 + 1.44 + 0.09);
        tap_ok(fabs(energy(s, p, x) - 300.0 * (r - 1.54) * (r - 1.54)) < 1e-10, "bond harmonic: E = K (r - r0)^2 (no 1/2)");
        fd_check(s, p, x, "stretched");
    }
    /* angle */
    {
        const BondedStyle *s = bonded_style_find(TOPO_ANGLE, "harmonic");
        double u[2] = {62.1, 114.0}, p[BONDED_MAXPARAM];
        s->prepare(u, p);
        double th = 114.0 * M_PI / 180.0;
        double x[4][3] = {{1.5, 0, 0}, {0, 0, 0}, {1.5 * cos(th), 1.5 * sin(th), 0}};
        tap_ok(fabs(energy(s, p, x)) < 1e-12, "angle harmonic: E(theta0) = 0");
        set(x, 2, 1.5 * cos(1.7), 1.5 * sin(1.7), 0.0);
        double d = 1.7 - th;
        tap_ok(fabs(energy(s, p, x) - 62.1 * d * d) < 1e-10, "angle harmonic: E = K (theta - theta0)^2, theta0 in degrees");
        for (int t = 0; t < 3; t++) {
            for (int a = 0; a < 3; a++)
                for (int c = 0; c < 3; c++) x[a][c] += 0.3 * (rand() / (double)RAND_MAX - 0.5);
            fd_check(s, p, x, "random");
        }
    }
    /* dihedral: trans, cis, gauche energies, then random */
    {
        const BondedStyle *s = bonded_style_find(TOPO_DIHEDRAL, "opls");
        double u[4] = {1.411, -0.271, 3.145, 0.2}, p[BONDED_MAXPARAM];
        s->prepare(u, p);
        double x[4][3];
        /* atoms 1,2 on the x axis; atom 0 in the xy plane; atom 3 rotated by phi about x */
        for (int k = 0; k < 3; k++) {
            double phi = (k == 0 ? 180.0 : (k == 1 ? 0.0 : 60.0)) * M_PI / 180.0;
            set(x, 0, -0.5, 1.0, 0.0);
            set(x, 1, 0.0, 0.0, 0.0);
            set(x, 2, 1.5, 0.0, 0.0);
            set(x, 3, 2.0, cos(phi), sin(phi));
            double ref = 0.5 * (u[0] * (1 + cos(phi)) + u[1] * (1 - cos(2 * phi)) + u[2] * (1 + cos(3 * phi)) + u[3] * (1 - cos(4 * phi)));
            tap_ok(fabs(energy(s, p, x) - ref) < 1e-12, "dihedral opls: E at phi = %s matches the formula (%.6f kcal/mol)",
                   k == 0 ? "180 (trans)" : (k == 1 ? "0 (cis)" : "60 (gauche)"), ref);
        }
        tap_ok(fabs(energy(s, p, x) - energy(s, p, x)) == 0.0, "dihedral opls: deterministic");
        for (int t = 0; t < 4; t++) {
            for (int a = 0; a < 4; a++)
                for (int c = 0; c < 3; c++) x[a][c] += 0.4 * (rand() / (double)RAND_MAX - 0.5);
            fd_check(s, p, x, "random");
        }
    }
    /* improper */
    {
        const BondedStyle *s = bonded_style_find(TOPO_IMPROPER, "harmonic");
        double u[2] = {40.0, 0.0}, p[BONDED_MAXPARAM];
        s->prepare(u, p);
        double x[4][3] = {{0, 1, 0}, {0, 0, 0}, {1, 0, 0}, {1.2, 0.9, 0}};
        tap_ok(fabs(energy(s, p, x)) < 1e-20, "improper harmonic: planar (cis) geometry has chi = 0");
        set(x, 3, 1.2, 0.9, 0.35);
        double chi = atan2(0.35, 0.9);
        tap_ok(fabs(energy(s, p, x) - 40.0 * chi * chi) < 1e-10, "improper harmonic: E = K chi^2 out of plane");
        for (int t = 0; t < 3; t++) {
            for (int a = 0; a < 4; a++)
                for (int c = 0; c < 3; c++) x[a][c] += 0.3 * (rand() / (double)RAND_MAX - 0.5);
            fd_check(s, p, x, "random");
        }
    }
    /* table */
    int n = bonded_style_count(), dup = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            dup |= bonded_style_at(i)->kind == bonded_style_at(j)->kind && strcmp(bonded_style_at(i)->name, bonded_style_at(j)->name) == 0;
    tap_ok(n == 4 && !dup, "bonded style table: %d styles, (kind, name) unique", n);
    return tap_done();
}
