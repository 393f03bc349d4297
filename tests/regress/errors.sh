#!/bin/sh
# Bad input stops neckmd with one clear message, on 1 and on 2 ranks alike:
#  - every case runs under `timeout 60`, so a hang fails (exit 124), as does a crash (exit
#    >= 128, a signal) or a zero exit status;
#  - the output holds the expected text (FILE:LINE: and what was expected), and it holds it
#    once, with a single ERROR line (rank 0 speaks for all ranks);
#  - a typo at the last line of a deck stops the job before anything runs: existing files
#    with the names of its outputs keep their contents;
#  - an error after a finished run leaves that run's thermo CSV and record complete;
#  - atoms that blow apart stop the run with a message naming the step, not NaN rows.
. "$top_srcdir/tests/regress/common.sh"
export OMP_NUM_THREADS=1
# Open MPI 4 waits odls_base_sigkill_timeout (1 s) after a rank exits non-zero, ~2 s per case;
# the ranks of these jobs all exit on their own, so no grace period is needed
export OMPI_MCA_odls_base_sigkill_timeout=0
cp "$REF/bulk_4x4x4/bulk_4x4x4.data" "$WORK/good.data"
cp "$POT/pbse_buck_surrogate.ff" "$WORK/good.ff"

# run_case NP NAME DECK: neckmd on NP ranks in $WORK, killed after 60 s; log $WORK/NAME.npNP.log
run_case() {
    (cd "$WORK" && timeout -k 10 60 $MPIRUN -np "$1" --oversubscribe --allow-run-as-root --bind-to none "$NECKMD" run "$3") >"$WORK/$2.np$1.log" 2>&1
}
# failed_badly RC: why a failing run's exit status is wrong, or nothing
failed_badly() {
    if [ "$1" -eq 0 ]; then echo "exit status 0"
    elif [ "$1" -eq 124 ] || [ "$1" -eq 137 ]; then echo "hang: killed by timeout after 60 s"
    elif [ "$1" -ge 128 ]; then echo "crash: signal $(($1 - 128))"
    fi
}
# expect_error NAME DECK TEXT...: on 1 and 2 ranks DECK must fail cleanly, print each TEXT,
# the first exactly once, and print exactly one ERROR line.
expect_error() {
    local name=$1 deck=$2 np rc why n m
    shift 2
    for np in 1 2; do
        log=$WORK/$name.np$np.log
        run_case "$np" "$name" "$deck"
        rc=$?
        why=$(failed_badly "$rc")
        for m in "$@"; do
            grep -qF -- "$m" "$log" || why="$why${why:+; }no '$m'"
        done
        n=$(grep -cF -- "$1" "$log")
        [ "$n" -le 1 ] || why="$why${why:+; }the message appears $n times"
        n=$(grep -c "ERROR" "$log")
        [ "$n" -eq 1 ] || why="$why${why:+; }$n ERROR lines"
        if [ -z "$why" ]; then
            ok "$name, $np rank(s): exit $rc, '$1'"
        else
            notok "$name, $np rank(s): $why (exit $rc)"
            grep -v "^ *[0-9]\|^  [a-z]" "$log" | tail -12 | sed 's/^/# /'
        fi
    done
}
# deck NAME LINES...: write $WORK/in.NAME, one argument per line
deck() {
    local name=$1
    shift
    printf '%s\n' "$@" > "$WORK/in.$name"
}
good_head() { # the first four lines of a working deck
    printf '%s\n' "read_data good.data" "forcefield good.ff" "pair_cutoff 8.0" "coulomb dsf 0.2"
}

# ---- phase 1: syntax ----
deck unknown "read_data good.data" "pair_cutof 8.0" "run 0"
expect_error unknown in.unknown "in.unknown:2: unknown command 'pair_cutof'"
deck nargs "read_data good.data" "forcefield good.ff" "pair_cutoff 8.0 12.0" "run 0"
expect_error nargs in.nargs "in.nargs:3: pair_cutoff takes R (got 2 arguments)"
deck notnum "read_data good.data" "forcefield good.ff" "pair_cutoff abc" "run 0"
expect_error notnum in.notnum "in.notnum:3: pair_cutoff: expected a positive number, got 'abc'"
{ good_head; echo "timestep -1.0"; echo "run 0"; } > "$WORK/in.negdt"
expect_error negdt in.negdt "in.negdt:5: timestep: expected a positive number, got '-1.0'"
deck coultypo "read_data good.data" "forcefield good.ff" "pair_cutoff 8.0" "coulomb pppn 1e-5" "run 0"
expect_error coultypo in.coultypo "in.coultypo:4: coulomb: expected pppm ACC | ewald ACC" "got 'pppn 1e-5'"
expect_error nodeck in.nosuch "cannot open 'in.nosuch'"

# A typo at the last line: the outputs named by earlier lines exist from before and must
# keep their contents (no .tmp left either), because nothing runs.
{ good_head; printf '%s\n' "velocity 300.0 4711" "thermo 5 last.csv" "record last.json" "run 10" \
    "write_forces last.forces" "run 10" "rn 10"; } > "$WORK/in.lastline"
for f in last.csv last.json last.forces; do echo "precious $f, written before the job" > "$WORK/$f"; cp "$WORK/$f" "$WORK/$f.orig"; done
expect_error lastline in.lastline "in.lastline:11: unknown command 'rn'"
for f in last.csv last.json last.forces; do
    if cmp -s "$WORK/$f" "$WORK/$f.orig" && [ ! -e "$WORK/$f.tmp" ]; then ok "lastline: existing $f untouched"; else notok "lastline: existing $f was changed"; fi
done
# an output directory that does not exist is found in phase 1 too
{ good_head; printf '%s\n' "thermo 5 nodir/thermo.csv" "run 10"; } > "$WORK/in.nodir"
expect_error nodir in.nodir "in.nodir:5: thermo: cannot write 'nodir/thermo.csv': directory 'nodir' does not exist"
{ good_head; printf '%s\n' "thermo 5 last.csv" "run 10" "write_forces nodir/forces.txt"; } > "$WORK/in.nodir2"
expect_error nodir2 in.nodir2 "in.nodir2:7: write_forces: cannot write 'nodir/forces.txt'"
if cmp -s "$WORK/last.csv" "$WORK/last.csv.orig"; then ok "nodir2: existing last.csv untouched"; else notok "nodir2: existing last.csv was changed"; fi

# ---- data files ----
deck nodata "read_data nosuch.data" "run 0"
expect_error nodata in.nodata "in.nodata:1: read_data: cannot open 'nosuch.data'"
header() { # 4 atoms, 2 types, up to the Atoms section line
    printf '%s\n' "four atoms" "" "4 atoms" "2 atom types" "0 10 xlo xhi" "0 10 ylo yhi" "0 10 zlo zhi" "" \
        "Masses" "" "1 207.2 # Pb" "2 78.971 # Se" "" "Atoms # full" ""
}
# data_case NAME TEXT...: write NAME.data from the header and TEXT lines (line 16 is the first atom)
data_case() {
    local name=$1
    shift
    { header; printf '%s\n' "$@"; } > "$WORK/$name.data"
    deck "$name" "read_data $name.data" "forcefield good.ff" "pair_cutoff 4.0" "run 0"
}
printf '%s\n' "four atoms" "" "4 atoms" "2 atom typez" "0 10 xlo xhi" > "$WORK/badheader.data"
deck badheader "read_data badheader.data" "run 0"
expect_error badheader in.badheader "in.badheader:1: read_data: badheader.data:4: unrecognised header line: expected 'N atoms', 'N atom types'"
data_case fewcols "1 1 1 1.29 0 0 0" "2 1 2 -1.29 3 0" "3 1 1 1.29 3 3 0" "4 1 2 -1.29 0 3 0"
expect_error fewcols in.fewcols "fewcols.data:17: Atoms (full): expected 7 or 10 columns" "got 6" "in.fewcols:1"
data_case dupid "1 1 1 1.29 0 0 0" "2 1 2 -1.29 3 0 0" "2 1 1 1.29 3 3 0" "4 1 2 -1.29 0 3 0"
expect_error dupid in.dupid "dupid.data:18: Atoms: atom id 2 appears twice" "in.dupid:1"
data_case badtype "1 1 1 1.29 0 0 0" "2 1 2 -1.29 3 0 0" "3 1 3 1.29 3 3 0" "4 1 2 -1.29 0 3 0"
expect_error badtype in.badtype "badtype.data:18: Atoms: atom type 3 outside 1..2" "in.badtype:1"
data_case nancoord "1 1 1 1.29 0 0 0" "2 1 2 -1.29 3 0 0" "3 1 1 1.29 nan 3 0" "4 1 2 -1.29 0 3 0"
expect_error nancoord in.nancoord "nancoord.data:18: Atoms: column 5 (x) is 'nan': expected a finite number" "in.nancoord:1"
data_case fewatoms "1 1 1 1.29 0 0 0" "2 1 2 -1.29 3 0 0" "3 1 1 1.29 3 3 0"
expect_error fewatoms in.fewatoms "fewatoms.data:18: section Atoms ended after 3 lines; the header announces 4" "in.fewatoms:1"
# topology: a bond to an atom that does not exist; a section neckmd does not read
{ header | sed 's/^2 atom types$/2 atom types\n1 bonds\n1 bond types/'
  printf '%s\n' "1 1 1 1.29 0 0 0" "2 1 2 -1.29 3 0 0" "3 1 1 1.29 3 3 0" "4 1 2 -1.29 0 3 0" "" "Bonds" "" "1 1 1 9"; } > "$WORK/badbond.data"
deck badbond "read_data badbond.data" "run 0"
expect_error badbond in.badbond "badbond.data:25: Bonds: an atom id is outside 1..N atoms" "in.badbond:1"
data_case ellipsoids "1 1 1 1.29 0 0 0" "2 1 2 -1.29 3 0 0" "3 1 1 1.29 3 3 0" "4 1 2 -1.29 0 3 0" "" "Ellipsoids" "" "1 1 1 1 1 0 0 0"
expect_error ellipsoids in.ellipsoids "ellipsoids.data:21: section 'Ellipsoids'" "not supported" "in.ellipsoids:1"

# ---- parameter files and coefficients ----
printf '%s\n' "model bad" "units energy kcal/mol" "type Pb mass 207.2 charge 1.29" "type Se mass 78.971 charge -1.29" \
    "pair Pb Pb buck 1600.5 0.359 302.4" "pair Pb Se buck 767644.5 -0.25 917.7" > "$WORK/bad.ff"
deck badff "read_data good.data" "forcefield bad.ff" "pair_cutoff 8.0" "run 0"
expect_error badff in.badff "bad.ff:6: expected 'pair NAME1 NAME2 buck A RHO C'" "in.badff:2"
head -n 5 "$WORK/bad.ff" > "$WORK/part.ff"
deck nocoeff "read_data good.data" "forcefield part.ff" "pair_cutoff 8.0" "coulomb dsf 0.2" "run 0"
expect_error nocoeff in.nocoeff "in.nocoeff:5: run: no pair coefficients for types Pb Se" "pair_coeff Pb Se"
# (and a mixing rule is honoured by write_forces before any run, as by run)
printf '%s\n' "model mix" "units energy kcal/mol" "mixing geometric" "pair Pb Pb lj 0.0596 3.29" "pair Se Se lj 0.0900 4.36" > "$WORK/mix.ff"
deck mix "read_data good.data" "forcefield mix.ff" "pair_cutoff 8.0" "coulomb dsf 0.2" "write_forces mix.forces"
run_case 2 mix in.mix
rc=$?
if [ "$rc" -eq 0 ] && [ -s "$WORK/mix.forces" ]; then ok "mix: write_forces before run uses the mixing rule"; else notok "mix: write_forces before run failed (exit $rc)"; tail -3 "$WORK/mix.np2.log" | sed 's/^/# /'; fi

# ---- an error after a finished run keeps that run's outputs complete ----
{ good_head; printf '%s\n' "velocity 300.0 4711" "thermo 5 rerun.csv" "record rerun.json" "run 10" "read_data good.data" "run 10"; } > "$WORK/in.rerun"
complete_outputs() { # NP: thermo CSV with steps 0 5 10 and an intact last line; record with 3 rows
    local csv=$WORK/rerun.csv
    if [ "$(wc -l < "$csv")" -eq 4 ] && [ "$(tail -c 1 "$csv" | od -An -c | tr -d ' ')" = '\n' ] &&
        tail -n 1 "$csv" | grep -q '^10,' && [ "$(tail -n 1 "$csv" | tr ',' '\n' | wc -l)" -eq "$(head -n 1 "$csv" | tr ',' '\n' | wc -l)" ]; then
        ok "rerun, $1 rank(s): the first run's thermo CSV is complete"
    else
        notok "rerun, $1 rank(s): the first run's thermo CSV is incomplete"; sed 's/^/# /' "$csv"
    fi
    if $PYTHON -c 'import json, sys; r = json.load(open(sys.argv[1])); t = r["thermo"]; sys.exit(not (len(t) == 3 and t[-1][0] == 10))' "$WORK/rerun.json"; then
        ok "rerun, $1 rank(s): the first run's record is complete"
    else
        notok "rerun, $1 rank(s): the first run's record is missing or incomplete"
    fi
}
for np in 1 2; do
    rm -f "$WORK/rerun.csv" "$WORK/rerun.json"
    run_case "$np" rerun in.rerun
    rc=$?
    why=$(failed_badly "$rc")
    grep -qF "in.rerun:9: read_data: a system is already defined" "$WORK/rerun.np$np.log" || why="$why${why:+; }no message"
    if [ -z "$why" ]; then ok "rerun, $np rank(s): exit $rc, read_data twice named"; else notok "rerun, $np rank(s): $why"; tail -5 "$WORK/rerun.np$np.log" | sed 's/^/# /'; fi
    complete_outputs "$np"
done

# ---- atoms flying apart: a clear error naming the step, not NaN rows ----
printf '%s\n' "two H atoms 0.3 A apart" "" "2 atoms" "1 atom types" "0 20 xlo xhi" "0 20 ylo yhi" "0 20 zlo zhi" "" \
    "Masses" "" "1 1.008 # H" "" "Atoms # charge" "" "1 1 0.0 10.0 10.0 10.0" "2 1 0.0 10.3 10.0 10.0" > "$WORK/fly.data"
deck fly "read_data fly.data" "pair_coeff H H lj 1000.0 3.0" "pair_cutoff 8.0" "coulomb off" "timestep 50.0" "thermo 1 fly.csv" "run 20"
expect_error fly in.fly "non-finite force on atom 1" "step 1:"
if grep -q '^0,' "$WORK/fly.csv" && ! grep -qi nan "$WORK/fly.csv"; then ok "fly: the thermo CSV has step 0 and no NaN"; else notok "fly: thermo CSV without step 0 or with NaN"; sed 's/^/# /' "$WORK/fly.csv"; fi
finish
