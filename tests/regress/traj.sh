#!/bin/sh
# AMBER netCDF trajectories, read by the tools users have:
#  - a 20-step run on 2 ranks (rattled PbSe bulk, 512 atoms, 2 fs) writes a frame every 5
#    steps with velocities and forces, gathered in chunks of 100 atoms (so the chunked path is
#    used), then write_data and write_forces of the last step;
#  - the file is 64-bit-offset (CDF-2) with Conventions "AMBER", ConventionVersion "1.0";
#  - MDAnalysis (/usr/bin/python3, the data file as topology, atom_style 'id resid type charge
#    x y z') reads 5 frames, times 0, 0.01, .., 0.04 ps, the box, and last-frame positions equal
#    to write_data's (float precision: 1e-5 relative); velocities (A/ps, scale_factor applied)
#    equal 1000 x write_data's A/fs; forces (kcal/mol/A) equal write_forces' (netCDF4, raw);
#    skipped only if MDAnalysis is not installed;
#  - "unwrapped" coordinates equal x + image x L of the data file;
#  - crash safety: a long run on 1 rank writing a frame every 2 steps (and a restart every 10)
#    is killed with SIGKILL after ~2 s; netCDF4 reads every frame of the file (>= 1), each
#    complete (finite, inside the box, time = step x dt), and the restart file left in place is
#    complete and continues (read_restart + run 0).
. "$top_srcdir/tests/regress/common.sh"
export OMP_NUM_THREADS=1
DATA=$REF/bulk_4x4x4_rattled/bulk_4x4x4_rattled.data
head_lines() {
    printf '%s\n' "read_data $DATA" "forcefield $POT/pbse_buck_surrogate.ff" "pair_cutoff 8.0" "coulomb dsf 0.25" \
        "timestep 2.0" "velocity 900.0 4242" "thermo 10"
}
{ head_lines; printf '%s\n' "trajectory 5 t.nc velocities forces chunk 100" "run 20" "write_data t.data" "write_forces t.forces" \
    "trajectory 5 u.nc unwrapped" "run 0"; } > "$WORK/in.traj"
if ! run_neckmd 2 1 "$WORK/in.traj"; then
    notok "trajectory run failed"; tail -5 "$WORK/run.log" | sed 's/^/# /'
else
    check "t.nc is a 64-bit-offset (CDF-2) netCDF file" sh -c "head -c 4 '$WORK/t.nc' | od -An -c | grep -q 'C   D   F 002'"
    $PYTHON - "$WORK" > "$WORK/nc.out" 2>&1 <<'EOPY'
import sys, numpy as np, netCDF4
w = sys.argv[1]
nc = netCDF4.Dataset(w + '/t.nc')
ok = nc.Conventions == 'AMBER' and nc.ConventionVersion == '1.0' and nc.program == 'neckmd' and nc.file_format == 'NETCDF3_64BIT_OFFSET'
print('%sok - global attributes: Conventions %s, ConventionVersion %s, program %s, %s' % ('' if ok else 'not ', nc.Conventions, nc.ConventionVersion, nc.program, nc.file_format))
ok = nc['time'].units == 'picosecond' and nc['coordinates'].units == 'angstrom' and nc['cell_angles'].units == 'degree' and nc['velocities'].units == 'angstrom/picosecond' and nc['forces'].units == 'kilocalorie/mole/angstrom'
print('%sok - units: time %s, coordinates %s, velocities %s, forces %s, cell_angles %s' % ('' if ok else 'not ', nc['time'].units, nc['coordinates'].units, nc['velocities'].units, nc['forces'].units, nc['cell_angles'].units))
f = {}
for line in open(w + '/t.forces'):
    if not line.startswith('#'):
        t = line.split()
        f[int(t[0])] = [float(x) for x in t[1:]]
ref = np.array([f[i] for i in range(1, 513)])
got = np.array(nc['forces'][-1], dtype=float)
err = np.abs(got - ref).max() / np.abs(ref).max()
print('%sok - last-frame forces equal write_forces (kcal/mol/A): max error %.1e relative (float: < 1e-6)' % ('' if err < 1e-6 else 'not ', err))
types = list(nc['atom_types'][:])
print('%sok - atom_types per atom, names "%s"' % ('' if types[:2] == [1, 2] and nc['atom_types'].type_names == 'Pb Se' else 'not ', nc['atom_types'].type_names))
EOPY
    tap_pipe < "$WORK/nc.out"
    if ! $PYTHON -c "import MDAnalysis" >/dev/null 2>&1; then
        ok "# SKIP MDAnalysis is not installed (Debian python3-mdanalysis)"
    else
        PYTHONWARNINGS=ignore $PYTHON - "$WORK" > "$WORK/mda.out" 2>&1 <<'EOPY'
import sys, warnings
import numpy as np
warnings.simplefilter('ignore')
import MDAnalysis as mda
w = sys.argv[1]
style = 'id resid type charge x y z'
u = mda.Universe(w + '/t.data', w + '/t.nc', format='NCDF', topology_format='DATA', atom_style=style)
times = [ts.time for ts in u.trajectory]
ok = u.trajectory.n_frames == 5 and np.allclose(times, [0.0, 0.01, 0.02, 0.03, 0.04], atol=1e-6)
print('%sok - MDAnalysis reads %d frames, times %s ps (5 frames, step x 2 fs)' % ('' if ok else 'not ', u.trajectory.n_frames, ' '.join('%.3g' % t for t in times)))
ts = u.trajectory[-1]
x, v = {}, {}
sec = None
for line in open(w + '/t.data'):
    t = line.split('#')[0].split()
    if not t:
        continue
    if t[0] in ('Atoms', 'Velocities', 'Masses'):
        sec = t[0]
        continue
    if sec == 'Atoms' and len(t) == 10:
        x[int(t[0])] = [float(c) for c in t[4:7]] + [int(c) for c in t[7:10]]
    elif sec == 'Velocities':
        v[int(t[0])] = [float(c) for c in t[1:4]]
X = np.array([x[i][:3] for i in range(1, 513)])
V = np.array([v[i] for i in range(1, 513)]) * 1000.0
ex = np.abs(ts.positions - X).max() / 24.48
print('%sok - last-frame positions equal write_data: max error %.1e of the box (float: < 1e-6)' % ('' if ex < 1e-6 else 'not ', ex))
ev = np.abs(ts.velocities - V).max() / np.abs(V).max()
print('%sok - velocities in A/ps equal 1000 x write_data A/fs: max error %.1e relative (< 1e-5)' % ('' if ev < 1e-5 else 'not ', ev))
ok = np.allclose(ts.dimensions, [24.48, 24.48, 24.48, 90, 90, 90])
print('%sok - box %s' % ('' if ok else 'not ', ts.dimensions))
uu = mda.Universe(w + '/t.data', w + '/u.nc', format='NCDF', topology_format='DATA', atom_style=style)
XU = np.array([[x[i][d] + x[i][3 + d] * 24.48 for d in range(3)] for i in range(1, 513)])
eu = np.abs(uu.trajectory[-1].positions - XU).max()
moved = sum(1 for i in x if any(x[i][3:]))
print('%sok - unwrapped coordinates equal x + image x L (%d atoms with nonzero images): max error %.1e A' % ('' if eu < 1e-4 else 'not ', moved, eu))
EOPY
        tap_pipe < "$WORK/mda.out"
    fi
fi

# ---- kill -9 during a run ----
{ head_lines; printf '%s\n' "trajectory 2 k.nc" "restart 10 k.rst" "run 1000000"; } > "$WORK/in.kill"
(cd "$WORK" && exec "$NECKMD" run in.kill > kill.log 2>&1) &
pid=$!
sleep 2.5
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
$PYTHON - "$WORK/k.nc" > "$WORK/kill.out" 2>&1 <<'EOPY'
import sys, numpy as np, netCDF4
nc = netCDF4.Dataset(sys.argv[1])
n = len(nc['time'])
step = np.array(nc['step'][:])
t = np.array(nc['time'][:])
ok = n >= 1 and np.array_equal(step, 2.0 * np.arange(n)) and np.allclose(t, step * 0.002, rtol=1e-6)
print('%sok - after kill -9: %d frames read back, steps 0..%g by 2, time = step x dt' % ('' if ok else 'not ', n, step[-1] if n else -1))
x = np.array(nc['coordinates'][:], dtype=float)
ok = n >= 1 and np.isfinite(x).all() and x.min() >= 0.0 and x.max() <= 24.48 and np.abs(x[-1]).max() > 0
print('%sok - every frame is complete: finite coordinates inside the box, last frame not empty' % ('' if ok else 'not '))
EOPY
tap_pipe < "$WORK/kill.out"
if [ -f "$WORK/k.rst" ]; then
    nv=$(sed -n '/^Velocities/,$p' "$WORK/k.rst" | grep -c '^[0-9]')
    if [ "$nv" -eq 512 ]; then ok "the restart file left by the killed job is complete (512 velocities)"; else notok "the restart file left by the killed job has $nv of 512 velocities"; fi
    printf '%s\n' "read_restart k.rst" "forcefield $POT/pbse_buck_surrogate.ff" "pair_cutoff 8.0" "coulomb dsf 0.25" "log none" "run 0" > "$WORK/in.cont"
    if run_neckmd 1 1 "$WORK/in.cont" "$WORK/cont.log"; then ok "the killed job continues from its restart file"; else notok "read_restart of the killed job's restart failed"; tail -3 "$WORK/cont.log" | sed 's/^/# /'; fi
else
    notok "the killed job left no restart file (it ran $(grep -c '^ *[0-9]' "$WORK/kill.log") thermo rows)"
fi
finish
