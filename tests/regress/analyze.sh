#!/bin/sh
# `neckmd analyze` on synthetic trajectories with known answers (tests/regress/analyze_gen.py):
#  - gap: two 8^3 rock-salt cubes, one split by the periodic boundary, found by clustering;
#    the facing-plane gap equals the built one (12, 10.5, 9, 7.3456 A) to 0.01 A, centre
#    distance 21.42 A + gap; ligands in the gap: 20 atoms, 4 molecules, mean angle 67.5 deg
#    (the molecule outside the cross-section and the solvent molecule are not counted);
#  - neck: bridges 0, 1, 0, 9, 9 over the frames (a filament that breaks: 1 event); the
#    3x3x2 neck (9 Pb-Se pairs): area 9 x 3.06^2 = 84.27 A^2, width 2 sqrt(A/pi) = 10.36 A,
#    side sqrt(A) = 9.18 A (0.9 nm), length 2 layers, 18 neck atoms, and the gap beside the
#    neck still 9.18 A; clustering, --ncid FILE and the builder's 'id nc role' file with NC
#    id 0 on some Pb/Se atoms give the same CSV;
#  - rotate: misalignment 0, 15, 10 (100 deg about <001> = 10 deg by cubic symmetry), 20 deg
#    within 0.01 deg; with 0.1 A Gaussian noise within 0.3 deg;
#  - dipole: one sublattice shifted by a known vector: p = -1.29 e x 256 x shift (1e-3 e A),
#    in Debye with 1 e A = 4.80320 D (--ncid mol);
#  - superlattice: four NCs from a rhombus (60/120 deg) to a square (90 deg);
#  - a file still being written (record count on disk 2 of 4): the 2 complete frames;
#  - a real neckmd trajectory (two 10^3 cubes at a 6.0 A gap, 40 NVT steps): 2 NCs of 1000,
#    gap 6.000 A at frame 0, aligned, no bridges;
#  - bad input: wrong data file, missing -o, unknown option, no Pb type: a message, no crash;
#  - plots (analysis/plot_analysis.py, compare_runs.py) write PNGs (skipped without matplotlib);
#  - timing: a frame of two 64^3 cubes joined by a neck (524,800 atoms) in < 10 s (docs/analysis.md
#    states the 10^6-atom time).
. "$top_srcdir/tests/regress/common.sh"
export OMP_NUM_THREADS=1
GEN=$top_srcdir/tests/regress/analyze_gen.py
if ! $PYTHON -c "import netCDF4, numpy" >/dev/null 2>&1; then
    ok "# SKIP python3-netcdf4 / numpy not installed (scripts/install-deps.sh)"
    finish
    exit $?
fi
check "synthetic trajectories written" $PYTHON "$GEN" "$WORK"
cd "$WORK" || exit 1
an() { # an NAME ARGS...: analyse NAME.nc with NAME.data into NAME.csv
    local n=$1; shift
    "$NECKMD" analyze "$n.nc" "$n.data" "$@" -o "$n.csv" >"$n.out" 2>"$n.err"
}
check "gap: analysis runs (NCs by clustering)" an gap
check "neck: analysis runs" an neck
check "neck: analysis with --ncid FILE runs" sh -c "'$NECKMD' analyze neck.nc neck.data --ncid neck.ncid -o neck_ncid.csv --quiet >/dev/null"
check "neck: --ncid FILE gives the same CSV as clustering" cmp neck.csv neck_ncid.csv
# the builder's format (id nc role), some Pb/Se atoms with NC id 0: they join the NC they touch
awk 'BEGIN{print "# id nc role"} !/^#/{n=$2; if (NR % 50 == 0) n=0; print $1, n, "core"}' neck.ncid > neck3.ncid
check "neck: --ncid 'id nc role' with NC id 0 on some Pb/Se atoms gives the same CSV" sh -c "'$NECKMD' analyze neck.nc neck.data --ncid neck3.ncid -o neck3.csv > neck3.out 2>&1 && cmp neck.csv neck3.csv && grep -q '20 Pb/Se atoms without an NC id: 20 joined' neck3.out"
check "rotate: analysis runs" an rotate
check "dipole: analysis runs (--ncid mol)" an dipole --ncid mol
check "sl: analysis runs" an sl
check "progress output names the frames (stderr)" grep -q "frame 4/4 (100%)" gap.err
# a trajectory still being written: the on-disk record count (big-endian word at byte 4) says 2
cp gap.nc growing.nc && cp gap.data growing.data
printf '\000\000\000\002' | dd of=growing.nc bs=1 seek=4 conv=notrunc 2>/dev/null
check "file being written: analysis runs" an growing
$PYTHON - "$WORK" > checks.out 2>&1 <<'EOPY'
import csv, math, sys
w = sys.argv[1]
def rows(n):
    return list(csv.DictReader(open('%s/%s.csv' % (w, n))))
def col(r, k):
    return [float(x[k]) for x in r]
def ok(c, msg):
    print('%sok - %s' % ('' if c else 'not ', msg))
def close(a, b, tol):
    return len(a) == len(b) and all(abs(x - y) <= tol for x, y in zip(a, b))
# ---- gap ----
r = rows('gap')
exp = {l.split()[0]: l.split()[1:] for l in open(w + '/gap.expect')}
g, d = col(r, 'gap_1_2_A'), col(r, 'dist_1_2_A')
ok(close(g, [float(x) for x in exp['gaps']], 0.01), 'gap: facing-plane gaps %s A (built: %s, tolerance 0.01)' % (g, exp['gaps']))
ok(close(d, [float(x) for x in exp['dists']], 0.01), 'gap: centre distances %s A = 21.42 + gap' % d)
ok(close(col(r, 'gap_edge_1_2_A'), [x - 3.06 for x in g], 1e-3), 'gap: gap_edge = gap - d200')
ok(abs(col(r, 'nc1_x_A')[0] - 1.0) < 1e-3, 'gap: NC 1, split by the periodic boundary, has its centre at x = %s (built 1.0)' % r[0]['nc1_x_A'])
la, lm, lg = col(r, 'lig_atoms_1_2'), col(r, 'lig_mols_1_2'), col(r, 'lig_angle_1_2_deg')
ok(la == [20] * 4 and lm == [4] * 4 and close(lg, [67.5] * 4, 0.01), 'gap: ligands in the gap: %d atoms, %d molecules, mean angle %.2f deg (20, 4, 67.5)' % (la[0], lm[0], lg[0]))
ok(max(col(r, 'misalign_1_2_deg')) < 1e-3 and max(col(r, 'nc1_p_D') + col(r, 'nc2_p_D')) < 1e-3 and max(col(r, 'bridges_1_2')) == 0,
   'gap: aligned, no dipole (even cubes), no bridges')
# ---- neck ----
r = rows('neck')
b, fil = col(r, 'bridges_1_2'), col(r, 'filaments_1_2')
ok(b == [0, 1, 0, 9, 9], 'neck: bridges per frame %s (0 1 0 9 9)' % b)
ok(fil == [0, 0, 1, 1, 1], 'neck: filament events %s (the bridge of frame 1 broke at frame 2)' % fil)
a, wd, sd = col(r, 'neck_area_1_2_A2')[3], col(r, 'neck_width_1_2_A')[3], col(r, 'neck_side_1_2_A')[3]
ok(abs(a - 9 * 3.06 ** 2) < 0.01 and abs(wd - 2 * math.sqrt(9 * 3.06 ** 2 / math.pi)) < 0.01 and abs(sd - 9.18) < 0.01,
   'neck: 3x3x2 neck area %.3f A^2 (84.272), width %.3f A (10.358), side %.3f A (9.18 = 0.9 nm)' % (a, wd, sd))
ok(col(r, 'neck_len_1_2_layers')[3:] == [2.0, 2.0] and col(r, 'neck_atoms_1_2')[3] == 18, 'neck: length %s layers (2), %d neck atoms (18)' % (r[3]['neck_len_1_2_layers'], col(r, 'neck_atoms_1_2')[3]))
ok(close(col(r, 'gap_1_2_A'), [9.18] * 5, 0.01), 'neck: gap beside the neck stays 9.18 A (%s)' % col(r, 'gap_1_2_A'))
ok(abs(col(r, 'neck_area_1_2_A2')[1] - 3.06 ** 2) < 0.01, 'neck: a single Pb-Se filament has the face of one column, %s A^2' % r[1]['neck_area_1_2_A2'])
# ---- rotate ----
r = rows('rotate')
m, rot = col(r, 'misalign_1_2_deg'), col(r, 'nc2_rot_deg')
ok(close(m[:4], [0, 15, 10, 20], 0.01), 'rotate: misalignment %s deg (0, 15, 10, 20)' % m[:4])
ok(abs(m[4] - 20) < 0.3 and close(rot[:4], [0, 15, 10, 20], 0.01), 'rotate: with 0.1 A noise %.3f deg; NC 2 rotation since frame 0 %s' % (m[4], rot[:4]))
# ---- dipole ----
r = rows('dipole')
exp = [[float(x) for x in l.split()[1:]] for l in open(w + '/dipole.expect')]
p = [[float(x['nc1_p%s_eA' % c]) for c in 'xyz'] for x in r]
ok(all(close(pi, ei, 1e-3) for pi, ei in zip(p, exp)), 'dipole: p of NC 1 %s e A (expected %s)' % (p, exp))
pd = col(r, 'nc1_p_D')[1]
ok(abs(pd - 33.024 * 4.80320471) < 0.01 and max(col(r, 'nc2_p_D')) < 1e-3, 'dipole: |p| = %.3f D (33.024 e A x 4.80320 D/(e A) = 158.621 D); NC 2 none' % pd)
# ---- superlattice ----
r = rows('sl')
quad = ['angle_2_1_3_deg', 'angle_1_2_4_deg', 'angle_1_3_4_deg', 'angle_2_4_3_deg']
ok(all(k in r[0] for k in quad) and close([float(r[0][k]) for k in quad], [60, 120, 120, 60], 0.01) and
   close([float(r[-1][k]) for k in quad], [90] * 4, 0.01), 'superlattice: rhombus angles %s -> %s deg' % ([r[0][k] for k in quad], [r[-1][k] for k in quad]))
ok(len(r[0]) == 2 + 4 * 8 + 5 * 15 + 8, 'superlattice: 4 NCs, 5 neighbour pairs, 8 angles in the header')
# ---- growing file ----
ok(len(rows('growing')) == 2, 'file being written: the %d complete frames on disk are analysed' % len(rows('growing')))
EOPY
tap_pipe < checks.out
# ---- a real trajectory written by neckmd ----
cat > in.traj <<EOF
read_data $REF/two_nc_gap6/two_nc_gap6.data
forcefield $POT/pbse_buck_surrogate.ff
pair_cutoff 9.0
coulomb dsf 0.25
timestep 2.0
velocity 300.0 4242
integrate nvt 300.0 100.0
thermo 10
trajectory 10 t.nc
run 40
EOF
if ! run_neckmd 1 1 "$WORK/in.traj"; then
    notok "neckmd run writing a trajectory failed"; tail -5 "$WORK/run.log" | sed 's/^/# /'
else
    check "neckmd trajectory: analysis runs" sh -c "'$NECKMD' analyze t.nc '$REF/two_nc_gap6/two_nc_gap6.data' -o t.csv --quiet > t.out"
    check "neckmd trajectory: 2 NCs found by clustering" grep -q "5 frames, 2000 atoms, 2 NCs, 1 pairs" t.out
    $PYTHON - "$WORK" > t.checks 2>&1 <<'EOPY'
import csv, sys
r = list(csv.DictReader(open(sys.argv[1] + '/t.csv')))
g = [float(x['gap_1_2_A']) for x in r]
m = [float(x['misalign_1_2_deg']) for x in r]
b = [int(x['bridges_1_2']) for x in r]
print('%sok - neckmd trajectory: gap %.4f A at frame 0 (built 6.0), %.3f A after 80 fs' % ('' if abs(g[0] - 6.0) < 0.01 and abs(g[-1] - 6.0) < 0.5 else 'not ', g[0], g[-1]))
print('%sok - neckmd trajectory: misalignment below 1 deg (%.3f), no bridges' % ('' if max(m) < 1 and max(b) == 0 else 'not ', max(m)))
EOPY
    tap_pipe < t.checks
fi
# ---- bad input ----
"$NECKMD" analyze gap.nc neck.data -o x.csv > bad1.out 2>&1; st=$?
check "wrong data file: exit 1 and 'not the data file of this trajectory'" sh -c "[ $st -eq 1 ] && grep -q 'not the data file of this trajectory' bad1.out"
"$NECKMD" analyze gap.nc gap.data > bad2.out 2>&1; st=$?
check "no -o: usage, exit 2" sh -c "[ $st -eq 2 ] && grep -q 'usage: neckmd analyze' bad2.out"
"$NECKMD" analyze gap.nc gap.data -o x.csv --cpa 2 > bad3.out 2>&1; st=$?
check "unknown option: exit 1, named" sh -c "[ $st -eq 1 ] && grep -q \"unknown option '--cpa'\" bad3.out"
"$NECKMD" analyze gap.nc gap.data -o x.csv --nc-types Cd,Se > bad4.out 2>&1; st=$?
check "no type named Cd: exit 1, the types listed" sh -c "[ $st -eq 1 ] && grep -q \"no atom type named 'Cd' (types: Pb Se OL_C\" bad4.out"
# ---- plots ----
if ! $PYTHON -c "import matplotlib" >/dev/null 2>&1; then
    ok "# SKIP matplotlib is not installed (Debian python3-matplotlib)"
else
    check "plot_analysis.py writes the gap, neck, misalignment and angle PNGs" sh -c "$PYTHON '$top_srcdir/analysis/plot_analysis.py' sl.csv -o sl >/dev/null && $PYTHON '$top_srcdir/analysis/plot_analysis.py' neck.csv >/dev/null && test -s sl_angles.png && test -s neck_gap.png && test -s neck_neck.png && test -s neck_misalign.png"
    check "compare_runs.py writes a side-by-side PNG" sh -c "$PYTHON '$top_srcdir/analysis/compare_runs.py' gap.csv neck.csv --labels EG EDA -o cmp.png >/dev/null && test -s cmp.png"
fi
# ---- timing ----
if $PYTHON "$GEN" "$WORK" big 64 >/dev/null 2>&1; then
    t0=$(date +%s.%N)
    "$NECKMD" analyze big.nc big.data --ncid mol -o big.csv --quiet > big.out 2>&1
    t1=$(date +%s.%N)
    el=$(echo "$t1 $t0" | awk '{printf "%.2f", $1 - $2}')
    check "timing: 524,800 atoms, neck of 256 bridges found, analysed in ${el} s (< 10 s)" sh -c "grep -q '256 bridges' big.out && awk 'BEGIN{exit !($el < 10)}'"
    sed 's/^/# /' big.out
else
    notok "big case not generated"
fi
finish
