/* The SHA-512 compression function (FIPS 180-4 §6.4.2) with the message schedule in AVX2.
 *
 * Up to four blocks are scheduled at once, one per 64-bit lane: the blocks' words are transposed
 * so that a vector holds word t of each block, and step 1's recurrence then runs on whole vectors
 * with no dependence between lanes. W(t) + K(t) for the four blocks is stored, and the rounds
 * (step 3) run on each block in turn in scalar code, where BMI2's RORX does the rotations. The
 * next group's schedule is computed in pieces between the rounds of the current group, so that
 * the vector units work on it while the scalar units do the rounds: taking the schedule's shifts
 * and rotations off the scalar units is where the speed comes from.
 *
 * Constant time like the portable code: additions, shifts and logic only, no lookups by value.
 * Compiled with -mavx2 -mbmi2; called only when pl_cpu_features() has PL_CPU_AVX2 and
 * PL_CPU_BMI2. */
#include <immintrin.h>

#include "base/endian.h"
#include "crypto/hash.h"

#define LANES 4

/* ---- the schedule, four blocks at a time ----------------------------------------------------- */

/* σ0 and σ1 of §4.1.3 on each lane; AVX2 has no 64-bit rotate, so each rotation is two shifts. */
static inline __m256i vec_small_sigma0(__m256i x)
{
    __m256i r1 = _mm256_or_si256(_mm256_srli_epi64(x, 1), _mm256_slli_epi64(x, 63));
    __m256i r8 = _mm256_or_si256(_mm256_srli_epi64(x, 8), _mm256_slli_epi64(x, 56));
    return _mm256_xor_si256(_mm256_xor_si256(r1, r8), _mm256_srli_epi64(x, 7));
}

static inline __m256i vec_small_sigma1(__m256i x)
{
    __m256i r19 = _mm256_or_si256(_mm256_srli_epi64(x, 19), _mm256_slli_epi64(x, 45));
    __m256i r61 = _mm256_or_si256(_mm256_srli_epi64(x, 61), _mm256_slli_epi64(x, 3));
    return _mm256_xor_si256(_mm256_xor_si256(r19, r61), _mm256_srli_epi64(x, 6));
}

/* The schedule of one group of up to four blocks, computed in 20 units of work (load and
 * transpose words 4u..4u+3 for u < 4, compute them for u >= 4) so that the units can be spread
 * between the rounds of the group before. wk[t][j] = W(t) + K(t) of block j is what the rounds
 * read; w is step 1's ring of the last 16 words. */
#define UNITS 20

struct schedule {
    __m256i w[16];
    uint64_t wk[80][LANES];
    const uint8_t *p[LANES];
    size_t next_unit;
};

/* Point the lanes at the n >= 1 blocks at blocks; past the last block, lanes repeat it (read and
 * scheduled, never used). */
static void schedule_start(struct schedule *s, const uint8_t *blocks, size_t n)
{
    for (size_t j = 0; j < LANES; j++) {
        s->p[j] = blocks + PL_SHA512_BLOCK_LEN * (j < n ? j : n - 1);
    }
    s->next_unit = 0;
}

static inline void store_wk(struct schedule *s, size_t t, __m256i w)
{
    __m256i k = _mm256_set1_epi64x((long long)pl_sha512_k[t]);
    _mm256_storeu_si256((__m256i *)s->wk[t], _mm256_add_epi64(w, k));
}

static inline void schedule_unit(struct schedule *s)
{
    size_t u = s->next_unit++;
    if (u < 4) {
        /* Words 4u..4u+3 of each block (big-endian, §3.1: reverse the bytes of each 64 bits),
         * then a 4x4 transpose to word-major order. */
        const __m256i bswap =
            _mm256_set_epi8(8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                            13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
        __m256i r[LANES], t0, t1, t2, t3;
        for (size_t j = 0; j < LANES; j++) {
            r[j] = _mm256_loadu_si256((const __m256i *)(s->p[j] + 32 * u));
            r[j] = _mm256_shuffle_epi8(r[j], bswap);
        }
        t0 = _mm256_unpacklo_epi64(r[0], r[1]); /* words 0 and 2 of blocks 0, 1 */
        t1 = _mm256_unpackhi_epi64(r[0], r[1]); /* words 1 and 3 of blocks 0, 1 */
        t2 = _mm256_unpacklo_epi64(r[2], r[3]);
        t3 = _mm256_unpackhi_epi64(r[2], r[3]);
        s->w[4 * u + 0] = _mm256_permute2x128_si256(t0, t2, 0x20);
        s->w[4 * u + 1] = _mm256_permute2x128_si256(t1, t3, 0x20);
        s->w[4 * u + 2] = _mm256_permute2x128_si256(t0, t2, 0x31);
        s->w[4 * u + 3] = _mm256_permute2x128_si256(t1, t3, 0x31);
        for (size_t i = 4 * u; i < 4 * u + 4; i++) {
            store_wk(s, i, s->w[i]);
        }
        return;
    }
    /* Step 1 for t >= 16, on the ring: w[t mod 16] still holds W(t-16). */
    for (size_t t = 4 * u; t < 4 * u + 4; t++) {
        __m256i x = _mm256_add_epi64(s->w[t & 15], vec_small_sigma1(s->w[(t - 2) & 15]));
        x = _mm256_add_epi64(x, s->w[(t - 7) & 15]);
        x = _mm256_add_epi64(x, vec_small_sigma0(s->w[(t - 15) & 15]));
        s->w[t & 15] = x;
        store_wk(s, t, x);
    }
}

/* ---- the rounds, one block at a time --------------------------------------------------------- */

/* The functions of §4.1.3; Ch and Maj in equivalent forms that take fewer operations (no NOT,
 * and Maj shares x ^ y with the next round's y ^ z). */
static inline uint64_t ch(uint64_t x, uint64_t y, uint64_t z)
{
    return z ^ (x & (y ^ z));
}

static inline uint64_t maj(uint64_t x, uint64_t y, uint64_t z)
{
    return y ^ ((x ^ y) & (y ^ z));
}

static inline uint64_t big_sigma0(uint64_t x)
{
    return pl_rotr64(x, 28) ^ pl_rotr64(x, 34) ^ pl_rotr64(x, 39);
}

static inline uint64_t big_sigma1(uint64_t x)
{
    return pl_rotr64(x, 14) ^ pl_rotr64(x, 18) ^ pl_rotr64(x, 41);
}

/* One round of step 3, with W(t) + K(t) given; as in sha512.c, the working variables are renamed
 * instead of moved, and what depends on this round's e is added last. */
#define ROUND(a, b, c, d, e, f, g, h, wk)                                                          \
    do {                                                                                           \
        uint64_t t1_ = (h) + (wk) + ch((e), (f), (g));                                             \
        t1_ += big_sigma1(e);                                                                      \
        (d) += t1_;                                                                                \
        (h) = t1_ + (big_sigma0(a) + maj((a), (b), (c)));                                          \
    } while (0)

/* The 80 rounds of one block, lane `lane` of the scheduled group, doing five units of the next
 * group's schedule (when there is one) in between: the vector units work on it while the scalar
 * ones do the rounds. */
static void rounds(uint64_t state[8], const struct schedule *cur, size_t lane,
                   struct schedule *next)
{
    const uint64_t(*wk)[LANES] = cur->wk;
    uint64_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint64_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (size_t t = 0; t < 80; t += 8) {
        ROUND(a, b, c, d, e, f, g, h, wk[t + 0][lane]);
        ROUND(h, a, b, c, d, e, f, g, wk[t + 1][lane]);
        ROUND(g, h, a, b, c, d, e, f, wk[t + 2][lane]);
        ROUND(f, g, h, a, b, c, d, e, wk[t + 3][lane]);
        ROUND(e, f, g, h, a, b, c, d, wk[t + 4][lane]);
        ROUND(d, e, f, g, h, a, b, c, wk[t + 5][lane]);
        ROUND(c, d, e, f, g, h, a, b, wk[t + 6][lane]);
        ROUND(b, c, d, e, f, g, h, a, wk[t + 7][lane]);
        if (next != NULL && (t & 8) == 0) {
            schedule_unit(next);
        }
    }
    /* Step 4. */
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
}

void pl_sha512_blocks_avx2(uint64_t state[8], const uint8_t *blocks, size_t nblocks)
{
    struct schedule s[2];
    size_t cur = 0;
    if (nblocks == 0) {
        return;
    }
    schedule_start(&s[cur], blocks, nblocks);
    for (size_t u = 0; u < UNITS; u++) {
        schedule_unit(&s[cur]);
    }
    while (nblocks > 0) {
        size_t n = nblocks < LANES ? nblocks : LANES;
        struct schedule *next = NULL;
        if (nblocks > n) {
            /* n is LANES here, and the rounds of its LANES blocks do all UNITS units. */
            next = &s[cur ^ 1];
            schedule_start(next, blocks + n * PL_SHA512_BLOCK_LEN, nblocks - n);
        }
        for (size_t j = 0; j < n; j++) {
            rounds(state, &s[cur], j, next);
        }
        blocks += n * PL_SHA512_BLOCK_LEN;
        nblocks -= n;
        cur ^= 1;
    }
    pl_wipe(s, sizeof s); /* the message may be a key (HMAC) or a secret (the PRF) */
}
