# common.sh - helpers for neckmd's TAP shell tests (sourced).
# Environment from Makefile.am: NECKMD, MPIRUN, PYTHON, top_srcdir, top_builddir.
: "${NECKMD:=$top_builddir/src/neckmd}"
: "${MPIRUN:=mpirun}"
: "${PYTHON:=/usr/bin/python3}"
REF=$top_srcdir/tests/ref
POT=$top_srcdir/potentials
WORK=$(mktemp -d "${TMPDIR:-/tmp}/neckmd-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
ntap=0
nfail=0
# tap_line "ok - ..." / "not ok - ..." lines from a command: renumber and count
tap_pipe() {
    while IFS= read -r line; do
        case "$line" in
            "ok "*|"ok") ntap=$((ntap + 1)); echo "ok $ntap ${line#ok }" ;;
            "not ok"*) ntap=$((ntap + 1)); nfail=$((nfail + 1)); echo "not ok $ntap ${line#not ok }" ;;
            *) echo "# $line" ;;
        esac
    done
}
ok() { ntap=$((ntap + 1)); echo "ok $ntap - $*"; }
notok() { ntap=$((ntap + 1)); nfail=$((nfail + 1)); echo "not ok $ntap - $*"; }
check() { # check "description" command...
    local d=$1; shift
    if "$@" >"$WORK/check.out" 2>&1; then ok "$d"; else notok "$d"; sed 's/^/# /' "$WORK/check.out" | tail -20; fi
}
finish() { echo "1..$ntap"; [ "$nfail" -eq 0 ]; }
# run_neckmd NP THREADS DECK [LOG]: run neckmd on NP ranks with THREADS threads in $WORK
run_neckmd() {
    local np=$1 nt=$2 deck=$3 log=${4:-$WORK/run.log}
    (cd "$WORK" && OMP_NUM_THREADS=$nt $MPIRUN -np "$np" --oversubscribe --allow-run-as-root --bind-to none "$NECKMD" run "$deck") >"$log" 2>&1
}
# deck_for CASE METHOD FORCES_OUT [extra lines...]: an input deck matching tests/ref/CASE/in.METHOD.lmp
deck_for() {
    local case=$1 method=$2 out=$3; shift 3
    local data ff coul
    data=$(ls "$REF/$case"/*.data | head -n 1)
    ff=$POT/pbse_buck_surrogate.ff
    [ "$case" = bulk_lj ] && ff=$POT/pbse_lj_q129.ff
    case $method in
        ewald) coul="coulomb ewald 1e-10" ;;
        pppm) coul="coulomb pppm 1e-6" ;;
        pppm5) coul="coulomb pppm 1e-5" ;;
        dsf) coul="coulomb dsf 0.2" ;;
        cut) coul="coulomb cut" ;;
    esac
    # LAMMPS (table 0) uses the Abramowitz-Stegun erfc in coul/long but libm's in coul/dsf
    local erfc=poly
    [ "$method" = dsf ] && erfc=exact
    cat <<EOD
# $case, $method: the same system and settings as tests/ref/$case/in.$method.lmp
read_data $data
forcefield $ff
pair_cutoff 12.0
pair_modify erfc $erfc
$coul
$(printf '%s\n' "$@")
record $out.json
write_forces $out
EOD
}
