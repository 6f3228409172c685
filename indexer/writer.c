/*
 * writer.c — indexing files into one database, in atomic batches.
 *
 * A writer takes a file as read (reader.c), skips it if only its mtime
 * changed (same content hash), replaces its passages and writes its record (size, mtime,
 * hash, passage count) in the same batch, so a commit never holds half a file.
 * Batches end at file boundaries after about --batch passages. A run uses one
 * writer, or one per thread when it builds shards in parallel. A writer that
 * sees the whole index also looks for article ids another file already has.
 *
 * Notes and the progress line are shared by all writers of a run, under a lock.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "indexer.h"
#include "record.h"
#include "spell.h"
#include "terms.h"

volatile sig_atomic_t idx_stop_signal;

/* ---- notes and progress -------------------------------------------------- */

double idx_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void idx_report_init(idx_report_t *rep, bool progress, bool quiet)
{
    memset(rep, 0, sizeof *rep);
    pthread_mutex_init(&rep->lock, NULL);
    rep->progress = progress;
    rep->quiet = quiet;
}

void idx_report_free(idx_report_t *rep)
{
    text_buf_free(&rep->last_note);
    pthread_mutex_destroy(&rep->lock);
}

static void clear_locked(idx_report_t *rep)
{
    if (rep->progress_shown) {
        fputs("\r\033[K", stderr);
        rep->progress_shown = false;
    }
}

void idx_progress_clear(idx_report_t *rep)
{
    pthread_mutex_lock(&rep->lock);
    clear_locked(rep);
    pthread_mutex_unlock(&rep->lock);
}

/* A note is one line, and file names are the user's files' own: an escape
 * sequence or a newline in a name must not reach the terminal as such. */
void idx_note(idx_report_t *rep, const char *path, const char *fmt, ...)
{
    text_buf_t raw = TEXT_BUF_INIT, line = TEXT_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    bool ok = text_buf_printf(&raw, "%s: ", path) && text_buf_vprintf(&raw, fmt, ap)
              && text_buf_puts(&line, "passim-index: ")
              && text_safe_append(&line, raw.data, raw.len, true) && text_buf_putc(&line, '\n');
    va_end(ap);
    pthread_mutex_lock(&rep->lock);
    bool again = ok && rep->last_note.len == line.len
                 && memcmp(rep->last_note.data, line.data, line.len) == 0;
    if (!again) {
        clear_locked(rep);
        if (ok)
            fputs(line.data, stderr);
        else
            fprintf(stderr, "passim-index: %s: (out of memory for a note)\n", path);
        text_buf_clear(&rep->last_note);
        if (ok)
            (void)text_buf_append(&rep->last_note, line.data, line.len);
    }
    pthread_mutex_unlock(&rep->lock);
    text_buf_free(&raw);
    text_buf_free(&line);
}

/* The columns of the terminal on stderr (80 if it does not say). */
static size_t term_columns(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

/* Where the longest end of the UTF-8 text s[0..len) that takes at most room
 * columns starts; a character beyond ASCII counts as two (a wide one may). */
static size_t tail_fitting(const char *s, size_t len, size_t room)
{
    size_t start = len, used = 0;
    for (size_t i = len; i > 0; i--) {
        unsigned char c = (unsigned char)s[i - 1];
        if ((c & 0xC0) == 0x80)
            continue; /* inside a character */
        used += c < 0x80 ? 1 : 2;
        if (used > room)
            break;
        start = i - 1;
    }
    return start;
}

/* The progress line, fitted to the terminal's width: a line that wrapped
 * would leave a row behind at every redraw, since "\r\033[K" clears only
 * the last. The path gives way first, from its start, keeping the name. */
static void draw_progress(const idx_report_t *rep, const char *path)
{
    char counts[160];
    int n = rep->files_total
                ? snprintf(counts, sizeof counts,
                           "passim-index: %u of %u files (%u%%), %.1f MB, %llu passages",
                           rep->files_seen, rep->files_total,
                           (unsigned)(100.0 * rep->files_seen / rep->files_total),
                           rep->bytes / 1e6, (unsigned long long)rep->passages)
                : snprintf(counts, sizeof counts, "passim-index: %u files, %.1f MB, %llu passages",
                           rep->files_seen, rep->bytes / 1e6,
                           (unsigned long long)rep->passages);
    size_t width = term_columns() - 1; /* the last column can wrap on its own */
    size_t used = n < 0 ? 0 : (size_t)n < width ? (size_t)n : width;
    text_buf_t safe = TEXT_BUF_INIT;
    bool ok = text_safe_append(&safe, path, strlen(path), true) && safe.data;
    const char *tail = "";
    bool cut = false;
    if (ok && used + 2 + 8 <= width) { /* room for at least a few letters */
        size_t room = width - used - 2;
        size_t start = tail_fitting(safe.data, safe.len, room);
        if (start > 0) {
            start = tail_fitting(safe.data, safe.len, room - 1); /* and the ellipsis */
            cut = true;
        }
        tail = safe.data + start;
    }
    fprintf(stderr, "\r\033[K%.*s%s%s%s", (int)used, counts, *tail || cut ? "  " : "",
            cut ? "\xe2\x80\xa6" : "", tail); /* … */
    text_buf_free(&safe);
}

/* Notes of article ids met twice, shown one by one up to this many: a
 * folder of documentation ("README" and "README.Debian", "foo.c" and
 * "foo.h") can have hundreds, and they matter only to TREC runs. */
#define DOCID_NOTES_MAX 10

void idx_note_docid(idx_report_t *rep, const char *path, const char *docid, const char *other)
{
    pthread_mutex_lock(&rep->lock);
    bool show = rep->docid_notes++ < DOCID_NOTES_MAX;
    pthread_mutex_unlock(&rep->lock);
    if (show)
        idx_note(rep, path, "docid '%s' is also %s's; TREC runs and --qrels will not tell them "
                            "apart", docid, other);
}

void idx_note_docids_left(idx_report_t *rep)
{
    pthread_mutex_lock(&rep->lock);
    if (rep->docid_notes > DOCID_NOTES_MAX) {
        clear_locked(rep);
        unsigned left = rep->docid_notes - DOCID_NOTES_MAX;
        fprintf(stderr, "passim-index: and %u more file%s whose docid another file has\n", left,
                left == 1 ? "" : "s");
    }
    rep->docid_notes = 0;
    pthread_mutex_unlock(&rep->lock);
}

void idx_progress(idx_report_t *rep, const char *path, uint64_t bytes, uint64_t passages)
{
    pthread_mutex_lock(&rep->lock);
    if (path)
        rep->files_seen++;
    rep->bytes += bytes;
    rep->passages += passages;
    double t = rep->progress ? idx_now() : 0;
    if (rep->progress && path && t - rep->last_progress >= 0.1) {
        rep->last_progress = t;
        rep->progress_shown = true;
        draw_progress(rep, path);
    }
    pthread_mutex_unlock(&rep->lock);
}

/* ---- the writer ---------------------------------------------------------- */

static void db_error(idx_writer_t *w, const char *what, xs_status_t st)
{
    idx_note(w->rep, w->db_path, "%s: %s", what,
             *xs_last_error() ? xs_last_error() : xs_status_str(st));
    w->fatal = true;
}

bool idx_writer_init(idx_writer_t *w, const idx_opts_t *o, idx_report_t *rep, xs_db_t *db,
                     const char *db_path, const char *lang)
{
    memset(w, 0, sizeof *w);
    w->o = o;
    w->rep = rep;
    w->db = db;
    w->db_path = db_path;
    w->batch_limit = o->batch_passages;
    return idx_article_ctx_init(&w->ctx, o, lang);
}

void idx_writer_free(idx_writer_t *w)
{
    for (size_t i = 0; i < w->n_suspects; i++) {
        free(w->suspects[i].path);
        free(w->suspects[i].key);
        free(w->suspects[i].docid);
    }
    free(w->suspects);
    for (size_t i = 0; i < w->n_added; i++)
        free(w->added[i].path);
    free(w->added);
    idx_article_ctx_free(&w->ctx);
    idx_reader_free(&w->reader);
    text_buf_free(&w->scratch);
    memset(w, 0, sizeof *w);
}

static bool ensure_batch(idx_writer_t *w)
{
    if (xs_db_in_batch(w->db))
        return true;
    xs_status_t st = xs_db_begin(w->db);
    if (st != XS_OK) {
        db_error(w, "cannot start a batch", st);
        return false;
    }
    return true;
}

/* ---- the word lists of "did you mean" ------------------------------------ */

typedef struct word_entry {
    size_t chars;              /* its list: the word's length in characters */
    text_spell_word_t w;
} word_entry_t;

typedef struct word_entries {
    word_entry_t *e;
    size_t n;
} word_entries_t;

static int collect_word(const char *word, size_t len, uint32_t count, void *payload)
{
    word_entries_t *we = payload;
    we->e[we->n++] = (word_entry_t){ text_spell_chars(word, len), { word, len, count } };
    return 0;
}

/* The words counted since they were last written, into we (free we->e);
 * false if memory ran out. text_spell_list() leaves out those that no list
 * can hold. */
static bool counted_words(idx_writer_t *w, word_entries_t *we)
{
    size_t n = idx_counter_size(w->ctx.spell);
    we->n = 0;
    we->e = malloc((n ? n : 1) * sizeof *we->e);
    if (!we->e)
        return false;
    idx_counter_each(w->ctx.spell, collect_word, we);
    return true;
}

static int cmp_chars(const void *a, const void *b)
{
    const word_entry_t *x = a, *y = b;
    return (x->chars > y->chars) - (x->chars < y->chars);
}

void idx_writer_nomem(idx_writer_t *w)
{
    fputs("passim-index: out of memory\n", stderr);
    w->fatal = true;
}

/* Add the words counted to the word lists, each list read, merged and written
 * back once, and forget them. */
static bool write_words(idx_writer_t *w)
{
    word_entries_t we;
    bool ok = counted_words(w, &we), db_ok = true;
    text_spell_word_t *group = ok ? malloc((we.n ? we.n : 1) * sizeof *group) : NULL;
    text_buf_t key = TEXT_BUF_INIT, list = TEXT_BUF_INIT, merged = TEXT_BUF_INIT;
    ok = ok && group;
    if (ok)
        qsort(we.e, we.n, sizeof *we.e, cmp_chars);
    for (size_t i = 0, j; ok && db_ok && i < we.n; i = j) {
        size_t k = 0;
        for (j = i; j < we.n && we.e[j].chars == we.e[i].chars; j++)
            group[k++] = we.e[j].w;
        ok = text_words_key(&key, we.e[i].chars) && text_spell_list(&list, group, k);
        if (ok && list.len == 0)
            continue; /* words too long for any list */
        char *old = NULL;
        size_t old_len = 0;
        xs_status_t st = ok ? xs_db_get_metadata(w->db, key.data, &old, &old_len) : XS_OK;
        if (st == XS_ERR_NOT_FOUND)
            st = XS_OK;
        if (ok && st == XS_OK) {
            ok = text_spell_merge(&merged, old, old_len, list.data, list.len);
            if (ok)
                st = xs_db_set_metadata(w->db, key.data, merged.data, merged.len);
        }
        free(old);
        if (st != XS_OK) {
            db_error(w, "cannot write the word lists", st);
            db_ok = false;
        }
    }
    if (!ok)
        idx_writer_nomem(w);
    free(we.e);
    free(group);
    text_buf_free(&key);
    text_buf_free(&list);
    text_buf_free(&merged);
    idx_counter_clear(w->ctx.spell);
    return ok && db_ok;
}

/* The words due that the index holds: their keys, each NUL-terminated, one
 * after the other (a text_buf_t), and the highest number among them. */
typedef struct due_keys {
    text_buf_t keys;
    size_t n;
    uint32_t last;
} due_keys_t;

static int note_due_key(const char *key, size_t key_len, const char *value, size_t value_len,
                        void *payload)
{
    (void)value;
    (void)value_len;
    due_keys_t *d = payload;
    size_t prefix = strlen(PASSIM_META_WORDS_DUE);
    unsigned long number = strtoul(key + prefix, NULL, 10);
    if (number > d->last && number < UINT32_MAX)
        d->last = (uint32_t)number;
    d->n++;
    return text_buf_append(&d->keys, key, key_len) && text_buf_putc(&d->keys, '\0') ? 0 : 1;
}

static bool find_due_words(idx_writer_t *w, due_keys_t *d)
{
    int rc = 0;
    xs_status_t st = xs_db_metadata(w->db, PASSIM_META_WORDS_DUE, note_due_key, d, &rc);
    if (st != XS_OK) {
        db_error(w, "cannot read the words due", st);
        return false;
    }
    if (rc) {
        idx_writer_nomem(w);
        return false;
    }
    return true;
}

/* Keep the words counted since the last commit as a value of words due, in
 * the batch that commits the files they were met in, and forget them. */
static bool write_due_words(idx_writer_t *w)
{
    if (w->words_due_next == 0) {
        /* Numbered after any that a killed run left. */
        due_keys_t d = { TEXT_BUF_INIT, 0, 0 };
        bool found = find_due_words(w, &d);
        text_buf_free(&d.keys);
        if (!found)
            return false;
        w->words_due_next = d.last + 1;
    }
    /* All in one list, whatever their length. */
    word_entries_t we;
    bool ok = counted_words(w, &we);
    text_spell_word_t *words = ok ? malloc((we.n ? we.n : 1) * sizeof *words) : NULL;
    text_buf_t key = TEXT_BUF_INIT, list = TEXT_BUF_INIT;
    ok = ok && words;
    for (size_t i = 0; ok && i < we.n; i++)
        words[i] = we.e[i].w;
    ok = ok && text_spell_list(&list, words, we.n)
         && text_buf_printf(&key, "%s%010" PRIu32, PASSIM_META_WORDS_DUE, w->words_due_next);
    xs_status_t st = ok ? xs_db_set_metadata(w->db, key.data, list.data, list.len) : XS_OK;
    if (!ok)
        idx_writer_nomem(w);
    else if (st != XS_OK)
        db_error(w, "cannot write the words due", st);
    else
        w->words_due_next++;
    free(we.e);
    free(words);
    text_buf_free(&key);
    text_buf_free(&list);
    idx_counter_clear(w->ctx.spell);
    return ok && st == XS_OK;
}

static int count_due_word(const char *word, size_t len, uint32_t count, void *counter)
{
    return idx_counter_add_n(counter, word, len, count) ? 0 : 1;
}

/* Words held before they go to the lists, while the words due are read. */
#define WORDS_HELD_MAX 200000

/* Merge the words due that d names and the words counted since the last
 * commit into the word lists, and delete the words due: all in the open
 * batch. */
static bool merge_due_words(idx_writer_t *w, const due_keys_t *d)
{
    const char *key = d->keys.data;
    for (size_t i = 0; i < d->n; i++, key += strlen(key) + 1) {
        char *value = NULL;
        size_t len = 0;
        xs_status_t st = xs_db_get_metadata(w->db, key, &value, &len);
        if (st == XS_OK && text_spell_each(value, len, count_due_word, w->ctx.spell) != 0) {
            free(value);
            idx_writer_nomem(w);
            return false;
        }
        free(value);
        if (st == XS_OK)
            st = xs_db_set_metadata(w->db, key, NULL, 0);
        if (st != XS_OK) {
            db_error(w, "cannot merge the words due into the word lists", st);
            return false;
        }
        if (idx_counter_size(w->ctx.spell) > WORDS_HELD_MAX && !write_words(w))
            return false;
    }
    return idx_counter_size(w->ctx.spell) == 0 || write_words(w);
}

int idx_merge_metadata(const char *key, size_t key_len, const char *const *values,
                       const size_t *lens, size_t n, char **out, size_t *out_len, void *payload)
{
    (void)payload;
    text_buf_t merged = TEXT_BUF_INIT, next = TEXT_BUF_INIT;
    size_t prefix = strlen(PASSIM_META_WORDS);
    bool words = key_len > prefix && memcmp(key, PASSIM_META_WORDS, prefix) == 0;
    bool ok = text_buf_append(&merged, values[0], lens[0]);
    for (size_t i = 1; ok && words && i < n; i++) {
        ok = text_spell_merge(&next, merged.data, merged.len, values[i], lens[i]);
        text_buf_t t = merged;
        merged = next;
        next = t;
    }
    text_buf_free(&next);
    if (!ok) {
        text_buf_free(&merged);
        return 1;
    }
    *out = merged.data; /* NULL for an empty value */
    *out_len = merged.len;
    return 0;
}

/* Whether the index records its layout (passim has committed to it). */
static bool has_layout(idx_writer_t *w)
{
    char *layout = NULL;
    xs_status_t st = xs_db_get_metadata(w->db, PASSIM_META_VERSION, &layout, NULL);
    free(layout);
    return st != XS_ERR_NOT_FOUND;
}

bool idx_writer_commit(idx_writer_t *w, bool last)
{
    bool spell = w->ctx.spell != NULL, ok = true;
    if (spell && last) {
        due_keys_t d = { TEXT_BUF_INIT, 0, 0 };
        ok = find_due_words(w, &d);
        if (ok && (d.n > 0 || idx_counter_size(w->ctx.spell) > 0))
            ok = ensure_batch(w) && merge_due_words(w, &d);
        text_buf_free(&d.keys);
    } else if (spell && idx_counter_size(w->ctx.spell) > 0 && xs_db_in_batch(w->db)) {
        ok = write_due_words(w);
    }
    /* The last commit of a first build marks it, whatever else it holds; and
     * a run's last commit records the language and layout if the index has
     * no record of them yet (a first run that met no article), so that an
     * index without them is one whose first run did not finish. */
    if (ok && last && (w->first_build || !has_layout(w)))
        ok = ensure_batch(w);
    if (!ok) {
        xs_db_cancel(w->db);
        return false;
    }
    if (!xs_db_in_batch(w->db))
        return !w->fatal;
    const char *lang = text_analyzer_lang(w->ctx.analyzer);
    xs_status_t st = xs_db_set_metadata(w->db, PASSIM_META_LANG, lang, strlen(lang));
    if (st == XS_OK)
        st = xs_db_set_metadata(w->db, PASSIM_META_VERSION, PASSIM_LAYOUT_VERSION,
                                strlen(PASSIM_LAYOUT_VERSION));
    if (st == XS_OK && w->first_build)
        st = xs_db_set_metadata(w->db, PASSIM_META_FIRST_BUILD, "1", 1);
    /* Passages whose words were not counted: the word lists now miss them,
     * which wildcards must know (they then read the index as one with none). */
    if (st == XS_OK && !spell && w->batch_passages > 0)
        st = xs_db_set_metadata(w->db, PASSIM_META_WORDS_PARTIAL, "1", 1);
    if (st == XS_OK)
        st = xs_db_commit(w->db);
    if (st != XS_OK) {
        db_error(w, "cannot commit", st);
        xs_db_cancel(w->db);
        return false;
    }
    w->batch_passages = 0;
    return true;
}

static bool delete_passages(idx_writer_t *w, const char *key)
{
    if (!text_key_term(&w->scratch, PASSIM_PREFIX_FILE, key, "")) {
        w->fatal = true;
        return false;
    }
    xs_status_t st = xs_db_delete_documents(w->db, w->scratch.data, w->scratch.len);
    if (st != XS_OK) {
        db_error(w, "cannot delete passages", st);
        return false;
    }
    return true;
}

/* Whether the index may hold passages of the file with this key (a lookup
 * that fails says it may). */
static bool holds_passages(idx_writer_t *w, const char *key)
{
    uint32_t n = 1;
    if (text_key_term(&w->scratch, PASSIM_PREFIX_FILE, key, ""))
        (void)xs_db_termfreq(w->db, w->scratch.data, w->scratch.len, &n);
    return n > 0;
}

/* Write (rec) or delete (rec NULL) the record of the file with this key. */
static bool set_record(idx_writer_t *w, const char *key, const text_file_record_t *rec)
{
    text_buf_t meta_key = TEXT_BUF_INIT, value = TEXT_BUF_INIT;
    /* Xapian keys are short (255 bytes): a long path is shortened with a hash,
     * and the record itself keeps the whole key. */
    bool ok = text_key_term(&meta_key, PASSIM_META_FILE, key, "");
    if (ok && rec)
        ok = text_file_record_encode(rec, &value);
    if (!ok) {
        idx_writer_nomem(w);
    } else {
        xs_status_t st = xs_db_set_metadata(w->db, meta_key.data, value.data ? value.data : "",
                                            value.len);
        if (st != XS_OK) {
            db_error(w, "cannot write a file record", st);
            ok = false;
        }
    }
    text_buf_free(&meta_key);
    text_buf_free(&value);
    return ok;
}

bool idx_writer_remove(idx_writer_t *w, const char *key, const char *path, const char *why)
{
    if (!ensure_batch(w) || !delete_passages(w, key) || !set_record(w, key, NULL))
        return false;
    w->st.removed++;
    if (!w->rep->quiet && *why)
        idx_note(w->rep, path, "removed from the index (%s)", why);
    return true;
}

/* ---- article ids shared by two files ------------------------------------- */

/* The number of files (with passages) whose article id is docid: only their
 * first passage carries the id term. */
static uint32_t docid_files(idx_writer_t *w, const char *docid)
{
    uint32_t n = 0;
    if (!text_key_term(&w->scratch, PASSIM_PREFIX_DOCID, docid, "")
        || xs_db_termfreq(w->db, w->scratch.data, w->scratch.len, &n) != XS_OK)
        return 0;
    return n;
}

/* Remember file f, just indexed with n passages, if another file has its
 * article id too: a cheap look-up of one term, and the warning waits for the
 * end of the run (idx_writer_warn_docids). Its own old passages were deleted
 * before. Out of memory, the file goes unchecked. */
static void check_docid(idx_writer_t *w, const idx_file_t *f, const char *docid, uint32_t n)
{
    if (!w->check_docids || n == 0 || docid_files(w, docid) <= 1)
        return;
    idx_docid_suspect_t *grown = text_grow(w->suspects, &w->cap_suspects, w->n_suspects + 1,
                                           sizeof *grown);
    if (!grown)
        return;
    w->suspects = grown;
    idx_docid_suspect_t *s = &grown[w->n_suspects];
    s->path = strdup(f->path);
    s->key = strdup(f->key);
    s->docid = strdup(docid);
    if (s->path && s->key && s->docid) {
        w->n_suspects++;
    } else {
        free(s->path);
        free(s->key);
        free(s->docid);
    }
}

/* The path of a file other than the one with this key whose first passage
 * carries article id docid, malloc'ed; NULL if none or on failure. */
static char *other_docid_path(idx_writer_t *w, const char *docid, const char *key)
{
    text_buf_t id_term = TEXT_BUF_INIT, file_term = TEXT_BUF_INIT;
    xs_query_t *terms[2] = { NULL, NULL }, *q = NULL;
    xs_mset_t *m = NULL;
    xs_search_opts_t opts = XS_SEARCH_OPTS_INIT;
    char *path = NULL;
    opts.limit = 1;
    if (text_key_term(&id_term, PASSIM_PREFIX_DOCID, docid, "")
        && text_key_term(&file_term, PASSIM_PREFIX_FILE, key, "")
        && xs_query_term(&terms[0], id_term.data, id_term.len, 1, 0) == XS_OK
        && xs_query_term(&terms[1], file_term.data, file_term.len, 1, 0) == XS_OK
        && xs_query_combine(&q, XS_OP_AND_NOT, (const xs_query_t *const *)terms, 2, 0) == XS_OK
        && xs_search(&m, w->db, q, &opts) == XS_OK && xs_mset_size(m) > 0) {
        size_t len;
        text_record_t rec;
        const char *data = xs_mset_value(m, 0, PASSIM_SLOT_RECORD, &len);
        if (data && text_record_decode(data, len, &rec))
            path = strndup(rec.path, rec.path_len);
    }
    xs_mset_free(m);
    xs_query_free(q);
    xs_query_free(terms[0]);
    xs_query_free(terms[1]);
    text_buf_free(&id_term);
    text_buf_free(&file_term);
    return path;
}

/* Whether one of the first n suspects was warned about with docid and path:
 * two files of this run that share an id make one warning, not two. */
static bool warned_already(const idx_writer_t *w, size_t n, const bool *warned,
                           const char *docid, const char *path)
{
    for (size_t j = 0; j < n; j++)
        if (warned[j] && strcmp(w->suspects[j].docid, docid) == 0
            && strcmp(w->suspects[j].path, path) == 0)
            return true;
    return false;
}

void idx_writer_warn_docids(idx_writer_t *w)
{
    bool *warned = w->n_suspects ? calloc(w->n_suspects, sizeof *warned) : NULL;
    for (size_t i = 0; i < w->n_suspects; i++) {
        const idx_docid_suspect_t *s = &w->suspects[i];
        if (docid_files(w, s->docid) <= 1)
            continue; /* the other file went in this run */
        char *other = other_docid_path(w, s->docid, s->key);
        if (other && !(warned && warned_already(w, i, warned, s->docid, other))) {
            idx_note_docid(w->rep, s->path, s->docid, other);
            if (warned)
                warned[i] = true;
        }
        free(other);
    }
    free(warned);
}

/* ---- indexing a file ----------------------------------------------------- */

/* Remember file f, just added or met unchanged, by its content hash, when
 * w->track_added. Out of memory, it goes unremembered: a file it moved from
 * stays in the index until its PATH is indexed again. */
static void track_added(idx_writer_t *w, const idx_file_t *f, uint64_t hash)
{
    if (!w->track_added)
        return;
    idx_added_t *grown = text_grow(w->added, &w->cap_added, w->n_added + 1, sizeof *grown);
    if (!grown)
        return;
    w->added = grown;
    if ((grown[w->n_added].path = strdup(f->path)) != NULL)
        grown[w->n_added++].hash = hash;
}

/* Whether rec would write what the index holds for the file already: a
 * file read again because its time was too recent to trust, found as it
 * was, and still too recent. Not known if memory ran out: then it is
 * written. */
static bool same_record(const text_file_record_t *known, const text_file_record_t *rec)
{
    text_buf_t a = TEXT_BUF_INIT, b = TEXT_BUF_INIT;
    bool same = text_file_record_encode(known, &a) && text_file_record_encode(rec, &b)
                && a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
    text_buf_free(&a);
    text_buf_free(&b);
    return same;
}

bool idx_writer_begin(idx_writer_t *w, const idx_file_t *f, const text_file_record_t *known,
                      const idx_read_t *rd, bool *passages)
{
    *passages = false;
    if (rd->kind == IDX_READ_FAILED) {
        idx_note(w->rep, f->path, "cannot read: %s",
                 rd->err == IDX_ERR_NOT_REGULAR ? "no longer a regular file" : strerror(rd->err));
        w->st.failed++;
        return true;
    }
    w->st.bytes += rd->rec.size;
    switch (rd->kind) {
    case IDX_READ_NOMEM:
        idx_note(w->rep, f->path, "out of memory");
        w->st.failed++;
        return true;
    case IDX_READ_UNCHANGED:
        /* Touched, not changed: remember the new mtime, keep the passages;
         * met with its text, as a file skipped unchanged is. A record the
         * same as before is not written: it would commit a revision that
         * changes nothing. */
        w->st.unchanged++;
        idx_progress(w->rep, NULL, rd->rec.size, 0);
        track_added(w, f, rd->rec.hash);
        return (known && same_record(known, &rd->rec))
               || (ensure_batch(w) && set_record(w, f->key, &rd->rec));
    case IDX_READ_FAILED:
    case IDX_READ_BINARY:
    case IDX_READ_TEXT:
        break;
    }
    bool binary = rd->kind == IDX_READ_BINARY;
    /* Its old passages go; a file that is no text and that the index holds
     * nothing of leaves it untouched, with no batch to commit. */
    bool old = known || (w->may_hold_old && (!binary || holds_passages(w, f->key)));
    if ((old || !binary) && !ensure_batch(w))
        return false;
    if (old && !delete_passages(w, f->key))
        return false;
    if (binary) {
        /* Indexed when it was text: its passages (deleted above) and record go. */
        if (known)
            w->st.removed++;
        else
            w->st.skipped++;
        if (!w->rep->quiet)
            idx_note(w->rep, f->path, known ? "removed from the index (not a text file any more)"
                                            : "skipped: not a text file");
        return !old || set_record(w, f->key, NULL);
    }
    *passages = true;
    return true;
}

xs_status_t idx_writer_add(const xs_doc_t *doc, void *writer)
{
    idx_writer_t *w = writer;
    if (idx_writer_abandoned(w))
        return XS_ERR_INVALID;          /* no need to finish a file to discard it */
    return xs_db_add_document(w->db, doc, NULL);
}

bool idx_writer_end(idx_writer_t *w, const idx_file_t *f, const text_file_record_t *known,
                    const idx_read_t *rd, uint32_t n, xs_status_t st, const char *why)
{
    if (st != XS_OK) {
        if (idx_writer_abandoned(w))
            return false;   /* interrupted: said once, for the whole run */
        if (why) {
            idx_note(w->rep, w->db_path, "%s: %s", f->path, why);
            w->fatal = true;
        } else {
            db_error(w, f->path, st);
        }
        return false;
    }
    check_docid(w, f, rd->docid, n);
    if (!known)
        track_added(w, f, rd->rec.hash);
    text_file_record_t rec = rd->rec;
    rec.n_passages = n;
    if (!set_record(w, f->key, &rec))
        return false;
    if (known)
        w->st.updated++;
    else
        w->st.added++;
    w->st.passages += n;
    w->batch_passages += n;
    idx_progress(w->rep, NULL, rd->rec.size, n);
    return w->batch_passages < w->batch_limit || idx_writer_commit(w, false);
}

bool idx_writer_file(idx_writer_t *w, const idx_file_t *f, const text_file_record_t *known)
{
    idx_read_t rd;
    bool passages, ok;
    idx_read_file(&w->reader, f, known, &rd);
    ok = idx_writer_begin(w, f, known, &rd, &passages);
    if (ok && passages) {
        uint32_t n = 0;
        xs_status_t st = idx_article_index(&w->ctx, &rd.art, idx_writer_add, w, &n);
        ok = idx_writer_end(w, f, known, &rd, n, st, NULL);
    }
    idx_read_done(&rd);
    return ok;
}
