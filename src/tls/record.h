/* The TLS 1.2 record layer, sans I/O (RFC 5246 §6.2; RFC 5288 §3 for AES-GCM's nonces; RFC 7905
 * §2 for ChaCha20-Poly1305's): bytes the caller received go in, plaintext and handshake
 * messages come out; plaintext goes in, records to send come out. Nothing here touches a
 * socket or allocates: buffers belong to the caller (the connection sizes its input buffer
 * PL_RECORD_MAX_LEN and gives a capped handshake buffer for the handshake's lifetime).
 *
 * What the reader enforces, each with its own error:
 *   - header: a known content type, version 3.x before the version is fixed and exactly 3.3
 *     after, a length no larger than the current protection can produce from 2^14 bytes of
 *     plaintext (record_overflow at the header, before the body is waited for; for CBC, whose
 *     padding varies, the plaintext's length is checked again after decryption);
 *   - protection: AEAD open with the 64-bit sequence number in the nonce and additional data,
 *     any failure is bad_record_mac; the sequence number never wraps;
 *   - fragments: no empty handshake, alert or ChangeCipherSpec records; at most
 *     PL_RECORD_MAX_EMPTY empty application-data records in a row; ChangeCipherSpec exactly
 *     the byte 1; no other record type while a handshake message is half-assembled;
 *   - handshake messages reassembled across records, several per record, each at most the
 *     handshake buffer's size (SSL_ERR_HS_MESSAGE_TOO_LARGE past it).
 * Whether a ChangeCipherSpec, an alert or application data is *expected* now is the
 * handshake's decision, not this layer's.
 *
 * Constant time: opening and sealing take time that depends on lengths only (the AEAD
 * classes); a wrong tag is reported only after the whole record was processed.
 *
 * CBC suites (MAC-then-encrypt, or encrypt-then-MAC when agreed) are tls/cbc.h's, behind the
 * same interface: every failure there is bad_record_mac too.
 *
 * Not here: compression (never), TLS 1.3. */
#ifndef PL_TLS_RECORD_H
#define PL_TLS_RECORD_H

#include "base/cursor.h"
#include "crypto/aead.h"
#include "tls/suites.h"

enum pl_content_type {
    PL_CT_CHANGE_CIPHER_SPEC = 20,
    PL_CT_ALERT = 21,
    PL_CT_HANDSHAKE = 22,
    PL_CT_APPLICATION_DATA = 23,
};

#define PL_TLS12 0x0303
#define PL_RECORD_HEADER_LEN 5
#define PL_RECORD_MAX_PLAINTEXT 16384
/* What any suite padlock will implement adds to a record: CBC's IV, MAC and up to 256 bytes
 * of padding stay under 320; the AEAD suites add 8 + 16 or 16. */
#define PL_RECORD_MAX_EXPANSION 320
#define PL_RECORD_MAX_LEN (PL_RECORD_HEADER_LEN + PL_RECORD_MAX_PLAINTEXT + PL_RECORD_MAX_EXPANSION)
#define PL_RECORD_MAX_EMPTY 32
#define PL_HS_HEADER_LEN 4
#define PL_HS_DEFAULT_LIMIT 65536

/* One direction's protection: none (before ChangeCipherSpec) or an AEAD with its keys. */
typedef struct pl_record_cipher {
    const pl_aead_class *aead; /* AEAD suites; NULL for CBC and for TLSPlaintext */
    const pl_suite *cbc;       /* CBC suites (tls/cbc.h keeps its state in ctx); else NULL */
    uint8_t etm;               /* CBC: encrypt-then-MAC (RFC 7366) was agreed */
    pl_aead_ctx ctx;
    uint8_t iv[PL_AEAD_NONCE_LEN];
    uint8_t fixed_iv_len;      /* 4 (GCM salt) or 12 (ChaCha20-Poly1305 IV) */
    uint8_t record_iv_len;     /* 8 (GCM explicit nonce) or 0 */
    uint64_t seq;              /* the next record's sequence number */
} pl_record_cipher;

/* No protection, sequence number 0. */
void pl_record_cipher_null(pl_record_cipher *c);

/* The suite's AEAD keyed with key (suite->key_len bytes) and iv (suite->fixed_iv_len bytes),
 * sequence number 0 (RFC 5246 §6.1: it restarts with each new connection state). */
void pl_record_cipher_init(pl_record_cipher *c, const pl_suite *suite, const uint8_t *key,
                           const uint8_t *iv);

/* A CBC suite's protection: key (suite->key_len bytes), mac_key (suite->mac_key_len),
 * encrypt-then-MAC or not; sequence number 0. */
void pl_record_cipher_init_cbc(pl_record_cipher *c, const pl_suite *suite, const uint8_t *key,
                               const uint8_t *mac_key, int etm);

/* Wipe keys and state; the cipher is then the null cipher. */
void pl_record_cipher_wipe(pl_record_cipher *c);

/* Handshake message reassembly over a caller's buffer (RFC 5246 §6.2.1: messages may be split
 * across records and several may share one). The buffer holds one message at a time, so its
 * size is the largest message accepted. */
typedef struct pl_hs_assembler {
    uint8_t *buf;
    size_t cap;
    size_t len;      /* bytes of the current message held, header included */
    size_t want;     /* its full size once the header is in, else 0 */
} pl_hs_assembler;

void pl_hs_assembler_init(pl_hs_assembler *a, uint8_t *buf, size_t cap);

/* Bytes of an incomplete message held (non-zero: another record type may not come now). */
size_t pl_hs_assembler_pending(const pl_hs_assembler *a);

/* Move bytes from a handshake record's plaintext into the current message, up to its end (the
 * rest stays in data for the next message). Takes nothing while a complete message waits to
 * be taken. SSL_ERR_HS_MESSAGE_TOO_LARGE when a header announces more than the buffer holds;
 * a->want then says how many bytes the message needs, header included, so that the owner may
 * give a larger buffer (copying the len bytes held) and add again. */
PL_MUST_CHECK int pl_hs_assembler_add(pl_hs_assembler *a, pl_reader *data);

/* The complete message, if there is one: 1 with *type, *body (after the 4-byte header) and
 * *whole (with it, for the transcript hash), and the buffer is released for the next message;
 * 0 when the message is not complete. The slices stay valid until the next add. */
int pl_hs_assembler_next(pl_hs_assembler *a, uint8_t *type, pl_slice *body, pl_slice *whole);

/* Wipe what the buffer held. */
void pl_hs_assembler_wipe(pl_hs_assembler *a);

typedef struct pl_record_reader {
    pl_record_cipher cipher;
    int version_fixed; /* 0 until ServerHello: then only 3.3 is accepted */
    unsigned empty_run;
    pl_hs_assembler hs;
} pl_record_reader;

/* hs_buf (hs_cap bytes) holds handshake messages while they are assembled. */
void pl_record_reader_init(pl_record_reader *rr, uint8_t *hs_buf, size_t hs_cap);

/* Process one record from the front of in[0..in_len), decrypting it in place.
 *   - Not all of it there yet: 0 with *used = 0 and *need = the bytes the record needs in all
 *     (5 while the header is incomplete), so the caller can read exactly that much.
 *   - Done: 0 with *used = the record's size, *type its content type and *plain its plaintext,
 *     which points into in and lives until in is reused. Handshake plaintext goes to rr->hs
 *     (pl_hs_assembler_add / _next) before the next record is read.
 *   - Any failure: its error; the connection must send the error's alert and stop. */
PL_MUST_CHECK int pl_record_read(pl_record_reader *rr, uint8_t *in, size_t in_len, size_t *used,
                                 size_t *need, uint8_t *type, pl_slice *plain);

/* The same, except that an AEAD application-data record whose plaintext fits in dst_cap bytes
 * is decrypted straight into dst (the reader's buffer), saving a copy; *plain then points into
 * dst (CBC records are always decrypted in place). Other records, and larger ones, are decrypted in place as above. On a failure dst may
 * have been overwritten (with zeros: unauthenticated plaintext is never released). */
PL_MUST_CHECK int pl_record_read_to(pl_record_reader *rr, uint8_t *in, size_t in_len,
                                    size_t *used, size_t *need, uint8_t *type, pl_slice *plain,
                                    uint8_t *dst, size_t dst_cap);

/* Protect and frame len bytes of one content type as one or more records of at most
 * PL_RECORD_MAX_PLAINTEXT bytes each, appended to out with record version `version` (3.1 is
 * customary for the first ClientHello, RFC 5246 §E.1; 3.3 afterwards). len may be 0 only for
 * application data. */
PL_MUST_CHECK int pl_record_write(pl_record_cipher *c, uint16_t version, uint8_t type,
                                  const uint8_t *data, size_t len, pl_writer *out);

/* Bytes pl_record_write produces for len bytes under c. */
size_t pl_record_written_len(const pl_record_cipher *c, size_t len);

/* RFC 5246 §7.1: a ChangeCipherSpec message is the single byte 1. */
PL_MUST_CHECK int pl_record_check_ccs(pl_slice plain);

#endif
