/*
 * text.h — the text analysis shared by passim-index, the query parser and the
 * snippet builder, so that a word is always cut, folded and stemmed the same way.
 *
 * Four stages, each usable alone:
 *   1. text_tokenize():  UTF-8 bytes -> tokens with byte offsets and positions,
 *                        each token already normalised (NFKC) and case-folded.
 *   2. text_stem():      a folded token -> its Snowball stem (libstemmer), without
 *                        accents (text_unaccent), cached.
 *   3. stopwords:        an optional list consulted by callers (the query side).
 *   4. text_passages():  a document -> passages (paragraphs, headings, line ranges).
 * text_analyze() chains 1 and 2 for callers that want both. Section 5 holds the
 * UTF-8 helpers, and text_decode(): file bytes (BOMs, UTF-16/32, Latin-1) to UTF-8.
 *
 * Everything here is pure C: no I/O, no Xapian, no global state (one analyzer per
 * thread). Input is (pointer, length) and need not be NUL-terminated; invalid UTF-8
 * and NUL bytes are treated as separators, never as errors.
 */
#ifndef PASSIM_TEXT_H
#define PASSIM_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes of the functions below. Zero is success. */
typedef enum {
    TEXT_OK = 0,
    TEXT_ERR_NOMEM,     /* allocation failed */
    TEXT_ERR_LANG,      /* no Snowball stemmer for that language */
    TEXT_ERR_INVALID,   /* bad argument */
    TEXT_STATUS_LAST
} text_status_t;

/* A static, human-readable description of a status; never NULL. */
const char *text_status_str(text_status_t st);

/* ------------------------------------------------------------------------ */
/* 1. Tokenizer                                                             */
/* ------------------------------------------------------------------------ */

/*
 * Longest folded token kept, in bytes. Longer tokens (hashes, base64 blobs, a
 * 1 MB "word") are skipped: they take no position and are never stored. The
 * limit is far below Xapian's term limit (about 245 bytes) so that a prefix
 * and the token always fit.
 */
#define TEXT_TOKEN_MAX 64

/* Token flags (bit set in text_token_t.flags). */
enum {
    /* Joined to the previous token by a hyphen inside one word, as in
     * "thermo-aeroelastic" or "ex-Soviet": the parts are separate tokens at
     * consecutive positions, and the query parser reads such a run as a phrase. */
    TEXT_TOK_JOINED = 1u << 0,
    /* A dotted acronym ("U.S.", "e.g."): the dots are dropped ("us"). Never
     * treated as a stopword, so "U.S." is not lost to the stopword "us". */
    TEXT_TOK_ACRONYM = 1u << 1,
    /* Starts with a digit: "14,000" -> "14000", "1.35" -> "1.35". */
    TEXT_TOK_NUMBER = 1u << 2,
    /* The token ends a sentence: "." "!" or "?" follows it, possibly after white
     * space or closing markup and quotes ("word**.", "word\"."). An acronym's own
     * last dot counts only at the end of the text or of a paragraph ("U.S.\n\n")
     * or before more such punctuation: "U.S. Embassy" is the common case. */
    TEXT_TOK_SENTENCE_END = 1u << 3,
    /* Written in capitals, two or more ("US", "WHO", "IT"): most likely an
     * acronym, so never treated as a stopword either. */
    TEXT_TOK_CAPITALS = 1u << 4,
    /* A hyphen joins the token to a word before it: a later part of a
     * hyphenated word, also when the part before was too long to be a token
     * (then it is not TEXT_TOK_JOINED). */
    TEXT_TOK_HYPHEN_BEFORE = 1u << 5,
    /* A hyphen joins the token to a word character after it: another part
     * follows, whether or not it is short enough to be a token. */
    TEXT_TOK_HYPHEN_AFTER = 1u << 6,
    /* A Han ideograph or a hiragana, a word by itself: the words beside it
     * may touch it ("经济" is two tokens). */
    TEXT_TOK_IDEO = 1u << 7,
    /* A TEXT_TOK_IDEO token that touches the one before it, also one, with
     * nothing between but invisible characters (a variation selector): the
     * later character of a word written as one ("济" in "经济"). */
    TEXT_TOK_IDEO_TOUCHING = 1u << 8,
};

/*
 * One token. Rules, applied identically to documents and queries:
 * - Word characters are Unicode letters, marks and numbers (utf8proc categories),
 *   so Markdown markers ("**", "##", "[", "](#)") never become part of a word.
 * - The token is NFKC-normalised and case-folded; the curly apostrophe U+2019 (and
 *   U+2018, U+02BC) is the straight one, kept inside a word ("Russia’s" and
 *   "Russia's" -> "russia's"; the English stemmer then removes "'s").
 * - Digits separated by "," are one number without the commas ("14,000" ->
 *   "14000"); digits separated by "." keep the dot ("1.35").
 * - A Han ideograph or a hiragana is a token by itself, as Chinese and Japanese
 *   put no space between words ("经济政策" is four tokens at consecutive
 *   positions, which the query parser reads as a phrase, as it reads any word
 *   it cuts in parts).
 * - Single letters separated by dots are an acronym without dots ("U.S." -> "us").
 * - A hyphen between two word characters splits the word into parts, the later
 *   ones flagged TEXT_TOK_JOINED.
 * - A character reference ("&eacute;", "&#233;", "&#xE9;") is the character
 *   it names: "caf&eacute;" -> "café", "don&rsquo;t" -> "don't"; one that
 *   names no word character, apostrophe, hyphen or invisible character
 *   ("&amp;", "&nbsp;", "&lt;") separates words, whole. Offsets stay the
 *   source's.
 * - The target of a Markdown link, "](...)", is skipped.
 * - Between two blocks the position skips TEXT_BLOCK_GAP more, so that no
 *   phrase matches across them: a blank line (or a line of no word, as a
 *   heading's underline), a line break into or out of a heading ("# " to
 *   "###### "), a table row (a line opening with '|'), a code fence, into a
 *   list item (a numbered line only in a list: else it is a wrapped line),
 *   into or out of a quote ('>'), and a bar between a table row's cells.
 *   Inside a fenced code block a line is only a line.
 */
typedef struct text_token {
    const char *word;   /* folded token, NUL-terminated; valid only during the callback */
    size_t word_len;    /* bytes in word, at most TEXT_TOKEN_MAX */
    size_t start;       /* byte offset of the token's first byte in the input */
    size_t end;         /* byte offset just past its last byte: "14,000" covers all
                         * six bytes, an acronym its last dot too ("U.S." all four) */
    uint32_t pos;       /* position: first_pos for the first token, then +1 each,
                         * +1 more across a block boundary (TEXT_BLOCK_GAP) */
    unsigned flags;     /* TEXT_TOK_* */
} text_token_t;

/* Called once per token, in text order. A non-zero return stops tokenizing and
 * is passed back by text_tokenize(). */
typedef int (*text_token_fn)(const text_token_t *tok, void *payload);

/* Positions skipped between two blocks (paragraphs, headings, list items,
 * table cells): a phrase's words are at consecutive positions. */
#define TEXT_BLOCK_GAP 1

/*
 * Cut s[0..len) into tokens and call fn for each. Positions start at first_pos.
 * Returns 0 after the last token, or the first non-zero value fn returned.
 * Never allocates on the heap; never fails on bad input.
 */
int text_tokenize(const char *s, size_t len, uint32_t first_pos, text_token_fn fn,
                  void *payload);

/* A fenced code block that is open where a piece of a text starts, as the
 * passage splitter reads the whole text (a passage cut from a long block, or
 * one that starts after a blank line in a block): its fence. Read alone, the
 * piece would take the block's closing fence for an opening one. */
typedef struct text_open_fence {
    char c;             /* '`' or '~'; 0: no block is open */
    uint32_t n;         /* how many of them (three or more) */
} text_open_fence_t;

/* text_tokenize() of a piece of a text that starts inside the block open
 * (NULL or open->c 0: in none, as text_tokenize()). */
int text_tokenize_in(const char *s, size_t len, uint32_t first_pos,
                     const text_open_fence_t *open, text_token_fn fn, void *payload);

/* text_tokenize() of text already cleaned of its markup (text_clean_line(): a
 * title as shown): every word shown is a word. Nothing is passed over as
 * Markdown would be (a link's target, a footnote reference, a task's box, a
 * heading's attributes); a terminal escape sequence still is. A character
 * reference is read as written ("caf&eacute;" is caf and eacute): cleaning
 * decodes those that Markdown shows as their character, so one left is
 * shown as written (in a code span, or in a front matter title). */
int text_tokenize_plain(const char *s, size_t len, uint32_t first_pos, text_token_fn fn,
                        void *payload);

/* Whether the character at s[i] (i < len) is one text_tokenize() keeps inside
 * a word: a letter, a digit, another number or a combining mark. For callers
 * that must tell where a word starts or ends (the query parser's wildcards). */
bool text_is_word_char(const char *s, size_t len, size_t i);

/* The length of the apostrophe at s[i] (i < len): 1 for "'", 3 for U+2018 and
 * U+2019, 2 for U+02BC, all of which a token holds as "'"; 0 for anything else. */
size_t text_apostrophe_len(const char *s, size_t len, size_t i);

/* Fold a single word exactly as text_tokenize() folds a token (NFKC + case fold
 * + apostrophes; a Cyrillic stress accent dropped: "приве́т" is "привет"), into out (capacity cap, NUL-terminated). Returns the folded
 * length, or 0 if the word is empty, not valid UTF-8, or longer than
 * TEXT_TOKEN_MAX (or cap - 1) once folded. Folding a folded word gives it
 * back unchanged. The word is not cut: commas and acronym dots stay. For
 * callers that hold one word already cut (a wildcard prefix, a stopword list). */
size_t text_fold(const char *s, size_t len, char *out, size_t cap);

/* Append word[0..len) (lower case, as text_fold() gives it) to out in the case
 * model was typed in: letter by letter if the two have as many characters,
 * with letters in the same places ("GPUs": "TPUs", "MySQK": "MySQL"), else all capitals if most of model's
 * letters are (two or more of them: "TASSs": "TASS"), else a capital first if
 * model's first letter is one ("Lavrf": "Lavrov"), else as it is. False if
 * memory ran out. */
bool text_case_like(text_buf_t *out, const char *word, size_t len, const char *model,
                    size_t model_len);

/* The folded word s without the accents of its Latin and Greek letters (café ->
 * cafe, Zürich -> zurich, strokes: łódź -> lodz, and the dotless i: kırmızı ->
 * kirmizi; not Cyrillic, where й is not и), NFC, into out
 * (capacity cap, NUL-terminated). Returns its length, or 0 when the word has
 * no such accent (out is then left as it was), is too long, or is not valid
 * UTF-8. text_stem() applies it, so every term is accent-free; a caller that
 * builds terms without stemming (a wildcard prefix) applies it too. */
size_t text_unaccent(const char *s, size_t len, char *out, size_t cap);

/* ------------------------------------------------------------------------ */
/* 2. Analyzer: stemming and stopwords                                      */
/* ------------------------------------------------------------------------ */

typedef struct text_analyzer text_analyzer_t;

/* The language of an index that names none: passim-index's default. */
#define TEXT_LANG_DEFAULT "english"

/*
 * Create an analyzer for language lang: a Snowball algorithm name or code known
 * to libstemmer ("english", "en", "porter", "french", ...), or "none" to disable
 * stemming (the stem of a word is then the word). *out is set to NULL on failure.
 * Returns TEXT_OK, TEXT_ERR_LANG (unknown language) or TEXT_ERR_NOMEM.
 * The analyzer owns its stemmer and a cache of recent stems; free it with
 * text_analyzer_free(). It is not thread-safe: use one per thread.
 */
text_status_t text_analyzer_new(text_analyzer_t **out, const char *lang);

/* Free an analyzer; NULL is allowed. */
void text_analyzer_free(text_analyzer_t *a);

/* The canonical language name the analyzer was made with ("english", "none"). */
const char *text_analyzer_lang(const text_analyzer_t *a);

/* NULL-terminated list of the language names libstemmer knows (static). */
const char **text_languages(void);

/*
 * The stem of a folded word (as produced by text_tokenize()), without accents
 * (text_unaccent()): for English, Porter and "none", whose stemmers know no
 * accents, they go before stemming (résumé and resume are both resum); for the
 * other languages, whose stemmers read them (French fermée and fermé are both
 * ferm), they go from the stem. In French, Italian and Catalan an elided
 * word before an apostrophe goes first ("l'école" is école, "dell'anno"
 * anno). Returns a pointer
 * owned by the analyzer, valid until the next call on a; its length in *stem_len.
 * Never returns NULL: on allocation failure the word itself is returned.
 */
const char *text_stem(text_analyzer_t *a, const char *word, size_t len, size_t *stem_len);

/* The word as a's language reads it before stemming when that is not as it is
 * written: for English, a British spelling's American one ("stabilising" ->
 * "stabilizing", which text_stem() stems). Written to out (capacity cap,
 * NUL-terminated); returns its length, or 0 when the word stays as written. */
size_t text_respell(const text_analyzer_t *a, const char *word, size_t len, char *out,
                    size_t cap);

/* How many bytes of the folded word[0..len) are an elided word and its
 * apostrophe, which text_stem() passes over ("l'" of "l'école" in French);
 * 0 if none, or in a language without elisions. The word lists of "did you
 * mean" hold words without them. */
size_t text_elided_len(const text_analyzer_t *a, const char *word, size_t len);

/* How many bytes at the end of the folded word[0..len) are a possessive
 * that text_stem() removes: English's "'s" ("o'brien's"); 0 if none, or in
 * another language. The word lists of "did you mean" hold words without it,
 * so that a name met only as "O'Brien's" is offered as "O'Brien". */
size_t text_possessive_len(const text_analyzer_t *a, const char *word, size_t len);

/*
 * Stopwords. The list is empty until one of these is called. Words are folded
 * with text_fold() before they are stored.
 * - text_analyzer_default_stopwords(): a built-in list for the analyzer's language
 *   (English only; TEXT_ERR_LANG for others).
 * - text_analyzer_add_stopwords(): whitespace-separated words; "|" starts a comment
 *   to the end of the line (Snowball's stopword file format).
 */
text_status_t text_analyzer_default_stopwords(text_analyzer_t *a);
text_status_t text_analyzer_add_stopwords(text_analyzer_t *a, const char *list, size_t len);

/* Whether a token is a stopword: its folded word is in the list and it is not
 * an acronym (TEXT_TOK_ACRONYM). */
bool text_is_stopword(const text_analyzer_t *a, const text_token_t *tok);

/* One analysed token: the token and its stem (owned by the analyzer, valid during
 * the callback). */
typedef struct text_term {
    const text_token_t *tok;
    const char *stem;
    size_t stem_len;
    bool stopword;      /* text_is_stopword(a, tok) */
    bool compound;      /* the two parts of a hyphenated word, joined: see below */
} text_term_t;

typedef int (*text_term_fn)(const text_term_t *term, void *payload);

/* Tokenize s[0..len) and stem each token; fn is called once per token in text
 * order. Returns 0 or the first non-zero value fn returned.
 *
 * A word of two parts of letters joined by a hyphen ("co-founder", "e-mail",
 * "al-Qaida"; not "1986-87", "U.S.-led" nor "state-of-the-art") is also
 * analysed as one word ("cofounder"), so that the word typed solid finds it:
 * a term with compound set, right after its second part, whose token spans
 * both parts (start of the first, end of the second), with no flags. It takes
 * no position of its own (tok->pos is the first part's): the index holds it
 * without one, so phrases and NEAR go from part to part, as the word is
 * written. Callers that want only the words as written skip it. */
int text_analyze(text_analyzer_t *a, const char *s, size_t len, uint32_t first_pos,
                 text_term_fn fn, void *payload);

/* text_analyze() of a piece that starts inside the block open (text_tokenize_in()). */
int text_analyze_in(text_analyzer_t *a, const char *s, size_t len, uint32_t first_pos,
                    const text_open_fence_t *open, text_term_fn fn, void *payload);

/* text_analyze() of text already cleaned of its markup (text_tokenize_plain()). */
int text_analyze_plain(text_analyzer_t *a, const char *s, size_t len, uint32_t first_pos,
                       text_term_fn fn, void *payload);

/* ------------------------------------------------------------------------ */
/* 3. Markdown-aware lines                                                  */
/* ------------------------------------------------------------------------ */

/*
 * Copy one line of Markdown or plain text into out without its markup: heading
 * marks ("## "), emphasis ("**", "__", "*", "_" around words), code ticks, block
 * quote ">" and list bullets at the start, "[text](target)" -> "text", images
 * "![alt](src)" -> "alt", HTML comments and the tags of common HTML elements
 * ("<h1>", "</b>", "<p align=...>"; not "List<T>", "<x@y.org>", nor inside
 * code ticks); runs of white space become one space; escape
 * sequences (text_escape_len()) and control characters are dropped; the result is trimmed and valid UTF-8. out has
 * capacity cap (>= 1) and is NUL-terminated; the result is cut at a character
 * boundary if it does not fit. Returns the length written.
 */
size_t text_clean_line(const char *s, size_t len, char *out, size_t cap);

/* Called with a byte range [start, end) of a text and what is shown in its
 * place: nothing (shown 0), or the character shown (a character reference's,
 * "&eacute;" for é, "&amp;" for &). A value other than 0 stops the walk and
 * is returned. */
typedef int (*text_markup_fn)(size_t start, size_t end, uint32_t shown, void *payload);

/*
 * Calls fn, in order, for each byte range of s[0..len) (a passage; open: the
 * code block it starts in, NULL for none) that Markdown reads as markup, not
 * text: what text_clean_line() leaves out of a line (block quote marks, a
 * heading's hashes, emphasis and "~~" markers, backticks, an escaping
 * backslash, a link's "[" and "](target)", an image's "!", an HTML element's
 * tags, an autolink's "<" and ">"), each shown as nothing, and character
 * references, each shown as its character; rules and underlines ("---", "===",
 * "~~~~~" under a line as long), and the backticks or tildes of a fence.
 * Nothing of a line in a fenced code block or indented as code (four
 * columns; in a list, four past the item's text). For showing a passage as
 * text; an HTML tag's words, which are
 * indexed, are in its range.
 */
int text_markup_ranges(const char *s, size_t len, const text_open_fence_t *open,
                       text_markup_fn fn, void *payload);

/* text_clean_line() for a heading's line: "# Title" loses its hashes as
 * there, and the line of an underlined heading ("1. Introduction" above
 * "===") keeps a number or bullet at its start, its own text. */
size_t text_clean_heading(const char *s, size_t len, char *out, size_t cap);

/* text_clean_line() for text that is not Markdown (a front matter title):
 * white space runs as one space, escape sequences, control and bidi
 * characters dropped, trimmed, valid UTF-8, cut at a character boundary;
 * "*", "_", "#", "1." and "<b>" are kept as they are. */
size_t text_clean_plain(const char *s, size_t len, char *out, size_t cap);

/*
 * Front matter: a block of metadata at the very start of a Markdown file, as
 * static site generators and note-taking tools write it: YAML between a first
 * line "---" and a line "---" (or "..."), or TOML between "+++" lines, the
 * closing line starting within the first TEXT_FRONT_MATTER_MAX bytes and
 * TEXT_FRONT_MATTER_MAX_LINES lines. Every YAML line must be blank, a
 * comment, indented, a list item or a "key: value", and one key at least a
 * bare word, so that a text that merely opens with a "---" rule (or a title
 * between two rules: "Chapter 1: The Start") has none; TOML lines are not
 * checked ("+++" opens nothing else). Returns the length of the block
 * (through its closing line's "\n"), or 0 if s does not start with one.
 * [*title_start, *title_end) is the value of its top-level "title" key when
 * that holds a word (else empty): what its quotes enclose, escapes left as
 * they are, or the bare value without a " # comment"; in YAML, a value may go
 * on over the indented lines below (a bare or quoted one), or lie on them
 * alone (a block: "title: >" or "title: |"), and then the range spans them.
 */
#define TEXT_FRONT_MATTER_MAX 65536
#define TEXT_FRONT_MATTER_MAX_LINES 1000
size_t text_front_matter(const char *s, size_t len, size_t *title_start, size_t *title_end);

/* Byte range [*start, *end) of an article's title: the title of its front
 * matter if that has one, else the first line after the front matter (or of
 * s, when there is none or nothing follows it) that has a word (a word
 * character outside a link target, even in a run too long to be a token) and
 * is not HTML tags and comments, or images, alone (an XML declaration, a
 * tag or comment over several lines too: a DOCTYPE with its DTD on the next
 * line, "<HTML\n>"), without its line end ("\n" or "\r\n"); a line of HTML
 * that holds a <title> element is narrowed to its text; a front matter title
 * set over several lines spans them. Such
 * lines are taken only when no other line has a word. False if s has no word
 * at all. */
bool text_first_line(const char *s, size_t len, size_t *start, size_t *end);

/* An article's title as written: text_first_line()'s range, in s, or a front
 * matter title's with its quoting undone ("''" in single quotes; in double
 * quotes the backslash escapes of YAML and TOML, "\uXXXX" included, white
 * space ones as a space), in out (cleared first). A quoted title that holds
 * no word once read ("\t") gives way to the first line after the front
 * matter. A front matter title is text, to be cleaned by text_clean_plain();
 * a first line is Markdown, for text_clean_line(). */
typedef struct text_title {
    const char *text;           /* in s or in out; len 0: s has no title */
    size_t len;
    bool front_matter;          /* from front matter, not Markdown */
    bool underlined;            /* a first line underlined ("==="): a heading, for
                                   text_clean_heading() */
} text_title_t;

/* False if memory ran out. */
bool text_title_source(const char *s, size_t len, text_buf_t *out, text_title_t *title);

/* ------------------------------------------------------------------------ */
/* 4. Passages                                                              */
/* ------------------------------------------------------------------------ */

/* Size bounds of a passage, in bytes of source text (the "\r" of a "\r\n"
 * not counted: a file with Windows line ends is cut as with "\n" alone). */
typedef struct text_passage_opts {
    size_t min_bytes;   /* a paragraph shorter than this joins the next one */
    size_t max_bytes;   /* a longer paragraph is cut at sentence ends, else line ends */
} text_passage_opts_t;

#define TEXT_PASSAGE_OPTS_INIT { 200, 1200 }

/*
 * One passage: a run of whole paragraphs, or a piece of a long one.
 * Paragraphs are separated by blank lines (lines of white space only; "\r"
 * counts as white space, so CRLF files work), and an indented line (a tab or
 * two spaces first) after a line that is not indented starts a paragraph, as
 * in plain text with paragraph indents (newswire, abstracts). A Markdown heading line ("# ..."
 * to "###### ...", after at most three spaces), or a line of text alone
 * underlined with three or more "=" or "-", or with as many "~" or "^" as it
 * has characters or more (reStructuredText; the underline going with it; a
 * list item's line, "- item", is no heading, "1. Introduction" is),
 * outside fenced code blocks and front matter, always starts a new passage, the one that holds it, and becomes the heading
 * of that passage and of those after it, until the next heading. A long
 * paragraph is cut after the last sentence end (". ", "? ", "! ", closing
 * quotes allowed; "。", "！", "？" with no space) that leaves at least
 * min_bytes, else at the last line end that does (a list, a table, code:
 * whole lines), else at the last white space or Chinese or Japanese comma,
 * else at max_bytes. A passage never ends in the middle of a UTF-8 character;
 * passages with no word character (a "---" line, an image alone: "![](x.jpg)",
 * whose address is no word) are not reported.
 */
typedef struct text_passage {
    uint32_t ordinal;       /* 0, 1, 2 ... in document order */
    size_t start, end;      /* byte range in the source, trimmed of blank lines */
    uint32_t first_line;    /* 1-based line numbers of start and of the last byte */
    uint32_t last_line;
    uint32_t first_column;  /* 1-based byte column of start in its line (a passage
                               may start after an indent or in mid-line) */
    size_t heading_start;   /* byte range of the heading line it stands under */
    size_t heading_end;     /* (heading_start == heading_end: none) */
    text_open_fence_t fence;    /* the code block open where it starts, for
                                   text_tokenize_in() to read it as in the
                                   whole text (not a block in a quote) */
} text_passage_t;

typedef int (*text_passage_fn)(const text_passage_t *p, void *payload);

/* Whether the line s[0..len) (no "\n") is an underline that makes the line
 * above it a heading (Setext style): up to three spaces, three or more "=" or
 * "-", and nothing else but blanks ("=======", "---"; not "--", "- item"). */
bool text_is_underline(const char *s, size_t len);

/* Whether the line after the one that ends at s[end] (a passage's heading_end)
 * is such an underline, or one of reStructuredText's "~" or "^" underlines
 * (as long as the line above or longer): the heading is an underlined one,
 * not a "#" line. */
bool text_is_underlined(const char *s, size_t len, size_t end);

/* Split s[0..len) into passages (opts NULL: TEXT_PASSAGE_OPTS_INIT) and call fn
 * for each, in order. Passages cover every token of the text, and each holds
 * one, read alone (in its fence) as text_tokenize_in() reads it: word
 * characters too many in a row to be a token make no passage. Returns 0 or
 * the first non-zero value fn returned. */
int text_passages(const char *s, size_t len, const text_passage_opts_t *opts,
                  text_passage_fn fn, void *payload);

/* ------------------------------------------------------------------------ */
/* 5. UTF-8 helpers                                                         */
/* ------------------------------------------------------------------------ */

/* Length of the longest prefix of s[0..len) that is valid UTF-8. */
size_t text_utf8_valid_len(const char *s, size_t len);

/*
 * s[0..len) made valid UTF-8, into out (cleared first), the way passim reads
 * text that is not: when its bad bytes outnumber its valid multi-byte
 * characters eight times or more it is read as Windows-1252 (a superset of
 * Latin-1 in practice; *cp1252 set), else each stray bad byte is (a "café"
 * typed in Latin-1 into UTF-8 text). The five bytes Windows-1252 leaves undefined become U+FFFD.
 * Valid UTF-8 comes out as it went in. False if memory ran out.
 */
bool text_utf8_repair(const char *s, size_t len, text_buf_t *out, bool *cp1252);

/* A malloc'ed copy of the C string s, repaired by text_utf8_repair() if it is
 * not valid UTF-8 (a query typed in a Latin-1 terminal); NULL if memory ran
 * out. */
char *text_utf8_strdup(const char *s);

/* Files as bytes, to valid UTF-8 text (decode.c). */

typedef enum {
    TEXT_DECODE_OK,         /* text holds the document as UTF-8 */
    TEXT_DECODE_BINARY,     /* not text: see text_looks_binary() */
    TEXT_DECODE_NOMEM
} text_decode_status_t;

/* How many bytes of a file's start tell whether it is text. */
#define TEXT_SNIFF_BYTES 65536

/* True if data, the start of a file (its first TEXT_SNIFF_BYTES or all of
 * it), says the file is not text: a NUL byte or many control characters; or,
 * after a UTF-16 or UTF-32 byte order mark, many control characters or more
 * than 1 % of code units that no text holds (a surrogate out of its pair, a
 * value past U+10FFFF). text_decode() answers TEXT_DECODE_BINARY for the same
 * files. */
bool text_looks_binary(const char *data, size_t len);

/*
 * Turn raw file bytes into valid UTF-8 in out: a UTF-8 BOM is dropped, UTF-16
 * and UTF-32 with a BOM are converted, invalid UTF-8 is read as Windows-1252
 * when most of the file is not UTF-8, otherwise each bad byte is (its
 * Windows-1252 character, U+FFFD for the five it leaves undefined); lines
 * ended by a carriage return alone (old Mac files) end with a line feed.
 * *encoding is set to a static name for messages ("utf-8", "utf-16le",
 * "windows-1252"...). When the input is valid UTF-8 without a BOM, out is
 * left empty and *as_is is set: the caller uses the bytes it has (no copy).
 * The indexer reads articles with it, the searcher query files.
 */
text_decode_status_t text_decode(const char *data, size_t len, text_buf_t *out, bool *as_is,
                                 const char **encoding);

/* Length of the valid UTF-8 character at s (n bytes available), or 0. */
size_t text_utf8_char_len(const char *s, size_t n);

/* Characters (code points) of the UTF-8 C string s: its bytes that are no
 * continuation byte. */
size_t text_utf8_chars(const char *s);

/* The character reference at s[i] (i < len: "&eacute;", "&#233;", "&#xE9;",
 * HTML 4's names and "&apos;", a ';' ending each) as the tokenizer reads it:
 * its length, with the character in *cp; 0 if there is none there. */
size_t text_char_ref(const char *s, size_t len, size_t i, uint32_t *cp);

/* Write the character cp as UTF-8 to out (U+FFFD for a surrogate or a value
 * past U+10FFFF); returns its length, 1 to 4. */
size_t text_utf8_encode(uint32_t cp, char out[4]);

/* The valid UTF-8 character at s (n bytes available): its length, with its
 * code point in *cp; 0 if the bytes there are not a well-formed character
 * (stray continuation, overlong form, surrogate, past U+10FFFF, cut short). */
size_t text_utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Largest n <= len such that s[0..n) does not end inside a UTF-8 character. */
size_t text_utf8_floor(const char *s, size_t len, size_t n);

/* Largest cut <= n of s[0..len) (valid UTF-8) that ends inside no character
 * as one reads it, Unicode's grapheme cluster: a letter and its combining
 * accents, an emoji and its skin tone, a flag; if the first one is longer
 * than n, text_utf8_floor()'s cut. */
size_t text_grapheme_floor(const char *s, size_t len, size_t n);

/*
 * The length of the terminal escape sequence that starts at s[0..len), or 0 if
 * none does. Sequences start with ESC or, in UTF-8, a C1 introducer:
 *   CSI  ESC [ or U+009B, parameter bytes 0x30-0x3F, intermediate bytes
 *        0x20-0x2F, one final byte 0x40-0x7E ("\033[31m", "\033[2J");
 *   OSC  ESC ] or U+009D, and the strings DCS (ESC P, U+0090), SOS (ESC X,
 *        U+0098), PM (ESC ^, U+009E), APC (ESC _, U+009F): up to and including
 *        BEL or ST (ESC \ or U+009C) ("\033]0;title\007");
 *   else ESC, intermediate bytes 0x20-0x2F and one final byte 0x30-0x7E
 *        ("\033c", "\033(B").
 * A sequence cut short ends before the first byte that cannot continue it (a
 * string: before any other control character), or at len; a lone ESC is 1.
 */
size_t text_escape_len(const char *s, size_t len);

/* Append s[0..len) to b fit for a terminal or a text file: escape sequences
 * dropped whole (text_escape_len()), control characters dropped (tab and line
 * ends become a space when fold_space), and so are the bidi controls
 * U+202A-U+202E and U+2066-U+2069; invalid UTF-8 is replaced by U+FFFD. For
 * what a file supplies (titles, paths, passages) before it is printed. False
 * if memory ran out. */
bool text_safe_append(text_buf_t *b, const char *s, size_t len, bool fold_space);

/* Open each of standard input, output and error that the program was started
 * without on /dev/null, read-only (writes to it fail, and are reported), so
 * that no file the program opens takes its number. First thing in main().
 * False if one could not be opened. */
bool text_hold_std_fds(void);

/* A count given on the command line: s is ASCII digits only (no sign, no
 * blank, as a person types a count) and at most max; false otherwise. */
bool text_parse_count(const char *s, unsigned long max, unsigned long *out);

/* A stable 64-bit hash of a byte string (for content fingerprints). */
uint64_t text_hash64(const void *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* PASSIM_TEXT_H */
