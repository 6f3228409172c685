/*
 * lines.h — the lines of a small text file read whole (batch queries, qrels
 * and runs for passim-search, a .passimignore for passim-index), decoded as
 * passim-index decodes an article (text_decode():
 * a byte order mark dropped, UTF-16 and UTF-32 converted, Windows-1252 read,
 * lines ended by a carriage return alone split), so that files saved by the
 * same editor mean the same to both. A file with NUL bytes is not decoded:
 * its lines come as they are, and say whether they hold one.
 */
#ifndef PASSIM_TEXT_LINES_H
#define PASSIM_TEXT_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"

typedef struct text_lines {
    text_buf_t raw, decoded;
    char *next, *stop;          /* the lines not yet taken */
    unsigned line_no;           /* lines taken */
} text_lines_t;

/* One line: NUL-terminated in place, without its line end: "\n", "\r\n" or a
 * "\r" alone, wherever it is (as Python's universal newlines read lines). */
typedef struct text_line {
    char *text;
    size_t len;                 /* bytes before the line end; NUL bytes may be among them */
    bool nul;                   /* the line holds a NUL byte */
    unsigned no;                /* 1-based */
} text_line_t;

/* Read the whole of f into l. False if reading failed (errno set) or memory
 * ran out (errno ENOMEM); free l in any case. */
bool text_lines_read(text_lines_t *l, FILE *f);

/* As text_lines_read(), for lines that name files (a .passimignore): names on
 * disk are bytes, so only UTF-16 and UTF-32 (with a byte order mark) are
 * converted; other bytes stay as they are (a Latin-1 name matches itself). */
bool text_lines_read_names(text_lines_t *l, FILE *f);

/* The next line into *line; false at the end. */
bool text_lines_next(text_lines_t *l, text_line_t *line);

void text_lines_free(text_lines_t *l);

#endif
