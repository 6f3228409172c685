#!/bin/sh
# passim-index on a folder of bad input made here: nothing crashes, the good
# files are indexed, each problem is reported with its path, exit status 1.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/cli/lib.sh"

D=$T/bad
mkdir -p "$D/sub"
cd "$T"
printf 'Good article\n\nThe quick brown fox jumps over the lazy dog.\n' > "$D/good.txt"
printf '# Markdown note\n\nSome **bold** words and a [link](http://example.com/x).\n' > "$D/sub/note.md"
: > "$D/empty.txt"
printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\020' > "$D/image.png"
head -c 4096 /dev/urandom >> "$D/image.png"
printf 'Caf\351 cr\350me br\373l\351e in Latin-1\n' > "$D/latin1.txt"
printf 'Mostly UTF-8: caf\303\251 cr\303\250me d\303\251j\303\240 with one bad \377 byte, na\357ve\n' > "$D/broken-utf8.txt"
printf '\377\376U\0T\0F\0-\0\061\0\066\0 \0t\0e\0x\0t\0\n\0' > "$D/utf16.txt"
printf 'Windows line ends\r\n\r\nsecond paragraph\r\n' > "$D/crlf.txt"
printf 'Old Mac line ends\r\rfirst crparagraph\r\rlast crline\r\n' > "$D/cr.txt"
# A 20 MB single-line file and a 100 KB token.
awk 'BEGIN { s = "lorem ipsum dolor sit amet. "; for (i = 0; i < 20 * 1024 * 1024 / 28; i++) printf "%s", s }' > "$D/huge-line.txt"
{ printf 'Long token follows\n\n'; head -c 102400 /dev/zero | tr '\0' 'a'; printf ' tailword\n'; } > "$D/long-token.txt"
# A symlink loop and a self-referencing link.
ln -s .. "$D/sub/up"
ln -s self "$D/self"
# A file that cannot be read (root reads anything: use a fifo-free trick below).
printf 'secret\n' > "$D/unreadable.txt"
chmod 000 "$D/unreadable.txt"

if [ "$(id -u)" = 0 ]; then
    # root bypasses permissions: run the indexer as an unprivileged user.
    if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
        chmod 777 "$T"
        chmod -R a+rwX "$D"
        chmod 000 "$D/unreadable.txt"
        AS_USER="setpriv --reuid=nobody --regid=nogroup --clear-groups --"
    else
        AS_USER=""
        rm -f "$D/unreadable.txt"
    fi
else
    AS_USER=""
fi

run $AS_USER $PASSIM_INDEX --db "$T/bad.db" "$D"
if [ -e "$D/unreadable.txt" ]; then
    expect_rc 1 "some files failed"
    expect_match 'unreadable.txt: cannot read: Permission denied' "$ERR" "unreadable file reported with its path"
else
    expect_rc 0 "bad input (no unreadable file possible here)"
fi
expect_match 'image.png: skipped: not a text file' "$ERR" "binary file skipped with its path"
expect_match 'self: symbolic link loop' "$ERR" "self link reported"
expect_match 'sub/up: symbolic link loop' "$ERR" "folder loop reported"
expect_no_match 'Segmentation|Aborted|AddressSanitizer|runtime error' "$ERR" "no crash"

# A first run whose only PATH is a file it cannot read, or no file at all
# (a pipe, a device), makes no index, as one whose PATH is missing.
if [ -e "$D/unreadable.txt" ]; then
    run $AS_USER $PASSIM_INDEX --db "$T/one.db" "$D/unreadable.txt"
    expect_rc 2 "only PATH an unreadable file: exit status 2"
    expect_match 'unreadable.txt: cannot read: Permission denied' "$ERR" \
        "only PATH an unreadable file: named"
    expect_match 'no index made, since no PATH given can be read' "$ERR" \
        "only PATH an unreadable file: no index made"
    [ -e "$T/one.db" ] && fail "only PATH an unreadable file: an index folder left" || pass
fi
run $PASSIM_INDEX --db "$T/one.db" /dev/null
expect_rc 2 "only PATH a device: exit status 2"
expect_match '/dev/null: not a regular file or folder' "$ERR" "only PATH a device: named"
[ -e "$T/one.db" ] && fail "only PATH a device: an index folder left" || pass

# An index folder that may not be read is said to be so, not missing.
if [ -e "$D/unreadable.txt" ]; then
    chmod 000 "$T/bad.db"
    run $AS_USER $PASSIM_SEARCH --db "$T/bad.db" anything
    chmod 755 "$T/bad.db"
    expect_rc 2 "an index that may not be read"
    expect_eq "$ERR" "passim-search: $T/bad.db: cannot open index: Permission denied" \
        "an index that may not be read: said so"
fi

run "$DBCHECK" "$T/bad.db" --files
expect_rc 0 "index consistent"
for f in good.txt sub/note.md latin1.txt broken-utf8.txt utf16.txt crlf.txt cr.txt huge-line.txt long-token.txt; do
    expect_match "^[1-9][0-9]* $D/$f\$" "$OUT" "$f indexed"
done
expect_match "^0 $D/empty.txt\$" "$OUT" "empty file known with no passages"
expect_no_match "image.png" "$OUT" "binary file not indexed"

# Passages stay bounded on the 20 MB line (about 1200 bytes each).
n=$(echo "$OUT" | awk '/huge-line/ {print $1}')
[ "$n" -ge 15000 ] && [ "$n" -le 40000 ] && pass || fail "huge line cut into bounded passages ($n)"
# Its title (the whole line) is cut after a whole word, with an ellipsis.
run $PASSIM_SEARCH --db "$T/bad.db" -f json -n 1 lorem
title=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["title"])')
case $title in
*' amet.…' | *' lorem…' | *' ipsum…' | *' dolor…' | *' sit…') pass ;;
*) fail "a long title ends after a whole word, with an ellipsis: ...${title#"${title%??????????????}"}" ;;
esac
[ "$(printf '%s' "$title" | wc -c)" -le 500 ] && pass || fail "a long title is at most 500 bytes"
# A long title with no space is cut between whole characters as one reads
# them (a thumb keeps its skin tone), and still gets its ellipsis.
mkdir -p "$T/longt"
python3 -c 'import sys; open(sys.argv[1], "w").write("\U0001F44D\U0001F3FD" * 80 + " word\n\nthumbs text\n")' \
    "$T/longt/thumbs.txt"
$PASSIM_INDEX -q --db "$T/longt.db" "$T/longt" >/dev/null
run $PASSIM_SEARCH --db "$T/longt.db" -f json thumbs
printf '%s' "$OUT" | python3 -c '
import json, sys
t = json.load(sys.stdin)["results"][0]["title"]
assert t.endswith("\u2026"), t[-5:]
body = t[:-1]
assert body == "\U0001F44D\U0001F3FD" * (len(body) // 2), "a thumb cut from its tone"
assert len(t.encode()) <= 500
' && pass || fail "a long title of emoji is cut between them, with an ellipsis"
# So is a long heading, at 255 bytes.
mkdir -p "$T/longh"
python3 -c 'import sys; open(sys.argv[1], "w").write("# " + " ".join("Longword%d" % i for i in range(80)) + "\n\nBody quasar.\n")' \
    "$T/longh/h.md"
$PASSIM_INDEX -q --db "$T/longh.db" "$T/longh" >/dev/null
run $PASSIM_SEARCH --db "$T/longh.db" -f json quasar
printf '%s' "$OUT" | python3 -c '
import json, re, sys
h = json.load(sys.stdin)["results"][0]["heading"]
assert len(h.encode()) <= 255, len(h.encode())
assert re.search(r" Longword[0-9]+\u2026$", h), h[-20:]
' && pass || fail "a long heading is cut after a whole word, with an ellipsis"
# Latin-1 and UTF-16 were converted: their words are findable.
run "$DBCHECK" "$T/bad.db" --term cafe
expect_eq "$OUT" 2 "café from Latin-1 and broken UTF-8 (accents folded: cafe)"
run "$DBCHECK" "$T/bad.db" --term creme
expect_eq "$OUT" 2 "crème from Latin-1 and from UTF-8 with a bad byte"
run "$DBCHECK" "$T/bad.db" --term byte
expect_eq "$OUT" 1 "the word after the bad byte"
run "$DBCHECK" "$T/bad.db" --term naiv
expect_eq "$OUT" 1 "a stray Latin-1 letter in UTF-8 text is read as Latin-1: naïve"
run "$DBCHECK" "$T/bad.db" --term tailword
expect_eq "$OUT" 1 "the word after a 100 KB token"
run "$DBCHECK" "$T/bad.db" --term text
expect_eq "$OUT" 1 "UTF-16 text converted"
run "$DBCHECK" "$T/bad.db" --term paragraph
expect_eq "$OUT" 1 "CRLF text indexed"
# Lines ended by CR alone are lines: the title is the first, hits have their line.
run $PASSIM_SEARCH --db "$T/bad.db" -f json crline
expect_match '"title": "Old Mac line ends"' "$OUT" "CR-only lines: the title is the first line"
run $PASSIM_SEARCH --db "$T/bad.db" --vimgrep crline
expect_match "cr\.txt:5:6:" "$OUT" "CR-only lines: a hit's line and column"

# --- file names with escape sequences, a newline or invalid UTF-8: every note
# is one line, with nothing a terminal would act on
mkdir -p "$T/names"
python3 -c '
import sys
d = sys.argv[1]
for name in (b"esc\x1b]0;PWNED\x07\x1b[31mred.bin", b"new\nline.bin", b"bad\xffb.bin"):
    open(d.encode() + b"/" + name, "wb").write(b"\0\0")' "$T/names"
run $PASSIM_INDEX --db "$T/names.db" "$T/names"
expect_rc 0 "odd file names"
expect_no_match "$(printf '\033')" "$ERR" "odd file names: no escape sequence in the notes"
expect_eq "$(printf '%s\n' "$ERR" | grep -c 'skipped: not a text file')" 3 "odd file names: one line per note"
expect_match 'names/escred\.bin: skipped' "$ERR" "odd file names: the escape sequences are dropped"
expect_match 'names/new line\.bin: skipped' "$ERR" "odd file names: a newline becomes a space"

# A large binary file is judged by its first 64 KiB and not read further:
# a 4 GiB sparse "video" indexes within a 200 MB address space, on every run
# (a sanitizer or valgrind reserves more than that for itself: skipped where
# the program cannot even start in it).
small() { sh -c 'ulimit -v 200000 && exec "$@"' sh "$@"; }
if small $PASSIM_INDEX --version >/dev/null 2>&1; then
    V=$T/videos
    mkdir "$V"
    printf 'Holiday list\n\nPack the tent.\n' >"$V/list.txt"
    truncate -s 4G "$V/film.mp4"
    for round in first second; do
        run small $PASSIM_INDEX --db "$T/videos.db" "$V"
        expect_rc 0 "4 GiB binary file, $round run"
        expect_match 'film.mp4: skipped: not a text file' "$ERR" "4 GiB binary file, $round run: skipped"
    done
    rm -rf "$V" "$T/videos.db"
else
    echo "skipped: a 4 GiB binary file in 200 MB (the program cannot start in it here)"
fi

finish
