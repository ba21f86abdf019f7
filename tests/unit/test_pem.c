/* The PEM reader (src/x509/pem.c): RFC 7468 blocks with explanatory text between them, LF and
 * CRLF, lax whitespace, strict RFC 4648 base64, and a named error for every malformation. */
#include "pl_test.h"

#include <stdio.h>

#include "x509/pem.h"

static uint8_t out[4096];

/* Read the first block of text; its label into label (NUL-terminated) when one is found. */
static int first_block(const char *text, size_t *der_len, char *label, size_t label_cap)
{
    pl_pem_iter it;
    pl_pem_block b;
    bool found;
    int rc;
    pl_pem_init(&it, (const uint8_t *)text, strlen(text));
    rc = pl_pem_next(&it, out, sizeof out, &b, &found);
    if (rc == 0 && !found) {
        return SSL_ERR_PEM_NOT_FOUND;
    }
    if (rc == 0) {
        assert_true(b.label.len < label_cap);
        memcpy(label, b.label.ptr, b.label.len);
        label[b.label.len] = '\0';
        *der_len = b.der_len;
    }
    return rc;
}

/* RFC 4648 §10 test vectors, inside a block. */
static void test_rfc4648_vectors_decode(void **state)
{
    static const struct {
        const char *b64, *plain;
    } rows[] = {
        {"", ""},         {"Zg==", "f"},         {"Zm8=", "fo"},          {"Zm9v", "foo"},
        {"Zm9vYg==", "foob"}, {"Zm9vYmE=", "fooba"}, {"Zm9vYmFy", "foobar"},
    };
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(rows); i++) {
        char text[256], label[64];
        size_t len = 0;
        snprintf(text, sizeof text, "-----BEGIN DATA-----\n%s\n-----END DATA-----\n", rows[i].b64);
        assert_int_equal(first_block(text, &len, label, sizeof label), 0);
        assert_string_equal(label, "DATA");
        assert_int_equal(len, strlen(rows[i].plain));
        assert_memory_equal(out, rows[i].plain, len);
    }
}

static void test_blocks_with_text_between_are_read_in_order(void **state)
{
    static const char text[] =
        "Subject: CN=First\n"
        "issuer text, ignored\n"
        "-----BEGIN CERTIFICATE-----\n"
        "Zm9v\n"
        "-----END CERTIFICATE-----\n"
        "\n"
        "more explanatory text -----BEGIN NOT AT LINE START-----\n"
        "-----BEGIN PRIVATE KEY-----\n"
        "YmFy\n"
        "-----END PRIVATE KEY-----\n"
        "trailing words";
    pl_pem_iter it;
    pl_pem_block b;
    bool found;
    (void)state;
    pl_pem_init(&it, (const uint8_t *)text, strlen(text));
    assert_int_equal(pl_pem_next(&it, out, sizeof out, &b, &found), 0);
    assert_true(found);
    assert_true(pl_pem_label_is(&b, "CERTIFICATE"));
    assert_false(pl_pem_label_is(&b, "CERTIFICATES"));
    assert_int_equal(b.der_len, 3);
    assert_memory_equal(out, "foo", 3);
    assert_int_equal(pl_pem_next(&it, out, sizeof out, &b, &found), 0);
    assert_true(found);
    assert_true(pl_pem_label_is(&b, "PRIVATE KEY"));
    assert_memory_equal(out, "bar", 3);
    assert_int_equal(pl_pem_next(&it, out, sizeof out, &b, &found), 0);
    assert_false(found);
    assert_int_equal(pl_pem_next(&it, out, sizeof out, &b, &found), 0); /* and stays done */
    assert_false(found);
}

static void test_crlf_and_lax_whitespace_are_accepted(void **state)
{
    static const char text[] =
        "-----BEGIN CERTIFICATE-----  \r\n"
        "Zm9v\tYm\r\n"
        "  Fy Zm9v\r\n"
        "\r\n"
        "YmFy\r\n"
        "-----END CERTIFICATE-----\t\r\n";
    char label[64];
    size_t len = 0;
    (void)state;
    assert_int_equal(first_block(text, &len, label, sizeof label), 0);
    assert_string_equal(label, "CERTIFICATE");
    assert_int_equal(len, 12);
    assert_memory_equal(out, "foobarfoobar", 12);
}

static void test_end_of_text_without_final_newline(void **state)
{
    char label[64];
    size_t len = 0;
    (void)state;
    assert_int_equal(first_block("-----BEGIN A-----\nZm9v\n-----END A-----", &len, label,
                                 sizeof label),
                     0);
    assert_int_equal(len, 3);
}

struct pem_row {
    const char *what;
    const char *text;
    int want;
};

/* RFC 7468 §3 boundaries and labels, RFC 4648 §3.3/§3.5/§4 base64. */
static const struct pem_row rows[] = {
    {"empty text", "", SSL_ERR_PEM_NOT_FOUND},
    {"text only", "hello\nworld\n", SSL_ERR_PEM_NOT_FOUND},
    {"label with spaces and hyphens", "-----BEGIN X509 CRL-B-----\n-----END X509 CRL-B-----\n", 0},
    {"empty label", "-----BEGIN -----\n-----END -----\n", 0},
    {"four dashes after label", "-----BEGIN A----\nZm9v\n-----END A-----\n",
     SSL_ERR_PEM_BAD_BOUNDARY},
    {"double space in label", "-----BEGIN A  B-----\n-----END A  B-----\n",
     SSL_ERR_PEM_BAD_BOUNDARY},
    {"label ends in hyphen", "-----BEGIN A------\n-----END A------\n", SSL_ERR_PEM_BAD_BOUNDARY},
    {"label with a control character", "-----BEGIN A\x01-----\n-----END A\x01-----\n",
     SSL_ERR_PEM_BAD_BOUNDARY},
    {"bad END line", "-----BEGIN A-----\nZm9v\n-----END A----\n", SSL_ERR_PEM_BAD_BOUNDARY},
    {"label mismatch", "-----BEGIN A-----\nZm9v\n-----END B-----\n",
     SSL_ERR_PEM_LABEL_MISMATCH},
    {"label differs in case", "-----BEGIN key-----\n-----END KEY-----\n",
     SSL_ERR_PEM_LABEL_MISMATCH},
    {"missing END", "-----BEGIN A-----\nZm9v\n", SSL_ERR_PEM_NO_END},
    {"BEGIN inside a block", "-----BEGIN A-----\nZm9v\n-----BEGIN A-----\n-----END A-----\n",
     SSL_ERR_PEM_NO_END},
    {"bad character", "-----BEGIN A-----\nZm*v\n-----END A-----\n", SSL_ERR_PEM_BAD_BASE64},
    {"URL-safe alphabet", "-----BEGIN A-----\nZm-_\n-----END A-----\n", SSL_ERR_PEM_BAD_BASE64},
    {"non-ASCII byte", "-----BEGIN A-----\nZm9\xc3\n-----END A-----\n", SSL_ERR_PEM_BAD_BASE64},
    {"missing padding", "-----BEGIN A-----\nZm8\n-----END A-----\n", SSL_ERR_PEM_BAD_BASE64},
    {"one character quantum", "-----BEGIN A-----\nZm9vY\n-----END A-----\n",
     SSL_ERR_PEM_BAD_BASE64},
    {"three pads", "-----BEGIN A-----\nZ===\n-----END A-----\n", SSL_ERR_PEM_BAD_BASE64},
    {"pad in the middle", "-----BEGIN A-----\nZm=v\n-----END A-----\n", SSL_ERR_PEM_BAD_BASE64},
    {"pad first", "-----BEGIN A-----\n=Zm9\n-----END A-----\n", SSL_ERR_PEM_BAD_BASE64},
    {"data after padding", "-----BEGIN A-----\nZg==\nZm9v\n-----END A-----\n",
     SSL_ERR_PEM_BAD_BASE64},
    {"padding after padding", "-----BEGIN A-----\nZg====\n-----END A-----\n",
     SSL_ERR_PEM_BAD_BASE64},
    {"trailing bits set, one byte", "-----BEGIN A-----\nZh==\n-----END A-----\n",
     SSL_ERR_PEM_BAD_BASE64},
    {"trailing bits set, two bytes", "-----BEGIN A-----\nZm9=\n-----END A-----\n",
     SSL_ERR_PEM_BAD_BASE64},
    {"Proc-Type header", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                         "DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nZm9v\n"
                         "-----END RSA PRIVATE KEY-----\n",
     SSL_ERR_PEM_ENCRYPTED},
    {"DEK-Info header alone", "-----BEGIN A-----\nDEK-Info: DES-CBC,0011223344556677\n\n"
                              "Zm9v\n-----END A-----\n",
     SSL_ERR_PEM_ENCRYPTED},
    {"other header", "-----BEGIN A-----\nComment: hello\n\nZm9v\n-----END A-----\n",
     SSL_ERR_PEM_BAD_BASE64},
};

static void test_malformations_have_named_errors(void **state)
{
    size_t failures = 0;
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(rows); i++) {
        char label[64];
        size_t len = 0;
        int got = first_block(rows[i].text, &len, label, sizeof label);
        if (got != rows[i].want) {
            fprintf(stderr, "row \"%s\": got %s, want %s\n", rows[i].what, ssl_error_name(got),
                    ssl_error_name(rows[i].want));
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* A bad block does not stop a bundle: the iterator has moved past it. */
static void test_iteration_continues_after_a_bad_block(void **state)
{
    static const char text[] =
        "-----BEGIN A-----\nZm9v\n-----END B-----\n"      /* mismatch */
        "-----BEGIN A-----\nZm*v\n-----END A-----\n"      /* bad base64 */
        "-----BEGIN A-----\nZm9v\n"                       /* interrupted */
        "-----BEGIN C-----\nYmFy\n-----END C-----\n"      /* good */
        "-----BEGIN D-----\nYmFy\n";                      /* no END */
    pl_pem_iter it;
    pl_pem_block b;
    bool found;
    (void)state;
    pl_pem_init(&it, (const uint8_t *)text, strlen(text));
    assert_int_equal(pl_pem_next(&it, out, sizeof out, &b, &found), SSL_ERR_PEM_LABEL_MISMATCH);
    assert_int_equal(pl_pem_next(&it, out, sizeof out, &b, &found), SSL_ERR_PEM_BAD_BASE64);
    assert_int_equal(pl_pem_next(&it, out, sizeof out, &b, &found), SSL_ERR_PEM_NO_END);
    assert_int_equal(pl_pem_next(&it, out, sizeof out, &b, &found), 0);
    assert_true(found);
    assert_true(pl_pem_label_is(&b, "C"));
    assert_memory_equal(out, "bar", 3);
    assert_int_equal(pl_pem_next(&it, out, sizeof out, &b, &found), SSL_ERR_PEM_NO_END);
    assert_int_equal(pl_pem_next(&it, out, sizeof out, &b, &found), 0);
    assert_false(found);
}

static void test_oversize_block_is_too_large(void **state)
{
    static const char text[] = "-----BEGIN A-----\nZm9vYmFy\n-----END A-----\n";
    uint8_t small[6];
    pl_pem_iter it;
    pl_pem_block b;
    bool found;
    (void)state;
    pl_pem_init(&it, (const uint8_t *)text, strlen(text));
    assert_int_equal(pl_pem_next(&it, small, 5, &b, &found), SSL_ERR_PEM_TOO_LARGE);
    pl_pem_init(&it, (const uint8_t *)text, strlen(text));
    assert_int_equal(pl_pem_next(&it, small, 6, &b, &found), 0);
    assert_int_equal(b.der_len, 6);
    assert_true(pl_pem_decoded_max(strlen(text)) >= 6);
    assert_int_equal(pl_pem_decoded_max((size_t)1 << 30), PL_PEM_MAX_DER);
}

/* More than PL_PEM_MAX_DER bytes fail even into a buffer big enough for them. */
static void test_block_over_the_limit_is_too_large(void **state)
{
    size_t body = (PL_PEM_MAX_DER / 3 + 1) * 4; /* decodes to just over the limit */
    size_t cap = body + 64;
    char *text = malloc(cap);
    uint8_t *big = malloc(PL_PEM_MAX_DER + 16);
    pl_pem_iter it;
    pl_pem_block b;
    bool found;
    size_t n;
    (void)state;
    assert_non_null(text);
    assert_non_null(big);
    n = (size_t)snprintf(text, cap, "-----BEGIN A-----\n");
    memset(text + n, 'A', body);
    n += body;
    n += (size_t)snprintf(text + n, cap - n, "\n-----END A-----\n");
    pl_pem_init(&it, (const uint8_t *)text, n);
    assert_int_equal(pl_pem_next(&it, big, PL_PEM_MAX_DER + 16, &b, &found),
                     SSL_ERR_PEM_TOO_LARGE);
    free(big);
    free(text);
}

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* A test-side encoder (RFC 4648 §4), wrapping at a random width, LF or CRLF. */
static size_t encode_block(const uint8_t *in, size_t len, char *text, size_t width, bool crlf)
{
    size_t n = 0, col = 0;
    char quad[4];
    n += (size_t)sprintf(text + n, "-----BEGIN DATA-----%s", crlf ? "\r\n" : "\n");
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        size_t take = len - i < 3 ? len - i : 3;
        if (take > 1) {
            v |= (uint32_t)in[i + 1] << 8;
        }
        if (take > 2) {
            v |= in[i + 2];
        }
        quad[0] = b64_alphabet[(v >> 18) & 63];
        quad[1] = b64_alphabet[(v >> 12) & 63];
        quad[2] = take > 1 ? b64_alphabet[(v >> 6) & 63] : '=';
        quad[3] = take > 2 ? b64_alphabet[v & 63] : '=';
        for (size_t k = 0; k < 4; k++) {
            text[n++] = quad[k];
            if (++col == width) {
                n += (size_t)sprintf(text + n, "%s", crlf ? "\r\n" : "\n");
                col = 0;
            }
        }
    }
    n += (size_t)sprintf(text + n, "%s-----END DATA-----%s", crlf ? "\r\n" : "\n",
                         crlf ? "\r\n" : "\n");
    return n;
}

/* Property: whatever the bytes, line width and line ending, decoding gives the bytes back. */
static void test_random_round_trips(void **state)
{
    static uint8_t data[700];
    static char text[8192]; /* 700 bytes: 936 characters, each on its own CRLF line at worst */
    (void)state;
    pl_test_seed();
    for (int round = 0; round < 300; round++) {
        size_t len = pl_test_below(sizeof data);
        size_t width = 1 + pl_test_below(80);
        bool crlf = pl_test_below(2) == 1;
        pl_pem_iter it;
        pl_pem_block b;
        bool found;
        size_t n;
        pl_test_fill(data, len);
        n = encode_block(data, len, text, width, crlf);
        pl_pem_init(&it, (const uint8_t *)text, n);
        assert_int_equal(pl_pem_next(&it, out, sizeof out, &b, &found), 0);
        assert_true(found);
        assert_int_equal(b.der_len, len);
        assert_memory_equal(out, data, len);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc4648_vectors_decode),
        cmocka_unit_test(test_blocks_with_text_between_are_read_in_order),
        cmocka_unit_test(test_crlf_and_lax_whitespace_are_accepted),
        cmocka_unit_test(test_end_of_text_without_final_newline),
        cmocka_unit_test(test_malformations_have_named_errors),
        cmocka_unit_test(test_iteration_continues_after_a_bad_block),
        cmocka_unit_test(test_oversize_block_is_too_large),
        cmocka_unit_test(test_block_over_the_limit_is_too_large),
        cmocka_unit_test(test_random_round_trips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
