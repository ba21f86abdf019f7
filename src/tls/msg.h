/* TLS 1.2 handshake messages as bytes (RFC 5246 §7.4 and the extension RFCs): one writer for
 * each message the client sends, one parser for each message it receives. A parser reads like
 * the struct it implements and checks syntax only — vector bounds, trailing bytes, duplicate
 * extensions; whether the values are acceptable (offered suite, group, scheme) is the
 * handshake's check step. Parsed structs borrow slices of the message body.
 *
 * Each message lives in its own msg_<name>.c file. Writers emit the 4-byte handshake header
 * too, so their output goes straight into the transcript and the record layer.
 *
 * Not here: the server's side (ClientHello parsing, ServerHello writing), resumption messages
 * (issue 6), TLS 1.3. */
#ifndef PL_TLS_MSG_H
#define PL_TLS_MSG_H

#include "base/cursor.h"

/* HandshakeType (RFC 5246 §7.4; RFC 5077 §3.3) */
enum pl_hs_type {
    PL_HS_HELLO_REQUEST = 0,
    PL_HS_CLIENT_HELLO = 1,
    PL_HS_SERVER_HELLO = 2,
    PL_HS_NEW_SESSION_TICKET = 4,
    PL_HS_CERTIFICATE = 11,
    PL_HS_SERVER_KEY_EXCHANGE = 12,
    PL_HS_CERTIFICATE_REQUEST = 13,
    PL_HS_SERVER_HELLO_DONE = 14,
    PL_HS_CERTIFICATE_VERIFY = 15,
    PL_HS_CLIENT_KEY_EXCHANGE = 16,
    PL_HS_FINISHED = 20,
};

/* "ServerHello" for 2, and so on ("ChangeCipherSpec" for PL_HT_CCS_NAME, which is no
 * handshake type but shares the handshake's table); NULL for a type padlock has no name for. */
#define PL_HT_CCS_NAME 0x100
const char *pl_msg_type_name(unsigned type);

/* ExtensionType values padlock sends or understands (IANA registry). */
enum pl_ext_type {
    PL_EXT_SERVER_NAME = 0,               /* RFC 6066 §3 */
    PL_EXT_SUPPORTED_GROUPS = 10,         /* RFC 8422 §5.1.1, RFC 7919 */
    PL_EXT_EC_POINT_FORMATS = 11,         /* RFC 8422 §5.1.2 */
    PL_EXT_SIGNATURE_ALGORITHMS = 13,     /* RFC 5246 §7.4.1.4.1, RFC 8446 §4.2.3 */
    PL_EXT_ALPN = 16,                     /* RFC 7301 */
    PL_EXT_ENCRYPT_THEN_MAC = 22,         /* RFC 7366 */
    PL_EXT_EXTENDED_MASTER_SECRET = 23,   /* RFC 7627 */
    PL_EXT_SESSION_TICKET = 35,           /* RFC 5077 */
    PL_EXT_RENEGOTIATION_INFO = 0xff01,   /* RFC 5746 */
};

/* NamedGroup (RFC 8422 §5.1.1, RFC 7919 §2) */
#define PL_GROUP_SECP256R1 23
#define PL_GROUP_SECP384R1 24
#define PL_GROUP_X25519 29
/* ffdhe2048..4096 are PL_GROUP_FFDHE* in crypto/dh.h */

/* SignatureScheme (RFC 8446 §4.2.3; the TLS 1.2 (hash, signature) pairs have the same values) */
#define PL_SIG_RSA_PKCS1_SHA256 0x0401
#define PL_SIG_RSA_PKCS1_SHA384 0x0501
#define PL_SIG_RSA_PKCS1_SHA512 0x0601
#define PL_SIG_ECDSA_SECP256R1_SHA256 0x0403
#define PL_SIG_ECDSA_SECP384R1_SHA384 0x0503
#define PL_SIG_RSA_PSS_RSAE_SHA256 0x0804
#define PL_SIG_RSA_PSS_RSAE_SHA384 0x0805
#define PL_SIG_RSA_PSS_RSAE_SHA512 0x0806

#define PL_CH_MAX_SUITES 32
#define PL_CH_MAX_GROUPS 16
#define PL_CH_MAX_SIGALGS 16
#define PL_CH_MAX_ALPN 8
#define PL_HOSTNAME_MAX 253
#define PL_MAX_CHAIN 10             /* certificates accepted in one Certificate message */

/* What the client offers. Lists are in preference order. */
typedef struct pl_client_hello {
    uint8_t random[32];
    pl_slice session_id;                /* empty: no resumption offered */
    const uint16_t *suites;
    size_t suites_count;
    const uint16_t *groups;
    size_t groups_count;
    const uint16_t *sigalgs;
    size_t sigalgs_count;
    const char *server_name;            /* DNS host name for SNI, or NULL (IP literals) */
    const char *const *alpn;            /* protocol names, or NULL */
    size_t alpn_count;
    int offer_ems;                      /* extended_master_secret */
    int offer_etm;                      /* encrypt_then_mac (with CBC suites) */
    int offer_ticket;                   /* session_ticket (RFC 5077 §3.2), with ticket inside */
    pl_slice ticket;                    /* empty: we would take a new one */
} pl_client_hello;

/* RFC 5246 §7.4.1.2 ClientHello with the extensions above, in this order: server_name,
 * ec_point_formats (uncompressed only), supported_groups, signature_algorithms, ALPN,
 * encrypt_then_mac (when offered), session_ticket (when offered), extended_master_secret,
 * renegotiation_info (empty: RFC 5746 §3.4, initial handshake). The SCSV is not sent as well;
 * one signal is enough (§3.3). */
PL_MUST_CHECK int pl_msg_write_client_hello(pl_writer *w, const pl_client_hello *ch);

/* The extensions a ServerHello may carry in reply (bits of pl_server_hello.seen). */
enum {
    PL_SEEN_SERVER_NAME = 1u << 0,
    PL_SEEN_EC_POINT_FORMATS = 1u << 1,
    PL_SEEN_ALPN = 1u << 2,
    PL_SEEN_EMS = 1u << 3,
    PL_SEEN_SESSION_TICKET = 1u << 4,
    PL_SEEN_RENEGOTIATION_INFO = 1u << 5,
    PL_SEEN_ETM = 1u << 6,
};

typedef struct pl_server_hello {
    uint16_t version;
    uint8_t random[32];
    pl_slice session_id;
    uint16_t suite;
    uint8_t compression;
    uint32_t seen;                      /* PL_SEEN_* */
    pl_slice renegotiation_info;        /* renegotiated_connection<0..255> */
    pl_slice point_formats;             /* ECPointFormat list<1..255> */
    pl_slice alpn;                      /* the one protocol name the server chose */
} pl_server_hello;

/* RFC 5246 §7.4.1.3 ServerHello. Extensions padlock never sends are
 * SSL_ERR_HS_UNSOLICITED_EXTENSION here already (RFC 5246 §7.4.1.4: a client must abort on an
 * extension it did not ask for); whether the ones it knows were asked for this time is checked
 * against the ClientHello by pl_msg_check_server_hello. */
PL_MUST_CHECK int pl_msg_parse_server_hello(pl_reader *body, pl_server_hello *sh);

/* The server's choices against what ch offered: version 3.3, an offered suite, null
 * compression, only extensions ch sent, an empty renegotiation_info, uncompressed points
 * listed, one offered ALPN protocol, encrypt_then_mac only with a CBC suite (RFC 7366 §3). */
PL_MUST_CHECK int pl_msg_check_server_hello(const pl_server_hello *sh, const pl_client_hello *ch);

/* RFC 5246 §7.4.2 Certificate: certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>. At most
 * max certificates (SSL_ERR_HS_TOO_MANY_CERTIFICATES); an empty list is returned as count 0
 * (the handshake decides whether that is allowed). */
PL_MUST_CHECK int pl_msg_parse_certificate(pl_reader *body, pl_slice *certs, size_t max,
                                           size_t *count);

/* The client's empty Certificate, when a server asks and the application gave none. */
PL_MUST_CHECK int pl_msg_write_empty_certificate(pl_writer *w);

/* The client's Certificate with its chain (RFC 5246 §7.4.6): count DER certificates, its own
 * first, each <1..2^24-1>. */
PL_MUST_CHECK int pl_msg_write_certificate(pl_writer *w, const pl_slice *certs, size_t count);

/* ServerKeyExchange for the (EC)DHE key exchanges (RFC 8422 §5.4, RFC 5246 §7.4.3). */
typedef struct pl_server_kx {
    uint16_t group;                     /* ECDHE: the named curve; DHE: 0 */
    pl_slice point;                     /* ECDHE: ECPoint public<1..2^8-1> */
    pl_slice dh_p, dh_g, dh_ys;         /* DHE: <1..2^16-1> each */
    pl_slice params;                    /* the parameters exactly as sent: what is signed */
    uint16_t sigalg;                    /* SignatureAndHashAlgorithm */
    pl_slice signature;                 /* <0..2^16-1> */
} pl_server_kx;

/* ecdhe: 1 for ECDHE (ServerECDHParams with curve_type named_curve only:
 * SSL_ERR_HS_NOT_NAMED_CURVE for explicit curves), 0 for DHE (ServerDHParams). */
PL_MUST_CHECK int pl_msg_parse_server_kx(pl_reader *body, int ecdhe, pl_server_kx *skx);

/* RFC 5246 §7.4.4 CertificateRequest, parsed for syntax; the lists are kept as slices. */
typedef struct pl_cert_request {
    pl_slice cert_types;                /* ClientCertificateType<1..2^8-1> */
    pl_slice sigalgs;                   /* SignatureAndHashAlgorithm<2..2^16-2> */
    pl_slice authorities;               /* DistinguishedName<1..2^16-1> list<0..2^16-1> */
} pl_cert_request;

PL_MUST_CHECK int pl_msg_parse_cert_request(pl_reader *body, pl_cert_request *cr);

/* ClientCertificateType values padlock can answer with (RFC 5246 §7.4.4, RFC 8422 §5.5). */
#define PL_CERT_TYPE_RSA_SIGN 1
#define PL_CERT_TYPE_ECDSA_SIGN 64

struct pl_identity;                     /* x509/identity.h */

/* Whether our chain answers a CertificateRequest (RFC 5246 §7.4.4, §7.4.6): the certificate
 * type of our key is listed (rsa_sign, ecdsa_sign); the server lists a scheme our key can make
 * with SHA-256 or SHA-384 — ours in this order: for EC the curve's own ecdsa scheme, then the
 * other hash (in TLS 1.2 an ECDSA scheme names only the hash, §7.4.1.4.1); for RSA
 * rsa_pss_rsae_sha256, rsa_pss_rsae_sha384, rsa_pkcs1_sha256, rsa_pkcs1_sha384; and, when
 * certificate_authorities is not empty, some certificate of our chain is one of the named CAs
 * or was issued by one (the DER of the Names compared byte for byte). 1 with *sigalg when it
 * fits; 0 with a sentence in why (why_cap bytes) for the trace when it does not. The server
 * then decides whether to go on without a certificate. id must be complete. The signatures on
 * the chain's certificates are not held against the server's list (§7.4.6 asks that they be
 * made with a listed pair; servers judge a client's chain by their own policy, and refusing
 * here would only turn an accepted chain into none). */
int pl_msg_choose_client_cert(const pl_cert_request *cr, const struct pl_identity *id,
                              uint16_t *sigalg, char *why, size_t why_cap);

/* RFC 5246 §7.4.8 CertificateVerify: the client's signature over the handshake messages so
 * far (digitally-signed struct, §4.7). */
typedef struct pl_cert_verify {
    uint16_t sigalg;                    /* SignatureAndHashAlgorithm */
    pl_slice signature;                 /* <0..2^16-1> */
} pl_cert_verify;

struct pl_private_key;                  /* x509/key.h */
struct pl_hash_class;                   /* crypto/hash.h */

/* The hash a signature scheme padlock signs or verifies with (SHA-256, SHA-384, SHA-512 for
 * the rsa_pkcs1, ecdsa and rsa_pss_rsae schemes of msg.h), or NULL for any other value. */
const struct pl_hash_class *pl_msg_sigalg_hash(uint16_t sigalg);

/* Sign digest — the handshake messages hashed with sigalg's hash — with key as sigalg says
 * (RSASSA-PSS with MGF1 of that hash and a salt of its length, RFC 8446 §4.2.3; RSASSA-PKCS1-v1_5;
 * or ECDSA in DER, hedged with fresh randomness against faults) and write the message.
 * SSL_ERR_HS_SIGALG_KEY_MISMATCH when the scheme does not fit the key; the signing
 * primitives' errors. Constant-time in the key as the primitives are. */
PL_MUST_CHECK int pl_msg_write_cert_verify(pl_writer *w, const struct pl_private_key *key,
                                           uint16_t sigalg, const uint8_t *digest,
                                           size_t digest_len);
PL_MUST_CHECK int pl_msg_parse_cert_verify(pl_reader *body, pl_cert_verify *cv);

/* ServerHelloDone and HelloRequest have empty bodies (§7.4.5, §7.4.1.1). */
PL_MUST_CHECK int pl_msg_parse_empty(pl_reader *body);

/* RFC 5246 §7.4.7 ClientKeyExchange: ECDHE (ECPoint <1..255>, RFC 8422 §5.7), DHE (dh_Yc
 * <1..2^16-1>, §7.4.7.2) or RSA (EncryptedPreMasterSecret <0..2^16-1>, §7.4.7.1). */
PL_MUST_CHECK int pl_msg_write_client_kx_ecdhe(pl_writer *w, const uint8_t *point, size_t len);
PL_MUST_CHECK int pl_msg_write_client_kx_dhe(pl_writer *w, const uint8_t *yc, size_t len);
PL_MUST_CHECK int pl_msg_write_client_kx_rsa(pl_writer *w, const uint8_t *enc, size_t len);

/* RFC 5077 §3.3 NewSessionTicket: ticket_lifetime_hint (seconds; 0: unspecified) and
 * opaque ticket<0..2^16-1> (empty: the server changed its mind and issues none). */
typedef struct pl_new_ticket {
    uint32_t lifetime_hint;
    pl_slice ticket;
} pl_new_ticket;

PL_MUST_CHECK int pl_msg_parse_new_session_ticket(pl_reader *body, pl_new_ticket *t);

/* RFC 5246 §7.4.9 Finished: exactly 12 bytes of verify_data. */
PL_MUST_CHECK int pl_msg_write_finished(pl_writer *w, const uint8_t verify_data[12]);
PL_MUST_CHECK int pl_msg_parse_finished(pl_reader *body, uint8_t verify_data[12]);

#endif
