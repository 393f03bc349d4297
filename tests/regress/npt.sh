#!/bin/sh
# Constant pressure: the stochastic cell rescaling barostat (src/barostat.c) on bulk rock-salt
# PbSe (512 atoms, pbse_buck_surrogate.ff, PPPM 1e-5, cutoff 12 A, 2 fs, 300 K, 1 atm).
#
# Reference values of this model at 300 K, from NVT runs at fixed lattice constant (5 ps,
# Nose-Hoover 300 K, mean over the last 4 ps, block standard errors ~35 atm):
#   P(a = 6.11 A) = +650 atm, P(a = 6.12 A) = -1401 atm  ->  P = 0 at A0_300K = 6.1132 A,
#   isothermal bulk modulus B = -(a/3) dP/da = 4.18e5 atm (42 GPa; static 0 K: 48 GPa, a0 = 6.0765 A).
# A long NPT check (12 ps, barostat iso, PDAMP 100 fs, compress 2.1e-6) gave <a> = 6.1131 +- 0.0008 A,
# <P> = 8 +- 170 atm, std(a) = 0.0055 A, econserve drift 3e-4 kcal/mol/atom/ns.
#
# (1) NPT (nvt thermostat + barostat iso, default compressibility, PDAMP 300 fs), starting from the
#     data file's a = 6.12 A, 5 ps: over the second half, <a> within 0.004 A of A0_300K and inside
#     6.076..6.12 A (static a0 plus thermal expansion); <P> within 300 atm of 1 atm; the volume
#     fluctuations are the isobaric ones: std(a) within 30% of (a/3) sqrt(kT/(B V)) = 0.0053 A (what
#     SCR adds to Berendsen); <T> within 5% of 300 K; the effective energy (econserve: etotal +
#     Nose-Hoover energy + P0 V + barostat work and heat) keeps max|dE|/(N kB T0) <= 5e-3 and
#     |drift| <= 0.2 kcal/mol/atom/ns (the NVE bounds of nve.sh).
# (2) From a = 6.20 A (rocksalt.py; P = -21000 atm) with compress 2.1e-6 (PbSe's) and PDAMP 100 fs the
#     crystal contracts: a(100 fs) < 6.18, a(200 fs) < a(100 fs), and over the last 0.8 ps
#     |<a> - A0_300K| <= 0.012 A.
# (3) 1 rank x 2 threads and 2 ranks x 1 thread give the same trajectory, 100 steps iso (nvt) then
#     100 steps aniso (langevin): thermo rows within 1e-8 relative (observed ~2e-13): the barostat
#     noise is drawn from (seed, step) only, the same on every rank.
# (4) aniso with a Langevin thermostat, 5 ps from a = 6.12 A: over the second half the three edges of
#     the cubic crystal agree, max pairwise difference of <L_a>/4 <= 0.008 A (observed ~0.001), and
#     their mean within 0.005 A of A0_300K; <P> within 300 atm of 1 atm. (With the Nose-Hoover chain
#     the edges of this nearly harmonic crystal differ by up to ~0.006 A for more than 10 ps: at
#     fixed cubic box its per-axis stresses differ by several hundred atm for ps; Langevin mixes.)
. "$top_srcdir/tests/regress/common.sh"
DATA=$REF/bulk_4x4x4/bulk_4x4x4.data
# neighbor 0.5: every barostat move rebuilds the lists anyway, a small skin makes that cheaper
head_deck() {
    cat <<EOD
read_data $1
forcefield $POT/pbse_buck_surrogate.ff
pair_cutoff 12.0
coulomb pppm 1e-5
neighbor 0.5
timestep 2.0
velocity 600.0 4928459
EOD
}
{ head_deck "$DATA"; cat <<EOD
integrate nvt 300.0 100.0
barostat iso 1.0 300.0 77
thermo 5
record iso.json
run 2500
EOD
} > "$WORK/in.iso"
$PYTHON "$top_srcdir/tests/regress/rocksalt.py" 6.20 4 "$WORK/a620.data"
{ head_deck "$WORK/a620.data"; cat <<EOD
integrate nvt 300.0 100.0
barostat iso 1.0 100.0 79 compress 2.1e-6
thermo 5
record contract.json
run 700
EOD
} > "$WORK/in.contract"
for tag in np1 np2; do
    { head_deck "$DATA"; cat <<EOD
integrate nvt 300.0 100.0
barostat iso 1.0 100.0 77 compress 2.1e-6
thermo 10
record $tag.iso.json
run 100
integrate langevin 300.0 100.0 99
barostat aniso 1.0 100.0 78 compress 2.1e-6
record $tag.aniso.json
run 100
EOD
    } > "$WORK/in.$tag"
done
{ head_deck "$DATA"; cat <<EOD
integrate langevin 300.0 100.0 12345
barostat aniso 1.0 300.0 78
thermo 5
record aniso.json
run 2500
EOD
} > "$WORK/in.aniso"

runs_ok=1
for v in "iso 1 2" "contract 1 2" "np1 1 2" "np2 2 1" "aniso 1 2"; do
    set -- $v
    if ! run_neckmd "$2" "$3" "$WORK/in.$1" "$WORK/$1.log"; then
        notok "$1: neckmd failed"; tail -5 "$WORK/$1.log" | sed 's/^/# /'; runs_ok=0
    fi
done
grep -h '^barostat:' "$WORK/iso.log" "$WORK/aniso.log" | sed 's/^/# /'

if [ $runs_ok = 1 ]; then
    CMP="$PYTHON $top_srcdir/tests/regress/compare_runs.py"
    COLS=pe,ke,etotal,econserve,press_atm,vol_A3,pxx_atm,pzz_atm,lx_A,lz_A
    { $CMP "barostat iso (nvt) 2 ranks x 1 thread vs 1 x 2, 100 steps" --thermo "$WORK/np2.iso.json" "$WORK/np1.iso.json" --rtol 1e-8 --cols $COLS
      $CMP "barostat aniso (langevin) 2 ranks x 1 thread vs 1 x 2, 100 steps" --thermo "$WORK/np2.aniso.json" "$WORK/np1.aniso.json" --rtol 1e-8 --cols $COLS; } > "$WORK/cmp.out" 2>&1
    tap_pipe < "$WORK/cmp.out"
    $PYTHON - "$WORK" > "$WORK/npt.out" 2>&1 <<'EOPY'
import json, math, sys, statistics as st
W = sys.argv[1]
kB, NKTV2P = 0.0019872067, 68568.415
A0_300K, B_300K = 6.1132, 4.18e5          # A, atm: NVT equation of state (see the header)
A_STATIC = 6.0765                          # A: zero-pressure static lattice constant
def load(name):
    r = json.load(open('%s/%s.json' % (W, name)))
    c = r['thermo_columns']
    return r, [dict(zip(c, x)) for x in r['thermo']]
def tap(ok, msg):
    print('%sok - %s' % ('' if ok else 'not ', msg))

# (1) iso
r, rows = load('iso')
h = [x for x in rows if x['time_fs'] >= rows[-1]['time_fs'] / 2]
a = [x['lx_A'] / 4 for x in h]
am, asd = st.mean(a), st.pstdev(a)
pm, tm = st.mean(x['press_atm'] for x in h), st.mean(x['temp_K'] for x in h)
tap(abs(am - A0_300K) <= 0.004 and 6.076 <= am <= 6.12,
    'iso NPT 300 K, 1 atm, 2nd half of 5 ps: <a> = %.4f A (NVT zero-pressure 6.1132 +- 0.004; in 6.076..6.12; static %.4f, expansion %.2f%%)' % (am, A_STATIC, 100 * (am / A_STATIC - 1)))
tap(abs(pm - 1.0) <= 300, 'iso NPT: <P> = %.0f atm (1 +- 300)' % pm)
V = (4 * am) ** 3
sd_th = am / 3 * math.sqrt(kB * 300.0 / (B_300K / NKTV2P * V))
tap(abs(asd / sd_th - 1) <= 0.3, 'iso NPT: std(a) = %.5f A vs %.5f A from kT/(B V) with B = 42 GPa (ratio %.2f, 1 +- 0.3): isobaric volume fluctuations' % (asd, sd_th, asd / sd_th))
tap(abs(tm - 300) <= 15, 'iso NPT: <T> = %.1f K (300 +- 5%%)' % tm)
n = r['system']['natoms']
e0 = rows[0]['econserve']
dmax = max(abs(x['econserve'] - e0) for x in rows) / (n * kB * 300.0)
drift = r['conservation']['energy_drift_kcal_per_mol_atom_ns']
tap(dmax <= 5e-3 and abs(drift) <= 0.2, 'iso NPT effective energy: max|dE|/(N kB T0) = %.2e (<= 5e-3), drift %.3g kcal/mol/atom/ns (|.| <= 0.2)' % (dmax, drift))

# (2) contraction from a = 6.20 A
r, rows = load('contract')
at = {x['time_fs']: x['lx_A'] / 4 for x in rows}
late = [x['lx_A'] / 4 for x in rows if x['time_fs'] >= rows[-1]['time_fs'] - 800]
lm = st.mean(late)
tap(at[100.0] < 6.18 and at[200.0] < at[100.0] and abs(lm - A0_300K) <= 0.012,
    'from a = 6.20 A (P(t=0) = %.0f atm) the crystal contracts: a(100 fs) = %.4f, a(200 fs) = %.4f, <a> over the last 0.8 ps = %.4f A (6.1132 +- 0.012)' % (rows[0]['press_atm'], at[100.0], at[200.0], lm))

# (4) aniso
r, rows = load('aniso')
h = [x for x in rows if x['time_fs'] >= rows[-1]['time_fs'] / 2]
L = [st.mean(x[k] for x in h) / 4 for k in ('lx_A', 'ly_A', 'lz_A')]
spread = max(L) - min(L)
gm = (L[0] * L[1] * L[2]) ** (1.0 / 3.0)
pm = st.mean(x['press_atm'] for x in h)
tap(spread <= 0.008 and abs(gm - A0_300K) <= 0.005,
    'aniso NPT (langevin), 2nd half of 5 ps: <Lx>/4, <Ly>/4, <Lz>/4 = %.4f %.4f %.4f A (spread %.4f <= 0.008; mean %.4f, 6.1132 +- 0.005)' % (L[0], L[1], L[2], spread, gm))
tap(abs(pm - 1.0) <= 300, 'aniso NPT: <P> = %.0f atm (1 +- 300); <Pxx Pyy Pzz> = %s atm' % (pm, ' '.join('%.0f' % st.mean(x[k] for x in h) for k in ('pxx_atm', 'pyy_atm', 'pzz_atm'))))
EOPY
    tap_pipe < "$WORK/npt.out"
fi

# a malformed barostat line stops the job in the checking phase, naming file:line
printf 'barostat iso 1.0 -5\nrun 0\n' > "$WORK/in.bad"
if run_neckmd 1 1 "$WORK/in.bad" "$WORK/bad.log"; then notok "barostat with PDAMP -5 was accepted"
elif grep -q "in.bad:1: barostat: expected" "$WORK/bad.log"; then ok "barostat with a negative PDAMP: '$(grep -m1 ERROR "$WORK/bad.log" | cut -c1-90)...'"
else notok "barostat with PDAMP -5: unexpected message"; tail -3 "$WORK/bad.log" | sed 's/^/# /'; fi
finish
