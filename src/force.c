/* force.c - the force evaluation sequence: refresh ghosts/lists, pair pass, kspace.
 *
 * Energies are global (reduced inside pair_compute and the kspace style); forces are on
 * owned atoms. The virial is the sum over pairs of r_ij (x) f_ij plus the kspace virial
 * (kcal/mol), used for the pressure. */
#include "force.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "bonded.h"
#include "group.h"
#include "guard.h"
#include "halo.h"
#include "neigh.h"
#include "pair.h"
#include "restraint.h"
#include "sim.h"
#include "topology.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

void force_charge_sums(Sim *sim)
{
    double s[2] = {0.0, 0.0};
    for (int i = 0; i < sim->atoms.nlocal; i++) {
        s[0] += sim->atoms.q[i];
        s[1] += sim->atoms.q[i] * sim->atoms.q[i];
    }
    comm_sum_double(sim->comm, s, 2);
    sim->qsum = s[0];
    sim->qsqsum = s[1];
}

static void rebuild(Sim *sim)
{
    timer_start(&sim->timers, TIMER_COMM);
    domain_migrate(sim);
    halo_build(sim, sim->pair.cutoff + sim->pair.skin);
    if (topology_present(sim)) topology_map_build(sim);
    timer_stop(&sim->timers, TIMER_COMM);
    timer_start(&sim->timers, TIMER_NEIGH);
    neigh_build(sim);
    timer_stop(&sim->timers, TIMER_NEIGH);
}

static KspaceSystem kspace_system(Sim *sim)
{
    KspaceSystem ks;
    ks.comm = sim->comm;
    for (int d = 0; d < 3; d++) {
        ks.lo[d] = sim->lo[d]; ks.len[d] = sim->len[d];
        ks.sublo[d] = sim->sublo[d]; ks.subhi[d] = sim->subhi[d];
    }
    ks.skin = sim->pair.skin;
    ks.nlocal = sim->atoms.nlocal;
    ks.x = (const double (*)[3])sim->atoms.x;
    ks.q = sim->atoms.q;
    ks.f = sim->atoms.f;
    ks.natoms = sim->natoms;
    ks.qsum = sim->qsum;
    ks.qsqsum = sim->qsqsum;
    return ks;
}

void force_setup(Sim *sim)
{
    if (!sim->box_set) error_all(FLERR, "no system: read_data must come before run");
    if (sim->pair.cutoff <= 0) error_all(FLERR, "no cutoff: give 'pair_cutoff R' (A)");
    force_charge_sums(sim);
    double g_ewald = 0.0;
    if (sim->pair.coul == COUL_LONG) {
        if (!sim->kspace) {
            sim->kparams.cutoff = sim->pair.cutoff;
            sim->kspace = sim->kstyle->create(&sim->kparams);
            sim->kspace->style = sim->kstyle;
        }
        KspaceSystem ks = kspace_system(sim);
        sim->kspace_summary[0] = '\0';
        sim->kspace->style->init(sim->kspace, &ks, sim->kspace_summary, sizeof sim->kspace_summary);
        if (sim->rank == 0 && sim->kspace_summary[0]) printf("%s\n", sim->kspace_summary);
        g_ewald = sim->kspace->g_ewald;
        if (sim->qsum * sim->qsum > 1e-10)
            error_warn("system is not charge neutral: total charge %.6g e (the Ewald background correction is applied)", sim->qsum);
    }
    if (sim->pair.coul == COUL_DSF && !sim->dsf_warned) {
        error_warn("coulomb dsf truncates electrostatics at %g A: the long-range nanocrystal-nanocrystal dipolar interaction that drives alignment is removed, and polar-facet (truncated octahedral) PbSe is off by 10-18 kcal/mol/atom; use 'coulomb pppm' for production", sim->pair.cutoff);
        sim->dsf_warned = 1;
    }
    pair_init(sim, g_ewald);
    bonded_init(sim);
    rebuild(sim);
    sim->box_changed = 0; /* the kspace init above saw the current box */
    sim->forces_ready = 0;
}

/* The box changed (barostat, domain_rescale): ghost shifts, cells, lists and the owners of
 * atoms are stale, so a full rebuild; then the kspace style recomputes its box-dependent parts
 * through init (g_ewald, the PPPM mesh and order stay as chosen at the run start; Ewald redoes
 * its k vectors for the accuracy; as LAMMPS setup() after a box change). */
static void box_changed_update(Sim *sim)
{
    sim->box_changed = 0;
    rebuild(sim);
    if (sim->pair.coul == COUL_LONG && sim->kspace) {
        timer_start(&sim->timers, TIMER_KSPACE);
        KspaceSystem ks = kspace_system(sim);
        sim->kspace->style->init(sim->kspace, &ks, NULL, 0);
        timer_stop(&sim->timers, TIMER_KSPACE);
    }
}

void force_update_neighbors(Sim *sim, int check)
{
    if (sim->box_changed) {
        box_changed_update(sim);
    } else if (check && neigh_needs_rebuild(sim)) {
        rebuild(sim);
    } else {
        timer_start(&sim->timers, TIMER_COMM);
        halo_forward(sim);
        timer_stop(&sim->timers, TIMER_COMM);
    }
}

/* Restart steps (restart.c): the continuing job starts with a full rebuild, so the running
 * job rebuilds at the same step and both sum the pairs in the same order. */
void force_rebuild_neighbors(Sim *sim)
{
    if (sim->box_changed) box_changed_update(sim);
    else rebuild(sim);
}

/* A non-finite energy, virial or force (overlapping atoms, a time step far too large) stops
 * the job here, before it reaches the integrator and the output files. Energies and virial
 * are global; the forces cost one reduction: the smallest global id with a bad force. */
static void check_finite(Sim *sim)
{
    const Atoms *a = &sim->atoms;
    double bad = HUGE_VAL;
    for (int i = 0; i < a->nlocal; i++)
        if (!isfinite(a->f[i][0] + a->f[i][1] + a->f[i][2]) && (double)a->gid[i] < bad) bad = (double)a->gid[i];
    comm_min_double(sim->comm, &bad, 1);
    const Energies *e = &sim->en;
    if (isfinite(force_pe(sim) + e->virial[0] + e->virial[1] + e->virial[2]) && bad == HUGE_VAL) return;
    char what[64] = "energy";
    if (bad < HUGE_VAL) snprintf(what, sizeof what, "force on atom %lld", (long long)bad);
    error_all(FLERR, "step %lld: non-finite %s (evdwl %g, ecoul %g, elong %g kcal/mol): atoms overlap or moved too far in one step; check the minimum distances of the start configuration and the time step",
              (long long)sim->step, what, e->evdwl, e->ecoul, e->elong);
}

void force_compute(Sim *sim)
{
    Atoms *a = &sim->atoms;
    memset(a->f, 0, sizeof(double) * 3 * (size_t)a->nlocal);
    memset(sim->en.virial, 0, sizeof sim->en.virial);
    timer_start(&sim->timers, TIMER_PAIR);
    pair_compute(sim);
    guard_buck_correct(sim); /* pair_modify buck_guard: the repulsion inside r* (guard.c) */
    timer_stop(&sim->timers, TIMER_PAIR);
    sim->en.ebond = sim->en.eangle = sim->en.edihed = sim->en.eimp = 0.0;
    if (topology_present(sim)) {
        timer_start(&sim->timers, TIMER_BOND);
        bonded_compute(sim);
        timer_stop(&sim->timers, TIMER_BOND);
    }
    sim->en.elong = 0.0;
    if (sim->pair.coul == COUL_LONG) {
        timer_start(&sim->timers, TIMER_KSPACE);
        KspaceSystem ks = kspace_system(sim);
        sim->kspace->style->compute(sim->kspace, &ks);
        sim->en.elong = sim->kspace->energy;
        for (int c = 0; c < 6; c++) sim->en.virial[c] += sim->kspace->virial[c];
        timer_stop(&sim->timers, TIMER_KSPACE);
    }
    restraint_compute(sim);   /* centre-of-mass distance restraints (restraint.c) */
    check_finite(sim);
    group_apply_freeze(sim);  /* frozen atoms: zero force and velocity (group.c) */
    sim->forces_ready = 1;
}

double force_pe(const Sim *sim)
{
    return sim->en.evdwl + sim->en.ecoul + sim->en.elong + sim->en.ebond + sim->en.eangle + sim->en.edihed + sim->en.eimp + sim->en.erestr;
}
