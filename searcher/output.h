/*
 * output.h — how passim-search prints results: readable text, JSON, vimgrep
 * lines. Every format escapes for itself here (JSON strings, terminal-safe
 * text); the snippet's own markup and escaping come from snippet.h.
 */
#ifndef PASSIM_OUTPUT_H
#define PASSIM_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "buf.h"
#include "record.h"
#include "snippet.h"

/* One result as the formats see it. Strings borrow from the result set. */
typedef struct srch_hit {
    uint32_t rank;           /* 1-based, across pages (offset included) */
    double score;
    text_record_t rec;       /* the stored passage: text, path, title, lines... */
    char *path;              /* when rec.path, as given to passim-index, does not name
                                the file from the current folder: the file's canonical
                                path, which rec.path then points to (malloc'ed) */
    srch_snippet_t snippet;  /* the chosen window and its match spans */
    text_buf_t explain;      /* with --explain: matched terms and weights, one per line */
} srch_hit_t;

typedef enum { SRCH_FMT_TEXT, SRCH_FMT_JSON, SRCH_FMT_VIMGREP, SRCH_FMT_TREC } srch_format_t;

typedef struct srch_print_opts {
    srch_format_t format;
    srch_markup_t markup;      /* how matches are marked in snippets */
    bool color;                /* ANSI colour for titles and paths (text format) */
    bool articles;             /* hits stand for articles (--level doc): so does the total */
    const srch_hl_unit_t *units;
    size_t n_units;
    const char *explain;       /* JSON: the query's --explain text ("explain"), or NULL */
    size_t explain_len;
    bool some_words;           /* no hit has every word: they have some (--auto fell back) */
    bool total_exact;          /* the total is a count, not Xapian's estimate */
} srch_print_opts_t;

/* Append s[0..len) to b as a JSON string literal (quotes included): control
 * characters escaped (C1 ones too), invalid UTF-8 replaced by U+FFFD, U+2028/U+2029
 * and the bidi controls (embeddings, overrides, isolates, marks) escaped. */
bool srch_json_string(text_buf_t *b, const char *s, size_t len);


/* The results of one query, in the chosen format, appended to b.
 * total: the estimated number of matching passages; qid: the query id in batch
 * mode (NULL for a single query); query: the query as typed. */
bool srch_print_hits(text_buf_t *b, const srch_print_opts_t *o, const char *qid,
                     const char *query, uint32_t total, const srch_hit_t *hits, size_t n_hits);

/* Where a hit's first match lies: 1-based line and byte column in the file. */
void srch_hit_position(const srch_hit_t *h, uint32_t *line, uint32_t *column);

/* ---- TREC runs (trec.c) ---------------------------------------------------- */

/* One line of a query's TREC ranking. */
typedef struct srch_trec_doc {
    const char *id;          /* the article id, or "id#passage"; in the list's ids */
    double score;            /* the score as printed, read back */
    char score_text[40];     /* the score as printed (%.6f) */
    uint32_t xapian_rank;    /* the hit's rank in the search, to break exact ties */
} srch_trec_doc_t;

/* A query's hits as a TREC scorer will rank them. */
typedef struct srch_trec_list {
    srch_trec_doc_t *docs;   /* in rank order: score as printed descending, then id
                                descending (srch_eval_rank_cmp()); ids unique */
    size_t n;
    text_buf_t ids;          /* the id strings */
} srch_trec_list_t;

/*
 * Build the TREC ranking of hits[0..n_hits): ids are the article ids (made
 * single tokens: white space and control characters become '_'), followed by
 * "#<passage number>" when passages is set; an id that comes again below its
 * best place is dropped. Free with srch_trec_list_free(). false if memory ran
 * out (*out is then empty).
 */
bool srch_trec_list_build(srch_trec_list_t *out, const srch_hit_t *hits, size_t n_hits,
                          bool passages);
void srch_trec_list_free(srch_trec_list_t *l);

/* Keep only l's lines [offset, offset + limit) (a page of the ranking). */
void srch_trec_list_window(srch_trec_list_t *l, size_t offset, size_t limit);

/* Append the run lines "qid Q0 id rank score tag" of l to b, ranks from
 * first_rank (1, or one more than the results skipped by --offset). qid and
 * tag must be single tokens (text_token_ok()). */
bool srch_trec_print(text_buf_t *b, const srch_trec_list_t *l, size_t first_rank,
                     const char *qid, const char *tag);

#endif /* PASSIM_OUTPUT_H */
