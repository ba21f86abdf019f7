/* Wycheproof rsa_pss_*_test.json (RSASSA-PSS verification, all eleven files) through
 * pl_rsa_pss_verify with each group's hash (sha), MGF1 hash (mgfSha) and salt length (sLen).
 * The _params files carry the same parameters in the group (their keys' DER also encodes them,
 * which is the X.509 layer's business); rsa_pss_misc_test.json varies hash, MGF1 hash and salt
 * length independently, SHA-224 included.
 *
 * SHA-224 is not one of padlock's hashes (no TLS 1.2 scheme of ours uses it); this file supplies
 * a test-only SHA-224 class (FIPS 180-4 §5.3.2 initial value on the SHA-256 function, output
 * truncated to 28 bytes) so that no case is skipped.
 *
 * These files have no "acceptable" cases. Every invalid one must give
 * SSL_ERR_CRYPTO_BAD_SIGNATURE, or SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING when the signature is
 * not k bytes long. */
#include "pl_test.h"

#include "crypto/rsa.h"

/* FIPS 180-4 §5.3.2: SHA-224's initial hash value. */
static const uint32_t sha224_iv[8] = {0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939,
                                      0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4};

static void sha224_init(pl_hash_ctx *c)
{
    pl_sha256_init(&c->sha256);
    memcpy(c->sha256.h, sha224_iv, sizeof sha224_iv);
}

static void sha224_update(pl_hash_ctx *c, const void *data, size_t len)
{
    pl_sha256_update(&c->sha256, data, len);
}

static void sha224_final(pl_hash_ctx *c, uint8_t *out)
{
    uint8_t full[PL_SHA256_LEN];
    pl_sha256_final(&c->sha256, full);
    memcpy(out, full, 28);
}

static const pl_hash_class test_sha224_class = {
    .name = "SHA-224",
    .digest_len = 28,
    .block_len = 64,
    .init = sha224_init,
    .update = sha224_update,
    .final = sha224_final,
};

static const pl_hash_class *hash_by_name(const char *name)
{
    static const pl_hash_class *const all[] = {&pl_sha1_class, &test_sha224_class,
                                               &pl_sha256_class, &pl_sha384_class,
                                               &pl_sha512_class};
    for (size_t i = 0; i < PL_ARRAY_LEN(all); i++) {
        if (name != NULL && strcmp(all[i]->name, name) == 0) {
            return all[i];
        }
    }
    return NULL;
}

/* SHA-224 itself, against FIPS 180-4's example "abc" (NIST CSRC SHA224.pdf). */
static void test_sha224_class_abc(void **state)
{
    pl_hash_ctx c;
    uint8_t out[28];
    (void)state;
    test_sha224_class.init(&c);
    test_sha224_class.update(&c, "abc", 3);
    test_sha224_class.final(&c, out);
    pl_test_assert_hex(out, 28, "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7");
}

static enum pl_wp_verdict run_case(const pl_json *group, const pl_json *test, void *arg,
                                   const char **why)
{
    const pl_json *pk = pl_json_get(group, "publicKey");
    const pl_hash_class *h = hash_by_name(pl_json_get_str(group, "sha"));
    const pl_hash_class *mgf1 = hash_by_name(pl_json_get_str(group, "mgfSha"));
    const char *mgf = pl_json_get_str(group, "mgf");
    size_t salt_len = (size_t)pl_json_get_num(group, "sLen", 0);
    uint8_t *n, *e, *msg, *sig, digest[PL_HASH_MAX_LEN];
    size_t n_len, e_len, msg_len, sig_len;
    pl_rsa_public key;
    pl_hash_ctx c;
    enum pl_wp_verdict v;
    int rc;
    (void)arg;
    if (h == NULL || mgf1 == NULL || pk == NULL || mgf == NULL || strcmp(mgf, "MGF1") != 0) {
        *why = "parameters not supported";
        return PL_WP_SKIPPED;
    }
    n = pl_test_unhex(pl_json_get_str(pk, "modulus"), &n_len);
    e = pl_test_unhex(pl_json_get_str(pk, "publicExponent"), &e_len);
    msg = pl_test_unhex(pl_json_get_str(test, "msg"), &msg_len);
    sig = pl_test_unhex(pl_json_get_str(test, "sig"), &sig_len);
    assert_int_equal(pl_rsa_public_init(&key, n, n_len, e, e_len), 0);
    h->init(&c);
    h->update(&c, msg, msg_len);
    h->final(&c, digest);
    rc = pl_rsa_pss_verify(&key, h, digest, h->digest_len, mgf1, salt_len, sig, sig_len);
    v = rc == 0 ? PL_WP_ACCEPTED : PL_WP_REJECTED;
    if (rc != 0 && rc != SSL_ERR_CRYPTO_BAD_SIGNATURE &&
        !(rc == SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING && sig_len != key.len)) {
        *why = "refused with an unexpected code";
        v = PL_WP_WRONG;
    }
    free(n);
    free(e);
    free(msg);
    free(sig);
    return v;
}

static void run_file(const char *file, size_t min_total)
{
    struct pl_wp_counts c;
    assert_int_equal(pl_wp_run(file, run_case, NULL, &c), 0);
    assert_true(c.total >= min_total);
    assert_int_equal(c.skipped, 0);
    assert_int_equal(c.acceptable_accepted + c.acceptable_rejected, 0);
}

#define FILE_TEST(name, min)                                                                       \
    static void test_wycheproof_##name(void **state)                                               \
    {                                                                                              \
        (void)state;                                                                               \
        run_file(#name "_test.json", min);                                                         \
    }

FILE_TEST(rsa_pss_2048_sha256_mgf1_0, 100)
FILE_TEST(rsa_pss_2048_sha256_mgf1_32, 100)
FILE_TEST(rsa_pss_2048_sha256_mgf1_32_params, 100)
FILE_TEST(rsa_pss_2048_sha384_mgf1_48, 100)
FILE_TEST(rsa_pss_3072_sha256_mgf1_32, 100)
FILE_TEST(rsa_pss_3072_sha256_mgf1_32_params, 100)
FILE_TEST(rsa_pss_4096_sha256_mgf1_32, 100)
FILE_TEST(rsa_pss_4096_sha384_mgf1_48, 100)
FILE_TEST(rsa_pss_4096_sha512_mgf1_64, 100)
FILE_TEST(rsa_pss_4096_sha512_mgf1_64_params, 100)
FILE_TEST(rsa_pss_misc, 150)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha224_class_abc),
        cmocka_unit_test(test_wycheproof_rsa_pss_2048_sha256_mgf1_0),
        cmocka_unit_test(test_wycheproof_rsa_pss_2048_sha256_mgf1_32),
        cmocka_unit_test(test_wycheproof_rsa_pss_2048_sha256_mgf1_32_params),
        cmocka_unit_test(test_wycheproof_rsa_pss_2048_sha384_mgf1_48),
        cmocka_unit_test(test_wycheproof_rsa_pss_3072_sha256_mgf1_32),
        cmocka_unit_test(test_wycheproof_rsa_pss_3072_sha256_mgf1_32_params),
        cmocka_unit_test(test_wycheproof_rsa_pss_4096_sha256_mgf1_32),
        cmocka_unit_test(test_wycheproof_rsa_pss_4096_sha384_mgf1_48),
        cmocka_unit_test(test_wycheproof_rsa_pss_4096_sha512_mgf1_64),
        cmocka_unit_test(test_wycheproof_rsa_pss_4096_sha512_mgf1_64_params),
        cmocka_unit_test(test_wycheproof_rsa_pss_misc),
    };
    pl_test_require_vectors();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
