#!/bin/sh
# House-style checks that can fail (shared/docs/style.md):
#  - all MPI in one file: no source but src/comm.c includes mpi.h or fftw3-mpi.h;
#  - one style per file, registered in one table: every file exporting a KspaceStyle or
#    BondedStyle descriptor is listed in src/force_styles.c, and every table entry exists;
#  - no generated autotools files or build products are tracked by git.
. "$top_srcdir/tests/regress/common.sh"
cd "$top_srcdir" || exit 1
bad=$(grep -l '#include *<\(mpi\|fftw3-mpi\)\.h>' src/*.c src/*.h src/*.cc src/*/*.c src/*/*.h 2>/dev/null | grep -v '^src/comm\.c$')
if [ -z "$bad" ]; then ok "only src/comm.c includes mpi.h / fftw3-mpi.h"; else notok "mpi.h included outside comm.c: $bad"; fi
missing=""
for sym in $(grep -ho '^const \(KspaceStyle\|BondedStyle\) [a-z_0-9]*' src/*.c | awk '{print $3}'); do
    grep -q "&$sym" src/force_styles.c || missing="$missing $sym"
done
if [ -z "$missing" ]; then ok "every style descriptor is registered in src/force_styles.c"; else notok "styles not in the table:$missing"; fi
dangling=""
for sym in $(grep -o '&\(kspace_style\|bonded_style\)_[a-z_0-9]*' src/force_styles.c | tr -d '&' | sort -u); do
    grep -q "^const \(KspaceStyle\|BondedStyle\) $sym\b" src/*.c || dangling="$dangling $sym"
done
if [ -z "$dangling" ]; then ok "every table entry has its style file"; else notok "table entries without a definition:$dangling"; fi
if [ -d .git ] || git rev-parse --git-dir >/dev/null 2>&1; then
    gen=$(git ls-files 2>/dev/null | grep -E '(^|/)(configure|Makefile\.in|aclocal\.m4|config\.h|config\.status|.*\.o|.*\.a|.*\.nc)$')
    if [ -z "$gen" ]; then ok "no generated files or build products in git"; else notok "generated files tracked: $gen"; fi
else
    ok "not a git checkout (release tarball): nothing to check # SKIP no git"
fi
finish
