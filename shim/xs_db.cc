/*
 * xs_db.cc — databases and documents: opening (one or many), closing, batches
 * of writes (Xapian transactions), statistics, the term and metadata walks,
 * compaction, and building, writing and reading documents.
 * Queries live in xs_query.cc and searching in xs_search.cc.
 *
 * A batch is a flushed Xapian transaction (begin_transaction(true)). Xapian
 * does not auto-flush inside a transaction, so a batch grows in memory until it
 * is committed: the indexer bounds it by committing every N documents.
 */
#include <cstring>

#include "xs_internal.hh"

#include <sys/stat.h>

#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

namespace {

/* Whether path/name exists. */
bool file_in(const char *path, const char *name)
{
    std::string f = std::string(path) + "/" + name;
    struct stat sb;
    return stat(f.c_str(), &sb) == 0;
}

/* Refine the message for the failures a caller reports to a person: the path
 * matters more there than Xapian's wording. Call only from a catch block. */
xs_status_t open_failure(const char *path, xs_mode_t mode) noexcept
{
    try {
        throw;
    } catch (const Xapian::DatabaseCreateError &e) {
        /* DB_CREATE on an existing database; with an errno it is a real
         * failure to create (no such parent, permissions) and maps as such. */
        if (mode == XS_DB_CREATE && !e.get_error_string())
            return xs__fail(XS_ERR_INVALID, "database already exists: %s", path);
    } catch (const Xapian::DatabaseLockError &e) {
        /* The lock could not even be tried (a read-only folder, a full
         * disk): that is no other writer, and the caller must hear why. */
        const std::string &msg = e.get_msg();
        if (msg.find("already locked") == std::string::npos) {
            size_t colon = msg.find(": ");
            return xs__fail(XS_ERR_IO, "cannot write to the database: %s",
                            colon == std::string::npos ? msg.c_str() : msg.c_str() + colon + 2);
        }
    } catch (...) {
    }
    xs_status_t st = xs__status_from_exception();
    if (st == XS_ERR_NOT_FOUND)
        return xs__fail(st, "no such database: %s", path);
    /* A glass database whose table file was deleted: damage, not a failure
     * of the system (a writer opens every table Xapian always creates). */
    if (st == XS_ERR_IO && file_in(path, "iamglass")) {
        for (const char *table : { "postlist.glass", "termlist.glass" })
            if (!file_in(path, table))
                return xs__fail(XS_ERR_CORRUPT, "its table file %s is missing", table);
    }
    if (st == XS_ERR_LOCKED)
        return xs__fail(st, "database locked by another writer: %s", path);
    return st;
}

/* Every write goes through here: db usable, writable, and a batch open. */
xs_status_t check_write(const xs_db_t *db, const char *what) noexcept
{
    xs_status_t st = xs__check_db(db, what);
    if (st != XS_OK)
        return st;
    if (!db->writable)
        return xs__fail(XS_ERR_INVALID, "%s: database is read-only", what);
    if (!db->in_batch)
        return xs__fail(XS_ERR_INVALID, "%s: no batch open", what);
    return XS_OK;
}

xs_status_t check_batch_op(const xs_db_t *db, const char *what) noexcept
{
    xs_status_t st = xs__check_db(db, what);
    if (st != XS_OK)
        return st;
    if (!db->writable)
        return xs__fail(XS_ERR_INVALID, "%s: database is read-only", what);
    return XS_OK;
}

/* After a failed commit Xapian has already ended the transaction, but the
 * batch's changes may still sit in memory, and a later close() would commit
 * them. An unflushed transaction begun and cancelled at once throws them away
 * without touching the disk. Best effort: if even this fails there is nothing
 * better to do, and the commit's own error is the one worth reporting. */
void discard_pending(xs_db_t *db) noexcept
{
    try {
        db->wdb.begin_transaction(false);
        db->wdb.cancel_transaction();
    } catch (...) {
    }
}

/* The document copy (std::string) of a (pointer, length) byte string. */
std::string byte_string(const void *p, size_t len)
{
    if (len == 0)
        return std::string();
    return std::string(static_cast<const char *>(p), len);
}

} /* namespace */

/* ------------------------------------------------------------------------ */
/* Opening and closing                                                      */
/* ------------------------------------------------------------------------ */

extern "C" xs_status_t xs_db_open(xs_db_t **out, const char *path, xs_mode_t mode)
{
    if (!out)
        return xs__fail(XS_ERR_INVALID, "xs_db_open: out is NULL");
    *out = NULL;
    if (!path || !*path)
        return xs__fail(XS_ERR_INVALID, "xs_db_open: no path");
    /* XS_DB_NO_SYNC rides on a writable mode. */
    int sync = (mode & XS_DB_NO_SYNC) ? Xapian::DB_NO_SYNC : 0;
    mode = static_cast<xs_mode_t>(mode & ~XS_DB_NO_SYNC);
    if (sync && mode == XS_DB_READ)
        return xs__fail(XS_ERR_INVALID, "xs_db_open: XS_DB_NO_SYNC needs a writable mode");
    try {
        std::unique_ptr<xs_db> db(new xs_db);
        db->path = path;
        switch (mode) {
        case XS_DB_READ:
            db->db = Xapian::Database(db->path);
            break;
        case XS_DB_WRITE:
            db->wdb = Xapian::WritableDatabase(db->path, Xapian::DB_CREATE_OR_OPEN | sync);
            db->writable = true;
            break;
        case XS_DB_CREATE:
            db->wdb = Xapian::WritableDatabase(db->path, Xapian::DB_CREATE | sync);
            db->writable = true;
            break;
        case XS_DB_OVERWRITE:
            db->wdb = Xapian::WritableDatabase(db->path, Xapian::DB_CREATE_OR_OVERWRITE | sync);
            db->writable = true;
            break;
        default:
            return xs__fail(XS_ERR_INVALID, "xs_db_open: unknown mode %d",
                            static_cast<int>(mode));
        }
        *out = db.release();
        return XS_OK;
    } catch (...) {
        return open_failure(path, mode);
    }
}

extern "C" xs_status_t xs_db_open_many(xs_db_t **out, const char *const *paths, size_t n_paths)
{
    if (!out)
        return xs__fail(XS_ERR_INVALID, "xs_db_open_many: out is NULL");
    *out = NULL;
    if (!paths || n_paths == 0)
        return xs__fail(XS_ERR_INVALID, "xs_db_open_many: no paths");
    for (size_t i = 0; i < n_paths; i++) {
        if (!paths[i] || !*paths[i])
            return xs__fail(XS_ERR_INVALID, "xs_db_open_many: path %zu is empty", i);
    }
    const char *current = paths[0];
    try {
        std::unique_ptr<xs_db> db(new xs_db);
        for (size_t i = 0; i < n_paths; i++) {
            current = paths[i];
            db->db.add_database(Xapian::Database(current));
        }
        db->n_parts = n_paths;
        *out = db.release();
        return XS_OK;
    } catch (...) {
        return open_failure(current, XS_DB_READ);
    }
}

extern "C" xs_status_t xs_db_reopen(xs_db_t *db)
{
    xs_status_t st = xs__check_db(db, "xs_db_reopen");
    if (st != XS_OK)
        return st;
    try {
        /* A writer always sees its own latest state. */
        if (!db->writable)
            db->db.reopen();
        return XS_OK;
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" xs_status_t xs_db_close(xs_db_t *db)
{
    xs_status_t st = xs__check_db(db, "xs_db_close");
    if (st != XS_OK)
        return st;
    /* Whatever fails below, the handle is finished. */
    db->closed = true;
    if (db->in_batch) {
        /* Cancel explicitly: Xapian's close() would do it too, but "nothing is
         * committed by a close or a free" should not hang on a library detail. */
        db->in_batch = false;
        try {
            db->wdb.cancel_transaction();
        } catch (...) {
            st = xs__status_from_exception();
        }
    }
    try {
        if (db->writable)
            db->wdb.close();
        else
            db->db.close();
    } catch (...) {
        xs_status_t close_st = xs__status_from_exception();
        if (st == XS_OK)
            st = close_st;
    }
    return st;
}

extern "C" void xs_db_free(xs_db_t *db)
{
    if (!db)
        return;
    if (!db->closed)
        (void)xs_db_close(db);
    delete db;
}

extern "C" bool xs_db_writable(const xs_db_t *db)
{
    return db && !db->closed && db->writable;
}

/* ------------------------------------------------------------------------ */
/* Batches                                                                  */
/* ------------------------------------------------------------------------ */

extern "C" xs_status_t xs_db_begin(xs_db_t *db)
{
    xs_status_t st = check_batch_op(db, "xs_db_begin");
    if (st != XS_OK)
        return st;
    if (db->in_batch)
        return xs__fail(XS_ERR_INVALID, "xs_db_begin: a batch is already open");
    try {
        db->wdb.begin_transaction(true);
        db->in_batch = true;
        return XS_OK;
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" xs_status_t xs_db_commit(xs_db_t *db)
{
    xs_status_t st = check_batch_op(db, "xs_db_commit");
    if (st != XS_OK)
        return st;
    if (!db->in_batch)
        return xs__fail(XS_ERR_INVALID, "xs_db_commit: no batch open");
    /* Xapian ends the transaction before it writes, so the batch is over
     * whether or not the commit succeeds. */
    db->in_batch = false;
    try {
        db->wdb.commit_transaction();
        return XS_OK;
    } catch (...) {
        st = xs__status_from_exception();
        discard_pending(db);
        return st;
    }
}

extern "C" xs_status_t xs_db_cancel(xs_db_t *db)
{
    xs_status_t st = check_batch_op(db, "xs_db_cancel");
    if (st != XS_OK)
        return st;
    if (!db->in_batch)
        return xs__fail(XS_ERR_INVALID, "xs_db_cancel: no batch open");
    db->in_batch = false;
    try {
        db->wdb.cancel_transaction();
        return XS_OK;
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" bool xs_db_in_batch(const xs_db_t *db)
{
    return db && !db->closed && db->in_batch;
}

/* ------------------------------------------------------------------------ */
/* Statistics and walks                                                     */
/* ------------------------------------------------------------------------ */

namespace {

/* The shape every statistic shares: *out zeroed, db checked (and the term
 * term[0..len), for a statistic of a term), then get(reader) stored in *out,
 * with Xapian's exceptions turned into a status; what names the caller in
 * messages. */
template <typename T, typename Get>
xs_status_t read_stat(const xs_db_t *db, bool of_term, const char *term, size_t len, T *out,
                      const char *what, Get get) noexcept
{
    if (!out)
        return xs__fail(XS_ERR_INVALID, "%s: out is NULL", what);
    *out = 0;
    xs_status_t st = xs__check_db(db, what);
    if (st == XS_OK && of_term)
        st = xs__check_term(term, len, what);
    if (st != XS_OK)
        return st;
    try {
        *out = get(db->reader());
        return XS_OK;
    } catch (...) {
        return xs__status_from_exception();
    }
}

} // namespace

extern "C" xs_status_t xs_db_doccount(const xs_db_t *db, uint32_t *out)
{
    return read_stat(db, false, nullptr, 0, out, "xs_db_doccount",
                     [](const Xapian::Database &r) { return r.get_doccount(); });
}

extern "C" xs_status_t xs_db_avlength(const xs_db_t *db, double *out)
{
    return read_stat(db, false, nullptr, 0, out, "xs_db_avlength",
                     [](const Xapian::Database &r) { return r.get_avlength(); });
}

extern "C" xs_status_t xs_db_termfreq(const xs_db_t *db, const char *term, size_t len,
                                      uint32_t *out)
{
    return read_stat(db, true, term, len, out, "xs_db_termfreq", [&](const Xapian::Database &r) {
        return r.get_termfreq(std::string(term, len));
    });
}

extern "C" xs_status_t xs_db_collfreq(const xs_db_t *db, const char *term, size_t len,
                                      uint64_t *out)
{
    return read_stat(db, true, term, len, out, "xs_db_collfreq", [&](const Xapian::Database &r) {
        return r.get_collection_freq(std::string(term, len));
    });
}

extern "C" xs_status_t xs_db_terms(const xs_db_t *db, const char *prefix, size_t prefix_len,
                                   xs_term_fn fn, void *payload, int *fn_rc)
{
    if (fn_rc)
        *fn_rc = 0;
    xs_status_t st = xs__check_db(db, "xs_db_terms");
    if (st != XS_OK)
        return st;
    if (!fn)
        return xs__fail(XS_ERR_INVALID, "xs_db_terms: no callback");
    if (!prefix && prefix_len > 0)
        return xs__fail(XS_ERR_INVALID, "xs_db_terms: prefix is NULL");
    /* An empty prefix is allowed here: it walks every term. */
    if (prefix_len > XS_TERM_MAX)
        return xs__check_term(prefix, prefix_len, "xs_db_terms");
    try {
        const Xapian::Database &rdb = db->reader();
        std::string p = byte_string(prefix, prefix_len);
        for (Xapian::TermIterator it = rdb.allterms_begin(p); it != rdb.allterms_end(p);
             ++it) {
            const std::string term = *it;
            int rc = fn(term.data(), term.size(), it.get_termfreq(), payload);
            if (rc != 0) {
                if (fn_rc)
                    *fn_rc = rc;
                break;
            }
        }
        return XS_OK;
    } catch (...) {
        return xs__status_from_exception();
    }
}

/* ------------------------------------------------------------------------ */
/* Metadata                                                                 */
/* ------------------------------------------------------------------------ */

extern "C" xs_status_t xs_db_get_metadata(const xs_db_t *db, const char *key, char **out,
                                          size_t *len)
{
    if (len)
        *len = 0;
    if (!out)
        return xs__fail(XS_ERR_INVALID, "xs_db_get_metadata: out is NULL");
    *out = NULL;
    xs_status_t st = xs__check_db(db, "xs_db_get_metadata");
    if (st != XS_OK)
        return st;
    if (!key || !*key)
        return xs__fail(XS_ERR_INVALID, "xs_db_get_metadata: empty key");
    try {
        /* Xapian cannot tell an unset key from an empty value; neither can we,
         * which is why setting an empty value deletes. */
        std::string value = db->reader().get_metadata(key);
        if (value.empty())
            return xs__fail(XS_ERR_NOT_FOUND, "no metadata for key: %s", key);
        *out = xs__strdup(value);
        if (len)
            *len = value.size();
        return XS_OK;
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" xs_status_t xs_db_set_metadata(xs_db_t *db, const char *key, const char *value,
                                          size_t len)
{
    xs_status_t st = check_write(db, "xs_db_set_metadata");
    if (st != XS_OK)
        return st;
    if (!key || !*key)
        return xs__fail(XS_ERR_INVALID, "xs_db_set_metadata: empty key");
    if (!value && len > 0)
        return xs__fail(XS_ERR_INVALID, "xs_db_set_metadata: value is NULL");
    try {
        db->wdb.set_metadata(key, byte_string(value, len));
        return XS_OK;
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" xs_status_t xs_db_metadata(const xs_db_t *db, const char *prefix, xs_meta_fn fn,
                                      void *payload, int *fn_rc)
{
    if (fn_rc)
        *fn_rc = 0;
    xs_status_t st = xs__check_db(db, "xs_db_metadata");
    if (st != XS_OK)
        return st;
    if (!fn)
        return xs__fail(XS_ERR_INVALID, "xs_db_metadata: no callback");
    try {
        const Xapian::Database &rdb = db->reader();
        std::string p = prefix ? prefix : "";
        for (Xapian::TermIterator it = rdb.metadata_keys_begin(p);
             it != rdb.metadata_keys_end(p); ++it) {
            const std::string key = *it;
            const std::string value = rdb.get_metadata(key);
            int rc = fn(key.data(), key.size(), value.data(), value.size(), payload);
            if (rc != 0) {
                if (fn_rc)
                    *fn_rc = rc;
                break;
            }
        }
        return XS_OK;
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" xs_status_t xs_db_has_metadata(const xs_db_t *db, const char *prefix, bool *out)
{
    xs_status_t st = xs__check_db(db, "xs_db_has_metadata");
    if (st != XS_OK)
        return st;
    if (!out)
        return xs__fail(XS_ERR_INVALID, "xs_db_has_metadata: no output");
    *out = false;
    try {
        const Xapian::Database &rdb = db->reader();
        std::string p = prefix ? prefix : "";
        *out = rdb.metadata_keys_begin(p) != rdb.metadata_keys_end(p);
        return XS_OK;
    } catch (...) {
        return xs__status_from_exception();
    }
}

/* Opens the term list of rdb's first document: Xapian throws
 * FeatureUnavailableError if the term list table is missing. */
static void open_first_term_list(const Xapian::Database &rdb)
{
    Xapian::PostingIterator first = rdb.postlist_begin(std::string());
    if (first != rdb.postlist_end(std::string()))
        (void)rdb.termlist_begin(*first);
}

/* Whether rdb's term list table is there, which a writer needs to open the
 * database: false only when Xapian says it is missing (a read that fails
 * otherwise is left to the writer to report). */
static bool term_lists_open(const Xapian::Database &rdb)
{
    try {
        open_first_term_list(rdb);
        return true;
    } catch (const Xapian::FeatureUnavailableError &) {
        return false;
    } catch (...) {
        return true;
    }
}

/* xs_db_check_tables() of a Database. */
static xs_status_t check_tables(const Xapian::Database &rdb, bool *rebuildable)
{
    if (rebuildable)
        *rebuildable = false;
    try {
        if (rdb.get_doccount() == 0)
            return XS_OK;
        if (!rdb.has_positions()) {
            if (rebuildable)
                *rebuildable = term_lists_open(rdb);
            return xs__fail(XS_ERR_CORRUPT, "its position table is missing or empty");
        }
        open_first_term_list(rdb);
        return XS_OK;
    } catch (const Xapian::FeatureUnavailableError &) {
        return xs__fail(XS_ERR_CORRUPT, "its term list table is missing");
    } catch (...) {
        /* A block that does not read (a writer's race, which Xapian may
         * report as damage, or damage itself) is no finding about the
         * tables: the caller's next read meets it again, and tells which. */
        return XS_OK;
    }
}

extern "C" xs_status_t xs_db_check_tables(const xs_db_t *db, bool *rebuildable)
{
    if (rebuildable)
        *rebuildable = false;
    xs_status_t st = xs__check_db(db, "xs_db_check_tables");
    if (st != XS_OK)
        return st;
    try {
        return check_tables(db->reader(), rebuildable);
    } catch (...) {
        return xs__status_from_exception();
    }
}

/* ------------------------------------------------------------------------ */
/* Compaction                                                               */
/* ------------------------------------------------------------------------ */

namespace {

/* Hands the metadata keys that several sources hold to the caller's merge. */
class MetadataMerger : public Xapian::Compactor {
  public:
    MetadataMerger(xs_meta_merge_fn fn, void *payload) : fn_(fn), payload_(payload) {}

    std::string resolve_duplicate_metadata(const std::string &key, size_t num_tags,
                                           const std::string tags[]) override
    {
        if (!fn_)
            return tags[0];
        std::vector<const char *> values(num_tags);
        std::vector<size_t> lens(num_tags);
        for (size_t i = 0; i < num_tags; i++) {
            values[i] = tags[i].data();
            lens[i] = tags[i].size();
        }
        /* Xapian 1.4 hands over the key as its table stores it, after a
         * two-byte marker of metadata keys; the caller knows only the key. */
        size_t skip = key.size() >= 2 && key[0] == '\0' && key[1] == '\xc0' ? 2 : 0;
        char *out = NULL;
        size_t out_len = 0;
        if (fn_(key.data() + skip, key.size() - skip, values.data(), lens.data(), num_tags, &out, &out_len,
                payload_) != 0) {
            /* Throwing here would abandon Xapian's compactor halfway, which
             * leaks its tables; the failure is reported once it is done. */
            free(out);
            failed = true;
            return tags[0];
        }
        std::string merged = out ? std::string(out, out_len) : std::string();
        free(out);
        return merged;
    }

    bool failed = false;

  private:
    xs_meta_merge_fn fn_;
    void *payload_;
};

} /* namespace */

/* Whether the database at path, open as rdb, has the tables check_tables()
 * asks for; if not, the message names path, and says that a table which did
 * not open (too many open files, say) looks missing too. */
static bool tables_to_compact(const Xapian::Database &rdb, const char *path)
{
    if (check_tables(rdb, NULL) == XS_OK)
        return true;
    std::string why = xs_last_error();
    xs__fail(XS_ERR_CORRUPT, "%s: %s (or could not be opened)", path, why.c_str());
    return false;
}

extern "C" xs_status_t xs_db_compact(const char *const *sources, size_t n_sources,
                                     const char *dest, xs_meta_merge_fn merge, void *payload)
{
    if (!sources || n_sources == 0)
        return xs__fail(XS_ERR_INVALID, "xs_db_compact: no sources");
    for (size_t i = 0; i < n_sources; i++) {
        if (!sources[i] || !*sources[i])
            return xs__fail(XS_ERR_INVALID, "xs_db_compact: source %zu is empty", i);
    }
    if (!dest || !*dest)
        return xs__fail(XS_ERR_INVALID, "xs_db_compact: no destination");
    /* Xapian would happily compact into an existing directory; refusing keeps a
     * typo from clobbering a live database. */
    struct stat sb;
    if (stat(dest, &sb) == 0)
        return xs__fail(XS_ERR_INVALID, "destination already exists: %s", dest);
    const char *current = sources[0];
    try {
        /* Xapian reads a table file that does not open (too many open files,
         * say) as one that is not there, and a compaction would then drop the
         * table without a word: every source, and the result, must have
         * theirs. */
        Xapian::Database all;
        for (size_t i = 0; i < n_sources; i++) {
            current = sources[i];
            Xapian::Database one(current);
            if (!tables_to_compact(one, current))
                return XS_ERR_CORRUPT;
            all.add_database(one);
        }
        current = dest;
        MetadataMerger merger(merge, payload);
        all.compact(dest, Xapian::DBCOMPACT_MULTIPASS, 0, merger);
        if (merger.failed)
            return xs__fail(XS_ERR_NOMEM, "out of memory while compacting into %s", dest);
        return tables_to_compact(Xapian::Database(dest), dest) ? XS_OK : XS_ERR_CORRUPT;
    } catch (const std::bad_alloc &) {
        return xs__fail(XS_ERR_NOMEM, "out of memory while compacting into %s", dest);
    } catch (...) {
        return open_failure(current, XS_DB_READ);
    }
}

/* ------------------------------------------------------------------------ */
/* Documents                                                                */
/* ------------------------------------------------------------------------ */

extern "C" xs_status_t xs_doc_new(xs_doc_t **out)
{
    if (!out)
        return xs__fail(XS_ERR_INVALID, "xs_doc_new: out is NULL");
    *out = NULL;
    try {
        *out = new xs_doc;
        return XS_OK;
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" void xs_doc_free(xs_doc_t *doc)
{
    delete doc;
}

extern "C" xs_status_t xs_doc_clear(xs_doc_t *doc)
{
    if (!doc)
        return xs__fail(XS_ERR_INVALID, "xs_doc_clear: document handle is NULL");
    try {
        /* A fresh Document, not clear_terms() & co: it also drops values and
         * data, and never touches a Document a database might still share. */
        doc->doc = Xapian::Document();
        return XS_OK;
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" xs_status_t xs_doc_add_term(xs_doc_t *doc, const char *term, size_t len,
                                       uint32_t wdf_inc)
{
    if (!doc)
        return xs__fail(XS_ERR_INVALID, "xs_doc_add_term: document handle is NULL");
    xs_status_t st = xs__check_term(term, len, "xs_doc_add_term");
    if (st != XS_OK)
        return st;
    try {
        doc->doc.add_term(std::string(term, len), wdf_inc);
        return XS_OK;
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" xs_status_t xs_doc_add_posting(xs_doc_t *doc, const char *term, size_t len,
                                          uint32_t pos)
{
    if (!doc)
        return xs__fail(XS_ERR_INVALID, "xs_doc_add_posting: document handle is NULL");
    xs_status_t st = xs__check_term(term, len, "xs_doc_add_posting");
    if (st != XS_OK)
        return st;
    if (pos == 0)
        return xs__fail(XS_ERR_INVALID, "xs_doc_add_posting: positions start at 1");
    try {
        doc->doc.add_posting(std::string(term, len), pos);
        return XS_OK;
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" xs_status_t xs_doc_add_boolean_term(xs_doc_t *doc, const char *term, size_t len)
{
    if (!doc)
        return xs__fail(XS_ERR_INVALID, "xs_doc_add_boolean_term: document handle is NULL");
    xs_status_t st = xs__check_term(term, len, "xs_doc_add_boolean_term");
    if (st != XS_OK)
        return st;
    try {
        doc->doc.add_boolean_term(std::string(term, len));
        return XS_OK;
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" xs_status_t xs_doc_set_value(xs_doc_t *doc, unsigned slot, const void *bytes,
                                        size_t len)
{
    if (!doc)
        return xs__fail(XS_ERR_INVALID, "xs_doc_set_value: document handle is NULL");
    if (slot == Xapian::BAD_VALUENO)
        return xs__fail(XS_ERR_INVALID, "xs_doc_set_value: bad slot %u", slot);
    if (!bytes && len > 0)
        return xs__fail(XS_ERR_INVALID, "xs_doc_set_value: bytes is NULL");
    try {
        doc->doc.add_value(slot, byte_string(bytes, len));
        return XS_OK;
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" xs_status_t xs_doc_set_data(xs_doc_t *doc, const void *bytes, size_t len)
{
    if (!doc)
        return xs__fail(XS_ERR_INVALID, "xs_doc_set_data: document handle is NULL");
    if (!bytes && len > 0)
        return xs__fail(XS_ERR_INVALID, "xs_doc_set_data: bytes is NULL");
    try {
        doc->doc.set_data(byte_string(bytes, len));
        return XS_OK;
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" xs_status_t xs_db_add_document(xs_db_t *db, const xs_doc_t *doc, xs_docid_t *out)
{
    if (out)
        *out = 0;
    xs_status_t st = check_write(db, "xs_db_add_document");
    if (st != XS_OK)
        return st;
    if (!doc)
        return xs__fail(XS_ERR_INVALID, "xs_db_add_document: document handle is NULL");
    try {
        xs_docid_t id = db->wdb.add_document(doc->doc);
        if (out)
            *out = id;
        return XS_OK;
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" xs_status_t xs_db_replace_document(xs_db_t *db, const char *unique_term, size_t len,
                                              const xs_doc_t *doc)
{
    xs_status_t st = check_write(db, "xs_db_replace_document");
    if (st == XS_OK)
        st = xs__check_term(unique_term, len, "xs_db_replace_document");
    if (st != XS_OK)
        return st;
    if (!doc)
        return xs__fail(XS_ERR_INVALID, "xs_db_replace_document: document handle is NULL");
    try {
        db->wdb.replace_document(std::string(unique_term, len), doc->doc);
        return XS_OK;
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" xs_status_t xs_db_delete_documents(xs_db_t *db, const char *term, size_t len)
{
    xs_status_t st = check_write(db, "xs_db_delete_documents");
    if (st == XS_OK)
        st = xs__check_term(term, len, "xs_db_delete_documents");
    if (st != XS_OK)
        return st;
    try {
        db->wdb.delete_document(std::string(term, len));
        return XS_OK;
    } catch (...) {
        return xs__status_from_exception();
    }
}

extern "C" xs_status_t xs_db_document_data(const xs_db_t *db, xs_docid_t id, char **out,
                                           size_t *len)
{
    if (len)
        *len = 0;
    if (!out)
        return xs__fail(XS_ERR_INVALID, "xs_db_document_data: out is NULL");
    *out = NULL;
    xs_status_t st = xs__check_db(db, "xs_db_document_data");
    if (st != XS_OK)
        return st;
    /* Id 0 means "no document": not found rather than Xapian's invalid argument. */
    if (id == 0)
        return xs__fail(XS_ERR_NOT_FOUND, "no such document: 0");
    try {
        std::string data = db->reader().get_document(id).get_data();
        *out = xs__strdup(data);
        if (len)
            *len = data.size();
        return XS_OK;
    } catch (...) {
        return xs__status_from_exception();
    }
}
