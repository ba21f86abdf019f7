/* A PEM reader (RFC 7468 textual encodings of PKIX structures).
 *
 * It walks a buffer of text block by block. A block is a line "-----BEGIN <label>-----", base64
 * lines, and a line "-----END <label>-----" with the same label (RFC 7468 §2, §3). Text outside
 * blocks is explanatory and skipped (§2, §5.2). Lines end in LF or CRLF; boundary lines may
 * carry trailing spaces or tabs, and whitespace anywhere inside the base64 text is ignored
 * (§3's lax parsing). The base64 itself is strict (RFC 4648 §4 alphabet, '=' padding required
 * and only at the end, and the bits padding leaves over must be zero: RFC 4648 §3.5), so each
 * block decodes to exactly one byte string.
 *
 * What it does not do: RFC 1421 headers (Proc-Type/DEK-Info of legacy encrypted OpenSSL keys)
 * are refused with SSL_ERR_PEM_ENCRYPTED, and any other header line with SSL_ERR_PEM_BAD_BASE64;
 * it never allocates: the decoded bytes go to a buffer the caller owns.
 *
 * Timing: the base64 alphabet is decoded without branches or table look-ups on the characters'
 * values (private keys pass through here); where whitespace, padding and line breaks fall, and
 * whether the text is valid, are not hidden. */
#ifndef PL_X509_PEM_H
#define PL_X509_PEM_H

#include <stdbool.h>

#include "base/cursor.h"

/* The largest decoded block accepted, whatever the buffer: 1 MiB, far above any certificate or
 * key (a TLS Certificate message cannot exceed 2^24 - 1 bytes in all, RFC 5246 §7.4.2). */
#define PL_PEM_MAX_DER (1u << 20)

typedef struct pl_pem_iter {
    pl_reader in;
} pl_pem_iter;

typedef struct pl_pem_block {
    pl_slice label; /* the BEGIN line's label, borrowed from the text */
    size_t der_len; /* bytes decoded into the caller's buffer */
} pl_pem_block;

/* Start reading len bytes of text (borrowed; it must outlive the iterator and its labels). */
void pl_pem_init(pl_pem_iter *it, const uint8_t *text, size_t len);

/* A buffer of this size holds any block decoded from text_len bytes (never more than
 * PL_PEM_MAX_DER). */
size_t pl_pem_decoded_max(size_t text_len);

/* Find the next block and decode its base64 into out (cap bytes). On success *found says
 * whether a block was read (false: no BEGIN line before the end of the text; nothing was
 * written). Errors: SSL_ERR_PEM_BAD_BOUNDARY (a BEGIN or END line that does not follow the
 * RFC 7468 §3 grammar), SSL_ERR_PEM_NO_END (the text ends, or another BEGIN line comes, before
 * END), SSL_ERR_PEM_LABEL_MISMATCH, SSL_ERR_PEM_ENCRYPTED, SSL_ERR_PEM_BAD_BASE64,
 * SSL_ERR_PEM_TOO_LARGE (more than cap or PL_PEM_MAX_DER bytes). After an error the iterator
 * has moved past what failed (a malformed BEGIN line, the failed block's END line, or up to the
 * BEGIN line that interrupted it), so a caller loading a bundle may skip the block and go on.
 * out may hold part of a failed block: callers decoding secrets wipe it. */
PL_MUST_CHECK int pl_pem_next(pl_pem_iter *it, uint8_t *out, size_t cap, pl_pem_block *block,
                              bool *found);

/* 1 when the block's label is exactly label (a NUL-terminated string, compared byte for byte). */
bool pl_pem_label_is(const pl_pem_block *block, const char *label);

#endif
