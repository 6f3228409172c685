/*
 * fold.c — normalising one word: NFKC and Unicode case folding through utf8proc,
 * accents dropped from Latin and Greek letters (café = cafe, Zürich = zurich),
 * then the apostrophe variants made the ASCII one. The tokenizer calls it for
 * every token that holds a non-ASCII character (ASCII it lower-cases itself,
 * which is the same result); the query side calls it for words it cut itself.
 * Works in fixed buffers on the stack: no allocation.
 */
#include <string.h>

#include "text_internal.h"

/* Decomposed first (NFKD and case folding), so that accents are code points of
 * their own; composed again (NFKC) once they are gone. */
#define FOLD_DECOMPOSE \
    ((utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD))
#define FOLD_COMPOSE \
    ((utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD))

/* Input bytes beyond which a word is refused, whatever it folds to: four times
 * the longest token (a 4-byte letter folds to one ASCII letter). The tokenizer
 * skips the same tokens (RAW_CAP in tokenize.c). */
#define FOLD_INPUT_MAX (4 * TEXT_TOKEN_MAX)

/* Code points after decomposition. A composed character stands for at most two
 * decomposed code points per byte of UTF-8, so a word that needs more than
 * this is too long once composed again. */
#define FOLD_CP_MAX (4 * TEXT_TOKEN_MAX + 4)

/* A letter whose accents go: Latin (with IPA) and Greek. Not Cyrillic, where a
 * breve makes another letter (й is not и). */
static bool accents_fold(utf8proc_int32_t c)
{
    return c <= 0x02AF || (c >= 0x0370 && c <= 0x03FF) || (c >= 0x1E00 && c <= 0x1FFF)
           || (c >= 0x2C60 && c <= 0x2C7F) || (c >= 0xA720 && c <= 0xA7FF);
}

/* An accent: the combining diacritical marks and their extensions. */
static bool is_accent(utf8proc_int32_t c)
{
    return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF)
           || (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0xFE20 && c <= 0xFE2F);
}

/* Drop the accents that follow a letter of accents_fold() from n decomposed
 * code points; returns how many are left. Other marks stay and do not change
 * which letter they follow. */
static utf8proc_ssize_t drop_accents(utf8proc_int32_t *cps, utf8proc_ssize_t n)
{
    utf8proc_ssize_t j = 0;
    bool after_folding = false;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        utf8proc_int32_t c = cps[i];
        const utf8proc_property_t *p = utf8proc_get_property(c);
        bool mark = p->category == UTF8PROC_CATEGORY_MN || p->category == UTF8PROC_CATEGORY_MC
                    || p->category == UTF8PROC_CATEGORY_ME;
        if (!mark)
            after_folding = accents_fold(c);
        else if (after_folding && is_accent(c))
            continue;
        cps[j++] = c;
    }
    return j;
}

/*
 * One pass of folding, as text_fold() describes. *dropped_space tells whether
 * a space the compatibility mappings brought in was dropped: the marks on
 * either side of it then meet, and a second pass must put them in canonical
 * order again (U+036E U+FE70 folds to U+036E U+064B, which is U+064B U+036E
 * once ordered) or compose them with the letter before.
 */
static size_t fold_once(const char *s, size_t len, char *out, size_t cap, bool *dropped_space)
{
    *dropped_space = false;
    out[0] = '\0';
    if (len == 0)
        return 0;

    size_t limit = cap - 1 < TEXT_TOKEN_MAX ? cap - 1 : TEXT_TOKEN_MAX;

    bool ascii = true;
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)s[i] >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (ascii) {
        if (len > limit)
            return 0;
        for (size_t i = 0; i < len; i++) {
            char c = s[i];
            out[i] = (c >= 'A' && c <= 'Z') ? (char)(c | 0x20) : c;
        }
        out[len] = '\0';
        return len;
    }
    if (len > FOLD_INPUT_MAX)
        return 0;

    utf8proc_int32_t cps[FOLD_CP_MAX];
    utf8proc_ssize_t n = utf8proc_decompose_custom((const utf8proc_uint8_t *)s,
                                                   (utf8proc_ssize_t)len, cps, FOLD_CP_MAX,
                                                   FOLD_DECOMPOSE, NULL, NULL);
    /* reencode writes UTF-8 over the code points in place and needs one spare
     * byte for its NUL: keep n below the buffer size. */
    if (n <= 0 || n >= FOLD_CP_MAX)
        return 0;
    n = drop_accents(cps, n);
    utf8proc_ssize_t m = utf8proc_reencode(cps, n, FOLD_COMPOSE);
    if (m <= 0)
        return 0;

    /* Copy out, making U+2019, U+2018 and U+02BC the ASCII apostrophe. Done
     * after folding so that the ones folding makes are caught too: U+0149 "ŉ"
     * folds to U+02BC U+006E. Spaces that the compatibility mappings bring in
     * are dropped: a few letters stand for a space and a mark (U+037A "ͺ" is
     * " ι", the Arabic isolated harakat U+FE70.. are " " and a mark) or for
     * whole phrases (U+FDFA), and a word must not hold white space. */
    const unsigned char *u = (const unsigned char *)cps;
    size_t j = 0;
    for (size_t i = 0; i < (size_t)m;) {
        char c = (char)u[i];
        size_t step = 1;
        if (c == ' ') {
            *dropped_space = true;
            i++;
            continue;
        }
        if (u[i] == 0xE2 && i + 2 < (size_t)m && u[i + 1] == 0x80 &&
            (u[i + 2] == 0x98 || u[i + 2] == 0x99)) {
            c = '\'';
            step = 3;
        } else if (u[i] == 0xCA && i + 1 < (size_t)m && u[i + 1] == 0xBC) {
            c = '\'';
            step = 2;
        }
        if (j >= limit) {
            out[0] = '\0';
            return 0;
        }
        out[j++] = c;
        i += step;
    }
    out[j] = '\0';
    return j;
}

size_t text_fold(const char *s, size_t len, char *out, size_t cap)
{
    if (s == NULL || out == NULL || cap == 0)
        return 0;
    bool dropped_space;
    size_t n = fold_once(s, len, out, cap, &dropped_space);
    if (n == 0 || !dropped_space)
        return n;
    /* The first pass's output is NFKC already and holds no compatibility
     * character, so the second pass brings in no space of its own. */
    char once[TEXT_TOKEN_MAX + 1];
    memcpy(once, out, n + 1);
    return fold_once(once, n, out, cap, &dropped_space);
}
