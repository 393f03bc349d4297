#!/usr/bin/python3
"""analyse.py - study 4 (alignment): misalignment, dipoles and gap versus time from `neckmd analyze`.

usage: analyse.py ANA.csv [--built DEG] [--built-csv BUILT.csv] [--wall S] [--natoms N] [--size S] [-o DIR]

Reads the CSV of `neckmd analyze` (columns misalign_1_2_deg, ncK_p_D, gap_1_2_A, ...) and writes
DIR/results.csv (the per-frame curves), DIR/summary.json (the headline numbers) and DIR/alignment.png.
The rotation rate is the least-squares slope of the misalignment angle versus time (deg/ps) with its
standard error, also corrected for the correlation of successive frames; negative = turning towards
alignment (0 deg); `towards_alignment` = negative by more than twice the corrected error.
"""
import argparse
import csv
import json
import math
import os

import numpy as np


def slope(t, y):
    """Least-squares slope of y(t), intercept, standard error, and the standard error corrected for
    the correlation of successive frames (n_eff = n (1 - r1) / (1 + r1), r1 the lag-1
    autocorrelation of the residuals; nan if fewer than 3 points)."""
    t, y = np.asarray(t, float), np.asarray(y, float)
    ok = np.isfinite(t) & np.isfinite(y)
    t, y = t[ok], y[ok]
    if len(t) < 3:
        return float("nan"), float("nan"), float("nan"), float("nan")
    A = np.vstack([t, np.ones_like(t)]).T
    coef, res, *_ = np.linalg.lstsq(A, y, rcond=None)
    r = y - A @ coef
    s2 = float(r @ r) / (len(t) - 2)
    se = math.sqrt(s2 / float(((t - t.mean()) ** 2).sum()))
    r1 = float(r[1:] @ r[:-1]) / float(r @ r) if float(r @ r) > 0 else 0.0
    r1 = min(max(r1, 0.0), 0.99)
    se_c = se * math.sqrt((1 + r1) / (1 - r1))
    return float(coef[0]), float(coef[1]), se, se_c


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--built", type=float, default=float("nan"), help="misalignment built (deg)")
    ap.add_argument("--built-csv", default="", help="neckmd analyze of the as-built frame")
    ap.add_argument("--wall", type=float, default=float("nan"), help="wall time of the run (s)")
    ap.add_argument("--natoms", type=int, default=0)
    ap.add_argument("--size", default="")
    ap.add_argument("-o", default=".")
    a = ap.parse_args()
    rows = list(csv.DictReader(l for l in open(a.csv) if not l.startswith("#")))
    if not rows:
        raise SystemExit("analyse.py: no frames in " + a.csv)
    col = lambda k: np.array([float(r[k]) for r in rows])
    t = col("time_ps")
    t = t - t[0]
    mis = col("misalign_1_2_deg")
    p1, p2 = col("nc1_p_D"), col("nc2_p_D")
    gap = col("gap_1_2_A")
    dist = col("dist_1_2_A")
    rot1, rot2 = col("nc1_rot_deg"), col("nc2_rot_deg")
    # angle between the two dipole vectors (deg) and the dipole-dipole energy
    P1 = np.stack([col("nc1_px_eA"), col("nc1_py_eA"), col("nc1_pz_eA")], 1)
    P2 = np.stack([col("nc2_px_eA"), col("nc2_py_eA"), col("nc2_pz_eA")], 1)
    R = np.stack([col("nc2_x_A") - col("nc1_x_A"), col("nc2_y_A") - col("nc1_y_A"),
                  col("nc2_z_A") - col("nc1_z_A")], 1)
    cosang = (P1 * P2).sum(1) / np.maximum(1e-12, np.linalg.norm(P1, axis=1) * np.linalg.norm(P2, axis=1))
    pang = np.degrees(np.arccos(np.clip(cosang, -1, 1)))
    # point-dipole energy U = k_e [p1.p2 - 3 (p1.n)(p2.n)] / r^3 (vacuum, no screening), kcal/mol
    KE = 332.06371  # kcal/mol A / e^2
    r = np.linalg.norm(R, axis=1)
    n = R / r[:, None]
    udd = KE * ((P1 * P2).sum(1) - 3 * (P1 * n).sum(1) * (P2 * n).sum(1)) / r ** 3

    asb = float("nan")
    if a.built_csv:
        b = list(csv.DictReader(l for l in open(a.built_csv) if not l.startswith("#")))
        asb = float(b[0]["misalign_1_2_deg"])
    os.makedirs(a.o, exist_ok=True)
    with open(os.path.join(a.o, "results.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["time_ps", "misalign_deg", "nc1_rot_deg", "nc2_rot_deg", "nc1_p_D", "nc2_p_D",
                    "dipole_angle_deg", "u_dipdip_vac_kcal_mol", "gap_A", "dist_A"])
        for i in range(len(t)):
            w.writerow([f"{t[i]:.4f}", f"{mis[i]:.4f}", f"{rot1[i]:.4f}", f"{rot2[i]:.4f}", f"{p1[i]:.3f}",
                        f"{p2[i]:.3f}", f"{pang[i]:.3f}", f"{udd[i]:.4f}", f"{gap[i]:.4f}", f"{dist[i]:.4f}"])
    rate, icpt, rate_se, rate_se_c = slope(t, mis)
    half = t >= t[-1] / 2 if t[-1] > 0 else np.ones_like(t, bool)
    summ = {
        "study": "alignment", "size": a.size, "natoms": a.natoms, "frames": len(t),
        "duration_ps": float(t[-1]), "wall_s": a.wall,
        "misalign_built_deg": a.built, "misalign_asbuilt_measured_deg": asb,
        "misalign_frame0_deg": float(mis[0]),
        "misalign_final_deg": float(mis[-1]),
        "misalign_mean_second_half_deg": float(np.nanmean(mis[half])),
        "misalign_min_deg": float(np.nanmin(mis)), "misalign_max_deg": float(np.nanmax(mis)),
        "rotation_rate_deg_per_ps": rate, "rotation_rate_se_deg_per_ps": rate_se,
        "rotation_rate_se_corrected_deg_per_ps": rate_se_c,
        "misalign_change_deg": float(mis[-1] - mis[0]),
        "towards_alignment": bool(rate < 0 and abs(rate) > 2 * rate_se_c) if math.isfinite(rate) else None,
        "nc1_rot_final_deg": float(rot1[-1]), "nc2_rot_final_deg": float(rot2[-1]),
        "nc1_p_D_mean": float(np.nanmean(p1)), "nc2_p_D_mean": float(np.nanmean(p2)),
        "nc1_p_D_frame0": float(p1[0]), "nc2_p_D_frame0": float(p2[0]),
        "u_dipdip_vac_kcal_mol_mean": float(np.nanmean(udd)),
        "gap_frame0_A": float(gap[0]), "gap_final_A": float(gap[-1]),
        "gap_mean_second_half_A": float(np.nanmean(gap[half])),
    }
    with open(os.path.join(a.o, "summary.json"), "w") as f:
        json.dump(summ, f, indent=1)
        f.write("\n")

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(3, 1, figsize=(6.4, 7.2), sharex=True)
    ax[0].plot(t, mis, "k-", lw=1.2, label="misalignment")
    if math.isfinite(rate):
        ax[0].plot(t, icpt + rate * t, "r--", lw=0.8, label=f"fit {rate:+.2f} +- {rate_se_c:.2f} deg/ps")
    if math.isfinite(a.built):
        ax[0].axhline(a.built, color="0.6", ls=":", lw=0.8, label=f"built {a.built:g} deg")
    ax[0].set_ylabel("misalignment (deg)")
    ax[0].legend(fontsize=8)
    ax[1].plot(t, p1, label="NC 1")
    ax[1].plot(t, p2, label="NC 2")
    ax[1].set_ylabel("dipole |p| (D)")
    ax[1].legend(fontsize=8)
    ax[2].plot(t, gap, "b-")
    ax[2].set_ylabel("gap (A)")
    ax[2].set_xlabel("time (ps)")
    fig.suptitle(f"alignment ({a.size}, {a.natoms} atoms)", fontsize=10)
    fig.tight_layout()
    fig.savefig(os.path.join(a.o, "alignment.png"), dpi=90)
    print(json.dumps(summ, indent=1))


if __name__ == "__main__":
    main()
