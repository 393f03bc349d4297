#!/bin/sh
# analysis/pmf.py (WHAM and MBAR of umbrella windows, docs/pmf.md) on synthetic windows whose
# PMF is known exactly (tests/regress/pmf_check.py draws every sample by inverse CDF from the
# biased distribution and writes it in the format of neckmd's restraint command):
#  - a double well (minima 8 and 12 A, barrier 9.875 A, 14 windows, K 10 kcal/mol/A^2, 300 K,
#    3000 independent samples each after --skip-ps 1 drops 100 off-window rows): WHAM and MBAR
#    within 0.1 kcal/mol RMS of the binned true PMF, minima and barrier within one bin (0.1 A),
#    barrier height within 3 errors, bootstrap errors of the right size (true error within 3
#    errors in >= 90 % of the bins, RMS true / RMS bootstrap error in 0.5-2); the module
#    interface (from pmf import wham, mbar, read_window) gives the same PMF; --plot;
#  - a 3-D distance, p(r) ~ r^2 exp(-(U + bias)/kT): --jacobian gives U(r), without it
#    U - 2 kT ln r, both within 0.1 kcal/mol RMS (the two differ by 0.26 RMS); --zero-at, --kT;
#  - AR(1)-correlated samples (correlation time 20 samples): block-bootstrap errors between 2.5
#    and 12.6 x the naive (--blocks 0) ones (the square root of the statistical inefficiency is 6.3);
#  - input errors (missing file, no header comment, no K, no distance column, < 10 samples,
#    < 10 after --skip-ps, K in other units, a bad number, --jacobian with dims x, a pulling
#    run, no --temp): exit 2 and one line naming the file and line;
#  - two windows 4 A apart: the poor-overlap warning names both (the double well has none).
# About 7 s of CPU (18 s of wall time on 2 busy cores). PMF_CHECK_SEED=N draws other samples.
. "$top_srcdir/tests/regress/common.sh"
PMF=$top_srcdir/analysis/pmf.py
if ! $PYTHON -c "import numpy" >/dev/null 2>&1; then
    ok "# SKIP numpy not installed (Debian python3-numpy)"
    finish
    exit $?
fi
check "pmf.py is executable (#!/usr/bin/python3) and prints its usage" sh -c "'$PMF' --help | grep -q 'usage: pmf.py'"
$PYTHON "$top_srcdir/tests/regress/pmf_check.py" "$WORK" "$PMF" > "$WORK/checks.out" 2>&1
st=$?
tap_pipe < "$WORK/checks.out"
[ "$st" -eq 0 ] || notok "pmf_check.py stopped before the end (exit $st)"
# a --range that holds no sample: one clear line and exit 2, not a numpy traceback
printf '# neckmd restraint w: groups a b, K 10 kcal/mol/A^2, dims xyz, rate 0 A/fs, E = 0.5 K (d - d0)^2\nstep,time_fs,target_A,distance_A,force_kcal_mol_A,energy_kcal_mol,work_kcal_mol,com1_x_A,com1_y_A,com1_z_A,com2_x_A,com2_y_A,com2_z_A\n' >"$WORK/r.csv"
for k in $(seq 0 40); do echo "$((k * 10)),$((k * 20)),4,4.0$k,0,0,0,0,0,0,4,0,0" >>"$WORK/r.csv"; done
check "a --range without samples: exit 2 and 'no samples inside --range'" sh -c "'$PMF' --temp 300 --range 20 30 -o '$WORK/r.out' '$WORK/r.csv' >'$WORK/r.log' 2>&1; test \$? -eq 2 && grep -q 'no samples inside --range' '$WORK/r.log' && ! grep -q Traceback '$WORK/r.log'"
finish
