/*
 * spell.c — word lists for "did you mean" (see spell.h): merging the words of
 * an indexing run into the lists, and finding the closest word in them.
 */
#include <stdlib.h>
#include <string.h>

#include "spell.h"
#include "text_internal.h"

/* Decode up to max characters of word into cp; returns how many there are
 * (possibly more than max: then cp holds only the first max). An invalid byte
 * is one character, U+FFFD. */
static size_t decode(const char *word, size_t len, uint32_t *cp, size_t max)
{
    const unsigned char *s = (const unsigned char *)word;
    size_t n = 0;
    for (size_t i = 0; i < len; n++) {
        utf8proc_int32_t c;
        size_t avail = len - i;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, avail > 4 ? 4 : (utf8proc_ssize_t)avail, &c);
        if (k <= 0) {
            c = 0xFFFD;
            k = 1;
        }
        if (cp && n < max)
            cp[n] = (uint32_t)c;
        i += (size_t)k;
    }
    return n;
}

/* decode() of word without the accents of its Latin and Greek letters
 * (text_unaccent()), as matching reads them: "resumee" is one edit from
 * "résumé", whose words "resume" finds; and without apostrophes, which a
 * word typed in haste leaves out: "wont" is "won't" before it is "want". */
static size_t decode_plain(const char *word, size_t len, uint32_t *cp, size_t max)
{
    char plain[4 * TEXT_SPELL_WORD_MAX + 1];
    size_t n = text_unaccent(word, len, plain, sizeof plain);
    if (n == 0) {
        if (len >= sizeof plain)
            return decode(word, len, cp, max);
        memcpy(plain, word, len);
        n = len;
    }
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (plain[i] != '\'')
            plain[kept++] = plain[i];
    return decode(plain, kept, cp, max);
}

size_t text_spell_chars(const char *word, size_t len)
{
    return decode(word, len, NULL, 0);
}

bool text_spell_word_ok(const char *word, size_t len)
{
    if (len == 0 || memchr(word, '\t', len) || memchr(word, '\n', len) || memchr(word, '\0', len))
        return false;
    return text_spell_chars(word, len) <= TEXT_SPELL_WORD_MAX;
}

static int cmp_bytes(const char *a, size_t na, const char *b, size_t nb)
{
    int c = memcmp(a, b, na < nb ? na : nb);
    return c ? c : (na > nb) - (na < nb);
}

static int word_cmp(const void *a, const void *b)
{
    const text_spell_word_t *x = a, *y = b;
    return cmp_bytes(x->word, x->len, y->word, y->len);
}

/* The next well-formed line of a list from *pos: word and count. Lines that
 * are not "word<TAB>digits<LF>" are skipped. False at the end. */
static bool next_line(const char *list, size_t len, size_t *pos, text_spell_word_t *w)
{
    while (*pos < len) {
        const char *line = list + *pos;
        const char *lf = memchr(line, '\n', len - *pos);
        size_t line_len = lf ? (size_t)(lf - line) : len - *pos;
        *pos += line_len + (lf != NULL);
        const char *tab = memchr(line, '\t', line_len);
        if (!lf || !tab || tab == line || tab + 1 == line + line_len)
            continue;
        uint64_t count = 0;
        const char *d = tab + 1;
        for (; d < line + line_len && *d >= '0' && *d <= '9'; d++)
            if ((count = count * 10 + (uint64_t)(*d - '0')) > UINT32_MAX)
                count = UINT32_MAX;
        if (d != line + line_len)
            continue;
        w->word = line;
        w->len = (size_t)(tab - line);
        w->count = (uint32_t)count;
        return true;
    }
    return false;
}

int text_spell_each(const char *list, size_t len,
                    int (*fn)(const char *word, size_t len, uint32_t count, void *payload),
                    void *payload)
{
    size_t pos = 0;
    text_spell_word_t w;
    while (next_line(list, len, &pos, &w)) {
        int rc = fn(w.word, w.len, w.count, payload);
        if (rc)
            return rc;
    }
    return 0;
}

static bool put_line(text_buf_t *out, const char *word, size_t len, uint32_t count)
{
    return text_buf_append(out, word, len) && text_buf_printf(out, "\t%lu\n", (unsigned long)count);
}

bool text_spell_list(text_buf_t *out, text_spell_word_t *words, size_t n)
{
    text_buf_clear(out);
    if (n > 1)
        qsort(words, n, sizeof *words, word_cmp);
    for (size_t i = 0; i < n; i++)
        if (text_spell_word_ok(words[i].word, words[i].len)
            && !put_line(out, words[i].word, words[i].len, words[i].count))
            return false;
    return true;
}

bool text_spell_merge(text_buf_t *out, const char *a, size_t a_len, const char *b,
                      size_t b_len)
{
    text_buf_clear(out);
    size_t pa = 0, pb = 0;
    text_spell_word_t x, y;
    bool have_x = a && next_line(a, a_len, &pa, &x);
    bool have_y = b && next_line(b, b_len, &pb, &y);
    while (have_x || have_y) {
        int c = !have_x ? 1 : !have_y ? -1 : word_cmp(&x, &y);
        bool ok;
        if (c < 0)
            ok = put_line(out, x.word, x.len, x.count);
        else if (c > 0)
            ok = put_line(out, y.word, y.len, y.count);
        else
            ok = put_line(out, x.word, x.len,
                          x.count > UINT32_MAX - y.count ? UINT32_MAX : x.count + y.count);
        if (!ok)
            return false;
        if (c <= 0)
            have_x = next_line(a, a_len, &pa, &x);
        if (c >= 0)
            have_y = next_line(b, b_len, &pb, &y);
    }
    return true;
}

unsigned text_spell_distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                             unsigned max)
{
    size_t diff = na > nb ? na - nb : nb - na;
    if (diff > max)
        return max + 1;
    if (nb > TEXT_SPELL_WORD_MAX || na > TEXT_SPELL_WORD_MAX)
        return max + 1;
    /* Three rows of the table of distances between prefixes: the one before
     * the previous is for swaps of neighbouring characters. */
    unsigned rows[3][TEXT_SPELL_WORD_MAX + 1];
    unsigned *before = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= nb; j++)
        prev[j] = (unsigned)j;
    unsigned prev_min = 0;
    for (size_t i = 1; i <= na; i++) {
        cur[0] = (unsigned)i;
        unsigned row_min = cur[0];
        for (size_t j = 1; j <= nb; j++) {
            unsigned sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            unsigned del = prev[j] + 1, ins = cur[j - 1] + 1;
            unsigned d = sub < del ? sub : del;
            d = d < ins ? d : ins;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]
                && before[j - 2] + 1 < d)
                d = before[j - 2] + 1;
            cur[j] = d;
            row_min = d < row_min ? d : row_min;
        }
        /* A row's distances come from the row above, plus one, or through a
         * swap from the row before it, plus one: once a row is all above max
         * and the one before it all at least max, every later row is too. */
        if (row_min > max && prev_min >= max)
            return max + 1;
        prev_min = row_min;
        unsigned *t = before;
        before = prev;
        prev = cur;
        cur = t;
    }
    return prev[nb] > max ? max + 1 : prev[nb];
}

/* ---- suggestions ---------------------------------------------------------- */

bool text_spell_best_init(text_spell_best_t *best, const char *word, size_t len)
{
    memset(best, 0, sizeof *best);
    best->word = (text_buf_t)TEXT_BUF_INIT;
    best->n_chars = decode_plain(word, len, best->chars, TEXT_SPELL_WORD_MAX);
    best->n_typed = decode(word, len, best->typed, TEXT_SPELL_WORD_MAX);
    /* Too long typed, though not without its apostrophes: same_as_typed()
     * could not tell the word itself from another. */
    if (best->n_chars == 0 || best->n_chars > TEXT_SPELL_WORD_MAX
        || best->n_typed > TEXT_SPELL_WORD_MAX)
        return false;
    for (size_t i = 0; i < best->n_chars; i++)
        if (best->chars[i] < '0' || best->chars[i] > '9')
            return true;
    return false; /* a number: "8080" is no typo of "md80" */
}

/* Whether word[0..len) is the word typed, accents and all. */
static bool same_as_typed(const text_spell_best_t *best, const char *word, size_t len)
{
    uint32_t cp[TEXT_SPELL_WORD_MAX];
    size_t n = decode(word, len, cp, TEXT_SPELL_WORD_MAX);
    return n <= TEXT_SPELL_WORD_MAX && n == best->n_typed
           && memcmp(cp, best->typed, n * sizeof cp[0]) == 0;
}

static int consider(const char *word, size_t len, uint32_t count, void *payload)
{
    text_spell_best_t *best = payload;
    uint32_t cp[TEXT_SPELL_WORD_MAX];
    size_t n = decode_plain(word, len, cp, TEXT_SPELL_WORD_MAX);
    if (n > TEXT_SPELL_WORD_MAX)
        return 0;
    /* No edit in a word of two characters or fewer ("e" is no typo of
     * "the", and "UN" could be any of "gun", "us", "in"): only its accents
     * or apostrophes may differ. */
    unsigned max = best->n_chars <= TEXT_SPELL_SHORT ? 0 : TEXT_SPELL_MAX_DISTANCE;
    if (best->found)
        max = best->distance;
    unsigned d = text_spell_distance(best->chars, best->n_chars, cp, n, max);
    if (d > max || (d == 0 && same_as_typed(best, word, len)))
        return 0;
    /* Two edits change too much of two short words: "plain" is no typo of
     * "putin", though "O'Nel" may be one of "O'Neill". */
    if (d >= 2 && (n > best->n_chars ? n : best->n_chars) < TEXT_SPELL_TWO_EDITS_MIN)
        return 0;
    if (best->found) {
        if (d == best->distance && count < best->count)
            return 0;
        if (d == best->distance && count == best->count
            && cmp_bytes(word, len, best->word.data, best->word.len) >= 0)
            return 0;
    }
    if (best->accept && !best->accept(word, len, d, best->accept_payload))
        return 0;
    text_buf_clear(&best->word);
    if (!text_buf_append(&best->word, word, len))
        return 1;
    best->found = true;
    best->distance = d;
    best->count = count;
    return 0;
}

bool text_spell_best_scan(text_spell_best_t *best, const char *list, size_t len)
{
    return text_spell_each(list, len, consider, best) == 0;
}

void text_spell_best_free(text_spell_best_t *best)
{
    text_buf_free(&best->word);
}
