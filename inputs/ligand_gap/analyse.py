#!/usr/bin/python3
"""analyse.py OUTDIR - ligand_gap: energies versus gap from a run.sh output directory.

Reads OUTDIR/params.json, OUTDIR/{with,without}.states (branch, state index, nominal gap),
the write_forces headers state_SYS_KKK.f (pe and its terms) and the data files
state_SYS_KKK.data (positions after each minimisation). Writes OUTDIR/results.csv,
OUTDIR/summary.json and OUTDIR/ligand_gap.png.

Gap conventions: G = distance between the facing atomic planes of the slabs, recomputed here
from the frozen (outer) layers of each written data file; the paper's surface-to-surface gap is
G_edge = G - a/2 (docs/analysis.md: gap_edge = gap - d200).
E_rel(G) = pe(G) - pe(G_max) per system; E_lig(G) = E_rel,with(G) - E_rel,without(G).
"""
import csv, json, math, os, sys

TERMS = ["pe", "evdwl", "ecoul", "elong", "ebond", "eangle", "edihed"]


def read_header(path):
    e = {}
    with open(path) as f:
        for line in f:
            if not line.startswith("#"):
                break
            t = line[1:].split()
            if len(t) == 2 and t[0] in TERMS:
                e[t[0]] = float(t[1])
    for k in TERMS:
        e.setdefault(k, 0.0)
    return e


def read_data(path):
    """atoms {id: (mol, type, z, x, y)} and the box z length."""
    atoms, sec, lz = {}, None, None
    with open(path) as f:
        for line in f:
            s = line.split("#")[0].strip()
            if line.strip().startswith("Atoms"):
                sec = "atoms"; continue
            if line.strip() in ("Velocities", "Bonds", "Masses", "Angles", "Dihedrals"):
                sec = None; continue
            if not s:
                continue
            t = s.split()
            if len(t) == 4 and t[2] == "zlo":
                lz = float(t[1]) - float(t[0])
            if sec == "atoms" and len(t) >= 7:
                atoms[int(t[0])] = (int(t[1]), int(t[2]), float(t[6]), float(t[4]), float(t[5]))
    return atoms, lz


def read_ncid(path):
    nc = {}
    with open(path) as f:
        for line in f:
            t = line.split()
            if len(t) >= 2 and t[0].isdigit():
                nc[int(t[0])] = (int(t[1]), t[2] if len(t) > 2 else "")
    return nc


def mean(v):
    return sum(v) / len(v) if v else float("nan")


def geometry(out, sysname, k, p, nc, types):
    """gap from the frozen layers, relaxed facing-plane distance, gap-oleate extent along z."""
    atoms, lz = read_data(os.path.join(out, "state_%s_%03d.data" % (sysname, k)))
    d = p["a_A"] / 2
    L, F = p["layers"], p["frozen_layers"]
    core = {i: a for i, a in atoms.items() if nc[i][1] == "core"}
    z1 = sorted(a[2] for i, a in core.items() if nc[i][0] == 1)
    z2 = sorted(a[2] for i, a in core.items() if nc[i][0] == 2)
    n_layer = len(z2) // L                    # atoms per slab layer (slab 2 has no adatom)
    # frozen layers: the F outermost layers of each slab (never move): lowest F layers of slab 1
    # (skipping the adatom, which lies a layer below) and highest F layers of slab 2
    z1_no_ad = z1[len(z1) - L * n_layer:]
    fro1 = z1_no_ad[:F * n_layer]
    fro2 = z2[-F * n_layer:]
    G = mean(fro2) - mean(fro1) - 2 * (L - 1) * d + (F - 1) * d
    top1 = mean(z1_no_ad[-n_layer:])
    bot2 = mean(z2[:n_layer])
    lig = [a for i, a in atoms.items() if nc[i][1] == "ligand" and a[2] > top1 - 2.0 and a[2] < bot2 + 2.0]
    h = (max(a[2] for a in lig) - min(a[2] for a in lig)) if lig else float("nan")
    clear = (bot2 - max(a[2] for a in lig)) if lig else float("nan")
    return G, bot2 - top1, h, clear, len(lig)


def main():
    out = sys.argv[1]
    p = json.load(open(os.path.join(out, "params.json")))
    a = p["a_A"]
    data = {}
    for s in ("with", "without"):
        nc = read_ncid(os.path.join(out, s + ".ncid"))
        rows = []
        for line in open(os.path.join(out, s + ".states")):
            br, k, g = line.split()
            k = int(k)
            e = read_header(os.path.join(out, "state_%s_%03d.f" % (s, k)))
            G, Grel, h, clear, nlig = geometry(out, s, k, p, nc, None)
            rows.append(dict(branch=br, k=k, G_nominal=float(g), G=G,
                             G_relaxed=Grel, lig_height=h, lig_clearance=clear, lig_atoms_in_gap=nlig, **e))
        data[s] = rows
    w, wo = data["with"], data["without"]
    assert len(w) == len(wo), "with/without scans differ in length"
    ref_w, ref_wo = w[0], wo[0]
    table = []
    for rw, ro in zip(w, wo):
        assert abs(rw["G_nominal"] - ro["G_nominal"]) < 1e-6
        r = dict(branch=rw["branch"], state=rw["k"], G_nominal_A=rw["G_nominal"], G_A=rw["G"],
                 G_edge_A=rw["G"] - a / 2, G_relaxed_with_A=rw["G_relaxed"], G_relaxed_without_A=ro["G_relaxed"],
                 pe_with=rw["pe"], pe_without=ro["pe"],
                 E_with_rel=rw["pe"] - ref_w["pe"], E_without_rel=ro["pe"] - ref_wo["pe"])
        r["E_lig"] = r["E_with_rel"] - r["E_without_rel"]
        for t in ("evdwl", "ecoul", "elong", "ebond", "eangle", "edihed"):
            r["E_lig_" + t] = (rw[t] - ref_w[t]) - (ro[t] - ref_wo[t])
        r["lig_height_A"] = rw["lig_height"]
        r["lig_clearance_A"] = rw["lig_clearance"]
        r["lig_atoms_in_gap"] = rw["lig_atoms_in_gap"]
        table.append(r)
    cols = list(table[0].keys())
    with open(os.path.join(out, "results.csv"), "w", newline="") as f:
        wr = csv.DictWriter(f, fieldnames=cols)
        wr.writeheader()
        for r in table:
            wr.writerow({c: ("%.6f" % v if isinstance(v, float) else v) for c, v in r.items()})
    comp = [r for r in table if r["branch"].startswith("compress")]
    comp1 = [r for r in table if r["branch"] == "compress1"]

    def minimum(rows, key):
        r = min(rows, key=lambda r: r[key])
        return {"G_A": r["G_A"], "G_edge_A": r["G_edge_A"], "E_kcal_mol": r[key], "state": r["state"]}

    def loop(cb, eb):
        """max |E(expand) - E(compress)| over the gaps both branches visited (hysteresis)."""
        h = []
        for re_ in (r for r in table if r["branch"] == eb):
            for rc in (r for r in table if r["branch"] == cb or (cb == "compress1" and r["state"] == 0)):
                if abs(rc["G_nominal_A"] - re_["G_nominal_A"]) < 1e-6:
                    h.append(abs(re_["E_lig"] - rc["E_lig"]))
        return max(h) if h else None

    def end(rows):
        """the last state of an expansion and the first compression's state at the same gap"""
        if not rows:
            return None
        r = rows[-1]
        c = [q for q in comp1 if abs(q["G_nominal_A"] - r["G_nominal_A"]) < 1e-6]
        return {"G_A": r["G_A"], "E_lig_kcal_mol": r["E_lig"], "E_with_rel_kcal_mol": r["E_with_rel"],
                "E_lig_first_compression_kcal_mol": c[0]["E_lig"] if c else None}

    e1 = [r for r in table if r["branch"] == "expand1"]
    e2 = [r for r in table if r["branch"] == "expand2"]
    summ = {
        "size": p["size"], "a_A": a, "cells": p["cells"], "layers": p["layers"],
        "gap_convention": "G = facing atomic planes (frozen-layer positions); G_edge = G - a/2",
        "gap_range_A": [min(r["G_A"] for r in table), max(r["G_A"] for r in table)],
        "min_E_with": minimum(comp, "E_with_rel"),
        "min_E_without": minimum(comp, "E_without_rel"),
        "min_E_lig": minimum(comp, "E_lig"),
        "min_E_lig_first_compression": minimum(comp1, "E_lig"),
        "E_lig_at_smallest_gap_kcal_mol": min(comp, key=lambda r: r["G_A"])["E_lig"],
        "smallest_gap_A": min(r["G_A"] for r in comp),
        "end_of_loop1": end(e1),
        "end_of_loop2": end(e2),
        "hysteresis_loop1_max_abs_E_lig_kcal_mol": loop("compress1", "expand1"),
        "hysteresis_loop2_max_abs_E_lig_kcal_mol": loop("compress2", "expand2"),
        "max_gap_nominal_error_A": max(abs(r["G_A"] - r["G_nominal_A"]) for r in table),
        "paper_min_gap_nm": [0.55, 0.8],
    }
    for r in table:
        for c, v in r.items():
            if isinstance(v, float) and not math.isfinite(v) and not c.startswith("lig_"):
                raise SystemExit("non-finite %s in state %d" % (c, r["state"]))
    json.dump(summ, open(os.path.join(out, "summary.json"), "w"), indent=1)
    print("ligand_gap: %d states; min E_with at G = %.2f A (G-a/2 = %.2f A); min E_lig at G = %.2f A (%.2f A), "
          "E_lig(smallest G) = %.2f kcal/mol" % (len(table), summ["min_E_with"]["G_A"], summ["min_E_with"]["G_edge_A"],
                                          summ["min_E_lig"]["G_A"], summ["min_E_lig"]["G_edge_A"], summ["E_lig_at_smallest_gap_kcal_mol"]))
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    fig, ax = plt.subplots(1, 2, figsize=(12, 4.5))
    style = {"compress1": ("o-", "C0"), "expand1": ("s--", "C1"), "compress2": ("v-", "C2"), "expand2": ("^:", "C3")}

    def branch(br):
        rr = [r for r in table if r["branch"] == br]
        if rr and br != "compress1":
            rr = [r for r in table if r["state"] == rr[0]["state"] - 1] + rr   # join to the previous state
        return rr

    for axis, keys in ((ax[0], (("E_with_rel", "with oleate", 1.0), ("E_without_rel", "bare slabs", 0.35))),
                       (ax[1], (("E_lig", "E_lig", 1.0),))):
        for key, lab, alpha in keys:
            for br in ("compress1", "expand1", "compress2", "expand2"):
                rr = branch(br)
                if rr:
                    axis.plot([r["G_A"] for r in rr], [r[key] for r in rr], style[br][0], color=style[br][1], ms=3,
                              alpha=alpha, mfc="none" if br.startswith("expand") else None, label="%s, %s" % (lab, br))
        axis.axvspan(5.5, 8.0, color="orange", alpha=0.15, label="paper 0.55-0.8 nm (as G)")
        axis.axvspan(5.5 + a / 2, 8.0 + a / 2, color="green", alpha=0.12, label="paper 0.55-0.8 nm (as G - a/2)")
        axis.axhline(0, color="k", lw=0.5)
        axis.set_xlabel("G: facing-plane gap (A)   [paper's surface gap = G - %.2f A]" % (a / 2))
        axis.set_ylabel("E - E(G_max) (kcal/mol)")
        axis.legend(fontsize=7)
    for axis in ax:
        lo = min(min(r["E_with_rel"], r["E_lig"], r["E_without_rel"]) for r in table)
        axis.set_ylim(lo - 3, max(5.0, min(40.0, max(r["E_lig"] for r in table))))
    ax[0].set_title("minimised energy vs gap (%s)" % p["size"])
    ax[1].set_title("ligand contribution")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "ligand_gap.png"), dpi=90)


if __name__ == "__main__":
    main()
