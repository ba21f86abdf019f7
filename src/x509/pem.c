/* The PEM reader (see pem.h): RFC 7468 encapsulation boundaries around RFC 4648 base64.
 *
 * The text is read line by line through pl_reader. A block is found in two steps: first its
 * BEGIN line, body and END line are located (so that the iterator can move past a block even
 * when its contents are bad), then the body is decoded. */
#include "x509/pem.h"

#include "base/ct.h"

static const char begin_prefix[] = "-----BEGIN ";
static const char end_prefix[] = "-----END ";
static const char dashes[] = "-----";

void pl_pem_init(pl_pem_iter *it, const uint8_t *text, size_t len)
{
    pl_reader_init(&it->in, text, len);
}

size_t pl_pem_decoded_max(size_t text_len)
{
    size_t max = text_len / 4 * 3 + 3; /* every 4 characters give at most 3 bytes */
    return max < PL_PEM_MAX_DER ? max : PL_PEM_MAX_DER;
}

/* The next line without its LF and without a CR before it; false at the end of the text. */
static bool read_line(pl_reader *r, pl_slice *line)
{
    pl_reader start = *r;
    size_t n = 0;
    uint8_t c, prev = 0;
    if (pl_reader_left(r) == 0) {
        return false;
    }
    while (pl_read_u8(r, &c) == 0 && c != '\n') {
        prev = c;
        n++;
    }
    if (n > 0 && prev == '\r') {
        n--;
    }
    return pl_read_slice(&start, n, line) == 0;
}

/* The byte at index i of s (i < s.len), read through the cursor. */
static uint8_t byte_at(pl_slice s, size_t i)
{
    pl_reader r = pl_reader_of(s);
    uint8_t b = 0;
    if (pl_read_skip(&r, i) < 0 || pl_read_u8(&r, &b) < 0) {
        return 0;
    }
    return b;
}

/* When s starts with the NUL-terminated prefix, *rest is what follows it. */
static bool starts_with(pl_slice s, const char *prefix, pl_slice *rest)
{
    size_t n = strlen(prefix);
    pl_reader r = pl_reader_of(s);
    pl_slice head;
    if (pl_read_slice(&r, n, &head) < 0 || memcmp(head.ptr, prefix, n) != 0) {
        return false;
    }
    return pl_read_slice(&r, pl_reader_left(&r), rest) == 0;
}

static bool is_space_or_tab(uint8_t c)
{
    return c == ' ' || c == '\t';
}

/* RFC 7468 §3: labelchar = %x21-2C / %x2E-7E; label = [ labelchar *( ["-" / SP] labelchar ) ]. */
static bool valid_label(pl_slice label)
{
    pl_reader r = pl_reader_of(label);
    bool after_sep = true; /* at the start, as after a separator, a labelchar must come */
    uint8_t c;
    while (pl_read_u8(&r, &c) == 0) {
        if (c == '-' || c == ' ') {
            if (after_sep) {
                return false;
            }
            after_sep = true;
        } else if (c >= 0x21 && c <= 0x7e) {
            after_sep = false;
        } else {
            return false;
        }
    }
    return label.len == 0 || !after_sep;
}

/* What follows "-----BEGIN " or "-----END ": label "-----", then (lax) spaces or tabs. */
static int parse_boundary(pl_slice rest, pl_slice *label)
{
    size_t n = rest.len;
    pl_reader r = pl_reader_of(rest);
    pl_slice tail;
    while (n > 0 && is_space_or_tab(byte_at(rest, n - 1))) {
        n--;
    }
    ENSURE(n >= sizeof dashes - 1, SSL_ERR_PEM_BAD_BOUNDARY);
    TRY(pl_read_slice(&r, n - (sizeof dashes - 1), label));
    TRY(pl_read_slice(&r, sizeof dashes - 1, &tail));
    ENSURE(memcmp(tail.ptr, dashes, sizeof dashes - 1) == 0, SSL_ERR_PEM_BAD_BOUNDARY);
    ENSURE(valid_label(*label), SSL_ERR_PEM_BAD_BOUNDARY);
    return 0;
}

static bool contains(pl_slice s, uint8_t want)
{
    pl_reader r = pl_reader_of(s);
    uint8_t c;
    while (pl_read_u8(&r, &c) == 0) {
        if (c == want) {
            return true;
        }
    }
    return false;
}

/* ---- base64 (RFC 4648 §4) ------------------------------------------------------------- */

/* 1 when lo <= c <= hi, computed without a branch (c, lo, hi < 256, so the differences' top bits
 * are their signs). */
static uint32_t ct_in_range(uint32_t c, uint32_t lo, uint32_t hi)
{
    uint32_t below = (c - lo) >> 31;
    uint32_t above = (hi - c) >> 31;
    return 1u ^ (below | above);
}

/* The 6-bit value of a base64 character; *valid is 0 for a character outside the alphabet. */
static uint32_t b64_value(uint8_t ch, uint32_t *valid)
{
    uint32_t c = ch;
    uint32_t upper = ct_in_range(c, 'A', 'Z');
    uint32_t lower = ct_in_range(c, 'a', 'z');
    uint32_t digit = ct_in_range(c, '0', '9');
    uint32_t plus = ct_in_range(c, '+', '+');
    uint32_t slash = ct_in_range(c, '/', '/');
    uint32_t v = (pl_ct_mask(upper) & (c - 'A')) | (pl_ct_mask(lower) & (c - 'a' + 26)) |
                 (pl_ct_mask(digit) & (c - '0' + 52)) | (pl_ct_mask(plus) & 62u) |
                 (pl_ct_mask(slash) & 63u);
    *valid = upper | lower | digit | plus | slash;
    return v;
}

struct b64 {
    pl_writer out;
    uint32_t acc;   /* the bits of the current quantum's data characters */
    unsigned count; /* characters of the current quantum seen, '=' included */
    unsigned pads;  /* '=' in the current quantum */
    bool done;      /* a padded quantum ended the data */
};

static int b64_put(struct b64 *b, const uint8_t *bytes, size_t len)
{
    ENSURE(pl_write_bytes(&b->out, bytes, len) == 0, SSL_ERR_PEM_TOO_LARGE);
    return 0;
}

/* A quantum of four characters is complete: RFC 4648 §4 cases (1)-(3). */
static int b64_flush(struct b64 *b)
{
    uint8_t bytes[3];
    int rc;
    if (b->pads == 0) { /* 24 bits: three bytes */
        bytes[0] = (uint8_t)(b->acc >> 16);
        bytes[1] = (uint8_t)(b->acc >> 8);
        bytes[2] = (uint8_t)b->acc;
        rc = b64_put(b, bytes, 3);
    } else if (b->pads == 1) { /* 18 bits: two bytes, and two bits that must be zero */
        ENSURE((b->acc & 0x3u) == 0, SSL_ERR_PEM_BAD_BASE64);
        bytes[0] = (uint8_t)(b->acc >> 10);
        bytes[1] = (uint8_t)(b->acc >> 2);
        rc = b64_put(b, bytes, 2);
    } else { /* 12 bits: one byte, and four bits that must be zero */
        ENSURE((b->acc & 0xfu) == 0, SSL_ERR_PEM_BAD_BASE64);
        bytes[0] = (uint8_t)(b->acc >> 4);
        rc = b64_put(b, bytes, 1);
    }
    pl_wipe(bytes, sizeof bytes);
    b->done = b->pads > 0;
    b->acc = 0;
    b->count = 0;
    b->pads = 0;
    return rc;
}

static bool is_b64_space(uint8_t c)
{
    /* RFC 7468 §3: W = WSP / CR / LF / HTAB / VT / FF */
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static int b64_line(struct b64 *b, pl_slice line)
{
    pl_reader r = pl_reader_of(line);
    uint8_t c;
    uint32_t v, valid;
    while (pl_read_u8(&r, &c) == 0) {
        if (is_b64_space(c)) {
            continue;
        }
        ENSURE(!b->done, SSL_ERR_PEM_BAD_BASE64); /* nothing may follow the padding */
        if (c == '=') {
            /* Padding only in the quantum's last two places. */
            ENSURE(b->count >= 2, SSL_ERR_PEM_BAD_BASE64);
            b->pads++;
        } else {
            ENSURE(b->pads == 0, SSL_ERR_PEM_BAD_BASE64); /* "ab=c" */
            v = b64_value(c, &valid);
            ENSURE(valid == 1, SSL_ERR_PEM_BAD_BASE64);
            b->acc = (b->acc << 6) | v;
        }
        if (++b->count == 4) {
            TRY(b64_flush(b));
        }
    }
    return 0;
}

/* Decode the lines of body into out. */
static int decode_body(pl_slice body, uint8_t *out, size_t cap, size_t *out_len)
{
    pl_reader r = pl_reader_of(body);
    pl_slice line, rest;
    struct b64 b = {.acc = 0};
    int rc = 0;
    pl_writer_init(&b.out, out, cap < PL_PEM_MAX_DER ? cap : PL_PEM_MAX_DER);
    while (rc == 0 && read_line(&r, &line)) {
        if (contains(line, ':')) {
            /* An RFC 1421 header: RFC 7468 §2 says parsers may ignore them, but the ones
             * OpenSSL writes announce an encrypted key, which must not be misread as DER. */
            if (starts_with(line, "Proc-Type:", &rest) || starts_with(line, "DEK-Info:", &rest)) {
                rc = SSL_ERR_PEM_ENCRYPTED;
            } else {
                rc = SSL_ERR_PEM_BAD_BASE64;
            }
            break;
        }
        rc = b64_line(&b, line);
    }
    if (rc == 0 && b.count != 0) {
        rc = SSL_ERR_PEM_BAD_BASE64; /* the last quantum is incomplete: padding missing */
    }
    *out_len = pl_writer_len(&b.out);
    pl_wipe(&b.acc, sizeof b.acc);
    return rc;
}

/* Locate the next block: its label, body and END label. The iterator ends past the END line. */
static int locate(pl_pem_iter *it, pl_slice *label, pl_slice *body, pl_slice *end_label,
                  bool *found)
{
    pl_slice line, rest;
    pl_reader body_start, before;
    *found = false;
    for (;;) {
        if (!read_line(&it->in, &line)) {
            return 0; /* no more blocks */
        }
        if (starts_with(line, begin_prefix, &rest)) {
            break;
        }
    }
    TRY(parse_boundary(rest, label));
    body_start = it->in;
    for (;;) {
        before = it->in;
        ENSURE(read_line(&it->in, &line), SSL_ERR_PEM_NO_END);
        if (starts_with(line, end_prefix, &rest)) {
            break;
        }
        if (starts_with(line, begin_prefix, &rest)) {
            it->in = before; /* the next call starts at this BEGIN line */
            return SSL_ERR_PEM_NO_END;
        }
    }
    TRY(pl_read_slice(&body_start, pl_reader_left(&body_start) - pl_reader_left(&before), body));
    TRY(parse_boundary(rest, end_label));
    *found = true;
    return 0;
}

int pl_pem_next(pl_pem_iter *it, uint8_t *out, size_t cap, pl_pem_block *block, bool *found)
{
    pl_slice label, body, end_label;
    bool have;
    size_t len = 0;
    *found = false;
    TRY(locate(it, &label, &body, &end_label, &have));
    if (!have) {
        return 0;
    }
    ENSURE(label.len == end_label.len &&
               (label.len == 0 || memcmp(label.ptr, end_label.ptr, label.len) == 0),
           SSL_ERR_PEM_LABEL_MISMATCH);
    TRY(decode_body(body, out, cap, &len));
    block->label = label;
    block->der_len = len;
    *found = true;
    return 0;
}

bool pl_pem_label_is(const pl_pem_block *block, const char *label)
{
    size_t n = strlen(label);
    return block->label.len == n && (n == 0 || memcmp(block->label.ptr, label, n) == 0);
}
