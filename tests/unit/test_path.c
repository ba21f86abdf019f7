/* Path building and validation (src/x509/path.c, sig.c) over the chains of tests/data/chains
 * (see make.sh there): the good chain; extras, decoys and wrong order; and one chain per rule,
 * each refused with its error, at the right depth, with a sentence that names it. Times are
 * taken relative to the certificates' own validity so the fixtures never go stale. */
#include "pl_test.h"

#include "x509/path.h"

#include "../data/chains/chains.inc"

#define DAY 86400

struct der {
    const uint8_t *p;
    size_t n;
};

struct chain {
    pl_cert leaf;
    pl_cert untrusted[8];
    size_t untrusted_count;
    pl_x509_store anchors;
};

static void load(struct chain *c, struct der leaf_der, const struct der *untrusted, size_t nu,
                 const struct der *anchors, size_t na)
{
    assert_int_equal(pl_cert_parse(&c->leaf, leaf_der.p, leaf_der.n), 0);
    c->untrusted_count = nu;
    for (size_t i = 0; i < nu; i++) {
        assert_int_equal(pl_cert_parse(&c->untrusted[i], untrusted[i].p, untrusted[i].n), 0);
    }
    pl_x509_store_init(&c->anchors);
    for (size_t i = 0; i < na; i++) {
        assert_int_equal(pl_x509_store_add_der(&c->anchors, anchors[i].p, anchors[i].n), 0);
    }
}

/* Verify at `offset` seconds after the leaf's notBefore (plus a day: issuers made the same
 * second are valid), for host (or none), with max intermediates (< 0: default). */
static int check(struct der leaf_der, const struct der *untrusted, size_t nu,
                 const struct der *anchors, size_t na, const char *host, int64_t offset,
                 int max, pl_x509_result *res)
{
    struct chain c;
    pl_x509_verify_opts opts;
    int rc;
    load(&c, leaf_der, untrusted, nu, anchors, na);
    opts.now = c.leaf.not_before + DAY + offset;
    opts.host = host;
    opts.max_intermediates = max;
    rc = pl_x509_verify(&c.leaf, c.untrusted, c.untrusted_count, &c.anchors, &opts, res);
    assert_int_equal(rc, res->error);
    pl_x509_store_free(&c.anchors);
    return rc;
}

#define ARR(...) (const struct der[]){__VA_ARGS__}, PL_ARRAY_LEN(((const struct der[]){__VA_ARGS__}))
#define D(name) {chain_##name, sizeof chain_##name}
#define NONE NULL, 0

static void expect(int rc, const pl_x509_result *res, int want, int depth, const char *words)
{
    if (rc != want) {
        fail_msg("got %s (%s), want %s", rc ? ssl_error_name(rc) : "success", res->detail,
                 want ? ssl_error_name(want) : "success");
    }
    if (want != 0) {
        assert_int_equal(res->depth, depth);
        if (words != NULL && strstr(res->detail, words) == NULL) {
            fail_msg("detail \"%s\" lacks \"%s\"", res->detail, words);
        }
    }
}

static void test_path_good_chain_and_host_names(void **state)
{
    pl_x509_result res;
    int rc;
    (void)state;
    rc = check((struct der)D(leaf), ARR(D(int)), ARR(D(root)), "www.example.com", 0, -1, &res);
    expect(rc, &res, 0, 0, NULL);
    assert_int_equal(res.path_len, 3);
    rc = check((struct der)D(leaf), ARR(D(int)), ARR(D(root)), "a.example.com", 0, -1, &res);
    expect(rc, &res, 0, 0, NULL);
    rc = check((struct der)D(leaf), ARR(D(int)), ARR(D(root)), "127.0.0.1", 0, -1, &res);
    expect(rc, &res, 0, 0, NULL);
    rc = check((struct der)D(leaf), ARR(D(int)), ARR(D(root)), "example.com", 0, -1, &res);
    expect(rc, &res, SSL_ERR_CERT_NAME_MISMATCH, 0, "no subjectAltName entry matches");
    rc = check((struct der)D(leaf), ARR(D(int)), ARR(D(root)), "127.0.0.2", 0, -1, &res);
    expect(rc, &res, SSL_ERR_CERT_NAME_MISMATCH, 0, "127.0.0.2");
    rc = check((struct der)D(leaf), ARR(D(int)), ARR(D(root)), NULL, 0, -1, &res);
    expect(rc, &res, 0, 0, NULL);
}

static void test_path_building_order_extras_decoys(void **state)
{
    pl_x509_result res;
    int rc;
    (void)state;
    /* a decoy with int's name but another key comes first; unrelated extras; any order */
    rc = check((struct der)D(leaf), ARR(D(decoy), D(pl_int1), D(nc_int), D(int)), ARR(D(root)),
               "www.example.com", 0, -1, &res);
    expect(rc, &res, 0, 0, NULL);
    assert_ptr_equal(res.path[1]->der.ptr, chain_int);
    /* only the decoy: its subject key identifier is not the leaf's authority key identifier,
     * so it is not even a candidate */
    rc = check((struct der)D(leaf), ARR(D(decoy)), ARR(D(root)), NULL, 0, -1, &res);
    expect(rc, &res, SSL_ERR_CERT_UNKNOWN_ISSUER, 0, "Padlock Int");
    /* the right issuer, a tampered signature */
    {
        static uint8_t tampered[sizeof chain_leaf];
        memcpy(tampered, chain_leaf, sizeof tampered);
        tampered[sizeof tampered - 5] ^= 0x01; /* inside the ECDSA signature's s */
        rc = check((struct der){tampered, sizeof tampered}, ARR(D(int)), ARR(D(root)), NULL, 0,
                   -1, &res);
        expect(rc, &res, SSL_ERR_CERT_BAD_SIGNATURE, 0, "signature does not verify");
    }
    /* nothing leads to an anchor */
    rc = check((struct der)D(leaf), NONE, ARR(D(root)), NULL, 0, -1, &res);
    expect(rc, &res, SSL_ERR_CERT_UNKNOWN_ISSUER, 0, "Padlock Int");
    rc = check((struct der)D(leaf), ARR(D(int)), ARR(D(root_pathlen0)), NULL, 0, -1, &res);
    expect(rc, &res, SSL_ERR_CERT_UNKNOWN_ISSUER, 1, "Padlock Root");
    /* the intermediate is also trusted: the path stops there */
    rc = check((struct der)D(leaf), NONE, ARR(D(int)), NULL, 0, -1, &res);
    expect(rc, &res, 0, 0, NULL);
    assert_int_equal(res.path_len, 2);
}

static void test_path_validity_periods(void **state)
{
    pl_x509_result res;
    struct chain c;
    int rc;
    (void)state;
    load(&c, (struct der)D(leaf), NONE, NONE);
    pl_x509_store_free(&c.anchors);
    rc = check((struct der)D(leaf), ARR(D(int)), ARR(D(root)), NULL,
               c.leaf.not_after - c.leaf.not_before, -1, &res);
    expect(rc, &res, SSL_ERR_CERT_EXPIRED, 0, "certificate expired: notAfter ");
    rc = check((struct der)D(leaf), ARR(D(int)), ARR(D(root)), NULL, -2 * DAY, -1, &res);
    expect(rc, &res, SSL_ERR_CERT_NOT_YET_VALID, 0, "not yet valid: notBefore ");
    /* int-short (one day) has expired by day three; the long-lived int is tried next */
    rc = check((struct der)D(leaf), ARR(D(int_short), D(int)), ARR(D(root)), NULL, 2 * DAY, -1,
               &res);
    expect(rc, &res, 0, 0, NULL);
    rc = check((struct der)D(leaf), ARR(D(int_short)), ARR(D(root)), NULL, 2 * DAY, -1, &res);
    expect(rc, &res, SSL_ERR_CERT_EXPIRED, 1, "Padlock Int");
}

static void test_path_ca_rules(void **state)
{
    pl_x509_result res;
    int rc;
    (void)state;
    rc = check((struct der)D(leaf), ARR(D(int_no_bc)), ARR(D(root)), NULL, 0, -1, &res);
    expect(rc, &res, SSL_ERR_CERT_NOT_CA, 1, "not a CA (basicConstraints absent)");
    rc = check((struct der)D(leaf), ARR(D(int_ca_false)), ARR(D(root)), NULL, 0, -1, &res);
    expect(rc, &res, SSL_ERR_CERT_NOT_CA, 1, "cA is false");
    rc = check((struct der)D(leaf), ARR(D(int_no_certsign)), ARR(D(root)), NULL, 0, -1, &res);
    expect(rc, &res, SSL_ERR_CERT_KEY_USAGE, 1, "keyCertSign");
    rc = check((struct der)D(leaf), ARR(D(int_eku_client)), ARR(D(root)), NULL, 0, -1, &res);
    expect(rc, &res, SSL_ERR_CERT_EXT_KEY_USAGE, 1, "serverAuth");
    /* pathLenConstraint 0 on an intermediate: a leaf below is fine, another CA is not */
    rc = check((struct der)D(pl_leaf1), ARR(D(pl_int1)), ARR(D(root)), NULL, 0, -1, &res);
    expect(rc, &res, 0, 0, NULL);
    rc = check((struct der)D(pl_leaf), ARR(D(pl_int2), D(pl_int1)), ARR(D(root)), NULL, 0, -1,
               &res);
    expect(rc, &res, SSL_ERR_CERT_PATH_LEN, 2, "pathLenConstraint 0");
    /* ... and on the root */
    rc = check((struct der)D(leaf), ARR(D(int_under_pl0)), ARR(D(root_pathlen0)), NULL, 0, -1,
               &res);
    expect(rc, &res, SSL_ERR_CERT_PATH_LEN, 2, "pathLenConstraint 0");
    /* a version 1 root is accepted as an anchor */
    rc = check((struct der)D(leaf), ARR(D(int_v1root)), ARR(D(root_v1)), NULL, 0, -1, &res);
    expect(rc, &res, 0, 0, NULL);
}

static void test_path_signatures_and_keys(void **state)
{
    pl_x509_result res;
    int rc;
    (void)state;
    rc = check((struct der)D(leaf), ARR(D(int_pss)), ARR(D(root)), NULL, 0, -1, &res);
    expect(rc, &res, 0, 0, NULL); /* RSA-PSS signature on the intermediate */
    rc = check((struct der)D(leaf_p384_ecdsa384), ARR(D(int)), ARR(D(root)), NULL, 0, -1, &res);
    expect(rc, &res, 0, 0, NULL); /* ECDSA P-256 with SHA-384 over a P-384 leaf */
    rc = check((struct der)D(leaf), ARR(D(int_sha1)), ARR(D(root)), NULL, 0, -1, &res);
    expect(rc, &res, SSL_ERR_CERT_WEAK_SIGNATURE, 1, "SHA-1");
    rc = check((struct der)D(leaf_sha1), ARR(D(int)), ARR(D(root)), NULL, 0, -1, &res);
    expect(rc, &res, SSL_ERR_CERT_WEAK_SIGNATURE, 0, "SHA-1");
    rc = check((struct der)D(leaf_rsa1024), ARR(D(int)), ARR(D(root)), NULL, 0, -1, &res);
    expect(rc, &res, SSL_ERR_CERT_KEY_TOO_SMALL, 0, "2048");
}

static void test_path_leaf_rules(void **state)
{
    pl_x509_result res;
    int rc;
    (void)state;
    rc = check((struct der)D(leaf_eku_client), ARR(D(int)), ARR(D(root)), NULL, 0, -1, &res);
    expect(rc, &res, SSL_ERR_CERT_EXT_KEY_USAGE, 0, "serverAuth");
    rc = check((struct der)D(leaf_cn_only), ARR(D(int)), ARR(D(root)), "www.example.com", 0, -1,
               &res);
    expect(rc, &res, SSL_ERR_CERT_NO_SAN, 0, "CN is not used");
    rc = check((struct der)D(leaf_cn_only), ARR(D(int)), ARR(D(root)), NULL, 0, -1, &res);
    expect(rc, &res, 0, 0, NULL);
    /* a self-signed server certificate: trusted only when it is an anchor itself */
    rc = check((struct der)D(self), NONE, ARR(D(self)), "self.example.com", 0, -1, &res);
    expect(rc, &res, 0, 0, NULL);
    assert_int_equal(res.path_len, 1);
    rc = check((struct der)D(self), NONE, ARR(D(root)), NULL, 0, -1, &res);
    expect(rc, &res, SSL_ERR_CERT_UNKNOWN_ISSUER, 0, "self.example.com");
}

static void test_path_name_constraints(void **state)
{
    pl_x509_result res;
    int rc;
    (void)state;
    rc = check((struct der)D(nc_leaf), ARR(D(nc_int)), ARR(D(root)), "www.example.com", 0, -1,
               &res);
    expect(rc, &res, 0, 0, NULL);
    rc = check((struct der)D(nc_evil), ARR(D(nc_int)), ARR(D(root)), NULL, 0, -1, &res);
    expect(rc, &res, SSL_ERR_CERT_NAME_CONSTRAINTS, 0, "www.evil.com");
    rc = check((struct der)D(nc_bad), ARR(D(nc_int)), ARR(D(root)), NULL, 0, -1, &res);
    expect(rc, &res, SSL_ERR_CERT_NAME_CONSTRAINTS, 0, "bad.example.com");
    /* "*.example.com" could stand for the excluded bad.example.com (as Chromium judges it) */
    rc = check((struct der)D(nc_wild), ARR(D(nc_int)), ARR(D(root)), NULL, 0, -1, &res);
    expect(rc, &res, SSL_ERR_CERT_NAME_CONSTRAINTS, 0, "*.example.com");
    rc = check((struct der)D(nc_ip), ARR(D(nc_int)), ARR(D(root)), NULL, 0, -1, &res);
    expect(rc, &res, SSL_ERR_CERT_NAME_CONSTRAINTS, 0, "iPAddress");
}

static void test_path_depth_limit(void **state)
{
    pl_x509_result res;
    int rc;
    (void)state;
    rc = check((struct der)D(d_leaf), ARR(D(d3), D(d1), D(d2)), ARR(D(root)), NULL, 0, 3, &res);
    expect(rc, &res, 0, 0, NULL);
    assert_int_equal(res.path_len, 5);
    rc = check((struct der)D(d_leaf), ARR(D(d3), D(d1), D(d2)), ARR(D(root)), NULL, 0, 2, &res);
    expect(rc, &res, SSL_ERR_CERT_CHAIN_TOO_LONG, 2, "more than 2 intermediate");
    rc = check((struct der)D(d_leaf), ARR(D(d3), D(d1), D(d2)), ARR(D(root)), NULL, 0, 0, &res);
    expect(rc, &res, SSL_ERR_CERT_CHAIN_TOO_LONG, 0, "more than 0 intermediate");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_good_chain_and_host_names),
        cmocka_unit_test(test_path_building_order_extras_decoys),
        cmocka_unit_test(test_path_validity_periods),
        cmocka_unit_test(test_path_ca_rules),
        cmocka_unit_test(test_path_signatures_and_keys),
        cmocka_unit_test(test_path_leaf_rules),
        cmocka_unit_test(test_path_name_constraints),
        cmocka_unit_test(test_path_depth_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
