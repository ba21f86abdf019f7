/* Handshake messages (src/tls/msg_*.c): the servers' messages of the recorded connections
 * parse to what they say; our ClientHello and ClientKeyExchange match bytes assembled by hand
 * from the RFCs' structs; every malformed or unacceptable field is refused with its error. */
#include <stdio.h>
#include <stdlib.h>

#include "pl_test.h"

#include "tls/msg.h"

static const char *const traces[] = {
    "tls12-trace/openssl-ecdhe-ecdsa-aes128-gcm-sha256",
    "tls12-trace/openssl-ecdhe-rsa-chacha20-poly1305",
    "tls12-trace/openssl-ecdhe-rsa-aes256-gcm-sha384",
};

/* A recorded message's body (without its 4-byte header), in a buffer the caller frees. */
static uint8_t *recorded_body(const pl_json *d, const char *name, pl_reader *r)
{
    const pl_json *msgs = pl_json_get(d, "handshake_messages_in_order");
    for (size_t i = 0; i < pl_json_len(msgs); i++) {
        const pl_json *m = pl_json_at(msgs, i);
        if (strcmp(pl_json_get_str(m, "name"), name) == 0) {
            size_t len;
            uint8_t *buf = pl_test_unhex(pl_json_get_str(m, "hex"), &len);
            pl_reader_init(r, buf + 4, len - 4);
            return buf;
        }
    }
    fail_msg("no %s in the trace", name);
    return NULL;
}

static const uint16_t offered_suites[] = {0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8};
static const uint16_t offered_groups[] = {PL_GROUP_X25519, PL_GROUP_SECP256R1,
                                          PL_GROUP_SECP384R1};
static const uint16_t offered_sigalgs[] = {PL_SIG_ECDSA_SECP256R1_SHA256,
                                           PL_SIG_RSA_PSS_RSAE_SHA256};

static pl_client_hello default_hello(void)
{
    pl_client_hello ch;
    memset(&ch, 0, sizeof ch);
    ch.suites = offered_suites;
    ch.suites_count = PL_ARRAY_LEN(offered_suites);
    ch.groups = offered_groups;
    ch.groups_count = PL_ARRAY_LEN(offered_groups);
    ch.sigalgs = offered_sigalgs;
    ch.sigalgs_count = PL_ARRAY_LEN(offered_sigalgs);
    ch.server_name = "localhost";
    ch.offer_ems = 1;
    return ch;
}

static void test_msg_recorded_server_flights_parse(void **state)
{
    static const struct {
        uint16_t suite, group;
        size_t point_len;
    } want[] = {{0xc02b, PL_GROUP_SECP256R1, 65}, {0xcca8, PL_GROUP_X25519, 32},
                {0xc030, PL_GROUP_SECP384R1, 97}};
    (void)state;
    for (size_t t = 0; t < PL_ARRAY_LEN(traces); t++) {
        char path[256];
        pl_json *d;
        pl_reader r;
        uint8_t *buf;
        pl_server_hello sh;
        pl_server_kx skx;
        pl_slice certs[PL_MAX_CHAIN];
        size_t count;
        pl_client_hello ch = default_hello();
        snprintf(path, sizeof path, "%s/derived.json", traces[t]);
        d = pl_json_load(pl_test_vector_path(path));
        assert_non_null(d);

        buf = recorded_body(d, "server_hello", &r);
        assert_int_equal(pl_msg_parse_server_hello(&r, &sh), 0);
        assert_int_equal(sh.version, 0x0303);
        assert_int_equal(sh.suite, want[t].suite);
        assert_int_equal(sh.session_id.len, 32);
        assert_int_equal(sh.seen, PL_SEEN_RENEGOTIATION_INFO | PL_SEEN_EC_POINT_FORMATS |
                                      PL_SEEN_EMS);
        pl_test_assert_hex(sh.random, 32, pl_json_get_str(d, "server_random"));
        assert_int_equal(pl_msg_check_server_hello(&sh, &ch), 0);
        free(buf);

        buf = recorded_body(d, "certificate", &r);
        assert_int_equal(pl_msg_parse_certificate(&r, certs, PL_MAX_CHAIN, &count), 0);
        assert_int_equal(count, 1);
        assert_true(certs[0].len > 300);
        free(buf);

        buf = recorded_body(d, "server_key_exchange", &r);
        assert_int_equal(pl_msg_parse_server_kx(&r, 1, &skx), 0);
        assert_int_equal(skx.group, want[t].group);
        assert_int_equal(skx.point.len, want[t].point_len);
        assert_int_equal(skx.params.len, 4 + want[t].point_len);
        assert_int_equal(skx.sigalg, (uint16_t)strtol(pl_json_get_str(d, "ske_signature_scheme"),
                                                      NULL, 16));
        assert_true(skx.signature.len >= 64);
        free(buf);

        buf = recorded_body(d, "server_hello_done", &r);
        assert_int_equal(pl_msg_parse_empty(&r), 0);
        free(buf);
        pl_json_free(d);
    }
}

/* The ClientHello, assembled by hand from RFC 5246 §7.4.1.2 and the extension RFCs. */
static void test_msg_client_hello_bytes(void **state)
{
    static const uint16_t suites[] = {0xc02b, 0xc02f};
    static const uint16_t groups[] = {PL_GROUP_X25519, PL_GROUP_SECP256R1};
    static const uint16_t sigalgs[] = {PL_SIG_ECDSA_SECP256R1_SHA256, PL_SIG_RSA_PSS_RSAE_SHA256};
    static const char *const alpn[] = {"h2", "http/1.1"};
    uint8_t out[512];
    pl_writer w;
    pl_client_hello ch;
    (void)state;
    memset(&ch, 0, sizeof ch);
    for (int i = 0; i < 32; i++) {
        ch.random[i] = (uint8_t)i;
    }
    ch.suites = suites;
    ch.suites_count = 2;
    ch.groups = groups;
    ch.groups_count = 2;
    ch.sigalgs = sigalgs;
    ch.sigalgs_count = 2;
    ch.server_name = "example.com";
    ch.alpn = alpn;
    ch.alpn_count = 2;
    ch.offer_ems = 1;
    pl_writer_init(&w, out, sizeof out);
    assert_int_equal(pl_msg_write_client_hello(&w, &ch), 0);
    pl_test_assert_hex(out, pl_writer_len(&w),
                       "01000076"                                 /* client_hello, 118 bytes */
                       "0303"                                     /* client_version 3.3 */
                       "000102030405060708090a0b0c0d0e0f"
                       "101112131415161718191a1b1c1d1e1f"         /* random */
                       "00"                                       /* session_id: empty */
                       "0004c02bc02f"                             /* cipher_suites */
                       "0100"                                     /* compression: null */
                       "0049"                                     /* extensions: 73 bytes */
                       "00000010000e00000b6578616d706c652e636f6d" /* server_name */
                       "000b00020100"                             /* ec_point_formats */
                       "000a00060004001d0017"                     /* supported_groups */
                       "000d0006000404030804"                     /* signature_algorithms */
                       "0010000e000c02683208687474702f312e31"     /* ALPN h2, http/1.1 */
                       "00170000"                                 /* extended_master_secret */
                       "ff01000100");                             /* renegotiation_info */
    /* no SNI for an IP literal, no EMS when not offered */
    ch.server_name = NULL;
    ch.alpn_count = 0;
    ch.offer_ems = 0;
    pl_writer_init(&w, out, sizeof out);
    assert_int_equal(pl_msg_write_client_hello(&w, &ch), 0);
    assert_int_equal(pl_writer_len(&w), 4 + 118 - 20 - 18 - 4);
    /* a full buffer fails cleanly */
    pl_writer_init(&w, out, 50);
    assert_int_equal(pl_msg_write_client_hello(&w, &ch), SSL_ERR_WRITE_NO_SPACE);
    /* bad configuration */
    ch.suites_count = 0;
    pl_writer_init(&w, out, sizeof out);
    assert_int_equal(pl_msg_write_client_hello(&w, &ch), SSL_ERR_INVALID_ARGUMENT);
}

/* A ServerHello body: version, random, empty session id, suite c02f, null compression, then
 * the extensions given as hex. */
static int parse_hello_with(const char *ext_hex, pl_server_hello *sh)
{
    char hex[1024];
    uint8_t body[512];
    size_t len;
    uint8_t *b;
    pl_reader r;
    snprintf(hex, sizeof hex, "0303%064x00c02f00%s", 0, ext_hex);
    b = pl_test_unhex(hex, &len);
    memcpy(body, b, len);
    free(b);
    pl_reader_init(&r, body, len);
    return pl_msg_parse_server_hello(&r, sh);
}

/* Rows of ServerHello extension blocks and the parse verdict. */
static const struct {
    const char *ext_hex;
    int want;
} hello_rows[] = {
    {"", 0},                                             /* no extensions block at all */
    {"0000", 0},                                         /* an empty block */
    {"000400170000", 0},                                 /* extended_master_secret */
    {"00080017000000170000", SSL_ERR_HS_DUPLICATE_EXTENSION},
    {"000400050000", SSL_ERR_HS_UNSOLICITED_EXTENSION},  /* status_request: never sent */
    {"0004002b0000", SSL_ERR_HS_UNSOLICITED_EXTENSION},  /* supported_versions (TLS 1.3) */
    {"00050017000100", SSL_ERR_HS_BAD_EXTENSION},        /* EMS must be empty */
    {"000500000001ff", SSL_ERR_HS_BAD_EXTENSION},        /* server_name must be empty */
    {"0005ff01000100", 0},                               /* renegotiation_info, empty */
    {"0005ff01000101", SSL_ERR_HS_BAD_EXTENSION},        /* its length byte runs past */
    {"0006000b00020100", 0},                             /* ec_point_formats: uncompressed */
    {"0005000b000100", SSL_ERR_HS_BAD_EXTENSION},        /* an empty format list */
    {"0009001000050003026832", 0},                       /* ALPN: h2 */
    {"000c001000080006026832026833", SSL_ERR_HS_BAD_EXTENSION}, /* two names */
    {"0008001000040002026832", SSL_ERR_HS_BAD_EXTENSION}, /* name runs past its list */
    {"000a001000050003026832", SSL_ERR_DECODE_TRUNCATED}, /* block longer than its bytes */
    {"00090010000500030268320000", SSL_ERR_DECODE_TRAILING}, /* bytes after the block */
    {"0004001700", SSL_ERR_DECODE_TRUNCATED},            /* extension header cut short */
    {"000400170000ff", SSL_ERR_DECODE_TRAILING},         /* bytes after the block */
};

static void test_msg_server_hello_extension_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(hello_rows); i++) {
        pl_server_hello sh;
        if (parse_hello_with(hello_rows[i].ext_hex, &sh) != hello_rows[i].want) {
            fail_msg("row %zu (%s): got %d, want %d", i, hello_rows[i].ext_hex,
                     parse_hello_with(hello_rows[i].ext_hex, &sh), hello_rows[i].want);
        }
    }
}

static void test_msg_server_hello_fixed_fields(void **state)
{
    uint8_t body[80];
    pl_reader r;
    pl_server_hello sh;
    (void)state;
    memset(body, 0, sizeof body);
    body[0] = 3;
    body[1] = 3;
    body[34] = 33; /* session_id<0..32> */
    pl_reader_init(&r, body, sizeof body);
    assert_int_equal(pl_msg_parse_server_hello(&r, &sh), SSL_ERR_DECODE_VEC_LENGTH);
    body[34] = 0;
    pl_reader_init(&r, body, 34 + 1 + 2); /* no compression byte */
    assert_int_equal(pl_msg_parse_server_hello(&r, &sh), SSL_ERR_DECODE_TRUNCATED);
    pl_reader_init(&r, body, 34 + 1 + 2 + 1 + 1); /* one byte where extensions would be */
    assert_int_equal(pl_msg_parse_server_hello(&r, &sh), SSL_ERR_DECODE_TRUNCATED);
}

/* The check step: each choice the server may not make. */
static void test_msg_check_server_hello_refusals(void **state)
{
    static const char *const two[] = {"h2", "http/1.1"};
    pl_client_hello ch = default_hello();
    pl_server_hello sh;
    (void)state;
    assert_int_equal(parse_hello_with("", &sh), 0);
    assert_int_equal(pl_msg_check_server_hello(&sh, &ch), 0);
    sh.version = 0x0302;
    assert_int_equal(pl_msg_check_server_hello(&sh, &ch), SSL_ERR_HS_BAD_VERSION);
    sh.version = 0x0304;
    assert_int_equal(pl_msg_check_server_hello(&sh, &ch), SSL_ERR_HS_BAD_VERSION);
    sh.version = 0x0303;
    sh.suite = 0x009c; /* not in this ClientHello */
    assert_int_equal(pl_msg_check_server_hello(&sh, &ch), SSL_ERR_HS_SUITE_NOT_OFFERED);
    sh.suite = 0xc02f;
    sh.compression = 1;
    assert_int_equal(pl_msg_check_server_hello(&sh, &ch), SSL_ERR_HS_COMPRESSION_NOT_NULL);

    assert_int_equal(parse_hello_with("000400170000", &sh), 0);
    ch.offer_ems = 0;
    assert_int_equal(pl_msg_check_server_hello(&sh, &ch), SSL_ERR_HS_UNSOLICITED_EXTENSION);
    ch.offer_ems = 1;
    assert_int_equal(parse_hello_with("000400000000", &sh), 0);
    ch.server_name = NULL;
    assert_int_equal(pl_msg_check_server_hello(&sh, &ch), SSL_ERR_HS_UNSOLICITED_EXTENSION);
    ch.server_name = "localhost";
    assert_int_equal(pl_msg_check_server_hello(&sh, &ch), 0);
    assert_int_equal(parse_hello_with("000400230000", &sh), 0);
    assert_int_equal(pl_msg_check_server_hello(&sh, &ch), SSL_ERR_HS_UNSOLICITED_EXTENSION);

    assert_int_equal(parse_hello_with("0006ff0100020100", &sh), 0);
    assert_int_equal(pl_msg_check_server_hello(&sh, &ch), SSL_ERR_HS_BAD_RENEGOTIATION_INFO);
    assert_int_equal(parse_hello_with("0006000b00020101", &sh), 0);
    assert_int_equal(pl_msg_check_server_hello(&sh, &ch), SSL_ERR_HS_NO_UNCOMPRESSED_POINTS);
    assert_int_equal(parse_hello_with("0007000b0003020100", &sh), 0);
    assert_int_equal(pl_msg_check_server_hello(&sh, &ch), 0);

    assert_int_equal(parse_hello_with("0009001000050003026832", &sh), 0);
    assert_int_equal(pl_msg_check_server_hello(&sh, &ch), SSL_ERR_HS_UNSOLICITED_EXTENSION);
    ch.alpn = two;
    ch.alpn_count = 2;
    assert_int_equal(pl_msg_check_server_hello(&sh, &ch), 0);
    assert_int_equal(parse_hello_with("0009001000050003026833", &sh), 0); /* "h3" */
    assert_int_equal(pl_msg_check_server_hello(&sh, &ch), SSL_ERR_HS_ALPN_NOT_OFFERED);
}

static int parse_hex_with(int (*fn)(pl_reader *, void *), const char *hex, void *out)
{
    size_t len;
    uint8_t *b = pl_test_unhex(hex, &len);
    pl_reader r;
    int rc;
    pl_reader_init(&r, b, len);
    rc = fn(&r, out);
    free(b);
    return rc;
}

static int skx_ecdhe(pl_reader *r, void *out)
{
    return pl_msg_parse_server_kx(r, 1, out);
}

static int skx_dhe(pl_reader *r, void *out)
{
    return pl_msg_parse_server_kx(r, 0, out);
}

static void test_msg_server_key_exchange_rows(void **state)
{
    pl_server_kx skx;
    (void)state;
    /* named_curve x25519, 2-byte point (short, but syntax only), rsa_pss_rsae_sha256, 2 bytes */
    assert_int_equal(parse_hex_with(skx_ecdhe, "03001d02aabb08040002cccc", &skx), 0);
    assert_int_equal(skx.group, 29);
    assert_int_equal(skx.params.len, 6);
    assert_int_equal(skx.sigalg, 0x0804);
    assert_int_equal(skx.signature.len, 2);
    assert_int_equal(parse_hex_with(skx_ecdhe, "01001d02aabb08040002cccc", &skx),
                     SSL_ERR_HS_NOT_NAMED_CURVE);
    assert_int_equal(parse_hex_with(skx_ecdhe, "03001d0008040002cccc", &skx),
                     SSL_ERR_DECODE_VEC_LENGTH); /* empty point */
    assert_int_equal(parse_hex_with(skx_ecdhe, "03001d02aabb08040002cccc00", &skx),
                     SSL_ERR_DECODE_TRAILING);
    assert_int_equal(parse_hex_with(skx_ecdhe, "03001d02aabb0804", &skx),
                     SSL_ERR_DECODE_TRUNCATED);
    /* DHE: p = 0x17, g = 0x05, Ys = 0x0a0b */
    assert_int_equal(parse_hex_with(skx_dhe, "00011700010500020a0b060100020102", &skx), 0);
    assert_int_equal(skx.dh_p.len, 1);
    assert_int_equal(skx.dh_ys.len, 2);
    assert_int_equal(skx.params.len, 10);
    assert_int_equal(skx.sigalg, 0x0601);
    assert_int_equal(parse_hex_with(skx_dhe, "0000000105000101060100020102", &skx),
                     SSL_ERR_DECODE_VEC_LENGTH); /* empty p */
}

static int cert_list(pl_reader *r, void *out)
{
    pl_slice certs[2];
    return pl_msg_parse_certificate(r, certs, 2, out);
}

static void test_msg_certificate_rows(void **state)
{
    size_t count = 99;
    (void)state;
    assert_int_equal(parse_hex_with(cert_list, "000000", &count), 0);
    assert_int_equal(count, 0);
    assert_int_equal(parse_hex_with(cert_list, "00000400000130", &count), 0);
    assert_int_equal(count, 1);
    assert_int_equal(parse_hex_with(cert_list, "00000800000130000001300000", &count),
                     SSL_ERR_DECODE_TRAILING);
    assert_int_equal(parse_hex_with(cert_list, "00000800000130000001300000", &count),
                     SSL_ERR_DECODE_TRAILING);
    assert_int_equal(parse_hex_with(cert_list, "00000c000001300000013000000130", &count),
                     SSL_ERR_HS_TOO_MANY_CERTIFICATES);
    assert_int_equal(parse_hex_with(cert_list, "000003000000", &count),
                     SSL_ERR_DECODE_VEC_LENGTH); /* an empty certificate */
    assert_int_equal(parse_hex_with(cert_list, "00000500000230", &count),
                     SSL_ERR_DECODE_TRUNCATED);
}

static int cert_req(pl_reader *r, void *out)
{
    return pl_msg_parse_cert_request(r, out);
}

static void test_msg_certificate_request_rows(void **state)
{
    pl_cert_request cr;
    (void)state;
    assert_int_equal(parse_hex_with(cert_req, "0201400004040108040000", &cr), 0);
    assert_int_equal(cr.sigalgs.len, 4);
    assert_int_equal(parse_hex_with(cert_req, "0201400004040108040005000430010a", &cr),
                     SSL_ERR_DECODE_TRUNCATED); /* a name runs past the list */
    assert_int_equal(parse_hex_with(cert_req, "02014000040401080400050003300102", &cr), 0);
    assert_int_equal(parse_hex_with(cert_req, "0001", &cr), SSL_ERR_DECODE_VEC_LENGTH);
    assert_int_equal(parse_hex_with(cert_req, "010100030401080000", &cr),
                     SSL_ERR_DECODE_VEC_LENGTH); /* odd-length scheme list */
    assert_int_equal(parse_hex_with(cert_req, "0101000000", &cr), SSL_ERR_DECODE_VEC_LENGTH);
}

static void test_msg_client_key_exchange_and_finished_bytes(void **state)
{
    static const uint8_t point[3] = {4, 1, 2}, vd[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    uint8_t out[64], got[12];
    pl_writer w;
    pl_reader r;
    (void)state;
    pl_writer_init(&w, out, sizeof out);
    assert_int_equal(pl_msg_write_client_kx_ecdhe(&w, point, 3), 0);
    pl_test_assert_hex(out, pl_writer_len(&w), "1000000403040102");
    pl_writer_init(&w, out, sizeof out);
    assert_int_equal(pl_msg_write_client_kx_dhe(&w, point, 3), 0);
    pl_test_assert_hex(out, pl_writer_len(&w), "10000005000304" "0102");
    pl_writer_init(&w, out, sizeof out);
    assert_int_equal(pl_msg_write_client_kx_rsa(&w, point, 3), 0);
    pl_test_assert_hex(out, pl_writer_len(&w), "10000005000304" "0102");
    pl_writer_init(&w, out, sizeof out);
    assert_int_equal(pl_msg_write_client_kx_ecdhe(&w, point, 0), SSL_ERR_INVALID_ARGUMENT);
    pl_writer_init(&w, out, sizeof out);
    assert_int_equal(pl_msg_write_finished(&w, vd), 0);
    pl_test_assert_hex(out, pl_writer_len(&w), "1400000c0102030405060708090a0b0c");
    pl_writer_init(&w, out, sizeof out);
    assert_int_equal(pl_msg_write_empty_certificate(&w), 0);
    pl_test_assert_hex(out, pl_writer_len(&w), "0b000003000000");
    pl_reader_init(&r, out, 12);
    assert_int_equal(pl_msg_parse_finished(&r, got), 0);
    pl_reader_init(&r, out, 11);
    assert_int_equal(pl_msg_parse_finished(&r, got), SSL_ERR_DECODE_TRUNCATED);
    pl_reader_init(&r, out, 13);
    assert_int_equal(pl_msg_parse_finished(&r, got), SSL_ERR_DECODE_TRAILING);
    pl_reader_init(&r, out, 1);
    assert_int_equal(pl_msg_parse_empty(&r), SSL_ERR_DECODE_TRAILING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_msg_recorded_server_flights_parse),
        cmocka_unit_test(test_msg_client_hello_bytes),
        cmocka_unit_test(test_msg_server_hello_extension_rows),
        cmocka_unit_test(test_msg_server_hello_fixed_fields),
        cmocka_unit_test(test_msg_check_server_hello_refusals),
        cmocka_unit_test(test_msg_server_key_exchange_rows),
        cmocka_unit_test(test_msg_certificate_rows),
        cmocka_unit_test(test_msg_certificate_request_rows),
        cmocka_unit_test(test_msg_client_key_exchange_and_finished_bytes),
    };
    pl_test_require_vectors();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
