#!/bin/sh
# reliability_disk.sh — passim-index when it cannot write: a full disk (a
# small tmpfs filled up, where mount works here; and always a file size limit,
# ulimit -f, with SIGXFSZ ignored so that writes fail with EFBIG) and a
# read-only index (as user nobody on an index owned by root, or through
# permissions when not root). Each failing run, incremental, --rebuild or a
# two-thread --rebuild, must end with exit status 2 and a message naming the
# index, leave the old index exactly as it was (tests/dbcheck output) and
# searchable, and leave no temporary folder behind; once there is room again,
# the same run succeeds.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/cli/lib.sh"

cd "$T"
MNT=$T/mnt
# Unmount the tmpfs (if any) before lib.sh's cleanup removes $T.
trap 'umount "$MNT" 2>/dev/null; umount "$T/mp" 2>/dev/null; chmod -R u+rwX "$T" 2>/dev/null; rm -rf "$T"' EXIT

# make_articles DIR TITLE NAME N SEED VOCAB PARAGRAPHS WORDS: N files named
# by the printf format NAME in DIR, each a title line "TITLE i" and
# PARAGRAPHS paragraphs of WORDS words drawn from VOCAB random words.
make_articles() {
    python3 - "$@" <<'EOF'
import os, random, sys
d, title, name = sys.argv[1:4]
n, seed, n_vocab, paragraphs, words = map(int, sys.argv[4:9])
rnd = random.Random(seed)
letters = 'abcdefghijklmnopqrstuvwxyz'
vocab = [''.join(rnd.choice(letters) for _ in range(rnd.randint(3, 9))) for _ in range(n_vocab)]
os.makedirs(d)
for i in range(n):
    with open(os.path.join(d, name % i), 'w') as f:
        f.write('%s %d\n\n' % (title, i) + '\n\n'.join(
            ' '.join(rnd.choice(vocab) for _ in range(words)) for _ in range(paragraphs)) + '\n')
EOF
}

# The bundled articles, and 300 generated ones (1.2 MB) that need room.
cp -R "$CORPUS" "$T/corpus"
make_articles "$T/more" More m%03d.txt 300 2 3000 5 100

# check_intact DB BEFORE WHAT: dbcheck prints BEFORE; searches still work;
# no DB.tmp-* is left.
check_intact() {
    run "$DBCHECK" "$1" --files
    expect_rc 0 "$3: index consistent"
    expect_eq "$OUT" "$2" "$3: the index is as it was"
    run $PASSIM_SEARCH --db "$1" --color=never 'Kalashnikov rifles'
    expect_rc 0 "$3: search still works"
    expect_eq "$(ls -d "$1".tmp-* 2>/dev/null)" "" "$3: no temporary folder left"
}

# expect_refused DB WHAT: the last run failed cleanly, naming the index.
expect_refused() {
    expect_no_crash "$2" "2"
    expect_match "passim-index: $1" "$ERR" "$2: the message names the index"
}

# --- a file size limit: every write past it fails with EFBIG
DB=$T/limit.db
run $PASSIM_INDEX -q --db "$DB" "$T/corpus"
expect_rc 0 "small index"
BEFORE=$("$DBCHECK" "$DB" --files)
# The limit (in 512-byte blocks, as dash and POSIX count) lets the index's
# files be as they are, and not grow by more than 8 KB.
largest=$(ls -l "$DB" | awk 'NR > 1 && $5 > m { m = $5 } END { print m }')
blocks=$(( (largest + 8192) / 512 ))
# Xapian 1.4 itself leaks when a commit or a compaction fails (from 143
# bytes to 75 KB allocated in libxapian): not passim's to free, so the
# sanitizer build is told.
printf 'leak:libxapian.so\n' > "$T/lsan.supp"
# limited ARGS...: passim-index under the limit, in sh (whose ulimit counts
# 512-byte blocks, as POSIX does; bash counts 1024), SIGXFSZ ignored.
limited() {
    LSAN_OPTIONS="suppressions=$T/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
        sh -c 'trap "" XFSZ; ulimit -f "$1" && shift && exec "$@"' sh "$blocks" $PASSIM_INDEX "$@"
}
for opts in "" "--rebuild --jobs 1" "--rebuild --jobs 2"; do
    run limited --db "$DB" $opts "$T/corpus" "$T/more"
    expect_refused "$DB" "file size limit ${opts:-(incremental)}"
    expect_match 'File too large|cannot' "$ERR" "file size limit ${opts:-(incremental)}: says why"
    case "$opts" in
        --rebuild*) expect_no_match 'last commit left it' "$ERR" \
            "file size limit $opts: the index is said to be as it was, not as a commit left it" ;;
    esac
    expect_eq "$(ls -d "$DB".tmp-* 2>/dev/null)" "" \
        "file size limit ${opts:-(incremental)}: no temporary folder left"
    check_intact "$DB" "$BEFORE" "file size limit ${opts:-(incremental)}"
done
run $PASSIM_INDEX -q --db "$DB" "$T/corpus" "$T/more"
expect_rc 0 "without the limit, the same run succeeds"
expect_match '^files 305$' "$("$DBCHECK" "$DB")" "without the limit: every file indexed"

# A first build, limited at points from its first commit to its end: a write
# that fails while Xapian unwinds a failed commit throws out of a destructor,
# past any catch (it used to end the run in std::terminate, exit 134). Every
# run must end with exit 2 and a message, leave what it committed searchable
# (a parallel one that failed where it could catch it leaves no folder at
# all), and the next run without the limit completes the index. Without
# SIGXFSZ ignored, the signal must not kill the run either.
# Under PASSIM_WRAPPER (valgrind) these twelve builds are skipped: they are
# slow there, and Xapian's own leaks on a failed commit would count against
# passim.
if [ -z "$WRAP" ]; then
make_articles "$T/big" Big b%04d.txt 1400 3 20000 1 150
for jobs in 1 2; do
    for blocks in 3000 3500 4000 4500 5000 6000; do
        rm -rf "$T/first.db"
        run limited --db "$T/first.db" --jobs $jobs -q "$T/big"
        expect_refused "$T/first.db" "first build, --jobs $jobs, $blocks blocks"
        if [ -e "$T/first.db" ]; then
            index_err=$ERR
            run $PASSIM_SEARCH --db "$T/first.db" Big
            expect_searches "first build, --jobs $jobs, $blocks blocks: what is left searches"
            # Where it does not, what the build said and left tell why.
            case "$RC:$ERR" in
                0:*|1:*|*"its first build has not finished"*) ;;
                *) printf 'the build said:\n%s\nand left:\n' "$index_err"
                   ls -la "$T/first.db" ;;
            esac
        fi
        case "$ERR" in
            *"no index was made"*) [ -e "$T/first.db" ] && fail "no index said made, but one is left" || pass ;;
        esac
        expect_eq "$(ls -d "$T/first.db".tmp-* 2>/dev/null)" "" \
            "first build, --jobs $jobs, $blocks blocks: no temporary folder left"
        expect_eq "$(printf '%s\n' "$ERR" | grep '^passim-index' | sort | uniq -d)" "" \
            "first build, --jobs $jobs, $blocks blocks: no line said twice"
    done
    run $PASSIM_INDEX --db "$T/first.db" --jobs $jobs -q "$T/big"
    expect_rc 0 "first build, --jobs $jobs: completed without the limit"
    expect_eq "$(ls -d "$T/first.db".tmp-* 2>/dev/null)" "" "--jobs $jobs: no temporary folder left"
done
# A --rebuild where there was no index writes beside the folder, as a
# parallel build does: failed, it leaves no index and no temporary folder.
for blocks in 3000 4500 6000; do
    rm -rf "$T/first.db"
    run limited --db "$T/first.db" --rebuild --jobs 1 -q "$T/big"
    expect_refused "$T/first.db" "--rebuild of no index, $blocks blocks"
    expect_match 'no index was made' "$ERR" "--rebuild of no index, $blocks blocks: says so"
    [ -e "$T/first.db" ] && fail "--rebuild of no index, $blocks blocks: a folder is left" || pass
    expect_eq "$(ls -d "$T/first.db".tmp-* 2>/dev/null)" "" \
        "--rebuild of no index, $blocks blocks: no temporary folder left"
done
rm -rf "$T/first.db"
# limited_signal ARGS...: the same without SIGXFSZ ignored.
limited_signal() {
    LSAN_OPTIONS="suppressions=$T/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
        sh -c 'ulimit -f "$1" && shift && exec "$@"' sh "$blocks" $PASSIM_INDEX "$@"
}
blocks=3000
run limited_signal --db "$T/first.db" --jobs 1 -q "$T/big"
expect_refused "$T/first.db" "a file size limit, SIGXFSZ not ignored"
expect_match 'File too large' "$ERR" "a file size limit, SIGXFSZ not ignored: says why"
rm -rf "$T/first.db"
else
    echo "skipped: first builds under a file size limit (PASSIM_WRAPPER)"
fi

# --- a full disk: a small tmpfs, filled up
if mkdir -p "$MNT" && mount -t tmpfs -o size=8m tmpfs "$MNT" 2>/dev/null; then
    DB=$MNT/full.db
    run $PASSIM_INDEX -q --db "$DB" "$T/corpus"
    expect_rc 0 "small index on the tmpfs"
    BEFORE=$("$DBCHECK" "$DB" --files)
    # Fill what is left; the filler's own write fails at the end, as it should.
    dd if=/dev/zero of="$MNT/filler" bs=64k 2>/dev/null
    for opts in "" "--rebuild --jobs 1" "--rebuild --jobs 2"; do
        run $PASSIM_INDEX --db "$DB" $opts "$T/corpus" "$T/more"
        expect_refused "$DB" "disk full ${opts:-(incremental)}"
        expect_match 'No space left on device|cannot' "$ERR" "disk full ${opts:-(incremental)}: says why"
        expect_no_match "^passim-index: $DB\\.tmp-" "$ERR" \
            "disk full ${opts:-(incremental)}: no message leads with a temporary folder"
        check_intact "$DB" "$BEFORE" "disk full ${opts:-(incremental)}"
    done
    rm -f "$MNT/filler"
    run $PASSIM_INDEX -q --db "$DB" "$T/corpus" "$T/more"
    expect_rc 0 "with room again, the same run succeeds"
    expect_match '^files 305$' "$("$DBCHECK" "$DB")" "with room again: every file indexed"
    umount "$MNT" || fail "unmounting the tmpfs"
else
    echo "skipped: a full tmpfs (mount -t tmpfs does not work here); the file size limit stands in"
fi

# --- a read-only index (in a folder of its own, read-only too: --rebuild
# must not be able to write beside it either)
mkdir "$T/ro"
DB=$T/ro/idx.db
run $PASSIM_INDEX -q --db "$DB" "$T/corpus"
expect_rc 0 "index to make read-only"
BEFORE=$("$DBCHECK" "$DB" --files)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
    # root writes anywhere: run as nobody against the index root owns.
    chmod 755 "$T" "$T/ro"
    chmod -R a+rX "$T/corpus" "$T/more" "$DB"
    AS="setpriv --reuid=nobody --regid=nogroup --clear-groups --"
    how="as user nobody"
else
    chmod -R a-w "$T/ro"
    AS=
    how="without write permission"
fi
for opts in "" "--rebuild --jobs 1" "--rebuild --jobs 2"; do
    run $AS $PASSIM_INDEX --db "$DB" $opts "$T/corpus" "$T/more"
    expect_refused "$DB" "read-only index, $how ${opts:-(incremental)}"
    # Nobody else holds the index: the lock file just cannot be written.
    expect_no_match 'locked by another' "$ERR" "read-only index, $how ${opts:-(incremental)}: not called locked"
    expect_match 'Permission denied|Read-only' "$ERR" "read-only index, $how ${opts:-(incremental)}: says why"
    check_intact "$DB" "$BEFORE" "read-only index, $how ${opts:-(incremental)}"
    run $AS $PASSIM_SEARCH --db "$DB" --color=never talks
    expect_rc 0 "read-only index, $how: passim-search works"
done
chmod -R u+w "$T/ro"

# --- an index folder that cannot be swapped for one built beside it (a
# mount point; a parent folder that may not be written): a first build is
# made in place on one writer, uncompacted, and later runs say nothing of
# it; a rebuild is refused and leaves the index as it was.
# in_place_checks DB WHAT AS...: the runs, as the user AS (may be empty)
in_place_checks() {
    ip_db=$1
    ip_what=$2
    shift 2
    run "$@" $PASSIM_INDEX --db "$ip_db" "$T/corpus"
    expect_rc 0 "$ip_what: a first build on two threads"
    expect_match 'so the index is built in place, on one writer, and not compacted' "$ERR" \
        "$ip_what: says it builds in place"
    run "$@" $PASSIM_SEARCH --db "$ip_db" --color=never talks
    expect_rc 0 "$ip_what: the index is searchable"
    ip_before=$("$DBCHECK" "$ip_db" --files)
    run "$@" $PASSIM_INDEX --db "$ip_db" "$T/corpus"
    expect_rc 0 "$ip_what: the next run"
    expect_eq "$ERR" "" "$ip_what: the next run has nothing to say (no compaction to retry)"
    expect_match 'up to date' "$OUT" "$ip_what: the next run is up to date"
    run "$@" $PASSIM_INDEX --db "$ip_db" --rebuild "$T/corpus"
    expect_rc 2 "$ip_what: --rebuild refused"
    expect_match 'cannot rebuild: a rebuild builds the new index beside it' "$ERR" \
        "$ip_what: --rebuild says why"
    expect_eq "$("$DBCHECK" "$ip_db" --files)" "$ip_before" "$ip_what: --rebuild left the index as it was"
}
mkdir "$T/mp"
if mount -t tmpfs -o size=32m tmpfs "$T/mp" 2>/dev/null; then
    in_place_checks "$T/mp" "an index folder that is a mount point"
    umount "$T/mp" || fail "unmounting the tmpfs"
else
    echo "skipped: an index folder that is a mount point (mount -t tmpfs does not work here)"
fi
mkdir -p "$T/rp/db"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
    chmod 755 "$T" "$T/rp"
    chown nobody "$T/rp/db"
    chmod -R a+rX "$T/corpus"
    in_place_checks "$T/rp/db" "an index folder whose parent may not be written" \
        setpriv --reuid=nobody --regid=nogroup --clear-groups --
elif [ "$(id -u)" != 0 ]; then
    chmod a-w "$T/rp"
    in_place_checks "$T/rp/db" "an index folder whose parent may not be written"
    chmod u+w "$T/rp"
fi

finish
