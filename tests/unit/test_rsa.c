/* RSA (src/crypto/rsa.c, rsa_mont.c, bn.c): key checks, a known-answer signature, properties of
 * every operation, the exact error codes, the fault guard, the TLS pre-master secret rules of
 * RFC 5246 §7.4.7.1 for every class of bad padding, and key generation.
 *
 * No RFC 8017 example vectors are bundled offline; answers from elsewhere come from the
 * Wycheproof files (test_wycheproof_rsa_*.c), from OpenSSL's command line (the fixed key and the
 * known-answer signature below) and from tests/cross/cross_rsa.c. The Montgomery code is checked
 * here against libtommath-free identities and in cross_rsa.c against OpenSSL's BN_mod_exp. */
#include "pl_test.h"

#include "crypto/bn.h"
#include "crypto/rsa.h"
#include "crypto/rsa_mont.h"

#include "../data/keys/rsa2048_parts.inc"
static const char kat_sig_sha256_abc[] =
    "1d39583381a586f858458ad8279a2713f67d77c8e0d4767bd46102e45a3b2e7bc52a1d56818f98b4f588d2d0"
    "b92f6dbe0de2d54bbd23cfe8bdf179470489c55c8af65e24593ea7db8936d64aeb24e3c68d060bdcaca2288a"
    "2766581c3a83603dc0cbd2e63f317a4d597de1043c8a157ef50af9b7bead9cdbaa114fc4be8aa6a4a316a8ec"
    "0f910812edcec4b0af12e67efbf1b426da3de1c6babb91a698fb4a358b83e5cdcacd52333373d48eaf92e281"
    "7eea106fec4fab1526fb18e727ec275fc6a3f5e624d2072cb345118496bf494d4f79112bb6c65780a8a43373"
    "e6e529d34b2188ce772e4349ff85943cb1d5580de8f4220edf0fa89092de48c946fcc23e";

/* `echo -n abc | openssl dgst -sha256 -sign key.pem`: RSASSA-PKCS1-v1_5 with SHA-256 of "abc"
 * under the key above (deterministic, so a known answer). */
static const char sha256_abc[] =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

static const uint8_t e_65537[3] = {0x01, 0x00, 0x01};

struct key_bytes {
    uint8_t *n, *d, *p, *q, *dp, *dq, *qinv;
    size_t n_len, d_len, p_len, q_len, dp_len, dq_len, qinv_len;
};

static struct key_bytes kb;
static pl_rsa_private key;
static const pl_rsa_public *pub;

static struct pl_rsa_parts parts_of(const struct key_bytes *b)
{
    return (struct pl_rsa_parts){
        .n = b->n, .n_len = b->n_len, .e = e_65537, .e_len = sizeof e_65537,
        .d = b->d, .d_len = b->d_len, .p = b->p, .p_len = b->p_len,
        .q = b->q, .q_len = b->q_len, .dp = b->dp, .dp_len = b->dp_len,
        .dq = b->dq, .dq_len = b->dq_len, .qinv = b->qinv, .qinv_len = b->qinv_len,
    };
}

static int setup(void **state)
{
    struct pl_rsa_parts parts;
    (void)state;
    kb.n = pl_test_unhex(key_n, &kb.n_len);
    kb.d = pl_test_unhex(key_d, &kb.d_len);
    kb.p = pl_test_unhex(key_p, &kb.p_len);
    kb.q = pl_test_unhex(key_q, &kb.q_len);
    kb.dp = pl_test_unhex(key_dp, &kb.dp_len);
    kb.dq = pl_test_unhex(key_dq, &kb.dq_len);
    kb.qinv = pl_test_unhex(key_qinv, &kb.qinv_len);
    parts = parts_of(&kb);
    if (pl_rsa_private_init(&key, &parts) != 0) {
        return -1;
    }
    pub = pl_rsa_private_public(&key);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pl_rsa_private_free(&key);
    free(kb.n);
    free(kb.d);
    free(kb.p);
    free(kb.q);
    free(kb.dp);
    free(kb.dq);
    free(kb.qinv);
    return 0;
}

static const pl_hash_class *const hashes[] = {&pl_sha1_class, &pl_sha256_class, &pl_sha384_class,
                                              &pl_sha512_class};

static void digest_of(const pl_hash_class *h, const void *msg, size_t len, uint8_t *out)
{
    pl_hash_ctx c;
    h->init(&c);
    h->update(&c, msg, len);
    h->final(&c, out);
}

/* ---- keys ------------------------------------------------------------------------------------ */

static void test_rsa_public_init_reads_the_key(void **state)
{
    uint8_t padded[300];
    pl_rsa_public k;
    (void)state;
    assert_int_equal(pl_rsa_public_bits(pub), 2048);
    assert_int_equal(pl_rsa_public_len(pub), 256);
    /* leading zero bytes in n and e are allowed */
    memset(padded, 0, sizeof padded);
    memcpy(padded + 44, kb.n, 256);
    assert_int_equal(pl_rsa_public_init(&k, padded, 300, (const uint8_t *)"\0\0\1\0\1", 5), 0);
    assert_int_equal(k.bits, 2048);
    assert_int_equal(k.len, 256);
    assert_int_equal(k.e, 65537);
    assert_memory_equal(k.n, kb.n, 256);
    assert_int_equal(pl_rsa_check_policy(&k), 0);
    pl_rsa_public_free(&k);
}

static void test_rsa_public_init_refuses_bad_keys(void **state)
{
    uint8_t n[1100];
    pl_rsa_public k;
    static const uint8_t e_even[] = {0x01, 0x00, 0x00}, e_one[] = {0x01};
    static const uint8_t e_big[] = {0x01, 0x00, 0x00, 0x00, 0x01}; /* 2^32 + 1 */
    (void)state;
    memcpy(n, kb.n, 256);
    assert_int_equal(pl_rsa_public_init(&k, n, 256, e_even, sizeof e_even),
                     SSL_ERR_CRYPTO_RSA_BAD_KEY);
    assert_int_equal(pl_rsa_public_init(&k, n, 256, e_one, sizeof e_one),
                     SSL_ERR_CRYPTO_RSA_BAD_KEY);
    assert_int_equal(pl_rsa_public_init(&k, n, 256, e_big, sizeof e_big),
                     SSL_ERR_CRYPTO_RSA_BAD_KEY);
    assert_int_equal(pl_rsa_public_init(&k, n, 256, e_one, 0), SSL_ERR_CRYPTO_RSA_BAD_KEY);
    n[255] ^= 1; /* even modulus */
    assert_int_equal(pl_rsa_public_init(&k, n, 256, e_65537, 3), SSL_ERR_CRYPTO_RSA_BAD_KEY);
    n[255] ^= 1;
    /* 511 bits: too small to be a key at all; 512 bits: accepted, refused by policy */
    n[192] = 0xff;
    n[128] = 0xff;
    assert_int_equal(pl_rsa_public_init(&k, n + 192, 64, e_65537, 3), 0);
    assert_int_equal(pl_rsa_check_policy(&k), SSL_ERR_CRYPTO_RSA_KEY_TOO_SMALL);
    n[192] = 0x7f;
    assert_int_equal(pl_rsa_public_init(&k, n + 192, 64, e_65537, 3),
                     SSL_ERR_CRYPTO_RSA_BAD_KEY);
    /* 1024 bits (RFC 8017 allows it; padlock's TLS policy does not) */
    assert_int_equal(pl_rsa_public_init(&k, n + 128, 128, e_65537, 3), 0);
    assert_int_equal(pl_rsa_check_policy(&k), SSL_ERR_CRYPTO_RSA_KEY_TOO_SMALL);
    /* 8192 bits accepted, 8193 refused as too large */
    memset(n, 0xa5, sizeof n);
    assert_int_equal(pl_rsa_public_init(&k, n, 1024, e_65537, 3), 0);
    assert_int_equal(pl_rsa_public_bits(&k), 8192);
    assert_int_equal(pl_rsa_public_init(&k, n, 1025, e_65537, 3),
                     SSL_ERR_CRYPTO_RSA_KEY_TOO_LARGE);
}

/* Each part changed by one bit (or swapped for another) breaks a relation of RFC 8017 §3.2. */
static void test_rsa_private_init_refuses_inconsistent_parts(void **state)
{
    uint8_t **fields[] = {&kb.n, &kb.d, &kb.p, &kb.q, &kb.dp, &kb.dq, &kb.qinv};
    size_t lens[] = {kb.n_len, kb.d_len, kb.p_len, kb.q_len, kb.dp_len, kb.dq_len, kb.qinv_len};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(fields); i++) {
        pl_rsa_private k;
        struct pl_rsa_parts parts;
        uint8_t *f = *fields[i];
        f[lens[i] - 2] ^= 0x10;
        parts = parts_of(&kb);
        assert_int_equal(pl_rsa_private_init(&k, &parts), SSL_ERR_CRYPTO_BAD_PRIVATE_KEY);
        assert_null(k.secret);
        f[lens[i] - 2] ^= 0x10;
    }
    {
        pl_rsa_private k;
        struct pl_rsa_parts parts = parts_of(&kb);
        static const uint8_t e3[] = {3};
        parts.e = e3; /* a different public exponent: dp, dq no longer invert it */
        parts.e_len = 1;
        assert_int_equal(pl_rsa_private_init(&k, &parts), SSL_ERR_CRYPTO_BAD_PRIVATE_KEY);
        parts = parts_of(&kb); /* p and q swapped: qinv is then not q^-1 mod p */
        parts.p = kb.q;
        parts.q = kb.p;
        parts.dp = kb.dq;
        parts.dq = kb.dp;
        assert_int_equal(pl_rsa_private_init(&k, &parts), SSL_ERR_CRYPTO_BAD_PRIVATE_KEY);
    }
}

static void test_rsa_private_export_round_trips(void **state)
{
    uint8_t *buf = malloc(PL_RSA_EXPORT_MAX_LEN);
    struct pl_rsa_parts parts;
    pl_rsa_private again;
    (void)state;
    assert_int_equal(pl_rsa_private_export(&key, buf, PL_RSA_EXPORT_MAX_LEN - 1, &parts),
                     SSL_ERR_INVALID_ARGUMENT);
    assert_int_equal(pl_rsa_private_export(&key, buf, PL_RSA_EXPORT_MAX_LEN, &parts), 0);
    assert_int_equal(parts.n_len, kb.n_len);
    assert_memory_equal(parts.n, kb.n, kb.n_len);
    assert_int_equal(parts.e_len, 3);
    assert_memory_equal(parts.e, e_65537, 3);
    assert_int_equal(parts.d_len, kb.d_len);
    assert_memory_equal(parts.d, kb.d, kb.d_len);
    assert_int_equal(parts.p_len, kb.p_len);
    assert_memory_equal(parts.p, kb.p, kb.p_len);
    assert_int_equal(parts.q_len, kb.q_len);
    assert_memory_equal(parts.q, kb.q, kb.q_len);
    assert_int_equal(parts.dp_len, kb.dp_len);
    assert_memory_equal(parts.dp, kb.dp, kb.dp_len);
    assert_int_equal(parts.dq_len, kb.dq_len);
    assert_memory_equal(parts.dq, kb.dq, kb.dq_len);
    assert_int_equal(parts.qinv_len, kb.qinv_len);
    assert_memory_equal(parts.qinv, kb.qinv, kb.qinv_len);
    assert_int_equal(pl_rsa_private_init(&again, &parts), 0);
    pl_rsa_private_free(&again);
    pl_wipe(buf, PL_RSA_EXPORT_MAX_LEN);
    free(buf);
}

/* ---- raw primitives -------------------------------------------------------------------------- */

static void test_rsa_private_op_inverts_public_op(void **state)
{
    uint8_t x[256], c[256], back[256];
    (void)state;
    for (int i = 0; i < 16; i++) {
        pl_test_fill(x, sizeof x);
        x[0] &= 0x7f; /* below n, whose top byte is 0x9d */
        if (i == 0) {
            memset(x, 0, sizeof x); /* 0 and 1 are fixed points */
        } else if (i == 1) {
            memset(x, 0, sizeof x);
            x[255] = 1;
        }
        assert_int_equal(pl_rsa_public_op(pub, x, 256, c, 256), 0);
        assert_int_equal(pl_rsa_private_op(&key, c, 256, back, 256), 0);
        assert_memory_equal(back, x, 256);
        assert_int_equal(pl_rsa_private_op(&key, x, 256, c, 256), 0);
        assert_int_equal(pl_rsa_public_op(pub, c, 256, back, 256), 0);
        assert_memory_equal(back, x, 256);
    }
}

static void test_rsa_raw_ops_refuse_out_of_range_and_lengths(void **state)
{
    uint8_t x[257], out[257];
    (void)state;
    memcpy(x, kb.n, 256); /* n itself */
    assert_int_equal(pl_rsa_public_op(pub, x, 256, out, 256), SSL_ERR_CRYPTO_RSA_MESSAGE_TOO_LONG);
    assert_int_equal(pl_rsa_private_op(&key, x, 256, out, 256),
                     SSL_ERR_CRYPTO_RSA_MESSAGE_TOO_LONG);
    x[255]--; /* n - 1 is the largest accepted */
    assert_int_equal(pl_rsa_public_op(pub, x, 256, out, 256), 0);
    assert_int_equal(pl_rsa_private_op(&key, x, 256, out, 256), 0);
    assert_int_equal(pl_rsa_public_op(pub, x, 255, out, 256), SSL_ERR_CRYPTO_BAD_LENGTH);
    assert_int_equal(pl_rsa_public_op(pub, x, 256, out, 257), SSL_ERR_CRYPTO_BAD_LENGTH);
    assert_int_equal(pl_rsa_private_op(&key, x, 257, out, 256), SSL_ERR_CRYPTO_BAD_LENGTH);
    assert_int_equal(pl_rsa_private_op(&key, x, 256, out, 255), SSL_ERR_CRYPTO_BAD_LENGTH);
}

/* A memory fault in dp makes the CRT half modulo p wrong; the public check must catch it and
 * release nothing (Boneh-DeMillo-Lipton: one such signature factors n). */
static void test_rsa_fault_guard_catches_a_corrupted_crt_half(void **state)
{
    struct pl_rsa_parts parts = parts_of(&kb);
    pl_rsa_private k;
    uint8_t digest[32], sig[256], x[256], pms[48];
    static const uint8_t zero[256];
    (void)state;
    assert_int_equal(pl_rsa_private_init(&k, &parts), 0);
    digest_of(&pl_sha256_class, "abc", 3, digest);
    assert_int_equal(pl_rsa_pkcs1_sign(&k, &pl_sha256_class, digest, 32, sig, 256), 0);
    pl_rsa_private_corrupt_for_test(&k);
    memset(sig, 0x55, sizeof sig);
    assert_int_equal(pl_rsa_pkcs1_sign(&k, &pl_sha256_class, digest, 32, sig, 256),
                     SSL_ERR_CRYPTO_FAULT_DETECTED);
    assert_memory_equal(sig, zero, 256);
    memset(sig, 0x55, sizeof sig);
    assert_int_equal(pl_rsa_pss_sign(&k, &pl_sha256_class, digest, 32, &pl_sha256_class, 32, sig,
                                     256),
                     SSL_ERR_CRYPTO_FAULT_DETECTED);
    assert_memory_equal(sig, zero, 256);
    pl_test_fill(x, sizeof x);
    x[0] = 0x12;
    assert_int_equal(pl_rsa_private_op(&k, x, 256, sig, 256), SSL_ERR_CRYPTO_FAULT_DETECTED);
    assert_memory_equal(sig, zero, 256);
    assert_int_equal(pl_rsa_tls_decrypt_premaster(&k, x, 256, (const uint8_t *)"\3\3", pms),
                     SSL_ERR_CRYPTO_FAULT_DETECTED);
    assert_memory_equal(pms, zero, 48);
    pl_rsa_private_free(&k);
}

/* ---- RSASSA-PKCS1-v1_5 ----------------------------------------------------------------------- */

static void test_rsa_pkcs1_sign_known_answer_from_openssl(void **state)
{
    uint8_t digest[32], sig[256];
    (void)state;
    digest_of(&pl_sha256_class, "abc", 3, digest);
    pl_test_assert_hex(digest, 32, sha256_abc);
    assert_int_equal(pl_rsa_pkcs1_sign(&key, &pl_sha256_class, digest, 32, sig, 256), 0);
    pl_test_assert_hex(sig, 256, kat_sig_sha256_abc);
    assert_int_equal(pl_rsa_pkcs1_verify(pub, &pl_sha256_class, digest, 32, sig, 256), 0);
}

static void test_rsa_pkcs1_sign_verify_every_hash(void **state)
{
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(hashes); i++) {
        const pl_hash_class *h = hashes[i];
        uint8_t digest[PL_HASH_MAX_LEN], sig[256], again[256];
        digest_of(h, "padlock", 7, digest);
        assert_int_equal(pl_rsa_pkcs1_sign(&key, h, digest, h->digest_len, sig, 256), 0);
        assert_int_equal(pl_rsa_pkcs1_verify(pub, h, digest, h->digest_len, sig, 256), 0);
        /* deterministic: blinding changes nothing in the result */
        assert_int_equal(pl_rsa_pkcs1_sign(&key, h, digest, h->digest_len, again, 256), 0);
        assert_memory_equal(sig, again, 256);
        /* another hash's verification of the same digest bytes fails */
        if (i > 0) {
            assert_int_equal(pl_rsa_pkcs1_verify(pub, hashes[i - 1], digest,
                                                 hashes[i - 1]->digest_len, sig, 256),
                             SSL_ERR_CRYPTO_BAD_SIGNATURE);
        }
    }
}

static void test_rsa_pkcs1_tampering_any_byte_fails(void **state)
{
    uint8_t digest[32], sig[256];
    (void)state;
    digest_of(&pl_sha256_class, "abc", 3, digest);
    assert_int_equal(pl_rsa_pkcs1_sign(&key, &pl_sha256_class, digest, 32, sig, 256), 0);
    for (size_t i = 0; i < 256; i++) {
        uint8_t bit = (uint8_t)(1u << (i % 8));
        sig[i] ^= bit;
        assert_int_equal(pl_rsa_pkcs1_verify(pub, &pl_sha256_class, digest, 32, sig, 256),
                         SSL_ERR_CRYPTO_BAD_SIGNATURE);
        sig[i] ^= bit;
    }
    for (size_t i = 0; i < 32; i++) {
        digest[i] ^= 0x80;
        assert_int_equal(pl_rsa_pkcs1_verify(pub, &pl_sha256_class, digest, 32, sig, 256),
                         SSL_ERR_CRYPTO_BAD_SIGNATURE);
        digest[i] ^= 0x80;
    }
    assert_int_equal(pl_rsa_pkcs1_verify(pub, &pl_sha256_class, digest, 32, sig, 256), 0);
}

static void test_rsa_pkcs1_verify_refuses_length_range_and_hash(void **state)
{
    uint8_t digest[64], sig[257];
    static const pl_hash_class fake = {.name = "SHA-224", .digest_len = 28, .block_len = 64};
    (void)state;
    digest_of(&pl_sha256_class, "abc", 3, digest);
    assert_int_equal(pl_rsa_pkcs1_sign(&key, &pl_sha256_class, digest, 32, sig, 256), 0);
    /* §8.2.2 step 1: not k bytes */
    assert_int_equal(pl_rsa_pkcs1_verify(pub, &pl_sha256_class, digest, 32, sig, 255),
                     SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
    memmove(sig + 1, sig, 256);
    sig[0] = 0; /* the same number with a leading zero byte is still the wrong length */
    assert_int_equal(pl_rsa_pkcs1_verify(pub, &pl_sha256_class, digest, 32, sig, 257),
                     SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
    /* s >= n */
    memcpy(sig, kb.n, 256);
    assert_int_equal(pl_rsa_pkcs1_verify(pub, &pl_sha256_class, digest, 32, sig, 256),
                     SSL_ERR_CRYPTO_BAD_SIGNATURE);
    memset(sig, 0xff, 256);
    assert_int_equal(pl_rsa_pkcs1_verify(pub, &pl_sha256_class, digest, 32, sig, 256),
                     SSL_ERR_CRYPTO_BAD_SIGNATURE);
    memset(sig, 0, 256); /* s = 0 */
    assert_int_equal(pl_rsa_pkcs1_verify(pub, &pl_sha256_class, digest, 32, sig, 256),
                     SSL_ERR_CRYPTO_BAD_SIGNATURE);
    /* hash and digest length */
    assert_int_equal(pl_rsa_pkcs1_verify(pub, &fake, digest, 28, sig, 256),
                     SSL_ERR_CRYPTO_UNSUPPORTED_HASH);
    assert_int_equal(pl_rsa_pkcs1_sign(&key, &fake, digest, 28, sig, 256),
                     SSL_ERR_CRYPTO_UNSUPPORTED_HASH);
    assert_int_equal(pl_rsa_pkcs1_verify(pub, &pl_sha256_class, digest, 31, sig, 256),
                     SSL_ERR_CRYPTO_BAD_LENGTH);
    assert_int_equal(pl_rsa_pkcs1_sign(&key, &pl_sha256_class, digest, 33, sig, 256),
                     SSL_ERR_CRYPTO_BAD_LENGTH);
    assert_int_equal(pl_rsa_pkcs1_sign(&key, &pl_sha256_class, digest, 32, sig, 255),
                     SSL_ERR_CRYPTO_BAD_LENGTH);
}

/* A signature whose EM parses as a valid DigestInfo but is not the one encoding — garbage
 * after the digest, as Bleichenbacher's 2006 e = 3 forgery uses — must fail: EM is built and
 * compared, never parsed. Such an EM is made here with the private key (raw operation). */
static void test_rsa_pkcs1_verify_compares_the_whole_encoding(void **state)
{
    static const uint8_t prefix[19] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                       0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
    uint8_t digest[32], em[256], sig[256];
    (void)state;
    digest_of(&pl_sha256_class, "abc", 3, digest);
    /* 00 01 FF.. 00 DigestInfo digest, with the digest moved 8 bytes left and junk after it */
    memset(em, 0xff, sizeof em);
    em[0] = 0;
    em[1] = 1;
    em[256 - 51 - 8 - 1] = 0;
    memcpy(em + 256 - 51 - 8, prefix, 19);
    memcpy(em + 256 - 32 - 8, digest, 32);
    memset(em + 248, 0x42, 8);
    assert_int_equal(pl_rsa_private_op(&key, em, 256, sig, 256), 0);
    assert_int_equal(pl_rsa_pkcs1_verify(pub, &pl_sha256_class, digest, 32, sig, 256),
                     SSL_ERR_CRYPTO_BAD_SIGNATURE);
    /* and the real encoding, made the same raw way, passes: the test's EM layout is right */
    memset(em, 0xff, sizeof em);
    em[0] = 0;
    em[1] = 1;
    em[256 - 51 - 1] = 0;
    memcpy(em + 256 - 51, prefix, 19);
    memcpy(em + 256 - 32, digest, 32);
    assert_int_equal(pl_rsa_private_op(&key, em, 256, sig, 256), 0);
    assert_int_equal(pl_rsa_pkcs1_verify(pub, &pl_sha256_class, digest, 32, sig, 256), 0);
}

/* ---- RSASSA-PSS ------------------------------------------------------------------------------ */

static void test_rsa_pss_sign_verify_every_hash_and_salt(void **state)
{
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(hashes); i++) {
        const pl_hash_class *h = hashes[i];
        size_t salts[3] = {0, h->digest_len, 256 - h->digest_len - 2};
        uint8_t digest[PL_HASH_MAX_LEN], sig[256], again[256];
        digest_of(h, "padlock", 7, digest);
        for (size_t s = 0; s < 3; s++) {
            size_t salt = salts[s];
            assert_int_equal(pl_rsa_pss_sign(&key, h, digest, h->digest_len, h, salt, sig, 256),
                             0);
            assert_int_equal(
                pl_rsa_pss_verify(pub, h, digest, h->digest_len, h, salt, sig, 256), 0);
            /* another salt length or MGF1 hash does not verify */
            assert_int_equal(
                pl_rsa_pss_verify(pub, h, digest, h->digest_len, h, salt + 1, sig, 256),
                SSL_ERR_CRYPTO_BAD_SIGNATURE);
            assert_int_equal(pl_rsa_pss_verify(pub, h, digest, h->digest_len,
                                               hashes[(i + 1) % 4], salt, sig, 256),
                             SSL_ERR_CRYPTO_BAD_SIGNATURE);
            sig[100] ^= 4;
            assert_int_equal(
                pl_rsa_pss_verify(pub, h, digest, h->digest_len, h, salt, sig, 256),
                SSL_ERR_CRYPTO_BAD_SIGNATURE);
            sig[100] ^= 4;
            if (salt > 0) { /* a random salt: two signatures differ */
                assert_int_equal(
                    pl_rsa_pss_sign(&key, h, digest, h->digest_len, h, salt, again, 256), 0);
                assert_memory_not_equal(sig, again, 256);
            }
        }
        /* the largest salt plus one does not fit (§9.1.1 step 3) */
        assert_int_equal(pl_rsa_pss_sign(&key, h, digest, h->digest_len, h,
                                         256 - h->digest_len - 1, sig, 256),
                         SSL_ERR_CRYPTO_RSA_MESSAGE_TOO_LONG);
        assert_int_equal(pl_rsa_pss_verify(pub, h, digest, h->digest_len, h,
                                           256 - h->digest_len - 1, sig, 256),
                         SSL_ERR_CRYPTO_BAD_SIGNATURE);
    }
}

static void test_rsa_pss_tampering_any_byte_fails(void **state)
{
    uint8_t digest[32], sig[256];
    (void)state;
    digest_of(&pl_sha256_class, "abc", 3, digest);
    assert_int_equal(
        pl_rsa_pss_sign(&key, &pl_sha256_class, digest, 32, &pl_sha256_class, 32, sig, 256), 0);
    for (size_t i = 0; i < 256; i++) {
        sig[i] ^= 0x01;
        assert_int_equal(pl_rsa_pss_verify(pub, &pl_sha256_class, digest, 32, &pl_sha256_class,
                                           32, sig, 256),
                         SSL_ERR_CRYPTO_BAD_SIGNATURE);
        sig[i] ^= 0x01;
    }
    assert_int_equal(pl_rsa_pss_verify(pub, &pl_sha256_class, digest, 32, &pl_sha256_class, 32,
                                       sig, 255),
                     SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING);
}

/* ---- RSAES-PKCS1-v1_5 ------------------------------------------------------------------------ */

static void test_rsa_pkcs1_encrypt_decrypt_every_length(void **state)
{
    uint8_t msg[256], ct[256], ct2[256], out[256];
    size_t out_len;
    (void)state;
    for (size_t len = 0; len <= 256 - 11; len += (len < 60 ? 1 : 37)) {
        pl_test_fill(msg, len);
        assert_int_equal(pl_rsa_pkcs1_encrypt(pub, msg, len, ct, 256), 0);
        assert_int_equal(pl_rsa_pkcs1_decrypt(&key, ct, 256, out, sizeof out, &out_len), 0);
        assert_int_equal(out_len, len);
        assert_memory_equal(out, msg, len);
        /* random padding: encrypting again gives another ciphertext */
        assert_int_equal(pl_rsa_pkcs1_encrypt(pub, msg, len, ct2, 256), 0);
        assert_memory_not_equal(ct, ct2, 256);
    }
    /* the padding is non-zero: the decrypted block has exactly one zero after 00 02 */
    assert_int_equal(pl_rsa_pkcs1_encrypt(pub, msg, 245, ct, 256), 0);
    assert_int_equal(pl_rsa_private_op(&key, ct, 256, out, 256), 0);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 2);
    for (size_t i = 2; i < 10; i++) {
        assert_int_not_equal(out[i], 0);
    }
    assert_int_equal(out[10], 0);
}

static void test_rsa_pkcs1_encrypt_decrypt_errors(void **state)
{
    uint8_t msg[256] = {0}, ct[257], out[256];
    size_t out_len = 99;
    (void)state;
    assert_int_equal(pl_rsa_pkcs1_encrypt(pub, msg, 246, ct, 256),
                     SSL_ERR_CRYPTO_RSA_MESSAGE_TOO_LONG);
    assert_int_equal(pl_rsa_pkcs1_encrypt(pub, msg, 10, ct, 255), SSL_ERR_CRYPTO_BAD_LENGTH);
    assert_int_equal(pl_rsa_pkcs1_encrypt(pub, msg, 48, ct, 256), 0);
    assert_int_equal(pl_rsa_pkcs1_decrypt(&key, ct, 255, out, sizeof out, &out_len),
                     SSL_ERR_CRYPTO_RSA_DECRYPT_FAILED);
    assert_int_equal(out_len, 0);
    assert_int_equal(pl_rsa_pkcs1_decrypt(&key, ct, 256, out, 47, &out_len),
                     SSL_ERR_INVALID_ARGUMENT);
    assert_int_equal(pl_rsa_pkcs1_decrypt(&key, ct, 256, out, 48, &out_len), 0);
    assert_int_equal(out_len, 48);
    memcpy(ct, kb.n, 256);
    assert_int_equal(pl_rsa_pkcs1_decrypt(&key, ct, 256, out, sizeof out, &out_len),
                     SSL_ERR_CRYPTO_RSA_DECRYPT_FAILED);
}

/* ---- padding checks and the TLS pre-master secret -------------------------------------------- */

/* A block 00 02 PS 00 M with PS of ps_len non-zero bytes and M of the rest. */
static void make_block(uint8_t *em, size_t k, size_t ps_len, uint8_t first_two)
{
    em[0] = 0;
    em[1] = 2;
    for (size_t i = 2; i < 2 + ps_len; i++) {
        em[i] = (uint8_t)(1 + pl_test_below(255));
    }
    em[2 + ps_len] = 0;
    for (size_t i = 3 + ps_len; i < k; i++) {
        em[i] = (uint8_t)pl_test_below(256);
    }
    if (3 + ps_len < k) {
        em[3 + ps_len] = first_two;
    }
}

static void test_rsa_pkcs1_unpad_ct_cases(void **state)
{
    uint8_t em[256];
    size_t off;
    (void)state;
    make_block(em, 256, 8, 3); /* the shortest PS */
    assert_int_equal(pl_rsa_pkcs1_unpad_ct(em, 256, &off), 1);
    assert_int_equal(off, 11);
    make_block(em, 256, 253, 3); /* empty message */
    assert_int_equal(pl_rsa_pkcs1_unpad_ct(em, 256, &off), 1);
    assert_int_equal(off, 256);
    make_block(em, 256, 7, 3); /* PS too short */
    assert_int_equal(pl_rsa_pkcs1_unpad_ct(em, 256, &off), 0);
    assert_int_equal(off, 256);
    make_block(em, 256, 100, 3);
    em[0] = 1;
    assert_int_equal(pl_rsa_pkcs1_unpad_ct(em, 256, &off), 0);
    make_block(em, 256, 100, 3);
    em[1] = 1; /* block type 1 is for signatures */
    assert_int_equal(pl_rsa_pkcs1_unpad_ct(em, 256, &off), 0);
    memset(em, 0x11, sizeof em); /* no separator at all */
    em[0] = 0;
    em[1] = 2;
    assert_int_equal(pl_rsa_pkcs1_unpad_ct(em, 256, &off), 0);
    make_block(em, 256, 100, 0); /* a zero inside M does not move the separator */
    em[200] = 0;
    assert_int_equal(pl_rsa_pkcs1_unpad_ct(em, 256, &off), 1);
    assert_int_equal(off, 103);
}

/* RFC 5246 §7.4.7.1: with every kind of bad ciphertext the server goes on with a random
 * pre-master secret and no error; with a good one it gets the client's. Each bad block is
 * encrypted raw (RSAEP on a hand-made EM). */
static void test_rsa_tls_premaster_random_on_every_bad_padding(void **state)
{
    static const uint8_t version[2] = {3, 3};
    enum { GOOD, FIRST_BYTE, BLOCK_TYPE, NO_SEPARATOR, SHORT_PS, LEN_47, LEN_49, VERSION_MAJOR,
           VERSION_MINOR, ZERO_MESSAGE, N_CASES };
    (void)state;
    for (int c = 0; c < N_CASES; c++) {
        uint8_t em[256], ct[256], out1[48], out2[48];
        size_t ps = 256 - 3 - 48;
        if (c == LEN_47) {
            ps++;
        } else if (c == LEN_49) {
            ps--;
        }
        make_block(em, 256, ps, 3);
        em[3 + ps + 1] = 3;
        if (c == FIRST_BYTE) {
            em[0] = 1;
        } else if (c == BLOCK_TYPE) {
            em[1] = 1;
        } else if (c == NO_SEPARATOR) {
            em[3 + ps - 1] = 0x5a;
        } else if (c == SHORT_PS) {
            em[2 + 5] = 0; /* a separator after 5 bytes of PS: a 243-byte message */
        } else if (c == VERSION_MAJOR) {
            em[3 + ps] = 2;
        } else if (c == VERSION_MINOR) {
            em[3 + ps + 1] = 1;
        } else if (c == ZERO_MESSAGE) {
            memset(em + 3, 1, 256 - 3);
            em[255] = 0; /* separator last: an empty message */
        }
        assert_int_equal(pl_rsa_public_op(pub, em, 256, ct, 256), c == FIRST_BYTE ? 0 : 0);
        assert_int_equal(pl_rsa_tls_decrypt_premaster(&key, ct, 256, version, out1), 0);
        assert_int_equal(pl_rsa_tls_decrypt_premaster(&key, ct, 256, version, out2), 0);
        if (c == GOOD) {
            assert_memory_equal(out1, em + 256 - 48, 48);
            assert_memory_equal(out2, em + 256 - 48, 48);
        } else {
            /* a fresh random value each time, never the decrypted bytes */
            assert_memory_not_equal(out1, out2, 48);
            assert_memory_not_equal(out1, em + 256 - 48, 48);
        }
    }
}

static void test_rsa_tls_premaster_ciphertext_not_below_n(void **state)
{
    uint8_t ct[256], out1[48], out2[48];
    (void)state;
    memcpy(ct, kb.n, 256);
    assert_int_equal(pl_rsa_tls_decrypt_premaster(&key, ct, 256, (const uint8_t *)"\3\3", out1), 0);
    assert_int_equal(pl_rsa_tls_decrypt_premaster(&key, ct, 256, (const uint8_t *)"\3\3", out2), 0);
    assert_memory_not_equal(out1, out2, 48);
    memset(ct, 0xff, sizeof ct);
    assert_int_equal(pl_rsa_tls_decrypt_premaster(&key, ct, 256, (const uint8_t *)"\3\3", out1), 0);
    /* the length is the one error: it does not depend on the content */
    assert_int_equal(pl_rsa_tls_decrypt_premaster(&key, ct, 255, (const uint8_t *)"\3\3", out1),
                     SSL_ERR_CRYPTO_BAD_LENGTH);
}

static void test_rsa_tls_premaster_round_trip_with_encrypt(void **state)
{
    uint8_t pms[48], ct[256], out[48];
    (void)state;
    pl_test_fill(pms, sizeof pms);
    pms[0] = 3;
    pms[1] = 3;
    assert_int_equal(pl_rsa_pkcs1_encrypt(pub, pms, 48, ct, 256), 0);
    assert_int_equal(pl_rsa_tls_decrypt_premaster(&key, ct, 256, pms, out), 0);
    assert_memory_equal(out, pms, 48);
}

/* ---- Montgomery arithmetic and bn.c ---------------------------------------------------------- */

/* Identities that need no second implementation: x^1 = x, x^0 = 1, x^(a+b) = x^a · x^b,
 * (x^a)^b = x^(ab) for small b, and the constant-time exponentiation agrees with the public one
 * for a 32-bit exponent. Against OpenSSL: tests/cross/cross_rsa.c. */
static void test_mont_exponentiation_identities(void **state)
{
    static const size_t sizes[] = {16, 20, 24, 32, 48, 64, 128};
    (void)state;
    for (size_t s = 0; s < PL_ARRAY_LEN(sizes); s++) {
        size_t n = sizes[s];
        uint8_t mod[1024];
        uint64_t x[128], y[128], z[128], w[128], exp[2] = {0, 0}, one[128] = {1};
        static pl_mont m;
        uint32_t e = (uint32_t)pl_test_below(1u << 31) | 1;
        pl_test_fill(mod, n * 8);
        mod[0] |= 0x80;
        mod[n * 8 - 1] |= 1;
        assert_int_equal(pl_mont_init(&m, mod, n * 8), 0);
        pl_test_fill(x, sizeof x);
        x[n - 1] &= 0x3fffffffffffffffu; /* x < m */
        exp[0] = e;
        pl_mont_exp(&m, y, x, exp, 1);
        pl_mont_exp_vartime(&m, z, x, e);
        assert_memory_equal(y, z, n * 8);
        pl_mont_exp_vartime(&m, z, x, 1);
        assert_memory_equal(z, x, n * 8);
        exp[0] = 0;
        pl_mont_exp(&m, z, x, exp, 2);
        assert_memory_equal(z, one, n * 8);
        /* x^(2^64 + e) = (x^(2^32))^(2^32) · x^e: 64 squarings as two vartime powers */
        exp[0] = e;
        exp[1] = 1;
        pl_mont_exp(&m, y, x, exp, 2);
        pl_mont_exp_vartime(&m, z, x, 1u << 31);
        pl_mont_exp_vartime(&m, z, z, 2);
        pl_mont_exp_vartime(&m, z, z, 1u << 31);
        pl_mont_exp_vartime(&m, z, z, 2);
        pl_mont_exp_vartime(&m, w, x, e);
        pl_mont_mul(&m, z, z, w);
        pl_mont_mul(&m, z, z, m.rr); /* undo the R^-1 of the product */
        assert_memory_equal(y, z, n * 8);
    }
}

static void test_mont_reduce_matches_division(void **state)
{
    static pl_mont m;
    uint8_t mod[128];
    uint64_t a[64], r[64], want[64];
    uint8_t a_bytes[512], m_bytes[128], want_bytes[128], one[1] = {1};
    (void)state;
    pl_test_fill(mod, sizeof mod);
    mod[0] |= 0xc0;
    mod[127] |= 1;
    assert_int_equal(pl_mont_init(&m, mod, sizeof mod), 0);
    for (size_t limbs = 1; limbs <= 64; limbs += 7) {
        pl_test_fill(a, limbs * 8);
        pl_mont_reduce(&m, r, a, limbs);
        /* a mod m = a^1 mod m, by libtommath */
        pl_mont_encode(a_bytes, limbs * 8, a, limbs);
        memcpy(m_bytes, mod, 128);
        assert_int_equal(pl_bn_mod_exp(want_bytes, 128, a_bytes, limbs * 8, one, 1, m_bytes, 128),
                         0);
        assert_int_equal(pl_mont_decode(want, 16, want_bytes, 128), 0);
        assert_memory_equal(r, want, 16 * 8);
    }
}

/* y · y^-1 = 1 for random y and odd m of many sizes; no inverse for 0 or for y sharing a factor
 * with m (m = 3·k, y = 3·j). Against BN_mod_inverse: tests/cross/cross_rsa.c. */
static void test_mont_inverse_vartime(void **state)
{
    static const size_t sizes[] = {2, 3, 16, 17, 24, 32, 48, 64, 128};
    (void)state;
    for (size_t s = 0; s < PL_ARRAY_LEN(sizes); s++) {
        size_t n = sizes[s];
        static pl_mont m;
        uint8_t mod[1024];
        uint64_t y[128], inv[128], check[128], one[128] = {1};
        for (int k = 0; k < 8; k++) {
            pl_test_fill(mod, n * 8);
            mod[0] |= (uint8_t)(k < 4 ? 0x80 : 0x01); /* also moduli with a short top limb */
            mod[n * 8 - 1] |= 1;
            assert_int_equal(pl_mont_init(&m, mod, n * 8), 0);
            pl_test_fill(y, n * 8);
            y[n - 1] = k == 0 ? 1 : y[n - 1] % m.m[n - 1]; /* y < m */
            if (pl_mont_inverse_vartime(&m, inv, y) == 0) {
                continue; /* gcd(y, m) > 1: possible for a random odd m */
            }
            pl_mont_mul(&m, check, y, inv);
            pl_mont_mul(&m, check, check, m.rr);
            assert_memory_equal(check, one, n * 8);
        }
        memset(y, 0, sizeof y);
        assert_int_equal(pl_mont_inverse_vartime(&m, inv, y), 0);
        /* m = 2^(8(8n-1)) + 5, odd and divisible by 3 (2 to an even power is 1 mod 3), and
         * y = 3: no inverse */
        memset(mod, 0, n * 8);
        mod[0] = 0x01;
        mod[n * 8 - 1] = 0x05;
        assert_int_equal(pl_mont_init(&m, mod, n * 8), 0);
        y[0] = 3;
        assert_int_equal(pl_mont_inverse_vartime(&m, inv, y), 0);
    }
}

static void test_mont_init_and_bn_refuse_even_moduli(void **state)
{
    static pl_mont m;
    uint8_t mod[32], out[32];
    (void)state;
    memset(mod, 0x77, sizeof mod);
    mod[31] = 0x76;
    assert_int_equal(pl_mont_init(&m, mod, 32), SSL_ERR_INVALID_ARGUMENT);
    assert_int_equal(pl_bn_mod_exp(out, 32, mod, 32, mod, 32, mod, 32), SSL_ERR_INVALID_ARGUMENT);
    mod[31] = 0x77;
    assert_int_equal(pl_mont_init(&m, mod, 8), SSL_ERR_INVALID_ARGUMENT); /* one limb */
    assert_int_equal(pl_bn_cmp(mod, 32, mod, 32), 0);
    assert_int_equal(pl_bn_bits((const uint8_t *)"\0\0\1", 3), 1);
    assert_int_equal(pl_bn_check(0), 0);
}

/* ---- key generation -------------------------------------------------------------------------- */

static void test_rsa_generate_2048_works(void **state)
{
    pl_rsa_private k;
    uint8_t digest[32], sig[256], msg[48], ct[256], out[256], *buf;
    struct pl_rsa_parts parts;
    size_t out_len;
    (void)state;
    assert_int_equal(pl_rsa_generate(&k, 2048), 0);
    assert_int_equal(pl_rsa_public_bits(pl_rsa_private_public(&k)), 2048);
    assert_int_equal(pl_rsa_private_public(&k)->e, 65537);
    assert_int_equal(pl_rsa_check_policy(pl_rsa_private_public(&k)), 0);
    digest_of(&pl_sha256_class, "abc", 3, digest);
    assert_int_equal(pl_rsa_pkcs1_sign(&k, &pl_sha256_class, digest, 32, sig, 256), 0);
    assert_int_equal(
        pl_rsa_pkcs1_verify(pl_rsa_private_public(&k), &pl_sha256_class, digest, 32, sig, 256), 0);
    assert_int_equal(pl_rsa_pss_sign(&k, &pl_sha256_class, digest, 32, &pl_sha256_class, 32, sig,
                                     256),
                     0);
    assert_int_equal(pl_rsa_pss_verify(pl_rsa_private_public(&k), &pl_sha256_class, digest, 32,
                                       &pl_sha256_class, 32, sig, 256),
                     0);
    pl_test_fill(msg, sizeof msg);
    assert_int_equal(pl_rsa_pkcs1_encrypt(pl_rsa_private_public(&k), msg, 48, ct, 256), 0);
    assert_int_equal(pl_rsa_pkcs1_decrypt(&k, ct, 256, out, sizeof out, &out_len), 0);
    assert_int_equal(out_len, 48);
    assert_memory_equal(out, msg, 48);
    /* the parts: p > q, both 1024 bits with the top two bits set */
    buf = malloc(PL_RSA_EXPORT_MAX_LEN);
    assert_int_equal(pl_rsa_private_export(&k, buf, PL_RSA_EXPORT_MAX_LEN, &parts), 0);
    assert_int_equal(parts.p_len, 128);
    assert_int_equal(parts.q_len, 128);
    assert_true(parts.p[0] >= 0xc0 && parts.q[0] >= 0xc0);
    assert_true(pl_bn_cmp(parts.p, 128, parts.q, 128) > 0);
    assert_true(parts.d_len > 128);
    pl_wipe(buf, PL_RSA_EXPORT_MAX_LEN);
    free(buf);
    pl_rsa_private_free(&k);
}

static void test_rsa_generate_refuses_other_sizes(void **state)
{
    pl_rsa_private k;
    (void)state;
    assert_int_equal(pl_rsa_generate(&k, 1024), SSL_ERR_INVALID_ARGUMENT);
    assert_int_equal(pl_rsa_generate(&k, 2047), SSL_ERR_INVALID_ARGUMENT);
    assert_null(k.secret);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rsa_public_init_reads_the_key),
        cmocka_unit_test(test_rsa_public_init_refuses_bad_keys),
        cmocka_unit_test(test_rsa_private_init_refuses_inconsistent_parts),
        cmocka_unit_test(test_rsa_private_export_round_trips),
        cmocka_unit_test(test_rsa_private_op_inverts_public_op),
        cmocka_unit_test(test_rsa_raw_ops_refuse_out_of_range_and_lengths),
        cmocka_unit_test(test_rsa_fault_guard_catches_a_corrupted_crt_half),
        cmocka_unit_test(test_rsa_pkcs1_sign_known_answer_from_openssl),
        cmocka_unit_test(test_rsa_pkcs1_sign_verify_every_hash),
        cmocka_unit_test(test_rsa_pkcs1_tampering_any_byte_fails),
        cmocka_unit_test(test_rsa_pkcs1_verify_refuses_length_range_and_hash),
        cmocka_unit_test(test_rsa_pkcs1_verify_compares_the_whole_encoding),
        cmocka_unit_test(test_rsa_pss_sign_verify_every_hash_and_salt),
        cmocka_unit_test(test_rsa_pss_tampering_any_byte_fails),
        cmocka_unit_test(test_rsa_pkcs1_encrypt_decrypt_every_length),
        cmocka_unit_test(test_rsa_pkcs1_encrypt_decrypt_errors),
        cmocka_unit_test(test_rsa_pkcs1_unpad_ct_cases),
        cmocka_unit_test(test_rsa_tls_premaster_random_on_every_bad_padding),
        cmocka_unit_test(test_rsa_tls_premaster_ciphertext_not_below_n),
        cmocka_unit_test(test_rsa_tls_premaster_round_trip_with_encrypt),
        cmocka_unit_test(test_mont_exponentiation_identities),
        cmocka_unit_test(test_mont_reduce_matches_division),
        cmocka_unit_test(test_mont_inverse_vartime),
        cmocka_unit_test(test_mont_init_and_bn_refuse_even_moduli),
        cmocka_unit_test(test_rsa_generate_2048_works),
        cmocka_unit_test(test_rsa_generate_refuses_other_sizes),
    };
    pl_test_seed();
    return cmocka_run_group_tests(tests, setup, teardown);
}
