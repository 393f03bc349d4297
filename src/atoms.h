/* atoms.h - per-atom arrays: growth and copying of one atom's record. */
#ifndef NECKMD_ATOMS_H
#define NECKMD_ATOMS_H
#include <stdint.h>

typedef struct Atoms Atoms;

/* Make room for at least n atoms (owned + ghost) in every array, keeping contents. */
void atoms_grow(Atoms *a, int n);
/* Copy atom j over atom i (all arrays, owned-atom fields included). */
void atoms_copy(Atoms *a, int i, int j);
/* Free every array and zero the struct. */
void atoms_free(Atoms *a);
/* Sort the owned atoms [0, nlocal) by global id (deterministic order after migration). */
void atoms_sort_owned(Atoms *a);

#endif
