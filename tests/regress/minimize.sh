#!/bin/sh
# The energy minimiser (`minimize ETOL FTOL MAXITER MAXEVAL cg|fire`, src/minimize.c).
# Ewald 1e-8 with libm's erfc (`pair_modify erfc exact`): forces are then the exact gradient
# of the energy, so a minimum can be reached to round-off (with the Abramowitz-Stegun erfc or
# PPPM the forces differ from -dE/dx by ~1e-7 relative and CG ends at "linesearch alpha is
# zero" near |F| ~ 1e-4 instead).
#  (1) rattled rock-salt PbSe (tests/ref/bulk_4x4x4_rattled, 512 atoms, surrogate Buckingham,
#      cutoff 12 A), CG and FIRE, FTOL 1e-4 kcal/mol/A: stops on the force criterion, max atom
#      force < FTOL, and relaxes back to the ideal lattice: |E - E_perfect| / N < 1e-6 kcal/mol,
#      E_perfect = neckmd's energy of tests/ref/bulk_4x4x4 (same box); CG's energy never rises
#      between iterations; velocities and the step number are kept (a `run 0` afterwards sees
#      the same T and step 0, and the minimised energy).
#  (2) the molecular test system tests/ref/mol_chains (bonds, angles, OPLS dihedrals,
#      impropers, LJ, special_bonds 0 0 0.5, Ewald): 400 CG iterations, the energy never rises
#      (1e-12 relative) and falls from +124 to below -150 kcal/mol. The whole system does not
#      reach a small force norm in a test's time: its 24 chains at a third of liquid density
#      keep aggregating for thousands of iterations, and the truncated (unshifted) LJ traps
#      CG at a pair sitting at the cutoff (LAMMPS 29 Sep 2021 stops there too: "linesearch
#      alpha is zero" at |F| = 1.3 after 2077 iterations). So convergence is tested on one of
#      its chains (molecule 1, extracted here; plain cutoff Coulomb, which for one molecule
#      smaller than the cutoff is exact and has no periodic-image torque): CG and FIRE reach
#      FTOL 1e-5 and agree on the energy (1e-8 kcal/mol).
#  (3) the same minimisations on 2 ranks (and CG on 1 rank x 2 threads): final energies
#      within 1e-8 relative of 1 rank; for mol_chains, whose CG path is chaotic (round-off
#      differences grow to 1e-6 by iteration 300), the first 100 iterations within 1e-8.
. "$top_srcdir/tests/regress/common.sh"
export WORK
FTOL_BULK=1e-4
FTOL_CHAIN=1e-5
bulk_deck() { # DATA OUT COMMAND...
    data=$1 out=$2; shift 2
    cat <<EOD
read_data $data
forcefield $POT/pbse_buck_surrogate.ff
pair_cutoff 12.0
pair_modify erfc exact
coulomb ewald 1e-8
log none
record $out.json
$(printf '%s\n' "$@")
EOD
}
chains_deck() { # DATA COULOMB OUT COMMAND...
    data=$1 coul=$2 out=$3; shift 3
    cat <<EOD
read_data $data
pair_cutoff 10.0
pair_modify erfc exact mix arithmetic
special_bonds lj 0.0 0.0 0.5 coul 0.0 0.0 0.5
coulomb $coul
thermo 100
log none
record $out.json
$(printf '%s\n' "$@")
EOD
}
# one molecule of a LAMMPS data file (atom_style full), ids renumbered; other sections kept
$PYTHON - "$REF/mol_chains/mol_chains.data" 1 "$WORK/chain1.data" <<'EOPY'
import sys
src, mol, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
names = ('Masses', 'Pair Coeffs', 'Bond Coeffs', 'Angle Coeffs', 'Dihedral Coeffs', 'Improper Coeffs',
         'Atoms', 'Velocities', 'Bonds', 'Angles', 'Dihedrals', 'Impropers')
head, order, sec, cur = [], [], {}, None
for ln in open(src).read().split('\n'):
    key = ln.split('#')[0].strip()
    if key in names:
        cur = key; order.append((key, ln)); sec[key] = []
    elif cur is None:
        head.append(ln)
    elif ln.strip():
        sec[cur].append(ln)
atoms = [l for l in sec['Atoms'] if int(l.split()[1]) == mol]
newid = {int(l.split()[0]): i + 1 for i, l in enumerate(atoms)}
new = {'Atoms': [' '.join([str(newid[int(l.split()[0])])] + l.split()[1:]) for l in atoms]}
if 'Velocities' in sec:
    new['Velocities'] = [' '.join([str(newid[int(l.split()[0])])] + l.split()[1:]) for l in sec['Velocities'] if int(l.split()[0]) in newid]
for s, k in (('Bonds', 2), ('Angles', 3), ('Dihedrals', 4), ('Impropers', 4)):
    rows = []
    for l in sec.get(s, []):
        w = l.split()
        ids = [int(x) for x in w[2:2 + k]]
        if all(i in newid for i in ids):
            rows.append(' '.join([str(len(rows) + 1), w[1]] + [str(newid[i]) for i in ids]))
    new[s] = rows
count = {'atoms': 'Atoms', 'bonds': 'Bonds', 'angles': 'Angles', 'dihedrals': 'Dihedrals', 'impropers': 'Impropers'}
with open(out, 'w') as f:
    for ln in head:
        w = ln.split()
        if len(w) == 2 and w[1] in count:
            ln = '%d %s' % (len(new[count[w[1]]]), w[1])
        f.write(ln + '\n')
    for key, ln in order:
        f.write(ln + '\n\n' + '\n'.join(new.get(key, sec[key])) + '\n\n')
EOPY
[ -s "$WORK/chain1.data" ] || notok "could not extract molecule 1 of mol_chains"

bulk_deck "$REF/bulk_4x4x4/bulk_4x4x4.data" perfect "run 0" > "$WORK/in.perfect"
run_neckmd 1 1 "$WORK/in.perfect" "$WORK/perfect.log" || { notok "perfect crystal run 0 failed"; tail -5 "$WORK/perfect.log" | sed 's/^/# /'; }
R=$REF/bulk_4x4x4_rattled/bulk_4x4x4_rattled.data
for v in "cg 1 1" "cg 2 1" "cg 1 2" "fire 1 1" "fire 2 1"; do
    set -- $v
    tag=bulk_$1_np$2_nt$3
    if [ "$1" = cg ]; then min="minimize 0 $FTOL_BULK 1000 10000 cg"; else min="minimize 0 $FTOL_BULK 5000 10000 fire"; fi
    if [ "$tag" = bulk_cg_np1_nt1 ]; then
        bulk_deck "$R" "$tag" "velocity 300.0 4242" "thermo 0" "$min" "record $tag.after.json" "run 0" > "$WORK/in.$tag"
    else
        bulk_deck "$R" "$tag" "thermo 0" "$min" > "$WORK/in.$tag"
    fi
    run_neckmd "$2" "$3" "$WORK/in.$tag" "$WORK/$tag.log" || { notok "$tag: neckmd failed"; tail -5 "$WORK/$tag.log" | sed 's/^/# /'; }
done
for np in 1 2; do
    chains_deck "$REF/mol_chains/mol_chains.data" "ewald 1e-8" chains_np$np "minimize 0 1e-4 400 100000 cg" > "$WORK/in.chains_np$np"
    run_neckmd "$np" 1 "$WORK/in.chains_np$np" "$WORK/chains_np$np.log" || { notok "mol_chains CG on $np ranks: neckmd failed"; tail -5 "$WORK/chains_np$np.log" | sed 's/^/# /'; }
done
for v in "cg 1" "cg 2" "fire 1"; do
    set -- $v
    tag=chain1_$1_np$2
    chains_deck "$WORK/chain1.data" cut "$tag" "timestep 1.0" "minimize 0 $FTOL_CHAIN 5000 20000 $1" > "$WORK/in.$tag"
    run_neckmd "$2" 1 "$WORK/in.$tag" "$WORK/$tag.log" || { notok "$tag: neckmd failed"; tail -5 "$WORK/$tag.log" | sed 's/^/# /'; }
done

FTOL_BULK=$FTOL_BULK FTOL_CHAIN=$FTOL_CHAIN $PYTHON - > "$WORK/check.out" 2>&1 <<'EOPY'
import json, os
W = os.environ['WORK']
FB, FC = float(os.environ['FTOL_BULK']), float(os.environ['FTOL_CHAIN'])
def load(tag):
    try:
        return json.load(open(os.path.join(W, tag + '.json')))
    except Exception as e:
        print('not ok - %s: no record (%s)' % (tag, e))
        return None
def ok(cond, msg):
    print('%sok - %s' % ('' if cond else 'not ', msg))
def monotonic(m):
    """largest rise of the energy between iterations, relative to |E|"""
    pe = [h[2] for h in m['history']]
    return max([0.0] + [(b - a) / max(abs(a), 1.0) for a, b in zip(pe, pe[1:])])
perf = load('perfect')
e_perf = None
if perf:
    c = perf['thermo_columns']
    e_perf = perf['thermo'][-1][c.index('pe')]
    print('# E_perfect = %.10f kcal/mol' % e_perf)
final = {}
for tag in ('bulk_cg_np1_nt1', 'bulk_cg_np2_nt1', 'bulk_cg_np1_nt2', 'bulk_fire_np1_nt1', 'bulk_fire_np2_nt1'):
    r = load(tag)
    if not r or 'minimize' not in r:
        print('not ok - %s: no "minimize" object in the record' % tag); continue
    m = r['minimize']; n = r['system']['natoms']
    final[tag] = m['energy_final']
    ok(m['stop'] == 'force tolerance' and m['fnorm_final'] <= FB and m['fmax_atom_final'] < FB,
       '%s: stops on the force criterion: %s, |F| = %.3g, max atom force %.3g (FTOL %g); %d iterations, %d force evaluations'
       % (tag, m['stop'], m['fnorm_final'], m['fmax_atom_final'], FB, m['iterations'], m['force_evaluations']))
    if e_perf is not None:
        d = abs(m['energy_final'] - e_perf) / n
        ok(d < 1e-6, '%s: relaxes to the perfect crystal: |E - E_perfect| / N = %.2e kcal/mol (< 1e-6); E %.3f -> %.10f'
           % (tag, d, m['energy_initial'], m['energy_final']))
    if m['style'] == 'cg':
        rise = monotonic(m)
        ok(rise <= 1e-12, '%s: the energy never rises between iterations (largest rise %.2e relative, allowed 1e-12)' % (tag, rise))
a = load('bulk_cg_np1_nt1.after')
b = load('bulk_cg_np1_nt1')
if a and b:
    c = a['thermo_columns']; row = a['thermo'][0]
    ok(row[c.index('step')] == 0 and abs(row[c.index('temp_K')] - 300.0) < 1e-9
       and abs(row[c.index('pe')] - b['minimize']['energy_final']) <= 1e-10 * abs(row[c.index('pe')]),
       'after minimize: step %d (0), T %.10f K (300, velocities kept), run 0 energy %.10f = minimised %.10f'
       % (row[c.index('step')], row[c.index('temp_K')], row[c.index('pe')], b['minimize']['energy_final']))
for ref, other in (('bulk_cg_np1_nt1', 'bulk_cg_np2_nt1'), ('bulk_cg_np1_nt1', 'bulk_cg_np1_nt2'), ('bulk_fire_np1_nt1', 'bulk_fire_np2_nt1')):
    if ref in final and other in final:
        d = abs(final[other] - final[ref]) / abs(final[ref])
        ok(d < 1e-8, '%s vs %s: final energy %.2e relative (< 1e-8)' % (other, ref, d))
# (2) mol_chains
ch = {}
for np in (1, 2):
    r = load('chains_np%d' % np)
    if not r or 'minimize' not in r:
        print('not ok - mol_chains np%d: no "minimize" object' % np); continue
    m = r['minimize']; ch[np] = m
    rise = monotonic(m)
    t = m['final_terms']
    ok(rise <= 1e-12 and m['energy_final'] < -150.0 and m['iterations'] == 400,
       'mol_chains CG on %d rank(s): %d iterations, E %.4f -> %.4f, never rises (largest rise %.2e relative, allowed 1e-12); |F| %.3g -> %.3g; '
       'final ebond %.4f eangle %.4f edihed %.4f eimp %.4f' % (np, m['iterations'], m['energy_initial'], m['energy_final'], rise,
                                                             m['fnorm_initial'], m['fnorm_final'], t['ebond'], t['eangle'], t['edihed'], t['eimp']))
if 1 in ch and 2 in ch:
    h1 = {h[0]: h[2] for h in ch[1]['history']}
    h2 = {h[0]: h[2] for h in ch[2]['history']}
    d = max(abs(h2[i] - h1[i]) / abs(h1[i]) for i in range(0, 101) if i in h1 and i in h2)
    ok(d < 1e-8 and all(i in h1 and i in h2 for i in range(101)),
       'mol_chains CG, 2 ranks vs 1: the first 100 iterations agree within %.2e relative (< 1e-8)' % d)
# single chain
cf = {}
for tag in ('chain1_cg_np1', 'chain1_cg_np2', 'chain1_fire_np1'):
    r = load(tag)
    if not r or 'minimize' not in r:
        print('not ok - %s: no "minimize" object' % tag); continue
    m = r['minimize']; cf[tag] = m['energy_final']
    msg = '%s: %s, |F| = %.3g (FTOL %g), E %.6f -> %.10f, %d iterations, %d force evaluations' % (
        tag, m['stop'], m['fnorm_final'], FC, m['energy_initial'], m['energy_final'], m['iterations'], m['force_evaluations'])
    cond = m['stop'] == 'force tolerance' and m['fnorm_final'] <= FC
    if m['style'] == 'cg':
        rise = monotonic(m)
        cond = cond and rise <= 1e-12
        msg += ', largest energy rise %.2e relative (allowed 1e-12)' % rise
    ok(cond, msg)
if 'chain1_cg_np1' in cf:
    for other in ('chain1_cg_np2', 'chain1_fire_np1'):
        if other in cf:
            d = abs(cf[other] - cf['chain1_cg_np1'])
            ok(d < 1e-8, '%s vs chain1_cg_np1: final energy differs by %.2e kcal/mol (< 1e-8)' % (other, d))
EOPY
tap_pipe < "$WORK/check.out"
finish
