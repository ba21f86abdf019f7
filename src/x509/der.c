/* The strict DER reader (see der.h): X.690 §8 encodings under the §10 and §11 DER restrictions.
 *
 * Every byte is read through pl_reader, so a hostile length can only produce an error. This file
 * decides validity only; it does not interpret strings or times, and it never allocates. */
#include "x509/der.h"

void pl_der_init(pl_der *d, const uint8_t *buf, size_t len)
{
    pl_reader_init(&d->in, buf, len);
    d->depth = 0;
}

size_t pl_der_left(const pl_der *d)
{
    return pl_reader_left(&d->in);
}

/* X.690 §8.1.2: one identifier octet in the low-tag-number form. */
static int read_identifier(pl_reader *r, uint8_t *tag)
{
    uint8_t id;
    unsigned number;
    bool constructed;
    ENSURE(pl_read_u8(r, &id) == 0, SSL_ERR_DER_TRUNCATED);
    number = id & PL_DER_NUMBER_MASK;
    constructed = (id & PL_DER_CONSTRUCTED) != 0;
    /* §8.1.2.4: number bits all ones announce the high-tag-number form. */
    ENSURE(number != PL_DER_NUMBER_MASK, SSL_ERR_DER_HIGH_TAG_NUMBER);
    if ((id & PL_DER_CLASS_MASK) == PL_DER_UNIVERSAL) {
        /* Universal 0 is end-of-contents, which only the indefinite form uses (§8.1.5). */
        ENSURE(number != 0, SSL_ERR_DER_BAD_TAG);
        /* EXTERNAL (8), EMBEDDED PDV (11), SEQUENCE (16), SET (17) and CHARACTER STRING (29) are
         * always constructed (§8.18, §8.9, §8.11, §8.21.5 / X.680); every other universal type
         * is primitive in DER, strings included (§10.2). */
        bool must_construct = number == 8 || number == 11 || number == 16 || number == 17 ||
                              number == 29;
        ENSURE(constructed == must_construct, SSL_ERR_DER_BAD_TAG);
    }
    *tag = id;
    return 0;
}

/* X.690 §8.1.3 with §10.1: the definite form, in the fewest octets. */
static int read_length(pl_reader *r, size_t *len)
{
    uint8_t first, b;
    size_t count, v;
    ENSURE(pl_read_u8(r, &first) == 0, SSL_ERR_DER_TRUNCATED);
    if (first < 0x80) { /* §8.1.3.4: the short form */
        *len = first;
        return 0;
    }
    ENSURE(first != 0x80, SSL_ERR_DER_INDEFINITE_LENGTH); /* §8.1.3.6 */
    ENSURE(first != 0xff, SSL_ERR_DER_BAD_LENGTH);        /* §8.1.3.5 c): reserved */
    count = first & 0x7fu;
    ENSURE(pl_read_u8(r, &b) == 0, SSL_ERR_DER_TRUNCATED);
    /* §10.1: no leading zero octets, and the long form only for lengths of 128 or more. */
    ENSURE(b != 0, SSL_ERR_DER_NOT_MINIMAL_LENGTH);
    ENSURE(count > 1 || b >= 0x80, SSL_ERR_DER_NOT_MINIMAL_LENGTH);
    /* With a non-zero first octet, four or more octets mean at least 2^24. */
    ENSURE(count <= 3, SSL_ERR_DER_LENGTH_TOO_LARGE);
    v = b;
    for (size_t i = 1; i < count; i++) {
        ENSURE(pl_read_u8(r, &b) == 0, SSL_ERR_DER_TRUNCATED);
        v = (v << 8) | b; /* at most 24 bits */
    }
    ENSURE(v <= PL_DER_MAX_LEN, SSL_ERR_DER_LENGTH_TOO_LARGE);
    *len = v;
    return 0;
}

int pl_der_read_tlv(pl_der *d, pl_der_tlv *out)
{
    pl_reader r = d->in;
    pl_reader start = d->in;
    size_t len;
    uint8_t tag;
    TRY(read_identifier(&r, &tag));
    TRY(read_length(&r, &len));
    ENSURE(len <= pl_reader_left(&r), SSL_ERR_DER_LENGTH_PAST_END);
    TRY(pl_read_slice(&r, len, &out->content));
    /* The whole encoding is what was consumed from start. */
    TRY(pl_read_slice(&start, pl_reader_left(&d->in) - pl_reader_left(&r), &out->raw));
    out->tag = tag;
    d->in = r;
    return 0;
}

bool pl_der_peek(const pl_der *d, uint8_t tag)
{
    pl_reader r = d->in;
    uint8_t id;
    return pl_read_u8(&r, &id) == 0 && id == tag;
}

int pl_der_expect(pl_der *d, uint8_t tag, pl_slice *content)
{
    pl_der_tlv tlv;
    ENSURE(pl_der_left(d) > 0, SSL_ERR_DER_TRUNCATED); /* a required field is missing */
    ENSURE(pl_der_peek(d, tag), SSL_ERR_DER_UNEXPECTED_TAG);
    TRY(pl_der_read_tlv(d, &tlv));
    *content = tlv.content;
    return 0;
}

int pl_der_optional(pl_der *d, uint8_t tag, bool *present, pl_slice *content)
{
    *present = false;
    if (!pl_der_peek(d, tag)) {
        return 0;
    }
    TRY(pl_der_expect(d, tag, content));
    *present = true;
    return 0;
}

int pl_der_open(const pl_der *d, pl_slice content, pl_der *sub)
{
    ENSURE(d->depth < PL_DER_MAX_DEPTH, SSL_ERR_DER_TOO_DEEP);
    sub->in = pl_reader_of(content);
    sub->depth = d->depth + 1;
    return 0;
}

int pl_der_enter(pl_der *d, uint8_t tag, pl_der *sub)
{
    pl_slice content;
    ENSURE(d->depth < PL_DER_MAX_DEPTH, SSL_ERR_DER_TOO_DEEP);
    TRY(pl_der_expect(d, tag, &content));
    return pl_der_open(d, content, sub);
}

int pl_der_end(const pl_der *d)
{
    ENSURE(pl_reader_left(&d->in) == 0, SSL_ERR_DER_TRAILING_DATA);
    return 0;
}

/* ---- value checks on contents ---------------------------------------------------------- */

/* X.690 §8.3.1, §8.3.2: one or more octets, and the first nine bits never all zero or all one. */
int pl_der_check_integer(pl_slice content)
{
    pl_reader r = pl_reader_of(content);
    uint8_t b0, b1;
    ENSURE(pl_read_u8(&r, &b0) == 0, SSL_ERR_DER_EMPTY_INTEGER);
    if (pl_read_u8(&r, &b1) == 0) {
        ENSURE(!(b0 == 0x00 && b1 < 0x80), SSL_ERR_DER_NOT_MINIMAL_INTEGER);
        ENSURE(!(b0 == 0xff && b1 >= 0x80), SSL_ERR_DER_NOT_MINIMAL_INTEGER);
    }
    return 0;
}

int pl_der_integer_magnitude(pl_slice content, pl_slice *out)
{
    pl_reader r = pl_reader_of(content);
    uint8_t b0;
    TRY(pl_der_check_integer(content));
    TRY(pl_read_u8(&r, &b0));
    ENSURE((b0 & 0x80) == 0, SSL_ERR_DER_NEGATIVE_INTEGER);
    if (b0 == 0 && pl_reader_left(&r) > 0) {
        /* The 0x00 only kept the sign bit clear (§8.3.3); the value starts after it. */
        return pl_read_slice(&r, pl_reader_left(&r), out);
    }
    *out = content;
    return 0;
}

int pl_der_integer_u64(pl_slice content, uint64_t *out)
{
    pl_slice mag;
    pl_reader r;
    uint64_t v = 0;
    uint8_t b;
    TRY(pl_der_integer_magnitude(content, &mag));
    ENSURE(mag.len <= 8, SSL_ERR_DER_INTEGER_TOO_LARGE);
    r = pl_reader_of(mag);
    while (pl_read_u8(&r, &b) == 0) {
        v = (v << 8) | b; /* at most 8 octets: no bits are lost */
    }
    *out = v;
    return 0;
}

/* X.690 §8.2.1 and §11.1: one octet, FALSE 0x00, TRUE 0xff. */
int pl_der_parse_bool(pl_slice content, bool *out)
{
    pl_reader r = pl_reader_of(content);
    uint8_t b;
    ENSURE(content.len == 1, SSL_ERR_DER_BAD_BOOLEAN);
    TRY(pl_read_u8(&r, &b));
    ENSURE(b == 0x00 || b == 0xff, SSL_ERR_DER_BAD_BOOLEAN);
    *out = b == 0xff;
    return 0;
}

/* X.690 §8.19.2: subidentifiers in base 128, bit 8 set on every octet but each one's last, and
 * "the leading octet of the subidentifier shall not have the value 0x80". */
int pl_der_check_oid(pl_slice content)
{
    pl_reader r = pl_reader_of(content);
    bool at_start = true;
    uint8_t b;
    ENSURE(content.len > 0, SSL_ERR_DER_BAD_OID);
    while (pl_read_u8(&r, &b) == 0) {
        ENSURE(!(at_start && b == 0x80), SSL_ERR_DER_NOT_MINIMAL_OID);
        at_start = (b & 0x80) == 0;
    }
    ENSURE(at_start, SSL_ERR_DER_BAD_OID); /* the last subidentifier never ended */
    return 0;
}

/* X.690 §8.6.2: an initial octet counting the unused bits (0..7, and 0 when there are no
 * bits); §11.2.1: in DER those bits are zero. */
int pl_der_parse_bits(pl_slice content, pl_slice *bytes, unsigned *unused)
{
    pl_reader r = pl_reader_of(content);
    pl_reader last;
    uint8_t n, tail;
    ENSURE(pl_read_u8(&r, &n) == 0, SSL_ERR_DER_BAD_BIT_STRING);
    ENSURE(n <= 7, SSL_ERR_DER_BAD_BIT_STRING);
    ENSURE(n == 0 || pl_reader_left(&r) > 0, SSL_ERR_DER_BAD_BIT_STRING);
    if (n > 0) {
        last = r;
        TRY(pl_read_skip(&last, pl_reader_left(&r) - 1)); /* left >= 1, checked above */
        TRY(pl_read_u8(&last, &tail));
        ENSURE((tail & ((1u << n) - 1u)) == 0, SSL_ERR_DER_BIT_STRING_PADDING);
    }
    TRY(pl_read_slice(&r, pl_reader_left(&r), bytes));
    *unused = n;
    return 0;
}

/* ---- values read with their universal tags -------------------------------------------- */

int pl_der_read_integer(pl_der *d, pl_slice *out)
{
    pl_slice c;
    TRY(pl_der_expect(d, PL_DER_INTEGER, &c));
    TRY(pl_der_check_integer(c));
    *out = c;
    return 0;
}

int pl_der_read_uint(pl_der *d, pl_slice *out)
{
    pl_slice c;
    TRY(pl_der_expect(d, PL_DER_INTEGER, &c));
    return pl_der_integer_magnitude(c, out);
}

int pl_der_read_u64(pl_der *d, uint64_t *out)
{
    pl_slice c;
    TRY(pl_der_expect(d, PL_DER_INTEGER, &c));
    return pl_der_integer_u64(c, out);
}

int pl_der_read_bool(pl_der *d, bool *out)
{
    pl_slice c;
    TRY(pl_der_expect(d, PL_DER_BOOLEAN, &c));
    return pl_der_parse_bool(c, out);
}

int pl_der_read_null(pl_der *d)
{
    pl_slice c;
    TRY(pl_der_expect(d, PL_DER_NULL, &c));
    ENSURE(c.len == 0, SSL_ERR_DER_BAD_NULL); /* X.690 §8.8.2 */
    return 0;
}

int pl_der_read_oid(pl_der *d, pl_slice *out)
{
    pl_slice c;
    TRY(pl_der_expect(d, PL_DER_OID, &c));
    TRY(pl_der_check_oid(c));
    *out = c;
    return 0;
}

int pl_der_read_bits(pl_der *d, pl_slice *bytes, unsigned *unused)
{
    pl_slice c;
    TRY(pl_der_expect(d, PL_DER_BIT_STRING, &c));
    return pl_der_parse_bits(c, bytes, unused);
}

int pl_der_read_bit_octets(pl_der *d, pl_slice *bytes)
{
    unsigned unused;
    TRY(pl_der_read_bits(d, bytes, &unused));
    ENSURE(unused == 0, SSL_ERR_DER_BIT_STRING_NOT_OCTETS);
    return 0;
}

int pl_der_read_octets(pl_der *d, pl_slice *out)
{
    return pl_der_expect(d, PL_DER_OCTET_STRING, out);
}
