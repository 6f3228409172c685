/*
 * text_internal.h — what the files of text/ share and nobody else sees: the
 * character classes of the tokenizer (also used by the passage splitter and the
 * Markdown line cleaner, so that all three agree on what a word character is),
 * the Markdown link-target scanner, and the layout of the analyzer.
 */
#ifndef PASSIM_TEXT_INTERNAL_H
#define PASSIM_TEXT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libstemmer.h>
#include <utf8proc.h>

#include "buf.h"
#include "text.h"

/* Character classes. The first group are word characters. */
enum {
    TEXT__C_LOWER = 0,  /* ASCII a-z */
    TEXT__C_UPPER,      /* ASCII A-Z */
    TEXT__C_DIGIT,      /* ASCII 0-9 */
    TEXT__C_U_LETTER,   /* non-ASCII letter (L*) */
    TEXT__C_U_MARK,     /* non-ASCII mark (M*) */
    TEXT__C_U_DIGIT,    /* non-ASCII decimal digit (Nd) */
    TEXT__C_U_NUMBER,   /* other non-ASCII number (Nl, No) */
    TEXT__C_U_IDEO,     /* a letter that is a word by itself (text__is_ideo()) */
    TEXT__C_WORD_LAST = TEXT__C_U_IDEO,
    TEXT__C_APOS,       /* ' U+2018 U+2019 U+02BC, full-width U+FF07 */
    TEXT__C_HYPHEN,     /* - U+2010 U+2011, full-width U+FF0D */
    TEXT__C_INVISIBLE,  /* a format character that may stand inside a word and
                         * is no part of it: soft hyphen U+00AD, zero-width
                         * (non-)joiner U+200C U+200D, word joiner U+2060,
                         * U+FEFF, the direction marks U+061C U+200E
                         * U+200F U+202A-U+202E U+2066-U+2069, and the
                         * variation selectors U+FE00-U+FE0F and
                         * U+E0100-U+E01EF that pick a glyph of an
                         * ideograph (not the
                         * zero-width space U+200B, which parts words) */
    TEXT__C_DOT,        /* . and the full-width U+FF0E (as NFKC reads it) */
    TEXT__C_COMMA,      /* , and the full-width U+FF0C */
    TEXT__C_RBRACKET,   /* ] (may open a link target) */
    TEXT__C_SPACE,      /* ASCII white space: space \t \n \v \f \r */
    TEXT__C_OTHER       /* everything else, invalid UTF-8 and NUL included */
};

/* Class of each ASCII byte; defined in tokenize.c. */
extern const unsigned char text__ascii_class[128];

/* Whether the letter or number cp is a Han ideograph (Chinese characters,
 * Japanese kanji, with their iteration marks and numerals) or a hiragana:
 * scripts written with no space between words, where each character is a
 * token of its own and a phrase of them matches the word. Katakana and
 * Hangul, whose words run on or are spaced, are letters like any other; so
 * is the digraph ゟ (U+309F), which folds to two hiragana. Each character
 * here folds to one such character (NFKC), marks aside. */
static inline bool text__is_ideo(utf8proc_int32_t cp)
{
    if (cp < 0x3005)
        return false;
    return cp <= 0x3007                         /* 々 〆 〇 */
           || (cp >= 0x3021 && cp <= 0x3029)    /* Hangzhou numerals */
           || (cp >= 0x3038 && cp <= 0x303B)
           || (cp >= 0x3041 && cp <= 0x309E)    /* hiragana */
           || (cp >= 0x3280 && cp <= 0x3289)    /* circled numerals ㊀ to ㊉ */
           || (cp >= 0x3400 && cp <= 0x4DBF)    /* extension A */
           || (cp >= 0x4E00 && cp <= 0x9FFF)    /* unified ideographs */
           || (cp >= 0xF900 && cp <= 0xFAFF)    /* compatibility ideographs */
           || (cp >= 0x1B001 && cp <= 0x1B11F)  /* hentaigana */
           || cp == 0x1B132 || (cp >= 0x1B150 && cp <= 0x1B152) /* small hiragana */
           || (cp >= 0x20000 && cp <= 0x3FFFF); /* extensions B and on */
}

/* Class of the character at s[i] (i < len); its length in bytes goes to *clen
 * (1 for an invalid byte, which is TEXT__C_OTHER). Inline because the tokenizer
 * calls it for every character. */
static inline unsigned text__classify(const unsigned char *s, size_t len, size_t i,
                                      size_t *clen)
{
    if (s[i] < 0x80) {
        *clen = 1;
        return text__ascii_class[s[i]];
    }
    utf8proc_int32_t cp;
    size_t avail = len - i;
    utf8proc_ssize_t n = utf8proc_iterate(s + i, avail > 4 ? 4 : (utf8proc_ssize_t)avail, &cp);
    if (n <= 0) {
        *clen = 1;
        return TEXT__C_OTHER;
    }
    *clen = (size_t)n;
    switch (cp) {
    /* The full-width forms (typed by Chinese and Japanese input methods)
     * are what NFKC folds them to: "３.５" is "3.5", "Ｏ＇Ｂｒｉｅｎ" "O'Brien". */
    case 0x2018: case 0x2019: case 0x02BC: case 0xFF07:
        return TEXT__C_APOS;
    case 0x2010: case 0x2011: case 0xFF0D:
        return TEXT__C_HYPHEN;
    case 0xFF0E:
        return TEXT__C_DOT;
    case 0xFF0C:
        return TEXT__C_COMMA;
    case 0x00AD: case 0x061C: case 0x200C: case 0x200D: case 0x200E: case 0x200F:
    case 0x202A: case 0x202B: case 0x202C: case 0x202D: case 0x202E: case 0x2060:
    case 0x2066: case 0x2067: case 0x2068: case 0x2069: case 0xFEFF:
        return TEXT__C_INVISIBLE;
    default:
        break;
    }
    if ((cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF))
        return TEXT__C_INVISIBLE;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        return text__is_ideo(cp) ? TEXT__C_U_IDEO : TEXT__C_U_LETTER;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return TEXT__C_U_MARK;
    case UTF8PROC_CATEGORY_ND:
        return TEXT__C_U_DIGIT;
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return text__is_ideo(cp) ? TEXT__C_U_IDEO : TEXT__C_U_NUMBER;
    default:
        return TEXT__C_OTHER;
    }
}

static inline bool text__is_word_class(unsigned c)
{
    return c <= TEXT__C_WORD_LAST;
}

/* The character the byte c is in Windows-1252 (U+FFFD for the five it leaves
 * undefined): how text that is not UTF-8 is read (utf8.c). */
uint32_t text__cp1252(unsigned char c);

/* The character reference at s[i] ("&amp;", "&#233;", "&#xE9;"; HTML 4's
 * names and "&apos;", a ';' ending each), up to end: its length, with the
 * character in *cp; 0 if there is none (or it names no character). */
size_t text__char_ref(const char *s, size_t end, size_t i, utf8proc_int32_t *cp);

/* n, or, when s[0..len) has a character reference that starts before n and
 * ends after it, where that reference starts: a cut at n would leave part of
 * it on either side. */
size_t text__char_ref_floor(const char *s, size_t len, size_t n);

/* The American spelling of the folded English word w[0..len) written to out
 * (cap bytes, NUL-terminated) when w is a British one the lists know
 * ("organisation", "neighbours", "travelled", "defence"): its length, or 0
 * when w stays as it is (variant.c). */
size_t text__american(const char *w, size_t len, char *out, size_t cap);

/* Whether line s[0..len) is a thematic break: "---", "***", "* * *", a rule
 * between sections, with no text (markdown.c). */
bool text__is_thematic_break(const char *s, size_t len);

/* A code fence: "```" or "~~~", or longer, after at most three spaces. */
typedef struct text__fence {
    char c;             /* '`' or '~' */
    size_t n;           /* how many */
    bool bare;          /* nothing but spaces after it */
} text__fence_t;

/* Whether line s[a..b) (s the whole text) is a reStructuredText underline
 * that makes the line above it a heading: at most three spaces, then three or
 * more "~" or "^" and nothing else but blanks, under a line with a letter or
 * digit that is no longer (in characters, white space around it left out).
 * CommonMark would open a code block at such a "~~~" line under a paragraph;
 * under a line of text as long as itself, it is far more often a heading's
 * underline, and a fence would take the rest of the text into code. */
bool text__is_rst_underline(const char *s, size_t a, size_t b);

/* Whether line s[a..b) opens a code block (*open set to its fence) or, in
 * one (in_fence), closes it: a fence of the same character, at least as
 * long, with nothing after it ("```" inside a "````" block is code). A
 * reStructuredText underline (text__is_rst_underline()) opens none. */
bool text__fence_toggles(const char *s, size_t a, size_t b, bool in_fence, text__fence_t *open);

/* The HTML blocks whose lines are text, not Markdown, never headings nor
 * fences: a comment (a draft commented out: "<!--", "# Old title", "-->"),
 * and preformatted text, a script, a style sheet or a text area (a shell
 * session in "<pre>", "# apt install x", "</pre>"), as CommonMark reads
 * them. */
typedef enum text__raw_block {
    TEXT__RAW_NONE,
    TEXT__RAW_COMMENT,      /* "<!--" to "-->" */
    TEXT__RAW_PRE,          /* "<pre" to "</pre>", any case */
    TEXT__RAW_SCRIPT,
    TEXT__RAW_STYLE,
    TEXT__RAW_TEXTAREA
} text__raw_block_t;

/* Whether line s[a..b) holds the end of the block kind: "-->", "</pre>"... */
bool text__raw_block_ends(const char *s, size_t a, size_t b, text__raw_block_t kind);

/* The block that line s[a..b) opens and that goes on past it: its opening
 * ("<!--", or a tag "<pre>", "<pre class=x>") after at most three spaces,
 * and not its end after that ("<!-->" is a whole comment, "<pre>x</pre>" a
 * line of text); TEXT__RAW_NONE if none. */
text__raw_block_t text__raw_block_opens(const char *s, size_t a, size_t b);

/* The offset of the first word character of s[0..len) outside Markdown link
 * targets and escape sequences, where text_tokenize() would start its first
 * token if that were not too long to keep; len if none. */
size_t text__first_word_char(const char *s, size_t len);

/* What a reading has learnt of the links in a text, so that a line full of
 * "](" is read in linear time. */
typedef struct text__links {
    size_t fail_until;          /* see text__link_target_end() */
    size_t no_open_at;          /* 1 + the offset of the last "](" that no "["
                                   opened (0: none yet) */
    size_t target_at;           /* 1 + the offset of the last "](" whose target's
                                   end was looked for (0: none yet)... */
    size_t target_end;          /* ...and that end, as text__link_target_end()... */
    size_t target_fail_until;   /* ...and fail_until after it, kept only once
                                   the "](" is known to be a link's */
} text__links_t;

/* A reading of a whole text that finds its word characters in order, as
 * text_tokenize() reads them there: a piece of the text read alone may read
 * otherwise (a piece that starts after a link's "](" does not know that what
 * follows is its address). Starts as TEXT__READER_INIT. */
typedef struct text__reader {
    size_t i;                   /* where reading goes on: between two units */
    text__links_t links;
} text__reader_t;
#define TEXT__READER_INIT { 0, { 0, 0, 0, 0, 0 } }

/* The offset of the first word character at or after from and before to, in
 * the reading r of s[0..len); to if none. Calls go forward: from is never
 * less than the offset a previous call returned. */
size_t text__next_word_char(const char *s, size_t len, text__reader_t *r, size_t from, size_t to);

/* Where the word that text_tokenize() would read from the word character
 * at s[i] ends, kept or too long to keep ("Russia's" and "14,000" whole, an
 * acronym past its last dot); i if s[i] is no word character. */
size_t text__word_end(const char *s, size_t len, size_t i);

/*
 * The end of a Markdown link target: s[i] is ']' and s[i + 1] is '('; returns the
 * offset just past the matching ')' on the same line, within a bounded distance,
 * or 0 if there is none. *fail_until (0 at first) remembers how far a failed
 * search looked, so that a line full of "](" without ")" costs linear time: a
 * link opening before that point is not searched for again.
 */
size_t text__link_target_end(const char *s, size_t len, size_t i, size_t *fail_until);

/* Past a Markdown footnote reference at s[i] ("peace[^1]"), or the label of
 * a footnote definition opening a line ("[^1]: ..."), or 0: not a regular
 * expression's class, which an ASCII letter or digit, "{" or "+" follows, or
 * "*" or "?" and a letter or digit ("foo[^bar]baz", "a[^b]*c"). The
 * tokenizer indexes neither; the snippet does not show them. */
size_t text__footnote_ref_end(const char *s, size_t len, size_t i);

/* Past the address of a Markdown link reference definition whose "]" is at
 * s[i] ("[label]: https://x.org/a" opening a line), or 0. */
size_t text__link_definition_end(const char *s, size_t len, size_t i);

/* Past an attribute block at s[i] that ends its line, as Pandoc, kramdown
 * and Markdown's attribute extensions give a heading an id or classes
 * ("{#install}", "{.unnumbered}", "{: #opts .wide}", "{-}"): after a space,
 * with nothing but white space after it on the line; or 0. */
size_t text__attrs_block_end(const char *s, size_t len, size_t i);

/* text__attrs_block_end() where s[i]'s line is a heading ("#" after quote
 * marks, or underlined): its id and classes are no words, in the index, the
 * title, the heading shown or the snippet. */
size_t text__heading_attrs_end(const char *s, size_t len, size_t i);

/* Whether c is an ASCII letter or digit. */
static inline bool text__is_ascii_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* ASCII white space: space, tab, CR, LF, VT, FF. */
static inline bool text__is_space_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* How many spaces (at most three) open s[0..len): Markdown's indentation of
 * a heading, rule or fence; four would make code. */
static inline size_t text__indent3(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && i < 3 && s[i] == ' ')
        i++;
    return i;
}

/* Whether line s[a..b) is a list item's ("- ", "* ", "+ " after at most three
 * spaces): the line of a list, never a heading, though "---" follows it. */
bool text__is_bullet_line(const char *s, size_t a, size_t b);

/* Digits an ordered list's number may have: CommonMark's nine, or three
 * where a line's first number is more likely a year ("1984. The year...")
 * than an item. */
#define TEXT__ITEM_DIGITS 9
#define TEXT__ITEM_DIGITS_SHORT 3

/* A list item's marker at s[i], within s[0..b): a bullet ("-", "*", "+") or
 * a number of at most max_digits digits (none with 0) and "." or ")",
 * followed by a space or a tab. The end of the marker (its space not
 * included), or 0 if there is none. The one reader of list markers for the
 * tokenizer, passages, titles and snippets. */
size_t text__list_marker_end(const char *s, size_t i, size_t b, size_t max_digits);

/* Past a task's box at s[i], "[ ]", "[x]" or "[X]" right after a bullet that
 * opens its line (past indentation and quote marks) and before white space
 * or the line's end: "- [x] call mum". A box is no word: the indexer, titles
 * and snippets all leave it out. Else 0. */
size_t text__task_box_end(const char *s, size_t len, size_t i);

/* Where a fence may open on the line s[a..b) whose quote marks end at a:
 * after a list item's marker and its white space ("- ```sh"), else a. */
size_t text__fence_after_item(const char *s, size_t a, size_t b);

/* A set of folded words (the stopwords): open addressing over an arena. */
typedef struct text__wordset {
    struct text__wordslot *slots;   /* n_slots entries, a power of two, or NULL */
    size_t n_slots;
    size_t n_words;
    text_buf_t arena;               /* the words, back to back */
} text__wordset_t;

bool text__wordset_add(text__wordset_t *set, const char *w, size_t len);
bool text__wordset_has(const text__wordset_t *set, const char *w, size_t len);
void text__wordset_free(text__wordset_t *set);

/* The stem cache: see stem.c. */
struct text__stem_slot;

#define TEXT__LANG_MAX 32   /* bytes of a language name, NUL included */

struct text_analyzer {
    struct sb_stemmer *stemmer;     /* NULL for "none" */
    char lang[TEXT__LANG_MAX];      /* canonical name */
    struct text__stem_slot *cache;  /* cache_slots entries, or NULL for "none" */
    size_t cache_slots;             /* a power of two; grows up to a bound */
    size_t cache_used;
    char *arena;                    /* keys and stems of the cache */
    size_t arena_cap, arena_used;
    char *out;                      /* result of text_stem when not in the cache */
    size_t out_cap;
    text__wordset_t stop;
};

#endif /* PASSIM_TEXT_INTERNAL_H */
