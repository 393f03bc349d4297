/* sim.h - the one simulation context (Sim) passed as first argument everywhere.
 *
 * Per-atom arrays follow "owned first, ghosts after": [0, nlocal) are the atoms this rank
 * owns, [nlocal, nlocal+nghost) are images of atoms of this or other ranks within the
 * ghost cutoff (pair cutoff + skin). */
#ifndef NECKMD_SIM_H
#define NECKMD_SIM_H
#include <stdint.h>
#include <stdio.h>
#include "kspace.h"
#include "timers.h"

#define SIM_MAXTYPES 64
#define SIM_NAMELEN 32

typedef struct Comm Comm;

/* Per-atom data, one array per quantity, grown together by atoms_grow(). */
typedef struct Atoms {
    int nlocal;            /* owned atoms */
    int nghost;            /* ghost images after them */
    int nmax;              /* capacity of every array */
    int64_t *gid;          /* global id (from the data file), >= 1 */
    int *type;             /* type index 0..ntypes-1 */
    int *mol;              /* molecule id (0 if none) */
    double *q;             /* charge, e */
    double (*x)[3];        /* position, A */
    double (*v)[3];        /* velocity, A/fs (owned only) */
    double (*f)[3];        /* force, kcal/mol/A (owned only are meaningful) */
    int (*image)[3];       /* periodic image counts (owned only) */
    double (*xhold)[3];    /* positions at the last neighbour build (owned only), A */
} Atoms;

/* Atom types: names come from the data file (Masses comments or Atom Type Labels). */
typedef struct Types {
    int ntypes;
    char name[SIM_MAXTYPES][SIM_NAMELEN];
    double mass[SIM_MAXTYPES];     /* amu */
    int mass_set[SIM_MAXTYPES];
} Types;

/* Short-range form per type pair. */
typedef enum { SR_NONE = 0, SR_BUCK, SR_LJ, SR_COUNT } ShortRangeForm;
/* Coulomb treatment. */
typedef enum { COUL_OFF = 0, COUL_CUT, COUL_LONG, COUL_DSF, COUL_COUNT } CoulombForm;

typedef struct PairCoeff {
    ShortRangeForm form;
    double a, rho, c;      /* Buckingham: A (kcal/mol), rho (A), C (kcal/mol A^6) */
    double eps, sigma;     /* LJ: epsilon (kcal/mol), sigma (A) */
    char source[64];       /* where the coefficients came from (file name or "pair_coeff") */
} PairCoeff;

typedef struct Pair {
    double cutoff;         /* A, one cutoff for short range and real-space Coulomb */
    double skin;           /* neighbour skin, A */
    CoulombForm coul;
    double dsf_alpha;      /* 1/A, damped shifted force */
    int erfc_poly;         /* 1: Abramowitz-Stegun 7.1.26 erfc (as LAMMPS table 0) */
    PairCoeff coeff[SIM_MAXTYPES][SIM_MAXTYPES];
    int coeff_set[SIM_MAXTYPES][SIM_MAXTYPES];
    /* prepared by pair_init, read-only in the force loop */
    struct PairTab *tab;   /* flat [SIM_MAXTYPES*SIM_MAXTYPES] kernel parameters */
    double g_ewald;        /* 1/A */
    double dsf_eshift;     /* 1/A */
    double dsf_fshift;     /* 1/A^2 */
} Pair;

/* Type charges from parameter files: override the data file's charges when set. */
typedef struct TypeCharges {
    double q[SIM_MAXTYPES];
    int set[SIM_MAXTYPES];
} TypeCharges;

/* Ghost-exchange plan: one swap per (dimension, direction, pass). */
typedef struct Swap {
    int dim, dir;          /* dimension 0..2, direction -1/+1 of the send */
    int dest, source;      /* ranks */
    double shift[3];       /* added to positions when packed, A */
    int nsend, maxsend;
    int *sendlist;         /* local indices to send */
    int firstrecv, nrecv;  /* where the received ghosts are placed */
} Swap;

typedef struct Halo {
    int nswap, maxswap;
    Swap *swap;
    void *sbuf, *rbuf;
    size_t scap, rcap;
} Halo;

typedef struct Neigh {
    int every;             /* check every this many steps */
    int nbuild;            /* builds so far */
    int ndanger;
    int *numneigh;         /* per owned atom */
    int **firstneigh;      /* per owned atom: pointer into a thread page */
    int nthreads;
    int **page;            /* per-thread storage */
    size_t *pagecap;
    int maxlocal;
    /* cell binning */
    int ncell[3], ncell_total;
    double cello[3], cellinv[3];
    int *cellcount, *celloffset, *cellatoms, *atomcell;
    int maxatoms, maxcells;
} Neigh;

typedef enum { INT_NVE = 0, INT_NVT, INT_LANGEVIN, INT_COUNT } IntegratorStyle;

#define NHC_LEN 3
typedef struct Integrator {
    IntegratorStyle style;
    double dt;             /* fs */
    double t_target;       /* K */
    double t_damp;         /* fs */
    uint64_t seed;         /* Langevin */
    double eta[NHC_LEN], eta_dot[NHC_LEN]; /* Nose-Hoover chain: positions, velocities (1/fs) */
} Integrator;

typedef struct Energies {
    double evdwl, ecoul, elong;   /* kcal/mol, global */
    double virial[6];             /* kcal/mol, global: xx yy zz xy xz yz */
    double ke;                    /* kcal/mol */
} Energies;

/* Summary of the last run (for the record). */
typedef struct RunStats {
    int64_t nsteps;
    double loop_s, atom_steps_per_s, ns_per_day; /* s, atom-steps/s, ns/day */
    double qtotal;                                /* e */
    double tmin[TIMER_COUNT], tavg[TIMER_COUNT], tmax[TIMER_COUNT]; /* s over ranks */
} RunStats;

typedef struct Sim {
    Comm *comm;
    int rank, nranks, nthreads;
    /* global box, A */
    double lo[3], hi[3], len[3];
    int box_set;
    /* domain decomposition */
    int procgrid_req[3];
    int dims[3], coords[3];
    double sublo[3], subhi[3];
    /* atoms */
    Atoms atoms;
    int64_t natoms;
    Types types;
    TypeCharges tcharge;
    int mixing;             /* LJ cross pairs: 0 none, 1 geometric, 2 arithmetic */
    double qsum, qsqsum;    /* global, e and e^2 */
    /* interactions */
    Pair pair;
    KspaceParams kparams;
    const KspaceStyle *kstyle;
    Kspace *kspace;
    int forces_ready;
    /* machinery */
    Halo halo;
    Neigh neigh;
    Integrator integ;
    Energies en;
    int64_t step;
    double time_fs;
    Timers timers;
    /* output */
    int thermo_every;
    char thermo_file[512];
    FILE *thermo_fp;
    int thermo_opened;     /* the CSV file has been opened (all ranks agree) */
    void *thermo_store;    /* rows of the current run (thermo.c) */
    char record_file[512];
    char input_file[512];
    char *input_echo;
    int nruns;
    RunStats last_run;
    int dsf_warned;
    /* start-up summary lines kept for the record */
    char kspace_summary[1024];
} Sim;

#endif
