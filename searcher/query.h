/*
 * query.h — the query language of passim-search: parsing a query string into a
 * tree, describing that tree, turning it into a Xapian query (through the shim),
 * and listing what the snippet builder should highlight.
 *
 * Words are cut, folded and stemmed by text/ only (text_analyze()), exactly as
 * the indexer did; the parser itself only finds operators, quotes, parentheses
 * and the byte ranges of word chunks. The shim is used only by the builder and by
 * srch_query_units() (document frequencies).
 *
 * The language, loosest binding first:
 *
 *   query    := or_expr
 *   or_expr  := and_expr ( "OR" and_expr )*
 *   and_expr := not_expr ( ["AND"] not_expr )*    adjacency = the default operator
 *   not_expr := unary ( "NOT" unary )*            a NOT b = a AND_NOT b
 *   unary    := ( "+" | "-" | "NOT" ) near_expr | near_expr
 *   near_expr:= primary ( "NEAR" | "NEAR/n" primary )*
 *   primary  := [ "title:" ] ( word | word* | "phrase" | "(" or_expr ")" )
 *
 * - A word chunk is a run of bytes up to white space, a parenthesis or a quote.
 *   text/ cuts it into tokens: one token is a TERM (its stem); several tokens
 *   ("thermo-aeroelastic", "U.S.-backed", "foo/bar") are a PHRASE; none ("!!!",
 *   a lone "-") is punctuation and ignored.
 * - "a phrase" (straight quotes or “curly” ones): the stems at consecutive
 *   positions; stopwords are kept. One word in quotes is that TERM.
 * - word*: every stem starting with the folded word (at least 2 characters). If
 *   the chunk has several tokens ("foo-ba*"), the wildcard applies to the last
 *   one and the others are ANDed with it (Xapian 1.4 has no wildcard in phrases).
 * - +item / -item: the sign must start a chunk (start of the query, after white
 *   space or "(") and touch the item; "-" elsewhere is a hyphen or punctuation.
 *   NOT in front of an item (at the start, after AND/OR/"(") is the same as "-".
 *   Excluded items of a run of items become one AND_NOT on the run: with default
 *   AND, "a b -c" is (AND_NOT (AND a b) c). With default OR, the items of a run
 *   (explicit AND groups count as one item) combine as
 *   (required AND ...) AND_MAYBE (optional OR ...) AND_NOT (excluded OR ...).
 * - AND, OR, NOT, NEAR are operators in upper case only; "and", "or" are words.
 *   Precedence, tightest first: NEAR, NOT, AND (explicit or implicit), OR. In OR
 *   mode an explicit AND binds tighter than adjacency: "a b AND c" is
 *   (OR a (AND b c)).
 * - a NEAR/n b: the items (words or phrases) within n words of each other, any
 *   order; NEAR alone is NEAR/10; n is 0..1000. A chain a NEAR/3 b NEAR/5 c is
 *   one NEAR of all items with the largest n. Xapian's window is a span of
 *   positions, so the window passed on is n + the number of words in all items.
 *   Xapian 1.4 accepts only terms inside NEAR: a phrase item is matched by
 *   putting its words in the NEAR and requiring the phrase too (FILTER), which
 *   is exact for words and close for phrases.
 * - title:item puts every leaf of the item under the title prefix
 *   (PASSIM_PREFIX_TITLE of text/terms.h).
 * - Stopwords (when the analyzer has a list and opts->drop_stopwords is set) are
 *   dropped only as bare words in positive places, in the text or under
 *   title: alike: not in phrases or NEAR, not signed (+the), not excluded
 *   (NOT the, -(the OR a)), and not if the query has no other positive word
 *   ("the who" and "title:(the who)" keep both).
 *
 * Ownership: srch_query_t owns its tree and every string in it; nodes are
 * read-only to callers and live until srch_query_free().
 */
#ifndef PASSIM_QUERY_H
#define PASSIM_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "snippet.h"
#include "text.h"
#include "xapian_shim.h"

/* Longest query accepted, in bytes. */
#define SRCH_QUERY_MAX 65536
/* Deepest nesting of parentheses accepted. */
#define SRCH_QUERY_MAX_DEPTH 100
/* Largest n of NEAR/n, and the n of a bare NEAR. */
#define SRCH_NEAR_MAX 1000
#define SRCH_NEAR_DEFAULT 10

typedef enum {
    SRCH_NODE_TERM,       /* one stem */
    SRCH_NODE_PHRASE,     /* kids: TERMs at consecutive positions */
    SRCH_NODE_NEAR,       /* kids: TERMs and PHRASEs within a window */
    SRCH_NODE_PREFIX,     /* every stem starting with word */
    SRCH_NODE_AND,        /* kids: 2 or more, all match */
    SRCH_NODE_OR,         /* kids: 2 or more, any matches */
    SRCH_NODE_AND_MAYBE,  /* kids[0] matches, kids[1] only adds weight */
    SRCH_NODE_AND_NOT     /* kids[0] matches and kids[1] does not */
} srch_node_kind_t;

typedef enum {
    SRCH_FIELD_BODY,      /* passage text: unprefixed terms */
    SRCH_FIELD_TITLE      /* article title: PASSIM_PREFIX_TITLE terms */
} srch_field_t;

/* TERM flags, and PHRASE's. */
enum {
    SRCH_TERM_STOPWORD = 1u << 0,  /* the analyzer calls the word a stopword */
    SRCH_TERM_ACRONYM = 1u << 1,   /* a dotted acronym ("U.S.") */
    SRCH_TERM_BARE = 1u << 2,      /* a plain word: the only kind of stopword dropped */
    SRCH_PHRASE_JOINED = 1u << 3,  /* PHRASE: words joined by punctuation, not quoted */
    SRCH_TERM_QUOTED = 1u << 4,    /* a word in quotes alone: a phrase of one */
    SRCH_PHRASE_ALSO = 1u << 5,    /* PHRASE: a joined word's, beside its parts
                                      (srch_parse_opts_t's joined_phrase_too) */
    SRCH_TERM_SOLID = 1u << 6,     /* a two-part hyphenated word typed solid
                                      ("co-founder": cofounder), beside its parts */
    SRCH_OR_SOLID = 1u << 7,       /* OR: a phrase with hyphenated words, then the
                                      same with them typed solid */
    SRCH_OR_PARTS = 1u << 8,       /* OR: a hyphenated word's parts as a bag of words
                                      (any-word queries), each a TERM, then perhaps
                                      their phrase and the word typed solid */
    SRCH_TERM_IDEO = 1u << 9,      /* an ideograph or hiragana (TEXT_TOK_IDEO): a
                                      word by itself, which the words beside it
                                      touch */
    SRCH_TERM_IDEO_TOUCHING = 1u << 10 /* one that touches the one before it
                                      (TEXT_TOK_IDEO_TOUCHING): typed as one word */
};

typedef struct srch_node srch_node_t;

struct srch_node {
    srch_node_kind_t kind;
    srch_field_t field;     /* TERM, PREFIX */
    unsigned flags;         /* TERM: SRCH_TERM_*; PHRASE: SRCH_PHRASE_*; OR: SRCH_OR_* */
    const char *text;       /* TERM, PREFIX: the word as typed (a copy) */
    const char *word;       /* TERM: folded word; PREFIX: folded prefix */
    const char *stem;       /* TERM: its stem; PREFIX: the folded prefix */
    const char *also;       /* PREFIX: n_also NUL-terminated stems, one after the
                               other, searched too: those of the words the prefix
                               starts whose stems it does not start
                               ("change*": chang, the stem of change and changes;
                               "organizatio*": organ); else NULL */
    size_t n_also;
    size_t column;          /* 1-based column of the item in the query */
    uint32_t distance;      /* NEAR: n as typed */
    uint32_t window;        /* NEAR: Xapian's window, n + number of words */
    srch_node_t **kids;     /* see srch_node_kind_t */
    size_t n_kids;
};

typedef struct srch_query srch_query_t;

typedef enum {
    SRCH_DEFAULT_AND,       /* adjacent items must all match ("all words") */
    SRCH_DEFAULT_OR         /* any may match, ranked by BM25 ("any word") */
} srch_default_op_t;

typedef struct srch_parse_opts {
    unsigned version;              /* SRCH_PARSE_OPTS_VERSION */
    srch_default_op_t default_op;
    bool drop_stopwords;           /* drop bare stopwords (see the top of this file) */
    bool joined_phrase_too;        /* SRCH_DEFAULT_OR: a word joined by punctuation
                                      ("U.S.-backed") counts as its parts OR their
                                      phrase, which a passage that has it adds to
                                      (else as its parts alone) */
} srch_parse_opts_t;

#define SRCH_PARSE_OPTS_VERSION 1
#define SRCH_PARSE_OPTS_INIT { SRCH_PARSE_OPTS_VERSION, SRCH_DEFAULT_AND, true, false }

typedef enum {
    SRCH_QUERY_OK = 0,
    SRCH_QUERY_ERR_SYNTAX,   /* the query is not valid: see the srch_error_t */
    SRCH_QUERY_ERR_NOMEM,    /* out of memory */
    SRCH_QUERY_ERR_INVALID   /* bad argument (NULL pointer, unknown opts version) */
} srch_query_status_t;

/* Why a query was refused. column is 1-based and counts characters (of
 * "café \"x", the quote is at 6), and the message, one line, already says
 * "at column N" when a position helps. (The columns of query nodes and
 * words, srch_node_t.column and srch_word_t.column, count bytes.) */
typedef struct srch_error {
    char message[160];
    size_t column;
} srch_error_t;

/* Whether s[0..len) would be read as an operator (AND, OR, NOT, NEAR, NEAR/n),
 * not as a word. */
bool srch_query_is_operator(const char *s, size_t len);

/*
 * Parse q[0..len) (need not be NUL-terminated) into a query tree.
 *   out   receives the query (NULL on failure); free it with srch_query_free().
 *   a     the analyzer the index was built with (its stopword list decides which
 *         words are stopwords); used only during the call.
 *   opts  NULL for SRCH_PARSE_OPTS_INIT.
 *   err   may be NULL; filled on every failure.
 * Returns SRCH_QUERY_OK; SRCH_QUERY_ERR_SYNTAX with one of these messages:
 *   "unbalanced quote at column N"             (N: the opening quote)
 *   "unclosed parenthesis at column N"         (N: its "(")
 *   "unmatched ) at column N", "empty parentheses at column N"
 *   "missing operand for AND|OR|NOT|NEAR at column N"   (N: the operator)
 *   "bad NEAR distance at column N", "NEAR distance over 1000 at column N"
 *   "NEAR needs words or phrases at column N"  (a group or wildcard in a NEAR)
 *   "NEAR between title: and other words at column N: ..."
 *   "a wildcard can only end a word (prefix*) at column N"   ("negotiat*ion")
 *   "a wildcard inside a phrase at column N: ...",
 *   "more than one sign before a word at column N: ...",
 *   "a sign after title: at column N: ..."
 *   "nothing after title: at column N"
 *   "wildcard prefix too short at column N"    (under 2 characters once folded)
 *   "nesting deeper than 100 parentheses at column N"
 *   "only excluded terms at column N"          (an OR operand or -group that
 *                                                excludes without including)
 *   "query has only excluded terms", "empty query" (blank),
 *   "no word to search for: ..." (punctuation, symbols, over-long words),
 *   "query longer than 65536 bytes";
 * SRCH_QUERY_ERR_NOMEM; SRCH_QUERY_ERR_INVALID (NULL out, NULL a, NULL q with
 * len > 0, unknown opts version). Invalid UTF-8 and control characters are
 * separators, never errors.
 */
srch_query_status_t srch_query_parse(srch_query_t **out, const char *q, size_t len,
                                     text_analyzer_t *a, const srch_parse_opts_t *opts,
                                     srch_error_t *err);

/* Free a query; NULL allowed. Everything borrowed from it dies with it. */
void srch_query_free(srch_query_t *q);

/* The root of the tree (never NULL for a parsed query); borrowed from q. */
const srch_node_t *srch_query_root(const srch_query_t *q);

/* The stopwords left out of q (opts->drop_stopwords), in query order, into
 * *out (borrowed from q); returns how many. */
size_t srch_query_dropped(const srch_query_t *q, const srch_node_t *const **out);

/* Make the wildcard node n of q match the stems that start with the first len
 * bytes of its prefix (len at most its length, on a character boundary).
 * False if memory ran out. */
bool srch_query_cut_prefix(srch_query_t *q, const srch_node_t *n, size_t len);

/* Make the wildcard n of q also match the n_stems NUL-terminated stems one
 * after the other in stems[0..len): those of words it starts whose stems it
 * does not start ("change*" also finds change, stem chang). False if memory
 * ran out. */
bool srch_query_prefix_also(srch_query_t *q, const srch_node_t *n, const char *stems,
                            size_t len, size_t n_stems);

/* How the query read a character that may have been meant as a wildcard (a
 * '*' before a word, a '?' inside one), to tell the user; NULL if none. */
const char *srch_query_note(const srch_query_t *q);

/* A static name of a status. */
const char *srch_query_status_str(srch_query_status_t st);

/*
 * Append to b a canonical one-line S-expression of q, for tests and --explain:
 * a term is its stem, "title:" in front for the title field; the rest is
 * (PHRASE s...), (NEAR/n items...), (PREFIX p), (AND ...), (OR ...),
 * (AND_MAYBE required optional), (AND_NOT positive excluded).
 * Example: "kabul -taliban" -> (AND_NOT kabul taliban).
 * Returns false only if memory ran out.
 */
bool srch_query_describe(const srch_query_t *q, text_buf_t *b);

/* One leaf word of the query, as seen by srch_query_words(). Strings are
 * borrowed from the query. */
typedef struct srch_word {
    const char *text;      /* as typed */
    const char *word;      /* folded */
    const char *stem;      /* its stem; for a wildcard, the folded prefix */
    srch_field_t field;
    size_t column;         /* 1-based column of the word in the query */
    bool excluded;         /* under -item, NOT or the right of AND_NOT */
    bool stopword;         /* the analyzer's stopword (kept in this query) */
    bool prefix;           /* a wildcard prefix (word*) */
    size_t n_also;         /* a wildcard: the stems it finds that its prefix does
                              not start (srch_node_t.also) */
    const char *also;      /* ...those n_also stems, each NUL-terminated */
    bool in_phrase;        /* part of a phrase */
    bool solid;            /* a hyphenated word typed solid, searched beside its
                              parts (SRCH_TERM_SOLID): not a word of its own */
    const srch_node_t *either; /* the (OR phrase solid) of a hyphenated word that
                              the word is in (SRCH_OR_SOLID), else NULL */
    bool ideo;             /* a Chinese or Japanese character (SRCH_TERM_IDEO) */
    bool ideo_touching;    /* one typed touching the one before it, in one word
                              (SRCH_TERM_IDEO_TOUCHING) */
} srch_word_t;

typedef int (*srch_word_fn)(const srch_word_t *w, void *payload);

/* Call fn for every leaf word of q in tree order (positive items first, then
 * the ones they exclude). Returns 0, or the first non-zero value fn returned
 * (the walk stops there). */
int srch_query_words(const srch_query_t *q, srch_word_fn fn, void *payload);

/* Call fn for every stopword left out of q (srch_query_dropped()), in query
 * order; as srch_query_words(). */
int srch_query_dropped_words(const srch_query_t *q, srch_word_fn fn, void *payload);

/* Ranking knobs of srch_query_build(). */
typedef struct srch_build_opts {
    unsigned version;        /* SRCH_BUILD_OPTS_VERSION */
    double title_weight;     /* > 0: a positive body term t becomes
                                OR(t, SCALE(title:t, title_weight)); 0: off */
    uint32_t wildcard_max;   /* most frequent expansions kept per word* (0: no limit) */
} srch_build_opts_t;

#define SRCH_BUILD_OPTS_VERSION 1
#define SRCH_BUILD_OPTS_INIT { SRCH_BUILD_OPTS_VERSION, 0.0, 100 }

/*
 * Build the Xapian query of q. *out is freed by the caller with xs_query_free()
 * (NULL on failure). opts NULL means SRCH_BUILD_OPTS_INIT. A wildcard becomes
 * the synonym of its expansions in db that a search keeps (the wildcard_max
 * most frequent, and any tied with the least of them),
 * so that highlights name the same words and indexes opened together expand
 * it as one would; with db NULL, Xapian expands it at search time.
 * Returns XS_OK; XS_ERR_INVALID for a NULL argument, an unknown opts version or
 * a negative title_weight; or the shim's status (XS_ERR_NOMEM, ...), with
 * xs_last_error() set by the shim.
 */
xs_status_t srch_query_build(xs_query_t **out, const srch_query_t *q, const xs_db_t *db,
                             const srch_build_opts_t *opts);

/*
 * The highlight units of q: one per distinct positive leaf (not excluded):
 * TERM -> SRCH_HL_TERM (its stem), PHRASE -> SRCH_HL_PHRASE (its stems),
 * PREFIX -> SRCH_HL_PREFIX (the folded prefix), NEAR -> one unit per item
 * (with the NEAR's number and window when that is the item's only place);
 * title: leaves have none (they match the title, not the passage's text: the
 * same word there is no match of theirs). The same stems twice give one unit. Unit i has colour i. weight is the IDF
 * log((N + 1) / (termfreq + 0.5)) in db (a phrase: the sum over its words; a
 * prefix: with the summed termfreq of its expansions, capped at N), or 1 when db
 * is NULL. A prefix with more than wildcard_max expansions (not 0) lists in
 * allowed those the search keeps (see srch_query_build()): only they are
 * highlighted.
 *   units   receives a malloc'ed array (NULL when *n_units is 0): free it with
 *           srch_query_units_free(). The arrays its stems point to live in that
 *           block; the strings are borrowed from q, so q must outlive units.
 * Returns XS_OK, XS_ERR_INVALID (NULL argument), XS_ERR_NOMEM, or the shim's
 * status of a failed frequency lookup.
 */
xs_status_t srch_query_units(const srch_query_t *q, const xs_db_t *db, uint32_t wildcard_max,
                             srch_hl_unit_t **units, size_t *n_units);

/* Free what srch_query_units() returned; NULL allowed. */
void srch_query_units_free(srch_hl_unit_t *units);

/* srch_query_build() of node n of a query alone (a part of it, to test a
 * passage against), as srch_query_build() would build it there. */
xs_status_t srch_query_build_node(xs_query_t **out, const srch_node_t *n, const xs_db_t *db,
                                  const srch_build_opts_t *opts);

/* Whether node n of a query matches the passage at hand (false if that
 * cannot be told). */
typedef bool (*srch_node_test_fn)(const srch_node_t *n, void *payload);

/*
 * Which of the n_units highlight units of q (srch_query_units()) do not count
 * in a passage that q matches: a unit counts where one of its places in the
 * query does, and a place counts when each AND it stands in has its other
 * items in the passage, no AND_NOT whose kept side it stands on has what it
 * excludes, and each AND_MAYBE it is an optional item of has its required
 * one. A passage that q matches settles most of these; the rest, below an OR
 * or an optional item ("Carol OR Alice -Postgres": Alice counts only without
 * Postgres), are asked of test. Sets off[k] for a unit that does not count,
 * clears the others. Returns whether some unit is off (false also when
 * memory ran out: then every unit counts).
 */
bool srch_query_units_off(const srch_query_t *q, bool *off, size_t n_units,
                          srch_node_test_fn test, void *payload);

#endif /* PASSIM_QUERY_H */
