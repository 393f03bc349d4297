#!/bin/sh
# The whole test suite: build if needed, run `make check`, print "N passed, N failed".
# Exit status 0 only if every test passed.
top=$(cd "$(dirname "$0")" && pwd)
cd "$top" || exit 1
sh scripts/build.sh || { echo "0 passed, 1 failed"; exit 1; }
cd build || exit 1
make -j1 check
status=$?
if [ $status -ne 0 ]; then
    for f in $(find tests -name '*.log' 2>/dev/null); do
        grep -q '^not ok\|^ERROR\|^FAIL' "$f" && { echo "==== $f"; tail -40 "$f"; }
    done
fi
awk '/^# PASS:/{p=$3} /^# XFAIL:/{xf=$3} /^# FAIL:/{f=$3} /^# ERROR:/{e=$3} /^# XPASS:/{xp=$3} /^# SKIP:/{s=$3}
     END{printf "%d passed, %d failed, %d skipped\n", p+xf, f+e+xp, s}' test-suite.log 2>/dev/null || echo "0 passed, 1 failed"
exit $status
