#!/bin/sh
# run.sh - study 6 of issue 7: a hexagonal monolayer of 7 oleate-capped PbSe NCs in ethylene glycol;
# do the superlattice angles leave 60/120 deg (towards the paper's square superlattice, 90 deg)?
# Builds the monolayer (neckmd build --monolayer 7 --spacing S --solvent eg), minimises, runs NVT at
# 300 K with a trajectory, then neckmd analyze (superlattice angles, gaps, NC centres per frame) and
# analyse.py (results.csv, summary.json, superlattice.png).
#
# usage: run.sh [--tiny|--small|--full] [-o OUTDIR] [--np N] [--bench] [--force]
#   --small (default)  7 six-layer NCs (1.8 nm), S = 37.4 A, in EG: 59,713 atoms, 100 steps (0.2 ps)
#   --tiny             7 eight-layer NCs, S = 43.5 A, no solvent: 7,721 atoms, 20 steps (the test)
#   --full             7 twenty-layer NCs (6.1 nm, the paper's), S = 80 A, in EG: 525,360 atoms, 1 ns
#   --bench            instead of the study: build, 40 CG iterations, then `run 5` and `run 5` again, and write throughput.json (atom-steps/s per core)
# S = N a/2 + 19 A: the NC's <100> width plus a 1.9 nm surface-to-surface distance, an interdigitated
# oleate shell (README). Environment: NECKMD (default <repo>/build/src/neckmd), PYTHON, MPIRUN.
set -e
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../study_common.sh"
size=small out="" np=1 force=0 bench=0
while [ $# -gt 0 ]; do
    case $1 in
        --tiny) size=tiny ;;
        --small) size=small ;;
        --full) size=full ;;
        -o) out=$2; shift ;;
        --np) np=$2; shift ;;
        --bench) bench=1 ;;
        --force) force=1 ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done
tag=$size
[ $bench -eq 1 ] && tag=$size-bench
out=${out:-./out-superlattice-$tag}
study_outdir "$out" $force run.sh

case $size in
    tiny)  BUILD="--layers 8 --spacing 43.48 --solvent none"; MIN="1e-6 1e-3 10 100"; STEPS=20; TRAJ=10 ;;
    small) BUILD="--layers 6 --spacing 37.36 --solvent eg --pad 6"; MIN="1e-6 1e-3 30 300"; STEPS=100; TRAJ=25 ;;
    full)  BUILD="--layers 20 --spacing 80 --solvent eg"; MIN="1e-6 1e-3 2000 20000"; STEPS=500000; TRAJ=5000 ;;
esac

runit() { # deck log
    if [ "$np" -gt 1 ]; then
        OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} $MPIRUN -np "$np" "$NECKMD" run "$1" >"$2" 2>&1
    else
        OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} "$NECKMD" run "$1" >"$2" 2>&1
    fi
}

cd "$out"
echo "== build: neckmd build --monolayer 7 $BUILD -o mono"
tb0=$(date +%s)
"$NECKMD" build --monolayer 7 $BUILD --temp 300 --seed 3 -o mono >build.out
tb1=$(date +%s)
tail -n 4 build.out
natoms=$(awk '/ atoms$/{print $1; exit}' mono.data)
if [ $bench -eq 1 ]; then
    # throughput: the builder's deck with a short minimisation (40 CG iterations, at most 60 force
    # evaluations: enough to remove the build's hot contacts, which otherwise heat the system to
    # 2500 K in 10 steps and make SHAKE dominate); the first `run 5` includes the set-up
    # (neighbour lists, PPPM), the second is the steady-state number reported
    sed -e "s/^minimize .*/minimize      0 0 40 60/" -e "/^trajectory /d" -e "/^restart /d" -e "/^write_data /d" \
        -e "s/^thermo .*/thermo        5 bench.thermo.csv/" -e "s/^log .*/log           bench.log/" \
        -e "s/^record .*/record        bench.record.json/" -e "s/^run .*/run           5\nrun           5/" mono.in >bench.in
    t0=$(date +%s)
    runit bench.in bench.out
    t1=$(date +%s)
    grep -E "^Performance|^Loop time" bench.out || true
    "$PYTHON" - "$natoms" "$np" "$((t1 - t0))" "$((tb1 - tb0))" <<'PY'
import json, re, sys
natoms, np_, wall, wbuild = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
perf = [l for l in open("bench.out") if l.startswith("Performance")]
loops = [l for l in open("bench.out") if l.startswith("Loop time")]
rate = float(re.search(r"([0-9.eE+-]+) atom-steps/s", perf[-1]).group(1))
loop = float(re.search(r"Loop time of ([0-9.eE+-]+) s", loops[-1]).group(1))
per_core = rate / np_
steps_per_ns = 1e6 / 2.0  # 2 fs steps
out = {"natoms": natoms, "ranks": np_, "threads_per_rank": 1, "steps_timed": 5, "loop_s": loop,
       "atom_steps_per_s": rate, "atom_steps_per_s_per_core": per_core,
       "wall_s_total_incl_read_and_setup": wall, "build_wall_s": wbuild,
       "projected_core_hours_per_ns": natoms * steps_per_ns / per_core / 3600.0,
       "projected_wall_h_per_ns": {str(n): natoms * steps_per_ns / (per_core * n) / 3600.0 for n in (1, 64, 256, 1024)},
       "note": "after 40 CG iterations; perfect scaling assumed for the projection"}
json.dump(out, open("throughput.json", "w"), indent=1)
print(json.dumps(out, indent=1))
PY
    exit 0
fi
sed -e "s/^thermo .*/thermo        $TRAJ mono.thermo.csv/" \
    -e "s/^trajectory .*/trajectory    $TRAJ mono.nc/" \
    -e "s/^restart .*/restart       $((STEPS / 2)) mono.rst/" \
    -e "s/^run .*/run           $STEPS/" \
    -e "s|^minimize .*|trajectory    1 built.nc\nrun           0\ntrajectory    off\nminimize      $MIN|" mono.in >run.in
t0=$(date +%s)
echo "== run: $STEPS steps of 2 fs at 300 K (NVT), trajectory every $TRAJ steps, $np rank(s)"
runit run.in run.out
t1=$(date +%s)
grep -E "^Performance" run.out | tail -n 1 || true
echo "== analyze"
"$NECKMD" analyze built.nc mono.data --ncid mono.ncid --quiet -o built.csv >analyze_built.out
"$NECKMD" analyze mono.nc mono.data --ncid mono.ncid --quiet -o ana.csv >analyze.out
"$PYTHON" "$here/analyse.py" ana.csv --built-csv built.csv --wall "$((t1 - t0))" --natoms "$natoms" --size $size -o .
echo "== outputs in $out: results.csv summary.json superlattice.png (ana.csv, built.csv: every analyze column of the run and of the as-built frame)"
