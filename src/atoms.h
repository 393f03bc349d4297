/* atoms.h - per-atom arrays: growth and copying of one atom's record. */
#ifndef NECKMD_ATOMS_H
#define NECKMD_ATOMS_H
#include <stddef.h>
#include <stdint.h>

typedef struct Atoms Atoms;

/* Make room for at least n atoms (owned + ghost) in every array, keeping contents. */
void atoms_grow(Atoms *a, int n);
/* Copy atom j over atom i (all arrays, owned-atom fields included). */
void atoms_copy(Atoms *a, int i, int j);
/* Free every array and zero the struct. */
void atoms_free(Atoms *a);
/* Bytes of one atom's migration record (all per-atom data, topology included). */
size_t atoms_record_size(const Atoms *a);
/* Pack atom i into buf (atoms_record_size bytes). */
void atoms_pack(const Atoms *a, int i, void *buf);
/* Append the atom in buf as owned atom nlocal (ghosts must not be present). */
void atoms_unpack(Atoms *a, const void *buf);
/* Set the topology capacities per atom (kinds 0..3: bond, angle, dihedral, improper) and of
 * the special list; arrays are (re)allocated. Call before any atom is added. */
void atoms_set_topology(Atoms *a, const int natom[4], const int maxper[4], int maxspecial);
/* Give every atom nextra zeroed work doubles (Atoms.extra) that migrate, sort and copy with
 * it (the minimiser's vectors); 0 frees them. Same nextra on every rank. */
void atoms_set_extra(Atoms *a, int nextra);
/* Sort the owned atoms [0, nlocal) by global id (deterministic order after migration). */
void atoms_sort_owned(Atoms *a);

#endif
