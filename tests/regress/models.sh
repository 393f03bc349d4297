#!/bin/sh
# The shipped molecular models (potentials/eg_opls_ua.ff, eda_ua.ff, oleate_ua.ff) read by
# neckmd from their parameter files give the same energies per term and forces as LAMMPS
# with the coefficients written out (tests/ref/mol_models: one rattled molecule each,
# Ewald 1e-10, LAMMPS 29 Sep 2021): the files' type names, bonded matching, 1-4 rules
# (OPLS 0.5, TraPPE 0) and charges are what the models say.
. "$top_srcdir/tests/regress/common.sh"
for m in eg_single:eg_opls_ua eda_single:eda_ua oleate_single:oleate_ua; do
    n=${m%%:*}; ff=${m##*:}
    cat > "$WORK/in.$n" <<EOD
read_data $REF/mol_models/$n.data
forcefield $POT/$ff.ff
pair_cutoff 12.0
coulomb ewald 1e-10
write_forces $n.f
EOD
    if run_neckmd 1 1 "$WORK/in.$n"; then
        $PYTHON "$top_srcdir/tests/regress/compare_ref.py" "$WORK/$n.f" "$REF/mol_models/$n" "$n ($ff.ff)" \
            --terms pe,evdwl,ecoul,elong,ebond,eangle,edihed,eimp,press > "$WORK/cmp.out" 2>&1
        tap_pipe < "$WORK/cmp.out"
    else
        notok "$n: neckmd failed"; tail -5 "$WORK/run.log" | sed 's/^/# /'
    fi
done
finish
