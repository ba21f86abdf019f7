/* Host-name and IP-address checks against a certificate's subjectAltName (see hostname.h). */
#include "x509/hostname.h"

#include <arpa/inet.h>

int pl_hostname_parse_ip(const char *name, uint8_t ip[16], size_t *len)
{
    /* inet_pton takes exactly the dotted-quad and RFC 4291 §2.2 text forms (no octal, no
     * shortened "127.1", no zone index) */
    if (inet_pton(AF_INET, name, ip) == 1) {
        *len = 4;
        return 1;
    }
    if (inet_pton(AF_INET6, name, ip) == 1) {
        *len = 16;
        return 1;
    }
    return 0;
}

static uint8_t lower(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

static int is_label_char(uint8_t c)
{
    c = lower(c);
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* The name without one trailing dot. */
static pl_slice strip_dot(pl_slice s)
{
    pl_reader r = pl_reader_of(s);
    uint8_t last = 0;
    if (s.len > 0 && pl_read_skip(&r, s.len - 1) == 0 && pl_read_u8(&r, &last) == 0 &&
        last == '.') {
        s.len--;
    }
    return s;
}

/* Split off the first label: *label gets it, *rest what follows its dot (empty at the end).
 * 0 when the first label is empty. */
static int first_label(pl_slice s, pl_slice *label, pl_slice *rest)
{
    pl_reader r = pl_reader_of(s);
    size_t n = 0;
    uint8_t c;
    while (pl_read_u8(&r, &c) == 0 && c != '.') {
        n++;
    }
    label->ptr = s.ptr;
    label->len = n;
    if (pl_read_slice(&r, pl_reader_left(&r), rest) != 0) {
        rest->len = 0; /* cannot happen: reads exactly what is left */
    }
    return n > 0;
}

/* Valid LDH(+underscore) labels, each 1..63, the whole 1..253. */
static int valid_host(pl_slice s)
{
    pl_slice label, rest;
    if (s.len == 0 || s.len > 253) {
        return 0;
    }
    while (s.len > 0) {
        pl_reader r;
        uint8_t c;
        if (!first_label(s, &label, &rest) || label.len > 63) {
            return 0;
        }
        r = pl_reader_of(label);
        while (pl_read_u8(&r, &c) == 0) {
            if (!is_label_char(c)) {
                return 0;
            }
        }
        if (rest.len == 0 && s.len > label.len) {
            return 0; /* a trailing empty label ("a..") */
        }
        s = rest;
    }
    return 1;
}

static int labels_equal(pl_slice a, pl_slice b)
{
    pl_reader ra = pl_reader_of(a), rb = pl_reader_of(b);
    uint8_t x, y;
    if (a.len != b.len) {
        return 0;
    }
    while (pl_read_u8(&ra, &x) == 0 && pl_read_u8(&rb, &y) == 0) {
        if (lower(x) != lower(y)) {
            return 0;
        }
    }
    return 1;
}

static size_t count_labels(pl_slice s)
{
    pl_slice label, rest;
    size_t n = 0;
    while (s.len > 0 && first_label(s, &label, &rest)) {
        n++;
        s = rest;
    }
    return n;
}

int pl_hostname_match_dns(pl_slice presented, pl_slice reference)
{
    pl_slice p_label, p_rest, r_label, r_rest;
    int wildcard;
    presented = strip_dot(presented);
    reference = strip_dot(reference);
    if (!first_label(presented, &p_label, &p_rest) || !first_label(reference, &r_label, &r_rest)) {
        return 0;
    }
    wildcard = p_label.len == 1 && labels_equal(p_label, (pl_slice){(const uint8_t *)"*", 1});
    /* RFC 9525 §6.3: a wildcard only as the whole left-most label, and (padlock's rule, as
     * browsers do) never directly above fewer than two labels */
    if (wildcard && count_labels(p_rest) < 2) {
        return 0;
    }
    if ((p_rest.len > 0 && !valid_host(p_rest)) || (!wildcard && !valid_host(p_label))) {
        return 0; /* a second "*", or any other character where it does not belong */
    }
    if (!wildcard && !labels_equal(p_label, r_label)) {
        return 0;
    }
    /* the rest must match label for label; the wildcard covered exactly one label */
    while (p_rest.len > 0 || r_rest.len > 0) {
        pl_slice pl, pr, rl, rr;
        if (!first_label(p_rest, &pl, &pr) || !first_label(r_rest, &rl, &rr) ||
            !labels_equal(pl, rl)) {
            return 0;
        }
        p_rest = pr;
        r_rest = rr;
    }
    return 1;
}

int pl_hostname_check(const pl_cert *cert, const char *name)
{
    uint8_t ip[16];
    size_t ip_len;
    int is_ip = pl_hostname_parse_ip(name, ip, &ip_len);
    pl_slice ref = {(const uint8_t *)name, strlen(name)};
    pl_der it;
    pl_general_name gn;
    ENSURE(is_ip || valid_host(strip_dot(ref)), SSL_ERR_BAD_HOSTNAME);
    ENSURE(cert->ext & PL_EXT_SUBJECT_ALT_NAME, SSL_ERR_CERT_NO_SAN);
    pl_cert_names_init(&it, cert->san);
    while (pl_cert_next_name(&it, &gn)) {
        if (is_ip && gn.tag == PL_GN_IP && gn.value.len == ip_len &&
            memcmp(gn.value.ptr, ip, ip_len) == 0) {
            return 0;
        }
        if (!is_ip && gn.tag == PL_GN_DNS && pl_hostname_match_dns(gn.value, ref)) {
            return 0;
        }
    }
    return SSL_ERR_CERT_NAME_MISMATCH;
}

int pl_hostname_valid(const char *name)
{
    uint8_t ip[16];
    size_t ip_len;
    pl_slice s = {(const uint8_t *)name, strlen(name)};
    return pl_hostname_parse_ip(name, ip, &ip_len) == 1 || valid_host(strip_dot(s));
}
