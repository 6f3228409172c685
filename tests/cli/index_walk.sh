#!/bin/sh
# passim-index's walk over runs that follow each other: what a symbolic link
# loop, another index folder, a .passimignore above the PATH and a PATH that
# is gone do to the files of the index.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/cli/lib.sh"

cd "$T"

# --- a link back to a folder already walked is a note, not a failure
mkdir -p t_loop/s
printf 'One\n\nThe first article.\n' > t_loop/1.txt
printf 'Two\n\nThe second article.\n' > t_loop/2.txt
ln -s .. t_loop/s/up
run $PASSIM_INDEX --db loop.db t_loop
expect_rc 0 "a folder loop is not a failure"
expect_match ': 2 added, .* 0 failed;' "$OUT" "both files added, nothing failed"
expect_match '^passim-index: t_loop/s/up: symbolic link loop back to t_loop: not followed again$' \
    "$ERR" "the loop is noted with the folder it leads back to"
rm t_loop/2.txt
run $PASSIM_INDEX --db loop.db t_loop
expect_rc 0 "second run over the loop"
expect_match ': 0 added, 0 updated, 1 removed, 1 unchanged, 0 skipped, 0 failed' "$OUT" \
    "a file deleted beside a loop is removed"
run "$DBCHECK" loop.db --files
expect_no_match '2\.txt' "$OUT" "the deleted file is gone from the index"
mv t_loop/1.txt t_loop/one.txt
run $PASSIM_INDEX --db loop.db t_loop
expect_match ': 1 added, 0 updated, 1 removed' "$OUT" "a renamed file replaces its old name"
run $PASSIM_INDEX -q --db loop.db t_loop
expect_eq "$ERR" "" "--quiet leaves out the loop note"
# A folder that cannot be read still keeps what the index holds under it, and
# only that: a file deleted elsewhere is removed. Root reads anything: the
# indexer then runs as nobody.
AS_USER=""
if [ "$(id -u)" = 0 ]; then
    if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
        AS_USER="setpriv --reuid=nobody --regid=nogroup --clear-groups --"
    else
        AS_USER=none
    fi
fi
if [ "$AS_USER" != none ]; then
    mkdir -p locks/locked
    printf 'Locked\n\nKept while unreadable.\n' > locks/locked/kept.txt
    printf 'Three\n\nThe third article.\n' > locks/3.txt
    chmod 777 "$T"
    chmod -R a+rwX locks
    run $AS_USER $PASSIM_INDEX -q --db locks.db locks
    expect_rc 0 "index of the folder to lock"
    chmod 000 locks/locked
    rm locks/3.txt
    run $AS_USER $PASSIM_INDEX --db locks.db locks
    chmod 755 locks/locked
    expect_rc 1 "an unreadable folder is a failure"
    expect_match 'locks/locked: cannot open folder: Permission denied' "$ERR" \
        "the unreadable folder is named"
    expect_match ': 0 added, 0 updated, 1 removed, 0 unchanged, 0 skipped, 1 failed' "$OUT" \
        "the deleted file goes, the unreadable folder's file stays"
    run "$DBCHECK" locks.db --files
    expect_match 'locks/locked/kept\.txt$' "$OUT" "the file of the unreadable folder is still indexed"
    # One that lists its names but cannot be entered fails for that reason,
    # not for a .passimignore it does not have.
    chmod 644 locks/locked
    run $AS_USER $PASSIM_INDEX --db locks.db locks
    chmod 755 locks/locked
    expect_rc 1 "a folder that cannot be entered is a failure"
    expect_match '^passim-index: locks/locked: cannot enter folder: Permission denied$' "$ERR" \
        "a folder that cannot be entered says so"
    expect_no_match 'passimignore' "$ERR" "and blames no .passimignore"
    # A rebuild cannot keep what it cannot read: it is refused, before it
    # starts for a folder, once the files are read for a file, and the
    # index stays as it was.
    before=$("$DBCHECK" locks.db --files)
    chmod 000 locks/locked
    for j in 1 2; do
        run $AS_USER $PASSIM_INDEX --db locks.db --rebuild --jobs $j locks
        expect_rc 2 "a rebuild with a folder that cannot be read (--jobs $j)"
        expect_match 'locks.db: not rebuilt, since 1 article of the index could not be read again \(locks/locked/kept\.txt\); the index is as it was' \
            "$ERR" "the rebuild is refused, naming the article (--jobs $j)"
        expect_eq "$("$DBCHECK" locks.db --files)" "$before" "the index as it was (--jobs $j)"
        run $AS_USER $PASSIM_INDEX --db locks.db --rebuild --jobs $j locks/locked
        expect_rc 2 "a rebuild of a PATH that cannot be opened (--jobs $j)"
        expect_match 'not rebuilt, since a PATH given cannot be read' "$ERR" \
            "a PATH that cannot be opened is a PATH that cannot be read (--jobs $j)"
    done
    chmod 755 locks/locked
    chmod 000 locks/locked/kept.txt
    for j in 1 2; do
        run $AS_USER $PASSIM_INDEX --db locks.db --rebuild --jobs $j locks
        expect_rc 2 "a rebuild with a file that cannot be read (--jobs $j)"
        expect_match 'locks/locked/kept\.txt: cannot read: Permission denied' "$ERR" \
            "the file is named (--jobs $j)"
        expect_match 'not rebuilt, since 1 article of the index could not be read again' "$ERR" \
            "the rebuild is refused once the file is read (--jobs $j)"
        expect_eq "$("$DBCHECK" locks.db --files)" "$before" "the index still as it was (--jobs $j)"
    done
    chmod 644 locks/locked/kept.txt
    ls -d locks.db.tmp-* >/dev/null 2>&1 && fail "a refused rebuild left a folder" || pass
    # A first build whose only PATH cannot be opened makes no index.
    chmod 000 locks/locked
    run $AS_USER $PASSIM_INDEX --db unopened.db locks/locked
    chmod 755 locks/locked
    expect_rc 2 "a first build of a folder that cannot be opened"
    expect_match 'unopened.db: no index made, since no PATH given can be read' "$ERR" \
        "no index is made"
    [ -e unopened.db ] && fail "a folder was left for the index" || pass
    # A --db folder whose entries cannot be listed may hold anything: it is
    # refused, not replaced by a compacted index.
    mkdir drop
    echo secret > drop/keep.txt
    chmod 333 drop
    for j in 1 2; do
        run $AS_USER $PASSIM_INDEX --db drop --jobs $j locks/3.txt
        expect_rc 2 "a --db folder that cannot be listed (--jobs $j)"
        expect_match '^passim-index: drop: exists and is not an index folder \(what it holds cannot be listed: Permission denied\)' \
            "$ERR" "the folder and the problem named (--jobs $j)"
    done
    chmod 755 drop
    expect_eq "$(ls -A drop)" "keep.txt" "the folder stays as it was"
    # Under a folder that may not be searched, --db cannot be told to exist
    # or not: it is named as out of reach, not as a folder that exists.
    chmod 766 drop
    run $AS_USER $PASSIM_INDEX --db drop/new.db locks/3.txt
    chmod 755 drop
    expect_rc 2 "a --db under a folder that may not be searched"
    expect_match '^passim-index: drop/new.db: cannot be reached: Permission denied$' "$ERR" \
        "the path and the problem named"
    expect_eq "$(ls -A drop)" "keep.txt" "nothing is made there"
fi

# --- index folders inside the tree are passed over, whatever their name
mkdir clean
printf 'Clean\n\nThe only article here.\n' > clean/a.txt
run $PASSIM_INDEX -q --db clean/passim.db clean
expect_rc 0 "an index inside the folder it indexes"
cp -R clean/passim.db clean/backup
run $PASSIM_INDEX --db clean/sub.db clean
expect_rc 0 "a second index of the folder"
expect_match ': 1 added, 0 updated, 0 removed, 0 unchanged, 0 skipped, 0 failed' "$OUT" \
    "only the article is indexed"
expect_match '^passim-index: clean/passim.db: skipped: a Xapian index folder$' "$ERR" \
    "the other index is named"
expect_match '^passim-index: clean/backup: skipped: a Xapian index folder$' "$ERR" \
    "a copy of an index under another name is passed over too"
run "$DBCHECK" clean/sub.db --files
expect_eq "$OUT" "1 clean/a.txt" "no file of an index folder is an article"
run $PASSIM_INDEX --db clean/sub.db --rebuild clean
expect_match ': 1 added, 0 updated, 0 removed' "$OUT" "rebuild beside the index, inside the folder"
expect_no_match 'sub\.db' "$ERR" "the index being written and its temporary folder are passed over quietly"
run $PASSIM_INDEX -q --db clean/sub.db clean
expect_match 'up to date, nothing changed \(1 unchanged, 0 skipped, 0 failed\)' "$OUT" \
    "the other indexes' lock and pid files never count"
expect_eq "$ERR" "" "--quiet leaves out the notes on index folders"

# --- an index folder as the only PATH: nothing to index, and nothing made or lost
run $PASSIM_INDEX --db fromindex.db clean/passim.db
expect_rc 2 "a first build of an index folder alone"
expect_match '^passim-index: fromindex.db: no index made, since no PATH given holds articles \(an index folder is never indexed\)$' \
    "$ERR" "says why no index is made"
expect_eq "$(ls -d fromindex.db* 2>/dev/null)" "" "and leaves no folder behind"
run $PASSIM_INDEX --db fromindex.db clean/passim.db clean/not-there
expect_rc 2 "a first build of an index folder and a path not there"
expect_match 'no index made, since the PATHs given are index folders, never indexed, or cannot be read$' \
    "$ERR" "says both"
expect_eq "$(ls -d fromindex.db* 2>/dev/null)" "" "and leaves no folder behind either"
run $PASSIM_INDEX --db clean/sub.db --rebuild clean/backup clean/sub.db
expect_rc 2 "a rebuild of index folders alone"
expect_match 'clean/sub.db: not rebuilt, since no PATH given holds articles' "$ERR" \
    "is refused, saying why"
run "$DBCHECK" clean/sub.db --files
expect_eq "$OUT" "1 clean/a.txt" "and the index keeps its articles"

# --- a file removed from the index says why
mkdir -p why/logs why/notes
for f in a.txt b.log logs/c.txt notes/d.txt notes/e.txt; do
    printf 'Article %s\n\nSome words.\n' "$f" > "why/$f"
done
run $PASSIM_INDEX -q --db why.db why
expect_match ': 5 added' "$OUT" "five articles to lose"
# UTF-16 with a byte order mark (what some Windows shells write), CRLF
printf '\377\376*\000.\000l\000o\000g\000\r\000\n\000l\000o\000g\000s\000\r\000\n\000' \
    > why/.passimignore
mv why/notes why/.notes
rm why/a.txt
run $PASSIM_INDEX --db why.db why
expect_match ': 0 added, 0 updated, 5 removed' "$OUT" "all five removed"
expect_match '^passim-index: why/b.log: removed from the index \(ignored\)$' "$ERR" \
    "a file a .passimignore now ignores is not said to be gone"
expect_match '^passim-index: why/logs/c.txt: removed from the index \(ignored\)$' "$ERR" \
    "so is a file in a folder a .passimignore now ignores"
expect_match '^passim-index: why/a.txt: removed from the index \(file is gone\)$' "$ERR" \
    "a deleted file is gone"
expect_match '^passim-index: why/notes/d.txt: removed from the index \(file is gone\)$' "$ERR" \
    "a file whose folder was renamed is gone under its old name"
# A link now ignored: the file it led to goes for that reason, though it is
# still there and the link still leads to it.
mkdir -p linkwhy/notes linkwhy/shared
printf 'Shared\n\nShared words.\n' > linkwhy/shared/s.txt
ln -s ../shared/s.txt linkwhy/notes/s.txt
run $PASSIM_INDEX -q --db linkwhy.db linkwhy/notes
expect_match ': 1 added' "$OUT" "a file met through a link"
echo s.txt > linkwhy/notes/.passimignore
run $PASSIM_INDEX --db linkwhy.db linkwhy/notes
expect_match '^passim-index: linkwhy/notes/s.txt: removed from the index \(ignored\)$' "$ERR" \
    "a link a .passimignore now ignores: the file it led to goes as ignored"
run $PASSIM_INDEX -q --db why.db why/.notes
expect_match ': 2 added' "$OUT" "a hidden folder given as the PATH is indexed"
run $PASSIM_INDEX --db why.db why
expect_match '^passim-index: why/.notes/e.txt: removed from the index \(hidden name\)$' "$ERR" \
    "a file under a hidden name is not said to be gone"

# --- a .passimignore above the PATH applies, up to the folder of the index
mkdir -p ign/a/b
echo '*.log' > ign/.passimignore
printf 'Dropped\n\nA log.\n' > ign/a/b/drop.log
printf 'Kept\n\nAn article.\n' > ign/a/b/keep.txt
run $PASSIM_INDEX --db ig.db ign/a/b
expect_match ': 1 added, .* 0 skipped, 0 failed' "$OUT" "only the article below the PATH is indexed"
run "$DBCHECK" ig.db --files
expect_eq "$OUT" "1 ign/a/b/keep.txt" "the .passimignore two folders above the PATH applies"
(cd ign/a && $PASSIM_INDEX -q --db ../../ig-dots.db .) >/dev/null 2>&1
run "$DBCHECK" ig-dots.db --files
expect_eq "$OUT" "1 ./b/keep.txt" "it applies to the PATH '.' too"
run $PASSIM_INDEX --db ig.db ign
expect_match 'up to date, nothing changed \(1 unchanged' "$OUT" \
    "the same files whichever PATH is given"
run $PASSIM_INDEX --db ig.db ign/a/b/drop.log
expect_match ': 1 added' "$OUT" "a file given as the PATH is never ignored itself"

# --- patterns as in .gitignore: a trailing '/' for folders only, a '/' inside
# for a path below the folder of the .passimignore, a leading '/' anchors
mkdir -p gi/a gi/deep/sub
for f in a/x.txt a.txt deep/y.txt deep/sub/y.txt deep/keep.txt top.txt deep/top.txt; do
    printf 'Article\n\nOne of the tree.\n' > "gi/$f"
done
printf 'a/\ndeep/y.txt\n/top.txt\n' > gi/.passimignore
for root in gi gi/deep; do
    run $PASSIM_INDEX -q --db "gi-$(basename $root).db" $root
    run "$DBCHECK" "gi-$(basename $root).db" --files
    case $root in
    gi) want=$(printf '1 gi/a.txt\n1 gi/deep/keep.txt\n1 gi/deep/sub/y.txt\n1 gi/deep/top.txt') ;;
    *) want=$(printf '1 gi/deep/keep.txt\n1 gi/deep/sub/y.txt\n1 gi/deep/top.txt') ;;
    esac
    expect_eq "$OUT" "$want" "gitignore-style patterns, from the PATH $root"
done
mkdir -p bound/proj/sub
echo '*.txt' > bound/.passimignore
echo '*.log' > bound/proj/.passimignore
printf 'Kept\n\nAn article.\n' > bound/proj/sub/a.txt
printf 'Dropped\n\nA log.\n' > bound/proj/sub/b.log
run $PASSIM_INDEX --db bound/proj/passim.db bound/proj/sub
run "$DBCHECK" bound/proj/passim.db --files
expect_eq "$OUT" "1 bound/proj/sub/a.txt" \
    "the folder that holds the index is the last one read, as a repository's top"

# --- a PATH that is a link: the patterns above where it leads apply too, so
# a file is ignored whichever way it is reached
mkdir -p viaq/data/notes viaq/home
printf 'Old\n\nAn old draft.\n' > viaq/data/notes/old.md
printf 'New\n\nA new note.\n' > viaq/data/notes/new.md
echo notes/old.md > viaq/data/.passimignore
ln -s notes viaq/data/alias
ln -s ../data/notes viaq/home/notes
for root in viaq/data/notes viaq/data/alias viaq/home/notes; do
    rm -rf viaq.db
    run $PASSIM_INDEX -q --db viaq.db $root
    run "$DBCHECK" viaq.db --files
    expect_eq "$(printf '%s\n' "$OUT" | sed 's|.*/||')" "new.md" "the ignored file stays out, from the PATH $root"
done

# --- a PATH that is gone: its articles go if the index has them, else an error
mkdir -p gone/sub
printf 'Single\n\nOne file given alone.\n' > single.txt
printf 'Stays\n\nNot under a PATH that is gone.\n' > gone/stays.txt
printf 'A\n\nFirst.\n' > gone/sub/a.txt
printf 'B\n\nSecond.\n' > gone/sub/b.txt
run $PASSIM_INDEX -q --db gone.db single.txt gone
expect_match ': 4 added' "$OUT" "four articles under the PATHs"
rm single.txt
rm -r gone/sub
run $PASSIM_INDEX --db gone.db single.txt gone/sub
expect_rc 0 "PATHs that are gone, known to the index: not a failure"
expect_match ': 0 added, 0 updated, 3 removed, 0 unchanged, 0 skipped, 0 failed' "$OUT" \
    "their articles are removed"
expect_eq "$ERR" "passim-index: single.txt: gone; its article is removed from the index
passim-index: gone/sub: gone; its 2 articles are removed from the index" "one note per PATH that is gone"
run "$DBCHECK" gone.db --files
expect_eq "$OUT" "1 gone/stays.txt" "the rest of the index stays"
mkdir gone/one
printf 'Only\n\nThe one article of its folder.\n' > gone/one/only.txt
run $PASSIM_INDEX --db gone.db gone/one
expect_match ': 1 added, 0 updated, 0 removed, 0 unchanged, 0 skipped, 0 failed; 1 passage;' \
    "$OUT" "one passage, said so"
rm -r gone/one
run $PASSIM_INDEX --db gone.db gone/one
expect_eq "$ERR" "passim-index: gone/one: gone; the one article under it is removed from the index" \
    "a folder that is gone with one article"
run $PASSIM_INDEX --db gone.db single.txt
expect_rc 1 "a PATH that is gone and that the index does not know is an error"
expect_match '^passim-index: single.txt: cannot read: No such file or directory$' "$ERR" \
    "it is named"

# --- a file is the same article whichever links lead to it: its folder's
# canonical path and its name, or where a link to it resolves
mkdir -p canon/real/deep canon/mixed
printf 'A\n\nFirst.\n' > canon/real/a.txt
printf 'B\n\nSecond.\n' > canon/real/deep/b.txt
printf 'Own\n\nThird.\n' > canon/mixed/own.txt
ln -s real canon/via
ln -s ../real/deep canon/mixed/d
ln -s ../real/a.txt canon/mixed/f.txt
run $PASSIM_INDEX --db canon.db canon/via
expect_match ': 2 added' "$OUT" "two articles through a linked PATH"
run $PASSIM_INDEX --db canon.db canon/real
expect_match ': 0 added, 2 updated, 0 removed, 0 unchanged' "$OUT" \
    "the same two through the real PATH: the same articles, now at their own paths"
run $PASSIM_SEARCH --db canon.db -f json First
expect_match '"path": "canon/real/a.txt"' "$OUT" "an article met directly shows its own path"
run $PASSIM_INDEX --db canon.db canon/via
expect_match 'up to date, nothing changed \(2 unchanged' "$OUT" \
    "met through the link again: articles held directly stay as they are"
run $PASSIM_INDEX --db canon.db canon/mixed
expect_match ': 1 added, 0 updated, 0 removed, 2 unchanged' "$OUT" \
    "and through a linked folder and a linked file"
# A file the index holds as met directly stays when a link to it goes.
rm canon/mixed/f.txt
run $PASSIM_INDEX --db canon.db canon/mixed
expect_match 'up to date, nothing changed' "$OUT" "a link to a file held directly goes: the file stays"

# --- a file moved away and linked back, or replaced by a link to another:
# its record goes, saying so, and what the link leads to is the article
mkdir -p relink/notes relink/away
printf 'Alpha\n\nabout herring\n' > relink/notes/a.txt
printf 'Beta\n\nabout mackerel\n' > relink/notes/b.txt
run $PASSIM_INDEX --db relink.db relink/notes
mv relink/notes/a.txt relink/away/a.txt && ln -s ../away/a.txt relink/notes/a.txt
rm relink/notes/b.txt && ln -s a.txt relink/notes/b.txt
run $PASSIM_INDEX --db relink.db relink/notes
expect_match ': 1 added, 0 updated, 2 removed' "$OUT" "files replaced by links"
expect_match 'notes/a\.txt: removed from the index \(now a symbolic link: the file it leads to is the article\)$' \
    "$ERR" "a file moved away and linked back: said why"
expect_match 'notes/b\.txt: removed from the index \(now a symbolic link: the file it leads to is the article\)$' \
    "$ERR" "a file replaced by a link to another: said why"
run $PASSIM_SEARCH --db relink.db herring
expect_rc 0 "the file moved away is found through its link"
run $PASSIM_SEARCH --db relink.db mackerel
expect_rc 1 "the file replaced is not"
# ...and by a link that cannot be followed, to nothing in a folder that is
# there or a loop: its text is gone, and a rebuild is not held up by it; one
# to a folder not there (a disk not mounted) keeps it
printf 'Gamma\n\nabout sprat\n' > relink/notes/c.txt
printf 'Delta\n\nabout shad\n' > relink/notes/d.txt
printf 'Epsilon\n\nabout smelt\n' > relink/notes/e.txt
run $PASSIM_INDEX -q --db relink.db relink/notes
rm relink/notes/c.txt relink/notes/d.txt relink/notes/e.txt
ln -s ../away/deleted.txt relink/notes/c.txt
ln -s d.txt relink/notes/d.txt
ln -s /nonexistent/e.txt relink/notes/e.txt
run $PASSIM_INDEX --db relink.db relink/notes
expect_match ': 0 added, 0 updated, 2 removed' "$OUT" "files replaced by links that lead nowhere"
expect_match 'notes/c\.txt: removed from the index \(now a symbolic link to no regular file\)$' \
    "$ERR" "a file replaced by a broken link: said why"
expect_match 'notes/d\.txt: symbolic link loop' "$ERR" "the loop named"
run $PASSIM_SEARCH --db relink.db sprat OR shad
expect_rc 1 "their text is not found"
run $PASSIM_SEARCH --db relink.db smelt
expect_rc 0 "a file behind a link to a folder not there stays"
rm relink/notes/e.txt
run $PASSIM_INDEX --db relink.db --rebuild relink/notes
expect_rc 1 "a rebuild: the links named as failures, not refused"
rm relink/notes/c.txt relink/notes/d.txt
# the same for a file given as the PATH itself
printf 'Zeta\n\nabout dace\n' > relink/notes/z.txt
printf 'Eta\n\nabout rudd\n' > relink/notes/y.txt
run $PASSIM_INDEX -q --db relink-path.db relink/notes/z.txt relink/notes/y.txt
rm relink/notes/z.txt relink/notes/y.txt
ln -s ../away/deleted.txt relink/notes/z.txt
ln -s /nonexistent/y.txt relink/notes/y.txt
run $PASSIM_INDEX --db relink-path.db relink/notes/z.txt relink/notes/y.txt
expect_rc 1 "PATHs that are links which lead nowhere are failures"
expect_match 'notes/z\.txt: removed from the index \(now a symbolic link to no regular file\)$' \
    "$ERR" "a PATH replaced by a broken link: its article goes, said why"
run $PASSIM_SEARCH --db relink-path.db dace
expect_rc 1 "its text is not found"
run $PASSIM_SEARCH --db relink-path.db rudd
expect_rc 0 "a PATH now a link to a folder not there keeps its article"
rm relink/notes/z.txt relink/notes/y.txt
# a PATH moved away and linked back, a file PATH replaced by a link to
# another file, a folder below a PATH replaced by a link, a file by a link to
# a folder: the articles met before at those places go, said why, so that no
# text shows twice nor stays after it is gone
mkdir -p mv/notes/sub mv/data mv/dir
printf 'A\n\nnote quetzal\n' > mv/notes/a.txt
printf 'B\n\nkeep toucan\n' > mv/notes/b.txt
printf 'S\n\nsub heron\n' > mv/notes/sub/s.txt
printf 'Q\n\nabout ibis\n' > mv/notes/q.txt
printf 'O\n\nold vesper\n' > mv/o.txt
printf 'T\n\nother walrus\n' > mv/target.txt
printf 'X\n\nin dir\n' > mv/dir/x.txt
run $PASSIM_INDEX -q --db mv.db mv/notes mv/o.txt
mv mv/notes mv/data/notes
ln -s data/notes mv/notes
printf 'B\n\nchanged toucan\n' > mv/data/notes/b.txt
mv mv/data/notes/sub mv/data/sub
ln -s ../sub mv/data/notes/sub
rm mv/data/notes/q.txt
ln -s ../../dir mv/data/notes/q.txt
rm mv/o.txt
ln -s target.txt mv/o.txt
run $PASSIM_INDEX --db mv.db mv/notes mv/o.txt
expect_rc 0 "PATHs replaced by links"
expect_match 'notes/a\.txt: removed from the index \(a folder on its path is now a symbolic link: the file it leads to is the article\)$' \
    "$ERR" "a PATH moved away and linked back: said why"
expect_match 'notes/sub/s\.txt: removed from the index \(a folder on its path is now a symbolic link' \
    "$ERR" "a folder below the PATH replaced by a link: said why"
expect_match 'notes/q\.txt: removed from the index \(now a symbolic link to a folder\)$' \
    "$ERR" "a file replaced by a link to a folder: said why"
expect_match 'mv/o\.txt: removed from the index \(now a symbolic link: the file it leads to is the article\)$' \
    "$ERR" "a file PATH replaced by a link: said why"
expect_no_match 'is also' "$ERR" "no docid is said to be taken twice"
run $PASSIM_SEARCH --db mv.db --vimgrep 'quetzal OR toucan OR heron OR vesper OR walrus OR ibis'
expect_eq "$(printf '%s\n' "$OUT" | sort)" "$(printf '%s\n' 'mv/notes/a.txt:3:6:A note quetzal' \
    'mv/notes/b.txt:3:9:B changed toucan' 'mv/notes/sub/s.txt:3:5:S sub heron' 'mv/o.txt:3:7:T other walrus' | sort)" \
    "each text found once, the new one, under the PATH as given"
# A file a rebuild of another PATH leaves out is not met under the PATH, even
# when a link led to it and still does.
run $PASSIM_INDEX --db mv.db --rebuild mv/dir
expect_match 'mv/notes/a\.txt: removed from the index \(not met under the PATH\)$' "$ERR" \
    "a rebuild of another PATH: said why"
# So is one whose folder was moved away and linked back since.
mkdir -p mv2/notes mv2/other mv2/data
printf 'A\n\nnote quetzal\n' > mv2/notes/a.txt
printf 'O\n\nother text\n' > mv2/other/o.txt
run $PASSIM_INDEX -q --db mv2.db mv2/notes mv2/other
mv mv2/notes mv2/data/notes
ln -s data/notes mv2/notes
run $PASSIM_INDEX --db mv2.db --rebuild mv2/other
expect_match 'mv2/notes/a\.txt: removed from the index \(not met under the PATH\)$' "$ERR" \
    "a rebuild of another PATH, a folder since linked: said why"

# --- a file met only through a link goes when the link goes or leads elsewhere,
# and so do the files of a linked folder when they go or the link does
mkdir -p lk/n lk/ext lk/ext2
printf 'Old\n\nold version about salmon\n' > lk/ext/v1.txt
printf 'New\n\nnew version about salmon\n' > lk/ext/v2.txt
printf 'E\n\nabout trout\n' > lk/ext2/e.txt
printf 'F\n\nabout trout too\n' > lk/ext2/f.txt
ln -s ../ext/v1.txt lk/n/current.txt
ln -s ../ext2 lk/n/more
run $PASSIM_INDEX --db lk.db lk/n
expect_match ': 3 added' "$OUT" "files met through links"
ln -sfn ../ext/v2.txt lk/n/current.txt
run $PASSIM_INDEX --db lk.db lk/n
expect_match ': 1 added, 0 updated, 1 removed' "$OUT" "a link that leads elsewhere: the old file goes"
expect_match 'current\.txt: removed from the index \(a symbolic link led to it, and no longer does\)' \
    "$ERR" "said why"
run $PASSIM_SEARCH --db lk.db -f json salmon
expect_match '"title": "New"' "$OUT" "the file the link leads to now is found"
expect_no_match '"title": "Old"' "$OUT" "the one it led to before is not"
rm lk/ext2/e.txt
run $PASSIM_INDEX --db lk.db lk/n
expect_match ': 0 added, 0 updated, 1 removed' "$OUT" "a file of a linked folder deleted goes"
rm lk/n/current.txt lk/n/more
run $PASSIM_INDEX --db lk.db lk/n
expect_match ': 0 added, 0 updated, 2 removed' "$OUT" "links removed: what they led to goes"
run $PASSIM_SEARCH --db lk.db salmon
expect_rc 1 "nothing is left of them"
# Met both directly and through a link, in one run: directly wins, whatever
# the order of the walk, and the link going later changes nothing.
mkdir -p both/A both/B
printf 'F\n\nabout zebras\n' > both/B/f.txt
ln -s ../B/f.txt both/A/ln.txt
ln -s f.txt both/B/0link.txt
run $PASSIM_INDEX --db both.db both/A both/B
expect_match ': 1 added' "$OUT" "one article for a file met three ways"
run $PASSIM_SEARCH --db both.db -f json zebras
expect_match '"path": "both/B/f.txt"' "$OUT" "shown at its own path, not a link's"
rm both/A/ln.txt both/B/0link.txt
run $PASSIM_INDEX --db both.db both/A
expect_match 'up to date, nothing changed' "$OUT" "the links gone: the file held directly stays"
run $PASSIM_SEARCH --db both.db zebras
expect_rc 0 "and is found"
# Its content checked again through a link, by a run over the link's PATH
# alone (its time changed, not its text): it keeps its own name, which the
# note of its removal gives.
mkdir -p both2/A both2/B
printf 'F\n\nabout gnus\n' > both2/A/f.md
ln -s ../A/f.md both2/B/l.txt
$PASSIM_INDEX -q --db both2.db both2/A both2/B >/dev/null || fail "indexing both2"
touch -d '2001-01-01' both2/A/f.md
$PASSIM_INDEX -q --db both2.db both2/B >/dev/null || fail "indexing both2/B"
rm both2/B/l.txt both2/A/f.md
run $PASSIM_INDEX --db both2.db both2/A both2/B
expect_match '^passim-index: both2/A/f\.md: removed from the index \(file is gone\)$' "$ERR" \
    "a file held directly, checked through a link: its removal names it, not the link"
# A link whose file is deleted: the link is broken (a failure), the article goes.
mkdir -p gone/n gone/ext
printf 'G\n\nabout okapis\n' > gone/ext/g.txt
ln -s ../ext/g.txt gone/n/g.txt
$PASSIM_INDEX -q --db gone.db gone/n/ >/dev/null 2>&1
rm gone/ext/g.txt
run $PASSIM_INDEX --db gone.db gone/n/
expect_rc 1 "a broken link is a failure"
expect_match 'g\.txt: removed from the index \(file is gone\)' "$ERR" "its deleted file's article goes"
run $PASSIM_SEARCH --db gone.db okapis
expect_rc 1 "nothing left of it"
# A PATH that is itself a link to a file deleted since: its article goes too.
printf 'H\n\nabout hyraxes\n' > gone/ext/h.txt
ln -s ext/h.txt gone/h-link.txt
$PASSIM_INDEX -q --db gone.db gone/h-link.txt >/dev/null 2>&1
rm gone/ext/h.txt
run $PASSIM_INDEX --db gone.db gone/h-link.txt
expect_match 'h-link\.txt: removed from the index \(file is gone\)' "$ERR" "a PATH linked to a deleted file"
# Under a PATH that is a link, a file is shown at its own path, not at a
# link beside it that sorts first.
mkdir -p lp/data/notes
printf 'B\n\nabout bats\n' > lp/data/notes/b.txt
ln -s b.txt lp/data/notes/a-link.txt
ln -s data/notes lp/notes
$PASSIM_INDEX -q --db lp.db lp/notes >/dev/null 2>&1
run $PASSIM_SEARCH --db lp.db -f json bats
expect_match '"path": "lp/notes/b.txt"' "$OUT" "a linked PATH: a file at its own path"
# Under that linked PATH, a link to a folder not there for now (a disk not
# mounted): what the index holds behind it stays; the link gone, it goes.
mkdir -p lp/disk
printf 'E\n\nabout emus\n' > lp/disk/e.txt
ln -s ../../disk lp/data/notes/mnt
$PASSIM_INDEX -q --db lp.db lp/notes >/dev/null 2>&1
mv lp/disk lp/disk.off
run $PASSIM_INDEX --db lp.db lp/notes
expect_rc 1 "a link to a folder not there: a failure"
run $PASSIM_SEARCH --db lp.db emus
expect_rc 0 "what the index holds behind it stays"
rm lp/data/notes/mnt
run $PASSIM_INDEX --db lp.db lp/notes
expect_match ': 0 added, 0 updated, 1 removed' "$OUT" "the link gone: what it led to goes"

# --- a broken link met by several routes (a PATH given twice, itself, and
# through a link to its folder) is one failure, named once: the counts of a
# run add up to its files
mkdir -p bl/a bl/b
printf 'Hello\n\nworld.\n' > bl/a/f.txt
ln -s /nonexistent-passim bl/a/x.txt
ln -s ../a bl/b/toa
run $PASSIM_INDEX --db bl.db bl/a bl/a bl/a/x.txt ./bl/a bl/b
expect_rc 1 "a broken link fails the run"
expect_match ': 1 added, .* 1 failed;' "$OUT" "a broken link met by four routes counts once"
expect_eq "$(printf '%s\n' "$ERR" | grep -c 'broken symbolic link')" 1 "and is named once"

# --- the index itself, or a file in it, given as a PATH: passed over, said so
run $PASSIM_INDEX --db bl.db bl.db bl.db/iamglass
expect_rc 0 "the index as a PATH: nothing to index"
expect_match '^passim-index: bl.db: skipped: the index being written \(--db\), or a folder in it$' \
    "$ERR" "the index folder as a PATH: a note"
expect_match '^passim-index: bl.db/iamglass: skipped: a file of the index being written \(--db\)$' \
    "$ERR" "a file of the index as a PATH: a note"

# --- a .passimignore that cannot be read (here a folder of that name, which
# root cannot read either): what it keeps out is unknown, so its folder is
# not walked, is reported as failed, and what the index holds there stays.
mkdir -p ig/sub
printf 'Kept\n\nalpha text.\n' > ig/a.txt
printf 'Private\n\nsecret text.\n' > ig/sub/secret.txt
printf 'Public\n\nbeta text.\n' > ig/sub/public.txt
echo secret.txt > ig/sub/.passimignore
run $PASSIM_INDEX --db ig.db ig
expect_match ': 2 added' "$OUT" "before: the ignored file left out"
rm ig/sub/.passimignore
mkdir ig/sub/.passimignore
printf 'New\n\ngamma text.\n' > ig/sub/new.txt
run $PASSIM_INDEX --db ig.db ig
expect_rc 1 "an unreadable .passimignore fails its folder"
expect_match '^passim-index: ig/sub: cannot read its \.passimignore, so the folder is not walked: Is a directory$' \
    "$ERR" "the unreadable .passimignore is named"
expect_match ': nothing changed \(1 unchanged, 0 skipped, 1 failed\)' "$OUT" \
    "nothing of the folder added, nothing of it removed"
run $PASSIM_SEARCH --db ig.db secret
expect_rc 1 "what the .passimignore kept out is still out"
run $PASSIM_SEARCH --db ig.db beta
expect_rc 0 "what the index held in the folder stays"
# One above the PATH given that cannot be read is passed over, with a note.
mkdir -p up/sub up/.passimignore
printf 'Below\n\ndelta text.\n' > up/sub/d.txt
run $PASSIM_INDEX --db up.db up/sub
expect_rc 0 "an unreadable .passimignore above the PATH fails nothing"
expect_match '^passim-index: /.*/up/\.passimignore: cannot read it \(Is a directory\): what it keeps out of up/sub is indexed$' \
    "$ERR" "and is named"
expect_match ': 1 added' "$OUT" "the PATH is indexed"
# A pipe of that name is not read (it would wait for a writer for ever).
if command -v mkfifo >/dev/null && command -v timeout >/dev/null; then
    mkdir -p pipe/top/sub
    printf 'P\n\npiped text.\n' > pipe/top/sub/p.txt
    mkfifo pipe/top/sub/.passimignore pipe/top/.passimignore
    run timeout 60 $PASSIM_INDEX --db pipe.db pipe/top/sub
    expect_rc 2 "a pipe as .passimignore fails its folder, without waiting"
    expect_match '^passim-index: pipe/top/sub: cannot read its \.passimignore, so the folder is not walked: not a regular file$' \
        "$ERR" "the pipe is named"
    expect_match '^passim-index: /.*/pipe/top/\.passimignore: cannot read it \(not a regular file\): what it keeps out of pipe/top/sub is indexed$' \
        "$ERR" "the pipe above the PATH is named"
fi

# --- a .passimignore in Latin-1 names Latin-1 files: its bytes are not converted
mkdir -p l1
printf 'A\n\nalpha words\n' > "l1/caf$(printf '\351').txt"
printf 'B\n\nbeta words\n' > l1/b.txt
printf 'caf\351.txt\n' > l1/.passimignore
run $PASSIM_INDEX -q --db l1.db l1
expect_match ': 1 added' "$OUT" "a Latin-1 pattern ignores the Latin-1 file it names"

# --- a pipe or a socket in a folder is no article: noted, counted as skipped
mkdir -p special
printf 'Pipes\n\nA plain article beside them.\n' > special/a.txt
if mkfifo special/pipe.txt 2>/dev/null; then
    python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
        special/sock.txt 2>/dev/null
    n=1
    [ -S special/sock.txt ] && n=2
    run $PASSIM_INDEX --db special.db special
    expect_rc 0 "pipes and sockets in a folder are no failure"
    expect_match '^passim-index: special/pipe\.txt: skipped: not a regular file$' "$ERR" \
        "the pipe is named"
    expect_match ": 1 added, 0 updated, 0 removed, 0 unchanged, $n skipped, 0 failed" "$OUT" \
        "each counts as skipped"
    run $PASSIM_INDEX -q --db special.db special
    expect_eq "$ERR" "" "--quiet leaves out the note"
    expect_match "nothing changed \(1 unchanged, $n skipped, 0 failed\)" "$OUT" \
        "and still counts them"
    run $PASSIM_INDEX -q --db special.db special ./special
    expect_match "nothing changed \(1 unchanged, $n skipped, 0 failed\)" "$OUT" \
        "a pipe met by two routes is skipped once"
    # An article a pipe replaces is removed, and counted once, as removed.
    printf 'Soon\n\nA pipe takes its place.\n' > special/b.txt
    $PASSIM_INDEX -q --db special.db special >/dev/null
    rm special/b.txt
    mkfifo special/b.txt
    run $PASSIM_INDEX --db special.db special
    expect_match ": 0 added, 0 updated, 1 removed, 1 unchanged, $n skipped, 0 failed" "$OUT" \
        "an article a pipe replaced: counted once, as removed"
    expect_match '^passim-index: special/b\.txt: removed from the index \(no longer a regular file\)$' \
        "$ERR" "an article a pipe replaced: noted as removed"
    expect_no_match 'special/b\.txt: skipped' "$ERR" "an article a pipe replaced: not noted twice"
    # Met through a link from another PATH, that article stays, and the pipe
    # counts as skipped there.
    mkdir -p special2
    printf 'Linked\n\nA pipe will take its place.\n' > special/c.txt
    $PASSIM_INDEX -q --db special.db special special2 >/dev/null
    ln -s ../special/c.txt special2/link.txt
    rm special/c.txt
    mkfifo special/c.txt
    run $PASSIM_INDEX --db special.db special2
    expect_match "nothing changed \(0 unchanged, 1 skipped, 0 failed\)" "$OUT" \
        "a pipe met through a link, its article out of the PATH's reach: skipped"
    expect_match '^passim-index: special2/link\.txt: skipped: not a regular file$' "$ERR" \
        "a pipe met through a link: noted"
fi

# --- a folder renamed and indexed by its new name: its old articles go (the
# files are gone, and their text came back under the new name); a gone file
# whose text did not come back, outside the PATH, stays
mkdir -p mv_old other
printf 'Moved\n\nThe wandering albatross.\n' > mv_old/a.txt
printf 'Kept\n\nThe stay-at-home petrel.\n' > mv_old/b.txt
: > mv_old/empty.txt
mkdir -p mv_old/sub
: > mv_old/sub/empty.txt
printf 'Other\n\nA lone gannet.\n' > other/c.txt
: > other/gone-empty.txt
$PASSIM_INDEX -q --db mv.db mv_old other >/dev/null
rm other/c.txt other/gone-empty.txt
mv mv_old mv_new
run $PASSIM_INDEX --db mv.db mv_new
expect_rc 0 "a renamed folder indexed by its new name"
expect_match ': 4 added, 0 updated, 4 removed' "$OUT" "its old articles are removed"
expect_match '^passim-index: mv_old/a\.txt: removed from the index \(gone, and its text is indexed as mv_new/a\.txt\)$' \
    "$ERR" "a moved file is named with where its text went"
expect_match '^passim-index: mv_old/empty\.txt: removed from the index \(gone, and its text is indexed as mv_new/empty\.txt\)$' \
    "$ERR" "an empty file moved: known by its name too, as many files are empty"
expect_match '^passim-index: mv_old/sub/empty\.txt: removed from the index \(gone, and its text is indexed as mv_new/sub/empty\.txt\)$' \
    "$ERR" "...and by as much of its path as is the same"
expect_no_match 'docid' "$ERR" "a moved file shares no article id with itself"
run $PASSIM_SEARCH --db mv.db -f json -n 100 --per-doc 0 albatross
expect_match '"total": 1, .*"path": "mv_new/a.txt"' "$OUT" "the moved article found, once"
expect_no_match 'mv_old' "$OUT" "the moved article found once, under its new name"
run "$DBCHECK" mv.db --files
expect_match 'other/c\.txt' "$OUT" "a gone file outside the PATH, its text not added again, stays"
expect_match 'other/gone-empty\.txt' "$OUT" "a gone empty file outside the PATH, none of its name added, stays"
# ...also when the new name's file was indexed already (a run interrupted
# after the move, a copy indexed before the original went): met unchanged
mkdir -p cp_old
printf 'Copied\n\nThe sooty shearwater.\n' > cp_old/a.txt
cp -R cp_old cp_new
$PASSIM_INDEX -q --db cp.db cp_old cp_new >/dev/null
rm -r cp_old
run $PASSIM_INDEX --db cp.db cp_new
expect_match ': 0 added, 0 updated, 1 removed, 1 unchanged' "$OUT" "the gone copy is removed"
expect_match '^passim-index: cp_old/a\.txt: removed from the index \(gone, and its text is indexed as cp_new/a\.txt\)$' \
    "$ERR" "the gone copy named with where its text is"
# ...but not when the copy met has changed since: its text is not indexed
mkdir -p cp2_old cp2_new
printf 'Copied\n\nThe grey petrel.\n' > cp2_old/a.txt
cp cp2_old/a.txt cp2_new/a.txt
$PASSIM_INDEX -q --db cp2.db cp2_old cp2_new >/dev/null
mv cp2_old cp2_off
printf 'Changed\n\nSomething else entirely.\n' > cp2_new/a.txt
run $PASSIM_INDEX --db cp2.db cp2_new
expect_match ': 0 added, 1 updated, 0 removed' "$OUT" "a gone file whose copy changed stays"

# A folder whose path is longer than the system takes (PATH_MAX): named, with
# the cause; what lies above it is indexed.
mkdir "$T/deep"
python3 - "$T/deep" <<'EOF'
import os, sys
os.chdir(sys.argv[1])
for i in range(90):
    d = 'd%02d_' % i + 'x' * 46
    os.mkdir(d)
    os.chdir(d)
    if i == 10:
        open('shallow.txt', 'w').write('Shallow\n\nA shallowword here.\n')
open('deep.txt', 'w').write('Deep\n\nA deepword here.\n')
EOF
run $PASSIM_INDEX --db "$T/deep.db" "$T/deep"
expect_rc 1 "a folder past PATH_MAX: exit status 1"
expect_match 'its path is too long' "$ERR" "a folder past PATH_MAX: said so"
expect_no_match 'passimignore' "$ERR" "a folder past PATH_MAX: no .passimignore blamed"
run $PASSIM_SEARCH --db "$T/deep.db" shallowword
expect_rc 0 "a folder past PATH_MAX: what lies above it is indexed"
rm -rf "$T/deep" "$T/deep.db"
finish
