/*
 * utf8.c — byte-level UTF-8 helpers (validation, cutting at a character
 * boundary, finding terminal escape sequences) and text_hash64, the content
 * fingerprint. Written by hand rather than through utf8proc because they run
 * over whole files.
 */
#include <string.h>

#include "text.h"
#include "text_internal.h"

size_t text_utf8_valid_len(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        /* Runs of ASCII, eight bytes at a time. */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & UINT64_C(0x8080808080808080))
                break;
            i += 8;
        }
        if (i >= len)
            break;
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = text_utf8_decode(str + i, len - i, &cp);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

/* Windows-1252 0x80..0x9F; 0 marks the five undefined bytes. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

uint32_t text__cp1252(unsigned char c)
{
    if (c >= 0x80 && c < 0xA0)
        return cp1252_high[c - 0x80] ? cp1252_high[c - 0x80] : 0xFFFD;
    return c;
}

/* Bad bytes per valid multi-byte character from which a text is taken for
 * Windows-1252 rather than for UTF-8 with stray bad bytes. */
#define LATIN1_CHANCE_PAIRS 8

bool text_utf8_repair(const char *s, size_t len, text_buf_t *out, bool *cp1252)
{
    text_buf_clear(out);
    *cp1252 = false;
    /* Count the valid multi-byte characters and the bad bytes. */
    size_t multibyte = 0, invalid = 0;
    for (size_t i = 0; i < len;) {
        size_t ok = text_utf8_valid_len(s + i, len - i);
        for (size_t j = i; j < i + ok; j++)
            multibyte += ((unsigned char)s[j] & 0xC0) == 0xC0;
        i += ok;
        if (i < len) {
            invalid++;
            i++;
        }
    }
    if (!text_buf_reserve(out, len + len / 4 + 16))
        return false;
    text_buf_clear(out); /* NUL-terminated even when s is empty */
    /* Latin-1 text holds a valid pair only by chance (an "É" before a "»"),
     * far less often than a bad byte: a file is read as Windows-1252 whole
     * only when its valid multi-byte characters are that rare. Else its valid
     * characters are kept, and only its bad bytes are read as Windows-1252:
     * "Zürich" in UTF-8 stays Zürich beside a few Latin-1 "café"s. */
    if (invalid > 0 && multibyte * LATIN1_CHANCE_PAIRS <= invalid) {
        *cp1252 = true;
        for (size_t i = 0; i < len; i++)
            if (!text_buf_put_utf8(out, text__cp1252((unsigned char)s[i])))
                return false;
        return true;
    }
    for (size_t i = 0; i < len;) {
        size_t ok = text_utf8_valid_len(s + i, len - i);
        if (!text_buf_append(out, s + i, ok))
            return false;
        i += ok;
        if (i < len && !text_buf_put_utf8(out, text__cp1252((unsigned char)s[i++])))
            return false;
    }
    return true;
}

char *text_utf8_strdup(const char *s)
{
    size_t len = strlen(s);
    text_buf_t b = TEXT_BUF_INIT;
    bool cp1252;
    bool ok = text_utf8_valid_len(s, len) == len ? text_buf_append(&b, s, len)
                                                 : text_utf8_repair(s, len, &b, &cp1252);
    if (!ok) {
        text_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* Skip the bytes of a string sequence (OSC, DCS...) from s[i]: the length up
 * to and including its terminator, or up to the control that cuts it short. */
static size_t string_end(const unsigned char *s, size_t len, size_t i)
{
    for (; i < len; i++) {
        if (s[i] == 0x07)
            return i + 1;
        if (s[i] == 0x1B)
            return i + 1 < len && s[i + 1] == '\\' ? i + 2 : i;
        if (s[i] == 0xC2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F)
            return s[i + 1] == 0x9C ? i + 2 : i;
        if (s[i] < 0x20 || s[i] == 0x7F)
            return i;
    }
    return len;
}

/* Skip the parameter, intermediate and final bytes of a CSI from s[i]. */
static size_t csi_end(const unsigned char *s, size_t len, size_t i)
{
    while (i < len && s[i] >= 0x30 && s[i] <= 0x3F)
        i++;
    while (i < len && s[i] >= 0x20 && s[i] <= 0x2F)
        i++;
    return i < len && s[i] >= 0x40 && s[i] <= 0x7E ? i + 1 : i;
}

size_t text_escape_len(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    if (len == 0)
        return 0;
    if (s[0] == 0xC2 && len >= 2) {
        switch (s[1]) {
        case 0x9B: return csi_end(s, len, 2);
        case 0x9D: case 0x90: case 0x98: case 0x9E: case 0x9F: return string_end(s, len, 2);
        default: return 0;
        }
    }
    if (s[0] != 0x1B)
        return 0;
    if (len == 1)
        return 1;
    switch (s[1]) {
    case '[': return csi_end(s, len, 2);
    case ']': case 'P': case 'X': case '^': case '_': return string_end(s, len, 2);
    default: break;
    }
    size_t i = 1;
    while (i < len && s[i] >= 0x20 && s[i] <= 0x2F)
        i++;
    return i < len && s[i] >= 0x30 && s[i] <= 0x7E ? i + 1 : i;
}

size_t text_utf8_char_len(const char *s, size_t n)
{
    uint32_t cp;
    return text_utf8_decode(s, n, &cp);
}

size_t text_utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

size_t text_utf8_encode(uint32_t cp, char out[4])
{
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        cp = 0xFFFD;
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t text_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0)
        return 0;
    unsigned char c = u[0];
    size_t k;
    uint32_t v;
    unsigned char lo = 0x80, hi = 0xBF;   /* bounds of the second byte */
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        k = 2;
        v = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        k = 3;
        v = c & 0x0Fu;
        if (c == 0xE0)
            lo = 0xA0;          /* no overlong forms */
        else if (c == 0xED)
            hi = 0x9F;          /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 4;
        v = c & 0x07u;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;          /* nothing past U+10FFFF */
    } else {
        return 0;
    }
    if (n < k || u[1] < lo || u[1] > hi)
        return 0;
    for (size_t i = 1; i < k; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (u[i] & 0x3Fu);
    }
    *cp = v;
    return k;
}

bool text_safe_append(text_buf_t *b, const char *s, size_t len, bool fold_space)
{
    const unsigned char *u = (const unsigned char *)s;
    bool ok = true;
    for (size_t i = 0; i < len && ok;) {
        unsigned char c = u[i];
        size_t esc = c == 0x1B || c == 0xC2 ? text_escape_len(s + i, len - i) : 0;
        if (esc) {
            i += esc; /* the whole sequence, not only its ESC */
            continue;
        }
        if (c < 0x80) {
            if (c == '\t' || c == '\n' || c == '\r')
                ok = fold_space ? text_buf_putc(b, ' ') : text_buf_putc(b, (char)c);
            else if (c >= 0x20 && c != 0x7F)
                ok = text_buf_putc(b, (char)c);
            i++;
            continue;
        }
        size_t n = text_utf8_char_len(s + i, len - i);
        if (n == 0) {
            ok = text_buf_puts(b, "\xEF\xBF\xBD");
            i++;
        } else if (n == 2 && c == 0xC2 && u[i + 1] < 0xA0) {
            i += 2; /* C1 control characters */
        } else if (n == 3 && c == 0xE2 && ((u[i + 1] == 0x80 && u[i + 2] >= 0xAA && u[i + 2] <= 0xAE)
                                          || (u[i + 1] == 0x81 && u[i + 2] >= 0xA6 && u[i + 2] <= 0xA9))) {
            i += 3; /* bidi embeddings, overrides and isolates: they can disguise text */
        } else {
            ok = text_buf_append(b, s + i, n);
            i += n;
        }
    }
    return ok;
}

size_t text_utf8_floor(const char *str, size_t len, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    if (n >= len)
        return len;
    if ((s[n] & 0xC0) != 0x80)
        return n;
    /* s[n] continues a character: find its lead byte, at most three back. If
     * there is none (invalid UTF-8), n is as good a cut as any. */
    for (size_t k = 1; k <= 3 && k <= n; k++) {
        unsigned char c = s[n - k];
        if ((c & 0xC0) == 0x80)
            continue;
        size_t clen = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        return clen > k ? n - k : n;
    }
    return n;
}

size_t text_grapheme_floor(const char *str, size_t len, size_t n)
{
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)str;
    if (n >= len)
        return len;
    utf8proc_int32_t state = 0, prev = -1;
    size_t cut = 0;
    for (size_t i = 0; i <= n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0)
            return text_utf8_floor(str, len, n);  /* not valid UTF-8 after all */
        if (prev < 0 || utf8proc_grapheme_break_stateful(prev, cp, &state))
            cut = i;
        prev = cp;
        i += (size_t)k;
    }
    /* A first grapheme longer than n (a letter under hundreds of marks) is
     * cut between its characters. */
    return cut > 0 ? cut : text_utf8_floor(str, len, n);
}

/*
 * text_hash64: eight bytes at a time, read little-endian whatever the machine,
 * each word multiplied into the state and rotated, then a final avalanche so
 * that every input bit reaches every output bit. Not cryptographic; stable
 * across runs and machines, which is what a stored fingerprint needs.
 */
#define HASH_K1 UINT64_C(0x9E3779B97F4A7C15)
#define HASH_K2 UINT64_C(0xC2B2AE3D27D4EB4F)
#define HASH_K3 UINT64_C(0xD6E8FEB86659FD93)

static inline uint64_t rotl64(uint64_t x, unsigned r)
{
    return (x << r) | (x >> (64 - r));
}

static inline uint64_t load_le64(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
           (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
           (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

uint64_t text_hash64(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = HASH_K1 ^ ((uint64_t)len * HASH_K2);
    size_t i = 0;
    for (; i + 8 <= len; i += 8)
        h = rotl64(h ^ (load_le64(p + i) * HASH_K2), 29) * HASH_K1;
    if (i < len) {
        uint64_t w = 0;
        for (unsigned k = 0; i + k < len; k++)
            w |= (uint64_t)p[i + k] << (8 * k);
        h = rotl64(h ^ (w * HASH_K2), 29) * HASH_K1;
    }
    h ^= h >> 32;
    h *= HASH_K3;
    h ^= h >> 29;
    h *= HASH_K2;
    h ^= h >> 32;
    return h;
}
