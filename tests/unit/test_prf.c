/* The TLS 1.2 PRF (crypto/prf.h): published P_SHA256 and P_SHA384 known answers through every
 * hash implementation, and the properties the key schedule relies on: any output length, a
 * shorter request is a prefix of a longer one, the two-part seed equals the concatenated one, and
 * the output may overwrite the secret. */
#include <stdio.h>
#include <stdlib.h>

#include "pl_test.h"

#include "base/cpu.h"
#include "crypto/prf.h"

static const struct {
    const char *name;
    uint32_t mask;
} impls[] = {
    {"portable", 0},
    {"accelerated", PL_CPU_ALL},
};

/* The IETF TLS WG mailing list vectors (https://www.ietf.org/mail-archive/web/tls/current/
 * msg03416.html), PRF(secret, "test label", seed); the SHA-384 one is also in gnutls's
 * tests/tls12-prf.c. Output lengths 100 and 148 are not multiples of the hash length. */
static const struct {
    const pl_hash_class *cls;
    const char *secret, *seed, *out;
} kats[] = {
    {&pl_sha256_class, "9bbe436ba940f017b17652849a71db35", "a0ba9f936cda311827a6f796ffd5198c",
     "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a"
     "6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab"
     "4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701"
     "87347b66"},
    {&pl_sha384_class, "b80b733d6ceefcdc71566ea48e5567df", "cd665cf6a8447dd6ff8b27555edb7465",
     "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cd"
     "e9ca0faa60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd"
     "8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d918425"
     "9b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee6"
     "91c8f3a26854308d5eaa3be85e0990703d73e56f"},
};

static void test_published_vectors_through_every_implementation(void **state)
{
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        pl_cpu_restrict(impls[i].mask);
        for (size_t v = 0; v < PL_ARRAY_LEN(kats); v++) {
            size_t secret_len, seed_len, out_len;
            uint8_t *secret = pl_test_unhex(kats[v].secret, &secret_len);
            uint8_t *seed = pl_test_unhex(kats[v].seed, &seed_len);
            uint8_t *want = pl_test_unhex(kats[v].out, &out_len);
            uint8_t *out = malloc(out_len);
            assert_non_null(out);
            printf("  %s: P_%s, %zu bytes\n", impls[i].name, kats[v].cls->name, out_len);
            pl_prf_derive(kats[v].cls, secret, secret_len, "test label", seed, seed_len, out,
                          out_len);
            pl_test_assert_hex(out, out_len, kats[v].out);
            /* The same seed in two parts, split at every byte. */
            for (size_t split = 0; split <= seed_len; split++) {
                memset(out, 0, out_len);
                pl_prf_derive2(kats[v].cls, secret, secret_len, "test label", seed, split,
                               seed + split, seed_len - split, out, out_len);
                assert_memory_equal(out, want, out_len);
            }
            free(secret);
            free(seed);
            free(want);
            free(out);
        }
    }
    pl_cpu_restrict(PL_CPU_ALL);
}

/* Every length from 0 to 200 (so every remainder modulo 20, 32, 48 and 64) is the prefix of the
 * 200-byte output: P_hash is a stream, cut where the caller stops. */
static void test_shorter_output_is_a_prefix_of_longer_output(void **state)
{
    static const pl_hash_class *const classes[] = {
        &pl_sha1_class, &pl_sha256_class, &pl_sha384_class, &pl_sha512_class,
    };
    enum { MAX = 200 };
    uint8_t secret[48], seed[64], full[MAX], part[MAX + 1];
    (void)state;
    pl_test_fill(secret, sizeof secret);
    pl_test_fill(seed, sizeof seed);
    for (size_t h = 0; h < PL_ARRAY_LEN(classes); h++) {
        pl_prf_derive(classes[h], secret, sizeof secret, "key expansion", seed, sizeof seed, full,
                      MAX);
        for (size_t n = 0; n <= MAX; n++) {
            memset(part, 0xa5, sizeof part);
            pl_prf_derive(classes[h], secret, sizeof secret, "key expansion", seed, sizeof seed,
                          part, n);
            assert_memory_equal(part, full, n);
            assert_int_equal(part[n], 0xa5); /* nothing written past out_len */
        }
    }
}

/* Label and seed are one string to P_hash (RFC 5246 §5): moving bytes between them changes
 * nothing, while a different label changes everything. */
static void test_label_and_seed_are_concatenated(void **state)
{
    uint8_t secret[32], a[64], b[64];
    (void)state;
    pl_test_fill(secret, sizeof secret);
    pl_prf_derive(&pl_sha256_class, secret, sizeof secret, "master secret",
                  (const uint8_t *)"abc", 3, a, sizeof a);
    pl_prf_derive(&pl_sha256_class, secret, sizeof secret, "master secretabc", NULL, 0, b,
                  sizeof b);
    assert_memory_equal(a, b, sizeof a);
    pl_prf_derive(&pl_sha256_class, secret, sizeof secret, "master secreta",
                  (const uint8_t *)"bc", 2, b, sizeof b);
    assert_memory_equal(a, b, sizeof a);
    pl_prf_derive(&pl_sha256_class, secret, sizeof secret, "master secreT",
                  (const uint8_t *)"abc", 3, b, sizeof b);
    assert_memory_not_equal(a, b, sizeof a);
}

/* The master secret may be derived into the buffer holding the pre-master secret. */
static void test_output_may_overwrite_the_secret(void **state)
{
    uint8_t secret[48], buf[48], seed[64], want[48];
    (void)state;
    pl_test_fill(secret, sizeof secret);
    pl_test_fill(seed, sizeof seed);
    pl_prf_derive(&pl_sha384_class, secret, sizeof secret, "master secret", seed, sizeof seed,
                  want, sizeof want);
    memcpy(buf, secret, sizeof buf);
    pl_prf_derive(&pl_sha384_class, buf, sizeof buf, "master secret", seed, sizeof seed, buf,
                  sizeof buf);
    assert_memory_equal(buf, want, sizeof want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_published_vectors_through_every_implementation),
        cmocka_unit_test(test_shorter_output_is_a_prefix_of_longer_output),
        cmocka_unit_test(test_label_and_seed_are_concatenated),
        cmocka_unit_test(test_output_may_overwrite_the_secret),
    };
    pl_test_seed();
    return cmocka_run_group_tests_name("prf", tests, NULL, NULL);
}
