#!/bin/sh
# Exact continuation from restart files, for NVE, Nose-Hoover NVT (chain state) and Langevin
# (noise from seed/atom id/step; the interrupted step's forces travel in the file):
#  - A: 20 steps with "restart 10" (rattled PbSe bulk, 512 atoms, dt 2 fs; PPPM 1e-4 for NVE,
#    DSF for the others, to keep the test short) on 2 ranks;
#  - B: the same deck, "killed" after 15 steps (it ran past its step-10 restart and wrote
#    trajectory frames up to step 15);
#  - C: read_restart of B's step-10 file, 10 steps on 2 ranks, appending to B's trajectory.
# Checks: B's step-10 restart file is byte-identical to A's; C's final data file (positions,
#   velocities, image flags, %.17g) is byte-identical to A's (bitwise continuation on the same
#   rank count); C on 1 rank agrees with A to round-off (positions 1e-9 A, velocities 1e-12
#   A/fs: observed ~4e-15 and ~6e-17); the appended trajectory has steps 0..20 once each (the
#   crashed job's frame 15 replaced, not duplicated) and equals A's trajectory bit for bit;
#   no .tmp file is left. Then a continuation with another timestep warns that it is not exact.
. "$top_srcdir/tests/regress/common.sh"
export OMP_NUM_THREADS=1
DATA=$REF/bulk_4x4x4_rattled/bulk_4x4x4_rattled.data
cat > "$WORK/cmpdata.py" <<'EOPY'
import sys
def read(p):
    x, v, sec = {}, {}, None
    for line in open(p):
        w = line.split('#')[0].split()
        if not w:
            continue
        if w[0] in ('Atoms', 'Velocities', 'Masses'):
            sec = w[0]
            continue
        if sec == 'Atoms' and len(w) == 10:
            x[int(w[0])] = [float(t) for t in w[4:7]] + [int(t) for t in w[7:10]]
        elif sec == 'Velocities' and len(w) == 4:
            v[int(w[0])] = [float(t) for t in w[1:4]]
    return x, v
(xa, va), (xb, vb) = read(sys.argv[1]), read(sys.argv[2])
L = float(sys.argv[3])
dx = max(abs((xa[i][d] + xa[i][3 + d] * L) - (xb[i][d] + xb[i][3 + d] * L)) for i in xa for d in range(3))
dv = max(abs(va[i][d] - vb[i][d]) for i in va for d in range(3))
ok = len(xa) == len(xb) == len(va) == len(vb) == 512 and dx < 1e-9 and dv < 1e-12
print('%sok - %s: max |dx| %.2e A (< 1e-9), max |dv| %.2e A/fs (< 1e-12)' % ('' if ok else 'not ', sys.argv[4], dx, dv))
EOPY
cat > "$WORK/cmptraj.py" <<'EOPY'
import sys, netCDF4, numpy as np
a, b = netCDF4.Dataset(sys.argv[1]), netCDF4.Dataset(sys.argv[2])
sa, sb = list(a['step'][:]), list(b['step'][:])
ok = sb == [5.0 * k for k in range(5)] and sa == sb
print('%sok - %s: appended trajectory steps %s (0..20 by 5, once each)' % ('' if ok else 'not ', sys.argv[3], ' '.join('%g' % s for s in sb)))
if len(sa) == len(sb):
    same = all(np.array_equal(a[v][:], b[v][:]) for v in ('coordinates', 'velocities', 'time', 'cell_lengths'))
else:
    same = False
print('%sok - %s: appended trajectory equals the uninterrupted one bit for bit' % ('' if same else 'not ', sys.argv[3]))
EOPY
for integ in "nve" "nvt 600.0 100.0" "langevin 600.0 100.0 99"; do
    tag=${integ%% *}
    coul="coulomb pppm 1e-4"
    [ "$tag" = nve ] || coul="coulomb dsf 0.25"
    settings="forcefield $POT/pbse_buck_surrogate.ff
pair_cutoff 8.0
$coul
timestep 2.0
integrate $integ
thermo 10"
    printf '%s\n' "read_data $DATA" "$settings" "velocity 600.0 777" "restart 10 $tag.A.*.rst" "trajectory 5 $tag.A.nc velocities" "run 20" "write_data $tag.A.data" > "$WORK/in.$tag.A"
    printf '%s\n' "read_data $DATA" "$settings" "velocity 600.0 777" "restart 10 $tag.B.*.rst" "trajectory 5 $tag.B.nc velocities" "run 15" > "$WORK/in.$tag.B"
    printf '%s\n' "read_restart $tag.B.10.rst" "$settings" "restart 10 $tag.C.*.rst" "trajectory 5 $tag.B.nc velocities" "run 10" "write_data $tag.C.data" > "$WORK/in.$tag.C"
    printf '%s\n' "read_restart $tag.B.10.rst" "$settings" "restart 10 $tag.C1.*.rst" "run 10" "write_data $tag.C1.data" > "$WORK/in.$tag.C1"
    failed=0
    for run in A:2 B:2 C:2 C1:1; do
        name=${run%%:*}
        np=${run##*:}
        if ! run_neckmd "$np" 1 "$WORK/in.$tag.$name" "$WORK/$tag.$name.log"; then
            notok "$tag: run $name on $np rank(s) failed"; tail -5 "$WORK/$tag.$name.log" | sed 's/^/# /'; failed=1; break
        fi
    done
    [ $failed = 1 ] && continue
    check "$tag: the step-10 restart of the 15-step run is byte-identical to the 20-step run's" cmp "$WORK/$tag.A.10.rst" "$WORK/$tag.B.10.rst"
    check "$tag: 10 steps + restart + 10 steps = 20 steps, bitwise (data files identical, 2 ranks)" cmp "$WORK/$tag.A.data" "$WORK/$tag.C.data"
    $PYTHON "$WORK/cmpdata.py" "$WORK/$tag.A.data" "$WORK/$tag.C1.data" 24.48 "$tag: continued on 1 rank vs 20 steps on 2 ranks" > "$WORK/cmp.out" 2>&1
    tap_pipe < "$WORK/cmp.out"
    $PYTHON "$WORK/cmptraj.py" "$WORK/$tag.A.nc" "$WORK/$tag.B.nc" "$tag" > "$WORK/cmp.out" 2>&1
    tap_pipe < "$WORK/cmp.out"
    if grep -q "langevin" "$WORK/in.$tag.A"; then
        check "$tag: the restart carries the interrupted step's forces" grep -q "^# F 512 " "$WORK/$tag.B.10.rst"
    fi
done
if ls "$WORK"/*.tmp >/dev/null 2>&1; then notok "a .tmp file was left behind: $(ls "$WORK"/*.tmp)"; else ok "no .tmp file left behind"; fi
# a continuation under other settings is a new run: say so
printf '%s\n' "read_restart nve.B.10.rst" "forcefield $POT/pbse_buck_surrogate.ff" "pair_cutoff 8.0" "coulomb pppm 1e-4" "timestep 1.0" "run 0" > "$WORK/in.other"
if run_neckmd 1 1 "$WORK/in.other" "$WORK/other.log" && grep -q "WARNING: the settings differ from those of the run that wrote the restart" "$WORK/other.log"; then
    ok "a continuation with another timestep warns that it is not exact"
else
    notok "no warning for a continuation with another timestep"; tail -5 "$WORK/other.log" | sed 's/^/# /'
fi
finish
