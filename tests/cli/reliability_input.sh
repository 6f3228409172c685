#!/bin/sh
# reliability_input.sh — hostile input, made here, for both programs: files
# that are empty, binary, full of NUL bytes, broken or foreign encodings, a
# 100 MB line, a 1 MB word, 100,000 tiny files, 200 folders deep, longer than
# PATH_MAX, symbolic link loops, FIFOs, odd names, files that vanish or change
# while passim-index runs; queries that are huge, deeply nested, all
# operators, control characters and broken UTF-8, with odd paging; documents
# that try to drive the terminal. Nothing may crash: every file is indexed or
# reported by name, every bad query is refused with a message (exit 2), and no
# control character, escape sequence or bidi override of a document reaches
# passim-search's text output.
#
# Under PASSIM_WRAPPER (valgrind) the heaviest steps (the 100 MB file, the
# 100,000 files, the files changing during indexing) are skipped, saying so.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/cli/lib.sh"

cd "$T"
HEAVY=yes
if [ -n "$WRAP" ]; then
    HEAVY=
    echo "PASSIM_WRAPPER is set: skipping the 100 MB file, the 100,000 files and the churn"
fi

# term_safe FILE COLOUR WHAT: the bytes of FILE (a program's stdout) are fit
# for a terminal: valid UTF-8; no C0 control but the newline, no DEL, no C1
# control, no bidi embedding, override or isolate; with COLOUR=yes, escape
# sequences only as the SGR marks passim-search writes itself.
term_safe() {
    if python3 - "$1" "$2" <<'EOF'
import re, sys
data = open(sys.argv[1], 'rb').read()
try:
    text = data.decode('utf-8')
except UnicodeDecodeError as e:
    sys.exit('invalid UTF-8 at byte %d: %r' % (e.start, data[max(0, e.start - 20):e.start + 20]))
if sys.argv[2] == 'yes':
    # passim-search's own marks: reset, bold, dim, green, magenta, bold colours
    text = re.sub('\x1b\\[(?:0|1|2|32|35|1;3[1-6])m', '', text)
for i, ch in enumerate(text):
    cp = ord(ch)
    if (cp < 0x20 and ch != '\n') or 0x7f <= cp <= 0x9f or 0x202a <= cp <= 0x202e \
            or 0x2066 <= cp <= 0x2069:
        sys.exit('U+%04X at character %d: %r' % (cp, i, text[max(0, i - 30):i + 30]))
EOF
    then pass; else fail "$3: output unsafe for a terminal"; fi
}

json_ok() { python3 -c 'import json,sys; json.load(sys.stdin)' < "$1"; }

# section NAME: print how long the previous section took.
SECTION_T0=$(date +%s.%N)
section() {
    now=$(date +%s.%N)
    awk -v a="$SECTION_T0" -v b="$now" -v n="$1" 'BEGIN { printf "%-40s %6.1f s\n", n, b - a }'
    SECTION_T0=$now
}

# ---------------------------------------------------------------------------
# Files
D=$T/in
mkdir -p "$D/empty-folder" "$D/sub"
: > "$D/empty.txt"
python3 - "$D" <<'EOF'
import os, random, sys
d = sys.argv[1]
def put(name, data):
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)
rnd = random.Random(7)
put('binary.bin', b'\x7fELF\x02\x01\x01\x00' + bytes(rnd.randrange(256) for _ in range(8192)))
put('nul.txt', b'A text with a NUL\x00 byte near its start, about quokkas.\n')
# a NUL after the first 64 KiB: the text before it counts
put('late-nul.txt', b'Late NUL\n\n' + b'filler words here. ' * 4000 + b'quoll\x00 numbat\n')
put('invalid-utf8.txt', 'Broken UTF-8: caf\u00e9 cr\u00e8me '.encode() + b'\xff\xfe\xc0\xaf ' +
    'd\u00e9j\u00e0 echidna\n'.encode())
put('utf16le.txt', b'\xff\xfe' + 'UTF-16 LE text about a wombat, caf\u00e9.\n'.encode('utf-16-le'))
put('utf16be.txt', b'\xfe\xff' + 'UTF-16 BE text about a dingo, na\u00efve.\n'.encode('utf-16-be'))
put('utf32le.txt', b'\xff\xfe\x00\x00' + 'UTF-32 LE text about a quokka.\n'.encode('utf-32-le'))
put('utf32be.txt', b'\x00\x00\xfe\xff' + 'UTF-32 BE text about a bilby.\n'.encode('utf-32-be'))
put('latin1.txt', 'Latin-1: Gr\u00fc\u00dfe aus M\u00fcnchen, caf\u00e9 cr\u00e8me br\u00fbl\u00e9e.\n'
    .encode('latin-1'))
put('crlf.txt', b'Windows title\r\n\r\nFirst paragraph about a kangaroo.\r\n\r\nSecond one.\r\n')
put('word-1mb.txt', b'One huge word\n\n' + b'x' * (1024 * 1024) + b' afterword\n')
put('controls.txt', b'Controls \x01\x02\x03 between words \x07 platypus\x1b[31m\n')
put('with space.txt', b'A name with a space: spaceqx\n')
put('new\nline.txt', b'A name with a newline: lineqx\n')
put('tab\tname.txt', b'A name with a tab: tabqx\n')
put('\u00fcn\u00efc\u00f6d\u00e9.txt', b'Unicode name: unicodeqx\n')
put(b'\xff\xfe-bad-name.txt'.decode('utf-8', 'surrogateescape'), b'Bad bytes name: badqx\n')
put('-dash.txt', b'A name like an option: dashqx\n')
# a path longer than PATH_MAX (made one level at a time)
os.chdir(d)
for i in range(90):
    name = 'long-%02d-' % i + 'x' * 42
    os.mkdir(name)
    os.chdir(name)
with open('too-deep.txt', 'w') as f:
    f.write('Deeper than PATH_MAX: unreachable\n')
EOF
ln -s loop-b "$D/loop-a"
ln -s loop-a "$D/loop-b"
ln -s .. "$D/sub/up"
ln -s nowhere "$D/dangling"
mkfifo "$D/fifo" 2>/dev/null || true

DB=$T/in.db
run $PASSIM_INDEX --db "$DB" "$D"
expect_no_crash "indexing hostile files" "1"
expect_match 'binary.bin: skipped: not a text file' "$ERR" "binary file skipped, named"
expect_match 'nul.txt: skipped: not a text file' "$ERR" "NUL bytes: skipped, named"
expect_match 'loop-a: symbolic link loop' "$ERR" "link loop named"
expect_match 'sub/up: symbolic link loop' "$ERR" "folder loop named"
expect_match 'dangling: broken symbolic link' "$ERR" "dangling link named"
# Where the limit falls depends on how long the test folder's own path is: on
# a file or folder below the last folder, or on that folder's .passimignore.
expect_match 'long-[0-9]+-x+: cannot (read|walk the folder): its path is too long' "$ERR" \
    "path over PATH_MAX named"
if [ -p "$D/fifo" ]; then
    expect_match 'fifo: skipped: not a regular file$' "$ERR" \
        "a FIFO in a folder is passed over (never opened), with a note"
    expect_match ' [1-9][0-9]* skipped' "$OUT" "the FIFO counted as skipped"
fi
run "$DBCHECK" "$DB"
expect_rc 0 "index of hostile files consistent"
expect_match '^files 17$' "$OUT" "every text file known (17)"
run "$DBCHECK" "$DB" --files
expect_match "^0 $D/empty.txt\$" "$OUT" "empty file known, no passage"
expect_no_match 'binary.bin|/nul.txt' "$OUT" "binary files not indexed"
for t in quoll numbat echidna wombat dingo kangaroo afterword platypus spaceqx lineqx \
         tabqx unicodeqx badqx dashqx munchen cafe naiv quokka bilbi; do
    run "$DBCHECK" "$DB" --term "$t"
    [ "$OUT" -ge 1 ] 2>/dev/null && pass || fail "term '$t' indexed (got '$OUT')"
done
run "$DBCHECK" "$DB" --term unreachable
expect_eq "$OUT" 0 "the file past PATH_MAX is not indexed"
# A NUL past the first 64 KiB is stored as the space it reads as.
run $PASSIM_SEARCH --db "$DB" -f json quoll
expect_match '"text": "[^"]*quoll  numbat' "$OUT" "a late NUL is stored as a space"
expect_no_match 'u0000' "$OUT" "no NUL in the stored passage"
# 200 folders deep: the file's path (about 650 bytes) is longer than a Xapian
# term or key may be.
mkdir -p "$T/deep/$(printf 'dd/%.0s' $(seq 200))"
printf 'At the bottom\n\nAn abysmal depth.\n' > "$T/deep/$(printf 'dd/%.0s' $(seq 200))bottom.txt"
run $PASSIM_INDEX --db "$T/deep.db" "$T/deep"
expect_no_crash "200 folders deep" "0"
run "$DBCHECK" "$T/deep.db"
expect_rc 0 "200 folders deep: index consistent"
expect_match '^files 1$' "$OUT" "200 folders deep: the file is indexed"
run "$DBCHECK" "$T/deep.db" --term abysm
expect_eq "$OUT" 1 "200 folders deep: its words are searchable"
run $PASSIM_INDEX --db "$T/deep.db" "$T/deep"
expect_no_crash "200 folders deep, second run" "0"
expect_match 'up to date, nothing changed \(1 unchanged' "$OUT" "200 folders deep: second run changes nothing"

# The second run changes nothing, odd names included.
run $PASSIM_INDEX --db "$DB" "$D"
expect_no_crash "second run over hostile files" "1"
expect_match ': nothing changed \(17 unchanged, [0-9]+ skipped, [1-9][0-9]* failed\)' "$OUT" \
    "second run: nothing changed"
expect_no_match 'up to date' "$OUT" "not 'up to date' when something could not be read"

# Searching it: every odd path comes out as valid JSON.
run $PASSIM_SEARCH --db "$DB" -f json -n 100 --any \
    'spaceqx lineqx tabqx unicodeqx badqx dashqx platypus wombat dingo'
expect_no_crash "search over odd names" "0"
printf '%s' "$OUT" > "$T/odd.json"
json_ok "$T/odd.json" && pass || fail "JSON with odd paths parses"
run $PASSIM_SEARCH --db "$DB" --color=always --any \
    'spaceqx lineqx tabqx unicodeqx badqx dashqx platypus'
term_safe "$T/out" yes "text output of odd names and controls"
section "files"

# ---------------------------------------------------------------------------
# Terminal safety: escape sequences, C1 controls and bidi overrides in a
# document's title, heading and body, then in a file name.
H=$T/hostile
mkdir -p "$H/doc" "$H/name"
printf '# Title \033]0;pwned\007 \033[2J\033[5m zebrafish \342\200\256gnp.exe\342\200\254 \302\233\061m\n\n## Heading \302\205 \342\201\246isolated\342\201\251 \033[38;5;196mred\n\nBody: zebrafish \033[31;5mblink\033[0m, \302\2331337m C1, \342\200\256override\342\200\254 and \342\200\253embed\342\200\254, \033]8;;http://evil\033\\link\033]8;;\033\\ \177 DEL \r carriage.\n' > "$H/doc/evil.md"
printf 'Plain title\n\nAn ordinary zebrafish text.\n' > "$H/name/$(printf 'esc\033[31m-\302\233-\342\200\256bidi.txt')"
run $PASSIM_INDEX --db "$T/hostile.db" "$H/doc"
expect_no_crash "indexing a hostile document" "0"
for c in always never; do
    for h in ansi plain markdown html none; do
        run $PASSIM_SEARCH --db "$T/hostile.db" --color=$c --highlight=$h zebrafish
        expect_no_crash "hostile document, --color=$c --highlight=$h" "0"
        # ANSI highlighting writes its own marks, colour or not.
        sgr=no
        [ $c = always ] || [ $h = ansi ] && sgr=yes
        term_safe "$T/out" $sgr "hostile document, --color=$c --highlight=$h"
    done
done
run $PASSIM_SEARCH --db "$T/hostile.db" --color=always --explain zebrafish
term_safe "$T/out" yes "hostile document, --explain"
run $PASSIM_SEARCH --db "$T/hostile.db" --vimgrep zebrafish
term_safe "$T/out" no "hostile document, --vimgrep"
run $PASSIM_SEARCH --db "$T/hostile.db" -f json zebrafish
printf '%s' "$OUT" > "$T/hostile.json"
json_ok "$T/hostile.json" && pass || fail "JSON of a hostile document parses"
expect_no_match "$(printf '\033')" "$OUT" "no raw ESC in JSON"
# C1 controls and bidi controls are \u escapes in JSON, read back as themselves.
printf '%s' "$OUT" | python3 -c '
import json, sys
raw = sys.stdin.buffer.read()
bad = [c for c in ("\u009b", "\u0085", "\u202e", "\u2066") if c.encode() in raw]
text = json.loads(raw)["results"][0]["text"]
sys.exit("raw " + repr(bad) if bad else 0 if "\u202egnp.exe\u202c" in text else "lost")' \
    && pass || fail "JSON escapes C1 and bidi controls, and keeps them"
# Escape sequences go whole, not only their ESC: no "]0;pwned" or "[31;5m"
# left behind, in any format; the text around them stays.
LEFTOVERS='pwned|\[2J|\[5m|38;5;196m|31;5m|\[0m|1337m|8;;|http'
run $PASSIM_SEARCH --db "$T/hostile.db" --color=never zebrafish
expect_no_match "$LEFTOVERS" "$OUT" "no remains of escape sequences in text"
expect_match '^1\. Title zebrafish gnp\.exe' "$OUT" "the title without its escape sequences"
expect_match 'Heading isolated red' "$OUT" "the heading without its escape sequences"
expect_match 'blink, C1, .*link DEL carriage' "$OUT" "the snippet without its escape sequences"
for f in "--highlight=html" "--vimgrep"; do
    run $PASSIM_SEARCH --db "$T/hostile.db" --color=never $f zebrafish
    expect_no_match "$LEFTOVERS" "$OUT" "no remains of escape sequences with $f"
done
run $PASSIM_SEARCH --db "$T/hostile.db" -f json zebrafish
printf '%s' "$OUT" | python3 -c '
import json, re, sys
r = json.load(sys.stdin)["results"][0]
left = [k for k in ("title", "heading", "snippet") if re.search(sys.argv[1], r[k])]
sys.exit("remains in " + ", ".join(left) if left else 0)' "$LEFTOVERS" && pass \
    || fail "no remains of escape sequences in JSON titles, headings and snippets"
# The file name itself: printed as the path of every hit.
run $PASSIM_INDEX --db "$T/hostile-name.db" "$H/name"
expect_no_crash "indexing a file with a hostile name" "0"
for c in always never; do
    run $PASSIM_SEARCH --db "$T/hostile-name.db" --color=$c zebrafish
    term_safe "$T/out" $([ $c = always ] && echo yes || echo no) "hostile file name, --color=$c"
done
run $PASSIM_SEARCH --db "$T/hostile-name.db" --vimgrep zebrafish
term_safe "$T/out" no "hostile file name, --vimgrep"
section "terminal safety"

# ---------------------------------------------------------------------------
# A 100 MB single-line file: bounded passages, bounded memory.
if [ -n "$HEAVY" ]; then
    mkdir "$T/big"
    # One line of 100 MiB: sentences of a few words (a richer vocabulary makes
    # Xapian, not passim, the cost: about 1 MB/s).
    python3 - "$T/big/line.txt" <<'EOF'
import sys
chunk = b'Lorem ipsum dolor sit amet, consectetur adipiscing elit. Quokka numbat! ' * 1024
size = 100 * 1024 * 1024
with open(sys.argv[1], 'wb') as f:
    for _ in range(size // len(chunk)):
        f.write(chunk)
    f.write(chunk[:size % len(chunk)])
with open(sys.argv[1] + '.word', 'w') as f:
    f.write('consectetur')
EOF
    # ru_maxrss of the child, in KB: the indexer's peak resident memory.
    python3 -c '
import resource, subprocess, sys
with open(sys.argv[1], "w") as out, open(sys.argv[2], "w") as err:
    rc = subprocess.call(sys.argv[4:], stdout=out, stderr=err)
with open(sys.argv[3], "w") as f:
    f.write("%d %d\n" % (rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
' "$T/out" "$T/err" "$T/rss" $PASSIM_INDEX --db "$T/big.db" "$T/big"
    read RC rss < "$T/rss"
    ERR=$(cat "$T/err")
    expect_no_crash "100 MB single-line file" "0"
    # The bound: the file itself, its analysis and Xapian's buffers stay well
    # under 512 MB. AddressSanitizer's shadow memory and quarantine of freed
    # blocks multiply that; its build gets a looser bound.
    limit_mb=512
    if ldd "$top_builddir/passim-index" 2>/dev/null | grep -q libasan; then
        limit_mb=3072
    fi
    echo "peak RSS of passim-index for a 100 MB single-line file: $((rss / 1024)) MB (bound $limit_mb MB)"
    [ "$rss" -le $((limit_mb * 1024)) ] && pass || fail "peak RSS $((rss / 1024)) MB over $limit_mb MB"
    run "$DBCHECK" "$T/big.db"
    expect_rc 0 "100 MB line: index consistent"
    n=$(printf '%s\n' "$OUT" | sed -n 's/^docs //p')
    [ "${n:-0}" -ge 80000 ] && [ "${n:-0}" -le 200000 ] && pass \
        || fail "100 MB line cut into bounded passages (got ${n:-?})"
    rm -f "$T/big/line.txt"
    run $PASSIM_SEARCH --db "$T/big.db" -n 3 "$(cat "$T/big/line.txt.word")"
    expect_no_crash "search in the 100 MB line's index" "0"
    rm -rf "$T/big.db"
else
    echo "skipped: the 100 MB single-line file (PASSIM_WRAPPER)"
fi
section "100 MB single line"

# ---------------------------------------------------------------------------
# 100,000 tiny files.
if [ -n "$HEAVY" ]; then
    python3 - "$T/many" <<'EOF'
import os, sys
root = sys.argv[1]
for d in range(100):
    p = os.path.join(root, 'd%02d' % d)
    os.makedirs(p)
    for i in range(1000):
        with open(os.path.join(p, 'f%03d.txt' % i), 'w') as f:
            f.write('Note %d\n\nTiny note number w%d.\n' % (d * 1000 + i, d * 1000 + i))
EOF
    run $PASSIM_INDEX -q --db "$T/many.db" "$T/many"
    expect_no_crash "100,000 tiny files" "0"
    run "$DBCHECK" "$T/many.db"
    expect_rc 0 "100,000 files: index consistent"
    expect_eq "$(printf '%s\n' "$OUT" | tr '\n' ' ')" "docs 100000 files 100000 passages 100000 " \
        "100,000 files: every one indexed once"
    run $PASSIM_INDEX -q --db "$T/many.db" "$T/many"
    expect_no_crash "100,000 tiny files again" "0"
    expect_match 'up to date, nothing changed \(100000 unchanged' "$OUT" "100,000 files: second run"
    rm -rf "$T/many" "$T/many.db"
else
    echo "skipped: the 100,000 tiny files (PASSIM_WRAPPER)"
fi
section "100,000 files"

# ---------------------------------------------------------------------------
# Files that vanish, reappear, shrink and grow while passim-index runs.
if [ -n "$HEAVY" ]; then
    V=$T/churn
    python3 - "$V" <<'EOF'
import os, sys
os.makedirs(sys.argv[1])
for i in range(3000):
    with open(os.path.join(sys.argv[1], 'f%04d.txt' % i), 'w') as f:
        f.write('Churn %d\n\nThe first version of file %d, with some words in it.\n' % (i, i))
EOF
    # A loop that deletes, rewrites, truncates and appends to files, and
    # turns one into a folder and back, until told to stop.
    python3 - "$V" "$T/churn.stop" <<'EOF' &
import os, random, sys, time
d, stop = sys.argv[1], sys.argv[2]
rnd = random.Random(3)
n = 0
while not os.path.exists(stop):
    i = rnd.randrange(3000)
    p = os.path.join(d, 'f%04d.txt' % i)
    what = n % 5
    try:
        if what == 0:
            os.unlink(p)
        elif what == 1:
            with open(p, 'w') as f:
                f.write('Churn %d\n\nRewritten %d times.\n' % (i, n))
        elif what == 2:
            with open(p, 'w') as f:
                pass
        elif what == 3:
            with open(p, 'a') as f:
                f.write('More words, appended %d.\n' % n)
        else:
            if os.path.isfile(p):
                os.unlink(p)
            os.mkdir(p)
            time.sleep(0.001)
            os.rmdir(p)
            with open(p, 'w') as f:
                f.write('Churn %d\n\nBack from a folder.\n' % i)
    except OSError:
        pass
    n += 1
# leave every file in place for the final check
for i in range(3000):
    p = os.path.join(d, 'f%04d.txt' % i)
    if os.path.isdir(p):
        os.rmdir(p)
    if not os.path.exists(p):
        with open(p, 'w') as f:
            f.write('Churn %d\n\nRestored.\n' % i)
EOF
    churn=$!
    for opts in "--jobs 2" "--jobs 1 --batch 50" "--jobs 1 --batch 50"; do
        run $PASSIM_INDEX --db "$T/churn.db" $opts "$V"
        expect_no_crash "indexing while files change ($opts)"
        echo "indexing while files change ($opts): exit status $RC," \
            "$(printf '%s\n' "$ERR" | grep -c 'cannot') files reported unreadable"
        if [ "$RC" -eq 1 ]; then
            expect_match 'cannot read|cannot resolve|cannot open folder' "$ERR" \
                "files that vanished are reported ($opts)"
        fi
        run "$DBCHECK" "$T/churn.db"
        expect_rc 0 "index consistent while files change ($opts)"
    done
    touch "$T/churn.stop"
    wait "$churn"
    run $PASSIM_INDEX --db "$T/churn.db" "$V"
    expect_no_crash "indexing after the churn" "0"
    run "$DBCHECK" "$T/churn.db"
    expect_rc 0 "index consistent after the churn"
    expect_match '^files 3000$' "$OUT" "every file known once after the churn"
    rm -rf "$V" "$T/churn.db"
else
    echo "skipped: files changing during indexing (PASSIM_WRAPPER)"
fi
section "files changing"

# ---------------------------------------------------------------------------
# Queries.
Q=$T/corpus.db
$PASSIM_INDEX -q --db "$Q" "$CORPUS" >/dev/null 2>&1 || fail "indexing the corpus"
S="$PASSIM_SEARCH --db $Q --color=never"

# expect_query WHAT QUERY [OPTION...]: runs passim-search on QUERY (after
# "--": it may start with "-"); exit 0, 1 or 2, and on 2 a "passim-search: "
# message and nothing on stdout.
expect_query() {
    what=$1
    q=$2
    shift 2
    run $S "$@" -- "$q"
    expect_no_crash "query $what"
    if [ "$RC" -eq 2 ]; then
        expect_match '^passim-search: .+' "$ERR" "query $what: refused with a message"
        expect_eq "$OUT" "" "query $what: nothing on stdout when refused"
    fi
}

# A 10,000-word query (about 60 KB), and one over the 64 KiB limit.
words=$(awk 'BEGIN { srand(5); for (i = 0; i < 10000; i++) if (i % 3) printf "%c%c%c%d ", 97 + int(rand() * 26), 97 + int(rand() * 26), 97 + int(rand() * 26), i % 10; else printf "talk " }')
expect_eq "$(printf '%s' "$words" | wc -w)" 10000 "the long query has 10,000 words"
expect_query "of 10,000 words" "$words"
expect_query "of 10,000 words, --any" "$words" --any
run $S "$words $words"
expect_rc 2 "a query over 64 KiB"
expect_match 'query longer than 65536 bytes' "$ERR" "over-long query explained"

# 1,000 nested parentheses, and 99 (within the limit).
open1000=$(awk 'BEGIN { for (i = 0; i < 1000; i++) printf "(" }')
close1000=$(awk 'BEGIN { for (i = 0; i < 1000; i++) printf ")" }')
run $S "${open1000}talk${close1000}"
expect_rc 2 "1,000 nested parentheses"
expect_match 'nesting deeper than 100 parentheses at column 101' "$ERR" "deep nesting explained"
run $S "$(echo "$open1000" | cut -c1-99)talk$(echo "$close1000" | cut -c1-99)"
expect_rc 0 "99 nested parentheses"
run $S "${open1000}"
expect_rc 2 "1,000 opening parentheses"
run $S "${close1000}"
expect_rc 2 "1,000 closing parentheses"
expect_match 'unmatched \) at column 1' "$ERR" "lone ) located"

# Every operator in odd places.
n_q=0
for q in AND OR NOT NEAR NEAR/3 'talk AND' 'AND talk' 'talk OR OR peace' 'talk NOT' \
         'NOT NOT talk' - + '- talk' '+-talk' '-+talk' '--talk' 'talk -' '()' '(' ')' ')(' \
         '(talk' 'talk)' '"' '""' '" "' '"talk' 'title:' 'title:()' 'title:""' 'title:title:talk' \
         'title:(talk OR)' 'TITLE:talk' '*' 'a*' 'talk*' '**' 'ta**' '*talk' 't*lk' 'talk NEAR' \
         'NEAR talk' 'talk NEAR/0 peace' 'talk NEAR/1000 peace' 'talk NEAR/1001 peace' \
         'talk NEAR/-1 peace' 'talk NEAR/99999999999999999999 peace' 'talk NEAR/ peace' \
         '(talk NEAR peace) NEAR moscow' 'talk NEAR (peace OR war)' 'talk NEAR peace*' \
         'talk NEAR -peace' 'talk NEAR title:peace' 'talk AND NOT peace' 'talk OR NOT peace' \
         '-talk' '-talk -peace' 'NOT talk' '-(talk OR peace)' 'talk -(peace -moscow)' \
         'talk OR -peace' '(-talk) OR peace' the 'the of' '-the talk' 'title:the' '"the"' \
         '+the' 'U.S.' 'U.S.-backed' '14,000' "Russia's" 'Russia’s' '“peace talks”' '„peace“' \
         '"peace talks' 'peace talks"' '"peace" "talks' 'AND AND AND' 'OR talk OR' \
         '(((talk)))' '(talk) (peace)' 'talk AND (OR)' . ... '!!!' '-!!!' '+!!!' 'title:!!!' \
         'talk AND -!!!' '"!!!"' '(!!!)' '-"peace talks"' '+"peace talks"' 'NEAR/3 NEAR/3' \
         'talk NEAR/3 NEAR/3 peace' 'a OR b OR c OR d AND e NOT f NEAR g'; do
    # each query in one of the two modes, in turn (the fuzzer runs both)
    if [ "$((n_q % 2))" -eq 0 ]; then
        expect_query "'$q'" "$q"
    else
        expect_query "'$q' --any" "$q" --any
    fi
    n_q=$((n_q + 1))
done
run $S AND
expect_rc 2 "lone AND"
expect_match 'missing operand for AND at column 1' "$ERR" "lone AND explained"
run $S '"peace talks'
expect_match 'unbalanced quote at column 1' "$ERR" "unbalanced quote explained"

# Control characters and bytes that are not UTF-8 (octal: /bin/sh is dash).
for q in "$(printf 'talk\001\002\033[31mpeace\177')" "$(printf 'talk\033]0;x\007')" \
         "$(printf '\302\233talk\302\205')" "$(printf 'talk \377\376 peace')" \
         "$(printf 'caf\351 cr\350me')" "$(printf '\300\257talk')" "$(printf 'ta\355\240\200lk')" \
         "$(printf '\342\200\256talk\342\200\254')" "$(printf '\001\002\003')" \
         "$(printf '\377')" "$(printf '"\377"')" "$(printf '\377*')" "$(printf 'title:\377')"; do
    expect_query "with control or invalid bytes" "$q"
    expect_query "with control or invalid bytes (json)" "$q" -f json
    if [ "$RC" -ne 2 ]; then
        printf '%s' "$OUT" > "$T/q.json"
        json_ok "$T/q.json" && pass || fail "JSON of a query with control bytes parses"
    fi
done
run $S "$(printf '\001\002\003')"
expect_rc 2 "a query of control characters only"
expect_match 'empty query' "$ERR" "control characters only: empty query"
run $S ''
expect_rc 2 "an empty query"

# Paging at the edges.
run $S --limit 0 talk
expect_no_crash "--limit 0" "2"
expect_eq "$OUT" "" "--limit 0 prints no hit"
run $S --limit 1000000 --per-doc 0 talk
expect_no_crash "--limit 1000000" "0"
run $S --limit 100000000 --offset 100000000 talk
expect_no_crash "--limit and --offset at their maximum" "1"
run $S --offset 100000 talk
expect_no_crash "--offset past the end" "1"
expect_eq "$OUT" "" "--offset past the end prints no hit"
run $S -f json --offset 100000 talk
expect_no_crash "--offset past the end, json" "1"
printf '%s' "$OUT" > "$T/off.json"
json_ok "$T/off.json" && pass || fail "JSON of an empty page parses"
run $S --limit -1 talk
expect_rc 2 "--limit -1"
run $S --offset 100000001 talk
expect_rc 2 "--offset over its maximum"
run $S --limit 99999999999999999999999 talk
expect_rc 2 "--limit that overflows"
run $S --context 0 talk
expect_no_crash "--context 0" "0"
run $S --context 1000000 talk
expect_no_crash "--context 1000000" "0 2"
section "queries"
finish
