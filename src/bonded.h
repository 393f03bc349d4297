/* bonded.h - bonded interactions (bonds, angles, dihedrals, impropers): styles and the pass. */
#ifndef NECKMD_BONDED_H
#define NECKMD_BONDED_H
typedef struct Sim Sim;

/* Kinds of bonded interaction (the index into Atoms.topo and Sim.bcoeff). */
enum { TOPO_BOND = 0, TOPO_ANGLE, TOPO_DIHEDRAL, TOPO_IMPROPER, TOPO_COUNT };

#define BONDED_MAXPARAM 6

/* One bonded style: the energy and forces of one interaction from its atoms' positions. */
typedef struct BondedStyle {
    const char *name;        /* "harmonic", "opls" */
    int kind;                /* TOPO_* */
    int nparam;              /* numbers the user gives */
    const char *params;      /* their meaning and units, for messages and --help */
    const char *reference;   /* functional form and source */
    /* Convert user parameters (file units: kcal/mol, A, degrees) to internal ones (radians). */
    void (*prepare)(const double *user, double *internal);
    /* x[natom][3]: positions (A), consecutive atoms already minimum-imaged; returns energy
     * (kcal/mol) and writes forces (kcal/mol/A) on each atom into f. */
    double (*compute)(const double *p, const double (*x)[3], double (*f)[3]);
} BondedStyle;

/* Coefficients of one numeric bonded type. */
typedef struct BondedCoeff {
    const BondedStyle *style;   /* NULL = not set */
    double user[BONDED_MAXPARAM];
    double p[BONDED_MAXPARAM];  /* prepared */
    char source[64];
} BondedCoeff;

/* The style table (force_styles.c). */
const BondedStyle *bonded_style_find(int kind, const char *name);
int bonded_style_count(void);
const BondedStyle *bonded_style_at(int i);
const char *bonded_kind_name(int kind);        /* "bond", "angle", "dihedral", "improper" */
int bonded_kind_natom(int kind);               /* 2, 3, 4, 4 */

/* Check every bonded type present has coefficients (error names the type and its atoms). */
void bonded_init(Sim *sim);
/* Add bonded forces on owned atoms; sets sim->en.ebond, eangle, edihed, eimp (global) and adds
 * the virial. Ghost images of partners must be current (the gid map is rebuilt by
 * topology_map_build after every ghost build). Collective (energy reduction). */
void bonded_compute(Sim *sim);

#endif
