#!/usr/bin/python3
"""analyse.py - analysis of study 3 of issue 7 (approach and arrest, EG vs EDA).

Usage: /usr/bin/python3 analyse.py OUTDIR

Reads what run.sh left in OUTDIR (params.json; per case CASE/steer.csv, CASE/steer.analyze.csv,
CASE/win*.csv, CASE/pmf.csv, CASE/pmf.out, CASE/sys.build.json, CASE/wall_s.txt) and writes
  OUTDIR/results.csv   long form: case,series,gap_A,value,err,unit (one row per point)
  OUTDIR/summary.json  headline numbers per case, and the checks
  OUTDIR/approach.png  force and work vs gap (steered), PMF vs gap (umbrella), ligands in the gap

Gap: the facing-plane gap G = d_centre - (N - 1) a / 2 (N layers, a = 6.12 A) of the core centres
of mass (aligned NCs); the paper's surface-to-surface 0.6 nm (gap_edge = G - d200) is G = 9.18 A.
PMF three ways: WHAM and MBAR from analysis/pmf.py (pmf.csv), and umbrella integration (Kastner &
Thiel, J. Chem. Phys. 123, 144104 (2005), mean-force form): the mean restraint force of window k,
<F>_k = K (d0_k - <d>_k), is dPMF/dd at <d>_k; integrated by the trapezoid rule over the window
means, with block-averaged errors (5 blocks) propagated as a random walk.
"""
import csv
import json
import math
import os
import re
import sys

import numpy as np

D200 = 3.06
GAP_PAPER = 9.18   # facing-plane gap of the paper's 0.6 nm surface-to-surface arrest gap


def read_csv(path):
    """Rows of a CSV whose comment lines start with '#', as a dict of float arrays."""
    with open(path) as fh:
        lines = [l for l in fh if not l.startswith("#")]
    rows = list(csv.reader(lines))
    hdr, body = rows[0], [r for r in rows[1:] if r]
    out = {}
    for j, h in enumerate(hdr):
        col = []
        for r in body:
            try:
                col.append(float(r[j]))
            except (ValueError, IndexError):
                col.append(float("nan"))
        out[h] = np.array(col)
    return out


def header_k(path):
    with open(path) as fh:
        m = re.search(r"K ([0-9.eE+-]+) kcal", fh.readline())
    return float(m.group(1))


def block_err(x, nb=5):
    x = np.asarray(x)
    if len(x) < 2 * nb:
        return float("nan")
    m = np.array([b.mean() for b in np.array_split(x, nb)])
    return float(m.std(ddof=1) / math.sqrt(nb))


def steer_analysis(cdir, half, rows, case):
    s = read_csv(os.path.join(cdir, "steer.csv"))
    tgap = s["target_A"] - half
    dgap = s["distance_A"] - half
    f = s["force_kcal_mol_A"]
    w = s["work_kcal_mol"]
    # work recomputed: trapezoid integral of the force along d (on NC 2) times the target step
    wt = np.concatenate([[0.0], np.cumsum(0.5 * (f[1:] + f[:-1]) * np.diff(s["target_A"]))])
    wt += w[0]
    werr = float(np.max(np.abs(wt - w)))
    wscale = float(max(1.0, np.max(np.abs(w))))
    for i in range(len(tgap)):
        rows.append((case, "steer_force", dgap[i], f[i], "", "kcal/mol/A (d = actual gap)"))
    for i in range(len(tgap)):
        rows.append((case, "steer_work", tgap[i], w[i], "", "kcal/mol (target gap)"))
    out = {"pull_rows": int(len(tgap)), "gap_start_A": float(dgap[0]), "gap_end_A": float(dgap[-1]),
           "target_end_A": float(tgap[-1]),
           "work_total_kcal_mol": float(w[-1]), "work_trapezoid_kcal_mol": float(wt[-1]),
           "work_check_max_abs_diff_kcal_mol": werr, "work_check_rel": werr / wscale,
           "lag_end_A": float(dgap[-1] - tgap[-1])}
    # drag: over the last 40 % of the pull, relative speed of the cores (fit of d(t)) and the
    # mean spring force; each NC feels F and moves at v_rel/2, so gamma = 2 |F| / |v_rel| per NC.
    t = s["time_fs"]
    sel = t >= t[0] + 0.6 * (t[-1] - t[0])
    if sel.sum() >= 5:
        slope = float(np.polyfit(t[sel], s["distance_A"][sel], 1)[0])   # A/fs
        fm = float(np.mean(f[sel]))
        out["late_rel_speed_m_s"] = -slope * 1e5
        out["late_mean_force_kcal_mol_A"] = fm
        if abs(slope) > 0:
            gamma = 2.0 * abs(fm) * 6.9477e-11 / (abs(slope) * 1e5)   # kg/s per NC
            out["drag_gamma_kg_s"] = gamma
    # force and work near the paper's gap (actual gap within 0.5 A of 9.18)
    sel = np.abs(dgap - GAP_PAPER) < 0.5
    if sel.any():
        out["steer_force_at_9p2_kcal_mol_A"] = float(np.mean(f[sel]))
    sel = np.abs(tgap - GAP_PAPER) < 0.05
    if sel.any():
        out["work_at_target_9p2_kcal_mol"] = float(np.mean(w[sel]))
    return out, s


def analyze_frames(cdir, half, rows, case, s):
    out = {}
    b = os.path.join(cdir, "built.analyze.csv")
    if os.path.exists(b):   # the system as built, before minimisation
        bb = read_csv(b)
        out["built_gap_analyze_A"] = float(bb["gap_1_2_A"][0])
        out["built_gap_formula_A"] = float(bb["dist_1_2_A"][0] - half)
        out["built_lig_atoms_gap"] = float(bb["lig_atoms_1_2"][0])
        out["built_lig_mols_gap"] = float(bb["lig_mols_1_2"][0])
    path = os.path.join(cdir, "steer.analyze.csv")
    a = read_csv(path)
    if "gap_1_2_A" not in a:
        return out
    g = a["gap_1_2_A"]
    d = a["dist_1_2_A"]
    out["frame0_gap_analyze_A"] = float(g[0])
    out["frame0_gap_formula_A"] = float(d[0] - half)
    out["frame0_gap_diff_A"] = float(g[0] - (d[0] - half))
    out["gap_formula_max_abs_diff_A"] = float(np.nanmax(np.abs(g - (d - half))))
    # offset of the formula gap to the measured one over the pull (surface relaxation, Pb-rich COM)
    out["gap_formula_minus_analyze_mean_A"] = float(np.nanmean((d - half) - g))
    out["gap_formula_minus_analyze_sd_A"] = float(np.nanstd((d - half) - g))
    lig = a.get("lig_atoms_1_2")
    mols = a.get("lig_mols_1_2")
    for i in range(len(g)):
        rows.append((case, "analyze_gap", d[i] - half, g[i], "", "A (analyze gap vs formula gap)"))
        if lig is not None:
            rows.append((case, "lig_atoms_gap", g[i], lig[i], "", "ligand atoms between the facing planes"))
    if lig is not None:
        out["lig_atoms_gap_first"] = float(lig[0])
        out["lig_atoms_gap_max"] = float(np.nanmax(lig))
        sel = np.abs(g - GAP_PAPER) < 0.75
        if sel.any():
            out["lig_atoms_gap_near_9p2"] = float(np.nanmean(lig[sel]))
            out["lig_mols_gap_near_9p2"] = float(np.nanmean(mols[sel])) if mols is not None else None
        out["gap_min_analyze_A"] = float(np.nanmin(g))
    return out


def windows(cdir, half, rows, case, skip_ps):
    files = sorted(f for f in os.listdir(cdir) if re.fullmatch(r"win\d\d\.csv", f))
    res = []
    for fn in files:
        p = os.path.join(cdir, fn)
        k = header_k(p)
        w = read_csv(p)
        keep = w["time_fs"] - w["time_fs"][0] >= skip_ps * 1000.0
        d = w["distance_A"][keep]
        f = w["force_kcal_mol_A"][keep]
        d0 = float(w["target_A"][0])
        res.append({"file": fn, "k": k, "gap0_A": d0 - half, "mean_gap_A": float(d.mean() - half),
                    "sd_A": float(d.std()), "sd_expected_A": math.sqrt(0.0019872067 * 300 / k),
                    "mean_force": float(f.mean()), "mean_force_err": block_err(f),
                    "drift_A": float(d[-len(d) // 5:].mean() - d[:len(d) // 5].mean()) if len(d) >= 5 else float("nan"),
                    "start_gap_A": float(w["distance_A"][0] - half), "samples": int(len(d))})
        an = os.path.join(cdir, fn[:-4] + ".analyze.csv")
        if os.path.exists(an):   # the window's first and last frames: measured gap, ligands in the gap
            aa = read_csv(an)
            res[-1].update({"analyze_gap_A": [float(v) for v in aa["gap_1_2_A"]],
                            "lig_atoms_gap": [float(v) for v in aa["lig_atoms_1_2"]],
                            "lig_mols_gap": [float(v) for v in aa["lig_mols_1_2"]],
                            "lig_angle_deg": [float(v) for v in aa["lig_angle_1_2_deg"]]})
            for g_, l_ in zip(aa["gap_1_2_A"], aa["lig_atoms_1_2"]):
                rows.append((case, "lig_atoms_gap_window", g_, l_, "", "ligand atoms between the facing planes"))
    res.sort(key=lambda r: r["mean_gap_A"])
    for r in res:
        rows.append((case, "window_mean_force", r["mean_gap_A"], r["mean_force"], r["mean_force_err"], "kcal/mol/A"))
    # umbrella integration: PMF(x) = int <F> dx (F = dPMF/dd), zero at the farthest window
    ti = []
    if len(res) >= 2:
        x = np.array([r["mean_gap_A"] for r in res])
        fm = np.array([r["mean_force"] for r in res])
        fe = np.array([r["mean_force_err"] for r in res])
        fe = np.where(np.isfinite(fe), fe, 0.0)
        # integrate from the far end inwards
        pmf = np.zeros(len(x))
        var = np.zeros(len(x))
        for i in range(len(x) - 2, -1, -1):
            dx = x[i + 1] - x[i]
            pmf[i] = pmf[i + 1] - 0.5 * (fm[i] + fm[i + 1]) * dx
            var[i] = var[i + 1] + (0.5 * dx) ** 2 * (fe[i] ** 2 + fe[i + 1] ** 2)
        for i in range(len(x)):
            ti.append((float(x[i]), float(pmf[i]), float(math.sqrt(var[i]))))
            rows.append((case, "pmf_ti", x[i], pmf[i], math.sqrt(var[i]), "kcal/mol (zero at the farthest window)"))
    return res, ti


def pmf_file(cdir, half, rows, case):
    p = os.path.join(cdir, "pmf.csv")
    if not os.path.exists(p):
        return None
    a = read_csv(p)
    g = a["d_A"] - half
    out = {"gap_A": g}
    for m in ("wham", "mbar"):
        y, e = a.get("pmf_%s_kcal_mol" % m), a.get("err_%s_kcal_mol" % m)
        if y is None:
            continue
        out[m] = (y, e)
        for i in range(len(g)):
            if np.isfinite(y[i]):
                rows.append((case, "pmf_" + m, g[i], y[i], e[i], "kcal/mol (zero at the farthest window)"))
    out["samples"] = a["samples"]
    txt = open(os.path.join(cdir, "pmf.out")).read() if os.path.exists(os.path.join(cdir, "pmf.out")) else ""
    out["warnings"] = [l.strip() for l in txt.splitlines() if "warn" in l.lower() or "overlap" in l.lower()]
    return out


def pmf_features(g, y, e):
    """Minimum and barrier between 6.5 and 12 A of a PMF (finite bins only)."""
    ok = np.isfinite(y)
    g, y, e = g[ok], y[ok], e[ok] if e is not None else np.zeros(ok.sum())
    if len(g) < 3:
        return {}
    i = int(np.argmin(y))
    res = {"min_gap_A": float(g[i]), "min_kcal_mol": float(y[i]), "min_err": float(e[i]),
           "range_gap_A": [float(g.min()), float(g.max())]}
    j = int(np.argmin(np.abs(g - GAP_PAPER)))
    if abs(g[j] - GAP_PAPER) < 0.3:
        res["at_9p2_kcal_mol"] = float(y[j]); res["at_9p2_err"] = float(e[j])
    # local extrema of the PMF smoothed over 5 bins (0.5 A)
    ys = np.convolve(y, np.ones(5) / 5, mode="same") if len(y) >= 7 else y
    ext = []
    for k in range(3, len(ys) - 3):
        if ys[k] < ys[k - 3] and ys[k] < ys[k + 3] and ys[k] <= ys[k - 1] and ys[k] <= ys[k + 1]:
            ext.append(("min", float(g[k]), float(y[k]), float(e[k])))
        if ys[k] > ys[k - 3] and ys[k] > ys[k + 3] and ys[k] >= ys[k - 1] and ys[k] >= ys[k + 1]:
            ext.append(("max", float(g[k]), float(y[k]), float(e[k])))
    res["local_extrema"] = ext
    return res


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    par = json.load(open(os.path.join(out, "params.json")))
    half = par["half_A"]
    cases = [c.split(":")[0] for c in par["cases"].split()]
    cases = [c for c in cases if os.path.exists(os.path.join(out, c, "steer.csv"))]
    rows, summ, plotdata = [], {"params": par, "gap_paper_A": GAP_PAPER, "cases": {}}, {}
    for c in cases:
        cdir = os.path.join(out, c)
        cs = {}
        bj = json.load(open(os.path.join(cdir, "sys.build.json")))
        cs["atoms"] = bj["atoms"]
        cs["box_A"] = bj["box"]
        cs["solvent"] = bj.get("solvent", {}).get("name")
        cs["per_nc"] = [{k: n[k] for k in ("Pb", "Se", "oleate", "oleate_100", "oleate_111", "area_100_nm2",
                                           "coverage_100", "surface_Pb_100")} for n in bj["ncs"]]
        st, s = steer_analysis(cdir, half, rows, c)
        cs["steer"] = st
        cs["analyze"] = analyze_frames(cdir, half, rows, c, s)
        win, ti = windows(cdir, half, rows, c, par["skip_ps"])
        if win:
            cs["windows"] = win
            cs["pmf_ti"] = ti
        pm = pmf_file(cdir, half, rows, c)
        if pm is not None:
            cs["pmf_warnings"] = pm["warnings"]
            for m in ("wham", "mbar"):
                if m in pm:
                    cs["pmf_" + m] = pmf_features(pm["gap_A"], *pm[m])
        wf = os.path.join(cdir, "wall_s.txt")
        if os.path.exists(wf):
            cs["wall_s"] = float(open(wf).read())
        summ["cases"][c] = cs
        plotdata[c] = (s, win, ti, pm)
    with open(os.path.join(out, "results.csv"), "w") as fh:
        fh.write("case,series,gap_A,value,err,unit\n")
        for r in rows:
            def fmt(v):
                return ("%.6g" % v) if isinstance(v, (float, np.floating)) else str(v)
            fh.write(",".join(fmt(v) for v in r) + "\n")
    with open(os.path.join(out, "summary.json"), "w") as fh:
        json.dump(summ, fh, indent=1, default=float)
    try:
        plot(out, half, plotdata)
    except ImportError:
        pass
    for c, cs in summ["cases"].items():
        st = cs["steer"]
        print("%-10s %6d atoms  work %.2f (trapezoid %.2f) kcal/mol  frame-0 gap analyze %.3f formula %.3f A"
              % (c, cs["atoms"], st["work_total_kcal_mol"], st["work_trapezoid_kcal_mol"],
                 cs["analyze"].get("frame0_gap_analyze_A", float("nan")), cs["analyze"].get("frame0_gap_formula_A", float("nan"))))


def plot(out, half, data):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(2, 2, figsize=(11, 8))
    for c, (s, win, ti, pm) in data.items():
        g = s["distance_A"] - half
        ax[0, 0].plot(g, s["force_kcal_mol_A"], lw=0.8, label=c)
        ax[0, 1].plot(s["target_A"] - half, s["work_kcal_mol"], lw=1.0, label=c)
        if pm is not None and "wham" in pm:
            y, e = pm["wham"]
            ok = np.isfinite(y)
            bad = any("poor overlap" in w or "not linked" in w for w in pm["warnings"])
            l = ax[1, 0].plot(pm["gap_A"][ok], y[ok], lw=0.8,
                              label=c + " WHAM" + (" (windows do not overlap: not a PMF)" if bad else ""))[0]
            ax[1, 0].fill_between(pm["gap_A"][ok], (y - e)[ok], (y + e)[ok], color=l.get_color(), alpha=0.2)
        if ti:
            x, y, e = zip(*ti)
            ax[1, 0].errorbar(x, y, yerr=e, fmt="o--", ms=3, label=c + " mean-force TI")
        a = os.path.join(out, c, "steer.analyze.csv")
        if os.path.exists(a):
            d = read_csv(a)
            if "lig_atoms_1_2" in d:
                l = ax[1, 1].plot(d["gap_1_2_A"], d["lig_atoms_1_2"], ".-", ms=3, lw=0.6, label=c + " pull")[0]
                wx = [g for w in win for g in w.get("analyze_gap_A", [])]
                wy = [n for w in win for n in w.get("lig_atoms_gap", [])]
                if wx:
                    ax[1, 1].plot(wx, wy, "s", ms=4, color=l.get_color(), label=c + " windows")
    for a_ in ax.flat:
        a_.axvline(GAP_PAPER, color="grey", ls=":", lw=1)
        a_.set_xlabel("facing-plane gap G (A); paper's 0.6 nm = 9.18 A (dotted)")
        a_.legend(fontsize=7)
    ax[0, 0].set_ylabel("restraint force on NC 2 along d (kcal/mol/A)")
    ax[0, 0].set_title("steered approach: force (vs actual gap)")
    ax[0, 1].set_ylabel("work (kcal/mol)")
    ax[0, 1].set_title("steered approach: work (vs target gap)")
    ax[1, 0].set_ylabel("PMF (kcal/mol), zero at the farthest window")
    ax[1, 0].set_title("umbrella windows: PMF")
    ax[1, 1].set_ylabel("ligand atoms between the facing planes")
    ax[1, 1].set_title("neckmd analyze: ligands in the gap")
    for a_ in ax.flat:
        a_.invert_xaxis()
    fig.tight_layout()
    fig.savefig(os.path.join(out, "approach.png"), dpi=72)


if __name__ == "__main__":
    main()
