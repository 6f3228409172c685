/*
 * stop.c — stopwords: a built-in English list, the parser of Snowball's
 * stopword file format, and the small hash set they are kept in (folded, so
 * that a token's word can be looked up as it is). Whether to drop stopwords is
 * the caller's business; the analyzer only answers the question.
 */
#include <stdlib.h>
#include <string.h>

#include "text_internal.h"

/*
 * Common English function words: articles, pronouns, auxiliaries and their
 * contractions, prepositions, conjunctions and question words. Kept short on
 * purpose: a word missing here still matches, a word wrongly here is lost to
 * queries that leave stopwords out. Hence no "mine" (a gold mine) and no
 * "might" (military might): the pronoun and the auxiliary are rare in what
 * people search for, the nouns are topics.
 */
static const char *const english_stopwords[] = {
    /* articles and determiners */
    "a", "an", "the", "this", "that", "these", "those", "each", "some", "any", "all",
    "both", "few", "more", "most", "other", "such", "own", "same", "no", "not", "nor",
    "only",
    /* personal pronouns */
    "i", "me", "my", "myself", "we", "us", "our", "ours", "ourselves",
    "you", "your", "yours", "yourself", "yourselves", "he", "him", "his", "himself",
    "she", "her", "hers", "herself", "it", "its", "itself", "they", "them", "their",
    "theirs", "themselves",
    /* question and relative words */
    "what", "which", "who", "whom", "whose", "when", "where", "why", "how",
    /* auxiliaries */
    "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had",
    "having", "do", "does", "did", "doing", "will", "would", "shall", "should",
    "can", "could", "may", "must",
    /* contractions */
    "i'm", "you're", "he's", "she's", "it's", "we're", "they're", "i've", "you've",
    "we've", "they've", "i'd", "you'd", "he'd", "she'd", "we'd", "they'd", "i'll",
    "you'll", "he'll", "she'll", "we'll", "they'll", "isn't", "aren't", "wasn't",
    "weren't", "hasn't", "haven't", "hadn't", "don't", "doesn't", "didn't",
    "won't", "wouldn't", "can't", "cannot", "couldn't", "shouldn't", "that's",
    /* prepositions */
    "of", "at", "by", "for", "with", "about", "against", "between", "into",
    "through", "during", "before", "after", "above", "below", "to", "from", "up",
    "down", "in", "out", "on", "off", "over", "under",
    /* conjunctions and adverbs of sequence */
    "and", "but", "or", "if", "because", "as", "until", "while", "so", "than",
    "then", "once", "again", "further", "here", "there", "too", "very", "just",
    "also",
};

struct text__wordslot {
    uint64_t hash;
    size_t off;     /* word at arena.data + off */
    size_t len;     /* 0: empty slot */
};

static bool slot_matches(const text__wordset_t *set, const struct text__wordslot *e,
                         uint64_t h, const char *w, size_t len)
{
    return e->hash == h && e->len == len && memcmp(set->arena.data + e->off, w, len) == 0;
}

static bool wordset_grow(text__wordset_t *set)
{
    size_t n = set->n_slots ? set->n_slots * 2 : 256;
    struct text__wordslot *slots = calloc(n, sizeof *slots);
    if (slots == NULL)
        return false;
    for (size_t i = 0; i < set->n_slots; i++) {
        const struct text__wordslot *e = &set->slots[i];
        if (e->len == 0)
            continue;
        size_t j = (size_t)e->hash & (n - 1);
        while (slots[j].len != 0)
            j = (j + 1) & (n - 1);
        slots[j] = *e;
    }
    free(set->slots);
    set->slots = slots;
    set->n_slots = n;
    return true;
}

bool text__wordset_add(text__wordset_t *set, const char *w, size_t len)
{
    if (len == 0 || text__wordset_has(set, w, len))
        return true;
    /* Keep the load at most one half: lookups stay short. */
    if ((set->n_words + 1) * 2 > set->n_slots && !wordset_grow(set))
        return false;
    size_t off = set->arena.len;
    if (!text_buf_append(&set->arena, w, len))
        return false;
    uint64_t h = text_hash64(w, len);
    size_t j = (size_t)h & (set->n_slots - 1);
    while (set->slots[j].len != 0)
        j = (j + 1) & (set->n_slots - 1);
    set->slots[j].hash = h;
    set->slots[j].off = off;
    set->slots[j].len = len;
    set->n_words++;
    return true;
}

bool text__wordset_has(const text__wordset_t *set, const char *w, size_t len)
{
    if (set->n_words == 0 || len == 0)
        return false;
    uint64_t h = text_hash64(w, len);
    for (size_t j = (size_t)h & (set->n_slots - 1);; j = (j + 1) & (set->n_slots - 1)) {
        const struct text__wordslot *e = &set->slots[j];
        if (e->len == 0)
            return false;
        if (slot_matches(set, e, h, w, len))
            return true;
    }
}

void text__wordset_free(text__wordset_t *set)
{
    free(set->slots);
    text_buf_free(&set->arena);
    memset(set, 0, sizeof *set);
}

/* Fold one word and add it; words too long to be a token are ignored. */
static bool add_word(text_analyzer_t *a, const char *w, size_t len)
{
    char folded[TEXT_TOKEN_MAX + 1];
    size_t n = text_fold(w, len, folded, sizeof folded);
    return n == 0 || text__wordset_add(&a->stop, folded, n);
}

text_status_t text_analyzer_default_stopwords(text_analyzer_t *a)
{
    if (a == NULL)
        return TEXT_ERR_INVALID;
    if (strcmp(a->lang, "english") != 0 && strcmp(a->lang, "porter") != 0)
        return TEXT_ERR_LANG;
    for (size_t i = 0; i < sizeof english_stopwords / sizeof english_stopwords[0]; i++)
        if (!add_word(a, english_stopwords[i], strlen(english_stopwords[i])))
            return TEXT_ERR_NOMEM;
    return TEXT_OK;
}

static bool is_list_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

text_status_t text_analyzer_add_stopwords(text_analyzer_t *a, const char *list, size_t len)
{
    if (a == NULL || (list == NULL && len > 0))
        return TEXT_ERR_INVALID;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)list[i];
        if (is_list_space(c)) {
            i++;
        } else if (c == '|') {
            /* A comment, to the end of the line. */
            const char *nl = memchr(list + i, '\n', len - i);
            i = nl != NULL ? (size_t)(nl - list) + 1 : len;
        } else {
            size_t start = i;
            while (i < len && !is_list_space((unsigned char)list[i]) && list[i] != '|')
                i++;
            if (!add_word(a, list + start, i - start))
                return TEXT_ERR_NOMEM;
        }
    }
    return TEXT_OK;
}

bool text_is_stopword(const text_analyzer_t *a, const text_token_t *tok)
{
    if (a == NULL || tok == NULL || (tok->flags & (TEXT_TOK_ACRONYM | TEXT_TOK_CAPITALS)))
        return false;
    return text__wordset_has(&a->stop, tok->word, tok->word_len);
}
