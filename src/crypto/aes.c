/* AES (FIPS-197): the key expansion, the portable bitsliced cipher, CTR with a 32-bit counter,
 * CBC (SP 800-38A §6.2), PKCS#7 unpadding (RFC 5652 §6.3), and the run-time choice between the
 * portable code and AES-NI (aes_aesni.c).
 *
 * The portable cipher is bitsliced: four blocks are held as eight 64-bit words, word i holding
 * bit i of each of the 64 bytes. SubBytes is then a Boolean circuit evaluated on whole words
 * (Boyar and Peralta's 113-gate circuit), and ShiftRows and MixColumns are shifts, masks and
 * rotations. Nothing is looked up in a table, and no branch or address depends on the key or
 * the data: the time taken depends only on the number of blocks. The key expansion uses the same
 * circuit and is constant-time too.
 *
 * This file does not do GCM (gcm*.c), nor TLS's CBC record format (MAC-then-encrypt and the
 * Lucky Thirteen countermeasures belong to the record layer). Decryption uses the inverse
 * cipher of FIPS-197 §5.3 directly; the equivalent inverse cipher's keys (drk) are computed for
 * AES-NI only. */
#include "base/cpu.h"
#include "base/ct.h"
#include "base/endian.h"
#include "crypto/aes.h"

/* Blocks processed at once by the bitsliced code: 4 blocks x 16 bytes = one bit per byte in a
 * 64-bit word. */
#define BS_BLOCKS 4
#define BS_BYTES (BS_BLOCKS * PL_AES_BLOCK_LEN)

/* ---- the bitsliced layout ---------------------------------------------------------------------
 *
 * Byte j of the state is s[r][c] with r = j mod 4 and c = j / 4 (FIPS-197 §3.4). In the
 * bitsliced form, bit i of s[r][c] of block b is bit 16r + 4c + b of word q[i]: each row of the
 * state is a 16-bit lane, each column a 4-bit group within it. ShiftRows is then a rotation
 * within each lane, and MixColumns, which combines the rows of a column, rotates whole words by
 * multiples of 16 bits.
 *
 * To get there from four blocks loaded as little-endian 64-bit words, write an element's address
 * as bits: its word index and its bit index within the word. Loading block b's bytes 0..7 into
 * word b and bytes 8..15 into word 4 + b gives
 *     word = (c1 b1 b0), bit = (c0 r1 r0 i2 i1 i0)
 * where c = (c1 c0), r = (r1 r0), b = (b1 b0) and i is the bit within the byte. We want
 *     word = (i2 i1 i0), bit = (r1 r0 c1 c0 b1 b0).
 * Exchanging word-index bit k with bit-index bit k (k = 0, 1, 2; a "swap-move" between word
 * pairs) gives word = (i2 i1 i0), bit = (c0 r1 r0 c1 b1 b0). Three exchanges of adjacent
 * bit-index bits within each word (5<->4, 4<->3, 3<->2) then move c0 below c1. Every step swaps
 * two index bits, so it is its own inverse, and leaving the layout runs them backwards. */

/* Exchange bit-index bit k of *lo and *hi: bits of *lo whose index has bit k set trade places
 * with bits of *hi whose index has bit k clear (s = 2^k; m has the bits whose index bit k is 0). */
static inline void swap_move(uint64_t *lo, uint64_t *hi, unsigned s, uint64_t m)
{
    uint64_t t = ((*lo >> s) ^ *hi) & m;
    *hi ^= t;
    *lo ^= t << s;
}

/* Exchange bit-index bits j < k within x: the bits in m (index bit k clear, bit j set) trade
 * places with those d = 2^k - 2^j above them. */
static inline uint64_t delta_swap(uint64_t x, unsigned d, uint64_t m)
{
    uint64_t t = ((x >> d) ^ x) & m;
    return x ^ t ^ (t << d);
}

static void cross_swaps(uint64_t q[8])
{
    static const uint64_t m[3] = {0x5555555555555555, 0x3333333333333333, 0x0f0f0f0f0f0f0f0f};
    for (unsigned k = 0; k < 3; k++) {
        unsigned s = 1u << k;
        for (unsigned w = 0; w < 8; w++) {
            if ((w & s) == 0) {
                swap_move(&q[w], &q[w | s], s, m[k]);
            }
        }
    }
}

static void bitslice_in(uint64_t q[8], const uint8_t in[BS_BYTES])
{
    for (unsigned b = 0; b < BS_BLOCKS; b++) {
        q[b] = pl_load_le64(in + 16 * b);
        q[4 + b] = pl_load_le64(in + 16 * b + 8);
    }
    cross_swaps(q);
    for (unsigned i = 0; i < 8; i++) {
        uint64_t x = q[i];
        x = delta_swap(x, 16, 0x00000000ffff0000); /* bit-index bits 5 <-> 4 */
        x = delta_swap(x, 8, 0x0000ff000000ff00);  /* 4 <-> 3 */
        x = delta_swap(x, 4, 0x00f000f000f000f0);  /* 3 <-> 2 */
        q[i] = x;
    }
}

static void bitslice_out(uint8_t out[BS_BYTES], const uint64_t q[8])
{
    uint64_t x[8];
    for (unsigned i = 0; i < 8; i++) {
        uint64_t y = q[i];
        y = delta_swap(y, 4, 0x00f000f000f000f0);
        y = delta_swap(y, 8, 0x0000ff000000ff00);
        y = delta_swap(y, 16, 0x00000000ffff0000);
        x[i] = y;
    }
    cross_swaps(x);
    for (unsigned b = 0; b < BS_BLOCKS; b++) {
        pl_store_le64(out + 16 * b, x[b]);
        pl_store_le64(out + 16 * b + 8, x[4 + b]);
    }
    pl_wipe(x, sizeof x);
}

/* ---- SubBytes ----------------------------------------------------------------------------------
 *
 * The S-box (FIPS-197 §5.1.1) as J. Boyar and R. Peralta's circuit of 32 AND and 81 XOR/XNOR
 * gates ("A new combinational logic minimization technique with applications to cryptology",
 * SEA 2010; "A depth-16 circuit for the AES S-box", 2011): a linear layer into 27 values T, a
 * shared nonlinear middle computing the GF(2^8) inverse in a tower field (M), and a linear layer
 * out, with the affine constant 0x63 supplied by the four XNORs. Their U0 and S0 are the most
 * significant bits, so U0 is q[7] and S7 is q[0]. Evaluated on words, it is 64 S-boxes at once. */
static void sub_bytes(uint64_t q[8])
{
    const uint64_t u0 = q[7], u1 = q[6], u2 = q[5], u3 = q[4];
    const uint64_t u4 = q[3], u5 = q[2], u6 = q[1], u7 = q[0];

    /* top linear layer */
    const uint64_t t1 = u0 ^ u3, t2 = u0 ^ u5, t3 = u0 ^ u6, t4 = u3 ^ u5, t5 = u4 ^ u6;
    const uint64_t t6 = t1 ^ t5, t7 = u1 ^ u2, t8 = u7 ^ t6, t9 = u7 ^ t7, t10 = t6 ^ t7;
    const uint64_t t11 = u1 ^ u5, t12 = u2 ^ u5, t13 = t3 ^ t4, t14 = t6 ^ t11, t15 = t5 ^ t11;
    const uint64_t t16 = t5 ^ t12, t17 = t9 ^ t16, t18 = u3 ^ u7, t19 = t7 ^ t18, t20 = t1 ^ t19;
    const uint64_t t21 = u6 ^ u7, t22 = t7 ^ t21, t23 = t2 ^ t22, t24 = t2 ^ t10;
    const uint64_t t25 = t20 ^ t17, t26 = t3 ^ t16, t27 = t1 ^ t12;

    /* nonlinear middle: the inversion in GF(2^8) */
    const uint64_t m1 = t13 & t6, m2 = t23 & t8, m3 = t14 ^ m1, m4 = t19 & u7, m5 = m4 ^ m1;
    const uint64_t m6 = t3 & t16, m7 = t22 & t9, m8 = t26 ^ m6, m9 = t20 & t17, m10 = m9 ^ m6;
    const uint64_t m11 = t1 & t15, m12 = t4 & t27, m13 = m12 ^ m11, m14 = t2 & t10;
    const uint64_t m15 = m14 ^ m11, m16 = m3 ^ m2, m17 = m5 ^ t24, m18 = m8 ^ m7;
    const uint64_t m19 = m10 ^ m15, m20 = m16 ^ m13, m21 = m17 ^ m15, m22 = m18 ^ m13;
    const uint64_t m23 = m19 ^ t25, m24 = m22 ^ m23, m25 = m22 & m20, m26 = m21 ^ m25;
    const uint64_t m27 = m20 ^ m21, m28 = m23 ^ m25, m29 = m28 & m27, m30 = m26 & m24;
    const uint64_t m31 = m20 & m23, m32 = m27 & m31, m33 = m27 ^ m25, m34 = m21 & m22;
    const uint64_t m35 = m24 & m34, m36 = m24 ^ m25, m37 = m21 ^ m29, m38 = m32 ^ m33;
    const uint64_t m39 = m23 ^ m30, m40 = m35 ^ m36, m41 = m38 ^ m40, m42 = m37 ^ m39;
    const uint64_t m43 = m37 ^ m38, m44 = m39 ^ m40, m45 = m42 ^ m41;
    const uint64_t m46 = m44 & t6, m47 = m40 & t8, m48 = m39 & u7, m49 = m43 & t16;
    const uint64_t m50 = m38 & t9, m51 = m37 & t17, m52 = m42 & t15, m53 = m45 & t27;
    const uint64_t m54 = m41 & t10, m55 = m44 & t13, m56 = m40 & t23, m57 = m39 & t19;
    const uint64_t m58 = m43 & t3, m59 = m38 & t22, m60 = m37 & t20, m61 = m42 & t1;
    const uint64_t m62 = m45 & t4, m63 = m41 & t2;

    /* bottom linear layer */
    const uint64_t l0 = m61 ^ m62, l1 = m50 ^ m56, l2 = m46 ^ m48, l3 = m47 ^ m55;
    const uint64_t l4 = m54 ^ m58, l5 = m49 ^ m61, l6 = m62 ^ l5, l7 = m46 ^ l3;
    const uint64_t l8 = m51 ^ m59, l9 = m52 ^ m53, l10 = m53 ^ l4, l11 = m60 ^ l2;
    const uint64_t l12 = m48 ^ m51, l13 = m50 ^ l0, l14 = m52 ^ m61, l15 = m55 ^ l1;
    const uint64_t l16 = m56 ^ l0, l17 = m57 ^ l1, l18 = m58 ^ l8, l19 = m63 ^ l4;
    const uint64_t l20 = l0 ^ l1, l21 = l1 ^ l7, l22 = l3 ^ l12, l23 = l18 ^ l2;
    const uint64_t l24 = l15 ^ l9, l25 = l6 ^ l10, l26 = l7 ^ l9, l27 = l8 ^ l10;
    const uint64_t l28 = l11 ^ l14, l29 = l11 ^ l17;

    q[7] = l6 ^ l24;
    q[6] = ~(l16 ^ l26);
    q[5] = ~(l19 ^ l28);
    q[4] = l6 ^ l21;
    q[3] = l20 ^ l22;
    q[2] = l25 ^ l29;
    q[1] = ~(l13 ^ l27);
    q[0] = ~(l6 ^ l23);
}

/* The inverse of the S-box's affine map (FIPS-197 §5.3.2): bit i of the result is
 * b[i+2] ^ b[i+5] ^ b[i+7] ^ (0x05 bit i), indices mod 8. Applied to S(x) it gives x^-1. */
static void inv_affine(uint64_t q[8])
{
    const uint64_t a = q[0] ^ q[3], b = q[2] ^ q[5], c = q[1] ^ q[6], d = q[4] ^ q[7];
    const uint64_t y0 = q[0], y1 = q[1], y2 = q[2], y3 = q[3], y4 = q[4], y5 = q[5], y6 = q[6];
    const uint64_t y7 = q[7];
    q[0] = ~(b ^ y7);
    q[1] = a ^ y6;
    q[2] = ~(d ^ y1);
    q[3] = b ^ y0;
    q[4] = c ^ y3;
    q[5] = d ^ y2;
    q[6] = a ^ y5;
    q[7] = c ^ y4;
}

/* InvSubBytes (§5.3.2) without a second circuit: with f the inverse affine map, f(S(z)) = z^-1,
 * so S^-1(y) = (f(y))^-1 = f(S(f(y))). */
static void inv_sub_bytes(uint64_t q[8])
{
    inv_affine(q);
    sub_bytes(q);
    inv_affine(q);
}

/* ---- ShiftRows, MixColumns and their inverses ------------------------------------------------ */

/* §5.1.2: s'[r][c] = s[r][(c + r) mod 4], so lane r (bits 16r..16r+15) rotates right by 4r bits
 * (bit 4c + b takes the bit of column c + r). */
static inline uint64_t shift_rows_word(uint64_t x)
{
    return (x & 0x000000000000ffff)
        | ((x >> 4) & 0x000000000fff0000) | ((x << 12) & 0x00000000f0000000)
        | ((x >> 8) & 0x000000ff00000000) | ((x << 8) & 0x0000ff0000000000)
        | ((x >> 12) & 0x000f000000000000) | ((x << 4) & 0xfff0000000000000);
}

/* §5.3.1: s'[r][c] = s[r][(c - r) mod 4], the rotations the other way. */
static inline uint64_t inv_shift_rows_word(uint64_t x)
{
    return (x & 0x000000000000ffff)
        | ((x << 4) & 0x00000000fff00000) | ((x >> 12) & 0x00000000000f0000)
        | ((x >> 8) & 0x000000ff00000000) | ((x << 8) & 0x0000ff0000000000)
        | ((x >> 4) & 0x0fff000000000000) | ((x << 12) & 0xf000000000000000);
}

static void shift_rows(uint64_t q[8])
{
    for (unsigned i = 0; i < 8; i++) {
        q[i] = shift_rows_word(q[i]);
    }
}

static void inv_shift_rows(uint64_t q[8])
{
    for (unsigned i = 0; i < 8; i++) {
        q[i] = inv_shift_rows_word(q[i]);
    }
}

/* Multiply every byte by x modulo m(x) = x^8 + x^4 + x^3 + x + 1 (xtime, FIPS-197 §4.2.1): the
 * bits move up one place and the bit shifted out of the top is added back at bits 0, 1, 3, 4. */
static void xtime_planes(uint64_t out[8], const uint64_t t[8])
{
    const uint64_t hi = t[7];
    out[7] = t[6];
    out[6] = t[5];
    out[5] = t[4];
    out[4] = t[3] ^ hi;
    out[3] = t[2] ^ hi;
    out[2] = t[1];
    out[1] = t[0] ^ hi;
    out[0] = hi;
}

/* Row r + k of each column brought to row r: a rotation right by 16k bits. */
static inline uint64_t rows_up(uint64_t x, unsigned k)
{
    return pl_rotr64(x, 16 * k);
}

/* §5.1.3: s'[r] = {02}s[r] ^ {03}s[r+1] ^ s[r+2] ^ s[r+3] (rows mod 4), computed as
 * {02}(s[r] ^ s[r+1]) ^ s[r+1] ^ (s[r+2] ^ s[r+3]), where the last term is the first sum moved
 * up two rows. */
static void mix_columns(uint64_t q[8])
{
    uint64_t t[8], x[8];
    for (unsigned i = 0; i < 8; i++) {
        t[i] = q[i] ^ rows_up(q[i], 1);
    }
    xtime_planes(x, t);
    for (unsigned i = 0; i < 8; i++) {
        q[i] = x[i] ^ rows_up(q[i], 1) ^ rows_up(t[i], 2);
    }
}

/* §5.3.3 by way of MixColumns: the inverse matrix circ(0e, 0b, 0d, 09) is circ(02, 03, 01, 01)
 * times circ(05, 00, 04, 00) (Daemen and Rijmen, "The Design of Rijndael", §4.1.3), and the
 * second factor is s[r] ^= {04}(s[r] ^ s[r+2]), which is the same value for rows r and r + 2. */
static void inv_mix_columns(uint64_t q[8])
{
    uint64_t t[8], x[8];
    for (unsigned i = 0; i < 8; i++) {
        t[i] = q[i] ^ rows_up(q[i], 2);
    }
    xtime_planes(x, t);
    xtime_planes(t, x);
    for (unsigned i = 0; i < 8; i++) {
        q[i] ^= t[i];
    }
    mix_columns(q);
}

static void add_round_key(uint64_t q[8], const uint64_t *rk)
{
    for (unsigned i = 0; i < 8; i++) {
        q[i] ^= rk[i];
    }
}

/* ---- the cipher on four bitsliced blocks ----------------------------------------------------- */

/* FIPS-197 §5.1, Figure 5. */
static void encrypt4(const pl_aes_key *k, uint64_t q[8])
{
    add_round_key(q, k->bs);
    for (unsigned r = 1; r < k->rounds; r++) {
        sub_bytes(q);
        shift_rows(q);
        mix_columns(q);
        add_round_key(q, k->bs + 8 * r);
    }
    sub_bytes(q);
    shift_rows(q);
    add_round_key(q, k->bs + 8 * k->rounds);
}

/* FIPS-197 §5.3, Figure 12 (the inverse cipher, with the encryption round keys). */
static void decrypt4(const pl_aes_key *k, uint64_t q[8])
{
    add_round_key(q, k->bs + 8 * k->rounds);
    for (unsigned r = k->rounds - 1; r > 0; r--) {
        inv_shift_rows(q);
        inv_sub_bytes(q);
        add_round_key(q, k->bs + 8 * r);
        inv_mix_columns(q);
    }
    inv_shift_rows(q);
    inv_sub_bytes(q);
    add_round_key(q, k->bs);
}

/* Run one bitsliced batch over up to four blocks in buf (in place); unused blocks are zero. */
static void crypt_batch(const pl_aes_key *k, uint8_t buf[BS_BYTES], int decrypt)
{
    uint64_t q[8];
    bitslice_in(q, buf);
    if (decrypt) {
        decrypt4(k, q);
    } else {
        encrypt4(k, q);
    }
    bitslice_out(buf, q);
    pl_wipe(q, sizeof q);
}

/* ---- key expansion, FIPS-197 §5.2 ------------------------------------------------------------ */

/* SubWord on a word holding four bytes (byte n in bits 8n..8n+7): bit i of byte n goes to bit 8n
 * of plane i; the circuit works bitwise, so the other bit positions carry garbage that is masked
 * off on the way out. */
static uint32_t sub_word(uint32_t w)
{
    uint64_t q[8];
    uint32_t out = 0;
    for (unsigned i = 0; i < 8; i++) {
        q[i] = (w >> i) & 0x01010101u;
    }
    sub_bytes(q);
    for (unsigned i = 0; i < 8; i++) {
        out |= ((uint32_t)q[i] & 0x01010101u) << i;
    }
    pl_wipe(q, sizeof q);
    return out;
}

/* Rcon[i] = x^(i-1) in GF(2^8), in the first byte of the word (§5.2). At most ten are used
 * (AES-128). */
static const uint8_t rcon[10] = {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36};

int pl_aes_init(pl_aes_key *k, const uint8_t *key, size_t key_len)
{
    uint32_t w[4 * (PL_AES_MAX_ROUNDS + 1)];
    uint8_t copies[BS_BYTES];
    uint64_t q[8];
    size_t nk = key_len / 4, nw;

    ENSURE(key_len == 16 || key_len == 24 || key_len == 32, SSL_ERR_CRYPTO_BAD_KEY_SIZE);
    memset(k, 0, sizeof *k);
    k->rounds = (unsigned)nk + 6; /* Nr = Nk + 6 (§5, Figure 4) */
    nw = 4 * ((size_t)k->rounds + 1);

    /* Words are kept with their first byte in the low bits, so RotWord is a right rotation. */
    for (size_t i = 0; i < nk; i++) {
        w[i] = pl_load_le32(key + 4 * i);
    }
    for (size_t i = nk; i < nw; i++) {
        uint32_t t = w[i - 1];
        if (i % nk == 0) {
            t = sub_word(pl_rotr32(t, 8)) ^ rcon[i / nk - 1];
        } else if (nk > 6 && i % nk == 4) {
            t = sub_word(t);
        }
        w[i] = w[i - nk] ^ t;
    }

    for (unsigned r = 0; r <= k->rounds; r++) {
        for (unsigned j = 0; j < 4; j++) {
            pl_store_le32(k->rk[r] + 4 * j, w[4 * r + j]);
        }
        /* The bitsliced round key: the same key in all four block positions. */
        for (unsigned b = 0; b < BS_BLOCKS; b++) {
            memcpy(copies + 16 * b, k->rk[r], 16);
        }
        bitslice_in(q, copies);
        memcpy(k->bs + 8 * r, q, sizeof q);
        /* AESDEC's keys (§5.3.5): InvMixColumns of the middle round keys, in reverse order. */
        if (r == 0 || r == k->rounds) {
            memcpy(k->drk[k->rounds - r], k->rk[r], 16);
        } else {
            inv_mix_columns(q);
            bitslice_out(copies, q);
            memcpy(k->drk[k->rounds - r], copies, 16);
        }
    }
    pl_wipe(w, sizeof w);
    pl_wipe(copies, sizeof copies);
    pl_wipe(q, sizeof q);
    return 0;
}

void pl_aes_wipe(pl_aes_key *k)
{
    pl_wipe(k, sizeof *k);
}

/* ---- portable modes -------------------------------------------------------------------------- */

static void crypt_blocks_portable(const pl_aes_key *k, const uint8_t *in, uint8_t *out,
                                  size_t nblocks, int decrypt)
{
    uint8_t buf[BS_BYTES];
    while (nblocks > 0) {
        size_t n = nblocks < BS_BLOCKS ? nblocks : BS_BLOCKS;
        memset(buf, 0, sizeof buf);
        memcpy(buf, in, 16 * n);
        crypt_batch(k, buf, decrypt);
        memcpy(out, buf, 16 * n);
        in += 16 * n;
        out += 16 * n;
        nblocks -= n;
    }
    pl_wipe(buf, sizeof buf);
}

void pl_aes_encrypt_blocks_portable(const pl_aes_key *k, const uint8_t *in, uint8_t *out,
                                    size_t nblocks)
{
    crypt_blocks_portable(k, in, out, nblocks, 0);
}

void pl_aes_decrypt_blocks_portable(const pl_aes_key *k, const uint8_t *in, uint8_t *out,
                                    size_t nblocks)
{
    crypt_blocks_portable(k, in, out, nblocks, 1);
}

/* out = a ^ b over n bytes, eight at a time where it can. */
static void xor_bytes(uint8_t *out, const uint8_t *a, const uint8_t *b, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        pl_store_le64(out + i, pl_load_le64(a + i) ^ pl_load_le64(b + i));
    }
    for (; i < n; i++) {
        out[i] = (uint8_t)(a[i] ^ b[i]);
    }
}

void pl_aes_ctr32_portable(const pl_aes_key *k, const uint8_t ctr[PL_AES_BLOCK_LEN],
                           const uint8_t *in, uint8_t *out, size_t len)
{
    uint8_t ks[BS_BYTES];
    uint32_t c = pl_load_be32(ctr + 12);
    while (len > 0) {
        size_t n = len < BS_BYTES ? len : BS_BYTES;
        /* inc32 (SP 800-38D §6.2): the low 32 bits count mod 2^32; bytes 0..11 never change. */
        for (unsigned b = 0; b < BS_BLOCKS; b++) {
            memcpy(ks + 16 * b, ctr, 12);
            pl_store_be32(ks + 16 * b + 12, c + b);
        }
        c += BS_BLOCKS;
        crypt_batch(k, ks, 0);
        xor_bytes(out, in, ks, n);
        in += n;
        out += n;
        len -= n;
    }
    pl_wipe(ks, sizeof ks);
}

/* SP 800-38A §6.2: C[j] = E(P[j] ^ C[j-1]), C[0-1] = IV. One block at a time: each block needs
 * the one before. */
void pl_aes_cbc_encrypt_portable(const pl_aes_key *k, uint8_t iv[PL_AES_BLOCK_LEN],
                                 const uint8_t *in, uint8_t *out, size_t nblocks)
{
    uint8_t buf[BS_BYTES] = {0};
    for (; nblocks > 0; nblocks--, in += 16, out += 16) {
        xor_bytes(buf, in, iv, 16);
        crypt_batch(k, buf, 0);
        memcpy(out, buf, 16);
        memcpy(iv, buf, 16);
    }
    pl_wipe(buf, sizeof buf);
}

/* P[j] = D(C[j]) ^ C[j-1]: the decryptions are independent, so four run at once. The ciphertext
 * is copied first so that out may equal in. */
void pl_aes_cbc_decrypt_portable(const pl_aes_key *k, uint8_t iv[PL_AES_BLOCK_LEN],
                                 const uint8_t *in, uint8_t *out, size_t nblocks)
{
    uint8_t ct[BS_BYTES], buf[BS_BYTES];
    while (nblocks > 0) {
        size_t n = nblocks < BS_BLOCKS ? nblocks : BS_BLOCKS;
        memset(buf, 0, sizeof buf);
        memcpy(ct, in, 16 * n);
        memcpy(buf, ct, 16 * n);
        crypt_batch(k, buf, 1);
        xor_bytes(out, buf, iv, 16);
        xor_bytes(out + 16, buf + 16, ct, 16 * (n - 1));
        memcpy(iv, ct + 16 * (n - 1), 16);
        in += 16 * n;
        out += 16 * n;
        nblocks -= n;
    }
    pl_wipe(buf, sizeof buf);
}

/* ---- choosing the implementation ------------------------------------------------------------- */

/* aes_aesni.c is compiled with -maes -msse4.1 -mssse3, so it needs all three. */
static int use_aesni(void)
{
    const uint32_t need = PL_CPU_AESNI | PL_CPU_SSE41 | PL_CPU_SSSE3;
    return (pl_cpu_features() & need) == need;
}

void pl_aes_encrypt_blocks(const pl_aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks)
{
    if (use_aesni()) {
        pl_aes_encrypt_blocks_aesni(k, in, out, nblocks);
    } else {
        pl_aes_encrypt_blocks_portable(k, in, out, nblocks);
    }
}

void pl_aes_decrypt_blocks(const pl_aes_key *k, const uint8_t *in, uint8_t *out, size_t nblocks)
{
    if (use_aesni()) {
        pl_aes_decrypt_blocks_aesni(k, in, out, nblocks);
    } else {
        pl_aes_decrypt_blocks_portable(k, in, out, nblocks);
    }
}

void pl_aes_ctr32(const pl_aes_key *k, const uint8_t ctr[PL_AES_BLOCK_LEN], const uint8_t *in,
                  uint8_t *out, size_t len)
{
    if (use_aesni()) {
        pl_aes_ctr32_aesni(k, ctr, in, out, len);
    } else {
        pl_aes_ctr32_portable(k, ctr, in, out, len);
    }
}

int pl_aes_cbc_encrypt(const pl_aes_key *k, uint8_t iv[PL_AES_BLOCK_LEN], const uint8_t *in,
                       uint8_t *out, size_t len)
{
    ENSURE(len % PL_AES_BLOCK_LEN == 0, SSL_ERR_CRYPTO_BAD_LENGTH);
    if (use_aesni()) {
        pl_aes_cbc_encrypt_aesni(k, iv, in, out, len / PL_AES_BLOCK_LEN);
    } else {
        pl_aes_cbc_encrypt_portable(k, iv, in, out, len / PL_AES_BLOCK_LEN);
    }
    return 0;
}

int pl_aes_cbc_decrypt(const pl_aes_key *k, uint8_t iv[PL_AES_BLOCK_LEN], const uint8_t *in,
                       uint8_t *out, size_t len)
{
    ENSURE(len % PL_AES_BLOCK_LEN == 0, SSL_ERR_CRYPTO_BAD_LENGTH);
    if (use_aesni()) {
        pl_aes_cbc_decrypt_aesni(k, iv, in, out, len / PL_AES_BLOCK_LEN);
    } else {
        pl_aes_cbc_decrypt_portable(k, iv, in, out, len / PL_AES_BLOCK_LEN);
    }
    return 0;
}

/* ---- PKCS#7 ---------------------------------------------------------------------------------- */

/* RFC 5652 §6.3: the last byte is the pad length p, 1 <= p <= 16 for a 16-byte block, and the
 * last p bytes all equal p. All sixteen bytes of the last block are read and folded into one
 * verdict with masks; the error code is then chosen arithmetically, so nothing branches on the
 * padding. */
int pl_pkcs7_unpad(const uint8_t *buf, size_t len, size_t *out_len)
{
    const uint8_t *last;
    uint32_t pad, ok, bad;

    ENSURE(len > 0 && len % PL_AES_BLOCK_LEN == 0, SSL_ERR_CRYPTO_BAD_LENGTH);
    last = buf + len - PL_AES_BLOCK_LEN;
    pad = last[PL_AES_BLOCK_LEN - 1];
    ok = (pl_ct_is_zero(pad) ^ 1) & pl_ct_lt(pad, PL_AES_BLOCK_LEN + 1);
    for (uint32_t i = 0; i < PL_AES_BLOCK_LEN; i++) {
        /* byte i of the block is padding when it is among the last pad bytes: 16 - i <= pad */
        uint32_t in_pad = pl_ct_lt(PL_AES_BLOCK_LEN - i, pad + 1);
        ok &= (in_pad ^ 1) | pl_ct_eq(last[i], pad);
    }
    /* On failure report the whole length, so *out_len never depends on a bad pad byte. */
    *out_len = len - (size_t)(pl_ct_mask(ok) & pad);
    bad = pl_ct_mask(ok ^ 1) & (uint32_t)-SSL_ERR_CRYPTO_BAD_PADDING;
    return -(int)bad;
}
