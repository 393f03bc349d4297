#!/bin/sh
# study_approach_eg_eda.sh - study 3 of issue 7 (inputs/approach_eg_eda): run.sh --tiny end to end
# (two 4-layer stripped NCs in EG and in EDA: build, minimise, steered pull, 2 umbrella windows,
# analysis/pmf.py, neckmd analyze, analyse.py) and recompute from the raw files: the restraint
# work = trapezoid integral of force x target step; the facing-plane gap of the built pair = the
# --gap asked, and d_centre - (N-1) a/2 within 0.5 A of it; the PMF parses and is finite. Then
# pmf_vacuum.sh --tiny (vacuum umbrella PMF, 2 windows): window targets = G + (N-1) a/2, PMF finite.
. "$top_srcdir/tests/regress/common.sh"
S=$top_srcdir/inputs/approach_eg_eda
OUT=$WORK/out
check "run.sh --tiny runs end to end" sh -c "cd $WORK && NECKMD=$NECKMD PYTHON=$PYTHON sh $S/run.sh --tiny -o $OUT >$WORK/run.log 2>&1 || { cat $WORK/run.log; exit 1; }"
check "run.sh refuses a non-empty OUTDIR without --force" sh -c "! NECKMD=$NECKMD sh $S/run.sh --tiny -o $OUT >/dev/null 2>&1"
check "outputs exist: results.csv summary.json approach.png, pmf.csv per case" sh -c "cd $OUT && ls results.csv summary.json approach.png eg_strip/pmf.csv eda_strip/pmf.csv eg_strip/steer.csv eda_strip/win01.csv"
cat >"$WORK/chk.py" <<'PYEOF'
import csv, json, math, sys
out = sys.argv[1]
par = json.load(open(out + "/params.json"))
half = (par["layers"] - 1) * 6.12 / 2
summ = json.load(open(out + "/summary.json"))
what = sys.argv[2]
def rows(p):
    r = list(csv.reader(l for l in open(p) if not l.startswith("#")))
    return r[0], [x for x in r[1:] if x]
for case in ("eg_strip", "eda_strip"):
    d = out + "/" + case
    if what == "work":
        h, b = rows(d + "/steer.csv")
        t, f, w = h.index("target_A"), h.index("force_kcal_mol_A"), h.index("work_kcal_mol")
        assert len(b) > 10, len(b)
        W = float(b[0][w])
        worst = 0.0
        for i in range(1, len(b)):
            W += 0.5 * (float(b[i][f]) + float(b[i - 1][f])) * (float(b[i][t]) - float(b[i - 1][t]))
            worst = max(worst, abs(W - float(b[i][w])))
        wend = float(b[-1][w])
        print(case, "work", wend, "trapezoid", W, "worst", worst)
        assert abs(wend) > 1.0, "the pull did no work"
        assert worst < 0.01 * abs(wend) + 0.01, (worst, wend)
        # the steered target moved at the rate asked
        dt = float(b[-1][1]) - float(b[0][1])
        assert abs((float(b[-1][t]) - float(b[0][t])) / dt - par["v_A_fs"]) < 1e-9
    elif what == "gap":
        h, b = rows(d + "/built.analyze.csv")
        g, dist = float(b[0][h.index("gap_1_2_A")]), float(b[0][h.index("dist_1_2_A")])
        print(case, "built gap (analyze)", g, "asked", par["g0_A"], "d_centre - (N-1)a/2", dist - half)
        assert abs(g - par["g0_A"]) < 0.01, (g, par["g0_A"])
        assert abs((dist - half) - g) < 0.5, (dist - half, g)
        h, b = rows(d + "/steer.analyze.csv")
        g, dist = float(b[0][h.index("gap_1_2_A")]), float(b[0][h.index("dist_1_2_A")])
        print(case, "steer frame 0 gap", g, "formula", dist - half)
        assert abs((dist - half) - g) < 0.75, (dist - half, g)
    elif what == "pmf":
        h, b = rows(d + "/pmf.csv")
        assert h[:5] == ["d_A", "pmf_wham_kcal_mol", "err_wham_kcal_mol", "pmf_mbar_kcal_mol", "err_mbar_kcal_mol"], h
        vals = [float(x) for r in b for x in r[:5] if x not in ("", "nan")]
        assert vals and all(math.isfinite(v) for v in vals), b
        n = sum(int(r[5]) for r in b)
        nwin = sum(1 for r in b) and len(par["windows_gap_A"].split())
        print(case, "pmf bins", len(b), "samples", n)
        assert n > 0
        cs = summ["cases"][case]
        assert len(cs["windows"]) == nwin, cs["windows"]
        for wi in cs["windows"]:
            assert all(math.isfinite(wi[k]) for k in ("mean_gap_A", "mean_force", "sd_A")), wi
        assert all(math.isfinite(x) for p in cs["pmf_ti"] for x in p), cs["pmf_ti"]
    elif what == "results":
        h, b = rows(out + "/results.csv")
        assert h == ["case", "series", "gap_A", "value", "err", "unit"], h
        series = {(r[0], r[1]) for r in b}
        for s in ("steer_force", "steer_work", "pmf_wham", "pmf_mbar", "pmf_ti", "window_mean_force", "analyze_gap"):
            assert (case, s) in series, (case, s)
        for r in b:
            assert math.isfinite(float(r[2])) and math.isfinite(float(r[3])), r
        assert abs(cs_w := summ["cases"][case]["steer"]["work_total_kcal_mol"]) > 0
PYEOF
check "work in the restraint CSV = trapezoid integral of force x target displacement (1 %); target moves at V" $PYTHON "$WORK/chk.py" "$OUT" work
check "built pair: analyze gap = --gap (0.01 A), d_centre - (N-1)a/2 within 0.5 A; after minimisation within 0.75 A" $PYTHON "$WORK/chk.py" "$OUT" gap
check "pmf.csv parses, finite, has samples; windows and mean-force PMF finite in summary.json" $PYTHON "$WORK/chk.py" "$OUT" pmf
check "results.csv has every series per case, finite" $PYTHON "$WORK/chk.py" "$OUT" results
# pmf_vacuum.sh --tiny: the vacuum umbrella PMF (two windows x 100 steps, {100} 0.5 nm^-2)
VOUT=$WORK/vac
check "pmf_vacuum.sh --tiny runs end to end" sh -c "cd $WORK && NECKMD=$NECKMD PYTHON=$PYTHON sh $S/pmf_vacuum.sh --tiny -o $VOUT >$WORK/vac.log 2>&1 || { cat $WORK/vac.log; exit 1; }"
check "pmf_vacuum.sh refuses a non-empty OUTDIR without --force" sh -c "! NECKMD=$NECKMD sh $S/pmf_vacuum.sh --tiny -o $VOUT >/dev/null 2>&1"
cat >"$WORK/chkvac.py" <<'PYEOF'
import csv, glob, json, math, os, sys
out = sys.argv[1]
par = json.load(open(out + "/params_vacuum.json"))
half = (par["layers"] - 1) * 6.12 / 2          # independent of the script's HALF
gaps = [float(g) for g in par["windows_gap_A"].split()]
summ = json.load(open(out + "/summary_vacuum.json"))
(name, s), = summ["systems"].items()
d = out + "/" + name
files = sorted(glob.glob(d + "/w[0-9][0-9].csv"))
assert len(files) == len(gaps) == 2, (files, gaps)
for f, g in zip(files, gaps):
    head = open(f).readline()
    assert "K 10 kcal/mol/A^2" in head and "rate 0 A/fs" in head, head
    r = list(csv.reader(l for l in open(f) if not l.startswith("#")))
    h, b = r[0], [x for x in r[1:] if x]
    t = h.index("target_A")
    assert all(abs(float(x[t]) - (g + half)) < 1e-6 for x in b), (f, g + half, b[0][t])
    assert len(b) >= 20, len(b)
    print(os.path.basename(f), "target", b[0][t], "= G", g, "+ (N-1)a/2", half, "rows", len(b))
r = list(csv.reader(l for l in open(d + "/pmf.csv") if not l.startswith("#")))
assert r[0][:5] == ["d_A", "pmf_wham_kcal_mol", "err_wham_kcal_mol", "pmf_mbar_kcal_mol", "err_mbar_kcal_mol"], r[0]
vals = [float(x) for row in r[1:] if row for x in row[:5] if x not in ("", "nan")]
assert vals and all(math.isfinite(v) for v in vals), r
assert s["pmf_finite"], s
b = json.load(open(d + "/pC.build.json"))
assert s["oleate_100_per_nc_geometry"] == [n["oleate_100"] for n in b["ncs"]], (s["oleate_100_per_nc_geometry"], b["ncs"])
assert abs(s["built_gap_analyze_A"] - gaps[0]) < 0.01, (s["built_gap_analyze_A"], gaps[0])
assert abs(s["built_gap_formula_A"] - gaps[0]) < 0.3, (s["built_gap_formula_A"], gaps[0])
for w in s["windows"]:
    assert all(math.isfinite(w[k]) for k in ("mean_G_A", "sd_A", "mean_force_kcal_mol_A")), w
print(name, "built gap", s["built_gap_analyze_A"], "formula", s["built_gap_formula_A"], "{100} oleate per NC", s["oleate_100_per_nc_geometry"], "facing", s["oleate_100_on_facing_facets"])
PYEOF
check "pmf_vacuum: window targets = G list + (N-1)a/2; pmf.csv finite; {100} count = build; built gap = first window G" $PYTHON "$WORK/chkvac.py" "$VOUT"
finish
