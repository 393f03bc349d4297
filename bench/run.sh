#!/bin/bash
# bench/run.sh - neckmd vs LAMMPS, side by side, on the same data files at the same accuracy.
#
#   bench/run.sh [--steps N] [--cells N] [--repeat N] [--quiet-wait S] [--retries N] [--no-lammps] [--keep]
#   bench/run.sh --report DIR     print the report again from a run directory kept by --keep
#
# Systems: tests/ref/nc_cube_3nm (1000 atoms), tests/ref/two_nc_gap6 (2000 atoms) and a rattled
# rock-salt PbSe bulk made here by bench/make_bulk.py (--cells 10: 8000 atoms).
# Physics, identical on both sides: the Buckingham surrogate (potentials/pbse_buck_surrogate.ff;
# LAMMPS buck/coul/long with the same pair_coeff, as tests/ref/*/in.pppm5.lmp), cutoff 12 A,
# PPPM relative force accuracy 1e-5 (each code picks its own g_ewald and mesh; both are printed),
# skin 2 A checked every step, NVE velocity Verlet, dt 2 fs, velocities at 300 K, N steps
# (--steps, default 200), thermo every 50.
# neckmd runs twice per configuration: erfc exact (libm) and erfc poly (the Abramowitz-Stegun
# polynomial; neckmd's default since 0e3fa0d). LAMMPS runs once with its defaults (pair_modify
# table 12, i.e. tabulated real-space Coulomb) plus "pair_modify shift no tail no".
# Configurations: 1 and 2 MPI ranks with 1 thread; neckmd also 1 rank x 2 OpenMP threads
# (the Debian lmp has no OPENMP package; its 1x2 cell shows n/a then).
# Speed is atom-steps/s = atoms * steps / loop time (setup excluded on both sides): neckmd's run
# record (run.atom_steps_per_s), LAMMPS's "Loop time of T on P procs for N steps with A atoms".
# A small shared machine is noisy, so: before each run the script waits (at most --quiet-wait s,
# default 60) for the machine to be >= 90% idle; it measures the CPU that other work used during
# the run (/proc/stat minus the job's own CPU time, in cores) and runs it again (at most --retries
# times, default 2) when that exceeds 0.2 cores ("not clean"); the whole sweep is repeated
# --repeat times (default 2), interleaved. The table shows the best clean sample; every sample is
# listed with its background load.
# Builds nothing: the binary is $NECKMD or ./build/src/neckmd (scripts/build.sh makes it);
# LAMMPS is $LMP or lmp on PATH. Output: the report on stdout and in bench/results-<date>.txt;
# progress on stderr.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-/usr/bin/python3}
MPIRUN=${MPIRUN:-mpirun}
NECKMD=${NECKMD:-$top/build/src/neckmd}
LMP=${LMP:-lmp}
steps=200
cells=10
repeat=2
quiet_wait=60
retries=2
use_lmp=1
keep=0
report_dir=
cmdline="bench/run.sh $*"
while [ $# -gt 0 ]; do
    case $1 in
        --steps) steps=${2:-}; shift 2 ;;
        --cells) cells=${2:-}; shift 2 ;;
        --repeat) repeat=${2:-}; shift 2 ;;
        --quiet-wait) quiet_wait=${2:-}; shift 2 ;;
        --retries) retries=${2:-}; shift 2 ;;
        --no-lammps) use_lmp=0; shift ;;
        --keep) keep=1; shift ;;
        --report) report_dir=${2:-}; shift 2 ;;
        -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "bench/run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done
for v in steps cells repeat quiet_wait retries; do
    case ${!v} in ''|*[!0-9]*) echo "bench/run.sh: --${v/_/-} needs a non-negative integer" >&2; exit 2 ;; esac
done
[ "$steps" -gt 0 ] && [ "$cells" -gt 0 ] && [ "$repeat" -gt 0 ] || { echo "bench/run.sh: --steps, --cells and --repeat must be positive" >&2; exit 2; }
out=$top/bench/results-$(date +%Y-%m-%d).txt

# report DIR: the whole report, from a run directory (header, notes, results.tsv and the logs)
report() {
    cat "$1/header.txt" "$1/notes.txt"
    local sys name d
    for sys in $(cat "$1/systems"); do
        name=${sys%%:*}
        # the long-range parameters each code chose for "PPPM 1e-5" on this system (1 rank)
        d=$1/rep1/$name.1x1.neckmd_exact.try1
        echo "# $name: neckmd $(grep -m1 '^pppm:' "$d/log.txt" | sed 's/estimated RMS force accuracy = [^,]*, \([^ ]*\) relative.*/estimated relative force accuracy = \1/')"
        d=$1/rep1/$name.1x1.lammps.try1
        [ -f "$d/log.lammps" ] && echo "# $name: LAMMPS pppm: $(grep -m1 'G vector' "$d/log.lammps" | sed 's/^ *//'), $(grep -m1 ' grid = ' "$d/log.lammps" | sed 's/^ *//'), $(grep -m1 'estimated relative force accuracy' "$d/log.lammps" | sed 's/^ *//')"
    done
    echo
    "$PYTHON" - "$1/results.tsv" "$(cat "$1/repeat")" <<'EOPY'
import os, re, sys
runs = {}      # (system, cfg) -> code -> [(atom-steps/s or "FAIL", run dir, background cores)]
order = []
for line in open(sys.argv[1]):
    name, cfg, code, rep, v, d, bg = line.rstrip("\n").split("\t")
    if (name, cfg) not in runs:
        runs[(name, cfg)] = {}
        order.append((name, cfg))
    try:
        v = float(v)
    except ValueError:
        pass
    try:
        bg = float(bg)
    except ValueError:
        bg = None
    runs[(name, cfg)].setdefault(code, []).append((v, d, bg))
def clean(bg):
    return bg is not None and bg <= 0.2
def best(key, code):
    """(value, run dir, clean): the fastest clean sample, else the fastest of all."""
    vals = [x for x in runs[key].get(code, []) if isinstance(x[0], float)]
    if not vals:
        return ("FAIL" if code in runs[key] else "n/a"), None, True
    ok = [x for x in vals if clean(x[2])]
    v, d, _ = max(ok or vals)
    return v, d, bool(ok)
def f(b):
    return ("%.4g" % b[0] + ("" if b[2] else "*")) if isinstance(b[0], float) else b[0]
def ratio(a, b):
    return "%.2f" % (a[0] / b[0]) if isinstance(a[0], float) and isinstance(b[0], float) else "-"
codes = ("neckmd_exact", "neckmd_poly", "lammps")
hdr = ("system", "RxT", "neckmd exact", "neckmd poly", "LAMMPS", "exact/LAMMPS", "poly/LAMMPS")
print("atom-steps/s, the best clean sample of %s interleaved repeats (and their reruns); higher is better;" % sys.argv[2])
print("ratio > 1: neckmd faster; * = no clean sample (other work > 0.2 cores during every run)")
print("| " + " | ".join(hdr) + " |")
print("|" + "|".join("---" for _ in hdr) + "|")
for key in order:
    e, p, l = (best(key, c) for c in codes)
    print("| " + " | ".join((key[0], key[1], f(e), f(p), f(l), ratio(e, l), ratio(p, l))) + " |")
print("\nall samples: atom-steps/s [cores used by other work during the run], * = over 0.2 (not clean);")
print("clean spread = (max - min) / max over the clean samples")
for key in order:
    for c in codes:
        if c not in runs[key]:
            continue
        num = [v for v, _, bg in runs[key][c] if isinstance(v, float) and clean(bg)]
        spread = "  (clean spread %.0f%%)" % (100 * (max(num) - min(num)) / max(num)) if len(num) > 1 else ""
        samples = "  ".join("%s [%s]%s" % ("%.4g" % v if isinstance(v, float) else v, "?" if bg is None else "%.2f" % bg,
                                          "" if clean(bg) else "*") for v, _, bg in runs[key][c])
        print("  %-12s %s %-13s %s%s" % (key[0], key[1], c, samples, spread))
big = order[-1][0]
for key in order:
    if key[0] != big:
        continue
    for c in codes:
        v, d, ok = best(key, c)
        if d is None:
            continue
        print("\n## %s %s %s (best sample%s, %s):" % (c.replace("_", " erfc "), key[0], key[1], "" if ok else ", not clean", d))
        if c == "lammps":
            text = open(os.path.join(d, "log.lammps")).read()
            m = re.search(r"^Loop time of.*?^Other.*?$", text, re.S | re.M)
            print("\n".join(l for l in m.group(0).splitlines() if l.strip()) if m else "(no breakdown)")
            for l in text.splitlines():
                if l.startswith(("Total # of neighbors", "Neighbor list builds")):
                    print(l)
        else:
            text = open(os.path.join(d, "log.txt")).read()
            m = re.search(r"^Loop time of.*?^Atoms:.*?$", text, re.S | re.M)
            print(m.group(0) if m else "(no breakdown)")
EOPY
}

if [ -n "$report_dir" ]; then
    [ -f "$report_dir/results.tsv" ] || { echo "bench/run.sh: $report_dir is not a run directory (no results.tsv)" >&2; exit 1; }
    { report "$report_dir"; echo; echo "# report of $report_dir, written to $out"; } | tee "$out"
    exit 0
fi

if [ ! -x "$NECKMD" ]; then
    echo "bench/run.sh: neckmd binary not found at $NECKMD: run scripts/build.sh first (or set NECKMD=/path/to/neckmd)" >&2
    exit 1
fi
NECKMD=$(cd "$(dirname "$NECKMD")" && pwd)/$(basename "$NECKMD")
if [ "$use_lmp" = 1 ] && ! command -v "$LMP" >/dev/null 2>&1; then
    echo "bench/run.sh: LAMMPS ($LMP) not found: neckmd only" >&2
    use_lmp=0
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/neckmd-bench.XXXXXX")
[ "$keep" = 1 ] || trap 'rm -rf "$WORK"' EXIT
POT=$top/potentials/pbse_buck_surrogate.ff
REF=$top/tests/ref
"$PYTHON" "$top/bench/make_bulk.py" "$WORK/bulk_${cells}c.data" "$cells" || exit 1
systems="nc_cube_3nm:$REF/nc_cube_3nm/nc_cube_3nm.data two_nc_gap6:$REF/two_nc_gap6/two_nc_gap6.data bulk_${cells}c:$WORK/bulk_${cells}c.data"
configs="1x1 2x1 1x2"
echo "$systems" > "$WORK/systems"
echo "$repeat" > "$WORK/repeat"
: > "$WORK/notes.txt"
results=$WORK/results.tsv
: > "$results"
{
    echo "# neckmd vs LAMMPS benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "# command: $cmdline   (in $top)"
    echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(uname -sr)"
    echo "# neckmd:  $NECKMD (built $(date -u -r "$NECKMD" '+%Y-%m-%d %H:%M UTC')): $("$NECKMD" --version 2>&1 | head -n 1); source tree now $(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)"
    [ "$use_lmp" = 1 ] && echo "# LAMMPS:  $(command -v "$LMP"): $(echo | "$LMP" -log none -nocite 2>/dev/null | head -n 1)"
    echo "# physics: buck surrogate + coul/long, cutoff 12 A, PPPM 1e-5, skin 2 A every step, NVE dt 2 fs from 300 K, $steps steps, thermo 50"
    echo "# mpirun --allow-run-as-root --oversubscribe --bind-to none; RxT = MPI ranks x OpenMP threads"
    echo
} > "$WORK/header.txt"
cat "$WORK/header.txt" >&2
# note TEXT: a line for the report (and the terminal now)
note() { echo "$*" | tee -a "$WORK/notes.txt" >&2; }

# neckmd_deck DATA ERFC
neckmd_deck() {
    cat <<EOD
read_data $1
forcefield $POT
pair_cutoff 12.0
pair_modify erfc $2
coulomb pppm 1e-5
neighbor 2.0 every 1
timestep 2.0
velocity 300.0 4928459
integrate nve
thermo 50
record record.json
run $steps
EOD
}
# lammps_input DATA: the same as tests/ref/*/in.pppm5.lmp, but LAMMPS's own PPPM choice and tables
lammps_input() {
    cat <<EOD
units real
atom_style full
boundary p p p
read_data $1
set type 1 charge 1.29
set type 2 charge -1.29
mass 1 207.2
mass 2 78.971
pair_style buck/coul/long 12.0
pair_coeff 1 1 1600.535111 0.3589768703 302.4120854  # Pb-Pb
pair_coeff 1 2 767644.5161 0.2538349793 917.7002836  # Pb-Se
pair_coeff 2 2 70913.55353 0.3589768703 2473.543989  # Se-Se
pair_modify shift no tail no
kspace_style pppm 1e-5
neighbor 2.0 bin
neigh_modify every 1 delay 0 check yes
velocity all create 300.0 4928459 mom yes rot no dist gaussian loop geom
timestep 2.0
fix 1 all nve
thermo 50
run $steps
EOD
}
# $MPIRUN_ NP NT CMD...: the launcher (a file, so that /usr/bin/time can run it)
MPIRUN_=$WORK/mpi.sh
cat > "$MPIRUN_" <<EOD
#!/bin/sh
np=\$1 nt=\$2; shift 2
OMP_NUM_THREADS=\$nt exec $MPIRUN -np "\$np" --allow-run-as-root --oversubscribe --bind-to none -x OMP_NUM_THREADS "\$@"
EOD
chmod +x "$MPIRUN_"

# idle_fraction: share of the machine's CPU time idle over the next second (/proc/stat)
idle_fraction() {
    local a b
    a=$(head -n 1 /proc/stat); sleep 1; b=$(head -n 1 /proc/stat)
    echo "$a $b" | awk '{ for (i = 2; i <= 11; i++) { t0 += $i; t1 += $(i + 11) }
                          printf "%.2f\n", (($16 + $17) - ($5 + $6)) / (t1 - t0) }'
}
# wait_quiet: wait (up to $quiet_wait s) until the machine is >= 90% idle, so that other jobs
# (builds, test suites) do not share the cores with the next run
waited=0
wait_quiet() {
    local t=0
    while [ "$(idle_fraction | awk '{ print ($1 >= 0.9) }')" != 1 ]; do
        t=$((t + 1)); waited=$((waited + 1))
        if [ "$t" -ge "$quiet_wait" ]; then note "# machine still busy after ${quiet_wait}s: running anyway"; return; fi
    done
}
# busy_jiffies: CPU time (1/100 s) the whole machine has spent not idle since boot
busy_jiffies() { head -n 1 /proc/stat | awk '{ print $2 + $3 + $4 + $7 + $8 + $9 }'; }
# run_once SYSTEM DATA CFG CODE REP TRY: one timed run; appends
# "system cfg code rep atom-steps/s dir bg" to $results, bg = other work on the machine during the
# run, in cores: (CPU time of the whole machine - CPU time of the job and its children) / wall time
run_once() {
    local name=$1 data=$2 cfg=$3 code=$4 rep=$5 np=${3%x*} nt=${3#*x} v d b0 b1
    d=$WORK/rep$rep/$name.$cfg.$code.try$6; mkdir -p "$d"
    wait_quiet
    echo "  $name $cfg $code (repeat $rep, try $6)" >&2
    b0=$(busy_jiffies)
    if [ "$code" = lammps ]; then
        lammps_input "$data" > "$d/in.lmp"
        if (cd "$d" && /usr/bin/time -f '%e %U %S' -o time.txt "$MPIRUN_" "$np" 1 "$LMP" -in in.lmp -log log.lammps -nocite > screen.txt 2>&1); then
            v=$(awk '/^Loop time of/ { printf "%.6g\n", $12 * $9 / $4 }' "$d/log.lammps" | tail -n 1)
            [ -n "$v" ] || v=FAIL
        else
            v=FAIL; note "# LAMMPS $name $cfg failed: $(tail -n 3 "$d/screen.txt" | tr '\n' ' ')"
        fi
    else
        neckmd_deck "$data" "${code#neckmd_}" > "$d/in.deck"
        if (cd "$d" && /usr/bin/time -f '%e %U %S' -o time.txt "$MPIRUN_" "$np" "$nt" "$NECKMD" run in.deck > log.txt 2>&1); then
            v=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["run"]["atom_steps_per_s"])' "$d/record.json")
        else
            v=FAIL; note "# neckmd $name $cfg $code failed: $(tail -n 3 "$d/log.txt" | tr '\n' ' ')"
        fi
    fi
    b1=$(busy_jiffies)
    bg=$(awk -v b=$((b1 - b0)) 'END { x = (b / 100 - $2 - $3) / $1; printf "%.2f", x < 0 ? 0 : x }' "$d/time.txt" 2>/dev/null)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$cfg" "$code" "$rep" "$v" "$d" "${bg:-?}" >> "$results"
}
# run_one SYSTEM DATA CFG CODE REP: run_once, and again (at most --retries times) while other
# work took more than 0.2 of a core during the run
run_one() {
    local try=0
    while :; do
        try=$((try + 1))
        run_once "$@" "$try"
        [ "$(echo "${bg:-9}" | awk '{ print ($1 <= 0.2) }')" = 1 ] && return
        [ "$try" -gt "$retries" ] && return
        note "# $1 $3 $4 repeat $5: other work used ${bg:-?} cores during the run: running it again"
    done
}

# the repeats are interleaved (the whole sweep, then again), so that a burst of load from
# elsewhere on the machine hits one sample, not all of them
note "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
rep=1
while [ "$rep" -le "$repeat" ]; do
    for sys in $systems; do
        name=${sys%%:*}; data=${sys#*:}
        for cfg in $configs; do
            run_one "$name" "$data" "$cfg" neckmd_exact "$rep"
            run_one "$name" "$data" "$cfg" neckmd_poly "$rep"
            [ "$use_lmp" = 1 ] && [ "${cfg#*x}" = 1 ] && run_one "$name" "$data" "$cfg" lammps "$rep"
        done
    done
    rep=$((rep + 1))
done
note "# load average after:  $(cut -d' ' -f1-3 /proc/loadavg); waited ${waited}s in total for a quiet machine"
{
    report "$WORK"
    echo
    [ "$keep" = 1 ] && echo "# run directories kept in $WORK"
    echo "# written to $out"
} | tee "$out"
