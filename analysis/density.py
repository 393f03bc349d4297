#!/usr/bin/python3
"""density.py - mass density from a neckmd NPT run.

Usage:
  /usr/bin/python3 analysis/density.py RECORD.json DATA.data [RECORD.json DATA.data ...]
        [--label NAME]... [--target G_CM3]... [--thermo THERMO.csv]... [--from-ps T|half]...
        [--blocks N] [--png OUT.png]

For each (RECORD, DATA) pair: the total mass is summed over the Atoms of the LAMMPS data
file with the masses of its Masses section (the masses neckmd uses: a data file's masses win
over a forcefield file's; the record's per-type masses are checked against them), the density
rho(t) = M / V(t) (g/cm3; 1 amu/A^3 = 1.66053906660 g/cm3) from the record's thermo rows
(column vol_A3; the record holds the rows of the deck's LAST run, i.e. the NPT run), and the
average over the second half of that run, with a standard error from block averages: the
window is cut into N blocks (default 5) and SE = std(block means, ddof 1)/sqrt(N). The
standard errors for 4, 5, 8 and 10 blocks are printed too: if they grow with the block length
the blocks are still correlated and the SE is an underestimate. Also printed: the isothermal
compressibility var(V)/(kB T <V>) of the window (stochastic cell rescaling samples the isobaric
volume distribution; a short window gives only its order of magnitude).

--label, --target, --thermo and --from-ps are given once per system, in order. --from-ps T
starts the averaging window at time T (ps, the record's time axis) instead of half-way through
the run ('half', the default): for a run whose first half was not enough to equilibrate. --target (g/cm3) prints the
deviation in %. --thermo (the deck's thermo CSV, which holds every run including NVT
equilibration) only widens the plot to the whole history; the statistics always come from
the record. --png writes a plot of density vs time (one panel per system): the averaging
window shaded, the mean +- SE and the target marked.
Python 3 standard library plus matplotlib (Debian python3-matplotlib) for --png.
"""
import json
import math
import statistics
import sys

AMU_A3_TO_G_CM3 = 1.66053906660


def die(msg):
    sys.stderr.write("density.py: " + msg + "\n")
    sys.exit(1)


def data_mass(path):
    """Total mass (amu), atom count and {type: mass} of a LAMMPS data file."""
    try:
        lines = open(path).read().splitlines()
    except OSError as e:
        die("cannot read %s: %s" % (path, e.strerror))
    masses, counts, sec, hint = {}, {}, None, ""
    names = {}
    for raw in lines[1:]:
        s = raw.split("#")[0].strip()
        if not s:
            continue
        w = s.split()
        try:
            float(w[0])
        except ValueError:
            sec, hint = s, raw.split("#", 1)[1].strip() if "#" in raw else ""
            continue
        if sec == "Masses":
            masses[int(w[0])] = float(w[1])
            if "#" in raw:
                names[int(w[0])] = raw.split("#", 1)[1].strip()
        elif sec == "Atoms":
            style = hint if hint in ("full", "charge") else ("charge" if len(w) in (6, 9) else "full")
            t = int(w[1] if style == "charge" else w[2])
            counts[t] = counts.get(t, 0) + 1
    if not counts:
        die("%s: no Atoms section" % path)
    missing = [t for t in counts if t not in masses]
    if missing:
        die("%s: no mass for atom type(s) %s" % (path, missing))
    total = sum(masses[t] * n for t, n in counts.items())
    return total, sum(counts.values()), masses, names


def read_record(path):
    try:
        r = json.load(open(path))
    except (OSError, ValueError) as e:
        die("cannot read record %s: %s" % (path, e))
    cols = r.get("thermo_columns")
    rows = r.get("thermo")
    if not cols or not rows or "vol_A3" not in cols or "time_fs" not in cols:
        die("%s: no thermo rows with time_fs and vol_A3" % path)
    return r, cols, rows


def read_csv(path):
    lines = open(path).read().splitlines()
    cols = lines[0].split(",")
    it, iv = cols.index("time_fs"), cols.index("vol_A3")
    t, v = [], []
    for ln in lines[1:]:
        w = ln.split(",")
        t.append(float(w[it]) / 1000.0)
        v.append(float(w[iv]))
    return t, v


def block_se(x, nb):
    n = len(x) // nb
    if n < 1 or nb < 2:
        return float("nan")
    means = [statistics.fmean(x[k * n:(k + 1) * n]) for k in range(nb)]
    return statistics.stdev(means) / math.sqrt(nb)


def analyse(rec_path, data_path, nblocks, label, target, from_ps=None):
    mtot, natoms, masses, names = data_mass(data_path)
    r, cols, rows = read_record(rec_path)
    nat_rec = r.get("system", {}).get("natoms")
    if nat_rec is not None and nat_rec != natoms:
        die("%s has %d atoms, the record %d" % (data_path, natoms, nat_rec))
    for k, ty in enumerate(r.get("system", {}).get("types", [])):
        m = masses.get(k + 1)
        if m is not None and abs(m - ty.get("mass_amu", m)) > 1e-9:
            sys.stderr.write("density.py: warning: type %d (%s): data file mass %g, record %g\n"
                             % (k + 1, ty.get("name"), m, ty["mass_amu"]))
    it, iv = cols.index("time_fs"), cols.index("vol_A3")
    t = [row[it] / 1000.0 for row in rows]                      # ps
    rho = [mtot / row[iv] * AMU_A3_TO_G_CM3 for row in rows]
    t0, t1 = t[0], t[-1]
    half = t0 + 0.5 * (t1 - t0) if from_ps is None else from_ps
    if not t0 <= half < t1:
        die("%s: window start %g ps outside the run (%g-%g ps)" % (rec_path, half, t0, t1))
    win = [(ti, x) for ti, x in zip(t, rho) if ti >= half]
    xs = [x for _, x in win]
    mean = statistics.fmean(xs)
    se = block_se(xs, nblocks)
    out = {"label": label, "mass": mtot, "natoms": natoms, "t": t, "rho": rho, "t0": t0, "t1": t1,
           "half": half, "mean": mean, "se": se, "target": target}
    extra = {}
    for c in ("temp_K", "press_atm"):
        if c in cols:
            j = cols.index(c)
            extra[c] = statistics.fmean([row[j] for row, ti in zip(rows, t) if ti >= half])
    print("%s: %s + %s" % (label, rec_path, data_path))
    print("  %d atoms, total mass %.4f amu; last run (NPT) %.2f-%.2f ps (%.2f ps), %d thermo rows"
          % (natoms, mtot, t0, t1, t1 - t0, len(rows)))
    print("  window (%s) %.2f-%.2f ps: %d samples, <T> = %.1f K, <P> = %.0f atm"
          % ("second half" if from_ps is None else "from %g ps" % from_ps, half, t1, len(xs), extra.get("temp_K", float("nan")), extra.get("press_atm", float("nan"))))
    print("  density = %.4f +- %.4f g/cm3 (SE from %d blocks); sample std %.4f; first/last sample %.4f/%.4f"
          % (mean, se, nblocks, statistics.stdev(xs) if len(xs) > 1 else float("nan"), rho[0], rho[-1]))
    print("  SE vs number of blocks: " + ", ".join("%d: %.4f" % (nb, block_se(xs, nb)) for nb in (4, 5, 8, 10)))
    vs = [mtot * AMU_A3_TO_G_CM3 / x for x in xs]                  # A^3
    temp = extra.get("temp_K")
    if temp and len(vs) > 2:
        kappa = statistics.variance(vs) / (1.380649e-23 * temp * statistics.fmean(vs)) * 1e-30 * 101325.0
        print("  isothermal compressibility from the volume fluctuations var(V)/(kB T <V>): %.2e 1/atm "
              "(rough: a short window; the barostat samples the isobaric volume distribution)" % kappa)
        out["kappa_per_atm"] = kappa
    if target is not None:
        print("  target %.3f g/cm3: deviation %+.2f %% (+- %.2f %%)" % (target, 100 * (mean / target - 1), 100 * se / target))
    return out


def plot(results, thermo, png):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    n = len(results)
    fig, axes = plt.subplots(n, 1, figsize=(6.4, 2.4 * n + 0.4), squeeze=False)
    for k, res in enumerate(results):
        ax = axes[k][0]
        if thermo[k]:
            tt, vv = read_csv(thermo[k])
            ax.plot(tt, [res["mass"] / v * AMU_A3_TO_G_CM3 for v in vv], color="0.6", lw=0.8,
                    label="minimised start + NVT (fixed box)")
        ax.plot(res["t"], res["rho"], color="C0", lw=0.9, label="NPT")
        ax.axvspan(res["half"], res["t1"], color="C0", alpha=0.08, lw=0)
        ax.hlines(res["mean"], res["half"], res["t1"], color="C3", lw=1.5,
                  label="mean %.3f $\\pm$ %.3f" % (res["mean"], res["se"]))
        if res["target"] is not None:
            ax.axhline(res["target"], color="k", ls="--", lw=0.8, label="experiment %.3f" % res["target"])
        ax.set_ylabel("density (g/cm$^3$)")
        ax.set_title(res["label"], fontsize=10)
        ax.legend(fontsize=7, loc="lower right")
        ax.grid(alpha=0.3)
    axes[-1][0].set_xlabel("time (ps)")
    fig.tight_layout()
    fig.savefig(png, dpi=110)
    print("wrote %s" % png)


def main(argv):
    pos, labels, targets, thermo, froms, nblocks, png = [], [], [], [], [], 5, None
    k = 1
    while k < len(argv):
        a = argv[k]
        if a in ("--label", "--target", "--thermo", "--from-ps", "--blocks", "--png"):
            if k + 1 >= len(argv):
                die("%s needs a value" % a)
            v = argv[k + 1]
            if a == "--label":
                labels.append(v)
            elif a == "--target":
                targets.append(float(v))
            elif a == "--thermo":
                thermo.append(v)
            elif a == "--from-ps":
                froms.append(None if v == "half" else float(v))
            elif a == "--blocks":
                nblocks = int(v)
            else:
                png = v
            k += 2
        elif a in ("-h", "--help"):
            print(__doc__)
            return
        else:
            pos.append(a)
            k += 1
    if not pos or len(pos) % 2:
        die("usage: density.py RECORD.json DATA.data [RECORD.json DATA.data ...] [--label L]... "
            "[--target G_CM3]... [--thermo CSV]... [--from-ps T|half]... [--blocks N] [--png OUT.png]")
    nsys = len(pos) // 2
    if nblocks < 2:
        die("--blocks must be >= 2")
    results = []
    for s in range(nsys):
        results.append(analyse(pos[2 * s], pos[2 * s + 1], nblocks,
                               labels[s] if s < len(labels) else pos[2 * s],
                               targets[s] if s < len(targets) else None,
                               froms[s] if s < len(froms) else None))
    if png:
        plot(results, [thermo[s] if s < len(thermo) else None for s in range(nsys)], png)


if __name__ == "__main__":
    main(sys.argv)
