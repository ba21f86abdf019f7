/* Certificate parsing (src/x509/cert.c): real certificates made by OpenSSL (tests/data/certs,
 * see make.sh there) parse to what OpenSSL put in them; hand-built certificates with one field
 * broken are each refused with the error that names the broken rule; every truncation of every
 * fixture fails cleanly. */
#include <stdlib.h>

#include "pl_test.h"

#include "crypto/hash.h"
#include "x509/cert.h"

#include "../data/certs/certs.inc"

/* ---- real certificates ------------------------------------------------------------------ */

static void parse_ok(pl_cert *c, const uint8_t *der, size_t len)
{
    int rc = pl_cert_parse(c, der, len);
    if (rc != 0) {
        fail_msg("parse failed: %s", ssl_error_name(rc));
    }
}

static void test_cert_rsa_ca(void **state)
{
    pl_cert c;
    char name[128];
    (void)state;
    parse_ok(&c, cert_ca_rsa, sizeof cert_ca_rsa);
    assert_int_equal(c.version, 3);
    assert_int_equal(c.sig, PL_CERT_SIG_SHA256_RSA);
    assert_true(c.ca);
    assert_int_equal(c.path_len, 1);
    assert_int_equal(c.key_usage, PL_KU_KEY_CERT_SIGN | PL_KU_CRL_SIGN);
    assert_int_equal(c.ext, PL_EXT_BASIC_CONSTRAINTS | PL_EXT_KEY_USAGE | PL_EXT_SUBJECT_KEY_ID);
    assert_int_equal(c.critical, PL_EXT_BASIC_CONSTRAINTS | PL_EXT_KEY_USAGE);
    assert_int_equal(c.subject_key_id.len, 20);
    assert_int_equal(c.issuer.len, c.subject.len);
    assert_memory_equal(c.issuer.ptr, c.subject.ptr, c.issuer.len);
    assert_int_equal(c.not_after - c.not_before, 3650 * 86400);
    assert_int_equal(c.signature.len, 256);
    assert_ptr_equal(c.der.ptr, cert_ca_rsa);
    assert_true(c.tbs.len > 0 && c.tbs.len < c.der.len);
    pl_cert_name_string(c.subject, name, sizeof name);
    assert_string_equal(name, "C=GB, O=Padlock Test, CN=Padlock Test RSA CA");
}

static void test_cert_rsa_leaf_extensions(void **state)
{
    static const uint8_t v4[4] = {127, 0, 0, 1};
    static const uint8_t v6[16] = {[15] = 1};
    pl_cert c, ca;
    pl_der it;
    pl_general_name gn;
    char name[128];
    int n = 0;
    (void)state;
    parse_ok(&ca, cert_ca_rsa, sizeof cert_ca_rsa);
    parse_ok(&c, cert_leaf_rsa, sizeof cert_leaf_rsa);
    assert_false(c.ca); /* CA:FALSE is an empty BasicConstraints SEQUENCE */
    assert_int_equal(c.path_len, -1);
    assert_int_equal(c.key_usage, PL_KU_DIGITAL_SIGNATURE | PL_KU_KEY_ENCIPHERMENT);
    assert_int_equal(c.ext_key_usage, PL_EKU_SERVER_AUTH | PL_EKU_CLIENT_AUTH);
    assert_true(c.ext & PL_EXT_CERT_POLICIES);
    assert_true(c.ext & PL_EXT_AUTHORITY_KEY_ID);
    assert_int_equal(c.authority_key_id.len, ca.subject_key_id.len);
    assert_memory_equal(c.authority_key_id.ptr, ca.subject_key_id.ptr, ca.subject_key_id.len);
    assert_int_equal(c.issuer.len, ca.subject.len);
    assert_memory_equal(c.issuer.ptr, ca.subject.ptr, ca.subject.len);
    pl_cert_names_init(&it, c.san);
    while (pl_cert_next_name(&it, &gn)) {
        switch (n++) {
        case 0:
            assert_int_equal(gn.tag, PL_GN_DNS);
            assert_int_equal(gn.value.len, 11);
            assert_memory_equal(gn.value.ptr, "example.com", 11);
            break;
        case 1:
            assert_int_equal(gn.tag, PL_GN_DNS);
            assert_memory_equal(gn.value.ptr, "*.example.org", 13);
            break;
        case 2:
            assert_int_equal(gn.tag, PL_GN_IP);
            assert_int_equal(gn.value.len, 4);
            assert_memory_equal(gn.value.ptr, v4, 4);
            break;
        case 3:
            assert_int_equal(gn.tag, PL_GN_IP);
            assert_int_equal(gn.value.len, 16);
            assert_memory_equal(gn.value.ptr, v6, 16);
            break;
        default:
            assert_int_equal(gn.tag, 0x81); /* rfc822Name: kept, not matched */
        }
    }
    assert_int_equal(n, 5);
    pl_cert_name_string(c.subject, name, sizeof name);
    assert_string_equal(name, "CN=example.com, O=Example \"Quoted\" Ltd");
}

static void test_cert_name_constraints(void **state)
{
    pl_cert c;
    pl_der it;
    pl_general_name gn;
    (void)state;
    parse_ok(&c, cert_ca_ec, sizeof cert_ca_ec);
    assert_int_equal(c.sig, PL_CERT_SIG_ECDSA_SHA256);
    assert_int_equal(c.path_len, 0);
    assert_true(c.critical & PL_EXT_NAME_CONSTRAINTS);
    pl_cert_names_init(&it, c.permitted);
    /* permitted holds GeneralSubtree SEQUENCEs; their first element is the base */
    assert_true(pl_cert_next_name(&it, &gn));
    assert_int_equal(gn.tag, PL_DER_SEQUENCE);
    assert_true(c.excluded.len > 0);
}

static void test_cert_signature_algorithms(void **state)
{
    pl_cert c;
    (void)state;
    parse_ok(&c, cert_leaf_pss, sizeof cert_leaf_pss);
    assert_int_equal(c.sig, PL_CERT_SIG_RSA_PSS);
    assert_ptr_equal(c.pss_hash, &pl_sha384_class);
    parse_ok(&c, cert_leaf_sha1, sizeof cert_leaf_sha1);
    assert_int_equal(c.sig, PL_CERT_SIG_SHA1_RSA);
    parse_ok(&c, cert_leaf_ec384, sizeof cert_leaf_ec384);
    assert_int_equal(c.sig, PL_CERT_SIG_ECDSA_SHA384);
    assert_null(c.pss_hash);
}

static void test_cert_versions_times_and_unknown_extensions(void **state)
{
    pl_cert c;
    char when[21];
    (void)state;
    parse_ok(&c, cert_leaf_v1, sizeof cert_leaf_v1);
    assert_int_equal(c.version, 1);
    assert_int_equal(c.ext, 0);
    parse_ok(&c, cert_leaf_2051, sizeof cert_leaf_2051);
    pl_cert_time_string(c.not_after, when); /* a GeneralizedTime */
    assert_memory_equal(when, "205", 3);
    parse_ok(&c, cert_leaf_unknown, sizeof cert_leaf_unknown);
    assert_true(c.ext & PL_EXT_OTHER);
    assert_true(c.ext & PL_EXT_SUBJECT_ALT_NAME);
    assert_int_equal(pl_cert_parse(&c, cert_leaf_unknown_critical,
                                   sizeof cert_leaf_unknown_critical),
                     SSL_ERR_CERT_UNKNOWN_CRITICAL_EXTENSION);
}

static void test_cert_time_string(void **state)
{
    static const struct {
        int64_t t;
        const char *s;
    } rows[] = {
        {0, "1970-01-01T00:00:00Z"},          {951782400, "2000-02-29T00:00:00Z"},
        {2147483647, "2038-01-19T03:14:07Z"}, {-1, "1969-12-31T23:59:59Z"},
        {4102444800, "2100-01-01T00:00:00Z"}, {-631152000, "1950-01-01T00:00:00Z"},
    };
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(rows); i++) {
        char s[21];
        pl_cert_time_string(rows[i].t, s);
        assert_string_equal(s, rows[i].s);
    }
}

/* Every proper prefix of every fixture fails, and so does one byte more. */
static void test_cert_truncations_and_trailing_bytes_fail(void **state)
{
    static const struct {
        const uint8_t *der;
        size_t len;
    } all[] = {
        {cert_ca_rsa, sizeof cert_ca_rsa},       {cert_ca_ec, sizeof cert_ca_ec},
        {cert_leaf_rsa, sizeof cert_leaf_rsa},   {cert_leaf_pss, sizeof cert_leaf_pss},
        {cert_leaf_ec384, sizeof cert_leaf_ec384},
    };
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(all); i++) {
        uint8_t *copy = malloc(all[i].len + 1);
        pl_cert c;
        memcpy(copy, all[i].der, all[i].len);
        for (size_t n = 0; n < all[i].len; n++) {
            assert_true(pl_cert_parse(&c, copy, n) < 0);
        }
        copy[all[i].len] = 0;
        assert_int_equal(pl_cert_parse(&c, copy, all[i].len + 1), SSL_ERR_DER_TRAILING_DATA);
        free(copy);
    }
}

/* ---- hand-built certificates ------------------------------------------------------------- */

struct buf {
    uint8_t b[2048];
    size_t n;
};

static void put_hex(struct buf *out, const char *hex)
{
    size_t len;
    uint8_t *bytes = pl_test_unhex(hex, &len);
    assert_true(out->n + len <= sizeof out->b);
    memcpy(out->b + out->n, bytes, len);
    out->n += len;
    free(bytes);
}

/* Append tag, DER length, contents. */
static void put_tlv(struct buf *out, uint8_t tag, const struct buf *content)
{
    size_t len = content->n;
    out->b[out->n++] = tag;
    if (len < 0x80) {
        out->b[out->n++] = (uint8_t)len;
    } else if (len < 0x100) {
        out->b[out->n++] = 0x81;
        out->b[out->n++] = (uint8_t)len;
    } else {
        out->b[out->n++] = 0x82;
        out->b[out->n++] = (uint8_t)(len >> 8);
        out->b[out->n++] = (uint8_t)len;
    }
    memcpy(out->b + out->n, content->b, len);
    out->n += len;
}

/* The fields of a small certificate, as complete TLVs in hex ("" leaves a field out). */
struct fields {
    const char *version, *serial, *sig_alg, *issuer, *validity, *subject, *spki;
    const char *extensions; /* Extension TLVs, wrapped in [3] { SEQUENCE } unless NULL */
    const char *outer_alg, *signature;
};

static const struct fields good = {
    .version = "a003020102",
    .serial = "020101",
    .sig_alg = "300d06092a864886f70d01010b0500",
    .issuer = "300f310d300b06035504030c0454657374",   /* CN=Test */
    .validity = "301e170d3234303130313030303030305a170d3334303130313030303030305a",
    .subject = "300f310d300b06035504030c0454657374",
    .spki = "3003020100",
    .extensions = "300f0603551d130101ff040530030101ff", /* basicConstraints critical CA */
    .outer_alg = "300d06092a864886f70d01010b0500",
    .signature = "030300abcd",
};

static size_t build(const struct fields *f, uint8_t *out)
{
    struct buf tbs = {.n = 0}, tbs_tlv = {.n = 0}, body = {.n = 0}, cert = {.n = 0};
    put_hex(&tbs, f->version);
    put_hex(&tbs, f->serial);
    put_hex(&tbs, f->sig_alg);
    put_hex(&tbs, f->issuer);
    put_hex(&tbs, f->validity);
    put_hex(&tbs, f->subject);
    put_hex(&tbs, f->spki);
    if (f->extensions != NULL) {
        struct buf list = {.n = 0}, seq = {.n = 0};
        put_hex(&list, f->extensions);
        put_tlv(&seq, 0x30, &list);
        put_tlv(&tbs, 0xa3, &seq);
    }
    put_tlv(&tbs_tlv, 0x30, &tbs);
    memcpy(body.b, tbs_tlv.b, tbs_tlv.n);
    body.n = tbs_tlv.n;
    put_hex(&body, f->outer_alg);
    put_hex(&body, f->signature);
    put_tlv(&cert, 0x30, &body);
    memcpy(out, cert.b, cert.n);
    return cert.n;
}

enum field_id { F_VERSION, F_SERIAL, F_SIG_ALG, F_ISSUER, F_VALIDITY, F_EXTENSIONS, F_BOTH_ALGS };

static const struct {
    enum field_id field;
    const char *hex; /* NULL for F_EXTENSIONS: no extensions block */
    int want;
    const char *why;
} rows[] = {
    {F_VERSION, "a003020102", 0, "the good certificate"},
    {F_VERSION, "a003020100", SSL_ERR_CERT_BAD_VERSION, "v1 written out (DER omits DEFAULT)"},
    {F_VERSION, "a003020103", SSL_ERR_CERT_BAD_VERSION, "version 4"},
    {F_VERSION, "", SSL_ERR_CERT_BAD_VERSION, "v1 with extensions"},
    {F_VERSION, "a003020101", SSL_ERR_CERT_BAD_VERSION, "v2 with extensions"},
    {F_SERIAL, "0201ff", SSL_ERR_CERT_BAD_SERIAL, "negative serial"},
    {F_SERIAL, "02020001", SSL_ERR_DER_NOT_MINIMAL_INTEGER, "serial not minimal"},
    {F_SERIAL, "021500ffffffffffffffffffffffffffffffffffffffff", 0, "20-octet serial"},
    {F_SERIAL, "0215010000000000000000000000000000000000000000", SSL_ERR_CERT_BAD_SERIAL,
     "21-octet serial"},
    {F_SIG_ALG, "300b06092a864886f70d01010b", SSL_ERR_CERT_SIG_ALG_MISMATCH,
     "inner without NULL, outer with"},
    {F_BOTH_ALGS, "300b06092a864886f70d01010b", 0, "PKCS #1 with parameters absent"},
    {F_BOTH_ALGS, "300c06082a8648ce3d0403020500", SSL_ERR_CERT_BAD_SIG_ALG,
     "ECDSA with NULL parameters (RFC 5758: absent)"},
    {F_BOTH_ALGS, "300f06092a864886f70d01010b020100", SSL_ERR_CERT_BAD_SIG_ALG,
     "PKCS #1 with an INTEGER parameter"},
    {F_BOTH_ALGS, "300d06092a864886f70d01010a3000", SSL_ERR_CERT_BAD_SIG_ALG,
     "RSASSA-PSS with SHA-1 defaults"},
    {F_BOTH_ALGS, "300c06082a030405060708090500", 0, "an unknown algorithm is kept by name"},
    {F_ISSUER, "30023100", SSL_ERR_CERT_BAD_NAME, "an empty RDN"},
    {F_ISSUER, "310f310d300b06035504030c0454657374", SSL_ERR_CERT_BAD_NAME, "Name as a SET"},
    {F_ISSUER, "3000", 0, "an empty Name parses (the validator judges)"},
    {F_VALIDITY, "301e170d3234303233303030303030305a170d3334303130313030303030305a",
     SSL_ERR_CERT_BAD_TIME, "February 30th"},
    {F_VALIDITY, "301e170d3234303232393030303030305a170d3334303130313030303030305a", 0,
     "2024-02-29 (leap year)"},
    {F_VALIDITY, "301e170d3233303232393030303030305a170d3334303130313030303030305a",
     SSL_ERR_CERT_BAD_TIME, "2023-02-29"},
    {F_VALIDITY, "301e170d3234303130313234303030305a170d3334303130313030303030305a",
     SSL_ERR_CERT_BAD_TIME, "hour 24"},
    {F_VALIDITY, "301d170c32343031303130303030305a170d3334303130313030303030305a",
     SSL_ERR_CERT_BAD_TIME, "UTCTime without seconds"},
    {F_VALIDITY, "3022170d3234303130313030303030305a18113230353030313031303030303030305a",
     SSL_ERR_CERT_BAD_TIME, "GeneralizedTime with a fraction"},
    {F_VALIDITY, "3020170d3234303130313030303030305a180f32303530303130313030303030305a", 0,
     "GeneralizedTime for 2050"},
    {F_VALIDITY, "301e170d3234303130313030303030302b170d3334303130313030303030305a",
     SSL_ERR_CERT_BAD_TIME, "not Zulu"},
    {F_VALIDITY, "301e130d3234303130313030303030305a170d3334303130313030303030305a",
     SSL_ERR_CERT_BAD_TIME, "a PrintableString time"},
    {F_EXTENSIONS, NULL, 0, "v3 without extensions"},
    {F_EXTENSIONS, "", SSL_ERR_CERT_BAD_EXTENSION, "an empty extensions list"},
    {F_EXTENSIONS, "300f0603551d130101ff040530030101ff300f0603551d130101ff040530030101ff",
     SSL_ERR_CERT_DUPLICATE_EXTENSION, "basicConstraints twice"},
    {F_EXTENSIONS, "300c06032a03040101ff04023000", SSL_ERR_CERT_UNKNOWN_CRITICAL_EXTENSION,
     "unknown and critical"},
    {F_EXTENSIONS, "300906032a030404023000300906032a030404023000",
     SSL_ERR_CERT_DUPLICATE_EXTENSION, "an unknown extension twice"},
    {F_EXTENSIONS, "300f0603551d13010100040530030101ff", SSL_ERR_CERT_BAD_EXTENSION,
     "critical FALSE written out"},
    {F_EXTENSIONS, "30090603551d1304023000", 0, "CA:FALSE as an empty SEQUENCE"},
    {F_EXTENSIONS, "300c0603551d1304053003010100", SSL_ERR_CERT_BAD_EXTENSION,
     "cA FALSE written out"},
    {F_EXTENSIONS, "300c0603551d1304053003020101", SSL_ERR_CERT_BAD_EXTENSION,
     "pathLenConstraint without cA"},
    {F_EXTENSIONS, "300a0603551d0f0403030100", SSL_ERR_CERT_BAD_EXTENSION, "keyUsage no bits"},
    {F_EXTENSIONS, "300b0603551d0f040403020780", 0, "keyUsage digitalSignature"},
    {F_EXTENSIONS, "30090603551d1104023000", SSL_ERR_CERT_BAD_SAN, "an empty SAN"},
    {F_EXTENSIONS, "30100603551d110409300787050102030405", SSL_ERR_CERT_BAD_SAN,
     "a 5-byte iPAddress"},
    {F_EXTENSIONS, "300e0603551d1104073005820361006e", SSL_ERR_CERT_BAD_SAN,
     "a NUL in a dNSName"},
    {F_EXTENSIONS, "30090603551d2504023000", SSL_ERR_CERT_BAD_EXTENSION, "an empty EKU"},
    {F_EXTENSIONS, "30090603551d1e04023000", SSL_ERR_CERT_BAD_EXTENSION,
     "nameConstraints with no subtrees"},
    {F_EXTENSIONS, "30120603551d1e040b3009a00730058203612e62", 0,
     "nameConstraints permitting a.b"},
    {F_EXTENSIONS, "30150603551d1e040e300ca00a30088203612e62800101", SSL_ERR_CERT_BAD_EXTENSION,
     "a subtree with a minimum"},
    {F_EXTENSIONS, "300c0603551d0e040504020102ff", SSL_ERR_CERT_BAD_EXTENSION,
     "bytes after the value inside extnValue"},
};

static void test_cert_hand_built_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(rows); i++) {
        struct fields f = good;
        uint8_t der[2048];
        size_t len;
        pl_cert c;
        int rc;
        switch (rows[i].field) {
        case F_VERSION:
            f.version = rows[i].hex;
            break;
        case F_SERIAL:
            f.serial = rows[i].hex;
            break;
        case F_SIG_ALG:
            f.sig_alg = rows[i].hex;
            break;
        case F_BOTH_ALGS:
            f.sig_alg = rows[i].hex;
            f.outer_alg = rows[i].hex;
            break;
        case F_ISSUER:
            f.issuer = rows[i].hex;
            break;
        case F_VALIDITY:
            f.validity = rows[i].hex;
            break;
        case F_EXTENSIONS:
        default:
            f.extensions = rows[i].hex;
            break;
        }
        len = build(&f, der);
        rc = pl_cert_parse(&c, der, len);
        if (rc != rows[i].want) {
            fail_msg("row %zu (%s): got %s, want %s", i, rows[i].why,
                     rc == 0 ? "success" : ssl_error_name(rc),
                     rows[i].want == 0 ? "success" : ssl_error_name(rows[i].want));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cert_rsa_ca),
        cmocka_unit_test(test_cert_rsa_leaf_extensions),
        cmocka_unit_test(test_cert_name_constraints),
        cmocka_unit_test(test_cert_signature_algorithms),
        cmocka_unit_test(test_cert_versions_times_and_unknown_extensions),
        cmocka_unit_test(test_cert_time_string),
        cmocka_unit_test(test_cert_truncations_and_trailing_bytes_fail),
        cmocka_unit_test(test_cert_hand_built_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
