/* Elliptic-curve cryptography on the NIST prime curves P-256 and P-384 (FIPS 186-4 §D.1.2.3,
 * §D.1.2.4; SP 800-186 §3.2.1): ECDH (SEC 1 §3.3.1, as TLS uses it in RFC 8422 §5.10) and ECDSA
 * (FIPS 186-4 §6; SEC 1 §4.1) with RFC 6979 deterministic nonces.
 *
 * The arithmetic is our own (ec_field.c): Montgomery multiplication in 64-bit limbs with 128-bit
 * products, final subtractions by masks, inversion by Fermat. Points use projective coordinates
 * and the complete formulas of Renes, Costello and Batina (2016, a = -3), so the constant-time
 * code has no exceptional cases. Secret scalars are multiplied with a signed 4-bit fixed window
 * whose table is always scanned whole; k·G uses a precomputed table of the generator's multiples
 * (p256_table.c, p384_table.c) and no doublings. Verification, on public data only, uses
 * Jacobian coordinates and Straus's interleaving: one chain of doublings, a width-5 NAF for the
 * key's multiple and a width-7 NAF over a table of G's odd multiples 1G..63G. P-256's field
 * multiplication and squaring use the prime's special form (ec_field.c, x86-64 assembly).
 *
 * Constant time: key generation, pl_ec_private_init, pl_ecdh_shared and pl_ecdsa_sign take time
 * independent of the private scalar, the nonce and (for ECDH) the peer's point; what they make
 * public is said on each function. pl_ecdsa_verify and everything named _vartime handle public
 * data only and run in variable time.
 *
 * Not here: other curves, compressed points (RFC 8422 §5.1.2 lets TLS 1.2 peers use only the
 * uncompressed form, and RFC 8446 removed the others), explicit curve parameters, and the
 * encoding of keys in files (src/x509/key.c). */
#ifndef PL_CRYPTO_EC_H
#define PL_CRYPTO_EC_H

#include "base/pl.h"
#include "crypto/hash.h"

/* The curves, numbered as TLS NamedGroup values (RFC 8422 §5.1.1). */
typedef enum pl_ec_curve { PL_EC_P256 = 23, PL_EC_P384 = 24 } pl_ec_curve;

#define PL_EC_MAX_SCALAR_LEN 48
#define PL_EC_MAX_POINT_LEN 97 /* 0x04 || X || Y for P-384 */
/* The longest DER ECDSA signature: SEQUENCE { INTEGER r, INTEGER s } with 49-byte integers. */
#define PL_ECDSA_MAX_SIG_LEN 104

/* The byte length of a scalar (and of a field element: for both curves they are equal): 32 or
 * 48; 0 for an unknown curve. */
size_t pl_ec_scalar_len(pl_ec_curve curve);
/* The byte length of an uncompressed point, 1 + 2 · scalar length: 65 or 97; 0 if unknown. */
size_t pl_ec_point_len(pl_ec_curve curve);

/* A validated public key: point holds 0x04 || X || Y (point_len bytes), a point on the curve
 * other than infinity, X and Y below p. Plain bytes: copy it by assignment. */
typedef struct pl_ec_public {
    pl_ec_curve curve;
    size_t point_len;
    uint8_t point[PL_EC_MAX_POINT_LEN];
} pl_ec_public;

/* A private key: the big-endian scalar d, 1 <= d < n, and its public key d·G. Holds a secret:
 * release it with pl_ec_private_wipe. Plain bytes: assignment copies it. */
typedef struct pl_ec_private {
    pl_ec_curve curve;
    uint8_t scalar[PL_EC_MAX_SCALAR_LEN];
    pl_ec_public pub;
} pl_ec_private;

/* Validate an uncompressed point (SEC 1 §2.3.4 and the partial check of §3.2.3.1, which is full
 * validation on these prime-order curves) and keep it in *key. SSL_ERR_CRYPTO_UNSUPPORTED_CURVE;
 * SSL_ERR_CRYPTO_BAD_POINT_ENCODING when the length is not the curve's point length or the first
 * byte is not 0x04 (compressed and hybrid forms are refused); SSL_ERR_CRYPTO_POINT_NOT_ON_CURVE
 * when a coordinate is >= p or the point is not on the curve. Variable time (public data). */
PL_MUST_CHECK int pl_ec_public_init(pl_ec_public *key, pl_ec_curve curve, const uint8_t *point,
                                    size_t point_len);

/* A private key from its big-endian scalar of exactly the curve's scalar length (callers strip
 * or pad): SSL_ERR_CRYPTO_BAD_LENGTH for another length, SSL_ERR_CRYPTO_BAD_PRIVATE_KEY unless
 * 1 <= d < n. Derives and stores the public point d·G. Constant-time in the scalar; only the
 * range verdict is made public. */
PL_MUST_CHECK int pl_ec_private_init(pl_ec_private *key, pl_ec_curve curve, const uint8_t *scalar,
                                     size_t scalar_len);
void pl_ec_private_wipe(pl_ec_private *key);
/* The public key of a private key: a pointer into *key, valid as long as it is. */
const pl_ec_public *pl_ec_private_public(const pl_ec_private *key);

/* ECDSA verification (FIPS 186-4 §6.4.2; SEC 1 §4.1.4) of a DER signature
 * SEQUENCE { INTEGER r, INTEGER s } (RFC 3279 §2.2.3) over a digest of any length (truncated to
 * the bit length of n, or padded, per bits2int of RFC 6979 §2.3.2). Strict DER only: definite
 * minimal lengths, minimal non-negative INTEGERs, nothing after the SEQUENCE; otherwise
 * SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING. r or s outside [1, n-1], or a signature that does not
 * verify: SSL_ERR_CRYPTO_BAD_SIGNATURE. Variable time: every input is public. */
PL_MUST_CHECK int pl_ecdsa_verify(const pl_ec_public *key, const uint8_t *digest,
                                  size_t digest_len, const uint8_t *sig, size_t sig_len);

/* The same for the fixed-length form r || s (each exactly the scalar length, big-endian), as
 * used by JOSE and PKCS#11. SSL_ERR_CRYPTO_BAD_SIGNATURE_ENCODING for another length. */
PL_MUST_CHECK int pl_ecdsa_verify_raw(const pl_ec_public *key, const uint8_t *digest,
                                      size_t digest_len, const uint8_t *sig, size_t sig_len);

/* ECDSA signature (FIPS 186-4 §6.4.1) of a digest with the nonce of RFC 6979 §3.2, whose
 * HMAC_DRBG uses hash (the hash that made the digest, normally); the signature is written in
 * strict DER to sig (at most PL_ECDSA_MAX_SIG_LEN bytes) and its length to *sig_len.
 * SSL_ERR_WRITE_NO_SPACE when sig_cap is too small (nothing useful is in sig then),
 * SSL_ERR_CRYPTO_BAD_LENGTH for an empty digest, SSL_ERR_RANDOM_FAILED when the OS has no
 * randomness for blinding the nonce's inversion (the blinding does not change the result).
 * Constant-time in the private key and the nonce; the signature is public and its encoding
 * branches on it. key must come from pl_ec_private_init. */
PL_MUST_CHECK int pl_ecdsa_sign(const pl_ec_private *key, const pl_hash_class *hash,
                                const uint8_t *digest, size_t digest_len, uint8_t *sig,
                                size_t sig_cap, size_t *sig_len);

/* Flags for pl_ecdsa_sign_flags. PL_ECDSA_HEDGED: mix scalar-length fresh random bytes into the
 * nonce derivation as the additional data k' of RFC 6979 §3.6, so that a fault or a repeated
 * signing of one digest does not repeat k exactly; the signature is then not deterministic. */
#define PL_ECDSA_HEDGED 1u

/* pl_ecdsa_sign with flags (0 is pl_ecdsa_sign itself); SSL_ERR_INVALID_ARGUMENT for an unknown
 * flag, SSL_ERR_RANDOM_FAILED when hedging and the OS has no randomness. */
PL_MUST_CHECK int pl_ecdsa_sign_flags(const pl_ec_private *key, const pl_hash_class *hash,
                                      const uint8_t *digest, size_t digest_len, uint32_t flags,
                                      uint8_t *sig, size_t sig_cap, size_t *sig_len);

/* A fresh ECDH key pair: priv gets the scalar_len-byte scalar, a uniform 1 <= d < n by rejection
 * sampling (FIPS 186-4 §B.4.2), and pub the point_len-byte point d·G. SSL_ERR_RANDOM_FAILED when
 * the OS has no randomness, SSL_ERR_CRYPTO_KEYGEN_FAILED after 64 rejected candidates (odds
 * below 2^-2000); SSL_ERR_CRYPTO_UNSUPPORTED_CURVE. Constant-time in the scalar; only the verdict
 * on each candidate (which is then discarded or kept) is made public. */
PL_MUST_CHECK int pl_ecdh_keygen(pl_ec_curve curve, uint8_t *priv, uint8_t *pub);

/* The ECDH shared secret (SEC 1 §3.3.1; RFC 8422 §5.10): out gets the scalar_len-byte
 * x-coordinate of priv · peer. peer is validated as pl_ec_public_init does, with its codes.
 * SSL_ERR_CRYPTO_BAD_PRIVATE_KEY unless 1 <= priv < n; SSL_ERR_CRYPTO_POINT_NOT_ON_CURVE if the
 * result is the point at infinity (it cannot be for a valid peer point; checked anyway). On an
 * error out is zeroed. Constant-time in priv and in the peer's point; only the verdicts are
 * public. */
PL_MUST_CHECK int pl_ecdh_shared(pl_ec_curve curve, uint8_t *out, const uint8_t *priv,
                                 const uint8_t *peer, size_t peer_len);

/* ---- for tests and benchmarks --------------------------------------------------------------- */

/* out (point_len bytes) = scalar · G through the fixed-base table. The scalar is scalar_len
 * bytes, 1 <= scalar < n, else SSL_ERR_CRYPTO_BAD_PRIVATE_KEY. Constant-time in the scalar. */
PL_MUST_CHECK int pl_ec_mul_base(pl_ec_curve curve, uint8_t *out, const uint8_t *scalar);
/* out = scalar · point through the variable-base window; point is validated. Constant-time in
 * the scalar and the point. SSL_ERR_CRYPTO_POINT_NOT_ON_CURVE when the result is infinity. */
PL_MUST_CHECK int pl_ec_mul(pl_ec_curve curve, uint8_t *out, const uint8_t *scalar,
                            const uint8_t *point, size_t point_len);
/* out = u1 · G + u2 · point, the verifier's double multiplication; u1 and u2 are any
 * scalar_len-byte values below n (0 allowed). SSL_ERR_CRYPTO_POINT_NOT_ON_CURVE when the result
 * is infinity. Variable time. */
PL_MUST_CHECK int pl_ec_double_mul_vartime(pl_ec_curve curve, uint8_t *out, const uint8_t *u1,
                                           const uint8_t *u2, const uint8_t *point,
                                           size_t point_len);

#endif
