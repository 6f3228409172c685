/*
 * render.c — turns a built snippet into text: the window of the passage with its
 * spans marked for a terminal (ANSI colours), HTML, Markdown or plain brackets
 * (HTML and Markdown escape the passage's own markup characters).
 *
 * The passage is untrusted input, and the output goes to terminals and web pages,
 * so every markup passes it through one sanitizer: escape sequences are dropped
 * whole (text_escape_len()), and so are control characters (C0, DEL, C1) and
 * bidi overrides; white space collapses to one space, and invalid UTF-8
 * becomes U+FFFD. The only escape sequences in the output are the
 * marks written here. Choosing the window and the spans is snippet.c's job.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "snippet.h"

#define ELLIPSIS "\xe2\x80\xa6"           /* … */
#define REPLACEMENT "\xef\xbf\xbd"        /* U+FFFD, for bytes that are not UTF-8 */
#define ZERO_WIDTH_SPACE "\xe2\x80\x8b"   /* U+200B */

/* Bold plus one of six colours, cycled by the unit's colour index. Yellow comes
 * last because it is the hardest to read on a light background. */
static const unsigned ansi_colours[] = { 31, 32, 34, 35, 36, 33 };

typedef struct writer {
    text_buf_t *b;
    srch_markup_t m;
    const srch_hl_unit_t *units;
    bool ok;                /* sticky: false once an append failed */
    size_t closed_at;       /* b->len just after the last closing mark, or SIZE_MAX */
} writer_t;

static void put(writer_t *w, const char *s, size_t len)
{
    if (w->ok && !text_buf_append(w->b, s, len))
        w->ok = false;
}

static void put_str(writer_t *w, const char *s)
{
    put(w, s, strlen(s));
}

static void open_mark(writer_t *w, unsigned unit)
{
    switch (w->m) {
    case SRCH_MARK_ANSI: {
        unsigned colour = w->units ? w->units[unit].color : unit;
        char seq[32];
        int n = snprintf(seq, sizeof seq, "\033[1;%um",
                         ansi_colours[colour % (sizeof ansi_colours / sizeof ansi_colours[0])]);
        put(w, seq, (size_t) n);
        break;
    }
    case SRCH_MARK_HTML:
        put_str(w, "<mark>");
        break;
    case SRCH_MARK_MARKDOWN:
        /* "**a****b**" is not two bold words to a Markdown reader; an invisible
         * separator keeps the two runs apart without changing the visible text. */
        if (w->closed_at == w->b->len)
            put_str(w, ZERO_WIDTH_SPACE);
        put_str(w, "**");
        break;
    case SRCH_MARK_PLAIN:
        put_str(w, "[");
        break;
    case SRCH_MARK_NONE:
        break;
    }
}

static void close_mark(writer_t *w)
{
    switch (w->m) {
    case SRCH_MARK_ANSI:
        put_str(w, "\033[0m");
        break;
    case SRCH_MARK_HTML:
        put_str(w, "</mark>");
        break;
    case SRCH_MARK_MARKDOWN:
        put_str(w, "**");
        break;
    case SRCH_MARK_PLAIN:
        put_str(w, "]");
        break;
    case SRCH_MARK_NONE:
        break;
    }
    if (w->ok)
        w->closed_at = w->b->len;
}

/* Write one character (its valid UTF-8 bytes s[0..len)), escaped for HTML,
 * or for Markdown: the passage's own "**", "[", "`"... are text there, and
 * would otherwise mix with the marks ("## **Greater **Leverage****"); its
 * "&amp;" would be read as "&". */
static void put_char(writer_t *w, const char *s, size_t len)
{
    if (w->m == SRCH_MARK_MARKDOWN && len == 1 && s[0] && strchr(SRCH_MARKDOWN_SPECIAL, s[0])) {
        put_str(w, "\\");
        put(w, s, 1);
        return;
    }
    if (w->m == SRCH_MARK_HTML && len == 1) {
        switch (s[0]) {
        case '&': put_str(w, "&amp;"); return;
        case '<': put_str(w, "&lt;"); return;
        case '>': put_str(w, "&gt;"); return;
        case '"': put_str(w, "&quot;"); return;
        case '\'': put_str(w, "&#39;"); return;
        default: break;
        }
    }
    put(w, s, len);
}

static bool is_space(uint32_t cp)
{
    return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0x2028
           || cp == 0x2029;
}

/* Characters never written: controls, which could drive a terminal, and the
 * bidi embeddings, overrides and isolates, which could reorder what is shown. */
static bool is_dropped(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e)
           || (cp >= 0x2066 && cp <= 0x2069);
}

/* Where the window that starts at start begins to be shown: after the escape
 * sequence it starts inside of, if any (the tokenizer may take the tail of
 * "\033[31mred" for a word). */
static size_t shown_start(const char *text, size_t len, size_t start)
{
    const unsigned char *u = (const unsigned char *) text;
    for (size_t p = 0; p < start;) {
        size_t n = u[p] == 0x1b || u[p] == 0xc2 ? text_escape_len(text + p, len - p) : 0;
        if (n == 0)
            p++;
        else if (p + n > start)
            return p + n;
        else
            p += n;
    }
    return start;
}

/* Where out[0..n), written for Markdown, opens with what Markdown reads as
 * a list item's marker at the start of a line ("- ", "+ ", "12. ", "3) "):
 * the offset of the marker's last byte (one of SRCH_MARKDOWN_MARKER_END),
 * which a backslash makes text; else SIZE_MAX. ("*", "#" and ">" are in
 * SRCH_MARKDOWN_SPECIAL, escaped wherever they are.) The output is read, not
 * the passage, which may hold characters between that are never shown. */
static size_t markdown_marker_at(const char *out, size_t n)
{
    size_t q = 0;
    if (n > 0 && (out[0] == '-' || out[0] == '+')) {
        q = 1;
    } else {
        while (q < n && q < 9 && out[q] >= '0' && out[q] <= '9')
            q++;
        if (q == 0 || q == n || (out[q] != '.' && out[q] != ')'))
            return SIZE_MAX;
        q++;
    }
    return q == n || out[q] == ' ' ? q - 1 : SIZE_MAX;
}

bool srch_snippet_render(text_buf_t *b, const char *text, size_t len, const srch_snippet_t *s,
                         const srch_hl_unit_t *units, srch_markup_t m)
{
    writer_t w = { b, m, units, true, SIZE_MAX };
    size_t start = s->start < len ? s->start : len;
    size_t end = s->end < len ? s->end : len;
    const unsigned char *u = (const unsigned char *) text;

    if (!text)
        start = end = 0;
    else
        start = shown_start(text, len, start);
    if (start > end)
        start = end;
    if (!text_buf_reserve(b, end > start ? end - start : 0))
        return false;
    if (s->cut_before)
        put_str(&w, ELLIPSIS);

    size_t next = 0;            /* next span to open */
    size_t hidden = 0;          /* next hidden range */
    bool open = false;
    size_t open_end = 0;
    bool wrote_text = false;    /* no space before the window's first character */
    bool pending_space = false;
    bool in_bad_run = false;    /* one U+FFFD per run of bad bytes */
    size_t first = b->len;      /* where the snippet's text starts in b */

    for (size_t p = start; p < end && w.ok;) {
        if (open && p >= open_end) {
            close_mark(&w);
            open = false;
        }
        while (hidden < s->n_hidden && s->hidden[hidden].end <= p)
            hidden++;
        /* Markup ("**", "](url)") is not shown; a character reference
         * ("&eacute;") is, as its character, when the window has it whole. */
        const srch_range_t *h = hidden < s->n_hidden ? &s->hidden[hidden] : NULL;
        if (h && h->start <= p && (h->shown == 0 || h->start < p)) {
            p = h->end;
            continue;
        }
        size_t esc = u[p] == 0x1b || u[p] == 0xc2 ? text_escape_len(text + p, end - p) : 0;
        if (esc) {
            p += esc; /* a span that starts inside opens on the next character shown */
            continue;
        }
        /* Spans that are empty, already passed or overlap the one before are
         * skipped rather than trusted: the output stays well formed. */
        while (!open && next < s->n_spans && s->spans[next].end <= p)
            next++;
        if (!open && next < s->n_spans && s->spans[next].start <= p) {
            if (pending_space && wrote_text)
                put_str(&w, " ");
            pending_space = false;
            open_mark(&w, s->spans[next].unit);
            open = true;
            open_end = s->spans[next].end;
            next++;
        }

        uint32_t cp = 0;
        const char *chr = text + p;
        char ref[4];
        size_t n, step;
        if (h && h->start == p) {
            cp = h->shown;
            chr = ref;
            n = text_utf8_encode(cp, ref);
            step = h->end - p;
        } else {
            n = u[p] < 0x80 ? (cp = u[p], 1) : text_utf8_decode(text + p, end - p, &cp);
            step = n;
        }
        if (n == 0) {
            if (!in_bad_run) {
                if (pending_space && wrote_text)
                    put_str(&w, " ");
                pending_space = false;
                put_str(&w, REPLACEMENT);
                wrote_text = true;
            }
            in_bad_run = true;
            p++;
            continue;
        }
        in_bad_run = false;
        if (is_space(cp)) {
            pending_space = true;
        } else if (!is_dropped(cp)) {
            if (pending_space && wrote_text)
                put_str(&w, " ");
            pending_space = false;
            put_char(&w, chr, n);
            wrote_text = true;
        }
        p += step;
    }
    if (open)
        close_mark(&w);
    size_t marker = m == SRCH_MARK_MARKDOWN && !s->cut_before && w.ok && b->len > first
                    ? markdown_marker_at(b->data + first, b->len - first) : SIZE_MAX;
    if (marker != SIZE_MAX && text_buf_putc(b, '\0')) {
        char *at = b->data + first + marker;
        memmove(at + 1, at, b->len - 1 - (first + marker));
        *at = '\\';
    } else if (marker != SIZE_MAX) {
        w.ok = false;
    }
    if (s->cut_after)
        put_str(&w, ELLIPSIS);
    return w.ok;
}

bool srch_text_render(text_buf_t *b, const char *text, size_t len, srch_markup_t m)
{
    srch_snippet_t whole = { .start = 0, .end = len };
    return srch_snippet_render(b, text, len, &whole, NULL, m);
}
