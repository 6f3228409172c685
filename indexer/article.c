/*
 * article.c — one article's text becomes Xapian documents, one per passage.
 *
 * The index layout is spelled in text/terms.h; this file applies it: each token's
 * stem with its position, the title's stems under the title prefix, the passage,
 * file and article id terms, the collapse and ordinal values, and the record the
 * searcher prints. It also counts words for the spelling table. Reading files
 * and writing documents are the caller's business.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexer.h"
#include "record.h"
#include "terms.h"

/* Title stems and their positions, kept for all passages of one article. */
typedef struct title_terms {
    text_buf_t terms;    /* prefixed terms, each NUL-terminated, at positions
                            PASSIM_FIRST_POS... */
    uint32_t n;
    text_buf_t compounds;    /* prefixed hyphenated words joined, with no position */
    uint32_t n_compounds;
} title_terms_t;

typedef struct passage_job {
    idx_article_ctx_t *ctx;
    const idx_article_t *art;
    title_terms_t *title;
    idx_doc_fn fn;
    void *payload;
    xs_status_t st;
    uint32_t n_passages;
} passage_job_t;

bool idx_article_ctx_init(idx_article_ctx_t *ctx, const idx_opts_t *o, const char *lang)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->passage_opts = o->passages;
    text_status_t ts = text_analyzer_new(&ctx->analyzer, lang);
    if (ts != TEXT_OK) {
        fprintf(stderr, "passim-index: --lang %s: %s\n", lang, text_status_str(ts));
        return false;
    }
    if (xs_doc_new(&ctx->doc) != XS_OK || (o->spelling && !(ctx->spell = idx_counter_new()))) {
        fputs("passim-index: out of memory\n", stderr);
        return false;
    }
    return true;
}

void idx_article_ctx_free(idx_article_ctx_t *ctx)
{
    text_analyzer_free(ctx->analyzer);
    xs_doc_free(ctx->doc);
    idx_counter_free(ctx->spell);
    text_buf_free(&ctx->term);
    text_buf_free(&ctx->record);
    text_buf_free(&ctx->title);
    text_buf_free(&ctx->title_source);
    memset(ctx, 0, sizeof *ctx);
}

static int add_title_term(const text_term_t *t, void *payload)
{
    title_terms_t *tt = payload;
    text_buf_t *to = t->compound ? &tt->compounds : &tt->terms;
    if (!text_buf_puts(to, PASSIM_PREFIX_TITLE) || !text_buf_append(to, t->stem, t->stem_len)
        || !text_buf_putc(to, '\0'))
        return XS_ERR_NOMEM;
    if (t->compound)
        tt->n_compounds++;
    else
        tt->n++;
    return 0;
}

static int add_token(const text_term_t *t, void *payload)
{
    passage_job_t *job = payload;
    /* A hyphenated word joined has no position of its own: phrases go from
     * part to part, as they are written. */
    xs_status_t st = t->compound
                     ? xs_doc_add_term(job->ctx->doc, t->stem, t->stem_len, 1)
                     : xs_doc_add_posting(job->ctx->doc, t->stem, t->stem_len, t->tok->pos);
    if (st != XS_OK)
        return (int)st;
    if (!job->ctx->spell || (t->tok->flags & TEXT_TOK_NUMBER))
        return 0;
    /* the word without an elided article or a possessive: "organisation", not
     * "l'organisation"; "o'brien", not "o'brien's" */
    const char *word = t->tok->word;
    size_t len = t->tok->word_len;
    size_t elided = text_elided_len(job->ctx->analyzer, word, len);
    len -= text_possessive_len(job->ctx->analyzer, word + elided, len - elided);
    if (len - elided >= 3 && idx_counter_add(job->ctx->spell, word + elided, len - elided) == 0)
        return XS_ERR_NOMEM; /* a word list with holes would mislead "did you mean" */
    return 0;
}

static xs_status_t add_title_terms(xs_doc_t *doc, const title_terms_t *tt)
{
    const char *p = tt->terms.data;
    for (uint32_t i = 0; i < tt->n; i++) {
        size_t n = strlen(p);
        xs_status_t st = xs_doc_add_posting(doc, p, n, i + PASSIM_FIRST_POS);
        if (st != XS_OK)
            return st;
        p += n + 1;
    }
    p = tt->compounds.data;
    for (uint32_t i = 0; i < tt->n_compounds; i++) {
        size_t n = strlen(p);
        xs_status_t st = xs_doc_add_term(doc, p, n, 1);
        if (st != XS_OK)
            return st;
        p += n + 1;
    }
    return XS_OK;
}

/* Longest title and heading kept, in bytes. */
#define TITLE_MAX 500
#define HEADING_MAX 255

/* The cleaned text longer[0..n) (NUL-terminated; cleaned into max + 5 bytes,
 * so that a text the cleaner had to cut is longer than max) into out (max +
 * 1 bytes): as it is if it fits, else cut after its last whole word within
 * max bytes, with "…". Returns the length. */
static size_t fit(const char *longer, size_t n, size_t max, char *out)
{
    if (n <= max) {
        memcpy(out, longer, n + 1);
        return n;
    }
    const char ellipsis[] = "\xE2\x80\xA6";
    /* Not inside a character, nor between a letter and its accent. */
    size_t keep = text_grapheme_floor(longer, n, max - (sizeof ellipsis - 1));
    size_t space = keep;
    while (space > keep / 2 && longer[space] != ' ')
        space--;
    if (longer[space] == ' ')
        keep = space; /* after the last whole word, if not too far back */
    memcpy(out, longer, keep);
    memcpy(out + keep, ellipsis, sizeof ellipsis);
    return keep + sizeof ellipsis - 1;
}

static int on_passage(const text_passage_t *p, void *payload)
{
    passage_job_t *job = payload;
    idx_article_ctx_t *ctx = job->ctx;
    const idx_article_t *art = job->art;
    xs_doc_t *doc = ctx->doc;
    xs_status_t st;

    if ((st = xs_doc_clear(doc)) != XS_OK)
        return (int)st;
    int rc = text_analyze_in(ctx->analyzer, art->text + p->start, p->end - p->start,
                             PASSIM_FIRST_POS, &p->fence, add_token, job);
    if (rc != 0)
        return rc;
    if ((st = add_title_terms(doc, job->title)) != XS_OK)
        return (int)st;

    if (!text_key_term(&ctx->term, PASSIM_PREFIX_FILE, art->key, ""))
        return XS_ERR_NOMEM;
    if ((st = xs_doc_add_boolean_term(doc, ctx->term.data, ctx->term.len)) != XS_OK)
        return (int)st;
    /* One passage per article is enough to tell whether an id is taken, and
     * costs Xapian one posting per file, not one per passage. */
    if (p->ordinal == 0) {
        if (!text_key_term(&ctx->term, PASSIM_PREFIX_DOCID, art->docid, ""))
            return XS_ERR_NOMEM;
        if ((st = xs_doc_add_boolean_term(doc, ctx->term.data, ctx->term.len)) != XS_OK)
            return (int)st;
    }

    unsigned char ordinal_be[4];
    text_ordinal_value(ordinal_be, p->ordinal);
    if ((st = xs_doc_set_value(doc, PASSIM_SLOT_FILE, art->key, strlen(art->key))) != XS_OK
        || (st = xs_doc_set_value(doc, PASSIM_SLOT_ORDINAL, ordinal_be, 4)) != XS_OK)
        return (int)st;

    char longer[HEADING_MAX + 5], heading[HEADING_MAX + 1];
    size_t heading_len = 0;
    if (p->heading_end > p->heading_start)
        heading_len = fit(longer, text_clean_heading(art->text + p->heading_start,
                                                     p->heading_end - p->heading_start, longer,
                                                     sizeof longer),
                          HEADING_MAX, heading);
    text_record_t r = {
        .docid = art->docid, .docid_len = strlen(art->docid),
        .path = art->path, .path_len = strlen(art->path),
        .title = ctx->title.data ? ctx->title.data : "", .title_len = ctx->title.len,
        .heading = heading, .heading_len = heading_len,
        .text = art->text + p->start, .text_len = p->end - p->start,
        .ordinal = p->ordinal, .first_line = p->first_line, .last_line = p->last_line,
        .first_column = p->first_column, .fence = p->fence,
    };
    text_buf_clear(&ctx->record);
    if (!text_record_encode(&r, &ctx->record))
        return XS_ERR_NOMEM;
    if ((st = xs_doc_set_value(doc, PASSIM_SLOT_RECORD, ctx->record.data, ctx->record.len))
        != XS_OK)
        return (int)st;
    if ((st = job->fn(doc, job->payload)) != XS_OK)
        return (int)st;
    job->n_passages++;
    return 0;
}

/* The title t cleaned into out (TITLE_MAX + 1 bytes or more): a first line
 * without its markup, a front matter title as the text it is, fitted to
 * TITLE_MAX bytes (fit()). Returns the length. */
static size_t clean_title(const text_title_t *t, char *out)
{
    char longer[TITLE_MAX + 5];
    size_t n = t->front_matter ? text_clean_plain(t->text, t->len, longer, sizeof longer)
             : t->underlined   ? text_clean_heading(t->text, t->len, longer, sizeof longer)
                               : text_clean_line(t->text, t->len, longer, sizeof longer);
    return fit(longer, n, TITLE_MAX, out);
}

xs_status_t idx_article_index(idx_article_ctx_t *ctx, const idx_article_t *art,
                              idx_doc_fn fn, void *payload, uint32_t *n_passages)
{
    title_terms_t title = { TEXT_BUF_INIT, 0, TEXT_BUF_INIT, 0 };
    passage_job_t job = { ctx, art, &title, fn, payload, XS_OK, 0 };
    char cleaned[TITLE_MAX + 1];

    *n_passages = 0;
    text_buf_clear(&ctx->title);
    text_title_t source;
    if (!text_title_source(art->text, art->len, &ctx->title_source, &source))
        return XS_ERR_NOMEM;
    if (source.len > 0) {
        size_t n = clean_title(&source, cleaned);
        if (!text_buf_append(&ctx->title, cleaned, n))
            return XS_ERR_NOMEM;
        int rc = text_analyze_plain(ctx->analyzer, cleaned, n, 1, add_title_term, &title);
        if (rc != 0) {
            text_buf_free(&title.terms);
            text_buf_free(&title.compounds);
            return (xs_status_t)rc;
        }
    }
    int rc = text_passages(art->text, art->len, &ctx->passage_opts, on_passage, &job);
    text_buf_free(&title.terms);
    text_buf_free(&title.compounds);
    *n_passages = job.n_passages;
    return (xs_status_t)rc;
}
