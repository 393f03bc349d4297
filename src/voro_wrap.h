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

/* One Voronoi cell at a time, clipped to a box ("cap"), for atoms at a free surface or in
 * a neck, where an unclipped cell would reach into the vacuum (neckmd analyze, docs/analysis.md).
 * VoroCell is an opaque workspace (one per thread); create returns NULL if out of memory. */
typedef struct VoroCell VoroCell;
VoroCell *voro_cell_create(void);
void voro_cell_destroy(VoroCell **cell);
/* The cell of a point at the origin: the box [lo, hi] (A, relative to the point; lo < 0 < hi)
 * cut by the bisector planes of n neighbours at relative positions rel[3n] (A) with ids
 * id[n] >= 0 (any order; neighbours that cannot cut the cell - farther than twice its
 * largest vertex distance - are skipped, as are coincident points). *volume (A^3) may be
 * NULL. Returns 0, or -1 on bad input (non-finite, lo >= 0 or hi <= 0, negative id) or a
 * Voro++ failure (memory). */
int voro_cell_compute(VoroCell *cell, const double lo[3], const double hi[3], int n, const double *rel, const int *id,
                      double *volume);
/* Faces of the last computed cell: returns their number; the first max are stored as the
 * neighbour id (or a negative number for a face of the clipping box) and the area (A^2). */
int voro_cell_faces(VoroCell *cell, int max, int *id, double *area);

#ifdef __cplusplus
}
#endif
#endif
