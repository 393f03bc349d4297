#!/usr/bin/python3
"""insert_nucleus.py - put the paper's critical neck nucleus (3x3x2 = 9 Pb + 9 Se) between two NCs.

usage: insert_nucleus.py PAIR.data PAIR.ncid OUT.data OUT.ncid [--nx 3] [--ny 3] [--a 6.12]

PAIR.data / PAIR.ncid: a pair from `neckmd build --pair --gap G` (NC 1 = molecule 1 at low x, NC 2 =
molecule 2, pair axis x, no misalignment). The gap must be a whole number of {200} spacings
G = (P + 1) a/2 (P = 2 for G = 9.18 A = 3a/2): then the P empty lattice planes between the facing
{100} planes are those of NC 1's rock-salt lattice continued across the gap, and NC 2 sits on the
same lattice (checked here, atom by atom). The nucleus fills an nx x ny block of lattice columns in
those P planes, centred on the pair axis (on an even-layer NC the axis lies between two columns, so
an odd nx is a quarter cell, a/4, off it) or, if a column there lacks an atom in either facing plane
(a surface vacancy left by the builder's neutrality step), the nearest block whose columns all have
both ends, so that every nucleus atom is bonded to its NC along the axis; each site getting the species of the rock-salt sublattice
(Pb where i+j+k is even counted from a Pb of NC 1): 3x3x2 gives 9 Pb + 9 Se, charges +1.29 / -1.29 e
(pbse_lj_q129.ff), i.e. a neutral block. The atoms are appended after the last atom (new ids), as
one new molecule, with NC id 0 and role `gap` in the .ncid file (as `neckmd build --slabs --pairs`
does), and the header count is updated. Everything else in the files is copied unchanged.
Stops with an error if the gap is not a whole number of spacings, the lattices are out of registry,
a site is occupied, or the block would not be neutral.
"""
import argparse
import sys

import numpy as np


def die(msg):
    sys.stderr.write("insert_nucleus.py: error: " + msg + "\n")
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("ncid")
    ap.add_argument("out_data")
    ap.add_argument("out_ncid")
    ap.add_argument("--nx", type=int, default=3, help="columns along y")
    ap.add_argument("--ny", type=int, default=3, help="columns along z")
    ap.add_argument("--a", type=float, default=6.12, help="lattice constant (A)")
    a = ap.parse_args()
    h = a.a / 2.0  # {200} spacing = site spacing of the rock-salt grid

    lines = open(a.data).read().split("\n")
    # header and sections
    try:
        i_atoms = next(i for i, l in enumerate(lines) if l.startswith("Atoms"))
    except StopIteration:
        die(a.data + ": no Atoms section")
    if "full" not in lines[i_atoms]:
        die(a.data + ": expected 'Atoms # full'")
    types, box = {}, {}
    in_masses = False
    for i, l in enumerate(lines[:i_atoms]):
        t = l.split()
        if l.startswith("Masses"):
            in_masses = True
            continue
        if in_masses and len(t) >= 4 and t[2] == "#":
            types[t[3]] = int(t[0])
        elif in_masses and t and not t[0].isdigit():
            in_masses = False
        if len(t) == 4 and t[2].endswith("lo") and t[3].endswith("hi"):
            box[t[2][0]] = (float(t[0]), float(t[1]))
    if "Pb" not in types or "Se" not in types:
        die(a.data + ": Masses need '# Pb' and '# Se' names")
    # atom lines: from i_atoms+2 to the next blank line
    j = i_atoms + 2
    atoms = []
    while j < len(lines) and lines[j].strip():
        atoms.append(lines[j].split())
        j += 1
    i_end = j
    ids = np.array([int(t[0]) for t in atoms])
    mol = np.array([int(t[1]) for t in atoms])
    typ = np.array([int(t[2]) for t in atoms])
    q = np.array([float(t[3]) for t in atoms])
    x = np.array([[float(v) for v in t[4:7]] for t in atoms])
    if len(atoms[0]) >= 10:  # unwrap with the image flags
        img = np.array([[int(v) for v in t[7:10]] for t in atoms])
        L = np.array([box[c][1] - box[c][0] for c in "xyz"])
        x = x + img * L
    if sorted(ids) != list(range(1, len(ids) + 1)):
        die("atom ids are not 1..N")
    core = (typ == types["Pb"]) | (typ == types["Se"])
    n1 = core & (mol == 1)
    n2 = core & (mol == 2)
    if not n1.any() or not n2.any():
        die("molecules 1 and 2 must be the two NC cores")
    pb1 = x[n1 & (typ == types["Pb"])][0]
    # NC 1 on its own lattice (checks the builder's convention)
    def lat(p):
        return (p - pb1) / h
    for sel, name in ((n1, "NC 1"), (n2, "NC 2")):
        f = lat(x[sel])
        k = np.rint(f)
        err = np.abs(f - k).max()
        if err > 1e-3:
            die(f"{name} is not on NC 1's lattice continued across the gap (largest offset {err * h:.4f} A): "
                "misaligned pair or gap not a multiple of a/2")
        par = (k.sum(1).astype(int) % 2 == 0)
        want = typ[sel] == types["Pb"]
        if not np.array_equal(par, want):
            die(f"{name}: species not in rock-salt registry with NC 1 (Pb where i+j+k is even)")
    x1 = x[n1, 0].max()
    x2 = x[n2, 0].min()
    gap = x2 - x1
    P = int(round(gap / h)) - 1
    if abs(gap - (P + 1) * h) > 1e-3 or P < 1:
        die(f"gap {gap:.4f} A is not a whole number (>= 2) of {h:.4f} A spacings")
    # the columns: nearest lattice site to the pair axis, then a centred nx x ny block
    cy = 0.5 * (x[n1, 1].mean() + x[n2, 1].mean())
    cz = 0.5 * (x[n1, 2].mean() + x[n2, 2].mean())
    ix0 = int(round((x1 - pb1[0]) / h))
    ix2 = int(round((x2 - pb1[0]) / h))
    # occupied lattice sites of the two facing planes
    occ = set()
    for sel in (n1, n2):
        for k in np.rint(lat(x[sel])).astype(int):
            if k[0] in (ix0, ix2):
                occ.add((int(k[0]), int(k[1]), int(k[2])))
    # the block nearest the axis whose every column has an atom in both facing planes (a vacancy
    # left by the builder's removal of surface atoms under a column would leave it hanging)
    cands = []
    for jy in range(-6, 7):
        for jz in range(-6, 7):
            by0 = int(np.floor((cy - pb1[1]) / h + 0.5 - 1e-9)) - (a.nx - 1) // 2 + jy
            bz0 = int(np.floor((cz - pb1[2]) / h + 0.5 - 1e-9)) - (a.ny - 1) // 2 + jz
            ccy = pb1[1] + h * (by0 + (a.nx - 1) / 2.0)
            ccz = pb1[2] + h * (bz0 + (a.ny - 1) / 2.0)
            cands.append(((ccy - cy) ** 2 + (ccz - cz) ** 2, abs(jy) + abs(jz), by0, bz0))
    cands.sort()
    for _, _, jy0, jz0 in cands:
        if all((ix, jy, jz) in occ for ix in (ix0, ix2) for jy in range(jy0, jy0 + a.nx)
               for jz in range(jz0, jz0 + a.ny)):
            break
    else:
        die(f"no {a.nx}x{a.ny} block of columns near the axis has atoms in both facing planes (facets too small?)")
    new = []
    for il in range(1, P + 1):
        for jy in range(jy0, jy0 + a.nx):
            for jz in range(jz0, jz0 + a.ny):
                k = (ix0 + il, jy, jz)
                sp = "Pb" if sum(k) % 2 == 0 else "Se"
                p = pb1 + h * np.array(k, float)
                new.append((sp, p))
    npb = sum(1 for s, _ in new if s == "Pb")
    nse = len(new) - npb
    if npb != nse:
        die(f"the {a.nx}x{a.ny}x{P} block has {npb} Pb and {nse} Se: not neutral (use an even nx*ny*P)")
    allx = x
    for s, p in new:
        d = np.linalg.norm(allx - p, axis=1).min()
        if d < 0.5 * h:
            die(f"site {p} is occupied (nearest atom {d:.3f} A)")
    qpb = q[typ == types["Pb"]][0]
    qse = q[typ == types["Se"]][0]
    if abs(qpb + qse) > 1e-9:
        die(f"Pb and Se charges {qpb} {qse} do not cancel")
    natoms = len(ids)
    newmol = int(mol.max()) + 1
    # wrap the new atoms into the box (image flags 0)
    out_atoms = []
    lo = np.array([box[c][0] for c in "xyz"])
    L = np.array([box[c][1] - box[c][0] for c in "xyz"])
    for n, (s, p) in enumerate(new, start=1):
        pw = lo + np.mod(p - lo, L)
        tq = qpb if s == "Pb" else qse
        out_atoms.append(f"{natoms + n} {newmol} {types[s]} {tq:.4f} {pw[0]:.6f} {pw[1]:.6f} {pw[2]:.6f} 0 0 0")
    # header: N atoms
    hdr_done = False
    for i, l in enumerate(lines[:i_atoms]):
        t = l.split()
        if len(t) == 2 and t[1] == "atoms" and not hdr_done:
            lines[i] = f"{natoms + len(new)} atoms"
            hdr_done = True
    if not hdr_done:
        die("no 'N atoms' header line")
    lines[0] = lines[0] + f"; + {len(new)} nucleus atoms ({a.nx}x{a.ny}x{P}) by insert_nucleus.py"
    lines = lines[:i_end] + out_atoms + lines[i_end:]
    open(a.out_data, "w").write("\n".join(lines))
    nc_lines = open(a.ncid).read().rstrip("\n").split("\n")
    nlisted = sum(1 for l in nc_lines if l.strip() and not l.startswith("#"))
    if nlisted != natoms:
        die(f"{a.ncid} lists {nlisted} atoms, the data file has {natoms}")
    nc_lines += [f"{natoms + n} 0 gap" for n in range(1, len(new) + 1)]
    open(a.out_ncid, "w").write("\n".join(nc_lines) + "\n")
    print(f"insert_nucleus.py: gap {gap:.4f} A = {P + 1} x {h:.4f} A; {a.nx}x{a.ny}x{P} nucleus: {npb} Pb + {nse} Se "
          f"(ids {natoms + 1}..{natoms + len(new)}, molecule {newmol}), planes at x = "
          + ", ".join(f"{x1 + il * h:.3f}" for il in range(1, P + 1))
          + f"; columns y0 = {pb1[1] + jy0 * h:.3f}, z0 = {pb1[2] + jz0 * h:.3f} (axis at {cy:.3f}, {cz:.3f})")


if __name__ == "__main__":
    main()
