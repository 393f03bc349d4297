#!/bin/sh
# The same energies and forces on 1, 2 and 4 MPI ranks and 1 or 2 OpenMP threads:
#  - two nanocrystals 6 A apart (2000 atoms), PPPM 1e-5, and the rattled bulk (24.48 A box
#    with a 12+2 A ghost cutoff, so on 4 ranks ghosts travel through several subdomains);
#  - step 0: energies within 1e-10 relative, forces within 1e-9 relative RMS (sums in a
#    different order differ at ~1e-14; the tolerance leaves room, a missed pair does not);
#  - 40 steps of NVE from Gaussian velocities (seeded by atom id) and 40 of Langevin: the
#    thermo rows agree within 1e-8 (roundoff grows along a chaotic trajectory, slowly at first).
. "$top_srcdir/tests/regress/common.sh"
CMP="$PYTHON $top_srcdir/tests/regress/compare_runs.py"
for case in two_nc_gap6 bulk_4x4x4_rattled; do
    for v in "1 1" "1 2" "2 1" "4 1" "2 2"; do
        set -- $v
        np=$1; nt=$2; tag=$case.np$np.nt$nt
        deck_for "$case" pppm5 "$tag.f" "neighbor 2.0 every 1" > "$WORK/in.$tag"
        cat >> "$WORK/in.$tag" <<EOD
timestep 2.0
velocity 600.0 777
thermo 10
record $tag.nve.json
run 40
integrate langevin 300.0 100.0 99
record $tag.lgv.json
run 40
EOD
        if ! run_neckmd "$np" "$nt" "$WORK/in.$tag"; then notok "$tag: neckmd failed"; tail -5 "$WORK/run.log" | sed 's/^/# /'; continue; fi
        [ "$v" = "1 1" ] && continue
        ref=$case.np1.nt1
        { $CMP "$case $np ranks x $nt threads vs 1x1, step 0" --forces "$WORK/$tag.f" "$WORK/$ref.f" --rtol 1e-10
          $CMP "$case $np ranks x $nt threads vs 1x1, NVE" --thermo "$WORK/$tag.nve.json" "$WORK/$ref.nve.json" --rtol 1e-8
          $CMP "$case $np ranks x $nt threads vs 1x1, Langevin" --thermo "$WORK/$tag.lgv.json" "$WORK/$ref.lgv.json" --rtol 1e-8; } > "$WORK/cmp.out" 2>&1
        tap_pipe < "$WORK/cmp.out"
    done
done
finish
