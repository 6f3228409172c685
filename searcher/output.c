/*
 * output.c — printing results as text, JSON or vimgrep lines.
 *
 * Everything a document supplies (titles, paths, headings, passage text) is
 * untrusted: it may hold terminal escapes, control characters or invalid UTF-8.
 * Text output passes it through text_safe_append() (text.h), which drops escape sequences
 * whole; JSON through srch_json_string(), which escapes control characters and
 * keeps the text as stored; snippets come already cleaned by their renderer.
 * Output is built in a buffer and written by the caller in one go, so batch
 * threads can format in parallel and print in order. TREC run lines are
 * trec.c's.
 */
#include <stdio.h>
#include <string.h>

#include "output.h"

/* Whether the character s[0..n) (valid UTF-8, not ASCII) is written as a
 * \u escape: the C1 controls (U+0080..U+009F: U+009B starts a terminal
 * command as ESC [ does), the line and paragraph separators, which
 * JavaScript reads as line ends, and the bidi controls (embeddings,
 * overrides, isolates and marks), which could make a terminal show what
 * follows in another order.
 * JSON reads them back as the same characters. */
static bool json_escaped(const char *s, size_t n, uint32_t *cp)
{
    if (text_utf8_decode(s, n, cp) != n)
        return false;
    return *cp <= 0x9F || *cp == 0x2028 || *cp == 0x2029 || (*cp >= 0x202A && *cp <= 0x202E)
           || (*cp >= 0x2066 && *cp <= 0x2069) || *cp == 0x200E || *cp == 0x200F
           || *cp == 0x061C;
}

bool srch_json_string(text_buf_t *b, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t cp;
    bool ok = text_buf_putc(b, '"');
    for (size_t i = 0; i < len && ok;) {
        /* The common case, a run of printable ASCII, goes in with one copy. */
        size_t run = i;
        while (run < len && u[run] >= 0x20 && u[run] < 0x7F && u[run] != '"' && u[run] != '\\')
            run++;
        if (run > i) {
            ok = text_buf_append(b, s + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = u[i];
        if (c < 0x80) {
            switch (c) {
            case '"': ok = text_buf_puts(b, "\\\""); break;
            case '\\': ok = text_buf_puts(b, "\\\\"); break;
            case '\n': ok = text_buf_puts(b, "\\n"); break;
            case '\r': ok = text_buf_puts(b, "\\r"); break;
            case '\t': ok = text_buf_puts(b, "\\t"); break;
            default:
                if (c < 0x20 || c == 0x7F)
                    ok = text_buf_printf(b, "\\u%04x", c);
                else
                    ok = text_buf_putc(b, (char)c);
            }
            i++;
            continue;
        }
        size_t n = text_utf8_char_len(s + i, len - i);
        if (n == 0) {
            ok = text_buf_puts(b, "\xEF\xBF\xBD"); /* U+FFFD */
            i++;
        } else if (json_escaped(s + i, n, &cp)) {
            ok = text_buf_printf(b, "\\u%04x", (unsigned)cp);
            i += n;
        } else {
            ok = text_buf_append(b, s + i, n);
            i += n;
        }
    }
    return ok && text_buf_putc(b, '"');
}


void srch_hit_position(const srch_hit_t *h, uint32_t *line, uint32_t *column)
{
    size_t at = h->snippet.n_spans ? h->snippet.spans[0].start : h->snippet.start;
    uint32_t l = h->rec.first_line ? h->rec.first_line : 1;
    size_t line_start = 0;
    for (size_t i = 0; i < at && i < h->rec.text_len; i++)
        if (h->rec.text[i] == '\n') {
            l++;
            line_start = i + 1;
        }
    *line = l;
    /* The passage may start after an indent or in mid-line (a cut long
     * paragraph): on its first line, count from where it starts. Records of
     * older indexes do not say; the column is then the passage's own. */
    uint32_t first = line_start == 0 && h->rec.first_column ? h->rec.first_column : 1;
    *column = (uint32_t)(at - line_start + first);
}

/* A title, path or heading beside a snippet: escaped as the snippet is when
 * that is HTML or Markdown, else only cleaned of escapes and controls. */
static bool put_field(text_buf_t *b, const srch_print_opts_t *o, const char *s, size_t len)
{
    if (o->markup == SRCH_MARK_HTML || o->markup == SRCH_MARK_MARKDOWN)
        return srch_text_render(b, s, len, o->markup);
    return text_safe_append(b, s, len, true);
}

static bool print_text(text_buf_t *b, const srch_print_opts_t *o, const srch_hit_t *h)
{
    const char *bold = o->color ? "\033[1m" : "", *path_c = o->color ? "\033[35m" : "",
               *line_c = o->color ? "\033[32m" : "", *dim = o->color ? "\033[2m" : "",
               *reset = o->color ? "\033[0m" : "";
    bool ok = text_buf_printf(b, "%s%u. ", bold, h->rank);
    ok = ok && put_field(b, o, h->rec.title, h->rec.title_len);
    ok = ok && text_buf_printf(b, "%s %s(%.3f)%s\n   %s", reset, dim, h->score, reset, path_c);
    ok = ok && put_field(b, o, h->rec.path, h->rec.path_len);
    ok = ok && text_buf_printf(b, "%s:%s%u-%u%s", reset, line_c, h->rec.first_line,
                               h->rec.last_line, reset);
    bool heading_is_title = h->rec.heading_len == h->rec.title_len
                            && memcmp(h->rec.heading, h->rec.title, h->rec.title_len) == 0;
    if (ok && h->rec.heading_len && !heading_is_title) {
        ok = text_buf_puts(b, " \xC2\xA7 "); /* § */
        ok = ok && put_field(b, o, h->rec.heading, h->rec.heading_len);
    }
    ok = ok && text_buf_puts(b, "\n   ");
    ok = ok && srch_snippet_render(b, h->rec.text, h->rec.text_len, &h->snippet, o->units, o->markup);
    ok = ok && text_buf_putc(b, '\n');
    if (ok && h->explain.len) {
        ok = text_safe_append(b, h->explain.data, h->explain.len, false);
    }
    return ok && text_buf_putc(b, '\n');
}

static bool print_vimgrep(text_buf_t *b, const srch_print_opts_t *o, const srch_hit_t *h)
{
    uint32_t line, col;
    srch_hit_position(h, &line, &col);
    bool ok = text_safe_append(b, h->rec.path, h->rec.path_len, true);
    ok = ok && text_buf_printf(b, ":%u:%u:", line, col);
    ok = ok && srch_snippet_render(b, h->rec.text, h->rec.text_len, &h->snippet, o->units, o->markup);
    return ok && text_buf_putc(b, '\n');
}

static bool print_json_hit(text_buf_t *b, const srch_print_opts_t *o, const srch_hit_t *h)
{
    text_buf_t snip = TEXT_BUF_INIT;
    bool ok = text_buf_printf(b, "{\"rank\": %u, \"score\": %.6f, \"docid\": ", h->rank, h->score);
    ok = ok && srch_json_string(b, h->rec.docid, h->rec.docid_len);
    ok = ok && text_buf_puts(b, ", \"path\": ");
    ok = ok && srch_json_string(b, h->rec.path, h->rec.path_len);
    ok = ok && text_buf_puts(b, ", \"title\": ");
    ok = ok && srch_json_string(b, h->rec.title, h->rec.title_len);
    ok = ok && text_buf_puts(b, ", \"heading\": ");
    ok = ok && srch_json_string(b, h->rec.heading, h->rec.heading_len);
    ok = ok && text_buf_printf(b, ", \"passage\": %u, \"lines\": [%u, %u], \"text\": ",
                               h->rec.ordinal, h->rec.first_line, h->rec.last_line);
    ok = ok && srch_json_string(b, h->rec.text, h->rec.text_len);
    ok = ok && srch_snippet_render(&snip, h->rec.text, h->rec.text_len, &h->snippet, o->units,
                                   o->markup);
    ok = ok && text_buf_puts(b, ", \"snippet\": ");
    ok = ok && srch_json_string(b, snip.data ? snip.data : "", snip.len);
    if (ok && h->explain.len) {
        /* Written to stand indented under a text result: in JSON, its lines
         * without the indent and the last line break. */
        text_buf_t lines = TEXT_BUF_INIT;
        const char *s = h->explain.data, *end = s + h->explain.len;
        while (ok && s < end) {
            const char *nl = memchr(s, '\n', (size_t)(end - s));
            const char *eol = nl ? nl : end;
            while (s < eol && *s == ' ')
                s++;
            if (lines.len)
                ok = text_buf_putc(&lines, '\n');
            ok = ok && text_buf_append(&lines, s, (size_t)(eol - s));
            s = nl ? nl + 1 : end;
        }
        ok = ok && text_buf_puts(b, ", \"explain\": ");
        ok = ok && srch_json_string(b, lines.data ? lines.data : "", lines.len);
        text_buf_free(&lines);
    }
    text_buf_free(&snip);
    return ok && text_buf_putc(b, '}');
}

bool srch_print_hits(text_buf_t *b, const srch_print_opts_t *o, const char *qid,
                     const char *query, uint32_t total, const srch_hit_t *hits, size_t n_hits)
{
    bool ok = true;
    switch (o->format) {
    case SRCH_FMT_JSON:
        ok = text_buf_putc(b, '{');
        if (ok && qid) {
            ok = text_buf_puts(b, "\"qid\": ");
            ok = ok && srch_json_string(b, qid, strlen(qid));
            ok = ok && text_buf_puts(b, ", ");
        }
        ok = ok && text_buf_puts(b, "\"query\": ");
        ok = ok && srch_json_string(b, query, strlen(query));
        ok = ok && text_buf_printf(b, ", \"total\": %u, ", total);
        if (ok && o->some_words)
            ok = text_buf_puts(b, "\"some_words\": true, ");
        if (ok && o->explain) {
            ok = text_buf_puts(b, "\"explain\": ");
            ok = ok && srch_json_string(b, o->explain, o->explain_len);
            ok = ok && text_buf_puts(b, ", ");
        }
        ok = ok && text_buf_puts(b, "\"results\": [");
        for (size_t i = 0; i < n_hits && ok; i++) {
            if (i)
                ok = text_buf_puts(b, ", ");
            ok = ok && print_json_hit(b, o, &hits[i]);
        }
        return ok && text_buf_puts(b, "]}\n");
    case SRCH_FMT_VIMGREP:
        for (size_t i = 0; i < n_hits && ok; i++)
            ok = print_vimgrep(b, o, &hits[i]);
        return ok;
    case SRCH_FMT_TREC:
        /* TREC lines need the run's ordering and ids: srch_trec_print(). */
        return true;
    case SRCH_FMT_TEXT:
    default:
        if (qid) {
            ok = text_buf_printf(b, "%s== query %s: ", o->color ? "\033[1m" : "", qid);
            ok = ok && text_safe_append(b, query, strlen(query), true);
            /* The matching passages, at most --per-doc of each article (one:
             * articles), as Xapian counts or estimates them: not a count of
             * the hits listed. */
            const char *unit = o->articles ? "article" : "passage";
            const char *about = o->total_exact ? "" : "about ";
            if (ok && o->some_words)
                ok = text_buf_printf(b, " (no %s has all the words; %s%u %s some)", unit, about,
                                     total, total == 1 ? "has" : "have");
            else
                ok = ok && (total == 0   ? text_buf_printf(b, " (no %s matches)", unit)
                            : total == 1 ? text_buf_printf(b, " (%s1 %s matches)", about, unit)
                                         : text_buf_printf(b, " (%s%u %ss match)", about, total,
                                                           unit));
            ok = ok && text_buf_printf(b, "%s\n", o->color ? "\033[0m" : "");
        }
        if (ok && o->explain)
            ok = text_safe_append(b, o->explain, o->explain_len, false);
        for (size_t i = 0; i < n_hits && ok; i++)
            ok = print_text(b, o, &hits[i]);
        return ok;
    }
}
