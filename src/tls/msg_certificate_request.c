/* CertificateRequest (RFC 5246 §7.4.4): parsed for syntax, then held against the client's
 * certificate chain and key (x509/identity.h) to decide whether the client can answer it and
 * with which signature scheme. When it cannot, the client sends an empty Certificate (§7.4.6)
 * and the server decides whether to go on without one. */
#include "tls/msg.h"

#include <stdio.h>

#include "x509/identity.h"

int pl_msg_parse_cert_request(pl_reader *r, pl_cert_request *cr)
{
    pl_reader names;
    TRY(pl_read_vec8(r, 1, 255, &cr->cert_types));
    TRY(pl_read_vec16(r, 2, 0xfffe, &cr->sigalgs));
    ENSURE(cr->sigalgs.len % 2 == 0, SSL_ERR_DECODE_VEC_LENGTH);
    TRY(pl_read_vec16(r, 0, 0xffff, &cr->authorities));
    names = pl_reader_of(cr->authorities);
    /* each DistinguishedName<1..2^16-1>; their contents are DER the certificate code reads */
    while (pl_reader_left(&names) > 0) {
        pl_slice dn;
        TRY(pl_read_vec16(&names, 1, 0xffff, &dn));
    }
    return pl_read_end(r);
}

int pl_msg_parse_empty(pl_reader *r)
{
    return pl_read_end(r);
}

/* ---- does our chain fit? --------------------------------------------------------------------- */

static int listed_u8(pl_slice list, uint8_t v)
{
    pl_reader r = pl_reader_of(list);
    uint8_t x;
    while (pl_read_u8(&r, &x) == 0) {
        if (x == v) {
            return 1;
        }
    }
    return 0;
}

static int listed_u16(pl_slice list, uint16_t v)
{
    pl_reader r = pl_reader_of(list);
    uint16_t x;
    while (pl_read_u16(&r, &x) == 0) {
        if (x == v) {
            return 1;
        }
    }
    return 0;
}

static int same_name(pl_slice a, pl_slice b)
{
    return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
}

/* Some certificate of the chain is a named CA, or was issued by one. The parser checked the
 * list's syntax; a name that is not DER simply matches nothing. */
static int issued_by_named_ca(pl_slice authorities, const pl_identity *id, size_t *named)
{
    pl_reader r = pl_reader_of(authorities);
    pl_slice dn;
    int found = 0;
    *named = 0;
    while (pl_read_vec16(&r, 1, 0xffff, &dn) == 0) {
        (*named)++;
        for (size_t i = 0; i < id->count; i++) {
            found |= same_name(dn, id->certs[i].issuer) || same_name(dn, id->certs[i].subject);
        }
    }
    return found;
}

/* Our schemes in preference order. PSS before PKCS #1 v1.5 (RFC 8446 §4.2.3 recommends it for
 * new signatures); SHA-512 is left out, as every server that asks for it asks for SHA-256 too. */
static const uint16_t rsa_schemes[] = {PL_SIG_RSA_PSS_RSAE_SHA256, PL_SIG_RSA_PSS_RSAE_SHA384,
                                       PL_SIG_RSA_PKCS1_SHA256, PL_SIG_RSA_PKCS1_SHA384};
static const uint16_t p256_schemes[] = {PL_SIG_ECDSA_SECP256R1_SHA256,
                                        PL_SIG_ECDSA_SECP384R1_SHA384};
static const uint16_t p384_schemes[] = {PL_SIG_ECDSA_SECP384R1_SHA384,
                                        PL_SIG_ECDSA_SECP256R1_SHA256};

int pl_msg_choose_client_cert(const pl_cert_request *cr, const pl_identity *id, uint16_t *sigalg,
                              char *why, size_t why_cap)
{
    int ec = id->key.alg == PL_KEY_EC;
    const char *kind = !ec ? "RSA" : id->key.curve == PL_EC_P384 ? "EC P-384" : "EC P-256";
    uint8_t type = ec ? PL_CERT_TYPE_ECDSA_SIGN : PL_CERT_TYPE_RSA_SIGN;
    const uint16_t *ours = !ec ? rsa_schemes : id->key.curve == PL_EC_P384 ? p384_schemes
                                                                            : p256_schemes;
    size_t ours_count = !ec ? PL_ARRAY_LEN(rsa_schemes) : PL_ARRAY_LEN(p256_schemes);
    size_t named;
    *sigalg = 0;
    if (!listed_u8(cr->cert_types, type)) {
        snprintf(why, why_cap, "the server's certificate_types do not include %s, which our %s "
                 "key needs", ec ? "ecdsa_sign (64)" : "rsa_sign (1)", kind);
        return 0;
    }
    for (size_t i = 0; i < ours_count && *sigalg == 0; i++) {
        if (listed_u16(cr->sigalgs, ours[i])) {
            *sigalg = ours[i];
        }
    }
    if (*sigalg == 0) {
        snprintf(why, why_cap, "the server lists no signature scheme our %s key can make with "
                 "SHA-256 or SHA-384", kind);
        return 0;
    }
    if (cr->authorities.len > 0 && !issued_by_named_ca(cr->authorities, id, &named)) {
        *sigalg = 0;
        snprintf(why, why_cap, "none of the %zu certificate authorities the server names is in, "
                 "or issued a certificate of, our chain", named);
        return 0;
    }
    return 1;
}
