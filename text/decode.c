/*
 * decode.c — from the bytes of a file to valid UTF-8 text, or "not text".
 *
 * Everything stored in the index and re-read by the snippet builder is valid
 * UTF-8, so the conversion happens once, here. Most files are UTF-8 already and
 * are used as they are, without a copy. Others: a UTF-8 byte order mark is
 * dropped, UTF-16 and UTF-32 with a byte order mark are converted, and text that is not
 * valid UTF-8 is repaired by text_utf8_repair() (text.h), as queries are:
 * read as Windows-1252 when mostly not UTF-8, else each stray bad byte is.
 * Binary detection looks at the first 64 KiB: a NUL byte, or many control
 * characters, means not text; after a UTF-16 or UTF-32 byte order mark, code
 * units that no text holds do too.
 */
#include <string.h>

#include "text.h"

/* UTF-32's byte order mark (FF FE 00 00 begins like UTF-16's: look first). */
static bool utf32_bom(const unsigned char *u, size_t len)
{
    return len >= 4 && ((u[0] == 0xFF && u[1] == 0xFE && u[2] == 0 && u[3] == 0)
                        || (u[0] == 0 && u[1] == 0 && u[2] == 0xFE && u[3] == 0xFF));
}

static bool utf16_bom(const unsigned char *u, size_t len)
{
    return len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF));
}

/* A control character that text does not hold (tab, line ends, form feed,
 * vertical tab and the escape of terminal colour codes are allowed). */
static bool stray_control(uint32_t c)
{
    return c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v'
           && c != 0x1B;
}

/* The code unit of width 2 or 4 at s. */
static uint32_t wide_unit(const unsigned char *s, unsigned width, bool big_endian)
{
    if (width == 2)
        return big_endian ? (uint32_t)(s[0] << 8 | s[1]) : (uint32_t)(s[1] << 8 | s[0]);
    return big_endian
           ? (uint32_t)s[0] << 24 | (uint32_t)s[1] << 16 | (uint32_t)s[2] << 8 | s[3]
           : (uint32_t)s[3] << 24 | (uint32_t)s[2] << 16 | (uint32_t)s[1] << 8 | s[0];
}

/* Whether data[0..len), UTF-16 or UTF-32 after its byte order mark of width
 * bytes, is not text: code units that no text holds (a surrogate out of its
 * pair, a value past U+10FFFF), more than one and more than 1 % of them, as in
 * binary data behind bytes that look like a mark; or many control characters
 * (NUL is read as a space). Only the first TEXT_SNIFF_BYTES of data are read,
 * so that the start of a file answers as the whole file does. */
static bool wide_looks_binary(const unsigned char *data, size_t len, unsigned width,
                              bool big_endian)
{
    const unsigned char *s = data + width;      /* past the mark */
    size_t n = (len < TEXT_SNIFF_BYTES ? len : TEXT_SNIFF_BYTES) - width, units = 0, bad = 0,
           controls = 0;
    for (size_t i = 0; i + width <= n; i += width, units++) {
        uint32_t u = wide_unit(s + i, width, big_endian);
        if (width == 2 && u >= 0xD800 && u <= 0xDBFF && i + 2 * width <= n) {
            uint32_t lo = wide_unit(s + i + width, width, big_endian);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                i += width;     /* a pair: one character */
                continue;
            }
        }
        if (u > 0x10FFFF || (u >= 0xD800 && u <= 0xDFFF))
            bad++;
        else if (u != 0 && stray_control(u))
            controls++;
    }
    return (bad > 1 && bad * 100 > units) || controls * 10 > units;
}

bool text_looks_binary(const char *data, size_t len)
{
    const unsigned char *s = (const unsigned char *)data;
    if (utf32_bom(s, len))
        return wide_looks_binary(s, len, 4, s[0] == 0);
    if (utf16_bom(s, len))
        return wide_looks_binary(s, len, 2, s[0] == 0xFE);
    size_t n = len < TEXT_SNIFF_BYTES ? len : TEXT_SNIFF_BYTES, controls = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == 0)
            return true;
        controls += stray_control(s[i]);
    }
    return n > 0 && controls * 10 > n;
}

static text_decode_status_t from_utf16(const unsigned char *s, size_t len, bool big_endian,
                                      text_buf_t *out)
{
    if (!text_buf_reserve(out, len + len / 2))
        return TEXT_DECODE_NOMEM;
    for (size_t i = 0; i + 1 < len; i += 2) {
        uint32_t u = wide_unit(s + i, 2, big_endian);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
            uint32_t lo = wide_unit(s + i + 2, 2, big_endian);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            }
        }
        if (u == 0)
            u = ' ';
        if (!text_buf_put_utf8(out, u))
            return TEXT_DECODE_NOMEM;
    }
    return TEXT_DECODE_OK;
}

static text_decode_status_t from_utf32(const unsigned char *s, size_t len, bool big_endian,
                                      text_buf_t *out)
{
    if (!text_buf_reserve(out, len))
        return TEXT_DECODE_NOMEM;
    for (size_t i = 0; i + 3 < len; i += 4) {
        uint32_t u = wide_unit(s + i, 4, big_endian);
        if (u > 0x10FFFF || (u >= 0xD800 && u <= 0xDFFF))
            u = 0xFFFD;
        if (u == 0)
            u = ' ';
        if (!text_buf_put_utf8(out, u))
            return TEXT_DECODE_NOMEM;
    }
    return TEXT_DECODE_OK;
}

static text_decode_status_t to_utf8(const char *data, size_t len, text_buf_t *out, bool *as_is,
                                   const char **encoding)
{
    const unsigned char *u = (const unsigned char *)data;
    text_buf_clear(out);
    *as_is = false;
    if (text_looks_binary(data, len)) {
        *encoding = "binary";
        return TEXT_DECODE_BINARY;
    }
    if (utf32_bom(u, len)) {
        bool be = u[0] == 0;
        *encoding = be ? "utf-32be" : "utf-32le";
        return from_utf32(u + 4, len - 4, be, out);
    }
    if (utf16_bom(u, len)) {
        bool be = u[0] == 0xFE;
        *encoding = be ? "utf-16be" : "utf-16le";
        return from_utf16(u + 2, len - 2, be, out);
    }
    *encoding = "utf-8";
    size_t skip = (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) ? 3 : 0;
    if (text_utf8_valid_len(data + skip, len - skip) == len - skip) {
        if (skip == 0) {
            *as_is = true;
            return TEXT_DECODE_OK;
        }
        return text_buf_append(out, data + skip, len - skip) ? TEXT_DECODE_OK : TEXT_DECODE_NOMEM;
    }
    bool cp1252 = false;
    if (!text_utf8_repair(data + skip, len - skip, out, &cp1252))
        return TEXT_DECODE_NOMEM;
    if (cp1252)
        *encoding = "windows-1252";
    return TEXT_DECODE_OK;
}

/* Whether s[0..len) ends its lines with a carriage return alone (old Mac
 * files): it has a lone CR and no line feed, except perhaps one ending it. A
 * file of LF lines keeps them, whatever lone CRs it holds (a captured progress
 * bar redraws its line with them): its line numbers are those of grep and
 * editors. */
static bool cr_lines(const char *s, size_t len)
{
    if (!memchr(s, '\r', len))
        return false;
    const char *lf = memchr(s, '\n', len);
    if (lf && lf != s + len - 1)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n'))
            return true;
    return false;
}

text_decode_status_t text_decode(const char *data, size_t len, text_buf_t *out, bool *as_is,
                               const char **encoding)
{
    text_decode_status_t st = to_utf8(data, len, out, as_is, encoding);
    if (st != TEXT_DECODE_OK)
        return st;
    /* Lines ended by CR alone would be one line: passages, titles and line
     * numbers need them as lines. CRLF pairs stay as they are. */
    const char *text = *as_is ? data : out->data;
    size_t text_len = *as_is ? len : out->len;
    if (!text || !cr_lines(text, text_len))
        return TEXT_DECODE_OK;
    if (*as_is) {
        if (!text_buf_append(out, data, len))
            return TEXT_DECODE_NOMEM;
        *as_is = false;
    }
    for (size_t i = 0; i < out->len; i++)
        if (out->data[i] == '\r' && (i + 1 == out->len || out->data[i + 1] != '\n'))
            out->data[i] = '\n';
    return TEXT_DECODE_OK;
}
