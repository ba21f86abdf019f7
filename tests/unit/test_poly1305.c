/* Poly1305 (crypto/poly1305.h): RFC 8439 §2.5.2 and every Appendix A.3 vector (among them the
 * final-reduction edge cases #5-#11) and long known answers through every implementation, the
 * one-time key generation of §2.6.2 and Appendix A.4, streaming against one-shot at every
 * split, accelerated against portable on random keys and messages, the choice of
 * implementation by CPU features, and the wipe at the end. */
#include <stdio.h>
#include <stdlib.h>

#include "pl_test.h"

#include "base/cpu.h"
#include "crypto/chacha20.h"
#include "crypto/poly1305.h"

#define AVX2_NEEDS (PL_CPU_AVX2 | PL_CPU_BMI2)
#define AVX512_NEEDS (AVX2_NEEDS | PL_CPU_AVX512)

static const struct impl {
    const char *name;
    enum pl_poly1305_impl id;
    uint32_t needs;
} impls[] = {
    {"portable", PL_POLY1305_PORTABLE, 0},
    {"avx2", PL_POLY1305_AVX2, AVX2_NEEDS},
    {"avx512", PL_POLY1305_AVX512, AVX512_NEEDS},
};

static int available(const struct impl *im)
{
    return (pl_cpu_detected() & im->needs) == im->needs;
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n > 0 ? n : 1);
    assert_non_null(p);
    return p;
}

/* The MAC of msg in one update, by one implementation. */
static void mac(const struct impl *im, const uint8_t key[32], const uint8_t *msg, size_t len,
                uint8_t tag[16])
{
    pl_poly1305_ctx c;
    pl_poly1305_init_impl(&c, key, im->id);
    pl_poly1305_update(&c, msg, len);
    pl_poly1305_final(&c, tag);
}

/* The tag of msg every way: each implementation, and pl_poly1305() under each restriction. */
static void check_tag(const uint8_t key[32], const uint8_t *msg, size_t len, const char *want)
{
    static const uint32_t masks[] = {0, AVX2_NEEDS, PL_CPU_ALL};
    uint8_t tag[16];
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        if (available(&impls[i])) {
            mac(&impls[i], key, msg, len, tag);
            pl_test_assert_hex(tag, sizeof tag, want);
        }
    }
    for (size_t m = 0; m < PL_ARRAY_LEN(masks); m++) {
        pl_cpu_restrict(masks[m]);
        pl_poly1305(key, msg, len, tag);
        pl_cpu_restrict(PL_CPU_ALL);
        pl_test_assert_hex(tag, sizeof tag, want);
    }
}

static void test_poly1305_matches_rfc8439_2_5_2_in_every_implementation(void **state)
{
    static const char msg[] = "Cryptographic Forum Research Group";
    uint8_t key[32];
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        if (!available(&impls[i])) {
            printf("note: this CPU cannot run the %s implementation; not tested here\n",
                   impls[i].name);
        }
    }
    /* §2.5.2 */
    pl_test_unhex_into("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b", key,
                       sizeof key);
    check_tag(key, (const uint8_t *)msg, sizeof msg - 1, "a8061dc1305136c6c22b8baf0c0127a9");
}

/* RFC 8439 Appendix A.3, test vectors #1-#11 (for #5-#11 the key is R followed by S). */
static const struct kat {
    int number;
    const char *key, *msg, *tag;
} kats[] = {
    {1,
     "0000000000000000000000000000000000000000000000000000000000000000",
     "0000000000000000000000000000000000000000000000000000000000000000"
     "0000000000000000000000000000000000000000000000000000000000000000",
     "00000000000000000000000000000000"},
    {2,
     "0000000000000000000000000000000036e5f6b5c5e06070f0efca96227a863e",
     "416e79207375626d697373696f6e20746f20746865204945544620696e74656e"
     "6465642062792074686520436f6e7472696275746f7220666f72207075626c69"
     "636174696f6e20617320616c6c206f722070617274206f6620616e2049455446"
     "20496e7465726e65742d4472616674206f722052464320616e6420616e792073"
     "746174656d656e74206d6164652077697468696e2074686520636f6e74657874"
     "206f6620616e204945544620616374697669747920697320636f6e7369646572"
     "656420616e20224945544620436f6e747269627574696f6e222e205375636820"
     "73746174656d656e747320696e636c756465206f72616c2073746174656d656e"
     "747320696e20494554462073657373696f6e732c2061732077656c6c20617320"
     "7772697474656e20616e6420656c656374726f6e696320636f6d6d756e696361"
     "74696f6e73206d61646520617420616e792074696d65206f7220706c6163652c"
     "207768696368206172652061646472657373656420746f",
     "36e5f6b5c5e06070f0efca96227a863e"},
    {3,
     "36e5f6b5c5e06070f0efca96227a863e00000000000000000000000000000000",
     "416e79207375626d697373696f6e20746f20746865204945544620696e74656e"
     "6465642062792074686520436f6e7472696275746f7220666f72207075626c69"
     "636174696f6e20617320616c6c206f722070617274206f6620616e2049455446"
     "20496e7465726e65742d4472616674206f722052464320616e6420616e792073"
     "746174656d656e74206d6164652077697468696e2074686520636f6e74657874"
     "206f6620616e204945544620616374697669747920697320636f6e7369646572"
     "656420616e20224945544620436f6e747269627574696f6e222e205375636820"
     "73746174656d656e747320696e636c756465206f72616c2073746174656d656e"
     "747320696e20494554462073657373696f6e732c2061732077656c6c20617320"
     "7772697474656e20616e6420656c656374726f6e696320636f6d6d756e696361"
     "74696f6e73206d61646520617420616e792074696d65206f7220706c6163652c"
     "207768696368206172652061646472657373656420746f",
     "f3477e7cd95417af89a6b8794c310cf0"},
    {4,
     "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0",
     "2754776173206272696c6c69672c20616e642074686520736c6974687920746f"
     "7665730a446964206779726520616e642067696d626c6520696e207468652077"
     "6162653a0a416c6c206d696d737920776572652074686520626f726f676f7665"
     "732c0a416e6420746865206d6f6d65207261746873206f757467726162652e",
     "4541669a7eaaee61e708dc7cbcc5eb62"},
    /* #5: a partially reduced result that is not fully reduced */
    {5,
     "0200000000000000000000000000000000000000000000000000000000000000",
     "ffffffffffffffffffffffffffffffff",
     "03000000000000000000000000000000"},
    /* #6: h + s overflows 2^128 */
    {6,
     "02000000000000000000000000000000ffffffffffffffffffffffffffffffff",
     "02000000000000000000000000000000",
     "03000000000000000000000000000000"},
    /* #7: an all-ones data limb with a carry from the limb below */
    {7,
     "0100000000000000000000000000000000000000000000000000000000000000",
     "fffffffffffffffffffffffffffffffff0ffffffffffffffffffffffffffffff"
     "11000000000000000000000000000000",
     "05000000000000000000000000000000"},
    /* #8: the polynomial part is exactly 2^130 - 5 */
    {8,
     "0100000000000000000000000000000000000000000000000000000000000000",
     "fffffffffffffffffffffffffffffffffbfefefefefefefefefefefefefefefe"
     "01010101010101010101010101010101",
     "00000000000000000000000000000000"},
    /* #9: the polynomial part is exactly 2^130 - 6 */
    {9,
     "0200000000000000000000000000000000000000000000000000000000000000",
     "fdffffffffffffffffffffffffffffff",
     "faffffffffffffffffffffffffffffff"},
    /* #10: the 5 * H + L reduction gives a 131-bit intermediate result */
    {10,
     "0100000000000000040000000000000000000000000000000000000000000000",
     "e33594d7505e43b900000000000000003394d7505e4379cd0100000000000000"
     "0000000000000000000000000000000001000000000000000000000000000000",
     "14000000000000005500000000000000"},
    /* #11: the 5 * H + L reduction gives a 131-bit final result */
    {11,
     "0100000000000000040000000000000000000000000000000000000000000000",
     "e33594d7505e43b900000000000000003394d7505e4379cd0100000000000000"
     "00000000000000000000000000000000",
     "13000000000000000000000000000000"},
};

static void test_poly1305_appendix_a3_vectors_in_every_implementation(void **state)
{
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(kats); i++) {
        size_t len;
        uint8_t key[32];
        uint8_t *msg = pl_test_unhex(kats[i].msg, &len);
        pl_test_unhex_into(kats[i].key, key, sizeof key);
        check_tag(key, msg, len, kats[i].tag);
        free(msg);
    }
}

/* Messages long enough for the vector code, at and around its thresholds (32 and 256 blocks)
 * and with extreme values (every limb all ones, r and s all ones as far as the clamp lets
 * them, r = 0). Message byte i is (i * mul + add) mod 256. The tags were computed from RFC 8439
 * §2.5.1's pseudocode with Python integers, and OpenSSL 3.0's EVP_MAC POLY1305 agrees. */
#define KEY_252 "85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b" /* §2.5.2 */
#define KEY_A34 "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0" /* A.3 #4 */
#define KEY_FF "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
#define KEY_R0 "0000000000000000000000000000000036e5f6b5c5e06070f0efca96227a863e" /* A.3 #2 */

static const struct long_kat {
    const char *key;
    unsigned mul, add;
    size_t len;
    const char *tag;
} long_kats[] = {
    {KEY_252, 7, 3, 511, "c97b59e9f4112dea7d94fc8a1e00f07c"},
    {KEY_252, 7, 3, 512, "57ebffb1f1fba8eb87bd70de89eacef7"},
    {KEY_252, 7, 3, 513, "91888a4db0dbe7507344fc5f64a6bb17"},
    {KEY_252, 7, 3, 4095, "17dc46e44bf0e736908b8f7063203d05"},
    {KEY_252, 7, 3, 4096, "a54bedac48da63389ab403c4ce0a1c80"},
    {KEY_252, 7, 3, 4369, "ea28f8127f4c53cf989213c6e40a5003"},
    {KEY_252, 7, 3, 5000, "bf76d14d61e67fc1e9c42cef3fca966b"},
    {KEY_A34, 13, 1, 16399, "461dd603cb331e67c3c19f7837a2ecc0"},
    {KEY_FF, 0, 0xff, 4111, "d1816edde6e48486d936a6d8e1acec3a"},
    {KEY_FF, 0, 0xff, 65537, "99b9930a230aa347151a3c7f323e800f"},
    {KEY_FF, 0, 0, 16384, "9e95b312c4e2cc5bd9404c0432c01f7f"},
    {KEY_R0, 7, 3, 1000, "36e5f6b5c5e06070f0efca96227a863e"}, /* r = 0: the tag is s */
};

static void test_poly1305_long_known_answers_in_every_implementation(void **state)
{
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(long_kats); i++) {
        const struct long_kat *k = &long_kats[i];
        uint8_t key[32];
        uint8_t *msg = xmalloc(k->len);
        for (size_t j = 0; j < k->len; j++) {
            msg[j] = (uint8_t)(j * k->mul + k->add);
        }
        pl_test_unhex_into(k->key, key, sizeof key);
        check_tag(key, msg, k->len, k->tag);
        free(msg);
    }
}

/* §2.6.2 and Appendix A.4: the one-time key is the first 32 bytes of ChaCha20 block 0. */
static const struct keygen_kat {
    const char *source, *key, *nonce, *otk;
} keygen_kats[] = {
    {"§2.6.2", "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
     "000000000001020304050607",
     "8ad5a08b905f81cc815040274ab29471a833b637e3fd0da508dbb8e2fdd1a646"},
    {"A.4 #1", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000",
     "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"},
    {"A.4 #2", "0000000000000000000000000000000000000000000000000000000000000001",
     "000000000000000000000002",
     "ecfa254f845f647473d3cb140da9e87606cb33066c447b87bc2666dde3fbb739"},
    {"A.4 #3", "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0",
     "000000000000000000000002",
     "965e3bc6f9ec7ed9560808f4d229f94b137ff275ca9b3fcbdd59deaad23310ae"},
};

typedef void (*xor_fn)(const uint8_t key[32], const uint8_t nonce[12], uint32_t counter,
                       const uint8_t *in, uint8_t *out, size_t len);

static void test_poly1305_key_generation_matches_rfc8439_2_6_2_and_a4(void **state)
{
    static const struct {
        xor_fn fn;
        uint32_t needs;
    } chachas[] = {
        {pl_chacha20_xor_portable, 0},
        {pl_chacha20_xor_avx2, AVX2_NEEDS},
        {pl_chacha20_xor_avx512, AVX512_NEEDS},
    };
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(keygen_kats); i++) {
        uint8_t key[32], nonce[12], block[64], otk[32];
        pl_test_unhex_into(keygen_kats[i].key, key, sizeof key);
        pl_test_unhex_into(keygen_kats[i].nonce, nonce, sizeof nonce);
        pl_chacha20_block(key, nonce, 0, block);
        pl_test_assert_hex(block, 32, keygen_kats[i].otk);
        for (size_t c = 0; c < PL_ARRAY_LEN(chachas); c++) {
            if ((pl_cpu_detected() & chachas[c].needs) == chachas[c].needs) {
                memset(otk, 0, sizeof otk);
                chachas[c].fn(key, nonce, 0, otk, otk, sizeof otk);
                pl_test_assert_hex(otk, sizeof otk, keygen_kats[i].otk);
            }
        }
    }
}

/* ---- properties ----------------------------------------------------------------------------- */

/* A random key; now and then r and s all ones (as far as the clamp lets r be), the largest limb
 * values the arithmetic meets. */
static void random_key(uint8_t key[32])
{
    pl_test_fill(key, 32);
    if (pl_test_below(4) == 0) {
        memset(key, 0xff, 32);
    }
}

/* Feeding msg in two pieces, split at every point, gives the one-shot tag, in every
 * implementation. */
static void check_every_split(size_t len)
{
    uint8_t key[32], want[16], got[16];
    uint8_t *msg = xmalloc(len);
    random_key(key);
    pl_test_fill(msg, len);
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        if (!available(&impls[i])) {
            continue;
        }
        mac(&impls[i], key, msg, len, want);
        for (size_t split = 0; split <= len; split++) {
            pl_poly1305_ctx c;
            pl_poly1305_init_impl(&c, key, impls[i].id);
            pl_poly1305_update(&c, msg, split);
            pl_poly1305_update(&c, msg + split, len - split);
            pl_poly1305_final(&c, got);
            if (memcmp(got, want, 16) != 0) {
                fail_msg("%s: split at %zu of %zu differs from one update", impls[i].name, split,
                         len);
            }
        }
    }
    free(msg);
}

static void test_poly1305_streaming_equals_one_shot_at_every_split(void **state)
{
    (void)state;
    pl_test_seed();
    check_every_split(100);
    check_every_split(1200);  /* AVX2's vector path on one side of the split or both */
    check_every_split(4500); /* and AVX-512's (256 blocks and more) */
}

/* Pieces of random sizes, 0 and 1 byte included, give the one-shot tag too. */
static void test_poly1305_random_pieces_equal_one_shot(void **state)
{
    const size_t len = 6000;
    uint8_t key[32], want[16], got[16];
    uint8_t *msg = xmalloc(len);
    (void)state;
    random_key(key);
    pl_test_fill(msg, len);
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        if (!available(&impls[i])) {
            continue;
        }
        mac(&impls[i], key, msg, len, want);
        for (int round = 0; round < 20; round++) {
            pl_poly1305_ctx c;
            size_t off = 0;
            pl_poly1305_init_impl(&c, key, impls[i].id);
            while (off < len) {
                size_t max = round % 2 == 0 ? 3 : 700;
                size_t n = pl_test_below(max);
                n = n < len - off ? n : len - off;
                pl_poly1305_update(&c, msg + off, n);
                off += n;
            }
            pl_poly1305_final(&c, got);
            assert_memory_equal(got, want, 16);
        }
    }
    free(msg);
}

static void test_poly1305_accelerated_equals_portable_on_random_inputs(void **state)
{
    uint8_t key[32], want[16], got[16];
    uint8_t *msg = xmalloc(70000);
    (void)state;
    for (int round = 0; round < 400; round++) {
        size_t len = round < 300 ? pl_test_below(5000) : pl_test_below(70000);
        random_key(key);
        pl_test_fill(msg, len);
        if (round % 10 == 0) {
            memset(msg, 0xff, len); /* every limb at its largest */
        }
        mac(&impls[0], key, msg, len, want);
        for (size_t i = 1; i < PL_ARRAY_LEN(impls); i++) {
            if (available(&impls[i])) {
                mac(&impls[i], key, msg, len, got);
                if (memcmp(got, want, 16) != 0) {
                    fail_msg("%s differs from portable at length %zu", impls[i].name, len);
                }
            }
        }
    }
    free(msg);
}

static void test_poly1305_init_chooses_the_implementation_by_cpu_features(void **state)
{
    static const struct {
        uint32_t mask;
        enum pl_poly1305_impl want;
    } cases[] = {
        {0, PL_POLY1305_PORTABLE},
        {AVX2_NEEDS, PL_POLY1305_AVX2},
        {AVX512_NEEDS, PL_POLY1305_AVX512},
    };
    uint8_t key[32] = {1};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(cases); i++) {
        pl_poly1305_ctx c;
        if ((pl_cpu_detected() & cases[i].mask) != cases[i].mask) {
            continue;
        }
        pl_cpu_restrict(cases[i].mask);
        pl_poly1305_init(&c, key);
        pl_cpu_restrict(PL_CPU_ALL);
        assert_int_equal(c.impl, cases[i].want);
        pl_wipe(&c, sizeof c);
    }
}

static void test_poly1305_final_wipes_the_context(void **state)
{
    uint8_t key[32], msg[600], tag[16];
    (void)state;
    pl_test_fill(key, sizeof key);
    pl_test_fill(msg, sizeof msg);
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        pl_poly1305_ctx c;
        const uint8_t *bytes = (const uint8_t *)&c;
        if (!available(&impls[i])) {
            continue;
        }
        pl_poly1305_init_impl(&c, key, impls[i].id);
        pl_poly1305_update(&c, msg, sizeof msg - 5); /* leaves buffered bytes, computes powers */
        pl_poly1305_final(&c, tag);
        for (size_t j = 0; j < sizeof c; j++) {
            assert_int_equal(bytes[j], 0);
        }
    }
}

static void test_poly1305_empty_message_gives_s(void **state)
{
    uint8_t key[32], tag[16];
    (void)state;
    pl_test_fill(key, sizeof key);
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        if (available(&impls[i])) {
            mac(&impls[i], key, NULL, 0, tag);
            assert_memory_equal(tag, key + 16, 16); /* no blocks: h = 0, tag = s */
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_poly1305_matches_rfc8439_2_5_2_in_every_implementation),
        cmocka_unit_test(test_poly1305_appendix_a3_vectors_in_every_implementation),
        cmocka_unit_test(test_poly1305_long_known_answers_in_every_implementation),
        cmocka_unit_test(test_poly1305_key_generation_matches_rfc8439_2_6_2_and_a4),
        cmocka_unit_test(test_poly1305_streaming_equals_one_shot_at_every_split),
        cmocka_unit_test(test_poly1305_random_pieces_equal_one_shot),
        cmocka_unit_test(test_poly1305_accelerated_equals_portable_on_random_inputs),
        cmocka_unit_test(test_poly1305_init_chooses_the_implementation_by_cpu_features),
        cmocka_unit_test(test_poly1305_final_wipes_the_context),
        cmocka_unit_test(test_poly1305_empty_message_gives_s),
    };
    return cmocka_run_group_tests_name("poly1305", tests, NULL, NULL);
}
