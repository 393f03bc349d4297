/* neigh.c - cell binning and Verlet lists.
 *
 * Binning: the region [sublo - rghost, subhi + rghost] (owned atoms and ghosts) is cut into
 * cells of edge >= rghost/2, rghost = cutoff + skin; a cell's atoms are found by a counting
 * sort (count per cell, prefix offsets, permutation) - no fixed per-cell capacity, because
 * the dense PbSe core, the ligand shell and the solvent differ widely in density. The stencil
 * reaches 2 cells each way (125 cells), which tests ~40% fewer pairs than 27 cells of edge
 * rghost.
 *
 * Lists: "half" lists with ghost pairs on both sides (LAMMPS "newton off"): owned-owned
 * pairs are listed once (j > i); owned-ghost pairs are listed by the owned atom, on each of
 * the two ranks that own one of the atoms, and the force kernels then put force on owned
 * atoms only and count such pairs' energy by half. No reverse communication of forces is
 * needed. Threads build the lists of contiguous blocks of atoms into their own pages.
 *
 * Special pairs (1-2, 1-3, 1-4 partners of a molecule) stay in the list with their class in
 * the top two bits of the index (j | class << 30), so the pair loop can scale them and, with
 * long-range Coulomb, subtract the part of their interaction the kspace sum includes.
 *
 * Rebuild: checked every neigh.every steps; a rebuild (migration, ghosts, lists) happens
 * when any owned atom moved more than skin/2 since the last build, which guarantees no pair
 * within the cutoff is missed. */
#include "neigh.h"
#include "comm.h"
#include "error.h"
#include "memory.h"
#include "sim.h"
#include "topology.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static void bin_atoms(Sim *sim, double rghost)
{
    Neigh *nb = &sim->neigh;
    Atoms *a = &sim->atoms;
    int ntot = a->nlocal + a->nghost;
    nb->ncell_total = 1;
    for (int d = 0; d < 3; d++) {
        double lo = sim->sublo[d] - rghost, hi = sim->subhi[d] + rghost;
        int n = (int)floor((hi - lo) / (0.5 * rghost));
        if (n < 1) n = 1;
        if (n > 1024) n = 1024;
        nb->ncell[d] = n;
        nb->cello[d] = lo;
        nb->cellinv[d] = n / (hi - lo);
        nb->ncell_total *= n;
    }
    if (nb->ncell_total + 1 > nb->maxcells) {
        mem_free(nb->cellcount);
        mem_free(nb->celloffset);
        nb->maxcells = nb->ncell_total + 1;
        nb->cellcount = mem_alloc(sizeof(int) * (size_t)nb->maxcells, "cell counts");
        nb->celloffset = mem_alloc(sizeof(int) * (size_t)nb->maxcells, "cell offsets");
    }
    if (ntot > nb->maxatoms) {
        mem_free(nb->cellatoms);
        mem_free(nb->atomcell);
        nb->maxatoms = ntot + ntot / 4 + 16;
        nb->cellatoms = mem_alloc(sizeof(int) * (size_t)nb->maxatoms, "cell atoms");
        nb->atomcell = mem_alloc(sizeof(int) * (size_t)nb->maxatoms, "atom cells");
    }
    memset(nb->cellcount, 0, sizeof(int) * (size_t)(nb->ncell_total + 1));
    for (int i = 0; i < ntot; i++) {
        int c[3];
        for (int d = 0; d < 3; d++) {
            c[d] = (int)floor((a->x[i][d] - nb->cello[d]) * nb->cellinv[d]);
            if (c[d] < 0) c[d] = 0;
            if (c[d] >= nb->ncell[d]) c[d] = nb->ncell[d] - 1;
        }
        int ic = (c[0] * nb->ncell[1] + c[1]) * nb->ncell[2] + c[2];
        nb->atomcell[i] = ic;
        nb->cellcount[ic]++;
    }
    int off = 0;
    for (int c = 0; c < nb->ncell_total; c++) {
        nb->celloffset[c] = off;
        off += nb->cellcount[c];
    }
    nb->celloffset[nb->ncell_total] = off;
    /* stable fill: atoms of a cell keep increasing index order */
    memset(nb->cellcount, 0, sizeof(int) * (size_t)nb->ncell_total);
    for (int i = 0; i < ntot; i++) {
        int c = nb->atomcell[i];
        nb->cellatoms[nb->celloffset[c] + nb->cellcount[c]++] = i;
    }
}

void neigh_build(Sim *sim)
{
    Neigh *nb = &sim->neigh;
    Atoms *a = &sim->atoms;
    double rghost = sim->pair.cutoff + sim->pair.skin;
    double rsq = rghost * rghost;
    bin_atoms(sim, rghost);
    int nlocal = a->nlocal;
    if (nlocal > nb->maxlocal) {
        mem_free(nb->numneigh);
        mem_free(nb->firstneigh);
        nb->maxlocal = nlocal + nlocal / 4 + 16;
        nb->numneigh = mem_alloc(sizeof(int) * (size_t)nb->maxlocal, "neighbour counts");
        nb->firstneigh = mem_alloc(sizeof(int *) * (size_t)nb->maxlocal, "neighbour pointers");
    }
    int nthreads = 1;
#ifdef _OPENMP
    nthreads = omp_get_max_threads();
#endif
    if (nthreads != nb->nthreads) {
        for (int t = 0; t < nb->nthreads; t++) mem_free(nb->page[t]);
        free(nb->page);
        free(nb->pagecap);
        nb->page = calloc((size_t)nthreads, sizeof(int *));
        nb->pagecap = calloc((size_t)nthreads, sizeof(size_t));
        nb->nthreads = nthreads;
    }
    size_t *offset = mem_alloc(sizeof(size_t) * (size_t)(nlocal + 1), "neighbour offsets");
    const int nc0 = nb->ncell[0], nc1 = nb->ncell[1], nc2 = nb->ncell[2];
    const int has_special = a->maxspecial > 0;
    if (a->nlocal + a->nghost >= NEIGH_INDEXMASK)
        error_one(FLERR, "%d owned+ghost atoms on one rank exceed the neighbour-list index range (%d): use more ranks", a->nlocal + a->nghost, NEIGH_INDEXMASK);
#pragma omp parallel
    {
        int tid = 0, nt = 1;
#ifdef _OPENMP
        tid = omp_get_thread_num();
        nt = omp_get_num_threads();
#endif
        int ifirst = (int)((long)nlocal * tid / nt), ilast = (int)((long)nlocal * (tid + 1) / nt);
        size_t n = 0;
        int *page = nb->page[tid];
        size_t cap = nb->pagecap[tid];
        for (int i = ifirst; i < ilast; i++) {
            int ic = nb->atomcell[i];
            int cz = ic % nc2, cy = (ic / nc2) % nc1, cx = ic / (nc1 * nc2);
            const double xi = a->x[i][0], yi = a->x[i][1], zi = a->x[i][2];
            offset[i] = n;
            for (int dx = -2; dx <= 2; dx++) {
                int jx = cx + dx;
                if (jx < 0 || jx >= nc0) continue;
                for (int dy = -2; dy <= 2; dy++) {
                    int jy = cy + dy;
                    if (jy < 0 || jy >= nc1) continue;
                    for (int dz = -2; dz <= 2; dz++) {
                        int jz = cz + dz;
                        if (jz < 0 || jz >= nc2) continue;
                        int jc = (jx * nc1 + jy) * nc2 + jz;
                        for (int k = nb->celloffset[jc]; k < nb->celloffset[jc + 1]; k++) {
                            int j = nb->cellatoms[k];
                            if (j < nlocal && j <= i) continue;
                            double ddx = xi - a->x[j][0], ddy = yi - a->x[j][1], ddz = zi - a->x[j][2];
                            if (ddx * ddx + ddy * ddy + ddz * ddz >= rsq) continue;
                            int jv = j;
                            if (has_special && a->nspecial[i][2]) {
                                int sb = topology_special(a, i, a->gid[j]);
                                jv = (int)((unsigned)j | ((unsigned)sb << NEIGH_SBBITS));
                            }
                            if (n == cap) {
                                size_t nc = cap ? 2 * cap : 4096;
                                mem_grow((void **)&page, cap, nc, sizeof(int), "neighbour page");
                                cap = nc;
                            }
                            page[n++] = jv;
                        }
                    }
                }
            }
            nb->numneigh[i] = (int)(n - offset[i]);
        }
        nb->page[tid] = page;
        nb->pagecap[tid] = cap;
#pragma omp barrier
        for (int i = ifirst; i < ilast; i++) nb->firstneigh[i] = nb->page[tid] + offset[i];
    }
    mem_free(offset);
    for (int i = 0; i < nlocal; i++) memcpy(a->xhold[i], a->x[i], sizeof a->x[i]);
    nb->nbuild++;
}

int neigh_needs_rebuild(Sim *sim)
{
    Atoms *a = &sim->atoms;
    double lim = 0.25 * sim->pair.skin * sim->pair.skin;
    int flag = 0;
    for (int i = 0; i < a->nlocal && !flag; i++) {
        double dx = a->x[i][0] - a->xhold[i][0], dy = a->x[i][1] - a->xhold[i][1],
               dz = a->x[i][2] - a->xhold[i][2];
        if (dx * dx + dy * dy + dz * dz > lim) flag = 1;
    }
    comm_max_int(sim->comm, &flag, 1);
    return flag;
}

long neigh_count_bruteforce(const Sim *sim, double r, int *count)
{
    const Atoms *a = &sim->atoms;
    long total = 0;
    int ntot = a->nlocal + a->nghost;
    for (int i = 0; i < a->nlocal; i++) {
        count[i] = 0;
        for (int j = 0; j < ntot; j++) {
            if (j < a->nlocal && j <= i) continue;
            double d2 = 0;
            for (int d = 0; d < 3; d++) d2 += (a->x[i][d] - a->x[j][d]) * (a->x[i][d] - a->x[j][d]);
            if (d2 < r * r) count[i]++;
        }
        total += count[i];
    }
    return total;
}

void neigh_free(Sim *sim)
{
    Neigh *nb = &sim->neigh;
    for (int t = 0; t < nb->nthreads; t++) mem_free(nb->page[t]);
    free(nb->page);
    free(nb->pagecap);
    mem_free(nb->numneigh); mem_free(nb->firstneigh);
    mem_free(nb->cellcount); mem_free(nb->celloffset); mem_free(nb->cellatoms); mem_free(nb->atomcell);
    int every = nb->every;
    memset(nb, 0, sizeof *nb);
    nb->every = every;
}
