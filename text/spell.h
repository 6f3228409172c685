/*
 * spell.h — the word lists behind "did you mean": every word passim-index has
 * met (folded, at least 3 bytes, not a number) with the number of times, and the
 * search for the word a misspelt query word most likely meant.
 *
 * The words are kept in the index as metadata, one list per word length in
 * characters (terms.h: PASSIM_META_WORDS), so a suggestion reads only the few
 * lengths within reach of the word typed. A list is its words in byte order,
 * each as "word<TAB>count<LF>". Keeping them so, rather than in Xapian's
 * spelling table, makes indexing cheaper: Xapian files every new word under
 * each of its letter trigrams as it commits, which took a sixth of a two-thread
 * build of Reuters.
 *
 * A suggestion is the word at the smallest edit distance (insertions,
 * deletions, substitutions and swaps of two neighbouring characters, counted
 * in characters, accents of Latin and Greek letters left out as matching
 * leaves them out, and apostrophes), at most TEXT_SPELL_MAX_DISTANCE and
 * fewer than the characters of the word typed; two edits only if one of the
 * two words has TEXT_SPELL_TWO_EDITS_MIN characters or more; and not 0 unless
 * the word differs from the one typed (in accents or apostrophes). Among
 * those, the most frequent, then the first in byte order.
 */
#ifndef PASSIM_SPELL_H
#define PASSIM_SPELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define TEXT_SPELL_MAX_DISTANCE 2
/* Words of at most this many characters are offered no word edits away. */
#define TEXT_SPELL_SHORT 2
/* Two edits apart, one of the two words has at least this many characters. */
#define TEXT_SPELL_TWO_EDITS_MIN 6
/* The lists' lengths count a word's apostrophes, which the edit distance
 * leaves out: a word typed is looked for in lists up to this many characters
 * longer still ("O'Nel", 4 characters without its apostrophe: "O'Neill", 7). */
#define TEXT_SPELL_APOSTROPHES_MAX 2
/* Words longer than this (in characters) are neither kept nor corrected. */
#define TEXT_SPELL_WORD_MAX 64

typedef struct text_spell_word {
    const char *word;
    size_t len;         /* bytes */
    uint32_t count;
} text_spell_word_t;

/* Length of a UTF-8 word in characters (code points; an invalid byte counts as
 * one): the list it belongs to. */
size_t text_spell_chars(const char *word, size_t len);

/* True if word can be kept in a list: 1 to TEXT_SPELL_WORD_MAX characters, no
 * TAB, LF or NUL. */
bool text_spell_word_ok(const char *word, size_t len);

/* Put in out (cleared first) the list of the n words: sorts words in place
 * (by byte order), which must be distinct; words that are not
 * text_spell_word_ok are left out. False if memory ran out. */
bool text_spell_list(text_buf_t *out, text_spell_word_t *words, size_t n);

/* Put in out (cleared first) the union of the lists a and b (either may be
 * empty), the counts of a word in both summed (saturating). Lines that are not
 * "word<TAB>count<LF>" are dropped. False if memory ran out. */
bool text_spell_merge(text_buf_t *out, const char *a, size_t a_len, const char *b,
                      size_t b_len);

/* Call fn for each well-formed line of a list, in order; stops at the first
 * non-zero return and returns it (0 when all were seen). */
int text_spell_each(const char *list, size_t len,
                    int (*fn)(const char *word, size_t len, uint32_t count, void *payload),
                    void *payload);

/* Edit distance between two strings of characters (code points), or max + 1
 * if it is more than max. */
unsigned text_spell_distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                             unsigned max);

/* The best suggestion so far for one word. */
typedef struct text_spell_best {
    uint32_t chars[TEXT_SPELL_WORD_MAX];  /* the word typed, decoded, without accents */
    size_t n_chars;
    uint32_t typed[TEXT_SPELL_WORD_MAX];  /* the word typed, decoded, accents and all */
    size_t n_typed;
    bool found;
    unsigned distance;
    uint32_t count;
    text_buf_t word;    /* the suggestion (NUL-terminated) when found */
    /* If set, after init: a word that would be the best so far is taken only
     * if accept() says yes (a word the lists still hold but the index no
     * longer has, say); distance is its number of edits. Called only for
     * such words, so rarely. */
    bool (*accept)(const char *word, size_t len, unsigned distance, void *payload);
    void *accept_payload;
} text_spell_best_t;

/* Start looking for the word typed (folded, as the indexer counts words).
 * A word one or two edits away is offered, or one that differs from it only
 * in accents or apostrophes: a language whose stemmer reads accents stems
 * "fermee" otherwise than "fermée", and "wont" is no form of "won't".
 * False if it cannot be corrected (empty, too long, or a number, which the
 * lists do not hold). */
bool text_spell_best_init(text_spell_best_t *best, const char *word, size_t len);

/* Consider every word of a list. False if memory ran out. */
bool text_spell_best_scan(text_spell_best_t *best, const char *list, size_t len);

void text_spell_best_free(text_spell_best_t *best);

#endif /* PASSIM_SPELL_H */
