/*
 * record.c — the byte formats of record.h. Each record is a magic byte, a
 * format version, then its fields in a fixed order: integers as LEB128 varints
 * (signed ones zigzag-encoded), the content hash as 8 little-endian bytes,
 * strings as a varint length and the bytes. Decoding checks every length
 * against what is left and wants the input used up exactly, so truncated or
 * garbled index data is refused, never read past.
 *
 *   passage record:  'P' 3  ordinal first_line last_line first_column fence
 *                          docid path title heading text
 *                    fence: 0, or the open block's fence length << 1 | (1 for
 *                    '~', 0 for '`'); ('P' 2, without fence, and 'P' 1, without
 *                    first_column either, are still read)
 *   file record:     'F' 1  size zigzag(mtime_ns) hash[8] n_passages path key
 */
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "text.h"

#define PASSAGE_MAGIC 'P'
#define FILE_MAGIC 'F'
#define PASSAGE_VERSION 3
#define FILE_VERSION 1

static bool put_varint(text_buf_t *b, uint64_t v)
{
    unsigned char tmp[10];
    size_t n = 0;
    do {
        unsigned char byte = v & 0x7F;
        v >>= 7;
        tmp[n++] = byte | (v ? 0x80 : 0);
    } while (v);
    return text_buf_append(b, tmp, n);
}

static bool put_string(text_buf_t *b, const char *s, size_t len)
{
    if (s == NULL && len > 0)
        return false;
    return put_varint(b, len) && text_buf_append(b, s, len);
}

static bool put_header(text_buf_t *b, char magic, char version)
{
    return text_buf_putc(b, magic) && text_buf_putc(b, version);
}

/* A decoding cursor. */
typedef struct reader {
    const unsigned char *p;
    size_t left;
} reader_t;

static bool get_varint(reader_t *r, uint64_t *out)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (r->left == 0)
            return false;
        unsigned char byte = *r->p++;
        r->left--;
        uint64_t bits = byte & 0x7F;
        /* The tenth byte may only hold the top bit of a 64-bit value. */
        if (shift == 63 && bits > 1)
            return false;
        v |= bits << shift;
        if (!(byte & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

static bool get_u32(reader_t *r, uint32_t *out)
{
    uint64_t v;
    if (!get_varint(r, &v) || v > UINT32_MAX)
        return false;
    *out = (uint32_t)v;
    return true;
}

static bool get_string(reader_t *r, const char **s, size_t *len)
{
    uint64_t n;
    if (!get_varint(r, &n) || n > r->left)
        return false;
    *s = (const char *)r->p;
    *len = (size_t)n;
    r->p += n;
    r->left -= (size_t)n;
    return true;
}

/* The magic byte, then a version from 1 to max, into *version. */
static bool get_header(reader_t *r, char magic, unsigned max, unsigned *version)
{
    if (r->left < 2 || r->p[0] != (unsigned char)magic || r->p[1] < 1 || r->p[1] > max)
        return false;
    *version = r->p[1];
    r->p += 2;
    r->left -= 2;
    return true;
}

/* The fence field of a passage record (see the top of the file). */
static uint64_t fence_code(const text_open_fence_t *f)
{
    if ((f->c != '`' && f->c != '~') || f->n < 3)
        return 0;   /* no fence: none open */
    uint32_t n = f->n < UINT32_MAX >> 1 ? f->n : UINT32_MAX >> 1;   /* read back as 32 bits */
    return (uint64_t)n << 1 | (f->c == '~');
}

static bool fence_decode(uint32_t code, text_open_fence_t *f)
{
    memset(f, 0, sizeof *f);
    if (code == 0)
        return true;
    f->c = code & 1 ? '~' : '`';
    f->n = code >> 1;
    return f->n >= 3;   /* a fence is three or more */
}

bool text_record_encode(const text_record_t *rec, text_buf_t *b)
{
    size_t old_len = b->len;
    bool ok = put_header(b, PASSAGE_MAGIC, PASSAGE_VERSION) && put_varint(b, rec->ordinal) &&
              put_varint(b, rec->first_line) && put_varint(b, rec->last_line) &&
              put_varint(b, rec->first_column) && put_varint(b, fence_code(&rec->fence)) &&
              put_string(b, rec->docid, rec->docid_len) &&
              put_string(b, rec->path, rec->path_len) &&
              put_string(b, rec->title, rec->title_len) &&
              put_string(b, rec->heading, rec->heading_len) &&
              put_string(b, rec->text, rec->text_len);
    if (!ok)
        text_buf_truncate(b, old_len);
    return ok;
}

bool text_record_decode(const char *data, size_t len, text_record_t *rec)
{
    memset(rec, 0, sizeof *rec);
    if (data == NULL)
        return false;
    reader_t r = {(const unsigned char *)data, len};
    text_record_t tmp;
    memset(&tmp, 0, sizeof tmp);
    unsigned version;
    uint32_t fence = 0;
    bool ok = get_header(&r, PASSAGE_MAGIC, PASSAGE_VERSION, &version) &&
              get_u32(&r, &tmp.ordinal) && get_u32(&r, &tmp.first_line) &&
              get_u32(&r, &tmp.last_line) &&
              (version < 2 || get_u32(&r, &tmp.first_column)) &&
              (version < 3 || get_u32(&r, &fence)) && fence_decode(fence, &tmp.fence) &&
              get_string(&r, &tmp.docid, &tmp.docid_len) &&
              get_string(&r, &tmp.path, &tmp.path_len) &&
              get_string(&r, &tmp.title, &tmp.title_len) &&
              get_string(&r, &tmp.heading, &tmp.heading_len) &&
              get_string(&r, &tmp.text, &tmp.text_len) && r.left == 0;
    if (ok)
        *rec = tmp;
    return ok;
}

bool text_file_record_encode(const text_file_record_t *rec, text_buf_t *b)
{
    size_t old_len = b->len;
    /* Zigzag: small negative times stay short. */
    uint64_t mt = (uint64_t)rec->mtime_ns;
    uint64_t zz = (mt << 1) ^ (rec->mtime_ns < 0 ? UINT64_MAX : 0);
    unsigned char hash[8];
    for (unsigned k = 0; k < 8; k++)
        hash[k] = (unsigned char)(rec->hash >> (8 * k));
    bool ok = put_header(b, FILE_MAGIC, FILE_VERSION) && put_varint(b, rec->size) &&
              put_varint(b, zz) &&
              text_buf_append(b, hash, sizeof hash) && put_varint(b, rec->n_passages) &&
              put_string(b, rec->path, rec->path_len) && put_string(b, rec->key, rec->key_len) &&
              /* optional, last: records written before it have none */
              (rec->place_len == 0 || put_string(b, rec->place, rec->place_len));
    if (!ok)
        text_buf_truncate(b, old_len);
    return ok;
}

bool text_file_record_decode(const char *data, size_t len, text_file_record_t *rec)
{
    memset(rec, 0, sizeof *rec);
    if (data == NULL)
        return false;
    reader_t r = {(const unsigned char *)data, len};
    text_file_record_t tmp;
    memset(&tmp, 0, sizeof tmp);
    uint64_t zz;
    unsigned version;
    if (!get_header(&r, FILE_MAGIC, FILE_VERSION, &version) || !get_varint(&r, &tmp.size) ||
        !get_varint(&r, &zz) ||
        r.left < 8)
        return false;
    /* Undo the zigzag without a signed overflow. */
    uint64_t mt = (zz >> 1) ^ (0 - (zz & 1));
    memcpy(&tmp.mtime_ns, &mt, sizeof mt);
    tmp.hash = 0;
    for (unsigned k = 0; k < 8; k++)
        tmp.hash |= (uint64_t)r.p[k] << (8 * k);
    r.p += 8;
    r.left -= 8;
    if (!get_u32(&r, &tmp.n_passages) || !get_string(&r, &tmp.path, &tmp.path_len) ||
        !get_string(&r, &tmp.key, &tmp.key_len))
        return false;
    if (r.left != 0 && !get_string(&r, &tmp.place, &tmp.place_len))
        return false;
    if (r.left != 0)
        return false;
    *rec = tmp;
    return true;
}

/* ---- article ids ------------------------------------------------------- */

/* Whether code point cp would split a TREC line, is a control character, or
 * is a bidi control (embedding, override, isolate, mark), which could make a terminal show
 * the id, and the rest of its line, in another order ("n\u202Etxt.exe"). */
static bool is_separator(uint32_t cp)
{
    return cp <= 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0xA0) || cp == 0x1680
           || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
           || cp == 0x205F || cp == 0x3000 || (cp >= 0x202A && cp <= 0x202E)
           || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

bool text_token_put(text_buf_t *b, const char *s, size_t n)
{
    bool ok = true;
    if (n == 0)
        return text_buf_putc(b, '_');
    for (size_t i = 0, len; i < n && ok; i += len) {
        uint32_t cp;
        len = text_utf8_decode(s + i, n - i, &cp);
        if (len == 0) {
            len = 1;
            ok = text_buf_puts(b, "\xEF\xBF\xBD");
        } else if (is_separator(cp)) {
            ok = text_buf_putc(b, '_');
        } else {
            ok = text_buf_append(b, s + i, len);
        }
    }
    return ok;
}

bool text_token_ok(const char *s)
{
    size_t n = strlen(s), len;
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i += len) {
        uint32_t cp;
        len = text_utf8_decode(s + i, n - i, &cp);
        if (len == 0 || is_separator(cp))
            return false;
    }
    return true;
}

char *text_docid_from_rel(const char *rel)
{
    const char *slash = strrchr(rel, '/');
    const char *dot = strrchr(rel, '.');
    size_t n = strlen(rel);
    /* Only an extension of the last component, and not a leading dot. */
    if (dot && (!slash || dot > slash + 1) && dot != rel)
        n = (size_t)(dot - rel);
    text_buf_t b = TEXT_BUF_INIT;
    if (!text_token_put(&b, rel, n)) {
        text_buf_free(&b);
        return NULL;
    }
    return b.data;      /* NUL-terminated; the caller's to free */
}
