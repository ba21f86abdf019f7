/* ChaCha20 (RFC 8439 §2.3-2.4): the portable block function and keystream, and the choice of
 * implementation for pl_chacha20_xor(). See chacha20.h for the contracts.
 *
 * Words are 32-bit integers; additions wrap mod 2^32 as the RFC's "+" does. Nothing here
 * indexes memory by, or branches on, the key, the nonce, the counter or the data. */
#include "crypto/chacha20.h"

#include "base/cpu.h"

/* §2.3: the four constant words, "expand 32-byte k" read as little-endian words. */
#define SIGMA0 0x61707865u
#define SIGMA1 0x3320646eu
#define SIGMA2 0x79622d32u
#define SIGMA3 0x6b206574u

/* §2.3: constants ‖ key ‖ counter ‖ nonce, key and nonce read as little-endian words. */
static void state_init(uint32_t s[16], const uint8_t key[PL_CHACHA20_KEY_LEN],
                       const uint8_t nonce[PL_CHACHA20_NONCE_LEN], uint32_t counter)
{
    s[0] = SIGMA0;
    s[1] = SIGMA1;
    s[2] = SIGMA2;
    s[3] = SIGMA3;
    for (unsigned i = 0; i < 8; i++) {
        s[4 + i] = pl_load_le32(key + 4 * i);
    }
    s[12] = counter;
    s[13] = pl_load_le32(nonce);
    s[14] = pl_load_le32(nonce + 4);
    s[15] = pl_load_le32(nonce + 8);
}

/* §2.3.1 chacha20_block before serialisation: ten double rounds (inner_block), then the input
 * added back word by word. */
static void block_words(const uint32_t in[16], uint32_t x[16])
{
    memcpy(x, in, 16 * sizeof x[0]);
    for (unsigned i = 0; i < 10; i++) {
        /* column round */
        pl_chacha20_quarter_round(x, 0, 4, 8, 12);
        pl_chacha20_quarter_round(x, 1, 5, 9, 13);
        pl_chacha20_quarter_round(x, 2, 6, 10, 14);
        pl_chacha20_quarter_round(x, 3, 7, 11, 15);
        /* diagonal round */
        pl_chacha20_quarter_round(x, 0, 5, 10, 15);
        pl_chacha20_quarter_round(x, 1, 6, 11, 12);
        pl_chacha20_quarter_round(x, 2, 7, 8, 13);
        pl_chacha20_quarter_round(x, 3, 4, 9, 14);
    }
    for (unsigned i = 0; i < 16; i++) {
        x[i] += in[i];
    }
}

void pl_chacha20_block(const uint8_t key[PL_CHACHA20_KEY_LEN],
                       const uint8_t nonce[PL_CHACHA20_NONCE_LEN], uint32_t counter,
                       uint8_t out[PL_CHACHA20_BLOCK_LEN])
{
    uint32_t s[16], x[16];
    state_init(s, key, nonce, counter);
    block_words(s, x);
    /* §2.3: serialise the words one by one in little-endian order. */
    for (unsigned i = 0; i < 16; i++) {
        pl_store_le32(out + 4 * i, x[i]);
    }
    pl_wipe(s, sizeof s);
    pl_wipe(x, sizeof x);
}

void pl_chacha20_xor_portable(const uint8_t key[PL_CHACHA20_KEY_LEN],
                              const uint8_t nonce[PL_CHACHA20_NONCE_LEN], uint32_t counter,
                              const uint8_t *in, uint8_t *out, size_t len)
{
    uint32_t s[16], x[16];
    uint8_t last[PL_CHACHA20_BLOCK_LEN];
    state_init(s, key, nonce, counter);
    /* §2.4.1: whole blocks, each word of keystream XORed into the matching word of input. */
    while (len >= PL_CHACHA20_BLOCK_LEN) {
        block_words(s, x);
        for (unsigned i = 0; i < 16; i++) {
            pl_store_le32(out + 4 * i, pl_load_le32(in + 4 * i) ^ x[i]);
        }
        s[12]++; /* wraps mod 2^32 (chacha20.h) */
        in += PL_CHACHA20_BLOCK_LEN;
        out += PL_CHACHA20_BLOCK_LEN;
        len -= PL_CHACHA20_BLOCK_LEN;
    }
    /* The partial last block: the rest of its keystream is discarded. */
    if (len > 0) {
        block_words(s, x);
        for (unsigned i = 0; i < 16; i++) {
            pl_store_le32(last + 4 * i, x[i]);
        }
        for (size_t i = 0; i < len; i++) {
            out[i] = (uint8_t)(in[i] ^ last[i]);
        }
        pl_wipe(last, sizeof last);
    }
    pl_wipe(s, sizeof s);
    pl_wipe(x, sizeof x);
}

int pl_chacha20_avx2_usable(void)
{
    const uint32_t needs = PL_CPU_AVX2 | PL_CPU_BMI2;
    return (pl_cpu_features() & needs) == needs;
}

int pl_chacha20_avx512_usable(void)
{
    const uint32_t needs = PL_CPU_AVX2 | PL_CPU_BMI2 | PL_CPU_AVX512;
    return (pl_cpu_features() & needs) == needs;
}

void pl_chacha20_xor(const uint8_t key[PL_CHACHA20_KEY_LEN],
                     const uint8_t nonce[PL_CHACHA20_NONCE_LEN], uint32_t counter,
                     const uint8_t *in, uint8_t *out, size_t len)
{
    if (pl_chacha20_avx512_usable()) {
        pl_chacha20_xor_avx512(key, nonce, counter, in, out, len);
    } else if (pl_chacha20_avx2_usable()) {
        pl_chacha20_xor_avx2(key, nonce, counter, in, out, len);
    } else {
        pl_chacha20_xor_portable(key, nonce, counter, in, out, len);
    }
}
