/*
 * stem.c — the analyzer: a libstemmer stemmer for one language (or none), a
 * cache of recent stems in front of it, and text_analyze(), which chains the
 * tokenizer, the stemmer and the stopword test. The stopword list itself is
 * stop.c's.
 *
 * The cache matters because the indexer stems millions of tokens of which most
 * are repeats: an open-addressing table of folded word -> stem with the strings
 * in one arena, emptied all at once when full (cheaper than any eviction, and a
 * news vocabulary fills it only every few megabytes of text).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "text_internal.h"

/* The cache starts small, so that a short analysis (one query, a few
 * snippets) touches little memory, and doubles up to CACHE_SLOTS_MAX entries;
 * then it is emptied whenever it fills. Each slot has on average
 * ARENA_PER_SLOT bytes of keys and stems. */
#define CACHE_SLOTS_MIN 512u                     /* powers of two */
#define CACHE_SLOTS_MAX 32768u
#define ARENA_PER_SLOT 16u
#define STEM_MAX 255                             /* longer stems are not cached */

/* Longest word handed to libstemmer; tokens are far shorter. */
#define STEM_INPUT_MAX 4096

struct text__stem_slot {
    uint64_t hash;
    uint32_t off;       /* key at arena + off, then the stem */
    uint8_t key_len;    /* 0: empty slot */
    uint8_t stem_len;
};

const char *text_status_str(text_status_t st)
{
    switch (st) {
    case TEXT_OK:
        return "success";
    case TEXT_ERR_NOMEM:
        return "out of memory";
    case TEXT_ERR_LANG:
        return "no stemmer for that language";
    case TEXT_ERR_INVALID:
        return "invalid argument";
    case TEXT_STATUS_LAST:
        break;
    }
    return "unknown status";
}

/* ISO 639 codes libstemmer accepts, with the canonical name each stands for:
 * libstemmer maps them itself but does not say to what. */
static const struct {
    const char *code, *name;
} lang_aliases[] = {
    {"ar", "arabic"}, {"ara", "arabic"},
    {"hy", "armenian"}, {"hye", "armenian"}, {"arm", "armenian"},
    {"eu", "basque"}, {"eus", "basque"}, {"baq", "basque"},
    {"ca", "catalan"}, {"cat", "catalan"},
    {"da", "danish"}, {"dan", "danish"},
    {"nl", "dutch"}, {"dut", "dutch"}, {"nld", "dutch"},
    {"en", "english"}, {"eng", "english"},
    {"fi", "finnish"}, {"fin", "finnish"},
    {"fr", "french"}, {"fre", "french"}, {"fra", "french"},
    {"de", "german"}, {"ger", "german"}, {"deu", "german"},
    {"el", "greek"}, {"gre", "greek"}, {"ell", "greek"},
    {"hi", "hindi"}, {"hin", "hindi"},
    {"hu", "hungarian"}, {"hun", "hungarian"},
    {"id", "indonesian"}, {"ind", "indonesian"},
    {"ga", "irish"}, {"gle", "irish"},
    {"it", "italian"}, {"ita", "italian"},
    {"lt", "lithuanian"}, {"lit", "lithuanian"},
    {"ne", "nepali"}, {"nep", "nepali"},
    {"no", "norwegian"}, {"nor", "norwegian"},
    {"pt", "portuguese"}, {"por", "portuguese"},
    {"ro", "romanian"}, {"rum", "romanian"}, {"ron", "romanian"},
    {"ru", "russian"}, {"rus", "russian"},
    {"sr", "serbian"}, {"srp", "serbian"},
    {"es", "spanish"}, {"esl", "spanish"}, {"spa", "spanish"},
    {"sv", "swedish"}, {"swe", "swedish"},
    {"ta", "tamil"}, {"tam", "tamil"},
    {"tr", "turkish"}, {"tur", "turkish"},
    {"yi", "yiddish"}, {"yid", "yiddish"},
};

static bool in_stemmer_list(const char *name)
{
    for (const char **l = sb_stemmer_list(); *l != NULL; l++)
        if (strcmp(*l, name) == 0)
            return true;
    return false;
}

/* The canonical name for lang (already lower case): itself if libstemmer lists
 * it, else what our alias table says, else lang as given. */
static const char *canonical_lang(const char *lang)
{
    if (in_stemmer_list(lang))
        return lang;
    for (size_t i = 0; i < sizeof lang_aliases / sizeof lang_aliases[0]; i++)
        if (strcmp(lang_aliases[i].code, lang) == 0 && in_stemmer_list(lang_aliases[i].name))
            return lang_aliases[i].name;
    return lang;
}

text_status_t text_analyzer_new(text_analyzer_t **out, const char *lang)
{
    if (out == NULL)
        return TEXT_ERR_INVALID;
    *out = NULL;
    if (lang == NULL)
        return TEXT_ERR_INVALID;

    /* libstemmer wants lower case; accept "English" as well. */
    char lower[TEXT__LANG_MAX];
    size_t n = strlen(lang);
    if (n == 0 || n >= sizeof lower)
        return TEXT_ERR_LANG;
    for (size_t i = 0; i <= n; i++)
        lower[i] = (lang[i] >= 'A' && lang[i] <= 'Z') ? (char)(lang[i] | 0x20) : lang[i];

    text_analyzer_t *a = calloc(1, sizeof *a);
    if (a == NULL)
        return TEXT_ERR_NOMEM;

    if (strcmp(lower, "none") == 0) {
        memcpy(a->lang, "none", sizeof "none");
        *out = a;
        return TEXT_OK;
    }

    /* NULL means unknown algorithm or out of memory; libstemmer does not say
     * which. An unknown name is by far the likelier. */
    const char *name = canonical_lang(lower);
    a->stemmer = sb_stemmer_new(name, "UTF_8");
    if (a->stemmer == NULL) {
        free(a);
        return TEXT_ERR_LANG;
    }
    memcpy(a->lang, name, strlen(name) + 1);

    a->cache_slots = CACHE_SLOTS_MIN;
    a->arena_cap = CACHE_SLOTS_MIN * ARENA_PER_SLOT;
    a->cache = calloc(a->cache_slots, sizeof *a->cache);
    a->arena = malloc(a->arena_cap);
    if (a->cache == NULL || a->arena == NULL) {
        text_analyzer_free(a);
        return TEXT_ERR_NOMEM;
    }
    *out = a;
    return TEXT_OK;
}

void text_analyzer_free(text_analyzer_t *a)
{
    if (a == NULL)
        return;
    sb_stemmer_delete(a->stemmer);
    free(a->cache);
    free(a->arena);
    free(a->out);
    text__wordset_free(&a->stop);
    free(a);
}

const char *text_analyzer_lang(const text_analyzer_t *a)
{
    return a != NULL ? a->lang : "none";
}

/* libstemmer's list plus "none", built once: the one table in text/ written
 * after start-up, guarded by pthread_once so that it is safe from any thread. */
static const char *languages[64];
static pthread_once_t languages_once = PTHREAD_ONCE_INIT;

static void languages_init(void)
{
    size_t n = 0;
    for (const char **l = sb_stemmer_list(); *l != NULL && n + 2 < 64; l++)
        languages[n++] = *l;
    languages[n++] = "none";
    languages[n] = NULL;
}

const char **text_languages(void)
{
    pthread_once(&languages_once, languages_init);
    return languages;
}

/* Copy a result into the analyzer's own buffer; the word itself if memory ran
 * out (text_stem never fails). */
static const char *return_copy(text_analyzer_t *a, const char *s, size_t len,
                               const char *fallback, size_t fallback_len, size_t *stem_len)
{
    if (len + 1 > a->out_cap) {
        size_t cap = len + 1 < 256 ? 256 : len + 1;
        char *p = realloc(a->out, cap);
        if (p == NULL) {
            *stem_len = fallback_len;
            return fallback;
        }
        a->out = p;
        a->out_cap = cap;
    }
    memcpy(a->out, s, len);
    a->out[len] = '\0';
    *stem_len = len;
    return a->out;
}

static void cache_clear(text_analyzer_t *a)
{
    memset(a->cache, 0, a->cache_slots * sizeof *a->cache);
    a->cache_used = 0;
    a->arena_used = 0;
}

/* The empty slot where hash h goes. */
static size_t free_slot(const text_analyzer_t *a, uint64_t h)
{
    size_t mask = a->cache_slots - 1, slot = (size_t)h & mask;
    while (a->cache[slot].key_len != 0)
        slot = (slot + 1) & mask;
    return slot;
}

/* Make room for one more entry of `bytes` arena bytes: double the table or the
 * arena while below the bound, else empty the cache. The arena may move, which
 * the contract of text_stem() allows (its result lives until the next call). */
static void cache_make_room(text_analyzer_t *a, size_t bytes)
{
    if (a->cache_used + 1 > a->cache_slots / 4 * 3) {
        struct text__stem_slot *bigger = NULL;
        if (a->cache_slots < CACHE_SLOTS_MAX)
            bigger = calloc(a->cache_slots * 2, sizeof *bigger);
        if (bigger == NULL) {
            cache_clear(a);
            return;
        }
        struct text__stem_slot *old = a->cache;
        size_t old_slots = a->cache_slots;
        a->cache = bigger;
        a->cache_slots *= 2;
        for (size_t i = 0; i < old_slots; i++)
            if (old[i].key_len != 0)
                a->cache[free_slot(a, old[i].hash)] = old[i];
        free(old);
    }
    if (a->arena_used + bytes > a->arena_cap) {
        char *bigger = NULL;
        if (a->arena_cap < CACHE_SLOTS_MAX * ARENA_PER_SLOT)
            bigger = realloc(a->arena, a->arena_cap * 2);
        if (bigger == NULL) {
            cache_clear(a);
            return;
        }
        a->arena = bigger;
        a->arena_cap *= 2;
    }
}

static bool is_english(const text_analyzer_t *a)
{
    return strcmp(a->lang, "english") == 0 || strcmp(a->lang, "porter") == 0;
}

size_t text_respell(const text_analyzer_t *a, const char *word, size_t len, char *out,
                    size_t cap)
{
    return is_english(a) ? text__american(word, len, out, cap) : 0;
}

/* Whether the language's stemmer knows no accents: they go before stemming. */
static bool unaccent_first(const text_analyzer_t *a)
{
    return a->stemmer == NULL || is_english(a);
}

/* Elided articles, pronouns and prepositions that French, Italian and
 * Catalan write joined to the next word by an apostrophe ("l'école",
 * "dell'anno", "d'Orléans"): the word after one is the word searched for, as
 * English's "'s" is stemmed away. Folded words hold the ASCII apostrophe. */
static const char *const *elisions(const text_analyzer_t *a)
{
    static const char *const french[] = { "c", "d", "j", "jusqu", "l", "lorsqu", "m", "n",
                                          "puisqu", "qu", "quoiqu", "s", "t", NULL };
    static const char *const italian[] = { "all", "c", "coll", "d", "dall", "degl", "dell",
                                           "gl", "l", "m", "nell", "pell", "s", "sull",
                                           "t", "un", "v", NULL };
    static const char *const catalan[] = { "d", "l", "m", "n", "s", "t", NULL };
    if (strcmp(a->lang, "french") == 0)
        return french;
    if (strcmp(a->lang, "italian") == 0)
        return italian;
    if (strcmp(a->lang, "catalan") == 0)
        return catalan;
    return NULL;
}

/* How many bytes of the folded word w[0..len) are an elided word and its
 * apostrophe, in the analyzer's language; 0 if none. */
static size_t elided_len(const text_analyzer_t *a, const char *w, size_t len)
{
    const char *const *list = elisions(a);
    const char *q = list ? memchr(w, '\'', len < 8 ? len : 8) : NULL;
    if (q == NULL || (size_t)(q - w) + 1 >= len)
        return 0;
    size_t n = (size_t)(q - w);
    for (; *list; list++)
        if (strlen(*list) == n && memcmp(*list, w, n) == 0)
            return n + 1;
    return 0;
}

size_t text_elided_len(const text_analyzer_t *a, const char *word, size_t len)
{
    return a && word ? elided_len(a, word, len) : 0;
}

size_t text_possessive_len(const text_analyzer_t *a, const char *word, size_t len)
{
    return a && word && is_english(a) && len > 2 && word[len - 2] == '\'' && word[len - 1] == 's'
           ? 2 : 0;
}

const char *text_stem(text_analyzer_t *a, const char *word, size_t len, size_t *stem_len)
{
    size_t dummy;
    if (stem_len == NULL)
        stem_len = &dummy;
    if (word == NULL) {
        word = "";
        len = 0;
    }
    if (a == NULL) {
        *stem_len = len;
        return word;
    }
    char plain[TEXT_TOKEN_MAX + 1], plain_stem[STEM_MAX + 1];
    if (a->stemmer == NULL || len == 0 || len > STEM_INPUT_MAX) {
        size_t m = text_unaccent(word, len, plain, sizeof plain);
        return m ? return_copy(a, plain, m, word, len, stem_len)
                 : return_copy(a, word, len, word, len, stem_len);
    }

    bool cacheable = len <= TEXT_TOKEN_MAX;
    uint64_t h = 0;
    size_t slot = 0;
    if (cacheable) {
        h = text_hash64(word, len);
        size_t mask = a->cache_slots - 1;
        for (slot = (size_t)h & mask;; slot = (slot + 1) & mask) {
            const struct text__stem_slot *e = &a->cache[slot];
            if (e->key_len == 0)
                break;
            if (e->hash == h && e->key_len == len && memcmp(a->arena + e->off, word, len) == 0) {
                *stem_len = e->stem_len;
                return a->arena + e->off + e->key_len;
            }
        }
    }

    size_t elided = elided_len(a, word, len);
    const char *in = word + elided;
    size_t in_len = len - elided, m;
    bool first = unaccent_first(a);
    if (first && (m = text_unaccent(in, in_len, plain, sizeof plain)) != 0) {
        in = plain;
        in_len = m;
    }
    /* British spellings stem as the American ones do ("organisation"). */
    char american[TEXT_TOKEN_MAX + 1];
    if ((m = text_respell(a, in, in_len, american, sizeof american)) != 0) {
        in = american;
        in_len = m;
    }
    const sb_symbol *r = sb_stemmer_stem(a->stemmer, (const sb_symbol *)in, (int)in_len);
    if (r == NULL) {
        *stem_len = len;
        return word;
    }
    const char *stem = (const char *)r;
    size_t n = (size_t)sb_stemmer_length(a->stemmer);
    if (n == 0) {
        stem = in;
        n = in_len;
    }
    if (!first && (m = text_unaccent(stem, n, plain_stem, sizeof plain_stem)) != 0) {
        stem = plain_stem;
        n = m;
    }

    if (!cacheable || n > STEM_MAX)
        return return_copy(a, stem, n, word, len, stem_len);

    if (a->cache_used + 1 > a->cache_slots / 4 * 3 || a->arena_used + len + n + 1 > a->arena_cap) {
        /* The stem may point into libstemmer's buffer, not the arena: safe
         * across a move of the arena. */
        cache_make_room(a, len + n + 1); /* grown or emptied: the entry fits */
        slot = free_slot(a, h);
    }
    struct text__stem_slot *e = &a->cache[slot];
    char *dst = a->arena + a->arena_used;
    memcpy(dst, word, len);
    memcpy(dst + len, stem, n);
    dst[len + n] = '\0';    /* so the stem is a C string too */
    e->hash = h;
    e->off = (uint32_t)a->arena_used;
    e->key_len = (uint8_t)len;
    e->stem_len = (uint8_t)n;
    a->arena_used += len + n + 1;
    a->cache_used++;
    *stem_len = n;
    return dst + len;
}

typedef struct analyze_ctx {
    text_analyzer_t *a;
    text_term_fn fn;
    void *payload;
    /* The last token, if it is a word of letters that is the first part of a
     * hyphenated word (first_len 0 if not). */
    char first[TEXT_TOKEN_MAX + 1];
    size_t first_len, first_start;
    uint32_t first_pos;
} analyze_ctx_t;

static int emit(analyze_ctx_t *ctx, const text_token_t *tok, bool compound)
{
    text_term_t term;
    term.tok = tok;
    term.stem = text_stem(ctx->a, tok->word, tok->word_len, &term.stem_len);
    term.stopword = text_is_stopword(ctx->a, tok);
    term.compound = compound;
    return ctx->fn(&term, ctx->payload);
}

/* Whether a token is a word of letters, which may be part of a compound: no
 * acronym, no digit ("B2", "mp3"), no ideograph (a word by itself, which the
 * words beside it touch). */
static bool letters_only(const text_token_t *tok)
{
    if (tok->flags & (TEXT_TOK_NUMBER | TEXT_TOK_ACRONYM | TEXT_TOK_IDEO))
        return false;
    const unsigned char *w = (const unsigned char *)tok->word;
    for (size_t i = 0, n; i < tok->word_len; i += n) {
        unsigned c = text__classify(w, tok->word_len, i, &n);
        if (c == TEXT__C_DIGIT || c == TEXT__C_U_DIGIT || c == TEXT__C_U_NUMBER)
            return false;
    }
    return true;
}

/* Emit the compound of a hyphenated word's two parts: the first kept in
 * ctx, the second tok. */
static int emit_compound(analyze_ctx_t *ctx, const text_token_t *tok)
{
    char joined[TEXT_TOKEN_MAX + 1];
    memcpy(joined, ctx->first, ctx->first_len);
    memcpy(joined + ctx->first_len, tok->word, tok->word_len);
    joined[ctx->first_len + tok->word_len] = '\0';
    text_token_t compound = {
        .word = joined,
        .word_len = ctx->first_len + tok->word_len,
        .start = ctx->first_start,
        .end = tok->end,
        .pos = ctx->first_pos,
        .flags = 0,
    };
    return emit(ctx, &compound, true);
}

/* A word of exactly two parts is told by the hyphens around them, which the
 * tokenizer reports also when a part beyond them was too long to keep. */
static int analyze_token(const text_token_t *tok, void *payload)
{
    analyze_ctx_t *ctx = payload;
    int rc = emit(ctx, tok, false);
    if (rc == 0 && ctx->first_len > 0 && (tok->flags & TEXT_TOK_JOINED)
        && !(tok->flags & TEXT_TOK_HYPHEN_AFTER) && letters_only(tok)
        && ctx->first_len + tok->word_len <= TEXT_TOKEN_MAX)
        rc = emit_compound(ctx, tok);
    ctx->first_len = 0;
    unsigned hyphens = tok->flags & (TEXT_TOK_HYPHEN_BEFORE | TEXT_TOK_HYPHEN_AFTER);
    if (hyphens == TEXT_TOK_HYPHEN_AFTER && letters_only(tok)) {
        memcpy(ctx->first, tok->word, tok->word_len);
        ctx->first_len = tok->word_len;
        ctx->first_start = tok->start;
        ctx->first_pos = tok->pos;
    }
    return rc;
}

/* text_analyze_in(), or text_analyze_plain() if plain. */
static int analyze(text_analyzer_t *a, const char *s, size_t len, uint32_t first_pos,
                   const text_open_fence_t *open, bool plain, text_term_fn fn, void *payload)
{
    if (a == NULL || fn == NULL)
        return 0;
    analyze_ctx_t ctx;
    ctx.a = a;
    ctx.fn = fn;
    ctx.payload = payload;
    ctx.first_len = 0;
    return plain ? text_tokenize_plain(s, len, first_pos, analyze_token, &ctx)
                 : text_tokenize_in(s, len, first_pos, open, analyze_token, &ctx);
}

int text_analyze_in(text_analyzer_t *a, const char *s, size_t len, uint32_t first_pos,
                    const text_open_fence_t *open, text_term_fn fn, void *payload)
{
    return analyze(a, s, len, first_pos, open, false, fn, payload);
}

int text_analyze(text_analyzer_t *a, const char *s, size_t len, uint32_t first_pos,
                 text_term_fn fn, void *payload)
{
    return analyze(a, s, len, first_pos, NULL, false, fn, payload);
}

int text_analyze_plain(text_analyzer_t *a, const char *s, size_t len, uint32_t first_pos,
                       text_term_fn fn, void *payload)
{
    return analyze(a, s, len, first_pos, NULL, true, fn, payload);
}
