/* AEAD_CHACHA20_POLY1305 (RFC 8439 §2.8) as AEAD classes (aead.h): the portable class, the
 * accelerated ones (chacha20.h), and pl_chacha20_poly1305_best().
 *
 * One composition serves every class; a class fixes the ChaCha20 and Poly1305 implementations
 * it runs. A long message is taken in chunks that stay in cache: seal encrypts a chunk and then
 * MACs the ciphertext it just wrote; open MACs a chunk of ciphertext before decrypting it (so
 * that in-place decryption MACs the ciphertext, not the plaintext) and zeroes everything it
 * wrote if the tag is wrong. A short one (up to seven blocks) is encrypted or decrypted in a
 * copy, in the same keystream call as the one-time key; open then releases the plaintext only
 * once the tag has verified (and zeroes out when it has not).
 *
 * Not here: the 64-bit-nonce variant, XChaCha20-Poly1305, and tags shorter than 16 bytes. */
#include <stdalign.h>

#include "base/ct.h"
#include "base/endian.h"
#include "crypto/chacha20.h"
#include "crypto/poly1305.h"

/* A class's context: just the 256-bit key (ChaCha20 has no key schedule). */
typedef struct cp_key {
    uint8_t key[PL_CHACHA20_KEY_LEN];
} cp_key;

_Static_assert(sizeof(cp_key) <= PL_AEAD_CTX_MAX, "cp_key must fit in pl_aead_ctx");
_Static_assert(alignof(cp_key) <= alignof(pl_aead_ctx), "pl_aead_ctx is not aligned enough");

/* Bytes encrypted (or decrypted) and then MACed at a time: a multiple of the 64-byte ChaCha20
 * block, so that each chunk starts on a block counter. A TLS record (at most 2^14 bytes of
 * plaintext) is one chunk: fewer, longer calls into the vector Poly1305 cost less setup, and
 * the chunk's input and output (32 KiB) still stay in cache between the two passes. */
#define CHUNK_LEN 16384

typedef void (*xor_fn)(const uint8_t key[PL_CHACHA20_KEY_LEN],
                       const uint8_t nonce[PL_CHACHA20_NONCE_LEN], uint32_t counter,
                       const uint8_t *in, uint8_t *out, size_t len);

struct cp_impl {
    xor_fn chacha20_xor;
    enum pl_poly1305_impl poly1305;
};

static const struct cp_impl portable = {pl_chacha20_xor_portable, PL_POLY1305_PORTABLE};
static const struct cp_impl avx2 = {pl_chacha20_xor_avx2, PL_POLY1305_AVX2};
static const struct cp_impl avx512 = {pl_chacha20_xor_avx512, PL_POLY1305_AVX512};

static const cp_key *key_of(const pl_aead_ctx *ctx)
{
    return (const cp_key *)(const void *)ctx->opaque;
}

static void cp_init(pl_aead_ctx *ctx, const uint8_t *key)
{
    memcpy(((cp_key *)(void *)ctx->opaque)->key, key, PL_CHACHA20_KEY_LEN);
}

/* A message this short shares one keystream call with the one-time key: block 0 and the
 * message's blocks 1.. are produced together, on a copy (for the vector code, one eight-block
 * pass instead of two). */
#define SHORT_LEN (7 * PL_CHACHA20_BLOCK_LEN)

/* For len <= SHORT_LEN: first = block 0 ‖ (in XOR the keystream from block 1 on). */
static void short_pass(const struct cp_impl *im, const cp_key *k, const uint8_t *nonce,
                       const uint8_t *in, size_t len,
                       uint8_t first[PL_CHACHA20_BLOCK_LEN + SHORT_LEN])
{
    memset(first, 0, PL_CHACHA20_BLOCK_LEN);
    if (len > 0) {
        memcpy(first + PL_CHACHA20_BLOCK_LEN, in, len);
    }
    im->chacha20_xor(k->key, nonce, 0, first, first, PL_CHACHA20_BLOCK_LEN + len);
}

/* §2.6 and the first part of §2.8's MAC input: the one-time key (the first 32 bytes of block 0:
 * r, then s), then the AAD and pad16(AAD). */
static void mac_start(const struct cp_impl *im, const uint8_t otk[PL_POLY1305_KEY_LEN],
                      const uint8_t *aad, size_t aad_len, pl_poly1305_ctx *mac)
{
    static const uint8_t zeros[PL_POLY1305_BLOCK_LEN] = {0};
    pl_poly1305_init_impl(mac, otk, im->poly1305);
    pl_poly1305_update(mac, aad, aad_len);
    if (aad_len % PL_POLY1305_BLOCK_LEN != 0) {
        pl_poly1305_update(mac, zeros, PL_POLY1305_BLOCK_LEN - aad_len % PL_POLY1305_BLOCK_LEN);
    }
}

/* mac_start with the one-time key from a keystream call of its own (longer messages). */
static void mac_start_alone(const struct cp_impl *im, const cp_key *k, const uint8_t *nonce,
                            const uint8_t *aad, size_t aad_len, pl_poly1305_ctx *mac)
{
    uint8_t otk[PL_POLY1305_KEY_LEN] = {0};
    im->chacha20_xor(k->key, nonce, 0, otk, otk, sizeof otk);
    mac_start(im, otk, aad, aad_len, mac);
    pl_wipe(otk, sizeof otk);
}

/* The end of §2.8's MAC input: pad16(ciphertext), le64(AAD length), le64(ciphertext length). */
static void mac_finish(pl_poly1305_ctx *mac, size_t aad_len, size_t len,
                       uint8_t tag[PL_POLY1305_TAG_LEN])
{
    static const uint8_t zeros[PL_POLY1305_BLOCK_LEN] = {0};
    uint8_t lengths[16];
    if (len % PL_POLY1305_BLOCK_LEN != 0) {
        pl_poly1305_update(mac, zeros, PL_POLY1305_BLOCK_LEN - len % PL_POLY1305_BLOCK_LEN);
    }
    pl_store_le64(lengths, (uint64_t)aad_len);
    pl_store_le64(lengths + 8, (uint64_t)len);
    pl_poly1305_update(mac, lengths, sizeof lengths);
    pl_poly1305_final(mac, tag);
}

/* §2.8 with the ciphertext counter starting at 1: the counter of the block at offset off. off is
 * below P_MAX, so this is at most 2^32 - 1 and does not wrap. */
static uint32_t counter_at(size_t off)
{
    return (uint32_t)(1 + off / PL_CHACHA20_BLOCK_LEN);
}

static void seal_with(const struct cp_impl *im, const pl_aead_ctx *ctx, const uint8_t *nonce,
                      const uint8_t *aad, size_t aad_len, const uint8_t *in, uint8_t *out,
                      size_t len, uint8_t *tag)
{
    const cp_key *k = key_of(ctx);
    pl_poly1305_ctx mac;
    if ((uint64_t)len > PL_CHACHA20_POLY1305_MAX_LEN) {
        /* Past P_MAX the counter would wrap onto block 0, the MAC key: refuse (chacha20.h). */
        pl_wipe(out, len);
        pl_wipe(tag, PL_AEAD_TAG_LEN);
        return;
    }
    if (len <= SHORT_LEN) {
        uint8_t first[PL_CHACHA20_BLOCK_LEN + SHORT_LEN];
        short_pass(im, k, nonce, in, len, first);
        mac_start(im, first, aad, aad_len, &mac);
        if (len > 0) {
            memcpy(out, first + PL_CHACHA20_BLOCK_LEN, len);
            pl_poly1305_update(&mac, out, len);
        }
        pl_wipe(first, PL_CHACHA20_BLOCK_LEN + len);
    } else {
        mac_start_alone(im, k, nonce, aad, aad_len, &mac);
        for (size_t off = 0; off < len; off += CHUNK_LEN) {
            size_t n = len - off < CHUNK_LEN ? len - off : CHUNK_LEN;
            im->chacha20_xor(k->key, nonce, counter_at(off), in + off, out + off, n);
            pl_poly1305_update(&mac, out + off, n);
        }
    }
    mac_finish(&mac, aad_len, len, tag);
}

static int open_with(const struct cp_impl *im, const pl_aead_ctx *ctx, const uint8_t *nonce,
                     const uint8_t *aad, size_t aad_len, const uint8_t *in, uint8_t *out,
                     size_t len, const uint8_t *tag)
{
    const cp_key *k = key_of(ctx);
    pl_poly1305_ctx mac;
    uint8_t first[PL_CHACHA20_BLOCK_LEN + SHORT_LEN];
    uint8_t expected[PL_POLY1305_TAG_LEN];
    uint32_t ok;
    if ((uint64_t)len > PL_CHACHA20_POLY1305_MAX_LEN) {
        /* Nothing this long can have been sealed (see seal_with). */
        pl_wipe(out, len);
        return SSL_ERR_CRYPTO_AUTH_FAILED;
    }
    if (len <= SHORT_LEN) {
        /* The plaintext waits in first until the tag has been checked. */
        short_pass(im, k, nonce, in, len, first);
        mac_start(im, first, aad, aad_len, &mac);
        pl_poly1305_update(&mac, in, len);
    } else {
        mac_start_alone(im, k, nonce, aad, aad_len, &mac);
        for (size_t off = 0; off < len; off += CHUNK_LEN) {
            size_t n = len - off < CHUNK_LEN ? len - off : CHUNK_LEN;
            pl_poly1305_update(&mac, in + off, n); /* before in is overwritten, when out == in */
            im->chacha20_xor(k->key, nonce, counter_at(off), in + off, out + off, n);
        }
    }
    mac_finish(&mac, aad_len, len, expected);
    /* §2.8: the message is authentic if and only if the tags match; compared in constant time
     * so that timing does not tell a forger how much of a guess was right. */
    ok = pl_ct_memeq(expected, tag, PL_POLY1305_TAG_LEN);
    pl_wipe(expected, sizeof expected);
    /* The verdict is public (the record is dropped or not); pl_ct_memeq revealed nothing else. */
    pl_ct_declassify(&ok, sizeof ok);
    if (len <= SHORT_LEN) {
        if (ok && len > 0) {
            memcpy(out, first + PL_CHACHA20_BLOCK_LEN, len);
        }
        pl_wipe(first, PL_CHACHA20_BLOCK_LEN + len);
    }
    if (!ok) {
        pl_wipe(out, len); /* no unauthenticated plaintext leaves */
        return SSL_ERR_CRYPTO_AUTH_FAILED;
    }
    return 0;
}

/* ---- the classes ---------------------------------------------------------------------------- */

#define CP_FUNCTIONS(name, im)                                                                     \
    static void seal_##name(const pl_aead_ctx *ctx, const uint8_t *nonce, const uint8_t *aad,     \
                            size_t aad_len, const uint8_t *in, uint8_t *out, size_t len,          \
                            uint8_t *tag)                                                          \
    {                                                                                              \
        seal_with(&(im), ctx, nonce, aad, aad_len, in, out, len, tag);                             \
    }                                                                                              \
    static int open_##name(const pl_aead_ctx *ctx, const uint8_t *nonce, const uint8_t *aad,      \
                           size_t aad_len, const uint8_t *in, uint8_t *out, size_t len,           \
                           const uint8_t *tag)                                                     \
    {                                                                                              \
        return open_with(&(im), ctx, nonce, aad, aad_len, in, out, len, tag);                      \
    }

CP_FUNCTIONS(portable, portable)
CP_FUNCTIONS(avx2, avx2)
CP_FUNCTIONS(avx512, avx512)

#define CP_CLASS(impl_name, fns)                                                                   \
    {                                                                                              \
        .name = "ChaCha20-Poly1305", .impl = impl_name, .key_len = PL_CHACHA20_KEY_LEN,            \
        .nonce_len = PL_AEAD_NONCE_LEN, .tag_len = PL_AEAD_TAG_LEN, .init = cp_init,               \
        .seal = seal_##fns, .open = open_##fns,                                                    \
    }

const pl_aead_class pl_chacha20_poly1305_portable = CP_CLASS("portable", portable);
const pl_aead_class pl_chacha20_poly1305_avx2 = CP_CLASS("avx2", avx2);
const pl_aead_class pl_chacha20_poly1305_avx512 = CP_CLASS("avx512", avx512);

const pl_aead_class *pl_chacha20_poly1305_best(void)
{
    if (pl_chacha20_avx512_usable()) {
        return &pl_chacha20_poly1305_avx512;
    }
    if (pl_chacha20_avx2_usable()) {
        return &pl_chacha20_poly1305_avx2;
    }
    return &pl_chacha20_poly1305_portable;
}
