#!/bin/sh
# The run lifecycle around the physics:
#  - the run log (default log.neckmd): build information, the input deck, the executed
#    commands, thermo rows, the timing breakdown; "log FILE" renames it; a deck that fails
#    its check creates no log; an error during the run ends up in the log;
#  - write_data: reading its file back and writing it again gives the same bytes;
#  - guards, on 1 and 2 ranks: a Buckingham pair inside its turnover distance r* stops the
#    run naming the atoms, the distance, r* and the step; with "neighbor SKIN every 10" an
#    atom that moves more than skin/2 between two checks stops the run naming it.
. "$top_srcdir/tests/regress/common.sh"
export OMP_NUM_THREADS=1
DATA=$REF/bulk_4x4x4_rattled/bulk_4x4x4_rattled.data
FF=$POT/pbse_buck_surrogate.ff
# in_dir DIR NP DECK: run neckmd in $WORK/DIR (DECK is a file name there); output in DIR/out.
# One rank runs without mpirun (a singleton MPI job): mpirun takes ~2 s to end a failed job.
in_dir() {
    if [ "$2" = 1 ]; then
        (cd "$WORK/$1" && "$NECKMD" run "$3") > "$WORK/$1/out" 2>&1
    else
        (cd "$WORK/$1" && $MPIRUN -np "$2" --oversubscribe --allow-run-as-root --bind-to none "$NECKMD" run "$3") > "$WORK/$1/out" 2>&1
    fi
}

# ---- the run log ----
mkdir -p "$WORK/log1" "$WORK/log2" "$WORK/log3"
printf '%s\n' "read_data $DATA" "forcefield $FF" "pair_cutoff 8.0" "coulomb dsf 0.25" "velocity 300.0 11" "thermo 5" "run 10" > "$WORK/log1/in.deck"
if in_dir log1 2 in.deck; then
    L=$WORK/log1/log.neckmd
    why=""
    for s in "run log (git" "build: " "parallel: 2 MPI ranks x 1 OpenMP threads" "    7| run 10" "## in.deck:7: run 10" \
        "read_data $DATA: 512 atoms" "Loop time of" "Timing breakdown" "  output  "; do
        grep -qF -- "$s" "$L" || why="$why${why:+; }no '$s'"
    done
    grep -q '^ *10 *10.00 ' "$L" || why="$why${why:+; }no thermo row of step 10"
    if [ -z "$why" ]; then ok "log.neckmd has build info, the deck, the commands, thermo and timing"; else notok "log.neckmd: $why"; fi
else
    notok "log run failed"; tail -5 "$WORK/log1/out" | sed 's/^/# /'
fi
printf '%s\n' "log my.log" "read_data $DATA" "forcefield $FF" "pair_cutoff 8.0" "coulomb dsf 0.25" "run 0" "read_data $DATA" "run 0" > "$WORK/log2/in.deck"
in_dir log2 1 in.deck
if [ -f "$WORK/log2/my.log" ] && [ ! -e "$WORK/log2/log.neckmd" ] && grep -q "^ERROR: in.deck:7: read_data: a system is already defined" "$WORK/log2/my.log"; then
    ok "'log my.log' names the log, and the error that ended the run is in it"
else
    notok "'log my.log': my.log missing, log.neckmd created, or no ERROR line in it"; ls "$WORK/log2" | sed 's/^/# /'
fi
printf '%s\n' "read_data $DATA" "forcefield $FF" "pair_cutoff 8.0" "coulomb dsf 0.25" "trajectory 5 t.nc" "restart 5 r.rst" "run 10" "write_data x.data" "rn 10" > "$WORK/log3/in.deck"
in_dir log3 1 in.deck
if [ -z "$(ls "$WORK/log3" | grep -v '^in.deck$\|^out$')" ] && grep -q "in.deck:9: unknown command 'rn'" "$WORK/log3/out"; then
    ok "a deck failing its check creates no file (no log, trajectory, restart or data file)"
else
    notok "a deck failing its check left: $(ls "$WORK/log3" | tr '\n' ' ')"
fi

# ---- write_data round trip ----
mkdir -p "$WORK/wd"
printf '%s\n' "read_data $DATA" "forcefield $FF" "pair_cutoff 8.0" "coulomb dsf 0.25" "velocity 900.0 5" "timestep 2.0" "run 15" "write_data a.data" > "$WORK/wd/in.a"
printf '%s\n' "read_data a.data" "forcefield $FF" "write_data b.data" > "$WORK/wd/in.b"
if in_dir wd 2 in.a && in_dir wd 1 in.b; then
    tail -n +2 "$WORK/wd/a.data" > "$WORK/wd/a.body"
    tail -n +2 "$WORK/wd/b.data" > "$WORK/wd/b.body"
    check "write_data -> read_data -> write_data gives the same file (but the title's step)" cmp "$WORK/wd/a.body" "$WORK/wd/b.body"
    check "write_data has Masses with names, Atoms # full with image flags, Velocities" sh -c \
        "grep -q '^1 207.2 # Pb$' '$WORK/wd/a.data' && grep -q '^Atoms # full$' '$WORK/wd/a.data' && grep -q '^Velocities$' '$WORK/wd/a.data' && [ \$(sed -n '/^Atoms/,/^Velocities/p' '$WORK/wd/a.data' | awk 'NF == 10' | wc -l) -eq 512 ]"
else
    notok "write_data runs failed"; tail -5 "$WORK/wd/out" | sed 's/^/# /'
fi

# ---- guards ----
mkdir -p "$WORK/g"
printf '%s\n' "Pb-Se pair inside r*" "" "2 atoms" "2 atom types" "0 20 xlo xhi" "0 20 ylo yhi" "0 20 zlo zhi" "" "Masses" "" \
    "1 207.2 # Pb" "2 78.971 # Se" "" "Atoms # full" "" "1 1 1 1.29 10 10 10" "2 1 2 -1.29 10.52 10 10" > "$WORK/g/col.data"
printf '%s\n' "read_data col.data" "forcefield $FF" "pair_cutoff 8.0" "coulomb dsf 0.2" "run 10" > "$WORK/g/in.col"
printf '%s\n' "read_data $DATA" "forcefield $FF" "pair_cutoff 8.0" "coulomb dsf 0.25" "neighbor 0.1 every 10" "velocity 3000.0 5" "timestep 2.0" "run 50" > "$WORK/g/in.move"
for np in 1 2; do
    in_dir g "$np" in.col
    rc=$?
    if [ $rc -ne 0 ] && [ $rc -lt 128 ] && grep -q "ERROR: step 0: 1 atom pair is closer than the Buckingham turnover distance r\*" "$WORK/g/out" &&
        grep -q "atoms 1 (Pb) and 2 (Se): 0.5200 A apart, r\* = 0.5549 A" "$WORK/g/out" && [ "$(grep -c ERROR "$WORK/g/out")" -eq 1 ]; then
        ok "Buckingham collapse, $np rank(s): atoms 1 and 2 at 0.52 A, inside r* = 0.5549 A, named once (exit $rc)"
    else
        notok "Buckingham collapse, $np rank(s): no clear error (exit $rc)"; grep -v '^ *[0-9]' "$WORK/g/out" | tail -5 | sed 's/^/# /'
    fi
    in_dir g "$np" in.move
    rc=$?
    if [ $rc -ne 0 ] && [ $rc -lt 128 ] && grep -q "ERROR: step 10: atom [0-9]* moved [0-9.]* A in 10 steps, more than half the neighbour skin" "$WORK/g/out" &&
        grep -q "lower the timestep or check every step" "$WORK/g/out"; then
        ok "displacement between list checks, $np rank(s): $(grep -o 'atom [0-9]* moved [0-9.]* A in 10 steps' "$WORK/g/out")"
    else
        notok "displacement between list checks, $np rank(s): no clear error (exit $rc)"; grep -v '^ *[0-9]' "$WORK/g/out" | tail -5 | sed 's/^/# /'
    fi
done
# pair_modify buck_guard yes: no error, a warning, and the continuation's force is -dE/dr
# (central differences, h = 1e-5 A, at r = 0.45 A, well inside r* = 0.5549 A)
for r in 0.45 0.44999 0.45001; do
    mkdir -p "$WORK/bg$r"
    sed "s/^2 1 2 -1.29 10.52 10 10$/2 1 2 -1.29 $(awk "BEGIN { printf \"%.5f\", 10 + $r }") 10 10/" "$WORK/g/col.data" > "$WORK/bg$r/col.data"
    printf '%s\n' "read_data col.data" "forcefield $FF" "pair_cutoff 8.0" "coulomb cut" "pair_modify buck_guard yes" "write_forces f.txt" "run 0" > "$WORK/bg$r/in.bg"
    in_dir "bg$r" 1 in.bg || { notok "buck_guard run at r = $r failed"; tail -3 "$WORK/bg$r/out" | sed 's/^/# /'; }
done
if grep -q "WARNING: step 0: 1 Buckingham pair inside the turnover distance r\*: held apart by the buck_guard repulsion" "$WORK/bg0.45/out"; then
    ok "buck_guard: a pair inside r* runs on, with a warning"
else
    notok "buck_guard: no warning"; tail -5 "$WORK/bg0.45/out" | sed 's/^/# /'
fi
$PYTHON - "$WORK" > "$WORK/fd.out" 2>&1 <<'EOPY'
import sys
w = sys.argv[1]
def read(r):
    e = f = None
    for line in open('%s/bg%s/f.txt' % (w, r)):
        t = line.split()
        if line.startswith('# pe '):
            e = float(t[2])
        elif t and t[0] == '2':
            f = float(t[1])
    return e, f
e0, f0 = read('0.45')
em, _ = read('0.44999')
ep, _ = read('0.45001')
fd = (em - ep) / 2e-5
err = abs(fd - f0) / abs(f0)
print('%sok - buck_guard force = -dE/dr at 0.45 A: %.8g vs %.8g kcal/mol/A (relative %.1e, < 1e-6), repulsive' % ('' if err < 1e-6 and f0 > 0 else 'not ', f0, fd, err))
EOPY
tap_pipe < "$WORK/fd.out"
finish
