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
    srch_snippet_t snippet;  /* the chosen window and its match spans */
    text_buf_t explain;      /* with --explain: matched terms and weights, one per line */
} srch_hit_t;

typedef enum { SRCH_FMT_TEXT, SRCH_FMT_JSON, SRCH_FMT_VIMGREP, SRCH_FMT_TREC } srch_format_t;

typedef struct srch_print_opts {
    srch_format_t format;
    srch_markup_t markup;      /* how matches are marked in snippets */
    bool color;                /* ANSI colour for titles and paths (text format) */
    const srch_hl_unit_t *units;
    size_t n_units;
} srch_print_opts_t;

/* Append s[0..len) to b as a JSON string literal (quotes included): control
 * characters escaped, invalid UTF-8 replaced by U+FFFD, U+2028/U+2029 escaped. */
bool srch_json_string(text_buf_t *b, const char *s, size_t len);

/* Append s[0..len) to b fit for a terminal or a text file: control characters
 * dropped (tab and line ends become a space when fold_space), invalid UTF-8
 * replaced by U+FFFD. */
bool srch_safe_text(text_buf_t *b, const char *s, size_t len, bool fold_space);

/* The results of one query, in the chosen format, appended to b.
 * total: the estimated number of matching passages; qid: the query id in batch
 * mode (NULL for a single query); query: the query as typed. */
bool srch_print_hits(text_buf_t *b, const srch_print_opts_t *o, const char *qid,
                     const char *query, uint32_t total, const srch_hit_t *hits, size_t n_hits);

/* Where a hit's first match lies: 1-based line and byte column in the file. */
void srch_hit_position(const srch_hit_t *h, uint32_t *line, uint32_t *column);

#endif /* PASSIM_OUTPUT_H */
