/* ana_geom.c - periodic cell lists and crystal orientation for `neckmd analyze`.
 *
 * Cell list: counting sort of the atoms into cells of edge >= rc (offsets + indices, no
 * per-cell capacity); neighbour cells are taken modulo the cell count and de-duplicated, so a
 * box only one or two cells wide is searched correctly (each image cell once; distances then
 * use the minimum image, valid for cutoffs below half the box).
 *
 * Orientation: in rock salt every nearest-neighbour Pb-Se bond lies along +-a, +-b or +-c,
 * the cube axes of the crystal. The second moment of the bond directions is isotropic for a
 * cubic crystal (it cannot give the axes), so the axes are fitted directly: assign each bond
 * to the nearest +-R e_k and find the rotation R maximising sum_b b.(R a_b) - the orthogonal
 * Procrustes problem, solved by Horn's unit-quaternion method (B. K. P. Horn, J. Opt. Soc.
 * Am. A 4, 629 (1987)): the eigenvector of the largest eigenvalue of a symmetric 4x4 matrix
 * (Jacobi rotations here), which always gives a proper rotation. Assignment and fit alternate
 * until the assignment is stable (each step cannot decrease the objective). Thermal noise of
 * a few degrees does not change the assignment, and the fit averages over all bonds of the
 * NC. (Rejected: a Kabsch fit of the Pb sublattice to an ideal lattice needs the lattice
 * site of every atom - the same assignment problem, in 3 dimensions instead of directions -
 * and is spoilt by surface relaxation and strain.)
 *
 * Misorientation: both fits are defined only up to the 24 rotations of the cube, so the
 * angle between two NCs is min_g angle(Ra^T Rb g) over those 24 (signed permutation
 * matrices of determinant +1). */
#include "analyze/ana_geom.h"
#include "units.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

void ana_cells_free(AnaCells *c)
{
    free(c->start);
    free(c->atom);
    memset(c, 0, sizeof *c);
}

static int cell_of(const AnaCells *c, const double *p)
{
    int ic[3];
    for (int k = 0; k < 3; k++) {
        double u = (p[k] - c->lo[k]) / c->len[k];
        u -= floor(u);
        int i = (int)(u * c->nc[k]);
        ic[k] = i < 0 ? 0 : i >= c->nc[k] ? c->nc[k] - 1 : i;
    }
    return (ic[2] * c->nc[1] + ic[1]) * c->nc[0] + ic[0];
}

void ana_cells_build(AnaCells *c, int n, const int *idx, const double *x, const double lo[3], const double len[3], double rc)
{
    int ncell = 1;
    for (int k = 0; k < 3; k++) {
        c->lo[k] = lo[k];
        c->len[k] = len[k];
        int m = (int)floor(len[k] / rc);
        if (m < 1) m = 1;
        if (m > 1024) m = 1024;
        c->nc[k] = m;
        c->side[k] = len[k] / m;
        ncell *= m;
    }
    free(c->start);
    free(c->atom);
    c->start = calloc((size_t)ncell + 1, sizeof(int));
    c->atom = malloc(sizeof(int) * (size_t)(n > 0 ? n : 1));
    c->natom = n;
    int *cid = malloc(sizeof(int) * (size_t)(n > 0 ? n : 1));
    for (int i = 0; i < n; i++) {
        cid[i] = cell_of(c, x + 3 * (size_t)idx[i]);
        c->start[cid[i] + 1]++;
    }
    for (int k = 0; k < ncell; k++) c->start[k + 1] += c->start[k];
    int *fill = malloc(sizeof(int) * (size_t)ncell);
    memcpy(fill, c->start, sizeof(int) * (size_t)ncell);
    for (int i = 0; i < n; i++) c->atom[fill[cid[i]]++] = idx[i];
    free(fill);
    free(cid);
}

int ana_cells_near(const AnaCells *c, const double p[3], double r, int *out, int cap)
{
    int lo[3], cnt[3];
    for (int k = 0; k < 3; k++) {
        double u = (p[k] - c->lo[k]) / c->len[k];
        u -= floor(u);
        int i = (int)(u * c->nc[k]);
        if (i >= c->nc[k]) i = c->nc[k] - 1;
        int s = (int)ceil(r / c->side[k]);
        if (2 * s + 1 >= c->nc[k]) {
            lo[k] = 0;
            cnt[k] = c->nc[k];
        } else {
            lo[k] = i - s;
            cnt[k] = 2 * s + 1;
        }
    }
    int n = 0;
    for (int a = 0; a < cnt[2]; a++) {
        int iz = ((lo[2] + a) % c->nc[2] + c->nc[2]) % c->nc[2];
        for (int b = 0; b < cnt[1]; b++) {
            int iy = ((lo[1] + b) % c->nc[1] + c->nc[1]) % c->nc[1];
            for (int e = 0; e < cnt[0]; e++) {
                int ix = ((lo[0] + e) % c->nc[0] + c->nc[0]) % c->nc[0];
                if (n < cap) out[n] = (iz * c->nc[1] + iy) * c->nc[0] + ix;
                n++;
            }
        }
    }
    return n < cap ? n : cap;
}

/* ---- orientation ---- */

/* Largest-eigenvalue eigenvector of a symmetric 4x4 matrix (cyclic Jacobi). */
static void eig4_max(double A[4][4], double v[4])
{
    double V[4][4] = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    for (int sweep = 0; sweep < 50; sweep++) {
        double off = 0;
        for (int p = 0; p < 4; p++)
            for (int q = p + 1; q < 4; q++) off += A[p][q] * A[p][q];
        if (off < 1e-30) break;
        for (int p = 0; p < 4; p++)
            for (int q = p + 1; q < 4; q++) {
                if (fabs(A[p][q]) < 1e-300) continue;
                double theta = (A[q][q] - A[p][p]) / (2 * A[p][q]);
                double t = (theta >= 0 ? 1 : -1) / (fabs(theta) + sqrt(theta * theta + 1));
                double cs = 1 / sqrt(t * t + 1), sn = t * cs;
                for (int k = 0; k < 4; k++) {
                    double akp = A[k][p], akq = A[k][q];
                    A[k][p] = cs * akp - sn * akq;
                    A[k][q] = sn * akp + cs * akq;
                }
                for (int k = 0; k < 4; k++) {
                    double apk = A[p][k], aqk = A[q][k];
                    A[p][k] = cs * apk - sn * aqk;
                    A[q][k] = sn * apk + cs * aqk;
                }
                for (int k = 0; k < 4; k++) {
                    double vkp = V[k][p], vkq = V[k][q];
                    V[k][p] = cs * vkp - sn * vkq;
                    V[k][q] = sn * vkp + cs * vkq;
                }
            }
    }
    int m = 0;
    for (int k = 1; k < 4; k++)
        if (A[k][k] > A[m][m]) m = k;
    for (int k = 0; k < 4; k++) v[k] = V[k][m];
}

/* Rotation R maximising sum_k b_k . (R a_k), from S[i][j] = sum_k a_k[i] b_k[j] (Horn 1987). */
static void horn(const double S[3][3], double R[9])
{
    double N[4][4] = {
        {S[0][0] + S[1][1] + S[2][2], S[1][2] - S[2][1], S[2][0] - S[0][2], S[0][1] - S[1][0]},
        {S[1][2] - S[2][1], S[0][0] - S[1][1] - S[2][2], S[0][1] + S[1][0], S[2][0] + S[0][2]},
        {S[2][0] - S[0][2], S[0][1] + S[1][0], -S[0][0] + S[1][1] - S[2][2], S[1][2] + S[2][1]},
        {S[0][1] - S[1][0], S[2][0] + S[0][2], S[1][2] + S[2][1], -S[0][0] - S[1][1] + S[2][2]}};
    double q[4];
    eig4_max(N, q);
    double w = q[0], x = q[1], y = q[2], z = q[3];
    R[0] = w * w + x * x - y * y - z * z, R[1] = 2 * (x * y - w * z), R[2] = 2 * (x * z + w * y);
    R[3] = 2 * (x * y + w * z), R[4] = w * w - x * x + y * y - z * z, R[5] = 2 * (y * z - w * x);
    R[6] = 2 * (x * z - w * y), R[7] = 2 * (y * z + w * x), R[8] = w * w - x * x - y * y + z * z;
}

static void unit(double *v)
{
    double r = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    if (r > 0)
        for (int k = 0; k < 3; k++) v[k] /= r;
}

double ana_orient_fit(int n, const double *b, double R[9], int guess)
{
    if (n < 2) return -1;
    if (!guess) {
        /* first bond = a, the first clearly non-parallel bond = b, c = a x b */
        double e1[3] = {b[0], b[1], b[2]}, e2[3] = {0, 0, 0}, e3[3];
        unit(e1);
        int found = 0;
        for (int k = 1; k < n && !found; k++) {
            double v[3] = {b[3 * k], b[3 * k + 1], b[3 * k + 2]};
            unit(v);
            double c = v[0] * e1[0] + v[1] * e1[1] + v[2] * e1[2];
            if (fabs(c) < 0.5) {
                for (int d = 0; d < 3; d++) e2[d] = v[d] - c * e1[d];
                unit(e2);
                found = 1;
            }
        }
        if (!found) return -1;
        e3[0] = e1[1] * e2[2] - e1[2] * e2[1];
        e3[1] = e1[2] * e2[0] - e1[0] * e2[2];
        e3[2] = e1[0] * e2[1] - e1[1] * e2[0];
        for (int d = 0; d < 3; d++) {
            R[3 * d] = e1[d];
            R[3 * d + 1] = e2[d];
            R[3 * d + 2] = e3[d];
        }
    }
    int *assign = malloc(sizeof(int) * (size_t)n);
    for (int k = 0; k < n; k++) assign[k] = -1;
    double sumsq = 0;
    for (int it = 0; it < 100; it++) {
        double S[3][3] = {{0}};
        int changed = 0;
        for (int k = 0; k < n; k++) {
            double v[3] = {b[3 * k], b[3 * k + 1], b[3 * k + 2]};
            unit(v);
            double c[3];
            for (int i = 0; i < 3; i++) c[i] = R[i] * v[0] + R[3 + i] * v[1] + R[6 + i] * v[2]; /* R^T v */
            int m = 0;
            for (int i = 1; i < 3; i++)
                if (fabs(c[i]) > fabs(c[m])) m = i;
            int a = c[m] >= 0 ? m : m + 3;
            if (a != assign[k]) changed = 1;
            assign[k] = a;
            double s = a < 3 ? 1.0 : -1.0;
            for (int j = 0; j < 3; j++) S[m][j] += s * v[j];
        }
        if (!changed) break;
        horn(S, R);
    }
    for (int k = 0; k < n; k++) {
        double v[3] = {b[3 * k], b[3 * k + 1], b[3 * k + 2]};
        unit(v);
        int m = assign[k] % 3;
        double s = assign[k] < 3 ? 1.0 : -1.0;
        double c = s * (R[m] * v[0] + R[3 + m] * v[1] + R[6 + m] * v[2]);
        if (c > 1) c = 1;
        double ang = acos(c);
        sumsq += ang * ang;
    }
    free(assign);
    return sqrt(sumsq / n) * 180.0 / UNITS_PI;
}

double ana_cubic_misorientation(const double Ra[9], const double Rb[9])
{
    /* M = Ra^T Rb */
    double M[9];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) M[3 * i + j] = Ra[i] * Rb[j] + Ra[3 + i] * Rb[3 + j] + Ra[6 + i] * Rb[6 + j];
    static const int perm[6][3] = {{0, 1, 2}, {1, 2, 0}, {2, 0, 1}, {0, 2, 1}, {2, 1, 0}, {1, 0, 2}};
    double best = -2;
    for (int p = 0; p < 6; p++)
        for (int s = 0; s < 8; s++) {
            double sg[3] = {s & 1 ? -1 : 1, s & 2 ? -1 : 1, s & 4 ? -1 : 1};
            /* g = signed permutation: g[perm[p][j]][j] = sg[j]; det must be +1 */
            double det = sg[0] * sg[1] * sg[2] * (p < 3 ? 1 : -1);
            if (det < 0) continue;
            /* trace(M g) = sum_j M[j][perm[p][j]] sg[j] */
            double tr = 0;
            for (int j = 0; j < 3; j++) tr += M[3 * j + perm[p][j]] * sg[j];
            if (tr > best) best = tr;
        }
    double c = (best - 1) / 2;
    if (c > 1) c = 1;
    if (c < -1) c = -1;
    return acos(c) * 180.0 / UNITS_PI;
}

void ana_rotation(const double u[3], double ang, double R[9])
{
    double c = cos(ang), s = sin(ang), t = 1 - c, x = u[0], y = u[1], z = u[2];
    R[0] = t * x * x + c, R[1] = t * x * y - s * z, R[2] = t * x * z + s * y;
    R[3] = t * x * y + s * z, R[4] = t * y * y + c, R[5] = t * y * z - s * x;
    R[6] = t * x * z - s * y, R[7] = t * y * z + s * x, R[8] = t * z * z + c;
}
