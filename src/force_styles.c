/* force_styles.c - the one table of long-range (kspace) styles. A new style is a new file
 * exporting a KspaceStyle descriptor plus one line here; tests check names are unique. */
#include "kspace.h"
#include <string.h>

extern const KspaceStyle kspace_style_ewald;
extern const KspaceStyle kspace_style_pppm;

static const KspaceStyle *const kspace_styles[] = {&kspace_style_ewald, &kspace_style_pppm, NULL};

const KspaceStyle *kspace_style_find(const char *name)
{
    for (int i = 0; kspace_styles[i]; i++)
        if (strcmp(kspace_styles[i]->name, name) == 0) return kspace_styles[i];
    return NULL;
}

int kspace_style_count(void)
{
    int n = 0;
    while (kspace_styles[n]) n++;
    return n;
}

const KspaceStyle *kspace_style_at(int i) { return kspace_styles[i]; }

/* ---- bonded styles ---- */
#include "bonded.h"

extern const BondedStyle bonded_style_bond_harmonic;
extern const BondedStyle bonded_style_angle_harmonic;
extern const BondedStyle bonded_style_dihedral_opls;
extern const BondedStyle bonded_style_improper_harmonic;

static const BondedStyle *const bonded_styles[] = {
    &bonded_style_bond_harmonic, &bonded_style_angle_harmonic, &bonded_style_dihedral_opls,
    &bonded_style_improper_harmonic, NULL};

const BondedStyle *bonded_style_find(int kind, const char *name)
{
    for (int i = 0; bonded_styles[i]; i++)
        if (bonded_styles[i]->kind == kind && strcmp(bonded_styles[i]->name, name) == 0) return bonded_styles[i];
    return NULL;
}

int bonded_style_count(void)
{
    int n = 0;
    while (bonded_styles[n]) n++;
    return n;
}

const BondedStyle *bonded_style_at(int i) { return bonded_styles[i]; }
