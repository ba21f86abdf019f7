/* HMAC against Wycheproof's MacTest vectors (hmac_sha{1,256,384,512}_test.json): every test in
 * every group, full-length and truncated tags alike, through every hash implementation. A valid
 * tag must verify and a modified one must be rejected. Skipped (exit 77) when the vectors are
 * missing. */
#include <stdio.h>
#include <stdlib.h>

#include "pl_test.h"

#include "base/cpu.h"
#include "crypto/hmac.h"

static const struct {
    const char *file;
    const pl_hash_class *cls;
} files[] = {
    {"hmac_sha1_test.json", &pl_sha1_class},
    {"hmac_sha256_test.json", &pl_sha256_class},
    {"hmac_sha384_test.json", &pl_sha384_class},
    {"hmac_sha512_test.json", &pl_sha512_class},
};

static const struct {
    const char *name;
    uint32_t mask;
} impls[] = {
    {"portable", 0},
    {"accelerated", PL_CPU_ALL},
};

/* One MacTest: verify tag over msg under key, the tag being the group's tagSize bits. */
static enum pl_wp_verdict hmac_case(const pl_json *group, const pl_json *test, void *arg,
                                    const char **why)
{
    const pl_hash_class *cls = arg;
    size_t tag_size = (size_t)pl_json_get_num(group, "tagSize", 0) / 8;
    size_t key_len, msg_len, tag_len;
    uint8_t *key = pl_test_unhex(pl_json_get_str(test, "key"), &key_len);
    uint8_t *msg = pl_test_unhex(pl_json_get_str(test, "msg"), &msg_len);
    uint8_t *tag = pl_test_unhex(pl_json_get_str(test, "tag"), &tag_len);
    enum pl_wp_verdict v;
    if (tag_len != tag_size) {
        *why = "tag length differs from the group's tagSize";
        v = PL_WP_REJECTED;
    } else if (pl_hmac_verify(cls, key, key_len, msg, msg_len, tag, tag_len) == 0) {
        v = PL_WP_ACCEPTED;
    } else {
        *why = "SSL_ERR_CRYPTO_AUTH_FAILED";
        v = PL_WP_REJECTED;
    }
    free(key);
    free(msg);
    free(tag);
    return v;
}

static void test_wycheproof_hmac_vectors_verify_or_are_rejected_as_marked(void **state)
{
    size_t failed = 0, ran = 0;
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        pl_cpu_restrict(impls[i].mask);
        printf("%s implementation:\n", impls[i].name);
        for (size_t f = 0; f < PL_ARRAY_LEN(files); f++) {
            struct pl_wp_counts counts;
            failed += pl_wp_run(files[f].file, hmac_case, (void *)files[f].cls, &counts);
            assert_true(counts.total > 0);
            assert_int_equal(counts.skipped, 0);
            assert_int_equal(counts.valid + counts.invalid, counts.total);
            ran += counts.total;
        }
    }
    pl_cpu_restrict(PL_CPU_ALL);
    printf("%zu vectors run in all, %zu failed\n", ran, failed);
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wycheproof_hmac_vectors_verify_or_are_rejected_as_marked),
    };
    pl_test_require_vectors();
    return cmocka_run_group_tests_name("wycheproof_hmac", tests, NULL, NULL);
}
