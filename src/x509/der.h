/* A strict DER reader (ITU-T X.690 §8 basic encoding with the §10 DER restrictions) on the
 * bounded cursor.
 *
 * What it accepts: identifiers in the low-tag-number form only (tag numbers 0..30, X.690
 * §8.1.2.3; the high-tag-number form of §8.1.2.4 is refused with SSL_ERR_DER_HIGH_TAG_NUMBER, no
 * certificate or key format we read needs it), definite lengths in their shortest form (§8.1.3,
 * §10.1) of at most PL_DER_MAX_LEN, and for the universal types the constructed bit the type
 * requires (§10.2: strings are primitive in DER; SEQUENCE and SET are constructed). Values are
 * checked as DER requires: minimal INTEGERs (§8.3.2), BOOLEAN 0x00/0xFF (§11.1), empty NULL
 * (§8.8), OIDs of minimal base-128 subidentifiers (§8.19.2), BIT STRINGs with zero padding bits
 * (§11.2.1).
 *
 * What it does not do: the indefinite form (§8.1.3.6) and constructed strings are refused, not
 * reassembled; string and time contents (character sets, UTCTime rules) are the certificate
 * parser's job; nothing is ever allocated: every slice borrows from the input.
 *
 * Nesting: a pl_der carries its depth. pl_der_init starts at depth 0, and every reader made by
 * pl_der_enter or pl_der_open is one deeper; going past PL_DER_MAX_DEPTH fails with
 * SSL_ERR_DER_TOO_DEEP, so no input can make a recursive walker recurse without bound.
 *
 * Errors: every function returns 0 or a negative SSL_ERR_DER_* code naming the broken rule
 * (SSL_ERR_DER_TRUNCATED for an identifier or length cut short). On failure a pl_der may have
 * moved; callers give up on the whole structure. */
#ifndef PL_X509_DER_H
#define PL_X509_DER_H

#include <stdbool.h>

#include "base/cursor.h"

/* How deep readers may nest. A certificate's deepest common path (Certificate, TBSCertificate,
 * [3] extensions, Extension, extnValue, NameConstraints, GeneralSubtrees, GeneralSubtree,
 * GeneralName) is under 12. */
#define PL_DER_MAX_DEPTH 20
/* The longest contents accepted: 2^24 - 1, the most a TLS Certificate message can carry
 * (RFC 5246 §7.4.2), so lengths take at most three length octets. */
#define PL_DER_MAX_LEN 0xffffffu

/* Identifier octets (X.690 §8.1.2): class in bits 8-7, constructed in bit 6, number in 5-1. */
#define PL_DER_CLASS_MASK 0xc0u
#define PL_DER_UNIVERSAL 0x00u
#define PL_DER_APPLICATION 0x40u
#define PL_DER_CONTEXT 0x80u
#define PL_DER_PRIVATE 0xc0u
#define PL_DER_CONSTRUCTED 0x20u
#define PL_DER_NUMBER_MASK 0x1fu

/* Universal tags as identifier octets (X.680 §8.4 Table 1). */
#define PL_DER_BOOLEAN 0x01u
#define PL_DER_INTEGER 0x02u
#define PL_DER_BIT_STRING 0x03u
#define PL_DER_OCTET_STRING 0x04u
#define PL_DER_NULL 0x05u
#define PL_DER_OID 0x06u
#define PL_DER_ENUMERATED 0x0au
#define PL_DER_UTF8_STRING 0x0cu
#define PL_DER_PRINTABLE_STRING 0x13u
#define PL_DER_T61_STRING 0x14u
#define PL_DER_IA5_STRING 0x16u
#define PL_DER_UTC_TIME 0x17u
#define PL_DER_GENERALIZED_TIME 0x18u
#define PL_DER_UNIVERSAL_STRING 0x1cu
#define PL_DER_BMP_STRING 0x1eu
#define PL_DER_SEQUENCE 0x30u
#define PL_DER_SET 0x31u

/* Context-specific tags [n], n in 0..30: primitive (an IMPLICIT primitive type) and
 * constructed (EXPLICIT, or an IMPLICIT constructed type). */
#define PL_DER_CONTEXT_PRIM(n) ((uint8_t)(PL_DER_CONTEXT | (n)))
#define PL_DER_CONTEXT_CONS(n) ((uint8_t)(PL_DER_CONTEXT | PL_DER_CONSTRUCTED | (n)))

typedef struct pl_der {
    pl_reader in;
    unsigned depth;
} pl_der;

/* One encoding: its identifier octet, its contents, and the whole TLV as it appeared (for
 * hashing a TBSCertificate or comparing Names byte for byte). Both slices borrow the input. */
typedef struct pl_der_tlv {
    uint8_t tag;
    pl_slice content;
    pl_slice raw;
} pl_der_tlv;

/* A reader at depth 0 over len bytes of DER. Only for top-level input: nested contents are
 * read through pl_der_enter or pl_der_open so that their depth counts. */
void pl_der_init(pl_der *d, const uint8_t *buf, size_t len);
size_t pl_der_left(const pl_der *d);

/* Read the next TLV, whatever its tag, checking identifier and length as described above.
 * SSL_ERR_DER_TRUNCATED, SSL_ERR_DER_HIGH_TAG_NUMBER, SSL_ERR_DER_BAD_TAG (universal 0, or a
 * constructed bit DER forbids), SSL_ERR_DER_INDEFINITE_LENGTH, SSL_ERR_DER_BAD_LENGTH (the
 * reserved 0xff), SSL_ERR_DER_NOT_MINIMAL_LENGTH, SSL_ERR_DER_LENGTH_TOO_LARGE,
 * SSL_ERR_DER_LENGTH_PAST_END. */
PL_MUST_CHECK int pl_der_read_tlv(pl_der *d, pl_der_tlv *out);

/* 1 when the next identifier octet is tag, 0 otherwise (also at the end of input): for
 * OPTIONAL and DEFAULT fields. Reads nothing. */
bool pl_der_peek(const pl_der *d, uint8_t tag);

/* The next TLV, which must carry tag (SSL_ERR_DER_UNEXPECTED_TAG otherwise;
 * SSL_ERR_DER_TRUNCATED when nothing is left); its contents in *content. */
PL_MUST_CHECK int pl_der_expect(pl_der *d, uint8_t tag, pl_slice *content);
/* Like pl_der_expect, but an absent field (the next tag is not tag, or nothing is left) is not
 * an error: *present says which. */
PL_MUST_CHECK int pl_der_optional(pl_der *d, uint8_t tag, bool *present, pl_slice *content);

/* The next TLV must carry tag; *sub reads its contents one level deeper (SSL_ERR_DER_TOO_DEEP
 * past PL_DER_MAX_DEPTH). For SEQUENCE, SET and EXPLICIT [n]. */
PL_MUST_CHECK int pl_der_enter(pl_der *d, uint8_t tag, pl_der *sub);
/* *sub reads content (DER nested inside an OCTET STRING or BIT STRING of d's structure, or a
 * TLV's contents from pl_der_read_tlv) one level deeper than d. */
PL_MUST_CHECK int pl_der_open(const pl_der *d, pl_slice content, pl_der *sub);

/* 0 when d is exhausted, SSL_ERR_DER_TRAILING_DATA otherwise: a structure's last line. */
PL_MUST_CHECK int pl_der_end(const pl_der *d);

/* ---- values, read with their universal tag --------------------------------------------- */

/* INTEGER (X.690 §8.3): its two's-complement contents, checked non-empty
 * (SSL_ERR_DER_EMPTY_INTEGER) and minimal (SSL_ERR_DER_NOT_MINIMAL_INTEGER). */
PL_MUST_CHECK int pl_der_read_integer(pl_der *d, pl_slice *out);
/* A non-negative INTEGER's magnitude, big-endian, with the sign-padding 0x00 removed (zero is
 * the one byte 0x00). SSL_ERR_DER_NEGATIVE_INTEGER for a negative value. */
PL_MUST_CHECK int pl_der_read_uint(pl_der *d, pl_slice *out);
/* A non-negative INTEGER that fits 64 bits; SSL_ERR_DER_NEGATIVE_INTEGER,
 * SSL_ERR_DER_INTEGER_TOO_LARGE. */
PL_MUST_CHECK int pl_der_read_u64(pl_der *d, uint64_t *out);
/* BOOLEAN (§8.2, §11.1): exactly one octet, 0x00 or 0xff (SSL_ERR_DER_BAD_BOOLEAN). */
PL_MUST_CHECK int pl_der_read_bool(pl_der *d, bool *out);
/* NULL (§8.8): empty contents (SSL_ERR_DER_BAD_NULL). */
PL_MUST_CHECK int pl_der_read_null(pl_der *d);
/* OBJECT IDENTIFIER (§8.19): the contents octets, checked (SSL_ERR_DER_BAD_OID: empty, or the
 * last subidentifier unfinished; SSL_ERR_DER_NOT_MINIMAL_OID: a subidentifier starting 0x80). */
PL_MUST_CHECK int pl_der_read_oid(pl_der *d, pl_slice *out);
/* BIT STRING (§8.6, §11.2): the bytes after the unused-bits octet and the unused count (0..7;
 * 0 when empty: SSL_ERR_DER_BAD_BIT_STRING; padding bits zero: SSL_ERR_DER_BIT_STRING_PADDING). */
PL_MUST_CHECK int pl_der_read_bits(pl_der *d, pl_slice *bytes, unsigned *unused);
/* A BIT STRING that must hold whole octets (keys, signatures): SSL_ERR_DER_BIT_STRING_NOT_OCTETS
 * when unused bits are declared. */
PL_MUST_CHECK int pl_der_read_bit_octets(pl_der *d, pl_slice *bytes);
/* OCTET STRING (§8.7), primitive as DER requires. */
PL_MUST_CHECK int pl_der_read_octets(pl_der *d, pl_slice *out);

/* ---- the same checks on contents already read (IMPLICIT tags, pl_der_read_tlv) ---------- */

PL_MUST_CHECK int pl_der_check_integer(pl_slice content);
PL_MUST_CHECK int pl_der_integer_magnitude(pl_slice content, pl_slice *out);
PL_MUST_CHECK int pl_der_integer_u64(pl_slice content, uint64_t *out);
PL_MUST_CHECK int pl_der_parse_bool(pl_slice content, bool *out);
PL_MUST_CHECK int pl_der_check_oid(pl_slice content);
PL_MUST_CHECK int pl_der_parse_bits(pl_slice content, pl_slice *bytes, unsigned *unused);

#endif
