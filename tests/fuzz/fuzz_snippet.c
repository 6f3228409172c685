/*
 * fuzz_snippet.c — fuzz harness of the snippet builder and its renderer
 * (searcher/snippet.c, searcher/render.c).
 *
 * The input is a query and a passage: its first line is the query and the
 * rest the passage (without a newline, the whole input is both, so matches
 * are certain). The query is parsed (OR mode, english, stopwords dropped) and
 * its highlight units made without a database, their weights taken from a
 * table of odd values (zero, negative, NaN, huge); a query that does not
 * parse leaves no unit, which must still give a snippet. Snippets are built
 * for a few window sizes and rendered in every markup. The snippet must lie
 * inside the passage with sorted, disjoint spans inside it; the rendering
 * must be valid UTF-8 in which no control character, C1 control or bidi
 * override survives, the only escape sequences being the ANSI marks'; HTML
 * must have no markup but its <mark> tags and no bare "&".
 */
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "query.h"

/* One analyzer for the whole run, kept between inputs. */
static text_analyzer_t *analyzer;

static text_analyzer_t *english(void)
{
    return fuzz_english(&analyzer);
}

static void check_snippet(const srch_snippet_t *sn, size_t len, size_t n_units)
{
    FUZZ_CHECK(sn->start <= sn->end && sn->end <= len, "window [%zu, %zu) of %zu bytes",
               sn->start, sn->end, len);
    FUZZ_CHECK(sn->n_spans <= sn->n_matches_total, "%zu spans of %zu matches", sn->n_spans,
               sn->n_matches_total);
    for (size_t i = 0; i < sn->n_spans; i++) {
        const srch_span_t *sp = &sn->spans[i];
        FUZZ_CHECK(sp->start < sp->end, "empty span %zu", i);
        FUZZ_CHECK(sp->start >= sn->start && sp->end <= sn->end,
                   "span [%zu, %zu) outside the window [%zu, %zu)", sp->start, sp->end,
                   sn->start, sn->end);
        FUZZ_CHECK(i == 0 || sp->start >= sn->spans[i - 1].end, "span %zu overlaps", i);
        FUZZ_CHECK(sp->unit < n_units, "span of unit %u, %zu units", sp->unit, n_units);
    }
}

/* The ANSI marks render.c writes: "\033[1;3Nm" to open, "\033[0m" to close. */
static size_t ansi_mark_len(const char *s, size_t n)
{
    if (n >= 4 && memcmp(s, "\033[0m", 4) == 0)
        return 4;
    if (n >= 7 && memcmp(s, "\033[1;3", 5) == 0 && s[5] >= '1' && s[5] <= '6' && s[6] == 'm')
        return 7;
    return 0;
}

static void check_rendering(const text_buf_t *b, srch_markup_t m)
{
    const char *s = b->data ? b->data : "";
    size_t n = b->len;
    if (m == SRCH_MARK_MARKDOWN) {
        /* No list item's marker opens it: "- ", "+ ", "12. ", "3) " */
        size_t d = strspn(s, "0123456789");
        bool marker = (n >= 1 && (s[0] == '-' || s[0] == '+') && (n == 1 || s[1] == ' '))
                      || (d > 0 && d <= 9 && d < n && (s[d] == '.' || s[d] == ')')
                          && (d + 1 == n || s[d + 1] == ' '));
        FUZZ_CHECK(!marker, "markdown: opens with a list marker");
    }
    FUZZ_CHECK(text_utf8_valid_len(s, n) == n, "markup %d: invalid UTF-8 at %zu", (int)m,
               text_utf8_valid_len(s, n));
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (u[i] == 0x1B) {
            size_t k = m == SRCH_MARK_ANSI ? ansi_mark_len(s + i, n - i) : 0;
            FUZZ_CHECK(k > 0, "markup %d: ESC at %zu not one of the marks", (int)m, i);
            i += k;
            continue;
        }
        size_t cl = u[i] < 0x80 ? 1 : u[i] >= 0xF0 ? 4 : u[i] >= 0xE0 ? 3 : 2;
        uint32_t cp = fuzz_code_point(u + i, cl);
        FUZZ_CHECK(!fuzz_is_hostile(cp), "markup %d: U+%04X at %zu", (int)m, (unsigned)cp, i);
        if (m == SRCH_MARK_HTML && (cp == '<' || cp == '>')) {
            size_t k = n - i >= 6 && memcmp(s + i, "<mark>", 6) == 0    ? 6
                       : n - i >= 7 && memcmp(s + i, "</mark>", 7) == 0 ? 7
                                                                        : 0;
            FUZZ_CHECK(k > 0, "html: bare '%c' at %zu", (int)cp, i);
            i += k;
            continue;
        }
        if (m == SRCH_MARK_MARKDOWN && cp < 0x80 && strchr(SRCH_MARKDOWN_SPECIAL, (int)cp)) {
            /* The text's markup characters come escaped; the only bare ones
             * are the marks, "**". */
            bool escaped = cp == '\\' && i + 1 < n && s[i + 1]
                           && (strchr(SRCH_MARKDOWN_SPECIAL, s[i + 1])
                               || strchr(SRCH_MARKDOWN_MARKER_END, s[i + 1]));
            bool mark = cp == '*' && i + 1 < n && s[i + 1] == '*';
            FUZZ_CHECK(escaped || mark, "markdown: bare '%c' at %zu", (int)cp, i);
            i += 2;
            continue;
        }
        if (m == SRCH_MARK_HTML && cp == '&') {
            static const char *const entities[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&#39;" };
            bool known = false;
            for (size_t e = 0; e < 5 && !known; e++)
                known = strncmp(s + i, entities[e], strlen(entities[e])) == 0;
            FUZZ_CHECK(known, "html: bare '&' at %zu", i);
        }
        i += cl;
    }
}

int passim_fuzz_snippet(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    text_analyzer_t *a = english();
    const char *nl = memchr(s, '\n', size);
    size_t qlen = nl ? (size_t)(nl - s) : size;
    const char *text = nl ? nl + 1 : s;
    size_t len = nl ? size - qlen - 1 : size;

    srch_query_t *q = NULL;
    srch_hl_unit_t *units = NULL;
    size_t n_units = 0;
    static const srch_parse_opts_t or_mode = { SRCH_PARSE_OPTS_VERSION, SRCH_DEFAULT_OR, true,
                                               true };
    if (srch_query_parse(&q, s, qlen, a, &or_mode, NULL) == SRCH_QUERY_OK)
        FUZZ_CHECK(srch_query_units(q, NULL, 0, &units, &n_units) == XS_OK, "units failed");
    static const double weights[] = { 1.0, 0.0, -2.5, NAN, 1e300, 3.25, INFINITY };
    for (size_t k = 0; k < n_units; k++)
        units[k].weight = weights[(k + len) % (sizeof weights / sizeof weights[0])];

    static const unsigned contexts[] = { 30, 0, 1, 4 };
    static const srch_markup_t markups[] = { SRCH_MARK_ANSI, SRCH_MARK_HTML, SRCH_MARK_MARKDOWN,
                                             SRCH_MARK_PLAIN, SRCH_MARK_NONE };
    for (size_t c = 0; c < sizeof contexts / sizeof contexts[0]; c++) {
        srch_snippet_t sn;
        FUZZ_CHECK(srch_snippet_build(&sn, a, text, len, units, n_units, contexts[c]),
                   "snippet build failed");
        check_snippet(&sn, len, n_units);
        for (size_t m = 0; m < sizeof markups / sizeof markups[0]; m++) {
            text_buf_t b = TEXT_BUF_INIT;
            FUZZ_CHECK(srch_snippet_render(&b, text, len, &sn, units, markups[m]),
                       "render failed");
            check_rendering(&b, markups[m]);
            text_buf_free(&b);
        }
        srch_snippet_free(&sn);
    }
    srch_query_units_free(units);
    srch_query_free(q);
    return 0;
}

void passim_fuzz_snippet_free(void)
{
    fuzz_english_free(&analyzer);
}

PASSIM_FUZZ_ENTRY(passim_fuzz_snippet)
