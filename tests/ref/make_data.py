#!/usr/bin/python3
"""Generate / copy the LAMMPS data files of the neckmd reference cases.

Deterministic, stdlib only.  Run from anywhere:  python3 tests/ref/make_data.py
Writes tests/ref/<case>/<case>.data (and bulk_lj/bulk_4x4x4_rattled.data).

Cases (rock-salt PbSe, a = 6.12 A, type 1 = Pb q=+1.29 mass 207.2,
type 2 = Se q=-1.29 mass 78.971, atom_style full, units real):
  bulk_4x4x4          perfect 4x4x4 conventional cells, box 24.48 A, 512 atoms
  bulk_4x4x4_rattled  copy of /work/shared/reference/lammps/bulk_4x4x4_rattled (sha256 checked)
  nc_cube_3nm         copy of /work/shared/reference/lammps/nc_cube_3nm (sha256 checked;
                      also re-generated here with nc_cube() and checked byte-identical)
  two_nc_gap6         two 10x10x10-atom cubes along x, 6.0 A between facing atomic planes
  bulk_lj             same data as bulk_4x4x4_rattled (run with the LJ set)

Atom ordering (same as the shared files): sites of the half-lattice grid
(i, j, k) with x = x0 + i*a/2 etc., loop i (x) outermost, then j (y), then k (z)
innermost; type Pb if (i+j+k) even else Se.  Coordinates %.10f.
"""
import hashlib
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = "/work/shared/reference/lammps"
A = 6.12
Q = 1.29
SHA = {  # from results.json "data_sha256" of the shared cases
    "bulk_4x4x4_rattled": "8a47090bf91b9d309dd64d9e817036ae857e2b4416d077c5ef1b52771c5e8746",
    "nc_cube_3nm": "ca2f3d90834c952250daf98b04466b364b6320562a0f297251bc645ebcb591d6",
}


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def block(n, x0, y0, z0, mol=1):
    """n x n x n atoms of the rock-salt half-lattice grid starting at (x0,y0,z0)."""
    h = A / 2.0
    out = []
    for i in range(n):
        for j in range(n):
            for k in range(n):
                t = 1 if (i + j + k) % 2 == 0 else 2
                out.append((mol, t, x0 + i * h, y0 + j * h, z0 + k * h))
    return out


def write_data(path, header, box, atoms):
    lines = ["LAMMPS data file (atom_style full, units real): " + header, "",
             "%d atoms" % len(atoms), "2 atom types", ""]
    for (lo, hi), ax in zip(box, "xyz"):
        lines.append("%.10f %.10f %slo %shi" % (lo, hi, ax, ax))
    lines += ["", "Masses", "", "1 207.2 # Pb", "2 78.971 # Se", "", "Atoms # full", ""]
    for idx, (mol, t, x, y, z) in enumerate(atoms, 1):
        q = Q if t == 1 else -Q
        lines.append("%d %d %d %.10f %.10f %.10f %.10f" % (idx, mol, t, q, x, y, z))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def check_neutral(atoms):
    n1 = sum(1 for a in atoms if a[1] == 1)
    n2 = len(atoms) - n1
    assert n1 == n2, (n1, n2)


def bulk(path, cells=4):
    atoms = block(2 * cells, 0.0, 0.0, 0.0)
    L = cells * A
    check_neutral(atoms)
    write_data(path, "kind=bulk a=6.12 q=1.29 cells=%d,%d,%d rattle=0" % (cells, cells, cells),
               [(0.0, L)] * 3, atoms)


def nc_cube(path, n=10, pad=20.0):
    ext = (n - 1) * A / 2.0
    atoms = block(n, pad, pad, pad)
    check_neutral(atoms)
    L = ext + 2 * pad
    write_data(path, "kind=nc a=6.12 q=1.29 shape=cube centre=cube d100=%f stoich=yes pad=%.1f"
               % (ext / 2.0, pad), [(0.0, L)] * 3, atoms)


def two_nc(path, n=10, gap=6.0, pad=20.0):
    ext = (n - 1) * A / 2.0            # 27.54 A, outermost plane to outermost plane
    x0b = pad + ext + gap              # first atomic plane of NC 2
    a1 = block(n, pad, pad, pad, mol=1)
    a2 = block(n, x0b, pad, pad, mol=2)  # identical copy of NC 1 translated by ext+gap along x
    check_neutral(a1)
    check_neutral(a2)
    box = [(0.0, x0b + ext + pad), (0.0, ext + 2 * pad), (0.0, ext + 2 * pad)]
    write_data(path, "kind=two_nc a=6.12 q=1.29 shape=cube n=%d gap=%.1f (facing planes) "
               "axis=x mol=NC index pad=%.1f" % (n, gap, pad), box, a1 + a2)


def copy_checked(case, dest_dir, dest_name=None):
    src = os.path.join(SHARED, case, case + ".data")
    dst = os.path.join(dest_dir, dest_name or case + ".data")
    h = sha256(src)
    if h != SHA[case]:
        sys.exit("sha256 mismatch for %s: %s" % (src, h))
    shutil.copyfile(src, dst)
    assert sha256(dst) == SHA[case]


def main():
    for d in ("bulk_4x4x4", "bulk_4x4x4_rattled", "nc_cube_3nm", "two_nc_gap6", "bulk_lj"):
        os.makedirs(os.path.join(HERE, d), exist_ok=True)
    bulk(os.path.join(HERE, "bulk_4x4x4", "bulk_4x4x4.data"))
    copy_checked("bulk_4x4x4_rattled", os.path.join(HERE, "bulk_4x4x4_rattled"))
    copy_checked("nc_cube_3nm", os.path.join(HERE, "nc_cube_3nm"))
    copy_checked("bulk_4x4x4_rattled", os.path.join(HERE, "bulk_lj"))
    two_nc(os.path.join(HERE, "two_nc_gap6", "two_nc_gap6.data"))
    # self-check: the cube generator reproduces the shared nc_cube_3nm file byte for byte
    tmp = os.path.join(HERE, "nc_cube_3nm", ".regen.tmp")
    nc_cube(tmp)
    ok = sha256(tmp) == SHA["nc_cube_3nm"]
    os.remove(tmp)
    if not ok:
        sys.exit("nc_cube() does not reproduce the shared nc_cube_3nm.data")
    for d in ("bulk_4x4x4", "bulk_4x4x4_rattled", "nc_cube_3nm", "two_nc_gap6", "bulk_lj"):
        for f in sorted(os.listdir(os.path.join(HERE, d))):
            if f.endswith(".data"):
                p = os.path.join(HERE, d, f)
                print("%-45s %s" % (os.path.relpath(p, HERE), sha256(p)))


if __name__ == "__main__":
    main()
