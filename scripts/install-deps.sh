#!/bin/sh
# Install the Debian 12 packages neckmd needs to build and test (run as root).
# The one list of dependencies: quickstart.sh and .ci/run call this.
set -e
PKGS="build-essential autoconf automake libtool pkg-config \
 libopenmpi-dev openmpi-bin libfftw3-dev libfftw3-mpi-dev libnetcdf-dev voro++-dev \
 python3 python3-numpy python3-netcdf4 python3-mdanalysis python3-matplotlib"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing Debian packages:$missing" >&2
    echo "install-deps: run as root (or: sudo $0)" >&2
    exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $missing
