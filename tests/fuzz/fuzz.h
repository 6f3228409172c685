/*
 * fuzz.h — what the fuzz harnesses of tests/fuzz/ share: the entry point each
 * one exposes, the invariant check that stops a run, and a few byte-level
 * helpers the checks use.
 *
 * Each harness file defines passim_fuzz_<name>(data, size), which runs one
 * input through the code under test and checks what came out. The same
 * function serves two callers: libFuzzer's entry point (compiled in by
 * tests/fuzz/run with PASSIM_LIBFUZZER defined, clang only) and
 * tests/check_fuzz_regressions.c, which replays the seed corpus and every
 * input that once crashed in `make check`, built with the project's compiler.
 * A broken invariant prints what broke and aborts, which both callers report
 * as a crash with the input that caused it.
 */
#ifndef PASSIM_FUZZ_H
#define PASSIM_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "text.h"

int passim_fuzz_tokenize(const uint8_t *data, size_t size);
int passim_fuzz_passages(const uint8_t *data, size_t size);
int passim_fuzz_query(const uint8_t *data, size_t size);
int passim_fuzz_snippet(const uint8_t *data, size_t size);

/* Free what a harness keeps from one input to the next (its analyzer), so
 * that a replay ends with nothing allocated for leak checkers to flag. */
void passim_fuzz_tokenize_free(void);
void passim_fuzz_passages_free(void);
void passim_fuzz_query_free(void);
void passim_fuzz_snippet_free(void);

#ifdef PASSIM_LIBFUZZER
/* libFuzzer's entry point: declared here so -Wmissing-prototypes stays quiet. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#define PASSIM_FUZZ_ENTRY(fn) \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fn(data, size); }
#else
#define PASSIM_FUZZ_ENTRY(fn)
#endif

/* Stop at a broken invariant: an abort is what libFuzzer keeps a reproducer
 * for and what the replay test counts as a failure. */
#define FUZZ_CHECK(cond, ...)                                                   \
    do {                                                                        \
        if (!(cond)) {                                                          \
            fprintf(stderr, "%s:%d: invariant failed: %s: ", __FILE__, __LINE__, \
                    #cond);                                                     \
            fprintf(stderr, __VA_ARGS__);                                       \
            fputc('\n', stderr);                                                \
            abort();                                                            \
        }                                                                       \
    } while (0)

/* The English analyzer with the built-in stopwords, kept in *slot (a harness's
 * own static variable) from one input to the next and made on first use. */
static inline text_analyzer_t *fuzz_english(text_analyzer_t **slot)
{
    if (*slot == NULL) {
        FUZZ_CHECK(text_analyzer_new(slot, "english") == TEXT_OK, "no english analyzer");
        FUZZ_CHECK(text_analyzer_default_stopwords(*slot) == TEXT_OK, "no english stopwords");
    }
    return *slot;
}

/* Free the analyzer kept in *slot (see the passim_fuzz_*_free functions). */
static inline void fuzz_english_free(text_analyzer_t **slot)
{
    text_analyzer_free(*slot);
    *slot = NULL;
}

/* Whether s[0..len) is valid UTF-8 with no NUL byte. */
static inline bool fuzz_utf8_ok(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\0')
            return false;
    return text_utf8_valid_len(s, len) == len;
}

/* The code point of the valid UTF-8 character of n bytes at s. */
static inline uint32_t fuzz_code_point(const unsigned char *s, size_t n)
{
    if (n == 1)
        return s[0];
    uint32_t cp = s[0] & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
    for (size_t k = 1; k < n; k++)
        cp = (cp << 6) | (s[k] & 0x3F);
    return cp;
}

/* Characters that must never reach a terminal from a document: C0 and C1
 * controls, DEL, and the bidi embeddings, overrides and isolates. */
static inline bool fuzz_is_hostile(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

#endif /* PASSIM_FUZZ_H */
