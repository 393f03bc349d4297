#!/bin/sh
# run.sh - study 4 of issue 7: do two misaligned PbSe NCs in ethylene glycol rotate into alignment?
# Builds a pair misaligned by DEG about the pair axis (neckmd build --pair --misalign), minimises,
# runs NVT at 300 K with a trajectory, then neckmd analyze (misalignment, dipoles, gap per frame)
# and analyse.py (results.csv, summary.json, alignment.png).
#
# usage: run.sh [--tiny|--small|--full] [-o OUTDIR] [--np N] [--force]
#   --small (default)  two 8-layer bare cubes (512 atoms each) in EG, 15 deg, 5050 atoms, 10 ps
#   --tiny             two 6-layer bare cubes in a thin EG shell, 2232 atoms, 40 steps (the test)
#   --full             two 20-layer oleate-capped NCs (0.5 / 3.0 per nm^2) in EG, ~168k atoms, 1 ns
# Environment: NECKMD (default <repo>/build/src/neckmd), PYTHON (/usr/bin/python3), MPIRUN (mpirun).
set -e
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../study_common.sh"
size=small out="" np=1 force=0
while [ $# -gt 0 ]; do
    case $1 in
        --tiny) size=tiny ;;
        --small) size=small ;;
        --full) size=full ;;
        -o) out=$2; shift ;;
        --np) np=$2; shift ;;
        --force) force=1 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done
out=${out:-./out-alignment-$size}
study_outdir "$out" $force run.sh

MIS=15
case $size in
    tiny)  BUILD="--layers 6 --shape cube --strip all --solvent eg --pad 5"; MIN="1e-6 1e-3 20 200"; STEPS=40; TRAJ=20 ;;
    small) BUILD="--layers 8 --shape cube --strip all --solvent eg --pad 6"; MIN="1e-6 1e-3 500 5000"; STEPS=5000; TRAJ=100 ;;
    full)  BUILD="--layers 20 --oleate-100 0.5 --oleate-111 3.0 --solvent eg"; MIN="1e-6 1e-3 2000 20000"; STEPS=500000; TRAJ=500 ;;
esac

cd "$out"
echo "== build: neckmd build --pair --gap 9.18 --misalign $MIS $BUILD -o pair"
"$NECKMD" build --pair --gap 9.18 --misalign $MIS $BUILD --temp 300 --seed 7 -o pair >build.out
tail -n 4 build.out
# the builder's deck, with this study's minimisation, run length and output intervals
sed -e "s/^thermo .*/thermo        $TRAJ pair.thermo.csv/" \
    -e "s/^trajectory .*/trajectory    $TRAJ pair.nc/" \
    -e "s/^restart .*/restart       $((STEPS / 2)) pair.rst/" \
    -e "s/^run .*/run           $STEPS/" \
    -e "s|^minimize .*|trajectory    1 built.nc\nrun           0\ntrajectory    off\nminimize      $MIN|" pair.in >run.in
t0=$(date +%s)
echo "== run: $STEPS steps of 2 fs at 300 K (NVT), trajectory every $TRAJ steps, $np rank(s)"
if [ "$np" -gt 1 ]; then
    OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} $MPIRUN -np "$np" "$NECKMD" run run.in >run.out 2>&1
else
    OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} "$NECKMD" run run.in >run.out 2>&1
fi
t1=$(date +%s)
echo "$((t1 - t0))" >wall_s.txt
grep -E "^Performance" run.out | tail -n 1 || true
echo "== analyze (a warning that the Pb-Se bonds deviate from <100> means an NC is not crystalline)"
"$NECKMD" analyze built.nc pair.data --ncid pair.ncid --quiet -o built.csv >analyze_built.out
"$NECKMD" analyze pair.nc pair.data --ncid pair.ncid --quiet -o ana.csv >analyze.out
"$PYTHON" "$here/analyse.py" ana.csv --built $MIS --built-csv built.csv --wall "$((t1 - t0))" --natoms "$(awk '/ atoms$/{print $1; exit}' pair.data)" \
    --size $size -o .
echo "== outputs in $out: results.csv summary.json alignment.png (ana.csv, built.csv: every analyze column of the run and of the as-built frame)"
