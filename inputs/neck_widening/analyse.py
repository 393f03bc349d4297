#!/usr/bin/python3
"""analyse.py - study 5 (neck widening): neck width and length versus time from `neckmd analyze`.

usage: analyse.py ANA.csv [--built BUILT.csv] [--traj RUN.nc --ncid X.ncid] [--temp T] [--wall S]
                  [--natoms N] [--size S] [-o DIR]

ANA.csv: `neckmd analyze` of the run (columns neck_width_1_2_A, neck_side_1_2_A, neck_len_1_2_layers,
bridges_1_2, neck_atoms_1_2, filaments_1_2, gap_1_2_A); BUILT.csv: the same of the as-built frame.
Writes DIR/results.csv, DIR/summary.json and DIR/neck_widening.png. The width growth rate is the
least-squares slope of neck_width versus time (A/ps) with its standard error.

Crystallinity (with --traj and --ncid): per NC and frame, the core atoms (NC id 1 or 2 in the .ncid,
role core) are fitted rigidly (Kabsch) onto the first frame; reported are the RMS displacement after
the fit and the fraction of atoms displaced by more than a/4 = 1.53 A (half a Pb-Se bond: an atom
that left its site), and the RMS of the interior atoms (within half the largest radius from the
centre at the first frame). A crystal keeps an interior RMS of a few tenths of an A (0.8 A is the
threshold used for `interior_crystalline`) while its surface atoms may hop; a molten NC diffuses
throughout (interior RMS growing past 1 A, most atoms hopped).
"""
import argparse
import csv
import json
import math
import os

import numpy as np


def slope(t, y):
    t, y = np.asarray(t, float), np.asarray(y, float)
    ok = np.isfinite(t) & np.isfinite(y)
    t, y = t[ok], y[ok]
    if len(t) < 3 or np.ptp(t) == 0:
        return float("nan"), float("nan")
    A = np.vstack([t, np.ones_like(t)]).T
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    r = y - A @ coef
    se = math.sqrt(float(r @ r) / (len(t) - 2) / float(((t - t.mean()) ** 2).sum()))
    return float(coef[0]), se


def kabsch_rms(P, Q):
    """RMS and per-atom distances after the best rigid fit of P onto Q (both n x 3)."""
    Pc, Qc = P - P.mean(0), Q - Q.mean(0)
    H = Pc.T @ Qc
    U, S, Vt = np.linalg.svd(H)
    d = np.sign(np.linalg.det(Vt.T @ U.T))
    D = np.diag([1.0, 1.0, d])
    R = Vt.T @ D @ U.T
    diff = (R @ Pc.T).T - Qc
    dist = np.linalg.norm(diff, axis=1)
    return float(math.sqrt((dist ** 2).mean())), dist


def crystallinity(traj, ncid, a=6.12):
    import netCDF4
    ids = {}
    for l in open(ncid):
        t = l.split()
        if not t or t[0].startswith("#"):
            continue
        if len(t) >= 3 and t[2] == "core":
            ids.setdefault(int(t[1]), []).append(int(t[0]) - 1)
    ds = netCDF4.Dataset(traj)
    X = np.asarray(ds.variables["coordinates"][:], float)
    L = np.asarray(ds.variables["cell_lengths"][:], float)
    ds.close()
    out = {}
    for k in (1, 2):
        sel = np.array(ids[k])
        ref = X[0, sel].copy()
        # whole NC: about its circular-mean centre (the NC may be cut by the periodic boundary)
        ang = 2 * np.pi * ref / L[0]
        cen = L[0] * np.arctan2(np.sin(ang).mean(0), np.cos(ang).mean(0)) / (2 * np.pi)
        ref -= L[0] * np.rint((ref - cen) / L[0])
        rc = np.linalg.norm(ref - ref.mean(0), axis=1)
        inner = rc < 0.5 * rc.max()  # the core's interior: within half the largest radius
        rms, hop, rin = [], [], []
        prev = ref
        for f in range(X.shape[0]):
            x = X[f, sel] - L[f] * np.rint((X[f, sel] - prev) / L[f])
            prev = x
            r, dist = kabsch_rms(x, ref)
            rms.append(r)
            hop.append(float((dist > a / 4).mean()))
            rin.append(float(math.sqrt((dist[inner] ** 2).mean())))
        out[k] = (np.array(rms), np.array(hop), np.array(rin))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--built", default="")
    ap.add_argument("--traj", default="")
    ap.add_argument("--ncid", default="")
    ap.add_argument("--temp", type=float, default=float("nan"))
    ap.add_argument("--wall", type=float, default=float("nan"))
    ap.add_argument("--natoms", type=int, default=0)
    ap.add_argument("--size", default="")
    ap.add_argument("-o", default=".")
    a = ap.parse_args()
    rd = lambda p: list(csv.DictReader(l for l in open(p) if not l.startswith("#")))
    rows = rd(a.csv)
    if not rows:
        raise SystemExit("analyse.py: no frames in " + a.csv)
    col = lambda k, rr=rows: np.array([float(r[k]) for r in rr])
    t = col("time_ps")
    t = t - t[0]
    width, side = col("neck_width_1_2_A"), col("neck_side_1_2_A")
    length, bridges = col("neck_len_1_2_layers"), col("bridges_1_2")
    natoms_neck, fil = col("neck_atoms_1_2"), col("filaments_1_2")
    gap = col("gap_1_2_A")
    cr = crystallinity(a.traj, a.ncid) if a.traj and a.ncid else None

    os.makedirs(a.o, exist_ok=True)
    hdr = ["time_ps", "neck_width_A", "neck_side_A", "neck_len_layers", "bridges", "neck_atoms", "filaments", "gap_A"]
    if cr:
        hdr += ["nc1_rms_A", "nc2_rms_A", "nc1_hopped_frac", "nc2_hopped_frac", "nc1_rms_interior_A", "nc2_rms_interior_A"]
    with open(os.path.join(a.o, "results.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(hdr)
        for i in range(len(t)):
            r = [f"{t[i]:.4f}", f"{width[i]:.4f}", f"{side[i]:.4f}", f"{length[i]:.4f}", int(bridges[i]),
                 int(natoms_neck[i]), int(fil[i]), f"{gap[i]:.4f}"]
            if cr:
                r += [f"{cr[1][0][i]:.4f}", f"{cr[2][0][i]:.4f}", f"{cr[1][1][i]:.4f}", f"{cr[2][1][i]:.4f}",
                      f"{cr[1][2][i]:.4f}", f"{cr[2][2][i]:.4f}"]
            w.writerow(r)
    rate, se = slope(t, width)
    half = t >= t[-1] / 2 if t[-1] > 0 else np.ones_like(t, bool)
    s = {"study": "neck_widening", "size": a.size, "natoms": a.natoms, "temp_K": a.temp, "frames": len(t),
         "duration_ps": float(t[-1]), "wall_s": a.wall}
    if a.built:
        b = rd(a.built)[0]
        s.update({"built_neck_side_A": float(b["neck_side_1_2_A"]), "built_neck_width_A": float(b["neck_width_1_2_A"]),
                  "built_neck_len_layers": float(b["neck_len_1_2_layers"]), "built_bridges": int(float(b["bridges_1_2"])),
                  "built_gap_A": float(b["gap_1_2_A"])})
    s.update({
        "frame0_neck_width_A": float(width[0]), "frame0_neck_side_A": float(side[0]),
        "frame0_neck_len_layers": float(length[0]), "frame0_bridges": int(bridges[0]),
        "final_neck_width_A": float(width[-1]), "final_neck_side_A": float(side[-1]),
        "final_neck_len_layers": float(length[-1]), "final_bridges": int(bridges[-1]),
        "mean_neck_width_second_half_A": float(np.nanmean(width[half])),
        "mean_neck_len_second_half_layers": float(np.nanmean(length[half])),
        "min_neck_len_layers": float(np.nanmin(length)), "max_neck_len_layers": float(np.nanmax(length)),
        "width_growth_A_per_ps": rate, "width_growth_se_A_per_ps": se,
        "filament_events": int(fil[-1]), "frames_without_bridges": int((bridges == 0).sum()),
    })
    if cr:
        s.update({"nc1_rms_final_A": float(cr[1][0][-1]), "nc2_rms_final_A": float(cr[2][0][-1]),
                  "nc1_hopped_final": float(cr[1][1][-1]), "nc2_hopped_final": float(cr[2][1][-1]),
                  "nc1_rms_interior_final_A": float(cr[1][2][-1]), "nc2_rms_interior_final_A": float(cr[2][2][-1]),
                  "interior_crystalline": bool(max(cr[1][2][-1], cr[2][2][-1]) < 0.8)})
    with open(os.path.join(a.o, "summary.json"), "w") as f:
        json.dump(s, f, indent=1)
        f.write("\n")

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    n = 3 if cr else 2
    fig, ax = plt.subplots(n, 1, figsize=(6.4, 2.4 * n + 0.6), sharex=True)
    ax[0].plot(t, width, "k-", lw=1.2, label="width (circle)")
    ax[0].plot(t, side, "b-", lw=1.0, label="side (square)")
    ax[0].axhline(9.18, color="0.6", ls=":", lw=0.8, label="3x3 nucleus side 9.18 A")
    if math.isfinite(rate):
        ax[0].plot(t, width[0] + rate * t, "r--", lw=0.8, label=f"fit {rate:+.3f} A/ps")
    ax[0].set_ylabel("neck (A)")
    ax[0].legend(fontsize=7)
    ax[1].plot(t, length, "k-", label="length ({200} layers)")
    ax[1].axhline(2, color="0.6", ls=":", lw=0.8)
    ax1b = ax[1].twinx()
    ax1b.plot(t, bridges, "g-", lw=0.8)
    ax1b.set_ylabel("bridges", color="g")
    ax[1].set_ylabel("length (layers)")
    if cr:
        ax[2].plot(t, cr[1][0], label="NC 1 RMS after fit, all")
        ax[2].plot(t, cr[2][0], label="NC 2 RMS after fit, all")
        ax[2].plot(t, cr[1][2], "--", label="NC 1 interior")
        ax[2].plot(t, cr[2][2], "--", label="NC 2 interior")
        ax[2].set_ylabel("RMS displacement (A)")
        ax[2].legend(fontsize=7)
    ax[-1].set_xlabel("time (ps)")
    fig.suptitle(f"neck widening ({a.size}, {a.natoms} atoms, {a.temp:g} K)", fontsize=10)
    fig.tight_layout()
    fig.savefig(os.path.join(a.o, "neck_widening.png"), dpi=90)
    print(json.dumps(s, indent=1))


if __name__ == "__main__":
    main()
