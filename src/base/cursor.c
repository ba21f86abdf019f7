/* The bounded cursor (see cursor.h). All indexing of wire bytes in padlock happens in this file.
 *
 * Every read compares the requested count with what remains before touching a byte, so a hostile
 * length can at worst produce an error. Lengths are size_t and never added to a pointer before
 * they have been checked, so no arithmetic here can overflow. */
#include "base/cursor.h"

void pl_reader_init(pl_reader *r, const uint8_t *buf, size_t len)
{
    r->ptr = buf;
    r->left = len;
}

pl_reader pl_reader_of(pl_slice s)
{
    pl_reader r = {s.ptr, s.len};
    return r;
}

pl_slice pl_reader_span(const pl_reader *before, const pl_reader *after)
{
    pl_slice s = {before->ptr, before->left - after->left};
    return s;
}

size_t pl_reader_left(const pl_reader *r)
{
    return r->left;
}

/* Read an unsigned big-endian integer of width bytes (1..8). */
static int read_uint(pl_reader *r, size_t width, uint64_t *out)
{
    uint64_t v = 0;
    ENSURE(r->left >= width, SSL_ERR_DECODE_TRUNCATED);
    for (size_t i = 0; i < width; i++) {
        v = (v << 8) | r->ptr[i];
    }
    r->ptr += width;
    r->left -= width;
    *out = v;
    return 0;
}

int pl_read_u8(pl_reader *r, uint8_t *out)
{
    uint64_t v;
    TRY(read_uint(r, 1, &v));
    *out = (uint8_t)v;
    return 0;
}

int pl_read_u16(pl_reader *r, uint16_t *out)
{
    uint64_t v;
    TRY(read_uint(r, 2, &v));
    *out = (uint16_t)v;
    return 0;
}

int pl_read_u24(pl_reader *r, uint32_t *out)
{
    uint64_t v;
    TRY(read_uint(r, 3, &v));
    *out = (uint32_t)v;
    return 0;
}

int pl_read_u32(pl_reader *r, uint32_t *out)
{
    uint64_t v;
    TRY(read_uint(r, 4, &v));
    *out = (uint32_t)v;
    return 0;
}

int pl_read_u64(pl_reader *r, uint64_t *out)
{
    return read_uint(r, 8, out);
}

int pl_read_slice(pl_reader *r, size_t len, pl_slice *out)
{
    ENSURE(r->left >= len, SSL_ERR_DECODE_TRUNCATED);
    out->ptr = r->ptr;
    out->len = len;
    if (len > 0) {
        r->ptr += len;
        r->left -= len;
    }
    return 0;
}

int pl_read_copy(pl_reader *r, uint8_t *out, size_t len)
{
    pl_slice s;
    TRY(pl_read_slice(r, len, &s));
    if (len > 0) {
        memcpy(out, s.ptr, len);
    }
    return 0;
}

int pl_read_skip(pl_reader *r, size_t len)
{
    pl_slice s;
    return pl_read_slice(r, len, &s);
}

/* A vector with a width-byte length prefix. On any failure the reader is left unmoved. */
static int read_vec(pl_reader *r, size_t width, size_t floor, size_t ceiling, pl_slice *out)
{
    pl_reader saved = *r;
    uint64_t len;
    int rc;
    TRY(read_uint(r, width, &len));
    if (len < floor || len > ceiling) {
        *r = saved;
        return SSL_ERR_DECODE_VEC_LENGTH;
    }
    rc = pl_read_slice(r, (size_t)len, out); /* len < 2^24 fits size_t */
    if (rc < 0) {
        *r = saved;
    }
    return rc;
}

int pl_read_vec8(pl_reader *r, size_t floor, size_t ceiling, pl_slice *out)
{
    return read_vec(r, 1, floor, ceiling, out);
}

int pl_read_vec16(pl_reader *r, size_t floor, size_t ceiling, pl_slice *out)
{
    return read_vec(r, 2, floor, ceiling, out);
}

int pl_read_vec24(pl_reader *r, size_t floor, size_t ceiling, pl_slice *out)
{
    return read_vec(r, 3, floor, ceiling, out);
}

static int read_sub(pl_reader *r, size_t width, size_t floor, size_t ceiling, pl_reader *sub)
{
    pl_slice s;
    TRY(read_vec(r, width, floor, ceiling, &s));
    *sub = pl_reader_of(s);
    return 0;
}

int pl_read_sub8(pl_reader *r, size_t floor, size_t ceiling, pl_reader *sub)
{
    return read_sub(r, 1, floor, ceiling, sub);
}

int pl_read_sub16(pl_reader *r, size_t floor, size_t ceiling, pl_reader *sub)
{
    return read_sub(r, 2, floor, ceiling, sub);
}

int pl_read_sub24(pl_reader *r, size_t floor, size_t ceiling, pl_reader *sub)
{
    return read_sub(r, 3, floor, ceiling, sub);
}

int pl_read_end(const pl_reader *r)
{
    ENSURE(r->left == 0, SSL_ERR_DECODE_TRAILING);
    return 0;
}

void pl_writer_init(pl_writer *w, uint8_t *buf, size_t cap)
{
    w->buf = buf;
    w->cap = cap;
    w->len = 0;
    w->err = 0;
}

size_t pl_writer_len(const pl_writer *w)
{
    return w->len;
}

int pl_writer_status(const pl_writer *w)
{
    return w->err;
}

static int writer_fail(pl_writer *w, int err)
{
    if (w->err == 0) {
        w->err = err;
    }
    return w->err;
}

int pl_write_reserve(pl_writer *w, size_t len, uint8_t **out)
{
    if (w->err != 0) {
        return w->err;
    }
    if (w->cap - w->len < len) { /* len <= cap always holds, so this cannot wrap */
        return writer_fail(w, SSL_ERR_WRITE_NO_SPACE);
    }
    *out = w->buf + w->len;
    w->len += len;
    return 0;
}

static int write_uint(pl_writer *w, size_t width, uint64_t v)
{
    uint8_t *p = NULL;
    TRY(pl_write_reserve(w, width, &p));
    for (size_t i = 0; i < width; i++) {
        p[i] = (uint8_t)(v >> (8 * (width - 1 - i)));
    }
    return 0;
}

int pl_write_u8(pl_writer *w, uint8_t v)
{
    return write_uint(w, 1, v);
}

int pl_write_u16(pl_writer *w, uint16_t v)
{
    return write_uint(w, 2, v);
}

int pl_write_u24(pl_writer *w, uint32_t v)
{
    if (v > 0xffffffu) {
        return writer_fail(w, SSL_ERR_INVALID_ARGUMENT);
    }
    return write_uint(w, 3, v);
}

int pl_write_u32(pl_writer *w, uint32_t v)
{
    return write_uint(w, 4, v);
}

int pl_write_u64(pl_writer *w, uint64_t v)
{
    return write_uint(w, 8, v);
}

int pl_write_bytes(pl_writer *w, const void *data, size_t len)
{
    uint8_t *p = NULL;
    TRY(pl_write_reserve(w, len, &p));
    if (len > 0) {
        memcpy(p, data, len);
    }
    return 0;
}

int pl_write_zeros(pl_writer *w, size_t len)
{
    uint8_t *p = NULL;
    TRY(pl_write_reserve(w, len, &p));
    if (len > 0) {
        memset(p, 0, len);
    }
    return 0;
}

static int write_open(pl_writer *w, size_t width, size_t *mark)
{
    *mark = w->len;
    return write_uint(w, width, 0);
}

/* Fill the prefix at mark with the length of what follows it. */
static int write_close(pl_writer *w, size_t width, size_t mark)
{
    size_t body;
    if (w->err != 0) {
        return w->err;
    }
    if (mark > w->len || w->len - mark < width) {
        return writer_fail(w, SSL_ERR_INTERNAL); /* a mark this writer never gave out */
    }
    body = w->len - mark - width;
    if (body >> (8 * width) != 0) {
        return writer_fail(w, SSL_ERR_WRITE_VEC_TOO_LONG);
    }
    for (size_t i = 0; i < width; i++) {
        w->buf[mark + i] = (uint8_t)(body >> (8 * (width - 1 - i)));
    }
    return 0;
}

int pl_write_open8(pl_writer *w, size_t *mark)
{
    return write_open(w, 1, mark);
}

int pl_write_open16(pl_writer *w, size_t *mark)
{
    return write_open(w, 2, mark);
}

int pl_write_open24(pl_writer *w, size_t *mark)
{
    return write_open(w, 3, mark);
}

int pl_write_close8(pl_writer *w, size_t mark)
{
    return write_close(w, 1, mark);
}

int pl_write_close16(pl_writer *w, size_t mark)
{
    return write_close(w, 2, mark);
}

int pl_write_close24(pl_writer *w, size_t mark)
{
    return write_close(w, 3, mark);
}
