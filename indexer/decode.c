/*
 * decode.c — from the bytes of a file to valid UTF-8 text, or "not text".
 *
 * Everything stored in the index and re-read by the snippet builder is valid
 * UTF-8, so the conversion happens once, here. Most files are UTF-8 already and
 * are used as they are, without a copy. Others: a UTF-8 byte order mark is
 * dropped, UTF-16 with a byte order mark is converted, and text that is mostly
 * not UTF-8 is read as Windows-1252 (a superset of Latin-1 in practice), and
 * so is each stray bad byte in otherwise UTF-8 text (a "café" typed in Latin-1
 * into a UTF-8 note); the five bytes Windows-1252 leaves undefined become
 * U+FFFD. Binary detection looks at the
 * first 64 KiB: a NUL byte, or many control characters, means not text.
 */
#include <string.h>

#include "indexer.h"

/* Windows-1252 0x80..0x9F; 0 marks the five undefined bytes. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* The character the byte c is in Windows-1252 (U+FFFD if undefined). */
static uint32_t cp1252(unsigned char c)
{
    if (c >= 0x80 && c < 0xA0)
        return cp1252_high[c - 0x80] ? cp1252_high[c - 0x80] : 0xFFFD;
    return c;
}

static bool put_cp(text_buf_t *b, uint32_t cp)
{
    char u[4];
    size_t n;
    if (cp >= 0xD800 && cp <= 0xDFFF)
        cp = 0xFFFD;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return text_buf_append(b, u, n);
}

static bool utf16_bom(const unsigned char *u, size_t len)
{
    return len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF));
}

bool idx_looks_binary(const char *data, size_t len)
{
    const unsigned char *s = (const unsigned char *)data;
    if (utf16_bom(s, len))
        return false;
    size_t n = len < IDX_SNIFF_BYTES ? len : IDX_SNIFF_BYTES, controls = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (c == 0)
            return true;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v'
            && c != 0x1B)
            controls++;
    }
    return n > 0 && controls * 10 > n;
}

static idx_decode_status_t from_utf16(const unsigned char *s, size_t len, bool big_endian,
                                      text_buf_t *out)
{
    if (!text_buf_reserve(out, len + len / 2))
        return IDX_DECODE_NOMEM;
    for (size_t i = 0; i + 1 < len; i += 2) {
        uint32_t u = big_endian ? (uint32_t)(s[i] << 8 | s[i + 1]) : (uint32_t)(s[i + 1] << 8 | s[i]);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
            uint32_t lo = big_endian ? (uint32_t)(s[i + 2] << 8 | s[i + 3])
                                     : (uint32_t)(s[i + 3] << 8 | s[i + 2]);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            }
        }
        if (u == 0)
            u = ' ';
        if (!put_cp(out, u))
            return IDX_DECODE_NOMEM;
    }
    return IDX_DECODE_OK;
}

/* Count valid multi-byte sequences and invalid bytes of s. */
static void utf8_census(const char *s, size_t len, size_t *multibyte, size_t *invalid)
{
    size_t i = 0;
    *multibyte = *invalid = 0;
    while (i < len) {
        size_t ok = text_utf8_valid_len(s + i, len - i);
        for (size_t j = i; j < i + ok; j++)
            if (((unsigned char)s[j] & 0xC0) == 0xC0)
                (*multibyte)++;
        i += ok;
        if (i < len) {
            (*invalid)++;
            i++;
        }
    }
}

static idx_decode_status_t repair_utf8(const char *s, size_t len, text_buf_t *out)
{
    size_t i = 0;
    if (!text_buf_reserve(out, len + 16))
        return IDX_DECODE_NOMEM;
    while (i < len) {
        size_t ok = text_utf8_valid_len(s + i, len - i);
        if (!text_buf_append(out, s + i, ok))
            return IDX_DECODE_NOMEM;
        i += ok;
        if (i < len) {
            if (!put_cp(out, cp1252((unsigned char)s[i])))
                return IDX_DECODE_NOMEM;
            i++;
        }
    }
    return IDX_DECODE_OK;
}

static idx_decode_status_t from_cp1252(const unsigned char *s, size_t len, text_buf_t *out)
{
    if (!text_buf_reserve(out, len + len / 4))
        return IDX_DECODE_NOMEM;
    for (size_t i = 0; i < len; i++)
        if (!put_cp(out, cp1252(s[i])))
            return IDX_DECODE_NOMEM;
    return IDX_DECODE_OK;
}

idx_decode_status_t idx_decode(const char *data, size_t len, text_buf_t *out, bool *as_is,
                               const char **encoding)
{
    const unsigned char *u = (const unsigned char *)data;
    text_buf_clear(out);
    *as_is = false;
    if (utf16_bom(u, len)) {
        bool be = u[0] == 0xFE;
        *encoding = be ? "utf-16be" : "utf-16le";
        return from_utf16(u + 2, len - 2, be, out);
    }
    if (idx_looks_binary(data, len)) {
        *encoding = "binary";
        return IDX_DECODE_BINARY;
    }
    *encoding = "utf-8";
    size_t skip = (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) ? 3 : 0;
    if (text_utf8_valid_len(data + skip, len - skip) == len - skip) {
        if (skip == 0) {
            *as_is = true;
            return IDX_DECODE_OK;
        }
        return text_buf_append(out, data + skip, len - skip) ? IDX_DECODE_OK : IDX_DECODE_NOMEM;
    }
    size_t multibyte, invalid;
    utf8_census(data + skip, len - skip, &multibyte, &invalid);
    if (multibyte >= invalid)
        return repair_utf8(data + skip, len - skip, out);
    *encoding = "windows-1252";
    return from_cp1252(u, len, out);
}
