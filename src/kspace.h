/* kspace.h - long-range (reciprocal-space) Coulomb solvers: the contract every kspace style meets.
 *
 * A kspace style computes the reciprocal-space part of the Ewald-split Coulomb energy of a
 * periodic, orthogonal box, including the self-energy -g/sqrt(pi) sum q^2 and the neutralising
 * background term -pi Q^2 / (2 g^2 V) (LAMMPS "elong" convention), all times UNITS_QQR2E.
 * The real-space part erfc(g r)/r is done by the pair styles with the same g_ewald. */
#ifndef NECKMD_KSPACE_H
#define NECKMD_KSPACE_H
#include <stdint.h>

typedef struct Comm Comm;

/* What the user asked for (input command "coulomb ewald|pppm ACC" and "kspace_modify"). */
typedef struct KspaceParams {
    double accuracy;    /* requested relative RMS force accuracy (dimensionless; LAMMPS's
                           meaning: absolute accuracy = accuracy * 332.06371 kcal/mol/A, the
                           force between two unit charges 1 A apart) */
    double cutoff;      /* real-space Coulomb cutoff, A */
    double g_ewald;     /* splitting parameter, 1/A; 0 = choose from the accuracy */
    int grid[3];        /* PPPM mesh points per dimension; 0 = choose from the accuracy */
    int kmax[3];        /* Ewald largest k index per dimension; 0 = choose */
    int order;          /* PPPM charge-assignment order (2..7); 0 = default 5 */
} KspaceParams;

/* The system as a kspace style sees it on one rank, each call. */
typedef struct KspaceSystem {
    const Comm *comm;
    double lo[3], len[3];  /* global box origin and edge lengths, A */
    double sublo[3], subhi[3]; /* this rank's subdomain [sublo, subhi), A: the ranks' subdomains
                              tile the box on the process grid of comm (comm_cart_setup); a
                              mesh-based style owns the mesh points inside it */
    double skin;           /* A: owned atoms lie within skin/2 of the subdomain (they were
                              inside it at the last neighbour build); sizes the ghost mesh.
                              Atoms farther out are still handled, at some extra cost */
    int nlocal;            /* atoms owned by this rank */
    const double (*x)[3];  /* positions of owned atoms, A (inside or near the box) */
    const double *q;       /* charges of owned atoms, e */
    double (*f)[3];        /* forces of owned atoms, kcal/mol/A: the style ADDS to them */
    int64_t natoms;        /* global atom count */
    double qsum;           /* global sum of charges, e */
    double qsqsum;         /* global sum of squared charges, e^2 */
} KspaceSystem;

typedef struct KspaceStyle KspaceStyle;

/* Base of every kspace style (derived styles embed it as their first member). */
typedef struct Kspace {
    const KspaceStyle *style;
    KspaceParams par;
    double g_ewald;        /* 1/A, fixed by init */
    double est_abs_force;  /* estimated RMS absolute force error, kcal/mol/A */
    double est_rel_force;  /* the same divided by 332.06371 kcal/mol/A */
    double energy;         /* last computed energy, kcal/mol (global, same on all ranks) */
    double virial[6];      /* last virial xx yy zz xy xz yz, kcal/mol (global) */
} Kspace;

struct KspaceStyle {
    const char *name;      /* "ewald", "pppm" */
    const char *reference; /* literature the algorithm follows */
    /* Allocate the style with parameters p; returns the base pointer. */
    Kspace *(*create)(const KspaceParams *p);
    /* Choose g_ewald, k vectors or mesh for the system s (collective). Called again when the
     * box changes. Writes a one-paragraph summary (parameters, estimated accuracy) to buf. */
    void (*init)(Kspace *k, const KspaceSystem *s, char *buf, int bufsize);
    /* Energy (kcal/mol) and virial into k->energy, k->virial (global values on every rank);
     * adds forces (kcal/mol/A) to s->f for the owned atoms. Collective. */
    void (*compute)(Kspace *k, const KspaceSystem *s);
    void (*destroy)(Kspace **k);
};

/* Look up a kspace style by name; NULL if unknown. The table is in force_styles.c. */
const KspaceStyle *kspace_style_find(const char *name);
/* Number of registered kspace styles, and the i-th (for listing and tests). */
int kspace_style_count(void);
const KspaceStyle *kspace_style_at(int i);

#endif
