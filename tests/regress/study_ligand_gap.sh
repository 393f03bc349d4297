#!/bin/sh
# study_ligand_gap.sh - inputs/ligand_gap (issue 7, the DFT oleate-between-slabs scan) in its
# --tiny form: run.sh builds, scans and analyses; the checks recompute from the raw outputs the
# gap of each state (frozen slab-2 layer in the written data files) and E_lig (write_forces pe).
. "$top_srcdir/tests/regress/common.sh"
S=$top_srcdir/inputs/ligand_gap
O=$WORK/out
export NECKMD PYTHON
check "run.sh --tiny runs end to end (build, two scans, analysis)" sh -c "OMP_NUM_THREADS=1 sh $S/run.sh --tiny -o $O >$WORK/run.txt 2>&1 || { cat $WORK/run.txt; exit 1; }"
check "results.csv, summary.json and ligand_gap.png written" sh -c "test -s $O/results.csv && test -s $O/summary.json && test -s $O/ligand_gap.png"
check "run.sh refuses to overwrite a non-empty OUTDIR" sh -c "! sh $S/run.sh --tiny -o $O >$WORK/again.txt 2>&1 && grep -q 'exists and is not empty' $WORK/again.txt"
cat >"$WORK/chk.py" <<'EOP'
import csv, json, math, sys
O = sys.argv[1]
rows = list(csv.DictReader(open(O + "/results.csv")))
summ = json.load(open(O + "/summary.json"))
p = json.load(open(O + "/params.json"))
assert len(rows) >= 4, len(rows)
for r in rows:
    for k, v in r.items():
        if k != "branch" and not k.startswith("lig_"):
            assert math.isfinite(float(v)), (k, v)

def pe(path):
    for line in open(path):
        t = line[1:].split()
        if line.startswith("#") and len(t) == 2 and t[0] == "pe":
            return float(t[1])

def zs(path):
    z, sec = {}, False
    for line in open(path):
        w = line.strip()
        if w.startswith("Atoms"): sec = True; continue
        if w == "Velocities": sec = False; continue
        t = w.split()
        if sec and len(t) >= 7: z[int(t[0])] = float(t[6])
    return z

worst_g = worst_e = 0.0
for sysname in ("with", "without"):
    planes = json.load(open(O + "/%s.build.json" % sysname))["slabs"]["planes_z"]
    nc = {int(l.split()[0]): (int(l.split()[1]), l.split()[2]) for l in open(O + "/%s.ncid" % sysname) if l.split()[0].isdigit()}
    for r in rows:
        z = zs(O + "/state_%s_%03d.data" % (sysname, int(r["state"])))
        top2 = max(z[i] for i in z if nc[i] == (2, "core"))          # frozen outer layer of slab 2
        bot1 = [z[i] for i in z if nc[i] == (1, "core") and abs(z[i] - planes[0]) < 0.5]
        assert max(abs(v - planes[0]) for v in bot1) < 1e-6, "slab 1's frozen layer moved"
        G = planes[2] - planes[1] + (top2 - planes[3])
        worst_g = max(worst_g, abs(G - float(r["G_A"])), abs(G - float(r["G_nominal_A"])))
# E_lig from the raw energies
e = {s: [pe(O + "/state_%s_%03d.f" % (s, int(r["state"]))) for r in rows] for s in ("with", "without")}
for k, r in enumerate(rows):
    elig = (e["with"][k] - e["with"][0]) - (e["without"][k] - e["without"][0])
    worst_e = max(worst_e, abs(elig - float(r["E_lig"])))
assert worst_g < 1e-4, worst_g
assert worst_e < 1e-4, worst_e
# the smallest gap confines the ligand: it must cost energy
cmin = min((r for r in rows if r["branch"].startswith("compress")), key=lambda r: float(r["G_A"]))
assert float(cmin["E_lig"]) > 0, cmin["E_lig"]
assert abs(float(summ["min_E_lig"]["G_edge_A"]) - (float(summ["min_E_lig"]["G_A"]) - p["a_A"] / 2)) < 1e-9
print("states", len(rows), "gap error", worst_g, "E_lig error", worst_e, "E_lig at G_min", cmin["E_lig"])
EOP
check "gaps recomputed from the frozen layers of the data files, and E_lig from the raw pe, match results.csv; frozen layer fixed; confinement costs energy" $PYTHON "$WORK/chk.py" "$O"
finish
