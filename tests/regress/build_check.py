#!/usr/bin/python3
"""build_check.py - independent checks of the files `neckmd build` writes (tests/regress/build.sh).

Reads PREFIX.data (LAMMPS, atom_style full), PREFIX.ncid and PREFIX.build.json with the
standard library only and prints TAP lines ("ok - ..." / "not ok - ...") for:

  counts PREFIX               header counts, stoichiometry and exact neutrality per NC:
                              N_oleate = 2 (N_Pb - N_Se), sum of the charges in the file = 0
  coverage PREFIX TOL         oleates per facet family recounted from the geometry (the bound Pb
                              of each oleate: on an outermost {111} layer -> {111}, else on an
                              outermost {100} plane -> {100}); equal to the report, and the
                              achieved coverage within TOL (relative) of the request, or within
                              one ligand when the facets hold fewer than 1/TOL ligands
  contacts PREFIX RLIG RSOLV  closest approach by class (minimum image, cell lists): core atoms of
                              different NCs >= 2.5 A, ligand sites >= RLIG from anything but
                              their bound Pb (carboxylate O at 2.4 A from it), solvent >= RSOLV
  pbterm PREFIX               every {111} facet of the (unrotated) NC ends in a Pb-only layer
  density PREFIX              solvent count and density as reported, >= 99 % of the target, the
                              excluded volume close to the NC + ligand volume
  gap PREFIX G                two NCs: distance between the facing {100} planes = G
  slabs PREFIX N              two slabs + N Pb-Se pairs (P x Q x 2 cuboid) in the gap
  fragment PREFIX             --slabs --fragment oleate: one oleate between the slabs, one below
  mono PREFIX N S             N NCs, nearest centre-to-centre distances = S
  same A B                    identical files
"""
import json
import math
import sys

AVOGADRO = 6.02214076e23


def read_data(path):
    lines = open(path).read().split('\n')
    d = {'title': lines[0], 'head': {}, 'names': {}, 'atoms': [], 'box': [0, 0, 0]}
    i = 1
    while i < len(lines):
        s = lines[i].split('#')[0].split()
        if lines[i].strip() in ('Masses', 'Atoms # full', 'Bonds', 'Angles', 'Dihedrals'):
            break
        if len(s) == 2:
            d['head'][s[1]] = int(s[0])
        elif len(s) == 3 and s[2] == 'types':
            d['head'][s[1] + ' types'] = int(s[0])
        elif len(s) == 4 and s[2].endswith('lo'):
            d['box']['xyz'.index(s[2][0])] = float(s[1]) - float(s[0])
        i += 1
    sec = None
    for l in lines[i:]:
        t = l.strip()
        if t in ('Masses', 'Atoms # full', 'Bonds', 'Angles', 'Dihedrals'):
            sec = t
            d.setdefault(sec, 0)
            continue
        if not t:
            continue
        if sec == 'Masses':
            a, b = t.split('#')
            d['names'][int(a.split()[0])] = b.strip()
        elif sec == 'Atoms # full':
            f = t.split()
            L = d['box']
            d['atoms'].append({'id': int(f[0]), 'mol': int(f[1]), 'type': int(f[2]), 'q': float(f[3]),
                               'x': [float(f[4 + k]) + int(f[7 + k]) * L[k] for k in range(3)]})
        else:
            d[sec] += 1
    for a in d['atoms']:
        a['name'] = d['names'][a['type']]
    return d


def read_ncid(path):
    out = []
    for l in open(path):
        if l.startswith('#'):
            continue
        f = l.split()
        out.append((int(f[0]), int(f[1]), f[2]))
    return out


def load(prefix):
    d = read_data(prefix + '.data')
    nc = read_ncid(prefix + '.ncid')
    j = json.load(open(prefix + '.build.json'))
    for a, (aid, n, role) in zip(d['atoms'], nc):
        assert a['id'] == aid
        a['nc'] = n
        a['role'] = role
    return d, j


def tap(ok, msg):
    print(('ok - ' if ok else 'not ok - ') + msg)


def min_image(dx, L):
    return [dx[k] - L[k] * round(dx[k] / L[k]) for k in range(3)]


def dist(a, b, L):
    d = min_image([a[k] - b[k] for k in range(3)], L)
    return math.sqrt(d[0] ** 2 + d[1] ** 2 + d[2] ** 2)


class Cells:
    def __init__(self, atoms, L, r):
        self.L = L
        self.n = [max(1, int(L[k] // r)) for k in range(3)]
        self.c = {}
        for i, a in enumerate(atoms):
            self.c.setdefault(self.key(a['x']), []).append(i)

    def key(self, x):
        return tuple(int((x[k] % self.L[k]) / self.L[k] * self.n[k]) % self.n[k] for k in range(3))

    def near(self, x):
        k = self.key(x)
        seen = set()
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for dz in (-1, 0, 1):
                    c = ((k[0] + dx) % self.n[0], (k[1] + dy) % self.n[1], (k[2] + dz) % self.n[2])
                    if c in seen:
                        continue
                    seen.add(c)
                    for i in self.c.get(c, ()):
                        yield i


def ligands(d):
    """ligand molecules: mol -> list of atom indices"""
    m = {}
    for i, a in enumerate(d['atoms']):
        if a['role'] == 'ligand':
            m.setdefault(a['mol'], []).append(i)
    return m


def anchors(d):
    """bound Pb of each ligand (nearest Pb to the O-O midpoint) -> dict mol -> (pb index, d_O1, d_O2)"""
    L = d['box']
    pbs = [i for i, a in enumerate(d['atoms']) if a['name'] == 'Pb']
    cells = Cells([d['atoms'][i] for i in pbs], L, 4.0)
    out = {}
    for mol, idx in ligands(d).items():
        o = [i for i in idx if d['atoms'][i]['name'] == 'OL_O']
        mid = [(d['atoms'][o[0]]['x'][k] + d['atoms'][o[1]]['x'][k]) / 2 for k in range(3)]
        best = None
        for c in cells.near(mid):
            r = dist(mid, d['atoms'][pbs[c]]['x'], L)
            if best is None or r < best[0]:
                best = (r, pbs[c])
        p = best[1]
        out[mol] = (p, dist(d['atoms'][o[0]]['x'], d['atoms'][p]['x'], L), dist(d['atoms'][o[1]]['x'], d['atoms'][p]['x'], L))
    return out


def cmd_counts(prefix):
    d, j = load(prefix)
    h = d['head']
    tap(h['atoms'] == len(d['atoms']) == j['atoms'], '%s: %d atoms in the header, the Atoms section and the report' % (prefix, len(d['atoms'])))
    tap(h['bonds'] == d.get('Bonds', 0) == j['bonds'] and h.get('dihedrals', 0) == d.get('Dihedrals', 0),
        '%s: %d bonds, %d angles, %d dihedrals as announced' % (prefix, d.get('Bonds', 0), d.get('Angles', 0), d.get('Dihedrals', 0)))
    ids = [a['id'] for a in d['atoms']]
    tap(ids == list(range(1, len(ids) + 1)), '%s: atom ids 1..N in order' % prefix)
    npb = sum(1 for a in d['atoms'] if a['name'] == 'Pb')
    nse = sum(1 for a in d['atoms'] if a['name'] == 'Se')
    lig = ligands(d)
    nole = len(lig)
    sizes = set(len(v) for v in lig.values())
    tap(nole == j['counts']['oleate'] and npb == j['counts']['Pb'] and nse == j['counts']['Se'] and sizes <= {20},
        '%s: %d Pb, %d Se, %d oleates of 20 sites (as reported)' % (prefix, npb, nse, nole))
    tap(2 * (npb - nse) == nole, '%s: exactly neutral: 2 (N_Pb - N_Se) = 2 (%d - %d) = %d = N_oleate' % (prefix, npb, nse, nole))
    q = sum(a['q'] for a in d['atoms'])
    tap(abs(q) < 1e-6, '%s: sum of the charges in the data file %.2e e' % (prefix, q))
    # per NC (molecule k = NC k for the cores; ligands carry the NC id of their Pb)
    bad = []
    for nc in sorted(set(a['nc'] for a in d['atoms'] if a['role'] == 'core')):
        pb = sum(1 for a in d['atoms'] if a['nc'] == nc and a['name'] == 'Pb' and a['role'] == 'core')
        se = sum(1 for a in d['atoms'] if a['nc'] == nc and a['name'] == 'Se' and a['role'] == 'core')
        ol = len(set(a['mol'] for a in d['atoms'] if a['nc'] == nc and a['role'] == 'ligand'))
        mols = set(a['mol'] for a in d['atoms'] if a['nc'] == nc and a['role'] == 'core')
        if 2 * (pb - se) != ol or mols != {nc}:
            bad.append((nc, pb, se, ol, mols))
    tap(not bad, '%s: every NC neutral with its own ligands, its core atoms are molecule = NC id %s' % (prefix, bad if bad else ''))


def facet_family(d, prefix):
    """builder-independent facet family of every core Pb of an unrotated single octahedron/cube:
    outermost {111} Pb layer -> 111, else outermost {100} plane -> 100 (else None)"""
    core = [a for a in d['atoms'] if a['role'] == 'core']
    c = [sum(a['x'][k] for a in core) / len(core) for k in range(3)]
    # lattice centre: midway between the outermost {100} planes
    c = [(max(a['x'][k] for a in core) + min(a['x'][k] for a in core)) / 2 for k in range(3)]
    S = [(sx, sy, sz) for sx in (1, -1) for sy in (1, -1) for sz in (1, -1)]
    smax = {s: max(sum(s[k] * (a['x'][k] - c[k]) for k in range(3)) for a in core) for s in S}
    ext = [max(abs(a['x'][k] - c[k]) for a in core) for k in range(3)]
    fam = {}
    for a in core:
        if a['name'] != 'Pb':
            continue
        r = [a['x'][k] - c[k] for k in range(3)]
        f = None
        if any(abs(sum(s[k] * r[k] for k in range(3)) - smax[s]) < 0.1 for s in S):
            f = '111'
        elif any(abs(abs(r[k]) - ext[k]) < 0.1 for k in range(3)):
            f = '100'
        fam[a['id']] = f
    return fam, smax, c, S


def cmd_coverage(prefix, tol):
    d, j = load(prefix)
    tol = float(tol)
    fam, _, _, _ = facet_family(d, prefix)
    cnt = {'100': 0, '111': 0, None: 0}
    for mol, (p, d1, d2) in anchors(d).items():
        cnt[fam.get(d['atoms'][p]['id'])] += 1
    nc = j['ncs'][0]
    tap(cnt['100'] == nc['oleate_100'] and cnt['111'] == nc['oleate_111'] and cnt[None] == 0,
        '%s: oleates recounted from their bound Pb: {100} %d, {111} %d (report %d, %d)' % (prefix, cnt['100'], cnt['111'], nc['oleate_100'], nc['oleate_111']))
    for f in ('100', '111'):
        req, area = nc['requested_' + f], nc['area_%s_nm2' % f]
        if req <= 0 or area <= 0:
            continue
        cov = cnt[f] / area
        # within TOL, or within one ligand where the facets hold fewer than 1/TOL of them
        allow = max(tol * req, 1.0 / area)
        tap(abs(cov - req) <= allow + 1e-9, '%s: {%s} coverage %.3f /nm^2 on %.2f nm^2, asked %.3f (allowed +-%.3f: %.0f %% or one ligand)' %
            (prefix, f, cov, area, req, allow, 100 * tol))


def cmd_contacts(prefix, rlig, rsolv):
    d, j = load(prefix)
    rlig, rsolv = float(rlig), float(rsolv)
    L = d['box']
    atoms = d['atoms']
    anc = anchors(d)
    bound = {}
    for mol, (p, d1, d2) in anc.items():
        bound[mol] = p
    cells = Cells(atoms, L, 4.0)
    worst = {'core_core': 9e9, 'ligand': 9e9, 'solvent': 9e9}
    for i, a in enumerate(atoms):
        for k in cells.near(a['x']):
            if k <= i:
                continue
            b = atoms[k]
            if a['mol'] == b['mol']:
                continue
            r = dist(a['x'], b['x'], L)
            if r > 4.0:
                continue
            if a['role'] == 'solvent' or b['role'] == 'solvent':
                worst['solvent'] = min(worst['solvent'], r)
            elif a['role'] == 'ligand' or b['role'] == 'ligand':
                lg, ot = (a, k) if a['role'] == 'ligand' else (b, i)
                if bound.get(lg['mol']) == ot and lg['name'] in ('OL_O', 'OL_C'):
                    continue
                worst['ligand'] = min(worst['ligand'], r)
            elif a['role'] == 'core' and b['role'] == 'core':
                worst['core_core'] = min(worst['core_core'], r)
    pbo = [x for (p, d1, d2) in anc.values() for x in (d1, d2)]
    tap(not pbo or max(abs(x - 2.4) for x in pbo) < 2e-3, '%s: carboxylate O of all %d oleates 2.4 A from their Pb (%.4f..%.4f)' %
        (prefix, len(anc), min(pbo) if pbo else 0, max(pbo) if pbo else 0))
    tap(worst['core_core'] >= 2.5, '%s: core atoms of different NCs/slabs >= 2.5 A apart (closest %.3f)' % (prefix, worst['core_core']))
    tap(worst['ligand'] >= rlig - 1e-4, '%s: ligand sites >= %.2f A from everything but their Pb (closest %.3f)' % (prefix, rlig, worst['ligand']))
    tap(worst['solvent'] >= rsolv - 1e-4, '%s: solvent atoms >= %.2f A from everything (closest %.3f)' % (prefix, rsolv, worst['solvent']))


def cmd_pbterm(prefix):
    d, j = load(prefix)
    fam, smax, c, S = facet_family(d, prefix)
    core = [a for a in d['atoms'] if a['role'] == 'core']
    bad = []
    for s in S:
        layer = [a['name'] for a in core if abs(sum(s[k] * (a['x'][k] - c[k]) for k in range(3)) - smax[s]) < 0.1]
        if set(layer) != {'Pb'}:
            bad.append((s, set(layer)))
    tap(not bad, '%s: all 8 {111} facets end in a Pb-only atomic layer %s' % (prefix, bad if bad else ''))


def cmd_density(prefix):
    d, j = load(prefix)
    sv = j['solvent']
    mols = set(a['mol'] for a in d['atoms'] if a['role'] == 'solvent')
    nat = {'eg': 6, 'eda': 8}[sv['name']]
    mass = {'eg': 2 * 14.027 + 2 * 15.9994 + 2 * 1.008, 'eda': 2 * 14.027 + 2 * 14.0067 + 4 * 1.008}[sv['name']]
    nsat = sum(1 for a in d['atoms'] if a['role'] == 'solvent')
    tap(len(mols) == sv['molecules'] and nsat == nat * len(mols), '%s: %d %s molecules of %d sites in the file (as reported)' % (prefix, len(mols), sv['name'], nat))
    vb = d['box'][0] * d['box'][1] * d['box'][2]
    tap(abs(vb - sv['box_volume_A3']) < 1e-3 * vb and abs(sv['free_volume_A3'] + sv['excluded_volume_A3'] - vb) < 1e-3 * vb,
        '%s: free + excluded volume = box volume %.0f A^3' % (prefix, vb))
    rho = len(mols) * mass / (AVOGADRO * sv['free_volume_A3'] * 1e-24)
    tap(abs(rho - sv['density_g_cm3']) < 1e-4 and rho >= 0.99 * sv['target_g_cm3'] and rho <= 1.01 * sv['target_g_cm3'],
        '%s: %s density over the free volume %.4f g/cm^3, target %.4f' % (prefix, sv['name'], rho, sv['target_g_cm3']))
    ncore = sum(1 for a in d['atoms'] if a['role'] == 'core')
    nole = len(ligands(d))
    a = 6.12
    vest = ncore * a ** 3 / 8 + nole * 282.46 / (0.895 * AVOGADRO * 1e-24)
    ve = sv['excluded_volume_A3']
    tap(abs(ve - vest) <= 0.3 * vest + 500, '%s: excluded volume %.0f A^3 vs NC (a^3/8 per atom) + oleic acid (524 A^3 each) %.0f A^3' % (prefix, ve, vest))


def cmd_gap(prefix, g):
    d, j = load(prefix)
    g = float(g)
    c1 = [a['x'][0] for a in d['atoms'] if a['role'] == 'core' and a['nc'] == 1]
    c2 = [a['x'][0] for a in d['atoms'] if a['role'] == 'core' and a['nc'] == 2]
    gap = min(c2) - max(c1)
    tap(abs(gap - g) < 1e-4, '%s: facing {100} planes of the two NCs %.4f A apart (asked %.4f)' % (prefix, gap, g))


def cmd_slabs(prefix, n):
    d, j = load(prefix)
    n = int(n)
    gapat = [a for a in d['atoms'] if a['role'] == 'gap']
    pb = sum(1 for a in gapat if a['name'] == 'Pb')
    tap(len(gapat) == 2 * n and pb == n, '%s: %d gap atoms, %d Pb + %d Se' % (prefix, len(gapat), pb, len(gapat) - pb))
    s1 = [a['x'][2] for a in d['atoms'] if a['nc'] == 1 and a['role'] == 'core']
    s2 = [a['x'][2] for a in d['atoms'] if a['nc'] == 2 and a['role'] == 'core']
    ok = all(max(s1) < a['x'][2] < min(s2) for a in gapat)
    zs = sorted(set(round(a['x'][2], 3) for a in gapat))
    xs = sorted(set(round(a['x'][0], 3) for a in gapat))
    ys = sorted(set(round(a['x'][1], 3) for a in gapat))
    tap(ok and len(zs) == 2, '%s: the pairs sit between the slabs (%.3f < z < %.3f) in 2 layers, a %d x %d x 2 block' % (prefix, max(s1), min(s2), len(xs), len(ys)))


def cmd_fragment(prefix):
    d, j = load(prefix)
    s1 = [a['x'][2] for a in d['atoms'] if a['nc'] == 1 and a['role'] == 'core']
    s2 = [a['x'][2] for a in d['atoms'] if a['nc'] == 2 and a['role'] == 'core']
    top1 = max(z for z in s1)
    bot2 = min(s2)
    lig = ligands(d)
    inside = [m for m, idx in lig.items() if all(top1 < d['atoms'][i]['x'][2] < bot2 for i in idx)]
    below = [m for m, idx in lig.items() if all(d['atoms'][i]['x'][2] < min(s1) for i in idx)]
    tap(len(lig) == 2 and len(inside) == 1 and len(below) == 1,
        '%s: one oleate entirely in the gap (%.3f < z < %.3f), one under slab 1' % (prefix, top1, bot2))


def cmd_mono(prefix, n, s):
    d, j = load(prefix)
    n, s = int(n), float(s)
    cen = [nc['centre'] for nc in j['ncs']]
    nn = []
    for i, a in enumerate(cen):
        nn.append(min(math.sqrt(sum((a[k] - b[k]) ** 2 for k in range(3))) for k2, b in enumerate(cen) if k2 != i))
    ids = set(a['nc'] for a in d['atoms'] if a['role'] == 'core')
    tap(len(cen) == n and ids == set(range(1, n + 1)), '%s: %d NCs, NC ids 1..%d' % (prefix, len(cen), n))
    tap(all(abs(x - s) < 1e-3 for x in nn), '%s: every NC has a neighbour at the spacing %.2f A (nearest %.3f..%.3f)' % (prefix, s, min(nn), max(nn)))


def cmd_same(a, b):
    tap(open(a, 'rb').read() == open(b, 'rb').read(), 'identical: %s and %s' % (a, b))


if __name__ == '__main__':
    cmds = {'counts': cmd_counts, 'coverage': cmd_coverage, 'contacts': cmd_contacts, 'pbterm': cmd_pbterm, 'density': cmd_density,
            'gap': cmd_gap, 'slabs': cmd_slabs, 'fragment': cmd_fragment, 'mono': cmd_mono, 'same': cmd_same}
    try:
        cmds[sys.argv[1]](*sys.argv[2:])
    except Exception as e:  # a crash is a failed check, with the reason
        print('not ok - build_check.py %s: %s: %s' % (' '.join(sys.argv[1:]), type(e).__name__, e))
