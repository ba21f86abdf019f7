/* AES-GCM against Wycheproof's aes_gcm_test.json: every vector of every group (AES-128, -192 and
 * -256; IVs of 0 to 2056 bits; counter wrap-around, special cases, modified tags) through every
 * implementation. Each vector goes through the low-level API (crypto/gcm.h); those with a 96-bit
 * IV, a 128-bit tag and a 128- or 256-bit key also go through the matching AEAD class, which must
 * agree. A valid vector must seal to exactly its ct and tag and open back to its msg; an invalid
 * one must be refused (and a refused open leaves its output zeroed). Skipped (exit 77) when the
 * vectors are missing. */
#include <stdio.h>
#include <stdlib.h>

#include "pl_test.h"

#include "base/cpu.h"
#include "crypto/gcm.h"

#define CLMUL_NEEDS (PL_CPU_AESNI | PL_CPU_PCLMUL | PL_CPU_SSSE3 | PL_CPU_SSE41)
#define VAES_NEEDS (CLMUL_NEEDS | PL_CPU_AVX2 | PL_CPU_AVX512 | PL_CPU_VAES)

static const struct impl {
    const char *name;
    uint32_t mask;  /* pl_cpu_restrict() mask that selects it */
    uint32_t needs; /* features the CPU must have */
    enum pl_gcm_impl id;
    const pl_aead_class *cls128, *cls256;
} impls[] = {
    {"portable", 0, 0, PL_GCM_PORTABLE, &pl_aes128_gcm_portable, &pl_aes256_gcm_portable},
    {"clmul", CLMUL_NEEDS, CLMUL_NEEDS, PL_GCM_CLMUL, &pl_aes128_gcm_clmul, &pl_aes256_gcm_clmul},
    {"vaes", PL_CPU_ALL, VAES_NEEDS, PL_GCM_VAES, &pl_aes128_gcm_vaes, &pl_aes256_gcm_vaes},
};

struct run {
    const struct impl *impl;
    size_t through_class; /* vectors that also went through an AEAD class */
};

struct vec {
    uint8_t *key, *iv, *aad, *msg, *ct, *tag;
    size_t key_len, iv_len, aad_len, msg_len, ct_len, tag_len;
};

static int all_zero(const uint8_t *p, size_t len)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < len; i++) {
        acc |= p[i];
    }
    return acc == 0;
}

/* The low-level API: seal msg and open ct. */
static enum pl_wp_verdict low_level(const struct impl *im, const struct vec *v, const char **why)
{
    pl_gcm_key g;
    uint8_t tag[16];
    uint8_t *out = malloc(v->msg_len + 1), *back = malloc(v->ct_len + 1);
    enum pl_wp_verdict verdict;
    int rc;
    assert_non_null(out);
    assert_non_null(back);
    pl_cpu_restrict(im->mask);
    rc = pl_gcm_init(&g, v->key, v->key_len);
    pl_cpu_restrict(PL_CPU_ALL);
    assert_int_equal(rc, 0);
    assert_int_equal(g.impl, im->id);

    rc = pl_gcm_open(&g, v->iv, v->iv_len, v->aad, v->aad_len, v->ct, back, v->ct_len, v->tag,
                     v->tag_len);
    if (rc < 0) {
        *why = ssl_error_name(rc);
        verdict = PL_WP_REJECTED;
        if (rc == SSL_ERR_CRYPTO_AUTH_FAILED && !all_zero(back, v->ct_len)) {
            *why = "open failed but left plaintext in its output";
            verdict = PL_WP_WRONG;
        }
    } else if (v->ct_len != v->msg_len || memcmp(back, v->msg, v->msg_len) != 0) {
        *why = "open gave a different plaintext";
        verdict = PL_WP_WRONG;
    } else if (pl_gcm_seal(&g, v->iv, v->iv_len, v->aad, v->aad_len, v->msg, out, v->msg_len,
                           tag, v->tag_len) != 0 ||
               memcmp(out, v->ct, v->ct_len) != 0 || memcmp(tag, v->tag, v->tag_len) != 0) {
        *why = "seal gave a different ciphertext or tag";
        verdict = PL_WP_WRONG;
    } else {
        verdict = PL_WP_ACCEPTED;
    }
    pl_gcm_wipe(&g);
    free(out);
    free(back);
    return verdict;
}

/* The AEAD class: 96-bit nonce and 128-bit tag only. */
static enum pl_wp_verdict through_class(const pl_aead_class *cls, const struct vec *v,
                                        const char **why)
{
    pl_aead_ctx ctx;
    uint8_t tag[16];
    uint8_t *out = malloc(v->msg_len + 1), *back = malloc(v->ct_len + 1);
    enum pl_wp_verdict verdict;
    assert_non_null(out);
    assert_non_null(back);
    cls->init(&ctx, v->key);
    if (cls->open(&ctx, v->iv, v->aad, v->aad_len, v->ct, back, v->ct_len, v->tag) != 0) {
        *why = all_zero(back, v->ct_len) ? "class: SSL_ERR_CRYPTO_AUTH_FAILED"
                                         : "class: open failed but left plaintext in its output";
        verdict = all_zero(back, v->ct_len) ? PL_WP_REJECTED : PL_WP_WRONG;
    } else if (memcmp(back, v->msg, v->msg_len) != 0) {
        *why = "class: open gave a different plaintext";
        verdict = PL_WP_WRONG;
    } else {
        cls->seal(&ctx, v->iv, v->aad, v->aad_len, v->msg, out, v->msg_len, tag);
        verdict = memcmp(out, v->ct, v->ct_len) == 0 && memcmp(tag, v->tag, 16) == 0
                      ? PL_WP_ACCEPTED
                      : PL_WP_WRONG;
        if (verdict == PL_WP_WRONG) {
            *why = "class: seal gave a different ciphertext or tag";
        }
    }
    pl_wipe(&ctx, sizeof ctx);
    free(out);
    free(back);
    return verdict;
}

static enum pl_wp_verdict gcm_case(const pl_json *group, const pl_json *test, void *arg,
                                   const char **why)
{
    struct run *run = arg;
    const struct impl *im = run->impl;
    size_t tag_size = (size_t)pl_json_get_num(group, "tagSize", 0) / 8;
    struct vec v;
    enum pl_wp_verdict verdict;
    const pl_aead_class *cls = NULL;

    v.key = pl_test_unhex(pl_json_get_str(test, "key"), &v.key_len);
    v.iv = pl_test_unhex(pl_json_get_str(test, "iv"), &v.iv_len);
    v.aad = pl_test_unhex(pl_json_get_str(test, "aad"), &v.aad_len);
    v.msg = pl_test_unhex(pl_json_get_str(test, "msg"), &v.msg_len);
    v.ct = pl_test_unhex(pl_json_get_str(test, "ct"), &v.ct_len);
    v.tag = pl_test_unhex(pl_json_get_str(test, "tag"), &v.tag_len);

    if (v.tag_len != tag_size) {
        *why = "tag length differs from the group's tagSize";
        verdict = PL_WP_REJECTED;
    } else {
        verdict = low_level(im, &v, why);
    }
    if (v.iv_len == PL_AEAD_NONCE_LEN && v.tag_len == PL_AEAD_TAG_LEN) {
        cls = v.key_len == 16 ? im->cls128 : v.key_len == 32 ? im->cls256 : NULL;
    }
    if (cls != NULL && verdict != PL_WP_WRONG) {
        const char *class_why = "";
        enum pl_wp_verdict cv = through_class(cls, &v, &class_why);
        run->through_class++;
        if (cv != verdict) {
            *why = cv == PL_WP_WRONG ? class_why : "the class and the low-level API disagree";
            verdict = PL_WP_WRONG;
        }
    }
    free(v.key);
    free(v.iv);
    free(v.aad);
    free(v.msg);
    free(v.ct);
    free(v.tag);
    return verdict;
}

static void test_wycheproof_aes_gcm_vectors_seal_open_or_are_rejected_as_marked(void **state)
{
    size_t failed = 0, ran = 0;
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        struct run run = {&impls[i], 0};
        struct pl_wp_counts counts;
        if ((pl_cpu_detected() & impls[i].needs) != impls[i].needs) {
            printf("%s implementation: not available on this CPU, not run\n", impls[i].name);
            continue;
        }
        printf("%s implementation:\n", impls[i].name);
        failed += pl_wp_run("aes_gcm_test.json", gcm_case, &run, &counts);
        printf("  %zu of them also through the %s AEAD classes\n", run.through_class,
               impls[i].cls128->impl);
        assert_true(counts.total > 0);
        assert_int_equal(counts.skipped, 0);
        assert_int_equal(counts.valid + counts.invalid, counts.total);
        assert_true(run.through_class > 0);
        ran += counts.total;
    }
    printf("%zu vectors run in all, %zu failed\n", ran, failed);
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wycheproof_aes_gcm_vectors_seal_open_or_are_rejected_as_marked),
    };
    pl_test_require_vectors();
    return cmocka_run_group_tests_name("wycheproof_aes_gcm", tests, NULL, NULL);
}
