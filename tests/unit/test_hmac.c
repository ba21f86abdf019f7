/* HMAC (crypto/hmac.h): the RFC 4231 and RFC 2202 known answers through every hash
 * implementation, prepared keys, incremental against one-shot, and verification of full and
 * truncated tags. */
#include <stdio.h>
#include <stdlib.h>

#include "pl_test.h"

#include "base/cpu.h"
#include "crypto/hmac.h"

static const struct {
    const char *name;
    uint32_t mask;
} impls[] = {
    {"portable", 0},
    {"accelerated", PL_CPU_ALL},
};

static const pl_hash_class *const classes[] = {
    &pl_sha1_class, &pl_sha256_class, &pl_sha384_class, &pl_sha512_class,
};

#define AA10 "aaaaaaaaaaaaaaaaaaaa"
#define DD10 "dddddddddddddddddddd"
#define CD10 "cdcdcdcdcdcdcdcdcdcd"

/* RFC 4231 §4.2-§4.8, test cases 1-7 for HMAC-SHA-256, -384 and -512. Case 5's MACs are the
 * 128-bit truncations the RFC gives; cases 6 and 7 have a 131-byte key, longer than every
 * block, so it is hashed first. Data is hex, or text when data_text is set. */
static const struct {
    int tc;
    const char *key;
    const char *data;
    const char *data_text;
    const char *sha256, *sha384, *sha512;
} rfc4231[] = {
    {1, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", NULL, "Hi There",
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
     "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
     "faea9ea9076ede7f4af152e8b2fa9cb6",
     "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
     "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
    {2, "4a656665", NULL, "what do ya want for nothing?",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
     "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
     "8e2240ca5e69e2c78b3239ecfab21649",
     "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
     "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
    {3, AA10 AA10, DD10 DD10 DD10 DD10 DD10, NULL,
     "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
     "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
     "2a5ab39dc13814b94e3ab6e101a34f27",
     "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
     "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"},
    {4, "0102030405060708090a0b0c0d0e0f10111213141516171819", CD10 CD10 CD10 CD10 CD10, NULL,
     "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
     "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
     "6801dd23c4a7d679ccf8a386c674cffb",
     "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
     "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"},
    {5, "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", NULL, "Test With Truncation",
     "a3b6167473100ee06e0c796c2955552b", "3abf34c3503b2a23a46efc619baef897",
     "415fad6271580a531d4179bc891d87a6"},
    {6, AA10 AA10 AA10 AA10 AA10 AA10 AA10 AA10 AA10 AA10 AA10 AA10 AA10 "aa", NULL,
     "Test Using Larger Than Block-Size Key - Hash Key First",
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
     "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
     "0c2ef6ab4030fe8296248df163f44952",
     "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
     "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"},
    {7, AA10 AA10 AA10 AA10 AA10 AA10 AA10 AA10 AA10 AA10 AA10 AA10 AA10 "aa", NULL,
     "This is a test using a larger than block-size key and a larger than block-size data. "
     "The key needs to be hashed before being used by the HMAC algorithm.",
     "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
     "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
     "a678cc31e799176d3860e6110c46523e",
     "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
     "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"},
};

/* RFC 2202 §3, HMAC-SHA-1 test cases 1-7 (case 5 also gives the 96-bit truncation, checked in
 * the verification test below). Cases 6 and 7 have an 80-byte key, longer than SHA-1's block. */
static const struct {
    int tc;
    const char *key;
    const char *data;
    const char *data_text;
    const char *mac;
} rfc2202[] = {
    {1, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", NULL, "Hi There",
     "b617318655057264e28bc0b6fb378c8ef146be00"},
    {2, "4a656665", NULL, "what do ya want for nothing?",
     "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
    {3, AA10 AA10, DD10 DD10 DD10 DD10 DD10, NULL, "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
    {4, "0102030405060708090a0b0c0d0e0f10111213141516171819", CD10 CD10 CD10 CD10 CD10, NULL,
     "4c9007f4026250c6bc8414f9bf50c86c2d7235da"},
    {5, "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", NULL, "Test With Truncation",
     "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"},
    {6, AA10 AA10 AA10 AA10 AA10 AA10 AA10 AA10, NULL,
     "Test Using Larger Than Block-Size Key - Hash Key First",
     "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
    {7, AA10 AA10 AA10 AA10 AA10 AA10 AA10 AA10, NULL,
     "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data",
     "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"},
};

/* Decode a table row's data: hex, or text. */
static uint8_t *row_data(const char *hex, const char *text, size_t *len)
{
    uint8_t *d;
    if (hex != NULL) {
        return pl_test_unhex(hex, len);
    }
    *len = strlen(text);
    d = malloc(*len + 1);
    assert_non_null(d);
    memcpy(d, text, *len + 1);
    return d;
}

/* MAC data under key with class h in three ways (one-shot, init/update/final in two pieces, and
 * from a prepared key) and check each against want (hex; may be a truncation), then check that
 * pl_hmac_verify accepts it. */
static void check_mac(const pl_hash_class *h, const uint8_t *key, size_t key_len,
                      const uint8_t *data, size_t len, const char *want)
{
    uint8_t mac[PL_HASH_MAX_LEN], want_bin[PL_HASH_MAX_LEN];
    size_t want_len = strlen(want) / 2;
    pl_hmac_ctx c;
    pl_hmac_key k;

    pl_hmac(h, key, key_len, data, len, mac);
    pl_test_assert_hex(mac, want_len, want);

    memset(mac, 0, sizeof mac);
    pl_hmac_init(&c, h, key, key_len);
    pl_hmac_update(&c, data, len / 3);
    pl_hmac_update(&c, data + len / 3, len - len / 3);
    pl_hmac_final(&c, mac);
    pl_test_assert_hex(mac, want_len, want);

    memset(mac, 0, sizeof mac);
    pl_hmac_key_init(&k, h, key, key_len);
    pl_hmac_start(&c, &k);
    pl_hmac_update(&c, data, len);
    pl_hmac_final(&c, mac);
    pl_hmac_key_wipe(&k);
    pl_test_assert_hex(mac, want_len, want);

    pl_test_unhex_into(want, want_bin, want_len);
    assert_int_equal(pl_hmac_verify(h, key, key_len, data, len, want_bin, want_len), 0);
}

static void test_rfc4231_vectors_through_every_implementation(void **state)
{
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        pl_cpu_restrict(impls[i].mask);
        printf("  %s: RFC 4231 cases 1-%zu with SHA-256, SHA-384, SHA-512\n", impls[i].name,
               PL_ARRAY_LEN(rfc4231));
        for (size_t v = 0; v < PL_ARRAY_LEN(rfc4231); v++) {
            size_t key_len, len;
            uint8_t *key = pl_test_unhex(rfc4231[v].key, &key_len);
            uint8_t *data = row_data(rfc4231[v].data, rfc4231[v].data_text, &len);
            check_mac(&pl_sha256_class, key, key_len, data, len, rfc4231[v].sha256);
            check_mac(&pl_sha384_class, key, key_len, data, len, rfc4231[v].sha384);
            check_mac(&pl_sha512_class, key, key_len, data, len, rfc4231[v].sha512);
            free(key);
            free(data);
        }
    }
    pl_cpu_restrict(PL_CPU_ALL);
}

static void test_rfc2202_hmac_sha1_vectors_through_every_implementation(void **state)
{
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        pl_cpu_restrict(impls[i].mask);
        printf("  %s: RFC 2202 cases 1-%zu\n", impls[i].name, PL_ARRAY_LEN(rfc2202));
        for (size_t v = 0; v < PL_ARRAY_LEN(rfc2202); v++) {
            size_t key_len, len;
            uint8_t *key = pl_test_unhex(rfc2202[v].key, &key_len);
            uint8_t *data = row_data(rfc2202[v].data, rfc2202[v].data_text, &len);
            check_mac(&pl_sha1_class, key, key_len, data, len, rfc2202[v].mac);
            free(key);
            free(data);
        }
    }
    pl_cpu_restrict(PL_CPU_ALL);
}

/* RFC 4231 test case 5 (128-bit tags) and RFC 2202 test case 5 (its 96-bit HMAC-SHA-1-96). */
static void test_verify_accepts_the_rfc_truncated_tags(void **state)
{
    static const char *const text = "Test With Truncation";
    uint8_t key[20], tag[16];
    (void)state;
    memset(key, 0x0c, sizeof key);
    pl_test_unhex_into("a3b6167473100ee06e0c796c2955552b", tag, 16);
    assert_int_equal(pl_hmac_verify(&pl_sha256_class, key, 20, text, strlen(text), tag, 16), 0);
    pl_test_unhex_into("3abf34c3503b2a23a46efc619baef897", tag, 16);
    assert_int_equal(pl_hmac_verify(&pl_sha384_class, key, 20, text, strlen(text), tag, 16), 0);
    pl_test_unhex_into("415fad6271580a531d4179bc891d87a6", tag, 16);
    assert_int_equal(pl_hmac_verify(&pl_sha512_class, key, 20, text, strlen(text), tag, 16), 0);
    pl_test_unhex_into("4c1a03424b55e07fe7f27be1", tag, 12);
    assert_int_equal(pl_hmac_verify(&pl_sha1_class, key, 20, text, strlen(text), tag, 12), 0);
}

static void test_verify_rejects_every_flipped_bit_of_full_and_truncated_tags(void **state)
{
    uint8_t key[40], msg[100];
    (void)state;
    pl_test_fill(key, sizeof key);
    pl_test_fill(msg, sizeof msg);
    for (size_t h = 0; h < PL_ARRAY_LEN(classes); h++) {
        const pl_hash_class *cls = classes[h];
        const size_t lens[] = {cls->digest_len, cls->digest_len / 2, PL_HMAC_MIN_TAG_LEN};
        uint8_t tag[PL_HASH_MAX_LEN];
        pl_hmac(cls, key, sizeof key, msg, sizeof msg, tag);
        for (size_t l = 0; l < PL_ARRAY_LEN(lens); l++) {
            size_t tag_len = lens[l];
            assert_int_equal(pl_hmac_verify(cls, key, sizeof key, msg, sizeof msg, tag, tag_len),
                             0);
            for (size_t bit = 0; bit < 8 * tag_len; bit++) {
                tag[bit / 8] ^= (uint8_t)(1u << (bit % 8));
                assert_int_equal(
                    pl_hmac_verify(cls, key, sizeof key, msg, sizeof msg, tag, tag_len),
                    SSL_ERR_CRYPTO_AUTH_FAILED);
                tag[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            }
        }
        /* A wrong message or key fails too. */
        msg[0] ^= 1;
        assert_int_equal(pl_hmac_verify(cls, key, sizeof key, msg, sizeof msg, tag,
                                        cls->digest_len),
                         SSL_ERR_CRYPTO_AUTH_FAILED);
        msg[0] ^= 1;
        assert_int_equal(pl_hmac_verify(cls, key, sizeof key - 1, msg, sizeof msg, tag,
                                        cls->digest_len),
                         SSL_ERR_CRYPTO_AUTH_FAILED);
    }
}

/* A tag shorter than 80 bits (RFC 2104 §5), an empty one, or one longer than the digest is
 * refused even when its bytes are a correct prefix. */
static void test_verify_rejects_tag_lengths_outside_80_bits_to_the_digest(void **state)
{
    uint8_t key[32], msg[50], tag[PL_HASH_MAX_LEN + 1];
    (void)state;
    pl_test_fill(key, sizeof key);
    pl_test_fill(msg, sizeof msg);
    for (size_t h = 0; h < PL_ARRAY_LEN(classes); h++) {
        const pl_hash_class *cls = classes[h];
        pl_hmac_ctx c;
        memset(tag, 0, sizeof tag);
        pl_hmac(cls, key, sizeof key, msg, sizeof msg, tag);
        assert_int_equal(pl_hmac_verify(cls, key, sizeof key, msg, sizeof msg, tag, 0),
                         SSL_ERR_CRYPTO_AUTH_FAILED);
        assert_int_equal(pl_hmac_verify(cls, key, sizeof key, msg, sizeof msg, tag,
                                        PL_HMAC_MIN_TAG_LEN - 1),
                         SSL_ERR_CRYPTO_AUTH_FAILED);
        assert_int_equal(pl_hmac_verify(cls, key, sizeof key, msg, sizeof msg, tag,
                                        PL_HMAC_MIN_TAG_LEN),
                         0);
        assert_int_equal(pl_hmac_verify(cls, key, sizeof key, msg, sizeof msg, tag,
                                        cls->digest_len + 1),
                         SSL_ERR_CRYPTO_AUTH_FAILED);
        /* pl_hmac_final_verify, the streaming form, says the same. */
        pl_hmac_init(&c, cls, key, sizeof key);
        pl_hmac_update(&c, msg, sizeof msg);
        assert_int_equal(pl_hmac_final_verify(&c, tag, cls->digest_len), 0);
        pl_hmac_init(&c, cls, key, sizeof key);
        pl_hmac_update(&c, msg, sizeof msg);
        assert_int_equal(pl_hmac_final_verify(&c, tag, PL_HMAC_MIN_TAG_LEN - 1),
                         SSL_ERR_CRYPTO_AUTH_FAILED);
    }
}

/* Keys of every length around the block size: one-shot equals incremental at every split of a
 * 300-byte message, and a key longer than the block acts as its hash (RFC 2104 §2). */
static void test_incremental_equals_one_shot_at_every_split(void **state)
{
    enum { LEN = 300 };
    uint8_t key[PL_HASH_MAX_BLOCK_LEN + 2], msg[LEN];
    (void)state;
    pl_test_fill(key, sizeof key);
    pl_test_fill(msg, sizeof msg);
    for (size_t h = 0; h < PL_ARRAY_LEN(classes); h++) {
        const pl_hash_class *cls = classes[h];
        const size_t key_lens[] = {0, 1, cls->digest_len, cls->block_len - 1, cls->block_len,
                                   cls->block_len + 1};
        for (size_t kl = 0; kl < PL_ARRAY_LEN(key_lens); kl++) {
            size_t key_len = key_lens[kl];
            uint8_t want[PL_HASH_MAX_LEN], got[PL_HASH_MAX_LEN];
            pl_hmac(cls, key, key_len, msg, LEN, want);
            for (size_t split = 0; split <= LEN; split++) {
                pl_hmac_ctx c;
                pl_hmac_init(&c, cls, key, key_len);
                pl_hmac_update(&c, msg, split);
                pl_hmac_update(&c, msg + split, LEN - split);
                pl_hmac_final(&c, got);
                assert_memory_equal(got, want, cls->digest_len);
            }
            if (key_len > cls->block_len) {
                uint8_t hashed[PL_HASH_MAX_LEN];
                pl_hash_ctx hc;
                cls->init(&hc);
                cls->update(&hc, key, key_len);
                cls->final(&hc, hashed);
                pl_hmac(cls, hashed, cls->digest_len, msg, LEN, got);
                assert_memory_equal(got, want, cls->digest_len);
            }
        }
    }
}

/* One prepared key MACs many messages, and copies of it and of a running context behave as the
 * original. */
static void test_prepared_key_starts_any_number_of_macs(void **state)
{
    uint8_t key[50], msg[200];
    (void)state;
    pl_test_fill(key, sizeof key);
    pl_test_fill(msg, sizeof msg);
    for (size_t h = 0; h < PL_ARRAY_LEN(classes); h++) {
        const pl_hash_class *cls = classes[h];
        pl_hmac_key k, copy;
        pl_hmac_key_init(&k, cls, key, sizeof key);
        copy = k;
        for (size_t len = 0; len <= sizeof msg; len += 25) {
            uint8_t want[PL_HASH_MAX_LEN], got[PL_HASH_MAX_LEN], forked[PL_HASH_MAX_LEN];
            pl_hmac_ctx c, fork;
            pl_hmac(cls, key, sizeof key, msg, len, want);
            pl_hmac_start(&c, len % 2 ? &k : &copy);
            pl_hmac_update(&c, msg, len / 2);
            fork = c;
            pl_hmac_update(&c, msg + len / 2, len - len / 2);
            pl_hmac_final(&c, got);
            assert_memory_equal(got, want, cls->digest_len);
            pl_hmac_update(&fork, msg + len / 2, len - len / 2);
            pl_hmac_final(&fork, forked);
            assert_memory_equal(forked, want, cls->digest_len);
        }
        pl_hmac_key_wipe(&k);
        pl_hmac_key_wipe(&copy);
    }
}

static void test_final_and_key_wipe_leave_no_key_material(void **state)
{
    static const uint8_t zero[sizeof(pl_hmac_key)];
    uint8_t key[32], out[PL_HASH_MAX_LEN];
    pl_hmac_key k;
    pl_hmac_ctx c;
    (void)state;
    pl_test_fill(key, sizeof key);
    pl_hmac_key_init(&k, &pl_sha256_class, key, sizeof key);
    pl_hmac_key_wipe(&k);
    assert_memory_equal(&k, zero, sizeof k);
    pl_hmac_init(&c, &pl_sha384_class, key, sizeof key);
    pl_hmac_update(&c, "x", 1);
    pl_hmac_final(&c, out);
    assert_memory_equal(&c, zero, sizeof c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc4231_vectors_through_every_implementation),
        cmocka_unit_test(test_rfc2202_hmac_sha1_vectors_through_every_implementation),
        cmocka_unit_test(test_verify_accepts_the_rfc_truncated_tags),
        cmocka_unit_test(test_verify_rejects_every_flipped_bit_of_full_and_truncated_tags),
        cmocka_unit_test(test_verify_rejects_tag_lengths_outside_80_bits_to_the_digest),
        cmocka_unit_test(test_incremental_equals_one_shot_at_every_split),
        cmocka_unit_test(test_prepared_key_starts_any_number_of_macs),
        cmocka_unit_test(test_final_and_key_wipe_leave_no_key_material),
    };
    pl_test_seed();
    return cmocka_run_group_tests_name("hmac", tests, NULL, NULL);
}
