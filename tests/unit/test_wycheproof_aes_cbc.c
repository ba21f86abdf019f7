/* AES-CBC with PKCS#7 padding against Wycheproof's aes_cbc_pkcs5_test.json (IndCpaTest, 128-,
 * 192- and 256-bit keys), through every implementation. Each ciphertext is decrypted with
 * pl_aes_cbc_decrypt and unpadded with pl_pkcs7_unpad: a valid case must give msg, and msg padded
 * here and encrypted with pl_aes_cbc_encrypt must give ct; an invalid case (bad padding, or a
 * ciphertext that is not whole blocks) must be refused. Skipped (exit 77) when the vectors are
 * missing. */
#include <stdio.h>
#include <stdlib.h>

#include "pl_test.h"

#include "base/cpu.h"
#include "crypto/aes.h"

static const struct {
    const char *name;
    uint32_t mask;
} impls[] = {
    {"portable", 0},
    {"accelerated", PL_CPU_ALL},
};

/* PKCS#7 (RFC 5652 §6.3): append p = 16 - len mod 16 bytes of value p (a whole block when len
 * is already aligned). Returns a new buffer of *padded_len bytes. */
static uint8_t *pkcs7_pad(const uint8_t *msg, size_t len, size_t *padded_len)
{
    size_t pad = PL_AES_BLOCK_LEN - len % PL_AES_BLOCK_LEN;
    uint8_t *out = malloc(len + pad);
    assert_non_null(out);
    memcpy(out, msg, len);
    memset(out + len, (int)pad, pad);
    *padded_len = len + pad;
    return out;
}

static enum pl_wp_verdict cbc_case(const pl_json *group, const pl_json *test, void *arg,
                                   const char **why)
{
    size_t key_len, iv_len, msg_len, ct_len, padded_len, out_len = 0;
    uint8_t *key = pl_test_unhex(pl_json_get_str(test, "key"), &key_len);
    uint8_t *iv = pl_test_unhex(pl_json_get_str(test, "iv"), &iv_len);
    uint8_t *msg = pl_test_unhex(pl_json_get_str(test, "msg"), &msg_len);
    uint8_t *ct = pl_test_unhex(pl_json_get_str(test, "ct"), &ct_len);
    uint8_t *pt = malloc(ct_len + 1);
    uint8_t *padded = NULL, *enc = NULL;
    uint8_t iv_copy[PL_AES_BLOCK_LEN];
    enum pl_wp_verdict v;
    pl_aes_key k;
    int rc;
    (void)group;
    (void)arg;
    assert_non_null(pt);

    if (iv_len != PL_AES_BLOCK_LEN) {
        *why = "IV is not 16 bytes";
        v = PL_WP_SKIPPED;
        goto out;
    }
    rc = pl_aes_init(&k, key, key_len);
    if (rc != 0) {
        *why = ssl_error_name(rc);
        v = PL_WP_REJECTED;
        goto out;
    }
    memcpy(iv_copy, iv, sizeof iv_copy);
    rc = pl_aes_cbc_decrypt(&k, iv_copy, ct, pt, ct_len);
    if (rc == 0) {
        rc = pl_pkcs7_unpad(pt, ct_len, &out_len);
    }
    if (rc != 0) {
        *why = ssl_error_name(rc);
        v = PL_WP_REJECTED;
        goto out;
    }
    if (out_len != msg_len || memcmp(pt, msg, msg_len) != 0) {
        *why = "decryption differs from msg";
        v = PL_WP_WRONG;
        goto out;
    }
    /* The other direction: padding then encrypting msg gives ct. */
    padded = pkcs7_pad(msg, msg_len, &padded_len);
    enc = malloc(padded_len);
    assert_non_null(enc);
    memcpy(iv_copy, iv, sizeof iv_copy);
    assert_int_equal(pl_aes_cbc_encrypt(&k, iv_copy, padded, enc, padded_len), 0);
    if (padded_len != ct_len || memcmp(enc, ct, ct_len) != 0) {
        *why = "encryption of padded msg differs from ct";
        v = PL_WP_WRONG;
        goto out;
    }
    v = PL_WP_ACCEPTED;
out:
    pl_aes_wipe(&k);
    free(key);
    free(iv);
    free(msg);
    free(ct);
    free(pt);
    free(padded);
    free(enc);
    return v;
}

static void test_wycheproof_aes_cbc_pkcs5_vectors_decrypt_or_are_rejected_as_marked(void **state)
{
    size_t failed = 0, ran = 0;
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        struct pl_wp_counts counts;
        pl_cpu_restrict(impls[i].mask);
        printf("%s implementation:\n", impls[i].name);
        failed += pl_wp_run("aes_cbc_pkcs5_test.json", cbc_case, NULL, &counts);
        assert_true(counts.total > 0);
        assert_int_equal(counts.skipped, 0);
        assert_int_equal(counts.valid + counts.invalid, counts.total);
        ran += counts.total;
    }
    pl_cpu_restrict(PL_CPU_ALL);
    printf("%zu vectors run in all, %zu failed\n", ran, failed);
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wycheproof_aes_cbc_pkcs5_vectors_decrypt_or_are_rejected_as_marked),
    };
    pl_test_require_vectors();
    return cmocka_run_group_tests_name("wycheproof_aes_cbc", tests, NULL, NULL);
}
