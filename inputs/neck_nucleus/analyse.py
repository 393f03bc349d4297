#!/usr/bin/python3
"""analyse.py OUTDIR - neck_nucleus: Delta E(n) from a run.sh output directory.

Reads OUTDIR/params.json, the write_forces headers bulk.f and nNN.f (potential energy after
minimisation), bulk.data (atom count), and for the shape nNN.data (as built), nNN.final.data
(minimised) and nNN.ncid. Writes OUTDIR/results.csv, OUTDIR/summary.json, OUTDIR/neck_nucleus.png.

Delta E(n) = E(n) - [E(0) + n E_pair],  E_pair = E_bulk / N_pairs(bulk): the n pairs in the gap
are taken from the bulk crystal (the builder adds atoms; the bulk reference takes them away).
"""
import csv, json, math, os, sys

RC = 3.6   # A: Pb-Se contact (nearest neighbour a/2 = 3.03 A; second neighbours at 4.28 A)


def read_pe(path):
    with open(path) as f:
        for line in f:
            t = line[1:].split()
            if line.startswith("#") and len(t) == 2 and t[0] == "pe":
                return float(t[1])
    raise SystemExit("no pe line in " + path)


def read_data(path):
    atoms, sec, box, natoms = {}, None, {}, None
    with open(path) as f:
        for line in f:
            s = line.split("#")[0].strip()
            w = line.strip()
            if w.startswith("Atoms"):
                sec = "atoms"; continue
            if w in ("Velocities", "Bonds", "Masses"):
                sec = None; continue
            if not s:
                continue
            t = s.split()
            if len(t) == 2 and t[1] == "atoms":
                natoms = int(t[0])
            if len(t) == 4 and t[2] in ("xlo", "ylo", "zlo"):
                box[t[2][0]] = float(t[1]) - float(t[0])
            if sec == "atoms" and len(t) >= 6:
                if len(t) >= 7 and "." not in t[2]:       # full: id mol type q x y z
                    atoms[int(t[0])] = (int(t[2]), float(t[4]), float(t[5]), float(t[6]))
                else:                                      # charge: id type q x y z
                    atoms[int(t[0])] = (int(t[1]), float(t[3]), float(t[4]), float(t[5]))
    return atoms, box, natoms


def read_ncid(path):
    nc = {}
    for line in open(path):
        t = line.split()
        if len(t) >= 3 and t[0].isdigit():
            nc[int(t[0])] = (int(t[1]), t[2])
    return nc


def dist(a, b, box):
    d2 = 0.0
    for k, ax in ((1, "x"), (2, "y"), (3, "z")):
        d = a[k] - b[k]
        L = box[ax]
        d -= L * round(d / L)
        d2 += d * d
    return math.sqrt(d2)


def shape(out, tag, p):
    """gap atoms after minimisation: displacement, contacts with each slab, bridging atoms."""
    ini, box, _ = read_data(os.path.join(out, tag + ".data"))
    fin, _, _ = read_data(os.path.join(out, tag + ".final.data"))
    nc = read_ncid(os.path.join(out, tag + ".ncid"))
    gap = [i for i in nc if nc[i][1] == "gap"]
    if not gap:
        return dict(max_disp_A=0.0, rms_disp_A=0.0, contact_s1=0, contact_s2=0, bridging_atoms=0, in_gap=0,
                    image_sep_A=float("nan"))
    disp = [dist(ini[i], fin[i], box) for i in gap]
    s1 = [i for i in nc if nc[i][0] == 1]
    s2 = [i for i in nc if nc[i][0] == 2]
    z1top = max(fin[i][3] for i in s1) - 1.0     # top layer of slab 1 (relaxed within < 1 A)
    z2bot = min(fin[i][3] for i in s2) + 1.0
    top1 = [i for i in s1 if fin[i][3] > z1top]
    bot2 = [i for i in s2 if fin[i][3] < z2bot]
    c1 = {i for i in gap if any(dist(fin[i], fin[j], box) < RC for j in top1)}
    c2 = {i for i in gap if any(dist(fin[i], fin[j], box) < RC for j in bot2)}
    # connected components of gap atoms (contacts < RC); a component touching both slabs bridges
    comp, seen = [], set()
    for i in gap:
        if i in seen:
            continue
        stack, cur = [i], []
        seen.add(i)
        while stack:
            k = stack.pop(); cur.append(k)
            for j in gap:
                if j not in seen and dist(fin[k], fin[j], box) < RC:
                    seen.add(j); stack.append(j)
        comp.append(cur)
    bridging = sum(len(c) for c in comp if set(c) & c1 and set(c) & c2)
    in_gap = sum(1 for i in gap if z1top + 1.0 < fin[i][3] < z2bot - 1.0)
    # lateral separation of the nucleus from its periodic images (nearest atoms, x and y)
    sep = float("inf")
    for i in gap:
        for j in gap:
            for sx, sy in ((1, 0), (0, 1), (1, 1), (1, -1)):
                a = fin[j]
                b = (a[0], a[1] + sx * box["x"], a[2] + sy * box["y"], a[3])
                d = math.sqrt((fin[i][1] - b[1]) ** 2 + (fin[i][2] - b[2]) ** 2 + (fin[i][3] - b[3]) ** 2)
                sep = min(sep, d)
    return dict(max_disp_A=max(disp), rms_disp_A=math.sqrt(sum(d * d for d in disp) / len(disp)),
                contact_s1=len(c1), contact_s2=len(c2), bridging_atoms=bridging, in_gap=in_gap,
                image_sep_A=sep, components=len(comp))


def main():
    out = sys.argv[1]
    p = json.load(open(os.path.join(out, "params.json")))
    _, _, nb = read_data(os.path.join(out, "bulk.data"))
    e_bulk = read_pe(os.path.join(out, "bulk.f"))
    e_pair = e_bulk / (nb / 2)
    ns = p["n"]
    if 0 not in ns:
        raise SystemExit("n = 0 (slabs alone) is needed")
    e = {n: read_pe(os.path.join(out, "n%02d.f" % n)) for n in ns}
    rows = []
    for n in ns:
        d = e[n] - e[0] - n * e_pair
        r = dict(n=n, atoms=read_data(os.path.join(out, "n%02d.data" % n))[2], pe=e[n], dE=d,
                 dE_per_pair=(d / n if n else 0.0))
        r.update(shape(out, "n%02d" % n, p))
        rows.append(r)
    for r in rows:
        for k, v in r.items():
            if isinstance(v, float) and not math.isfinite(v) and k != "image_sep_A":
                raise SystemExit("non-finite %s at n = %d" % (k, r["n"]))
    cols = ["n", "atoms", "pe", "dE", "dE_per_pair", "max_disp_A", "rms_disp_A", "in_gap", "contact_s1", "contact_s2",
            "bridging_atoms", "components", "image_sep_A"]
    with open(os.path.join(out, "results.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for r in rows:
            w.writerow([("%.6f" % r.get(c) if isinstance(r.get(c), float) else r.get(c, "")) for c in cols])
    pos = [r for r in rows if r["n"] >= 1]
    rmax = max(pos, key=lambda r: r["dE"]) if pos else None
    summ = {"size": p["size"], "a_A": p["a_A"], "gap_A": p["gap_A"], "cells": p["cells"], "layers": p["layers"],
            "E_bulk_kcal_mol": e_bulk, "bulk_atoms": nb, "E_pair_kcal_mol": e_pair, "E0_kcal_mol": e[0],
            "dE_kcal_mol": {str(r["n"]): r["dE"] for r in rows},
            "dE_max_kcal_mol": rmax["dE"] if rmax else None, "n_at_max": rmax["n"] if rmax else None,
            "dE_last_kcal_mol": rows[-1]["dE"], "n_last": rows[-1]["n"],
            "paper": "rises with fluctuations to n = 9 (3x3x2), then falls"}
    json.dump(summ, open(os.path.join(out, "summary.json"), "w"), indent=1)
    print("neck_nucleus: E_pair(bulk) = %.4f kcal/mol; " % e_pair +
          " ".join("n=%d:%.2f" % (r["n"], r["dE"]) for r in rows))
    if rmax:
        print("neck_nucleus: max dE = %.2f kcal/mol at n = %d" % (rmax["dE"], rmax["n"]))
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    fig, ax = plt.subplots(1, 2, figsize=(10, 4))
    ax[0].plot([r["n"] for r in rows], [r["dE"] for r in rows], "o-")
    ax[0].axvline(9, color="orange", ls="--", label="paper (DFT): maximum at n = 9 (3x3x2)")
    ax[0].axhline(0, color="k", lw=0.5)
    ax[0].set_xlabel("n (Pb-Se pairs in the gap)")
    ax[0].set_ylabel("dE(n) = E(n) - E(0) - n E_pair (kcal/mol)")
    ax[0].set_title("neck nucleus, G = %.3f A, %sx%s cells (%s)" % (p["gap_A"], p["cells"][0], p["cells"][1], p["size"]))
    ax[0].legend(fontsize=8)
    ax[1].plot([r["n"] for r in rows], [r["dE_per_pair"] for r in rows], "o-", label="dE/n (kcal/mol)")
    ax[1].plot([r["n"] for r in rows], [r["bridging_atoms"] / max(1, 2 * r["n"]) for r in rows], "s--",
               label="fraction of gap atoms bridging")
    ax[1].set_xlabel("n")
    ax[1].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "neck_nucleus.png"), dpi=90)


if __name__ == "__main__":
    main()
