#!/bin/sh
# passim-search --batch, TREC runs, --qrels metrics and --compare on the
# bundled corpus: query files (ids, line numbers, blank lines, comments, a bad
# query), the three output formats, --level, --jobs, metrics worked out by
# hand from tests/data/batch.qrels, the reference scorer when it is around,
# and the comparison of two runs.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/cli/lib.sh"

DB=$T/corpus.db
$PASSIM_INDEX -q --db "$DB" "$CORPUS" >/dev/null || fail "indexing the corpus"
# Feedback off and Xapian's BM25 defaults: the metrics below are worked out by hand
# for those rankings (the defaults are measured on Cranfield by bench/relevance).
S="$PASSIM_SEARCH --db $DB --color=never --feedback 0 --bm25 1,0.5"
QRELS=$top_srcdir/tests/data/batch.qrels
cd "$T"

# run_stdin FILE CMD...: run with FILE on standard input, as run() does.
run_stdin() {
    f=$1
    shift
    "$@" <"$f" >"$T/out" 2>"$T/err"
    RC=$?
    OUT=$(cat "$T/out")
    ERR=$(cat "$T/err")
}

# The corpus's article ids (file names without extension).
DOCIDS=$(cd "$CORPUS" && ls *.txt | sed 's/\.txt$//')

# --- a query file: ids, no ids, comments, blank lines, one bad query
tab=$(printf '\t')
uspaces=$(printf '\302\240\343\200\200')  # a no-break space and an ideographic space
cat >queries.tsv <<EOF
# a comment: skipped
k1${tab}Kalashnikov rifles
Lavrov
${tab}  # a comment after blanks: skipped too
   ${uspaces}
bad${tab}"unbalanced
t1${tab}Taliban Moscow
EOF
# line 1 comment, 2 k1, 3 "Lavrov" (id 3), 4 comment, 5 blank (Unicode spaces
# too), 6 bad, 7 t1

run $S --batch queries.tsv
expect_rc 2 "a batch with a bad query exits 2"
expect_match '^passim-search: queries\.tsv:6: query bad: unbalanced quote at column 1$' "$ERR" \
    "the bad query is reported with its file, line and id"
heads=$(printf '%s\n' "$OUT" | grep '^== query' | sed 's/^== query \([^:]*\):.*/\1/' | tr '\n' ' ')
expect_eq "$heads" "k1 3 t1 " "the other queries are answered, in order, with their ids"
expect_match '^== query 3: Lavrov \([0-9]+ passages match\)$' "$OUT" "a line without id gets its line number"
# fewer than 30: a count, as JSON's total, not an estimate
lavrov_total=$(printf '%s\n' "$OUT" | sed -n 's/^== query 3: Lavrov (\([0-9]*\) passages match)$/\1/p')
expect_eq "$($S -f json Lavrov 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')" \
    "$lavrov_total" "the header's count is JSON's total"
run $S --batch queries.tsv --vimgrep
expect_rc 2 "--vimgrep is refused in a batch"
expect_match '^passim-search: --vimgrep lines name no query: with --batch use --format' "$ERR" \
    "and says why"
run $S --batch queries.tsv --level doc
expect_match '^== query 3: Lavrov \([0-9]+ articles match\)$' "$OUT" \
    "ranking articles, the header counts articles"
expect_no_match 'comment' "$OUT" "comments are not queries"
expect_match '\[Kalashnikov\] \[rifles\]' "$OUT" "text hits have highlighted snippets"
expect_match 'queries\.tsv' "$ERR" "errors name the file"
expect_match '^passim-search: 4 queries, 1 failed, 3 with results; ' "$ERR" "summary counts"
expect_match 'queries/s \([1-8] jobs?\)$' "$ERR" "summary throughput, on one thread per CPU by default"
expect_match '^passim-search: latency per query: median [0-9.]+ ms, p95 [0-9.]+ ms$' "$ERR" \
    "summary latency"

# Default words: any (a natural-language topic); --all keeps every word required.
run $S --batch queries.tsv -f json -n 100 --per-doc 0
printf '%s\n' "$OUT" | python3 -c '
import json, sys
objs = [json.loads(l) for l in sys.stdin]
t1 = [o for o in objs if o["qid"] == "t1"][0]
texts = [r["text"].lower() for r in t1["results"]]
# any word: some hit lacks one of the two words
sys.exit(0 if any(("taliban" in t) != ("moscow" in t) for t in texts) else 1)' \
    && pass || fail "batch queries rank by any word by default"
run $S --batch queries.tsv -f json --all -n 100 --per-doc 0
printf '%s\n' "$OUT" | python3 -c '
import json, sys
objs = [json.loads(l) for l in sys.stdin]
t1 = [o for o in objs if o["qid"] == "t1"][0]
ok = t1["results"] and all("taliban" in r["text"].lower() and "moscow" in r["text"].lower()
                             for r in t1["results"])
sys.exit(0 if ok else 1)' && pass || fail "--all: every hit has every word"

# --- JSON Lines: one object per query, with qid and results, or the error
run $S --batch queries.tsv -f json
expect_rc 2 "json batch with a bad query"
printf '%s\n' "$OUT" | python3 -c '
import json, sys
lines = sys.stdin.read().splitlines()
objs = [json.loads(l) for l in lines]
assert [o["qid"] for o in objs] == ["k1", "3", "bad", "t1"], [o["qid"] for o in objs]
assert [o["query"] for o in objs] == ["Kalashnikov rifles", "Lavrov", "\"unbalanced", "Taliban Moscow"]
bad = objs.pop(2)
assert bad["error"] == "unbalanced quote at column 1" and "results" not in bad, bad
for o in objs:
    assert isinstance(o["results"], list) and o["results"], o["qid"]
    assert [r["rank"] for r in o["results"]] == list(range(1, len(o["results"]) + 1))
    assert all("<mark>" in r["snippet"] for r in o["results"])
assert objs[0]["results"][0]["docid"] == "000_15c4c714383f619c"
' && pass || fail "JSON Lines: objects with qid and results, in order"

# With --explain, each object carries the query's explanation; stderr only the
# bad query and the summary.
run $S --batch queries.tsv -f json --explain
printf '%s\n' "$OUT" | python3 -c '
import json, sys
objs = [json.loads(l) for l in sys.stdin.read().splitlines()]
assert objs and all(o["explain"].startswith("query: ") for o in objs if "error" not in o)
' && pass || fail "JSON Lines with --explain: an explain string per query"
expect_no_match '^query: ' "$ERR" "JSON Lines with --explain: no explanation on stderr"
# In text, each query's explanation comes under its own header.
run $S --batch queries.tsv --explain -n 1
order=$(printf '%s\n' "$OUT" | grep -E '^(== query|query: )' | cut -c1-20 | tr '\n' '|')
expect_eq "$order" "== query k1: Kalashn|query: (OR kalashnik|== query 3: Lavrov (|query: lavrov|== query t1: Taliban|query: (OR taliban m|" \
    "text with --explain: each explanation under its header"

# --- TREC run lines
check_trec() { # check_trec FILE TAG PASSAGES(0|1): fields, ranks, scores, ids
    python3 - "$1" "$2" "$3" "$DOCIDS" <<'PY'
import re, sys
path, tag, passages, docids = sys.argv[1], sys.argv[2], sys.argv[3] == "1", set(sys.argv[4].split())
last = {}
for n, line in enumerate(open(path), 1):
    f = line.split()
    assert len(f) == 6, "line %d: %d fields" % (n, len(f))
    qid, q0, docid, rank, score, t = f
    assert q0 == "Q0" and t == tag, line
    assert re.fullmatch(r"-?\d+\.\d{6}", score), score
    if passages:
        m = re.fullmatch(r"(.+)#(\d+)", docid)
        assert m and m.group(1) in docids, docid
    else:
        assert docid in docids, docid
    prev = last.get(qid)
    if prev is None:
        assert int(rank) == 1, line
        seen = set()
    else:
        assert int(rank) == prev[0] + 1, "rank not consecutive: " + line
        assert float(score) <= prev[1], "score increases: " + line
        seen = prev[2]
    assert docid not in seen, "id twice: " + line
    seen.add(docid)
    last[qid] = (int(rank), float(score), seen)
assert list(last) == ["k1", "3", "t1"], list(last)
PY
}
run $S --batch queries.tsv -f trec
expect_rc 2 "trec batch with a bad query"
printf '%s\n' "$OUT" >run.trec
check_trec run.trec passim 0 && pass || fail "TREC lines: six fields, ranks 1..n, scores non-increasing, corpus ids"
expect_eq "$(grep -c '^t1 ' run.trec)" 5 "doc level: one line per article (5 articles match t1)"
run $S --batch queries.tsv -f trec --run-tag myrun -n 2
printf '%s\n' "$OUT" >run2.trec
check_trec run2.trec myrun 0 && pass || fail "--run-tag names the sixth column"
run $S --batch queries.tsv --run-tag myrun
expect_rc 2 "--run-tag without a TREC run"
expect_match 'run-tag names the run of --format trec' "$ERR" "is refused, not ignored"
expect_eq "$(grep -c '^t1 ' run2.trec)" 2 "--limit caps each query's lines"
run $S --batch queries.tsv -f trec -n 2 --offset 2
expect_eq "$(printf '%s\n' "$OUT" | grep '^t1 ' | cut -d' ' -f3,4)" \
    "$(grep '^t1 ' run.trec | sed -n '3,4p' | cut -d' ' -f3,4)" \
    "--offset: the next page of the run, its ranks going on"
# Ties: a scorer ranks equal scores by docid, descending, not in the search's
# order. Hits tied at the end of a page are all fetched before it is cut, so
# that -n k is the start of the longer run (title:Kabul: two articles, and
# twenty passages, all with the same score).
printf 'k\ttitle:Kabul\n' >ties.tsv
for level in "doc" "passage --per-doc 0"; do
    run $S --batch ties.tsv -f trec --level $level
    full=$OUT
    for n in 1 2 3; do
        run $S --batch ties.tsv -f trec --level $level -n $n
        expect_eq "$OUT" "$(printf '%s\n' "$full" | head -n $n)" "ties, --level $level: -n $n is the start of the run"
    done
    run $S --batch ties.tsv -f trec --level $level -n 1 --offset 1
    expect_eq "$OUT" "$(printf '%s\n' "$full" | sed -n 2p)" "ties, --level $level: --offset 1 -n 1 is its second line"
done
# With --qrels, JSON shows the hits that are scored, in the order scored.
printf 'k 0 000_15c4c714383f619c 1\n' >ties.qrels
run $S --batch ties.tsv -f json -n 1 --qrels ties.qrels
shown=$(printf '%s\n' "$OUT" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["results"][0]["docid"])')
run $S --batch ties.tsv -f trec -n 1
expect_eq "$shown" "$(printf '%s\n' "$OUT" | cut -d' ' -f3)" "--qrels with JSON: the hit shown is the hit scored"
run $S --batch queries.tsv -f trec --offset 2 --qrels /dev/null
expect_rc 2 "--offset with --qrels"
expect_match 'offset cannot be used with --qrels' "$ERR" "is refused, saying why"
run $S --batch queries.tsv -f trec --level passage --per-doc 0
printf '%s\n' "$OUT" >runp.trec
check_trec runp.trec passim 1 && pass || fail "--level passage: ids docid#n"
[ "$(grep -c '^t1 ' runp.trec)" -gt 5 ] && pass || fail "--level passage: more passages than articles"
# TREC ids and scores are those of the same search in JSON (which reads
# every hit's stored passage, where TREC runs use the engine's id cache).
run $S --batch queries.tsv -f json --level passage --per-doc 0 -n 1000
printf '%s\n' "$OUT" >runp.json
python3 - runp.json runp.trec <<'PY' && pass || fail "TREC passage ids and scores agree with JSON"
import json, sys
want = set()
for line in open(sys.argv[1]):
    o = json.loads(line)
    for r in o.get("results", []):
        want.add((o["qid"], "%s#%d" % (r["docid"], r["passage"]), "%.6f" % r["score"]))
got = set((f[0], f[2], f[4]) for f in (l.split() for l in open(sys.argv[2])))
assert got == want, (sorted(got - want)[:3], sorted(want - got)[:3])
PY
run $S --batch queries.tsv -f trec --level doc --per-doc 3
expect_rc 2 "--level doc with --per-doc 3 is refused"

# The same articles in two indexes: an id comes once per query, at its best.
cp -R "$CORPUS" copy
chmod -R u+w copy
$PASSIM_INDEX -q --db "$T/copy.db" copy >/dev/null || fail "indexing a copy of the corpus"
run $S --db "$T/copy.db" --batch queries.tsv -f trec
printf '%s\n' "$OUT" >runtwo.trec
check_trec runtwo.trec passim 0 && pass || fail "two indexes of the same articles: every id once"
expect_eq "$(grep -c '^t1 ' runtwo.trec)" 5 "two indexes: still one line per article"

# --- standard input, and --jobs: the same output
run_stdin queries.tsv $S --batch - -f trec
expect_eq "$OUT" "$(cat run.trec)" "--batch - reads standard input"
expect_match '^passim-search: \(standard input\):6: query bad: ' "$ERR" "stdin is named in messages"
for fmt in trec json text; do
    run $S --batch queries.tsv -f $fmt -j 1
    one=$OUT
    expect_match '\(1 job\)$' "$ERR" "--jobs 1 in the summary ($fmt)"
    run $S --batch queries.tsv -f $fmt -j 2
    expect_rc 2 "--jobs 2 --format $fmt exit status"
    expect_eq "$OUT" "$one" "--jobs 2 output identical to --jobs 1 ($fmt)"
    expect_match 'queries\.tsv:6: query bad: unbalanced quote' "$ERR" "--jobs 2 reports the bad query ($fmt)"
    expect_match '\(2 jobs\)$' "$ERR" "--jobs 2 in the summary ($fmt)"
done
# A larger batch on 3 threads: every query once, in order.
i=0
: >many.tsv
while [ $i -lt 60 ]; do
    printf 'q%d\t%s\n' $i "$(echo 'Taliban Lavrov Kabul Moscow talks Putin peace rifles' | cut -d' ' -f$((i % 8 + 1)))" >>many.tsv
    i=$((i + 1))
done
run $S --batch many.tsv -f trec -j 1
one=$OUT
run $S --batch many.tsv -f trec -j 3
expect_rc 0 "60 queries on 3 threads"
expect_eq "$OUT" "$one" "--jobs 3 output identical to --jobs 1 (60 queries)"

# --- the progress line: on stderr only, rewritten in place, gone at the end
esc=$(printf '\033')
run $S --batch many.tsv -f trec -j 2 --progress
expect_eq "$OUT" "$one" "--progress leaves the run alone"
expect_match "^.\\[Kpassim-search: many\\.tsv: 1/60 queries" "$(printf '%s' "$ERR" | tr '\r' '\n' | sed -n 2p)" \
    "--progress: the first query counted at once"
counts=$(printf '%s' "$ERR" | tr '\r' '\n' | sed -n 's|^.\[Kpassim-search: many\.tsv: \([0-9]*\)/60 queries$|\1|p' |
    awk 'BEGIN { ok = 1 } $1 <= prev || $1 > 60 { ok = 0 } { prev = $1 } END { print ok }')
expect_eq "$counts" 1 "--progress: counts that only go up, to at most 60"
expect_match "^${esc}\\[Kpassim-search: 60 queries, 0 failed" "$(printf '%s' "$ERR" | tr '\r' '\n' | tail -n 2 | head -n 1)" \
    "--progress: the line is cleared before the summary"
run $S --batch queries.tsv -f trec --progress
expect_match "^${esc}\\[Kpassim-search: queries\\.tsv:6: query bad: " "$(printf '%s' "$ERR" | tr '\r' '\n' | grep 'query bad')" \
    "--progress: the line is cleared before a message"
run $S --batch many.tsv -f trec --no-progress
case $ERR in *"$esc"*) fail "--no-progress: no progress line" ;; *) pass ;; esac
run $S --batch many.tsv -f trec
case $ERR in *"$esc"*) fail "no progress line when stderr is no terminal" ;; *) pass ;; esac
run $S --progress Kabul
expect_rc 2 "--progress without --batch"
expect_match '--progress needs --batch' "$ERR" "--progress without --batch explained"

# --- exit statuses
printf 'xyzzy\nplugh\n' >none.tsv
run $S --batch none.tsv
expect_rc 1 "no query found anything: exit 1"
expect_match '^== query 1: xyzzy \(no passage matches\)$' "$OUT" "an empty result still has its header"
printf 'Lavrov\nxyzzy\n' >some.tsv
run $S --batch some.tsv -f trec
expect_rc 0 "some query found something: exit 0"
printf '\357\273\277k\tLavrov\n' >bom.tsv
run $S --batch bom.tsv -f trec
expect_match '^k Q0 ' "$OUT" "a byte order mark is not part of the first query id"
printf '\377\376k\000\011\000L\000a\000v\000r\000o\000v\000\012\000' >utf16.tsv
run $S --batch utf16.tsv -f trec
expect_rc 0 "a query file in UTF-16 with a byte order mark"
expect_match '^k Q0 ' "$OUT" "is converted, as the indexer converts articles"
printf '\000\000\376\377\000\000\000k\000\000\000\011\000\000\000L\000\000\000a\000\000\000v\000\000\000r\000\000\000o\000\000\000v\000\000\000\015' >utf32.tsv
run $S --batch utf32.tsv -f trec
expect_rc 0 "a query file in UTF-32 (big-endian), lines ended by CR alone"
expect_match '^k Q0 ' "$OUT" "is converted too"
# Queries and judgements saved by the same editor match: both are decoded
# (here Windows-1252, and judgements with lines ended by a carriage return).
printf 'k\351\tLavrov\n' >cp1252.tsv
printf 'k\351 0 004_30d30edba93f37e1 1\r' >cp1252.qrels
run $S --batch cp1252.tsv --qrels cp1252.qrels --metrics-only
expect_match '^answered 1$' "$OUT" "a Windows-1252 query id matches its Windows-1252 judgements"
expect_match '^MRR      1\.0000$' "$OUT" "and is scored"
# A lone CR among LF lines ends a line too, as ireval.py (Python) reads it.
printf 'k\tLavrov\nm\tKabul\rn\tMoscow\n' >mixed.tsv
printf 'k 0 004_30d30edba93f37e1 1\nm 0 000_15c4c714383f619c 1\rn 0 001_4f2621a6beb63337 1\n' >mixed.qrels
run $S --batch mixed.tsv --qrels mixed.qrels --metrics-only
expect_match '^answered 3$' "$OUT" "a lone CR among LF lines parts two queries"
expect_match '^judged   3$' "$OUT" "and two judgements"
printf 'k\tcaf\351\r\nm\tna\357ve\r\n' >latin1.tsv
run $S --batch latin1.tsv -f json
expect_match '"query": "café"' "$OUT" "a query file in Latin-1 is read as Windows-1252"
printf 'a\tLavrov\n\000b\tKabul\nc\tMos\000cow\n' >nul.tsv
run $S --batch nul.tsv -f trec
expect_rc 2 "lines with NUL bytes"
expect_match '^passim-search: nul.tsv:2: query �b: a NUL byte in the line' "$ERR" \
    "a line starting with NUL is named, not skipped"
expect_match '^passim-search: nul.tsv:3: query c: a NUL byte in the line' "$ERR" \
    "a query cut by a NUL is named, not run in part"
expect_match '^a Q0 ' "$OUT" "and the other queries run"
run $S --batch nul.tsv -f json
expect_match '^\{"qid": "c", "query": "Mos�cow", "error": "a NUL byte' "$OUT" \
    "the query is reported whole, its NUL shown as U+FFFD"
# A file that a NUL byte keeps from being decoded whole: its lines are read
# one by one, a Latin-1 query id as its query is.
printf 'k\351\tLavrov\n\000b\tKabul\n' >nul-latin1.tsv
run $S --batch nul-latin1.tsv -f trec -n 1
expect_match '^ké Q0 004_30d30edba93f37e1 1 ' "$OUT" "a Latin-1 id beside a NUL line is read as Latin-1"
expect_no_match 'bad query id' "$ERR" "and is no bad id"
printf 'a b\tLavrov\n' >badid.tsv
run $S --batch badid.tsv -f trec
expect_rc 2 "a query id with a space is refused"
expect_match 'badid\.tsv:1: query a b: bad query id' "$ERR" "bad query id reported"
printf '\tLavrov\n\tKabul\n' >noid.tsv
run $S --batch noid.tsv -f trec
expect_rc 2 "an empty query id is refused"
expect_match '^passim-search: noid\.tsv:1: the query id before the tab is empty$' "$ERR" \
    "an empty query id is said so"
expect_match '^passim-search: noid\.tsv:2: the query id before the tab is empty$' "$ERR" \
    "each empty query id is said so"
expect_no_match 'already given' "$ERR" "empty ids are not duplicates"
run $S --batch queries.tsv --qrels a.qrels --qrels b.qrels
expect_rc 2 "--qrels given twice"
expect_match '^passim-search: --qrels takes one FILE: give it once' "$ERR" "--qrels twice: said so"
run $S --batch queries.tsv --qrels -
expect_rc 2 "--qrels -"
expect_match '^passim-search: --qrels: standard input is read by --batch only' "$ERR" \
    "--qrels -: no file named '-' is looked for"
run $S --compare - b.run --qrels q.txt
expect_match '^passim-search: --compare: standard input is read by --batch only' "$ERR" \
    "--compare -: said so"
run $S --compare a.run b.run --compare c.run --qrels q.txt
expect_match '^passim-search: --compare takes two runs: give it once' "$ERR" "--compare twice"
run $S --compare a.run b.run --qrels q.txt extra.run
expect_rc 2 "--compare with three runs"
expect_match "^passim-search: --compare takes two runs; 'extra.run' is one too many" "$ERR" \
    "the run too many is named"
run $S --all --any Lavrov
expect_rc 2 "--all with --any"
expect_match '^passim-search: --all, --any and --auto cannot be combined$' "$ERR" \
    "conflicting modes are refused"
run $S --batch a.tsv --batch b.tsv
expect_rc 2 "--batch twice"
expect_match '^passim-search: --batch takes one FILE: give it once$' "$ERR" "--batch twice is refused"
run $PASSIM_SEARCH --db '' Lavrov
expect_rc 2 "an empty --db"
expect_match '^passim-search: --db: the folder name is empty$' "$ERR" "an empty --db is said so"
run $PASSIM_INDEX --db '' corpus
expect_rc 2 "an empty --db for the indexer"
expect_match '^passim-index: --db: the folder name is empty$' "$ERR" "an empty --db is said so"
run $PASSIM_INDEX --db "$T/empty-path.db" corpus ''
expect_rc 2 "an empty PATH"
expect_match '^passim-index: a PATH is empty$' "$ERR" "an empty PATH is said so"
[ ! -e "$T/empty-path.db" ] && pass || fail "an empty PATH: no index made"
for args in "--batch ''" "--batch queries.tsv --qrels ''" "--compare '' b.trec --qrels q" \
            "--compare a.trec '' --qrels q"; do
    eval "run \$S $args"
    expect_rc 2 "$args"
    expect_match '^passim-search: --[a-z]*: (the|a run.s) file name is empty$' "$ERR" "$args: said so"
done
run $S --batch missing.tsv
expect_rc 2 "missing query file"
expect_match 'missing\.tsv: cannot read: No such file' "$ERR" "missing query file named"
run $S --batch queries.tsv 'extra query'
expect_rc 2 "--batch with a query on the command line"
run $S -f trec Lavrov
expect_rc 2 "--format trec without --batch"
expect_match '^passim-search: --format trec needs --batch' "$ERR" "--format trec needs --batch"
run $S --batch queries.tsv --metrics-only
expect_rc 2 "--metrics-only without --qrels"
run $S --batch queries.tsv -j 0
expect_rc 2 "--jobs 0"

# --- a query id given twice: an error for a TREC run or an evaluation, since
# one ranking would hold two queries' hits; a warning for text and JSON
printf 'q1\tLavrov\nq2\tTaliban\nq1\tKabul\n' > repeated.tsv
run $S --batch repeated.tsv -f trec
expect_rc 2 "a repeated query id, trec"
expect_eq "$OUT" "" "a repeated query id, trec: no run"
expect_match '^passim-search: repeated.tsv:3: query id q1 already given on line 1; a TREC run' \
    "$ERR" "a repeated query id, trec: where and why"
run $S --batch repeated.tsv --qrels "$QRELS" --metrics-only
expect_rc 2 "a repeated query id, --qrels"
run $S --batch repeated.tsv -f json
expect_rc 0 "a repeated query id, json"
expect_match '^passim-search: repeated.tsv:3: warning: query id q1 already given on line 1$' \
    "$ERR" "a repeated query id, json: a warning"

# Messages come in the order of the file, and a query id is shown without
# the escape sequences it may hold.
printf 'zz\tLavrov\nq\033[31mX\tKabul\nzz\tTaliban\nq\033[31mX\tMoscow\nzz\tKarzai\n' > escid.tsv
run $S --batch escid.tsv -f json
expect_eq "$(printf '%s\n' "$ERR" | grep 'already given' | cut -d: -f3 | tr '\n' ' ')" "3 5 " \
    "repeated ids are named in the order of the file, each time (a bad id is no query)"
expect_match '^passim-search: escid\.tsv:5: warning: query id zz already given on line 1$' "$ERR" \
    "a third use names the first"
expect_match '^passim-search: escid\.tsv:2: query qX: bad query id' "$ERR" \
    "a query id is named without its escape sequence"
expect_match '^passim-search: escid\.tsv:4: query qX: bad query id' "$ERR" \
    "a bad id given twice is a bad id twice"
expect_no_match "$(printf '\033')" "$ERR" "no escape sequence reaches the terminal"
# an id of nothing but an escape sequence: the line is named, not an empty id
printf '\033[31m\tKabul\nq2\tMoscow\n' > esconly.tsv
run $S --batch esconly.tsv -f trec
expect_match '^passim-search: esconly\.tsv:1: bad query id \(white space or control characters in it\)$' \
    "$ERR" "an id of an escape sequence alone: its line named"

# --auto falling back to some of the words says so in each query's output
printf 'q1\tLavrov zzqnowhere\nq2\tLavrov\n' > some.tsv
run $S --batch some.tsv --auto -n 1
expect_match '^== query q1: Lavrov zzqnowhere \(no passage has all the words; [0-9]+ ha(s|ve) some\)$' \
    "$OUT" "a batch query that fell back: its header says so"
expect_match '^== query q2: Lavrov \([0-9]+ passages? match' "$OUT" "one that did not: as ever"
run $S --batch some.tsv --auto -n 1 -f json
expect_eq "$(printf '%s\n' "$OUT" | grep -c '"some_words": true')" 1 "and in JSON, for that query only"

# --- --level passage against judgements of articles: nothing could match
printf 'lavrov\tLavrov\n' > one.tsv
run $S --batch one.tsv -f trec --level passage --qrels "$QRELS"
expect_rc 2 "--level passage with article qrels"
expect_match 'judges articles \(query kalash: 000_15c4c714383f619c\), and --level passage ranks passages' "$ERR" \
    "--level passage with article qrels: why"
run $S --batch one.tsv -f trec --level passage -n 1
passage=$(printf '%s\n' "$OUT" | awk '{print $3}')
printf 'lavrov 0 %s 1\n' "$passage" > passage.qrels
run $S --batch one.tsv -f trec --level passage --qrels passage.qrels --metrics-only
expect_rc 0 "--level passage with passage qrels"
expect_match 'MRR[^0-9]*1\.0000' "$OUT" "--level passage with passage qrels: the judged passage first"
expect_no_match 'judges none' "$ERR" "--level passage with passage qrels: no warning"
# judgements of passages and of an article: the article's could never match
{ cat passage.qrels; printf 'lavrov 0 %s 1\n' "${passage%#*}"; } > artpass.qrels
run $S --batch one.tsv -f trec --level passage --qrels artpass.qrels --metrics-only
expect_rc 2 "--level passage with an article among passage qrels"
expect_match "judges articles \\(query lavrov: ${passage%#*}\\)" "$ERR" \
    "--level passage with an article among passage qrels: which"
# an article whose id has a '#' is no passage
printf 'lavrov 0 c#.txt 1\n' > hash.qrels
run $S --batch one.tsv -f trec --level passage --qrels hash.qrels --metrics-only
expect_rc 2 "--level passage with the qrels of an article 'c#.txt'"
# nor is one whose id ends in '#' and digits, as a passage's does: the index
# knows it is an article
mkdir hashdocs && printf 'oil prices rose\n' > 'hashdocs/rep#3'
$PASSIM_INDEX -q --db hash.db hashdocs >/dev/null 2>&1 || fail "indexing 'rep#3'"
printf 'q1\toil\n' > oil.tsv
printf 'q1 0 rep#3 1\n' > hash3.qrels
run $PASSIM_SEARCH --db hash.db --batch oil.tsv -f trec --level passage --qrels hash3.qrels \
    --metrics-only
expect_rc 2 "--level passage with the qrels of an article 'rep#3'"
expect_match "judges articles \\(query q1: rep#3\\)" "$ERR" \
    "--level passage with the qrels of an article 'rep#3': which"
printf 'q1 0 rep#3#0 1\n' > hash3p.qrels
run $PASSIM_SEARCH --db hash.db --batch oil.tsv -f trec --level passage --qrels hash3p.qrels \
    --metrics-only
expect_rc 0 "--level passage with the qrels of a passage of 'rep#3'"
expect_match "^MAP +1\\.0000" "$OUT" "--level passage, a passage of 'rep#3' found"
# ...but an id that is also a passage of an article is that passage: with
# 'rep' indexed, 'rep#3' may be its passage 3, as a run writes it
python3 -c "print('\\n\\n'.join(('Part %d of the oil report. ' % i) * 20 for i in range(6)))" \
    > hashdocs/rep
$PASSIM_INDEX -q --db hash.db hashdocs >/dev/null 2>&1 || fail "indexing 'rep'"
run $PASSIM_SEARCH --db hash.db --batch oil.tsv -f trec --level passage --qrels hash3.qrels \
    --metrics-only
expect_rc 0 "--level passage, 'rep#3' judged with an article 'rep' indexed: a passage"
# The other way round, an article run against judgements of passages: every
# metric 0, and a warning says why (so does --compare).
run $S --batch one.tsv --qrels passage.qrels --metrics-only
expect_rc 0 "--level doc with passage qrels"
expect_match "^passim-search: warning: passage.qrels judges none of the documents of this run, so every metric is 0" \
    "$ERR" "--level doc with passage qrels: a warning"
$S --batch one.tsv -f trec > one.trec 2>/dev/null
run $S --compare one.trec one.trec --qrels passage.qrels
expect_match "^passim-search: warning: passage.qrels judges none of the documents of one.trec" \
    "$ERR" "--compare with passage qrels: a warning"
expect_eq "$(printf '%s\n' "$ERR" | grep -c 'judges none')" 1 "--compare: one warning for a run given twice"
run $S --compare one.trec one.trec --qrels "$QRELS"
expect_no_match 'judges none' "$ERR" "--compare with matching qrels: no warning"
# Query ids the qrels do not know: every metric 0, and a warning says why.
printf 'other-id 0 %s 1\n' "$passage" > other.qrels
run $S --batch one.tsv --level passage --qrels other.qrels --metrics-only
expect_match "^passim-search: warning: other.qrels judges none of the queries of this run, so every metric is 0" \
    "$ERR" "qrels of other query ids: a warning"
run $S --compare one.trec one.trec --qrels other.qrels
expect_match "^passim-search: warning: other.qrels judges none of the queries of one.trec" \
    "$ERR" "--compare with qrels of other query ids: a warning"
expect_no_match 'more than once' "$ERR" "--compare, a run of passim's: no document twice"
# A run that ranks nothing (an empty file): every metric 0, and a warning.
: > empty.trec
run $S --compare empty.trec one.trec --qrels "$QRELS"
expect_match "^passim-search: warning: empty.trec ranks no document for any query, so every metric is 0" \
    "$ERR" "--compare with an empty run: a warning"
expect_no_match 'one.trec ranks no document' "$ERR" "--compare: no such warning for a run that ranks"
# A run that ranks a document twice for one query is broken: said, and the
# document counts once, where it ranks best.
{ head -n 1 one.trec; cat one.trec; } > twice.trec
run $S --compare twice.trec one.trec --qrels "$QRELS"
expect_rc 0 "--compare, a document ranked twice"
expect_match "^passim-search: warning: twice.trec: document [^ ]* is ranked more than once for query lavrov \(1 repeated line in all\)" \
    "$ERR" "--compare, a document ranked twice: a warning"
expect_match '^nDCG@10 +([0-9.]+) +\1 ' "$OUT" "--compare, a document ranked twice: it counts once"
# Ids from qrels and runs reach the terminal without their escapes.
printf 'q\033[31mRED 0 d1 1\n' > esc.qrels
printf 'q\033[31mRED Q0 d1 1 1 t\nq\033[31mRED Q0 d\033]0;title\a 2 1 t\nq\033[31mRED Q0 d\033]0;title\a 3 0.5 t\n' > esc.trec
run $S --compare esc.trec esc.trec --qrels esc.qrels --per-query
expect_rc 0 "--compare, ids with escapes"
expect_no_match "$(printf '\033')" "$OUT$ERR" "--compare: no escape reaches the terminal"
expect_match '^qRED +1\.0000' "$OUT" "--compare: the id without its escape in the table"
expect_match 'document d is ranked more than once for query qRED ' "$ERR" \
    "--compare: the ids without their escapes in the warning"
# A byte order mark: dropped, with a warning that ireval.py keeps it.
{ printf '\357\273\277'; cat "$QRELS"; } > bom.qrels
run $S --compare one.trec one.trec --qrels bom.qrels
expect_match "^passim-search: warning: bom.qrels starts with a byte order mark, which passim drops; ireval.py reads it" \
    "$ERR" "--compare, qrels with a byte order mark: a warning"
run $S --batch one.tsv --qrels bom.qrels --metrics-only
expect_match "^passim-search: warning: bom.qrels starts with a byte order mark" "$ERR" \
    "--qrels with a byte order mark: a warning"
run $S --compare one.trec one.trec --qrels "$QRELS"
expect_no_match 'byte order mark' "$ERR" "no byte order mark: no warning"

# --- metrics against tests/data/batch.qrels, worked out by hand
# The run (doc level, any word), as checked just below:
#   lavrov  "Lavrov":               004 (gain 0), 002 (2), 003 (1)
#   taliban "Taliban":              004, 002, 003, 001, 000 (gain 1)
#   kalash  "Kalashnikov rifles":   000 (gain 3)
#   putin   "Putin":                judged, nothing relevant: not a judged query
#   nothing "xyzzy":                no hit: judged (001 gain 1) but not answered
# Per query (log2: log base 2):
#   lavrov: relevant 002, 003, 000 (3). DCG = 0 + 3/log2 3 + 1/log2 4 = 2.392789;
#           ideal 3, 1, 1: 3 + 1/log2 3 + 1/log2 4 = 4.130930; nDCG = 0.579237.
#           AP = (1/2 + 2/3) / 3 = 0.388889; P@10 = 0.2; R@100 = 2/3; RR = 1/2.
#   taliban: 000 at rank 5: nDCG = (1/log2 6) / 1 = 0.386853; AP = 1/5;
#           P@10 = 0.1; R@100 = 1; RR = 1/5.
#   kalash: 000 at rank 1: nDCG 1, AP 1, P@10 0.1, R@100 1, RR 1.
#   nothing: 0 everywhere.
# Means over the 4 judged queries (3 answered):
#   nDCG@10 = (0.579237 + 0.386853 + 1 + 0) / 4 = 0.491523 -> 0.4915
#   MAP     = (0.388889 + 0.2 + 1 + 0) / 4     = 0.397222 -> 0.3972
#   P@10    = (0.2 + 0.1 + 0.1 + 0) / 4        = 0.1      -> 0.1000
#   R@100   = (2/3 + 1 + 1 + 0) / 4            = 0.666667 -> 0.6667
#   MRR     = (0.5 + 0.2 + 1 + 0) / 4          = 0.425    -> 0.4250
cat >judged.tsv <<EOF
lavrov${tab}Lavrov
taliban${tab}Taliban
kalash${tab}Kalashnikov rifles
putin${tab}Putin
nothing${tab}xyzzy
EOF
run $S --batch judged.tsv -f trec
expect_rc 0 "the judged batch"
printf '%s\n' "$OUT" >a.trec
order=$(awk '{ printf "%s:%s ", $1, substr($3, 1, 3) }' a.trec)
expect_eq "$order" "lavrov:004 lavrov:002 lavrov:003 taliban:004 taliban:002 taliban:003 taliban:001 taliban:000 kalash:000 putin:004 putin:003 " \
    "the ranking the hand-worked metrics assume"

run $S --batch judged.tsv --qrels "$QRELS" --metrics-only
expect_rc 0 "--metrics-only"
expect_eq "$OUT" "judged   4
answered 3
nDCG@10  0.4915
MAP      0.3972
P@10     0.1000
R@100    0.6667
MRR      0.4250" "metrics worked out by hand"

# Metrics go to stderr when the run goes to stdout.
run $S --batch judged.tsv -f trec --qrels "$QRELS"
expect_eq "$OUT" "$(cat a.trec)" "--qrels with a TREC run: stdout holds only the run"
expect_match '^nDCG@10  0\.4915$' "$ERR" "--qrels: the metrics on stderr"
expect_match '^answered 3$' "$ERR" "--qrels: answered on stderr"

# --per-query: one row per judged query, in the reference scorer's order.
run $S --batch judged.tsv --qrels "$QRELS" --metrics-only --per-query
expect_match '^qid +nDCG@10 +AP +P@10 +R@100 +RR$' "$OUT" "--per-query header"
expect_match '^lavrov +0\.5792 +0\.3889 +0\.2000 +0\.6667 +0\.5000$' "$OUT" "--per-query lavrov"
expect_match '^taliban +0\.3869 +0\.2000 +0\.1000 +1\.0000 +0\.2000$' "$OUT" "--per-query taliban"
expect_match '^nothing +0\.0000 .*\(not answered\)$' "$OUT" "--per-query: not answered"
expect_no_match '^putin' "$OUT" "--per-query: a query without relevant documents is not judged"
rows=$(printf '%s\n' "$OUT" | awk 'NR > 1 && NF >= 6 { printf "%s ", $1 }')
expect_eq "$rows" "kalash lavrov nothing taliban " "--per-query order: shorter ids first, then bytes"

# The same figures with --jobs 2, and with json output (scored at doc level).
run $S --batch judged.tsv --qrels "$QRELS" --metrics-only -j 2
expect_match '^nDCG@10  0\.4915$' "$OUT" "--jobs 2 metrics"
run $S --batch judged.tsv --qrels "$QRELS" -f json
expect_match '^MAP      0\.3972$' "$ERR" "json run scored at doc level"

# Qrels errors name the file and line; nothing is searched.
printf 'lavrov 0 002_3dc2c840ccc121e4 2\nlavrov 0 oops\n' >bad.qrels
run $S --batch judged.tsv --qrels bad.qrels
expect_rc 2 "bad qrels"
expect_match '^passim-search: bad\.qrels:2: expected .qid 0 docid gain.$' "$ERR" "bad qrels line named"
expect_eq "$OUT" "" "nothing searched with bad qrels"

# --- the reference scorer agrees to 4 decimals (skipped when not around)
IREVAL=$top_srcdir/../shared/eval/ireval.py
if [ -f "$IREVAL" ]; then
    run $S --batch judged.tsv --qrels "$QRELS" --metrics-only
    ours=$(printf '%s\n' "$OUT" | grep -E '^(nDCG@10|MAP|P@10|R@100|MRR) ')
    theirs=$(python3 "$IREVAL" "$QRELS" a.trec | grep -E '^(nDCG@10|MAP|P@10|R@100|MRR) ')
    expect_eq "$ours" "$theirs" "metrics equal to ireval.py's"
    expect_match '^queries=4 answered=3$' "$(python3 "$IREVAL" "$QRELS" a.trec)" "ireval counts"
    # Passage-level and 2-result runs too (all 0 for passage ids, other depths).
    run $S --batch judged.tsv --qrels "$QRELS" --metrics-only -n 2
    ours=$(printf '%s\n' "$OUT" | grep -E '^(nDCG@10|MAP|P@10|R@100|MRR) ')
    $S --batch judged.tsv -f trec -n 2 >a2.trec 2>/dev/null
    theirs=$(python3 "$IREVAL" "$QRELS" a2.trec | grep -E '^(nDCG@10|MAP|P@10|R@100|MRR) ')
    expect_eq "$ours" "$theirs" "metrics at depth 2 equal to ireval.py's"
else
    echo "batch.sh: $IREVAL not found: skipping the comparison with ireval.py"
fi

# --- --compare
# B: run A with query taliban's relevant article (000) moved to the top.
#   taliban: nDCG 0.386853 -> 1, AP 0.2 -> 1; every other query unchanged.
#   Means of B: nDCG (0.579237 + 1 + 1) / 4 = 0.644809, MAP (0.388889 + 2) / 4
#   = 0.597222, MRR (0.5 + 2) / 4 = 0.625.
#   B vs A: 1 win, 3 ties, 0 losses on both metrics. The only non-zero
#   difference x keeps |sum| = x under every sign flip: randomisation p = 1.
#   t-test: differences (x, 0, 0, 0): mean x/4, sd x/2, t = (x/4) / (x/2 / 2) = 1
#   with 3 degrees of freedom: p = 2 (1 - F(1)), F(1) = 1/2 + (1/pi)
#   (t/sqrt 3 / (1 + t^2/3) + atan(t/sqrt 3)) = 0.804499: p = 0.3910.
sed 's/^taliban Q0 000_15c4c714383f619c 5 [0-9.]* passim$/taliban Q0 000_15c4c714383f619c 1 9.000000 passim/' \
    a.trec >b.trec
run $PASSIM_SEARCH --compare a.trec b.trec --qrels "$QRELS"
expect_rc 0 "--compare"
compare_out=$OUT
if run_full_disk $PASSIM_SEARCH --compare a.trec b.trec --qrels "$QRELS"; then
    expect_rc 2 "--compare to a full disk"
fi
OUT=$compare_out
expect_match '^nDCG@10 +0\.4915 +0\.6448 +\+0\.1533$' "$OUT" "--compare: nDCG@10 side by side"
expect_match '^MAP +0\.3972 +0\.5972 +\+0\.2000$' "$OUT" "--compare: MAP side by side"
expect_match '^MRR +0\.4250 +0\.6250 +\+0\.2000$' "$OUT" "--compare: MRR side by side"
expect_match '^answered +3 +3$' "$OUT" "--compare: answered"
expect_match '^nDCG@10 +1 +3 +0 +1\.0000 +0\.3910$' "$OUT" "--compare: nDCG@10 wins/ties/losses, p-values"
expect_match '^AP +1 +3 +0 +1\.0000 +0\.3910$' "$OUT" "--compare: AP wins/ties/losses, p-values"
run $PASSIM_SEARCH --compare b.trec a.trec --qrels "$QRELS"
expect_match '^nDCG@10 +0 +3 +1 ' "$OUT" "--compare the other way: a loss"
run $PASSIM_SEARCH --compare a.trec a.trec --qrels "$QRELS"
expect_match '^nDCG@10 +0 +4 +0 +1\.0000 +1\.0000$' "$OUT" "a run against itself: no win, no loss, p = 1"
expect_match '^AP +0 +4 +0 +1\.0000 +1\.0000$' "$OUT" "a run against itself (AP)"
run $PASSIM_SEARCH --compare a.trec b.trec --qrels "$QRELS" --per-query
expect_match '^taliban +0\.3869 +1\.0000 +0\.2000 +1\.0000$' "$OUT" "--compare --per-query"
# An id longer than the first column widens it for every row.
printf 'averyveryverylongqid 0 a 1\n1 0 a 1\n' > long.qrels
printf 'averyveryverylongqid Q0 a 1 1 t\n1 Q0 a 1 1 t\n' > long.trec
run $PASSIM_SEARCH --compare long.trec long.trec --qrels long.qrels --per-query
expect_match '^qid {18}nDCG@10 A' "$OUT" "--compare --per-query, a long id: the header widened"
expect_match '^1 {20}  +1\.0000' "$OUT" "--compare --per-query, a long id: the short id's row too"
expect_match '^averyveryverylongqid {4}1\.0000' "$OUT" "--compare --per-query, a long id: its row"
run $PASSIM_SEARCH --compare a.trec b.trec
expect_rc 2 "--compare without --qrels"
run $PASSIM_SEARCH --compare a.trec --qrels "$QRELS"
expect_rc 2 "--compare with one run"
printf 'lavrov Q0 x 1\n' >short.trec
run $PASSIM_SEARCH --compare a.trec short.trec --qrels "$QRELS"
expect_rc 2 "--compare with a bad run"
expect_match 'short\.trec:1: expected' "$ERR" "bad run line named"

# A TREC page that the same article in two indexes leaves empty found nothing.
mkdir -p twin/a twin/b
printf 'Beveled plates\n\nFlat plates with beveled edges.\n' >twin/a/1.txt
cp twin/a/1.txt twin/b/1.txt
$PASSIM_INDEX -q --db twin/a.db twin/a >/dev/null && $PASSIM_INDEX -q --db twin/b.db twin/b >/dev/null ||
    fail "indexing the twins"
printf 'q1\tbeveled\n' >twin/q.tsv
run $PASSIM_SEARCH --db twin/a.db --db twin/b.db --batch twin/q.tsv -f trec -n 1
expect_eq "$OUT" "q1 Q0 1 1 $(printf '%s' "$OUT" | cut -d' ' -f5) passim" "the twins are one line"
run $PASSIM_SEARCH --db twin/a.db --db twin/b.db --batch twin/q.tsv -f trec -n 1 --offset 1
expect_rc 1 "the page after the twins: nothing found"
expect_eq "$OUT" "" "the page after the twins is empty"
expect_match ' 0 failed, 0 with results;' "$ERR" "and the summary says so"
expect_match '^passim-search: 1 query had results, all before --offset 1$' "$ERR" \
    "and that they are all before the offset"

# A comment after Unicode blanks is skipped as one after spaces is.
printf '\302\240# topics\n\343\200\200\f# more\nq1\tTaliban\n' >ucomment.tsv
run $S --batch ucomment.tsv -f trec -n 1
expect_rc 0 "comments after Unicode blanks: the batch runs"
expect_eq "$(printf '%s\n' "$OUT" | cut -d' ' -f1)" "q1" "and they are no queries"

# Lines whose ids are bad are failed queries, not a repeated id: the TREC run
# goes on with the others.
printf 'q 1\tTaliban\nq 1\tMoscow\nq2\tLavrov\n' >badids.tsv
run $S --batch badids.tsv -f trec -n 1
expect_rc 2 "bad ids: the batch fails"
expect_match '^passim-search: badids\.tsv:2: query q 1: bad query id' "$ERR" "each bad id is named"
expect_no_match 'already given' "$ERR" "bad ids are no repeated ids"
expect_eq "$(printf '%s\n' "$OUT" | cut -d' ' -f1)" "q2" "the good query is answered"

# --compare scores runs as they are: options that shape a ranking are refused;
# those of searching, in a command kept for both, are not.
printf 'q1 Q0 001_4f2621a6beb63337 1 2.5 a\n' >c1.trec
run $S --compare c1.trec c1.trec --qrels "$QRELS" -n 10
expect_rc 2 "--compare -n: refused"
expect_match '^passim-search: --limit does nothing with --compare' "$ERR" "--compare -n: said so"
run $S --compare c1.trec c1.trec --qrels "$QRELS" --level passage
expect_match '^passim-search: --level does nothing with --compare' "$ERR" "--compare --level: said so"
run $S --compare c1.trec c1.trec --qrels "$QRELS"
expect_rc 0 "--compare with --db and --feedback given"
# A score is a decimal number, as the reference scorer reads it.
printf 'q1 Q0 001_4f2621a6beb63337 1 0x10 a\n' >hex.trec
run $S --compare c1.trec hex.trec --qrels "$QRELS"
expect_rc 2 "a hexadecimal score: refused"
expect_match '^passim-search: hex\.trec:1: the score is not a number' "$ERR" "and named"

finish
