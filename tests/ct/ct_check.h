/* Shared by the constant-time check's files: how a secret is marked, and the checks each file
 * contributes. ct_check.c runs them all, portable and accelerated; see its header comment. */
#ifndef PL_CT_CHECK_H
#define PL_CT_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <valgrind/memcheck.h>

/* Memcheck reports any branch or address computed from bytes marked SECRET; PUBLIC declassifies
 * a result the protocol reveals anyway (a verdict, a public key, a ciphertext). */
#define SECRET(p, n) ((void)VALGRIND_MAKE_MEM_UNDEFINED((p), (n)))
#define PUBLIC(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))

/* Deterministic filler: the check is about control flow, not values. */
void ct_fill(uint8_t *p, size_t n, uint8_t seed);

/* ct_ec.c: P-256 and P-384 scalar multiplication, ECDH, ECDSA signing. */
void ct_check_ec(void);
/* ct_rsa.c: the RSA code padlock owns around libtommath (padding checks, encodings). */
void ct_check_rsa(void);
/* ct_tls.c: the key schedule, Finished comparison, key-log hex and the record decrypt path. */
void ct_check_tls(void);

#endif
