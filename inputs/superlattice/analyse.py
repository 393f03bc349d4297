#!/usr/bin/python3
"""analyse.py - study 6 (superlattice): superlattice angles versus time from `neckmd analyze`.
The first frame of ANA.csv is after the minimisation; BUILT.csv (optional) is the as-built frame.

usage: analyse.py ANA.csv [--built-csv BUILT.csv] [--wall S] [--natoms N] [--size S] [-o DIR]

ANA.csv: `neckmd analyze` of a monolayer run; its `angle_k_i_l_deg` columns are the angles at NC i
between the centre-centre vectors to its first-frame neighbours k and l (those below 150 deg at the
first frame: 60 and 120 in a hexagonal layer). The angles are split by their first-frame value into
the ~60 and ~120 families; per frame the mean of each family and the mean |angle - 90| (90 = square)
are written to DIR/results.csv; DIR/summary.json has the first- and last-frame values and the
largest deviation of any first-frame angle from 60/120; DIR/superlattice.png plots every angle.
"""
import argparse
import csv
import json
import math
import os

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--built-csv", default="", help="neckmd analyze of the as-built frame")
    ap.add_argument("--wall", type=float, default=float("nan"))
    ap.add_argument("--natoms", type=int, default=0)
    ap.add_argument("--size", default="")
    ap.add_argument("-o", default=".")
    a = ap.parse_args()
    rows = list(csv.DictReader(l for l in open(a.csv) if not l.startswith("#")))
    if not rows:
        raise SystemExit("analyse.py: no frames in " + a.csv)
    t = np.array([float(r["time_ps"]) for r in rows])
    t = t - t[0]
    names = [k for k in rows[0] if k.startswith("angle_")]
    if not names:
        raise SystemExit("analyse.py: no angle_ columns in " + a.csv)
    A = np.array([[float(r[k]) for k in names] for r in rows])  # frames x angles
    first = A[0]
    fam60 = first < 90.0
    fam120 = ~fam60
    dev0 = np.where(fam60, np.abs(first - 60.0), np.abs(first - 120.0))
    m60 = A[:, fam60].mean(1) if fam60.any() else np.full(len(t), np.nan)
    m120 = A[:, fam120].mean(1) if fam120.any() else np.full(len(t), np.nan)
    sq = np.abs(A - 90.0).mean(1)
    # centre-centre distances of the first-frame neighbours (dist_a_b_A columns)
    dn = [k for k in rows[0] if k.startswith("dist_")]
    D = np.array([[float(r[k]) for k in dn] for r in rows]) if dn else np.zeros((len(t), 0))
    bdev = float("nan")
    if a.built_csv:
        b = list(csv.DictReader(l for l in open(a.built_csv) if not l.startswith("#")))[0]
        B = np.array([float(b[k]) for k in names])
        bdev = float(np.where(fam60, np.abs(B - 60.0), np.abs(B - 120.0)).max())
    os.makedirs(a.o, exist_ok=True)
    with open(os.path.join(a.o, "results.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["time_ps", "mean_angle60_deg", "mean_angle120_deg", "mean_abs_angle_minus_90_deg",
                    "min_angle_deg", "max_angle_deg", "mean_nn_dist_A"] + names)
        for i in range(len(t)):
            w.writerow([f"{t[i]:.4f}", f"{m60[i]:.4f}", f"{m120[i]:.4f}", f"{sq[i]:.4f}", f"{A[i].min():.4f}",
                        f"{A[i].max():.4f}", f"{D[i].mean():.4f}" if D.shape[1] else "nan"]
                       + [f"{v:.4f}" for v in A[i]])
    s = {"study": "superlattice", "size": a.size, "natoms": a.natoms, "frames": len(t),
         "duration_ps": float(t[-1]), "wall_s": a.wall, "n_angles": len(names),
         "n_angles_60": int(fam60.sum()), "n_angles_120": int(fam120.sum()),
         "asbuilt_max_dev_from_60_120_deg": bdev,
         "frame0_mean_angle60_deg": float(m60[0]), "frame0_mean_angle120_deg": float(m120[0]),
         "frame0_max_dev_from_60_120_deg": float(dev0.max()),
         "final_mean_angle60_deg": float(m60[-1]), "final_mean_angle120_deg": float(m120[-1]),
         "frame0_mean_abs_minus_90_deg": float(sq[0]), "final_mean_abs_minus_90_deg": float(sq[-1]),
         "max_change_any_angle_deg": float(np.abs(A - A[0]).max()),
         "n_neighbour_pairs": len(dn),
         "frame0_mean_nn_dist_A": float(D[0].mean()) if D.shape[1] else float("nan"),
         "final_mean_nn_dist_A": float(D[-1].mean()) if D.shape[1] else float("nan")}
    with open(os.path.join(a.o, "summary.json"), "w") as f:
        json.dump(s, f, indent=1)
        f.write("\n")

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for j in range(len(names)):
        ax.plot(t, A[:, j], color="b" if fam60[j] else "r", lw=0.6, alpha=0.6)
    ax.plot(t, m60, "b-", lw=2, label="mean of the ~60 deg angles")
    ax.plot(t, m120, "r-", lw=2, label="mean of the ~120 deg angles")
    for y in (60, 90, 120):
        ax.axhline(y, color="0.6", ls=":", lw=0.8)
    ax.set_xlabel("time (ps)")
    ax.set_ylabel("superlattice angle (deg)")
    ax.legend(fontsize=8)
    ax.set_title(f"superlattice angles ({a.size}, {a.natoms} atoms, {len(names)} angles)", fontsize=10)
    fig.tight_layout()
    fig.savefig(os.path.join(a.o, "superlattice.png"), dpi=90)
    print(json.dumps(s, indent=1))


if __name__ == "__main__":
    main()
