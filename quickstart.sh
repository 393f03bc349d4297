#!/bin/sh
# One command on a fresh Debian 12 machine: install missing packages (needs root), build,
# and run the main example (inputs/nc_cube_nvt) on 2 MPI ranks.
set -e
top=$(cd "$(dirname "$0")" && pwd)
cd "$top"
sh scripts/install-deps.sh
sh scripts/build.sh
cd inputs/nc_cube_nvt
mpirun -np 2 --allow-run-as-root --oversubscribe ../../build/src/neckmd run in.nc_cube_nvt
echo "quickstart: done; outputs in inputs/nc_cube_nvt (thermo.csv, record.json, forces_end.txt)"
