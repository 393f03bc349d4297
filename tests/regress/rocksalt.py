#!/usr/bin/python3
"""Write a perfect rock-salt PbSe crystal as a LAMMPS data file (atom_style full, units real).

usage: rocksalt.py A CELLS OUT.data

A is the lattice constant (A), CELLS the number of conventional cells along each axis
(4 gives 512 atoms in a cubic box of side 4A). The layout is that of tests/ref/make_data.py
bulk(): sites (i, j, k) -> (i A/2, j A/2, k A/2), i outermost and k innermost; type 1 = Pb
(q +1.29, mass 207.2) if i+j+k is even, otherwise type 2 = Se (q -1.29, mass 78.971).
The charges and masses are placeholders: neckmd's `forcefield` files set them by type name.
Coordinates are written with %.10f. Stdlib only.
"""
import sys


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    a = float(sys.argv[1])
    cells = int(sys.argv[2])
    out = sys.argv[3]
    n = 2 * cells
    h = a / 2.0
    L = cells * a
    lines = ["LAMMPS data file (atom_style full, units real): kind=bulk a=%.10f q=1.29 "
             "cells=%d,%d,%d rattle=0" % (a, cells, cells, cells), "",
             "%d atoms" % (n ** 3), "2 atom types", ""]
    for ax in "xyz":
        lines.append("%.10f %.10f %slo %shi" % (0.0, L, ax, ax))
    lines += ["", "Masses", "", "1 207.2 # Pb", "2 78.971 # Se", "", "Atoms # full", ""]
    idx = 0
    for i in range(n):
        for j in range(n):
            for k in range(n):
                idx += 1
                t = 1 if (i + j + k) % 2 == 0 else 2
                q = 1.29 if t == 1 else -1.29
                lines.append("%d 1 %d %.10f %.10f %.10f %.10f" % (idx, t, q, i * h, j * h, k * h))
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
