#!/bin/sh
# ligand_gap/run.sh - energy of one oleate between two PbSe {001} slabs versus the gap (issue 7,
# the paper's DFT oleic-acid-fragment scan), and the same scan without the ligand.
# usage: run.sh [--tiny|--small|--full] [-o OUTDIR] [--np N] [--force]
set -e
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../study_common.sh"
top=$repo PY=$PYTHON
size=small; out=; np=1; force=0
while [ $# -gt 0 ]; do
    case $1 in
        --tiny|--small|--full) size=${1#--} ;;
        -o) out=$2; shift ;;
        --np) np=$2; shift ;;
        --force) force=1 ;;
        -h|--help) sed -n 2,4p "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift
done
[ -n "$out" ] || out=./out-ligand_gap-$size
study_outdir "$out" $force run.sh
A=6.0519          # static lattice constant of pbse_lj_q129.ff (docs/lattice.md): unstrained slabs
# size presets: cells, layers per slab, frozen outer layers per slab, largest gap, turning gap of
# the first loop, smallest gap, first compression step, step of the other legs, minimiser ETOL FTOL MAXITER MAXEVAL, Ewald accuracy
case $size in
    tiny)  cells="3 3"; L=2; F=1; GMAX=12.0; GTURN=9.0; GMIN=6.0; STEP=3.0; BACK=3.0; MIN="1e-6 1e-1 25 60";      EW=1e-4 ;;
    small) cells="4 4"; L=4; F=2; GMAX=18.5; GTURN=7.0; GMIN=3.5; STEP=0.5; BACK=1.0; MIN="1e-9 1e-2 1000 10000"; EW=1e-5 ;;
    full)  cells="6 6"; L=6; F=3; GMAX=18.5; GTURN=7.0; GMIN=3.5; STEP=0.25; BACK=0.5; MIN="1e-10 1e-3 5000 50000"; EW=1e-6 ;;
esac
PAD=60            # 30 A of vacuum each side: the oleate under slab 1 stays > 30 A from slab 2's image
run() { # run DECK: one rank by default
    if [ "$np" -gt 1 ]; then (cd "$out" && mpirun -np "$np" "$NECKMD" run "$1"); else (cd "$out" && "$NECKMD" run "$1"); fi
}
cat >"$out/params.json" <<EOJ
{"size": "$size", "a_A": $A, "cells": [$(echo $cells | tr ' ' ',')], "layers": $L, "frozen_layers": $F, "gap_max_A": $GMAX, "gap_turn_A": $GTURN, "gap_min_A": $GMIN,
 "step_A": $STEP, "back_step_A": $BACK, "minimize": "$MIN", "ewald": $EW, "pad_A": $PAD}
EOJ
t0=$(date +%s)
for sys in with without; do
    frag=oleate; [ $sys = without ] && frag=none
    (cd "$out" && "$NECKMD" build --slabs --gap $GMAX --fragment $frag --a $A --slab-cells $cells \
        --slab-layers $L --pad $PAD -o $sys) >"$out/$sys.build.log"
    # planes_z = [slab1 bottom, slab1 top, slab2 bottom, slab2 top]
    set -- $("$PY" -c "import json,sys; print(*json.load(open(sys.argv[1]))['slabs']['planes_z'])" "$out/$sys.build.json")
    d=$(echo "$A" | awk '{print $1/2}')
    lo1=$(awk -v z=$1 'BEGIN{print z-0.5}'); hi1=$(awk -v z=$1 -v d=$d -v f=$F 'BEGIN{print z+(f-1)*d+0.5}')
    lo2=$(awk -v z=$4 -v d=$d -v f=$F 'BEGIN{print z-(f-1)*d-0.5}'); hi2=$(awk -v z=$4 'BEGIN{print z+0.5}')
    ff="$top/potentials/pbse_lj_q129.ff"; [ $sys = with ] && ff="$ff $top/potentials/oleate_ua.ff"
    {
        echo "# $sys ligand: G = $GMAX -> $GTURN A (step $STEP) -> $GMAX -> $GMIN -> $GMAX A (step $BACK)"
        echo "log $sys.log"
        echo "read_data $sys.data"
        echo "forcefield $ff"
        echo "special_bonds lj 0.0 0.0 0.0 coul 0.0 0.0 0.0"
        echo "pair_cutoff 12.0"
        echo "pair_modify erfc exact"
        echo "coulomb ewald $EW"
        echo "neighbor 2.0 every 1"
        echo "thermo 1000 $sys.thermo.csv"
        echo "record $sys.record.json"
        echo "group s1 nc $sys.ncid 1"
        echo "group s2 nc $sys.ncid 2"
        echo "group core type Pb Se"
        echo "group zlo region z $lo1 $hi1"
        echo "group zhi region z $lo2 $hi2"
        echo "group out1 intersect s1 core zlo"
        echo "group out2 intersect s2 core zhi"
        echo "group frozen union out1 out2"
        echo "freeze frozen"
        k=0
        echo "minimize $MIN"; echo "run 0"
        printf 'write_forces state_%s_%03d.f\nwrite_data state_%s_%03d.data\n' $sys $k $sys $k
        echo "compress1 $k $GMAX" >"$out/$sys.states"
        g=$GMAX
        # legs: compress to GTURN (just past the minimum, reversible), expand back, compress on to
        # GMIN (the ligand is crushed), expand back: two hysteresis loops
        for leg in "compress1 $GTURN $STEP" "expand1 $GMAX $BACK" "compress2 $GMIN $BACK" "expand2 $GMAX $BACK"; do
            set -- $leg
            br=$1; target=$2; st=$3; sign=-1; [ "${br#expand}" != "$br" ] && sign=1
            while awk -v g=$g -v s=$st -v m=$target -v sg=$sign 'BEGIN{exit !(sg*(m-g) >= s-1e-9)}'; do
                g=$(awk -v g=$g -v s=$st -v sg=$sign 'BEGIN{printf "%.4f", g+sg*s}'); k=$((k+1))
                echo "displace s2 0 0 $(awk -v s=$st -v sg=$sign 'BEGIN{print sg*s}')"; echo "minimize $MIN"; echo "run 0"
                printf 'write_forces state_%s_%03d.f\nwrite_data state_%s_%03d.data\n' $sys $k $sys $k
                echo "$br $k $g" >>"$out/$sys.states"
            done
        done
    } >"$out/$sys.in"
    echo "ligand_gap: $sys ligand, $(wc -l <"$out/$sys.states") states ..."
    ts=$(date +%s)
    OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} run $sys.in >"$out/$sys.out" 2>&1 || { tail -5 "$out/$sys.out"; exit 1; }
    echo "  $(( $(date +%s) - ts )) s" | tee "$out/$sys.time"
done
echo "ligand_gap: total $(( $(date +%s) - t0 )) s"
"$PY" "$here/analyse.py" "$out"
