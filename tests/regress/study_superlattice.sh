#!/bin/sh
# study_superlattice.sh - inputs/superlattice (issue 7, study 6) end to end in --tiny form: a
# hexagonal patch of 7 oleate-capped 8-layer PbSe NCs (no solvent), minimised, 20 NVT steps,
# analysed. Checks the outputs, that the builder's NC centres form the hexagon asked (spacing S,
# 60/120 deg exactly), that the angles analyze measures at the as-built frame equal those recomputed
# here from the Pb/Se centres of mass of the data file, and that they are 60/120 within 1 deg.
. "$top_srcdir/tests/regress/common.sh"
P=$PYTHON
OUT=$WORK/out
check "run.sh --tiny runs end to end" sh -c "NECKMD='$NECKMD' PYTHON='$P' sh '$top_srcdir/inputs/superlattice/run.sh' --tiny -o '$OUT' >'$WORK/run.txt' 2>&1 || { cat '$WORK/run.txt'; exit 1; }"
check "outputs exist: results.csv summary.json superlattice.png ana.csv built.csv" \
    sh -c "cd '$OUT' && test -s results.csv && test -s summary.json && test -s superlattice.png && test -s ana.csv && test -s built.csv"
check "summary.json: finite numbers, 3 frames; 30 angles (18 near 60, 12 near 120) for 7 NCs" $P - "$OUT" <<'EOF2'
import json, math, sys
s = json.load(open(sys.argv[1] + "/summary.json"))
for k, v in s.items():
    if isinstance(v, float): assert math.isfinite(v), (k, v)
assert s["frames"] == 3 and s["n_angles"] == 30 and s["n_angles_60"] == 18 and s["n_angles_120"] == 12, s
assert s["n_neighbour_pairs"] == 12, s
EOF2
check "the builder's NC centres (build.json): 12 neighbour pairs at S = 43.48 A, every angle 60/120 (1e-6)" $P - "$OUT" <<'EOF2'
import itertools, json, sys
import numpy as np
b = json.load(open(sys.argv[1] + "/mono.build.json"))
C = np.array([n["centre"] for n in b["ncs"]])
D = np.linalg.norm(C[:, None] - C[None], axis=2)
nb = (D > 0) & (D < 1.2 * 43.48)
assert nb.sum() == 24 and np.allclose(D[nb], 43.48, atol=1e-5), D[nb]
for i in range(7):
    for a, c in itertools.combinations(np.where(nb[i])[0], 2):
        u, v = C[a] - C[i], C[c] - C[i]
        g = np.degrees(np.arccos(u @ v / np.linalg.norm(u) / np.linalg.norm(v)))
        if g < 150: assert min(abs(g - 60), abs(g - 120)) < 1e-6, g
EOF2
check "as-built angles recomputed from the data file's Pb/Se centres of mass = analyze's built.csv (0.01 deg), all within 1 deg of 60/120" $P - "$OUT" <<'EOF2'
import csv, sys
import numpy as np
d = sys.argv[1]
nc = {}
for l in open(d + "/mono.ncid"):
    t = l.split()
    if t and not t[0].startswith("#") and t[2] == "core": nc[int(t[0])] = int(t[1])
mass, name, on, sec = {}, {}, False, ""
X = {}
for l in open(d + "/mono.data"):
    t = l.split()
    if l[:1].isalpha(): sec = t[0]; continue
    if sec == "Masses" and len(t) >= 4: mass[t[0]] = float(t[1])
    if sec == "Atoms" and len(t) >= 7 and int(t[0]) in nc:
        X.setdefault(nc[int(t[0])], []).append((mass[t[2]], [float(v) for v in t[4:7]]))
C = {}
for k, v in X.items():
    m = np.array([a for a, _ in v]); x = np.array([b for _, b in v])
    C[k] = (m[:, None] * x).sum(0) / m.sum()
b = list(csv.DictReader(l for l in open(d + "/built.csv") if not l.startswith("#")))[0]
worst = worst_dev = 0.0
n = 0
for key, val in b.items():
    if not key.startswith("angle_"): continue
    k, i, l = (int(s) for s in key.split("_")[1:4])
    u, v = C[k] - C[i], C[l] - C[i]
    g = np.degrees(np.arccos(u @ v / np.linalg.norm(u) / np.linalg.norm(v)))
    worst = max(worst, abs(g - float(val)))
    worst_dev = max(worst_dev, min(abs(g - 60), abs(g - 120)))
    n += 1
print(f"{n} angles; largest |recomputed - analyze| {worst:.4f} deg; largest deviation from 60/120 {worst_dev:.3f} deg")
assert n == 30 and worst < 0.01 and worst_dev < 1.0
EOF2
check "first frame of the run (after minimisation): angles 60/120 within 1 deg; results.csv mean of the 60 family = mean of analyze's columns" $P - "$OUT" <<'EOF2'
import csv, json, sys
import numpy as np
d = sys.argv[1]
s = json.load(open(d + "/summary.json"))
assert s["frame0_max_dev_from_60_120_deg"] < 1.0, s["frame0_max_dev_from_60_120_deg"]
a = list(csv.DictReader(l for l in open(d + "/ana.csv") if not l.startswith("#")))
r = list(csv.DictReader(open(d + "/results.csv")))
for x, y in zip(a, r):
    v = [float(x[k]) for k in x if k.startswith("angle_") and float(a[0][k]) < 90]
    assert abs(np.mean(v) - float(y["mean_angle60_deg"])) < 1e-3
EOF2
check "run.sh --bench writes throughput.json with a positive atom-steps/s per core" sh -c "NECKMD='$NECKMD' PYTHON='$P' sh '$top_srcdir/inputs/superlattice/run.sh' --tiny --bench -o '$WORK/bench' >'$WORK/bench.txt' 2>&1 && $P -c \"import json; t=json.load(open('$WORK/bench/throughput.json')); assert t['atom_steps_per_s_per_core'] > 0 and t['natoms'] == 7721, t\""
finish
