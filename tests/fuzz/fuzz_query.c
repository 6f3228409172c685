/*
 * fuzz_query.c — fuzz harness of the query parser (searcher/query_parse.c) and
 * of what is done with a parsed tree (searcher/query_build.c).
 *
 * Any bytes are parsed as a query with the english analyzer and its stopwords,
 * in AND mode and in OR mode (stopwords dropped), and in OR mode keeping them.
 * A refused query must carry a message and a column inside the query (1 to
 * len + 1). An accepted one must be a well-formed tree (the shapes query.h
 * gives each node kind), describe itself, walk its words, yield highlight
 * units without a database, build into a Xapian query through the shim, and
 * free cleanly (leaks are the sanitizer's to find).
 */
#include <string.h>

#include "fuzz.h"
#include "query.h"

typedef struct tree_check {
    size_t len;             /* of the query */
    size_t n_nodes;
} tree_check_t;

static void check_column(const tree_check_t *c, size_t column, const char *what)
{
    FUZZ_CHECK(column >= 1 && column <= c->len + 1, "%s at column %zu of a %zu-byte query", what,
               column, c->len);
}

static void check_leaf(const tree_check_t *c, const srch_node_t *n)
{
    FUZZ_CHECK(n->text != NULL && n->word != NULL && n->stem != NULL, "leaf without strings");
    FUZZ_CHECK(n->stem[0] != '\0' && n->word[0] != '\0', "leaf with an empty word");
    FUZZ_CHECK(fuzz_utf8_ok(n->stem, strlen(n->stem)) && fuzz_utf8_ok(n->word, strlen(n->word)),
               "leaf word is not valid UTF-8");
    FUZZ_CHECK(strlen(n->word) <= TEXT_TOKEN_MAX, "leaf word of %zu bytes", strlen(n->word));
    FUZZ_CHECK(n->field == SRCH_FIELD_BODY || n->field == SRCH_FIELD_TITLE, "field %d",
               (int)n->field);
    FUZZ_CHECK(n->n_kids == 0, "leaf with %zu kids", n->n_kids);
    check_column(c, n->column, "leaf");
}

static void check_node(tree_check_t *c, const srch_node_t *n, unsigned depth)
{
    FUZZ_CHECK(n != NULL, "NULL node");
    FUZZ_CHECK(depth <= 4 * SRCH_QUERY_MAX_DEPTH + 16, "tree deeper than %u", depth);
    c->n_nodes++;
    switch (n->kind) {
    case SRCH_NODE_TERM:
    case SRCH_NODE_PREFIX:
        check_leaf(c, n);
        return;
    case SRCH_NODE_PHRASE:
        FUZZ_CHECK(n->n_kids >= 2, "phrase of %zu words", n->n_kids);
        for (size_t k = 0; k < n->n_kids; k++) {
            FUZZ_CHECK(n->kids[k]->kind == SRCH_NODE_TERM, "phrase of a non-term");
            check_leaf(c, n->kids[k]);
        }
        return;
    case SRCH_NODE_NEAR:
        FUZZ_CHECK(n->n_kids >= 2, "NEAR of %zu items", n->n_kids);
        FUZZ_CHECK(n->distance <= SRCH_NEAR_MAX, "NEAR/%u", (unsigned)n->distance);
        FUZZ_CHECK(n->window > n->distance, "NEAR window %u, distance %u", (unsigned)n->window,
                   (unsigned)n->distance);
        for (size_t k = 0; k < n->n_kids; k++) {
            const srch_node_t *kid = n->kids[k];
            FUZZ_CHECK(kid->kind == SRCH_NODE_TERM || kid->kind == SRCH_NODE_PHRASE,
                       "NEAR holds a node of kind %d", (int)kid->kind);
            check_node(c, kid, depth + 1);
        }
        return;
    case SRCH_NODE_AND:
    case SRCH_NODE_OR:
        FUZZ_CHECK(n->n_kids >= 2, "AND/OR of %zu", n->n_kids);
        break;
    case SRCH_NODE_AND_MAYBE:
    case SRCH_NODE_AND_NOT:
        FUZZ_CHECK(n->n_kids == 2, "binary node with %zu kids", n->n_kids);
        break;
    default:
        FUZZ_CHECK(false, "node of kind %d", (int)n->kind);
    }
    for (size_t k = 0; k < n->n_kids; k++)
        check_node(c, n->kids[k], depth + 1);
}

typedef struct word_check {
    const tree_check_t *c;
    size_t n;
    size_t n_body;      /* words sought in the passages' text (not excluded, not title:) */
} word_check_t;

static int on_word(const srch_word_t *w, void *payload)
{
    word_check_t *wc = payload;
    FUZZ_CHECK(w->text && w->word && w->stem, "word without strings");
    check_column(wc->c, w->column, "word");
    wc->n++;
    if (!w->excluded && w->field == SRCH_FIELD_BODY)
        wc->n_body++;
    return 0;
}

/* One analyzer for the whole run, kept between inputs. */
static text_analyzer_t *analyzer;

static text_analyzer_t *english(void)
{
    return fuzz_english(&analyzer);
}

static void check_parsed(const srch_query_t *q, size_t len)
{
    tree_check_t c = { len, 0 };
    const srch_node_t *root = srch_query_root(q);
    FUZZ_CHECK(root != NULL, "parsed query without a root");
    check_node(&c, root, 0);

    text_buf_t b = TEXT_BUF_INIT;
    FUZZ_CHECK(srch_query_describe(q, &b), "describe failed");
    FUZZ_CHECK(b.len > 0 && fuzz_utf8_ok(b.data, b.len), "bad description");
    text_buf_free(&b);

    word_check_t wc = { &c, 0, 0 };
    FUZZ_CHECK(srch_query_words(q, on_word, &wc) == 0, "word walk failed");
    FUZZ_CHECK(wc.n > 0, "a query without words");

    srch_hl_unit_t *units = NULL;
    size_t n_units = 0;
    FUZZ_CHECK(srch_query_units(q, NULL, 0, &units, &n_units) == XS_OK, "units failed");
    /* Units highlight the passages' text: title: words have none. */
    FUZZ_CHECK((n_units > 0) == (wc.n_body > 0) && (n_units > 0) == (units != NULL),
               "%zu highlight units for %zu words sought in the text", n_units, wc.n_body);
    for (size_t k = 0; k < n_units; k++) {
        const srch_hl_unit_t *u = &units[k];
        FUZZ_CHECK(u->kind == SRCH_HL_TERM || u->kind == SRCH_HL_PHRASE ||
                       u->kind == SRCH_HL_PREFIX, "unit kind %d", (int)u->kind);
        FUZZ_CHECK(u->n_stems >= 1 && (u->kind == SRCH_HL_PHRASE || u->n_stems == 1),
                   "unit of %zu stems", u->n_stems);
        for (size_t j = 0; j < u->n_stems; j++)
            FUZZ_CHECK(u->stems[j] != NULL && u->stems[j][0] != '\0', "unit with an empty stem");
        FUZZ_CHECK(u->color == k && u->weight == 1.0, "unit %zu: colour %u, weight %g", k,
                   u->color, u->weight);
    }
    srch_query_units_free(units);

    xs_query_t *xq = NULL;
    xs_status_t st = srch_query_build(&xq, q, NULL, NULL);
    FUZZ_CHECK(st == XS_OK && xq != NULL, "build failed: %s", xs_last_error());
    char *desc = xs_query_describe(xq);
    FUZZ_CHECK(desc != NULL, "Xapian description failed");
    free(desc);
    xs_query_free(xq);
}

int passim_fuzz_query(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    text_analyzer_t *a = english();
    static const srch_parse_opts_t modes[] = {
        { SRCH_PARSE_OPTS_VERSION, SRCH_DEFAULT_AND, true, false },
        { SRCH_PARSE_OPTS_VERSION, SRCH_DEFAULT_OR, true, false },
        { SRCH_PARSE_OPTS_VERSION, SRCH_DEFAULT_OR, false, false },
        { SRCH_PARSE_OPTS_VERSION, SRCH_DEFAULT_OR, true, true },   /* all words' fallback */
    };
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        srch_query_t *q = NULL;
        srch_error_t err;
        srch_query_status_t st = srch_query_parse(&q, s, size, a, &modes[m], &err);
        if (st == SRCH_QUERY_OK) {
            FUZZ_CHECK(q != NULL, "success without a query");
            check_parsed(q, size);
        } else {
            FUZZ_CHECK(st == SRCH_QUERY_ERR_SYNTAX, "status %d (%s)", (int)st, err.message);
            FUZZ_CHECK(q == NULL, "a query left after a failure");
            size_t mlen = strnlen(err.message, sizeof err.message);
            FUZZ_CHECK(mlen > 0 && mlen < sizeof err.message, "no error message");
            FUZZ_CHECK(err.column >= 1 && err.column <= size + 1,
                       "error '%s' at column %zu of a %zu-byte query", err.message, err.column,
                       size);
        }
        srch_query_free(q);
    }
    return 0;
}

void passim_fuzz_query_free(void)
{
    fuzz_english_free(&analyzer);
}

PASSIM_FUZZ_ENTRY(passim_fuzz_query)
