/* ChaCha20 (crypto/chacha20.h): RFC 8439's quarter-round, block-function and encryption vectors
 * (§2.1.1, §2.2.1, §2.3.2, §2.4.2, Appendix A.1 and A.2) and long known answers through every
 * implementation and through pl_chacha20_xor() under every CPU restriction; accelerated against
 * portable on random keys, nonces and counters at every length 0..1100 and around 16 KiB; in
 * place against out of place; a message split at block boundaries against one call; exactly len
 * bytes written; and the 32-bit counter wrapping from 0xffffffff to 0 (chacha20.h). */
#include <stdio.h>
#include <stdlib.h>

#include "pl_test.h"

#include "base/cpu.h"
#include "crypto/chacha20.h"
#include "crypto/hash.h"

#define AVX2_NEEDS (PL_CPU_AVX2 | PL_CPU_BMI2)
#define AVX512_NEEDS (AVX2_NEEDS | PL_CPU_AVX512)

typedef void (*xor_fn)(const uint8_t key[32], const uint8_t nonce[12], uint32_t counter,
                       const uint8_t *in, uint8_t *out, size_t len);

/* Every way to run ChaCha20: each implementation directly, and the dispatcher under each CPU
 * restriction (so that the choice it makes is exercised too). */
static const struct way {
    const char *name;
    xor_fn fn;
    uint32_t needs;    /* features the CPU must have */
    uint32_t mask;  /* pl_cpu_restrict() mask while it runs */
} ways[] = {
    {"portable", pl_chacha20_xor_portable, 0, PL_CPU_ALL},
    {"avx2", pl_chacha20_xor_avx2, AVX2_NEEDS, PL_CPU_ALL},
    {"avx512", pl_chacha20_xor_avx512, AVX512_NEEDS, PL_CPU_ALL},
    {"pl_chacha20_xor with no CPU features", pl_chacha20_xor, 0, 0},
    {"pl_chacha20_xor with AVX2", pl_chacha20_xor, AVX2_NEEDS, AVX2_NEEDS},
    {"pl_chacha20_xor with every feature", pl_chacha20_xor, 0, PL_CPU_ALL},
};

/* The accelerated implementations, compared with the portable one (ways[0]). */
#define FIRST_ACCELERATED 1
#define END_ACCELERATED 3

static int available(const struct way *w)
{
    return (pl_cpu_detected() & w->needs) == w->needs;
}

static void run(const struct way *w, const uint8_t key[32], const uint8_t nonce[12],
                uint32_t counter, const uint8_t *in, uint8_t *out, size_t len)
{
    pl_cpu_restrict(w->mask);
    w->fn(key, nonce, counter, in, out, len);
    pl_cpu_restrict(PL_CPU_ALL);
}

static void report_missing(void)
{
    for (size_t i = 0; i < PL_ARRAY_LEN(ways); i++) {
        if (!available(&ways[i])) {
            printf("note: this CPU cannot run \"%s\"; not tested here\n", ways[i].name);
        }
    }
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n > 0 ? n : 1);
    assert_non_null(p);
    return p;
}

/* Byte i is (i * mul + add) mod 256: the long known answers' messages. */
static void pattern(uint8_t *p, size_t n, unsigned mul, unsigned add)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(i * mul + add);
    }
}

/* ---- RFC 8439 vectors ----------------------------------------------------------------------- */

/* RFC 8439 Appendix A.1, test vectors #1-#5: the block function (keystream of one block). */
static const struct block_kat {
    int number;
    const char *key, *nonce;
    uint32_t counter;
    const char *keystream;
} block_kats[] = {
    {1,
     "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", 0,
     "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
     "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586"},
    {2,
     "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", 1,
     "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
     "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f"},
    {3,
     "0000000000000000000000000000000000000000000000000000000000000001",
     "000000000000000000000000", 1,
     "3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a"
     "8eca00bbb4a73bdad192b5c42f73f2fd4e273644c8b36125a64addeb006c13a0"},
    {4,
     "00ff000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", 2,
     "72d54dfbf12ec44b362692df94137f328fea8da73990265ec1bbbea1ae9af0ca"
     "13b25aa26cb4a648cb9b9d1be65b2c0924a66c54d545ec1b7374f4872e99f096"},
    {5,
     "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000002", 0,
     "c2c64d378cd536374ae204b9ef933fcd1a8b2288b3dfa49672ab765b54ee27c7"
     "8a970e0e955c14f3a88e741b97c286f75f8fc299e8148362fa198a39531bed6d"},
};

/* RFC 8439 Appendix A.2, test vectors #1-#3: encryption (#2 starts at counter 1, #3 at 42). */
static const struct enc_kat {
    int number;
    const char *key, *nonce;
    uint32_t counter;
    const char *pt, *ct;
} enc_kats[] = {
    {1,
     "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", 0,
     "0000000000000000000000000000000000000000000000000000000000000000"
     "0000000000000000000000000000000000000000000000000000000000000000",
     "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
     "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586"},
    {2,
     "0000000000000000000000000000000000000000000000000000000000000001",
     "000000000000000000000002", 1,
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
     "a3fbf07df3fa2fde4f376ca23e82737041605d9f4f4f57bd8cff2c1d4b7955ec"
     "2a97948bd3722915c8f3d337f7d370050e9e96d647b7c39f56e031ca5eb6250d"
     "4042e02785ececfa4b4bb5e8ead0440e20b6e8db09d881a7c6132f420e527950"
     "42bdfa7773d8a9051447b3291ce1411c680465552aa6c405b7764d5e87bea85a"
     "d00f8449ed8f72d0d662ab052691ca66424bc86d2df80ea41f43abf937d3259d"
     "c4b2d0dfb48a6c9139ddd7f76966e928e635553ba76c5c879d7b35d49eb2e62b"
     "0871cdac638939e25e8a1e0ef9d5280fa8ca328b351c3c765989cbcf3daa8b6c"
     "cc3aaf9f3979c92b3720fc88dc95ed84a1be059c6499b9fda236e7e818b04b0b"
     "c39c1e876b193bfe5569753f88128cc08aaa9b63d1a16f80ef2554d7189c411f"
     "5869ca52c5b83fa36ff216b9c1d30062bebcfd2dc5bce0911934fda79a86f6e6"
     "98ced759c3ff9b6477338f3da4f9cd8514ea9982ccafb341b2384dd902f3d1ab"
     "7ac61dd29c6f21ba5b862f3730e37cfdc4fd806c22f221"},
    {3,
     "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0",
     "000000000000000000000002", 42,
     "2754776173206272696c6c69672c20616e642074686520736c6974687920746f"
     "7665730a446964206779726520616e642067696d626c6520696e207468652077"
     "6162653a0a416c6c206d696d737920776572652074686520626f726f676f7665"
     "732c0a416e6420746865206d6f6d65207261746873206f757467726162652e",
     "62e6347f95ed87a45ffae7426f27a1df5fb69110044c0d73118effa95b01e5cf"
     "166d3df2d721caf9b21e5fb14c616871fd84c54f9d65b283196c7fe4f60553eb"
     "f39c6402c42234e32a356b3e764312a61a5532055716ead6962568f87d3f3f77"
     "04c6a8d1bcd1bf4d50d6154b6da731b187b58dfd728afa36757a797ac188d1"},
};

/* RFC 8439 §2.3.2: the serialized block. */
static const char block_232[] =
    "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
    "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e";
/* RFC 8439 §2.4.2: the "sunscreen" plaintext and ciphertext. */
static const char sunscreen_pt[] =
    "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
    "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
    "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
    "637265656e20776f756c642062652069742e";
static const char sunscreen_ct[] =
    "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
    "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
    "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
    "5af90bbf74a35be6b40b8eedf2785e42874d";

static void test_chacha20_quarter_round_matches_rfc8439_2_1_1(void **state)
{
    /* §2.1.1: a, b, c, d placed at positions 0..3 of a state. */
    uint32_t s[16] = {0x11111111u, 0x01020304u, 0x9b8d6f43u, 0x01234567u};
    (void)state;
    pl_chacha20_quarter_round(s, 0, 1, 2, 3);
    assert_int_equal(s[0], 0xea2a92f4u);
    assert_int_equal(s[1], 0xcb1cf8ceu);
    assert_int_equal(s[2], 0x4581472eu);
    assert_int_equal(s[3], 0x5881c4bbu);
}

static void test_chacha20_quarter_round_on_the_state_matches_rfc8439_2_2_1(void **state)
{
    /* §2.2.1: QUARTERROUND(2, 7, 8, 13) changes those four words and no other. */
    uint32_t s[16] = {0x879531e0u, 0xc5ecf37du, 0x516461b1u, 0xc9a62f8au,
                      0x44c20ef3u, 0x3390af7fu, 0xd9fc690bu, 0x2a5f714cu,
                      0x53372767u, 0xb00a5631u, 0x974c541au, 0x359e9963u,
                      0x5c971061u, 0x3d631689u, 0x2098d9d6u, 0x91dbd320u};
    static const uint32_t want[16] = {0x879531e0u, 0xc5ecf37du, 0xbdb886dcu, 0xc9a62f8au,
                                      0x44c20ef3u, 0x3390af7fu, 0xd9fc690bu, 0xcfacafd2u,
                                      0xe46bea80u, 0xb00a5631u, 0x974c541au, 0x359e9963u,
                                      0x5c971061u, 0xccc07c79u, 0x2098d9d6u, 0x91dbd320u};
    (void)state;
    pl_chacha20_quarter_round(s, 2, 7, 8, 13);
    for (size_t i = 0; i < 16; i++) {
        assert_int_equal(s[i], want[i]);
    }
}

/* The keystream of one block: pl_chacha20_block(), and every way of running ChaCha20 on 64 zero
 * bytes. */
static void check_block(const uint8_t key[32], const uint8_t nonce[12], uint32_t counter,
                        const char *want)
{
    static const uint8_t zeros[64] = {0};
    uint8_t out[64];
    pl_chacha20_block(key, nonce, counter, out);
    pl_test_assert_hex(out, sizeof out, want);
    for (size_t i = 0; i < PL_ARRAY_LEN(ways); i++) {
        if (available(&ways[i])) {
            run(&ways[i], key, nonce, counter, zeros, out, sizeof out);
            pl_test_assert_hex(out, sizeof out, want);
        }
    }
}

static void test_chacha20_block_matches_rfc8439_2_3_2_in_every_implementation(void **state)
{
    uint8_t key[32], nonce[12];
    (void)state;
    report_missing();
    pl_test_unhex_into("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", key,
                       sizeof key);
    pl_test_unhex_into("000000090000004a00000000", nonce, sizeof nonce);
    check_block(key, nonce, 1, block_232);
}

static void test_chacha20_block_vectors_of_appendix_a1_in_every_implementation(void **state)
{
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(block_kats); i++) {
        const struct block_kat *k = &block_kats[i];
        uint8_t key[32], nonce[12];
        pl_test_unhex_into(k->key, key, sizeof key);
        pl_test_unhex_into(k->nonce, nonce, sizeof nonce);
        check_block(key, nonce, k->counter, k->keystream);
    }
}

/* Encrypt pt and compare with ct, decrypt ct back, and both again in place, every way. */
static void check_encryption(const uint8_t key[32], const uint8_t nonce[12], uint32_t counter,
                             const char *pt_hex, const char *ct_hex)
{
    size_t pt_len, ct_len;
    uint8_t *pt = pl_test_unhex(pt_hex, &pt_len), *ct = pl_test_unhex(ct_hex, &ct_len);
    uint8_t *out = xmalloc(pt_len);
    assert_int_equal(pt_len, ct_len);
    for (size_t i = 0; i < PL_ARRAY_LEN(ways); i++) {
        if (!available(&ways[i])) {
            continue;
        }
        run(&ways[i], key, nonce, counter, pt, out, pt_len);
        pl_test_assert_hex(out, pt_len, ct_hex);
        run(&ways[i], key, nonce, counter, ct, out, ct_len);
        pl_test_assert_hex(out, ct_len, pt_hex);
        memcpy(out, pt, pt_len);
        run(&ways[i], key, nonce, counter, out, out, pt_len);
        pl_test_assert_hex(out, pt_len, ct_hex);
    }
    free(pt);
    free(ct);
    free(out);
}

static void test_chacha20_encrypts_rfc8439_2_4_2_in_every_implementation(void **state)
{
    uint8_t key[32], nonce[12];
    (void)state;
    pl_test_unhex_into("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", key,
                       sizeof key);
    pl_test_unhex_into("000000000000004a00000000", nonce, sizeof nonce);
    check_encryption(key, nonce, 1, sunscreen_pt, sunscreen_ct);
}

static void test_chacha20_encryption_vectors_of_appendix_a2_in_every_implementation(void **state)
{
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(enc_kats); i++) {
        const struct enc_kat *k = &enc_kats[i];
        uint8_t key[32], nonce[12];
        pl_test_unhex_into(k->key, key, sizeof key);
        pl_test_unhex_into(k->nonce, nonce, sizeof nonce);
        check_encryption(key, nonce, k->counter, k->pt, k->ct);
    }
}

/* Long messages, so that the wide paths (sixteen blocks at a time, and their tails) meet known
 * answers too: the key and nonce of A.2 #3, plaintext byte i = (7 i + 3) mod 256, and the
 * SHA-256 of the ciphertext. The answers were computed from RFC 8439 §2.3.1 and §2.4.1's
 * pseudocode with Python integers and agree with OpenSSL 3.0's EVP_chacha20, except the two
 * whose counter passes 0xffffffff: OpenSSL carries into the nonce there, and these follow
 * chacha20.h (the counter wraps to 0, the nonce stays). */
static const struct long_kat {
    uint32_t counter;
    size_t len;
    const char *sha256;
} long_kats[] = {
    {1, 1100, "a7c7b47b4b8dad75ee45ae36c900c6eb8723ae1becf4c2d0e97c06bcc5bace9e"},
    {42, 17384, "a7ebee410a4e5bb09e5d0fdad10166689766bf7e7638eb479d4f88ed8c724bac"},
    {0xfffffffau, 1100, "d049a1975d79b340140b441ee37b2b6b16eda18b491f1df9d5bfb5e672fb2cfd"},
    {0xfffffff0u, 17000, "c2e5d3d703f089f78d531ae2bb4fa4086abe43e6d11dfe8b35833510dde5c7bc"},
};

static void test_chacha20_long_known_answers_in_every_implementation(void **state)
{
    uint8_t key[32], nonce[12], digest[PL_SHA256_LEN];
    (void)state;
    pl_test_unhex_into(enc_kats[2].key, key, sizeof key);
    pl_test_unhex_into(enc_kats[2].nonce, nonce, sizeof nonce);
    for (size_t i = 0; i < PL_ARRAY_LEN(long_kats); i++) {
        const struct long_kat *k = &long_kats[i];
        uint8_t *pt = xmalloc(k->len), *out = xmalloc(k->len);
        pattern(pt, k->len, 7, 3);
        for (size_t w = 0; w < PL_ARRAY_LEN(ways); w++) {
            if (available(&ways[w])) {
                run(&ways[w], key, nonce, k->counter, pt, out, k->len);
                pl_sha256(out, k->len, digest);
                pl_test_assert_hex(digest, sizeof digest, k->sha256);
            }
        }
        free(pt);
        free(out);
    }
}

/* ---- properties ----------------------------------------------------------------------------- */

/* Random key, nonce and counter; the counter sometimes just below 2^32, to cross the wrap. */
static void random_params(uint8_t key[32], uint8_t nonce[12], uint32_t *counter)
{
    pl_test_fill(key, 32);
    pl_test_fill(nonce, 12);
    pl_test_fill(counter, sizeof *counter);
    if (pl_test_below(8) == 0) {
        *counter = 0xffffffffu - (uint32_t)pl_test_below(40);
    }
}

/* Every accelerated implementation against the portable one on one message, out of place, with
 * guard bytes after the output that must stay untouched. */
static void compare_at(size_t len)
{
    uint8_t key[32], nonce[12];
    uint32_t counter;
    uint8_t *in = xmalloc(len), *want = xmalloc(len + 64), *got = xmalloc(len + 64);
    random_params(key, nonce, &counter);
    pl_test_fill(in, len);
    pl_chacha20_xor_portable(key, nonce, counter, in, want, len);
    for (size_t i = FIRST_ACCELERATED; i < END_ACCELERATED; i++) {
        if (!available(&ways[i])) {
            continue;
        }
        memset(got, 0xa5, len + 64);
        run(&ways[i], key, nonce, counter, in, got, len);
        if (memcmp(got, want, len) != 0) {
            fail_msg("%s differs from portable at length %zu, counter 0x%x", ways[i].name, len,
                     counter);
        }
        for (size_t j = len; j < len + 64; j++) {
            if (got[j] != 0xa5) {
                fail_msg("%s wrote past the end at length %zu", ways[i].name, len);
            }
        }
    }
    free(in);
    free(want);
    free(got);
}

static void test_chacha20_accelerated_equals_portable_at_every_length_0_to_1100(void **state)
{
    (void)state;
    pl_test_seed();
    /* crosses the 4-, 8- and 16-block group sizes and every partial-block length */
    for (size_t len = 0; len <= 1100; len++) {
        compare_at(len);
    }
}

static void test_chacha20_accelerated_equals_portable_around_16k_and_beyond(void **state)
{
    (void)state;
    for (size_t len = 16384 - 70; len <= 16384 + 70; len++) {
        compare_at(len);
    }
    for (int i = 0; i < 20; i++) {
        compare_at(pl_test_below(70000));
    }
}

static void test_chacha20_in_place_equals_out_of_place(void **state)
{
    static const size_t lens[] = {1, 63, 64, 65, 511, 512, 513, 1023, 1024, 1025, 4000, 16384};
    (void)state;
    for (size_t l = 0; l < PL_ARRAY_LEN(lens); l++) {
        size_t len = lens[l];
        uint8_t key[32], nonce[12];
        uint32_t counter;
        uint8_t *in = xmalloc(len), *out = xmalloc(len), *inplace = xmalloc(len);
        random_params(key, nonce, &counter);
        pl_test_fill(in, len);
        for (size_t i = 0; i < PL_ARRAY_LEN(ways); i++) {
            if (!available(&ways[i])) {
                continue;
            }
            run(&ways[i], key, nonce, counter, in, out, len);
            memcpy(inplace, in, len);
            run(&ways[i], key, nonce, counter, inplace, inplace, len);
            assert_memory_equal(inplace, out, len);
        }
        free(in);
        free(out);
        free(inplace);
    }
}

/* Encrypting the first k blocks and then the rest from counter + k equals one call. */
static void test_chacha20_split_at_every_block_boundary_equals_one_call(void **state)
{
    const size_t len = 40 * 64 + 17;
    uint8_t key[32], nonce[12];
    uint32_t counter;
    uint8_t *in = xmalloc(len), *whole = xmalloc(len), *parts = xmalloc(len);
    (void)state;
    random_params(key, nonce, &counter);
    pl_test_fill(in, len);
    for (size_t i = 0; i < PL_ARRAY_LEN(ways); i++) {
        if (!available(&ways[i])) {
            continue;
        }
        run(&ways[i], key, nonce, counter, in, whole, len);
        for (size_t k = 0; k * 64 <= len; k++) {
            run(&ways[i], key, nonce, counter, in, parts, k * 64);
            run(&ways[i], key, nonce, counter + (uint32_t)k, in + k * 64, parts + k * 64,
                len - k * 64);
            assert_memory_equal(parts, whole, len);
        }
    }
    free(in);
    free(whole);
    free(parts);
}

/* chacha20.h: after block 0xffffffff comes block 0, with the same nonce. Checked block by block
 * against pl_chacha20_block() from every start within 20 blocks of the wrap, over 20 blocks and
 * a half, so that the wrap falls at every position within the 8- and 16-block groups. */
static void test_chacha20_counter_wraps_to_zero_after_0xffffffff(void **state)
{
    const size_t len = 20 * 64 + 32;
    uint8_t key[32], nonce[12], block[64];
    uint8_t zeros[20 * 64 + 32] = {0}, out[20 * 64 + 32];
    (void)state;
    pl_test_fill(key, sizeof key);
    pl_test_fill(nonce, sizeof nonce);
    for (uint32_t back = 0; back < 20; back++) {
        uint32_t counter = 0xffffffffu - back;
        for (size_t i = 0; i < PL_ARRAY_LEN(ways); i++) {
            if (!available(&ways[i])) {
                continue;
            }
            run(&ways[i], key, nonce, counter, zeros, out, len);
            for (size_t b = 0; b * 64 < len; b++) {
                size_t n = len - b * 64 < 64 ? len - b * 64 : 64;
                pl_chacha20_block(key, nonce, counter + (uint32_t)b, block);
                if (memcmp(out + b * 64, block, n) != 0) {
                    fail_msg("%s: block %zu after counter 0x%x is not block 0x%x", ways[i].name,
                             b, counter, counter + (uint32_t)b);
                }
            }
        }
    }
    /* block 0x100000000 is block 0 */
    pl_chacha20_block(key, nonce, 0, block);
    run(&ways[0], key, nonce, 0xffffffffu, zeros, out, 128);
    assert_memory_equal(out + 64, block, 64);
}

static void test_chacha20_empty_input_writes_nothing(void **state)
{
    uint8_t key[32] = {0}, nonce[12] = {0}, buf[4] = {1, 2, 3, 4};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(ways); i++) {
        if (available(&ways[i])) {
            run(&ways[i], key, nonce, 7, NULL, NULL, 0);
            run(&ways[i], key, nonce, 7, buf, buf, 0);
            assert_int_equal(buf[0], 1);
            assert_int_equal(buf[3], 4);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chacha20_quarter_round_matches_rfc8439_2_1_1),
        cmocka_unit_test(test_chacha20_quarter_round_on_the_state_matches_rfc8439_2_2_1),
        cmocka_unit_test(test_chacha20_block_matches_rfc8439_2_3_2_in_every_implementation),
        cmocka_unit_test(test_chacha20_block_vectors_of_appendix_a1_in_every_implementation),
        cmocka_unit_test(test_chacha20_encrypts_rfc8439_2_4_2_in_every_implementation),
        cmocka_unit_test(test_chacha20_encryption_vectors_of_appendix_a2_in_every_implementation),
        cmocka_unit_test(test_chacha20_long_known_answers_in_every_implementation),
        cmocka_unit_test(test_chacha20_accelerated_equals_portable_at_every_length_0_to_1100),
        cmocka_unit_test(test_chacha20_accelerated_equals_portable_around_16k_and_beyond),
        cmocka_unit_test(test_chacha20_in_place_equals_out_of_place),
        cmocka_unit_test(test_chacha20_split_at_every_block_boundary_equals_one_call),
        cmocka_unit_test(test_chacha20_counter_wraps_to_zero_after_0xffffffff),
        cmocka_unit_test(test_chacha20_empty_input_writes_nothing),
    };
    return cmocka_run_group_tests_name("chacha20", tests, NULL, NULL);
}
