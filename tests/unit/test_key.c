/* Key files (src/x509/key.c): every fixture in tests/data/keys (made by its make.sh with the
 * openssl command line and embedded through keys.inc) parses to the right algorithm and curve or
 * fails with its named error, and hand-made DER rows cover the rules the fixtures cannot show. */
#include "pl_test.h"

#include <stdio.h>

#include "x509/der.h"
#include "x509/key.h"
#include "x509/pem.h"

#include "../data/keys/keys.inc"

#define TEXT(s) ((const uint8_t *)(s)), (sizeof(s) - 1)

/* ---- the fixtures ---------------------------------------------------------------------- */

struct public_row {
    const char *name;
    const char *pem;
    size_t pem_len;
    int want;
    pl_key_alg alg;
    pl_ec_curve curve;
};

#define PUB(key, want, alg, curve) {#key, key, sizeof(key) - 1, want, alg, curve}

static void test_public_key_files(void **state)
{
    const struct public_row rows[] = {
        PUB(key_rsa2048_spki, 0, PL_KEY_RSA, 0),
        PUB(key_rsa2048_rsapublic, 0, PL_KEY_RSA, 0),
        PUB(key_ec_p256_spki, 0, PL_KEY_EC, PL_EC_P256),
        PUB(key_ec_p384_spki, 0, PL_KEY_EC, PL_EC_P384),
        PUB(key_bad_ec_p521_spki, SSL_ERR_CRYPTO_UNSUPPORTED_CURVE, 0, 0),
        PUB(key_bad_ed25519_spki, SSL_ERR_KEY_UNSUPPORTED_ALGORITHM, 0, 0),
        /* a private key file holds no public key block */
        PUB(key_ec_p256_sec1, SSL_ERR_PEM_NOT_FOUND, 0, 0),
        PUB(key_rsa2048_pkcs8, SSL_ERR_PEM_NOT_FOUND, 0, 0),
    };
    size_t failures = 0;
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(rows); i++) {
        pl_public_key key;
        int got = pl_key_load_public_pem(&key, (const uint8_t *)rows[i].pem, rows[i].pem_len);
        if (got != rows[i].want) {
            fprintf(stderr, "%s: got %s, want %s\n", rows[i].name, ssl_error_name(got),
                    ssl_error_name(rows[i].want));
            failures++;
            continue;
        }
        if (got == 0) {
            if (key.alg != rows[i].alg || (key.alg == PL_KEY_EC && key.curve != rows[i].curve)) {
                fprintf(stderr, "%s: wrong algorithm or curve\n", rows[i].name);
                failures++;
            }
            pl_key_public_free(&key);
        }
    }
    assert_int_equal(failures, 0);
}

static void test_private_key_files(void **state)
{
    const struct public_row rows[] = {
        PUB(key_rsa2048_pkcs1, 0, PL_KEY_RSA, 0),
        PUB(key_rsa2048_pkcs8, 0, PL_KEY_RSA, 0),
        PUB(key_ec_p256_sec1, 0, PL_KEY_EC, PL_EC_P256),
        PUB(key_ec_p256_pkcs8, 0, PL_KEY_EC, PL_EC_P256),
        PUB(key_ec_p256_with_params, 0, PL_KEY_EC, PL_EC_P256),
        PUB(key_ec_p384_sec1, 0, PL_KEY_EC, PL_EC_P384),
        PUB(key_ec_p384_pkcs8, 0, PL_KEY_EC, PL_EC_P384),
        PUB(key_ec_p384_with_params, 0, PL_KEY_EC, PL_EC_P384),
        PUB(key_bad_ec_p521_sec1, SSL_ERR_CRYPTO_UNSUPPORTED_CURVE, 0, 0),
        PUB(key_bad_ec_explicit_sec1, SSL_ERR_KEY_BAD_PARAMETERS, 0, 0),
        PUB(key_bad_ed25519_pkcs8, SSL_ERR_KEY_UNSUPPORTED_ALGORITHM, 0, 0),
        PUB(key_bad_rsa_pss_pkcs8, SSL_ERR_KEY_UNSUPPORTED_ALGORITHM, 0, 0),
        PUB(key_bad_rsa_encrypted_pkcs8, SSL_ERR_KEY_ENCRYPTED, 0, 0),
        PUB(key_bad_rsa_legacy_encrypted, SSL_ERR_PEM_ENCRYPTED, 0, 0),
        PUB(key_bad_ec_p256_mismatched_public, SSL_ERR_KEY_PUBLIC_MISMATCH, 0, 0),
        PUB(key_rsa2048_spki, SSL_ERR_PEM_NOT_FOUND, 0, 0),
    };
    size_t failures = 0;
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(rows); i++) {
        pl_private_key key;
        int got = pl_key_load_private_pem(&key, (const uint8_t *)rows[i].pem, rows[i].pem_len);
        if (got != rows[i].want) {
            fprintf(stderr, "%s: got %s, want %s\n", rows[i].name, ssl_error_name(got),
                    ssl_error_name(rows[i].want));
            failures++;
            continue;
        }
        if (got == 0) {
            if (key.alg != rows[i].alg || (key.alg == PL_KEY_EC && key.curve != rows[i].curve)) {
                fprintf(stderr, "%s: wrong algorithm or curve\n", rows[i].name);
                failures++;
            }
            pl_key_private_free(&key);
        }
    }
    assert_int_equal(failures, 0);
}

/* The first PEM block of a fixture, decoded (malloc; the caller frees). */
static uint8_t *fixture_der(const char *pem, size_t *len)
{
    uint8_t *buf = malloc(8192);
    pl_pem_iter it;
    pl_pem_block block;
    bool found;
    assert_non_null(buf);
    pl_pem_init(&it, (const uint8_t *)pem, strlen(pem));
    assert_int_equal(pl_pem_next(&it, buf, 8192, &block, &found), 0);
    assert_true(found);
    *len = block.der_len;
    return buf;
}

/* PKCS#8 wraps the very RSAPrivateKey that PKCS#1 holds: same modulus, same everything. */
static void test_rsa_pkcs1_and_pkcs8_hold_the_same_key(void **state)
{
    size_t len1, len8;
    uint8_t *der1 = fixture_der(key_rsa2048_pkcs1, &len1);
    uint8_t *der8 = fixture_der(key_rsa2048_pkcs8, &len8);
    uint8_t *spki = NULL;
    pl_der d, seq, alg, rsa, rsa8;
    pl_slice inner, n1, n8, ns, es, v;
    pl_spki info;
    size_t lens;
    (void)state;
    /* PrivateKeyInfo: version, algorithm, privateKey */
    pl_der_init(&d, der8, len8);
    assert_int_equal(pl_der_enter(&d, PL_DER_SEQUENCE, &seq), 0);
    assert_int_equal(pl_der_read_integer(&seq, &v), 0);
    assert_int_equal(pl_der_enter(&seq, PL_DER_SEQUENCE, &alg), 0);
    assert_int_equal(pl_der_read_octets(&seq, &inner), 0);
    assert_int_equal(inner.len, len1);
    assert_memory_equal(inner.ptr, der1, len1);
    /* and both moduli are the SPKI's */
    pl_der_init(&d, der1, len1);
    assert_int_equal(pl_der_enter(&d, PL_DER_SEQUENCE, &rsa), 0);
    assert_int_equal(pl_der_read_integer(&rsa, &v), 0);
    assert_int_equal(pl_der_read_uint(&rsa, &n1), 0);
    assert_int_equal(n1.len, 256);
    pl_der_init(&d, inner.ptr, inner.len);
    assert_int_equal(pl_der_enter(&d, PL_DER_SEQUENCE, &rsa8), 0);
    assert_int_equal(pl_der_read_integer(&rsa8, &v), 0);
    assert_int_equal(pl_der_read_uint(&rsa8, &n8), 0);
    assert_memory_equal(n1.ptr, n8.ptr, n1.len);
    spki = fixture_der(key_rsa2048_spki, &lens);
    assert_int_equal(pl_key_parse_spki_info((pl_slice){spki, lens}, &info), 0);
    assert_int_equal(info.alg, PL_KEY_RSA);
    assert_int_equal(info.raw.len, lens);
    assert_int_equal(pl_key_parse_rsa_public_der(info.key, &ns, &es), 0);
    assert_int_equal(ns.len, 256);
    assert_memory_equal(ns.ptr, n1.ptr, 256);
    pl_test_assert_hex(es.ptr, es.len, "010001");
    free(spki);
    free(der8);
    free(der1);
}

/* The key objects agree across formats: PKCS#1 and PKCS#8 give the same RSA key, whose public
 * half is the SPKI's and the RSAPublicKey's. */
static void test_rsa_key_objects_agree(void **state)
{
    pl_private_key k1, k8;
    pl_public_key spki, rsapub;
    const pl_rsa_public *p1, *p8;
    (void)state;
    assert_int_equal(pl_key_load_private_pem(&k1, TEXT(key_rsa2048_pkcs1)), 0);
    assert_int_equal(pl_key_load_private_pem(&k8, TEXT(key_rsa2048_pkcs8)), 0);
    assert_int_equal(pl_key_load_public_pem(&spki, TEXT(key_rsa2048_spki)), 0);
    assert_int_equal(pl_key_load_public_pem(&rsapub, TEXT(key_rsa2048_rsapublic)), 0);
    p1 = pl_rsa_private_public(&k1.u.rsa);
    p8 = pl_rsa_private_public(&k8.u.rsa);
    assert_int_equal(pl_rsa_public_bits(p1), 2048);
    assert_int_equal(pl_rsa_check_policy(p1), 0);
    assert_int_equal(p1->len, p8->len);
    assert_memory_equal(p1->n, p8->n, p1->len);
    assert_int_equal(p1->e, 65537);
    assert_int_equal(p8->e, 65537);
    assert_int_equal(spki.u.rsa.len, p1->len);
    assert_memory_equal(spki.u.rsa.n, p1->n, p1->len);
    assert_int_equal(rsapub.u.rsa.len, p1->len);
    assert_memory_equal(rsapub.u.rsa.n, p1->n, p1->len);
    assert_int_equal(rsapub.u.rsa.e, spki.u.rsa.e);
    pl_key_public_free(&rsapub);
    pl_key_public_free(&spki);
    pl_key_private_free(&k8);
    pl_key_private_free(&k1);
}

/* SEC1 and PKCS#8 give the same EC key, whose public point is the SPKI's, on both curves. */
static void test_ec_key_objects_agree(void **state)
{
    static const struct {
        const char *sec1, *pkcs8, *spki;
        size_t sec1_len, pkcs8_len, spki_len;
        size_t point_len;
    } rows[] = {
        {key_ec_p256_sec1, key_ec_p256_pkcs8, key_ec_p256_spki, sizeof key_ec_p256_sec1 - 1,
         sizeof key_ec_p256_pkcs8 - 1, sizeof key_ec_p256_spki - 1, 65},
        {key_ec_p384_sec1, key_ec_p384_pkcs8, key_ec_p384_spki, sizeof key_ec_p384_sec1 - 1,
         sizeof key_ec_p384_pkcs8 - 1, sizeof key_ec_p384_spki - 1, 97},
    };
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(rows); i++) {
        pl_private_key a, b;
        pl_public_key pub;
        const pl_ec_public *pa, *pb;
        assert_int_equal(
            pl_key_load_private_pem(&a, (const uint8_t *)rows[i].sec1, rows[i].sec1_len), 0);
        assert_int_equal(
            pl_key_load_private_pem(&b, (const uint8_t *)rows[i].pkcs8, rows[i].pkcs8_len), 0);
        assert_int_equal(
            pl_key_load_public_pem(&pub, (const uint8_t *)rows[i].spki, rows[i].spki_len), 0);
        pa = pl_ec_private_public(&a.u.ec);
        pb = pl_ec_private_public(&b.u.ec);
        assert_int_equal(pa->point_len, rows[i].point_len);
        assert_int_equal(pb->point_len, rows[i].point_len);
        assert_memory_equal(pa->point, pb->point, pa->point_len);
        assert_int_equal(pub.u.ec.point_len, rows[i].point_len);
        assert_memory_equal(pub.u.ec.point, pa->point, pa->point_len);
        pl_key_public_free(&pub);
        pl_key_private_free(&b);
        pl_key_private_free(&a);
    }
}

/* The loader passes over blocks that are not keys, but not over broken ones. */
static void test_loader_skips_other_blocks(void **state)
{
    static const char cert[] = "-----BEGIN CERTIFICATE-----\nZm9v\n-----END CERTIFICATE-----\n";
    static const char broken[] = "-----BEGIN CERTIFICATE-----\nZm*v\n-----END CERTIFICATE-----\n";
    char text[1024];
    pl_private_key key;
    pl_public_key pub;
    (void)state;
    snprintf(text, sizeof text, "%s%s", cert, key_ec_p256_sec1);
    assert_int_equal(pl_key_load_private_pem(&key, (const uint8_t *)text, strlen(text)), 0);
    assert_int_equal(key.alg, PL_KEY_EC);
    pl_key_private_free(&key);
    snprintf(text, sizeof text, "%s%s", cert, key_ec_p384_spki);
    assert_int_equal(pl_key_load_public_pem(&pub, (const uint8_t *)text, strlen(text)), 0);
    assert_int_equal(pub.curve, PL_EC_P384);
    pl_key_public_free(&pub);
    snprintf(text, sizeof text, "%s%s", broken, key_ec_p256_sec1);
    assert_int_equal(pl_key_load_private_pem(&key, (const uint8_t *)text, strlen(text)),
                     SSL_ERR_PEM_BAD_BASE64);
    assert_int_equal(pl_key_load_private_pem(&key, (const uint8_t *)"", 0), SSL_ERR_PEM_NOT_FOUND);
    assert_int_equal(pl_key_load_public_pem(&pub, TEXT(key_ec_p256_with_params)),
                     SSL_ERR_PEM_NOT_FOUND);
}

/* ---- hand-made DER ----------------------------------------------------------------------- */

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

#define RSA_OID "06 09 2a 86 48 86 f7 0d 01 01 01"
#define EC_OID "06 07 2a 86 48 ce 3d 02 01"
#define P256_OID "06 08 2a 86 48 ce 3d 03 01 07"
/* RSAPublicKey { n = 11, e = 3 } in a BIT STRING: only the structure is checked here. */
#define RSA_BITS "03 09 00 30 06 02 01 0b 02 01 03"
#define EC_BITS "03 03 00 04 00"

struct der_row {
    const char *what;
    const char *hex;
    int want;
};

/* RFC 5280 §4.1, RFC 3279 §2.3.1, RFC 5480 §2.1.1 */
static const struct der_row spki_rows[] = {
    {"rsaEncryption, NULL parameters", "30 1a 30 0d " RSA_OID " 05 00 " RSA_BITS, 0},
    {"rsaEncryption, parameters absent", "30 18 30 0b " RSA_OID " " RSA_BITS,
     SSL_ERR_KEY_BAD_PARAMETERS},
    {"rsaEncryption, OID parameters", "30 1c 30 0f " RSA_OID " 06 02 2a 03 " RSA_BITS,
     SSL_ERR_KEY_BAD_PARAMETERS},
    {"rsaEncryption, NULL twice", "30 1c 30 0f " RSA_OID " 05 00 05 00 " RSA_BITS,
     SSL_ERR_KEY_BAD_PARAMETERS},
    {"key bits with an unused bit",
     "30 1a 30 0d " RSA_OID " 05 00 03 09 01 30 06 02 01 0b 02 01 02",
     SSL_ERR_DER_BIT_STRING_NOT_OCTETS},
    {"trailing byte after the SPKI", "30 1a 30 0d " RSA_OID " 05 00 " RSA_BITS " 00",
     SSL_ERR_DER_TRAILING_DATA},
    {"trailing field inside the SPKI", "30 1c 30 0d " RSA_OID " 05 00 " RSA_BITS " 05 00",
     SSL_ERR_DER_TRAILING_DATA},
    {"not a SEQUENCE", "31 1a 30 0d " RSA_OID " 05 00 " RSA_BITS, SSL_ERR_DER_UNEXPECTED_TAG},
    {"id-ecPublicKey on secp256r1", "30 1a 30 13 " EC_OID " " P256_OID " " EC_BITS, 0},
    {"id-ecPublicKey on secp521r1", "30 17 30 10 " EC_OID " 06 05 2b 81 04 00 23 " EC_BITS,
     SSL_ERR_CRYPTO_UNSUPPORTED_CURVE},
    {"id-ecPublicKey, implicitCurve", "30 12 30 0b " EC_OID " 05 00 " EC_BITS,
     SSL_ERR_KEY_BAD_PARAMETERS},
    {"id-ecPublicKey, specifiedCurve", "30 12 30 0b " EC_OID " 30 00 " EC_BITS,
     SSL_ERR_KEY_BAD_PARAMETERS},
    {"id-ecPublicKey, parameters absent", "30 10 30 09 " EC_OID " " EC_BITS,
     SSL_ERR_KEY_BAD_PARAMETERS},
    {"id-RSASSA-PSS", "30 18 30 0b 06 09 2a 86 48 86 f7 0d 01 01 0a " RSA_BITS,
     SSL_ERR_KEY_UNSUPPORTED_ALGORITHM},
    {"Ed25519", "30 0c 30 05 06 03 2b 65 70 03 03 00 aa bb", SSL_ERR_KEY_UNSUPPORTED_ALGORITHM},
};

static void test_spki_rules(void **state)
{
    size_t failures = 0;
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(spki_rows); i++) {
        size_t len;
        uint8_t *der = unhex_spaced(spki_rows[i].hex, &len);
        pl_spki info;
        int got = pl_key_parse_spki_info((pl_slice){der, len}, &info);
        if (got != spki_rows[i].want) {
            fprintf(stderr, "row \"%s\": got %s, want %s\n", spki_rows[i].what,
                    ssl_error_name(got), ssl_error_name(spki_rows[i].want));
            failures++;
        }
        free(der);
    }
    assert_int_equal(failures, 0);
}

#define SCALAR32 "01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01" \
                 " 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01"

/* Structure rules of PKCS#1 (RFC 8017 A.1.2), SEC1 (RFC 5915 §3), PKCS#8 (RFC 5208 §5,
 * RFC 5958 §2) that fail before any key object is made. */
static const struct der_row private_rows[] = {
    {"PKCS#1 version 1 (multi-prime)", "30 03 02 01 01", SSL_ERR_KEY_MULTI_PRIME},
    {"PKCS#1 version 2", "30 03 02 01 02", SSL_ERR_KEY_BAD_VERSION},
    {"PKCS#1 negative modulus", "30 06 02 01 00 02 01 80", SSL_ERR_DER_NEGATIVE_INTEGER},
    {"PKCS#1 missing fields", "30 06 02 01 00 02 01 0b", SSL_ERR_DER_TRUNCATED},
    {"SEC1 version 0", "30 03 02 01 00", SSL_ERR_KEY_BAD_VERSION},
    {"SEC1 without parameters", "30 25 02 01 01 04 20 " SCALAR32, SSL_ERR_KEY_BAD_PARAMETERS},
    {"SEC1 scalar too long", "30 32 02 01 01 04 21 00 " SCALAR32 " a0 0a " P256_OID,
     SSL_ERR_CRYPTO_BAD_PRIVATE_KEY},
    {"SEC1 [1] before [0]", "30 36 02 01 01 04 20 " SCALAR32 " a1 03 03 01 00 a0 0a " P256_OID,
     SSL_ERR_DER_TRAILING_DATA},
    {"PKCS#8 version 2", "30 03 02 01 02", SSL_ERR_KEY_BAD_VERSION},
    {"PKCS#8 Ed25519", "30 2e 02 01 00 30 05 06 03 2b 65 70 04 22 04 20 " SCALAR32,
     SSL_ERR_KEY_UNSUPPORTED_ALGORITHM},
    {"PKCS#8 v1 with publicKey", "30 45 02 01 01 30 13 " EC_OID " " P256_OID
     " 04 27 30 25 02 01 01 04 20 " SCALAR32 " 81 02 00 04",
     SSL_ERR_KEY_BAD_VERSION},
};

static int parse_private_any(const char *what, pl_slice der)
{
    pl_private_key key;
    int rc;
    if (strncmp(what, "PKCS#1", 6) == 0) {
        rc = pl_key_parse_pkcs1(&key, der);
    } else if (strncmp(what, "SEC1", 4) == 0) {
        rc = pl_key_parse_sec1(&key, der);
    } else {
        rc = pl_key_parse_pkcs8(&key, der);
    }
    if (rc == 0) {
        pl_key_private_free(&key);
    }
    return rc;
}

static void test_private_structure_rules(void **state)
{
    size_t failures = 0;
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(private_rows); i++) {
        size_t len;
        uint8_t *der = unhex_spaced(private_rows[i].hex, &len);
        int got = parse_private_any(private_rows[i].what, (pl_slice){der, len});
        if (got != private_rows[i].want) {
            fprintf(stderr, "row \"%s\": got %s, want %s\n", private_rows[i].what,
                    ssl_error_name(got), ssl_error_name(private_rows[i].want));
            failures++;
        }
        free(der);
    }
    assert_int_equal(failures, 0);
}

/* A PKCS#8 AlgorithmIdentifier naming secp384r1 around a SEC1 key whose [0] says secp256r1. */
static void test_pkcs8_curve_must_match_sec1_parameters(void **state)
{
    static const uint8_t head[] = {
        0x02, 0x01, 0x00,                                     /* version 0 */
        0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, /* id-ecPublicKey */
        0x02, 0x01, 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22, /* secp384r1 */
    };
    size_t len;
    uint8_t *sec1 = fixture_der(key_ec_p256_sec1, &len);
    uint8_t buf[512];
    pl_writer w;
    size_t outer, inner;
    pl_private_key key;
    (void)state;
    assert_true(len < 128);
    pl_writer_init(&w, buf, sizeof buf);
    assert_int_equal(pl_write_u8(&w, 0x30), 0);
    assert_int_equal(pl_write_u8(&w, 0x81), 0);
    assert_int_equal(pl_write_open8(&w, &outer), 0);
    assert_int_equal(pl_write_bytes(&w, head, sizeof head), 0);
    assert_int_equal(pl_write_u8(&w, 0x04), 0);
    assert_int_equal(pl_write_open8(&w, &inner), 0);
    assert_int_equal(pl_write_bytes(&w, sec1, len), 0);
    assert_int_equal(pl_write_close8(&w, inner), 0);
    assert_int_equal(pl_write_close8(&w, outer), 0);
    assert_int_equal(pl_key_parse_pkcs8(&key, (pl_slice){buf, pl_writer_len(&w)}),
                     SSL_ERR_KEY_CURVE_MISMATCH);
    free(sec1);
}

/* Every truncation of every fixture's DER fails with a named error and leaks nothing. */
static void test_truncated_keys_fail_cleanly(void **state)
{
    const char *pems[] = {key_rsa2048_pkcs1, key_ec_p256_sec1, key_ec_p384_pkcs8,
                          key_rsa2048_spki, key_ec_p256_spki};
    (void)state;
    for (size_t k = 0; k < PL_ARRAY_LEN(pems); k++) {
        size_t len;
        uint8_t *der = fixture_der(pems[k], &len);
        for (size_t cut = 0; cut < len; cut += (cut < 200 ? 1 : 97)) {
            uint8_t *copy = malloc(cut + 1);
            pl_slice s = {copy, cut};
            pl_public_key pub;
            pl_private_key priv;
            assert_non_null(copy);
            memcpy(copy, der, cut);
            assert_true(pl_key_parse_spki(&pub, s) < 0);
            assert_true(pl_key_parse_pkcs1(&priv, s) < 0);
            assert_true(pl_key_parse_pkcs8(&priv, s) < 0);
            assert_true(pl_key_parse_sec1(&priv, s) < 0);
            free(copy);
        }
        free(der);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_public_key_files),
        cmocka_unit_test(test_private_key_files),
        cmocka_unit_test(test_rsa_pkcs1_and_pkcs8_hold_the_same_key),
        cmocka_unit_test(test_rsa_key_objects_agree),
        cmocka_unit_test(test_ec_key_objects_agree),
        cmocka_unit_test(test_loader_skips_other_blocks),
        cmocka_unit_test(test_spki_rules),
        cmocka_unit_test(test_private_structure_rules),
        cmocka_unit_test(test_pkcs8_curve_must_match_sec1_parameters),
        cmocka_unit_test(test_truncated_keys_fail_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
