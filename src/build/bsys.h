/* bsys.h - internals of the system builder: the growing system (atoms, molecules, bonded
 * terms, type names), molecule templates, a contact grid, deterministic random numbers and
 * small vector helpers. Lengths in A, charges in e, masses in amu. */
#ifndef NECKMD_BUILD_BSYS_H
#define NECKMD_BUILD_BSYS_H
#include <stddef.h>
#include <stdint.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#define BUILD_MAXTYPES 32
#define BUILD_NAMELEN 32

/* What an atom is part of (the .ncid side file's third column). */
enum { ROLE_CORE = 1, ROLE_LIGAND, ROLE_SOLVENT, ROLE_GAP, ROLE_COUNT };
/* Bonded kinds written to the data file. */
enum { BK_BOND = 0, BK_ANGLE, BK_DIHEDRAL, BK_COUNT };

/* Print "neckmd build: error: ..." on stderr and exit(1). Nothing has been written yet. */
void build_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* calloc/realloc or die. */
void *build_alloc(size_t n, size_t size);
void *build_grow(void *p, size_t n, size_t size);

/* ---- random numbers: xoshiro256** seeded through splitmix64 from (seed, stream) ---- */
typedef struct { uint64_t s[4]; } BRng;
void brng_init(BRng *r, uint64_t seed, uint64_t stream);
double brng_uniform(BRng *r);        /* [0, 1) */
double brng_normal(BRng *r);         /* standard normal */
void brng_rotation(BRng *r, double R[3][3]); /* uniformly random rotation (Shoemake quaternion) */

/* ---- vectors ---- */
double v_dot(const double a[3], const double b[3]);
void v_cross(const double a[3], const double b[3], double c[3]);
double v_norm(const double a[3]);
void v_unit(double a[3]);
void m_vec(const double R[3][3], const double v[3], double out[3]); /* out = R v */
void m_mul(const double A[3][3], const double B[3][3], double C[3][3]);
/* Rotation by angle (rad) about the unit axis u (Rodrigues). */
void m_axis_angle(const double u[3], double ang, double R[3][3]);
/* Two unit vectors e1, e2 with (e1, e2, n) right-handed orthonormal (n unit). */
void v_perp_basis(const double n[3], double e1[3], double e2[3]);

/* ---- molecule templates (one molecule in a LAMMPS data file, atom_style full) ---- */
typedef struct MolTemplate {
    char path[512];
    int natoms;
    int ntypes;                          /* atom types of the file */
    char tname[BUILD_MAXTYPES][BUILD_NAMELEN];
    double tmass[BUILD_MAXTYPES];
    int *type;                           /* per atom, 0-based type of the file */
    double *q;                           /* e */
    double (*x)[3];                      /* A, as in the file */
    int ntopo[BK_COUNT];                 /* bonds, angles, dihedrals */
    int ntopotypes[BK_COUNT];
    int *topo[BK_COUNT];                 /* records: type (0-based), then 2/3/4 atoms (0-based) */
    double mass;                         /* molecular mass, amu */
    double charge;                       /* net charge, e */
} MolTemplate;

int bk_natom(int kind);                  /* 2, 3, 4 */
MolTemplate *moltemplate_read(const char *path);
void moltemplate_free(MolTemplate **m);
/* Centroid (geometric centre) of the template's atoms. */
void moltemplate_centroid(const MolTemplate *m, double c[3]);

/* ---- the system being built ---- */
typedef struct BSys {
    int ntypes;
    char tname[BUILD_MAXTYPES][BUILD_NAMELEN];
    double tmass[BUILD_MAXTYPES];
    int ntopotypes[BK_COUNT];
    /* atom-type names of each bonded type (for the deck's shake list), [kind][type][k] */
    char (*topotname[BK_COUNT])[4][BUILD_NAMELEN];
    long n, cap;
    double (*x)[3];                      /* unwrapped positions, A */
    int *type;                           /* 0-based */
    long *mol;                           /* molecule id (1..) */
    double *q;
    int *nc;                             /* NC (or slab) id, 0 = none (solvent) */
    unsigned char *role;
    unsigned char *dead;                 /* removed (compacted away before writing) */
    long *anchor;                        /* ligand head atoms: index of the bound Pb, else -1 */
    long ntopo[BK_COUNT], captopo[BK_COUNT];
    long *topo[BK_COUNT];                /* records: type (0-based), then atom indices */
    long nmol;
    double box[3];                       /* periodic box [0, L) per axis, A */
} BSys;

BSys *bsys_create(void);
void bsys_destroy(BSys **s);
/* Type index of NAME, adding it (mass amu) if new. */
int bsys_type(BSys *s, const char *name, double mass);
/* Append one atom; returns its index. */
long bsys_add_atom(BSys *s, int type, double q, const double x[3], long mol, int nc, int role);
/* Register the template's atom and bonded types: tmap[file type] = system type; the bonded
 * types of the template get numbers after those registered before (shift[kind]). */
void bsys_register_template(BSys *s, const MolTemplate *m, int tmap[BUILD_MAXTYPES], int shift[BK_COUNT]);
/* Append one molecule at positions x (template order) with molecule id mol; returns the
 * index of its first atom. */
long bsys_add_molecule(BSys *s, const MolTemplate *m, const int tmap[BUILD_MAXTYPES], const int shift[BK_COUNT],
                       const double (*x)[3], long mol, int nc, int role);
/* Drop atoms marked dead and the bonded terms among them (a term joining a dead and a live
 * atom is an error), renumber the rest, and renumber molecule ids 1.. in order of first
 * appearance. */
void bsys_compact(BSys *s);
/* Net charge (e), sum over live atoms. */
double bsys_charge(const BSys *s);

/* ---- contact grid: cell lists over the live atoms of a BSys ---- */
typedef struct Grid {
    double lo[3], cell;                  /* lower corner, cell edge (A) */
    int n[3];
    int periodic;                        /* 1: periodic box [0, L) (minimum image) */
    double L[3];
    long *head;                          /* per cell: first atom, -1 none */
    long *next;                          /* per atom */
    long capnext;
} Grid;

/* A grid over [lo, hi] (non-periodic; points outside go to the border cells) or, with
 * periodic, over the box [0, L). cell >= the largest contact distance queried. */
Grid *grid_create(const double lo[3], const double hi[3], double cell, int periodic);
void grid_destroy(Grid **g);
void grid_add(Grid *g, const BSys *s, long i);
/* Unlink atom i (at its current position s->x[i]) from its cell; call before moving it. */
void grid_remove(Grid *g, const BSys *s, long i);
/* 1 if an atom of s (other than skip, skip < 0: none) lies closer than r to p. */
int grid_clash(const Grid *g, const BSys *s, const double p[3], double r, long skip);
/* Visit all atoms within r of p: calls f(j, d2, ctx). */
void grid_visit(const Grid *g, const BSys *s, const double p[3], double r, void (*f)(long, double, void *), void *ctx);

#endif
