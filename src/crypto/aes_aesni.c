/* AES (FIPS-197) with the AES-NI instructions: ECB blocks, CTR with a 32-bit counter and CBC.
 *
 * AESENC does one full round (ShiftRows, SubBytes, MixColumns, AddRoundKey) and AESENCLAST the
 * last one; AESDEC and AESDECLAST do the rounds of the equivalent inverse cipher (FIPS-197
 * §5.3.5), which is why pl_aes_init() prepares drk (Intel, "Advanced Encryption Standard (AES)
 * New Instructions Set", rev. 3.01, 2012). The instructions take the same time whatever their
 * operands, so this code is constant-time by construction.
 *
 * An AESENC has a latency of several cycles but a throughput of one or two per cycle, so the
 * modes that allow it (ECB, CTR, CBC decryption) keep eight independent blocks in flight. CBC
 * encryption is serial by definition.
 *
 * Compiled with -maes -msse4.1 -mssse3; called only when pl_cpu_features() has all three. The
 * key expansion is not here: pl_aes_init() does it once for both implementations. */
#include <immintrin.h>

#include "base/pl.h"
#include "crypto/aes.h"

/* Blocks in flight in the parallel loops. */
#define LANES 8

static inline __m128i load_block(const uint8_t *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

static inline void store_block(uint8_t *p, __m128i x)
{
    _mm_storeu_si128((__m128i *)(void *)p, x);
}

/* Round keys are 16-byte aligned in pl_aes_key. */
static inline __m128i round_key(const uint8_t rk[16])
{
    return _mm_load_si128((const __m128i *)(const void *)rk);
}

/* The eight-lane helpers name every lane with a constant index: after inlining, the compiler
 * keeps the lanes in registers, where a loop over them would put the array in memory. */
static inline void load8(__m128i b[LANES], const uint8_t *in)
{
    b[0] = load_block(in);
    b[1] = load_block(in + 16);
    b[2] = load_block(in + 32);
    b[3] = load_block(in + 48);
    b[4] = load_block(in + 64);
    b[5] = load_block(in + 80);
    b[6] = load_block(in + 96);
    b[7] = load_block(in + 112);
}

static inline void store8(uint8_t *out, const __m128i b[LANES])
{
    store_block(out, b[0]);
    store_block(out + 16, b[1]);
    store_block(out + 32, b[2]);
    store_block(out + 48, b[3]);
    store_block(out + 64, b[4]);
    store_block(out + 80, b[5]);
    store_block(out + 96, b[6]);
    store_block(out + 112, b[7]);
}

/* b[j] ^= x[j] */
static inline void xor8(__m128i b[LANES], const __m128i x[LANES])
{
    b[0] = _mm_xor_si128(b[0], x[0]);
    b[1] = _mm_xor_si128(b[1], x[1]);
    b[2] = _mm_xor_si128(b[2], x[2]);
    b[3] = _mm_xor_si128(b[3], x[3]);
    b[4] = _mm_xor_si128(b[4], x[4]);
    b[5] = _mm_xor_si128(b[5], x[5]);
    b[6] = _mm_xor_si128(b[6], x[6]);
    b[7] = _mm_xor_si128(b[7], x[7]);
}

static inline void xor_key8(__m128i b[LANES], __m128i key)
{
    b[0] = _mm_xor_si128(b[0], key);
    b[1] = _mm_xor_si128(b[1], key);
    b[2] = _mm_xor_si128(b[2], key);
    b[3] = _mm_xor_si128(b[3], key);
    b[4] = _mm_xor_si128(b[4], key);
    b[5] = _mm_xor_si128(b[5], key);
    b[6] = _mm_xor_si128(b[6], key);
    b[7] = _mm_xor_si128(b[7], key);
}

static inline void aesenc8(__m128i b[LANES], __m128i key)
{
    b[0] = _mm_aesenc_si128(b[0], key);
    b[1] = _mm_aesenc_si128(b[1], key);
    b[2] = _mm_aesenc_si128(b[2], key);
    b[3] = _mm_aesenc_si128(b[3], key);
    b[4] = _mm_aesenc_si128(b[4], key);
    b[5] = _mm_aesenc_si128(b[5], key);
    b[6] = _mm_aesenc_si128(b[6], key);
    b[7] = _mm_aesenc_si128(b[7], key);
}

static inline void aesenclast8(__m128i b[LANES], __m128i key)
{
    b[0] = _mm_aesenclast_si128(b[0], key);
    b[1] = _mm_aesenclast_si128(b[1], key);
    b[2] = _mm_aesenclast_si128(b[2], key);
    b[3] = _mm_aesenclast_si128(b[3], key);
    b[4] = _mm_aesenclast_si128(b[4], key);
    b[5] = _mm_aesenclast_si128(b[5], key);
    b[6] = _mm_aesenclast_si128(b[6], key);
    b[7] = _mm_aesenclast_si128(b[7], key);
}

static inline void aesdec8(__m128i b[LANES], __m128i key)
{
    b[0] = _mm_aesdec_si128(b[0], key);
    b[1] = _mm_aesdec_si128(b[1], key);
    b[2] = _mm_aesdec_si128(b[2], key);
    b[3] = _mm_aesdec_si128(b[3], key);
    b[4] = _mm_aesdec_si128(b[4], key);
    b[5] = _mm_aesdec_si128(b[5], key);
    b[6] = _mm_aesdec_si128(b[6], key);
    b[7] = _mm_aesdec_si128(b[7], key);
}

static inline void aesdeclast8(__m128i b[LANES], __m128i key)
{
    b[0] = _mm_aesdeclast_si128(b[0], key);
    b[1] = _mm_aesdeclast_si128(b[1], key);
    b[2] = _mm_aesdeclast_si128(b[2], key);
    b[3] = _mm_aesdeclast_si128(b[3], key);
    b[4] = _mm_aesdeclast_si128(b[4], key);
    b[5] = _mm_aesdeclast_si128(b[5], key);
    b[6] = _mm_aesdeclast_si128(b[6], key);
    b[7] = _mm_aesdeclast_si128(b[7], key);
}

/* All the rounds of encryption (or of the equivalent inverse cipher) on eight blocks. nr is
 * passed in rather than read from k each time: stores through out might alias k as far as the
 * compiler knows. */
static inline void encrypt8(const pl_aes_key *k, unsigned nr, __m128i b[LANES])
{
    xor_key8(b, round_key(k->rk[0]));
    for (unsigned r = 1; r < nr; r++) {
        aesenc8(b, round_key(k->rk[r]));
    }
    aesenclast8(b, round_key(k->rk[nr]));
}

static inline void decrypt8(const pl_aes_key *k, unsigned nr, __m128i b[LANES])
{
    xor_key8(b, round_key(k->drk[0]));
    for (unsigned r = 1; r < nr; r++) {
        aesdec8(b, round_key(k->drk[r]));
    }
    aesdeclast8(b, round_key(k->drk[nr]));
}

/* One block, all rounds but the last, which the caller does so that it can fold an XOR into
 * the last round key (AESENCLAST(x, k) ^ y = AESENCLAST(x, k ^ y)). */
static inline __m128i enc_one(const pl_aes_key *k, __m128i x)
{
    x = _mm_xor_si128(x, round_key(k->rk[0]));
    for (unsigned r = 1; r < k->rounds; r++) {
        x = _mm_aesenc_si128(x, round_key(k->rk[r]));
    }
    return x;
}

static inline __m128i dec_one(const pl_aes_key *k, __m128i x)
{
    x = _mm_xor_si128(x, round_key(k->drk[0]));
    for (unsigned r = 1; r < k->rounds; r++) {
        x = _mm_aesdec_si128(x, round_key(k->drk[r]));
    }
    return x;
}

void pl_aes_encrypt_blocks_aesni(const pl_aes_key *k, const uint8_t *in, uint8_t *out,
                                 size_t nblocks)
{
    const unsigned nr = k->rounds;
    const __m128i last = round_key(k->rk[nr]);
    for (; nblocks >= LANES; nblocks -= LANES, in += 16 * LANES, out += 16 * LANES) {
        __m128i b[LANES];
        load8(b, in);
        encrypt8(k, nr, b);
        store8(out, b);
    }
    for (; nblocks > 0; nblocks--, in += 16, out += 16) {
        store_block(out, _mm_aesenclast_si128(enc_one(k, load_block(in)), last));
    }
}

void pl_aes_decrypt_blocks_aesni(const pl_aes_key *k, const uint8_t *in, uint8_t *out,
                                 size_t nblocks)
{
    const unsigned nr = k->rounds;
    const __m128i last = round_key(k->drk[nr]);
    for (; nblocks >= LANES; nblocks -= LANES, in += 16 * LANES, out += 16 * LANES) {
        __m128i b[LANES];
        load8(b, in);
        decrypt8(k, nr, b);
        store8(out, b);
    }
    for (; nblocks > 0; nblocks--, in += 16, out += 16) {
        store_block(out, _mm_aesdeclast_si128(dec_one(k, load_block(in)), last));
    }
}

/* The counter is kept byte-reversed, so that its 32 bits are lane 0 as a little-endian integer:
 * PADDD on that lane is inc32 (SP 800-38D §6.2), wrapping mod 2^32 without carrying into byte
 * 11, and one PSHUFB turns it back into a counter block. */
void pl_aes_ctr32_aesni(const pl_aes_key *k, const uint8_t ctr[PL_AES_BLOCK_LEN],
                        const uint8_t *in, uint8_t *out, size_t len)
{
    const __m128i reverse = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const unsigned nr = k->rounds;
    const __m128i last = round_key(k->rk[nr]);
    __m128i c = _mm_shuffle_epi8(load_block(ctr), reverse);

    for (; len >= 16 * LANES; len -= 16 * LANES, in += 16 * LANES, out += 16 * LANES) {
        __m128i b[LANES], x[LANES];
        b[0] = _mm_shuffle_epi8(c, reverse);
        b[1] = _mm_shuffle_epi8(_mm_add_epi32(c, _mm_set_epi32(0, 0, 0, 1)), reverse);
        b[2] = _mm_shuffle_epi8(_mm_add_epi32(c, _mm_set_epi32(0, 0, 0, 2)), reverse);
        b[3] = _mm_shuffle_epi8(_mm_add_epi32(c, _mm_set_epi32(0, 0, 0, 3)), reverse);
        b[4] = _mm_shuffle_epi8(_mm_add_epi32(c, _mm_set_epi32(0, 0, 0, 4)), reverse);
        b[5] = _mm_shuffle_epi8(_mm_add_epi32(c, _mm_set_epi32(0, 0, 0, 5)), reverse);
        b[6] = _mm_shuffle_epi8(_mm_add_epi32(c, _mm_set_epi32(0, 0, 0, 6)), reverse);
        b[7] = _mm_shuffle_epi8(_mm_add_epi32(c, _mm_set_epi32(0, 0, 0, 7)), reverse);
        c = _mm_add_epi32(c, _mm_set_epi32(0, 0, 0, LANES));
        encrypt8(k, nr, b);
        load8(x, in);
        xor8(b, x);
        store8(out, b);
    }
    for (; len >= 16; len -= 16, in += 16, out += 16) {
        __m128i x = enc_one(k, _mm_shuffle_epi8(c, reverse));
        c = _mm_add_epi32(c, _mm_set_epi32(0, 0, 0, 1));
        store_block(out, _mm_aesenclast_si128(x, _mm_xor_si128(last, load_block(in))));
    }
    if (len > 0) {
        uint8_t ks[PL_AES_BLOCK_LEN];
        store_block(ks, _mm_aesenclast_si128(enc_one(k, _mm_shuffle_epi8(c, reverse)), last));
        for (size_t i = 0; i < len; i++) {
            out[i] = (uint8_t)(in[i] ^ ks[i]);
        }
        pl_wipe(ks, sizeof ks);
    }
}

/* SP 800-38A §6.2: C[j] = E(P[j] ^ C[j-1]), one block after the other. */
void pl_aes_cbc_encrypt_aesni(const pl_aes_key *k, uint8_t iv[PL_AES_BLOCK_LEN],
                              const uint8_t *in, uint8_t *out, size_t nblocks)
{
    const __m128i last = round_key(k->rk[k->rounds]);
    __m128i c = load_block(iv);
    for (; nblocks > 0; nblocks--, in += 16, out += 16) {
        c = _mm_aesenclast_si128(enc_one(k, _mm_xor_si128(load_block(in), c)), last);
        store_block(out, c);
    }
    store_block(iv, c);
}

/* P[j] = D(C[j]) ^ C[j-1]: independent decryptions, LANES at a time. Every ciphertext block of
 * a batch is loaded before any plaintext is stored, so out may equal in. */
void pl_aes_cbc_decrypt_aesni(const pl_aes_key *k, uint8_t iv[PL_AES_BLOCK_LEN],
                              const uint8_t *in, uint8_t *out, size_t nblocks)
{
    const unsigned nr = k->rounds;
    const __m128i last = round_key(k->drk[nr]);
    __m128i prev = load_block(iv);
    for (; nblocks >= LANES; nblocks -= LANES, in += 16 * LANES, out += 16 * LANES) {
        __m128i c[LANES], b[LANES], chain[LANES];
        load8(c, in);
        b[0] = c[0];
        b[1] = c[1];
        b[2] = c[2];
        b[3] = c[3];
        b[4] = c[4];
        b[5] = c[5];
        b[6] = c[6];
        b[7] = c[7];
        decrypt8(k, nr, b);
        chain[0] = prev;
        chain[1] = c[0];
        chain[2] = c[1];
        chain[3] = c[2];
        chain[4] = c[3];
        chain[5] = c[4];
        chain[6] = c[5];
        chain[7] = c[6];
        xor8(b, chain);
        store8(out, b);
        prev = c[7];
    }
    for (; nblocks > 0; nblocks--, in += 16, out += 16) {
        __m128i c = load_block(in);
        store_block(out, _mm_aesdeclast_si128(dec_one(k, c), _mm_xor_si128(last, prev)));
        prev = c;
    }
    store_block(iv, prev);
}
