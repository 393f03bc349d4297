#!/bin/sh
# Regenerate the neckmd LAMMPS reference data in tests/ref/ (developer tool).
# Requires `lmp` (Debian package "lammps"; the committed data were made with
# LAMMPS (29 Sep 2021 - Update 2)).  Never run by the test suite.
# Takes ~3 minutes on one core (the bulk_4x4x4 relax check is ~2.5 min of it).
#   sh tests/ref/run_lammps.sh                 # everything
#   sh tests/ref/run_lammps.sh nc_cube_3nm     # one case ("relax" = the relax check)
# Environment: LMP (default lmp), PYTHON (default /usr/bin/python3),
#   EWALD_ACC (override the ewald accuracy, default 1e-10).
set -e
cd "$(dirname "$0")"
LMP=${LMP:-lmp}
PYTHON=${PYTHON:-/usr/bin/python3}
export LMP
command -v "$LMP" >/dev/null 2>&1 || { echo "run_lammps.sh: '$LMP' not found (apt-get install lammps)" >&2; exit 1; }
"$PYTHON" make_data.py
"$PYTHON" lammps_ref.py "$@"
