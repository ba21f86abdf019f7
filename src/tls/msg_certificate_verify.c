/* CertificateVerify (RFC 5246 §7.4.8): the client proves it holds the private key of the
 * certificate it sent by signing the handshake so far.
 *
 *   struct { digitally-signed struct { opaque handshake_messages[handshake_messages_length]; } }
 *
 * digitally-signed (§4.7) is SignatureAndHashAlgorithm, then signature<0..2^16-1>. What is
 * signed is every handshake message sent and received from ClientHello up to (not including)
 * this one, headers included, hashed with the scheme's hash — which need not be the suite's PRF
 * hash, so the handshake keeps SHA-256 and SHA-384 transcripts both (hs_client.c). The caller
 * passes that digest; this file turns it into a signature and the message, and parses one back
 * (for the trace and the tests).
 *
 * Schemes: rsa_pss_rsae_sha256/384/512 (RFC 8446 §4.2.3, usable in TLS 1.2: RSASSA-PSS with
 * MGF1 over the same hash and a salt as long as the hash), rsa_pkcs1_sha256/384/512 and
 * ecdsa_*_sha256/384/512 (in TLS 1.2 an ECDSA scheme names the hash only; the curve is the
 * key's). Not here: SHA-1 and SHA-224 schemes, DSA, EdDSA. */
#include "tls/msg.h"

#include "crypto/ec.h"
#include "crypto/rsa.h"
#include "x509/key.h"

const pl_hash_class *pl_msg_sigalg_hash(uint16_t sigalg)
{
    switch (sigalg) {
    case PL_SIG_RSA_PKCS1_SHA256:
    case PL_SIG_ECDSA_SECP256R1_SHA256:
    case PL_SIG_RSA_PSS_RSAE_SHA256:
        return &pl_sha256_class;
    case PL_SIG_RSA_PKCS1_SHA384:
    case PL_SIG_ECDSA_SECP384R1_SHA384:
    case PL_SIG_RSA_PSS_RSAE_SHA384:
        return &pl_sha384_class;
    case PL_SIG_RSA_PKCS1_SHA512:
    case 0x0603:                        /* ecdsa_secp521r1_sha512: ECDSA with SHA-512 */
    case PL_SIG_RSA_PSS_RSAE_SHA512:
        return &pl_sha512_class;
    default:
        return NULL;
    }
}

/* The signature into sig (cap bytes), its length in *sig_len. */
static int sign(const pl_private_key *key, uint16_t sigalg, const pl_hash_class *h,
                const uint8_t *digest, size_t digest_len, uint8_t *sig, size_t cap,
                size_t *sig_len)
{
    int ecdsa = (sigalg & 0xff) == 3;
    int pss = (sigalg >> 8) == 8;
    ENSURE(ecdsa == (key->alg == PL_KEY_EC), SSL_ERR_HS_SIGALG_KEY_MISMATCH);
    if (ecdsa) {
        /* RFC 6979's nonce, with fresh bytes mixed in (§3.6): a fault while signing the same
         * transcript twice cannot then reuse a nonce. */
        return pl_ecdsa_sign_flags(&key->u.ec, h, digest, digest_len, PL_ECDSA_HEDGED, sig, cap,
                                   sig_len);
    }
    *sig_len = pl_rsa_public_len(&key->u.rsa.pub);
    ENSURE(*sig_len <= cap, SSL_ERR_WRITE_NO_SPACE);
    if (pss) {
        return pl_rsa_pss_sign(&key->u.rsa, h, digest, digest_len, h, h->digest_len, sig,
                               *sig_len);
    }
    return pl_rsa_pkcs1_sign(&key->u.rsa, h, digest, digest_len, sig, *sig_len);
}

int pl_msg_write_cert_verify(pl_writer *w, const pl_private_key *key, uint16_t sigalg,
                             const uint8_t *digest, size_t digest_len)
{
    const pl_hash_class *h = pl_msg_sigalg_hash(sigalg);
    uint8_t sig[PL_RSA_MAX_LEN];        /* also holds any DER ECDSA signature */
    size_t body, vec, sig_len = 0;
    ENSURE(h != NULL && digest_len == h->digest_len, SSL_ERR_INVALID_ARGUMENT);
    TRY(sign(key, sigalg, h, digest, digest_len, sig, sizeof sig, &sig_len));
    TRY(pl_write_u8(w, PL_HS_CERTIFICATE_VERIFY));
    TRY(pl_write_open24(w, &body));
    TRY(pl_write_u16(w, sigalg));
    TRY(pl_write_open16(w, &vec));
    TRY(pl_write_bytes(w, sig, sig_len));
    TRY(pl_write_close16(w, vec));
    return pl_write_close24(w, body);
}

int pl_msg_parse_cert_verify(pl_reader *r, pl_cert_verify *cv)
{
    TRY(pl_read_u16(r, &cv->sigalg));
    TRY(pl_read_vec16(r, 0, 0xffff, &cv->signature));
    return pl_read_end(r);
}
