/* The TLS 1.2 key schedule: labels and seeds around the PRF (contracts in keys.h). */
#include "tls/keys.h"

#include "crypto/prf.h"

void pl_tls_master_secret(const pl_suite *suite, const uint8_t *pms, size_t pms_len,
                          const uint8_t client_random[PL_TLS_RANDOM_LEN],
                          const uint8_t server_random[PL_TLS_RANDOM_LEN],
                          uint8_t master[PL_TLS_MASTER_LEN])
{
    pl_prf_derive2(suite->prf, pms, pms_len, "master secret", client_random, PL_TLS_RANDOM_LEN,
                   server_random, PL_TLS_RANDOM_LEN, master, PL_TLS_MASTER_LEN);
}

void pl_tls_ems_master_secret(const pl_suite *suite, const uint8_t *pms, size_t pms_len,
                              const uint8_t *session_hash, size_t hash_len,
                              uint8_t master[PL_TLS_MASTER_LEN])
{
    pl_prf_derive(suite->prf, pms, pms_len, "extended master secret", session_hash, hash_len,
                  master, PL_TLS_MASTER_LEN);
}

void pl_tls_key_block(const pl_suite *suite, const uint8_t master[PL_TLS_MASTER_LEN],
                      const uint8_t client_random[PL_TLS_RANDOM_LEN],
                      const uint8_t server_random[PL_TLS_RANDOM_LEN], pl_tls_keys *keys)
{
    uint8_t block[2 * PL_TLS_MAX_MAC_LEN + 2 * PL_TLS_MAX_KEY_LEN + 2 * PL_TLS_MAX_IV_LEN];
    size_t m = suite->mac_key_len, k = suite->key_len, iv = suite->fixed_iv_len;
    /* Note the seed order: server_random first for the key block (RFC 5246 §6.3), the reverse
     * of the master secret's. */
    pl_prf_derive2(suite->prf, master, PL_TLS_MASTER_LEN, "key expansion", server_random,
                   PL_TLS_RANDOM_LEN, client_random, PL_TLS_RANDOM_LEN, block,
                   2 * m + 2 * k + 2 * iv);
    pl_tls_keys_wipe(keys);
    memcpy(keys->client_mac, block, m);
    memcpy(keys->server_mac, block + m, m);
    memcpy(keys->client_key, block + 2 * m, k);
    memcpy(keys->server_key, block + 2 * m + k, k);
    memcpy(keys->client_iv, block + 2 * m + 2 * k, iv);
    memcpy(keys->server_iv, block + 2 * m + 2 * k + iv, iv);
    pl_wipe(block, sizeof block);
}

void pl_tls_keys_wipe(pl_tls_keys *keys)
{
    pl_wipe(keys, sizeof *keys);
}

void pl_tls_finished(const pl_suite *suite, const uint8_t master[PL_TLS_MASTER_LEN],
                     int from_client, const uint8_t *transcript_hash, size_t hash_len,
                     uint8_t verify_data[PL_TLS_VERIFY_DATA_LEN])
{
    pl_prf_derive(suite->prf, master, PL_TLS_MASTER_LEN,
                  from_client ? "client finished" : "server finished", transcript_hash, hash_len,
                  verify_data, PL_TLS_VERIFY_DATA_LEN);
}

/* A nibble as a lowercase hex digit by arithmetic, not a table lookup indexed by the secret. */
static char hex_digit(unsigned n)
{
    /* (9 - n) >> 8 is all ones exactly when n > 9: then skip from '9'+1 to 'a' */
    return (char)('0' + n + (((9u - n) >> 8) & (unsigned)('a' - '0' - 10)));
}

static char *put_hex(char *out, const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        *out++ = hex_digit(p[i] >> 4);
        *out++ = hex_digit(p[i] & 15u);
    }
    return out;
}

void pl_tls_keylog_line(char line[PL_TLS_KEYLOG_LINE_LEN],
                        const uint8_t client_random[PL_TLS_RANDOM_LEN],
                        const uint8_t master[PL_TLS_MASTER_LEN])
{
    char *p = line;
    memcpy(p, "CLIENT_RANDOM ", 14);
    p = put_hex(p + 14, client_random, PL_TLS_RANDOM_LEN);
    *p++ = ' ';
    p = put_hex(p, master, PL_TLS_MASTER_LEN);
    *p++ = '\n';
    *p = '\0';
}
