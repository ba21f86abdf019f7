/* The bounded cursor: the only code in padlock that touches wire bytes by index.
 *
 * pl_reader reads untrusted bytes: every read checks what remains first, so a parser cannot run
 * past its input whatever the input says. Vectors are read with the RFC's <floor..ceiling>
 * bounds (RFC 5246 §4.3). A failed read returns a negative code and leaves the reader where it
 * was; readers never allocate and slices borrow from the input buffer.
 *
 * pl_writer writes into a caller's buffer of fixed capacity. Length-prefixed vectors are opened
 * with a placeholder prefix and closed when their contents are written, so nested TLS vectors are
 * written front to back. The first failure sticks: later writes do nothing and return it again,
 * so a writer can be checked once at the end as well as at each call. */
#ifndef PL_BASE_CURSOR_H
#define PL_BASE_CURSOR_H

#include "base/pl.h"

/* A borrowed run of bytes; ptr may be NULL when len is 0. */
typedef struct pl_slice {
    const uint8_t *ptr;
    size_t len;
} pl_slice;

typedef struct pl_reader {
    const uint8_t *ptr;
    size_t left;
} pl_reader;

void pl_reader_init(pl_reader *r, const uint8_t *buf, size_t len);
pl_reader pl_reader_of(pl_slice s);
size_t pl_reader_left(const pl_reader *r);
/* The bytes read between a saved copy of a reader (before) and the same reader now (after): a
 * span of a message that is signed or hashed as it was sent. */
pl_slice pl_reader_span(const pl_reader *before, const pl_reader *after);

/* Big-endian integers of the given width. SSL_ERR_DECODE_TRUNCATED when too few bytes remain. */
PL_MUST_CHECK int pl_read_u8(pl_reader *r, uint8_t *out);
PL_MUST_CHECK int pl_read_u16(pl_reader *r, uint16_t *out);
PL_MUST_CHECK int pl_read_u24(pl_reader *r, uint32_t *out);
PL_MUST_CHECK int pl_read_u32(pl_reader *r, uint32_t *out);
PL_MUST_CHECK int pl_read_u64(pl_reader *r, uint64_t *out);

/* Exactly len bytes: copied out, borrowed as a slice, or skipped. */
PL_MUST_CHECK int pl_read_copy(pl_reader *r, uint8_t *out, size_t len);
PL_MUST_CHECK int pl_read_slice(pl_reader *r, size_t len, pl_slice *out);
PL_MUST_CHECK int pl_read_skip(pl_reader *r, size_t len);

/* A vector with a 1-, 2- or 3-byte length prefix whose length must lie in [floor, ceiling]:
 * SSL_ERR_DECODE_VEC_LENGTH when it does not, SSL_ERR_DECODE_TRUNCATED when the prefix or the
 * body runs past the input. The _sub forms return the body as a reader of its own. */
PL_MUST_CHECK int pl_read_vec8(pl_reader *r, size_t floor, size_t ceiling, pl_slice *out);
PL_MUST_CHECK int pl_read_vec16(pl_reader *r, size_t floor, size_t ceiling, pl_slice *out);
PL_MUST_CHECK int pl_read_vec24(pl_reader *r, size_t floor, size_t ceiling, pl_slice *out);
PL_MUST_CHECK int pl_read_sub8(pl_reader *r, size_t floor, size_t ceiling, pl_reader *sub);
PL_MUST_CHECK int pl_read_sub16(pl_reader *r, size_t floor, size_t ceiling, pl_reader *sub);
PL_MUST_CHECK int pl_read_sub24(pl_reader *r, size_t floor, size_t ceiling, pl_reader *sub);

/* 0 when nothing remains, else SSL_ERR_DECODE_TRAILING: a parser's last line. */
PL_MUST_CHECK int pl_read_end(const pl_reader *r);

typedef struct pl_writer {
    uint8_t *buf;
    size_t cap;
    size_t len;
    int err; /* the first failure, or 0 */
} pl_writer;

void pl_writer_init(pl_writer *w, uint8_t *buf, size_t cap);
size_t pl_writer_len(const pl_writer *w);
/* 0, or the first failure any write on w returned. */
PL_MUST_CHECK int pl_writer_status(const pl_writer *w);

/* SSL_ERR_WRITE_NO_SPACE when the buffer cannot take them. */
PL_MUST_CHECK int pl_write_u8(pl_writer *w, uint8_t v);
PL_MUST_CHECK int pl_write_u16(pl_writer *w, uint16_t v);
PL_MUST_CHECK int pl_write_u24(pl_writer *w, uint32_t v); /* v < 2^24, else SSL_ERR_INVALID_ARGUMENT */
PL_MUST_CHECK int pl_write_u32(pl_writer *w, uint32_t v);
PL_MUST_CHECK int pl_write_u64(pl_writer *w, uint64_t v);
PL_MUST_CHECK int pl_write_bytes(pl_writer *w, const void *data, size_t len);
PL_MUST_CHECK int pl_write_zeros(pl_writer *w, size_t len);
/* Reserve len bytes and hand back where they start, for code that fills them itself (a cipher
 * writing in place). The pointer is valid until the writer's buffer is reused. */
PL_MUST_CHECK int pl_write_reserve(pl_writer *w, size_t len, uint8_t **out);

/* Deferred length prefixes: open writes a zero prefix of the width and records where it is;
 * close fills it with the number of bytes written since, or fails with
 * SSL_ERR_WRITE_VEC_TOO_LONG when that does not fit the width. */
PL_MUST_CHECK int pl_write_open8(pl_writer *w, size_t *mark);
PL_MUST_CHECK int pl_write_open16(pl_writer *w, size_t *mark);
PL_MUST_CHECK int pl_write_open24(pl_writer *w, size_t *mark);
PL_MUST_CHECK int pl_write_close8(pl_writer *w, size_t mark);
PL_MUST_CHECK int pl_write_close16(pl_writer *w, size_t mark);
PL_MUST_CHECK int pl_write_close24(pl_writer *w, size_t mark);

#endif
