#!/bin/sh
# restraint.sh - groups, frozen atoms, displace, and the centre-of-mass distance restraint
# (issue 7): forces = -grad E by finite differences, work = energy change in NVE, the same
# numbers on 1/2/4 ranks and 2 threads, exact restart continuation, frozen atoms stay put,
# langevin on a group, clear errors. System: two 1000-atom PbSe cubes 6 A apart
# (tests/ref/two_nc_gap6), LJ + DSF (fast; the restraint does not depend on the pair style).
. "$top_srcdir/tests/regress/common.sh"
DATA=$REF/two_nc_gap6/two_nc_gap6.data
FF=$POT/pbse_lj_q129.ff
P=$PYTHON

head_deck() {
    cat <<EOD
read_data $DATA
forcefield $FF
pair_cutoff 10.0
coulomb dsf 0.2
group nc1 molecule 1
group nc2 molecule 2
EOD
}

# ---- 1. finite differences of the restraint alone (pair terms off): F = -dE/dx ----
{
    echo "read_data $DATA"
    echo "forcefield $FF"
    echo "pair_coeff Pb Pb none"; echo "pair_coeff Pb Se none"; echo "pair_coeff Se Se none"
    echo "pair_cutoff 8.0"
    echo "group nc1 molecule 1"
    echo "group nc2 id 1001:2000"
    echo "restraint r nc1 nc2 5.0 30.0"
    echo "restraint s nc1 nc2 2.0 35.0 dims xz"
    echo "thermo 1 fd.csv"
    echo "write_forces f.out"
    for id in 7 1234 1999; do
        echo "group a$id id $id"
        for d in 0 1 2; do
            dx="0 0 0"; mx="0 0 0"
            case $d in 0) dx="1e-3 0 0"; mx="-2e-3 0 0"; bx="1e-3 0 0";; 1) dx="0 1e-3 0"; mx="0 -2e-3 0"; bx="0 1e-3 0";; 2) dx="0 0 1e-3"; mx="0 0 -2e-3"; bx="0 0 1e-3";; esac
            echo "displace a$id $dx"; echo "run 0"
            echo "displace a$id $mx"; echo "run 0"
            echo "displace a$id $bx"
        done
    done
} >"$WORK/fd.in"
run_neckmd 1 1 fd.in "$WORK/fd.log" || { cat "$WORK/fd.log"; }
cat >"$WORK/fd.py" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open("fd.csv")))
F = {}
for line in open("f.out"):
    t = line.split()
    if len(t) == 4 and t[0].isdigit(): F[int(t[0])] = [float(v) for v in t[1:]]
# rows: run 0 of each displacement, two per (atom, dim), in deck order
pe = [float(r["pe"]) for r in rows]
er = [float(r["erestr"]) for r in rows]
assert len(pe) == 18, len(pe)
assert all(abs(a - b) < 1e-12 for a, b in zip(pe, er)), "pe must equal erestr with the pair terms off"
worst = 0.0
k = 0
for gid in (7, 1234, 1999):
    for d in range(3):
        fd = -(pe[k] - pe[k + 1]) / 2e-3
        k += 2
        err = abs(fd - F[gid][d])
        worst = max(worst, err / max(1e-6, abs(F[gid][d])))
        print(f"atom {gid} dim {d}: analytic {F[gid][d]:.10e} fd {fd:.10e}")
        assert err < 1e-7 + 1e-5 * abs(F[gid][d]), (gid, d, fd, F[gid][d])
s1 = [sum(F[i][d] for i in range(1, 1001)) for d in range(3)]
s2 = [sum(F[i][d] for i in range(1001, 2001)) for d in range(3)]
assert all(abs(a + b) < 1e-9 for a, b in zip(s1, s2)), (s1, s2)
print("net force on nc2", s2, "worst rel err", worst)
EOF
check "restraint forces = -dE/dx by finite differences (two restraints, dims xyz and xz, 9 components); net forces cancel" sh -c "cd $WORK && $P fd.py"

# ---- 2. steered pull in NVE: etotal(t) - etotal(0) = work (LJ shifted + DSF: no energy
# jumps at the cutoff, so the NVE error is ~0.3 % of the work) ----
steer_deck() { # $1 = extra lines before run
    head_deck
    cat <<EOD
pair_modify shift yes
restraint pull nc1 nc2 20.0 current rate -0.002 file pull.csv every 10
thermo 10 steer.csv
record steer.json
velocity 300 11
integrate nve
timestep 1.0
$1
run 400
EOD
}
steer_deck "" >"$WORK/steer.in"
run_neckmd 1 1 steer.in "$WORK/steer.log" || cat "$WORK/steer.log"
cat >"$WORK/steer.py" <<'EOF'
import csv
t = list(csv.DictReader(open("steer.csv")))
p = [r for r in csv.DictReader(l for l in open("pull.csv") if not l.startswith("#"))]
w = float(p[-1]["work_kcal_mol"])
de = float(t[-1]["etotal"]) - float(t[0]["etotal"])
tg = float(p[-1]["target_A"]) - float(p[0]["target_A"])
print(f"work {w:.6f} kcal/mol, etotal change {de:.6f}, target moved {tg:.6f} A")
assert abs(tg + 0.8) < 1e-9, tg
assert abs(w) > 1.0, "the pull must do measurable work"
assert abs(de - w) < 0.02 * abs(w), (de, w)
# work = integral of -K (d - d0) dd0 (trapezoid over the rows)
acc = 0.0
for a, b in zip(p, p[1:]):
    acc += 0.5 * (float(a["force_kcal_mol_A"]) + float(b["force_kcal_mol_A"])) * (float(b["target_A"]) - float(a["target_A"]))
print(f"integral of F dd0 {acc:.6f}")
assert abs(acc - w) < 0.02 * abs(w), (acc, w)
EOF
check "steered pull (NVE, 400 fs): etotal change = accumulated work = integral of F dd0 (2 %)" sh -c "cd $WORK && $P steer.py"

# ---- 3. ranks and threads: the same restraint rows ----
cp "$WORK/pull.csv" "$WORK/pull.1.csv"
for v in "2 1" "4 1" "1 2"; do
    set -- $v
    run_neckmd $1 $2 steer.in "$WORK/steer.$1.$2.log" || cat "$WORK/steer.$1.$2.log"
    cp "$WORK/pull.csv" "$WORK/pull.$1x$2.csv"
    check "restraint rows on $1 ranks x $2 threads = 1 rank (rel 1e-9)" $P - "$WORK/pull.1.csv" "$WORK/pull.$1x$2.csv" <<'EOF'
import sys
a = [l.strip().split(",") for l in open(sys.argv[1]) if l[0].isdigit()]
b = [l.strip().split(",") for l in open(sys.argv[2]) if l[0].isdigit()]
assert len(a) == len(b) == 41, (len(a), len(b))
for ra, rb in zip(a, b):
    for x, y in zip(ra, rb):
        x, y = float(x), float(y)
        assert abs(x - y) <= 1e-9 * max(1.0, abs(x)), (ra[0], x, y)
EOF
done

# ---- 4. restart: 400 steps = 200 + read_restart + 200, restraint rows and work bitwise ----
run_neckmd 2 1 steer.in "$WORK/full.log" || cat "$WORK/full.log"
cp "$WORK/pull.csv" "$WORK/pull.full.csv"
steer_deck "restart 200 steer.rst" | sed 's/^run 400/run 200/' >"$WORK/half.in"
run_neckmd 2 1 half.in "$WORK/half.log" || cat "$WORK/half.log"
cat >"$WORK/cont.in" <<EOD
read_restart steer.rst
forcefield $FF
pair_cutoff 10.0
coulomb dsf 0.2
pair_modify shift yes
group nc1 molecule 1
group nc2 molecule 2
restraint pull nc1 nc2 20.0 current rate -0.002 file pull.csv every 10
thermo 10 cont.csv
integrate nve
run 200
EOD
# a killed job may have written rows past the restart: they must be dropped, not duplicated
echo "390,junk" >>"$WORK/pull.csv"
run_neckmd 2 1 cont.in "$WORK/cont.log" || cat "$WORK/cont.log"
check "restraint continues exactly from a restart: rows, target and work identical to an uninterrupted run, rows past the restart dropped" cmp "$WORK/pull.full.csv" "$WORK/pull.csv"
check "the continuation says it took the restraint state from the restart" grep -q "from the restart" "$WORK/cont.log"

# ---- 5. frozen atoms, minimisation of a group, langevin on a group ----
{
    head_deck
    cat <<EOD
freeze nc1
velocity 300 5
integrate langevin 300 100 9
thermo 50 frz.csv
run 100
minimize 0 1e-3 50 500 cg group nc2
write_data frz.data
freeze none
minimize 0 1e-3 5 50 fire group nc1
write_data frz2.data
EOD
} >"$WORK/frz.in"
run_neckmd 2 1 frz.in "$WORK/frz.log" || cat "$WORK/frz.log"
cat >"$WORK/frz.py" <<'EOF'
import csv, sys
def atoms(path):
    out, on = {}, False
    for l in open(path):
        t = l.split()
        if l.startswith("Atoms"): on = True; continue
        if on and (l.startswith("Velocities") or l.startswith("Bonds")): break
        if on and len(t) >= 7: out[int(t[0])] = [float(v) for v in t[4:7]]
    return out
a0, a1, a2 = atoms(sys.argv[1]), atoms("frz.data"), atoms("frz2.data")
m1 = max(abs(a1[i][d] - a0[i][d]) for i in range(1, 1001) for d in range(3))
m2 = max(abs(a1[i][d] - a0[i][d]) for i in range(1001, 2001) for d in range(3))
m3 = max(abs(a2[i][d] - a1[i][d]) for i in range(1001, 2001) for d in range(3))
m4 = max(abs(a2[i][d] - a1[i][d]) for i in range(1, 1001) for d in range(3))
print(f"nc1 (frozen) moved {m1:.3g} A, nc2 moved {m2:.3g} A; minimise group nc1: nc2 moved {m3:.3g}, nc1 {m4:.3g}")
assert m1 == 0.0 and m2 > 0.01 and m3 == 0.0 and m4 > 0.0
t = list(csv.DictReader(open("frz.csv")))
# temperature over the mobile atoms' degrees of freedom: 3 (2000 - 1000) - 3
kb = 0.0019872067
for r in t:
    T = 2 * float(r["ke"]) / ((3 * 1000 - 3) * kb)
    assert abs(T - float(r["temp_K"])) < 1e-6 * T, (T, r["temp_K"])
assert abs(float(t[0]["temp_K"]) - 300) < 1e-6, t[0]["temp_K"]
EOF
check "freeze: frozen atoms do not move in Langevin MD or minimisation; minimize ... group G moves only G; T counts the mobile atoms only" sh -c "cd $WORK && $P frz.py $DATA"

lang_deck() { # $1 = integrate line, $2 = thermo file
    head_deck
    echo "group none empty"
    echo "velocity 300 5"
    echo "$1"
    echo "thermo 20 $2"
    echo "run 60"
}
lang_deck "integrate langevin 300 100 9" l_all.csv >"$WORK/l1.in"
lang_deck "integrate langevin 300 100 9 group all" l_grp.csv >"$WORK/l2.in"
lang_deck "integrate nve" l_nve.csv >"$WORK/l3.in"
lang_deck "integrate langevin 300 100 9 group none" l_none.csv >"$WORK/l4.in"
for k in 1 2 3 4; do run_neckmd 1 1 l$k.in "$WORK/l$k.log" || cat "$WORK/l$k.log"; done
check "langevin ... group all = langevin" cmp "$WORK/l_all.csv" "$WORK/l_grp.csv"
check "langevin ... group (empty) = nve" cmp "$WORK/l_nve.csv" "$WORK/l_none.csv"
check "langevin on a group differs from nve (the thermostat acts)" sh -c "! cmp -s $WORK/l_all.csv $WORK/l_nve.csv"

# ---- 6. group styles: counts ----
awk '/^Atoms/{on=1;next} on&&NF>=7{print $1, $2, "core"}' "$DATA" >"$WORK/two.ncid"
{
    head_deck
    cat <<EOD
group pb type Pb
group se type 2
group pb2 intersect nc2 pb
group both union nc1 nc2
group rest subtract both nc1 pb
group ids id 1:10 20 1995:2000
group left region x 0 40
group ncf nc two.ncid 2
group ncf12 nc two.ncid 1:2
group none empty
EOD
} >"$WORK/grp.in"
run_neckmd 2 1 grp.in "$WORK/grp.log" || cat "$WORK/grp.log"
for want in "pb: 1000" "se: 1000" "pb2: 500" "both: 2000" "rest: 500" "ids: 17" "left: 700" "ncf: 1000" "ncf12: 2000" "none: 0"; do
    check "group $want atoms" grep -q "^group $want atoms" "$WORK/grp.log"
done

# ---- 7. errors: file, line and what was expected; nothing runs ----
err_case() { # description, expected text, deck lines...
    d=$1 want=$2; shift 2
    { head_deck; printf '%s\n' "$@"; } >"$WORK/err.in"
    if run_neckmd 2 1 err.in "$WORK/err.log"; then notok "$d (exit status 0)"; return; fi
    if grep -q -- "$want" "$WORK/err.log"; then ok "$d"; else notok "$d"; sed 's/^/# /' "$WORK/err.log" | tail -5; fi
}
err_case "restraint on an unknown group" "err.in:8: no group named 'ncx'" "thermo 1" "restraint r nc1 ncx 5 30"
err_case "restraint on overlapping groups" "atoms are in both nc1 and all2" "group all2 union nc1 nc2" "restraint r nc1 all2 5 30"
err_case "restraint with a negative K (checked before anything runs)" "err.in:7: restraint: expected NAME G1 G2 K" "restraint r nc1 nc2 -5 30" "run 10"
err_case "restraint file in a missing directory (checked before anything runs)" "err.in:8: restraint: cannot write 'nodir/r.csv'" "run 0" "restraint r nc1 nc2 5 30 file nodir/r.csv"
err_case "group with a bad style" "err.in:7: group: expected" "group g1 molecule one"
err_case "group region LO >= HI" "region x|y|z LO HI" "group g1 region x 5 1"
err_case "group nc with a missing file" "cannot open 'nope.ncid'" "group g1 nc nope.ncid 1"
err_case "freeze all" "every atom would be fixed" "freeze all"
err_case "displace beyond half the box" "exceeds half the box" "displace nc1 60 0 0"
finish
