/*
 * fuzz_passages.c — fuzz harness of the passage splitter (text_passages()):
 * any bytes are cut with the default bounds and with a few odd ones (tiny,
 * minimum above maximum), and the passages must be what text.h promises: in
 * document order and numbered so, non-overlapping, inside the input, trimmed,
 * never longer than the maximum, never ending inside a UTF-8 character of
 * valid text, with line numbers that match the newlines before them and a
 * heading that is a "#" line standing before the passage, each holding a word
 * read alone. Together they must cover every word of the input.
 */
#include <string.h>

#include "fuzz.h"
#include "text_internal.h"

/* text_passages() never honours a maximum below this (passage.c). */
#define MIN_MAX_BYTES 16

typedef struct span {
    size_t start, end;
} span_t;

typedef struct pass_check {
    const char *s;
    size_t len;
    size_t max_bytes;
    bool valid_utf8;
    uint32_t n;
    size_t prev_end;
    span_t *spans;          /* every passage, for the coverage check */
    size_t cap;
    size_t line_pos;        /* line cursor: offset ... */
    uint32_t line_no;       /* ... and the line it is on */
} pass_check_t;

static bool is_space_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Line number of pos, counted by a cursor that only moves forward (passages
 * come in order), so that checking stays linear. */
static uint32_t line_at(pass_check_t *c, size_t pos)
{
    for (; c->line_pos < pos; c->line_pos++)
        c->line_no += c->s[c->line_pos] == '\n';
    return c->line_no;
}

static int first_token(const text_token_t *tok, void *payload)
{
    (void)tok;
    (void)payload;
    return 1;
}

static int on_passage(const text_passage_t *p, void *payload)
{
    pass_check_t *c = payload;
    const char *s = c->s;
    FUZZ_CHECK(p->ordinal == c->n, "passage %u comes as number %u", (unsigned)c->n,
               (unsigned)p->ordinal);
    FUZZ_CHECK(p->start < p->end && p->end <= c->len, "passage [%zu, %zu) in %zu bytes",
               p->start, p->end, c->len);
    FUZZ_CHECK(c->n == 0 || p->start >= c->prev_end, "passage at %zu overlaps the one ending %zu",
               p->start, c->prev_end);
    size_t crs = 0; /* the "\r" of "\r\n", not counted */
    for (size_t i = p->start; i + 1 < p->end; i++)
        crs += s[i] == '\r' && s[i + 1] == '\n';
    FUZZ_CHECK(p->end - p->start - crs <= c->max_bytes,
               "passage of %zu bytes (%zu of them the \\r of \\r\\n), maximum %zu",
               p->end - p->start, crs, c->max_bytes);
    FUZZ_CHECK(!is_space_byte((unsigned char)s[p->start]) &&
                   !is_space_byte((unsigned char)s[p->end - 1]),
               "passage [%zu, %zu) not trimmed", p->start, p->end);
    text_open_fence_t fence = p->fence;
    FUZZ_CHECK(text_tokenize_in(s + p->start, p->end - p->start, 0, &fence, first_token, NULL),
               "passage [%zu, %zu) without a word, read alone", p->start, p->end);
    if (c->valid_utf8) {
        FUZZ_CHECK(((unsigned char)s[p->start] & 0xC0) != 0x80, "passage starts inside a character");
        FUZZ_CHECK(p->end == c->len || ((unsigned char)s[p->end] & 0xC0) != 0x80,
                   "passage ends inside a character at %zu", p->end);
    }
    uint32_t first = line_at(c, p->start), last = line_at(c, p->end - 1);
    FUZZ_CHECK(p->first_line == first && p->last_line == last,
               "passage [%zu, %zu) on lines %u-%u, counted %u-%u", p->start, p->end,
               (unsigned)p->first_line, (unsigned)p->last_line, (unsigned)first, (unsigned)last);
    size_t line_start = p->start;
    while (line_start > 0 && s[line_start - 1] != '\n')
        line_start--;
    size_t column = p->start - line_start + 1;
    FUZZ_CHECK(p->first_column == column, "passage at %zu in column %u, counted %zu", p->start,
               (unsigned)p->first_column, column);
    FUZZ_CHECK(p->heading_start <= p->heading_end && p->heading_end <= c->len,
               "heading [%zu, %zu)", p->heading_start, p->heading_end);
    if (p->heading_end > p->heading_start) {
        FUZZ_CHECK(p->heading_start <= p->start, "heading at %zu after its passage at %zu",
                   p->heading_start, p->start);
        size_t k = p->heading_start; /* "#" after at most three spaces */
        while (k < p->heading_end && k - p->heading_start < 3 && s[k] == ' ')
            k++;
        FUZZ_CHECK((s[k] == '#' || text_is_underlined(s, c->len, p->heading_end)) &&
                       (p->heading_start == 0 || s[p->heading_start - 1] == '\n'),
                   "heading at %zu is neither a '#' line nor underlined", p->heading_start);
        FUZZ_CHECK(memchr(s + p->heading_start, '\n', p->heading_end - p->heading_start) == NULL,
                   "heading spans lines");
    }
    FUZZ_CHECK(p->fence.c == 0 ? p->fence.n == 0
                               : (p->fence.c == '`' || p->fence.c == '~') && p->fence.n >= 3,
               "passage at %zu in a block of fence '%c' x %u", p->start, p->fence.c ? p->fence.c : '0',
               (unsigned)p->fence.n);
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        span_t *v = realloc(c->spans, cap * sizeof *v);
        FUZZ_CHECK(v != NULL, "out of memory");
        c->spans = v;
        c->cap = cap;
    }
    c->spans[c->n].start = p->start;
    c->spans[c->n].end = p->end;
    c->prev_end = p->end;
    c->n++;
    return 0;
}

/* Every word character of every word of the whole text lies in a passage
 * (passages come sorted, and so do words). What the tokenizer passes over
 * may lie in none: a terminal escape sequence ("\033i"), a link's address
 * ("](img/cover.jpg)"), word characters too many in a row to be a word; and
 * so may what snippets hide inside a word, a link's address that the word
 * goes on past ("[GPU](cut/here)s"). */
typedef struct cover {
    const pass_check_t *c;
    size_t k;               /* the first passage that does not end before */
    bool *hidden;           /* the bytes snippets hide, or NULL */
} cover_t;

static int mark_hidden(size_t start, size_t end, uint32_t shown, void *payload)
{
    cover_t *v = payload;
    for (size_t i = start; shown == 0 && i < end && i < v->c->len; i++)
        v->hidden[i] = true;
    return 0;
}

static bool in_passage(cover_t *v, size_t i)
{
    while (v->k < v->c->n && v->c->spans[v->k].end <= i)
        v->k++;
    return v->k < v->c->n && v->c->spans[v->k].start <= i;
}

/* A hard cut may part a word's punctuation from it (the last dot of "e.g."
 * alone is no word): its word characters are what must be in passages. */
static int cover_token(const text_token_t *tok, void *payload)
{
    cover_t *v = payload;
    for (size_t i = tok->start; i < tok->end; i++)
        FUZZ_CHECK(!text_is_word_char(v->c->s, v->c->len, i) || (v->hidden && v->hidden[i])
                       || in_passage(v, i),
                   "word character at %zu, of the word at %zu, is in no passage", i, tok->start);
    return 0;
}

static void check_coverage(const pass_check_t *c)
{
    cover_t v = { c, 0, c->len ? calloc(c->len, sizeof *v.hidden) : NULL };
    if (v.hidden && text_markup_ranges(c->s, c->len, NULL, mark_hidden, &v) != 0) {
        free(v.hidden);     /* out of memory: every word character is looked at */
        v.hidden = NULL;
    }
    text_tokenize(c->s, c->len, 0, cover_token, &v);
    free(v.hidden);
}

static int stop_at_second(const text_passage_t *p, void *payload)
{
    (void)p;
    unsigned *n = payload;
    return ++*n == 2 ? 7 : 0;
}

int passim_fuzz_passages(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    /* The default bounds, tiny ones (hard cuts everywhere), a minimum above
     * the maximum, and no minimum at all. */
    static const text_passage_opts_t opts[] = {
        TEXT_PASSAGE_OPTS_INIT, { 0, 1 }, { 8, 24 }, { 500, 40 }, { 0, 300 },
    };
    bool valid = text_utf8_valid_len(s, size) == size;
    size_t n_default = 0;
    for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++) {
        size_t max = opts[k].max_bytes < MIN_MAX_BYTES ? MIN_MAX_BYTES : opts[k].max_bytes;
        pass_check_t c = { s, size, max, valid, 0, 0, NULL, 0, 0, 1 };
        FUZZ_CHECK(text_passages(s, size, &opts[k], on_passage, &c) == 0, "passages failed");
        check_coverage(&c);
        if (k == 0)
            n_default = c.n;
        free(c.spans);
    }
    /* NULL options are the defaults. */
    pass_check_t c = { s, size, opts[0].max_bytes, valid, 0, 0, NULL, 0, 0, 1 };
    FUZZ_CHECK(text_passages(s, size, NULL, on_passage, &c) == 0, "passages failed");
    FUZZ_CHECK(c.n == n_default, "%u passages with NULL options, %zu with the defaults",
               (unsigned)c.n, n_default);
    free(c.spans);

    unsigned stops = 0;
    int rc = text_passages(s, size, NULL, stop_at_second, &stops);
    FUZZ_CHECK(n_default >= 2 ? rc == 7 && stops == 2 : rc == 0 && stops == n_default,
               "stopping callback: rc %d after %u of %zu passages", rc, stops, n_default);
    return 0;
}

void passim_fuzz_passages_free(void)
{
    /* nothing kept between inputs */
}

PASSIM_FUZZ_ENTRY(passim_fuzz_passages)
