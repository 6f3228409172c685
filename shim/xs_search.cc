/*
 * xs_search.cc — running a query: Enquire with BM25 and optional collapsing,
 * the result-set getters, the query terms a result matched, and query
 * expansion (pseudo-relevance feedback through Xapian's RSet and ESet).
 *
 * The getters return plain values, not statuses, so they report a bad index
 * or a failed document fetch through the return value (0 or NULL) and the
 * last-error message.
 */
#include "xs_internal.hh"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <unordered_set>
#include <vector>

namespace {

/* Terms that start with an upper-case ASCII letter carry a field prefix (ids,
 * paths, titles: see text/terms.h). Feeding them back as expansion terms
 * would add filters to a free-text query, not words. */
class skip_prefixed_terms : public Xapian::ExpandDecider {
  public:
    bool operator()(const std::string &term) const override
    {
        return term.empty() || term[0] < 'A' || term[0] > 'Z';
    }
};

/* Whether term has positions in one of the documents docs: whether it is a
 * word as they write it. A term stored with none (a hyphenated word's parts
 * joined, text.h) would count again, as an expansion term, words that its
 * parts count already. */
bool written_in(const Xapian::Database &db, const std::vector<Xapian::docid> &docs,
                const std::string &term)
{
    for (Xapian::docid did : docs)
        if (db.positionlist_begin(did, term) != db.positionlist_end(did, term))
            return true;
    return false;
}

/* Keeps the first document met of those whose values in two slots are the
 * same: over databases that overlap, a document two of them hold is listed
 * once. Xapian asks it before collapsing, so the copy does not use up its
 * collapse key's share either. */
class first_of_same : public Xapian::MatchDecider {
    Xapian::valueno a_, b_;
    mutable std::unordered_set<std::string> seen_;

  public:
    first_of_same(Xapian::valueno a, Xapian::valueno b) : a_(a), b_(b) {}

    bool operator()(const Xapian::Document &doc) const override
    {
        std::string name = doc.get_value(a_);
        name += '\0';
        name += doc.get_value(b_);
        return seen_.insert(std::move(name)).second;
    }
};

/* The status of the exception being handled while a result is read. A
 * result's document is missing only if a writer deleted it after the search:
 * the database changed under the reader. Call only from a catch block. */
xs_status_t result_failure() noexcept
{
    xs_status_t st = xs__status_from_exception();
    return st == XS_ERR_NOT_FOUND ? xs__restatus(XS_ERR_MODIFIED) : st;
}

bool check_index(const xs_mset_t *m, size_t i, const char *what) noexcept
{
    if (!m) {
        xs__fail(XS_ERR_INVALID, "%s: result set handle is NULL", what);
        return false;
    }
    if (i >= m->count) {
        xs__fail(XS_ERR_INVALID, "%s: index %zu out of range (%u results)", what, i,
                 static_cast<unsigned>(m->count));
        return false;
    }
    return true;
}

/* Xapian's BM25Weight silently clamps out-of-range parameters and lets NaN
 * and infinity through to the weights; a caller passing such values has a bug
 * worth hearing about. */
bool bm25_ok(const xs_search_opts_t *o)
{
    const double params[] = { o->bm25_k1, o->bm25_k2, o->bm25_k3, o->bm25_b,
                              o->bm25_min_normlen };
    for (double p : params) {
        if (!std::isfinite(p) || p < 0)
            return false;
    }
    return o->bm25_b <= 1;
}

} /* namespace */

extern "C" xs_status_t xs_search(xs_mset_t **out, xs_db_t *db, const xs_query_t *q,
                                 const xs_search_opts_t *opts)
{
    if (!out)
        return xs__fail(XS_ERR_INVALID, "xs_search: out is NULL");
    *out = NULL;
    xs_status_t st = xs__check_db(db, "xs_search");
    if (st != XS_OK)
        return st;
    if (!q)
        return xs__fail(XS_ERR_INVALID, "xs_search: query handle is NULL");
    const xs_search_opts_t defaults = XS_SEARCH_OPTS_INIT;
    if (!opts)
        opts = &defaults;
    if (opts->version != XS_SEARCH_OPTS_VERSION)
        return xs__fail(XS_ERR_INVALID, "xs_search: options version %u, expected %u",
                        opts->version, static_cast<unsigned>(XS_SEARCH_OPTS_VERSION));
    if (opts->collapse_slot < -1)
        return xs__fail(XS_ERR_INVALID, "xs_search: bad collapse slot %d", opts->collapse_slot);
    if (opts->collapse_slot >= 0 && opts->collapse_max == 0)
        return xs__fail(XS_ERR_INVALID, "xs_search: collapse_max must be at least 1");
    if (opts->tie_slot < -1)
        return xs__fail(XS_ERR_INVALID, "xs_search: bad tie slot %d", opts->tie_slot);
    if (opts->same_slots[0] < -1 || opts->same_slots[1] < -1
        || (opts->same_slots[0] == -1) != (opts->same_slots[1] == -1))
        return xs__fail(XS_ERR_INVALID, "xs_search: bad same slots %d, %d",
                        opts->same_slots[0], opts->same_slots[1]);
    if (!bm25_ok(opts))
        return xs__fail(XS_ERR_INVALID, "xs_search: BM25 parameters out of range "
                        "(k1, k2, k3, min_normlen >= 0; 0 <= b <= 1; all finite)");
    try {
        std::unique_ptr<xs_mset> m(new xs_mset(db->reader()));
        m->enquire.set_query(q->query);
        m->enquire.set_weighting_scheme(Xapian::BM25Weight(opts->bm25_k1, opts->bm25_k2,
                                                           opts->bm25_k3, opts->bm25_b,
                                                           opts->bm25_min_normlen));
        if (opts->collapse_slot >= 0)
            m->enquire.set_collapse_key(static_cast<Xapian::valueno>(opts->collapse_slot),
                                        opts->collapse_max);
        if (opts->tie_slot >= 0)
            m->enquire.set_sort_by_relevance_then_value(
                static_cast<Xapian::valueno>(opts->tie_slot), false);
        std::unique_ptr<first_of_same> same;
        if (opts->same_slots[0] >= 0 && db->n_parts > 1)
            same.reset(new first_of_same(static_cast<Xapian::valueno>(opts->same_slots[0]),
                                         static_cast<Xapian::valueno>(opts->same_slots[1])));
        /* Asked for fewer than check_at_least from the first, Xapian ranks
         * check_at_least and the results are cut from them. */
        Xapian::doccount first = opts->offset, want = opts->limit;
        if (static_cast<uint64_t>(first) + want < opts->check_at_least) {
            want = opts->check_at_least;
            first = 0;
        }
        m->mset = m->enquire.get_mset(first, want, opts->check_at_least, nullptr, same.get());
        m->first = opts->offset - first;
        m->count = m->mset.size() > m->first
                   ? std::min<Xapian::doccount>(m->mset.size() - m->first, opts->limit) : 0;
        m->data.resize(m->count);
        m->data_loaded.assign(m->count, false);
        *out = m.release();
        return XS_OK;
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" size_t xs_mset_size(const xs_mset_t *m)
{
    return m ? m->count : 0;
}

extern "C" uint32_t xs_mset_estimated(const xs_mset_t *m)
{
    return m ? m->mset.get_matches_estimated() : 0;
}

extern "C" uint32_t xs_mset_lower_bound(const xs_mset_t *m)
{
    return m ? m->mset.get_matches_lower_bound() : 0;
}

extern "C" uint32_t xs_mset_upper_bound(const xs_mset_t *m)
{
    return m ? m->mset.get_matches_upper_bound() : 0;
}

extern "C" uint32_t xs_mset_rank(const xs_mset_t *m, size_t i)
{
    if (!check_index(m, i, "xs_mset_rank"))
        return 0;
    try {
        return m->item(i).get_rank();
    } catch (...) {
        result_failure();
        return 0;
    }
}

extern "C" double xs_mset_weight(const xs_mset_t *m, size_t i)
{
    if (!check_index(m, i, "xs_mset_weight"))
        return 0.0;
    try {
        return m->item(i).get_weight();
    } catch (...) {
        result_failure();
        return 0.0;
    }
}

extern "C" xs_docid_t xs_mset_docid(const xs_mset_t *m, size_t i)
{
    if (!check_index(m, i, "xs_mset_docid"))
        return 0;
    try {
        return *m->item(i);
    } catch (...) {
        result_failure();
        return 0;
    }
}

extern "C" uint32_t xs_mset_collapse_count(const xs_mset_t *m, size_t i)
{
    if (!check_index(m, i, "xs_mset_collapse_count"))
        return 0;
    try {
        return m->item(i).get_collapse_count();
    } catch (...) {
        result_failure();
        return 0;
    }
}

extern "C" const char *xs_mset_data(xs_mset_t *m, size_t i, size_t *len)
{
    if (len)
        *len = 0;
    if (!check_index(m, i, "xs_mset_data"))
        return NULL;
    try {
        /* Fetched on first use: most callers read data only for the page they
         * print. The fetch throws DatabaseModifiedError if a writer has moved on. */
        if (!m->data_loaded[i]) {
            m->data[i] = m->item(i).get_document().get_data();
            m->data_loaded[i] = true;
        }
        if (len)
            *len = m->data[i].size();
        return m->data[i].c_str();
    } catch (...) {
        result_failure();
        return NULL;
    }
}

extern "C" const char *xs_mset_value(xs_mset_t *m, size_t i, unsigned slot, size_t *len)
{
    if (len)
        *len = 0;
    if (!check_index(m, i, "xs_mset_value"))
        return NULL;
    if (slot == Xapian::BAD_VALUENO) {
        xs__fail(XS_ERR_INVALID, "xs_mset_value: bad slot %u", slot);
        return NULL;
    }
    try {
        const std::pair<size_t, unsigned> key(i, slot);
        auto it = m->values.find(key);
        if (it == m->values.end())
            it = m->values.emplace(key, m->item(i).get_document().get_value(slot)).first;
        if (len)
            *len = it->second.size();
        return it->second.c_str();
    } catch (...) {
        result_failure();
        return NULL;
    }
}

extern "C" xs_status_t xs_mset_matching_terms(xs_mset_t *m, size_t i, xs_term_fn fn,
                                              void *payload)
{
    if (!check_index(m, i, "xs_mset_matching_terms"))
        return XS_ERR_INVALID;
    if (!fn)
        return xs__fail(XS_ERR_INVALID, "xs_mset_matching_terms: no callback");
    try {
        Xapian::MSetIterator hit = m->item(i);
        for (Xapian::TermIterator it = m->enquire.get_matching_terms_begin(hit);
             it != m->enquire.get_matching_terms_end(hit); ++it) {
            const std::string term = *it;
            if (fn(term.data(), term.size(), 0, payload) != 0)
                break;
        }
        return XS_OK;
    } catch (...) {
        return result_failure();
    }
}

extern "C" xs_status_t xs_mset_doc_terms(xs_mset_t *m, size_t i, const char *prefix,
                                         size_t prefix_len, xs_term_fn fn, void *payload)
{
    if (!check_index(m, i, "xs_mset_doc_terms"))
        return XS_ERR_INVALID;
    if (!fn)
        return xs__fail(XS_ERR_INVALID, "xs_mset_doc_terms: no callback");
    if (!prefix || prefix_len == 0)
        return xs__fail(XS_ERR_INVALID, "xs_mset_doc_terms: empty prefix");
    try {
        const std::string p(prefix, prefix_len);
        Xapian::Document doc = m->item(i).get_document();
        Xapian::TermIterator it = doc.termlist_begin();
        for (it.skip_to(p); it != doc.termlist_end(); ++it) {
            const std::string term = *it;
            if (term.compare(0, p.size(), p) != 0)
                break;
            if (fn(term.data(), term.size(), 0, payload) != 0)
                break;
        }
        return XS_OK;
    } catch (...) {
        return result_failure();
    }
}

extern "C" xs_status_t xs_mset_expand(xs_mset_t *m, size_t n_docs, size_t n_terms,
                                      xs_expand_fn fn, void *payload)
{
    if (!m)
        return xs__fail(XS_ERR_INVALID, "xs_mset_expand: result set handle is NULL");
    if (!fn)
        return xs__fail(XS_ERR_INVALID, "xs_mset_expand: no callback");
    size_t size = m->count;
    if (n_docs > size)
        n_docs = size;
    if (n_docs == 0 || n_terms == 0)
        return XS_OK;
    if (n_terms > UINT32_MAX)
        n_terms = UINT32_MAX;
    try {
        Xapian::RSet rset;
        std::vector<Xapian::docid> docs;
        for (size_t i = 0; i < n_docs; i++) {
            rset.add_document(m->item(i));
            docs.push_back(*m->item(i));
        }
        const skip_prefixed_terms decider;
        /* Over several databases Xapian would otherwise guess a term's
         * frequency from those holding the documents of rset, and the terms
         * would depend on how the files were split between indexes. Twice as
         * many are asked for as are wanted, and those with no position are
         * passed over: a decider would look up the positions of every term
         * of the documents, which cost a tenth of a search. */
        Xapian::termcount asked = n_terms > UINT32_MAX / 2 ? UINT32_MAX
                                                           : static_cast<Xapian::termcount>(2 * n_terms);
        Xapian::ESet eset =
            m->enquire.get_eset(asked, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
        size_t given = 0;
        for (Xapian::ESetIterator it = eset.begin(); it != eset.end() && given < n_terms; ++it) {
            const std::string term = *it;
            if (!written_in(m->db, docs, term))
                continue;
            given++;
            if (fn(term.data(), term.size(), it.get_weight(), payload) != 0)
                break;
        }
        return XS_OK;
    } catch (...) {
        return result_failure();
    }
}

extern "C" void xs_mset_free(xs_mset_t *m)
{
    delete m;
}
