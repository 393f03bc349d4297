#!/bin/sh
# The system builder, `neckmd build` (issue 4; docs/build.md). Independent checks by
# tests/regress/build_check.py on the files it writes:
#  - atom counts, stoichiometry and exact neutrality (N_oleate = 2 (N_Pb - N_Se), per NC and in
#    total), NC ids (core atoms of NC k are molecule k; the .ncid side file);
#  - coverage per facet family recounted from the bound Pb, within 10 % of the request;
#    Pb-terminated {111} facets; every carboxylate O 2.4 A from its Pb;
#  - closest contacts by class (ligands >= 2.8 A, solvent >= 2.3 A, NC cores >= 2.5 A);
#  - solvent count and density over the free volume (EG and EDA), the excluded volume;
#  - pair gap, monolayer spacing, slab systems (9 pairs = 3x3x2; an oleate in the gap);
#  - determinism (same arguments and seed: identical files; another seed: not);
#  - bad arguments (negative gap, coverage beyond the surface sites, box too small, ...) stop
#    with one clear error and leave no file;
#  - the 20-layer pair with oleate in EG builds in under a minute;
#  - LAMMPS reads a built file (if /usr/bin/lmp is there);
#  - a small built system (4-layer cube, 2 oleates, EG box) minimises and runs 200 NVT steps
#    with the deck the builder wrote, without losing atoms.
. "$top_srcdir/tests/regress/common.sh"
CHK="$PYTHON $top_srcdir/tests/regress/build_check.py"
B() { (cd "$WORK" && "$NECKMD" build --potentials "$POT" "$@"); }
# run checks into a file, then count them (a pipe into tap_pipe would lose the count)
C() { "$@" > "$WORK/chk.out" 2>&1; tap_pipe < "$WORK/chk.out"; }
export OMP_NUM_THREADS=2

# the molecule templates are copies of the reference molecules
same=1
for m in oleate eg eda; do cmp -s "$REF/mol/${m}_single.data" "$POT/molecules/${m}_single.data" || same=0; done
if [ $same = 1 ]; then ok "potentials/molecules/*_single.data identical to tests/ref/mol/"; else notok "potentials/molecules differ from tests/ref/mol"; fi

if "$NECKMD" build --help | grep -q -- "--oleate-111"; then ok "neckmd build --help lists the options"; else notok "neckmd build --help"; fi

# 1. bare 6-layer cube: 216 atoms, 108 Pb + 108 Se
if B --shape cube --layers 6 --strip all -o cube > "$WORK/cube.out" 2>&1; then
    n=$(sed -n 's/^\([0-9]*\) atoms$/\1/p' "$WORK/cube.data")
    if [ "$n" = 216 ] && grep -q '"Pb": 108, "Se": 108, "oleate": 0' "$WORK/cube.build.json"; then ok "bare 6-layer cube: 216 atoms, 108 Pb + 108 Se"; else notok "bare cube: $n atoms"; fi
    C $CHK counts "$WORK/cube"
else notok "bare cube build failed"; sed 's/^/# /' "$WORK/cube.out"; fi

# 2. the paper's 6.2 nm NC (20 layers, truncated octahedron), 0.5 / 3.0 oleates per nm^2
if B --layers 20 --oleate-100 0.5 --oleate-111 3.0 --seed 3 -o oct > "$WORK/oct.out" 2>&1; then
    { $CHK counts "$WORK/oct"; $CHK coverage "$WORK/oct" 0.10; $CHK pbterm "$WORK/oct"; $CHK contacts "$WORK/oct" 2.8 2.3; } > "$WORK/chk.out" 2>&1; tap_pipe < "$WORK/chk.out"
else notok "20-layer octahedron build failed"; sed 's/^/# /' "$WORK/oct.out"; fi

# 3. 6-layer cube with oleate in EG (contacts, density) and EDA (density), rotated
if B --shape cube --layers 6 --oleate-100 1.0 --solvent eg --box 72 72 72 --euler 10 20 30 -o cubeeg > "$WORK/cubeeg.out" 2>&1; then
    { $CHK counts "$WORK/cubeeg"; $CHK contacts "$WORK/cubeeg" 2.8 2.3; $CHK density "$WORK/cubeeg"; } > "$WORK/chk.out" 2>&1; tap_pipe < "$WORK/chk.out"
else notok "cube in EG build failed"; sed 's/^/# /' "$WORK/cubeeg.out"; fi
if B --layers 12 --oleate-100 0.5 --oleate-111 2.0 --solvent eda -o octeda > "$WORK/octeda.out" 2>&1; then
    { $CHK counts "$WORK/octeda"; $CHK coverage "$WORK/octeda" 0.10; $CHK density "$WORK/octeda"; } > "$WORK/chk.out" 2>&1; tap_pipe < "$WORK/chk.out"
else notok "octahedron in EDA build failed"; sed 's/^/# /' "$WORK/octeda.out"; fi
# sphere, stripped {100} (the EDA case)
if B --shape sphere --layers 12 --strip 100 --oleate-111 2.5 -o sph > "$WORK/sph.out" 2>&1; then
    C $CHK counts "$WORK/sph"
    if grep -q '"oleate_100": 0,' "$WORK/sph.build.json"; then ok "--strip 100: no oleate on {100}"; else notok "--strip 100"; fi
else notok "sphere build failed"; sed 's/^/# /' "$WORK/sph.out"; fi

# 4. the 20-layer pair with oleate in EG: under a minute; gap between the facing planes
t0=$(date +%s.%N)
if B --pair --gap 9.18 --misalign 10 --solvent eg -o pair > "$WORK/pair.out" 2>&1; then
    t1=$(date +%s.%N)
    secs=$($PYTHON -c "print('%.1f' % ($t1 - $t0))")
    n=$(sed -n 's/^\([0-9]*\) atoms$/\1/p' "$WORK/pair.data")
    if $PYTHON -c "import sys; sys.exit(0 if $t1 - $t0 < 60 else 1)"; then ok "20-layer NC pair with oleate in EG: $n atoms built in $secs s (< 60 s)"; else notok "pair build took $secs s"; fi
    { $CHK counts "$WORK/pair"; $CHK gap "$WORK/pair" 9.18; $CHK density "$WORK/pair"; } > "$WORK/chk.out" 2>&1; tap_pipe < "$WORK/chk.out"
    grep "time:" "$WORK/pair.out" | sed 's/^/# /'
else notok "pair build failed"; sed 's/^/# /' "$WORK/pair.out"; fi

# 5. monolayer of 7 NCs at 80 A
if B --monolayer 7 --spacing 80 --layers 10 --oleate-111 1.5 -o mono > "$WORK/mono.out" 2>&1; then
    { $CHK counts "$WORK/mono"; $CHK mono "$WORK/mono" 7 80; } > "$WORK/chk.out" 2>&1; tap_pipe < "$WORK/chk.out"
else notok "monolayer build failed"; sed 's/^/# /' "$WORK/mono.out"; fi

# 6. slabs: 9 Pb-Se pairs in a 9.18 A gap (two extra {200} layers), an oleate in a 7 A gap
if B --slabs --gap 9.18 --pairs 9 -o slab9 > "$WORK/slab9.out" 2>&1; then
    { $CHK counts "$WORK/slab9"; $CHK slabs "$WORK/slab9" 9; } > "$WORK/chk.out" 2>&1; tap_pipe < "$WORK/chk.out"
else notok "slab + 9 pairs build failed"; sed 's/^/# /' "$WORK/slab9.out"; fi
if B --slabs --gap 7 --fragment oleate --solvent eg -o slabole > "$WORK/slabole.out" 2>&1; then
    { $CHK counts "$WORK/slabole"; $CHK fragment "$WORK/slabole"; $CHK contacts "$WORK/slabole" 2.8 2.3; } > "$WORK/chk.out" 2>&1; tap_pipe < "$WORK/chk.out"
else notok "slab + oleate build failed"; sed 's/^/# /' "$WORK/slabole.out"; fi

# 7. determinism
mkdir -p "$WORK/d1" "$WORK/d2" "$WORK/d3"
(cd "$WORK/d1" && "$NECKMD" build --potentials "$POT" --layers 8 --oleate-111 2 --solvent eg --seed 11 -o s >/dev/null 2>&1)
(cd "$WORK/d2" && "$NECKMD" build --potentials "$POT" --layers 8 --oleate-111 2 --solvent eg --seed 11 -o s >/dev/null 2>&1)
(cd "$WORK/d3" && "$NECKMD" build --potentials "$POT" --layers 8 --oleate-111 2 --solvent eg --seed 12 -o s >/dev/null 2>&1)
for e in data in ncid; do C $CHK same "$WORK/d1/s.$e" "$WORK/d2/s.$e"; done
if [ -f "$WORK/d3/s.data" ] && ! cmp -s "$WORK/d1/s.data" "$WORK/d3/s.data"; then ok "another seed gives another file"; else notok "seed 12 gives the same file as seed 11"; fi

# 8. bad arguments: exit 1, one clear message, no file
bad() { # bad NAME TEXT ARGS...
    name=$1 text=$2
    shift 2
    B "$@" -o "bad_$name" > "$WORK/bad_$name.log" 2>&1
    rc=$?
    files=$(ls "$WORK" | grep "^bad_$name\." | grep -v '\.log$')
    if [ $rc = 1 ] && grep -qF -- "$text" "$WORK/bad_$name.log" && [ -z "$files" ] && [ "$(grep -c 'error' "$WORK/bad_$name.log")" = 1 ]; then
        ok "bad arguments ($name): exit 1, '$text', no file"
    else
        notok "bad arguments ($name): exit $rc, files '$files'"; sed 's/^/# /' "$WORK/bad_$name.log"
    fi
}
bad neg_gap "--gap must be >= 0" --pair --gap -2
bad coverage "but the NC has only" --layers 10 --oleate-111 8
bad box "box too small" --layers 10 --box 30 30 30
bad cores "NC cores overlap" --monolayer 3 --spacing 20 --layers 10
bad option "unknown option '--colour'" --colour red
bad shape "expected cube, octahedron or sphere" --shape pyramid
bad pairs_gap "need a gap of at least" --slabs --gap 4 --pairs 9
bad density "--density needs --solvent" --density 1.0

# 9. LAMMPS reads a built file
if [ -x /usr/bin/lmp ]; then
    cat > "$WORK/in.lmp" <<EOD
units real
atom_style full
pair_style zero 10.0
bond_style zero
angle_style zero
dihedral_style zero
read_data cubeeg.data
pair_coeff * *
bond_coeff *
angle_coeff *
dihedral_coeff *
run 0
EOD
    if (cd "$WORK" && /usr/bin/lmp -in in.lmp -log none > lmp.out 2>&1) && grep -q "Loop time" "$WORK/lmp.out"; then
        ok "LAMMPS reads the built data file (atom_style full, bonds, angles, dihedrals, image flags)"
    else notok "LAMMPS cannot read the built data file"; tail -5 "$WORK/lmp.out" | sed 's/^/# /'; fi
else ok "LAMMPS read check # SKIP no /usr/bin/lmp"; fi

# 10. a small built system minimises and runs 200 steps of NVT with the deck the builder wrote
if B --shape cube --layers 4 --oleate-100 0.25 --tails random --solvent eg --box 40 40 40 --steps 200 --min-iter 50 -o small > "$WORK/small.out" 2>&1; then
    n=$(sed -n 's/^\([0-9]*\) atoms$/\1/p' "$WORK/small.data")
    if (cd "$WORK" && timeout -k 5 120 "$NECKMD" run small.in > small.run 2>&1); then
        if grep -q "Minimization stats" "$WORK/small.run" && [ "$(grep -c "^Atoms: $n (conserved)" "$WORK/small.run")" -ge 2 ] && grep -q "^Loop time .* for 200 steps" "$WORK/small.run"; then
            ok "small built system ($n atoms: 4-layer cube, 2 oleates, EG): minimize + 200 NVT steps from its deck, no atom lost"
        else notok "small system run incomplete"; tail -8 "$WORK/small.run" | sed 's/^/# /'; fi
    else notok "neckmd run of the built deck failed"; tail -8 "$WORK/small.run" | sed 's/^/# /'; fi
else notok "small system build failed"; sed 's/^/# /' "$WORK/small.out"; fi
finish
