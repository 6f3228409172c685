/* strset.c — a set of strings (strset.h). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strset.h"
#include "text.h"

/* The slot of s's table where key is, or the free one where it would go. */
static size_t strset_slot(const srch__strset_t *s, const char *key)
{
    size_t i = (size_t)text_hash64(key, strlen(key)) & (s->cap - 1);
    while (s->slots[i] != 0 && strcmp(s->keys.data + s->at[s->slots[i] - 1], key) != 0)
        i = (i + 1) & (s->cap - 1);
    return i;
}

/* Make s's table twice as large (or its first), at most half full after
 * the next key; false if memory ran out (the set then stays as it was). */
static bool strset_grow(srch__strset_t *s)
{
    size_t cap = s->cap ? s->cap * 2 : 16;
    size_t *slots = calloc(cap, sizeof *slots), *old = s->slots, old_cap = s->cap;
    if (!slots)
        return false;
    s->slots = slots;
    s->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i] != 0)
            s->slots[strset_slot(s, s->keys.data + s->at[old[i] - 1])] = old[i];
    free(old);
    return true;
}

size_t srch__strset_find(const srch__strset_t *s, const char *key)
{
    size_t slot = s->cap > 0 ? s->slots[strset_slot(s, key)] : 0;
    return slot ? slot - 1 : SIZE_MAX;
}

bool srch__strset_has(const srch__strset_t *s, const char *key)
{
    return srch__strset_find(s, key) != SIZE_MAX;
}

bool srch__strset_add(srch__strset_t *s, const char *key)
{
    size_t *at;
    if (((s->n + 1) * 2 > s->cap && !strset_grow(s))
        || !(at = text_grow(s->at, &s->cap_at, s->n + 1, sizeof *at)))
        return true; /* (out of memory: taken twice rather than not at all) */
    s->at = at;
    size_t slot = strset_slot(s, key), len = s->keys.len;
    if (s->slots[slot] != 0)
        return false;
    if (text_buf_append(&s->keys, key, strlen(key) + 1)) {
        s->at[s->n] = len;
        s->slots[slot] = ++s->n;
    } else {
        s->keys.len = len;
    }
    return true;
}

void srch__strset_free(srch__strset_t *s)
{
    text_buf_free(&s->keys);
    free(s->at);
    free(s->slots);
    *s = (srch__strset_t)SRCH__STRSET_INIT;
}
