/*
 * fuzz_tokenize.c — fuzz harness of the tokenizer and the analyzer (text/):
 * any bytes go through text_tokenize() and text_analyze() with the english
 * stemmer and its stopwords, and every token must keep the promises of
 * text.h: offsets inside the input and increasing, positions consecutive,
 * words non-empty, at most TEXT_TOKEN_MAX bytes, valid UTF-8 and folded
 * already (folding a token's word again gives the same word, which is what
 * lets the query side fold words it cut itself), and a token of an
 * ideograph or hiragana holds no other. Both passes must cut the same
 * tokens, and so must text_tokenize_plain() and text_analyze_plain().
 * The Markdown line cleaner and the title finder, which share the
 * tokenizer's character classes, are checked on the same bytes, and so are
 * the word lists of "did you mean", read as a list (spell.h).
 */
#include <string.h>

#include "fuzz.h"
#include "spell.h"
#include "text_internal.h"

/* Token flags text.h defines; any other bit is garbage. */
#define KNOWN_FLAGS \
    (TEXT_TOK_JOINED | TEXT_TOK_ACRONYM | TEXT_TOK_NUMBER | TEXT_TOK_SENTENCE_END | \
     TEXT_TOK_CAPITALS | TEXT_TOK_HYPHEN_BEFORE | TEXT_TOK_HYPHEN_AFTER | TEXT_TOK_IDEO | \
     TEXT_TOK_IDEO_TOUCHING)

/* Tokens remembered from the first pass, to compare with the second. */
#define MAX_SEEN 4096

typedef struct seen {
    size_t start, end;
    unsigned flags;
    size_t word_len;
    char word[TEXT_TOKEN_MAX + 1];
} seen_t;

typedef struct tok_check {
    const char *text;
    size_t len;
    uint32_t first_pos;
    size_t n;               /* tokens so far */
    size_t prev_end;
    unsigned prev_flags;
    uint32_t prev_pos;
    seen_t *seen;           /* first pass: filled; second pass: compared */
    bool compare;
    text_analyzer_t *a;
} tok_check_t;

static void check_token(tok_check_t *c, const text_token_t *t)
{
    FUZZ_CHECK(t->start < t->end && t->end <= c->len, "token [%zu, %zu) in %zu bytes",
               t->start, t->end, c->len);
    FUZZ_CHECK(c->n == 0 || t->start >= c->prev_end, "token at %zu overlaps the one ending %zu",
               t->start, c->prev_end);
    FUZZ_CHECK(c->n == 0 ? t->pos == c->first_pos
                         : t->pos == c->prev_pos + 1 || t->pos == c->prev_pos + 1 + TEXT_BLOCK_GAP,
               "token %zu has position %u after %u", c->n, (unsigned)t->pos,
               (unsigned)c->prev_pos);
    /* A block boundary is a line break or a table cell's bar. */
    if (c->n > 0 && t->pos != c->prev_pos + 1) {
        bool gap = false;
        for (size_t k = c->prev_end; k < t->start && !gap; k++)
            gap = c->text[k] == '\n' || c->text[k] == '\r' || c->text[k] == '|';
        FUZZ_CHECK(gap, "positions skip between [%zu, %zu) with no line break or bar",
                   c->prev_end, t->start);
    }
    FUZZ_CHECK(t->word_len >= 1 && t->word_len <= TEXT_TOKEN_MAX, "word of %zu bytes",
               t->word_len);
    FUZZ_CHECK(t->word[t->word_len] == '\0', "word not NUL-terminated");
    FUZZ_CHECK(fuzz_utf8_ok(t->word, t->word_len), "word '%s' is not valid UTF-8", t->word);
    FUZZ_CHECK((t->flags & ~(unsigned)KNOWN_FLAGS) == 0, "flags %#x", t->flags);
    FUZZ_CHECK(!(t->flags & TEXT_TOK_CAPITALS) || !(t->flags & (TEXT_TOK_ACRONYM | TEXT_TOK_NUMBER)),
               "capitals with acronym or number: flags %#x", t->flags);
    FUZZ_CHECK(c->n > 0 || !(t->flags & TEXT_TOK_JOINED), "first token joined");
    FUZZ_CHECK(!(t->flags & TEXT_TOK_JOINED) || (t->flags & TEXT_TOK_HYPHEN_BEFORE),
               "joined with no hyphen before: flags %#x", t->flags);
    /* An ideograph or hiragana is a word by itself: one, with its marks
     * (which folding may turn into letters: U+0345 is iota). */
    if (t->flags & TEXT_TOK_IDEO) {
        const unsigned char *w = (const unsigned char *)t->word;
        size_t cl;
        FUZZ_CHECK(text__classify(w, t->word_len, 0, &cl) == TEXT__C_U_IDEO,
                   "ideograph token '%s' starts otherwise", t->word);
        for (size_t k = cl; k < t->word_len; k += cl)
            FUZZ_CHECK(text__classify(w, t->word_len, k, &cl) != TEXT__C_U_IDEO,
                       "ideograph token '%s' holds another", t->word);
    }
    /* One touches the one before: both ideographs, nothing visible between. */
    if (t->flags & TEXT_TOK_IDEO_TOUCHING) {
        FUZZ_CHECK((t->flags & TEXT_TOK_IDEO) && c->n > 0 && (c->prev_flags & TEXT_TOK_IDEO),
                   "touching, but not an ideograph after one: flags %#x, before %#x", t->flags,
                   c->prev_flags);
        for (size_t k = c->prev_end; k < t->start; k++)
            FUZZ_CHECK((unsigned char)c->text[k] >= 0x80, "touching across byte %#x at %zu",
                       (unsigned char)c->text[k], k);
    }
    for (size_t k = 0; k < t->word_len; k++) {
        unsigned char ch = (unsigned char)t->word[k];
        FUZZ_CHECK(ch > ' ' && ch != 0x7F, "word '%s' holds byte %#x", t->word, ch);
    }

    /* Folding is the tokenizer's last step: a folded word folds to itself. */
    char again[TEXT_TOKEN_MAX + 1];
    size_t n = text_fold(t->word, t->word_len, again, sizeof again);
    FUZZ_CHECK(n == t->word_len && memcmp(again, t->word, n) == 0,
               "word '%s' folds again to '%s' (%zu bytes)", t->word, again, n);

    if (c->n < MAX_SEEN) {
        seen_t *s = &c->seen[c->n];
        if (!c->compare) {
            s->start = t->start;
            s->end = t->end;
            s->flags = t->flags;
            s->word_len = t->word_len;
            memcpy(s->word, t->word, t->word_len + 1);
        } else {
            FUZZ_CHECK(s->start == t->start && s->end == t->end && s->flags == t->flags &&
                           s->word_len == t->word_len && memcmp(s->word, t->word, s->word_len) == 0,
                       "token %zu differs between text_tokenize and text_analyze", c->n);
        }
    }
    c->prev_end = t->end;
    c->prev_flags = t->flags;
    c->prev_pos = t->pos;
    c->n++;
}

static int on_token(const text_token_t *t, void *payload)
{
    check_token(payload, t);
    return 0;
}

/* A hyphenated word's parts joined: right after its second part, the two
 * parts' words one after the other, over their bytes, at the first's
 * position. */
static void check_compound(tok_check_t *c, const text_token_t *t)
{
    FUZZ_CHECK(c->n >= 2, "compound '%s' after %zu tokens", t->word, c->n);
    FUZZ_CHECK(t->end == c->prev_end && t->pos == c->prev_pos - 1 && t->flags == 0,
               "compound '%s' [%zu, %zu) at %u after a token ending %zu at %u", t->word,
               t->start, t->end, (unsigned)t->pos, c->prev_end, (unsigned)c->prev_pos);
    FUZZ_CHECK(t->word_len <= TEXT_TOKEN_MAX && t->word[t->word_len] == '\0',
               "compound of %zu bytes", t->word_len);
    if (c->n <= MAX_SEEN) {
        const seen_t *first = &c->seen[c->n - 2], *second = &c->seen[c->n - 1];
        FUZZ_CHECK(!(first->flags & TEXT_TOK_JOINED) && (second->flags & TEXT_TOK_JOINED)
                       && !((first->flags | second->flags)
                            & (TEXT_TOK_NUMBER | TEXT_TOK_ACRONYM | TEXT_TOK_IDEO)),
                   "compound '%s' of parts flagged %#x and %#x", t->word, first->flags,
                   second->flags);
        FUZZ_CHECK(t->start == first->start && t->word_len == first->word_len + second->word_len
                       && memcmp(t->word, first->word, first->word_len) == 0
                       && memcmp(t->word + first->word_len, second->word, second->word_len) == 0,
                   "compound '%s' of '%s' and '%s'", t->word, first->word, second->word);
    }
}

static int on_term(const text_term_t *term, void *payload)
{
    tok_check_t *c = payload;
    if (term->compound)
        check_compound(c, term->tok);
    else
        check_token(c, term->tok);
    FUZZ_CHECK(term->stem != NULL && term->stem[term->stem_len] == '\0', "stem not terminated");
    FUZZ_CHECK(fuzz_utf8_ok(term->stem, term->stem_len), "stem of '%s' is not valid UTF-8",
               term->tok->word);
    FUZZ_CHECK(term->stopword == text_is_stopword(c->a, term->tok), "stopword flag of '%s'",
               term->tok->word);
    return 0;
}

/* A callback that stops the tokenizer: its value must come back. */
static int stop_at_third(const text_token_t *t, void *payload)
{
    (void)t;
    size_t *n = payload;
    return ++*n == 3 ? 42 : 0;
}

/* One analyzer for the whole run, as the indexer keeps one per thread: its
 * stem cache fills and is emptied across inputs, which is worth fuzzing. */
static text_analyzer_t *analyzer;

static text_analyzer_t *english(void)
{
    return fuzz_english(&analyzer);
}

static void check_clean_line(const char *s, size_t len)
{
    /* A small buffer too, so that the cut at a character boundary is tried. */
    static const size_t caps[] = { 1, 7, 256 };
    for (size_t k = 0; k < sizeof caps / sizeof caps[0]; k++) {
        char out[256];
        size_t n = text_clean_line(s, len, out, caps[k]);
        FUZZ_CHECK(n < caps[k] && out[n] == '\0', "clean line of %zu bytes in %zu", n, caps[k]);
        FUZZ_CHECK(fuzz_utf8_ok(out, n), "clean line is not valid UTF-8");
        FUZZ_CHECK(n == 0 || (out[0] != ' ' && out[n - 1] != ' '), "clean line not trimmed");
        const unsigned char *u = (const unsigned char *)out;
        for (size_t i = 0; i < n;) {
            size_t cl = u[i] < 0x80 ? 1 : u[i] >= 0xF0 ? 4 : u[i] >= 0xE0 ? 3 : 2;
            uint32_t cp = fuzz_code_point(u + i, cl);
            FUZZ_CHECK(!fuzz_is_hostile(cp), "clean line keeps U+%04X at %zu", (unsigned)cp, i);
            i += cl;
        }
    }
}

/* The bytes as a word list: merged with nothing, only its well-formed lines
 * remain, and merging that with itself doubles every count (to the cap);
 * suggestions for its first line's word are never that word (though they may
 * be no edit from it, differing in apostrophes or accents alone: "wont" and
 * "won't"). */
static void check_word_list(const char *s, size_t size)
{
    text_buf_t clean = TEXT_BUF_INIT, twice = TEXT_BUF_INIT;
    FUZZ_CHECK(text_spell_merge(&clean, s, size, NULL, 0), "merge failed");
    FUZZ_CHECK(clean.len <= size, "merged list of %zu bytes from %zu", clean.len, size);
    FUZZ_CHECK(text_spell_merge(&twice, clean.data, clean.len, clean.data, clean.len),
               "merge failed");
    FUZZ_CHECK(twice.len >= clean.len, "self-merge shrank %zu to %zu", clean.len, twice.len);
    const char *tab = clean.len ? memchr(clean.data, '\t', clean.len) : NULL;
    if (tab) {
        text_spell_best_t best;
        size_t wlen = (size_t)(tab - clean.data);
        if (text_spell_best_init(&best, clean.data, wlen)) {
            FUZZ_CHECK(text_spell_best_scan(&best, s, size), "scan failed");
            FUZZ_CHECK(!best.found || best.word.len != wlen
                           || memcmp(best.word.data, clean.data, wlen) != 0,
                       "suggested the word itself");
        }
        text_spell_best_free(&best);
    }
    text_buf_free(&clean);
    text_buf_free(&twice);
}

int passim_fuzz_tokenize(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    static seen_t seen[MAX_SEEN];
    text_analyzer_t *a = english();

    /* The first position comes from the input so that large ones are tried. */
    uint32_t first_pos = size > 0 ? (uint32_t)data[0] * 1000u : 0;
    tok_check_t c = { .text = s, .len = size, .first_pos = first_pos, .seen = seen, .a = a };
    FUZZ_CHECK(text_tokenize(s, size, first_pos, on_token, &c) == 0, "tokenize failed");
    size_t n_tokens = c.n;

    tok_check_t c2 = { .text = s, .len = size, .first_pos = first_pos, .seen = seen,
                        .compare = true, .a = a };
    FUZZ_CHECK(text_analyze(a, s, size, first_pos, on_term, &c2) == 0, "analyze failed");
    FUZZ_CHECK(c2.n == n_tokens, "%zu tokens, then %zu analysed", n_tokens, c2.n);

    /* Read plainly, as a title is, the same promises hold. */
    tok_check_t p1 = { .text = s, .len = size, .first_pos = first_pos, .seen = seen, .a = a };
    FUZZ_CHECK(text_tokenize_plain(s, size, first_pos, on_token, &p1) == 0, "plain tokenize failed");
    tok_check_t p2 = { .text = s, .len = size, .first_pos = first_pos, .seen = seen,
                       .compare = true, .a = a };
    FUZZ_CHECK(text_analyze_plain(a, s, size, first_pos, on_term, &p2) == 0,
               "plain analyze failed");
    FUZZ_CHECK(p2.n == p1.n, "%zu plain tokens, then %zu analysed", p1.n, p2.n);

    size_t stops = 0;
    int rc = text_tokenize(s, size, 0, stop_at_third, &stops);
    FUZZ_CHECK(n_tokens >= 3 ? rc == 42 && stops == 3 : rc == 0 && stops == n_tokens,
               "stopping callback: rc %d after %zu of %zu tokens", rc, stops, n_tokens);

    /* Lines for display, and the title line. */
    const char *nl = memchr(s, '\n', size);
    check_clean_line(s, nl ? (size_t)(nl - s) : size);
    check_clean_line(s, size);
    size_t fs = 0, fe = 0, fm = text_front_matter(s, size, &fs, &fe);
    FUZZ_CHECK(fm <= size && fs <= fe && fe <= fm, "front matter %zu, title [%zu, %zu) in %zu bytes",
               fm, fs, fe, size);
    FUZZ_CHECK(fm == 0 || fm >= 7, "front matter of %zu bytes", fm);
    size_t ts = 0, te = 0;
    if (text_first_line(s, size, &ts, &te)) {
        FUZZ_CHECK(fs == fe || (ts == fs && te == fe), "title [%zu, %zu), front matter's [%zu, %zu)",
                   ts, te, fs, fe);
        FUZZ_CHECK(ts <= te && te <= size, "title line [%zu, %zu) in %zu bytes", ts, te, size);
        /* A word, though perhaps one too long to be a token (CJK text). */
        bool word = false;
        for (size_t i = ts; i < te && !word; i++)
            word = text_is_word_char(s, te, i);
        FUZZ_CHECK(word, "a title line [%zu, %zu) without a word character", ts, te);
    } else {
        FUZZ_CHECK(n_tokens == 0, "no title line, yet %zu tokens", n_tokens);
    }
    /* The title as written: in s, or its quoting undone (never longer). */
    text_buf_t source = TEXT_BUF_INIT;
    text_title_t title;
    FUZZ_CHECK(text_title_source(s, size, &source, &title), "title source failed");
    FUZZ_CHECK(title.len == 0 || (title.text >= s && title.text + title.len <= s + size)
                   || (title.text == source.data && title.len == source.len),
               "title source of %zu bytes lies outside the text and the buffer", title.len);
    FUZZ_CHECK(title.len <= size, "title source of %zu bytes from %zu", title.len, size);
    check_clean_line(title.text, title.len);
    char plain[64];
    size_t plain_len = text_clean_plain(title.text, title.len, plain, sizeof plain);
    FUZZ_CHECK(plain_len < sizeof plain && plain[plain_len] == '\0'
                   && text_utf8_valid_len(plain, plain_len) == plain_len,
               "plain title of %zu bytes not valid", plain_len);
    text_buf_free(&source);

    /* UTF-8 helpers on the same bytes. */
    size_t valid = text_utf8_valid_len(s, size);
    FUZZ_CHECK(valid <= size, "valid length %zu of %zu", valid, size);
    for (size_t n = 0; n <= size && n < 16; n++) {
        size_t f = text_utf8_floor(s, size, n);
        FUZZ_CHECK(f <= n && n - f <= 3, "floor of %zu is %zu", n, f);
    }
    FUZZ_CHECK(text_hash64(s, size) == text_hash64(s, size), "hash not stable");
    check_word_list(s, size);
    return 0;
}

void passim_fuzz_tokenize_free(void)
{
    fuzz_english_free(&analyzer);
}

PASSIM_FUZZ_ENTRY(passim_fuzz_tokenize)
