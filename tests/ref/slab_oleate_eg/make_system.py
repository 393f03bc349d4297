#!/usr/bin/python3
"""Make slab_oleate_eg.data: a composite test system for issue 3 (neckmd vs LAMMPS with all
three shipped model files loaded together, and NVE with SHAKE at 2 fs).

  * PbSe {100} slab, rock salt a = 6.12 A, 4 x 4 conventional cells laterally (24.48 A, the
    box's x and y: the slab is periodic in x and y) x 2 cells thick (4 atomic layers,
    128 Pb + 128 Se), bottom layer at z = 1.0 A;
  * 2 Pb adatoms on the top surface, on the next rock-salt layer (above surface Se), so the
    slab is Pb-rich by 2: N_Pb - N_Se = 2;
  * 4 oleates (potentials/oleate_ua.ff, -0.645 e each: N_oleate = 2 (N_Pb - N_Se) = 4, total
    charge exactly 0), each chelating a surface Pb: both carboxylate O 2.5 A from that Pb, the
    O-C-O plane vertical, the chain (geometry of tests/ref/mol/oleate_single.data: all-trans,
    cis C9=C10) pointing up;
  * 20 ethylene glycols (potentials/eg_opls_ua.ff, geometry of tests/ref/mol/eg_single.data,
    gauche) at random positions and orientations in the space left above the slab;
  * box 24.48 x 24.48 x 40 A, periodic; every atom then displaced by a uniform random amount
    of up to 0.1 A per coordinate (so bonds and angles are off their minimum and every term
    has a force); no two atoms of different molecules (or of the slab) closer than 2.3 A
    after that (checked; the placement itself keeps 3.0 A).

Type table (one for the whole system; Masses '# Name' comments are the .ff type names):
  1 Pb  2 Se  3 OL_C  4 OL_O  5 OL_CA  6 OL_CH2  7 OL_CH  8 OL_CH3  9 EG_CH2  10 EG_O  11 EG_H
Bonded types: the oleate file's numbering (tests/ref/mol/oleate_single.data: bonds 1-7,
angles 1-8, dihedrals 1-8), then the EG file's shifted behind it (bonds 8-10, angles 9-10,
dihedrals 9-10). Bond types 3-7 (oleate chain, 'fixed' in oleate_ua.ff) and 10 (EG O-H)
are the ones SHAKE constrains in tests/regress/composite.sh.

Deterministic (fixed seeds, stdlib only): running it again rewrites the same file. The
functions are reused by ../eda_box/make_system.py.

usage: make_system.py            (writes slab_oleate_eg.data next to this script)"""
import math
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MOL = os.path.join(HERE, '..', 'mol')


# ---------------------------------------------------------------- molecules and geometry
def read_molecule(path):
    """Read a single-molecule LAMMPS data file of tests/ref/mol: returns dict with
    'names' (type number -> name), 'masses', 'atoms' [(type, q, (x, y, z))] in id order,
    and 'bonds', 'angles', 'dihedrals' [(type, i0, i1, ...)] with 0-based atom indices,
    'ntypes' {'bond': n, 'angle': n, 'dihedral': n}."""
    lines = open(path).read().split('\n')
    mol = {'names': {}, 'masses': {}, 'atoms': [], 'bonds': [], 'angles': [], 'dihedrals': [],
           'ntypes': {'bond': 0, 'angle': 0, 'dihedral': 0}}
    sec = None
    heads = {'Masses': 'masses', 'Atoms': 'atoms', 'Bonds': 'bonds', 'Angles': 'angles', 'Dihedrals': 'dihedrals',
             'Impropers': 'impropers'}
    for l in lines:
        s = l.split('#')[0].split()
        if not s:
            continue
        if s[0] in heads and len(s) == 1:
            sec = heads[s[0]]
            continue
        if len(s) == 3 and s[1] == 'bond' and s[2] == 'types':
            mol['ntypes']['bond'] = int(s[0])
        if len(s) == 3 and s[1] == 'angle' and s[2] == 'types':
            mol['ntypes']['angle'] = int(s[0])
        if len(s) == 3 and s[1] == 'dihedral' and s[2] == 'types':
            mol['ntypes']['dihedral'] = int(s[0])
        if sec == 'masses':
            mol['masses'][int(s[0])] = float(s[1])
            mol['names'][int(s[0])] = l.split('#')[1].strip()
        elif sec == 'atoms':
            mol['atoms'].append((int(s[2]), float(s[3]), (float(s[4]), float(s[5]), float(s[6]))))
        elif sec in ('bonds', 'angles', 'dihedrals'):
            mol[sec].append(tuple([int(s[1])] + [int(v) - 1 for v in s[2:]]))
    return mol


def sub(a, b):
    return [a[i] - b[i] for i in range(3)]


def dot(a, b):
    return sum(a[i] * b[i] for i in range(3))


def cross(a, b):
    return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]


def unit(a):
    n = math.sqrt(dot(a, a))
    return [v / n for v in a]


def rot_z(p, ang):
    c, s = math.cos(ang), math.sin(ang)
    return [c * p[0] - s * p[1], s * p[0] + c * p[1], p[2]]


def rot_quat(p, q):
    a, b, c, d = q
    R = [[a*a+b*b-c*c-d*d, 2*(b*c-a*d), 2*(b*d+a*c)],
         [2*(b*c+a*d), a*a-b*b+c*c-d*d, 2*(c*d-a*b)],
         [2*(b*d-a*c), 2*(c*d+a*b), a*a-b*b-c*c+d*d]]
    return [sum(R[i][j] * p[j] for j in range(3)) for i in range(3)]


def random_quat(rng):
    q = [rng.gauss(0, 1) for _ in range(4)]
    n = math.sqrt(sum(v * v for v in q))
    return [v / n for v in q]


def centred(mol):
    pts = [a[2] for a in mol['atoms']]
    c = [sum(p[i] for p in pts) / len(pts) for i in range(3)]
    return [sub(p, c) for p in pts]


def min_image_d2(p, o, L):
    d = sub(p, o)
    d = [d[i] - L[i] * round(d[i] / L[i]) for i in range(3)]
    return dot(d, d)


class Grid:
    """Cell list for clash checks under periodic minimum image."""
    def __init__(self, L, cell=3.5):
        self.L = L
        self.n = [max(1, int(L[i] // cell)) for i in range(3)]
        self.cells = {}

    def key(self, p):
        return tuple(int(math.floor((p[i] % self.L[i]) / self.L[i] * self.n[i])) % self.n[i] for i in range(3))

    def add(self, p, tag):
        self.cells.setdefault(self.key(p), []).append((p, tag))

    def near(self, p, rmin, skip=None):
        """True if any stored point (other than tag skip) is closer than rmin."""
        k = self.key(p)
        seen = set()
        for dx in range(-1, 2):
            for dy in range(-1, 2):
                for dz in range(-1, 2):
                    c = ((k[0] + dx) % self.n[0], (k[1] + dy) % self.n[1], (k[2] + dz) % self.n[2])
                    if c in seen:
                        continue
                    seen.add(c)
                    for o, tag in self.cells.get(c, ()):
                        if tag != skip and min_image_d2(p, o, self.L) < rmin * rmin:
                            return True
        return False


def min_intermolecular(atoms, L, slab_mol=None):
    """Smallest distance between atoms of different molecules (atoms of molecule slab_mol
    count as separate: every slab pair counts), minimum image; brute force."""
    best = (1e9, None, None)
    n = len(atoms)
    for i in range(n):
        for j in range(i + 1, n):
            a, b = atoms[i], atoms[j]
            if a['mol'] == b['mol'] and a['mol'] != slab_mol:
                continue
            d2 = min_image_d2(a['x'], b['x'], L)
            if d2 < best[0]:
                best = (d2, a['id'], b['id'])
    return math.sqrt(best[0]), best[1], best[2]


# ---------------------------------------------------------------- building blocks
class System:
    def __init__(self, L, type_names, masses):
        self.L = L
        self.type_names = type_names      # list, index = type - 1
        self.masses = masses
        self.atoms = []                   # dicts: id mol type q x
        self.topo = {'bonds': [], 'angles': [], 'dihedrals': []}
        self.ntopotypes = {'bonds': 0, 'angles': 0, 'dihedrals': 0}
        self.grid = Grid(L)
        self.nmol = 0

    def add_molecule(self, mol, pts, type_map, shifts, mol_id=None):
        """Append one molecule: pts = positions in mol['atoms'] order; type_map: molecule
        type number -> system type; shifts: bonded type offsets {'bonds': k, ...}."""
        if mol_id is None:
            self.nmol += 1
            mol_id = self.nmol
        base = len(self.atoms)
        for (t, q, _), p in zip(mol['atoms'], pts):
            self.atoms.append({'id': len(self.atoms) + 1, 'mol': mol_id, 'type': type_map[t], 'q': q, 'x': list(p)})
            self.grid.add(p, mol_id)
        for sec in ('bonds', 'angles', 'dihedrals'):
            for rec in mol[sec]:
                self.topo[sec].append(tuple([rec[0] + shifts[sec]] + [base + 1 + i for i in rec[1:]]))

    def add_atom(self, t, q, p, mol_id):
        self.atoms.append({'id': len(self.atoms) + 1, 'mol': mol_id, 'type': t, 'q': q, 'x': list(p)})
        self.grid.add(p, ('atom', len(self.atoms)))

    def clashes(self, pts, rmin):
        return any(self.grid.near(p, rmin) for p in pts)

    def rattle(self, amp, seed):
        rng = random.Random(seed)
        for a in self.atoms:
            a['x'] = [a['x'][i] + rng.uniform(-amp, amp) for i in range(3)]

    def charge(self):
        return sum(a['q'] for a in self.atoms)

    def write(self, path, title):
        L = self.L
        with open(path, 'w') as f:
            f.write(title + '\n\n')
            f.write('%d atoms\n%d bonds\n%d angles\n%d dihedrals\n0 impropers\n\n' %
                    (len(self.atoms), len(self.topo['bonds']), len(self.topo['angles']), len(self.topo['dihedrals'])))
            f.write('%d atom types\n%d bond types\n%d angle types\n%d dihedral types\n\n' %
                    (len(self.type_names), self.ntopotypes['bonds'], self.ntopotypes['angles'], self.ntopotypes['dihedrals']))
            f.write('0.0 %.4f xlo xhi\n0.0 %.4f ylo yhi\n0.0 %.4f zlo zhi\n\n' % (L[0], L[1], L[2]))
            f.write('Masses\n\n')
            for i, (n, m) in enumerate(zip(self.type_names, self.masses)):
                f.write('%d %s # %s\n' % (i + 1, repr(m), n))
            f.write('\nAtoms # full\n\n')
            for a in self.atoms:
                img = [int(math.floor(a['x'][i] / L[i])) for i in range(3)]
                w = [a['x'][i] - L[i] * img[i] for i in range(3)]
                f.write('%d %d %d %.4f %.10f %.10f %.10f %d %d %d\n' %
                        (a['id'], a['mol'], a['type'], a['q'], w[0], w[1], w[2], img[0], img[1], img[2]))
            for sec, head in (('bonds', 'Bonds'), ('angles', 'Angles'), ('dihedrals', 'Dihedrals')):
                if not self.topo[sec]:
                    continue
                f.write('\n%s\n\n' % head)
                for i, rec in enumerate(self.topo[sec]):
                    f.write('%d %s\n' % (i + 1, ' '.join(str(v) for v in rec)))


def place_random(system, mol, count, zrange, rmin, seed, type_map, shifts, max_tries=200000):
    """Place count copies of mol at random orientations, centres uniform in the box (z in
    zrange, may exceed the box: wrapped by the writer), at least rmin from every atom."""
    rng = random.Random(seed)
    base = centred(mol)
    L = system.L
    placed = 0
    tries = 0
    while placed < count:
        tries += 1
        if tries > max_tries:
            sys.exit('place_random: could not place molecule %d of %d' % (placed + 1, count))
        q = random_quat(rng)
        c = [rng.uniform(0, L[0]), rng.uniform(0, L[1]), rng.uniform(zrange[0], zrange[1])]
        pts = [[v + c[i] for i, v in enumerate(rot_quat(p, q))] for p in base]
        if any(p[2] < zrange[0] - 3.0 or p[2] > zrange[1] + 3.0 for p in pts):
            continue
        if system.clashes(pts, rmin):
            continue
        system.add_molecule(mol, pts, type_map, shifts)
        placed += 1
    return tries


# ---------------------------------------------------------------- the slab system
A = 6.12
NXY = 8          # half-lattice sites per lateral direction (4 conventional cells)
NLAYER = 4       # atomic (100) layers (2 conventional cells)
Z0 = 1.0         # bottom layer
LZ = 40.0
Q_PB, Q_SE = 1.29, -1.29
M_PB, M_SE = 207.2, 78.971
PB_O = 2.5       # chelating Pb-O distance of the oleate heads (A)
OLEATE_SITES = [(1, 0), (5, 0), (1, 4), (5, 4)]   # surface Pb (top layer, i + j odd)
ADATOM_SITES = [(3, 3), (7, 7)]                     # above surface Se (next layer, i + j even)
N_EG = 20
RMIN_PLACE = 3.0
RMIN_FINAL = 2.3


def oleate_frame(mol):
    """Oleate coordinates in a frame with the O-O midpoint at the origin, O-O along x and the
    chain (centroid of all sites) along +z (orthogonalised against O-O)."""
    pts = [a[2] for a in mol['atoms']]
    o1, o2 = pts[1], pts[2]
    mid = [(o1[i] + o2[i]) / 2 for i in range(3)]
    ex = unit(sub(o2, o1))
    cen = [sum(p[i] for p in pts) / len(pts) for i in range(3)]
    ez = sub(cen, mid)
    ez = unit([ez[i] - dot(ez, ex) * ex[i] for i in range(3)])
    ey = cross(ez, ex)
    return [[dot(sub(p, mid), ex), dot(sub(p, mid), ey), dot(sub(p, mid), ez)] for p in pts]


def build_slab_system():
    ole = read_molecule(os.path.join(MOL, 'oleate_single.data'))
    eg = read_molecule(os.path.join(MOL, 'eg_single.data'))
    names = ['Pb', 'Se'] + [ole['names'][t] for t in sorted(ole['names'])] + [eg['names'][t] for t in sorted(eg['names'])]
    masses = [M_PB, M_SE] + [ole['masses'][t] for t in sorted(ole['masses'])] + [eg['masses'][t] for t in sorted(eg['masses'])]
    ole_map = {t: 2 + t for t in ole['names']}
    eg_map = {t: 2 + len(ole['names']) + t for t in eg['names']}
    L = [NXY * A / 2, NXY * A / 2, LZ]
    S = System(L, names, masses)
    S.ntopotypes = {'bonds': ole['ntypes']['bond'] + eg['ntypes']['bond'],
                    'angles': ole['ntypes']['angle'] + eg['ntypes']['angle'],
                    'dihedrals': ole['ntypes']['dihedral'] + eg['ntypes']['dihedral']}
    ole_shift = {'bonds': 0, 'angles': 0, 'dihedrals': 0}
    eg_shift = {'bonds': ole['ntypes']['bond'], 'angles': ole['ntypes']['angle'], 'dihedrals': ole['ntypes']['dihedral']}

    # slab (molecule 1): site (i, j, k) is Pb if i + j + k is even
    h = A / 2
    for i in range(NXY):
        for j in range(NXY):
            for k in range(NLAYER):
                pb = (i + j + k) % 2 == 0
                S.add_atom(1 if pb else 2, Q_PB if pb else Q_SE, (i * h, j * h, Z0 + k * h), 1)
    ztop = Z0 + (NLAYER - 1) * h
    for (i, j) in ADATOM_SITES:
        assert (i + j + NLAYER) % 2 == 0, 'adatom must sit on a Pb site of the next layer'
        S.add_atom(1, Q_PB, (i * h, j * h, ztop + h), 1)
    S.nmol = 1
    npb = sum(1 for a in S.atoms if a['type'] == 1)
    nse = sum(1 for a in S.atoms if a['type'] == 2)
    nole = 2 * (npb - nse)
    assert nole == len(OLEATE_SITES), (npb, nse)

    # oleates: O-O midpoint above the surface Pb so that both Pb-O = PB_O; chain up; the
    # rotation about z is the first of 0, 15, 30, ... deg that keeps RMIN_PLACE from all
    frame = oleate_frame(ole)
    doo = math.sqrt(dot(sub(frame[2], frame[1]), sub(frame[2], frame[1])))
    hz = math.sqrt(PB_O ** 2 - (doo / 2) ** 2)
    for (i, j) in OLEATE_SITES:
        assert (i + j + NLAYER - 1) % 2 == 0, 'oleate site must be a surface Pb'
        pb = (i * h, j * h, ztop)
        for step in range(24):
            ang = math.radians(15.0 * step)
            pts = [[v + pb[0], w + pb[1], z + pb[2] + hz] for v, w, z in (rot_z(p, ang) for p in frame)]
            if max(p[2] for p in pts) > LZ + Z0 - RMIN_PLACE:
                continue
            # the chelated Pb itself is within PB_O of the O: every other atom must keep RMIN_PLACE
            bad = any(min_image_d2(p, a['x'], L) < RMIN_PLACE ** 2 and min_image_d2(a['x'], pb, L) > 1e-12
                      for p in pts for a in S.atoms)
            if not bad:
                break
        else:
            sys.exit('no clash-free orientation for the oleate on site %s' % ((i, j),))
        S.add_molecule(ole, pts, ole_map, ole_shift)

    # ethylene glycol in the space above the slab (z from ztop + 3 to the periodic image of
    # the slab bottom, LZ + Z0 - 3)
    place_random(S, eg, N_EG, (ztop + 3.5, LZ + Z0 - 3.5), RMIN_PLACE, 20240611, eg_map, eg_shift)

    S.rattle(0.1, 4711)
    q = S.charge()
    assert abs(q) < 1e-9, 'net charge %g' % q
    dmin, ia, ib = min_intermolecular(S.atoms, L, slab_mol=1)
    assert dmin >= RMIN_FINAL, 'contact %.3f A between atoms %d and %d' % (dmin, ia, ib)
    return S, (npb, nse, nole), dmin, (ia, ib)


def main():
    S, (npb, nse, nole), dmin, pair = build_slab_system()
    L = S.L
    title = ('slab_oleate_eg (tests/ref/slab_oleate_eg/make_system.py): PbSe {100} slab 4x4x2 cells a=6.12 '
             '(%d Pb incl. 2 adatoms, %d Se), %d oleates (oleate_ua.ff) on surface Pb, %d EG (eg_opls_ua.ff), '
             'rattled 0.1 A; net charge 0; closest intermolecular contact %.3f A (atoms %d-%d)'
             % (npb, nse, nole, N_EG, dmin, pair[0], pair[1]))
    S.write(os.path.join(HERE, 'slab_oleate_eg.data'), title)
    print(title)
    print('%d atoms, box %.2f x %.2f x %.2f' % (len(S.atoms), L[0], L[1], L[2]))


if __name__ == '__main__':
    main()
