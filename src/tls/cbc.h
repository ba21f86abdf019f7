/* TLS 1.2 CBC record protection (RFC 5246 §6.2.3.2): AES-CBC with an explicit random IV per
 * record and HMAC-SHA1 or HMAC-SHA256, either MAC-then-encrypt (RFC 5246) or encrypt-then-MAC
 * (RFC 7366) when both sides agreed to it.
 *
 * MAC-then-encrypt is the construction padding-oracle and Lucky Thirteen attacks live in, so
 * its check is written to tell an attacker nothing: after decryption, the padding check and the
 * MAC check run over every byte the record could hold and the same number of hash compression
 * calls whatever the padding length is, the received MAC is read from its secret position
 * without a secret-indexed load, and every failure — short record, bad padding, bad MAC — is the
 * same SSL_ERR_RECORD_BAD_MAC, decided only at the end. Time depends on the record's length,
 * which the network already shows.
 *
 * Encrypt-then-MAC checks the MAC over the ciphertext first (nothing secret then) and only
 * decrypts an authentic record.
 *
 * The state lives in a pl_aead_ctx's bytes, so the record layer keeps one cipher slot for either
 * kind of suite. */
#ifndef PL_TLS_CBC_H
#define PL_TLS_CBC_H

#include "base/cursor.h"
#include "crypto/aead.h"
#include "tls/suites.h"

#define PL_CBC_IV_LEN 16
#define PL_CBC_MAX_PADDING 256

/* Key the state: AES with key (suite->key_len bytes), HMAC with mac_key (suite->mac_key_len). */
void pl_tls_cbc_init(pl_aead_ctx *ctx, const pl_suite *suite, const uint8_t *key,
                     const uint8_t *mac_key);

/* The most a record's protection adds: IV, MAC and the longest padding (for the header's
 * record_overflow check). */
size_t pl_tls_cbc_max_expansion(const pl_suite *suite);

/* The fragment sealing len bytes makes: IV, data, MAC and the minimal padding (1..16 bytes),
 * the padding rounding data ‖ MAC (MAC-then-encrypt) or data alone (encrypt-then-MAC). */
size_t pl_tls_cbc_sealed_len(const pl_suite *suite, int etm, size_t len);

/* Protect len bytes of data as the fragment of one record (the header is the caller's): writes
 * IV ‖ E(data ‖ MAC ‖ padding) or, with etm, IV ‖ E(data ‖ padding) ‖ MAC. The IV comes from
 * pl_random. */
PL_MUST_CHECK int pl_tls_cbc_seal(const pl_aead_ctx *ctx, const pl_suite *suite, int etm,
                                  uint64_t seq, uint8_t type, uint16_t version,
                                  const uint8_t *data, size_t len, uint8_t *out);

/* Check and decrypt a record's fragment of len bytes in place; *plain gets the plaintext (inside
 * frag). SSL_ERR_RECORD_BAD_MAC for anything wrong, the same way every time. */
PL_MUST_CHECK int pl_tls_cbc_open(const pl_aead_ctx *ctx, const pl_suite *suite, int etm,
                                  uint64_t seq, uint8_t type, uint16_t version, uint8_t *frag,
                                  size_t len, pl_slice *plain);

#endif
