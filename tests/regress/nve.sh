#!/bin/sh
# Energy conservation. The 3 nm PbSe cube (1000 atoms, {100} facets, stays crystalline),
# PPPM 1e-5, velocity Verlet with dt = 2 fs from 300 K, 1000 steps (2 ps), on 2 ranks.
# Bounds (the LAMMPS reference run of the same system, shared/reference/lammps, gave
# max|E(t)-E(0)|/(N kB T0) = 0.0012 and a drift of 0.042 kcal/mol/atom/ns):
#   max |E(t) - E(0)| / (N kB T0) <= 0.005 and |drift| <= 0.2 kcal/mol/atom/ns.
# Then Nose-Hoover NVT at 300 K: the conserved quantity (E + thermostat energy) obeys the
# same bounds, and the mean temperature of the second half is within 10% of 300 K.
. "$top_srcdir/tests/regress/common.sh"
deck_for nc_cube_3nm pppm5 start.f > "$WORK/in.nve"
sed -i 's/pair_modify erfc poly/pair_modify erfc exact/' "$WORK/in.nve"
cat >> "$WORK/in.nve" <<EOD
timestep 2.0
velocity 300.0 4928459
thermo 20
record nve.json
run 1000
integrate nvt 300.0 100.0
record nvt.json
run 1000
EOD
if run_neckmd 2 1 "$WORK/in.nve"; then
    $PYTHON - "$WORK/nve.json" "$WORK/nvt.json" > "$WORK/cmp.out" 2>&1 <<'EOPY'
import json, sys
kB = 0.0019872067
for path, label in ((sys.argv[1], 'NVE'), (sys.argv[2], 'NVT (conserved quantity)')):
    r = json.load(open(path))
    cols = r['thermo_columns']
    rows = r['thermo']
    n = r['system']['natoms']
    ec = cols.index('econserve')
    e0 = rows[0][ec]
    dmax = max(abs(x[ec] - e0) for x in rows) / (n * kB * 300.0)
    drift = r['conservation']['energy_drift_kcal_per_mol_atom_ns']
    ok = dmax <= 0.005 and abs(drift) <= 0.2
    print('%sok - %s 2 ps at 2 fs: max|dE|/(N kB T0) = %.2e (<= 5e-3), drift %.3g kcal/mol/atom/ns (|.| <= 0.2)' % ('' if ok else 'not ', label, dmax, drift))
    if label.startswith('NVT'):
        t = [x[cols.index('temp_K')] for x in rows[len(rows) // 2:]]
        tm = sum(t) / len(t)
        print('%sok - NVT mean temperature over the second ps %.1f K (300 K +- 10%%)' % ('' if abs(tm - 300) <= 30 else 'not ', tm))
    mom = max(abs(p) for p in r['conservation']['momentum_amu_A_per_fs'])
    print('%sok - %s total momentum stays zero: %.2e amu A/fs' % ('' if mom < 1e-6 else 'not ', label, mom))
EOPY
    tap_pipe < "$WORK/cmp.out"
else
    notok "NVE run failed"; tail -5 "$WORK/run.log" | sed 's/^/# /'
fi
finish
