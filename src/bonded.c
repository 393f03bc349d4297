/* bonded.c - the bonded pass: bonds, angles, dihedrals, impropers.
 *
 * Every interaction is stored on each of its atoms. A rank computes an interaction at the
 * owned atom with the smallest local index among its owned atoms (so once per rank), puts
 * the forces on its owned atoms only and counts the fraction (owned atoms)/(atoms) of the
 * energy and virial: summed over ranks, every term counts once and no forces need to be
 * sent back (the same rule as the pair loop's owned-ghost pairs). Partner positions are
 * taken as minimum images relative to the previous atom of the interaction, so molecules
 * crossing subdomain and periodic boundaries need no special care. A partner absent from
 * the owned and ghost atoms stops the run with the ids and the step ("bond atoms missing").
 * OpenMP: not threaded (bonded work is small next to the pair and kspace work here). */
#include "bonded.h"
#include "comm.h"
#include "error.h"
#include "sim.h"
#include "topology.h"
#include <math.h>
#include <string.h>

static const char *kind_names[TOPO_COUNT] = {"bond", "angle", "dihedral", "improper"};
static const int kind_natom[TOPO_COUNT] = {2, 3, 4, 4};
const char *bonded_kind_name(int kind) { return kind >= 0 && kind < TOPO_COUNT ? kind_names[kind] : "?"; }
int bonded_kind_natom(int kind) { return kind >= 0 && kind < TOPO_COUNT ? kind_natom[kind] : 0; }

void bonded_init(Sim *sim)
{
    Topology *t = &sim->topo;
    for (int k = 0; k < TOPO_COUNT; k++) {
        if (!t->ntotal[k]) continue;
        for (int ty = 0; ty < t->ntypes[k]; ty++) {
            BondedCoeff *c = &t->coeff[k][ty];
            if (c->style) continue;
            if (t->names[k][ty][0][0] == '\0') continue; /* type not used by any interaction */
            char atoms[4 * SIM_NAMELEN + 8] = "";
            for (int a = 0; a < kind_natom[k]; a++) {
                strcat(atoms, a ? "-" : "");
                strcat(atoms, t->names[k][ty][a]);
            }
            error_all(FLERR, "no coefficients for %s type %d (%s): give them in a forcefield file ('%s %s ...') or with '%s_coeff %d STYLE ...'",
                      kind_names[k], ty + 1, atoms, kind_names[k], atoms, kind_names[k], ty + 1);
        }
    }
}

static inline void min_image(const Sim *sim, double d[3])
{
    for (int c = 0; c < 3; c++) {
        if (d[c] > 0.5 * sim->len[c]) d[c] -= sim->len[c] * floor(d[c] / sim->len[c] + 0.5);
        else if (d[c] < -0.5 * sim->len[c]) d[c] -= sim->len[c] * floor(d[c] / sim->len[c] + 0.5);
    }
}

void bonded_compute(Sim *sim)
{
    Atoms *a = &sim->atoms;
    Topology *t = &sim->topo;
    double e[TOPO_COUNT] = {0, 0, 0, 0}, vir[6] = {0, 0, 0, 0, 0, 0};
    for (int k = 0; k < TOPO_COUNT; k++) {
        int per = a->topo_maxper[k], na = kind_natom[k];
        if (!per) continue;
        for (int i = 0; i < a->nlocal; i++) {
            for (int m = 0; m < a->topo_count[k][i]; m++) {
                const int64_t *g = a->topo_gid[k] + ((size_t)i * (size_t)per + (size_t)m) * (size_t)na;
                int loc[4] = {0, 0, 0, 0}, nown = 0, skip = 0;
                for (int q = 0; q < na; q++) {
                    loc[q] = g[q] == a->gid[i] ? i : topology_map_find(sim, g[q]);
                    if (loc[q] < 0)
                        error_one(FLERR, "%s atoms missing at step %lld: atom %lld of the %s of atoms %lld %lld%s is not on this rank or its ghosts (a molecule stretched beyond the ghost cutoff %.3g A, or atoms were lost)",
                                  kind_names[k], (long long)sim->step, (long long)g[q], kind_names[k], (long long)g[0], (long long)g[1], na > 2 ? " ..." : "", sim->pair.cutoff + sim->pair.skin);
                    if (loc[q] < a->nlocal) {
                        nown++;
                        if (loc[q] < i) skip = 1; /* a lower owned atom computes it */
                    }
                }
                if (skip) continue;
                const BondedCoeff *c = &t->coeff[k][a->topo_type[k][(size_t)i * (size_t)per + (size_t)m]];
                double x[4][3], f[4][3];
                memcpy(x[0], a->x[loc[0]], sizeof x[0]);
                for (int q = 1; q < na; q++) {
                    double d[3] = {a->x[loc[q]][0] - x[q - 1][0], a->x[loc[q]][1] - x[q - 1][1], a->x[loc[q]][2] - x[q - 1][2]};
                    min_image(sim, d);
                    for (int cc = 0; cc < 3; cc++) x[q][cc] = x[q - 1][cc] + d[cc];
                }
                double w = (double)nown / na;
                e[k] += w * c->style->compute(c->p, (const double (*)[3])x, f);
                for (int q = 0; q < na; q++) {
                    if (loc[q] < a->nlocal)
                        for (int cc = 0; cc < 3; cc++) a->f[loc[q]][cc] += f[q][cc];
                    vir[0] += w * x[q][0] * f[q][0]; vir[1] += w * x[q][1] * f[q][1]; vir[2] += w * x[q][2] * f[q][2];
                    vir[3] += w * x[q][0] * f[q][1]; vir[4] += w * x[q][0] * f[q][2]; vir[5] += w * x[q][1] * f[q][2];
                }
            }
        }
    }
    double buf[10];
    memcpy(buf, e, sizeof e);
    memcpy(buf + 4, vir, sizeof vir);
    comm_sum_double(sim->comm, buf, 10);
    sim->en.ebond = buf[0];
    sim->en.eangle = buf[1];
    sim->en.edihed = buf[2];
    sim->en.eimp = buf[3];
    for (int c = 0; c < 6; c++) sim->en.virial[c] += buf[4 + c];
}
