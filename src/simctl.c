/* simctl.c - the Sim context's defaults and teardown. */
#include "group.h"
#include "restraint.h"
#include "simctl.h"
#include "atoms.h"
#include "barostat.h"
#include "comm.h"
#include "guard.h"
#include "halo.h"
#include "minimize.h"
#include "neigh.h"
#include "restart.h"
#include "runlog.h"
#include "sim.h"
#include "traj_netcdf.h"
#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#endif

Sim *sim_create(Comm *comm)
{
    Sim *sim = calloc(1, sizeof *sim);
    sim->comm = comm;
    sim->rank = comm_rank(comm);
    sim->nranks = comm_size(comm);
    sim->nthreads = 1;
#ifdef _OPENMP
    sim->nthreads = omp_get_max_threads();
#endif
    sim->pair.skin = 2.0;
    sim->pair.coul = COUL_OFF;
    sim->pair.erfc_poly = 1; /* see pair.c: the Abramowitz-Stegun erfc, as LAMMPS without tables */
    sim->neigh.every = 1;
    sim->integ.style = INT_NVE;
    sim->integ.dt = 1.0;
    sim->kparams.order = 5;
    /* special_bonds default as LAMMPS: 1-2, 1-3, 1-4 pairs excluded; [0] is "not special" */
    sim->topo.special_lj[0] = sim->topo.special_coul[0] = 1.0;
    return sim;
}

void sim_destroy(Sim **psim)
{
    Sim *sim = *psim;
    if (!sim) return;
    /* issue 5: trajectory file, restart state, guards, run log */
    traj_free(sim);
    restart_free(sim);
    barostat_free(sim);
    guard_free(sim);
    minimize_free(sim);
    restraint_free(sim);
    group_free(sim);
    runlog_end(sim);
    if (sim->thermo_fp) fclose(sim->thermo_fp);
    if (sim->kspace) sim->kspace->style->destroy(&sim->kspace);
    halo_free(sim);
    neigh_free(sim);
    atoms_free(&sim->atoms);
    free(sim->pair.tab);
    free(sim->input_echo);
    if (sim->thermo_store) {
        free(*(void **)sim->thermo_store); /* the rows array is the store's first member */
        free(sim->thermo_store);
    }
    free(sim);
    *psim = NULL;
}
