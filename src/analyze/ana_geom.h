/* ana_geom.h - geometry for the analysis: periodic cell lists, lattice orientation, cubic misorientation. */
#ifndef NECKMD_ANA_GEOM_H
#define NECKMD_ANA_GEOM_H

/* Periodic cell list over a subset of atoms (count-sorted: offsets + atom indices). */
typedef struct AnaCells {
    int nc[3];           /* cells per edge (>= 1) */
    double lo[3], len[3];/* box origin and edges, A */
    double side[3];      /* cell edges, A (>= the rc given to build) */
    int *start;          /* nc[0]*nc[1]*nc[2] + 1 offsets into atom */
    int *atom;           /* atom indices, grouped by cell */
    int natom;
} AnaCells;

/* Sort atoms idx[0..n) (positions x[3 * idx], A, any image) into cells of edge >= rc. */
void ana_cells_build(AnaCells *c, int n, const int *idx, const double *x, const double lo[3], const double len[3], double rc);
void ana_cells_free(AnaCells *c);
/* The distinct cells that can hold atoms within r of point p (at most 125 for r <= 2 side,
 * in general up to cap): returns the count, ids in out. */
int ana_cells_near(const AnaCells *c, const double p[3], double r, int *out, int cap);

/* Minimum-image difference b - a (A). */
static inline void ana_minimg(const double *a, const double *b, const double len[3], double d[3])
{
    for (int k = 0; k < 3; k++) {
        double v = b[k] - a[k];
        v -= len[k] * __builtin_nearbyint(v / len[k]);
        d[k] = v;
    }
}

/* Lattice orientation from nearest-neighbour (Pb-Se) bond vectors b[3n] (A, any length):
 * the rotation R (row-major 3x3; its columns are the crystal's <100> axes in the lab frame)
 * that brings the ideal bonds +-e_k closest to the observed directions: each bond is
 * assigned to the nearest +-R e_k, R is refitted by Horn's quaternion method, until the
 * assignment no longer changes. R holds the starting guess on entry if guess != 0 (else a
 * guess is made from the bonds). Returns the RMS angle (deg) between the bonds and their
 * ideal directions, or -1 if fewer than 2 non-parallel bonds. */
double ana_orient_fit(int n, const double *b, double R[9], int guess);
/* Smallest rotation angle (deg) taking frame A to frame B, over the 24 proper rotations of
 * the cube (the misorientation of two cubic lattices; 0 .. 62.8 deg). */
double ana_cubic_misorientation(const double Ra[9], const double Rb[9]);
/* Rotation of angle ang (rad) about the unit axis u (row-major). */
void ana_rotation(const double u[3], double ang, double R[9]);

#endif
