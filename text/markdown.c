/*
 * markdown.c — reading Markdown lines for display: text_clean_line() strips the
 * markup of one line (titles, headings, the text of a result),
 * text_front_matter() recognises a YAML or TOML block of metadata at the top
 * of a file, and text_first_line() finds an article's title: front matter's,
 * else its first line with a word. Only what news articles and notes in
 * Markdown actually use is handled; anything else is kept as text, which is
 * the safe failure for a display string.
 */
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "text_internal.h"

/* How far a "[" looks for its "](" on the line. */
#define BRACKET_MAX 1024

/* The output being built: whole characters only, one space between words. */
typedef struct writer {
    char *out;
    size_t cap;         /* out's capacity, the NUL included */
    size_t len;
    bool space;         /* a space is due before the next character */
    bool full;
} writer_t;

static void put_char(writer_t *w, const char *p, size_t n)
{
    if (w->full)
        return;
    size_t sp = (w->space && w->len > 0) ? 1 : 0;
    if (w->len + sp + n > w->cap - 1) {
        w->full = true;
        return;
    }
    if (sp)
        w->out[w->len++] = ' ';
    memcpy(w->out + w->len, p, n);
    w->len += n;
    w->space = false;
}


/* The bidi embeddings, overrides and isolates (U+202A..U+202E,
 * U+2066..U+2069): a title or heading holding one could make a terminal show
 * the rest of the line, and what follows it, in another order ("Trojan
 * Source"). They carry no text, so the clean line drops them like controls. */
static bool is_bidi_control(utf8proc_int32_t cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Write the character cp, whose UTF-8 bytes are p[0..n): a space, line or
 * paragraph separator as a space; a control or bidi control not at all. */
static void put_code_point(writer_t *w, utf8proc_int32_t cp, const char *p, size_t n)
{
    if (is_bidi_control(cp))
        return;                                     /* could reorder what is shown */
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
        w->space = true;
        break;
    case UTF8PROC_CATEGORY_CC:
        break;
    default:
        put_char(w, p, n);
        break;
    }
}

/* Letters, digits and anything non-ASCII count as "inside a word" when telling
 * emphasis from a literal "*" or "_" ("2 * 3", "snake_case"). */
static bool is_wordish(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static bool is_ascii_punct(unsigned char c)
{
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

/* What a character beside a run of emphasis is to it: white space,
 * punctuation (or a symbol), a letter or digit, or a Han ideograph or
 * hiragana, a word by itself (the tokenizer's classes: text__classify()). */
typedef enum { SIDE_SPACE, SIDE_PUNCT, SIDE_WORD, SIDE_IDEO } side_t;

/* The side the character that starts at s[i] is; past end, space. */
static side_t side_at(const char *s, size_t end, size_t i)
{
    if (i >= end)
        return SIDE_SPACE;
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80)
        return text__is_space_byte(c) || c < ' ' || c == 0x7F ? SIDE_SPACE
               : is_ascii_punct(c)                            ? SIDE_PUNCT
                                                               : SIDE_WORD;
    size_t clen;
    unsigned cls = text__classify((const unsigned char *)s, end, i, &clen);
    if (cls == TEXT__C_U_IDEO)
        return SIDE_IDEO;
    if (text__is_word_class(cls) || cls == TEXT__C_INVISIBLE)
        return SIDE_WORD;
    utf8proc_int32_t cp;
    if (utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)clen, &cp) > 0) {
        utf8proc_category_t cat = utf8proc_category(cp);
        if (cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL
            || cat == UTF8PROC_CATEGORY_ZP)
            return SIDE_SPACE;
    }
    return SIDE_PUNCT;  /* curly quotes, dashes, CJK punctuation, symbols */
}

/* The side the character that ends at s[k] (exclusive) is; at start, space. */
static side_t side_before(const char *s, size_t start, size_t k)
{
    if (k <= start)
        return SIDE_SPACE;
    size_t i = k - 1;
    while (i > start && k - i < 4 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return side_at(s, k, i);
}

/* Whether a side is a letter, a digit or an ideograph. */
static bool side_is_text(side_t side)
{
    return side == SIDE_WORD || side == SIDE_IDEO;
}

/* Whether "][]" is at s[j]: the end of a link by reference to its own text
 * ("[Error][]", defined elsewhere as "[Error]: url"), markup whole. */
static bool collapsed_reference(const char *s, size_t len, size_t j)
{
    return j + 2 < len && s[j] == ']' && s[j + 1] == '[' && s[j + 2] == ']';
}

/* Whether s[a..b) is white space alone: no link label ("[ ][]" is text). */
static bool blank_between(const char *s, size_t a, size_t b)
{
    while (a < b && text__is_space_byte((unsigned char)s[a]))
        a++;
    return a == b;
}

/* Whether the "[" at s[i] opens a link: a matching "]" on the line, then a
 * link target. ("[text][ref]" is left as it is: whether it is a link depends
 * on a definition elsewhere, and "[WIP][backend]" is words.) */
static bool opens_link(const char *s, size_t len, size_t i, size_t *fail_until)
{
    size_t limit = len - i > BRACKET_MAX ? i + BRACKET_MAX : len;
    unsigned depth = 0;
    for (size_t j = i; j < limit; j++) {
        if (s[j] == '\n')
            return false;
        if (s[j] == '[') {
            depth++;
        } else if (s[j] == ']' && --depth == 0) {
            return (collapsed_reference(s, len, j) && !blank_between(s, i + 1, j))
                   || (j + 1 < len && s[j + 1] == '('
                       && text__link_target_end(s, len, j, fail_until) != 0);
        }
    }
    return false;
}

/* If s[i..len) opens with a bullet and a task's box ("- [ ] buy milk",
 * "* [x] call mum"), the end of the box, its "[" at *at; else 0. */
static size_t task_box_end(const char *s, size_t len, size_t i, size_t *at)
{
    size_t j = text__list_marker_end(s, i, len, 0);
    if (j == 0)
        return 0;
    while (j < len && (s[j] == ' ' || s[j] == '\t'))
        j++;
    size_t end = text__task_box_end(s, len, j);
    if (end != 0)
        *at = j;
    return end;
}

/* Skip what starts a line and is not text: indentation, block quote marks, a
 * heading's hashes or, with lists, a list bullet (and a task's box) or
 * number, or a table row's first bar. *heading tells whether it was a
 * heading. */
static size_t skip_line_start(const char *s, size_t len, bool lists, bool *heading)
{
    size_t i = 0;
    *heading = false;
    for (;;) {
        while (i < len && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i < len && s[i] == '>')
            i++;
        else
            break;
    }
    if (i < len && s[i] == '#') {
        size_t k = 0;
        while (i + k < len && s[i + k] == '#')
            k++;
        if (k <= 6 && (i + k == len || s[i + k] == ' ' || s[i + k] == '\t')) {
            *heading = true;
            i += k;
        }
    } else if (!lists) {
        return i;
    } else if (i < len && s[i] == '|') {
        i++;    /* a table row's first bar (its last goes with the line's end) */
    } else {
        /* A bullet, or an ordered list's number ("1." or "2)") of a year's
         * digits at most, so that "1984. The year..." stays. */
        size_t marker = text__list_marker_end(s, i, len, TEXT__ITEM_DIGITS_SHORT);
        if (marker != 0) {
            size_t box_at, box = task_box_end(s, len, i, &box_at);
            i = box ? box : marker;
        }
    }
    return i;
}

/* Where a heading's text s[a..b) ends before an attribute block that closes
 * it ("Install {#install}", text__attrs_block_end()), white space before it
 * included; or b. */
static size_t attrs_start(const char *s, size_t a, size_t b)
{
    size_t e = b;
    while (e > a && text__is_space_byte((unsigned char)s[e - 1]))
        e--;
    if (e == a || s[e - 1] != '}')
        return b;
    const char *o = memrchr(s + a, '{', e - a);
    if (o == NULL || text__attrs_block_end(s, b, (size_t)(o - s)) != e)
        return b;
    size_t start = (size_t)(o - s);
    while (start > a && text__is_space_byte((unsigned char)s[start - 1]))
        start--;
    return start;
}

/* The end of a table row's text: without trailing white space, nor the
 * bar that closes the row ("| Name | Role |"). */
static size_t row_text_end(const char *s, size_t start, size_t end)
{
    while (end > start && text__is_space_byte((unsigned char)s[end - 1]))
        end--;
    if (end > start && s[end - 1] == '|' && (end - 1 == start || s[end - 2] != '\\'))
        end--;
    return end;
}

/* The end of a heading's text: without trailing white space, nor the optional
 * closing hashes ("## Title ##"). */
static size_t heading_text_end(const char *s, size_t start, size_t end)
{
    end = attrs_start(s, start, end);   /* "## Title ##  {#id}", as Pandoc has it */
    while (end > start && text__is_space_byte((unsigned char)s[end - 1]))
        end--;
    size_t e = end;
    while (e > start && s[e - 1] == '#')
        e--;
    if (e < end && (e == start || s[e - 1] == ' ' || s[e - 1] == '\t'))
        return e;
    return end;
}

bool text__is_thematic_break(const char *s, size_t len)
{
    char marker = 0;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '-' || c == '*' || c == '_') {
            if (marker != 0 && c != marker)
                return false;
            marker = c;
            n++;
        } else if (!text__is_space_byte((unsigned char)c)) {
            return false;
        }
    }
    return n >= 3;
}

/* Whether line [a, b) is a fence, into *f. */
static bool fence_line(const char *s, size_t a, size_t b, text__fence_t *f)
{
    size_t i = a;
    while (i < b && i - a < 3 && s[i] == ' ')
        i++;
    if (i == b || (s[i] != '`' && s[i] != '~'))
        return false;
    f->c = s[i];
    for (f->n = 0; i < b && s[i] == f->c; i++)
        f->n++;
    if (f->c == '`' && memchr(s + i, '`', b - i))
        return false; /* "```code```" is code within a line */
    while (i < b && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
        i++;
    f->bare = i == b;
    return f->n >= 3;
}

bool text__is_rst_underline(const char *s, size_t a, size_t b)
{
    size_t i = a + text__indent3(s + a, b - a), run = 0;
    char c = i < b ? s[i] : 0;
    if (c != '~' && c != '^')
        return false;
    for (; i < b && s[i] == c; i++)
        run++;
    while (i < b && text__is_space_byte((unsigned char)s[i]))
        i++;
    if (run < 3 || i < b)
        return false;
    size_t above_end = a;
    while (above_end > 0 && s[above_end - 1] != '\n')
        above_end--;    /* the start of a's line */
    if (above_end == 0)
        return false;
    above_end--;        /* its '\n' */
    size_t above = above_end;
    while (above > 0 && s[above - 1] != '\n')
        above--;
    /* The characters of the line above, but for white space around them. */
    while (above < above_end && text__is_space_byte((unsigned char)s[above]))
        above++;
    while (above_end > above && text__is_space_byte((unsigned char)s[above_end - 1]))
        above_end--;
    size_t chars = 0;
    bool word = false;
    for (size_t k = above; k < above_end; k++) {
        unsigned char u = (unsigned char)s[k];
        chars += (u & 0xc0) != 0x80;
        word = word || u >= 0x80 || (u >= '0' && u <= '9') || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z');
    }
    return word && run >= chars;
}

bool text__fence_toggles(const char *s, size_t a, size_t b, bool in_fence, text__fence_t *open)
{
    text__fence_t f;
    if (!fence_line(s, a, b, &f))
        return false;
    if (!in_fence) {
        if (f.c == '~' && text__is_rst_underline(s, a, b))
            return false;   /* "Usage" over "~~~~~": a heading, no code */
        *open = f;
        return true;
    }
    return f.c == open->c && f.n >= open->n && f.bare;
}

/* HTML elements whose tags are taken out of titles and headings. Only these:
 * "<T>" of "List<T>" or "<alice@example.com>" are text. */
static const char *const html_elements[] = {
    "a", "abbr", "article", "aside", "audio", "b", "bdi", "bdo", "big", "blockquote", "body",
    "br", "button", "caption", "center", "cite", "code", "col", "colgroup", "data", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "embed", "figcaption", "figure", "font",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "i",
    "iframe", "img", "input", "ins", "kbd", "label", "li", "link", "main", "mark", "meta",
    "meter", "nav", "noscript", "object", "ol", "output", "p", "picture", "pre", "progress",
    "q", "rp", "rt", "ruby", "s", "samp", "script", "section", "small", "source", "span",
    "strike", "strong", "style", "sub", "summary", "sup", "svg", "table", "tbody", "td",
    "template", "textarea",
    "tfoot", "th", "thead", "time", "title", "tr", "track", "tt", "u", "ul", "var", "video", "wbr",
};

static bool is_html_element(const char *s, size_t len)
{
    for (size_t k = 0; k < sizeof html_elements / sizeof html_elements[0]; k++) {
        const char *e = html_elements[k];
        size_t n = strlen(e);
        if (n != len)
            continue;
        size_t i = 0;
        while (i < n && (s[i] | 0x20) == e[i])
            i++;
        if (i == n)
            return true;
    }
    return false;
}

/* How far back on its line a closing tag looks for its opening tag. */
#define TAG_OPENER_REACH 256

/* Whether the closing tag of element s[name..name+n) at s[i] closes an
 * opening tag that is text, one right after a letter or digit ("x<b>y</b>z"):
 * the nearest "<name" before it on its line, within TAG_OPENER_REACH. */
static bool closes_text_tag(const char *s, size_t i, size_t name, size_t n)
{
    size_t stop = i > TAG_OPENER_REACH ? i - TAG_OPENER_REACH : 0;
    for (size_t j = i; j-- > stop && s[j] != '\n';)
        if (s[j] == '<' && j + 1 + n < i && strncasecmp(s + j + 1, s + name, n) == 0
            && !text__is_ascii_alnum((unsigned char)s[j + 1 + n]))
            return j > 0 && text__is_ascii_alnum((unsigned char)s[j - 1]);
    return false;
}

/* The end of the HTML tag or comment that starts at s[i] ('<'), on one line
 * of s[0..end): "<p align=\"center\">", "</h1>", "<br/>", "<!-- a note -->";
 * 0 if none starts there ("a < b", "<3", "List<T>", "<https://x.org>"). An
 * opening tag right after a letter or digit ("a<b and c>d") is text too, and
 * so is the tag that closes it ("x<b>y</b>z"). */
static size_t html_tag_end(const char *s, size_t end, size_t i)
{
    if (i + 1 >= end || s[i] != '<')
        return 0;
    if (end - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
        for (size_t j = i + 4; j + 3 <= end && s[j] != '\n'; j++)
            if (memcmp(s + j, "-->", 3) == 0)
                return j + 3;
        return 0;
    }
    if (s[i + 1] == '?' && i + 2 < end && (s[i + 2] | 0x20) >= 'a' && (s[i + 2] | 0x20) <= 'z') {
        for (size_t j = i + 3; j + 2 <= end && s[j] != '\n'; j++)  /* "<?xml version=...?>" */
            if (s[j] == '?' && s[j + 1] == '>')
                return j + 2;
        return 0;
    }
    if (end - i >= 9 && s[i + 1] == '!' && (s[i + 2] | 0x20) == 'd'
        && strncasecmp(s + i + 2, "doctype", 7) == 0) {
        for (size_t j = i + 9; j < end && s[j] != '\n'; j++)   /* "<!DOCTYPE html>" */
            if (s[j] == '>')
                return j + 1;
        return 0;
    }
    size_t j = i + 1;
    if (s[j] == '/')
        j++;
    else if (i > 0 && text__is_ascii_alnum((unsigned char)s[i - 1]))
        return 0; /* an opening tag starts no word: "a<b" (but "中<b>文</b>") */
    size_t name = j;
    while (j < end && text__is_ascii_alnum((unsigned char)s[j]))
        j++;
    if (!is_html_element(s + name, j - name) || j >= end
        || !(s[j] == '>' || s[j] == '/' || s[j] == ' ' || s[j] == '\t'))
        return 0;
    if (s[i + 1] == '/' && closes_text_tag(s, i, name, j - name))
        return 0;
    for (; j < end && s[j] != '\n' && s[j] != '<'; j++)
        if (s[j] == '>')
            return j + 1;
    return 0;
}

/* The end of an autolink at s[i] ('<'), "<https://x.org/a>" or
 * "<me@x.org>", on one line of s[0..end): past its '>'; 0 if none. Its text
 * is what it encloses. */
static size_t autolink_end(const char *s, size_t end, size_t i)
{
    size_t j = i + 1, scheme = 0;
    while (j < end && (text__is_ascii_alnum((unsigned char)s[j]) || s[j] == '+' || s[j] == '.'
                       || s[j] == '-'))
        j++;
    scheme = j - (i + 1);
    bool url = scheme >= 2 && scheme <= 32 && j < end && s[j] == ':'
               && ((s[i + 1] | 0x20) >= 'a' && (s[i + 1] | 0x20) <= 'z');
    bool at = false;
    for (; j < end; j++) {
        unsigned char c = (unsigned char)s[j];
        if (c == '>')
            return (url || at) && j > i + 1 ? j + 1 : 0;
        if (c <= ' ' || c == '<' || c >= 0x7F)
            return 0;
        at |= c == '@' && j > i + 1;
    }
    return 0;
}

/* What Markdown reads at s[i] (ASCII, no white space nor control) of the
 * line s[start..end), in a code span when in_code; inline_markup() tells. */
typedef enum {
    INLINE_TEXT,        /* one character of text */
    INLINE_LITERAL,     /* a run of "*", "_" or "~" that is text ("2 * 3") */
    INLINE_ESCAPE,      /* "\*": the backslash is markup, the next character text */
    INLINE_TICK,        /* a backtick, opening or closing a code span */
    INLINE_MARKUP,      /* markup alone: emphasis, a link's "[" or "](target)",
                           an image's "!", an HTML element's tag */
    INLINE_AUTOLINK,    /* "<https://x.org>": its text is what the brackets hold */
    INLINE_CHAR_REF     /* "&amp;": one character, *cp */
} inline_t;

/* How far a run of emphasis looks for the run that pairs with it, and a
 * code span's opening backticks for their closing ones (further than a
 * passage is long: only a line of some other kind of file is longer). */
#define EMPHASIS_REACH 400
#define CODE_SPAN_REACH 4096
/* How many runs of backticks emphasis looks past for its partner (each a
 * look for its own partner: the work on a line of many stays bounded). */
#define EMPHASIS_SPANS_MAX 8

/* Past the run of c that starts at s[k] (k itself if s[k] is not c). */
static size_t run_end(const char *s, size_t end, size_t k, char c)
{
    while (k < end && s[k] == c)
        k++;
    return k;
}

/* Whether the run s[k..r) of the line s[start..end) may open emphasis
 * (CommonMark's left-flanking: text follows it, and if that is punctuation,
 * space or punctuation comes before it) or, mirrored, close it. */
static bool run_flanks(const char *s, size_t start, size_t end, size_t k, size_t r, bool left)
{
    side_t before = side_before(s, start, k), after = side_at(s, end, r);
    side_t in = left ? after : before, out = left ? before : after;
    return in != SIDE_SPACE && (in != SIDE_PUNCT || out == SIDE_SPACE || out == SIDE_PUNCT);
}

/* Whether the run s[k..r) of the line s[start..end) stands between two
 * letters or digits, as "*" in "2*3" or "_" in "snake_case": text. Not
 * between ideographs, which are words by themselves ("这是**重要**的"). */
static bool inside_word(const char *s, size_t start, size_t end, size_t k, size_t r)
{
    return side_before(s, start, k) == SIDE_WORD && side_at(s, end, r) == SIDE_WORD;
}

/* Past the code span whose opening backticks start at s[k], closed before
 * to ("`path`"); else past the backticks, which are text. */
static size_t past_code_span(const char *s, size_t to, size_t k)
{
    size_t r = run_end(s, to, k, '`');
    for (size_t m = r; m < to;) {
        size_t e = run_end(s, to, m, '`');
        if (e - m == r - k)
            return e;
        m = e > m ? e : m + 1;
    }
    return r;
}

/* Before the code span whose closing backticks end at s[k] (exclusive),
 * opened at or after from; else before the backticks. */
static size_t before_code_span(const char *s, size_t from, size_t k)
{
    size_t q = k;
    while (q > from && s[q - 1] == '`')
        q--;
    for (size_t m = q; m > from;) {
        size_t b = m;
        while (b > from && s[b - 1] == '`')
            b--;
        if (m - b == k - q)
            return b;
        m = b < m ? b : m - 1;
    }
    return q;
}

/* Whether s[i..j) is "**" at a word's start, after white space or the
 * line's start, before a letter or digit: "**GPU**s" may close inside a
 * word. */
static bool bold_at_word_start(const char *s, size_t start, size_t end, size_t i, size_t j)
{
    return j - i == 2 && s[i] == '*' && side_before(s, start, i) == SIDE_SPACE
           && side_is_text(side_at(s, end, j));
}

/* Whether the run of emphasis s[i..j) in the line s[start..end) has a
 * partner, a run of as many of its character: one that closes it after it,
 * before any other that could open one, code spans passed over whole
 * ("**Fix for `path`**"); or one that opens it before it, likewise.
 * "*args" or "**kwargs" alone are text, as Markdown shows them. A run
 * between two letters or digits is text ("2*3*4", "snake_case_name",
 * "CHAR_BIT*sizeof", "a*b*"), but for "**" that closes bold opened at a
 * word's start ("**GPU**s"). */
static bool emphasis_paired(const char *s, size_t start, size_t end, size_t i, size_t j)
{
    char c = s[i];
    size_t n = j - i;
    bool in_word = inside_word(s, start, end, i, j);
    if (in_word && (c != '*' || n != 2))
        return false;
    if (!in_word && run_flanks(s, start, end, i, j, true)) {
        size_t to = end - j > EMPHASIS_REACH ? j + EMPHASIS_REACH : end, spans = 0;
        for (size_t k = j; k < to;) {
            if (s[k] == '`') {
                if (++spans > EMPHASIS_SPANS_MAX)
                    break;
                k = past_code_span(s, to, k);
                continue;
            }
            size_t r = run_end(s, end, k, c);
            if (r - k == n && run_flanks(s, start, end, k, r, false)
                && (!inside_word(s, start, end, k, r) || bold_at_word_start(s, start, end, i, j)))
                return true;
            if (r - k == n && run_flanks(s, start, end, k, r, true))
                break;      /* a nearer opener takes the closer */
            k = r > k ? r : k + 1;
        }
    }
    if (run_flanks(s, start, end, i, j, false)) {
        size_t from = i - start > EMPHASIS_REACH ? i - EMPHASIS_REACH : start;
        size_t spans = 0;
        for (size_t k = i; k > from;) {
            if (s[k - 1] == '`') {
                if (++spans > EMPHASIS_SPANS_MAX)
                    break;
                k = before_code_span(s, from, k);
                continue;
            }
            size_t q = k;
            while (q > start && s[q - 1] == c)
                q--;
            if (k - q == n && run_flanks(s, start, end, q, k, true)
                && !inside_word(s, start, end, q, k)
                && (!in_word || bold_at_word_start(s, start, end, q, k)))
                return true;
            if (k - q == n && run_flanks(s, start, end, q, k, false))
                break;      /* a nearer closer has the opener */
            k = q < k ? q : k - 1;
        }
    }
    return false;
}

/* What starts at s[i] (see inline_t), and where it ends, into *next. */
static inline_t inline_markup(const char *s, size_t start, size_t end, size_t i, size_t *code,
                              size_t *fail_until, size_t *next, utf8proc_int32_t *cp)
{
    unsigned char c = (unsigned char)s[i];
    size_t ref;
    bool in_code = *code != 0;
    *next = i + 1;
    if (c == '`') {
        /* A code span opens at a run of backticks that a run of as many
         * closes on the line ("``a `b` c``"), and holds text as it is
         * ("`<div>`", "`C:\\`"); a backtick with no partner is text. */
        size_t j = run_end(s, end, i, '`');
        *next = j;
        if (in_code) {
            if (j - i != *code)
                return INLINE_LITERAL;
            *code = 0;
            return INLINE_TICK;
        }
        size_t to = end - j > CODE_SPAN_REACH ? j + CODE_SPAN_REACH : end;
        for (size_t k = j; k < to;) {
            size_t r = run_end(s, end, k, '`');
            if (r - k == j - i) {
                *code = j - i;
                return INLINE_TICK;
            }
            k = r > k ? r : k + 1;
        }
        return INLINE_LITERAL;
    }
    if (c == '\\' && !in_code && i + 1 < end && is_ascii_punct((unsigned char)s[i + 1])) {
        *next = i + 2;
        return INLINE_ESCAPE;
    }
    if (c == '\\' && !in_code && (i + 1 == end || (i + 2 == end && s[i + 1] == '\r')))
        return INLINE_MARKUP;   /* a hard line break: the backslash is markup */
    if (c == '*' || c == '_'
        || (c == '~' && i + 1 < end && s[i + 1] == '~' && (i + 2 == end || s[i + 2] != '~')
            && (i == start || s[i - 1] != '~'))) {
        /* Emphasis, and "~~" (a strikethrough, as GitHub writes it; "~"
         * alone is a home folder, "~~~" a fence), when a run of as many
         * pairs with it; in a code span ("`__init__`"), text. */
        size_t j = run_end(s, end, i, (char)c);
        *next = j;
        bool literal = in_code
                       || (side_before(s, start, i) == SIDE_SPACE
                           && side_at(s, end, j) == SIDE_SPACE)
                       || !emphasis_paired(s, start, end, i, j);
        return literal ? INLINE_LITERAL : INLINE_MARKUP;
    }
    if (in_code)
        return INLINE_TEXT;
    if ((c == '!' && i + 1 < end && s[i + 1] == '[' && opens_link(s, end, i + 1, fail_until))
        || (c == '[' && opens_link(s, end, i, fail_until)))
        return INLINE_MARKUP;               /* an image keeps its alt text */
    if (c == '<' && (ref = html_tag_end(s, end, i)) != 0) {
        *next = ref;                        /* "<h1>", "<!-- -->" */
        return INLINE_MARKUP;
    }
    if (c == '<' && (ref = autolink_end(s, end, i)) != 0) {
        *next = ref;
        return INLINE_AUTOLINK;
    }
    if (c == '&' && (ref = text__char_ref(s, end, i, cp)) != 0) {
        *next = i + ref;
        return INLINE_CHAR_REF;
    }
    if (c == ']' && i + 1 < end && s[i + 1] == '(' && (ref = text__link_target_end(s, end, i, fail_until)) != 0) {
        *next = ref;
        return INLINE_MARKUP;
    }
    if (collapsed_reference(s, end, i)) {
        *next = i + 3;
        return INLINE_MARKUP;
    }
    return INLINE_TEXT;
}

static size_t image_end(const char *s, size_t b, size_t i);

/* How a line is read by clean(). */
typedef enum {
    CLEAN_MARKDOWN,             /* text_clean_line() */
    CLEAN_SETEXT,               /* text_clean_heading(): its list number is text */
    CLEAN_PLAIN                 /* text_clean_plain() */
} clean_mode_t;

static size_t clean(const char *s, size_t len, char *out, size_t cap, clean_mode_t mode)
{
    bool markdown = mode != CLEAN_PLAIN;
    if (out == NULL || cap == 0)
        return 0;
    out[0] = '\0';
    if (s == NULL || (markdown && text__is_thematic_break(s, len)))
        return 0;

    writer_t w = {out, cap, 0, false, false};
    bool heading = false;
    size_t i = markdown ? skip_line_start(s, len, mode == CLEAN_MARKDOWN, &heading) : 0;
    size_t end = heading                ? heading_text_end(s, i, len)
                 : mode == CLEAN_SETEXT ? attrs_start(s, i, len)
                                        : len;
    if (i > 0 && s[i - 1] == '|' && mode == CLEAN_MARKDOWN)
        end = row_text_end(s, i, end);
    size_t start = i, fail_until = 0, code = 0, badge, note, links = 0;
    utf8proc_int32_t ref_cp;

    while (i < end && !w.full) {
        unsigned char c = (unsigned char)s[i];
        size_t esc = c == 0x1B || c == 0xC2 ? text_escape_len(s + i, end - i) : 0;
        if (esc) {
            i += esc;                                   /* a whole escape sequence */
            continue;
        }
        if (c < 0x80) {
            if (text__is_space_byte(c)) {
                w.space = true;
                i++;
            } else if (c < 0x20 || c == 0x7F) {
                i++;                                    /* control character */
            } else if (!markdown) {
                put_char(&w, s + i, 1);
                i++;
            } else if (c == '[' && i + 1 < end && s[i + 1] == '!' && (badge = image_end(s, end, i))) {
                i = badge;                  /* a badge, "[![build](b.svg)](ci)": no words */
            } else if (c == '[' && code == 0 && (note = text__footnote_ref_end(s, end, i)) != 0) {
                /* a footnote's reference ("trial[^1]"), or its definition's
                 * label and colon, left out as snippets leave it out */
                i = note + (i == start && note < end && s[note] == ':');
            } else {
                size_t next;
                switch (inline_markup(s, start, end, i, &code, &fail_until, &next, &ref_cp)) {
                case INLINE_TEXT:
                    put_char(&w, s + i, 1);
                    break;
                case INLINE_LITERAL:
                    for (size_t k = i; k < next; k++)
                        put_char(&w, s + k, 1);
                    break;
                case INLINE_ESCAPE:
                    put_char(&w, s + i + 1, 1);         /* "\*" is a literal "*" */
                    break;
                case INLINE_TICK:
                    break;
                case INLINE_MARKUP:
                    /* A link's "](target)" with no "[" before it on the
                     * line ("\[see](x)") is text, as line_markup() shows it. */
                    if (c == ']' && links == 0) {
                        put_char(&w, s + i, 1);
                        next = i + 1;   /* and the target is read as text */
                        break;
                    }
                    links += c == '[';
                    links -= c == ']' && links > 0;
                    break;
                case INLINE_AUTOLINK:
                    put_char(&w, s + i + 1, next - i - 2);  /* "<https://x.org>" */
                    break;
                case INLINE_CHAR_REF: {
                    utf8proc_uint8_t u[4];              /* "&amp;" is "&" */
                    utf8proc_ssize_t un = utf8proc_encode_char(ref_cp, u);
                    put_code_point(&w, ref_cp, (const char *)u, (size_t)un);
                    break;
                }
                }
                i = next;
            }
            continue;
        }
        utf8proc_int32_t cp;
        size_t avail = end - i;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              avail > 4 ? 4 : (utf8proc_ssize_t)avail, &cp);
        if (n <= 0) {
            i++;                                        /* invalid UTF-8: dropped */
            continue;
        }
        put_code_point(&w, cp, s + i, (size_t)n);
        i += (size_t)n;
    }
    out[w.len] = '\0';
    return w.len;
}

size_t text_clean_line(const char *s, size_t len, char *out, size_t cap)
{
    return clean(s, len, out, cap, CLEAN_MARKDOWN);
}

size_t text_clean_heading(const char *s, size_t len, char *out, size_t cap)
{
    return clean(s, len, out, cap, CLEAN_SETEXT);
}

size_t text_clean_plain(const char *s, size_t len, char *out, size_t cap)
{
    return clean(s, len, out, cap, CLEAN_PLAIN);
}

static size_t line_end(const char *s, size_t len, size_t i);

/* The markup of line s[a..b) of a passage, outside code, to fn: what opens
 * the line (block quote marks, a heading's hashes), its inline markup as
 * clean() leaves it out, and a heading's closing hashes. */
/* What a line of a passage leaves open for the next: a link or a code span
 * whose text wraps onto it. */
typedef struct line_carry {
    size_t link_close;  /* the "]" there of a link opened on the line before */
    size_t code;        /* the backticks of a code span open since then */
    size_t emph_close;  /* the "*" run there that closes emphasis opened so */
} line_carry_t;

static size_t item_content_column(const char *s, size_t i, size_t b, size_t indent);

/* Whether the line that starts at s[k] carries on the paragraph of the line
 * before: it holds text and opens no block (a list item, a quote, a
 * heading, a fence, a table row, a rule), which would end the paragraph. */
static bool carries_paragraph(const char *s, size_t len, size_t k)
{
    size_t end = line_end(s, len, k), i = k;
    while (i < end && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i == end || text__is_space_byte((unsigned char)s[i]) || s[i] == '>' || s[i] == '|')
        return false;
    bool heading;
    text__fence_t fence = { 0, 0, false };
    (void)skip_line_start(s + i, end - i, false, &heading);
    return !heading && item_content_column(s, i, end, 0) == 0
           && !text__is_thematic_break(s + k, end - k)
           && !text__fence_toggles(s, k, end, false, &fence);
}

/* If the "[" at s[i] opens a link whose text wraps onto the next line
 * ("[hosted by\nSourceForge](https://...)", as hard-wrapped Markdown has
 * them), the offset of its "]" there; else 0. One line break at most. */
static size_t wrapped_link_close(const char *s, size_t len, size_t i)
{
    size_t limit = len - i > BRACKET_MAX ? i + BRACKET_MAX : len, fail_until = 0;
    unsigned depth = 0, breaks = 0;
    for (size_t j = i; j < limit; j++) {
        if (s[j] == '\n' && (++breaks > 1 || !carries_paragraph(s, len, j + 1)))
            return 0;
        if (s[j] == '[') {
            depth++;
        } else if (s[j] == ']' && --depth == 0) {
            return breaks == 1 && j + 1 < len && s[j + 1] == '('
                   && text__link_target_end(s, len, j, &fail_until) != 0 ? j : 0;
        }
    }
    return 0;
}

/* If the backticks s[i..j) close nowhere on their line, and a run of as many
 * does on the next line (no blank line between), the code span they open
 * wraps onto it: true. Not if an apostrophe follows them on their line:
 * plain text quotes `like this' (GNU's NEWS files), and a "`" two lines
 * apart would close no span there. */
static bool code_span_wraps(const char *s, size_t len, size_t i, size_t j)
{
    const char *nl = memchr(s + j, '\n', len - j);
    if (nl == NULL || memchr(s + j, '\'', (size_t)(nl - s) - j) != NULL)
        return false;
    size_t k = (size_t)(nl - s) + 1, end = line_end(s, len, k);
    if (!carries_paragraph(s, len, k))
        return false;
    while (k < end) {
        size_t r = run_end(s, end, k, '`');
        if (r - k == j - i)
            return true;
        k = r > k ? r : k + 1;
    }
    return false;
}

/* If the run of "*" s[i..j) on the line that starts at s[a], with no
 * partner on its line and the line's last such run, opens emphasis that a
 * run of as many closes on the next line, which carries the paragraph on
 * and is no code ("**Former Afghan\nPresident** said"), where that run
 * starts; else 0. The closing run is the
 * next line's first of that length, code spans passed over, and has no
 * partner on its own line. Each run can only open or only close ("*" in
 * '"*"' could do both, and is text), the first opens before a word and the
 * other closes after a word or a sentence's punctuation, lest hard-wrapped
 * lines pair up runs far apart, as the stars of a C comment's end and of
 * the next one's start. */
static size_t wrapped_emphasis_close(const char *s, size_t len, size_t a, size_t i, size_t j)
{
    size_t e = line_end(s, len, j), n = j - i;
    if (j == e || !side_is_text(side_at(s, e, j)) || run_flanks(s, a, e, i, j, false))
        return 0;   /* "**Former", not the star of a C comment's end */
    for (size_t k = j; k < e;) {
        size_t r = run_end(s, e, k, '*');
        if (r - k == n)
            return 0;   /* a later run on the line takes the closer */
        k = r > k ? r : k + 1;
    }
    if (e >= len || !carries_paragraph(s, len, e + 1))
        return 0;
    size_t c = e + 1, d = line_end(s, len, c), indent = 0;
    for (size_t k = c; k < d && (s[k] == ' ' || s[k] == '\t'); k++)
        indent += s[k] == '\t' ? 4 : 1;
    if (indent >= 4)
        return 0;   /* code, which shows its "*" */
    size_t to = d - c > EMPHASIS_REACH ? c + EMPHASIS_REACH : d, spans = 0;
    for (size_t k = c; k < to;) {
        if (s[k] == '`') {
            if (++spans > EMPHASIS_SPANS_MAX)
                return 0;
            k = past_code_span(s, to, k);
            continue;
        }
        size_t r = run_end(s, d, k, '*');
        if (r - k == n)
            return k > c
                   && (side_is_text(side_before(s, c, k))
                       || (s[k - 1] != '\0' && strchr(".,;:!?)\"'", s[k - 1]) != NULL))
                   && run_flanks(s, c, d, k, r, false) && !run_flanks(s, c, d, k, r, true)
                   && !emphasis_paired(s, c, d, k, r) ? k : 0;
        k = r > k ? r : k + 1;
    }
    return 0;
}

static int line_markup(const char *s, size_t len, size_t a, size_t b, line_carry_t *carry,
                       text_markup_fn fn, void *payload)
{
    bool heading;
    size_t i = a + skip_line_start(s + a, b - a, false, &heading);
    /* (An item over "---" is an item and a rule, as the tokenizer reads it.) */
    bool underlined = !heading && text_is_underlined(s, len, b)
                      && text__list_marker_end(s, i, b, TEXT__ITEM_DIGITS) == 0;
    size_t end = heading ? heading_text_end(s, i, b) : underlined ? attrs_start(s, i, b) : b;
    int rc = i > a ? fn(a, i, 0, payload) : 0;
    if (rc != 0)
        return rc;
    /* A task's box: the bullet is shown, the box is not. */
    size_t box_at, box = heading ? 0 : task_box_end(s, end, i, &box_at);
    if (box != 0) {
        if ((rc = fn(box_at, box, 0, payload)) != 0)
            return rc;
        i = box;
    }
    /* A link reference definition ("[guide]: https://x.org/guide"): its
     * brackets, colon and address, which are not indexed. Its label and
     * title are, and stay shown, so that a match in them is seen. */
    size_t def_close = 0, def_end = 0;
    if (!heading && i + 1 < end && s[i] == '[' && s[i + 1] != '^') {
        const char *close = memchr(s + i + 1, ']', end - i - 1);
        def_end = close ? text__link_definition_end(s, end, (size_t)(close - s)) : 0;
        if (def_end != 0) {
            def_close = (size_t)(close - s);
            if ((rc = fn(i, i + 1, 0, payload)) != 0)
                return rc;
            i++;
        }
    }
    size_t start = i, fail_until = 0, code = carry->code, links = 0;
    carry->code = 0;
    utf8proc_int32_t cp;
    while (i < end) {
        unsigned char c = (unsigned char)s[i];
        if (i == def_close && def_end != 0) {
            if ((rc = fn(i, def_end, 0, payload)) != 0)
                return rc;
            i = def_end;    /* the label's "]", the colon and the address */
            code = 0;
            continue;
        }
        if (c >= 0x80 || c <= ' ' || c == 0x7F) {
            i++;
            continue;
        }
        /* A footnote's reference ("peace[^1]"), or its definition's label
         * and colon ("[^1]: The text"), shown as Markdown shows them: not
         * here. */
        size_t note = c == '[' && code == 0 ? text__footnote_ref_end(s, end, i) : 0;
        if (note != 0) {
            note += i == start && note < end && s[note] == ':';
            if ((rc = fn(i, note, 0, payload)) != 0)
                return rc;
            i = note;
            continue;
        }
        size_t next, hide_a = i, hide_b = i;
        switch (inline_markup(s, start, end, i, &code, &fail_until, &next, &cp)) {
        case INLINE_TEXT:
            /* A link whose text goes on to the next line: its "[" here, its
             * "](target)" there. */
            if (c == '[' && code == 0 && (carry->link_close = wrapped_link_close(s, len, i)) != 0)
                hide_b = i + 1;
            break;
        case INLINE_LITERAL:
            /* So does a code span: its backticks here, as many there; and
             * emphasis. */
            if (c == '`' && code == 0 && code_span_wraps(s, len, i, next)) {
                carry->code = next - i;
                hide_b = next;
            } else if (c == '*' && code == 0 && carry->emph_close != 0
                       && i == carry->emph_close) {
                carry->emph_close = 0;
                hide_b = next;
            } else if (c == '*' && code == 0 && !heading && carry->emph_close <= i
                       && (carry->emph_close = wrapped_emphasis_close(s, len, a, i, next)) != 0) {
                hide_b = next;
            }
            break;
        case INLINE_CHAR_REF:
            if ((rc = fn(i, next, (uint32_t)cp, payload)) != 0)
                return rc;
            break;
        case INLINE_TICK:
            hide_b = next;
            break;
        case INLINE_ESCAPE:
            hide_b = i + 1;
            break;
        case INLINE_MARKUP:
            /* Shown as text: an HTML tag, whose words are indexed ("<p
             * align=center>", a placeholder "<input>"); "_", often part of
             * a name ("__init__", "self._cache"); a link's "](target)"
             * whose "[" is on another line, unless that line's link wraps
             * onto this one. */
            if (c == '<' || c == '_' || (c == ']' && links == 0 && i != carry->link_close))
                break;
            if (c == ']' && i == carry->link_close) {
                carry->link_close = 0;
                hide_b = next;
                break;
            }
            links += c == '[';
            links -= c == ']' && links > 0;
            hide_b = next;
            break;
        case INLINE_AUTOLINK:
            if ((rc = fn(i, i + 1, 0, payload)) != 0)
                return rc;
            hide_a = next - 1;
            hide_b = next;
            break;
        }
        if (hide_b > hide_a && (rc = fn(hide_a, hide_b, 0, payload)) != 0)
            return rc;
        i = next;
    }
    return end < b ? fn(end, b, 0, payload) : 0;
}

/* Whether line s[a..b) is a table's delimiter row, "|------|:----:|": bars,
 * dashes (three or more in a cell), colons and blanks, with a bar. */
static bool is_table_delimiter(const char *s, size_t a, size_t b)
{
    bool bar = false;
    size_t dashes = 0, cells = 0;
    for (size_t i = a; i < b; i++) {
        char c = s[i];
        if (c == '|') {
            bar = true;
            cells += dashes >= 3;
            dashes = 0;
        } else if (c == '-') {
            dashes++;
        } else if (c != ':' && !text__is_space_byte((unsigned char)c)) {
            return false;
        }
    }
    cells += dashes >= 3;
    return bar && cells > 0;
}

/* If the text of a line, from s[i] (past its indent of indent columns) to
 * s[b], opens a list item ("- ", "* ", "+ ", "1. ", "2) "), the column its
 * content starts at: past the marker and the blanks after it, one of them
 * if there are five or more (the rest are code in the item). Else 0. */
static size_t item_content_column(const char *s, size_t i, size_t b, size_t indent)
{
    size_t j = text__list_marker_end(s, i, b, TEXT__ITEM_DIGITS);
    if (j == 0)
        return 0;
    size_t marker = indent + (j - i), blanks = 0;
    for (; j < b && (s[j] == ' ' || s[j] == '\t'); j++)
        blanks += s[j] == '\t' ? 4 - (marker + blanks) % 4 : 1;
    return marker + (blanks >= 5 || j == b ? 1 : blanks);
}

/* Past at most *levels block quote marks that open line s[a..b) ("> ",
 * "> > "), or a; *levels becomes the number passed. */
static size_t past_quote_marks(const char *s, size_t a, size_t b, unsigned *levels)
{
    unsigned n = 0;
    for (size_t q = a; n < *levels; n++) {
        q += text__indent3(s + q, b - q);
        if (q == b || s[q] != '>')
            break;
        a = ++q;
        if (a < b && s[a] == ' ')
            a++;
        q = a;
    }
    *levels = n;
    return a;
}

int text_markup_ranges(const char *s, size_t len, const text_open_fence_t *open,
                       text_markup_fn fn, void *payload)
{
    /* (The tokenizer's open_line() reads fences in quotes and items alike.) */
    text__fence_t fence = { open ? open->c : 0, open ? open->n : 0, true };
    bool in_fence = fence.c != 0, blank_before = true;
    /* The fence is in a block quote ("> ```sh"), so many levels deep: its
     * lines' marks are no code, and its closing fence is looked for after
     * them. */
    unsigned fence_quotes = 0;
    /* In a list, the column the last item's content starts at (0: in none).
     * An item indented less than four columns past it is nested in it, not
     * code: "- one\n    - nested" (CommonMark). Other lines indented four
     * columns stay code, as plain text's wrapped lines under a bullet are
     * more often than Markdown's. A passage cut inside a list cannot tell,
     * and reads a nested item as code. */
    size_t item_column = 0;
    line_carry_t carry = { 0, 0, 0 };
    /* The lines of an HTML comment, or of preformatted text and the like,
     * are text, not Markdown, as the passages read them: shown as they are
     * ("# draft" in "<!--" ... "-->" is no heading). (Front matter is not
     * told apart: a passage cannot tell whether it starts its text.) */
    text__raw_block_t raw = TEXT__RAW_NONE;
    for (size_t a = 0; a < len;) {
        size_t b = line_end(s, len, a);
        int rc = 0;
        bool commented = raw != TEXT__RAW_NONE;
        if (commented && text__raw_block_ends(s, a, b, raw))
            raw = TEXT__RAW_NONE;
        else if (!commented && !in_fence)
            raw = text__raw_block_opens(s, a, b);
        if (commented) {
            carry = (line_carry_t) { 0, 0, 0 };
            blank_before = false;
            a = b + 1;
            continue;
        }
        size_t indent = 0, i = a;
        for (; i < b && (s[i] == ' ' || s[i] == '\t'); i++)
            indent += s[i] == '\t' ? 4 - indent % 4 : 1;
        bool blank = i == b || text__is_space_byte((unsigned char)s[i]), nested = false;
        unsigned levels = fence_quotes;
        if (in_fence && fence_quotes > 0) {
            (void)past_quote_marks(s, a, b, &levels);
            if (levels < fence_quotes)
                in_fence = false, fence_quotes = 0; /* the quote ends, and its fence with it */
        }
        if (!in_fence && !blank) {
            size_t column = item_content_column(s, i, b, indent);
            /* In a paragraph, only a bullet or a 1 opens a list ("See step\n3.") */
            if (column != 0 && item_column == 0 && !blank_before && s[i] >= '0' && s[i] <= '9'
                && !(s[i] == '1' && (s[i + 1] == '.' || s[i + 1] == ')')))
                column = 0;
            nested = column != 0 && indent >= 4 && item_column != 0 && indent < item_column + 4;
            if (column != 0 && (indent < 4 || nested))
                item_column = column;
            else if (item_column != 0 && indent < item_column
                     && (blank_before || s[i] == '#' || s[i] == '>' || s[i] == '`'
                         || s[i] == '~'))
                item_column = 0;    /* a paragraph, heading, quote or fence after the list */
        }
        bool code = in_fence || (indent >= 4 && !nested);
        levels = in_fence ? fence_quotes : UINT_MAX;
        size_t q = past_quote_marks(s, a, b, &levels), f = q;
        if (!in_fence)
            f = text__fence_after_item(s, q, b);
        if (text__fence_toggles(s, f, b, in_fence, &fence)) {
            in_fence = !in_fence;
            fence_quotes = in_fence ? levels : 0;
            f += text__indent3(s + f, b - f);
            size_t run = f;
            while (run < b && s[run] == fence.c)
                run++;
            rc = q > a ? fn(a, q, 0, payload) : 0;     /* the quote's marks */
            if (rc == 0)
                rc = fn(f, run, 0, payload);           /* the fence, not what it says after */
        } else if (code) {
            rc = q > a ? fn(a, q, 0, payload) : 0; /* code, without its quote's marks */
        } else if (text__is_thematic_break(s + a, b - a) || text_is_underline(s + a, b - a)
                   || text__is_rst_underline(s, a, b) || is_table_delimiter(s, a, b)) {
            item_column = 0;
            rc = fn(a, b, 0, payload);             /* a rule, an underline, "|---|:--|" */
        } else {
            rc = line_markup(s, len, a, b, &carry, fn, payload);
        }
        if (in_fence || code)
            carry = (line_carry_t) { 0, 0, 0 };   /* nothing goes on into code */
        if (rc != 0)
            return rc;
        if (!in_fence)
            blank_before = blank;
        a = b + 1;
    }
    return 0;
}

/* Whether s[a..b) holds a word (a word character outside a link target), and
 * if so, the offset of its first character. A word too long to be a token
 * counts: a headline in Chinese is one unbroken run. */
static bool first_word_in(const char *s, size_t a, size_t b, size_t *at)
{
    size_t i = text__first_word_char(s + a, b - a);
    if (i == b - a)
        return false;
    *at = a + i;
    return true;
}

/* The end of the line that s[i] is on: the offset of its "\n", or len. */
static size_t line_end(const char *s, size_t len, size_t i)
{
    const char *nl = memchr(s + i, '\n', len - i);
    return nl != NULL ? (size_t)(nl - s) : len;
}

/* s[a..b) without white space at either end. */
static void trim(const char *s, size_t *a, size_t *b)
{
    while (*a < *b && text__is_space_byte((unsigned char)s[*a]))
        (*a)++;
    while (*b > *a && text__is_space_byte((unsigned char)s[*b - 1]))
        (*b)--;
}

/* Whether line s[a..b) (no "\n") is the delimiter delim ("---", "+++", "..."):
 * from its first byte, trailing white space allowed. */
static bool is_delimiter(const char *s, size_t a, size_t b, const char *delim)
{
    while (b > a && text__is_space_byte((unsigned char)s[b - 1]))
        b--;
    return b - a == 3 && memcmp(s + a, delim, 3) == 0;
}

/* The end of a quoted string opened by the quote at s[a], within s[a..b): the
 * offset of its closing quote, or b if it has none on the line. Inside double
 * quotes a backslash escapes the next byte; inside single quotes, "''" is a
 * quote (YAML). */
static size_t closing_quote(const char *s, size_t a, size_t b)
{
    char q = s[a];
    for (size_t i = a + 1; i < b; i++) {
        if (q == '"' && s[i] == '\\')
            i++;
        else if (s[i] == q && q == '\'' && i + 1 < b && s[i + 1] == '\'')
            i++;
        else if (s[i] == q)
            return i;
    }
    return b;
}

/* A "key: value" (YAML) or "key = value" (TOML) line s[a..b), a and b not
 * blank. The key is quoted, or a run of letters, digits, "_", "-" and "." (in
 * YAML also ":" and spaces, as in "og:image" and "date created"); then come
 * optional blanks and sep, which in YAML must be followed by a blank or the
 * line end ("see:http://x" is no key). Returns the offset just past sep, or 0
 * if the line is no key-value. [*ka, *kb) is the key, without its quotes;
 * *sure tells whether it is surely a key: quoted, or a single bare word
 * (prose has "Chapter 1: The Start"). */
static size_t parse_key(const char *s, size_t a, size_t b, char sep, size_t *ka, size_t *kb,
                        bool *sure)
{
    size_t i;
    *sure = false;
    if (s[a] == '"' || s[a] == '\'') {
        i = closing_quote(s, a, b);
        if (i == b)
            return 0;
        *ka = a + 1;
        *kb = i++;
        while (i < b && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i == b || s[i] != sep)
            return 0;
        *sure = true;
    } else {
        bool spaced = false;
        *ka = a;
        *kb = a;
        for (i = a; i < b; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c == (unsigned char)sep
                && (sep == '=' || i + 1 == b || s[i + 1] == ' ' || s[i + 1] == '\t'
                    || s[i + 1] == '\r'))
                break;
            if (is_wordish(c) || c == '_' || c == '-' || c == '.' || (sep == ':' && c == ':')) {
                spaced = spaced || *kb < i;
                *kb = i + 1;
            } else if (c != ' ' && c != '\t') {
                return 0;
            }
        }
        if (i == b || *kb == *ka || (sep == '=' && spaced))
            return 0;
        *sure = !spaced;
    }
    return i + 1;
}

/* The title in the value s[*a..*b) of a title key: what its quotes enclose
 * (or the rest of the line, if they do not close on it), else the value
 * without a trailing comment (" # ..."), trimmed. */
/* Where a YAML comment (" #" or a tab and "#") starts in s[a..b) (a not
 * blank), or b. */
static size_t comment_start(const char *s, size_t a, size_t b)
{
    for (size_t i = a + 1; i < b; i++)
        if (s[i] == '#' && (s[i - 1] == ' ' || s[i - 1] == '\t'))
            return i;
    return b;
}

static void title_value(const char *s, size_t *a, size_t *b)
{
    trim(s, a, b);
    if (*a < *b && (s[*a] == '"' || s[*a] == '\'')) {
        *b = closing_quote(s, *a, *b);
        (*a)++;
        return;
    }
    *b = comment_start(s, *a, *b);
    trim(s, a, b);
}

/* A front matter title as found: s[a..b), written as style says. */
typedef enum {
    TITLE_PLAIN,                /* bare, perhaps going on over indented lines */
    TITLE_DOUBLE,               /* in double quotes: backslash escapes */
    TITLE_SINGLE,               /* in single quotes: "''" is a quote */
    TITLE_BLOCK                 /* "|" or ">": the indented lines below */
} title_style_t;

typedef struct fm_title {
    size_t a, b;
    title_style_t style;
} fm_title_t;

/* Whether a bare YAML value is null: "null", "Null", "NULL" or "~". */
static bool is_yaml_null(const char *v, size_t n)
{
    return (n == 1 && v[0] == '~')
           || (n == 4 && (memcmp(v, "null", 4) == 0 || memcmp(v, "Null", 4) == 0
                          || memcmp(v, "NULL", 4) == 0));
}

/* What the title key's value may still take from the indented lines below:
 * GOES_ON_FIRST, its whole value, "title:" having none on its line. */
typedef enum { GOES_ON_NO, GOES_ON_PLAIN, GOES_ON_QUOTED, GOES_ON_BLOCK, GOES_ON_FIRST } goes_on_t;

/* The title's value starts on the key's line at s[va..vb) (trimmed): where it
 * is, and whether it may go on below. */
static goes_on_t title_start(const char *s, size_t va, size_t vb, fm_title_t *t)
{
    t->a = t->b = va;
    if (va == vb)
        return GOES_ON_FIRST;   /* "title:" alone: the value is below, if any */
    /* YAML's properties of the value, an anchor "&a" and a tag "!!str", are
     * no part of it. */
    while (va < vb && (s[va] == '&' || s[va] == '!')) {
        size_t k = va;
        while (k < vb && s[k] != ' ' && s[k] != '\t')
            k++;
        if (k == vb)
            break;              /* "&" alone is the value */
        while (k < vb && (s[k] == ' ' || s[k] == '\t'))
            k++;
        va = k;
    }
    t->a = t->b = va;
    if (s[va] == '#')
        return GOES_ON_NO;      /* "title: &a # a comment": no value */
    if (s[va] == '|' || s[va] == '>') {
        t->style = TITLE_BLOCK;
        return GOES_ON_BLOCK;   /* the indicator's line holds no text */
    }
    t->style = s[va] == '"' ? TITLE_DOUBLE : s[va] == '\'' ? TITLE_SINGLE : TITLE_PLAIN;
    size_t a = va, b = vb;
    title_value(s, &a, &b);
    t->a = a;
    t->b = b;
    if (t->style == TITLE_PLAIN && is_yaml_null(s + a, b - a)) {
        t->b = t->a;            /* "title: null" is no title */
        return GOES_ON_NO;
    }
    if (t->style == TITLE_PLAIN) /* a comment ends it */
        return comment_start(s, va, vb) == vb ? GOES_ON_PLAIN : GOES_ON_NO;
    /* closing_quote() answers the line's end when the quote does not close
     * on it: the title goes on below. */
    return b == vb ? GOES_ON_QUOTED : GOES_ON_NO;
}

/* An indented line s[a..b) (trimmed, not blank) below the title key: the
 * title takes it, up to a closing quote if it is quoted. */
static goes_on_t title_goes_on(const char *s, size_t a, size_t b, goes_on_t goes_on,
                               fm_title_t *t)
{
    if (t->a == t->b)
        t->a = a;               /* a block's first line */
    if (goes_on == GOES_ON_PLAIN) {
        size_t c = comment_start(s, a, b);
        t->b = c;
        trim(s, &t->a, &t->b);
        return c == b ? GOES_ON_PLAIN : GOES_ON_NO; /* a comment ends the value */
    }
    if (goes_on != GOES_ON_QUOTED) {
        t->b = b;
        return goes_on;
    }
    /* The quote opened before a; look for its closing one from a. */
    for (size_t i = a; i < b; i++) {
        if (t->style == TITLE_DOUBLE && s[i] == '\\') {
            i++;
        } else if (t->style == TITLE_SINGLE && s[i] == '\'' && i + 1 < b && s[i + 1] == '\'') {
            i++;
        } else if (s[i] == (t->style == TITLE_DOUBLE ? '"' : '\'')) {
            t->b = i;
            return GOES_ON_NO;
        }
    }
    t->b = b;
    return GOES_ON_QUOTED;
}

/* The first indented line s[a..b) (trimmed, not blank) below "title:" with
 * no value on its line: the value's start, as on the key's line, unless it
 * opens a list ("- item") or a mapping ("en: Title"), or is a comment. */
static goes_on_t title_below(const char *s, size_t a, size_t b, fm_title_t *t)
{
    size_t ka, kb;
    bool sure;
    if (s[a] == '#' || (s[a] == '-' && (b - a == 1 || s[a + 1] == ' ' || s[a + 1] == '\t'))
        || parse_key(s, a, b, ':', &ka, &kb, &sure) != 0)
        return s[a] == '#' ? GOES_ON_FIRST : GOES_ON_NO;
    goes_on_t goes_on = title_start(s, a, b, t);
    return goes_on == GOES_ON_FIRST ? GOES_ON_NO : goes_on;
}

/* A TOML multi-line string opened by the three quotes at s[va] (""" or
 * '''): the offset just past its closing quotes, or 0 if they are not found
 * within s[..end). Its text, without a line break right after the opening
 * quotes, goes to *t. */
static size_t toml_multiline(const char *s, size_t end, size_t va, fm_title_t *t)
{
    char q = s[va];
    t->style = q == '"' ? TITLE_DOUBLE : TITLE_PLAIN; /* ''' strings are literal */
    t->a = va + 3;
    if (t->a < end && s[t->a] == '\r')
        t->a++;
    if (t->a < end && s[t->a] == '\n')
        t->a++;
    for (size_t i = va + 3; i + 3 <= end; i++) {
        if (q == '"' && s[i] == '\\') {
            i++;
        } else if (s[i] == q && s[i + 1] == q && s[i + 2] == q) {
            /* Up to two quotes more belong to the text: """a "quote"""". */
            size_t run = 3;
            while (run < 5 && i + run < end && s[i + run] == q)
                run++;
            t->b = i + run - 3;
            if (t->b < t->a)
                t->b = t->a;
            return i + run;
        }
    }
    return 0;
}

static bool holds_word(const char *s, const fm_title_t *t)
{
    size_t at;
    return t->a < t->b && first_word_in(s, t->a, t->b, &at);
}

/* text_front_matter(), telling also how its title is written. A title key
 * whose value holds no word as written leaves the place to a later one (one
 * whose escapes hold no word, text_title_source() passes over). */
static size_t front_matter(const char *s, size_t len, fm_title_t *title)
{
    title->a = title->b = 0;
    title->style = TITLE_PLAIN;
    if (s == NULL || len < 3)
        return 0;
    size_t eol = line_end(s, len, 0);
    const char *open = is_delimiter(s, 0, eol, "---") ? "---"
                     : is_delimiter(s, 0, eol, "+++") ? "+++" : NULL;
    if (open == NULL)
        return 0;
    bool yaml = open[0] == '-';
    fm_title_t t = { 0, 0, TITLE_PLAIN };
    goes_on_t goes_on = GOES_ON_NO;
    bool in_table = false;      /* TOML: below a "[table]" line */
    bool sure_key = false;      /* YAML: a line surely a key was seen */
    unsigned lines = 0;
    for (size_t i = eol + 1; i < len && i <= TEXT_FRONT_MATTER_MAX; i = eol + 1) {
        eol = line_end(s, len, i);
        if (++lines > TEXT_FRONT_MATTER_MAX_LINES)
            return 0;
        if (is_delimiter(s, i, eol, open) || (yaml && is_delimiter(s, i, eol, "..."))) {
            if (yaml && !sure_key)
                return 0;       /* "---", "Chapter 1: The Start", "---" is a title */
            if (holds_word(s, &t))
                *title = t;
            return eol < len ? eol + 1 : len;
        }
        size_t a = i, b = eol, ka, kb;
        bool sure;
        trim(s, &a, &b);
        if (a == b)
            continue;           /* blank */
        if (s[i] == ' ' || s[i] == '\t') {
            if (goes_on == GOES_ON_FIRST)
                goes_on = title_below(s, a, b, &t);
            else if (goes_on == GOES_ON_PLAIN && s[a] == '#')
                goes_on = GOES_ON_NO; /* a comment ends a bare value */
            else if (goes_on != GOES_ON_NO)
                goes_on = title_goes_on(s, a, b, goes_on, &t);
            continue;           /* indented: a value goes on */
        }
        goes_on = GOES_ON_NO;
        if (s[a] == '#')
            continue;           /* a comment */
        if (yaml && s[a] == '-' && (b - a == 1 || s[a + 1] == ' ' || s[a + 1] == '\t'))
            continue;           /* a list item */
        if (!yaml && s[a] == '[') {
            in_table = true;
            continue;
        }
        size_t v = parse_key(s, a, b, yaml ? ':' : '=', &ka, &kb, &sure);
        if (v == 0) {
            /* YAML lines are all of the shapes above: anything else means the
             * "---" was a rule, not front matter. "+++" opens nothing but
             * TOML, whose arrays and strings may go on over lines. */
            if (yaml)
                return 0;
            continue;
        }
        sure_key = sure_key || sure;
        size_t va = v, vb = b;
        trim(s, &va, &vb);
        bool is_title = kb - ka == 5 && !in_table && !holds_word(s, &t);
        if (is_title) {
            char key[5];
            for (size_t k = 0; k < 5; k++)
                key[k] = (char)(s[ka + k] | 0x20);
            is_title = memcmp(key, "title", 5) == 0;
        }
        if (!yaml && vb - va >= 3 && (s[va] == '"' || s[va] == '\'')
            && s[va + 1] == s[va] && s[va + 2] == s[va]) {
            /* A TOML multi-line string: its lines are no keys or tables. */
            fm_title_t m;
            size_t past = toml_multiline(s, len < TEXT_FRONT_MATTER_MAX ? len
                                                : TEXT_FRONT_MATTER_MAX, va, &m);
            if (past == 0)
                return 0;       /* never closed */
            if (is_title)
                t = m;
            eol = line_end(s, len, past);
            continue;
        }
        if (is_title) {
            goes_on = title_start(s, va, vb, &t);
            if (!yaml)
                goes_on = GOES_ON_NO; /* TOML strings stay on their line */
        }
    }
    return 0;                   /* never closed */
}

size_t text_front_matter(const char *s, size_t len, size_t *title_start, size_t *title_end)
{
    fm_title_t t;
    size_t n = front_matter(s, len, &t);
    if (title_start != NULL)
        *title_start = t.a;
    if (title_end != NULL)
        *title_end = t.b;
    return n;
}

/* The value of hex digit c, or -1. */
static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The n (at most 8) hex digits at s[i..end) as a number, or -1. */
static int64_t hex_number(const char *s, size_t end, size_t i, size_t n)
{
    if (end - i < n)
        return -1;
    int64_t v = 0;
    for (size_t k = 0; k < n; k++) {
        int d = hex_value(s[i + k]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* The backslash escape at s[i] (i < end, s[i] == '\\') of a double-quoted
 * YAML or TOML string, written to out; returns its length. An escape that
 * neither knows is kept as it is. */
static size_t put_escape(const char *s, size_t end, size_t i, text_buf_t *out, bool *ok)
{
    if (i + 1 == end) {
        *ok = text_buf_putc(out, '\\');
        return 1;
    }
    char c = s[i + 1];
    if (c == '\n' || (c == '\r' && i + 2 < end && s[i + 2] == '\n')) {
        /* An escaped line break joins the lines, without a space. */
        size_t j = i + (c == '\r' ? 3 : 2);
        while (j < end && (s[j] == ' ' || s[j] == '\t'))
            j++;
        *ok = true;
        return j - i;
    }
    size_t digits = c == 'x' ? 2 : c == 'u' ? 4 : c == 'U' ? 8 : 0;
    if (digits) {
        int64_t v = hex_number(s, end, i + 2, digits);
        size_t n = 2 + digits;
        /* A surrogate pair written as two escapes, as JSON writes it. */
        if (v >= 0xD800 && v <= 0xDBFF && end - i >= 12 && s[i + 6] == '\\' && s[i + 7] == 'u') {
            int64_t lo = hex_number(s, end, i + 8, 4);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
                n = 12;
            }
        }
        if (v < 0) {
            *ok = text_buf_append(out, s + i, 2);
            return 2;
        }
        /* A lone surrogate or past U+10FFFF: U+FFFD; NUL: nothing. */
        *ok = v == 0 || text_buf_put_utf8(out, (uint32_t)v);
        return n;
    }
    switch (c) {
    case 'n': case 'r': case 't': case 'f': case 'v': case ' ': case 'N': case 'L': case 'P':
        *ok = text_buf_putc(out, ' '); /* white space, line breaks: a title is one line */
        break;
    case 'b': case 'a': case 'e': case '0':
        *ok = true;                    /* controls */
        break;
    case '_':
        *ok = text_buf_puts(out, "\xC2\xA0"); /* a no-break space */
        break;
    case '\\': case '"': case '/':
        *ok = text_buf_putc(out, c);
        break;
    default:
        *ok = text_buf_append(out, s + i, 2);
        break;
    }
    return 2;
}

/* Past "](target)" or "][label]" (a reference, defined elsewhere) at s[i]
 * (i < b), or 0. */
static size_t target_end(const char *s, size_t b, size_t i)
{
    if (i + 1 >= b || s[i] != ']' || (s[i + 1] != '(' && s[i + 1] != '['))
        return 0;
    const char *close = memchr(s + i + 2, s[i + 1] == '(' ? ')' : ']', b - i - 2);
    return close ? (size_t)(close - s) + 1 : 0;
}

/* Past the Markdown image at s[i] within s[..b), "![alt](src)" or one that is
 * a link, "[![alt](src)](href)" (a README's badge), their targets given
 * inline or by reference ("[![npm][npm-badge]][npm-url]"); else 0. */
static size_t image_end(const char *s, size_t b, size_t i)
{
    bool linked = i + 1 < b && s[i] == '[' && s[i + 1] == '!';
    size_t j = linked ? i + 1 : i;
    if (j + 1 >= b || s[j] != '!' || s[j + 1] != '[')
        return 0;
    const char *alt_end = memchr(s + j + 2, ']', b - j - 2);
    size_t end = alt_end ? target_end(s, b, (size_t)(alt_end - s)) : 0;
    return end && linked ? target_end(s, b, end) : end;
}

/* How far a tag that goes on over lines is looked through for its end, and
 * a page's style sheet or script for theirs. */
#define LONG_TAG_REACH 4096
#define SCRIPT_REACH 65536

/* Find the case-insensitive ASCII word w in s[a..b); its offset, or b. */
static size_t find_nocase(const char *s, size_t a, size_t b, const char *w)
{
    size_t n = strlen(w);
    for (size_t i = a; i + n <= b; i++)
        if (strncasecmp(s + i, w, n) == 0)
            return i;
    return b;
}

/* Past the page's style sheet or script whose opening tag is at s[j] ('<'),
 * its closing tag included, or 0 if it does not close within SCRIPT_REACH;
 * *script tells whether s[j] opens one at all. Their text is no title. */
static size_t script_end(const char *s, size_t len, size_t j, bool *script)
{
    static const char *const opens[] = { "<style", "<script" }, *const closes[] = {
        "</style", "</script" };
    *script = false;
    for (size_t k = 0; k < 2; k++) {
        size_t n = strlen(opens[k]);
        if (len - j > n && strncasecmp(s + j, opens[k], n) == 0
            && (s[j + n] == '>' || text__is_space_byte((unsigned char)s[j + n]))) {
            *script = true;
            size_t limit = len - j > SCRIPT_REACH ? j + SCRIPT_REACH : len;
            size_t close = find_nocase(s, j + n, limit, closes[k]);
            const char *gt = close < limit ? memchr(s + close, '>', limit - close) : NULL;
            return gt ? (size_t)(gt - s) + 1 : 0;
        }
    }
    return 0;
}

/* Whether line s[a..b) holds HTML tags and comments, or images, and nothing
 * else: no line for a title. */
static bool html_only_line(const char *s, size_t a, size_t b)
{
    bool tag = false;
    for (size_t i = a; i < b;) {
        bool script = false;
        size_t t = s[i] == '<' ? script_end(s, b, i, &script) : 0;
        if (script && !t)
            return true;    /* the rest of the line, and more, is its code */
        if (!t)
            t = html_tag_end(s, b, i);
        if (!t)
            t = image_end(s, b, i);
        if (t) {
            tag = true;
            i = t;
        } else if (text__is_space_byte((unsigned char)s[i])) {
            i++;
        } else {
            return false;
        }
    }
    return tag;
}

/* Past the HTML tag at s[j] ('<') that goes on over lines, as tools that
 * write HTML lay them out: a DOCTYPE with its DTD on the next line, an XML
 * declaration, "<HTML\n>" with its ">" on the next; else 0 (one that ends
 * on its line is html_only_line()'s). */
static size_t long_tag_end(const char *s, size_t len, size_t j)
{
    size_t limit = len - j > LONG_TAG_REACH ? j + LONG_TAG_REACH : len;
    size_t k = j + 1;
    const char *nl = memchr(s + j, '\n', limit - j);
    if (!nl)
        return 0;
    if (k < len && s[k] == '?') {
        for (k++; k + 2 <= limit; k++)
            if (s[k] == '?' && s[k + 1] == '>')
                return s + k > nl ? k + 2 : 0;
        return 0;
    }
    if (k < len && s[k] == '!') {
        if (len - k < 8 || strncasecmp(s + k + 1, "doctype", 7) != 0)
            return 0;
    } else {
        if (k < len && s[k] == '/')
            k++;
        size_t name = k;
        while (k < len && text__is_ascii_alnum((unsigned char)s[k]))
            k++;
        if (!is_html_element(s + name, k - name) || k >= len
            || !(text__is_space_byte((unsigned char)s[k]) || s[k] == '>' || s[k] == '/'))
            return 0;
    }
    for (; k < limit && s[k] != '<'; k++)
        if (s[k] == '>')
            return s + k > nl ? k + 1 : 0;
    return 0;
}

/* Past a line of HTML s[a..b) that opens a style sheet or script closed on a
 * later line ("<head><style>" over the rules): past its closing tag. Else
 * b. */
static size_t past_line_script(const char *s, size_t len, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        if (s[i] != '<')
            continue;
        bool script;
        size_t end = script_end(s, len, i, &script);
        if (script && (end == 0 || end > b))
            return end == 0 ? len : end;
        if (script)
            i = end - 1;
    }
    return b;
}

/* Past the HTML comment or tag that opens the blank-led text at s[i..len)
 * ("<!--\n  a note for editors\n-->", long_tag_end()), on one line or
 * several; else i. */
static size_t skip_comment(const char *s, size_t len, size_t i)
{
    size_t j = i;
    while (j < len && text__is_space_byte((unsigned char)s[j]))
        j++;
    if (j >= len || s[j] != '<')
        return i;
    bool script, comment = len - j >= 4 && memcmp(s + j, "<!--", 4) == 0;
    size_t end = script_end(s, len, j, &script);
    if (!script && !comment)
        end = long_tag_end(s, len, j);
    if (!comment)
        return end ? end : i;
    for (size_t k = j + 4; k + 3 <= len; k++)
        if (memcmp(s + k, "-->", 3) == 0)
            return k + 3;
    return i;
}

/* Past all the HTML comments and tags that open s[i..len), one after the
 * other. */
static size_t skip_long_comments(const char *s, size_t len, size_t i)
{
    for (size_t next; (next = skip_comment(s, len, i)) != i;)
        i = next;
    return i;
}


/* A title line of HTML that holds a <title> element, or its end: [*a, *b)
 * narrowed to the element's text ("<head><title>xsltproc</title>..." on one
 * line: "xsltproc", not every word of the page run together). */
static void narrow_to_title_element(const char *s, size_t *a, size_t *b)
{
    size_t na = *a, nb = *b, at;
    size_t open = find_nocase(s, na, nb, "<title");
    if (open < nb) {
        size_t gt = open + 6;
        if (gt < nb && s[gt] != '>' && !text__is_space_byte((unsigned char)s[gt]))
            return;    /* "<titles>" */
        while (gt < nb && s[gt] != '>')
            gt++;
        if (gt >= nb)
            return;
        na = gt + 1;
    }
    size_t close = find_nocase(s, na, nb, "</title");
    if (close > na && close < nb)
        nb = close;
    if (first_word_in(s, na, nb, &at)) {  /* not "# </title> Kabul" */
        *a = na;
        *b = nb;
    }
}

/* Past the HTML comments that open s[x..len), for the search for a title;
 * *scan, where it looks for fences next, moves past them too: their lines
 * hold none. */
static size_t past_comments(const char *s, size_t len, size_t x, size_t *scan)
{
    size_t next = skip_long_comments(s, len, x);
    if (next != x) {
        size_t a = next;
        while (a > 0 && s[a - 1] != '\n')
            a--;
        if (a > *scan)
            *scan = a;
    }
    return next;
}

/* Words of line s[a..b): its runs of bytes between white space that hold a
 * word character. */
static size_t line_words(const char *s, size_t a, size_t b)
{
    size_t n = 0;
    for (size_t i = a; i < b;) {
        while (i < b && text__is_space_byte((unsigned char)s[i]))
            i++;
        size_t j = i;
        while (j < b && !text__is_space_byte((unsigned char)s[j]))
            j++;
        if (j > i && text__first_word_char(s + i, j - i) < j - i)
            n++;
        i = j;
    }
    return n;
}

/* Whether line s[a..b) is blank: white space alone, or nothing. */
static bool blank_line(const char *s, size_t a, size_t b)
{
    trim(s, &a, &b);
    return a == b;
}

/* A news page saved as text often opens with its section's name on a line of
 * its own ("World", "Middle East") above the headline. Only the names news
 * sites give their sections count, in any case, so that a note titled "New"
 * or "Notes" above a line of text keeps its title. */
static const char *const section_names[] = {
    "analysis", "africa", "americas", "arts", "asia", "asia pacific", "breaking news",
    "business", "climate", "commentary", "culture", "defence", "defense", "diplomacy",
    "economy", "editorial", "education", "energy", "entertainment", "environment",
    "europe", "exclusive", "explainer", "feature", "features", "finance", "health",
    "international", "interview", "investigations", "latin america", "lifestyle",
    "markets", "middle east", "national", "news", "opinion", "politics", "science",
    "security", "sport", "sports", "tech", "technology", "travel", "world", "world news",
};

static bool kicker_line(const char *s, size_t a, size_t b)
{
    trim(s, &a, &b);
    for (size_t k = 0; k < sizeof section_names / sizeof section_names[0]; k++) {
        const char *name = section_names[k];
        size_t n = strlen(name), i = 0;
        while (i < n && a + i < b && ((unsigned char)s[a + i] | 0x20) == (unsigned char)name[i])
            i++;
        if (i == n && a + n == b)
            return true;
    }
    return false;
}

/* Whether line s[a..b), the paragraph after a kicker, reads as a headline: a
 * line alone, of HEADLINE_MIN_WORDS words or more and at most HEADLINE_MAX
 * bytes, that ends as no sentence or lead-in does (".", ",", ";", ":"), does
 * not start with a small letter, and is no byline ("By ...", "BY ..."), list
 * item (numbered or not), quote, table row, fence, indented code or HTML. */
#define HEADLINE_MIN_WORDS 3
#define HEADLINE_MAX 250
static bool headline_line(const char *s, size_t a, size_t b)
{
    if (text__indent3(s + a, b - a) == 3 && b - a > 3 && (s[a + 3] == ' ' || s[a + 3] == '\t'))
        return false; /* indented code */
    trim(s, &a, &b);
    if (a == b || b - a > HEADLINE_MAX || strchr(".,;:", s[b - 1]) != NULL)
        return false;
    if ((s[a] >= 'a' && s[a] <= 'z') || strchr("-*+>|`~<![", s[a]) != NULL
        || html_only_line(s, a, b))
        return false;
    if (text__list_marker_end(s, a, b, TEXT__ITEM_DIGITS) != 0)
        return false; /* a numbered list item */
    if (b - a > 3 && (s[a] | 0x20) == 'b' && (s[a + 1] | 0x20) == 'y' && s[a + 2] == ' ')
        return false; /* a byline, "By" or "BY" */
    return line_words(s, a, b) >= HEADLINE_MIN_WORDS;
}

/* The headline under a kicker line [a, b) ("World", a blank line, then the
 * headline as a paragraph of one line): true with its line in [*c, *d). */
static bool headline_under(const char *s, size_t len, size_t a, size_t b, size_t *c, size_t *d)
{
    if (!kicker_line(s, a, b))
        return false;
    size_t i = line_end(s, len, a);   /* the kicker's "\n" */
    if (i >= len)
        return false;
    i++;
    size_t blanks = 0;
    while (i < len && blank_line(s, i, line_end(s, len, i))) {
        blanks++;
        i = line_end(s, len, i) + 1;
    }
    if (blanks == 0 || i >= len)
        return false;
    size_t e = line_end(s, len, i);
    if (!headline_line(s, i, e))
        return false;
    if (e < len && !blank_line(s, e + 1, line_end(s, len, e + 1)))
        return false;
    *c = i;
    *d = e;
    return true;
}

/* Whether line s[a..b) is reStructuredText markup, where no title is, as
 * Sphinx sources open: a target (".. _pip check:"), a substitution (".. |x|
 * ..."), a footnote or citation (".. [1] ..."), a directive (".. note::"),
 * or a field alone, with a number at most (":orphan:", ":tocdepth: 2");
 * and MyST's target, "(build-interface)=", "(vcs support)=", in Markdown
 * written for Sphinx. Not a comment, which a line of prose may look like
 * (".. and so on"). */
static bool rst_markup_line(const char *s, size_t a, size_t b)
{
    if (b - a >= 4 && s[a] == '(') {
        size_t e = b;
        while (e > a && text__is_space_byte((unsigned char)s[e - 1]))
            e--;
        if (e - a >= 4 && s[e - 1] == '=' && s[e - 2] == ')') {
            if (text__is_space_byte((unsigned char)s[a + 1])
                || text__is_space_byte((unsigned char)s[e - 3]))
                return false;
            for (size_t i = a + 1; i < e - 2; i++)
                if (s[i] == '(' || s[i] == ')')
                    return false;
            return true;
        }
        return false;
    }
    if (b - a >= 4 && s[a] == '.' && s[a + 1] == '.' && s[a + 2] == ' ') {
        size_t i = a + 3;
        if (s[i] == '_' || s[i] == '|' || s[i] == '[')
            return true;
        while (i < b && (text__is_ascii_alnum((unsigned char)s[i]) || s[i] == '-'))
            i++;
        return i > a + 3 && i + 1 < b && s[i] == ':' && s[i + 1] == ':';
    }
    if (s[a] != ':')
        return false;
    size_t i = a + 1;
    while (i < b && (text__is_ascii_alnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_'))
        i++;
    if (i == a + 1 || i >= b || s[i] != ':')
        return false;
    size_t j = i + 1;
    while (j < b && text__is_space_byte((unsigned char)s[j]))
        j++;
    while (j < b && s[j] >= '0' && s[j] <= '9')
        j++;
    while (j < b && text__is_space_byte((unsigned char)s[j]))
        j++;
    return j == b;
}

/* The "-*- ... -*-" of an Emacs mode line in line s[a..b) ("GNU Make NEWS
 * -*- outline -*-", "# -*- coding: utf-8 -*-"), which tells the editor how
 * to show the file: into [*ma, *mb). False if the line has none. */
static bool mode_span(const char *s, size_t a, size_t b, size_t *ma, size_t *mb)
{
    for (size_t i = a; i + 3 <= b; i++) {
        if (memcmp(s + i, "-*-", 3) != 0)
            continue;
        for (size_t j = i + 3; j + 3 <= b; j++) {
            if (memcmp(s + j, "-*-", 3) == 0) {
                *ma = i;
                *mb = j + 3;
                return true;
            }
        }
        return false;
    }
    return false;
}

/* Whether line s[a..b) is an address alone, or a field that names one
 * ("Source: https://...", a saved article's first line; a Debian copyright
 * file's "Format: https://..."; "Re: https://..." is a subject): no title. */
static bool url_line(const char *s, size_t a, size_t b)
{
    static const char *const fields[] = { "format:", "source:", "url:", "link:", "origin:",
                                          "homepage:" };
    trim(s, &a, &b);
    for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
        size_t n = strlen(fields[k]);
        if (b - a > n && strncasecmp(s + a, fields[k], n) == 0
            && text__is_space_byte((unsigned char)s[a + n])) {
            a += n;
            trim(s, &a, &b);
            break;
        }
    }
    size_t i;
    size_t scheme = a;
    while (scheme < b && scheme - a < 16 && text__is_ascii_alnum((unsigned char)s[scheme]))
        scheme++;
    if (scheme == a || b - scheme < 4 || memcmp(s + scheme, "://", 3) != 0)
        return false;
    for (i = scheme + 3; i < b; i++)
        if (text__is_space_byte((unsigned char)s[i]))
            return false;
    return true;
}

/* Where the title begins on a text's first line s[a..b) that names it as
 * metadata: past Pandoc's "% ", MultiMarkdown's "Title:" or Org's "#+TITLE:"
 * (in any case) when words follow; else a. */
static size_t metadata_value(const char *s, size_t a, size_t b)
{
    static const char *const keys[] = { "%", "title:", "#+title:" };
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        size_t n = strlen(keys[k]), v = a + n, w;
        if (b - a > n && strncasecmp(s + a, keys[k], n) == 0
            && text__is_space_byte((unsigned char)s[v]) && first_word_in(s, v, b, &w)) {
            while (text__is_space_byte((unsigned char)s[v]))
                v++;
            return v;
        }
    }
    return a;
}

/* Past the indentation of line s[a..b). */
static size_t past_indent(const char *s, size_t a, size_t b)
{
    while (a < b && (s[a] == ' ' || s[a] == '\t'))
        a++;
    return a;
}

/* The comment marker that line s[a..b) of a source file's header opens with,
 * after any indentation: '#' or ';' (one or more), "//", "--", a C comment's
 * opening slash and star, or the star of its later lines; its length from a,
 * with the spaces after it, or 0. */
static size_t comment_marker_len(const char *s, size_t a, size_t b)
{
    size_t i = past_indent(s, a, b), m = i;
    if (m < b && (s[m] == '#' || s[m] == ';')) {
        while (m < b && s[m] == s[i])
            m++;
    } else if (b - m >= 2 && (memcmp(s + m, "//", 2) == 0 || memcmp(s + m, "--", 2) == 0
                              || (s[m] == '/' && s[m + 1] == '*'))) {
        m += 2;
    } else if (m < b && s[m] == '*') {
        m++;
    } else {
        return 0;
    }
    if (m < b && !text__is_space_byte((unsigned char)s[m]))
        return 0;
    while (m < b && text__is_space_byte((unsigned char)s[m]))
        m++;
    return m - a;
}

/* Past the comment that a source file's header opens with, on line s[a..b):
 * the end of the last of the lines under it that open with the same marker
 * (comment_marker_len(); a C comment's with its star, up to its closing star
 * and slash), lines of the marker alone, a comment's blank lines, included. */
static size_t past_comment(const char *s, size_t len, size_t a, size_t b)
{
    size_t m = past_indent(s, a, b);
    bool c_comment = s[m] == '/' && s[m + 1] == '*';
    for (;;) {
        if (c_comment && find_nocase(s, a, b, "*/") < b)
            return b;
        if (b >= len)
            return b;
        size_t c = b + 1, d = line_end(s, len, c), i = past_indent(s, c, d);
        bool same = c_comment ? i < d && s[i] == '*'
                              : comment_marker_len(s, c, d) != 0 && s[i] == s[m]
                                    && (strchr("#;*", s[m]) || s[i + 1] == s[m + 1]);
        if (!same)
            return b;
        a = c;
        b = d;
    }
}

/* Whether line s[a..b) is a copyright notice, as GNU files and licences put
 * above their text ("Copyright (C) 1989-2018 Free Software Foundation, Inc.",
 * "Copyright 1996, 1999-2016 ...", "(c) 2024 Jane Doe", "\u00a9 2024 Jane
 * Doe", "Copyright 1999 by Jane"): the word or the sign, years, then the
 * holder, a capital or "by". "Copyright 2024 review of the year", "(c) 2024
 * budget" and "Copyright law" are headlines. */
static bool copyright_line(const char *s, size_t a, size_t b)
{
    trim(s, &a, &b);
    bool word = b - a > 9 && strncasecmp(s + a, "copyright", 9) == 0
                && text__is_space_byte((unsigned char)s[a + 9]);
    if (word) {
        a += 9;
        trim(s, &a, &b);
    }
    bool sign = false;
    if (b - a >= 3 && strncasecmp(s + a, "(c)", 3) == 0)
        a += 3, sign = true;
    else if (b - a >= 2 && memcmp(s + a, "\xC2\xA9", 2) == 0)
        a += 2, sign = true;
    if (!word && !sign)
        return false;
    trim(s, &a, &b);
    size_t digits = 0;
    while (a + digits < b && s[a + digits] >= '0' && s[a + digits] <= '9')
        digits++;
    if (digits != 4)
        return false;
    /* More years: "1996, 1999-2016, 2018-2020", "2019\u20132024" */
    while (a < b && ((s[a] >= '0' && s[a] <= '9') || s[a] == ',' || s[a] == '-' || s[a] == ' '
                     || (b - a >= 3 && memcmp(s + a, "\xE2\x80\x93", 3) == 0)))
        a += (unsigned char)s[a] == 0xE2 ? 3 : 1;
    return a < b
           && ((s[a] >= 'A' && s[a] <= 'Z') || (unsigned char)s[a] >= 0xC0
               || (b - a > 3 && strncasecmp(s + a, "by ", 3) == 0));
}

/* Whether s[a..b) states the terms of a licence or names the work the
 * text belongs to ("Copying and distribution of this file ... are
 * permitted", "WITHOUT ANY WARRANTY", "This file is part of the GNU MP
 * Library"). */
static bool notice_text(const char *s, size_t a, size_t b)
{
    static const char *const words[] = { "permi", "copyright", "licen", "rights reserved",
                                         "warrant", "redistribut", "free software", "notice",
                                         "authoriz", "is part of", "contributed by",
                                         "written by" };
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
        if (find_nocase(s, a, b, words[k]) < b)
            return true;
    return false;
}

/* How many paragraphs of terms under a notice are passed over at most, and
 * how many words one between two of them may have. */
#define NOTICE_PARAGRAPHS 16
#define NOTICE_LINK_WORDS 6

/* The paragraph after the one that ends at s[b]: its first character, at
 * *c, and its end; or 0 if none follows. */
static size_t next_paragraph(const char *s, size_t len, size_t b, size_t *c)
{
    while (b < len && text__is_space_byte((unsigned char)s[b]))
        b++;
    if (b == len)
        return 0;
    *c = b;
    size_t d = line_end(s, len, b);
    while (d < len) {
        size_t e = line_end(s, len, d + 1);
        if (blank_line(s, d + 1, e))
            break;
        d = e;
    }
    return d;
}

/* Past a copyright notice whose first line ends at s[b]: the lines under it
 * that are notices too or name rights, authors or terms ("All rights
 * reserved.", "Contributed by ..."), and, from its paragraph's end, the
 * paragraphs that state terms (a GNU header's three, a licence's clauses,
 * and a few words between two of them, "or", "or both in parallel, as
 * here."). */
static size_t past_notice(const char *s, size_t len, size_t b)
{
    while (b < len) {
        size_t d = line_end(s, len, b + 1);
        if (blank_line(s, b + 1, d))
            break;
        if (!copyright_line(s, b + 1, d) && !notice_text(s, b + 1, d))
            return b;       /* "The Real Title" under the notice */
        b = d;
    }
    for (unsigned n = 0; n < NOTICE_PARAGRAPHS; n++) {
        size_t c, d = next_paragraph(s, len, b, &c), c2, d2;
        if (d == 0)
            break;
        if (!notice_text(s, c, d)
            && !(line_words(s, c, d) <= NOTICE_LINK_WORDS
                 && (d2 = next_paragraph(s, len, d, &c2)) != 0
                 && notice_text(s, c2, d2)))
            break;
        b = d;
    }
    return b;
}

/* Past the lines indented under the line that ends at s[b] (an explicit
 * markup block's, over blank lines too): the end of the last, or b. */
static size_t past_indented(const char *s, size_t len, size_t b)
{
    for (size_t i = b; i < len;) {
        size_t c = i + 1, d = line_end(s, len, c);
        if (c >= len)
            break;
        if (blank_line(s, c, d)) {
            i = d;
            continue;
        }
        if (s[c] != ' ' && s[c] != '\t')
            break;
        b = i = d;
    }
    return b;
}

/* Whether line s[a..b) is one no title is taken from: 0 if it may give the
 * title, else where the text goes on past it and what goes with it; *notice
 * says whether it is a copyright notice. */
static size_t passed_over(const char *s, size_t len, size_t a, size_t b, bool *notice)
{
    size_t ma, mb, w, m = comment_marker_len(s, a, b);
    *notice = copyright_line(s, a + m, b);
    if ((b - a >= 3 && memcmp(s + a, "#!/", 3) == 0)        /* a script's "#!/bin/sh" */
        || (b - a - m >= 4 && memcmp(s + a + m, "$Id", 3) == 0) /* a version control */
        || (b - a - m >= 8 && memcmp(s + a + m, "$Header", 7) == 0)) /* system's stamp */
        return b;
    if (*notice && m > 0)               /* "# Copyright ...": the whole comment */
        return past_notice(s, len, past_comment(s, len, a, b));
    if (*notice)                        /* and the terms stated under it */
        return past_notice(s, len, b);
    if (rst_markup_line(s, a, b))       /* ".. note::" and the lines under it */
        return past_indented(s, len, b);
    if (html_only_line(s, a, b) || url_line(s, a, b)
        || (mode_span(s, a, b, &ma, &mb) && !first_word_in(s, a, ma, &w)
            && !first_word_in(s, mb, b, &w)))
        return past_line_script(s, len, a, b);  /* a page's script may go on */
    return 0;
}

/* The first line from s[from] with a word, as text_first_line() finds it
 * once front matter has no title. */
/* Whether the lines after line s[a..b), read after lines that leave
 * in_code, are code to a title: in a fenced code block, or in preformatted
 * text, a script, a style sheet or a text area (text__raw_block_opens(); *pre
 * the one open). A line that opens one is code too. */
static bool code_line(const char *s, size_t a, size_t b, bool in_code, text__fence_t *fence,
                      text__raw_block_t *pre)
{
    if (*pre != TEXT__RAW_NONE) {
        if (text__raw_block_ends(s, a, b, *pre))
            *pre = TEXT__RAW_NONE;
        return *pre != TEXT__RAW_NONE;
    }
    if (text__fence_toggles(s, a, b, in_code, fence))
        return !in_code;
    if (in_code)
        return true;
    text__raw_block_t k = text__raw_block_opens(s, a, b);
    *pre = k != TEXT__RAW_COMMENT ? k : TEXT__RAW_NONE;
    return *pre != TEXT__RAW_NONE;
}

static bool first_line_from(const char *s, size_t len, size_t from, size_t *start, size_t *end)
{
    /* Word characters outside link targets, as the tokenizer reads them, so
     * that a line holding only a link target ("![](cover.jpg)") is not taken
     * for the title. Front matter with nothing after it: its first line with
     * a word, as in any text. */
    size_t at;
    if (!first_word_in(s, from, len, &at) && (from == 0 || !first_word_in(s, 0, len, &at)))
        return false;
    /* Lines of HTML alone (a README's "<p align=\"center\">", an editor's
     * "<!-- comment -->") are passed over, and so are fenced code blocks
     * ("```python", the code, "```") and copyright notices, unless no other
     * line has a word: then the first word of a code block, else the first
     * word. */
    size_t scan = from;  /* where fences are looked for next: a line start */
    while (scan > 0 && s[scan - 1] != '\n')
        scan--;
    size_t code_at = len, notice_at = len, title_from = 0;
    bool in_code = false, found = false;
    text__fence_t fence = { 0, 0, false };
    text__raw_block_t pre = TEXT__RAW_NONE;
    for (size_t next = past_comments(s, len, from, &scan), at2; next < len;) {
        if (!first_word_in(s, next, len, &at2))
            break;
        size_t a2 = at2, b2 = line_end(s, len, at2);
        while (a2 > 0 && s[a2 - 1] != '\n')
            a2--;
        bool opens_pre = false;     /* a2's line is a tag that opens preformatted text */
        for (; scan <= a2; scan = line_end(s, len, scan) + 1) {
            opens_pre = scan == a2 && pre == TEXT__RAW_NONE;
            in_code = code_line(s, scan, line_end(s, len, scan), in_code, &fence, &pre);
        }
        opens_pre = opens_pre && pre != TEXT__RAW_NONE;
        if (in_code) { /* a2's line opens a code block or is in one: past its end */
            /* Preformatted text's first word is past its tag ("<pre>$ make"),
             * before the line that ends it: none if it is empty. */
            const char *gt = opens_pre ? memchr(s + a2, '>', b2 - a2) : NULL;
            size_t text_from = gt ? (size_t)(gt - s) + 1 : b2, last = scan;
            for (; in_code && scan < len; scan = line_end(s, len, scan) + 1) {
                last = scan;
                in_code = code_line(s, scan, line_end(s, len, scan), true, &fence, &pre);
            }
            size_t text_to = in_code ? len : last;     /* unclosed: to the end */
            if (code_at == len && !opens_pre)
                code_at = at2;
            else if (code_at == len && text_from < text_to
                     && first_word_in(s, text_from, text_to, &at2))
                code_at = at2;
            if (scan > len)
                scan = len;
            next = past_comments(s, len, scan, &scan);
            continue;
        }
        bool notice;
        size_t past = passed_over(s, len, a2, b2, &notice);
        if (past != 0 && notice_at == len && notice)
            notice_at = at2;
        if (past == 0) {
            at = at2;
            /* A comment that closes on this line, before its word, is no
             * part of the title ("--> Release checklist"). */
            if (next > a2)
                title_from = next;
            found = true;
            break;
        }
        next = past_comments(s, len, past, &scan);
    }
    if (!found)     /* a licence alone is titled by its notice */
        at = notice_at < len ? notice_at : code_at < len ? code_at : at;
    size_t a = at;
    while (a > 0 && s[a - 1] != '\n')
        a--;
    if (found && title_from > a && title_from <= at)
        a = title_from;
    size_t b = line_end(s, len, at), ma, mb, w;
    if (found && mode_span(s, a, b, &ma, &mb)) {
        bool before = first_word_in(s, a, ma, &w), after = first_word_in(s, mb, b, &w);
        if (before && !after) {
            b = ma;     /* "GNU Make NEWS   -*- outline -*-" */
            while (b > a && text__is_space_byte((unsigned char)s[b - 1]))
                b--;
        } else if (!before) {
            a = mb;     /* "-*- mode: org -*- Meeting notes" */
        }               /* words on both sides: prose that names one */
    }
    if (found && blank_line(s, from, a))
        a = metadata_value(s, a, b);
    if (found) {
        /* A line of HTML (it opens with a tag, or one before it on the line
         * was passed over) holds the page's <title>; prose may name one. */
        size_t ink = a;
        while (ink < b && text__is_space_byte((unsigned char)s[ink]))
            ink++;
        if ((ink < b && s[ink] == '<') || (title_from > 0 && a == title_from))
            narrow_to_title_element(s, &a, &b);
        headline_under(s, len, a, b, &a, &b);
    }
    while (b > a && s[b - 1] == '\r')
        b--;
    if (start != NULL)
        *start = a;
    if (end != NULL)
        *end = b;
    return true;
}

bool text_first_line(const char *s, size_t len, size_t *start, size_t *end)
{
    if (s == NULL)
        return false;
    /* Front matter: its title, else the first line after it. */
    size_t ta, tb, from = text_front_matter(s, len, &ta, &tb);
    if (from > 0 && ta < tb) {
        if (start != NULL)
            *start = ta;
        if (end != NULL)
            *end = tb;
        return true;
    }
    return first_line_from(s, len, from, start, end);
}

bool text_title_source(const char *s, size_t len, text_buf_t *out, text_title_t *title)
{
    title->text = s;
    title->len = 0;
    title->front_matter = false;
    title->underlined = false;
    fm_title_t t;
    size_t from = front_matter(s, len, &t), start, end;
    if (from == 0 || t.a == t.b) {
        if (text_first_line(s, len, &start, &end)) {
            title->text = s + start;
            title->len = end - start;
            title->underlined = text_is_underlined(s, len, end)
                                && !text__is_bullet_line(s, start, end);
        }
        return true;
    }
    title->front_matter = true;
    if (t.style != TITLE_DOUBLE && t.style != TITLE_SINGLE) {
        title->text = s + t.a;  /* nothing to undo */
        title->len = t.b - t.a;
        return true;
    }
    text_buf_clear(out);
    bool ok = true;
    for (size_t i = t.a; ok && i < t.b;) {
        if (t.style == TITLE_DOUBLE && s[i] == '\\') {
            i += put_escape(s, t.b, i, out, &ok);
        } else if (t.style == TITLE_SINGLE && s[i] == '\'' && i + 1 < t.b && s[i + 1] == '\'') {
            ok = text_buf_putc(out, '\'');
            i += 2;
        } else {
            ok = text_buf_putc(out, s[i]);
            i++;
        }
    }
    if (!ok)
        return false;
    title->text = out->data ? out->data : "";
    title->len = out->len;
    /* Escapes alone ("\t", an emoji) hold no word once read: the title is
     * then the first line after the front matter, as with none. */
    if (text__first_word_char(title->text, title->len) == title->len) {
        title->len = 0;
        title->front_matter = false;
        if (first_line_from(s, len, from, &start, &end)) {
            title->text = s + start;
            title->len = end - start;
            title->underlined = text_is_underlined(s, len, end)
                                && !text__is_bullet_line(s, start, end);
        }
    }
    return true;
}
