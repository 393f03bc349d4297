#!/usr/bin/python3
"""Run LAMMPS on the neckmd reference cases and write the reference files.

Developer tool (needs `lmp`, e.g. Debian package lammps); never run by tests.
Called by run_lammps.sh after make_data.py.  Stdlib only.

For every case and method:
  1. probe run: the plain input (kspace_style <style> <accuracy>, LAMMPS picks
     g_ewald / kmax / grid itself) -> parse the values LAMMPS printed;
  2. final run: the same input plus kspace_modify lines that pin exactly those
     printed values (gewald, kmax/ewald or mesh+order), so the committed input
     is fully explicit.  The probe-vs-final difference is printed (it is ~1e-9
     relative or less, g_ewald being printed with 8 digits).
The final input is written to <case>/in.<method>.lmp, its log to
<case>/log.<method>.lammps (if < 100 kB), and the parsed results to
<case>/<method>.energy and <case>/<method>.forces.  Dumps stay in a scratch dir.

Usage: python3 lammps_ref.py [case ...]     (default: all cases, plus the relax check)
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FF = "/work/shared/reference/lammps/ff_pbse.json"
LMP = os.environ.get("LMP", "lmp")
CUT = 12.0

CASES = {  # case: (data file, ff set, methods)
    "bulk_4x4x4": ("bulk_4x4x4.data", "buck", ["ewald", "pppm", "pppm5", "dsf", "cut"]),
    "bulk_4x4x4_rattled": ("bulk_4x4x4_rattled.data", "buck", ["ewald", "pppm", "pppm5", "dsf", "cut"]),
    "nc_cube_3nm": ("nc_cube_3nm.data", "buck", ["ewald", "pppm", "pppm5", "dsf", "cut"]),
    "two_nc_gap6": ("two_nc_gap6.data", "buck", ["ewald", "pppm", "pppm5", "dsf", "cut"]),
    "bulk_lj": ("bulk_4x4x4_rattled.data", "lj", ["ewald", "pppm", "pppm5"]),
}
KSPACE = {"ewald": ("ewald", "1e-10"), "pppm": ("pppm", "1e-6"), "pppm5": ("pppm", "1e-5")}
EWALD_ACC = os.environ.get("EWALD_ACC")  # optional override, e.g. 1e-9


def ff_lines(form):
    ff = json.load(open(FF))
    s = ff["sets"]["pbse_buck_surrogate" if form == "buck" else "pbse_lj_q129"]
    pairs = [("1 1", "Pb-Pb"), ("1 2", "Pb-Se"), ("2 2", "Se-Se")]
    out = {}
    if form == "buck":
        P = s["pairs"]
        out["buck"] = ["pair_coeff %s %s %s %s  # %s" % (ij, repr(P[k]["A"]), repr(P[k]["rho"]),
                                                         repr(P[k]["C"]), k) for ij, k in pairs]
        # born/coul/dsf: A rho sigma C D with sigma = 0, D = 0 -> A exp(-r/rho) - C/r^6
        out["born"] = ["pair_coeff %s %s %s 0.0 %s 0.0  # %s" % (ij, repr(P[k]["A"]), repr(P[k]["rho"]),
                                                                 repr(P[k]["C"]), k) for ij, k in pairs]
    else:
        P = s["pairs"]
        out["lj"] = ["pair_coeff %s %s %s  # %s (explicit, no mixing)" % (ij, repr(P[k]["epsilon"]),
                                                                         repr(P[k]["sigma"]), k)
                     for ij, k in pairs]
    return out


def make_input(case, method, pins=None):
    data, form, _ = CASES[case]
    ffl = ff_lines(form)
    setname = "pbse_buck_surrogate (SURROGATE, not a published set)" if form == "buck" else "pbse_lj_q129"
    L = ["# neckmd reference: case %s, method %s, force field %s from ff_pbse.json" % (case, method, setname),
         "units real", "atom_style full", "boundary p p p",
         "read_data %s" % data,
         "set type 1 charge 1.29", "set type 2 charge -1.29", "mass 1 207.2", "mass 2 78.971"]
    if method in KSPACE:
        style, acc = KSPACE[method]
        if method == "ewald" and EWALD_ACC:
            acc = EWALD_ACC
        if form == "buck":
            L.append("pair_style buck/coul/long %.1f" % CUT)
            L += ffl["buck"]
        else:
            L.append("pair_style lj/cut/coul/long %.1f %.1f" % (CUT, CUT))
            L += ffl["lj"]
    elif method == "dsf":
        L.append("pair_style born/coul/dsf 0.2 %.1f" % CUT)
        L += ffl["born"]
    elif method == "cut":
        L.append("pair_style buck/coul/cut %.1f" % CUT)
        L += ffl["buck"]
    L.append("pair_modify shift no tail no table 0")
    if method in KSPACE:
        L.append("kspace_style %s %s" % (style, acc))
        if pins:
            if style == "ewald":
                L.append("kspace_modify gewald %s kmax/ewald %d %d %d  # values LAMMPS chose for accuracy %s"
                         % (pins["g_ewald"], pins["kxmax"], pins["kymax"], pins["kzmax"], acc))
            else:
                L.append("kspace_modify gewald %s mesh %d %d %d order %d  # values LAMMPS chose for accuracy %s"
                         % (pins["g_ewald"], pins["nx"], pins["ny"], pins["nz"], pins["order"], acc))
    L += ["neighbor 2.0 bin", "neigh_modify every 1 delay 0 check yes",
          "thermo_style custom step pe evdwl ecoul elong epair press pxx pyy pzz pxy pxz pyz",
          "thermo_modify norm no format float %.15g",
          "dump f all custom 1 forces.%s.dump id type fx fy fz" % method,
          "dump_modify f sort id format float %.15g",
          "run 0"]
    return "\n".join(L) + "\n"


THERMO_KEYS = ["step", "pe", "evdwl", "ecoul", "elong", "epair", "press",
               "pxx", "pyy", "pzz", "pxy", "pxz", "pyz"]


def parse_log(path):
    txt = open(path).read()
    r = {"version": txt.splitlines()[0].strip()}
    lines = txt.splitlines()
    for i, l in enumerate(lines):
        if l.split()[:2] == ["Step", "PotEng"]:
            vals = lines[i + 1].split()
            r["thermo"] = dict(zip(THERMO_KEYS, vals))
        m = re.search(r"(\d+) atoms$", l.strip())
        if m and "natoms" not in r and l.strip().split()[1:] == ["atoms"]:
            r["natoms"] = int(m.group(1))
    m = re.search(r"G vector \(1/distance\) = (\S+)", txt)
    if m:
        r["g_ewald"] = m.group(1)
    m = re.search(r"kxmax kymax kzmax\s*=\s*(\d+) (\d+) (\d+)", txt)
    if m:
        r["kxmax"], r["kymax"], r["kzmax"] = map(int, m.groups())
    m = re.search(r"actual max1d max3d = (\d+) (\d+) (\d+)", txt)
    if m:
        r["kcount"], r["kmax1d"], r["kmax3d"] = map(int, m.groups())
    m = re.search(r"grid = (\d+) (\d+) (\d+)", txt)
    if m:
        r["nx"], r["ny"], r["nz"] = map(int, m.groups())
    m = re.search(r"stencil order = (\d+)", txt)
    if m:
        r["order"] = int(m.group(1))
    m = re.search(r"estimated absolute RMS force accuracy = (\S+)", txt)
    if m:
        r["est_abs_force_accuracy"] = m.group(1)
    m = re.search(r"estimated relative force accuracy = (\S+)", txt)
    if m:
        r["est_rel_force_accuracy"] = m.group(1)
    if "thermo" not in r:
        raise RuntimeError("no thermo output in " + path)
    return r


def run(workdir, case, method, text):
    inp = os.path.join(workdir, "in.%s.lmp" % method)
    open(inp, "w").write(text)
    log = "log.%s.lammps" % method
    p = subprocess.run([LMP, "-in", os.path.basename(inp), "-log", log, "-screen", "none", "-nocite"],
                       cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0:
        sys.stderr.write(p.stdout.decode(errors="replace"))
        raise RuntimeError("lmp failed for %s %s" % (case, method))
    return parse_log(os.path.join(workdir, log))


def read_dump(path):
    lines = open(path).read().splitlines()
    i = next(k for k, l in enumerate(lines) if l.startswith("ITEM: ATOMS"))
    cols = lines[i].split()[2:]
    out = []
    for l in lines[i + 1:]:
        v = dict(zip(cols, l.split()))
        out.append((int(v["id"]), float(v["fx"]), float(v["fy"]), float(v["fz"])))
    out.sort()
    return out


def g(x):
    return "%.15g" % float(x)


def do_case(case, scratch):
    data, form, methods = CASES[case]
    cdir = os.path.join(HERE, case)
    wd = os.path.join(scratch, case)
    os.makedirs(wd, exist_ok=True)
    shutil.copyfile(os.path.join(cdir, data), os.path.join(wd, data))
    for method in methods:
        pins = None
        probe = None
        if method in KSPACE:
            probe = run(wd, case, method, make_input(case, method))
            pins = probe
        text = make_input(case, method, pins)
        r = run(wd, case, method, text)
        if probe:
            for k in ("g_ewald", "kxmax", "kymax", "kzmax", "nx", "ny", "nz", "order", "kcount"):
                if k in probe and probe.get(k) != r.get(k):
                    raise RuntimeError("%s %s: pinned run changed %s: %s -> %s" % (case, method, k, probe[k], r.get(k)))
            d = abs(float(r["thermo"]["pe"]) - float(probe["thermo"]["pe"])) / abs(float(probe["thermo"]["pe"]))
            print("  %s %s: |pe(pinned) - pe(probe)|/|pe| = %.3g" % (case, method, d))
        shutil.copyfile(os.path.join(wd, "in.%s.lmp" % method), os.path.join(cdir, "in.%s.lmp" % method))
        logp = os.path.join(wd, "log.%s.lammps" % method)
        dst_log = os.path.join(cdir, "log.%s.lammps" % method)
        if os.path.getsize(logp) < 100000:
            shutil.copyfile(logp, dst_log)
        elif os.path.exists(dst_log):
            os.remove(dst_log)
        th = r["thermo"]
        E = ["# made by: lmp -in in.%s.lmp (%s)" % (method, r["version"])]
        for k in ["pe", "evdwl", "ecoul", "elong", "press", "pxx", "pyy", "pzz", "pxy", "pxz", "pyz"]:
            E.append("%s %s" % (k, g(th[k])))
        E.append("natoms %d" % r["natoms"])
        E.append("cutoff %s" % g(CUT))
        if method in KSPACE:
            acc = KSPACE[method][1] if not (method == "ewald" and EWALD_ACC) else EWALD_ACC
            E.append("kspace_accuracy %s" % g(acc))
            E.append("g_ewald %s" % g(r["g_ewald"]))
            if method == "ewald":
                E += ["kxmax %d" % r["kxmax"], "kymax %d" % r["kymax"], "kzmax %d" % r["kzmax"],
                      "kcount %d" % r["kcount"]]
            else:
                E += ["nx %d" % r["nx"], "ny %d" % r["ny"], "nz %d" % r["nz"], "order %d" % r["order"]]
            E += ["est_abs_force_accuracy %s" % g(r["est_abs_force_accuracy"]),
                  "est_rel_force_accuracy %s" % g(r["est_rel_force_accuracy"])]
        if method == "dsf":
            E.append("dsf_alpha %s" % g(0.2))
        open(os.path.join(cdir, "%s.energy" % method), "w").write("\n".join(E) + "\n")
        F = read_dump(os.path.join(wd, "forces.%s.dump" % method))
        assert len(F) == r["natoms"] and [f[0] for f in F] == list(range(1, r["natoms"] + 1))
        with open(os.path.join(cdir, "%s.forces" % method), "w") as f:
            f.write("# id fx fy fz (kcal/mol/A)\n")
            for (i, fx, fy, fz) in F:
                f.write("%d %s %s %s\n" % (i, g(fx), g(fy), g(fz)))
        print("%s %s: pe %s" % (case, method, g(th["pe"])))


RELAX_IN = """# neckmd reference check: relax the perfect bulk_4x4x4 lattice (isotropic box only), surrogate Buckingham set
units real
atom_style full
boundary p p p
read_data bulk_4x4x4.data
set type 1 charge 1.29
set type 2 charge -1.29
mass 1 207.2
mass 2 78.971
pair_style buck/coul/long 12.0
%s
pair_modify shift no tail no table 0
kspace_style ewald 1e-8
neighbor 2.0 bin
neigh_modify every 1 delay 0 check yes
thermo_style custom step pe press lx
thermo_modify norm no format float %%.15g
thermo 10
fix r all box/relax iso 0.0
minimize 0 1e-12 10000 100000
print "RELAXED lx $(lx:%%.15g) pe $(pe:%%.15g) press $(press:%%.15g)"
"""


def do_relax(scratch):
    wd = os.path.join(scratch, "relax")
    os.makedirs(wd, exist_ok=True)
    shutil.copyfile(os.path.join(HERE, "bulk_4x4x4", "bulk_4x4x4.data"), os.path.join(wd, "bulk_4x4x4.data"))
    text = RELAX_IN % "\n".join(ff_lines("buck")["buck"])
    open(os.path.join(wd, "in.relax.lmp"), "w").write(text)
    p = subprocess.run([LMP, "-in", "in.relax.lmp", "-log", "log.relax.lammps", "-screen", "none", "-nocite"],
                       cwd=wd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0:
        sys.stderr.write(p.stdout.decode(errors="replace"))
        raise RuntimeError("relax failed")
    txt = open(os.path.join(wd, "log.relax.lammps")).read()
    m = re.search(r"^RELAXED lx (\S+) pe (\S+) press (\S+)", txt, re.M)
    lx, pe, press = (float(x) for x in m.groups())
    stop = re.search(r"Stopping criterion = (.*)", txt).group(1).strip()
    iters = re.search(r"Iterations, force evaluations = (\d+) (\d+)", txt).groups()
    rows = []
    for blk in re.findall(r"^Step PotEng Press Lx\s*\n(.*?)^Loop time", txt, re.S | re.M):
        rows += [l.split() for l in blk.splitlines() if len(l.split()) == 4]
    settled = next(int(r[0]) for r in rows if float(r[3]) == lx)
    shutil.copyfile(os.path.join(wd, "in.relax.lmp"), os.path.join(HERE, "bulk_4x4x4", "in.relax.lmp"))
    out = ["# made by: lmp -in in.relax.lmp (%s)" % txt.splitlines()[0].strip(),
           "# command: fix r all box/relax iso 0.0 ; minimize 0 1e-12 10000 100000 (kspace_style ewald 1e-8,",
           "#          buck/coul/long 12.0, pbse_buck_surrogate, start a = 6.12 A, perfect lattice)",
           "# minimizer stopping criterion: %s; iterations, force evaluations = %s %s" % (stop, iters[0], iters[1]),
           "# (ftol 1e-12 is below the attainable force norm; lx reached its final value by step %d" % settled,
           "#  of the thermo output (every 10 steps) and stayed there; final press = %.3g atm)" % press,
           "a_relaxed %.15g" % (lx / 4.0),
           "box_length %.15g" % lx,
           "pe %.15g" % pe,
           "press %.15g" % press]
    open(os.path.join(HERE, "bulk_4x4x4", "relax.txt"), "w").write("\n".join(out) + "\n")
    print("relax: a = %.10g A, pe = %.15g, press = %.6g atm (%s)" % (lx / 4.0, pe, press, stop))


def main():
    cases = sys.argv[1:] or list(CASES) + ["relax"]
    scratch = tempfile.mkdtemp(prefix="neckmd_ref_")
    for c in cases:
        if c == "relax":
            do_relax(scratch)
        else:
            do_case(c, scratch)
    print("scratch (dumps, big logs):", scratch)


if __name__ == "__main__":
    main()
