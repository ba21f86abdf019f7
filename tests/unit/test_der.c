/* The strict DER reader (src/x509/der.c): every X.690 §8/§10/§11 rule it enforces, each with an
 * input that keeps it and one that breaks it, asserting the exact error. */
#include "pl_test.h"

#include <stdio.h>

#include "x509/der.h"
#include "x509/oid.h"

/* Hex with spaces allowed between bytes, for readable rows. */
static uint8_t *unhex_spaced(const char *hex, size_t *len)
{
    char *compact = malloc(strlen(hex) + 1);
    size_t n = 0;
    uint8_t *out;
    assert_non_null(compact);
    for (const char *p = hex; *p != '\0'; p++) {
        if (*p != ' ') {
            compact[n++] = *p;
        }
    }
    compact[n] = '\0';
    out = pl_test_unhex(compact, len);
    free(compact);
    return out;
}

/* ---- the operations the rows apply: each reads one value and requires the end ---------- */

static int op_tlv(pl_der *d)
{
    pl_der_tlv tlv;
    TRY(pl_der_read_tlv(d, &tlv));
    return pl_der_end(d);
}

static int op_integer(pl_der *d)
{
    pl_slice s;
    TRY(pl_der_read_integer(d, &s));
    return pl_der_end(d);
}

static int op_uint(pl_der *d)
{
    pl_slice s;
    TRY(pl_der_read_uint(d, &s));
    return pl_der_end(d);
}

static int op_u64(pl_der *d)
{
    uint64_t v;
    TRY(pl_der_read_u64(d, &v));
    return pl_der_end(d);
}

static int op_bool(pl_der *d)
{
    bool b;
    TRY(pl_der_read_bool(d, &b));
    return pl_der_end(d);
}

static int op_null(pl_der *d)
{
    TRY(pl_der_read_null(d));
    return pl_der_end(d);
}

static int op_oid(pl_der *d)
{
    pl_slice s;
    TRY(pl_der_read_oid(d, &s));
    return pl_der_end(d);
}

static int op_bits(pl_der *d)
{
    pl_slice s;
    unsigned unused;
    TRY(pl_der_read_bits(d, &s, &unused));
    return pl_der_end(d);
}

static int op_bit_octets(pl_der *d)
{
    pl_slice s;
    TRY(pl_der_read_bit_octets(d, &s));
    return pl_der_end(d);
}

static int op_octets(pl_der *d)
{
    pl_slice s;
    TRY(pl_der_read_octets(d, &s));
    return pl_der_end(d);
}

static int op_sequence(pl_der *d)
{
    pl_der seq;
    pl_slice s;
    TRY(pl_der_enter(d, PL_DER_SEQUENCE, &seq));
    TRY(pl_der_read_integer(&seq, &s));
    TRY(pl_der_end(&seq));
    return pl_der_end(d);
}

struct der_row {
    const char *what;
    int (*op)(pl_der *d);
    const char *hex;
    int want;
};

/* X.690 (08/2015) §8.1 identifiers and lengths, with the §10.1/§10.2 DER restrictions. */
static const struct der_row tlv_rows[] = {
    {"short length", op_tlv, "04 01 00", 0},
    {"empty contents", op_tlv, "04 00", 0},
    {"context primitive [0]", op_tlv, "80 01 aa", 0},
    {"context constructed [3]", op_tlv, "a3 00", 0},
    {"application and private classes are read", op_tlv, "41 00", 0},
    {"private class", op_tlv, "c2 01 00", 0},
    {"empty input", op_tlv, "", SSL_ERR_DER_TRUNCATED},
    {"identifier without length", op_tlv, "04", SSL_ERR_DER_TRUNCATED},
    {"long form without its octets", op_tlv, "04 82", SSL_ERR_DER_TRUNCATED},
    {"long form cut short", op_tlv, "04 82 01", SSL_ERR_DER_TRUNCATED},
    {"high-tag-number form", op_tlv, "1f 21 00", SSL_ERR_DER_HIGH_TAG_NUMBER},
    {"high-tag-number, context class", op_tlv, "bf 1f 00", SSL_ERR_DER_HIGH_TAG_NUMBER},
    {"universal 0 (end-of-contents)", op_tlv, "00 00", SSL_ERR_DER_BAD_TAG},
    {"constructed OCTET STRING", op_tlv, "24 00", SSL_ERR_DER_BAD_TAG},
    {"constructed BIT STRING", op_tlv, "23 00", SSL_ERR_DER_BAD_TAG},
    {"constructed INTEGER", op_tlv, "22 00", SSL_ERR_DER_BAD_TAG},
    {"primitive SEQUENCE", op_tlv, "10 00", SSL_ERR_DER_BAD_TAG},
    {"primitive SET", op_tlv, "11 00", SSL_ERR_DER_BAD_TAG},
    {"indefinite length, primitive", op_tlv, "04 80", SSL_ERR_DER_INDEFINITE_LENGTH},
    {"indefinite length, SEQUENCE", op_tlv, "30 80 00 00", SSL_ERR_DER_INDEFINITE_LENGTH},
    {"reserved length 0xff", op_tlv, "04 ff", SSL_ERR_DER_BAD_LENGTH},
    {"0x81 for a length under 128", op_tlv, "04 81 01 00", SSL_ERR_DER_NOT_MINIMAL_LENGTH},
    {"0x81 0x7f", op_tlv, "04 81 7f", SSL_ERR_DER_NOT_MINIMAL_LENGTH},
    {"leading zero length octet", op_tlv, "04 82 00 01 00", SSL_ERR_DER_NOT_MINIMAL_LENGTH},
    {"leading zero, 0x81 00", op_tlv, "04 81 00", SSL_ERR_DER_NOT_MINIMAL_LENGTH},
    {"four length octets", op_tlv, "04 84 01 00 00 00", SSL_ERR_DER_LENGTH_TOO_LARGE},
    {"127 length octets", op_tlv, "04 fe 01", SSL_ERR_DER_LENGTH_TOO_LARGE},
    {"length past end", op_tlv, "04 05 00", SSL_ERR_DER_LENGTH_PAST_END},
    {"long length past end", op_tlv, "04 83 01 00 00 00", SSL_ERR_DER_LENGTH_PAST_END},
    {"trailing byte after the TLV", op_tlv, "04 00 00", SSL_ERR_DER_TRAILING_DATA},
    {"sequence of one integer", op_sequence, "30 03 02 01 05", 0},
    {"sequence length past its end", op_sequence, "30 04 02 01 05", SSL_ERR_DER_LENGTH_PAST_END},
    {"inner length past sequence end", op_sequence, "30 03 02 02 05 00",
     SSL_ERR_DER_LENGTH_PAST_END},
    {"trailing byte inside the sequence", op_sequence, "30 04 02 01 05 00",
     SSL_ERR_DER_TRAILING_DATA},
    {"trailing byte after the sequence", op_sequence, "30 03 02 01 05 00",
     SSL_ERR_DER_TRAILING_DATA},
    {"empty sequence: field missing", op_sequence, "30 00", SSL_ERR_DER_TRUNCATED},
    {"SET where SEQUENCE expected", op_sequence, "31 03 02 01 05", SSL_ERR_DER_UNEXPECTED_TAG},
};

/* X.690 §8.2, §8.3, §8.6, §8.7, §8.8, §8.19 and DER's §11.1, §11.2. */
static const struct der_row value_rows[] = {
    {"INTEGER 0", op_integer, "02 01 00", 0},
    {"INTEGER 127", op_integer, "02 01 7f", 0},
    {"INTEGER 128 needs its 0x00", op_integer, "02 02 00 80", 0},
    {"INTEGER -128", op_integer, "02 01 80", 0},
    {"INTEGER -129", op_integer, "02 02 ff 7f", 0},
    {"INTEGER empty", op_integer, "02 00", SSL_ERR_DER_EMPTY_INTEGER},
    {"INTEGER superfluous 0x00", op_integer, "02 02 00 7f", SSL_ERR_DER_NOT_MINIMAL_INTEGER},
    {"INTEGER superfluous 0x00 0x00", op_integer, "02 03 00 00 80",
     SSL_ERR_DER_NOT_MINIMAL_INTEGER},
    {"INTEGER superfluous 0xff", op_integer, "02 02 ff 80", SSL_ERR_DER_NOT_MINIMAL_INTEGER},
    {"INTEGER wrong tag", op_integer, "04 01 00", SSL_ERR_DER_UNEXPECTED_TAG},
    {"INTEGER missing", op_integer, "", SSL_ERR_DER_TRUNCATED},
    {"uint 128", op_uint, "02 02 00 80", 0},
    {"uint negative", op_uint, "02 01 80", SSL_ERR_DER_NEGATIVE_INTEGER},
    {"uint -1", op_uint, "02 01 ff", SSL_ERR_DER_NEGATIVE_INTEGER},
    {"uint not minimal", op_uint, "02 02 00 01", SSL_ERR_DER_NOT_MINIMAL_INTEGER},
    {"u64 2^64-1", op_u64, "02 09 00 ff ff ff ff ff ff ff ff", 0},
    {"u64 2^64", op_u64, "02 09 01 00 00 00 00 00 00 00 00", SSL_ERR_DER_INTEGER_TOO_LARGE},
    {"u64 negative", op_u64, "02 01 fe", SSL_ERR_DER_NEGATIVE_INTEGER},
    {"BOOLEAN TRUE", op_bool, "01 01 ff", 0},
    {"BOOLEAN FALSE", op_bool, "01 01 00", 0},
    {"BOOLEAN 0x01", op_bool, "01 01 01", SSL_ERR_DER_BAD_BOOLEAN},
    {"BOOLEAN 0xfe", op_bool, "01 01 fe", SSL_ERR_DER_BAD_BOOLEAN},
    {"BOOLEAN empty", op_bool, "01 00", SSL_ERR_DER_BAD_BOOLEAN},
    {"BOOLEAN two octets", op_bool, "01 02 ff ff", SSL_ERR_DER_BAD_BOOLEAN},
    {"NULL", op_null, "05 00", 0},
    {"NULL with contents", op_null, "05 01 00", SSL_ERR_DER_BAD_NULL},
    {"OID rsaEncryption", op_oid, "06 09 2a 86 48 86 f7 0d 01 01 01", 0},
    {"OID 2.999 (multi-octet first)", op_oid, "06 02 88 37", 0},
    {"OID empty", op_oid, "06 00", SSL_ERR_DER_BAD_OID},
    {"OID last subid unfinished", op_oid, "06 02 2a 86", SSL_ERR_DER_BAD_OID},
    {"OID 0x80 leading a subid", op_oid, "06 03 2a 80 01", SSL_ERR_DER_NOT_MINIMAL_OID},
    {"OID 0x80 leading the first", op_oid, "06 02 80 01", SSL_ERR_DER_NOT_MINIMAL_OID},
    {"BIT STRING empty", op_bits, "03 01 00", 0},
    {"BIT STRING 2 bits, 6 unused zero", op_bits, "03 02 06 c0", 0},
    {"BIT STRING 1 bit", op_bits, "03 02 07 80", 0},
    {"BIT STRING no unused-bits octet", op_bits, "03 00", SSL_ERR_DER_BAD_BIT_STRING},
    {"BIT STRING unused 8", op_bits, "03 02 08 00", SSL_ERR_DER_BAD_BIT_STRING},
    {"BIT STRING unused bits but empty", op_bits, "03 01 01", SSL_ERR_DER_BAD_BIT_STRING},
    {"BIT STRING padding bit set", op_bits, "03 02 06 c1", SSL_ERR_DER_BIT_STRING_PADDING},
    {"BIT STRING padding bit set, top", op_bits, "03 03 07 00 c0",
     SSL_ERR_DER_BIT_STRING_PADDING},
    {"whole-octet BIT STRING", op_bit_octets, "03 03 00 ab cd", 0},
    {"whole-octet BIT STRING with unused", op_bit_octets, "03 02 07 80",
     SSL_ERR_DER_BIT_STRING_NOT_OCTETS},
    {"OCTET STRING", op_octets, "04 02 ab cd", 0},
    {"OCTET STRING constructed", op_octets, "24 04 04 02 ab cd", SSL_ERR_DER_UNEXPECTED_TAG},
};

static void run_rows(const struct der_row *rows, size_t n)
{
    size_t failures = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        uint8_t *in = unhex_spaced(rows[i].hex, &len);
        pl_der d;
        int got;
        pl_der_init(&d, in, len);
        got = rows[i].op(&d);
        if (got != rows[i].want) {
            fprintf(stderr, "row \"%s\" (%s): got %s, want %s\n", rows[i].what, rows[i].hex,
                    ssl_error_name(got), ssl_error_name(rows[i].want));
            failures++;
        }
        free(in);
    }
    assert_int_equal(failures, 0);
}

static void test_identifier_and_length_rules(void **state)
{
    (void)state;
    run_rows(tlv_rows, PL_ARRAY_LEN(tlv_rows));
}

static void test_value_rules(void **state)
{
    (void)state;
    run_rows(value_rows, PL_ARRAY_LEN(value_rows));
}

/* 0x81 is right from 128 up, 0x82 from 256 up; the contents are exactly what was announced. */
static void test_long_form_lengths_at_their_thresholds(void **state)
{
    static uint8_t buf[4 + 256];
    pl_der d;
    pl_der_tlv tlv;
    (void)state;
    buf[0] = 0x04;
    buf[1] = 0x81;
    buf[2] = 0x80;
    pl_der_init(&d, buf, 3 + 128);
    assert_int_equal(pl_der_read_tlv(&d, &tlv), 0);
    assert_int_equal(tlv.content.len, 128);
    assert_ptr_equal(tlv.content.ptr, buf + 3);
    assert_int_equal(tlv.raw.len, 3 + 128);
    assert_int_equal(pl_der_end(&d), 0);

    buf[1] = 0x81;
    buf[2] = 0xff;
    pl_der_init(&d, buf, 3 + 254); /* one short */
    assert_int_equal(pl_der_read_tlv(&d, &tlv), SSL_ERR_DER_LENGTH_PAST_END);
    assert_int_equal(pl_der_left(&d), 3 + 254); /* a failed read leaves the reader */

    buf[1] = 0x82;
    buf[2] = 0x01;
    buf[3] = 0x00;
    pl_der_init(&d, buf, 4 + 256);
    assert_int_equal(pl_der_read_tlv(&d, &tlv), 0);
    assert_int_equal(tlv.content.len, 256);

    buf[2] = 0x00;
    buf[3] = 0xff; /* 255 in two octets */
    pl_der_init(&d, buf, 4 + 255);
    assert_int_equal(pl_der_read_tlv(&d, &tlv), SSL_ERR_DER_NOT_MINIMAL_LENGTH);
}

static void test_tlv_raw_covers_identifier_length_and_contents(void **state)
{
    static const uint8_t in[] = {0x30, 0x03, 0x02, 0x01, 0x07, 0x05, 0x00};
    pl_der d;
    pl_der_tlv tlv;
    (void)state;
    pl_der_init(&d, in, sizeof in);
    assert_int_equal(pl_der_read_tlv(&d, &tlv), 0);
    assert_int_equal(tlv.tag, PL_DER_SEQUENCE);
    assert_ptr_equal(tlv.raw.ptr, in);
    assert_int_equal(tlv.raw.len, 5);
    assert_ptr_equal(tlv.content.ptr, in + 2);
    assert_int_equal(tlv.content.len, 3);
    assert_int_equal(pl_der_read_null(&d), 0);
    assert_int_equal(pl_der_end(&d), 0);
}

static void test_values_decode(void **state)
{
    static const uint8_t in[] = {
        0x02, 0x02, 0x00, 0x80,                   /* 128 */
        0x02, 0x09, 0x00, 0xff, 0xff, 0xff, 0xff, /* 2^64 - 1 */
        0xff, 0xff, 0xff, 0xff,
        0x02, 0x01, 0x00,                         /* 0 */
        0x01, 0x01, 0xff,                         /* TRUE */
        0x03, 0x02, 0x06, 0xc0,                   /* bits 11 */
        0x06, 0x03, 0x2b, 0x65, 0x70,             /* Ed25519 */
    };
    pl_der d;
    pl_slice s;
    uint64_t v;
    bool b;
    unsigned unused;
    (void)state;
    pl_der_init(&d, in, sizeof in);
    assert_int_equal(pl_der_read_uint(&d, &s), 0);
    pl_test_assert_hex(s.ptr, s.len, "80");
    assert_int_equal(pl_der_read_u64(&d, &v), 0);
    assert_true(v == UINT64_MAX);
    assert_int_equal(pl_der_read_uint(&d, &s), 0);
    pl_test_assert_hex(s.ptr, s.len, "00");
    assert_int_equal(pl_der_read_bool(&d, &b), 0);
    assert_true(b);
    assert_int_equal(pl_der_read_bits(&d, &s, &unused), 0);
    assert_int_equal(unused, 6);
    pl_test_assert_hex(s.ptr, s.len, "c0");
    assert_int_equal(pl_der_read_oid(&d, &s), 0);
    assert_true(pl_oid_equal(s, pl_oid_ed25519));
    assert_string_equal(pl_oid_name(s), "Ed25519");
    assert_int_equal(pl_der_end(&d), 0);
}

static void test_peek_and_optional_fields(void **state)
{
    /* TBSCertificate's start: [0] EXPLICIT version, then the serial. */
    static const uint8_t in[] = {0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01, 0x2a};
    pl_der d, version;
    pl_slice s;
    bool present;
    uint64_t v;
    (void)state;
    pl_der_init(&d, in, sizeof in);
    assert_true(pl_der_peek(&d, PL_DER_CONTEXT_CONS(0)));
    assert_false(pl_der_peek(&d, PL_DER_INTEGER));
    assert_int_equal(pl_der_optional(&d, PL_DER_CONTEXT_CONS(1), &present, &s), 0);
    assert_false(present);
    assert_int_equal(pl_der_left(&d), sizeof in);
    assert_int_equal(pl_der_optional(&d, PL_DER_CONTEXT_CONS(0), &present, &s), 0);
    assert_true(present);
    assert_int_equal(pl_der_open(&d, s, &version), 0);
    assert_int_equal(version.depth, 1);
    assert_int_equal(pl_der_read_u64(&version, &v), 0);
    assert_int_equal(v, 2);
    assert_int_equal(pl_der_end(&version), 0);
    assert_int_equal(pl_der_read_u64(&d, &v), 0);
    assert_int_equal(v, 42);
    assert_false(pl_der_peek(&d, PL_DER_INTEGER)); /* nothing left */
    assert_int_equal(pl_der_optional(&d, PL_DER_INTEGER, &present, &s), 0);
    assert_false(present);
}

/* depth SEQUENCEs, each holding the next; the innermost is empty. */
static size_t nested_sequences(uint8_t *buf, size_t depth)
{
    for (size_t i = 0; i < depth; i++) {
        buf[2 * i] = 0x30;
        buf[2 * i + 1] = (uint8_t)(2 * (depth - 1 - i));
    }
    return 2 * depth;
}

static int walk(pl_der *d)
{
    while (pl_der_left(d) > 0) {
        pl_der sub;
        TRY(pl_der_enter(d, PL_DER_SEQUENCE, &sub));
        TRY(walk(&sub));
    }
    return 0;
}

static void test_nesting_is_limited(void **state)
{
    uint8_t buf[2 * (PL_DER_MAX_DEPTH + 1)];
    pl_der d, sub;
    (void)state;
    pl_der_init(&d, buf, nested_sequences(buf, PL_DER_MAX_DEPTH));
    assert_int_equal(walk(&d), 0);
    pl_der_init(&d, buf, nested_sequences(buf, PL_DER_MAX_DEPTH + 1));
    assert_int_equal(walk(&d), SSL_ERR_DER_TOO_DEEP);
    /* open counts too */
    d.depth = PL_DER_MAX_DEPTH;
    assert_int_equal(pl_der_open(&d, (pl_slice){buf, 0}, &sub), SSL_ERR_DER_TOO_DEEP);
}

/* Every proper prefix of a valid structure fails with a named error, and never reads past it. */
static void test_every_truncation_fails_cleanly(void **state)
{
    static const uint8_t full[] = {
        0x30, 0x81, 0x8d, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
        0x04, 0x81, 0x80, /* followed by 128 bytes of zeros, in the copy below */
    };
    uint8_t buf[sizeof full + 128] = {0};
    (void)state;
    memcpy(buf, full, sizeof full);
    {
        pl_der d, seq, alg;
        pl_slice s;
        pl_der_init(&d, buf, sizeof buf);
        assert_int_equal(pl_der_enter(&d, PL_DER_SEQUENCE, &seq), 0);
        assert_int_equal(pl_der_read_integer(&seq, &s), 0);
        assert_int_equal(pl_der_enter(&seq, PL_DER_SEQUENCE, &alg), 0);
        assert_int_equal(pl_der_read_oid(&alg, &s), 0);
        assert_int_equal(pl_der_read_octets(&seq, &s), 0);
        assert_int_equal(s.len, 128);
        assert_int_equal(pl_der_end(&seq), 0);
        assert_int_equal(pl_der_end(&d), 0);
    }
    for (size_t len = 0; len < sizeof buf; len++) {
        uint8_t *copy = malloc(len + 1);
        pl_der d, seq;
        pl_slice s;
        int rc;
        assert_non_null(copy);
        memcpy(copy, buf, len);
        pl_der_init(&d, copy, len);
        rc = pl_der_enter(&d, PL_DER_SEQUENCE, &seq);
        if (rc == 0) {
            rc = pl_der_read_integer(&seq, &s);
        }
        assert_true(rc < 0);
        assert_non_null(ssl_error_name(rc));
        free(copy);
    }
}

static void test_oid_constants_are_valid_der(void **state)
{
    const pl_slice *all[] = {&pl_oid_rsa_encryption, &pl_oid_rsassa_pss, &pl_oid_ec_public_key,
                             &pl_oid_secp256r1, &pl_oid_secp384r1, &pl_oid_secp521r1,
                             &pl_oid_x25519, &pl_oid_ed25519};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(all); i++) {
        assert_int_equal(pl_der_check_oid(*all[i]), 0);
        assert_non_null(pl_oid_name(*all[i]));
    }
    assert_false(pl_oid_equal(pl_oid_secp384r1, pl_oid_secp521r1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identifier_and_length_rules),
        cmocka_unit_test(test_value_rules),
        cmocka_unit_test(test_long_form_lengths_at_their_thresholds),
        cmocka_unit_test(test_tlv_raw_covers_identifier_length_and_contents),
        cmocka_unit_test(test_values_decode),
        cmocka_unit_test(test_peek_and_optional_fields),
        cmocka_unit_test(test_nesting_is_limited),
        cmocka_unit_test(test_every_truncation_fails_cleanly),
        cmocka_unit_test(test_oid_constants_are_valid_der),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
