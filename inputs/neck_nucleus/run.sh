#!/bin/sh
# neck_nucleus/run.sh - energy of n Pb-Se pairs moved from the bulk into a 0.6 nm gap between two
# PbSe {001} slabs, n = 0..20 (issue 7, the paper's DFT critical-nucleus calculation).
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
[ -n "$out" ] || out=./out-neck_nucleus-$size
study_outdir "$out" $force run.sh
A=6.0519          # static lattice constant of pbse_lj_q129.ff (docs/lattice.md)
G=$(awk -v a=$A 'BEGIN{printf "%.5f", 1.5*a}')   # two atomic layers fit: the paper's 0.6 nm gap
# presets: cells, layers per slab, frozen outer layers per slab, n values, minimiser, Ewald accuracy
case $size in
    tiny)  cells="3 3"; L=2; F=1; NS="0 1 9";                    MIN="1e-6 1e-1 20 50";     EW=1e-4 ;;
    small) cells="4 4"; L=4; F=2; NS=$(seq 0 20 | tr '\n' ' ');  MIN="1e-9 1e-3 2000 20000"; EW=1e-5 ;;
    full)  cells="6 6"; L=6; F=3; NS=$(seq 0 30 | tr '\n' ' ');  MIN="1e-10 1e-4 10000 100000"; EW=1e-6 ;;
esac
# a user override of the n list or the cell: NUCLEUS_NS="0 9" NUCLEUS_CELLS="6 6" run.sh ...
NS=${NUCLEUS_NS:-$NS}; cells=${NUCLEUS_CELLS:-$cells}
PAD=30
run() {
    if [ "$np" -gt 1 ]; then (cd "$out" && mpirun -np "$np" "$NECKMD" run "$1"); else (cd "$out" && "$NECKMD" run "$1"); fi
}
FF=$top/potentials/pbse_lj_q129.ff
head_deck() { # head_deck NAME DATA
    cat <<EOD
log $1.log
read_data $2
forcefield $FF
pair_cutoff 12.0
pair_modify erfc exact
coulomb ewald $EW
neighbor 2.0 every 1
record $1.record.json
EOD
}
cat >"$out/params.json" <<EOJ
{"size": "$size", "a_A": $A, "gap_A": $G, "cells": [$(echo $cells | tr ' ' ',')], "layers": $L, "frozen_layers": $F,
 "n": [$(echo $NS | tr ' ' ',')], "minimize": "$MIN", "ewald": $EW, "pad_A": $PAD}
EOJ
t0=$(date +%s)
# bulk reference: periodic 4x4x4-cell rock-salt crystal at a (512 atoms), minimised
"$PY" - "$A" 4 "$out/bulk.data" <<'EOP'
import sys
a, m, path = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
h = a / 2; n = 2 * m; L = m * a
atoms = []
for i in range(n):
    for j in range(n):
        for k in range(n):
            pb = (i + j + k) % 2 == 0
            atoms.append((1 if pb else 2, 1.29 if pb else -1.29, i * h, j * h, k * h))
with open(path, "w") as f:
    f.write("rock-salt PbSe %dx%dx%d cells, a = %.6f A (neck_nucleus bulk reference)\n\n" % (m, m, m, a))
    f.write("%d atoms\n2 atom types\n\n" % len(atoms))
    for ax in "xyz":
        f.write("0.0 %.8f %slo %shi\n" % (L, ax, ax))
    f.write("\nMasses\n\n1 207.2 # Pb\n2 78.971 # Se\n\nAtoms # charge\n\n")
    for i, (t, q, x, y, z) in enumerate(atoms, 1):
        f.write("%d %d %.2f %.8f %.8f %.8f\n" % (i, t, q, x, y, z))
EOP
{ head_deck bulk bulk.data; echo "minimize $MIN"; echo "write_forces bulk.f"; } >"$out/bulk.in"
OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} run bulk.in >"$out/bulk.out" 2>&1 || { tail -5 "$out/bulk.out"; exit 1; }
for n in $NS; do
    p=n$(printf %02d $n)
    (cd "$out" && "$NECKMD" build --slabs --gap $G --pairs $n --pair-layers 2 --a $A --slab-cells $cells \
        --slab-layers $L --pad $PAD -o $p) >"$out/$p.build.log" || { cat "$out/$p.build.log"; exit 1; }
    set -- $("$PY" -c "import json,sys; print(*json.load(open(sys.argv[1]))['slabs']['planes_z'])" "$out/$p.build.json")
    d=$(echo "$A" | awk '{print $1/2}')
    lo1=$(awk -v z=$1 'BEGIN{print z-0.5}'); hi1=$(awk -v z=$1 -v d=$d -v f=$F 'BEGIN{print z+(f-1)*d+0.5}')
    lo2=$(awk -v z=$4 -v d=$d -v f=$F 'BEGIN{print z-(f-1)*d-0.5}'); hi2=$(awk -v z=$4 'BEGIN{print z+0.5}')
    {
        head_deck $p $p.data
        echo "group s1 nc $p.ncid 1"
        echo "group s2 nc $p.ncid 2"
        echo "group zlo region z $lo1 $hi1"
        echo "group zhi region z $lo2 $hi2"
        echo "group out1 intersect s1 zlo"
        echo "group out2 intersect s2 zhi"
        echo "group frozen union out1 out2"
        echo "freeze frozen"
        echo "minimize $MIN"
        echo "write_forces $p.f"
        echo "write_data $p.final.data"
    } >"$out/$p.in"
    ts=$(date +%s)
    OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} run $p.in >"$out/$p.out" 2>&1 || { tail -5 "$out/$p.out"; exit 1; }
    echo "neck_nucleus: n = $n: $(( $(date +%s) - ts )) s"
done
echo "neck_nucleus: total $(( $(date +%s) - t0 )) s" | tee "$out/time.txt"
"$PY" "$here/analyse.py" "$out"
