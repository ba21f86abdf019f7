/* HMAC (RFC 2104 §2; FIPS 198-1 §4) over a hash class, with keys prepared once (see hmac.h).
 * It does not check that a truncated tag is at least half the digest (RFC 2104 §5 recommends
 * it); only the 80-bit floor is enforced, in pl_hmac_final_verify(). */
#include "base/ct.h"
#include "crypto/hmac.h"

#define IPAD 0x36
#define OPAD 0x5c

void pl_hmac_key_init(pl_hmac_key *k, const pl_hash_class *h, const uint8_t *key, size_t key_len)
{
    uint8_t k0[PL_HASH_MAX_BLOCK_LEN];
    uint8_t pad[PL_HASH_MAX_BLOCK_LEN];
    size_t b = h->block_len;

    /* Steps 1-3 of FIPS 198-1 §4: K0 is K itself when it fits in a block, else H(K); either way
     * zero-padded to B bytes. Which branch runs depends on the key's length only. */
    memset(k0, 0, sizeof k0);
    if (key_len > b) {
        h->init(&k->inner);
        h->update(&k->inner, key, key_len);
        h->final(&k->inner, k0);
    } else if (key_len > 0) {
        memcpy(k0, key, key_len);
    }

    k->hash = h;
    for (size_t i = 0; i < b; i++) {
        pad[i] = (uint8_t)(k0[i] ^ IPAD);
    }
    h->init(&k->inner);
    h->update(&k->inner, pad, b);
    for (size_t i = 0; i < b; i++) {
        pad[i] = (uint8_t)(k0[i] ^ OPAD);
    }
    h->init(&k->outer);
    h->update(&k->outer, pad, b);

    pl_wipe(k0, sizeof k0);
    pl_wipe(pad, sizeof pad);
}

void pl_hmac_key_wipe(pl_hmac_key *k)
{
    pl_wipe(k, sizeof *k);
}

void pl_hmac_start(pl_hmac_ctx *c, const pl_hmac_key *k)
{
    c->hash = k->hash;
    c->inner = k->inner;
    c->outer = k->outer;
}

void pl_hmac_init(pl_hmac_ctx *c, const pl_hash_class *h, const uint8_t *key, size_t key_len)
{
    pl_hmac_key k;
    pl_hmac_key_init(&k, h, key, key_len);
    pl_hmac_start(c, &k);
    pl_hmac_key_wipe(&k);
}

void pl_hmac_update(pl_hmac_ctx *c, const void *data, size_t len)
{
    c->hash->update(&c->inner, data, len);
}

void pl_hmac_final(pl_hmac_ctx *c, uint8_t *out)
{
    const pl_hash_class *h = c->hash;
    uint8_t inner[PL_HASH_MAX_LEN];
    /* RFC 2104 §2 steps 4-7: the inner digest goes through the keyed outer hash. */
    h->final(&c->inner, inner);
    h->update(&c->outer, inner, h->digest_len);
    h->final(&c->outer, out);
    pl_wipe(inner, sizeof inner);
    pl_wipe(c, sizeof *c);
}

void pl_hmac(const pl_hash_class *h, const uint8_t *key, size_t key_len, const void *data,
             size_t len, uint8_t *out)
{
    pl_hmac_ctx c;
    pl_hmac_init(&c, h, key, key_len);
    pl_hmac_update(&c, data, len);
    pl_hmac_final(&c, out);
}

int pl_hmac_final_verify(pl_hmac_ctx *c, const uint8_t *tag, size_t tag_len)
{
    uint8_t mac[PL_HASH_MAX_LEN];
    uint32_t ok;
    size_t digest_len = c->hash->digest_len;
    pl_hmac_final(c, mac);
    /* tag_len is public (it is fixed by the protocol), so this branch reveals nothing. */
    if (tag_len < PL_HMAC_MIN_TAG_LEN || tag_len > digest_len) {
        pl_wipe(mac, sizeof mac);
        return SSL_ERR_CRYPTO_AUTH_FAILED;
    }
    ok = pl_ct_memeq(mac, tag, tag_len);
    pl_wipe(mac, sizeof mac);
    /* The verdict is public (the caller acts on it); which bytes differed is not, and
     * pl_ct_memeq does not reveal it. */
    pl_ct_declassify(&ok, sizeof ok);
    return ok ? 0 : SSL_ERR_CRYPTO_AUTH_FAILED;
}

int pl_hmac_verify(const pl_hash_class *h, const uint8_t *key, size_t key_len, const void *data,
                   size_t len, const uint8_t *tag, size_t tag_len)
{
    pl_hmac_ctx c;
    pl_hmac_init(&c, h, key, key_len);
    pl_hmac_update(&c, data, len);
    return pl_hmac_final_verify(&c, tag, tag_len);
}
