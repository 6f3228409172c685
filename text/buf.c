/*
 * buf.c — the growable byte buffer of buf.h. Grows by doubling; every
 * successful append leaves a NUL after the contents. A failed append leaves the
 * buffer as it was.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "buf.h"
#include "text.h"

bool text_buf_reserve(text_buf_t *b, size_t extra)
{
    if (extra > SIZE_MAX - 1 - b->len)
        return false;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (p == NULL)
        return false;
    b->data = p;
    b->cap = cap;
    return true;
}

void *text_grow(void *v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return v;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n = n > SIZE_MAX / 2 ? need : n * 2;
    if (size == 0 || n > SIZE_MAX / size)
        return NULL;
    void *grown = realloc(v, n * size);
    if (grown)
        *cap = n;
    return grown;
}

bool text_buf_append(text_buf_t *b, const void *data, size_t len)
{
    if (!text_buf_reserve(b, len))
        return false;
    if (len > 0)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return true;
}

bool text_buf_putc(text_buf_t *b, char c)
{
    return text_buf_append(b, &c, 1);
}

bool text_buf_puts(text_buf_t *b, const char *s)
{
    return text_buf_append(b, s, strlen(s));
}

size_t text_columns(const char *s, size_t len)
{
    size_t columns = 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0) { /* a bad byte: one column, as a replacement character */
            columns++;
            i++;
            continue;
        }
        columns += (size_t)utf8proc_charwidth(cp);
        i += (size_t)n;
    }
    return columns;
}

bool text_buf_put_padded(text_buf_t *b, const char *s, size_t width)
{
    size_t len = strlen(s);
    if (!text_buf_append(b, s, len))
        return false;
    for (size_t columns = text_columns(s, len); columns < width; columns++)
        if (!text_buf_putc(b, ' '))
            return false;
    return true;
}

bool text_buf_vprintf(text_buf_t *b, const char *fmt, va_list ap)
{
    /* Try in the room there is; if it is too small, vsnprintf says how much. */
    va_list ap2;
    va_copy(ap2, ap);
    if (!text_buf_reserve(b, 0)) {
        va_end(ap2);
        return false;
    }
    size_t room = b->cap - b->len;
    int n = vsnprintf(b->data + b->len, room, fmt, ap);
    if (n < 0) {
        b->data[b->len] = '\0';
        va_end(ap2);
        return false;
    }
    if ((size_t)n >= room) {
        if (!text_buf_reserve(b, (size_t)n)) {
            b->data[b->len] = '\0';
            va_end(ap2);
            return false;
        }
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    }
    va_end(ap2);
    b->len += (size_t)n;
    return true;
}

bool text_buf_printf(text_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = text_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return ok;
}

bool text_buf_put_utf8(text_buf_t *b, uint32_t cp)
{
    char u[4];
    return text_buf_append(b, u, text_utf8_encode(cp, u));
}

void text_buf_clear(text_buf_t *b)
{
    text_buf_truncate(b, 0);
}

void text_buf_truncate(text_buf_t *b, size_t len)
{
    b->len = len;
    if (b->data != NULL)
        b->data[len] = '\0';
}

void text_buf_free(text_buf_t *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}
