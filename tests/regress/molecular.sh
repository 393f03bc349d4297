#!/bin/sh
# Molecular force-field terms against LAMMPS and across ranks: 24 six-site chains
# (tests/ref/mol_chains: bonds, angles, OPLS dihedrals, impropers, LJ with arithmetic
# mixing, special_bonds 0 0 0.5, charges), most molecules crossing periodic boundaries.
#  - Ewald 1e-10, PPPM 1e-6 and Ewald with 'pair_modify shift yes' vs LAMMPS: every energy term (evdwl, ecoul, elong, ebond,
#    eangle, edihed, eimp), pressure, forces (1e-6 / 1e-5), i.e. exclusions and 1-4 scaling
#    in the real-space and long-range parts;
#  - 2 and 4 ranks give the same energies and forces as 1 (1e-10) with molecules split
#    between subdomains; 200 steps of NVE (dt 0.5 fs, molecules migrate between ranks):
#    thermo within 1e-8 on 1, 2, 4 ranks and energy conserved (max |dE| / (N kB T) < 0.05).
. "$top_srcdir/tests/regress/common.sh"
CMP="$PYTHON $top_srcdir/tests/regress/compare_runs.py"
deck() { # METHOD OUT [extra]
    acc="ewald 1e-10"; [ "$1" = pppm ] && acc="pppm 1e-6"
    cat <<EOD
read_data $REF/mol_chains/mol_chains.data
pair_cutoff 10.0
pair_modify erfc poly mix arithmetic
special_bonds lj 0.0 0.0 0.5 coul 0.0 0.0 0.5
coulomb $acc
record $2.json
write_forces $2
EOD
}
for m in ewald pppm shift; do
    deck $m chains.$m.f > "$WORK/in.$m"
    [ $m = shift ] && sed -i 's/^pair_modify erfc poly mix arithmetic/pair_modify erfc poly mix arithmetic shift yes/' "$WORK/in.$m"
    if run_neckmd 1 1 "$WORK/in.$m"; then
        $PYTHON "$top_srcdir/tests/regress/compare_ref.py" "$WORK/chains.$m.f" "$REF/mol_chains/$m" "mol_chains $m" \
            --terms pe,evdwl,ecoul,elong,ebond,eangle,edihed,eimp,press > "$WORK/cmp.out" 2>&1
        tap_pipe < "$WORK/cmp.out"
    else
        notok "mol_chains $m: neckmd failed"; tail -5 "$WORK/run.log" | sed 's/^/# /'
    fi
done
for np in 1 2 4; do
    deck pppm np$np.f > "$WORK/in.np$np"
    cat >> "$WORK/in.np$np" <<EOD
timestep 0.5
velocity 300.0 4242
thermo 20
record np$np.nve.json
run 200
EOD
    if ! run_neckmd "$np" 1 "$WORK/in.np$np"; then notok "mol_chains NVE on $np ranks failed"; tail -5 "$WORK/run.log" | sed 's/^/# /'; continue; fi
    [ "$np" = 1 ] && continue
    { $CMP "mol_chains $np ranks vs 1, step 0" --forces "$WORK/np$np.f" "$WORK/np1.f" --rtol 1e-10
      $CMP "mol_chains $np ranks vs 1, 200 steps NVE" --thermo "$WORK/np$np.nve.json" "$WORK/np1.nve.json" --rtol 1e-8; } > "$WORK/cmp.out" 2>&1
    tap_pipe < "$WORK/cmp.out"
done
if [ -f "$WORK/np1.nve.json" ]; then
    $PYTHON - "$WORK/np1.nve.json" > "$WORK/cmp.out" 2>&1 <<'EOPY'
import json, sys
r = json.load(open(sys.argv[1]))
c = r['thermo_columns']; rows = r['thermo']
e = [x[c.index('econserve')] for x in rows]
n = r['system']['natoms']
d = max(abs(v - e[0]) for v in e) / (n * 0.0019872067 * 300.0)
print('%sok - mol_chains NVE 100 fs at 0.5 fs: max |E(t) - E(0)| / (N kB T0) = %.2e (< 0.05)' % ('' if d < 0.05 else 'not ', d))
EOPY
    tap_pipe < "$WORK/cmp.out"
fi
finish
