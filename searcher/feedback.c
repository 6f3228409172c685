/*
 * feedback.c — pseudo-relevance feedback: the best few passages of a first
 * search are taken as relevant, Xapian's expand set proposes the terms that
 * distinguish them, and those terms join the query with a fraction of its
 * weight. Natural-language questions use other words than the passages that
 * answer them; feedback brings those words in.
 *
 * The expansion never changes what matches, in either mode: the terms only
 * add weight (AND_MAYBE), so every hit still holds a query word that its
 * snippet can show. Letting them bring in passages of their own (OR, in
 * any-word mode) gave the same figures on Cranfield (MAP 0.3439 against
 * 0.3436) and cost a fifth of batch throughput on Reuters. The words of the
 * query itself are not added again. Measured on Cranfield (bench/relevance):
 * 2 passages, 20 terms, weight 0.5.
 *
 * Only queries of plain words are expanded. A phrase, NEAR, a wildcard, a
 * title: restriction, a required or an excluded item say precisely what is
 * wanted: such a query is run as written, in one search (feedback would rank
 * by words the query did not ask for, and costs a second search).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "searcher.h"
#include "terms.h"

typedef struct expansion {
    xs_query_t **terms;      /* one weighted term query each */
    size_t n;
    double top;              /* weight of the best term (for scaling) */
    double sum;              /* the terms' weights relative to top, summed */
    const srch_query_t *q;   /* the parsed query: its stems are not added */
    const text_analyzer_t *analyzer;  /* nor are stopwords */
    xs_status_t st;
} expansion_t;

typedef struct stem_probe {
    const char *term;
    size_t len;
    bool found;
} stem_probe_t;

typedef struct word_count {
    srch_engine_t *e;
    srch__strset_t seen; /* the stems counted */
    size_t n;
} word_count_t;

/* Counts the query's own words that some passage holds (feedback takes
 * plain-word queries only): a word that matches nothing weighs nothing in
 * the search, nor should it lend weight to the feedback terms. Nor does a
 * stopword, kept when the query has nothing else ("to be or not to be":
 * what such a query finds first is no topic to feed back), and a word typed
 * twice counts once. */
static int count_word(const srch_word_t *w, void *payload)
{
    word_count_t *c = payload;
    uint32_t df = 0;
    if (w->excluded || w->prefix || w->stopword || w->solid || w->field != SRCH_FIELD_BODY)
        return 0;
    /* Out of memory, a repeated word may count twice: no more harm. */
    if (srch__strset_add(&c->seen, w->stem)
        && xs_db_termfreq(c->e->db, w->stem, strlen(w->stem), &df) == XS_OK && df > 0)
        c->n++;
    return 0;
}

static int probe_word(const srch_word_t *w, void *payload)
{
    stem_probe_t *p = payload;
    if (!w->prefix && strlen(w->stem) == p->len && memcmp(w->stem, p->term, p->len) == 0) {
        p->found = true;
        return 1;
    }
    return 0;
}

static int add_term(const char *term, size_t len, double weight, void *payload)
{
    expansion_t *e = payload;
    stem_probe_t probe = { term, len, false };
    srch_query_words(e->q, probe_word, &probe);
    if (probe.found || weight <= 0 || len >= 64)
        return 0;
    /* A stopword ("when", "which") says nothing about the topic. */
    char word[64];
    memcpy(word, term, len);
    word[len] = '\0';
    text_token_t tok = { .word = word, .word_len = len };
    if (text_is_stopword(e->analyzer, &tok))
        return 0;
    if (e->n == 0)
        e->top = weight;
    xs_query_t *t = NULL, *scaled = NULL;
    e->st = xs_query_term(&t, term, len, 1, 0);
    if (e->st == XS_OK)
        e->st = xs_query_scale(&scaled, t, weight / e->top);
    xs_query_free(t);
    if (e->st != XS_OK)
        return 1;
    e->terms[e->n++] = scaled;
    e->sum += weight / e->top;
    return 0;
}

/*
 * The weight of the feedback terms as a whole: s->feedback_weight, but never
 * so much that they count as more terms than the query has. Each term counts at
 * its weight relative to the best one, so twenty terms at half weight add up
 * to several query words: a one-word query was outweighed by the words of its first hit, and
 * whatever that hit was about (a page's "Leave a Reply" footer for 'back')
 * came first with the query word a tenth of its score. Capped so that their
 * relative weights sum to at most the number of query words that some passage
 * holds, feedback reorders short queries without taking them over; on
 * Cranfield's long questions the cap hardly ever binds (nDCG@10 0.3932 against 0.3935). Terms are counted,
 * not weighed by rarity (that would take a look-up per term on every query):
 * a rare feedback term still adds more than a common query word.
 */
static double feedback_scale(size_t n_words, const expansion_t *ex, double weight)
{
    double cap = (double)n_words / ex->sum;
    return cap < weight ? cap : weight;
}

/* How many of q's words count for feedback (count_word()). */
static size_t counted_words(srch_engine_t *e, const srch_query_t *q)
{
    word_count_t c = { e, SRCH__STRSET_INIT, 0 };
    srch_query_words(q, count_word, &c);
    srch__strset_free(&c.seen);
    return c.n;
}

/* True if the tree under n is plain words joined by AND or OR (a quoted word
 * is a phrase of one: it runs as written; a joined word read as its parts
 * and its phrase is words). */
static bool plain_words(const srch_node_t *n)
{
    switch (n->kind) {
    case SRCH_NODE_TERM:
        return n->field == SRCH_FIELD_BODY && !(n->flags & SRCH_TERM_QUOTED);
    case SRCH_NODE_PHRASE:
        return (n->flags & SRCH_PHRASE_ALSO) != 0;
    case SRCH_NODE_AND:
    case SRCH_NODE_OR:
        for (size_t i = 0; i < n->n_kids; i++)
            if (!plain_words(n->kids[i]))
                return false;
        return true;
    default:
        return false;
    }
}

/* How many articles tied with the last one taken feedback takes too. */
#define FEEDBACK_TIES 1

/* How many of m's first articles to take as relevant: n, and those that
 * score as the n-th (at most FEEDBACK_TIES more) when the cut falls inside a
 * tie; when more tie, only those that score above it. Which of the tied ones
 * to take would otherwise be arbitrary (path order decides ties), and the
 * words of those taken would lift them above their equals: of four notes
 * alike but for their numbers, "Note 1" and "Note 2" came first at seven
 * times the others' score. m holds n + FEEDBACK_TIES + 1 results, if there
 * are as many. */
static size_t feedback_articles(const xs_mset_t *m, size_t n)
{
    size_t size = xs_mset_size(m);
    if (size <= n || n == 0)
        return size < n ? size : n;
    double cut = xs_mset_weight(m, n - 1);
    size_t end = n;
    while (end < size && xs_mset_weight(m, end) == cut)
        end++;
    if (end == n || (end < size && end - n <= FEEDBACK_TIES))
        return end;
    while (n > 0 && xs_mset_weight(m, n - 1) == cut)
        n--;
    return n;
}

xs_status_t srch_feedback_expand(xs_query_t **out, srch_engine_t *e, const xs_query_t *xq,
                                 const srch_query_t *q, const srch_settings_t *s)
{
    *out = NULL;
    const srch_node_t *root = srch_query_root(q);
    if (s->feedback_docs == 0 || s->feedback_terms == 0 || !root || !plain_words(root))
        return XS_OK;
    /* No word that counts (stopwords alone): the feedback terms would weigh
     * nothing, and are not searched for. */
    size_t n_words = counted_words(e, q);
    if (n_words == 0)
        return XS_OK;
    xs_search_opts_t o = s->xapian;
    o.offset = 0;
    o.limit = s->feedback_docs + FEEDBACK_TIES + 1; /* is the cut in a tie? */
    o.collapse_slot = PASSIM_SLOT_FILE; /* feedback from distinct articles */
    o.collapse_max = 1;
    xs_mset_t *m = NULL;
    xs_status_t st = xs_search(&m, e->db, xq, &o);
    if (st != XS_OK)
        return st;
    expansion_t ex = { calloc(s->feedback_terms, sizeof(xs_query_t *)), 0, 1.0, 0.0, q,
                       e->analyzer, XS_OK };
    if (!ex.terms) {
        xs_mset_free(m);
        return XS_ERR_NOMEM;
    }
    size_t n_docs = feedback_articles(m, s->feedback_docs);
    if (n_docs > 0)
        st = xs_mset_expand(m, n_docs, s->feedback_terms, add_term, &ex);
    xs_mset_free(m);
    if (st == XS_OK)
        st = ex.st;
    if (st == XS_OK && ex.n > 0) {
        xs_query_t *any = NULL, *scaled = NULL;
        st = xs_query_combine(&any, XS_OP_OR, (const xs_query_t *const *)ex.terms, ex.n, 0);
        if (st == XS_OK)
            st = xs_query_scale(&scaled, any, feedback_scale(n_words, &ex, s->feedback_weight));
        if (st == XS_OK) {
            const xs_query_t *both[2] = { xq, scaled };
            st = xs_query_combine(out, XS_OP_AND_MAYBE, both, 2, 0);
        }
        xs_query_free(any);
        xs_query_free(scaled);
    }
    for (size_t i = 0; i < ex.n; i++)
        xs_query_free(ex.terms[i]);
    free(ex.terms);
    return st;
}
