/* ChaCha20-Poly1305 against Wycheproof's chacha20_poly1305_test.json: every vector through every
 * AEAD class this CPU can run. A valid vector must seal to exactly its ct and tag and open back
 * to its msg; an invalid one must be refused, and a refused open must leave its output zeroed.
 *
 * The classes take a 12-byte nonce and a 16-byte tag only (RFC 8439 §2.8: N_MIN = N_MAX = 12), so
 * there is no way to hand them a nonce of another size. This harness mirrors that: a vector
 * whose nonce (or tag) length differs from the class's nonce_len (tag_len) is counted as
 * rejected by that size check, without calling the class. Wycheproof marks all such vectors
 * invalid (InvalidNonceSize). Skipped (exit 77) when the vectors are missing. */
#include <stdio.h>
#include <stdlib.h>

#include "pl_test.h"

#include "base/cpu.h"
#include "crypto/aead.h"
#include "crypto/chacha20.h"

#define AVX2_NEEDS (PL_CPU_AVX2 | PL_CPU_BMI2)
#define AVX512_NEEDS (AVX2_NEEDS | PL_CPU_AVX512)

static const struct cls {
    const pl_aead_class *cls;
    uint32_t needs;
} classes[] = {
    {&pl_chacha20_poly1305_portable, 0},
    {&pl_chacha20_poly1305_avx2, AVX2_NEEDS},
    {&pl_chacha20_poly1305_avx512, AVX512_NEEDS},
};

struct run {
    const pl_aead_class *cls;
    size_t size_rejected; /* refused by the harness's nonce/tag size check */
};

static int all_zero(const uint8_t *p, size_t len)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < len; i++) {
        acc |= p[i];
    }
    return acc == 0;
}

static enum pl_wp_verdict run_case(const pl_aead_class *cls, const uint8_t *key,
                                   const uint8_t *nonce, const uint8_t *aad, size_t aad_len,
                                   const uint8_t *msg, size_t msg_len, const uint8_t *ct,
                                   const uint8_t *tag, const char **why)
{
    pl_aead_ctx ctx;
    uint8_t got_tag[PL_AEAD_TAG_LEN];
    uint8_t *out = malloc(msg_len + 1), *back = malloc(msg_len + 1);
    enum pl_wp_verdict verdict;
    assert_non_null(out);
    assert_non_null(back);
    memset(back, 0xa5, msg_len);
    cls->init(&ctx, key);
    if (cls->open(&ctx, nonce, aad, aad_len, ct, back, msg_len, tag) != 0) {
        verdict = all_zero(back, msg_len) ? PL_WP_REJECTED : PL_WP_WRONG;
        *why = verdict == PL_WP_REJECTED ? "SSL_ERR_CRYPTO_AUTH_FAILED"
                                         : "open failed but left plaintext in its output";
    } else if (memcmp(back, msg, msg_len) != 0) {
        *why = "open gave a different plaintext";
        verdict = PL_WP_WRONG;
    } else {
        cls->seal(&ctx, nonce, aad, aad_len, msg, out, msg_len, got_tag);
        verdict = memcmp(out, ct, msg_len) == 0 && memcmp(got_tag, tag, PL_AEAD_TAG_LEN) == 0
                      ? PL_WP_ACCEPTED
                      : PL_WP_WRONG;
        if (verdict == PL_WP_WRONG) {
            *why = "seal gave a different ciphertext or tag";
        }
    }
    pl_wipe(&ctx, sizeof ctx);
    free(out);
    free(back);
    return verdict;
}

static enum pl_wp_verdict chacha_case(const pl_json *group, const pl_json *test, void *arg,
                                      const char **why)
{
    struct run *run = arg;
    size_t key_len, iv_len, aad_len, msg_len, ct_len, tag_len;
    uint8_t *key = pl_test_unhex(pl_json_get_str(test, "key"), &key_len);
    uint8_t *iv = pl_test_unhex(pl_json_get_str(test, "iv"), &iv_len);
    uint8_t *aad = pl_test_unhex(pl_json_get_str(test, "aad"), &aad_len);
    uint8_t *msg = pl_test_unhex(pl_json_get_str(test, "msg"), &msg_len);
    uint8_t *ct = pl_test_unhex(pl_json_get_str(test, "ct"), &ct_len);
    uint8_t *tag = pl_test_unhex(pl_json_get_str(test, "tag"), &tag_len);
    enum pl_wp_verdict verdict;
    (void)group;

    assert_int_equal(key_len, run->cls->key_len); /* every group has keySize 256 */
    assert_int_equal(ct_len, msg_len);
    if (iv_len != run->cls->nonce_len || tag_len != run->cls->tag_len) {
        /* The class's size check, done here (see the top of the file). */
        *why = "nonce or tag size not accepted by the class (harness size check)";
        run->size_rejected++;
        verdict = PL_WP_REJECTED;
    } else {
        verdict = run_case(run->cls, key, iv, aad, aad_len, msg, msg_len, ct, tag, why);
    }
    free(key);
    free(iv);
    free(aad);
    free(msg);
    free(ct);
    free(tag);
    return verdict;
}

static void test_wycheproof_chacha20_poly1305_vectors_seal_open_or_are_rejected(void **state)
{
    size_t failed = 0, ran = 0;
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(classes); i++) {
        struct run run = {classes[i].cls, 0};
        struct pl_wp_counts counts;
        if ((pl_cpu_detected() & classes[i].needs) != classes[i].needs) {
            printf("%s class: not available on this CPU, not run\n", classes[i].cls->impl);
            continue;
        }
        printf("%s class:\n", classes[i].cls->impl);
        failed += pl_wp_run("chacha20_poly1305_test.json", chacha_case, &run, &counts);
        printf("  of the invalid ones, %zu rejected by the harness's nonce-size check "
               "(the class takes only %zu-byte nonces)\n",
               run.size_rejected, classes[i].cls->nonce_len);
        assert_true(counts.total > 0);
        assert_int_equal(counts.skipped, 0);
        assert_int_equal(counts.failed, 0);
        assert_int_equal(counts.valid + counts.invalid, counts.total);
        ran += counts.total;
    }
    printf("%zu vectors run in all, %zu failed\n", ran, failed);
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wycheproof_chacha20_poly1305_vectors_seal_open_or_are_rejected),
    };
    pl_test_require_vectors();
    return cmocka_run_group_tests_name("wycheproof_chacha20_poly1305", tests, NULL, NULL);
}
