#!/bin/sh
# Fuzz the data-file reader and the deck checker for a bounded time (not part of make check).
#   sh tests/fuzz/run.sh [SECONDS_PER_TARGET (default 150)] [TARGET...]   (targets: read_data input)
# Builds the drivers (tests/fuzz/build.sh), starts each from its seed corpus in tests/fuzz/corpus/
# (never modified) plus a working corpus in build/fuzz/corpus-TARGET (kept between runs), and
# stops at the first crash, hang (> 10 s per input), sanitizer report or allocation > 2 GB;
# the input that did it is saved as build/fuzz/crash-TARGET-*. Exit status 0: nothing found.
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${FUZZ_BUILD:-$top/build/fuzz}
secs=${1:-150}
[ $# -gt 0 ] && shift
targets=${*:-read_data input}
FUZZ_BUILD=$out sh "$top/tests/fuzz/build.sh"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_NUM_THREADS=1
status=0
for t in $targets; do
    mkdir -p "$out/corpus-$t"
    echo "fuzz: $t for $secs s"
    (cd "$out" && "$out/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
        -max_len=4096 -dict="$top/tests/fuzz/$t.dict" -artifact_prefix="$out/crash-$t-" -print_final_stats=1 \
        "$out/corpus-$t" "$top/tests/fuzz/corpus/$t") > "$out/fuzz-$t.log" 2>&1 || status=1
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|INFO: seed corpus|#[0-9]+ +DONE)|ERROR|SUMMARY|Test unit written" "$out/fuzz-$t.log" | sed "s/^/  $t: /"
done
exit $status
