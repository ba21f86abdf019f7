/* The SHA-1 compression function (FIPS 180-4 §6.1.2) with the Intel SHA extensions.
 *
 * SHA1RNDS4 does four rounds on {A,B,C,D} (A in the top lane), taking W(t)+E, W(t+1), W(t+2),
 * W(t+3) from its second operand (top lane first) and the round function and constant from its
 * immediate (0: rounds 0-19, 1: 20-39, 2: 40-59, 3: 60-79). E is not kept: four rounds after a
 * state {A,...}, E is ROTL30(A), which SHA1NEXTE computes and adds to the next W(t). SHA1MSG1 and
 * SHA1MSG2 do the message schedule four words at a time (Intel SDM vol. 2, SHA1RNDS4 /
 * SHA1NEXTE / SHA1MSG1 / SHA1MSG2). The instructions take time independent of their operands.
 *
 * Compiled with -msha -msse4.1 -mssse3; called only when pl_cpu_features() has all three. */
#include <immintrin.h>

#include "crypto/hash.h"

/* W(t)..W(t+3) (top lane first) from the four groups before: W(t) = ROTL1(W(t-3) ^ W(t-8) ^
 * W(t-14) ^ W(t-16)). MSG1 gives W(t-16+i) ^ W(t-14+i), the W(t-8+i) are xored here, and MSG2
 * xors W(t-3+i) and rotates, taking W(t) for the last lane from its own result. */
static inline __m128i schedule(__m128i w0, __m128i w1, __m128i w2, __m128i w3)
{
    return _mm_sha1msg2_epu32(_mm_xor_si128(_mm_sha1msg1_epu32(w0, w1), w2), w3);
}

/* Four rounds with round function f and message words w: E for them comes from the {A,...} of
 * four rounds ago (prev), which is then replaced by the current state. f must be a constant. */
#define ROUNDS4(f, w)                                                                              \
    do {                                                                                           \
        __m128i e_ = _mm_sha1nexte_epu32(prev, (w));                                               \
        prev = abcd;                                                                               \
        abcd = _mm_sha1rnds4_epu32(abcd, e_, (f));                                                 \
    } while (0)

void pl_sha1_blocks_shani(uint32_t state[5], const uint8_t *blocks, size_t nblocks)
{
    /* Big-endian message words (§3.1), W(t) in the top lane: reverse all 16 bytes. */
    const __m128i bswap = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)state), 0x1b);
    __m128i e = _mm_set_epi32((int)state[4], 0, 0, 0);

    for (; nblocks > 0; nblocks--, blocks += PL_SHA1_BLOCK_LEN) {
        const __m128i abcd0 = abcd, e0 = e;
        __m128i prev;
        __m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)blocks), bswap);
        __m128i w1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 16)), bswap);
        __m128i w2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 32)), bswap);
        __m128i w3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 48)), bswap);

        /* Rounds 0-3 take E from the chaining value. */
        prev = abcd;
        abcd = _mm_sha1rnds4_epu32(abcd, _mm_add_epi32(e0, w0), 0);
        ROUNDS4(0, w1);                                         /* rounds 4-7 */
        ROUNDS4(0, w2);
        ROUNDS4(0, w3);
        w0 = schedule(w0, w1, w2, w3);
        ROUNDS4(0, w0);                                         /* rounds 16-19 */
        w1 = schedule(w1, w2, w3, w0);
        ROUNDS4(1, w1);                                         /* rounds 20-23 */
        w2 = schedule(w2, w3, w0, w1);
        ROUNDS4(1, w2);
        w3 = schedule(w3, w0, w1, w2);
        ROUNDS4(1, w3);
        w0 = schedule(w0, w1, w2, w3);
        ROUNDS4(1, w0);
        w1 = schedule(w1, w2, w3, w0);
        ROUNDS4(1, w1);
        w2 = schedule(w2, w3, w0, w1);
        ROUNDS4(2, w2);                                         /* rounds 40-43 */
        w3 = schedule(w3, w0, w1, w2);
        ROUNDS4(2, w3);
        w0 = schedule(w0, w1, w2, w3);
        ROUNDS4(2, w0);
        w1 = schedule(w1, w2, w3, w0);
        ROUNDS4(2, w1);
        w2 = schedule(w2, w3, w0, w1);
        ROUNDS4(2, w2);
        w3 = schedule(w3, w0, w1, w2);
        ROUNDS4(3, w3);                                         /* rounds 60-63 */
        w0 = schedule(w0, w1, w2, w3);
        ROUNDS4(3, w0);
        w1 = schedule(w1, w2, w3, w0);
        ROUNDS4(3, w1);
        w2 = schedule(w2, w3, w0, w1);
        ROUNDS4(3, w2);
        w3 = schedule(w3, w0, w1, w2);
        ROUNDS4(3, w3);                                         /* rounds 76-79 */

        /* Step 4: E after round 79 is ROTL30 of A four rounds before; SHA1NEXTE adds it to the
         * old E in the top lane. */
        e = _mm_sha1nexte_epu32(prev, e0);
        abcd = _mm_add_epi32(abcd, abcd0);
    }

    _mm_storeu_si128((__m128i *)state, _mm_shuffle_epi32(abcd, 0x1b));
    state[4] = (uint32_t)_mm_extract_epi32(e, 3);
}
