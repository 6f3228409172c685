/*
 * check_query.c — tests of the query language (searcher/query_parse.c and
 * searcher/query_build.c) with an english analyzer and its default stopwords.
 *
 * TCases: "parse" (query -> canonical description, one table row per rule,
 * plus inputs that must merely not crash), "errors" (every refusal, with its
 * message and column), "build" (queries run through the shim on a small
 * database made in a mkdtemp directory under the build directory, checking
 * which documents match) and "units" (what the snippet builder is told to
 * highlight, and the word walk used by --explain).
 */
#include "config.h"

#include <check.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../searcher/query.h"
#include "terms.h"

Suite *make_query_suite(void);

/* Row options. */
enum {
    AND_ = 0,      /* default operator AND, stopwords dropped */
    OR_ = 1u << 0, /* default operator OR */
    KEEP = 1u << 1, /* stopwords not dropped */
    PHR = 1u << 2   /* a joined word's phrase too (the fallback of all words) */
};

static text_analyzer_t *an;

static void setup(void)
{
    ck_assert_int_eq(text_analyzer_new(&an, "english"), TEXT_OK);
    ck_assert_int_eq(text_analyzer_default_stopwords(an), TEXT_OK);
}

static void teardown(void)
{
    text_analyzer_free(an);
    an = NULL;
}

static srch_parse_opts_t opts_of(unsigned flags)
{
    srch_parse_opts_t o = SRCH_PARSE_OPTS_INIT;
    o.default_op = (flags & OR_) ? SRCH_DEFAULT_OR : SRCH_DEFAULT_AND;
    o.drop_stopwords = !(flags & KEEP);
    o.joined_phrase_too = (flags & PHR) != 0;
    return o;
}

/* Parse q (length len) or fail the test with the parser's message. */
static srch_query_t *parse_ok(const char *q, size_t len, unsigned flags)
{
    srch_parse_opts_t o = opts_of(flags);
    srch_query_t *query = NULL;
    srch_error_t err;
    srch_query_status_t st = srch_query_parse(&query, q, len, an, &o, &err);
    ck_assert_msg(st == SRCH_QUERY_OK, "parse \"%.60s\": %s (%s, column %zu)", q,
                  srch_query_status_str(st), err.message, err.column);
    ck_assert_ptr_nonnull(query);
    return query;
}

/* The description of q, malloc'ed. */
static char *describe(const srch_query_t *q)
{
    text_buf_t b = TEXT_BUF_INIT;
    ck_assert(srch_query_describe(q, &b));
    ck_assert_ptr_nonnull(b.data);
    return b.data;
}

/* ------------------------------------------------------------------------ */
/* parse                                                                    */
/* ------------------------------------------------------------------------ */

typedef struct parse_row {
    const char *query;
    unsigned flags;
    const char *want;
} parse_row_t;

static const parse_row_t parse_rows[] = {
    /* words: folded and stemmed by text/ */
    { "talks", AND_, "talk" },
    { "Talks", AND_, "talk" },
    { "  talks  ", AND_, "talk" },
    { "peace talks", AND_, "(AND peac talk)" },              /* default AND */
    { "peace talks", OR_, "(OR peac talk)" },                /* default OR */
    { "Russia’s talks", AND_, "(AND russia talk)" },         /* curly apostrophe ... */
    { "Russia's talks", AND_, "(AND russia talk)" },         /* ... same as straight */
    { "U.S. troops", AND_, "(AND us troop)" },               /* acronym, not the stopword */
    { "us troops", AND_, "troop" },                          /* the stopword "us" */
    { "14,000 troops", AND_, "(AND 14000 troop)" },
    { "café", AND_, "cafe" },
    { "kabul-", AND_, "kabul" },                             /* trailing hyphen: punctuation */
    /* one chunk, several tokens: a phrase */
    { "U.S.-backed", AND_, "(PHRASE us back)" },
    { "foo/bar", AND_, "(PHRASE foo bar)" },
    { "state-of-the-art", AND_, "(PHRASE state of the art)" },
    { "B-52", AND_, "(PHRASE b 52)" },
    /* a hyphenated word of two parts of letters: or the word typed solid */
    { "thermo-aeroelastic", AND_, "(OR (PHRASE thermo aeroelast) thermoaeroelast)" },
    { "ex-Soviet", AND_, "(OR (PHRASE ex soviet) exsoviet)" },
    { "anti-taliban kabul", AND_, "(AND (OR (PHRASE anti taliban) antitaliban) kabul)" },
    { "to-do", AND_, "(OR (PHRASE to do) todo)" },
    { "\"taliban co-founder\"", AND_,
      "(OR (PHRASE taliban co founder) (PHRASE taliban cofound))" },
    { "\"co-founder e-mail\"", AND_, "(OR (PHRASE co founder e mail) (PHRASE cofound email))" },
    { "co-found*", AND_, "(AND co (PREFIX found))" },           /* not before a wildcard */
    { "co-founder NEAR taliban", AND_, "(NEAR/10 (PHRASE co founder) taliban)" }, /* nor in */
    { "taliban NEAR co-founder", AND_, "(NEAR/10 taliban (PHRASE co founder))" }, /* a NEAR */
    { "(co-founder) NEAR taliban", AND_, "(NEAR/10 (PHRASE co founder) taliban)" },
    { "(\"co-founder\") NEAR/2 taliban", AND_, "(NEAR/2 (PHRASE co founder) taliban)" },
    { "title:(co-founder) NEAR title:x", AND_, "(NEAR/10 (PHRASE title:co title:founder) title:x)" },
    /* any-word mode: a hyphenated word is a bag of its parts (ranks better)... */
    { "heat-transfer slab", OR_, "(OR (OR heat transfer) slab)" },
    /* ... with their phrase and the word typed solid in the any-word fallback */
    { "heat-transfer slab", OR_ | PHR,
      "(OR (OR heat transfer (PHRASE heat transfer) heattransf) slab)" },
    { "U.S.-backed", OR_ | PHR, "(OR us back (PHRASE us back))" },
    { "slab", OR_ | PHR, "slab" },
    { "time-to-failure", OR_, "(OR time failur)" },          /* its stopwords go too */
    { "state-of-the-art", OR_, "(OR state art)" },
    { "to-do", OR_, "(OR to do)" },                          /* all stopwords: kept */
    { "+time-to-failure", OR_, "(PHRASE time to failur)" },
    /* ...but stays a phrase where it is required, excluded, or in a NEAR */
    { "+heat-transfer slab", OR_, "(AND_MAYBE (OR (PHRASE heat transfer) heattransf) slab)" },
    { "slab -heat-transfer", OR_, "(AND_NOT slab (OR (PHRASE heat transfer) heattransf))" },
    { "heat-transfer NEAR/2 slab", OR_, "(NEAR/2 (PHRASE heat transfer) slab)" },
    { "slab NEAR heat-transfer", OR_, "(NEAR/10 slab (PHRASE heat transfer))" },
    { "(heat-transfer) NEAR/2 slab", OR_, "(NEAR/2 (PHRASE heat transfer) slab)" },
    { "(heat-transfer) NEAR/2 slab", OR_ | PHR, "(NEAR/2 (PHRASE heat transfer) slab)" },
    { "(time-to-failure) NEAR x", OR_, "(NEAR/10 (PHRASE time to failur) x)" },
    { "((state-of-the-art)) NEAR x y", OR_, "(OR (NEAR/10 (PHRASE state of the art) x) y)" },
    { "title:(heat-transfer) NEAR title:x", OR_,
      "(NEAR/10 (PHRASE title:heat title:transfer) title:x)" },
    { "\"heat-transfer\" slab", OR_, "(OR (OR (PHRASE heat transfer) heattransf) slab)" },
    /* Chinese and Japanese: a word of several characters is their phrase */
    { "经济政策", AND_, "(PHRASE 经 济 政 策)" },
    { "经济 東京タワー", AND_, "(AND (PHRASE 经 济) (PHRASE 東 京 タワー))" },
    { "经济", OR_, "(PHRASE 经 济)" },                    /* in any-word queries too */
    { "经济 改革", OR_ | PHR, "(OR (PHRASE 经 济) (PHRASE 改 革))" },
    { "WTO-经济 x", OR_, "(OR (PHRASE wto 经 济) x)" },
    { "经济*", AND_, "(PHRASE 经 济)" },                  /* an ideograph is a whole word */
    { "title：经济", AND_, "(PHRASE title:经 title:济)" },  /* a full-width colon */
    { "経*", AND_, "経" },
    { "iPhone手*", AND_, "(PHRASE iphon 手)" },
    { "WTO-经济", AND_, "(PHRASE wto 经 济)" },             /* no compound of ideographs */
    /* quoted phrases */
    { "\"peace talks\"", AND_, "(PHRASE peac talk)" },
    { "“peace talks”", AND_, "(PHRASE peac talk)" },         /* curly quotes */
    { "«peace talks» »Moscow summit«", AND_,
      "(AND (PHRASE peac talk) (PHRASE moscow summit))" },   /* guillemets */
    { "‘peace talks’", AND_, "(AND peac talk)" },           /* single: apostrophes too */
    { "«\"peace talks\"» „peace «talks» about“", AND_,
      "(AND (PHRASE peac talk) (PHRASE peac talk about))" },  /* nested: the outer quotes */
    { "peace » talks a«b", AND_, "(AND peac talk (PHRASE a b))" },  /* alone: punctuation */
    { "\"talks\"", AND_, "talk" },                           /* one word: the term */
    { "talk \"peace talks\"", AND_, "(AND talk (PHRASE peac talk))" },
    { "\"the war of the worlds\"", AND_, "(PHRASE the war of the world)" },  /* stopwords kept */
    { "\"peace\"talks", AND_, "(AND peac talk)" },           /* a quote ends a chunk */
    { "\"\" kabul", AND_, "kabul" },                         /* empty phrase ignored */
    /* signs */
    { "kabul -taliban", AND_, "(AND_NOT kabul taliban)" },
    { "kabul +taliban", AND_, "(AND kabul taliban)" },
    { "kabul - taliban", AND_, "(AND kabul taliban)" },      /* lone "-": punctuation */
    { "kabul + taliban", AND_, "(AND kabul taliban)" },
    { "-!!! kabul", AND_, "kabul" },                         /* sign on nothing */
    { "kabul -- taliban", AND_, "(AND kabul taliban)" },     /* "--" alone: punctuation */
    /* an escape sequence separates words, as the tokenizer skips it */
    { "kab\033[31mul", AND_, "(AND kab ul)" },
    { "\033[1m-taliban kabul", AND_, "(AND_NOT kabul taliban)" },
    { "kabul -taliban -lavrov", AND_, "(AND_NOT kabul (OR taliban lavrov))" },
    { "-taliban kabul moscow", AND_, "(AND_NOT (AND kabul moscow) taliban)" },
    { "kabul -\"peace talks\"", AND_, "(AND_NOT kabul (PHRASE peac talk))" },
    { "kabul -(taliban OR lavrov)", AND_, "(AND_NOT kabul (OR taliban lavrov))" },
    { "kabul +\"peace talks\"", AND_, "(AND kabul (PHRASE peac talk))" },
    { "(kabul -taliban) moscow", AND_, "(AND_NOT (AND kabul moscow) taliban)" },
    /* signs with default OR */
    { "kabul moscow", OR_, "(OR kabul moscow)" },
    { "+kabul moscow -taliban", OR_, "(AND_NOT (AND_MAYBE kabul moscow) taliban)" },
    { "+kabul +moscow", OR_, "(AND kabul moscow)" },
    { "+kabul +moscow peace talks", OR_, "(AND_MAYBE (AND kabul moscow) (OR peac talk))" },
    { "kabul moscow -taliban", OR_, "(AND_NOT (OR kabul moscow) taliban)" },
    { "+kabul", OR_, "kabul" },
    { "(kabul -taliban) moscow", OR_, "(OR (AND_NOT kabul taliban) moscow)" },
    /* a sign stays in its group, one item or more */
    { "(+kabul) moscow", OR_, "(OR kabul moscow)" },
    { "(+kabul peace) moscow", OR_, "(OR (AND_MAYBE kabul peac) moscow)" },
    { "title:(+kabul) moscow", OR_, "(OR title:kabul moscow)" },
    { "+(+kabul) moscow", OR_, "(AND_MAYBE kabul moscow)" },
    { "kabul moscow AND talks", OR_, "(OR kabul (AND moscow talk))" },  /* AND groups */
    { "kabul AND -taliban moscow", OR_, "(OR (AND_NOT kabul taliban) moscow)" },
    /* boolean operators and precedence: NOT > AND > OR */
    { "kabul AND moscow", OR_, "(AND kabul moscow)" },
    { "kabul OR moscow", AND_, "(OR kabul moscow)" },
    { "kabul moscow OR taliban", AND_, "(OR (AND kabul moscow) taliban)" },
    { "kabul AND moscow OR taliban", AND_, "(OR (AND kabul moscow) taliban)" },
    { "kabul OR moscow AND taliban", AND_, "(OR kabul (AND moscow taliban))" },
    { "kabul AND (moscow OR taliban)", AND_, "(AND kabul (OR moscow taliban))" },
    { "kabul OR moscow NOT taliban", AND_, "(OR kabul (AND_NOT moscow taliban))" },
    /* a sign belongs to its run of words: OR separates runs (documented) */
    { "kabul OR moscow -taliban", AND_, "(OR kabul (AND_NOT moscow taliban))" },
    { "(kabul OR moscow) -taliban", AND_, "(AND_NOT (OR kabul moscow) taliban)" },
    { "lavrov NOT taliban", AND_, "(AND_NOT lavrov taliban)" },
    { "lavrov AND NOT taliban", AND_, "(AND_NOT lavrov taliban)" },
    { "NOT taliban lavrov", AND_, "(AND_NOT lavrov taliban)" },  /* leading NOT = "-" */
    { "lavrov NOT taliban NOT kabul", AND_, "(AND_NOT lavrov (OR taliban kabul))" },
    { "lavrov NOT (taliban OR kabul)", AND_, "(AND_NOT lavrov (OR taliban kabul))" },
    { "kabul OR moscow OR lavrov", AND_, "(OR kabul moscow lavrov)" },
    { "((kabul))", AND_, "kabul" },
    { "(kabul OR moscow) (talks OR peace)", AND_, "(AND (OR kabul moscow) (OR talk peac))" },
    { "kabul AND(moscow)", AND_, "(AND kabul moscow)" },     /* a parenthesis ends a chunk */
    { "(kabul)OR(moscow)", AND_, "(OR kabul moscow)" },
    { "(kabul)-taliban", AND_, "(AND kabul taliban)" },      /* no sign after ")": a hyphen */
    /* lower-case operators are words (and stopwords) */
    { "war and peace", KEEP, "(AND war and peac)" },
    { "war or peace", KEEP, "(AND war or peac)" },
    { "not peace", KEEP, "(AND not peac)" },
    { "war and peace", AND_, "(AND war peac)" },
    { "And Or", KEEP, "(AND and or)" },
    /* NEAR */
    { "kabul NEAR/5 moscow", AND_, "(NEAR/5 kabul moscow)" },
    /* a '*' before a word is emphasis, not a wildcard, and not an error, and
     * so is the '*' after a word that closes it; a later one is a wildcard */
    { "*kabul talks*", AND_, "(AND kabul talk)" },
    { "*kabul* talks*", AND_, "(AND kabul (PREFIX talks))" },
    /* a '?' ending a word or standing alone is punctuation */
    { "kabul? talks ?", AND_, "(AND kabul talk)" },
    { "foo\xe2\x80\x94" "*bar*\xe2\x80\x94" "baz", AND_, "(PHRASE foo bar baz)" },
    { "kabul NEAR moscow", AND_, "(NEAR/10 kabul moscow)" },
    { "kabul NEAR/0 moscow", AND_, "(NEAR/0 kabul moscow)" },
    { "kabul NEAR/1000 moscow", AND_, "(NEAR/1000 kabul moscow)" },
    { "kabul NEAR/3 moscow NEAR/3 lavrov", AND_, "(NEAR/3 kabul moscow lavrov)" },
    { "kabul NEAR/2 moscow NEAR/7 lavrov", AND_, "(NEAR/7 kabul moscow lavrov)" },  /* largest n */
    { "\"peace talks\" NEAR/3 kabul", AND_, "(NEAR/3 (PHRASE peac talk) kabul)" },
    { "the NEAR/2 war", AND_, "(NEAR/2 the war)" },          /* stopwords kept in NEAR */
    { "kabul NEAR/3 moscow taliban", AND_, "(AND (NEAR/3 kabul moscow) taliban)" },
    { "kabul NEAR/3 moscow OR lavrov", AND_, "(OR (NEAR/3 kabul moscow) lavrov)" },
    { "-(kabul NEAR moscow) lavrov", AND_, "(AND_NOT lavrov (NEAR/10 kabul moscow))" },
    { "title:kabul NEAR/2 title:talks", AND_, "(NEAR/2 title:kabul title:talk)" },
    { "(kabul) NEAR (\"peace talks\")", AND_, "(NEAR/10 kabul (PHRASE peac talk))" },
    { "near kabul", KEEP, "(AND near kabul)" },              /* lower case: a word */
    /* wildcards */
    { "talk*", AND_, "(PREFIX talk)" },
    { "Talk*", AND_, "(PREFIX talk)" },
    { "talks**", AND_, "(PREFIX talks)" },                   /* the folded word, not its stem */
    { "kabul talk*", AND_, "(AND kabul (PREFIX talk))" },
    { "kabul -talk*", AND_, "(AND_NOT kabul (PREFIX talk))" },
    { "thermo-aero*", AND_, "(AND thermo (PREFIX aero))" },
    { "kabul *", AND_, "kabul" },                            /* lone "*": punctuation */
    { "didn'*", AND_, "(PREFIX didn)" },                     /* apostrophes end no word */
    { "didn\xE2\x80\x99*", AND_, "(PREFIX didn)" },
    { "russia's*", AND_, "(PREFIX russia's)" },
    { "éa*", AND_, "(PREFIX ea)" },                          /* folded like the words it finds */
    /* a code span typed with its backticks: a phrase of its words, read as
     * code, with no query syntax in it; a call's "()" is punctuation */
    { "`grep -r` -`rm -rf` (`f(x) OR \"y\"`)", AND_,
      "(AND_NOT (AND (PHRASE grep r) (PHRASE f x or y)) (PHRASE rm rf))" },
    { "``a ` b`` `kabul` `int`s `open", AND_, "(AND (PHRASE a b) kabul int open)" },
    { "name() talks:", AND_, "(AND name talk)" },
    { "`Buffer`'s `foo`* tidy_up()", AND_, "(AND buffer foo (PHRASE tidi up))" },
    { "`caf&eacute;` caf&eacute;", AND_, "(AND (PHRASE caf eacut) cafe)" },
    /* punctuation after the '*' ends a clause, not the wildcard */
    { "negotiat*, kabul diplom*? talk*.", AND_,
      "(AND (PREFIX negotiat) kabul (PREFIX diplom) (PREFIX talk))" },
    { "talk*\xE2\x80\xA6 didn'*' talk*.x", AND_,
      "(AND (PREFIX talk) (PREFIX didn) (PHRASE talk x))" },
    /* title: */
    { "title:kabul", AND_, "title:kabul" },
    { "TITLE:Kabul", AND_, "title:kabul" },
    { "title:\"peace talks\"", AND_, "(PHRASE title:peac title:talk)" },
    { "title:talk*", AND_, "(PREFIX title:talk)" },
    { "title:(kabul OR moscow) talks", AND_, "(AND (OR title:kabul title:moscow) talk)" },
    { "-title:kabul moscow", AND_, "(AND_NOT moscow title:kabul)" },
    { "title:thermo-aeroelastic", AND_,
      "(OR (PHRASE title:thermo title:aeroelast) title:thermoaeroelast)" },
    /* a stopword under title: goes as in the text, unless nothing else is left */
    { "title:the war", AND_, "war" },
    { "title:(the kabul)", AND_, "title:kabul" },
    { "title:(the who)", AND_, "(AND title:the title:who)" },
    { "title:\"the war\"", AND_, "(PHRASE title:the title:war)" },
    { "subtitle:kabul", AND_, "(AND subtitl kabul)" },    /* unknown field: words */
    /* stopwords */
    { "the war", AND_, "war" },
    { "the war", KEEP, "(AND the war)" },
    { "the war of the worlds", OR_, "(OR war world)" },
    { "the who", AND_, "(AND the who)" },                    /* only stopwords: kept */
    { "the", AND_, "the" },
    { "+the war", AND_, "(AND the war)" },                   /* required: kept */
    { "war -the", AND_, "(AND_NOT war the)" },               /* excluded: kept */
    { "the OR war", AND_, "war" },
    { "(the) war", AND_, "war" },
    { "the NOT war", AND_, "(AND_NOT the war)" },            /* no other positive word */
    { "(the NOT peace) war", AND_, "(AND_NOT war peac)" },
    { "\"the who\" the", AND_, "(PHRASE the who)" },
    { "war -(the OR a)", AND_, "(AND_NOT war (OR the a))" },  /* excluded: kept */
    { "war NOT the", AND_, "(AND_NOT war the)" },
    { "+(the OR a) war", OR_, "war" },                       /* a group is not a sign on a word */
    { "the +war", OR_, "war" },
    /* separators the lexer must not trip on */
    { "kabul\tmoscow\n", AND_, "(AND kabul moscow)" },
    { "kabul\x01moscow\x7f", AND_, "(AND kabul moscow)" },     /* control characters */
    { "kabul\xffmoscow", AND_, "(AND kabul moscow)" },         /* invalid UTF-8 */
    { "kabul\xc3", AND_, "kabul" },                            /* truncated character */
    { "kabul\xc2\xa0moscow", AND_, "(AND kabul moscow)" },     /* no-break space */
    { "kabul\xe3\x80\x80moscow", AND_, "(AND kabul moscow)" }, /* ideographic space */
    { "kabul\xe2\x80\x83moscow", AND_, "(AND kabul moscow)" }, /* em space */
    { "kabul\xe2\x80\x8bmoscow", AND_, "(AND kabul moscow)" }, /* zero width space */
};

START_TEST(test_query_parse_rows)
{
    const parse_row_t *r = &parse_rows[_i];
    srch_query_t *q = parse_ok(r->query, strlen(r->query), r->flags);
    char *got = describe(q);
    ck_assert_msg(strcmp(got, r->want) == 0, "row %d \"%s\": got %s, want %s", _i, r->query,
                  got, r->want);
    free(got);
    srch_query_free(q);
}
END_TEST

/* query parses as want (not checked if NULL), with note as its note (NULL:
 * none). */
static void expect_note(const char *query, const char *want, const char *note)
{
    srch_query_t *q = parse_ok(query, strlen(query), AND_);
    char *got = describe(q);
    if (want)
        ck_assert_str_eq(got, want);
    if (note)
        ck_assert_str_eq(srch_query_note(q) ? srch_query_note(q) : "(none)", note);
    else
        ck_assert_ptr_null(srch_query_note(q));
    free(got);
    srch_query_free(q);
}

/* A word too long to be indexed (over TEXT_TOKEN_MAX bytes) is left out of
 * the query, and a note says so: alone, beside others, in a phrase, before a
 * hyphen. A word of 64 bytes is a word, and a long run of ideographs is as
 * many words: no note. */
#define A16 "aaaaaaaaaaaaaaaa"
#define A64 A16 A16 A16 A16
#define I16 "İİİİİİİİİİİİİİİİ"   /* 32 bytes, 48 once folded */
#define LONG_NOTE "'aaaaaaaaaaaaaaaaaaaaaaaa…' is no word to search for (words longer than 64 " \
                  "bytes are not indexed): it is left out of the query"
START_TEST(test_query_long_word_notes)
{
    static const struct {
        const char *query, *want, *note;
    } rows[] = {
        { "Moscow " A64 "a", "moscow", LONG_NOTE },
        { "Moscow " A64 "a talks", "(AND moscow talk)", LONG_NOTE },
        { "\"peace " A64 "a talks\"", "(PHRASE peac talk)", LONG_NOTE },
        { "Moscow " A64 "a-talks", "(AND moscow talk)", LONG_NOTE },
        /* a word runs on over an apostrophe, and may be too long once folded */
        { "Moscow " A64 "'s", "moscow", LONG_NOTE },
        { "Moscow " A16 A16 "'" A16 A16, "moscow", LONG_NOTE },
        { "Moscow " I16 I16, "moscow",
          "'İİİİİİİİİİİİ…' is no word to search for (words longer than 64 bytes are not "
          "indexed): it is left out of the query" },
        { "AT&amp;T don't Moscow", NULL, NULL },
        { "Moscow " A64, "(AND moscow " A64 ")", NULL },
        { "\"Moscow " A64 "\"", "(PHRASE moscow " A64 ")", NULL },
        { "经济政策经济政策经济政策经济政策经济政策经济政策", NULL, NULL },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        expect_note(rows[i].query, rows[i].want, rows[i].note);
}
END_TEST

/* A curly quote right after a word closes nothing the query holds: it is
 * punctuation. One that opens a phrase none closes runs to the end of the
 * query, or of its group. Either way a note says so (a line pasted from an
 * article often has one); a straight one unclosed is an error (above). */
#define RUNS_ON(col, what) \
    "the quote mark at column " #col " has none to close it: the phrase runs to the end of the " what
#define CLOSES_NOTHING(col) \
    "the quote mark at column " #col " closes nothing: it is read as punctuation"
START_TEST(test_query_lone_curly_quote)
{
    static const struct {
        const char *query, *want, *note;
    } rows[] = {
        { "“peace talks", "(PHRASE peac talk)", RUNS_ON(1, "query") },
        { "Kabul -“peace talks", "(AND_NOT kabul (PHRASE peac talk))", RUNS_ON(8, "query") },
        { "(Kabul “peace talks) OR Moscow", "(OR (AND kabul (PHRASE peac talk)) moscow)",
          RUNS_ON(8, "group") },
        { "peace talks”", "(AND peac talk)", CLOSES_NOTHING(12) },
        { "friends” have assured “peace talks”", "(AND friend assur (PHRASE peac talk))",
          CLOSES_NOTHING(8) },
        { "friends” have assured \"peace talks\"", "(AND friend assur (PHRASE peac talk))",
          CLOSES_NOTHING(8) },
        { "“peace talks” and „Moscow", "(AND (PHRASE peac talk) moscow)", RUNS_ON(19, "query") },
        { "“peace talks”", "(PHRASE peac talk)", NULL },
        { "„peace talks“", "(PHRASE peac talk)", NULL },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        expect_note(rows[i].query, rows[i].want, rows[i].note);
}
END_TEST

/* A character that may have been meant as a wildcard but is none is read as
 * emphasis or punctuation, and a name and ':' as words, with a note; where no
 * such doubt arises, no note. */
START_TEST(test_query_wildcard_notes)
{
    static const struct {
        const char *query, *want, *note;
    } rows[] = {
        { "peace *ing", "(AND peac ing)", "a '*' cannot start a wildcard (only prefix* is one): "
                                          "'*ing' is read as the word" },
        { "Tal?ban", "(PHRASE tal ban)", "'?' is no wildcard (only a '*' ending a word is): "
                                         "'Tal?ban' is read with it as punctuation" },
        /* nor one after punctuation; an emphasis closed after it is no note */
        { "co-* talks", "(AND co talk)", "a '*' after punctuation is no wildcard (only prefix* "
                                         "is one): 'co-*' is read as the word" },
        { "**bold.** talks", "(AND bold talk)", NULL },
        /* a '*' after a word that closes an emphasis is none either */
        { "*kabul talks*", "(AND kabul talk)", "a '*' that closes an emphasis is no wildcard: "
                                               "'talks*' is read as the word" },
        { "*state*", "state", "a '*' that closes an emphasis is no wildcard: '*state*' is read "
                              "as the word" },
        { "**bold** stabil*", "(AND bold (PREFIX stabil))", "a '*' that closes an emphasis is no "
                                                            "wildcard: '**bold**' is read as the word" },
        { "**kwargs talks*", "(AND kwarg (PREFIX talks))", NULL }, /* not as many: a wildcard */
        { "python **kwargs", "(AND python kwarg)", NULL },
        { "kabul? talks ?", "(AND kabul talk)", NULL },
        { "talks*", "(PREFIX talks)", NULL },
        { "*very important*.", "import", "a '*' that closes an emphasis is no wildcard: "
                                         "'important*' is read as the word" },
        /* more '*' than one: the same wildcard, said */
        { "negotiat**", "(PREFIX negotiat)", "'negotiat**' is read as the wildcard 'negotiat*' "
                                             "(one '*' is enough)" },
        { "*kabul**", "(PREFIX kabul)", "'*kabul**' is read as the wildcard 'kabul*' (one '*' "
                                        "is enough)" },
        /* another engine's field: searched as words, and said so */
        { "author:lavrov", "(AND author lavrov)",
          "'author:' is no field (title: is the only one): its name is searched as a word" },
        { "talks -author:lavrov", "(AND_NOT talk (PHRASE author lavrov))",   /* signed: joined */
          "'author:' is no field (title: is the only one): its name is searched as a word" },
        { "talks site:\"tass ru\"", "(AND talk site (PHRASE tass ru))",
          "'site:' is no field (title: is the only one): its name is searched as a word" },
        { "at 10:30 https://x.org TITLE:kabul", "(AND (PHRASE 10 30) (PHRASE https x org) title:kabul)",
          NULL },
        { "localhost:8080", "(PHRASE localhost 8080)", NULL },
        /* right after title:, no field either: words joined by a colon */
        { "title:Kabul:Moscow", "(PHRASE title:kabul title:moscow)", NULL },
        /* a NEAR's distance parted from it by a space is a word */
        { "moscow NEAR /3 summit", "(AND (NEAR/10 moscow 3) summit)",
          "'/3' after NEAR is the word '3', and NEAR is NEAR/10: write NEAR/3, with no space, "
          "for that distance" },
        { "moscow NEAR summit /3", "(AND (NEAR/10 moscow summit) 3)", NULL },
        /* a note of more weight comes first */
        { "display:none Tal?ban", "(AND display none (PHRASE tal ban))",
          "'?' is no wildcard (only a '*' ending a word is): 'Tal?ban' is read with it as "
          "punctuation" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        expect_note(rows[i].query, rows[i].want, rows[i].note);
}
END_TEST

/* Inputs that must parse or be refused cleanly: never crash, never leave an
 * empty error or a column outside the query. */
typedef struct odd_row {
    const char *query;
    size_t len;   /* 0: strlen */
} odd_row_t;

static const odd_row_t odd_rows[] = {
    { "((((", 0 }, { "))))", 0 }, { "\"", 0 }, { "\"\"", 0 }, { "-", 0 }, { "+", 0 },
    { "*", 0 }, { "**", 0 }, { ":", 0 }, { "title", 0 }, { "title:title:kabul", 0 },
    { "NEAR/", 0 }, { "NEAR", 0 }, { "AND OR NOT", 0 }, { "NOT NOT kabul", 0 },
    { "( ) ( )", 0 }, { "-(", 0 }, { "+(kabul", 0 }, { "\"(\"", 0 }, { "(\")\"", 0 },
    { "kabul NEAR/3 (", 0 }, { "a*b*c", 0 }, { "-*", 0 }, { "+-+-kabul", 0 },
    { "title:(", 0 }, { "title:\"", 0 }, { "title:-kabul", 0 }, { "“", 0 }, { "”kabul”", 0 },
    { "\x01\x02\x03", 0 }, { "\xff\xfe\xfd", 0 }, { "\xe2\x80", 0 }, { "kabul\xe2\x80", 0 },
    { "kabul\0moscow", 12 }, { "\0\0\0", 3 }, { "", 0 }, { "kabul NEAR/3 NEAR/3 moscow", 0 },
    { "kabul OR OR moscow", 0 }, { "kabul NOT NOT moscow", 0 }, { "kabul AND AND moscow", 0 },
    { "(kabul) NEAR (moscow)", 0 }, { "kabul -(-moscow)", 0 }, { "-(kabul) -(moscow)", 0 },
    { "'''", 0 }, { "kabul's's", 0 }, { "....", 0 }, { "U.S.A.*", 0 },
};

START_TEST(test_query_parse_odd)
{
    const odd_row_t *r = &odd_rows[_i];
    size_t len = r->len ? r->len : strlen(r->query);
    for (unsigned flags = 0; flags < 4; flags++) {
        srch_parse_opts_t o = opts_of(flags);
        srch_query_t *q = NULL;
        srch_error_t err;
        srch_query_status_t st = srch_query_parse(&q, r->query, len, an, &o, &err);
        ck_assert_msg(st == SRCH_QUERY_OK || st == SRCH_QUERY_ERR_SYNTAX, "row %d: %s", _i,
                      srch_query_status_str(st));
        if (st == SRCH_QUERY_OK) {
            char *d = describe(q);
            ck_assert_msg(d[0] != '\0', "row %d: empty description", _i);
            xs_query_t *x = NULL;
            ck_assert_int_eq(srch_query_build(&x, q, NULL, NULL), XS_OK);
            xs_query_free(x);
            free(d);
        } else {
            ck_assert_ptr_null(q);
            ck_assert_msg(err.message[0] != '\0', "row %d: no message", _i);
            ck_assert_msg(err.column >= 1 && err.column <= len + 1,
                          "row %d: column %zu outside the query", _i, err.column);
        }
        srch_query_free(q);
    }
}
END_TEST

/* Big but valid: 10,000 words, in both modes, described and built. */
/* The stopwords left out are kept, in query order; none when kept. */
START_TEST(test_query_parse_dropped)
{
    static const char q[] = "the kabul of (the talks OR +to) -a";
    srch_query_t *query = parse_ok(q, strlen(q), AND_);
    const srch_node_t *const *d;
    ck_assert_uint_eq(srch_query_dropped(query, &d), 3);
    ck_assert_str_eq(d[0]->text, "the");
    ck_assert_str_eq(d[1]->text, "of");
    ck_assert_str_eq(d[2]->text, "the");
    srch_query_free(query);
    query = parse_ok(q, strlen(q), KEEP);
    ck_assert_uint_eq(srch_query_dropped(query, &d), 0);
    srch_query_free(query);
    ck_assert_uint_eq(srch_query_dropped(NULL, &d), 0);
    ck_assert_ptr_null(d);
}
END_TEST

START_TEST(test_query_parse_ten_thousand_words)
{
    text_buf_t b = TEXT_BUF_INIT;
    for (unsigned k = 0; k < 10000; k++)
        ck_assert(text_buf_printf(&b, "w%u ", k));
    for (unsigned flags = 0; flags < 2; flags++) {
        srch_query_t *q = parse_ok(b.data, b.len, flags);
        char *d = describe(q);
        ck_assert_msg(strncmp(d, flags ? "(OR w0 w1 " : "(AND w0 w1 ", 10) == 0, "%.40s", d);
        ck_assert_ptr_nonnull(strstr(d, " w9999)"));
        xs_query_t *x = NULL;
        ck_assert_int_eq(srch_query_build(&x, q, NULL, NULL), XS_OK);
        xs_query_free(x);
        free(d);
        srch_query_free(q);
    }
    text_buf_free(&b);
}
END_TEST

/* 100 nested parentheses are fine; so is a query of exactly SRCH_QUERY_MAX
 * bytes; so are long chains of operators. */
START_TEST(test_query_parse_limits_ok)
{
    text_buf_t b = TEXT_BUF_INIT;
    for (int k = 0; k < SRCH_QUERY_MAX_DEPTH; k++)
        ck_assert(text_buf_putc(&b, '('));
    ck_assert(text_buf_puts(&b, "kabul"));
    for (int k = 0; k < SRCH_QUERY_MAX_DEPTH; k++)
        ck_assert(text_buf_putc(&b, ')'));
    srch_query_t *q = parse_ok(b.data, b.len, AND_);
    char *d = describe(q);
    ck_assert_str_eq(d, "kabul");
    free(d);
    srch_query_free(q);

    text_buf_clear(&b);
    while (b.len + 10 <= SRCH_QUERY_MAX)
        ck_assert(text_buf_puts(&b, "kabul OR "));
    while (b.len < SRCH_QUERY_MAX)
        ck_assert(text_buf_putc(&b, 'x'));
    q = parse_ok(b.data, b.len, OR_);
    ck_assert_int_eq(srch_query_root(q)->kind, SRCH_NODE_OR);
    srch_query_free(q);

    text_buf_clear(&b);
    for (int k = 0; k < 3000; k++)
        ck_assert(text_buf_puts(&b, "kabul NOT moscow "));
    q = parse_ok(b.data, b.len, AND_);
    ck_assert_int_eq(srch_query_root(q)->kind, SRCH_NODE_AND_NOT);
    srch_query_free(q);
    text_buf_free(&b);
}
END_TEST

/* NULL arguments and versions. */
START_TEST(test_query_parse_arguments)
{
    srch_query_t *q = (srch_query_t *)&q;   /* must be reset to NULL */
    srch_error_t err;
    ck_assert_int_eq(srch_query_parse(NULL, "kabul", 5, an, NULL, &err), SRCH_QUERY_ERR_INVALID);
    ck_assert_int_eq(srch_query_parse(&q, NULL, 5, an, NULL, &err), SRCH_QUERY_ERR_INVALID);
    ck_assert_ptr_null(q);
    ck_assert_int_eq(srch_query_parse(&q, "kabul", 5, NULL, NULL, &err), SRCH_QUERY_ERR_INVALID);
    srch_parse_opts_t o = SRCH_PARSE_OPTS_INIT;
    o.version = 99;
    ck_assert_int_eq(srch_query_parse(&q, "kabul", 5, an, &o, &err), SRCH_QUERY_ERR_INVALID);
    ck_assert_str_eq(err.message, "invalid argument");
    /* NULL opts are the defaults; NULL err is allowed */
    ck_assert_int_eq(srch_query_parse(&q, "the kabul", 9, an, NULL, NULL), SRCH_QUERY_OK);
    char *d = describe(q);
    ck_assert_str_eq(d, "kabul");
    free(d);
    srch_query_free(q);
    ck_assert_int_eq(srch_query_parse(&q, "(", 1, an, NULL, NULL), SRCH_QUERY_ERR_SYNTAX);
    /* a query need not be NUL-terminated */
    ck_assert_int_eq(srch_query_parse(&q, "kabul moscow", 5, an, NULL, NULL), SRCH_QUERY_OK);
    d = describe(q);
    ck_assert_str_eq(d, "kabul");
    free(d);
    srch_query_free(q);
    srch_query_free(NULL);
    ck_assert_ptr_null(srch_query_root(NULL));
    ck_assert_str_eq(srch_query_status_str(SRCH_QUERY_ERR_NOMEM), "out of memory");
    text_buf_t b = TEXT_BUF_INIT;
    ck_assert(srch_query_describe(NULL, &b));
    ck_assert_uint_eq(b.len, 0);
    ck_assert(!srch_query_describe(NULL, NULL));
}
END_TEST

/* The tree itself, as the searcher reads it: texts, words, flags, columns. */
START_TEST(test_query_parse_nodes)
{
    const char *s = "+The U.S.-backed \"Peace talks\"";
    srch_query_t *q = parse_ok(s, strlen(s), AND_);
    const srch_node_t *root = srch_query_root(q);
    ck_assert_int_eq(root->kind, SRCH_NODE_AND);
    ck_assert_uint_eq(root->n_kids, 3);
    const srch_node_t *the = root->kids[0], *us = root->kids[1], *ph = root->kids[2];
    ck_assert_int_eq(the->kind, SRCH_NODE_TERM);
    ck_assert_str_eq(the->text, "The");
    ck_assert_str_eq(the->word, "the");
    ck_assert_str_eq(the->stem, "the");
    ck_assert_uint_eq(the->column, 2);
    ck_assert(the->flags & SRCH_TERM_STOPWORD);
    ck_assert(!(the->flags & SRCH_TERM_BARE));
    ck_assert_int_eq(us->kind, SRCH_NODE_PHRASE);
    ck_assert_uint_eq(us->column, 6);
    ck_assert_str_eq(us->kids[0]->text, "U.S.");
    ck_assert(us->kids[0]->flags & SRCH_TERM_ACRONYM);
    ck_assert(!(us->kids[0]->flags & SRCH_TERM_STOPWORD));
    ck_assert_str_eq(us->kids[1]->text, "backed");
    ck_assert_uint_eq(us->kids[1]->column, 11);
    ck_assert_int_eq(ph->kind, SRCH_NODE_PHRASE);
    ck_assert_uint_eq(ph->column, 18);
    ck_assert_str_eq(ph->kids[0]->text, "Peace");
    ck_assert_uint_eq(ph->kids[0]->column, 19);
    srch_query_free(q);

    s = "a NEAR/4 \"b c\" dd*";
    q = parse_ok(s, strlen(s), KEEP);
    root = srch_query_root(q);
    ck_assert_int_eq(root->kind, SRCH_NODE_AND);
    const srch_node_t *near = root->kids[0], *pre = root->kids[1];
    ck_assert_int_eq(near->kind, SRCH_NODE_NEAR);
    ck_assert_uint_eq(near->distance, 4);
    ck_assert_uint_eq(near->window, 4 + 3);   /* n + the words of all items */
    ck_assert_int_eq(pre->kind, SRCH_NODE_PREFIX);
    srch_query_free(q);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* errors                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct error_row {
    const char *query;
    unsigned flags;
    const char *message;
    size_t column;
} error_row_t;

#define NO_WORD \
    "no word to search for: punctuation, symbols and words longer than 64 bytes are not indexed"

static const error_row_t error_rows[] = {
    /* quotes: the column of the opening quote */
    { "say \"unbalanced", AND_, "unbalanced quote at column 5", 5 },
    { "kabul \"peace\" \"talks", AND_, "unbalanced quote at column 15", 15 },
    { "\"", AND_, "unbalanced quote at column 1", 1 },
    /* two signs: which was meant cannot be told */
    { "kabul --taliban", AND_, "more than one sign before a word at column 7: use one + or -", 7 },
    { "+-kabul", AND_, "more than one sign before a word at column 1: use one + or -", 1 },
    { "(-+kabul)", AND_, "more than one sign before a word at column 2: use one + or -", 2 },
    /* parentheses: missing ")" -> its "("; stray ")" -> itself */
    { "(kabul", AND_, "unclosed parenthesis at column 1", 1 },
    { "kabul (moscow (talks)", AND_, "unclosed parenthesis at column 7", 7 },
    { "((((", AND_, "unclosed parenthesis at column 4", 4 },
    { "kabul)", AND_, "unmatched ) at column 6", 6 },
    { ")", AND_, "unmatched ) at column 1", 1 },
    { "(kabul))", AND_, "unmatched ) at column 8", 8 },
    { "()", AND_, "empty parentheses at column 1", 1 },
    { "name()*", AND_, "empty parentheses at column 5", 5 },   /* no call's "()" */
    { "kabul (!!!)", AND_, "empty parentheses at column 7", 7 },
    /* operators without operands */
    { "AND kabul", AND_, "missing operand for AND at column 1", 1 },
    { "kabul AND", AND_, "missing operand for AND at column 7", 7 },
    { "OR kabul", OR_, "missing operand for OR at column 1", 1 },
    { "kabul OR", AND_, "missing operand for OR at column 7", 7 },
    { "kabul AND OR moscow", AND_, "missing operand for AND at column 7", 7 },
    { "(kabul OR) moscow", AND_, "missing operand for OR at column 8", 8 },
    { "AND", AND_, "missing operand for AND at column 1", 1 },
    { "NOT", AND_, "missing operand for NOT at column 1", 1 },
    { "kabul NEAR !!!", AND_, "missing operand for NEAR at column 7: what follows it holds "
      "no word to search for (punctuation, symbols and words longer than 64 bytes are not "
      "indexed)", 7 },
    { "!!! AND kabul", AND_, "missing operand for AND at column 5: what precedes it holds "
      "no word to search for (punctuation, symbols and words longer than 64 bytes are not "
      "indexed)", 5 },
    { "kabul (-- NEAR moscow)", AND_, "missing operand for NEAR at column 11: what precedes "
      "it holds no word to search for (punctuation, symbols and words longer than 64 bytes "
      "are not indexed)", 11 },
    { "( OR kabul)", OR_, "missing operand for OR at column 3", 3 },
    { "kabul NOT", AND_, "missing operand for NOT at column 7", 7 },
    { "kabul NOT NOT moscow", AND_,
      "NOT needs a word, a phrase or a group after it at column 11: no sign (+, -, NOT) before "
      "them ('NOT b' and '-b' say the same)", 11 },
    { "kabul NOT -moscow", AND_,
      "NOT needs a word, a phrase or a group after it at column 11: no sign (+, -, NOT) before "
      "them ('NOT b' and '-b' say the same)", 11 },
    { "kabul NOT +moscow", AND_,
      "NOT needs a word, a phrase or a group after it at column 11: no sign (+, -, NOT) before "
      "them ('NOT b' and '-b' say the same)", 11 },
    { "NEAR/3 kabul", AND_, "missing operand for NEAR at column 1", 1 },
    { "kabul NEAR/3", AND_, "missing operand for NEAR at column 7", 7 },
    { "NEAR/3", AND_, "missing operand for NEAR at column 1", 1 },
    { "kabul NEAR NEAR moscow", AND_, "missing operand for NEAR at column 7", 7 },
    /* NEAR's number and operands */
    { "kabul NEAR/x moscow", AND_, "bad NEAR distance at column 7", 7 },
    { "kabul NEAR/ moscow", AND_, "bad NEAR distance at column 7", 7 },
    { "NEAR/", AND_, "bad NEAR distance at column 1", 1 },
    { "kabul NEAR/-3 moscow", AND_, "bad NEAR distance at column 7", 7 },
    { "kabul NEAR/3x moscow", AND_, "bad NEAR distance at column 7", 7 },
    { "kabul NEAR/1001 moscow", AND_, "NEAR distance over 1000 at column 7", 7 },
    { "kabul NEAR/99999999999999999999 moscow", AND_, "NEAR distance over 1000 at column 7", 7 },
    { "kabul NEAR (moscow OR lavrov)", AND_,
      "NEAR needs words or phrases at column 12: not a group in parentheses", 12 },
    { "(kabul moscow) NEAR lavrov", AND_,
      "NEAR needs words or phrases at column 1: not a group in parentheses", 1 },
    { "kabul NEAR -moscow", AND_,
      "NEAR needs words or phrases at column 12: no sign (+, -, NOT) before them", 12 },
    { "kabul NEAR NOT moscow", AND_,
      "NEAR needs words or phrases at column 12: no sign (+, -, NOT) before them", 12 },
    { "kabul NEAR mosc*", AND_, "NEAR needs words or phrases at column 12: not a wildcard", 12 },
    /* bracketed, a sign is refused as it is bare */
    { "kabul NEAR (+moscow)", AND_,
      "NEAR needs words or phrases at column 12: no sign (+, -, NOT) before them", 12 },
    { "((+moscow)) NEAR kabul", AND_,
      "NEAR needs words or phrases at column 1: no sign (+, -, NOT) before them", 1 },
    { "kabul NEAR (-moscow)", AND_,
      "NEAR needs words or phrases at column 12: no sign (+, -, NOT) before them", 12 },
    { "kabul NEAR (moscow -lavrov)", AND_,
      "NEAR needs words or phrases at column 12: not a group in parentheses", 12 },
    { "kabul NEAR (+moscow lavrov)", AND_,
      "NEAR needs words or phrases at column 12: not a group in parentheses", 12 },
    /* a title's words and a passage's are counted apart */
    { "title:zebra NEAR/0 mango", AND_, "NEAR between title: and other words at column 20: "
      "a title's words are counted apart", 20 },
    { "mango NEAR title:\"zebra stripes\"", AND_, "NEAR between title: and other words at "
      "column 18: a title's words are counted apart", 18 },
    /* a wildcard only ends a word */
    { "peace negotiat*ion", AND_, "a wildcard can only end a word (prefix*) at column 15", 15 },
    { "café*s", AND_, "a wildcard can only end a word (prefix*) at column 5", 5 },

    /* columns count characters, not bytes */
    { "café \"x", AND_, "unbalanced quote at column 6", 6 },
    /* ...of the query as messages show it: without an escape sequence or a
     * bidi override, which a terminal is not shown */
    { "\033[31m\"red", AND_, "unbalanced quote at column 1", 1 },
    { "\xE2\x80\xAE\"abc", AND_, "unbalanced quote at column 1", 1 },
    { "Αθήνα (x", AND_, "unclosed parenthesis at column 7", 7 },
    { "東京 )", AND_, "unmatched ) at column 4", 4 },
    /* title: with nothing after it */
    { "title:", AND_, "nothing after title: at column 1", 1 },
    { "kabul title:", AND_, "nothing after title: at column 7", 7 },
    { "title: kabul", AND_, "nothing after title: at column 1", 1 },
    { "(title:)", AND_, "nothing after title: at column 2", 2 },
    { "title:!!! kabul", AND_, "nothing after title: at column 1", 1 },
    /* a sign after title:, a wildcard in a phrase */
    { "title:-kabul", AND_, "a sign after title: at column 7: put it before (-title:word)", 7 },
    { "moscow title:+kabul", AND_,
      "a sign after title: at column 14: put it before (+title:word)", 14 },
    { "\"peace tal*\"", AND_,
      "a wildcard inside a phrase at column 11: phrases match whole words", 11 },
    { "\"caf\xC3\xA9* bar\"", AND_,                      /* after a letter that is not ASCII */
      "a wildcard inside a phrase at column 6: phrases match whole words", 6 },
    { "\"peace talks\"* kabul", AND_,
      "a wildcard after a phrase at column 14: phrases match whole words", 14 },
    /* nothing searchable */
    { "", AND_, "empty query", 1 },
    { "   ", AND_, "empty query", 1 },
    { "!!!", AND_, NO_WORD, 1 },
    { "- + * ...", OR_, NO_WORD, 1 },
    { "\"\"", AND_, NO_WORD, 1 },
    { "\x01\x02", AND_, "empty query", 1 },   /* control characters are blanks */
    { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      AND_, NO_WORD, 1 },
    /* only exclusions */
    { "-kabul", AND_, "query has only excluded terms (-, NOT): give a word to find too", 1 },
    { "-kabul -moscow", OR_, "query has only excluded terms (-, NOT): give a word to find too", 1 },
    { "NOT kabul", AND_, "query has only excluded terms (-, NOT): give a word to find too", 1 },
    { "-kabul NOT moscow", AND_, "query has only excluded terms (-, NOT): give a word to find too", 1 },
    { "(-kabul -moscow)", AND_, "query has only excluded terms (-, NOT): give a word to find too", 1 },
    { "lavrov OR -moscow", AND_, "only excluded terms at column 11", 11 },
    { "lavrov -(-moscow)", AND_, "only excluded terms at column 8", 8 },
    /* wildcards */
    { "t*", AND_, "wildcard prefix too short at column 1", 1 },
    { "kabul -t*", AND_, "wildcard prefix too short at column 8", 8 },
    { "title:k*", AND_, "wildcard prefix too short at column 7", 7 },
    { "é*", AND_, "wildcard prefix too short at column 1", 1 },   /* one character, 2 bytes */
    { "thermo-a*", AND_, "wildcard prefix too short at column 8", 8 },
};

START_TEST(test_query_error_rows)
{
    const error_row_t *r = &error_rows[_i];
    srch_parse_opts_t o = opts_of(r->flags);
    srch_query_t *q = (srch_query_t *)&o;   /* must be reset to NULL */
    srch_error_t err;
    srch_query_status_t st = srch_query_parse(&q, r->query, strlen(r->query), an, &o, &err);
    ck_assert_msg(st == SRCH_QUERY_ERR_SYNTAX, "row %d \"%s\": status %s", _i, r->query,
                  srch_query_status_str(st));
    ck_assert_ptr_null(q);
    ck_assert_msg(strcmp(err.message, r->message) == 0, "row %d \"%s\": got \"%s\", want \"%s\"",
                  _i, r->query, err.message, r->message);
    ck_assert_msg(err.column == r->column, "row %d \"%s\": column %zu, want %zu", _i, r->query,
                  err.column, r->column);
}
END_TEST

START_TEST(test_query_error_too_deep)
{
    text_buf_t b = TEXT_BUF_INIT;
    for (int k = 0; k <= SRCH_QUERY_MAX_DEPTH; k++)
        ck_assert(text_buf_putc(&b, '('));
    ck_assert(text_buf_puts(&b, "kabul"));
    for (int k = 0; k <= SRCH_QUERY_MAX_DEPTH; k++)
        ck_assert(text_buf_putc(&b, ')'));
    srch_query_t *q = NULL;
    srch_error_t err;
    ck_assert_int_eq(srch_query_parse(&q, b.data, b.len, an, NULL, &err), SRCH_QUERY_ERR_SYNTAX);
    ck_assert_str_eq(err.message, "nesting deeper than 100 parentheses at column 101");
    ck_assert_uint_eq(err.column, 101);

    /* 60,000 "(" and title:( pairs: refused at the same depth, not by the stack */
    text_buf_clear(&b);
    for (int k = 0; k < 60000; k++)
        ck_assert(text_buf_putc(&b, '('));
    ck_assert_int_eq(srch_query_parse(&q, b.data, b.len, an, NULL, &err), SRCH_QUERY_ERR_SYNTAX);
    ck_assert_uint_eq(err.column, 101);
    text_buf_clear(&b);
    for (int k = 0; k < 8000; k++)
        ck_assert(text_buf_puts(&b, "title:("));
    ck_assert_int_eq(srch_query_parse(&q, b.data, b.len, an, NULL, &err), SRCH_QUERY_ERR_SYNTAX);
    ck_assert_uint_eq(err.column, 100 * 7 + 7);
    text_buf_free(&b);
}
END_TEST

START_TEST(test_query_error_too_long)
{
    size_t len = SRCH_QUERY_MAX + 1;
    char *s = malloc(len);
    ck_assert_ptr_nonnull(s);
    memset(s, 'x', len);
    srch_query_t *q = NULL;
    srch_error_t err;
    ck_assert_int_eq(srch_query_parse(&q, s, len, an, NULL, &err), SRCH_QUERY_ERR_SYNTAX);
    ck_assert_ptr_null(q);
    ck_assert_str_eq(err.message, "query longer than 65536 bytes");
    ck_assert_uint_eq(err.column, SRCH_QUERY_MAX + 1);
    free(s);
}
END_TEST

/* Many operators with no operands, of every kind, in a long query. */
START_TEST(test_query_error_operator_soup)
{
    static const char *const ops[] = { "AND ", "OR ", "NOT ", "NEAR ", "NEAR/3 ", "( ", ") " };
    text_buf_t b = TEXT_BUF_INIT;
    for (int k = 0; k < 7000; k++)
        ck_assert(text_buf_puts(&b, ops[(k * 7 + k / 7) % 7]));
    srch_query_t *q = NULL;
    srch_error_t err;
    ck_assert_int_eq(srch_query_parse(&q, b.data, b.len, an, NULL, &err), SRCH_QUERY_ERR_SYNTAX);
    ck_assert_ptr_null(q);
    ck_assert(err.column >= 1 && err.column <= b.len);
    text_buf_free(&b);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* build: a small database, queries run against it                          */
/* ------------------------------------------------------------------------ */

#define PATH_LEN 4096

static char tmp_dir[PATH_LEN];
static xs_db_t *db;

/* The passages, as the indexer would write them: body stems at their
 * positions, title stems under the title prefix at theirs. Document ids are
 * the row numbers + 1. */
static const struct {
    const char *title, *body;
} docs[] = {
    /* 1 */ { "Kabul peace talks", "Peace talks between Kabul and Moscow resumed." },
    /* 2 */ { "Moscow weather", "Talks of peace were rare in Moscow." },
    /* 3 */ { "Taliban statement", "The Taliban rejected the Kabul talks." },
    /* 4 */ { "Wing models", "A thermo-aeroelastic model of thermo wings." },
    /* 5 */ { "Lavrov visits",
              "Lavrov met Taliban envoys in Moscow, one two three four five six seven "
              "eight nine ten, then Kabul." },
    /* 6 */ { "Kabul diary", "Nothing happened today." },
    /* 7 */ { "Founders", "The thermoaeroelastic cofounder of an e-mail club." },
};

typedef struct index_ctx {
    xs_doc_t *doc;
    const char *prefix;
} index_ctx_t;

static int index_term(const text_term_t *t, void *payload)
{
    index_ctx_t *c = payload;
    char term[128];
    int n = snprintf(term, sizeof term, "%s%.*s", c->prefix, (int)t->stem_len, t->stem);
    ck_assert(n > 0 && (size_t)n < sizeof term);
    /* as passim-index stores them: a hyphenated word joined, with no position */
    ck_assert_int_eq(t->compound ? xs_doc_add_term(c->doc, term, (size_t)n, 1)
                                 : xs_doc_add_posting(c->doc, term, (size_t)n, t->tok->pos),
                     XS_OK);
    return 0;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void db_setup(void)
{
    setup();
    const char *base = getenv("builddir");
    if (base == NULL || *base == '\0')
        base = ".";
    ck_assert_uint_lt(strlen(base) + 32, PATH_LEN);
    snprintf(tmp_dir, sizeof tmp_dir, "%s/check_query-XXXXXX", base);
    ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
    char path[PATH_LEN + 8];
    snprintf(path, sizeof path, "%s/db", tmp_dir);
    ck_assert_int_eq(xs_db_open(&db, path, XS_DB_CREATE), XS_OK);
    ck_assert_int_eq(xs_db_begin(db), XS_OK);
    xs_doc_t *doc = NULL;
    ck_assert_int_eq(xs_doc_new(&doc), XS_OK);
    for (size_t k = 0; k < sizeof docs / sizeof docs[0]; k++) {
        ck_assert_int_eq(xs_doc_clear(doc), XS_OK);
        index_ctx_t c = { doc, "" };
        text_analyze(an, docs[k].body, strlen(docs[k].body), 1, index_term, &c);
        c.prefix = PASSIM_PREFIX_TITLE;
        text_analyze(an, docs[k].title, strlen(docs[k].title), 1, index_term, &c);
        xs_docid_t id = 0;
        ck_assert_int_eq(xs_db_add_document(db, doc, &id), XS_OK);
        ck_assert_uint_eq(id, k + 1);
    }
    xs_doc_free(doc);
    ck_assert_int_eq(xs_db_commit(db), XS_OK);
}

static void db_teardown(void)
{
    xs_db_free(db);
    db = NULL;
    nftw(tmp_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    teardown();
}

static int cmp_docid(const void *a, const void *b)
{
    xs_docid_t x = *(const xs_docid_t *)a, y = *(const xs_docid_t *)b;
    return (x > y) - (x < y);
}

/* The ids of the documents q matches, sorted, as "1,3,5" ("" for none); in
 * rank order instead if ranked is set. */
static void run_query(const char *s, unsigned flags, const srch_build_opts_t *bo, bool ranked,
                      char *out, size_t cap)
{
    srch_query_t *q = parse_ok(s, strlen(s), flags);
    xs_query_t *x = NULL;
    xs_status_t st = srch_query_build(&x, q, NULL, bo);
    ck_assert_msg(st == XS_OK, "build \"%s\": %s: %s", s, xs_status_str(st), xs_last_error());
    xs_search_opts_t so = XS_SEARCH_OPTS_INIT;
    so.limit = 100;
    xs_mset_t *m = NULL;
    st = xs_search(&m, db, x, &so);
    ck_assert_msg(st == XS_OK, "search \"%s\": %s: %s", s, xs_status_str(st), xs_last_error());
    xs_docid_t ids[100];
    size_t n = xs_mset_size(m);
    ck_assert_uint_le(n, 100);
    for (size_t k = 0; k < n; k++)
        ids[k] = xs_mset_docid(m, k);
    if (!ranked)
        qsort(ids, n, sizeof ids[0], cmp_docid);
    size_t used = 0;
    out[0] = '\0';
    for (size_t k = 0; k < n; k++)
        used += (size_t)snprintf(out + used, cap - used, "%s%u", k ? "," : "", (unsigned)ids[k]);
    xs_mset_free(m);
    xs_query_free(x);
    srch_query_free(q);
}

typedef struct match_row {
    const char *query;
    unsigned flags;
    const char *want;   /* matching document ids, sorted */
} match_row_t;

static const match_row_t match_rows[] = {
    { "talks", AND_, "1,2,3" },
    { "kabul talks", AND_, "1,3" },                     /* AND */
    { "kabul talks", OR_, "1,2,3,5" },                  /* OR */
    { "kabul OR lavrov", AND_, "1,3,5" },
    { "kabul -taliban", AND_, "1" },                    /* AND_NOT */
    { "kabul NOT taliban", AND_, "1" },
    { "kabul AND NOT taliban", OR_, "1" },
    { "peace talks", AND_, "1,2" },                     /* both words anywhere */
    { "\"peace talks\"", AND_, "1" },                   /* ... or as a phrase */
    { "\"talks peace\"", AND_, "" },
    { "\"kabul talks\"", AND_, "3" },
    { "\"the kabul talks\"", AND_, "3" },               /* stopwords kept in phrases */
    { "thermo-aeroelastic", AND_, "4,7" },              /* written either way */
    { "thermoaeroelastic", AND_, "4,7" },
    { "\"thermo-aeroelastic model\"", AND_, "4" },
    { "\"thermo-aeroelastic cofounder\"", AND_, "7" },
    { "\"thermoaeroelastic co-founder\"", AND_, "7" },
    /* a phrase's hyphenated words are taken all as written or all solid */
    { "\"co-founder of an email\"", AND_, "" },
    { "\"co-founder of an e-mail\"", AND_, "" },
    { "co-founder -e-mail", AND_, "" },
    { "cofounder -thermo-aeroelastic", AND_, "" },
    { "thermo-aeroelastic NEAR/1 model", AND_, "4" },   /* NEAR counts the parts */
    { "\"aeroelastic thermo\"", AND_, "" },
    { "moscow NEAR/1 kabul", AND_, "1" },               /* one word between */
    { "moscow NEAR/0 kabul", AND_, "" },
    { "kabul NEAR/0 talks", AND_, "3" },                /* adjacent, either order */
    { "talks NEAR/0 kabul", AND_, "3" },
    { "moscow NEAR/10 kabul", AND_, "1" },              /* 11 words between in doc 5 */
    { "moscow NEAR/11 kabul", AND_, "1,5" },
    { "kabul NEAR moscow", AND_, "1" },
    { "lavrov NEAR/4 moscow NEAR/15 kabul", AND_, "5" },   /* a chain: window 15 + 3 */
    { "lavrov NEAR/4 moscow NEAR/14 kabul", AND_, "" },
    { "\"kabul talks\" NEAR/2 taliban", AND_, "3" },    /* phrase item */
    { "\"talks kabul\" NEAR/2 taliban", AND_, "" },
    { "\"peace talks\" NEAR/1 kabul", AND_, "1" },
    { "talk*", AND_, "1,2,3" },                         /* wildcard over stems */
    { "tal*", AND_, "1,2,3,5" },
    { "mosc* -lavrov", AND_, "1,2" },
    { "title:kabul", AND_, "1,6" },                     /* title field */
    { "title:moscow", AND_, "2" },
    { "title:\"peace talks\"", AND_, "1" },
    { "title:\"talks peace\"", AND_, "" },
    { "title:(taliban OR lavrov)", AND_, "3,5" },
    { "title:talk*", AND_, "1" },
    { "moscow -title:lavrov", AND_, "1,2" },
    { "kabul lavrov", OR_, "1,3,5" },
    { "+kabul talks", OR_, "1,3,5" },                   /* required */
    { "kabul lavrov -taliban", OR_, "1" },              /* excluded */
    { "+moscow -lavrov", OR_, "1,2" },
    { "+moscow peace -lavrov", OR_, "1,2" },
    { "the taliban", AND_, "3,5" },                     /* "the" dropped */
    { "the taliban", KEEP, "3" },                       /* "the" kept */
    { "(kabul OR moscow) NOT (taliban OR lavrov)", AND_, "1,2" },
};

START_TEST(test_query_build_matches)
{
    const match_row_t *r = &match_rows[_i];
    char got[256];
    run_query(r->query, r->flags, NULL, false, got, sizeof got);
    ck_assert_msg(strcmp(got, r->want) == 0, "row %d \"%s\": matched {%s}, want {%s}", _i,
                  r->query, got, r->want);
}
END_TEST

/* A title weight makes a title match count: more documents match, and the one
 * with the word in its title and its text comes first. */
START_TEST(test_query_build_title_weight)
{
    char got[256];
    srch_build_opts_t bo = SRCH_BUILD_OPTS_INIT;
    run_query("kabul", AND_, &bo, false, got, sizeof got);
    ck_assert_str_eq(got, "1,3,5");
    bo.title_weight = 2.0;
    run_query("kabul", AND_, &bo, false, got, sizeof got);
    ck_assert_str_eq(got, "1,3,5,6");
    run_query("kabul", AND_, &bo, true, got, sizeof got);
    ck_assert_msg(strncmp(got, "1,", 2) == 0, "ranked %s", got);
    /* what is excluded is excluded as before (no title terms added to it) */
    run_query("talks -kabul", AND_, &bo, false, got, sizeof got);
    ck_assert_str_eq(got, "2");

    srch_query_t *q = parse_ok("kabul -taliban \"peace talks\"", 28, AND_);
    xs_query_t *x = NULL;
    ck_assert_int_eq(srch_query_build(&x, q, NULL, &bo), XS_OK);
    char *d = xs_query_describe(x);
    ck_assert_ptr_nonnull(d);
    ck_assert_msg(strstr(d, "Skabul") != NULL && strstr(d, "Staliban") == NULL &&
                  strstr(d, "Speac") == NULL, "%s", d);
    free(d);
    xs_query_free(x);
    bo.title_weight = -1;
    ck_assert_int_eq(srch_query_build(&x, q, NULL, &bo), XS_ERR_INVALID);
    ck_assert_ptr_null(x);
    bo = (srch_build_opts_t)SRCH_BUILD_OPTS_INIT;
    bo.version = 0;
    ck_assert_int_eq(srch_query_build(&x, q, NULL, &bo), XS_ERR_INVALID);
    ck_assert_int_eq(srch_query_build(NULL, q, NULL, NULL), XS_ERR_INVALID);
    ck_assert_int_eq(srch_query_build(&x, NULL, NULL, NULL), XS_ERR_INVALID);
    srch_query_free(q);
}
END_TEST

/* The Xapian query has the expected shape: query positions, NEAR window. */
START_TEST(test_query_build_shape)
{
    static const struct {
        const char *query;
        unsigned flags;
        const char *want;
    } rows[] = {
        { "kabul -taliban", AND_, "Query((kabul@1 AND_NOT taliban@2))" },
        { "\"peace talks\"", AND_, "Query((peac@1 PHRASE 2 talk@2))" },
        { "kabul NEAR/5 moscow", AND_, "Query((kabul@1 NEAR 7 moscow@2))" },
        { "+kabul moscow", OR_, "Query((kabul@1 AND_MAYBE moscow@2))" },
        { "title:kabul", AND_, "Query(Skabul@1)" },
    };
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        srch_query_t *q = parse_ok(rows[k].query, strlen(rows[k].query), rows[k].flags);
        xs_query_t *x = NULL;
        ck_assert_int_eq(srch_query_build(&x, q, NULL, NULL), XS_OK);
        char *d = xs_query_describe(x);
        ck_assert_ptr_nonnull(d);
        ck_assert_msg(strcmp(d, rows[k].want) == 0, "\"%s\": %s", rows[k].query, d);
        free(d);
        xs_query_free(x);
        srch_query_free(q);
    }
}
END_TEST

/* ------------------------------------------------------------------------ */
/* units and words                                                          */
/* ------------------------------------------------------------------------ */

/* The units of q as "KIND:stem stem/colour" joined by "; ". */
static char *units_string(const char *s, unsigned flags, const xs_db_t *d,
                          srch_hl_unit_t **keep, size_t *n_keep, srch_query_t **keep_q)
{
    srch_query_t *q = parse_ok(s, strlen(s), flags);
    srch_hl_unit_t *u = NULL;
    size_t n = 99;
    ck_assert_int_eq(srch_query_units(q, d, 0, &u, &n), XS_OK);
    text_buf_t b = TEXT_BUF_INIT;
    ck_assert(text_buf_puts(&b, ""));
    static const char *const kinds[] = { "TERM", "PHRASE", "PREFIX" };
    for (size_t k = 0; k < n; k++) {
        ck_assert(text_buf_printf(&b, "%s%s:", k ? "; " : "", kinds[u[k].kind]));
        for (size_t j = 0; j < u[k].n_stems; j++)
            ck_assert(text_buf_printf(&b, "%s%s", j ? " " : "", u[k].stems[j]));
        ck_assert(text_buf_printf(&b, "/%u", u[k].color));
        for (size_t j = 0; j < u[k].n_nears; j++)
            ck_assert(text_buf_printf(&b, " near %u in %u", u[k].nears[j].id,
                                      (unsigned)u[k].nears[j].window)
                      && (u[k].nears[j].times == 1
                          || text_buf_printf(&b, " %u times", u[k].nears[j].times)));
        if (u[k].n_nears && !u[k].near_only)
            ck_assert(text_buf_puts(&b, " and elsewhere"));
    }
    if (keep != NULL) {
        *keep = u;
        *n_keep = n;
        *keep_q = q;
    } else {
        srch_query_units_free(u);
        srch_query_free(q);
    }
    return b.data;
}

typedef struct unit_row {
    const char *query;
    unsigned flags;
    const char *want;
} unit_row_t;

static const unit_row_t unit_rows[] = {
    { "kabul talks", AND_, "TERM:kabul/0; TERM:talk/1" },
    { "\"peace talks\" kabul -taliban", AND_, "PHRASE:peac talk/0; TERM:kabul/1" },
    { "talks talking Talks", AND_, "TERM:talk/0" },          /* one stem, one unit */
    { "tal* NOT lavrov", AND_, "PREFIX:tal/0" },
    { "kabul NEAR/3 \"peace talks\"", AND_,
      "TERM:kabul/0 near 1 in 6; PHRASE:peac talk/1 near 1 in 6" },
    /* An item of a NEAR is restricted only when NEARs are its only places;
     * it is a partner of the other items all the same. */
    { "kabul NEAR/3 talks kabul", AND_,
      "TERM:kabul/0 near 1 in 5 and elsewhere; TERM:talk/1 near 1 in 5" },
    { "(kabul NEAR talks) (kabul NEAR peace)", AND_,
      "TERM:kabul/0 near 1 in 12 near 3 in 12; TERM:talk/1 near 1 in 12; TERM:peac/2 near 3 in 12" },
    { "taliban NEAR/1 taliban", AND_, "TERM:taliban/0 near 1 in 3 2 times" },
    { "kabul NEAR/2 taliban NEAR/2 taliban", AND_,
      "TERM:kabul/0 near 1 in 5; TERM:taliban/1 near 1 in 5 2 times" },
    { "title:kabul kabul", AND_, "TERM:kabul/0" },
    /* title: leaves match the title, not the passage's text: no unit */
    { "title:kabul moscow", AND_, "TERM:moscow/0" },
    { "title:\"peace talks\" kabul", AND_, "TERM:kabul/0" },
    { "title:(kab* OR lavrov)", AND_, "" },
    { "kabul -(taliban OR lavrov) -moscow*", AND_, "TERM:kabul/0" },
    { "+kabul moscow -taliban", OR_, "TERM:kabul/0; TERM:moscow/1" },
    { "talk* talks", AND_, "PREFIX:talk/0; TERM:talk/1" },   /* kinds differ */
    { "\"peace talks\" peace talks", AND_, "PHRASE:peac talk/0; TERM:peac/1; TERM:talk/2" },
    { "the war", AND_, "TERM:war/0" },                       /* dropped stopwords: no unit */
    { "\"the war\"", AND_, "PHRASE:the war/0" },
    { "\"peace talks\" OR \"Peace talks\" OR \"talks peace\" OR \"peace talks now\"", AND_,
      "PHRASE:peac talk/0; PHRASE:talk peac/1; PHRASE:peac talk now/2" },
};

START_TEST(test_query_units_rows)
{
    const unit_row_t *r = &unit_rows[_i];
    char *got = units_string(r->query, r->flags, NULL, NULL, NULL, NULL);
    ck_assert_msg(strcmp(got, r->want) == 0, "row %d \"%s\": got \"%s\", want \"%s\"", _i,
                  r->query, got, r->want);
    free(got);
}
END_TEST

/* Weights are IDFs from the database: rarer words weigh more; no database, 1. */
/* A passage for srch_query_units_off(): the stems it holds, " a b c ". */
typedef struct fake_passage {
    const char *stems;
    unsigned asked;
} fake_passage_t;

static bool fake_has(const fake_passage_t *p, const srch_node_t *n)
{
    switch (n->kind) {
    case SRCH_NODE_TERM: {
        char key[80];
        snprintf(key, sizeof key, " %s ", n->stem);
        return strstr(p->stems, key) != NULL;
    }
    case SRCH_NODE_OR:
        for (size_t k = 0; k < n->n_kids; k++)
            if (fake_has(p, n->kids[k]))
                return true;
        return false;
    case SRCH_NODE_AND_NOT:
        for (size_t k = 1; k < n->n_kids; k++)
            if (fake_has(p, n->kids[k]))
                return false;
        return fake_has(p, n->kids[0]);
    case SRCH_NODE_AND_MAYBE:
        return fake_has(p, n->kids[0]);
    default: /* AND, PHRASE and NEAR (as if their words were in reach) */
        for (size_t k = 0; k < n->n_kids; k++)
            if (!fake_has(p, n->kids[k]))
                return false;
        return true;
    }
}

static bool fake_test(const srch_node_t *n, void *payload)
{
    fake_passage_t *p = payload;
    p->asked++;
    return fake_has(p, n);
}

/* Units that a passage the query matches does not bear out: the words of a
 * side of an OR that did not match there. */
START_TEST(test_query_units_off)
{
    static const struct {
        const char *query, *passage, *off;  /* off: the stems of the units off */
        bool asks;
    } rows[] = {
        { "Carol OR Alice -Postgres", " carol alic postgr ", "alic", true },
        { "Carol OR Alice -Postgres", " carol alic ", "", true },
        { "(Alice AND week) OR roadmap", " alic roadmap ", "alic", true },
        { "(Alice AND week) OR roadmap", " alic week roadmap ", "", true },
        { "(Alice OR Bob) AND week", " alic week ", "", false },
        { "Alice Carol -Postgres", " alic carol ", "", false },
        { "Alice OR (Alice AND week)", " alic ", "", true },
        { "Carol OR (\"peace talks\" -Postgres)", " carol peac talk postgr ", "peac talk",
          true },
        { "Carol OR (Alice NEAR/2 Bob -Postgres)", " carol alic bob postgr ", "alic bob", true },
        /* shapes that settle every place: nothing asked */
        { "Alice OR Bob", " alic bob ", "", false },
        { "Carol OR (Alice NEAR/2 Bob)", " carol alic bob ", "", false },
        { "(Alice OR Bob) -Postgres", " alic bob ", "", false },
        { "co-founder Carol", " co founder carol ", "", false },
        /* an AND below an OR, however deep */
        { "Carol OR ((Alice OR (Bob Dave)) week)", " carol alic bob week ", "bob", true },
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        srch_query_t *q = parse_ok(rows[r].query, strlen(rows[r].query), 0);
        srch_hl_unit_t *u = NULL;
        size_t n = 0;
        ck_assert_int_eq(srch_query_units(q, NULL, 0, &u, &n), XS_OK);
        bool off[8];
        ck_assert_uint_le(n, 8);
        fake_passage_t p = { rows[r].passage, 0 };
        bool some = srch_query_units_off(q, off, n, fake_test, &p);
        text_buf_t b = TEXT_BUF_INIT;
        ck_assert(text_buf_puts(&b, ""));
        for (size_t k = 0; k < n; k++)
            for (size_t j = 0; off[k] && j < u[k].n_stems; j++)
                ck_assert(text_buf_printf(&b, "%s%s", b.len ? " " : "", u[k].stems[j]));
        ck_assert_msg(strcmp(b.data, rows[r].off) == 0, "%s in%s: off '%s', want '%s'",
                      rows[r].query, rows[r].passage, b.data, rows[r].off);
        ck_assert_int_eq(some, *rows[r].off != '\0');
        ck_assert_msg((p.asked > 0) == rows[r].asks, "%s: asked %u times", rows[r].query,
                      p.asked);
        text_buf_free(&b);
        srch_query_units_free(u);
        srch_query_free(q);
    }
    ck_assert(!srch_query_units_off(NULL, NULL, 0, fake_test, NULL));
}
END_TEST

START_TEST(test_query_units_weights)
{
    srch_hl_unit_t *u = NULL;
    size_t n = 0;
    srch_query_t *q = NULL;
    char *s = units_string("kabul lavrov \"peace talks\" mosc* zzzz", OR_, db, &u, &n, &q);
    ck_assert_str_eq(s, "TERM:kabul/0; TERM:lavrov/1; PHRASE:peac talk/2; PREFIX:mosc/3; "
                        "TERM:zzzz/4");
    free(s);
    double n_docs = sizeof docs / sizeof docs[0];
    ck_assert_double_eq_tol(u[0].weight, log((n_docs + 1) / 3.5), 1e-9);    /* kabul: 3 */
    ck_assert_double_eq_tol(u[1].weight, log((n_docs + 1) / 1.5), 1e-9);    /* lavrov: 1 */
    ck_assert_double_eq_tol(u[2].weight, log((n_docs + 1) / 2.5) + log((n_docs + 1) / 3.5),
                            1e-9);                                          /* peac 2, talk 3 */
    ck_assert_double_eq_tol(u[3].weight, log((n_docs + 1) / 3.5), 1e-9);    /* moscow: 3 */
    ck_assert_double_eq_tol(u[4].weight, log((n_docs + 1) / 0.5), 1e-9);    /* unknown */
    ck_assert(u[1].weight > u[0].weight);
    srch_query_units_free(u);
    srch_query_free(q);

    s = units_string("kabul lavrov", OR_, NULL, &u, &n, &q);
    free(s);
    ck_assert_uint_eq(n, 2);
    ck_assert_double_eq(u[0].weight, 1.0);
    ck_assert_double_eq(u[1].weight, 1.0);
    srch_query_units_free(u);

    ck_assert_int_eq(srch_query_units(q, NULL, 0, NULL, &n), XS_ERR_INVALID);
    ck_assert_int_eq(srch_query_units(NULL, NULL, 0, &u, &n), XS_ERR_INVALID);
    ck_assert_ptr_null(u);
    ck_assert_uint_eq(n, 0);
    srch_query_units_free(NULL);
    srch_query_free(q);
}
END_TEST

/* A wildcard with more expansions than the search keeps highlights only the
 * ones kept, the most frequent: ta* at 1 keeps talk (3 passages), not
 * taliban (2). */
START_TEST(test_query_units_wildcard_kept)
{
    srch_query_t *q = parse_ok("ta*", 3, AND_);
    const char *text = "The Taliban rejected the Kabul talks.";
    static const struct {
        uint32_t max;
        size_t n_allowed;
        const char *want;
    } cases[] = {
        { 1, 1, "The Taliban rejected the Kabul [talks]." },
        { 2, 0, "The [Taliban] rejected the Kabul [talks]." },  /* all kept */
        { 0, 0, "The [Taliban] rejected the Kabul [talks]." },  /* no limit */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        srch_hl_unit_t *u = NULL;
        size_t n = 0;
        ck_assert_int_eq(srch_query_units(q, db, cases[k].max, &u, &n), XS_OK);
        ck_assert_uint_eq(n, 1);
        ck_assert_uint_eq(u[0].n_allowed, cases[k].n_allowed);
        if (u[0].n_allowed)
            ck_assert_str_eq(u[0].allowed[0], "talk");
        srch_snippet_t snip;
        ck_assert(srch_snippet_build(&snip, an, text, strlen(text), u, n, 0));
        text_buf_t b = TEXT_BUF_INIT;
        ck_assert(srch_snippet_render(&b, text, strlen(text), &snip, u, SRCH_MARK_PLAIN));
        ck_assert_str_eq(b.data, cases[k].want);
        text_buf_free(&b);
        srch_snippet_free(&snip);
        srch_query_units_free(u);
    }
    srch_query_free(q);
}
END_TEST

/* The units feed the snippet builder as they are. */
START_TEST(test_query_units_snippet)
{
    srch_hl_unit_t *u = NULL;
    size_t n = 0;
    srch_query_t *q = NULL;
    char *s = units_string("\"peace talks\" kabul -moscow", AND_, NULL, &u, &n, &q);
    free(s);
    const char *text = "Peace talks between Kabul and Moscow resumed.";
    srch_snippet_t snip;
    ck_assert(srch_snippet_build(&snip, an, text, strlen(text), u, n, 0));
    text_buf_t b = TEXT_BUF_INIT;
    ck_assert(srch_snippet_render(&b, text, strlen(text), &snip, u, SRCH_MARK_PLAIN));
    ck_assert_str_eq(b.data, "[Peace talks] between [Kabul] and Moscow resumed.");
    text_buf_free(&b);
    srch_snippet_free(&snip);
    srch_query_units_free(u);
    srch_query_free(q);
}
END_TEST

static int collect_word(const srch_word_t *w, void *payload)
{
    text_buf_t *b = payload;
    ck_assert(text_buf_printf(&b[0], "%s%s%s=%s@%zu%s%s%s%s", b[0].len ? " " : "",
                              w->field == SRCH_FIELD_TITLE ? "title:" : "", w->text, w->stem,
                              w->column, w->excluded ? "-" : "", w->stopword ? "s" : "",
                              w->prefix ? "*" : "", w->in_phrase ? "p" : ""));
    return 0;
}

static int stop_at_second(const srch_word_t *w, void *payload)
{
    (void)w;
    int *n = payload;
    return ++*n == 2 ? 42 : 0;
}

START_TEST(test_query_units_words)
{
    const char *s = "+The \"Peace talks\" -Taliban title:Kabul mosc* NOT lavrov";
    srch_query_t *q = parse_ok(s, strlen(s), AND_);
    text_buf_t b = TEXT_BUF_INIT;
    ck_assert_int_eq(srch_query_words(q, collect_word, &b), 0);
    ck_assert_str_eq(b.data, "The=the@2s Peace=peac@7p talks=talk@13p title:Kabul=kabul@35 "
                             "mosc=mosc@41* Taliban=taliban@21- lavrov=lavrov@51-");
    text_buf_free(&b);
    int count = 0;
    ck_assert_int_eq(srch_query_words(q, stop_at_second, &count), 42);
    ck_assert_int_eq(count, 2);
    ck_assert_int_eq(srch_query_words(NULL, stop_at_second, &count), 0);
    srch_query_free(q);
}
END_TEST

Suite *make_query_suite(void)
{
    Suite *s = suite_create("query");

    TCase *tc = tcase_create("parse");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_query_parse_rows, 0, sizeof parse_rows / sizeof parse_rows[0]);
    tcase_add_test(tc, test_query_wildcard_notes);
    tcase_add_test(tc, test_query_lone_curly_quote);
    tcase_add_test(tc, test_query_long_word_notes);
    tcase_add_loop_test(tc, test_query_parse_odd, 0, sizeof odd_rows / sizeof odd_rows[0]);
    tcase_add_test(tc, test_query_parse_dropped);
    tcase_add_test(tc, test_query_parse_ten_thousand_words);
    tcase_add_test(tc, test_query_parse_limits_ok);
    tcase_add_test(tc, test_query_parse_arguments);
    tcase_add_test(tc, test_query_parse_nodes);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_query_error_rows, 0, sizeof error_rows / sizeof error_rows[0]);
    tcase_add_test(tc, test_query_error_too_deep);
    tcase_add_test(tc, test_query_error_too_long);
    tcase_add_test(tc, test_query_error_operator_soup);
    suite_add_tcase(s, tc);

    tc = tcase_create("build");
    tcase_add_checked_fixture(tc, db_setup, db_teardown);
    tcase_add_loop_test(tc, test_query_build_matches, 0, sizeof match_rows / sizeof match_rows[0]);
    tcase_add_test(tc, test_query_build_title_weight);
    tcase_add_test(tc, test_query_build_shape);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);

    tc = tcase_create("units");
    tcase_add_checked_fixture(tc, db_setup, db_teardown);
    tcase_add_loop_test(tc, test_query_units_rows, 0, sizeof unit_rows / sizeof unit_rows[0]);
    tcase_add_test(tc, test_query_units_weights);
    tcase_add_test(tc, test_query_units_off);
    tcase_add_test(tc, test_query_units_snippet);
    tcase_add_test(tc, test_query_units_wildcard_kept);
    tcase_add_test(tc, test_query_units_words);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(make_query_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
