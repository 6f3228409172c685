/*
 * run.c — one run of passim-index: bring the index in step with the paths given.
 *
 * The index remembers each file it holds (size, mtime, content hash, passages)
 * in Xapian metadata. A file whose size and mtime are unchanged is skipped
 * without reading it; one that was only touched (same hash) is not re-indexed;
 * a changed one has its passages replaced; a file that vanished from under a
 * root given on this run has its passages removed, and so has a root that is
 * gone.
 *
 * Writes go in batches that commit atomically at file boundaries, with each
 * file's passages and its record in the same batch, so a run killed at any
 * moment leaves the last committed index, and the next run finishes the work.
 * --rebuild writes a new index beside the old one and swaps it in at the end;
 * until then the old one stays searchable. A fresh build with --jobs N writes
 * N shards on N threads and merges them into the index with Xapian's
 * compaction, then swaps it in; on one writer, its files are read and
 * analysed on a second thread ahead of it (ahead.c).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
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
    text_file_record_t rec;  /* rec.key points into key, rec.path into path, rec.place
                                into place */
    char *path;
    char *place;             /* where the walk met it, if a link led there; else NULL */
    bool seen;               /* met by this run's walk */
    bool unchanged;          /* ...with the size and mtime it had: its record holds
                                its text's hash */
    const char *why;         /* why it goes if the walk does not meet it: passed over
                                on purpose, or its PATH is gone; NULL if unknown */
    char *skipped_at;        /* where the walk found it no article (a pipe in its
                                place), and what it said, noted and counted as
                                skipped only if the file is not removed */
    char *skipped_why;
} known_file_t;

typedef struct run {
    const idx_opts_t *o;
    bool created;              /* the index did not exist before this run */
    idx_report_t rep;
    idx_writer_t w;            /* the writer of a sequential run */
    char *db_key;              /* realpath of the database folder, when it exists */
    known_file_t *known;       /* sorted by key */
    size_t n_known, cap_known;
    known_file_t **by_place;   /* the known files a link led to, by place (built when
                                  the walk first passes over something) */
    size_t n_by_place;
    bool by_place_built;
    char **skip_prefixes;      /* folders that could not be read: keep what is under them */
    size_t n_skip, cap_skip;
    idx_counter_t *seen;       /* file keys met by this run */
    idx_file_t *files;         /* parallel build: the files to index */
    size_t n_files, cap_files;
    idx_file_t *linked;        /* files met through a link, held until every PATH is
                                  walked: one a PATH holds itself is met there */
    size_t n_linked, cap_linked;
    bool draining;             /* the held files are being indexed */
    bool *has_passages;        /* collected files: files[i] was indexed with passages */
    unsigned walk_failed;      /* problems met by the walk */
    unsigned walk_skipped;     /* files it passed over as no article (a pipe...) */
    idx_counter_t *failed_at;  /* where: a folder or link met by two routes fails once */
    idx_counter_t *skipped_at; /* and a pipe met by two routes is skipped once */
    unsigned rebuild_dropped;  /* a rebuild: the articles it leaves out (files gone...) */
    bool *dropped;             /* and which of known[] they are (NULL: unknown) */
    bool collect;              /* walk into files[] instead of indexing at once */
} run_t;

static bool signal_clears_line; /* stderr is a terminal: a progress line may be on it */

/* What the first signal is answered with at once. */
typedef struct signal_note {
    const char *text;
    size_t len;
} signal_note_t;
#define SIGNAL_NOTE(s) { s, sizeof s - 1 }
/* An update stops at its next clean point, which a large file can put
 * seconds away. */
static const signal_note_t update_note = SIGNAL_NOTE(
    "passim-index: stopping at a clean point; interrupt again to stop at once (the index "
    "keeps its last commit)\n");
/* A rebuild or a parallel build, written beside the index, is dropped at once. */
static const signal_note_t whole_note = SIGNAL_NOTE(
    "passim-index: stopping; this build is dropped unless it is complete already (the index "
    "stays as it was until then)\n");
static const signal_note_t *volatile signal_note = &update_note;

/* SIGINT or SIGTERM: the run stops at its next clean point (the end of the
 * file it is at, in most runs), and says so at once; a second one ends it
 * there and then, as SIGKILL would, which leaves the last commit in place. */
static void on_signal(int sig)
{
    if (idx_stop_signal) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    idx_stop_signal = sig;
    int saved = errno; /* a failed write must not change what the run reads */
    const signal_note_t *note = signal_note;
    if (signal_clears_line)
        (void)!write(STDERR_FILENO, "\r\033[K", 4);
    (void)!write(STDERR_FILENO, note->text, note->len);
    errno = saved;
}

/* ---- the files the index knows ------------------------------------------- */

static int load_known(const char *key, size_t key_len, const char *value, size_t value_len,
                      void *payload)
{
    run_t *r = payload;
    text_file_record_t rec;
    if (!text_file_record_decode(value, value_len, &rec))
        return 0; /* unreadable record: the file will be indexed afresh */
    known_file_t *grown = text_grow(r->known, &r->cap_known, r->n_known + 1, sizeof *grown);
    if (!grown)
        return -1;
    r->known = grown;
    known_file_t *k = &r->known[r->n_known];
    *k = (known_file_t){ 0 };
    (void)key;
    (void)key_len; /* may be shortened: the record holds the whole key */
    k->key = strndup(rec.key, rec.key_len);
    k->path = strndup(rec.path, rec.path_len);
    k->place = rec.place_len ? strndup(rec.place, rec.place_len) : NULL;
    if (!k->key || !k->path || (rec.place_len && !k->place)) {
        free(k->key);
        free(k->path);
        free(k->place);
        return -1;
    }
    k->rec = rec;
    k->rec.key = k->key;
    k->rec.path = k->path;
    k->rec.place = k->place;
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

/* The first known file whose key is not below key (r->n_known if none). */
static size_t lower_bound_known(const run_t *r, const char *key)
{
    size_t lo = 0, hi = r->n_known;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(r->known[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int cmp_known(const void *a, const void *b)
{
    return strcmp(((const known_file_t *)a)->key, ((const known_file_t *)b)->key);
}

/* ---- walking ------------------------------------------------------------- */

/* Append a copy of f to the list *v (n, capacity cap). */
static bool copy_file(idx_file_t **v, size_t *n, size_t *cap, const idx_file_t *f)
{
    idx_file_t *grown = text_grow(*v, cap, *n + 1, sizeof *grown);
    if (!grown)
        return false;
    *v = grown;
    idx_file_t *c = &(*v)[*n];
    c->path = strdup(f->path);
    c->key = strdup(f->key);
    c->place = strdup(f->place);
    c->rel = c->path ? c->path + (f->rel - f->path) : NULL;
    c->size = f->size;
    c->mtime_ns = f->mtime_ns;
    c->via_link = f->via_link;
    c->moved = false;
    if (!c->path || !c->key || !c->place) {
        free((char *)c->path);
        free((char *)c->key);
        free((char *)c->place);
        return false;
    }
    (*n)++;
    return true;
}

static void free_files(idx_file_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free((char *)v[i].path);
        free((char *)v[i].key);
        free((char *)v[i].place);
    }
    free(v);
}

/* Whether f is met where the index last met it. A file the index holds as met
 * directly keeps that place when a link also leads to it: it goes when its own
 * PATH no longer has it, not when the link goes. */
static bool same_place(const known_file_t *k, const idx_file_t *f)
{
    return !k->place || strcmp(f->place, k->place) == 0;
}

static int on_file(const idx_file_t *f, void *payload)
{
    run_t *r = payload;
    if (idx_stop_signal || r->w.fatal)
        return 1;
    /* Met through a link: later, unless a PATH holds the file itself. */
    if (!r->draining && f->via_link) {
        if (copy_file(&r->linked, &r->n_linked, &r->cap_linked, f))
            return 0;
        fputs("passim-index: out of memory\n", stderr);
        r->w.fatal = true;
        return 1;
    }
    uint32_t times = idx_counter_add(r->seen, f->key, strlen(f->key));
    if (times == 0) {
        fputs("passim-index: out of memory\n", stderr);
        r->w.fatal = true;
        return 1;
    }
    if (times > 1) /* met again: two roots, or a link to a file already seen */
        return 0;
    known_file_t *k = find_known(r, f->key);
    if (k)
        k->seen = true;
    if (r->collect) {
        if (copy_file(&r->files, &r->n_files, &r->cap_files, f))
            return 0;
        fputs("passim-index: out of memory\n", stderr);
        r->w.fatal = true;
        return 1;
    }
    idx_progress(&r->rep, f->path, 0, 0);
    /* Unchanged, unless it is met elsewhere now (a link that led to it goes,
     * or leads from elsewhere): its passages are then written again, under
     * the path it has now. */
    bool moved = k && !same_place(k, f);
    if (k && !r->o->rebuild && k->rec.size == f->size && k->rec.mtime_ns == f->mtime_ns
        && !moved) {
        r->w.st.unchanged++;
        k->unchanged = true;
        return 0;
    }
    idx_file_t g = *f;
    g.moved = moved;
    return idx_writer_file(&r->w, &g, k && !r->o->rebuild ? &k->rec : NULL) ? 0 : 1;
}

/* The canonical path that path, which does not resolve itself (a broken
 * link, a link loop, nothing there), would have: its folder's canonical path
 * and its name. NULL if its folder does not resolve either, or its name is
 * "." or "..". */
static char *key_in_folder(const char *path)
{
    char *dir_copy = strdup(path), *base_copy = strdup(path), *dir_key = NULL, *key = NULL;
    if (dir_copy && base_copy && (dir_key = realpath(dirname(dir_copy), NULL)) != NULL) {
        const char *base = basename(base_copy);
        if (strcmp(base, ".") != 0 && strcmp(base, "..") != 0 && strcmp(base, "/") != 0)
            key = idx_key_join(dir_key, base);
    }
    free(dir_key);
    free(dir_copy);
    free(base_copy);
    return key;
}

/* The canonical path of path, which may not resolve: see key_in_folder, else
 * path itself. */
static char *key_of_unresolved(const char *path)
{
    char *key = realpath(path, NULL);
    if (!key)
        key = key_in_folder(path);
    return key ? key : strdup(path);
}

/* Keep what the index holds under key (malloc'ed, taken; NULL: nothing). */
static void add_skip(run_t *r, char *key)
{
    char **grown = key ? text_grow(r->skip_prefixes, &r->cap_skip, r->n_skip + 1, sizeof *grown)
                       : NULL;
    if (!grown) {
        free(key);
        return;
    }
    r->skip_prefixes = grown;
    r->skip_prefixes[r->n_skip++] = key;
}

/* Count key (or NULL) in *seen; true if it was met before, by
 * another route. Without memory every meeting counts as the first. */
static bool met_before(idx_counter_t **seen, const char *key)
{
    if (key && !*seen)
        *seen = idx_counter_new();
    return key && *seen && idx_counter_add(*seen, key, strlen(key)) > 1;
}

static void on_problem(const char *path, const char *place, const char *message,
                       idx_walk_problem_t kind, void *payload)
{
    run_t *r = payload;
    if (kind == IDX_WALK_NOTE) {
        if (!r->rep.quiet)
            idx_note(&r->rep, path, "%s", message);
        return;
    }
    char *key = key_of_unresolved(path);
    if (kind == IDX_WALK_SKIPPED) {
        /* Nothing was missed: no failure, and removals go on as usual. A file
         * the index holds that is now no article (a pipe in its place) is
         * counted and noted once: as removed if it goes, else as skipped
         * (remove_vanished()), so that the counts of a run add up to its
         * files. */
        known_file_t *k = key && r->n_known > 0 ? find_known(r, key) : NULL;
        if (k && k->skipped_at) {
            free(key);
            return; /* met before, by another route */
        }
        if (k) {
            k->skipped_at = strdup(path);
            k->skipped_why = strdup(message);
            if (k->skipped_at && k->skipped_why) {
                free(key);
                return;
            }
            free(k->skipped_at); /* out of memory: counted now */
            free(k->skipped_why);
            k->skipped_at = k->skipped_why = NULL;
        }
        if (!met_before(&r->skipped_at, key)) {
            r->walk_skipped++;
            if (!r->rep.quiet)
                idx_note(&r->rep, path, "%s", message);
        }
        free(key);
        return;
    }
    /* Whatever the index holds under a folder it could not read stays, and so
     * does what it holds at a path that could not be resolved (a broken link). */
    if (met_before(&r->failed_at, key)) {
        free(key);      /* one failure */
    } else {
        idx_note(&r->rep, path, "%s", message);
        r->walk_failed++;
        add_skip(r, key);
    }
    /* And where the walk met it, for files met there through a link. */
    if (place)
        add_skip(r, strdup(place));
}

static int cmp_place(const void *a, const void *b)
{
    return strcmp((*(known_file_t *const *)a)->place, (*(known_file_t *const *)b)->place);
}

/* r->by_place, once; left empty if memory runs out (reasons are then guessed). */
static void build_by_place(run_t *r)
{
    r->by_place_built = true;
    size_t n = 0;
    for (size_t i = 0; i < r->n_known; i++)
        n += r->known[i].place != NULL;
    if (n == 0 || !(r->by_place = malloc(n * sizeof *r->by_place)))
        return;
    for (size_t i = 0; i < r->n_known; i++)
        if (r->known[i].place)
            r->by_place[r->n_by_place++] = &r->known[i];
    qsort(r->by_place, r->n_by_place, sizeof *r->by_place, cmp_place);
}

static size_t lower_bound_place(const run_t *r, const char *place)
{
    size_t lo = 0, hi = r->n_by_place;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(r->by_place[mid]->place, place) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The walk passed over key (a file, or a folder and all below it): the files
 * the index knows there keep the reason, for the note if they are removed;
 * so do the files that a link there led to (a link now ignored). */
static void on_skipped(const char *key, const char *why, void *payload)
{
    run_t *r = payload;
    if (r->n_known == 0)
        return;
    if (!r->by_place_built)
        build_by_place(r);
    known_file_t *k = find_known(r, key);
    if (k)
        k->why = why;
    text_buf_t below = TEXT_BUF_INIT;
    if (!text_buf_printf(&below, "%s/", strcmp(key, "/") == 0 ? "" : key)) {
        text_buf_free(&below);
        return;
    }
    for (size_t i = lower_bound_known(r, below.data);
         i < r->n_known && strncmp(r->known[i].key, below.data, below.len) == 0; i++)
        r->known[i].why = why;
    for (size_t i = lower_bound_place(r, key);
         i < r->n_by_place && strcmp(r->by_place[i]->place, key) == 0; i++)
        r->by_place[i]->why = why;
    for (size_t i = lower_bound_place(r, below.data);
         i < r->n_by_place && strncmp(r->by_place[i]->place, below.data, below.len) == 0; i++)
        r->by_place[i]->why = why;
    text_buf_free(&below);
}

/* ---- removals ------------------------------------------------------------ */

/* Whether path resolves to key, a canonical path (to itself: no symbolic
 * link on the way). */
static bool resolves_to(const char *path, const char *key)
{
    char *real = realpath(path, NULL);
    bool same = real && strcmp(real, key) == 0;
    free(real);
    return same;
}

/* Why a file the walk did not meet goes: what the walk said, else whether it
 * is still there. */
static const char *removal_reason(const known_file_t *k)
{
    struct stat st;
    if (k->why)
        return k->why;
    if (lstat(k->key, &st) != 0)
        return "file is gone";
    if (S_ISLNK(st.st_mode)) {  /* a link in its place: the walk met what it leads to */
        if (stat(k->key, &st) != 0)
            return "now a symbolic link to no regular file";
        return S_ISREG(st.st_mode) ? "now a symbolic link: the file it leads to is the article"
               : S_ISDIR(st.st_mode) ? "now a symbolic link to a folder"
                                     : "now a symbolic link to no regular file";
    }
    if (!S_ISREG(st.st_mode))
        return "no longer a regular file";
    if (!resolves_to(k->key, k->key))  /* a folder above it made a link */
        return "a folder on its path is now a symbolic link: the file it leads to is the article";
    if (k->place && !resolves_to(k->place, k->key))
        return "a symbolic link led to it, and no longer does";
    return "not met under the PATH";
}

static bool under(const char *key, const char *dir)
{
    size_t n = strlen(dir);
    if (strncmp(key, dir, n) != 0)
        return false;
    return key[n] == '\0' || key[n] == '/' || (n > 0 && dir[n - 1] == '/');
}

/* Whether k lies under dir: its key, or where the walk met it (through a link
 * from under dir to elsewhere). */
static bool under_either(const known_file_t *k, const char *dir)
{
    return under(k->key, dir) || (k->place && under(k->place, dir));
}

/* What the removal note of a file says when the note for its PATH said it all. */
static const char noted_with_path[] = "";

/*
 * A PATH given that is gone (nothing at all at that name, in a folder that is
 * still there) while the index holds articles from it: they go with the other
 * vanished files, under one note for the PATH. Returns the canonical path to
 * remove under, or NULL: the walk then reports the PATH as it is, and a PATH
 * the index knows nothing of stays an error (most likely a typo).
 */
static char *gone_root(run_t *r, const char *path)
{
    struct stat st;
    if (r->n_known == 0 || lstat(path, &st) == 0 || errno != ENOENT)
        return NULL;
    char *key = key_in_folder(path);
    size_t n = 0;
    bool itself = false; /* the PATH was a file, not a folder */
    for (size_t i = 0; key && i < r->n_known; i++)
        if (under_either(&r->known[i], key)) {
            r->known[i].why = noted_with_path;
            itself = itself || strcmp(r->known[i].key, key) == 0
                     || (r->known[i].place && strcmp(r->known[i].place, key) == 0);
            n++;
        }
    if (n == 0) {
        free(key);
        return NULL;
    }
    if (!r->rep.quiet && n == 1)
        idx_note(&r->rep, path, itself ? "gone; its article is removed from the index"
                                       : "gone; the one article under it is removed from the index");
    else if (!r->rep.quiet)
        idx_note(&r->rep, path, "gone; its %zu articles are removed from the index", n);
    return key;
}

/* Whether what could not be followed at skip is the link that led to k, a
 * file now deleted (its article goes, "file is gone"), or a link that took
 * the place of k's file, rather than a folder whose files may come back (a
 * disk not mounted). */
static bool link_to_gone_file(const known_file_t *k, const char *skip)
{
    struct stat st;
    /* A file that a link which cannot be followed replaced (deleted, and a
     * loop made in its place, or a link to nothing in a folder that is
     * there): its text is gone. Not one that may come back: a link to a
     * folder not there (a disk not mounted), or that may not be searched. */
    if (!k->place && strcmp(k->key, skip) == 0 && lstat(k->key, &st) == 0 && S_ISLNK(st.st_mode)) {
        if (stat(k->key, &st) == 0 || (errno != ELOOP && errno != ENOENT))
            return false;
        if (errno == ELOOP)
            return true;
        char target[PATH_MAX];
        ssize_t n = readlink(k->key, target, sizeof target - 1);
        if (n <= 0)
            return false;
        target[n] = '\0';
        char *from = strdup(k->key), *full = NULL;
        bool there = false;
        if (from && asprintf(&full, "%s%s%s", target[0] == '/' ? "" : dirname(from),
                             target[0] == '/' ? "" : "/", target) >= 0) {
            there = stat(dirname(full), &st) == 0 && S_ISDIR(st.st_mode);
            free(full);
        }
        free(from);
        return there;
    }
    if (!k->place || strcmp(k->place, skip) != 0 || stat(k->key, &st) == 0 || errno != ENOENT)
        return false;
    /* Gone from a folder that is there: deleted, not on a disk not mounted. */
    char *dir = strdup(k->key);
    bool deleted = dir && stat(dirname(dir), &st) == 0;
    free(dir);
    return deleted;
}

/* Whether k lies where the walk met a problem (a folder it could not read,
 * a link it could not follow), so that what the index holds of it stays. */
static bool behind_problem(const run_t *r, const known_file_t *k)
{
    for (size_t j = 0; j < r->n_skip; j++)
        if (under_either(k, r->skip_prefixes[j]) && !link_to_gone_file(k, r->skip_prefixes[j]))
            return true;
    return false;
}

/* A PATH of this run, as the removals see it: what it resolves to, and where
 * it lies as spelt (idx_place_of()); NULL where unknown. */
typedef struct root {
    char *key;
    char *place;
} root_t;

/* Drop the skip note of a file the index holds (it was removed, and counted
 * so). */
static void forget_skipped_known(known_file_t *k)
{
    free(k->skipped_at);
    free(k->skipped_why);
    k->skipped_at = k->skipped_why = NULL;
}

/* A file the index holds that the walk found no article, and that stays:
 * noted and counted as skipped, as any pipe met is. */
static void note_skipped_known(run_t *r, known_file_t *k)
{
    if (!k->skipped_at)
        return;
    r->walk_skipped++;
    if (!r->rep.quiet)
        idx_note(&r->rep, k->skipped_at, "%s", k->skipped_why);
    forget_skipped_known(k);
}

static int cmp_added(const void *a, const void *b)
{
    uint64_t x = ((const idx_added_t *)a)->hash, y = ((const idx_added_t *)b)->hash;
    return x < y ? -1 : x > y;
}

/* The files whose text a gone one may have moved to: those this run added,
 * and those the index holds that the walk met unchanged (added by a run
 * interrupted after the move); not one met changed, whose record still has
 * the text it had. Each sorted by hash. */
typedef struct moved_ctx {
    idx_added_t *met;       /* built when first needed */
    size_t n_met;
    bool met_built;
} moved_ctx_t;

static const idx_added_t *find_hash(const idx_added_t *list, size_t n, uint64_t hash)
{
    idx_added_t want = { hash, NULL };
    return n ? bsearch(&want, list, n, sizeof want, cmp_added) : NULL;
}

/* How many of the last parts of paths a and b are the same: 2 for
 * "notes/x/a.txt" and "Notes/x/a.txt". */
static size_t same_last_parts(const char *a, const char *b)
{
    size_t la = strlen(a), na = la, nb = strlen(b), parts = 0;
    while (na > 0 && nb > 0 && a[na - 1] == b[nb - 1]) {
        na--, nb--;
        parts += a[na] == '/';
    }
    bool whole = (na == 0 || a[na - 1] == '/') && (nb == 0 || b[nb - 1] == '/');
    return parts + (whole && na < la);
}

/* In list (n, sorted by hash), a file with k's text, the one whose path
 * ends most like k's (a folder renamed: the rest of the path is the same);
 * if that text makes no passage (an empty file, which many share), one with
 * k's name at least. */
static const idx_added_t *find_like(const idx_added_t *list, size_t n, const known_file_t *k)
{
    const idx_added_t *a = find_hash(list, n, k->rec.hash), *best = NULL;
    if (a == NULL)
        return NULL;
    while (a > list && a[-1].hash == k->rec.hash)
        a--;
    size_t best_parts = 0;
    for (; a < list + n && a->hash == k->rec.hash; a++) {
        size_t parts = same_last_parts(a->path, k->path);
        if (best == NULL || parts > best_parts) {
            best = a;
            best_parts = parts;
        }
    }
    return k->rec.n_passages > 0 || best_parts > 0 ? best : NULL;
}

/* A file with k's text, met or added by this run, if k's file is gone (its
 * folder renamed or moved, most likely): k moved there. NULL if there is
 * none, or memory ran out. */
static const idx_added_t *moved_to(const run_t *r, const known_file_t *k, moved_ctx_t *m)
{
    struct stat st;
    if (lstat(k->key, &st) == 0 || (errno != ENOENT && errno != ENOTDIR))
        return NULL;
    const idx_added_t *a = find_like(r->w.added, r->w.n_added, k);
    if (a != NULL)
        return a;
    if (!m->met_built) {
        m->met_built = true;
        if ((m->met = malloc((r->n_known ? r->n_known : 1) * sizeof *m->met)) == NULL)
            return NULL;
        for (size_t i = 0; i < r->n_known; i++)
            if (r->known[i].unchanged)
                m->met[m->n_met++] = (idx_added_t) { r->known[i].rec.hash, r->known[i].path };
        if (m->n_met > 1)
            qsort(m->met, m->n_met, sizeof *m->met, cmp_added);
    }
    return find_like(m->met, m->n_met, k);
}

/* Whether k lies under a PATH of this run: where the PATH leads, or as it is
 * spelt (a file met before at a place that a link now takes, "notes" moved
 * away and linked back: what the index holds there is stale). */
static bool under_roots(const known_file_t *k, const root_t *roots, size_t n_roots)
{
    for (size_t j = 0; j < n_roots; j++)
        if ((roots[j].key && under(k->key, roots[j].key))
            || (roots[j].place
                && (under(k->key, roots[j].place) || (k->place && under(k->place, roots[j].place)))))
            return true;
    return false;
}

/* Remove the files the index knows under a root of this run (by key, or by
 * where the walk met them) that the walk did not meet, unless they lie under
 * a folder that could not be read. A file met through a link from under a
 * root goes when the link goes or leads elsewhere. A file elsewhere goes if
 * it is gone and this run met its text under another name: it moved (the
 * folder renamed, and indexed by its new name), and would show twice. */
static void remove_vanished(run_t *r, const root_t *roots, size_t n_roots)
{
    if (r->w.n_added > 1)
        qsort(r->w.added, r->w.n_added, sizeof *r->w.added, cmp_added);
    text_buf_t why = TEXT_BUF_INIT;
    moved_ctx_t m = { NULL, 0, false };
    for (size_t i = 0; i < r->n_known && !r->w.fatal && !idx_stop_signal; i++) {
        known_file_t *k = &r->known[i];
        if (k->seen)
            continue;
        bool in_scope = under_roots(k, roots, n_roots);
        const idx_added_t *moved = in_scope ? NULL : moved_to(r, k, &m);
        if (moved) {
            text_buf_clear(&why);
            if (!text_buf_printf(&why, "gone, and its text is indexed as %s", moved->path))
                text_buf_clear(&why);
        }
        bool removed = (in_scope && !behind_problem(r, k)) || moved;
        if (removed && !idx_writer_remove(&r->w, k->key, k->path,
                                          moved ? (why.data ? why.data : "file is gone")
                                                : removal_reason(k)))
            break;
        if (removed)
            forget_skipped_known(k);
        else
            note_skipped_known(r, k);
    }
    free(m.met);
    text_buf_free(&why);
}

/* ---- database, lock, temporary folders ----------------------------------- */

/* The pid in the index's pid file, if that process is alive; else 0. */
static long locker_pid(const char *db_path)
{
    char pidfile[PATH_MAX], buf[32] = "";
    snprintf(pidfile, sizeof pidfile, "%s/%s", db_path, PID_FILE);
    FILE *f = fopen(pidfile, "r");
    if (f) {
        if (!fgets(buf, sizeof buf, f))
            buf[0] = '\0';
        fclose(f);
    }
    long pid = strtol(buf, NULL, 10);
    return pid > 0 && pid != (long)getpid() && (kill((pid_t)pid, 0) == 0 || errno == EPERM)
           ? pid : 0;
}

static void report_locked(const char *db_path)
{
    /* A writer that has just taken the lock writes its pid a moment later;
     * until then the file may hold an earlier run's. */
    long pid = 0;
    for (int i = 0; i < 10 && (pid = locker_pid(db_path)) == 0; i++)
        nanosleep(&(struct timespec){ .tv_nsec = 20 * 1000 * 1000 }, NULL);
    if (pid)
        fprintf(stderr, "passim-index: %s: index is locked by another passim-index (pid %ld)\n",
                db_path, pid);
    else
        fprintf(stderr, "passim-index: %s: index is locked by another writer\n", db_path);
}

static void write_pid(const char *db_path)
{
    char pidfile[PATH_MAX];
    snprintf(pidfile, sizeof pidfile, "%s/%s", db_path, PID_FILE);
    unlink(pidfile);    /* another user's (root's rebuild) would not open */
    FILE *f = fopen(pidfile, "w");
    if (f) {
        fprintf(f, "%ld\n", (long)getpid());
        fclose(f);
    }
}

static void remove_pid(const char *db_path)
{
    char pidfile[PATH_MAX];
    if (snprintf(pidfile, sizeof pidfile, "%s/%s", db_path, PID_FILE) < (int)sizeof pidfile)
        unlink(pidfile);
}

/* Whether the folder that is to hold a new index at path exists; if not,
 * says so. (Xapian would make the index's own folder, not those above it.) */
static bool parent_exists(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return true;
    char parent[PATH_MAX];
    int n = snprintf(parent, sizeof parent, "%.*s", (int)(slash - path), path);
    struct stat st;
    if (n < 0 || (size_t)n >= sizeof parent || stat(parent, &st) == 0 || errno != ENOENT)
        return true; /* other failures are Xapian's to report */
    fprintf(stderr, "passim-index: %s: cannot create the index: its folder %s does not exist "
                    "(make it first, or give --db another path)\n", path, parent);
    return false;
}

static xs_status_t open_db(xs_db_t **out, const char *path, xs_mode_t mode)
{
    xs_status_t st = xs_db_open(out, path, mode);
    if (st == XS_ERR_LOCKED)
        report_locked(path);
    else if (st != XS_OK)
        fprintf(stderr, "passim-index: %s: cannot open index: %s%s\n", path,
                *xs_last_error() ? xs_last_error() : xs_status_str(st),
                st == XS_ERR_CORRUPT || st == XS_ERR_BACKEND
                    ? " (it seems damaged; even --rebuild must open it: remove the folder and "
                      "run passim-index again to build it afresh)"
                    : "");
    else if (mode != XS_DB_READ)
        write_pid(path);
    return st;
}

/* Create the temporary index tmp beside the index at db_path (a shard, or a
 * rebuild); a failure names the index first. */
static xs_status_t create_beside(xs_db_t **out, const char *tmp, const char *db_path)
{
    xs_status_t st = xs_db_open(out, tmp, XS_DB_OVERWRITE | XS_DB_NO_SYNC);
    if (st != XS_OK)
        fprintf(stderr, "passim-index: %s: cannot create a new index beside it, %s: %s\n",
                db_path, tmp, *xs_last_error() ? xs_last_error() : xs_status_str(st));
    else
        write_pid(tmp);
    return st;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    /* An entry gone already is no reason to stop removing the rest. */
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

static void remove_tree(const char *path)
{
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The temporary folders of a run sit beside the index: DB.tmp-PID-NAME. */
static char *tmp_path(const char *db_path, const char *name)
{
    char *p;
    return asprintf(&p, "%s.tmp-%ld-%s", db_path, (long)getpid(), name) < 0 ? NULL : p;
}

/* Whether the folder at path is the root of a mount: the kernel says so
 * (Linux 5.8 and later), or it lies on another device than its parent. */
static bool is_mount_point(const char *path)
{
#ifdef STATX_ATTR_MOUNT_ROOT
    struct statx sx;
    if (statx(AT_FDCWD, path, 0, STATX_BASIC_STATS, &sx) == 0
        && (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT))
        return (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
#endif
    char *parent = NULL;
    struct stat here, up;
    bool other = asprintf(&parent, "%s/..", path) >= 0 && stat(path, &here) == 0
                 && stat(parent, &up) == 0 && here.st_dev != up.st_dev;
    free(parent);
    return other;
}

/* Why the index folder at db_path cannot be swapped for a new one built
 * beside it, as first builds on several threads, their compaction and
 * rebuilds do (a static message), or NULL if it can. */
static const char *why_not_swappable(const char *db_path)
{
    static char why[200];
    if (is_mount_point(db_path))
        return "it is a mount point";
    char *probe = tmp_path(db_path, "probe");
    if (!probe)
        return NULL; /* out of memory: the run will say so soon enough */
    const char *verdict = NULL;
    if (mkdir(probe, 0700) != 0) {
        snprintf(why, sizeof why, "no folder can be made beside it (%s)", strerror(errno));
        verdict = why;
    } else {
        rmdir(probe);
    }
    free(probe);
    return verdict;
}

/* When the system started, in seconds since the epoch (0 if unknown). */
static long long boot_time(void)
{
    long long btime = 0;
    char line[256];
    FILE *f = fopen("/proc/stat", "re");
    while (f && btime == 0 && fgets(line, sizeof line, f))
        if (sscanf(line, "btime %lld", &btime) != 1)
            btime = 0;
    if (f)
        fclose(f);
    return btime;
}

/* Whether the run with pid, whose temporary folder was last modified at
 * mtime, has ended: no process has that pid, /proc says it is a zombie that
 * its parent has not reaped yet (a run killed with its parent, as `timeout
 * -s KILL` does, waits so for whatever reaps orphans), or the process that
 * has it now started after the folder was last modified, so cannot be the
 * run that wrote it (the pid was used again). Anything less certain counts
 * as alive: its folders are kept. */
static bool pid_ended(long pid, time_t mtime)
{
    if (kill((pid_t)pid, 0) != 0)
        return errno == ESRCH;
    char path[64], stat_line[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "re");
    if (f == NULL) /* no /proc here, or reaped in between: ask again */
        return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
    size_t n = fread(stat_line, 1, sizeof stat_line - 1, f);
    fclose(f);
    stat_line[n] = '\0';
    /* "pid (name) state ...": the name may hold anything, ")" too */
    const char *close = strrchr(stat_line, ')');
    if (close == NULL || close[1] != ' ')
        return false;
    if (close[2] == 'Z' || close[2] == 'X')
        return true;
    /* Its start, field 22, in clock ticks since boot: 19 fields on from the
     * state (field 3). The boot time counts whole seconds: 2 s to spare. */
    const char *field = close + 2;
    for (int i = 0; i < 19 && field; i++)
        if ((field = strchr(field, ' ')) != NULL)
            field++;
    unsigned long long ticks;
    long hz = sysconf(_SC_CLK_TCK);
    long long boot = boot_time();
    if (field == NULL || sscanf(field, "%llu", &ticks) != 1 || hz <= 0 || boot <= 0)
        return false;
    return boot + (long long)(ticks / (unsigned long long)hz) > (long long)mtime + 2;
}

/* The tables of a Xapian 1.4 ("glass") index, each a file NAME.glass. */
static const char *const glass_tables[] = {
    "docdata", "position", "postlist", "spelling", "synonym", "termlist"
};

/* Whether name is a file Xapian writes while it creates a database (before its
 * version file, iamglass, is in place), or the pid file of passim-index. */
static bool is_creation_file(const char *name)
{
    if (strcmp(name, "flintlock") == 0 || strcmp(name, "v.tmp") == 0
        || strcmp(name, "passim-index.pid") == 0)
        return true;
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof glass_tables / sizeof glass_tables[0]; i++) {
        size_t t = strlen(glass_tables[i]);
        if (n == t + 6 && strncmp(name, glass_tables[i], t) == 0 && strcmp(name + t, ".glass") == 0)
            return true;
    }
    return false;
}

/* Whether name is a file of a Xapian index folder as passim-index makes
 * one: one of its creation, or its version file. Only these exact names: a
 * user's "changes.md", "changes2024" (passim never turns on Xapian's
 * replication, whose changesets are so named) or "notes.glass" is no index
 * file, and a folder that holds one is never replaced nor removed. */
static bool is_index_file(const char *name)
{
    return is_creation_file(name) || strcmp(name, "iamglass") == 0;
}

/* Whether the folder at path holds an entry that passes keep ("." and ".."
 * aside; is_dir: the entry is a folder, or may be one): 1 if so, 0 if not,
 * -1 if it cannot be read (errno says why). */
static int holds_entry(const char *path, bool (*keep)(const char *name, bool is_dir))
{
    DIR *d = opendir(path);
    if (!d)
        return -1;
    bool found = false;
    struct dirent *e;
    /* errno is 0 before each entry is read: readdir() sets it only on an
     * error, and an entry's fstatat() may have set it before. */
    while (!found && (errno = 0, e = readdir(d)) != NULL) {
        bool is_dir = e->d_type != DT_REG;  /* unknown, a link: not surely a file */
        if (e->d_type == DT_UNKNOWN) {
            struct stat st;
            is_dir = fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0
                     || !S_ISREG(st.st_mode);
        }
        found = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0
                && keep(e->d_name, is_dir);
    }
    int saved = errno;
    closedir(d);
    errno = saved;
    return found ? 1 : e == NULL && saved != 0 ? -1 : 0;
}

static bool is_other_file(const char *name, bool is_dir)
{
    return is_dir || !is_index_file(name);
}

static bool is_any_file(const char *name, bool is_dir)
{
    (void)name;
    (void)is_dir;
    return true;
}

/* Whether the folder at db_path may hold files that are not an index's (the
 * user's own files, say): such a folder is not made into an index, and never
 * replaced, since what is replaced is removed. So is a folder that exists
 * but cannot be listed: what it holds is unknown. False if there is none. */
static bool holds_other_files(const char *db_path)
{
    int held = holds_entry(db_path, is_other_file);
    return held == 1 || (held < 0 && errno != ENOENT && errno != ENOTDIR);
}

/* Why a folder that holds_other_files() is left alone, for a message. */
static const char *why_other_files(const char *db_path, char *buf, size_t cap)
{
    if (holds_entry(db_path, is_other_file) >= 0)
        return "it holds other files";
    snprintf(buf, cap, "what it holds cannot be listed: %s", strerror(errno));
    return buf;
}

/* Whether an entry of a temporary folder is no file of an index being made:
 * neither an index's file, nor a table Xapian's compaction writes in passes
 * ("tmp0_1.glass"). */
static bool is_other_tmp_file(const char *name, bool is_dir)
{
    size_t n = strlen(name);
    return is_dir || !(is_index_file(name) || (n > 6 && strcmp(name + n - 6, ".glass") == 0));
}

/* Whether name, after the "DB.tmp-" of a temporary folder, is the rest of
 * one that a run makes: its pid, "-", and what it is for (tmp_path()), which
 * *kind then points at. */
static bool is_tmp_name(const char *rest, long *pid, const char **kind)
{
    static const char *const kinds[] = { "compact", "merged", "probe", "rebuild", "replaced" };
    char *end;
    errno = 0;
    *pid = strtol(rest, &end, 10);
    if (errno != 0 || end == rest || *rest < '0' || *rest > '9' || *end != '-' || *pid <= 0)
        return false;
    *kind = end + 1;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(*kind, kinds[i]) == 0)
            return true;
    if (strncmp(*kind, "shard", 5) != 0 || (*kind)[5] == '\0')
        return false;
    for (const char *c = *kind + 5; *c; c++)
        if (*c < '0' || *c > '9')
            return false;
    return true;
}

/* Call fn(path, pid, kind, arg) for each entry beside the index at db_path
 * named as a run names its temporary folders (DB.tmp-PID-KIND), until fn
 * returns false. */
static void each_tmp_folder(const char *db_path,
                            bool (*fn)(const char *path, long pid, const char *kind, void *arg),
                            void *arg)
{
    char *dir_copy = strdup(db_path), *base_copy = strdup(db_path);
    /* dirname() may return "." without writing to dir_copy: its result is the folder. */
    const char *dir = dir_copy && base_copy ? dirname(dir_copy) : NULL;
    DIR *d = dir ? opendir(dir) : NULL;
    const char *base = d ? basename(base_copy) : "";
    size_t blen = strlen(base);
    bool more = true;
    struct dirent *e;
    while (more && d && (e = readdir(d)) != NULL) {
        long pid;
        const char *kind;
        char *p;
        if (strncmp(e->d_name, base, blen) != 0 || strncmp(e->d_name + blen, ".tmp-", 5) != 0
            || !is_tmp_name(e->d_name + blen + 5, &pid, &kind)
            || asprintf(&p, "%s/%s", dir, e->d_name) < 0)
            continue;
        more = fn(p, pid, kind, arg);
        free(p);
    }
    if (d)
        closedir(d);
    free(dir_copy);
    free(base_copy);
}

/* Whether a writer holds the lock of the index at path: an index moved
 * aside (DB.tmp-PID-replaced) by a run still at work, which keeps it open
 * while it replaces it, whatever its pid and times say. */
static bool writer_holds(const char *path)
{
    char *p;
    if (asprintf(&p, "%s/flintlock", path) < 0)
        return true;
    int fd = open(p, O_RDWR | O_CLOEXEC);
    free(p);
    if (fd < 0)
        return false;
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    bool held = fcntl(fd, F_GETLK, &fl) != 0 || fl.l_type != F_UNLCK;
    close(fd);
    return held;
}

/* each_tmp_folder(): remove the folder at path if it is of a run that died
 * (*this_run false) or of this one (true), and holds nothing but an index's
 * files. */
static bool remove_if_left(const char *path, long pid, const char *kind, void *this_run)
{
    /* An index moved aside by this run is not left: it may be the only one. */
    if (*(bool *)this_run && strcmp(kind, "replaced") == 0)
        return true;
    bool ours = pid == (long)getpid();
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)
        && (*(bool *)this_run ? ours : !ours && pid_ended(pid, st.st_mtime))
        && holds_entry(path, is_other_tmp_file) == 0
        && (strcmp(kind, "replaced") != 0 || !writer_holds(path)))
        remove_tree(path);
    return true;
}

/* Remove the temporary folders of runs that died (their pid has ended), or
 * with this_run those of this one: only a folder named as a run names them
 * (DB.tmp-PID-KIND) that holds nothing but an index's files. Anything else
 * so named is the user's, and stays. */
static void remove_tmp_folders(const char *db_path, bool this_run)
{
    each_tmp_folder(db_path, remove_if_left, &this_run);
}

/* What restore_replaced() looks for beside the index at db_path. */
typedef struct replaced_scan {
    const char *db_path;
    long live_pid;      /* a run at work between its two renames, or 0 */
} replaced_scan_t;

/* each_tmp_folder(): put back at the index's path the index that a run which
 * died while it replaced it in two steps (replace_in_two_steps()) had moved
 * aside to path; or note the run that has, if it is still at work. */
static bool put_back(const char *path, long pid, const char *kind, void *arg)
{
    replaced_scan_t *scan = arg;
    struct stat st;
    if (strcmp(kind, "replaced") != 0 || lstat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return true;
    if (!pid_ended(pid, st.st_mtime) || writer_holds(path)) {
        scan->live_pid = pid;
        return false;
    }
    if (rename(path, scan->db_path) == 0)
        fprintf(stderr, "passim-index: %s: put back the index that a run stopped while "
                        "replacing it had left at %s\n", scan->db_path, path);
    else if (errno != ENOENT) /* (another run put it back first) */
        fprintf(stderr, "passim-index: %s: cannot put back the index that a run stopped "
                        "while replacing it had left at %s: %s\n", scan->db_path, path,
                strerror(errno));
    return false;
}

/* The path the symbolic link at path leads to (joined to the link's folder
 * when relative), malloc'ed; NULL if it is none. */
static char *link_leads_to(const char *path)
{
    char to[PATH_MAX], *copy = NULL, *joined = NULL;
    ssize_t n = readlink(path, to, sizeof to - 1);
    if (n <= 0)
        return NULL;
    to[n] = '\0';
    if (to[0] == '/')
        return strdup(to);
    if ((copy = strdup(path)) != NULL && asprintf(&joined, "%s/%s", dirname(copy), to) < 0)
        joined = NULL;
    free(copy);
    return joined;
}

/* Where there is no index folder at db_path (or where a link there leads),
 * but a run died between the two renames of replace_in_two_steps(), the old
 * index it had moved aside goes back in place. False, said, if a run still
 * at work is between them: this run, finding no index, would make one. */
static bool restore_replaced(const char *db_path)
{
    struct stat st;
    char *target = NULL;
    if (lstat(db_path, &st) == 0 && S_ISLNK(st.st_mode))
        target = link_leads_to(db_path);
    replaced_scan_t scan = { target ? target : db_path, 0 };
    if (lstat(scan.db_path, &st) != 0 && errno == ENOENT)
        each_tmp_folder(scan.db_path, put_back, &scan);
    if (scan.live_pid)
        fprintf(stderr, "passim-index: %s: another passim-index (pid %ld) is replacing the "
                        "index; run again when it has finished\n", db_path, scan.live_pid);
    free(target);
    return scan.live_pid == 0;
}

/* Whether the folder at path holds nothing at all. */
static bool folder_is_empty(const char *path)
{
    return holds_entry(path, is_any_file) == 0;
}

/* Remove the index files from the folder at db_path, and no other. */
static void remove_index_files(const char *db_path)
{
    DIR *d = opendir(db_path);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (is_index_file(e->d_name))
            unlinkat(dirfd(d), e->d_name, 0);   /* a folder so named stays */
    closedir(d);
}

/* What on_fatal() needs: the index a run writes, whether a progress line
 * may be on screen, whether the run is a parallel first build (which
 * commits nothing in place until its end), whether its folder was there
 * before the run, and what the run leaves. */
static const char *fatal_db_path = "";
static const idx_report_t *fatal_rep;
static bool fatal_nothing_made, fatal_db_existed;
static const char *fatal_left = "";

/* Xapian failed where it could not be caught (xs_set_fatal_handler()): say
 * so and end at once, the process's state not to be trusted for more than
 * removing what only this run made: its temporary folders (a rebuild,
 * shards, a compacted copy), and the index a parallel first build made
 * empty, as a run that fails otherwise leaves them. */
static void on_fatal(const char *message)
{
    /* Two shards' writers may fail at once: one cleans up and ends the run;
     * a second removing the same folders beside it could leave both half
     * removed (each stopping where the other had been first). */
    static atomic_flag ending = ATOMIC_FLAG_INIT;
    if (atomic_flag_test_and_set(&ending))
        for (;;)
            pause();
    if (fatal_rep && fatal_rep->progress_shown)
        fputs("\r\033[K", stderr);
    remove_tmp_folders(fatal_db_path, true);
    if (fatal_nothing_made && !holds_other_files(fatal_db_path)) {
        if (fatal_db_existed)
            remove_index_files(fatal_db_path);
        else
            remove_tree(fatal_db_path);
    }
    fprintf(stderr, "passim-index: %s: cannot write the index: %s; %s\n", fatal_db_path,
            message, fatal_left);
    _exit(IDX_EXIT_ERROR);
}

/* Whether the folder at db_path holds the version file of a Xapian index. */
static bool has_version_file(const char *db_path)
{
    char *p;
    if (asprintf(&p, "%s/iamglass", db_path) < 0)
        return false;
    bool has = access(p, F_OK) == 0;
    free(p);
    return has;
}

/* Whether the folder at db_path holds something, and only files of an
 * unfinished creation (in particular no version file). */
static bool only_creation_leftovers(const char *db_path)
{
    DIR *d = opendir(db_path);
    if (!d)
        return false;
    bool leftovers_only = true;
    size_t n = 0;
    struct dirent *e;
    while (leftovers_only && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        leftovers_only = is_creation_file(e->d_name);
        n++;
    }
    closedir(d);
    return leftovers_only && n > 0;
}

/* A first run killed while Xapian was creating the index leaves a folder
 * without the version file, which Xapian then neither opens nor creates again.
 * When the folder holds nothing else, the leftovers go (the lock file stays),
 * and this run creates the index afresh. It is done holding the lock Xapian's
 * writers take, so no other passim-index can be creating the index meanwhile;
 * the lock is released before this run opens the index with Xapian. */
static void clear_unfinished_creation(const char *db_path)
{
    if (!only_creation_leftovers(db_path))
        return;
    char *p;
    if (asprintf(&p, "%s/flintlock", db_path) < 0)
        return;
    int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    free(p);
    if (fd < 0)
        return;
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    DIR *d;
    if (fcntl(fd, F_SETLK, &fl) == 0 && only_creation_leftovers(db_path)
        && (d = opendir(db_path)) != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!is_creation_file(e->d_name) || strcmp(e->d_name, "flintlock") == 0)
                continue;
            if (asprintf(&p, "%s/%s", db_path, e->d_name) >= 0) {
                unlink(p);
                free(p);
            }
        }
        closedir(d);
    }
    close(fd); /* releases the lock */
}

static int sync_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    int fd = open(path, (flag == FTW_F ? O_RDONLY : O_RDONLY | O_DIRECTORY) | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Whether the folder at db_path is the current folder or holds it. A run that
 * replaces the index whole (a first build, --rebuild) cannot do that to it:
 * its temporary folders would land inside it, and the shell would be left in
 * a removed folder. */
static bool holds_cwd(const char *db_path)
{
    char *db = realpath(db_path, NULL), *cwd = getcwd(NULL, 0);
    bool holds = false;
    if (db && cwd) {
        size_t n = strlen(db);
        holds = strcmp(db, "/") == 0
                || (strncmp(cwd, db, n) == 0 && (cwd[n] == '\0' || cwd[n] == '/'));
    }
    free(db);
    free(cwd);
    return holds;
}

static void refuse_cwd(const char *db_path)
{
    fprintf(stderr, "passim-index: %s: is the current folder or holds it; this run would "
                    "replace the index whole (a first build or --rebuild), so run it from "
                    "another folder\n", db_path);
}

/* Sync the folder that holds path, so that a rename into it is on disk;
 * false (errno set) on failure. */
static bool sync_parent(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return false;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(copy);
    if (fd < 0)
        return false;
    int rc = fsync(fd);
    int saved = errno;
    close(fd);
    errno = saved;
    return rc == 0;
}

/* Give the index folder at path, and the files in it, the access the folder
 * it replaces had (old): its owner and group where this user may set them,
 * its permissions, and the files those less execute. A private index
 * (chmod 700) stays private, and one another user owns stays theirs when
 * root rebuilds it. What cannot be set is left as it was made. */
static void keep_access(const char *path, const struct stat *old)
{
    mode_t dir_mode = old->st_mode & 07777, file_mode = old->st_mode & 0666;
    DIR *d = opendir(path);
    if (d != NULL) {
        int fd = dirfd(d);
        for (struct dirent *e; (e = readdir(d)) != NULL;) {
            struct stat st;
            if (fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
                continue;
            (void)fchownat(fd, e->d_name, old->st_uid, old->st_gid, AT_SYMLINK_NOFOLLOW);
            (void)fchmodat(fd, e->d_name, file_mode, 0);
        }
        closedir(d);
    }
    (void)chown(path, old->st_uid, old->st_gid);
    (void)chmod(path, dir_mode);
}

/* Whether errno, from renameat2(RENAME_EXCHANGE), says that the file system
 * (NFS, CIFS, FUSE, exFAT...) or the kernel cannot exchange two folders. */
static bool exchange_unsupported(int err)
{
    return err == EINVAL || err == ENOSYS || err == ENOTSUP || err == EOPNOTSUPP;
}

/* Replace the index folder at db_path by the one at new_path where they
 * cannot be exchanged in one step: the old folder is renamed aside
 * (DB.tmp-PID-replaced), the new one into its place, and the old one is
 * removed. Between the two renames there is no index at db_path; a run that
 * dies there leaves the old one aside, and the next run puts it back
 * (restore_replaced()). False, with a message, on failure: the old index is
 * then where it was, or, if something took its place meanwhile, kept as
 * DB.old-PID. */
static bool replace_in_two_steps(const char *new_path, const char *db_path)
{
    char *aside = tmp_path(db_path, "replaced");
    if (!aside) {
        fputs("passim-index: out of memory\n", stderr);
        return false;
    }
    bool ok = rename(db_path, aside) == 0;
    if (!ok) {
        fprintf(stderr, "passim-index: %s: cannot replace the index (the file system cannot "
                        "exchange two folders, and the old one cannot be moved aside): %s\n",
                db_path, strerror(errno));
    } else if (rename(new_path, db_path) != 0) {
        int err = errno, back_err;
        char *kept = NULL;
        ok = false;
        if (rename(aside, db_path) == 0) {
            fprintf(stderr, "passim-index: %s: cannot move the new index in place: %s\n",
                    db_path, strerror(err));
        } else {
            /* Something is at db_path now: the old index leaves the name of
             * a temporary folder, which a later run could remove. */
            back_err = errno;
            if (asprintf(&kept, "%s.old-%ld", db_path, (long)getpid()) < 0
                || rename(aside, kept) != 0) {
                free(kept);
                kept = NULL;
            }
            fprintf(stderr, "passim-index: %s: cannot move the new index in place (%s), nor "
                            "the old one back (%s): it is at %s; move it back by hand\n",
                    db_path, strerror(err), strerror(back_err), kept ? kept : aside);
            free(kept);
        }
    } else {
        remove_tree(aside);
    }
    free(aside);
    return ok;
}

/* Put the finished index at new_path in place of db_path: it takes the old
 * folder's access (keep_access()), its files are synced to disk (temporary
 * indexes are written without waiting for the disk), then one atomic
 * exchange (or a rename, when there was none; or two, where the file system
 * cannot exchange folders), synced in its folder too, then the old one is
 * removed. */
static bool swap_in(const char *new_path, const char *db_path)
{
    struct stat st;
    if (holds_other_files(db_path)) {
        char buf[256];
        fprintf(stderr, "passim-index: %s: not replaced, since %s\n", db_path,
                why_other_files(db_path, buf, sizeof buf));
        return false;
    }
    bool replaces = stat(db_path, &st) == 0;
    write_pid(new_path);
    if (replaces)
        keep_access(new_path, &st);
    if (nftw(new_path, sync_entry, 16, FTW_PHYS) != 0) {
        fprintf(stderr, "passim-index: %s: cannot sync the new index to disk: %s\n", db_path,
                strerror(errno));
        return false;
    }
    if (!replaces) {
        if (rename(new_path, db_path) != 0) {
            fprintf(stderr, "passim-index: %s: cannot move the new index in place: %s\n", db_path,
                    strerror(errno));
            return false;
        }
    } else if (renameat2(AT_FDCWD, new_path, AT_FDCWD, db_path, RENAME_EXCHANGE) != 0) {
        if (!exchange_unsupported(errno)) {
            fprintf(stderr, "passim-index: %s: cannot replace the index: %s\n", db_path,
                    strerror(errno));
            return false;
        }
        if (!replace_in_two_steps(new_path, db_path))
            return false;
    }
    /* The new index is in place and searchable; only a crash of the machine
     * now could bring the old one back. */
    if (!sync_parent(db_path))
        fprintf(stderr, "passim-index: %s: warning: the folder holding the index cannot be "
                        "synced to disk (%s); the new index is in place\n", db_path,
                strerror(errno));
    remove_tree(new_path); /* now the old index, or nothing */
    return true;
}

/* Delete the mark of a first build from the (compacted) index at path, if it
 * has one. False, with Xapian's message, on failure. */
static bool clear_first_build(const char *path)
{
    xs_db_t *db = NULL;
    char *mark = NULL;
    xs_status_t st = xs_db_open(&db, path, XS_DB_WRITE);
    if (st == XS_OK && xs_db_get_metadata(db, PASSIM_META_FIRST_BUILD, &mark, NULL) == XS_OK) {
        st = xs_db_begin(db);
        if (st == XS_OK)
            st = xs_db_set_metadata(db, PASSIM_META_FIRST_BUILD, NULL, 0);
        if (st == XS_OK)
            st = xs_db_commit(db);
    }
    free(mark);
    xs_db_free(db);
    return st == XS_OK;
}

/* Compact the committed index at src into a new folder and swap that in at
 * db_path. On failure the index at db_path stays as it was (and still
 * searchable). When src is db_path, a missed compaction costs only space, and
 * the message says so. */
static bool compact_into(const char *src, const char *db_path)
{
    char *dst = tmp_path(db_path, "compact");
    const char *srcs[1] = { src };
    bool ok = dst != NULL;
    if (ok && (xs_db_compact(srcs, 1, dst, NULL, NULL) != XS_OK || !clear_first_build(dst))) {
        if (strcmp(src, db_path) == 0)
            fprintf(stderr, "passim-index: %s: the index is complete and searchable, but it "
                            "could not be compacted (it stays about twice the size; the next "
                            "run tries again): %s\n",
                    db_path, xs_last_error());
        else
            fprintf(stderr, "passim-index: %s: cannot compact the index: %s\n", db_path,
                    xs_last_error());
        ok = false;
    }
    ok = ok && swap_in(dst, db_path);
    if (dst) {
        remove_tree(dst);
        free(dst);
    }
    if (ok && strcmp(src, db_path) != 0)
        remove_tree(src);
    return ok;
}

/* Whether the index may be written. */
typedef enum {
    LAYOUT_OK,
    LAYOUT_REFUSED,             /* passim's, but not to be written as asked */
    LAYOUT_FOREIGN              /* another program's database */
} layout_verdict_t;

/* An update adds to the index as it is, and is refused if another version of
 * passim wrote it in another layout, or if it holds documents but no layout
 * record. A rebuild replaces it whatever passim wrote, but not a Xapian
 * database that holds documents and nothing of passim's (no layout record,
 * no file record): another program's, most likely, and a mistyped --db must
 * not cost it. Says why when the answer is no. */
static layout_verdict_t layout_matches(const idx_opts_t *o, xs_db_t *db)
{
    char *layout = NULL;
    uint32_t docs = 0;
    xs_status_t st = xs_db_get_metadata(db, PASSIM_META_VERSION, &layout, NULL);
    if (st != XS_OK && st != XS_ERR_NOT_FOUND) {
        if (o->rebuild)
            return LAYOUT_OK; /* damaged: what a rebuild is for */
        fprintf(stderr, "passim-index: %s: cannot read the index layout: %s\n", o->db_path,
                xs_last_error());
        return LAYOUT_REFUSED;
    }
    if (layout) {
        bool other = strcmp(layout, PASSIM_LAYOUT_VERSION) != 0;
        if (other && !o->rebuild)
            fprintf(stderr,
                    "passim-index: %s: the index was written by another version of passim "
                    "(layout %s, this one writes layout %s); use --rebuild to rebuild it\n",
                    o->db_path, layout, PASSIM_LAYOUT_VERSION);
        free(layout);
        if (other || o->rebuild)
            return o->rebuild ? LAYOUT_OK : LAYOUT_REFUSED;
        /* An update reads the term lists of the passages it replaces, and
         * must not add to an index whose phrases no longer work. */
        if (xs_db_check_tables(db, NULL) == XS_ERR_CORRUPT) {
            fprintf(stderr, "passim-index: %s: the index is damaged: %s; use --rebuild to "
                            "rebuild it\n", o->db_path, xs_last_error());
            return LAYOUT_REFUSED;
        }
        return LAYOUT_OK;
    }
    if (xs_db_doccount(db, &docs) != XS_OK || docs == 0)
        return LAYOUT_OK;
    bool passim_records;
    /* Records that cannot be listed: damaged, so taken for passim's. */
    if (xs_db_has_metadata(db, PASSIM_META_FILE, &passim_records) != XS_OK)
        passim_records = true;
    if (!passim_records) {
        fprintf(stderr,
                "passim-index: %s: a Xapian database with %" PRIu32 " document%s and nothing "
                "that passim writes: passim did not make it, and leaves it alone; give --db "
                "another folder\n", o->db_path, docs, docs == 1 ? "" : "s");
        return LAYOUT_FOREIGN;
    }
    if (o->rebuild)
        return LAYOUT_OK;
    fprintf(stderr,
            "passim-index: %s: the index holds documents but no passim layout record: it "
            "is damaged; use --rebuild to rebuild it\n", o->db_path);
    return LAYOUT_REFUSED;
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
    return o->lang ? o->lang : TEXT_LANG_DEFAULT;
}

/* ---- rebuilding ---------------------------------------------------------- */

static int note_new_key(const char *key, size_t key_len, const char *value, size_t value_len,
                        void *payload)
{
    (void)key;
    (void)key_len;
    text_file_record_t rec;
    if (text_file_record_decode(value, value_len, &rec)
        && idx_counter_add(payload, rec.key, rec.key_len) == 0)
        return 1;
    return 0;
}

/* The articles a rebuild would lose: how many, and the first met. */
typedef struct lost {
    unsigned n;
    const known_file_t *first;
} lost_t;

static void note_lost(lost_t *l, const known_file_t *k)
{
    l->first = l->first ? l->first : k;
    l->n++;
}

/* Refuse a rebuild that would lose articles: true if it is refused. */
static bool refuse_rebuild(const run_t *r, const lost_t *l)
{
    if (l->n)
        fprintf(stderr, "passim-index: %s: not rebuilt, since %u article%s of the index could "
                        "not be read again (%s%s); the index is as it was\n",
                r->o->db_path, l->n, l->n == 1 ? "" : "s", l->n == 1 ? "" : "among them ",
                l->first->path);
    return l->n > 0;
}

/* Whether the file at key is there but cannot be read now (a permission
 * taken away): a rebuild cannot have read it again. */
static bool unreadable_now(const char *key)
{
    int fd = open(key, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) {
        close(fd);
        return false;
    }
    return errno != ENOENT && errno != ENOTDIR;
}

/* A rebuild replaces the whole index with what the PATHs hold now, and must
 * not lose an article whose file is still there only because it could not
 * be read this time. The rebuilt index at new_path (not swapped in yet) is
 * checked against the index before it: the articles it leaves out whose
 * files are gone, ignored or no longer text are counted in r->rebuild_dropped;
 * if any other is left out, the rebuild is refused, with a message, and
 * false is returned. The check is skipped when the new index cannot be read
 * (then nothing is counted). */
static bool rebuild_loses_nothing(run_t *r, const char *new_path)
{
    idx_counter_t *now = idx_counter_new();
    xs_db_t *db = NULL;
    int rc = 0;
    lost_t lost = { 0, NULL };
    free(r->dropped);
    bool *dropped = r->dropped = calloc(r->n_known ? r->n_known : 1, sizeof *dropped);
    if (now && xs_db_open(&db, new_path, XS_DB_READ) == XS_OK
        && xs_db_metadata(db, PASSIM_META_FILE, note_new_key, now, &rc) == XS_OK && rc == 0)
        for (size_t i = 0; i < r->n_known; i++) {
            const known_file_t *k = &r->known[i];
            if (idx_counter_add(now, k->key, strlen(k->key)) != 1)
                continue; /* rebuilt */
            if (behind_problem(r, k) || (k->seen && unreadable_now(k->key))) {
                note_lost(&lost, k);
            } else {
                r->rebuild_dropped++;
                if (dropped)
                    dropped[i] = true;
            }
        }
    xs_db_free(db);
    idx_counter_free(now);
    return !refuse_rebuild(r, &lost);
}

/* Once a rebuild is in place: count the articles it left out as removed, and
 * name each, as an update names what it removes (one not under the PATHs
 * given, whatever became of it: "not met under the PATH"); a file met, but
 * not rebuilt, is no longer text, unless it was deleted once met. */
static void note_dropped(run_t *r, const root_t *roots, size_t n_roots)
{
    r->w.st.removed += r->rebuild_dropped;
    for (size_t i = 0; i < r->n_known && r->dropped && !r->rep.quiet; i++) {
        const known_file_t *k = &r->known[i];
        struct stat st;
        if (!r->dropped[i])
            continue;
        bool still_there = k->seen && lstat(k->key, &st) == 0;
        idx_note(&r->rep, k->path, "removed from the index (%s)",
                 still_there ? "not a text file any more"
                 : k->seen || k->why || under_roots(k, roots, n_roots) ? removal_reason(k)
                                                                      : "not met under the PATH");
    }
}

/* ---- parallel build ------------------------------------------------------- */

/* A fresh build on several threads: each thread writes its own shard, from a
 * run of consecutive files of the walk; the shards are then merged by Xapian's
 * compaction into one index, which is swapped in. The compaction numbers the
 * documents of shard 0 first, then those of shard 1...: with consecutive runs
 * the merged index numbers every passage as a build on one thread does, so
 * the two search exactly alike, down to equal scores at a page's edge. */
typedef struct shard {
    run_t *r;
    char *path;
    xs_db_t *db;
    idx_writer_t w;
    bool ok;
    pthread_t thread;
    size_t first, end;   /* its files: r->files[first .. end) */
} shard_t;

static void *shard_main(void *arg)
{
    shard_t *sh = arg;
    run_t *r = sh->r;
    for (size_t i = sh->first; i < sh->end; i++) {
        if (idx_stop_signal || sh->w.fatal)
            break;
        idx_progress(&r->rep, r->files[i].path, 0, 0);
        uint64_t before = sh->w.st.passages;
        if (!idx_writer_file(&sh->w, &r->files[i], NULL))
            break;
        r->has_passages[i] = sh->w.st.passages > before; /* only this thread has i */
    }
    sh->ok = !sh->w.fatal && !idx_stop_signal && idx_writer_commit(&sh->w, true);
    return NULL;
}

static void add_stats(idx_stats_t *to, const idx_stats_t *from)
{
    to->added += from->added;
    to->updated += from->updated;
    to->removed += from->removed;
    to->unchanged += from->unchanged;
    to->skipped += from->skipped;
    to->failed += from->failed;
    to->passages += from->passages;
    to->bytes += from->bytes;
}

/* A file of the parallel build and its article id. */
typedef struct file_docid {
    char *docid;
    size_t i;                  /* in r->files: the walk's order */
} file_docid_t;

static int cmp_file_docid(const void *a, const void *b)
{
    const file_docid_t *x = a, *y = b;
    int c = strcmp(x->docid, y->docid);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* In a fresh build, the files of the run are all there is: their article
 * ids are compared here, in memory, once all are done (the shards of a
 * parallel build cannot see each other's; a look-up per file would cost the
 * one writer of a build on one thread). Each file indexed with passages whose
 * id an earlier file (in the walk's order) has is named with the first one. */
static void warn_docids_of_run(run_t *r)
{
    file_docid_t *ids = calloc(r->n_files ? r->n_files : 1, sizeof *ids);
    size_t n = 0;
    for (size_t i = 0; ids && i < r->n_files; i++)
        if (r->has_passages[i] && (ids[n].docid = text_docid_from_rel(r->files[i].rel)) != NULL)
            ids[n++].i = i;
    if (n > 1)
        qsort(ids, n, sizeof *ids, cmp_file_docid);
    for (size_t j = 1, first = 0; j < n; j++) {
        if (strcmp(ids[j].docid, ids[first].docid) != 0) {
            first = j;
            continue;
        }
        idx_note_docid(&r->rep, r->files[ids[j].i].path, ids[j].docid,
                       r->files[ids[first].i].path);
    }
    for (size_t j = 0; j < n; j++)
        free(ids[j].docid);
    free(ids);
}

/* Cut the walk's files into jobs runs of about equal bytes (the work is about
 * proportional to them), each at least one file when there are enough. */
static void split_files(const run_t *r, shard_t *shards, unsigned jobs)
{
    uint64_t total = 0, done = 0;
    for (size_t i = 0; i < r->n_files; i++)
        total += r->files[i].size + 1;
    size_t i = 0;
    for (unsigned k = 0; k < jobs; k++) {
        shards[k].first = i;
        uint64_t goal = total / jobs * (k + 1);
        size_t keep = jobs - 1 - k; /* files left for the shards after this one */
        while (i < r->n_files && (k + 1 == jobs || (done < goal && r->n_files - i > keep))) {
            done += r->files[i].size + 1;
            i++;
        }
        shards[k].end = i;
    }
}

static bool build_parallel(run_t *r, const char *lang, unsigned jobs)
{
    shard_t *shards = calloc(jobs, sizeof *shards);
    char *merged = tmp_path(r->o->db_path, "merged");
    const char **paths = calloc(jobs, sizeof *paths);
    r->has_passages = calloc(r->n_files ? r->n_files : 1, sizeof *r->has_passages);
    bool ok = shards && merged && paths && r->has_passages;
    unsigned started = 0;
    if (ok)
        split_files(r, shards, jobs);
    for (unsigned i = 0; i < jobs && ok; i++) {
        char name[32];
        snprintf(name, sizeof name, "shard%u", i);
        shards[i].r = r;
        ok = (shards[i].path = tmp_path(r->o->db_path, name)) != NULL
             && create_beside(&shards[i].db, shards[i].path, r->o->db_path) == XS_OK
             && idx_writer_init(&shards[i].w, r->o, &r->rep, shards[i].db, r->o->db_path, lang);
        if (ok) {
            shards[i].w.stop_mid_file = true;
            /* Each shard commits at its share of the batch size. */
            shards[i].w.batch_limit = r->o->batch_passages / jobs + 1;
            ok = pthread_create(&shards[i].thread, NULL, shard_main, &shards[i]) == 0;
            started += ok;
        }
    }
    for (unsigned i = 0; i < started; i++) {
        pthread_join(shards[i].thread, NULL);
        ok = ok && shards[i].ok;
        add_stats(&r->w.st, &shards[i].w.st);
        paths[i] = shards[i].path;
    }
    if (ok)
        warn_docids_of_run(r);
    for (unsigned i = 0; i < jobs && shards; i++) {
        xs_db_close(shards[i].db);
        xs_db_free(shards[i].db);
        idx_writer_free(&shards[i].w);
    }
    if (ok) {
        idx_progress_clear(&r->rep);
        xs_status_t st = xs_db_compact(paths, jobs, merged, idx_merge_metadata, NULL);
        if (st != XS_OK) {
            fprintf(stderr, "passim-index: %s: cannot merge the shards: %s\n", r->o->db_path,
                    xs_last_error());
            ok = false;
        }
    }
    ok = ok && (!r->o->rebuild || rebuild_loses_nothing(r, merged))
         && swap_in(merged, r->o->db_path);
    for (unsigned i = 0; i < jobs && shards; i++) {
        if (shards[i].path)
            remove_tree(shards[i].path);
        free(shards[i].path);
    }
    if (merged)
        remove_tree(merged);
    free(merged);
    free(paths);
    free(shards);
    return ok;
}

/* ---- the run ------------------------------------------------------------- */

/* The summary line. A run whose work was discarded (an interrupted rebuild or
 * parallel build) changed nothing, whatever it had indexed; one cut short
 * (interrupted before every file was done) is not up to date, whatever it
 * changed. */
static void summary(const run_t *r, double secs, bool discarded, bool cut)
{
    const idx_stats_t *s = &r->w.st;
    double mbs = secs > 0 ? s->bytes / 1e6 / secs : 0;
    unsigned failed = s->failed + r->walk_failed, skipped = s->skipped + r->walk_skipped;
    if (discarded)
        printf("passim-index: %s: interrupted, nothing changed (%u file%s indexed by this run "
               "%s discarded) in %.2f s\n", r->o->db_path, s->added + s->updated,
               s->added + s->updated == 1 ? "" : "s", s->added + s->updated == 1 ? "was" : "were",
               secs);
    else if (cut)
        printf("passim-index: %s: interrupted, not up to date (%u added, %u updated, %u removed, "
               "%u unchanged, %u skipped, %u failed before it) in %.2f s\n", r->o->db_path,
               s->added, s->updated, s->removed, s->unchanged, skipped, failed, secs);
    else if (s->added + s->updated + s->removed == 0 && r->created)
        printf("passim-index: %s: created, with no article (%u skipped, %u failed) in %.2f s\n",
               r->o->db_path, skipped, failed, secs);
    else if (s->added + s->updated + s->removed == 0)
        /* Not "up to date" when something could not be read. */
        printf("passim-index: %s: %snothing changed (%u unchanged, %u skipped, %u failed) in "
               "%.2f s\n", r->o->db_path, failed ? "" : "up to date, ", s->unchanged,
               skipped, failed, secs);
    else
        printf("passim-index: %s: %u added, %u updated, %u removed, %u unchanged, %u skipped, "
               "%u failed; %llu passage%s; %.2f s, %.2f MB/s\n", r->o->db_path, s->added,
               s->updated, s->removed, s->unchanged, skipped, failed,
               (unsigned long long)s->passages, s->passages == 1 ? "" : "s", secs, mbs);
    fflush(stdout);
}

static void free_run(run_t *r)
{
    for (size_t i = 0; i < r->n_known; i++) {
        free(r->known[i].key);
        free(r->known[i].path);
        free(r->known[i].place);
        free(r->known[i].skipped_at);
        free(r->known[i].skipped_why);
    }
    free(r->known);
    free(r->dropped);
    free(r->by_place);
    for (size_t i = 0; i < r->n_skip; i++)
        free(r->skip_prefixes[i]);
    free(r->skip_prefixes);
    idx_counter_free(r->failed_at);
    idx_counter_free(r->skipped_at);
    free_files(r->files, r->n_files);
    free_files(r->linked, r->n_linked);
    free(r->has_passages);
    free(r->db_key);
    idx_counter_free(r->seen);
    idx_writer_free(&r->w);
    idx_report_free(&r->rep);
}

int idx_run(const idx_opts_t *given, char *const *paths, size_t n_paths)
{
    /* DIR/ is the folder DIR, but a new index is put in place by renaming it
     * to the index's path, which fails on DIR/: the path is taken without its
     * trailing slashes, once for the whole run ("/" stays). */
    idx_opts_t opts = *given;
    char *db_path = strdup(given->db_path);
    if (!db_path) {
        fputs("passim-index: out of memory\n", stderr);
        return IDX_EXIT_ERROR;
    }
    for (size_t n = strlen(db_path); n > 1 && db_path[n - 1] == '/'; n--)
        db_path[n - 1] = '\0';
    if (!restore_replaced(db_path)) {
        free(db_path);
        return IDX_EXIT_ERROR;
    }
    /* A symbolic link to the index: the swap would put a folder in the link's
     * place and leave the old index behind at its target. The target is the
     * index. */
    struct stat lst;
    char *link_target;
    if (lstat(db_path, &lst) == 0 && S_ISLNK(lst.st_mode)
        && (link_target = realpath(db_path, NULL)) != NULL) {
        free(db_path);
        db_path = link_target;
    }
    opts.db_path = db_path;
    const idx_opts_t *o = &opts;
    run_t r = { .o = o };
    int status = IDX_EXIT_ERROR;
    xs_db_t *db = NULL, *rebuild_db = NULL;
    char *held_lang = NULL, *rebuild_path = NULL;
    root_t *roots = NULL;
    struct stat dbst;
    bool drop_new_db = false;  /* the index this run made holds nothing of use */
    double t0 = idx_now();

    idx_report_init(&r.rep, o->progress > 0 || (o->progress < 0 && isatty(STDERR_FILENO)),
                    o->quiet);
    bool db_existed = stat(o->db_path, &dbst) == 0;
    int db_errno = db_existed ? 0 : errno;
    char link_to[PATH_MAX];
    ssize_t tn;
    if (db_errno == ELOOP) {
        fprintf(stderr, "passim-index: %s: a loop of symbolic links; give --db another path\n",
                o->db_path);
        goto out;
    }
    /* Not there, or not to be told (a folder on the way that may not be
     * searched): not an index folder that "exists". */
    if (db_errno != 0 && db_errno != ENOENT && db_errno != ENOTDIR) {
        fprintf(stderr, "passim-index: %s: cannot be reached: %s\n", o->db_path,
                strerror(db_errno));
        goto out;
    }
    if (db_errno == ENOENT && (tn = readlink(o->db_path, link_to, sizeof link_to - 1)) >= 0) {
        link_to[tn] = '\0';
        fprintf(stderr, "passim-index: %s: a symbolic link to %s, which leads nowhere; make "
                        "that folder, or give --db another path\n", o->db_path, link_to);
        goto out;
    }
    if (db_existed && !S_ISDIR(dbst.st_mode)) {
        fprintf(stderr, "passim-index: %s: exists and is not an index folder\n", o->db_path);
        goto out;
    }
    /* A new folder, or an empty one given with --db: a first build that makes
     * nothing of use leaves it as it was, gone or empty. */
    bool no_index_before = !db_existed || folder_is_empty(o->db_path);
    if (db_errno == ENOENT && !parent_exists(o->db_path))
        goto out;
    /* Xapian would add its files to any folder, and the first compaction
     * would then replace the folder, and remove it with all it held. */
    if (holds_other_files(o->db_path)) {
        char buf[256];
        fprintf(stderr, "passim-index: %s: exists and is not an index folder (%s); give --db "
                        "a new or empty folder\n", o->db_path,
                why_other_files(o->db_path, buf, sizeof buf));
        goto out;
    }
    /* An index in the current folder is only ever updated in place, even when
     * it holds nothing: no shards swapped in, no compacted copy. */
    bool in_cwd = db_existed && holds_cwd(o->db_path);
    r.created = !db_existed;
    if (in_cwd && (o->rebuild || !has_version_file(o->db_path))) {
        refuse_cwd(o->db_path);
        goto out;
    }
    /* From its first change on disk, a run that is interrupted stops at a
     * clean point (on_signal()). */
    signal_clears_line = isatty(STDERR_FILENO);
    signal_note = o->rebuild ? &whole_note : &update_note;
    struct sigaction sa = { .sa_handler = on_signal }, was;
    sigemptyset(&sa.sa_mask);
    /* A signal ignored when the run started stays ignored (a shell starts a
     * script's background jobs so, out of the reach of Ctrl-C), as sort and
     * gzip leave it. */
    if (sigaction(SIGINT, NULL, &was) != 0 || was.sa_handler != SIG_IGN)
        sigaction(SIGINT, &sa, NULL);
    if (sigaction(SIGTERM, NULL, &was) != 0 || was.sa_handler != SIG_IGN)
        sigaction(SIGTERM, &sa, NULL);
    /* Past a file size limit, or to a closed pipe, a write fails (EFBIG,
     * EPIPE) and is reported like any other, rather than killing the run. */
    struct sigaction ign = { .sa_handler = SIG_IGN };
    sigemptyset(&ign.sa_mask);
    sigaction(SIGXFSZ, &ign, NULL);
    sigaction(SIGPIPE, &ign, NULL);
    remove_tmp_folders(o->db_path, false);
    clear_unfinished_creation(o->db_path);
    /* The live index is opened for writing in every case: its lock keeps a
     * second passim-index out, also while a rebuild or shards are written. */
    if (open_db(&db, o->db_path, XS_DB_WRITE) != XS_OK)
        goto out;
    r.db_key = realpath(o->db_path, NULL);
    const char *lang = choose_lang(o, db, &held_lang);
    if (!lang || !(r.seen = idx_counter_new()))
        goto out;
    layout_verdict_t verdict = layout_matches(o, db);
    if (verdict == LAYOUT_FOREIGN)
        remove_pid(o->db_path); /* passim leaves no file of its own there */
    if (verdict != LAYOUT_OK)
        goto out;
    /* A rebuild reads them only to count what it drops: not being able to
     * (a damaged index, which a rebuild is for) costs it only the count. */
    if (xs_db_metadata(db, PASSIM_META_FILE, load_known, &r, NULL) != XS_OK && !o->rebuild) {
        fprintf(stderr, "passim-index: %s: cannot read the list of indexed files: %s\n",
                o->db_path, xs_last_error());
        goto out;
    }
    if (r.n_known > 1)
        qsort(r.known, r.n_known, sizeof *r.known, cmp_known);
    uint32_t ndocs = 0;
    xs_db_doccount(db, &ndocs);
    bool fresh = o->rebuild || (r.n_known == 0 && ndocs == 0);
    /* A first build killed before its end left its mark: completing it, this
     * run ends as the first would have, compacted. */
    char *first_mark = NULL;
    bool unfinished = !o->rebuild
                      && xs_db_get_metadata(db, PASSIM_META_FIRST_BUILD, &first_mark, NULL) == XS_OK;
    free(first_mark);
    /* Where the folder cannot be swapped for one built beside it (a mount
     * point, a parent folder that may not be written), a first build is made
     * in place on one writer and left uncompacted; a rebuild cannot be. */
    const char *unswappable = !in_cwd && (fresh || unfinished) ? why_not_swappable(o->db_path)
                                                               : NULL;
    if (unswappable && o->rebuild) {
        fprintf(stderr, "passim-index: %s: cannot rebuild: a rebuild builds the new index "
                        "beside it and swaps it in, and %s; empty the folder and run "
                        "passim-index without --rebuild to build the index afresh in place\n",
                o->db_path, unswappable);
        goto out;
    }
    if (unswappable && fresh && !o->quiet)
        fprintf(stderr, "passim-index: %s: %s, so the index is built in place, on one "
                        "writer, and not compacted\n", o->db_path, unswappable);
    bool in_place = in_cwd || unswappable;
    bool parallel = o->jobs > 1 && fresh && !in_place;
    if (parallel)
        signal_note = &whole_note;
    /* A fresh build on one writer reads and analyses on a second thread. */
    bool ahead = fresh && !in_cwd && !parallel;

    fatal_db_path = o->db_path;
    fatal_rep = &r.rep;
    /* A parallel build or a rebuild writes beside the live index, and puts
     * nothing in place until it is complete: where there was no index, a
     * failure leaves none. */
    bool none_if_failed = (parallel || o->rebuild) && no_index_before;
    fatal_nothing_made = none_if_failed;
    fatal_db_existed = db_existed;
    /* A rebuild writes beside the live index, and swaps only a complete one in. */
    fatal_left = fatal_nothing_made ? "no index was made"
                 : o->rebuild       ? "the index is as it was before this run"
                                    : "it is as its last commit left it";
    xs_set_fatal_handler(on_fatal);

    xs_db_t *target = db;      /* where the sequential writer writes */
    if (o->rebuild && !parallel) {
        /* Build beside the live index, swap it in when complete. */
        if (!(rebuild_path = tmp_path(o->db_path, "rebuild"))
            || create_beside(&rebuild_db, rebuild_path, o->db_path) != XS_OK)
            goto out;
        target = rebuild_db;
    }
    if (!idx_writer_init(&r.w, o, &r.rep, target, o->db_path, lang))
        goto out;
    r.w.may_hold_old = !fresh;
    r.w.first_build = !in_place && ((fresh && !o->rebuild && !parallel) || unfinished);
    r.w.check_docids = !parallel && !ahead; /* fresh builds check at the end */
    r.collect = parallel || ahead;
    r.w.stop_mid_file = o->rebuild; /* abandoned when stopped: no file to finish */
    r.w.track_added = r.n_known > 0 && !o->rebuild && !r.collect; /* moves: remove_vanished() */

    roots = calloc(n_paths, sizeof *roots);
    if (!roots)
        goto out;
    idx_walk_cb_t cb = { on_file, on_problem, on_skipped, &r };
    size_t roots_failed = 0, roots_passed = 0; /* passed over: index folders */
    for (size_t i = 0; i < n_paths && !r.w.fatal && !idx_stop_signal; i++) {
        /* (A rebuild does not drop a PATH that is gone: see below.) */
        if (!o->rebuild && (roots[i].key = gone_root(&r, paths[i])) != NULL) {
            roots[i].place = strdup(roots[i].key);
            continue;
        }
        struct stat path_st;
        int walked = idx_walk(paths[i], r.db_key, &cb);
        if (walked == IDX_WALK_PASSED_OVER)
            roots_passed++;
        if (walked >= 0 || walked == IDX_WALK_PASSED_OVER) {
            roots[i].key = realpath(paths[i], NULL);
            roots[i].place = idx_place_of(paths[i]);
        } else {
            roots_failed++;
            /* A PATH that is a link left broken: what it led to may go, and
             * so may the file it took the place of (link_to_gone_file()). */
            if (lstat(paths[i], &path_st) == 0 && S_ISLNK(path_st.st_mode)) {
                roots[i].key = key_in_folder(paths[i]);
                roots[i].place = idx_place_of(paths[i]);
            }
        }
    }
    /* The files met only through links, now that every PATH is walked. */
    r.draining = true;
    for (size_t i = 0; i < r.n_linked && !r.w.fatal && !idx_stop_signal; i++)
        on_file(&r.linked[i], &r);
    bool root_failed = roots_failed > 0;
    /* A first run none of whose PATHs could be read (a typo, most likely),
     * or that named only index folders, leaves no empty index behind. */
    if (no_index_before && roots_failed + roots_passed == n_paths && !r.w.fatal
        && !idx_stop_signal) {
        fprintf(stderr, "passim-index: %s: no index made, since %s\n", o->db_path,
                roots_passed == 0 ? "no PATH given can be read"
                : roots_failed == 0
                    ? "no PATH given holds articles (an index folder is never indexed)"
                    : "the PATHs given are index folders, never indexed, or cannot be read");
        drop_new_db = true;
        goto out;
    }
    /* A rebuild replaces the whole index with what the PATHs hold now: one of
     * them not there at all (a typo, a disk not mounted) would silently drop
     * its articles, so the rebuild is abandoned instead; so is one that
     * named only index folders, which would leave an empty index. */
    if (o->rebuild && (root_failed || roots_passed == n_paths) && !r.w.fatal
        && !idx_stop_signal) {
        fprintf(stderr, "passim-index: %s: not rebuilt, since %s; the index is as it was\n",
                o->db_path, root_failed ? "a PATH given cannot be read"
                : "no PATH given holds articles (an index folder is never indexed)");
        goto out;
    }

    /* Nor would it keep the articles under a folder it could not read: the
     * rebuild is refused before it starts. (Files that cannot be read are
     * known only once read: rebuild_loses_nothing().) */
    if (o->rebuild && !r.w.fatal && !idx_stop_signal) {
        lost_t lost = { 0, NULL };
        for (size_t i = 0; i < r.n_known; i++)
            if (!r.known[i].seen && behind_problem(&r, &r.known[i]))
                note_lost(&lost, &r.known[i]);
        if (refuse_rebuild(&r, &lost))
            goto out;
    }

    /* A fresh build has met all its files before it reads one. */
    if (r.collect)
        r.rep.files_total = (unsigned)r.n_files;
    bool ok, finished = false, compacted = false, compact_failed = false;
    if (parallel) {
        ok = !r.w.fatal && !idx_stop_signal && build_parallel(&r, lang, o->jobs);
    } else {
        if (ahead && !r.w.fatal && !idx_stop_signal) {
            r.has_passages = calloc(r.n_files ? r.n_files : 1, sizeof *r.has_passages);
            if (!r.has_passages) {
                fputs("passim-index: out of memory\n", stderr);
                r.w.fatal = true;
            } else if (idx_writer_files(&r.w, r.files, r.n_files, r.has_passages)) {
                warn_docids_of_run(&r);
            }
        }
        if (!r.w.fatal && !idx_stop_signal && !o->rebuild)
            remove_vanished(&r, roots, n_paths);
        if (!o->rebuild) /* those remove_vanished() did not reach stay: skipped */
            for (size_t i = 0; i < r.n_known; i++)
                note_skipped_known(&r, &r.known[i]);
        if (!r.w.fatal && !idx_stop_signal)
            idx_writer_warn_docids(&r.w);
        if (r.w.fatal)
            xs_db_cancel(target);
        /* Interrupted: keep what was finished, except in a rebuild, which is
         * abandoned (the old index stays). A signal that comes only now
         * finds every file done. */
        finished = !idx_stop_signal;
        ok = !r.w.fatal && (!idx_stop_signal || !o->rebuild) && idx_writer_commit(&r.w, true);
        if (ok && rebuild_db) {
            xs_db_close(rebuild_db);
            ok = !idx_stop_signal && rebuild_loses_nothing(&r, rebuild_path)
                 && compact_into(rebuild_path, o->db_path);
        } else if (ok && r.w.first_build && !idx_stop_signal) {
            /* A first build (or the run that completed one): the committed
             * index is searchable as it is; a compacted copy (about half the
             * size) then takes its place. */
            compacted = compact_into(o->db_path, o->db_path);
            compact_failed = !compacted;
        }
    }
    if (ok)
        note_dropped(&r, roots, n_paths);
    idx_note_docids_left(&r.rep);
    idx_progress_clear(&r.rep);
    if (idx_stop_signal) {
        /* A rebuild or a parallel build is discarded as a whole, unless the
         * signal came once its index was complete (while it was compacted). */
        bool whole = o->rebuild || parallel, discarded = whole && !ok;
        /* A first build discarded leaves no empty index behind. */
        drop_new_db = discarded && no_index_before;
        fprintf(stderr, "passim-index: interrupted by %s; %s\n",
                idx_stop_signal == SIGINT ? "SIGINT" : "SIGTERM",
                drop_new_db ? "nothing was changed: no index was made"
                : discarded ? "nothing was changed: the index is as it was before this run"
                : whole   ? "the new index was complete, and it is in place"
                : ok && finished && (compacted || !r.w.first_build)
                          ? "every file was indexed before it came, and is committed"
                : ok && finished
                          ? "every file was indexed before it came, and is committed; the "
                            "next run compacts the index"
                : ok      ? "the files finished so far are committed; run again to finish"
                          : "the last batch was discarded; run again to finish");
        summary(&r, idx_now() - t0, discarded, !whole && !finished);
        status = 128 + idx_stop_signal;
    } else if (ok) {
        summary(&r, idx_now() - t0, false, false);
        /* A compaction that failed (a full disk, most likely) left the index
         * complete and searchable, but what stopped it is an error all the
         * same, for a script to see. */
        status = compact_failed                     ? IDX_EXIT_ERROR
                 : r.w.st.failed || r.walk_failed ? IDX_EXIT_SOME_FAILED
                                                  : IDX_EXIT_OK;
    } else if (none_if_failed) {
        /* A parallel first build, or a rebuild where there was no index, that
         * failed put nothing in place: it leaves no empty index behind. */
        drop_new_db = true;
        fprintf(stderr, "passim-index: %s: no index was made\n", o->db_path);
    }

out:
    xs_set_fatal_handler(NULL);
    fatal_rep = NULL;
    fatal_db_path = "";
    xs_db_free(rebuild_db);
    if (rebuild_path) {
        remove_tree(rebuild_path);
        free(rebuild_path);
    }
    xs_db_free(db);
    if (drop_new_db && !holds_other_files(o->db_path)) {
        if (db_existed)
            remove_index_files(o->db_path);
        else
            remove_tree(o->db_path);
    }
    for (size_t i = 0; roots && i < n_paths; i++) {
        free(roots[i].key);
        free(roots[i].place);
    }
    free(roots);
    free(held_lang);
    free_run(&r);
    free(db_path);
    return status;
}
