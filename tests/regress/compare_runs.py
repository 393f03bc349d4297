#!/usr/bin/python3
"""Compare two neckmd runs: forces files (energies in the header, per-atom forces) and/or
run records (thermo rows). Prints one TAP line per comparison.

usage: compare_runs.py LABEL --forces A B [--rtol 1e-10]
       compare_runs.py LABEL --thermo A.json B.json [--rtol 1e-10] [--cols pe,ke,etotal,press_atm]"""
import json
import math
import sys


def read_forces(path):
    terms, forces = {}, {}
    for line in open(path):
        w = line[1:].split() if line.startswith('#') else line.split()
        if line.startswith('#'):
            if len(w) == 2:
                try:
                    terms[w[0]] = float(w[1])
                except ValueError:
                    pass
        elif len(w) == 4:
            forces[int(w[0])] = [float(v) for v in w[1:]]
    return terms, forces


def main():
    a = sys.argv[1:]
    label = a[0]
    rtol = float(a[a.index('--rtol') + 1]) if '--rtol' in a else 1e-10
    if '--forces' in a:
        i = a.index('--forces')
        ta, fa = read_forces(a[i + 1])
        tb, fb = read_forces(a[i + 2])
        worst = 0.0
        for k in ('pe', 'evdwl', 'ecoul', 'elong', 'press'):
            if k in ta and k in tb:
                worst = max(worst, abs(ta[k] - tb[k]) / max(abs(tb[k]), 1e-3 * abs(tb['pe'])))
        ok = worst <= rtol
        print('%sok - %s energies: max relative difference %.2e (tol %.0e)' % ('' if ok else 'not ', label, worst, rtol))
        num = den = 0.0
        for gid, f in fb.items():
            g = fa.get(gid, [math.inf] * 3)
            num += sum((g[c] - f[c]) ** 2 for c in range(3))
            den += sum(f[c] ** 2 for c in range(3))
        rel = math.sqrt(num / max(den, len(fb)))
        ok2 = len(fa) == len(fb) and rel <= 10 * rtol
        print('%sok - %s forces: relative RMS difference %.2e (tol %.0e), %d atoms' % ('' if ok2 else 'not ', label, rel, 10 * rtol, len(fa)))
        return 0 if ok and ok2 else 1
    i = a.index('--thermo')
    ra, rb = json.load(open(a[i + 1])), json.load(open(a[i + 2]))
    cols = (a[a.index('--cols') + 1] if '--cols' in a else 'pe,ke,etotal,press_atm').split(',')
    idx = [ra['thermo_columns'].index(c) for c in cols]
    rows_a, rows_b = ra['thermo'], rb['thermo']
    worst, where = 0.0, ''
    scale = max(abs(r[ra['thermo_columns'].index('pe')]) for r in rows_b)
    for x, y in zip(rows_a, rows_b):
        for j, c in zip(idx, cols):
            d = abs(x[j] - y[j]) / max(abs(y[j]), 1e-3 * scale if c != 'press_atm' else 1.0)
            if d > worst:
                worst, where = d, 'step %d %s' % (y[0], c)
    ok = len(rows_a) == len(rows_b) and worst <= rtol
    print('%sok - %s thermo (%d rows): max relative difference %.2e at %s (tol %.0e)' % ('' if ok else 'not ', label, len(rows_b), worst, where or '-', rtol))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
