/*
 * idcache.c — an engine's memory of which article and passage number each
 * Xapian document holds, for searches that need nothing else of a hit (TREC
 * runs and metrics, see srch_settings_t.snippets).
 *
 * Why: reading a hit's stored record means fetching its whole passage text;
 * at a depth of 1000 hits per query that was two thirds of a batch's time,
 * while a batch meets the same passages again and again. The cache maps the
 * Xapian document id to a copy of the article id and the passage number. It
 * belongs to one engine (one thread) and is emptied whenever the engine's
 * database is reopened, since document ids then name other revisions.
 *
 * Layout: open addressing with linear probing on the document id (never 0),
 * grown at half full; strings are allocated one by one so that pointers
 * handed out stay valid until the cache is emptied.
 */
#include <stdlib.h>
#include <string.h>

#include "searcher.h"

/* Past this many entries nothing more is remembered: a bound on memory for
 * huge indexes, where a batch rarely meets the same passage twice anyway. */
#define MAX_ENTRIES (1u << 22)

typedef struct slot {
    xs_docid_t id;          /* 0: empty */
    uint32_t ordinal;
    char *docid;            /* NUL-terminated copy */
    size_t docid_len;
} slot_t;

struct srch_id_cache {
    slot_t *slots;
    size_t cap;             /* a power of two, or 0 */
    size_t n;
};

static size_t hash_id(xs_docid_t id, size_t cap)
{
    uint32_t h = id * 2654435761u; /* Knuth's multiplicative hash */
    return (size_t)(h ^ (h >> 16)) & (cap - 1);
}

void srch__id_cache_clear(srch_id_cache_t *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->cap; i++)
        free(c->slots[i].docid);
    free(c->slots);
    c->slots = NULL;
    c->cap = c->n = 0;
}

void srch__id_cache_free(srch_id_cache_t *c)
{
    srch__id_cache_clear(c);
    free(c);
}

bool srch__id_cache_get(const srch_id_cache_t *c, xs_docid_t id, const char **docid,
                        size_t *docid_len, uint32_t *ordinal)
{
    if (!c || !c->cap || id == 0)
        return false;
    for (size_t i = hash_id(id, c->cap);; i = (i + 1) & (c->cap - 1)) {
        const slot_t *s = &c->slots[i];
        if (s->id == 0)
            return false;
        if (s->id == id) {
            *docid = s->docid;
            *docid_len = s->docid_len;
            *ordinal = s->ordinal;
            return true;
        }
    }
}

static void place(slot_t *slots, size_t cap, const slot_t *e)
{
    size_t i = hash_id(e->id, cap);
    while (slots[i].id != 0)
        i = (i + 1) & (cap - 1);
    slots[i] = *e;
}

static bool grow(srch_id_cache_t *c)
{
    size_t cap = c->cap ? 2 * c->cap : 1024;
    slot_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < c->cap; i++)
        if (c->slots[i].id)
            place(slots, cap, &c->slots[i]);
    free(c->slots);
    c->slots = slots;
    c->cap = cap;
    return true;
}

void srch__id_cache_put(srch_id_cache_t *c, xs_docid_t id, const char *docid, size_t docid_len,
                        uint32_t ordinal)
{
    /* A failure here only costs speed: the caller already has the record. */
    if (!c || id == 0 || c->n >= MAX_ENTRIES)
        return;
    if (2 * (c->n + 1) > c->cap && !grow(c))
        return;
    slot_t e = { id, ordinal, malloc(docid_len + 1), docid_len };
    if (!e.docid)
        return;
    memcpy(e.docid, docid, docid_len);
    e.docid[docid_len] = '\0';
    place(c->slots, c->cap, &e);
    c->n++;
}

srch_id_cache_t *srch__id_cache_new(void)
{
    return calloc(1, sizeof(srch_id_cache_t));
}
