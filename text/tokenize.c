/*
 * tokenize.c — cutting UTF-8 text into folded tokens with byte offsets and
 * positions (the rules are in text.h, above text_token_t). Folding itself is
 * fold.c's; stemming and stopwords are applied later by stem.c and stop.c.
 *
 * The scanner works on bytes: ASCII is classified through a table and
 * lower-cased on the fly, and only tokens that hold a non-ASCII character go
 * through utf8proc (text_fold). Each token is collected into a fixed buffer on
 * the stack; a token that cannot fit once folded is still scanned to its end
 * (classifying characters only) and then dropped, so a 100 MB "word" costs one
 * linear pass and no normalisation.
 */
#include <stdlib.h>
#include <string.h>

#include "text_internal.h"

#define L TEXT__C_LOWER
#define U TEXT__C_UPPER
#define D TEXT__C_DIGIT
#define S TEXT__C_SPACE
#define O TEXT__C_OTHER
const unsigned char text__ascii_class[128] = {
    /* NUL and the other controls separate words; \t \n \v \f \r are white space. */
    O, O, O, O, O, O, O, O, O, S, S, S, S, S, O, O,
    O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O,
    /*   !  "  #  $  %  &  '  (  )  *  +  ,  -  .  / */
    S, O, O, O, O, O, O, TEXT__C_APOS, O, O, O, O, TEXT__C_COMMA, TEXT__C_HYPHEN,
    TEXT__C_DOT, O,
    /* 0-9 :  ;  <  =  >  ? */
    D, D, D, D, D, D, D, D, D, D, O, O, O, O, O, O,
    /* @ A-O */
    O, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,
    /* P-Z [  \  ]  ^  _ */
    U, U, U, U, U, U, U, U, U, U, U, O, O, TEXT__C_RBRACKET, O, O,
    /* ` a-o */
    O, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,
    /* p-z {  |  }  ~  DEL */
    L, L, L, L, L, L, L, L, L, L, L, O, O, O, O, O,
};
#undef L
#undef U
#undef D
#undef S
#undef O

/*
 * Bytes collected for one token before folding. Folding never shrinks text by
 * more than four times (a 4-byte mathematical letter becomes one ASCII letter),
 * so a token whose collected bytes pass this bound is too long in any case.
 */
#define RAW_CAP (4 * TEXT_TOKEN_MAX)

/* How far a Markdown link target may reach past its "](". */
#define LINK_MAX 4096

/* How far to look past a token for the punctuation that ends a sentence. */
#define SENTENCE_LOOKAHEAD 64

#define NO_TOKEN ((size_t)-1)

/* The scanners and the character readers they use are inlined into the
 * tokenizer's loop, their hot path, though text__word_end() calls them too
 * (through scan_token()): called, they cost the tokenizer a tenth more
 * instructions (callgrind). What is seldom met, a character reference, is
 * read out of that path. */
#define HOT_INLINE inline __attribute__((always_inline))
#define COLD __attribute__((noinline, cold))

/* What snippets show of a text otherwise than as written, as
 * text_markup_ranges() reads it, read when first needed: the parts they show
 * as nothing, and the character references they show as their character. */
typedef struct hidden {
    size_t *r;              /* hidden: start, end, start, end..., merged, sorted */
    size_t n;               /* ranges */
    size_t cap;             /* ranges r has room for */
    size_t *refs;           /* where the references shown as characters start, sorted */
    size_t n_refs;
    size_t refs_cap;
    bool read;              /* r and refs hold them (or could not: failed) */
    bool failed;            /* out of memory */
} hidden_t;

/* How a tok_state reads its text. */
typedef enum reading {
    READ_MARKDOWN,  /* as snippets show it: what they hide or decode read when
                       first needed, into hidden */
    READ_PLAIN,     /* plain text (a title as shown, title: words): no markup,
                       references as written, since markup no longer decodes them */
    READ_BARE,      /* no markup read, every reference as its character
                       (text__word_end()) */
} reading_t;

typedef struct tok_state {
    const unsigned char *s;
    size_t len;
    const text_open_fence_t *open; /* the fenced code block s starts in, or NULL */
    reading_t reading;
    hidden_t *hidden;       /* READ_MARKDOWN's: what snippets show otherwise */
    text_token_fn fn;
    void *payload;
    uint32_t pos;
    size_t prev_end;        /* end of the last emitted token, or NO_TOKEN */
    bool prev_ideo;         /* that token is TEXT_TOK_IDEO */
    bool reported;          /* a token was reported (not reset, as prev_end is, by
                               one too long to keep) */
    size_t followed;        /* the lines that start before here are read into
                               the state below (follow()) */
    unsigned breaks;        /* line breaks met since the last token kept */
    bool boundary;          /* a block boundary met since then */
    size_t word_end;        /* end of the last word scanned, kept or too long */
    unsigned line;          /* the kind of the line the text is at (line_kind_t) */
    bool quoted;            /* that line is in a quote ('>') */
    bool blank;             /* that line holds nothing past its quote markers */
    bool in_list;           /* a list item came since the last blank line */
    bool in_fence;          /* inside a fenced code block, opened by fence */
    text__fence_t fence;
    text__links_t links;
    size_t raw_len;
    bool overflow;          /* raw would have passed RAW_CAP: drop the token */
    bool non_ascii;         /* raw holds non-ASCII bytes: fold it with utf8proc */
    unsigned n_upper;       /* ASCII capitals in raw, before lower-casing */
    bool lower;             /* raw holds a lower-case ASCII letter */
    char raw[RAW_CAP + 1];
    char word[TEXT_TOKEN_MAX + 1];
} tok_state_t;

static int add_hidden(size_t start, size_t end, uint32_t shown, void *payload)
{
    hidden_t *h = payload;
    if (shown != 0) {   /* a character reference, shown as its character */
        size_t *grown = text_grow(h->refs, &h->refs_cap, h->n_refs + 1, sizeof *grown);
        if (grown == NULL)
            return 1;
        h->refs = grown;
        h->refs[h->n_refs++] = start;
        return 0;
    }
    if (end <= start)
        return 0;
    size_t *grown = text_grow(h->r, &h->cap, h->n + 1, 2 * sizeof *grown);
    if (grown == NULL)
        return 1;
    h->r = grown;
    h->r[2 * h->n] = start;
    h->r[2 * h->n + 1] = end;
    h->n++;
    return 0;
}

static int size_cmp(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* st's hidden parts and references shown, read if not yet: NULL if st reads
 * no markup or memory ran out. */
static hidden_t *markup_read(const tok_state_t *st)
{
    hidden_t *h = st->hidden;
    if (st->reading != READ_MARKDOWN)
        return NULL;
    if (h->read)
        return h->failed ? NULL : h;
    h->read = true;
    h->failed = text_markup_ranges((const char *)st->s, st->len, st->open, add_hidden, h) != 0;
    if (h->failed)
        return NULL;
    if (h->n > 1) {
        qsort(h->r, h->n, 2 * sizeof *h->r, size_cmp);
        size_t kept = 0;     /* merge those that overlap or touch */
        for (size_t k = 1; k < h->n; k++) {
            if (h->r[2 * k] <= h->r[2 * kept + 1]) {
                if (h->r[2 * k + 1] > h->r[2 * kept + 1])
                    h->r[2 * kept + 1] = h->r[2 * k + 1];
            } else {
                kept++;
                h->r[2 * kept] = h->r[2 * k];
                h->r[2 * kept + 1] = h->r[2 * k + 1];
            }
        }
        h->n = kept + 1;
    }
    if (h->n_refs > 1)
        qsort(h->refs, h->n_refs, sizeof *h->refs, size_cmp);
    return h;
}

/* The first of the n sorted values of v, taken every step-th, that is past
 * i: n if none. */
static size_t first_past(const size_t *v, size_t n, size_t step, size_t i)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[step * mid] <= i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Whether snippets show s[i] as nothing, as markup: what past_non_word()
 * passes over is no word only then. Where they show it as written (a
 * code span, a line indented as code, an HTML comment, a link target whose
 * "[" they do not pair with it), its words are words, so that what a
 * snippet shows can be found. Out of memory, as if hidden. */
static bool hidden_at(const tok_state_t *st, size_t i)
{
    const hidden_t *h = markup_read(st);
    if (h == NULL)
        return true;
    size_t k = first_past(h->r, h->n, 2, i);
    return k > 0 && i < h->r[2 * (k - 1) + 1];
}

/* Whether snippets show the character reference at s[i] as the character it
 * names: not in code or after a backslash, where they show it as written,
 * so that its name is a word there. Out of memory, or reading no markup,
 * as a character. */
static bool ref_shown_at(const tok_state_t *st, size_t i)
{
    const hidden_t *h = markup_read(st);
    if (h == NULL)
        return true;
    size_t k = first_past(h->refs, h->n_refs, 1, i);
    return k > 0 && h->refs[k - 1] == i;
}

static inline void raw_put(tok_state_t *st, const unsigned char *p, size_t n)
{
    if (st->overflow)
        return;
    if (st->raw_len + n > RAW_CAP) {
        st->overflow = true;
        return;
    }
    memcpy(st->raw + st->raw_len, p, n);
    st->raw_len += n;
}

static inline void raw_putc(tok_state_t *st, char c)
{
    if (st->overflow)
        return;
    if (st->raw_len + 1 > RAW_CAP) {
        st->overflow = true;
        return;
    }
    st->raw[st->raw_len++] = c;
}

/* The character reference of clen bytes at s[i] ("&eacute;"): the character
 * it names, as raw_put_char() puts characters. */
static COLD void raw_put_ref(tok_state_t *st, size_t i, size_t clen)
{
    utf8proc_int32_t cp = 0;
    (void)text__char_ref((const char *)st->s, i + clen, i, &cp);
    if (cp < 0x80) {
        char b = (char)cp;
        if (b >= 'A' && b <= 'Z') {
            st->n_upper++;
            b = (char)(b | 0x20);
        } else {
            st->lower |= b >= 'a' && b <= 'z';
        }
        raw_putc(st, b);
        return;
    }
    char u[4];
    st->non_ascii = true;
    raw_put(st, (const unsigned char *)u, text_utf8_encode((uint32_t)cp, u));
}

/* Append the character s[i..i+clen) of class c, ASCII lower-cased. */
static HOT_INLINE void raw_put_char(tok_state_t *st, unsigned c, size_t i, size_t clen)
{
    if (clen > 1 && st->s[i] == '&') {
        raw_put_ref(st, i, clen);
    } else if (c == TEXT__C_UPPER) {
        st->n_upper++;
        raw_putc(st, (char)(st->s[i] | 0x20));
    } else if (clen == 1) {
        st->lower |= c == TEXT__C_LOWER;
        raw_putc(st, (char)st->s[i]);
    } else {
        st->non_ascii = true;
        raw_put(st, st->s + i, clen);
    }
}

static inline bool is_letter_class(unsigned c)
{
    return c == TEXT__C_LOWER || c == TEXT__C_UPPER || c == TEXT__C_U_LETTER;
}

/* The class of the character reference at s[i] ("&eacute;", "&#233;",
 * "&rsquo;"), whose length goes to *clen, by the character it names: a word
 * character, an apostrophe ("don&rsquo;t"), a hyphen or an invisible one
 * ("&shy;") is read as that character; any other ("&amp;", "&nbsp;",
 * "&lt;") parts words, whole, as the character does. A '&' that starts no
 * reference is itself, of one byte. */
static COLD unsigned ref_class(const unsigned char *s, size_t len, size_t i, size_t *clen)
{
    utf8proc_int32_t cp;
    size_t n = text__char_ref((const char *)s, len, i, &cp);
    if (n == 0) {
        *clen = 1;
        return TEXT__C_OTHER;
    }
    char u[4];
    size_t ul = text_utf8_encode((uint32_t)cp, u), l;
    unsigned c = text__classify((const unsigned char *)u, ul, 0, &l);
    *clen = n;
    return text__is_word_class(c) || c == TEXT__C_APOS || c == TEXT__C_HYPHEN
                   || c == TEXT__C_INVISIBLE
               ? c
               : TEXT__C_OTHER;
}

/* Class of the character at s[i] (i < len) as the tokenizer reads it:
 * text__classify()'s, but a character reference is the character it names
 * (ref_class()), as Markdown and HTML read it, so that "caf&eacute;" is the
 * word "café" and "AT&amp;T" the words of "AT&T". */
static HOT_INLINE unsigned char_class(const unsigned char *s, size_t len, size_t i, size_t *clen)
{
    unsigned c = text__classify(s, len, i, clen);
    return c == TEXT__C_OTHER && s[i] == '&' ? ref_class(s, len, i, clen) : c;
}

/* ref_class() where snippets show the reference at st->s[i] as its
 * character; where they show it as written (and in plain text, a title as
 * shown, which markup no longer decodes), its '&' alone, of one byte. */
static COLD unsigned shown_ref_class(const tok_state_t *st, size_t i, size_t *clen)
{
    unsigned c = ref_class(st->s, st->len, i, clen);
    if (*clen > 1 && (st->reading == READ_PLAIN || !ref_shown_at(st, i))) {
        *clen = 1;
        return TEXT__C_OTHER;
    }
    return c;
}

/* Class of st->s[i] (i < st->len) as the tokenizer reads it: char_class(),
 * a character reference read as snippets show it. */
static HOT_INLINE unsigned st_class(const tok_state_t *st, size_t i, size_t *clen)
{
    unsigned c = text__classify(st->s, st->len, i, clen);
    return c == TEXT__C_OTHER && st->s[i] == '&' ? shown_ref_class(st, i, clen) : c;
}

/* Class of s[i], or TEXT__C_SPACE past the end (the end separates like a space). */
static inline unsigned class_at(const tok_state_t *st, size_t i, size_t *clen)
{
    if (i >= st->len) {
        *clen = 0;
        return TEXT__C_SPACE;
    }
    return st_class(st, i, clen);
}

static inline bool is_digit_class(unsigned c)
{
    return c == TEXT__C_DIGIT || c == TEXT__C_U_DIGIT;
}

/* Characters that may stand between a word and the punctuation ending its
 * sentence: white space and closing markup or quotes ("**word**.", "(word).",
 * "“word”."). */
static size_t skip_closers(const unsigned char *s, size_t len, size_t i, size_t limit)
{
    while (i < len && i < limit) {
        unsigned char c = s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '*' || c == '_' ||
            c == '`' || c == ')' || c == ']' || c == '"' || c == '\'') {
            i++;
        } else if (c == 0xE2 && i + 2 < len && s[i + 1] == 0x80 &&
                   (s[i + 2] == 0x99 || s[i + 2] == 0x9D)) {
            i += 3;     /* U+2019 ’ and U+201D ” */
        } else if (c == 0xC2 && i + 1 < len && s[i + 1] == 0xBB) {
            i += 2;     /* U+00BB » */
        } else if (c == 0xE3 && i + 2 < len && s[i + 1] == 0x80 &&
                   (s[i + 2] == 0x8D || s[i + 2] == 0x8F)) {
            i += 3;     /* U+300D 」 and U+300F 』 */
        } else if (c == 0xEF && i + 2 < len && s[i + 1] == 0xBC && s[i + 2] == 0x89) {
            i += 3;     /* U+FF09 ） */
        } else {
            break;
        }
    }
    return i;
}

static bool sentence_punct_follows(const tok_state_t *st, size_t end)
{
    const unsigned char *s = st->s;
    size_t i = skip_closers(s, st->len, end, end + SENTENCE_LOOKAHEAD);
    if (i < st->len && (s[i] == '.' || s[i] == '!' || s[i] == '?'))
        return true;
    /* U+3002 。, the half-width U+FF61 ｡, the full-width U+FF01 ！, U+FF0E ．
     * and U+FF1F ？ */
    return i + 2 < st->len && ((s[i] == 0xE3 && s[i + 1] == 0x80 && s[i + 2] == 0x82)
                               || (s[i] == 0xEF && s[i + 1] == 0xBD && s[i + 2] == 0xA1)
                               || (s[i] == 0xEF && s[i + 1] == 0xBC
                                   && (s[i + 2] == 0x81 || s[i + 2] == 0x8E
                                       || s[i + 2] == 0x9F)));
}

/*
 * Whether an acronym whose last dot is just before end also ends a sentence.
 * "U.S. Embassy" is far more common than a sentence ending in "U.S.", so only
 * what cannot continue the sentence counts: the end of the text or of the
 * paragraph (a blank line), or more sentence punctuation ("U.S.?").
 */
static bool acronym_ends_sentence(const tok_state_t *st, size_t end)
{
    const unsigned char *s = st->s;
    size_t i = end, newlines = 0;
    while (i < st->len && i < end + SENTENCE_LOOKAHEAD) {
        if (s[i] == '\n')
            newlines++;
        else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            break;
        i++;
    }
    if (i >= st->len || newlines >= 2)
        return true;
    return sentence_punct_follows(st, end);
}

/* Fold the collected bytes into st->word; returns the word and its length, or
 * NULL if the token is too long. */
static const char *finish_word(tok_state_t *st, size_t *word_len)
{
    if (st->overflow)
        return NULL;
    if (!st->non_ascii) {
        /* ASCII was lower-cased while collecting: that is its whole folding. */
        if (st->raw_len == 0 || st->raw_len > TEXT_TOKEN_MAX)
            return NULL;
        st->raw[st->raw_len] = '\0';
        *word_len = st->raw_len;
        return st->raw;
    }
    size_t n = text_fold(st->raw, st->raw_len, st->word, sizeof st->word);
    if (n == 0)
        return NULL;
    *word_len = n;
    return st->word;
}

/*
 * Try to read a dotted acronym starting with the letter at start: two or more
 * single letters, each followed by a dot ("U.S.", "e.g."); the last dot may be
 * missing ("U.S" at the end of a clause) as long as that letter stands alone.
 * Returns the offset just past the acronym (its last dot included), or 0.
 */
static HOT_INLINE size_t scan_acronym(tok_state_t *st, size_t start)
{
    size_t i = start, n_letters = 0, end = 0;
    for (;;) {
        size_t cl, cl_next;
        unsigned c = class_at(st, i, &cl);
        if (!is_letter_class(c))
            break;
        unsigned next = class_at(st, i + cl, &cl_next);
        if (next == TEXT__C_DOT) {
            raw_put_char(st, c, i, cl);
            n_letters++;
            i += cl + cl_next;
            end = i;
            continue;
        }
        if (n_letters >= 1 && !text__is_word_class(next)) {
            /* "U.S" without its last dot. A mark after the letter would make it
             * a longer grapheme, and a word character a longer word. */
            raw_put_char(st, c, i, cl);
            n_letters++;
            end = i + cl;
        }
        break;
    }
    return n_letters >= 2 ? end : 0;
}

/* Whether a character of class c carries on the word before it: a word
 * character, but no ideograph, which is a word by itself. */
static inline bool continues_word(unsigned c)
{
    return text__is_word_class(c) && c != TEXT__C_U_IDEO;
}

/* If s[i], inside a word, starts a run of up to three '*', '_' or '`'
 * (emphasis, or a code span, opening or closing) that the word goes on past
 * as Markdown shows it, the offset past the run; else 0. The word goes on
 * before its "'s" ("**Moscow**'s", "`Buffer`'s"), and, where snippets hide
 * the run, into its next letter ("**GPU**s", "`int`s"; not where they show
 * it, "un*believ*able", and never past '_', which no emphasis inside a word
 * is made of: "snake_case"). */
static size_t run_past_markup(const tok_state_t *st, size_t i)
{
    size_t cl, cl_next;
    /* Runs may follow each other: "**a**`b`c" is shown "abc". A few are
     * read, each of another mark than the one before it. */
    for (unsigned runs = 0; runs < 3; runs++) {
        size_t j = i;
        while (j < st->len && j - i < 4 && st->s[j] == st->s[i])
            j++;
        if (j - i > 3)
            return 0;
        unsigned next = class_at(st, j, &cl);
        if (runs == 0 && next == TEXT__C_APOS)
            return continues_word(class_at(st, j + cl, &cl_next)) ? j : 0;
        /* (What snippets hide is read only for a run that a letter or
         * another run follows: "**bold** " costs nothing.) */
        bool letter = continues_word(next);
        if ((!letter && (j == st->len || (st->s[j] != '*' && st->s[j] != '`')))
            || st->s[i] == '_' || st->reading != READ_MARKDOWN || !hidden_at(st, i)
            || !hidden_at(st, j - 1))
            return 0;
        if (letter)
            return j;
        i = j;
    }
    return 0;
}

static bool link_text_before(const char *s, size_t i, text__links_t *links);

/* text__link_target_end() of the "](" at s[i], looked for once though a
 * word that ends there asks (run_past_link()) before past_non_word() does.
 * Where it finds none, links->fail_until learns so only if the "](" is
 * known to follow a link's text (link_text): a "](" that no "[" opens is
 * no link, and its failure must not stop a link later on the line. */
static size_t link_target_end(const char *s, size_t len, size_t i, text__links_t *links,
                              bool link_text)
{
    if (links->target_at != i + 1) {
        links->target_at = i + 1;
        links->target_fail_until = links->fail_until;
        links->target_end = text__link_target_end(s, len, i, &links->target_fail_until);
    }
    if (link_text)
        links->fail_until = links->target_fail_until;
    return links->target_end;
}

/* If s[i], inside a word, is the "]" of a link's text, "[GPU](url)s", that
 * the word goes on past as snippets show it, "GPUs": the offset past the
 * link's target, where a letter, or an apostrophe and a letter, follows;
 * else 0. */
static size_t run_past_link(tok_state_t *st, size_t i)
{
    size_t cl, end;
    if (st->reading != READ_MARKDOWN || i + 1 >= st->len || st->s[i + 1] != '('
        || (end = link_target_end((const char *)st->s, st->len, i, &st->links, false)) == 0)
        return 0;
    unsigned next = class_at(st, end, &cl);
    if (next == TEXT__C_APOS)
        next = class_at(st, end + cl, &cl);
    /* (Whether a "[" opens it is looked for only then: seldom.) */
    if (!continues_word(next) || !link_text_before((const char *)st->s, i, &st->links)
        || !hidden_at(st, i) || !hidden_at(st, end - 1))
        return 0;
    return end;
}

/* Scan an ordinary word starting at start; returns the offset just past it. */
static HOT_INLINE size_t scan_word(tok_state_t *st, size_t start)
{
    size_t i = start, cl, cl_next;
    unsigned prev = TEXT__C_OTHER;
    while (i < st->len) {
        unsigned c = st_class(st, i, &cl);
        if (c == TEXT__C_U_IDEO) {
            /* A word by itself, with its marks; it ends the word before it. */
            if (i > start)
                break;
            do {
                raw_put_char(st, c, i, cl);
                i += cl;
            } while (i < st->len && (c = st_class(st, i, &cl)) == TEXT__C_U_MARK);
            break;
        }
        if (text__is_word_class(c)) {
            raw_put_char(st, c, i, cl);
            prev = c;
            i += cl;
            continue;
        }
        if (c == TEXT__C_APOS) {
            /* Inside a word ("Russia's", "don’t"); otherwise a quote mark. */
            if (!continues_word(class_at(st, i + cl, &cl_next)))
                break;
            raw_putc(st, '\'');
            i += cl;
            continue;
        }
        if (i > start && (st->s[i] == '*' || st->s[i] == '_' || st->s[i] == '`')) {
            /* Markup inside a word leaves it whole where Markdown shows it
             * whole. */
            size_t r = run_past_markup(st, i);
            if (r == 0)
                break;
            i = r;
            continue;
        }
        if (i > start && c == TEXT__C_RBRACKET) {
            size_t r = run_past_link(st, i);
            if (r == 0)
                break;
            i = r;
            continue;
        }
        if (c == TEXT__C_INVISIBLE) {
            /* "Tali\u00ADban" is "Taliban"; one between words parts them. */
            if (!continues_word(class_at(st, i + cl, &cl_next)))
                break;
            i += cl;
            continue;
        }
        if ((c == TEXT__C_COMMA || c == TEXT__C_DOT) && is_digit_class(prev)
            && is_digit_class(class_at(st, i + cl, &cl_next))) {
            /* "14,000" -> "14000"; "1.35" keeps its dot (full-width too). */
            if (c == TEXT__C_DOT)
                raw_putc(st, '.');
            prev = TEXT__C_OTHER;
            i += cl;
            continue;
        }
        break;
    }
    return i;
}

/* The kinds of line that decide where a block starts or ends. */
typedef enum {
    LINE_TEXT,
    LINE_CODE,     /* inside a fenced code block: no block starts there */
    LINE_FENCE,    /* a code fence: three or more '`' or '~' */
    LINE_HEADING,  /* one to six '#' before a space or the line's end */
    LINE_TABLE,    /* a table row: it opens with '|' */
    LINE_ITEM,     /* a bulleted item ("-", "*" or "+" before a space), one
                      numbered 1 ("1." or "1)" before a space), or one of
                      another number in a list */
    LINE_NUMBERED  /* another number and "." or ")" before a space: an item in a
                      list, else more likely a wrapped line that opens with one */
} line_kind_t;

static bool is_line_end(const unsigned char *s, size_t len, size_t i)
{
    return i >= len || s[i] == '\n' || s[i] == '\r';
}

size_t text__list_marker_end(const char *s, size_t i, size_t b, size_t max_digits)
{
    size_t j = i;
    if (j < b && (s[j] == '-' || s[j] == '*' || s[j] == '+')) {
        j++;
    } else {
        while (j < b && j - i < max_digits && s[j] >= '0' && s[j] <= '9')
            j++;
        if (j == i || j == b || (s[j] != '.' && s[j] != ')'))
            return 0;
        j++;
    }
    return j < b && (s[j] == ' ' || s[j] == '\t') ? j : 0;
}

size_t text__task_box_end(const char *s, size_t len, size_t i)
{
    if (i + 2 >= len || s[i] != '[' || (s[i + 1] != ' ' && s[i + 1] != 'x' && s[i + 1] != 'X')
        || s[i + 2] != ']'
        || !(is_line_end((const unsigned char *)s, len, i + 3) || s[i + 3] == ' '
             || s[i + 3] == '\t'))
        return 0;
    /* Back over the white space and the bullet, then indentation and quote
     * marks alone up to the line's start: never further than that, so that
     * a long line of boxes is read in linear time. A line starts after a line
     * feed, as snippets and titles read lines: a lone CR left in a file of LF
     * lines (text_decode()) is a progress bar's redraw, not a line's end. */
    size_t j = i;
    while (j > 0 && (s[j - 1] == ' ' || s[j - 1] == '\t'))
        j--;
    if (j == i || j == 0 || (s[j - 1] != '-' && s[j - 1] != '*' && s[j - 1] != '+'))
        return 0;
    size_t a = j - 1;
    while (a > 0 && (s[a - 1] == ' ' || s[a - 1] == '\t' || s[a - 1] == '>'))
        a--;
    return a == 0 || s[a - 1] == '\n' ? i + 3 : 0;
}

size_t text__fence_after_item(const char *s, size_t a, size_t b)
{
    size_t m = text__list_marker_end(s, a + text__indent3(s + a, b - a), b, TEXT__ITEM_DIGITS);
    if (m == 0)
        return a;
    while (m < b && (s[m] == ' ' || s[m] == '\t'))
        m++;
    return m;
}

/* What a line whose text (past its indent) starts at i opens, as Markdown
 * reads it out of code. */
static line_kind_t line_kind(const unsigned char *s, size_t len, size_t i)
{
    if (i >= len)
        return LINE_TEXT;
    if (s[i] == '|')
        return LINE_TABLE;
    size_t j = i;
    if (s[i] == '#') {
        while (j < len && j - i < 7 && s[j] == '#')
            j++;
        return j - i <= 6 && (is_line_end(s, len, j) || s[j] == ' ' || s[j] == '\t')
               ? LINE_HEADING : LINE_TEXT;
    }
    j = text__list_marker_end((const char *)s, i, len, TEXT__ITEM_DIGITS);
    if (j == 0)
        return LINE_TEXT;
    bool numbered = s[i] >= '0' && s[i] <= '9';
    return !numbered || (j - i == 2 && s[i] == '1') ? LINE_ITEM : LINE_NUMBERED;
}

/* Read the line that starts at i into st (its kind, whether it is quoted, a
 * fence opened or closed), and say whether going into it from the line
 * before crosses a block boundary: into or out of a heading, table row or
 * fence, into a list item, into or out of a quote. */
static bool open_line(tok_state_t *st, size_t i)
{
    const unsigned char *s = st->s;
    size_t len = st->len, indent = 0;
    /* Quote markers: in code, only those of a quote the code is in (">>>"
     * opens a line of a Python session) */
    bool quoted = false, markers = !st->in_fence || st->quoted;
    for (; i < len && (s[i] == ' ' || s[i] == '\t' || (markers && s[i] == '>')); i++) {
        if (s[i] == '>')
            quoted = true, indent = 0;
        else
            indent += s[i] == '\t' ? 4 : 1;
    }
    if (st->in_fence && !markers)
        quoted = st->quoted;
    else if (st->in_fence && st->quoted && !quoted)
        st->in_fence = false;   /* the quote ends, and the fence opened in it */
    line_kind_t before = (line_kind_t)st->line, kind;
    size_t end = i;
    while (!is_line_end(s, len, end))
        end++;
    size_t fence_at = st->in_fence ? i : text__fence_after_item((const char *)s, i, end);
    if (indent <= 3
        && text__fence_toggles((const char *)s, fence_at, end, st->in_fence, &st->fence)) {
        st->in_fence = !st->in_fence;
        kind = LINE_FENCE;
    } else if (st->in_fence) {
        kind = LINE_CODE;
    } else {
        kind = line_kind(s, len, i);
        /* Indented four columns, a heading or a row is code or a line
         * carried on; a numbered line is an item only in a list. */
        if ((kind == LINE_HEADING || kind == LINE_TABLE) && indent > 3)
            kind = LINE_TEXT;
        if (kind == LINE_NUMBERED)
            kind = st->in_list ? LINE_ITEM : LINE_TEXT;
        /* A line of text with no '>' right after a quote's text carries its
         * paragraph on (Markdown's "lazy" line): "> lazy green\nturtle". */
        if (!quoted && st->quoted && !st->blank && kind == LINE_TEXT
            && !is_line_end(s, len, i) && (before == LINE_TEXT || before == LINE_ITEM))
            quoted = true;
    }
    bool was_quoted = st->quoted;
    st->blank = is_line_end(s, len, i);
    st->line = kind;
    st->quoted = quoted;
    st->in_list = st->in_list || kind == LINE_ITEM;
    if (kind == LINE_CODE)
        return before == LINE_FENCE || quoted != was_quoted;
    return before == LINE_HEADING || before == LINE_TABLE || before == LINE_FENCE
           || kind == LINE_HEADING || kind == LINE_TABLE || kind == LINE_FENCE
           || kind == LINE_ITEM || quoted != was_quoted;
}

/* Follow the text up to to (from where the last call stopped): the lines it
 * starts, read into st, so that what is at to, a word or what
 * past_non_word() reads, is read as its line is (in a fenced code block or
 * not), and not as the line of the word before. Notes in st
 * whether it crosses a block boundary (text.h, above text_token_t) since
 * the last token kept: a blank line (or a line of no word), a boundary
 * between lines (open_line()), a table row's bar. A call never stops
 * between the "\r" and the "\n" of a line break. */
static void follow(tok_state_t *st, size_t to)
{
    const unsigned char *s = st->s;
    bool boundary = false;
    for (size_t i = st->followed; i < to; i++) {
        if (s[i] == '|' && st->line == LINE_TABLE) {
            boundary = true;
        } else if (s[i] == '\n' || s[i] == '\r') {
            size_t j = i;
            while (j < to && s[j] == '\r')
                j++;
            if (j > i && j < to && s[j] == '\n')
                i = j; /* "\r\n", and "\r\r\n" as some tools write it, is one */
            if (++st->breaks > 1) {
                boundary = true; /* a blank line, or a line of no word between */
                st->in_list = false;
            }
            boundary |= open_line(st, i + 1);
        }
    }
    st->boundary |= boundary;
    if (to > st->followed)
        st->followed = to;
}

static inline void reset_raw(tok_state_t *st)
{
    st->raw_len = 0;
    st->overflow = false;
    st->non_ascii = false;
    st->n_upper = 0;
    st->lower = false;
}

/* Read the word whose first character, of class first_class, is at start,
 * into st's raw buffer: a dotted acronym (flagged in *flags) or an ordinary
 * word. Returns the offset just past it. */
static HOT_INLINE size_t scan_token(tok_state_t *st, size_t start, unsigned first_class,
                                    unsigned *flags)
{
    reset_raw(st);
    if (is_letter_class(first_class)) {
        size_t end = scan_acronym(st, start);
        if (end != 0) {
            *flags |= TEXT_TOK_ACRONYM;
            return end;
        }
        reset_raw(st);
    }
    return scan_word(st, start);
}

/* Whether s[from..to) holds nothing but invisible characters (or nothing). */
static bool only_invisible(const tok_state_t *st, size_t from, size_t to)
{
    size_t cl;
    for (size_t i = from; i < to; i += cl)
        if (st_class(st, i, &cl) != TEXT__C_INVISIBLE)
            return false;
    return true;
}

/* Whether one hyphen is all there is between a word that ends at end and the
 * word character at start. */
static HOT_INLINE bool hyphen_between(const tok_state_t *st, size_t end, size_t start)
{
    size_t cl;
    return end < start && start <= st->len && st_class(st, end, &cl) == TEXT__C_HYPHEN
           && end + cl == start;
}

/* Cut the token starting at the word character at start and report it. Returns
 * the callback's value; *next receives the offset to continue from. */
static int take_token(tok_state_t *st, size_t start, unsigned first_class, size_t *next)
{
    follow(st, start);
    unsigned flags = 0;
    size_t end = scan_token(st, start, first_class, &flags);
    *next = end;
    st->followed = end;     /* a word starts no line and holds no table bar */

    /* The parts of a hyphenated word, kept or not, are told by the hyphens
     * between them. */
    if (st->word_end != NO_TOKEN && hyphen_between(st, st->word_end, start))
        flags |= TEXT_TOK_HYPHEN_BEFORE;
    st->word_end = end;
    size_t cl;
    if (end < st->len && st_class(st, end, &cl) == TEXT__C_HYPHEN
        && text__is_word_class(class_at(st, end + cl, &cl)))
        flags |= TEXT_TOK_HYPHEN_AFTER;

    size_t word_len = 0;
    const char *word = finish_word(st, &word_len);
    if (word == NULL) {
        st->prev_end = NO_TOKEN;
        return 0;
    }

    if (first_class == TEXT__C_U_IDEO) {
        flags |= TEXT_TOK_IDEO;
        if (st->prev_end != NO_TOKEN && st->prev_ideo && only_invisible(st, st->prev_end, start))
            flags |= TEXT_TOK_IDEO_TOUCHING;
    } else if (first_class == TEXT__C_DIGIT || first_class == TEXT__C_U_DIGIT)
        flags |= TEXT_TOK_NUMBER;
    else if (!(flags & TEXT_TOK_ACRONYM) && st->n_upper >= 2 && !st->lower && !st->non_ascii)
        flags |= TEXT_TOK_CAPITALS;
    if (st->prev_end != NO_TOKEN && hyphen_between(st, st->prev_end, start))
        flags |= TEXT_TOK_JOINED;
    if ((flags & TEXT_TOK_ACRONYM)
        && (st->s[end - 1] == '.'
            || (end >= 3 && memcmp(st->s + end - 3, "\xEF\xBC\x8E", 3) == 0))) { /* ． */
        if (acronym_ends_sentence(st, end))
            flags |= TEXT_TOK_SENTENCE_END;
    } else if (sentence_punct_follows(st, end)) {
        flags |= TEXT_TOK_SENTENCE_END;
    }

    if (st->reported && st->boundary)
        st->pos += TEXT_BLOCK_GAP;
    st->boundary = false;
    st->breaks = 0;
    text_token_t tok = {
        .word = word,
        .word_len = word_len,
        .start = start,
        .end = end,
        .pos = st->pos++,
        .flags = flags,
    };
    st->prev_end = end;
    st->prev_ideo = (flags & TEXT_TOK_IDEO) != 0;
    st->reported = true;
    return st->fn(&tok, st->payload);
}

size_t text__link_target_end(const char *str, size_t len, size_t i, size_t *fail_until)
{
    const unsigned char *s = (const unsigned char *)str;
    if (i + 1 < *fail_until)
        return 0;
    size_t limit = len - i > LINK_MAX ? i + LINK_MAX : len;
    unsigned depth = 1;
    size_t j;
    for (j = i + 2; j < limit; j++) {
        if (s[j] == '(') {
            depth++;
        } else if (s[j] == ')') {
            if (--depth == 0)
                return j + 1;
        } else if (s[j] == '\n') {
            break;
        }
    }
    *fail_until = j;
    return 0;
}

/* How far to move on from the separator at s[i] (cl bytes): past a whole
 * terminal escape sequence ("\033[31m" in a captured log), whose letters are
 * not words and are not shown; else past the character. */
static size_t escape_or_char(const char *s, size_t len, size_t i, size_t cl)
{
    unsigned char c = (unsigned char)s[i];
    size_t esc = c == 0x1B || c == 0xC2 ? text_escape_len(s + i, len - i) : 0;
    return esc ? esc : cl;
}

/* Whether the byte before a "[^" may end what a footnote marks: a word, or
 * the punctuation after one ("peace[^1]", "said.[^2]", "**this**[^3]"). */
static bool footnote_follows(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
           || c >= 0x80 || (c != 0 && strchr(".,;:!?)*_", c) != NULL);
}

/* Whether only up to three spaces stand before s[i] on its line: where a
 * Markdown definition's "[" may open it. */
static bool opens_line(const char *s, size_t i)
{
    size_t line = i;
    while (line > 0 && i - line <= 3 && s[line - 1] == ' ')
        line--;
    return i - line <= 3 && (line == 0 || s[line - 1] == '\n');
}

/* Past a Markdown footnote reference at s[i] ("[^1]", "[^note]": a label
 * of no white space, on one line, after a word, and not a link's text), or
 * past the label of a footnote definition at a line's start ("[^1]: ...",
 * after at most three spaces), or 0. A regular expression's class
 * ("[^aeiou]" in quotes or alone) is no footnote. */
size_t text__footnote_ref_end(const char *s, size_t len, size_t i)
{
    if (s[i] != '[' || i + 2 >= len || s[i + 1] != '^')
        return 0;
    bool line_start = opens_line(s, i);
    if (!line_start && !footnote_follows((unsigned char)s[i - 1]))
        return 0;
    for (size_t j = i + 2; j < len && j < i + LINK_MAX; j++) {
        if (s[j] == ']') {
            /* A regular expression's class goes on after its bracket:
             * "foo[^bar]baz", "x[^0-9]+", "[^a]{2}", "a[^b]*c" (but "*"
             * or "?" alone after a footnote is emphasis or punctuation,
             * "**Bold[^1]**", "Really[^2]?"). */
            unsigned char next = j + 1 < len ? (unsigned char)s[j + 1] : ' ';
            unsigned char then = j + 2 < len ? (unsigned char)s[j + 2] : ' ';
            bool regex = text__is_ascii_alnum(next) || next == '{' || next == '+'
                         || ((next == '*' || next == '?') && text__is_ascii_alnum(then));
            bool after_ok = line_start ? next == ':' : next != '(' && !regex;
            return j > i + 2 && after_ok ? j + 1 : 0;
        }
        if (text__is_space_byte((unsigned char)s[j]) || s[j] == '[')
            return 0;
    }
    return 0;
}

/* Longest label of a link reference definition looked back over: CommonMark
 * allows 999 characters, after up to three spaces. */
#define LINK_LABEL_MAX 1003

/* Past the address of a Markdown link reference definition whose "]" is at
 * s[i] ("[label]: https://x.org/a" at the start of a line, after at most
 * three spaces), or 0: its address is no word, as an inline link's is not.
 * As in CommonMark, only spaces and then the line's end, or a title in
 * quotes or parentheses, may follow the address; and it must look like one
 * (a "/", ":", "." or "#" in it, or "<...>"), so that "[INFO]: Starting" in
 * a log is text. */
size_t text__link_definition_end(const char *s, size_t len, size_t i)
{
    if (i + 2 >= len || s[i + 1] != ':' || (s[i + 2] != ' ' && s[i + 2] != '\t'))
        return 0;
    size_t open = i, floor = i > LINK_LABEL_MAX ? i - LINK_LABEL_MAX : 0;
    while (open > floor && s[open] != '[' && s[open] != '\n')
        open--;
    if (s[open] != '[' || !opens_line(s, open))
        return 0;
    size_t j = i + 2;
    while (j < len && (s[j] == ' ' || s[j] == '\t'))
        j++;
    size_t target = j;
    bool address = j < len && s[j] == '<';
    while (j < len && !text__is_space_byte((unsigned char)s[j])) {
        address = address || s[j] == '/' || s[j] == ':' || s[j] == '.' || s[j] == '#';
        j++;
    }
    size_t k = j;
    while (k < len && (s[k] == ' ' || s[k] == '\t'))
        k++;
    bool then_ok = k == len || s[k] == '\n' || s[k] == '\r' || s[k] == '"' || s[k] == '\''
                   || s[k] == '(';
    return j > target && address && then_ok ? j : 0;
}

/* How far an attribute block may reach past its "{". */
#define ATTRS_MAX 256

/* Whether c may go on an attribute's name ("install", "my-id", "x:y"), or
 * start one (no digit, ".", ":"). */
static bool attr_name_char(unsigned char c, bool first)
{
    if (c >= 0x80 || c == '_' || c == '-')
        return true;
    unsigned k = text__ascii_class[c];
    if (k == TEXT__C_LOWER || k == TEXT__C_UPPER)
        return true;
    return !first && (k == TEXT__C_DIGIT || c == ':' || c == '.');
}

/* Past a name at s[k] within s[..b), or k. */
static size_t attr_name_end(const char *s, size_t b, size_t k)
{
    if (k >= b || !attr_name_char((unsigned char)s[k], true))
        return k;
    for (k++; k < b && attr_name_char((unsigned char)s[k], false); k++)
        ;
    return k;
}

size_t text__attrs_block_end(const char *s, size_t len, size_t i)
{
    if (i == 0 || i >= len || s[i] != '{' || (s[i - 1] != ' ' && s[i - 1] != '\t'))
        return 0;
    size_t b = len - i > ATTRS_MAX ? i + ATTRS_MAX : len, k = i + 1;
    if (k < b && s[k] == ':')
        k++;    /* kramdown's "{: ...}" */
    /* Pandoc's attributes: "#id", ".class", "-" (unnumbered), key=value
     * (its value quoted or one run), apart by white space; at least one of
     * the first three, so that "{x=1}" or "{a, b}" stay text. */
    bool marked = false;
    for (;;) {
        while (k < b && (s[k] == ' ' || s[k] == '\t'))
            k++;
        if (k < b && s[k] == '}')
            break;
        size_t t = k;
        if (k < b && (s[k] == '#' || s[k] == '.')) {
            t = attr_name_end(s, b, k + 1);
            if (t == k + 1)
                return 0;
            marked = true;
        } else if (k < b && s[k] == '-') {
            t = k + 1;
            marked = true;
        } else {
            t = attr_name_end(s, b, k);
            if (t == k || t >= b || s[t] != '=')
                return 0;
            t++;
            if (t < b && s[t] == '"') {
                const char *q = memchr(s + t + 1, '"', b - t - 1);
                if (q == NULL || memchr(s + t, '\n', (size_t)(q - s) - t) != NULL)
                    return 0;
                t = (size_t)(q - s) + 1;
            } else {
                while (t < b && !text__is_space_byte((unsigned char)s[t]) && s[t] != '}'
                       && s[t] != '{' && s[t] != '"')
                    t++;
            }
        }
        if (t < b && s[t] != '}' && s[t] != ' ' && s[t] != '\t')
            return 0;   /* "{#a}b" needs its end; "{.x = 1}" is no attribute */
        k = t;
    }
    if (!marked || k >= b)
        return 0;
    size_t e = k + 1;
    while (e < len && (s[e] == ' ' || s[e] == '\t'))
        e++;
    return is_line_end((const unsigned char *)s, len, e) ? k + 1 : 0;
}

size_t text__heading_attrs_end(const char *s, size_t len, size_t i)
{
    size_t end = text__attrs_block_end(s, len, i);
    if (end == 0)
        return 0;
    size_t a = i, indent = 0;
    while (a > 0 && s[a - 1] != '\n' && s[a - 1] != '\r')
        a--;
    for (; a < i && (s[a] == ' ' || s[a] == '>'); a++)
        indent = s[a] == '>' ? 0 : indent + 1;
    if (indent <= 3 && line_kind((const unsigned char *)s, len, a) == LINE_HEADING)
        return end;
    if (text__list_marker_end(s, a, len, TEXT__ITEM_DIGITS) != 0)
        return 0;   /* "- item" over "---" is an item and a rule */
    size_t e = end;
    while (!is_line_end((const unsigned char *)s, len, e))
        e++;
    return text_is_underlined(s, len, e) ? end : 0;
}

/* Farthest back a link's "[" is looked for from its "](". */
#define LINK_TEXT_MAX 1023

/* Whether s[j] is escaped by an odd run of backslashes (looked at back to
 * stop). */
static bool escaped(const char *s, size_t stop, size_t j)
{
    size_t k = j;
    while (k > stop && s[k - 1] == '\\')
        k--;
    return (j - k) % 2 == 1;
}

/* Whether a "[" opens the bracket that the "]" at s[i] closes, on its line
 * or the line before (a link's text wrapped), and no backslash escapes that
 * "[": only then is the "](target)" after it a link's target, as snippets
 * read it. Brackets inside are counted escaped or not, as snippets count
 * them ("[x \[y]](z)" is a link). An escaped "\[see](notes)", or a
 * "](notes)" with no "[", is text. A "](" that a previous one, with no "["
 * between them, found no "[" for has none either (links->no_open_at): a
 * line of them is read in linear time. */
static bool link_text_before(const char *s, size_t i, text__links_t *links)
{
    size_t last = links->no_open_at;
    if (last != 0 && last - 1 < i && memchr(s + last, '[', i - last) == NULL) {
        links->no_open_at = i + 1;
        return false;
    }
    size_t stop = i > LINK_TEXT_MAX ? i - LINK_TEXT_MAX : 0;
    unsigned depth = 0, breaks = 0;
    for (size_t j = i; j-- > stop;) {
        char c = s[j];
        if (c == '\n' && ++breaks > 1)
            break;
        if (c == ']')
            depth++;
        else if (c == '[' && depth-- == 0)
            return !escaped(s, stop, j);
    }
    links->no_open_at = i + 1;
    return false;
}

/* Past what starts at s[i], of class c and cl bytes, and is no word: out
 * of a fenced code block (in_fence), which shows its text as written, a
 * task's box ("- [x]"), a Markdown link target ("](url)", "[label]: url",
 * whose "]" comes after a word), a footnote reference ("[^1]") or
 * definition ("[^1]: ...") or a heading's attribute block ("{#id}"); an
 * escape sequence; or the character. */
static size_t past_non_word(const char *s, size_t len, size_t i, unsigned c, size_t cl,
                            text__links_t *links, bool in_fence)
{
    if (in_fence)
        return i + escape_or_char(s, len, i, cl);
    size_t end = s[i] == '[' ? text__task_box_end(s, len, i) : 0;
    if (end != 0)
        return end;
    if (c == TEXT__C_RBRACKET && i + 1 < len && s[i + 1] == '(' && link_text_before(s, i, links)) {
        end = link_target_end(s, len, i, links, true);
        return end != 0 ? end : i + 1;
    }
    end = c == TEXT__C_RBRACKET ? text__link_definition_end(s, len, i)
          : s[i] == '{'         ? text__heading_attrs_end(s, len, i)
          : s[i] == '['         ? text__footnote_ref_end(s, len, i)
                                : 0;
    return end != 0 ? end : i + escape_or_char(s, len, i, cl);
}

/* text_tokenize_in(), or text_tokenize_plain() if plain. */
static int tokenize(const char *s, size_t len, uint32_t first_pos, const text_open_fence_t *open,
                    bool plain, text_token_fn fn, void *payload)
{
    if (s == NULL || fn == NULL)
        return 0;

    tok_state_t st;
    st.s = (const unsigned char *)s;
    st.len = len;
    st.open = open;
    hidden_t hidden = { NULL, 0, 0, NULL, 0, 0, false, false };
    st.reading = plain ? READ_PLAIN : READ_MARKDOWN;
    st.hidden = &hidden;
    st.fn = fn;
    st.payload = payload;
    st.pos = first_pos;
    st.prev_end = NO_TOKEN;
    st.prev_ideo = false;
    st.reported = false;
    st.word_end = NO_TOKEN;
    st.line = LINE_TEXT;
    st.quoted = st.blank = st.in_list = st.in_fence = false;
    if (open != NULL && open->c != 0) {
        st.line = LINE_CODE;
        st.in_fence = true;
        st.fence.c = open->c;
        st.fence.n = open->n;
        st.fence.bare = false;
    }
    st.links = (text__links_t){ 0, 0, 0, 0, 0 };
    st.followed = 0;
    st.breaks = 0;
    st.boundary = false;
    open_line(&st, 0);

    size_t i = 0;
    int rc = 0;
    while (i < len && rc == 0) {
        size_t cl;
        unsigned c = st_class(&st, i, &cl);
        if (text__is_word_class(c)) {
            rc = take_token(&st, i, c, &i);
        } else if (plain) {
            i += escape_or_char(s, len, i, cl);
        } else if (c == TEXT__C_RBRACKET || s[i] == '[' || s[i] == '{') {
            /* What past_non_word() reads differently in a fenced code block
             * is read with the state of its own line; what it passes over
             * is passed over where snippets hide it. */
            follow(&st, i);
            size_t next = past_non_word(s, len, i, c, cl, &st.links, st.in_fence);
            if (next > i + cl && !hidden_at(&st, i))
                next = i + cl;
            i = next;
        } else {
            i = past_non_word(s, len, i, c, cl, &st.links, st.in_fence);
        }
    }
    free(hidden.r);
    free(hidden.refs);
    return rc;
}

int text_tokenize(const char *s, size_t len, uint32_t first_pos, text_token_fn fn,
                  void *payload)
{
    return tokenize(s, len, first_pos, NULL, false, fn, payload);
}

int text_tokenize_in(const char *s, size_t len, uint32_t first_pos,
                     const text_open_fence_t *open, text_token_fn fn, void *payload)
{
    return tokenize(s, len, first_pos, open, false, fn, payload);
}

int text_tokenize_plain(const char *s, size_t len, uint32_t first_pos, text_token_fn fn,
                        void *payload)
{
    return tokenize(s, len, first_pos, NULL, true, fn, payload);
}

size_t text__next_word_char(const char *s, size_t len, text__reader_t *r, size_t from, size_t to)
{
    /* Word characters are passed one by one: inside a token, what is no word
     * character (an apostrophe, a soft hyphen, a digit group's comma) starts
     * no unit that past_non_word() would take for more than that character. */
    while (r->i < to && r->i < len) {
        size_t cl;
        unsigned c = char_class((const unsigned char *)s, len, r->i, &cl);
        if (!text__is_word_class(c))
            r->i = past_non_word(s, len, r->i, c, cl, &r->links, false);
        else if (r->i >= from)
            return r->i;
        else
            r->i += cl;
    }
    return to;
}

size_t text__first_word_char(const char *s, size_t len)
{
    text__reader_t r = TEXT__READER_INIT;
    return text__next_word_char(s, len, &r, 0, len);
}

bool text_is_word_char(const char *s, size_t len, size_t i)
{
    size_t cl;
    return i < len && text__is_word_class(char_class((const unsigned char *)s, len, i, &cl));
}

size_t text__word_end(const char *s, size_t len, size_t i)
{
    tok_state_t st;
    st.s = (const unsigned char *)s;
    st.len = len;
    st.reading = READ_BARE;
    st.hidden = NULL;
    size_t cl;
    unsigned c = i < len ? st_class(&st, i, &cl) : TEXT__C_OTHER, flags = 0;
    return text__is_word_class(c) ? scan_token(&st, i, c, &flags) : i;
}
