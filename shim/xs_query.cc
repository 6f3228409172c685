/*
 * xs_query.cc — building query trees from explicit terms and operators. The
 * shim never parses query text: the searcher turns words into terms with
 * text/ and calls these. A handle wraps one immutable Xapian::Query; combining
 * copies the subqueries (cheap: Xapian queries are reference-counted).
 */
#include "xs_internal.hh"

#include <vector>

namespace {

bool map_op(xs_op_t op, Xapian::Query::op *out)
{
    switch (op) {
    case XS_OP_AND:
        *out = Xapian::Query::OP_AND;
        return true;
    case XS_OP_OR:
        *out = Xapian::Query::OP_OR;
        return true;
    case XS_OP_AND_NOT:
        *out = Xapian::Query::OP_AND_NOT;
        return true;
    case XS_OP_AND_MAYBE:
        *out = Xapian::Query::OP_AND_MAYBE;
        return true;
    case XS_OP_FILTER:
        *out = Xapian::Query::OP_FILTER;
        return true;
    case XS_OP_SYNONYM:
        *out = Xapian::Query::OP_SYNONYM;
        return true;
    case XS_OP_PHRASE:
        *out = Xapian::Query::OP_PHRASE;
        return true;
    case XS_OP_NEAR:
        *out = Xapian::Query::OP_NEAR;
        return true;
    }
    return false;
}

/* Hand a finished Xapian query to the caller in a new handle. */
xs_status_t wrap(xs_query_t **out, const Xapian::Query &q)
{
    *out = new xs_query{q};
    return XS_OK;
}

} /* namespace */

extern "C" xs_status_t xs_query_term(xs_query_t **out, const char *term, size_t len,
                                     uint32_t wqf, uint32_t pos)
{
    if (!out)
        return xs__fail(XS_ERR_INVALID, "xs_query_term: out is NULL");
    *out = NULL;
    xs_status_t st = xs__check_term(term, len, "xs_query_term");
    if (st != XS_OK)
        return st;
    try {
        return wrap(out, Xapian::Query(std::string(term, len), wqf, pos));
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" xs_status_t xs_query_combine(xs_query_t **out, xs_op_t op,
                                        const xs_query_t *const *subs, size_t n_subs,
                                        uint32_t window)
{
    if (!out)
        return xs__fail(XS_ERR_INVALID, "xs_query_combine: out is NULL");
    *out = NULL;
    Xapian::Query::op xop;
    if (!map_op(op, &xop))
        return xs__fail(XS_ERR_INVALID, "xs_query_combine: unknown operator %d",
                        static_cast<int>(op));
    if (!subs && n_subs > 0)
        return xs__fail(XS_ERR_INVALID, "xs_query_combine: subs is NULL");
    for (size_t i = 0; i < n_subs; i++) {
        if (!subs[i])
            return xs__fail(XS_ERR_INVALID, "xs_query_combine: subquery %zu is NULL", i);
    }
    try {
        if (n_subs == 0)
            return wrap(out, Xapian::Query());
        std::vector<Xapian::Query> v;
        v.reserve(n_subs);
        for (size_t i = 0; i < n_subs; i++)
            v.push_back(subs[i]->query);
        /* Xapian reads the window only for PHRASE and NEAR, where 0 already
         * means "as many positions as subqueries". */
        Xapian::termcount w = (op == XS_OP_PHRASE || op == XS_OP_NEAR) ? window : 0;
        return wrap(out, Xapian::Query(xop, v.begin(), v.end(), w));
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" xs_status_t xs_query_wildcard(xs_query_t **out, const char *prefix, size_t len,
                                         uint32_t max_expansion)
{
    if (!out)
        return xs__fail(XS_ERR_INVALID, "xs_query_wildcard: out is NULL");
    *out = NULL;
    /* An empty prefix would expand to every term in the database. */
    xs_status_t st = xs__check_term(prefix, len, "xs_query_wildcard");
    if (st != XS_OK)
        return st;
    try {
        /* LIMIT_MOST_FREQUENT rather than Xapian's default LIMIT_ERROR: a common
         * prefix should search its likeliest words, not fail. But with that
         * mode Xapian reads a limit of 0 literally (keep no terms: the query
         * matches nothing), so "no limit" has to be asked for with LIMIT_ERROR,
         * where 0 does mean unlimited. */
        int mode = max_expansion ? Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT
                                 : Xapian::Query::WILDCARD_LIMIT_ERROR;
        return wrap(out, Xapian::Query(Xapian::Query::OP_WILDCARD, std::string(prefix, len),
                                       max_expansion, mode, Xapian::Query::OP_SYNONYM));
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" xs_status_t xs_query_scale(xs_query_t **out, const xs_query_t *q, double factor)
{
    if (!out)
        return xs__fail(XS_ERR_INVALID, "xs_query_scale: out is NULL");
    *out = NULL;
    if (!q)
        return xs__fail(XS_ERR_INVALID, "xs_query_scale: query handle is NULL");
    /* Written so that NaN is refused too. */
    if (!(factor >= 0.0))
        return xs__fail(XS_ERR_INVALID, "xs_query_scale: factor must be >= 0");
    try {
        return wrap(out, Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->query, factor));
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" xs_status_t xs_query_value_range(xs_query_t **out, unsigned slot, const void *lo,
                                            size_t lo_len, const void *hi, size_t hi_len)
{
    if (!out)
        return xs__fail(XS_ERR_INVALID, "xs_query_value_range: out is NULL");
    *out = NULL;
    if ((!lo && lo_len) || (!hi && hi_len))
        return xs__fail(XS_ERR_INVALID, "xs_query_value_range: bound is NULL");
    try {
        std::string l(static_cast<const char *>(lo), lo_len);
        std::string h(static_cast<const char *>(hi), hi_len);
        return wrap(out, Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, l, h));
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" xs_status_t xs_query_all(xs_query_t **out)
{
    if (!out)
        return xs__fail(XS_ERR_INVALID, "xs_query_all: out is NULL");
    *out = NULL;
    try {
        return wrap(out, Xapian::Query::MatchAll);
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" xs_status_t xs_query_none(xs_query_t **out)
{
    if (!out)
        return xs__fail(XS_ERR_INVALID, "xs_query_none: out is NULL");
    *out = NULL;
    try {
        return wrap(out, Xapian::Query::MatchNothing);
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" bool xs_query_is_empty(const xs_query_t *q)
{
    /* A missing query matches nothing either. empty() does not throw. */
    return !q || q->query.empty();
}

extern "C" char *xs_query_describe(const xs_query_t *q)
{
    if (!q) {
        xs__fail(XS_ERR_INVALID, "xs_query_describe: query handle is NULL");
        return NULL;
    }
    try {
        return xs__strdup(q->query.get_description());
    } catch (...) {
        xs__status_from_exception();
        return NULL;
    }
}

extern "C" void xs_query_free(xs_query_t *q)
{
    delete q;
}
