/* Wycheproof x25519_test.json through pl_x25519_shared.
 *
 * "acceptable" cases are decided per flag, as padlock's policy:
 *   - ZeroSharedSecret (a low-order public value): must be REJECTED. RFC 7748 §6.1 lets a
 *     protocol abort on the all-zero result, and a TLS client must, or a malicious server could
 *     force a known pre-master secret.
 *   - Twist, NonCanonicalPublic, SpecialPublicKey, EdgeCase* with a non-zero result: must be
 *     ACCEPTED with the exact result. RFC 7748 §5 says to accept any 32-byte string, reduce
 *     non-canonical values, and mask the top bit; X25519 is safe on the twist by design. */
#include "pl_test.h"

#include "crypto/x25519.h"

static enum pl_wp_verdict run_case(const pl_json *group, const pl_json *test, void *arg,
                                   const char **why)
{
    uint8_t pub[32], priv[32], want[32], out[32];
    const char *curve = pl_json_get_str(group, "curve");
    const char *result = pl_json_get_str(test, "result");
    int zero_flag = pl_json_has_flag(test, "ZeroSharedSecret");
    int rc;
    (void)arg;
    if (curve == NULL || strcmp(curve, "curve25519") != 0) {
        *why = "not curve25519";
        return PL_WP_SKIPPED;
    }
    pl_test_unhex_into(pl_json_get_str(test, "public"), pub, 32);
    pl_test_unhex_into(pl_json_get_str(test, "private"), priv, 32);
    pl_test_unhex_into(pl_json_get_str(test, "shared"), want, 32);
    rc = pl_x25519_shared(out, priv, pub);
    if (strcmp(result, "acceptable") == 0) {
        if (zero_flag && rc == 0) {
            *why = "(policy: an all-zero shared secret must be refused)";
            return PL_WP_WRONG;
        }
        if (!zero_flag && rc != 0) {
            *why = "(policy: a non-zero result must be accepted)";
            return PL_WP_WRONG;
        }
    }
    if (rc != 0) {
        return PL_WP_REJECTED;
    }
    if (memcmp(out, want, 32) != 0) {
        *why = "shared secret differs";
        return PL_WP_WRONG;
    }
    return PL_WP_ACCEPTED;
}

static void test_wycheproof_x25519(void **state)
{
    struct pl_wp_counts c;
    (void)state;
    assert_int_equal(pl_wp_run("x25519_test.json", run_case, NULL, &c), 0);
    assert_true(c.total > 500);
    assert_int_equal(c.skipped, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wycheproof_x25519),
    };
    pl_test_require_vectors();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
