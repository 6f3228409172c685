/*
 * ahead.c — a fresh build on one writer, with reading and analysis on a second
 * thread ahead of it.
 *
 * Xapian's writer takes about four fifths of a one-thread build (add_document,
 * the commits, the final compaction). The rest (reading and decoding each
 * file, cutting passages, tokenizing, stemming, building each passage's Xapian
 * document) runs on the thread ahead, so the two overlap. The writer writes the
 * files in the walk's order with the same batches as idx_writer_file, so the
 * index is the one a single thread would have built.
 *
 * Between the two, a queue of parts: up to PART_DOCS documents of one file;
 * a file's first part carries the file as read, its last part the passage
 * count, the article id and how analysis ended. The queue holds at most
 * QUEUE_LOAD documents (fewer when files are short: each part counts as one
 * more), and written documents (about as many) go back to the thread ahead to
 * be reused: this bounds the memory. When the queue is full, the thread
 * ahead waits until it is down to half, so the two wake each other once per
 * many parts rather than once per part. The words counted for "did you mean" come over about once a
 * batch, with the file they end at: the writer adds them to its own counts
 * once it has written that file, so the word lists committed are always those
 * of the files committed.
 *
 * Stopping: on SIGINT or SIGTERM the thread ahead stops at its next file and
 * the writer writes what was read before it, and no more; in a run whose work
 * is then discarded (a rebuild: the writer's stop_mid_file), both stop at
 * once, inside the file, and the rest is dropped. On a database error
 * the writer stops at once and drops the rest, and the thread ahead stops at
 * its next passage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexer.h"

#define PART_DOCS 32
#define QUEUE_LOAD 256    /* documents queued, each part counting as one more */

typedef struct part {
    struct part *next;
    const idx_file_t *f;
    bool first, last;
    idx_read_t rd;                /* first part: the file as read, without its
                                     article id (art not to be used) */
    xs_doc_t *docs[PART_DOCS];
    unsigned n_docs;
    uint32_t n_passages;          /* last part: the file's passages */
    char *docid;                  /* last part: the article id, owned */
    xs_status_t st;               /* last part: how analysis ended */
    char *why;                    /* last part: what went wrong, if st is not XS_OK */
    idx_counter_t *words;         /* words counted up to the end of this file, or NULL */
} part_t;

typedef struct ahead {
    idx_writer_t *w;
    const idx_file_t *files;
    size_t n_files;

    pthread_mutex_t lock;
    pthread_cond_t ready;         /* a part was queued, or the thread ahead is done */
    pthread_cond_t room;          /* the queue is down to half, or the writer stopped */
    bool writer_waits, ahead_waits;
    part_t *head, *tail;
    size_t queued;                /* the parts' load(): at most about QUEUE_LOAD */
    xs_doc_t **spare;             /* written documents, to be reused */
    size_t n_spare, cap_spare;
    bool done;                    /* the thread ahead has finished */
    bool stop;                    /* the writer stopped: read no further */
    bool nomem;                   /* the thread ahead ran out of memory */

    /* The thread ahead's own. */
    idx_reader_t reader;
    idx_article_ctx_t ctx;
    part_t *cur;                  /* the part being filled */
    uint32_t counted;             /* passages whose words ctx.spell holds */
} ahead_t;

static void free_part(part_t *p)
{
    for (unsigned i = 0; i < p->n_docs; i++)
        xs_doc_free(p->docs[i]);
    free(p->docid);
    free(p->why);
    idx_counter_free(p->words);
    free(p);
}

/* ---- the queue ------------------------------------------------------------ */

static size_t load(const part_t *p)
{
    return p->n_docs + 1;
}

/* Queue p; when the queue is full, first wait until it is down to half.
 * False if the writer stopped: p is freed. */
static bool push(ahead_t *a, part_t *p)
{
    pthread_mutex_lock(&a->lock);
    if (a->head && a->queued + load(p) > QUEUE_LOAD) {
        while (a->head && a->queued > QUEUE_LOAD / 2 && !a->stop) {
            a->ahead_waits = true;
            pthread_cond_wait(&a->room, &a->lock);
        }
    }
    bool stop = a->stop;
    if (!stop) {
        if (a->tail)
            a->tail->next = p;
        else
            a->head = p;
        a->tail = p;
        a->queued += load(p);
        if (a->writer_waits) {
            a->writer_waits = false;
            pthread_cond_signal(&a->ready);
        }
    }
    pthread_mutex_unlock(&a->lock);
    if (stop)
        free_part(p);
    return !stop;
}

/* The next part, or NULL once the thread ahead is done and all are taken. */
static part_t *pop(ahead_t *a)
{
    pthread_mutex_lock(&a->lock);
    while (!a->head && !a->done) {
        a->writer_waits = true;
        pthread_cond_wait(&a->ready, &a->lock);
    }
    part_t *p = a->head;
    if (p) {
        if (!(a->head = p->next))
            a->tail = NULL;
        a->queued -= load(p);
        if (a->ahead_waits && (a->queued <= QUEUE_LOAD / 2 || !a->head)) {
            a->ahead_waits = false;
            pthread_cond_signal(&a->room);
        }
    }
    pthread_mutex_unlock(&a->lock);
    return p;
}

/* Give a written part's documents back for reuse, and free the part. */
static void recycle(ahead_t *a, part_t *p)
{
    pthread_mutex_lock(&a->lock);
    xs_doc_t **grown = text_grow(a->spare, &a->cap_spare, a->n_spare + p->n_docs, sizeof *grown);
    if (grown)
        a->spare = grown;
    while (p->n_docs > 0 && a->n_spare < a->cap_spare)
        a->spare[a->n_spare++] = p->docs[--p->n_docs];
    pthread_mutex_unlock(&a->lock);
    free_part(p); /* frees what did not fit */
}

static void stop_reading(ahead_t *a)
{
    pthread_mutex_lock(&a->lock);
    a->stop = true;
    pthread_cond_broadcast(&a->room);
    pthread_mutex_unlock(&a->lock);
}

static bool stopped(ahead_t *a)
{
    pthread_mutex_lock(&a->lock);
    bool stop = a->stop;
    pthread_mutex_unlock(&a->lock);
    return stop;
}

/* ---- the thread ahead ----------------------------------------------------- */

static xs_doc_t *fresh_doc(ahead_t *a)
{
    xs_doc_t *doc = NULL;
    pthread_mutex_lock(&a->lock);
    if (a->n_spare > 0)
        doc = a->spare[--a->n_spare];
    pthread_mutex_unlock(&a->lock);
    if (!doc && xs_doc_new(&doc) != XS_OK)
        return NULL;
    return doc;
}

/* The idx_doc_fn of analysis: keep the passage's document in the part and
 * put a fresh one in its place; a full part goes to the writer. */
static xs_status_t take_doc(const xs_doc_t *doc, void *payload)
{
    ahead_t *a = payload;
    (void)doc; /* a->ctx.doc */
    if (idx_writer_abandoned(a->w))
        return XS_ERR_INVALID;  /* analyse no further */
    xs_doc_t *fresh = fresh_doc(a);
    if (!fresh)
        return XS_ERR_NOMEM;
    part_t *p = a->cur;
    p->docs[p->n_docs++] = a->ctx.doc;
    a->ctx.doc = fresh;
    if (p->n_docs == PART_DOCS) {
        part_t *next = calloc(1, sizeof *next);
        if (!next)
            return XS_ERR_NOMEM;
        next->f = p->f;
        a->cur = next;
        if (!push(a, p))
            return XS_ERR_INVALID; /* the writer stopped: analyse no further */
    }
    return XS_OK;
}

static void *ahead_main(void *arg)
{
    ahead_t *a = arg;
    for (size_t i = 0; i < a->n_files && !idx_stop_signal && !stopped(a); i++) {
        const idx_file_t *f = &a->files[i];
        part_t *p = calloc(1, sizeof *p);
        if (!p) {
            a->nomem = true;
            break;
        }
        idx_read_t rd;
        idx_read_file(&a->reader, f, NULL, &rd);
        p->f = f;
        p->first = true;
        p->rd = rd;
        p->rd.docid = NULL; /* analysis reads it: the last part takes it */
        a->cur = p;
        uint32_t n = 0;
        xs_status_t st = XS_OK;
        if (rd.kind == IDX_READ_TEXT)
            st = idx_article_index(&a->ctx, &rd.art, take_doc, a, &n);
        p = a->cur;
        a->cur = NULL;
        if (st != XS_OK && idx_writer_abandoned(a->w)) {
            free_part(p);       /* stopped inside the file: nothing to report */
            free(rd.docid);
            break;
        }
        p->last = true;
        p->n_passages = n;
        p->docid = rd.docid;
        /* Memory can run out outside the shim too (here, in text/), where
         * the shim's last message would be an older failure's. */
        if ((p->st = st) != XS_OK)
            p->why = strdup(st != XS_ERR_NOMEM && *xs_last_error() ? xs_last_error()
                                                                   : xs_status_str(st));
        a->counted += n;
        if (a->ctx.spell && a->counted >= a->w->batch_limit) {
            /* The writer takes these counts once it has written this file,
             * before the commit that ends its batch. */
            p->words = a->ctx.spell;
            a->counted = 0;
            if (!(a->ctx.spell = idx_counter_new()))
                a->nomem = true;
        }
        push(a, p);
        if (a->nomem)
            break;
    }
    pthread_mutex_lock(&a->lock);
    a->done = true;
    pthread_cond_signal(&a->ready);
    pthread_mutex_unlock(&a->lock);
    return NULL;
}

/* ---- the writer ----------------------------------------------------------- */

/* Write part p; *cur is the file being written, as read, *passages whether
 * its documents are written. False when the run must stop. */
static bool write_part(idx_writer_t *w, part_t *p, idx_read_t *cur, bool *passages,
                       xs_status_t *write_st)
{
    if (p->first) {
        *cur = p->rd;
        *write_st = XS_OK;
        idx_progress(w->rep, p->f->path, 0, 0);
        if (!idx_writer_begin(w, p->f, NULL, cur, passages))
            return false;
    }
    for (unsigned i = 0; i < p->n_docs && *write_st == XS_OK; i++)
        *write_st = idx_writer_add(p->docs[i], w);
    if (!p->last)
        return true;
    bool ok = true;
    cur->docid = p->docid;
    p->docid = NULL;
    /* The words of the files up to this one, before the commit it may end
     * its batch with. */
    if (p->words && !idx_counter_merge(w->ctx.spell, p->words)) {
        idx_writer_nomem(w);
        ok = false;
    } else if (*passages && *write_st != XS_OK)
        ok = idx_writer_end(w, p->f, NULL, cur, p->n_passages, *write_st, NULL);
    else if (*passages)
        ok = idx_writer_end(w, p->f, NULL, cur, p->n_passages, p->st,
                            p->st != XS_OK && !p->why ? "out of memory" : p->why);
    idx_read_done(cur);
    return ok;
}

bool idx_writer_files(idx_writer_t *w, const idx_file_t *files, size_t n_files,
                      bool *has_passages)
{
    ahead_t a = { .w = w, .files = files, .n_files = n_files };
    pthread_t thread;
    if (!idx_article_ctx_init(&a.ctx, w->o, text_analyzer_lang(w->ctx.analyzer))) {
        idx_article_ctx_free(&a.ctx);
        w->fatal = true; /* said on stderr */
        return false;
    }
    pthread_mutex_init(&a.lock, NULL);
    pthread_cond_init(&a.ready, NULL);
    pthread_cond_init(&a.room, NULL);
    if (pthread_create(&thread, NULL, ahead_main, &a) != 0) {
        fputs("passim-index: cannot start a thread\n", stderr);
        w->fatal = true;
    } else {
        idx_read_t cur = { 0 };
        bool passages = false;
        xs_status_t write_st = XS_OK;
        part_t *p;
        while ((p = pop(&a)) != NULL) {
            if (idx_writer_abandoned(w))
                stop_reading(&a);   /* no file to finish: what was read ahead goes */
            else if (!w->fatal && !write_part(w, p, &cur, &passages, &write_st))
                stop_reading(&a);
            else if (!w->fatal && p->last)
                has_passages[p->f - files] = p->n_passages > 0;
            recycle(&a, p);
        }
        pthread_join(thread, NULL);
        idx_read_done(&cur);
        if (a.nomem && !w->fatal) {
            idx_writer_nomem(w);
        }
        /* The words of the files read since the last hand-over: all written
         * (not when the run is abandoned). */
        if (!w->fatal && !idx_writer_abandoned(w) && a.ctx.spell
            && !idx_counter_merge(w->ctx.spell, a.ctx.spell)) {
            idx_writer_nomem(w);
        }
    }
    for (size_t i = 0; i < a.n_spare; i++)
        xs_doc_free(a.spare[i]);
    free(a.spare);
    idx_article_ctx_free(&a.ctx);
    idx_reader_free(&a.reader);
    pthread_cond_destroy(&a.ready);
    pthread_cond_destroy(&a.room);
    pthread_mutex_destroy(&a.lock);
    return !w->fatal;
}
