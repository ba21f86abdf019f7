/* Host-name checks (src/x509/hostname.c) per RFC 9525: rows of presented name, reference name
 * and verdict; IP literals; and whole certificates from tests/data/certs. */
#include "pl_test.h"

#include "x509/hostname.h"

#include "../data/certs/certs.inc"

static pl_slice s(const char *str)
{
    pl_slice out = {(const uint8_t *)str, strlen(str)};
    return out;
}

static const struct {
    const char *presented, *reference;
    int match;
} rows[] = {
    {"example.com", "example.com", 1},
    {"Example.COM", "eXample.com", 1},          /* RFC 4343: case-insensitive */
    {"example.com.", "example.com", 1},         /* one trailing dot either side */
    {"example.com", "example.com.", 1},
    {"example.com", "www.example.com", 0},
    {"www.example.com", "example.com", 0},
    {"example.co", "example.com", 0},
    {"*.example.com", "www.example.com", 1},
    {"*.example.com", "WWW.Example.Com", 1},
    {"*.example.com", "example.com", 0},        /* the wildcard matches exactly one label */
    {"*.example.com", "a.b.example.com", 0},
    {"*.example.com", ".example.com", 0},       /* ... and a non-empty one */
    {"*.com", "example.com", 0},                /* never directly above fewer than two labels */
    {"*.co.uk", "example.co.uk", 1},            /* three labels: allowed (no suffix list) */
    {"*", "com", 0},
    {"f*.example.com", "foo.example.com", 0},   /* partial wildcards are not wildcards */
    {"*o.example.com", "foo.example.com", 0},
    {"www.*.example.com", "www.a.example.com", 0},
    {"*.*.example.com", "a.b.example.com", 0},
    {"a.*.com", "a.b.com", 0},
    {"xn--bcher-kva.example", "XN--BCHER-KVA.example", 1}, /* A-labels as ASCII */
    {"*.example.com", "xn--bcher-kva.example.com", 1},
    {"exa mple.com", "exa mple.com", 0},        /* not a host name */
    {"example..com", "example..com", 0},
    {"", "", 0},
    {"example.com\\0.evil.com", "example.com", 0},
    {"under_score.example.com", "under_score.example.com", 1},
    {"123.example.com", "123.example.com", 1},
};

static void test_hostname_dns_rows(void **state)
{
    (void)state;
    for (size_t i = 0; i < PL_ARRAY_LEN(rows); i++) {
        int got = pl_hostname_match_dns(s(rows[i].presented), s(rows[i].reference));
        if (got != rows[i].match) {
            fail_msg("row %zu: %s vs %s: got %d, want %d", i, rows[i].presented,
                     rows[i].reference, got, rows[i].match);
        }
    }
}

static void test_hostname_ip_literals(void **state)
{
    uint8_t ip[16];
    size_t len;
    (void)state;
    assert_true(pl_hostname_parse_ip("127.0.0.1", ip, &len));
    assert_int_equal(len, 4);
    assert_true(pl_hostname_parse_ip("::1", ip, &len));
    assert_int_equal(len, 16);
    assert_true(pl_hostname_parse_ip("2001:db8::192.0.2.1", ip, &len));
    assert_int_equal(len, 16);
    assert_false(pl_hostname_parse_ip("127.1", ip, &len));
    assert_false(pl_hostname_parse_ip("127.0.0.256", ip, &len));
    assert_false(pl_hostname_parse_ip("example.com", ip, &len));
    assert_false(pl_hostname_parse_ip("fe80::1%eth0", ip, &len));
    assert_false(pl_hostname_parse_ip("", ip, &len));
}

static void test_hostname_certificate_checks(void **state)
{
    pl_cert c;
    (void)state;
    /* SAN: example.com, *.example.org, 127.0.0.1, ::1 (and an email, which never matches) */
    assert_int_equal(pl_cert_parse(&c, cert_leaf_rsa, sizeof cert_leaf_rsa), 0);
    assert_int_equal(pl_hostname_check(&c, "example.com"), 0);
    assert_int_equal(pl_hostname_check(&c, "EXAMPLE.com."), 0);
    assert_int_equal(pl_hostname_check(&c, "www.example.org"), 0);
    assert_int_equal(pl_hostname_check(&c, "127.0.0.1"), 0);
    assert_int_equal(pl_hostname_check(&c, "::1"), 0);
    assert_int_equal(pl_hostname_check(&c, "0:0:0:0:0:0:0:1"), 0);
    assert_int_equal(pl_hostname_check(&c, "www.example.com"), SSL_ERR_CERT_NAME_MISMATCH);
    assert_int_equal(pl_hostname_check(&c, "example.org"), SSL_ERR_CERT_NAME_MISMATCH);
    assert_int_equal(pl_hostname_check(&c, "127.0.0.2"), SSL_ERR_CERT_NAME_MISMATCH);
    assert_int_equal(pl_hostname_check(&c, "a@example.com"), SSL_ERR_BAD_HOSTNAME);
    assert_int_equal(pl_hostname_check(&c, ""), SSL_ERR_BAD_HOSTNAME);
    assert_int_equal(pl_hostname_check(&c, "*.example.org"), SSL_ERR_BAD_HOSTNAME);
    /* an IP-literal reference never matches a dNSName, even one spelling the address */
    assert_int_equal(pl_cert_parse(&c, cert_leaf_unknown, sizeof cert_leaf_unknown), 0);
    assert_int_equal(pl_hostname_check(&c, "localhost"), 0);
    assert_int_equal(pl_hostname_check(&c, "127.0.0.1"), SSL_ERR_CERT_NAME_MISMATCH);
    /* the subject CN is never used: a certificate without SAN matches nothing */
    assert_int_equal(pl_cert_parse(&c, cert_leaf_v1, sizeof cert_leaf_v1), 0);
    assert_int_equal(pl_hostname_check(&c, "v1.example.com"), SSL_ERR_CERT_NO_SAN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostname_dns_rows),
        cmocka_unit_test(test_hostname_ip_literals),
        cmocka_unit_test(test_hostname_certificate_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
