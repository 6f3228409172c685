/*
 * xs_status.cc — statuses and errors: the names of xs_status_t values, the
 * thread-local last-error message, the mapping from Xapian's exception classes
 * to statuses, and the argument checks shared by the other shim files.
 *
 * The message buffer is a fixed char array rather than a std::string so that
 * recording an error never allocates: the error being recorded may well be
 * std::bad_alloc.
 */
#include "xs_internal.hh"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>

namespace {

thread_local char last_error[1024];
thread_local xs_status_t last_status;

/* Keep the message on one line: callers print it after a prefix. */
void flatten(char *s)
{
    for (; *s; s++) {
        if (*s == '\n' || *s == '\r' || *s == '\t')
            *s = ' ';
    }
}

void set_error_v(const char *fmt, va_list ap)
{
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    flatten(last_error);
}

void set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void set_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_error_v(fmt, ap);
    va_end(ap);
}

/* Errors that carry an errno (get_error_string() non-NULL) come from a failed
 * system call: disk full, permission denied, not a directory. */
xs_status_t io_or(xs_status_t otherwise, const Xapian::Error &e)
{
    set_error("%s", e.get_description().c_str());
    return e.get_error_string() ? XS_ERR_IO : otherwise;
}

} /* namespace */

namespace {

xs_fatal_fn fatal_fn;
std::terminate_handler previous_terminate;

[[noreturn]] void on_terminate()
{
    xs_fatal_fn fn = fatal_fn;
    if (fn) {
        if (std::current_exception())
            xs__status_from_exception(); /* describes it in last_error */
        else
            set_error("internal error: the process was ending");
        fn(last_error);
    }
    if (previous_terminate)
        previous_terminate();
    std::abort();
}

} /* namespace */

extern "C" void xs_set_fatal_handler(xs_fatal_fn fn)
{
    static bool installed;
    if (!installed) {
        previous_terminate = std::set_terminate(on_terminate);
        installed = true;
    }
    fatal_fn = fn;
}

namespace {

xs_status_t classify_exception() noexcept
{
    /* get_description() allocates; if that throws, the class alone is kept. */
    try {
        try {
            throw;
        } catch (const Xapian::DatabaseLockError &e) {
            set_error("%s", e.get_description().c_str());
            return XS_ERR_LOCKED;
        } catch (const Xapian::DatabaseNotFoundError &e) {
            set_error("%s", e.get_description().c_str());
            return XS_ERR_NOT_FOUND;
        } catch (const Xapian::DatabaseVersionError &e) {
            set_error("%s", e.get_description().c_str());
            return XS_ERR_CORRUPT;
        } catch (const Xapian::DatabaseOpeningError &e) {
            /* Without an errno the path holds no database Xapian recognizes;
             * with one, a system call failed on a path that may well hold one
             * (EACCES, ENOTDIR), which the caller must not mistake for absence. */
            return io_or(XS_ERR_NOT_FOUND, e);
        } catch (const Xapian::DatabaseCorruptError &e) {
            set_error("%s", e.get_description().c_str());
            return XS_ERR_CORRUPT;
        } catch (const Xapian::DatabaseModifiedError &e) {
            set_error("%s", e.get_description().c_str());
            return XS_ERR_MODIFIED;
        } catch (const Xapian::DatabaseClosedError &e) {
            set_error("%s", e.get_description().c_str());
            return XS_ERR_INVALID;
        } catch (const Xapian::DocNotFoundError &e) {
            set_error("%s", e.get_description().c_str());
            return XS_ERR_NOT_FOUND;
        } catch (const Xapian::InvalidArgumentError &e) {
            set_error("%s", e.get_description().c_str());
            return XS_ERR_INVALID;
        } catch (const Xapian::InvalidOperationError &e) {
            set_error("%s", e.get_description().c_str());
            return XS_ERR_INVALID;
        } catch (const Xapian::DatabaseCreateError &e) {
            return io_or(XS_ERR_BACKEND, e);
        } catch (const Xapian::DatabaseError &e) {
            /* Without an errno, a table that does not read as Xapian wrote
             * it ("EOF reading block N", "Expected block N to be level 1,
             * not 0"): damage, or a block of the revision being read that a
             * writer has already reused. */
            return io_or(XS_ERR_CORRUPT, e);
        } catch (const Xapian::Error &e) {
            set_error("%s", e.get_description().c_str());
            return XS_ERR_BACKEND;
        } catch (const std::bad_alloc &) {
            set_error("out of memory");
            return XS_ERR_NOMEM;
        } catch (const std::exception &e) {
            set_error("internal error: %s", e.what());
            return XS_ERR_INTERNAL;
        } catch (...) {
            set_error("internal error: unknown exception");
            return XS_ERR_INTERNAL;
        }
    } catch (const std::bad_alloc &) {
        set_error("out of memory");
        return XS_ERR_NOMEM;
    } catch (...) {
        set_error("internal error: exception while reporting an exception");
        return XS_ERR_INTERNAL;
    }
}

} /* namespace */

xs_status_t xs__status_from_exception() noexcept
{
    last_status = classify_exception();
    return last_status;
}

xs_status_t xs__restatus(xs_status_t st) noexcept
{
    last_status = st;
    return st;
}

xs_status_t xs__fail(xs_status_t st, const char *fmt, ...) noexcept
{
    va_list ap;
    va_start(ap, fmt);
    set_error_v(fmt, ap);
    va_end(ap);
    last_status = st;
    return st;
}

xs_status_t xs__check_term(const char *term, size_t len, const char *what) noexcept
{
    if (!term)
        return xs__fail(XS_ERR_INVALID, "%s: term is NULL", what);
    if (len == 0)
        return xs__fail(XS_ERR_INVALID, "%s: empty term", what);
    if (len > XS_TERM_MAX)
        return xs__fail(XS_ERR_TERM_TOO_LONG, "%s: term of %zu bytes (at most %d)", what,
                        len, XS_TERM_MAX);
    return XS_OK;
}

xs_status_t xs__check_db(const xs_db_t *db, const char *what) noexcept
{
    if (!db)
        return xs__fail(XS_ERR_INVALID, "%s: database handle is NULL", what);
    if (db->closed)
        return xs__fail(XS_ERR_INVALID, "%s: database is closed", what);
    return XS_OK;
}

char *xs__strdup(const std::string &s)
{
    char *copy = static_cast<char *>(malloc(s.size() + 1));
    if (!copy)
        throw std::bad_alloc();
    memcpy(copy, s.data(), s.size());
    copy[s.size()] = '\0';
    return copy;
}

extern "C" const char *xs_status_str(xs_status_t st)
{
    switch (st) {
    case XS_OK:
        return "success";
    case XS_ERR_NOMEM:
        return "out of memory";
    case XS_ERR_INVALID:
        return "invalid argument";
    case XS_ERR_NOT_FOUND:
        return "not found";
    case XS_ERR_LOCKED:
        return "database locked";
    case XS_ERR_CORRUPT:
        return "database corrupt";
    case XS_ERR_MODIFIED:
        return "database modified";
    case XS_ERR_TERM_TOO_LONG:
        return "term too long";
    case XS_ERR_IO:
        return "input/output error";
    case XS_ERR_BACKEND:
        return "Xapian error";
    case XS_ERR_INTERNAL:
        return "internal error";
    case XS_STATUS_LAST:
        break;
    }
    return "unknown status";
}

extern "C" const char *xs_last_error(void)
{
    return last_error;
}

extern "C" xs_status_t xs_last_status(void)
{
    return last_status;
}

extern "C" const char *xs_version(void)
{
    /* Xapian::version_string() returns a static C string and does not throw. */
    return Xapian::version_string();
}
