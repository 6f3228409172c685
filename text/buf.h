/*
 * buf.h — a growable byte buffer, the one string builder used across passim.
 * Always NUL-terminated after any successful append (data[len] == 0), so the
 * contents can be handed to functions that want a C string.
 */
#ifndef PASSIM_BUF_H
#define PASSIM_BUF_H

#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct text_buf {
    char *data;   /* NULL until the first append; owned, free with text_buf_free() */
    size_t len;   /* bytes used, not counting the terminating NUL */
    size_t cap;   /* bytes allocated */
} text_buf_t;

#define TEXT_BUF_INIT { NULL, 0, 0 }

/* Make room for extra more bytes (plus the NUL). false if memory ran out. */
bool text_buf_reserve(text_buf_t *b, size_t extra);
bool text_buf_append(text_buf_t *b, const void *data, size_t len);
bool text_buf_putc(text_buf_t *b, char c);
bool text_buf_puts(text_buf_t *b, const char *s);
/* Append the UTF-8 string s, then spaces up to width columns of a terminal
 * (printf's "%-10s" counts bytes, which misaligns "Café" and "Россия" in a
 * table; a combining mark takes no column, an ideograph two). */
bool text_buf_put_padded(text_buf_t *b, const char *s, size_t width);
/* The terminal columns the UTF-8 string s[0..len) takes, as counted above. */
size_t text_columns(const char *s, size_t len);
/* Append code point cp in UTF-8; a surrogate or a value past U+10FFFF goes in
 * as U+FFFD. */
bool text_buf_put_utf8(text_buf_t *b, uint32_t cp);
bool text_buf_printf(text_buf_t *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool text_buf_vprintf(text_buf_t *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/*
 * Room for need (at least 1) elements of size bytes in the malloc'ed array v
 * (NULL when *cap is 0) of *cap elements: v itself when it has it, else v
 * grown (realloc) to double its capacity, or more, with *cap updated; NULL
 * when memory ran out or the size would overflow, v then left as it was. So n
 * additions cost O(n):
 *     item_t *grown = text_grow(a->v, &a->cap, a->n + 1, sizeof *grown);
 *     if (!grown) return false;
 *     a->v = grown;
 */
void *text_grow(void *v, size_t *cap, size_t need, size_t size);
/* Forget the contents, keep the allocation. */
void text_buf_clear(text_buf_t *b);
/* Cut back to the first len bytes (len no more than b->len). */
void text_buf_truncate(text_buf_t *b, size_t len);
/* Free the allocation and reset to TEXT_BUF_INIT. */
void text_buf_free(text_buf_t *b);

#ifdef __cplusplus
}
#endif

#endif /* PASSIM_BUF_H */
