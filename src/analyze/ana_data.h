/* ana_data.h - what `neckmd analyze` needs from a LAMMPS data file (serial reader). */
#ifndef NECKMD_ANA_DATA_H
#define NECKMD_ANA_DATA_H
#include <stddef.h>
#include <stdint.h>

#define ANA_NAMELEN 32

/* Atoms in id order (index = id - 1). */
typedef struct AnaData {
    int64_t natoms;
    int ntypes;
    char (*type_name)[ANA_NAMELEN]; /* from "# Name" in Masses or Atom Type Labels; else the number */
    double *type_mass;              /* amu (0 if the file has no Masses) */
    int *type;                      /* 0-based type per atom */
    int *mol;                       /* molecule id per atom (0 for atom_style charge) */
    int has_mol;                    /* 1 if the Atoms section is atom_style full */
    double *q;                      /* charge, e */
    double lo[3], len[3];           /* box origin and edges, A */
} AnaData;

/* Read PATH: header (atoms, atom types, box), Masses, Atom Type Labels, Atoms (full or
 * charge, optional image flags); every other section is skipped. Returns 0, or -1 with a
 * message "PATH:LINE: what was expected" in err. */
int ana_data_read(const char *path, AnaData *d, char *err, size_t errlen);
void ana_data_free(AnaData *d);
/* 0-based type whose name is NAME (or whose number is NAME), -1 if none. */
int ana_data_type_index(const AnaData *d, const char *name);

#endif
