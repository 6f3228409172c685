# bench/lib.sh: helpers shared by bench/index and bench/search (sourced, not run).
#
# Sets, from the environment:
#   PASSIM_BUILD   the passim build folder (default: the repo's build/)
#   PASSIM_SHARED  the shared/ folder that holds anchors/ and corpora/ (default:
#                  ../../shared from bench/, i.e. next to the repo's clone)
#   BENCH_DIR      where data is unpacked and indexes are written (default: a
#                  fresh mktemp -d folder, removed at exit; a BENCH_DIR given by
#                  the caller is kept and its unpacked corpora are reused)
# shellcheck shell=bash

bench_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench_repo=$(dirname "$bench_here")
bench_prog=$(basename "$0")

note() { printf '%s: %s\n' "$bench_prog" "$*" >&2; }
die() { printf '%s: error: %s\n' "$bench_prog" "$*" >&2; exit 2; }

# The anchors (the systems passim is compared against) and the corpora.
bench_find_shared() {
    shared=${PASSIM_SHARED:-$bench_here/../../shared}
    anchors=$shared/anchors
    [ -d "$anchors" ] ||
        die "anchor scripts not found in $anchors; clone the repo next to shared/ or set PASSIM_SHARED=/path/to/shared"
    local f
    for f in "$@"; do
        [ -e "$anchors/$f" ] || die "anchor script $anchors/$f is missing"
    done
    shared=$(cd "$shared" && pwd)
    anchors=$shared/anchors
    reuters_tgz=$shared/corpora/reuters/reuters21578.tar.gz
    [ -f "$reuters_tgz" ] || die "Reuters corpus not found: $reuters_tgz"
}

# The passim programs: $PASSIM_BUILD/passim-index, passim-search, bench/ceiling.
bench_find_build() {
    build=${PASSIM_BUILD:-$bench_repo/build}
    [ -d "$build" ] ||
        die "no passim build in $build; build it (see README.md, Quick start) or set PASSIM_BUILD"
    build=$(cd "$build" && pwd)
    local p
    for p in "$@"; do
        if [ "$p" = bench/ceiling ] && [ ! -x "$build/$p" ] && [ -f "$build/Makefile" ]; then
            note "building $p in $build (make bench/ceiling)"
            make -s -C "$build" bench/ceiling >&2 || die "could not build $build/bench/ceiling"
        fi
        [ -x "$build/$p" ] || die "$build/$p not found; run make in $build (or set PASSIM_BUILD)"
    done
}

bench_need_tools() {
    local t
    for t in "$@"; do
        case $t in
            /*) [ -x "$t" ] || die "$t is required (see shared/anchors/README.md, Install)" ;;
            *) command -v "$t" >/dev/null || die "$t is required (see shared/anchors/README.md, Install)" ;;
        esac
    done
}

bench_need_python_xapian() {
    /usr/bin/python3 -c 'import xapian' 2>/dev/null ||
        die "/usr/bin/python3 cannot import xapian: apt-get install python3-xapian"
}

# The work folder: $BENCH_DIR, kept, or a temporary one removed at exit.
bench_workdir() {
    if [ -n "${BENCH_DIR:-}" ]; then
        mkdir -p "$BENCH_DIR"
        work=$(cd "$BENCH_DIR" && pwd)
        case $work/ in
            "$bench_repo"/*) die "BENCH_DIR must not be inside the repository ($bench_repo)" ;;
        esac
    else
        work=$(mktemp -d "${TMPDIR:-/tmp}/passim-bench.XXXXXX")
        # shellcheck disable=SC2064  # expand $work now
        trap "rm -rf '$work'" EXIT
        trap 'exit 130' INT
        trap 'exit 143' TERM
    fi
    note "work folder: $work"
}

# Unpack Reuters into $work/reuters21578 (once) and, with "4", make the x4 copy
# $work/reuters4 with the anchors' make_x4.sh.
bench_reuters() {
    if [ "$(find "$work/reuters21578" -maxdepth 1 -name '*.txt' 2>/dev/null | wc -l)" -ne 21578 ]; then
        note "unpacking $reuters_tgz"
        rm -rf "$work/reuters21578"
        tar xzf "$reuters_tgz" -C "$work"
    fi
    if [ "${1:-1}" = 4 ] &&
        [ "$(find "$work/reuters4" -maxdepth 1 -name '*.txt' 2>/dev/null | wc -l)" -ne 86312 ]; then
        note "making the x4 copy with make_x4.sh"
        rm -rf "$work/reuters4"
        sh "$anchors/make_x4.sh" "$work/reuters21578" "$work/reuters4"
    fi
}

# Number of files and bytes under a folder.
bench_docs() { find "$1" -type f | wc -l; }
bench_bytes() { find "$1" -type f -printf '%s\n' | awk '{s += $1} END {printf "%d", s}'; }

# The header line of a table: date, nproc, CPU model, passim version.
bench_header() {
    local model version
    model=$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null)
    version=$("$build/passim-index" --version 2>/dev/null | head -1) || true
    printf '%s, nproc %s, %s; %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc)" \
        "${model:-unknown CPU}" "${version:-passim}"
}
