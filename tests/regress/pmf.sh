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
finish
