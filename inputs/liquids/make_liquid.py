#!/usr/bin/env python3
"""make_liquid.py - build a molecular liquid box from a one-molecule LAMMPS data file.

Usage: make_liquid.py SINGLE.data NMOL DENSITY_G_CM3 SEED OUT.data [--min-heavy R] [--min-h R]

SINGLE.data is an atom_style full data file holding ONE whole molecule (e.g. tests/ref/mol/
eg_single.data): Masses (with '# Name' comments, kept), Atoms, and optionally Bonds, Angles,
Dihedrals, Impropers and any '... Coeffs' sections (copied through unchanged). The molecule is
copied NMOL times, each copy turned by a uniformly random rotation (Shoemake quaternion) about
its centre of mass and put at a uniformly random position in a cubic box whose edge gives the
requested mass density. A trial placement is rejected if any of its sites comes closer (minimum
image) than --min-heavy (default 2.5 A) to a heavy site (mass > 1.5 amu) of an earlier molecule
when both sites are heavy, or closer than --min-h (default 1.8 A) when either is a hydrogen.
Intramolecular geometry is the input molecule's (bond lengths and angles are not changed).

Output: LAMMPS data file (units real, atom_style full): the same type, bond/angle/dihedral/
improper type numbering as the input; atom ids mol*(n-1)+i, molecule ids 1..NMOL, positions
wrapped into [0, L), image flags 0 (the ids of a molecule may straddle the boundary; bonded
terms are found by minimum image). Deterministic for a given SEED (python3 stdlib only).
"""
import math
import random
import sys

AMU_G = 1.66053906660e-24          # g per amu
SECTIONS_TOPO = ("Bonds", "Angles", "Dihedrals", "Impropers")
TOPO_WORD = {"Bonds": "bond", "Angles": "angle", "Dihedrals": "dihedral", "Impropers": "improper"}


def die(msg):
    sys.stderr.write("make_liquid.py: " + msg + "\n")
    sys.exit(1)


def read_single(path):
    """Return dict: header counts, masses [(type, mass, comment)], atoms [(type,q,x,y,z)],
    topo {section: [(type, i1, i2, ...)]} with 0-based local indices, coeffs {section: lines}."""
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError as e:
        die("cannot read %s: %s" % (path, e.strerror))
    head = {}
    box = {}
    i = 1                                      # line 0 is the title
    known_sections = set(("Masses", "Atoms", "Velocities") + SECTIONS_TOPO)
    while i < len(lines):
        s = lines[i].split("#")[0].strip()
        if not s:
            i += 1
            continue
        w = s.split()
        if w[0] in known_sections or s.endswith("Coeffs") or s == "Atom Type Labels":
            break
        if len(w) >= 4 and w[2].endswith("lo") and w[3].endswith("hi"):
            box[w[2][0]] = (float(w[0]), float(w[1]))
        elif len(w) >= 4 and w[-2] in ("xy", "xz", "yz"):
            if any(float(v) != 0.0 for v in w[:3]):
                die("%s: tilted box not supported" % path)
        elif len(w) >= 2:
            head[" ".join(w[1:])] = int(w[0])
        i += 1
    data = {"masses": [], "atoms": [], "topo": {}, "coeffs": [], "labels": []}
    cur = None
    while i < len(lines):
        raw = lines[i]
        s = raw.split("#")[0].strip()
        i += 1
        if not s:
            continue
        name = s
        if name in known_sections or name.endswith("Coeffs") or name == "Atom Type Labels":
            cur = name
            if cur.endswith("Coeffs"):
                data["coeffs"].append([raw.strip()])
            continue
        w = s.split()
        if cur == "Masses":
            com = raw.split("#", 1)[1].strip() if "#" in raw else ""
            data["masses"].append((int(w[0]), float(w[1]), com))
        elif cur == "Atoms":
            if len(w) < 7:
                die("%s: Atoms line '%s': expected 'id mol type q x y z' (atom_style full)" % (path, s))
            data["atoms"].append((int(w[0]), int(w[2]), w[3], float(w[4]), float(w[5]), float(w[6])))
        elif cur in SECTIONS_TOPO:
            data["topo"].setdefault(cur, []).append([int(v) for v in w[1:]])
        elif cur is not None and cur.endswith("Coeffs"):
            data["coeffs"][-1].append(raw.rstrip())
        elif cur == "Atom Type Labels":
            data["labels"].append(raw.rstrip())
        elif cur == "Velocities":
            pass                                # velocities are not replicated
        else:
            die("%s: unexpected line '%s'" % (path, s))
    data["atoms"].sort()
    ids = [a[0] for a in data["atoms"]]
    if ids != list(range(1, len(ids) + 1)):
        die("%s: atom ids must be 1..N" % path)
    for sec in data["topo"]:
        for t in data["topo"][sec]:
            for k in range(1, len(t)):
                t[k] -= 1
    data["head"] = head
    data["box"] = box
    return data


def rot_matrix(rng):
    """Uniformly distributed rotation (Shoemake 1992, unit quaternion from 3 uniforms)."""
    u1, u2, u3 = rng.random(), rng.random(), rng.random()
    a, b = math.sqrt(1.0 - u1), math.sqrt(u1)
    qx, qy = a * math.sin(2 * math.pi * u2), a * math.cos(2 * math.pi * u2)
    qz, qw = b * math.sin(2 * math.pi * u3), b * math.cos(2 * math.pi * u3)
    return ((1 - 2 * (qy * qy + qz * qz), 2 * (qx * qy - qz * qw), 2 * (qx * qz + qy * qw)),
            (2 * (qx * qy + qz * qw), 1 - 2 * (qx * qx + qz * qz), 2 * (qy * qz - qx * qw)),
            (2 * (qx * qz - qy * qw), 2 * (qy * qz + qx * qw), 1 - 2 * (qx * qx + qy * qy)))


def main(argv):
    args, opts = [], {"--min-heavy": 2.5, "--min-h": 1.8}
    k = 1
    while k < len(argv):
        if argv[k] in opts and k + 1 < len(argv):
            opts[argv[k]] = float(argv[k + 1])
            k += 2
        else:
            args.append(argv[k])
            k += 1
    if len(args) != 5:
        die("usage: make_liquid.py SINGLE.data NMOL DENSITY_G_CM3 SEED OUT.data [--min-heavy R] [--min-h R]")
    src, nmol, rho, seed, out = args[0], int(args[1]), float(args[2]), int(args[3]), args[4]
    if nmol < 1 or rho <= 0:
        die("NMOL must be >= 1 and DENSITY_G_CM3 > 0")
    d = read_single(src)
    mass_of = {t: m for t, m, _ in d["masses"]}
    atoms = d["atoms"]
    nat = len(atoms)
    if d["head"].get("atoms", nat) != nat:
        die("%s: header says %d atoms, Atoms has %d" % (src, d["head"]["atoms"], nat))
    # make the molecule whole (minimum image along its bonds, in case it straddles the box)
    L0 = [d["box"][c][1] - d["box"][c][0] for c in "xyz"]
    pos = [list(a[3:6]) for a in atoms]
    adj = [[] for _ in range(nat)]
    for b in d["topo"].get("Bonds", []):
        adj[b[1]].append(b[2])
        adj[b[2]].append(b[1])
    seen = [False] * nat
    for root in range(nat):
        if seen[root]:
            continue
        seen[root], stack = True, [root]
        while stack:
            i = stack.pop()
            for j in adj[i]:
                if not seen[j]:
                    for c in range(3):
                        dx = pos[j][c] - pos[i][c]
                        pos[j][c] = pos[i][c] + dx - L0[c] * round(dx / L0[c])
                    seen[j] = True
                    stack.append(j)
    mass = [mass_of[a[1]] for a in atoms]
    mmol = sum(mass)
    com = [sum(mass[i] * pos[i][c] for i in range(nat)) / mmol for c in range(3)]
    rel = [[pos[i][c] - com[c] for c in range(3)] for i in range(nat)]
    heavy = [m > 1.5 for m in mass]
    rmax = max(math.sqrt(sum(v * v for v in r)) for r in rel)

    L = (nmol * mmol * AMU_G / rho) ** (1.0 / 3.0) * 1e8       # A
    rh, rl = opts["--min-heavy"], opts["--min-h"]
    rcut = max(rh, rl)
    if L < 2 * rmax + rcut:
        die("box edge %.2f A too small for this molecule" % L)
    ncell = max(1, int(L / rcut))
    cw = L / ncell
    cells = {}                                  # (ix,iy,iz) -> [(x,y,z,heavy)]
    rng = random.Random(seed)
    placed = []                                 # per molecule: list of wrapped positions
    attempts = 0
    max_attempts = 20000 * nmol

    def cell_of(p):
        return tuple(int(p[c] / cw) % ncell for c in range(3))

    def clash(p, hv):
        ci = cell_of(p)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for dz in (-1, 0, 1):
                    key = ((ci[0] + dx) % ncell, (ci[1] + dy) % ncell, (ci[2] + dz) % ncell)
                    for q in cells.get(key, ()):
                        r2 = 0.0
                        for c in range(3):
                            e = p[c] - q[c]
                            e -= L * round(e / L)
                            r2 += e * e
                        lim = rh if (hv and q[3]) else rl
                        if r2 < lim * lim:
                            return True
        return False

    while len(placed) < nmol:
        attempts += 1
        if attempts > max_attempts:
            die("could not place molecule %d of %d after %d attempts: lower the density" %
                (len(placed) + 1, nmol, attempts))
        R = rot_matrix(rng)
        c0 = [rng.random() * L for _ in range(3)]
        trial = []
        for r in rel:
            p = [c0[c] + R[c][0] * r[0] + R[c][1] * r[1] + R[c][2] * r[2] for c in range(3)]
            trial.append([v % L for v in p])
        if any(clash(trial[i], heavy[i]) for i in range(nat)):
            continue
        for i, p in enumerate(trial):
            p = [0.0 if v >= L else v for v in p]       # v % L can round up to L
            trial[i] = p
            cells.setdefault(cell_of(p), []).append((p[0], p[1], p[2], heavy[i]))
        placed.append(trial)

    ntypes = d["head"].get("atom types", max(a[1] for a in atoms))
    title = ("LAMMPS data file (atom_style full, units real): %d x %s (%d sites each), "
             "made by inputs/liquids/make_liquid.py seed %d, initial density %.4f g/cm3, "
             "min heavy-heavy %.2f A, min H-any %.2f A" % (nmol, src.split("/")[-1], nat, seed, rho, rh, rl))
    o = [title, ""]
    o.append("%d atoms" % (nat * nmol))
    for sec in SECTIONS_TOPO:
        o.append("%d %ss" % (len(d["topo"].get(sec, [])) * nmol, TOPO_WORD[sec]))
    o.append("")
    o.append("%d atom types" % ntypes)
    for sec in SECTIONS_TOPO:
        key = TOPO_WORD[sec] + " types"
        if key in d["head"]:
            o.append("%d %s" % (d["head"][key], key))
    o.append("")
    for c in "xyz":
        o.append("0.0 %.10f %slo %shi" % (L, c, c))
    o += ["", "Masses", ""]
    for t, m, com_ in d["masses"]:
        o.append("%d %s%s" % (t, repr(m), (" # " + com_) if com_ else ""))
    if d["labels"]:
        o += ["", "Atom Type Labels", ""] + d["labels"]
    for block in d["coeffs"]:
        o += [""] + [block[0], ""] + block[1:]
    o += ["", "Atoms # full", ""]
    for m, trial in enumerate(placed):
        for i, a in enumerate(atoms):
            p = trial[i]
            o.append("%d %d %d %s %.8f %.8f %.8f 0 0 0" % (m * nat + i + 1, m + 1, a[1], a[2], p[0], p[1], p[2]))
    for sec in SECTIONS_TOPO:
        rows = d["topo"].get(sec, [])
        if not rows:
            continue
        o += ["", sec, ""]
        n = 0
        for m in range(nmol):
            for t in rows:
                n += 1
                o.append("%d %d %s" % (n, t[0], " ".join(str(m * nat + j + 1) for j in t[1:])))
    with open(out, "w") as f:
        f.write("\n".join(o) + "\n")
    mtot = nmol * mmol
    sys.stderr.write("make_liquid.py: %d molecules x %d sites = %d atoms, molecule %.4f amu, total %.4f amu, "
                     "L = %.4f A, density %.4f g/cm3, %d placement attempts\n" %
                     (nmol, nat, nmol * nat, mmol, mtot, L, mtot * AMU_G / (L * 1e-8) ** 3, attempts))


if __name__ == "__main__":
    main(sys.argv)
