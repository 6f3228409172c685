/*
 * passage.c — cutting a document into passages, the unit the index stores and
 * the searcher ranks. One pass over the lines: blank lines end paragraphs, and
 * so does an indented line after a line that is not (the paragraph indent of
 * plain text: newswire, abstracts); heading lines start passages, short paragraphs are joined to the next one and
 * long ones are cut (at a sentence end, else at a line end, else at white space, else anywhere on a
 * character boundary). Line numbers come from a cursor that only moves forward,
 * so the whole thing is linear in the input.
 *
 * Lines inside a fenced code block ("```" or "~~~") are never headings: a shell
 * comment in an example is not a section title.
 */
#include <string.h>

#include "text_internal.h"

/* Smallest max_bytes honoured: a hard cut must always make progress. */
#define MIN_MAX_BYTES 16

#define NONE ((size_t)-1)

/* What the lines read so far have left open: an HTML comment or other HTML
 * block of text (text__raw_block_opens()), a fenced code block. */
typedef struct cut_lines {
    size_t next;                /* the offset of the next line to read */
    size_t seen;                /* no line ends in [next, seen) */
    text__raw_block_t raw;      /* the HTML block the line after is in */
    bool in_fence;
    text__fence_t fence;
} cut_lines_t;

typedef struct pass_state {
    const char *s;
    size_t len;
    size_t min_bytes, max_bytes;
    text_passage_fn fn;
    void *payload;
    int rc;                     /* first non-zero callback value */
    uint32_t ordinal;
    size_t head_start, head_end;    /* the current heading (equal: none) */
    size_t cur_start, cur_end;      /* the passage being gathered, or NONE */
    size_t cur_head_start, cur_head_end;
    size_t line_pos;            /* line cursor: byte offset ... */
    uint32_t line_no;           /* ... the number of the line it is on ... */
    size_t line_start;          /* ... and the offset where that line starts */
    text__reader_t reader;      /* the whole text's words, read as far as needed */
    size_t front_end;           /* where front matter ends (0: none) */
    cut_lines_t lines;          /* the lines read up to the passage emitted last */
} pass_state_t;


/* Line number of offset pos; pos never goes backwards between calls. */
static uint32_t line_of(pass_state_t *st, size_t pos)
{
    while (st->line_pos < pos) {
        const char *nl = memchr(st->s + st->line_pos, '\n', pos - st->line_pos);
        if (nl == NULL) {
            st->line_pos = pos;
            break;
        }
        st->line_pos = (size_t)(nl - st->s) + 1;
        st->line_no++;
        st->line_start = st->line_pos;
    }
    return st->line_no;
}

/* Read line s[i..eol) into l: whether it opens or closes an HTML comment or
 * other such block (none in front matter, which ends at front_end) or,
 * outside one, a fenced code block. Returns whether the line is in such a
 * block, its end's line too (it opens none then);
 * *in_code receives whether it is in a block (a fence that opens one is
 * not). */
static bool read_line(cut_lines_t *l, const char *s, size_t i, size_t eol, size_t front_end,
                      bool *in_code)
{
    bool commented = l->raw != TEXT__RAW_NONE;
    *in_code = l->in_fence;
    if (commented)
        l->raw = text__raw_block_ends(s, i, eol, l->raw) ? TEXT__RAW_NONE : l->raw;
    else if (!l->in_fence && i >= front_end)
        l->raw = text__raw_block_opens(s, i, eol);
    if (!commented && l->raw == TEXT__RAW_NONE
        && text__fence_toggles(s, i, eol, l->in_fence, &l->fence))
        l->in_fence = !l->in_fence;
    l->next = eol + 1;
    return commented;
}

/* The code block open at the line of offset a (calls go forward), into
 * *open: what a passage that starts there must be read in. */
static void fence_open_at(pass_state_t *st, size_t a, text_open_fence_t *open)
{
    cut_lines_t *l = &st->lines;
    while (l->next < a) {
        /* Where the line was looked through already (a long line cut into
         * many passages), it is not again: the text is read once. */
        size_t from = l->seen > l->next ? l->seen : l->next;
        const char *nl = memchr(st->s + from, '\n', a - from);
        if (nl == NULL) {
            l->seen = a;
            break;      /* a is on this line */
        }
        bool in_code;
        (void)read_line(l, st->s, l->next, (size_t)(nl - st->s), st->front_end, &in_code);
    }
    open->c = l->in_fence ? l->fence.c : 0;
    open->n = !l->in_fence ? 0 : l->fence.n < UINT32_MAX ? (uint32_t)l->fence.n : UINT32_MAX;
}

static int first_token(const text_token_t *tok, void *payload)
{
    (void)tok;
    (void)payload;
    return 1;
}

/* Whether s[a..b), read alone in the block open at a (into *fence), as the
 * index and the searcher read a passage, holds a word. */
static bool holds_word(pass_state_t *st, size_t a, size_t b, text_open_fence_t *fence)
{
    fence_open_at(st, a, fence);
    return text_tokenize_in(st->s + a, b - a, 0, fence, first_token, NULL) != 0;
}

/* Report s[a..b) trimmed of white space, if it holds a word. */
static void emit(pass_state_t *st, size_t a, size_t b)
{
    if (st->rc != 0)
        return;
    while (a < b && text__is_space_byte((unsigned char)st->s[a]))
        a++;
    while (b > a && text__is_space_byte((unsigned char)st->s[b - 1]))
        b--;
    if (a == b)
        return;
    /* Read alone, as the index and the searcher read a passage, the piece
     * may hold no word, though read where it stands it does: a cut can part
     * a link's "](" from its address ("](x\u0090…) words": alone, the
     * "\u0090" opens a control string that runs on to the end), or a
     * footnote label from the word before it ("note [^1]:" is words, "[^1]:"
     * alone a label). Such a piece starts at the first word, of the whole
     * text's reading, from which it holds one. A piece with none from
     * anywhere is no passage: its word characters may also run on too long
     * to make a word (TEXT_TOKEN_MAX: a hex dump, a line of base64), which
     * nothing could find. */
    text_passage_t p;
    for (size_t from = a; !holds_word(st, a, b, &p.fence); from = a) {
        /* past the word read from there, not beyond the piece (a word
         * megabytes long is read once), and always on */
        size_t past = text__word_end(st->s, b, from);
        a = text__next_word_char(st->s, st->len, &st->reader, past > from ? past : from + 1, b);
        if (a == b)
            return;
    }
    p.ordinal = st->ordinal++;
    p.start = a;
    p.end = b;
    p.first_line = line_of(st, a);
    p.first_column = a - st->line_start < UINT32_MAX ? (uint32_t)(a - st->line_start + 1) : UINT32_MAX;
    p.last_line = line_of(st, b - 1);
    p.heading_start = st->cur_head_start;
    p.heading_end = st->cur_head_end;
    st->rc = st->fn(&p, st->payload);
}

/* The offset of the first byte of the line before the one that starts at
 * k (k > 0, u[k - 1] a line break). */
static size_t line_before(const unsigned char *u, size_t k)
{
    size_t j = k - 1;
    if (j > 0 && u[j] == '\n' && u[j - 1] == '\r')
        j--;
    while (j > 0 && u[j - 1] != '\n' && u[j - 1] != '\r')
        j--;
    return j;
}

/* Lines above a line that starts with a number read to tell whether it is
 * an item's: an item wrapped onto more lines than this is seldom met. */
#define ITEM_LINES_BACK 6

/* The value of the digits u[a..b) (TEXT__ITEM_DIGITS at most). */
static uint64_t number_of(const unsigned char *u, size_t a, size_t b)
{
    uint64_t n = 0;
    for (; a < b; a++)
        n = n * 10 + (uint64_t)(u[a] - '0');
    return n;
}

/* Whether the line u[t..end) opens an item of the list that item number n
 * goes on: a bullet ("- "), or n's number or the one before ("17. " over
 * "18."; a year over a year, "1999. Then", is a paragraph's). */
static bool item_before(const unsigned char *u, size_t t, size_t end, uint64_t n)
{
    size_t m = text__list_marker_end((const char *)u, t, end, TEXT__ITEM_DIGITS);
    if (m == 0)
        return false;
    if (u[t] == '-' || u[t] == '*' || u[t] == '+')
        return true;
    uint64_t above = number_of(u, t, m - 1);
    return above == n || above + 1 == n;
}

/* Whether the '.' at u[i] ends an ordered list's item number: "12." at a
 * line's start (after an indent or a quote's '>'), where a list may go on:
 * "1.", or after a blank line, an item ("11. ", "- ") or the lines an item
 * wraps onto, indented or not ("1. Check\nit.\n2. Sign"). In a paragraph,
 * a number that a line starts with ends its sentence: "the count
 * reached\n1999. Then". */
static bool ends_item_number(const unsigned char *u, size_t i)
{
    size_t k = i;
    while (k > 0 && u[k - 1] >= '0' && u[k - 1] <= '9' && i - k < TEXT__ITEM_DIGITS)
        k--;
    if (k == i)
        return false;
    bool one = i - k == 1 && u[k] == '1';
    uint64_t n = number_of(u, k, i);
    while (k > 0 && (u[k - 1] == ' ' || u[k - 1] == '\t' || u[k - 1] == '>'))
        k--;
    if (k > 0 && u[k - 1] != '\n' && u[k - 1] != '\r')
        return false;
    if (one || k == 0)
        return true;
    /* Up from the line above to an item, or to a blank line. */
    for (unsigned up = 0; up < ITEM_LINES_BACK && k > 0; up++) {
        size_t line = line_before(u, k), t = line, cols = 0;   /* past a quote's '>' */
        for (; t < k - 1 && (u[t] == '>' || u[t] == ' ' || u[t] == '\t'); t++)
            cols = u[t] == '>' ? 0 : cols + (u[t] == '\t' ? 4 : 1);
        if (u[t] == '\n' || u[t] == '\r')
            return up == 0;     /* a list may start after a blank line */
        if ((up == 0 && cols >= 2)  /* an item's wrapped line, indented */
            || item_before(u, t, k, n))
            return true;
        k = line;
    }
    return false;
}

/* The offset just past the sentence end whose punctuation is at s[i], or 0:
 * ". ", "? ", "! ", with closing quotes or markup allowed in between
 * ("said.” Then", "**done.** Next"); not a list item's number ("18. Step"),
 * and no digit after the space on the same line: a table's row goes on
 * ("Acme Bancorp Inc.   412.5"), where a list's next item does not
 * ("down.\n18. Step"). (A small letter may start a sentence: some
 * collections are written all in small letters.) */
static size_t sentence_end_at(const char *s, size_t limit, size_t i)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[i] != '.' && u[i] != '?' && u[i] != '!')
        return 0;
    if (u[i] == '.' && ends_item_number(u, i))
        return 0;
    size_t j = i + 1;
    while (j < limit) {
        if (u[j] == '"' || u[j] == '\'' || u[j] == ')' || u[j] == '*' || u[j] == '_') {
            j++;
        } else if (u[j] == 0xE2 && j + 2 < limit && u[j + 1] == 0x80 &&
                   (u[j + 2] == 0x99 || u[j + 2] == 0x9D)) {
            j += 3;     /* ’ ” */
        } else {
            break;
        }
    }
    if (j >= limit || !text__is_space_byte(u[j]))
        return 0;
    size_t k = j;
    bool new_line = false;
    for (; k < limit && text__is_space_byte(u[k]); k++)
        new_line |= u[k] == '\n' || u[k] == '\r';
    return !new_line && k < limit && u[k] >= '0' && u[k] <= '9' ? 0 : j;
}

/* Chinese and Japanese punctuation, which needs no space after it: the
 * offset just past the full stop, exclamation or question mark at s[i]
 * ("。", "！", "？", with closing quotes and brackets after it: "。」"), into
 * *sentence, or past the comma, enumeration comma, semicolon or colon there
 * ("，", "、", "；", "："), into *pause; 0 for what is neither. A text in
 * these scripts has few spaces, so these are where it may be cut without
 * cutting a word in two. */
static void cjk_mark_at(const char *s, size_t limit, size_t i, size_t *sentence, size_t *pause)
{
    const unsigned char *u = (const unsigned char *)s;
    *sentence = *pause = 0;
    if (i + 3 > limit)
        return;
    unsigned cp = ((u[i] & 0x0Fu) << 12) | ((u[i + 1] & 0x3Fu) << 6) | (u[i + 2] & 0x3Fu);
    if ((u[i] & 0xF0) != 0xE0 || (u[i + 1] & 0xC0) != 0x80 || (u[i + 2] & 0xC0) != 0x80)
        return;
    if (cp == 0xFF0C || cp == 0x3001 || cp == 0xFF1B || cp == 0xFF1A) {
        *pause = i + 3;
        return;
    }
    if (cp != 0x3002 && cp != 0xFF01 && cp != 0xFF1F)
        return;
    size_t j = i + 3;
    for (;;) {  /* 」 』 ） ” ’ 》 〉 */
        unsigned next = j + 3 <= limit && (u[j] & 0xF0) == 0xE0
                        ? ((u[j] & 0x0Fu) << 12) | ((u[j + 1] & 0x3Fu) << 6) | (u[j + 2] & 0x3Fu)
                        : 0;
        if (next != 0x300D && next != 0x300F && next != 0xFF09 && next != 0x201D
            && next != 0x2019 && next != 0x300B && next != 0x3009)
            break;
        j += 3;
    }
    *sentence = j;
}

/* Sizes are counted without the "\r" of a "\r\n", so that a file saved with
 * Windows line ends is cut as the same file with "\n" alone is. */

/* Whether s[a..b) holds at least n bytes so counted. */
static bool holds_bytes(const char *s, size_t a, size_t b, size_t n)
{
    if (b - a < n)
        return false;
    size_t counted = 0;
    for (size_t i = a; i < b && counted < n; i++)
        counted += !(s[i] == '\r' && i + 1 < b && s[i + 1] == '\n');
    return counted >= n;
}

/* The offset past the first n bytes of s[a..b) so counted, at most b. */
static size_t bytes_end(const char *s, size_t a, size_t b, size_t n)
{
    size_t i = a;
    for (size_t counted = 0; i < b && counted < n; i++)
        counted += !(s[i] == '\r' && i + 1 < b && s[i + 1] == '\n');
    return i;
}

/* Emit s[a..b), cut into pieces of at most max_bytes. */
static void emit_cut(pass_state_t *st, size_t a, size_t b)
{
    const char *s = st->s;
    for (;;) {
        while (a < b && text__is_space_byte((unsigned char)s[a]))
            a++;
        while (b > a && text__is_space_byte((unsigned char)s[b - 1]))
            b--;
        if (!holds_bytes(s, a, b, st->max_bytes + 1) || st->rc != 0) {
            emit(st, a, b);
            return;
        }
        /* Look through the next max_bytes for the last sentence end that leaves
         * at least min_bytes before it, else the last line end that does (a
         * list, a table, code: no item cut in two), else the last white
         * space. */
        size_t limit = bytes_end(s, a, b, st->max_bytes);
        size_t sentence = 0, line = 0, space = 0;
        size_t crs = 0;     /* the "\r" of "\r\n" in s[a..i) */
        for (size_t i = a + 1; i < limit; i++) {
            unsigned char c = (unsigned char)s[i];
            crs += c == '\n' && s[i - 1] == '\r';
            size_t before = i - a - crs;    /* counted before s[i] */
            if (text__is_space_byte(c)) {
                space = i;
                if (c == '\n' && before >= st->min_bytes)
                    line = i;
            } else if (c == '.' || c == '?' || c == '!') {
                size_t e = sentence_end_at(s, b, i);
                if (e != 0 && e <= limit && e - i + before >= st->min_bytes)
                    sentence = e;
            } else if (c == 0xE3 || c == 0xEF) {
                size_t e, pause;
                cjk_mark_at(s, b, i, &e, &pause);
                if (e != 0 && e <= limit && e - i + before >= st->min_bytes)
                    sentence = e;
                else if (pause != 0 && pause <= limit)
                    space = pause;
            }
        }
        size_t cut = sentence ? sentence
                     : line   ? line
                     : space  ? space
                              : text__char_ref_floor(s, b, text_utf8_floor(s, b, limit));
        if (cut <= a) {
            /* No boundary before the limit (a single huge, maybe broken
             * character sequence): cut after the first character. */
            cut = a + 1;
            while (cut < b && ((unsigned char)s[cut] & 0xC0) == 0x80 && cut - a < 4)
                cut++;
        }
        emit(st, a, cut);
        a = cut;
    }
}

static void flush(pass_state_t *st)
{
    if (st->cur_start == NONE)
        return;
    emit_cut(st, st->cur_start, st->cur_end);
    st->cur_start = NONE;
}

static void add_paragraph(pass_state_t *st, size_t a, size_t b)
{
    if (st->cur_start != NONE && !holds_bytes(st->s, st->cur_start, st->cur_end, st->min_bytes)) {
        st->cur_end = b;    /* too short to stand alone: join */
        return;
    }
    flush(st);
    st->cur_start = a;
    st->cur_end = b;
    st->cur_head_start = st->head_start;
    st->cur_head_end = st->head_end;
}

static void add_heading(pass_state_t *st, size_t a, size_t b)
{
    flush(st);
    while (b > a && text__is_space_byte((unsigned char)st->s[b - 1]))
        b--;
    st->head_start = a;
    st->head_end = b;
    st->cur_start = a;
    st->cur_end = b;
    st->cur_head_start = a;
    st->cur_head_end = b;
}

static bool is_blank_line(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (!text__is_space_byte((unsigned char)s[i]))
            return false;
    return true;
}

/* "# " to "###### " after at most three spaces (four make code). */
static bool is_heading_line(const char *s, size_t a, size_t b)
{
    a += text__indent3(s + a, b - a);
    size_t k = 0;
    while (a + k < b && s[a + k] == '#')
        k++;
    return k >= 1 && k <= 6 && a + k < b && (s[a + k] == ' ' || s[a + k] == '\t');
}

bool text__is_bullet_line(const char *s, size_t a, size_t b)
{
    a += text__indent3(s + a, b - a);
    return text__list_marker_end(s, a, b, 0) != 0;
}

bool text_is_underline(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && i < 3 && s[i] == ' ')
        i++;
    char c = i < len ? s[i] : 0;
    if (c != '=' && c != '-')
        return false;
    size_t run = 0;
    while (i < len && s[i] == c) {
        i++;
        run++;
    }
    while (i < len && text__is_space_byte((unsigned char)s[i]))
        i++;
    return run >= 3 && i == len;
}

/* Whether line s[a..b) of the text s underlines the line above it, Setext's
 * way or reStructuredText's. */
static bool underlines(const char *s, size_t a, size_t b)
{
    return text_is_underline(s + a, b - a) || text__is_rst_underline(s, a, b);
}

bool text_is_underlined(const char *s, size_t len, size_t end)
{
    const char *nl = end < len ? memchr(s + end, '\n', len - end) : NULL;
    if (!nl)
        return false;
    size_t next = (size_t)(nl - s) + 1;
    const char *next_end = memchr(s + next, '\n', len - next);
    return underlines(s, next, next_end ? (size_t)(next_end - s) : len);
}

/* How the line that ends at s[end] (exclusive; it starts at or after a)
 * ends: a sentence (".", "?", "!", ":" or "…", closing quotes and brackets
 * after them), a bare word (a letter or digit: a title), or other
 * punctuation ("," ";" "-": a sentence goes on). */
typedef enum { LINE_ENDS_SENTENCE, LINE_ENDS_WORD, LINE_ENDS_OTHER } line_ending_t;

static line_ending_t line_ending(const char *s, size_t a, size_t end)
{
    while (end > a && text__is_space_byte((unsigned char)s[end - 1]))
        end--;
    /* closing quotes and brackets: " ' ) ] ” ’ » */
    for (;;) {
        if (end > a && strchr("\"')]", s[end - 1]) != NULL && s[end - 1] != '\0')
            end--;
        else if (end >= a + 3 && (unsigned char)s[end - 3] == 0xE2 && (unsigned char)s[end - 2] == 0x80
                 && ((unsigned char)s[end - 1] == 0x9D || (unsigned char)s[end - 1] == 0x99))
            end -= 3;
        else if (end >= a + 2 && (unsigned char)s[end - 2] == 0xC2 && (unsigned char)s[end - 1] == 0xBB)
            end -= 2;
        else
            break;
    }
    if (end == a)
        return LINE_ENDS_OTHER;
    unsigned char c = (unsigned char)s[end - 1];
    if (c == '.' || c == '?' || c == '!' || c == ':')
        return LINE_ENDS_SENTENCE;
    if (end >= a + 3 && (unsigned char)s[end - 3] == 0xE2 && (unsigned char)s[end - 2] == 0x80
        && c == 0xA6)
        return LINE_ENDS_SENTENCE;          /* "…" */
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
               ? LINE_ENDS_WORD : LINE_ENDS_OTHER;
}

/* A line that starts with a tab or two spaces: the first line of an indented
 * paragraph, when the line before it was not indented (nor a list item's,
 * which such a line carries on) and ended a sentence, or was the title: the
 * text's first line, alone, ending in a word. Else it carries the sentence
 * on: a wrapped "•" or "a)" item, a poem's indented line. */
static bool is_indented_line(const char *s, size_t a, size_t b)
{
    return (a < b && s[a] == '\t') || (a + 1 < b && s[a] == ' ' && s[a + 1] == ' ');
}

/* Whether an indented line after the paragraph s[a..end), whose last line
 * is not, opens a paragraph of its own (is_indented_line()); first: the
 * paragraph is the text's first. */
static bool new_indented_paragraph(const char *s, size_t a, size_t end, bool first)
{
    const char *nl = memchr(s + a, '\n', end - a);
    const char *last_nl = nl;
    while (nl != NULL && (nl = memchr(nl + 1, '\n', (size_t)(s + end - (nl + 1)))) != NULL)
        last_nl = nl;
    size_t last = last_nl ? (size_t)(last_nl - s) + 1 : a;
    line_ending_t e = line_ending(s, last, end);
    return e == LINE_ENDS_SENTENCE || (e == LINE_ENDS_WORD && last_nl == NULL && first);
}

/* Whether line s[a..b) opens a list item: "- ", "* ", "+ ", or a number of at
 * most nine digits and "." or ")" ("1. ", "12) "), after at most three
 * spaces. */
static bool is_item_line(const char *s, size_t a, size_t b)
{
    a += text__indent3(s + a, b - a);
    return text__list_marker_end(s, a, b, TEXT__ITEM_DIGITS) != 0;
}

/* Whether line s[a..b) is a quote's: "> " after at most three spaces. */
static bool is_quote_line(const char *s, size_t a, size_t b)
{
    a += text__indent3(s + a, b - a);
    return a < b && s[a] == '>';
}

/* Whether line s[a..b) is indented as code: four columns or more (a tab
 * reaches the next multiple of four). */
static bool is_code_indented(const char *s, size_t a, size_t b)
{
    size_t col = 0;
    for (; a < b && col < 4 && (s[a] == ' ' || s[a] == '\t'); a++)
        col = s[a] == '\t' ? col / 4 * 4 + 4 : col + 1;
    return col >= 4;
}

/* A rule ("***", "- - -") indented at most three spaces: four make it code. */
static bool is_rule_line(const char *s, size_t a, size_t b)
{
    size_t i = a + text__indent3(s + a, b - a);
    return i < b && s[i] != ' ' && s[i] != '\t' && text__is_thematic_break(s + a, b - a);
}

/* The HTML blocks whose lines are text (text__raw_block_t): what opens one,
 * and what ends it, and their lengths. */
#define RAW(open, end) { open, end, sizeof open - 1, sizeof end - 1 }
static const struct {
    const char *open, *end;
    size_t open_len, end_len;
} raw_blocks[] = {
    [TEXT__RAW_COMMENT] = RAW("<!--", "-->"),
    [TEXT__RAW_PRE] = RAW("<pre", "</pre>"),
    [TEXT__RAW_SCRIPT] = RAW("<script", "</script>"),
    [TEXT__RAW_STYLE] = RAW("<style", "</style>"),
    [TEXT__RAW_TEXTAREA] = RAW("<textarea", "</textarea>"),
};
#undef RAW

bool text__raw_block_ends(const char *s, size_t a, size_t b, text__raw_block_t kind)
{
    const char *end = raw_blocks[kind].end;
    size_t n = raw_blocks[kind].end_len;
    for (const char *p = s + a; b - (size_t)(p - s) >= n; p++) {
        p = memchr(p, end[0], b - (size_t)(p - s) - n + 1);  /* '-' or '<' */
        if (p == NULL)
            return false;
        if (strncasecmp(p, end, n) == 0)
            return true;
    }
    return false;
}

text__raw_block_t text__raw_block_opens(const char *s, size_t a, size_t b)
{
    a += text__indent3(s + a, b - a);
    if (b - a < 4 || s[a] != '<')
        return TEXT__RAW_NONE;
    for (unsigned k = TEXT__RAW_COMMENT; k < sizeof raw_blocks / sizeof *raw_blocks; k++) {
        size_t n = raw_blocks[k].open_len;
        if (b - a < n || (s[a + 1] | 0x20) != raw_blocks[k].open[1]
            || strncasecmp(s + a, raw_blocks[k].open, n) != 0)
            continue;
        /* A tag's name ends there ("<pre>", "<pre class=x>", not "<preview>"). */
        if (k != TEXT__RAW_COMMENT && a + n < b && s[a + n] != '>'
            && !text__is_space_byte((unsigned char)s[a + n]))
            return TEXT__RAW_NONE;
        /* "<!-->" is a whole comment: its end is looked for past "<!" */
        size_t from = k == TEXT__RAW_COMMENT ? a + 2 : a + n;
        return text__raw_block_ends(s, from, b, (text__raw_block_t)k) ? TEXT__RAW_NONE
                                                                     : (text__raw_block_t)k;
    }
    return TEXT__RAW_NONE;
}

int text_passages(const char *s, size_t len, const text_passage_opts_t *opts,
                  text_passage_fn fn, void *payload)
{
    if (s == NULL || fn == NULL)
        return 0;
    text_passage_opts_t o = TEXT_PASSAGE_OPTS_INIT;
    if (opts != NULL)
        o = *opts;

    pass_state_t st;
    memset(&st, 0, sizeof st);
    st.s = s;
    st.len = len;
    st.max_bytes = o.max_bytes < MIN_MAX_BYTES ? MIN_MAX_BYTES : o.max_bytes;
    st.min_bytes = o.min_bytes > st.max_bytes ? st.max_bytes : o.min_bytes;
    st.fn = fn;
    st.payload = payload;
    st.cur_start = NONE;
    st.line_no = 1;
    st.reader = (text__reader_t)TEXT__READER_INIT;

    /* Front matter's lines are keys and values: a YAML comment there
     * ("# SEO settings") is no section title. */
    size_t front_end = text_front_matter(s, len, NULL, NULL);
    st.front_end = front_end;
    size_t para_start = NONE, para_end = 0, i = 0;
    bool prev_indented = false, prev_item = false; /* of the line before, in a paragraph */
    bool prev_block = false;    /* the line before is in code or a comment, or closes one */
    size_t after_block = NONE;  /* where the paragraph's first line after such lines starts */
    size_t first_text = 0;  /* where the text's first line starts */
    while (first_text < len && text__is_space_byte((unsigned char)s[first_text]))
        first_text++;
    while (first_text > 0 && s[first_text - 1] != '\n')
        first_text--;
    cut_lines_t lines;
    memset(&lines, 0, sizeof lines);
    while (i < len && st.rc == 0) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t eol = nl != NULL ? (size_t)(nl - s) : len;
        /* The front matter is a paragraph of its own: the line after it may
         * be a heading, underlined or not. */
        if (i == front_end && front_end > 0 && para_start != NONE) {
            add_paragraph(&st, para_start, para_end);
            para_start = NONE;
        }
        /* An HTML comment's lines are text, never headings nor fences (a
         * draft commented out: "<!--", "# Old title", "-->"). */
        bool in_code, commented = read_line(&lines, s, i, eol, front_end, &in_code);
        bool structure = !in_code && !commented && i >= front_end; /* headings may start here */
        bool after = prev_block;
        prev_block = in_code || commented;
        /* The one line above may be a heading: a paragraph's only line, or
         * the first after a code block or a comment in it, which ended a
         * block as Markdown reads it ("```" then "Usage" over "====="). */
        size_t head = after_block != NONE ? after_block : para_start;
        if (is_blank_line(s, i, eol)) {
            if (para_start != NONE)
                add_paragraph(&st, para_start, para_end);
            para_start = NONE;
        } else if (structure && is_heading_line(s, i, eol)) {
            if (para_start != NONE)
                add_paragraph(&st, para_start, para_end);
            para_start = NONE;
            add_heading(&st, i, eol);
        } else if (structure && para_start != NONE && para_end + 1 == i
                   && memchr(s + head, '\n', para_end - head) == NULL
                   && !text__is_bullet_line(s, head, para_end)
                   && !is_code_indented(s, head, para_end)
                   && !is_quote_line(s, head, para_end)
                   && underlines(s, i, eol)) {
            /* The one line above is a heading; its underline goes with it. */
            if (head > para_start)
                add_paragraph(&st, para_start, head - 1);
            add_heading(&st, head, para_end);
            st.cur_end = eol;
            para_start = NONE;
        } else if (structure && is_rule_line(s, i, eol)) {
            /* A rule ("***", or "---" not under a line of its own) ends a
             * paragraph, so that the line after it may be a heading. */
            if (para_start != NONE)
                add_paragraph(&st, para_start, para_end);
            para_start = NONE;
        } else {
            bool indented = is_indented_line(s, i, eol);
            if (para_start != NONE && indented && !prev_indented && !prev_item && !in_code
                && new_indented_paragraph(s, para_start, para_end, para_start == first_text)) {
                add_paragraph(&st, para_start, para_end);
                para_start = NONE;
            }
            prev_indented = indented;
            prev_item = !indented && is_item_line(s, i, eol);
            if (para_start == NONE) {
                para_start = i;
                after_block = NONE;
            } else if (after && !prev_block) {
                after_block = i;
            }
            para_end = eol;
            i = eol + 1;
            continue;
        }
        prev_indented = prev_item = false;
        i = eol + 1;
    }
    if (para_start != NONE && st.rc == 0)
        add_paragraph(&st, para_start, para_end);
    if (st.rc == 0)
        flush(&st);
    return st.rc;
}
