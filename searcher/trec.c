/*
 * trec.c — one query's results as a TREC ranking: the id of each hit (the
 * article id, or "docid#passage" at passage level), its score as printed, in
 * the order a TREC scorer will read them, and the run lines
 * "qid Q0 docid rank score tag" that print it.
 *
 * A scorer does not trust the rank column: it re-sorts each query by score,
 * highest first, ties by docid descending, drops repeated docids, and reads
 * the score from the text. So the ranking is built from the score *as
 * printed* (%.6f, read back), sorted with the scorer's rule
 * (srch_eval_rank_cmp()) and stripped of repeated ids before ranks are
 * given: our ranks, our in-process metrics and any external scorer then see
 * the same list. Ids are single TREC tokens (text_token_put(): the indexer
 * makes them so, and indexes written before it did are mended here).
 */
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "output.h"

void srch_trec_list_free(srch_trec_list_t *l)
{
    free(l->docs);
    text_buf_free(&l->ids);
    memset(l, 0, sizeof *l);
}

void srch_trec_list_window(srch_trec_list_t *l, size_t offset, size_t limit)
{
    size_t start = offset < l->n ? offset : l->n;
    size_t n = l->n - start < limit ? l->n - start : limit;
    if (start > 0 && n > 0)
        memmove(l->docs, l->docs + start, n * sizeof *l->docs);
    l->n = n;
}

static int doc_cmp(const void *pa, const void *pb)
{
    const srch_trec_doc_t *a = pa, *b = pb;
    int c = srch_eval_rank_cmp(a->score, a->id, b->score, b->id);
    /* Same score and id (the same article id in two indexes): keep the better
     * Xapian rank first, so the choice is deterministic. */
    return c ? c : (a->xapian_rank < b->xapian_rank ? -1 : a->xapian_rank > b->xapian_rank);
}

/* A position in the sorted list, for finding repeated ids. */
typedef struct id_ref {
    const char *id;
    size_t pos;
} id_ref_t;

static int id_ref_cmp(const void *pa, const void *pb)
{
    const id_ref_t *a = pa, *b = pb;
    int c = strcmp(a->id, b->id);
    return c ? c : (a->pos < b->pos ? -1 : a->pos > b->pos);
}

bool srch_trec_list_build(srch_trec_list_t *out, const srch_hit_t *hits, size_t n_hits,
                          bool passages)
{
    memset(out, 0, sizeof *out);
    if (n_hits == 0)
        return true;
    out->docs = calloc(n_hits, sizeof *out->docs);
    if (!out->docs)
        return false;
    /* Ids go into one buffer first (it may move while growing); pointers are
     * set once it is complete. */
    size_t *offsets = malloc(n_hits * sizeof *offsets);
    bool ok = offsets != NULL;
    for (size_t i = 0; i < n_hits && ok; i++) {
        const srch_hit_t *h = &hits[i];
        srch_trec_doc_t *d = &out->docs[i];
        offsets[i] = out->ids.len;
        ok = text_token_put(&out->ids, h->rec.docid, h->rec.docid_len);
        if (ok && passages)
            ok = text_buf_printf(&out->ids, "#%u", h->rec.ordinal);
        ok = ok && text_buf_putc(&out->ids, '\0');
        snprintf(d->score_text, sizeof d->score_text, "%.6f", h->score);
        d->score = strtod(d->score_text, NULL);
        d->xapian_rank = h->rank;
    }
    if (!ok) {
        free(offsets);
        srch_trec_list_free(out);
        return false;
    }
    for (size_t i = 0; i < n_hits; i++)
        out->docs[i].id = out->ids.data + offsets[i];
    free(offsets);
    if (n_hits > 1)
        qsort(out->docs, n_hits, sizeof *out->docs, doc_cmp);
    /* Drop repeated ids, keeping the best-placed one: sort positions by (id,
     * position) and mark every position that is not the first of its id. */
    id_ref_t *order = malloc(n_hits * sizeof *order);
    bool *repeat = calloc(n_hits, sizeof *repeat);
    if (!order || !repeat) {
        free(order);
        free(repeat);
        srch_trec_list_free(out);
        return false;
    }
    for (size_t i = 0; i < n_hits; i++) {
        order[i].id = out->docs[i].id;
        order[i].pos = i;
    }
    if (n_hits > 1)
        qsort(order, n_hits, sizeof *order, id_ref_cmp);
    for (size_t i = 1; i < n_hits; i++)
        if (strcmp(order[i - 1].id, order[i].id) == 0)
            repeat[order[i].pos] = true;
    size_t kept = 0;
    for (size_t i = 0; i < n_hits; i++)
        if (!repeat[i])
            out->docs[kept++] = out->docs[i];
    out->n = kept;
    free(order);
    free(repeat);
    return true;
}

bool srch_trec_print(text_buf_t *b, const srch_trec_list_t *l, size_t first_rank,
                     const char *qid, const char *tag)
{
    bool ok = true;
    for (size_t i = 0; i < l->n && ok; i++)
        ok = text_buf_printf(b, "%s Q0 %s %zu %s %s\n", qid, l->docs[i].id, first_rank + i,
                             l->docs[i].score_text, tag);
    return ok;
}
