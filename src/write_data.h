/* write_data.h - write the current state as a LAMMPS data file (atom_style full). */
#ifndef NECKMD_WRITE_DATA_H
#define NECKMD_WRITE_DATA_H
#include <stdio.h>
typedef struct Sim Sim;

/* The parts of a data file that the molecular topology contributes to. */
typedef enum { WRITE_DATA_HEADER = 0, WRITE_DATA_SECTIONS, WRITE_DATA_PART_COUNT } WriteDataPart;

/* Extra lines from a caller (restart.c): called on every rank (it may gather), fp is the
 * open file on rank 0 and NULL elsewhere. */
typedef void (*WriteDataExtraFn)(Sim *sim, FILE *fp, void *ctx);

typedef struct WriteDataOptions {
    const char *kind;         /* word in the title line: "write_data", "restart" */
    WriteDataExtraFn header;  /* comment lines right after the title (may be NULL) */
    WriteDataExtraFn tail;    /* lines after the last section (comments only; may be NULL) */
    void *ctx;
    int sync;                 /* 1: fsync the file before it replaces the old one */
} WriteDataOptions;

/* Write FILE (through FILE.tmp, then rename): header (atoms, types, box in A), Masses (amu,
 * '# Name' comments), Atoms # full (id mol type q x y z ix iy iz; positions wrapped into the
 * box, image flags adjusted so x + i L is unchanged), Velocities (A/fs), in id order and with
 * enough digits to give back every double exactly. Readable by read_data and by LAMMPS
 * (units real, atom_style full). where = "input:line" for messages. Collective. */
void write_data(Sim *sim, const char *path, const char *where);
/* The same with caller extras (restart files). Collective. */
void write_data_with(Sim *sim, const char *path, const char *where, const WriteDataOptions *opt);
/* Molecular topology (Bonds, Angles, Dihedrals, Impropers and their counts): the place for
 * it, called for each part. It writes nothing while the system has no topology; with
 * topology present write_data stops with an error until this is written (see the file). */
void write_data_topology(Sim *sim, FILE *fp, WriteDataPart part);
/* Format v with the fewest of 15 or 17 significant digits that give back v exactly
 * (buf >= 32 chars); returns buf. */
char *write_data_format_double(char *buf, double v);

#endif
