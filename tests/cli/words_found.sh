#!/bin/sh
# words_found.sh — every word of an article, typed as a query the way the
# article writes it, finds that article: the indexer and the query parser cut,
# fold and stem words alike (text/), whatever the word's punctuation, script
# or markup.
#
# The articles: the bundled corpus, and generated ones in plain text and in
# Markdown (headings, lists, quotes, tables, emphasis, code spans) that mix
# common words with hard ones: apostrophes straight and curly, hyphens,
# acronyms with dots, numbers with separators, accents, other scripts (marks
# included), ligatures and full-width letters, symbols inside words. Every
# piece of an article between spaces gives up to three queries: the piece
# without the quotes, brackets and punctuation a sentence puts around it, with
# and without a full stop (`"U.S.-Taliban",` is `U.S.-Taliban`; `U.S.` is
# `U.S.` and `U.S`), and the piece between its first and last letter or digit
# (`Talks](#)` is `Talks`); one still holding a quote or a bracket is query
# syntax (`Talks](#`), and no query, as is a piece with no letter or digit.
# One batch answers them all (--all, TREC run, articles), and each query must
# list every article whose text gave it.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/cli/lib.sh"

cd "$T"
mkdir articles
cp "$CORPUS"/*.txt articles/
python3 - "$T/articles" <<'EOF'
import os, random, sys
out = sys.argv[1]
rnd = random.Random(7)
hard = """don't O'Neill Russia's rock'n'roll teachers' ’tis Kabul’s O’Brien’s Ahmadzai’s
isn't can't won't y'all o'clock ma'am I'm we've '80s L'Oréal l'école dell'anno aujourd'hui
U.S.-Taliban e-mail e-mail's well-known 1990-91 co-founder co-op x-ray Moscow-held
self-driving mid-2019 post-Soviet anti-Taliban non-NATO re-elected über-rich naïve-ish
Al-Qaeda al-Qaeda Abu-Dhabi F-16 MiG-29 S-400 COVID-19 H1N1 G-20 3-4-5 a-b-c-d 50-50
U.S. e.g. i.e. a.m. Ph.D. U.K.-based N.Y. A.I. Dr. Jr. etc. vs. No.1 #1
1.35 v2.0 3.14159 14,000 1,234,567 0.5% 10% $5 €10 £3.50 2024-01-05 10:30 3:1 9/11 1/2
1st 22nd 100th 5kg 4x4 3D B2B G7 x86_64 UTF-8 ISO-8859-1
café naïve naïveté Zürich Łódź résumé Kırmızı straße Ærø Øresund fiancée façade
coöperate jalapeño Ångström São Москва привет Ελλάδα λόγος 経済 東京 ソニー 한국어
שלום مرحبا नमस्ते สวัสดี ½ x² ﬁnance ＡＢＣ Ⅻ ٣٤
AT&T and/or 24/7 C++ C# .NET Node.js #hashtag @mention snake_case camelCase NATO
hello—world dash–dash ellipsis… semi;colon colon:word slash/word hello...world
end.Start www.example.com user@example.com""".split()
plain = """the of and to in talks peace Moscow Kabul government official said would
meeting delegation minister foreign country security regional Afghan Russian
analysts economy market shares trading prices oil gas billion dollars""".split()

def words(n):
    return [rnd.choice(hard) if rnd.random() < 0.35 else rnd.choice(plain) for _ in range(n)]

def sentence(n):
    w = words(n)
    for i in range(len(w)):
        if rnd.random() < 0.08:
            w[i] += rnd.choice('.,;:!?')
        elif rnd.random() < 0.04:
            w[i] = rnd.choice(['"%s"', '(%s)', '“%s”', '[%s]']) % w[i]
    return ' '.join(w)

for f in range(8):
    paragraphs = [sentence(rnd.randint(10, 60)) for _ in range(rnd.randint(2, 5))]
    with open(os.path.join(out, 'plain%d.txt' % f), 'w', encoding='utf-8') as fh:
        fh.write('Title number %d\n\n' % f + '\n\n'.join(paragraphs) + '\n')
for f in range(8):
    lines = ['# ' + ' '.join(words(4)), '']
    for _ in range(rnd.randint(3, 8)):
        kind = rnd.choice(['p', 'h', 'ul', 'ol', 'quote', 'table', 'em', 'code'])
        w = words(rnd.randint(3, 24))
        if kind == 'p':
            lines.append(sentence(rnd.randint(5, 30)))
        elif kind == 'h':
            lines.append('#' * rnd.randint(2, 4) + ' ' + ' '.join(w[:5]))
        elif kind == 'ul':
            lines += ['- ' + ' '.join(w[i:i + 4]) for i in range(0, len(w), 4)]
        elif kind == 'ol':
            lines += ['%d. ' % (i // 4 + 1) + ' '.join(w[i:i + 4]) for i in range(0, len(w), 4)]
        elif kind == 'quote':
            lines += ['> ' + ' '.join(w[i:i + 6]) for i in range(0, len(w), 6)]
        elif kind == 'table':
            lines += ['| a | b |', '|---|---|']
            lines += ['| %s | %s |' % (w[i], w[i + 1]) for i in range(0, len(w) - 1, 2)]
        elif kind == 'em':
            lines.append(' '.join(rnd.choice(['**%s**', '*%s*', '%s', '%s']) % x for x in w))
        else:
            lines.append(' '.join(rnd.choice(['`%s`', '%s', '%s']) % x for x in w))
        lines.append('')
    with open(os.path.join(out, 'notes%d.md' % f), 'w', encoding='utf-8') as fh:
        fh.write('\n'.join(lines))
EOF
[ $? -eq 0 ] && pass || fail "the articles could not be written"

run $PASSIM_INDEX -q --db db articles
expect_rc 0 "index the articles"

# The queries, and for each the articles that gave it (expected.tsv).
python3 - articles queries.tsv expected.tsv <<'EOF'
import os, sys, unicodedata
src, qfile, efile = sys.argv[1:4]

def is_word_char(c):
    return unicodedata.category(c)[0] in 'LMN'

def inner(piece):
    """The piece between its first and last letter, mark or digit."""
    i, j = 0, len(piece)
    while i < j and not is_word_char(piece[i]):
        i += 1
    while j > i and not is_word_char(piece[j - 1]):
        j -= 1
    return piece[i:j]

queries = {}
for name in sorted(os.listdir(src)):
    doc = name.rsplit('.', 1)[0]
    with open(os.path.join(src, name), encoding='utf-8') as fh:
        text = fh.read()
    for piece in text.split():
        around = '"\'()[]{}<>“”‘’,;:!?*`|'
        for q in {piece.strip(around), piece.strip(around + '.'), inner(piece)}:
            # a quote or bracket left inside is query syntax, not the word
            if any(is_word_char(c) for c in q) and not any(c in q for c in '"“”()[]'):
                queries.setdefault(q, set()).add(doc)
with open(qfile, 'w', encoding='utf-8') as qf, open(efile, 'w', encoding='utf-8') as ef:
    for i, q in enumerate(sorted(queries)):
        qf.write('q%d\t%s\n' % (i, q))
        for doc in sorted(queries[q]):
            ef.write('q%d\t%s\t%s\n' % (i, doc, q))
EOF
[ $? -eq 0 ] && pass || fail "the queries could not be made"
n_queries=$(wc -l <queries.tsv)
[ "$n_queries" -gt 1000 ] && pass || fail "only $n_queries queries"

run $PASSIM_SEARCH --db db --batch queries.tsv --all -f trec -n 1000 --no-progress
expect_no_crash "the batch of every word" "0"
expect_match " 0 failed," "$ERR" "no query of a word is refused"
printf '%s\n' "$OUT" >run.trec

# Every (query, article) of expected.tsv is in the run.
missed=$(awk 'NR == FNR { found[$1 " " $3] = 1; next }
              !(($1 " " $2) in found) { print "  " $3 " (" $1 "): not found in " $2 }' \
             run.trec expected.tsv)
expect_eq "$missed" "" "every word finds its articles"
[ -n "$missed" ] && printf '%s\n' "$missed" | head -40 >&2

finish
