/*
 * snippet.h — choosing the best window of a passage and marking every match in it.
 *
 * The query side hands over what to highlight as a list of units (a word's stem,
 * a phrase's stems, a wildcard prefix), already analysed with text/. The snippet
 * builder re-tokenizes the stored passage with the same text/ analyzer, finds
 * where each unit matches, picks the window with the most and the rarest matches,
 * and returns spans (byte ranges into the passage). Rendering those spans with a
 * markup (ANSI colour, HTML, Markdown, plain brackets) is a separate step, so the
 * escaping rules of each output live in one place.
 */
#ifndef PASSIM_SNIPPET_H
#define PASSIM_SNIPPET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "text.h"

/* One thing to highlight: a positive word, phrase or prefix of the query.
 * Excluded words (-word, NOT) are never units. */
typedef enum {
    SRCH_HL_TERM,    /* a token whose stem equals stems[0] */
    SRCH_HL_PHRASE,  /* tokens at consecutive positions whose stems equal stems[0..n) */
    SRCH_HL_PREFIX   /* a token whose stem starts with stems[0] (or is in
                        allowed, when it lists some), or is one of
                        stems[1..n_stems): those of the words the prefix starts
                        that it does not start */
} srch_hl_kind_t;

/* A NEAR a unit is an item of. */
typedef struct srch_hl_near {
    unsigned id;               /* the NEAR's number, from 1, shared by its items */
    uint32_t window;           /* the span its items' matches fit in, in tokens */
    unsigned times;            /* how many of its items the unit is (1, or 2 for
                                  "Taliban NEAR/1 Taliban") */
} srch_hl_near_t;

typedef struct srch_hl_unit {
    srch_hl_kind_t kind;
    const char *const *stems;  /* n_stems NUL-terminated strings, borrowed */
    size_t n_stems;            /* 1 for TERM, 1 or more for PREFIX */
    unsigned color;            /* colour index: one per query word or phrase */
    double weight;             /* rarity, e.g. IDF: rarer units weigh more */
    const srch_hl_near_t *nears; /* the NEARs the unit is an item of (n_nears) */
    size_t n_nears;
    bool near_only;            /* those are its only places in the query: it then
                                  matches only within a stretch of one of them
                                  (its window) that holds a match of each of its
                                  items, as many as it has */
    const char *const *allowed; /* PREFIX, when n_allowed is not 0: only a token whose
                                  stem is one of these (sorted bytewise) matches, the
                                  expansions the search used */
    size_t n_allowed;
} srch_hl_unit_t;

/* Whether unit u takes a token whose stem is stem: a word's, a wildcard's
 * (as the snippet marks it), or one of a phrase's words. */
bool srch_hl_unit_takes(const srch_hl_unit_t *u, const char *stem);

/* A highlighted byte range of the passage. A phrase is one span from its first
 * token's start to its last token's end, and matches that share a token are
 * one span over all of them; `unit` is the longest one's (its colour). */
typedef struct srch_span {
    size_t start, end;
    unsigned unit;
} srch_span_t;

/* A byte range of the passage, and the character shown in its place (0:
 * none; see text_markup_fn). */
typedef struct srch_range {
    size_t start, end;
    uint32_t shown;
} srch_range_t;

/* The chosen window and the matches inside it. */
typedef struct srch_snippet {
    size_t start, end;        /* byte range of the window in the passage */
    bool cut_before;          /* text precedes the window (render a leading "…") */
    bool cut_after;           /* text follows it (render a trailing "…") */
    srch_span_t *spans;       /* sorted, non-overlapping, inside [start, end) */
    size_t n_spans;
    size_t n_matches_total;   /* the spans shown, and those the whole passage
                                 would have outside the window */
    bool *unit_found;         /* for each unit given: whether it matches somewhere
                                 in the passage (NULL when no unit was given) */
    srch_range_t *hidden;     /* Markdown's markup in the passage, not shown
                                 (text_markup_ranges()), and its character
                                 references, shown as their characters: no
                                 word is in the first, one may be in the
                                 second ("caf&eacute;"); sorted */
    size_t n_hidden;
} srch_snippet_t;

/*
 * Build the snippet of passage text[0..len) for the given units: a window of
 * about context_words tokens (the whole passage if it is that short), cut at
 * token boundaries, chosen to maximise the summed weight of the distinct units
 * it holds (a unit counted again adds a little), ties broken by the earliest
 * window. context_words 0 means the whole passage. Spans cover every match in
 * the window. Returns false only if memory ran out. Free with srch_snippet_free().
 */
bool srch_snippet_build(srch_snippet_t *out, text_analyzer_t *a, const char *text,
                        size_t len, const srch_hl_unit_t *units, size_t n_units,
                        unsigned context_words);

/* The same for a passage that starts inside the code block open (its
 * record's fence): its words are read as the indexer read them. */
bool srch_snippet_build_in(srch_snippet_t *out, text_analyzer_t *a, const char *text,
                           size_t len, const text_open_fence_t *open,
                           const srch_hl_unit_t *units, size_t n_units, unsigned context_words);

void srch_snippet_free(srch_snippet_t *s);

/* How matches are marked. */
typedef enum {
    SRCH_MARK_ANSI,      /* bold + a colour per unit colour; control characters dropped */
    SRCH_MARK_HTML,      /* <mark>..</mark>, text HTML-escaped */
    SRCH_MARK_MARKDOWN,  /* **..** */
    SRCH_MARK_PLAIN,     /* [..] */
    SRCH_MARK_NONE       /* no marks */
} srch_markup_t;

/* The characters of a passage that SRCH_MARK_MARKDOWN backslash-escapes: its
 * own markup, which would otherwise mix with the marks, and '&' (entities). */
#define SRCH_MARKDOWN_SPECIAL "\\`*_[]<>#|~&"
/* The characters that end a list item's marker ("- ", "+ ", "12. ", "3) "),
 * backslash-escaped where a snippet opens with one. */
#define SRCH_MARKDOWN_MARKER_END "-+.)"

/*
 * Append the rendering of snippet s of text to b with markup m: the window's
 * text but for its hidden ranges, "…" where it was cut, each span marked. Every markup drops terminal
 * escape sequences whole (text_escape_len()) and control characters (tabs and
 * newlines become spaces, runs of white space one space) and never emits
 * invalid UTF-8; HTML also escapes & < > " and '. A window that starts inside
 * an escape sequence starts after it. Returns false only if memory ran out.
 */
bool srch_snippet_render(text_buf_t *b, const char *text, size_t len, const srch_snippet_t *s,
                         const srch_hl_unit_t *units, srch_markup_t m);

/* Append all of text[0..len) as srch_snippet_render() writes a window, with no
 * marks: the same sanitizing, and markup m's escaping (a title or a path shown
 * beside an HTML or Markdown snippet). Returns false only if memory ran out. */
bool srch_text_render(text_buf_t *b, const char *text, size_t len, srch_markup_t m);

#endif /* PASSIM_SNIPPET_H */
