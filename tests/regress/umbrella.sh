#!/bin/sh
# umbrella.sh - end to end: umbrella windows run by the engine (restraint command, Langevin)
# on two Lennard-Jones atoms, PMF by analysis/pmf.py (WHAM and MBAR), compared with the exact
# answer: the PMF along a 3-D distance is U(r) - 2 kT ln r, so with --jacobian it is U(r),
# the LJ pair energy itself, up to a constant. (issue 7; ~15 s)
. "$top_srcdir/tests/regress/common.sh"
P=$PYTHON
cat >"$WORK/two.data" <<'EOF'
two LJ atoms (umbrella test)

2 atoms
1 atom types

0 40 xlo xhi
0 40 ylo yhi
0 40 zlo zhi

Masses

1 39.948 # Ar

Atoms # full

1 1 1 0.0 18.0 20.0 20.0
2 2 1 0.0 22.0 20.0 20.0
EOF
# LJ eps 0.5 kcal/mol, sigma 3.4 A: minimum at 3.816 A, depth 0.5 kcal/mol (about 0.84 kT at 300 K)
windows=""
i=0
for r0 in 3.3 3.6 3.9 4.2 4.5 4.8 5.1 5.4 5.7 6.0; do
    i=$((i + 1))
    cat >"$WORK/w$i.in" <<EOD
read_data two.data
pair_coeff Ar Ar lj 0.5 3.4
pair_cutoff 12.0
pair_modify shift yes
group a id 1
group b id 2
restraint w a b 12.0 $r0 file w$i.csv every 10
velocity 300 $i
integrate langevin 300 200 $((100 + i))
timestep 2.0
thermo 0
run 2000
restraint w off
restraint w a b 12.0 $r0 file w$i.csv every 10
run 150000
EOD
    run_neckmd 1 1 "w$i.in" "$WORK/w$i.log" || { sed 's/^/# /' "$WORK/w$i.log" | tail -5; }
    windows="$windows w$i.csv"
done
check "ten umbrella windows ran (150,000 steps each, a row every 10 steps)" sh -c "cd $WORK && for f in $windows; do test \$(grep -c '^[0-9]' \$f) -eq 15001 || exit 1; done"
(cd "$WORK" && $P "$top_srcdir/analysis/pmf.py" --temp 300 --jacobian --bin-width 0.1 --range 3.3 6.0 --bootstrap 20 -o pmf.csv $windows >pmf.out 2>&1) || sed 's/^/# /' "$WORK/pmf.out"
sed 's/^/# /' "$WORK/pmf.out" | head -20
cat >"$WORK/cmp.py" <<'EOF'
import csv, math
rows = [r for r in csv.DictReader(l for l in open("pmf.csv") if not l.startswith("#"))]
eps, sig, rc = 0.5, 3.4, 12.0
def U(r): return 4 * eps * ((sig / r) ** 12 - (sig / r) ** 6) - 4 * eps * ((sig / rc) ** 12 - (sig / rc) ** 6)
for col in ("pmf_wham_kcal_mol", "pmf_mbar_kcal_mol"):
    pts = [(float(r["d_A"]), float(r[col])) for r in rows if r[col] not in ("", "nan") and 3.35 <= float(r["d_A"]) <= 5.95]
    assert len(pts) >= 20, len(pts)
    # align by the mean difference (the PMF's zero is arbitrary)
    off = sum(p - U(d) for d, p in pts) / len(pts)
    dev = [p - off - U(d) for d, p in pts]
    rms = math.sqrt(sum(x * x for x in dev) / len(dev))
    worst = max(abs(x) for x in dev)
    dmin = min(pts, key=lambda t: t[1])[0]
    print(f"{col}: {len(pts)} bins, rms deviation from U(r) {rms:.3f} kcal/mol, worst {worst:.3f}, minimum at {dmin:.2f} A (exact 3.82)")
    assert rms < 0.06 and worst < 0.2, (rms, worst)
    assert abs(dmin - 3.816) < 0.25, dmin
EOF
check "PMF from engine windows (WHAM and MBAR, --jacobian) = the LJ pair energy within 0.06 kcal/mol RMS, minimum at 3.82 A" sh -c "cd $WORK && $P cmp.py"
finish
