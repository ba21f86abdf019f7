/* HMAC (RFC 2104; FIPS 198-1) over any hash class:
 *
 *     HMAC(K, m) = H((K0 ^ opad) ‖ H((K0 ^ ipad) ‖ m))
 *
 * where K0 is the key (hashed first if longer than the block) zero-padded to the block.
 *
 * Keying costs two compression-function calls, so a key that MACs many messages (a record MAC
 * key, the PRF's secret) is keyed once into a pl_hmac_key, which holds the hash states after the
 * padded key blocks; each message then starts a pl_hmac_ctx from it by copying those states.
 * pl_hmac_init() is the shorthand for keying and starting in one step. Keys and contexts are
 * plain structs (the class pointer points at static data): assignment clones them. Wipe a key
 * with pl_hmac_key_wipe() when it goes out of use; pl_hmac_final() wipes its context, and a
 * context abandoned before final should be wiped with pl_wipe().
 *
 * Constant time: time depends on the key length, the message length and the class, never on the
 * key's or message's value. pl_hmac_final_verify() and pl_hmac_verify() compare the whole
 * (possibly truncated) tag with pl_ct_memeq.
 *
 * Not here: the TLS record MAC's sequence number and header (the record layer builds the
 * message), and the Lucky Thirteen countermeasures for CBC records (the record layer's job). */
#ifndef PL_CRYPTO_HMAC_H
#define PL_CRYPTO_HMAC_H

#include "crypto/hash.h"

/* The shortest truncated tag pl_hmac_verify() accepts: 80 bits, the floor of RFC 2104 §5. */
#define PL_HMAC_MIN_TAG_LEN 10

/* A key, ready to MAC: the hash states after absorbing K0 ^ ipad and K0 ^ opad (RFC 2104 §2
 * steps 1, 2 and 5). Holds key material: wipe it. */
typedef struct pl_hmac_key {
    const pl_hash_class *hash;
    pl_hash_ctx inner;
    pl_hash_ctx outer;
} pl_hmac_key;

/* One MAC computation in progress: the inner hash running over the message, and the keyed outer
 * state waiting for its digest. */
typedef struct pl_hmac_ctx {
    const pl_hash_class *hash;
    pl_hash_ctx inner;
    pl_hash_ctx outer;
} pl_hmac_ctx;

/* Key hash h with key_len bytes of key (any length; key may be NULL when key_len is 0). */
void pl_hmac_key_init(pl_hmac_key *k, const pl_hash_class *h, const uint8_t *key, size_t key_len);
void pl_hmac_key_wipe(pl_hmac_key *k);

/* Start a MAC under a prepared key; k is only read and can start any number of contexts. */
void pl_hmac_start(pl_hmac_ctx *c, const pl_hmac_key *k);

/* Key and start in one step: the same as pl_hmac_key_init() then pl_hmac_start(). */
void pl_hmac_init(pl_hmac_ctx *c, const pl_hash_class *h, const uint8_t *key, size_t key_len);
void pl_hmac_update(pl_hmac_ctx *c, const void *data, size_t len);
/* Write the c->hash->digest_len-byte tag to out and wipe the context. */
void pl_hmac_final(pl_hmac_ctx *c, uint8_t *out);

/* One shot: out gets h->digest_len bytes. */
void pl_hmac(const pl_hash_class *h, const uint8_t *key, size_t key_len, const void *data,
             size_t len, uint8_t *out);

/* Finish c and compare its tag, truncated to tag_len bytes (RFC 2104 §5: the leftmost bytes), with
 * tag in constant time; wipes the context. Returns 0 when they match, else
 * SSL_ERR_CRYPTO_AUTH_FAILED, which is also the answer for a tag_len shorter than
 * PL_HMAC_MIN_TAG_LEN or longer than the digest (the length is public and checked first). */
PL_MUST_CHECK int pl_hmac_final_verify(pl_hmac_ctx *c, const uint8_t *tag, size_t tag_len);

/* One shot of the above. */
PL_MUST_CHECK int pl_hmac_verify(const pl_hash_class *h, const uint8_t *key, size_t key_len,
                                 const void *data, size_t len, const uint8_t *tag, size_t tag_len);

#endif
