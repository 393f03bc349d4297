#!/bin/sh
# Configure (once) and build neckmd in ./build (out of tree). Extra arguments go to configure.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ -x configure ] || ./autogen.sh
mkdir -p build
cd build
if [ ! -f Makefile ] || [ "$#" -gt 0 ]; then
    ../configure CFLAGS="${CFLAGS:--O3 -g -march=native -fno-math-errno}" CXXFLAGS="${CXXFLAGS:--O2 -g}" "$@"
fi
make -j"$(nproc)"
