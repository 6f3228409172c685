#!/bin/bash
# build.sh — the programs are linked the way configure said: without PIE and
# with libstemmer linked in (the default, for a quick start), or, after
# --enable-pie or a failed link check, position independent against the
# shared libstemmer. Either way they stem.
. "$(dirname "$0")/lib.sh"

command -v readelf >/dev/null || { echo "SKIP: readelf not found"; exit 77; }
case " ${PASSIM_PROG_LDFLAGS-unset} " in
    " unset ") echo "SKIP: run through make check (it passes the link flags)"; exit 77 ;;
    *" -no-pie "*) quick=1 ;;
    *) quick=0 ;;
esac

for prog in passim-index passim-search; do
    bin=$top_builddir/$prog
    run readelf -h -d "$bin"
    if [ "$quick" = 1 ]; then
        expect_match 'Type: +EXEC' "$OUT" "$prog is not position independent"
        expect_no_match 'NEEDED.*libstemmer' "$OUT" "$prog does not load the shared libstemmer"
    else
        expect_match 'Type: +DYN' "$OUT" "$prog is position independent"
        expect_match 'NEEDED.*libstemmer' "$OUT" "$prog loads the shared libstemmer"
    fi
done

# The linked-in stemmer is a working one: "talks" finds "talk" in the corpus.
cd "$T" || exit 1
run $PASSIM_INDEX -q --db b.db "$CORPUS"
expect_rc 0 "the corpus is indexed"
run $PASSIM_SEARCH --db b.db -n 1 --explain talks
expect_rc 0 "a stemmed word is found"
expect_match 'stem talk ' "$OUT" "'talks' is stemmed to 'talk'"

finish
