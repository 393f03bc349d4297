#!/bin/sh
# study_neck_nucleus.sh - inputs/neck_nucleus (issue 7, the DFT critical-nucleus energies) in its
# --tiny form (n = 0, 1, 9 on a 3x3 cell): run.sh builds, minimises and analyses; the checks
# recompute Delta E(n) from the raw energies, the bulk Coulomb energy per pair from the Madelung
# constant, and the composition and frozen layers from the data files.
. "$top_srcdir/tests/regress/common.sh"
S=$top_srcdir/inputs/neck_nucleus
O=$WORK/out
export NECKMD PYTHON
check "run.sh --tiny runs end to end (bulk, n = 0 1 9, analysis)" sh -c "OMP_NUM_THREADS=1 sh $S/run.sh --tiny -o $O >$WORK/run.txt 2>&1 || { cat $WORK/run.txt; exit 1; }"
check "results.csv, summary.json and neck_nucleus.png written" sh -c "test -s $O/results.csv && test -s $O/summary.json && test -s $O/neck_nucleus.png"
check "run.sh refuses to overwrite a non-empty OUTDIR" sh -c "! sh $S/run.sh --tiny -o $O >$WORK/again.txt 2>&1 && grep -q 'exists and is not empty' $WORK/again.txt"
cat >"$WORK/chk.py" <<'EOP'
import csv, json, math, sys
O = sys.argv[1]
rows = {int(r["n"]): r for r in csv.DictReader(open(O + "/results.csv"))}
summ = json.load(open(O + "/summary.json"))
p = json.load(open(O + "/params.json"))
assert sorted(rows) == [0, 1, 9], sorted(rows)

def head(path):
    e = {}
    for line in open(path):
        if not line.startswith("#"): break
        t = line[1:].split()
        if len(t) == 2:
            try: e[t[0]] = float(t[1])
            except ValueError: pass
    return e

def atoms(path):
    a, sec = {}, False
    for line in open(path):
        w = line.split("#")[0].strip()
        if line.strip().startswith("Atoms"): sec = True; continue
        if line.strip() in ("Velocities", "Bonds"): sec = False; continue
        t = w.split()
        if sec and len(t) >= 7: a[int(t[0])] = (int(t[2]), float(t[4]), float(t[5]), float(t[6]))
    return a

# bulk: 512 atoms; Coulomb energy per pair = -M q^2 k_e / (a/2), M = 1.747565 (rock salt)
b = head(O + "/bulk.f")
npair = 256
coul = (b["ecoul"] + b["elong"]) / npair
mad = -1.7475645946 * 1.29 ** 2 * 332.06371 / (p["a_A"] / 2)
assert abs(coul - mad) < 2e-3 * abs(mad), (coul, mad)
epair = b["pe"] / npair
assert abs(epair - summ["E_pair_kcal_mol"]) < 1e-6
e = {n: head(O + "/n%02d.f" % n)["pe"] for n in rows}
for n, r in rows.items():
    dE = e[n] - e[0] - n * epair
    assert math.isfinite(float(r["dE"])) and abs(dE - float(r["dE"])) < 1e-4, (n, dE, r["dE"])
# composition: n Pb + n Se added; n = 9 is a 3x3x2 block of 18 gap atoms
a0, a9 = atoms(O + "/n00.data"), atoms(O + "/n09.data")
nc9 = {int(l.split()[0]): l.split()[2] for l in open(O + "/n09.ncid") if l.split()[0].isdigit()}
gap = [i for i in nc9 if nc9[i] == "gap"]
assert len(a9) - len(a0) == 18 and len(gap) == 18
assert sum(1 for i in gap if a9[i][0] == 1) == 9
xs = sorted({round(a9[i][1], 3) for i in gap}); ys = sorted({round(a9[i][2], 3) for i in gap}); zz = sorted({round(a9[i][3], 3) for i in gap})
assert (len(xs), len(ys), len(zz)) == (3, 3, 2), (xs, ys, zz)
assert abs((zz[1] - zz[0]) - p["a_A"] / 2) < 1e-3
# frozen outer layers stayed put in the minimisation
f9 = atoms(O + "/n09.final.data")
zmin = min(v[3] for v in a9.values()); zmax = max(v[3] for v in a9.values())
outer = [i for i in a9 if abs(a9[i][3] - zmin) < 0.5 or abs(a9[i][3] - zmax) < 0.5]
assert outer and max(abs(f9[i][3] - a9[i][3]) for i in outer) < 1e-6
print("E_pair", epair, "coulomb/pair", coul, "Madelung", mad, "dE", {n: r["dE"] for n, r in rows.items()})
EOP
check "dE(n) recomputed from the raw energies; bulk Coulomb per pair = Madelung; 3x3x2 block of 9 Pb + 9 Se; frozen layers fixed" $PYTHON "$WORK/chk.py" "$O"
finish
