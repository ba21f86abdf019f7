/* Trust stores (src/x509/store.c): PEM bundles with bad blocks and bad certificates in them,
 * files, directories, duplicates, and the system bundle when the machine has one. */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pl_test.h"

#include "x509/store.h"

#include "../data/certs/certs.inc"

/* RFC 4648 base64 with 64-character lines, between BEGIN and END lines. */
static void append_pem(char *out, size_t cap, const char *label, const uint8_t *der, size_t len)
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(out), col = 0;
    n += (size_t)snprintf(out + n, cap - n, "-----BEGIN %s-----\n", label);
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)der[i] << 16;
        v |= i + 1 < len ? (uint32_t)der[i + 1] << 8 : 0;
        v |= i + 2 < len ? der[i + 2] : 0;
        out[n++] = b64[v >> 18];
        out[n++] = b64[(v >> 12) & 63];
        out[n++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
        out[n++] = i + 2 < len ? b64[v & 63] : '=';
        col += 4;
        if (col == 64) {
            out[n++] = '\n';
            col = 0;
        }
    }
    out[n] = '\0';
    snprintf(out + n, cap - n, "%s-----END %s-----\n", col ? "\n" : "", label);
}

static char bundle[64 * 1024];

static void make_bundle(void)
{
    static uint8_t broken[sizeof cert_ca_ec];
    memcpy(broken, cert_ca_ec, sizeof broken);
    broken[sizeof broken / 2] ^= 0xff; /* most likely breaks some field */
    bundle[0] = '\0';
    strcat(bundle, "Explanatory text before the first block\n");
    append_pem(bundle, sizeof bundle, "CERTIFICATE", cert_ca_rsa, sizeof cert_ca_rsa);
    strcat(bundle, "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
    append_pem(bundle, sizeof bundle, "CERTIFICATE", cert_leaf_rsa, 100); /* truncated DER */
    append_pem(bundle, sizeof bundle, "PRIVATE KEY", cert_ca_rsa, 10);    /* ignored */
    append_pem(bundle, sizeof bundle, "CERTIFICATE", cert_ca_ec, sizeof cert_ca_ec);
    append_pem(bundle, sizeof bundle, "CERTIFICATE", cert_ca_rsa, sizeof cert_ca_rsa); /* dup */
}

static void test_store_bundle_skips_bad_certificates(void **state)
{
    pl_x509_store store;
    size_t added;
    (void)state;
    make_bundle();
    pl_x509_store_init(&store);
    assert_int_equal(pl_x509_store_add_pem(&store, (const uint8_t *)bundle, strlen(bundle),
                                           &added), 0);
    assert_int_equal(store.count, 2);   /* the RSA CA once, the EC CA */
    assert_int_equal(added, 3);         /* the duplicate was read */
    assert_int_equal(store.skipped, 2); /* bad base64, truncated DER */
    assert_int_equal(store.entries[0].cert.der.len, sizeof cert_ca_rsa);
    assert_memory_equal(store.entries[1].cert.der.ptr, cert_ca_ec, sizeof cert_ca_ec);
    assert_true(store.entries[0].cert.ca);
    pl_x509_store_free(&store);
    assert_int_equal(store.count, 0);
}

static void test_store_files_and_directories(void **state)
{
    char dir[] = "/tmp/padlock-store-XXXXXX", path[256];
    pl_x509_store store;
    FILE *f;
    (void)state;
    make_bundle();
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/bundle.pem", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(bundle, f);
    fclose(f);
    snprintf(path, sizeof path, "%s/notes.txt", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("no certificates here\n", f);
    fclose(f);

    pl_x509_store_init(&store);
    snprintf(path, sizeof path, "%s/bundle.pem", dir);
    assert_int_equal(pl_x509_store_load_file(&store, path), 0);
    assert_int_equal(store.count, 2);
    snprintf(path, sizeof path, "%s/notes.txt", dir);
    assert_int_equal(pl_x509_store_load_file(&store, path), SSL_ERR_STORE_EMPTY);
    snprintf(path, sizeof path, "%s/missing.pem", dir);
    assert_int_equal(pl_x509_store_load_file(&store, path), SSL_ERR_STORE_READ);
    pl_x509_store_free(&store);

    pl_x509_store_init(&store);
    assert_int_equal(pl_x509_store_load_dir(&store, dir), 0);
    assert_int_equal(store.count, 2);
    assert_int_equal(pl_x509_store_load_dir(&store, "/nonexistent/padlock"),
                     SSL_ERR_STORE_READ);
    pl_x509_store_free(&store);

    snprintf(path, sizeof path, "%s/bundle.pem", dir);
    unlink(path);
    pl_x509_store_init(&store);
    assert_int_equal(pl_x509_store_load_dir(&store, dir), SSL_ERR_STORE_EMPTY);
    pl_x509_store_free(&store);
    snprintf(path, sizeof path, "%s/notes.txt", dir);
    unlink(path);
    rmdir(dir);
}

/* The machine's own bundle, when there is one: it loads, and what is skipped is counted. */
static void test_store_system_bundle(void **state)
{
    pl_x509_store store;
    (void)state;
    if (access(PL_STORE_DEFAULT_FILE, R_OK) != 0) {
        skip();
    }
    pl_x509_store_init(&store);
    assert_int_equal(pl_x509_store_load_file(&store, PL_STORE_DEFAULT_FILE), 0);
    printf("system bundle: %zu certificates loaded, %zu skipped\n", store.count, store.skipped);
    assert_true(store.count > 50);
    pl_x509_store_free(&store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_bundle_skips_bad_certificates),
        cmocka_unit_test(test_store_files_and_directories),
        cmocka_unit_test(test_store_system_bundle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
