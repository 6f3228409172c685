/*
 * ceiling.c — the speed passim-index could reach if writing were free: read
 * every file under the given paths, decode it, cut passages and tokenize and
 * stem every passage with the same text/ and indexer code, and write nothing.
 * Prints files, bytes, tokens and seconds. Used by bench/index.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "indexer.h"
#include "terms.h"

typedef struct ceiling {
    text_analyzer_t *a;
    text_buf_t content, decoded;
    uint64_t files, bytes, tokens, passages;
    const char *text;
} ceiling_t;

static int count_token(const text_term_t *t, void *payload)
{
    ceiling_t *c = payload;
    c->tokens += t->stem_len > 0 && !t->compound; /* a hyphenated word's parts are its tokens */
    return 0;
}

static int on_passage(const text_passage_t *p, void *payload)
{
    ceiling_t *c = payload;
    c->passages++;
    return text_analyze_in(c->a, c->text + p->start, p->end - p->start, PASSIM_FIRST_POS,
                           &p->fence, count_token, c);
}

static int on_file(const idx_file_t *f, void *payload)
{
    ceiling_t *c = payload;
    FILE *fp = fopen(f->path, "rb");
    if (!fp)
        return 0;
    text_buf_clear(&c->content);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        text_buf_append(&c->content, chunk, n);
    fclose(fp);
    bool as_is;
    const char *enc;
    if (text_decode(c->content.data, c->content.len, &c->decoded, &as_is, &enc) != TEXT_DECODE_OK)
        return 0;
    c->text = as_is ? c->content.data : c->decoded.data;
    size_t len = as_is ? c->content.len : c->decoded.len;
    c->files++;
    c->bytes += c->content.len;
    text_passage_opts_t po = TEXT_PASSAGE_OPTS_INIT;
    return text_passages(c->text, len, &po, on_passage, c);
}

static void on_problem(const char *path, const char *place, const char *message,
                       idx_walk_problem_t kind, void *payload)
{
    (void)place;
    (void)kind;
    (void)payload;
    fprintf(stderr, "ceiling: %s: %s\n", path, message);
}

int main(int argc, char **argv)
{
    ceiling_t c = { .content = TEXT_BUF_INIT, .decoded = TEXT_BUF_INIT };
    if (argc < 2 || text_analyzer_new(&c.a, "english") != TEXT_OK) {
        fputs("usage: ceiling PATH...\n", stderr);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    idx_walk_cb_t cb = { on_file, on_problem, NULL, &c };
    for (int i = 1; i < argc; i++)
        idx_walk(argv[i], NULL, &cb);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("files=%llu bytes=%llu passages=%llu tokens=%llu seconds=%.3f MB/s=%.2f\n",
           (unsigned long long)c.files, (unsigned long long)c.bytes,
           (unsigned long long)c.passages, (unsigned long long)c.tokens, secs,
           c.bytes / 1e6 / secs);
    text_analyzer_free(c.a);
    text_buf_free(&c.content);
    text_buf_free(&c.decoded);
    return 0;
}
