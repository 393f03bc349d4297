#!/usr/bin/python3
"""Compare a neckmd write_forces file with a LAMMPS reference (tests/ref/CASE/METHOD.energy
and .forces) and print TAP lines (no plan: the calling script prints it).

usage: compare_ref.py NECKMD_FORCES REF_PREFIX LABEL [--etol 1e-6] [--ftol 1e-5]
       [--terms pe,evdwl,ecoul,elong,press] [--eshift KEY=VALUE ...]

Energies: |neckmd - ref| / max(|ref|, 1e-3 * |ref pe|) <= etol (the floor keeps terms that
are nearly zero, e.g. a small vdW sum, from demanding impossible relative accuracy).
Forces: relative RMS sqrt(sum |F - Fref|^2 / max(sum |Fref|^2, N)) <= ftol (kcal/mol/A).
--eshift adds a documented constant to a neckmd term before comparing (e.g. the DSF self
term convention that differs between Fennell-Gezelter and LAMMPS)."""
import math
import sys


def read_neckmd(path):
    terms, forces = {}, {}
    with open(path) as fp:
        for line in fp:
            if line.startswith('#'):
                w = line[1:].split()
                if len(w) == 2:
                    try:
                        terms[w[0]] = float(w[1])
                    except ValueError:
                        pass
                continue
            w = line.split()
            if len(w) == 4:
                forces[int(w[0])] = tuple(float(v) for v in w[1:])
    return terms, forces


def read_ref(prefix):
    terms, forces = {}, {}
    with open(prefix + '.energy') as fp:
        for line in fp:
            w = line.split()
            if len(w) == 2 and not line.startswith('#'):
                try:
                    terms[w[0]] = float(w[1])
                except ValueError:
                    pass
    with open(prefix + '.forces') as fp:
        for line in fp:
            if line.startswith('#'):
                continue
            w = line.split()
            if len(w) == 4:
                forces[int(w[0])] = tuple(float(v) for v in w[1:])
    return terms, forces


def main():
    args = sys.argv[1:]
    opts = {'--etol': '1e-6', '--ftol': '1e-5', '--terms': 'pe,evdwl,ecoul,elong,press'}
    shifts = {}
    pos = []
    i = 0
    while i < len(args):
        if args[i] == '--eshift':
            k, v = args[i + 1].split('=')
            shifts[k] = float(v)
            i += 2
        elif args[i] in opts:
            opts[args[i]] = args[i + 1]
            i += 2
        else:
            pos.append(args[i])
            i += 1
    mine_path, ref_prefix, label = pos
    etol, ftol = float(opts['--etol']), float(opts['--ftol'])
    try:
        mt, mf = read_neckmd(mine_path)
    except OSError as e:
        print('not ok - %s: no neckmd output (%s)' % (label, e))
        return 1
    rt, rf = read_ref(ref_prefix)
    fails = 0
    floor = 1e-3 * abs(rt.get('pe', 1.0))
    for t in opts['--terms'].split(','):
        if t not in rt:
            continue
        a = mt.get(t, float('nan')) + shifts.get(t, 0.0)
        b = rt[t]
        rel = abs(a - b) / max(abs(b), floor)
        ok = rel <= etol
        fails += not ok
        print('%sok - %s %s: neckmd %.12g lammps %.12g rel %.2e (tol %.0e)' % ('' if ok else 'not ', label, t, a, b, rel, etol))
    num = den = 0.0
    missing = 0
    for gid, fref in rf.items():
        f = mf.get(gid)
        if f is None:
            missing += 1
            continue
        num += sum((f[k] - fref[k]) ** 2 for k in range(3))
        den += sum(fref[k] ** 2 for k in range(3))
    # floor: 1 kcal/mol/A per atom, so systems whose forces vanish by symmetry (perfect
    # crystals, ~1e-13) are judged by the absolute RMS difference instead
    den = max(den, float(len(rf)))
    rel = math.sqrt(num / den)
    ok = missing == 0 and len(mf) == len(rf) and rel <= ftol
    fails += not ok
    print('%sok - %s forces: relative RMS %.2e (tol %.0e), %d atoms%s' % ('' if ok else 'not ', label, rel, ftol, len(mf), '' if not missing else ', %d MISSING' % missing))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
