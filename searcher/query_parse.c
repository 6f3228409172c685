/*
 * query_parse.c — from a query string to the tree of query.h.
 *
 * Two stages. The lexer cuts the string into operator tokens, quotes,
 * parentheses, signs, "title:" and word chunks with their byte ranges; it does
 * no word splitting of its own beyond finding where a chunk ends (white space,
 * a parenthesis or a quote) and asks text/ only whether a chunk holds any word.
 * The recursive-descent parser then builds the tree, sending every chunk and
 * phrase through text_analyze(). Signs and NOT are resolved while parsing: the
 * tree holds only AND, OR, AND_MAYBE and AND_NOT. Describing, building and
 * highlighting the tree live in query_build.c.
 *
 * Memory: every node, string and temporary list of one query comes from an
 * arena owned by the query, so error paths just drop the arena.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "query.h"

/* ------------------------------------------------------------------------ */
/* Arena                                                                    */
/* ------------------------------------------------------------------------ */

typedef struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    /* the bytes follow, aligned like the header's size rounded up below */
} arena_block_t;

#define ARENA_ALIGN 16
#define ARENA_BLOCK 8192
#define ARENA_HEADER ((sizeof(arena_block_t) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1))

struct srch_query {
    srch_node_t *root;
    const srch_node_t **dropped; /* the stopwords left out, in query order */
    size_t n_dropped;
    char note[160];          /* how a character that looks like a wildcard was read */
    arena_block_t *blocks;   /* newest first */
};

static void *arena_alloc(srch_query_t *q, size_t size)
{
    size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (size == 0)
        size = ARENA_ALIGN;
    arena_block_t *b = q->blocks;
    if (b == NULL || b->cap - b->used < size) {
        size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;
        b = malloc(ARENA_HEADER + cap);
        if (b == NULL)
            return NULL;
        b->used = 0;
        b->cap = cap;
        b->next = q->blocks;
        q->blocks = b;
    }
    void *p = (char *)b + ARENA_HEADER + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

static char *arena_strndup(srch_query_t *q, const char *s, size_t len)
{
    char *d = arena_alloc(q, len + 1);
    if (d != NULL) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

void srch_query_free(srch_query_t *q)
{
    if (q == NULL)
        return;
    arena_block_t *b = q->blocks;
    while (b != NULL) {
        arena_block_t *next = b->next;
        free(b);
        b = next;
    }
    free(q);
}

bool srch_query_cut_prefix(srch_query_t *q, const srch_node_t *n, size_t len)
{
    /* The node is q's own, in its arena: it may be changed through q. */
    srch_node_t *own = (srch_node_t *)n;
    const char *cut = arena_strndup(q, n->stem, len);
    if (!cut)
        return false;
    own->stem = cut;
    return true;
}

bool srch_query_prefix_also(srch_query_t *q, const srch_node_t *n, const char *stems,
                            size_t len, size_t n_stems)
{
    srch_node_t *own = (srch_node_t *)n;
    const char *copy = n_stems > 0 ? arena_strndup(q, stems, len) : NULL;
    if (n_stems > 0 && !copy)
        return false;
    own->also = copy;
    own->n_also = n_stems;
    return true;
}

const char *srch_query_note(const srch_query_t *q)
{
    return q != NULL && q->note[0] ? q->note : NULL;
}

const srch_node_t *srch_query_root(const srch_query_t *q)
{
    return q != NULL ? q->root : NULL;
}

size_t srch_query_dropped(const srch_query_t *q, const srch_node_t *const **out)
{
    *out = q != NULL ? q->dropped : NULL;
    return q != NULL ? q->n_dropped : 0;
}

const char *srch_query_status_str(srch_query_status_t st)
{
    switch (st) {
    case SRCH_QUERY_OK: return "ok";
    case SRCH_QUERY_ERR_SYNTAX: return "invalid query";
    case SRCH_QUERY_ERR_NOMEM: return "out of memory";
    case SRCH_QUERY_ERR_INVALID: return "invalid argument";
    }
    return "unknown status";
}

/* ------------------------------------------------------------------------ */
/* Lexer                                                                    */
/* ------------------------------------------------------------------------ */

typedef enum {
    TK_WORD, TK_PHRASE, TK_LPAREN, TK_RPAREN, TK_PLUS, TK_MINUS, TK_FIELD,
    TK_AND, TK_OR, TK_NOT, TK_NEAR, TK_END
} tok_kind_t;

typedef struct lex_tok {
    tok_kind_t kind;
    size_t start, end;            /* the whole token, bytes of the query */
    size_t body_start, body_end;  /* WORD: chunk without the '*'s; PHRASE: inside the quotes */
    bool wildcard;                /* WORD ended in '*' right after its last word */
    uint32_t near_n;              /* NEAR */
    srch_field_t field;           /* FIELD */
} lex_tok_t;

typedef struct parser {
    const char *q;
    size_t len;
    text_analyzer_t *a;
    srch_parse_opts_t opts;
    srch_query_t *out;
    srch_error_t *err;
    srch_query_status_t status;   /* set with the first failure */
    lex_tok_t *toks;
    size_t n_toks, cap_toks, i;   /* i: the current token */
    unsigned depth;               /* parentheses open */
    unsigned strict;              /* > 0: inside a signed, NOT or NEAR item, where a
                                     hyphenated word is not a bag of its parts */
    size_t field_start, field_len; /* the first name of another engine's field
                                      ("author:"), if field_len > 0 */
    size_t emphasis;              /* the '*'s before a word ("*", "**") that opened
                                     an emphasis no '*'s after a word have closed
                                     yet: how many; 0: none */
} parser_t;

static void fail(parser_t *p, size_t column, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Keep the first note of the query (srch_query_note()). */
static void note(parser_t *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(parser_t *p, const char *fmt, ...)
{
    if (p->out->note[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->out->note, sizeof p->out->note, fmt, ap);
    va_end(ap);
}

/* The column, counted in characters, of byte column (1-based) of the query
 * as messages show it (text_safe_append(): escape sequences, control
 * characters and bidi overrides left out): what messages say, for "at column
 * 7" to point at the 7th character of 'café "x' and not its 7th byte, nor
 * past what a terminal was not shown. */
static size_t char_column(const parser_t *p, size_t column)
{
    size_t n = column > 1 ? column - 1 : 0, chars = 1;
    if (n > p->len)
        n = p->len;
    text_buf_t shown = TEXT_BUF_INIT;
    if (text_safe_append(&shown, p->q, n, true)) {
        chars += shown.data ? text_utf8_chars(shown.data) : 0;
    } else {    /* out of memory: count bytes */
        for (size_t i = 0; i < n; i++)
            chars += ((unsigned char)p->q[i] & 0xC0) != 0x80;
    }
    text_buf_free(&shown);
    return chars;
}

static void fail(parser_t *p, size_t column, const char *fmt, ...)
{
    if (p->status != SRCH_QUERY_OK)
        return;   /* keep the first message */
    p->status = SRCH_QUERY_ERR_SYNTAX;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
    va_end(ap);
    p->err->column = char_column(p, column);
}

static void fail_nomem(parser_t *p)
{
    if (p->status != SRCH_QUERY_OK)
        return;
    p->status = SRCH_QUERY_ERR_NOMEM;
    snprintf(p->err->message, sizeof p->err->message, "out of memory");
    p->err->column = 0;
}

/* Byte length of a white-space or control character at s, or 0. Control
 * characters, Unicode spaces and bytes that are not valid UTF-8 separate chunks,
 * so "a\u00a0b" is two words rather than one chunk that text/ would cut into a
 * phrase. */
static size_t space_len(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    /* A terminal escape sequence, whole, as the tokenizer skips it. */
    size_t esc = s[0] == 0x1B || s[0] == 0xC2 ? text_escape_len(str, n) : 0;
    if (esc > 0)
        return esc;
    if (s[0] <= 0x20 || s[0] == 0x7f)
        return 1;
    if (s[0] >= 0x80 && text_utf8_char_len(str, n) == 0)
        return 1;
    if (s[0] == 0xc2 && n >= 2 && s[1] >= 0x80 && s[1] <= 0xa0)
        return 2;   /* C1 controls, NEL, NO-BREAK SPACE */
    if (n < 3)
        return 0;
    if (s[0] == 0xe1 && s[1] == 0x9a && s[2] == 0x80)
        return 3;   /* OGHAM SPACE MARK */
    if (s[0] == 0xe2 && s[1] == 0x80 &&
        (s[2] <= 0x8b || s[2] == 0xa8 || s[2] == 0xa9 || s[2] == 0xaf))
        return 3;   /* EN QUAD .. ZERO WIDTH SPACE, LINE/PARAGRAPH SEP, NNBSP */
    if (s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0x9f)
        return 3;   /* MEDIUM MATHEMATICAL SPACE */
    if (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)
        return 3;   /* IDEOGRAPHIC SPACE */
    return 0;
}

/* Byte length of a quote mark at s, or 0: '"' and the curly double quotes
 * U+201C, U+201D, U+201E and U+201F, which text editors and web pages put
 * in. Not the single quotes: U+2019 is also an apostrophe ("Russia’s"). */
static size_t quote_len(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    if (s[0] == '"')
        return 1;
    if (n >= 3 && s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0x9c && s[2] <= 0x9f)
        return 3;
    return 0;
}

/* Byte length of a guillemet at s (U+00AB, U+00BB), or 0. French, Russian
 * and German quote with them, either way ("«peace talks»", "»peace
 * talks«"); they quote a phrase only where one opens at a word's start and
 * another closes it, else they are punctuation, as in the text. */
static size_t guillemet_len(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    return n >= 2 && s[0] == 0xc2 && (s[1] == 0xab || s[1] == 0xbb) ? 2 : 0;
}

static bool ends_chunk(const char *s, size_t n)
{
    return *s == '(' || *s == ')' || space_len(s, n) > 0 || quote_len(s, n) > 0;
}

/* What text/ finds in a byte range: whether any token, and where the last ends. */
typedef struct scan {
    size_t n_tokens;
    size_t last_end;
} scan_t;

static int scan_token(const text_token_t *tok, void *payload)
{
    scan_t *sc = payload;
    sc->n_tokens++;
    sc->last_end = tok->end;
    return 0;
}

static scan_t scan_words(const char *s, size_t len)
{
    scan_t sc = { 0, 0 };
    text_tokenize(s, len, 1, scan_token, &sc);
    return sc;
}

/* Whether q[from..to), a stretch of the query between two tokens, holds a
 * word too long to be a token (over TEXT_TOKEN_MAX bytes once folded), which
 * text/ does not index: if so, say that it is left out (the query's first
 * note). A word runs on over apostrophes between its characters ("don't"),
 * as the tokenizer reads one. */
static bool note_long_run(parser_t *p, size_t from, size_t to)
{
    const char *q = p->q;
    char folded[TEXT_TOKEN_MAX + 1];
    for (size_t i = from; i < to;) {
        size_t run = i, n;
        while (run < to) {
            size_t a = text_apostrophe_len(q, to, run);
            if (a > 0 && run > i && run + a < to && text_is_word_char(q, to, run + a))
                run += a;
            else if (text_is_word_char(q, to, run)
                     && (n = text_utf8_char_len(q + run, to - run)) > 0)
                run += n;
            else
                break;
        }
        if (run - i > TEXT_TOKEN_MAX
            || (run > i && text_fold(q + i, run - i, folded, sizeof folded) == 0)) {
            note(p, "'%.*s…' is no word to search for (words longer than %d bytes are not "
                    "indexed): it is left out of the query",
                 (int)text_utf8_floor(q + i, run - i, 24), q + i, TEXT_TOKEN_MAX);
            return true;
        }
        i = run > i ? run : i + ((n = text_utf8_char_len(q + i, to - i)) > 0 ? n : 1);
    }
    return false;
}

/* What note_long_word() has read of a range: where the last token ended. */
typedef struct long_scan {
    parser_t *p;
    size_t base, from;
} long_scan_t;

static int long_gap(const text_token_t *tok, void *payload)
{
    long_scan_t *ls = payload;
    if (note_long_run(ls->p, ls->base + ls->from, ls->base + tok->start))
        return 1;
    ls->from = tok->end;
    return 0;
}

/* Note a word of q[start..end) that is too long to be a token, and so is no
 * part of the query (it lies between the tokens text/ finds). */
static void note_long_word(parser_t *p, size_t start, size_t end)
{
    /* (Folding may lengthen a word: 32 "İ" are 64 bytes typed, 96 folded.) */
    if (p->out->note[0] || end - start <= TEXT_TOKEN_MAX / 4)
        return;
    long_scan_t ls = { p, start, 0 };
    if (text_tokenize(p->q + start, end - start, 1, long_gap, &ls) == 0)
        note_long_run(p, start + ls.from, end);
}

static bool push_tok(parser_t *p, const lex_tok_t *t)
{
    lex_tok_t *grown = text_grow(p->toks, &p->cap_toks, p->n_toks + 1, sizeof *grown);
    if (grown == NULL) {
        fail_nomem(p);
        return false;
    }
    p->toks = grown;
    p->toks[p->n_toks++] = *t;
    return true;
}

static bool is_item_start(tok_kind_t k)
{
    return k == TK_WORD || k == TK_PHRASE || k == TK_LPAREN || k == TK_FIELD;
}

/* A chunk that is an operator: AND, OR, NOT, NEAR, NEAR/n. Returns false if it
 * is a word; on a bad NEAR/n it fails and returns true. */
bool srch_query_is_operator(const char *s, size_t len)
{
    return (len == 3 && (memcmp(s, "AND", 3) == 0 || memcmp(s, "NOT", 3) == 0))
           || (len == 2 && memcmp(s, "OR", 2) == 0)
           || (len >= 4 && memcmp(s, "NEAR", 4) == 0 && (len == 4 || s[4] == '/'));
}

static bool lex_operator(parser_t *p, size_t start, size_t end, lex_tok_t *t)
{
    const char *s = p->q + start;
    size_t n = end - start;
    t->start = start;
    t->end = end;
    if (n == 3 && memcmp(s, "AND", 3) == 0)
        t->kind = TK_AND;
    else if (n == 2 && memcmp(s, "OR", 2) == 0)
        t->kind = TK_OR;
    else if (n == 3 && memcmp(s, "NOT", 3) == 0)
        t->kind = TK_NOT;
    else if (n == 4 && memcmp(s, "NEAR", 4) == 0) {
        t->kind = TK_NEAR;
        t->near_n = SRCH_NEAR_DEFAULT;
        /* "NEAR /3": a distance parted from its NEAR is a word */
        size_t k = end;
        while (k < p->len && (p->q[k] == ' ' || p->q[k] == '\t'))
            k++;
        size_t d = k + 1;
        while (d < p->len && p->q[d] >= '0' && p->q[d] <= '9')
            d++;
        if (k > end && k < p->len && p->q[k] == '/' && d > k + 1)
            note(p, "'/%.*s' after NEAR is the word '%.*s', and NEAR is NEAR/%d: write "
                    "NEAR/%.*s, with no space, for that distance", (int)(d - k - 1), p->q + k + 1,
                 (int)(d - k - 1), p->q + k + 1, SRCH_NEAR_DEFAULT, (int)(d - k - 1), p->q + k + 1);
    } else if (n >= 5 && memcmp(s, "NEAR/", 5) == 0) {
        t->kind = TK_NEAR;
        uint32_t v = 0;
        size_t k = 5;
        for (; k < n && s[k] >= '0' && s[k] <= '9'; k++) {
            if (v <= SRCH_NEAR_MAX)
                v = v * 10 + (uint32_t)(s[k] - '0');
        }
        if (k == 5 || k < n)
            fail(p, start + 1, "bad NEAR distance at column %zu", char_column(p, start + 1));
        else if (v > SRCH_NEAR_MAX)
            fail(p, start + 1, "NEAR distance over %d at column %zu", SRCH_NEAR_MAX,
                 char_column(p, start + 1));
        t->near_n = v;
    } else
        return false;
    return true;
}

/* Whether q[0..len) is blank. */
static bool space_only(const char *q, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t w = space_len(q + i, len - i);
        if (w == 0)
            return false;
        i += w;
    }
    return true;
}

/* Whether the character that ends just before q[i] (not before q[start]) is a
 * word character, as text/ counts them. */
static bool word_char_before(const char *q, size_t start, size_t i)
{
    size_t k = i;
    while (k > start && ((unsigned char)q[k - 1] & 0xC0) == 0x80)
        k--; /* to the first byte of the character */
    return k > start && text_is_word_char(q, i, k - 1);
}

/* The length of a name and ':' that open the chunk q[start..end) of a query
 * of len bytes and come before a word, a phrase or a group ("author:smith",
 * "site:\"x\"", "lang:(en)"), as another search engine's field would; 0 if
 * none. A time ("10:30"), a port ("localhost:8080") or an address
 * ("https://") is no such name. */
static size_t field_like_len(const char *q, size_t start, size_t end, size_t len)
{
    size_t k = start;
    while (k < end && k - start <= 20 && ((q[k] >= 'a' && q[k] <= 'z') || (q[k] >= 'A' && q[k] <= 'Z')))
        k++;
    if (k - start < 2 || k >= end || q[k] != ':')
        return 0;
    k++;
    bool before_item = k < end ? (q[k] < '0' || q[k] > '9') && text_is_word_char(q, end, k)
                               : k < len && (q[k] == '"' || q[k] == '(');
    return before_item ? k - start : 0;
}

/* Where the chunk q[start..end) ends once the punctuation after its
 * trailing '*' is left out: that ends a clause or a sentence, not the
 * wildcard ("negotiat*," and "diplom*?" are negotiat* and diplom*, as
 * "(diplom*)" is). end if no '*' comes before its last punctuation. */
static size_t before_trailing_punct(const char *q, size_t start, size_t end)
{
    size_t k = end;
    while (k > start && q[k - 1] != '*' && !word_char_before(q, start, k)) {
        k--;
        while (k > start && ((unsigned char)q[k] & 0xC0) == 0x80)
            k--; /* to the first byte of the character */
    }
    return k > start && k < end && q[k - 1] == '*' ? k : end;
}

/* A word chunk q[start..end): dropped if text/ finds no word in it (punctuation);
 * a trailing run of '*' right after the last word makes it a wildcard, unless
 * it closes an emphasis that as many '*' before a word opened ("*very
 * important*", "**state**"; not "**kwargs talks*"). */
static bool lex_word(parser_t *p, size_t start, size_t end)
{
    end = before_trailing_punct(p->q, start, end);
    lex_tok_t t = { .kind = TK_WORD, .start = start, .end = end,
                    .body_start = start, .body_end = end };
    size_t body_end = end;
    while (body_end > start && p->q[body_end - 1] == '*')
        body_end--;
    /* A '*' inside a word ("negotiat*ion") asks for what the index cannot
     * answer: said, rather than read as two words. One before a word is
     * emphasis ("*very important*", "**kwargs") and is let through; so is a
     * '?' inside a word ("php?title"), as punctuation. Where either may have
     * been meant as a wildcard (a single '*' that no later one closes:
     * "*ing"; a letter on both sides of the '?': "Tal?ban"), a note says how
     * it was read. */
    const char *q = p->q;
    const lex_tok_t *before = p->n_toks > 0 ? &p->toks[p->n_toks - 1] : NULL;
    /* Right after "title:" a name and ':' are no field either, but words
     * joined by punctuation ("title:Kabul:Moscow"), as in "title:10:30". */
    bool titled = before && before->kind == TK_FIELD && before->end == start;
    size_t field = titled ? 0 : field_like_len(q, start, end, p->len);
    if (field > 0 && p->field_len == 0) {
        p->field_start = start;     /* said at the end, if nothing else is */
        p->field_len = field;
    }
    /* Its name is a word, and what follows the ':' another, not one word
     * joined by punctuation ("author:Lavrov" is author and Lavrov); but for
     * a sign, which would then take the name alone ("-author:Lavrov"
     * excludes the two together, as before a phrase). */
    bool signed_item = before && (before->kind == TK_PLUS || before->kind == TK_MINUS)
                       && before->end == start;
    if (field > 0 && start + field < end && !signed_item)
        return lex_word(p, start, start + field) && lex_word(p, start + field, end);
    for (size_t k = start; k < body_end; k++) {
        if (q[k] == '?' && k > start && word_char_before(q, start, k)
            && text_is_word_char(q, body_end, k + 1))
            note(p, "'?' is no wildcard (only a '*' ending a word is): '%.*s' is read with "
                    "it as punctuation", (int)(end - start), q + start);
        if (q[k] != '*')
            continue;
        size_t run_end = k;
        while (run_end < body_end && q[run_end] == '*')
            run_end++;
        bool inside = k > start && word_char_before(q, start, k);
        if (inside && text_is_word_char(q, body_end, run_end)) {
            fail(p, k + 1, "a wildcard can only end a word (prefix*) at column %zu",
                 char_column(p, k + 1));
            return false;
        }
        if (!inside && run_end - k == 1 && text_is_word_char(q, body_end, run_end)
            && !memchr(q + run_end, '*', p->len - run_end))
            note(p, "a '*' cannot start a wildcard (only prefix* is one): '%.*s' is read as "
                    "the word", (int)(end - start), q + start);
        k = run_end - 1;
    }
    scan_t sc = scan_words(p->q + start, body_end - start);
    if (sc.n_tokens == 0) {
        note_long_word(p, start, body_end);
        return true;
    }
    /* Apostrophes between the word and the '*' are no part of it, as at the
     * end of any word: "didn'*" is didn* (didn't), "Russia's*" stays whole. */
    size_t word_end = start + sc.last_end, k = word_end, a;
    while (k < body_end && (a = text_apostrophe_len(q, body_end, k)) > 0)
        k += a;
    /* An emphasis opened here, or before and not closed: as many '*' after
     * the word close it. */
    size_t opening = 0;
    while (start + opening < body_end && q[start + opening] == '*')
        opening++;
    size_t open = p->emphasis ? p->emphasis : opening;
    if (body_end < end && k == body_end) {
        if (open == end - body_end) {
            note(p, "a '*' that closes an emphasis is no wildcard: '%.*s' is read as the word",
                 (int)(end - start), q + start);
            p->emphasis = 0;
        } else {
            t.wildcard = true;
            t.body_end = word_end;
            if (end - body_end > 1)
                note(p, "'%.*s' is read as the wildcard '%.*s*' (one '*' is enough)",
                     (int)(end - start), q + start, (int)(word_end - start - opening),
                     q + start + opening);
        }
    } else {
        /* "co-*", "Moscow-*": no word ends right before the '*'. */
        if (body_end < end && open != end - body_end)
            note(p, "a '*' after punctuation is no wildcard (only prefix* is one): '%.*s' is "
                    "read as the word", (int)(end - start), q + start);
        p->emphasis = open;
    }
    return push_tok(p, &t);
}

/* The end of the code span whose opening backticks are at q[i]: past the
 * next run of as many, as Markdown pairs them; 0 if none, or if the word
 * goes on past it, as the text reads it ("`int`s" is the word "ints",
 * "`Buffer`'s" the word "Buffer's"), or a '*' follows, which no code span
 * takes, as no phrase does. */
static size_t code_span_end(const char *q, size_t len, size_t i)
{
    size_t run = 0;
    while (i + run < len && q[i + run] == '`')
        run++;
    for (size_t k = i + run; k < len;) {
        if (q[k] != '`') {
            k++;
            continue;
        }
        size_t close = k;
        while (k < len && q[k] == '`')
            k++;
        if (k - close == run) {
            size_t a = k < len ? text_apostrophe_len(q, len, k) : 0;
            bool goes_on = k < len
                           && (q[k] == '*' || text_is_word_char(q, len, k)
                               || (a > 0 && text_is_word_char(q, len, k + a)));
            return goes_on ? 0 : k;
        }
    }
    return 0;
}

static bool lex(parser_t *p)
{
    const char *q = p->q;
    size_t len = p->len, i = 0;
    bool boundary = true;     /* at the start of a chunk: a sign may start here */
    bool keyword_ok = true;   /* the next chunk may be an operator */
    size_t depth = 0;         /* parentheses open */

    while (i < len && p->status == SRCH_QUERY_OK) {
        size_t w = space_len(q + i, len - i);
        if (w > 0) {
            i += w;
            boundary = keyword_ok = true;
            continue;
        }
        lex_tok_t t = { .start = i, .end = i + 1 };
        char c = q[i];
        if (c == '(' && i + 2 <= len && q[i + 1] == ')' && word_char_before(q, 0, i)
            && (i + 2 == len || q[i + 2] != '*')) {
            i += 2;     /* a call's "()" ("name()"): punctuation, as in text */
            continue;
        }
        size_t code_end = c == '`' && !word_char_before(q, 0, i) ? code_span_end(q, len, i) : 0;
        if (code_end > 0) {
            /* A code span typed with its backticks ("`grep -r`",
             * "`name(x)`"): its words are read as the text reads code, a
             * phrase, and nothing in it is query syntax. */
            t.kind = TK_PHRASE;
            t.body_start = i;
            t.body_end = t.end = code_end;
            if (scan_words(q + i, code_end - i).n_tokens > 0 && !push_tok(p, &t))
                return false;
            i = code_end;
            boundary = false;
            keyword_ok = true;
            continue;
        }
        if (c == '(' || c == ')') {
            t.kind = c == '(' ? TK_LPAREN : TK_RPAREN;
            if (!push_tok(p, &t))
                return false;
            if (c == '(')
                depth++;
            else if (depth > 0)
                depth--;
            i++;
            boundary = c == '(';
            keyword_ok = true;
            continue;
        }
        size_t ql = quote_len(q + i, len - i), gl = ql ? 0 : guillemet_len(q + i, len - i);
        size_t close = i + ql, cl = 0;
        if (ql > 1 && word_char_before(q, 0, i)) {
            /* A curly quote right after a word closes a quotation that the
             * query does not hold (a line pasted from an article: "friends”
             * have assured"): punctuation, as in the text. */
            note(p, "the quote mark at column %zu closes nothing: it is read as punctuation",
                 char_column(p, i + 1));
            ql = 0;
        } else if (ql > 0) {
            while (close < len && (cl = quote_len(q + close, len - close)) == 0)
                close++;
            if (close >= len && ql == 1) {
                fail(p, i + 1, "unbalanced quote at column %zu", char_column(p, i + 1));
                return false;
            }
            if (close >= len) {
                /* A curly quote that opens a quotation none closes (pasted
                 * from an article, its end left out): the phrase runs to the
                 * end of the query, or of the group it is in. */
                if (depth > 0)
                    for (close = i + ql; close < len && q[close] != ')'; close++)
                        ;
                note(p, "the quote mark at column %zu has none to close it: the phrase runs "
                        "to the end of the %s", char_column(p, i + 1),
                     depth > 0 ? "group" : "query");
                cl = 0;
            }
        } else if (gl > 0 && !word_char_before(q, 0, i)) {
            /* closed by one at a word's end */
            ql = gl;
            for (close = i + ql; close < len; close++)
                if ((cl = guillemet_len(q + close, len - close)) > 0
                    && (close + cl == len || !text_is_word_char(q, len, close + cl)))
                    break;
            if (close >= len)
                ql = 0;     /* none closes it: punctuation */
        }
        if (ql > 0) {
            for (size_t k = i + ql + 1; k < close; k++)
                if (q[k] == '*' && word_char_before(q, i + ql, k)) {
                    fail(p, k + 1, "a wildcard inside a phrase at column %zu: phrases "
                                   "match whole words", char_column(p, k + 1));
                    return false;
                }
            t.kind = TK_PHRASE;
            t.body_start = i + ql;
            t.body_end = close;
            t.end = close + cl;
            if (t.end < len && q[t.end] == '*') {
                fail(p, t.end + 1, "a wildcard after a phrase at column %zu: phrases match "
                                   "whole words", char_column(p, t.end + 1));
                return false;
            }
            if (scan_words(q + t.body_start, close - t.body_start).n_tokens > 0 && !push_tok(p, &t))
                return false;
            i = t.end;
            boundary = false;
            keyword_ok = true;
            continue;
        }
        /* "--word" or "+-word": which sign was meant cannot be told, and
         * reading it as the bare word could turn an exclusion into a match. */
        if ((c == '+' || c == '-') && boundary) {
            size_t k = i + 1;
            while (k < len && (q[k] == '+' || q[k] == '-'))
                k++;
            if (k > i + 1 && k < len && q[k] != ')' && space_len(q + k, len - k) == 0) {
                fail(p, i + 1, "more than one sign before a word at column %zu: use one + or -",
                     char_column(p, i + 1));
                return false;
            }
        }
        if ((c == '+' || c == '-') && boundary && i + 1 < len && q[i + 1] != '+' &&
            q[i + 1] != '-' && q[i + 1] != ')' && space_len(q + i + 1, len - i - 1) == 0) {
            t.kind = c == '+' ? TK_PLUS : TK_MINUS;
            if (!push_tok(p, &t))
                return false;
            i++;
            boundary = keyword_ok = false;
            continue;
        }
        /* "title:", also with the full-width colon of a CJK input method */
        size_t colon = len - i < 6 || strncasecmp(q + i, "title", 5) != 0 ? 0
                       : q[i + 5] == ':'                                   ? 1
                       : len - i >= 8 && memcmp(q + i + 5, "\xEF\xBC\x9A", 3) == 0 ? 3
                                                                            : 0;
        if (colon > 0) {
            size_t after = i + 5 + colon;
            if (after == len || q[after] == ')' || space_len(q + after, len - after) > 0) {
                fail(p, i + 1, "nothing after title: at column %zu", char_column(p, i + 1));
                return false;
            }
            if (q[after] == '+' || q[after] == '-') {
                fail(p, after + 1, "a sign after title: at column %zu: put it before "
                                   "(%ctitle:word)", char_column(p, after + 1), q[after]);
                return false;
            }
            t.kind = TK_FIELD;
            t.end = after;
            t.field = SRCH_FIELD_TITLE;
            if (!push_tok(p, &t))
                return false;
            i = after;
            boundary = keyword_ok = false;
            continue;
        }
        /* by whole characters: a continuation byte alone would look invalid */
        size_t j = i + text_utf8_char_len(q + i, len - i);
        while (j < len && !ends_chunk(q + j, len - j))
            j += text_utf8_char_len(q + j, len - j);
        if (keyword_ok && lex_operator(p, i, j, &t)) {
            if (p->status != SRCH_QUERY_OK || !push_tok(p, &t))
                return false;
        } else if (!lex_word(p, i, j))
            return false;
        i = j;
        boundary = false;
        keyword_ok = true;
    }
    if (p->status != SRCH_QUERY_OK)
        return false;

    /* A sign counts only if the item it touches survived (a word chunk of mere
     * punctuation was dropped): "-!!! a" is just "a". */
    size_t n = 0;
    for (size_t k = 0; k < p->n_toks; k++) {
        const lex_tok_t *t = &p->toks[k];
        if ((t->kind == TK_PLUS || t->kind == TK_MINUS) &&
            (k + 1 == p->n_toks || p->toks[k + 1].start != t->end ||
             !is_item_start(p->toks[k + 1].kind)))
            continue;
        p->toks[n++] = *t;
    }
    p->n_toks = n;
    /* Another engine's field is said only if no note of more weight is. */
    if (p->field_len > 0)
        note(p, "'%.*s' is no field (title: is the only one): its name is searched as a word",
             (int)p->field_len, q + p->field_start);
    lex_tok_t end = { .kind = TK_END, .start = len, .end = len };
    return push_tok(p, &end);
}

/* ------------------------------------------------------------------------ */
/* Tree building blocks                                                     */
/* ------------------------------------------------------------------------ */

/* An arena array of n elements of size bytes (capacity *cap) with room for
 * one more: v itself, or a bigger copy; NULL if memory ran out. */
static void *grow(parser_t *p, void *v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return v;
    size_t ncap = *cap ? 2 * *cap : 4;
    void *nv = arena_alloc(p->out, ncap * size);
    if (nv == NULL) {
        fail_nomem(p);
        return NULL;
    }
    if (n > 0)
        memcpy(nv, v, n * size);
    *cap = ncap;
    return nv;
}

/* A growable list of nodes in the arena. */
typedef struct node_vec {
    srch_node_t **v;
    size_t n, cap;
} node_vec_t;

static bool vec_push(parser_t *p, node_vec_t *vec, srch_node_t *node)
{
    srch_node_t **v = grow(p, vec->v, &vec->cap, vec->n, sizeof *v);
    if (v == NULL)
        return false;
    vec->v = v;
    vec->v[vec->n++] = node;
    return true;
}

static bool vec_append(parser_t *p, node_vec_t *dst, const node_vec_t *src)
{
    for (size_t k = 0; k < src->n; k++)
        if (!vec_push(p, dst, src->v[k]))
            return false;
    return true;
}

/*
 * What a sub-expression parses to before it is fixed into the tree: the
 * positive part and the items it excludes, kept apart so that exclusions reach
 * the enclosing run of items ("(a -b) c" in AND mode is (AND_NOT (AND a c) b))
 * and so that "-a -b" alone can be refused.
 */
typedef struct part {
    srch_node_t *pos;    /* NULL: only exclusions */
    node_vec_t neg;      /* excluded items */
    bool required;       /* +item: matters in OR mode */
    bool signed_inside;  /* a group whose one item had a sign: "(+item)" */
    bool joined;         /* an item that came after an explicit AND */
    size_t column;       /* where the item starts, for messages */
} part_t;

static srch_node_t *new_node(parser_t *p, srch_node_kind_t kind, size_t column)
{
    srch_node_t *n = arena_alloc(p->out, sizeof *n);
    if (n == NULL) {
        fail_nomem(p);
        return NULL;
    }
    n->kind = kind;
    n->column = column;
    return n;
}

/* The node combining vec with kind: the only member itself when there is one. */
static srch_node_t *node_of(parser_t *p, srch_node_kind_t kind, const node_vec_t *vec)
{
    if (vec->n == 1)
        return vec->v[0];
    srch_node_t *n = new_node(p, kind, vec->n > 0 ? vec->v[0]->column : 0);
    if (n == NULL)
        return NULL;
    n->kids = vec->v;
    n->n_kids = vec->n;
    return n;
}

static srch_node_t *binary(parser_t *p, srch_node_kind_t kind, srch_node_t *l, srch_node_t *r)
{
    srch_node_t *n = new_node(p, kind, l->column);
    srch_node_t **kids = n ? arena_alloc(p->out, 2 * sizeof *kids) : NULL;
    if (kids == NULL) {
        fail_nomem(p);
        return NULL;
    }
    kids[0] = l;
    kids[1] = r;
    n->kids = kids;
    n->n_kids = 2;
    return n;
}

/* A part as one node: pos AND_NOT (neg OR ...). Fails if it has no positive side. */
static srch_node_t *fix_part(parser_t *p, const part_t *pt)
{
    if (pt->pos == NULL) {
        fail(p, pt->column, "only excluded terms at column %zu", char_column(p, pt->column));
        return NULL;
    }
    if (pt->neg.n == 0)
        return pt->pos;
    srch_node_t *neg = node_of(p, SRCH_NODE_OR, &pt->neg);
    return neg ? binary(p, SRCH_NODE_AND_NOT, pt->pos, neg) : NULL;
}

/* An explicitly required or excluded word is kept even if it is a stopword. */
static void unbare(srch_node_t *n)
{
    if (n != NULL && n->kind == SRCH_NODE_TERM)
        n->flags &= ~(unsigned)SRCH_TERM_BARE;
}

/* ------------------------------------------------------------------------ */
/* Words through text/                                                      */
/* ------------------------------------------------------------------------ */

typedef struct collect {
    parser_t *p;
    size_t base;            /* offset of the analysed range in the query */
    srch_field_t field;
    node_vec_t terms;
    node_vec_t solid;       /* two-part hyphenated words typed solid (text_analyze()'s
                               compounds), if wanted: SRCH_TERM_SOLID */
    bool want_solid;
} collect_t;

static int collect_term(const text_term_t *term, void *payload)
{
    collect_t *c = payload;
    parser_t *p = c->p;
    if (term->compound && !c->want_solid)
        return 0;
    size_t start = c->base + term->tok->start, end = c->base + term->tok->end;
    srch_node_t *n = new_node(p, SRCH_NODE_TERM, start + 1);
    if (n == NULL)
        return 1;
    n->field = c->field;
    n->text = arena_strndup(p->out, p->q + start, end - start);
    n->word = arena_strndup(p->out, term->tok->word, term->tok->word_len);
    n->stem = arena_strndup(p->out, term->stem, term->stem_len);
    if (n->text == NULL || n->word == NULL || n->stem == NULL) {
        fail_nomem(p);
        return 1;
    }
    if (term->stopword)
        n->flags |= SRCH_TERM_STOPWORD;
    if (term->tok->flags & TEXT_TOK_ACRONYM)
        n->flags |= SRCH_TERM_ACRONYM;
    if (term->tok->flags & TEXT_TOK_IDEO)
        n->flags |= SRCH_TERM_IDEO;
    if (term->tok->flags & TEXT_TOK_IDEO_TOUCHING)
        n->flags |= SRCH_TERM_IDEO_TOUCHING;
    if (term->compound) {
        n->flags |= SRCH_TERM_SOLID;
        return vec_push(p, &c->solid, n) ? 0 : 1;
    }
    return vec_push(p, &c->terms, n) ? 0 : 1;
}

/* The TERM nodes of q[start..end), in order; and, if solid is not NULL, its
 * two-part hyphenated words typed solid (SRCH_TERM_SOLID). Words of a title
 * are read as the indexer reads the title, plainly (text_analyze_plain()):
 * a title phrase copied from a title as shown finds it. */
static bool analyze(parser_t *p, size_t start, size_t end, srch_field_t field, node_vec_t *out,
                    node_vec_t *solid)
{
    collect_t c = { p, start, field, { NULL, 0, 0 }, { NULL, 0, 0 }, solid != NULL };
    const char *s = p->q + start;
    int rc = field == SRCH_FIELD_TITLE ? text_analyze_plain(p->a, s, end - start, 1, collect_term, &c)
                                       : text_analyze(p->a, s, end - start, 1, collect_term, &c);
    if (rc != 0 || p->status != SRCH_QUERY_OK)
        return false;
    note_long_word(p, start, end);
    *out = c.terms;
    if (solid != NULL)
        *solid = c.solid;
    return true;
}

/* Terms at consecutive positions: one TERM, or a PHRASE of them. */
static srch_node_t *phrase_of(parser_t *p, const node_vec_t *terms, size_t column)
{
    if (terms->n == 1)
        return terms->v[0];
    srch_node_t *n = node_of(p, SRCH_NODE_PHRASE, terms);
    if (n != NULL)
        n->column = column;
    return n;
}

/* The solid word of solid whose first part is at column, or NULL. */
static srch_node_t *solid_at(const node_vec_t *solid, size_t column)
{
    for (size_t k = 0; k < solid->n; k++)
        if (solid->v[k]->column == column)
            return solid->v[k];
    return NULL;
}

/*
 * A hyphenated word is found written either way: n, the phrase of terms that
 * holds one, becomes (OR n alt), where alt is the same phrase with the word's
 * two parts replaced by the word typed solid (solid, from analyze()). The
 * index holds "co-founder" as co, founder and a cofounder without a position,
 * and "cofounder" written solid as cofounder at its position: n finds the
 * first, alt the second, and for a word alone alt is that word and finds both.
 */
static srch_node_t *or_solid(parser_t *p, srch_node_t *n, const node_vec_t *terms,
                             const node_vec_t *solid)
{
    if (n == NULL || solid->n == 0)
        return n;
    node_vec_t alt = { NULL, 0, 0 };
    for (size_t k = 0; k < terms->n; k++) {
        srch_node_t *s = k + 1 < terms->n ? solid_at(solid, terms->v[k]->column) : NULL;
        if (s != NULL) {
            k++;
        } else {
            /* a node has one place in the tree: the phrase n holds this one */
            if ((s = new_node(p, SRCH_NODE_TERM, 0)) == NULL)
                return NULL;
            *s = *terms->v[k];
        }
        if (!vec_push(p, &alt, s))
            return NULL;
    }
    srch_node_t *alt_node = phrase_of(p, &alt, n->column);
    if (alt_node == NULL)
        return NULL;
    if (alt_node->kind == SRCH_NODE_PHRASE)
        alt_node->flags = n->flags;
    srch_node_t *either = binary(p, SRCH_NODE_OR, n, alt_node);
    if (either != NULL)
        either->flags = SRCH_OR_SOLID;
    return either;
}

/* A word chunk or a quoted phrase: a TERM, a PHRASE of its tokens, or (a
 * chunk ending in '*') a wildcard. Only a one-word chunk is a bare word. A
 * hyphenated word of two parts also finds the word written solid (or_solid()),
 * except before a wildcard, and in a NEAR (near_item()). */
static srch_node_t *words_node(parser_t *p, const lex_tok_t *t, srch_field_t field)
{
    node_vec_t terms, solid = { NULL, 0, 0 };
    if (!analyze(p, t->body_start, t->body_end, field, &terms, t->wildcard ? NULL : &solid))
        return NULL;
    if (terms.n == 0) {   /* the lexer saw words: only a broken analyzer gets here */
        fail(p, t->start + 1, "no word at column %zu", char_column(p, t->start + 1));
        return NULL;
    }
    /* An ideograph is a whole word: no word starts with it but itself
     * ("经济*" is "经济"). */
    bool wildcard = t->wildcard && !(terms.v[terms.n - 1]->flags & SRCH_TERM_IDEO);
    if (!wildcard) {
        if (t->kind == TK_WORD && terms.n == 1)
            terms.v[0]->flags |= SRCH_TERM_BARE;
        if (t->kind == TK_PHRASE && terms.n == 1)
            terms.v[0]->flags |= SRCH_TERM_QUOTED;
        /* Any-word queries are bags of words: there a hyphenated word
         * ("heat-transfer") counts as its parts, which ranks better than
         * demanding the phrase (measured on Cranfield), and its stopword
         * parts go as typed ones do ("time-to-failure" is "time failure").
         * Where the word is required, excluded or in a NEAR, it is a phrase
         * of its parts, or the word typed solid (or_solid()); a NEAR's first
         * item is known to be one only after it, so near_item() turns the
         * bag back into the phrase. A word of ideographs ("经济") is always
         * the phrase of its characters: one of them alone is next to no
         * word at all. */
        bool ideographs = false;
        for (size_t k = 0; k < terms.n; k++)
            ideographs |= (terms.v[k]->flags & SRCH_TERM_IDEO) != 0;
        if (t->kind == TK_WORD && terms.n > 1 && p->opts.default_op == SRCH_DEFAULT_OR
            && p->strict == 0 && !ideographs) {
            for (size_t k = 0; k < terms.n; k++)
                terms.v[k]->flags |= SRCH_TERM_BARE;
            node_vec_t again;
            if (p->opts.joined_phrase_too
                && analyze(p, t->body_start, t->body_end, field, &again, NULL) && again.n > 1) {
                srch_node_t *phrase = phrase_of(p, &again, t->start + 1);
                if (phrase == NULL || !vec_push(p, &terms, phrase))
                    return NULL;
                phrase->flags |= SRCH_PHRASE_JOINED | SRCH_PHRASE_ALSO;
            }
            /* The word typed solid too, where the parts' phrase is; not in a
             * plain bag of words, where it would count the word a third
             * time (Cranfield's nDCG@10 fell from 0.3930 to 0.3894). */
            if (p->opts.joined_phrase_too && !vec_append(p, &terms, &solid))
                return NULL;
            srch_node_t *n = node_of(p, SRCH_NODE_OR, &terms);
            if (n != NULL) {
                n->column = t->start + 1;
                n->flags = SRCH_OR_PARTS;
            }
            return n;
        }
        srch_node_t *n = phrase_of(p, &terms, t->start + 1);
        if (n != NULL && n->kind == SRCH_NODE_PHRASE && t->kind == TK_WORD)
            n->flags |= SRCH_PHRASE_JOINED;
        return or_solid(p, n, &terms, &solid);
    }
    srch_node_t *last = terms.v[terms.n - 1];
    /* Terms hold no elided article ("l'organ*" is organ*) and no accents
     * (text_stem): nor may the prefix that finds them. */
    const char *bare = last->word + text_elided_len(p->a, last->word, strlen(last->word));
    if (text_utf8_chars(bare) < 2) {
        fail(p, last->column, "wildcard prefix too short at column %zu",
             char_column(p, last->column));
        return NULL;
    }
    srch_node_t *pre = new_node(p, SRCH_NODE_PREFIX, last->column);
    if (pre == NULL)
        return NULL;
    pre->field = field;
    pre->text = last->text;
    pre->word = pre->stem = bare;
    char plain[TEXT_TOKEN_MAX + 1];
    size_t plain_len = text_unaccent(pre->word, strlen(pre->word), plain, sizeof plain);
    if (plain_len > 0 && !(pre->stem = arena_strndup(p->out, plain, plain_len))) {
        fail_nomem(p);
        return NULL;
    }
    if (terms.n == 1)
        return pre;
    /* Xapian 1.4 takes no wildcard inside a phrase: the leading words of
     * "foo-ba*" must match as well, as a phrase of their own. */
    terms.n--;
    srch_node_t *lead = phrase_of(p, &terms, t->start + 1);
    if (lead != NULL && lead->kind == SRCH_NODE_PHRASE && t->kind == TK_WORD)
        lead->flags |= SRCH_PHRASE_JOINED;
    return lead ? binary(p, SRCH_NODE_AND, lead, pre) : NULL;
}

/* ------------------------------------------------------------------------ */
/* Parser                                                                   */
/* ------------------------------------------------------------------------ */

static const lex_tok_t *cur(const parser_t *p)
{
    return &p->toks[p->i];
}

static const lex_tok_t *take(parser_t *p)
{
    const lex_tok_t *t = &p->toks[p->i];
    if (t->kind != TK_END)
        p->i++;
    return t;
}

static const char *op_name(tok_kind_t k)
{
    switch (k) {
    case TK_AND: return "AND";
    case TK_OR: return "OR";
    case TK_NOT: return "NOT";
    case TK_NEAR: return "NEAR";
    default: return "operator";
    }
}

/* Whether the current token may begin an operand of AND, OR or adjacency. */
static bool starts_operand(tok_kind_t k)
{
    return is_item_start(k) || k == TK_PLUS || k == TK_MINUS || k == TK_NOT;
}

/* After operator op: fail unless an operand follows (signs allowed or not). */
static bool need_operand(parser_t *p, const lex_tok_t *op, bool signs)
{
    tok_kind_t k = cur(p)->kind;
    if (signs ? starts_operand(k) : is_item_start(k))
        return true;
    if (op->kind == TK_NEAR && starts_operand(k)) { /* "a NEAR -b" */
        size_t col = cur(p)->start + 1;
        fail(p, col, "NEAR needs words or phrases at column %zu: no sign (+, -, NOT) before "
                     "them", char_column(p, col));
        return false;
    }
    if (op->kind == TK_NOT && starts_operand(k)) { /* "a NOT -b", "NOT NOT b" */
        size_t col = cur(p)->start + 1;
        fail(p, col, "NOT needs a word, a phrase or a group after it at column %zu: no sign "
                     "(+, -, NOT) before them ('NOT b' and '-b' say the same)",
             char_column(p, col));
        return false;
    }
    /* Something stood there, but the lexer found no word in it. */
    if (!space_only(p->q + op->end, cur(p)->start - op->end)) {
        fail(p, op->start + 1, "missing operand for %s at column %zu: what follows it holds "
             "no word to search for (punctuation, symbols and words longer than %d bytes are "
             "not indexed)", op_name(op->kind), char_column(p, op->start + 1), TEXT_TOKEN_MAX);
        return false;
    }
    fail(p, op->start + 1, "missing operand for %s at column %zu", op_name(op->kind),
         char_column(p, op->start + 1));
    return false;
}

static bool parse_or(parser_t *p, srch_field_t field, part_t *out);

static bool parse_group(parser_t *p, srch_field_t field, part_t *out)
{
    const lex_tok_t *open = take(p);
    size_t col = open->start + 1;
    if (p->depth >= SRCH_QUERY_MAX_DEPTH) {
        fail(p, col, "nesting deeper than %d parentheses at column %zu",
             SRCH_QUERY_MAX_DEPTH, char_column(p, col));
        return false;
    }
    if (cur(p)->kind == TK_END) {
        fail(p, col, "unclosed parenthesis at column %zu", char_column(p, col));
        return false;
    }
    if (cur(p)->kind == TK_RPAREN) {
        fail(p, col, "empty parentheses at column %zu", char_column(p, col));
        return false;
    }
    p->depth++;
    if (!parse_or(p, field, out))
        return false;
    p->depth--;
    if (cur(p)->kind != TK_RPAREN) {
        fail(p, col, "unclosed parenthesis at column %zu", char_column(p, col));
        return false;
    }
    take(p);
    out->column = col;
    /* A sign inside stays inside: "(+oil) wheat" is as optional as "(+oil
     * kabul) wheat", its group's one item required within it alone. */
    out->signed_inside = out->required || out->signed_inside;
    out->required = false;
    return true;
}

/* primary := [title:]* ( word | word* | "phrase" | ( or_expr ) ) */
static bool parse_primary(parser_t *p, srch_field_t field, part_t *out)
{
    memset(out, 0, sizeof *out);
    while (cur(p)->kind == TK_FIELD) {
        const lex_tok_t *f = take(p);
        if (cur(p)->start != f->end || !is_item_start(cur(p)->kind)) {
            fail(p, f->start + 1, "nothing after title: at column %zu",
                 char_column(p, f->start + 1));
            return false;
        }
        field = f->field;
    }
    const lex_tok_t *t = cur(p);
    out->column = t->start + 1;
    switch (t->kind) {
    case TK_WORD:
    case TK_PHRASE:
        take(p);
        out->pos = words_node(p, t, field);
        return out->pos != NULL;
    case TK_LPAREN:
        return parse_group(p, field, out);
    case TK_RPAREN:
        fail(p, t->start + 1, "unmatched ) at column %zu", char_column(p, t->start + 1));
        return false;
    case TK_END:
        if (space_only(p->q, p->len))
            fail(p, 1, "empty query");
        else
            fail(p, 1, "no word to search for: punctuation, symbols and words longer than "
                       "%d bytes are not indexed", TEXT_TOKEN_MAX);
        return false;
    default: {
        /* "!!! AND kabul": something stood before the operator, but the
         * lexer found no word in it. */
        size_t from = p->i > 0 ? p->toks[p->i - 1].end : 0;
        if (!space_only(p->q + from, t->start - from))
            fail(p, t->start + 1, "missing operand for %s at column %zu: what precedes it "
                 "holds no word to search for (punctuation, symbols and words longer than %d "
                 "bytes are not indexed)", op_name(t->kind), char_column(p, t->start + 1),
                 TEXT_TOKEN_MAX);
        else
            fail(p, t->start + 1, "missing operand for %s at column %zu", op_name(t->kind),
                 char_column(p, t->start + 1));
        return false;
    }
    }
}

/* The field of a NEAR item: a word's, or a phrase's first word's. */
static srch_field_t item_field(const srch_node_t *n)
{
    if (n->kind == SRCH_NODE_PHRASE && n->n_kids > 0)
        return n->kids[0]->field;
    return n->field;
}

/* The phrase of the parts of bag, a hyphenated word's bag of words
 * (SRCH_OR_PARTS): its kids up to the first that is not a part. */
static srch_node_t *parts_phrase(parser_t *p, const srch_node_t *bag)
{
    node_vec_t parts = { NULL, 0, 0 };
    for (size_t k = 0; k < bag->n_kids; k++) {
        srch_node_t *kid = bag->kids[k];
        if (kid->kind != SRCH_NODE_TERM || (kid->flags & SRCH_TERM_SOLID))
            break;
        unbare(kid);
        if (!vec_push(p, &parts, kid))
            return NULL;
    }
    srch_node_t *n = phrase_of(p, &parts, bag->column);
    if (n != NULL && n->kind == SRCH_NODE_PHRASE)
        n->flags |= SRCH_PHRASE_JOINED;
    return n;
}

static bool near_item(parser_t *p, const part_t *pt, node_vec_t *items, size_t *n_words)
{
    srch_node_t *n = pt->pos;
    /* A NEAR counts positions: a hyphenated word is its parts' phrase there,
     * as written (the word typed solid has no position where it is
     * hyphenated). */
    if (n != NULL && n->kind == SRCH_NODE_OR && (n->flags & SRCH_OR_SOLID))
        n = n->kids[0];
    else if (n != NULL && n->kind == SRCH_NODE_OR && (n->flags & SRCH_OR_PARTS)
             && (n = parts_phrase(p, n)) == NULL)
        return false;
    bool simple = n != NULL && (n->kind == SRCH_NODE_TERM || n->kind == SRCH_NODE_PHRASE);
    if (!simple || pt->neg.n > 0 || pt->signed_inside) {
        /* Xapian 1.4 counts the positions of words and phrases only, and a
         * sign means nothing there, bracketed ("(+b)", "(-b)") or not. */
        const char *why = n == NULL || (simple && pt->neg.n == 0) ? ": no sign (+, -, NOT) before them"
                          : n->kind == SRCH_NODE_PREFIX           ? ": not a wildcard"
                                                                  : ": not a group in parentheses";
        fail(p, pt->column, "NEAR needs words or phrases at column %zu%s",
             char_column(p, pt->column), why);
        return false;
    }
    /* A title's words and a passage's are counted apart: the distance from
     * one to the other means nothing. */
    if (items->n > 0 && item_field(n) != item_field(items->v[0])) {
        fail(p, pt->column, "NEAR between title: and other words at column %zu: "
                            "a title's words are counted apart", char_column(p, pt->column));
        return false;
    }
    unbare(n);
    *n_words += n->kind == SRCH_NODE_TERM ? 1 : n->n_kids;
    return vec_push(p, items, n);
}

/* near_expr := primary ( NEAR[/n] primary )* */
static bool parse_near(parser_t *p, srch_field_t field, part_t *out)
{
    if (!parse_primary(p, field, out))
        return false;
    if (cur(p)->kind != TK_NEAR)
        return true;
    node_vec_t items = { NULL, 0, 0 };
    size_t n_words = 0;
    uint32_t dist = 0;
    if (!near_item(p, out, &items, &n_words))
        return false;
    while (cur(p)->kind == TK_NEAR) {
        const lex_tok_t *op = take(p);
        if (op->near_n > dist)
            dist = op->near_n;
        part_t it;
        p->strict++;
        bool ok = need_operand(p, op, false) && parse_primary(p, field, &it) &&
                  near_item(p, &it, &items, &n_words);
        p->strict--;
        if (!ok)
            return false;
    }
    srch_node_t *n = node_of(p, SRCH_NODE_NEAR, &items);
    if (n == NULL)
        return false;
    n->distance = dist;
    n->window = dist + (uint32_t)n_words;
    out->pos = n;
    return true;
}

/* unary := ( + | - | NOT ) near_expr | near_expr */
static bool parse_unary(parser_t *p, srch_field_t field, part_t *out)
{
    const lex_tok_t *t = cur(p);
    if (t->kind != TK_PLUS && t->kind != TK_MINUS && t->kind != TK_NOT)
        return parse_near(p, field, out);
    take(p);
    /* the lexer keeps only signs touching an item */
    if (t->kind == TK_NOT && !need_operand(p, t, false))
        return false;
    p->strict++;
    bool ok = parse_near(p, field, out);
    p->strict--;
    if (!ok)
        return false;
    unbare(out->pos);
    out->column = t->start + 1;
    if (t->kind == TK_PLUS) {
        out->required = true;
        return true;
    }
    srch_node_t *ex = fix_part(p, out);
    if (ex == NULL)
        return false;
    memset(out, 0, sizeof *out);
    out->column = t->start + 1;
    return vec_push(p, &out->neg, ex);
}

/* not_expr := unary ( NOT near_expr )* */
static bool parse_not(parser_t *p, srch_field_t field, part_t *out)
{
    if (!parse_unary(p, field, out))
        return false;
    while (cur(p)->kind == TK_NOT) {
        const lex_tok_t *op = take(p);
        part_t r;
        p->strict++;
        bool ok = need_operand(p, op, false) && parse_near(p, field, &r);
        p->strict--;
        if (!ok)
            return false;
        unbare(r.pos);
        srch_node_t *ex = fix_part(p, &r);
        if (ex == NULL || !vec_push(p, &out->neg, ex))
            return false;
    }
    return true;
}

/* Items joined by explicit AND become one part: all positives ANDed, all
 * exclusions kept apart. */
static bool merge_and(parser_t *p, const part_t *items, size_t n, part_t *out)
{
    node_vec_t pos = { NULL, 0, 0 };
    memset(out, 0, sizeof *out);
    out->column = items[0].column;
    for (size_t k = 0; k < n; k++) {
        if (items[k].pos != NULL && !vec_push(p, &pos, items[k].pos))
            return false;
        if (!vec_append(p, &out->neg, &items[k].neg))
            return false;
        out->required |= items[k].required;
    }
    if (pos.n > 0 && (out->pos = node_of(p, SRCH_NODE_AND, &pos)) == NULL)
        return false;
    return true;
}

/* OR mode: each group of explicitly ANDed items is one item; the items combine
 * as (required AND ...) AND_MAYBE (optional OR ...), with every bare exclusion
 * left for the caller (AND_NOT on the whole run). A group with a positive side
 * keeps its own exclusions: "(a -b) c" is (OR (AND_NOT a b) c). */
static bool merge_or_mode(parser_t *p, const part_t *items, size_t n, part_t *out)
{
    node_vec_t req = { NULL, 0, 0 }, opt = { NULL, 0, 0 }, neg = { NULL, 0, 0 };
    for (size_t k = 0; k < n;) {
        size_t e = k + 1;
        while (e < n && items[e].joined)
            e++;
        part_t g;
        if (!merge_and(p, items + k, e - k, &g))
            return false;
        if (g.pos == NULL) {
            if (!vec_append(p, &neg, &g.neg))
                return false;
        } else {
            srch_node_t *node = fix_part(p, &g);
            if (node == NULL || !vec_push(p, g.required ? &req : &opt, node))
                return false;
        }
        k = e;
    }
    memset(out, 0, sizeof *out);
    out->column = items[0].column;
    out->neg = neg;
    srch_node_t *r = req.n ? node_of(p, SRCH_NODE_AND, &req) : NULL;
    srch_node_t *o = opt.n ? node_of(p, SRCH_NODE_OR, &opt) : NULL;
    if ((req.n && r == NULL) || (opt.n && o == NULL))
        return false;
    if (r != NULL && o != NULL)
        out->pos = binary(p, SRCH_NODE_AND_MAYBE, r, o);
    else
        out->pos = r != NULL ? r : o;
    return out->pos != NULL || (r == NULL && o == NULL);
}

/* and_expr := not_expr ( [AND] not_expr )* */
static bool parse_and(parser_t *p, srch_field_t field, part_t *out)
{
    part_t *items = NULL;
    size_t n = 0, cap = 0;
    bool joined = false;
    for (;;) {
        if ((items = grow(p, items, &cap, n, sizeof *items)) == NULL ||
            !parse_not(p, field, &items[n]))
            return false;
        items[n++].joined = joined;
        if (cur(p)->kind == TK_AND) {
            const lex_tok_t *op = take(p);
            if (!need_operand(p, op, true))
                return false;
            joined = true;
        } else if (starts_operand(cur(p)->kind))
            joined = false;
        else
            break;
    }
    if (n == 1) {
        *out = items[0];
        return true;
    }
    if (p->opts.default_op == SRCH_DEFAULT_AND)
        return merge_and(p, items, n, out);
    return merge_or_mode(p, items, n, out);
}

/* or_expr := and_expr ( OR and_expr )* */
static bool parse_or(parser_t *p, srch_field_t field, part_t *out)
{
    if (!parse_and(p, field, out))
        return false;
    if (cur(p)->kind != TK_OR)
        return true;
    node_vec_t alts = { NULL, 0, 0 };
    srch_node_t *first = fix_part(p, out);
    if (first == NULL || !vec_push(p, &alts, first))
        return false;
    while (cur(p)->kind == TK_OR) {
        const lex_tok_t *op = take(p);
        part_t r;
        if (!need_operand(p, op, true) || !parse_and(p, field, &r))
            return false;
        srch_node_t *alt = fix_part(p, &r);
        if (alt == NULL || !vec_push(p, &alts, alt))
            return false;
    }
    size_t col = out->column;
    memset(out, 0, sizeof *out);
    out->column = col;
    out->pos = node_of(p, SRCH_NODE_OR, &alts);
    return out->pos != NULL;
}

/* ------------------------------------------------------------------------ */
/* Stopwords                                                                */
/* ------------------------------------------------------------------------ */

static bool droppable(const srch_node_t *n)
{
    const unsigned both = SRCH_TERM_STOPWORD | SRCH_TERM_BARE;
    return n->kind == SRCH_NODE_TERM && (n->flags & both) == both;
}

/* Whether a positive leaf other than a droppable stopword exists. */
static bool has_content(const srch_node_t *n)
{
    switch (n->kind) {
    case SRCH_NODE_TERM:
        return !droppable(n);
    case SRCH_NODE_PHRASE:
    case SRCH_NODE_NEAR:
    case SRCH_NODE_PREFIX:
        return true;
    case SRCH_NODE_AND_NOT:
        return has_content(n->kids[0]);
    default:
        for (size_t k = 0; k < n->n_kids; k++)
            if (has_content(n->kids[k]))
                return true;
        return false;
    }
}

/* How many leaves of n are droppable stopwords (an upper bound of what
 * prune() drops). */
static size_t count_droppable(const srch_node_t *n)
{
    if (n->kind == SRCH_NODE_TERM)
        return droppable(n);
    size_t c = 0;
    for (size_t k = 0; k < n->n_kids; k++)
        c += count_droppable(n->kids[k]);
    return c;
}

/* n without its droppable stopwords, each added to q's dropped (with room for
 * all); NULL if nothing is left. Only positive items lose stopwords: what is
 * excluded was asked for explicitly. An AND_NOT that loses its positive side
 * goes entirely: nothing is left to exclude from. */
static srch_node_t *prune(srch_query_t *q, srch_node_t *n)
{
    switch (n->kind) {
    case SRCH_NODE_TERM:
        if (!droppable(n))
            return n;
        q->dropped[q->n_dropped++] = n;
        return NULL;
    case SRCH_NODE_PHRASE:
    case SRCH_NODE_NEAR:
    case SRCH_NODE_PREFIX:
        return n;
    case SRCH_NODE_AND_NOT:
        n->kids[0] = prune(q, n->kids[0]);
        return n->kids[0] != NULL ? n : NULL;
    case SRCH_NODE_AND_MAYBE: {
        srch_node_t *l = prune(q, n->kids[0]), *r = prune(q, n->kids[1]);
        if (l == NULL || r == NULL)
            return l != NULL ? l : r;
        n->kids[0] = l;
        n->kids[1] = r;
        return n;
    }
    case SRCH_NODE_AND:
    case SRCH_NODE_OR: {
        size_t m = 0;
        for (size_t k = 0; k < n->n_kids; k++) {
            srch_node_t *kid = prune(q, n->kids[k]);
            if (kid != NULL)
                n->kids[m++] = kid;
        }
        n->n_kids = m;
        return m == 0 ? NULL : m == 1 ? n->kids[0] : n;
    }
    }
    return n;
}

/* ------------------------------------------------------------------------ */
/* Entry point                                                              */
/* ------------------------------------------------------------------------ */

static bool parse_query(parser_t *p)
{
    if (!lex(p))
        return false;
    part_t top;
    if (!parse_or(p, SRCH_FIELD_BODY, &top))
        return false;
    if (cur(p)->kind == TK_RPAREN) {
        fail(p, cur(p)->start + 1, "unmatched ) at column %zu", char_column(p, cur(p)->start + 1));
        return false;
    }
    if (top.pos == NULL) {
        fail(p, top.column, "query has only excluded terms (-, NOT): give a word to find too");
        return false;
    }
    srch_node_t *root = fix_part(p, &top);
    if (root == NULL)
        return false;
    if (p->opts.drop_stopwords && has_content(root)) {
        size_t n = count_droppable(root);
        if (n > 0 && !(p->out->dropped = arena_alloc(p->out, n * sizeof *p->out->dropped))) {
            fail_nomem(p);
            return false;
        }
        root = prune(p->out, root);
    }
    p->out->root = root;
    return true;
}

srch_query_status_t srch_query_parse(srch_query_t **out, const char *q, size_t len,
                                     text_analyzer_t *a, const srch_parse_opts_t *opts,
                                     srch_error_t *err)
{
    srch_error_t scratch;
    if (err == NULL)
        err = &scratch;
    err->message[0] = '\0';
    err->column = 0;
    if (out != NULL)
        *out = NULL;
    if (out == NULL || (q == NULL && len > 0) || a == NULL ||
        (opts != NULL && opts->version != SRCH_PARSE_OPTS_VERSION)) {
        snprintf(err->message, sizeof err->message, "invalid argument");
        return SRCH_QUERY_ERR_INVALID;
    }
    if (len > SRCH_QUERY_MAX) {
        snprintf(err->message, sizeof err->message, "query longer than %d bytes",
                 SRCH_QUERY_MAX);
        err->column = SRCH_QUERY_MAX + 1;
        return SRCH_QUERY_ERR_SYNTAX;
    }
    static const srch_parse_opts_t defaults = SRCH_PARSE_OPTS_INIT;
    parser_t p = { .q = q ? q : "", .len = len, .a = a, .opts = opts ? *opts : defaults,
                   .err = err, .status = SRCH_QUERY_OK };
    p.out = calloc(1, sizeof *p.out);
    if (p.out == NULL) {
        fail_nomem(&p);
        return p.status;
    }
    if (!parse_query(&p)) {
        if (p.status == SRCH_QUERY_OK)   /* every failing path sets it; be safe */
            fail(&p, 1, "invalid query");
        srch_query_free(p.out);
        free(p.toks);
        return p.status;
    }
    free(p.toks);
    *out = p.out;
    return SRCH_QUERY_OK;
}
