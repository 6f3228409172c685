#!/bin/sh
# passim-index on the bundled corpus: first run, re-run, touch, change, delete,
# rebuild, options and exit statuses. Counts are read back with tests/dbcheck.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/cli/lib.sh"

cp -R "$CORPUS" "$T/corpus"
chmod -R u+w "$T/corpus"
DB=$T/idx.db
cd "$T"

# --- help, version, usage errors
run $PASSIM_INDEX --help
expect_rc 0 "--help"
expect_match '^Usage: passim-index' "$OUT" "--help shows usage"
run $PASSIM_INDEX --version
expect_rc 0 "--version"
expect_match '^passim-index [0-9]' "$OUT" "--version"
for args in "--help" "--version" "--db $T/full.db corpus"; do
    run_full_disk $PASSIM_INDEX $args || break
    expect_rc 2 "$args with stdout on a full disk"
    expect_match '^passim-index: cannot write to standard output' "$ERR" "$args, full disk: says so"
done
# Standard output closed: reported, and no file of the index takes its place
$PASSIM_INDEX --db closed.db corpus >&- 2>"$T/err"
RC=$?
expect_rc 2 "stdout closed"
expect_match '^passim-index: cannot write to standard output' "$(cat "$T/err")" "stdout closed: says so"
for f in closed.db/*; do
    [ -s "$f" ] || continue
    ! grep -q 'passim-index:' "$f" && pass || fail "stdout closed: the summary went into $f"
done
run "$DBCHECK" closed.db
expect_match '^files 5$' "$OUT" "stdout closed: the index is complete"
rm -rf closed.db
run $PASSIM_INDEX --db "$DB"
expect_rc 2 "no PATH"
expect_match 'no PATH' "$ERR" "no PATH message"
mkdir -p nothing
run $PASSIM_INDEX --db nothing.db nothing
expect_rc 0 "a first run over an empty folder"
expect_match '^passim-index: nothing.db: created, with no article \(0 skipped, 0 failed\)' "$OUT" \
    "says the index was created"
run $PASSIM_INDEX --bogus corpus
expect_rc 2 "unknown option"
expect_match "^passim-index: unrecognized option '--bogus'" "$ERR" \
    "unknown option named, by the program's name"
# A count is digits only: no sign, no blank, no base, nothing past the range
for opt in --jobs --batch; do
    for v in 0 ' 3' '+3' '3 ' '-1' '0x10' '100000001' '-18446744073709551615'; do
        [ "$opt" = --jobs ] && [ "$v" = 100000001 ] && v=65
        run $PASSIM_INDEX --db "$DB" $opt "$v" corpus
        expect_rc 2 "$opt '$v'"
        expect_match "^passim-index: $opt: not a number from 1 to [0-9]+: " "$ERR" "$opt '$v': why"
        first=$(printf '%s\n' "$ERR" | head -n 1)
        expect_eq "${first##*: }" "$v" "$opt '$v': the value named as given"
        expect_eq "$(printf '%s\n' "$ERR" | tail -n 1)" \
            "Try 'passim-index --help' for more information." "$opt '$v': where to look"
        [ ! -e "$DB" ] && pass || fail "$opt '$v': no index made"
    done
done
run $PASSIM_INDEX --db "$DB" --lang klingon corpus
expect_rc 2 "unknown language"
expect_match 'klingon' "$ERR" "unknown language is named"
[ ! -e "$DB" ] && pass || fail "a refused run must not create the index"

# --- first run: five articles
run $PASSIM_INDEX --db "$DB" corpus
expect_rc 0 "first run"
expect_match ': 5 added, 0 updated, 0 removed, 0 unchanged, 0 skipped, 0 failed; [0-9]+ passages' "$OUT" "first run summary"
run "$DBCHECK" "$DB"
expect_rc 0 "index consistent after first run"
expect_match '^files 5$' "$OUT" "five files (README.md is in .passimignore)"
docs=$(echo "$OUT" | sed -n 's/^docs //p')
[ "$docs" -ge 25 ] && pass || fail "expected at least 25 passages, got $docs"
# Stems with positions, title stems under their prefix, one id term per file.
run "$DBCHECK" "$DB" --term kalashnikov
[ "$OUT" -ge 1 ] && pass || fail "stem 'kalashnikov' indexed"
run "$DBCHECK" "$DB" --term talk
[ "$OUT" -ge 5 ] && pass || fail "'talks' stemmed to 'talk' ($OUT passages)"
run "$DBCHECK" "$DB" --term Staliban
[ "$OUT" -ge 1 ] && pass || fail "title stems under the S prefix"
run "$DBCHECK" "$DB" --term russia
russia=$OUT
run "$DBCHECK" "$DB" --term "russia's"
expect_eq "$OUT" 0 "Russia's / Russia’s are stemmed to russia"
[ "$russia" -ge 10 ] && pass || fail "russia in many passages ($russia)"

# --- second run: nothing changes
run $PASSIM_INDEX --db "$DB" corpus
expect_rc 0 "second run"
expect_match 'up to date, nothing changed \(5 unchanged' "$OUT" "second run changes nothing"

# --- touch one file: same content, not re-indexed
sleep 0.01
touch corpus/001_4f2621a6beb63337.txt
run $PASSIM_INDEX --db "$DB" corpus
expect_rc 0 "after touch"
expect_match 'up to date, nothing changed \(5 unchanged' "$OUT" "a touched file is not re-indexed"
# A time past 2262 does not fit in 64 bits of nanoseconds: it is held at the
# end of the range (the sanitizer build stops on an overflow), and the file is
# still seen as unchanged by the next run.
if touch -d '2400-01-01' corpus/001_4f2621a6beb63337.txt 2>/dev/null; then
    run $PASSIM_INDEX --db "$DB" corpus
    expect_rc 0 "a file dated 2400"
    run $PASSIM_INDEX --db "$DB" corpus
    expect_match 'up to date, nothing changed \(5 unchanged' "$OUT" "a file dated 2400 stays unchanged"
    touch corpus/001_4f2621a6beb63337.txt
fi

# --- change one file: only it is re-indexed, its passages replaced
printf '\nA new closing paragraph about xylophones and zeppelins.\n' >> corpus/002_3dc2c840ccc121e4.txt
run $PASSIM_INDEX --db "$DB" corpus
expect_rc 0 "after change"
expect_match ': 0 added, 1 updated, 0 removed, 4 unchanged' "$OUT" "only the changed file is re-indexed"
run "$DBCHECK" "$DB"
expect_rc 0 "consistent after update (no duplicate passages)"
run "$DBCHECK" "$DB" --term xylophon
expect_eq "$OUT" 1 "the new paragraph is searchable"

# --- delete one file: its passages go
n001=$("$DBCHECK" "$DB" --files | awk '/001_/ {print $1}')
docs_before=$("$DBCHECK" "$DB" | sed -n 's/^docs //p')
rm corpus/001_4f2621a6beb63337.txt
run $PASSIM_INDEX --db "$DB" corpus
expect_rc 0 "after delete"
expect_match ': 0 added, 0 updated, 1 removed, 4 unchanged' "$OUT" "deleted file removed"
expect_match '001_4f2621a6beb63337.txt: removed' "$ERR" "removal is noted with the path"
run "$DBCHECK" "$DB"
expect_rc 0 "consistent after delete"
expect_match '^files 4$' "$OUT" "four files left"
expect_match "^docs $((docs_before - n001))\$" "$OUT" "exactly the deleted file's passages are gone"

# --- indexing another folder does not remove the first one's files
mkdir other && printf 'Other notes\n\nNothing about Kabul here.\n' > other/note.md
run $PASSIM_INDEX --db "$DB" other
expect_rc 0 "second root"
expect_match ': 1 added, 0 updated, 0 removed' "$OUT" "other folder added, corpus untouched"
run "$DBCHECK" "$DB"
expect_match '^files 5$' "$OUT" "both folders in the index"

# --- PASSIM_DB and the default ./passim.db
PASSIM_DB="$T/env.db" run $PASSIM_INDEX -q other
expect_rc 0 "PASSIM_DB"
[ -d "$T/env.db" ] && pass || fail "PASSIM_DB names the index folder"
run $PASSIM_INDEX -q other
expect_rc 0 "default database"
[ -d "$T/passim.db" ] && pass || fail "default index is ./passim.db"

# --- DIR/ is the folder DIR: built, updated and rebuilt through it
for j in 1 2; do
    run $PASSIM_INDEX -q --db "slash$j.db/" --jobs $j corpus
    expect_rc 0 "first build through DIR/ (--jobs $j)"
    expect_match "^passim-index: slash$j\\.db: [1-9][0-9]* added" "$OUT" "DIR/ named DIR (--jobs $j)"
    run $PASSIM_INDEX -q --db "slash$j.db//" --jobs $j corpus other
    expect_rc 0 "update through DIR// (--jobs $j)"
    expect_match ': 1 added, 0 updated, 0 removed' "$OUT" "the update adds to the index of DIR (--jobs $j)"
    run $PASSIM_INDEX -q --db "slash$j.db/" --rebuild --jobs $j corpus other
    expect_rc 0 "rebuild through DIR/ (--jobs $j)"
    run "$DBCHECK" "slash$j.db"
    expect_rc 0 "the index built through DIR/ is consistent (--jobs $j)"
done
expect_eq "$("$DBCHECK" slash2.db)" "$("$DBCHECK" slash1.db)" "the same index through DIR/ on one or two threads"
PASSIM_DB=slashenv.db/ run $PASSIM_INDEX -q corpus
expect_rc 0 "PASSIM_DB=DIR/"
[ -f slashenv.db/iamglass ] && pass || fail "PASSIM_DB=DIR/ names the folder DIR"
ls -d slash*.tmp-* >/dev/null 2>&1 && fail "a build through DIR/ left a temporary folder" || pass

# --- language: kept from the index, a change needs --rebuild
run $PASSIM_INDEX --db "$DB" --lang french corpus
expect_rc 2 "language mismatch"
expect_match 'built with --lang english; use --rebuild' "$ERR" "language mismatch explained"
for same in en English ENG; do
    run $PASSIM_INDEX -q --db "$DB" --lang $same corpus
    expect_rc 0 "--lang $same is the index's english"
done
run $PASSIM_INDEX --db "$DB" --rebuild --lang none corpus other
expect_rc 0 "rebuild with another language"
expect_match ': 5 added, 0 updated, 0 removed' "$OUT" "rebuild indexes everything afresh"
run "$DBCHECK" "$DB" --term talks
[ "$OUT" -ge 1 ] && pass || fail "--lang none keeps words unstemmed"
ls -d "$T"/idx.db.rebuild-* >/dev/null 2>&1 && fail "rebuild left its temporary folder" || pass
# A rebuild counts the articles it drops (files gone since the last run).
mkdir -p "$T/drop" && printf 'A\n\nabout gnus\n' >"$T/drop/a.txt" && printf 'B\n\nabout gnats\n' >"$T/drop/b.txt"
$PASSIM_INDEX -q --db "$T/drop.db" "$T/drop" >/dev/null
rm "$T/drop/a.txt"
run $PASSIM_INDEX --db "$T/drop.db" --rebuild "$T/drop"
expect_match ': 1 added, 0 updated, 1 removed' "$OUT" "a rebuild counts the article it drops"
expect_match '/drop/a\.txt: removed from the index \(file is gone\)$' "$ERR" "and names it"
run $PASSIM_INDEX --db "$T/drop.db" --rebuild --jobs 2 "$T/drop"
expect_match ': 1 added, 0 updated, 0 removed' "$OUT" "a parallel rebuild: nothing more dropped"
printf 'A\n\nabout gnus\n' >"$T/drop/a.txt"
$PASSIM_INDEX -q --db "$T/drop.db" "$T/drop" >/dev/null
printf '\0\0binary now' >"$T/drop/a.txt"
run $PASSIM_INDEX --db "$T/drop.db" --rebuild --jobs 2 "$T/drop"
expect_match ': 1 added, 0 updated, 1 removed, 0 unchanged, 1 skipped' "$OUT" \
    "a rebuild counts as removed a file it meets that is no longer text"
expect_match '/drop/a\.txt: removed from the index \(not a text file any more\)$' "$ERR" \
    "and says why"
printf 'A\n\nabout gnus\n' >"$T/drop/a.txt"
$PASSIM_INDEX -q --db "$T/drop.db" "$T/drop" >/dev/null
rm "$T/drop/a.txt" "$T/drop/b.txt"
run $PASSIM_INDEX --db "$T/drop.db" --rebuild "$T/drop"
expect_rc 0 "rebuild of a folder emptied"
expect_match ': 0 added, 0 updated, 2 removed' "$OUT" "a rebuild that drops articles says so, not 'nothing changed'"
# A rebuild of some of the PATHs indexed drops the others' articles, by name.
mkdir -p "$T/keep1" "$T/keep2"
printf 'K\n\nkept words\n' >"$T/keep1/k.txt"
printf 'L\n\nleft words\n' >"$T/keep2/l.txt"
$PASSIM_INDEX -q --db "$T/part.db" "$T/keep1" "$T/keep2" >/dev/null
run $PASSIM_INDEX --db "$T/part.db" --rebuild "$T/keep1"
expect_match ': 1 added, 0 updated, 1 removed' "$OUT" "a partial rebuild drops the other PATH's article"
expect_match '/keep2/l\.txt: removed from the index \(not met under the PATH\)$' "$ERR" \
    "and names it"
run $PASSIM_INDEX -q --db "$T/part.db" --rebuild "$T/keep2"
expect_eq "$ERR" "" "--quiet leaves the names out"

# --- a rebuild with a PATH that cannot be read is abandoned: the index stays
before=$("$DBCHECK" "$DB")
for j in 1 2; do
    run $PASSIM_INDEX --db "$DB" --rebuild --jobs $j corpus no-such-folder
    expect_rc 2 "rebuild with a missing PATH (--jobs $j)"
    expect_match '^passim-index: no-such-folder: cannot read: ' "$ERR" "the missing PATH named (--jobs $j)"
    expect_match 'not rebuilt, since a PATH given cannot be read; the index is as it was' "$ERR" \
        "the rebuild abandoned (--jobs $j)"
    expect_eq "$("$DBCHECK" "$DB")" "$before" "the index unchanged (--jobs $j)"
done
ls -d "$T"/idx.db.tmp-* "$T"/idx.db.rebuild-* >/dev/null 2>&1 && fail "abandoned rebuild left a folder" || pass

# --- a first run none of whose PATHs can be read makes no index
for j in 1 2; do
    run $PASSIM_INDEX --db typo.db --jobs $j no-such-folder no-such-file.txt
    expect_rc 2 "a first run with no PATH that can be read (--jobs $j)"
    expect_eq "$ERR" "passim-index: no-such-folder: cannot read: No such file or directory
passim-index: no-such-file.txt: cannot read: No such file or directory
passim-index: typo.db: no index made, since no PATH given can be read" \
        "the PATHs named, and no index made (--jobs $j)"
    [ ! -e typo.db ] && pass || fail "no index folder left by a first run with no PATH read (--jobs $j)"
done
# ...and a folder made for it is left empty
mkdir made.db
run $PASSIM_INDEX --db made.db --jobs 2 no-such-folder
expect_rc 2 "a first run into an empty folder, with no PATH that can be read"
expect_match 'made.db: no index made, since no PATH given can be read' "$ERR" "said so"
[ -d made.db ] && [ -z "$(ls -A made.db)" ] && pass || fail "the folder made for the index is left empty"
rm -rf made.db
run $PASSIM_INDEX -q --db typo.db corpus no-such-folder
expect_rc 1 "a first run with one PATH of two that can be read"
[ -f typo.db/iamglass ] && pass || fail "the index is made from the PATH that can be read"

# --- a first run killed while the index was being created: the next run creates it
mkdir "$T/half.db"
: >"$T/half.db/flintlock"; : >"$T/half.db/postlist.glass"; : >"$T/half.db/termlist.glass"
printf 'partial version file' >"$T/half.db/v.tmp"
run $PASSIM_INDEX -q --db "$T/half.db" corpus
expect_rc 0 "index over the leftovers of an unfinished creation"
expect_match ': [1-9][0-9]* added, 0 updated, 0 removed' "$OUT" "the leftovers make way for a complete index"
run "$DBCHECK" "$T/half.db"
expect_rc 0 "the index made over the leftovers is consistent"
mkdir "$T/mixed.db"
: >"$T/mixed.db/postlist.glass"; echo notes >"$T/mixed.db/notes.txt"
run $PASSIM_INDEX -q --db "$T/mixed.db" corpus
expect_rc 2 "a folder with other files is not cleared"
[ "$(cat "$T/mixed.db/notes.txt")" = notes ] && pass || fail "a file of the user was touched"

# --- --db naming a folder that holds other files: refused, nothing in it touched
mkdir -p mine/sub
echo mine >mine/n1.txt; echo deep >mine/sub/d.txt
refused='exists and is not an index folder (it holds other files); give --db a new or empty folder'
for j in 1 2; do
    run $PASSIM_INDEX --db mine --jobs $j mine
    expect_rc 2 "--db naming a folder of other files (--jobs $j)"
    expect_eq "$ERR" "passim-index: mine: $refused" "the folder and the problem named (--jobs $j)"
    expect_eq "$(cd mine && find . | sort | tr '\n' ' ')" ". ./n1.txt ./sub ./sub/d.txt " \
        "the folder's files stay, and nothing is added (--jobs $j)"
done
cd mine
run $PASSIM_INDEX --db . sub
cd "$T"
expect_rc 2 "--db . in a folder of other files"
expect_eq "$ERR" "passim-index: .: $refused" "--db . refused"
expect_eq "$(cd mine && find . | sort | tr '\n' ' ')" ". ./n1.txt ./sub ./sub/d.txt " \
    "--db . adds nothing to the folder"
# Only the exact names of Xapian's files are an index's: a note named like
# a changeset or a table, or a folder named like a table, is the user's.
for other in changes.md notes.glass changes2.txt changes2024; do
    mkdir near.db
    echo precious >"near.db/$other"
    run $PASSIM_INDEX -q --db near.db corpus
    expect_rc 2 "--db naming a folder that holds $other"
    expect_eq "$(cat "near.db/$other")" precious "$other stays"
    rm -r near.db
done
mkdir -p near.db/postlist.glass
echo keep >near.db/postlist.glass/a.txt
run $PASSIM_INDEX -q --db near.db corpus
expect_rc 2 "--db naming a folder that holds a folder named like a table"
expect_eq "$(cat near.db/postlist.glass/a.txt)" keep "the folder's file stays"
rm -r near.db

# --- --db DIR/. is DIR: its temporary folders go beside it, not inside
mkdir dotdb
for j in 1 2; do
    run $PASSIM_INDEX -q --db dotdb/. --jobs $j corpus
    expect_rc 0 "--db DIR/. (--jobs $j)"
done
run "$DBCHECK" dotdb --first-build
expect_eq "$OUT" "no" "the first build was compacted"
rm -r dotdb

# --- beside the index, only the temporary folders of runs that died are
# removed: named as a run names them, holding only an index's files
run $PASSIM_INDEX -q --db side.db corpus
expect_rc 0 "an index to put things beside"
dead=$(sh -c 'echo $$')          # the pid of a process that has ended
echo Q3 >"side.db.tmp-$dead-final.xlsx"
mkdir "side.db.tmp-$dead-drafts" "side.db.tmp-$dead-rebuild" "side.db.tmp-$dead-shard1" \
    "side.db.tmp-$dead-compact"
echo draft >"side.db.tmp-$dead-drafts/a.txt"
echo mine >"side.db.tmp-$dead-compact/notes.txt"
cp side.db/*.glass side.db/iamglass "side.db.tmp-$dead-rebuild/"
: >"side.db.tmp-$dead-shard1/tmp0_1.glass"
run $PASSIM_INDEX -q --db side.db corpus
expect_rc 0 "an update beside other things"
expect_eq "$(ls -d side.db.tmp-* | sort | tr '\n' ' ')" \
    "side.db.tmp-$dead-compact side.db.tmp-$dead-drafts side.db.tmp-$dead-final.xlsx " \
    "a run's folders of index files removed, the user's kept"
expect_eq "$(cat "side.db.tmp-$dead-final.xlsx" "side.db.tmp-$dead-drafts/a.txt" \
    "side.db.tmp-$dead-compact/notes.txt" | tr '\n' ' ')" "Q3 draft mine " "their files stay"
rm -r side.db side.db.tmp-*

# --- --db the current folder: updated in place, never replaced whole
cwd_refused='is the current folder or holds it; this run would replace the index whole (a first build or --rebuild), so run it from another folder'
mkdir here
cd here
run $PASSIM_INDEX --db . ../corpus
cd "$T"
expect_rc 2 "a first build into the current folder"
expect_eq "$ERR" "passim-index: .: $cwd_refused" "first build in the current folder refused"
expect_eq "$(ls -A here)" "" "nothing left in the current folder"
$PASSIM_INDEX -q --db here corpus/000_15c4c714383f619c.txt >/dev/null 2>&1
cd here
run $PASSIM_INDEX -q --db . ../corpus
cd "$T"
expect_rc 0 "an update of the index that is the current folder"
# Emptied (its only file gone), it is still updated in place, also with --jobs 2.
mkdir gone && cp corpus/000_15c4c714383f619c.txt gone/
$PASSIM_INDEX -q --db emptied gone >/dev/null 2>&1
rm gone/000_15c4c714383f619c.txt
$PASSIM_INDEX -q --db emptied gone >/dev/null 2>&1
cd emptied
run $PASSIM_INDEX -q --db . --jobs 2 ../corpus
cd "$T"
expect_rc 0 "an emptied index in the current folder is updated"
run "$DBCHECK" emptied --files
expect_match "corpus/000_15c4c714383f619c.txt" "$OUT" "the emptied index got the files"
run "$DBCHECK" here --files
before=$OUT
cd here
run $PASSIM_INDEX --db . --rebuild ../corpus
cd "$T"
expect_rc 2 "--rebuild of the current folder"
expect_eq "$ERR" "passim-index: .: $cwd_refused" "--rebuild of the current folder refused"
run "$DBCHECK" here --files
expect_eq "$OUT" "$before" "the index in the current folder is as it was"
run $PASSIM_INDEX --db mine/n1.txt corpus
expect_rc 2 "--db naming a regular file"
expect_eq "$ERR" "passim-index: mine/n1.txt: exists and is not an index folder" "a regular file refused"
run $PASSIM_INDEX --db missing/sub.db corpus
expect_rc 2 "--db in a folder that does not exist"
expect_eq "$ERR" "passim-index: missing/sub.db: cannot create the index: its folder missing does not exist (make it first, or give --db another path)" \
    "a missing folder named"
[ -e missing ] && fail "a missing folder: made" || pass
run $PASSIM_INDEX --db one.db --db two.db corpus
expect_rc 2 "--db twice"
expect_eq "$ERR" "passim-index: --db given twice (one.db, two.db): a run writes one index; run passim-index once for each
Try 'passim-index --help' for more information." \
    "--db twice: said so"
[ -e one.db ] || [ -e two.db ] && fail "--db twice: an index made" || pass
ln -s nowhere.db dangling.db
run $PASSIM_INDEX --db dangling.db corpus
expect_rc 2 "--db naming a link to nothing"
expect_eq "$ERR" "passim-index: dangling.db: a symbolic link to nowhere.db, which leads nowhere; make that folder, or give --db another path" \
    "a link to nothing: said so"
[ -e nowhere.db ] && fail "a link to nothing: a folder made at its target" || pass
ln -s loop.db loop.db
run $PASSIM_INDEX --db loop.db corpus
expect_eq "$ERR" "passim-index: loop.db: a loop of symbolic links; give --db another path" \
    "a --db that links to itself: said so"
mkdir made.db
run $PASSIM_INDEX -q --db made.db corpus
expect_rc 0 "--db naming an empty folder made beforehand"
run "$DBCHECK" made.db
expect_rc 0 "the index made in the empty folder is consistent"
expect_match '^files [1-9]' "$OUT" "an index is made in the empty folder"

# --- a first run that met no article records the index's layout: its index
# searches (finding nothing); a folder without that record is one whose first
# build has not committed (killed), which the searcher says
for j in 1 2; do
    mkdir -p "$T/nothing"
    run $PASSIM_INDEX -q --jobs $j --db "$T/nothing$j.db" "$T/nothing"
    expect_rc 0 "--jobs $j: a first run over an empty folder"
    run $PASSIM_SEARCH --db "$T/nothing$j.db" Kabul
    expect_rc 1 "--jobs $j: the index of an empty folder searches"
    expect_eq "$ERR" "passim-search: the index holds no passage: no article yet, or none with a word (passim-index adds files to it)" \
        "--jobs $j: and finds nothing, for the index holds nothing"
done
run "$DBCHECK" "$T/nothing1.db" --set-meta passim:layout ""
run $PASSIM_SEARCH --db "$T/nothing1.db" Kabul
expect_rc 2 "an index whose first build has not committed"
expect_eq "$ERR" "passim-search: $T/nothing1.db: no index here yet: its first build has not finished (run passim-index to build it)" \
    "an index whose first build has not committed: said so"

# --- an index of another layout: refused by both programs, a rebuild replaces it
run $PASSIM_INDEX -q --db "$T/layout.db" corpus
expect_rc 0 "index for the layout check"
run "$DBCHECK" "$T/layout.db" --set-meta passim:layout 2
expect_rc 0 "fake an older layout"
cp -r "$T/layout.db" "$T/layout-before.db"
run $PASSIM_INDEX --db "$T/layout.db" corpus
expect_rc 2 "update of another layout refused"
expect_match 'layout\.db: the index was written by another version of passim \(layout 2, this one writes layout [0-9]+\); use --rebuild' \
    "$ERR" "layout mismatch explained by the indexer"
diff -r -x passim-index.pid "$T/layout.db" "$T/layout-before.db" >/dev/null && pass || fail "refused update changed the index"
run $PASSIM_SEARCH --db "$T/layout.db" Kabul
expect_rc 2 "search of another layout refused"
expect_match 'layout\.db: the index was written by another version of passim \(layout 2, this one reads layout [0-9]+\); rebuild it with passim-index --rebuild' \
    "$ERR" "layout mismatch explained by the searcher"
expect_eq "$OUT" "" "nothing printed from an index of another layout"
run $PASSIM_SEARCH --db "$DB" --db "$T/layout.db" Kabul
expect_rc 2 "combined search with an index of another layout refused"
expect_match 'layout\.db: the index was written by another version of passim' "$ERR" \
    "the combined search names the index of another layout"
# A damaged index (a table cut short) cannot be opened, not even by a
# rebuild: both programs say so, and what to do.
cp -r "$T/layout.db" "$T/cut.db"
truncate -s 100 "$T/cut.db/postlist.glass"
run $PASSIM_SEARCH --db "$T/cut.db" Kabul
expect_rc 2 "search of a damaged index"
expect_match 'cut\.db: cannot open index: .*\(it seems damaged: remove the folder and index again\)' \
    "$ERR" "a damaged index: the searcher says what to do"
run $PASSIM_INDEX --db "$T/cut.db" --rebuild corpus
expect_rc 2 "rebuild of a damaged index"
expect_match 'cut\.db: cannot open index: .*even --rebuild must open it: remove the folder' \
    "$ERR" "a damaged index: the indexer says what to do"
rm -rf "$T/cut.db"
# A table file deleted: Xapian opens the rest for reading, and phrases would
# match as plain words. Both programs say what is missing. Without positions
# an update is refused and a rebuild mends it; without term lists Xapian
# cannot open the index for writing at all.
for table in position termlist; do
    run $PASSIM_INDEX -q --db "$T/$table.db" corpus
    rm "$T/$table.db/$table.glass"
    run $PASSIM_SEARCH --db "$T/$table.db" '"peace talks"'
    expect_rc 2 "search of an index without its $table table"
    advice='remove the folder and index again'
    [ $table = position ] && advice='rebuild it with passim-index --rebuild'
    expect_match "$table\.db: the index is damaged: its (position|term list) table is missing.* \($advice\)" \
        "$ERR" "no $table table: said so by the searcher, with what mends it"
    run $PASSIM_INDEX --db "$T/$table.db" corpus
    expect_rc 2 "update of an index without its $table table"
done
expect_match 'termlist\.db: cannot open index: its table file termlist\.glass is missing \(it seems damaged; even --rebuild must open it' \
    "$ERR" "no term list table: said so by the indexer"
run $PASSIM_INDEX --db "$T/position.db" corpus
expect_match "position\.db: the index is damaged: its position table is missing.*; use --rebuild to rebuild it" \
    "$ERR" "no position table: said so by the indexer"
run $PASSIM_INDEX -q --db "$T/position.db" --rebuild corpus
expect_rc 0 "an index without its position table: rebuilt"
run $PASSIM_SEARCH --db "$T/position.db" '"peace talks"'
expect_rc 0 "and searched again"
rm -rf "$T/position.db" "$T/termlist.db"
# No layout record at all (damage, or another program's index)
cp -r "$T/layout.db" "$T/nolayout.db"
run "$DBCHECK" "$T/nolayout.db" --set-meta passim:layout ""
run $PASSIM_SEARCH --db "$T/nolayout.db" Kabul
expect_rc 2 "search of an index without a layout record refused"
expect_match 'nolayout\.db: the index holds documents but no passim layout record: it is damaged; rebuild it with passim-index --rebuild' \
    "$ERR" "no layout record: said so by the searcher"
run $PASSIM_INDEX --db "$T/nolayout.db" corpus
expect_rc 2 "update of an index without a layout record refused"
expect_match 'nolayout\.db: the index holds documents but no passim layout record' "$ERR" \
    "no layout record: said so by the indexer"
run $PASSIM_INDEX -q --db "$T/nolayout.db" --rebuild corpus
expect_rc 0 "an index without a layout record but with file records is passim's: rebuilt"
rm -rf "$T/nolayout.db"
# Another program's Xapian database (documents, nothing of passim's) is left
# alone, also by --rebuild: a mistyped --db must not cost it.
run "$DBCHECK" "$T/foreign.db" --foreign
expect_rc 0 "make another program's database"
for args in "" "--rebuild" "--rebuild --jobs 2"; do
    run $PASSIM_INDEX --db "$T/foreign.db" $args corpus
    expect_rc 2 "another program's database refused (${args:-update})"
    expect_match 'foreign\.db: a Xapian database with 1 document and nothing that passim writes: passim did not make it, and leaves it alone; give --db another folder' \
        "$ERR" "another program's database: said so (${args:-update})"
    expect_eq "$("$DBCHECK" "$T/foreign.db" --term hello)" "1" \
        "another program's database kept (${args:-update})"
    [ -e "$T/foreign.db/passim-index.pid" ] && fail "a pid file left in another program's database" || pass
done
# The searcher does not send the user to passim-index --rebuild, which would
# refuse: it says what the folder is.
run $PASSIM_SEARCH --db "$T/foreign.db" hello
expect_rc 2 "another program's database not searched"
expect_match 'foreign\.db: a Xapian database with 1 document and nothing that passim writes: passim did not make it; give --db a passim index' \
    "$ERR" "another program's database: said so by the searcher"
run $PASSIM_INDEX -q --db "$T/layout.db" --rebuild corpus
expect_rc 0 "rebuild of another layout"
run $PASSIM_SEARCH --db "$T/layout.db" Kabul
expect_rc 0 "the rebuilt index is searchable"

# --- a file that turns into a binary file: its passages are removed, and said so
mkdir tobin
printf 'Alpha\n\nalpha textthenbin\n' >tobin/a.txt
printf 'Beta\n\nbeta stays\n' >tobin/b.txt
run $PASSIM_INDEX --db "$T/tobin.db" tobin
expect_rc 0 "before the file turns binary"
printf 'x\0\0y' >tobin/a.txt
run $PASSIM_INDEX --db "$T/tobin.db" tobin
expect_rc 0 "a file turned binary"
expect_match ': 0 added, 0 updated, 1 removed, 1 unchanged, 0 skipped, 0 failed' "$OUT" \
    "a file turned binary is counted as removed"
expect_eq "$ERR" "passim-index: tobin/a.txt: removed from the index (not a text file any more)" \
    "a file turned binary: the removal noted with the reason"
run "$DBCHECK" "$T/tobin.db"
expect_rc 0 "consistent after a file turned binary"
expect_match '^files 1$' "$OUT" "only the text file stays"
run "$DBCHECK" "$T/tobin.db" --term textthenbin
expect_eq "$OUT" 0 "the words of a file turned binary are gone"
run $PASSIM_INDEX --db "$T/tobin.db" tobin
expect_match 'up to date, nothing changed \(1 unchanged, 1 skipped, 0 failed\)' "$OUT" \
    "then it is skipped like any binary file"
expect_match 'tobin/a.txt: skipped: not a text file' "$ERR" "and noted as skipped"
# ...and a run that changes nothing commits nothing: the index's version file,
# rewritten by every commit, stays as it was (the files made older first: a
# time under 2 s old is not trusted, and the file is read again)
touch -d '2020-01-01 12:00' tobin/a.txt tobin/b.txt
run $PASSIM_INDEX --db "$T/tobin.db" tobin
version=$(cksum <"$T/tobin.db/iamglass")
run $PASSIM_INDEX --db "$T/tobin.db" tobin
expect_match 'up to date, nothing changed' "$OUT" "a binary file met again: nothing changed"
expect_eq "$(cksum <"$T/tobin.db/iamglass")" "$version" "a binary file met again: nothing committed"
# A time in the future is trusted: the file is not read again, and nothing
# is committed.
mkdir -p fresh
printf 'fresh words here\n' > fresh/a.txt
run $PASSIM_INDEX --db "$T/fresh.db" fresh
touch -d '2099-01-01 12:00' fresh/a.txt
run $PASSIM_INDEX --db "$T/fresh.db" fresh
version=$(cksum <"$T/fresh.db/iamglass")
run $PASSIM_INDEX --db "$T/fresh.db" fresh
expect_match 'up to date, nothing changed' "$OUT" "a file dated in the future met again: nothing changed"
expect_eq "$(cksum <"$T/fresh.db/iamglass")" "$version" \
    "a file dated in the future met again: nothing committed"
printf 'fresh words changed\n' > fresh/a.txt
run $PASSIM_INDEX --db "$T/fresh.db" fresh
expect_match '0 added, 1 updated' "$OUT" "a file dated in the future, then changed: updated"

# --- a single file as the root: its id is its name without extension
run $PASSIM_INDEX --db "$T/one.db" corpus/000_15c4c714383f619c.txt
expect_rc 0 "single file"
expect_match ': 1 added' "$OUT" "single file added"

# --- two files with the same docid are named, whoever indexes them
mkdir col
printf 'Text\n\nThe plain text one.\n' > col/a.txt
printf '# Markdown\n\nThe Markdown one.\n' > col/a.md
: > col/empty.txt
printf 'Not empty\n\nWords.\n' > col/empty.md
msg="docid 'a' is also col/a.md's; TREC runs and --qrels will not tell them apart"
for j in 1 2; do
    run $PASSIM_INDEX -q --db "$T/col$j.db" --jobs $j col
    expect_rc 0 "same docid, --jobs $j: not a failure"
    expect_eq "$ERR" "passim-index: col/a.txt: $msg" "same docid, --jobs $j: both files named, even with -q"
done
# An update that indexes both (the folder renamed) names them once too.
mv col Col
run $PASSIM_INDEX -q --db "$T/col1.db" Col
expect_eq "$(printf '%s\n' "$ERR" | grep -c "docid 'a' is also")" 1 \
    "same docid, both files of an update: one warning"
mv Col col
run $PASSIM_INDEX -q --db "$T/col1.db" col
printf 'Another\n\nThe reStructuredText one.\n' > col/a.rst
run $PASSIM_INDEX --db "$T/col1.db" col
expect_match "^passim-index: col/a.rst: docid 'a' is also col/a\.(md|txt)'s; " "$ERR" \
    "a new file whose docid the index already has"
# White space in a name is '_' in its docid (a TREC line is split at it), so
# "my doc" and "my_doc" are one id, and said so.
mkdir sp
printf 'Spaced\n\nturbine blade vibration.\n' > "sp/my doc.txt"
printf 'Underscored\n\nturbine blade cooling.\n' > sp/my_doc.txt
run $PASSIM_INDEX -q --db "$T/sp.db" sp
expect_match "docid 'my_doc' is also sp/my" "$ERR" "a docid made one token meets another: said so"
run $PASSIM_SEARCH --db "$T/sp.db" -f json turbine
expect_no_match '"docid": "my doc"' "$OUT" "the JSON docid is the TREC one"
expect_match '"docid": "my_doc"' "$OUT" "the JSON docid is the TREC one, with '_'"
# Many: the first ten named, the rest counted, in a first build and an update
mkdir many
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13; do
    printf 'One\n\nText %s.\n' "$i" > "many/f$i.txt"
    printf 'Two\n\nMarkdown %s.\n' "$i" > "many/f$i.md"
done
for round in first update; do
    [ "$round" = update ] && for i in 1 2 3 4 5 6 7 8 9 10 11 12 13; do
        printf 'Three\n\nOther %s.\n' "$i" > "many/f$i.rst"
    done
    run $PASSIM_INDEX -q --db "$T/many.db" many
    expect_eq "$(printf '%s\n' "$ERR" | grep -c "docid 'f[0-9]*' is also")" 10 \
        "13 files with a docid met before ($round): ten named"
    expect_match '^passim-index: and 3 more files whose docid another file has$' "$ERR" \
        "13 files with a docid met before ($round): the rest counted"
done
printf 'Renamed\n\nSame id, new extension.\n' > col/r.txt
run $PASSIM_INDEX -q --db "$T/col1.db" col
mv col/r.txt col/r.md
run $PASSIM_INDEX --db "$T/col1.db" col
expect_match ': 1 added, 0 updated, 1 removed' "$OUT" "a file renamed to another extension"
expect_no_match 'docid' "$ERR" "keeps its docid without a warning"

# --- front matter: its title is the article's title, its words stay searchable
mkdir fm
printf -- '---\ntitle: "Widgets: a survey"\ntags: [gizmo, sprocket]\n---\n\n# Heading\n\nWidgets everywhere.\n' > fm/yaml.md
printf -- '+++\ntitle = "Toml widgets"\n+++\nWidgets again.\n' > fm/toml.md
printf -- '---\ndate: 2024-01-01\n---\n\n# Untitled widgets\n\nMore widgets.\n' > fm/none.md
printf -- '---\nA rule first, widgets after.\n---\n' > fm/rule.txt
run $PASSIM_INDEX -q --db "$T/fm.db" fm
expect_rc 0 "front matter indexed"
run $PASSIM_SEARCH --db "$T/fm.db" -f json -n 10 widgets
titles=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print("|".join(sorted({r["docid"] + "=" + r["title"] for r in json.load(sys.stdin)["results"]})))')
expect_eq "$titles" 'none=Untitled widgets|rule=A rule first, widgets after.|toml=Toml widgets|yaml=Widgets: a survey' \
    "titles from front matter, else the first line after it"
run $PASSIM_SEARCH --db "$T/fm.db" sprocket
expect_rc 0 "front matter words are searchable"
run $PASSIM_SEARCH --db "$T/fm.db" 'title:survey'
expect_match 'fm/yaml\.md' "$OUT" "title: finds the front matter title"

# --- a parallel build (shards merged by compaction) searches like a single one
run $PASSIM_INDEX --db "$T/j1.db" --jobs 1 corpus other
expect_rc 0 "build on one thread"
run $PASSIM_INDEX --db "$T/j2.db" --jobs 2 corpus other
expect_rc 0 "build on two threads"
expect_match ': 5 added, 0 updated, 0 removed' "$OUT" "parallel build summary"
ls -d "$T"/j2.db.tmp-* >/dev/null 2>&1 && fail "shards left behind" || pass
run "$DBCHECK" "$T/j2.db"
expect_rc 0 "merged index consistent"
expect_eq "$OUT" "$("$DBCHECK" "$T/j1.db")" "same documents, files and passages"
for q in 'Kalashnikov rifles' '"peace talks"' 'Lavrov -Taliban' 'talk*' 'title:Kabul'; do
    a=$($PASSIM_SEARCH --db "$T/j1.db" -f json -n 1000 --per-doc 0 "$q" |
        python3 -c 'import json,sys; print(sorted((r["docid"], r["passage"], round(r["score"], 4)) for r in json.load(sys.stdin)["results"]))')
    b=$($PASSIM_SEARCH --db "$T/j2.db" -f json -n 1000 --per-doc 0 "$q" |
        python3 -c 'import json,sys; print(sorted((r["docid"], r["passage"], round(r["score"], 4)) for r in json.load(sys.stdin)["results"]))')
    expect_eq "$b" "$a" "query $q: same hits and scores from the parallel build"
done
run "$DBCHECK" "$T/j2.db" --words
expect_match '^kalashnikov 1$' "$OUT" "word lists of the parallel build"
expect_eq "$OUT" "$("$DBCHECK" "$T/j1.db" --words)" "the shards' word lists merge into those of one thread"
run $PASSIM_INDEX --db "$T/j2.db" --jobs 2 corpus other
expect_match 'up to date, nothing changed \(5 unchanged' "$OUT" "the merged index is incremental too"

# --- a first build on one writer reads and analyses its files on a second
# thread ahead of the writer: the index, word lists included, is the one an
# update (read, analysed and written on one thread) makes of the same files,
# however often it commits. The update's index starts with a file of no word
# the lists keep, removed after.
mkdir -p tiny
printf 'x\n' > tiny/x.txt
run $PASSIM_INDEX -q --db "$T/seq.db" tiny
run $PASSIM_INDEX -q --db "$T/seq.db" corpus other
expect_match ': 5 added, 0 updated, 0 removed' "$OUT" "files added by an update"
rm -r tiny
run $PASSIM_INDEX -q --db "$T/seq.db" tiny
expect_match ': 0 added, 0 updated, 1 removed' "$OUT" "the first file removed"
for b in 1 2 5000; do
    run $PASSIM_INDEX --db "$T/ahead$b.db" --jobs 1 --batch $b corpus other
    expect_match ': 5 added, 0 updated, 0 removed' "$OUT" "first build, --batch $b: summary"
    run "$DBCHECK" "$T/ahead$b.db"
    expect_rc 0 "first build, --batch $b: consistent"
    expect_eq "$OUT" "$("$DBCHECK" "$T/seq.db")" "first build, --batch $b: same files and passages"
    expect_eq "$("$DBCHECK" "$T/ahead$b.db" --words)" "$("$DBCHECK" "$T/seq.db" --words)" \
        "first build, --batch $b: same word lists"
done

# --- --db a symbolic link to the index: the index at its target is built and
# replaced, the link stays a link
mkdir -p linked
run $PASSIM_INDEX -q --db "$T/linked/real.db" corpus
ln -s linked/real.db link.db
for j in 1 2; do
    run $PASSIM_INDEX -q --db link.db --rebuild --jobs $j corpus
    expect_rc 0 "--rebuild through a link (--jobs $j)"
    [ -L link.db ] && [ -d linked/real.db ] && [ ! -e linked/real.db.tmp-* ] && pass \
        || fail "--rebuild through a link (--jobs $j): the link stays, the index at its target"
done
run $PASSIM_SEARCH --db link.db Kalashnikov
expect_rc 0 "the index rebuilt through a link is searched through it"

# --- the word lists of "did you mean": counts add up over runs and shards
mkdir -p words
printf 'Widgets\n\nA widget, widget and gadget.\n' > words/a.txt
for j in 1 2; do
    run $PASSIM_INDEX -q --db "$T/words$j.db" --jobs $j words
    run "$DBCHECK" "$T/words$j.db" --words
    expect_eq "$OUT" "$(printf 'list 3\nand 1\nlist 6\ngadget 1\nwidget 2\nlist 7\nwidgets 1')" \
        "words of 3 letters or more, by length in characters (--jobs $j)"
done
printf 'Widget\n\nOne more widget, ёлка alles.\n' > words/b.txt
run $PASSIM_INDEX -q --db "$T/words1.db" words
run "$DBCHECK" "$T/words1.db" --words
expect_eq "$OUT" "$(printf 'list 3\nand 1\none 1\nlist 4\nmore 1\nёлка 1\nlist 5\nalles 1\nlist 6\ngadget 1\nwidget 4\nlist 7\nwidgets 1')" \
    "a later run adds its words and counts"
# Words due: the words of the files a run killed before its end committed
# wait as values of words due; the next run merges them into the lists, even
# when it has nothing else to do.
due=$(printf 'gadget\t2\nzyzzyva\t1\nx')
run "$DBCHECK" "$T/words1.db" --set-meta passim:words-due:0000000007 "${due%x}"
run "$DBCHECK" "$T/words1.db" --words
expect_match '^due 0000000007$' "$OUT" "words due are kept apart from the lists"
run $PASSIM_INDEX --db "$T/words1.db" words
expect_match 'up to date, nothing changed' "$OUT" "a run with no file to index"
run "$DBCHECK" "$T/words1.db" --words
expect_eq "$OUT" "$(printf 'list 3\nand 1\none 1\nlist 4\nmore 1\nёлка 1\nlist 5\nalles 1\nlist 6\ngadget 3\nwidget 4\nlist 7\nwidgets 1\nzyzzyva 1')" \
    "merges the words due into the lists, and no words stay due"
run $PASSIM_SEARCH --db "$T/words1.db" widgte
expect_rc 1 "misspelt word"
expect_match "no passage contains 'widgte'; did you mean 'widget'\\?" "$ERR" "the closest, most frequent word"
run $PASSIM_SEARCH --db "$T/words1.db" елка
expect_match "did you mean 'ёлка'\\?" "$ERR" "distance in characters, not bytes"
run $PASSIM_SEARCH --db "$T/words1.db" e
expect_no_match "did you mean" "$ERR" "no suggestion that replaces the whole word"
run $PASSIM_INDEX -q --db "$T/nowords.db" --no-spelling words
run "$DBCHECK" "$T/nowords.db" --words
expect_eq "$OUT" "" "--no-spelling keeps no word lists"
run $PASSIM_SEARCH --db "$T/nowords.db" widgte
expect_no_match "did you mean" "$ERR" "and makes no suggestion"

# --- the progress line fits the terminal: a line that wrapped would leave a
# row behind at each redraw; the path gives way from its start
deep=$T/progress/a-rather-long-folder-name/another-quite-long-folder-name
mkdir -p "$deep"
printf 'Deep\n\nA file far down.\n' >"$deep/the-file-name.txt"
for cols in 40 60 100; do
    rm -rf "$T/progress.db"
    lines=$(python3 - "$cols" $PASSIM_INDEX --progress --db "$T/progress.db" "$T/progress" <<'PY'
import fcntl, os, pty, struct, sys, termios
master, slave = pty.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 24, int(sys.argv[1]), 0, 0))
pid = os.fork()
if pid == 0:
    os.dup2(slave, 2)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.execvp(sys.argv[2], sys.argv[2:])
os.close(slave)
out = b''
while True:
    try:
        data = os.read(master, 4096)
    except OSError:
        break
    if not data:
        break
    out += data
os.waitpid(pid, 0)
for line in out.decode().replace('\033[K', '').split('\r'):
    if line.startswith('passim-index:') and 'files' in line:
        print(len(line), line)
PY
)
    expect_match '^[0-9]+ passim-index: 1 of 1 files' "$lines" "$cols columns: a progress line drawn"
    printf '%s\n' "$lines" | awk -v c="$cols" '$1 >= c { bad = 1 } END { exit bad }' && pass \
        || fail "$cols columns: a progress line wider than the terminal: $lines"
done
expect_match 'the-file-name\.txt$' "$lines" "100 columns: the file's name is shown"
expect_match '  …' "$lines" "100 columns: the path's start gives way"

# --- a file changed again within the tick of its filesystem's clock that it
# was indexed in (same size, same time: "racily clean") is seen changed by
# the next run, which compares its content
mkdir "$T/racy"
printf 'Todo\n\nbuy applesauce today\n' >"$T/racy/todo.txt"
touch -r "$T/racy/todo.txt" "$T/racy.time"
$PASSIM_INDEX -q --db "$T/racy.db" "$T/racy" >/dev/null 2>&1
printf 'Todo\n\nbuy pineapples today\n' >"$T/racy/todo.txt"
touch -r "$T/racy.time" "$T/racy/todo.txt"
run $PASSIM_INDEX --db "$T/racy.db" "$T/racy"
expect_match ': 0 added, 1 updated, 0 removed, 0 unchanged' "$OUT" "a racily clean file is read again"
run $PASSIM_SEARCH --db "$T/racy.db" pineapples
expect_rc 0 "its new text is found"
run $PASSIM_INDEX --db "$T/racy.db" "$T/racy"
expect_match 'up to date, nothing changed \(1 unchanged' "$OUT" "and it is unchanged after"

# --- an index made in place of a folder (a first build, --rebuild) keeps the
# access the folder had: its permissions (its files those less execute) and
# its owner
mkdir -m 700 "$T/priv.db"
$PASSIM_INDEX -q --db "$T/priv.db" --jobs 1 "$CORPUS" >/dev/null 2>&1
expect_eq "$(stat -c %a "$T/priv.db")" 700 "a first build into a private folder keeps it private"
expect_eq "$(stat -c %a "$T/priv.db/iamglass")" 600 "and makes its files private"
chmod 750 "$T/priv.db"
$PASSIM_INDEX -q --db "$T/priv.db" --rebuild --jobs 2 "$CORPUS" >/dev/null 2>&1
expect_eq "$(stat -c %a "$T/priv.db")" 750 "--rebuild keeps the folder's permissions"
expect_eq "$(stat -c %a "$T/priv.db/iamglass")" 640 "and gives its files those, less execute"
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
    chown -R nobody "$T/priv.db"
    $PASSIM_INDEX -q --db "$T/priv.db" --rebuild "$CORPUS" >/dev/null 2>&1
    expect_eq "$(stat -c %U "$T/priv.db") $(stat -c %U "$T/priv.db/iamglass")" "nobody nobody" \
        "root's --rebuild of another user's index leaves it, and its files, theirs"
fi
finish
