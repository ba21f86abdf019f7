/* Wycheproof rsa_pkcs1_{2048,3072,4096}_test.json (RSAES-PKCS1-v1_5 decryption) through
 * pl_rsa_pkcs1_decrypt, with the private key from the group's privateKey fields (modulus,
 * publicExponent, privateExponent, prime1, prime2, exponent1, exponent2, coefficient), which also
 * exercises pl_rsa_private_init's consistency checks on real keys.
 *
 * There are no "acceptable" cases in these files. Every invalid ciphertext must give exactly
 * SSL_ERR_CRYPTO_RSA_DECRYPT_FAILED (bad padding, wrong length, c >= n alike). Each case is also
 * run through pl_rsa_tls_decrypt_premaster, which must never fail on content: it returns 0 and
 * the decrypted message only when that message is 48 bytes starting with the version given. */
#include "pl_test.h"

#include "crypto/rsa.h"

struct hexbuf {
    uint8_t *p;
    size_t len;
};

static struct hexbuf field(const pl_json *obj, const char *key)
{
    struct hexbuf b;
    const char *hex = pl_json_get_str(obj, key);
    assert_non_null(hex);
    b.p = pl_test_unhex(hex, &b.len);
    return b;
}

static void load_key(const pl_json *group, pl_rsa_private *key)
{
    const pl_json *pk = pl_json_get(group, "privateKey");
    static const char *const names[8] = {"modulus", "publicExponent", "privateExponent", "prime1",
                                         "prime2", "exponent1", "exponent2", "coefficient"};
    struct hexbuf b[8];
    struct pl_rsa_parts parts;
    assert_non_null(pk);
    for (int i = 0; i < 8; i++) {
        b[i] = field(pk, names[i]);
    }
    parts = (struct pl_rsa_parts){
        .n = b[0].p, .n_len = b[0].len, .e = b[1].p, .e_len = b[1].len,
        .d = b[2].p, .d_len = b[2].len, .p = b[3].p, .p_len = b[3].len,
        .q = b[4].p, .q_len = b[4].len, .dp = b[5].p, .dp_len = b[5].len,
        .dq = b[6].p, .dq_len = b[6].len, .qinv = b[7].p, .qinv_len = b[7].len,
    };
    assert_int_equal(pl_rsa_private_init(key, &parts), 0);
    for (int i = 0; i < 8; i++) {
        free(b[i].p);
    }
}

static enum pl_wp_verdict run_case(const pl_json *group, const pl_json *test, void *arg,
                                   const char **why)
{
    pl_rsa_private key;
    struct hexbuf ct = field(test, "ct"), msg = field(test, "msg");
    uint8_t out[PL_RSA_MAX_LEN], pms[PL_RSA_PREMASTER_LEN], version[2] = {3, 3};
    size_t out_len = 0;
    enum pl_wp_verdict v = PL_WP_REJECTED;
    int rc, tls_rc;
    (void)arg;
    load_key(group, &key);
    rc = pl_rsa_pkcs1_decrypt(&key, ct.p, ct.len, out, sizeof out, &out_len);
    if (rc == 0) {
        v = PL_WP_ACCEPTED;
        if (out_len != msg.len || memcmp(out, msg.p, msg.len) != 0) {
            *why = "decrypted message differs";
            v = PL_WP_WRONG;
        }
    } else if (rc != SSL_ERR_CRYPTO_RSA_DECRYPT_FAILED) {
        *why = "refused with a code other than SSL_ERR_CRYPTO_RSA_DECRYPT_FAILED";
        v = PL_WP_WRONG;
    }
    /* The TLS form: no content-dependent error, the message only when it qualifies. */
    if (msg.len >= 2) {
        version[0] = msg.p[0];
        version[1] = msg.p[1];
    }
    tls_rc = pl_rsa_tls_decrypt_premaster(&key, ct.p, ct.len, version, pms);
    if (ct.len != pl_rsa_public_len(pl_rsa_private_public(&key))) {
        if (tls_rc != SSL_ERR_CRYPTO_BAD_LENGTH) {
            *why = "TLS form: wrong ciphertext length not refused";
            v = PL_WP_WRONG;
        }
    } else if (tls_rc != 0) {
        *why = "TLS form returned an error on a ciphertext of the right length";
        v = PL_WP_WRONG;
    } else if ((rc == 0 && msg.len == 48) != (msg.len == 48 && memcmp(pms, msg.p, 48) == 0)) {
        *why = "TLS form selected the wrong value"; /* (R equal to M by chance: 2^-384) */
        v = PL_WP_WRONG;
    }
    pl_rsa_private_free(&key);
    free(ct.p);
    free(msg.p);
    return v;
}

static void run_file(const char *file)
{
    struct pl_wp_counts c;
    assert_int_equal(pl_wp_run(file, run_case, NULL, &c), 0);
    assert_true(c.total > 60);
    assert_int_equal(c.skipped, 0);
}

static void test_wycheproof_rsa_pkcs1_2048(void **state)
{
    (void)state;
    run_file("rsa_pkcs1_2048_test.json");
}

static void test_wycheproof_rsa_pkcs1_3072(void **state)
{
    (void)state;
    run_file("rsa_pkcs1_3072_test.json");
}

static void test_wycheproof_rsa_pkcs1_4096(void **state)
{
    (void)state;
    run_file("rsa_pkcs1_4096_test.json");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wycheproof_rsa_pkcs1_2048),
        cmocka_unit_test(test_wycheproof_rsa_pkcs1_3072),
        cmocka_unit_test(test_wycheproof_rsa_pkcs1_4096),
    };
    pl_test_require_vectors();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
