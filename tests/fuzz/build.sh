#!/bin/sh
# Build the fuzz drivers (libFuzzer + AddressSanitizer + UndefinedBehaviorSanitizer, Debian's
# clang) into build/fuzz/: fuzz_read_data (the data-file reader) and fuzz_input (the deck
# checker). The engine sources are compiled as they are, except error.c, replaced by
# tests/fuzz/fuzz_error.c (errors return to the driver), and main.c; the allocation calls
# are wrapped (fuzz_alloc.c) so an error's unfreed buffers are released after each input.
# The sources are the C files of the library in Makefile.am. No OpenMP (clang needs
# libomp for it; the parsers are serial). Needs the configured build tree's config.h (the
# parent of the output directory, build/ by default: scripts/build.sh makes it).
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${FUZZ_BUILD:-$top/build/fuzz}
CC=${FUZZ_CC:-clang}
command -v "$CC" >/dev/null || { echo "fuzz: $CC not found (Debian: apt-get install clang)" >&2; exit 1; }
conf=$(dirname "$out")
[ -f "$conf/config.h" ] || sh "$top/scripts/build.sh" >/dev/null
[ -f "$conf/config.h" ] || { echo "fuzz: no $conf/config.h (configure first)" >&2; exit 1; }
mkdir -p "$out/obj"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
CFLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -fno-omit-frame-pointer -Wno-unknown-pragmas \
 -I$conf -I$top/src -I$top/tests/fuzz $(mpicc --showme:compile) $(pkg-config --cflags netcdf fftw3)"
LIBS="$(mpicc --showme:link) $(pkg-config --libs netcdf fftw3) -lfftw3_mpi -lm"
objs=""
srcs=$(sed -n '/^src_libneckmd_a_SOURCES/,/^$/p' "$top/Makefile.am" | grep -o 'src/[A-Za-z0-9_]*\.cc*' | grep -v '\.cc$' | sed "s|^|$top/|")
for f in $srcs "$top"/tests/fuzz/fuzz_error.c "$top"/tests/fuzz/fuzz_common.c "$top"/tests/fuzz/fuzz_alloc.c; do
    b=$(basename "$f" .c)
    case $b in error|main) continue ;; esac
    o=$out/obj/$b.o
    if [ ! -f "$o" ] || [ "$f" -nt "$o" ] || [ -n "$(find "$top/src" "$top/tests/fuzz" "$conf/config.h" -name '*.h' -newer "$o" | head -n 1)" ]; then
        $CC $CFLAGS $SAN -fsanitize=fuzzer-no-link -c "$f" -o "$o"
    fi
    objs="$objs $o"
done
for t in read_data input; do
    $CC $CFLAGS $SAN -fsanitize=fuzzer "$top/tests/fuzz/fuzz_$t.c" $objs $LIBS -o "$out/fuzz_$t" \
        -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=aligned_alloc,--wrap=free,--wrap=strdup
done
echo "fuzz: built $out/fuzz_read_data $out/fuzz_input"
