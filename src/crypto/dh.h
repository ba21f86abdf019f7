/* Finite-field Diffie-Hellman for TLS 1.2's DHE suites (RFC 5246 §8.1.2, §7.4.3), with the
 * negotiated groups of RFC 7919 (ffdhe2048, ffdhe3072, ffdhe4096) and server-chosen groups.
 *
 * The arithmetic is libtommath's (dh.c only). libtommath is not constant-time: the private
 * exponent's bits steer its exponentiation. padlock's DH secrets are ephemeral — one fresh
 * exponent per handshake, used for one key pair and one shared secret — which is what keeps a
 * timing leak from accumulating across connections (RFC 7919 §8.6 warns about reused secrets).
 *
 * Not here: checking that a server-chosen p is prime or that g generates a large subgroup (a
 * server that picks a weak group could as well publish its keys; the client only refuses
 * groups that are too small to be safe against anyone else: Logjam), DH certificates, static DH. */
#ifndef PL_CRYPTO_DH_H
#define PL_CRYPTO_DH_H

#include "base/pl.h"

#define PL_DH_MIN_BITS 2048                 /* smaller primes: SSL_ERR_CRYPTO_DH_GROUP_TOO_SMALL */
#define PL_DH_MAX_BITS 8192                 /* larger: SSL_ERR_CRYPTO_DH_BAD_GROUP */
#define PL_DH_MAX_LEN (PL_DH_MAX_BITS / 8)  /* bytes in p, a public value or a shared secret */
#define PL_DH_MAX_PRIV_LEN 64               /* the longest private exponent padlock draws */

/* TLS NamedGroup values (RFC 7919 §2). */
#define PL_GROUP_FFDHE2048 256
#define PL_GROUP_FFDHE3072 257
#define PL_GROUP_FFDHE4096 258

/* A group: prime p and generator g, big-endian without leading zero bytes. The bytes are
 * borrowed (the RFC 7919 tables, or the server's message for a server-chosen group). */
typedef struct pl_dh_group {
    const char *name;         /* "ffdhe2048", ...; "server-chosen" otherwise */
    uint16_t named_group;     /* RFC 7919 NamedGroup, or 0 */
    const uint8_t *p;
    size_t p_len;
    const uint8_t *g;
    size_t g_len;
    size_t priv_len;          /* bytes of private exponent drawn by pl_dh_keygen */
} pl_dh_group;

extern const pl_dh_group pl_ffdhe2048, pl_ffdhe3072, pl_ffdhe4096;

/* The RFC 7919 group with this NamedGroup value, or NULL. */
const pl_dh_group *pl_dh_ffdhe(uint16_t named_group);

/* A server's ServerDHParams dh_p and dh_g (RFC 5246 §7.4.3) as a group. Leading zero bytes are
 * skipped; p must be odd with PL_DH_MIN_BITS..PL_DH_MAX_BITS bits and 1 < g < p-1.
 * SSL_ERR_CRYPTO_DH_GROUP_TOO_SMALL under 2048 bits (Logjam: such groups can be broken by
 * precomputation), SSL_ERR_CRYPTO_DH_BAD_GROUP otherwise. When p and g are one of the RFC 7919
 * groups, *group is that group (name and exponent size included). group borrows p and g. */
PL_MUST_CHECK int pl_dh_group_init(pl_dh_group *group, const uint8_t *p, size_t p_len,
                                   const uint8_t *g, size_t g_len);

/* A fresh key pair: group->priv_len random bytes of private exponent x (top bit set, so x has
 * a fixed size: RFC 7919 §5.2 short exponents, longer than its Appendix A minimums), and
 * pub = g^x mod p written as exactly group->p_len bytes (left-padded with zeros, the way
 * ClientDiffieHellmanPublic carries it). priv_len must be group->priv_len and pub_len at least
 * group->p_len. Time depends on x (libtommath; see above). */
PL_MUST_CHECK int pl_dh_keygen(const pl_dh_group *group, uint8_t *priv, size_t priv_len,
                               uint8_t *pub, size_t pub_len);

/* Is the peer's public value acceptable: 1 < y < p-1 (leading zero bytes allowed, no more bytes
 * than p)? 0 or SSL_ERR_CRYPTO_DH_BAD_PUBLIC. y = 0, 1 or p-1 would force a shared secret of 0,
 * 1 or ±1 whatever our exponent. */
PL_MUST_CHECK int pl_dh_check_public(const pl_dh_group *group, const uint8_t *y, size_t y_len);

/* The TLS 1.2 pre-master secret: Z = y^x mod p after pl_dh_check_public, with Z's leading zero
 * bytes stripped exactly as RFC 5246 §8.1.2 says; *out_len is the stripped length. out_cap must
 * be at least group->p_len. Z = 1 (y in a tiny subgroup) is SSL_ERR_CRYPTO_DH_BAD_PUBLIC.
 * Time depends on x (libtommath), and the stripped length is visible in the PRF's timing —
 * the "Raccoon" attack; see dh.c. */
PL_MUST_CHECK int pl_dh_shared(const pl_dh_group *group, const uint8_t *priv, size_t priv_len,
                               const uint8_t *y, size_t y_len, uint8_t *out, size_t out_cap,
                               size_t *out_len);

#endif
