/* Finite-field Diffie-Hellman (src/crypto/dh.c): the RFC 7919 tables, the Logjam and range
 * checks on server groups and peer values, agreement, and RFC 5246 §8.1.2's stripping of the
 * shared secret's leading zeros. Answers from another implementation are in
 * tests/cross/cross_dh.c. */
#include "pl_test.h"

#include "crypto/dh.h"

/* RFC 7919 Appendix A.1: q = (p-1)/2 for ffdhe2048, as printed there. */
static const char ffdhe2048_q[] =
    "7fffffffffffffffd6fc2a2c515da54d57ee2b10139e9e78ec5ce2c1e7169b4ad4f09b208a3219fde649cee7124d9f7c"
    "be97f1b1b1863aec7b40d901576230bd69ef8f6aeafeb2b09219fa8faf83376842b1b2aa9ef68d79daab89af3fabe49a"
    "cc278638707345bbf15344ed79f7f4390ef8ac509b56f39a98566527a41d3cbd5e0558c159927db0e88454a5d96471fd"
    "dcb56d5bb06bfa340ea7a151ef1ca6fa572b76f3b1b95d8c8583d3e4770536b84f017e70e6fbf176601a0266941a17b0"
    "c8b97f4e74c2c1ffc7278919777940c1e1ff1d8da637d6b99ddafe5e17611002e2c778c1be8b41d96379a51360d977fd"
    "4435a11c30942e4bffffffffffffffff";

static void test_dh_ffdhe2048_p_matches_rfc7919_q(void **state)
{
    uint8_t half[256];
    (void)state;
    assert_int_equal(pl_ffdhe2048.p_len, 256);
    /* p is odd, so (p-1)/2 = p >> 1 */
    for (size_t i = 0; i < 256; i++) {
        half[i] = (uint8_t)((pl_ffdhe2048.p[i] >> 1) | (i > 0 ? pl_ffdhe2048.p[i - 1] << 7 : 0));
    }
    pl_test_assert_hex(half, sizeof half, ffdhe2048_q);
}

/* RFC 7919 §A: every group's p is 2^b - 2^(b-64) + {...} * 2^64 - 1, so its top and bottom 64
 * bits are all ones, and g = 2. */
static void test_dh_ffdhe_tables_have_rfc7919_shape(void **state)
{
    static const struct {
        uint16_t id;
        size_t len;
    } rows[] = {{PL_GROUP_FFDHE2048, 256}, {PL_GROUP_FFDHE3072, 384}, {PL_GROUP_FFDHE4096, 512}};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(rows); i++) {
        const pl_dh_group *g = pl_dh_ffdhe(rows[i].id);
        assert_non_null(g);
        assert_int_equal(g->named_group, rows[i].id);
        assert_int_equal(g->p_len, rows[i].len);
        for (size_t j = 0; j < 8; j++) {
            assert_int_equal(g->p[j], 0xff);
            assert_int_equal(g->p[g->p_len - 1 - j], 0xff);
        }
        assert_int_equal(g->g_len, 1);
        assert_int_equal(g->g[0], 2);
        assert_true(g->priv_len * 8 >= 225);
    }
    assert_null(pl_dh_ffdhe(259)); /* ffdhe6144: not offered by padlock */
    assert_null(pl_dh_ffdhe(23));
}

static void test_dh_group_init_recognises_ffdhe_with_leading_zeros(void **state)
{
    uint8_t p[257], g[2] = {0, 2};
    pl_dh_group group;
    (void)state;
    p[0] = 0;
    memcpy(p + 1, pl_ffdhe3072.p, 256); /* not ffdhe3072: only its first 256 bytes */
    memcpy(p + 1, pl_ffdhe2048.p, 256);
    assert_int_equal(pl_dh_group_init(&group, p, sizeof p, g, sizeof g), 0);
    assert_string_equal(group.name, "ffdhe2048");
    assert_int_equal(group.named_group, PL_GROUP_FFDHE2048);
    assert_ptr_equal(group.p, pl_ffdhe2048.p);
}

static void test_dh_group_init_accepts_a_server_chosen_group(void **state)
{
    uint8_t p[256], g[1] = {5};
    pl_dh_group group;
    (void)state;
    memcpy(p, pl_ffdhe2048.p, sizeof p);
    p[100] ^= 0x10;
    assert_int_equal(pl_dh_group_init(&group, p, sizeof p, g, sizeof g), 0);
    assert_string_equal(group.name, "server-chosen");
    assert_int_equal(group.named_group, 0);
    assert_int_equal(group.p_len, 256);
    assert_int_equal(group.priv_len, 64);
}

/* Logjam: a 1024-bit or a 2047-bit prime is refused with its own error. */
static void test_dh_group_init_small_primes_are_logjam(void **state)
{
    uint8_t p[256], g[1] = {2};
    pl_dh_group group;
    (void)state;
    memset(p, 0xff, sizeof p);
    assert_int_equal(pl_dh_group_init(&group, p, 128, g, 1), SSL_ERR_CRYPTO_DH_GROUP_TOO_SMALL);
    p[0] = 0x7f; /* 2047 bits */
    assert_int_equal(pl_dh_group_init(&group, p, 256, g, 1), SSL_ERR_CRYPTO_DH_GROUP_TOO_SMALL);
    p[0] = 0x80; /* 2048 bits */
    assert_int_equal(pl_dh_group_init(&group, p, 256, g, 1), 0);
    assert_int_equal(pl_dh_group_init(&group, p, 0, g, 1), SSL_ERR_CRYPTO_DH_GROUP_TOO_SMALL);
}

static void test_dh_group_init_bad_groups(void **state)
{
    static uint8_t big[PL_DH_MAX_LEN + 1];
    uint8_t p[256], g[256];
    pl_dh_group group;
    (void)state;
    memcpy(p, pl_ffdhe2048.p, sizeof p);
    /* g must satisfy 1 < g < p-1 */
    g[0] = 0;
    assert_int_equal(pl_dh_group_init(&group, p, 256, g, 1), SSL_ERR_CRYPTO_DH_BAD_GROUP);
    g[0] = 1;
    assert_int_equal(pl_dh_group_init(&group, p, 256, g, 1), SSL_ERR_CRYPTO_DH_BAD_GROUP);
    assert_int_equal(pl_dh_group_init(&group, p, 256, g, 0), SSL_ERR_CRYPTO_DH_BAD_GROUP);
    memcpy(g, p, 256);
    g[255] = (uint8_t)(p[255] - 1); /* p-1 */
    assert_int_equal(pl_dh_group_init(&group, p, 256, g, 256), SSL_ERR_CRYPTO_DH_BAD_GROUP);
    g[255] = p[255]; /* p */
    assert_int_equal(pl_dh_group_init(&group, p, 256, g, 256), SSL_ERR_CRYPTO_DH_BAD_GROUP);
    g[255] = (uint8_t)(p[255] - 2); /* p-2 */
    assert_int_equal(pl_dh_group_init(&group, p, 256, g, 256), 0);
    /* an even p */
    p[255] ^= 1;
    g[0] = 2;
    assert_int_equal(pl_dh_group_init(&group, p, 256, g, 1), SSL_ERR_CRYPTO_DH_BAD_GROUP);
    /* over 8192 bits */
    memset(big, 0xff, sizeof big);
    assert_int_equal(pl_dh_group_init(&group, big, sizeof big, g, 1), SSL_ERR_CRYPTO_DH_BAD_GROUP);
}

/* 1 < y < p-1, leading zeros allowed, never more bytes than p. */
static void test_dh_check_public_range(void **state)
{
    const pl_dh_group *grp = &pl_ffdhe2048;
    uint8_t y[257];
    (void)state;
    memset(y, 0, sizeof y);
    assert_int_equal(pl_dh_check_public(grp, y, 0), SSL_ERR_CRYPTO_DH_BAD_PUBLIC);
    assert_int_equal(pl_dh_check_public(grp, y, 256), SSL_ERR_CRYPTO_DH_BAD_PUBLIC); /* 0 */
    y[255] = 1;
    assert_int_equal(pl_dh_check_public(grp, y, 256), SSL_ERR_CRYPTO_DH_BAD_PUBLIC); /* 1 */
    y[255] = 2;
    assert_int_equal(pl_dh_check_public(grp, y, 256), 0);
    assert_int_equal(pl_dh_check_public(grp, y + 255, 1), 0);
    memcpy(y, grp->p, 256);
    y[255] = (uint8_t)(grp->p[255] - 1);
    assert_int_equal(pl_dh_check_public(grp, y, 256), SSL_ERR_CRYPTO_DH_BAD_PUBLIC); /* p-1 */
    y[255] = (uint8_t)(grp->p[255] - 2);
    assert_int_equal(pl_dh_check_public(grp, y, 256), 0);                            /* p-2 */
    y[255] = grp->p[255];
    assert_int_equal(pl_dh_check_public(grp, y, 256), SSL_ERR_CRYPTO_DH_BAD_PUBLIC); /* p */
    memset(y, 0xff, 256);
    assert_int_equal(pl_dh_check_public(grp, y, 256), SSL_ERR_CRYPTO_DH_BAD_PUBLIC); /* > p */
    y[0] = 0;
    memcpy(y + 1, grp->p, 256); /* p in 257 bytes, with a leading zero */
    assert_int_equal(pl_dh_check_public(grp, y, 257), SSL_ERR_CRYPTO_DH_BAD_PUBLIC);
    memset(y, 0, 257);
    y[256] = 2; /* 257 bytes with value 2 */
    assert_int_equal(pl_dh_check_public(grp, y, 257), 0);
}

static void test_dh_keygen_pairs_agree_in_every_group(void **state)
{
    const pl_dh_group *groups[] = {&pl_ffdhe2048, &pl_ffdhe3072, &pl_ffdhe4096};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(groups); i++) {
        const pl_dh_group *g = groups[i];
        uint8_t a_priv[PL_DH_MAX_PRIV_LEN], b_priv[PL_DH_MAX_PRIV_LEN];
        uint8_t a_pub[PL_DH_MAX_LEN], b_pub[PL_DH_MAX_LEN], z1[PL_DH_MAX_LEN], z2[PL_DH_MAX_LEN];
        size_t z1_len, z2_len;
        assert_int_equal(pl_dh_keygen(g, a_priv, g->priv_len, a_pub, sizeof a_pub), 0);
        assert_int_equal(pl_dh_keygen(g, b_priv, g->priv_len, b_pub, sizeof b_pub), 0);
        assert_true((a_priv[0] & 0x80) != 0);
        assert_int_equal(pl_dh_check_public(g, a_pub, g->p_len), 0);
        assert_int_equal(pl_dh_shared(g, a_priv, g->priv_len, b_pub, g->p_len, z1, sizeof z1,
                                      &z1_len), 0);
        assert_int_equal(pl_dh_shared(g, b_priv, g->priv_len, a_pub, g->p_len, z2, sizeof z2,
                                      &z2_len), 0);
        assert_int_equal(z1_len, z2_len);
        assert_true(z1_len <= g->p_len && z1_len > g->p_len - 8);
        assert_memory_equal(z1, z2, z1_len);
        assert_int_not_equal(z1[0], 0);
    }
}

/* 2^2000 < p: the secret is 0x01 followed by 250 zero bytes, so 5 leading zero bytes of the
 * 256-byte Z are stripped (RFC 5246 §8.1.2). And 2^1 = 2 strips 255. */
static void test_dh_shared_strips_leading_zeros(void **state)
{
    static const uint8_t x2000[2] = {0x07, 0xd0}, x1[1] = {1}, two[1] = {2};
    uint8_t z[256];
    size_t z_len;
    (void)state;
    assert_int_equal(pl_dh_shared(&pl_ffdhe2048, x2000, 2, two, 1, z, sizeof z, &z_len), 0);
    assert_int_equal(z_len, 251);
    assert_int_equal(z[0], 1);
    for (size_t i = 1; i < z_len; i++) {
        assert_int_equal(z[i], 0);
    }
    assert_int_equal(pl_dh_shared(&pl_ffdhe2048, x1, 1, two, 1, z, sizeof z, &z_len), 0);
    assert_int_equal(z_len, 1);
    assert_int_equal(z[0], 2);
}

/* A result of 1 means the peer's value has an order dividing our exponent; refused. */
static void test_dh_shared_of_one_is_refused(void **state)
{
    static const uint8_t x0[1] = {0}, y[1] = {3};
    uint8_t z[256];
    size_t z_len = 99;
    (void)state;
    assert_int_equal(pl_dh_shared(&pl_ffdhe2048, x0, 1, y, 1, z, sizeof z, &z_len),
                     SSL_ERR_CRYPTO_DH_BAD_PUBLIC);
    assert_int_equal(z_len, 0);
}

static void test_dh_bad_arguments(void **state)
{
    uint8_t priv[64], pub[512], z[255];
    size_t z_len;
    (void)state;
    assert_int_equal(pl_dh_keygen(&pl_ffdhe2048, priv, 31, pub, sizeof pub),
                     SSL_ERR_INVALID_ARGUMENT);
    assert_int_equal(pl_dh_keygen(&pl_ffdhe2048, priv, 32, pub, 255), SSL_ERR_INVALID_ARGUMENT);
    assert_int_equal(pl_dh_shared(&pl_ffdhe2048, priv, 32, pub, 256, z, sizeof z, &z_len),
                     SSL_ERR_INVALID_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dh_ffdhe2048_p_matches_rfc7919_q),
        cmocka_unit_test(test_dh_ffdhe_tables_have_rfc7919_shape),
        cmocka_unit_test(test_dh_group_init_recognises_ffdhe_with_leading_zeros),
        cmocka_unit_test(test_dh_group_init_accepts_a_server_chosen_group),
        cmocka_unit_test(test_dh_group_init_small_primes_are_logjam),
        cmocka_unit_test(test_dh_group_init_bad_groups),
        cmocka_unit_test(test_dh_check_public_range),
        cmocka_unit_test(test_dh_keygen_pairs_agree_in_every_group),
        cmocka_unit_test(test_dh_shared_strips_leading_zeros),
        cmocka_unit_test(test_dh_shared_of_one_is_refused),
        cmocka_unit_test(test_dh_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
