/* The SHA-256 compression function (FIPS 180-4 §6.2.2) with the Intel SHA extensions.
 *
 * SHA256RNDS2 does two rounds on a state split across two registers, {A,B,E,F} and {C,D,G,H}
 * (A and C in the top lanes), taking W+K for the two rounds from the low lanes of XMM0.
 * SHA256MSG1 and SHA256MSG2 do the σ0 and σ1 halves of the message schedule four words at a time
 * (Intel SDM vol. 2, SHA256RNDS2 / SHA256MSG1 / SHA256MSG2; Intel, "Intel SHA Extensions", 2013).
 * The instructions take time independent of their operands.
 *
 * Compiled with -msha -msse4.1 -mssse3; called only when pl_cpu_features() has all three. */
#include <immintrin.h>

#include "crypto/hash.h"

/* Rounds t..t+3, with w holding W(t)..W(t+3) in lanes 0..3 and k pointing at K(t). The first
 * SHA256RNDS2 turns {C,D,G,H} into the new {A,B,E,F}; the old {A,B,E,F} is then the new
 * {C,D,G,H}, so the second call swaps the roles back. */
static inline void rounds4(__m128i *abef, __m128i *cdgh, __m128i w, const uint32_t *k)
{
    __m128i wk = _mm_add_epi32(w, _mm_loadu_si128((const __m128i *)k));
    *cdgh = _mm_sha256rnds2_epu32(*cdgh, *abef, wk);
    *abef = _mm_sha256rnds2_epu32(*abef, *cdgh, _mm_shuffle_epi32(wk, 0x0e));
}

/* W(t)..W(t+3) from w0 = W(t-16).., w1 = W(t-12).., w2 = W(t-8).., w3 = W(t-4)..: MSG1 gives
 * W(t-16+i) + σ0(W(t-15+i)), the W(t-7+i) are added here, and MSG2 adds σ1(W(t-2+i)), taking
 * W(t) and W(t+1) from its own result for the last two lanes. */
static inline __m128i schedule(__m128i w0, __m128i w1, __m128i w2, __m128i w3)
{
    __m128i x = _mm_sha256msg1_epu32(w0, w1);
    x = _mm_add_epi32(x, _mm_alignr_epi8(w3, w2, 4));
    return _mm_sha256msg2_epu32(x, w3);
}

void pl_sha256_blocks_shani(uint32_t state[8], const uint8_t *blocks, size_t nblocks)
{
    /* Big-endian message words (§3.1) into lanes: reverse the bytes within each 32 bits. */
    const __m128i bswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
    const uint32_t *k = pl_sha256_k;
    /* {H0..H3} and {H4..H7}, reversed to {D,C,B,A} and {H,G,F,E}, then regrouped. */
    __m128i dcba = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)state), 0x1b);
    __m128i hgfe = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(state + 4)), 0x1b);
    __m128i abef = _mm_unpackhi_epi64(hgfe, dcba);
    __m128i cdgh = _mm_unpacklo_epi64(hgfe, dcba);

    for (; nblocks > 0; nblocks--, blocks += PL_SHA256_BLOCK_LEN) {
        const __m128i abef0 = abef, cdgh0 = cdgh;
        __m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)blocks), bswap);
        __m128i w1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 16)), bswap);
        __m128i w2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 32)), bswap);
        __m128i w3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 48)), bswap);

        rounds4(&abef, &cdgh, w0, k + 0);
        rounds4(&abef, &cdgh, w1, k + 4);
        rounds4(&abef, &cdgh, w2, k + 8);
        rounds4(&abef, &cdgh, w3, k + 12);
        for (size_t t = 16; t < 64; t += 16) {
            w0 = schedule(w0, w1, w2, w3);
            rounds4(&abef, &cdgh, w0, k + t);
            w1 = schedule(w1, w2, w3, w0);
            rounds4(&abef, &cdgh, w1, k + t + 4);
            w2 = schedule(w2, w3, w0, w1);
            rounds4(&abef, &cdgh, w2, k + t + 8);
            w3 = schedule(w3, w0, w1, w2);
            rounds4(&abef, &cdgh, w3, k + t + 12);
        }
        /* Step 4. */
        abef = _mm_add_epi32(abef, abef0);
        cdgh = _mm_add_epi32(cdgh, cdgh0);
    }

    dcba = _mm_unpackhi_epi64(cdgh, abef);
    hgfe = _mm_unpacklo_epi64(cdgh, abef);
    _mm_storeu_si128((__m128i *)state, _mm_shuffle_epi32(dcba, 0x1b));
    _mm_storeu_si128((__m128i *)(state + 4), _mm_shuffle_epi32(hgfe, 0x1b));
}
