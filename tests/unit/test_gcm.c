/* AES-GCM (crypto/gcm.h) and its AEAD classes: the McGrew-Viega test cases through every
 * implementation and every class, GHASH known answers and portable-against-accelerated GHASH,
 * every length 0..300 and around 16 KiB against the portable code, in place against out of
 * place, counter wrap-around, tampering, and the argument checks. */
#include <stdio.h>
#include <stdlib.h>

#include "pl_test.h"

#include "base/cpu.h"
#include "base/endian.h"
#include "crypto/gcm.h"

#define CLMUL_NEEDS (PL_CPU_AESNI | PL_CPU_PCLMUL | PL_CPU_SSSE3 | PL_CPU_SSE41)
#define VAES_NEEDS (CLMUL_NEEDS | PL_CPU_AVX2 | PL_CPU_AVX512 | PL_CPU_VAES)

/* The low-level implementations, each selected by restricting the CPU features before
 * pl_gcm_init(). */
static const struct impl {
    const char *name;
    uint32_t mask;
    uint32_t needs;
    enum pl_gcm_impl id;
} impls[] = {
    {"portable", 0, 0, PL_GCM_PORTABLE},
    {"clmul", CLMUL_NEEDS, CLMUL_NEEDS, PL_GCM_CLMUL},
    {"vaes", PL_CPU_ALL, VAES_NEEDS, PL_GCM_VAES},
};

static const struct cls {
    const pl_aead_class *cls;
    uint32_t needs;
} classes[] = {
    {&pl_aes128_gcm_portable, 0}, {&pl_aes256_gcm_portable, 0},
    {&pl_aes128_gcm_clmul, CLMUL_NEEDS}, {&pl_aes256_gcm_clmul, CLMUL_NEEDS},
    {&pl_aes128_gcm_vaes, VAES_NEEDS}, {&pl_aes256_gcm_vaes, VAES_NEEDS},
};

typedef void (*ghash_fn)(const pl_ghash_key *k, uint8_t y[16], const uint8_t *in, size_t n);

static const struct ghash_impl {
    const char *name;
    ghash_fn fn;
    uint32_t needs;
} ghashes[] = {
    {"portable", pl_ghash_portable, 0},
    {"clmul", pl_ghash_clmul, PL_CPU_PCLMUL | PL_CPU_SSSE3 | PL_CPU_SSE41},
    {"vaes", pl_ghash_vaes, VAES_NEEDS},
};

static int cpu_has(uint32_t needs)
{
    return (pl_cpu_detected() & needs) == needs;
}

/* Select impls[i] and expand key with it; 0 when this CPU lacks it (said once on stdout). */
static int init_impl(const struct impl *im, pl_gcm_key *g, const uint8_t *key, size_t key_len)
{
    if (!cpu_has(im->needs)) {
        return 0;
    }
    pl_cpu_restrict(im->mask);
    assert_int_equal(pl_gcm_init(g, key, key_len), 0);
    pl_cpu_restrict(PL_CPU_ALL);
    assert_int_equal(g->impl, im->id);
    return 1;
}

static void report_missing(void)
{
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        if (!cpu_has(impls[i].needs)) {
            printf("note: this CPU cannot run the %s implementation; not tested here\n",
                   impls[i].name);
        }
    }
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n > 0 ? n : 1);
    assert_non_null(p);
    return p;
}

/* ---- the McGrew-Viega test cases ------------------------------------------------------------ */

#define K128 "feffe9928665731c6d6a8f9467308308"
#define K192 K128 "feffe9928665731c"
#define K256 K128 K128
#define P60                                                                                        \
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"                             \
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define P64 P60 "1aafd255"
#define A20 "feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define IV12 "cafebabefacedbaddecaf888"
#define IV8 "cafebabefacedbad"
#define IV60                                                                                       \
    "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728"                             \
    "c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b"
#define Z12 "000000000000000000000000"
#define Z16 "00000000000000000000000000000000"

/* D. McGrew and J. Viega, "The Galois/Counter Mode of Operation (GCM)", revised 2005,
 * Appendix B, AES Test Vectors, Test Cases 1-18: AES-128 (1-6), AES-192 (7-12), AES-256
 * (13-18); cases 5, 11, 17 have an 8-byte IV and 6, 12, 18 a 60-byte IV. */
static const struct kat {
    int number;
    const char *key, *iv, *aad, *pt, *ct, *tag;
} kats[] = {
    {1, Z16, Z12, "", "", "", "58e2fccefa7e3061367f1d57a4e7455a"},
    {2, Z16, Z12, "", Z16, "0388dace60b6a392f328c2b971b2fe78",
     "ab6e47d42cec13bdf53a67b21257bddf"},
    {3, K128, IV12, "", P64,
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
     "4d5c2af327cd64a62cf35abd2ba6fab4"},
    {4, K128, IV12, A20, P60,
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
     "5bc94fbc3221a5db94fae95ae7121a47"},
    {5, K128, IV8, A20, P60,
     "61353b4c2806934a777ff51fa22a4755699b2a714fcdc6f83766e5f97b6c7423"
     "73806900e49f24b22b097544d4896b424989b5e1ebac0f07c23f4598",
     "3612d2e79e3b0785561be14aaca2fccb"},
    {6, K128, IV60, A20, P60,
     "8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca7"
     "01e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5",
     "619cc5aefffe0bfa462af43c1699d050"},
    {7, Z16 "0000000000000000", Z12, "", "", "", "cd33b28ac773f74ba00ed1f312572435"},
    {8, Z16 "0000000000000000", Z12, "", Z16, "98e7247c07f0fe411c267e4384b0f600",
     "2ff58d80033927ab8ef4d4587514f0fb"},
    {9, K192, IV12, "", P64,
     "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
     "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710acade256",
     "9924a7c8587336bfb118024db8674a14"},
    {10, K192, IV12, A20, P60,
     "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
     "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710",
     "2519498e80f1478f37ba55bd6d27618c"},
    {11, K192, IV8, A20, P60,
     "0f10f599ae14a154ed24b36e25324db8c566632ef2bbb34f8347280fc4507057"
     "fddc29df9a471f75c66541d4d4dad1c9e93a19a58e8b473fa0f062f7",
     "65dcc57fcf623a24094fcca40d3533f8"},
    {12, K192, IV60, A20, P60,
     "d27e88681ce3243c4830165a8fdcf9ff1de9a1d8e6b447ef6ef7b79828666e45"
     "81e79012af34ddd9e2f037589b292db3e67c036745fa22e7e9b7373b",
     "dcf566ff291c25bbb8568fc3d376a6d9"},
    {13, Z16 Z16, Z12, "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"},
    {14, Z16 Z16, Z12, "", Z16, "cea7403d4d606b6e074ec5d3baf39d18",
     "d0d1c8a799996bf0265b98b5d48ab919"},
    {15, K256, IV12, "", P64,
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
     "b094dac5d93471bdec1a502270e3cc6c"},
    {16, K256, IV12, A20, P60,
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
    {17, K256, IV8, A20, P60,
     "c3762df1ca787d32ae47c13bf19844cbaf1ae14d0b976afac52ff7d79bba9de0"
     "feb582d33934a4f0954cc2363bc73f7862ac430e64abe499f47c9b1f",
     "3a337dbf46a792c45e454913fe2ea8f2"},
    {18, K256, IV60, A20, P60,
     "5a8def2f0c9e53f1f75d7853659e2a20eeb2b22aafde6419a058ab4f6f746bf4"
     "0fc0c3b780f244452da3ebf1c5d82cdea2418997200ef82e44ae7e3f",
     "a44a8266ee1c8eb0c8b5d4cf5ae9f19a"},
};

struct kat_bytes {
    uint8_t *key, *iv, *aad, *pt, *ct, *tag;
    size_t key_len, iv_len, aad_len, pt_len, ct_len, tag_len;
};

static void kat_load(const struct kat *t, struct kat_bytes *b)
{
    b->key = pl_test_unhex(t->key, &b->key_len);
    b->iv = pl_test_unhex(t->iv, &b->iv_len);
    b->aad = pl_test_unhex(t->aad, &b->aad_len);
    b->pt = pl_test_unhex(t->pt, &b->pt_len);
    b->ct = pl_test_unhex(t->ct, &b->ct_len);
    b->tag = pl_test_unhex(t->tag, &b->tag_len);
    assert_int_equal(b->pt_len, b->ct_len);
}

static void kat_free(struct kat_bytes *b)
{
    free(b->key);
    free(b->iv);
    free(b->aad);
    free(b->pt);
    free(b->ct);
    free(b->tag);
}

static void test_gcm_spec_test_cases_1_to_18_through_every_implementation(void **state)
{
    (void)state;
    report_missing();
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        for (size_t t = 0; t < PL_ARRAY_LEN(kats); t++) {
            struct kat_bytes b;
            pl_gcm_key g;
            uint8_t out[64], tag[16], back[64];
            kat_load(&kats[t], &b);
            if (!init_impl(&impls[i], &g, b.key, b.key_len)) {
                kat_free(&b);
                continue;
            }
            assert_int_equal(pl_gcm_seal(&g, b.iv, b.iv_len, b.aad, b.aad_len, b.pt, out,
                                         b.pt_len, tag, sizeof tag),
                             0);
            pl_test_assert_hex(out, b.pt_len, kats[t].ct);
            pl_test_assert_hex(tag, sizeof tag, kats[t].tag);
            assert_int_equal(pl_gcm_open(&g, b.iv, b.iv_len, b.aad, b.aad_len, b.ct, back,
                                         b.ct_len, b.tag, b.tag_len),
                             0);
            assert_memory_equal(back, b.pt, b.pt_len);
            /* in place, both ways */
            memcpy(back, b.pt, b.pt_len);
            assert_int_equal(pl_gcm_seal(&g, b.iv, b.iv_len, b.aad, b.aad_len, back, back,
                                         b.pt_len, tag, sizeof tag),
                             0);
            pl_test_assert_hex(back, b.pt_len, kats[t].ct);
            assert_int_equal(pl_gcm_open(&g, b.iv, b.iv_len, b.aad, b.aad_len, back, back,
                                         b.ct_len, b.tag, b.tag_len),
                             0);
            assert_memory_equal(back, b.pt, b.pt_len);
            pl_gcm_wipe(&g);
            kat_free(&b);
        }
    }
}

static void test_gcm_spec_test_cases_with_96_bit_iv_through_every_class(void **state)
{
    size_t ran = 0;
    (void)state;
    for (size_t c = 0; c < PL_ARRAY_LEN(classes); c++) {
        const pl_aead_class *cls = classes[c].cls;
        if (!cpu_has(classes[c].needs)) {
            continue;
        }
        for (size_t t = 0; t < PL_ARRAY_LEN(kats); t++) {
            struct kat_bytes b;
            pl_aead_ctx ctx;
            uint8_t out[64], tag[16];
            kat_load(&kats[t], &b);
            if (b.key_len != cls->key_len || b.iv_len != PL_AEAD_NONCE_LEN) {
                kat_free(&b);
                continue;
            }
            cls->init(&ctx, b.key);
            cls->seal(&ctx, b.iv, b.aad, b.aad_len, b.pt, out, b.pt_len, tag);
            pl_test_assert_hex(out, b.pt_len, kats[t].ct);
            pl_test_assert_hex(tag, sizeof tag, kats[t].tag);
            assert_int_equal(cls->open(&ctx, b.iv, b.aad, b.aad_len, b.ct, out, b.ct_len, b.tag),
                             0);
            assert_memory_equal(out, b.pt, b.pt_len);
            pl_wipe(&ctx, sizeof ctx);
            kat_free(&b);
            ran++;
        }
    }
    /* cases 1-4 and 13-16 for each 128- and 256-bit class that runs here */
    assert_true(ran >= 16);
}

/* The classes say what they are. */
static void test_gcm_classes_describe_themselves(void **state)
{
    (void)state;
    for (size_t c = 0; c < PL_ARRAY_LEN(classes); c++) {
        const pl_aead_class *cls = classes[c].cls;
        assert_true(cls->key_len == 16 || cls->key_len == 32);
        assert_string_equal(cls->name, cls->key_len == 16 ? "AES-128-GCM" : "AES-256-GCM");
        assert_int_equal(cls->nonce_len, PL_AEAD_NONCE_LEN);
        assert_int_equal(cls->tag_len, PL_AEAD_TAG_LEN);
        assert_non_null(cls->impl);
    }
}

/* ---- GHASH ---------------------------------------------------------------------------------- */

/* GHASH known answers from the same appendix: Test Case 2, GHASH(H, {}, C) over C and the
 * lengths block; Test Case 6, Y0 = GHASH(H, {}, IV) over the 60-byte IV padded to four blocks
 * and the lengths block (its N1..N4 and Y0). */
static void test_ghash_matches_spec_values_in_every_implementation(void **state)
{
    static const struct {
        const char *h, *data, *want;
    } cases[] = {
        {"66e94bd4ef8a2c3b884cfa59ca342b2e",
         "0388dace60b6a392f328c2b971b2fe78" "00000000000000000000000000000080",
         "f38cbb1ad69223dcc3457ae5b6b0f885"},
        {"b83b533708bf535d0aa6e52980d53b78",
         IV60 "00000000" "000000000000000000000000000001e0",
         "3bab75780a31c059f83d2a44752f9864"},
    };
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(ghashes); i++) {
        if (!cpu_has(ghashes[i].needs)) {
            continue;
        }
        for (size_t c = 0; c < PL_ARRAY_LEN(cases); c++) {
            pl_ghash_key k;
            uint8_t h[16], y[16] = {0};
            size_t len;
            uint8_t *data = pl_test_unhex(cases[c].data, &len);
            pl_test_unhex_into(cases[c].h, h, sizeof h);
            pl_ghash_init(&k, h);
            ghashes[i].fn(&k, y, data, len / 16);
            pl_test_assert_hex(y, sizeof y, cases[c].want);
            /* block by block gives the same */
            memset(y, 0, sizeof y);
            for (size_t b = 0; b < len / 16; b++) {
                ghashes[i].fn(&k, y, data + 16 * b, 1);
            }
            pl_test_assert_hex(y, sizeof y, cases[c].want);
            free(data);
        }
    }
}

static void test_ghash_portable_equals_accelerated_on_random_inputs(void **state)
{
    enum { MAX_BLOCKS = 70 };
    static uint8_t data[16 * MAX_BLOCKS];
    (void)state;
    for (int round = 0; round < 400; round++) {
        pl_ghash_key k;
        uint8_t h[16], y0[16], want[16];
        size_t n = pl_test_below(MAX_BLOCKS + 1);
        pl_test_fill(h, sizeof h);
        pl_test_fill(y0, sizeof y0);
        pl_test_fill(data, sizeof data);
        if (round < 4) {
            memset(h, round == 0 ? 0 : 0xff, sizeof h); /* edge keys: 0 and all ones */
            h[15] = (uint8_t)(round == 2 ? 1 : h[15]);
        }
        pl_ghash_init(&k, h);
        memcpy(want, y0, sizeof want);
        pl_ghash_portable(&k, want, data, n);
        for (size_t i = 1; i < PL_ARRAY_LEN(ghashes); i++) {
            uint8_t y[16];
            if (!cpu_has(ghashes[i].needs)) {
                continue;
            }
            memcpy(y, y0, sizeof y);
            ghashes[i].fn(&k, y, data, n);
            if (memcmp(y, want, sizeof y) != 0) {
                printf("GHASH %s differs from portable over %zu blocks\n", ghashes[i].name, n);
            }
            assert_memory_equal(y, want, sizeof y);
        }
    }
}

/* ---- portable against accelerated on random inputs ----------------------------------------- */

/* Seal and open len bytes with a random key, nonce and AAD through every class of one key size
 * and check each against the portable class; also in place against out of place. */
static void compare_classes_at(size_t len, size_t key_len)
{
    const pl_aead_class *ref = key_len == 16 ? &pl_aes128_gcm_portable : &pl_aes256_gcm_portable;
    size_t aad_len = pl_test_below(4) == 0 ? pl_test_below(600) : pl_test_below(40);
    uint8_t key[32], nonce[12], want_tag[16], tag[16];
    uint8_t *aad = xmalloc(aad_len), *pt = xmalloc(len), *want = xmalloc(len);
    uint8_t *out = xmalloc(len), *back = xmalloc(len);
    pl_aead_ctx ctx;

    pl_test_fill(key, sizeof key);
    pl_test_fill(nonce, sizeof nonce);
    pl_test_fill(aad, aad_len);
    pl_test_fill(pt, len);
    ref->init(&ctx, key);
    ref->seal(&ctx, nonce, aad, aad_len, pt, want, len, want_tag);

    for (size_t c = 0; c < PL_ARRAY_LEN(classes); c++) {
        const pl_aead_class *cls = classes[c].cls;
        if (cls->key_len != key_len || !cpu_has(classes[c].needs)) {
            continue;
        }
        cls->init(&ctx, key);
        cls->seal(&ctx, nonce, aad, aad_len, pt, out, len, tag);
        if (memcmp(out, want, len) != 0 || memcmp(tag, want_tag, 16) != 0) {
            printf("%s %s differs from portable at len %zu, aad_len %zu\n", cls->name, cls->impl,
                   len, aad_len);
        }
        assert_memory_equal(out, want, len);
        assert_memory_equal(tag, want_tag, 16);
        assert_int_equal(cls->open(&ctx, nonce, aad, aad_len, out, back, len, tag), 0);
        assert_memory_equal(back, pt, len);
        /* in place */
        memcpy(back, pt, len);
        cls->seal(&ctx, nonce, aad, aad_len, back, back, len, tag);
        assert_memory_equal(back, want, len);
        assert_memory_equal(tag, want_tag, 16);
        assert_int_equal(cls->open(&ctx, nonce, aad, aad_len, back, back, len, tag), 0);
        assert_memory_equal(back, pt, len);
    }
    pl_wipe(&ctx, sizeof ctx);
    free(aad);
    free(pt);
    free(want);
    free(out);
    free(back);
}

static void test_gcm_every_length_0_to_300_accelerated_equals_portable(void **state)
{
    (void)state;
    for (size_t len = 0; len <= 300; len++) {
        compare_classes_at(len, 16);
        compare_classes_at(len, 32);
    }
}

static void test_gcm_lengths_around_16k_accelerated_equals_portable(void **state)
{
    static const size_t lens[] = {16 * 1024 - 257, 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1,
                                  16 * 1024 + 15,  16 * 1024 + 16, 16 * 1024 + 127,
                                  16 * 1024 + 128, 16 * 1024 + 255, 16 * 1024 + 2048};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(lens); i++) {
        compare_classes_at(lens[i], 16);
        compare_classes_at(lens[i], 32);
    }
}

/* The low-level API with every key size and random IV lengths (J0 through GHASH), truncated
 * tags included: every implementation against the portable one. */
static void test_gcm_any_key_size_and_iv_length_accelerated_equals_portable(void **state)
{
    static const size_t key_lens[] = {16, 24, 32};
    (void)state;
    for (int round = 0; round < 300; round++) {
        size_t key_len = key_lens[pl_test_below(3)];
        size_t iv_len = 1 + pl_test_below(round % 3 == 0 ? 300 : 40);
        size_t len = pl_test_below(round % 5 == 0 ? 3000 : 300), aad_len = pl_test_below(100);
        size_t tag_len = 4 + pl_test_below(13);
        uint8_t key[32], want_tag[16], tag[16];
        uint8_t *iv = xmalloc(iv_len), *aad = xmalloc(aad_len), *pt = xmalloc(len);
        uint8_t *want = xmalloc(len), *out = xmalloc(len);
        pl_gcm_key g;

        pl_test_fill(key, sizeof key);
        pl_test_fill(iv, iv_len);
        pl_test_fill(aad, aad_len);
        pl_test_fill(pt, len);
        assert_true(init_impl(&impls[0], &g, key, key_len));
        assert_int_equal(pl_gcm_seal(&g, iv, iv_len, aad, aad_len, pt, want, len, want_tag, 16),
                         0);
        for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
            if (!init_impl(&impls[i], &g, key, key_len)) {
                continue;
            }
            assert_int_equal(pl_gcm_seal(&g, iv, iv_len, aad, aad_len, pt, out, len, tag,
                                         tag_len),
                             0);
            assert_memory_equal(out, want, len);
            assert_memory_equal(tag, want_tag, tag_len); /* a prefix of the full tag */
            assert_int_equal(pl_gcm_open(&g, iv, iv_len, aad, aad_len, out, out, len, tag,
                                         tag_len),
                             0);
            assert_memory_equal(out, pt, len);
        }
        pl_gcm_wipe(&g);
        free(iv);
        free(aad);
        free(pt);
        free(want);
        free(out);
    }
}

/* inc32 wraps modulo 2^32 (SP 800-38D §6.2): with a J0 whose counter is near 2^32 (possible for
 * IVs other than 96 bits), the accelerated whole-message functions must wrap exactly as
 * GCTR does. The reference is built here from pl_aes_ctr32_portable and pl_ghash_portable. */
static void test_gcm_counter_wraps_mod_2_32_in_accelerated_code(void **state)
{
    typedef void (*whole_fn)(const pl_gcm_key *, const uint8_t *, const uint8_t *, size_t,
                             const uint8_t *, uint8_t *, size_t, uint8_t *);
    static const struct {
        const char *name;
        whole_fn seal, open;
        uint32_t needs;
    } fns[] = {
        {"clmul", pl_gcm_seal_clmul, pl_gcm_open_clmul, CLMUL_NEEDS},
        {"vaes", pl_gcm_seal_vaes, pl_gcm_open_vaes, VAES_NEEDS},
    };
    static const uint32_t starts[] = {0xffffffffu, 0xfffffff0u, 0xffffffe9u, 0xfffffe00u};
    enum { LEN = 1000, AAD = 29 };
    uint8_t key[16], j0[16], ctr[16], aad[AAD], pt[LEN], want[LEN], out[LEN];
    uint8_t y[16], lengths[16] = {0}, ek[16], want_tag[16], tag[16], pad[16];
    pl_gcm_key g;
    (void)state;

    pl_test_fill(key, sizeof key);
    pl_test_fill(aad, sizeof aad);
    pl_test_fill(pt, sizeof pt);
    assert_int_equal(pl_gcm_init(&g, key, sizeof key), 0);
    for (size_t s = 0; s < PL_ARRAY_LEN(starts); s++) {
        pl_test_fill(j0, 12);
        pl_store_be32(j0 + 12, starts[s]);
        /* reference: C = GCTR(inc32(J0), P); S = GHASH(A || 0 || C || 0 || lengths) */
        memcpy(ctr, j0, 16);
        pl_store_be32(ctr + 12, starts[s] + 1u);
        pl_aes_ctr32_portable(&g.aes, ctr, pt, want, LEN);
        memset(y, 0, sizeof y);
        pl_ghash_portable(&g.ghash, y, aad, AAD / 16);
        memset(pad, 0, sizeof pad);
        memcpy(pad, aad + 16 * (AAD / 16), AAD % 16);
        pl_ghash_portable(&g.ghash, y, pad, 1);
        pl_ghash_portable(&g.ghash, y, want, LEN / 16);
        memset(pad, 0, sizeof pad);
        memcpy(pad, want + 16 * (LEN / 16), LEN % 16);
        pl_ghash_portable(&g.ghash, y, pad, 1);
        lengths[7] = AAD * 8;
        lengths[14] = (uint8_t)((LEN * 8) >> 8);
        lengths[15] = (uint8_t)(LEN * 8);
        pl_ghash_portable(&g.ghash, y, lengths, 1);
        pl_aes_encrypt_blocks_portable(&g.aes, j0, ek, 1);
        for (int b = 0; b < 16; b++) {
            want_tag[b] = (uint8_t)(ek[b] ^ y[b]);
        }
        for (size_t f = 0; f < PL_ARRAY_LEN(fns); f++) {
            if (!cpu_has(fns[f].needs)) {
                continue;
            }
            fns[f].seal(&g, j0, aad, AAD, pt, out, LEN, tag);
            assert_memory_equal(out, want, LEN);
            assert_memory_equal(tag, want_tag, 16);
            fns[f].open(&g, j0, aad, AAD, want, out, LEN, tag);
            assert_memory_equal(out, pt, LEN);
            assert_memory_equal(tag, want_tag, 16);
        }
    }
    pl_gcm_wipe(&g);
}

/* ---- failures ------------------------------------------------------------------------------- */

static void assert_all_zero(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        assert_int_equal(p[i], 0);
    }
}

/* Changing any single byte of the ciphertext, the AAD or the tag makes open fail with
 * SSL_ERR_CRYPTO_AUTH_FAILED and leaves the output zeroed, in every class. */
static void test_gcm_tampering_with_any_byte_fails_and_zeroes_output(void **state)
{
    enum { LEN = 37, AAD = 20 };
    (void)state;
    for (size_t c = 0; c < PL_ARRAY_LEN(classes); c++) {
        const pl_aead_class *cls = classes[c].cls;
        uint8_t key[32], nonce[12], aad[AAD], pt[LEN], ct[LEN], tag[16], out[LEN];
        pl_aead_ctx ctx;
        if (!cpu_has(classes[c].needs)) {
            continue;
        }
        pl_test_fill(key, sizeof key);
        pl_test_fill(nonce, sizeof nonce);
        pl_test_fill(aad, sizeof aad);
        pl_test_fill(pt, sizeof pt);
        cls->init(&ctx, key);
        cls->seal(&ctx, nonce, aad, AAD, pt, ct, LEN, tag);
        for (size_t where = 0; where < 3; where++) {
            uint8_t *buf = where == 0 ? ct : where == 1 ? aad : tag;
            size_t n = where == 0 ? LEN : where == 1 ? AAD : 16;
            for (size_t i = 0; i < n; i++) {
                uint8_t flip = (uint8_t)(1u << pl_test_below(8));
                buf[i] ^= flip;
                memset(out, 0xa5, sizeof out);
                assert_int_equal(cls->open(&ctx, nonce, aad, AAD, ct, out, LEN, tag),
                                 SSL_ERR_CRYPTO_AUTH_FAILED);
                assert_all_zero(out, LEN);
                buf[i] ^= flip;
            }
        }
        /* a wrong nonce too, and then the untouched message still opens (in place) */
        nonce[11] ^= 1;
        assert_int_equal(cls->open(&ctx, nonce, aad, AAD, ct, out, LEN, tag),
                         SSL_ERR_CRYPTO_AUTH_FAILED);
        assert_all_zero(out, LEN);
        nonce[11] ^= 1;
        memcpy(out, ct, LEN);
        assert_int_equal(cls->open(&ctx, nonce, aad, AAD, out, out, LEN, tag), 0);
        assert_memory_equal(out, pt, LEN);
        pl_wipe(&ctx, sizeof ctx);
    }
}

/* The same through the low-level API with truncated tags: a failed in-place open zeroes the
 * buffer. */
static void test_gcm_low_level_wrong_truncated_tag_fails_and_zeroes_in_place(void **state)
{
    uint8_t key[24] = {7}, iv[7] = {1, 2, 3}, buf[100], pt[100], tag[16];
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        pl_gcm_key g;
        if (!init_impl(&impls[i], &g, key, sizeof key)) {
            continue;
        }
        for (size_t tag_len = PL_GCM_MIN_TAG_LEN; tag_len <= PL_GCM_MAX_TAG_LEN; tag_len++) {
            pl_test_fill(pt, sizeof pt);
            memcpy(buf, pt, sizeof buf);
            assert_int_equal(pl_gcm_seal(&g, iv, sizeof iv, NULL, 0, buf, buf, sizeof buf, tag,
                                         tag_len),
                             0);
            tag[tag_len - 1] ^= 0x80;
            assert_int_equal(pl_gcm_open(&g, iv, sizeof iv, NULL, 0, buf, buf, sizeof buf, tag,
                                         tag_len),
                             SSL_ERR_CRYPTO_AUTH_FAILED);
            assert_all_zero(buf, sizeof buf);
        }
        pl_gcm_wipe(&g);
    }
}

static void test_gcm_zero_length_iv_is_rejected(void **state)
{
    uint8_t key[16] = {0}, iv[12] = {0}, in[16] = {0}, out[16], tag[16];
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        pl_gcm_key g;
        if (!init_impl(&impls[i], &g, key, sizeof key)) {
            continue;
        }
        memset(out, 0x5a, sizeof out);
        assert_int_equal(pl_gcm_seal(&g, iv, 0, NULL, 0, in, out, sizeof in, tag, 16),
                         SSL_ERR_CRYPTO_BAD_NONCE_SIZE);
        assert_int_equal(pl_gcm_open(&g, iv, 0, NULL, 0, in, out, sizeof in, tag, 16),
                         SSL_ERR_CRYPTO_BAD_NONCE_SIZE);
        assert_int_equal(out[0], 0x5a); /* nothing written */
        pl_gcm_wipe(&g);
    }
}

static void test_gcm_key_sizes_other_than_16_24_32_are_rejected(void **state)
{
    static const size_t bad[] = {0, 1, 15, 17, 20, 23, 25, 31, 33, 64};
    uint8_t key[64] = {0};
    pl_gcm_key g;
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(bad); i++) {
        assert_int_equal(pl_gcm_init(&g, key, bad[i]), SSL_ERR_CRYPTO_BAD_KEY_SIZE);
    }
}

static void test_gcm_tag_lengths_outside_4_to_16_are_rejected(void **state)
{
    uint8_t key[16] = {0}, iv[12] = {0}, tag[32] = {0};
    pl_gcm_key g;
    (void)state;
    assert_int_equal(pl_gcm_init(&g, key, sizeof key), 0);
    assert_int_equal(pl_gcm_seal(&g, iv, 12, NULL, 0, NULL, NULL, 0, tag, 3),
                     SSL_ERR_CRYPTO_BAD_LENGTH);
    assert_int_equal(pl_gcm_seal(&g, iv, 12, NULL, 0, NULL, NULL, 0, tag, 17),
                     SSL_ERR_CRYPTO_BAD_LENGTH);
    assert_int_equal(pl_gcm_open(&g, iv, 12, NULL, 0, NULL, NULL, 0, tag, 0),
                     SSL_ERR_CRYPTO_BAD_LENGTH);
    assert_int_equal(pl_gcm_open(&g, iv, 12, NULL, 0, NULL, NULL, 0, tag, 32),
                     SSL_ERR_CRYPTO_BAD_LENGTH);
    pl_gcm_wipe(&g);
}

/* SP 800-38D §5.2.1.1: at most 2^39 - 256 bits of data and 2^64 - 1 bits of AAD. The lengths
 * are refused before any byte is touched, so no buffer of that size is needed. */
static void test_gcm_data_beyond_sp800_38d_limits_is_refused(void **state)
{
    uint8_t key[16] = {0}, iv[12] = {0}, buf[16] = {0}, tag[16] = {0};
    pl_gcm_key g;
    (void)state;
    assert_int_equal(pl_gcm_init(&g, key, sizeof key), 0);
    assert_int_equal(pl_gcm_seal(&g, iv, 12, NULL, 0, buf, buf, (size_t)PL_GCM_MAX_DATA_LEN + 1,
                                 tag, 16),
                     SSL_ERR_CRYPTO_TOO_MUCH_DATA);
    assert_int_equal(pl_gcm_open(&g, iv, 12, NULL, 0, buf, buf, (size_t)PL_GCM_MAX_DATA_LEN + 1,
                                 tag, 16),
                     SSL_ERR_CRYPTO_TOO_MUCH_DATA);
    assert_int_equal(pl_gcm_seal(&g, iv, 12, buf, (size_t)PL_GCM_MAX_AAD_LEN + 1, buf, buf, 0,
                                 tag, 16),
                     SSL_ERR_CRYPTO_TOO_MUCH_DATA);
    assert_int_equal(pl_gcm_seal(&g, iv, (size_t)PL_GCM_MAX_IV_LEN + 1, NULL, 0, buf, buf, 0,
                                 tag, 16),
                     SSL_ERR_CRYPTO_BAD_NONCE_SIZE);
    pl_gcm_wipe(&g);
}

/* Empty messages with NULL pointers are fine: Test Case 1's tag through every class. */
static void test_gcm_empty_message_with_null_pointers(void **state)
{
    uint8_t key[32] = {0}, nonce[12] = {0}, tag[16];
    (void)state;
    for (size_t c = 0; c < PL_ARRAY_LEN(classes); c++) {
        const pl_aead_class *cls = classes[c].cls;
        pl_aead_ctx ctx;
        if (!cpu_has(classes[c].needs)) {
            continue;
        }
        cls->init(&ctx, key);
        cls->seal(&ctx, nonce, NULL, 0, NULL, NULL, 0, tag);
        pl_test_assert_hex(tag, 16, cls->key_len == 16 ? "58e2fccefa7e3061367f1d57a4e7455a"
                                                       : "530f8afbc74536b9a963b4f1c4cb738b");
        assert_int_equal(cls->open(&ctx, nonce, NULL, 0, NULL, NULL, 0, tag), 0);
        tag[0] ^= 1;
        assert_int_equal(cls->open(&ctx, nonce, NULL, 0, NULL, NULL, 0, tag),
                         SSL_ERR_CRYPTO_AUTH_FAILED);
    }
}

static void test_aes_gcm_best_picks_the_fastest_usable_class(void **state)
{
    (void)state;
    pl_cpu_restrict(0);
    assert_ptr_equal(pl_aes_gcm_best(16), &pl_aes128_gcm_portable);
    assert_ptr_equal(pl_aes_gcm_best(32), &pl_aes256_gcm_portable);
    if (cpu_has(CLMUL_NEEDS)) {
        pl_cpu_restrict(CLMUL_NEEDS);
        assert_ptr_equal(pl_aes_gcm_best(16), &pl_aes128_gcm_clmul);
        assert_ptr_equal(pl_aes_gcm_best(32), &pl_aes256_gcm_clmul);
    }
    if (cpu_has(VAES_NEEDS)) {
        pl_cpu_restrict(PL_CPU_ALL);
        assert_ptr_equal(pl_aes_gcm_best(16), &pl_aes128_gcm_vaes);
        assert_ptr_equal(pl_aes_gcm_best(32), &pl_aes256_gcm_vaes);
    }
    pl_cpu_restrict(PL_CPU_ALL);
    assert_null(pl_aes_gcm_best(24));
    assert_null(pl_aes_gcm_best(0));
    printf("best AES-128-GCM here: %s\n", pl_aes_gcm_best(16)->impl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gcm_spec_test_cases_1_to_18_through_every_implementation),
        cmocka_unit_test(test_gcm_spec_test_cases_with_96_bit_iv_through_every_class),
        cmocka_unit_test(test_gcm_classes_describe_themselves),
        cmocka_unit_test(test_ghash_matches_spec_values_in_every_implementation),
        cmocka_unit_test(test_ghash_portable_equals_accelerated_on_random_inputs),
        cmocka_unit_test(test_gcm_every_length_0_to_300_accelerated_equals_portable),
        cmocka_unit_test(test_gcm_lengths_around_16k_accelerated_equals_portable),
        cmocka_unit_test(test_gcm_any_key_size_and_iv_length_accelerated_equals_portable),
        cmocka_unit_test(test_gcm_counter_wraps_mod_2_32_in_accelerated_code),
        cmocka_unit_test(test_gcm_tampering_with_any_byte_fails_and_zeroes_output),
        cmocka_unit_test(test_gcm_low_level_wrong_truncated_tag_fails_and_zeroes_in_place),
        cmocka_unit_test(test_gcm_zero_length_iv_is_rejected),
        cmocka_unit_test(test_gcm_key_sizes_other_than_16_24_32_are_rejected),
        cmocka_unit_test(test_gcm_tag_lengths_outside_4_to_16_are_rejected),
        cmocka_unit_test(test_gcm_data_beyond_sp800_38d_limits_is_refused),
        cmocka_unit_test(test_gcm_empty_message_with_null_pointers),
        cmocka_unit_test(test_aes_gcm_best_picks_the_fastest_usable_class),
    };
    pl_test_seed();
    return cmocka_run_group_tests_name("gcm", tests, NULL, NULL);
}
