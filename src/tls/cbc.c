/* TLS 1.2 CBC record protection (see cbc.h): RFC 5246 §6.2.3.2 MAC-then-encrypt and RFC 7366
 * encrypt-then-MAC, with AES-CBC and HMAC-SHA1 / HMAC-SHA256.
 *
 * The constant-time MAC check of MAC-then-encrypt: the MAC covers header ‖ data, where the
 * data's length d is secret (it depends on the padding length, the last plaintext byte). The
 * inner hash is run block by block with the compression function itself: blocks that are data
 * for every possible d are hashed as they are; each block after that is built byte by byte
 * with masks — data below d, the 0x80 terminator at d, zeros after it, the bit length in the
 * block that is the last one for this d — and hashed, and the chaining value after the block
 * that really is the last is kept with a masked copy. The number of compression calls depends
 * on the record's length alone (Lucky Thirteen's fix, as AlFardan and Paterson describe it). */
#include "tls/cbc.h"

#include "base/ct.h"
#include "base/endian.h"
#include "crypto/aes.h"
#include "crypto/hash.h"
#include "crypto/hmac.h"

typedef struct cbc_state {
    pl_aes_key aes;
    pl_hmac_key mac;
} cbc_state;

_Static_assert(sizeof(cbc_state) <= PL_AEAD_CTX_MAX, "cbc_state must fit in pl_aead_ctx");

#define HDR_LEN 13          /* seq_num ‖ type ‖ version ‖ length */
#define MAX_WORDS 8

void pl_tls_cbc_init(pl_aead_ctx *ctx, const pl_suite *suite, const uint8_t *key,
                     const uint8_t *mac_key)
{
    cbc_state *st = (cbc_state *)(void *)ctx->opaque;
    if (pl_aes_init(&st->aes, key, suite->key_len) != 0) {
        pl_wipe(st, sizeof *st);        /* cannot happen: the suite table has 16 or 32 */
    }
    pl_hmac_key_init(&st->mac, suite->mac, mac_key, suite->mac_key_len);
}

size_t pl_tls_cbc_max_expansion(const pl_suite *suite)
{
    return PL_CBC_IV_LEN + suite->mac->digest_len + PL_CBC_MAX_PADDING;
}

size_t pl_tls_cbc_sealed_len(const pl_suite *suite, int etm, size_t len)
{
    size_t mac = suite->mac->digest_len;
    size_t padded = etm ? len : len + mac;
    return PL_CBC_IV_LEN + (padded / PL_AES_BLOCK_LEN + 1) * PL_AES_BLOCK_LEN + (etm ? mac : 0);
}

/* seq_num ‖ type ‖ version ‖ length, what the MAC covers before the data (RFC 5246 §6.2.3.1).
 * length may be secret: it is written by arithmetic, not looked up. */
static void make_header(uint8_t hdr[HDR_LEN], uint64_t seq, uint8_t type, uint16_t version,
                        size_t len)
{
    pl_writer w;
    int rc;
    pl_writer_init(&w, hdr, HDR_LEN);
    rc = pl_write_u64(&w, seq);
    rc |= pl_write_u8(&w, type);
    rc |= pl_write_u16(&w, version);
    rc |= pl_write_u16(&w, (uint16_t)len);
    (void)rc;                   /* 13 bytes into 13: cannot fail */
}

static void mac_public(const cbc_state *st, const uint8_t hdr[HDR_LEN], const uint8_t *data,
                       size_t len, uint8_t *out)
{
    pl_hmac_ctx h;
    pl_hmac_start(&h, &st->mac);
    pl_hmac_update(&h, hdr, HDR_LEN);
    pl_hmac_update(&h, data, len);
    pl_hmac_final(&h, out);
}

int pl_tls_cbc_seal(const pl_aead_ctx *ctx, const pl_suite *suite, int etm, uint64_t seq,
                    uint8_t type, uint16_t version, const uint8_t *data, size_t len, uint8_t *out)
{
    const cbc_state *st = (const cbc_state *)(const void *)ctx->opaque;
    size_t mac_len = suite->mac->digest_len;
    size_t total = pl_tls_cbc_sealed_len(suite, etm, len);
    size_t enc_len = total - PL_CBC_IV_LEN - (etm ? mac_len : 0);
    size_t pad = enc_len - len - (etm ? 0 : mac_len); /* 1..16 bytes, each pad - 1 */
    uint8_t hdr[HDR_LEN], iv[PL_CBC_IV_LEN];
    uint8_t *body = out + PL_CBC_IV_LEN;
    TRY(pl_random(out, PL_CBC_IV_LEN));
    memcpy(iv, out, PL_CBC_IV_LEN);
    memmove(body, data, len);
    size_t at = len;
    if (!etm) {
        make_header(hdr, seq, type, version, len);
        mac_public(st, hdr, data, len, body + at);
        at += mac_len;
    }
    memset(body + at, (int)(pad - 1), pad);
    TRY(pl_aes_cbc_encrypt(&st->aes, iv, body, body, enc_len));
    if (etm) {
        /* RFC 7366 §3: MAC(seq ‖ type ‖ version ‖ length ‖ IV ‖ ciphertext) */
        make_header(hdr, seq, type, version, PL_CBC_IV_LEN + enc_len);
        mac_public(st, hdr, out, PL_CBC_IV_LEN + enc_len, body + enc_len);
    }
    pl_wipe(iv, sizeof iv);
    return 0;
}

/* One compression of the MAC's hash over one 64-byte block, with the implementation the
 * prepared key chose. */
static void compress(const pl_hmac_key *k, uint32_t h[MAX_WORDS], const uint8_t *block)
{
    if (k->hash == &pl_sha1_class) {
        if (k->inner.sha1.impl == PL_HASH_SHANI) {
            pl_sha1_blocks_shani(h, block, 1);
        } else {
            pl_sha1_blocks_portable(h, block, 1);
        }
    } else if (k->inner.sha256.impl == PL_HASH_SHANI) {
        pl_sha256_blocks_shani(h, block, 1);
    } else {
        pl_sha256_blocks_portable(h, block, 1);
    }
}

/* HMAC over hdr ‖ p[0..d) with d secret, dmin <= d <= dmax public, in time that depends on
 * dmax - dmin and dmax only. p holds at least dmax bytes. */
static void mac_secret_length(const cbc_state *st, const uint8_t hdr[HDR_LEN], const uint8_t *p,
                              size_t d, size_t dmin, size_t dmax, uint8_t *out)
{
    const pl_hmac_key *k = &st->mac;
    size_t words = k->hash == &pl_sha1_class ? 5 : 8;
    uint32_t h[MAX_WORDS] = {0}, kept[MAX_WORDS] = {0};
    uint8_t block[64], len_bytes[8], digest[32];
    memcpy(h, k->hash == &pl_sha1_class ? k->inner.sha1.h : k->inner.sha256.h, words * 4);

    /* The inner message follows the 64-byte ipad block already in h: n = 13 + d bytes, then
     * 0x80, zeros, and the 64-bit count of bits hashed, ipad block included, in the last 8
     * bytes of block f = (n + 8) / 64. */
    size_t n = HDR_LEN + d, nmin = HDR_LEN + dmin, nmax = HDR_LEN + dmax;
    uint32_t f = (uint32_t)((n + 8) / 64);
    pl_store_be64(len_bytes, (uint64_t)(64 + n) * 8);
    size_t first = nmin / 64, last = (nmax + 8) / 64;
    for (size_t j = 0; j <= last; j++) {
        for (size_t i = 0; i < 64; i++) {
            size_t q = 64 * j + i;
            uint32_t b = q < HDR_LEN ? hdr[q] : (q - HDR_LEN < dmax ? p[q - HDR_LEN] : 0);
            if (j >= first) {
                b = pl_ct_select(pl_ct_lt((uint32_t)q, (uint32_t)n), b, 0);
                b |= pl_ct_select(pl_ct_eq((uint32_t)q, (uint32_t)n), 0x80, 0);
                if (i >= 56) {
                    b |= pl_ct_select(pl_ct_eq((uint32_t)j, f), len_bytes[i - 56], 0);
                }
            }
            block[i] = (uint8_t)b;
        }
        compress(k, h, block);
        pl_ct_copy_if(pl_ct_eq((uint32_t)j, f), kept, h, words * 4);
    }
    for (size_t w = 0; w < words; w++) {
        pl_store_be32(digest + 4 * w, kept[w]);
    }
    pl_hash_ctx outer = k->outer;
    k->hash->update(&outer, digest, words * 4);
    k->hash->final(&outer, out);
    pl_wipe(block, sizeof block);
    pl_wipe(h, sizeof h);
    pl_wipe(kept, sizeof kept);
    pl_wipe(digest, sizeof digest);
}

/* The padding of a decrypted body p[0..len): 1 when its last byte pad and the pad bytes before
 * it all equal pad and pad + min_rest < len; *pad_len gets pad (0 when not good). Reads the
 * last min(len, 256) bytes whatever pad is. */
static uint32_t check_padding(const uint8_t *p, size_t len, size_t min_rest, size_t *pad_len)
{
    uint32_t pad = p[len - 1];
    uint32_t good = pl_ct_lt(pad + (uint32_t)min_rest, (uint32_t)len);
    pad = pl_ct_select(good, pad, 0);
    size_t check = len < PL_CBC_MAX_PADDING ? len : PL_CBC_MAX_PADDING;
    for (size_t i = 0; i < check; i++) {
        uint32_t in_pad = pl_ct_lt((uint32_t)i, pad + 1);
        uint32_t same = pl_ct_eq(p[len - 1 - i], pad);
        good &= (in_pad ^ 1) | same;
    }
    *pad_len = pad;
    return good;
}

static int open_mac_then_encrypt(const cbc_state *st, size_t mac_len, uint64_t seq,
                                 uint8_t type, uint16_t version, uint8_t *frag, size_t len,
                                 pl_slice *plain)
{
    uint8_t iv[PL_CBC_IV_LEN], hdr[HDR_LEN], got[32] = {0}, want[32];
    /* Lengths are public: a body that is not whole blocks, or too short to hold a MAC and a
     * padding byte, is refused at once. */
    ENSURE(len >= PL_CBC_IV_LEN + PL_AES_BLOCK_LEN && (len - PL_CBC_IV_LEN) % 16 == 0 &&
               len - PL_CBC_IV_LEN >= mac_len + 1,
           SSL_ERR_RECORD_BAD_MAC);
    uint8_t *p = frag + PL_CBC_IV_LEN;
    size_t body = len - PL_CBC_IV_LEN;
    memcpy(iv, frag, sizeof iv);
    TRY(pl_aes_cbc_decrypt(&st->aes, iv, p, p, body));

    size_t pad;
    uint32_t good = check_padding(p, body, mac_len, &pad);
    size_t d = body - 1 - pad - mac_len;                /* secret: it depends on pad */
    size_t dmax = body - 1 - mac_len;
    size_t dmin = dmax > 255 ? dmax - 255 : 0;
    /* The received MAC sits at p[d..d+mac_len): gather it from every place it could be. */
    for (size_t s = dmin; s <= dmax; s++) {
        uint8_t m = (uint8_t)pl_ct_mask(pl_ct_eq((uint32_t)s, (uint32_t)d));
        for (size_t i = 0; i < mac_len; i++) {
            got[i] |= (uint8_t)(p[s + i] & m);
        }
    }
    make_header(hdr, seq, type, version, d);
    mac_secret_length(st, hdr, p, d, dmin, dmax, want);
    good &= pl_ct_memeq(got, want, mac_len);
    pl_wipe(want, sizeof want);
    pl_ct_declassify(&good, sizeof good);
    if (!good) {
        pl_wipe(p, body);
        return SSL_ERR_RECORD_BAD_MAC;
    }
    pl_ct_declassify(&d, sizeof d);     /* an authentic record's length is the reader's to see */
    plain->ptr = p;
    plain->len = d;
    return 0;
}

static int open_encrypt_then_mac(const cbc_state *st, size_t mac_len, uint64_t seq,
                                 uint8_t type, uint16_t version, uint8_t *frag, size_t len,
                                 pl_slice *plain)
{
    uint8_t iv[PL_CBC_IV_LEN], hdr[HDR_LEN], want[32];
    ENSURE(len >= PL_CBC_IV_LEN + PL_AES_BLOCK_LEN + mac_len &&
               (len - PL_CBC_IV_LEN - mac_len) % 16 == 0,
           SSL_ERR_RECORD_BAD_MAC);
    size_t body = len - PL_CBC_IV_LEN - mac_len;
    make_header(hdr, seq, type, version, PL_CBC_IV_LEN + body);
    mac_public(st, hdr, frag, PL_CBC_IV_LEN + body, want);
    uint32_t good = pl_ct_memeq(want, frag + PL_CBC_IV_LEN + body, mac_len);
    pl_ct_declassify(&good, sizeof good);
    ENSURE(good, SSL_ERR_RECORD_BAD_MAC);

    uint8_t *p = frag + PL_CBC_IV_LEN;
    memcpy(iv, frag, sizeof iv);
    TRY(pl_aes_cbc_decrypt(&st->aes, iv, p, p, body));
    size_t pad;
    good = check_padding(p, body, 0, &pad);
    pl_ct_declassify(&good, sizeof good);
    if (!good) {
        pl_wipe(p, body);
        return SSL_ERR_RECORD_BAD_MAC;
    }
    pl_ct_declassify(&pad, sizeof pad);
    plain->ptr = p;
    plain->len = body - 1 - pad;
    return 0;
}

int pl_tls_cbc_open(const pl_aead_ctx *ctx, const pl_suite *suite, int etm, uint64_t seq,
                    uint8_t type, uint16_t version, uint8_t *frag, size_t len, pl_slice *plain)
{
    const cbc_state *st = (const cbc_state *)(const void *)ctx->opaque;
    size_t mac_len = suite->mac->digest_len;
    if (etm) {
        return open_encrypt_then_mac(st, mac_len, seq, type, version, frag, len, plain);
    }
    return open_mac_then_encrypt(st, mac_len, seq, type, version, frag, len, plain);
}
