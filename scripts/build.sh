#!/bin/sh
# Configure and build neckmd in ./build (out of tree). Extra arguments go to configure.
# Configure runs again when the build directory is new, when arguments are given, or when
# the compiler flags differ from those it was configured with (so a stale build/ never
# silently keeps old flags).
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ -x configure ] || ./autogen.sh
mkdir -p build
cd build
cflags="${CFLAGS:--O3 -g -march=native -fno-math-errno}"
cxxflags="${CXXFLAGS:--O2 -g}"
stamp="$cflags | $cxxflags"
if [ ! -f Makefile ] || [ "$#" -gt 0 ] || [ "$(cat .neckmd-flags 2>/dev/null)" != "$stamp" ]; then
    ../configure CFLAGS="$cflags" CXXFLAGS="$cxxflags" "$@"
    printf '%s\n' "$stamp" > .neckmd-flags
fi
make -j"$(nproc)"
