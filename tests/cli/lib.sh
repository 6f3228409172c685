# lib.sh — shared helpers of the command-line tests (sourced, not run).
#
# Every test gets a fresh scratch folder under the build tree ($T), the
# programs as $PASSIM_INDEX / $PASSIM_SEARCH / $DBCHECK, and the corpus as
# $CORPUS. Set PASSIM_WRAPPER (for example "valgrind -q --error-exitcode=99
# --leak-check=full") to run the two programs under a tool.
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=.}"
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" && pwd)

CORPUS=$top_srcdir/corpus
DBCHECK=$top_builddir/tests/dbcheck
WRAP=${PASSIM_WRAPPER:-}
PASSIM_INDEX="$WRAP $top_builddir/passim-index"
PASSIM_SEARCH="$WRAP $top_builddir/passim-search"
unset PASSIM_DB NO_COLOR
export LC_ALL=C.UTF-8

T=$(mktemp -d "$top_builddir/tests/cli-tmp.XXXXXX")
trap 'chmod -R u+rwX "$T" 2>/dev/null; rm -rf "$T"' EXIT
FAILED=0
N_CHECKS=0

fail() {
    echo "FAIL: $*" >&2
    FAILED=$((FAILED + 1))
}

pass() {
    N_CHECKS=$((N_CHECKS + 1))
}

# run CMD...: run a command, keep its stdout in $OUT, stderr in $ERR, status in $RC.
run() {
    "$@" >"$T/out" 2>"$T/err"
    RC=$?
    OUT=$(cat "$T/out")
    ERR=$(cat "$T/err")
}

# run_full_disk CMD...: run() with standard output on a full disk (/dev/full):
# RC and ERR are set; false, running nothing, where there is no /dev/full.
run_full_disk() {
    [ -w /dev/full ] || return 1
    "$@" >/dev/full 2>"$T/err"
    RC=$?
    ERR=$(cat "$T/err")
}

# expect_rc N WHAT: the last run exited with N.
expect_rc() {
    if [ "$RC" -eq "$1" ]; then pass; else
        fail "$2: exit status $RC, expected $1"; echo "--- stdout:" >&2; head -c 2000 "$T/out" >&2
        echo "--- stderr:" >&2; head -c 2000 "$T/err" >&2; fi
}

# expect_match REGEX TEXT WHAT / expect_no_match REGEX TEXT WHAT (grep -E).
expect_match() {
    if printf '%s\n' "$2" | grep -Eq -- "$1"; then pass; else
        fail "$3: no line matches /$1/ in:"; printf '%s\n' "$2" | head -20 >&2; fi
}
expect_no_match() {
    if printf '%s\n' "$2" | grep -Eq -- "$1"; then
        fail "$3: a line matches /$1/ in:"; printf '%s\n' "$2" | grep -E -- "$1" | head -5 >&2
    else pass; fi
}

# expect_eq GOT WANT WHAT
expect_eq() {
    if [ "$1" = "$2" ]; then pass; else fail "$3: got '$1', expected '$2'"; fi
}

# expect_no_crash WHAT [STATUSES]: the last run ended by itself, with one of
# STATUSES (default "0 1 2"), and left no crash report on stderr: no sanitizer,
# valgrind or C++ runtime message, no signal.
expect_no_crash() {
    case " ${2:-0 1 2} " in
        *" $RC "*) pass ;;
        *) fail "$1: exit status $RC, expected one of ${2:-0 1 2}"
           printf '%s\n' "$ERR" | head -20 >&2 ;;
    esac
    expect_no_match 'Sanitizer|runtime error|Segmentation fault|Aborted|core dumped|terminate called|^==[0-9]+==' \
        "$ERR" "$1: no crash report"
}

# expect_searches WHAT: the last passim-search found something or nothing
# (0, 1), or said that the index's first build has not finished (2): what a
# first build killed or failed before its first commit leaves.
expect_searches() {
    if [ "$RC" = 2 ] && printf '%s\n' "$ERR" | grep -q ': no index here yet: its first build has not finished'; then
        expect_no_crash "$1" "2"
    else
        expect_no_crash "$1" "0 1"
    fi
}

# finish: report and exit with the automake test protocol's status.
finish() {
    echo "$(basename "$0"): $N_CHECKS checks passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
    exit $?
}
