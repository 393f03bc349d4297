#!/usr/bin/python3
"""pmf_vacuum.py - analysis of pmf_vacuum.sh (study 3 of issue 7, the vacuum PMF versus {100} coverage).

Usage: /usr/bin/python3 pmf_vacuum.py OUTDIR

Reads OUTDIR/params_vacuum.json and, per system directory SYS (c0, c0.5, c1, c2, strip): the build
(pC.build.json, pC.data, pC.ncid), the umbrella windows wNN.csv, analysis/pmf.py's pmf.csv and
pmf.out, and neckmd analyze's traj.analyze.csv / built.analyze.csv. Writes
  OUTDIR/summary_vacuum.json  per system: composition, {100} oleates per NC and on the facing
                              facets, per-window statistics, PMF minimum / barrier (pmf.py's MBAR
                              parabola vertices with bootstrap errors), PMF at G = 9.18 A, checks
  OUTDIR/pmf_vacuum.csv       long form: system,series,gap_A,value,err (series pmf_mbar, pmf_wham,
                              pmf_mbar_linked, window_mean_force, pmf_ui, lig_atoms_gap, misalign_deg,
                              rot_max_deg; rev_* the same for the separation sweep of --reverse)
  OUTDIR/pmf_vacuum.png       PMF vs G per system; ligand atoms between the facing planes; misalignment

Gap: G = d - (N - 1) a / 2 with d the core-core centre-of-mass distance (the restraint's), N = 6,
a = 6.12 A; the paper's 0.6 nm surface-to-surface gap is G = 9.18 A (gap_edge = G - d200).
PMF convention: the plain PMF of the 3-D distance d, -kT ln p(d), zero at the farthest window
(G = 15 A); the -2 kT ln d volume term it contains changes by 2 kT ln(30.3/20.7) = 0.45 kcal/mol
over the whole range (stated in the summary, `jacobian_span_kcal_mol`).
Cross-check: umbrella integration (mean restraint force of window k, K (d0_k - <d>_k) = dPMF/dd, integrated over the
window means by the trapezoid rule; errors: 5 block means per window, propagated).
"""
import csv
import json
import math
import os
import re
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from analyse import block_err, read_csv  # noqa: E402  (the study's CSV reader and block error)

A = 6.12
D200 = 3.06
GAP_PAPER = 9.18
KB = 0.0019872067


def read_data(path):
    """Box lengths, masses by type, type names (Masses comments), atoms: id -> (mol, type, xyz unwrapped)."""
    lines = open(path).read().split("\n")
    box = {}
    for l in lines[:40]:
        t = l.split()
        if len(t) >= 4 and t[2].endswith("lo") and t[3].endswith("hi"):
            box[t[2][0]] = float(t[1]) - float(t[0])
    L = np.array([box["x"], box["y"], box["z"]])
    j = [k for k, l in enumerate(lines) if l.startswith("Masses")][0] + 2
    mass, tname = {}, {}
    while lines[j].strip():
        t = lines[j].split()
        mass[int(t[0])] = float(t[1])
        tname[int(t[0])] = t[3] if len(t) > 3 else t[0]
        j += 1
    i = [k for k, l in enumerate(lines) if l.startswith("Atoms")][0] + 2
    atoms = {}
    while i < len(lines) and lines[i].strip():
        t = lines[i].split()
        x = np.array([float(v) for v in t[4:7]])
        if len(t) >= 10:
            x = x + np.array([int(v) for v in t[7:10]]) * L
        atoms[int(t[0])] = (int(t[1]), int(t[2]), x)
        i += 1
    return L, mass, tname, atoms


def facing_oleates(sysdir, half):
    """Oleates per NC by facet, from the built geometry: the carboxyl C of each oleate, its
    nearest Pb of the same NC (the binding site), and the direction Pb -> C relative to the NC's
    lattice frame (the builder's NCs are axis-aligned): along one <100> axis (|cos| > 0.9 with
    the largest component) = a {100} oleate on that facet; otherwise {111}. Facing facets: +u
    on NC 1 and -u on NC 2, u the unit vector from core 1 to core 2."""
    L, mass, tname, atoms = read_data(os.path.join(sysdir, "pC.data"))
    nc = {}
    for l in open(os.path.join(sysdir, "pC.ncid")):
        t = l.split()
        if t and t[0].isdigit():
            nc[int(t[0])] = (int(t[1]), t[2] if len(t) > 2 else "")
    pbt = [k for k, v in tname.items() if v == "Pb"]
    ct = [k for k, v in tname.items() if v == "OL_C"]
    core = {1: [], 2: []}
    pb = {1: [], 2: []}
    for aid, (mol, typ, x) in atoms.items():
        k, role = nc.get(aid, (0, ""))
        if role == "core" and k in core:
            core[k].append(x)
            if typ in pbt:
                pb[k].append(x)
    cen = {k: 0.5 * (np.min(np.array(v), axis=0) + np.max(np.array(v), axis=0)) for k, v in core.items()}
    u = cen[2] - cen[1]
    u -= L * np.round(u / L)
    u /= np.linalg.norm(u)
    res = {k: {"oleate_100": 0, "oleate_111": 0, "oleate_100_facing": 0} for k in (1, 2)}
    for aid, (mol, typ, x) in atoms.items():
        if typ not in ct:
            continue
        k = nc.get(aid, (0, ""))[0]
        if k not in pb:
            continue
        P = np.array(pb[k])
        dv = x - P
        dv -= L * np.round(dv / L)
        j = int(np.argmin(np.linalg.norm(dv, axis=1)))
        v = dv[j] / np.linalg.norm(dv[j])
        ax = int(np.argmax(np.abs(v)))
        if abs(v[ax]) > 0.9:
            res[k]["oleate_100"] += 1
            n = np.zeros(3)
            n[ax] = np.sign(v[ax])
            if float(np.dot(n, u if k == 1 else -u)) > 0.9:
                res[k]["oleate_100_facing"] += 1
        else:
            res[k]["oleate_111"] += 1
    return res


def parse_pmf_out(path, half):
    """pmf.py's MBAR minima and barriers (locations converted to G) and its warnings."""
    out = {"minima": [], "barriers": [], "warnings": [], "overlap_smallest_pct": None}
    if not os.path.exists(path):
        return out
    num = r"([-+0-9.eE]+|nan)"
    for l in open(path):
        l = l.rstrip("\n")
        if l.startswith("WARNING"):
            out["warnings"].append(l)
        m = re.search(r"smallest ([0-9.]+) %", l)
        if m:
            out["overlap_smallest_pct"] = float(m.group(1))
        m = re.match(r"MBAR: minimum at d = %s(?: \+- %s)? A: %s(?: \+- %s)? kcal/mol( \(global\))?" % (num, num, num, num), l)
        if m:
            f = [float(v) if v is not None else float("nan") for v in m.groups()[:4]]
            out["minima"].append({"G_A": f[0] - half, "G_err_A": f[1], "pmf_kcal_mol": f[2], "err_kcal_mol": f[3],
                                  "global": bool(m.group(5))})
        m = re.match(r"MBAR: barrier at d = %s(?: \+- %s)? A: %s(?: \+- %s)? kcal/mol; %s(?: \+- %s)? above the minimum at %s A, %s(?: \+- %s)? above the minimum at %s A"
                     % (num, num, num, num, num, num, num, num, num, num), l)
        if m:
            f = [float(v) if v is not None else float("nan") for v in m.groups()]
            out["barriers"].append({"G_A": f[0] - half, "G_err_A": f[1], "pmf_kcal_mol": f[2], "err_kcal_mol": f[3],
                                    "height_over_inner_min_kcal_mol": f[4], "height_over_inner_min_err": f[5],
                                    "inner_min_G_A": f[6] - half,
                                    "height_over_outer_min_kcal_mol": f[7], "height_over_outer_min_err": f[8],
                                    "outer_min_G_A": f[9] - half})
        if l.startswith("MBAR: minima and barriers not given") or l.startswith("MBAR: too few"):
            out["warnings"].append(l)
    return out


def linked_pmf(sd, par, half, sfx, pat):
    """When pmf.py finds the windows cut in two unlinked sets (no window samples both sides of a
    bin: a jump, e.g. a collapse of the pair past a window), rerun it on the windows beyond the cut
    (the side holding the zero at G = 15 A), repeatedly, as pmf%s_linked.csv/.out/.png; returns
    the cut gaps and the windows kept, or None when nothing was cut."""
    pmfpy = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "analysis", "pmf.py")
    files = sorted(f for f in os.listdir(sd) if re.fullmatch(pat, f))
    dmin = {}
    for fn in files:
        w = read_csv(os.path.join(sd, fn))
        t = w["time_fs"]
        dk = w["distance_A"][t >= t[0] + 1000.0 * par["skip_ps"]]
        if len(dk) >= 10:          # pmf.py's minimum (a window still running is left out)
            dmin[fn] = float(dk.min())
    files = [f for f in files if f in dmin]
    outp = os.path.join(sd, "pmf%s.out" % sfx)
    cuts = []
    keep = files
    for _ in range(len(files)):
        if not os.path.exists(outp):
            return None
        m = re.search(r"no window has samples on both sides of d = ([-+0-9.eE]+) A", open(outp).read())
        if not m:
            break
        cut = float(m.group(1))
        cuts.append(cut - half)
        keep = [f for f in keep if dmin[f] > cut]
        if len(keep) < 2:        # nothing left to link: no WHAM/MBAR profile (use the mean-force one)
            for ext in (".csv", ".out", ".png"):
                q = os.path.join(sd, "pmf%s_linked%s" % (sfx, ext))
                if os.path.exists(q):
                    os.remove(q)
            break
        base = os.path.join(sd, "pmf%s_linked" % sfx)
        far = max(float(g) for g in par["windows_gap_A"].split()) + half
        cmd = [sys.executable, pmfpy, "--temp", str(par["temp_K"]), "--skip-ps", str(par["skip_ps"]), "--bin-width", "0.2",
               "--zero-at", "%.4f" % far, "--bootstrap", "50", "--blocks", "5", "-o", base + ".csv", "--plot", base + ".png"] + keep
        with open(base + ".out", "w") as fh:
            subprocess.run(cmd, cwd=sd, stdout=fh, stderr=subprocess.STDOUT)
        outp = base + ".out"
    if not cuts:
        return None
    return {"cut_G_A": cuts, "windows_kept": keep, "windows_dropped": [f for f in files if f not in keep]}


def windows_part(s, sd, name, par, rows, half, kt, pat, sfx, tag, anal):
    """Windows of one sweep (approach: pat w.., sfx '', tag ''; separation: r.., '_rev', 'rev_')."""
    files = sorted(f for f in os.listdir(sd) if re.fullmatch(pat, f))
    wins = []
    for fn in files:
        p = os.path.join(sd, fn)
        kk = float(re.search(r"K ([0-9.eE+-]+) kcal", open(p).readline()).group(1))
        w = read_csv(p)
        t = w["time_fs"]
        keep = t >= t[0] + 1000.0 * par["skip_ps"]
        d = w["distance_A"][keep]
        if len(d) < 10:            # a window still running
            continue
        d0 = float(w["target_A"][0])
        f = kk * (d0 - d)
        wins.append({"file": fn, "target_G_A": d0 - half, "target_d_A": d0, "samples": int(keep.sum()),
                     "mean_G_A": float(d.mean() - half), "sd_A": float(d.std()), "thermal_sd_A": math.sqrt(kt / kk),
                     "mean_force_kcal_mol_A": float(f.mean()), "mean_force_err": block_err(f),
                     "drift_A": float(np.mean(d[len(d) // 2:]) - np.mean(d[:len(d) // 2])) if len(d) > 1 else float("nan")})
        rows.append((name, tag + "window_mean_force", wins[-1]["mean_G_A"], wins[-1]["mean_force_kcal_mol_A"], wins[-1]["mean_force_err"]))
    s["windows" + sfx] = wins
    # umbrella integration (mean force), zero at the farthest window; dPMF/dd = +<F> (F = K (d0 - d))
    if len(wins) >= 2:
        ws = sorted(wins, key=lambda w: -w["mean_G_A"])
        g = [ws[0]["mean_G_A"]]
        v, e2 = [0.0], [0.0]
        for a, c in zip(ws[:-1], ws[1:]):
            dg = c["mean_G_A"] - a["mean_G_A"]
            # dPMF/dd = +<K (d0 - d)> (the mean restraint force balances the mean physical force -dPMF/dd)
            v.append(v[-1] + 0.5 * (a["mean_force_kcal_mol_A"] + c["mean_force_kcal_mol_A"]) * dg)
            ea, ec = a["mean_force_err"], c["mean_force_err"]
            e2.append(e2[-1] + (0.5 * dg) ** 2 * ((ea if np.isfinite(ea) else 0) ** 2 + (ec if np.isfinite(ec) else 0) ** 2))
            g.append(c["mean_G_A"])
        s["pmf_ui" + sfx] = [[gg, vv, math.sqrt(ee)] for gg, vv, ee in zip(g, v, e2)]
        for gg, vv, ee in s["pmf_ui" + sfx]:
            rows.append((name, tag + "pmf_ui", gg, vv, ee))
    # pmf.py
    pp = os.path.join(sd, "pmf%s.csv" % sfx)
    if os.path.exists(pp):
        p = read_csv(pp)
        G = p["d_A"] - half
        for i in range(len(G)):
            rows.append((name, tag + "pmf_mbar", G[i], p["pmf_mbar_kcal_mol"][i], p["err_mbar_kcal_mol"][i]))
            rows.append((name, tag + "pmf_wham", G[i], p["pmf_wham_kcal_mol"][i], p["err_wham_kcal_mol"][i]))
        m = p["pmf_mbar_kcal_mol"]
        ok = np.isfinite(m)
        s["pmf_bins" + sfx] = int(len(G))
        s["pmf_finite" + sfx] = bool(ok.all())
        if ok.any():
            i = int(np.nanargmin(np.where(ok, m, np.nan)))
            s["pmf_lowest_bin" + sfx] = {"G_A": float(G[i]), "pmf_kcal_mol": float(m[i]), "err_kcal_mol": float(p["err_mbar_kcal_mol"][i])}
            j = int(np.argmin(np.abs(G - GAP_PAPER)))
            s["pmf_at_9p18" + sfx] = {"G_A": float(G[j]), "pmf_kcal_mol": float(m[j]), "err_kcal_mol": float(p["err_mbar_kcal_mol"][j])}
            s["pmf_range_G_A" + sfx] = [float(G[ok].min()), float(G[ok].max())]
            s["pmf_at_closest_kcal_mol" + sfx] = [float(m[ok][0]), float(p["err_mbar_kcal_mol"][ok][0])]
        s["jacobian_span_kcal_mol" + sfx] = 2 * kt * math.log((G.max() + half) / (G.min() + half)) if len(G) else None
    s["pmf_py" + sfx] = parse_pmf_out(os.path.join(sd, "pmf%s.out" % sfx), half)
    lk = linked_pmf(sd, par, half, sfx, pat)
    s["pmf_cut" + sfx] = lk
    if lk and os.path.exists(os.path.join(sd, "pmf%s_linked.csv" % sfx)):
        s["pmf_py_linked" + sfx] = parse_pmf_out(os.path.join(sd, "pmf%s_linked.out" % sfx), half)
        p = read_csv(os.path.join(sd, "pmf%s_linked.csv" % sfx))
        G = p["d_A"] - half
        for i in range(len(G)):
            rows.append((name, tag + "pmf_mbar_linked", G[i], p["pmf_mbar_kcal_mol"][i], p["err_mbar_kcal_mol"][i]))
        m, e = p["pmf_mbar_kcal_mol"], p["err_mbar_kcal_mol"]
        ok = np.isfinite(m)
        if ok.any():
            i = int(np.nanargmin(np.where(ok, m, np.nan)))
            j = int(np.argmin(np.abs(G - GAP_PAPER)))
            s["pmf_linked_lowest_bin" + sfx] = {"G_A": float(G[i]), "pmf_kcal_mol": float(m[i]), "err_kcal_mol": float(e[i])}
            s["pmf_linked_at_9p18" + sfx] = {"G_A": float(G[j]), "pmf_kcal_mol": float(m[j]), "err_kcal_mol": float(e[j])}
            s["pmf_linked_range_G_A" + sfx] = [float(G[ok].min()), float(G[ok].max())]
    # neckmd analyze on the trajectory: per window
    ap = os.path.join(sd, anal)
    if os.path.exists(ap):
        a = read_csv(ap)
        wps = (par["neq_steps"] + par["nprod_steps"]) * par["timestep_fs"] / 1000.0
        t = a["time_ps"]
        widx = np.floor((t - 1e-6) / wps).astype(int)   # a frame at the end of window k belongs to k
        fr = []
        for k in range(len(wins)):
            sel = (widx == k) & (t > k * wps + par["skip_ps"] - 1e-6)
            if not sel.any():
                continue
            rot = np.maximum(a["nc1_rot_deg"][sel], a["nc2_rot_deg"][sel])
            r = {"window": k, "frames": int(sel.sum()), "gap_analyze_A": float(np.nanmean(a["gap_1_2_A"][sel])),
                 "gap_formula_A": float(np.nanmean(a["dist_1_2_A"][sel] - half)),
                 "misalign_deg": float(np.nanmean(a["misalign_1_2_deg"][sel])),
                 "rot_max_deg": float(np.nanmax(rot)),
                 "lig_atoms_gap": float(np.nanmean(a["lig_atoms_1_2"][sel])),
                 "lig_mols_gap": float(np.nanmean(a["lig_mols_1_2"][sel])),
                 "lig_angle_deg": float(np.nanmean(a["lig_angle_1_2_deg"][sel])) if np.isfinite(a["lig_angle_1_2_deg"][sel]).any() else None,
                 "bridges": float(np.nanmax(a["bridges_1_2"][sel]))}
            fr.append(r)
            rows.append((name, tag + "lig_atoms_gap", r["gap_formula_A"], r["lig_atoms_gap"], ""))
            rows.append((name, tag + "misalign_deg", r["gap_formula_A"], r["misalign_deg"], ""))
            rows.append((name, tag + "rot_max_deg", r["gap_formula_A"], r["rot_max_deg"], ""))
        s["per_window_analyze" + sfx] = fr
        dd = a["dist_1_2_A"] - half - a["gap_1_2_A"]
        s["gap_formula_minus_analyze_A" + sfx] = [float(np.nanmean(dd)), float(np.nanstd(dd)), float(np.nanmax(np.abs(dd)))]
        s["misalign_max_deg" + sfx] = float(np.nanmax(a["misalign_1_2_deg"]))
        s["rot_max_deg" + sfx] = float(np.nanmax(np.maximum(a["nc1_rot_deg"], a["nc2_rot_deg"])))
        s["bridges_max" + sfx] = float(np.nanmax(a["bridges_1_2"]))


def system(out, name, par, rows):
    sd = os.path.join(out, name)
    half = par["half_A"]
    temp = par["temp_K"]
    kt = KB * temp
    b = json.load(open(os.path.join(sd, "pC.build.json")))
    s = {"atoms": b["atoms"], "command": b["command"],
         "ncs": [{k: n[k] for k in ("Pb", "Se", "oleate", "oleate_100", "oleate_111", "coverage_100", "coverage_111",
                                     "area_100_nm2")} for n in b["ncs"]]}
    fo = facing_oleates(sd, half)
    s["oleate_100_per_nc_geometry"] = [fo[1]["oleate_100"], fo[2]["oleate_100"]]
    s["oleate_100_on_facing_facets"] = [fo[1]["oleate_100_facing"], fo[2]["oleate_100_facing"]]
    s["facet_classification_matches_build"] = all(fo[k]["oleate_100"] == b["ncs"][k - 1]["oleate_100"] for k in (1, 2))
    windows_part(s, sd, name, par, rows, half, kt, r"w\d\d\.csv", "", "", "traj.analyze.csv")
    if os.path.exists(os.path.join(sd, "r00.csv")):
        windows_part(s, sd, name, par, rows, half, kt, r"r\d\d\.csv", "_rev", "rev_", "rev.analyze.csv")
        # hysteresis: approach minus separation at the same window target
        fw = {round(w["target_G_A"], 3): w for w in s["windows"]}
        hy = []
        for w in s["windows_rev"]:
            f = fw.get(round(w["target_G_A"], 3))
            if f:
                hy.append({"target_G_A": w["target_G_A"], "mean_G_fwd_minus_rev_A": f["mean_G_A"] - w["mean_G_A"],
                           "force_fwd_minus_rev": f["mean_force_kcal_mol_A"] - w["mean_force_kcal_mol_A"]})
        s["hysteresis"] = sorted(hy, key=lambda h: -h["target_G_A"])
        if hy:
            s["hysteresis_rms_force_kcal_mol_A"] = float(np.sqrt(np.mean([h["force_fwd_minus_rev"] ** 2 for h in hy])))
            s["hysteresis_rms_G_A"] = float(np.sqrt(np.mean([h["mean_G_fwd_minus_rev_A"] ** 2 for h in hy])))
    bp = os.path.join(sd, "built.analyze.csv")
    if os.path.exists(bp):
        bb = read_csv(bp)
        s["built_gap_analyze_A"] = float(bb["gap_1_2_A"][0])
        s["built_gap_formula_A"] = float(bb["dist_1_2_A"][0] - half)
        s["built_lig_atoms_gap"] = float(bb["lig_atoms_1_2"][0])
        s["built_lig_mols_gap"] = float(bb["lig_mols_1_2"][0])
    wt = os.path.join(sd, "wall_s.txt")
    if os.path.exists(wt):
        s["wall_s"] = float(open(wt).read())
    return s


def order(n):
    return (1, 0.0) if n == "strip" else (0, float(n[1:]))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    par = json.load(open(os.path.join(out, "params_vacuum.json")))
    names = sorted((n for n in os.listdir(out) if (re.fullmatch(r"c[0-9.]+", n) or n == "strip")
                    and os.path.exists(os.path.join(out, n, "w00.csv"))), key=order)
    rows = []
    summ = {"params": par, "gap_convention": "G = d_core_core - (N-1) a/2 (facing {100} planes); 0.6 nm surface-to-surface = G 9.18 A",
            "pmf_convention": "plain PMF of the 3-D core-core distance, -kT ln p(d) (no Jacobian), MBAR (analysis/pmf.py), zero at the farthest window",
            "systems": {}}
    for n in names:
        summ["systems"][n] = system(out, n, par, rows)
    with open(os.path.join(out, "pmf_vacuum.csv"), "w") as fh:
        fh.write("system,series,gap_A,value,err\n")
        for r in rows:
            fh.write("%s,%s,%.4f,%.6g,%s\n" % (r[0], r[1], r[2], r[3], ("%.4g" % r[4]) if r[4] != "" else ""))
    with open(os.path.join(out, "summary_vacuum.json"), "w") as fh:
        json.dump(summ, fh, indent=1, default=lambda o: None if isinstance(o, float) and not math.isfinite(o) else o)
    for n, s in summ["systems"].items():
        pp = s.get("pmf_py_linked", s["pmf_py"])
        print("%-6s atoms %5d  {100} oleate/NC %s facing %s  lowest bin %s  at 9.18: %s  minima %s barriers %s  misalign max %s rot max %s"
              % (n, s["atoms"], s["oleate_100_per_nc_geometry"], s["oleate_100_on_facing_facets"],
                 s.get("pmf_linked_lowest_bin", s.get("pmf_lowest_bin")), s.get("pmf_linked_at_9p18", s.get("pmf_at_9p18")),
                 [(round(m["G_A"], 2), round(m["pmf_kcal_mol"], 2)) for m in pp["minima"]],
                 [(round(m["G_A"], 2), round(m["pmf_kcal_mol"], 2), round(m["height_over_outer_min_kcal_mol"], 2)) for m in pp["barriers"]],
                 s.get("misalign_max_deg"), s.get("rot_max_deg")))
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    fig, ax = plt.subplots(3, 1, figsize=(6.5, 9), sharex=True)
    for ci, n in enumerate(names):
        col = "C%d" % ci
        lab = "bare (--strip all)" if n == "strip" else "{100} %s nm$^{-2}$" % n[1:]
        st = summ["systems"][n]
        ser = "pmf_mbar_linked" if any(r[0] == n and r[1] == "pmf_mbar_linked" for r in rows) else "pmf_mbar"
        g = [r for r in rows if r[0] == n and r[1] == ser and np.isfinite(r[3])]
        # no WHAM/MBAR line when pmf.py found the windows unlinked and no linked set was left
        if g and not (st.get("pmf_cut") and ser == "pmf_mbar"):
            x = np.array([r[2] for r in g]); y = np.array([r[3] for r in g])
            e = np.array([r[4] if r[4] != "" and np.isfinite(r[4]) else 0 for r in g])
            ax[0].plot(x, y, "-", color=col, label=lab)
            ax[0].fill_between(x, y - e, y + e, color=col, alpha=0.25)
            lab0 = None
        else:
            lab0 = lab + " (mean force only)"
        u = [r for r in rows if r[0] == n and r[1] == "pmf_ui"]
        ax[0].plot([r[2] for r in u], [r[3] for r in u], "o:" if lab0 else "o", ms=3, color=col, label=lab0)
        for k, ser in ((1, "lig_atoms_gap"), (2, "misalign_deg")):
            q = [r for r in rows if r[0] == n and r[1] == ser]
            ax[k].plot([r[2] for r in q], [r[3] for r in q], "o-", ms=3, color=col, label=lab)
    for a_ in ax:
        a_.axvline(GAP_PAPER, color="k", ls=":", lw=1)
    ax[0].set_ylabel("PMF (kcal/mol)\nline: MBAR, dots: mean force")
    ax[0].legend(fontsize=7)
    ax[0].set_title("two 6-layer PbSe NCs in vacuum, {111} oleate 3 nm$^{-2}$; dotted: 0.6 nm", fontsize=9)
    ax[1].set_ylabel("ligand atoms between\nthe facing planes")
    ax[2].set_ylabel("misalignment (deg)")
    ax[2].set_xlabel("G = d - (N-1)a/2 (A), window means")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "pmf_vacuum.png"), dpi=72)


if __name__ == "__main__":
    main()
