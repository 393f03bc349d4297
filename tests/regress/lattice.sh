#!/bin/sh
# Static (0 K) zero-pressure lattice constant and bulk modulus of rock-salt PbSe.
# neckmd has no minimiser or barostat yet, but its virial pressure is the one LAMMPS's
# fix box/relax drives to zero, and for a perfect cubic crystal an isotropic relax ends
# exactly at the root of P(a). So: perfect 4x4x4-cell crystals (512 atoms, made by
# rocksalt.py) at trial lattice constants a, `run 0` on 2 ranks, P read from the record
# JSON (press_atm), and a safeguarded secant search (bracket kept, bisection fallback)
# until |P| < 1 atm. Cutoff 12 A for the short-range and the real-space Coulomb terms.
#   (1) pbse_buck_surrogate.ff, Ewald 1e-8, erfc poly (the settings of
#       tests/ref/bulk_4x4x4/in.relax.lmp): a0 = 6.0765318624 +- 0.0002 A (LAMMPS box/relax);
#       the same with PPPM 1e-6 (the PPPM virial).
#   (2) pbse_lj_q129.ff, Ewald 1e-8, libm erfc: a0 in [6.050, 6.054] A (potentials/README.md:
#       direct lattice sums give 6.0526 A at a 10 A LJ cutoff and 6.0511 A at 22 A).
#   (3) both within 2% of the experimental a = 6.12 A (docs/science.md); the deviations are
#       printed as diagnostics.
#   (4) B = -V dP/dV = -(P(a0(1+d)) - P(a0(1-d))) / (3 ln((1+d)/(1-d))), d = 0.002:
#       surrogate within 5% of the 47.7-48.1 GPa of the notes (docs/forcefield.md,
#       potentials/README.md), LJ within 5% of 54.5 GPa.
. "$top_srcdir/tests/regress/common.sh"
export WORK NECKMD MPIRUN
GEN="$top_srcdir/tests/regress/rocksalt.py"
POTDIR="$POT"
export GEN POTDIR
rc=0
$PYTHON - > "$WORK/lattice.out" 2>&1 <<'EOPY' || rc=$?
import json, math, os, shlex, subprocess, sys

WORK, NECKMD, GEN, POT = os.environ['WORK'], os.environ['NECKMD'], os.environ['GEN'], os.environ['POTDIR']
MPIRUN = shlex.split(os.environ['MPIRUN'])
ATM_TO_GPA = 101325.0e-9
A_LAMMPS = 6.0765318624073    # tests/ref/bulk_4x4x4/relax.txt
A_EXP = 6.12                  # docs/science.md (room temperature)
B_EXP = 54.0                  # GPa, approximate (docs/forcefield.md)
nrun = [0]


def pressure(a, ff, coul, erfc):
    """Virial pressure (atm) of the perfect 4x4x4 crystal at lattice constant a."""
    nrun[0] += 1
    tag = 'p%03d' % nrun[0]
    data = os.path.join(WORK, tag + '.data')
    subprocess.run([sys.executable, GEN, repr(a), '4', data], check=True)
    deck = os.path.join(WORK, 'in.' + tag)
    with open(deck, 'w') as f:
        f.write('read_data %s\nforcefield %s\npair_cutoff 12.0\npair_modify erfc %s\n%s\n'
                'record %s.json\nrun 0\n' % (data, os.path.join(POT, ff), erfc, coul, tag))
    env = dict(os.environ, OMP_NUM_THREADS='1')
    with open(os.path.join(WORK, tag + '.log'), 'w') as log:
        r = subprocess.run(MPIRUN + ['-np', '2', '--oversubscribe', '--allow-run-as-root', '--bind-to', 'none',
                                     NECKMD, 'run', deck], cwd=WORK, env=env, stdout=log, stderr=subprocess.STDOUT)
    if r.returncode != 0:
        raise RuntimeError('neckmd failed for a = %r (%s.log):\n%s' % (a, tag, open(os.path.join(WORK, tag + '.log')).read()[-800:]))
    rec = json.load(open(os.path.join(WORK, tag + '.json')))
    cols = rec['thermo_columns']
    row = rec['thermo'][-1]
    assert rec['system']['natoms'] == 512
    vol = row[cols.index('vol_A3')]
    assert abs(vol - (4 * a) ** 3) <= 1e-9 * vol, (vol, a)
    return row[cols.index('press_atm')]


def root(ff, coul, erfc, a1=6.12, a2=6.04, ptol=1.0, maxit=12):
    """P(a) = 0 by secant steps inside a kept sign-change bracket (bisection if a step leaves it)."""
    p1, p2 = pressure(a1, ff, coul, erfc), pressure(a2, ff, coul, erfc)
    hist = [(a1, p1), (a2, p2)]
    if p1 * p2 > 0:
        raise RuntimeError('no sign change of P between %.4f (%.1f atm) and %.4f (%.1f atm)' % (a1, p1, a2, p2))
    lo, plo, hi, phi = (a1, p1, a2, p2) if p1 > 0 else (a2, p2, a1, p1)  # P(lo) > 0 > P(hi)
    for _ in range(maxit):
        (xa, pa), (xb, pb) = hist[-2], hist[-1]
        if abs(pb) < ptol:
            return xb, pb, hist
        x = xb - pb * (xb - xa) / (pb - pa) if pb != pa else 0.5 * (lo + hi)
        if not (min(lo, hi) < x < max(lo, hi)):
            x = 0.5 * (lo + hi)
        px = pressure(x, ff, coul, erfc)
        hist.append((x, px))
        if px > 0:
            lo, plo = x, px
        else:
            hi, phi = x, px
    raise RuntimeError('no |P| < %g atm after %d steps: %r' % (ptol, maxit, hist))


def bulk_modulus(a0, ff, coul, erfc, d=0.002):
    pp = pressure(a0 * (1 + d), ff, coul, erfc)
    pm = pressure(a0 * (1 - d), ff, coul, erfc)
    return -(pp - pm) / (3.0 * math.log((1 + d) / (1 - d))) * ATM_TO_GPA


def tap(ok, msg):
    print('%sok - %s' % ('' if ok else 'not ', msg))


cases = [  # label, file, coulomb, erfc
    ('surrogate Buckingham, Ewald 1e-8', 'pbse_buck_surrogate.ff', 'coulomb ewald 1e-8', 'poly'),
    ('surrogate Buckingham, PPPM 1e-6', 'pbse_buck_surrogate.ff', 'coulomb pppm 1e-6', 'poly'),
    ('LJ q=1.29, Ewald 1e-8', 'pbse_lj_q129.ff', 'coulomb ewald 1e-8', 'exact'),
]
res = {}
for label, ff, coul, erfc in cases:
    try:
        a0, p0, hist = root(ff, coul, erfc)
    except Exception as e:
        tap(False, '%s: root search: %s' % (label, e))
        continue
    print('%s: %s' % (label, ', '.join('P(%.7f) = %.4g atm' % h for h in hist)))
    B = None
    if 'PPPM' not in label:
        try:
            B = bulk_modulus(a0, ff, coul, erfc)
        except Exception as e:
            tap(False, '%s: bulk modulus: %s' % (label, e))
    res[label] = (a0, p0, B, len(hist))

k = cases[0][0]
if k in res:
    a0, p0, B, n = res[k]
    tap(abs(a0 - A_LAMMPS) <= 2e-4, 'pbse_buck_surrogate (Ewald 1e-8): a0 = %.6f A (P = %.3g atm, %d runs) vs LAMMPS box/relax %.6f A: diff %.2e A (<= 2e-4)'
        % (a0, p0, n, A_LAMMPS, a0 - A_LAMMPS))
k = cases[1][0]
if k in res:
    a0, p0, B, n = res[k]
    tap(abs(a0 - A_LAMMPS) <= 2e-4, 'pbse_buck_surrogate (PPPM 1e-6): a0 = %.6f A (P = %.3g atm, %d runs) vs LAMMPS box/relax %.6f A: diff %.2e A (<= 2e-4)'
        % (a0, p0, n, A_LAMMPS, a0 - A_LAMMPS))
k = cases[2][0]
if k in res:
    a0, p0, B, n = res[k]
    tap(6.050 <= a0 <= 6.054, 'pbse_lj_q129 (Ewald 1e-8, 12 A cutoff): a0 = %.6f A (P = %.3g atm, %d runs), within [6.050, 6.054] '
        '(lattice sums: 6.0526 at a 10 A cutoff, 6.0511 at 22 A)' % (a0, p0, n))
for k, name, blo, bhi in ((cases[0][0], 'pbse_buck_surrogate', 47.7, 48.1), (cases[2][0], 'pbse_lj_q129', 54.5, 54.5)):
    if k not in res:
        continue
    a0, p0, B, n = res[k]
    dev = (a0 - A_EXP) / A_EXP
    print('%s: a0 - a_exp = %+.4f A (%+.2f%% of the experimental 6.12 A, a room-temperature value)' % (name, a0 - A_EXP, 100 * dev))
    tap(abs(dev) <= 0.02, '%s: a0 = %.5f A within 2%% of experiment (6.12 A): %+.2f%%' % (name, a0, 100 * dev))
    if B is not None:
        print('%s: B = %.2f GPa; experiment ~%.0f GPa: %+.1f%%' % (name, B, B_EXP, 100 * (B - B_EXP) / B_EXP))
        tap(0.95 * blo <= B <= 1.05 * bhi, '%s: B = -V dP/dV = %.2f GPa within 5%% of the notes (%s GPa)'
            % (name, B, ('%.1f-%.1f' % (blo, bhi)) if blo != bhi else '%.1f' % blo))
EOPY
tap_pipe < "$WORK/lattice.out"
# 7 checks: a0 x 3, 2% of experiment x 2, B x 2; anything less means a search or a run failed
[ "$rc" -eq 0 ] && [ "$ntap" -eq 7 ] || notok "lattice search incomplete (python exit $rc, $ntap of 7 checks)"
finish
