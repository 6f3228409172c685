#!/bin/sh
# reliability_crash.sh — passim-index killed in the middle of its work.
#
# On a corpus of 1,500 articles (the first ones of Reuters-21578 when
# ../shared/corpora holds it, else generated here): SIGKILL at random moments
# while the index is built with small batches, then while it is updated
# (files changed, removed, added), each kill followed by a check that the
# index opens, is consistent (tests/dbcheck: file records match passages,
# nothing twice) and answers searches; a complete run then makes it equal to a
# clean build, file for file and word for word. SIGINT and SIGTERM: the
# indexer stops at a file boundary, commits, says so, exits 130/143 and leaves
# a consistent index.
# A first build killed while it compacts: the next run compacts it.
# --rebuild (one job and two) and a fresh --jobs 2 build killed midway: the
# previous index is untouched and no DB.tmp-* folder survives the next run,
# also when --db names the index without its folder. Where the file system
# cannot exchange two folders (strace makes renameat2 fail), the new index
# goes in with two renames, and an index left aside between them is put back.
#
# The kill delays are random, scaled to the work left; the seed is printed
# (PASSIM_CRASH_SEED=N repeats a run). Under PASSIM_WRAPPER (valgrind) the
# SIGKILL rounds are skipped and the corpus is smaller; signals still run.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/cli/lib.sh"

cd "$T"
N_FILES=1500
if [ -n "$WRAP" ]; then
    N_FILES=200
    echo "PASSIM_WRAPPER is set: skipping the SIGKILL rounds, $N_FILES articles"
fi
SEED=${PASSIM_CRASH_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
echo "kill delays from seed $SEED (PASSIM_CRASH_SEED=$SEED to repeat)"

# --- the corpus
C=$T/corpus
mkdir "$C"
REUTERS=$top_srcdir/../shared/corpora/reuters/reuters21578.tar.gz
if [ -r "$REUTERS" ] && tar xzf "$REUTERS" -C "$T" 2>/dev/null; then
    i=1
    while [ "$i" -le "$N_FILES" ]; do
        mv "$T/reuters21578/$i.txt" "$C/" || fail "Reuters article $i"
        i=$((i + 1))
    done
    rm -rf "$T/reuters21578"
    echo "corpus: the first $N_FILES articles of Reuters-21578"
else
    python3 - "$C" "$N_FILES" <<'EOF'
import os, random, sys
rnd = random.Random(1987)
letters = 'abcdefghijklmnopqrstuvwxyz'
vocab = [''.join(rnd.choice(letters) for _ in range(rnd.randint(2, 9))) for _ in range(4000)]
for i in range(1, int(sys.argv[2]) + 1):
    paras = []
    for _ in range(rnd.randint(1, 6)):
        words = [rnd.choice(vocab) for _ in range(rnd.randint(20, 120))]
        paras.append(' '.join(words).capitalize() + '.')
    with open(os.path.join(sys.argv[1], '%d.txt' % i), 'w') as f:
        f.write('Article %d about %s\n\n' % (i, rnd.choice(vocab)) + '\n\n'.join(paras) + '\n')
EOF
    echo "corpus: $N_FILES generated articles"
fi

IDX="$PASSIM_INDEX -q --no-progress"
DB=$T/idx.db

# elapsed T0: seconds since T0 (a date +%s.%N).
elapsed() {
    awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'
}

# check_index DB WHAT [first]: the index is consistent and searchable; with
# "first", a first build killed, it may also have nothing committed yet,
# which passim-search says.
check_index() {
    run "$DBCHECK" "$1"
    expect_rc 0 "$2: index consistent"
    run $PASSIM_SEARCH --db "$1" --color=never -n 3 'the OR market OR said OR article'
    if [ "${3:-}" = first ]; then expect_searches "$2: search"; else expect_no_crash "$2: search" "0 1"; fi
    run $PASSIM_SEARCH --db "$1" -f json -n 3 'market'
    if [ "${3:-}" = first ]; then expect_searches "$2: json search"; else expect_no_crash "$2: json search" "0 1"; fi
    [ "$RC" = 2 ] || { printf '%s' "$OUT" | python3 -c 'import json,sys; json.load(sys.stdin)' \
                       && pass || fail "$2: JSON output parses"; }
}

# delay K MAX: the K-th random delay of this run, uniform in [0, MAX) seconds.
RANDOM_01=$(awk -v s="$SEED" 'BEGIN { srand(s); for (i = 0; i < 40; i++) printf "%.4f ", rand() }')
delay() {
    set -- "$1" "$2" $RANDOM_01
    d_max=$2
    shift "$(($1 + 2))"
    awk -v r="$1" -v m="$d_max" 'BEGIN { printf "%.3f", r * m }'
}

# no_tmp_left DB WHAT: no DB.tmp-* folder beside DB.
no_tmp_left() {
    expect_eq "$(ls -d "$1".tmp-* 2>/dev/null)" "" "$2: no temporary folder left"
}

# start_index ARGS...: passim-index in the background; its pid in $PID. A
# shell starts a background job with SIGINT ignored, and the indexer leaves
# an ignored signal ignored: env gives the job SIGINT back, as a terminal's
# foreground run has it.
start_index() {
    env --default-signal=INT $IDX "$@" >"$T/bg.out" 2>"$T/bg.err" &
    PID=$!
}

# stop_index: wait for the background indexer; status in $RC, output in $OUT
# and $ERR.
stop_index() {
    wait "$PID" 2>/dev/null
    RC=$?
    OUT=$(cat "$T/bg.out")
    ERR=$(cat "$T/bg.err")
}

# kill_after SECONDS ARGS...: start passim-index with ARGS, SIGKILL it after
# SECONDS (unless it is done by then), wait for it.
kill_after() {
    k_delay=$1
    shift
    start_index "$@"
    sleep "$k_delay"
    kill -KILL "$PID" 2>/dev/null
    stop_index
}

# hold_lock FILE: a process that holds a write lock on FILE, as Xapian's
# writers hold theirs (fcntl), until it is killed; its pid in $locker.
hold_lock() {
    rm -f "$T/lock.out"
    python3 -c '
import fcntl, sys, time
f = open(sys.argv[1], "r+")
fcntl.lockf(f, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(60)
' "$1" >"$T/lock.out" &
    locker=$!
    h_i=0
    while [ "$h_i" -lt 500 ] && ! grep -q locked "$T/lock.out" 2>/dev/null; do
        sleep 0.01
        h_i=$((h_i + 1))
    done
}

# files_in DB: the number of files the index holds (0 if there is no index).
files_in() {
    n=$("$DBCHECK" "$1" 2>/dev/null | sed -n 's/^files //p')
    echo "${n:-0}"
}

# wait_committed DB: until the background indexer has committed a passage
# (polled with a count alone: a full check beside a writer that commits every
# few tenths of a second could outlast the revision it reads). Fails if the
# indexer ends first.
wait_committed() {
    i=0
    while [ "$i" -lt 6000 ]; do
        n=$("$DBCHECK" "$1" --docs 2>/dev/null)
        [ "${n:-0}" -gt 0 ] && return 0
        kill -0 "$PID" 2>/dev/null || return 1
        sleep 0.02
        i=$((i + 1))
    done
    return 1
}

# wait_tmp DB KIND: until the background indexer makes a temporary folder
# of KIND (a pattern: shard*, compact, rebuild) beside DB, or ends.
wait_tmp() {
    i=0
    while [ "$i" -lt 4000 ] && ! ls -d "$1".tmp-*-$2 >/dev/null 2>&1 \
          && kill -0 "$PID" 2>/dev/null; do
        sleep 0.005
        i=$((i + 1))
    done
}

# wait_shards DB: until the background indexer writes its shards beside DB
# (not merely probes the folder, before its signal handlers are set), or
# ends.
wait_shards() {
    wait_tmp "$1" 'shard*'
}

# A clean build as the kill rounds run it (one job, small batches): its time
# scales the kill delays.
t0=$(date +%s.%N)
run $IDX --jobs 1 --batch 200 --db "$T/ref.db" "$C"
expect_rc 0 "reference build, one job"
T_SMALL=$(elapsed "$t0")
REF=$("$DBCHECK" "$T/ref.db")
REF_FILES=$("$DBCHECK" "$T/ref.db" --files | sort)
REF_WORDS=$("$DBCHECK" "$T/ref.db" --words)
expect_match "^files $N_FILES\$" "$REF" "reference build holds every article"
# The same on two threads (shards merged): the same index, file for file.
t0=$(date +%s.%N)
run $IDX --jobs 2 --db "$T/ref2.db" "$C"
expect_rc 0 "reference build, two jobs"
T_FAST=$(elapsed "$t0")
expect_eq "$("$DBCHECK" "$T/ref2.db" --files | sort)" "$REF_FILES" "--jobs 2 builds the same index"
rm -rf "$T/ref2.db"
echo "a build takes $T_SMALL s with --jobs 1 --batch 200, $T_FAST s with --jobs 2"
k=0

# --- SIGKILL at random moments: first while the index is built (one job,
# small batches), then while it is updated (files changed, removed, added).
if [ -z "$WRAP" ]; then
    while [ "$k" -lt 4 ]; do
        # scaled to the work left, so that most kills land in the middle of it
        left=$(awk -v n="$(files_in "$DB")" -v t="$N_FILES" -v s="$T_SMALL" \
            'BEGIN { printf "%.3f", (1 - n / t) * s + 0.05 }')
        d=$(delay "$k" "$left")
        kill_after "$d" --jobs 1 --batch 200 --db "$DB" "$C"
        echo "kill $k after $d s: exit status $RC, $(files_in "$DB") files committed"
        expect_no_crash "kill $k" "0 137"
        if [ -f "$DB/iamglass" ]; then
            check_index "$DB" "after kill $k" first
        else
            # killed before Xapian had created the index: there is none yet
            run $PASSIM_SEARCH --db "$DB" market
            expect_match 'no index here' "$ERR" "kill $k before the index existed: no index yet, said so"
        fi
        k=$((k + 1))
    done
    run $IDX --jobs 1 --batch 200 --db "$DB" "$C"
    expect_rc 0 "the run after the kills"
    check_index "$DB" "after the kills and a complete run"
    expect_eq "$("$DBCHECK" "$DB")" "$REF" "after the kills: same counts as a clean build"
    expect_eq "$("$DBCHECK" "$DB" --files | sort)" "$REF_FILES" \
        "after the kills: every file once, with the passages of a clean build"
    expect_eq "$("$DBCHECK" "$DB" --words)" "$REF_WORDS" \
        "after the kills: the word lists of a clean build, none left due"
    # The run that completed the first build compacted it, as the first would
    # have (uncompacted, an index takes about twice the room).
    size=$(du -sk "$DB" | cut -f1)
    ref_size=$(du -sk "$T/ref.db" | cut -f1)
    [ "$size" -le $((ref_size * 5 / 4)) ] && pass \
        || fail "after the kills: compacted like a clean build ($size KB against $ref_size KB)"
    run $IDX --jobs 1 --batch 200 --db "$DB" "$C"
    expect_match 'up to date' "$OUT" "after the kills: the next run has nothing to do"
    [ "$(du -sk "$DB" | cut -f1)" -eq "$size" ] && pass \
        || fail "after the kills: and does not compact the index again"

    # Change a fifth of the files, remove some, add some; kill the updates.
    python3 - "$C" "$N_FILES" <<'EOF'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(1, n + 1):
    p = os.path.join(d, '%d.txt' % i)
    if i % 5 == 0:
        with open(p, 'a') as f:
            f.write('\nA paragraph added later about the kill test, number %d.\n\n'
                    'And a second one, so that passages move.\n' % i)
    elif i % 23 == 0:
        os.unlink(p)
for i in range(n + 1, n + 101):
    with open(os.path.join(d, '%d.txt' % i), 'w') as f:
        f.write('New article %d\n\nWritten after the first build.\n' % i)
EOF
    max=$(awk -v s="$T_SMALL" 'BEGIN { printf "%.3f", s * 0.4 }')
    while [ "$k" -lt 7 ]; do
        d=$(delay "$k" "$max")
        kill_after "$d" --jobs 1 --batch 50 --db "$DB" "$C"
        echo "kill $k (update) after $d s: exit status $RC"
        expect_no_crash "kill $k (update)" "0 137"
        check_index "$DB" "after kill $k (update)"
        k=$((k + 1))
    done
    run $IDX --jobs 1 --db "$DB" "$C"
    expect_rc 0 "the run after the killed updates"
    rm -rf "$T/ref.db"
    run $IDX --jobs 1 --db "$T/ref.db" "$C"
    expect_rc 0 "reference build of the changed corpus"
    REF=$("$DBCHECK" "$T/ref.db")
    REF_FILES=$("$DBCHECK" "$T/ref.db" --files | sort)
REF_WORDS=$("$DBCHECK" "$T/ref.db" --words)
    expect_eq "$("$DBCHECK" "$DB")" "$REF" "after the killed updates: same counts as a clean build"
    expect_eq "$("$DBCHECK" "$DB" --files | sort)" "$REF_FILES" \
        "after the killed updates: every file once, with the passages of a clean build"
else
    echo "skipped: SIGKILL rounds (PASSIM_WRAPPER)"
fi

# --- SIGINT and SIGTERM: stop at a clean point, commit, say so
N_NOW=$(echo "$REF_FILES" | wc -l)
for sig in INT TERM; do
    want=130
    [ "$sig" = TERM ] && want=143
    # The signal must reach the indexer before its last file: on a loaded
    # machine a round can still lose that race (the indexer ends with status
    # 0 first, or has read every file when the signal comes), so a round
    # that does is tried again, up to three times; an indexer that ignored
    # the signal would end with 0 every time.
    tries=0
    late=yes
    while [ "$late" = yes ] && [ "$tries" -lt 3 ]; do
        tries=$((tries + 1))
        rm -rf "$T/sig.db"
        start_index --jobs 1 --batch 100 --db "$T/sig.db" "$C"
        committed=yes
        wait_committed "$T/sig.db" || committed=no
        [ "$committed" = yes ] && kill -"$sig" "$PID"
        stop_index
        [ "$committed" = no ] && break
        late=no
        if [ "$RC" -eq 0 ] || printf '%s\n' "$ERR" | grep -q 'every file was indexed before it came' \
           || [ "$(files_in "$T/sig.db")" -ge "$N_NOW" ]; then
            late=yes
            echo "SIG$sig, try $tries: the indexer had done every file first (status $RC)"
        fi
    done
    if [ "$committed" = no ]; then
        fail "SIG$sig: the indexer committed nothing before it ended (status $RC)"
        continue
    fi
    expect_no_crash "SIG$sig" "$want"
    expect_match "interrupted by SIG$sig; the files finished so far are committed" "$ERR" \
        "SIG$sig: said on stderr"
    expect_match "^passim-index: .*/sig\\.db: interrupted, not up to date \\([0-9]+ added, 0 updated, 0 removed, 0 unchanged, 0 skipped, 0 failed before it\\) in [0-9.]+ s$" \
        "$OUT" "SIG$sig: the summary says the index is not up to date"
    check_index "$T/sig.db" "after SIG$sig"
    n=$(files_in "$T/sig.db")
    [ "$n" -gt 0 ] && [ "$n" -lt "$N_NOW" ] && pass \
        || fail "SIG$sig: part of the files committed ($n of $N_NOW)"
    run $IDX --jobs 1 --batch 100 --db "$T/sig.db" "$C"
    expect_rc 0 "the run after SIG$sig"
    expect_eq "$("$DBCHECK" "$T/sig.db" --files | sort)" "$REF_FILES" \
        "after SIG$sig and a complete run: same as a clean build"
done
rm -rf "$T/sig.db"

# --- a run started with SIGINT ignored (a script's background job) keeps it
# ignored, as sort and gzip do: kill -INT does not stop it, SIGTERM does
rm -rf "$T/ign.db"
( trap '' INT; exec $IDX --jobs 1 --batch 100 --db "$T/ign.db" "$C" >"$T/bg.out" 2>"$T/bg.err" ) &
PID=$!
if wait_committed "$T/ign.db"; then
    kill -INT "$PID" 2>/dev/null
    sleep 0.2
    kill -TERM "$PID" 2>/dev/null
    stop_index
    expect_no_match 'SIGINT' "$ERR" "SIGINT ignored at the start: not taken"
    # SIGTERM came after it, unless every file was in by then
    [ "$RC" = 143 ] || [ "$RC" = 0 ] && pass \
        || fail "SIGINT ignored at the start: status $RC, not 143 (SIGTERM) or 0"
    check_index "$T/ign.db" "SIGINT ignored at the start"
else
    stop_index
    echo "SIGINT ignored at the start: the indexer committed nothing before it ended (status $RC)"
fi
rm -rf "$T/ign.db"

# --- a file deleted while a rebuild runs: once the walk has listed it, it
# is nothing to index (deleted before the walk reached it) or cannot be read
# (deleted after: a failure, as grep counts one); either way its article is
# removed because the file is gone, not for being no text any more, and the
# rebuild goes on
rm -rf "$T/del.db" "$T/del"
cp -r "$C" "$T/del"
run $IDX -q --db "$T/del.db" "$T/del"
expect_rc 0 "a file deleted during a rebuild: the first build"
last=$(ls "$T/del" | sort | tail -n 1)
# Not quiet: the removal is noted.
env --default-signal=INT $PASSIM_INDEX --no-progress --rebuild --jobs 1 --batch 100 \
    --db "$T/del.db" "$T/del" >"$T/bg.out" 2>"$T/bg.err" &
PID=$!
wait_tmp "$T/del.db" rebuild
rm "$T/del/$last"
stop_index
if printf '%s\n' "$ERR" | grep -q "$last: removed from the index"; then
    expect_match "$last: removed from the index \\(file is gone\\)" "$ERR" \
        "a file deleted during a rebuild: removed as gone"
    expect_no_match 'not a text file any more|not rebuilt' "$ERR" \
        "a file deleted during a rebuild: not said to be no text, nor a reason to refuse"
    if printf '%s\n' "$ERR" | grep -q "$last: cannot read"; then
        expect_rc 1 "a file deleted during a rebuild, once the walk met it"
    else
        expect_rc 0 "a file deleted during a rebuild, before the walk met it"
    fi
else
    echo "a file deleted during a rebuild: it was read before it was deleted (status $RC)"
    expect_rc 0 "a file deleted during a rebuild, once read"
fi
check_index "$T/del.db" "a file deleted during a rebuild"
rm -rf "$T/del.db" "$T/del"

# --- the same made certain: a file its folder lists, gone when the walk
# looks at it (strace fails every call on it as on a deleted file), is no
# failure, and the rebuild removes its article as gone
if [ -z "$WRAP" ] && command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
    mkdir "$T/del"
    cp "$C/1.txt" "$C/2.txt" "$T/del/"
    run $IDX --db "$T/del.db" "$T/del"
    calls=stat,lstat,newfstatat,statx,open,openat
    # (LeakSanitizer cannot run under ptrace: a sanitizer build checks no
    # leaks in this one run.)
    run env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        strace -f -qq -o /dev/null -P "$T/del/2.txt" -P "$(cd "$T/del" && pwd -P)/2.txt" \
        -e trace=$calls -e inject=$calls:error=ENOENT \
        $PASSIM_INDEX --no-progress --rebuild --jobs 1 --db "$T/del.db" "$T/del"
    expect_rc 0 "a file gone when the walk looks at it"
    expect_match '2\.txt: removed from the index \(file is gone\)' "$ERR" \
        "a file gone when the walk looks at it: its article removed as gone"
    expect_no_match 'cannot read|not rebuilt' "$ERR" \
        "a file gone when the walk looks at it: no failure"
    rm -rf "$T/del.db" "$T/del"
else
    echo "skipped: a file gone when the walk looks at it (no strace, or under PASSIM_WRAPPER)"
fi

# --- a file system that cannot exchange two folders in one step (NFS, CIFS,
# FUSE, exFAT: renameat2(RENAME_EXCHANGE) fails with EINVAL, as strace makes
# it fail here): the new index replaces the old in two renames, in a first
# build on two jobs, in --rebuild on one and two, and in the compaction that
# ends a first build on one job (which then leaves no mark of an unfinished
# first build)
if [ -z "$WRAP" ] && command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
    mkdir "$T/ex"
    cp "$C/1.txt" "$C/2.txt" "$C/3.txt" "$T/ex/"
    no_exchange() {
        run env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
            strace -f -qq -o /dev/null -e trace=renameat2 -e inject=renameat2:error=EINVAL \
            $PASSIM_INDEX --no-progress "$@" --db "$T/ex.db" "$T/ex"
    }
    for args in "--jobs 2" "--rebuild --jobs 2" "--rebuild --jobs 1" "--jobs 1"; do
        [ "$args" = "--jobs 1" ] && rm -rf "$T/ex.db"
        no_exchange $args
        expect_rc 0 "no folder exchange, $args"
        check_index "$T/ex.db" "no folder exchange, $args"
        expect_eq "$(files_in "$T/ex.db")" 3 "no folder exchange, $args: the files are in"
        no_tmp_left "$T/ex.db" "no folder exchange, $args"
    done
    run $IDX --db "$T/ex.db" "$T/ex"
    expect_rc 0 "no folder exchange: the first build on one job was completed"
    expect_match 'up to date' "$OUT" "no folder exchange: the next run has nothing to do"

    # A run that died between the two renames left no index in place and
    # the old one aside: the next run puts it back. One that died after
    # them left the old one aside only: the next run removes it.
    sh -c 'exit 0' &
    dead=$!
    wait "$dead"
    mv "$T/ex.db" "$T/ex.db.tmp-$dead-replaced"
    run $PASSIM_SEARCH --db "$T/ex.db" market
    expect_rc 2 "the index moved aside by a run that died: not found"
    run $PASSIM_INDEX --no-progress --db "$T/ex.db" "$T/ex"
    expect_rc 0 "the index moved aside by a run that died: the next run"
    expect_match "put back the index that a run stopped while replacing it had left at .*ex\.db\.tmp-$dead-replaced" \
        "$ERR" "the index moved aside by a run that died: put back, and said so"
    expect_match 'up to date' "$OUT" "the index moved aside by a run that died: as it was"
    no_tmp_left "$T/ex.db" "the index moved aside by a run that died"
    cp -R "$T/ex.db" "$T/ex.db.tmp-$dead-replaced"
    run $IDX --db "$T/ex.db" "$T/ex"
    expect_rc 0 "an old index left aside by a run that died once the new was in"
    no_tmp_left "$T/ex.db" "an old index left aside by a run that died once the new was in"

    # The same through a symbolic link to the index, whose target is gone.
    mkdir "$T/store"
    mv "$T/ex.db" "$T/store/idx.db.tmp-$dead-replaced"
    ln -s "$T/store/idx.db" "$T/link.db"
    run $PASSIM_INDEX --no-progress --db "$T/link.db" "$T/ex"
    expect_rc 0 "an index moved aside, through a link: the next run"
    expect_match "put back the index" "$ERR" "an index moved aside, through a link: put back"
    expect_match 'up to date' "$OUT" "an index moved aside, through a link: as it was"
    no_tmp_left "$T/store/idx.db" "an index moved aside, through a link"
    # While the run that moved it aside is at work (alive, holding its
    # lock), another run finds no index, and must not make one.
    mv "$T/store/idx.db" "$T/store/idx.db.tmp-$dead-replaced"
    hold_lock "$T/store/idx.db.tmp-$dead-replaced/flintlock"
    run $PASSIM_INDEX --no-progress --db "$T/link.db" "$T/ex"
    expect_rc 2 "an index moved aside by a run at work: another run"
    expect_match "another passim-index \(pid $dead\) is replacing the index" "$ERR" \
        "an index moved aside by a run at work: said so"
    [ ! -e "$T/store/idx.db" ] && pass || fail "an index moved aside by a run at work: none made"
    kill "$locker" 2>/dev/null
    wait "$locker" 2>/dev/null
    run $PASSIM_INDEX --no-progress --db "$T/link.db" "$T/ex"
    expect_rc 0 "an index moved aside, once its run has ended"
    expect_match 'up to date' "$OUT" "an index moved aside, once its run has ended: as it was"
    mv "$T/store/idx.db" "$T/ex.db"
    rm -rf "$T/store" "$T/link.db"

    # The position table failing to open (too many open files) at one of
    # its first opens: Xapian takes it for no table, and a compaction would
    # drop it. The run fails, or makes a complete index; never one without
    # positions.
    abs_db=$(cd "$T" && pwd -P)/ex.db
    for when in 2 3 4; do
        rm -rf "$T/ex.db"
        run env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
            strace -f -qq -o /dev/null -P "$abs_db/position.glass" -e trace=openat \
            -e inject=openat:error=EMFILE:when=$when \
            $PASSIM_INDEX --no-progress --jobs 1 --db "$abs_db" "$T/ex"
        if [ "$RC" != 0 ]; then
            expect_rc 2 "position table not opened, open $when"
            expect_match 'could not be compacted .*position table is missing or empty \(or could not be opened\)' \
                "$ERR" "position table not opened, open $when: the compaction says why it failed"
        fi
        check_index "$T/ex.db" "position table not opened, open $when"
        run $IDX --db "$T/ex.db" "$T/ex"
        expect_rc 0 "position table not opened, open $when: the next run"
        check_index "$T/ex.db" "position table not opened, open $when: the next run"
        no_tmp_left "$T/ex.db" "position table not opened, open $when"
    done
    rm -rf "$T/ex.db" "$T/ex"
else
    echo "skipped: a file system that cannot exchange folders (no strace, or under PASSIM_WRAPPER)"
fi

# --- temporary folders of a run whose pid a later process has taken: that
# process started after the folder was last written, so it is not the run,
# and the folder goes; one written since that process started stays. An
# index moved aside whose lock a writer holds stays, whatever its pid says.
mkdir "$T/pr"
cp "$C/1.txt" "$T/pr/"
run $IDX --db "$T/pr.db" "$T/pr"
sleep 60 &
live=$!
sh -c 'exit 0' &
dead=$!
wait "$dead"
mkdir "$T/pr.db.tmp-$live-rebuild" "$T/pr.db.tmp-$live-merged"
touch -d '2020-01-01 12:00' "$T/pr.db.tmp-$live-rebuild"
cp -R "$T/pr.db" "$T/pr.db.tmp-$dead-replaced"
hold_lock "$T/pr.db.tmp-$dead-replaced/flintlock"
run $IDX --db "$T/pr.db" "$T/pr"
expect_rc 0 "a run's pid taken by a later process"
[ ! -e "$T/pr.db.tmp-$live-rebuild" ] && pass \
    || fail "a folder written before its pid's process started: removed"
[ -d "$T/pr.db.tmp-$live-merged" ] && pass \
    || fail "a folder written since its pid's process started: kept"
[ -d "$T/pr.db.tmp-$dead-replaced" ] && pass \
    || fail "an index moved aside, its lock held: kept"
kill "$live" "$locker" 2>/dev/null
wait "$live" "$locker" 2>/dev/null
run $IDX --db "$T/pr.db" "$T/pr"
no_tmp_left "$T/pr.db" "once the pid's process and the lock are gone"
rm -rf "$T/pr.db" "$T/pr"

# --- an update stopped by SIGINT, while a file the index holds is a pipe
# now: that file stays in the index, and the summary counts it as skipped
# (the run ends before the removals could decide on it)
rm -rf "$T/pipe.db" "$T/pc"
mkdir "$T/pc"
cp "$C/1.txt" "$C/2.txt" "$T/pc/"
run $IDX --db "$T/pipe.db" "$T/pc"
expect_rc 0 "a pipe in an update: the first build"
rm "$T/pc/1.txt"
mkfifo "$T/pc/1.txt"
for f in "$C"/*.txt; do cp "$f" "$T/pc/new-${f##*/}"; done
before=$("$DBCHECK" "$T/pipe.db" --docs)
start_index --jobs 1 --batch 100 --db "$T/pipe.db" "$T/pc"
i=0
while [ "$i" -lt 6000 ] && [ "$("$DBCHECK" "$T/pipe.db" --docs 2>/dev/null)" -le "$before" ] \
      && kill -0 "$PID" 2>/dev/null; do
    sleep 0.02
    i=$((i + 1))
done
kill -INT "$PID" 2>/dev/null
stop_index
if [ "$RC" = 130 ]; then
    expect_match '1 skipped' "$OUT$ERR" "a pipe in an update stopped by SIGINT: counted as skipped"
    expect_eq "$("$DBCHECK" "$T/pipe.db" --files | grep -c '/pc/1\.txt$')" 1 \
        "a pipe in an update stopped by SIGINT: its article stays"
else
    echo "a pipe in an update: the indexer had ended before SIGINT came"
    expect_rc 0 "a pipe in an update (it ended before SIGINT came)"
    expect_match '1 removed' "$OUT$ERR" "a pipe in an update: counted as removed"
fi
rm -rf "$T/pipe.db" "$T/pc"

# signal_while_compacting SIG DB: a first build of $C into DB on one writer,
# sent SIG once it starts compacting (if it gets there before it ends); RC
# and the outputs as stop_index leaves them.
signal_while_compacting() {
    rm -rf "$2"
    start_index --jobs 1 --db "$2" "$C"
    wait_tmp "$2" compact
    kill -"$1" "$PID" 2>/dev/null
    stop_index
}

# --- a first build killed while it compacts its index: complete and
# searchable, but not compacted; the next run compacts it, and only it
if [ -z "$WRAP" ]; then
    signal_while_compacting KILL "$T/cmp.db"
    # On a loaded machine the kill can land once the compacted copy is in
    # place, while the old index is being removed: it no longer carries the
    # mark of a first build, and there is nothing left to compact.
    if [ "$RC" = 137 ] && [ "$("$DBCHECK" "$T/cmp.db" --first-build)" = no ]; then
        echo "the kill came once the compacted index was in place"
        check_index "$T/cmp.db" "killed after compacting"
        run $IDX --jobs 1 --db "$T/cmp.db" "$C"
        expect_match 'up to date, nothing changed' "$OUT" "killed after compacting: every file was in"
        no_tmp_left "$T/cmp.db" "killed after compacting"
    elif [ "$RC" = 137 ]; then
        check_index "$T/cmp.db" "killed while compacting"
        big=$(du -sk "$T/cmp.db" | cut -f1)
        run $IDX --jobs 1 --db "$T/cmp.db" "$C"
        expect_match 'up to date, nothing changed' "$OUT" "killed while compacting: every file was in"
        small=$(du -sk "$T/cmp.db" | cut -f1)
        [ "$small" -lt "$big" ] && pass \
            || fail "killed while compacting: the next run compacts ($big KB, then $small KB)"
        no_tmp_left "$T/cmp.db" "killed while compacting"
        run $IDX --jobs 1 --db "$T/cmp.db" "$C"
        [ "$(du -sk "$T/cmp.db" | cut -f1)" -eq "$small" ] && pass \
            || fail "killed while compacting: the run after does not compact again"
    else
        echo "the first build ended before its compaction could be caught (status $RC)"
    fi
    rm -rf "$T/cmp.db"
fi

# --- a first build interrupted while it compacts: every file was in, and
# the message says so rather than asking for another run
if [ -z "$WRAP" ]; then
    signal_while_compacting INT "$T/cmpi.db"
    if [ "$RC" = 130 ]; then
        expect_match 'interrupted by SIGINT; every file was indexed before it came, and is committed' \
            "$ERR" "SIGINT while compacting: every file is said to be in"
        expect_no_match 'run again' "$ERR" "SIGINT while compacting: no other run asked for"
        check_index "$T/cmpi.db" "SIGINT while compacting"
        run $IDX --jobs 1 --db "$T/cmpi.db" "$C"
        expect_match 'up to date, nothing changed' "$OUT" "SIGINT while compacting: nothing left to do"
        no_tmp_left "$T/cmpi.db" "SIGINT while compacting"
    else
        echo "the first build ended before its compaction could be caught (status $RC)"
    fi
    rm -rf "$T/cmpi.db"
fi

# The index the rebuilds below must leave as it is: the reference build.
rm -rf "$DB"
cp -R "$T/ref.db" "$DB"
BEFORE=$("$DBCHECK" "$DB" --files | sort)

# --- --rebuild killed midway, with one job and with two
if [ -z "$WRAP" ]; then
    for jobs in 1 2 1 2; do
        d=$(delay "$k" "$T_FAST")
        kill_after "$d" --rebuild --jobs "$jobs" --db "$DB" "$C"
        echo "--rebuild --jobs $jobs killed after $d s: exit status $RC"
        expect_no_crash "--rebuild --jobs $jobs, killed" "0 137"
        check_index "$DB" "--rebuild --jobs $jobs, killed"
        expect_eq "$("$DBCHECK" "$DB" --files | sort)" "$BEFORE" \
            "--rebuild --jobs $jobs, killed: the index is as before"
        k=$((k + 1))
    done
    run $IDX --db "$DB" "$C"
    expect_rc 0 "the run after the killed rebuilds"
    expect_match 'up to date, nothing changed' "$OUT" "the killed rebuilds changed nothing"
    no_tmp_left "$DB" "after the killed rebuilds"
fi

# --- the temporary folders of a killed run beside an index named without a
# folder (--db idx.db, from the folder that holds it): removed by the next run
dead=$(sh -c 'echo $$') # a process that has ended
mkdir "idx.db.tmp-$dead-rebuild" "idx.db.tmp-$dead-shard0"
: >"idx.db.tmp-$dead-shard0/postlist.glass"
run $IDX --db idx.db "$C"
expect_rc 0 "a run beside the folders of a dead run"
no_tmp_left "$DB" "--db idx.db, the folders of a dead run"
# A run killed with its parent (timeout -s KILL) is a zombie until reaped:
# ended all the same, as /proc tells (without it, it is kept: alive).
if [ -r /proc/self/stat ]; then
    zombie_dir=$T/zombie
    mkdir -p "$zombie_dir"
    ( sh -c 'exit 0' & echo $! >"$zombie_dir/pid"; exec sleep 60 ) &
    zombie_parent=$!
    while [ ! -s "$zombie_dir/pid" ]; do sleep 0.05; done
    zombie=$(cat "$zombie_dir/pid")
    i=0
    while ! grep -q '^State:[[:space:]]*Z' "/proc/$zombie/status" 2>/dev/null && [ "$i" -lt 100 ]; do
        sleep 0.05
        i=$((i + 1))
    done
    mkdir "idx.db.tmp-$zombie-shard0"
    run $IDX --db idx.db "$C"
    no_tmp_left "$DB" "--db idx.db, the folders of a zombie run"
    kill "$zombie_parent" 2>/dev/null
    wait "$zombie_parent" 2>/dev/null
fi
if [ -z "$WRAP" ]; then
    start_index --rebuild --jobs 2 --db idx.db "$C"
    i=0
    while [ "$i" -lt 2000 ] && ! ls -d "$DB".tmp-* >/dev/null 2>&1; do
        sleep 0.01
        i=$((i + 1))
    done
    kill -KILL "$PID" 2>/dev/null
    stop_index
    run $IDX --db idx.db "$C"
    expect_rc 0 "the run after a rebuild of --db idx.db killed"
    no_tmp_left "$DB" "--rebuild of --db idx.db, killed"
fi

# --- --rebuild --jobs 2 stopped by SIGTERM: nothing changes, nothing is left.
# On a quiet machine the rebuild can be complete before the signal comes
# (and is then put in place, rightly): a round that lost that race is tried
# again, sooner.
for pause in 0.2 0.05 0; do
    start_index --rebuild --jobs 2 --db "$DB" "$C"
    wait_shards "$DB"
    sleep "$pause"
    kill -0 "$PID" 2>/dev/null && kill -TERM "$PID"
    stop_index
    [ "$RC" -eq 0 ] || printf '%s\n' "$ERR" | grep -q 'the new index was complete' || break
    echo "--rebuild --jobs 2, SIGTERM after $pause s: the rebuild had completed first"
done
expect_no_crash "--rebuild --jobs 2, SIGTERM" "143"
expect_match '^passim-index: stopping; this build is dropped unless it is complete already' \
    "$ERR" "--rebuild, SIGTERM: answered at once"
expect_match 'interrupted by SIGTERM; nothing was changed' "$ERR" "--rebuild, SIGTERM: said on stderr"
expect_match '^passim-index: .*/idx\.db: interrupted, nothing changed \([0-9]+ files? indexed by this run (was|were) discarded\) in [0-9.]+ s$' \
    "$OUT" "--rebuild, SIGTERM: the summary says nothing changed"
check_index "$DB" "--rebuild --jobs 2, SIGTERM"
expect_eq "$("$DBCHECK" "$DB" --files | sort)" "$BEFORE" "--rebuild, SIGTERM: the index is as before"
no_tmp_left "$DB" "--rebuild, SIGTERM"

# --- SIGINT inside a large file: said at once; a second SIGINT stops the
# run there and then, and the index keeps its last commit (not under
# PASSIM_WRAPPER: valgrind delivers signals late, and the timing is lost)
if [ -z "$WRAP" ]; then
    mkdir "$T/big"
    cp "$C/1.txt" "$T/big/"
    python3 - "$T/big/large.txt" <<'EOF'
import random, sys
rnd = random.Random(7)
words = ['oil', 'price', 'market', 'grain', 'talks', 'bank', 'rate', 'trade', 'ship', 'crop']
with open(sys.argv[1], 'w') as f:
    for i in range(60000):
        f.write(' '.join(rnd.choice(words) for _ in range(20)) + '.\n\n')
EOF
    # The first signal must come while large.txt is indexed (about 2 s), the
    # second before that file is done: a round in which the run got to a
    # clean point first (a loaded machine's delays) is tried again, up to
    # three times; a second signal that did not stop the run would lose
    # every round.
    for try in 1 2 3; do
        rm -rf "$T/big.db"
        run $IDX --jobs 1 --db "$T/big.db" "$T/big/1.txt"
        expect_rc 0 "SIGINT twice: the first build"
        start_index --jobs 1 --db "$T/big.db" "$T/big"
        sleep 0.5
        kill -INT "$PID" 2>/dev/null
        i=0
        while [ "$i" -lt 500 ] && ! grep -q 'stopping at a clean point' "$T/bg.err" && kill -0 "$PID" 2>/dev/null; do
            sleep 0.02
            i=$((i + 1))
        done
        alive=no
        kill -0 "$PID" 2>/dev/null && alive=yes && kill -INT "$PID" 2>/dev/null
        stop_index
        [ "$alive" = yes ] && ! printf '%s\n' "$ERR" | grep -q 'interrupted by SIGINT;' && break
        echo "SIGINT twice, try $try: the run got to a clean point before the second signal (status $RC)"
    done
    if [ "$alive" = yes ]; then
        expect_match 'stopping at a clean point; interrupt again to stop at once' "$ERR" \
            "SIGINT inside a large file: said at once"
        expect_eq "$RC" 130 "SIGINT twice: the run ends by the signal"
        expect_no_match 'interrupted by SIGINT;' "$ERR" "SIGINT twice: there and then, with no summary"
        check_index "$T/big.db" "after SIGINT twice"
        expect_eq "$(files_in "$T/big.db")" 1 "SIGINT twice: the index keeps its last commit"
        run $IDX --jobs 1 --db "$T/big.db" "$T/big"
        expect_rc 0 "the run after SIGINT twice"
        expect_eq "$(files_in "$T/big.db")" 2 "the run after SIGINT twice: the large file is in"
        no_tmp_left "$T/big.db" "SIGINT twice"
    else
        echo "SIGINT inside a large file: the indexer had ended first (status $RC)"
    fi
    rm -rf "$T/big" "$T/big.db"
else
    echo "skipped: SIGINT twice inside a large file (PASSIM_WRAPPER)"
fi

# --- a fresh build on two threads stopped by SIGINT: no index, and the
# summary counts nothing as added; a folder given empty is left empty (a
# round in which the build was complete before the signal came is tried
# again, up to three times)
F=$T/int.db
for made in no yes; do
    for try in 1 2 3; do
        rm -rf "$F"
        [ "$made" = yes ] && mkdir "$F"
        start_index --jobs 2 --db "$F" "$C"
        wait_shards "$F"
        kill -0 "$PID" 2>/dev/null && kill -INT "$PID"
        stop_index
        [ "$RC" -eq 0 ] || printf '%s\n' "$ERR" | grep -q 'the new index was complete' || break
        echo "fresh --jobs 2 build, SIGINT, try $try: the build had completed first"
    done
    what="fresh --jobs 2 build (folder made first: $made), SIGINT"
    expect_no_crash "$what" "130"
    expect_match '^passim-index: stopping; this build is dropped unless it is complete already' \
        "$ERR" "$what: the first signal answered at once"
    expect_match 'interrupted by SIGINT; nothing was changed: no index was made' "$ERR" \
        "$what: said on stderr"
    expect_match '^passim-index: .*/int\.db: interrupted, nothing changed \([0-9]+ files? indexed by this run (was|were) discarded\) in [0-9.]+ s$' \
        "$OUT" "$what: the summary says nothing changed"
    expect_no_match 'added' "$OUT" "$what: no file counted as added"
    expect_eq "$(files_in "$F")" 0 "$what: the index holds nothing"
    if [ "$made" = yes ]; then
        [ -d "$F" ] && [ -z "$(ls -A "$F")" ] && pass || fail "$what: the folder is not left empty"
    else
        [ -e "$F" ] && fail "$what: an empty index folder left behind" || pass
    fi
    no_tmp_left "$F" "$what"
    rm -rf "$F"
done

# --- a fresh build on two threads killed midway, then completed
if [ -z "$WRAP" ]; then
    F=$T/fresh.db
    d=$(delay "$k" "$T_FAST")
    kill_after "$d" --jobs 2 --db "$F" "$C"
    echo "fresh --jobs 2 build killed after $d s: exit status $RC"
    expect_no_crash "fresh --jobs 2 build, killed" "0 137"
    if [ "$RC" -eq 137 ] && [ -f "$F/iamglass" ]; then
        check_index "$F" "fresh --jobs 2 build, killed" first
        # empty, or complete if the kill came after the swap
        n=$(files_in "$F")
        [ "$n" -eq 0 ] || [ "$n" -eq "$N_NOW" ] && pass \
            || fail "fresh --jobs 2 build, killed: $n files, neither none nor all"
    elif [ "$RC" -eq 137 ]; then
        # killed before Xapian had created the index: there is none yet
        run $PASSIM_SEARCH --db "$F" market
        expect_rc 2 "fresh --jobs 2 build, killed before the index existed: search"
        expect_match 'no index here' "$ERR" "fresh --jobs 2 build, killed early: no index yet, said so"
    fi
    run $IDX --jobs 2 --db "$F" "$C"
    expect_rc 0 "the fresh build after the kill"
    expect_eq "$("$DBCHECK" "$F" --files | sort)" "$REF_FILES" \
        "fresh --jobs 2 build after a kill: same as a clean build"
    no_tmp_left "$F" "fresh --jobs 2 build after a kill"
fi

# --- a rebuild stopped inside a long file stops there: its work is discarded
# anyway, so the file is not finished first (it takes seconds: 10 MB of
# words that are nearly all distinct; the signal comes once the run has
# started on it).
if [ -z "$WRAP" ]; then
    mkdir -p "$T/long"
    printf 'Kept\n\nalpha words\n' >"$T/long/a.txt"
    $IDX -q --db "$T/long.db" "$T/long" >/dev/null 2>&1
    python3 -c '
import random, sys
random.seed(7)
with open(sys.argv[1], "w") as f:
    f.write("Long\n\n")
    for i in range(60000):
        f.write(" ".join("w%x" % random.getrandbits(40) for _ in range(12)) + ".\n")
' "$T/long/z.txt"
    for j in 1 2; do
        start_index --rebuild --jobs $j --db "$T/long.db" "$T/long"
        i=0
        while [ "$i" -lt 2000 ] && ! ls -d "$T"/long.db.tmp-* >/dev/null 2>&1; do
            sleep 0.01
            i=$((i + 1))
        done
        sleep 0.5
        kill -INT "$PID"
        stop_index
        expect_no_crash "--rebuild --jobs $j inside a long file, SIGINT" "130"
        expect_match 'interrupted, nothing changed \([01] files? indexed by this run (was|were) discarded\)' \
            "$OUT" "--rebuild --jobs $j: the long file was not finished"
        expect_eq "$("$DBCHECK" "$T/long.db" --files | wc -l | tr -d ' ')" 1 \
            "--rebuild --jobs $j, SIGINT: the index is as it was"
    done
fi

finish
