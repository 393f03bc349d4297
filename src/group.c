/* group.c - named atom groups, fixed ("frozen") atoms and rigid displacements.
 *
 * A group is a bit of the per-atom mask Atoms.gmask (bit 0 = "all"), so membership migrates,
 * sorts and copies with the atom like any other per-atom datum, and a test for membership
 * is one AND in any loop over owned atoms (the restraint's centre-of-mass sums, the
 * Langevin thermostat, the frozen atoms). At most GROUP_MAX groups, as LAMMPS (32).
 *
 * Styles (`group NAME STYLE ARGS`), evaluated once, when the command runs:
 *   type T...          atom types by name or number
 *   molecule M...      molecule ids; "A:B" is a range
 *   id I...            atom ids; "A:B" is a range
 *   nc FILE K...       the NC (or slab) ids K of an `.ncid` file written by `neckmd build`
 *                      (lines "atom_id nc_id [role]"; '#' comments); "A:B" ranges
 *   region D LO HI     atoms whose wrapped coordinate D (x|y|z) is in [LO, HI) (A), now
 *   union G...  subtract G1 G2...  intersect G...   of existing groups
 *   empty              no atoms
 * Redefining a name replaces its membership (the bit is reused).
 *
 * Frozen atoms (`freeze GROUP`): after every force evaluation their forces are zeroed and
 * their velocities set to zero, so no integrator or minimiser moves them (LAMMPS: fix
 * setforce 0 0 0 with zero velocities). They leave the temperature's degrees of freedom
 * (thermo.c). Their interactions still count in the energy and the virial. A minimisation
 * with `group G` moves only the atoms of G (the others are held for its duration).
 *
 * Units: positions and displacements in A. */
#include "group.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "memory.h"
#include "potfile.h"
#include "sim.h"
#include "textfile.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Groups {
    int n;                              /* groups defined, including "all" */
    char name[GROUP_MAX][SIM_NAMELEN];
    int freeze_mask;                    /* groups held fixed (freeze) */
    int mobile_mask;                    /* non-zero during a restricted minimisation */
    int64_t nfrozen;                    /* global count of fixed atoms */
} Groups;

static Groups *get(Sim *sim)
{
    if (!sim->groups) {
        sim->groups = calloc(1, sizeof(Groups));
        sim->groups->n = 1;
        snprintf(sim->groups->name[0], SIM_NAMELEN, "all");
    }
    return sim->groups;
}

static int is_long(const char *s, long long *v)
{
    char *end;
    errno = 0;
    *v = strtoll(s, &end, 10);
    return end != s && *end == '\0' && errno == 0;
}

/* "A" or "A:B" (A <= B), integers >= 0 */
static int parse_range(const char *s, long long *lo, long long *hi)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", s);
    char *colon = strchr(buf, ':');
    if (!colon) return is_long(buf, lo) && *lo >= 0 && (*hi = *lo, 1);
    *colon = '\0';
    return is_long(buf, lo) && is_long(colon + 1, hi) && *lo >= 0 && *hi >= *lo;
}

static int is_number(const char *s)
{
    char *end;
    errno = 0;
    (void)strtod(s, &end);
    return end != s && *end == '\0' && errno == 0;
}

static int valid_name(const char *s)
{
    if (!s[0] || strlen(s) >= SIM_NAMELEN) return 0;
    for (const char *p = s; *p; p++)
        if (!(*p == '_' || *p == '-' || *p == '.' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) return 0;
    return 1;
}

const char *group_check_args(char **a, int n)
{
    static const char *why = "NAME type T... | molecule M... | id I... | nc FILE K... | region x|y|z LO HI | union G... | subtract G1 G2... | intersect G... | empty (ranges as A:B)";
    if (n < 2 || !valid_name(a[0]) || strcmp(a[0], "all") == 0) return "NAME (letters, digits, _ - .; not 'all') STYLE ARGS";
    const char *s = a[1];
    long long lo, hi;
    if (strcmp(s, "empty") == 0) return n == 2 ? NULL : why;
    if (strcmp(s, "type") == 0 || strcmp(s, "union") == 0 || strcmp(s, "intersect") == 0) return n >= 3 ? NULL : why;
    if (strcmp(s, "subtract") == 0) return n >= 4 ? NULL : why;
    if (strcmp(s, "molecule") == 0 || strcmp(s, "id") == 0) {
        if (n < 3) return why;
        for (int i = 2; i < n; i++)
            if (!parse_range(a[i], &lo, &hi)) return "molecule|id followed by integers >= 0 or ranges A:B";
        return NULL;
    }
    if (strcmp(s, "nc") == 0) {
        if (n < 4) return why;
        for (int i = 3; i < n; i++)
            if (!parse_range(a[i], &lo, &hi)) return "nc FILE followed by NC ids (integers >= 0 or ranges A:B)";
        return NULL;
    }
    if (strcmp(s, "region") == 0)
        return n == 5 && (strcmp(a[2], "x") == 0 || strcmp(a[2], "y") == 0 || strcmp(a[2], "z") == 0) && is_number(a[3]) && is_number(a[4]) && strtod(a[3], NULL) < strtod(a[4], NULL)
                   ? NULL : "region x|y|z LO HI (A, LO < HI)";
    return why;
}

int group_bit(Sim *sim, const char *name, const char *where)
{
    Groups *g = get(sim);
    for (int k = 0; k < g->n; k++)
        if (strcmp(g->name[k], name) == 0) return 1 << k;
    error_all(FLERR, "%s: no group named '%s' (define it with 'group %s STYLE ...' first)", where, name, name);
    return 0;
}

int64_t group_count(Sim *sim, int mask)
{
    int64_t n = 0;
    for (int i = 0; i < sim->atoms.nlocal; i++)
        if (sim->atoms.gmask[i] & mask) n++;
    comm_sum_int64(sim->comm, &n, 1);
    return n;
}

/* Rank 0 reads an .ncid file; every rank gets a per-id flag "NC id in the list". */
static unsigned char *read_ncid(Sim *sim, const char *file, char **ids, int nids, const char *where)
{
    unsigned char *flag = calloc((size_t)sim->natoms + 1, 1);
    char err[900] = "";
    if (sim->rank == 0) {
        FILE *fp = fopen(file, "r");
        if (!fp) snprintf(err, sizeof err, "%s: group nc: cannot open '%s': %s", where, file, strerror(errno));
        char line[1024];
        long ln = 0;
        int64_t nseen = 0;
        while (fp && !err[0] && fgets(line, sizeof line, fp)) {
            ln++;
            char *tok[8];
            int nt = textfile_tokens(line, tok, 8);
            if (nt == 0 || tok[0][0] == '#') continue;
            long long id, nc;
            if (nt < 2 || !is_long(tok[0], &id) || !is_long(tok[1], &nc)) {
                snprintf(err, sizeof err, "%s:%ld: expected 'atom_id nc_id [role]' (integers), got '%.80s'", file, ln, tok[0]);
                break;
            }
            if (id < 1 || id > sim->natoms) {
                snprintf(err, sizeof err, "%s:%ld: atom id %lld is not in the system (1..%lld)", file, ln, id, (long long)sim->natoms);
                break;
            }
            nseen++;
            for (int k = 0; k < nids; k++) {
                long long lo, hi;
                parse_range(ids[k], &lo, &hi);
                if (nc >= lo && nc <= hi) flag[id] = 1;
            }
        }
        if (fp) fclose(fp);
        if (!err[0] && nseen != sim->natoms)
            snprintf(err, sizeof err, "%s: group nc: '%s' lists %lld atoms, the system has %lld (an .ncid file of another system?)", where, file, (long long)nseen, (long long)sim->natoms);
    }
    comm_bcast(sim->comm, err, sizeof err, 0);
    if (err[0]) {
        free(flag);
        error_all(FLERR, "%s", err);
    }
    comm_bcast(sim->comm, flag, (size_t)sim->natoms + 1, 0);
    return flag;
}

void group_command(Sim *sim, char **a, int n, const char *where)
{
    if (!sim->box_set) error_all(FLERR, "%s: group needs the atoms: put it after read_data", where);
    Groups *g = get(sim);
    int k;
    for (k = 1; k < g->n; k++)
        if (strcmp(g->name[k], a[0]) == 0) break;
    if (k == g->n) {
        if (g->n == GROUP_MAX) error_all(FLERR, "%s: group: at most %d groups (including 'all')", where, GROUP_MAX);
        g->n++;
        snprintf(g->name[k], SIM_NAMELEN, "%s", a[0]);
    }
    const int bit = 1 << k;
    const char *s = a[1];
    Atoms *at = &sim->atoms;
    /* member(i) for each style; the set operations read other groups' bits */
    int opmask = 0, first = 0, nbits = 0, bits[GROUP_MAX];
    if (strcmp(s, "union") == 0 || strcmp(s, "intersect") == 0 || strcmp(s, "subtract") == 0) {
        first = group_bit(sim, a[2], where);
        for (int i = 3; i < n; i++) {
            bits[nbits] = group_bit(sim, a[i], where);
            opmask |= bits[nbits];
            if (nbits < GROUP_MAX - 1) nbits++;
        }
        if (strcmp(s, "union") == 0) opmask |= first;
    }
    int typeflag[SIM_MAXTYPES] = {0};
    if (strcmp(s, "type") == 0)
        for (int i = 2; i < n; i++) {
            int t = potfile_type_index(sim, a[i]);
            if (t < 0) error_all(FLERR, "%s: group %s type: unknown atom type '%s'", where, a[0], a[i]);
            typeflag[t] = 1;
        }
    unsigned char *ncflag = strcmp(s, "nc") == 0 ? read_ncid(sim, a[2], a + 3, n - 3, where) : NULL;
    const int region = strcmp(s, "region") == 0;
    const int dim = region ? a[2][0] - 'x' : 0;
    const double rlo = region ? strtod(a[3], NULL) : 0, rhi = region ? strtod(a[4], NULL) : 0; /* A */
    for (int i = 0; i < at->nlocal; i++) {
        int in = 0;
        if (strcmp(s, "type") == 0) in = typeflag[at->type[i]];
        else if (strcmp(s, "molecule") == 0 || strcmp(s, "id") == 0) {
            long long v = strcmp(s, "id") == 0 ? (long long)at->gid[i] : (long long)at->mol[i];
            for (int j = 2; j < n && !in; j++) {
                long long lo, hi;
                parse_range(a[j], &lo, &hi);
                in = v >= lo && v <= hi;
            }
        } else if (ncflag) in = ncflag[at->gid[i]];
        else if (region) in = at->x[i][dim] >= rlo && at->x[i][dim] < rhi;
        else if (strcmp(s, "union") == 0) in = (at->gmask[i] & opmask) != 0;
        else if (strcmp(s, "intersect") == 0) {
            in = (at->gmask[i] & first) != 0;
            for (int j = 0; j < nbits && in; j++) in = (at->gmask[i] & bits[j]) != 0;
        } else if (strcmp(s, "subtract") == 0) in = (at->gmask[i] & first) && !(at->gmask[i] & opmask);
        if (in) at->gmask[i] |= bit;
        else at->gmask[i] &= ~bit;
    }
    free(ncflag);
    int64_t cnt = group_count(sim, bit);
    if (g->freeze_mask & bit) g->nfrozen = group_count(sim, g->freeze_mask);
    if (sim->rank == 0) printf("group %s: %lld atoms (%s)\n", a[0], (long long)cnt, s);
}

const char *group_check_freeze(char **a, int n) { return n == 1 && valid_name(a[0]) ? NULL : "GROUP | none"; }

void group_freeze_command(Sim *sim, char **a, int n, const char *where)
{
    Groups *g = get(sim);
    if (strcmp(a[0], "none") == 0) g->freeze_mask = 0;
    else g->freeze_mask = group_bit(sim, a[0], where);
    if (g->freeze_mask == 1) error_all(FLERR, "%s: freeze all: every atom would be fixed", where);
    g->nfrozen = g->freeze_mask ? group_count(sim, g->freeze_mask) : 0;
    group_apply_freeze(sim);
    sim->forces_ready = 0;
    if (sim->rank == 0) printf("freeze %s: %lld atoms held fixed\n", a[0], (long long)g->nfrozen);
}

void group_set_mobile(Sim *sim, int mask)
{
    Groups *g = get(sim);
    g->mobile_mask = mask == 1 ? 0 : mask;
    int64_t n = 0;
    for (int i = 0; i < sim->atoms.nlocal; i++) n += group_frozen(sim, i);
    comm_sum_int64(sim->comm, &n, 1);
    g->nfrozen = n;
}

int group_frozen(const Sim *sim, int i)
{
    const Groups *g = sim->groups;
    if (!g) return 0;
    int m = sim->atoms.gmask[i];
    return (m & g->freeze_mask) != 0 || (g->mobile_mask && !(m & g->mobile_mask));
}

int64_t group_nfrozen(const Sim *sim) { return sim->groups ? sim->groups->nfrozen : 0; }

void group_apply_freeze(Sim *sim)
{
    const Groups *g = sim->groups;
    if (!g || (!g->freeze_mask && !g->mobile_mask)) return;
    Atoms *a = &sim->atoms;
    for (int i = 0; i < a->nlocal; i++)
        if (group_frozen(sim, i)) {
            a->f[i][0] = a->f[i][1] = a->f[i][2] = 0.0;
            a->v[i][0] = a->v[i][1] = a->v[i][2] = 0.0;
        }
}

const char *group_check_displace(char **a, int n)
{
    return n == 4 && valid_name(a[0]) && is_number(a[1]) && is_number(a[2]) && is_number(a[3]) ? NULL : "GROUP DX DY DZ (A)";
}

void group_displace_command(Sim *sim, char **a, int n, const char *where)
{
    if (!sim->box_set) error_all(FLERR, "%s: displace needs the atoms: put it after read_data", where);
    int bit = group_bit(sim, a[0], where);
    double dx[3] = {strtod(a[1], NULL), strtod(a[2], NULL), strtod(a[3], NULL)};
    for (int d = 0; d < 3; d++)
        if (dx[d] * dx[d] > 0.25 * sim->len[d] * sim->len[d])
            error_all(FLERR, "%s: displace %s: the move along %c (%g A) exceeds half the box (%g A)", where, a[0], 'x' + d, dx[d], 0.5 * sim->len[d]);
    Atoms *at = &sim->atoms;
    for (int i = 0; i < at->nlocal; i++)
        if (at->gmask[i] & bit)
            for (int d = 0; d < 3; d++) at->x[i][d] += dx[d];
    domain_migrate(sim); /* wraps, moves atoms to their new owners */
    sim->forces_ready = 0;
    int64_t cnt = group_count(sim, bit);
    if (sim->rank == 0) printf("displace %s: %lld atoms moved by (%g, %g, %g) A\n", a[0], (long long)cnt, dx[0], dx[1], dx[2]);
}

void group_free(Sim *sim)
{
    free(sim->groups);
    sim->groups = NULL;
}
