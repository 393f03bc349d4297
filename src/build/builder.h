/* builder.h - the parts of `neckmd build`: options, nanocrystal cores, oleate placement,
 * slab systems, solvent packing and the output files (docs/build.md). Lengths in A. */
#ifndef NECKMD_BUILD_BUILDER_H
#define NECKMD_BUILD_BUILDER_H
#include "build/bsys.h"

enum { SHAPE_CUBE = 0, SHAPE_OCTA, SHAPE_SPHERE };
enum { SYS_NC = 0, SYS_PAIR, SYS_MONOLAYER, SYS_SLABS };
enum { SOLV_NONE = 0, SOLV_EG, SOLV_EDA };
/* facet families */
enum { FAM_100 = 0, FAM_111, FAM_COUNT };

typedef struct BuildOpts {
    int sys;                     /* SYS_* */
    /* nanocrystal */
    int shape;                   /* SHAPE_* */
    int layers;                  /* {200} atomic layers along <100> */
    double a;                    /* lattice constant, A */
    double d111;                 /* {111} facet distance from the centre, A (0: default) */
    double euler[3];             /* degrees, z-x-z */
    int euler_set;
    /* ligands */
    double cov[FAM_COUNT];       /* oleates per nm^2 */
    int cov_given[FAM_COUNT];    /* given on the command line (else defaults, clamped to the sites) */
    int strip[FAM_COUNT];
    int tails_random;
    double pb_o;                 /* Pb-O distance of the chelating head, A */
    double lig_rmin;             /* smallest ligand contact, A */
    /* several NCs */
    double gap;                  /* pair / slabs: distance between facing atomic planes, A */
    int gap_set;
    double misalign;             /* degrees, second NC about the pair axis */
    int nmono;                   /* monolayer: number of NCs */
    double spacing;              /* monolayer: centre-to-centre, A */
    /* slabs */
    int slab_cells[2];           /* lateral conventional cells */
    int slab_layers;             /* atomic {001} layers per slab */
    int fragment;                /* 1: an oleate in the gap */
    int npairs;                  /* Pb-Se pairs in the gap */
    int pair_layers;             /* layers of the gap cuboid */
    /* solvent and box */
    int solvent;                 /* SOLV_* */
    double density;              /* g/cm^3 (0: the experimental default) */
    double box[3];
    int box_set;
    double pad;                  /* A between the solute and the box faces */
    double solv_rmin;            /* smallest solvent contact, A */
    /* deck */
    double temp;                 /* K */
    long steps;
    long min_iter;               /* MAXITER of the deck's minimize */
    unsigned long long seed;
    char out[512];               /* output prefix */
    char potdir[512];            /* potentials/ */
    char moldir[1024];           /* molecule templates */
    char cmdline[4096];
} BuildOpts;

/* ---- nanocrystal cores (nc.c) ---- */
/* The as-cut core of one NC, in its own lattice frame (shared by identical NCs). */
typedef struct NCCore {
    int N;                       /* {200} layers along <100> */
    double a;                    /* A */
    int shape;
    int nsite;
    int (*u)[3];                 /* site coordinates, units of a/4, relative to the centre */
    unsigned char *pb;           /* 1 Pb, 0 Se */
    int *cn;                     /* nearest-neighbour count */
    int (*miss)[3];              /* sum of the unit directions to the missing neighbours */
    signed char *fam;            /* FAM_* for surface atoms (cn < 6), -1 inside */
    int *occ;                    /* lattice cell (N^3) -> site, -1 empty */
    int M111[8];                 /* octahedron: outermost {111} layer per facet (s.u units) */
    double d111[8];              /* octahedron: geometric {111} facet distances, A */
    double area[FAM_COUNT];      /* facet areas, A^2 */
    int nsurf_pb[FAM_COUNT];     /* surface Pb per family */
    int npb, nse;
    double radius;               /* largest site distance from the centre, A */
} NCCore;

/* One placed NC: a core, an orientation, a position, its atoms in the system. */
typedef struct NCInst {
    const NCCore *core;
    int id;                      /* NC id 1.. */
    double R[3][3];              /* lattice frame -> box frame */
    double centre[3];            /* A */
    long *atom;                  /* per core site: atom index in the BSys */
    int *cn;                     /* current coordination (after removals) */
    unsigned char *anchored;     /* a ligand is bound to this Pb */
    int nlig[FAM_COUNT];         /* ligands placed per family */
    int nlig_target[FAM_COUNT];
    int nskipped[FAM_COUNT];     /* sites where no orientation fitted */
    int removed_pb, removed_se;
    double lig_min_contact;      /* smallest ligand contact accepted, A */
} NCInst;

NCCore *nc_core_create(const BuildOpts *o);
void nc_core_destroy(NCCore **c);
/* Put a copy of the core into the system as NC id (molecule id mol), rotated by R about its
 * centre placed at centre; core atoms are added to the grid if g is given. */
NCInst *nc_inst_create(const NCCore *c, BSys *s, Grid *g, int id, long mol, const double R[3][3], const double centre[3]);
void nc_inst_destroy(NCInst **p);
/* Box-frame position of core site k, and its outward normal (unit). */
void nc_site_pos(const NCInst *in, int k, double x[3]);
void nc_site_normal(const NCInst *in, int k, double n[3]);
/* Remove surface Pb (not bound) or surface Se, lowest coordination first, until
 * N_Pb - N_Se = target. Dies if impossible. */
void nc_neutralize(NCInst *in, BSys *s, int target_excess, unsigned long long seed);
/* Current Pb and Se counts of the NC. */
void nc_counts(const NCInst *in, const BSys *s, int *npb, int *nse);
/* Extent of the core along the box axis d from its centre: min and max of (x - centre)_d. */
void nc_extent(const NCInst *in, int d, double *lo, double *hi);
/* Rotation z-x-z from Euler angles (degrees). */
void nc_euler(const double e[3], double R[3][3]);

/* ---- oleate placement (ligand.c) ---- */
typedef struct LigandModel LigandModel;
LigandModel *ligand_model_create(const MolTemplate *m, BSys *s, double pb_o);
void ligand_model_destroy(LigandModel **p);
const MolTemplate *ligand_model_template(const LigandModel *lm);
/* Try to bind one oleate to the Pb atom `anchor` (index in s) with outward normal n.
 * Orientations are drawn from rng in phases of growing tilt (up to max_tilt degrees) and,
 * unless only_extended, chain conformers; rmin is the smallest contact with anything but
 * the anchor. On success adds the molecule (molecule id mol, NC id nc) to s and g. */
int ligand_try(LigandModel *lm, BSys *s, Grid *g, long anchor, const double n[3], BRng *rng, double rmin,
               double max_tilt, int random_tails, long mol, int nc);
/* Place the targets in->nlig_target[] on the NCs: per family ({111} first, then {100}) one
 * ligand per NC in turn; on each NC the site is the unused surface Pb farthest from its bound
 * ligands, sites where nothing fits are skipped. Dies with a clear message when a family runs
 * out of sites. */
void ligand_cover(LigandModel *lm, BSys *s, Grid *g, NCInst **inst, int nnc, const BuildOpts *o);

/* ---- slab systems (slab.c) ---- */
typedef struct SlabReport {
    int nslab_atoms[2], npb, nse, nadatom, ngap_atoms, nfragment;
    double gap, lateral[2], zplanes[4];
} SlabReport;
void slab_build(BSys *s, const BuildOpts *o, LigandModel *lm, SlabReport *rep);

/* ---- solvent (solvent.c) ---- */
typedef struct SolventReport {
    long nmol, ntarget;
    double vbox, vexcl, vfree;   /* A^3 */
    double density;              /* achieved, g/cm^3 over the free volume */
    double target;               /* g/cm^3 */
    long trials;
} SolventReport;
void solvent_fill(BSys *s, const MolTemplate *m, const BuildOpts *o, SolventReport *rep);
/* Excluded volume of the current (solute) atoms on a grid: core atoms 2.2 A, others 2.5 A,
 * enclosed cavities counted as excluded; returns the free volume (A^3). */
double solvent_free_volume(const BSys *s, double *vexcl);

#endif
