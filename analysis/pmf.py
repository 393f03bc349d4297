#!/usr/bin/python3
"""pmf.py - potential of mean force from umbrella windows (WHAM and MBAR).

Usage:
  /usr/bin/python3 analysis/pmf.py --temp T [options] WINDOW.csv...

Each WINDOW.csv is the file of a neckmd `restraint NAME G1 G2 K R0 file WINDOW.csv` with rate 0
(a fixed umbrella window): the header comment gives K (kcal/mol/A^2) and the dims, the rows
give time_fs, target_A (= R0, constant) and distance_A (the sampled d). The bias of window k is
w_k(d) = 0.5 K_k (d - R0_k)^2.

WHAM (Kumar et al., J. Comput. Chem. 13, 1011 (1992)) on histograms of d and MBAR (Shirts &
Chodera, J. Chem. Phys. 129, 124105 (2008)) on the unbinned samples solve the same
self-consistent equations, with beta = 1/(kB T) and N_k samples in window k:

    f_k = -ln sum_n c_n exp(-beta w_k(x_n)) / sum_l N_l exp(f_l - beta w_l(x_n))

WHAM: n runs over the bins, x_n = bin centre, c_n = samples of all windows in the bin;
MBAR: n runs over the samples, c_n = 1. The unbiased probability of a bin is
P_i = sum_k n_ki / sum_l N_l exp(f_l - beta w_l(x_i)) (WHAM) or the sum of the MBAR weights
1 / sum_l N_l exp(f_l - beta w_l(x_n)) of its samples, and PMF_i = -kT ln(P_i / width)
(+ 2 kT ln d_i with --jacobian). The f_k are solved by 10 self-consistent iterations, then
Newton-Raphson on the convex function whose gradient vanishes at the solution (as Shirts &
Chodera do), until one more self-consistent iteration changes no f_k by more than --tol kT.
All sums are log-sum-exp. Errors: block bootstrap (the samples of each window in --blocks
contiguous blocks, blocks drawn with replacement; --bootstrap resamples), relative to the
zero bin. The summary gives the overlap of adjacent windows (warning below --min-overlap),
and the minima and barriers: vertices of parabolas through the extreme bin and its
neighbours within 1 kT, found again in every bootstrap resample for their errors.

Options (docs/pmf.md):
  --temp T            temperature (K), required
  --bins N | --bin-width W    bins (default 100) or their width (A)
  --range LO HI       PMF range (A), default the range of the samples
  --skip-ps P         discard the first P ps of each window (equilibration)
  --kcal | --kT       units of the output (default kcal/mol; --kT: columns *_kT)
  --jacobian          add +2 kT ln d (3-D distance, dims xyz only): a flat PMF = no interaction
  --zero-at D         PMF zero at the bin nearest D (default: at each method's minimum)
  --method wham|mbar|both     (default both)
  --bootstrap B       block-bootstrap resamples (default 50, 0 = no errors)
  --blocks N          blocks per window (default 10; 0 = every sample its own block: naive)
  --seed S            bootstrap random seed (default 1)
  --tol TOL           convergence of the f_k (kT, default 1e-7)
  --min-overlap F     warn when adjacent windows overlap by less than F (default 0.03)
  -o OUT.csv          output (d_A,pmf_wham_kcal_mol,err_wham_kcal_mol,pmf_mbar_kcal_mol,
                      err_mbar_kcal_mol,samples)
  --plot OUT.png      PMF and window histograms (needs matplotlib)

As a module: `from pmf import wham, mbar, read_window` (see their docstrings).
numpy only (matplotlib for --plot). Input errors: one line `pmf.py: error: FILE:LINE: ...`, exit 2.
"""
import argparse
import math
import re
import sys

import numpy as np

KB = 0.0019872067       # kcal/mol/K, the LAMMPS "real" value neckmd uses (src/units.h)
K_UNIT = "kcal/mol/A^2"
MIN_SAMPLES = 10
NEED = ("time_fs", "target_A", "distance_A")


class PmfError(Exception):
    """An input error; str() is 'FILE:LINE: what was expected'."""


class Window:
    """One umbrella window read from a restraint CSV file.

    path, name (restraint name), groups (G1, G2), k (kcal/mol/A^2), k_unit, r0 (A), dims,
    time_fs and d (numpy arrays of the kept samples, in file order), skipped (samples
    discarded by skip_ps), last_line (the file's last data line)."""

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def __repr__(self):
        return "Window(%s, K %g, r0 %g, %d samples)" % (self.path, self.k, self.r0, len(self.d))


def read_window(path, skip_ps=0.0, min_samples=MIN_SAMPLES):
    """Read a neckmd restraint CSV file as an umbrella window.

    skip_ps: samples with time < (first time + skip_ps ps) are discarded. Raises PmfError
    ('FILE:LINE: what was expected') on a bad file or fewer than min_samples samples kept."""
    try:
        with open(path) as fh:
            lines = fh.read().splitlines()
    except OSError as e:
        raise PmfError("cannot open '%s': %s" % (path, e.strerror))
    where = lambda ln: "%s:%d" % (path, ln)
    if not lines or not lines[0].startswith("#"):
        raise PmfError("%s: expected the header comment '# neckmd restraint NAME: groups G1 G2, K <number> "
                       "kcal/mol/A^2, dims xyz, rate 0 A/fs, ...' (a neckmd restraint file)" % where(1))
    head = lines[0]
    m = re.search(r"\bK\s+([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)\s+(\S+?),?(?:\s|$)", head)
    if not m:
        raise PmfError("%s: expected 'K <number> kcal/mol/A^2' in the header comment" % where(1))
    try:
        k = float(m.group(1))
    except ValueError:
        raise PmfError("%s: expected a number after 'K' in the header comment, found '%s'" % (where(1), m.group(1)))
    if not (k > 0 and math.isfinite(k)):
        raise PmfError("%s: expected a positive spring constant K, found %s" % (where(1), m.group(1)))
    k_unit = m.group(2)
    m = re.search(r"\bdims\s+([xyz]+)", head)
    dims = m.group(1) if m else "xyz"
    m = re.search(r"\brate\s+(\S+)", head)
    if m:
        try:
            rate = float(m.group(1).rstrip(","))
        except ValueError:
            raise PmfError("%s: expected a number after 'rate' in the header comment, found '%s'" % (where(1), m.group(1)))
        if rate != 0:
            raise PmfError("%s: expected a fixed umbrella window (rate 0), found rate %s A/fs (a pulling run)" % (where(1), m.group(1)))
    m = re.match(r"#\s*neckmd restraint\s+(\S+?):\s*groups\s+(\S+)\s+(\S+?),", head)
    name, groups = (m.group(1), (m.group(2), m.group(3))) if m else ("?", ("?", "?"))
    # the column header: the first non-comment line
    ln = 1
    while ln < len(lines) and lines[ln].startswith("#"):
        ln += 1
    if ln >= len(lines) or not lines[ln].strip():
        raise PmfError("%s: expected the column header 'step,time_fs,target_A,distance_A,...'" % where(ln + 1))
    cols = [c.strip() for c in lines[ln].split(",")]
    missing = [c for c in NEED if c not in cols]
    if missing:
        raise PmfError("%s: expected the columns %s in the column header, missing %s" % (where(ln + 1), ",".join(NEED), ",".join(missing)))
    it, ir, idd = (cols.index(c) for c in NEED)
    t, r0s, d, lnos = [], [], [], []
    ncol = len(cols)
    for i in range(ln + 1, len(lines)):
        s = lines[i]
        if not s.strip() or s.startswith("#"):
            continue
        w = s.split(",")
        if len(w) < ncol:
            raise PmfError("%s: expected %d comma-separated values, found %d" % (where(i + 1), ncol, len(w)))
        vals = []
        for j, c in ((it, "time_fs"), (ir, "target_A"), (idd, "distance_A")):
            try:
                v = float(w[j])
            except ValueError:
                v = float("nan")
            if not math.isfinite(v):
                raise PmfError("%s: expected a number in column %s, found '%s'" % (where(i + 1), c, w[j].strip()))
            vals.append(v)
        t.append(vals[0])
        r0s.append(vals[1])
        d.append(vals[2])
        lnos.append(i + 1)
    last = lnos[-1] if lnos else len(lines)
    if lnos:
        r0 = r0s[0]
        for v, l in zip(r0s, lnos):
            if abs(v - r0) > 1e-9 * max(1.0, abs(r0)):
                raise PmfError("%s: expected a fixed umbrella window (target_A constant), target_A changes from %.10g to %.10g" % (where(l), r0, v))
    else:
        r0 = float("nan")
    t = np.array(t)
    d = np.array(d)
    keep = np.ones(len(t), bool)
    if skip_ps > 0 and len(t):
        keep = t >= t[0] + skip_ps * 1000.0 - 1e-9
    if keep.sum() < min_samples:
        extra = " after --skip-ps %g (%d rows in the first %g ps)" % (skip_ps, len(t) - keep.sum(), skip_ps) if skip_ps > 0 else ""
        raise PmfError("%s: expected at least %d samples%s, found %d" % (where(last), min_samples, extra, int(keep.sum())))
    return Window(path=path, name=name, groups=groups, k=k, k_unit=k_unit, r0=r0, dims=dims,
                  time_fs=t[keep], d=d[keep], skipped=int(len(t) - keep.sum()), last_line=last)


# ---------------------------------------------------------------- numerics

def _lse(a, axis):
    """log sum exp of a along axis (-inf entries allowed; an all -inf slice gives -inf)."""
    m = np.max(a, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):
        s = np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)) + m
    return np.squeeze(s, axis=axis)


def _solve(u, c, n, tol=1e-7, f0=None, maxiter=500, nsc=10):
    """Solve f_k = -ln sum_n c_n exp(-u_kn) / sum_l N_l exp(f_l - u_ln) (f_0 = 0).

    u: K x M reduced biases (kT); c: M counts (>= 0); n: K samples per window (> 0).
    nsc self-consistent iterations (none from a starting guess f0), then Newton-Raphson with
    a backtracking line search on A(f) = sum_n c_n ln sum_k N_k exp(f_k - u_kn) - sum_k N_k f_k
    (convex; dA/df_k = sum_n c_n W_kn - N_k = 0 is the equation, W_kn the weight of n in k).
    Converged when one self-consistent iteration changes no f_k by more than tol.
    Returns (f, iterations, last change, converged)."""
    live = c > 0
    u = u[:, live]
    c = c[live]
    lnc = np.log(c)
    lnn = np.log(n)
    if f0 is None:
        f = np.zeros(len(n))
    else:                                     # a warm start (bootstrap): straight to Newton
        f = np.array(f0, float) - f0[0]
        nsc = 0

    def state(f):
        a = (f + lnn)[:, None] - u
        ld = _lse(a, 0)
        return ld, a - ld

    def objective(ld, f):
        return float(c @ ld - n @ f)

    ld, lnw = state(f)
    change = float("inf")
    for it in range(1, maxiter + 1):
        lns = _lse(lnw + lnc, 1)            # ln sum_n c_n W_kn; W_kn = N_k e^(f_k - u_kn) / denominator_n
        fsc = f - (lns - lnn)                # the self-consistent update
        fsc -= fsc[0]
        change = float(np.max(np.abs(fsc - f)))
        if change < tol:
            return fsc, it, change, True
        if it <= nsc:
            f = fsc
            ld, lnw = state(f)
            continue
        w = np.exp(lnw)
        s = np.exp(lns)
        g = s - n
        h = np.diag(s) - (w * c) @ w.T
        try:
            step = np.linalg.solve(h[1:, 1:], -g[1:])
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(h[1:, 1:], -g[1:], rcond=None)[0]
        step = np.concatenate(([0.0], step))
        a0 = objective(ld, f)
        alpha, done = 1.0, False
        while alpha > 1e-6 and np.all(np.isfinite(step)):
            fn = f + alpha * step
            ldn, lnwn = state(fn)
            a1 = objective(ldn, fn)
            if a1 <= a0 + 1e-12 * abs(a0) + 1e-4 * alpha * float(g @ step):
                done = True
                break
            alpha *= 0.5
        if not done:                          # rounding near the solution: fall back to the iteration
            fn = fsc
            ldn, lnwn = state(fn)
        f = fn - fn[0]
        ld, lnw = (ldn, lnwn) if fn[0] == 0 else state(f)
    return f, maxiter, change, False


class _Data:
    """Samples of all windows, binned, with the reduced biases precomputed."""

    def __init__(self, windows, temp, edges, need_samples=True, blocks=10):
        self.windows = windows
        self.kt = KB * temp
        beta = 1.0 / self.kt
        self.edges = np.asarray(edges, float)
        self.centres = 0.5 * (self.edges[1:] + self.edges[:-1])
        self.width = np.diff(self.edges)
        self.nb = len(self.centres)
        self.x = np.concatenate([w.d for w in windows])
        self.win = np.concatenate([np.full(len(w.d), i) for i, w in enumerate(windows)])
        self.nwin = len(windows)
        k = np.array([w.k for w in windows])[:, None]
        r0 = np.array([w.r0 for w in windows])[:, None]
        b = np.searchsorted(self.edges, self.x, side="right") - 1
        b[self.x == self.edges[-1]] = self.nb - 1
        b[(self.x < self.edges[0]) | (self.x > self.edges[-1])] = -1
        self.bin = b
        self.inr = b >= 0
        self.u_bins = beta * 0.5 * k * (self.centres[None, :] - r0) ** 2
        self.u_samp = beta * 0.5 * k * (self.x[None, :] - r0) ** 2 if need_samples else None
        # contiguous blocks within each window (blocks <= 0: every sample a block)
        self.block = np.empty(len(self.x), int)
        self.nblocks = []
        off, start = 0, 0
        for w in windows:
            nw = len(w.d)
            nbk = nw if blocks <= 0 else min(blocks, nw)
            self.block[start:start + nw] = off + (np.arange(nw) * nbk) // nw
            self.nblocks.append(nbk)
            off += nbk
            start += nw

    def counts(self, c):
        """Histogram (all windows) and in-range samples per window for sample weights c."""
        ci = c[self.inr]
        hist = np.bincount(self.bin[self.inr], weights=ci, minlength=self.nb)
        nk = np.bincount(self.win[self.inr], weights=ci, minlength=self.nwin)
        return hist, nk

    def resample(self, rng):
        """Block-bootstrap sample weights: blocks of each window drawn with replacement."""
        mult = np.concatenate([np.bincount(rng.integers(0, n, n), minlength=n) for n in self.nblocks])
        return mult[self.block].astype(float)


def _wham_core(data, c, tol, f0=None):
    hist, nk = data.counts(c)
    use = nk > 0
    f = np.full(data.nwin, np.nan)
    fu, it, change, conv = _solve(data.u_bins[use], hist, nk[use], tol, None if f0 is None else f0[use])
    f[use] = fu
    a = (fu + np.log(nk[use]))[:, None] - data.u_bins[use]
    ld = _lse(a, 0)
    with np.errstate(divide="ignore"):
        lnp = np.log(hist) - ld - np.log(data.width)
    pmf = np.where(hist > 0, -lnp, np.nan)
    return pmf, f, it, change, conv, hist


def _mbar_core(data, c, tol, f0=None):
    nk = np.bincount(data.win, weights=c, minlength=data.nwin)
    f, it, change, conv = _solve(data.u_samp, c, nk, tol, f0)
    live = c > 0
    a = (f + np.log(nk))[:, None] - data.u_samp[:, live]
    lnw = np.log(c[live]) - _lse(a, 0)               # ln of the unbiased weight of each sample
    b = data.bin[live]
    inr = b >= 0
    lnw, b = lnw[inr], b[inr]
    top = np.full(data.nb, -np.inf)
    np.maximum.at(top, b, lnw)
    tops = np.where(np.isfinite(top), top, 0.0)
    s = np.bincount(b, weights=np.exp(lnw - tops[b]), minlength=data.nb)
    with np.errstate(divide="ignore"):
        lnp = np.log(s) + tops - np.log(data.width)
    hist, _ = data.counts(c)
    pmf = np.where(hist > 0, -lnp, np.nan)
    return pmf, f, it, change, conv, hist


def _result(data, jacobian, out):
    pmf, f, it, change, conv, hist = out
    if jacobian:
        pmf = pmf + 2.0 * np.log(data.centres)
    kcal = (pmf - np.nanmin(pmf)) * data.kt
    return {"centres": data.centres, "pmf": kcal, "pmf_kT": pmf - np.nanmin(pmf), "f": f,
            "iterations": it, "change": change, "converged": conv, "counts": hist}


def _check_windows(windows, jacobian):
    if not windows:
        raise PmfError("no window files")
    w0 = windows[0]
    for w in windows:
        if w.k_unit != K_UNIT:
            raise PmfError("%s:1: expected K in %s (the unit of %s), found '%s'" % (w.path, K_UNIT, w0.path, w.k_unit))
        if w.dims != w0.dims:
            raise PmfError("%s:1: expected dims %s like %s (all windows restrain the same distance), found dims %s"
                           % (w.path, w0.dims, w0.path, w.dims))
        if jacobian and w.dims != "xyz":
            raise PmfError("%s:1: --jacobian needs a 3-D distance (dims xyz), the header says dims %s" % (w.path, w.dims))


def default_edges(windows, bins=100, bin_width=None, lo=None, hi=None):
    """Bin edges over [lo, hi] (default: the range of all samples): bins bins or width bin_width."""
    x = np.concatenate([w.d for w in windows])
    lo = float(x.min()) if lo is None else lo
    hi = float(x.max()) if hi is None else hi
    if hi <= lo:
        hi = lo + (bin_width or 1e-3)
    if bin_width:
        bins = max(1, int(math.ceil((hi - lo) / bin_width - 1e-9)))
        return lo + bin_width * np.arange(bins + 1)
    return np.linspace(lo, hi, bins + 1)


def wham(windows, temp, edges=None, tol=1e-7, jacobian=False):
    """WHAM (Kumar et al. 1992) of Window objects (read_window) at temp (K) on bin edges (A).

    Returns a dict: centres (A), pmf (kcal/mol, zero at its minimum, nan in empty bins),
    pmf_kT, f (window free energies, kT, f[0] = 0), iterations, change, converged, counts."""
    _check_windows(windows, jacobian)
    edges = default_edges(windows) if edges is None else edges
    data = _Data(windows, temp, edges, need_samples=False)
    return _result(data, jacobian, _wham_core(data, np.ones(len(data.x)), tol))


def mbar(windows, temp, edges=None, tol=1e-7, jacobian=False):
    """MBAR (Shirts & Chodera 2008) of Window objects at temp (K); the PMF in bins of edges (A).

    Same dict as wham(); f from all samples (also those outside the bins)."""
    _check_windows(windows, jacobian)
    edges = default_edges(windows) if edges is None else edges
    data = _Data(windows, temp, edges)
    return _result(data, jacobian, _mbar_core(data, np.ones(len(data.x)), tol))


# ---------------------------------------------------------------- summary helpers

def _overlaps(data):
    """Overlap sum_i min(p_i, q_i) of the normalised histograms of windows adjacent in r0."""
    order = sorted(range(data.nwin), key=lambda i: data.windows[i].r0)
    hists = []
    for i in range(data.nwin):
        sel = (data.win == i) & data.inr
        h = np.bincount(data.bin[sel], minlength=data.nb).astype(float)
        hists.append(h / h.sum() if h.sum() > 0 else h)
    return [(order[j], order[j + 1], float(np.minimum(hists[order[j]], hists[order[j + 1]]).sum()))
            for j in range(len(order) - 1)], hists


def _extrema(v, e, floor):
    """Basins and barriers of the finite profile v (indices into v), e its errors.

    A barrier is an interior local maximum whose prominence (height above the higher of the
    lowest points on either side, up to a higher point or the end) exceeds
    max(floor, 3 sqrt(e_max^2 + e_base^2)). Two barriers then always have a significant dip
    between them: the one of the lower barrier's side scan. Returns (barriers, basins):
    basins = list of (lo, hi) index ranges between barriers and ends."""
    n = len(v)
    bars = []
    for i in range(1, n - 1):
        if v[i] > v[i - 1] and v[i] >= v[i + 1]:
            base = []
            for step in (-1, 1):
                j, low = i + step, i
                while 0 <= j < n and v[j] <= v[i]:
                    if v[j] < v[low]:
                        low = j
                    j += step
                base.append(low)
            b = base[0] if v[base[0]] >= v[base[1]] else base[1]
            if v[i] - v[b] > max(floor, 3.0 * math.hypot(e[i], e[b])):
                bars.append(i)
    cuts = [0] + bars + [n - 1]
    basins = [(cuts[j], cuts[j + 1]) for j in range(len(cuts) - 1)]
    return bars, basins


def _describe(tag, d, pmf, boot, unit, kt_unit, hist):
    """Summary lines for one method: minima of the basins and barriers, with bootstrap errors.

    Locations and values are parabola vertices (_locate), found the same way in every bootstrap
    resample, whose spread gives the errors (barrier heights: of the differences). A barrier
    must stand out by max(0.5 kT, 3 x the error of the difference) (_extrema), the error of a
    bin being the larger of the bootstrap one and the counting error kT / sqrt(samples)."""
    ok = np.isfinite(pmf)
    idx = np.nonzero(ok)[0]
    if len(idx) < 3:
        return ["%s: too few bins with samples for minima and barriers" % tag]
    v = pmf[idx]
    bs = boot[:, idx] if boot is not None and len(boot) > 1 else None

    def err_of(vals):
        vals = vals[np.isfinite(vals)]
        return float(np.std(vals, ddof=1)) if len(vals) > 1 else float("nan")

    e = kt_unit / np.sqrt(np.maximum(hist[idx], 1))          # counting error: a floor for few resamples
    if bs is not None:
        e = np.maximum(e, np.nan_to_num(np.array([err_of(bs[:, i]) for i in range(len(v))]), nan=0.0))
    bars, basins = _extrema(v, e, 0.5 * kt_unit)
    x = d[idx]
    # ranges searched: a minimum in its basin, a barrier between the minima on either side
    mins = []
    for lo, hi in basins:
        i = lo + int(np.argmin(v[lo:hi + 1]))
        if not mins or mins[-1][0] != i:
            mins.append((i, lo, hi))
    items = [("min", i, lo, hi) for i, lo, hi in mins]
    for b in bars:
        lefts, rights = [m[0] for m in mins if m[0] < b], [m[0] for m in mins if m[0] > b]
        if lefts and rights:
            items.append(("bar", b, lefts[-1] + 1, rights[0] - 1))
    curves = [v] + (list(bs) if bs is not None else [])
    found = np.array([[_locate(x, cv, lo, hi, 1 if kind == "min" else -1, kt_unit) for kind, i, lo, hi in items] for cv in curves])
    gmin = int(np.argmin([found[0, k, 1] for k in range(len(mins))]))     # the lowest minimum (its fitted value)
    # found[curve, item] = (location, value, fitted); row 0 = the estimate, rows 1.. = bootstrap
    halfbin = 0.5 * float(np.min(np.diff(d))) if len(d) > 1 else 0.0
    def err_of(vals):
        vals = vals[np.isfinite(vals)]
        return float(np.std(vals, ddof=1)) if bs is not None and len(vals) > 1 else float("nan")

    def pm(val, e):
        return "%.3f +- %.3f" % (val, e) if np.isfinite(e) else "%.3f" % val
    lines = []
    where = {}
    for k, (kind, i, lo, hi) in enumerate(items):
        loc, val = found[0, k, 0], found[0, k, 1]
        le, ve = err_of(found[1:, k, 0]), err_of(found[1:, k, 1])
        if not found[0, k, 2]:               # a bin centre, not a vertex: known to half a bin at best
            le = max(le, halfbin) if np.isfinite(le) else le
        if kind == "min":
            where[i] = k
            lines.append("%s: minimum at d = %s A: %s %s%s" % (tag, pm(loc, le), pm(val, ve), unit, " (global)" if k == gmin else ""))
        else:
            kl, kr = where[max(m for m in where if m < i)], where[min(m[0] for m in mins if m[0] > i)]
            hl = found[:, k, 1] - found[:, kl, 1]
            hr = found[:, k, 1] - found[:, kr, 1]
            lines.append("%s: barrier at d = %s A: %s %s; %s above the minimum at %.3f A, %s above the minimum at %.3f A"
                         % (tag, pm(loc, le), pm(val, ve), unit, pm(hl[0], err_of(hl[1:])), found[0, kl, 0],
                            pm(hr[0], err_of(hr[1:])), found[0, kr, 0]))
    if not bars:
        lines.append("%s: no barrier (no interior maximum more than max(0.5 kT, 3 errors) above the minima on both sides)" % tag)
    return lines


def _locate(x, v, lo, hi, sign, within, half=3):
    """(location, value) of the minimum (sign 1) or maximum (-1) of v[lo..hi]: the vertex of a
    parabola fitted to the extreme bin and the bins next to it, up to `half` on each side and
    only while they stay within `within` (1 kT) of it, so that a parabola describes them (the
    extreme bin itself when there are not at least one on each side, the curvature is wrong
    or the vertex falls outside them). The third value is 1 for a vertex, 0 for a bin."""
    seg = sign * v[lo:hi + 1]
    if hi < lo or not np.any(np.isfinite(seg)):
        return float("nan"), float("nan"), 0.0
    i = lo + int(np.nanargmin(seg))
    j = [i]
    for step in (-1, 1):
        k = i + step
        while 0 <= k < len(v) and abs(k - i) <= half and np.isfinite(v[k]) and abs(v[k] - v[i]) <= within:
            j.append(k)
            k += step
    j = np.array(sorted(j))
    if j[0] < i < j[-1]:
        a, b, c = np.polyfit(x[j] - x[i], v[j], 2)
        if sign * a > 0:
            t = -b / (2 * a)
            if x[j[0]] - x[i] <= t <= x[j[-1]] - x[i]:
                return float(x[i] + t), float(c - b * b / (4 * a)), 1.0
    return float(x[i]), float(v[i]), 0.0


def _plot(path, d, cols, data, hists, unit_label, methods):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise PmfError("--plot needs matplotlib (Debian python3-matplotlib)")
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(7, 7), sharex=True, gridspec_kw={"height_ratios": [2, 1]})
    for m, colour in (("wham", "C0"), ("mbar", "C3")):
        if m not in methods:
            continue
        p, e = cols[m]
        ax.plot(d, p, color=colour, label=m.upper())
        if np.any(np.isfinite(e)):
            ax.fill_between(d, p - e, p + e, color=colour, alpha=0.3, lw=0)
    ax.set_ylabel("PMF (%s)" % unit_label)
    ax.legend()
    ax.grid(alpha=0.3)
    for h in hists:
        ax2.plot(d, h, lw=0.8)
    ax2.set_xlabel("d (A)")
    ax2.set_ylabel("window histograms")
    fig.tight_layout()
    fig.savefig(path, dpi=120)


# ---------------------------------------------------------------- command line

class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        sys.stderr.write("pmf.py: error: %s\n" % message)
        sys.exit(2)


def main(argv=None):
    ap = _Parser(prog="pmf.py", description="PMF from neckmd umbrella windows (WHAM and MBAR); docs/pmf.md")
    ap.add_argument("files", nargs="+", metavar="WINDOW.csv")
    ap.add_argument("--temp", type=float, required=True, help="temperature (K)")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--bins", type=int, help="number of bins (default 100)")
    g.add_argument("--bin-width", type=float, help="bin width (A)")
    ap.add_argument("--range", type=float, nargs=2, metavar=("LO", "HI"), help="PMF range (A)")
    ap.add_argument("--skip-ps", type=float, default=0.0, help="discard the first P ps of each window")
    u = ap.add_mutually_exclusive_group()
    u.add_argument("--kcal", dest="units", action="store_const", const="kcal_mol", help="kcal/mol (default)")
    u.add_argument("--kT", dest="units", action="store_const", const="kT", help="units of kT")
    ap.add_argument("--jacobian", action="store_true", help="add +2 kT ln d (dims xyz only)")
    ap.add_argument("--zero-at", type=float, metavar="D", help="zero at the bin nearest D (A)")
    ap.add_argument("--method", choices=("wham", "mbar", "both"), default="both")
    ap.add_argument("--bootstrap", type=int, default=50, metavar="B", help="block-bootstrap resamples (0: none)")
    ap.add_argument("--blocks", type=int, default=10, help="blocks per window (0: every sample a block)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tol", type=float, default=1e-7, help="convergence of the window free energies (kT)")
    ap.add_argument("--min-overlap", type=float, default=0.03, help="overlap warning threshold (fraction)")
    ap.add_argument("-o", dest="out", help="output CSV")
    ap.add_argument("--plot", help="output PNG")
    a = ap.parse_args(argv)
    units = a.units or "kcal_mol"
    if not a.temp > 0:
        ap.error("--temp must be positive (K)")
    if a.bins is not None and a.bins < 1:
        ap.error("--bins must be at least 1")
    if a.bin_width is not None and not a.bin_width > 0:
        ap.error("--bin-width must be positive")
    if a.range and not a.range[1] > a.range[0]:
        ap.error("--range LO HI needs LO < HI")
    if a.bootstrap < 0 or a.bootstrap == 1:
        ap.error("--bootstrap must be 0 or at least 2")
    try:
        run(a, units)
    except PmfError as e:
        sys.stderr.write("pmf.py: error: %s\n" % e)
        sys.exit(2)


def run(a, units):
    windows = [read_window(p, a.skip_ps) for p in a.files]
    _check_windows(windows, a.jacobian)
    lo, hi = a.range if a.range else (None, None)
    edges = default_edges(windows, a.bins or 100, a.bin_width, lo, hi)
    methods = ("wham", "mbar") if a.method == "both" else (a.method,)
    data = _Data(windows, a.temp, edges, need_samples="mbar" in methods, blocks=a.blocks)
    kt = data.kt
    scale = kt if units == "kcal_mol" else 1.0
    unit = "kcal/mol" if units == "kcal_mol" else "kT"
    d = data.centres
    ones = np.ones(len(data.x))
    cores = {"wham": _wham_core, "mbar": _mbar_core}
    full, boots, info = {}, {}, {}
    if len(data.x) == 0 or not np.any(data.counts(ones)[0] > 0):
        raise PmfError("no samples inside --range %g %g" % tuple(edges[[0, -1]]))
    for m in methods:
        pmf, f, it, change, conv, hist = cores[m](data, ones, a.tol)
        if a.jacobian:
            pmf = pmf + 2.0 * np.log(d)
        full[m], info[m] = pmf, (f, it, change, conv)
    # the zero: the bin nearest --zero-at with samples, or each method's minimum
    ref = {}
    for m in methods:
        fin = np.nonzero(np.isfinite(full[m]))[0]
        ref[m] = int(fin[np.argmin(np.abs(d[fin] - a.zero_at))]) if a.zero_at is not None else int(fin[np.argmin(full[m][fin])])
        full[m] = full[m] - full[m][ref[m]]
    # block bootstrap
    rng = np.random.default_rng(a.seed)
    for m in methods:
        boots[m] = []
    for b in range(a.bootstrap):
        c = data.resample(rng)
        for m in methods:
            pmf = cores[m](data, c, a.tol, info[m][0])[0]
            if a.jacobian:
                pmf = pmf + 2.0 * np.log(d)
            boots[m].append(pmf - pmf[ref[m]])
    errs = {}
    for m in methods:
        if a.bootstrap:
            bm = np.array(boots[m])
            bm = bm[np.isfinite(bm[:, ref[m]])]
            n_ok = np.sum(np.isfinite(bm), axis=0)
            mean = np.nansum(bm, axis=0) / np.maximum(n_ok, 1)
            sd = np.sqrt(np.nansum((bm - mean) ** 2, axis=0) / np.maximum(n_ok - 1, 1))
            errs[m] = np.where(n_ok >= 2, sd, np.nan)
            boots[m] = bm
        else:
            errs[m] = np.full(data.nb, np.nan)
            boots[m] = None
    overl, hists = _overlaps(data)

    # ---- summary
    out = []
    nper = [len(w.d) for w in windows]
    r0s = [w.r0 for w in windows]
    ks = sorted(set(w.k for w in windows))
    out.append("pmf.py: %d windows, r0 %.4g to %.4g A, K %s kcal/mol/A^2, dims %s, T %g K (kT %.6f kcal/mol)"
               % (len(windows), min(r0s), max(r0s), "/".join("%g" % k for k in ks), windows[0].dims, a.temp, kt))
    out.append("samples: %d (%d to %d per window%s); %d inside the %d bins of %.4g-%.4g A (width %.4g A)"
               % (sum(nper), min(nper), max(nper),
                  ", %d discarded in the first %g ps" % (sum(w.skipped for w in windows), a.skip_ps) if a.skip_ps > 0 else "",
                  int(hist.sum()), data.nb, edges[0], edges[-1], data.width[0]))
    warns = []
    if overl:
        i, j, o = min(overl, key=lambda t: t[2])
        out.append("overlap of adjacent windows (sum of min of normalised histograms): smallest %.1f %% (%s, %s)"
                   % (100 * o, windows[i].path, windows[j].path))
        for i, j, o in overl:
            if o < a.min_overlap:
                warns.append("WARNING: poor overlap: windows %s (r0 %g A) and %s (r0 %g A) overlap by %.2f %% (< %g %%): "
                             "the PMF between %g and %g A is unreliable; add windows in between or use softer springs"
                             % (windows[i].path, windows[i].r0, windows[j].path, windows[j].r0, 100 * o,
                                100 * a.min_overlap, windows[i].r0, windows[j].r0))
    # an empty bin that no window straddles (samples on both sides) cuts the windows in two unlinked sets
    dmin, dmax = np.array([w.d.min() for w in windows]), np.array([w.d.max() for w in windows])
    cut = [i for i in np.nonzero(hist == 0)[0] if dmin.min() < d[i] < dmax.max() and not np.any((dmin < d[i]) & (dmax > d[i]))]
    if cut:
        warns.append("WARNING: no window has samples on both sides of d = %.4g A%s: the free energies of the two sides are not "
                     "linked and the PMF across the gap is meaningless" % (d[cut[0]], " (and %d more such bins)" % (len(cut) - 1) if len(cut) > 1 else ""))
    out.extend(warns)
    names = {"wham": "WHAM", "mbar": "MBAR"}
    for m in methods:
        f, it, change, conv = info[m]
        out.append("%s: %s in %d iteration(s) (last change of the f_k %.2g kT, tolerance %g kT)"
                   % (names[m], "converged" if conv else "NOT CONVERGED", it, change, a.tol))
        if not conv:
            warns.append("WARNING: %s did not converge: change %.2g kT after %d iterations" % (names[m], change, it))
            out.append(warns[-1])
    zdesc = ("zero at the bin nearest d = %g A" % a.zero_at) if a.zero_at is not None else "zero at its minimum"
    jdesc = ("PMF(d) = -kT ln p(d) + 2 kT ln d (Jacobian removed: flat = no interaction)" if a.jacobian
             else "PMF(d) = -kT ln p(d) (includes the -2 kT ln d volume entropy of a 3-D distance)" if windows[0].dims == "xyz"
             else "PMF(d) = -kT ln p(d)")
    out.append("convention: %s, %s; errors: %s" % (jdesc, zdesc,
               "block bootstrap, %d resamples, %s per window, standard error relative to the zero bin"
               % (a.bootstrap, "%d blocks" % a.blocks if a.blocks > 0 else "single samples (naive, for independent samples only)") if a.bootstrap else "none (--bootstrap 0)"))
    for m in methods:
        if cut:
            out.append("%s: minima and barriers not given: the profile is cut at d = %.4g A (no window on both sides)" % (names[m], d[cut[0]]))
            continue
        bm = boots[m] * scale if boots[m] is not None else None
        out.extend(_describe(names[m], d, full[m] * scale, bm, unit, scale, hist))
    print("\n".join(out))

    # ---- output
    cols = {m: (full[m] * scale, errs[m] * scale) for m in methods}
    if a.out:
        sfx = "kcal_mol" if units == "kcal_mol" else "kT"
        nanc = np.full(data.nb, np.nan)
        try:
            fh = open(a.out, "w")
        except OSError as e:
            raise PmfError("cannot write '%s': %s" % (a.out, e.strerror))
        with fh:
            fh.write("# neckmd pmf.py: potential of mean force from %d umbrella windows\n" % len(windows))
            fh.write("# method: %s\n" % ", ".join(
                {"wham": "WHAM (Kumar et al., J. Comput. Chem. 13, 1011 (1992)) on the histograms",
                 "mbar": "MBAR (Shirts & Chodera, J. Chem. Phys. 129, 124105 (2008)) on the unbinned samples"}[m] for m in methods))
            fh.write("# T %g K, kB %.10g kcal/mol/K, kT %.8f kcal/mol; units %s\n" % (a.temp, KB, kt, unit))
            fh.write("# bins %d from %.8g to %.8g A (width %.8g A); d_A = bin centre\n" % (data.nb, edges[0], edges[-1], data.width[0]))
            fh.write("# convention: %s, %s\n" % (jdesc, zdesc))
            fh.write("# errors: %s\n" % ("block bootstrap, %d resamples, %s per window (seed %d), standard error relative to the zero bin"
                                         % (a.bootstrap, "%d blocks" % a.blocks if a.blocks > 0 else "single samples", a.seed)
                                         if a.bootstrap else "none (--bootstrap 0)"))
            for w in windows:
                fh.write("# window %s: restraint %s, groups %s %s, K %g %s, r0 %.8g A, dims %s, samples %d%s\n"
                         % (w.path, w.name, w.groups[0], w.groups[1], w.k, w.k_unit, w.r0, w.dims, len(w.d),
                            " (%d discarded in the first %g ps)" % (w.skipped, a.skip_ps) if a.skip_ps > 0 else ""))
            for m in methods:
                f, it, change, conv = info[m]
                fh.write("# %s: %s in %d iterations, change %.3g kT (tol %g); f_k (kT): %s\n"
                         % (names[m], "converged" if conv else "not converged", it, change, a.tol,
                            " ".join("%.6f" % x for x in f)))
            for s in warns:
                fh.write("# %s\n" % s)
            fh.write("d_A,pmf_wham_%s,err_wham_%s,pmf_mbar_%s,err_mbar_%s,samples\n" % ((sfx,) * 4))
            pw, ew = cols.get("wham", (nanc, nanc))
            pm, em = cols.get("mbar", (nanc, nanc))
            num = lambda x: "nan" if not np.isfinite(x) else "%.6f" % x
            for i in range(data.nb):
                fh.write("%.6f,%s,%s,%s,%s,%d\n" % (d[i], num(pw[i]), num(ew[i]), num(pm[i]), num(em[i]), int(hist[i])))
    if a.plot:
        _plot(a.plot, d, cols, data, [h * hist.sum() for h in hists], unit, methods)


if __name__ == "__main__":
    main()
