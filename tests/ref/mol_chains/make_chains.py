#!/usr/bin/python3
"""Make mol_chains.data: 24 six-site united-atom chains in a 24 A periodic box, for testing
bonded terms, 1-2/1-3/1-4 exclusions and scaling, and their long-range correction against
LAMMPS. Not a physical model: generic parameters in the data file's Coeffs sections.
Sites: 1 = CH3 (q +0.25), 2 = CH2 (q -0.25 / +0.25 alternating so each chain is neutral),
3 = OX (q -0.5, a polar end). Deterministic (seed fixed); molecules are placed anywhere,
so many cross the periodic boundaries."""
import math
import random

random.seed(7)
L = 24.0
nmol = 24
atoms, bonds, angles, diheds, imprs = [], [], [], [], []
# zig-zag chain in a local frame: bond 1.54, angle 114 deg, all-trans except one gauche
def chain():
    pts = [(0.0, 0.0, 0.0)]
    th = math.radians(114.0)
    b = 1.54
    pts.append((b, 0.0, 0.0))
    pts.append((b - b * math.cos(th), b * math.sin(th), 0.0))
    # further atoms by torsion construction
    tors = [180.0, 65.0, 180.0]
    for t in tors:
        a, bb, c = pts[-3], pts[-2], pts[-1]
        bc = [c[i] - bb[i] for i in range(3)]
        nbc = math.sqrt(sum(v * v for v in bc))
        bc = [v / nbc for v in bc]
        ab = [bb[i] - a[i] for i in range(3)]
        n = [ab[1] * bc[2] - ab[2] * bc[1], ab[2] * bc[0] - ab[0] * bc[2], ab[0] * bc[1] - ab[1] * bc[0]]
        nn = math.sqrt(sum(v * v for v in n))
        n = [v / nn for v in n]
        m = [n[1] * bc[2] - n[2] * bc[1], n[2] * bc[0] - n[0] * bc[2], n[0] * bc[1] - n[1] * bc[0]]
        phi = math.radians(t)
        d2 = [-b * math.cos(th), b * math.sin(th) * math.cos(phi), b * math.sin(th) * math.sin(phi)]
        d = [d2[0] * bc[i] + d2[1] * m[i] + d2[2] * n[i] for i in range(3)]
        pts.append(tuple(c[i] + d[i] for i in range(3)))
    return pts

def rot(p, q):
    a, b, c, d = q
    R = [[a*a+b*b-c*c-d*d, 2*(b*c-a*d), 2*(b*d+a*c)],
         [2*(b*c+a*d), a*a-b*b+c*c-d*d, 2*(c*d-a*b)],
         [2*(b*d-a*c), 2*(c*d+a*b), a*a-b*b-c*c+d*d]]
    return tuple(sum(R[i][j] * p[j] for j in range(3)) for i in range(3))

base = chain()
placed = []
aid = 0
for m in range(nmol):
    for attempt in range(10000):
        q = [random.gauss(0, 1) for _ in range(4)]
        nq = math.sqrt(sum(v * v for v in q))
        q = [v / nq for v in q]
        shift = [random.uniform(0, L) for _ in range(3)]
        pts = [tuple(rot(p, q)[i] + shift[i] for i in range(3)) for p in base]
        ok = True
        for p in pts:
            for o in placed:
                d = [p[i] - o[i] for i in range(3)]
                d = [v - L * round(v / L) for v in d]
                if sum(v * v for v in d) < 3.2 ** 2:
                    ok = False
                    break
            if not ok:
                break
        if ok:
            break
    placed.extend(pts)
    types = [1, 2, 2, 2, 2, 3]
    charges = [0.25, -0.25, 0.25, -0.25, 0.5, -0.5]
    ids = []
    for k, p in enumerate(pts):
        aid += 1
        ids.append(aid)
        img = [math.floor(p[i] / L) for i in range(3)]
        w = [p[i] - L * img[i] for i in range(3)]
        atoms.append((aid, m + 1, types[k], charges[k], w, img))
    for k in range(5):
        bonds.append((1 if k < 4 else 2, ids[k], ids[k + 1]))
    for k in range(4):
        angles.append((1 if k < 3 else 2, ids[k], ids[k + 1], ids[k + 2]))
    for k in range(3):
        diheds.append((1 if k < 2 else 2, ids[k], ids[k + 1], ids[k + 2], ids[k + 3]))
    imprs.append((1, ids[1], ids[2], ids[3], ids[4]))  # a 65 deg (non-planar) improper: |chi| has a cusp at 0

with open('mol_chains.data', 'w') as f:
    f.write('mol_chains: 24 six-site test chains (generic parameters, not a physical model)\n\n')
    f.write('%d atoms\n3 atom types\n%d bonds\n2 bond types\n%d angles\n2 angle types\n%d dihedrals\n2 dihedral types\n%d impropers\n1 improper types\n\n'
            % (len(atoms), len(bonds), len(angles), len(diheds), len(imprs)))
    f.write('0.0 %.1f xlo xhi\n0.0 %.1f ylo yhi\n0.0 %.1f zlo zhi\n\n' % (L, L, L))
    f.write('Masses\n\n1 15.035 # CH3\n2 14.027 # CH2\n3 15.999 # OX\n\n')
    f.write('Pair Coeffs # lj/cut/coul/long\n\n1 0.195 3.75\n2 0.091 3.95\n3 0.170 3.07\n\n')
    f.write('Bond Coeffs # harmonic\n\n1 268.0 1.529\n2 320.0 1.43\n\n')
    f.write('Angle Coeffs # harmonic\n\n1 58.35 112.7\n2 50.0 109.5\n\n')
    f.write('Dihedral Coeffs # opls\n\n1 1.411 -0.271 3.145 0.0\n2 -0.356 -0.174 0.492 0.1\n\n')
    f.write('Improper Coeffs # harmonic\n\n1 5.0 30.0\n\n')
    f.write('Atoms # full\n\n')
    for a in atoms:
        f.write('%d %d %d %.4f %.10f %.10f %.10f %d %d %d\n' % (a[0], a[1], a[2], a[3], a[4][0], a[4][1], a[4][2], a[5][0], a[5][1], a[5][2]))
    f.write('\nBonds\n\n')
    for i, b in enumerate(bonds):
        f.write('%d %d %d %d\n' % (i + 1, b[0], b[1], b[2]))
    f.write('\nAngles\n\n')
    for i, b in enumerate(angles):
        f.write('%d %d %d %d %d\n' % (i + 1, b[0], b[1], b[2], b[3]))
    f.write('\nDihedrals\n\n')
    for i, b in enumerate(diheds):
        f.write('%d %d %d %d %d %d\n' % (i + 1, b[0], b[1], b[2], b[3], b[4]))
    f.write('\nImpropers\n\n')
    for i, b in enumerate(imprs):
        f.write('%d %d %d %d %d %d\n' % (i + 1, b[0], b[1], b[2], b[3], b[4]))
