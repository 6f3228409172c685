/*
 * check_text.c — unit tests of text/: the tokenizer, folding, stemming,
 * stopwords, Markdown lines, passages, the record formats and the limits
 * (over-long tokens, huge inputs, invalid UTF-8). Most cases are tables run
 * with tcase_add_loop_test, so each row reports on its own; tokens are compared
 * as a compact string "word@pos[start,end)FLAGS" with FLAGS from J (joined),
 * A (acronym), N (number), S (sentence end), C (capitals), < and > (a hyphen
 * joins it to a word before, after), I (an ideograph or hiragana), T (one
 * touching the one before).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "buf.h"
#include "lines.h"
#include "record.h"
#include "spell.h"
#include "text.h"

#define N_ROWS(t) ((int)(sizeof(t) / sizeof((t)[0])))

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

static void render_flags(text_buf_t *b, unsigned flags)
{
    if (flags & TEXT_TOK_JOINED)
        text_buf_putc(b, 'J');
    if (flags & TEXT_TOK_ACRONYM)
        text_buf_putc(b, 'A');
    if (flags & TEXT_TOK_NUMBER)
        text_buf_putc(b, 'N');
    if (flags & TEXT_TOK_SENTENCE_END)
        text_buf_putc(b, 'S');
    if (flags & TEXT_TOK_CAPITALS)
        text_buf_putc(b, 'C');
    if (flags & TEXT_TOK_HYPHEN_BEFORE)
        text_buf_putc(b, '<');
    if (flags & TEXT_TOK_HYPHEN_AFTER)
        text_buf_putc(b, '>');
    if (flags & TEXT_TOK_IDEO)
        text_buf_putc(b, 'I');
    if (flags & TEXT_TOK_IDEO_TOUCHING)
        text_buf_putc(b, 'T');
}

/* Hot callbacks test with if + ck_abort_msg: every passing ck_assert records a
 * mark point through a pipe, which makes million-token tests crawl. */
static int render_token(const text_token_t *tok, void *payload)
{
    text_buf_t *b = payload;
    if (strlen(tok->word) != tok->word_len || tok->word_len > TEXT_TOKEN_MAX)
        ck_abort_msg("bad word length %zu for \"%s\"", tok->word_len, tok->word);
    if (b->len > 0)
        text_buf_putc(b, ' ');
    text_buf_printf(b, "%s@%u[%zu,%zu)", tok->word, (unsigned)tok->pos, tok->start, tok->end);
    render_flags(b, tok->flags);
    return 0;
}

/* The tokens of s[0..len) as one string; the caller frees it. */
static char *tokens_of(const char *s, size_t len, uint32_t first_pos)
{
    text_buf_t b = TEXT_BUF_INIT;
    text_buf_puts(&b, "");
    ck_assert_int_eq(text_tokenize(s, len, first_pos, render_token, &b), 0);
    return b.data;
}

/* Counts tokens and remembers the first and last. */
typedef struct tok_count {
    size_t n;
    uint32_t first_pos, last_pos;
    char last_word[TEXT_TOKEN_MAX + 1];
} tok_count_t;

static int count_token(const text_token_t *tok, void *payload)
{
    tok_count_t *c = payload;
    if (c->n == 0)
        c->first_pos = tok->pos;
    c->last_pos = tok->pos;
    memcpy(c->last_word, tok->word, tok->word_len + 1);
    c->n++;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* tokenize                                                                 */
/* ------------------------------------------------------------------------ */

typedef struct tok_row {
    const char *input;
    size_t len;             /* 0: strlen(input) */
    const char *expected;
} tok_row_t;

static const tok_row_t tok_rows[] = {
    /* 0: straight apostrophe kept inside the word */
    {"Russia's talks", 0, "russia's@0[0,8) talks@1[9,14)"},
    /* 1: curly apostrophe U+2019 becomes the straight one; offsets stay in source bytes */
    {"Russia\xE2\x80\x99s talks", 0, "russia's@0[0,10) talks@1[11,16)"},
    /* 2: U+2018 and U+02BC as apostrophes too */
    {"Russia\xE2\x80\x98s Russia\xCA\xBCs", 0, "russia's@0[0,10) russia's@1[11,20)"},
    /* 3: apostrophes not between word characters are quotes */
    {"'quoted' students' \xE2\x80\x98hi\xE2\x80\x99", 0,
     "quoted@0[1,7) students@1[9,17) hi@2[22,24)"},
    /* 4: several apostrophes inside one word */
    {"rock'n'roll don't", 0, "rock'n'roll@0[0,11) don't@1[12,17)"},
    /* 5: acronym at the end of the text ends the sentence; range covers the last dot */
    {"U.S.", 0, "us@0[0,4)AS"},
    /* 6: acronym, then a hyphenated word joined to it */
    {"U.S.-backed peace", 0, "us@0[0,4)A> backed@1[5,11)J< peace@2[12,17)"},
    /* 7: "U.S. Embassy" does not end a sentence */
    {"the U.S. Embassy", 0, "the@0[0,3) us@1[4,8)A embassy@2[9,16)"},
    /* 8: lower-case and three-letter acronyms */
    {"e.g. U.S.A. now", 0, "eg@0[0,4)A usa@1[5,11)A now@2[12,15)"},
    /* 9: acronym before a blank line ends its sentence */
    {"in the U.S.\n\nNext", 0, "in@0[0,2) the@1[3,6) us@2[7,11)AS next@4[13,17)"},
    /* 10: but a single line end (a wrapped line) does not */
    {"the U.S.\nEmbassy", 0, "the@0[0,3) us@1[4,8)A embassy@2[9,16)"},
    /* 11: acronym without its last dot */
    {"the U.S", 0, "the@0[0,3) us@1[4,7)A"},
    /* 12: a dotted letter followed by a longer word is no acronym (the dot then
     * reads as a full stop) */
    {"U.S.Army t.co", 0, "us@0[0,4)A army@1[4,8) t@2[9,10)S co@3[11,13)"},
    /* 13: comma between digits dropped */
    {"14,000 people", 0, "14000@0[0,6)N people@1[7,13)"},
    /* 14: dot between digits kept; sentence end after a word */
    {"1.35 percent.", 0, "1.35@0[0,4)N percent@1[5,12)S"},
    /* 15: commas and a decimal dot; trailing dot is punctuation */
    {"cost 1,000,000.50.", 0, "cost@0[0,4) 1000000.50@1[5,17)NS"},
    /* 16: comma not between digits separates */
    {"1, 2,a", 0, "1@0[0,1)N 2@1[3,4)N a@2[5,6)"},
    /* 17: hyphenated word: parts at consecutive positions, later ones joined */
    {"thermo-aeroelastic", 0, "thermo@0[0,6)> aeroelastic@1[7,18)J<"},
    /* 18: prefix hyphen, folded case */
    {"ex-Soviet", 0, "ex@0[0,2)> soviet@1[3,9)J<"},
    /* 19: U+2010 and U+2011 are hyphens */
    {"ex\xE2\x80\x90Soviet well\xE2\x80\x91known", 0,
     "ex@0[0,2)> soviet@1[5,11)J< well@2[12,16)> known@3[19,24)J<"},
    /* 20: a double hyphen or a spaced one does not join */
    {"x--y a - b", 0, "x@0[0,1) y@1[3,4) a@2[5,6) b@3[9,10)"},
    /* 21: a number after a hyphen */
    {"covid-19", 0, "covid@0[0,5)> 19@1[6,8)JN<"},
    /* 22: Markdown emphasis is not part of words */
    {"**bold** _it_ text", 0, "bold@0[2,6) it@1[10,12) text@2[14,18)"},
    /* 23: heading marks are not words */
    {"## Heading\n", 0, "heading@0[3,10)"},
    /* 24: link target skipped, link text kept */
    {"By [Reuters](#)", 0, "by@0[0,2) reuters@1[4,11)"},
    /* 25: URL target skipped */
    {"[a link](http://x.y/z) after", 0, "a@0[1,2) link@1[3,7) after@2[23,28)"},
    /* 26: image: alt text kept, source skipped */
    {"![alt text](img.png)", 0, "alt@0[2,5) text@1[6,10)"},
    /* 27: parentheses inside a link target */
    {"[w](http://e.org/a_(b)) c", 0, "w@0[1,2) c@1[24,25)"},
    /* 28: "](" with no closing ")" on the line is not a link */
    {"a](b c\nd)", 0, "a@0[0,1) b@1[3,4) c@2[5,6) d@3[7,8)"},
    /* 28a: positions skip one between blocks, so that no phrase spans two:
     * paragraphs, a heading and what follows, list items, table cells */
    {"red\n\nwine", 0, "red@0[0,3) wine@2[5,9)"},
    {"red\r\n  \r\nwine", 0, "red@0[0,3) wine@2[9,13)"},
    {"# Red\nWine", 0, "red@0[2,5) wine@2[6,10)"},
    {"Red\n===\nWine", 0, "red@0[0,3) wine@2[8,12)"},
    {"buy\n- apples\n- pears", 0, "buy@0[0,3) apples@2[6,12) pears@4[15,20)"},
    {"- apples\n  and pears\n1. x\n2. y", 0,
     "apples@0[2,8) and@1[11,14) pears@2[15,20) 1@4[21,22)NS x@5[24,25) 2@7[26,27)NS y@8[29,30)"},
    {"| Germany | 4.5 |", 0, "germany@0[2,9) 4.5@2[12,15)N"},
    {"> quoted\n> # head", 0, "quoted@0[2,8) head@2[13,17)"},
    {"a\rb\r\rc\r\r\nd", 0, "a@0[0,1) b@1[2,3) c@3[5,6) d@4[9,10)"},
    {"a\n> b\n> c\nd", 0, "a@0[0,1) b@2[4,5) c@3[8,9) d@4[10,11)"},  /* d: a lazy line */
    {"a\n> b\n>\nd\n> e", 0, "a@0[0,1) b@2[4,5) d@4[8,9) e@6[12,13)"},
    {"A|B testing | C", 0, "a@0[0,1) b@1[2,3) testing@2[4,11) c@3[14,15)"},
    {"|a|b|\nps aux | grep", 0, "a@0[1,2) b@2[3,4) ps@4[6,8) aux@5[9,12) grep@6[15,19)"},
    /* in a fenced code block, lines are lines, whatever they open with */
    {"x\n```\nrun\n# set it\n- y\n```\nz", 0,
     "x@0[0,1) run@2[6,9) set@3[12,15) it@4[16,18) y@5[21,22) z@7[27,28)"},
    {"x\n~~~\na\n```\n# b\n~~~\n# c", 0, "x@0[0,1) a@2[6,7) b@4[14,15) c@6[22,23)"},
    /* a fence closes with a bare fence as long; "```ls```" is inline code;
     * '>' in code is no quote */
    {"````md\n```python\n# a b\nuse\n````\nz", 0,
     "md@0[4,6) python@2[10,16) a@3[19,20) b@4[21,22) use@5[23,26) z@7[32,33)"},
    {"```ls``` x\n- one\n- two", 0, "ls@0[3,5) x@1[9,10) one@3[13,16) two@5[19,22)"},
    {"```\n>>> import a\nb\n```", 0, "import@0[8,14) a@1[15,16) b@2[17,18)"},
    /* numbered lines are items in a list, else wrapped lines */
    {"peak of\n3. The rate\n10. Then", 0,
     "peak@0[0,4) of@1[5,7) 3@2[8,9)NS the@3[11,14) rate@4[15,19) 10@5[20,22)NS then@6[24,28)"},
    {"1. a\n2. b", 0, "1@0[0,1)NS a@1[3,4) 2@3[5,6)NS b@4[8,9)"},
    /* indented four columns, a heading is no heading */
    {"on\n    ## Red\nWine", 0, "on@0[0,2) red@1[10,13) wine@2[14,18)"},
    {"#42 is fixed\n#hashtag\n## Head", 0,
     "42@0[1,3)N is@1[4,6) fixed@2[7,12) hashtag@3[14,21) head@5[25,29)"},
    /* ...but not a line break inside a paragraph, even before a number */
    {"founded in\n1987. It grew", 0, "founded@0[0,7) in@1[8,10) 1987@2[11,15)NS it@3[17,19) grew@4[20,24)"},
    {"a\nb", 0, "a@0[0,1) b@1[2,3)"},
    /* 28a: a heading's attribute block, at its line's end, is no word */
    {"# Install {#install .big}\nUse {#x} or {.y}\nOpts {: #opts}\n===", 0,
     "install@0[2,9) use@2[26,29) x@3[32,33) or@4[35,37) y@5[40,41) opts@6[43,47)"},
    {"> ## Q {-}\n# {#only}\n    # c {#c}", 0, "q@0[5,6) c@2[27,28) c@3[31,32)"},
    /* ...not in a fenced code block (which a list item may open, and a
     * quote's end closes), nor under an item over a rule */
    {"- ```\n  c\n  ```\n# H {#x}\n> ```\n> d\n\n# I {#y}", 0,
     "c@0[8,9) h@2[18,19) d@4[33,34) i@6[38,39)"},
    {"```\n# A {#b}\n```\n- c {#d}\n---", 0, "a@0[6,7) b@1[10,11) c@3[19,20) d@4[23,24)"},
    /* 28b: a footnote reference is no word; its definition's text is */
    {"peace[^1] talks\n[^1]: See x", 0, "peace@0[0,5) talks@1[10,15) see@2[22,25) x@3[26,27)"},
    {"a [^ b] c", 0, "a@0[0,1) b@1[5,6) c@2[8,9)"},
    /* ...after up to three spaces, as a link reference definition: four make code */
    {"x\n   [^2]: y\n    [^3]: z", 0, "x@0[0,1) y@1[11,12) 3@2[19,20)N z@3[23,24)"},
    /* 28c: a link reference definition's address is no word, its label is */
    {"See [g][r].\n\n[r]: https://ex.org/celery \"T\"", 0,
     "see@0[0,3) g@1[5,6) r@2[8,9)S r@4[14,15) t@5[41,42)"},
    {"x [r]: not/a/definition", 0, "x@0[0,1) r@1[3,4) not@2[7,10) a@3[11,12) definition@4[13,23)"},
    {"[INFO]: Starting server", 0, "info@0[1,5)C starting@1[8,16) server@2[17,23)"},
    {"[Note]: see/this then more", 0, "note@0[1,5) see@1[8,11) this@2[12,16) then@3[17,21) more@4[22,26)"},
    {"grep \"[^aeiou]\"", 0, "grep@0[0,4) aeiou@1[8,13)"},
    {"peace[^1](https://x.org/p) talks", 0, "peace@0[0,5) 1@1[7,8)N talks@2[27,32)"},
    /* 28c'': a "](target)" is a link's only after a "[" that opens it, on its
     * line or the line before, that no backslash escapes */
    {"\\[see](notes) a](b) \\\\[c](d)", 0,
     "see@0[2,5) notes@1[7,12) a@2[14,15) b@3[17,18) c@4[23,24)"},
    {"See [x \\[y]](z) [p \\] q](r) **B[^2]** Really[^3]? w[^vu]?", 0,
     "see@0[0,3) x@1[5,6) y@2[9,10) p@3[17,18) q@4[22,23) r@5[25,26) b@6[30,31) really@7[38,44) "
     "w@8[50,51)"},
    {"[x\ny](z) [a [b] c](d)\n\n[e\n\nf](g)", 0,
     "x@0[1,2) y@1[3,4) a@2[10,11) b@3[13,14) c@4[16,17) e@6[24,25) f@8[27,28) g@9[30,31)"},
    /* 28c''': in a fenced code block, shown as written, a link's target, a
     * footnote reference, a footnote's definition and a definition's
     * address are words; the line after the closing fence is no code */
    {"```\nc\n```\n[^zed]: note", 0, "c@0[4,5) note@2[18,22)"},
    {"```\n[^1]: a\n```", 0, "1@0[6,7)N a@1[10,11)"},
    {"```\nsee [d](tgt) x[^1]\n[r]: https://x.org/p\n```", 0,
     "see@0[4,7) d@1[9,10) tgt@2[12,15) x@3[17,18) 1@4[20,21)N r@5[24,25) https@6[28,33) "
     "x@7[36,37)S org@8[38,41) p@9[42,43)"},
    /* ...and so are they where snippets show them as written too: in a code
     * span, a line indented as code, an HTML comment */
    {"Some `[a](spantgt)` x", 0, "some@0[0,4) a@1[7,8) spantgt@2[10,17) x@3[20,21)"},
    {"Intro.\n\n    code [a](indtgt)", 0,
     "intro@0[0,5)S code@2[12,16) a@3[18,19) indtgt@4[21,27)"},
    {"<!--\n[a](comtgt) x[^n1]\n-->", 0, "a@0[6,7) comtgt@1[9,15) x@2[17,18) n1@3[20,22)"},
    {"See [a](hidtgt) x[^n2]", 0, "see@0[0,3) a@1[5,6) x@2[16,17)"},
    /* ...and a regular expression's class is no footnote reference */
    {"Use a[^b]*c or x[^yz]+ here[^2].", 0,
     "use@0[0,3) a@1[4,5) b@2[7,8) c@3[10,11) or@4[12,14) x@5[15,16) yz@6[18,20) here@7[23,27)"},
    /* 28d: a task's box after a bullet is no word, in a quote too; in code,
     * shown as written, after a number, or with no bullet, or another
     * letter, it is */
    {"- [x] call\n> * [X] mum\n  + [ ] ok", 0, "call@0[6,10) mum@2[19,22) ok@4[31,33)"},
    {"```\n- [x] a\n```", 0, "x@0[7,8) a@1[10,11)"},
    /* (a lone CR in a file of LF lines, a progress bar's redraw, starts no line) */
    {"a\r- [x] b", 0, "a@0[0,1) x@2[5,6) b@3[8,9)"},
    {"1. [x] a\n[x] b\n- [y] c\n- [x]d", 0,
     "1@0[0,1)NS x@1[4,5) a@2[7,8) x@3[10,11) b@4[13,14) y@6[18,19) c@7[21,22) x@9[26,27) "
     "d@10[28,29)"},
    /* 29: accents and case: É -> é, Straße -> strasse (case folding) */
    {"\xC3\x89ric STRASSE Stra\xC3\x9F" "e", 0,
     "\xC3\xA9ric@0[0,5) strasse@1[6,13)C strasse@2[14,21)"},
    /* 30: the fi ligature U+FB01 -> "fi" (NFKC) */
    {"\xEF\xAC\x81ne", 0, "fine@0[0,5)"},
    /* 31: e + combining acute composes to é (NFC) */
    {"e\xCC\x81t\xC3\xA9", 0, "\xC3\xA9t\xC3\xA9@0[0,6)"},
    /* 32: Cyrillic words */
    {"\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0 \xD0\xB8 \xD0\x9A\xD0\xB8\xD0\xB5\xD0\xB2",
     0,
     "\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0@0[0,12) \xD0\xB8@1[13,15) "
     "\xD0\xBA\xD0\xB8\xD0\xB5\xD0\xB2@2[16,24)"},
    /* 33: CJK: each ideograph is a token of its own (北京 東京) */
    {"\xE5\x8C\x97\xE4\xBA\xAC \xE6\x9D\xB1\xE4\xBA\xAC", 0,
     "\xE5\x8C\x97@0[0,3)I \xE4\xBA\xAC@1[3,6)IT \xE6\x9D\xB1@2[7,10)I \xE4\xBA\xAC@3[10,13)IT"},
    /* 34: fullwidth letters fold to ASCII */
    {"\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3", 0, "abc@0[0,9)"},
    /* 35: invalid UTF-8 separates words and is never part of one */
    {"ab\xFF" "cd\xC3 ef\xE2\x80", 0, "ab@0[0,2) cd@1[3,5) ef@2[7,9)"},
    /* 36: NUL separates words */
    {"ab\0cd", 5, "ab@0[0,2) cd@1[3,5)"},
    /* 37: overlong and surrogate encodings are invalid, not letters */
    {"a\xC1\x81" "b\xED\xA0\x80" "c", 0, "a@0[0,1) b@1[3,4) c@2[7,8)"},
    /* 38: sentence punctuation */
    {"Hello! World? Yes.", 0, "hello@0[0,5)S world@1[7,12)S yes@2[14,17)S"},
    /* 39: closing markup and quotes between a word and its full stop */
    {"**He left.** (see below). \"stop.\"", 0,
     "he@0[2,4) left@1[5,9)S see@2[14,17) below@3[18,23)S stop@4[27,31)S"},
    /* 40: colon and comma do not end sentences */
    {"said: yes, no", 0, "said@0[0,4) yes@1[6,9) no@2[11,13)"},
    /* 41: Arabic-Indic digits are a number */
    {"\xD9\xA1\xD9\xA2\xD9\xA3", 0, "\xD9\xA1\xD9\xA2\xD9\xA3@0[0,6)N"},
    /* 42: digits and letters in one token */
    {"3.5GHz v1.2", 0, "3.5ghz@0[0,6)N v1.2@1[7,11)"},
    /* 43: underscore joins nothing (snake_case is two words) */
    {"snake_case", 0, "snake@0[0,5) case@1[6,10)"},
    /* 44: nothing to cut */
    {"  ... --- *** ", 0, ""},
    /* 45: empty input */
    {"", 0, ""},
    /* 46: terminal escape sequences are skipped whole: a colour code is no
     * "31mred", a window title is no word */
    {"\033[31mred\033[0m say \033]0;pwned\007 hi", 0, "red@0[5,8) say@1[13,16) hi@2[28,30)"},
    /* 47: a C1 CSI; ESC and a final byte ("ESC x") is a sequence too; a lone ESC */
    {"\xC2\x9B" "1mbold \033x \033\n ok", 0, "bold@0[4,8) ok@1[15,17)"},
    /* 48: capitals: two or more, no lower case, no digit first */
    {"US Us uS I WHO G7 7G IT's", 0, "us@0[0,2)C us@1[3,5) us@2[6,8) i@3[9,10) who@4[11,14)C "
     "g7@5[15,17) 7g@6[18,20)N it's@7[21,25)"},
    /* 49: a soft hyphen, a zero-width joiner or a direction mark inside a
     * word is no part of it; at its edge it parts; a zero-width space parts */
    {"Tali\xC2\xAD" "ban Ka\xE2\x80\x8D" "bul a\xE2\x80\x8E" "b \xC2\xAD" "x y\xC2\xAD co\xE2\x80\x8B" "op", 0,
     "taliban@0[0,9) kabul@1[10,18) ab@2[19,24) x@3[27,28) y@4[29,30) co@5[33,35) op@6[38,40)"},
    /* 50: the hyphens around a part: a hyphen at a word's edge joins nothing */
    {"state-of-art -x y- co-op.", 0,
     "state@0[0,5)> of@1[6,8)J<> art@2[9,12)J< x@3[14,15) y@4[16,17) co@5[19,21)> "
     "op@6[22,24)JS<"},
    /* 51: a line with no '>' after a quote's text carries its paragraph on
     * (a "lazy" line), not after a blank line, nor a heading or an item */
    {"> lazy green\nturtle\n> a\n\nb\n> c\n# d\n> e\n- f", 0,
     "lazy@0[2,6) green@1[7,12) turtle@2[13,19) a@3[22,23) b@5[25,26) c@7[29,30) d@9[33,34) "
     "e@11[37,38) f@13[41,42)"},
    /* 52: an ideograph ends the word before it (iPhone手机2023年) */
    {"iPhone\xE6\x89\x8B\xE6\x9C\xBA" "2023\xE5\xB9\xB4", 0,
     "iphone@0[0,6) \xE6\x89\x8B@1[6,9)I \xE6\x9C\xBA@2[9,12)IT 2023@3[12,16)N \xE5\xB9\xB4@4[16,19)I"},
    /* 53: hiragana are tokens of their own, katakana run on as words; U+3002
     * ends a sentence (東京タワーへ行く。) */
    {"\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x82\xBF\xE3\x83\xAF\xE3\x83\xBC\xE3\x81\xB8\xE8\xA1\x8C"
     "\xE3\x81\x8F\xE3\x80\x82", 0,
     "\xE6\x9D\xB1@0[0,3)I \xE4\xBA\xAC@1[3,6)IT \xE3\x82\xBF\xE3\x83\xAF\xE3\x83\xBC@2[6,15) "
     "\xE3\x81\xB8@3[15,18)I \xE8\xA1\x8C@4[18,21)IT \xE3\x81\x8F@5[21,24)SIT"},
    /* 54: a kana's combining mark is part of it (NFC), a compatibility
     * ideograph folds (NFKC), a full-width ? ends a sentence, Hangul words
     * are spaced (か+U+3099 と U+F900 ？ 서울에서 만나요) */
    {"\xE3\x81\x8B\xE3\x82\x99\xE3\x81\xA8\xEF\xA4\x80\xEF\xBC\x9F"
     "\xEC\x84\x9C\xEC\x9A\xB8\xEC\x97\x90\xEC\x84\x9C \xEB\xA7\x8C\xEB\x82\x98\xEC\x9A\x94", 0,
     "\xE3\x81\x8C@0[0,6)I \xE3\x81\xA8@1[6,9)IT \xE8\xB1\x88@2[9,12)SIT "
     "\xEC\x84\x9C\xEC\x9A\xB8\xEC\x97\x90\xEC\x84\x9C@3[15,27) \xEB\xA7\x8C\xEB\x82\x98\xEC\x9A\x94@4[28,37)"},
    /* 55: a variation selector picks a glyph and is no part of the word
     * (漢+U+FE00 字, 葛+U+E0100 城) */
    {"\xE6\xBC\xA2\xEF\xB8\x80\xE5\xAD\x97 \xE8\x91\x9B\xF3\xA0\x84\x80\xE5\x9F\x8E", 0,
     "\xE6\xBC\xA2@0[0,3)I \xE5\xAD\x97@1[6,9)IT \xE8\x91\x9B@2[10,13)I \xE5\x9F\x8E@3[17,20)IT"},
    /* 56: an apostrophe before an ideograph ends the word, as a quote mark
     * (Obama'经济 ‘iPhone’手机) */
    {"Obama'\xE7\xBB\x8F\xE6\xB5\x8E \xE2\x80\x98iPhone\xE2\x80\x99\xE6\x89\x8B\xE6\x9C\xBA", 0,
     "obama@0[0,5) \xE7\xBB\x8F@1[6,9)I \xE6\xB5\x8E@2[9,12)IT iphone@3[16,22) "
     "\xE6\x89\x8B@4[25,28)I \xE6\x9C\xBA@5[28,31)IT"},
    /* 57: closing brackets before a full stop; a circled numeral is an
     * ideograph (「東京」。㊀) */
    {"\xE3\x80\x8C\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x80\x8D\xE3\x80\x82\xE3\x8A\x80", 0,
     "\xE6\x9D\xB1@0[3,6)I \xE4\xBA\xAC@1[6,9)SIT \xE4\xB8\x80@2[15,18)I"},
    /* 58: full-width digits, full stop, comma and apostrophe read as NFKC
     * folds them (３.５ １，０００ Ｕ．Ｎ． Ｏ＇Ｂｒｉｅｎ) */
    {"\xEF\xBC\x93.\xEF\xBC\x95 \xEF\xBC\x91\xEF\xBC\x8C\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90 "
     "\xEF\xBC\xB5\xEF\xBC\x8E\xEF\xBC\xAE\xEF\xBC\x8E "
     "\xEF\xBC\xAF\xEF\xBC\x87\xEF\xBC\xA2\xEF\xBD\x92\xEF\xBD\x89\xEF\xBD\x85\xEF\xBD\x8E", 0,
     "3.5@0[0,7)N 1000@1[8,23)N un@2[24,36)A o'brien@3[37,58)"},
    /* 59: a character reference is the character it names, by name, in
     * decimal or in hex (caf&eacute; cr&#232;me br&#xFB;l&#xE9;e); offsets
     * stay in source bytes */
    {"caf&eacute; cr&#232;me br&#xFB;l&#xE9;e", 0,
     "caf\xC3\xA9@0[0,11) cr\xC3\xA8me@1[12,22) br\xC3\xBBl\xC3\xA9" "e@2[23,39)"},
    /* 60: one that names no word character parts words, whole, as the
     * character does; an apostrophe or a soft hyphen stays inside the word */
    {"AT&amp;T don&rsquo;t &lt;GM&gt; x&shy;y", 0,
     "at@0[0,2)C t@1[7,8) don't@2[9,20) gm@3[25,27)C xy@4[32,39)"},
    /* 61: a '&' that opens no reference is a separator (no ';', no such
     * name, no character) */
    {"R&D &foo; &amp &#0; &#x110000;", 0,
     "r@0[0,1) d@1[2,3) foo@2[5,8) amp@3[11,14) 0@4[17,18)N x110000@5[22,29)"},
    /* 62: capitals by reference fold too; a word may open with one */
    {"&Eacute;COLE &#65;BC", 0, "\xC3\xA9" "cole@0[0,12) abc@1[13,20)C"},
    /* 63: a hyphen by reference joins words as the hyphen does */
    {"non&#8209;OPEC", 0, "non@0[0,3)> opec@1[10,14)JC<"},
    /* 64: in a code span, a line indented as code and after a backslash,
     * snippets show a reference as written: its name is a word there */
    {"`caf&eacute;` AT\\&amp;T\n\n    r&eacute;sum&eacute;", 0,
     "caf@0[1,4) eacute@1[5,11) at@2[14,16)C amp@3[18,21) t@4[22,23) r@6[29,30) "
     "eacute@7[31,37) sum@8[38,41) eacute@9[42,48)"},
    /* 65: in an HTML comment too, and outside it a reference is still a
     * character */
    {"<!-- na&iuml;ve --> na&iuml;ve", 0,
     "na@0[5,7) iuml@1[8,12) ve@2[13,15) na\xC3\xAFve@3[20,30)"},
    /* emphasis or a code span closing before "'s" leaves the word whole;
     * elsewhere such markup parts words, and a lone apostrophe after it is a
     * quote */
    {"**Moscow**'s `Buffer`\xE2\x80\x99s _a_'d x*'s b**s c*' d****'s", 0,
     "moscow's@0[2,12) buffer's@1[14,25) a'd@2[27,31) x's@3[32,36) b@4[37,38) s@5[40,41)"
     " c@6[42,43) d@7[46,47) s@8[52,53)"},
    /* ...and where snippets hide it, before a letter too ("GPUs", "ints");
     * markup they show ("x*y", "snake_case", a code span's "a**b**c") parts
     * words */
    {"**GPU**s `int`s x*y snake_case `a**b**c`", 0,
     "gpus@0[2,8) ints@1[10,15) x@2[16,17) y@3[18,19) snake@4[20,25) case@5[26,30) a@6[32,33) "
     "b@7[35,36) c@8[38,39)"},
    /* ...past one run after another: "abc", "foobar" */
    {"**a**`b`c `foo`**bar**", 0, "abc@0[2,9) foobar@1[11,20)"},
    /* ...and past a link's "](target)", hidden too ("GPUs", "Moscow's");
     * not past one shown as written, in code or escaped, nor a space */
    {"[GPU](u)s [Moscow](m)'s [a b](u) c `[x](y)z` \\[k](l)m [GPU](u) s", 0,
     "gpus@0[1,9) moscow's@1[11,23) a@2[25,26) b@3[27,28) c@4[33,34) x@5[37,38) y@6[40,41) "
     "z@7[42,43) k@8[47,48) l@9[50,51) m@10[52,53) gpu@11[55,58)C s@12[63,64)"},
    /* ...and a "](" with no "[", whose target closes nowhere, leaves a link
     * after it on the line a link */
    {"`x](y (` the [GPU](u/tgt)", 0, "x@0[1,2) y@1[4,5) the@2[9,12) gpu@3[14,17)C"},
};

START_TEST(test_text_tokenize_table)
{
    const tok_row_t *r = &tok_rows[_i];
    size_t len = r->len ? r->len : strlen(r->input);
    char *got = tokens_of(r->input, len, 0);
    ck_assert_msg(strcmp(got, r->expected) == 0, "row %d: got \"%s\", expected \"%s\"", _i, got,
                  r->expected);
    free(got);
}
END_TEST

START_TEST(test_text_tokenize_first_pos)
{
    char *got = tokens_of("a b-c", 5, 100);
    ck_assert_str_eq(got, "a@100[0,1) b@101[2,3)> c@102[4,5)J<");
    free(got);
}
END_TEST

/* A piece of a text that starts inside a fenced code block is read as in it
 * (text_tokenize_in()): its closing fence closes the block, and the list
 * after it has its boundaries, as in the whole text. */
START_TEST(test_text_tokenize_in_open_fence)
{
    static const char piece[] = "b = 2\n```\n\n- red\n- wine";
    static const char whole[] = "```py\na = 1\n\nb = 2\n```\n\n- red\n- wine";
    const text_open_fence_t open = { '`', 3 }, none = { 0, 0 };
    text_buf_t b = TEXT_BUF_INIT;
    text_buf_puts(&b, "");
    ck_assert_int_eq(text_tokenize_in(piece, strlen(piece), 0, &open, render_token, &b), 0);
    ck_assert_str_eq(b.data, "b@0[0,1) 2@1[4,5)N red@3[13,16) wine@5[19,23)");
    /* The whole text: the same gaps after its fence. */
    char *got = tokens_of(whole, strlen(whole), 0);
    ck_assert_str_eq(got, "py@0[3,5) a@2[6,7) 1@3[10,11)N b@5[13,14) 2@6[17,18)N red@8[26,29) "
                          "wine@10[32,36)");
    free(got);
    /* Read alone with no block open, the closing fence opens one: no gaps. */
    text_buf_clear(&b);
    ck_assert_int_eq(text_tokenize_in(piece, strlen(piece), 0, &none, render_token, &b), 0);
    ck_assert_str_eq(b.data, "b@0[0,1) 2@1[4,5)N red@3[13,16) wine@4[19,23)");
    text_buf_free(&b);
}
END_TEST

/* Text already cleaned of its markup (a title as shown) is read plainly: no
 * task's box, footnote reference, link target nor heading attributes is passed
 * over, and a character reference is as written; a terminal escape sequence
 * is still passed over. */
START_TEST(test_text_tokenize_plain)
{
    static const char shown[] = "- [x] bar[^1] [a](b) {#c} \033[31md e&eacute;";
    text_buf_t b = TEXT_BUF_INIT;
    text_buf_puts(&b, "");
    ck_assert_int_eq(text_tokenize_plain(shown, strlen(shown), 1, render_token, &b), 0);
    ck_assert_str_eq(b.data, "x@1[3,4) bar@2[6,9) 1@3[11,12)N a@4[15,16) b@5[18,19) c@6[23,24) "
                             "d@7[31,32) e@8[33,34) eacute@9[35,41)");
    /* Read as Markdown, the same text has fewer words. */
    char *got = tokens_of(shown, strlen(shown), 1);
    ck_assert_str_eq(got, "bar@1[6,9) a@2[15,16) c@3[23,24) d@4[31,32) e\xC3\xA9@5[33,42)");
    free(got);
    text_buf_free(&b);
}
END_TEST

static int stop_after_two(const text_token_t *tok, void *payload)
{
    int *n = payload;
    (void)tok;
    return ++*n == 2 ? 42 : 0;
}

START_TEST(test_text_tokenize_stop)
{
    int n = 0;
    ck_assert_int_eq(text_tokenize("one two three", 13, 0, stop_after_two, &n), 42);
    ck_assert_int_eq(n, 2);
}
END_TEST

/* The stems of a text, "*" after each stopword, a hyphenated word's parts
 * joined in brackets with the bytes it spans and its position. */
static int collect_stem(const text_term_t *t, void *payload)
{
    text_buf_t *b = payload;
    if (b->len > 0)
        text_buf_putc(b, ' ');
    if (t->compound)
        text_buf_putc(b, '[');
    text_buf_append(b, t->stem, t->stem_len);
    if (t->stopword)
        text_buf_putc(b, '*');
    if (t->compound)
        text_buf_printf(b, " %zu-%zu @%u]", t->tok->start, t->tok->end, (unsigned)t->tok->pos);
    return 0;
}

static char *stems_of(text_analyzer_t *a, const char *s)
{
    text_buf_t b = TEXT_BUF_INIT;
    text_buf_puts(&b, "");
    ck_assert_int_eq(text_analyze(a, s, strlen(s), 0, collect_stem, &b), 0);
    return b.data;
}

/* Both apostrophes give the same stems through the whole analyzer. */
START_TEST(test_text_tokenize_apostrophes_same_terms)
{
    text_analyzer_t *a;
    ck_assert_int_eq(text_analyzer_new(&a, "english"), TEXT_OK);
    char *straight = stems_of(a, "Russia's talks");
    char *curly = stems_of(a, "Russia\xE2\x80\x99s talks");
    ck_assert_str_eq(straight, "russia talk");
    ck_assert_str_eq(curly, straight);
    free(straight);
    free(curly);
    text_analyzer_free(a);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* fold                                                                     */
/* ------------------------------------------------------------------------ */

typedef struct fold_row {
    const char *input;
    const char *expected;   /* "" for a refused word */
} fold_row_t;

static const fold_row_t fold_rows[] = {
    {"Russia\xE2\x80\x99s", "russia's"},        /* curly apostrophe */
    {"RUSSIA'S", "russia's"},                   /* ASCII upper case */
    {"Stra\303\237e", "strasse"},            /* ß case-folds to ss */
    {"\xEF\xAC\x81", "fi"},                     /* ligature, NFKC */
    {"\xC3\x89", "\xC3\xA9"},                   /* É -> é */
    {"E\xCC\x81", "\xC3\xA9"},                  /* E + combining acute -> é */
    {"\xC5\x89", "'n"},                         /* ŉ -> ʼn -> 'n */
    {"\xEF\xBC\xA8\xEF\xBD\x85", "he"},         /* fullwidth */
    {"\xE2\x84\xAA", "k"},                      /* Kelvin sign */
    {"\xCE\xA3\xCE\xB9\xCF\x83", "\xCF\x83\xCE\xB9\xCF\x83"},   /* Σισ -> σισ */
    /* a Cyrillic stress accent goes (приве́т, Ко̀шка); Macedonian ќ, composed, stays */
    {"\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xCC\x81\xD1\x82",
     "\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82"},
    {"\xD0\x9A\xD0\xBE\xCC\x80\xD1\x88\xD0\xBA\xD0\xB0",
     "\xD0\xBA\xD0\xBE\xD1\x88\xD0\xBA\xD0\xB0"},
    {"\xD1\x9C\xD0\xB5", "\xD1\x9C\xD0\xB5"},
    {"e\xCC\x81", "\xC3\xA9"},                  /* a Latin one stays (unaccent drops it) */
    /* A compatibility space dropped between two marks: they meet and are put
     * in canonical order (U+036E U+FE70 -> U+036E " " U+064B -> U+064B
     * U+036E), or compose with the letter before (e U+0384 -> e " " U+0301
     * -> é). */
    {"\xCD\xAE\xEF\xB9\xB0", "\xD9\x8B\xCD\xAE"},
    {"e\xCE\x84", "\xC3\xA9"},
    {"", ""},                                   /* empty */
    {"\xFF" "abc", ""},                         /* invalid UTF-8: refused */
};

START_TEST(test_text_fold_table)
{
    const fold_row_t *r = &fold_rows[_i];
    char out[TEXT_TOKEN_MAX + 1];
    size_t n = text_fold(r->input, strlen(r->input), out, sizeof out);
    ck_assert_uint_eq(n, strlen(r->expected));
    ck_assert_str_eq(out, r->expected);
}
END_TEST

/* text_is_word_char agrees with the tokenizer: letters, digits, numbers and
 * marks are word characters; punctuation, '*', spaces and bad bytes are not. */
START_TEST(test_text_is_word_char)
{
    static const struct { const char *s; bool word; } rows[] = {
        {"a", true}, {"Z", true}, {"7", true}, {"\xC3\xA9", true} /* e acute */,
        {"\xD0\x96", true} /* Cyrillic Zhe */, {"\xCC\x81", true} /* combining acute */,
        {"\xE2\x85\xA2", true} /* Roman numeral three */, {"\xE4\xB8\xAD", true} /* CJK */,
        {"*", false}, {"-", false}, {"'", false}, {" ", false}, {"\xE2\x80\x94", false} /* dash */,
        {"\xF0\x9F\x8D\x95", false} /* pizza */, {"\xFF", false}, {"\xC3", false},
    };
    for (size_t k = 0; k < N_ROWS(rows); k++) {
        const char *s = rows[k].s;
        ck_assert_msg(text_is_word_char(s, strlen(s), 0) == rows[k].word, "row %zu", k);
        /* and the tokenizer makes a word of it alone exactly when it is one */
        tok_count_t c = {0};
        text_tokenize(s, strlen(s), 0, count_token, &c);
        ck_assert_msg((c.n > 0) == rows[k].word, "row %zu: %zu tokens", k, c.n);
    }
    /* at an offset, within the given length only */
    ck_assert(text_is_word_char("a*b", 3, 2));
    ck_assert(!text_is_word_char("a*b", 3, 1));
    ck_assert(!text_is_word_char("ab", 1, 1));
}
END_TEST

/* text_fold gives the tokenizer's word for a word the tokenizer keeps whole. */
static const char *const fold_same_words[] = {
    "Russia\xE2\x80\x99s", "Stra\303\237e", "\xEF\xAC\x81ne", "e\xCC\x81t\xC3\xA9",
    "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0", "Hello", "\xEF\xBC\xA1\xEF\xBC\xA2",
};

START_TEST(test_text_fold_matches_tokenizer)
{
    const char *w = fold_same_words[_i];
    char out[TEXT_TOKEN_MAX + 1];
    size_t n = text_fold(w, strlen(w), out, sizeof out);
    ck_assert_uint_gt(n, 0);
    tok_count_t c;
    memset(&c, 0, sizeof c);
    text_tokenize(w, strlen(w), 0, count_token, &c);
    ck_assert_uint_eq(c.n, 1);
    ck_assert_str_eq(c.last_word, out);
}
END_TEST

/* text_unaccent: "" means no accent to drop (0 returned, out untouched). */
static const fold_row_t unaccent_rows[] = {
    {"caf\xC3\xA9", "cafe"},
    {"e\xCC\x81t\xC3\xA9", "ete"},                /* combining or precomposed */
    {"z\xC3\xBCrich", "zurich"},
    {"\xC3\xB1", "n"},                          /* ñ */
    {"vi\xE1\xBB\x87t", "viet"},                 /* ệ: two accents stacked */
    {"\xE1\xBC\x80\xCE\xB8\xE1\xBF\x86\xCE\xBD\xCE\xB1\xCE\xB9", "\xCE\xB1\xCE\xB8\xCE\xB7\xCE\xBD\xCE\xB1\xCE\xB9"},   /* ἀθῆναι */
    {"\xC3\xB8re", "ore"},                      /* ø: a stroke folds too */
    {"\xC5\x82\xC3\xB3" "d\xC5\xBA", "lodz"},              /* Łódź, case-folded */
    {"\xC4\x91\xC3\xA0", "da"},                     /* Vietnamese Đà */
    {"k\xC4\xB1rm\xC4\xB1z\xC4\xB1", "kirmizi"},   /* Turkish dotless i: kırmızı */
    {"\xC3\xA6", ""},                           /* æ is a ligature, not an accent */
    {"\xD0\xB9", ""},                           /* Cyrillic й keeps its breve */
    {"\xE0\xA4\xB9\xE0\xA4\xBF", ""},               /* Devanagari हि: its vowel sign stays */
    {"plain", ""},                                /* ASCII */
    /* The grapheme joiner (class 0) stays, so the marks around it keep their order. */
    {"a\xD9\xB0\xCD\x8F\xD6\xB0" "b", ""},
    {"\xFF", ""},                                /* invalid UTF-8 */
};

START_TEST(test_text_unaccent_table)
{
    const fold_row_t *r = &unaccent_rows[_i];
    char out[TEXT_TOKEN_MAX + 1] = "untouched";
    size_t n = text_unaccent(r->input, strlen(r->input), out, sizeof out);
    ck_assert_uint_eq(n, strlen(r->expected));
    ck_assert_str_eq(out, n ? r->expected : "untouched");
    /* Unaccenting twice changes nothing more. */
    if (n) {
        char again[TEXT_TOKEN_MAX + 1];
        ck_assert_uint_eq(text_unaccent(out, n, again, sizeof again), 0);
    }
}
END_TEST

/* Stems hold no accents, whichever side of stemming the language drops them. */
START_TEST(test_text_stem_unaccented)
{
    static const struct { const char *lang, *a, *b; } pairs[] = {
        {"english", "r\xC3\xA9sum\xC3\xA9", "resume"},
        {"english", "caf\xC3\xA9s", "cafe"},
        {"french", "ferm\xC3\xA9" "e", "ferm\xC3\xA9"},   /* the stemmer reads the accents */
        {"french", "arriv\xC3\xA9" "e", "arriver"},
        {"none", "Z\xC3\xBCrich", "Zurich"},
        /* the dotless i is an i without its dot (KIRMIZI, Kırmızı) */
        {"english", "K\xC4\xB1rm\xC4\xB1z\xC4\xB1", "KIRMIZI"},
        {"turkish", "Diyarbak\xC4\xB1r", "DIYARBAKIR"},
        {"turkish", "D\xC4\xB0YARBAKIR", "Diyarbak\xC4\xB1r"},
        /* elided words go in French, Italian and Catalan */
        {"french", "L\xE2\x80\x99\xC3\xA9" "cole", "\xC3\xA9" "cole"},
        {"french", "d'Orl\xC3\xA9" "ans", "Orl\xC3\xA9" "ans"},
        {"french", "jusqu'ici", "ici"},
        {"italian", "dell'anno", "anno"},
        {"italian", "all'universit\xC3\xA0", "universit\xC3\xA0"},
        {"catalan", "l'escola", "escola"},
        /* a stress accent goes before stemming */
        {"russian", "\xD0\xBC\xD0\xBE\xD0\xBB\xD0\xBE\xD0\xBA\xD0\xBE\xCC\x81",
         "\xD0\xBC\xD0\xBE\xD0\xBB\xD0\xBE\xD0\xBA\xD0\xB0"},   /* молоко́, молока */
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        text_analyzer_t *a;
        ck_assert_int_eq(text_analyzer_new(&a, pairs[i].lang), TEXT_OK);
        char fa[TEXT_TOKEN_MAX + 1], fb[TEXT_TOKEN_MAX + 1];
        size_t na = text_fold(pairs[i].a, strlen(pairs[i].a), fa, sizeof fa);
        size_t nb = text_fold(pairs[i].b, strlen(pairs[i].b), fb, sizeof fb);
        size_t la, lb;
        char *sa = strdup(text_stem(a, fa, na, &la));
        const char *sb = text_stem(a, fb, nb, &lb);
        ck_assert_msg(la == lb && memcmp(sa, sb, la) == 0, "%s: %s -> %s, %s -> %s",
                      pairs[i].lang, pairs[i].a, sa, pairs[i].b, sb);
        for (size_t j = 0; j < la; j++)   /* no combining accent, and Latin letters are ASCII */
            ck_assert_msg((unsigned char)sa[j] < 0xC0 || ((unsigned char)sa[j] >= 0xD0
                                                          && (unsigned char)sa[j] <= 0xD4),
                          "%s: stem %s has an accent", pairs[i].lang, sa);
        free(sa);
        text_analyzer_free(a);
    }
}
END_TEST

START_TEST(test_text_fold_limits)
{
    char word[4 * TEXT_TOKEN_MAX + 8], out[TEXT_TOKEN_MAX + 1];
    memset(word, 'A', TEXT_TOKEN_MAX + 1);
    ck_assert_uint_eq(text_fold(word, TEXT_TOKEN_MAX, out, sizeof out), TEXT_TOKEN_MAX);
    ck_assert_uint_eq(text_fold(word, TEXT_TOKEN_MAX + 1, out, sizeof out), 0);
    /* A small output buffer refuses what does not fit. */
    ck_assert_uint_eq(text_fold("abcd", 4, out, 4), 0);
    ck_assert_uint_eq(text_fold("abc", 3, out, 4), 3);
    ck_assert_str_eq(out, "abc");
    /* 32 "é" are 64 bytes: kept; 33 are not. Same for the decomposed form. */
    for (int i = 0; i < 33; i++)
        memcpy(word + 2 * i, "\xC3\xA9", 2);
    ck_assert_uint_eq(text_fold(word, 64, out, sizeof out), 64);
    ck_assert_uint_eq(text_fold(word, 66, out, sizeof out), 0);
    for (int i = 0; i < 32; i++)
        memcpy(word + 3 * i, "e\xCC\x81", 3);
    ck_assert_uint_eq(text_fold(word, 96, out, sizeof out), 64);
    /* Mathematical bold A (4 bytes) folds to "a": 64 of them are 256 bytes in. */
    for (int i = 0; i < 64; i++)
        memcpy(word + 4 * i, "\xF0\x9D\x90\x80", 4);
    ck_assert_uint_eq(text_fold(word, 256, out, sizeof out), 64);
    ck_assert_uint_eq(out[0], 'a');
}
END_TEST

/* ------------------------------------------------------------------------ */
/* stem                                                                     */
/* ------------------------------------------------------------------------ */

typedef struct stem_row {
    const char *lang;
    const char *word;
    const char *stem;
} stem_row_t;

static const stem_row_t stem_rows[] = {
    {"english", "talks", "talk"},
    {"english", "talked", "talk"},
    {"english", "talking", "talk"},
    {"english", "transferred", "transfer"},     /* double consonant undone */
    {"english", "russia's", "russia"},          /* possessive removed */
    {"en", "talking", "talk"},                  /* ISO code */
    /* British spellings stem as American ones; look-alikes stay as they are */
    {"english", "organisations", "organ"}, {"english", "organizations", "organ"},
    {"english", "recognising", "recogn"}, {"english", "recognizing", "recogn"},
    {"english", "neighbourhood", "neighborhood"}, {"english", "neighbours", "neighbor"},
    {"english", "favourite", "favorit"}, {"english", "behavioural", "behavior"},
    {"english", "travelled", "travel"}, {"english", "cancelling", "cancel"},
    {"english", "defence", "defens"}, {"english", "centres", "center"},
    {"english", "programme", "program"}, {"english", "analysed", "analyz"},
    {"english", "promise", "promis"}, {"english", "exercised", "exercis"},
    {"english", "hour", "hour"}, {"english", "tours", "tour"}, {"english", "genre", "genr"},
    {"english", "organisation's", "organ"}, {"english", "neighbours'", "neighbor"},
    {"english", "memoisation", "memoiz"}, {"english", "memoization", "memoiz"},
    {"english", "serialised", "serial"}, {"english", "serialized", "serial"},
    {"english", "tokenising", "token"}, {"english", "tokenizing", "token"},
    {"porter", "colour", "color"},
    {"french", "organisation", "organis"},      /* English only */
    {"porter", "talking", "talk"},              /* the original Porter algorithm */
    {"none", "talking", "talking"},             /* identity */
    {"none", "russia's", "russia's"},
    {"french", "parlons", "parlon"},
    {"french", "aujourd'hui", "aujourd'hui"},   /* no elided word: one word */
    {"english", "l'amour", "l'amour"},          /* French only */
    {"italian", "l'", "l'"},                    /* nothing after the apostrophe */
    {"russian",                                 /* москвы -> москв */
     "\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD1\x8B", "\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2"},
};

START_TEST(test_text_stem_table)
{
    const stem_row_t *r = &stem_rows[_i];
    text_analyzer_t *a;
    ck_assert_int_eq(text_analyzer_new(&a, r->lang), TEXT_OK);
    size_t n;
    const char *s = text_stem(a, r->word, strlen(r->word), &n);
    ck_assert_uint_eq(n, strlen(r->stem));
    ck_assert_mem_eq(s, r->stem, n);
    /* Second time from the cache: the same. */
    s = text_stem(a, r->word, strlen(r->word), &n);
    ck_assert_uint_eq(n, strlen(r->stem));
    ck_assert_mem_eq(s, r->stem, n);
    text_analyzer_free(a);
}
END_TEST

START_TEST(test_text_stem_languages)
{
    text_analyzer_t *a = (text_analyzer_t *)1;
    ck_assert_int_eq(text_analyzer_new(&a, "klingon"), TEXT_ERR_LANG);
    ck_assert_ptr_null(a);
    a = (text_analyzer_t *)1;
    ck_assert_int_eq(text_analyzer_new(&a, NULL), TEXT_ERR_INVALID);
    ck_assert_ptr_null(a);
    ck_assert_int_eq(text_analyzer_new(&a, ""), TEXT_ERR_LANG);
    ck_assert_int_eq(text_analyzer_new(NULL, "english"), TEXT_ERR_INVALID);

    static const char *const names[][2] = {
        {"english", "english"}, {"en", "english"}, {"eng", "english"}, {"EN", "english"},
        {"English", "english"}, {"porter", "porter"}, {"none", "none"}, {"fr", "french"},
        {"de", "german"}, {"nl", "dutch"}, {"ru", "russian"}, {"es", "spanish"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        ck_assert_msg(text_analyzer_new(&a, names[i][0]) == TEXT_OK, "%s", names[i][0]);
        ck_assert_str_eq(text_analyzer_lang(a), names[i][1]);
        text_analyzer_free(a);
    }

    const char **langs = text_languages();
    bool english = false, none = false;
    size_t n = 0;
    for (; langs[n] != NULL; n++) {
        english |= strcmp(langs[n], "english") == 0;
        none |= strcmp(langs[n], "none") == 0;
        /* Every listed name makes an analyzer. */
        ck_assert_msg(text_analyzer_new(&a, langs[n]) == TEXT_OK, "%s", langs[n]);
        ck_assert_str_eq(text_analyzer_lang(a), langs[n]);
        text_analyzer_free(a);
    }
    ck_assert(english && none);
    ck_assert_uint_gt(n, 10);
    text_analyzer_free(NULL);
}
END_TEST

/* The cache grows, fills, empties and refills without ever changing a stem: compare
 * with libstemmer called directly, over more distinct words than it holds. */
START_TEST(test_text_stem_cache)
{
    text_analyzer_t *a;
    ck_assert_int_eq(text_analyzer_new(&a, "english"), TEXT_OK);
    struct sb_stemmer *ref = sb_stemmer_new("english", "UTF_8");
    ck_assert_ptr_nonnull(ref);
    static const char *const suffixes[] = {"ing", "ed", "s", "ation", "ly"};
    char word[64];
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 60000; i += (round ? 7 : 1)) {
            int len = snprintf(word, sizeof word, "w%xq%s", (unsigned)i, suffixes[i % 5]);
            size_t n;
            const char *s = text_stem(a, word, (size_t)len, &n);
            const sb_symbol *r = sb_stemmer_stem(ref, (const sb_symbol *)word, len);
            ck_assert_uint_eq(n, (size_t)sb_stemmer_length(ref));
            ck_assert_mem_eq(s, r, n);
            ck_assert_int_eq(s[n], '\0');
        }
    }
    /* Words longer than a token are stemmed too, just not cached. */
    char longw[300];
    memset(longw, 'a', sizeof longw);
    memcpy(longw + sizeof longw - 3, "ing", 3);
    size_t n;
    const char *s = text_stem(a, longw, sizeof longw, &n);
    ck_assert_uint_eq(n, sizeof longw - 3);
    ck_assert_mem_eq(s, longw, n);
    /* The empty word stems to itself. */
    s = text_stem(a, "", 0, &n);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_nonnull(s);
    sb_stemmer_delete(ref);
    text_analyzer_free(a);
}
END_TEST

static int count_terms(const text_term_t *t, void *payload)
{
    (void)t;
    ++*(int *)payload;
    return 0;
}

static int stop_at_compound(const text_term_t *t, void *payload)
{
    ++*(int *)payload;
    return t->compound ? 9 : 0;
}

static int stop_at_first_term(const text_term_t *t, void *payload)
{
    (void)t;
    (void)payload;
    return 7;
}

START_TEST(test_text_stem_analyze)
{
    text_analyzer_t *a;
    ck_assert_int_eq(text_analyzer_new(&a, "english"), TEXT_OK);
    char *got = stems_of(a, "The talks were transferred to Moscow's talk-shop.");
    ck_assert_str_eq(got, "the talk were transfer to moscow talk shop [talkshop 39-48 @6]");
    free(got);
    ck_assert_int_eq(text_analyze(a, "a b", 3, 0, stop_at_first_term, NULL), 7);
    text_analyzer_free(a);
}
END_TEST

/* A word of two parts of letters joined by a hyphen is analysed joined too,
 * right after its parts; a word of more parts, or of numbers or acronyms, is
 * not. */
START_TEST(test_text_analyze_compounds)
{
    static const struct {
        const char *text, *stems;
    } rows[] = {
        { "the co-founders met", "the* co founder [cofound 4-15 @1] met" },
        { "E-Mail", "e mail [email 0-6 @0]" },
        { "al-Qaida's x-rays.", "al qaida [alqaida 0-10 @0] x ray [xray 11-17 @2]" },
        { "state-of-the-art", "state of* the* art" },
        { "a well-to-do co-op", "a* well to* do* co op [coop 13-18 @4]" },
        { "1986-87 U.S.-led pre-1990 B-52", "1986 87 us led pre 1990 b 52" },
        { "a B2-bomber, an mp3-player", "a* b2 bomber an* mp3 player" },
        { "in-to", "in* to* [into* 0-5 @0]" },
        { "well- known", "well known" },
        { "day\xE2\x80\x91long", "day long [daylong 0-10 @0]" },  /* U+2011 */
        { "talks\n\nco-\nfounder", "talk co founder" },
    };
    text_analyzer_t *a;
    ck_assert_int_eq(text_analyzer_new(&a, "english"), TEXT_OK);
    ck_assert_int_eq(text_analyzer_default_stopwords(a), TEXT_OK);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *got = stems_of(a, rows[i].text);
        ck_assert_msg(strcmp(got, rows[i].stems) == 0, "%s: got '%s', want '%s'",
                      rows[i].text, got, rows[i].stems);
        free(got);
    }
    /* Parts that would make a word longer than a token make none. */
    char longer[2 * 40 + 2];
    memset(longer, 'a', sizeof longer - 1);
    longer[40] = '-';
    longer[sizeof longer - 1] = '\0';
    int n = 0;
    ck_assert_int_eq(text_analyze(a, longer, strlen(longer), 0, count_terms, &n), 0);
    ck_assert_int_eq(n, 2);
    /* A part too long to be a token is a part all the same: the word has
     * three, and makes no compound. */
    char part[71], three[120];
    memset(part, 'b', sizeof part - 1);
    part[sizeof part - 1] = '\0';
    snprintf(three, sizeof three, "co-founder-%s next", part);
    ck_assert_int_eq(text_analyze(a, three, strlen(three), 0, stop_at_compound, &n), 0);
    snprintf(three, sizeof three, "%s-co-founder next", part);
    ck_assert_int_eq(text_analyze(a, three, strlen(three), 0, stop_at_compound, &n), 0);
    snprintf(three, sizeof three, "%s\xE2\x80\x90" "co-founder next", part);
    ck_assert_int_eq(text_analyze(a, three, strlen(three), 0, stop_at_compound, &n), 0);
    /* ...but a word that ends a sentence with a hyphen is two parts */
    n = 0;
    ck_assert_int_eq(text_analyze(a, "co-op- ", 7, 0, stop_at_compound, &n), 9);
    /* The compound's callback value comes back too, at the end of the text. */
    n = 0;
    ck_assert_int_eq(text_analyze(a, "co-op", 5, 0, stop_at_compound, &n), 9);
    ck_assert_int_eq(n, 3);
    text_analyzer_free(a);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* stopwords                                                                */
/* ------------------------------------------------------------------------ */

START_TEST(test_text_stopwords_default)
{
    text_analyzer_t *a;
    ck_assert_int_eq(text_analyzer_new(&a, "english"), TEXT_OK);
    /* Empty until asked for. */
    char *got = stems_of(a, "the talks");
    ck_assert_str_eq(got, "the talk");
    free(got);
    ck_assert_int_eq(text_analyzer_default_stopwords(a), TEXT_OK);
    /* "the", "The", "what", "of" are; the acronym U.S. is not, plain "us" is. */
    got = stems_of(a, "The talks of the U.S. with us: what now");
    ck_assert_str_eq(got, "the* talk of* the* us with* us* what* now");
    free(got);
    /* Contractions are listed with the straight apostrophe; curly ones fold to it. */
    got = stems_of(a, "don\xE2\x80\x99t Moscow");
    ck_assert_str_eq(got, "don't* moscow");
    free(got);
    text_analyzer_free(a);

    ck_assert_int_eq(text_analyzer_new(&a, "french"), TEXT_OK);
    ck_assert_int_eq(text_analyzer_default_stopwords(a), TEXT_ERR_LANG);
    text_analyzer_free(a);
}
END_TEST

START_TEST(test_text_stopwords_snowball_format)
{
    static const char list[] =
        " | a comment line with words: talks\n"
        "Foo   | comment after a word: bar\n"
        "\tbaz qux|glued comment\n"
        "STRA\303\237E\n"
        "last";
    text_analyzer_t *a;
    ck_assert_int_eq(text_analyzer_new(&a, "none"), TEXT_OK);
    ck_assert_int_eq(text_analyzer_add_stopwords(a, list, sizeof list - 1), TEXT_OK);
    char *got = stems_of(a, "foo bar baz qux talks comment strasse last lastly");
    ck_assert_str_eq(got, "foo* bar baz* qux* talks comment strasse* last* lastly");
    free(got);
    ck_assert_int_eq(text_analyzer_add_stopwords(a, NULL, 0), TEXT_OK);
    ck_assert_int_eq(text_analyzer_add_stopwords(a, NULL, 3), TEXT_ERR_INVALID);
    /* Many words: the set grows. */
    text_buf_t b = TEXT_BUF_INIT;
    for (int i = 0; i < 2000; i++)
        text_buf_printf(&b, "w%d ", i);
    ck_assert_int_eq(text_analyzer_add_stopwords(a, b.data, b.len), TEXT_OK);
    text_buf_free(&b);
    got = stems_of(a, "w0 w1999 w2000 foo");
    ck_assert_str_eq(got, "w0* w1999* w2000 foo*");
    free(got);
    text_analyzer_free(a);
}
END_TEST

START_TEST(test_text_stopwords_token_flags)
{
    text_analyzer_t *a;
    ck_assert_int_eq(text_analyzer_new(&a, "english"), TEXT_OK);
    ck_assert_int_eq(text_analyzer_default_stopwords(a), TEXT_OK);
    text_token_t tok = {"us", 2, 0, 2, 0, 0};
    ck_assert(text_is_stopword(a, &tok));
    tok.flags = TEXT_TOK_ACRONYM;
    ck_assert(!text_is_stopword(a, &tok));
    tok.flags = TEXT_TOK_CAPITALS;   /* "US" */
    ck_assert(!text_is_stopword(a, &tok));
    text_token_t other = {"moscow", 6, 0, 6, 0, 0};
    ck_assert(!text_is_stopword(a, &other));
    ck_assert(!text_is_stopword(NULL, &other));
    /* Words that are also topics are not in the list: a gold mine, military might. */
    text_token_t mine = {"mine", 4, 0, 4, 0, 0}, might = {"might", 5, 0, 5, 0, 0};
    ck_assert(!text_is_stopword(a, &mine));
    ck_assert(!text_is_stopword(a, &might));
    /* A word with accents is not the stopword without them: thé is not the. */
    text_token_t the = {"th\xC3\xA9", 4, 0, 4, 0, 0};
    ck_assert(!text_is_stopword(a, &the));
    text_analyzer_free(a);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* markdown                                                                 */
/* ------------------------------------------------------------------------ */

typedef struct clean_row {
    const char *input;
    size_t cap;             /* 0: a large buffer */
    const char *expected;
} clean_row_t;

static const clean_row_t clean_rows[] = {
    /* heading marks, with and without closing hashes */
    {"## Heading", 0, "Heading"},
    {"### Title ###  ", 0, "Title"},
    {"# C#", 0, "C#"},
    /* a task's box after its bullet; a table row's outer bars */
    {"- [ ] buy milk", 0, "buy milk"},
    {"* [x] call mum", 0, "call mum"},
    {"- [link](x) and more", 0, "link and more"},
    {"- [ ]", 0, ""},
    {"[ ] not a task", 0, "[ ] not a task"},
    /* emphasis only where a run of as many pairs with it; none in code */
    {"Pass **kwargs and *args, a **bold** move", 0, "Pass **kwargs and *args, a bold move"},
    {"The `__init__` of _this_ class__", 0, "The __init__ of this class__"},
    /* a badge (an image that is a link) has no words of the title's; an
     * image alone keeps its alt text */
    {"# rustfmt [![linux](https://ci/b.svg)](https://ci) [![npm][n]][m]", 0, "rustfmt"},
    {"![Logo](l.png) Acme", 0, "Logo Acme"},
    {"| Name | Role |", 0, "Name | Role"},
    {"|a\\|", 0, "a|"},
    {"|", 0, ""},
    /* emphasis around words */
    {"**Former Afghan President** (AP / TASS)", 0, "Former Afghan President (AP / TASS)"},
    {"**Related article:** more", 0, "Related article: more"},
    {"_it_ and __bold__", 0, "it and bold"},
    /* a backslash that ends the line is a hard line break: markup; one in
     * a code span, or escaped, is text */
    {"Address line one\\", 0, "Address line one"},
    {"Address line one\\\r", 0, "Address line one"},
    {"A code `a\\` and C:\\\\", 0, "A code a\\ and C:\\"},
    /* literal stars and underscores */
    {"2 * 3 = snake_case", 0, "2 * 3 = snake_case"},
    /* emphasis beside punctuation or white space beyond ASCII: curly quotes,
     * dashes, a no-break space; between ideographs, which are words by
     * themselves; but not between letters, accented or not */
    {"He said \xe2\x80\x9c*Dune*\xe2\x80\x9d is *great*\xe2\x80\x94really", 0,
     "He said \xe2\x80\x9c" "Dune\xe2\x80\x9d is great\xe2\x80\x94really"},
    {"Plan\xe2\x80\x94*draft* and \xc2\xab~~struck~~\xc2\xbb", 0,
     "Plan\xe2\x80\x94" "draft and \xc2\xabstruck\xc2\xbb"},
    {"Four *Mazar*\xe2\x80\x99s plan", 0, "Four Mazar\xe2\x80\x99s plan"},
    {"\xe8\xbf\x99\xe6\x98\xaf**\xe9\x87\x8d\xe8\xa6\x81**\xe7\x9a\x84", 0,
     "\xe8\xbf\x99\xe6\x98\xaf\xe9\x87\x8d\xe8\xa6\x81\xe7\x9a\x84"},
    {"caf\xc3\xa9*au*lait and na\xc3\xafve_x_y", 0, "caf\xc3\xa9*au*lait and na\xc3\xafve_x_y"},
    {"\xe2\x80\x9c<em>Quoted</em>\xe2\x80\x9d and \xe4\xb8\xad<b>\xe6\x96\x87</b>", 0,
     "\xe2\x80\x9cQuoted\xe2\x80\x9d and \xe4\xb8\xad\xe6\x96\x87"},
    /* links and images */
    {"By [Reuters](#)", 0, "By Reuters"},
    {"See [the **report**](http://x.y/(z)) now", 0, "See the report now"},
    {"![a photo](p.jpg) caption", 0, "a photo caption"},
    {"[not a link] [x]", 0, "[not a link] [x]"},
    /* an escaped "[" opens no link: its "](target)" is text */
    {"\\[see](target) and [a](b) ](c)", 0, "[see](target) and a ](c)"},
    /* references are left as they are: "[WIP][backend]" is words */
    {"[Link **bold**][ref] and [WIP][backend]", 0, "[Link bold][ref] and [WIP][backend]"},
    /* ...but one by its own text, "[Error][]", is its text */
    {"The [Error][] class", 0, "The Error class"},
    {"m[i][j] and `[a](b)`", 0, "m[i][j] and [a](b)"},  /* an index, and code, are text */
    {"See <https://x.org/a?b=1> or <me@x.org>", 0, "See https://x.org/a?b=1 or me@x.org"},
    {"a <3 b, List<T>, <not a link>", 0, "a <3 b, List<T>, <not a link>"},
    /* code, block quotes, bullets */
    {"Use `grep -r` here", 0, "Use grep -r here"},
    {"> > quoted text", 0, "quoted text"},
    {"- item one", 0, "item one"},
    {"* item two", 0, "item two"},
    /* escapes */
    {"\\*not emphasis\\*", 0, "*not emphasis*"},
    /* white space and control characters */
    {"  a\tb   c \r\n", 0, "a b c"},
    {"a\x01" "b\x7F" "c", 0, "abc"},
    {"a\xC2\xA0" "b", 0, "a b"},                /* no-break space is white space */
    {"a\xFF" "b\xC3", 0, "ab"},                 /* invalid UTF-8 dropped */
    /* escape sequences dropped whole: CSI, OSC to BEL or ST, C1 CSI, ESC ( B */
    {"# Title \033]0;pwned\007 \033[1;31mred\033[0m", 0, "Title red"},
    {"a \033]8;;http://x\033\\link\033]8;;\033\\ \xC2\x9B" "1m b\033(B c", 0, "a link b c"},
    {"cut \033[31", 0, "cut"},
    /* cut at a character boundary: "hé" needs 3 bytes and the NUL */
    {"h\xC3\xA9llo", 3, "h"},
    {"h\xC3\xA9llo", 4, "h\xC3\xA9"},
    {"abc", 1, ""},
    /* thematic breaks and lone markup leave nothing */
    {"****", 0, ""},
    {"* * *", 0, ""},
    {"---", 0, ""},
    {"** **", 0, ""},
    /* HTML tags and comments go, their text stays; "a < b" is no tag */
    {"<h1>HTML Title</h1>", 0, "HTML Title"},
    {"# A <b>bold</b> <!-- hidden --> heading", 0, "A bold heading"},
    {"<section>T <cite>a</cite> <script>b</script> <time datetime=\"x\">c</time></section>", 0,
     "T a b c"},
    {"a < b and c > d", 0, "a < b and c > d"},
    {"I <3 this", 0, "I <3 this"},
    /* what is text, not a tag: autolinks (their text, as Markdown shows
     * them), generics, code, a<b */
    {"Contact <alice@example.com>", 0, "Contact alice@example.com"},
    {"See <https://example.com> now", 0, "See https://example.com now"},
    {"# Using `Vec<T>` in Rust", 0, "Using Vec<T> in Rust"},
    {"## The `<div>` element", 0, "The <div> element"},
    {"Generics: List<T> and Map<K,V>", 0, "Generics: List<T> and Map<K,V>"},
    {"if a<b and c>d then", 0, "if a<b and c>d then"},
    {"x<b>y</b>z and <b>w</b>z", 0, "x<b>y</b>z and wz"},   /* closes a tag that is text */
    {"2<sup>10</sup> <I>it</I> n<i>x</I>", 0, "2<sup>10</sup> it n<i>x</I>"},
    {"<P ALIGN=center>Shout</P><br/>", 0, "Shout"},
    /* list markers go: a bullet, or an ordered list's number of 1 to 3 digits */
    {"- list item title", 0, "list item title"},
    {"1. numbered title", 0, "numbered title"},
    {"  12) numbered title", 0, "numbered title"},
    {"> 3. quoted item", 0, "quoted item"},
    {"1984. The year", 0, "1984. The year"},
    {"3.5 percent", 0, "3.5 percent"},
    {"1.", 0, "1."},
    /* character references are their characters, outside code */
    {"Fish &amp; Chips &lt;best&gt;", 0, "Fish & Chips <best>"},
    {"Caf&#233; &#xE9;t&#XE9; &mdash; &quot;q&quot;", 0, "Caf\xC3\xA9 \xC3\xA9t\xC3\xA9 \xE2\x80\x94 \"q\""},
    {"a&nbsp;b &#160; c&#x2028;d", 0, "a b c d"},  /* spaces as the characters are */
    /* HTML 4's named references, by their exact names: the first, the last, a
     * letter, a symbol; a name in other case, or of HTML 5 only, stays. */
    {"&AElig;&zwnj;x &eacute;t&Eacute; &uuml;ber 5&euro; &alpha;&Omega; &EACUTE; &AMP; &bigstar;", 0,
     "\xC3\x86\xE2\x80\x8Cx \xC3\xA9t\xC3\x89 \xC3\xBC" "ber 5\xE2\x82\xAC \xCE\xB1\xCE\xA9 &EACUTE; &AMP; &bigstar;"},
    {"a&#x202E;b&#7;c", 0, "abc"},                 /* a bidi override, a control: dropped */
    {"Don&#146;t &#151; now", 0, "Don\xE2\x80\x99t \xE2\x80\x94 now"}, /* 128-159: Windows-1252 */
    {"~~old~~ new", 0, "old new"},                 /* a strikethrough's marks go */
    {"a ~ b ~~ c ~/x ~~~ y", 0, "a ~ b ~~ c ~/x ~~~ y"}, /* other tildes stay */
    {"`&amp;` AT&T &unknown; &#0; &#xD800; & ;", 0, "&amp; AT&T &unknown; &#0; &#xD800; & ;"},
    /* a footnote's reference goes, as in snippets; a regular expression's
     * class and one in code stay */
    {"# Results of the trial[^1] and **this**[^n2]", 0, "Results of the trial and this"},
    {"[^1]: The source", 0, "The source"},
    {"a[^b]*c `x[^1]`", 0, "a[^b]*c x[^1]"},
};

START_TEST(test_text_markdown_clean_line)
{
    const clean_row_t *r = &clean_rows[_i];
    char out[256];
    size_t cap = r->cap ? r->cap : sizeof out;
    memset(out, 'X', sizeof out);
    size_t n = text_clean_line(r->input, strlen(r->input), out, cap);
    ck_assert_msg(strcmp(out, r->expected) == 0, "row %d: got \"%s\", expected \"%s\"", _i, out,
                  r->expected);
    ck_assert_uint_eq(n, strlen(r->expected));
    ck_assert_uint_eq(text_utf8_valid_len(out, n), n);
}
END_TEST

START_TEST(test_text_markdown_clean_heading)
{
    /* An underlined line keeps its number or bullet; the rest is cleaned as
     * text_clean_line() cleans it. */
    static const struct { const char *input, *heading, *line; } rows[] = {
        {"1. Introduction", "1. Introduction", "Introduction"},
        {"2) **Methods**", "2) Methods", "Methods"},
        {"  - a [link](x)", "- a link", "a link"},
        {"> 3. Quoted", "3. Quoted", "Quoted"},
        {"# Not a Setext line", "Not a Setext line", "Not a Setext line"},
        /* a heading's attribute block is no part of it */
        {"## Install {#install}", "Install", "Install"},
        {"Options {: .wide #opts }", "Options", "Options {: .wide #opts }"},
        {"# Appendix {-} ##", "Appendix {-}", "Appendix {-}"},
        {"# Sets {a, b}", "Sets {a, b}", "Sets {a, b}"},
        {"## My heading ##    {#foo}", "My heading", "My heading"},     /* Pandoc's closed form */
        {"# Init {.x = 1, .y = 2}", "Init {.x = 1, .y = 2}", "Init {.x = 1, .y = 2}"},
        {"# Version {.5}", "Version {.5}", "Version {.5}"},
        {"# Set {#a key=\"v w\" .b}", "Set", "Set"},
        {"# T {x=1}", "T {x=1}", "T {x=1}"},           /* a key alone: no id or class */
    };
    for (size_t k = 0; k < N_ROWS(rows); k++) {
        char out[128];
        text_clean_heading(rows[k].input, strlen(rows[k].input), out, sizeof out);
        ck_assert_msg(strcmp(out, rows[k].heading) == 0, "row %zu: \"%s\"", k, out);
        text_clean_line(rows[k].input, strlen(rows[k].input), out, sizeof out);
        ck_assert_msg(strcmp(out, rows[k].line) == 0, "row %zu: \"%s\"", k, out);
    }
    /* A title that is an underlined first line is a heading. */
    text_buf_t b = TEXT_BUF_INIT;
    text_title_t t;
    const char *doc = "1. Introduction\n===\n\nBody.\n";
    ck_assert(text_title_source(doc, strlen(doc), &b, &t));
    ck_assert(t.underlined && !t.front_matter);
    doc = "1. Buy milk\n2. Bread\n";
    ck_assert(text_title_source(doc, strlen(doc), &b, &t));
    ck_assert(!t.underlined);
    doc = "- Buy milk\n---\n\nGroceries.\n";   /* a list item and a rule */
    ck_assert(text_title_source(doc, strlen(doc), &b, &t));
    ck_assert(!t.underlined);
    doc = "2. Usage\n~~~~~~~~\n\nRun it.\n";     /* reStructuredText's underline */
    ck_assert(text_title_source(doc, strlen(doc), &b, &t));
    ck_assert(t.underlined);
    doc = "2. Usage\n~~~\ncode\n~~~\n";         /* shorter: a fence */
    ck_assert(text_title_source(doc, strlen(doc), &b, &t));
    ck_assert(!t.underlined);
    text_buf_free(&b);
}
END_TEST

typedef struct first_line_row {
    const char *input;
    bool found;
    size_t start, end;
} first_line_row_t;

static const first_line_row_t first_line_rows[] = {
    {"\n\n# Russia Reaches out\n\nBody", true, 2, 22},   /* after blank lines */
    {"![](cover.jpg)\nTitle here\n", true, 15, 25},      /* a bare image is no title */
    {"Title\r\nbody", true, 0, 5},                       /* CRLF */
    {"  \n---\n***\n", false, 0, 0},                     /* no word at all */
    {"last line", true, 0, 9},                           /* no newline */
    /* a headline of unbroken CJK text, too long to be one token, is a title */
    {"\n\xE6\x97\xA5\xE6\x9C\xAC"
     "\xE9\x8A\x80\xE8\xA1\x8C\xE3\x81\xAF\xE9\x87\x91\xE8\x9E\x8D\xE6\x94\xBF"
     "\xE7\xAD\x96\xE6\xB1\xBA\xE5\xAE\x9A\xE4\xBC\x9A\xE5\x90\x88\xE3\x81\xA7"
     "\xE5\xA4\xA7\xE8\xA6\x8F\xE6\xA8\xA1\xE7\xB7\xA9\xE5\x92\x8C\xE3\x81\xAE"
     "\xE7\xB6\x99\xE7\xB6\x9A\xE3\x82\x92\xE6\xB1\xBA\xE3\x82\x81\xE3\x81\x9F"
     "\n\nBody", true, 1, 79},
    /* Front matter: its title, unquoted; else the first line after it. */
    {"---\ntitle: Front Matter Title\ntags: [x, y]\n---\n\n# Heading\n", true, 11, 29},
    {"---\ntitle: \"Quoted: Yes\"\n---\nBody", true, 12, 23},
    {"---\r\ndate: 2024-01-01\r\n---\r\n\r\n# Real Title\r\nBody", true, 30, 42},
    {"+++\ntitle = 'Toml Title'\n[params]\ntitle = \"x\"\n+++\nBody", true, 13, 23},
    {"---\ntitle: >\n  Long\n---\nBody", true, 15, 19},   /* a block scalar's lines */
    {"---\ndate: 2024\n---\n", true, 4, 14},            /* nothing after it */
    {"---\nA rule, then text\n---\nMore", true, 4, 21},  /* not key-value: no front matter */
    {"---\ntitle: X\nbody text\n", true, 4, 12},         /* never closed: none */
    {"---\nChapter 1: The Beginning\n---\nIt was dark.", true, 4, 28},  /* between rules */
    /* Lines of HTML alone are passed over, unless nothing else has a word */
    {"<!-- comment -->\n# Real Title\n", true, 17, 29},
    {"<p align=\"center\">\n  <img src=\"x.png\">\n</p>\n\n# Name\n", true, 45, 51},
    {"<!--\n  editor note\n-->\nGood Title\n", true, 23, 33},
    {"<h1>Kept</h1>\nBody", true, 0, 13},
    {"<br>\n<p align=\"center\">\n", true, 0, 4},  /* HTML only: the first */
    {"<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>Saved</title></head>\n", true, 46, 51},
    /* an XML declaration, tags over several lines, a <title> on a line of a
     * whole page */
    {"<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD HTML 4.01//EN\"\n"
     "    \"http://www.w3.org/TR/html4/strict.dtd\">\n<html>\n<head>\n<title>Notes</title>\n",
     true, 138, 143},
    {"<HTML\n><HEAD\n><TITLE\n>Users and Groups</TITLE\n></HEAD\n>", true, 22, 38},
    {"<html><head><title>xsltproc</title></head><body><h2>Name</h2></body></html>", true, 19, 27},
    {"<p>The <titles> tag</p>\n", true, 0, 23},    /* no <title> element */
    {"# </title> Kabul\n", true, 0, 16},           /* nothing inside it: the line */
    /* reStructuredText's explicit markup and fields alone, with what is
     * indented under them, are no title */
    {":orphan:\n\n.. _pip check:\n\n=========\npip check\n=========\n", true, 36, 45},
    {".. warning::\n   All rights.\n\n   Reserved.\n\nIntro\n", true, 43, 48},
    {".. so that's how it went\nNext\n", true, 0, 24},  /* a comment may be prose */
    {":warning: Deprecated\n", true, 0, 20},
    {":tocdepth: 2\n.. note::\n   A note.\nReal\n", true, 34, 38},
    {":tada: Release notes\n", true, 0, 20},       /* a field with words: text */
    {"(build-interface)=\n\n# Build System Interface\n", true, 20, 44}, /* MyST's target */
    {"(vcs support)=\n\n# VCS Support\n", true, 16, 29}, /* a label may hold spaces */
    {"( x)=\nReal\n", true, 0, 5},                 /* but not open or end with one */
    /* a notice in a comment: the whole comment */
    {"# Copyright (C) 2000-2018 Free Software Foundation, Inc.\n#\n# This file is part of groff.\n\nReal Title\n", true, 90, 100},
    {"/*\n * Copyright (C) 2010 Jane Doe\n *\n * Licensed under the MIT licence.\n */\n\nint x;\n", true, 77, 83},
    {"/* Copyright 2010 Jane Doe */\nint y;\n", true, 30, 36},
    {"// Copyright 2019 The Go Authors. All rights reserved.\n// Use of this source code\n\npackage zulu\n", true, 83, 95},
    /* and a script's first line */
    {"#!/bin/sh\n# Copyright 2003 Joe\n# All rights reserved\necho hi\n", true, 53, 60},
    /* a headline */
    {"# Copyright 2024 review of the year\n", true, 0, 35},
    /* a notice alone titles */
    {"# Copyright (C) 2020 Foo Inc.\n", true, 0, 29},
    /* a licence alone, its notice a heading: titled by it */
    {"# Copyright (c) 2020 Jane Doe\n\nPermission is hereby granted, free of charge.\n", true, 0, 29},
    /* a version control system's stamp */
    {"-------\n-- Copyright 2018-2022 Thomas E. Dickey --\n--\n-- Permission is hereby granted --\n-------\n-- $Id: NEWS,v 1.3895 $\n-------\n\nThis is a log\n", true, 130, 143},
    {"$Id: x.c,v 1.2 $\nReal\n", true, 17, 21},
    /* an Emacs mode line's "-*- ... -*-" is no part of a title */
    {"GNU Make NEWS                -*- outline -*-\n", true, 0, 13},
    {"-*- mode: text -*-\nThe Notes\n", true, 19, 28},
    {"-*- mode: org -*- Meeting notes\n", true, 17, 31},
    {"Omega tricks -*- in Emacs -*- and more\n", true, 0, 38},
    /* a copyright notice, and the terms stated under it, are no title */
    {"    Copyright (C) 1989-2018 Free Software Foundation, Inc.\n\n"
     "    Copying and distribution of this file are permitted.\n\nThis is groff.\n",
     true, 118, 132},
    {"Copyright 1996, 1999-2016 FSF, Inc.\n\nVerbatim copying is permitted.\n\n"
     "Changes in 6.2.1\n", true, 69, 85},
    {"Copyright 2024 Jane Doe\nAll rights reserved.\n\nMy Notes\n", true, 46, 54},
    {"\xC2\xA9 2024 Jane Doe\n\nMy Notes\n", true, 18, 26},
    /* a line of no notice under it is text */
    {"(c) 2024 Jane\nAll rights reserved.\nThe Real Title\n\nBody\n", true, 35, 49},
    {"Copyright 2024 Xavier\n\nA plain paragraph.\n", true, 23, 41},
    {"Copyright 2024 Jane Doe\n", true, 0, 23},        /* nothing else: the notice */
    /* ...nor is a licence alone, whose notice is then its title; a few words
     * between two paragraphs of terms go with them */
    {"Source: https://x.org/\n\nCopyright 2008 Dan N\n\nPermission is granted.\n", true, 24, 44},
    {"Copyright 1991 FSF, Inc.\n\nIt is free software under either:\n\n"
     "  * the GNU Lesser General Public License\n\nor\n\n  * the GNU General Public License\n\n"
     "or both in parallel, as here.\n\nWITHOUT ANY WARRANTY.\n\n      THE GNU MP LIBRARY\n",
     true, 198, 222},
    {"Copyright (c) 2024 Acme Corp.\n\nPermission is hereby granted, free of charge.\n\n"
     "The above copyright notice shall be included.\n\n"
     "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY.\n", true, 0, 29},
    /* a GNU header's paragraphs of terms */
    {"Copyright (C) 2024 Jane Doe\n\nThis program is free software.\n\n"
     "It is distributed WITHOUT ANY WARRANTY.\n\n"
     "You should have received a copy of the GNU General Public License.\n\n"
     "Frobnicator user manual\n", true, 170, 193},
    {"Copyright 2000-2023 Free Software Foundation, Inc.\nContributed by the AriC project.\n\n"
     "This file is part of the GNU MPFR Library.\n\n####\n\nChanges from 4.1 to 4.2:\n",
     true, 135, 159},
    /* a headline: no holder after the year */
    {"Copyright 2024 review of the year\n\nIt was a big year for copyright law.\n", true, 0, 33},
    {"Copyright 1500 years of history\n\nBody\n", true, 0, 31},
    {"(c) 2024 budget: the numbers\n\nBody\n", true, 0, 28},
    {"Copyright 2019\xE2\x80\x93" "2024 \xC3\x89mile Zola\n\nBody\n", true, 35, 39},
    {"Copyright 1999 by Jane\n\nBody\n", true, 24, 28},
    {"Copyright law in 2024\n", true, 0, 21},          /* no year after it: text */
    {"Copyright\n=========\n", true, 0, 9},
    /* a first line that names the title as metadata: its value */
    {"% The Manual\n% Jane Doe\n", true, 2, 12},       /* Pandoc */
    {"Title:   A Study\nAuthor: Me\n\nBody\n", true, 9, 16}, /* MultiMarkdown */
    {"#+TITLE: Org Notes\n", true, 9, 18},
    {"#+title: org notes\n", true, 9, 18},
    {"Title:\nBody\n", true, 0, 6},                    /* no value: the line */
    {"50% off today\n", true, 0, 13},
    {"Intro\nTitle: Later\n", true, 0, 5},             /* only on the first line */
    /* a heading's attribute block is no part of its title */
    {"# Installing passim {#install}\n", true, 0, 30},
    /* an address alone, or a field that holds one, is no title */
    {"Format: https://www.debian.org/doc/copyright-format/1.0/\nUpstream-Name: curl\n", true, 57, 76},
    {"https://example.org/a\n\nThe Headline\n", true, 23, 35},
    {"See https://example.org/a today\n", true, 0, 31},
    {"https://example.org/only\n", true, 0, 24},    /* nothing else has a word */
    {"Re: https://example.org/issues/12\nBody\n", true, 0, 33},  /* a subject */
    /* a <title> in prose is words; a page's style sheet is no title */
    {"How to use the <title> element\n", true, 0, 30},
    {"Note on <title>Foo</title> usage\n", true, 0, 32},
    {"<html>\n<head>\n<style>\nTD {font-family: Verdana}\n</style>\n<title>The API</title>\n",
     true, 64, 71},
    /* ...nor is one, or a script, opened after other tags on a line */
    {"<html><head><style type=\"text/css\">\nTD {font: x}\n</style><title>Ref</title></head>\n",
     true, 64, 67},
    {"<html lang=\"en\"><head><script>\nwindow.x = 1;\n</script>\n<title>Page</title>\n",
     true, 62, 66},
    {"<head><style>p{}</style>\n<title>Same Line</title>\n", true, 32, 41},
    {"<style>p{}</style> Real words\n", true, 18, 29},
    {"<title>Usage</title>\n<p>x</p>\n<!-- c -->\nNext\n", true, 7, 12},  /* no comment */
    {"[][] and [ ][] stay\n", true, 0, 19},
    {"... and so on\n", true, 0, 13},
    {"<!-- generated -->\n<!--\nTODO: badges\n-->\n# Real Title\n", true, 41, 53},
    {"<!--\nnote\n-->\n<!--\nx\n-->\nReal\n", true, 25, 29},
    {"<!--\ndraft: true\n--> Release checklist\n", true, 20, 38}, /* the comment's end is no part */
    {"[![Build][b]][u] [![npm][n]][m]\n\n# fastqueue\n", true, 33, 44}, /* badges by reference */
    {"![][logo]\n\nName here\n", true, 11, 20},
    {"<!--\nx\n-->\n<!-- y -->  Title\n", true, 21, 28},
    /* a line of images alone (a README's badges) is passed over too */
    {"[![Build](b.svg)](x) ![Cov](c.svg)\n\n# Project\n", true, 36, 45},
    {"![](cover.jpg)\nText\n", true, 15, 19},
    {"[![Badge](b.svg)](x)\n", true, 0, 20},     /* unless no other line has a word */
    {"![a](b) and more\n", true, 0, 16},          /* text beside it: a title */
    /* so are fenced code blocks, their fences and their code */
    {"```python\nimport os\n```\n\nBody\n", true, 25, 29},
    {"```\n# comment\n```\nBody\n", true, 18, 22},
    {"~~~~\ncode\n~~~\nmore\n~~~~\nReal\n", true, 24, 28},  /* "~~~" is code in "~~~~" */
    {"<!-- x -->\n```\na\n```\n<br>\nReal\n", true, 26, 30},
    {"Title\n```\ncode\n```\n", true, 0, 5},
    {"```python\nonly code\n", true, 0, 9},     /* nothing else has a word: the first */
    {"<p align=\"center\"><img src=\"logo.png\"></p>\n```python\nprint('hi')\n```\n", true, 43, 52},
    {"<br>\n```\nx\n", true, 9, 10},               /* code rather than HTML alone */
    {"<!--\n```\nold\n-->\nTitle\n\n```sh\nmake\n```\n", true, 17, 22}, /* no fence in a comment */
    {"```\nx\n```\n<!--\nnote\n-->\nTitle\n", true, 24, 29},  /* a comment after a block */
    {"```foo```\nReal\n", true, 0, 9},              /* code within a line opens no block */
    /* preformatted text, a script, a style sheet, a text area: code too */
    {"<PRE class=\"x\">\n$ make install\n```\n</pre>\n\nReal Title\n", true, 43, 53},
    {"<script>\nlet x;\n</script>\n<textarea>\nhi\n</textarea>\nTitle\n", true, 52, 57},
    {"<pre>\nonly code\n</pre>\n", true, 6, 15},   /* the first word of the code */
    {"<pre>$ make install\n$ other\n</pre>\n", true, 0, 19},  /* on the tag's line */
    {"<pre>\n</pre>\n<pre>\nfoo bar\n</pre>\n", true, 19, 26},   /* not an empty one's */
    {"<pre>\nnever closed\n", true, 6, 18},
    {"<pre>x</pre> and <preview>\nNext\n", true, 0, 26}, /* no block: text */
    /* a section's name above the headline ("World", a blank line, the
     * headline as a line of its own): the headline */
    {"World\n\nRussia Acts as Power Broker\n\nBy A\n", true, 7, 34},
    {"Middle East\n\nTalks Resume in Doha Today\n", true, 13, 39},
    {"World\r\n\r\nRussia Acts Here Now\r\n\r\nBody", true, 9, 29},
    {"World\n\nBy Abdul Qadir Sediqi\n\nBody", true, 0, 5},        /* a byline */
    {"World\n\nTalks resume in Doha.\n", true, 0, 5},               /* a sentence */
    {"World\nRussia Acts as Power Broker\n", true, 0, 5},           /* no blank line */
    {"# World\n\nRussia Acts as Power Broker\n", true, 0, 7},      /* a heading */
    {"World\n\nRussia Acts as Power Broker\nand more\n", true, 0, 5}, /* a paragraph */
    {"World\n\n- Talks resume in Doha today\n", true, 0, 5},       /* a list item */
    {"World\n\n1. Talks Resume in Doha Today\n", true, 0, 5},      /* numbered */
    {"World\n\nBY JOHN SMITH AND JANE DOE\n", true, 0, 5},         /* a byline in capitals */
    {"World\n\n    Talks Resume in Doha Today\n", true, 0, 5},     /* indented code */
    {"World\n\n   Talks Resume in Doha Today\n", true, 7, 36},     /* three spaces: text */
    {"WORLD NEWS\n\n3 Talks Resume in Doha\n", true, 12, 34},     /* any case */
    {"World\n\nrussia acts as power broker\n", true, 0, 5},       /* a small letter */
    {"New\n\nNew Version About Salmon\n", true, 0, 3},            /* no section name */
};

START_TEST(test_text_markdown_first_line)
{
    const first_line_row_t *r = &first_line_rows[_i];
    size_t start = 99, end = 99;
    bool found = text_first_line(r->input, strlen(r->input), &start, &end);
    ck_assert_int_eq(found, r->found);
    if (r->found) {
        ck_assert_uint_eq(start, r->start);
        ck_assert_uint_eq(end, r->end);
    }
}
END_TEST

START_TEST(test_text_markdown_title_source)
{
    static const struct { const char *input, *source, *clean; } rows[] = {
        {"---\ntitle: 'It''s'\n---\n", "It's", "It's"},
        {"---\ntitle: \"Say \\\"hi\\\" \\\\o/\"\n---\n", "Say \"hi\" \\o/", "Say \"hi\" \\o/"},
        {"---\ntitle: \"caf\\u00e9 \\U0001F600 \\xE9t\\u00E9\"\n---\n",
         "caf\xC3\xA9 \xF0\x9F\x98\x80 \xC3\xA9t\xC3\xA9", NULL},
        {"---\ntitle: \"pair \\ud83d\\ude00, lone \\ud83d.\"\n---\n",
         "pair \xF0\x9F\x98\x80, lone \xEF\xBF\xBD.", NULL},
        {"---\ntitle: \"tab\\there\\nnul\\0 \\q \\x4\"\n---\n", "tab here nul \\q \\x4", NULL},
        {"---\ntitle: >\n  Folded over\n  two lines\nx: 1\n---\n",
         "Folded over\n  two lines", "Folded over two lines"},
        {"---\ntitle: \"Open\n  closed\" # c\n---\n", "Open\n  closed", "Open closed"},
        {"+++\ntitle = 'Literal \\n'\n+++\n", "Literal \\n", NULL},  /* TOML: no escapes */
        /* TOML multi-line strings: a line break right after the quotes goes */
        {"+++\ntitle = \"\"\"\nTwo\n  lines \\\n  joined\"\"\"\n+++\n", "Two\n  lines joined",
         "Two lines joined"},
        {"+++\ntitle = \'\'\'Raw \\n\'\'\'\n+++\n", "Raw \\n", NULL},
        {"+++\ntitle = \"\"\"Say \"hi\"\"\"\"\"\n+++\n", "Say \"hi\"\"", NULL},
        /* a front matter title is text, not Markdown: its "*", "1." stay */
        {"---\ntitle: \"Fish &amp; *Chips*\"\n---\n", "Fish &amp; *Chips*", "Fish &amp; *Chips*"},
        {"---\ntitle: 1. Getting  started\n---\n", "1. Getting  started", "1. Getting started"},
        {"---\ntitle: '__init__ and # of users'\n---\n", "__init__ and # of users",
         "__init__ and # of users"},
        {"# Fish &amp; *Chips*\n", "# Fish &amp; *Chips*", "Fish & Chips"},  /* a first line is */
        {"---\ntitle: \"abc\\\n  def\"\n---\n", "abcdef", NULL},   /* an escaped line break */
        {"---\ntitle: \"\\t\"\n---\nBody line\n", "Body line", NULL},   /* escapes alone */
        {"---\ntitle: \"\\U0001F600\"\n---\n", "title: \"\\U0001F600\"", NULL}, /* no body */
        {"# Heading \\\"kept\\\"\n", "# Heading \\\"kept\\\"", NULL},      /* no front matter */
        {"", "", NULL},
    };
    for (size_t k = 0; k < N_ROWS(rows); k++) {
        text_buf_t b = TEXT_BUF_INIT;
        text_title_t t;
        ck_assert(text_title_source(rows[k].input, strlen(rows[k].input), &b, &t));
        ck_assert_msg(t.len == strlen(rows[k].source) && memcmp(t.text, rows[k].source, t.len) == 0,
                      "row %zu: \"%.*s\"", k, (int)t.len, t.text);
        bool from_front_matter = (rows[k].input[0] == '-' || rows[k].input[0] == '+')
                                 && strncmp(t.text, "title:", 6) != 0
                                 && strcmp(rows[k].source, "Body line") != 0;
        ck_assert_msg(t.front_matter == from_front_matter, "row %zu: front matter %d", k,
                      t.front_matter);
        if (rows[k].clean) {
            char out[128];
            if (t.front_matter)
                text_clean_plain(t.text, t.len, out, sizeof out);
            else
                text_clean_line(t.text, t.len, out, sizeof out);
            ck_assert_msg(strcmp(out, rows[k].clean) == 0, "row %zu: \"%s\"", k, out);
        }
        text_buf_free(&b);
    }
}
END_TEST

typedef struct front_matter_row {
    const char *input;
    size_t len;                 /* the block's length, 0: none */
    const char *title;          /* NULL: no title */
} front_matter_row_t;

static const front_matter_row_t front_matter_rows[] = {
    {"---\ntitle: Front Matter Title\ntags: [x, y]\n---\n\n# Heading\n", 47,
     "Front Matter Title"},
    {"---\ntags:\n  - a\n- b\n# c\n\n---\nx", 29, NULL},   /* lists, comments */
    {"---\ndate: 2024\n...\nx", 19, NULL},                   /* YAML's other end */
    {"---\ndate: 2024\n---", 18, NULL},                       /* no newline at the end */
    {"+++\ntitle = \"T\"\n+++\n", 20, "T"},                    /* TOML */
    {"+++\ntitle = \"T\"\n---\n", 0, NULL},                    /* TOML ends with "+++" */
    {"---\nTitle: 'It''s'\n---\n", 23, "It''s"},              /* quotes only stripped */
    {"---\ntitle:\ntitle: Second\n---\n", 29, "Second"},       /* empty value: next one */
    {"---\nDate created: 1 May\ntitle : Spaced\n---\n", 43, "Spaced"}, /* YAML keys with spaces */
    {"+++\nmy key = 1\n+++\n", 19, NULL},                   /* TOML: any line goes */
    {"+++\ntitle = \"T\"\ntags = [\n  \"a\",\n]\n+++\nB", 38, "T"},  /* an array over lines */
    {"---\nog:image: x.png\n\"my key\": 1\ntitle: \"My Post\" # draft\n---\n", 61, "My Post"},
    {"---\ntitle: My Post # draft\n---\n", 31, "My Post"},   /* a comment is no title */
    {"---\ntitle: \"Say \\\"hi\\\"\"\n---\n", 28, "Say \\\"hi\\\""}, /* escapes kept */
    {"---\ntitle: \"Open\n---\n", 21, "Open"},                /* unclosed quote: the line */
    {"---\ntitle: >-\n  Two\n\n  lines\nx: 1\n---\n", 38, "Two\n\n  lines"}, /* a block */
    {"---\ntitle: |\n---\n", 17, NULL},                     /* an empty block */
    {"---\ntitle: A long\n  title # a comment\n  more\n---\n", 49,
     "A long\n  title"},                        /* a bare value goes on, to a comment */
    {"---\ntitle: Foo # c\n  bar\n---\n", 29, "Foo"},   /* a comment ends it */
    {"---\ntitle: Foo\n  # c\n  bar\n---\n", 31, "Foo"},  /* a comment line too */
    {"---\ntitle: 'It''s\n  a ''quote''' # c\n---\n", 41, "It''s\n  a ''quote''"},
    {"---\ntitle:\n  en: English\n---\n", 29, NULL},       /* a mapping is no title */
    {"---\ntitle:\n  Quarterly report\n  draft\nx: 1\n---\n", 47,
     "Quarterly report\n  draft"},              /* a value below "title:" alone */
    {"---\ntitle:\n  # c\n  \"T: quoted\"\n---\n", 35, "T: quoted"},
    {"---\ntitle:\n  - one\n  - two\n---\n", 31, NULL},      /* a list is no title */
    {"+++\ntitle = \"T\"\n  x = 1\n+++\n", 28, "T"},          /* TOML: one line */
    {"+++\nd = \"\"\"\n[x]\n+++\n\"\"\"\ntitle = \"T\"\n+++\n", 40, "T"}, /* lines of a string */
    {"+++\ntitle = \'\'\'\nT\'\'\'\n+++\n", 25, "T"},
    {"+++\ntitle = \"\"\"T\n+++\n", 0, NULL},              /* a string never closed */
    {"---\n\"title\": \"T\"\n---\n", 21, "T"},                 /* a quoted key is a key */
    {"---\ntitle: null\ntitle: T\n---\n", 29, "T"},         /* YAML's null is no title */
    {"---\ntitle: ~ # none\n---\n", 24, NULL},
    {"---\ntitle: \"null\"\n---\n", 22, "null"},             /* quoted, it is text */
    {"---\ntitle: &a Anchored\n---\n", 27, "Anchored"},       /* YAML's anchor, */
    {"---\ntitle: !!str &a \"T\"\n---\n", 28, "T"},            /* and tag: no part of it */
    {"---\ntitle: !!str\n---\n", 21, "!!str"},               /* but a value alone */
    {"---\ntitle: &a # note\ntitle: T\n---\n", 34, "T"},     /* an anchor, then a comment */
    {"---\nChapter 1: The Beginning\n---\nIt was dark.", 0, NULL}, /* a title between rules */
    {" ---\ntitle: X\n---\n", 0, NULL},                      /* opener not at column 0 */
    {"---\nurl: http://x\nsee:http://y\n---\n", 0, NULL},       /* "see:http" is no key */
    {"----\ntitle: X\n---\n", 0, NULL},                      /* a longer rule */
    {"--", 0, NULL},
    {"", 0, NULL},
};

START_TEST(test_text_markdown_front_matter)
{
    const front_matter_row_t *r = &front_matter_rows[_i];
    size_t ts = 99, te = 99;
    size_t n = text_front_matter(r->input, strlen(r->input), &ts, &te);
    ck_assert_uint_eq(n, r->len);
    if (r->title) {
        ck_assert_uint_eq(te - ts, strlen(r->title));
        ck_assert(memcmp(r->input + ts, r->title, te - ts) == 0);
    } else {
        ck_assert_uint_eq(ts, te);
    }
}
END_TEST

/* "---", n lines "k: v", "---". */
static size_t front_matter_of_lines(text_buf_t *b, unsigned n)
{
    text_buf_clear(b);
    ck_assert(text_buf_puts(b, "---\n"));
    for (unsigned i = 0; i < n; i++)
        ck_assert(text_buf_puts(b, "k: v\n"));
    ck_assert(text_buf_puts(b, "---\n"));
    return text_front_matter(b->data, b->len, NULL, NULL);
}

START_TEST(test_text_markdown_front_matter_bounds)
{
    /* The closing line counts: at most TEXT_FRONT_MATTER_MAX_LINES after the
     * opening one. */
    text_buf_t b = TEXT_BUF_INIT;
    ck_assert_uint_eq(front_matter_of_lines(&b, TEXT_FRONT_MATTER_MAX_LINES - 1), b.len);
    ck_assert_uint_eq(front_matter_of_lines(&b, TEXT_FRONT_MATTER_MAX_LINES), 0);
    text_buf_free(&b);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* passages                                                                 */
/* ------------------------------------------------------------------------ */

static int render_passage(const text_passage_t *p, void *payload)
{
    text_buf_t *b = payload;
    if (b->len > 0)
        text_buf_putc(b, ' ');
    text_buf_printf(b, "%u[%zu,%zu)L%u-%u", (unsigned)p->ordinal, p->start, p->end,
                    (unsigned)p->first_line, (unsigned)p->last_line);
    if (p->heading_start != p->heading_end)
        text_buf_printf(b, "h[%zu,%zu)", p->heading_start, p->heading_end);
    if (p->fence.c)
        text_buf_printf(b, "f%c%u", p->fence.c, (unsigned)p->fence.n);
    return 0;
}

typedef struct passage_row {
    const char *input;
    size_t min_bytes, max_bytes;    /* both 0: the defaults */
    const char *expected;           /* "ordinal[start,end)Lfirst-last h[heading]" */
} passage_row_t;

/* 50 word characters: two in a row are more than a token holds
 * (TEXT_TOKEN_MAX), and are no word. */
#define X50 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"

static const passage_row_t passage_rows[] = {
    /* 0: two paragraphs, no joining */
    {"Para one.\n\nPara two.", 1, 100, "0[0,9)L1-1 1[11,20)L3-3"},
    /* 1: short paragraphs join the next one (defaults) */
    {"Short.\n\nAlso short.\n", 0, 0, "0[0,19)L1-3"},
    /* 2: a line of spaces and tabs is blank; CRLF line ends */
    {"a b\r\n \t\r\nc d\r\n", 1, 100, "0[0,3)L1-1 1[9,12)L3-3"},
    /* 3: leading and trailing blank lines and indentation trimmed */
    {"\n\n  text  \n\n", 1, 100, "0[4,8)L3-3"},
    /* 4: a heading starts a passage, joins its short paragraph, and is carried */
    {"# Title\n\nBody text.\n\nMore body.", 10, 100,
     "0[0,19)L1-3h[0,7) 1[21,31)L5-5h[0,7)"},
    /* 5: the next heading replaces it; a short paragraph does not join a heading */
    {"# A\n\nx.\n\n## B\n\ny.", 10, 100, "0[0,7)L1-3h[0,3) 1[9,17)L5-7h[9,13)"},
    /* 6: heading directly followed by text (no blank line) */
    {"## H\r\ntext here\r\n", 0, 0, "0[0,15)L1-2h[0,4)"},
    /* 7: text before the first heading has none */
    {"intro\n\n# H\n\nbody", 1, 100, "0[0,5)L1-1 1[7,10)L3-3h[7,10) 2[12,16)L5-5h[7,10)"},
    /* 8: "#hashtag" and "####### x" are not headings */
    {"#hashtag\n\n####### x", 1, 100, "0[0,8)L1-1 1[10,19)L3-3"},
    /* 9: a "#" line inside a fenced code block is not a heading */
    {"```\n# comment\n```\n\nafter", 1, 100, "0[0,17)L1-3 1[19,24)L5-5"},
    /* 9a: only a fence of the same character, at least as long and with
     * nothing after it, closes the block */
    {"````\n```\n# x\n```\n````\n\nafter", 1, 100, "0[0,21)L1-5 1[23,28)L7-7"},
    {"~~~\n```\n# x\n~~~\n\nafter", 1, 100, "0[0,15)L1-4 1[17,22)L6-6"},
    {"```\n# a\n``` x\n# b\n```\n\nz", 1, 100, "0[0,21)L1-5 1[23,24)L7-7"},
    /* 9b: a line underlined with "===" or "---" is a heading, its underline
     * kept with it; a paragraph of two lines, or "--", is not underlined
     * (the "---" under it is a rule, and ends it) */
    {"Results\n=======\n\nBody text here.", 1, 100, "0[0,15)L1-2h[0,7) 1[17,32)L4-4h[0,7)"},
    {"Two lines\nof text\n---\n\nBody", 1, 100, "0[0,17)L1-2 1[23,27)L5-5"},
    /* a rule ends the paragraph above it: the line after may be a heading */
    {"***\nFirst\n---\n\nText.", 1, 100, "0[4,13)L2-3h[4,9) 1[15,20)L5-5h[4,9)"},
    {"---\nNot front matter\n---\nText.", 1, 100,
     "0[4,24)L2-3h[4,20) 1[25,30)L4-4h[4,20)"},
    {"Intro.\n* * *\nMore.", 1, 100, "0[0,6)L1-1 1[13,18)L3-3"},
    /* a rule indented four spaces is code, not a rule */
    {"Example:\n\n    x = 1\n    ----\n    y = 2\n", 1, 100, "0[0,8)L1-1 1[14,38)L3-5"},
    {"Sign off\n--\n", 1, 100, "0[0,11)L1-2"},
    /* a list item is no heading: "---" under it is a rule (CommonMark); a
     * numbered line underlined is a heading ("1. Introduction") */
    {"- item\n---\n\nAfter.", 1, 100, "0[0,6)L1-1 1[12,18)L4-4"},
    {"1. Intro\n===\n\nBody.", 1, 100, "0[0,12)L1-2h[0,8) 1[14,19)L4-4h[0,8)"},
    /* 9d: "#" headings may be indented up to three spaces; four make code */
    {"   ## Indented\n\nBody.", 1, 100, "0[3,14)L1-1h[0,14) 1[16,21)L3-3h[0,14)"},
    {"    # code\n\nBody.", 1, 100, "0[4,10)L1-1 1[12,17)L3-3"},
    /* 9c: a YAML comment in front matter is not a heading */
    {"---\ntitle: T\n# SEO\n---\n\nBody text.", 1, 100, "0[0,22)L1-4 1[24,34)L6-6"},
    /* 9e: an HTML comment's lines are no headings and open no fence */
    {"# Doc\n\n<!--\n# Old\n```\n-->\n\n## Real\n\nText.", 1, 100,
     "0[0,5)L1-1h[0,5) 1[7,25)L3-6h[0,5) 2[27,34)L8-8h[27,34) 3[36,41)L10-10h[27,34)"},
    {"Intro\n\n<!-->\n# Real\n\nText.", 1, 100,
     "0[0,5)L1-1 1[13,19)L4-4h[13,19) 2[21,26)L6-6h[13,19)"},  /* "<!-->" is whole */
    /* ...nor are the lines of preformatted text ("<pre>" to "</pre>") */
    {"# Doc\n\n<pre>\n# root shell\n---\n```\n</PRE>\n\n## Real\n\nText.", 1, 100,
     "0[0,5)L1-1h[0,5) 1[7,40)L3-7h[0,5) 2[42,49)L9-9h[42,49) 3[51,56)L11-11h[42,49)"},
    /* 9f: an underlined heading right after front matter */
    {"---\ntitle: T\n---\nSetext\n======\n\nBody.", 1, 100,
     "0[0,16)L1-3 1[17,30)L4-5h[17,23) 2[32,37)L7-7h[17,23)"},
    /* 10: a long paragraph is cut at sentence ends, after min_bytes */
    {"One two three. Four five six. Seven eight nine. Ten.", 10, 32,
     "0[0,29)L1-1 1[30,52)L1-1"},
    /* 11: a sentence end before min_bytes is not used: white space instead */
    {"Hi. This is a long sentence.", 10, 20, "0[0,18)L1-1 1[19,28)L1-1"},
    /* 12: no sentence end: cut at white space */
    {"aaaa bbbb cccc dddd eeee ffff gggg", 5, 16, "0[0,14)L1-1 1[15,29)L1-1 2[30,34)L1-1"},
    /* 12b: no sentence end but line ends (a list): cut between lines */
    {"- one two\n- three four\n- five six", 5, 20,
     "0[0,9)L1-1 1[10,22)L2-2 2[23,33)L3-3"},
    /* 13: no white space: hard cut at max_bytes */
    {"abcdefghijklmnopqrstuvwxyz", 5, 16, "0[0,16)L1-1 1[16,26)L1-1"},
    /* 14: hard cut never splits a UTF-8 character (é is 2 bytes) */
    {"a\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 5, 16,
     "0[0,15)L1-1 1[15,19)L1-1"},
    /* 15: sentence end with a closing quote */
    {"He said \"go.\" Then left. And so on.", 5, 20, "0[0,13)L1-1 1[14,24)L1-1 2[25,35)L1-1"},
    /* 16: paragraphs without any word are not passages, nor are those
     * whose words are all in link targets */
    {"---\n\n***\n\nword", 1, 100, "0[10,14)L5-5"},
    {"![](cover.jpg)\n\nBody.", 1, 100, "0[16,21)L3-3"},
    /* ...nor are pieces whose word characters are too many in a row to make
     * a word (a hex dump, base64), which nothing could find */
    {"Title\n\n" X50 X50 X50 X50 "\n\nend", 1, 100, "0[0,5)L1-1 1[209,212)L5-5"},
    {X50 X50 X50 X50, 1, 100, ""},
    {X50 X50 " ok", 1, 100, "0[101,103)L1-1"},
    {X50 "'" X50 " " X50 "\xC2\xAD" X50, 1, 300, ""},     /* an apostrophe, a soft hyphen */
    /* ...though a piece cut from one alone is a word, as the index reads it */
    {X50 X50 X50, 1, 100, "0[100,150)L1-1"},
    /* 17: nothing at all */
    {" \n\t\n", 0, 0, ""},
    /* 18: an indented line after an unindented one starts a paragraph
     * (newswire and abstracts indent paragraphs instead of blank lines) */
    {"Title line\n  First para\nwraps here.\n  Second para\nwraps.", 1, 100,
     "0[0,10)L1-1 1[13,35)L2-3 2[38,56)L4-5"},
    /* ...but not one that carries a list item on: "1." or "-", wrapped */
    {"1. The first item\n   wraps here.\n2. The second\n   wraps too.\n- third\n\tgoes on",
     1, 100, "0[0,77)L1-6"},
    /* ...nor one under a line that does not end a sentence (a wrapped item
     * of another list, "•" or "a)"; a poem's indented lines), unless that
     * line is a title: alone, ending in a word */
    {"Notes\n\n\xe2\x80\xa2 The chair proposed that it be moved to\n  the hall, as agreed.\n"
     "\xe2\x80\xa2 The roof\n  leaks.", 1, 100, "0[0,5)L1-1 1[7,94)L3-6"},
    {"The wheel has stopped, the race is dry,\n  The miller's gone away;\nAnd children dare "
     "each other in\n  To hear the timbers speak.", 1, 200, "0[0,126)L1-4"},
    /* 19: consecutive indented lines stay one paragraph; a tab indents too */
    {"Intro\n\tline one\n\tline two", 1, 100, "0[0,5)L1-1 1[7,25)L2-3"},
    /* 20: short indented paragraphs still join the next one */
    {"a\n  b\n  c", 10, 100, "0[0,9)L1-3"},
    /* 21: a passage that starts inside a fenced code block says which (f):
     * after a blank line in it, or cut from a long one */
    {"```py\na = 1\n\nb = 2\n```\n\n- red\n- wine", 1, 100,
     "0[0,11)L1-2 1[13,22)L4-5f`3 2[24,36)L7-8"},
    {"~~~~\none two\nthree four\n~~~\nfive six\n~~~~\nseven", 5, 20,
     "0[0,12)L1-2 1[13,27)L3-4f~4 2[28,47)L5-7f~4"},
    /* ...but not in a comment, where a fence opens no block */
    {"<!--\n```\nold\n-->\n\nText.", 1, 100, "0[0,16)L1-4 1[18,23)L6-6"},
    /* 22: a line indented as code is no heading above an underline */
    {"Text.\n\tcode line\n-----\nMore.", 1, 100, "0[0,5)L1-1 1[7,16)L2-2 2[23,28)L4-4"},
    {"Text.\n    code line\n-----\nMore.", 1, 100, "0[0,5)L1-1 1[10,19)L2-2 2[26,31)L4-4"},
    /* 23: a long table is cut between its rows, not after "Inc." in one */
    {"Acme Inc.   412.5 1.2\nBeta Corp.   13.2 0.4\nGamma Inc.   1.5 0.1", 1, 30,
     "0[0,21)L1-1 1[22,43)L2-2 2[44,64)L3-3"},
    /* ...and a long numbered list between its items, not after an item's
     * number ("18."), where no digit follows a sentence's end on its line */
    {"1. Check it.\n2. Write it.\n3. Sign it.", 1, 20,
     "0[0,12)L1-1 1[13,25)L2-2 2[26,37)L3-3"},
    {"Steps\n\n18. Check the valve and the gauge.\n19. Write it down.", 1, 45,
     "0[0,5)L1-1 1[7,41)L3-3 2[42,60)L4-4"},
    /* ...also when its items wrap onto lines that are not indented */
    {"Steps\n\n18. Check the valve and\nthe gauge.\n19. Write it down.", 1, 45,
     "0[0,5)L1-1 1[7,41)L3-4 2[42,60)L5-5"},
    /* ...but not a paragraph's, up to its blank line, nor one under a year
     * that is not the number before it */
    {"Steps\n\nThe count reached\n1999. Then they went\non and in\n2004. After that they left.",
     1, 60, "0[0,5)L1-1 1[7,61)L3-6 2[62,83)L6-6"},
    /* ...but not a paragraph's, up to its blank line */
    {"Steps\n\nThe count went on and\nthe count\nreached\n1999. Then they left.", 1, 45,
     "0[0,5)L1-1 1[7,52)L3-6 2[53,68)L6-6"},
    /* ...also after a bulleted item; a line before that starts "12.5" is
     * no item, but a paragraph's, where a number ends a sentence */
    {"Steps\n\n- Check the valve and the gauge.\n18. Write it down.", 1, 45,
     "0[0,5)L1-1 1[7,39)L3-3 2[40,58)L4-4"},
    {"The rate rose to\n12.5 percent and the count reached\n1999. Then they left.", 1, 60,
     "0[0,57)L1-3 1[58,73)L3-3"},
    /* ...while in a paragraph a number that starts a line ends a sentence */
    {"The members met again and the count reached\n1999. Then the members left.", 1, 60,
     "0[0,49)L1-2 1[50,72)L2-2"},
    /* 23b: Chinese and Japanese text is cut after a full stop (with its
     * closing bracket), else after a comma, never inside a word */
    {"一二三四。五六七八。」九十", 1, 20, "0[0,15)L1-1 1[15,33)L1-1 2[33,39)L1-1"},
    {"一二三，四五六七八", 1, 20, "0[0,12)L1-1 1[12,27)L1-1"},
    /* 24: reStructuredText's "~" and "^" underlines, as long as the line
     * above or longer, make a heading and open no code block; shorter, under
     * a paragraph's line, "~~~" opens one as CommonMark reads it */
    {"Usage\n~~~~~\n\nRun it.\n\nNotes\n  ^^^^^^^^ \n\nMore.", 1, 100,
     "0[0,11)L1-2h[0,5) 1[13,20)L4-4h[0,5) 2[22,38)L6-7h[22,27) 3[41,46)L9-9h[22,27)"},
    {"Some text\n~~~\n# x\n~~~\n\nafter", 1, 100, "0[0,21)L1-4 1[23,28)L6-6"},
    {"Caf\xc3\xa9 au lait\n~~~~~~~~~~~~\n\nhot", 1, 100,
     "0[0,26)L1-2h[0,13) 1[28,31)L4-4h[0,13)"},   /* counted in characters */
    {"~~~~~\n# x\n~~~~~\n\nafter", 1, 100, "0[0,15)L1-3 1[17,22)L5-5"},
    /* a line right after a code block or a comment, which ends a block, is
     * a heading if underlined: the code stays with the text before it */
    {"Intro:\n```\ncode\n```\nUsage\n=====\n\nRun it.", 1, 100,
     "0[0,19)L1-4 1[20,31)L5-6h[20,25) 2[33,40)L8-8h[20,25)"},
    {"Intro\n<!-- x\n-->\nUsage\n-----\n\nRun it.", 1, 100,
     "0[0,16)L1-3 1[17,28)L4-5h[17,22) 2[30,37)L7-7h[17,22)"},
    /* ...but not a code block's own line, nor two lines after it */
    {"```\nUsage\n=====\n```\nRun it.", 1, 100, "0[0,27)L1-5"},
    {"```\ncode\n```\nSome text\nUsage\n=====\n\nRun.", 1, 100,
     "0[0,34)L1-6 1[36,40)L8-8"},
    /* ...nor a quote's line: a quote, then a rule */
    {"Text.\n\n> Can we?\n---\nMore.", 1, 100, "0[0,5)L1-1 1[7,16)L3-3 2[21,26)L5-5"},
    /* a cut with no space to take is not made inside a character reference
     * (a page that spells its Chinese as &#19968;...) */
    {"&#19968;&#19968;&#19968;&#19968;", 1, 20, "0[0,16)L1-1 1[16,32)L1-1"},
};

START_TEST(test_text_passages_table)
{
    const passage_row_t *r = &passage_rows[_i];
    text_passage_opts_t opts = {r->min_bytes, r->max_bytes};
    text_buf_t b = TEXT_BUF_INIT;
    text_buf_puts(&b, "");
    ck_assert_int_eq(text_passages(r->input, strlen(r->input),
                                   r->max_bytes ? &opts : NULL, render_passage, &b),
                     0);
    ck_assert_msg(strcmp(b.data, r->expected) == 0, "row %d: got \"%s\", expected \"%s\"", _i,
                  b.data, r->expected);
    text_buf_free(&b);
}
END_TEST

/* Checks every passage against the invariants: in order, not overlapping,
 * bounded, trimmed, on character boundaries, with true line numbers. */
typedef struct passage_check {
    const char *s;
    size_t len;
    text_passage_opts_t opts;
    size_t n;
    size_t prev_end;
    size_t covered_words;   /* word-start bytes inside passages */
    unsigned char *in;      /* in[i]: byte i is inside a passage */
} passage_check_t;

static uint32_t column_at(const char *s, size_t pos)
{
    size_t start = pos;
    while (start > 0 && s[start - 1] != '\n')
        start--;
    return (uint32_t)(pos - start + 1);
}

static uint32_t line_at(const char *s, size_t pos)
{
    uint32_t line = 1;
    for (size_t i = 0; i < pos; i++)
        line += s[i] == '\n';
    return line;
}

/* What is wrong with passage p, or NULL. */
static const char *passage_problem(const passage_check_t *c, const text_passage_t *p)
{
    if (p->ordinal != c->n)
        return "ordinal out of sequence";
    if (p->start >= p->end || p->end > c->len)
        return "empty or out of bounds";
    if (p->start < c->prev_end)
        return "overlaps the previous passage";
    size_t crs = 0;     /* the "\r" of "\r\n", not counted */
    for (size_t i = p->start; i + 1 < p->end; i++)
        crs += c->s[i] == '\r' && c->s[i + 1] == '\n';
    if (p->end - p->start - crs > c->opts.max_bytes)
        return "longer than max_bytes";
    if (memchr(" \t\r\n", c->s[p->start], 4) || memchr(" \t\r\n", c->s[p->end - 1], 4))
        return "not trimmed";
    if (p->end < c->len && ((unsigned char)c->s[p->end] & 0xC0) == 0x80)
        return "ends inside a character";
    if (c->len < 1000000 && (p->first_line != line_at(c->s, p->start) ||
                             p->last_line != line_at(c->s, p->end - 1)))
        return "wrong line numbers";
    if (c->len < 1000000 && p->first_column != column_at(c->s, p->start))
        return "wrong first column";
    size_t hash = p->heading_start; /* "#" after at most three spaces */
    while (hash < p->heading_end && hash < c->len && hash - p->heading_start < 3
           && c->s[hash] == ' ')
        hash++;
    if (p->heading_start != p->heading_end &&
        (p->heading_end > c->len
         || (c->s[hash] != '#' && !text_is_underlined(c->s, c->len, p->heading_end))
         || (p->heading_start > 0 && c->s[p->heading_start - 1] != '\n')))
        return "heading is not a heading line";
    return NULL;
}

static int check_passage(const text_passage_t *p, void *payload)
{
    passage_check_t *c = payload;
    const char *problem = passage_problem(c, p);
    if (problem != NULL)
        ck_abort_msg("passage %u [%zu,%zu): %s", (unsigned)p->ordinal, p->start, p->end,
                     problem);
    memset(c->in + p->start, 1, p->end - p->start);
    c->prev_end = p->end;
    c->n++;
    return 0;
}

static int mark_token(const text_token_t *tok, void *payload)
{
    passage_check_t *c = payload;
    for (size_t i = tok->start; i < tok->end; i++)
        if (!c->in[i])
            ck_abort_msg("token byte %zu outside every passage", i);
    c->covered_words++;
    return 0;
}

static void check_passages(const char *s, size_t len, size_t min_bytes, size_t max_bytes,
                           size_t *n_out)
{
    passage_check_t c;
    memset(&c, 0, sizeof c);
    c.s = s;
    c.len = len;
    c.opts.min_bytes = min_bytes;
    c.opts.max_bytes = max_bytes;
    c.in = calloc(len + 1, 1);
    ck_assert_ptr_nonnull(c.in);
    ck_assert_int_eq(text_passages(s, len, &c.opts, check_passage, &c), 0);
    /* Every token (hence every word character) lies inside a passage. */
    text_tokenize(s, len, 0, mark_token, &c);
    free(c.in);
    *n_out = c.n;
}

/* Pseudo-random Markdown-ish text: words, sentences, blank lines, headings,
 * CRLF and multi-byte letters, reproducible from the seed. */
static char *make_text(unsigned seed, size_t target, size_t *len_out)
{
    static const char *const words[] = {
        "the", "Russia\xE2\x80\x99s", "talks", "U.S.", "14,000", "thermo-aeroelastic",
        "\xC3\xA9t\xC3\xA9", "**bold**", "[Reuters](#)", "\xE5\x8C\x97\xE4\xBA\xAC",
        "Moscow", "said", "government", "a", "1.35",
    };
    text_buf_t b = TEXT_BUF_INIT;
    uint32_t x = seed * 2654435761u + 1;
    while (b.len < target) {
        x = x * 1103515245u + 12345u;
        unsigned r = (x >> 16) % 100;
        if (r < 3)
            text_buf_puts(&b, "\n\n## A heading here\n\n");
        else if (r < 8)
            text_buf_puts(&b, "\n\n");
        else if (r < 10)
            text_buf_puts(&b, "\r\n \t\r\n");
        else if (r < 20)
            text_buf_puts(&b, ". ");
        else if (r < 22)
            text_buf_puts(&b, "\n");
        else
            text_buf_printf(&b, "%s ", words[r % (sizeof words / sizeof words[0])]);
    }
    *len_out = b.len;
    return b.data;
}

START_TEST(test_text_passages_invariants)
{
    static const size_t opts[][2] = {{200, 1200}, {0, 16}, {50, 60}, {1000, 300}};
    for (unsigned seed = 1; seed <= 8; seed++) {
        size_t len, n;
        char *s = make_text(seed, 20000, &len);
        size_t o = seed % 4;
        size_t max = opts[o][1], min = opts[o][0] > max ? max : opts[o][0];
        check_passages(s, len, min, max, &n);
        ck_assert_uint_gt(n, len / max / 2);
        free(s);
    }
}
END_TEST

static int collect_range(const text_passage_t *p, void *payload)
{
    text_buf_t *b = payload;
    size_t r[2] = { p->start, p->end };
    return text_buf_append(b, (const char *)r, sizeof r) ? 0 : 1;
}

/* A text with "\r\n" line ends is cut where the same text with "\n" is. */
START_TEST(test_text_passages_crlf_as_lf)
{
    static const size_t opts[][2] = {{200, 1200}, {0, 16}, {50, 60}};
    for (unsigned seed = 1; seed <= 6; seed++) {
        size_t len;
        char *s = make_text(seed, 12000, &len);
        text_buf_t lf = TEXT_BUF_INIT, crlf = TEXT_BUF_INIT, got_lf = TEXT_BUF_INIT,
                   got_crlf = TEXT_BUF_INIT;
        size_t *lf_at = malloc((2 * len + 1) * sizeof *lf_at); /* CRLF offset -> LF offset */
        ck_assert_ptr_nonnull(lf_at);
        for (size_t i = 0; i < len; i++) {
            if (s[i] == '\r')
                continue;
            if (s[i] == '\n') {
                lf_at[crlf.len] = lf.len;
                text_buf_putc(&crlf, '\r');
            }
            lf_at[crlf.len] = lf.len;
            text_buf_putc(&crlf, s[i]);
            text_buf_putc(&lf, s[i]);
        }
        lf_at[crlf.len] = lf.len;
        text_passage_opts_t o = { opts[seed % 3][0], opts[seed % 3][1] };
        ck_assert_int_eq(text_passages(lf.data, lf.len, &o, collect_range, &got_lf), 0);
        ck_assert_int_eq(text_passages(crlf.data, crlf.len, &o, collect_range, &got_crlf), 0);
        ck_assert_uint_eq(got_lf.len, got_crlf.len);
        const size_t *a = (const size_t *)got_lf.data, *b = (const size_t *)got_crlf.data;
        for (size_t k = 0; k < got_lf.len / sizeof(size_t); k++)
            ck_assert_msg(lf_at[b[k]] == a[k], "seed %u, bound %zu: %zu in CRLF is %zu, not %zu",
                          seed, k, b[k], lf_at[b[k]], a[k]);
        free(lf_at);
        text_buf_free(&lf);
        text_buf_free(&crlf);
        text_buf_free(&got_lf);
        text_buf_free(&got_crlf);
        free(s);
    }
}
END_TEST

static int stop_at_second_passage(const text_passage_t *p, void *payload)
{
    ++*(size_t *)payload;
    return p->ordinal == 1 ? 5 : 0;
}

START_TEST(test_text_passages_stop)
{
    size_t n = 0;
    text_passage_opts_t opts = {1, 100};
    ck_assert_int_eq(text_passages("a\n\nb\n\nc", 7, &opts, stop_at_second_passage, &n), 5);
    ck_assert_uint_eq(n, 2);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* record                                                                   */
/* ------------------------------------------------------------------------ */

static const text_record_t record_rows[] = {
    {"a/b", 3, "/x/a/b.md", 9, "Title", 5, "## Heading", 10, "Some text.", 10, 0, 1, 3, 5,
     {0, 0}},
    {"", 0, "", 0, "", 0, "", 0, "", 0, 0, 0, 0, 0, {'`', 3}},
    {"id", 2, "p", 1, "T\xC3\xA9", 3, "", 0, "x", 1, UINT32_MAX, UINT32_MAX - 1, UINT32_MAX,
     UINT32_MAX, {'~', UINT32_MAX >> 1}},
};

START_TEST(test_text_record_roundtrip)
{
    const text_record_t *in = &record_rows[_i];
    text_buf_t b = TEXT_BUF_INIT;
    ck_assert(text_record_encode(in, &b));
    text_record_t out;
    ck_assert(text_record_decode(b.data, b.len, &out));
    ck_assert_uint_eq(out.docid_len, in->docid_len);
    ck_assert_mem_eq(out.docid, in->docid, in->docid_len);
    ck_assert_uint_eq(out.path_len, in->path_len);
    ck_assert_mem_eq(out.path, in->path, in->path_len);
    ck_assert_uint_eq(out.title_len, in->title_len);
    ck_assert_mem_eq(out.title, in->title, in->title_len);
    ck_assert_uint_eq(out.heading_len, in->heading_len);
    ck_assert_mem_eq(out.heading, in->heading, in->heading_len);
    ck_assert_uint_eq(out.text_len, in->text_len);
    ck_assert_mem_eq(out.text, in->text, in->text_len);
    ck_assert_uint_eq(out.ordinal, in->ordinal);
    ck_assert_uint_eq(out.first_line, in->first_line);
    ck_assert_uint_eq(out.last_line, in->last_line);
    ck_assert_uint_eq(out.first_column, in->first_column);
    ck_assert_int_eq(out.fence.c, in->fence.c);
    ck_assert_uint_eq(out.fence.n, in->fence.n);
    /* Every truncation is refused and leaves *r zeroed. */
    for (size_t n = 0; n < b.len; n++) {
        memset(&out, 0xAB, sizeof out);
        ck_assert_msg(!text_record_decode(b.data, n, &out), "prefix of %zu bytes accepted", n);
        ck_assert_ptr_null(out.text);
        ck_assert_uint_eq(out.text_len, 0);
        ck_assert_uint_eq(out.ordinal, 0);
    }
    /* Trailing garbage is refused too. */
    text_buf_putc(&b, 0);
    ck_assert(!text_record_decode(b.data, b.len, &out));
    /* Nor is it a file record. */
    ck_assert(!text_file_record_decode(b.data, b.len - 1, &(text_file_record_t){0}));
    text_buf_free(&b);
}
END_TEST

static const text_file_record_t file_record_rows[] = {
    {1234, 1541116800123456789LL, 0x0123456789ABCDEFULL, 7, "x/a.md", 6, "/x/a.md", 7, NULL, 0},
    {0, 0, 0, 0, "", 0, "", 0, NULL, 0},
    {UINT64_MAX, INT64_MIN, UINT64_MAX, UINT32_MAX, "p", 1, "/k", 2, NULL, 0},
    {1, -1, 1, 1, "neg", 3, "/neg", 4, NULL, 0},
    /* met through a link: where, as well */
    {5, 6, 7, 1, "n/cur.txt", 9, "/x/ext/v2.txt", 13, "/x/n/cur.txt", 12},
};

START_TEST(test_text_record_file_roundtrip)
{
    const text_file_record_t *in = &file_record_rows[_i];
    text_buf_t b = TEXT_BUF_INIT;
    ck_assert(text_file_record_encode(in, &b));
    text_file_record_t out;
    ck_assert(text_file_record_decode(b.data, b.len, &out));
    ck_assert_uint_eq(out.size, in->size);
    ck_assert_int_eq(out.mtime_ns, in->mtime_ns);
    ck_assert_uint_eq(out.hash, in->hash);
    ck_assert_uint_eq(out.n_passages, in->n_passages);
    ck_assert_uint_eq(out.path_len, in->path_len);
    ck_assert_mem_eq(out.path, in->path, in->path_len);
    ck_assert_uint_eq(out.key_len, in->key_len);
    ck_assert_mem_eq(out.key, in->key, in->key_len);
    ck_assert_uint_eq(out.place_len, in->place_len);
    if (in->place_len)
        ck_assert_mem_eq(out.place, in->place, in->place_len);
    /* The place is optional and last (records written before it have
     * none): the record without it is whole too. */
    size_t without_place = b.len - (in->place_len ? in->place_len + 1 : 0);
    for (size_t n = 0; n < b.len; n++) {
        memset(&out, 0xAB, sizeof out);
        if (n == without_place) {
            ck_assert(text_file_record_decode(b.data, n, &out));
            ck_assert_uint_eq(out.place_len, 0);
            continue;
        }
        ck_assert_msg(!text_file_record_decode(b.data, n, &out), "prefix of %zu bytes accepted",
                      n);
        ck_assert_uint_eq(out.size, 0);
        ck_assert_ptr_null(out.path);
    }
    text_record_t rec;
    ck_assert(!text_record_decode(b.data, b.len, &rec));
    text_buf_free(&b);
}
END_TEST

START_TEST(test_text_docid)
{
    static const struct { const char *rel, *id; } rows[] = {
        {"col/a.txt", "col/a"},
        {"a.tar.gz", "a.tar"},
        {".hidden", ".hidden"},                 /* a leading dot is no extension */
        {"v1.2/notes", "v1.2/notes"},           /* nor a dot in a folder's name */
        {"my doc.txt", "my_doc"},               /* white space splits TREC lines */
        {"tab\there\r.md", "tab_here_"},
        {"nb\xC2\xA0sp.md", "nb_sp"},          /* U+00A0, a no-break space */
        {"ideo\xE3\x80\x80sp", "ideo_sp"},     /* U+3000 */
        {"n\xE2\x80\xAEtxt.exe", "n_txt"},    /* U+202E, a bidi override */
        {"a\xE2\x80\x8F" "b.md", "a_b"},          /* U+200F, a bidi mark */
        {"a\xE2\x81\xA6" "b\xE2\x81\xA9.md", "a_b_"},  /* U+2066, U+2069: isolates */
        {"caf\xC3\xA9.md", "caf\xC3\xA9"},
        {"bad\xFF.md", "bad\xEF\xBF\xBD"},      /* invalid UTF-8: U+FFFD */
        {".md", ".md"},
    };
    for (size_t k = 0; k < N_ROWS(rows); k++) {
        char *id = text_docid_from_rel(rows[k].rel);
        ck_assert_msg(id && strcmp(id, rows[k].id) == 0, "row %zu: \"%s\"", k, id);
        ck_assert(text_token_ok(id));
        free(id);
    }
    ck_assert(!text_token_ok(""));
    ck_assert(!text_token_ok("a b"));
    ck_assert(!text_token_ok("a\x7F"));
    ck_assert(!text_token_ok("a\xC3"));
    ck_assert(text_token_ok("q1#3"));
    text_buf_t b = TEXT_BUF_INIT;
    ck_assert(text_token_put(&b, "", 0));
    ck_assert_str_eq(b.data, "_");
    text_buf_free(&b);
}
END_TEST

START_TEST(test_text_record_garbage)
{
    text_record_t r;
    text_file_record_t f;
    /* Wrong version byte. */
    ck_assert(!text_record_decode("P\x03\0\0\0\0\0\0\0\0\0", 11, &r));
    ck_assert(!text_record_decode("P\x00\0\0\0\0\0\0\0\0", 10, &r));
    /* Version 2 has a first column that version 1 lacks. */
    ck_assert(!text_record_decode("P\x02\0\0\0\0\0\0\0\0", 10, &r));
    ck_assert(text_record_decode("P\x02\0\0\0\x07\0\0\0\0\0", 11, &r));
    ck_assert_uint_eq(r.first_column, 7);
    ck_assert(!text_record_decode("P\x01\0\0\0\x07\0\0\0\0\0", 11, &r));
    /* A varint that never ends, and one too large for 64 bits. */
    ck_assert(!text_record_decode("P\x01\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 13, &r));
    ck_assert(!text_file_record_decode("F\x01\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x02", 12, &f));
    /* An ordinal beyond 32 bits. */
    ck_assert(!text_record_decode("P\x01\x80\x80\x80\x80\x10\0\0\0\0\0\0\0", 14, &r));
    /* A string length past the end. */
    ck_assert(!text_record_decode("P\x01\0\0\0\x05" "ab\0\0\0\0", 12, &r));
    ck_assert(!text_record_decode(NULL, 0, &r));
    /* The smallest valid record, for contrast; one written before version 2
     * has no first column. */
    ck_assert(text_record_decode("P\x01\0\0\0\0\0\0\0\0", 10, &r));
    ck_assert_uint_eq(r.first_column, 0);
    /* One written before version 3 has no fence: it starts in no code. */
    ck_assert(text_record_decode("P\x02\0\0\0\x01\0\0\0\0\0", 11, &r));
    ck_assert_uint_eq(r.first_column, 1);
    ck_assert_int_eq(r.fence.c, 0);
    /* A fence of fewer than three is no fence. */
    ck_assert(text_record_decode("P\x03\0\0\0\x01\x07\0\0\0\0\0", 12, &r));
    ck_assert_int_eq(r.fence.c, '~');
    ck_assert_uint_eq(r.fence.n, 3);
    ck_assert(!text_record_decode("P\x03\0\0\0\x01\x05\0\0\0\0\0", 12, &r));
    /* Bytes from an LCG: never accepted, never read out of bounds (ASan). */
    uint32_t x = 7;
    char junk[64];
    for (int round = 0; round < 2000; round++) {
        size_t n = (size_t)(round % 64);
        for (size_t i = 0; i < n; i++) {
            x = x * 1103515245u + 12345u;
            junk[i] = (char)(x >> 24);
        }
        char *copy = malloc(n ? n : 1);
        memcpy(copy, junk, n);
        if (n > 0)
            copy[0] = 'X';
        ck_assert(!text_record_decode(copy, n, &r));
        ck_assert(!text_file_record_decode(copy, n, &f));
        free(copy);
    }
}
END_TEST

/* ------------------------------------------------------------------------ */
/* limits                                                                   */
/* ------------------------------------------------------------------------ */

START_TEST(test_text_limits_token_max)
{
    char s[2 * TEXT_TOKEN_MAX + 16];
    tok_count_t c;
    /* Exactly TEXT_TOKEN_MAX bytes: kept. */
    memset(s, 'a', TEXT_TOKEN_MAX);
    memcpy(s + TEXT_TOKEN_MAX, " z", 2);
    memset(&c, 0, sizeof c);
    text_tokenize(s, TEXT_TOKEN_MAX + 2, 0, count_token, &c);
    ck_assert_uint_eq(c.n, 2);
    ck_assert_uint_eq(c.last_pos, 1);
    /* One more: skipped, and it takes no position. */
    memset(s, 'a', TEXT_TOKEN_MAX + 1);
    memcpy(s + TEXT_TOKEN_MAX + 1, " z", 2);
    memset(&c, 0, sizeof c);
    text_tokenize(s, TEXT_TOKEN_MAX + 3, 0, count_token, &c);
    ck_assert_uint_eq(c.n, 1);
    ck_assert_uint_eq(c.first_pos, 0);
    ck_assert_str_eq(c.last_word, "z");
    /* The same in two-byte letters: 32 "É" fold to 64 bytes, 33 to 66. */
    for (int i = 0; i < 32; i++)
        memcpy(s + 2 * i, "\xC3\x89", 2);
    memcpy(s + 64, " z", 2);
    memset(&c, 0, sizeof c);
    text_tokenize(s, 66, 0, count_token, &c);
    ck_assert_uint_eq(c.n, 2);
    memcpy(s + 64, "\xC3\x89 z", 4);
    memset(&c, 0, sizeof c);
    text_tokenize(s, 68, 0, count_token, &c);
    ck_assert_uint_eq(c.n, 1);
    ck_assert_str_eq(c.last_word, "z");
    /* A skipped part of a hyphenated word: the next part is not joined. */
    char *got;
    memset(s, 'b', TEXT_TOKEN_MAX + 1);
    memcpy(s + TEXT_TOKEN_MAX + 1, "-c d-e", 6);
    got = tokens_of(s, TEXT_TOKEN_MAX + 7, 0);
    /* ... but a later part all the same (<), which starts no compound. */
    ck_assert_str_eq(got, "c@0[66,67)< d@1[68,69)> e@2[70,71)J<");
    free(got);
}
END_TEST

/* A huge word of each kind is skipped whole, in linear time, and the words
 * around it keep consecutive positions. */
static void check_huge_word(const char *unit, size_t unit_len, size_t total)
{
    size_t n_units = total / unit_len;
    size_t len = 4 + n_units * unit_len + 4;
    char *s = malloc(len);
    ck_assert_ptr_nonnull(s);
    memcpy(s, "pre ", 4);
    for (size_t i = 0; i < n_units; i++)
        memcpy(s + 4 + i * unit_len, unit, unit_len);
    memcpy(s + len - 4, " end", 4);
    char *got = tokens_of(s, len, 0);
    char expected[64];
    snprintf(expected, sizeof expected, "pre@0[0,3) end@1[%zu,%zu)", len - 3, len);
    ck_assert_str_eq(got, expected);
    free(got);
    free(s);
}

START_TEST(test_text_limits_huge_words)
{
    check_huge_word("a", 1, 1 << 20);                       /* 1 MB of ASCII */
    check_huge_word("\xC3\xA9", 2, 1 << 20);                /* 1 MB of é */
    check_huge_word("e\xCC\x81", 3, 1 << 20);               /* 1 MB of e + accent */
    check_huge_word("a'", 2, 1 << 20);                      /* apostrophes inside */
    check_huge_word("1,", 2, 1 << 20);                      /* a 1 MB number */
    check_huge_word("a.", 2, 1 << 20);                      /* a 1 MB acronym */
    check_huge_word("a", 1, 16u << 20);                     /* 16 MB */
}
END_TEST

START_TEST(test_text_limits_hostile_input)
{
    /* A line full of "](" with no ")" costs linear time, not quadratic. */
    size_t len = 1 << 20;
    char *s = malloc(len);
    for (size_t i = 0; i < len; i += 4)
        memcpy(s + i, "](a ", 4);
    tok_count_t c;
    memset(&c, 0, sizeof c);
    text_tokenize(s, len, 0, count_token, &c);
    ck_assert_uint_eq(c.n, len / 4);
    /* Random bytes: no crash, tokens are valid UTF-8 within bounds (ASan). */
    uint32_t x = 99;
    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        s[i] = (char)(x >> 23);
    }
    char *got = tokens_of(s, len, 0);
    ck_assert_uint_eq(text_utf8_valid_len(got, strlen(got)), strlen(got));
    free(got);
    size_t n;
    check_passages(s, len, 200, 1200, &n);
    ck_assert_uint_gt(n, 0);
    char out[128];
    size_t m = text_clean_line(s, 5000, out, sizeof out);
    ck_assert_uint_eq(text_utf8_valid_len(out, m), m);
    free(s);
}
END_TEST

/* A 20 MB input on one line: bounded passages, all of it covered. */
START_TEST(test_text_limits_huge_line_passages)
{
    size_t len = 20u << 20, n;
    char *s = malloc(len);
    ck_assert_ptr_nonnull(s);
    /* 20 MB of two-byte letters: far too many in a row to be a word, so no
     * passage; with a slash after every four, words without a space between:
     * hard cuts on character boundaries. */
    for (size_t i = 0; i < len; i += 2)
        memcpy(s + i, "\xC3\xA9", 2);
    check_passages(s, len, 200, 1200, &n);
    ck_assert_uint_eq(n, 0);
    for (size_t i = 8; i < len; i += 9)
        s[i] = '/';
    check_passages(s, len, 200, 1200, &n);
    ck_assert_uint_ge(n, len / 1200);
    ck_assert_uint_le(n, len / 1200 + 2);
    /* One line of words and sentences: cut at sentence ends. */
    for (size_t i = 0; i + 10 <= len; i += 10)
        memcpy(s + i, i % 100 == 90 ? "end here. " : "some word ", 10);
    check_passages(s, len, 200, 1200, &n);
    ck_assert_uint_ge(n, len / 1200);
    ck_assert_uint_le(n, len / 200);
    free(s);
}
END_TEST

START_TEST(test_text_limits_utf8)
{
    ck_assert_uint_eq(text_utf8_valid_len("abc", 3), 3);
    ck_assert_uint_eq(text_utf8_valid_len("a\xC3\xA9" "b", 4), 4);
    ck_assert_uint_eq(text_utf8_valid_len("a\xC3", 2), 1);                  /* truncated */
    ck_assert_uint_eq(text_utf8_valid_len("a\xC0\xAF", 3), 1);              /* overlong */
    ck_assert_uint_eq(text_utf8_valid_len("a\xE0\x80\xAF", 4), 1);          /* overlong */
    ck_assert_uint_eq(text_utf8_valid_len("a\xED\xA0\x80", 4), 1);          /* surrogate */
    ck_assert_uint_eq(text_utf8_valid_len("a\xF4\x90\x80\x80", 5), 1);      /* > U+10FFFF */
    ck_assert_uint_eq(text_utf8_valid_len("\xF0\x9F\x98\x80", 4), 4);       /* emoji */
    ck_assert_uint_eq(text_utf8_valid_len("abcdefghijk\x80", 12), 11);     /* past the fast path */
    ck_assert_uint_eq(text_utf8_valid_len("a\0b", 3), 3);                   /* NUL is valid */

    uint32_t cp = 0;
    ck_assert_uint_eq(text_utf8_decode("a", 1, &cp), 1);
    ck_assert_uint_eq(cp, 'a');
    ck_assert_uint_eq(text_utf8_decode("\xC3\xA9x", 3, &cp), 2);
    ck_assert_uint_eq(cp, 0xE9);
    ck_assert_uint_eq(text_utf8_decode("\xE2\x82\xAC", 3, &cp), 3);
    ck_assert_uint_eq(cp, 0x20AC);
    ck_assert_uint_eq(text_utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
    ck_assert_uint_eq(cp, 0x1F600);
    ck_assert_uint_eq(text_utf8_decode("\xE2\x82", 2, &cp), 0);       /* cut short */
    ck_assert_uint_eq(text_utf8_decode("\x80", 1, &cp), 0);            /* continuation */
    ck_assert_uint_eq(text_utf8_decode("\xC0\xAF", 2, &cp), 0);        /* overlong */
    ck_assert_uint_eq(text_utf8_decode("\xED\xA0\x80", 3, &cp), 0);    /* surrogate */
    ck_assert_uint_eq(text_utf8_decode("\xF4\x90\x80\x80", 4, &cp), 0); /* > U+10FFFF */
    ck_assert_uint_eq(text_utf8_decode("", 0, &cp), 0);

    const char *s = "a\xC3\xA9\xE2\x82\xAC";      /* a é € */
    ck_assert_uint_eq(text_utf8_floor(s, 6, 0), 0);
    ck_assert_uint_eq(text_utf8_floor(s, 6, 1), 1);
    ck_assert_uint_eq(text_utf8_floor(s, 6, 2), 1);
    ck_assert_uint_eq(text_utf8_floor(s, 6, 3), 3);
    ck_assert_uint_eq(text_utf8_floor(s, 6, 4), 3);
    ck_assert_uint_eq(text_utf8_floor(s, 6, 5), 3);
    ck_assert_uint_eq(text_utf8_floor(s, 6, 6), 6);
    ck_assert_uint_eq(text_utf8_floor(s, 6, 99), 6);
    ck_assert_uint_eq(text_utf8_floor("\x80\x80\x80\x80\x80", 5, 4), 4);  /* no lead byte */

    /* Graphemes: e + U+0301, then a thumb and its skin tone U+1F3FD. */
    const char *g = "ae\xCC\x81" "b\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD" "c";
    size_t glen = strlen(g);                      /* 1 + 3 + 1 + 8 + 1 */
    ck_assert_uint_eq(text_grapheme_floor(g, glen, 0), 0);
    ck_assert_uint_eq(text_grapheme_floor(g, glen, 1), 1);
    ck_assert_uint_eq(text_grapheme_floor(g, glen, 2), 1);   /* not between e and its accent */
    ck_assert_uint_eq(text_grapheme_floor(g, glen, 3), 1);
    ck_assert_uint_eq(text_grapheme_floor(g, glen, 4), 4);
    ck_assert_uint_eq(text_grapheme_floor(g, glen, 9), 5);   /* nor the thumb and its tone */
    ck_assert_uint_eq(text_grapheme_floor(g, glen, 13), 13);
    ck_assert_uint_eq(text_grapheme_floor(g, glen, 99), glen);
}
END_TEST

/* Text that is not UTF-8 is read as the indexer reads it: mostly not UTF-8,
 * all of it as Windows-1252; else each stray bad byte. */
START_TEST(test_text_utf8_repair)
{
    static const struct { const char *in, *out; bool cp1252; } rows[] = {
        {"Z\xFCrich", "Z\xC3\xBCrich", true},                         /* Latin-1 */
        {"\x93" "caf\xE9\x94", "\xE2\x80\x9C" "caf\xC3\xA9\xE2\x80\x9D", true}, /* 1252 quotes */
        {"\x81", "\xEF\xBF\xBD", true},                             /* undefined in 1252 */
        {"caf\xC3\xA9 na\xEFve", "caf\xC3\xA9 na\xC3\xAFve", false}, /* one stray byte */
        /* stray bytes outnumbering the UTF-8 characters, but not eight times */
        {"Z\xC3\xBCrich caf\xC3\xA9; caf\xE9 na\xEFve cr\xE8me",
         "Z\xC3\xBCrich caf\xC3\xA9; caf\xC3\xA9 na\xC3\xAFve cr\xC3\xA8me", false},
        /* the boundary: eight bad bytes to one UTF-8 character, and seven */
        {"\xC3\xA9\xE9\xE9\xE9\xE9\xE9\xE9\xE9\xE9",
         "\xC3\x83\xC2\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", true},
        {"\xC3\xA9\xE9\xE9\xE9\xE9\xE9\xE9\xE9",
         "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", false},
        /* Latin-1 with a pair that is valid UTF-8 by chance ("\xC9\xBB": "É»") */
        {"\xC9\xBB \xE9\xE9\xE9\xE9 \xE8\xE8\xE8\xE8\xE0",
         "\xC3\x89\xC2\xBB \xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9 \xC3\xA8\xC3\xA8\xC3\xA8\xC3\xA8\xC3\xA0",
         true},
        {"caf\xC3\xA9", "caf\xC3\xA9", false},                       /* valid: unchanged */
        {"", "", false},
    };
    for (size_t k = 0; k < N_ROWS(rows); k++) {
        text_buf_t b = TEXT_BUF_INIT;
        bool cp1252 = !rows[k].cp1252;
        ck_assert(text_utf8_repair(rows[k].in, strlen(rows[k].in), &b, &cp1252));
        ck_assert_msg(strcmp(b.data ? b.data : "", rows[k].out) == 0, "row %zu", k);
        ck_assert_msg(cp1252 == rows[k].cp1252, "row %zu", k);
        ck_assert_uint_eq(text_utf8_valid_len(b.data ? b.data : "", b.len), b.len);
        text_buf_free(&b);
        char *d = text_utf8_strdup(rows[k].in);
        ck_assert_str_eq(d, rows[k].out);
        free(d);
    }
    text_buf_t b = TEXT_BUF_INIT;
    ck_assert(text_buf_put_utf8(&b, 0x20AC) && text_buf_put_utf8(&b, 0x1F600)
              && text_buf_put_utf8(&b, 0xD800) && text_buf_put_utf8(&b, 0x110000));
    ck_assert_str_eq(b.data, "\xE2\x82\xAC\xF0\x9F\x98\x80\xEF\xBF\xBD\xEF\xBF\xBD");
    text_buf_free(&b);
}
END_TEST

START_TEST(test_text_decode)
{
    static const struct {
        const char *in;
        size_t len;
        text_decode_status_t st;
        const char *out, *encoding;
    } rows[] = {
        {"plain\n", 6, TEXT_DECODE_OK, "plain\n", "utf-8"},
        {"\xEF\xBB\xBFmark", 7, TEXT_DECODE_OK, "mark", "utf-8"},
        {"\xFF\xFEh\0\xE9\0\x3D\xD8\x00\xDE", 10, TEXT_DECODE_OK,
         "h\xC3\xA9\xF0\x9F\x98\x80", "utf-16le"},                 /* a surrogate pair */
        {"\xFE\xFF\0h\0\0", 6, TEXT_DECODE_OK, "h ", "utf-16be"},    /* NUL: a space */
        {"\xFF\xFE\0\0\x00\xF6\x01\0", 8, TEXT_DECODE_OK, "\xF0\x9F\x98\x80",
         "utf-32le"},
        {"\0\0\xFE\xFF\0\0\0a\0\0\xD8\0", 12, TEXT_DECODE_OK, "a\xEF\xBF\xBD",
         "utf-32be"},                                               /* a lone surrogate */
        {"a\rb\rc", 5, TEXT_DECODE_OK, "a\nb\nc", "utf-8"},          /* old Mac lines */
        {"a\rb\rc\n", 6, TEXT_DECODE_OK, "a\nb\nc\n", "utf-8"},     /* and a last LF */
        {"a\rb\rc\nd\n", 8, TEXT_DECODE_OK, "a\rb\rc\nd\n", "utf-8"}, /* LF lines: CR kept */
        {"\xFF\xFE\x00\xD8" "A\0\x00\xDC" "B\0", 10, TEXT_DECODE_BINARY, NULL,
         "binary"},                                                 /* lone surrogates */
        {"\xFF\xFE\0\0\0\0\x11\0" "A\0\0\0\0\xD8\0\0", 16, TEXT_DECODE_BINARY, NULL,
         "binary"},                                                 /* past U+10FFFF */
        {"Z\xFCrich", 6, TEXT_DECODE_OK, "Z\xC3\xBCrich", "windows-1252"},
        {"a\0b", 3, TEXT_DECODE_BINARY, NULL, "binary"},
    };
    for (size_t k = 0; k < N_ROWS(rows); k++) {
        text_buf_t b = TEXT_BUF_INIT;
        bool as_is = false;
        const char *encoding = NULL;
        text_decode_status_t st = text_decode(rows[k].in, rows[k].len, &b, &as_is, &encoding);
        ck_assert_msg(st == rows[k].st, "row %zu: status %d", k, (int)st);
        ck_assert_msg(strcmp(encoding, rows[k].encoding) == 0, "row %zu: %s", k, encoding);
        ck_assert_msg(text_looks_binary(rows[k].in, rows[k].len) == (st == TEXT_DECODE_BINARY),
                      "row %zu", k);
        if (rows[k].out) {
            const char *got = as_is ? rows[k].in : b.data;
            size_t got_len = as_is ? rows[k].len : b.len;
            ck_assert_msg(got_len == strlen(rows[k].out)
                          && memcmp(got, rows[k].out, got_len) == 0, "row %zu", k);
        }
        text_buf_free(&b);
    }
}
END_TEST

/* The reader sniffs a file's first TEXT_SNIFF_BYTES before reading the rest:
 * that start must answer as the whole file does, up to the last unit. Here a
 * UTF-16 file one control character short of binary within the window has
 * one more just past it. */
START_TEST(test_text_sniff_window)
{
    size_t len = TEXT_SNIFF_BYTES + 64, units = (TEXT_SNIFF_BYTES - 2) / 2;
    unsigned char *s = malloc(len);
    ck_assert_ptr_nonnull(s);
    s[0] = 0xFF, s[1] = 0xFE;
    size_t controls = 0;
    for (size_t u = 0; 2 + 2 * u + 1 < len; u++) {
        bool control = u < units && u % 10 == 0 && (controls + 1) * 10 <= units;
        control = control || u == units;          /* the first unit past the window */
        controls += control && u < units;
        s[2 + 2 * u] = control ? 0x01 : 'a';
        s[2 + 2 * u + 1] = 0;
    }
    ck_assert_uint_eq(controls * 10, units - units % 10);
    text_buf_t b = TEXT_BUF_INIT;
    bool as_is = false;
    const char *encoding = NULL;
    bool whole = text_decode((const char *)s, len, &b, &as_is, &encoding) == TEXT_DECODE_BINARY;
    ck_assert(!whole);
    ck_assert(!text_looks_binary((const char *)s, len));
    ck_assert(!text_looks_binary((const char *)s, TEXT_SNIFF_BYTES));
    text_buf_free(&b);
    free(s);
}
END_TEST

START_TEST(test_text_limits_hash)
{
    /* Pinned values: the hash is stored in indexes and must never change. */
    ck_assert_uint_eq(text_hash64("", 0), UINT64_C(0x2da1050f4becf15f));
    ck_assert_uint_eq(text_hash64("hello", 5), UINT64_C(0x131e18bb99cacbe6));
    ck_assert_uint_eq(text_hash64("The quick brown fox jumps over the lazy dog", 43),
                      UINT64_C(0x3a95ecc5b88e3c56));
    /* Small changes, lengths and trailing zero bytes all matter. */
    ck_assert_uint_ne(text_hash64("a", 1), text_hash64("b", 1));
    ck_assert_uint_ne(text_hash64("a", 1), text_hash64("a\0", 2));
    ck_assert_uint_ne(text_hash64("abcdefgh", 8), text_hash64("abcdefgi", 8));
    char big[1000];
    memset(big, 'x', sizeof big);
    uint64_t h = text_hash64(big, sizeof big);
    big[500] = 'y';
    ck_assert_uint_ne(h, text_hash64(big, sizeof big));
}
END_TEST

START_TEST(test_text_limits_buf)
{
    text_buf_t b = TEXT_BUF_INIT;
    ck_assert(text_buf_puts(&b, "ab"));
    ck_assert(text_buf_putc(&b, 'c'));
    ck_assert(text_buf_append(&b, "d\0e", 3));
    ck_assert_uint_eq(b.len, 6);
    ck_assert_mem_eq(b.data, "abcd\0e", 7);
    for (int i = 0; i < 1000; i++)
        ck_assert(text_buf_printf(&b, "%d,", i));
    ck_assert_int_eq(b.data[b.len], '\0');
    ck_assert_uint_eq(b.len, 6 + 10 * 2 + 90 * 3 + 900 * 4);
    ck_assert(text_buf_printf(&b, "%s", ""));
    text_buf_clear(&b);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_str_eq(b.data, "");
    char long_s[5000];
    memset(long_s, 'q', sizeof long_s - 1);
    long_s[sizeof long_s - 1] = '\0';
    ck_assert(text_buf_printf(&b, "<%s>", long_s));
    ck_assert_uint_eq(b.len, sizeof long_s + 1);
    ck_assert_int_eq(b.data[b.len - 1], '>');
    ck_assert(text_buf_reserve(&b, 100000));
    ck_assert_uint_ge(b.cap, b.len + 100001);
    ck_assert(!text_buf_reserve(&b, SIZE_MAX));
    text_buf_free(&b);
    ck_assert_ptr_null(b.data);
    text_buf_free(&b);

    /* text_buf_put_padded(): padded to terminal columns, not bytes: an
     * accent composed or combining takes none more, an ideograph two, a bad
     * byte one; a longer string is not cut. */
    const struct { const char *s; const char *want; } pads[] = {
        { "ab", "ab    " },
        { "caf\xC3\xA9", "caf\xC3\xA9  " },
        { "cafe\xCC\x81", "cafe\xCC\x81  " },
        { "\xE6\xBC\xA2\xE5\xAD\x97", "\xE6\xBC\xA2\xE5\xAD\x97  " },
        { "a\xFF", "a\xFF    " },
        { "abcdefgh", "abcdefgh" },
    };
    for (size_t k = 0; k < N_ROWS(pads); k++) {
        text_buf_t p = TEXT_BUF_INIT;
        ck_assert(text_buf_put_padded(&p, pads[k].s, 6));
        ck_assert_msg(strcmp(p.data, pads[k].want) == 0, "row %zu: \"%s\"", k, p.data);
        text_buf_free(&p);
    }

    /* text_case_like(): the case a word was typed in. */
    const struct { const char *word, *model, *want; } cases[] = {
        {"lavrov", "Lavrof", "Lavrov"}, {"moscow", "MOSKOW", "MOSCOW"},
        {"taliban", "talibn", "taliban"}, {"\xC3\xA9t\xC3\xA9", "\xC3\x89TE", "\xC3\x89T\xC3\x89"},
        {"x", "X", "X"}, {"42nd", "42ND", "42ND"},
        /* mostly capitals, two or more: all */
        {"tass", "TASSs", "TASS"}, {"gpu", "GPUs", "GPU"}, {"mcdonald", "McDonld", "Mcdonald"},
        {"ab", "Ab", "Ab"}, {"lavrov", "Lavrf", "Lavrov"},
        /* as long as the model: letter by letter */
        {"tpus", "GPUs", "TPUs"}, {"mysql", "MySQK", "MySQL"}, {"mcdonald", "McDnoald", "McDonald"},
        {"\xC3\xA9t\xC3\xA9", "\xC3\x89tE", "\xC3\x89t\xC3\x89"}, {"gpus", "GPU5", "GPUS"},
        {"o'brien", "Obriens", "O'Brien"},
        /* part by part, where the word has as many parts as the model */
        {"o'brien", "O'Brian", "O'Brien"}, {"jean-luc", "Jean-Lux", "Jean-Luc"},
        {"o'neill", "o'Neil", "o'Neill"}, {"o\xE2\x80\x99neill", "O\xE2\x80\x99Neil",
                                           "O\xE2\x80\x99Neill"},
        {"al-qaeda", "AL-QAIDA", "AL-QAEDA"},
        /* else the model's first part rules the word's first and its later
         * parts of three letters or more: names, not contractions */
        {"o'neill", "ONeil", "O'Neill"}, {"o'neill", "Neill", "O'Neill"},
        {"o'neill", "neill", "o'neill"}, {"don't", "Dont", "Don't"},
        {"you're", "Youre", "You're"}, {"rock'n'roll", "Rocknroll", "Rock'n'Roll"},
        {"\xCE\xB1\xCF\x83-\xCF\x83", "\xCE\x91\xCF\x83-\xCF\x83", "\xCE\x91\xCF\x83-\xCF\x82"},
        {"ab", "1", "ab"},
        /* a sigma that ends the word is final, unless in capitals: λόγος, ΛΌΓΟΣ */
        {"\xCE\xBB\xCF\x8C\xCE\xB3\xCE\xBF\xCF\x83", "\xCE\xBB\xCE\xBF\xCE\xB3\xCE\xBF\xCE\xB6",
         "\xCE\xBB\xCF\x8C\xCE\xB3\xCE\xBF\xCF\x82"},
        {"\xCE\xBB\xCF\x8C\xCE\xB3\xCE\xBF\xCF\x83", "\xCE\x9B\xCE\x9F\xCE\x93\xCE\x9F\xCE\x96",
         "\xCE\x9B\xCE\x8C\xCE\x93\xCE\x9F\xCE\xA3"},
        {"\xCF\x83", "x", "\xCF\x83"},   /* a sigma alone stays */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        text_buf_clear(&b);
        ck_assert(text_case_like(&b, cases[k].word, strlen(cases[k].word), cases[k].model,
                                 strlen(cases[k].model)));
        ck_assert_str_eq(b.data, cases[k].want);
    }
    text_buf_free(&b);

    /* text_grow(): doubling, the room asked for, overflow refused. */
    uint64_t *v = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < 1000; i++) {
        uint64_t *grown = text_grow(v, &cap, i + 1, sizeof *grown);
        ck_assert_ptr_nonnull(grown);
        v = grown;
        v[i] = i;
        ck_assert_uint_ge(cap, i + 1);
    }
    ck_assert_uint_lt(cap, 2 * 1000);
    ck_assert_ptr_eq(text_grow(v, &cap, cap, sizeof *v), v);      /* room enough */
    size_t before = cap;
    ck_assert_ptr_null(text_grow(v, &cap, SIZE_MAX / 4, sizeof *v));
    ck_assert_uint_eq(cap, before);
    ck_assert_uint_eq(v[999], 999);                                 /* left as it was */
    uint64_t *grown = text_grow(v, &cap, 5000, sizeof *v);          /* more than double */
    ck_assert_ptr_nonnull(grown);
    v = grown;
    ck_assert_uint_ge(cap, 5000);
    ck_assert_uint_eq(v[999], 999);
    free(v);

    for (int st = 0; st <= TEXT_STATUS_LAST + 1; st++)
        ck_assert_ptr_nonnull(text_status_str((text_status_t)st));
    ck_assert_str_eq(text_status_str(TEXT_OK), "success");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Word lists for "did you mean"                                            */
/* ------------------------------------------------------------------------ */

/* Decode a UTF-8 test word into code points (the tests use valid UTF-8). */
static size_t to_chars(const char *w, uint32_t *cp)
{
    text_spell_best_t b;
    ck_assert(text_spell_best_init(&b, w, strlen(w)) || !*w);
    memcpy(cp, b.chars, b.n_chars * sizeof *cp);
    size_t n = b.n_chars;
    text_spell_best_free(&b);
    return n;
}

typedef struct {
    const char *a, *b;
    unsigned max, want;
} distance_row_t;

static const distance_row_t distance_rows[] = {
    {"mail", "email", 2, 1},        /* one insertion */
    {"email", "mail", 2, 1},        /* one deletion */
    {"moscow", "moscwo", 2, 1},     /* two neighbours swapped: one edit */
    {"мир", "мира", 2, 1},          /* characters, not bytes */
    {"мира", "мри", 2, 2},          /* a deletion and a swap */
    {"über", "uber", 2, 0},         /* accents are left out, as matching does */
    {"widget", "widget", 2, 0},
    {"kitten", "sitting", 2, 3},    /* 3 edits: more than max */
    {"kitten", "sitting", 3, 3},
    {"ab", "abcde", 2, 3},          /* lengths alone settle it */
    {"abcdefgh", "hgfedcba", 2, 3}, /* far apart: cut short */
    {"", "ab", 2, 2},
};

START_TEST(test_text_spell_distance)
{
    const distance_row_t *r = &distance_rows[_i];
    uint32_t a[TEXT_SPELL_WORD_MAX], b[TEXT_SPELL_WORD_MAX];
    size_t na = to_chars(r->a, a), nb = to_chars(r->b, b);
    ck_assert_uint_eq(text_spell_distance(a, na, b, nb, r->max), r->want);
    ck_assert_uint_eq(text_spell_distance(b, nb, a, na, r->max), r->want); /* symmetric */
}
END_TEST

typedef struct {
    const char *a, *b, *want;
} merge_row_t;

static const merge_row_t merge_rows[] = {
    {"", "", ""},
    {"b\t1\nd\t2\n", "", "b\t1\nd\t2\n"},
    {"", "a\t5\n", "a\t5\n"},
    {"b\t1\nd\t2\n", "a\t5\nb\t3\ne\t1\n", "a\t5\nb\t4\nd\t2\ne\t1\n"}, /* union, sums */
    {"ab\t1\n", "a\t1\nabc\t1\n", "a\t1\nab\t1\nabc\t1\n"},             /* byte order */
    {"w\t4294967295\n", "w\t7\n", "w\t4294967295\n"},                     /* saturates */
    {"w\t99999999999\n", "", "w\t4294967295\n"},
    {"x\n\tq\ny\t1\nz\t1x\nv\t\nu\t2", "", "y\t1\n"}, /* malformed lines dropped */
};

START_TEST(test_text_spell_merge)
{
    const merge_row_t *r = &merge_rows[_i];
    text_buf_t out = TEXT_BUF_INIT;
    ck_assert(text_spell_merge(&out, r->a, strlen(r->a), r->b, strlen(r->b)));
    ck_assert_str_eq(out.data ? out.data : "", r->want);
    text_buf_free(&out);
}
END_TEST

START_TEST(test_text_spell_list)
{
    text_spell_word_t w[] = {
        { "widget", 6, 2 }, { "gadget", 6, 1 }, { "bad\tword", 8, 1 }, { "über", 5, 3 },
    };
    text_buf_t out = TEXT_BUF_INIT;
    ck_assert(text_spell_list(&out, w, 4));
    ck_assert_str_eq(out.data, "gadget\t1\nwidget\t2\nüber\t3\n"); /* sorted, bad word left out */
    ck_assert_uint_eq(text_spell_chars("über", 5), 4);
    ck_assert(!text_spell_word_ok("", 0));
    ck_assert(!text_spell_word_ok("a\nb", 3));
    char long_word[TEXT_SPELL_WORD_MAX + 2];
    memset(long_word, 'a', sizeof long_word);
    ck_assert(text_spell_word_ok(long_word, TEXT_SPELL_WORD_MAX));
    ck_assert(!text_spell_word_ok(long_word, TEXT_SPELL_WORD_MAX + 1));
    text_buf_free(&out);
}
END_TEST

typedef struct {
    const char *list, *word, *want; /* want NULL: no suggestion */
} best_row_t;

static const best_row_t best_rows[] = {
    {"moscow\t3\nmoskva\t1\n", "moscw", "moscow"},
    {"email\t2\nsaid\t26\n", "mail", "email"},      /* nearer beats more frequent */
    {"bail\t1\nmaid\t5\nmall\t5\n", "mail", "maid"}, /* as near: most frequent, then byte order */
    {"the\t100\n", "e", NULL},                      /* it would replace the whole word */
    {"the\t100\ngun\t9\n", "th", NULL},              /* two characters: too short to tell */
    {"gun\t9\n", "UN", NULL},
    {"\xC3\xA7" "a\t1\n", "ca", "\xC3\xA7" "a"},        /* but accents are no edits */
    {"the\t100\n", "teh", "the"},
    {"widget\t1\n", "widget", NULL},                /* the word itself is no suggestion */
    /* two edits only if either word has six characters or more */
    {"putin\t9\n", "plain", NULL},
    {"putin\t9\n", "putn", "putin"},
    {"oneill\t1\n", "onel", "oneill"},
    {"paper\t9\n", "pipers", "paper"},
    {"moscow\t3\n", "mscw", "moscow"},
    {"kabul\t3\n", "kbl", NULL},
    {"zebra\t1\n", "widget", NULL},
    {"", "widget", NULL},
    /* accents count as matching counts them: not at all */
    {"r\xC3\xA9sum\xC3\xA9\t1\n", "resumee", "r\xC3\xA9sum\xC3\xA9"},   /* one edit */
    {"\xC5\x82\xC3\xB3" "d\xC5\xBA\t1\n", "lodx", "\xC5\x82\xC3\xB3" "d\xC5\xBA"}, /* lodz */
    /* a word that differs in accents only is offered (a stemmer that reads
     * accents stems "fermee" otherwise than "fermée"), the word itself never */
    {"r\xC3\xA9sum\xC3\xA9\t1\n", "resume", "r\xC3\xA9sum\xC3\xA9"},
    {"ferm\xC3\xA9" "e\t1\n", "ferm\xC3\xA9" "e", NULL},
    {"fermee\t1\nferm\xC3\xA9" "e\t1\n", "ferm\xC3\xA9" "e", "fermee"},
    {"resume\t1\n", "r\xC3\xA9sum\xC3\xA9" "e", "resume"},
    /* apostrophes count for nothing either */
    {"want\t50\nwon't\t1\n", "wont", "won't"},
    {"o'neill\t1\n", "oneil", "o'neill"},
    {"it's\t1\n", "it's", NULL},
};

START_TEST(test_text_spell_best)
{
    const best_row_t *r = &best_rows[_i];
    text_spell_best_t b;
    ck_assert(text_spell_best_init(&b, r->word, strlen(r->word)));
    ck_assert(text_spell_best_scan(&b, r->list, strlen(r->list)));
    ck_assert_int_eq(b.found, r->want != NULL);
    if (r->want)
        ck_assert_str_eq(b.word.data, r->want);
    text_spell_best_free(&b);
}
END_TEST

/* A word too long to keep is not corrected, also when it would fit without
 * its apostrophes (the word itself could then be offered for it). */
START_TEST(test_text_spell_best_too_long)
{
    char word[TEXT_SPELL_WORD_MAX + 5];
    for (size_t i = 0; i < TEXT_SPELL_WORD_MAX + 4; i++)
        word[i] = i % 2 ? '\'' : 'a';
    word[TEXT_SPELL_WORD_MAX + 4] = '\0';
    text_spell_best_t b;
    ck_assert(!text_spell_best_init(&b, word, strlen(word)));
    text_spell_best_free(&b);
}
END_TEST

/* A number is not corrected: the lists hold no numbers, and the nearest
 * word with letters ("md80" for "8080") is no typo of it. A word with
 * letters and digits is. */
START_TEST(test_text_spell_best_number)
{
    static const char list[] = "md80\t5\nport\t9\n";
    text_spell_best_t b;
    ck_assert(!text_spell_best_init(&b, "8080", 4));
    text_spell_best_free(&b);
    ck_assert(text_spell_best_init(&b, "md81", 4));
    ck_assert(text_spell_best_scan(&b, list, strlen(list)));
    ck_assert(b.found);
    ck_assert_str_eq(b.word.data, "md80");
    text_spell_best_free(&b);
}
END_TEST

/* ------------------------------------------------------------------------ */

/* The lines of data (len bytes) read by text_lines_*, joined by '|', with
 * '0' for a NUL byte and '!' after a line that holds one. */
static void lines_joined(const char *data, size_t len, char *out, size_t cap)
{
    FILE *f = fmemopen((void *)data, len, "r");
    ck_assert_ptr_nonnull(f);
    text_lines_t l;
    text_line_t line;
    size_t o = 0;
    unsigned no = 0;
    ck_assert(text_lines_read(&l, f));
    while (text_lines_next(&l, &line)) {
        ck_assert_uint_eq(line.no, ++no);
        for (size_t i = 0; i < line.len && o + 3 < cap; i++)
            out[o++] = line.text[i] ? line.text[i] : '0';
        if (line.nul && o + 3 < cap)
            out[o++] = '!';
        if (o + 2 < cap)
            out[o++] = '|';
    }
    out[o] = '\0';
    text_lines_free(&l);
    fclose(f);
}

START_TEST(test_text_lines_ends)
{
    static const struct {
        const char *in;
        size_t len;
        const char *want;
    } rows[] = {
        { "a\nb\n", 4, "a|b|" },
        { "a\nb", 3, "a|b|" },
        { "a\r\nb\r\n", 6, "a|b|" },
        { "a\rb\rc", 5, "a|b|c|" },           /* old Mac lines */
        { "a\nb\rc\nd\n", 8, "a|b|c|d|" },    /* a lone CR among LF lines */
        { "a\r\r\nb", 5, "a||b|" },
        { "a\n\nb\n", 5, "a||b|" },
        { "a\0b\rc\n", 6, "a0b!|c|" },        /* a NUL byte ends no line */
        { "a\nb\r", 4, "a|b|" },                /* a CR at the very end */
        { "\xEF\xBB\xBF" "a\rb", 6, "a|b|" },      /* a UTF-8 mark dropped */
        { "\xFF\xFE" "a\0\r\0b\0\n\0", 10, "a|b|" }, /* UTF-16 with a lone CR */
        { "\0\n", 2, "0!|" },
        { "", 0, "" },
    };
    char got[64];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        lines_joined(rows[i].in, rows[i].len, got, sizeof got);
        ck_assert_msg(strcmp(got, rows[i].want) == 0, "row %zu: got '%s', want '%s'", i, got,
                      rows[i].want);
    }
}
END_TEST

Suite *make_text_suite(void);

Suite *make_text_suite(void)
{
    Suite *s = suite_create("text");
    TCase *tc;

    tc = tcase_create("tokenize");
    tcase_add_loop_test(tc, test_text_tokenize_table, 0, N_ROWS(tok_rows));
    tcase_add_test(tc, test_text_tokenize_first_pos);
    tcase_add_test(tc, test_text_tokenize_in_open_fence);
    tcase_add_test(tc, test_text_tokenize_plain);
    tcase_add_test(tc, test_text_tokenize_stop);
    tcase_add_test(tc, test_text_tokenize_apostrophes_same_terms);
    suite_add_tcase(s, tc);

    tc = tcase_create("fold");
    tcase_add_loop_test(tc, test_text_fold_table, 0, N_ROWS(fold_rows));
    tcase_add_loop_test(tc, test_text_unaccent_table, 0, N_ROWS(unaccent_rows));
    tcase_add_test(tc, test_text_stem_unaccented);
    tcase_add_loop_test(tc, test_text_fold_matches_tokenizer, 0, N_ROWS(fold_same_words));
    tcase_add_test(tc, test_text_fold_limits);
    tcase_add_test(tc, test_text_is_word_char);
    suite_add_tcase(s, tc);

    tc = tcase_create("stem");
    tcase_add_loop_test(tc, test_text_stem_table, 0, N_ROWS(stem_rows));
    tcase_add_test(tc, test_text_stem_languages);
    tcase_add_test(tc, test_text_stem_cache);
    tcase_add_test(tc, test_text_stem_analyze);
    tcase_add_test(tc, test_text_analyze_compounds);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);

    tc = tcase_create("stopwords");
    tcase_add_test(tc, test_text_stopwords_default);
    tcase_add_test(tc, test_text_stopwords_snowball_format);
    tcase_add_test(tc, test_text_stopwords_token_flags);
    suite_add_tcase(s, tc);

    tc = tcase_create("markdown");
    tcase_add_loop_test(tc, test_text_markdown_clean_line, 0, N_ROWS(clean_rows));
    tcase_add_test(tc, test_text_markdown_clean_heading);
    tcase_add_loop_test(tc, test_text_markdown_first_line, 0, N_ROWS(first_line_rows));
    tcase_add_loop_test(tc, test_text_markdown_front_matter, 0, N_ROWS(front_matter_rows));
    tcase_add_test(tc, test_text_markdown_title_source);
    tcase_add_test(tc, test_text_markdown_front_matter_bounds);
    suite_add_tcase(s, tc);

    tc = tcase_create("passages");
    tcase_add_loop_test(tc, test_text_passages_table, 0, N_ROWS(passage_rows));
    tcase_add_test(tc, test_text_passages_invariants);
    tcase_add_test(tc, test_text_passages_crlf_as_lf);
    tcase_add_test(tc, test_text_passages_stop);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);

    tc = tcase_create("record");
    tcase_add_loop_test(tc, test_text_record_roundtrip, 0, N_ROWS(record_rows));
    tcase_add_loop_test(tc, test_text_record_file_roundtrip, 0, N_ROWS(file_record_rows));
    tcase_add_test(tc, test_text_record_garbage);
    tcase_add_test(tc, test_text_docid);
    suite_add_tcase(s, tc);

    tc = tcase_create("spell");
    tcase_add_loop_test(tc, test_text_spell_distance, 0, N_ROWS(distance_rows));
    tcase_add_loop_test(tc, test_text_spell_merge, 0, N_ROWS(merge_rows));
    tcase_add_test(tc, test_text_spell_list);
    tcase_add_loop_test(tc, test_text_spell_best, 0, N_ROWS(best_rows));
    tcase_add_test(tc, test_text_spell_best_too_long);
    tcase_add_test(tc, test_text_spell_best_number);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_test(tc, test_text_limits_token_max);
    tcase_add_test(tc, test_text_limits_huge_words);
    tcase_add_test(tc, test_text_limits_hostile_input);
    tcase_add_test(tc, test_text_limits_huge_line_passages);
    tcase_add_test(tc, test_text_limits_utf8);
    tcase_add_test(tc, test_text_utf8_repair);
    tcase_add_test(tc, test_text_decode);
    tcase_add_test(tc, test_text_lines_ends);
    tcase_add_test(tc, test_text_sniff_window);
    tcase_add_test(tc, test_text_limits_hash);
    tcase_add_test(tc, test_text_limits_buf);
    /* Generous: the same tests run under valgrind. */
    tcase_set_timeout(tc, 300);
    suite_add_tcase(s, tc);

    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(make_text_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
