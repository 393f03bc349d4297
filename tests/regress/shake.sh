#!/bin/sh
# Bond constraints (SHAKE/RATTLE) on the 24-chain test system (tests/ref/mol_chains: all 120
# bonds constrained, chains crossing periodic and subdomain boundaries), PPPM 1e-5, 2 fs:
#  - bond lengths held to 1e-6 relative (tolerance 1e-8 requested) after 400 steps;
#  - energy conserved: max |E(t) - E(0)| / (N kB T0) < 0.01 over 0.8 ps;
#  - 1, 2 and 4 ranks give the same thermo (1e-8): the Jacobi sweeps are decomposition
#    independent.
. "$top_srcdir/tests/regress/common.sh"
CMP="$PYTHON $top_srcdir/tests/regress/compare_runs.py"
for np in 1 2 4; do
    cat > "$WORK/in.np$np" <<EOD
read_data $REF/mol_chains/mol_chains.data
pair_cutoff 10.0
pair_modify mix arithmetic
special_bonds lj 0.0 0.0 0.5 coul 0.0 0.0 0.5
coulomb pppm 1e-5
shake 1e-8 1000 all
timestep 2.0
velocity 300.0 4242
thermo 40
record np$np.json
run 400
EOD
    if ! run_neckmd "$np" 1 "$WORK/in.np$np" "$WORK/log.np$np"; then notok "shake run on $np ranks failed"; tail -5 "$WORK/log.np$np" | sed 's/^/# /'; continue; fi
    err=$(sed -n 's/.*largest relative bond-length error \([^,]*\),.*/\1/p' "$WORK/log.np$np")
    if [ -n "$err" ] && $PYTHON -c "import sys; sys.exit(0 if float('$err') <= 1e-6 else 1)"; then
        ok "shake on $np ranks: bond lengths held, largest relative error $err (<= 1e-6)"
    else
        notok "shake on $np ranks: largest relative bond error '$err'"
    fi
    [ "$np" = 1 ] && continue
    $CMP "shake $np ranks vs 1, 400 steps at 2 fs" --thermo "$WORK/np$np.json" "$WORK/np1.json" --rtol 1e-8 > "$WORK/cmp.out" 2>&1
    tap_pipe < "$WORK/cmp.out"
done
if [ -f "$WORK/np1.json" ]; then
    $PYTHON - "$WORK/np1.json" > "$WORK/cmp.out" 2>&1 <<'EOPY'
import json, sys
r = json.load(open(sys.argv[1]))
c = r['thermo_columns']; rows = r['thermo']
e = [x[c.index('econserve')] for x in rows]
n = r['system']['natoms']
d = max(abs(v - e[0]) for v in e) / (n * 0.0019872067 * 300.0)
print('%sok - shake NVE 0.8 ps at 2 fs: max |E(t) - E(0)| / (N kB T0) = %.2e (< 0.01), drift %.3g kcal/mol/atom/ns' % ('' if d < 0.01 else 'not ', d, r['conservation']['energy_drift_kcal_per_mol_atom_ns']))
EOPY
    tap_pipe < "$WORK/cmp.out"
fi
# restart of a molecular, constrained run: 20 + restart + 20 steps = 40 steps, bit for bit
common="pair_cutoff 10.0
pair_modify mix arithmetic
special_bonds lj 0.0 0.0 0.5 coul 0.0 0.0 0.5
coulomb pppm 1e-5
shake 1e-8 1000 all
timestep 2.0"
printf '%s\n' "read_data $REF/mol_chains/mol_chains.data" "$common" "velocity 300.0 4242" "run 20" "write_restart chains.rst" "run 20" "write_data straight.data" > "$WORK/in.a"
printf '%s\n' "read_restart chains.rst" "$common" "run 20" "write_data restarted.data" > "$WORK/in.b"
run_neckmd 2 1 "$WORK/in.a" "$WORK/log.a" && run_neckmd 2 1 "$WORK/in.b" "$WORK/log.b"
sed 1d "$WORK/straight.data" > "$WORK/s1" 2>/dev/null; sed 1d "$WORK/restarted.data" > "$WORK/s2" 2>/dev/null
if [ -s "$WORK/s1" ] && cmp -s "$WORK/s1" "$WORK/s2"; then
    ok "molecular restart with shake (topology, coefficients, constraints): 20 + restart + 20 steps equal 40 steps bit for bit on 2 ranks"
else
    notok "molecular restart with shake is not bitwise"; tail -3 "$WORK/log.b" | sed 's/^/# /'
fi
finish
