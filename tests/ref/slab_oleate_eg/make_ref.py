#!/usr/bin/python3
"""Developer tool (needs lmp; never run by the tests): regenerate the LAMMPS references of the
composite test systems of issue 3, for tests/regress/composite.sh.

  tests/ref/slab_oleate_eg: PbSe slab + 4 oleates + 20 EG, potentials pbse_buck_surrogate.ff,
                            oleate_ua.ff, eg_opls_ua.ff
  tests/ref/eda_box:        30 EDA, potentials eda_ua.ff

For each case: run its make_system.py (deterministic data file), write in.METHOD.lmp (ewald
1e-10, pppm 1e-6; for the slab also pppm_oleate_last, see below) with every coefficient copied digit for digit from the .ff files (no mixing in
LAMMPS: every pair_coeff explicit; Pb-Pb, Pb-Se, Se-Se buck/coul/long, every other pair
lj/cut/coul/long, both 12 A, under pair_style hybrid; a 'fixed' bond uses the file's stand-in
harmonic K), run LAMMPS (run 0) and write METHOD.energy (pe evdwl ecoul elong ebond eangle
edihed eimp press pxx pyy pzz pxy pxz pyz, plus natoms, cutoff and the k-space parameters
LAMMPS chose) and METHOD.forces (id fx fy fz sorted by id), the format of
tests/ref/README.md, and keep log.METHOD.lammps.

special_bonds: LAMMPS has one setting per system, and so has neckmd, where the 'special' line
of the LAST forcefield file read wins. The oleate file says TraPPE 0 0 0, the EG/EDA files OPLS
0 0 0.5; with 'forcefield pbse_buck_surrogate.ff oleate_ua.ff eg_opls_ua.ff' neckmd uses
lj/coul 0 0 0.5 for every molecule, oleate included, and this tool does the same (it applies the
files' 'special' lines in the same order, last wins) so both codes compute the same model.
The slab's third reference, pppm_oleate_last, is the same system with the files in the order
'pbse_buck_surrogate.ff eg_opls_ua.ff oleate_ua.ff': then the oleate's TraPPE 0 0 0 is applied
to every molecule, EG included (it shows the file order decides the 1-4 rule, both ways).

usage: make_ref.py [slab_oleate_eg|eda_box ...]     (default: both)
Environment: LMP (default lmp)."""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.dirname(HERE)
POT = os.path.join(REF, '..', '..', 'potentials')
LMP = os.environ.get('LMP', 'lmp')
CUT = '12.0'

SLAB_FF = ['pbse_buck_surrogate.ff', 'oleate_ua.ff', 'eg_opls_ua.ff']
SLAB_FF_OLEATE_LAST = ['pbse_buck_surrogate.ff', 'eg_opls_ua.ff', 'oleate_ua.ff']
# case -> [(method, kspace_style, forcefield files in neckmd's order)]
CASES = {
    'slab_oleate_eg': [('ewald', 'ewald 1e-10', SLAB_FF), ('pppm', 'pppm 1e-6', SLAB_FF),
                       ('pppm_oleate_last', 'pppm 1e-6', SLAB_FF_OLEATE_LAST)],
    'eda_box': [('ewald', 'ewald 1e-10', ['eda_ua.ff']), ('pppm', 'pppm 1e-6', ['eda_ua.ff'])],
}


def read_ff(files):
    """Pair lines {(a, b): (form, [str params], source)}, bonded lines {kind: [(names, style,
    [str params])]}, special (lj3, coul3) of the last file that has one."""
    pairs, bonded, special = {}, {'bond': [], 'angle': [], 'dihedral': [], 'improper': []}, None
    for fn in files:
        for ln, line in enumerate(open(os.path.join(POT, fn)), 1):
            w = line.split('#')[0].split()
            if not w:
                continue
            if w[0] == 'pair':
                pairs[(w[1], w[2])] = pairs[(w[2], w[1])] = (w[3], w[4:], '%s:%d' % (fn, ln))
            elif w[0] == 'special':
                assert w[1] == 'lj' and w[5] == 'coul', line
                special = (w[2:5], w[6:9], fn)
            elif w[0] in bonded:
                na = {'bond': 2, 'angle': 3, 'dihedral': 4, 'improper': 4}[w[0]]
                bonded[w[0]].append((w[1:1 + na], w[1 + na], w[2 + na:], '%s:%d' % (fn, ln)))
    return pairs, bonded, special


def read_data_types(path):
    """Type names (Masses comments) and, per bonded kind, each numeric type's atom-type names
    from its first occurrence (as neckmd's read_data does)."""
    names, atype, first = {}, {}, {'bond': {}, 'angle': {}, 'dihedral': {}}
    sec = None
    heads = {'Masses': 'm', 'Atoms': 'a', 'Bonds': 'bond', 'Angles': 'angle', 'Dihedrals': 'dihedral', 'Velocities': 'v'}
    natoms = 0
    for line in open(path):
        w = line.split('#')[0].split()
        if not w:
            continue
        if w[0] in heads and (len(w) == 1):
            sec = heads[w[0]]
            continue
        if len(w) == 2 and w[1] == 'atoms':
            natoms = int(w[0])
        if sec == 'm':
            names[int(w[0])] = line.split('#')[1].strip()
        elif sec == 'a':
            atype[int(w[0])] = int(w[2])
        elif sec in first:
            t = int(w[1])
            if t not in first[sec]:
                first[sec][t] = [names[atype[int(v)]] for v in w[2:]]
    return names, first, natoms


def match(bonded, kind, tnames):
    """The coefficients of a bonded type (last matching non-'fixed' line, either direction)."""
    hit = None
    for names, style, par, src in bonded[kind]:
        if style == 'fixed':
            continue
        if names == tnames or names == tnames[::-1]:
            hit = (style, par, src)
    if hit is None:
        sys.exit('no %s coefficients for %s' % (kind, '-'.join(tnames)))
    return hit


def write_input(case, method, kspace, ffs):
    data = case + '.data'
    names, first, natoms = read_data_types(os.path.join(REF, case, data))
    pairs, bonded, special = read_ff(ffs)
    nt = len(names)
    buck = any(pairs.get((names[i], names[j]), ('',))[0] == 'buck' for i in range(1, nt + 1) for j in range(i, nt + 1))
    L = ['# LAMMPS reference for tests/regress/composite.sh: %s, %s (written by tests/ref/slab_oleate_eg/make_ref.py)' % (case, method),
         '# coefficients copied from potentials/%s; special_bonds = the last file\'s "special" line (%s),' % (' '.join(ffs), special[2]),
         '# as neckmd applies them',
         'units real', 'atom_style full', 'boundary p p p',
         'bond_style harmonic', 'angle_style harmonic', 'dihedral_style opls']
    if buck:
        L.append('pair_style hybrid buck/coul/long %s lj/cut/coul/long %s' % (CUT, CUT))
    else:
        L.append('pair_style lj/cut/coul/long %s' % CUT)
    L.append('pair_modify shift no tail no table 0')
    L.append('special_bonds lj %s coul %s' % (' '.join(special[0]), ' '.join(special[1])))
    L.append('read_data %s' % data)
    for i in range(1, nt + 1):
        for j in range(i, nt + 1):
            p = pairs.get((names[i], names[j]))
            if p is None:
                sys.exit('no pair line for %s %s' % (names[i], names[j]))
            form, par, src = p
            if form == 'buck':
                st = 'buck/coul/long ' if buck else ''
                assert buck
            else:
                assert form == 'lj'
                st = 'lj/cut/coul/long ' if buck else ''
            L.append('pair_coeff %d %d %s%s  # %s-%s %s' % (i, j, st, ' '.join(par), names[i], names[j], src))
    for kind in ('bond', 'angle', 'dihedral'):
        for t in sorted(first[kind]):
            style, par, src = match(bonded, kind, first[kind][t])
            L.append('%s_coeff %d %s  # %s %s' % (kind, t, ' '.join(par), '-'.join(first[kind][t]), src))
    L += ['kspace_style %s' % kspace,
          'neighbor 2.0 bin', 'neigh_modify delay 0 every 1 check yes',
          'thermo_style custom step pe evdwl ecoul elong ebond eangle edihed eimp press pxx pyy pzz pxy pxz pyz',
          'thermo_modify norm no format float %.15g',
          'dump f all custom 1 forces_%s.dump id fx fy fz' % method,
          'dump_modify f sort id format float %.15g',
          'run 0']
    with open(os.path.join(REF, case, 'in.%s.lmp' % method), 'w') as f:
        f.write('\n'.join(L) + '\n')
    return natoms


def extract(case, method, kspace, natoms):
    d = os.path.join(REF, case)
    log = open(os.path.join(d, 'log.%s.lammps' % method)).read()
    lines = log.split('\n')
    i = [k for k, l in enumerate(lines) if l.split()[:2] == ['Step', 'PotEng']][0]
    keys = ['pe', 'evdwl', 'ecoul', 'elong', 'ebond', 'eangle', 'edihed', 'eimp', 'press', 'pxx', 'pyy', 'pzz', 'pxy', 'pxz', 'pyz']
    vals = lines[i + 1].split()[1:]
    extra = ['natoms %d' % natoms, 'cutoff %s' % CUT, 'kspace_accuracy %s' % kspace.split()[1]]
    m = re.search(r'G vector \(1/distance\) = (\S+)', log)
    extra.append('g_ewald %s' % m.group(1))
    if kspace.startswith('pppm'):
        m = re.search(r'grid = (\d+) (\d+) (\d+)', log)
        extra.append('nx %s\nny %s\nnz %s\norder 5' % m.groups())
    else:
        m = re.search(r'KSpace vectors: actual max1d max3d = (\d+) \d+ \d+\s*\n\s*kxmax kymax kzmax\s*= (\d+) (\d+) (\d+)', log)
        extra.append('kcount %s\nkxmax %s\nkymax %s\nkzmax %s' % m.groups())
    m = re.search(r'estimated relative force accuracy = (\S+)', log)
    extra.append('est_rel_force_accuracy %s' % m.group(1))
    with open(os.path.join(d, '%s.energy' % method), 'w') as f:
        f.write('# made by: lmp -in in.%s.lmp (%s)\n' % (method, lines[0].strip()))
        for k, v in zip(keys, vals):
            f.write('%s %s\n' % (k, v))
        f.write('\n'.join(extra) + '\n')
    dump = os.path.join(d, 'forces_%s.dump' % method)
    dl = open(dump).read().split('\n')
    j = [k for k, l in enumerate(dl) if l.startswith('ITEM: ATOMS')][0]
    rows = [l.strip() for l in dl[j + 1:] if l.strip()]
    assert len(rows) == natoms
    with open(os.path.join(d, '%s.forces' % method), 'w') as f:
        f.write('# id fx fy fz (kcal/mol/A)\n')
        f.writelines(r + '\n' for r in rows)
    os.remove(dump)


def main():
    cases = sys.argv[1:] or list(CASES)
    for case in cases:
        d = os.path.join(REF, case)
        subprocess.run([sys.executable, '-B', os.path.join(d, 'make_system.py')], check=True)
        for method, kspace, ffs in CASES[case]:
            natoms = write_input(case, method, kspace, ffs)
            subprocess.run([LMP, '-in', 'in.%s.lmp' % method, '-log', 'log.%s.lammps' % method], cwd=d, check=True,
                           stdout=subprocess.DEVNULL)
            extract(case, method, kspace, natoms)
            print('%s %s: done' % (case, method))


if __name__ == '__main__':
    main()
