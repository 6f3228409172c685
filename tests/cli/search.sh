#!/bin/sh
# passim-search on the bundled corpus: the examples of the README and the man
# page, every output format, exit statuses and errors.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/cli/lib.sh"

DB=$T/corpus.db
$PASSIM_INDEX -q --db "$DB" "$CORPUS" >/dev/null || fail "indexing the corpus"
S="$PASSIM_SEARCH --db $DB --color=never"
cd "$T"

json_ok() { printf '%s' "$1" | python3 -c 'import json,sys; json.load(sys.stdin)'; }

# --- help, version, usage
run $PASSIM_SEARCH --help
expect_rc 0 "--help"
expect_match '^Usage: passim-search' "$OUT" "--help"
run $PASSIM_SEARCH --version
expect_rc 0 "--version"
# Output that cannot be written (a full disk) is an error, whatever was asked.
for args in "--help" "--version" "--db $DB Lavrov" "--db $DB -f json Lavrov"; do
    run_full_disk $PASSIM_SEARCH $args || break
    expect_rc 2 "$args to a full disk"
    expect_match '^passim-search: cannot write' "$ERR" "$args to a full disk: says so"
done
$PASSIM_SEARCH --db "$DB" Lavrov >&- 2>"$T/err"
RC=$?
expect_rc 2 "stdout closed"
expect_match '^passim-search: cannot write' "$(cat "$T/err")" "stdout closed: says so"
run $PASSIM_SEARCH --db "$DB"
expect_rc 2 "no query"
run $S --limit x talk
expect_rc 2 "bad --limit"
expect_match '^passim-search: --limit: not a number' "$ERR" "bad --limit named"
# --- a word, phrase or wildcard typed many times is searched once, weighted
# as many times (as Xapian weighs the copies): 3000 copies score 3000 times one
run $S --explain --feedback 0 'talks talks Kabul'
expect_match '^xapian: Query\(\(2 \* talk@1 AND kabul@2\)\)$' "$OUT" "a word typed twice: searched once, weighed twice"
run $S --explain --feedback 0 '"peace talks" Kabul "peace talks"'
expect_match '^xapian: Query\(\(2 \* \(peac@1 PHRASE 2 talk@2\) AND kabul@3\)\)$' "$OUT" \
    "a phrase typed twice: searched once, weighed twice"
run $S --explain --feedback 0 'talk* talks title:talks talk*'
expect_match '^xapian: Query\(\(2 \* talk AND talk@1 AND Stalk@2\)\)$' "$OUT" \
    "a wildcard typed twice: searched once; the same stem in a title is another item"
# ...but not two wildcards cut back to the same prefix, which search different
# stems: with no word lists, agrez* is agre* without the stems agre* starts
mkdir -p agree
printf 'One\n\nWe agree on this.\n' >agree/a.txt
printf 'Two\n\nThe agr code is here.\n' >agree/b.txt
$PASSIM_INDEX -q --no-spelling --db agree.db agree >/dev/null
run $PASSIM_SEARCH --db agree.db --all --feedback 0 --explain 'agre* agrez*'
expect_match '^xapian: Query\(\(\(agre SYNONYM agr\) AND agre\)\)$' "$OUT" \
    "two wildcards of one stem that search different ones are not folded"
run $PASSIM_SEARCH --db agree.db --any --feedback 0 -f json 'agrez* agre*'
expect_match '"path": "agree/b.txt"' "$OUT" "...and each finds its own"
for item in talks '"peace talks"' 'talk*' 'title:Kabul'; do
    run $S -f json --feedback 0 -n 5 "$item"
    one=$OUT
    run $S -f json --feedback 0 -n 5 "$(python3 -c 'import sys; print(" ".join([sys.argv[1]] * 3000))' "$item")"
    expect_rc 0 "$item typed 3000 times"
    python3 - "$one" "$OUT" <<'PY' && pass || fail "$item typed 3000 times: the same passages, 3000 times the score"
import json, sys
one, many = (json.loads(a) for a in sys.argv[1:3])
key = lambda h: (h["path"], h["passage"])
assert one["results"], "no result"
assert [key(h) for h in one["results"]] == [key(h) for h in many["results"]], "order"
for a, b in zip(one["results"], many["results"]):
    assert abs(b["score"] - 3000 * a["score"]) <= 1e-6 * b["score"] + 0.01, (a["score"], b["score"])
PY
done

# A count is digits only: no sign, no blank, no base, nothing past the range
for v in ' 3' '+3' '3 ' '-1' '0x10' '1e3' '18446744073709551616' '-18446744073709551615'; do
    run $S --limit "$v" talk
    expect_rc 2 "--limit '$v'"
    expect_match '^passim-search: --limit: not a number from 1 to [0-9]+: ' "$ERR" "--limit '$v': why"
    first=$(printf '%s\n' "$ERR" | head -n 1)
    expect_eq "${first##*: }" "$v" "--limit '$v': the value named as given"
done
# every refused option or value ends as getopt's own refusals do
for args in '--limit x' '--format xml' '--color sometimes' '--level page' '--jobs 2' \
            '--db=' '--vimgrep --format json' '--bogus'; do
    run $S $args talks
    expect_rc 2 "usage error: $args"
    expect_eq "$(printf '%s\n' "$ERR" | tail -n 1)" "Try 'passim-search --help' for more information." \
        "usage error: $args: where to look"
    expect_eq "$(printf '%s\n' "$ERR" | grep -c 'Try ')" 1 "usage error: $args: said once"
done
run $PASSIM_SEARCH --db "$T/none.db" talk
expect_rc 2 "missing index"
expect_match 'none.db: no index here \(create one' "$ERR" "missing index named"
mkdir "$T/notes"
run $PASSIM_SEARCH --db "$T/notes" talk
expect_rc 2 "a folder that is no index"
expect_match 'notes: no index here: a folder with none in it \(an index is the folder named by passim-index --db\)$' \
    "$ERR" "a folder that is no index: said so"
printf 'notes\n' >"$T/file.db"
run $PASSIM_SEARCH --db "$T/file.db" talk
expect_rc 2 "a file for an index"
expect_match 'file\.db: not a folder: an index is the folder that passim-index made$' "$ERR" \
    "a file for an index: said so"
rm -f "$T/file.db"

# --- options and query words in any order; -word is an excluded word
# json_query_hits: the query and the number of results of the JSON in $OUT.
json_query_hits() {
    printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["query"], len(d["results"]))'
}
# same_as_quoted WORD...: the words as separate arguments find what they find
# quoted as one argument.
same_as_quoted() {
    run $S -f json "$*"
    quoted=$OUT
    run $S -f json "$@"
    expect_rc 0 "$* unquoted"
    expect_eq "$OUT" "$quoted" "$* unquoted is the quoted query"
}
same_as_quoted Lavrov -Taliban
same_as_quoted Moscow -Vladimir   # not --version
same_as_quoted Moscow -hamas      # not --help
same_as_quoted Lavrov -nato       # not --limit ato
same_as_quoted Kabul -format      # not --format ormat
same_as_quoted Kabul -debate      # not --db ebate
run $S -f json --per-doc 0 -n 3 talks
expect_eq "$(json_query_hits)" "talks 3" "-n 3 before the query"
run $S -f json --per-doc 0 talks -n 3
expect_eq "$(json_query_hits)" "talks 3" "-n 3 after the query"
run $S -f json Moscow -Vladimir -n 3
expect_eq "$(json_query_hits)" "Moscow -Vladimir 3" "-n 3 after an excluded word"
run $S talks -n3 --per-doc 0 -fjson
expect_eq "$(json_query_hits)" "talks 3" "values attached to short options"
run $S Moscow -fjosn
expect_rc 0 "a mistyped format"
expect_match "^passim-search: '-fjosn' is searched as the excluded word 'fjosn'; -f takes text, json or trec$" \
    "$ERR" "a mistyped format: a note says what is searched"
expect_match '^1\. ' "$OUT" "a mistyped format: the query is searched, in text"
run $S Kabul -n1O
expect_match "'-n1O' is searched as the excluded word 'n1O'; -n takes a number" "$ERR" \
    "a mistyped number: a note"
run $S Kabul -C6O0 -j2x
expect_match "'-C6O0' is searched as the excluded word 'C6O0'; -C takes a number" "$ERR" \
    "a number with a letter like a digit: a note"
expect_match "'-j2x' is searched as the excluded word 'j2x'; -j takes a number" "$ERR" \
    "a number with one stray character: a note"
run $S Kabul -dnosuch.db
expect_match "'-dnosuch.db' is searched as the excluded word 'dnosuch.db'; -d takes a folder, and no folder has that name here" \
    "$ERR" "a mistyped index folder: a note"
run $S Kabul -n1O --limit x
expect_rc 2 "a mistyped number beside a bad option"
expect_no_match "searched as" "$ERR" \
    "a mistyped number beside a bad option: no note, since nothing is searched"
run $S -n1O '"peace'
expect_rc 2 "a mistyped number beside a bad query"
expect_no_match "searched as" "$ERR" "a mistyped number beside a bad query: no note"
run $S Kabul -n1é
expect_match "'-n1é' is searched as the excluded word 'n1é'; -n takes a number" "$ERR" \
    "a number with one stray character, of two bytes: a note"
run $S Moscow -fox -nuclear -japan -fret -Chinese -C3PO -j2ee -n95th -dr.who
expect_eq "$ERR" "" "excluded words that are no mistyped option: no note"
run $S -f json Lavrov -- -n 3
expect_eq "$(json_query_hits | cut -d' ' -f1-3)" "Lavrov -n 3" "after --, every argument is a query word"
run $S talks -n
expect_rc 2 "-n without its value"
expect_match "^passim-search: option requires an argument -- 'n'" "$ERR" "missing value named"
run $S talks --bogus
expect_rc 2 "unknown option"
expect_match "^passim-search: unrecognized option '--bogus'" "$ERR" "unknown option named, by the program's name"
expect_match "^Try 'passim-search --help'" "$ERR" "unknown option: a hint to --help"

# --- Kalashnikov rifles: the passage of 000 first, both words highlighted
run $S --highlight plain 'Kalashnikov rifles'
expect_rc 0 "Kalashnikov rifles"
first=$(printf '%s\n' "$OUT" | sed -n 2p)
expect_match '000_15c4c714383f619c.txt:' "$first" "first hit is the passage of 000"
expect_match '\[Kalashnikov\] \[rifles\]' "$OUT" "both words highlighted"
expect_match 'thousands of' "$OUT" "the passage about thousands of rifles"

# --- "peace talks": every hit holds the phrase, highlighted as one unit
run $S --highlight plain -n 100 --per-doc 0 '"peace talks"'
expect_rc 0 "phrase"
hits=$(printf '%s\n' "$OUT" | grep -c '^[0-9]*\. ')
[ "$hits" -ge 5 ] && pass || fail "phrase hits ($hits)"
snips=$(printf '%s\n' "$OUT" | grep -c '^   [^/]' )
with_phrase=$(printf '%s\n' "$OUT" | grep '^   [^/]' | grep -c -i '\[peace talks\]')
expect_eq "$with_phrase" "$snips" "every snippet holds [peace talks] as one unit"
run $S -f json -n 100 --per-doc 0 '"peace talks"'
printf '%s' "$OUT" | python3 -c '
import json, re, sys
d = json.load(sys.stdin)
bad = [r["rank"] for r in d["results"] if not re.search(r"peace\s+talks?\b", r["text"], re.I)]
sys.exit(1 if bad or not d["results"] else 0)' && pass || fail "every phrase hit's text contains the phrase"

# --- talk: snippets highlight "talks"
run $S --highlight plain talk
expect_rc 0 "talk"
expect_match '\[talks\]|\[Talks\]' "$OUT" "talk highlights talks"

# --- Lavrov -Taliban: no hit contains Taliban
run $S -f json -n 100 --per-doc 0 'Lavrov -Taliban'
expect_rc 0 "Lavrov -Taliban"
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
ok = d["results"] and all("lavrov" in r["text"].lower() and "taliban" not in r["text"].lower() for r in d["results"])
sys.exit(0 if ok else 1)' && pass || fail "Lavrov hits, none with Taliban"
run $S --highlight plain 'Lavrov NOT Taliban'
expect_no_match 'Taliban' "$(printf '%s\n' "$OUT" | grep '^   [^/]')" "NOT Taliban: never shown"

# --- a side of an OR that does not match a passage marks nothing in it
mkdir "$T/sides"
printf 'Standup\n\nAlice will migrate the billing service to Postgres. Carol drafts the roadmap.\n' \
    >"$T/sides/a.md"
printf 'Plan\n\nAlice and Carol plan the week.\n' >"$T/sides/c.md"
$PASSIM_INDEX -q --db "$T/sides.db" "$T/sides" >/dev/null || fail "indexing two notes"
run $PASSIM_SEARCH --db "$T/sides.db" --color=never --highlight plain --explain \
    'Carol OR Alice -Postgres'
expect_match '^   Plan \[Alice\] and \[Carol\] plan the week\.$' "$OUT" \
    "OR: both sides marked where both match"
expect_match '^   Standup Alice will migrate the billing service to Postgres\. \[Carol\]' "$OUT" \
    "OR: the side excluded there is not marked"
expect_match '^   matched: carol [0-9.]*$' "$OUT" "OR: nor listed as matched by --explain"
run $PASSIM_SEARCH --db "$T/sides.db" --color=never --highlight plain '(Alice AND week) OR roadmap'
expect_match 'Standup Alice will .* Carol drafts the \[roadmap\]\.$' "$OUT" \
    "an AND whose other item is missing marks nothing"
expect_match 'Plan \[Alice\] and Carol plan the \[week\]\.$' "$OUT" "and all of it where it matches"
# A phrase or a NEAR below an OR: its words, in the passage but not together,
# are neither marked nor listed as matched.
printf 'Apart\n\nThe red car passed; wine was served. Alice came.\n' >"$T/sides/apart.md"
printf 'Together\n\nRed wine for Alice.\n' >"$T/sides/together.md"
$PASSIM_INDEX -q --db "$T/sides.db" "$T/sides" >/dev/null || fail "indexing four notes"
for q in 'Alice OR "red wine"' 'Alice OR red NEAR/0 wine'; do
    run $PASSIM_SEARCH --db "$T/sides.db" --color=never --highlight plain -C 0 --per-doc 0 \
        --explain "$q"
    expect_match '^   Apart The red car passed; wine was served\. \[Alice\] came\.$' "$OUT" \
        "$q: apart, the words are not marked"
    expect_match '^   Together \[Red\] \[wine\] for \[Alice\]\.$|^   Together \[Red wine\] for \[Alice\]\.$' "$OUT" \
        "$q: together, they are"
    expect_match '^   matched: alic [0-9.]*$' "$(printf '%s\n' "$OUT" | grep -A1 '^   Apart ')" \
        "$q: apart, they are not listed as matched by --explain"
    expect_match '^   matched: .*red.*wine|^   matched: .*wine.*red' "$OUT" \
        "$q: together, they are listed"
done
rm -rf "$T/sides" "$T/sides.db"

# --- xyzzy: exit 1, nothing on stdout
run $S xyzzy
expect_rc 1 "xyzzy"
expect_eq "$OUT" "" "nothing on stdout for no hit"
expect_match "no passage contains 'xyzzy'" "$ERR" "the missing word is reported"
run $S talibn
expect_rc 1 "misspelling"
expect_match "did you mean 'taliban'" "$ERR" "spelling suggestion"
run $S 'talibn Talibn TALIBN'
expect_eq "$ERR" "passim-search: no passage contains 'talibn'; did you mean 'taliban'?" \
    "a word missing three times is named once"
run $S 'xa xb xc xd xe xf xg xh xi xj xk xl'
expect_eq "$(printf '%s\n' "$ERR" | grep -c "^passim-search: no passage contains 'x.'")" 10 \
    "at most ten missing words are named"
expect_match "^passim-search: and 2 more words that no passage contains$" "$ERR" \
    "and the rest counted"
run $S 'title:(ya yb yc yd ye yf yg yh yi yj yk yl)'
expect_match "^passim-search: and 2 more words that no article title contains$" "$ERR" \
    "and the rest counted, where they were looked for"
# A word that is nowhere is named when the others find something too.
for q in '--any Kalashnikov rifels' 'Kalashnikov OR rifels'; do
    run $S $q
    expect_rc 0 "'$q': hits"
    expect_eq "$ERR" "passim-search: no passage contains 'rifels'; did you mean 'rifles'?" \
        "'$q': the word that finds nothing is named"
done
run $S --any peace talks
expect_eq "$ERR" "" "--any: no note when every word is somewhere"
# No operator is offered: typed in capitals, it would be no word.
run $S ANDD
expect_eq "$ERR" "passim-search: no passage contains 'ANDD'" "no operator offered for a word"
run $S TASSs
expect_match "did you mean 'TASS'\\?" "$ERR" "a word typed mostly in capitals: offered in capitals"
# A suggestion must find something where the word was looked for.
run $S 'title:Kabl'
expect_match "no article title contains 'Kabl'; did you mean 'Kabul'\\?" "$ERR" "title: suggestion"
run $S 'title:peace'
expect_match "^passim-search: no article title contains 'peace'$" "$ERR" \
    "title: no suggestion of a word that is in no title"
# The word lists keep the words of a deleted file: the nearest word that some
# passage still has is suggested, not the deleted one.
mkdir -p giraffes
printf 'Alpha\n\nalpha giraffe\n' >giraffes/a.txt
printf 'Beta\n\nbeta giraffx\n' >giraffes/b.txt
$PASSIM_INDEX -q --db giraffes.db giraffes >/dev/null
rm giraffes/b.txt
$PASSIM_INDEX -q --db giraffes.db giraffes >/dev/null
run $PASSIM_SEARCH --db giraffes.db giraffxx
expect_eq "$ERR" "passim-search: no passage contains 'giraffxx'; did you mean 'giraffe'?" \
    "a word of a deleted file is not suggested"
run $S 'naïve'
expect_match "^passim-search: no passage contains 'naïve'$" "$ERR" \
    "no stopword suggested two edits away"
run $S 'teh zeppelin'
expect_match "no passage contains 'teh'; did you mean 'the'\?" "$ERR" "but one edit away"
run $S plain
expect_match "no passage contains 'plain'; did you mean 'playing'\?" "$ERR" \
    "two edits only with a word of six letters: 'putin' is more frequent but too short"
run $S 'U.N.'
expect_rc 1 "an acronym no passage has"
expect_no_match "did you mean" "$ERR" "a word of two letters: no guess at a word an edit away ('gun')"
run $S becuase
expect_match "did you mean 'because'\?" "$ERR" "a stopword's typo"
run $S Didnt
expect_match "did you mean 'Didn't'\?" "$ERR" "an apostrophe left out"
# Two edits from a word with an apostrophe, which the lists' lengths count.
mkdir -p oneill
printf "Paper\n\nEugene O'Neill wrote plays.\n" >oneill/a.txt
$PASSIM_INDEX -q --db oneill.db oneill >/dev/null
for q in "O'Nel" "ONel" "O'Nei"; do
    run $PASSIM_SEARCH --db oneill.db "$q"
    expect_match "did you mean 'O'Neill'\?" "$ERR" "'$q': two edits from O'Neill"
done
# A name met only as a possessive is offered without its 's.
mkdir -p obrien
printf "Notes\n\nThe doc said go. O'Brien's friend came.\n" >obrien/a.txt
$PASSIM_INDEX -q --db obrien.db obrien >/dev/null
for q in Brien Obriens "O'Brein's"; do
    run $PASSIM_SEARCH --db obrien.db "$q"
    expect_match "did you mean 'O'Brien'\?" "$ERR" "'$q': O'Brien, met as O'Brien's"
done

# --- bad queries: exit 2 with what and where
run $S '"unbalanced'
expect_rc 2 "unbalanced quote"
expect_eq "$ERR" "passim-search: query '\"unbalanced': unbalanced quote at column 1" \
    "the bad query named, the problem located"
run $S "$(printf 'word %.0s' $(seq 30))("
expect_match "^passim-search: query '(word ){16}…': unclosed parenthesis at column 151$" \
    "$ERR" "a long bad query is named by its start"
run $S "($(printf 'word %.0s' $(seq 15))ae$(printf '\314\201\314\201\314\201') x"
expect_match "^passim-search: query '\\((word ){15}a…': unclosed" "$ERR" \
    "a long bad query is cut before a letter, not between it and its accents"
expect_eq "$OUT" "" "nothing on stdout for a bad query"
run $S '(kabul OR moscow'
expect_rc 2 "unbalanced parenthesis"
expect_match 'column' "$ERR" "parenthesis located"
run $S 'kabul AND'
expect_rc 2 "dangling AND"
run $S '   '
expect_rc 2 "empty query"

# --- all / any
run $S --all 'Kalashnikov zeppelin'
expect_rc 1 "--all with a missing word finds nothing"
run $S 'Kalashnikov zeppelin'
expect_rc 0 "default falls back to any word"
expect_match 'no passage has all the words; showing passages with some of them' "$ERR" \
    "the fallback is said"
run $S -f json 'Kalashnikov zeppelin'
expect_match '"total": [0-9]+, "some_words": true, ' "$OUT" "and marked in JSON"
run $S -f json 'Kalashnikov'
expect_no_match 'some_words' "$OUT" "only then"
# Words joined by punctuation are a phrase: when it is nowhere, the note says
# why passages with both words did not count as having all of them.
for q in 'Taliban/Moscow' 'Kabul-format'; do
    run $S "$q"
    expect_rc 0 "$q falls back to any word"
    expect_match 'no passage has all the words and phrases \(words joined by a hyphen or other punctuation, and Chinese or Japanese words, are phrases\)' \
        "$ERR" "$q: the note names the phrase"
done
# There, a joined word counts as its parts and as the phrase, which a passage
# that has it adds to: not a page footer that holds one part ("us").
run $S -f json --feedback 0 'U.S.-backed Kalashnikov'
expect_match '"snippet": "[^"]*<mark>U\.S\.-backed</mark>' \
    "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["results"][0]))')" \
    "the fallback ranks the joined word's phrase first"
run $S --explain 'U.S.-backed Kalashnikov'
expect_eq "$(printf '%s\n' "$OUT" | grep -c '^  backed ')" 1 "--explain lists each word once"
run $S 'Lavrov "summit talks"'
expect_match 'no passage has all the words and phrases; showing passages with some of the words' \
    "$ERR" "a quoted phrase: the note speaks of phrases"
expect_no_match 'hyphen' "$ERR" "a quoted phrase: but not of punctuation"
run $S --any 'Kalashnikov zeppelin'
expect_rc 0 "--any"

# --- stemming, apostrophes, acronyms, hyphens
run $S --highlight plain -n 50 --per-doc 0 "Russia's"
expect_match '\[Russia’s\]' "$OUT" "Russia's highlights Russia’s"
run $S --highlight plain 'transfer*'
run $S --highlight plain 'U.S.-backed'
expect_match '\[U\.S\.-backed\]' "$OUT" "hyphenated acronym as a phrase"
run $S --highlight plain 'stabilis*'
expect_match '\[stabilising\]' "$OUT" "wildcard highlighted"
# A hyphenated word of two parts is found typed solid, and highlighted whole.
run $S --highlight plain cofounder
expect_rc 0 "a word typed solid"
expect_match 'Taliban \[co-founder\] Mullah' "$OUT" "finds it written with a hyphen"
run $S --highlight plain -n 1 'Moscow daylong'
expect_match 'a \[day-long\] summit' "$OUT" "among other words"
run $S --highlight plain alqaida
expect_match '\[al-Qaida\]' "$OUT" "whatever the case of its parts"
# In a phrase, the index reads it from part to part, as it is written.
run $S '"Taliban cofounder"'
expect_rc 1 "a phrase with the word typed solid"
run $S --highlight plain '"Taliban co-founder"'
expect_match '\[Taliban co-founder\]' "$OUT" "the phrase as written"
# A phrase that opens with the word joined (which has no position where it
# is written with a hyphen) matches no passage merely for opening with the
# phrase's next word: passage 9 of 002 says "Taliban co-founder" and opens
# with "The joint calls".
run $S '"co-founder the"'
expect_rc 1 "a phrase opening with a hyphenated word, then a passage's first word"
run $S '"cofounder the"'
expect_rc 1 "the same typed solid"
mkdir "$T/airbag"
printf 'FORD <F> AIR-BAG PROGRAM\n\nThe program fits air bags to cars.\n' > "$T/airbag/ford.txt"
run $PASSIM_INDEX -q --db "$T/airbag.db" "$T/airbag"
run $PASSIM_SEARCH --db "$T/airbag.db" 'title:"air-bag Ford"'
expect_rc 1 "nor a title phrase, for a title's first word"
run $PASSIM_SEARCH --db "$T/airbag.db" 'title:"air-bag program"'
expect_rc 0 "while the title's phrase is found"
# A title's words are those it is shown with, its markup gone: an escaped
# bullet keeps its box, an escaped bracket its link target, and both are words.
mkdir "$T/shown"
printf '\\- [x] tick\n\nBody.\n' > "$T/shown/box.md"
printf '\\[see](target) here\n\nBody.\n' > "$T/shown/link.md"
run $PASSIM_INDEX -q --db "$T/shown.db" "$T/shown"
run $PASSIM_SEARCH --db "$T/shown.db" -f json 'title:x'
expect_match '"title": "- \[x\] tick"' "$OUT" "a title shown with a box finds its x"
run $PASSIM_SEARCH --db "$T/shown.db" -f json 'title:target'
expect_match '"title": "\[see\]\(target\) here"' "$OUT" "an escaped bracket opens no link in a title"
# ...and a title phrase is read as the title is, so that one copied from a
# title as shown finds it.
run $PASSIM_SEARCH --db "$T/shown.db" -f json 'title:"[see](target) here"'
expect_match '"title": "\[see\]\(target\) here"' "$OUT" "a title phrase copied from the title as shown"
run $PASSIM_SEARCH --db "$T/shown.db" --explain 'title:"- [x] tick"'
expect_match 'title:x' "$OUT" "a title phrase's box is a word, as in the title"
# In a passage too, what the snippet shows is searched: an escaped bracket's
# "(target)", a link in a fenced code block, a regular expression's class.
mkdir "$T/shown2"
printf 'Notes\n\nSee \\[draft](sketch) and a[^bq]*c.\n\n```\nopen [docs](https://x.org/manual)\n```\n' \
    > "$T/shown2/a.md"
run $PASSIM_INDEX -q --db "$T/shown2.db" "$T/shown2"
for word in sketch bq manual; do
    run $PASSIM_SEARCH --db "$T/shown2.db" --highlight plain "$word"
    expect_match "\\[$word\\]" "$OUT" "a word the snippet shows is found: $word"
done
# So is a link's target, a footnote reference or a heading's attributes in a
# code span, a line indented as code or an HTML comment; a link's target
# that the snippet hides is not.
mkdir "$T/shown3"
printf 'Notes\n\nSee `[a](spantgt)` and [b](hidtgt).\n\n    run [c](indtgt)\n' > "$T/shown3/a.md"
printf 'Notes\n\n<!--\n[d](comtgt) x[^comnote]\n# Old {#comattr}\n-->\n' > "$T/shown3/b.md"
run $PASSIM_INDEX -q --db "$T/shown3.db" "$T/shown3"
for word in spantgt indtgt comtgt comnote comattr; do
    run $PASSIM_SEARCH --db "$T/shown3.db" --highlight plain "$word"
    expect_match "\\[$word\\]" "$OUT" "a word the snippet shows as written is found: $word"
done
run $PASSIM_SEARCH --db "$T/shown3.db" hidtgt
expect_rc 1 "a link's target that the snippet hides is not"
# A character reference is shown as written in code and after a backslash,
# so its name is a word there; elsewhere it is shown as its character.
mkdir "$T/shown4"
printf 'Notes\n\nIn code `caf&eacute;` and \\&amp;x; out of it cr&egrave;me.\n' > "$T/shown4/a.md"
run $PASSIM_INDEX -q --db "$T/shown4.db" "$T/shown4"
for word in eacute amp; do
    run $PASSIM_SEARCH --db "$T/shown4.db" --highlight plain "$word"
    expect_match "&\\[$word\\];" "$OUT" "a reference's name shown as written is found: $word"
done
run $PASSIM_SEARCH --db "$T/shown4.db" --highlight plain crème
expect_match '\[crème\]' "$OUT" "a reference shown as its character is that character"
run $PASSIM_SEARCH --db "$T/shown4.db" café
expect_rc 1 "a reference shown as written is not its character"
run $PASSIM_SEARCH --db "$T/shown4.db" --highlight plain '`caf&eacute;`'
expect_match 'In code \[caf&eacute\];' "$OUT" "a code span typed in a query is read as code"
# So in a title: a reference left in it as shown is read as written.
printf '# The `caf&eacute;` heading\n\nBody.\n' > "$T/shown4/b.md"
printf -- '---\ntitle: "Cr&egrave;me here"\n---\n\nBody.\n' > "$T/shown4/c.md"
printf '# Plain na&iuml;ve heading\n\nBody.\n' > "$T/shown4/d.md"
run $PASSIM_INDEX -q --db "$T/shown4.db" "$T/shown4"
for word in eacute egrave naïve; do
    run $PASSIM_SEARCH --db "$T/shown4.db" -n 1 "title:$word"
    expect_rc 0 "a title's word as shown is found: $word"
done
run $PASSIM_SEARCH --db "$T/shown4.db" title:café
expect_rc 1 "a title's reference shown as written is not its character"
# A word that emphasis or a code span ends inside is one word, as shown.
mkdir "$T/shown5"
printf 'Notes\n\nThe **GPU**s ran the `int`s; 2*3*4 and snake_case stay apart.\n' \
    > "$T/shown5/a.md"
printf 'Links\n\nThe [TPU](https://example.org/tpu)s won.\n' > "$T/shown5/b.md"
run $PASSIM_INDEX -q --db "$T/shown5.db" "$T/shown5"
run $PASSIM_SEARCH --db "$T/shown5.db" --highlight plain '"GPUs ran the ints"'
expect_match 'The \[GPUs ran the ints\];' "$OUT" "a phrase copied from the snippet is found"
run $PASSIM_SEARCH --db "$T/shown5.db" --highlight plain '"TPUs won"'
expect_match 'The \[TPUs won\]\.' "$OUT" "a word goes on past a link's target, as shown"
# Code pasted with its backticks is code, not query syntax.
printf 'Tools\n\nRun `grep -r` on it, then `tidy_up()`.\n' > "$T/shown5/c.md"
run $PASSIM_INDEX -q --db "$T/shown5.db" "$T/shown5"
run $PASSIM_SEARCH --db "$T/shown5.db" --highlight plain '`grep -r`'
expect_rc 0 "a code span's '-' is no sign"
expect_match 'Run \[grep -r\] on it' "$OUT" "a code span is the phrase of its words"
run $PASSIM_SEARCH --db "$T/shown5.db" --highlight plain 'tidy_up():'
expect_rc 0 "a call's () is no empty group"
expect_match '\[tidy_up\]()' "$OUT" "a call's name is found"
run $PASSIM_SEARCH --db "$T/shown5.db" --highlight plain '"snake case"'
expect_match '\[snake_case\]' "$OUT" "markup the snippet shows still parts words"
# And the other way round: typed with a hyphen, it finds the word written
# solid (articles 001 and 004 have "email"), alone and in a phrase.
run $S --highlight plain -n 5 e-mail
expect_match 'Your \[email\] address' "$OUT" "a hyphenated word finds it written solid"
expect_match 'us to \[email\] you' "$OUT" "in every article"
run $S --highlight plain '"your e-mail address"'
expect_match '\[Your email address\]' "$OUT" "in a phrase too"
run $S e-mail NEAR address
expect_rc 1 "a NEAR counts the parts, as written"
# The parts of one way of writing it are not named missing when the other
# way is there.
run $S --all 'e-mail zeppelin'
expect_eq "$ERR" "passim-search: no passage contains 'zeppelin'" "only the missing word is named"
run $S --explain e-mail
expect_no_match 'matches nothing' "$OUT" "--explain warns of no part"
# British and American spellings find each other (articles 003 and 004).
run $S --highlight plain -n 10 'recognise Taliban'
expect_match '\[recognize\]' "$OUT" "a British word finds the American spelling"
expect_match '\[recognising\]' "$OUT" "and its own"
run $S --highlight plain -n 10 neighboring
expect_match '\[neighbouring\]' "$OUT" "an American word finds the British spelling"
# A prefix finds the words it starts, from the index's word lists, whose
# stems it does not start: Snowball cuts a word's end, and may cut into the
# prefix (negotiations: negoti; organization: organ).
run $S --highlight plain 'negotiat*'
expect_rc 0 "a wildcard longer than the stems of its words"
expect_eq "$ERR" "" "finds them with no note"
expect_match '\[negotiations\]' "$OUT" "and highlights them"
run $S --highlight plain -n 50 --per-doc 0 'organizatio*'
expect_rc 0 "a wildcard far longer than its words' stem"
expect_eq "$ERR" "" "organizatio*: no note"
expect_match '\[organization\]' "$OUT" "organizatio* finds organization (stem organ)"
run $S --highlight plain 'stabilising*'
expect_eq "$ERR" "" "a whole word and a star: no note"
expect_match '\[stabilising\]' "$OUT" "a whole word and a star: its word"
# An American prefix starts British words, as the whole word finds them.
run $S --highlight plain 'stabiliz*'
expect_rc 0 "an American prefix of British words"
expect_match '\[stabilising\]' "$OUT" "finds and highlights them"
run $S --highlight plain 'negotiation*'
expect_rc 0 "a whole word with a star, far from its stem"
expect_match '\[negotiations\]' "$OUT" "and finds and highlights its forms"
# Indexes searched together: the word lists of each serve wildcards and
# "did you mean".
mkdir -p "$T/wa" "$T/wb"
printf 'A\n\nThe negotiations went on.\n' >"$T/wa/a.txt"
printf 'B\n\nThe organization grew.\n' >"$T/wb/b.txt"
$PASSIM_INDEX -q --db "$T/wa.db" "$T/wa" >/dev/null
$PASSIM_INDEX -q --db "$T/wb.db" "$T/wb" >/dev/null
run $PASSIM_SEARCH --db "$T/wa.db" --db "$T/wb.db" --color=never --highlight plain 'organizatio*'
expect_match '\[organization\]' "$OUT" "two indexes: a wildcard reads the second's word lists"
run $PASSIM_SEARCH --db "$T/wa.db" --db "$T/wb.db" --color=never organizaton
expect_match "did you mean 'organization'" "$ERR" "two indexes: so does \"did you mean\""
rm -rf "$T/wa" "$T/wb" "$T/wa.db" "$T/wb.db"
# A prefix that starts more stems than a search keeps says so.
mkdir -p "$T/many"
python3 -c "
import sys
sys.stdout.write('Many\n\n' + ' '.join('zorb%sx' % ''.join(chr(97 + (i // 26 ** k) % 26) for k in range(3)) for i in range(120)) + '.\n')
" >"$T/many/a.txt"
$PASSIM_INDEX -q --db "$T/many.db" "$T/many" >/dev/null
run $PASSIM_SEARCH --db "$T/many.db" 'zorb*'
expect_rc 0 "a prefix of many stems: found"
expect_match "more than 100 stems start with 'zorb': the 100 most frequent are searched \(and any" "$ERR" \
    "a prefix of many stems: a note says some are left out"
rm -rf "$T/many" "$T/many.db"
# No suffix and no one-letter wildcard: read as the word, with a note.
run $S --highlight plain '*talks'
expect_rc 0 "a '*' before a word: searched"
expect_match "a '\*' cannot start a wildcard \(only prefix\* is one\): '\*talks' is read as the word" \
    "$ERR" "a '*' before a word: a note says how it was read"
run $S '**kwargs talks*'
expect_no_match "cannot start a wildcard" "$ERR" "a '*' closed later is emphasis: no note"
# With no word lists, the prefix as a whole word is still found, and a
# prefix a few letters past a stem is read as that stem, with a note.
$PASSIM_INDEX -q --no-spelling --db "$T/nolists.db" "$CORPUS" >/dev/null \
    || fail "indexing the corpus with --no-spelling"
run $PASSIM_SEARCH --db "$T/nolists.db" --color=never --highlight plain 'negotiation*'
expect_eq "$ERR" "" "no word lists: the prefix as a whole word, with no note"
expect_match '\[negotiations\]' "$OUT" "no word lists: the whole word's forms"
run $PASSIM_SEARCH --db "$T/nolists.db" --color=never --highlight plain 'negotiat*'
expect_rc 0 "no word lists: a wildcard longer than the stems it means"
expect_eq "$ERR" "passim-search: no word's stem starts with 'negotiat'; read as negoti*" \
    "no word lists: is read as the stem, and says so"
expect_match '\[negotiations\]' "$OUT" "no word lists: and finds and highlights its words"
run $PASSIM_SEARCH --db "$T/nolists.db" --color=never 'negotiat* OR Kabul negotiat*'
expect_eq "$ERR" "passim-search: no word's stem starts with 'negotiat'; read as negoti*" \
    "no word lists: a wildcard typed twice, said once"
run $PASSIM_SEARCH --db "$T/nolists.db" --color=never 'organizatio*'
expect_rc 1 "no word lists: a wildcard past a short stem (organization: organ)"
expect_match "^passim-search: no stem of a word starts with 'organizatio', and the index keeps no list" \
    "$ERR" "no word lists: the note says stems were looked at, not words"
# An index of no article has no words to list: a wildcard finds none.
mkdir -p "$T/nothing"
$PASSIM_INDEX -q --db "$T/nothing.db" "$T/nothing" >/dev/null || fail "indexing an empty folder"
run $PASSIM_SEARCH --db "$T/nothing.db" 'Kab*'
expect_rc 1 "an empty index: a wildcard"
expect_eq "$ERR" "passim-search: the index holds no passage: no article yet, or none with a word (passim-index adds files to it)" \
    "an empty index: said plainly"
rm -rf "$T/nothing" "$T/nothing.db"
# Lists that miss some files' words are read as none: an index built with
# --no-spelling and updated without it, or searched with one that has lists.
$PASSIM_INDEX -q --db "$T/lists.db" "$CORPUS/000_15c4c714383f619c.txt" >/dev/null \
    || fail "indexing one article"
run $PASSIM_SEARCH --db "$T/lists.db" --db "$T/nolists.db" --color=never --highlight plain \
    'negotiat*'
expect_rc 0 "lists of one index of two: a wildcard longer than the stems it means"
expect_match '\[negotiations\]' "$OUT" "lists of one index of two: finds its words in the other"
run $PASSIM_SEARCH --db "$T/lists.db" --color=never 'negotiat*'
expect_rc 1 "complete lists are trusted"
mkdir "$T/partial" && cp "$CORPUS"/*.txt "$T/partial/" || fail "copying the corpus"
$PASSIM_INDEX -q --no-spelling --db "$T/partial.db" "$T/partial" >/dev/null \
    && echo "One more line." >>"$T/partial/004_30d30edba93f37e1.txt" \
    && $PASSIM_INDEX -q --db "$T/partial.db" "$T/partial" >/dev/null \
    || fail "indexing with --no-spelling, then updating without it"
run $PASSIM_SEARCH --db "$T/partial.db" --color=never --highlight plain 'negotiat*'
expect_rc 0 "lists begun by an update: a wildcard longer than the stems it means"
expect_match '\[negotiations\]' "$OUT" "lists begun by an update: finds words of the other files"
expect_match "read as negoti\*" "$ERR" "lists begun by an update: read as a shorter stem, with a note"
$PASSIM_INDEX -q --rebuild --db "$T/partial.db" "$T/partial" >/dev/null || fail "--rebuild"
run $PASSIM_SEARCH --db "$T/partial.db" --color=never --highlight plain 'negotiat*'
expect_eq "$ERR" "" "rebuilt with word lists: found through them, with no note"
rm -rf "$T/nolists.db" "$T/lists.db" "$T/partial.db" "$T/partial"
# A prefix that starts stems finds itself as a whole word too: leaders* is
# leadership and leader (the stem of "leaders", which it does not start).
run $S --highlight plain -C 0 -n 100 --per-doc 0 'leaders*'
expect_match '\[leadership\]' "$OUT" "a wildcard finds the stems it starts"
expect_match '\[leaders\]' "$OUT" "and the prefix as a whole word"
expect_match '\[leader\]' "$OUT" "and that word's other forms"
expect_eq "$ERR" "" "with no note"
run $S 'title:Kabu*'
expect_eq "$ERR" "" "a prefix that starts a stem is read as it is"
# A title: word matched the title: the same word in a passage is no match.
run $S --highlight plain -n 3 'title:Kabul Moscow'
expect_match "\[Moscow's\]" "$OUT" "the passage's matches are highlighted"
expect_no_match '\[Kabul\]' "$OUT" "the title: word is not, in the passage's text"
run $S 'zzzzzz*'
expect_rc 1 "a prefix near no stem"
expect_eq "$ERR" "passim-search: no word starts with 'zzzzzz'" \
    "finds nothing, and says no word starts so"
run $S 'Lavrov zzzzzz* qqqqqq'
expect_rc 0 "a prefix that starts no word, among words"
expect_match "no word starts with 'zzzzzz'" "$ERR" "the fallback names the wildcard that matched nothing"
expect_match "no passage contains 'qqqqqq'" "$ERR" "and the word that matched nothing"
run $S 'title:zzz*'
expect_eq "$ERR" "passim-search: no word of a title starts with 'zzz'" "a title: wildcard too"
run $S --highlight plain 'Moscow NEAR/3 summit'
expect_rc 0 "NEAR"
# A word twice in a NEAR: only the occurrences near another are marked.
run $S --highlight plain -C 0 'Taliban NEAR/1 Taliban'
expect_match 'Under The \[Taliban\] The \[Taliban\] delegation' "$OUT" "NEAR of a word with itself: the pair"
expect_no_match 'under the \[Taliban\] Russia' "$OUT" "NEAR of a word with itself: not a lone one"
# A word in two NEARs is marked near a partner of either, and stays a
# partner of the other items of both.
run $S --highlight plain -C 0 --per-doc 0 -n 50 '(Moscow NEAR/3 summit) OR (Moscow NEAR/3 talks)'
expect_match '\[talks\] in \[Moscow\]' "$OUT" "a word in two NEARs: marked near a partner"
expect_no_match 'attend a \[summit\]' "$OUT" "a word in two NEARs: a far partner item unmarked"
expect_no_match '\[Moscow\]-format negotiations' "$OUT" "a word in two NEARs: unmarked far from both"
run $S -f json -n 100 'title:Kabul'
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if d["results"] and all("kabul" in r["title"].lower() for r in d["results"]) else 1)' && pass || fail "title: restricts to titles"

# Article 001 opens with its section's name, "World", above its headline.
run $S -f json -n 100 'title:taliban'
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
titles = {r["path"].rsplit("/", 1)[-1][:3]: r["title"] for r in d["results"]}
sys.exit(0 if titles.get("001") == "Russia Acts as Power Broker as U.S.-Taliban Talks Intensify" else 1)' \
    && pass || fail "a section name above the headline: the headline is the title"

# The man page's example: both parts required, no fallback to any word.
run $S -f json -n 100 --per-doc 0 'title:Kabul diplom*'
expect_rc 0 "title:Kabul diplom*"
expect_no_match 'no passage has all the words' "$ERR" "title:Kabul diplom*: no fallback"
printf '%s' "$OUT" | python3 -c '
import json, re, sys
d = json.load(sys.stdin)
sys.exit(0 if d["results"] and all("kabul" in r["title"].lower() and re.search(r"\bdiplom", r["text"], re.I)
                                   for r in d["results"]) else 1)' && pass || fail "title:Kabul diplom*: both in every hit"

# --- paging, limits, per-doc
# ranks_ids_of JSON: "rank:docid#passage" of each result.
ranks_ids_of() {
    printf '%s' "$1" | python3 -c 'import json,sys; print(" ".join("%d:%s#%d" % (r["rank"], r["docid"], r["passage"]) for r in json.load(sys.stdin)["results"]))'
}
run $S -f json -n 3 --per-doc 0 talks
a=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(" ".join(str(r["rank"]) for r in json.load(sys.stdin)["results"]))')
expect_eq "$a" "1 2 3" "ranks 1..3"
run $S -f json -n 3 --offset 3 --per-doc 0 talks
a=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(" ".join(str(r["rank"]) for r in json.load(sys.stdin)["results"]))')
expect_eq "$a" "4 5 6" "--offset pages on"
run $S -f json -n 100 --per-doc 1 talks
n=$(printf '%s' "$OUT" | python3 -c 'import json,sys; r=json.load(sys.stdin)["results"]; print(len(r), len(set(x["docid"] for x in r)))')
expect_eq "$n" "5 5" "--per-doc 1: one passage per article"
run $S -n 0 talks
expect_rc 2 "--limit 0 is refused"
expect_match '^passim-search: --limit: at least 1' "$ERR" "--limit 0: why"
run $S --offset 100000 talks
expect_rc 1 "offset past the end"
expect_match '^passim-search: [0-9]+ results; --offset 100000 is past the end' "$ERR" \
    "offset past the end: the number of results"
# A shorter list is the start of a longer one, and pages of one hit make up
# the list, also with feedback terms in the query.
for q in 'Lavrov summit' 'Taliban Moscow talks' 'Russia'; do
    run $S -f json -n 10 --any "$q"
    full=$(ranks_ids_of "$OUT")
    prefixes=ok paged=""
    n=$(printf '%s\n' "$full" | wc -w)
    for k in $(seq 1 "$n"); do
        run $S -f json -n "$k" --any "$q"
        [ "$(ranks_ids_of "$OUT")" = "$(printf '%s\n' "$full" | cut -d' ' -f1-"$k")" ] || prefixes="-n $k differs"
        run $S -f json -n 1 --offset $((k - 1)) --any "$q"
        paged="$paged $(ranks_ids_of "$OUT")"
    done
    expect_eq "$prefixes" ok "$q: -n k lists the first k of -n 10"
    expect_eq "${paged# }" "$full" "$q: pages of one hit make up the list"
done
# Holding only ten, Xapian's matcher dropped the seventh passage of this
# query (one of a word and a feedback term) from the list of -n 10.
run $S -f json -n 30 --per-doc 0 'maintain claims Taliban'
full=$(ranks_ids_of "$OUT")
run $S -f json -n 10 --per-doc 0 'maintain claims Taliban'
expect_eq "$(ranks_ids_of "$OUT")" "$(printf '%s\n' "$full" | cut -d' ' -f1-10)" \
    "--per-doc 0: -n 10 lists the first 10 of -n 30"
# When fewer than 30 passages match, their number is exact, however few are shown.
run $S -f json -n 1 --any 'Kalashnikov rifles'
expect_match '"total": 1,' "$OUT" "total: the one passage with either word"

# Paging through the any-word fallback: page 2 goes on from page 1.
ranks_ids() {
    printf '%s' "$OUT" | python3 -c 'import json,sys; print(" ".join("%d:%s#%d" % (r["rank"], r["docid"], r["passage"]) for r in json.load(sys.stdin)["results"]))'
}
run $S -f json -n 4 'Lavrov summit'
expect_rc 0 "fallback, first page of 4"
first4=$(ranks_ids)
run $S -f json -n 2 --offset 2 'Lavrov summit'
expect_rc 0 "fallback, --offset 2"
expect_match 'showing passages with some of them' "$ERR" "fallback, --offset 2: says so"
expect_eq "$(ranks_ids)" "$(echo "$first4" | cut -d' ' -f3-4)" "fallback, --offset 2: ranks 3 and 4"
run $S -n 2 --offset 1 'Lavrov xyzzy'
expect_rc 0 "fallback with a missing word, --offset 1"
# The fallback names the word that is nowhere, with a suggestion.
run $S -n 1 'Lavorv Taliban'
expect_rc 0 "a misspelt word among others"
expect_match "^passim-search: no passage contains 'Lavorv'; did you mean 'Lavrov'\\?" "$ERR" \
    "a misspelt word among others: named, with a suggestion, in the case typed"
run $S MOSKOW
expect_match "did you mean 'MOSCOW'\\?" "$ERR" "a suggestion in capitals for a word typed in them"
run $S -n 1 'Lavrov summit'
expect_no_match "no passage contains" "$ERR" "every word somewhere: none named"
run $S --offset 1000 'Lavrov summit'
expect_rc 1 "fallback, --offset past its end"
expect_match 'is past the end' "$ERR" "fallback, --offset past its end: why"
printf 'a\tLavrov summit\n' > fallback.tsv
run $S --batch fallback.tsv -n 4 -f trec
second_to_fourth=$(printf '%s\n' "$OUT" | awk 'NR > 1 {print $3}' | tr '\n' ' ')
run $S --batch fallback.tsv --offset 1 -n 3 -f trec
expect_rc 0 "batch: fallback with --offset"
expect_eq "$(printf '%s\n' "$OUT" | awk '{print $3}' | tr '\n' ' ')" "$second_to_fourth" \
    "batch: fallback with --offset 1 lists results 2 to 4"

# --- nothing shown although every word is somewhere: stderr says why
run $S --all 'Lavrov summit'
expect_rc 1 "--all, no passage with both words"
expect_eq "$OUT" "" "--all, no passage with both words: nothing on stdout"
expect_match '^passim-search: no passage has all of: Lavrov, summit' "$ERR" "--all: why nothing"
# each word once, ten of them, then how many more
run $S --all 'Kabul Lavrov summit Moscow Taliban Karzai Kabul Lavrov summit Moscow Taliban Karzai talks Putin Ghani rifles Noor'
expect_eq "$ERR" "passim-search: no passage has all of: Kabul, Lavrov, summit, Moscow, Taliban, Karzai, talks, Putin, Ghani, rifles and 1 more (--any ranks the passages with any of them)" \
    "--all: a long list of words, each named once, ten of them"
run $S --all 'Kabul Lavrov summit Moscow Taliban Karzai talks Putin Ghani rifles Noor Noor Noor Russia Russia'
expect_match 'rifles and 2 more' "$ERR" "--all: the words past ten counted once each"
# in a NEAR, where a word twice means two of it, repeats are named
run $S "$(python3 -c 'print(" NEAR/1 ".join(["Kabul"] * 300))')"
expect_rc 1 "a NEAR of 300 words"
expect_eq "$ERR" "passim-search: no passage has Kabul, Kabul, Kabul, Kabul, Kabul, Kabul, Kabul, Kabul, Kabul, Kabul and 290 more within 1 word of each other" \
    "a NEAR of 300 words: ten named, the rest counted"
run $S 'Moscow NEAR/0 summit'
expect_rc 1 "NEAR/0"
expect_match '^passim-search: no passage has Moscow, summit within 0 words of each other' \
    "$ERR" "NEAR/0: why nothing"
run $S 'Lavrov -Lavrov'
expect_rc 1 "a word excluded from itself"
expect_match '^passim-search: no passage matches the query, read as \(AND_NOT lavrov lavrov\)' \
    "$ERR" "otherwise: the query as parsed"

# --- JSON: valid, with the documented fields
run $S -f json 'Kalashnikov rifles'
json_ok "$OUT" && pass || fail "JSON parses"
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert set(d) == {"query", "total", "results"}, d.keys()
r = d["results"][0]
for k in ("rank", "score", "docid", "path", "title", "passage", "lines", "text", "snippet"):
    assert k in r, k
assert r["docid"] == "000_15c4c714383f619c"
assert "<mark>Kalashnikov</mark>" in r["snippet"] and "<mark>rifles</mark>" in r["snippet"]
assert r["lines"][0] <= r["lines"][1]
' && pass || fail "JSON fields"
run $S -f json --highlight markdown 'Kalashnikov'
expect_match '\*\*Kalashnikov\*\*' "$OUT" "markdown highlight in JSON"

# --- --bm25: decimal K1,B in range
for v in 0x10,0.5 1,2 1 1,0.5x -1,0.5 nan,0.5; do
    run $S --bm25 "$v" Kabul
    expect_rc 2 "--bm25 $v is refused"
done
run $S --bm25 1.2e0,.75 Kabul
expect_rc 0 "--bm25 takes decimal numbers"

# --- vimgrep: path:line:column:snippet, pointing at the match
for opts in "-f json --vimgrep" "--vimgrep --format text"; do
    run $S $opts Kabul
    expect_rc 2 "$opts"
    expect_match '^passim-search: --vimgrep and --format cannot be used together$' "$ERR" \
        "$opts: refused, one format only"
done
run $S --vimgrep 'Kalashnikov'
expect_match '^[^:]*000_15c4c714383f619c.txt:[0-9]+:[0-9]+:.*Kalashnikov' "$OUT" "vimgrep line"
line=$(printf '%s\n' "$OUT" | head -1 | cut -d: -f2)
col=$(printf '%s\n' "$OUT" | head -1 | cut -d: -f3)
got=$(sed -n "${line}p" "$CORPUS/000_15c4c714383f619c.txt" | cut -b "$col-$((col + 10))")
expect_eq "$got" "Kalashnikov" "vimgrep position points at the match"
# Every hit, also in passages that start in mid-line (a long paragraph cut
# at a sentence end) or after an indent, and in an indented fixture.
mkdir -p vim && printf 'Title\n\n    An indented paragraph about zebras.\n' > vim/indent.txt
$PASSIM_INDEX -q --db vim.db vim >/dev/null || fail "indexing the indented fixture"
for q in "--db $DB Taliban" "--db vim.db zebra"; do
    run $PASSIM_SEARCH --color=never --vimgrep --per-doc 0 -n 100 $q
    word=${q##* }
    printf '%s\n' "$OUT" | python3 -c '
import re, sys
word, bad, n = sys.argv[1].lower(), [], 0
for l in sys.stdin:
    m = re.match(r"^(.*?):(\d+):(\d+):", l)
    if not m:
        continue
    n += 1
    line = open(m.group(1), "rb").read().split(b"\n")[int(m.group(2)) - 1]
    at = line[int(m.group(3)) - 1:].decode("utf-8", "replace").lower()
    if not at.startswith(word):
        bad.append(l[:m.end()])
sys.exit(0 if n and not bad else print(n, "hits, wrong:", bad) or 1)' "$word" \
        && pass || fail "vimgrep: every $word hit's line and column point at it"
done

# --- accents: Latin and Greek letters match with or without them, either way
mkdir -p accents && printf 'Notes\n\nA caf\303\251 in Z\303\274rich, and the Cyrillic \320\271.\n' > accents/a.txt
$PASSIM_INDEX -q --db accents.db accents >/dev/null || fail "indexing the accents fixture"
for q in cafe café CAFÉ zurich Zürich; do
    run $PASSIM_SEARCH --db accents.db --color=never --highlight markdown "$q"
    expect_rc 0 "'$q' matches"
    expect_match '\*\*(café|Zürich)\*\*' "$OUT" "'$q' highlights the word as written"
done
# A query in Latin-1 (not UTF-8) is read as the indexer reads such a file.
run $PASSIM_SEARCH --db accents.db --color=never -f json "$(printf 'Z\374rich')"
expect_rc 0 "a Latin-1 query matches"
expect_match '"query": "Zürich"' "$OUT" "a Latin-1 query is read as Latin-1"
printf 'l1\tZ\374rich\n' >latin1-queries.tsv
run $PASSIM_SEARCH --db accents.db --batch latin1-queries.tsv -f trec
expect_match '^l1 Q0 a 1 ' "$OUT" "a Latin-1 query in a batch file too"
run $PASSIM_SEARCH --db accents.db --color=never 'и'
expect_rc 1 "Cyrillic й keeps its breve: и does not match it"

# Notes and --explain repeat the query's words without what could drive the
# terminal or turn the text around (a bidi override, an escape).
rlo=$(printf '\342\200\256')
run $PASSIM_SEARCH --db "$DB" -- "xyzzy${rlo}abc"
expect_rc 1 "a query word with a bidi override, found nowhere"
expect_match "^passim-search: no passage contains 'xyzzyabc'" "$ERR" "the note leaves the override out"
run $PASSIM_SEARCH --db "$DB" --explain -- "Karzai${rlo}abc Karzai"
expect_no_match "$rlo" "$OUT$ERR" "--explain leaves the override out"
printf 'q1\tKarzai%sabc Karzai\n' "$rlo" > rlo.tsv
run $PASSIM_SEARCH --db "$DB" --explain --batch rlo.tsv -f trec
expect_match "Karzaiabc" "$ERR" "a batch's --explain names the word"
expect_no_match "$rlo" "$ERR" "a batch's --explain leaves the override out too"

# --- colour: ANSI only when asked or on a terminal, never with NO_COLOR
run $PASSIM_SEARCH --db "$DB" Kalashnikov
expect_no_match "$(printf '\033')" "$OUT" "no escapes when stdout is not a terminal"
run $PASSIM_SEARCH --db "$DB" --color=always Kalashnikov
expect_match "$(printf '\033')\\[1;3[0-9]mKalashnikov" "$OUT" "ANSI highlight with --color=always"
# On a terminal (script(1) gives one): colour by default, unless the
# terminal cannot show it (TERM dumb or unset) or NO_COLOR says no.
if script -qc true /dev/null >/dev/null 2>&1; then
    on_tty() { script -qc "$*" /dev/null </dev/null 2>&1; }
    esc=$(printf '\033')
    expect_match "${esc}\\[1;3[0-9]mKalashnikov" \
        "$(TERM=xterm on_tty "$PASSIM_SEARCH" --db "$DB" Kalashnikov)" "colour on a terminal"
    expect_no_match "$esc" "$(TERM=dumb on_tty "$PASSIM_SEARCH" --db "$DB" Kalashnikov)" \
        "no colour on a dumb terminal"
    expect_no_match "$esc" "$(env -u TERM script -qc "$PASSIM_SEARCH --db $DB Kalashnikov" /dev/null </dev/null 2>&1)" \
        "no colour with TERM unset"
    expect_no_match "$esc" "$(NO_COLOR=1 TERM=xterm on_tty "$PASSIM_SEARCH" --db "$DB" Kalashnikov)" \
        "no colour with NO_COLOR"
    expect_match "${esc}\\[1;3[0-9]mKalashnikov" \
        "$(TERM=dumb on_tty "$PASSIM_SEARCH" --db "$DB" --color=always Kalashnikov)" \
        "--color=always colours a dumb terminal too"
fi
run $PASSIM_SEARCH --db "$DB" --highlight html 'Kalashnikov'
expect_match '<mark>Kalashnikov</mark>' "$OUT" "html highlight"
# The title, path and heading beside an HTML or Markdown snippet are escaped
# as the snippet is.
mkdir -p "$T/amp"
printf '# Fish & Chips <best>\n\nFish daily.\n\n## Prices & <sizes>\n\nSmall fish cost less.\n' >"$T/amp/a&b.md"
$PASSIM_INDEX -q --db "$T/amp.db" "$T/amp" >/dev/null 2>&1
run $PASSIM_SEARCH --db "$T/amp.db" --highlight html --per-doc 0 fish
expect_match '^1\. Fish &amp; Chips &lt;best&gt; ' "$OUT" "html: the title is escaped"
expect_match 'a&amp;b\.md:5-7 § Prices &amp; &lt;sizes&gt;$' "$OUT" "html: path and heading escaped"
expect_no_match '<best>|<sizes>' "$OUT" "html: no raw tags from the article"
run $PASSIM_SEARCH --db "$T/amp.db" --highlight markdown --per-doc 0 fish
expect_match '^1\. Fish \\& Chips \\<best\\> ' "$OUT" "markdown: the title is escaped"

# --- explain
run $S --explain 'the Kalashnikov of the'
expect_eq "$(printf '%s\n' "$OUT" | grep -c 'stopword, left out')" 2 \
    "explain names each stopword left out, once"
expect_match '^  the +stopword, left out \(\+the or a phrase keeps it\)$' "$OUT" "and how to keep it"
run $S --explain 'the Kabul "of the"'
expect_match '^  the +stopword, left out \(\+the or a phrase keeps it\)$' "$OUT" \
    "explain names a stopword left out that a phrase keeps"
expect_match '^  the +stem the .*stopword, kept$' "$OUT" "and the phrase's, kept"
run $S --explain 'title:(the Kabul)'
expect_match '^query: title:kabul$' "$OUT" "a stopword under title: is left out as in the text"
expect_match '^  the +stopword, left out \(\+title:the or a phrase keeps it\)$' "$OUT" \
    "and how to keep it there"
run $S --explain 'Kalashnikov -Zeppelin'
expect_match '^query: \(AND_NOT kalashnikov zeppelin\)' "$OUT" "explain shows the tree"
expect_match 'Kalashnikov +stem kalashnikov +in 1 passage$' "$OUT" "explain shows document frequencies"
run $S --explain -n 1 Lavrov
expect_match 'BM25 weight in this passage is shown \(feedback terms count at their fraction of it\)$' \
    "$OUT" "explain: feedback terms' share said when there are some"
run $S --explain -n 1 --feedback 0 Lavrov
expect_match 'BM25 weight in this passage is shown$' "$OUT" "explain: and not without feedback"
run $S --explain 'Kalashnikov Россия'
cols=$(printf '%s\n' "$OUT" | grep ' stem ' | python3 -c 'import sys; print(" ".join(str(l.index(" stem ")) + "," + str(l.index(" in ")) for l in sys.stdin))')
expect_eq "$cols" "22,44 22,44" "explain: columns aligned in characters, also for Cyrillic"
expect_match 'matched: (.*, )?kalashnikov' "$OUT" "explain shows matched terms"
# A wildcard's terms are listed too (passim expands it into its words), once
# even when a word of the query is among them.
run $S --explain -n 1 'negoti* Moscow'
expect_match 'matched: (.*, )?negoti [0-9]' "$OUT" "explain lists the terms a wildcard matched"
# A search keeps a wildcard's 100 most frequent expansions: the others, which
# did not count, are not listed.
mkdir -p "$T/zz"
python3 -c '
import sys
for i in range(1, 121):
    for j in range(2):
        open("%s/f%03d_%d.txt" % (sys.argv[1], i, j), "w").write("T%d\n\nzzq%03d word\n" % (i, i))
open(sys.argv[1] + "/rare.txt", "w").write("Rare\n\nzzq001 zzrare here\n")' "$T/zz"
$PASSIM_INDEX -q --db "$T/zz.db" "$T/zz" >/dev/null 2>&1
run $PASSIM_SEARCH --db "$T/zz.db" --explain -n 300 'zz*'
expect_match 'matched: zzq001 [0-9.]+$' "$(printf '%s\n' "$OUT" | grep -A3 'zz/rare\.txt' | grep matched)" \
    "a wildcard's terms outside the expansions used are not listed"
run $S --explain -n 1 'negoti* negotiations'
expect_eq "$(printf '%s\n' "$OUT" | grep -o 'negoti [0-9]' | wc -l)" 1 "a term matched twice is listed once"
# Feedback expands plain words only; a phrase or an exclusion runs as written.
run $S --explain 'peace talks'
expect_match '^xapian: .*AND_MAYBE 0\.[0-9]+ \* \(' "$OUT" "plain words get feedback terms"
for q in '+peace talks' '+Taliban' 'U.S.-backed Kalashnikov'; do
    run $S --explain "$q"
    expect_match '^xapian: .*AND_MAYBE 0\.[0-9]+ \* \(' "$OUT" \
        "feedback for $q (every word required anyway; a joined word in the fallback)"
done
# In any-word mode too they only reorder: the query's words decide what matches.
run $S --explain --any 'peace talks'
expect_match '^xapian: Query\(\(\(peac@1 OR talk@2\) AND_MAYBE 0\.[0-9]+ \* \(' "$OUT" "feedback terms only reorder any-word matches"
# Articles that tie at feedback's cut are taken together, or not at all:
# feedback does not lift two of four notes alike but for their numbers (path
# order chose them) above the other two.
mkdir -p "$T/tie"
for i in 1 2 3 4; do printf 'Note %s\n\nThe quokka was seen near hut %s.\n' $i $i >"$T/tie/n$i.txt"; done
$PASSIM_INDEX -q --db "$T/tie.db" "$T/tie" >/dev/null 2>&1
run $PASSIM_SEARCH --db "$T/tie.db" quokka
expect_eq "$(printf '%s\n' "$OUT" | sed -n 's/^[0-9]\. Note [0-9] (\([0-9.]*\))$/\1/p' | sort -u | wc -l)" 1 \
    "four notes alike score alike with feedback"
printf 'Other\n\nA quokka.\n' >"$T/tie/o.txt"
rm "$T/tie/n4.txt"
$PASSIM_INDEX -q --db "$T/tie.db" "$T/tie" >/dev/null 2>&1
run $PASSIM_SEARCH --db "$T/tie.db" quokka
expect_eq "$(printf '%s\n' "$OUT" | sed -n 's/^[0-9]\. Note [0-9] (\([0-9.]*\))$/\1/p' | sort -u | wc -l)" 1 \
    "three notes alike after another article score alike with feedback"
# Feedback terms together count as no more terms than the query has: the
# footer that is the only hit for 'reply' once scored 40 with feedback, its own
# word 4.7; each feedback term counts at most its own BM25 weight.
top_score() { printf '%s\n' "$1" | sed -n '1s/.*(\([0-9.]*\))$/\1/p'; }
run $S -n 1 reply
with=$(top_score "$OUT")
run $S -n 1 --feedback 0 reply
without=$(top_score "$OUT")
awk -v a="$with" -v b="$without" 'BEGIN { exit !(b > 0 && a > b && a <= 3 * b) }' \
    && pass || fail "feedback does not outweigh a one-word query ($with with, $without without)"
# Stopwords kept because the query has nothing else lend feedback no weight
# (a page's footer came first at 24.7, with no feedback 4.6), and a word typed
# twice counts once.
ranking() { printf '%s' "$1" | grep -o '"score": [0-9.]*, "docid": "[^"]*"'; }
run $S -f json -n 10 'to be or not to be'
with=$OUT
run $S -f json -n 10 --feedback 0 'to be or not to be'
expect_eq "$(ranking "$with")" "$(ranking "$OUT")" "a query of stopwords: feedback weighs nothing"
scale() { printf '%s\n' "$1" | sed -n 's/^xapian: .*AND_MAYBE \([0-9.]*\) \*.*/\1/p'; }
run $S --explain -n 1 'Lavrov Lavrov Lavrov'
thrice=$(scale "$OUT")
run $S --explain -n 1 'Lavrov'
expect_eq "$thrice" "$(scale "$OUT")" "a word typed three times lends feedback the weight of one"
case "$thrice" in ''|0) fail "no feedback scale read from --explain" ;; *) pass ;; esac
# Only the words that some passage holds count: a word that matches nothing
# changes neither the scores nor the order.
for q in Lavrov Moscow; do
    run $S --any -f json -n 10 "$q"
    alone=$OUT
    run $S --any -f json -n 10 "$q xyzzy"
    ranking() { printf '%s' "$1" | grep -o '"score": [0-9.]*, "docid": "[^"]*"'; }
    expect_eq "$(ranking "$OUT")" "$(ranking "$alone")" \
        "a word that matches nothing leaves '$q' as it was"
done
for q in '"peace talks"' '"Taliban"' '"Taliban" Moscow' 'Kalashnikov -Zeppelin' 'talk*' 'title:talks' \
         '+peace talks' 'peace NEAR/3 talks' 'to be or not to be' 'us'; do
    run $S --explain --any "$q"
    expect_no_match '^xapian: .*AND_MAYBE [0-9.]+ \* \(' "$OUT" "no feedback terms for $q"
done

# A hit's matched terms are those it matched by: not an excluded item's.
run $S --explain -n 3 -- '-"peace talks" Moscow'
expect_match '^   matched: moscow [0-9.]+$' "$OUT" "an excluded phrase's words are not matched terms"
expect_no_match 'matched: .*(peac|talk)' "$OUT" "...in any hit"
run $S --explain -n 10 -- 'talks -"peace talks"'
expect_match 'matched: talk [0-9.]+$' "$OUT" "...but a word searched outside it is"
run $S --explain -n 10 -- 'pea* -"peace talks"'
expect_match 'matched: peac [0-9.]+$' "$OUT" "...and so is one a wildcard searched outside it finds"

# Stopwords the query keeps are flagged; --no-stopwords has no list to flag them by.
run $S --explain '"of the Taliban" Lavrov'
expect_match '^  the +stem the .*note: stopword, kept' "$OUT" "a stopword kept in a phrase is flagged"
run $S --explain --no-stopwords 'the Lavrov'
expect_no_match 'note: stopword' "$OUT" "--no-stopwords: no stopword flag"

# With JSON the explanation is in the object, the query's and each hit's.
run $S -f json --explain 'Kalashnikov -Zeppelin'
expect_eq "$ERR" "" "--explain with JSON: nothing on stderr"
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["explain"].startswith("query: (AND_NOT kalashnikov zeppelin)"), d.get("explain")
assert d["results"] and all(r["explain"].startswith("matched: ") and not r["explain"].endswith("\n")
                           and "\n " not in r["explain"] for r in d["results"]), d["results"][0]["explain"]
' && pass || fail "--explain with JSON: the query's and each hit's explain string"

# --- equal scores come in the order of paths, then passages, however the
# index was built: a build on two threads numbers documents otherwise
$PASSIM_INDEX -q --db "$T/one.db" --jobs 1 "$CORPUS" >/dev/null
$PASSIM_INDEX -q --db "$T/two.db" --jobs 2 "$CORPUS" >/dev/null
for q in 'title:Kabul' 'title:Russia' 'Taliban' 'Lavrov OR Kabul'; do
    for args in "-n 100" "-n 100 --per-doc 0" "-n 3 --offset 2"; do
        a=$($PASSIM_SEARCH --db "$T/one.db" -f json $args "$q")
        b=$($PASSIM_SEARCH --db "$T/two.db" -f json $args "$q")
        expect_eq "$b" "$a" "$q $args: the same results in the same order from either build"
    done
done
run $PASSIM_SEARCH --db "$T/one.db" -f json -n 100 --per-doc 0 'title:Kabul'
order=$(printf '%s' "$OUT" | python3 -c '
import json, sys
r = json.load(sys.stdin)["results"]
print("ok" if [(x["path"], x["passage"]) for x in r] == sorted((x["path"], x["passage"]) for x in r)
      and len({x["score"] for x in r}) == 1 else "not sorted")')
expect_eq "$order" "ok" "title: only: every passage of a titled article ties, listed by path and passage"

# --- several indexes searched together
$PASSIM_INDEX -q --db "$T/a.db" "$CORPUS/000_15c4c714383f619c.txt" >/dev/null
$PASSIM_INDEX -q --db "$T/b.db" "$CORPUS/004_30d30edba93f37e1.txt" >/dev/null
run $PASSIM_SEARCH --db "$T/a.db" --db "$T/b.db" -f json -n 50 --per-doc 0 Taliban
n=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(len(set(x["docid"] for x in json.load(sys.stdin)["results"])))')
expect_eq "$n" "2" "two indexes searched as one"
# The corpus split between two indexes searches as one index of it all, down
# to the feedback terms of word queries (exact term frequencies, not guessed
# from the index that holds the feedback passages) and wildcards (expanded
# once, over both, by passim: Xapian would expand them in each index and weigh
# what each has).
$PASSIM_INDEX -q --db "$T/all.db" "$CORPUS"/*.txt >/dev/null
$PASSIM_INDEX -q --db "$T/lo.db" "$CORPUS"/00[012]_*.txt >/dev/null
$PASSIM_INDEX -q --db "$T/hi.db" "$CORPUS"/00[34]_*.txt >/dev/null
for q in Taliban "Russia Afghanistan" "peace talks Moscow" 'title:Kabul OR Lavrov' \
         'diplom* OR Lavrov' 'Tali* OR summit'; do
    a=$($PASSIM_SEARCH --db "$T/all.db" -f json -n 20 "$q")
    b=$($PASSIM_SEARCH --db "$T/hi.db" --db "$T/lo.db" -f json -n 20 "$q")
    expect_eq "$b" "$a" "$q: two indexes of a split corpus rank as one index of it all"
done
# Indexes that overlap: a file both hold is one article, each passage listed
# once, and the article's second passage is not crowded out by a copy.
$PASSIM_INDEX -q --db "$T/ab.db" "$CORPUS/000_15c4c714383f619c.txt" \
    "$CORPUS/004_30d30edba93f37e1.txt" >/dev/null
run $PASSIM_SEARCH --db "$T/ab.db" --db "$T/b.db" -f json -n 10 Taliban
listed=$(printf '%s' "$OUT" | python3 -c '
import json, sys
r = json.load(sys.stdin)["results"]
keys = [(x["path"], x["passage"]) for x in r]
per = {}
for p, _ in keys:
    per[p] = per.get(p, 0) + 1
print("ok" if len(keys) == len(set(keys)) and len(per) == 2 and max(per.values()) == 2
      else "repeated: %r" % keys)')
expect_eq "$listed" "ok" "overlapping indexes: each passage once, two a file"
# Copies that differ (one index updated, the other not): one of them, once
# (here the first --db's, whose copy matches first).
mkdir -p "$T/ver"
printf 'Zebra\n\nThe old zebra text.\n' > "$T/ver/f.md"
$PASSIM_INDEX -q --db "$T/old.db" "$T/ver" >/dev/null
printf 'Zebra\n\nThe new zebra text, zebra again.\n' > "$T/ver/f.md"
$PASSIM_INDEX -q --db "$T/new.db" "$T/ver" >/dev/null
run $PASSIM_SEARCH --db "$T/new.db" --db "$T/old.db" -f json --per-doc 0 zebra
texts=$(printf '%s' "$OUT" | python3 -c '
import json, sys
print(" | ".join(x["text"].split("\n")[-1] for x in json.load(sys.stdin)["results"]))')
expect_eq "$texts" "The new zebra text, zebra again." "copies that differ: one is listed, once"
ln -s nowhere.db "$T/dangling.db"
run $PASSIM_SEARCH --db "$T/dangling.db" Taliban
expect_rc 2 "a --db that links to nothing"
expect_match 'dangling\.db: a symbolic link to nowhere\.db, which leads nowhere: no index here' "$ERR" \
    "a --db that links to nothing: said so"
mkdir -p "$T/emptyfolder" && ln -s emptyfolder "$T/linkempty.db"
run $PASSIM_SEARCH --db "$T/linkempty.db" Taliban
expect_match 'linkempty\.db: no index here' "$ERR" "a link to a folder with no index: no index, not 'leads nowhere'"
ln -s loop.db "$T/loop.db"
run $PASSIM_SEARCH --db "$T/loop.db" Taliban
expect_match 'loop\.db: a loop of symbolic links: no index here' "$ERR" "a --db link to itself: said so"
run $PASSIM_SEARCH --db "$T/a.db" --db "$T/missing.db" Taliban
expect_rc 2 "one of several indexes missing"
expect_match 'missing\.db: no index here' "$ERR" "the missing one of several indexes is named"
expect_no_match 'a\.db' "$ERR" "the index that opens is not blamed"
run $PASSIM_SEARCH --db "$T/a.db" -f json -n 50 --per-doc 0 Taliban
once=$OUT
run $PASSIM_SEARCH --db "$T/a.db" --db "$T/./a.db/" -f json -n 50 --per-doc 0 Taliban
expect_rc 0 "the same index twice"
expect_eq "$OUT" "$once" "the same index twice is searched once"
expect_match "^passim-search: --db $T/./a.db/: the same index as --db $T/a.db; searched once" \
    "$ERR" "the same index twice: a note"
# A query is stemmed in one language: indexes of two are refused, not
# searched with the first one's stems (which would miss the other's words).
$PASSIM_INDEX -q --db "$T/none.db" --lang none "$CORPUS/004_30d30edba93f37e1.txt" >/dev/null
run $PASSIM_SEARCH --db "$T/a.db" --db "$T/none.db" Taliban
expect_rc 2 "indexes of two languages"
expect_match "none\.db: the index's language is none and .*a\.db's is english: indexes of different languages cannot be searched together" \
    "$ERR" "indexes of two languages: both named, with their languages"

# A path given relative to the folder passim-index ran in shows as given
# there, and in full from elsewhere, where it would name nothing.
mkdir -p "$T/rel/notes" "$T/rel/elsewhere"
printf 'Rel\n\nA quokka smiles.\n' >"$T/rel/notes/q.txt"
(cd "$T/rel" && $PASSIM_INDEX -q --db rel.db notes >/dev/null)
OUT=$(cd "$T/rel" && $PASSIM_SEARCH --db rel.db --vimgrep quokka)
expect_eq "$OUT" "notes/q.txt:3:3:Rel A quokka smiles." "a relative path from its own folder: as given"
OUT=$(cd "$T/rel/elsewhere" && $PASSIM_SEARCH --db ../rel.db --vimgrep quokka)
expect_eq "$OUT" "$(cd "$T/rel" && pwd -P)/notes/q.txt:3:3:Rel A quokka smiles." \
    "a relative path from another folder: in full"
OUT=$(cd "$T/rel/elsewhere" && $PASSIM_SEARCH --db ../rel.db -f json quokka)
expect_match "\"path\": \"$(cd "$T/rel" && pwd -P)/notes/q.txt\"" "$OUT" "so in JSON too"

# Words of other languages: French elisions ("l'école" is école), a Russian
# stress accent (приве́т is привет), the Turkish dotless i (Kırmızı, KIRMIZI).
mkdir -p "$T/fr" "$T/ru" "$T/tr"
printf "Nouvelles\n\nL\342\200\231\303\251cole d'\303\251t\303\251 \303\240 l'h\303\264pital d'Orl\303\251ans. Ferm\303\251e.\n" >"$T/fr/a.txt"
printf 'У\n\nприве\314\201т молоко\314\201\n' >"$T/ru/a.txt"
printf 'Haber\n\nK\304\261rm\304\261z\304\261 \304\261\305\237\304\261k.\n' >"$T/tr/a.txt"
$PASSIM_INDEX -q --db "$T/fr.db" --lang french "$T/fr" >/dev/null
$PASSIM_INDEX -q --db "$T/ru.db" --lang russian "$T/ru" >/dev/null
$PASSIM_INDEX -q --db "$T/tr.db" --lang turkish "$T/tr" >/dev/null
for q in "fr école" "fr été" "fr Orléans" "fr l'hôpital" "ru привет" "ru молока" "tr KIRMIZI" \
         "tr kirmizi"; do
    run $PASSIM_SEARCH --db "$T/${q%% *}.db" --highlight plain "${q#* }"
    expect_rc 0 "another language: ${q#* } found"
done
expect_match '\[Kırmızı\]' "$OUT" "another language: the word highlighted as written"
# An elided article is no part of the word for wildcards and suggestions.
printf "Nouvelles\n\nL'organisation d'habitation.\n" >"$T/fr/b.txt"
$PASSIM_INDEX -q --db "$T/fr.db" --lang french "$T/fr" >/dev/null
for q in 'organisatio*' "l'organ*" 'habitatio*'; do
    run $PASSIM_SEARCH --db "$T/fr.db" --highlight plain "$q"
    expect_rc 0 "an elided word: $q finds it"
done
expect_match "\[d'habitation\]" "$OUT" "an elided word: highlighted whole"
run $PASSIM_SEARCH --db "$T/fr.db" organisaton
expect_match "did you mean 'organisation'\?" "$ERR" "an elided word: offered without its article"
run $PASSIM_SEARCH --db "$T/fr.db" "l'Organisaton"
expect_match "did you mean 'Organisation'\?" "$ERR" "an elided word: offered in the case of the word"
# French stems a word typed without its accents otherwise: the accented word
# is offered.
run $PASSIM_SEARCH --db "$T/fr.db" fermee
expect_match "no passage contains 'fermee'; did you mean 'fermée'\\?" "$ERR" \
    "a word that differs in accents only is offered"

# Chinese and Japanese put no space between words: each ideograph or
# hiragana is a word, a query word of several is their phrase.
mkdir -p "$T/cjk"
printf '# 东京新闻\n\n日本政府今天宣布了新的经济政策。\n\n東京タワーへ行く。\n' >"$T/cjk/a.md"
$PASSIM_INDEX -q --db "$T/cjk.db" "$T/cjk" >/dev/null
for q in '经济' '经济政策' '政府 政策' 'タワー' '"東京タワー"' 'title:东京'; do
    run $PASSIM_SEARCH --db "$T/cjk.db" --highlight plain "$q"
    expect_rc 0 "Chinese and Japanese: $q found"
done
run $PASSIM_SEARCH --db "$T/cjk.db" --highlight plain '经济政策'
expect_match '新的\[经济政策\]。' "$OUT" "Chinese: the word highlighted whole"
run $PASSIM_SEARCH --db "$T/cjk.db" --all '经政'
expect_rc 1 "Chinese: characters apart are not the word they would make"
run $PASSIM_SEARCH --db "$T/cjk.db" --highlight plain '经济*'
expect_match '新的\[经济\]政策' "$OUT" "Chinese: a wildcard after an ideograph adds nothing"
# In an any-word reading too, a word is the phrase of its characters: one
# alone is next to no word.
printf '济南\n\n济南是一座城市，火车经过这里。\n' >"$T/cjk/b.md"
$PASSIM_INDEX -q --db "$T/cjk.db" "$T/cjk" >/dev/null
run $PASSIM_SEARCH --db "$T/cjk.db" --any --vimgrep '经济 城市'
expect_match 'a\.md:.*经济' "$OUT" "Chinese, any word: the passage with one word"
expect_match 'b\.md:.*城市' "$OUT" "Chinese, any word: the passage with the other"
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" 2 "Chinese, any word: characters apart are no match"
run $PASSIM_SEARCH --db "$T/cjk.db" '政党'
expect_rc 1 "Chinese: a word no passage holds finds nothing, though a character of it is there"
expect_eq "$ERR" "passim-search: no passage contains '政党'" \
    "Chinese: the missing word is named whole, not the character missing"
run $PASSIM_SEARCH --db "$T/cjk.db" --all '"经济 經濟" 政府'
expect_eq "$ERR" "passim-search: no passage contains '經濟'" \
    "Chinese: of words typed apart in a phrase, the missing one is named"
run $PASSIM_SEARCH --db "$T/cjk.db" '经济 NEAR/0 政府'
expect_eq "$ERR" "passim-search: no passage has 经济, 政府 within 0 words of each other" \
    "Chinese: a NEAR that matches nothing names its words, not their characters"
# A variation selector (U+FE00) picks an ideograph's glyph: no part of it.
printf '名\n\n漢\357\270\200字の本\n' >"$T/cjk/c.md"
$PASSIM_INDEX -q --db "$T/cjk.db" "$T/cjk" >/dev/null
run $PASSIM_SEARCH --db "$T/cjk.db" --all '漢字'
expect_rc 0 "Japanese: a word written with a variation selector is found"
run $PASSIM_SEARCH --db "$T/cjk.db" --all "$(printf '\346\274\242\357\270\200\345\205\232')"
expect_eq "$ERR" "passim-search: no passage contains '漢党'" \
    "Japanese: a missing word with a variation selector in it is named whole"
# U+FA47, a compatibility ideograph, folds to U+6F22: one word, two spellings.
run $PASSIM_SEARCH --db "$T/cjk.db" --any "$(printf '\357\251\207\345\205\232 \346\274\242\345\205\232 xyzzyq')"
expect_eq "$(printf '%s\n' "$ERR" | grep -c "contains '.*党'")" 1 \
    "Japanese: a missing word typed in two forms that fold alike is named once"

# Word characters too many in a row to be a word (a hex dump) make no
# passage, which only a title: query could list.
mkdir -p "$T/dump"
{ printf 'Dump\n\n'; i=0; while [ $i -lt 100 ]; do printf '0123456789abcdef0123456789abcdef'; i=$((i + 1)); done
  printf '\n\nend of dump\n'; } >"$T/dump/d.txt"
$PASSIM_INDEX -q --db "$T/dump.db" "$T/dump" >/dev/null
run $PASSIM_SEARCH --db "$T/dump.db" --vimgrep --per-doc 0 'title:dump'
expect_eq "$(printf '%s\n' "$OUT" | cut -d: -f2 | tr '\n' ' ')" "1 5 " \
    "a run of 3200 word characters is no passage: the title's and the last are"

# A phrase does not run across blocks: paragraphs, a heading and the text
# after it, list items, table cells.
mkdir -p "$T/blocks"
printf 'Shopping list\n\nBuy apples.\n\nOrange juice is in the fridge.\n\n# Red\n\nWine goes with cheese.\n\n- cheddar\n- bread\n\n| Germany | 4.5 |\n|---|---|\n\nMild red wine suits old cheddar.\n' >"$T/blocks/s.md"
$PASSIM_INDEX -q --db "$T/blocks.db" "$T/blocks" >/dev/null
for q in '"apples orange juice"' '"red wine goes"' '"cheddar bread"' '"Germany 4.5"'; do
    run $PASSIM_SEARCH --db "$T/blocks.db" --highlight plain "$q"
    expect_rc 1 "a phrase across two blocks is no match: $q"
done
run $PASSIM_SEARCH --db "$T/blocks.db" --highlight plain '"red wine"'
expect_rc 0 "a phrase within a block matches"
expect_match 'Mild \[red wine\] suits' "$OUT" "and is highlighted there"
expect_no_match 'Red\] \[Wine\|\[Red Wine' "$OUT" "and not across blocks"

# A passage that starts inside a code block (after a blank line in it) is
# read as in it: its closing fence closes the block, and the list after it
# keeps its boundaries; the code's own lines still make phrases.
mkdir -p "$T/fence"
{
    printf '# Notes\n\n'
    for i in 1 2 3; do printf 'The setup needs a fresh machine and some patience, step %s. ' "$i"; done
    printf '\n\n```python\ndef setup():\n'
    for i in 1 2 3 4 5 6 7 8; do printf '    step_%s()  # run step %s of the setup\n' "$i" "$i"; done
    printf '\ndef teardown():\n    return 2\n```\n\n- red\n- wine cellar\n'
} >"$T/fence/notes.md"
$PASSIM_INDEX -q --db "$T/fence.db" "$T/fence" >/dev/null
run $PASSIM_SEARCH --db "$T/fence.db" -f json cellar
expect_match '"text": "def teardown' "$OUT" "the passage starts inside the code block"
run $PASSIM_SEARCH --db "$T/fence.db" '"red wine"'
expect_rc 1 "after a code block closed in a passage that started in it, list items part a phrase"
run $PASSIM_SEARCH --db "$T/fence.db" --highlight plain 'red wine'
expect_match '\[red\] - \[wine\] cellar' "$OUT" "the words are found and highlighted apart"
run $PASSIM_SEARCH --db "$T/fence.db" --highlight plain '"teardown return"'
expect_match '\[teardown\(\): return\]' "$OUT" "lines of code make a phrase"
finish
