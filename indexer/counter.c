/*
 * counter.c — a table of strings with a count each (open addressing, strings in
 * one arena). Used for the words met, which go to the word lists of "did you
 * mean" at commit, and for the files a run has met, so a file reached twice
 * (through a link, or two overlapping roots) is indexed once.
 */
#include <stdlib.h>
#include <string.h>

#include "indexer.h"

struct idx_counter {
    size_t *slots;      /* arena offset + 1 of the string, 0 = empty */
    uint32_t *counts;
    size_t cap, used;   /* cap is a power of two */
    text_buf_t arena;   /* strings, each NUL-terminated */
};

idx_counter_t *idx_counter_new(void)
{
    idx_counter_t *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->cap = 1u << 12;
    c->slots = calloc(c->cap, sizeof *c->slots);
    c->counts = calloc(c->cap, sizeof *c->counts);
    if (!c->slots || !c->counts) {
        idx_counter_free(c);
        return NULL;
    }
    return c;
}

void idx_counter_free(idx_counter_t *c)
{
    if (!c)
        return;
    free(c->slots);
    free(c->counts);
    text_buf_free(&c->arena);
    free(c);
}

/* Move c's strings into a table of cap slots (a power of two, larger). */
static bool rehash(idx_counter_t *c, size_t cap)
{
    size_t *slots = calloc(cap, sizeof *slots);
    uint32_t *counts = calloc(cap, sizeof *counts);
    if (!slots || !counts) {
        free(slots);
        free(counts);
        return false;
    }
    for (size_t i = 0; i < c->cap; i++) {
        if (!c->slots[i])
            continue;
        const char *s = c->arena.data + c->slots[i] - 1;
        size_t j = text_hash64(s, strlen(s)) & (cap - 1);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = c->slots[i];
        counts[j] = c->counts[i];
    }
    free(c->slots);
    free(c->counts);
    c->slots = slots;
    c->counts = counts;
    c->cap = cap;
    return true;
}

static bool grow(idx_counter_t *c)
{
    return rehash(c, c->cap * 2);
}

size_t idx_counter_size(const idx_counter_t *c)
{
    return c->used;
}

uint32_t idx_counter_add(idx_counter_t *c, const char *s, size_t len)
{
    return idx_counter_add_n(c, s, len, 1);
}

uint32_t idx_counter_add_n(idx_counter_t *c, const char *s, size_t len, uint32_t n)
{
    if ((c->used + 1) * 4 > c->cap * 3 && !grow(c))
        return 0;
    size_t i = text_hash64(s, len) & (c->cap - 1);
    while (c->slots[i]) {
        const char *t = c->arena.data + c->slots[i] - 1;
        if (strncmp(t, s, len) == 0 && t[len] == '\0')
            return c->counts[i] += n;
        i = (i + 1) & (c->cap - 1);
    }
    size_t off = c->arena.len;
    if (!text_buf_append(&c->arena, s, len) || !text_buf_putc(&c->arena, '\0'))
        return 0;
    c->slots[i] = off + 1;
    c->counts[i] = n;
    c->used++;
    return n;
}

static int add_entry(const char *s, size_t len, uint32_t count, void *to)
{
    return idx_counter_add_n(to, s, len, count) ? 0 : 1;
}

bool idx_counter_merge(idx_counter_t *to, const idx_counter_t *from)
{
    /* Room first, for as many slots as from has at least: strings taken in
     * from's slot order into a table with fewer slots would land in long runs
     * of neighbours (linear probing), each insertion scanning the runs before
     * it. (Words in both count twice here: at worst a table twice as large.) */
    size_t cap = to->cap;
    while (cap < from->cap || (to->used + from->used + 1) * 4 > cap * 3)
        cap *= 2;
    if (cap > to->cap && !rehash(to, cap))
        return false;
    return idx_counter_each(from, add_entry, to) == 0;
}

int idx_counter_each(const idx_counter_t *c, int (*fn)(const char *s, size_t len,
                                                        uint32_t count, void *payload),
                     void *payload)
{
    for (size_t i = 0; i < c->cap; i++) {
        if (!c->slots[i])
            continue;
        const char *s = c->arena.data + c->slots[i] - 1;
        int rc = fn(s, strlen(s), c->counts[i], payload);
        if (rc)
            return rc;
    }
    return 0;
}

void idx_counter_clear(idx_counter_t *c)
{
    memset(c->slots, 0, c->cap * sizeof *c->slots);
    memset(c->counts, 0, c->cap * sizeof *c->counts);
    c->used = 0;
    text_buf_clear(&c->arena);
}
