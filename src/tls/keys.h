/* The TLS 1.2 key schedule (RFC 5246 §8.1, §6.3, §7.4.9; RFC 7627 §4): from the pre-master
 * secret to the master secret, the key block and its split into write keys and IVs, the
 * Finished verify_data, and the NSS key-log line for debugging tools.
 *
 * Every function here is a PRF call with the right label and seed for the suite's hash; none
 * can fail. Outputs that are secrets are the caller's to wipe (pl_tls_keys_wipe for the keys).
 * Constant time: as the PRF — time depends on lengths only.
 *
 * Not here: the transcript hash itself (the handshake keeps it), TLS 1.3's schedule. */
#ifndef PL_TLS_KEYS_H
#define PL_TLS_KEYS_H

#include "tls/suites.h"

#define PL_TLS_RANDOM_LEN 32
#define PL_TLS_MASTER_LEN 48
#define PL_TLS_VERIFY_DATA_LEN 12
#define PL_TLS_MAX_KEY_LEN 32
#define PL_TLS_MAX_IV_LEN 12
#define PL_TLS_MAX_MAC_LEN 32
/* "CLIENT_RANDOM " + 64 hex + " " + 96 hex + "\n" + NUL */
#define PL_TLS_KEYLOG_LINE_LEN (14 + 64 + 1 + 96 + 1 + 1)

/* RFC 5246 §8.1: master_secret = PRF(pre_master_secret, "master secret",
 * ClientHello.random + ServerHello.random)[0..47]. */
void pl_tls_master_secret(const pl_suite *suite, const uint8_t *pms, size_t pms_len,
                          const uint8_t client_random[PL_TLS_RANDOM_LEN],
                          const uint8_t server_random[PL_TLS_RANDOM_LEN],
                          uint8_t master[PL_TLS_MASTER_LEN]);

/* RFC 7627 §4: master_secret = PRF(pre_master_secret, "extended master secret",
 * session_hash)[0..47], where session_hash is the suite's PRF hash over the handshake messages
 * from ClientHello up to and including ClientKeyExchange. hash_len must be the PRF hash's
 * digest length. */
void pl_tls_ems_master_secret(const pl_suite *suite, const uint8_t *pms, size_t pms_len,
                              const uint8_t *session_hash, size_t hash_len,
                              uint8_t master[PL_TLS_MASTER_LEN]);

/* One direction's record protection keys. */
typedef struct pl_tls_keys {
    uint8_t client_mac[PL_TLS_MAX_MAC_LEN];   /* CBC suites: suite->mac_key_len bytes */
    uint8_t server_mac[PL_TLS_MAX_MAC_LEN];
    uint8_t client_key[PL_TLS_MAX_KEY_LEN];
    uint8_t server_key[PL_TLS_MAX_KEY_LEN];
    uint8_t client_iv[PL_TLS_MAX_IV_LEN]; /* suite->fixed_iv_len bytes used */
    uint8_t server_iv[PL_TLS_MAX_IV_LEN];
} pl_tls_keys;

/* RFC 5246 §6.3: key_block = PRF(master_secret, "key expansion", server_random +
 * client_random), cut into client_write_MAC_key, server_write_MAC_key (CBC suites only; the
 * AEAD suites have none), client_write_key, server_write_key, client_write_IV,
 * server_write_IV (AEAD suites only). */
void pl_tls_key_block(const pl_suite *suite, const uint8_t master[PL_TLS_MASTER_LEN],
                      const uint8_t client_random[PL_TLS_RANDOM_LEN],
                      const uint8_t server_random[PL_TLS_RANDOM_LEN], pl_tls_keys *keys);

void pl_tls_keys_wipe(pl_tls_keys *keys);

/* RFC 5246 §7.4.9: verify_data = PRF(master_secret, finished_label,
 * Hash(handshake_messages))[0..11], finished_label "client finished" or "server finished".
 * transcript_hash is the suite's PRF hash over every handshake message before this Finished. */
void pl_tls_finished(const pl_suite *suite, const uint8_t master[PL_TLS_MASTER_LEN],
                     int from_client, const uint8_t *transcript_hash, size_t hash_len,
                     uint8_t verify_data[PL_TLS_VERIFY_DATA_LEN]);

/* The NSS key log format line "CLIENT_RANDOM <client_random> <master_secret>\n" in lowercase
 * hex, NUL-terminated, as Wireshark reads it. It reveals the connection's master secret:
 * written only where the application asked for a key log. */
void pl_tls_keylog_line(char line[PL_TLS_KEYLOG_LINE_LEN],
                        const uint8_t client_random[PL_TLS_RANDOM_LEN],
                        const uint8_t master[PL_TLS_MASTER_LEN]);

#endif
