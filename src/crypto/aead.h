/* The AEAD class: the one interface the record layer uses for every AEAD cipher suite.
 *
 * A class is a const struct of sizes and functions; a suite names the class, never a primitive.
 * Portable and accelerated implementations of one algorithm are separate instances with
 * identical behaviour (tests run them against each other), and pl_aead_best() picks one by CPUID.
 *
 * Nonces are explicit: the caller (the record layer) builds the full 12-byte nonce for each
 * record — salt ‖ explicit part for AES-GCM (RFC 5288 §3), IV XOR sequence number for
 * ChaCha20-Poly1305 (RFC 7905 §2). Keys and nonces are the caller's to keep unique.
 *
 * Constant time: seal and open take time that depends on aad_len and len only, never on the key,
 * the nonce, the data or (for open) where a wrong tag differs. */
#ifndef PL_CRYPTO_AEAD_H
#define PL_CRYPTO_AEAD_H

#include <stdalign.h>

#include "base/pl.h"

#define PL_AEAD_NONCE_LEN 12
#define PL_AEAD_TAG_LEN 16
#define PL_AEAD_MAX_KEY_LEN 32
#define PL_AEAD_CTX_MAX 2048

/* Storage for any class's expanded key. Each implementation casts it to its own context type and
 * checks with a _Static_assert that the type fits. It holds no pointers into itself, so it may
 * be copied; wipe it with pl_wipe() when done. */
typedef struct pl_aead_ctx {
    alignas(64) uint8_t opaque[PL_AEAD_CTX_MAX];
} pl_aead_ctx;

typedef struct pl_aead_class {
    const char *name; /* "AES-128-GCM", "AES-256-GCM", "ChaCha20-Poly1305" */
    const char *impl; /* which implementation: "portable", "aesni-clmul", "avx2", ... */
    size_t key_len;
    size_t nonce_len; /* PL_AEAD_NONCE_LEN */
    size_t tag_len;   /* PL_AEAD_TAG_LEN */

    /* Expand key (key_len bytes) into ctx. */
    void (*init)(pl_aead_ctx *ctx, const uint8_t *key);

    /* Encrypt len bytes from in to out and write the tag_len-byte tag over aad and ciphertext.
     * out may equal in (in place) but must not otherwise overlap it. */
    void (*seal)(const pl_aead_ctx *ctx, const uint8_t *nonce, const uint8_t *aad, size_t aad_len,
                 const uint8_t *in, uint8_t *out, size_t len, uint8_t *tag);

    /* Check the tag over aad and the ciphertext in, and decrypt len bytes to out (out may equal
     * in). Returns 0, or SSL_ERR_CRYPTO_AUTH_FAILED with out zeroed, so unauthenticated
     * plaintext is never released. The tag is compared in constant time. */
    int (*open)(const pl_aead_ctx *ctx, const uint8_t *nonce, const uint8_t *aad, size_t aad_len,
                const uint8_t *in, uint8_t *out, size_t len, const uint8_t *tag);
} pl_aead_class;

/* Every implementation; the accelerated ones may only be used when pl_cpu_features() has the
 * bits their *_usable() says (pl_aead_best() checks). */
extern const pl_aead_class pl_aes128_gcm_portable;
extern const pl_aead_class pl_aes256_gcm_portable;
extern const pl_aead_class pl_chacha20_poly1305_portable;

enum pl_aead_alg {
    PL_AEAD_AES128_GCM,
    PL_AEAD_AES256_GCM,
    PL_AEAD_CHACHA20_POLY1305,
};

/* The fastest usable implementation in each module (gcm*.c, chacha20_poly1305*.c). */
const pl_aead_class *pl_aes_gcm_best(size_t key_len); /* key_len 16 or 32 */
const pl_aead_class *pl_chacha20_poly1305_best(void);

/* The fastest implementation of alg this CPU can run (respecting pl_cpu_restrict()). Never
 * NULL for a valid alg. */
const pl_aead_class *pl_aead_best(enum pl_aead_alg alg);

#endif
