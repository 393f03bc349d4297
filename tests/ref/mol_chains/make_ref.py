#!/usr/bin/python3
"""Turn LAMMPS logs and force dumps of this folder into METHOD.energy / METHOD.forces
(the format of tests/ref/README.md). Run after: lmp -in in.METHOD.lmp -log log.METHOD.lammps"""
import sys

for m in ('ewald', 'pppm', 'shift'):
    lines = open('log.%s.lammps' % m).read().split('\n')
    ver = lines[0].strip()
    i = [k for k, l in enumerate(lines) if l.split()[:2] == ['Step', 'PotEng']][0]
    keys = ['pe', 'evdwl', 'ecoul', 'elong', 'ebond', 'eangle', 'edihed', 'eimp', 'press', 'pxx', 'pyy', 'pzz', 'pxy', 'pxz', 'pyz']
    vals = lines[i + 1].split()[1:]
    with open('%s.energy' % m, 'w') as f:
        f.write('# made by: lmp -in in.%s.lmp (%s)\n' % (m, ver))
        for k, v in zip(keys, vals):
            f.write('%s %s\n' % (k, v))
        f.write('natoms 144\ncutoff 10\n')
    d = open('forces_%s.dump' % m).read().split('\n')
    j = [k for k, l in enumerate(d) if l.startswith('ITEM: ATOMS')][0]
    with open('%s.forces' % m, 'w') as f:
        f.write('# id fx fy fz (kcal/mol/A)\n')
        for l in d[j + 1:]:
            if l.strip():
                f.write(l.strip() + '\n')
