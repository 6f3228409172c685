/*
 * fold.c — normalising one word: NFKC and Unicode case folding through utf8proc,
 * then the apostrophe variants made the ASCII one (text_fold). The tokenizer
 * calls it for every token that holds a non-ASCII character (ASCII it
 * lower-cases itself, which is the same result); the query side calls it for
 * words it cut itself. Also dropping the accents of Latin and Greek letters
 * from a folded word or a stem (text_unaccent), which text_stem applies so
 * that terms hold no accents. Works in fixed buffers on the stack: no
 * allocation.
 */
#include <string.h>

#include "text_internal.h"

#define FOLD_OPTIONS \
    ((utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD))

/* Input bytes beyond which the folded form is too long in any case: folding
 * shrinks text at most four times (a 4-byte letter becomes one ASCII letter). */
#define FOLD_INPUT_MAX (4 * TEXT_TOKEN_MAX)

/* Code points after decomposition. A composed character stands for at most two
 * decomposed code points per byte of UTF-8, so a word that needs more than
 * this is too long once composed again. */
#define FOLD_CP_MAX (4 * TEXT_TOKEN_MAX + 4)

static bool is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* Decompose s into cps (FOLD_CP_MAX code points) with utf8proc's options.
 * Returns the count, or 0 if s is not valid UTF-8 or needs the whole buffer:
 * reencode writes UTF-8 over the code points in place and needs one spare
 * byte for its NUL. */
static utf8proc_ssize_t decompose(const char *s, size_t len, utf8proc_int32_t *cps,
                                  utf8proc_option_t options)
{
    utf8proc_ssize_t n = utf8proc_decompose_custom((const utf8proc_uint8_t *)s,
                                                   (utf8proc_ssize_t)len, cps, FOLD_CP_MAX,
                                                   options, NULL, NULL);
    return n <= 0 || n >= FOLD_CP_MAX ? 0 : n;
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

    if (is_ascii(s, len)) {
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
    utf8proc_ssize_t n = decompose(s, len, cps, FOLD_OPTIONS);
    if (n == 0)
        return 0;
    utf8proc_ssize_t m = utf8proc_reencode(cps, n, FOLD_OPTIONS);
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
    bool after_cyrillic = false;
    for (size_t i = 0; i < (size_t)m;) {
        char c = (char)u[i];
        size_t step = 1;
        if (c == ' ') {
            *dropped_space = true;
            i++;
            continue;
        }
        /* Cyrillic text may mark a word's stress with an acute or grave
         * accent ("приве́т"), a reading aid that no other spelling of the
         * word has, and that keeps the stemmer from the ending after it: it
         * goes. Letters that hold such an accent composed stay, being one
         * character here: Macedonian "ќ" and "ѓ" are letters of their own,
         * and Bulgarian "ѝ" ("her") is another word than "и" ("and"). */
        if (u[i] == 0xCC && i + 1 < (size_t)m && (u[i + 1] == 0x80 || u[i + 1] == 0x81)) {
            if (after_cyrillic) {
                i += 2;
                continue;
            }
        } else if (!(u[i] >= 0xCC && u[i] <= 0xCD) && (u[i] & 0xC0) != 0x80) {
            after_cyrillic = u[i] >= 0xD0 && u[i] <= 0xD4;   /* U+0400..U+052F */
        }
        size_t apostrophe = text_apostrophe_len((const char *)u, (size_t)m, i);
        if (apostrophe > 0) {
            c = '\'';
            step = apostrophe;
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

/* ---- accents ------------------------------------------------------------- */

/* A letter whose accents go: Latin (with IPA) and Greek. Not Cyrillic, where a
 * breve makes another letter (й is not и), nor scripts whose vowel signs are
 * marks. */
static bool accents_fold(utf8proc_int32_t c)
{
    return (c >= 'A' && c <= 0x02AF) || (c >= 0x0370 && c <= 0x03FF)
           || (c >= 0x1E00 && c <= 0x1FFF) || (c >= 0x2C60 && c <= 0x2C7F)
           || (c >= 0xA720 && c <= 0xA7FF);
}

/* An accent: a combining diacritical mark (or one of their extensions) that
 * attaches to its letter. Marks of combining class 0, such as the grapheme
 * joiner U+034F, stay: between two runs of marks they keep them apart, and
 * dropping one would leave the marks around it out of canonical order. */
static bool is_accent(utf8proc_int32_t c)
{
    if (!((c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF)
          || (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0xFE20 && c <= 0xFE2F)))
        return false;
    return utf8proc_get_property(c)->combining_class != 0;
}

/* Letters whose diacritic is drawn through them, which Unicode does not
 * decompose: they fold like the accented ones (Łódź is lodz); and the dotless
 * i, which case folding makes of nothing but itself, while "I" folds to "i".
 * Lower case, since words are case-folded first. */
static utf8proc_int32_t unstroke(utf8proc_int32_t c)
{
    switch (c) {
    case 0x00F8: return 'o';  /* ø */
    case 0x0111: return 'd';  /* đ */
    case 0x0127: return 'h';  /* ħ */
    case 0x0142: return 'l';  /* ł */
    case 0x0167: return 't';  /* ŧ */
    case 0x0180: return 'b';  /* ƀ */
    case 0x01B6: return 'z';  /* ƶ */
    case 0x01E5: return 'g';  /* ǥ */
    case 0x0131: return 'i';  /* ı, Turkish dotless i: "Kırmızı" is "KIRMIZI" folded */
    default: return c;
    }
}

#define UNACCENT_DECOMPOSE ((utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_DECOMPOSE))
#define UNACCENT_COMPOSE ((utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPOSE))

size_t text_unaccent(const char *s, size_t len, char *out, size_t cap)
{
    if (s == NULL || out == NULL || cap == 0 || len == 0 || len > FOLD_INPUT_MAX)
        return 0;
    if (is_ascii(s, len))
        return 0;

    utf8proc_int32_t cps[FOLD_CP_MAX];
    utf8proc_ssize_t n = decompose(s, len, cps, UNACCENT_DECOMPOSE);
    if (n == 0)
        return 0;
    /* Drop the accents after a letter of accents_fold(); other marks stay and
     * do not change which letter the next ones follow. */
    utf8proc_ssize_t kept = 0;
    bool after_folding = false, changed = false;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        utf8proc_int32_t c = unstroke(cps[i]);
        changed |= c != cps[i];
        utf8proc_category_t cat = (utf8proc_category_t)utf8proc_get_property(c)->category;
        bool mark = cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC
                    || cat == UTF8PROC_CATEGORY_ME;
        if (!mark)
            after_folding = accents_fold(c);
        else if (after_folding && is_accent(c))
            continue;
        cps[kept++] = c;
    }
    if (kept == n && !changed)
        return 0;
    utf8proc_ssize_t m = utf8proc_reencode(cps, kept, UNACCENT_COMPOSE);
    if (m <= 0 || (size_t)m >= cap)
        return 0;
    memcpy(out, cps, (size_t)m);
    out[m] = '\0';
    return (size_t)m;
}

size_t text_apostrophe_len(const char *s, size_t len, size_t i)
{
    const unsigned char *u = (const unsigned char *)s;
    if (i >= len)
        return 0;
    if (u[i] == '\'')
        return 1;
    if (u[i] == 0xE2 && i + 2 < len && u[i + 1] == 0x80 && (u[i + 2] == 0x98 || u[i + 2] == 0x99))
        return 3;
    if (u[i] == 0xCA && i + 1 < len && u[i + 1] == 0xBC)
        return 2;
    return 0;
}

/* Whether cp is a letter that has a case. */
static bool has_case(utf8proc_int32_t cp)
{
    return utf8proc_tolower(cp) != cp || utf8proc_toupper(cp) != cp;
}

/* A word's parts are what an apostrophe or a hyphen joins: "O'Neill",
 * "Jean-Luc". At most this many are followed. */
#define CASE_PARTS 8

/* The length of the apostrophe or hyphen at word[i] that starts a new part,
 * or 0. */
static size_t part_mark_len(const char *word, size_t len, size_t i)
{
    size_t n = text_apostrophe_len(word, len, i);
    if (n == 0 && word[i] == '-')
        n = 1;
    return n;
}

/* How model was typed: whether its letters are all capitals (two or more),
 * and, part by part, whether each part's first letter is one (*n_parts: how
 * many parts). */
static void model_case(const char *model, size_t len, bool *all, bool first[CASE_PARTS],
                       size_t *n_parts)
{
    size_t letters = 0, upper = 0, part = 0;
    bool seen = false;  /* a letter of this part met */
    memset(first, 0, CASE_PARTS * sizeof first[0]);
    for (size_t i = 0; i < len;) {
        size_t mark = part_mark_len(model, len, i);
        if (mark > 0) {
            part++;
            seen = false;
            i += mark;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)model + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0)
            break;
        i += (size_t)n;
        if (!has_case(cp))
            continue;
        bool is_upper = utf8proc_tolower(cp) != cp;
        if (!seen && part < CASE_PARTS)
            first[part] = is_upper;
        seen = true;
        letters++;
        upper += is_upper;
    }
    /* Mostly capitals: an acronym's plural or a slip of the shift key,
     * "GPUs", "TASss". */
    *all = upper >= 2 && 2 * upper > letters;
    *n_parts = part + 1;
}

/* How many parts word[0..len) has (see model_case()). */
static size_t count_parts(const char *word, size_t len)
{
    size_t parts = 1;
    for (size_t i = 0; i < len; i++) {
        size_t mark = part_mark_len(word, len, i);
        if (mark > 0) {
            parts++;
            i += mark - 1;
        }
    }
    return parts;
}

/* How many letters with a case the part of word that starts at i has. */
static size_t part_letters(const char *word, size_t len, size_t i)
{
    size_t letters = 0;
    while (i < len && part_mark_len(word, len, i) == 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)word + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0)
            break;
        letters += has_case(cp);
        i += (size_t)n;
    }
    return letters;
}

/* Append word's next character cp to out, a capital if upper, else as it is;
 * a sigma that ends a word with a cased letter before it is written final,
 * since case folding makes every sigma σ. */
static bool put_cased(text_buf_t *out, utf8proc_int32_t cp, bool upper, bool cased_before,
                      bool last)
{
    if (upper)
        cp = utf8proc_toupper(cp);
    else if (cp == 0x03C3 && cased_before && last)
        cp = 0x03C2;
    return text_buf_put_utf8(out, (uint32_t)cp);
}

/* text_case_like() character by character, where word has as many
 * characters as its model, with letters in the same places ("GPUs":
 * "TPUs", "MySQK": "MySQL"): 1 if so, 0 (out as it was) if not, -1 if
 * memory ran out. */
static int case_by_char(text_buf_t *out, const char *word, size_t len, const char *model,
                        size_t model_len)
{
    size_t start = out->len, i = 0, j = 0;
    bool cased_before = false;
    while (i < len && j < model_len) {
        utf8proc_int32_t cp, mcp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)word + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        utf8proc_ssize_t m = utf8proc_iterate((const utf8proc_uint8_t *)model + j,
                                              (utf8proc_ssize_t)(model_len - j), &mcp);
        if (n <= 0 || m <= 0 || has_case(cp) != has_case(mcp))
            break;
        i += (size_t)n;
        j += (size_t)m;
        if (!put_cased(out, cp, utf8proc_tolower(mcp) != mcp, cased_before, i == len))
            return -1;
        cased_before |= has_case(cp);
    }
    if (i == len && j == model_len && len > 0)
        return 1;
    text_buf_truncate(out, start);
    return 0;
}

bool text_case_like(text_buf_t *out, const char *word, size_t len, const char *model,
                    size_t model_len)
{
    int by_char = case_by_char(out, word, len, model, model_len);
    if (by_char != 0)
        return by_char > 0;
    bool all, first[CASE_PARTS];
    size_t n_parts;
    model_case(model, model_len, &all, first, &n_parts);
    /* Part by part where the word has as many as the model ("O'Neil":
     * "O'Neill"), else the model's first part rules the word's first, and
     * its later parts of three letters or more: a name ("Neill": "O'Neill"),
     * not a contraction ("Dont": "Don't", "Youre": "You're"). */
    bool by_part = n_parts <= CASE_PARTS && count_parts(word, len) == n_parts;
    size_t part = 0;
    bool done_first = false;    /* this part's first letter written */
    bool cased_before = false;  /* a letter of the word written */
    for (size_t i = 0; i < len;) {
        size_t mark = part_mark_len(word, len, i);
        if (mark > 0) {
            if (!text_buf_append(out, word + i, mark))
                return false;
            part++;
            i += mark;
            if (by_part || (first[0] && part_letters(word, len, i) >= 3))
                done_first = false;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)word + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0)
            return text_buf_append(out, word + i, len - i);   /* not UTF-8: as it is */
        bool cased = has_case(cp);
        bool upper = all || (!done_first && cased && first[by_part ? part : 0]);
        if (!put_cased(out, cp, upper, cased_before, i + (size_t)n == len))
            return false;
        done_first |= cased;
        cased_before |= cased;
        i += (size_t)n;
    }
    return true;
}
