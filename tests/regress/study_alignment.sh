#!/bin/sh
# study_alignment.sh - inputs/alignment (issue 7, study 4) end to end in --tiny form: two 6-layer
# PbSe NCs in EG misaligned by 15 deg about the pair axis, minimised, 40 NVT steps, analysed.
# Checks the outputs, the measured misalignment against the built one, and recomputes from the raw
# files (data file, trajectory) the built angle and an NC dipole independently of neckmd analyze.
. "$top_srcdir/tests/regress/common.sh"
P=$PYTHON
OUT=$WORK/out
check "run.sh --tiny runs end to end" sh -c "NECKMD='$NECKMD' PYTHON='$P' sh '$top_srcdir/inputs/alignment/run.sh' --tiny -o '$OUT' >'$WORK/run.txt' 2>&1 || { cat '$WORK/run.txt'; exit 1; }"
check "outputs exist: results.csv summary.json alignment.png ana.csv built.csv" \
    sh -c "cd '$OUT' && test -s results.csv && test -s summary.json && test -s alignment.png && test -s ana.csv && test -s built.csv"
check "run.sh refuses to overwrite a non-empty OUTDIR" sh -c "! NECKMD='$NECKMD' sh '$top_srcdir/inputs/alignment/run.sh' --tiny -o '$OUT' 2>'$WORK/e.txt' && grep -q 'exists and is not empty' '$WORK/e.txt'"
check "summary.json: finite numbers, 3 frames, 0.08 ps; results.csv has the same frames" $P - "$OUT" <<'EOF2'
import csv, json, math, sys
s = json.load(open(sys.argv[1] + "/summary.json"))
for k in ("misalign_frame0_deg", "misalign_final_deg", "rotation_rate_deg_per_ps", "nc1_p_D_mean", "nc2_p_D_mean",
          "gap_frame0_A", "misalign_asbuilt_measured_deg"):
    assert math.isfinite(s[k]), (k, s[k])
assert s["frames"] == 3 and abs(s["duration_ps"] - 0.08) < 1e-6, s
r = list(csv.DictReader(open(sys.argv[1] + "/results.csv")))
assert len(r) == 3
print(s)
EOF2
check "misalignment measured by analyze = the built 15 deg (as built within 0.05 deg; after minimisation within 1 deg)" $P - "$OUT" <<'EOF2'
import json, sys
s = json.load(open(sys.argv[1] + "/summary.json"))
print(s["misalign_asbuilt_measured_deg"], s["misalign_frame0_deg"])
assert abs(s["misalign_asbuilt_measured_deg"] - 15.0) < 0.05
assert abs(s["misalign_frame0_deg"] - 15.0) < 1.0
EOF2
check "built angle recomputed from the data file's Pb-Se bonds (NC 2 about x, mod 90) = analyze's as-built value (0.1 deg)" $P - "$OUT" <<'EOF2'
import csv, sys
import numpy as np
d = sys.argv[1]
nc = {}
for l in open(d + "/pair.ncid"):
    t = l.split()
    if t and not t[0].startswith("#"):
        nc[int(t[0])] = (int(t[1]), t[2])
X, T, Q = {}, {}, {}
on = False
for l in open(d + "/pair.data"):
    if l.startswith("Atoms"): on = True; continue
    if on and l[:1].isalpha(): break
    t = l.split()
    if on and len(t) >= 7:
        i = int(t[0]); X[i] = np.array([float(v) for v in t[4:7]]); T[i] = t[2]; Q[i] = float(t[3])
def bonds(k):
    ids = [i for i in X if nc[i] == (k, "core")]
    P = np.array([X[i] for i in ids]); q = np.array([Q[i] for i in ids])
    D = P[:, None] - P[None]
    r = np.linalg.norm(D, axis=2)
    a, b = np.where((r > 2.5) & (r < 3.4) & (q[:, None] * q[None] < 0))
    v = D[a, b]
    v = v[np.abs(v[:, 0]) < 0.5]          # bonds in the yz plane
    th = np.arctan2(v[:, 2], v[:, 1])
    z = np.exp(4j * th)                    # period 90 deg: circular mean, spread
    return np.degrees(np.angle(z.mean())) / 4.0, abs(z.mean())
(a1, c1), (a2, c2) = bonds(1), bonds(2)
print("NC1 lattice angle about x", a1, "coherence", c1, " NC2", a2, c2)
assert c1 > 0.999 and c2 > 0.999
rel = (a2 - a1) % 90.0
rel = min(rel, 90.0 - rel)
b = list(csv.DictReader(l for l in open(d + "/built.csv") if not l.startswith("#")))[0]
print("recomputed", rel, "analyze", b["misalign_1_2_deg"])
assert abs(rel - 15.0) < 0.01 and abs(rel - float(b["misalign_1_2_deg"])) < 0.1
EOF2
check "NC 1 and NC 2 dipoles (debye) recomputed from the trajectory and the data charges = analyze (rel 1e-3, every frame)" $P - "$OUT" <<'EOF2'
import csv, sys
import numpy as np, netCDF4
d = sys.argv[1]
ids = {1: [], 2: []}
for l in open(d + "/pair.ncid"):
    t = l.split()
    if t and not t[0].startswith("#") and t[2] == "core":
        ids[int(t[1])].append(int(t[0]) - 1)
q, ref0 = {}, {}
on = False
for l in open(d + "/pair.data"):
    if l.startswith("Atoms"): on = True; continue
    if on and l[:1].isalpha(): break
    t = l.split()
    if on and len(t) >= 10:
        q[int(t[0]) - 1] = float(t[3])
        ref0[int(t[0]) - 1] = [float(v) for v in t[4:7]]
ds = netCDF4.Dataset(d + "/pair.nc")
X = np.asarray(ds["coordinates"][:], float); L = np.asarray(ds["cell_lengths"][:], float)
rows = list(csv.DictReader(l for l in open(d + "/ana.csv") if not l.startswith("#")))
assert len(rows) == X.shape[0]
prev = {k: np.array([ref0[i] for i in ids[k]]) for k in (1, 2)}   # the built NCs are whole
for f in range(X.shape[0]):
    for k in (1, 2):
        s = np.array(ids[k]); x = X[f, s]
        x = x - L[f] * np.rint((x - prev[k]) / L[f])   # unwrapped: each atom next to its last position
        prev[k] = x
        qq = np.array([q[i] for i in s])
        p = np.linalg.norm((qq[:, None] * (x - x.mean(0))).sum(0)) * 4.80320
        ref = float(rows[f][f"nc{k}_p_D"])
        assert abs(p - ref) <= 1e-3 * max(1.0, ref), (f, k, p, ref)
print("ok", rows[-1]["nc1_p_D"], rows[-1]["nc2_p_D"])
EOF2
check "rotation rate in summary.json = least-squares slope of results.csv (1e-9)" $P - "$OUT" <<'EOF2'
import csv, json, sys
import numpy as np
r = list(csv.DictReader(open(sys.argv[1] + "/results.csv")))
t = np.array([float(x["time_ps"]) for x in r]); m = np.array([float(x["misalign_deg"]) for x in r])
s = json.load(open(sys.argv[1] + "/summary.json"))
k = np.polyfit(t, m, 1)[0]
assert abs(k - s["rotation_rate_deg_per_ps"]) < 1e-6 * max(1, abs(k)), (k, s["rotation_rate_deg_per_ps"])
EOF2
finish
