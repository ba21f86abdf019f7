/* AES, CTR32, CBC and PKCS#7 (crypto/aes.h): FIPS-197 and SP 800-38A known answers through every
 * implementation (portable and AES-NI called directly, and the dispatching functions restricted
 * to portable code and unrestricted), the key expansion, inc32 wrapping, partial CTR lengths,
 * portable against AES-NI on random keys and data, in place against out of place, CBC chaining,
 * and the rejections: key sizes, CBC lengths, PKCS#7 padding. */
#include <stdio.h>
#include <stdlib.h>

#include "pl_test.h"

#include "base/cpu.h"
#include "crypto/aes.h"

/* ---- the implementations --------------------------------------------------------------------- */

typedef void (*blocks_fn)(const pl_aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks);
typedef void (*ctr_fn)(const pl_aes_key *k, const uint8_t ctr[PL_AES_BLOCK_LEN],
                       const uint8_t *in, uint8_t *out, size_t len);
typedef void (*cbc_fn)(const pl_aes_key *k, uint8_t iv[PL_AES_BLOCK_LEN], const uint8_t *in,
                       uint8_t *out, size_t nblocks);

/* The checked CBC entry points, shaped like the per-implementation ones. */
static void cbc_encrypt_checked(const pl_aes_key *k, uint8_t iv[PL_AES_BLOCK_LEN],
                                const uint8_t *in, uint8_t *out, size_t nblocks)
{
    assert_int_equal(pl_aes_cbc_encrypt(k, iv, in, out, nblocks * PL_AES_BLOCK_LEN), 0);
}

static void cbc_decrypt_checked(const pl_aes_key *k, uint8_t iv[PL_AES_BLOCK_LEN],
                                const uint8_t *in, uint8_t *out, size_t nblocks)
{
    assert_int_equal(pl_aes_cbc_decrypt(k, iv, in, out, nblocks * PL_AES_BLOCK_LEN), 0);
}

struct impl {
    const char *name;
    uint32_t mask;   /* pl_cpu_restrict() while it runs */
    int needs_aesni; /* calls the _aesni functions directly */
    blocks_fn encrypt, decrypt;
    ctr_fn ctr32;
    cbc_fn cbc_encrypt, cbc_decrypt;
};

static const struct impl impls[] = {
    {"portable", PL_CPU_ALL, 0, pl_aes_encrypt_blocks_portable, pl_aes_decrypt_blocks_portable,
     pl_aes_ctr32_portable, pl_aes_cbc_encrypt_portable, pl_aes_cbc_decrypt_portable},
    {"aesni", PL_CPU_ALL, 1, pl_aes_encrypt_blocks_aesni, pl_aes_decrypt_blocks_aesni,
     pl_aes_ctr32_aesni, pl_aes_cbc_encrypt_aesni, pl_aes_cbc_decrypt_aesni},
    {"dispatch, restricted to portable", 0, 0, pl_aes_encrypt_blocks, pl_aes_decrypt_blocks,
     pl_aes_ctr32, cbc_encrypt_checked, cbc_decrypt_checked},
    {"dispatch, every feature", PL_CPU_ALL, 0, pl_aes_encrypt_blocks, pl_aes_decrypt_blocks,
     pl_aes_ctr32, cbc_encrypt_checked, cbc_decrypt_checked},
};

static const struct impl *portable = &impls[0];
static const struct impl *aesni = &impls[1];

static int have_aesni(void)
{
    const uint32_t need = PL_CPU_AESNI | PL_CPU_SSE41 | PL_CPU_SSSE3;
    return (pl_cpu_detected() & need) == need;
}

/* Select impls[i] (restricting the CPU features it may see); 0 when this CPU cannot run it. */
static int enter(size_t i)
{
    if (impls[i].needs_aesni && !have_aesni()) {
        printf("  %s: skipped, no AES-NI on this CPU\n", impls[i].name);
        return 0;
    }
    pl_cpu_restrict(impls[i].mask);
    return 1;
}

static void leave(void)
{
    pl_cpu_restrict(PL_CPU_ALL);
}

static void init_key(pl_aes_key *k, const uint8_t *key, size_t key_len)
{
    assert_int_equal(pl_aes_init(k, key, key_len), 0);
}

static void init_key_hex(pl_aes_key *k, const char *hex)
{
    size_t len;
    uint8_t *key = pl_test_unhex(hex, &len);
    init_key(k, key, len);
    free(key);
}

/* ---- FIPS-197 -------------------------------------------------------------------------------- */

/* FIPS-197 Appendix C: C.1 AES-128, C.2 AES-192, C.3 AES-256, plaintext 00112233...eeff. */
static const struct {
    const char *key, *ct;
} fips197_c[] = {
    {"000102030405060708090a0b0c0d0e0f", "69c4e0d86a7b0430d8cdb78070b4c55a"},
    {"000102030405060708090a0b0c0d0e0f1011121314151617", "dda97ca4864cdfe06eaf70a0ec0d7191"},
    {"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
     "8ea2b7ca516745bfeafc49904b496089"},
};

static void test_fips197_appendix_c_examples_encrypt_and_decrypt_in_every_implementation(
    void **state)
{
    const char *pt_hex = "00112233445566778899aabbccddeeff";
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        if (!enter(i)) {
            continue;
        }
        printf("  %zu FIPS-197 examples, %s\n", PL_ARRAY_LEN(fips197_c), impls[i].name);
        for (size_t v = 0; v < PL_ARRAY_LEN(fips197_c); v++) {
            pl_aes_key k;
            uint8_t pt[16], ct[16], buf[16];
            init_key_hex(&k, fips197_c[v].key);
            pl_test_unhex_into(pt_hex, pt, sizeof pt);
            pl_test_unhex_into(fips197_c[v].ct, ct, sizeof ct);
            impls[i].encrypt(&k, pt, buf, 1);
            pl_test_assert_hex(buf, 16, fips197_c[v].ct);
            impls[i].decrypt(&k, ct, buf, 1);
            pl_test_assert_hex(buf, 16, pt_hex);
            pl_aes_wipe(&k);
        }
    }
    leave();
}

/* FIPS-197 Appendix A: the expanded keys of A.1 (AES-128), A.2 (AES-192) and A.3 (AES-256).
 * round1 is w[4..7], last is the final round key. */
static const struct {
    const char *key;
    unsigned rounds;
    const char *round1, *last;
} fips197_a[] = {
    {"2b7e151628aed2a6abf7158809cf4f3c", 10, "a0fafe1788542cb123a339392a6c7605",
     "d014f9a8c9ee2589e13f0cc8b6630ca6"},
    {"8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b", 12, "62f8ead2522c6b7bfe0c91f72402f5a5",
     "e98ba06f448c773c8ecc720401002202"},
    {"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", 14,
     "1f352c073b6108d72d9810a30914dff4", "fe4890d1e6188d0b046df344706c631e"},
};

static void test_fips197_appendix_a_key_expansion_gives_the_published_round_keys(void **state)
{
    (void)state;
    for (size_t v = 0; v < PL_ARRAY_LEN(fips197_a); v++) {
        pl_aes_key k;
        size_t key_len;
        uint8_t *key = pl_test_unhex(fips197_a[v].key, &key_len);
        init_key(&k, key, key_len);
        assert_int_equal(k.rounds, fips197_a[v].rounds);
        assert_memory_equal(k.rk[0], key, 16);
        pl_test_assert_hex(k.rk[1], 16, fips197_a[v].round1);
        pl_test_assert_hex(k.rk[k.rounds], 16, fips197_a[v].last);
        free(key);
    }
}

/* GF(2^8) multiplication modulo x^8 + x^4 + x^3 + x + 1 (FIPS-197 §4.2), the slow way, for a
 * reference InvMixColumns. */
static uint8_t gf_mul(uint8_t a, uint8_t b)
{
    uint8_t r = 0;
    for (int i = 0; i < 8; i++) {
        if (b & 1) {
            r ^= a;
        }
        a = (uint8_t)((a << 1) ^ ((a & 0x80) ? 0x1b : 0));
        b >>= 1;
    }
    return r;
}

/* FIPS-197 §5.3.3 on each column. */
static void ref_inv_mix_columns(const uint8_t in[16], uint8_t out[16])
{
    for (int c = 0; c < 4; c++) {
        const uint8_t *s = in + 4 * c;
        for (int r = 0; r < 4; r++) {
            out[4 * c + r] = (uint8_t)(gf_mul(0x0e, s[r]) ^ gf_mul(0x0b, s[(r + 1) % 4]) ^
                                       gf_mul(0x0d, s[(r + 2) % 4]) ^ gf_mul(0x09, s[(r + 3) % 4]));
        }
    }
}

static void test_decryption_round_keys_are_inv_mix_columns_of_the_encryption_keys(void **state)
{
    (void)state;
    for (size_t key_len = 16; key_len <= 32; key_len += 8) {
        for (int trial = 0; trial < 20; trial++) {
            pl_aes_key k;
            uint8_t key[32], want[16];
            pl_test_fill(key, key_len);
            init_key(&k, key, key_len);
            assert_memory_equal(k.drk[0], k.rk[k.rounds], 16);
            assert_memory_equal(k.drk[k.rounds], k.rk[0], 16);
            for (unsigned i = 1; i < k.rounds; i++) {
                ref_inv_mix_columns(k.rk[k.rounds - i], want);
                assert_memory_equal(k.drk[i], want, 16);
            }
        }
    }
}

/* ---- SP 800-38A ------------------------------------------------------------------------------ */

/* NIST SP 800-38A Appendix F: the keys of F.1-F.5 and the common four-block plaintext. */
static const char *const sp800_38a_key[3] = {
    "2b7e151628aed2a6abf7158809cf4f3c",
    "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
    "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
};
static const char *const sp800_38a_pt = "6bc1bee22e409f96e93d7e117393172a"
                                        "ae2d8a571e03ac9c9eb76fac45af8e51"
                                        "30c81c46a35ce411e5fbc1191a0a52ef"
                                        "f69f2445df4f9b17ad2b417be66c3710";

/* F.2.1/F.2.2 CBC-AES128, F.2.3/F.2.4 CBC-AES192, F.2.5/F.2.6 CBC-AES256 (encrypt/decrypt),
 * IV 000102...0f. */
static const char *const sp800_38a_cbc_ct[3] = {
    "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
    "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7",
    "4f021db243bc633d7178183a9fa071e8b4d9ada9ad7dedf4e5e738763f69145a"
    "571b242012fb7ae07fa9baac3df102e008b0e27988598881d920a9e64f5615cd",
    "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
    "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b",
};

/* F.5.1/F.5.2 CTR-AES128, F.5.3/F.5.4 CTR-AES192, F.5.5/F.5.6 CTR-AES256 (encrypt/decrypt),
 * initial counter block f0f1...feff. */
static const char *const sp800_38a_ctr_ct[3] = {
    "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
    "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee",
    "1abc932417521ca24f2b0459fe7e6e0b090339ec0aa6faefd5ccc2c6f4ce8e94"
    "1e36b26bd1ebc670d1bd1d665620abf74f78a7f6d29809585a97daec58c6b050",
    "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
    "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6",
};

static void test_sp800_38a_cbc_vectors_f21_to_f26_in_every_implementation(void **state)
{
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        if (!enter(i)) {
            continue;
        }
        printf("  6 CBC vectors, %s\n", impls[i].name);
        for (size_t v = 0; v < 3; v++) {
            pl_aes_key k;
            uint8_t pt[64], ct[64], buf[64], iv[16];
            init_key_hex(&k, sp800_38a_key[v]);
            pl_test_unhex_into(sp800_38a_pt, pt, sizeof pt);
            pl_test_unhex_into(sp800_38a_cbc_ct[v], ct, sizeof ct);

            pl_test_unhex_into("000102030405060708090a0b0c0d0e0f", iv, sizeof iv);
            impls[i].cbc_encrypt(&k, iv, pt, buf, 4);
            pl_test_assert_hex(buf, sizeof buf, sp800_38a_cbc_ct[v]);
            assert_memory_equal(iv, ct + 48, 16); /* the IV for a following call */

            pl_test_unhex_into("000102030405060708090a0b0c0d0e0f", iv, sizeof iv);
            impls[i].cbc_decrypt(&k, iv, ct, buf, 4);
            pl_test_assert_hex(buf, sizeof buf, sp800_38a_pt);
            assert_memory_equal(iv, ct + 48, 16);
        }
    }
    leave();
}

static void test_sp800_38a_ctr_vectors_f51_to_f56_in_every_implementation(void **state)
{
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        if (!enter(i)) {
            continue;
        }
        printf("  6 CTR vectors, %s\n", impls[i].name);
        for (size_t v = 0; v < 3; v++) {
            pl_aes_key k;
            uint8_t pt[64], ct[64], buf[64], ctr[16];
            init_key_hex(&k, sp800_38a_key[v]);
            pl_test_unhex_into(sp800_38a_pt, pt, sizeof pt);
            pl_test_unhex_into(sp800_38a_ctr_ct[v], ct, sizeof ct);
            pl_test_unhex_into("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", ctr, sizeof ctr);
            impls[i].ctr32(&k, ctr, pt, buf, sizeof pt);
            pl_test_assert_hex(buf, sizeof buf, sp800_38a_ctr_ct[v]);
            impls[i].ctr32(&k, ctr, ct, buf, sizeof ct);
            pl_test_assert_hex(buf, sizeof buf, sp800_38a_pt);
            pl_test_assert_hex(ctr, sizeof ctr, "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"); /* unchanged */
        }
    }
    leave();
}

/* ---- CTR32 ----------------------------------------------------------------------------------- */

/* The reference: counter blocks built one by one (bytes 0..11 copied, bytes 12..15 the
 * big-endian counter mod 2^32), encrypted with pl_aes_encrypt_blocks, XORed in. */
static void ref_ctr32(const pl_aes_key *k, const uint8_t ctr[16], const uint8_t *in, uint8_t *out,
                      size_t len)
{
    uint32_t c = (uint32_t)ctr[12] << 24 | (uint32_t)ctr[13] << 16 | (uint32_t)ctr[14] << 8 |
                 ctr[15];
    for (size_t off = 0; off < len; off += 16, c++) {
        uint8_t block[16], ks[16];
        memcpy(block, ctr, 12);
        block[12] = (uint8_t)(c >> 24);
        block[13] = (uint8_t)(c >> 16);
        block[14] = (uint8_t)(c >> 8);
        block[15] = (uint8_t)c;
        pl_aes_encrypt_blocks(k, block, ks, 1);
        for (size_t j = 0; j < 16 && off + j < len; j++) {
            out[off + j] = (uint8_t)(in[off + j] ^ ks[j]);
        }
    }
}

static void test_ctr32_counter_wraps_mod_2_32_without_touching_byte_11(void **state)
{
    /* Start ten blocks before the wrap so that it falls inside an eight-block batch, and run on
     * past it; byte 11 is 0x7f so that a carry out of the counter would show. */
    const size_t nblocks = 24;
    uint8_t ctr[16], in[24 * 16], got[24 * 16], want[24 * 16];
    uint8_t block[16], ks[16];
    pl_aes_key k;
    (void)state;
    pl_test_fill(ctr, 11);
    ctr[11] = 0x7f;
    pl_test_unhex_into("fffffff6", ctr + 12, 4);
    pl_test_fill(in, sizeof in);
    pl_test_fill(block, 16);
    init_key(&k, block, 16);

    /* Block 10's counter block is ctr[0..11] || 00000000: check it directly once. */
    memcpy(block, ctr, 12);
    memset(block + 12, 0, 4);
    pl_aes_encrypt_blocks(&k, block, ks, 1);
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        if (!enter(i)) {
            continue;
        }
        ref_ctr32(&k, ctr, in, want, sizeof in);
        for (size_t j = 0; j < 16; j++) {
            assert_int_equal(want[10 * 16 + j], in[10 * 16 + j] ^ ks[j]);
        }
        impls[i].ctr32(&k, ctr, in, got, nblocks * 16);
        assert_memory_equal(got, want, sizeof got);
        /* and with the wrap at every offset within a batch, in the blocks after the last whole
         * batch, and in a final partial block */
        for (unsigned before = 1; before <= 13; before++) {
            static const size_t lens[] = {24 * 16, 13 * 16 + 7, 9 * 16, 5 * 16 + 1};
            for (size_t l = 0; l < PL_ARRAY_LEN(lens); l++) {
                uint8_t c2[16];
                memcpy(c2, ctr, 16);
                c2[15] = (uint8_t)(0x100 - before);
                ref_ctr32(&k, c2, in, want, lens[l]);
                impls[i].ctr32(&k, c2, in, got, lens[l]);
                assert_memory_equal(got, want, lens[l]);
            }
        }
    }
    leave();
}

static void test_ctr32_every_length_0_to_200_matches_the_block_by_block_reference(void **state)
{
    uint8_t key[32], ctr[16], in[200], want[200], got[200 + 16];
    (void)state;
    pl_test_fill(in, sizeof in);
    for (size_t key_len = 16; key_len <= 32; key_len += 8) {
        pl_aes_key k;
        pl_test_fill(key, key_len);
        pl_test_fill(ctr, sizeof ctr);
        init_key(&k, key, key_len);
        for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
            if (!enter(i)) {
                continue;
            }
            for (size_t len = 0; len <= sizeof in; len++) {
                ref_ctr32(&k, ctr, in, want, len);
                memset(got, 0xa5, sizeof got);
                impls[i].ctr32(&k, ctr, in, got, len);
                assert_memory_equal(got, want, len);
                for (size_t j = len; j < sizeof got; j++) {
                    assert_int_equal(got[j], 0xa5); /* nothing written past len */
                }
            }
        }
    }
    leave();
}

/* ---- properties on random keys and data ------------------------------------------------------ */

#define MAX_BLOCKS 40

static void test_portable_equals_aesni_on_random_keys_and_inputs(void **state)
{
    uint8_t key[32], in[MAX_BLOCKS * 16], a[MAX_BLOCKS * 16], b[MAX_BLOCKS * 16];
    uint8_t ctr[16], iv_a[16], iv_b[16];
    (void)state;
    if (!have_aesni()) {
        skip();
    }
    for (int trial = 0; trial < 300; trial++) {
        size_t key_len = 16 + 8 * (size_t)(trial % 3);
        size_t nblocks = pl_test_below(MAX_BLOCKS + 1);
        size_t ctr_len = pl_test_below(sizeof in + 1);
        pl_aes_key k;
        pl_test_fill(key, key_len);
        pl_test_fill(in, sizeof in);
        pl_test_fill(ctr, sizeof ctr);
        pl_test_fill(iv_a, sizeof iv_a);
        memcpy(iv_b, iv_a, sizeof iv_b);
        init_key(&k, key, key_len);

        portable->encrypt(&k, in, a, nblocks);
        aesni->encrypt(&k, in, b, nblocks);
        assert_memory_equal(a, b, nblocks * 16);
        portable->decrypt(&k, in, a, nblocks);
        aesni->decrypt(&k, in, b, nblocks);
        assert_memory_equal(a, b, nblocks * 16);
        portable->ctr32(&k, ctr, in, a, ctr_len);
        aesni->ctr32(&k, ctr, in, b, ctr_len);
        assert_memory_equal(a, b, ctr_len);
        portable->cbc_encrypt(&k, iv_a, in, a, nblocks);
        aesni->cbc_encrypt(&k, iv_b, in, b, nblocks);
        assert_memory_equal(a, b, nblocks * 16);
        assert_memory_equal(iv_a, iv_b, 16);
        portable->cbc_decrypt(&k, iv_a, in, a, nblocks);
        aesni->cbc_decrypt(&k, iv_b, in, b, nblocks);
        assert_memory_equal(a, b, nblocks * 16);
        assert_memory_equal(iv_a, iv_b, 16);
    }
}

static void test_encrypt_blocks_of_every_count_equal_one_block_at_a_time(void **state)
{
    uint8_t key[32], in[MAX_BLOCKS * 16], got[MAX_BLOCKS * 16], want[MAX_BLOCKS * 16];
    (void)state;
    for (size_t key_len = 16; key_len <= 32; key_len += 8) {
        pl_aes_key k;
        pl_test_fill(key, key_len);
        pl_test_fill(in, sizeof in);
        init_key(&k, key, key_len);
        for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
            if (!enter(i)) {
                continue;
            }
            for (size_t j = 0; j < MAX_BLOCKS; j++) {
                impls[i].encrypt(&k, in + 16 * j, want + 16 * j, 1);
            }
            for (size_t n = 0; n <= MAX_BLOCKS; n++) {
                impls[i].encrypt(&k, in, got, n);
                assert_memory_equal(got, want, n * 16);
                impls[i].decrypt(&k, want, got, n);
                assert_memory_equal(got, in, n * 16);
            }
        }
    }
    leave();
}

static void test_in_place_equals_out_of_place(void **state)
{
    uint8_t key[32], in[MAX_BLOCKS * 16], want[MAX_BLOCKS * 16], buf[MAX_BLOCKS * 16];
    uint8_t ctr[16], iv0[16], iv1[16], iv2[16];
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        if (!enter(i)) {
            continue;
        }
        for (int trial = 0; trial < 30; trial++) {
            size_t key_len = 16 + 8 * (size_t)(trial % 3);
            size_t n = pl_test_below(MAX_BLOCKS + 1), len = pl_test_below(sizeof in + 1);
            pl_aes_key k;
            pl_test_fill(key, key_len);
            pl_test_fill(in, sizeof in);
            pl_test_fill(ctr, sizeof ctr);
            pl_test_fill(iv0, sizeof iv0);
            init_key(&k, key, key_len);

            impls[i].encrypt(&k, in, want, n);
            memcpy(buf, in, sizeof buf);
            impls[i].encrypt(&k, buf, buf, n);
            assert_memory_equal(buf, want, n * 16);

            impls[i].decrypt(&k, in, want, n);
            memcpy(buf, in, sizeof buf);
            impls[i].decrypt(&k, buf, buf, n);
            assert_memory_equal(buf, want, n * 16);

            impls[i].ctr32(&k, ctr, in, want, len);
            memcpy(buf, in, sizeof buf);
            impls[i].ctr32(&k, ctr, buf, buf, len);
            assert_memory_equal(buf, want, len);

            memcpy(iv1, iv0, 16);
            memcpy(iv2, iv0, 16);
            impls[i].cbc_encrypt(&k, iv1, in, want, n);
            memcpy(buf, in, sizeof buf);
            impls[i].cbc_encrypt(&k, iv2, buf, buf, n);
            assert_memory_equal(buf, want, n * 16);
            assert_memory_equal(iv1, iv2, 16);

            memcpy(iv1, iv0, 16);
            memcpy(iv2, iv0, 16);
            impls[i].cbc_decrypt(&k, iv1, in, want, n);
            memcpy(buf, in, sizeof buf);
            impls[i].cbc_decrypt(&k, iv2, buf, buf, n);
            assert_memory_equal(buf, want, n * 16);
            assert_memory_equal(iv1, iv2, 16);
        }
    }
    leave();
}

static void test_decrypt_undoes_encrypt_in_ecb_and_cbc(void **state)
{
    uint8_t key[32], in[MAX_BLOCKS * 16], ct[MAX_BLOCKS * 16], back[MAX_BLOCKS * 16];
    uint8_t iv0[16], iv[16];
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        if (!enter(i)) {
            continue;
        }
        for (int trial = 0; trial < 30; trial++) {
            size_t key_len = 16 + 8 * (size_t)(trial % 3);
            size_t n = pl_test_below(MAX_BLOCKS + 1);
            pl_aes_key k;
            pl_test_fill(key, key_len);
            pl_test_fill(in, sizeof in);
            pl_test_fill(iv0, sizeof iv0);
            init_key(&k, key, key_len);

            impls[i].encrypt(&k, in, ct, n);
            impls[i].decrypt(&k, ct, back, n);
            assert_memory_equal(back, in, n * 16);

            memcpy(iv, iv0, 16);
            impls[i].cbc_encrypt(&k, iv, in, ct, n);
            memcpy(iv, iv0, 16);
            impls[i].cbc_decrypt(&k, iv, ct, back, n);
            assert_memory_equal(back, in, n * 16);
        }
    }
    leave();
}

static void test_cbc_chained_calls_equal_one_call_at_every_split(void **state)
{
    enum { N = 20 };
    uint8_t key[16], in[N * 16], one[N * 16], split[N * 16], iv0[16], iv[16];
    pl_aes_key k;
    (void)state;
    pl_test_fill(key, sizeof key);
    pl_test_fill(in, sizeof in);
    pl_test_fill(iv0, sizeof iv0);
    init_key(&k, key, sizeof key);
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        if (!enter(i)) {
            continue;
        }
        uint8_t one_dec[N * 16];
        memcpy(iv, iv0, 16);
        impls[i].cbc_encrypt(&k, iv, in, one, N);
        memcpy(iv, iv0, 16);
        impls[i].cbc_decrypt(&k, iv, one, one_dec, N);
        assert_memory_equal(one_dec, in, sizeof in);
        for (size_t cut = 0; cut <= N; cut++) {
            memcpy(iv, iv0, 16);
            impls[i].cbc_encrypt(&k, iv, in, split, cut);
            impls[i].cbc_encrypt(&k, iv, in + 16 * cut, split + 16 * cut, N - cut);
            assert_memory_equal(split, one, sizeof one);
            memcpy(iv, iv0, 16);
            impls[i].cbc_decrypt(&k, iv, one, split, cut);
            impls[i].cbc_decrypt(&k, iv, one + 16 * cut, split + 16 * cut, N - cut);
            assert_memory_equal(split, in, sizeof in);
        }
    }
    leave();
}

/* ---- rejections ------------------------------------------------------------------------------ */

static void test_key_sizes_other_than_16_24_32_are_rejected(void **state)
{
    static const size_t bad[] = {0, 1, 8, 15, 17, 20, 23, 25, 31, 33, 48, 64};
    uint8_t key[64] = {0};
    pl_aes_key k;
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(bad); i++) {
        assert_int_equal(pl_aes_init(&k, key, bad[i]), SSL_ERR_CRYPTO_BAD_KEY_SIZE);
    }
    assert_int_equal(pl_aes_init(&k, key, 16), 0);
    assert_int_equal(pl_aes_init(&k, key, 24), 0);
    assert_int_equal(pl_aes_init(&k, key, 32), 0);
}

static void test_cbc_length_not_a_multiple_of_16_is_rejected_and_nothing_written(void **state)
{
    static const size_t bad[] = {1, 15, 17, 31, 33, 47, 100};
    uint8_t key[16] = {0}, in[128] = {0}, out[128], iv[16];
    pl_aes_key k;
    (void)state;
    init_key(&k, key, sizeof key);
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        if (impls[i].cbc_encrypt != cbc_encrypt_checked || !enter(i)) {
            continue;
        }
        for (size_t j = 0; j < PL_ARRAY_LEN(bad); j++) {
            memset(out, 0x5a, sizeof out);
            memset(iv, 0x33, sizeof iv);
            assert_int_equal(pl_aes_cbc_encrypt(&k, iv, in, out, bad[j]),
                             SSL_ERR_CRYPTO_BAD_LENGTH);
            assert_int_equal(pl_aes_cbc_decrypt(&k, iv, in, out, bad[j]),
                             SSL_ERR_CRYPTO_BAD_LENGTH);
            for (size_t b = 0; b < sizeof out; b++) {
                assert_int_equal(out[b], 0x5a);
            }
            for (size_t b = 0; b < sizeof iv; b++) {
                assert_int_equal(iv[b], 0x33);
            }
        }
        assert_int_equal(pl_aes_cbc_encrypt(&k, iv, in, out, 0), 0);
        assert_int_equal(pl_aes_cbc_decrypt(&k, iv, in, out, 0), 0);
    }
    leave();
}

/* ---- PKCS#7 ---------------------------------------------------------------------------------- */

static void test_pkcs7_every_valid_pad_1_to_16_is_accepted_with_its_length(void **state)
{
    uint8_t buf[48];
    (void)state;
    for (size_t len = 16; len <= sizeof buf; len += 16) {
        for (unsigned pad = 1; pad <= 16; pad++) {
            size_t out_len = 12345;
            pl_test_fill(buf, sizeof buf);
            memset(buf + len - pad, (int)pad, pad);
            assert_int_equal(pl_pkcs7_unpad(buf, len, &out_len), 0);
            assert_int_equal(out_len, len - pad);
        }
    }
}

static void test_pkcs7_wrong_pads_are_rejected_as_bad_padding(void **state)
{
    static const uint8_t bad_values[] = {0, 17, 32, 128, 255};
    uint8_t buf[32];
    size_t out_len;
    (void)state;
    /* a last byte that is no pad length at all */
    for (size_t i = 0; i < PL_ARRAY_LEN(bad_values); i++) {
        pl_test_fill(buf, sizeof buf);
        memset(buf + 16, bad_values[i], 16);
        assert_int_equal(pl_pkcs7_unpad(buf, sizeof buf, &out_len), SSL_ERR_CRYPTO_BAD_PADDING);
    }
    /* a valid pad length with one padding byte changed, at every position of the padding */
    for (unsigned pad = 2; pad <= 16; pad++) {
        for (unsigned pos = 0; pos < pad - 1; pos++) {
            for (unsigned delta = 1; delta < 256; delta += 37) {
                memset(buf, 0, sizeof buf);
                memset(buf + sizeof buf - pad, (int)pad, pad);
                buf[sizeof buf - pad + pos] = (uint8_t)(pad + delta);
                assert_int_equal(pl_pkcs7_unpad(buf, sizeof buf, &out_len),
                                 SSL_ERR_CRYPTO_BAD_PADDING);
            }
        }
    }
    /* the byte just before the padding is not checked */
    memset(buf, 0, sizeof buf);
    memset(buf + sizeof buf - 3, 3, 3);
    buf[sizeof buf - 4] = 7;
    assert_int_equal(pl_pkcs7_unpad(buf, sizeof buf, &out_len), 0);
    assert_int_equal(out_len, sizeof buf - 3);
}

static void test_pkcs7_length_not_a_positive_multiple_of_16_is_rejected(void **state)
{
    static const size_t bad[] = {0, 1, 15, 17, 31};
    uint8_t buf[32];
    size_t out_len;
    (void)state;
    memset(buf, 1, sizeof buf);
    for (size_t i = 0; i < PL_ARRAY_LEN(bad); i++) {
        assert_int_equal(pl_pkcs7_unpad(buf, bad[i], &out_len), SSL_ERR_CRYPTO_BAD_LENGTH);
    }
}

static void test_wipe_zeroes_the_whole_key(void **state)
{
    uint8_t key[32], zero[sizeof(pl_aes_key)] = {0};
    pl_aes_key k;
    (void)state;
    pl_test_fill(key, sizeof key);
    init_key(&k, key, sizeof key);
    pl_aes_wipe(&k);
    assert_memory_equal(&k, zero, sizeof k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_fips197_appendix_c_examples_encrypt_and_decrypt_in_every_implementation),
        cmocka_unit_test(test_fips197_appendix_a_key_expansion_gives_the_published_round_keys),
        cmocka_unit_test(test_decryption_round_keys_are_inv_mix_columns_of_the_encryption_keys),
        cmocka_unit_test(test_sp800_38a_cbc_vectors_f21_to_f26_in_every_implementation),
        cmocka_unit_test(test_sp800_38a_ctr_vectors_f51_to_f56_in_every_implementation),
        cmocka_unit_test(test_ctr32_counter_wraps_mod_2_32_without_touching_byte_11),
        cmocka_unit_test(test_ctr32_every_length_0_to_200_matches_the_block_by_block_reference),
        cmocka_unit_test(test_portable_equals_aesni_on_random_keys_and_inputs),
        cmocka_unit_test(test_encrypt_blocks_of_every_count_equal_one_block_at_a_time),
        cmocka_unit_test(test_in_place_equals_out_of_place),
        cmocka_unit_test(test_decrypt_undoes_encrypt_in_ecb_and_cbc),
        cmocka_unit_test(test_cbc_chained_calls_equal_one_call_at_every_split),
        cmocka_unit_test(test_key_sizes_other_than_16_24_32_are_rejected),
        cmocka_unit_test(test_cbc_length_not_a_multiple_of_16_is_rejected_and_nothing_written),
        cmocka_unit_test(test_pkcs7_every_valid_pad_1_to_16_is_accepted_with_its_length),
        cmocka_unit_test(test_pkcs7_wrong_pads_are_rejected_as_bad_padding),
        cmocka_unit_test(test_pkcs7_length_not_a_positive_multiple_of_16_is_rejected),
        cmocka_unit_test(test_wipe_zeroes_the_whole_key),
    };
    return cmocka_run_group_tests_name("aes", tests, NULL, NULL);
}
