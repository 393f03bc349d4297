#!/bin/sh
# Energies, pressure and forces against LAMMPS (29 Sep 2021) on the same data files and
# parameters: every case in tests/ref (bulk, rattled bulk, 3 nm cube, two cubes 6 A apart,
# LJ bulk) with Ewald 1e-10, PPPM 1e-6 and 1e-5, DSF and plain cutoff. Tolerances: 1e-6
# relative energies (the issue's), 1e-5 relative RMS forces. One rank, two threads.
. "$top_srcdir/tests/regress/common.sh"
for case in bulk_4x4x4 bulk_4x4x4_rattled nc_cube_3nm two_nc_gap6 bulk_lj; do
    for method in ewald pppm pppm5 dsf cut; do
        [ -f "$REF/$case/$method.energy" ] || continue
        deck_for "$case" "$method" "$case.$method.f" > "$WORK/in.$case.$method"
        if ! run_neckmd 1 2 "$WORK/in.$case.$method"; then
            notok "$case $method: neckmd failed"; tail -5 "$WORK/run.log" | sed 's/^/# /'; continue
        fi
        shift_arg=
        if [ "$method" = dsf ]; then
            # Fennell-Gezelter self term (neckmd) vs LAMMPS coul/dsf self term: a constant per q^2
            shift_arg="--eshift ecoul=$($PYTHON -c "
import math
a, rc, k = 0.2, 12.0, 332.06371
n = int([l.split()[1] for l in open('$REF/$case/$method.energy') if l.startswith('natoms')][0])
fs = -(math.erfc(a*rc)/rc**2 + 2/math.sqrt(math.pi)*a*math.exp(-a*a*rc*rc)/rc)
print(repr(fs*rc/2 * n*1.29**2 * k))")"
            shift_arg="$shift_arg --eshift pe=${shift_arg#--eshift ecoul=}"
        fi
        $PYTHON "$top_srcdir/tests/regress/compare_ref.py" "$WORK/$case.$method.f" "$REF/$case/$method" "$case $method" $shift_arg > "$WORK/cmp.out" 2>&1
        tap_pipe < "$WORK/cmp.out"
    done
done
finish
