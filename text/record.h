/*
 * record.h — the byte formats passim keeps in the index besides terms: the data
 * stored with each passage (what the searcher prints without reopening the file)
 * and the record kept for each indexed file (what incremental indexing compares).
 * Written by the indexer, read by the searcher; pure C, no I/O.
 */
#ifndef PASSIM_RECORD_H
#define PASSIM_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "text.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What is stored with one passage. Strings are (pointer, length), not
 * NUL-terminated; after text_record_decode() they point into the decoded bytes. */
typedef struct text_record {
    const char *docid;   size_t docid_len;    /* article id: relative path without extension */
    const char *path;    size_t path_len;     /* path as given to passim-index */
    const char *title;   size_t title_len;    /* article title, markup removed */
    const char *heading; size_t heading_len;  /* heading the passage stands under, or empty */
    const char *text;    size_t text_len;     /* the passage text, valid UTF-8 */
    uint32_t ordinal;                         /* passage number in the article, from 0 */
    uint32_t first_line, last_line;          /* 1-based line range in the file */
    uint32_t first_column;                   /* 1-based byte column where the text starts
                                                in first_line; 0: not recorded (indexes
                                                written before it was) */
    text_open_fence_t fence;                 /* the code block open where the text
                                                starts (text_passage_t) */
} text_record_t;

/* Append the encoding of r to b. Returns false if memory ran out. */
bool text_record_encode(const text_record_t *r, text_buf_t *b);

/* Decode data[0..len) into *r (pointers into data). Returns false if the bytes
 * are not a record (wrong magic or truncated); *r is then zeroed. */
bool text_record_decode(const char *data, size_t len, text_record_t *r);

/* What the index remembers of one indexed file. */
typedef struct text_file_record {
    uint64_t size;        /* bytes */
    int64_t mtime_ns;     /* modification time, nanoseconds since the epoch */
    uint64_t hash;        /* text_hash64() of the content */
    uint32_t n_passages;  /* passages written for it */
    const char *path; size_t path_len;  /* path as given, for messages */
    const char *key; size_t key_len;    /* the file's key (canonical path): the metadata
                                           key may be shortened, the record keeps it whole */
    const char *place; size_t place_len; /* where the walk met it, when that is not the
                                            key (through a symbolic link); else empty */
} text_file_record_t;

bool text_file_record_encode(const text_file_record_t *r, text_buf_t *b);
bool text_file_record_decode(const char *data, size_t len, text_file_record_t *r);

/* Article ids are the docids of TREC runs and judgements, whose lines are
 * split at white space: an id must be one token. */

/* Append s[0..n) to b as one token: white space (as Python's str.split()
 * sees it), control characters and bidi controls (embeddings, overrides,
 * isolates, marks) become '_', invalid UTF-8 becomes U+FFFD,
 * and an empty s is "_". False if memory ran out. */
bool text_token_put(text_buf_t *b, const char *s, size_t n);

/* Whether s is one token as it is: not empty, valid UTF-8, none of the above. */
bool text_token_ok(const char *s);

/* The article id of a file at rel, its path relative to the PATH indexed:
 * rel without the extension of its last component, made one token
 * (text_token_put()). malloc'ed; NULL if memory ran out. */
char *text_docid_from_rel(const char *rel);

#ifdef __cplusplus
}
#endif

#endif /* PASSIM_RECORD_H */
