/* A TLS 1.2 server for tests, sans I/O, built from padlock's own primitives: it reads the
 * client's records, answers with a first flight (ServerHello, Certificate, ServerKeyExchange,
 * CertificateRequest, ServerHelloDone) built message by message, checks the client's
 * ClientKeyExchange and Finished, and sends ChangeCipherSpec, Finished and application data
 * under its own keys. It exists to drive the client state machine (tests/unit/test_hs_client.c)
 * and to make the client fuzzer's seeds (tests/fuzz/fuzz_client.c).
 *
 * It is deliberately simple and deliberately obedient: every field it writes can be overridden
 * through tts_options (a version the client must refuse, a group it did not offer, a public
 * value off the curve, a scheme that does not fit the key), and the ServerKeyExchange is signed
 * over whatever parameters were written, so the client's refusal is for the field under test
 * and not for a broken signature. After tts_build_flight the messages are plain buffers in
 * msgs[] that a test may drop, duplicate, reorder or tamper with before tts_frame puts them into
 * records (and into the server's transcript, as sent).
 *
 * It checks only what it needs in order to go on (the client's key exchange and Finished) and,
 * when the client sends a certificate, its CertificateVerify signature over the server's own
 * transcript (with the leaf's key; the chain itself is parsed, not validated); it never refuses
 * a ClientHello. Memory: everything hangs off the tts_server and is released by
 * tts_free; buffers grow with realloc, and out-of-memory aborts (test code).
 *
 * Not here: anything a real server must refuse. */
#ifndef TLS_TEST_SERVER_H
#define TLS_TEST_SERVER_H

#include "base/cursor.h"
#include "crypto/dh.h"
#include "crypto/hash.h"
#include "tls/keys.h"
#include "tls/msg.h"
#include "tls/record.h"
#include "x509/key.h"

/* A growable byte buffer. */
typedef struct tts_buf {
    uint8_t *ptr;
    size_t len, cap;
} tts_buf;

void tts_buf_add(tts_buf *b, const void *data, size_t len);
void tts_buf_free(tts_buf *b);
pl_slice tts_buf_slice(const tts_buf *b);

/* What the ServerHello says about renegotiation_info (RFC 5746). */
enum tts_reneg {
    TTS_RENEG_EMPTY,        /* the extension, empty: right for an initial handshake */
    TTS_RENEG_OMIT,         /* no extension */
    TTS_RENEG_VALUE,        /* the extension with reneg_value inside */
};

#define TTS_MAX_CHAIN 12
#define TTS_MAX_MSGS 16

typedef struct tts_options {
    uint16_t suite;             /* IANA value; its key exchange is the one the server runs */
    uint16_t group;             /* ECDHE curve or FFDHE NamedGroup the server's key is on */
    uint16_t sigalg;            /* ServerKeyExchange signature scheme (made with key) */
    const pl_private_key *key;  /* the leaf's private key, borrowed */
    pl_slice chain[TTS_MAX_CHAIN];      /* the Certificate message's list, leaf first */
    size_t chain_count;
    int cert_request;           /* send a CertificateRequest before ServerHelloDone */
    /* Its contents (RFC 5246 §7.4.4). Zero values: certificate types rsa_sign and ecdsa_sign,
     * schemes rsa_pkcs1_sha256, ecdsa_secp256r1_sha256 and rsa_pss_rsae_sha256, no CAs. */
    pl_slice cr_types;          /* ClientCertificateType bytes */
    const uint16_t *cr_sigalgs; /* supported_signature_algorithms */
    size_t cr_sigalgs_count;
    pl_slice cr_authorities[4]; /* DistinguishedNames: the DER of each CA's Name */
    size_t cr_authorities_count;
    pl_slice cr_body;           /* the whole body as given instead (malformed ones) */

    /* ServerHello. Zero values mean "as a correct server would". */
    uint16_t sh_version;        /* 0: 3.3 */
    uint16_t sh_suite;          /* 0: suite */
    uint8_t sh_compression;
    int sh_no_extensions;       /* no extensions block at all */
    int no_ems;                 /* do not echo extended_master_secret even when offered */
    int no_etm;                 /* do not echo encrypt_then_mac for a CBC suite (RFC 7366) */
    int echo_sni;               /* an empty server_name, as servers that used the SNI send */
    enum tts_reneg reneg;
    pl_slice reneg_value;
    int no_point_formats;       /* no ec_point_formats for an ECDHE suite */
    pl_slice point_formats;     /* its ECPointFormat list; empty: uncompressed (0) only */
    const char *alpn;           /* the protocol to answer, or NULL for no ALPN extension */
    pl_slice extra_ext;         /* raw extensions appended after the others */

    /* ServerKeyExchange: what is written (and signed) instead of the honest values. */
    int skx_curve_type;         /* 0: named_curve (3) */
    uint16_t skx_group;         /* 0: group */
    pl_slice skx_point;         /* the ECDHE public value */
    pl_slice dh_p, dh_g;        /* the DHE group (the server computes with it if it is valid) */
    pl_slice dh_ys;             /* the DHE public value */
    uint16_t skx_sigalg;        /* 0: sigalg; the scheme named (the signature is sigalg's) */
    int sign_wrong_random;      /* sign over an all-zero client_random */

    /* Resumption (RFC 5246 §7.3, RFC 5077). With resume_master the server resumes: the flight
     * is ServerHello and (with ticket_ext) NewSessionTicket, the keys come from that master
     * secret, and tts_send_finished follows at once. */
    const uint8_t *resume_master;       /* 48 bytes, or NULL for a full handshake */
    int sh_session_id_set;              /* ServerHello's session ID is sh_session_id (may be
                                           empty); otherwise the client's when resuming, else
                                           32 random bytes */
    pl_slice sh_session_id;
    int ticket_ext;                     /* echo session_ticket: a NewSessionTicket will come */
    pl_slice ticket;                    /* the NewSessionTicket's ticket (resume flight) */
    uint32_t ticket_hint;
} tts_options;

typedef struct tts_server {
    tts_options o;
    const pl_suite *suite;
    int error;                  /* the first failure, or 0 */

    /* What the ClientHello offered. */
    tts_buf client_hello;       /* the whole message */
    uint16_t ch_version;
    uint8_t client_random[PL_TLS_RANDOM_LEN];
    uint8_t server_random[PL_TLS_RANDOM_LEN];
    uint16_t suites[64], groups[32], sigalgs[32];
    size_t suites_count, groups_count, sigalgs_count;
    char sni[PL_HOSTNAME_MAX + 1];
    int sni_sent, ems_offered, etm_offered, reneg_offered, point_formats_sent, alpn_offered;
    size_t ext_count;           /* extensions in the ClientHello */
    uint8_t ch_session_id[32];  /* the ClientHello's session ID */
    size_t ch_session_id_len;
    int ticket_offered;         /* session_ticket extension present */
    tts_buf ch_ticket;          /* its contents */
    int ems;                    /* negotiated: offered, and echoed */
    int etm;                    /* negotiated: offered, echoed, and the suite is CBC */

    /* The first flight, one whole message (with its header) per buffer. */
    tts_buf msgs[TTS_MAX_MSGS];
    size_t msg_count;

    /* The transcript, in the suite's PRF hash; and in SHA-256 and SHA-384 for checking a
     * CertificateVerify, whatever the PRF hash. */
    const pl_hash_class *h;
    pl_hash_ctx transcript;
    pl_hash_ctx t256, t384;

    /* Key exchange and keys. */
    uint8_t kx_priv[PL_DH_MAX_PRIV_LEN];
    pl_dh_group dh;
    int have_dh;
    uint8_t master[PL_TLS_MASTER_LEN];
    pl_tls_keys keys;
    int have_keys;

    /* Records: the client's come in through rr; ours go out through wc. */
    pl_record_reader rr;
    uint8_t hs_buf[PL_HS_DEFAULT_LIMIT];
    pl_record_cipher wc;

    /* What the client sent. */
    int got_client_hello, got_empty_certificate, got_client_kx, got_ccs, got_finished;
    int client_finished_ok;
    /* A client certificate: the Certificate's list (a copy of the message body), its length and
     * the leaf's public key; the CertificateVerify's scheme and whether it verified. */
    int got_client_cert;
    size_t client_cert_count;
    tts_buf client_certs;
    pl_public_key client_key;
    int have_client_key;
    int got_cert_verify, cert_verify_ok;
    uint16_t cert_verify_sigalg;
    /* The client's handshake messages by type, in arrival order (PL_HT_CCS_NAME for a
     * ChangeCipherSpec), the first TTS_MAX_MSGS. */
    unsigned order[TTS_MAX_MSGS];
    size_t order_count;
    size_t alerts;
    uint8_t alert_level, alert_desc; /* the last alert */
    int alert_encrypted;
    tts_buf app;                /* application data received */
    size_t records;             /* records received */
} tts_server;

/* A server with these options (copied; the slices and key they point to are borrowed). */
tts_server *tts_new(const tts_options *o);
void tts_free(tts_server *s);

/* Read the client's bytes: whole records (as pl_client_out gives them). The ClientHello, the
 * client's Certificate, ClientKeyExchange, CertificateVerify (checked), ChangeCipherSpec,
 * Finished, alerts and application data are taken as they come. 0, or the first failure (also
 * kept in s->error). */
int tts_recv(tts_server *s, const uint8_t *data, size_t len);

/* Build the first flight into msgs[] from the options and the ClientHello received. */
int tts_build_flight(tts_server *s);

/* A NewSessionTicket message (with its header) into msg (RFC 5077 §3.3). */
void tts_ticket_message(tts_buf *msg, const uint8_t *ticket, size_t len, uint32_t hint);

/* Put msgs[] into handshake records appended to out, and into the transcript, in order.
 * fragment 0: one record per message; otherwise the messages run together and are cut into
 * records of at most fragment bytes (TTS_COALESCE: as few records as the record size allows). */
#define TTS_COALESCE PL_RECORD_MAX_PLAINTEXT
void tts_frame(tts_server *s, tts_buf *out, size_t fragment);

/* One handshake message into the transcript without sending it (for hand-made records). */
void tts_transcript_add(tts_server *s, const uint8_t *msg, size_t len);

/* A record of type under the server's current protection (plaintext until tts_write_ccs). */
void tts_write(tts_server *s, uint8_t type, const void *data, size_t len, tts_buf *out);

/* c keyed with the client's (from_client) or the server's write keys, the suite's way: AEAD,
 * or CBC with HMAC (encrypt-then-MAC when agreed). Needs the keys (after the client's
 * ClientKeyExchange). */
void tts_cipher_init(tts_server *s, pl_record_cipher *c, int from_client);

/* A ChangeCipherSpec record; then the server's records are protected with its write key. */
void tts_write_ccs(tts_server *s, tts_buf *out);

/* The server's Finished message (16 bytes with its header) over the transcript so far, which
 * it then joins. */
void tts_finished_message(tts_server *s, uint8_t msg[16]);

/* ChangeCipherSpec and Finished, as a server ends a full handshake. Needs the client's
 * ClientKeyExchange; SSL_ERR_BAD_STATE otherwise. */
int tts_send_finished(tts_server *s, tts_buf *out);

/* A plaintext record with any type and version, for hand-made streams. */
void tts_plain_record(tts_buf *out, uint8_t type, uint16_t version, const void *data,
                      size_t len);

/* The hash a signature scheme uses, or NULL. */
const pl_hash_class *tts_sigalg_hash(uint16_t sigalg);

#endif
