/* The rest of the base layer: constant-time helpers (results, not timing — timing is the
 * valgrind check's job), wiping, OS randomness, CPU feature restriction, and the error list. */
#include "pl_test.h"

#include <stdio.h>

#include "base/alert.h"
#include "base/cpu.h"
#include "base/ct.h"
#include "base/pl.h"

static void test_ct_predicates_on_edge_values(void **state)
{
    static const uint32_t v[] = {0, 1, 2, 0x7fffffffu, 0x80000000u, 0xfffffffeu, 0xffffffffu};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(v); i++) {
        assert_int_equal(pl_ct_is_zero(v[i]), v[i] == 0);
        assert_int_equal(pl_ct_is_zero64((uint64_t)v[i] << 32), v[i] == 0);
        for (size_t j = 0; j < PL_ARRAY_LEN(v); j++) {
            assert_int_equal(pl_ct_eq(v[i], v[j]), v[i] == v[j]);
            assert_int_equal(pl_ct_lt(v[i], v[j]), v[i] < v[j]);
            assert_int_equal(pl_ct_select(1, v[i], v[j]), v[i]);
            assert_int_equal(pl_ct_select(0, v[i], v[j]), v[j]);
        }
    }
    assert_true(pl_ct_select64(1, 0x1122334455667788u, 7) == 0x1122334455667788u);
    assert_true(pl_ct_select64(0, 0x1122334455667788u, 7) == 7);
    assert_int_equal(pl_ct_mask(1), 0xffffffffu);
    assert_int_equal(pl_ct_mask(0), 0);
}

static void test_ct_memeq_finds_a_difference_at_any_position(void **state)
{
    uint8_t a[64], b[64];
    (void)state;
    pl_test_fill(a, sizeof a);
    memcpy(b, a, sizeof a);
    assert_int_equal(pl_ct_memeq(a, b, sizeof a), 1);
    assert_int_equal(pl_ct_memeq(a, b, 0), 1);
    for (size_t i = 0; i < sizeof a; i++) {
        for (int bit = 0; bit < 8; bit++) {
            b[i] ^= (uint8_t)(1u << bit);
            assert_int_equal(pl_ct_memeq(a, b, sizeof a), 0);
            b[i] ^= (uint8_t)(1u << bit);
        }
    }
}

static void test_ct_copy_if_copies_only_when_told(void **state)
{
    uint8_t dst[33], src[33], orig[33];
    (void)state;
    pl_test_fill(dst, sizeof dst);
    pl_test_fill(src, sizeof src);
    memcpy(orig, dst, sizeof dst);
    pl_ct_copy_if(0, dst, src, sizeof dst);
    assert_memory_equal(dst, orig, sizeof dst);
    pl_ct_copy_if(1, dst, src, sizeof dst);
    assert_memory_equal(dst, src, sizeof dst);
}

static void test_wipe_zeroes_the_buffer(void **state)
{
    uint8_t buf[77];
    uint8_t zero[77] = {0};
    (void)state;
    memset(buf, 0xa5, sizeof buf);
    pl_wipe(buf, sizeof buf);
    assert_memory_equal(buf, zero, sizeof buf);
    pl_wipe(NULL, 0);
}

static void test_random_fills_and_differs(void **state)
{
    uint8_t a[1000], b[1000];
    size_t zeros = 0;
    (void)state;
    memset(a, 0, sizeof a);
    assert_int_equal(pl_random(a, sizeof a), 0);
    assert_int_equal(pl_random(b, sizeof b), 0);
    assert_true(memcmp(a, b, sizeof a) != 0);
    for (size_t i = 0; i < sizeof a; i++) {
        zeros += a[i] == 0;
    }
    assert_true(zeros < 30); /* ~4 expected; 30 has probability far below 2^-40 */
    assert_int_equal(pl_random(a, 0), 0);
}

static void test_cpu_restrict_masks_features(void **state)
{
    (void)state;
    pl_cpu_restrict(0);
    assert_int_equal(pl_cpu_features(), 0);
    pl_cpu_restrict(PL_CPU_AESNI);
    assert_int_equal(pl_cpu_features(), pl_cpu_detected() & PL_CPU_AESNI);
    pl_cpu_restrict(PL_CPU_ALL);
    assert_int_equal(pl_cpu_features(), pl_cpu_detected());
    printf("cpu features: 0x%x%s%s%s%s%s%s\n", pl_cpu_detected(),
           pl_cpu_detected() & PL_CPU_AESNI ? " aesni" : "",
           pl_cpu_detected() & PL_CPU_PCLMUL ? " pclmul" : "",
           pl_cpu_detected() & PL_CPU_SHANI ? " sha-ni" : "",
           pl_cpu_detected() & PL_CPU_AVX2 ? " avx2" : "",
           pl_cpu_detected() & PL_CPU_AVX512 ? " avx512" : "",
           pl_cpu_detected() & PL_CPU_VAES ? " vaes" : "");
}

static void test_every_error_has_a_distinct_name_a_sentence_and_an_alert(void **state)
{
    (void)state;
    assert_string_equal(ssl_error_name(SSL_OK), "SSL_OK");
    for (int e = -1; e >= -(int)SSL_ERROR_COUNT_; e--) {
        const char *name = ssl_error_name(e);
        const char *text = ssl_error_string(e);
        int alert = pl_error_alert(e);
        assert_true(strncmp(name, "SSL_ERR_", 8) == 0);
        assert_true(strlen(text) > 5);
        assert_true(alert == PL_ALERT_NONE || pl_alert_name(alert) != NULL);
        for (int f = e - 1; f >= -(int)SSL_ERROR_COUNT_; f--) {
            assert_true(strcmp(name, ssl_error_name(f)) != 0);
        }
    }
    assert_string_equal(ssl_error_name(SSL_ERR_CRYPTO_AUTH_FAILED), "SSL_ERR_CRYPTO_AUTH_FAILED");
    assert_string_equal(ssl_error_string(SSL_ERR_DECODE_TRAILING),
                        "unexpected bytes after the end of a message");
    assert_int_equal(pl_error_alert(SSL_ERR_DECODE_TRUNCATED), PL_ALERT_DECODE_ERROR);
    assert_int_equal(pl_error_alert(SSL_ERR_CRYPTO_AUTH_FAILED), PL_ALERT_BAD_RECORD_MAC);
    assert_string_equal(pl_alert_name(PL_ALERT_BAD_RECORD_MAC), "bad_record_mac");
}

static void test_unknown_error_values_are_named_unknown(void **state)
{
    (void)state;
    assert_string_equal(ssl_error_name(1), "SSL_ERR_UNKNOWN");
    assert_string_equal(ssl_error_name(-100000), "SSL_ERR_UNKNOWN");
    assert_string_equal(ssl_error_string(-100000), "unknown error code");
    assert_string_equal(ssl_version_string(), PADLOCK_VERSION_STRING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ct_predicates_on_edge_values),
        cmocka_unit_test(test_ct_memeq_finds_a_difference_at_any_position),
        cmocka_unit_test(test_ct_copy_if_copies_only_when_told),
        cmocka_unit_test(test_wipe_zeroes_the_buffer),
        cmocka_unit_test(test_random_fills_and_differs),
        cmocka_unit_test(test_cpu_restrict_masks_features),
        cmocka_unit_test(test_every_error_has_a_distinct_name_a_sentence_and_an_alert),
        cmocka_unit_test(test_unknown_error_values_are_named_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
