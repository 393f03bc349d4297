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
    int *gmask;            /* group membership bits (group.c; bit 0 = all), owned only */
    double *q;             /* charge, e */
    double (*x)[3];        /* position, A */
    double (*v)[3];        /* velocity, A/fs (owned only) */
    double (*f)[3];        /* force, kcal/mol/A (owned only are meaningful) */
    int (*image)[3];       /* periodic image counts (owned only) */
    double (*xhold)[3];    /* positions at the last neighbour build (owned only), A */
    /* molecular topology: every bonded interaction is stored on each of its atoms (so the
     * rank owning any of them can compute it, and it migrates with its atoms); owned only */
    int topo_natom[4];     /* atoms per interaction: bond 2, angle 3, dihedral 4, improper 4 */
    int topo_maxper[4];    /* capacity per atom (0 = the system has none of this kind) */
    int *topo_count[4];    /* [nmax] interactions stored on the atom */
    int *topo_type[4];     /* [nmax*maxper] numeric type, 0-based */
    int64_t *topo_gid[4];  /* [nmax*maxper*natom] global ids, in interaction order */
    int maxspecial;        /* capacity of special[] per atom (0 = no topology) */
    int (*nspecial)[3];    /* cumulative counts of 1-2, 1-3, 1-4 partners */
    int64_t *special;      /* [nmax*maxspecial] partner global ids: 1-2, then 1-3, then 1-4 */
    /* work vectors of a running algorithm (the minimiser's search direction, gradient, FIRE
     * velocities) that must migrate with their atoms; atoms_set_extra; owned only */
    int nextra;            /* doubles per atom (0 = none) */
    double *extra;         /* [nmax*nextra] */
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
    int shift;             /* 1: short-range energies shifted to 0 at the cutoff (pair_modify shift yes) */
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
    double shift[3];       /* periodic shift in box lengths (-1, 0, +1): shift * len is added to packed positions */
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
    double ebond, eangle, edihed, eimp; /* kcal/mol, global */
    double erestr;                /* kcal/mol, global: restraints (restraint.c) */
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

#define SIM_MAXBTYPES 256

/* Bonded coefficients and exclusions (bonded.h has the styles). */
typedef struct Topology {
    int ntypes[4];                         /* numeric bonded types per kind (data file header) */
    int64_t ntotal[4];                     /* interactions in the system per kind */
    struct BondedCoeff *coeff[4];          /* [ntypes] per kind */
    /* atom type names of the first interaction of each numeric type (for parameter files) */
    char (*names[4])[4][SIM_NAMELEN];
    double special_lj[4], special_coul[4]; /* [0] = 1 (not special), [1..3] = 1-2, 1-3, 1-4 */
    int special_set;                       /* special_bonds given by the user or a file */
    char fixed[SIM_MAXBTYPES];             /* bond types a parameter file marks 'fixed' (for shake ... fixed) */
    double fixed_r0[SIM_MAXBTYPES];        /* their lengths, A */
    /* gid -> local index (owned first, then the first ghost image), rebuilt with the ghosts */
    int64_t *map_key;
    int *map_val;
    int map_cap;
} Topology;

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
    int box_changed;        /* 1: the box changed (barostat, domain_rescale); the next neighbour
                               upkeep does a full rebuild and re-initialises the kspace style */
    struct Barostat *baro;  /* constant pressure (barostat.c), NULL until the command is used */
    /* atoms */
    Atoms atoms;
    int64_t natoms;
    Types types;
    TypeCharges tcharge;
    int mixing;             /* LJ cross pairs: 0 none, 1 geometric, 2 arithmetic */
    double qsum, qsqsum;    /* global, e and e^2 */
    /* interactions */
    Pair pair;
    Topology topo;
    struct Shake *shake;   /* bond constraints (constraint_shake.c), NULL if none */
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
    /* ---- run lifecycle (issue 5): trajectory, restarts, run log, guards. Each pointer is
     * owned by its module, NULL until first used, freed by sim_destroy. ---- */
    struct Traj *traj;         /* trajectory settings and the open netCDF file (traj_netcdf.c) */
    struct Restart *restart;   /* restart settings; the state read_restart brought (restart.c) */
    struct RunLog *runlog;     /* rank 0: the log file its stdout/stderr are tee'd into (runlog.c) */
    struct Guard *guard;       /* displacement, Buckingham-collapse and overlap checks (guard.c) */
    struct MinResult *min_result; /* the last minimisation, for the record (minimize.c) */
    int check_only;            /* 1: input_run_file checks the deck and returns (fuzzing, checks) */
    int buck_guard;            /* pair_modify buck_guard yes: repulsive continuation inside r* (guard.c) */
    /* ---- studies (issue 7): groups, frozen atoms, restraints ---- */
    struct Groups *groups;     /* named atom groups and the frozen set (group.c) */
    struct Restraints *restr;  /* centre-of-mass distance restraints (restraint.c) */
    int langevin_mask;         /* integrate langevin ... group G: the atoms it acts on (0 = all) */
} Sim;

#endif
