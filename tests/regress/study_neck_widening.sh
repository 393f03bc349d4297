#!/bin/sh
# study_neck_widening.sh - inputs/neck_widening (issue 7, study 5) end to end in --tiny form: two
# bare 12-layer PbSe NCs 9.18 A apart with the 3x3x2 nucleus of insert_nucleus.py, minimised, 40 NVT
# steps at 600 K, analysed. Checks the inserted nucleus from the raw data file (counts, charge,
# rock-salt registry with both NCs), the nucleus as neckmd analyze measures it (3x3: side 9.18 A,
# 2 layers, 9 bridges), the outputs, and that insert_nucleus.py refuses a misaligned pair.
. "$top_srcdir/tests/regress/common.sh"
P=$PYTHON
OUT=$WORK/out
check "run.sh --tiny runs end to end" sh -c "NECKMD='$NECKMD' PYTHON='$P' sh '$top_srcdir/inputs/neck_widening/run.sh' --tiny -o '$OUT' >'$WORK/run.txt' 2>&1 || { cat '$WORK/run.txt'; exit 1; }"
check "outputs exist: results.csv summary.json neck_widening.png ana.csv built.csv nucleus.data nucleus.ncid" \
    sh -c "cd '$OUT' && test -s results.csv && test -s summary.json && test -s neck_widening.png && test -s ana.csv && test -s built.csv && test -s nucleus.data && test -s nucleus.ncid"
check "nucleus from the raw files: 18 atoms appended (header, ids), 9 Pb + 9 Se, net charge 0, .ncid NC 0 role gap; each in rock-salt registry (opposite species 3.06 A away along x in NC 1 or NC 2)" $P - "$OUT" <<'EOF2'
import sys
import numpy as np
d = sys.argv[1]
def read(p):
    hdr, X, T, Q, M, on = None, {}, {}, {}, {}, False
    for l in open(p):
        t = l.split()
        if len(t) == 2 and t[1] == "atoms" and hdr is None: hdr = int(t[0])
        if l.startswith("Atoms"): on = True; continue
        if on and l[:1].isalpha(): break
        if on and len(t) >= 7:
            i = int(t[0]); M[i] = int(t[1]); T[i] = int(t[2]); Q[i] = float(t[3]); X[i] = np.array([float(v) for v in t[4:7]])
    return hdr, X, T, Q, M
h0, X0, *_ = read(d + "/pair.data")
h, X, T, Q, M = read(d + "/nucleus.data")
assert h == h0 + 18 == len(X) and sorted(X) == list(range(1, h + 1)), (h0, h, len(X))
new = list(range(h0 + 1, h + 1))
assert all(np.allclose(X[i], X0[i]) for i in X0), "the pair's atoms must be unchanged"
npb = sum(1 for i in new if Q[i] > 0); nse = sum(1 for i in new if Q[i] < 0)
assert npb == 9 and nse == 9, (npb, nse)
assert abs(sum(Q.values())) < 1e-6, sum(Q.values())
assert len({M[i] for i in new}) == 1 and M[new[0]] not in (1, 2)
nc = {}
for l in open(d + "/nucleus.ncid"):
    t = l.split()
    if t and not t[0].startswith("#"): nc[int(t[0])] = (int(t[1]), t[2])
assert len(nc) == h and all(nc[i] == (0, "gap") for i in new)
core = [i for i in X0 if nc[i][1] == "core"]
C = np.array([X[i] for i in core]); qc = np.array([Q[i] for i in core])
for i in new:
    dd = np.linalg.norm(C - X[i], axis=1)
    j = np.argmin(dd)
    assert abs(dd[j] - 3.06) < 1e-3 and qc[j] * Q[i] < 0, (i, dd[j])
    assert abs(abs(C[j, 0] - X[i][0]) - 3.06) < 1e-3, "the nearest NC atom must be along the pair axis"
xs = sorted({round(X[i][0], 3) for i in new})
assert len(xs) == 2 and abs(xs[1] - xs[0] - 3.06) < 1e-3, xs
print("nucleus planes at x =", xs)
EOF2
check "analyze at the as-built frame: the 3x3x2 nucleus (side 9.18 A +- 0.05, width 10.36 A, length 2.00 layers, 9 bridges, gap 9.18 A)" $P - "$OUT" <<'EOF2'
import json, sys
s = json.load(open(sys.argv[1] + "/summary.json"))
print({k: v for k, v in s.items() if k.startswith("built")})
assert abs(s["built_neck_side_A"] - 9.18) < 0.05
assert abs(s["built_neck_width_A"] - 10.358) < 0.05
assert abs(s["built_neck_len_layers"] - 2.0) < 0.05
assert s["built_bridges"] == 9
assert abs(s["built_gap_A"] - 9.18) < 0.05
EOF2
check "after minimisation and 40 steps at 600 K: a neck (bridges > 0 in every frame), 1.5-2.5 layers, side 6-13 A, NC interiors crystalline (RMS after a rigid fit < 0.8 A); numbers finite" $P - "$OUT" <<'EOF2'
import csv, json, math, sys
s = json.load(open(sys.argv[1] + "/summary.json"))
r = list(csv.DictReader(open(sys.argv[1] + "/results.csv")))
assert len(r) == s["frames"] == 3
for x in r:
    assert int(x["bridges"]) > 0
    assert 1.5 < float(x["neck_len_layers"]) < 2.5, x
    assert 6 < float(x["neck_side_A"]) < 13, x
    assert all(math.isfinite(float(v)) for v in x.values())
assert s["interior_crystalline"] and s["nc1_rms_interior_final_A"] < 0.8 and math.isfinite(s["width_growth_A_per_ps"])
print(s["frame0_neck_side_A"], s["final_neck_side_A"], s["final_neck_len_layers"])
EOF2
check "neck width in results.csv = 2 sqrt(neck_area / pi) from analyze's raw area column (1e-3 A)" $P - "$OUT" <<'EOF2'
import csv, math, sys
a = list(csv.DictReader(l for l in open(sys.argv[1] + "/ana.csv") if not l.startswith("#")))
r = list(csv.DictReader(open(sys.argv[1] + "/results.csv")))
for x, y in zip(a, r):
    A = float(x["neck_area_1_2_A2"])
    assert abs(2 * math.sqrt(A / math.pi) - float(y["neck_width_A"])) < 1e-3, (A, y["neck_width_A"])
    assert abs(math.sqrt(A) - float(y["neck_side_A"])) < 1e-3
EOF2
# insert_nucleus.py must refuse a pair whose lattices are not in registry
(cd "$WORK" && "$NECKMD" build --pair --gap 9.18 --misalign 10 --layers 6 --strip all -o mis >/dev/null 2>&1)
check "insert_nucleus.py refuses a misaligned pair (exit 1, 'not on NC 1's lattice')" sh -c "cd '$WORK' && ! $P '$top_srcdir/inputs/neck_widening/insert_nucleus.py' mis.data mis.ncid x.data x.ncid 2>e.txt && grep -q \"not on NC 1's lattice\" e.txt && test ! -e x.data"
(cd "$WORK" && "$NECKMD" build --pair --gap 10 --layers 6 --strip all -o g10 >/dev/null 2>&1)
check "insert_nucleus.py refuses a gap that is not a whole number of a/2 (exit 1)" sh -c "cd '$WORK' && ! $P '$top_srcdir/inputs/neck_widening/insert_nucleus.py' g10.data g10.ncid x.data x.ncid 2>e.txt && cat e.txt && test ! -e x.data"
finish
