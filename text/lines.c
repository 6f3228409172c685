/*
 * lines.c — the lines of a small text file, decoded (see lines.h).
 */
#include <errno.h>
#include <string.h>

#include "lines.h"
#include "text.h"

static bool read_lines(text_lines_t *l, FILE *f, bool names)
{
    memset(l, 0, sizeof *l);
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (!text_buf_append(&l->raw, chunk, got)) {
            errno = ENOMEM;
            return false;
        }
    if (ferror(f))
        return false;   /* fread() left errno */
    bool as_is = true;
    const char *encoding;
    text_decode_status_t st = TEXT_DECODE_BINARY;
    if (l->raw.len)
        st = text_decode(l->raw.data, l->raw.len, &l->decoded, &as_is, &encoding);
    bool wide = st == TEXT_DECODE_OK && (strncmp(encoding, "utf-16", 6) == 0
                                         || strncmp(encoding, "utf-32", 6) == 0);
    text_buf_t *text = as_is || st == TEXT_DECODE_BINARY || (names && !wide) ? &l->raw
                                                                              : &l->decoded;
    /* A last line end, so that every line has one to become its NUL. */
    if (st == TEXT_DECODE_NOMEM || !text_buf_putc(text, '\n')) {
        errno = ENOMEM;
        return false;
    }
    l->next = text->data;
    l->stop = text->data + text->len;
    if (text == &l->raw && l->raw.len >= 3 && memcmp(l->next, "\xEF\xBB\xBF", 3) == 0)
        l->next += 3;   /* not decoded (NUL bytes, names): drop the UTF-8 mark here */
    return true;
}

bool text_lines_read(text_lines_t *l, FILE *f)
{
    return read_lines(l, f, false);
}

bool text_lines_read_names(text_lines_t *l, FILE *f)
{
    return read_lines(l, f, true);
}

bool text_lines_next(text_lines_t *l, text_line_t *line)
{
    /* The last byte is the line end read_lines() added: alone, it ends no line. */
    if (!l->next || l->next >= l->stop - 1)
        return false;
    /* Any line end ends a line, a lone CR among LF lines too, as the
     * scripts that write and score these files read them (Python's
     * universal newlines). The text ends with a LF, so one is found. */
    char *p = l->next, *end = p + strcspn(p, "\r\n");
    while (*end == '\0') /* a NUL byte within the line */
        end += 1 + strcspn(end + 1, "\r\n");
    l->next = end + (end[0] == '\r' && end[1] == '\n' ? 2 : 1);
    *end = '\0';
    line->text = p;
    line->len = (size_t)(end - p);
    line->nul = strlen(p) != line->len;
    line->no = ++l->line_no;
    return true;
}

void text_lines_free(text_lines_t *l)
{
    text_buf_free(&l->raw);
    text_buf_free(&l->decoded);
    memset(l, 0, sizeof *l);
}
