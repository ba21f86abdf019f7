/* AEAD_CHACHA20_POLY1305 (RFC 8439 §2.8) through its AEAD classes (crypto/aead.h,
 * crypto/chacha20.h): §2.8.2 and Appendix A.5 and long known answers through every class;
 * tampering with any byte of the ciphertext, the AAD or the tag fails with
 * SSL_ERR_CRYPTO_AUTH_FAILED and leaves the output zeroed; accelerated classes against the
 * portable one at every length 0..300 and around the vector code's thresholds and 16 KiB; in
 * place against out of place; empty inputs; and the choice of class by CPU features. */
#include <stdio.h>
#include <stdlib.h>

#include "pl_test.h"

#include "base/cpu.h"
#include "crypto/aead.h"
#include "crypto/chacha20.h"
#include "crypto/hash.h"

#define AVX2_NEEDS (PL_CPU_AVX2 | PL_CPU_BMI2)
#define AVX512_NEEDS (AVX2_NEEDS | PL_CPU_AVX512)

static const struct cls {
    const pl_aead_class *cls;
    uint32_t needs;
} classes[] = {
    {&pl_chacha20_poly1305_portable, 0},
    {&pl_chacha20_poly1305_avx2, AVX2_NEEDS},
    {&pl_chacha20_poly1305_avx512, AVX512_NEEDS},
};

static int available(const struct cls *c)
{
    return (pl_cpu_detected() & c->needs) == c->needs;
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n > 0 ? n : 1);
    assert_non_null(p);
    return p;
}

static int all_zero(const uint8_t *p, size_t len)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < len; i++) {
        acc |= p[i];
    }
    return acc == 0;
}

static void seal(const pl_aead_class *cls, const uint8_t key[32], const uint8_t nonce[12],
                 const uint8_t *aad, size_t aad_len, const uint8_t *in, uint8_t *out, size_t len,
                 uint8_t tag[16])
{
    pl_aead_ctx ctx;
    cls->init(&ctx, key);
    cls->seal(&ctx, nonce, aad, aad_len, in, out, len, tag);
    pl_wipe(&ctx, sizeof ctx);
}

static int open_(const pl_aead_class *cls, const uint8_t key[32], const uint8_t nonce[12],
                 const uint8_t *aad, size_t aad_len, const uint8_t *in, uint8_t *out, size_t len,
                 const uint8_t tag[16])
{
    pl_aead_ctx ctx;
    int rc;
    cls->init(&ctx, key);
    rc = cls->open(&ctx, nonce, aad, aad_len, in, out, len, tag);
    pl_wipe(&ctx, sizeof ctx);
    return rc;
}

/* ---- known answers -------------------------------------------------------------------------- */

/* RFC 8439 §2.8.2 (sender constant 07000000 ‖ IV 4041424344454647) and Appendix A.5. */
static const struct kat {
    const char *source, *key, *nonce, *aad, *pt, *ct, *tag;
} kats[] = {
    {"RFC 8439 §2.8.2",
     "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
     "070000004041424344454647",
     "50515253c0c1c2c3c4c5c6c7",
     "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
     "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
     "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
     "637265656e20776f756c642062652069742e",
     "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
     "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
     "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
     "3ff4def08e4b7a9de576d26586cec64b6116",
     "1ae10b594f09e26a7e902ecbd0600691"},
    {"RFC 8439 A.5",
     "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0",
     "000000000102030405060708",
     "f33388860000000000004e91",
     "496e7465726e65742d4472616674732061726520647261667420646f63756d65"
     "6e74732076616c696420666f722061206d6178696d756d206f6620736978206d"
     "6f6e74687320616e64206d617920626520757064617465642c207265706c6163"
     "65642c206f72206f62736f6c65746564206279206f7468657220646f63756d65"
     "6e747320617420616e792074696d652e20497420697320696e617070726f7072"
     "6961746520746f2075736520496e7465726e65742d4472616674732061732072"
     "65666572656e6365206d6174657269616c206f7220746f206369746520746865"
     "6d206f74686572207468616e206173202fe2809c776f726b20696e2070726f67"
     "726573732e2fe2809d",
     "64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2"
     "4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf"
     "332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855"
     "9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4"
     "b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523e"
     "af4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a"
     "0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10"
     "49e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29"
     "a6ad5cb4022b02709b",
     "eead9d67890cbb22392336fea1851f38"},
};

struct vec {
    uint8_t key[32], nonce[12], tag[16];
    uint8_t *aad, *pt, *ct;
    size_t aad_len, len;
};

static void load(const struct kat *k, struct vec *v)
{
    size_t ct_len, tag_len;
    uint8_t *tag;
    pl_test_unhex_into(k->key, v->key, sizeof v->key);
    pl_test_unhex_into(k->nonce, v->nonce, sizeof v->nonce);
    v->aad = pl_test_unhex(k->aad, &v->aad_len);
    v->pt = pl_test_unhex(k->pt, &v->len);
    v->ct = pl_test_unhex(k->ct, &ct_len);
    tag = pl_test_unhex(k->tag, &tag_len);
    assert_int_equal(ct_len, v->len);
    assert_int_equal(tag_len, 16);
    memcpy(v->tag, tag, 16);
    free(tag);
}

static void unload(struct vec *v)
{
    free(v->aad);
    free(v->pt);
    free(v->ct);
}

static void test_chacha20_poly1305_rfc8439_vectors_seal_and_open_in_every_class(void **state)
{
    (void)state;
    for (size_t c = 0; c < PL_ARRAY_LEN(classes); c++) {
        if (!available(&classes[c])) {
            printf("note: this CPU cannot run the %s class; not tested here\n",
                   classes[c].cls->impl);
        }
    }
    for (size_t i = 0; i < PL_ARRAY_LEN(kats); i++) {
        struct vec v;
        uint8_t tag[16];
        uint8_t *out;
        load(&kats[i], &v);
        out = xmalloc(v.len);
        for (size_t c = 0; c < PL_ARRAY_LEN(classes); c++) {
            const pl_aead_class *cls = classes[c].cls;
            if (!available(&classes[c])) {
                continue;
            }
            seal(cls, v.key, v.nonce, v.aad, v.aad_len, v.pt, out, v.len, tag);
            pl_test_assert_hex(out, v.len, kats[i].ct);
            pl_test_assert_hex(tag, 16, kats[i].tag);
            memset(out, 0xa5, v.len);
            assert_int_equal(open_(cls, v.key, v.nonce, v.aad, v.aad_len, v.ct, out, v.len, v.tag),
                             0);
            pl_test_assert_hex(out, v.len, kats[i].pt);
        }
        free(out);
        unload(&v);
    }
}

/* Long messages for the vector code: the key and nonce of A.5, AAD byte i = (5 i + 1) mod 256,
 * plaintext byte i = (7 i + 3) mod 256; the SHA-256 of the ciphertext and the tag. Computed
 * from RFC 8439 §2.8.1's pseudocode with Python integers; OpenSSL 3.0's EVP_chacha20_poly1305
 * agrees. */
static const struct long_kat {
    size_t aad_len, len;
    const char *ct_sha256, *tag;
} long_kats[] = {
    {13, 1024, "99626b7f7c26fa4dfb07f6a7e8e4d2662b44fbb030c77174f4a867981055ff41",
     "5a2b94e5ceb0d5a072c8147881d8bde4"},
    {0, 4096, "ef1a0fe8a3418d77496cec1147539ee2911184550ae6bf65a48846256ac7378b",
     "464fad4963779cd21e90903162d763af"},
    {13, 16384, "dc42624c0358814644b338cb578804dd5bf7cad06cdaf2c6662f6995c48548e3",
     "bbf4481e9c0ad6fa98929aceb0f66b1f"},
    {1000, 16401, "d9d5b6e75917a0cc0a5b8f7cf5b6b960da898348b3143e436a5acb4f497deb17",
     "34c829a488c705c5c581cf442b781261"},
};

static void test_chacha20_poly1305_long_known_answers_in_every_class(void **state)
{
    uint8_t key[32], nonce[12], tag[16], digest[PL_SHA256_LEN];
    (void)state;
    pl_test_unhex_into(kats[1].key, key, sizeof key);
    pl_test_unhex_into(kats[1].nonce, nonce, sizeof nonce);
    for (size_t i = 0; i < PL_ARRAY_LEN(long_kats); i++) {
        const struct long_kat *k = &long_kats[i];
        uint8_t *aad = xmalloc(k->aad_len), *pt = xmalloc(k->len), *ct = xmalloc(k->len);
        uint8_t *back = xmalloc(k->len);
        for (size_t j = 0; j < k->aad_len; j++) {
            aad[j] = (uint8_t)(5 * j + 1);
        }
        for (size_t j = 0; j < k->len; j++) {
            pt[j] = (uint8_t)(7 * j + 3);
        }
        for (size_t c = 0; c < PL_ARRAY_LEN(classes); c++) {
            if (!available(&classes[c])) {
                continue;
            }
            seal(classes[c].cls, key, nonce, aad, k->aad_len, pt, ct, k->len, tag);
            pl_sha256(ct, k->len, digest);
            pl_test_assert_hex(digest, sizeof digest, k->ct_sha256);
            pl_test_assert_hex(tag, sizeof tag, k->tag);
            assert_int_equal(open_(classes[c].cls, key, nonce, aad, k->aad_len, ct, back, k->len,
                                   tag),
                             0);
            assert_memory_equal(back, pt, k->len);
        }
        free(aad);
        free(pt);
        free(ct);
        free(back);
    }
}

/* ---- tampering ------------------------------------------------------------------------------ */

/* Open must refuse, with SSL_ERR_CRYPTO_AUTH_FAILED, and leave its output all zeros (it was
 * filled with 0xa5 first); in place too. */
static void expect_refused(const pl_aead_class *cls, const struct vec *v, const uint8_t *aad,
                           const uint8_t *ct, const uint8_t *tag, const char *what, size_t at)
{
    uint8_t *out = xmalloc(v->len);
    int rc;
    memset(out, 0xa5, v->len);
    rc = open_(cls, v->key, v->nonce, aad, v->aad_len, ct, out, v->len, tag);
    if (rc != SSL_ERR_CRYPTO_AUTH_FAILED || !all_zero(out, v->len)) {
        fail_msg("%s: a changed %s byte %zu of %zu gave %d%s", cls->impl, what, at, v->len, rc,
                 all_zero(out, v->len) ? "" : " and left plaintext in the output");
    }
    memcpy(out, ct, v->len);
    rc = open_(cls, v->key, v->nonce, aad, v->aad_len, out, out, v->len, tag);
    assert_int_equal(rc, SSL_ERR_CRYPTO_AUTH_FAILED);
    assert_true(all_zero(out, v->len));
    free(out);
}

/* Flip one bit (a different one from byte to byte) of each byte of the ciphertext, the AAD and
 * the tag in turn; stride > 1 samples every stride-th byte of the ciphertext, and its last. */
static void tamper_everywhere(const pl_aead_class *cls, const struct vec *v, size_t stride)
{
    uint8_t *ct = xmalloc(v->len), *aad = xmalloc(v->aad_len), tag[16];
    memcpy(ct, v->ct, v->len);
    memcpy(aad, v->aad, v->aad_len);
    memcpy(tag, v->tag, 16);
    for (size_t i = 0; i < v->len; i += stride) {
        size_t at = i + stride < v->len ? i : v->len - 1; /* the last round takes the last byte */
        ct[at] ^= (uint8_t)(1u << (at % 8));
        expect_refused(cls, v, aad, ct, tag, "ciphertext", at);
        ct[at] ^= (uint8_t)(1u << (at % 8));
    }
    for (size_t i = 0; i < v->aad_len; i++) {
        aad[i] ^= (uint8_t)(0x80u >> (i % 8));
        expect_refused(cls, v, aad, ct, tag, "AAD", i);
        aad[i] ^= (uint8_t)(0x80u >> (i % 8));
    }
    for (size_t i = 0; i < 16; i++) {
        tag[i] ^= (uint8_t)(1u << (i % 8));
        expect_refused(cls, v, aad, ct, tag, "tag", i);
        tag[i] ^= (uint8_t)(1u << (i % 8));
    }
    free(ct);
    free(aad);
}

static void test_chacha20_poly1305_tampering_with_any_byte_fails_and_zeroes_output(void **state)
{
    (void)state;
    for (size_t c = 0; c < PL_ARRAY_LEN(classes); c++) {
        if (!available(&classes[c])) {
            continue;
        }
        for (size_t i = 0; i < PL_ARRAY_LEN(kats); i++) {
            struct vec v;
            load(&kats[i], &v);
            tamper_everywhere(classes[c].cls, &v, 1);
            unload(&v);
        }
    }
}

/* The same on random messages long enough for the vector code: every byte of 600, a sample of
 * 16 KiB + 5. */
static void test_chacha20_poly1305_tampering_with_long_messages_fails_and_zeroes(void **state)
{
    static const struct {
        size_t len, stride;
    } sizes[] = {{600, 1}, {16389, 97}};
    (void)state;
    pl_test_seed();
    for (size_t s = 0; s < PL_ARRAY_LEN(sizes); s++) {
        struct vec v;
        pl_test_fill(v.key, sizeof v.key);
        pl_test_fill(v.nonce, sizeof v.nonce);
        v.aad_len = 13;
        v.len = sizes[s].len;
        v.aad = xmalloc(v.aad_len);
        v.pt = xmalloc(v.len);
        v.ct = xmalloc(v.len);
        pl_test_fill(v.aad, v.aad_len);
        pl_test_fill(v.pt, v.len);
        seal(&pl_chacha20_poly1305_portable, v.key, v.nonce, v.aad, v.aad_len, v.pt, v.ct, v.len,
             v.tag);
        for (size_t c = 0; c < PL_ARRAY_LEN(classes); c++) {
            if (available(&classes[c])) {
                tamper_everywhere(classes[c].cls, &v, sizes[s].stride);
            }
        }
        unload(&v);
    }
}

static void test_chacha20_poly1305_wrong_key_nonce_or_length_fails(void **state)
{
    struct vec v;
    uint8_t *out;
    (void)state;
    load(&kats[0], &v);
    out = xmalloc(v.len);
    for (size_t c = 0; c < PL_ARRAY_LEN(classes); c++) {
        const pl_aead_class *cls = classes[c].cls;
        uint8_t key[32], nonce[12];
        if (!available(&classes[c])) {
            continue;
        }
        memcpy(key, v.key, 32);
        key[31] ^= 1;
        assert_int_equal(open_(cls, key, v.nonce, v.aad, v.aad_len, v.ct, out, v.len, v.tag),
                         SSL_ERR_CRYPTO_AUTH_FAILED);
        memcpy(nonce, v.nonce, 12);
        nonce[0] ^= 1;
        assert_int_equal(open_(cls, v.key, nonce, v.aad, v.aad_len, v.ct, out, v.len, v.tag),
                         SSL_ERR_CRYPTO_AUTH_FAILED);
        /* the ciphertext or the AAD one byte shorter */
        assert_int_equal(open_(cls, v.key, v.nonce, v.aad, v.aad_len, v.ct, out, v.len - 1, v.tag),
                         SSL_ERR_CRYPTO_AUTH_FAILED);
        assert_true(all_zero(out, v.len - 1));
        assert_int_equal(open_(cls, v.key, v.nonce, v.aad, v.aad_len - 1, v.ct, out, v.len, v.tag),
                         SSL_ERR_CRYPTO_AUTH_FAILED);
        assert_true(all_zero(out, v.len));
    }
    free(out);
    unload(&v);
}

/* ---- accelerated against portable, in place, empty ------------------------------------------ */

/* Seal a random message with the portable class and with every other: same ciphertext and tag;
 * each class opens the other's output. */
static void compare_at(size_t aad_len, size_t len)
{
    uint8_t key[32], nonce[12], want_tag[16], tag[16];
    uint8_t *aad = xmalloc(aad_len), *pt = xmalloc(len), *want = xmalloc(len);
    uint8_t *got = xmalloc(len), *back = xmalloc(len);
    pl_test_fill(key, sizeof key);
    pl_test_fill(nonce, sizeof nonce);
    pl_test_fill(aad, aad_len);
    pl_test_fill(pt, len);
    seal(&pl_chacha20_poly1305_portable, key, nonce, aad, aad_len, pt, want, len, want_tag);
    for (size_t c = 1; c < PL_ARRAY_LEN(classes); c++) {
        const pl_aead_class *cls = classes[c].cls;
        if (!available(&classes[c])) {
            continue;
        }
        seal(cls, key, nonce, aad, aad_len, pt, got, len, tag);
        if (memcmp(got, want, len) != 0 || memcmp(tag, want_tag, 16) != 0) {
            fail_msg("%s differs from portable at length %zu, AAD length %zu", cls->impl, len,
                     aad_len);
        }
        assert_int_equal(open_(cls, key, nonce, aad, aad_len, want, back, len, want_tag), 0);
        assert_memory_equal(back, pt, len);
    }
    free(aad);
    free(pt);
    free(want);
    free(got);
    free(back);
}

static void test_chacha20_poly1305_every_length_0_to_300_accelerated_equals_portable(void **state)
{
    (void)state;
    for (size_t len = 0; len <= 300; len++) {
        compare_at(pl_test_below(40), len);
    }
}

static void test_chacha20_poly1305_long_lengths_accelerated_equals_portable(void **state)
{
    /* around the vector Poly1305 thresholds (32 and 256 blocks), 16 KiB (the chunk) and beyond */
    static const size_t lens[] = {511,   512,   513,   1023,  1024,  1025,  4095,  4096, 4097,
                                  16383, 16384, 16385, 16447, 20487, 32768, 40001, 70000};
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(lens); i++) {
        compare_at(13, lens[i]);
        compare_at(pl_test_below(600), lens[i]);
    }
}

static void test_chacha20_poly1305_in_place_equals_out_of_place(void **state)
{
    static const size_t lens[] = {0, 1, 15, 16, 17, 64, 114, 513, 1024, 16384, 16401};
    (void)state;
    for (size_t c = 0; c < PL_ARRAY_LEN(classes); c++) {
        const pl_aead_class *cls = classes[c].cls;
        if (!available(&classes[c])) {
            continue;
        }
        for (size_t i = 0; i < PL_ARRAY_LEN(lens); i++) {
            size_t len = lens[i];
            uint8_t key[32], nonce[12], aad[13], tag[16], tag2[16];
            uint8_t *pt = xmalloc(len), *ct = xmalloc(len), *buf = xmalloc(len);
            pl_test_fill(key, sizeof key);
            pl_test_fill(nonce, sizeof nonce);
            pl_test_fill(aad, sizeof aad);
            pl_test_fill(pt, len);
            seal(cls, key, nonce, aad, sizeof aad, pt, ct, len, tag);
            memcpy(buf, pt, len);
            seal(cls, key, nonce, aad, sizeof aad, buf, buf, len, tag2);
            assert_memory_equal(buf, ct, len);
            assert_memory_equal(tag2, tag, 16);
            assert_int_equal(open_(cls, key, nonce, aad, sizeof aad, buf, buf, len, tag), 0);
            assert_memory_equal(buf, pt, len);
            free(pt);
            free(ct);
            free(buf);
        }
    }
}

/* No AAD and no data: the tag is Poly1305 of the two zero lengths alone; NULL pointers are
 * allowed with zero lengths. */
static void test_chacha20_poly1305_empty_message_and_aad_with_null_pointers(void **state)
{
    uint8_t key[32], nonce[12], tag[16], want[16];
    (void)state;
    pl_test_fill(key, sizeof key);
    pl_test_fill(nonce, sizeof nonce);
    seal(&pl_chacha20_poly1305_portable, key, nonce, NULL, 0, NULL, NULL, 0, want);
    for (size_t c = 0; c < PL_ARRAY_LEN(classes); c++) {
        const pl_aead_class *cls = classes[c].cls;
        if (!available(&classes[c])) {
            continue;
        }
        seal(cls, key, nonce, NULL, 0, NULL, NULL, 0, tag);
        assert_memory_equal(tag, want, 16);
        assert_int_equal(open_(cls, key, nonce, NULL, 0, NULL, NULL, 0, tag), 0);
        tag[0] ^= 1;
        assert_int_equal(open_(cls, key, nonce, NULL, 0, NULL, NULL, 0, tag),
                         SSL_ERR_CRYPTO_AUTH_FAILED);
    }
}

/* ---- the classes ---------------------------------------------------------------------------- */

static void test_chacha20_poly1305_classes_describe_themselves(void **state)
{
    static const char *const impl_names[] = {"portable", "avx2", "avx512"};
    (void)state;
    for (size_t c = 0; c < PL_ARRAY_LEN(classes); c++) {
        const pl_aead_class *cls = classes[c].cls;
        assert_string_equal(cls->name, "ChaCha20-Poly1305");
        assert_string_equal(cls->impl, impl_names[c]);
        assert_int_equal(cls->key_len, 32);
        assert_int_equal(cls->nonce_len, PL_AEAD_NONCE_LEN);
        assert_int_equal(cls->tag_len, PL_AEAD_TAG_LEN);
    }
}

static void test_chacha20_poly1305_best_picks_the_fastest_usable_class(void **state)
{
    static const struct {
        uint32_t mask;
        const pl_aead_class *want;
    } cases[] = {
        {0, &pl_chacha20_poly1305_portable},
        {PL_CPU_AVX2, &pl_chacha20_poly1305_portable}, /* AVX2 without BMI2 is not enough */
        {AVX2_NEEDS, &pl_chacha20_poly1305_avx2},
        {AVX512_NEEDS, &pl_chacha20_poly1305_avx512},
        {PL_CPU_ALL, &pl_chacha20_poly1305_avx512},
    };
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(cases); i++) {
        uint32_t needs = cases[i].mask == PL_CPU_ALL ? AVX512_NEEDS : cases[i].mask;
        if ((pl_cpu_detected() & needs) != needs) {
            continue;
        }
        pl_cpu_restrict(cases[i].mask);
        assert_ptr_equal(pl_chacha20_poly1305_best(), cases[i].want);
        assert_ptr_equal(pl_aead_best(PL_AEAD_CHACHA20_POLY1305), cases[i].want);
        pl_cpu_restrict(PL_CPU_ALL);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chacha20_poly1305_rfc8439_vectors_seal_and_open_in_every_class),
        cmocka_unit_test(test_chacha20_poly1305_long_known_answers_in_every_class),
        cmocka_unit_test(test_chacha20_poly1305_tampering_with_any_byte_fails_and_zeroes_output),
        cmocka_unit_test(test_chacha20_poly1305_tampering_with_long_messages_fails_and_zeroes),
        cmocka_unit_test(test_chacha20_poly1305_wrong_key_nonce_or_length_fails),
        cmocka_unit_test(test_chacha20_poly1305_every_length_0_to_300_accelerated_equals_portable),
        cmocka_unit_test(test_chacha20_poly1305_long_lengths_accelerated_equals_portable),
        cmocka_unit_test(test_chacha20_poly1305_in_place_equals_out_of_place),
        cmocka_unit_test(test_chacha20_poly1305_empty_message_and_aad_with_null_pointers),
        cmocka_unit_test(test_chacha20_poly1305_classes_describe_themselves),
        cmocka_unit_test(test_chacha20_poly1305_best_picks_the_fastest_usable_class),
    };
    return cmocka_run_group_tests_name("chacha20_poly1305", tests, NULL, NULL);
}
