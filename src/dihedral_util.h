/* dihedral_util.h - the torsion angle of four atoms i, j, k, l and its gradient (shared by
 * the dihedral and improper styles).
 *
 * Blondel & Karplus, J. Comput. Chem. 17, 1132 (1996): F = x_i - x_j, G = x_j - x_k,
 * H = x_l - x_k, A = F x G, B = H x G;
 *   cos phi = A.B / (|A||B|), sin phi = (B x A).G / (|A||B||G|)   (trans = 180 deg, cis = 0)
 *   dphi/dx_i = -|G|/A^2 A,   dphi/dx_l = |G|/B^2 B,
 *   dphi/dx_j =  |G|/A^2 A + (F.G)/(A^2 |G|) A - (H.G)/(B^2 |G|) B,
 *   dphi/dx_k = -|G|/B^2 B - (F.G)/(A^2 |G|) A + (H.G)/(B^2 |G|) B.
 * These stay finite and exact without any division by sin phi. Returns phi (radians) and the
 * four gradients in g (1/A). */
#ifndef NECKMD_DIHEDRAL_UTIL_H
#define NECKMD_DIHEDRAL_UTIL_H
#include <math.h>

static inline void cross3(const double a[3], const double b[3], double c[3])
{
    c[0] = a[1] * b[2] - a[2] * b[1];
    c[1] = a[2] * b[0] - a[0] * b[2];
    c[2] = a[0] * b[1] - a[1] * b[0];
}
static inline double dot3(const double a[3], const double b[3]) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

static inline double torsion_angle(const double (*x)[3], double (*g)[3])
{
    double F[3], G[3], H[3], A[3], B[3], BA[3];
    for (int c = 0; c < 3; c++) {
        F[c] = x[0][c] - x[1][c];
        G[c] = x[1][c] - x[2][c];
        H[c] = x[3][c] - x[2][c];
    }
    cross3(F, G, A);
    cross3(H, G, B);
    cross3(B, A, BA);
    double A2 = dot3(A, A), B2 = dot3(B, B), Gl = sqrt(dot3(G, G));
    if (A2 < 1e-20) A2 = 1e-20; /* collinear atoms: the angle is undefined; keep it finite */
    if (B2 < 1e-20) B2 = 1e-20;
    double phi = atan2(dot3(BA, G) / Gl, dot3(A, B));
    double FG = dot3(F, G), HG = dot3(H, G);
    for (int c = 0; c < 3; c++) {
        double a = A[c] / A2, b = B[c] / B2;
        g[0][c] = -Gl * a;
        g[3][c] = Gl * b;
        g[1][c] = Gl * a + FG / Gl * a - HG / Gl * b;
        g[2][c] = -Gl * b - FG / Gl * a + HG / Gl * b;
    }
    return phi;
}
#endif
