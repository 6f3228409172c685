/*
 * terms.c — spelling the terms and keys that name a file in the index
 * (text/terms.h): a prefix, the file's key (its canonical path) and a suffix,
 * kept within Xapian's limits however long the path; and the keys of the word
 * lists of "did you mean". Shared by the indexer, which writes them, and the
 * searcher, which looks passages and words up by them.
 */
#include <stdio.h>
#include <string.h>

#include "terms.h"
#include "text.h"

bool text_key_term(text_buf_t *b, const char *prefix, const char *key, const char *suffix)
{
    text_buf_clear(b);
    size_t fixed = strlen(prefix) + strlen(suffix);
    size_t klen = strlen(key);
    if (fixed + klen <= PASSIM_TERM_MAX)
        return text_buf_puts(b, prefix) && text_buf_append(b, key, klen) && text_buf_puts(b, suffix);
    /* Too long for a Xapian term: keep the path's tail (the distinctive part)
     * and a hash of the whole key, which keeps it unique. */
    char hash[24];
    snprintf(hash, sizeof hash, "%016llx~", (unsigned long long)text_hash64(key, klen));
    size_t room = PASSIM_TERM_MAX - fixed - strlen(hash);
    size_t from = klen - room;  /* the last `room` bytes, from a character start */
    while (from < klen && ((unsigned char)key[from] & 0xC0) == 0x80)
        from++;
    return text_buf_puts(b, prefix) && text_buf_puts(b, hash)
           && text_buf_append(b, key + from, klen - from) && text_buf_puts(b, suffix);
}

void text_ordinal_value(unsigned char out[4], uint32_t ordinal)
{
    out[0] = (unsigned char)(ordinal >> 24);
    out[1] = (unsigned char)(ordinal >> 16);
    out[2] = (unsigned char)(ordinal >> 8);
    out[3] = (unsigned char)ordinal;
}

bool text_words_key(text_buf_t *b, size_t chars)
{
    text_buf_clear(b);
    return text_buf_printf(b, "%s%zu", PASSIM_META_WORDS, chars);
}
