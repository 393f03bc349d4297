#!/bin/sh
# Issue 3: the shipped models loaded together, against LAMMPS, across ranks, and in NVE with SHAKE.
# Systems (tests/ref/*/make_system.py; references by tests/ref/slab_oleate_eg/make_ref.py,
# LAMMPS 29 Sep 2021, every coefficient copied from the .ff files):
#  - slab_oleate_eg: PbSe {100} slab (130 Pb incl. 2 adatoms, 128 Se) + 4 oleates chelating surface
#    Pb + 20 EG, 24.48 x 24.48 x 40 A, net charge 0, all atoms rattled 0.1 A; neckmd reads
#    'forcefield pbse_buck_surrogate.ff oleate_ua.ff eg_opls_ua.ff' (Buckingham Pb/Se, LJ for every
#    other pair from the files' explicit cross terms; LAMMPS pair_style hybrid buck/coul/long +
#    lj/cut/coul/long 12 A);
#  - eda_box: 30 EDA in a 20 A box (cutoff 12 A > L/2), 'forcefield eda_ua.ff'.
# 1. Ewald 1e-10 and PPPM 1e-6 vs LAMMPS: pe, evdwl, ecoul, elong, ebond, eangle, edihed, eimp,
#    press (1e-6 relative) and forces (1e-5 relative RMS). Measured when written: every energy term
#    within 1e-13, press 5e-9..1.4e-8, forces 5e-10..8e-10.
#    1-4 rule: one per system in both codes. The oleate file says TraPPE (lj/coul 0 0 0), the EG and
#    EDA files OPLS (0 0 0.5); neckmd takes the 'special' line of the LAST file read, so with the
#    order above the oleate's 1-4 pairs are scaled 0.5 too (LAMMPS input: special_bonds 0 0 0.5).
#    The third slab reference (pppm_oleate_last: files in the order pbse, eg, oleate; LAMMPS 0 0 0)
#    shows the order decides, both ways. The composite is therefore NOT each model's own 1-4 rule.
# 2. 2 ranks give the same energies and forces as 1 (1e-10), molecules split between subdomains.
# 3. NVE on the slab system: minimize 1e-6 1e-3 500 2000 (PPPM 1e-6), velocities 300 K, SHAKE on
#    the bonds the models constrain (the oleate chain bonds the file marks 'fixed', types 3-7, and
#    the EG O-H bond, type 10, which eg_opls_ua.ff says to constrain at 2 fs; 'shake ... fixed' alone
#    would leave O-H (period ~9 fs) free: max |dE| 10.4 instead of 1.1 kcal/mol), 2 fs, 500 steps
#    (1 ps). Measured when written (1 rank, 1 or 2 threads; 2 ranks the same to 1e-3):
#    max |E(t) - E(0)| = 1.12-1.14 kcal/mol = 4.1e-3 N kB T0 (T0 = 300 K; mostly a 1 kcal/mol
#    offset in the first 10 steps as the flexible head and EG bonds take up energy, then flat),
#    linear drift over the run 0.085 kcal/mol/atom/ns (thermo every 5 steps), SHAKE bond error
#    < 1e-8. Bounds (3x): max |dE| / (N kB T0) < 0.012, |drift| < 0.25 kcal/mol/atom/ns, bonds
#    held to 1e-6.
# Whole test: ~25 s wall (20 s CPU) on 2 cores with other jobs running.
. "$top_srcdir/tests/regress/common.sh"
CMP="$PYTHON $top_srcdir/tests/regress/compare_runs.py"
TERMS=pe,evdwl,ecoul,elong,ebond,eangle,edihed,eimp,press
SLAB_FF="$POT/pbse_buck_surrogate.ff $POT/oleate_ua.ff $POT/eg_opls_ua.ff"
deck() { # CASE METHOD OUT [extra lines]: the system and settings of tests/ref/CASE/in.METHOD.lmp
    local case=$1 method=$2 out=$3 ff coul
    shift 3
    case $case in
        slab_oleate_eg) ff=$SLAB_FF ;;
        eda_box) ff=$POT/eda_ua.ff ;;
    esac
    case $method in
        ewald) coul="ewald 1e-10" ;;
        pppm) coul="pppm 1e-6" ;;
        pppm_oleate_last) coul="pppm 1e-6"; ff="$POT/pbse_buck_surrogate.ff $POT/eg_opls_ua.ff $POT/oleate_ua.ff" ;;
    esac
    cat <<EOD
read_data $REF/$case/$case.data
forcefield $ff
pair_cutoff 12.0
pair_modify erfc poly
coulomb $coul
$(printf '%s\n' "$@")
record $out.json
write_forces $out
EOD
}

# 1. against LAMMPS
for cm in slab_oleate_eg:ewald slab_oleate_eg:pppm slab_oleate_eg:pppm_oleate_last eda_box:ewald eda_box:pppm; do
    c=${cm%%:*}; m=${cm##*:}
    deck "$c" "$m" "$c.$m.f" > "$WORK/in.$c.$m"
    if run_neckmd 1 1 "$WORK/in.$c.$m"; then
        $PYTHON "$top_srcdir/tests/regress/compare_ref.py" "$WORK/$c.$m.f" "$REF/$c/$m" "$c $m" --terms $TERMS > "$WORK/cmp.out" 2>&1
        tap_pipe < "$WORK/cmp.out"
    else
        notok "$c $m: neckmd failed"; tail -5 "$WORK/run.log" | sed 's/^/# /'
    fi
done

# 2. two ranks vs one
for c in slab_oleate_eg eda_box; do
    deck "$c" pppm "$c.np2.f" > "$WORK/in.$c.np2"
    if run_neckmd 2 1 "$WORK/in.$c.np2" && [ -f "$WORK/$c.pppm.f" ]; then
        $CMP "$c pppm 2 ranks vs 1" --forces "$WORK/$c.np2.f" "$WORK/$c.pppm.f" --rtol 1e-10 > "$WORK/cmp.out" 2>&1
        tap_pipe < "$WORK/cmp.out"
    else
        notok "$c pppm on 2 ranks failed"; tail -5 "$WORK/run.log" | sed 's/^/# /'
    fi
done

# 3. NVE with SHAKE at 2 fs
cat > "$WORK/in.nve" <<EOD
read_data $REF/slab_oleate_eg/slab_oleate_eg.data
forcefield $SLAB_FF
pair_cutoff 12.0
pair_modify erfc poly
coulomb pppm 1e-6
minimize 1e-6 1e-3 500 2000
shake 1e-8 500 3 4 5 6 7 10
timestep 2.0
velocity 300.0 4242
integrate nve
thermo 5
record nve.json
run 500
EOD
if run_neckmd 1 2 "$WORK/in.nve" "$WORK/log.nve"; then
    err=$(sed -n 's/.*largest relative bond-length error \([^,]*\),.*/\1/p' "$WORK/log.nve")
    if [ -n "$err" ] && $PYTHON -c "import sys; sys.exit(0 if float('$err') <= 1e-6 else 1)"; then
        ok "slab_oleate_eg NVE: SHAKE held the constrained bonds, largest relative error $err (<= 1e-6)"
    else
        notok "slab_oleate_eg NVE: largest relative bond error '$err'"
    fi
    $PYTHON - "$WORK/nve.json" > "$WORK/cmp.out" 2>&1 <<'EOPY'
import json, sys
r = json.load(open(sys.argv[1]))
c = r['thermo_columns']; rows = r['thermo']
e = [x[c.index('econserve')] for x in rows]
n = r['system']['natoms']
steps = rows[-1][c.index('step')] - rows[0][c.index('step')]
dmax = max(abs(v - e[0]) for v in e)
d = dmax / (n * 0.0019872067 * 300.0)
drift = r['conservation']['energy_drift_kcal_per_mol_atom_ns']
print('%sok - slab_oleate_eg NVE %d steps at 2 fs with SHAKE: max |E(t) - E(0)| = %.3f kcal/mol = %.2e N kB T0 (< 0.012)'
      % ('' if d < 0.012 and steps == 500 else 'not ', steps, dmax, d))
print('%sok - slab_oleate_eg NVE energy drift %.3g kcal/mol/atom/ns (|drift| < 0.25)' % ('' if abs(drift) < 0.25 else 'not ', drift))
EOPY
    tap_pipe < "$WORK/cmp.out"
else
    notok "slab_oleate_eg NVE run failed"; tail -5 "$WORK/log.nve" | sed 's/^/# /'
fi
finish
