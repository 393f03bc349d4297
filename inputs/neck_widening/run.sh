#!/bin/sh
# run.sh - study 5 of issue 7: does a 3x3x2 Pb-Se neck nucleus between two PbSe NCs widen at fixed
# length? Builds a bare pair 9.18 A apart (two empty {200} planes: neckmd build --pair --gap 9.18
# --strip all), fills a 3x3x2 block of those planes with 9 Pb + 9 Se (insert_nucleus.py), writes
# the as-built frame (built.nc), minimises, runs NVT at an elevated temperature with a trajectory,
# then neckmd analyze (neck width, side, length, bridges, filaments per frame) and analyse.py
# (results.csv, summary.json, neck_widening.png; also a crystallinity check of both NCs).
#
# usage: run.sh [--tiny|--small|--full] [-o OUTDIR] [--np N] [--temp T] [--force]
#   --small (default)  two 14-layer bare NCs (1520 + 1520 atoms) + 18 in vacuum, 600 K, 20 ps
#   --tiny             two 12-layer bare NCs + 18 in vacuum, 600 K, 40 steps (the test)
#   --full             two 20-layer bare NCs (the paper's size) + 18 in vacuum (9,218 atoms), 600 K, 1 ns
# Environment: NECKMD (default <repo>/build/src/neckmd), PYTHON (/usr/bin/python3), MPIRUN (mpirun).
set -e
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../study_common.sh"
size=small out="" np=1 force=0 T=600
while [ $# -gt 0 ]; do
    case $1 in
        --tiny) size=tiny ;;
        --small) size=small ;;
        --full) size=full ;;
        -o) out=$2; shift ;;
        --np) np=$2; shift ;;
        --temp) T=$2; shift ;;
        --force) force=1 ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done
out=${out:-./out-neck_widening-$size}
study_outdir "$out" $force run.sh

case $size in
    tiny)  BUILD="--layers 12 --strip all --solvent none --pad 8"; MIN="0 1e-3 20 200"; STEPS=40; TRAJ=20 ;;
    small) BUILD="--layers 14 --strip all --solvent none"; MIN="0 1e-3 300 3000"; STEPS=10000; TRAJ=100 ;;
    full)  BUILD="--layers 20 --strip all --solvent none"; MIN="1e-6 1e-3 2000 20000"; STEPS=500000; TRAJ=500 ;;
esac

cd "$out"
echo "== build: neckmd build --pair --gap 9.18 $BUILD -o pair; insert_nucleus.py (3x3x2)"
"$NECKMD" build --pair --gap 9.18 $BUILD --temp "$T" --seed 5 -o pair >build.out
tail -n 3 build.out
"$PYTHON" "$here/insert_nucleus.py" pair.data pair.ncid nucleus.data nucleus.ncid --nx 3 --ny 3 | tee insert.out
# the builder's deck on the new data file: as-built frame, minimisation, NVT at T
sed -e "s/^read_data .*/read_data     nucleus.data/" \
    -e "s/^log .*/log           run.log/" \
    -e "s/^record .*/record        run.record.json/" \
    -e "s/^thermo .*/thermo        $TRAJ run.thermo.csv/" \
    -e "s/^velocity .*/velocity      $T 11/" \
    -e "s/^integrate .*/integrate     nvt $T 100.0/" \
    -e "s/^trajectory .*nc$/trajectory    $TRAJ run.nc/" \
    -e "s/^restart .*/restart       $((STEPS / 2)) run.rst/" \
    -e "s/^run  .*[0-9]$/run           $STEPS/" \
    -e "s/^write_data .*/write_data    final.data/" \
    -e "s|^minimize .*|trajectory    1 built.nc\nrun           0\ntrajectory    off\nminimize      $MIN|" pair.in >run.in

t0=$(date +%s)
echo "== run: $STEPS steps of 2 fs at $T K (NVT), trajectory every $TRAJ steps, $np rank(s)"
if [ "$np" -gt 1 ]; then
    OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} $MPIRUN -np "$np" "$NECKMD" run run.in >run.out 2>&1
else
    OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} "$NECKMD" run run.in >run.out 2>&1
fi
t1=$(date +%s)
grep -E "^Performance" run.out | tail -n 1 || true
echo "== analyze"
"$NECKMD" analyze built.nc nucleus.data --ncid nucleus.ncid --quiet -o built.csv >analyze_built.out
"$NECKMD" analyze run.nc nucleus.data --ncid nucleus.ncid --quiet -o ana.csv >analyze.out
"$PYTHON" "$here/analyse.py" ana.csv --built built.csv --traj run.nc --ncid nucleus.ncid --temp "$T" \
    --wall "$((t1 - t0))" --natoms "$(awk '/ atoms$/{print $1; exit}' nucleus.data)" --size $size -o .
echo "== outputs in $out: results.csv summary.json neck_widening.png (ana.csv, built.csv: every analyze column)"
