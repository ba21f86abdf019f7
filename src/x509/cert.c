/* X.509 certificate parsing (RFC 5280 §4.1, §4.2), see cert.h. */
#include "x509/cert.h"

#include <stdio.h>

#include "crypto/hash.h"
#include "x509/der.h"
#include "x509/oid.h"

#define OID(name, ...)                                                                             \
    static const uint8_t name##_bytes[] = {__VA_ARGS__};                                           \
    static const pl_slice name = {name##_bytes, sizeof name##_bytes}

/* Signature algorithms: PKCS #1 (RFC 8017 App. C), ECDSA (RFC 5758 §3.2). */
OID(oid_md5_rsa, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04);
OID(oid_sha1_rsa, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05);
OID(oid_sha256_rsa, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b);
OID(oid_sha384_rsa, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c);
OID(oid_sha512_rsa, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d);
OID(oid_mgf1, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08);
OID(oid_ecdsa_sha1, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01);
OID(oid_ecdsa_sha256, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02);
OID(oid_ecdsa_sha384, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03);
OID(oid_ecdsa_sha512, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04);
/* Hashes for RSASSA-PSS parameters (RFC 4055 §2.1, NIST CSOR). */
OID(oid_sha256, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01);
OID(oid_sha384, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02);
OID(oid_sha512, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03);
/* Certificate extensions, id-ce 2.5.29.x (RFC 5280 §4.2.1). */
OID(oid_subject_key_id, 0x55, 0x1d, 0x0e);
OID(oid_key_usage, 0x55, 0x1d, 0x0f);
OID(oid_subject_alt_name, 0x55, 0x1d, 0x11);
OID(oid_basic_constraints, 0x55, 0x1d, 0x13);
OID(oid_name_constraints, 0x55, 0x1d, 0x1e);
OID(oid_cert_policies, 0x55, 0x1d, 0x20);
OID(oid_authority_key_id, 0x55, 0x1d, 0x23);
OID(oid_ext_key_usage, 0x55, 0x1d, 0x25);
/* Key purposes (RFC 5280 §4.2.1.12). */
OID(oid_any_eku, 0x55, 0x1d, 0x25, 0x00);
OID(oid_server_auth, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01);
OID(oid_client_auth, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02);

/* ---- times ----------------------------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar: count whole 400-year eras
 * from March of year 0 (so the leap day ends each year), then the day within the era. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;                                     /* 0..399 */
    doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (int64_t)d - 1; /* 0..365 */
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;             /* 0..146096 */
    return era * 146097 + doe - 719468;
}

static int is_leap(unsigned y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int digits(pl_reader *r, size_t n, unsigned *out)
{
    *out = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c;
        TRY(pl_read_u8(r, &c));
        ENSURE(c >= '0' && c <= '9', SSL_ERR_CERT_BAD_TIME);
        *out = *out * 10 + (unsigned)(c - '0');
    }
    return 0;
}

/* RFC 5280 §4.1.2.5: UTCTime YYMMDDHHMMSSZ (YY < 50 is 20YY, else 19YY) or GeneralizedTime
 * YYYYMMDDHHMMSSZ; seconds always present, no fractions, always Zulu. Either form is read
 * whatever the year (the RFC's "UTCTime until 2049" binds issuers; refusing GeneralizedTime
 * for earlier dates would refuse real certificates for no safety gain). */
static int parse_time(pl_der *d, int64_t *out)
{
    static const unsigned month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    pl_der_tlv tlv;
    pl_reader r;
    unsigned year, month, day, hour, minute, second;
    uint8_t z;
    TRY(pl_der_read_tlv(d, &tlv));
    r = pl_reader_of(tlv.content);
    if (tlv.tag == PL_DER_UTC_TIME) {
        ENSURE(tlv.content.len == 13, SSL_ERR_CERT_BAD_TIME);
        TRY(digits(&r, 2, &year));
        year += year < 50 ? 2000 : 1900;
    } else if (tlv.tag == PL_DER_GENERALIZED_TIME) {
        ENSURE(tlv.content.len == 15, SSL_ERR_CERT_BAD_TIME);
        TRY(digits(&r, 4, &year));
    } else {
        return SSL_ERR_CERT_BAD_TIME;
    }
    TRY(digits(&r, 2, &month));
    TRY(digits(&r, 2, &day));
    TRY(digits(&r, 2, &hour));
    TRY(digits(&r, 2, &minute));
    TRY(digits(&r, 2, &second));
    TRY(pl_read_u8(&r, &z));
    ENSURE(z == 'Z', SSL_ERR_CERT_BAD_TIME);
    ENSURE(month >= 1 && month <= 12 && day >= 1, SSL_ERR_CERT_BAD_TIME);
    ENSURE(day <= month_days[month - 1] + (month == 2 && is_leap(year)), SSL_ERR_CERT_BAD_TIME);
    ENSURE(hour <= 23 && minute <= 59 && second <= 59, SSL_ERR_CERT_BAD_TIME);
    *out = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    return 0;
}

void pl_cert_time_string(int64_t t, char out[21])
{
    /* the inverse of days_from_civil */
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t secs = t - days * 86400, z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    /* each field reduced to its width so the text is always 20 characters */
    snprintf(out, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)y % 10000u,
             (unsigned)m % 100u, (unsigned)d % 100u, (unsigned)(secs / 3600) % 100u,
             (unsigned)(secs / 60 % 60) % 100u, (unsigned)(secs % 60) % 100u);
}

/* ---- algorithm identifiers ------------------------------------------------------------- */

static const pl_hash_class *hash_by_oid(pl_slice oid)
{
    if (pl_oid_equal(oid, oid_sha256)) {
        return &pl_sha256_class;
    }
    if (pl_oid_equal(oid, oid_sha384)) {
        return &pl_sha384_class;
    }
    if (pl_oid_equal(oid, oid_sha512)) {
        return &pl_sha512_class;
    }
    return NULL;
}

/* AlgorithmIdentifier { OID, parameters ANY OPTIONAL } naming a hash, with NULL or absent
 * parameters (RFC 4055 §2.1 allows both). */
static int parse_hash_alg(pl_der *d, const pl_hash_class **h)
{
    pl_der alg;
    pl_slice oid;
    TRY(pl_der_enter(d, PL_DER_SEQUENCE, &alg));
    TRY(pl_der_read_oid(&alg, &oid));
    if (pl_der_left(&alg) > 0) {
        TRY(pl_der_read_null(&alg));
    }
    TRY(pl_der_end(&alg));
    *h = hash_by_oid(oid);
    ENSURE(*h != NULL, SSL_ERR_CERT_BAD_SIG_ALG);
    return 0;
}

/* RFC 4055 §3.1 RSASSA-PSS-params. padlock accepts the form TLS and the Web PKI use: an
 * explicit SHA-256/384/512, MGF1 with the same hash, salt length = hash length, trailer 1. */
static int parse_pss_params(pl_der *alg, pl_cert *c)
{
    pl_der params, field, mgf;
    const pl_hash_class *h = NULL, *mgf_hash = NULL;
    pl_slice mgf_oid;
    uint64_t salt = 20, trailer = 1;
    TRY(pl_der_enter(alg, PL_DER_SEQUENCE, &params));
    if (pl_der_peek(&params, PL_DER_CONTEXT_CONS(0))) {
        TRY(pl_der_enter(&params, PL_DER_CONTEXT_CONS(0), &field));
        TRY(parse_hash_alg(&field, &h));
        TRY(pl_der_end(&field));
    }
    if (pl_der_peek(&params, PL_DER_CONTEXT_CONS(1))) {
        TRY(pl_der_enter(&params, PL_DER_CONTEXT_CONS(1), &field));
        TRY(pl_der_enter(&field, PL_DER_SEQUENCE, &mgf));
        TRY(pl_der_read_oid(&mgf, &mgf_oid));
        ENSURE(pl_oid_equal(mgf_oid, oid_mgf1), SSL_ERR_CERT_BAD_SIG_ALG);
        TRY(parse_hash_alg(&mgf, &mgf_hash));
        TRY(pl_der_end(&mgf));
        TRY(pl_der_end(&field));
    }
    if (pl_der_peek(&params, PL_DER_CONTEXT_CONS(2))) {
        TRY(pl_der_enter(&params, PL_DER_CONTEXT_CONS(2), &field));
        TRY(pl_der_read_u64(&field, &salt));
        TRY(pl_der_end(&field));
    }
    if (pl_der_peek(&params, PL_DER_CONTEXT_CONS(3))) {
        TRY(pl_der_enter(&params, PL_DER_CONTEXT_CONS(3), &field));
        TRY(pl_der_read_u64(&field, &trailer));
        TRY(pl_der_end(&field));
    }
    TRY(pl_der_end(&params));
    /* absent fields mean SHA-1 (refused: never defaulted to by anyone sane) */
    ENSURE(h != NULL && mgf_hash == h, SSL_ERR_CERT_BAD_SIG_ALG);
    ENSURE(salt == h->digest_len && trailer == 1, SSL_ERR_CERT_BAD_SIG_ALG);
    c->pss_hash = h;
    return 0;
}

static const struct {
    const pl_slice *oid;
    enum pl_cert_sig sig;
    int rsa; /* PKCS #1 v1.5: parameters NULL or absent (RFC 4055 §5); ECDSA: absent */
} sig_algs[] = {
    {&oid_md5_rsa, PL_CERT_SIG_MD5_RSA, 1},
    {&oid_sha1_rsa, PL_CERT_SIG_SHA1_RSA, 1},
    {&oid_sha256_rsa, PL_CERT_SIG_SHA256_RSA, 1},
    {&oid_sha384_rsa, PL_CERT_SIG_SHA384_RSA, 1},
    {&oid_sha512_rsa, PL_CERT_SIG_SHA512_RSA, 1},
    {&oid_ecdsa_sha1, PL_CERT_SIG_ECDSA_SHA1, 0},
    {&oid_ecdsa_sha256, PL_CERT_SIG_ECDSA_SHA256, 0},
    {&oid_ecdsa_sha384, PL_CERT_SIG_ECDSA_SHA384, 0},
    {&oid_ecdsa_sha512, PL_CERT_SIG_ECDSA_SHA512, 0},
};

/* The signature AlgorithmIdentifier (RFC 5280 §4.1.1.2); raw receives its encoding. */
static int parse_sig_alg(pl_der *d, pl_cert *c, pl_slice *raw)
{
    pl_der_tlv tlv;
    pl_der alg;
    TRY(pl_der_read_tlv(d, &tlv));
    ENSURE(tlv.tag == PL_DER_SEQUENCE, SSL_ERR_DER_UNEXPECTED_TAG);
    *raw = tlv.raw;
    TRY(pl_der_open(d, tlv.content, &alg));
    TRY(pl_der_read_oid(&alg, &c->sig_alg_oid));
    c->sig = PL_CERT_SIG_UNKNOWN;
    c->pss_hash = NULL;
    if (pl_oid_equal(c->sig_alg_oid, pl_oid_rsassa_pss)) {
        c->sig = PL_CERT_SIG_RSA_PSS;
        TRY(parse_pss_params(&alg, c));
        return pl_der_end(&alg);
    }
    for (size_t i = 0; i < PL_ARRAY_LEN(sig_algs); i++) {
        if (pl_oid_equal(c->sig_alg_oid, *sig_algs[i].oid)) {
            c->sig = sig_algs[i].sig;
            if (sig_algs[i].rsa && pl_der_left(&alg) > 0) {
                ENSURE(pl_der_read_null(&alg) == 0, SSL_ERR_CERT_BAD_SIG_ALG);
            }
            ENSURE(pl_der_left(&alg) == 0, SSL_ERR_CERT_BAD_SIG_ALG);
            return 0;
        }
    }
    return 0; /* unknown: parameters unread; the validator refuses the algorithm by name */
}

/* ---- names ----------------------------------------------------------------------------- */

/* RFC 5280 §4.1.2.4 Name: SEQUENCE OF RelativeDistinguishedName, each a non-empty SET OF
 * AttributeTypeAndValue { type OID, value ANY }. An empty Name is allowed here (a subject may
 * be empty when a critical SAN names the subject); an issuer's emptiness is the validator's. */
static int parse_name(pl_der *d, pl_slice *raw)
{
    pl_der_tlv tlv;
    pl_der name;
    TRY(pl_der_read_tlv(d, &tlv));
    ENSURE(tlv.tag == PL_DER_SEQUENCE, SSL_ERR_CERT_BAD_NAME);
    *raw = tlv.raw;
    TRY(pl_der_open(d, tlv.content, &name));
    while (pl_der_left(&name) > 0) {
        pl_der rdn;
        TRY(pl_der_enter(&name, PL_DER_SET, &rdn));
        ENSURE(pl_der_left(&rdn) > 0, SSL_ERR_CERT_BAD_NAME);
        while (pl_der_left(&rdn) > 0) {
            pl_der atv;
            pl_slice type;
            pl_der_tlv value;
            TRY(pl_der_enter(&rdn, PL_DER_SEQUENCE, &atv));
            TRY(pl_der_read_oid(&atv, &type));
            TRY(pl_der_read_tlv(&atv, &value));
            TRY(pl_der_end(&atv));
        }
    }
    return 0;
}

/* ---- extensions ------------------------------------------------------------------------ */

/* RFC 5280 §4.2.1.9 BasicConstraints { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER
 * (0..MAX) OPTIONAL }. DER omits a DEFAULT value, so an explicit FALSE is refused. */
static int parse_basic_constraints(pl_der *v, pl_cert *c)
{
    pl_der bc;
    TRY(pl_der_enter(v, PL_DER_SEQUENCE, &bc));
    if (pl_der_peek(&bc, PL_DER_BOOLEAN)) {
        TRY(pl_der_read_bool(&bc, &c->ca));
        ENSURE(c->ca, SSL_ERR_CERT_BAD_EXTENSION);
    }
    if (pl_der_peek(&bc, PL_DER_INTEGER)) {
        uint64_t len;
        TRY(pl_der_read_u64(&bc, &len));
        /* a path length on a non-CA is meaningless (§4.2.1.9: CAs only) */
        ENSURE(c->ca && len <= 255, SSL_ERR_CERT_BAD_EXTENSION);
        c->path_len = (int)len;
    }
    return pl_der_end(&bc);
}

/* RFC 5280 §4.2.1.3 KeyUsage BIT STRING; at least one bit set. */
static int parse_key_usage(pl_der *v, pl_cert *c)
{
    pl_slice bits;
    unsigned unused;
    pl_reader r;
    uint8_t b0 = 0, b1 = 0;
    TRY(pl_der_read_bits(v, &bits, &unused));
    ENSURE(bits.len >= 1 && bits.len <= 2, SSL_ERR_CERT_BAD_EXTENSION);
    r = pl_reader_of(bits);
    TRY(pl_read_u8(&r, &b0));
    if (bits.len == 2) {
        TRY(pl_read_u8(&r, &b1));
    }
    /* BIT STRING bit 0 is the first byte's most significant bit */
    c->key_usage = 0;
    for (unsigned i = 0; i < 8; i++) {
        c->key_usage |= ((uint32_t)b0 >> (7 - i) & 1u) << i;
    }
    c->key_usage |= ((uint32_t)b1 >> 7 & 1u) << 8;
    ENSURE(c->key_usage != 0, SSL_ERR_CERT_BAD_EXTENSION);
    return 0;
}

/* RFC 5280 §4.2.1.12 ExtKeyUsageSyntax: SEQUENCE SIZE (1..MAX) OF KeyPurposeId. */
static int parse_ext_key_usage(pl_der *v, pl_cert *c)
{
    pl_der seq;
    TRY(pl_der_enter(v, PL_DER_SEQUENCE, &seq));
    ENSURE(pl_der_left(&seq) > 0, SSL_ERR_CERT_BAD_EXTENSION);
    c->ext_key_usage = 0;
    while (pl_der_left(&seq) > 0) {
        pl_slice oid;
        TRY(pl_der_read_oid(&seq, &oid));
        if (pl_oid_equal(oid, oid_server_auth)) {
            c->ext_key_usage |= PL_EKU_SERVER_AUTH;
        } else if (pl_oid_equal(oid, oid_client_auth)) {
            c->ext_key_usage |= PL_EKU_CLIENT_AUTH;
        } else if (pl_oid_equal(oid, oid_any_eku)) {
            c->ext_key_usage |= PL_EKU_ANY;
        } else {
            c->ext_key_usage |= PL_EKU_OTHER;
        }
    }
    return 0;
}

/* One GeneralName (RFC 5280 §4.2.1.6): its TLV is checked, and the two kinds padlock matches
 * against are checked closely: dNSName is IA5 (7-bit) text, iPAddress is 4 or 16 bytes (or,
 * in a name constraint, 8 or 32: address and mask). */
static int check_general_name(const pl_der_tlv *gn, int in_constraint)
{
    ENSURE((gn->tag & PL_DER_CLASS_MASK) == PL_DER_CONTEXT, SSL_ERR_CERT_BAD_SAN);
    if (gn->tag == PL_GN_DNS) {
        pl_reader r = pl_reader_of(gn->content);
        uint8_t ch;
        while (pl_read_u8(&r, &ch) == 0) {
            ENSURE(ch >= 0x20 && ch < 0x7f, SSL_ERR_CERT_BAD_SAN);
        }
    } else if (gn->tag == PL_GN_IP) {
        size_t n = gn->content.len;
        ENSURE(in_constraint ? (n == 8 || n == 32) : (n == 4 || n == 16), SSL_ERR_CERT_BAD_SAN);
    }
    return 0;
}

/* GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName */
static int parse_san(pl_der *v, pl_cert *c)
{
    pl_der_tlv seq;
    pl_der names;
    TRY(pl_der_read_tlv(v, &seq));
    ENSURE(seq.tag == PL_DER_SEQUENCE && seq.content.len > 0, SSL_ERR_CERT_BAD_SAN);
    TRY(pl_der_open(v, seq.content, &names));
    while (pl_der_left(&names) > 0) {
        pl_der_tlv gn;
        TRY(pl_der_read_tlv(&names, &gn));
        TRY(check_general_name(&gn, 0));
    }
    c->san = seq.content;
    return 0;
}

/* GeneralSubtrees ::= SEQUENCE SIZE (1..MAX) OF GeneralSubtree { base GeneralName,
 * minimum [0] BaseDistance DEFAULT 0, maximum [1] BaseDistance OPTIONAL }; RFC 5280
 * §4.2.1.10 says minimum is 0 and maximum absent, so both must be absent in DER. */
static int parse_subtrees(pl_der *nc, uint8_t tag, pl_slice *out)
{
    pl_der_tlv tlv;
    pl_der subtrees;
    if (!pl_der_peek(nc, tag)) {
        return 0;
    }
    TRY(pl_der_read_tlv(nc, &tlv));
    ENSURE(tlv.content.len > 0, SSL_ERR_CERT_BAD_EXTENSION);
    *out = tlv.content;
    TRY(pl_der_open(nc, tlv.content, &subtrees));
    while (pl_der_left(&subtrees) > 0) {
        pl_der subtree;
        pl_der_tlv base;
        TRY(pl_der_enter(&subtrees, PL_DER_SEQUENCE, &subtree));
        TRY(pl_der_read_tlv(&subtree, &base));
        TRY(check_general_name(&base, 1));
        ENSURE(pl_der_left(&subtree) == 0, SSL_ERR_CERT_BAD_EXTENSION);
    }
    return 0;
}

/* NameConstraints { permittedSubtrees [0], excludedSubtrees [1] }, not both absent. */
static int parse_name_constraints(pl_der *v, pl_cert *c)
{
    pl_der nc;
    TRY(pl_der_enter(v, PL_DER_SEQUENCE, &nc));
    TRY(parse_subtrees(&nc, PL_DER_CONTEXT_CONS(0), &c->permitted));
    TRY(parse_subtrees(&nc, PL_DER_CONTEXT_CONS(1), &c->excluded));
    ENSURE(c->permitted.len > 0 || c->excluded.len > 0, SSL_ERR_CERT_BAD_EXTENSION);
    return pl_der_end(&nc);
}

/* AuthorityKeyIdentifier { keyIdentifier [0], authorityCertIssuer [1],
 * authorityCertSerialNumber [2] }, all optional; only the key identifier is kept. */
static int parse_authority_key_id(pl_der *v, pl_cert *c)
{
    pl_der aki;
    bool present;
    pl_slice skip;
    TRY(pl_der_enter(v, PL_DER_SEQUENCE, &aki));
    TRY(pl_der_optional(&aki, PL_DER_CONTEXT_PRIM(0), &present, &c->authority_key_id));
    TRY(pl_der_optional(&aki, PL_DER_CONTEXT_CONS(1), &present, &skip));
    TRY(pl_der_optional(&aki, PL_DER_CONTEXT_PRIM(2), &present, &skip));
    return pl_der_end(&aki);
}

/* certificatePolicies: SEQUENCE SIZE (1..MAX) OF PolicyInformation (each a SEQUENCE starting
 * with an OID); qualifiers are not interpreted. */
static int parse_cert_policies(pl_der *v)
{
    pl_der seq;
    TRY(pl_der_enter(v, PL_DER_SEQUENCE, &seq));
    ENSURE(pl_der_left(&seq) > 0, SSL_ERR_CERT_BAD_EXTENSION);
    while (pl_der_left(&seq) > 0) {
        pl_der info;
        pl_slice policy;
        TRY(pl_der_enter(&seq, PL_DER_SEQUENCE, &info));
        TRY(pl_der_read_oid(&info, &policy));
    }
    return 0;
}

/* One extension's value by OID; bit receives its PL_EXT_* flag (PL_EXT_OTHER if unknown). */
static int parse_extension_value(pl_slice oid, pl_der *v, pl_cert *c, uint32_t *bit)
{
    if (pl_oid_equal(oid, oid_basic_constraints)) {
        *bit = PL_EXT_BASIC_CONSTRAINTS;
        return parse_basic_constraints(v, c);
    }
    if (pl_oid_equal(oid, oid_key_usage)) {
        *bit = PL_EXT_KEY_USAGE;
        return parse_key_usage(v, c);
    }
    if (pl_oid_equal(oid, oid_ext_key_usage)) {
        *bit = PL_EXT_EXT_KEY_USAGE;
        return parse_ext_key_usage(v, c);
    }
    if (pl_oid_equal(oid, oid_subject_alt_name)) {
        *bit = PL_EXT_SUBJECT_ALT_NAME;
        return parse_san(v, c);
    }
    if (pl_oid_equal(oid, oid_name_constraints)) {
        *bit = PL_EXT_NAME_CONSTRAINTS;
        return parse_name_constraints(v, c);
    }
    if (pl_oid_equal(oid, oid_authority_key_id)) {
        *bit = PL_EXT_AUTHORITY_KEY_ID;
        return parse_authority_key_id(v, c);
    }
    if (pl_oid_equal(oid, oid_subject_key_id)) {
        *bit = PL_EXT_SUBJECT_KEY_ID;
        return pl_der_read_octets(v, &c->subject_key_id);
    }
    if (pl_oid_equal(oid, oid_cert_policies)) {
        *bit = PL_EXT_CERT_POLICIES;
        return parse_cert_policies(v);
    }
    *bit = PL_EXT_OTHER;
    return 0;
}

/* Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension { extnID, critical BOOLEAN DEFAULT
 * FALSE, extnValue OCTET STRING } (RFC 5280 §4.1.2.9, §4.2). Duplicates are refused by OID,
 * including unknown ones, by comparing against every earlier extension. */
static int parse_extensions(pl_der *d, pl_cert *c)
{
    pl_der outer, seq;
    pl_slice seen[32];
    size_t n = 0;
    TRY(pl_der_enter(d, PL_DER_CONTEXT_CONS(3), &outer));
    TRY(pl_der_enter(&outer, PL_DER_SEQUENCE, &seq));
    TRY(pl_der_end(&outer));
    ENSURE(pl_der_left(&seq) > 0, SSL_ERR_CERT_BAD_EXTENSION);
    while (pl_der_left(&seq) > 0) {
        pl_der ext, value;
        pl_slice oid, octets;
        bool critical = false;
        uint32_t bit;
        int rc;
        TRY(pl_der_enter(&seq, PL_DER_SEQUENCE, &ext));
        TRY(pl_der_read_oid(&ext, &oid));
        for (size_t i = 0; i < n; i++) {
            ENSURE(!pl_oid_equal(seen[i], oid), SSL_ERR_CERT_DUPLICATE_EXTENSION);
        }
        ENSURE(n < PL_ARRAY_LEN(seen), SSL_ERR_CERT_BAD_EXTENSION);
        seen[n++] = oid;
        if (pl_der_peek(&ext, PL_DER_BOOLEAN)) {
            TRY(pl_der_read_bool(&ext, &critical));
            ENSURE(critical, SSL_ERR_CERT_BAD_EXTENSION); /* DER: DEFAULT FALSE is omitted */
        }
        TRY(pl_der_read_octets(&ext, &octets));
        TRY(pl_der_end(&ext));
        TRY(pl_der_open(&ext, octets, &value));
        rc = parse_extension_value(oid, &value, c, &bit);
        if (rc == 0 && bit != PL_EXT_OTHER) {
            rc = pl_der_end(&value);
        }
        /* a known extension that does not parse is malformed, whatever the DER detail */
        ENSURE(rc == 0, rc == SSL_ERR_CERT_BAD_SAN ? rc : SSL_ERR_CERT_BAD_EXTENSION);
        ENSURE(!(critical && bit == PL_EXT_OTHER), SSL_ERR_CERT_UNKNOWN_CRITICAL_EXTENSION);
        c->ext |= bit;
        if (critical) {
            c->critical |= bit;
        }
    }
    return 0;
}

/* ---- the certificate ------------------------------------------------------------------- */

/* TBSCertificate (RFC 5280 §4.1) */
static int parse_tbs(pl_der *tbs, pl_cert *c, pl_slice *inner_alg)
{
    pl_der validity;
    uint64_t version = 0;
    pl_slice serial;
    if (pl_der_peek(tbs, PL_DER_CONTEXT_CONS(0))) {
        pl_der v;
        TRY(pl_der_enter(tbs, PL_DER_CONTEXT_CONS(0), &v));
        TRY(pl_der_read_u64(&v, &version));
        TRY(pl_der_end(&v));
        /* DER: the DEFAULT v1 is never written out */
        ENSURE(version == 1 || version == 2, SSL_ERR_CERT_BAD_VERSION);
    }
    c->version = (unsigned)version + 1;
    /* §4.1.2.2: a positive integer of at most 20 octets */
    TRY(pl_der_read_integer(tbs, &serial));
    ENSURE(pl_der_integer_magnitude(serial, &c->serial) == 0, SSL_ERR_CERT_BAD_SERIAL);
    ENSURE(c->serial.len <= 20, SSL_ERR_CERT_BAD_SERIAL);
    TRY(parse_sig_alg(tbs, c, inner_alg));
    TRY(parse_name(tbs, &c->issuer));
    TRY(pl_der_enter(tbs, PL_DER_SEQUENCE, &validity));
    TRY(parse_time(&validity, &c->not_before));
    TRY(parse_time(&validity, &c->not_after));
    TRY(pl_der_end(&validity));
    TRY(parse_name(tbs, &c->subject));
    {
        pl_der_tlv spki;
        TRY(pl_der_read_tlv(tbs, &spki));
        ENSURE(spki.tag == PL_DER_SEQUENCE, SSL_ERR_DER_UNEXPECTED_TAG);
        c->spki = spki.raw;
    }
    /* issuerUniqueID [1] and subjectUniqueID [2] (v2 or v3 only): skipped */
    for (uint8_t n = 1; n <= 2; n++) {
        bool present;
        pl_slice skip;
        TRY(pl_der_optional(tbs, PL_DER_CONTEXT_PRIM(n), &present, &skip));
        ENSURE(!present || c->version >= 2, SSL_ERR_CERT_BAD_VERSION);
    }
    if (pl_der_peek(tbs, PL_DER_CONTEXT_CONS(3))) {
        ENSURE(c->version == 3, SSL_ERR_CERT_BAD_VERSION);
        TRY(parse_extensions(tbs, c));
    }
    return pl_der_end(tbs);
}

int pl_cert_parse(pl_cert *c, const uint8_t *der, size_t len)
{
    pl_der top, cert, tbs;
    pl_der_tlv tbs_tlv;
    pl_slice inner_alg, outer_alg, sig_oid;
    memset(c, 0, sizeof *c);
    c->path_len = -1;
    pl_der_init(&top, der, len);
    c->der.ptr = der;
    c->der.len = len;
    /* Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } */
    TRY(pl_der_enter(&top, PL_DER_SEQUENCE, &cert));
    TRY(pl_der_end(&top));
    TRY(pl_der_read_tlv(&cert, &tbs_tlv));
    ENSURE(tbs_tlv.tag == PL_DER_SEQUENCE, SSL_ERR_DER_UNEXPECTED_TAG);
    c->tbs = tbs_tlv.raw;
    TRY(pl_der_open(&cert, tbs_tlv.content, &tbs));
    TRY(parse_tbs(&tbs, c, &inner_alg));
    sig_oid = c->sig_alg_oid;
    TRY(parse_sig_alg(&cert, c, &outer_alg));
    /* §4.1.1.2: signatureAlgorithm MUST equal tbsCertificate.signature */
    ENSURE(pl_oid_equal(inner_alg, outer_alg) && pl_oid_equal(sig_oid, c->sig_alg_oid),
           SSL_ERR_CERT_SIG_ALG_MISMATCH);
    TRY(pl_der_read_bit_octets(&cert, &c->signature));
    return pl_der_end(&cert);
}

void pl_cert_names_init(pl_der *it, pl_slice names)
{
    pl_der_init(it, names.ptr, names.len);
}

int pl_cert_next_name(pl_der *it, pl_general_name *out)
{
    pl_der_tlv tlv;
    if (pl_der_left(it) == 0 || pl_der_read_tlv(it, &tlv) != 0) {
        return 0; /* the end (a parsed certificate's names always read) */
    }
    out->tag = tlv.tag;
    out->value = tlv.content;
    return 1;
}

/* ---- names for people ------------------------------------------------------------------ */

static const struct {
    uint8_t last; /* id-at 2.5.4.x */
    const char *name;
} short_names[] = {
    {3, "CN"}, {5, "serialNumber"}, {6, "C"}, {7, "L"}, {8, "ST"}, {10, "O"}, {11, "OU"},
};

struct text {
    char *out;
    size_t cap, len;
    bool cut;
};

static void put(struct text *t, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (t->len + 4 >= t->cap) { /* room for "..." and the NUL */
            t->cut = true;
            return;
        }
        t->out[t->len++] = s[i];
    }
}

static void put_str(struct text *t, const char *s)
{
    put(t, s, strlen(s));
}

static void put_type(struct text *t, pl_slice oid)
{
    static const uint8_t id_at[2] = {0x55, 0x04};
    pl_reader r = pl_reader_of(oid);
    uint8_t head[3];
    char buf[16];
    uint64_t arc = 0;
    bool first = true;
    if (oid.len == 3 && pl_read_copy(&r, head, 3) == 0 && memcmp(head, id_at, 2) == 0) {
        for (size_t i = 0; i < PL_ARRAY_LEN(short_names); i++) {
            if (head[2] == short_names[i].last) {
                put_str(t, short_names[i].name);
                return;
            }
        }
    }
    /* dotted form (X.690 §8.19.4: the first subidentifier holds 40·X + Y) */
    r = pl_reader_of(oid);
    for (uint8_t b; pl_read_u8(&r, &b) == 0;) {
        arc = (arc << 7) | (b & 0x7fu);
        if (b & 0x80u) {
            continue;
        }
        if (first) {
            unsigned x = arc < 80 ? (unsigned)(arc / 40) : 2;
            snprintf(buf, sizeof buf, "%u.%llu", x, (unsigned long long)(arc - 40u * x));
            first = false;
        } else {
            snprintf(buf, sizeof buf, ".%llu", (unsigned long long)arc);
        }
        put_str(t, buf);
        arc = 0;
    }
}

static void put_value(struct text *t, pl_slice v)
{
    pl_reader r = pl_reader_of(v);
    uint8_t ch;
    while (pl_read_u8(&r, &ch) == 0) {
        if (ch >= 0x20 && ch < 0x7f && ch != '\\') {
            char c = (char)ch;
            put(t, &c, 1);
        } else {
            char esc[5];
            snprintf(esc, sizeof esc, "\\x%02x", ch);
            put_str(t, esc);
        }
    }
}

void pl_cert_name_string(pl_slice name, char *out, size_t cap)
{
    struct text t = {out, cap, 0, false};
    pl_der top, seq;
    bool first = true;
    if (cap == 0) {
        return;
    }
    pl_der_init(&top, name.ptr, name.len);
    if (pl_der_enter(&top, PL_DER_SEQUENCE, &seq) == 0) {
        while (pl_der_left(&seq) > 0) {
            pl_der rdn;
            if (pl_der_enter(&seq, PL_DER_SET, &rdn) != 0) {
                break;
            }
            while (pl_der_left(&rdn) > 0) {
                pl_der atv;
                pl_slice type;
                pl_der_tlv value;
                if (pl_der_enter(&rdn, PL_DER_SEQUENCE, &atv) != 0 ||
                    pl_der_read_oid(&atv, &type) != 0 || pl_der_read_tlv(&atv, &value) != 0) {
                    break;
                }
                put_str(&t, first ? "" : ", ");
                first = false;
                put_type(&t, type);
                put_str(&t, "=");
                put_value(&t, value.content);
            }
        }
    }
    if (t.cut) {
        memcpy(out + t.len, "...", 3);
        t.len += 3;
    }
    out[t.len < cap ? t.len : cap - 1] = '\0';
}
