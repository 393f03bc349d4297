#!/usr/bin/python3
"""Make eda_box.data: 30 united-atom ethylenediamines (potentials/eda_ua.ff, the geometry of
tests/ref/mol/eda_single.data: N-C-C-N gauche) at random positions and orientations in a
periodic 20 x 20 x 20 A box (0.37 g/cm3: a test system, not the liquid), at least 3.0 A
between atoms of different molecules, then every atom displaced by up to 0.1 A per coordinate
(so every bond and angle has a force); no intermolecular contact < 2.3 A (checked).
Types: 1 ED_CH2, 2 ED_N, 3 ED_H; bond/angle/dihedral types as in eda_single.data.
Pair cutoff 12 A > L/2: pairs reach periodic images of their own molecule (both LAMMPS and
neckmd sum them; the 1-2/1-3/1-4 partners' images are > 12 A away).
Deterministic; reuses ../slab_oleate_eg/make_system.py.

usage: make_system.py            (writes eda_box.data next to this script)"""
import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'slab_oleate_eg'))
import make_system as ms  # noqa: E402

L = [20.0, 20.0, 20.0]
N_EDA = 30


def build_eda_box():
    eda = ms.read_molecule(os.path.join(ms.MOL, 'eda_single.data'))
    names = [eda['names'][t] for t in sorted(eda['names'])]
    masses = [eda['masses'][t] for t in sorted(eda['masses'])]
    S = ms.System(L, names, masses)
    S.ntopotypes = {'bonds': eda['ntypes']['bond'], 'angles': eda['ntypes']['angle'], 'dihedrals': eda['ntypes']['dihedral']}
    tmap = {t: t for t in eda['names']}
    zero = {'bonds': 0, 'angles': 0, 'dihedrals': 0}
    ms.place_random(S, eda, N_EDA, (0.0, L[2]), ms.RMIN_PLACE, 20240612, tmap, zero)
    S.rattle(0.1, 4712)
    q = S.charge()
    assert abs(q) < 1e-9, 'net charge %g' % q
    dmin, ia, ib = ms.min_intermolecular(S.atoms, L)
    assert dmin >= ms.RMIN_FINAL, 'contact %.3f A between atoms %d and %d' % (dmin, ia, ib)
    return S, dmin, (ia, ib)


def main():
    S, dmin, pair = build_eda_box()
    title = ('eda_box (tests/ref/eda_box/make_system.py): %d ethylenediamines (eda_ua.ff) in a 20 A box, rattled 0.1 A; '
             'net charge 0; closest intermolecular contact %.3f A (atoms %d-%d)' % (N_EDA, dmin, pair[0], pair[1]))
    S.write(os.path.join(HERE, 'eda_box.data'), title)
    print(title)
    print('%d atoms' % len(S.atoms))


if __name__ == '__main__':
    main()
