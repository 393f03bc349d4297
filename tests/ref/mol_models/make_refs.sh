#!/bin/sh
# Developer tool (needs lmp): rattle the single-molecule files of ../mol (models from
# potentials/*.ff, equilibrium geometry) by up to 0.15 A so every bonded term has a force,
# then run LAMMPS (Ewald 1e-10) with the coefficients written out by ../mol/in.NAME.lmp and
# store NAME.energy / NAME.forces for tests/regress/models.sh.
set -e
cd "$(dirname "$0")"
for name in eg_single eda_single oleate_single; do
    /usr/bin/python3 - "$name" <<'EOPY'
import random, sys
name = sys.argv[1]
random.seed(11)
lines = open('../mol/%s.data' % name).read().split('\n')
out, sec = [], None
for l in lines:
    w = l.split()
    if l.strip() in ('Atoms # full', 'Atoms'):
        sec = 'atoms'
    elif l.strip() and not l[0].isdigit() and not l[0].isspace() and sec == 'atoms' and len(w) < 7:
        sec = None
    if sec == 'atoms' and len(w) >= 7 and w[0].isdigit():
        for k in (4, 5, 6):
            w[k] = '%.10f' % (float(w[k]) + random.uniform(-0.15, 0.15))
        l = ' '.join(w)
    out.append(l)
open('%s.data' % name, 'w').write('\n'.join(out))
EOPY
    sed -e "s/read_data .*/read_data $name.data/" -e "s/kspace_style .*/kspace_style ewald 1e-10/" \
        -e "s/^thermo_style .*/thermo_style custom step pe evdwl ecoul elong ebond eangle edihed eimp press/" \
        -e "s/^run 0/dump f all custom 1 f.dump id fx fy fz\ndump_modify f sort id format float %.15g\nrun 0/" \
        ../mol/in.$name.lmp > in.$name.lmp
    grep -q "kspace_style" in.$name.lmp || sed -i "s/^thermo_style/kspace_style ewald 1e-10\nthermo_style/" in.$name.lmp
    lmp -in in.$name.lmp -log log.$name.lammps > /dev/null
    /usr/bin/python3 - "$name" <<'EOPY'
import sys
name = sys.argv[1]
lines = open('log.%s.lammps' % name).read().split('\n')
i = [k for k, l in enumerate(lines) if l.split()[:2] == ['Step', 'PotEng']][0]
keys = ['pe', 'evdwl', 'ecoul', 'elong', 'ebond', 'eangle', 'edihed', 'eimp', 'press']
with open('%s.energy' % name, 'w') as f:
    f.write('# made by: lmp -in in.%s.lmp (%s)\n' % (name, lines[0].strip()))
    for k, v in zip(keys, lines[i + 1].split()[1:]):
        f.write('%s %s\n' % (k, v))
d = open('f.dump').read().split('\n')
j = [k for k, l in enumerate(d) if l.startswith('ITEM: ATOMS')][0]
with open('%s.forces' % name, 'w') as f:
    f.write('# id fx fy fz (kcal/mol/A)\n')
    f.writelines(l.strip() + '\n' for l in d[j + 1:] if l.strip())
EOPY
    rm -f f.dump
done
