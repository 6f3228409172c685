/*
 * main.c — passim-search's command line: options, --help, --version, the
 * defaults that depend on the mode, and the single-query run with grep-like
 * exit statuses. Searching is search.c's work, printing output.c's, batches
 * batch.c's and run comparison report.c's.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "eval.h"
#include "searcher.h"
#include "strset.h"
#include "spell.h"

#define MAX_DBS 64

static void usage(FILE *f)
{
    fputs(
"Usage: passim-search [OPTION]... QUERY...\n"
"  or:  passim-search --batch FILE [OPTION]...\n"
"  or:  passim-search --compare RUN_A RUN_B --qrels FILE\n"
"Search a passim index; print the best passages with highlighted snippets.\n"
"The words of QUERY are joined by spaces. An argument starting with one '-' is\n"
"a query word (-word excludes it) unless it is a short option below, alone or\n"
"with its value attached: -n5, -C10, -j2, -fjson, -dDIR (DIR with a '/' or an\n"
"existing folder). Long options go anywhere; after '--' all are query words.\n"
"\n"
"Query language (see passim-search(1)):\n"
"  word            stemmed: talk finds talks, talked, talking\n"
"  \"a phrase\"      the words in this order (stemmed)\n"
"  +word -word     required / excluded\n"
"  a AND b, a OR b, a NOT b, ( )   boolean operators (upper case)\n"
"  a NEAR/n b      within n words of each other\n"
"  prefix*         any word that starts with prefix (and its forms)\n"
"  title:word      in the article's title\n"
"\n"
"Options:\n"
"  -d, --db DIR         index folder (default: $PASSIM_DB, else ./passim.db);\n"
"                       repeat to search several indexes together\n"
"      --all            every word must match\n"
"      --any            any word may match, ranked\n"
"      --auto           all words, and any word when no passage has them all\n"
"                       (the default, except in --batch: --any)\n"
"  -n, --limit N        show at most N results, N at least 1 (default 10; 1000\n"
"                       for TREC runs and --qrels)\n"
"      --offset K       skip the first K results (paging)\n"
"      --per-doc N      at most N passages per article (default 2; 0: no limit)\n"
"  -C, --context N      snippet of about N words (default 30; 0: whole passage)\n"
"      --no-stopwords   search every word, also 'the', 'of'... (english indexes)\n"
"  -f, --format FMT     text (default), json, or trec (with --batch)\n"
"      --vimgrep        one line per hit: path:line:column:snippet (not with\n"
"                       --format)\n"
"      --color WHEN     auto (default), always or never; NO_COLOR is honoured\n"
"                       (--colour too)\n"
"      --highlight H    ansi, html, markdown, plain or none (default: ansi\n"
"                       with colour, html for json, none for --vimgrep without\n"
"                       colour, else plain)\n"
"      --explain        show the parsed query, term statistics and, per hit, the\n"
"                       matched terms\n"
"      --feedback N     rank with pseudo-relevance feedback from the best N\n"
"                       articles (default 2; 0 turns it off)\n"
"      --bm25 K1,B      BM25 parameters (default 1.2,0.75)\n"
"  -h, --help           show this help and exit\n"
"  -V, --version        show the version and exit\n"
"\n"
"Batches (one query per line: 'qid<TAB>query', or the query alone, its id then\n"
"the line number; blank lines and lines starting with # are skipped):\n"
"      --batch FILE     answer every query of FILE ('-': standard input) with\n"
"                       one open index; words combine as with --any unless\n"
"                       --all or --auto is given; a bad query is reported with\n"
"                       its line and id, and the batch goes on; a summary\n"
"                       (failures, latency, queries/s) ends it on stderr\n"
"                       (json: one object per line, with \"qid\"; trec: run lines\n"
"                       'qid Q0 docid rank score tag')\n"
"      --level L        doc: rank articles by their best passage (default for\n"
"                       trec and --qrels); passage: rank passages (TREC ids\n"
"                       docid#n; the default otherwise)\n"
"      --run-tag NAME   last field of TREC lines (default passim)\n"
"      --qrels FILE     score the run against TREC qrels ('qid 0 docid gain'):\n"
"                       nDCG@10, MAP, P@10, R@100 and MRR, on stderr\n"
"      --metrics-only   print the metrics on stdout, and not the run\n"
"      --per-query      with --qrels: each query's metrics too\n"
"  -j, --jobs N         answer on N threads (default: the number of CPUs, at\n"
"                       most 8); same output\n"
"      --progress       show how many queries are done on stderr (default: when\n"
"                       stderr is a terminal and stdout is not, after 0.5 s)\n"
"      --no-progress    never show it\n"
"      --compare RUN_A RUN_B   with --qrels, no index: both TREC runs' metrics,\n"
"                       per-query wins/ties/losses of B against A on nDCG@10\n"
"                       and AP, paired randomisation and t-test p-values\n"
"\n"
"Exit status: 0 results found, 1 none, 2 error (bad query, missing index...).\n"
"With --batch: 2 if any query failed, else 0 if any query found something.\n", f);
}

static bool parse_uint(const char *opt, const char *s, unsigned long min, unsigned long max,
                       uint32_t *out)
{
    unsigned long n;
    if (!text_parse_count(s, max, &n)) {
        fprintf(stderr, "passim-search: %s: not a number from %lu to %lu: %s\n", opt, min, max,
                s);
        return false;
    }
    if (n < min) {
        fprintf(stderr, "passim-search: %s: at least %lu\n", opt, min);
        return false;
    }
    *out = (uint32_t)n;
    return true;
}

static bool parse_markup(const char *s, srch_markup_t *out)
{
    static const struct { const char *name; srch_markup_t m; } names[] = {
        { "ansi", SRCH_MARK_ANSI }, { "html", SRCH_MARK_HTML },
        { "markdown", SRCH_MARK_MARKDOWN }, { "plain", SRCH_MARK_PLAIN },
        { "none", SRCH_MARK_NONE },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].m;
            return true;
        }
    fprintf(stderr, "passim-search: --highlight: expected ansi, html, markdown, plain or none: %s\n",
            s);
    return false;
}

static void write_all(const text_buf_t *b, FILE *f)
{
    if (b->len)
        fwrite(b->data, 1, b->len, f);
}

/* b, which repeats words of the query as typed (notes, --explain), to f fit
 * for a terminal: text_safe_append() drops what could drive it or disguise
 * the text (escapes, controls, bidi overrides). */
static void write_safe(const text_buf_t *b, FILE *f)
{
    text_buf_t safe = TEXT_BUF_INIT;
    if (b->len && !text_safe_append(&safe, b->data, b->len, false))
        fputs("passim-search: out of memory\n", stderr);
    else
        write_all(&safe, f);
    text_buf_free(&safe);
}

/* Everything the command line says, before defaults that depend on the mode
 * (single query, batch, compare) are settled. */
typedef struct cli {
    const char *dbs[MAX_DBS];
    size_t n_dbs;
    srch_settings_t s;
    srch_print_opts_t po;
    const char *color;
    bool markup_set, mode_set, limit_set, per_doc_set, level_set, jobs_set;
    srch_level_t level;
    const char *batch, *compare, *qrels, *run_tag;
    bool metrics_only, per_query;
    uint32_t jobs;
    srch_progress_t progress;
    bool progress_set;
    bool format_set, vimgrep;
    text_buf_t typos; /* notes on query words that look like an option with a
                       * mistyped value, given once the query is searched */
} cli_t;

#define CLI_CONTINUE (-1)

/* The short options; a ':' follows those that take a value. */
#define SHORT_OPTS "d:n:C:f:j:hV"

enum { OPT_ALL = 256, OPT_ANY, OPT_AUTO, OPT_OFFSET, OPT_PER_DOC, OPT_NO_STOP, OPT_VIMGREP,
       OPT_COLOR, OPT_HIGHLIGHT, OPT_EXPLAIN, OPT_BATCH, OPT_LEVEL, OPT_RUN_TAG, OPT_QRELS,
       OPT_METRICS_ONLY, OPT_PER_QUERY, OPT_COMPARE, OPT_FEEDBACK, OPT_BM25, OPT_PROGRESS,
       OPT_NO_PROGRESS };

static const struct option longopts[] = {
    { "db", required_argument, NULL, 'd' },
    { "all", no_argument, NULL, OPT_ALL },
    { "any", no_argument, NULL, OPT_ANY },
    { "auto", no_argument, NULL, OPT_AUTO },
    { "limit", required_argument, NULL, 'n' },
    { "offset", required_argument, NULL, OPT_OFFSET },
    { "per-doc", required_argument, NULL, OPT_PER_DOC },
    { "context", required_argument, NULL, 'C' },
    { "no-stopwords", no_argument, NULL, OPT_NO_STOP },
    { "format", required_argument, NULL, 'f' },
    { "vimgrep", no_argument, NULL, OPT_VIMGREP },
    { "color", required_argument, NULL, OPT_COLOR },
    { "colour", required_argument, NULL, OPT_COLOR },
    { "highlight", required_argument, NULL, OPT_HIGHLIGHT },
    { "explain", no_argument, NULL, OPT_EXPLAIN },
    { "feedback", required_argument, NULL, OPT_FEEDBACK },
    { "bm25", required_argument, NULL, OPT_BM25 },
    { "batch", required_argument, NULL, OPT_BATCH },
    { "level", required_argument, NULL, OPT_LEVEL },
    { "run-tag", required_argument, NULL, OPT_RUN_TAG },
    { "qrels", required_argument, NULL, OPT_QRELS },
    { "metrics-only", no_argument, NULL, OPT_METRICS_ONLY },
    { "per-query", no_argument, NULL, OPT_PER_QUERY },
    { "jobs", required_argument, NULL, 'j' },
    { "progress", no_argument, NULL, OPT_PROGRESS },
    { "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
    { "compare", required_argument, NULL, OPT_COMPARE },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
};

/* Whether the long option arg ("--name", "--name=value", or an abbreviation
 * of name) takes the next argument as its value. An unknown name takes none,
 * nor does an abbreviation of options that differ in this: getopt_long()
 * reports them. */
static bool long_takes_next(const char *arg)
{
    const char *name = arg + 2;
    size_t len = strcspn(name, "=");
    if (name[len] == '=')
        return false;
    int has_arg = -1; /* what the options that name abbreviates agree on */
    for (const struct option *o = longopts; o->name; o++) {
        if (strncmp(o->name, name, len) != 0)
            continue;
        if (o->name[len] == '\0')
            return o->has_arg == required_argument;
        has_arg = has_arg == -1 || has_arg == o->has_arg ? o->has_arg : -2;
    }
    return has_arg == required_argument;
}

/* The values of --format. */
static const struct {
    const char *name;
    srch_format_t format;
} formats[] = {
    { "text", SRCH_FMT_TEXT },
    { "json", SRCH_FMT_JSON },
    { "trec", SRCH_FMT_TREC },
};

/* The format named name, or -1. */
static int format_named(const char *name)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(name, formats[i].name) == 0)
            return (int)formats[i].format;
    return -1;
}

/* Whether v, attached to the short option opt ("-n5"), looks like its value
 * rather than the rest of a query word. */
static bool plausible_value(char opt, const char *v)
{
    struct stat st;
    switch (opt) {
    case 'n':
    case 'C':
    case 'j':
        return strspn(v, "0123456789") == strlen(v);
    case 'f':
        return format_named(v) >= 0;
    case 'd':
        return strchr(v, '/') || (stat(v, &st) == 0 && S_ISDIR(st.st_mode));
    default:
        return false;
    }
}

/* Whether v, a number that goes on with something else, looks like a
 * mistyped number: one stray character ("1O", "2x", "10k", "5€"), or letters
 * that look like digits and separators ("5O0", "1,000", "1.5"), not a word
 * such as "3PO", "2ee" or "95th". */
static bool mistyped_number(const char *v)
{
    size_t digits = strspn(v, "0123456789");
    if (digits == 0)
        return false;
    const char *rest = v + digits;
    size_t n = strlen(rest);
    return text_utf8_char_len(rest, n) == n || strspn(rest, "0123456789OolI.,") == n;
}

/* Whether the ASCII word typed is within one edit of name ("did you mean"'s
 * distance, text_spell_distance()); words over 8 bytes are not compared. */
static bool one_edit_from(const char *typed, const char *name)
{
    uint32_t a[8], b[8];
    size_t n = strlen(typed), m = strlen(name);
    if (n > sizeof a / sizeof a[0] || m > sizeof b / sizeof b[0])
        return false;
    for (size_t i = 0; i < n; i++)
        a[i] = (unsigned char)typed[i];
    for (size_t i = 0; i < m; i++)
        b[i] = (unsigned char)name[i];
    return text_spell_distance(a, n, b, m, 1) <= 1;
}

/* What the short option opt takes, if v, attached to it, is more likely a
 * mistyped value than the rest of an excluded word: a number mistyped
 * (mistyped_number()), a format's name but for one edit ("-fjosn"), an
 * index's name that names no folder ("-dnotes.bd"); else NULL. */
static const char *mistyped_value(char opt, const char *v)
{
    switch (opt) {
    case 'n':
    case 'C':
    case 'j':
        return mistyped_number(v) ? "a number" : NULL;
    case 'd': {
        /* A name ending in ".db" but for one edit ("-dnotes.bd"), the name
         * the README gives indexes, is a folder's ("-dr.who" is a word's);
         * a folder that exists was taken already. */
        const char *dot = strrchr(v, '.');
        return dot && dot[1] && one_edit_from(dot + 1, "db")
                   ? "a folder, and no folder has that name here" : NULL;
    }
    case 'f':
        for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++)
            if (one_edit_from(v, formats[k].name))
                return "text, json or trec";
        return NULL;
    default:
        return NULL;
    }
}

/*
 * An argument starting with '-' may be an excluded query word ("-Taliban"), so
 * argv is sorted into options and query words before getopt_long() sees it:
 * "--" ends the options; "--name" is an option anywhere; "-x" is an option
 * only as one of SHORT_OPTS alone, or one that takes a value with a plausible
 * value attached (plausible_value()); an option's value is the next argument
 * when not attached. Every other argument is a query word. *out gets a new
 * argv (free it; its strings are argv's): the program's name, the options in
 * order, "--", then the words in order; *out_argc its length. Each word that
 * looks like an option with a mistyped value (mistyped_value()) gets a note
 * in typos, for it to be given once the search is known to run. false if
 * memory ran out.
 */
static bool sort_arguments(int argc, char **argv, int *out_argc, char ***out, text_buf_t *typos)
{
    static char name[] = "passim-search", end_of_options[] = "--";
    char **v = malloc(((size_t)argc + 2) * sizeof *v);
    bool *word = calloc((size_t)argc + 1, sizeof *word);
    if (!v || !word) {
        free(v);
        free(word);
        return false;
    }
    int n = 0;
    v[n++] = name; /* getopt_long() starts its messages with it */
    bool words_only = false, missing_value = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *spec = a[0] == '-' && a[1] != '\0' && a[1] != '-' && a[1] != ':'
                               ? strchr(SHORT_OPTS, a[1]) : NULL;
        bool takes_value = spec && spec[1] == ':';
        if (words_only || a[0] != '-' || a[1] == '\0') {
            word[i] = true;
        } else if (strcmp(a, "--") == 0) {
            words_only = true;
        } else if (a[1] == '-' || (spec && a[2] == '\0')) {
            v[n++] = argv[i];
            if (a[1] == '-' ? long_takes_next(a) : takes_value) {
                if (i + 1 < argc)
                    v[n++] = argv[++i];
                else
                    missing_value = true;
            }
        } else if (takes_value && plausible_value(a[1], a + 2)) {
            v[n++] = argv[i];
        } else {
            const char *takes = takes_value ? mistyped_value(a[1], a + 2) : NULL;
            if (takes && !text_buf_printf(typos, "passim-search: '%s' is searched as the "
                                          "excluded word '%s'; -%c takes %s\n",
                                          a, a + 1, a[1], takes)) {
                free(v);
                free(word);
                return false;
            }
            word[i] = true;
        }
    }
    /* An option missing its value ends the list, for getopt_long() to say so. */
    if (!missing_value) {
        v[n++] = end_of_options;
        for (int i = 1; i < argc; i++)
            if (word[i])
                v[n++] = argv[i];
    }
    v[n] = NULL;
    free(word);
    *out_argc = n;
    *out = v;
    return true;
}

#define TRY_HELP "Try 'passim-search --help' for more information.\n"

static int usage_error(const char *msg)
{
    fprintf(stderr, "passim-search: %s\n" TRY_HELP, msg);
    return SRCH_EXIT_ERROR;
}

/* An option or its value refused, in parse_options(), whose caller adds
 * TRY_HELP to this and every other refusal there. */
static int option_error(const char *msg)
{
    fprintf(stderr, "passim-search: %s\n", msg);
    return SRCH_EXIT_ERROR;
}

static int parse_options(cli_t *o, int argc, char **argv)
{
    int c, format;
    while ((c = getopt_long(argc, argv, SHORT_OPTS, longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (*optarg == '\0')
                return option_error("--db: the folder name is empty");
            if (o->n_dbs == MAX_DBS) {
                fprintf(stderr, "passim-search: at most %d --db\n", MAX_DBS);
                return SRCH_EXIT_ERROR;
            }
            o->dbs[o->n_dbs++] = optarg;
            break;
        case OPT_ALL:
        case OPT_ANY:
        case OPT_AUTO: {
            srch_mode_t mode = c == OPT_ALL ? SRCH_MODE_ALL
                               : c == OPT_ANY ? SRCH_MODE_ANY : SRCH_MODE_AUTO;
            if (o->mode_set && o->s.mode != mode)
                return option_error("--all, --any and --auto cannot be combined");
            o->s.mode = mode;
            o->mode_set = true;
            break;
        }
        case 'n':
            if (!parse_uint("--limit", optarg, 1, 100000000, &o->s.limit))
                return SRCH_EXIT_ERROR;
            o->limit_set = true;
            break;
        case OPT_OFFSET:
            if (!parse_uint("--offset", optarg, 0, 100000000, &o->s.offset))
                return SRCH_EXIT_ERROR;
            break;
        case OPT_PER_DOC:
            if (!parse_uint("--per-doc", optarg, 0, 1000000, &o->s.per_doc))
                return SRCH_EXIT_ERROR;
            o->per_doc_set = true;
            break;
        case 'C': {
            uint32_t n;
            if (!parse_uint("--context", optarg, 0, 100000, &n))
                return SRCH_EXIT_ERROR;
            o->s.context = n;
            break;
        }
        case OPT_NO_STOP: o->s.stopwords = false; break;
        case 'f':
            if ((format = format_named(optarg)) >= 0)
                o->po.format = (srch_format_t)format;
            else {
                fprintf(stderr, "passim-search: --format: expected text, json or trec: %s\n",
                        optarg);
                return SRCH_EXIT_ERROR;
            }
            o->format_set = true;
            break;
        case OPT_VIMGREP:
            o->vimgrep = true;
            o->po.format = SRCH_FMT_VIMGREP;
            break;
        case OPT_COLOR:
            if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never")) {
                fprintf(stderr, "passim-search: --color: expected auto, always or never: %s\n",
                        optarg);
                return SRCH_EXIT_ERROR;
            }
            o->color = optarg;
            break;
        case OPT_HIGHLIGHT:
            if (!parse_markup(optarg, &o->po.markup))
                return SRCH_EXIT_ERROR;
            o->markup_set = true;
            break;
        case OPT_EXPLAIN: o->s.explain = true; break;
        case OPT_FEEDBACK:
            if (!parse_uint("--feedback", optarg, 0, 100, &o->s.feedback_docs))
                return SRCH_EXIT_ERROR;
            break;
        case OPT_BM25: {
            double k1, b;
            char tail;
            /* Decimal numbers only: sscanf() would also take "0x10". */
            if (optarg[strspn(optarg, "0123456789.,eE+-")] != '\0'
                || sscanf(optarg, "%lf,%lf%c", &k1, &b, &tail) != 2 || !(k1 >= 0 && k1 <= 100)
                || !(b >= 0 && b <= 1)) {
                fprintf(stderr, "passim-search: --bm25: expected K1,B with K1 from 0 to 100 "
                                "and B from 0 to 1: %s\n", optarg);
                return SRCH_EXIT_ERROR;
            }
            o->s.xapian.bm25_k1 = k1;
            o->s.xapian.bm25_b = b;
            break;
        }
        case OPT_BATCH:
            if (o->batch)
                return option_error("--batch takes one FILE: give it once");
            if (*optarg == '\0')
                return option_error("--batch: the file name is empty");
            o->batch = optarg;
            break;
        case OPT_LEVEL:
            if (strcmp(optarg, "doc") == 0)
                o->level = SRCH_LEVEL_DOC;
            else if (strcmp(optarg, "passage") == 0)
                o->level = SRCH_LEVEL_PASSAGE;
            else {
                fprintf(stderr, "passim-search: --level: expected doc or passage: %s\n", optarg);
                return SRCH_EXIT_ERROR;
            }
            o->level_set = true;
            break;
        case OPT_RUN_TAG:
            if (!text_token_ok(optarg)) {
                fprintf(stderr, "passim-search: --run-tag: one word without white space "
                                "expected: '%s'\n", optarg);
                return SRCH_EXIT_ERROR;
            }
            o->run_tag = optarg;
            break;
        case OPT_QRELS:
            if (o->qrels)
                return option_error("--qrels takes one FILE: give it once");
            if (strcmp(optarg, "-") == 0)
                return option_error("--qrels: standard input is read by --batch only; name "
                                   "a file ('./-' for one called '-')");
            if (*optarg == '\0')
                return option_error("--qrels: the file name is empty");
            o->qrels = optarg;
            break;
        case OPT_METRICS_ONLY: o->metrics_only = true; break;
        case OPT_PROGRESS: o->progress = SRCH_PROGRESS_ALWAYS; o->progress_set = true; break;
        case OPT_NO_PROGRESS: o->progress = SRCH_PROGRESS_NEVER; o->progress_set = true; break;
        case OPT_PER_QUERY: o->per_query = true; break;
        case 'j':
            if (!parse_uint("--jobs", optarg, 1, 256, &o->jobs))
                return SRCH_EXIT_ERROR;
            o->jobs_set = true;
            break;
        case OPT_COMPARE:
            if (o->compare)
                return option_error("--compare takes two runs: give it once");
            o->compare = optarg;
            break;
        case 'h': usage(stdout); return SRCH_EXIT_FOUND;
        case 'V':
            printf("passim-search %s (Xapian %s)\n", PACKAGE_VERSION, xs_version());
            return SRCH_EXIT_FOUND;
        default: /* getopt said what */
            return SRCH_EXIT_ERROR;
        }
    }
    if (o->vimgrep && o->format_set) {
        return option_error("--vimgrep and --format cannot be used together");
    }
    return CLI_CONTINUE;
}

/* The first option given that only a batch understands, or NULL. */
static const char *batch_only_option(const cli_t *o)
{
    return o->po.format == SRCH_FMT_TREC ? "--format trec"
           : o->level_set                ? "--level"
           : o->run_tag                  ? "--run-tag"
           : o->metrics_only             ? "--metrics-only"
           : o->jobs_set                 ? "--jobs"
           : o->progress_set             ? (o->progress ? "--progress" : "--no-progress")
           : NULL;
}

/* The same index given twice (under any name) would list every hit twice:
 * it is searched once, with a note. A path that cannot be resolved stays, for
 * the open to report. */
static void drop_repeated_dbs(cli_t *o)
{
    char *real[MAX_DBS] = { 0 };
    size_t n = 0;
    for (size_t i = 0; i < o->n_dbs; i++) {
        char *r = realpath(o->dbs[i], NULL);
        size_t k = 0;
        while (r && k < n && !(real[k] && strcmp(real[k], r) == 0))
            k++;
        if (r && k < n) {
            fprintf(stderr, "passim-search: --db %s: the same index as --db %s; searched once\n",
                    o->dbs[i], o->dbs[k]);
            free(r);
            continue;
        }
        real[n] = r;
        o->dbs[n++] = o->dbs[i];
    }
    o->n_dbs = n;
    for (size_t i = 0; i < n; i++)
        free(real[i]);
}

/* Whether --color=auto colours: on a terminal that can show colour (TERM
 * set and not "dumb", as grep asks), unless NO_COLOR is set and not empty. */
static bool auto_color(void)
{
    const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
    return isatty(STDOUT_FILENO) && term && strcmp(term, "dumb") != 0
           && !(no_color && *no_color);
}

/* Colour and highlighting from --color, --highlight, the terminal and NO_COLOR. */
static void resolve_output(cli_t *o)
{
    srch_print_opts_t *po = &o->po;
    po->color = strcmp(o->color, "always") == 0
                || (strcmp(o->color, "auto") == 0 && auto_color());
    if (po->format == SRCH_FMT_JSON || po->format == SRCH_FMT_TREC)
        po->color = false;
    if (!o->markup_set)
        po->markup = po->format == SRCH_FMT_JSON ? SRCH_MARK_HTML
                     : po->format == SRCH_FMT_VIMGREP ? (po->color ? SRCH_MARK_ANSI
                                                                   : SRCH_MARK_NONE)
                     : po->color ? SRCH_MARK_ANSI : SRCH_MARK_PLAIN;
    if (o->n_dbs == 0) {
        const char *env = getenv("PASSIM_DB");
        o->dbs[o->n_dbs++] = env && *env ? env : "passim.db";
    }
    drop_repeated_dbs(o);
}

/* The first option given that would shape a ranking or how it is printed
 * (its depth, level, format), or NULL: --compare takes runs already made. The
 * options of searching alone (--db, --feedback...) may come from a command
 * kept for both. */
static const char *ranking_option(const cli_t *o)
{
    return o->limit_set        ? "--limit"
           : o->s.offset > 0   ? "--offset"
           : o->per_doc_set    ? "--per-doc"
           : o->level_set      ? "--level"
           : o->format_set     ? "--format"
           : o->vimgrep        ? "--vimgrep"
           : o->run_tag        ? "--run-tag"
           : o->metrics_only   ? "--metrics-only"
                               : NULL;
}

static int run_compare(cli_t *o, int argc, char **argv)
{
    if (o->batch)
        return usage_error("--compare and --batch cannot be combined");
    if (!o->qrels)
        return usage_error("--compare needs --qrels FILE");
    if (optind == argc)
        return usage_error("--compare needs two runs: --compare RUN_A RUN_B");
    if (*o->compare == '\0' || *argv[optind] == '\0')
        return usage_error("--compare: a run's file name is empty");
    if (strcmp(o->compare, "-") == 0 || strcmp(argv[optind], "-") == 0)
        return usage_error("--compare: standard input is read by --batch only; name "
                           "the runs ('./-' for one called '-')");
    if (optind + 1 < argc) {
        fprintf(stderr, "passim-search: --compare takes two runs; '%s' is one too many\n"
                        TRY_HELP, argv[optind + 1]);
        return SRCH_EXIT_ERROR;
    }
    const char *ignored = ranking_option(o);
    if (ignored) {
        fprintf(stderr, "passim-search: %s does nothing with --compare, which scores the "
                        "two runs as they are\n"
                        TRY_HELP, ignored);
        return SRCH_EXIT_ERROR;
    }
    return srch_compare(o->compare, argv[optind], o->qrels, o->per_query);
}

static int run_batch(cli_t *o, int argc)
{
    if (optind < argc)
        return usage_error("--batch takes its queries from FILE, not the command line");
    if ((o->metrics_only || o->per_query) && !o->qrels)
        return usage_error(o->metrics_only ? "--metrics-only needs --qrels FILE"
                                           : "--per-query needs --qrels FILE");
    if (o->qrels && o->s.offset > 0)
        return usage_error("--offset cannot be used with --qrels: the metrics need each "
                           "ranking from its top");
    if (o->run_tag && o->po.format != SRCH_FMT_TREC)
        return usage_error("--run-tag names the run of --format trec");
    if (o->vimgrep)
        return usage_error("--vimgrep lines name no query: with --batch use --format text, "
                           "json or trec");
    bool ranking = o->po.format == SRCH_FMT_TREC || o->qrels;
    srch_batch_opts_t b = { 0 };
    b.path = o->batch;
    b.level = o->level_set ? o->level : ranking ? SRCH_LEVEL_DOC : SRCH_LEVEL_PASSAGE;
    /* Topics are questions: all-words matching would lose most of the recall
     * that a ranking to depth 1000 is about. */
    if (!o->mode_set)
        o->s.mode = SRCH_MODE_ANY;
    if (b.level == SRCH_LEVEL_DOC) {
        if (o->per_doc_set && o->s.per_doc != 1)
            return usage_error("--level doc ranks articles: --per-doc must be 1 (or left out)");
        o->s.per_doc = 1; /* collapse on the article: its best passage decides */
    }
    if (!o->limit_set && ranking)
        o->s.limit = SRCH_EVAL_DEPTH;
    o->s.snippets = !o->metrics_only && o->po.format != SRCH_FMT_TREC;
    resolve_output(o);
    b.dbs = o->dbs;
    b.n_dbs = o->n_dbs;
    b.settings = o->s;
    b.print = o->po;
    b.run_tag = o->run_tag ? o->run_tag : "passim";
    b.qrels = o->qrels;
    b.metrics_only = o->metrics_only;
    b.per_query = o->per_query;
    b.progress = o->progress_set ? o->progress : SRCH_PROGRESS_AUTO;
    if (o->jobs_set) {
        b.jobs = o->jobs;
    } else {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        b.jobs = cpus < 1 ? 1 : cpus > 8 ? 8 : (unsigned)cpus;
    }
    return srch_batch(&b);
}

/* How many words a message lists before it counts the rest. */
#define LISTED_WORDS_MAX 10

/* A list of a query's positive words for a message: the first
 * LISTED_WORDS_MAX of them, each once unless repeats count (in a NEAR), and
 * how many more. */
typedef struct word_list {
    bool repeats;          /* a word typed twice is listed twice */
    text_buf_t text;       /* the words, ", " between them */
    srch__strset_t seen;   /* each word as listed, "title:" and all */
    text_buf_t word;       /* the word being added */
    size_t n_listed;
    size_t n_more;         /* words left out past LISTED_WORDS_MAX */
    bool last_listed;      /* whether the last word was listed (not repeated, not left out) */
} word_list_t;

/* srch_query_words(): add the positive word w to the list; Chinese or
 * Japanese characters typed touching are one word ("经济"), listed with the
 * word they touch. */
static int list_word(const srch_word_t *w, void *payload)
{
    word_list_t *l = payload;
    if (w->excluded || w->solid)
        return 0;
    if (w->ideo_touching) {
        if (l->last_listed)
            text_buf_puts(&l->text, w->text);
        return 0;
    }
    text_buf_clear(&l->word);
    text_buf_printf(&l->word, "%s%s", w->field == SRCH_FIELD_TITLE ? "title:" : "", w->text);
    l->last_listed = false;
    if (!l->word.data || (!l->repeats && !srch__strset_add(&l->seen, l->word.data)))
        return 0; /* named or counted already */
    if (l->n_listed >= LISTED_WORDS_MAX) {
        l->n_more++;
        return 0;
    }
    l->n_listed++;
    text_buf_printf(&l->text, "%s%s", l->text.len ? ", " : "", l->word.data);
    l->last_listed = true;
    return 0;
}

/* Longest part of a query quoted in a message, in bytes. */
#define QUOTED_QUERY_MAX 80

/* Print why query q was refused: "passim-search: query 'q': why", q made
 * safe for a terminal and cut after QUOTED_QUERY_MAX bytes with "…". */
static void query_refused(const char *q, const char *why)
{
    size_t n = strlen(q);
    bool cut = n > QUOTED_QUERY_MAX;
    if (cut)
        n = text_grapheme_floor(q, n, QUOTED_QUERY_MAX);   /* "é" is not cut from its accent */
    text_buf_t b = TEXT_BUF_INIT;
    bool ok = text_buf_puts(&b, "passim-search: query '") && text_safe_append(&b, q, n, true)
              && text_buf_printf(&b, "%s': %s\n", cut ? "\xE2\x80\xA6" : "", why);
    fputs(ok ? b.data : "passim-search: out of memory\n", stderr);
    text_buf_free(&b);
}

/* Why a search that ran shows no hit, one line for stderr in b: how many
 * results there are when --offset skips them all; else the words that no
 * passage holds (srch_report_missing()); else, every word being somewhere,
 * what no passage has: all the words, the words near each other, or the query
 * as parsed. */
static void note_no_hits(text_buf_t *b, srch_engine_t *e, const srch_result_t *r,
                         const srch_settings_t *s)
{
    if (s->offset > 0 && r->total > 0) {
        text_buf_printf(b, "passim-search: %u result%s; --offset %u is past the end\n", r->total,
                        r->total == 1 ? "" : "s", s->offset);
        return;
    }
    size_t before = b->len;
    srch_report_missing(e, r, b);
    if (b->len > before || !r->query)
        return;
    const srch_node_t *root = srch_query_root(r->query);
    if (!root)
        return;
    bool all_terms = root->kind == SRCH_NODE_AND;
    for (size_t i = 0; all_terms && i < root->n_kids; i++)
        all_terms = root->kids[i]->kind == SRCH_NODE_TERM;
    word_list_t l = { root->kind == SRCH_NODE_NEAR, TEXT_BUF_INIT, SRCH__STRSET_INIT,
                      TEXT_BUF_INIT, 0, 0, false };
    srch_query_words(r->query, list_word, &l);
    if (l.n_more > 0)
        text_buf_printf(&l.text, " and %zu more", l.n_more);
    const char *words = l.text.data;
    if (all_terms && words) {
        text_buf_printf(b, "passim-search: no passage has all of: %s%s\n", words,
                        s->mode == SRCH_MODE_ALL ? " (--any ranks the passages with any of them)"
                                                 : "");
    } else if (root->kind == SRCH_NODE_NEAR && words) {
        text_buf_printf(b, "passim-search: no passage has %s within %u word%s of each other\n",
                        words, root->distance, root->distance == 1 ? "" : "s");
    } else {
        text_buf_puts(b, "passim-search: no passage matches the query, read as ");
        srch_query_describe(r->query, b);
        text_buf_putc(b, '\n');
    }
    text_buf_free(&l.text);
    text_buf_free(&l.word);
    srch__strset_free(&l.seen);
}

static int run_single(cli_t *o, int argc, char **argv)
{
    const char *only = batch_only_option(o);
    if (only) {
        fprintf(stderr, "passim-search: %s needs --batch\n" TRY_HELP, only);
        return SRCH_EXIT_ERROR;
    }
    if (o->qrels || o->per_query)
        return usage_error(o->qrels ? "--qrels needs --batch or --compare"
                                    : "--per-query needs --batch or --compare");
    if (optind >= argc)
        return usage_error("no QUERY given");

    /* The query: the remaining words joined by spaces. */
    text_buf_t query = TEXT_BUF_INIT;
    for (int i = optind; i < argc; i++)
        if ((i > optind && !text_buf_putc(&query, ' ')) || !text_buf_puts(&query, argv[i])) {
            fputs("passim-search: out of memory\n", stderr);
            text_buf_free(&query);
            return SRCH_EXIT_ERROR;
        }
    /* Not UTF-8 (a Latin-1 terminal): read as the indexer reads such text. */
    char *q = text_utf8_strdup(query.data);
    text_buf_free(&query);
    if (!q) {
        fputs("passim-search: out of memory\n", stderr);
        return SRCH_EXIT_ERROR;
    }
    resolve_output(o);
    srch_print_opts_t po = o->po;
    const srch_settings_t *s = &o->s;

    srch_engine_t e;
    const char *msg = NULL;
    if (!srch_engine_open(&e, o->dbs, o->n_dbs, s->stopwords, &msg)) {
        fprintf(stderr, "passim-search: %s\n", msg);
        free(q);
        return SRCH_EXIT_ERROR;
    }

    srch_result_t r;
    srch_error_t err;
    int status;
    text_buf_t out = TEXT_BUF_INIT, notes = TEXT_BUF_INIT;
    switch (srch_run(&e, q, s, &r, &err)) {
    case SRCH_RUN_BAD_QUERY:
        query_refused(q, err.message);
        status = SRCH_EXIT_ERROR;
        break;
    case SRCH_RUN_ERROR:
        fprintf(stderr, "passim-search: %s\n", err.message);
        status = SRCH_EXIT_ERROR;
        break;
    default:
        po.units = r.units;
        po.n_units = r.n_units;
        po.some_words = r.relaxed;
        /* The query's explanation: before the hits in text, in the object in
         * JSON; vimgrep lines have no room for it. */
        if (r.explain.len && po.format == SRCH_FMT_TEXT)
            write_safe(&r.explain, stdout);
        else if (r.explain.len && po.format == SRCH_FMT_JSON) {
            po.explain = r.explain.data;
            po.explain_len = r.explain.len;
        } else if (r.explain.len)
            write_safe(&r.explain, stderr);
        /* Said once the query is searched: not before an error. */
        if (o->typos.len)
            text_buf_append(&notes, o->typos.data, o->typos.len);
        if (r.notes.len)
            text_buf_append(&notes, r.notes.data, r.notes.len);
        if (r.relaxed) {
            /* "some": a required word (+word) stays required. */
            text_buf_puts(&notes, r.relaxed_phrases & SRCH_PHRASES_JOINED
                                  ? "passim-search: no passage has all the words and phrases "
                                    "(words joined by a hyphen or other punctuation, and "
                                    "Chinese or Japanese words, are phrases); showing "
                                    "passages with some of the words\n"
                                  : r.relaxed_phrases
                                  ? "passim-search: no passage has all the words and phrases; "
                                    "showing passages with some of the words\n"
                                  : "passim-search: no passage has all the words; showing "
                                    "passages with some of them\n");
        }
        /* A word that is nowhere is most likely misspelt: say which, also
         * when other words' hits make up for it ("--any rifels", "Kalashnikov
         * OR rifels"). With no hit, note_no_hits() says why (a relaxed
         * query's hits are all past --offset then). */
        if (r.relaxed || r.n_hits > 0)
            srch_report_missing(&e, &r, &notes);
        if (r.n_hits == 0)
            note_no_hits(&notes, &e, &r, s);
        write_safe(&notes, stderr);
        if (r.n_hits > 0 || po.format == SRCH_FMT_JSON) {
            if (!srch_print_hits(&out, &po, NULL, q, r.total, r.hits, r.n_hits)) {
                fputs("passim-search: out of memory\n", stderr);
                status = SRCH_EXIT_ERROR;
                srch_result_free(&r);
                break;
            }
            write_all(&out, stdout);
        }
        status = r.n_hits > 0 ? SRCH_EXIT_FOUND : SRCH_EXIT_NONE;
        srch_result_free(&r);
    }
    text_buf_free(&out);
    text_buf_free(&notes);
    free(q);
    srch_engine_close(&e);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno != EPIPE)
            fprintf(stderr, "passim-search: cannot write results: %s\n", strerror(errno));
        return SRCH_EXIT_ERROR;
    }
    return status;
}

/* Whatever was asked (--help, --compare...), output that could not be
 * written (a full disk) makes the run fail, once: the searches report it
 * themselves. */
static int check_stdout(int status)
{
    if (status == SRCH_EXIT_ERROR || (fflush(stdout) == 0 && !ferror(stdout)))
        return status;
    if (errno != EPIPE)
        fprintf(stderr, "passim-search: cannot write to standard output: %s\n", strerror(errno));
    return SRCH_EXIT_ERROR;
}

int main(int argc, char **argv)
{
    if (!text_hold_std_fds())
        return SRCH_EXIT_ERROR;
    cli_t o;
    memset(&o, 0, sizeof o);
    srch_settings_init(&o.s);
    o.po.format = SRCH_FMT_TEXT;
    o.color = "auto";
    char **args;
    int n_args;
    if (!sort_arguments(argc, argv, &n_args, &args, &o.typos)) {
        fputs("passim-search: out of memory\n", stderr);
        text_buf_free(&o.typos);
        return SRCH_EXIT_ERROR;
    }
    int status = parse_options(&o, n_args, args);
    if (status == SRCH_EXIT_ERROR)
        fputs(TRY_HELP, stderr);
    if (status == CLI_CONTINUE)
        status = o.compare ? run_compare(&o, n_args, args)
                 : o.batch ? run_batch(&o, n_args)
                           : run_single(&o, n_args, args);
    free(args);
    text_buf_free(&o.typos);
    return check_stdout(status);
}
