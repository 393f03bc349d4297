#!/usr/bin/python3
"""analyze_gen.py - synthetic trajectories with known answers for `neckmd analyze` (tests/regress/analyze.sh).

usage: analyze_gen.py OUTDIR [big NSIDE]

Writes, for each case, CASE.data (LAMMPS, atom_style full, type names in Masses) and CASE.nc
(AMBER netCDF in the layout of src/traj_netcdf.c: CDF-2, float coordinates, time in ps,
cell_lengths, cell_origin, atom_types), and CASE.expect (what the analysis must find).
Rock salt PbSe with {200} spacing D = 3.06 A: site (i, j, k) holds Pb (+1.29 e) if i+j+k is
even, Se (-1.29 e) otherwise. Cubes of n^3 sites, n even, are neutral and have no dipole.

cases
  gap     two 8^3 cubes along x, facing planes 12, 10.5, 9, 7.3456 A apart (frames 0-3); NC 1
          straddles the periodic boundary; ligands (OL_ types, 5-site molecules) in the gap:
          three lying flat (90 deg to the axis), one along the axis (0 deg), one outside the
          cross-section, one EG molecule (solvent: not counted) -> 20 ligand atoms, 4 molecules,
          mean angle 67.5 deg.
  neck    two 8^3 cubes on one lattice, two empty {200} layers between the facets (gap 9.18 A);
          18 extra atoms (9 Pb-Se pairs) are adatoms on the back facets (frame 0), one pair in
          the gap (frame 1: a filament), adatoms again (frame 2: the filament broke), the
          3x3x2 neck (frames 3, 4). The 9 atoms next to NC 1 belong to NC 1 (file neck.ncid).
  rotate  two 8^3 cubes, 20 A gap; NC 2 rotated about its centre: frame 0 none, 1: 15 deg
          about x, 2: 100 deg about z (misalignment 10 deg), 3: 20 deg about (1,2,3),
          4: frame 3 with Gaussian noise sigma 0.1 A on every coordinate.
  dipole  two 8^3 cubes (molecule ids 1, 2); frame 1: the Se sublattice of NC 1 shifted by
          (0.1, 0, 0) A, frame 2: by (0.05, 0.02, -0.03) A: p = -1.29 e x 256 x shift.
  sl      four 4^3 cubes in a rhombus of side 40 A in the xy plane: angle at NCs 1 and 4 of
          60, 70, 80, 90 deg (frames 0-3): hexagonal -> square.
  big     (only with 'big N') two N^3 cubes (2 N^3 atoms; N = 80: 1.02 million) in contact
          through a neck of (N/4)^2 x 2 atoms: the timing case.
"""
import sys
import numpy as np
import netCDF4

D = 3.06
Q = 1.29
TYPES = ['Pb', 'Se', 'OL_C', 'OL_CH2', 'OL_CH3', 'EG_O']
MASS = {'Pb': 207.2, 'Se': 78.971, 'OL_C': 12.011, 'OL_CH2': 14.027, 'OL_CH3': 15.035, 'EG_O': 15.9994}


def cube(n):
    """sites of an n^3 cube centred at 0, parity (0 Pb, 1 Se)"""
    i, j, k = np.meshgrid(np.arange(n), np.arange(n), np.arange(n), indexing='ij')
    idx = np.stack([i.ravel(), j.ravel(), k.ravel()], axis=1)
    pos = (idx - (n - 1) / 2.0) * D
    par = idx.sum(axis=1) % 2
    return pos, par


class System:
    def __init__(self):
        self.type = []   # 1-based
        self.mol = []
        self.q = []

    def add(self, types, mols, qs):
        first = len(self.type)
        self.type += list(types)
        self.mol += list(mols)
        self.q += list(qs)
        return np.arange(first, len(self.type))

    def write_data(self, path, box, x0, title):
        n = len(self.type)
        with open(path, 'w') as f:
            f.write('LAMMPS data file (atom_style full, units real): %s\n\n' % title)
            f.write('%d atoms\n%d atom types\n\n' % (n, len(TYPES)))
            for d, nm in enumerate('xyz'):
                f.write('0.0 %.6f %slo %shi\n' % (box[d], nm, nm))
            f.write('\nMasses\n\n')
            for t, nm in enumerate(TYPES):
                f.write('%d %g # %s\n' % (t + 1, MASS[nm], nm))
            f.write('\nAtoms # full\n\n')
            for i in range(n):
                x = x0[i] % box
                f.write('%d %d %d %.4f %.6f %.6f %.6f\n' % (i + 1, self.mol[i], self.type[i], self.q[i], x[0], x[1], x[2]))


def write_nc(path, frames, box, times=None):
    n = frames[0].shape[0]
    nc = netCDF4.Dataset(path, 'w', format='NETCDF3_64BIT_OFFSET')
    nc.Conventions = 'AMBER'
    nc.ConventionVersion = '1.0'
    nc.program = 'analyze_gen.py'
    nc.programVersion = '1'
    nc.createDimension('frame', None)
    nc.createDimension('spatial', 3)
    nc.createDimension('atom', n)
    nc.createDimension('cell_spatial', 3)
    nc.createDimension('cell_angular', 3)
    nc.createDimension('label', 5)
    t = nc.createVariable('time', 'f4', ('frame',))
    t.units = 'picosecond'
    c = nc.createVariable('coordinates', 'f4', ('frame', 'atom', 'spatial'))
    c.units = 'angstrom'
    cl = nc.createVariable('cell_lengths', 'f8', ('frame', 'cell_spatial'))
    cl.units = 'angstrom'
    ca = nc.createVariable('cell_angles', 'f8', ('frame', 'cell_angular'))
    ca.units = 'degree'
    co = nc.createVariable('cell_origin', 'f8', ('frame', 'cell_spatial'))
    co.units = 'angstrom'
    for f, x in enumerate(frames):
        c[f] = (x % box).astype(np.float32)   # wrapped into the box, as the writer does
        t[f] = times[f] if times is not None else 0.5 * f
        cl[f] = box
        ca[f] = [90.0, 90.0, 90.0]
        co[f] = [0.0, 0.0, 0.0]
    nc.close()


def nc_atoms(sys_, pos, par, mol):
    types = np.where(par == 0, 1, 2)
    qs = np.where(par == 0, Q, -Q)
    return sys_.add(types, [mol] * len(types), qs)


def ligand(sys_, mol, start, step):
    """a 5-site chain OL_C, OL_CH2 x3, OL_CH3 from start along step (A)"""
    idx = sys_.add([3, 4, 4, 4, 5], [mol] * 5, [0.2, -0.05, -0.05, -0.05, -0.05])
    pos = np.array([np.asarray(start) + k * np.asarray(step) for k in range(5)], dtype=float)
    return idx, pos


def case_gap(out):
    s = System()
    n = 8
    pos, par = cube(n)
    half = (n - 1) / 2.0 * D
    box = np.array([120.0, 70.0, 70.0])
    a = nc_atoms(s, pos, par, 1)
    b = nc_atoms(s, pos, par, 2)
    lig = []
    # axial offsets relative to the mid-plane; lateral (y, z) within the facets except mol 7
    lig.append(ligand(s, 3, (-1.0, -3.0, -6.0), (0, 1.5, 0)))     # flat, along y
    lig.append(ligand(s, 4, (0.0, 2.0, 4.0), (0, 0, 1.2)))        # flat, along z
    lig.append(ligand(s, 5, (1.0, -6.0, 0.0), (0, 1.0, 1.0)))     # flat, diagonal
    lig.append(ligand(s, 6, (-3.0, 5.0, -2.0), (1.5, 0, 0)))      # along the axis
    lig.append(ligand(s, 7, (0.0, 26.0, 0.0), (0, 1.5, 0)))       # outside the cross-section
    eg = s.add([6, 6], [8, 8], [-0.5, 0.5])                        # solvent in the gap
    eg_pos = np.array([[0.0, 0.0, 0.0], [0.5, 1.2, 0.3]])
    frames = []
    gaps = [12.0, 10.5, 9.0, 7.3456]
    ca = np.array([1.0, 35.0, 35.0])       # NC 1 centred near x = 1: split by the boundary
    for g in gaps:
        cb = ca + np.array([2 * half + g, 0.0, 0.0])
        mid = ca + np.array([half + g / 2, 0.0, 0.0])
        x = np.zeros((len(s.type), 3))
        x[a] = pos + ca
        x[b] = pos + cb
        for idx, p in lig:
            x[idx] = p + mid
        x[eg] = eg_pos + mid
        frames.append(x)
    s.write_data(out + '/gap.data', box, frames[0], 'gap case')
    write_nc(out + '/gap.nc', frames, box)
    with open(out + '/gap.expect', 'w') as f:
        f.write('gaps %s\n' % ' '.join('%.4f' % g for g in gaps))
        f.write('dists %s\n' % ' '.join('%.4f' % (2 * half + g) for g in gaps))
        f.write('lig_atoms 20 lig_mols 4 lig_angle 67.5\n')


def case_neck(out):
    s = System()
    n = 8
    i, j, k = np.meshgrid(np.arange(n), np.arange(n), np.arange(n), indexing='ij')
    idx = np.stack([i.ravel(), j.ravel(), k.ravel()], axis=1)
    # one lattice: NC 1 layers i = 0..7, empty layers 8, 9, NC 2 layers 10..17
    ia = idx.copy()
    ib = idx + np.array([n + 2, 0, 0])
    # the neck: layers 8 (NC 1) and 9 (NC 2), columns j, k = 3..5
    col = [(jj, kk) for jj in range(3, 6) for kk in range(3, 6)]
    na = np.array([[8, jj, kk] for jj, kk in col])
    nb = np.array([[9, jj, kk] for jj, kk in col])
    # parked sites (same parity): beyond the back facets, shifted by one site in z
    pa = np.array([[-1, jj, kk + 1] for jj, kk in col])
    pb = np.array([[n + 2 + n, jj, kk + 1] for jj, kk in col])
    sites = [ia, na, ib, nb]
    mols = [1, 1, 2, 2]
    groups = []
    for st, m in zip(sites, mols):
        par = st.sum(axis=1) % 2
        groups.append(nc_atoms(s, st * D, par, m))
    box = np.array([100.0, 60.0, 60.0])
    origin = np.array([10.0, 19.0, 19.0])

    def frame(neck_a, neck_b):
        x = np.zeros((len(s.type), 3))
        x[groups[0]] = ia * D + origin
        x[groups[2]] = ib * D + origin
        x[groups[1]] = neck_a * D + origin
        x[groups[3]] = neck_b * D + origin
        return x
    fil_a = pa.copy()
    fil_b = pb.copy()
    fil_a[4] = na[4]   # the centre column: one Pb-Se pair in the gap
    fil_b[4] = nb[4]
    frames = [frame(pa, pb), frame(fil_a, fil_b), frame(pa, pb), frame(na, nb), frame(na, nb)]
    s.write_data(out + '/neck.data', box, frames[0], 'neck case')
    write_nc(out + '/neck.nc', frames, box)
    with open(out + '/neck.ncid', 'w') as f:
        f.write('# atom_id nc_id\n')
        for g, m in zip(groups, mols):
            for a in g:
                f.write('%d %d\n' % (a + 1, m))
    with open(out + '/neck.expect', 'w') as f:
        f.write('bridges 0 1 0 9 9\nfilaments 0 0 1 1 1\narea %.4f gap %.4f\n' % (9 * D * D, 3 * D))


def rot(axis, deg):
    u = np.asarray(axis, dtype=float)
    u /= np.linalg.norm(u)
    t = np.radians(deg)
    K = np.array([[0, -u[2], u[1]], [u[2], 0, -u[0]], [-u[1], u[0], 0]])
    return np.eye(3) + np.sin(t) * K + (1 - np.cos(t)) * K @ K


def case_rotate(out):
    s = System()
    n = 8
    pos, par = cube(n)
    half = (n - 1) / 2.0 * D
    a = nc_atoms(s, pos, par, 1)
    b = nc_atoms(s, pos, par, 2)
    box = np.array([130.0, 80.0, 80.0])
    ca = np.array([30.0, 40.0, 40.0])
    cb = ca + np.array([2 * half + 20.0, 0, 0])
    rots = [np.eye(3), rot((1, 0, 0), 15), rot((0, 0, 1), 100), rot((1, 2, 3), 20), rot((1, 2, 3), 20)]
    rng = np.random.default_rng(7)
    frames = []
    for f, R in enumerate(rots):
        x = np.zeros((len(s.type), 3))
        x[a] = pos + ca
        x[b] = pos @ R.T + cb
        if f == 4:
            x += rng.normal(0, 0.1, x.shape)
        frames.append(x)
    s.write_data(out + '/rotate.data', box, frames[0], 'rotate case')
    write_nc(out + '/rotate.nc', frames, box)
    with open(out + '/rotate.expect', 'w') as f:
        f.write('misalign 0 15 10 20 20\n')


def case_dipole(out):
    s = System()
    n = 8
    pos, par = cube(n)
    half = (n - 1) / 2.0 * D
    a = nc_atoms(s, pos, par, 1)
    b = nc_atoms(s, pos, par, 2)
    box = np.array([100.0, 60.0, 60.0])
    ca = np.array([20.0, 30.0, 30.0])
    cb = ca + np.array([2 * half + 10.0, 0, 0])
    shifts = [np.zeros(3), np.array([0.1, 0, 0]), np.array([0.05, 0.02, -0.03])]
    se = a[par == 1]
    frames = []
    for sh in shifts:
        x = np.zeros((len(s.type), 3))
        x[a] = pos + ca
        x[b] = pos + cb
        x[se] += sh
        frames.append(x)
    s.write_data(out + '/dipole.data', box, frames[0], 'dipole case')
    write_nc(out + '/dipole.nc', frames, box)
    with open(out + '/dipole.expect', 'w') as f:
        for sh in shifts:
            p = -Q * len(se) * sh
            f.write('p %.6f %.6f %.6f\n' % tuple(p))


def case_sl(out):
    s = System()
    n = 4
    pos, par = cube(n)
    groups = [nc_atoms(s, pos, par, m) for m in (1, 2, 3, 4)]
    box = np.array([150.0, 150.0, 40.0])
    c0 = np.array([75.0, 75.0, 20.0])
    side = 40.0
    frames = []
    for th in (60.0, 70.0, 80.0, 90.0):
        h = side * np.cos(np.radians(th / 2))
        w = side * np.sin(np.radians(th / 2))
        # NC 1 top (A), 2 left (B), 3 right (C), 4 bottom (D)
        cs = [c0 + [0, h, 0], c0 + [-w, 0, 0], c0 + [w, 0, 0], c0 + [0, -h, 0]]
        x = np.zeros((len(s.type), 3))
        for g, c in zip(groups, cs):
            x[g] = pos + c
        frames.append(x)
    s.write_data(out + '/sl.data', box, frames[0], 'superlattice case')
    write_nc(out + '/sl.nc', frames, box)


def case_big(out, n):
    s = System()
    i, j, k = np.meshgrid(np.arange(n), np.arange(n), np.arange(n), indexing='ij')
    idx = np.stack([i.ravel(), j.ravel(), k.ravel()], axis=1)
    m = n // 4
    lo = (n - m) // 2
    col = np.array([(jj, kk) for jj in range(lo, lo + m) for kk in range(lo, lo + m)])
    na = np.column_stack([np.full(len(col), n), col])
    nb = np.column_stack([np.full(len(col), n + 1), col])
    ib = idx + np.array([n + 2, 0, 0])
    groups = []
    for st, mol in ((idx, 1), (na, 1), (ib, 2), (nb, 2)):
        groups.append((nc_atoms(s, st * D, st.sum(axis=1) % 2, mol), st))
    box = np.array([(2 * n + 2) * D + 40.0, n * D + 40.0, n * D + 40.0])
    x = np.zeros((len(s.type), 3))
    for g, st in groups:
        x[g] = st * D + 20.0
    s.write_data(out + '/big.data', box, x, 'big case')
    write_nc(out + '/big.nc', [x], box)
    with open(out + '/big.expect', 'w') as f:
        f.write('atoms %d bridges %d area %.3f\n' % (len(s.type), m * m, m * m * D * D))


if __name__ == '__main__':
    out = sys.argv[1]
    if len(sys.argv) > 2 and sys.argv[2] == 'big':
        case_big(out, int(sys.argv[3]))
    else:
        case_gap(out)
        case_neck(out)
        case_rotate(out)
        case_dipole(out)
        case_sl(out)
