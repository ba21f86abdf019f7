/* FFDHE (src/crypto/dh.c, libtommath inside) against OpenSSL's libcrypto: the RFC 7919 tables
 * are primes and safe primes by OpenSSL's test; our shared secrets equal BN_mod_exp's for
 * random exponents and peer values; and a key agreement between padlock and OpenSSL's own
 * FFDHE (EVP, group by name) gives both sides the same pre-master secret. */
#include "pl_test.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "crypto/dh.h"

static const pl_dh_group *const groups[] = {&pl_ffdhe2048, &pl_ffdhe3072, &pl_ffdhe4096};

static void test_cross_dh_tables_are_safe_primes(void **state)
{
    BN_CTX *ctx = BN_CTX_new();
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(groups); i++) {
        BIGNUM *p = BN_bin2bn(groups[i]->p, (int)groups[i]->p_len, NULL);
        BIGNUM *q = BN_dup(p);
        assert_int_equal(BN_rshift1(q, q), 1);
        assert_int_equal(BN_check_prime(p, ctx, NULL), 1);
        assert_int_equal(BN_check_prime(q, ctx, NULL), 1);
        BN_free(p);
        BN_free(q);
    }
    BN_CTX_free(ctx);
}

/* Z = y^x mod p, stripped of leading zeros: exactly what BN_bn2bin writes. */
static void test_cross_dh_shared_equals_bn_mod_exp(void **state)
{
    BN_CTX *ctx = BN_CTX_new();
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(groups); i++) {
        const pl_dh_group *g = groups[i];
        BIGNUM *p = BN_bin2bn(g->p, (int)g->p_len, NULL);
        for (int n = 0; n < 24; n++) {
            uint8_t x[PL_DH_MAX_PRIV_LEN], y[PL_DH_MAX_LEN], ours[PL_DH_MAX_LEN];
            uint8_t theirs[PL_DH_MAX_LEN];
            size_t x_len = 1 + pl_test_below(PL_DH_MAX_PRIV_LEN), ours_len;
            BIGNUM *bx, *by, *bz = BN_new();
            pl_test_fill(x, x_len);
            if (n < 4) { /* the generator: the key generation path */
                memset(y, 0, g->p_len);
                y[g->p_len - 1] = 2;
            } else { /* a random value below p: top byte cleared */
                pl_test_fill(y, g->p_len);
                y[0] = 0;
            }
            bx = BN_bin2bn(x, (int)x_len, NULL);
            by = BN_bin2bn(y, (int)g->p_len, NULL);
            assert_int_equal(BN_mod_exp(bz, by, bx, p, ctx), 1);
            if (BN_is_one(bz)) {
                assert_int_equal(pl_dh_shared(g, x, x_len, y, g->p_len, ours, sizeof ours,
                                              &ours_len), SSL_ERR_CRYPTO_DH_BAD_PUBLIC);
            } else {
                assert_int_equal(pl_dh_shared(g, x, x_len, y, g->p_len, ours, sizeof ours,
                                              &ours_len), 0);
                assert_int_equal(ours_len, (size_t)BN_num_bytes(bz));
                BN_bn2bin(bz, theirs);
                assert_memory_equal(ours, theirs, ours_len);
            }
            BN_free(bx);
            BN_free(by);
            BN_free(bz);
        }
        BN_free(p);
    }
    BN_CTX_free(ctx);
}

/* An OpenSSL FFDHE key pair in the named group. */
static EVP_PKEY *openssl_keygen(const char *group)
{
    EVP_PKEY_CTX *kc = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
    OSSL_PARAM params[2];
    EVP_PKEY *key = NULL;
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)group, 0);
    params[1] = OSSL_PARAM_construct_end();
    assert_non_null(kc);
    assert_int_equal(EVP_PKEY_keygen_init(kc), 1);
    assert_int_equal(EVP_PKEY_CTX_set_params(kc, params), 1);
    assert_int_equal(EVP_PKEY_keygen(kc, &key), 1);
    EVP_PKEY_CTX_free(kc);
    return key;
}

/* OpenSSL's view of a peer public value in the named group. */
static EVP_PKEY *openssl_peer(const char *group, const uint8_t *pub, size_t len)
{
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    BIGNUM *y = BN_bin2bn(pub, (int)len, NULL);
    OSSL_PARAM *params;
    EVP_PKEY_CTX *fc = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
    EVP_PKEY *key = NULL;
    assert_int_equal(OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0), 1);
    assert_int_equal(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y), 1);
    params = OSSL_PARAM_BLD_to_param(bld);
    assert_int_equal(EVP_PKEY_fromdata_init(fc), 1);
    assert_int_equal(EVP_PKEY_fromdata(fc, &key, EVP_PKEY_PUBLIC_KEY, params), 1);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(y);
    EVP_PKEY_CTX_free(fc);
    return key;
}

/* padlock and OpenSSL agree on a pre-master secret, each with its own fresh key, in every
 * group; OpenSSL's derive strips leading zeros too unless asked to pad. */
static void test_cross_dh_agreement_with_openssl(void **state)
{
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(groups); i++) {
        const pl_dh_group *g = groups[i];
        for (int n = 0; n < 3; n++) {
            uint8_t priv[PL_DH_MAX_PRIV_LEN], pub[PL_DH_MAX_LEN], their_pub[PL_DH_MAX_LEN];
            uint8_t ours[PL_DH_MAX_LEN], theirs[PL_DH_MAX_LEN];
            size_t ours_len, theirs_len = sizeof theirs;
            EVP_PKEY *key = openssl_keygen(g->name), *peer;
            EVP_PKEY_CTX *dc;
            BIGNUM *y = NULL;
            assert_int_equal(pl_dh_keygen(g, priv, g->priv_len, pub, sizeof pub), 0);
            assert_int_equal(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PUB_KEY, &y), 1);
            assert_int_equal(BN_bn2binpad(y, their_pub, (int)g->p_len), (int)g->p_len);
            assert_int_equal(pl_dh_shared(g, priv, g->priv_len, their_pub, g->p_len, ours,
                                          sizeof ours, &ours_len), 0);
            peer = openssl_peer(g->name, pub, g->p_len);
            dc = EVP_PKEY_CTX_new(key, NULL);
            assert_int_equal(EVP_PKEY_derive_init(dc), 1);
            assert_int_equal(EVP_PKEY_derive_set_peer(dc, peer), 1);
            assert_int_equal(EVP_PKEY_derive(dc, theirs, &theirs_len), 1);
            assert_int_equal(ours_len, theirs_len);
            assert_memory_equal(ours, theirs, ours_len);
            EVP_PKEY_CTX_free(dc);
            EVP_PKEY_free(peer);
            EVP_PKEY_free(key);
            BN_free(y);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cross_dh_tables_are_safe_primes),
        cmocka_unit_test(test_cross_dh_shared_equals_bn_mod_exp),
        cmocka_unit_test(test_cross_dh_agreement_with_openssl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
