/* Certificate path building and validation (see path.h). */
#include "x509/path.h"

#include <stdarg.h>
#include <stdio.h>

#include "x509/hostname.h"

/* The search's state: the path so far, the work left, and the best failure seen. */
struct search {
    const pl_cert *untrusted;
    size_t untrusted_count;
    const pl_x509_store *anchors;
    const pl_x509_verify_opts *opts;
    size_t max_intermediates;
    const pl_cert *path[PL_X509_MAX_PATH];
    size_t len;
    unsigned sig_checks;
    pl_x509_result *res;
    int best_rank; /* 0 nothing yet, 1 no issuer, 2 signature, 3 complete path failed a check */
};

static void describe(const pl_cert *c, char *out, size_t cap)
{
    pl_cert_name_string(c->subject, out, cap);
}

/* Record a failure if it ranks at least as high as what is recorded (later failures of the
 * same rank replace earlier ones only when nothing was recorded). */
__attribute__((format(printf, 5, 6))) static void fail(struct search *s, int rank, int error,
                                                       size_t depth, const char *fmt, ...)
{
    va_list ap;
    char what[360], who[120]; /* sized so the sentence always fits res->detail */
    if (rank <= s->best_rank) {
        return;
    }
    s->best_rank = rank;
    s->res->error = error;
    s->res->depth = (int)depth;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    describe(s->path[depth < s->len ? depth : s->len - 1], who, sizeof who);
    snprintf(s->res->detail, sizeof s->res->detail, "depth %zu (%s): %s", depth, who, what);
}

static int same_der(const pl_cert *a, const pl_cert *b)
{
    return a->der.len == b->der.len && memcmp(a->der.ptr, b->der.ptr, a->der.len) == 0;
}

static int same_bytes(pl_slice a, pl_slice b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* ---- name constraints (RFC 5280 §4.2.1.10) ---------------------------------------------- */

static uint8_t lower(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

static int ends_with_nocase(pl_slice s, pl_slice suffix)
{
    pl_reader a, b;
    uint8_t x, y;
    if (suffix.len > s.len) {
        return 0;
    }
    a = pl_reader_of(s);
    if (pl_read_skip(&a, s.len - suffix.len) != 0) {
        return 0;
    }
    b = pl_reader_of(suffix);
    while (pl_read_u8(&a, &x) == 0 && pl_read_u8(&b, &y) == 0) {
        if (lower(x) != lower(y)) {
            return 0;
        }
    }
    return 1;
}

/* "Any DNS name that can be constructed by simply adding zero or more labels to the left-hand
 * side of the name satisfies the name constraint"; a constraint with a leading dot (a common
 * extension) is satisfied by proper subdomains only; an empty one by every name. A SAN "*" label
 * is compared as a label, so "*.example.com" lies within "example.com". */
static int dns_within(pl_slice name, pl_slice constraint)
{
    pl_reader r = pl_reader_of(constraint);
    uint8_t first = 0;
    if (constraint.len == 0) {
        return 1;
    }
    if (pl_read_u8(&r, &first) == 0 && first == '.') {
        return name.len > constraint.len && ends_with_nocase(name, constraint);
    }
    if (name.len == constraint.len) {
        return ends_with_nocase(name, constraint);
    }
    if (name.len > constraint.len && ends_with_nocase(name, constraint)) {
        pl_reader n = pl_reader_of(name);
        uint8_t dot = 0;
        return pl_read_skip(&n, name.len - constraint.len - 1) == 0 &&
               pl_read_u8(&n, &dot) == 0 && dot == '.';
    }
    return 0;
}

/* Could a wildcard SAN "*.Z" match a name inside the excluded subtree c? Yes when c is one
 * label more than Z ("x.Z"): the "*" could be that label. */
static int wildcard_hits(pl_slice name, pl_slice c)
{
    pl_reader r = pl_reader_of(name);
    uint8_t star = 0, dot = 0;
    pl_slice z;
    if (name.len < 3 || pl_read_u8(&r, &star) != 0 || star != '*' || pl_read_u8(&r, &dot) != 0 ||
        dot != '.' || pl_read_slice(&r, pl_reader_left(&r), &z) != 0) {
        return 0;
    }
    {
        pl_reader cr = pl_reader_of(c);
        uint8_t first = 0;
        if (pl_read_u8(&cr, &first) == 0 && first == '.') {
            return 0; /* ".x.Z" holds only names below x.Z, which "*.Z" cannot make */
        }
    }
    /* c = label "." Z with a single non-empty label */
    if (c.len > z.len + 1 && dns_within(c, z)) {
        pl_reader cr = pl_reader_of(c);
        uint8_t ch;
        for (size_t i = 0; i < c.len - z.len - 1; i++) {
            if (pl_read_u8(&cr, &ch) != 0 || ch == '.') {
                return 0;
            }
        }
        return 1;
    }
    return 0;
}

/* An iPAddress constraint is address ‖ mask (8 or 32 bytes). */
static int ip_within(pl_slice ip, pl_slice constraint)
{
    pl_reader a, c, m;
    uint8_t x, y, mask;
    if (constraint.len != 2 * ip.len) {
        return 0; /* IPv4 constraints never hold IPv6 names, and the reverse */
    }
    a = pl_reader_of(ip);
    c = pl_reader_of(constraint);
    m = c;
    if (pl_read_skip(&m, ip.len) != 0) {
        return 0;
    }
    while (pl_read_u8(&a, &x) == 0 && pl_read_u8(&c, &y) == 0 && pl_read_u8(&m, &mask) == 0) {
        if ((x & mask) != (y & mask)) {
            return 0;
        }
    }
    return 1;
}

/* Does any subtree of this kind exist, and does one contain the name? */
static void scan_subtrees(pl_slice subtrees, const pl_general_name *name, int *kind_seen,
                          int *inside, int *wildcard_conflict)
{
    pl_der it, subtree;
    pl_general_name entry;
    pl_cert_names_init(&it, subtrees);
    while (pl_cert_next_name(&it, &entry)) {
        pl_general_name base;
        /* entry is a GeneralSubtree SEQUENCE; its one element is the base GeneralName */
        pl_cert_names_init(&subtree, entry.value);
        if (!pl_cert_next_name(&subtree, &base) || base.tag != name->tag) {
            continue;
        }
        *kind_seen = 1;
        if (name->tag == PL_GN_DNS) {
            *inside |= dns_within(name->value, base.value);
            *wildcard_conflict |= wildcard_hits(name->value, base.value);
        } else {
            *inside |= ip_within(name->value, base.value);
        }
    }
}

/* Apply issuer's constraints to every dNSName and iPAddress in cert's SAN. */
static int check_constraints(const pl_cert *issuer, const pl_cert *cert, char *bad, size_t cap)
{
    pl_der it;
    pl_general_name gn;
    if (!(cert->ext & PL_EXT_SUBJECT_ALT_NAME)) {
        return 0;
    }
    pl_cert_names_init(&it, cert->san);
    while (pl_cert_next_name(&it, &gn)) {
        int kind_seen = 0, inside = 0, conflict = 0, excluded = 0, unused = 0;
        if (gn.tag != PL_GN_DNS && gn.tag != PL_GN_IP) {
            continue;
        }
        scan_subtrees(issuer->permitted, &gn, &kind_seen, &inside, &unused);
        scan_subtrees(issuer->excluded, &gn, &unused, &excluded, &conflict);
        if ((kind_seen && !inside) || excluded || conflict) {
            if (gn.tag == PL_GN_DNS) {
                snprintf(bad, cap, "dNSName %.*s", (int)gn.value.len, (const char *)gn.value.ptr);
            } else {
                snprintf(bad, cap, "an iPAddress");
            }
            return SSL_ERR_CERT_NAME_CONSTRAINTS;
        }
    }
    return 0;
}

/* ---- checks on a complete path ----------------------------------------------------------- */

static int check_validity(struct search *s, size_t i)
{
    const pl_cert *c = s->path[i];
    char when[21];
    if (s->opts->now > c->not_after) {
        pl_cert_time_string(c->not_after, when);
        fail(s, 3, SSL_ERR_CERT_EXPIRED, i, "certificate expired: notAfter %s", when);
        return -1;
    }
    if (s->opts->now < c->not_before) {
        pl_cert_time_string(c->not_before, when);
        fail(s, 3, SSL_ERR_CERT_NOT_YET_VALID, i, "certificate not yet valid: notBefore %s",
             when);
        return -1;
    }
    return 0;
}

/* The rules for a certificate that issues others, at index i (1..len-1). */
static int check_issuer(struct search *s, size_t i)
{
    const pl_cert *c = s->path[i];
    int anchor = i == s->len - 1;
    if (!(c->ext & PL_EXT_BASIC_CONSTRAINTS) && !(anchor && c->version < 3)) {
        fail(s, 3, SSL_ERR_CERT_NOT_CA, i, "not a CA (basicConstraints absent)");
        return -1;
    }
    if ((c->ext & PL_EXT_BASIC_CONSTRAINTS) && !c->ca) {
        fail(s, 3, SSL_ERR_CERT_NOT_CA, i, "not a CA (basicConstraints cA is false)");
        return -1;
    }
    if ((c->ext & PL_EXT_KEY_USAGE) && !(c->key_usage & PL_KU_KEY_CERT_SIGN)) {
        fail(s, 3, SSL_ERR_CERT_KEY_USAGE, i, "keyUsage lacks keyCertSign");
        return -1;
    }
    /* RFC 5280 §4.2.1.9: pathLenConstraint counts the intermediate CAs below this one */
    if (c->path_len >= 0 && i - 1 > (size_t)c->path_len) {
        fail(s, 3, SSL_ERR_CERT_PATH_LEN, i,
             "pathLenConstraint %d allows %d CA certificates below it, the path has %zu",
             c->path_len, c->path_len, i - 1);
        return -1;
    }
    if ((c->ext & PL_EXT_EXT_KEY_USAGE) &&
        !(c->ext_key_usage & (PL_EKU_SERVER_AUTH | PL_EKU_ANY))) {
        fail(s, 3, SSL_ERR_CERT_EXT_KEY_USAGE, i,
             "extendedKeyUsage of this CA does not include serverAuth");
        return -1;
    }
    for (size_t j = 0; j < i; j++) {
        char bad[300];
        if ((c->ext & PL_EXT_NAME_CONSTRAINTS) &&
            check_constraints(c, s->path[j], bad, sizeof bad) != 0) {
            fail(s, 3, SSL_ERR_CERT_NAME_CONSTRAINTS, j,
                 "%s is outside the name constraints of depth %zu", bad, i);
            return -1;
        }
    }
    return 0;
}

static int check_path(struct search *s)
{
    const pl_cert *leaf = s->path[0];
    int rc;
    for (size_t i = 0; i < s->len; i++) {
        if (check_validity(s, i) != 0) {
            return -1;
        }
        rc = pl_x509_check_key_size(s->path[i]);
        if (rc != 0) {
            fail(s, 3, rc, i, "%s", rc == SSL_ERR_CERT_KEY_TOO_SMALL
                                         ? "RSA key under 2048 bits"
                                         : ssl_error_string(rc));
            return -1;
        }
    }
    for (size_t i = 1; i < s->len; i++) {
        if (check_issuer(s, i) != 0) {
            return -1;
        }
    }
    if ((leaf->ext & PL_EXT_EXT_KEY_USAGE) &&
        !(leaf->ext_key_usage & (PL_EKU_SERVER_AUTH | PL_EKU_ANY))) {
        fail(s, 3, SSL_ERR_CERT_EXT_KEY_USAGE, 0,
             "extendedKeyUsage does not include serverAuth");
        return -1;
    }
    if (s->opts->host != NULL) {
        rc = pl_hostname_check(leaf, s->opts->host);
        if (rc == SSL_ERR_CERT_NO_SAN) {
            fail(s, 3, rc, 0,
                 "no subjectAltName; the subject CN is not used to match \"%s\" (RFC 9525)",
                 s->opts->host);
            return -1;
        }
        if (rc != 0) {
            fail(s, 3, rc, 0, "%s \"%s\"",
                 rc == SSL_ERR_CERT_NAME_MISMATCH ? "no subjectAltName entry matches"
                                                  : "cannot check the name",
                 s->opts->host);
            return -1;
        }
    }
    return 0;
}

/* ---- building ----------------------------------------------------------------------------- */

static int in_path(const struct search *s, const pl_cert *c)
{
    for (size_t i = 0; i < s->len; i++) {
        if (same_der(s->path[i], c)) {
            return 1;
        }
    }
    return 0;
}

static int is_anchor(const struct search *s, const pl_cert *c)
{
    for (size_t i = 0; i < s->anchors->count; i++) {
        if (same_der(&s->anchors->entries[i].cert, c)) {
            return 1;
        }
    }
    return 0;
}

static int extend(struct search *s);

/* Try cand as the issuer of the last certificate in the path. 1 when a valid path was found. */
static int try_issuer(struct search *s, const pl_cert *cand, int anchor)
{
    const pl_cert *child = s->path[s->len - 1];
    int rc;
    if (!same_bytes(cand->subject, child->issuer) || in_path(s, cand)) {
        return 0;
    }
    /* RFC 5280 §4.2.1.1: when both key identifiers are there they must agree */
    if (child->authority_key_id.len > 0 && cand->subject_key_id.len > 0 &&
        !same_bytes(child->authority_key_id, cand->subject_key_id)) {
        return 0;
    }
    /* the path holds the leaf and len - 1 intermediates; an anchor adds none */
    if (!anchor && (s->len + 1 >= PL_X509_MAX_PATH || s->len > s->max_intermediates)) {
        fail(s, 2, SSL_ERR_CERT_CHAIN_TOO_LONG, s->len - 1,
             "the path to a trusted root needs more than %zu intermediate certificates",
             s->max_intermediates);
        return 0;
    }
    if (s->sig_checks >= PL_X509_MAX_SIG_CHECKS) {
        fail(s, 2, SSL_ERR_CERT_PATH_BUDGET, s->len - 1,
             "gave up after %u signature checks", s->sig_checks);
        return 0;
    }
    s->sig_checks++;
    rc = pl_x509_check_signature(child, cand);
    if (rc != 0) {
        char who[200];
        describe(cand, who, sizeof who);
        fail(s, 2, rc, s->len - 1, "%s (issuer %s)",
             rc == SSL_ERR_CERT_BAD_SIGNATURE ? "signature does not verify"
             : rc == SSL_ERR_CERT_WEAK_SIGNATURE
                 ? "signed with SHA-1 or MD5, which padlock refuses"
                 : ssl_error_string(rc),
             who);
        return 0;
    }
    s->path[s->len++] = cand;
    if (anchor ? check_path(s) == 0 : extend(s)) {
        return 1;
    }
    s->len--;
    return 0;
}

/* Find an issuer for the last certificate in the path: anchors first, then the server's. */
static int extend(struct search *s)
{
    const pl_cert *child = s->path[s->len - 1];
    for (size_t i = 0; i < s->anchors->count; i++) {
        if (try_issuer(s, &s->anchors->entries[i].cert, 1)) {
            return 1;
        }
    }
    for (size_t i = 0; i < s->untrusted_count; i++) {
        if (!is_anchor(s, &s->untrusted[i]) && try_issuer(s, &s->untrusted[i], 0)) {
            return 1;
        }
    }
    {
        char issuer[200];
        pl_cert_name_string(child->issuer, issuer, sizeof issuer);
        fail(s, 1, SSL_ERR_CERT_UNKNOWN_ISSUER, s->len - 1,
             "issuer (%s) is neither a trusted root nor among the certificates sent", issuer);
    }
    return 0;
}

int pl_x509_verify(const pl_cert *leaf, const pl_cert *untrusted, size_t untrusted_count,
                   const pl_x509_store *anchors, const pl_x509_verify_opts *opts,
                   pl_x509_result *res)
{
    struct search s;
    memset(res, 0, sizeof *res);
    memset(&s, 0, sizeof s);
    res->depth = -1;
    s.untrusted = untrusted;
    s.untrusted_count = untrusted_count;
    s.anchors = anchors;
    s.opts = opts;
    s.max_intermediates = opts->max_intermediates < 0 ? PL_X509_DEFAULT_MAX_INTERMEDIATES
                                                      : (size_t)opts->max_intermediates;
    s.res = res;
    s.path[0] = leaf;
    s.len = 1;
    if ((is_anchor(&s, leaf) && check_path(&s) == 0) || extend(&s)) {
        res->error = 0;
        res->depth = -1;
        res->detail[0] = '\0';
        res->path_len = s.len;
        memcpy(res->path, s.path, s.len * sizeof s.path[0]);
        return 0;
    }
    return res->error;
}
