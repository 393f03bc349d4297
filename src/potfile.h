/* potfile.h - neckmd parameter files (potentials/NAME.ff): types, charges, pair coefficients. */
#ifndef NECKMD_POTFILE_H
#define NECKMD_POTFILE_H
typedef struct Sim Sim;

/* Read parameter file path and apply it to the types of the current system (matched by
 * type name; entries for absent types are ignored). Energies are converted to kcal/mol
 * per the file's 'units' line. where = "input:line". Collective. */
void potfile_apply(Sim *sim, const char *path, const char *where);
/* Fill LJ cross pairs that nothing set, by the mixing rule of the last file that declared
 * one (geometric or arithmetic); called before a run or write_forces. */
void potfile_mix(Sim *sim);
/* Index of type name (or 1-based number) in the system, -1 if none. */
int potfile_type_index(const Sim *sim, const char *name);

#endif
