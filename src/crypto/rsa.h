/* RSA (RFC 8017, PKCS #1 v2.2): keys, the RSAEP/RSADP primitives, RSASSA-PKCS1-v1_5 and RSASSA-PSS
 * signatures, RSAES-PKCS1-v1_5 encryption, the TLS 1.2 server's pre-master secret decryption
 * (RFC 5246 §7.4.7.1), and key generation (FIPS 186-4 §B.3.3 style).
 *
 * Arithmetic: the private operation and the public operation run on padlock's own Montgomery
 * code (rsa_mont.h, constant-time), with rsa_mont.h's variable-time inverse for the random
 * blinding value. libtommath is used only for the one-time work on keys: checking a loaded
 * private key's consistency and reducing its parts, and key generation (primes, d, CRT parts).
 *
 * The private operation uses CRT (RFC 8017 §5.1.2 step 2.b) with three defences:
 *   - base blinding: c is multiplied by r^e for a fresh random r, the result by r^-1;
 *   - exponent blinding: dp and dq get a fresh random 64-bit multiple of p-1 and q-1 added,
 *     so that the exponent's bit pattern differs on every call;
 *   - the fault guard: the result is raised to e and compared with the input before anything is
 *     released (Boneh, DeMillo, Lipton 1997: one faulty CRT half factors n). A mismatch is
 *     SSL_ERR_CRYPTO_FAULT_DETECTED with the output wiped.
 *
 * Not here: OAEP (RSAES-OAEP is not used by TLS 1.2), multi-prime keys (RFC 8017 §3.2 u > 2),
 * DER encoding and parsing of keys (src/x509/), public exponents of more than 32 bits. */
#ifndef PL_CRYPTO_RSA_H
#define PL_CRYPTO_RSA_H

#include "base/pl.h"
#include "crypto/hash.h"
#include "crypto/rsa_mont.h"

#define PL_RSA_MIN_BITS 512         /* smaller moduli: SSL_ERR_CRYPTO_RSA_BAD_KEY */
#define PL_RSA_MAX_BITS 8192        /* larger: SSL_ERR_CRYPTO_RSA_KEY_TOO_LARGE */
#define PL_RSA_MAX_LEN (PL_RSA_MAX_BITS / 8)
#define PL_RSA_POLICY_MIN_BITS 2048 /* pl_rsa_check_policy */
#define PL_RSA_PREMASTER_LEN 48     /* RFC 5246 §7.4.7.1 */
/* A buffer that holds every part pl_rsa_private_export writes: n, d, p, q, dp, dq, qinv are each
 * below n, and e takes 4 bytes. */
#define PL_RSA_EXPORT_MAX_LEN (7 * PL_RSA_MAX_LEN + 4)

/* A public key (RFC 8017 §3.1). Plain data: no pointers, nothing to free. */
typedef struct pl_rsa_public {
    size_t bits;                /* of n */
    size_t len;                 /* k: bytes of n, the length of every signature and ciphertext */
    uint32_t e;
    uint8_t n[PL_RSA_MAX_LEN];  /* big-endian, exactly len bytes, n[0] != 0 */
    pl_mont mont;               /* arithmetic modulo n */
} pl_rsa_public;

struct pl_rsa_secret;           /* rsa.c: the CRT parts, on the heap, wiped when freed */

/* A private key: its public half, and the secret parts. */
typedef struct pl_rsa_private {
    pl_rsa_public pub;
    struct pl_rsa_secret *secret;
} pl_rsa_private;

/* The parts of a two-prime private key (RFC 8017 §3.2, PKCS#1 RSAPrivateKey), big-endian
 * unsigned, leading zero bytes allowed. The bytes are borrowed. */
struct pl_rsa_parts {
    const uint8_t *n, *e, *d, *p, *q, *dp, *dq, *qinv;
    size_t n_len, e_len, d_len, p_len, q_len, dp_len, dq_len, qinv_len;
};

/* ---- keys ------------------------------------------------------------------------------------ */

/* A public key from n and e as big-endian unsigned magnitudes (leading zero bytes allowed).
 * Checks: n odd with PL_RSA_MIN_BITS..PL_RSA_MAX_BITS bits; e odd, 3 <= e < 2^32, e < n.
 * SSL_ERR_CRYPTO_RSA_KEY_TOO_LARGE above PL_RSA_MAX_BITS, SSL_ERR_CRYPTO_RSA_BAD_KEY for the
 * rest. Sizes under 2048 bits are accepted here, so that test vectors with small keys verify;
 * the TLS policy is pl_rsa_check_policy. */
PL_MUST_CHECK int pl_rsa_public_init(pl_rsa_public *key, const uint8_t *n, size_t n_len,
                                     const uint8_t *e, size_t e_len);
/* Zeroes the key (it holds nothing secret; for symmetry with pl_rsa_private_free). */
void pl_rsa_public_free(pl_rsa_public *key);
size_t pl_rsa_public_bits(const pl_rsa_public *key);
/* k, the byte length of n: every signature and ciphertext is exactly this long. */
size_t pl_rsa_public_len(const pl_rsa_public *key);
/* padlock's TLS policy: SSL_ERR_CRYPTO_RSA_KEY_TOO_SMALL under PL_RSA_POLICY_MIN_BITS bits. */
PL_MUST_CHECK int pl_rsa_check_policy(const pl_rsa_public *key);

/* A private key from all eight parts. Checks the public part as pl_rsa_public_init does, then:
 * p and q odd, at least 128 bits, n = p·q, e·dp = 1 mod (p-1), e·dq = 1 mod (q-1),
 * q·qinv = 1 mod p — SSL_ERR_CRYPTO_BAD_PRIVATE_KEY otherwise. d is kept for export only (the
 * CRT parts are what is used). SSL_ERR_NO_MEMORY if the secret part cannot be allocated. On
 * failure nothing needs freeing. The checks run on libtommath (not constant-time, once per
 * key load). */
PL_MUST_CHECK int pl_rsa_private_init(pl_rsa_private *key, const struct pl_rsa_parts *parts);
/* Wipes and frees the secret part; the key may then be initialised again. NULL-safe parts. */
void pl_rsa_private_free(pl_rsa_private *key);
const pl_rsa_public *pl_rsa_private_public(const pl_rsa_private *key);

/* A fresh key of bits bits (2048, 3072 or 4096; SSL_ERR_INVALID_ARGUMENT otherwise) with
 * e = 65537, per FIPS 186-4 §B.3.3: p and q random primes of bits/2 bits with their top two bits
 * set (so n has exactly bits bits), |p - q| > 2^(bits/2 - 100), gcd(e, p-1) = gcd(e, q-1) = 1,
 * Miller-Rabin rounds as FIPS 186-4 Table C.3 requires (after libtommath's Baillie-PSW test),
 * d = e^-1 mod lcm(p-1, q-1), p > q. SSL_ERR_CRYPTO_KEYGEN_FAILED when the bounded number of
 * candidates runs out; SSL_ERR_RANDOM_FAILED, SSL_ERR_NO_MEMORY. Seconds for 4096 bits. */
PL_MUST_CHECK int pl_rsa_generate(pl_rsa_private *key, unsigned bits);

/* The eight parts of a private key, minimal big-endian (no leading zero bytes; e in as few
 * bytes as it needs), for the DER writer: they are written into buf (at least
 * PL_RSA_EXPORT_MAX_LEN bytes, or SSL_ERR_INVALID_ARGUMENT) and parts points into it. The
 * caller wipes buf. pl_rsa_private_init(parts) gives the same key back. */
PL_MUST_CHECK int pl_rsa_private_export(const pl_rsa_private *key, uint8_t *buf, size_t buf_len,
                                        struct pl_rsa_parts *parts);

/* ---- raw primitives (RFC 8017 §5.1, §5.2) ---------------------------------------------------- */

/* RSAEP / RSAVP1: out = in^e mod n. in and out are k bytes (SSL_ERR_CRYPTO_BAD_LENGTH
 * otherwise); in >= n is SSL_ERR_CRYPTO_RSA_MESSAGE_TOO_LONG ("representative out of range").
 * Public data: time depends on e only. */
PL_MUST_CHECK int pl_rsa_public_op(const pl_rsa_public *key, const uint8_t *in, size_t in_len,
                                   uint8_t *out, size_t out_len);

/* RSADP / RSASP1 with CRT, blinding and the fault guard (see the top of this file). Lengths and
 * range as pl_rsa_public_op. SSL_ERR_CRYPTO_FAULT_DETECTED (out wiped) when the result fails its
 * public check; SSL_ERR_RANDOM_FAILED, SSL_ERR_NO_MEMORY. The exponentiations and the CRT
 * recombination are constant-time in the key and the data; the inverse of the random blinding
 * value r is variable-time in r (fresh, used once, never revealed), not in the key or input. */
PL_MUST_CHECK int pl_rsa_private_op(const pl_rsa_private *key, const uint8_t *in, size_t in_len,
                                    uint8_t *out, size_t out_len);

/* ---- signatures ------------------------------------------------------------------------------ */

/* RSASSA-PKCS1-v1_5 (RFC 8017 §8.2) over a digest already computed with h, which must be SHA-1,
 * SHA-256, SHA-384 or SHA-512 (SSL_ERR_CRYPTO_UNSUPPORTED_HASH otherwise); digest_len must be
 * h->digest_len (SSL_ERR_CRYPTO_BAD_LENGTH).
 *
 * verify: sig_len != k is SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING; anything else that is not the
 * one valid signature (s >= n, wrong padding, wrong DigestInfo, wrong digest) is
 * SSL_ERR_CRYPTO_BAD_SIGNATURE. The whole expected encoding EMSA-PKCS1-v1_5(digest) is built
 * and compared with pl_ct_memeq, never parsed out of the signature (§8.2.2 step 3-4; the
 * "BERserk" and Bleichenbacher-2006 forgeries parse). DigestInfo is the DER of §9.2 note 1,
 * with the NULL parameters; the form without NULL (RFC 4055 §2.1 allows it for SHA-2 as
 * "acceptable") is refused.
 * sign: sig_len must be k (SSL_ERR_CRYPTO_BAD_LENGTH); a key too small for the encoding is
 * SSL_ERR_CRYPTO_RSA_MESSAGE_TOO_LONG. Errors of pl_rsa_private_op. */
PL_MUST_CHECK int pl_rsa_pkcs1_verify(const pl_rsa_public *key, const pl_hash_class *h,
                                      const uint8_t *digest, size_t digest_len,
                                      const uint8_t *sig, size_t sig_len);
PL_MUST_CHECK int pl_rsa_pkcs1_sign(const pl_rsa_private *key, const pl_hash_class *h,
                                    const uint8_t *digest, size_t digest_len, uint8_t *sig,
                                    size_t sig_len);

/* RSASSA-PSS (RFC 8017 §8.1, EMSA-PSS §9.1) with MGF1 over mgf1 (any hash class) and a salt of
 * salt_len bytes. TLS (the rsa_pss_rsae_* schemes of RFC 8446 §4.2.3, which TLS 1.2 uses too)
 * takes mgf1 = h and salt_len = h->digest_len. Errors as for PKCS#1 v1.5; a salt too long for
 * the key is SSL_ERR_CRYPTO_BAD_SIGNATURE when verifying and SSL_ERR_CRYPTO_RSA_MESSAGE_TOO_LONG
 * when signing. sign draws the salt from pl_random. */
PL_MUST_CHECK int pl_rsa_pss_verify(const pl_rsa_public *key, const pl_hash_class *h,
                                    const uint8_t *digest, size_t digest_len,
                                    const pl_hash_class *mgf1, size_t salt_len,
                                    const uint8_t *sig, size_t sig_len);
PL_MUST_CHECK int pl_rsa_pss_sign(const pl_rsa_private *key, const pl_hash_class *h,
                                  const uint8_t *digest, size_t digest_len,
                                  const pl_hash_class *mgf1, size_t salt_len, uint8_t *sig,
                                  size_t sig_len);

/* ---- encryption ------------------------------------------------------------------------------ */

/* RSAES-PKCS1-v1_5-ENCRYPT (RFC 8017 §7.2.1): msg_len <= k - 11
 * (SSL_ERR_CRYPTO_RSA_MESSAGE_TOO_LONG), out_len == k (SSL_ERR_CRYPTO_BAD_LENGTH). The padding
 * string is non-zero random bytes from pl_random. */
PL_MUST_CHECK int pl_rsa_pkcs1_encrypt(const pl_rsa_public *key, const uint8_t *msg,
                                       size_t msg_len, uint8_t *out, size_t out_len);

/* RSAES-PKCS1-v1_5-DECRYPT (RFC 8017 §7.2.2), general form: SSL_ERR_CRYPTO_RSA_DECRYPT_FAILED for
 * any ciphertext that is not k bytes, not below n, or whose padding is wrong; the message is
 * copied to out (out_cap bytes) and its length to *msg_len, and a message longer than out_cap is
 * SSL_ERR_INVALID_ARGUMENT. The padding check reads the whole block in constant time and its
 * verdict is made public only at the end. That still tells the caller (and whoever times the
 * caller) whether the padding was right: never use this form where an attacker chooses the
 * ciphertext and sees the outcome — TLS uses pl_rsa_tls_decrypt_premaster. */
PL_MUST_CHECK int pl_rsa_pkcs1_decrypt(const pl_rsa_private *key, const uint8_t *ct,
                                       size_t ct_len, uint8_t *out, size_t out_cap,
                                       size_t *msg_len);

/* The TLS 1.2 server's EncryptedPreMasterSecret (RFC 5246 §7.4.7.1): out gets 48 random bytes
 * R first; then, only if the ciphertext decrypts with correct padding to exactly 48 bytes whose
 * first two equal client_version, the decrypted bytes replace R — selected in constant time, so
 * that neither timing, nor an error, nor (later) an alert tells which check failed
 * (Bleichenbacher 1998, ROBOT 2017). A ciphertext not below n is treated as bad padding.
 * The only errors are independent of the ciphertext's content: SSL_ERR_CRYPTO_BAD_LENGTH (ct_len
 * != k), SSL_ERR_RANDOM_FAILED, SSL_ERR_NO_MEMORY, SSL_ERR_CRYPTO_FAULT_DETECTED; out is wiped
 * with any error. */
PL_MUST_CHECK int pl_rsa_tls_decrypt_premaster(const pl_rsa_private *key, const uint8_t *ct,
                                               size_t ct_len, const uint8_t client_version[2],
                                               uint8_t out[PL_RSA_PREMASTER_LEN]);

/* ---- constant-time cores, exposed for tests/ct ----------------------------------------------- */

/* The EME-PKCS1-v1_5 check of a decrypted block em of k bytes (RFC 8017 §7.2.2 step 3):
 * 1 when em = 0x00 || 0x02 || PS (at least 8 non-zero bytes) || 0x00 || M, with the offset of M
 * in *msg_off; 0 otherwise (*msg_off is then k). Constant-time in em: every byte is read, and
 * the verdict and offset are left secret for the caller to declassify. */
uint32_t pl_rsa_pkcs1_unpad_ct(const uint8_t *em, size_t k, size_t *msg_off);

/* RFC 5246 §7.4.7.1 step 3 on a decrypted block em of k bytes: copy its last 48 bytes over out
 * (which holds R) when the padding is right, the message is 48 bytes long and begins with
 * client_version; leave out alone otherwise. Constant-time in em and out; reveals nothing. */
void pl_rsa_tls_premaster_select(const uint8_t *em, size_t k, const uint8_t client_version[2],
                                 uint8_t out[PL_RSA_PREMASTER_LEN]);

/* Tests only: flip one bit of the stored dp, as a memory fault would, so that the next private
 * operation's CRT half modulo p is wrong and the fault guard must catch it. */
void pl_rsa_private_corrupt_for_test(pl_rsa_private *key);

#endif
