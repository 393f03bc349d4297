#!/bin/sh
# pmf_vacuum.sh - ligand-only complement of study 3 of issue 7 (approach and arrest, EG vs EDA):
# the potential of mean force between two small oleate-capped PbSe NCs in VACUUM versus the gap,
# as a function of the oleate coverage of the {100} facets (no solvent: windows of ~10 ps are
# affordable; much closer to converged than the solvated windows of run.sh, not fully: README).
#
# Usage: pmf_vacuum.sh [--tiny|--small] [-o OUTDIR] [--cov "0 0.5 2 strip"] [--reverse] [--reuse] [--force]
#   --small (default): 6-layer truncated octahedra (--d111 9L), {111} oleate 3.0 nm^-2, {100}
#           coverage per --cov (a number in nm^-2, or "strip" = --strip all, the EDA-like bare pair);
#           17 umbrella windows G = 15 ... 5.4 A (0.6 A apart), K = 10 kcal/mol/A^2, 10 ps each
#           (2 discarded), Langevin 300 K with damping 2 ps on every atom (README: why these).
#   --tiny: the same 6-layer pair at {100} 0.5, 2 windows x 100 steps (what the test runs).
#   --cov LIST: systems to run (default "0 0.5 2 strip"; "1" too if there is time).
#   --reverse: after the approach, the same windows in reverse order (separation; files rNN.csv,
#           pmf_rev.*): hysteresis = how far the 10 ps windows are from equilibrium.
#   --reuse: keep a system's finished approach (final.data) in OUTDIR and only do what is missing
#           (e.g. add --reverse later); implies --force.
#   -o OUTDIR: default ./out-approach_eg_eda-vacuum-SIZE; a non-empty OUTDIR is refused unless --force.
# Per system OUTDIR/SYS/ (SYS = c0, c0.5, ..., strip): the build (pC.*), run.in/run.log, wNN.csv
# (restraint CSV of window NN), traj.nc and traj.analyze.csv (neckmd analyze), pmf.csv/pmf.png/
# pmf.out (analysis/pmf.py); OUTDIR/summary_vacuum.json, pmf_vacuum.csv, pmf_vacuum.png (pmf_vacuum.py).
# Binary: $NECKMD (default <repo>/build/src/neckmd); Python: $PYTHON (default /usr/bin/python3).
set -e
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../study_common.sh"
top=$repo PY=$PYTHON
size=small; out=; force=0; rev=0; reuse=0; cov="0 0.5 2 strip"
while [ $# -gt 0 ]; do
    case "$1" in
    --tiny) size=tiny ;;
    --small) size=small ;;
    -o) out=$2; shift ;;
    --cov) cov=$2; shift ;;
    --force) force=1 ;;
    --reverse) rev=1 ;;
    --reuse) reuse=1; force=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "pmf_vacuum.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done
[ -x "$NECKMD" ] || { echo "pmf_vacuum.sh: no neckmd binary at '$NECKMD' (set NECKMD)" >&2; exit 1; }
[ -n "$out" ] || out=./out-approach_eg_eda-vacuum-$size
study_outdir "$out" $force pmf_vacuum.sh
export OMP_NUM_THREADS=1

LAYERS=6; D111=9L; C111=3.0; A=6.12; K=10.0; SEED=4711; TEMP=300; TAU=2000
case $size in
tiny)  cov=0.5; WIN="15.0 14.4"; NEQ=50; NPROD=50; MINIT=50; TRJ=50; SKIP=0.1; EVERY=2 ;;
small) WIN=$(awk 'BEGIN{for(i=0;i<17;i++) printf "%.1f ", 15.0 - 0.6*i}'); NEQ=1000; NPROD=4000; MINIT=300; TRJ=1000; SKIP=2; EVERY=10 ;;
esac
G0=$(echo $WIN | awk '{print $1}')
HALF=$(awk -v n=$LAYERS -v a=$A 'BEGIN{printf "%.6f", (n-1)*a/2}')   # d_centre - G for aligned NCs
FAR=$(awk -v g=$G0 -v h=$HALF 'BEGIN{printf "%.4f", g + h}')
echo "pmf_vacuum.sh: size $size, systems: $cov; windows G = $WIN A (d = G + $HALF A), K $K, $NEQ + $NPROD steps of 2 fs each"
cat >"$out/params_vacuum.json" <<EOD
{"size": "$size", "layers": $LAYERS, "d111": "$D111", "oleate_111": $C111, "a_A": $A, "half_A": $HALF,
 "k_kcal_mol_A2": $K, "windows_gap_A": "$WIN", "neq_steps": $NEQ, "nprod_steps": $NPROD, "timestep_fs": 2.0,
 "min_iter": $MINIT, "skip_ps": $SKIP, "temp_K": $TEMP, "langevin_damp_fs": $TAU, "seed": $SEED,
 "traj_every": $TRJ, "reverse": $rev, "csv_every": $EVERY, "systems": "$cov"}
EOD

for c in $cov; do
    if [ "$c" = strip ]; then sys=strip; lig="--strip all"; else sys=c$c; lig="--oleate-100 $c --oleate-111 $C111"; fi
    d="$out/$sys"; mkdir -p "$d"; cd "$d"
    t0=$(date +%s)
    if [ $reuse -eq 1 ] && [ -s final.data ] && [ -s traj.analyze.csv ] && [ -s pmf.csv ]; then
        echo "pmf_vacuum.sh: $sys: reusing the approach in $d"
    else
        "$NECKMD" build --pair --gap $G0 --layers $LAYERS --d111 $D111 $lig -o pC >build.log 2>&1 || { cat build.log; exit 1; }
        # the restraint takes the minimum image: the box must be longer than twice the centre distance
        lx=$("$PY" -c 'import json; print(json.load(open("pC.build.json"))["box"][0])')
        awk -v l=$lx -v d=$FAR 'BEGIN{exit !(l > 2 * d + 2)}' \
            || { echo "pmf_vacuum.sh: box x $lx A is not longer than twice the centre distance $FAR A" >&2; exit 1; }
        {
            echo "# $sys: two $LAYERS-layer PbSe NCs in vacuum ($lig), umbrella windows on the core-core distance"
            echo "log run.log"
            echo "read_data pC.data"
            grep -E '^(forcefield|special_bonds|pair_cutoff|coulomb|neighbor) ' pC.in
            echo "thermo 500 thermo.csv"
            echo "record record.json"
            echo "group pbse type Pb Se"
            echo "group n1 nc pC.ncid 1"
            echo "group n2 nc pC.ncid 2"
            echo "group core1 intersect n1 pbse"
            echo "group core2 intersect n2 pbse"
            echo "trajectory 1 built.nc"
            echo "run 0"
            echo "trajectory off"
            echo "minimize 1e-6 1e-3 $MINIT $((MINIT * 10))"
            grep -E '^shake ' pC.in || true
            echo "timestep 2.0"
            echo "velocity $TEMP $SEED"
            # vacuum: the thermostat on every atom is the only bath. Its friction M/tau is the NCs'
            # friction: the relative coordinate relaxes in the spring in gamma mu / K = 1.6 ps with
            # tau = 2 ps and K = 10 (12.6 ps with tau = 0.5 ps and K = 5: too slow; README)
            echo "integrate langevin $TEMP $TAU.0 $((SEED + 1))"
            echo "trajectory $TRJ traj.nc"
            i=0
            for g in $WIN; do
                dk=$(awk -v g=$g -v h=$HALF 'BEGIN{printf "%.4f", g + h}')
                echo "# window $i: G = $g A, d0 = $dk A (the first $NEQ steps are discarded by pmf.py --skip-ps $SKIP)"
                echo "restraint w core1 core2 $K $dk file $(printf 'w%02d' $i).csv every $EVERY"
                echo "run $((NEQ + NPROD))"
                i=$((i + 1))
            done
            echo "write_data final.data"
        } >run.in
        nice -n 5 "$NECKMD" run run.in >run.out 2>&1 || { tail -20 run.out; exit 1; }
        for t in built traj; do
            "$NECKMD" analyze $t.nc pC.data --ncid pC.ncid --quiet -o $t.analyze.csv >>analyze.out 2>&1 \
                || { cat analyze.out; exit 1; }
        done
        # plain PMF of the 3-D distance d (no Jacobian), zero at the farthest window
        "$PY" "$top/analysis/pmf.py" --temp $TEMP --skip-ps $SKIP --bin-width 0.2 --zero-at $FAR \
            --bootstrap 50 --blocks 5 -o pmf.csv --plot pmf.png w[0-9][0-9].csv >pmf.out 2>&1 \
            || { echo "pmf_vacuum.sh: pmf.py failed for $sys (pmf.out):"; tail -3 pmf.out; }
    fi
    if [ $rev -eq 1 ]; then
        # separation: the same windows in reverse order, from the end of the approach
        {
            echo "# $sys: reverse sweep (separation) from the end of the approach"
            echo "log rev.log"
            echo "read_data final.data"
            grep -E '^(forcefield|special_bonds|pair_cutoff|coulomb|neighbor) ' pC.in
            echo "thermo 500 rev.thermo.csv"
            echo "record rev.record.json"
            echo "group pbse type Pb Se"
            echo "group n1 nc pC.ncid 1"
            echo "group n2 nc pC.ncid 2"
            echo "group core1 intersect n1 pbse"
            echo "group core2 intersect n2 pbse"
            grep -E '^shake ' pC.in || true
            echo "timestep 2.0"
            echo "velocity $TEMP $((SEED + 2))"
            echo "integrate langevin $TEMP $TAU.0 $((SEED + 3))"
            echo "trajectory $TRJ rev.nc"
            i=0
            for g in $(echo $WIN | awk '{for(i=NF;i>=1;i--) printf "%s ", $i}'); do
                dk=$(awk -v g=$g -v h=$HALF 'BEGIN{printf "%.4f", g + h}')
                echo "# reverse window $i: G = $g A, d0 = $dk A"
                echo "restraint w core1 core2 $K $dk file $(printf 'r%02d' $i).csv every $EVERY"
                echo "run $((NEQ + NPROD))"
                i=$((i + 1))
            done
            echo "write_data rev.final.data"
        } >rev.in
        nice -n 5 "$NECKMD" run rev.in >rev.out 2>&1 || { tail -20 rev.out; exit 1; }
        "$NECKMD" analyze rev.nc pC.data --ncid pC.ncid --quiet -o rev.analyze.csv >>analyze.out 2>&1 \
            || { cat analyze.out; exit 1; }
        "$PY" "$top/analysis/pmf.py" --temp $TEMP --skip-ps $SKIP --bin-width 0.2 --zero-at $FAR \
            --bootstrap 50 --blocks 5 -o pmf_rev.csv --plot pmf_rev.png r[0-9][0-9].csv >pmf_rev.out 2>&1 \
            || { echo "pmf_vacuum.sh: pmf.py failed for $sys reverse (pmf_rev.out):"; tail -3 pmf_rev.out; }
    fi
    rm -f pC.rst* 2>/dev/null || true
    echo "$(( $(date +%s) - t0 ))" >wall_s.txt
    echo "pmf_vacuum.sh: $sys done in $(cat wall_s.txt) s"
done
cd "$out"
"$PY" "$here/pmf_vacuum.py" "$out"
