/* Wycheproof rsa_signature_{2048,3072,4096}_sha{256,384,512}_test.json (RSASSA-PKCS1-v1_5
 * verification) through pl_rsa_pkcs1_verify, the key from the group's publicKey (modulus,
 * publicExponent; some groups use e = 3), the message hashed with the group's sha.
 *
 * "acceptable" cases are decided per flag, as padlock's policy:
 *   - MissingNull (a DigestInfo whose AlgorithmIdentifier omits the NULL parameters): must be
 *     REJECTED. RFC 8017 §9.2 note 1 gives the encoding with NULL, and padlock compares the
 *     whole encoded message against that one encoding; accepting a second form would mean
 *     either parsing (which BERserk-style forgeries exploit) or comparing twice, for
 *     signatures no mainstream signer produces.
 * Every invalid case must give SSL_ERR_CRYPTO_BAD_SIGNATURE, or
 * SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING when the signature is not k bytes long. */
#include "pl_test.h"

#include "crypto/rsa.h"

static const pl_hash_class *hash_by_name(const char *name)
{
    static const pl_hash_class *const all[] = {&pl_sha1_class, &pl_sha256_class,
                                               &pl_sha384_class, &pl_sha512_class};
    for (size_t i = 0; i < PL_ARRAY_LEN(all); i++) {
        if (name != NULL && strcmp(all[i]->name, name) == 0) {
            return all[i];
        }
    }
    return NULL;
}

static enum pl_wp_verdict run_case(const pl_json *group, const pl_json *test, void *arg,
                                   const char **why)
{
    const pl_json *pk = pl_json_get(group, "publicKey");
    const pl_hash_class *h = hash_by_name(pl_json_get_str(group, "sha"));
    const char *result = pl_json_get_str(test, "result");
    uint8_t *n, *e, *msg, *sig, digest[PL_HASH_MAX_LEN];
    size_t n_len, e_len, msg_len, sig_len;
    pl_rsa_public key;
    pl_hash_ctx c;
    enum pl_wp_verdict v;
    int rc;
    (void)arg;
    if (h == NULL || pk == NULL) {
        *why = "hash not supported";
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
    rc = pl_rsa_pkcs1_verify(&key, h, digest, h->digest_len, sig, sig_len);
    v = rc == 0 ? PL_WP_ACCEPTED : PL_WP_REJECTED;
    if (rc != 0 && rc != SSL_ERR_CRYPTO_BAD_SIGNATURE &&
        !(rc == SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING && sig_len != key.len)) {
        *why = "refused with an unexpected code";
        v = PL_WP_WRONG;
    }
    if (strcmp(result, "acceptable") == 0 && pl_json_has_flag(test, "MissingNull") && rc == 0) {
        *why = "(policy: a DigestInfo without NULL must be refused)";
        v = PL_WP_WRONG;
    }
    free(n);
    free(e);
    free(msg);
    free(sig);
    return v;
}

static void run_file(const char *file)
{
    struct pl_wp_counts c;
    assert_int_equal(pl_wp_run(file, run_case, NULL, &c), 0);
    assert_true(c.total > 200);
    assert_int_equal(c.skipped, 0);
    assert_int_equal(c.acceptable_accepted, 0);
}

#define FILE_TEST(bits, sha)                                                                       \
    static void test_wycheproof_rsa_signature_##bits##_##sha(void **state)                         \
    {                                                                                              \
        (void)state;                                                                               \
        run_file("rsa_signature_" #bits "_" #sha "_test.json");                                    \
    }

FILE_TEST(2048, sha256)
FILE_TEST(2048, sha384)
FILE_TEST(2048, sha512)
FILE_TEST(3072, sha256)
FILE_TEST(3072, sha384)
FILE_TEST(3072, sha512)
FILE_TEST(4096, sha256)
FILE_TEST(4096, sha384)
FILE_TEST(4096, sha512)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wycheproof_rsa_signature_2048_sha256),
        cmocka_unit_test(test_wycheproof_rsa_signature_2048_sha384),
        cmocka_unit_test(test_wycheproof_rsa_signature_2048_sha512),
        cmocka_unit_test(test_wycheproof_rsa_signature_3072_sha256),
        cmocka_unit_test(test_wycheproof_rsa_signature_3072_sha384),
        cmocka_unit_test(test_wycheproof_rsa_signature_3072_sha512),
        cmocka_unit_test(test_wycheproof_rsa_signature_4096_sha256),
        cmocka_unit_test(test_wycheproof_rsa_signature_4096_sha384),
        cmocka_unit_test(test_wycheproof_rsa_signature_4096_sha512),
    };
    pl_test_require_vectors();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
