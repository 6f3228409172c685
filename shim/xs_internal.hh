/*
 * xs_internal.hh — what the shim's C++ files share and the C side never sees:
 * the structs behind the opaque handles of xapian_shim.h, the mapping from a
 * caught exception to an xs_status_t, the thread-local last-error message, and
 * the argument checks every entry point makes before Xapian is called.
 *
 * Helpers shared between shim files are named xs__<thing> (double underscore):
 * they are not part of the C API.
 */
#ifndef PASSIM_XS_INTERNAL_HH
#define PASSIM_XS_INTERNAL_HH

#include <xapian.h>

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "xapian_shim.h"

struct xs_db {
    /* Read-only handles use db; writable ones use wdb for reads as well, so that
     * reads inside a batch see the batch's own writes. reader() hides the choice. */
    Xapian::Database db;
    Xapian::WritableDatabase wdb;
    std::string path;        /* for messages; "" for xs_db_open_many() */
    size_t n_parts = 1;      /* databases opened together */
    bool writable = false;
    bool closed = false;     /* after xs_db_close(): every call is XS_ERR_INVALID */
    bool in_batch = false;   /* a Xapian transaction is open on wdb */

    const Xapian::Database &reader() const
    {
        if (writable)
            return wdb;
        return db;
    }
};

struct xs_doc {
    Xapian::Document doc;
};

struct xs_query {
    Xapian::Query query;
};

struct xs_mset {
    /* The Enquire outlives get_mset() because matching terms and expansion
     * (get_matching_terms_begin, get_eset) must ask the same Enquire. It holds a
     * counted reference to the database, so a forgotten free is not a crash;
     * the header still asks for the mset to be freed first. */
    Xapian::Enquire enquire;
    Xapian::Database db;    /* what enquire searches (a handle sharing its state) */
    Xapian::MSet mset;
    /* The results asked for: mset[first .. first + count). The mset may hold
     * more ranked before them (see xs_search_opts_t.check_at_least). */
    Xapian::doccount first = 0, count = 0;

    /* Result i of those asked for. */
    Xapian::MSetIterator item(size_t i) const { return mset[first + static_cast<Xapian::doccount>(i)]; }

    /* Strings handed out by xs_mset_data()/xs_mset_value() as const char *:
     * they must stay put until xs_mset_free(). The vector is sized once (never
     * reallocated) and map nodes never move, so pointers into them are stable. */
    std::vector<std::string> data;
    std::vector<bool> data_loaded;
    std::map<std::pair<size_t, unsigned>, std::string> values;

    explicit xs_mset(const Xapian::Database &database) : enquire(database), db(database) {}
};

/* Map the exception being handled to a status and record its description as
 * the last error. Call only from inside a catch block (it re-throws). */
xs_status_t xs__status_from_exception() noexcept;

/* Record st as the last failure's status, keeping its message; return st. */
xs_status_t xs__restatus(xs_status_t st) noexcept;

/* Record a printf-style message as the last error and return st. */
xs_status_t xs__fail(xs_status_t st, const char *fmt, ...) noexcept
    __attribute__((format(printf, 2, 3)));

/* XS_OK if (term, len) is a term Xapian can take: not NULL, not empty, at most
 * XS_TERM_MAX bytes. Otherwise the status, with a message naming what. */
xs_status_t xs__check_term(const char *term, size_t len, const char *what) noexcept;

/* XS_OK if db is non-NULL and not closed (what names the caller). */
xs_status_t xs__check_db(const xs_db_t *db, const char *what) noexcept;

/* A malloc'ed, NUL-terminated copy of s; throws std::bad_alloc on failure so
 * that the caller's catch turns it into XS_ERR_NOMEM. */
char *xs__strdup(const std::string &s);

#endif /* PASSIM_XS_INTERNAL_HH */
