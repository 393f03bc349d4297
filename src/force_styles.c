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
