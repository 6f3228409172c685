/*
 * snippet.c — finds where the query's units match a passage and picks the window
 * of it to show.
 *
 * The passage is re-tokenized with the same text/ analyzer that analysed the
 * query, so a unit's stem meets a token's stem exactly as the two met in the
 * index ("transferred" -> "transfer", "Russia’s" -> "russia"). Matching happens
 * inside the tokenizer callback, phrases through a small state vector each, so
 * stems never have to be copied. Matches that overlap are shown as one span,
 * and a window of a fixed number of tokens
 * slides over the passage to find the one whose distinct units weigh most.
 * Turning the result into marked-up text is render.c's job.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "snippet.h"

/*
 * Text outside the first or last token that a window reaching the edge of the
 * passage keeps ("**" of a Markdown heading, an opening quote). Longer runs are
 * junk (a rule of dashes, a blob of symbols) and are cut off instead.
 */
#define EDGE_KEEP_MAX 32

/* Closing punctuation taken along after a window's last token, and opening
 * punctuation before its first, at most this many characters each, so that
 * a run of dots cannot grow the window. */
#define EDGE_PUNCT_MAX 4

/* A repeated unit earns a tenth of its weight per repeat, for this many
 * repeats at most: a word said five times must not beat a second, rarer word. */
#define REPEAT_BONUS_MAX 3

typedef struct tok {
    size_t start, end;  /* byte range in the passage */
    unsigned flags;     /* TEXT_TOK_* */
    uint32_t pos;       /* position, as indexed: one is skipped between blocks */
} tok_t;

/* One place where a unit matches: tokens first..last, both included. */
typedef struct match {
    size_t first, last;
    unsigned unit;
    size_t id;          /* index in build_t.matches, kept through sorted copies */
} match_t;

typedef struct build {
    const srch_hl_unit_t *units;
    size_t n_units;
    size_t *stem_off;    /* unit u's stems are stem_len[stem_off[u] .. stem_off[u+1]) */
    size_t *stem_len;
    bool *usable;        /* the unit has stems to compare (NULL stems match nothing) */
    bool *live;          /* phrase state: live[off+k] = the last k+1 tokens match stems[0..k] */
    tok_t *toks;
    size_t n_toks, cap_toks;
    uint32_t next_pos;   /* the position after the last token's: a phrase goes on
                            only there, not across a block boundary */
    match_t *matches;    /* every match, in order of its last token */
    size_t n_matches, cap_matches;
} build_t;

static bool is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Whether text[from..to) holds something a reader would see, i.e. whether
 * leaving it out deserves an ellipsis. Control bytes are dropped by the
 * renderer, so they do not count. */
static bool has_ink(const char *text, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        unsigned char c = (unsigned char) text[i];
        if (c > ' ' && c != 0x7f)
            return true;
    }
    return false;
}

static bool push_match(build_t *b, size_t first, size_t last, size_t unit)
{
    match_t *grown = text_grow(b->matches, &b->cap_matches, b->n_matches + 1, sizeof *grown);
    if (!grown)
        return false;
    b->matches = grown;
    b->matches[b->n_matches] = (match_t) { first, last, (unsigned) unit, b->n_matches };
    b->n_matches++;
    return true;
}

static bool same(const char *s, size_t len, const char *t, size_t t_len)
{
    return len == t_len && memcmp(s, t, len) == 0;
}

static bool starts_with(const char *s, size_t len, const char *prefix, size_t p_len)
{
    return p_len <= len && memcmp(s, prefix, p_len) == 0;
}

/* Whether s[0..len) is one of the n sorted strings v. */
static bool listed(const char *const *v, size_t n, const char *s, size_t len)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, m_len = strlen(v[mid]);
        int c = memcmp(v[mid], s, m_len < len ? m_len : len);
        if (c == 0)
            c = (m_len > len) - (m_len < len);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Whether prefix unit u, with n usable stems of lengths len (NULL: measured
 * here), takes a token whose stem is stem[0..stem_len). */
static bool prefix_takes(const srch_hl_unit_t *u, size_t n, const size_t *len, const char *stem,
                         size_t stem_len)
{
    if (n == 0)
        return false;
    if (u->n_allowed ? listed(u->allowed, u->n_allowed, stem, stem_len)
                     : starts_with(stem, stem_len, u->stems[0],
                                   len ? len[0] : strlen(u->stems[0])))
        return true;
    for (size_t k = 1; k < n; k++)
        if (same(stem, stem_len, u->stems[k], len ? len[k] : strlen(u->stems[k])))
            return true;
    return false;
}

bool srch_hl_unit_takes(const srch_hl_unit_t *u, const char *stem)
{
    size_t n = u->stems ? u->n_stems : 0, stem_len = strlen(stem);
    if (u->kind == SRCH_HL_PREFIX)
        return prefix_takes(u, n, NULL, stem, stem_len);
    for (size_t k = 0; k < (u->kind == SRCH_HL_TERM && n > 1 ? 1 : n); k++)
        if (u->stems[k] && same(stem, stem_len, u->stems[k], strlen(u->stems[k])))
            return true;
    return false;
}

/* text_analyze() callback: record the token and every unit that ends on it.
 * A hyphenated word's compound ("cofounder" of "co-founder") is no token of
 * its own: a word unit that it matches covers its two parts, the last two
 * tokens; phrases and NEARs go from part to part, as in the index, where the
 * compound has no position. */
static int on_term(const text_term_t *term, void *payload)
{
    build_t *b = payload;
    const text_token_t *tok = term->tok;
    bool compound = term->compound;
    if (compound && b->n_toks < 2)
        return 0;
    size_t i = compound ? b->n_toks - 1 : b->n_toks;
    bool adjacent = false;
    if (!compound) {
        tok_t *grown = text_grow(b->toks, &b->cap_toks, i + 1, sizeof *grown);
        if (!grown)
            return 1;
        b->toks = grown;
        b->toks[i] = (tok_t) { tok->start, tok->end, tok->flags, tok->pos };
        b->n_toks++;
        adjacent = i > 0 && tok->pos == b->next_pos;
        b->next_pos = tok->pos + 1;
    }

    for (size_t u = 0; u < b->n_units; u++) {
        if (!b->usable[u]
            || (compound && (b->units[u].kind == SRCH_HL_PHRASE || b->units[u].near_only)))
            continue;
        const srch_hl_unit_t *unit = &b->units[u];
        const size_t *len = &b->stem_len[b->stem_off[u]];
        bool hit = false;
        size_t first = compound ? i - 1 : i;

        switch (unit->kind) {
        case SRCH_HL_TERM:
            hit = same(term->stem, term->stem_len, unit->stems[0], len[0]);
            break;
        case SRCH_HL_PREFIX:
            /* The index holds stems: a word whose stem does not start with
             * the prefix was not found by it, however it is spelt ("fly",
             * stem "fli", starts no stem of fly*), unless the search took
             * that stem too (stems[1...], those of the words the prefix
             * starts: "fli"). */
            hit = prefix_takes(unit, b->stem_off[u + 1] - b->stem_off[u], len, term->stem,
                               term->stem_len);
            break;
        case SRCH_HL_PHRASE: {
            /* live[k]: the phrase's first k+1 stems end at this token. Updated from
             * the longest prefix down so each entry still reads the previous
             * token's state. */
            bool *live = &b->live[b->stem_off[u]];
            size_t n = unit->n_stems;
            for (size_t k = n - 1; k > 0; k--)
                live[k] = adjacent && live[k - 1]
                          && same(term->stem, term->stem_len, unit->stems[k], len[k]);
            live[0] = same(term->stem, term->stem_len, unit->stems[0], len[0]);
            hit = live[n - 1];
            first = i - (n - 1);
            break;
        }
        }
        if (hit && !push_match(b, first, i, u))
            return 1;
    }
    return 0;
}

/* Set up the per-unit tables; units without usable stems are marked unusable
 * rather than rejected, so a caller's odd unit costs a highlight, not a snippet. */
static bool prepare_units(build_t *b)
{
    size_t total = 0;

    b->stem_off = calloc(b->n_units + 1, sizeof *b->stem_off);
    b->usable = calloc(b->n_units + 1, sizeof *b->usable);
    if (!b->stem_off || !b->usable)
        return false;
    for (size_t u = 0; u < b->n_units; u++) {
        const srch_hl_unit_t *unit = &b->units[u];
        size_t n = unit->stems ? unit->n_stems : 0;
        size_t max = unit->kind == SRCH_HL_TERM ? 1 : n;
        if (n > max)
            n = max;
        bool ok = n > 0 && (unit->kind == SRCH_HL_TERM || unit->kind == SRCH_HL_PREFIX
                            || unit->kind == SRCH_HL_PHRASE);
        for (size_t k = 0; ok && k < n; k++)
            ok = unit->stems[k] && unit->stems[k][0];
        b->usable[u] = ok;
        b->stem_off[u] = total;
        total += ok ? n : 0;
    }
    b->stem_off[b->n_units] = total;

    b->stem_len = calloc(total + 1, sizeof *b->stem_len);
    b->live = calloc(total + 1, sizeof *b->live);
    if (!b->stem_len || !b->live)
        return false;
    for (size_t u = 0; u < b->n_units; u++) {
        if (!b->usable[u])
            continue;
        for (size_t k = 0; k < b->stem_off[u + 1] - b->stem_off[u]; k++)
            b->stem_len[b->stem_off[u] + k] = strlen(b->units[u].stems[k]);
    }
    return true;
}

static void build_free(build_t *b)
{
    free(b->stem_off);
    free(b->stem_len);
    free(b->usable);
    free(b->live);
    free(b->toks);
    free(b->matches);
}

static int cmp_by_first(const void *pa, const void *pb)
{
    const match_t *a = pa, *b = pb;
    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    if (a->last != b->last)
        return a->last < b->last ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

/* A copy of the n matches m, sorted with cmp. NULL if memory ran out. */
static match_t *sorted_copy(const match_t *m, size_t n, int (*cmp)(const void *, const void *))
{
    match_t *copy = malloc((n ? n : 1) * sizeof *copy);
    if (!copy)
        return NULL;
    if (n > 0) {
        memcpy(copy, m, n * sizeof *copy);
        qsort(copy, n, sizeof *copy, cmp);
    }
    return copy;
}

/* How many items of NEAR id unit v is (0: none). */
static unsigned near_times(const srch_hl_unit_t *v, unsigned id)
{
    for (size_t k = 0; k < v->n_nears; k++)
        if (v->nears[k].id == id)
            return v->nears[k].times;
    return 0;
}

/* One NEAR of the query: the stretches of its window that hold all its items. */
typedef struct near_run {
    unsigned id;
    uint32_t window;
    size_t *starts;    /* first tokens of those stretches, ascending */
    size_t n_starts;
} near_run_t;

/* The last position of the stretch of window positions that starts at token s
 * (in 64 bits: a window may be as long as positions go). */
static uint64_t stretch_end(const build_t *b, size_t s, uint32_t window)
{
    return (uint64_t)b->toks[s].pos + window - 1;
}

/*
 * The stretches of r's window (r->window positions, as the search counts
 * them: a block boundary between two tokens is a position of its own) that
 * hold a match of each of its items, a unit that is two items twice, into
 * r->starts: as the search asks of a NEAR or a chain. A stretch that holds
 * them can start at the first of its matches, so the starts tried are those
 * of the items' matches; one sweep, as in choose_window(): a match enters
 * when the stretch's end reaches its last token and leaves when the start
 * passes its first (positions grow with tokens). by_first: the matches sorted
 * by first token. False if memory ran out.
 */
static bool near_stretches(const build_t *b, const match_t *by_first, near_run_t *r)
{
    size_t m = b->n_matches, n_items = 0, satisfied = 0;
    unsigned *need = calloc(b->n_units + 1, sizeof *need);
    size_t *count = calloc(b->n_units + 1, sizeof *count);
    bool *inside = calloc(m + 1, sizeof *inside);
    r->starts = malloc((m ? m : 1) * sizeof *r->starts);
    r->n_starts = 0;
    bool ok = need && count && inside && r->starts;
    for (size_t v = 0; ok && v < b->n_units; v++)
        n_items += (need[v] = near_times(&b->units[v], r->id)) > 0;
    const match_t *mt = b->matches; /* sorted by last token */
    for (size_t i = 0, in_i = 0, out_i = 0; ok && i < m; i++) {
        size_t s = by_first[i].first;
        if (!need[by_first[i].unit] || (r->n_starts && r->starts[r->n_starts - 1] == s))
            continue;
        uint64_t e = stretch_end(b, s, r->window);
        for (; out_i < m && by_first[out_i].first < s; out_i++) {
            size_t j = by_first[out_i].id;
            if (inside[j]) {
                inside[j] = false;
                satisfied -= count[mt[j].unit]-- == need[mt[j].unit];
            }
        }
        for (; in_i < m && b->toks[mt[in_i].last].pos <= e; in_i++) {
            if (need[mt[in_i].unit] && mt[in_i].first >= s) {
                inside[in_i] = true;
                satisfied += ++count[mt[in_i].unit] == need[mt[in_i].unit];
            }
        }
        if (n_items && satisfied == n_items)
            r->starts[r->n_starts++] = s;
    }
    free(need);
    free(count);
    free(inside);
    return ok;
}

/* Whether one of r's stretches holds match m: one that starts at a token
 * between the first whose stretch reaches m->last and m->first. */
static bool in_stretch(const build_t *b, const near_run_t *r, const match_t *m)
{
    uint64_t last = b->toks[m->last].pos;
    size_t a = 0, z = r->n_starts; /* the first start whose stretch reaches last */
    while (a < z) {
        size_t mid = a + (z - a) / 2;
        if (stretch_end(b, r->starts[mid], r->window) < last)
            a = mid + 1;
        else
            z = mid;
    }
    return a < r->n_starts && r->starts[a] <= m->first;
}

/* A unit that is only an item of NEARs matches only where a stretch of one
 * of them holds all its items, as the search did: "Moscow NEAR/3 summit"
 * marks no Moscow that is far from a summit, and "Taliban NEAR/1 Taliban" no
 * Taliban alone. */
static void drop_lone_near_matches(build_t *b)
{
    size_t n_runs = 0;
    for (size_t u = 0; u < b->n_units; u++)
        n_runs += b->units[u].near_only ? b->units[u].n_nears : 0;
    if (n_runs == 0)
        return;
    /* The NEARs of those units, each once (a few: a linear search will do). */
    near_run_t *runs = calloc(n_runs, sizeof *runs);
    match_t *by_first = sorted_copy(b->matches, b->n_matches, cmp_by_first);
    bool *keep = malloc((b->n_matches ? b->n_matches : 1) * sizeof *keep);
    bool ok = runs && by_first && keep;
    n_runs = 0;
    for (size_t u = 0; ok && u < b->n_units; u++) {
        const srch_hl_unit_t *unit = &b->units[u];
        for (size_t k = 0; ok && unit->near_only && k < unit->n_nears; k++) {
            size_t r = 0;
            while (r < n_runs && runs[r].id != unit->nears[k].id)
                r++;
            if (r == n_runs) {
                runs[n_runs].id = unit->nears[k].id;
                runs[n_runs].window = unit->nears[k].window;
                ok = near_stretches(b, by_first, &runs[n_runs++]);
            }
        }
    }
    /* Decide on the whole list first, then compact it: a match dropped early
     * may still be the partner of a later one. Out of memory, highlight too
     * much rather than fail the search. */
    for (size_t i = 0; ok && i < b->n_matches; i++) {
        const match_t *m = &b->matches[i];
        const srch_hl_unit_t *unit = &b->units[m->unit];
        keep[i] = !unit->near_only || unit->n_nears == 0;
        for (size_t r = 0; !keep[i] && r < n_runs; r++)
            keep[i] = near_times(unit, runs[r].id) && in_stretch(b, &runs[r], m);
    }
    size_t n = 0;
    for (size_t i = 0; ok && i < b->n_matches; i++)
        if (keep[i]) {
            b->matches[n] = b->matches[i];
            b->matches[n].id = n;
            n++;
        }
    if (ok)
        b->n_matches = n;
    for (size_t r = 0; runs && r < n_runs; r++)
        free(runs[r].starts);
    free(runs);
    free(by_first);
    free(keep);
}

/*
 * The spans to highlight, from the matches m[0..n) sorted by first token that
 * lie within tokens lo..hi: matches that share a token become one span over
 * all of them, so that every matched word is marked ("red apple" and "apple
 * pie" over "red apple pie" mark the three words, not one phrase and a plain
 * word). A span takes the unit (the colour) of its longest match, the
 * earliest of equals: a phrase rather than a word inside it. Writes them to
 * out (room for n), sorted, no two sharing a token; returns how many.
 */
static size_t merge_spans(const match_t *m, size_t n, size_t lo, size_t hi, match_t *out)
{
    size_t k = 0, longest = 0;
    for (size_t i = 0; i < n; i++) {
        if (m[i].first < lo || m[i].last > hi)
            continue;
        size_t len = m[i].last - m[i].first;
        if (k > 0 && m[i].first <= out[k - 1].last) {
            match_t *g = &out[k - 1];
            if (m[i].last > g->last)
                g->last = m[i].last;
            if (len > longest) {
                longest = len;
                g->unit = m[i].unit;
            }
            continue;
        }
        out[k++] = m[i];
        longest = len;
    }
    return k;
}

/* A unit's weight as integer points, so that sums compare exactly and equal
 * windows really tie. NaN, zero and negative weights (an IDF of a word found
 * everywhere) still earn a point: the word is worth showing, just least. */
static int64_t unit_points(double w)
{
    if (!(w > 0.001))
        return 1;
    if (w > 1e6)
        w = 1e6;
    return (int64_t) (w * 1000.0 + 0.5);
}

/* What the count-th match of a unit adds to a window's score: a repeat
 * earns at least a point, also for a unit found nearly everywhere (a
 * wildcard's many words), so that the window with more of it still wins. */
static int64_t gain(int64_t points, size_t count)
{
    if (count == 1)
        return points;
    if (count - 1 > REPEAT_BONUS_MAX)
        return 0;
    return points >= 10 ? points / 10 : 1;
}

/* Whether cp, not ASCII, joins the parts of a word as a hyphen or a dot
 * does: the Unicode hyphens and the en dash ("non‑OPEC", "Russia–Ukraine",
 * "2018–2022"), the middle dot ("col·lecció") and the hyphenation point, the
 * katakana middle dot ("ジョン・スミス"), the full-width hyphen-minus and the
 * fraction slash ("7⁄8"). */
static bool joins_parts(uint32_t cp)
{
    return (cp >= 0x2010 && cp <= 0x2013) || cp == 0x00B7 || cp == 0x2027 || cp == 0x30FB
           || cp == 0xFF0D || cp == 0x2044;
}

/* Whether tokens k and k + 1 are parts of one written word, joined by a
 * little punctuation (three characters at most) and no space: "non-OPEC",
 * "7-3/4", "DAIG.F", "non‑OPEC". Chinese and Japanese characters touch with
 * nothing between them, and each is a word of its own: they are not parts. */
static bool joined(const build_t *b, const char *text, size_t k)
{
    if ((b->toks[k].flags | b->toks[k + 1].flags) & TEXT_TOK_IDEO)
        return false;
    size_t from = b->toks[k].end, to = b->toks[k + 1].start, chars = 0;
    for (size_t i = from, n; i < to; i += n, chars++) {
        /* A character reference is the character it names ("AT&amp;T"). */
        uint32_t cp;
        if ((n = text_char_ref(text, to, i, &cp)) == 0) {
            cp = (unsigned char)text[i];
            n = cp < 0x80 ? 1 : text_utf8_decode(text + i, to - i, &cp);
        }
        if (chars == 3 || n == 0 || (cp < 0x80 ? is_blank((unsigned char)cp) : !joins_parts(cp)))
            return false;
    }
    return true;
}

/* Parts of a joined word a window takes in past its edge, each way. */
#define JOINED_MAX 4

/* Move the window's edges, first and last (tokens), out past the parts of a
 * joined word that either cuts, up to JOINED_MAX parts each way. */
static void take_in_joined(const build_t *b, const char *text, size_t *first, size_t *last)
{
    for (size_t k = 0; k < JOINED_MAX && *first > 0 && joined(b, text, *first - 1); k++)
        (*first)--;
    for (size_t k = 0; k < JOINED_MAX && *last + 1 < b->n_toks && joined(b, text, *last); k++)
        (*last)++;
}

/* Whether token k opens a sentence or a paragraph. */
static bool sentence_start(const build_t *b, const char *text, size_t k)
{
    if (k == 0 || (b->toks[k - 1].flags & TEXT_TOK_SENTENCE_END))
        return true;
    size_t newlines = 0;
    for (size_t i = b->toks[k - 1].end; i < b->toks[k].start; i++)
        if (text[i] == '\n' && ++newlines == 2)
            return true;
    return false;
}

/*
 * First token of the best window of w tokens (w < number of tokens). Windows are
 * scored by sliding: a match enters when the window's end reaches its last
 * token and leaves when the start passes its first, so the whole pass is linear
 * after sorting. All matches count, those hidden under a longer overlapping span
 * too: a term inside a shown phrase is on screen all the same. The earliest best
 * window decides which matches are shown; the window is then moved, as far as
 * those matches stay inside, to centre them, or to the nearest sentence start if
 * one is in reach (all those windows score the same; near the passage's end,
 * the window may then be cut short by it). by_first: the matches sorted by
 * first token.
 */
static bool choose_window(const build_t *b, const match_t *by_first, const char *text, size_t w,
                          size_t *start)
{
    size_t n = b->n_toks, m = b->n_matches;
    const match_t *mt = b->matches;
    bool *inside = calloc(m + 1, sizeof *inside);
    size_t *count = calloc(b->n_units + 1, sizeof *count);
    int64_t *points = malloc((b->n_units + 1) * sizeof *points);

    if (!inside || !count || !points) {
        free(inside);
        free(count);
        free(points);
        return false;
    }
    for (size_t u = 0; u < b->n_units; u++)
        points[u] = unit_points(b->units[u].weight);

    int64_t score = 0, best = 0;
    size_t best_s = 0, in_i = 0, out_i = 0;
    for (size_t s = 0; s + w <= n; s++) {
        size_t e = s + w - 1;
        for (; out_i < m && by_first[out_i].first < s; out_i++) {
            size_t j = by_first[out_i].id;
            if (inside[j]) {
                score -= gain(points[mt[j].unit], count[mt[j].unit]--);
                inside[j] = false;
            }
        }
        /* Matches come in order of their last token. */
        for (; in_i < m && mt[in_i].last <= e; in_i++) {
            if (mt[in_i].first >= s) {
                score += gain(points[mt[in_i].unit], ++count[mt[in_i].unit]);
                inside[in_i] = true;
            }
        }
        if (score > best) {
            best = score;
            best_s = s;
        }
    }

    *start = best_s;
    if (best > 0) {
        size_t f = n, l = 0;
        for (size_t j = 0; j < m; j++) {
            if (mt[j].first >= best_s && mt[j].last < best_s + w) {
                if (mt[j].first < f)
                    f = mt[j].first;
                if (mt[j].last > l)
                    l = mt[j].last;
            }
        }
        /* Every start in [lo, hi] keeps f..l inside, so scores at least as
         * well. A sentence start up to hi_short is taken too: the window
         * then ends with the passage, up to a third shorter, rather than
         * start in mid-sentence or leave the end of the matches' sentence
         * out. */
        size_t lo = l + 1 > w ? l + 1 - w : 0;
        size_t hi = f < n - w ? f : n - w;
        size_t hi_short = n - (w - w / 3);
        if (hi_short > f)
            hi_short = f;
        if (hi_short < hi)
            hi_short = hi;
        size_t slack = w - (l - f + 1);
        size_t centre = f > slack / 2 ? f - slack / 2 : 0;
        if (centre < lo)
            centre = lo;
        if (centre > hi_short)
            centre = hi_short;
        size_t pick = centre < hi ? centre : hi, dist = (size_t) -1;
        for (size_t k = lo; k <= hi_short; k++) {
            size_t d = k < centre ? centre - k : k - centre;
            /* the later of two as near: more of the matches' sentence shows */
            if (d <= dist && sentence_start(b, text, k)) {
                pick = k;
                dist = d;
            }
        }
        *start = pick;
    }
    free(inside);
    free(count);
    free(points);
    return true;
}

/* ASCII punctuation that may close (or open) what a window's last (or
 * first) word stands in. */
static const char closing_ascii[] = ".!?;:)]}>\"'*_`";
static const char opening_ascii[] = "\"'([{<*_`";

/* Length of the closing punctuation character at s[0..len) (".", "”", ")", the
 * "**" of emphasis..., a character reference to one, "&rdquo;", or a
 * backslash escape of one, "\)"), 0 if there is none. */
static size_t closing_punct(const char *s, size_t len)
{
    uint32_t cp;
    size_t ref = text_char_ref(s, len, 0, &cp);
    if (ref) {
        char u[4];
        size_t n = text_utf8_encode(cp, u);
        return closing_punct(u, n) == n ? ref : 0;
    }
    static const char *const multi[] = {
        "\xe2\x80\x9d", /* ” */
        "\xe2\x80\x99", /* ’ */
        "\xe2\x80\xa6", /* … */
        "\xc2\xbb",     /* » */
    };
    if (len == 0)
        return 0;
    if (s[0] != '\0' && strchr(closing_ascii, s[0]))
        return 1;
    if (s[0] == '\\' && len > 1 && s[1] != '\0' && strchr(closing_ascii, s[1]))
        return 2;
    for (size_t i = 0; i < sizeof multi / sizeof multi[0]; i++) {
        size_t n = strlen(multi[i]);
        if (n <= len && memcmp(s, multi[i], n) == 0)
            return n;
    }
    return 0;
}

/* Longest character reference looked for before a window's first word. */
#define REF_BACK_MAX 32

/* Length of the opening punctuation character that ends just before s[at],
 * after s[from] ('"', "(", "“", the "**" of emphasis, the "<" or "</" of an
 * HTML tag whose name is the word after it; a backslash escape of one, "\(",
 * or a character reference to one, "&ldquo;"), 0 if there is none. */
static size_t opening_punct_before(const char *s, size_t from, size_t at)
{
    static const char *const multi[] = {
        "\xe2\x80\x9c", /* “ */
        "\xe2\x80\x98", /* ‘ */
        "\xc2\xab",     /* « */
    };
    if (at == from)
        return 0;
    char c = s[at - 1];
    if (c != '\0' && strchr(opening_ascii, c))
        return at - 1 > from && s[at - 2] == '\\' ? 2 : 1;
    if (c == '/' && at - 1 > from && s[at - 2] == '<')
        return 2;
    if (c == ';') {
        size_t k = at - 1, stop = at - from > REF_BACK_MAX ? at - REF_BACK_MAX : from;
        while (k > stop && s[k] != '&')
            k--;
        uint32_t cp;
        if (s[k] == '&' && text_char_ref(s, at, k, &cp) == at - k) {
            char u[4];
            size_t n = text_utf8_encode(cp, u);
            return opening_punct_before(u, 0, n) == n ? at - k : 0;
        }
    }
    for (size_t i = 0; i < sizeof multi / sizeof multi[0]; i++) {
        size_t n = strlen(multi[i]);
        if (n <= at - from && memcmp(s + at - n, multi[i], n) == 0)
            return n;
    }
    return 0;
}

static size_t trim_start(const char *text, size_t from, size_t to)
{
    while (from < to && is_blank((unsigned char) text[from]))
        from++;
    return from;
}

static size_t trim_end(const char *text, size_t from, size_t to)
{
    while (to > from && is_blank((unsigned char) text[to - 1]))
        to--;
    return to;
}

/* Byte range of the window of tokens s..e, both included. */
static void window_bytes(const build_t *b, const char *text, size_t len, size_t s, size_t e,
                         srch_snippet_t *out)
{
    size_t n = b->n_toks;
    size_t start = b->toks[s].start, end = b->toks[e].end;

    size_t lead = s == 0 ? trim_start(text, 0, start) : start;
    if (s == 0 && start - lead <= EDGE_KEEP_MAX) {
        start = lead;
    } else {
        size_t limit = s > 0 ? b->toks[s - 1].end : 0;
        for (size_t i = 0, c; i < EDGE_PUNCT_MAX && (c = opening_punct_before(text, limit, start)); i++)
            start -= c;
    }
    size_t tail = e + 1 == n ? trim_end(text, end, len) : end;
    if (e + 1 == n && tail - end <= EDGE_KEEP_MAX) {
        end = tail;
    } else {
        size_t limit = e + 1 < n ? b->toks[e + 1].start : len;
        for (size_t i = 0, c; i < EDGE_PUNCT_MAX && (c = closing_punct(text + end, limit - end)); i++)
            end += c;
    }
    out->start = start;
    out->end = end;
    out->cut_before = has_ink(text, 0, start);
    out->cut_after = has_ink(text, end, len);
}

/* Gathers the passage's markup (text_markup_ranges()). */
typedef struct hiding {
    srch_snippet_t *out;
    size_t cap;
} hiding_t;

static int hide_range(size_t start, size_t end, uint32_t shown, void *payload)
{
    hiding_t *h = payload;
    srch_snippet_t *out = h->out;
    if (out->n_hidden == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 16;
        srch_range_t *r = realloc(out->hidden, cap * sizeof *r);
        if (!r)
            return -1;
        out->hidden = r;
        h->cap = cap;
    }
    out->hidden[out->n_hidden++] = (srch_range_t) { start, end, shown };
    return 0;
}

/* Whether text[from..to) holds something a reader would see once its
 * markup (s's hidden ranges) is left out, or shown as the characters it
 * stands for. */
static bool has_ink_shown(const char *text, size_t from, size_t to, const srch_snippet_t *s)
{
    size_t h = 0;
    for (size_t p = from; p < to;) {
        while (h < s->n_hidden && s->hidden[h].end <= p)
            h++;
        if (h < s->n_hidden && s->hidden[h].start <= p) {
            if (s->hidden[h].shown > ' ' && s->hidden[h].shown != 0x7f)
                return true;            /* a character reference's */
            p = s->hidden[h].end;
            continue;
        }
        size_t next = h < s->n_hidden && s->hidden[h].start < to ? s->hidden[h].start : to;
        if (has_ink(text, p, next))
            return true;
        p = next;
    }
    return false;
}

bool srch_snippet_build(srch_snippet_t *out, text_analyzer_t *a, const char *text,
                        size_t len, const srch_hl_unit_t *units, size_t n_units,
                        unsigned context_words)
{
    return srch_snippet_build_in(out, a, text, len, NULL, units, n_units, context_words);
}

bool srch_snippet_build_in(srch_snippet_t *out, text_analyzer_t *a, const char *text,
                           size_t len, const text_open_fence_t *open,
                           const srch_hl_unit_t *units, size_t n_units, unsigned context_words)
{
    build_t b = { 0 };
    match_t *kept = NULL; /* the matches, by first token */
    bool ok = false;

    memset(out, 0, sizeof *out);
    if (!text)
        len = 0;
    if (!units)
        n_units = 0;
    b.units = units;
    b.n_units = n_units;
    if (!prepare_units(&b))
        goto done;
    if (a && len > 0 && text_analyze_in(a, text, len, 0, open, on_term, &b) != 0)
        goto done;
    drop_lone_near_matches(&b);
    if (!(kept = sorted_copy(b.matches, b.n_matches, cmp_by_first)))
        goto done;

    /* A match longer than the window (a phrase, or a word typed solid that
     * matches both parts of a hyphenated one, "cofounder" of "co-founder")
     * could never be shown whole: the window takes the longest in. */
    size_t w = context_words;
    for (size_t i = 0; w > 0 && i < b.n_matches; i++)
        if (b.matches[i].last - b.matches[i].first + 1 > w)
            w = b.matches[i].last - b.matches[i].first + 1;

    size_t first = 0, last = b.n_toks ? b.n_toks - 1 : 0;
    if (w == 0 || b.n_toks <= w) {
        out->start = trim_start(text, 0, len);
        out->end = trim_end(text, out->start, len);
    } else {
        if (!choose_window(&b, kept, text, w, &first))
            goto done;
        last = first + w - 1 < b.n_toks ? first + w - 1 : b.n_toks - 1;
        /* A word cut at the window's edge could say the opposite ("OPEC"
         * out of "non-OPEC", "7" out of "7-3/4"): its parts come in whole.
         * Nor is a phrase shown in part, unmarked: one across an edge comes
         * in whole ("经济政" of 经济政策, its characters touching). Taking
         * one in can put another, or a joined word, across the new edge:
         * repeat until none is. */
        take_in_joined(&b, text, &first, &last);
        for (bool grew = true; grew;) {
            grew = false;
            for (size_t i = 0; i < b.n_matches; i++) {
                const match_t *mt = &b.matches[i];
                if (units[mt->unit].kind != SRCH_HL_PHRASE)
                    continue;
                if (mt->first < first && mt->last >= first) {
                    first = mt->first;
                    grew = true;
                }
                if (mt->first <= last && mt->last > last) {
                    last = mt->last;
                    grew = true;
                }
            }
            if (grew)
                take_in_joined(&b, text, &first, &last);
        }
        window_bytes(&b, text, len, first, last, out);
    }

    /* Shown: the matches inside the window, merged. Counted: those, and the
     * spans of the whole passage that lie outside the window. */
    match_t *spans = malloc((b.n_matches ? b.n_matches : 1) * sizeof *spans);
    out->spans = malloc((b.n_matches ? b.n_matches : 1) * sizeof *out->spans);
    if (!spans || !out->spans) {
        free(spans);
        goto done;
    }
    size_t n_whole = merge_spans(kept, b.n_matches, 0, SIZE_MAX, spans), outside = 0;
    for (size_t i = 0; i < n_whole; i++)
        outside += b.n_toks == 0 || spans[i].last < first || spans[i].first > last;
    size_t n_spans = b.n_toks ? merge_spans(kept, b.n_matches, first, last, spans) : 0;
    for (size_t i = 0; i < n_spans; i++)
        out->spans[out->n_spans++] = (srch_span_t) {
            b.toks[spans[i].first].start, b.toks[spans[i].last].end, spans[i].unit
        };
    out->n_matches_total = out->n_spans + outside;
    free(spans);
    /* Markup is not shown, and text outside the window that is only markup
     * ("](https://...)" after its last word) is no cut. */
    hiding_t hiding = { out, 0 };
    if (len > 0 && text_markup_ranges(text, len, open, hide_range, &hiding) != 0)
        goto done;
    out->cut_before = out->cut_before && has_ink_shown(text, 0, out->start, out);
    out->cut_after = out->cut_after && has_ink_shown(text, out->end, len, out);
    if (n_units > 0) {
        if (!(out->unit_found = calloc(n_units, sizeof *out->unit_found)))
            goto done;
        for (size_t i = 0; i < b.n_matches; i++)
            out->unit_found[b.matches[i].unit] = true;
    }
    ok = true;
done:
    free(kept);
    build_free(&b);
    if (!ok)
        srch_snippet_free(out);
    return ok;
}

void srch_snippet_free(srch_snippet_t *s)
{
    if (!s)
        return;
    free(s->spans);
    free(s->hidden);
    free(s->unit_found);
    memset(s, 0, sizeof *s);
}
