/* barostat.c - constant pressure: stochastic cell rescaling (SCR), isotropic or per axis.
 *
 * Physics. SCR (M. Bernetti and G. Bussi, J. Chem. Phys. 153, 114107 (2020)) is Berendsen's
 * first-order pressure relaxation plus the noise that makes the volume distribution the
 * isobaric one. With eps = ln V, the instantaneous pressure P = (2K + W)/(3V) (K kinetic
 * energy, W the trace of the full virial: pair + kspace + bonded + constraints), target P0,
 * relaxation time tau = PDAMP and an estimate beta of the isothermal compressibility,
 *
 *   d eps = -(beta/tau) (P0 - P) dt + sqrt(2 kT beta / (V tau)) dW            (Ito),
 *
 * and positions scale with V^(1/3) while velocities scale with V^(-1/3) (phase-space volume
 * is kept, so the kinetic energy is part of the driving pressure). beta only sets the
 * relaxation time (about tau beta_true/beta), not the distribution; the default is that of
 * water, 4.5e-5 1/atm, as GROMACS; for a stiff solid such as PbSe (B ~ 48 GPa, beta ~
 * 2.1e-6 1/atm) the default relaxes ~20x faster than tau: give `compress`.
 *
 * Per axis ("aniso", orthogonal box, diagonal stress): eps_a = ln L_a, a = x, y, z, with
 * independent noises,
 *
 *   d eps_a = -(beta/(3 tau)) (P0 - P_aa) dt + sqrt(2 kT beta / (3 V tau)) dW_a,
 *   P_aa = (2 K_aa + W_aa)/V,  K_aa = sum m v_a^2 / 2.
 * Derivation (the diagonal case of M. Del Tatto, P. Raiteri, M. Bernetti and G. Bussi, Appl.
 * Sci. 12, 1139 (2022)): the stationary density in (eps_x, eps_y, eps_z) must be
 * exp(-(U + K + P0 V)/kT) V (dLx dLy dLz = V d^3 eps; scaling x by s and v by 1/s keeps the
 * particles' measure); for an Ito equation with diffusion D(eps) = kT beta/(3 V tau) the
 * zero-flux drift is D d ln p/d eps_a + dD/d eps_a = -(beta/(3 tau)) (P0 - P_aa), because
 * -d(U + K)/d eps_a = W_aa + 2 K_aa and dD/d eps_a = -D cancels the +D of the measure. The sum
 * of the three equations is the isotropic one. A cubic crystal keeps Lx = Ly = Lz on average.
 *
 * Integration (the Trotter scheme "T" of the paper's reference implementation, SimpleMD in
 * github.com/bussilab/crescale): one barostat move per step (or per `every` steps, with
 * dtb = every dt), between the first half kick and the force evaluation, fused with the drift:
 *   x' = c + s (x - c) + (s + 1/s)/2 dt v,   v' = v / s,   L' = s L  (c = box centre),
 * then the forces at the new positions, then the second half kick. Isotropic: like the
 * paper, in lambda = sqrt(V), whose noise is additive: with D = kT beta/(4 tau),
 * f = -2 lambda (P0 - P - kT/(2V)),
 *   d lambda = (D/kT) f dtb + sqrt(2 D dtb) xi,   s = (1 + d lambda/lambda)^(2/3).
 * Per axis, Euler-Maruyama in eps_a: d eps_a = mu_a dtb + sqrt(2 D dtb) xi_a, s_a = exp(d eps_a).
 * Neither the drift mu nor D needs the new state, so each move costs no extra force call.
 *
 * Conserved quantity ("effective energy", the paper's Sec. II D). A move from state a to b is
 * an Euler step of a diffusion whose exact dynamics obeys detailed balance; the heat it
 * exchanges with the bath is kT ln[q(a->b)/q(b->a)] - kT ln(rho_b/rho_a) (q the Gaussian
 * proposal density, rho the measure factor: lambda for the isotropic variable, V per axis),
 * which equals H(a) - H(b) for exact dynamics (H = K + U + P0 V). Summing it into E_baro,
 * H + E_baro is constant up to the integration error, like the Nose-Hoover chain energy.
 * The part at a (before the move) and the part at b (after the next force evaluation, velocities
 * before the second half kick, as SimpleMD) are added separately:
 *   iso:   + dl f_a/2 - (D/kT) dtb f_a^2/4 + kT ln(V_a)/2,  + dl f_b/2 + (D/kT) dtb f_b^2/4 - kT ln(V_b)/2;
 *   aniso: - kT sum xi_a^2/2 + 5/2 kT ln V_a,  + kT sum (d eps_a + mu_b dtb)^2/(4 D_b dtb) - 5/2 kT ln V_b
 * (the per-axis Gaussian normalisation D^(-3/2) gives 3/2 kT ln V, the measure 1 kT ln V;
 * additive constants cancel between the two halves). econserve = etotal + thermostat energy
 * + P0 V + E_baro (thermo.c); its drift per atom and ns in the run record measures the time
 * step error of the whole NPT integrator. With Langevin dynamics econserve is not conserved
 * anyway (the Langevin heat is not accumulated).
 *
 * Temperature kT: the thermostat's target (integrate nvt / langevin), or `temp T`; with
 * integrate nve and no `temp`, the instantaneous kinetic temperature of the step (then the
 * distribution is only approximately isobaric; use a thermostat for NPT).
 *
 * Parallel: the move depends only on global sums (pressure tensor) and on a random number
 * that is a pure function of (seed, pseudo-id 0, step, axis) (rng.h), identical on every rank,
 * so every rank applies the same s and the trajectory does not depend on the rank count.
 * The box change invalidates the ghost shifts, cells and lists and the kspace box: force.c
 * does a full rebuild (migration, ghosts, lists) and re-initialises the kspace style (g_ewald
 * and the PPPM mesh / Ewald accuracy kept, box-dependent parts recomputed, as LAMMPS setup())
 * at the next force evaluation (sim->box_changed).
 *
 * Rejected: MTK/Nose-Hoover barostat (second order: volume oscillations, a barostat mass to
 * tune, poor for equilibrating from a wrong density); Berendsen (wrong fluctuations); Monte
 * Carlo volume moves (an extra full force evaluation per move, PPPM included). */
#include "barostat.h"
#include "comm.h"
#include "domain.h"
#include "error.h"
#include "rng.h"
#include "sim.h"
#include "thermo.h"
#include "units.h"
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { BARO_OFF = 0, BARO_ISO, BARO_ANISO, BARO_COUNT } BarostatStyle;
static const char *style_names[BARO_COUNT] = {"off", "iso", "aniso"};

#define BARO_DEFAULT_COMPRESS 4.5e-5    /* 1/atm: water at 300 K, 1 atm (as GROMACS) */
#define BARO_DEFAULT_SEED 4242424242ULL
#define BARO_RNG_ID 0                   /* pseudo atom id of the barostat noise (atoms are >= 1) */
#define BARO_RNG_STREAM 200             /* streams 200..202: axes (Langevin uses 0..2, velocity 100..102) */
#define BARO_MAX_STRAIN 0.1             /* |d eps| per move beyond this: stop, the settings are unstable */

typedef struct Barostat {
    BarostatStyle style;
    double p_target;       /* atm */
    double tau;            /* fs */
    double compress;       /* 1/atm */
    uint64_t seed;
    int every;             /* steps between moves */
    double t_fixed;        /* K; 0 = from the thermostat (or kinetic with nve) */
    /* state */
    double e_baro;         /* kcal/mol: accumulated work and heat (effective-energy term) */
    int pending;           /* a move waits for its after-force half */
    double kT;             /* kcal/mol, of the pending move */
    double dtb;            /* fs, of the pending move */
    double dlam;           /* iso: d lambda of the pending move, A^(3/2) */
    double deps[3];        /* aniso: d eps_a of the pending move */
    int64_t nmoves;
} Barostat;

static int is_num(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    return s[0] != '\0' && *end == '\0' && errno == 0 && isfinite(v);
}
static int is_posint(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    return s[0] != '\0' && *end == '\0' && errno == 0 && v > 0;
}

const char *barostat_check_args(char **a, int n)
{
    static const char *why = "off | iso|aniso PRESSURE(atm) PDAMP(fs, > 0) [SEED (positive integer)] "
                             "[compress K (1/atm, > 0)] [every N (steps, >= 1)] [temp T (K, > 0)]";
    if (strcmp(a[0], "off") == 0) return n == 1 ? NULL : "off (no further arguments)";
    if (strcmp(a[0], "iso") != 0 && strcmp(a[0], "aniso") != 0) return why;
    if (n < 3 || !is_num(a[1]) || !is_num(a[2]) || strtod(a[2], NULL) <= 0) return why;
    int i = 3;
    if (i < n && is_posint(a[i])) i++;
    for (; i < n; i += 2) {
        if (i + 1 >= n) return why;
        if (strcmp(a[i], "compress") == 0 && is_num(a[i + 1]) && strtod(a[i + 1], NULL) > 0) continue;
        if (strcmp(a[i], "every") == 0 && is_posint(a[i + 1])) continue;
        if (strcmp(a[i], "temp") == 0 && is_num(a[i + 1]) && strtod(a[i + 1], NULL) > 0) continue;
        return why;
    }
    return NULL;
}

void barostat_command(Sim *sim, char **a, int n, const char *where)
{
    (void)where;
    if (!sim->baro) sim->baro = calloc(1, sizeof(Barostat));
    Barostat *b = sim->baro;
    b->pending = 0;
    if (strcmp(a[0], "off") == 0) {
        b->style = BARO_OFF;
        return;
    }
    b->style = strcmp(a[0], "iso") == 0 ? BARO_ISO : BARO_ANISO;
    b->p_target = strtod(a[1], NULL);
    b->tau = strtod(a[2], NULL);
    b->compress = BARO_DEFAULT_COMPRESS;
    b->seed = BARO_DEFAULT_SEED;
    b->every = 1;
    b->t_fixed = 0.0;
    int i = 3;
    if (i < n && is_posint(a[i])) b->seed = (uint64_t)strtoull(a[i++], NULL, 10);
    for (; i + 1 < n; i += 2) {
        if (strcmp(a[i], "compress") == 0) b->compress = strtod(a[i + 1], NULL);
        else if (strcmp(a[i], "every") == 0) b->every = (int)strtol(a[i + 1], NULL, 10);
        else if (strcmp(a[i], "temp") == 0) b->t_fixed = strtod(a[i + 1], NULL);
    }
}

int barostat_active(const Sim *sim) { return sim->baro && sim->baro->style != BARO_OFF; }

void barostat_run_begin(Sim *sim)
{
    if (!barostat_active(sim)) return;
    const Barostat *b = sim->baro;
    const Integrator *it = &sim->integ;
    char tsrc[96];
    if (b->t_fixed > 0) snprintf(tsrc, sizeof tsrc, "%g K (temp)", b->t_fixed);
    else if (it->style == INT_NVT || it->style == INT_LANGEVIN) {
        if (it->t_target <= 0)
            error_all(FLERR, "barostat: the thermostat's target temperature is %g K; the barostat noise needs T > 0 (give 'temp T')", it->t_target);
        snprintf(tsrc, sizeof tsrc, "%g K (the thermostat's)", it->t_target);
    } else snprintf(tsrc, sizeof tsrc, "the kinetic temperature of each step (nve; give 'temp T' or use a thermostat for NPT)");
    if (sim->rank == 0)
        printf("barostat: stochastic cell rescaling (Bernetti & Bussi 2020), %s, P0 = %g atm, PDAMP = %g fs, compressibility %g 1/atm, T = %s, every %d step(s), seed %llu\n",
               style_names[b->style], b->p_target, b->tau, b->compress, tsrc, b->every, (unsigned long long)b->seed);
}

/* Temperature (kcal/mol) for the move of this step. Collective (nve without temp). */
static double baro_kT(Sim *sim)
{
    const Barostat *b = sim->baro;
    const Integrator *it = &sim->integ;
    double T;
    if (b->t_fixed > 0) T = b->t_fixed;
    else if (it->style == INT_NVT || it->style == INT_LANGEVIN) T = it->t_target;
    else T = 2.0 * thermo_ke(sim) / (thermo_dof(sim) * UNITS_KB);
    if (!(T > 0))
        error_all(FLERR, "step %lld: barostat: temperature %g K; the barostat noise needs T > 0 (give velocities, a thermostat or 'barostat ... temp T')", (long long)sim->step, T);
    return UNITS_KB * T;
}

int barostat_drift(Sim *sim, double dt)
{
    if (!barostat_active(sim)) return 0;
    Barostat *b = sim->baro;
    if (b->every > 1 && sim->step % b->every != 0) return 0;
    const double dtb = dt * b->every;
    const double kT = baro_kT(sim);
    const double beta = b->compress * UNITS_NKTV2P;   /* A^3 mol/kcal */
    const double p0 = b->p_target / UNITS_NKTV2P;      /* kcal/mol/A^3 */
    double pd[3];
    thermo_pressure_diag(sim, pd);                     /* atm */
    for (int d = 0; d < 3; d++) pd[d] /= UNITS_NKTV2P;
    const double vol = sim->len[0] * sim->len[1] * sim->len[2];
    const uint64_t step = (uint64_t)sim->step;
    double s[3], deps[3];
    if (b->style == BARO_ISO) {
        double pint = (pd[0] + pd[1] + pd[2]) / 3.0;
        double lam = sqrt(vol), dk = 0.25 * beta / b->tau; /* D/kT, A^3 mol/(kcal fs) */
        double f = -2.0 * lam * (p0 - pint - 0.5 * kT / vol);
        double xi = rng_normal(b->seed, BARO_RNG_ID, step, BARO_RNG_STREAM);
        double dlam = dk * f * dtb + sqrt(2.0 * dk * kT * dtb) * xi;
        double r = dlam / lam;
        if (!(r > -0.5 && r < 0.5))
            error_all(FLERR, "step %lld: barostat: volume change of %.3g%% in one move (P = %g atm): PDAMP too short or compress too large for this system",
                      (long long)sim->step, 100.0 * (r * (2.0 + r)), pint * UNITS_NKTV2P);
        double e = 2.0 * log1p(r);
        for (int d = 0; d < 3; d++) deps[d] = e / 3.0;
        b->dlam = dlam;
        b->e_baro += 0.5 * dlam * f - 0.25 * dk * dtb * f * f + 0.5 * kT * log(vol);
    } else {
        double dd = kT * beta / (3.0 * vol * b->tau); /* D, 1/fs */
        double sumxi2 = 0.0;
        for (int d = 0; d < 3; d++) {
            double mu = -beta / (3.0 * b->tau) * (p0 - pd[d]);
            double xi = rng_normal(b->seed, BARO_RNG_ID, step, BARO_RNG_STREAM + (uint64_t)d);
            deps[d] = mu * dtb + sqrt(2.0 * dd * dtb) * xi;
            b->deps[d] = deps[d];
            sumxi2 += xi * xi;
        }
        b->e_baro += -0.5 * kT * sumxi2 + 2.5 * kT * log(vol);
    }
    for (int d = 0; d < 3; d++) {
        if (!(fabs(deps[d]) < BARO_MAX_STRAIN))
            error_all(FLERR, "step %lld: barostat: strain %.3g along %c in one move: PDAMP too short or compress too large for this system",
                      (long long)sim->step, deps[d], 'x' + d);
        s[d] = exp(deps[d]);
    }
    b->kT = kT;
    b->dtb = dtb;
    b->pending = 1;
    b->nmoves++;

    /* fused scaling and drift of the owned atoms, about the box centre */
    double c[3], sx[3];
    for (int d = 0; d < 3; d++) {
        c[d] = sim->lo[d] + 0.5 * sim->len[d];
        sx[d] = 0.5 * (s[d] + 1.0 / s[d]) * dt;
    }
    Atoms *a = &sim->atoms;
    for (int i = 0; i < a->nlocal; i++)
        for (int d = 0; d < 3; d++) {
            a->x[i][d] = c[d] + s[d] * (a->x[i][d] - c[d]) + sx[d] * a->v[i][d];
            a->v[i][d] /= s[d];
        }
    domain_rescale(sim, s, c);
    return 1;
}

void barostat_after_force(Sim *sim)
{
    Barostat *b = sim->baro;
    if (!b || !b->pending) return;
    b->pending = 0;
    const double kT = b->kT, dtb = b->dtb;
    const double beta = b->compress * UNITS_NKTV2P;
    const double p0 = b->p_target / UNITS_NKTV2P;
    double pd[3];
    thermo_pressure_diag(sim, pd);
    for (int d = 0; d < 3; d++) pd[d] /= UNITS_NKTV2P;
    const double vol = sim->len[0] * sim->len[1] * sim->len[2];
    if (b->style == BARO_ISO) {
        double pint = (pd[0] + pd[1] + pd[2]) / 3.0;
        double lam = sqrt(vol), dk = 0.25 * beta / b->tau;
        double f = -2.0 * lam * (p0 - pint - 0.5 * kT / vol);
        b->e_baro += 0.5 * b->dlam * f + 0.25 * dk * dtb * f * f - 0.5 * kT * log(vol);
    } else {
        double dd = kT * beta / (3.0 * vol * b->tau);
        double sum = 0.0;
        for (int d = 0; d < 3; d++) {
            double mu = -beta / (3.0 * b->tau) * (p0 - pd[d]);
            double w = b->deps[d] + mu * dtb;
            sum += w * w;
        }
        b->e_baro += kT * sum / (4.0 * dd * dtb) - 2.5 * kT * log(vol);
    }
}

double barostat_energy(const Sim *sim)
{
    const Barostat *b = sim->baro;
    if (!b) return 0.0;
    double pv = b->style != BARO_OFF ? b->p_target / UNITS_NKTV2P * sim->len[0] * sim->len[1] * sim->len[2] : 0.0;
    return pv + b->e_baro;
}

double barostat_heat(const Sim *sim) { return sim->baro ? sim->baro->e_baro : 0.0; }

void barostat_set_heat(Sim *sim, double e)
{
    if (!sim->baro) sim->baro = calloc(1, sizeof(Barostat));
    sim->baro->e_baro = e;
}

void barostat_free(Sim *sim)
{
    free(sim->baro);
    sim->baro = NULL;
}
