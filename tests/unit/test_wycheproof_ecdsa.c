/* Wycheproof ECDSA verification (ecdsa_verify_schema_v1: DER signatures) for P-256 with SHA-256
 * and SHA-512, and P-384 with SHA-256, SHA-384 and SHA-512, through pl_ec_public_init and
 * pl_ecdsa_verify: every test in every group. The message is hashed here with the group's hash.
 *
 * These files have no "acceptable" cases. Every valid signature must verify; every invalid one
 * (BER encodings, missing or extra zeros, out-of-range r and s, arithmetic edge cases) must be
 * refused. A refusal by pl_ec_public_init of the group's key would also count as a rejection, so
 * a valid case catches that too. */
#include "pl_test.h"

#include "crypto/ec.h"
#include "crypto/hash.h"

struct file {
    const char *name;
    pl_ec_curve curve;
    const char *curve_name;
    const pl_hash_class *hash;
};

static enum pl_wp_verdict run_case(const pl_json *group, const pl_json *test, void *arg,
                                   const char **why)
{
    const struct file *f = arg;
    const pl_json *key = pl_json_get(group, "publicKey");
    const char *curve = key != NULL ? pl_json_get_str(key, "curve") : NULL;
    const char *sha = pl_json_get_str(group, "sha");
    size_t point_len, msg_len, sig_len;
    uint8_t *point, *msg, *sig, digest[PL_HASH_MAX_LEN];
    pl_ec_public pub;
    pl_hash_ctx hc;
    int rc;
    if (curve == NULL || strcmp(curve, f->curve_name) != 0 || sha == NULL ||
        strcmp(sha, f->hash->name) != 0) {
        *why = "group's curve or hash differs from the file's";
        return PL_WP_SKIPPED;
    }
    point = pl_test_unhex(pl_json_get_str(key, "uncompressed"), &point_len);
    msg = pl_test_unhex(pl_json_get_str(test, "msg"), &msg_len);
    sig = pl_test_unhex(pl_json_get_str(test, "sig"), &sig_len);
    f->hash->init(&hc);
    f->hash->update(&hc, msg, msg_len);
    f->hash->final(&hc, digest);
    rc = pl_ec_public_init(&pub, f->curve, point, point_len);
    if (rc == 0) {
        rc = pl_ecdsa_verify(&pub, digest, f->hash->digest_len, sig, sig_len);
    }
    free(point);
    free(msg);
    free(sig);
    return rc == 0 ? PL_WP_ACCEPTED : PL_WP_REJECTED;
}

static void run_file(const struct file *f)
{
    struct pl_wp_counts c;
    assert_int_equal(pl_wp_run(f->name, run_case, (void *)f, &c), 0);
    assert_true(c.total > 400);
    assert_true(c.valid > 100);
    assert_int_equal(c.skipped, 0);
}

static void test_wycheproof_ecdsa_p256_sha256(void **state)
{
    static const struct file f = {"ecdsa_secp256r1_sha256_test.json", PL_EC_P256, "secp256r1",
                                  &pl_sha256_class};
    (void)state;
    run_file(&f);
}

static void test_wycheproof_ecdsa_p256_sha512(void **state)
{
    static const struct file f = {"ecdsa_secp256r1_sha512_test.json", PL_EC_P256, "secp256r1",
                                  &pl_sha512_class};
    (void)state;
    run_file(&f);
}

static void test_wycheproof_ecdsa_p384_sha256(void **state)
{
    static const struct file f = {"ecdsa_secp384r1_sha256_test.json", PL_EC_P384, "secp384r1",
                                  &pl_sha256_class};
    (void)state;
    run_file(&f);
}

static void test_wycheproof_ecdsa_p384_sha384(void **state)
{
    static const struct file f = {"ecdsa_secp384r1_sha384_test.json", PL_EC_P384, "secp384r1",
                                  &pl_sha384_class};
    (void)state;
    run_file(&f);
}

static void test_wycheproof_ecdsa_p384_sha512(void **state)
{
    static const struct file f = {"ecdsa_secp384r1_sha512_test.json", PL_EC_P384, "secp384r1",
                                  &pl_sha512_class};
    (void)state;
    run_file(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wycheproof_ecdsa_p256_sha256),
        cmocka_unit_test(test_wycheproof_ecdsa_p256_sha512),
        cmocka_unit_test(test_wycheproof_ecdsa_p384_sha256),
        cmocka_unit_test(test_wycheproof_ecdsa_p384_sha384),
        cmocka_unit_test(test_wycheproof_ecdsa_p384_sha512),
    };
    pl_test_require_vectors();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
