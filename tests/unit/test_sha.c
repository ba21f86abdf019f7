/* SHA-1, SHA-256, SHA-384 and SHA-512 (crypto/hash.h): FIPS 180-4 known answers through every
 * implementation, one-shot against incremental, portable against accelerated (SHA-NI, AVX2), and
 * cloning. */
#include <stdio.h>
#include <stdlib.h>

#include "pl_test.h"

#include "base/cpu.h"
#include "crypto/hash.h"

typedef void (*oneshot_fn)(const void *data, size_t len, uint8_t *out);

struct hash_under_test {
    const pl_hash_class *cls;
    oneshot_fn oneshot;
};

static const struct hash_under_test hashes[] = {
    {&pl_sha1_class, pl_sha1},
    {&pl_sha256_class, pl_sha256},
    {&pl_sha384_class, pl_sha384},
    {&pl_sha512_class, pl_sha512},
};

/* The CPU-feature masks that select each implementation: 0 forces portable code, PL_CPU_ALL
 * lets SHA-NI (SHA-1, SHA-256) and AVX2 (SHA-384, SHA-512) run where the CPU has them. */
static const struct {
    const char *name;
    uint32_t mask;
} impls[] = {
    {"portable", 0},
    {"accelerated", PL_CPU_ALL},
};

static int have_shani(void)
{
    const uint32_t need = PL_CPU_SHANI | PL_CPU_SSSE3 | PL_CPU_SSE41;
    return (pl_cpu_detected() & need) == need;
}

static int have_avx2(void)
{
    const uint32_t need = PL_CPU_AVX2 | PL_CPU_BMI2;
    return (pl_cpu_detected() & need) == need;
}

/* Whether hashes[h] has an accelerated implementation on this CPU. */
static int accelerated(size_t h)
{
    return h < 2 ? have_shani() : have_avx2();
}

/* ---- known answers --------------------------------------------------------------------------- */

enum message { MSG_EMPTY, MSG_ABC, MSG_448, MSG_896, MSG_MILLION_A };

static const char *const msg_448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char *const msg_896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                                   "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

/* "abc" and the 448-bit message for SHA-1/SHA-256, "abc" and the 896-bit message for
 * SHA-384/SHA-512: the FIPS 180-4 examples (NIST CSRC, "Examples with Intermediate Values":
 * SHA1.pdf, SHA256.pdf, SHA384.pdf, SHA512.pdf). One million 'a': FIPS 180-2 appendices A.3,
 * B.3, C.3 and D.3. The empty message: NIST CAVP SHAVS byte-oriented ShortMsg files, Len = 0.
 * NIST publishes no digest of the 896-bit message for SHA-1/SHA-256 nor of the 448-bit one for
 * SHA-384/SHA-512; those four were computed with Python's hashlib for this table (they match
 * the commonly cited table at di-mgt.com.au/sha_testvectors.html). */
static const struct {
    const pl_hash_class *cls;
    enum message msg;
    const char *digest;
} kats[] = {
    {&pl_sha1_class, MSG_EMPTY, "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
    {&pl_sha1_class, MSG_ABC, "a9993e364706816aba3e25717850c26c9cd0d89d"},
    {&pl_sha1_class, MSG_448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
    {&pl_sha1_class, MSG_896, "a49b2446a02c645bf419f995b67091253a04a259"},
    {&pl_sha1_class, MSG_MILLION_A, "34aa973cd4c4daa4f61eeb2bdbad27316534016f"},

    {&pl_sha256_class, MSG_EMPTY,
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {&pl_sha256_class, MSG_ABC,
     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {&pl_sha256_class, MSG_448,
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {&pl_sha256_class, MSG_896,
     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    {&pl_sha256_class, MSG_MILLION_A,
     "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},

    {&pl_sha384_class, MSG_EMPTY,
     "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da"
     "274edebfe76f65fbd51ad2f14898b95b"},
    {&pl_sha384_class, MSG_ABC,
     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
     "8086072ba1e7cc2358baeca134c825a7"},
    {&pl_sha384_class, MSG_448,
     "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6"
     "b0455a8520bc4e6f5fe95b1fe3c8452b"},
    {&pl_sha384_class, MSG_896,
     "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712"
     "fcc7c71a557e2db966c3e9fa91746039"},
    {&pl_sha384_class, MSG_MILLION_A,
     "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b"
     "07b8b3dc38ecc4ebae97ddd87f3d8985"},

    {&pl_sha512_class, MSG_EMPTY,
     "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
     "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"},
    {&pl_sha512_class, MSG_ABC,
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
    {&pl_sha512_class, MSG_448,
     "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
     "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445"},
    {&pl_sha512_class, MSG_896,
     "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
     "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"},
    {&pl_sha512_class, MSG_MILLION_A,
     "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
     "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"},
};

static oneshot_fn oneshot_of(const pl_hash_class *cls)
{
    for (size_t i = 0; i < PL_ARRAY_LEN(hashes); i++) {
        if (hashes[i].cls == cls) {
            return hashes[i].oneshot;
        }
    }
    fail_msg("no one-shot function for %s", cls->name);
    return NULL;
}

/* Hash a known-answer message through the class, feeding the million 'a' in 997-byte pieces so
 * that the buffering is exercised too. */
static void hash_kat_message(const pl_hash_class *cls, enum message msg, uint8_t *out)
{
    pl_hash_ctx c;
    cls->init(&c);
    switch (msg) {
    case MSG_EMPTY:
        cls->update(&c, NULL, 0);
        break;
    case MSG_ABC:
        cls->update(&c, "abc", 3);
        break;
    case MSG_448:
        cls->update(&c, msg_448, strlen(msg_448));
        break;
    case MSG_896:
        cls->update(&c, msg_896, strlen(msg_896));
        break;
    case MSG_MILLION_A: {
        uint8_t a[997];
        size_t left = 1000000;
        memset(a, 'a', sizeof a);
        while (left > 0) {
            size_t n = left < sizeof a ? left : sizeof a;
            cls->update(&c, a, n);
            left -= n;
        }
        break;
    }
    default:
        fail_msg("unknown message");
    }
    cls->final(&c, out);
}

static void test_known_answers_through_every_implementation(void **state)
{
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        pl_cpu_restrict(impls[i].mask);
        printf("  %zu known answers, %s implementation\n", PL_ARRAY_LEN(kats), impls[i].name);
        for (size_t k = 0; k < PL_ARRAY_LEN(kats); k++) {
            uint8_t out[PL_HASH_MAX_LEN];
            hash_kat_message(kats[k].cls, kats[k].msg, out);
            pl_test_assert_hex(out, kats[k].cls->digest_len, kats[k].digest);
        }
    }
    pl_cpu_restrict(PL_CPU_ALL);
}

static void test_one_shot_functions_give_the_known_answers(void **state)
{
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        pl_cpu_restrict(impls[i].mask);
        for (size_t k = 0; k < PL_ARRAY_LEN(kats); k++) {
            uint8_t out[PL_HASH_MAX_LEN];
            oneshot_fn f = oneshot_of(kats[k].cls);
            switch (kats[k].msg) {
            case MSG_EMPTY:
                f(NULL, 0, out);
                break;
            case MSG_ABC:
                f("abc", 3, out);
                break;
            case MSG_448:
                f(msg_448, strlen(msg_448), out);
                break;
            case MSG_896:
                f(msg_896, strlen(msg_896), out);
                break;
            case MSG_MILLION_A: {
                uint8_t *a = malloc(1000000);
                assert_non_null(a);
                memset(a, 'a', 1000000);
                f(a, 1000000, out);
                free(a);
                break;
            }
            default:
                fail_msg("unknown message");
            }
            pl_test_assert_hex(out, kats[k].cls->digest_len, kats[k].digest);
        }
    }
    pl_cpu_restrict(PL_CPU_ALL);
}

/* The named functions and the class are the same thing (SHA-384 shares SHA-512's context). */
static void test_named_functions_agree_with_the_class(void **state)
{
    uint8_t m[200], a[PL_HASH_MAX_LEN], b[PL_HASH_MAX_LEN];
    pl_sha1_ctx c1;
    pl_sha256_ctx c256;
    pl_sha512_ctx c384, c512;
    (void)state;
    pl_test_fill(m, sizeof m);

    pl_sha1_init(&c1);
    pl_sha1_update(&c1, m, 77);
    pl_sha1_update(&c1, m + 77, sizeof m - 77);
    pl_sha1_final(&c1, a);
    pl_sha1(m, sizeof m, b);
    assert_memory_equal(a, b, PL_SHA1_LEN);

    pl_sha256_init(&c256);
    pl_sha256_update(&c256, m, 77);
    pl_sha256_update(&c256, m + 77, sizeof m - 77);
    pl_sha256_final(&c256, a);
    pl_sha256(m, sizeof m, b);
    assert_memory_equal(a, b, PL_SHA256_LEN);

    pl_sha384_init(&c384);
    pl_sha384_update(&c384, m, 77);
    pl_sha384_update(&c384, m + 77, sizeof m - 77);
    pl_sha384_final(&c384, a);
    pl_sha384(m, sizeof m, b);
    assert_memory_equal(a, b, PL_SHA384_LEN);

    pl_sha512_init(&c512);
    pl_sha512_update(&c512, m, 77);
    pl_sha512_update(&c512, m + 77, sizeof m - 77);
    pl_sha512_final(&c512, a);
    pl_sha512(m, sizeof m, b);
    assert_memory_equal(a, b, PL_SHA512_LEN);
}

static void test_classes_describe_their_hash(void **state)
{
    (void)state;
    assert_string_equal(pl_sha1_class.name, "SHA-1");
    assert_int_equal(pl_sha1_class.digest_len, PL_SHA1_LEN);
    assert_int_equal(pl_sha1_class.block_len, 64);
    assert_string_equal(pl_sha256_class.name, "SHA-256");
    assert_int_equal(pl_sha256_class.digest_len, PL_SHA256_LEN);
    assert_int_equal(pl_sha256_class.block_len, 64);
    assert_string_equal(pl_sha384_class.name, "SHA-384");
    assert_int_equal(pl_sha384_class.digest_len, PL_SHA384_LEN);
    assert_int_equal(pl_sha384_class.block_len, 128);
    assert_string_equal(pl_sha512_class.name, "SHA-512");
    assert_int_equal(pl_sha512_class.digest_len, PL_SHA512_LEN);
    assert_int_equal(pl_sha512_class.block_len, 128);
    for (size_t i = 0; i < PL_ARRAY_LEN(hashes); i++) {
        assert_true(hashes[i].cls->digest_len <= PL_HASH_MAX_LEN);
        assert_true(hashes[i].cls->block_len <= PL_HASH_MAX_BLOCK_LEN);
    }
}

/* ---- properties ------------------------------------------------------------------------------ */

static void test_one_shot_equals_incremental_at_every_split(void **state)
{
    enum { LEN = 300 };
    uint8_t m[LEN];
    (void)state;
    pl_test_fill(m, sizeof m);
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        pl_cpu_restrict(impls[i].mask);
        for (size_t h = 0; h < PL_ARRAY_LEN(hashes); h++) {
            const pl_hash_class *cls = hashes[h].cls;
            uint8_t want[PL_HASH_MAX_LEN], got[PL_HASH_MAX_LEN];
            pl_hash_ctx c;
            hashes[h].oneshot(m, LEN, want);
            /* Two pieces, split at every byte. */
            for (size_t split = 0; split <= LEN; split++) {
                cls->init(&c);
                cls->update(&c, m, split);
                cls->update(&c, m + split, LEN - split);
                cls->final(&c, got);
                assert_memory_equal(got, want, cls->digest_len);
            }
            /* Three pieces around every block boundary, with an empty update between. */
            for (size_t s1 = 0; s1 <= LEN; s1 += 7) {
                for (size_t s2 = s1; s2 <= LEN; s2 += 13) {
                    cls->init(&c);
                    cls->update(&c, m, s1);
                    cls->update(&c, m + s1, 0);
                    cls->update(&c, m + s1, s2 - s1);
                    cls->update(&c, m + s2, LEN - s2);
                    cls->final(&c, got);
                    assert_memory_equal(got, want, cls->digest_len);
                }
            }
            /* One byte at a time. */
            cls->init(&c);
            for (size_t j = 0; j < LEN; j++) {
                cls->update(&c, m + j, 1);
            }
            cls->final(&c, got);
            assert_memory_equal(got, want, cls->digest_len);
        }
    }
    pl_cpu_restrict(PL_CPU_ALL);
}

/* Padding puts the length in the same block or spills into a new one depending on len mod the
 * block size; every length from 0 to three blocks crosses each case. Checked against the
 * incremental form, which buffers differently. */
static void test_every_length_up_to_three_blocks_hashes_consistently(void **state)
{
    uint8_t m[3 * PL_HASH_MAX_BLOCK_LEN + 1];
    (void)state;
    pl_test_fill(m, sizeof m);
    for (size_t h = 0; h < PL_ARRAY_LEN(hashes); h++) {
        const pl_hash_class *cls = hashes[h].cls;
        for (size_t len = 0; len < sizeof m; len++) {
            uint8_t want[PL_HASH_MAX_LEN], got[PL_HASH_MAX_LEN];
            pl_hash_ctx c;
            hashes[h].oneshot(m, len, want);
            cls->init(&c);
            for (size_t j = 0; j < len; j += 5) {
                cls->update(&c, m + j, len - j < 5 ? len - j : 5);
            }
            cls->final(&c, got);
            assert_memory_equal(got, want, cls->digest_len);
        }
    }
}

static void test_context_uses_the_accelerated_code_exactly_when_allowed(void **state)
{
    pl_sha1_ctx c1;
    pl_sha256_ctx c256;
    pl_sha512_ctx c384, c512;
    (void)state;
    pl_cpu_restrict(0);
    pl_sha1_init(&c1);
    pl_sha256_init(&c256);
    pl_sha384_init(&c384);
    pl_sha512_init(&c512);
    assert_int_equal(c1.impl, PL_HASH_PORTABLE);
    assert_int_equal(c256.impl, PL_HASH_PORTABLE);
    assert_int_equal(c384.impl, PL_HASH_PORTABLE);
    assert_int_equal(c512.impl, PL_HASH_PORTABLE);
    pl_cpu_restrict(PL_CPU_ALL);
    pl_sha1_init(&c1);
    pl_sha256_init(&c256);
    pl_sha384_init(&c384);
    pl_sha512_init(&c512);
    assert_int_equal(c1.impl, have_shani() ? PL_HASH_SHANI : PL_HASH_PORTABLE);
    assert_int_equal(c256.impl, have_shani() ? PL_HASH_SHANI : PL_HASH_PORTABLE);
    assert_int_equal(c384.impl, have_avx2() ? PL_HASH_AVX2 : PL_HASH_PORTABLE);
    assert_int_equal(c512.impl, have_avx2() ? PL_HASH_AVX2 : PL_HASH_PORTABLE);
    /* SHA-NI code needs SSE4.1 as well; the AVX2 code needs BMI2 as well. */
    pl_cpu_restrict(PL_CPU_ALL & ~(uint32_t)PL_CPU_SSE41 & ~(uint32_t)PL_CPU_BMI2);
    pl_sha256_init(&c256);
    pl_sha512_init(&c512);
    assert_int_equal(c256.impl, PL_HASH_PORTABLE);
    assert_int_equal(c512.impl, PL_HASH_PORTABLE);
    pl_cpu_restrict(PL_CPU_ALL);
    if (!have_shani()) {
        printf("  this CPU has no SHA-NI: SHA-1 and SHA-256 ran portable code only\n");
    }
    if (!have_avx2()) {
        printf("  this CPU has no AVX2 and BMI2: SHA-384 and SHA-512 ran portable code only\n");
    }
}

static void test_portable_equals_accelerated_on_random_messages(void **state)
{
    enum { MAX_LEN = 2000 };
    uint8_t *m = malloc(MAX_LEN);
    size_t compared = 0;
    (void)state;
    assert_non_null(m);
    for (int round = 0; round < 300; round++) {
        size_t len = pl_test_below(MAX_LEN + 1);
        pl_test_fill(m, len);
        for (size_t h = 0; h < PL_ARRAY_LEN(hashes); h++) {
            uint8_t portable[PL_HASH_MAX_LEN], fast[PL_HASH_MAX_LEN];
            if (!accelerated(h)) {
                continue;
            }
            pl_cpu_restrict(0);
            hashes[h].oneshot(m, len, portable);
            pl_cpu_restrict(PL_CPU_ALL);
            hashes[h].oneshot(m, len, fast);
            if (memcmp(portable, fast, hashes[h].cls->digest_len) != 0) {
                fail_msg("%s differs between portable and accelerated code at length %zu",
                         hashes[h].cls->name, len);
            }
            compared++;
        }
    }
    free(m);
    if (compared == 0) {
        skip();
    }
}

/* The block functions themselves, from random chaining values and over many blocks at once (the
 * hashes above start from the IV). For SHA-512 this covers groups of one to four blocks and the
 * next group's schedule being computed during the rounds of the one before. */
static void test_portable_block_functions_equal_accelerated_from_random_states(void **state)
{
    enum { MAX_BLOCKS = 40 };
    uint8_t *m = malloc(MAX_BLOCKS * PL_SHA512_BLOCK_LEN);
    (void)state;
    assert_non_null(m);
    if (!have_shani() && !have_avx2()) {
        free(m);
        skip();
    }
    for (int round = 0; round < 200; round++) {
        size_t n = pl_test_below(MAX_BLOCKS + 1);
        pl_test_fill(m, n * PL_SHA512_BLOCK_LEN);
        if (have_shani()) {
            uint32_t s1a[5], s1b[5], s256a[8], s256b[8];
            pl_test_fill(s1a, sizeof s1a);
            memcpy(s1b, s1a, sizeof s1a);
            pl_test_fill(s256a, sizeof s256a);
            memcpy(s256b, s256a, sizeof s256a);
            pl_sha1_blocks_portable(s1a, m, n);
            pl_sha1_blocks_shani(s1b, m, n);
            assert_memory_equal(s1a, s1b, sizeof s1a);
            pl_sha256_blocks_portable(s256a, m, n);
            pl_sha256_blocks_shani(s256b, m, n);
            assert_memory_equal(s256a, s256b, sizeof s256a);
        }
        if (have_avx2()) {
            uint64_t s512a[8], s512b[8];
            pl_test_fill(s512a, sizeof s512a);
            memcpy(s512b, s512a, sizeof s512a);
            pl_sha512_blocks_portable(s512a, m, n);
            pl_sha512_blocks_avx2(s512b, m, n);
            assert_memory_equal(s512a, s512b, sizeof s512a);
        }
    }
    free(m);
}

/* `saved = running;` forks a hash: finishing the copy leaves the original free to continue (the
 * TLS handshake transcript does this for Finished). */
static void test_cloning_a_context_mid_stream_forks_the_hash(void **state)
{
    uint8_t m[600];
    (void)state;
    pl_test_fill(m, sizeof m);
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        pl_cpu_restrict(impls[i].mask);
        for (size_t h = 0; h < PL_ARRAY_LEN(hashes); h++) {
            const pl_hash_class *cls = hashes[h].cls;
            for (int round = 0; round < 20; round++) {
                size_t cut = pl_test_below(sizeof m + 1);
                uint8_t want_prefix[PL_HASH_MAX_LEN], want_all[PL_HASH_MAX_LEN];
                uint8_t got_prefix[PL_HASH_MAX_LEN], got_all[PL_HASH_MAX_LEN];
                pl_hash_ctx running, saved;
                hashes[h].oneshot(m, cut, want_prefix);
                hashes[h].oneshot(m, sizeof m, want_all);
                cls->init(&running);
                cls->update(&running, m, cut);
                saved = running;
                cls->final(&saved, got_prefix);
                cls->update(&running, m + cut, sizeof m - cut);
                cls->final(&running, got_all);
                assert_memory_equal(got_prefix, want_prefix, cls->digest_len);
                assert_memory_equal(got_all, want_all, cls->digest_len);
            }
        }
    }
    pl_cpu_restrict(PL_CPU_ALL);

    /* And the named context types, assigned directly. */
    {
        pl_sha256_ctx transcript, copy;
        uint8_t a[PL_SHA256_LEN], b[PL_SHA256_LEN];
        pl_sha256_init(&transcript);
        pl_sha256_update(&transcript, m, 100);
        copy = transcript;
        pl_sha256_final(&copy, a);
        pl_sha256(m, 100, b);
        assert_memory_equal(a, b, sizeof a);
        pl_sha256_update(&transcript, m + 100, 50);
        pl_sha256_final(&transcript, a);
        pl_sha256(m, 150, b);
        assert_memory_equal(a, b, sizeof a);
    }
}

static void test_final_wipes_the_context(void **state)
{
    static const uint8_t zero[sizeof(pl_hash_ctx)];
    (void)state;
    for (size_t h = 0; h < PL_ARRAY_LEN(hashes); h++) {
        const pl_hash_class *cls = hashes[h].cls;
        uint8_t out[PL_HASH_MAX_LEN];
        pl_hash_ctx c;
        size_t size = h == 0 ? sizeof c.sha1 : h == 1 ? sizeof c.sha256 : sizeof c.sha512;
        cls->init(&c);
        cls->update(&c, "secret", 6);
        cls->final(&c, out);
        assert_memory_equal(&c, zero, size);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers_through_every_implementation),
        cmocka_unit_test(test_one_shot_functions_give_the_known_answers),
        cmocka_unit_test(test_named_functions_agree_with_the_class),
        cmocka_unit_test(test_classes_describe_their_hash),
        cmocka_unit_test(test_one_shot_equals_incremental_at_every_split),
        cmocka_unit_test(test_every_length_up_to_three_blocks_hashes_consistently),
        cmocka_unit_test(test_context_uses_the_accelerated_code_exactly_when_allowed),
        cmocka_unit_test(test_portable_equals_accelerated_on_random_messages),
        cmocka_unit_test(test_portable_block_functions_equal_accelerated_from_random_states),
        cmocka_unit_test(test_cloning_a_context_mid_stream_forks_the_hash),
        cmocka_unit_test(test_final_wipes_the_context),
    };
    pl_test_seed();
    return cmocka_run_group_tests_name("sha", tests, NULL, NULL);
}
