/*
 * reader.c — the first half of indexing a file: its bytes, their hash (is it
 * the file already indexed, only touched?), and text decoded to UTF-8 with the
 * article id. What is written is the writer's business (writer.c), done on the
 * same thread or, in a fresh build on one writer, on another thread (ahead.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "indexer.h"

void idx_reader_free(idx_reader_t *rd)
{
    text_buf_free(&rd->content);
    text_buf_free(&rd->decoded);
}

/* Read the file into rd->content, and its stat, as read, into *st. Its first
 * TEXT_SNIFF_BYTES come first: when they say it is not text, *binary is set and
 * the rest is not read, so that a video or a disk image among the notes costs
 * 64 KiB on every run, not its size. A text file smaller than that takes one
 * read(). Returns 0, an errno value or IDX_ERR_NOT_REGULAR. */
static int read_bytes(idx_reader_t *rd, const char *path, struct stat *st, bool *binary)
{
    *binary = false;
    /* Without waiting: a pipe put in the file's place since the walk met
     * it would wait for a writer. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int err = 0;
    text_buf_t *b = &rd->content;
    text_buf_clear(b);
    if (fstat(fd, st) != 0) {
        err = errno;
    } else if (!S_ISREG(st->st_mode)) {
        err = IDX_ERR_NOT_REGULAR;
    } else {
        bool sniffed = false;
        for (;;) {
            /* Before the sniff, its bytes; after, all the room there is (the
             * rest of the file was reserved), 64 KiB more once it is full. */
            size_t want = sniffed ? 65536 : TEXT_SNIFF_BYTES - b->len;
            if ((!sniffed || b->cap - b->len - 1 == 0) && !text_buf_reserve(b, want)) {
                err = ENOMEM;
                break;
            }
            if (sniffed)
                want = b->cap - b->len - 1;
            ssize_t n = read(fd, b->data + b->len, want);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                err = errno;
                break;
            }
            b->len += (size_t)n;
            /* All the bytes fstat() promised, and fewer than asked for: the
             * end of a regular file, without a second read to say so. */
            bool end = n == 0
                       || ((size_t)n < want && S_ISREG(st->st_mode)
                           && b->len == (size_t)st->st_size);
            if (!sniffed && (end || b->len >= TEXT_SNIFF_BYTES)) {
                sniffed = true;
                if (text_looks_binary(b->data, b->len)) {
                    *binary = true;
                    break;
                }
                /* The rest at once (a file that grows gets more below). */
                if (!end && st->st_size > 0 && (size_t)st->st_size > b->len
                    && !text_buf_reserve(b, (size_t)st->st_size - b->len)) {
                    err = ENOMEM;
                    break;
                }
            }
            if (end)
                break;
        }
        b->data[b->len] = '\0';
    }
    close(fd);
    return err;
}

/* How recent a modification time is too recent to trust. A file changed
 * again in the same tick of its filesystem's clock as it was read (FAT counts
 * in 2 s, ext4 with small inodes in 1 s) keeps its size and time, and a
 * later run would take it for unchanged; as git does with such "racily
 * clean" files, its time is not recorded (0), so that the next run compares
 * its content, and records the time then. A time further in the future (a
 * clock set wrong, an archive's) is recorded: a change made now would give
 * the file now's time, and not recording it would have every run read the
 * file again. Within RACY_NS ahead, it may be a file server's clock a little
 * ahead of this one's: not trusted either. */
#define RACY_NS 2000000000LL

static int64_t trusted_mtime(const struct stat *st)
{
    int64_t mtime = idx_mtime_ns(st);
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) != 0)
        return 0;
    int64_t age = (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec - mtime;
    return age > -RACY_NS && age < RACY_NS ? 0 : mtime;
}

void idx_read_file(idx_reader_t *rd, const idx_file_t *f, const text_file_record_t *known,
                   idx_read_t *out)
{
    struct stat st;
    bool binary;
    memset(out, 0, sizeof *out);
    if ((out->err = read_bytes(rd, f->path, &st, &binary)) != 0) {
        out->kind = IDX_READ_FAILED;
        return;
    }
    if (binary) {
        out->rec.size = (uint64_t)rd->content.len; /* what was read of it */
        out->kind = IDX_READ_BINARY;
        return;
    }
    out->rec = (text_file_record_t){
        .size = (uint64_t)rd->content.len,
        .mtime_ns = trusted_mtime(&st),
        .hash = text_hash64(rd->content.data, rd->content.len),
        .path = f->path, .path_len = strlen(f->path),
        .key = f->key, .key_len = strlen(f->key),
    };
    /* Met through a link: where, unless the index holds the file as met
     * directly (under another PATH), which stays its place, and its name
     * for messages (a run over the link's PATH alone must not make the
     * note of its removal name the link). */
    if (f->place && strcmp(f->place, f->key) != 0) {
        if (!(known && known->place_len == 0)) {
            out->rec.place = f->place;
            out->rec.place_len = strlen(f->place);
        } else if (known->path_len > 0) {
            out->rec.path = known->path;
            out->rec.path_len = known->path_len;
        }
    }
    if (known && known->hash == out->rec.hash && !f->moved) {
        out->rec.n_passages = known->n_passages;
        out->kind = IDX_READ_UNCHANGED;
        return;
    }
    bool as_is;
    const char *encoding;
    switch (text_decode(rd->content.data, rd->content.len, &rd->decoded, &as_is, &encoding)) {
    case TEXT_DECODE_NOMEM:
        out->kind = IDX_READ_NOMEM;
        return;
    case TEXT_DECODE_BINARY:
        out->kind = IDX_READ_BINARY;
        return;
    case TEXT_DECODE_OK:
        break;
    }
    if (!(out->docid = text_docid_from_rel(f->rel))) {
        out->kind = IDX_READ_NOMEM;
        return;
    }
    out->kind = IDX_READ_TEXT;
    text_buf_t *text = as_is ? &rd->content : &rd->decoded;
    /* A NUL byte past the part read to tell text from binary separates words
     * as a space does; stored as one, it shows as one ("before nul", not
     * "beforenul"). The content hash was taken before. */
    for (char *z = text->data; z && (z = memchr(z, '\0', text->len - (size_t)(z - text->data)));)
        *z++ = ' ';
    out->art = (idx_article_t){
        .text = text->data, .len = text->len,
        .docid = out->docid, .path = f->path, .key = f->key,
    };
}

void idx_read_done(idx_read_t *r)
{
    free(r->docid);
    r->docid = NULL;
}
