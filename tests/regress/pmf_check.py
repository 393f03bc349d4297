#!/usr/bin/python3
"""pmf_check.py WORKDIR [PMF_PY] - checks of analysis/pmf.py on synthetic umbrella windows.

Prints TAP lines without numbers ('ok - ...', 'not ok - ...', other lines are diagnostics;
tests/regress/pmf.sh numbers them). Exit status 0 when it ran to the end, whatever the checks.
Every sample set is drawn exactly (inverse CDF on a fine grid, seeded numpy RNG) from a
known biased distribution, so the true PMF is known bin by bin:
  1. a double well, 14 windows of independent samples (plus 100 'equilibration' rows per
     window that --skip-ps 1 must discard): WHAM and MBAR within 0.1 kcal/mol RMS, minima and
     barrier within one bin, bootstrap errors of the right size; the module interface;
  2. a 3-D distance, p(r) ~ r^2 exp(-(U + bias)/kT): --jacobian gives U, without it U - 2 kT ln r;
     --zero-at, --kT;
  3. AR(1)-correlated samples (correlation time 20 samples): block-bootstrap errors several
     times the naive (one sample per block) errors, as the statistical inefficiency predicts;
  4. input errors: exit 2, one line naming the file and line;
  5. two windows far apart: the poor-overlap warning names them (and test 1 has none).
"""
import csv
import math
import os
import re
import subprocess
import sys
import time

import numpy as np

KB = 0.0019872067
T = 300.0
KT = KB * T
K = 10.0
WORK = sys.argv[1]
PMF = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "analysis", "pmf.py")
GRID = np.linspace(3.0, 17.0, 140001)           # 1e-4 A: the inverse-CDF grid
SEED = int(os.environ.get("PMF_CHECK_SEED", "0"))  # added to every seed: to see that the checks pass for other draws


def ok(cond, msg):
    print("%sok - %s" % ("" if cond else "not ", msg))
    sys.stdout.flush()
    return cond


def note(msg):
    print(msg)                       # not a TAP line: pmf.sh shows it as a '# ' comment


def f_double_well(x):
    """Minima at 8 A (+0.5) and 12 A (-0.5 kcal/mol), barrier at 9.875 A (3.02 kcal/mol):
    3 (s^2 - 1)^2 + 0.75 (s^3/3 - s), s = (x - 10)/2; dF/ds = (s^2 - 1)(12 s + 0.75)."""
    s = (x - 10.0) / 2.0
    return 3.0 * (s * s - 1.0) ** 2 + 0.75 * (s ** 3 / 3.0 - s)


def u_well(r):
    """A Gaussian well of 2 kcal/mol at 9 A (test 2, a 3-D distance)."""
    return -2.0 * np.exp(-(r - 9.0) ** 2 / (2 * 0.8 ** 2))


def inverse_cdf(logp, u01):
    """Samples of the density exp(logp) on GRID at the uniform numbers u01."""
    p = np.exp(logp - logp.max())
    cdf = np.concatenate(([0.0], np.cumsum(0.5 * (p[1:] + p[:-1]) * np.diff(GRID))))
    cdf /= cdf[-1]
    return np.interp(u01, cdf, GRID)


def window_logp(fun, r0, jac=False):
    lp = -(fun(GRID) + 0.5 * K * (GRID - r0) ** 2) / KT
    return lp + 2.0 * np.log(GRID) if jac else lp


def write_window(path, r0, d, t0=0.0, dt=10.0, dims="xyz", k=K, kunit="kcal/mol/A^2", rate="0", name="umb",
                 header=True, columns=None):
    """A file in the format of neckmd's restraint command (src/restraint.c)."""
    with open(path, "w") as fh:
        if header:
            fh.write("# neckmd restraint %s: groups nc1 nc2, K %.17g %s, dims %s, rate %s A/fs, E = 0.5 K (d - d0)^2\n"
                     % (name, k, kunit, dims, rate))
        fh.write((columns or "step,time_fs,target_A,distance_A,force_kcal_mol_A,energy_kcal_mol,work_kcal_mol,"
                  "com1_x_A,com1_y_A,com1_z_A,com2_x_A,com2_y_A,com2_z_A") + "\n")
        for i, x in enumerate(d):
            t = t0 + i * dt
            fh.write("%d,%.17g,%.17g,%.17g,%.17g,%.17g,0,0,0,0,%.17g,0,0\n"
                     % (round(t / 2.0), t, r0, x, -k * (x - r0), 0.5 * k * (x - r0) ** 2, x))


def run(args, name):
    t0 = time.time()
    p = subprocess.run([sys.executable, PMF] + args, cwd=WORK, capture_output=True, text=True)
    note("%s: pmf.py %s: exit %d, %.1f s" % (name, " ".join(a if len(a) < 40 else "..." for a in args[:12]) + (" ..." if len(args) > 12 else ""),
                                              p.returncode, time.time() - t0))
    return p


def read_csv(path):
    rows = list(csv.DictReader(l for l in open(path) if not l.startswith("#")))
    cols = {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}
    return cols


def bin_truth(edges, fun, jac=False):
    """-kT ln of the bin average of exp(-F/kT) (times r^2 with jac): what a histogram estimates."""
    out = []
    for a, b in zip(edges[:-1], edges[1:]):
        x = np.linspace(a, b, 201)
        w = np.exp(-fun(x) / KT) * (x * x if jac else 1.0)
        out.append(-KT * math.log(np.mean(w)))
    return np.array(out)


def rms_aligned(est, truth, sel):
    diff = est[sel] - truth[sel]
    diff = diff - diff.mean()
    return float(np.sqrt(np.mean(diff ** 2)))


def summary(out):
    """Minima and barriers from pmf.py's stdout (errors nan when not printed)."""
    mins = {}
    bars = {}
    for l in out.splitlines():
        m = re.match(r"(WHAM|MBAR): minimum at d = (\S+) \+- (\S+) A: (\S+) \+- (\S+) kcal/mol( \(global\))?", l)
        if m:
            mins.setdefault(m.group(1), []).append((float(m.group(2)), float(m.group(4)), float(m.group(5)), bool(m.group(6))))
        m = re.match(r"(WHAM|MBAR): barrier at d = (\S+) \+- (\S+) A: (\S+) \+- (\S+) kcal/mol; (\S+) \+- (\S+) above the "
                     r"minimum at (\S+) A, (\S+) \+- (\S+) above the minimum at (\S+) A", l)
        if m:
            bars.setdefault(m.group(1), []).append([float(m.group(i)) for i in (2, 6, 7, 8, 9, 10, 11)])
    return mins, bars


def edges_of(lo, hi, n):
    return np.linspace(lo, hi, n + 1)


# ---------------------------------------------------------------- 1. exact independent samples
def test_exact():
    rng = np.random.default_rng(SEED + 20240611)
    r0s = np.arange(6.5, 13.01, 0.5)
    files = []
    for j, r0 in enumerate(r0s):
        d = inverse_cdf(window_logp(f_double_well, r0), rng.random(3000))
        junk = r0 + 1.5 + 0.05 * rng.standard_normal(100)     # 'equilibration': 100 rows in the first ps
        path = os.path.join(WORK, "w1_%02d.csv" % j)
        write_window(path, r0, np.concatenate((junk, d)))
        files.append(path)
    edges = edges_of(6.0, 14.0, 80)
    p = run(["--temp", "300", "--range", "6", "14", "--bins", "80", "--skip-ps", "1", "-o", "t1.csv", "--plot", "t1.png"] + files, "test 1")
    if not ok(p.returncode == 0 and os.path.exists(os.path.join(WORK, "t1.csv")), "exact samples: pmf.py runs (14 windows, 3000 samples each, WHAM + MBAR, 50 bootstrap resamples)"):
        note(p.stderr)
        return
    for l in p.stdout.splitlines():
        note("  " + l)
    c = read_csv(os.path.join(WORK, "t1.csv"))
    ok(list(c) == ["d_A", "pmf_wham_kcal_mol", "err_wham_kcal_mol", "pmf_mbar_kcal_mol", "err_mbar_kcal_mol", "samples"]
       and len(c["d_A"]) == 80 and abs(c["d_A"][0] - 6.05) < 1e-9, "exact samples: CSV columns and 80 bin centres from 6.05 A")
    ok("samples: 42000 (3000 to 3000 per window, 1400 discarded in the first 1 ps)" in p.stdout and int(c["samples"].sum()) == 42000,
       "--skip-ps 1 discards the 100 equilibration rows of each window (42000 samples kept)")
    truth = bin_truth(edges, f_double_well)
    sel = c["samples"] >= 50
    note("bins with >= 50 samples: %d (d = %.2f to %.2f A)" % (sel.sum(), c["d_A"][sel].min(), c["d_A"][sel].max()))
    for m in ("wham", "mbar"):
        est, err = c["pmf_%s_kcal_mol" % m], c["err_%s_kcal_mol" % m]
        r = rms_aligned(est, truth, sel)
        ok(r < 0.1 and sel.sum() >= 55, "exact samples: %s PMF within %.3f kcal/mol RMS of the true PMF over %d bins (< 0.1)" % (m.upper(), r, sel.sum()))
        # errors are relative to the zero bin: compare PMF_i - PMF_zero with the truth
        iz = int(np.nanargmin(np.abs(est)))
        true_err = (est - est[iz]) - (truth - truth[iz])
        s = sel & (err > 0)
        z = np.abs(true_err[s]) / err[s]
        within3 = float(np.mean(z <= 3.0))
        ratio = float(np.sqrt(np.mean(true_err[s] ** 2)) / np.sqrt(np.mean(err[s] ** 2)))
        note("%s: median error %.3f kcal/mol; |true error|/error: median %.2f, %.0f %% within 1, %.0f %% within 3; "
             "RMS true error / RMS error %.2f" % (m.upper(), np.median(err[s]), np.median(z), 100 * np.mean(z <= 1), 100 * within3, ratio))
        ok(within3 >= 0.9 and 0.5 <= ratio <= 2.0,
           "exact samples: %s bootstrap errors of the right size: the true error within 3 errors in %.0f %% of the bins (>= 90 %%), "
           "RMS true / RMS bootstrap error %.2f (0.5-2)" % (m.upper(), 100 * within3, ratio))
    d_w = float(np.max(np.abs(c["pmf_wham_kcal_mol"][sel] - c["pmf_mbar_kcal_mol"][sel])))
    note("largest WHAM - MBAR difference over those bins: %.3f kcal/mol" % d_w)
    # extrema from the summary
    xg = GRID[(GRID > 9) & (GRID < 11)]
    xbar = float(xg[np.argmax(f_double_well(xg))])
    hb = float(f_double_well(np.array([xbar]))[0] - f_double_well(np.array([12.0]))[0])
    mins, bars = summary(p.stdout)
    for m in ("WHAM", "MBAR"):
        mm, bb = mins.get(m, []), bars.get(m, [])
        glob = [x for x in mm if x[3]]
        other = [x for x in mm if not x[3]]
        good = (len(mm) == 2 and len(glob) == 1 and abs(glob[0][0] - 12.0) <= 0.1 + 1e-9 and abs(other[0][0] - 8.0) <= 0.1 + 1e-9
                and len(bb) == 1 and abs(bb[0][0] - xbar) <= 0.1 + 1e-9)
        ok(good, "exact samples: %s finds the minima at %s A (8, 12; global 12) and one barrier at %s A (%.3f) within one bin (0.1 A)"
           % (m, [x[0] for x in mm], [x[0] for x in bb], xbar))
        if bb:
            b = bb[0]
            h, e = (b[1], b[2]) if abs(b[3] - 12.0) < abs(b[6] - 12.0) else (b[4], b[5])
            ok(abs(h - hb) < max(3 * e, 0.05) and abs(h - hb) < 0.15 and 0 < e < 0.15,
               "exact samples: %s barrier %.3f +- %.3f kcal/mol above the minimum near 12 A (true %.3f)" % (m, h, e, hb))
    ok("WARNING" not in p.stdout, "exact samples: no overlap warning for well-overlapping windows")
    # module interface
    sys.path.insert(0, os.path.dirname(os.path.abspath(PMF)))
    try:
        from pmf import wham, mbar, read_window
        ws = [read_window(f, skip_ps=1.0) for f in files]
        rw, rm = wham(ws, T, edges), mbar(ws, T, edges)
        same = all(np.allclose(r["pmf"][sel], c["pmf_%s_kcal_mol" % m][sel] - np.nanmin(c["pmf_%s_kcal_mol" % m]), atol=2e-6)
                   for r, m in ((rw, "wham"), (rm, "mbar")))
        ok(same and len(ws[0].d) == 3000 and rw["converged"] and rm["converged"],
           "module: from pmf import wham, mbar, read_window gives the command's PMFs (%d, %d iterations)" % (rw["iterations"], rm["iterations"]))
    except Exception as e:                                              # noqa: BLE001 - report, do not crash
        ok(False, "module: from pmf import wham, mbar, read_window: %s: %s" % (type(e).__name__, e))
    try:
        import matplotlib
        ok(matplotlib is not None and os.path.getsize(os.path.join(WORK, "t1.png")) > 10000, "--plot writes a PNG")
    except ImportError:
        print("ok - # SKIP matplotlib not installed")


# ---------------------------------------------------------------- 2. 3-D distance, Jacobian
def test_jacobian():
    rng = np.random.default_rng(SEED + 77)
    files = []
    for j, r0 in enumerate(np.arange(6.0, 13.01, 0.5)):
        d = inverse_cdf(window_logp(u_well, r0, jac=True), rng.random(1500))
        path = os.path.join(WORK, "w2_%02d.csv" % j)
        write_window(path, r0, d)
        files.append(path)
    edges = edges_of(6.0, 13.0, 70)
    common = ["--temp", "300", "--range", "6", "13", "--bins", "70"]
    pj = run(common + ["--jacobian", "--zero-at", "12", "--bootstrap", "4", "-o", "t2j.csv"] + files, "test 2 --jacobian")
    pn = run(common + ["--bootstrap", "0", "--kT", "-o", "t2n.csv"] + files, "test 2 plain --kT")
    if not ok(pj.returncode == 0 and pn.returncode == 0, "3-D distance: pmf.py runs with and without --jacobian"):
        note(pj.stderr + pn.stderr)
        return
    cj, cn = read_csv(os.path.join(WORK, "t2j.csv")), read_csv(os.path.join(WORK, "t2n.csv"))
    sel = cj["samples"] >= 50
    u_true = bin_truth(edges, u_well)                 # what the Jacobian-corrected PMF must be
    raw_true = bin_truth(edges, u_well, jac=True)     # -kT ln p(r): U - 2 kT ln r
    for m in ("wham", "mbar"):
        rj = rms_aligned(cj["pmf_%s_kcal_mol" % m], u_true, sel)
        wrong = rms_aligned(cj["pmf_%s_kcal_mol" % m], raw_true, sel)
        ok(rj < 0.1, "--jacobian: %s PMF = U(r) within %.3f kcal/mol RMS over %d bins (< 0.1; against U - 2 kT ln r: %.3f)" % (m.upper(), rj, sel.sum(), wrong))
        rn = rms_aligned(cn["pmf_%s_kT" % m] * KT, raw_true, sel)
        wrong = rms_aligned(cn["pmf_%s_kT" % m] * KT, u_true, sel)
        ok(rn < 0.1, "no --jacobian: %s PMF = U - 2 kT ln r within %.3f kcal/mol RMS (< 0.1; against U: %.3f)" % (m.upper(), rn, wrong))
    iz = int(np.argmin(np.abs(cj["d_A"] - 12.0)))
    ok(cj["pmf_wham_kcal_mol"][iz] == 0 and cj["pmf_mbar_kcal_mol"][iz] == 0 and cj["err_wham_kcal_mol"][iz] == 0
       and cj["pmf_wham_kcal_mol"][sel].min() < -1.5, "--zero-at 12: zero (and zero error) at d = %.2f A, the well below it" % cj["d_A"][iz])
    ok(np.all(np.isnan(cn["err_wham_kT"])) and np.nanmin(cn["pmf_wham_kT"]) == 0 and
       "--jacobian" not in open(os.path.join(WORK, "t2n.csv")).read() and
       "+ 2 kT ln d" in open(os.path.join(WORK, "t2j.csv")).read(),
       "--kT columns, zero at the minimum by default, no errors with --bootstrap 0; the header states the convention")


# ---------------------------------------------------------------- 3. correlated samples
def normal_cdf(z):
    return 0.5 * (1.0 + np.vectorize(math.erf)(z / math.sqrt(2.0)))


def test_correlated():
    rng = np.random.default_rng(SEED + 4242)
    tau = 20.0
    phi = math.exp(-1.0 / tau)
    n = 1500
    files = []
    for j, r0 in enumerate(np.arange(6.5, 13.01, 0.5)):
        z = np.empty(n)
        z[0] = rng.standard_normal()
        e = rng.standard_normal(n) * math.sqrt(1 - phi * phi)
        for i in range(1, n):
            z[i] = phi * z[i - 1] + e[i]
        d = inverse_cdf(window_logp(f_double_well, r0), normal_cdf(z))   # exact marginal, AR(1) correlation
        path = os.path.join(WORK, "w3_%02d.csv" % j)
        write_window(path, r0, d)
        files.append(path)
    common = ["--temp", "300", "--range", "6", "14", "--bins", "40", "--bootstrap", "30"]
    pb = run(common + ["-o", "t3b.csv"] + files, "test 3 blocks")
    pn = run(common + ["--blocks", "0", "-o", "t3n.csv"] + files, "test 3 naive")
    if not ok(pb.returncode == 0 and pn.returncode == 0, "correlated samples: pmf.py runs with 10 blocks and with --blocks 0"):
        note(pb.stderr + pn.stderr)
        return
    cb, cn = read_csv(os.path.join(WORK, "t3b.csv")), read_csv(os.path.join(WORK, "t3n.csv"))
    truth = bin_truth(edges_of(6.0, 14.0, 40), f_double_well)
    sel = (cb["samples"] >= 100) & (cb["err_wham_kcal_mol"] > 0)
    g = (1 + phi) / (1 - phi)
    for m in ("wham", "mbar"):
        eb, en = cb["err_%s_kcal_mol" % m][sel], cn["err_%s_kcal_mol" % m][sel]
        ratio = float(np.median(eb / en))
        ok(2.5 < ratio < 2 * math.sqrt(g),
           "correlated samples: %s block-bootstrap error %.2f x the naive one (median over %d bins; between 2.5 and twice "
           "the square root of the statistical inefficiency, 2 x %.1f)" % (m.upper(), ratio, sel.sum(), math.sqrt(g)))
        # with ~40 effective samples per window one draw says little about calibration: shown, not checked
        est = cb["pmf_%s_kcal_mol" % m]
        iz = int(np.nanargmin(np.abs(est)))
        te = np.abs((est - est[iz]) - (truth - truth[iz]))[sel]
        note("%s: true error within 3 block errors in %.0f %% of the bins, within 3 naive errors in %.0f %%; RMS true error / "
             "RMS block error %.2f, / RMS naive error %.2f" % (m.upper(), 100 * np.mean(te <= 3 * eb), 100 * np.mean(te <= 3 * en),
                                                             np.sqrt(np.mean(te ** 2) / np.mean(eb ** 2)), np.sqrt(np.mean(te ** 2) / np.mean(en ** 2))))


# ---------------------------------------------------------------- 4. input errors
def test_errors():
    rng = np.random.default_rng(SEED + 5)
    good = os.path.join(WORK, "e_good.csv")
    write_window(good, 8.0, 8.0 + 0.2 * rng.standard_normal(50))
    cases = []
    cases.append(("missing file", ["nosuch.csv"], "pmf.py: error: cannot open 'nosuch.csv': No such file or directory"))
    write_window(os.path.join(WORK, "e_nohead.csv"), 8.0, np.full(50, 8.0), header=False)
    cases.append(("no header comment", ["e_nohead.csv"], "pmf.py: error: e_nohead.csv:1: expected the header comment '# neckmd restraint"))
    with open(os.path.join(WORK, "e_nok.csv"), "w") as fh:
        fh.write("# neckmd restraint umb: groups nc1 nc2, dims xyz, rate 0 A/fs\n")
        fh.write(open(good).read().split("\n", 1)[1])
    cases.append(("header without K", ["e_nok.csv"], "pmf.py: error: e_nok.csv:1: expected 'K <number> kcal/mol/A^2' in the header comment"))
    write_window(os.path.join(WORK, "e_nocol.csv"), 8.0, np.full(50, 8.0), columns="step,time_fs,target_A,dist_A,f,e,w,a,b,c,d,e,f")
    cases.append(("no distance_A column", ["e_nocol.csv"], "pmf.py: error: e_nocol.csv:2: expected the columns time_fs,target_A,distance_A in the column header, missing distance_A"))
    write_window(os.path.join(WORK, "e_few.csv"), 8.0, np.full(8, 8.0))
    cases.append(("8 samples", ["e_few.csv"], "pmf.py: error: e_few.csv:10: expected at least 10 samples, found 8"))
    cases.append(("too few after --skip-ps", ["--skip-ps", "0.45", "e_good.csv"],
                  "pmf.py: error: e_good.csv:52: expected at least 10 samples after --skip-ps 0.45 (45 rows in the first 0.45 ps), found 5"))
    write_window(os.path.join(WORK, "e_kj.csv"), 8.5, 8.5 + 0.2 * rng.standard_normal(50), kunit="kJ/mol/A^2")
    cases.append(("K in other units", ["e_good.csv", "e_kj.csv"], "pmf.py: error: e_kj.csv:1: expected K in kcal/mol/A^2 (the unit of e_good.csv), found 'kJ/mol/A^2'"))
    lines = open(good).read().split("\n")
    lines[6] = lines[6].replace(lines[6].split(",")[3], "abc")
    open(os.path.join(WORK, "e_bad.csv"), "w").write("\n".join(lines))
    cases.append(("a bad number", ["e_bad.csv"], "pmf.py: error: e_bad.csv:7: expected a number in column distance_A, found 'abc'"))
    write_window(os.path.join(WORK, "e_x.csv"), 8.0, 8.0 + 0.2 * rng.standard_normal(50), dims="x")
    cases.append(("--jacobian with dims x", ["--jacobian", "e_x.csv"], "pmf.py: error: e_x.csv:1: --jacobian needs a 3-D distance (dims xyz), the header says dims x"))
    write_window(os.path.join(WORK, "e_pull.csv"), 8.0, 8.0 + 0.2 * rng.standard_normal(50), rate="1e-05")
    cases.append(("a pulling run", ["e_pull.csv"], "pmf.py: error: e_pull.csv:1: expected a fixed umbrella window (rate 0), found rate 1e-05 A/fs"))
    for what, args, want in cases:
        p = run(["--temp", "300", "--bootstrap", "0"] + args, "test 4 " + what)
        err = p.stderr.strip().splitlines()
        ok(p.returncode == 2 and len(err) == 1 and err[0].startswith(want) and not p.stdout,
           "error, %s: exit %d, %r" % (what, p.returncode, err[0] if len(err) == 1 else err))
    p = run(["e_good.csv"], "test 4 no --temp")
    ok(p.returncode == 2 and "pmf.py: error: the following arguments are required: --temp" in p.stderr, "error, no --temp: exit 2 and the usage")


# ---------------------------------------------------------------- 5. poor overlap
def test_overlap():
    rng = np.random.default_rng(SEED + 9)
    files = []
    for name, r0 in (("far_a.csv", 7.0), ("far_b.csv", 11.0)):
        write_window(os.path.join(WORK, name), r0, inverse_cdf(window_logp(f_double_well, r0), rng.random(500)))
        files.append(name)
    p = run(["--temp", "300", "--bootstrap", "0", "-o", "t5.csv"] + files, "test 5")
    for l in p.stdout.splitlines():
        note("  " + l)
    ok(p.returncode == 0 and re.search(r"WARNING: poor overlap: windows far_a\.csv \(r0 7 A\) and far_b\.csv \(r0 11 A\) overlap by 0\.00 %",
                                       p.stdout) is not None and "WARNING: poor overlap" in open(os.path.join(WORK, "t5.csv")).read(),
       "poor overlap: the warning names both windows (stdout and the CSV header)")
    ok("WARNING: no window has samples on both sides of d = " in p.stdout and "WHAM: minima and barriers not given" in p.stdout
       and "barrier at" not in p.stdout, "windows not linked: a warning, and no minima or barriers reported")


if __name__ == "__main__":
    os.makedirs(WORK, exist_ok=True)
    which = sys.argv[3:] or ["1", "2", "3", "4", "5"]
    tests = {"1": test_exact, "2": test_jacobian, "3": test_correlated, "4": test_errors, "5": test_overlap}
    for k in which:
        t0 = time.time()
        tests[k]()
        note("test %s: %.1f s" % (k, time.time() - t0))
