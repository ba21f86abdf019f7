/* The TLS 1.2 key schedule (src/tls/keys.c) and suite table (src/tls/suites.c) against the
 * recorded connections in tls12-trace/: master secret from the pre-master secret, the key block
 * cut into keys and IVs, the transcript hashes, both Finished verify_data and the key-log line,
 * for SHA-256 and SHA-384 suites, GCM and ChaCha20-Poly1305; and the Illustrated TLS 1.2
 * connection's CBC key block with its MAC keys. Skipped (exit 77) without them. */
#include <stdio.h>
#include <stdlib.h>

#include "pl_test.h"

#include "crypto/prf.h"
#include "tls/keys.h"

static const char *const openssl_traces[] = {
    "tls12-trace/openssl-ecdhe-ecdsa-aes128-gcm-sha256",
    "tls12-trace/openssl-ecdhe-rsa-chacha20-poly1305",
    "tls12-trace/openssl-ecdhe-rsa-aes256-gcm-sha384",
};

static pl_json *load_derived(const char *dir)
{
    char path[512];
    pl_json *j;
    snprintf(path, sizeof path, "%s/derived.json", dir);
    j = pl_json_load(pl_test_vector_path(path));
    assert_non_null(j);
    return j;
}

static void unhex_field(const pl_json *j, const char *key, uint8_t *out, size_t len)
{
    const char *hex = pl_json_get_str(j, key);
    assert_non_null(hex);
    pl_test_unhex_into(hex, out, len);
}

/* The key-log line the recording tool wrote. */
static void read_keylog_line(const char *dir, char *line, size_t cap)
{
    char path[512];
    FILE *f;
    snprintf(path, sizeof path, "%s/keylog.txt", dir);
    f = fopen(pl_test_vector_path(path), "r");
    assert_non_null(f);
    line[0] = '\0';
    while (fgets(line, (int)cap, f) != NULL && strncmp(line, "CLIENT_RANDOM ", 14) != 0) {
    }
    fclose(f);
    assert_int_equal(strncmp(line, "CLIENT_RANDOM ", 14), 0);
}

static void test_tls_keys_openssl_traces_key_block_finished_and_keylog(void **state)
{
    (void)state;
    for (size_t t = 0; t < PL_ARRAY_LEN(openssl_traces); t++) {
        pl_json *d = load_derived(openssl_traces[t]);
        const pl_suite *suite = pl_suite_by_name(pl_json_get_str(d, "cipher_suite"));
        const pl_json *msgs = pl_json_get(d, "handshake_messages_in_order");
        uint8_t cr[32], sr[32], master[48], vd[12], hash[64];
        char line[PL_TLS_KEYLOG_LINE_LEN], want_line[256];
        pl_tls_keys keys;
        pl_hash_ctx h;
        size_t hl;
        assert_non_null(suite);
        hl = suite->prf->digest_len;
        unhex_field(d, "client_random", cr, 32);
        unhex_field(d, "server_random", sr, 32);
        unhex_field(d, "master_secret", master, 48);

        pl_tls_key_block(suite, master, cr, sr, &keys);
        pl_test_assert_hex(keys.client_key, suite->key_len, pl_json_get_str(d, "client_write_key"));
        pl_test_assert_hex(keys.server_key, suite->key_len, pl_json_get_str(d, "server_write_key"));
        pl_test_assert_hex(keys.client_iv, suite->fixed_iv_len,
                           pl_json_get_str(d, "client_write_iv"));
        pl_test_assert_hex(keys.server_iv, suite->fixed_iv_len,
                           pl_json_get_str(d, "server_write_iv"));
        pl_tls_keys_wipe(&keys);

        /* The transcript through ClientKeyExchange is both the EMS session hash and the hash
         * the client's Finished covers. */
        suite->prf->init(&h);
        for (size_t i = 0; i < pl_json_len(msgs); i++) {
            size_t len;
            uint8_t *m = pl_test_unhex(pl_json_get_str(pl_json_at(msgs, i), "hex"), &len);
            suite->prf->update(&h, m, len);
            free(m);
        }
        {
            pl_hash_ctx copy = h;
            suite->prf->final(&copy, hash);
        }
        pl_test_assert_hex(hash, hl, pl_json_get_str(d, "session_hash_rfc7627"));
        pl_test_assert_hex(hash, hl, pl_json_get_str(d, "handshake_hash_for_client_finished"));
        pl_tls_finished(suite, master, 1, hash, hl, vd);
        pl_test_assert_hex(vd, 12, pl_json_get_str(d, "client_verify_data"));

        /* The server's Finished also covers the client's Finished message. */
        {
            uint8_t fin[4 + 12] = {20, 0, 0, 12};
            memcpy(fin + 4, vd, 12);
            suite->prf->update(&h, fin, sizeof fin);
            suite->prf->final(&h, hash);
        }
        pl_test_assert_hex(hash, hl, pl_json_get_str(d, "handshake_hash_for_server_finished"));
        pl_tls_finished(suite, master, 0, hash, hl, vd);
        pl_test_assert_hex(vd, 12, pl_json_get_str(d, "server_verify_data"));

        pl_tls_keylog_line(line, cr, master);
        read_keylog_line(openssl_traces[t], want_line, sizeof want_line);
        assert_string_equal(line, want_line);
        pl_json_free(d);
    }
}

/* The Illustrated TLS 1.2 Connection: X25519 output as pre-master secret to master secret (its
 * suite is CBC, but the master secret depends only on the PRF hash, SHA-256, which every
 * SHA-256 suite row shares). */
static void test_tls_keys_illustrated_master_secret(void **state)
{
    pl_json *d = load_derived("tls12-trace/illustrated-tls12");
    const pl_suite *sha256_suite = pl_suite_by_id(0xc02f);
    uint8_t cr[32], sr[32], pms[32], master[48];
    (void)state;
    unhex_field(d, "client_random", cr, 32);
    unhex_field(d, "server_random", sr, 32);
    unhex_field(d, "pre_master_secret", pms, 32);
    pl_tls_master_secret(sha256_suite, pms, sizeof pms, cr, sr, master);
    pl_test_assert_hex(master, 48, pl_json_get_str(d, "master_secret"));

    /* RFC 7627 §4 over the same connection's session hash (ClientHello..ClientKeyExchange).
     * The answer was computed with Python's hmac/hashlib, an independent implementation. */
    {
        uint8_t session_hash[32];
        unhex_field(d, "handshake_hash_for_client_finished_sha256", session_hash, 32);
        pl_tls_ems_master_secret(sha256_suite, pms, sizeof pms, session_hash, 32, master);
        pl_test_assert_hex(master, 48,
                           "960143e1bc0895e72b360f49c91132e440b1e3059e6df2dd894ffc6166d767c6"
                           "329bf5b76d383a24955dbf038178e4b0");
    }
    pl_json_free(d);
}

/* Does the suite name end with suffix (the MAC or PRF hash, "_SHA" or "_SHA256")? */
static int name_ends_with(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    return n >= k && strcmp(name + n - k, suffix) == 0;
}

/* The table: lookups both ways, the client's default order, and each row's sizes agreeing with
 * its protection. AEAD rows: the AEAD's key and nonce (RFC 5288 §3: 4-byte salt + 8-byte
 * explicit nonce; RFC 7905 §2: 12-byte IV), no MAC. CBC rows (RFC 5246 §6.2.3.2, §6.3, §A.5):
 * the AES key size the name says, HMAC-SHA1 for "_SHA" and HMAC-SHA256 for "_SHA256" with a
 * key of the digest's length, a 16-byte explicit IV per record and none from the key block,
 * and TLS 1.2's SHA-256 PRF. The CBC rows come after every AEAD row. */
static void test_tls_suites_table_is_consistent(void **state)
{
    static const uint16_t order[] = {0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8,
                                     0x009e, 0x009f, 0xccaa, 0x009c, 0x009d,
                                     0xc009, 0xc013, 0xc00a, 0xc014, 0xc027,
                                     0x002f, 0x0035, 0x003c, 0x003d};
    size_t cbc_rows = 0;
    (void)state;
    assert_int_equal(pl_suites_count, PL_ARRAY_LEN(order));
    for (size_t i = 0; i < pl_suites_count; i++) {
        const pl_suite *s = &pl_suites[i];
        assert_int_equal(s->id, order[i]);
        assert_ptr_equal(pl_suite_by_id(s->id), s);
        assert_ptr_equal(pl_suite_by_name(s->name), s);
        assert_true((strstr(s->name, "SHA384") != NULL) == (s->prf == &pl_sha384_class));
        assert_true((strstr(s->name, "_ECDSA_") != NULL) == pl_suite_signs_with_ecdsa(s));
        assert_true((strncmp(s->name, "TLS_RSA_", 8) == 0) == (s->kx == PL_KX_RSA));
        assert_true((strstr(s->name, "_CBC_") != NULL) == pl_suite_is_cbc(s));
        if (pl_suite_is_cbc(s)) {
            int aes128 = strstr(s->name, "_WITH_AES_128_CBC_") != NULL;
            int aes256 = strstr(s->name, "_WITH_AES_256_CBC_") != NULL;
            cbc_rows++;
            assert_true(aes128 != aes256);
            assert_int_equal(s->key_len, aes128 ? 16 : 32);
            if (name_ends_with(s->name, "_SHA")) {
                assert_ptr_equal(s->mac, &pl_sha1_class);
            } else {
                assert_true(name_ends_with(s->name, "_SHA256"));
                assert_ptr_equal(s->mac, &pl_sha256_class);
            }
            assert_int_equal(s->mac_key_len, s->mac->digest_len);
            assert_int_equal(s->record_iv_len, 16);
            assert_int_equal(s->fixed_iv_len, 0);
            assert_ptr_equal(s->prf, &pl_sha256_class);
        } else {
            const pl_aead_class *a = pl_aead_best(s->aead);
            assert_int_equal(cbc_rows, 0); /* no AEAD row after a CBC one */
            assert_null(s->mac);
            assert_int_equal(s->mac_key_len, 0);
            assert_int_equal(s->key_len, a->key_len);
            assert_int_equal(s->fixed_iv_len + s->record_iv_len, a->nonce_len);
        }
    }
    assert_int_equal(cbc_rows, 9);
    /* Suites padlock will never implement (suites.h): 3DES, RC4, NULL. */
    assert_null(pl_suite_by_id(0x000a));
    assert_null(pl_suite_by_name("TLS_RSA_WITH_3DES_EDE_CBC_SHA"));
    assert_null(pl_suite_by_id(0x0000));
    assert_null(pl_suite_by_name("TLS_RSA_WITH_RC4_128_SHA"));
}

/* The Illustrated TLS 1.2 Connection's key block for TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
 * (0xc013): 72 bytes cut into the client and server MAC keys (20 bytes each) first, then the
 * client and server write keys (16 each), and no IVs (RFC 5246 §6.3: TLS 1.2's CBC IVs are
 * explicit per record; the site's 104-byte block goes on with the IVs TLS 1.0 would use). */
static void test_tls_keys_illustrated_cbc_key_block_split(void **state)
{
    pl_json *d = load_derived("tls12-trace/illustrated-tls12");
    const pl_suite *suite = pl_suite_by_id(0xc013);
    uint8_t cr[32], sr[32], master[48], block[104], zero[PL_TLS_MAX_IV_LEN] = {0};
    pl_tls_keys keys;
    (void)state;
    assert_non_null(suite);
    unhex_field(d, "client_random", cr, 32);
    unhex_field(d, "server_random", sr, 32);
    unhex_field(d, "master_secret", master, 48);

    pl_tls_key_block(suite, master, cr, sr, &keys);
    pl_test_assert_hex(keys.client_mac, 20, pl_json_get_str(d, "client_write_mac_key"));
    pl_test_assert_hex(keys.server_mac, 20, pl_json_get_str(d, "server_write_mac_key"));
    pl_test_assert_hex(keys.client_key, 16, pl_json_get_str(d, "client_write_key"));
    pl_test_assert_hex(keys.server_key, 16, pl_json_get_str(d, "server_write_key"));
    assert_memory_equal(keys.client_iv, zero, sizeof zero);
    assert_memory_equal(keys.server_iv, zero, sizeof zero);
    /* the pieces, end to end, are the published key block */
    memcpy(block, keys.client_mac, 20);
    memcpy(block + 20, keys.server_mac, 20);
    memcpy(block + 40, keys.client_key, 16);
    memcpy(block + 56, keys.server_key, 16);
    pl_test_assert_hex(block, 72, pl_json_get_str(d, "key_block_72"));
    pl_tls_keys_wipe(&keys);

    /* the same PRF run on to 104 bytes gives the site's longer block and its unused IVs */
    pl_prf_derive2(suite->prf, master, 48, "key expansion", sr, 32, cr, 32, block, 104);
    pl_test_assert_hex(block, 104, pl_json_get_str(d, "key_block_104_as_shown_on_site"));
    pl_test_assert_hex(block + 72, 16, pl_json_get_str(d, "client_write_iv_unused"));
    pl_test_assert_hex(block + 88, 16, pl_json_get_str(d, "server_write_iv_unused"));
    pl_json_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tls_suites_table_is_consistent),
        cmocka_unit_test(test_tls_keys_openssl_traces_key_block_finished_and_keylog),
        cmocka_unit_test(test_tls_keys_illustrated_master_secret),
        cmocka_unit_test(test_tls_keys_illustrated_cbc_key_block_split),
    };
    pl_test_require_vectors();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
