#!/usr/bin/python3
"""Write a rattled rock-salt PbSe bulk as a LAMMPS data file (atom_style full, units real).

usage: make_bulk.py OUT.data [CELLS [RATTLE [SEED]]]

CELLS x CELLS x CELLS conventional cells of a = 6.12 A (8 atoms each: CELLS=10 gives 8000 atoms),
periodic box [0, CELLS*a)^3, every coordinate displaced by a uniform random amount in
[-RATTLE, RATTLE] A (default 0.1) from Python's Mersenne Twister seeded with SEED (default
20240601), so the file is the same on every machine. Stoichiometric and neutral: type 1 Pb
q = +1.29 e, type 2 Se q = -1.29 e. Same layout as tests/ref/*/*.data (tests/ref/make_data.py).
"""
import random
import sys

A = 6.12          # A, lattice constant (as tests/ref)
Q = 1.29          # e, |charge| of Pb and Se


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    cells = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    rattle = float(sys.argv[3]) if len(sys.argv) > 3 else 0.1
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 20240601
    rng = random.Random(seed)
    n = 2 * cells                 # half-lattice grid points per edge
    h = A / 2.0
    L = cells * A
    lines = ["LAMMPS data file (atom_style full, units real): kind=bulk a=%.2f q=%.2f cells=%d,%d,%d "
             "rattle=%g seed=%d (bench/make_bulk.py)" % (A, Q, cells, cells, cells, rattle, seed), "",
             "%d atoms" % (n ** 3), "2 atom types", ""]
    for ax in "xyz":
        lines.append("%.10f %.10f %slo %shi" % (0.0, L, ax, ax))
    lines += ["", "Masses", "", "1 207.2 # Pb", "2 78.971 # Se", "", "Atoms # full", ""]
    idx = 0
    npb = 0
    for i in range(n):
        for j in range(n):
            for k in range(n):
                t = 1 if (i + j + k) % 2 == 0 else 2
                npb += t == 1
                x = [(c * h + rng.uniform(-rattle, rattle)) % L for c in (i, j, k)]
                x = [c - L if round(c, 10) >= L else c for c in x]   # printed value stays inside [0, L)
                idx += 1
                lines.append("%d 1 %d %.10f %.10f %.10f %.10f" % (idx, t, Q if t == 1 else -Q, x[0], x[1], x[2]))
    assert 2 * npb == idx, "not stoichiometric"
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
