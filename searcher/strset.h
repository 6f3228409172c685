/* strset.h — a set of strings, internal to searcher/: a query's words met so
 * far, each once. The strings are kept NUL-terminated one after the other in
 * keys, in the order added, with a hash table of their numbers, so that a
 * query of thousands of words is not checked in quadratic time. */
#ifndef PASSIM_SEARCHER_STRSET_H
#define PASSIM_SEARCHER_STRSET_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef struct srch__strset {
    text_buf_t keys;
    size_t n;
    size_t *at;     /* n: where each key starts in keys, in the order added */
    size_t cap_at;
    size_t *slots;  /* cap slots: 0 free, else 1 + a key's number (its place in at) */
    size_t cap;     /* a power of two, or 0 */
} srch__strset_t;

#define SRCH__STRSET_INIT { TEXT_BUF_INIT, 0, NULL, 0, NULL, 0 }

/* Add key to s: true if it was not there yet (and if memory ran out: a word
 * taken twice rather than not at all). */
bool srch__strset_add(srch__strset_t *s, const char *key);
/* Whether key is in s. */
bool srch__strset_has(const srch__strset_t *s, const char *key);
/* The number of key in s (0 for the first added...), or SIZE_MAX if it is not
 * there. */
size_t srch__strset_find(const srch__strset_t *s, const char *key);
void srch__strset_free(srch__strset_t *s);

#endif
