/*
 * check_snippet.c — tests of the snippet builder (searcher/snippet.c) and its
 * renderer (searcher/render.c).
 *
 * Units are made the way the query side makes them, by running words through the
 * english analyzer of text/, and most expectations are written with the plain
 * "[..]" markup so a row reads as the snippet a user would see. TCases: "match"
 * (what is highlighted), "window" (which part is shown), "render" (each markup's
 * exact bytes) and "hostile" (control characters, bidi overrides, invalid UTF-8,
 * a 1 MB passage, empty input: nothing dangerous ever reaches the output).
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snippet.h"

Suite *make_snippet_suite(void);

#define MAX_UNITS 4
#define MAX_STEMS 8

/* A unit as a test writes it: words to analyse (TERM, PHRASE) or a prefix to
 * fold (PREFIX). A NULL text ends the list. Weight 0 means 1. */
typedef struct spec {
    srch_hl_kind_t kind;
    const char *text;
    unsigned color;
    double weight;
    unsigned near;           /* the unit's NEAR, 0: none */
    uint32_t near_window;
    unsigned near_times;     /* how many of the NEAR's items it is (0 counts 1) */
} spec_t;

/* Units made from specs, owning their stems. */
typedef struct units {
    srch_hl_unit_t u[MAX_UNITS];
    srch_hl_near_t nears[MAX_UNITS];
    const char *stems[MAX_UNITS][MAX_STEMS];
    size_t n;
} units_t;

static text_analyzer_t *an;

static void setup(void)
{
    ck_assert_int_eq(text_analyzer_new(&an, "english"), TEXT_OK);
}

static void teardown(void)
{
    text_analyzer_free(an);
    an = NULL;
}

static char *dup_n(const char *s, size_t len)
{
    char *d = malloc(len + 1);
    ck_assert_ptr_nonnull(d);
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

/* Where collect_stem() puts the stems of one unit. */
typedef struct stem_sink {
    const char **stems;
    size_t n;
} stem_sink_t;

static int collect_stem(const text_term_t *term, void *payload)
{
    stem_sink_t *sink = payload;
    if (term->compound)
        return 0; /* a unit's stems are its words', as the query parser takes them */
    ck_assert_uint_lt(sink->n, MAX_STEMS);
    sink->stems[sink->n++] = dup_n(term->stem, term->stem_len);
    return 0;
}

static void units_make(units_t *us, const spec_t *specs)
{
    memset(us, 0, sizeof *us);
    for (size_t i = 0; i < MAX_UNITS && specs[i].text; i++) {
        srch_hl_unit_t *u = &us->u[i];
        u->kind = specs[i].kind;
        u->stems = us->stems[i];
        u->color = specs[i].color;
        u->weight = specs[i].weight > 0 ? specs[i].weight : 1.0;
        if (specs[i].near) {
            us->nears[i] = (srch_hl_near_t){ specs[i].near, specs[i].near_window,
                                             specs[i].near_times ? specs[i].near_times : 1 };
            u->nears = &us->nears[i];
            u->n_nears = 1;
            u->near_only = true;
        }
        if (u->kind == SRCH_HL_PREFIX) {
            /* "prefix stem...": the stems of words it starts that it does not */
            const char *text = specs[i].text, *also = strchr(text, ' ');
            size_t len = also ? (size_t)(also - text) : strlen(text);
            char folded[TEXT_TOKEN_MAX + 1];
            size_t n = text_fold(text, len, folded, sizeof folded);
            ck_assert_uint_gt(n, 0);
            us->stems[i][0] = dup_n(folded, n);
            u->n_stems = 1;
            while (also) {
                const char *stem = also + 1;
                also = strchr(stem, ' ');
                ck_assert_uint_lt(u->n_stems, MAX_STEMS);
                us->stems[i][u->n_stems++] =
                    dup_n(stem, also ? (size_t)(also - stem) : strlen(stem));
            }
        } else {
            stem_sink_t sink = { us->stems[i], 0 };
            text_analyze(an, specs[i].text, strlen(specs[i].text), 0, collect_stem, &sink);
            ck_assert_uint_gt(sink.n, 0);
            u->n_stems = sink.n;
        }
        us->n++;
    }
}

static void units_free(units_t *us)
{
    for (size_t i = 0; i < us->n; i++)
        for (size_t k = 0; k < us->u[i].n_stems; k++)
            free((char *) us->stems[i][k]);
    us->n = 0;
}

/* What every snippet must satisfy, whatever the input. */
static void check_invariants(const srch_snippet_t *s, size_t len, size_t n_units)
{
    ck_assert_uint_le(s->start, s->end);
    ck_assert_uint_le(s->end, len);
    ck_assert_uint_le(s->n_spans, s->n_matches_total);
    for (size_t i = 0; i < s->n_spans; i++) {
        ck_assert_uint_le(s->start, s->spans[i].start);
        ck_assert_uint_lt(s->spans[i].start, s->spans[i].end);
        ck_assert_uint_le(s->spans[i].end, s->end);
        ck_assert_uint_lt(s->spans[i].unit, n_units);
        if (i > 0)
            ck_assert_uint_le(s->spans[i - 1].end, s->spans[i].start);
    }
}

/* Build and render passage[0..len) for units; returns the rendering (malloc). */
static char *snippet_n(const char *passage, size_t len, const units_t *us, unsigned ctx,
                       srch_markup_t m)
{
    srch_snippet_t s;
    text_buf_t b = TEXT_BUF_INIT;

    ck_assert(srch_snippet_build(&s, an, passage, len, us->u, us->n, ctx));
    check_invariants(&s, len, us->n);
    ck_assert(srch_snippet_render(&b, passage, len, &s, us->u, m));
    srch_snippet_free(&s);
    char *out = dup_n(b.data ? b.data : "", b.len);
    text_buf_free(&b);
    return out;
}

static char *snippet(const char *passage, const units_t *us, unsigned ctx, srch_markup_t m)
{
    return snippet_n(passage, strlen(passage), us, ctx, m);
}

/* One row: passage, units, context_words -> the snippet in plain markup. */
typedef struct row {
    const char *passage;
    spec_t units[MAX_UNITS + 1];
    unsigned context_words;
    const char *expected;
} row_t;

static void run_row(const row_t *r)
{
    units_t us;
    units_make(&us, r->units);
    char *got = snippet(r->passage, &us, r->context_words, SRCH_MARK_PLAIN);
    ck_assert_msg(strcmp(got, r->expected) == 0, "passage \"%s\": got \"%s\", expected \"%s\"",
                  r->passage, got, r->expected);
    free(got);
    units_free(&us);
}

#define TERM(w) { SRCH_HL_TERM, (w), 0, 1.0, 0, 0, 0 }
#define TERM_W(w, weight) { SRCH_HL_TERM, (w), 0, (weight), 0, 0, 0 }
#define PHRASE(w) { SRCH_HL_PHRASE, (w), 0, 1.0, 0, 0, 0 }
#define PREFIX(w) { SRCH_HL_PREFIX, (w), 0, 1.0, 0, 0, 0 }
/* An item of NEAR number g with window n, and nothing else in the query. */
#define NEAR_TERM(w, g, n) { SRCH_HL_TERM, (w), 0, 1.0, (g), (n), 1 }
/* An item that NEAR number g holds t times. */
#define NEAR_TERM_TIMES(w, g, n, t) { SRCH_HL_TERM, (w), 0, 1.0, (g), (n), (t) }
#define NEAR_PHRASE(w, g, n) { SRCH_HL_PHRASE, (w), 0, 1.0, (g), (n), 1 }

/* ------------------------------------------------------------------------ */
/* match: what gets highlighted                                             */
/* ------------------------------------------------------------------------ */

static const row_t match_rows[] = {
    /* A plural meets its singular through the stemmer. */
    { "They held talks in Geneva.", { TERM("talk") }, 0, "They held [talks] in Geneva." },
    /* A past tense meets the query's infinitive. */
    { "The funds were transferred on Monday.", { TERM("transfer") }, 0,
      "The funds were [transferred] on Monday." },
    /* Case never matters. */
    { "Talks, TALKS and talks.", { TERM("talks") }, 0, "[Talks], [TALKS] and [talks]." },
    /* Curly and straight apostrophes, unit from the curly one. */
    { "Russia's army and Russia\xe2\x80\x99s navy.", { TERM("Russia\xe2\x80\x99s") }, 0,
      "[Russia's] army and [Russia\xe2\x80\x99s] navy." },
    /* The same, unit from the straight one. */
    { "Russia's army and Russia\xe2\x80\x99s navy.", { TERM("Russia's") }, 0,
      "[Russia's] army and [Russia\xe2\x80\x99s] navy." },
    /* The same, unit from the bare name. */
    { "Russia's army and Russia\xe2\x80\x99s navy.", { TERM("russia") }, 0,
      "[Russia's] army and [Russia\xe2\x80\x99s] navy." },
    /* A word is not a substring match: "stalks" is not "talk". */
    { "Stalks talk.", { TERM("talk") }, 0, "Stalks [talk]." },
    /* A phrase is one span, and only where the whole phrase occurs. */
    { "The peace talks began; peace of mind came later, and talks resumed.",
      { PHRASE("peace talks") }, 0,
      "The [peace talks] began; peace of mind came later, and talks resumed." },
    /* A phrase and a term of one of its words: the lone word is the term's. */
    { "The peace talks began; peace of mind came later, and talks resumed.",
      { PHRASE("peace talks"), TERM("talks") }, 0,
      "The [peace talks] began; peace of mind came later, and [talks] resumed." },
    /* Overlapping term and phrase units: one span, the phrase's. */
    { "Only peace talks here.", { TERM("peace"), TERM("talks"), PHRASE("peace talks") }, 0,
      "Only [peace talks] here." },
    /* A phrase over a line break is still one span; the break renders as a space. */
    { "The peace\n   talks.", { PHRASE("peace talks") }, 0, "The [peace talks]." },
    /* A phrase with a stopword in it matches only with that word. */
    { "Peace of mind, peace and mind.", { PHRASE("peace of mind") }, 0,
      "[Peace of mind], peace and mind." },
    /* Two phrases that share a word: one span over both, every word marked. */
    { "My grandmother baked a red apple pie.", { PHRASE("red apple"), PHRASE("apple pie") }, 0,
      "My grandmother baked a [red apple pie]." },
    { "The multilateral peace talks in Moscow.",
      { PHRASE("peace talks"), PHRASE("talks in Moscow") }, 0,
      "The multilateral [peace talks in Moscow]." },
    /* A phrase that overlaps itself: both occurrences, so all three words. */
    { "very very very", { PHRASE("very very") }, 0, "[very very very]" },
    /* A phrase does not run across a block boundary, as in the index. */
    { "Red\n\nWine goes with red wine.", { PHRASE("red wine") }, 0,
      "Red Wine goes with [red wine]." },
    { "| red | wine |", { PHRASE("red wine") }, 0, "| red | wine |" },
    /* Matches next to each other but sharing no word stay apart. */
    { "A red apple pie.", { PHRASE("red apple"), TERM("pie") }, 0, "A [red apple] [pie]." },
    /* A hyphenated word is a phrase of its parts, shown as one span. */
    { "A thermo-aeroelastic model.", { PHRASE("thermo-aeroelastic") }, 0,
      "A [thermo-aeroelastic] model." },
    /* A word typed solid meets it written with a hyphen, over both parts... */
    { "The Taliban co-founder and cofounders met by e-mail.", { TERM("cofounder"), TERM("email") },
      0, "The Taliban [co-founder] and [cofounders] met by [e-mail]." },
    /* ...and a word typed solid or a part, the whole word: one span */
    { "Their co-founder left.", { TERM("cofounder"), TERM("founder") }, 0,
      "Their [co-founder] left." },
    { "Their co-founder left.", { PREFIX("cofo") }, 0, "Their [co-founder] left." },
    /* ...but not in a phrase, nor in a NEAR, which the index reads from
     * part to part (the joined word has no position there) */
    { "The Taliban co-founder met.", { PHRASE("Taliban cofounder") }, 0,
      "The Taliban co-founder met." },
    { "The Taliban co-founder met.",
      { NEAR_TERM("Taliban", 1, 3), NEAR_TERM("cofounder", 1, 3) }, 0,
      "The Taliban co-founder met." },
    /* ...nor a word of three parts, nor of numbers */
    { "A state-of-the-art B2-bomber.", { TERM("stateof"), TERM("b2bomber") }, 0,
      "A state-of-the-art B2-bomber." },
    /* A prefix matches the stems it starts, as in the index... */
    { "Transfers and transformations, not transit.", { PREFIX("Transf") }, 0,
      "[Transfers] and [transformations], not transit." },
    { "Happy people seek happiness.", { PREFIX("happi") }, 0,
      "[Happy] people seek [happiness]." },
    /* ...not a word spelt with it whose stem is another: "fly" is "fli". */
    { "Frequent flyers fly.", { PREFIX("fly") }, 0, "Frequent [flyers] fly." },
    /* ...unless the search took the prefix as a whole word too (stems[1]) */
    { "Frequent flyers fly; flies.", { PREFIX("fly fli") }, 0,
      "Frequent [flyers] [fly]; [flies]." },
    /* ...or the stems of several such words */
    { "Organs of organized organizations, and an organ.", { PREFIX("organiz organ") }, 0,
      "[Organs] of [organized] [organizations], and an [organ]." },
    { "Changes to change the changelog; chance.", { PREFIX("change chang") }, 0,
      "[Changes] to [change] the [changelog]; chance." },
    /* No unit matches: the passage is shown plain. */
    { "Nothing to see here.", { TERM("zebra") }, 0, "Nothing to see here." },
    /* The items of a NEAR (Moscow NEAR/1 summit: a window of 3 tokens) only
     * where they are within the window of each other, in either order. */
    { "Moscow said a summit in Moscow was planned; summit talks in Moscow.",
      { NEAR_TERM("Moscow", 1, 3), NEAR_TERM("summit", 1, 3) }, 0,
      "Moscow said a [summit] in [Moscow] was planned; summit talks in Moscow." },
    /* NEAR/3: a window of 5, every pair within it. */
    { "Moscow said a summit in Moscow was planned; summit talks in Moscow.",
      { NEAR_TERM("Moscow", 1, 5), NEAR_TERM("summit", 1, 5) }, 0,
      "[Moscow] said a [summit] in [Moscow] was planned; [summit] talks in [Moscow]." },
    /* The same word elsewhere in the query is marked everywhere. */
    { "Moscow said a summit in Moscow was planned.",
      { TERM("Moscow"), NEAR_TERM("summit", 1, 3), NEAR_TERM("planned", 1, 3) }, 0,
      "[Moscow] said a summit in [Moscow] was planned." },
    /* A phrase item counts from its first to its last word: the first Kabul
     * spans 5 tokens with either phrase. */
    { "peace talks began in Kabul; Kabul hosted peace talks later on.",
      { NEAR_TERM("Kabul", 1, 4), NEAR_PHRASE("peace talks", 1, 4) }, 0,
      "peace talks began in Kabul; [Kabul] hosted [peace talks] later on." },
    /* A NEAR with no pair in reach marks nothing of it. */
    { "Moscow is far, very far indeed, from any summit.",
      { NEAR_TERM("Moscow", 1, 3), NEAR_TERM("summit", 1, 3) }, 0,
      "Moscow is far, very far indeed, from any summit." },
    /* A chain's items all within one stretch (bank NEAR/4 interest NEAR/4
     * rates: 7 tokens): interest is near each of the others, but the three
     * need 8; further on, they fit. */
    { "bank a b c d e interest rates.",
      { NEAR_TERM("bank", 1, 7), NEAR_TERM("interest", 1, 7), NEAR_TERM("rates", 1, 7) }, 0,
      "bank a b c d e interest rates." },
    /* An item twice (kabul NEAR/2 taliban NEAR/2 taliban: 5 tokens): one
     * Taliban near Kabul is not enough, nor is a lone Taliban. */
    { "Kabul and Taliban met, far far far from the Taliban.",
      { NEAR_TERM("Kabul", 1, 5), NEAR_TERM_TIMES("Taliban", 1, 5, 2) }, 0,
      "Kabul and Taliban met, far far far from the Taliban." },
    { "Kabul, Taliban and Taliban met.",
      { NEAR_TERM("Kabul", 1, 5), NEAR_TERM_TIMES("Taliban", 1, 5, 2) }, 0,
      "[Kabul], [Taliban] and [Taliban] met." },
    { "bank a b c d e interest rates; bank f interest rates.",
      { NEAR_TERM("bank", 1, 7), NEAR_TERM("interest", 1, 7), NEAR_TERM("rates", 1, 7) }, 0,
      "bank a b c d e [interest] [rates]; [bank] f [interest] [rates]." },
    /* A NEAR's window counts positions as the index does, one between blocks
     * (red NEAR/0 wine: a window of 2): none across a heading and its
     * paragraph, list items or table cells... */
    { "## Red\n\nWine and red wine.", { NEAR_TERM("red", 1, 2), NEAR_TERM("wine", 1, 2) }, 0,
      "Red Wine and [red] [wine]." },
    { "- first red\n- wine second", { NEAR_TERM("red", 1, 2), NEAR_TERM("wine", 1, 2) }, 0,
      "- first red - wine second" },
    { "| col red | wine col |", { NEAR_TERM("red", 1, 2), NEAR_TERM("wine", 1, 2) }, 0,
      "| col red | wine col |" },
    /* ...but a wider window reaches over the boundary (NEAR/1: 3 positions) */
    { "| col red | wine col |", { NEAR_TERM("red", 1, 3), NEAR_TERM("wine", 1, 3) }, 0,
      "| col [red] | [wine] col |" },
};

START_TEST(test_snippet_match_rows)
{
    run_row(&match_rows[_i]);
}
END_TEST

/* Spans carry the index of the unit they matched, and the total counts every
 * match in the passage, not only those in the window. */
START_TEST(test_snippet_match_units_and_total)
{
    static const spec_t specs[] = { TERM("peace"), TERM("talks"), PHRASE("peace talks"),
                                    { 0, NULL, 0, 0, 0, 0, 0 } };
    const char *p = "Peace talks. Then talks, talks, talks and more words to fill the "
                    "passage until it is long enough for a window of four.";
    units_t us;
    srch_snippet_t s;

    units_make(&us, specs);
    ck_assert(srch_snippet_build(&s, an, p, strlen(p), us.u, us.n, 0));
    check_invariants(&s, strlen(p), us.n);
    ck_assert_uint_eq(s.n_spans, 4);
    ck_assert_uint_eq(s.n_matches_total, 4);
    ck_assert_uint_eq(s.spans[0].unit, 2);   /* the phrase, not "peace" nor "talks" */
    ck_assert_uint_eq(s.spans[0].start, 0);
    ck_assert_uint_eq(s.spans[0].end, strlen("Peace talks"));
    ck_assert_uint_eq(s.spans[1].unit, 1);
    srch_snippet_free(&s);

    ck_assert(srch_snippet_build(&s, an, p, strlen(p), us.u, us.n, 4));
    check_invariants(&s, strlen(p), us.n);
    ck_assert_uint_eq(s.n_matches_total, 4);
    ck_assert_uint_lt(s.n_spans, 4);
    srch_snippet_free(&s);
    units_free(&us);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* window: which part of the passage is shown                               */
/* ------------------------------------------------------------------------ */

static const row_t window_rows[] = {
    /* The window holding the rare unit (and the common one) beats the earlier
     * window with the common unit alone. */
    { "The apple fell. Nothing else happened for a long while after that. Then a rare "
      "quince met an apple.", { TERM_W("apple", 1), TERM_W("quince", 5) }, 6,
      "\xe2\x80\xa6" "a rare [quince] met an [apple]." },
    /* Two distinct units beat one unit said four times. */
    { "cat cat cat cat. Words words words words words. cat dog.",
      { TERM("cat"), TERM("dog") }, 4, "\xe2\x80\xa6" "words words. [cat] [dog]." },
    /* Equal windows: the earliest wins. */
    { "A cat sat on the mat. Then many other words follow here without any pets. "
      "Finally the cat left.", { TERM("cat") }, 5, "A [cat] sat on the\xe2\x80\xa6" },
    /* Cut on both sides, the match in the middle. */
    { "one two three four five six seven eight nine ten eleven twelve", { TERM("six") }, 3,
      "\xe2\x80\xa6" "five [six] seven\xe2\x80\xa6" },
    /* A window that can start a sentence does, the match still inside. */
    { "Words before here. Start of it has the target word inside. More.",
      { TERM("target") }, 6, "\xe2\x80\xa6Start of it has the [target]\xe2\x80\xa6" },
    /* Near the end, the sentence of the match from its start to the end of
     * the passage, a window cut short, rather than one that cuts both. */
    { "Alpha beta gamma delta epsilon. Zeta eta theta iota kappa lambda. Then the target "
      "word came last of all.", { TERM("target") }, 12,
      "\xe2\x80\xa6Then the [target] word came last of all." },
    /* ...but never a third shorter. */
    { "One two three four five six seven eight nine ten eleven twelve thirteen fourteen "
      "fifteen. Then the target.", { TERM("target") }, 12,
      "\xe2\x80\xa6" "seven eight nine ten eleven twelve thirteen fourteen fifteen. Then the "
      "[target]." },
    /* Closing punctuation right after the last token comes along. */
    { "She said \xe2\x80\x9cthe end is near.\xe2\x80\x9d Then we left the place.",
      { TERM("is") }, 3, "\xe2\x80\xa6" "end [is] near.\xe2\x80\x9d\xe2\x80\xa6" },
    /* ...also by reference */
    { "She said &ldquo;the end is near.&rdquo; Then we left the place.",
      { TERM("is") }, 3, "\xe2\x80\xa6" "end [is] near.\xe2\x80\x9d\xe2\x80\xa6" },
    /* ...and opening punctuation right before the first: quotes, brackets,
     * and an HTML tag's "<" or "</", whose name is a word */
    { "Then she said \xe2\x80\x9cpeace is near\xe2\x80\x9d and left the room.",
      { TERM("peace") }, 1, "\xe2\x80\xa6\xe2\x80\x9c[peace]\xe2\x80\xa6" },
    { "The long talks (held in Moscow) ended on a cold day.", { TERM("held") }, 1,
      "\xe2\x80\xa6([held]\xe2\x80\xa6" },
    { "one two three four five six <b>bold</b> seven eight nine ten", { TERM("bold") }, 3,
      "\xe2\x80\xa6<b>[bold]</b>\xe2\x80\xa6" },
    /* ...also by reference or escaped, at both ends alike */
    { "one two &lt;b&gt;bold&lt;/b&gt; seven eight", { TERM("bold") }, 1,
      "\xe2\x80\xa6<b>[bold]</b>\xe2\x80\xa6" },
    { "one two &ldquo;peace&rdquo; seven eight", { TERM("peace") }, 1,
      "\xe2\x80\xa6\xe2\x80\x9c[peace]\xe2\x80\x9d\xe2\x80\xa6" },
    { "one two &lt;peace&gt; seven eight", { TERM("peace") }, 1,
      "\xe2\x80\xa6<[peace]>\xe2\x80\xa6" },
    { "one two \\(peace\\) seven eight", { TERM("peace") }, 1,
      "\xe2\x80\xa6([peace])\xe2\x80\xa6" },
    /* A phrase is never cut: the window grows to hold it. */
    { "Some words then peace talks and more words after.", { PHRASE("peace talks") }, 1,
      "\xe2\x80\xa6[peace talks]\xe2\x80\xa6" },
    /* ...nor shown in part at an edge, unmarked: the window takes it in. */
    { "peace talks peace talks and more words here now", { PHRASE("peace talks") }, 3,
      "[peace talks] [peace talks]\xe2\x80\xa6" },
    /* A word joined by punctuation is not cut at the window's edges: the
     * window takes its other parts in ("non-OPEC", not "OPEC"). */
    { "He said that some non-OPEC states cut a lot of output, and rates fell to 7-3/4 pct today.",
      { TERM("OPEC") }, 1, "\xe2\x80\xa6non-[OPEC]\xe2\x80\xa6" },
    { "Rates fell to 7-3/4 pct today.", { TERM("rates") }, 4, "[Rates] fell to 7-3/4\xe2\x80\xa6" },
    /* ...also when the punctuation is not ASCII: a non-breaking hyphen, an en
     * dash, a middle dot */
    { "Output from non\xe2\x80\x91OPEC producers rose sharply in March.", { TERM("OPEC") }, 1,
      "\xe2\x80\xa6non\xe2\x80\x91[OPEC]\xe2\x80\xa6" },
    { "The Russia\xe2\x80\x93Ukraine talks stalled again.", { TERM("Ukraine") }, 1,
      "\xe2\x80\xa6Russia\xe2\x80\x93[Ukraine]\xe2\x80\xa6" },
    { "La col\xc2\xb7lecci\xc3\xb3 del museu es va obrir.", { TERM("lecci\xc3\xb3") }, 1,
      "\xe2\x80\xa6" "col\xc2\xb7[lecci\xc3\xb3]\xe2\x80\xa6" },
    /* ...also when it is a character reference, shown as its character */
    { "Output from non&#8209;OPEC producers rose sharply in March.", { TERM("OPEC") }, 1,
      "\xe2\x80\xa6non\xe2\x80\x91[OPEC]\xe2\x80\xa6" },
    { "Shares of AT&amp;T rose sharply in March.", { TERM("rose") }, 1,
      "\xe2\x80\xa6[rose]\xe2\x80\xa6" },
    { "Shares of AT&amp;T rose sharply in March.", { TERM("at") }, 1,
      "\xe2\x80\xa6[AT]&T\xe2\x80\xa6" },
    /* ...but not by a dash between spaces */
    { "Talks \xe2\x80\x93 stalled again in the city.", { TERM("stalled") }, 1,
      "\xe2\x80\xa6[stalled]\xe2\x80\xa6" },
    /* A word typed solid that matches a hyphenated one's two parts is
     * longer than a window of one: the window takes it in. */
    { "Yesterday the co-founder resigned, and the board accepted it.", { TERM("cofounder") }, 1,
      "\xe2\x80\xa6[co-founder]\xe2\x80\xa6" },
    /* Chinese and Japanese characters touch, but each is a word: the window
     * takes in no more of them than it was given. */
    { "日本政府今天宣布了新的经济政策和改革计划。", { PHRASE("经济政策") }, 4,
      "\xe2\x80\xa6[经济政策]\xe2\x80\xa6" },
    { "日本政府今天宣布了新的经济政策和改革计划。", { TERM("宣") }, 3,
      "\xe2\x80\xa6天[宣]布\xe2\x80\xa6" },
    /* Phrases overlapping across an edge all come in, however they chain:
     * the window would start at the sentence "Began now but", and taking in
     * "talks began" puts "peace talks" across the edge. */
    { "One two peace talks. Began now but alpha beta gamma delta epsilon.",
      { PHRASE("peace talks"), PHRASE("talks began"), TERM_W("now", 50), TERM_W("but", 50) },
      3, "\xe2\x80\xa6[peace talks. Began] [now] [but]\xe2\x80\xa6" },
    /* ...and so does a joined word that a phrase taken in puts across it */
    { "One two non-OPEC talks. Began now but alpha beta gamma delta epsilon.",
      { PHRASE("opec talks"), PHRASE("talks began"), TERM_W("now", 50), TERM_W("but", 50) },
      3, "\xe2\x80\xa6non-[OPEC talks. Began] [now] [but]\xe2\x80\xa6" },
    /* A unit found almost everywhere (a wildcard's many words) still shows
     * where it is the most: a repeat earns at least a point. */
    { "Afghan one two three four five six Afghan seven Afghan eight Afghan.",
      { TERM_W("afghan", 0.004) }, 4, "\xe2\x80\xa6[Afghan] seven [Afghan] eight\xe2\x80\xa6" },
    /* A passage within context_words is shown whole, trimmed. */
    { "  Short text, whole.\n", { TERM("text") }, 10, "Short [text], whole." },
    /* context_words 0: the whole passage. */
    { "one two three four five six seven eight nine ten eleven twelve", { TERM("twelve") },
      0, "one two three four five six seven eight nine ten eleven [twelve]" },
    /* No match: the first context_words tokens. */
    { "One two three four five six seven.", { TERM("zebra") }, 3, "One two three\xe2\x80\xa6" },
    /* Zero units: the same. */
    { "One two three four five six seven.", { { 0, NULL, 0, 0, 0, 0, 0 } }, 3,
      "One two three\xe2\x80\xa6" },
    /* A window at the passage start keeps its leading punctuation. */
    { "\"Bold\" words begin this quite long passage of text.", { TERM("bold") }, 3,
      "\"[Bold]\" words begin\xe2\x80\xa6" },
    /* A window at the passage end keeps everything after its last token. */
    { "Many words lead up to the very (end).", { TERM("end") }, 3,
      "\xe2\x80\xa6the very ([end])." },
    /* Only markup left out after the window (a link's target): no ellipsis */
    { "See [w0 w1 w2 w3 dingo end.](https://example.com/long/path)", { TERM("dingo") }, 3,
      "\xe2\x80\xa6w3 [dingo] end." },
    /* Only blank text left out before the window: no ellipsis there. */
    { "\n\n  alpha beta gamma  \n", { TERM("beta") }, 2, "alpha [beta]\xe2\x80\xa6" },
};

START_TEST(test_snippet_window_rows)
{
    run_row(&window_rows[_i]);
}
END_TEST

/* The window's byte range and cut flags, not only its rendering. */
START_TEST(test_snippet_window_bytes)
{
    static const spec_t specs[] = { TERM("six"), { 0, NULL, 0, 0, 0, 0, 0 } };
    const char *p = "one two three four five six seven eight nine ten";
    units_t us;
    srch_snippet_t s;

    units_make(&us, specs);
    ck_assert(srch_snippet_build(&s, an, p, strlen(p), us.u, us.n, 3));
    ck_assert_uint_eq(s.start, (size_t) (strstr(p, "five") - p));
    ck_assert_uint_eq(s.end, (size_t) (strstr(p, "seven") - p) + 5);
    ck_assert(s.cut_before);
    ck_assert(s.cut_after);
    ck_assert_uint_eq(s.n_spans, 1);
    ck_assert_uint_eq(s.spans[0].start, (size_t) (strstr(p, "six") - p));
    srch_snippet_free(&s);
    units_free(&us);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* render: each markup's exact output                                       */
/* ------------------------------------------------------------------------ */

typedef struct render_row {
    const char *passage;
    spec_t units[MAX_UNITS + 1];
    unsigned context_words;
    srch_markup_t markup;
    const char *expected;
} render_row_t;

#define TOM_JERRY "Tom & \"Jerry\" <GM>it's</GM> fine"
#define TJ_UNITS { { SRCH_HL_TERM, "jerry", 0, 1, 0, 0, 0 }, { SRCH_HL_TERM, "tom", 1, 1, 0, 0, 0 } }

static const render_row_t render_rows[] = {
    /* ANSI: bold, colour by the unit's colour index, reset after each. */
    { TOM_JERRY, TJ_UNITS, 0, SRCH_MARK_ANSI,
      "\033[1;32mTom\033[0m & \"\033[1;31mJerry\033[0m\" <GM>it's</GM> fine" },
    /* HTML: <mark>, and & < > " ' escaped. */
    { TOM_JERRY, TJ_UNITS, 0, SRCH_MARK_HTML,
      "<mark>Tom</mark> &amp; &quot;<mark>Jerry</mark>&quot; &lt;GM&gt;it&#39;s&lt;/GM&gt; "
      "fine" },
    /* Markdown: **, and the text's own markup characters escaped. */
    { TOM_JERRY, TJ_UNITS, 0, SRCH_MARK_MARKDOWN,
      "**Tom** \\& \"**Jerry**\" \\<GM\\>it's\\</GM\\> fine" },
    { "a_b 2 * 3 [x] #1 ~/ | <GM> &amp;", { TERM("x") }, 0, SRCH_MARK_MARKDOWN,
      "a\\_b 2 \\* 3 \\[**x**\\] \\#1 \\~/ \\| \\<GM\\> \\&" },
    /* A character reference shows the character it names, in every format
     * (escaped for HTML and Markdown), a match that holds or opens with one
     * too; in a code span or block it is text. */
    { "The caf&eacute; &amp; cr&egrave;me &lt;b&gt; `&amp;`\n\n    &lt;", { TERM("caf\xC3\xA9") }, 0,
      SRCH_MARK_PLAIN, "The [caf\xC3\xA9] & cr\xC3\xA8me <b> &amp; &lt;" },
    { "caf&eacute; &lt;b&gt; AT&amp;T", { TERM("caf\xC3\xA9") }, 0, SRCH_MARK_HTML,
      "<mark>caf\xC3\xA9</mark> &lt;b&gt; AT&amp;T" },
    { "&Eacute;cole &amp; *x*", { TERM("\xC3\xA9" "col") }, 0, SRCH_MARK_MARKDOWN,
      "**\xC3\x89" "cole** \\& x" },
    /* Markdown's own markup is not shown (text_markup_ranges()), in every
     * format: a heading's hashes, emphasis, a link's brackets and target,
     * backticks, rules and underlines, a fence; not in code. */
    { "## **Greater Leverage** [link](x) `code` a_b", { TERM("leverage") }, 0,
      SRCH_MARK_MARKDOWN, "Greater **Leverage** link code a\\_b" },
    { "Title\n=====\n\n> *Quoted* ![alt](i.png) <b>bold</b> <https://x.org>\n\n---\n"
      "```sh\n# **kwargs\n```", { TERM("quot") }, 0, SRCH_MARK_PLAIN,
      "Title [Quoted] alt <b>bold</b> https://x.org sh # **kwargs" },
    /* An HTML comment's lines are text, not Markdown: a "#" there is no
     * heading's, "*" no emphasis. */
    { "# Ponds\n\n<!--\n# draft *x* on zebrafinch\n-->\n\nMore *zebrafinch*.",
      { TERM("zebrafinch") }, 0, SRCH_MARK_PLAIN,
      "Ponds <!-- # draft *x* on [zebrafinch] --> More [zebrafinch]." },
    { "def f(**kwargs): *note* `__init__`", { TERM("note") }, 0, SRCH_MARK_PLAIN,
      "def f(**kwargs): [note] __init__" },   /* emphasis only where it pairs */
    /* A word whose emphasis closes before its "'s" is one match. */
    { "We saw **Moscow**'s plan", { TERM("moscow") }, 0, SRCH_MARK_MARKDOWN,
      "We saw **Moscow's** plan" },
    /* Hidden inside a phrase's mark too; an HTML tag, whose words are
     * indexed, "_", a code span's content and a lone backtick are text */
    { "A **bold** claim [the docs](https://x.org/d) or", { PHRASE("bold claim"), PHRASE("docs or") },
      0, SRCH_MARK_PLAIN, "A [bold claim] the [docs or]" },
    { "from __future__ import; self._cache_size; convert <input> <output>", { TERM("import") },
      0, SRCH_MARK_PLAIN, "from __future__ [import]; self._cache_size; convert <input> <output>" },
    { "Match `^\\d+\\.$`, use ``a `tick` b`` or a (`) tick", { TERM("match") }, 0,
      SRCH_MARK_PLAIN, "[Match] ^\\d+\\.$, use a `tick` b or a (`) tick" },
    { "And a [link whose text\nwraps](https://x.org/page) for it.", { TERM("link") }, 0,
      SRCH_MARK_PLAIN, "And a [link] whose text wraps for it." },
    { "| Name | Role |\n|------|:----:|\n| Ann | chair |", { TERM("ann") }, 0, SRCH_MARK_PLAIN,
      "| Name | Role | | [Ann] | chair |" },   /* a table's delimiter row */
    /* Emphasis pairs across a code span; a reference by its own text,
     * "[Error][]", is its text; one by a label stays as it is */
    { "* **Fix for `path` module (CVE-1)**: see [Error][] or [docs][ref], `**` and **b `x**` c** [][] [ ][]",
      { TERM("modul") }, 0, SRCH_MARK_PLAIN,
      "* Fix for path [module] (CVE-1): see Error or [docs][ref], ** and b x** c [][] [ ][]" },
    /* In a list, an item indented less than four columns past the item's
     * text is nested in it, not code (CommonMark); four more make code; so
     * do four columns after a heading, a paragraph after the list, and at
     * the start of a passage, which cannot see a list; and any other line
     * indented four (plain text's lines wrapped under a bullet). In a
     * paragraph, only a bullet or a 1 opens a list. */
    { "- Prepare *it*\n    - Sign the **binaries** [here](x)\n    1. **Thank** them\n"
      "  * lazy `ok`", { TERM("sign") }, 0, SRCH_MARK_PLAIN,
      "- Prepare it - [Sign] the binaries here 1. Thank them * lazy ok" },
    { "1. Step *one*\n\n    more on **it**\n\n       *p = *q;", { TERM("step") }, 0,
      SRCH_MARK_PLAIN, "1. [Step] one more on **it** *p = *q;" },
    { "  * Lists of AUDIT_*, BPF_*,\n    IPV6_*, IP_*, KEY_* and\n    - *nested*", { TERM("list") }, 0,
      SRCH_MARK_PLAIN, "* [Lists] of AUDIT_, BPF_, IPV6_*, IP_*, KEY_* and - nested" },
    { "See step\n3. Then tau:\n\n    $ ls *tau*", { TERM("tau") }, 0, SRCH_MARK_PLAIN,
      "See step 3. Then [tau]: $ ls *[tau]*" },
    { "- item\n\nText after the list\n\n    **kwargs *a*", { TERM("text") }, 0,
      SRCH_MARK_PLAIN, "- item [Text] after the list **kwargs *a*" },
    { "- item\n## Usage\n\n    *a* = *b*", { TERM("usag") }, 0, SRCH_MARK_PLAIN,
      "- item [Usage] *a* = *b*" },
    { "    - **kwargs *a*\n    - *b*", { TERM("kwarg") }, 0, SRCH_MARK_PLAIN,
      "- **[kwargs] *a* - *b*" },
    /* emphasis that wraps onto the next line of its paragraph, as
     * hard-wrapped Markdown has it; not over a blank line, into a list item
     * or code, nor when a later run on the line could take the closer */
    { "The **Former Afghan\nPresident** Karzai and *a\nb* met.", { TERM("presid") }, 0,
      SRCH_MARK_PLAIN, "The Former Afghan [President] Karzai and a b met." },
    { "x **a\n\nb** and *c\n- d* and *e\n    f* g", { TERM("b") }, 0, SRCH_MARK_PLAIN,
      "x **a [b]** and *c - d* and *e f* g" },
    { "2 * 3 and *x\ny* z *w", { TERM("z") }, 0, SRCH_MARK_PLAIN, "2 * 3 and x y [z] *w" },
    { "# Head **foo\nbar** baz", { TERM("baz") }, 0, SRCH_MARK_PLAIN, "Head **foo bar** [baz]" },
    { "a *b* *c\nd **e** f* g", { TERM("g") }, 0, SRCH_MARK_PLAIN, "a b c d e f [g]" },
    /* a "**" inside a word closes bold opened at a word's start; no other
     * run inside a word pairs (globs, C, target triplets in NEWS files) */
    { "**GPU**s and *un*done, 2*3*4, a_b_c, x**y**z g", { TERM("g") }, 0, SRCH_MARK_PLAIN,
      "GPUs and *un*done, 2*3*4, a_b_c, x**y**z [g]" },
    { "Use CHAR_BIT*sizeof(void*) or *foo*bar, a*b*, file*name* and str**val** g\n"
      "(mips*-*-irix6*o32)", { TERM("g") }, 0, SRCH_MARK_PLAIN,
      "Use CHAR_BIT*sizeof(void*) or *foo*bar, a*b*, file*name* and str**val** [g] "
      "(mips*-*-irix6*o32)" },
    { "one \"*\" and\nthe \"*\" g", { TERM("g") }, 0, SRCH_MARK_PLAIN,
      "one \"*\" and the \"*\" [g]" },
    { "/* x */\n/* y */ g *It wraps\nhere.* *\u00c9t\u00e9\nfin*", { TERM("g") }, 0, SRCH_MARK_PLAIN,
      "/* x */ /* y */ [g] It wraps here. \u00c9t\u00e9 fin" },
    /* a fenced block in a quote is code, without the quote's marks; ">>>"
     * in a fence outside quotes is code */
    { "> Run:\n>\n> ```sh\n> make **all**\n> > x\n>  ```\n> Then **stop**.\n\n```\n>>> a = *b*\n```",
      { TERM("make") }, 0, SRCH_MARK_PLAIN,
      "Run: sh [make] **all** > x Then stop. >>> a = *b*" },
    /* the quote's end ends its fence; a fence may open a list item */
    { "> ```sh\n> make x\n\nAfter **bold** here\n\n> - ```\n>   code\n>   ```\n\n"
      "- ```sh\n  make **x**\n  ```\n- item **y**", { TERM("bold") }, 0, SRCH_MARK_PLAIN,
      "sh make x After [bold] here - code - sh make **x** - item y" },
    /* nor is a heading's attribute block, "#" or underlined; one in text is */
    { "# Install {#install}\n\nOptions {: .wide}\n---\nSet {#x} here {.y}", { TERM("instal") }, 0,
      SRCH_MARK_PLAIN, "[Install] Options Set {#x} here {.y}" },
    { "## Closed ## {#c}\n\n- item {#i}\n---\n```\n# code {#k}\n```", { TERM("close") }, 0,
      SRCH_MARK_PLAIN, "[Closed] - item {#i} # code {#k}" },
    /* nor are a footnote's reference and its definition's label, and a
     * link reference definition's brackets and address (its label and
     * title, which are indexed, are); a "[^x]" that is no footnote and
     * "[INFO]: text" are shown */
    { "See the [guide][] now[^1].\n\n[guide]: https://x.org/g \"Guide\"\n[^1]: A note, [^a-z] [x] ok.\n"
      "[INFO]: Starting\n", { TERM("note"), TERM("guid") }, 0, SRCH_MARK_PLAIN,
      "See the [guide] now. [guide] \"[Guide]\" A [note], [^a-z] [x] ok. [INFO]: Starting" },
    /* a link whose text wraps onto the next line, as hard-wrapped Markdown
     * has them; not over a blank line, nor one with no target */
    { "Services are [hosted by\nSourceForge](https://sf.net/p/tcl/) today, [not\n\nhere](x) or [this\none].",
      { TERM("host") }, 0, SRCH_MARK_PLAIN,
      "Services are [hosted] by SourceForge today, [not here](x) or [this one]." },
    /* so does a code span; its text is code, what follows it is not */
    { "To rebuild, run `mandb\n--create *now*` after, then **restart** the `tapird` unit; `a\n\nb` ok",
      { TERM("restart") }, 0, SRCH_MARK_PLAIN,
      "To rebuild, run mandb --create *now* after, then [restart] the tapird unit; `a b` ok" },
    { "The new `x' specifier, a block\nmacro now has letter `m'.", { TERM("block") }, 0,
      SRCH_MARK_PLAIN, "The new `x' specifier, a [block] macro now has letter `m'." },
    { "[`iota()`]: #iota-fn\n[*kappa*]: http://x.org \"Kappa *title*\" and a[^b]*c x[^0-9]+ y[^z]",
      { TERM("kappa") }, 0, SRCH_MARK_PLAIN,
      "iota() [kappa] \"[Kappa] title\" and a[^b]*c x[^0-9]+ y" },
    /* ...but not into a list item, a quote or another block */
    { "- run `make\n- see [the docs](http://x.org/d), *omicron* and `cc`\nType `foo and\n> gamma `p*q*r` quoted\n"
      "See [the epsilon\n- item](http://x.org/a) here", { TERM("omicron") }, 0, SRCH_MARK_PLAIN,
      "- run `make - see the docs, [omicron] and cc Type `foo and gamma p*q*r quoted See [the epsilon - "
      "item](http://x.org/a) here" },
    /* a task's box is not shown, its bullet is */
    { "- [ ] tag the *release*\n* [x] done [x] ok\n- [y] not a box", { TERM("tag") }, 0,
      SRCH_MARK_PLAIN, "- [tag] the release * done [x] ok - [y] not a box" },
    /* ...nor is it a word: only a shown x matches */
    { "- [x] done [x] ok", { TERM("x") }, 0, SRCH_MARK_PLAIN, "- done [[x]] ok" },
    /* ...and markup that holds a match stays shown, a tag's word among them */
    { "<p align=\"center\">", { TERM("center") }, 0, SRCH_MARK_PLAIN, "<p align=\"[center]\">" },
    /* A list item's marker that opens the snippet is text, not a list; the
     * same characters elsewhere are left alone. */
    { "- milk and 12. eggs", { TERM("milk") }, 0, SRCH_MARK_MARKDOWN,
      "\\- **milk** and 12. eggs" },
    { "  12. milk", { TERM("milk") }, 0, SRCH_MARK_MARKDOWN, "12\\. **milk**" },
    { "3) milk", { TERM("milk") }, 0, SRCH_MARK_MARKDOWN, "3\\) **milk**" },
    { "+\tmilk", { TERM("milk") }, 0, SRCH_MARK_MARKDOWN, "\\+ **milk**" },
    { "-milk 3.5 1990. milk", { TERM("milk") }, 0, SRCH_MARK_MARKDOWN,
      "-**milk** 3.5 1990. **milk**" },
    { "1234567890. milk", { TERM("milk") }, 0, SRCH_MARK_MARKDOWN, "1234567890. **milk**" },
    { "- milk", { TERM("milk") }, 0, SRCH_MARK_PLAIN, "- [milk]" },
    { "+\x01\tmilk", { TERM("milk") }, 0, SRCH_MARK_MARKDOWN, "\\+ **milk**" },  /* as shown */
    { "12.\033[0m milk", { TERM("milk") }, 0, SRCH_MARK_MARKDOWN, "12\\. **milk**" },
    /* Plain brackets. */
    { TOM_JERRY, TJ_UNITS, 0, SRCH_MARK_PLAIN, "[Tom] & \"[Jerry]\" <GM>it's</GM> fine" },
    /* No marks at all. */
    { TOM_JERRY, TJ_UNITS, 0, SRCH_MARK_NONE, "Tom & \"Jerry\" <GM>it's</GM> fine" },
    /* Colours cycle through six: index 2, 5, then 8 = 2 again. */
    { "red green blue", { { SRCH_HL_TERM, "red", 2, 1, 0, 0, 0 }, { SRCH_HL_TERM, "green", 5, 1, 0, 0, 0 },
                          { SRCH_HL_TERM, "blue", 8, 1, 0, 0, 0 } }, 0, SRCH_MARK_ANSI,
      "\033[1;34mred\033[0m \033[1;33mgreen\033[0m \033[1;34mblue\033[0m" },
    /* A phrase is one colour run. */
    { "the peace talks", { { SRCH_HL_PHRASE, "peace talks", 3, 1, 0, 0, 0 } }, 0, SRCH_MARK_ANSI,
      "the \033[1;35mpeace talks\033[0m" },
    /* Ellipses around an HTML snippet. */
    { "one two three four five six seven", { TERM("four") }, 3, SRCH_MARK_HTML,
      "\xe2\x80\xa6three <mark>four</mark> five\xe2\x80\xa6" },
    /* Markdown spans that touch are kept apart by an invisible U+200B. */
    { "alpha\x01" "beta", { TERM("alpha"), TERM("beta") }, 0, SRCH_MARK_MARKDOWN,
      "**alpha**\xe2\x80\x8b**beta**" },
    /* Runs of white space, tabs and newlines become one space. */
    { "a\t\tb \n\r\n c\f\vd", { { 0, NULL, 0, 0, 0, 0, 0 } }, 0, SRCH_MARK_NONE, "a b c d" },
    /* Escape sequences go whole: CSI, OSC ended by BEL or ST, C1 CSI, ESC ( B. */
    { "Tom \033[1;31mand\033[0m \033]0;pwned\007Jerry \033]8;;http://x\033\\link\033]8;;\033\\ "
      "\302\2331337m \033(Bend", TJ_UNITS, 0, SRCH_MARK_PLAIN, "[Tom] and [Jerry] link end" },
    /* A window starting in the tail of a sequence ("31mfour" is a token)
     * starts after it. */
    { "one two three \033[31mfour five six seven", { TERM("five") }, 3, SRCH_MARK_HTML,
      "\xe2\x80\xa6" "four <mark>five</mark> six\xe2\x80\xa6" },
};

START_TEST(test_snippet_render_rows)
{
    const render_row_t *r = &render_rows[_i];
    units_t us;
    units_make(&us, r->units);
    char *got = snippet(r->passage, &us, r->context_words, r->markup);
    ck_assert_msg(strcmp(got, r->expected) == 0, "row %d: got \"%s\", expected \"%s\"", _i,
                  got, r->expected);
    free(got);
    units_free(&us);
}
END_TEST

/* Rendering appends to what the buffer already holds. */
START_TEST(test_snippet_render_appends)
{
    srch_snippet_t s;
    text_buf_t b = TEXT_BUF_INIT;
    const char *p = "hello world";

    ck_assert(srch_snippet_build(&s, an, p, strlen(p), NULL, 0, 0));
    ck_assert(text_buf_puts(&b, "> "));
    ck_assert(srch_snippet_render(&b, p, strlen(p), &s, NULL, SRCH_MARK_PLAIN));
    ck_assert_str_eq(b.data, "> hello world");
    srch_snippet_free(&s);
    text_buf_free(&b);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* hostile: nothing dangerous reaches the output                            */
/* ------------------------------------------------------------------------ */

static const srch_markup_t all_markups[] = {
    SRCH_MARK_ANSI, SRCH_MARK_HTML, SRCH_MARK_MARKDOWN, SRCH_MARK_PLAIN, SRCH_MARK_NONE
};
#define N_MARKUPS (sizeof all_markups / sizeof all_markups[0])

/* Length of a mark's escape sequence at s (ESC [ 1 ; 3 d m, or ESC [ 0 m), 0 if
 * the ESC there is anything else. */
static size_t mark_sequence(const char *s, size_t len)
{
    if (len >= 7 && memcmp(s, "\033[1;3", 5) == 0 && s[5] >= '1' && s[5] <= '6' && s[6] == 'm')
        return 7;
    if (len >= 4 && memcmp(s, "\033[0m", 4) == 0)
        return 4;
    return 0;
}

/*
 * Scan rendered bytes: valid UTF-8 (checked here, independently of text/), no
 * C0 control, DEL or C1 control, no bidi embedding/override/isolate, and ESC only
 * as the start of one of our own ANSI marks.
 */
static void assert_clean(const char *out, size_t len, srch_markup_t m)
{
    const unsigned char *u = (const unsigned char *) out;
    for (size_t i = 0; i < len;) {
        unsigned char c = u[i];
        if (c == 0x1b) {
            size_t n = m == SRCH_MARK_ANSI ? mark_sequence(out + i, len - i) : 0;
            ck_assert_msg(n > 0, "stray ESC at byte %zu (markup %d)", i, (int) m);
            i += n;
            continue;
        }
        ck_assert_msg(c >= 0x20 && c != 0x7f, "control byte 0x%02x at %zu (markup %d)", c, i,
                      (int) m);
        size_t n;
        uint32_t cp;
        if (c < 0x80) {
            n = 1;
            cp = c;
        } else if (c >= 0xc2 && c <= 0xdf) {
            n = 2;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            cp = c & 0x07;
        } else {
            ck_abort_msg("bad UTF-8 lead byte 0x%02x at %zu (markup %d)", c, i, (int) m);
            return;
        }
        ck_assert_msg(i + n <= len, "UTF-8 cut short at %zu", i);
        for (size_t k = 1; k < n; k++) {
            ck_assert_msg((u[i + k] & 0xc0) == 0x80, "bad continuation at %zu", i + k);
            cp = (cp << 6) | (u[i + k] & 0x3f);
        }
        static const uint32_t min_cp[5] = { 0, 0, 0x80, 0x800, 0x10000 };
        ck_assert_msg(cp >= min_cp[n], "overlong form at %zu", i);
        ck_assert_msg(cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff), "bad code point at %zu",
                      i);
        ck_assert_msg(!(cp >= 0x80 && cp <= 0x9f), "C1 control U+%04X at %zu", (unsigned) cp, i);
        ck_assert_msg(!(cp >= 0x202a && cp <= 0x202e) && !(cp >= 0x2066 && cp <= 0x2069),
                      "bidi control U+%04X at %zu", (unsigned) cp, i);
        i += n;
    }
}

/* A passage full of attempts to reach the terminal or confuse the reader. */
static const char hostile[] =
    "Safe \033[31mred\033[0m text\033]0;pwned\007 with a NUL\0inside "
    "and C1 \xc2\x9b" "31m CSI, \xe2\x80\xae" "override\xe2\x80\xac and "
    "\xe2\x81\xa6isolate\xe2\x81\xa9 here; bad bytes \xff\xfe\xc0\xaf\xed\xa0\x80"
    "\xf4\x90\x80\x80\xe2\x82 text \x7f" "del \x1b[2J clear \x9b" "1m overlong \xe0\x80\xaf "
    "and \xf0\x80\x80\xaf, a smile \xf0\x9f\x98\x80 end red";

START_TEST(test_snippet_hostile_controls)
{
    static const spec_t specs[] = { TERM("red"), TERM("override"), PREFIX("isol"),
                                    PHRASE("bad bytes"), { 0, NULL, 0, 0, 0, 0, 0 } };
    static const unsigned ctxs[] = { 0, 2, 3, 5, 8, 100 };
    units_t us;

    units_make(&us, specs);
    for (size_t c = 0; c < sizeof ctxs / sizeof ctxs[0]; c++) {
        for (size_t k = 0; k < N_MARKUPS; k++) {
            char *out = snippet_n(hostile, sizeof hostile - 1, &us, ctxs[c], all_markups[k]);
            assert_clean(out, strlen(out), all_markups[k]);
            free(out);
        }
    }
    /* The whole passage, for the record of what survives. */
    char *out = snippet_n(hostile, sizeof hostile - 1, &us, 0, SRCH_MARK_NONE);
    ck_assert_ptr_null(strstr(out, "\xef\xbf\xbd\xef\xbf\xbd"));  /* one U+FFFD per run */
    ck_assert_ptr_nonnull(strstr(out, "override"));
    free(out);
    units_free(&us);
}
END_TEST

/* Spans a caller got wrong (overlapping, past the end, inside a character)
 * still give clean output. */
START_TEST(test_snippet_hostile_spans)
{
    const char *p = "caf\xc3\xa9 na\xc3\xafve \xe2\x80\xae text";
    srch_span_t spans[] = { { 2, 4, 0 }, { 3, 9, 1 }, { 8, 8, 0 }, { 7, 100, 1 }, { 1, 2, 0 } };
    srch_snippet_t s = { .start = 0, .end = strlen(p) + 50, .cut_before = true, .cut_after = true,
                         .spans = spans, .n_spans = 5, .n_matches_total = 5 };
    srch_hl_unit_t units[2] = { { SRCH_HL_TERM, NULL, 0, 0, 1, NULL, 0, false, NULL, 0 },
                                { SRCH_HL_TERM, NULL, 0, 7, 1, NULL, 0, false, NULL, 0 } };

    for (size_t k = 0; k < N_MARKUPS; k++) {
        text_buf_t b = TEXT_BUF_INIT;
        ck_assert(srch_snippet_render(&b, p, strlen(p), &s, units, all_markups[k]));
        assert_clean(b.data, b.len, all_markups[k]);
        text_buf_free(&b);
    }
}
END_TEST

/* 1 MB of text with the only rare word near the end: found, and the snippet
 * stays small. */
START_TEST(test_snippet_hostile_megabyte)
{
    static const spec_t specs[] = { TERM_W("lorem", 0.1), TERM_W("quail", 9),
                                    { 0, NULL, 0, 0, 0, 0, 0 } };
    const char *filler = "lorem ipsum dolor sit amet, consectetur adipiscing elit. ";
    size_t flen = strlen(filler), len = 0, cap = (size_t) 1 << 20;
    char *p = malloc(cap + 1);
    units_t us;

    ck_assert_ptr_nonnull(p);
    while (len + flen <= cap) {
        memcpy(p + len, filler, flen);
        len += flen;
    }
    memcpy(p + len - 2 * flen, "quail", 5);   /* in place of a "lorem" */
    p[len] = '\0';
    units_make(&us, specs);
    char *out = snippet_n(p, len, &us, 10, SRCH_MARK_PLAIN);
    ck_assert_ptr_nonnull(strstr(out, "[quail]"));
    ck_assert_uint_lt(strlen(out), 200);
    free(out);

    /* The same megabyte as one run of bytes that are not UTF-8: no token, so the
     * whole passage is the window, and it renders as one U+FFFD. */
    memset(p, 0xff, len);
    for (size_t k = 0; k < N_MARKUPS; k++) {
        out = snippet_n(p, len, &us, 10, all_markups[k]);
        ck_assert_str_eq(out, "\xef\xbf\xbd");
        free(out);
    }
    /* And as escape characters: nothing at all. */
    memset(p, 0x1b, len);
    out = snippet_n(p, len, &us, 10, SRCH_MARK_ANSI);
    ck_assert_str_eq(out, "");
    free(out);
    units_free(&us);
    free(p);
}
END_TEST

/* An empty passage, NULL text, and zero units are fine. */
START_TEST(test_snippet_hostile_empty)
{
    static const spec_t specs[] = { TERM("word"), { 0, NULL, 0, 0, 0, 0, 0 } };
    units_t us, none;
    srch_snippet_t s;

    units_make(&us, specs);
    units_make(&none, specs + 1);
    for (size_t k = 0; k < N_MARKUPS; k++) {
        char *out = snippet_n("", 0, &us, 5, all_markups[k]);
        ck_assert_str_eq(out, "");
        free(out);
        out = snippet_n("   \n\t ", 6, &us, 5, all_markups[k]);
        ck_assert_str_eq(out, "");
        free(out);
        out = snippet_n("a word", 6, &none, 5, all_markups[k]);
        ck_assert_str_eq(out, "a word");
        free(out);
    }
    ck_assert(srch_snippet_build(&s, an, NULL, 0, NULL, 0, 3));
    ck_assert_uint_eq(s.start, 0);
    ck_assert_uint_eq(s.end, 0);
    ck_assert_uint_eq(s.n_spans, 0);
    ck_assert_uint_eq(s.n_matches_total, 0);
    text_buf_t b = TEXT_BUF_INIT;
    ck_assert(srch_snippet_render(&b, NULL, 0, &s, NULL, SRCH_MARK_HTML));
    ck_assert_uint_eq(b.len, 0);
    text_buf_free(&b);
    srch_snippet_free(&s);
    srch_snippet_free(&s);   /* twice is harmless */
    srch_snippet_free(NULL);
    units_free(&us);
}
END_TEST

/* Units a caller got wrong (no stems, empty stem, NULL stem) match nothing and
 * break nothing. */
START_TEST(test_snippet_hostile_units)
{
    const char *empty[] = { "" };
    const char *null_stem[] = { "peac", NULL };
    const char *talk[] = { "talk" };
    srch_hl_unit_t units[] = {
        { SRCH_HL_TERM, NULL, 1, 0, 1, NULL, 0, false, NULL, 0 },
        { SRCH_HL_PREFIX, empty, 1, 1, 1, NULL, 0, false, NULL, 0 },
        { SRCH_HL_PHRASE, null_stem, 2, 2, 1, NULL, 0, false, NULL, 0 },
        { SRCH_HL_PHRASE, null_stem, 0, 3, 1, NULL, 0, false, NULL, 0 },
        { SRCH_HL_TERM, talk, 1, 4, -5, NULL, 0, false, NULL, 0 },
        { SRCH_HL_TERM, null_stem, 2, 5, 1e300, NULL, 0, false, NULL, 0 },   /* a TERM reads only stems[0] */
    };
    const char *p = "peace talks and more peace";
    srch_snippet_t s;

    ck_assert(srch_snippet_build(&s, an, p, strlen(p), units, 5, 2));
    check_invariants(&s, strlen(p), 5);
    ck_assert_uint_eq(s.n_matches_total, 1);   /* only the last unit works */
    srch_snippet_free(&s);

    /* A huge weight neither overflows nor hides the other units. */
    ck_assert(srch_snippet_build(&s, an, p, strlen(p), units, 6, 2));
    check_invariants(&s, strlen(p), 6);
    ck_assert_uint_eq(s.n_matches_total, 3);
    ck_assert_uint_eq(s.n_spans, 2);
    srch_snippet_free(&s);
}
END_TEST

/* Random mixes of words, white space, controls, invalid bytes and punctuation:
 * the invariants hold and the output is clean for every markup. */
START_TEST(test_snippet_hostile_fuzz)
{
#define P(lit) { lit, sizeof lit - 1 }
    static const struct { const char *s; size_t len; } pieces[] = {
        P("peace"), P("talks"), P("Peace"), P("TALKS"), P("talked"), P("the"), P("of"),
        P(" "), P("  "), P("\t"), P("\n"), P("\n\n"), P("."), P("!"), P("\xe2\x80\x9d"),
        P("**"), P("\033"), P("\033[31m"), P("\0"), P("\x01"), P("\x7f"), P("\xc2\x85"),
        P("\xc2\x9b"), P("\xe2\x80\xae"), P("\xe2\x81\xa6"), P("\xff"), P("\xc0"),
        P("\xe2\x82"), P("\xed\xa0\x80"), P("\xe0\x80\xaf"), P("\xf0\x80\x80\xaf"),
        P("\xf0\x9f\x98\x80"), P("\xf4\x90\x80\x80"), P("caf\xc3\xa9"), P("\xe6\x97\xa5\xe6\x9c\xac"),
        P("-"), P("'"), P("\xe2\x80\x99s"), P("U.S."), P("14,000"), P("<"), P("&"), P("\""),
    };
#undef P
    static const spec_t specs[] = { TERM_W("peace", 2), PHRASE("peace talks"),
                                    PREFIX("talk"), TERM_W("of", 0.5), { 0, NULL, 0, 0, 0, 0, 0 } };
    uint32_t seed = 12345;
    char buf[512];
    units_t us;

    units_make(&us, specs);
    for (int iter = 0; iter < 400; iter++) {
        size_t len = 0;
        seed = seed * 1103515245u + 12345u;
        size_t n_pieces = (seed >> 16) % 60;
        for (size_t i = 0; i < n_pieces; i++) {
            seed = seed * 1103515245u + 12345u;
            size_t k = (seed >> 16) % (sizeof pieces / sizeof pieces[0]);
            if (len + pieces[k].len > sizeof buf)
                break;
            memcpy(buf + len, pieces[k].s, pieces[k].len);
            len += pieces[k].len;
        }
        seed = seed * 1103515245u + 12345u;
        unsigned ctx = (seed >> 16) % 12;
        for (size_t k = 0; k < N_MARKUPS; k++) {
            char *out = snippet_n(buf, len, &us, ctx, all_markups[k]);
            assert_clean(out, strlen(out), all_markups[k]);
            free(out);
        }
    }
    units_free(&us);
}
END_TEST

Suite *make_snippet_suite(void)
{
    Suite *s = suite_create("snippet");
    TCase *tc;

    tc = tcase_create("match");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_snippet_match_rows, 0,
                        (int) (sizeof match_rows / sizeof match_rows[0]));
    tcase_add_test(tc, test_snippet_match_units_and_total);
    suite_add_tcase(s, tc);

    tc = tcase_create("window");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_snippet_window_rows, 0,
                        (int) (sizeof window_rows / sizeof window_rows[0]));
    tcase_add_test(tc, test_snippet_window_bytes);
    suite_add_tcase(s, tc);

    tc = tcase_create("render");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_snippet_render_rows, 0,
                        (int) (sizeof render_rows / sizeof render_rows[0]));
    tcase_add_test(tc, test_snippet_render_appends);
    suite_add_tcase(s, tc);

    tc = tcase_create("hostile");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_snippet_hostile_controls);
    tcase_add_test(tc, test_snippet_hostile_spans);
    tcase_add_test(tc, test_snippet_hostile_megabyte);
    tcase_add_test(tc, test_snippet_hostile_empty);
    tcase_add_test(tc, test_snippet_hostile_units);
    tcase_add_test(tc, test_snippet_hostile_fuzz);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(make_snippet_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
