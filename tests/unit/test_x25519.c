/* X25519 (src/crypto/x25519.c) against RFC 7748: the §5.2 scalar-multiplication vectors, the
 * 1 and 1,000 iteration tests, and the §6.1 Diffie-Hellman example; plus the all-zero check. */
#include "pl_test.h"

#include "crypto/x25519.h"

struct vector {
    const char *scalar, *u, *out;
};

/* RFC 7748 §5.2, the two test vectors of the X25519 function. */
static const struct vector rfc7748_5_2[] = {
    {"a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
     "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
     "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"},
    {"4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
     "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
     "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"},
};

static void test_x25519_rfc7748_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(rfc7748_5_2); i++) {
        uint8_t k[32], u[32], out[32];
        pl_test_unhex_into(rfc7748_5_2[i].scalar, k, 32);
        pl_test_unhex_into(rfc7748_5_2[i].u, u, 32);
        pl_x25519(out, k, u);
        pl_test_assert_hex(out, 32, rfc7748_5_2[i].out);
    }
}

/* RFC 7748 §5.2: k = u = 9, then repeatedly (k, u) = (X25519(k, u), k). */
static void test_x25519_rfc7748_iterations_1_and_1000(void **state)
{
    uint8_t k[32] = {9}, u[32] = {9}, out[32];
    (void)state;
    for (int i = 1; i <= 1000; i++) {
        pl_x25519(out, k, u);
        memcpy(u, k, 32);
        memcpy(k, out, 32);
        if (i == 1) {
            pl_test_assert_hex(k, 32,
                               "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
        }
    }
    pl_test_assert_hex(k, 32, "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
}

/* RFC 7748 §6.1: Alice's and Bob's key pairs and their shared secret. */
static void test_x25519_rfc7748_diffie_hellman(void **state)
{
    static const uint8_t nine[32] = {9};
    uint8_t a[32], b[32], pa[32], pb[32], s1[32], s2[32];
    (void)state;
    pl_test_unhex_into("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", a, 32);
    pl_test_unhex_into("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb", b, 32);
    pl_x25519(pa, a, nine);
    pl_x25519(pb, b, nine);
    pl_test_assert_hex(pa, 32, "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    pl_test_assert_hex(pb, 32, "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    assert_int_equal(pl_x25519_shared(s1, a, pb), 0);
    assert_int_equal(pl_x25519_shared(s2, b, pa), 0);
    pl_test_assert_hex(s1, 32, "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    assert_memory_equal(s1, s2, 32);
}

static void test_x25519_keygen_pairs_agree(void **state)
{
    uint8_t a[32], b[32], pa[32], pb[32], s1[32], s2[32];
    (void)state;
    for (int i = 0; i < 20; i++) {
        assert_int_equal(pl_x25519_keygen(a, pa), 0);
        assert_int_equal(pl_x25519_keygen(b, pb), 0);
        assert_int_equal(pl_x25519_shared(s1, a, pb), 0);
        assert_int_equal(pl_x25519_shared(s2, b, pa), 0);
        assert_memory_equal(s1, s2, 32);
    }
}

/* Key generation's ladder multiplies by the small base point directly; its public values must
 * equal the general function's scalar · 9. */
static void test_x25519_keygen_public_is_scalar_times_nine(void **state)
{
    static const uint8_t nine[32] = {9};
    uint8_t priv[32], pub[32], want[32];
    (void)state;
    for (int i = 0; i < 20; i++) {
        assert_int_equal(pl_x25519_keygen(priv, pub), 0);
        pl_x25519(want, priv, nine);
        assert_memory_equal(pub, want, 32);
        pl_x25519_public(pub, priv);
        assert_memory_equal(pub, want, 32);
    }
}

/* u = 0 and u = 1 have small order: every scalar gives the all-zero result (RFC 7748 §6.1). */
static void test_x25519_small_order_peer_is_rejected(void **state)
{
    uint8_t priv[32], out[32], zero[32] = {0}, one[32] = {1};
    (void)state;
    pl_test_fill(priv, sizeof priv);
    assert_int_equal(pl_x25519_shared(out, priv, zero), SSL_ERR_CRYPTO_ZERO_SHARED_SECRET);
    assert_memory_equal(out, zero, 32);
    assert_int_equal(pl_x25519_shared(out, priv, one), SSL_ERR_CRYPTO_ZERO_SHARED_SECRET);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_x25519_rfc7748_vectors),
        cmocka_unit_test(test_x25519_rfc7748_iterations_1_and_1000),
        cmocka_unit_test(test_x25519_rfc7748_diffie_hellman),
        cmocka_unit_test(test_x25519_keygen_pairs_agree),
        cmocka_unit_test(test_x25519_keygen_public_is_scalar_times_nine),
        cmocka_unit_test(test_x25519_small_order_peer_is_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
