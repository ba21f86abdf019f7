/* The TLS 1.2 PRF against the shared vector files: every vector of
 * tls12-prf/prf_vectors.json (P_SHA256, P_SHA384, P_SHA512), and the PRF outputs of the recorded
 * connections in tls12-trace/ (master secret, key block, Finished verify_data). Skipped (exit 77)
 * when the vectors are missing. */
#include <stdio.h>
#include <stdlib.h>

#include "pl_test.h"

#include "base/cpu.h"
#include "crypto/prf.h"

static const struct {
    const char *name;
    uint32_t mask;
} impls[] = {
    {"portable", 0},
    {"accelerated", PL_CPU_ALL},
};

static const pl_hash_class *class_named(const char *name)
{
    static const pl_hash_class *const classes[] = {
        &pl_sha1_class, &pl_sha256_class, &pl_sha384_class, &pl_sha512_class,
    };
    for (size_t i = 0; i < PL_ARRAY_LEN(classes); i++) {
        if (strcmp(classes[i]->name, name) == 0) {
            return classes[i];
        }
    }
    fail_msg("unknown hash %s", name);
    return NULL;
}

static void test_every_prf_vector_file_entry_matches(void **state)
{
    pl_json *root = pl_json_load(pl_test_vector_path("tls12-prf/prf_vectors.json"));
    const pl_json *vectors;
    size_t ran = 0;
    (void)state;
    assert_non_null(root);
    vectors = pl_json_get(root, "vectors");
    assert_non_null(vectors);
    for (size_t i = 0; i < PL_ARRAY_LEN(impls); i++) {
        pl_cpu_restrict(impls[i].mask);
        for (size_t v = 0; v < pl_json_len(vectors); v++) {
            const pl_json *vec = pl_json_at(vectors, v);
            const pl_hash_class *cls = class_named(pl_json_get_str(vec, "hash"));
            const char *label = pl_json_get_str(vec, "label");
            size_t length = (size_t)pl_json_get_num(vec, "length", 0);
            size_t secret_len, seed_len, label_len, out_len;
            uint8_t *secret = pl_test_unhex(pl_json_get_str(vec, "secret"), &secret_len);
            uint8_t *seed = pl_test_unhex(pl_json_get_str(vec, "seed"), &seed_len);
            uint8_t *label_bytes = pl_test_unhex(pl_json_get_str(vec, "label_hex"), &label_len);
            uint8_t *want = pl_test_unhex(pl_json_get_str(vec, "output"), &out_len);
            uint8_t *out = malloc(length + 1);
            assert_non_null(label);
            assert_non_null(out);
            assert_int_equal(out_len, length);
            assert_int_equal(label_len, strlen(label));
            assert_memory_equal(label_bytes, label, label_len);
            pl_prf_derive(cls, secret, secret_len, label, seed, seed_len, out, length);
            if (memcmp(out, want, length) != 0) {
                pl_test_assert_hex(out, length, pl_json_get_str(vec, "output"));
            }
            printf("  %s: %s (P_%s, %zu bytes) ok\n", impls[i].name,
                   pl_json_get_str(vec, "name"), cls->name, length);
            ran++;
            free(secret);
            free(seed);
            free(label_bytes);
            free(want);
            free(out);
        }
    }
    pl_cpu_restrict(PL_CPU_ALL);
    printf("prf_vectors.json: %zu vectors, each through %zu implementations: %zu runs, 0 failed\n",
           pl_json_len(vectors), PL_ARRAY_LEN(impls), ran);
    assert_int_equal(pl_json_len(vectors), 7);
    pl_json_free(root);
}

/* PRF(secret, label, seed) truncated to the length of the hex string want. */
static void check_prf(const pl_hash_class *cls, const char *secret_hex, const char *label,
                      const char *seed1_hex, const char *seed2_hex, const char *want)
{
    size_t secret_len, seed1_len, seed2_len = 0, len = strlen(want) / 2;
    uint8_t *secret = pl_test_unhex(secret_hex, &secret_len);
    uint8_t *seed1 = pl_test_unhex(seed1_hex, &seed1_len);
    uint8_t *seed2 = seed2_hex != NULL ? pl_test_unhex(seed2_hex, &seed2_len) : NULL;
    uint8_t *out = malloc(len);
    assert_non_null(out);
    pl_prf_derive2(cls, secret, secret_len, label, seed1, seed1_len, seed2, seed2_len, out, len);
    pl_test_assert_hex(out, len, want);
    free(secret);
    free(seed1);
    free(seed2);
    free(out);
}

/* RFC 5246 §8.1 (master secret), §6.3 (key block) and §7.4.9 (verify_data) on the recorded
 * connections; the PRF hash is SHA-384 for the *_SHA384 suite, SHA-256 otherwise. */
static void test_recorded_connections_key_schedule_outputs_match(void **state)
{
    static const char *const traces[] = {
        "illustrated-tls12",
        "openssl-ecdhe-ecdsa-aes128-gcm-sha256",
        "openssl-ecdhe-rsa-chacha20-poly1305",
        "openssl-ecdhe-rsa-aes256-gcm-sha384",
    };
    (void)state;
    for (size_t t = 0; t < PL_ARRAY_LEN(traces); t++) {
        char rel[256];
        pl_json *d;
        const char *suite, *cr, *sr, *ms, *pms, *kb;
        const pl_hash_class *cls;
        snprintf(rel, sizeof rel, "tls12-trace/%s/derived.json", traces[t]);
        d = pl_json_load(pl_test_vector_path(rel));
        assert_non_null(d);
        suite = pl_json_get_str(d, "cipher_suite");
        assert_non_null(suite);
        cls = strstr(suite, "SHA384") != NULL ? &pl_sha384_class : &pl_sha256_class;
        cr = pl_json_get_str(d, "client_random");
        sr = pl_json_get_str(d, "server_random");
        ms = pl_json_get_str(d, "master_secret");
        pms = pl_json_get_str(d, "pre_master_secret");
        kb = pl_json_get_str(d, "key_block") != NULL ? pl_json_get_str(d, "key_block")
                                                       : pl_json_get_str(d, "key_block_72");
        assert_non_null(cr);
        assert_non_null(sr);
        assert_non_null(ms);
        assert_non_null(kb);
        if (pms != NULL) {
            check_prf(cls, pms, "master secret", cr, sr, ms);
        }
        check_prf(cls, ms, "key expansion", sr, cr, kb);
        {
            const char *hc = pl_json_get_str(d, "handshake_hash_for_client_finished");
            const char *hs = pl_json_get_str(d, "handshake_hash_for_server_finished");
            if (hc == NULL) {
                hc = pl_json_get_str(d, "handshake_hash_for_client_finished_sha256");
                hs = pl_json_get_str(d, "handshake_hash_for_server_finished_sha256");
            }
            assert_non_null(hc);
            assert_non_null(hs);
            check_prf(cls, ms, "client finished", hc, NULL,
                      pl_json_get_str(d, "client_verify_data"));
            check_prf(cls, ms, "server finished", hs, NULL,
                      pl_json_get_str(d, "server_verify_data"));
        }
        printf("  %s: P_%s: %s, key block (%zu bytes), both verify_data ok\n", traces[t],
               cls->name, pms != NULL ? "master secret" : "no pre-master secret to check",
               strlen(kb) / 2);
        pl_json_free(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_prf_vector_file_entry_matches),
        cmocka_unit_test(test_recorded_connections_key_schedule_outputs_match),
    };
    pl_test_require_vectors();
    return cmocka_run_group_tests_name("vectors_prf", tests, NULL, NULL);
}
