#!/bin/sh
# run.sh - study 3 of issue 7: approach and arrest of two PbSe NCs, EG (residual {100} oleate)
# versus EDA (stripped NCs): steered approach (force, work vs gap), windows along the core
# centre-of-mass distance (placed, stiff spring: mean-force PMF in analyse.py; WHAM + MBAR by
# analysis/pmf.py), and a {100}-coverage scan in EG (pull only).  README.md explains every choice.
#
#   run.sh [--tiny|--small|--full] [-o OUTDIR] [--np N] [--force] [--only LIST] [--reuse] [--decks-only]
#
# --decks-only: build the systems and write the steering decks (CASE/steer.in), run nothing.
# --reuse: keep a case's build and pull if CASE/steer.analyze.csv exists (implies --force).
# --only LIST: comma-separated subset of the cases of this size (e.g. eg,eda): the scan cases can be
# run later into the same OUTDIR with --force.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../study_common.sh"
top=$repo PY=$PYTHON
size=small; out=; np=1; force=0; only=; decks=0; reuse=0
while [ $# -gt 0 ]; do
    case $1 in
        --tiny|--small|--full) size=${1#--} ;;
        -o) out=$2; shift ;;
        --np) np=$2; shift ;;
        --force) force=1 ;;
        --only) only=$2; shift ;;
        --decks-only) decks=1 ;;
        --reuse) reuse=1; force=1 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument '$1' (run.sh [--tiny|--small|--full] [-o OUTDIR] [--np N] [--force] [--only LIST] [--reuse] [--decks-only])" >&2; exit 2 ;;
    esac
    shift
done
[ -n "$out" ] || out=./out-approach_eg_eda-$size
study_outdir "$out" $force run.sh
[ -x "$NECKMD" ] || { echo "run.sh: no neckmd binary at $NECKMD (set NECKMD)" >&2; exit 1; }
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
if [ "$np" -gt 1 ]; then RUN="mpirun -np $np $NECKMD run"; else RUN="$NECKMD run"; fi

# ---- sizes -------------------------------------------------------------------------------
# LAYERS/D111: the NCs; G0: starting facing-plane gap (A); GEND: where the pull stops;
# V: pull speed (A/fs, 1e-5 A/fs = 1 m/s); KS/KW: steering / window spring (kcal/mol/A^2);
# NEQ: equilibration steps (2 fs) with the distance held; NWIN steps per window; WIN: window
# gaps (A, facing planes); MINIT: CG iterations; PADL/PADS: box pad with / without oleate.
case $size in
tiny)  LAYERS=4; D111=6L; G0=10; GEND=8; V=-0.01; KS=10; KW=1000; NEQ=20; NWIN=100; MINIT=20; WMIN=10
       WIN="9.0 8.5"; PADL=8; PADS=8; RST=20; TRJ=20; SKIP=0.05
       CASES="eg_strip:eg:all:0:0 eda_strip:eda:all:0:0" ;;
small) LAYERS=6; D111=9L; G0=12; GEND=4.5; V=-0.0025; KS=10; KW=1000; NEQ=250; NWIN=300; MINIT=100; WMIN=50
       WIN="11.5 10.5 9.5 8.5 7.5 6.5 5.5"; PADL=4; PADS=10; RST=20; TRJ=50; SKIP=0.1
       CASES="eg:eg:none:0.5:0 eda:eda:all:0:0 eg_c0:eg:all:0:0 eg_c1:eg:none:1.0:0 eg_c2:eg:none:2.0:0" ;;
full)  LAYERS=20; D111=; G0=25; GEND=3.5; V=-0.0001; KS=10; KW=1000; NEQ=50000; NWIN=500000; MINIT=1000; WMIN=500
       WIN=$(awk 'BEGIN{for(g=14;g>=3.9;g-=0.5) printf "%.1f ", g}'); PADL=12; PADS=24; RST=2500; TRJ=1000; SKIP=100
       CASES="eg:eg:none:0.5:3.0 eda:eda:all:0:0 eg_c0:eg:all:0:0 eg_c1:eg:none:1.0:3.0 eg_c2:eg:none:2.0:3.0" ;;
esac
# umbrella windows only for these cases (the scan cases are steered only)
UMB="eg eda eg_strip eda_strip"
A=6.12
HALF=$(awk -v n=$LAYERS -v a=$A 'BEGIN{printf "%.6f", (n-1)*a/2}')   # d_centre - gap for aligned NCs
STEPS=$(awk -v g0=$G0 -v g1=$GEND -v v=$V 'BEGIN{printf "%d", (g0-g1)/(-v)/2.0 + 0.5}')
echo "run.sh: size $size, $LAYERS layers, gap $G0 -> $GEND A at $V A/fs ($STEPS steps of 2 fs), windows: $WIN"
cat >"$out/params.json" <<EOD
{"size": "$size", "layers": $LAYERS, "a_A": $A, "half_A": $HALF, "g0_A": $G0, "gend_A": $GEND,
 "v_A_fs": $V, "k_steer": $KS, "k_window": $KW, "neq_steps": $NEQ, "nwin_steps": $NWIN, "timestep_fs": 2.0,
 "steer_steps": $STEPS, "skip_ps": $SKIP, "temp_K": 300, "windows_gap_A": "$WIN", "cases": "$CASES", "umbrella": "$UMB"}
EOD

want() { [ -z "$only" ] && return 0; case ",$only," in *",$1,"*) return 0 ;; esac; return 1; }

# common deck lines of a built system: force field, cutoffs, kspace, shake (from the builder's deck)
ffdeck() { grep -E '^(forcefield|special_bonds|pair_cutoff|coulomb|neighbor|shake) ' "$1"; }
groups() { # $1 = ncid file
    cat <<EOD
group pbse type Pb Se
group nc1 nc $1 1
group nc2 nc $1 2
group core1 intersect nc1 pbse
group core2 intersect nc2 pbse
EOD
}

for spec in $CASES; do
    IFS=: read name solv strip c100 c111 <<EOD
$spec
EOD
    want "$name" || continue
    d="$out/$name"; mkdir -p "$d"; cd "$d"
    t0=$(date +%s)
    if [ $reuse -eq 1 ] && [ -s steer.analyze.csv ] && [ -s equil.data ]; then
        echo "run.sh: $name: reusing the build and the pull in $d"
    else
        dopt=; [ -n "$D111" ] && dopt="--d111 $D111"
        if [ "$strip" = all ]; then lig="--strip all"; pad=$PADS; else lig="--oleate-100 $c100 --oleate-111 $c111"; pad=$PADL; fi
        tails=; [ "$size" != full ] && tails="--tails random"
        "$NECKMD" build --layers $LAYERS $dopt --pair --gap $G0 $lig $tails --solvent $solv --pad $pad -o sys >build.log 2>&1 \
            || { cat build.log; exit 1; }
        # the restraint takes the minimum image: the box must be longer than twice the centre distance
        lx=$("$PY" -c 'import json; print(json.load(open("sys.build.json"))["box"][0])')
        awk -v l=$lx -v g=$G0 -v h=$HALF 'BEGIN{exit !(l > 2 * (g + h) + 4)}' \
            || { echo "run.sh: box x $lx A is not longer than twice the centre distance $G0 + $HALF A (+4): raise the pad" >&2; exit 1; }
        # ---- minimise, equilibrate with the distance held, then pull --------------------------
        {
            echo "log steer.log"
            echo "read_data sys.data"
            ffdeck sys.in
            echo "thermo 50 steer.thermo.csv"
            echo "record steer.record.json"
            groups sys.ncid
            echo "trajectory 1 built.nc"
            echo "run 0"
            echo "trajectory off"
            echo "minimize 1e-6 1e-3 $MINIT $((MINIT * 10))"
            echo "timestep 2.0"
            echo "velocity 300 11"
            echo "group bath subtract all pbse"
            echo "integrate langevin 300 200.0 12 group bath"
            echo "restraint hold core1 core2 $KS current file hold.csv every 10"
            echo "run $NEQ"
            echo "write_data equil.data"
            echo "restraint hold off"
            echo "restraint steer core1 core2 $KS current rate $V file steer.csv every 5"
            echo "trajectory $TRJ steer.nc"
            echo "restart $RST steer.rst.*"
            echo "run $STEPS"
            echo "restart off"
        } >steer.in
        if [ $decks -eq 1 ]; then echo "run.sh: $name: wrote $d/steer.in ($(grep -c . sys.ncid) atoms); not run (--decks-only)"; continue; fi
        nice -n 5 $RUN steer.in >steer.out 2>&1 || { tail -20 steer.out; exit 1; }
        for t in built steer; do
            "$NECKMD" analyze $t.nc sys.data --ncid sys.ncid --quiet -o $t.analyze.csv >>analyze.out 2>&1 \
                || { cat analyze.out; exit 1; }
        done
    fi
    # ---- windows: quasi-static approach with a stiff spring --------------------------------
    # The pull above cannot drag a ~27,000 amu NC through EG or EDA at 10-250 m/s (Stokes drag
    # is hundreds of kcal/mol/A; README), so the windows are placed instead: window k reads the
    # end state of window k-1 (window 0 the equilibrated state), moves NC 2 with its ligands
    # rigidly along the centre-centre axis to the window's distance (displace), relaxes the
    # solvent and ligands around it (minimize group bath), then samples with a stiff spring KW
    # (Langevin on the solvent and ligands only).  The mean spring force is the mean force
    # -dPMF/dd at fixed NC positions (stiff-spring thermodynamic integration; analyse.py).
    case " $UMB " in *" $name "*)
        i=0; prev=equil.data
        for g in $WIN; do
            dk=$(awk -v g=$g -v h=$HALF 'BEGIN{printf "%.4f", g + h}')
            disp=$("$PY" - "$prev" sys.ncid "$dk" <<'PYEOF'
import sys
import numpy as np
data, ncid, dk = sys.argv[1], sys.argv[2], float(sys.argv[3])
nc = {}
for l in open(ncid):
    t = l.split()
    if t and t[0].isdigit():
        nc[int(t[0])] = (int(t[1]), t[2])
lines = open(data).read().split("\n")
box = {}
for l in lines[:40]:
    t = l.split()
    if len(t) == 4 and t[2].endswith("lo") and t[3].endswith("hi"):
        box[t[2][0]] = float(t[1]) - float(t[0])
L = np.array([box["x"], box["y"], box["z"]])
j = [k for k, l in enumerate(lines) if l.startswith("Masses")][0] + 2
mass = {}
while lines[j].strip():
    t = lines[j].split(); mass[int(t[0])] = float(t[1]); j += 1
i = [k for k, l in enumerate(lines) if l.startswith("Atoms")][0] + 2
acc = {1: np.zeros(4), 2: np.zeros(4)}
while i < len(lines) and lines[i].strip():
    t = lines[i].split(); aid = int(t[0])
    if nc[aid][1] == "core":
        m = mass[int(t[2])]
        x = np.array([float(v) for v in t[4:7]]) + np.array([int(v) for v in t[7:10]]) * L
        acc[nc[aid][0]] += np.concatenate([[m], m * x])
    i += 1
c1, c2 = acc[1][1:] / acc[1][0], acc[2][1:] / acc[2][0]
v = c2 - c1
v -= L * np.round(v / L)
d = np.linalg.norm(v)
u = v / d
print("%.6f %.6f %.6f %.6f" % (d, *((dk - d) * u)))
PYEOF
)
            set -- $disp
            w=$(printf 'win%02d' $i)
            {
                echo "# window $i: gap $g A, d0 $dk A; read $prev (d $1 A), NC 2 moved by $2 $3 $4 A"
                echo "log $w.log"
                echo "read_data $prev"
                ffdeck sys.in
                echo "thermo 50 $w.thermo.csv"
                echo "record $w.record.json"
                groups sys.ncid
                echo "group bath subtract all pbse"
                echo "displace nc2 $2 $3 $4"
                echo "minimize 1e-6 1e-3 $WMIN $((WMIN * 10)) group bath"
                echo "timestep 2.0"
                echo "integrate langevin 300 200.0 $((100 + i)) group bath"
                echo "restraint umb core1 core2 $KW $dk file $w.csv every 1"
                echo "trajectory $NWIN $w.nc"
                echo "run $NWIN"
                echo "write_data $w.data"
            } >$w.in
            nice -n 5 $RUN $w.in >$w.out 2>&1 || { tail -20 $w.out; exit 1; }
            "$NECKMD" analyze $w.nc sys.data --ncid sys.ncid --quiet -o $w.analyze.csv >>analyze.out 2>&1 \
                || { cat analyze.out; exit 1; }
            prev=$w.data
            i=$((i + 1))
        done
        # PMF over the range of the samples, zero at the window farthest out
        far=$(echo $WIN | awk -v h=$HALF '{m=$1; for(i=1;i<=NF;i++) if($i>m) m=$i; printf "%.4f", m + h}')
        "$PY" "$top/analysis/pmf.py" --temp 300 --bin-width 0.1 --skip-ps $SKIP --zero-at $far \
            --bootstrap 50 --blocks 5 --min-overlap 0.03 -o pmf.csv --plot pmf.png win[0-9][0-9].csv >pmf.out 2>&1 \
            || { echo "run.sh: pmf.py failed for $name (pmf.out):"; tail -3 pmf.out; }
        ;;
    esac
    echo "$(( $(date +%s) - t0 ))" >wall_s.txt
    echo "run.sh: $name done in $(cat wall_s.txt) s"
done
cd "$out"
[ $decks -eq 1 ] && exit 0
"$PY" "$here/analyse.py" "$out"
