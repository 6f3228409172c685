/*
 * header_c.c — proof that shim/xapian_shim.h is plain C: this file includes
 * nothing else and is compiled as C11 with -pedantic -Werror. It uses a few
 * declarations so that the compiler checks their types, not only the syntax,
 * but calls nothing, so it needs no linking against the shim.
 */
#include "xapian_shim.h"

int main(void)
{
    xs_search_opts_t opts = XS_SEARCH_OPTS_INIT;
    xs_status_t st = XS_OK;
    xs_mode_t mode = XS_DB_READ;
    xs_op_t op = XS_OP_PHRASE;
    xs_db_t *db = NULL;
    xs_query_t *q = NULL;
    xs_mset_t *m = NULL;
    xs_doc_t *doc = NULL;
    xs_docid_t id = 0;
    xs_term_fn term_fn = NULL;
    xs_meta_fn meta_fn = NULL;
    xs_expand_fn expand_fn = NULL;

    (void)db;
    (void)q;
    (void)m;
    (void)doc;
    (void)term_fn;
    (void)meta_fn;
    (void)expand_fn;
    /* sizeof does not evaluate: the calls are type-checked, never linked. */
    (void)sizeof(xs_search(&m, db, q, &opts));
    (void)sizeof(xs_db_add_document(db, doc, &id));
    (void)sizeof(xs_db_terms(db, "", 0, term_fn, NULL, NULL));
    return (opts.version == XS_SEARCH_OPTS_VERSION && st == XS_OK && mode == XS_DB_READ &&
            op == XS_OP_PHRASE && id == 0 && XS_TERM_MAX > 0)
               ? 0
               : 1;
}
