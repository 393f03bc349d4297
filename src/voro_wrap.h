/* voro_wrap.h - the C face of Voro++ (the only C++ in neckmd is voro_wrap.cc). */
#ifndef NECKMD_VORO_WRAP_H
#define NECKMD_VORO_WRAP_H
#ifdef __cplusplus
extern "C" {
#endif

/* Voronoi tessellation of n points in a fully periodic orthogonal box.
 * xyz[3n]: positions (A, any image; they are wrapped). len[3]: box edges (A), origin lo[3].
 * Out (arrays of n, any may be NULL): vol (A^3) and nface (faces) per point.
 * neighbour lists: if nbr_off (n+1) is given, *nbr and *area are malloc'ed arrays holding,
 * for point i, entries nbr_off[i] .. nbr_off[i+1]-1: the index of the point sharing each
 * face and that face's area (A^2); free them with free().
 * Returns 0 on success, -1 on bad input (non-finite coordinate, n < 1, len <= 0) or a
 * Voro++ failure. */
int voro_periodic(int n, const double *xyz, const double lo[3], const double len[3],
                  double *vol, int *nface, int *nbr_off, int **nbr, double **area);

#ifdef __cplusplus
}
#endif
#endif
