# study_common.sh - what every study script in inputs/*/ starts with (sourced; POSIX sh).
# Sets repo (the source tree), NECKMD, PYTHON and MPIRUN (environment overrides kept), and
# study_outdir OUT FORCE PROG: makes OUT (refusing a non-empty one unless FORCE is 1, so a
# finished study's results are never overwritten silently) and sets $out to its absolute path.
repo=$(cd "$(dirname "$0")/../.." && pwd)
NECKMD=${NECKMD:-$repo/build/src/neckmd}
PYTHON=${PYTHON:-/usr/bin/python3}
MPIRUN=${MPIRUN:-mpirun}
study_outdir() {
    if [ -d "$1" ] && [ -n "$(ls -A "$1" 2>/dev/null)" ] && [ "$2" -eq 0 ]; then
        echo "$3: $1 exists and is not empty: choose another -o, remove it, or add --force" >&2
        exit 1
    fi
    mkdir -p "$1"
    out=$(cd "$1" && pwd)
}
