/*
 * query_build.c — what is done with a parsed query (query_parse.c): its
 * canonical description, the walk over its words, the Xapian query built
 * through the shim, and the highlight units handed to the snippet builder.
 * Nothing here looks at the query string again; it reads only the tree.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "strset.h"
#include "terms.h"

/* ------------------------------------------------------------------------ */
/* Description                                                              */
/* ------------------------------------------------------------------------ */

static const char *kind_name(srch_node_kind_t k)
{
    switch (k) {
    case SRCH_NODE_TERM: return "TERM";
    case SRCH_NODE_PHRASE: return "PHRASE";
    case SRCH_NODE_NEAR: return "NEAR";
    case SRCH_NODE_PREFIX: return "PREFIX";
    case SRCH_NODE_AND: return "AND";
    case SRCH_NODE_OR: return "OR";
    case SRCH_NODE_AND_MAYBE: return "AND_MAYBE";
    case SRCH_NODE_AND_NOT: return "AND_NOT";
    }
    return "?";
}

static bool describe_leaf(text_buf_t *b, const srch_node_t *n)
{
    if (n->field == SRCH_FIELD_TITLE && !text_buf_puts(b, "title:"))
        return false;
    return text_buf_puts(b, n->stem);
}

static bool describe_node(text_buf_t *b, const srch_node_t *n)
{
    if (n->kind == SRCH_NODE_TERM)
        return describe_leaf(b, n);
    bool ok = text_buf_putc(b, '(') && text_buf_puts(b, kind_name(n->kind));
    if (ok && n->kind == SRCH_NODE_NEAR)
        ok = text_buf_printf(b, "/%u", (unsigned)n->distance);
    if (ok && n->kind == SRCH_NODE_PREFIX)
        ok = text_buf_putc(b, ' ') && describe_leaf(b, n);
    for (size_t k = 0; ok && k < n->n_kids; k++)
        ok = text_buf_putc(b, ' ') && describe_node(b, n->kids[k]);
    return ok && text_buf_putc(b, ')');
}

bool srch_query_describe(const srch_query_t *q, text_buf_t *b)
{
    const srch_node_t *root = srch_query_root(q);
    if (b == NULL)
        return false;
    return root == NULL || describe_node(b, root);
}

/* ------------------------------------------------------------------------ */
/* Words                                                                    */
/* ------------------------------------------------------------------------ */

static int visit_term(const srch_node_t *n, bool excluded, bool in_phrase,
                      const srch_node_t *either, srch_word_fn fn, void *payload)
{
    srch_word_t w = {
        .text = n->text, .word = n->word, .stem = n->stem, .field = n->field,
        .column = n->column, .excluded = excluded,
        .stopword = (n->flags & SRCH_TERM_STOPWORD) != 0,
        .prefix = n->kind == SRCH_NODE_PREFIX, .n_also = n->n_also, .also = n->also,
        .in_phrase = in_phrase, .solid = (n->flags & SRCH_TERM_SOLID) != 0, .either = either,
        .ideo = (n->flags & SRCH_TERM_IDEO) != 0,
        .ideo_touching = (n->flags & SRCH_TERM_IDEO_TOUCHING) != 0,
    };
    return fn(&w, payload);
}

static int visit_words(const srch_node_t *n, bool excluded, bool in_phrase,
                       const srch_node_t *either, srch_word_fn fn, void *payload)
{
    if (n->kind == SRCH_NODE_TERM || n->kind == SRCH_NODE_PREFIX)
        return visit_term(n, excluded, in_phrase, either, fn, payload);
    bool phrase = n->kind == SRCH_NODE_PHRASE;
    if (n->kind == SRCH_NODE_OR && (n->flags & SRCH_OR_SOLID))
        either = n;
    for (size_t k = 0; k < n->n_kids; k++) {
        bool ex = excluded || (n->kind == SRCH_NODE_AND_NOT && k == 1);
        int rc = visit_words(n->kids[k], ex, phrase, either, fn, payload);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int srch_query_words(const srch_query_t *q, srch_word_fn fn, void *payload)
{
    const srch_node_t *root = srch_query_root(q);
    if (root == NULL || fn == NULL)
        return 0;
    return visit_words(root, false, false, NULL, fn, payload);
}

int srch_query_dropped_words(const srch_query_t *q, srch_word_fn fn, void *payload)
{
    const srch_node_t *const *dropped;
    size_t n = srch_query_dropped(q, &dropped);
    for (size_t k = 0; fn != NULL && k < n; k++) {
        int rc = visit_term(dropped[k], false, false, NULL, fn, payload);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Xapian query                                                             */
/* ------------------------------------------------------------------------ */

/* ---- the expansions of a wildcard that the search keeps -------------------- */

typedef struct freqs {
    uint32_t *v;
    size_t n, cap;
} freqs_t;

static bool push_freq(freqs_t *f, uint32_t termfreq)
{
    uint32_t *grown = text_grow(f->v, &f->cap, f->n + 1, sizeof *grown);
    if (!grown)
        return false;
    f->v = grown;
    f->v[f->n++] = termfreq;
    return true;
}

static int freq_desc(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x < y) - (x > y);
}

/* The least of the max largest of v[0..n) (sorted in place, largest first);
 * 0 when there are no more than max, or max is 0. */
static uint32_t least_kept(uint32_t *v, size_t n, uint32_t max)
{
    if (max == 0 || n <= max)
        return 0;
    qsort(v, n, sizeof *v, freq_desc);
    return v[max - 1];
}

/* The expansions of a wildcard: NUL-terminated stems, one after the other in
 * sorted order, and while they are read, every expansion's frequency. */
typedef struct kept {
    text_buf_t stems;
    size_t n;
    freqs_t freqs;
} kept_t;

static int note_stem(const char *term, size_t len, uint32_t termfreq, void *payload)
{
    kept_t *k = payload;
    k->n++;
    return push_freq(&k->freqs, termfreq) && text_buf_append(&k->stems, term, len)
           && text_buf_putc(&k->stems, '\0') ? 0 : 1;
}

/* Read the expansions of term (a stem, after any field prefix) into k, and keep
 * those a search keeps: the max most frequent and any as frequent as the
 * least of them; all of them, *all set,
 * when there are no more than max or max is 0. */
static xs_status_t read_kept(const xs_db_t *db, const char *term, size_t len, uint32_t max,
                             kept_t *k, bool *all)
{
    *all = true;
    int rc = 0;
    xs_status_t st = xs_db_terms(db, term, len, note_stem, k, &rc);
    if (st == XS_OK && rc != 0)
        st = XS_ERR_NOMEM;
    if (st != XS_OK || max == 0 || k->n <= max)
        return st;
    uint32_t *sorted = malloc(k->n * sizeof *sorted);
    if (!sorted)
        return XS_ERR_NOMEM;
    memcpy(sorted, k->freqs.v, k->n * sizeof *sorted);
    uint32_t min_freq = least_kept(sorted, k->n, max);
    free(sorted);
    *all = false;
    size_t from = 0, to = 0, n_kept = 0;
    for (size_t i = 0; i < k->n; i++) {
        size_t stem_len = strlen(k->stems.data + from) + 1;
        if (k->freqs.v[i] >= min_freq) {
            memmove(k->stems.data + to, k->stems.data + from, stem_len);
            to += stem_len;
            n_kept++;
        }
        from += stem_len;
    }
    text_buf_truncate(&k->stems, to);
    k->n = n_kept;
    return XS_OK;
}

static void free_kept(kept_t *k)
{
    text_buf_free(&k->stems);
    free(k->freqs.v);
}

/* The stems a wildcard leaf's highlights are limited to (see read_kept());
 * none listed (n 0) when all its expansions are kept. */
static xs_status_t kept_stems(const xs_db_t *db, const srch_node_t *n, uint32_t max, kept_t *k)
{
    if (max == 0)
        return XS_OK;
    bool all;
    xs_status_t st = read_kept(db, n->stem, strlen(n->stem), max, k, &all);
    if (st == XS_OK && all) {
        k->stems.len = 0;
        if (k->stems.data)
            k->stems.data[0] = '\0';
        k->n = 0;
    }
    return st;
}


typedef struct build_ctx {
    srch_build_opts_t opts;
    const xs_db_t *db;  /* the index wildcards are expanded on, or NULL */
    uint32_t pos;       /* query position of the next term, as Xapian numbers them */
} build_ctx_t;

/* The index term of a leaf: its field prefix, then its stem. text/ keeps words
 * to TEXT_TOKEN_MAX bytes, far below Xapian's limit; a longer term is refused
 * here rather than cut, as the shim would refuse it too. */
typedef struct term_buf {
    char s[XS_TERM_MAX + 2];
    size_t len;
} term_buf_t;

static bool make_term(term_buf_t *t, srch_field_t field, const char *stem)
{
    const char *prefix = field == SRCH_FIELD_TITLE ? PASSIM_PREFIX_TITLE : "";
    size_t pl = strlen(prefix), sl = strlen(stem);
    if (pl + sl > XS_TERM_MAX)
        return false;
    memcpy(t->s, prefix, pl);
    memcpy(t->s + pl, stem, sl);
    t->len = pl + sl;
    t->s[t->len] = '\0';
    return true;
}

static xs_status_t term_query(xs_query_t **out, build_ctx_t *c, srch_field_t field,
                              const char *stem)
{
    term_buf_t t;
    if (!make_term(&t, field, stem)) {
        *out = NULL;
        return XS_ERR_TERM_TOO_LONG;
    }
    return xs_query_term(out, t.s, t.len, 1, ++c->pos);
}

static void free_all(xs_query_t **v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        xs_query_free(v[k]);
    free(v);
}

/* A term; with a title weight, OR'ed with the same stem in the title, scaled. */
static xs_status_t build_term(xs_query_t **out, build_ctx_t *c, const srch_node_t *n,
                              bool positive)
{
    xs_status_t st = term_query(out, c, n->field, n->stem);
    if (st != XS_OK || !positive || n->field != SRCH_FIELD_BODY || c->opts.title_weight <= 0)
        return st;
    xs_query_t *title = NULL, *scaled = NULL, *pair[2] = { *out, NULL };
    st = term_query(&title, c, SRCH_FIELD_TITLE, n->stem);
    if (st == XS_OK)
        st = xs_query_scale(&scaled, title, c->opts.title_weight);
    if (st == XS_OK) {
        pair[1] = scaled;
        st = xs_query_combine(out, XS_OP_OR, (const xs_query_t *const *)pair, 2, 0);
    }
    xs_query_free(pair[0]);
    xs_query_free(title);
    xs_query_free(scaled);
    if (st != XS_OK)
        *out = NULL;
    return st;
}

static bool is_leaf(const srch_node_t *n)
{
    return n->kind == SRCH_NODE_TERM || n->kind == SRCH_NODE_PREFIX
           || n->kind == SRCH_NODE_PHRASE;
}

/* A leaf (is_leaf()) as a string, into k: its kind, and its stem or a
 * phrase's stems in order; if exact, each with its field, and a wildcard with
 * the stems it searches too (n->also: two wildcards cut back to the same
 * prefix may have different ones), so that two leaves with the same exact key
 * search the same terms. False if memory ran out. */
static bool leaf_key(text_buf_t *k, const srch_node_t *n, bool exact)
{
    text_buf_clear(k);
    bool ok = text_buf_printf(k, "%d", (int)n->kind);
    const srch_node_t *const *v = n->kind == SRCH_NODE_PHRASE
                                  ? (const srch_node_t *const *)n->kids : &n;
    size_t n_v = n->kind == SRCH_NODE_PHRASE ? n->n_kids : 1;
    for (size_t i = 0; ok && i < n_v; i++)
        ok = exact ? text_buf_printf(k, " %d %s", (int)v[i]->field, v[i]->stem)
                   : text_buf_printf(k, " %s", v[i]->stem);
    const char *also = n->kind == SRCH_NODE_PREFIX && exact ? n->also : NULL;
    ok = ok && (also == NULL || text_buf_printf(k, " also %zu", n->n_also));
    for (size_t a = 0; ok && also && a < n->n_also; a++, also += strlen(also) + 1)
        ok = text_buf_printf(k, " %s", also);
    return ok;
}

static xs_status_t build_node(xs_query_t **out, build_ctx_t *c, const srch_node_t *n,
                              bool positive);

/* The terms of a phrase, or of every item of a NEAR, flattened in order. */
static xs_status_t build_terms(xs_query_t **v, size_t *n_v, build_ctx_t *c,
                               const srch_node_t *n)
{
    if (n->kind == SRCH_NODE_TERM)
        return term_query(&v[(*n_v)++], c, n->field, n->stem);
    for (size_t k = 0; k < n->n_kids; k++) {
        xs_status_t st = build_terms(v, n_v, c, n->kids[k]);
        if (st != XS_OK)
            return st;
    }
    return XS_OK;
}

static size_t count_terms(const srch_node_t *n)
{
    if (n->kind == SRCH_NODE_TERM)
        return 1;
    size_t total = 0;
    for (size_t k = 0; k < n->n_kids; k++)
        total += count_terms(n->kids[k]);
    return total;
}

/* PHRASE, or NEAR. Xapian 1.4 allows only terms inside both, so a NEAR over
 * phrases is the NEAR of all their words, FILTERed by each phrase: the words are
 * within the window and the phrase occurs in the passage. */
static xs_status_t build_positional(xs_query_t **out, build_ctx_t *c, const srch_node_t *n)
{
    size_t n_terms = count_terms(n), n_v = 0;
    xs_query_t **v = calloc(n_terms, sizeof *v);
    if (v == NULL)
        return XS_ERR_NOMEM;
    xs_op_t op = n->kind == SRCH_NODE_PHRASE ? XS_OP_PHRASE : XS_OP_NEAR;
    uint32_t window = op == XS_OP_NEAR ? n->window : 0;
    xs_status_t st = build_terms(v, &n_v, c, n);
    xs_query_t *pos_q = NULL;
    if (st == XS_OK)
        st = xs_query_combine(&pos_q, op, (const xs_query_t *const *)v, n_v, window);
    free_all(v, n_v);
    if (st != XS_OK || op == XS_OP_PHRASE) {
        *out = pos_q;
        return st;
    }
    size_t n_phrases = 0;
    for (size_t k = 0; k < n->n_kids; k++)
        n_phrases += n->kids[k]->kind == SRCH_NODE_PHRASE;
    if (n_phrases == 0) {
        *out = pos_q;
        return XS_OK;
    }
    /* v again: the NEAR, then the phrases it must also hold */
    v = calloc(n_phrases + 1, sizeof *v);
    if (v == NULL) {
        xs_query_free(pos_q);
        return XS_ERR_NOMEM;
    }
    n_v = 0;
    v[n_v++] = pos_q;
    for (size_t k = 0; st == XS_OK && k < n->n_kids; k++)
        if (n->kids[k]->kind == SRCH_NODE_PHRASE)
            st = build_positional(&v[n_v++], c, n->kids[k]);
    if (st == XS_OK)
        st = xs_query_combine(out, XS_OP_FILTER, (const xs_query_t *const *)v, n_v, 0);
    free_all(v, n_v);
    if (st != XS_OK)
        *out = NULL;
    return st;
}

/* A wildcard: a synonym of the expansions a search keeps (read_kept()) and
 * of the stems of the words it starts that it does not start (n->also), read
 * here rather than by Xapian, so that highlights and --explain name the same
 * words, and indexes searched together expand it once, as one index of them
 * all would (Xapian expands it in each, and weighs what each has). Without an
 * index, Xapian's own wildcard. */
static xs_status_t build_prefix(xs_query_t **out, build_ctx_t *c, const srch_node_t *n)
{
    term_buf_t t;
    if (!make_term(&t, n->field, n->stem))
        return XS_ERR_TERM_TOO_LONG;
    if (!c->db)
        return xs_query_wildcard(out, t.s, t.len, c->opts.wildcard_max);
    kept_t k = { TEXT_BUF_INIT, 0, { NULL, 0, 0 } };
    bool all;
    xs_status_t st = read_kept(c->db, t.s, t.len, c->opts.wildcard_max, &k, &all);
    xs_query_t **v = st == XS_OK ? calloc(k.n + n->n_also + 1, sizeof *v) : NULL;
    if (st == XS_OK && !v)
        st = XS_ERR_NOMEM;
    size_t n_v = 0;
    for (const char *term = k.stems.data; st == XS_OK && n_v < k.n; term += strlen(term) + 1)
        st = xs_query_term(&v[n_v++], term, strlen(term), 1, 0);
    /* and the stems of words it starts that it does not ("change*": chang) */
    const char *also = n->also;
    for (size_t a = 0; st == XS_OK && a < n->n_also; a++, also += strlen(also) + 1)
        st = make_term(&t, n->field, also) ? xs_query_term(&v[n_v++], t.s, t.len, 1, 0)
                                           : XS_ERR_TERM_TOO_LONG;
    if (st == XS_OK)
        st = xs_query_combine(out, XS_OP_SYNONYM, (const xs_query_t *const *)v, n_v, 0);
    if (v)
        free_all(v, n_v);
    free_kept(&k);
    return st;
}

static xs_status_t build_node(xs_query_t **out, build_ctx_t *c, const srch_node_t *n,
                              bool positive)
{
    *out = NULL;
    switch (n->kind) {
    case SRCH_NODE_TERM:
        return build_term(out, c, n, positive);
    case SRCH_NODE_PHRASE:
    case SRCH_NODE_NEAR:
        return build_positional(out, c, n);
    case SRCH_NODE_PREFIX:
        return build_prefix(out, c, n);
    case SRCH_NODE_AND:
    case SRCH_NODE_OR:
    case SRCH_NODE_AND_MAYBE:
    case SRCH_NODE_AND_NOT:
        break;
    }
    static const xs_op_t ops[] = {
        [SRCH_NODE_AND] = XS_OP_AND, [SRCH_NODE_OR] = XS_OP_OR,
        [SRCH_NODE_AND_MAYBE] = XS_OP_AND_MAYBE, [SRCH_NODE_AND_NOT] = XS_OP_AND_NOT,
    };
    /* A word, phrase or wildcard typed several times among the items of an
     * AND or an OR is searched once, its weight multiplied as many times:
     * what Xapian gives the copies, each searched on its own (a query of a
     * word pasted thousands of times took seconds). */
    bool fold = n->kind == SRCH_NODE_AND || n->kind == SRCH_NODE_OR;
    xs_query_t **v = calloc(n->n_kids ? n->n_kids : 1, sizeof *v);
    uint32_t *times = calloc(n->n_kids ? n->n_kids : 1, sizeof *times);
    size_t *first = calloc(n->n_kids ? n->n_kids : 1, sizeof *first);
    srch__strset_t seen = SRCH__STRSET_INIT;
    text_buf_t key = TEXT_BUF_INIT;
    xs_status_t st = v && times && first ? XS_OK : XS_ERR_NOMEM;
    size_t k = 0, n_v = 0;
    for (; st == XS_OK && k < n->n_kids; k++) {
        const srch_node_t *kid = n->kids[k];
        if (fold && is_leaf(kid)) {
            size_t i = leaf_key(&key, kid, true) ? srch__strset_find(&seen, key.data)
                                                 : SIZE_MAX;
            if (i != SIZE_MAX) {
                times[first[i]]++;
                continue;
            }
            size_t before = seen.n;
            if (key.data && srch__strset_add(&seen, key.data) && seen.n > before)
                first[before] = n_v;
        }
        /* what an AND_NOT takes away is not searched for: no title boost there */
        bool pos_k = positive && !(n->kind == SRCH_NODE_AND_NOT && k > 0);
        times[n_v] = 1;
        st = build_node(&v[n_v++], c, kid, pos_k);
    }
    for (size_t i = 0; st == XS_OK && i < n_v; i++) {
        xs_query_t *scaled = NULL;
        if (times[i] > 1 && (st = xs_query_scale(&scaled, v[i], times[i])) == XS_OK) {
            xs_query_free(v[i]);
            v[i] = scaled;
        }
    }
    if (st == XS_OK)
        st = xs_query_combine(out, ops[n->kind], (const xs_query_t *const *)v, n_v, 0);
    if (v)
        free_all(v, n_v);
    free(times);
    free(first);
    srch__strset_free(&seen);
    text_buf_free(&key);
    if (st != XS_OK)
        *out = NULL;
    return st;
}

xs_status_t srch_query_build(xs_query_t **out, const srch_query_t *q, const xs_db_t *db,
                             const srch_build_opts_t *opts)
{
    static const srch_build_opts_t defaults = SRCH_BUILD_OPTS_INIT;
    if (out != NULL)
        *out = NULL;
    const srch_node_t *root = srch_query_root(q);
    if (out == NULL || root == NULL ||
        (opts != NULL && (opts->version != SRCH_BUILD_OPTS_VERSION ||
                          !(opts->title_weight >= 0))))
        return XS_ERR_INVALID;
    build_ctx_t c = { opts ? *opts : defaults, db, 0 };
    return build_node(out, &c, root, true);
}

xs_status_t srch_query_build_node(xs_query_t **out, const srch_node_t *n, const xs_db_t *db,
                                  const srch_build_opts_t *opts)
{
    static const srch_build_opts_t defaults = SRCH_BUILD_OPTS_INIT;
    if (out != NULL)
        *out = NULL;
    if (out == NULL || n == NULL)
        return XS_ERR_INVALID;
    build_ctx_t c = { opts ? *opts : defaults, db, 0 };
    return build_node(out, &c, n, true);
}

/* ------------------------------------------------------------------------ */
/* Highlight units                                                          */
/* ------------------------------------------------------------------------ */

/* A positive leaf worth a unit; anywhere: it stands somewhere in the query
 * that is not a NEAR, and is then highlighted wherever it occurs. */
typedef struct leaf {
    const srch_node_t *node;
    bool anywhere;
} leaf_t;

/* A leaf as items of a NEAR (times: how many, 2 in "Taliban NEAR/1 Taliban"). */
typedef struct placing {
    size_t leaf;
    const srch_node_t *near;
    unsigned times;
} placing_t;

/* The leaves and their places in NEARs, gathered before the units are laid out. */
typedef struct leaf_list {
    leaf_t *v;
    size_t n, cap;
    placing_t *p;
    size_t n_p, cap_p;
    size_t n_stems;     /* stems of all phrases, for the block's pointer area */
    srch__strset_t keys; /* unit_key() of each leaf, numbered as v */
} leaf_list_t;

#define LEAF_LIST_INIT { NULL, 0, 0, NULL, 0, 0, 0, SRCH__STRSET_INIT }

static void leaf_list_free(leaf_list_t *l)
{
    free(l->v);
    free(l->p);
    srch__strset_free(&l->keys);
}

/* What makes two leaves one unit, into k: the kind, and the stem, or a
 * phrase's stems in order. False if memory ran out. */
static bool unit_key(text_buf_t *k, const srch_node_t *n)
{
    return leaf_key(k, n, false);
}

/* The number of n's unit in l, or SIZE_MAX if it has none (or memory ran out). */
static size_t find_leaf(const leaf_list_t *l, const srch_node_t *n)
{
    text_buf_t k = TEXT_BUF_INIT;
    size_t at = unit_key(&k, n) ? srch__strset_find(&l->keys, k.data) : SIZE_MAX;
    text_buf_free(&k);
    return at;
}

static bool add_leaf(leaf_list_t *l, const srch_node_t *n, const srch_node_t *near)
{
    text_buf_t key = TEXT_BUF_INIT;
    if (!unit_key(&key, n))
        return false;
    size_t k = srch__strset_find(&l->keys, key.data);
    if (k == SIZE_MAX) {
        k = l->n;
        leaf_t *v = text_grow(l->v, &l->cap, l->n + 1, sizeof *v);
        if (v != NULL)
            l->v = v;
        if (v == NULL || !srch__strset_add(&l->keys, key.data) || l->keys.n != k + 1) {
            text_buf_free(&key);
            return false;
        }
        l->v[l->n++] = (leaf_t){ n, false };
        if (n->kind == SRCH_NODE_PHRASE)
            l->n_stems += n->n_kids;
        else if (n->kind == SRCH_NODE_PREFIX && n->n_also > 0)
            l->n_stems += 1 + n->n_also;
    }
    text_buf_free(&key);
    if (near == NULL) {
        l->v[k].anywhere = true;
        return true;
    }
    for (size_t i = 0; i < l->n_p; i++)
        if (l->p[i].leaf == k && l->p[i].near == near) {
            l->p[i].times++;
            return true;
        }
    placing_t *p = text_grow(l->p, &l->cap_p, l->n_p + 1, sizeof *p);
    if (p == NULL)
        return false;
    l->p = p;
    l->p[l->n_p++] = (placing_t){ k, near, 1 };
    return true;
}

/* The NEARs leaf k is an item of, into out (room for all): numbered from 1 by
 * the first place any item of theirs takes in l->p. Returns how many. */
static size_t leaf_nears(const leaf_list_t *l, size_t k, srch_hl_near_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n_p; i++) {
        if (l->p[i].leaf != k)
            continue;
        size_t first = 0;
        while (l->p[first].near != l->p[i].near)
            first++;
        out[n++] = (srch_hl_near_t){ (unsigned)first + 1, l->p[i].near->window, l->p[i].times };
    }
    return n;
}

static bool gather(leaf_list_t *l, const srch_node_t *n, const srch_node_t *near)
{
    switch (n->kind) {
    case SRCH_NODE_TERM:
    case SRCH_NODE_PHRASE:
    case SRCH_NODE_PREFIX: {
        /* A title: word matched the title, not the passage: the same word in
         * the passage's text is no match of it. */
        const srch_node_t *leaf = n->kind == SRCH_NODE_PHRASE && n->n_kids ? n->kids[0] : n;
        return leaf->field == SRCH_FIELD_TITLE || add_leaf(l, n, near);
    }
    case SRCH_NODE_AND_NOT:
        return gather(l, n->kids[0], NULL);  /* what is excluded is never highlighted */
    default:
        for (size_t k = 0; k < n->n_kids; k++)
            if (!gather(l, n->kids[k], n->kind == SRCH_NODE_NEAR ? n : NULL))
                return false;
        return true;
    }
}

typedef struct prefix_freq {
    uint64_t sum, cap;
    unsigned seen;
} prefix_freq_t;

/* Sum the frequencies of a prefix's expansions; stop once they cover the whole
 * database or after enough terms (a two-letter prefix may have thousands). */
static int add_freq(const char *term, size_t len, uint32_t termfreq, void *payload)
{
    (void)term;
    (void)len;
    prefix_freq_t *pf = payload;
    pf->sum += termfreq;
    return pf->sum >= pf->cap || ++pf->seen >= 1000;
}

static double idf(uint32_t n_docs, uint64_t termfreq)
{
    if (termfreq > n_docs)
        termfreq = n_docs;
    return log(((double)n_docs + 1.0) / ((double)termfreq + 0.5));
}

static xs_status_t unit_weight(const xs_db_t *db, uint32_t n_docs, const srch_node_t *n,
                               double *out)
{
    *out = 0;
    if (n->kind == SRCH_NODE_PREFIX) {
        prefix_freq_t pf = { 0, n_docs, 0 };
        xs_status_t st = xs_db_terms(db, n->stem, strlen(n->stem), add_freq, &pf, NULL);
        const char *also = n->also;
        for (size_t a = 0; st == XS_OK && a < n->n_also; a++, also += strlen(also) + 1) {
            uint32_t tf = 0;
            st = xs_db_termfreq(db, also, strlen(also), &tf);
            pf.sum += tf;
        }
        if (st == XS_OK)
            *out = idf(n_docs, pf.sum);
        return st;
    }
    size_t n_terms = n->kind == SRCH_NODE_PHRASE ? n->n_kids : 1;
    for (size_t k = 0; k < n_terms; k++) {
        const char *stem = n->kind == SRCH_NODE_PHRASE ? n->kids[k]->stem : n->stem;
        uint32_t tf = 0;
        xs_status_t st = xs_db_termfreq(db, stem, strlen(stem), &tf);
        if (st != XS_OK)
            return st;
        *out += idf(n_docs, tf);
    }
    return XS_OK;
}

/* ---- highlight units ----------------------------------------------------- */

xs_status_t srch_query_units(const srch_query_t *q, const xs_db_t *db, uint32_t wildcard_max,
                             srch_hl_unit_t **units, size_t *n_units)
{
    if (units != NULL)
        *units = NULL;
    if (n_units != NULL)
        *n_units = 0;
    const srch_node_t *root = srch_query_root(q);
    if (root == NULL || units == NULL || n_units == NULL)
        return XS_ERR_INVALID;

    leaf_list_t l = LEAF_LIST_INIT;
    if (!gather(&l, root, NULL)) {
        leaf_list_free(&l);
        return XS_ERR_NOMEM;
    }
    xs_status_t st = XS_OK;
    uint32_t n_docs = 0;
    if (db != NULL)
        st = xs_db_doccount(db, &n_docs);
    kept_t *kept = l.n > 0 ? calloc(l.n, sizeof *kept) : NULL;
    if (l.n > 0 && !kept)
        st = XS_ERR_NOMEM;
    size_t n_kept = 0, kept_bytes = 0;
    for (size_t k = 0; st == XS_OK && k < l.n; k++)
        if (db != NULL && l.v[k].node->kind == SRCH_NODE_PREFIX) {
            st = kept_stems(db, l.v[k].node, wildcard_max, &kept[k]);
            n_kept += kept[k].n;
            kept_bytes += kept[k].stems.len;
        }
    /* one block: the units, the stem pointers of the phrases, the pointers to
     * the stems that wildcards keep, the units' NEARs, and those stems */
    srch_hl_unit_t *u = NULL;
    if (st == XS_OK && l.n > 0) {
        u = calloc(1, l.n * sizeof *u + (l.n_stems + n_kept) * sizeof(const char *)
                          + l.n_p * sizeof(srch_hl_near_t) + kept_bytes);
        if (u == NULL)
            st = XS_ERR_NOMEM;
    }
    const char **stems = u ? (const char **)(u + l.n) : NULL;
    const char **allowed = u ? stems + l.n_stems : NULL;
    srch_hl_near_t *nears = u ? (srch_hl_near_t *)(allowed + n_kept) : NULL;
    char *bytes = u ? (char *)(nears + l.n_p) : NULL;
    for (size_t k = 0; st == XS_OK && k < l.n; k++) {
        const srch_node_t *n = l.v[k].node;
        u[k].color = (unsigned)k;
        u[k].weight = 1.0;
        u[k].nears = nears;
        u[k].n_nears = leaf_nears(&l, k, nears);
        u[k].near_only = !l.v[k].anywhere;
        nears += u[k].n_nears;
        if (n->kind == SRCH_NODE_PHRASE) {
            u[k].kind = SRCH_HL_PHRASE;
            for (size_t j = 0; j < n->n_kids; j++)
                stems[j] = n->kids[j]->stem;
            u[k].stems = stems;
            u[k].n_stems = n->n_kids;
            stems += n->n_kids;
        } else if (n->kind == SRCH_NODE_PREFIX && n->n_also > 0) {
            u[k].kind = SRCH_HL_PREFIX;
            stems[0] = n->stem;
            const char *also = n->also;
            for (size_t a = 1; a <= n->n_also; a++, also += strlen(also) + 1)
                stems[a] = also;
            u[k].stems = stems;
            u[k].n_stems = 1 + n->n_also;
            stems += 1 + n->n_also;
        } else {
            u[k].kind = n->kind == SRCH_NODE_PREFIX ? SRCH_HL_PREFIX : SRCH_HL_TERM;
            u[k].stems = &n->stem;
            u[k].n_stems = 1;
        }
        if (kept[k].n > 0) {
            /* xs_db_terms() walks the terms in sorted order. */
            memcpy(bytes, kept[k].stems.data, kept[k].stems.len);
            u[k].allowed = allowed;
            u[k].n_allowed = kept[k].n;
            for (size_t j = 0, at = 0; j < kept[k].n; j++) {
                allowed[j] = bytes + at;
                at += strlen(bytes + at) + 1;
            }
            allowed += kept[k].n;
            bytes += kept[k].stems.len;
        }
        if (db != NULL)
            st = unit_weight(db, n_docs, n, &u[k].weight);
    }
    for (size_t k = 0; kept && k < l.n; k++)
        free_kept(&kept[k]);
    free(kept);
    leaf_list_free(&l);
    if (st != XS_OK) {
        free(u);
        return st;
    }
    *units = u;
    *n_units = l.n;
    return XS_OK;
}

void srch_query_units_free(srch_hl_unit_t *units)
{
    free(units);
}

/* ---- units that a passage does not bear out ------------------------------ */

/* Nodes between the root and a leaf followed; parentheses nest at most
 * SRCH_QUERY_MAX_DEPTH deep, and each level makes a few nodes. */
#define PLACE_DEPTH_MAX (4 * SRCH_QUERY_MAX_DEPTH + 8)

typedef struct units_off {
    const leaf_list_t *l;
    bool *counts;           /* per unit: one of its places counts */
    bool any_asked;         /* a place's conditions were not all settled */
    bool too_deep;          /* a place below PLACE_DEPTH_MAX: every unit counts */
    srch_node_test_fn test;
    void *payload;
    const srch_node_t *path[PLACE_DEPTH_MAX];
    size_t at[PLACE_DEPTH_MAX];  /* which item of path[d] the walk is in */
} units_off_t;

/* Whether the place of the leaf at the end of the path counts (see
 * srch_query_units_off()). Conditions of a node known to match (the root,
 * every item of a matching AND, the kept side of a matching AND_NOT, the
 * required item of a matching AND_MAYBE) hold already. */
static bool place_counts(units_off_t *u, size_t depth)
{
    bool known = true;
    for (size_t d = 0; d < depth; d++) {
        const srch_node_t *a = u->path[d];
        size_t c = u->at[d];
        if (!known) {
            u->any_asked |= a->kind == SRCH_NODE_AND || a->kind == SRCH_NODE_AND_NOT
                            || (a->kind == SRCH_NODE_AND_MAYBE && c > 0);
            for (size_t j = 0; j < a->n_kids; j++) {
                if (j == c)
                    continue;
                if (a->kind == SRCH_NODE_AND && !u->test(a->kids[j], u->payload))
                    return false;
                if (a->kind == SRCH_NODE_AND_NOT && j > 0 && u->test(a->kids[j], u->payload))
                    return false;
                if (a->kind == SRCH_NODE_AND_MAYBE && c > 0 && j == 0
                    && !u->test(a->kids[0], u->payload))
                    return false;
            }
        }
        known = known && (a->kind == SRCH_NODE_AND || (a->kind == SRCH_NODE_AND_NOT && c == 0)
                          || (a->kind == SRCH_NODE_AND_MAYBE && c == 0));
    }
    return true;
}

/* Walk the places of the units below n (at depth), as gather() finds them. */
static void walk_places(units_off_t *u, const srch_node_t *n, size_t depth)
{
    if (depth >= PLACE_DEPTH_MAX) {
        u->too_deep = true;
        return;
    }
    switch (n->kind) {
    case SRCH_NODE_TERM:
    case SRCH_NODE_PHRASE:
    case SRCH_NODE_PREFIX: {
        const srch_node_t *leaf = n->kind == SRCH_NODE_PHRASE && n->n_kids ? n->kids[0] : n;
        if (leaf->field == SRCH_FIELD_TITLE)
            return;
        size_t k = find_leaf(u->l, n);
        if (k < u->l->n && !u->counts[k])
            u->counts[k] = place_counts(u, depth);
        return;
    }
    default:
        u->path[depth] = n;
        /* what an AND_NOT excludes has no place to count */
        size_t kids = n->kind == SRCH_NODE_AND_NOT ? 1 : n->n_kids;
        for (size_t k = 0; k < kids; k++) {
            u->at[depth] = k;
            walk_places(u, n->kids[k], depth + 1);
        }
        return;
    }
}

/* Whether a unit below n may be off once the path above it is not settled
 * (unsettled): an AND, an AND_NOT or an AND_MAYBE's optional item met there
 * would be asked of the passage (place_counts()). */
static bool may_ask(const srch_node_t *n, bool unsettled, size_t depth)
{
    if (n->kind == SRCH_NODE_TERM || n->kind == SRCH_NODE_PHRASE || n->kind == SRCH_NODE_PREFIX)
        return false;
    if (depth >= PLACE_DEPTH_MAX)
        return false; /* walk_places() counts every unit there */
    size_t kids = n->kind == SRCH_NODE_AND_NOT ? 1 : n->n_kids;
    for (size_t k = 0; k < kids; k++) {
        bool optional = n->kind == SRCH_NODE_AND_MAYBE && k > 0;
        if (unsettled && (n->kind == SRCH_NODE_AND || n->kind == SRCH_NODE_AND_NOT || optional))
            return true;
        /* what settles a place: an AND, the kept side of an AND_NOT, the
         * required item of an AND_MAYBE (place_counts()) */
        bool settles = n->kind == SRCH_NODE_AND || n->kind == SRCH_NODE_AND_NOT
                       || (n->kind == SRCH_NODE_AND_MAYBE && k == 0);
        if (may_ask(n->kids[k], unsettled || !settles, depth + 1))
            return true;
    }
    return false;
}

bool srch_query_units_off(const srch_query_t *q, bool *off, size_t n_units,
                          srch_node_test_fn test, void *payload)
{
    const srch_node_t *root = srch_query_root(q);
    if (off == NULL || n_units == 0)
        return false;
    memset(off, 0, n_units * sizeof *off);
    /* Most queries settle every place (all words; an OR of words): they
     * cost one look at the tree's shape, for each passage. */
    if (root == NULL || test == NULL || !may_ask(root, false, 0))
        return false;
    leaf_list_t l = LEAF_LIST_INIT;
    units_off_t u = { &l, NULL, false, false, test, payload, { NULL }, { 0 } };
    bool some_off = false;
    if (gather(&l, root, NULL) && l.n == n_units && (u.counts = calloc(l.n, sizeof *u.counts))) {
        walk_places(&u, root, 0);
        for (size_t k = 0; u.any_asked && !u.too_deep && k < l.n; k++)
            some_off |= off[k] = !u.counts[k];
    }
    free(u.counts);
    leaf_list_free(&l);
    return some_off;
}
