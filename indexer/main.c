/*
 * main.c — passim-index's command line: options, --help, --version. The work
 * is done by idx_run() (run.c).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "indexer.h"

#define TRY_HELP "Try 'passim-index --help' for more information.\n"

static void usage(FILE *f)
{
    fputs(
"Usage: passim-index [OPTION]... PATH...\n"
"Index text and Markdown files (folders recursively) for passim-search.\n"
"\n"
"Each file is an article: its title is its first line that has a word (or\n"
"the title of its YAML or TOML front matter), its passages are its\n"
"paragraphs. Runs are incremental: unchanged files are skipped, changed ones\n"
"re-indexed, deleted ones removed; every run commits atomically. Hidden names\n"
"and the globs of .passimignore files (in a folder or above it) are not\n"
"indexed.\n"
"\n"
"Options:\n"
"  -d, --db DIR         index folder (default: $PASSIM_DB, else ./passim.db)\n"
"  -l, --lang LANG      stemming language (default: the index's, else english);\n"
"                       'none' turns stemming off; see --list-languages\n"
"      --rebuild        build the index afresh (the old one stays searchable\n"
"                       until the new one is complete)\n"
"  -j, --jobs N         writer threads for a fresh build (default: the number\n"
"                       of CPUs, at most 8; with 1, files are read and analysed\n"
"                       on a second thread); updates of an existing index use\n"
"                       one thread\n"
"      --batch N        commit after about N passages (default 5000)\n"
"      --no-spelling    do not keep the words met (no \"did you mean\")\n"
"      --progress       always show progress on stderr\n"
"      --no-progress    never show progress (default: only on a terminal)\n"
"  -q, --quiet          no notes about skipped or removed files\n"
"      --list-languages print the stemming languages and exit\n"
"  -h, --help           show this help and exit\n"
"  -V, --version        show the version and exit\n"
"\n"
"Exit status: 0 all files indexed, 1 some files failed (the rest was indexed),\n"
"2 usage or index error, or standard output cannot be written, 130/143\n"
"interrupted by SIGINT/SIGTERM (the files finished so far are committed).\n", f);
}

static int run(int argc, char **argv)
{
    enum { OPT_REBUILD = 256, OPT_BATCH, OPT_NO_SPELLING, OPT_PROGRESS, OPT_NO_PROGRESS,
           OPT_LANGS };
    static const struct option longopts[] = {
        { "db", required_argument, NULL, 'd' },
        { "lang", required_argument, NULL, 'l' },
        { "rebuild", no_argument, NULL, OPT_REBUILD },
        { "batch", required_argument, NULL, OPT_BATCH },
        { "jobs", required_argument, NULL, 'j' },
        { "no-spelling", no_argument, NULL, OPT_NO_SPELLING },
        { "progress", no_argument, NULL, OPT_PROGRESS },
        { "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
        { "quiet", no_argument, NULL, 'q' },
        { "list-languages", no_argument, NULL, OPT_LANGS },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    idx_opts_t o = {
        .db_path = getenv("PASSIM_DB") && *getenv("PASSIM_DB") ? getenv("PASSIM_DB") : "passim.db",
        .spelling = true,
        .progress = -1,
        .batch_passages = 5000,
        .passages = TEXT_PASSAGE_OPTS_INIT,
    };
    int c;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    o.jobs = cpus < 1 ? 1 : cpus > 8 ? 8 : (unsigned)cpus;
    /* getopt_long() starts its messages with argv[0]: the program's name,
     * not the path it was run by. */
    static char name[] = "passim-index";
    if (argc > 0)
        argv[0] = name;
    bool db_given = false;
    while ((c = getopt_long(argc, argv, "d:l:j:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (*optarg == '\0') {
                fputs("passim-index: --db: the folder name is empty\n", stderr);
                fputs(TRY_HELP, stderr);
                return IDX_EXIT_ERROR;
            }
            if (db_given) {
                fprintf(stderr, "passim-index: --db given twice (%s, %s): a run writes one "
                                "index; run passim-index once for each\n", o.db_path, optarg);
                fputs(TRY_HELP, stderr);
                return IDX_EXIT_ERROR;
            }
            db_given = true;
            o.db_path = optarg;
            break;
        case 'l': o.lang = optarg; break;
        case 'q': o.quiet = true; break;
        case OPT_REBUILD: o.rebuild = true; break;
        case OPT_NO_SPELLING: o.spelling = false; break;
        case OPT_PROGRESS: o.progress = 1; break;
        case OPT_NO_PROGRESS: o.progress = 0; break;
        case 'j': {
            unsigned long n;
            if (!text_parse_count(optarg, 64, &n) || n == 0) {
                fprintf(stderr, "passim-index: --jobs: not a number from 1 to 64: %s\n", optarg);
                fputs(TRY_HELP, stderr);
                return IDX_EXIT_ERROR;
            }
            o.jobs = (unsigned)n;
            break;
        }
        case OPT_BATCH: {
            unsigned long n;
            if (!text_parse_count(optarg, 100000000, &n) || n == 0) {
                fprintf(stderr, "passim-index: --batch: not a number from 1 to 100000000: %s\n",
                        optarg);
                fputs(TRY_HELP, stderr);
                return IDX_EXIT_ERROR;
            }
            o.batch_passages = (uint32_t)n;
            break;
        }
        case OPT_LANGS:
            for (const char **l = text_languages(); *l; l++)
                puts(*l);
            return IDX_EXIT_OK;
        case 'h': usage(stdout); return IDX_EXIT_OK;
        case 'V':
            printf("passim-index %s (Xapian %s)\n", PACKAGE_VERSION, xs_version());
            return IDX_EXIT_OK;
        default: /* getopt said what */
            fputs(TRY_HELP, stderr);
            return IDX_EXIT_ERROR;
        }
    }
    if (optind >= argc) {
        fputs("passim-index: no PATH to index\n" TRY_HELP, stderr);
        return IDX_EXIT_ERROR;
    }
    for (int i = optind; i < argc; i++)
        if (*argv[i] == '\0') {
            fputs("passim-index: a PATH is empty\n" TRY_HELP, stderr);
            return IDX_EXIT_ERROR;
        }
    char *lang = NULL;
    if (o.lang) {
        text_analyzer_t *a;
        text_status_t st = text_analyzer_new(&a, o.lang);
        if (st != TEXT_OK) {
            fprintf(stderr, "passim-index: --lang %s: %s (see --list-languages)\n", o.lang,
                    text_status_str(st));
            return IDX_EXIT_ERROR;
        }
        /* "fr" and "French" are "french", the name the index keeps. */
        lang = strdup(text_analyzer_lang(a));
        text_analyzer_free(a);
        if (!lang) {
            fputs("passim-index: out of memory\n", stderr);
            return IDX_EXIT_ERROR;
        }
        o.lang = lang;
    }
    /* "notes.db/" and "notes.db/." are notes.db: the temporary folders a run
     * makes beside the index (DB.tmp-...) must not land inside it. */
    char *db_path = strdup(o.db_path);
    if (!db_path) {
        fputs("passim-index: out of memory\n", stderr);
        free(lang);
        return IDX_EXIT_ERROR;
    }
    for (size_t n = strlen(db_path); n > 1;) {
        if (db_path[n - 1] == '/')
            db_path[--n] = '\0';
        else if (n > 2 && db_path[n - 1] == '.' && db_path[n - 2] == '/')
            db_path[n -= 2] = '\0';
        else
            break;
    }
    o.db_path = db_path;
    int status = idx_run(&o, argv + optind, (size_t)(argc - optind));
    free(db_path);
    free(lang);
    return status;
}

/* Output that could not be written (a full disk) makes the run fail, whatever
 * was asked: --help, --version, or the summary line after the index is
 * committed. Messages about the index itself go to stderr as they happen. */
int main(int argc, char **argv)
{
    if (!text_hold_std_fds())
        return IDX_EXIT_ERROR;
    int status = run(argc, argv);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno != EPIPE)
            fprintf(stderr, "passim-index: cannot write to standard output: %s\n",
                    strerror(errno));
        return IDX_EXIT_ERROR;
    }
    return status;
}
