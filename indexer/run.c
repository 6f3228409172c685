/*
 * run.c — one run of passim-index: bring the index in step with the paths given.
 *
 * The index remembers each file it holds (size, mtime, content hash, passages)
 * in Xapian metadata. A file whose size and mtime are unchanged is skipped
 * without reading it; one that was only touched (same hash) is not re-indexed;
 * a changed one has its passages replaced; a file that vanished from under a
 * root given on this run has its passages removed.
 *
 * Writes go in batches that commit atomically at file boundaries, with each
 * file's passages and its record in the same batch, so a run killed at any
 * moment leaves the last committed index, and the next run finishes the work.
 * --rebuild writes a new index beside the old one and swaps it in at the end;
 * until then the old one stays searchable.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "indexer.h"
#include "record.h"
#include "terms.h"

#define PID_FILE "passim-index.pid"

/* A file the index held when the run began. */
typedef struct known_file {
    char *key;
    text_file_record_t rec;  /* rec.path points into path */
    char *path;
    bool seen;               /* met by this run's walk */
} known_file_t;

typedef struct stats {
    unsigned added, updated, removed, unchanged, skipped, failed;
    uint64_t passages, bytes;
} stats_t;

typedef struct run {
    const idx_opts_t *o;
    xs_db_t *db;
    char *db_key;              /* realpath of the database folder, when it exists */
    bool db_was_empty;         /* no file known at start: no old passages to delete */
    known_file_t *known;       /* sorted by key */
    size_t n_known;
    char **skip_prefixes;      /* folders that could not be read: keep what is under them */
    size_t n_skip;
    idx_article_ctx_t ctx;
    idx_counter_t *seen;       /* file keys met by this run */
    text_buf_t content;        /* file bytes */
    text_buf_t decoded;        /* converted text, when not UTF-8 already */
    text_buf_t scratch;
    uint32_t batch_passages;
    unsigned batch_files;
    stats_t st;
    bool fatal;                /* a database error: stop */
    bool progress;
    double t0, last_progress;
    unsigned files_seen;
} run_t;

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void clear_progress(run_t *r)
{
    if (r->progress && r->last_progress > 0)
        fputs("\r\033[K", stderr);
}

static void note(run_t *r, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void note(run_t *r, const char *path, const char *fmt, ...)
{
    va_list ap;
    clear_progress(r);
    fprintf(stderr, "passim-index: %s: ", path);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void show_progress(run_t *r, const char *path)
{
    double t = now();
    if (!r->progress || t - r->last_progress < 0.1)
        return;
    r->last_progress = t;
    fprintf(stderr, "\r\033[Kpassim-index: %u files, %.1f MB, %llu passages  %.50s",
            r->files_seen, r->st.bytes / 1e6, (unsigned long long)r->st.passages, path);
}

static void db_error(run_t *r, const char *what, xs_status_t st)
{
    clear_progress(r);
    fprintf(stderr, "passim-index: %s: %s: %s\n", r->o->db_path, what,
            *xs_last_error() ? xs_last_error() : xs_status_str(st));
    r->fatal = true;
}

/* ---- the files the index knows ------------------------------------------- */

static int load_known(const char *key, size_t key_len, const char *value, size_t value_len,
                      void *payload)
{
    run_t *r = payload;
    text_file_record_t rec;
    if (!text_file_record_decode(value, value_len, &rec))
        return 0; /* unreadable record: the file will be indexed afresh */
    known_file_t *grown = realloc(r->known, (r->n_known + 1) * sizeof *grown);
    if (!grown)
        return -1;
    r->known = grown;
    known_file_t *k = &r->known[r->n_known];
    size_t prefix = strlen(PASSIM_META_FILE);
    k->key = strndup(key + prefix, key_len - prefix);
    k->path = strndup(rec.path, rec.path_len);
    if (!k->key || !k->path) {
        free(k->key);
        free(k->path);
        return -1;
    }
    k->rec = rec;
    k->rec.path = k->path;
    k->seen = false;
    r->n_known++;
    return 0;
}

static known_file_t *find_known(run_t *r, const char *key)
{
    size_t lo = 0, hi = r->n_known;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(r->known[mid].key, key);
        if (c == 0)
            return &r->known[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int cmp_known(const void *a, const void *b)
{
    return strcmp(((const known_file_t *)a)->key, ((const known_file_t *)b)->key);
}

/* ---- batches ------------------------------------------------------------- */

static bool ensure_batch(run_t *r)
{
    if (xs_db_in_batch(r->db))
        return true;
    xs_status_t st = xs_db_begin(r->db);
    if (st != XS_OK) {
        db_error(r, "cannot start a batch", st);
        return false;
    }
    return true;
}

static int add_spelling(const char *word, size_t len, uint32_t count, void *payload)
{
    return (int)xs_db_add_spelling(payload, word, len, count);
}

static bool commit_batch(run_t *r)
{
    if (!xs_db_in_batch(r->db))
        return true;
    xs_status_t st = XS_OK;
    if (r->ctx.spell) {
        int rc = idx_counter_drain(r->ctx.spell, add_spelling, r->db);
        st = rc ? (xs_status_t)rc : XS_OK;
    }
    if (st == XS_OK)
        st = xs_db_set_metadata(r->db, PASSIM_META_LANG, text_analyzer_lang(r->ctx.analyzer),
                                strlen(text_analyzer_lang(r->ctx.analyzer)));
    if (st == XS_OK)
        st = xs_db_set_metadata(r->db, PASSIM_META_VERSION, PASSIM_LAYOUT_VERSION,
                                strlen(PASSIM_LAYOUT_VERSION));
    if (st == XS_OK)
        st = xs_db_commit(r->db);
    if (st != XS_OK) {
        db_error(r, "cannot commit", st);
        xs_db_cancel(r->db);
        return false;
    }
    r->batch_passages = 0;
    r->batch_files = 0;
    return true;
}

static bool delete_file_passages(run_t *r, const char *key)
{
    if (!idx_key_term(&r->scratch, PASSIM_PREFIX_FILE, key, "")) {
        r->fatal = true;
        return false;
    }
    xs_status_t st = xs_db_delete_documents(r->db, r->scratch.data, r->scratch.len);
    if (st != XS_OK) {
        db_error(r, "cannot delete passages", st);
        return false;
    }
    return true;
}

static bool set_file_record(run_t *r, const char *key, const text_file_record_t *rec)
{
    text_buf_t meta_key = TEXT_BUF_INIT, value = TEXT_BUF_INIT;
    bool ok = text_buf_puts(&meta_key, PASSIM_META_FILE) && text_buf_puts(&meta_key, key);
    if (ok && rec)
        ok = text_file_record_encode(rec, &value);
    if (!ok) {
        r->fatal = true;
    } else {
        xs_status_t st = xs_db_set_metadata(r->db, meta_key.data, value.data ? value.data : "",
                                            value.len);
        if (st != XS_OK) {
            db_error(r, "cannot write file record", st);
            ok = false;
        }
    }
    text_buf_free(&meta_key);
    text_buf_free(&value);
    return ok;
}

/* ---- one file ------------------------------------------------------------ */

static xs_status_t add_doc(const xs_doc_t *doc, void *payload)
{
    run_t *r = payload;
    return xs_db_add_document(r->db, doc, NULL);
}

/* Read the whole file into r->content; its stat as read into *st. */
static int read_file(run_t *r, const char *path, struct stat *st)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int err = 0;
    text_buf_clear(&r->content);
    if (fstat(fd, st) != 0) {
        err = errno;
    } else if (!text_buf_reserve(&r->content, (size_t)st->st_size + 1)) {
        err = ENOMEM;
    } else {
        for (;;) {
            if (!text_buf_reserve(&r->content, 65536)) {
                err = ENOMEM;
                break;
            }
            ssize_t n = read(fd, r->content.data + r->content.len,
                             r->content.cap - r->content.len - 1);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                err = errno;
                break;
            }
            if (n == 0)
                break;
            r->content.len += (size_t)n;
        }
        r->content.data[r->content.len] = '\0';
    }
    close(fd);
    return err;
}

static int on_file(const idx_file_t *f, void *payload)
{
    run_t *r = payload;
    if (stop_signal || r->fatal)
        return 1;
    r->files_seen++;
    show_progress(r, f->path);

    uint32_t times = idx_counter_add(r->seen, f->key, strlen(f->key));
    if (times == 0) {
        r->fatal = true;
        return 1;
    }
    if (times > 1) /* met again: two roots, or a link to a file already seen */
        return 0;
    known_file_t *k = find_known(r, f->key);
    if (k) {
        k->seen = true;
        if (!r->o->rebuild && k->rec.size == f->size && k->rec.mtime_ns == f->mtime_ns) {
            r->st.unchanged++;
            return 0;
        }
    }

    struct stat st;
    int err = read_file(r, f->path, &st);
    if (err) {
        note(r, f->path, "cannot read: %s", strerror(err));
        r->st.failed++;
        return 0;
    }
    r->st.bytes += r->content.len;
    uint64_t hash = text_hash64(r->content.data, r->content.len);
    text_file_record_t rec = {
        .size = (uint64_t)r->content.len,
        .mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec,
        .hash = hash,
        .path = f->path, .path_len = strlen(f->path),
    };

    if (k && !r->o->rebuild && k->rec.hash == hash) {
        /* Touched, not changed: remember the new mtime, keep the passages. */
        rec.n_passages = k->rec.n_passages;
        r->st.unchanged++;
        return ensure_batch(r) && set_file_record(r, f->key, &rec) ? 0 : 1;
    }

    bool as_is;
    const char *encoding;
    idx_decode_status_t ds = idx_decode(r->content.data, r->content.len, &r->decoded, &as_is,
                                        &encoding);
    if (ds == IDX_DECODE_NOMEM) {
        note(r, f->path, "out of memory");
        r->st.failed++;
        return 0;
    }
    if (!ensure_batch(r))
        return 1;
    if ((k || !r->db_was_empty) && !delete_file_passages(r, f->key))
        return 1;
    if (ds == IDX_DECODE_BINARY) {
        if (!r->o->quiet)
            note(r, f->path, "skipped: not a text file");
        r->st.skipped++;
        return set_file_record(r, f->key, NULL) ? 0 : 1;
    }

    char *docid = idx_docid_from_rel(f->rel);
    if (!docid) {
        r->fatal = true;
        return 1;
    }
    idx_article_t art = {
        .text = as_is ? r->content.data : r->decoded.data,
        .len = as_is ? r->content.len : r->decoded.len,
        .docid = docid, .path = f->path, .key = f->key,
    };
    uint32_t n = 0;
    xs_status_t xst = idx_article_index(&r->ctx, &art, add_doc, r, &n);
    free(docid);
    if (xst != XS_OK) {
        db_error(r, f->path, xst);
        return 1;
    }
    rec.n_passages = n;
    if (!set_file_record(r, f->key, &rec))
        return 1;
    if (k)
        r->st.updated++;
    else
        r->st.added++;
    r->st.passages += n;
    r->batch_passages += n;
    r->batch_files++;
    if (r->batch_passages >= r->o->batch_passages && !commit_batch(r))
        return 1;
    return 0;
}

static void on_problem(const char *path, const char *message, void *payload)
{
    run_t *r = payload;
    note(r, path, "%s", message);
    r->st.failed++;
    /* Whatever the index holds under a folder it could not read stays. */
    char *key = realpath(path, NULL);
    if (!key)
        key = strdup(path);
    char **grown = key ? realloc(r->skip_prefixes, (r->n_skip + 1) * sizeof *grown) : NULL;
    if (!grown) {
        free(key);
        return;
    }
    r->skip_prefixes = grown;
    r->skip_prefixes[r->n_skip++] = key;
}

/* ---- removals ------------------------------------------------------------ */

static bool under(const char *key, const char *dir)
{
    size_t n = strlen(dir);
    if (strncmp(key, dir, n) != 0)
        return false;
    return key[n] == '\0' || key[n] == '/' || (n > 0 && dir[n - 1] == '/');
}

static void remove_vanished(run_t *r, char **root_keys, size_t n_roots)
{
    for (size_t i = 0; i < r->n_known && !r->fatal && !stop_signal; i++) {
        known_file_t *k = &r->known[i];
        if (k->seen)
            continue;
        bool in_scope = false;
        for (size_t j = 0; j < n_roots && !in_scope; j++)
            in_scope = root_keys[j] && under(k->key, root_keys[j]);
        for (size_t j = 0; j < r->n_skip && in_scope; j++)
            if (under(k->key, r->skip_prefixes[j]))
                in_scope = false;
        if (!in_scope)
            continue;
        if (!ensure_batch(r) || !delete_file_passages(r, k->key) || !set_file_record(r, k->key, NULL))
            return;
        r->st.removed++;
        if (!r->o->quiet)
            note(r, k->path, "removed from the index (file is gone)");
    }
}

/* ---- database, lock, rebuild --------------------------------------------- */

static void report_locked(const char *db_path)
{
    char pidfile[PATH_MAX], buf[32] = "";
    snprintf(pidfile, sizeof pidfile, "%s/%s", db_path, PID_FILE);
    FILE *f = fopen(pidfile, "r");
    if (f) {
        if (!fgets(buf, sizeof buf, f))
            buf[0] = '\0';
        fclose(f);
    }
    buf[strcspn(buf, "\n")] = '\0';
    if (buf[0])
        fprintf(stderr, "passim-index: %s: index is locked by another passim-index (pid %s)\n",
                db_path, buf);
    else
        fprintf(stderr, "passim-index: %s: index is locked by another writer\n", db_path);
}

static void write_pid(const char *db_path)
{
    char pidfile[PATH_MAX];
    snprintf(pidfile, sizeof pidfile, "%s/%s", db_path, PID_FILE);
    FILE *f = fopen(pidfile, "w");
    if (f) {
        fprintf(f, "%ld\n", (long)getpid());
        fclose(f);
    }
}

static xs_status_t open_db(xs_db_t **out, const char *path, xs_mode_t mode)
{
    xs_status_t st = xs_db_open(out, path, mode);
    if (st == XS_ERR_LOCKED)
        report_locked(path);
    else if (st != XS_OK)
        fprintf(stderr, "passim-index: %s: cannot open index: %s\n", path,
                *xs_last_error() ? xs_last_error() : xs_status_str(st));
    else if (mode != XS_DB_READ)
        write_pid(path);
    return st;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(const char *path)
{
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The stemming language: as asked, else the index's, else english. A mismatch
 * with an existing index is an error unless rebuilding. */
static const char *choose_lang(const idx_opts_t *o, xs_db_t *db, char **held)
{
    char *lang = NULL;
    size_t len;
    *held = NULL;
    if (db && xs_db_get_metadata(db, PASSIM_META_LANG, &lang, &len) == XS_OK && lang) {
        if (o->lang && !o->rebuild && strcmp(o->lang, lang) != 0) {
            fprintf(stderr,
                    "passim-index: %s: the index was built with --lang %s; "
                    "use --rebuild to change it to %s\n", o->db_path, lang, o->lang);
            free(lang);
            return NULL;
        }
        if (!o->lang || !o->rebuild) {
            *held = lang;
            return lang;
        }
        free(lang);
    }
    return o->lang ? o->lang : "english";
}

static void summary(const run_t *r, double secs)
{
    const stats_t *s = &r->st;
    double mbs = secs > 0 ? s->bytes / 1e6 / secs : 0;
    if (s->added + s->updated + s->removed == 0)
        printf("passim-index: %s: up to date, nothing changed (%u unchanged, %u skipped, "
               "%u failed) in %.2f s\n", r->o->db_path, s->unchanged, s->skipped, s->failed, secs);
    else
        printf("passim-index: %s: %u added, %u updated, %u removed, %u unchanged, %u skipped, "
               "%u failed; %llu passages; %.2f s, %.2f MB/s\n", r->o->db_path, s->added,
               s->updated, s->removed, s->unchanged, s->skipped, s->failed,
               (unsigned long long)s->passages, secs, mbs);
    fflush(stdout);
}

static void free_run(run_t *r)
{
    for (size_t i = 0; i < r->n_known; i++) {
        free(r->known[i].key);
        free(r->known[i].path);
    }
    free(r->known);
    for (size_t i = 0; i < r->n_skip; i++)
        free(r->skip_prefixes[i]);
    free(r->skip_prefixes);
    free(r->db_key);
    text_analyzer_free(r->ctx.analyzer);
    xs_doc_free(r->ctx.doc);
    idx_counter_free(r->ctx.spell);
    idx_counter_free(r->seen);
    text_buf_free(&r->ctx.term);
    text_buf_free(&r->ctx.record);
    text_buf_free(&r->ctx.title);
    text_buf_free(&r->content);
    text_buf_free(&r->decoded);
    text_buf_free(&r->scratch);
}

int idx_run(const idx_opts_t *o, char *const *paths, size_t n_paths)
{
    run_t r = { .o = o };
    int status = IDX_EXIT_ERROR;
    xs_db_t *old = NULL;       /* the live index, held (locked) during a rebuild */
    char *held_lang = NULL, *tmp_path = NULL;
    char **root_keys = NULL;
    struct stat dbst;
    bool exists = stat(o->db_path, &dbst) == 0;

    r.t0 = now();
    r.progress = o->progress > 0 || (o->progress < 0 && isatty(STDERR_FILENO));

    if (exists && !S_ISDIR(dbst.st_mode)) {
        fprintf(stderr, "passim-index: %s: exists and is not an index folder\n", o->db_path);
        return IDX_EXIT_ERROR;
    }
    if (o->rebuild && exists) {
        /* Hold the live index's write lock while the new one is built beside it. */
        if (open_db(&old, o->db_path, XS_DB_WRITE) != XS_OK)
            goto out;
        if (asprintf(&tmp_path, "%s.rebuild-%ld", o->db_path, (long)getpid()) < 0) {
            tmp_path = NULL;
            goto out;
        }
        remove_tree(tmp_path);
        if (open_db(&r.db, tmp_path, XS_DB_CREATE) != XS_OK)
            goto out;
    } else if (open_db(&r.db, o->db_path, XS_DB_WRITE) != XS_OK) {
        goto out;
    }
    r.db_key = realpath(o->db_path, NULL);

    const char *lang = choose_lang(o, old ? old : r.db, &held_lang);
    if (!lang)
        goto out;
    text_status_t ts = text_analyzer_new(&r.ctx.analyzer, lang);
    if (ts != TEXT_OK) {
        fprintf(stderr, "passim-index: --lang %s: %s\n", lang, text_status_str(ts));
        goto out;
    }
    r.ctx.passage_opts = o->passages;
    if (xs_doc_new(&r.ctx.doc) != XS_OK || !(r.seen = idx_counter_new())
        || (o->spelling && !(r.ctx.spell = idx_counter_new())))
        goto out;

    if (!o->rebuild) {
        if (xs_db_metadata(r.db, PASSIM_META_FILE, load_known, &r, NULL) != XS_OK) {
            db_error(&r, "cannot read the list of indexed files", XS_ERR_BACKEND);
            goto out;
        }
        if (r.n_known > 1)
            qsort(r.known, r.n_known, sizeof *r.known, cmp_known);
    }
    uint32_t ndocs = 0;
    xs_db_doccount(r.db, &ndocs);
    r.db_was_empty = r.n_known == 0 && ndocs == 0;

    struct sigaction sa = { .sa_handler = on_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    root_keys = calloc(n_paths, sizeof *root_keys);
    if (!root_keys)
        goto out;
    idx_walk_cb_t cb = { on_file, on_problem, &r };
    for (size_t i = 0; i < n_paths && !r.fatal && !stop_signal; i++) {
        if (idx_walk(paths[i], r.db_key, &cb) >= 0)
            root_keys[i] = realpath(paths[i], NULL);
    }
    if (!r.fatal && !stop_signal && !o->rebuild)
        remove_vanished(&r, root_keys, n_paths);

    if (r.fatal) {
        xs_db_cancel(r.db);
    } else if (stop_signal) {
        /* Stop at a clean point: what was finished is kept. */
        bool ok = !o->rebuild && commit_batch(&r);
        clear_progress(&r);
        fprintf(stderr, "passim-index: interrupted by %s; %s\n",
                stop_signal == SIGINT ? "SIGINT" : "SIGTERM",
                o->rebuild ? "the rebuild was abandoned, the old index is unchanged"
                : ok ? "the files finished so far are committed; run again to finish"
                     : "the last batch was discarded; run again to finish");
    } else if (commit_batch(&r)) {
        status = r.st.failed ? IDX_EXIT_SOME_FAILED : IDX_EXIT_OK;
    }
    xs_db_close(r.db);

    if (status != IDX_EXIT_ERROR && tmp_path) {
        /* Swap the new index in: one atomic exchange, then drop the old one. */
        if (renameat2(AT_FDCWD, tmp_path, AT_FDCWD, o->db_path, RENAME_EXCHANGE) != 0) {
            fprintf(stderr, "passim-index: %s: cannot replace the index: %s\n", o->db_path,
                    strerror(errno));
            status = IDX_EXIT_ERROR;
        } else {
            write_pid(o->db_path);
        }
    }
    clear_progress(&r);
    if (status != IDX_EXIT_ERROR || stop_signal)
        summary(&r, now() - r.t0);
    if (stop_signal)
        status = 128 + stop_signal;

out:
    xs_db_free(r.db);
    r.db = NULL;
    xs_db_free(old);
    if (tmp_path) {
        remove_tree(tmp_path);
        free(tmp_path);
    }
    if (root_keys)
        for (size_t i = 0; i < n_paths; i++)
            free(root_keys[i]);
    free(root_keys);
    free(held_lang);
    free_run(&r);
    return status;
}
