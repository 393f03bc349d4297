/* pair.h - the non-bonded pass: short range (Buckingham or LJ per type pair) + real-space Coulomb. */
#ifndef NECKMD_PAIR_H
#define NECKMD_PAIR_H
typedef struct Sim Sim;

/* Check that every type pair has coefficients and the cutoff fits; fatal error naming the
 * missing pair otherwise. g_ewald (1/A) is used by COUL_LONG. */
void pair_init(Sim *sim, double g_ewald);
/* Add forces (kcal/mol/A) on owned atoms; set sim->en.evdwl, ecoul (kcal/mol, global) and
 * add the pair virial (kcal/mol) to sim->en.virial. Collective (reduces the energies). */
void pair_compute(Sim *sim);
/* Energy (kcal/mol) and force/r (kcal/mol/A^2) of one pair of types ti,tj, charges qi,qj (e)
 * at distance r (A): the same kernel as pair_compute (for tests and tables). */
void pair_single(const Sim *sim, int ti, int tj, double qi, double qj, double r, double *evdwl,
                 double *ecoul, double *fpair);
/* Name of a short-range form ("buck", "lj") or Coulomb form ("cut", "long", "dsf"). */
const char *pair_form_name(int form);
const char *pair_coul_name(int coul);

#endif
