/* The TLS 1.2 client handshake (RFC 5246 §7.3, §7.4) as a table: for each state, which message
 * may come next and which handler takes it. A message no row allows is unexpected_message
 * before any handler sees it; a handler returns the next state, which must be one its row
 * allows.
 *
 *   ClientHello              ───▶
 *                            ◀───  ServerHello, Certificate, [ServerKeyExchange],
 *                                  [CertificateRequest], ServerHelloDone
 *   [Certificate], ClientKeyExchange, [CertificateVerify], ChangeCipherSpec, Finished  ───▶
 *                            ◀───  [NewSessionTicket], ChangeCipherSpec, Finished
 *
 * and, resuming a session (§7.3, RFC 5077), the abbreviated handshake in the same table:
 *
 *   ClientHello (the session's ID, or its ticket)  ───▶
 *                            ◀───  ServerHello (our session ID echoed), [NewSessionTicket],
 *                                  ChangeCipherSpec, Finished
 *   ChangeCipherSpec, Finished                     ───▶
 *
 * The handlers check what the server chose against what we offered (msg_server_hello.c), the
 * certificate chain and host name (x509/path.h), that the leaf's key and keyUsage fit the suite,
 * the ServerKeyExchange signature over client_random + server_random + params, the (EC)DHE
 * public value, and the Finished verify_data in constant time. The key schedule is keys.c's.
 *
 * The transcript (RFC 5246 §7.4.9) is hashed as messages pass, in SHA-256 and SHA-384 both:
 * ServerHello's suite picks the PRF's for Finished, and a CertificateVerify signs with the hash
 * of the scheme the server's CertificateRequest allowed. HelloRequest is never hashed
 * (§7.4.1.1).
 *
 * Client certificates (§7.4.4, §7.4.6, §7.4.8): when the server asks and the configured chain
 * (x509/identity.h) fits its request (msg_certificate_request.c), the chain goes out before
 * ClientKeyExchange and a CertificateVerify after it; otherwise, or with none configured, an
 * empty Certificate, and the server decides.
 *
 * Resumption: offer_session puts the application's session (tls/session.h) in the ClientHello
 * when it may be offered; resume() takes the server's echo, refusing a server that changes the
 * session's suite, extended master secret or encrypt-then-MAC; keep_session leaves the
 * connection's session for the application when the handshake ends.
 *
 * Not here: renegotiation (refused). */
#include "tls/client.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/alert.h"
#include "base/ct.h"
#include "crypto/dh.h"
#include "crypto/ec.h"
#include "crypto/rsa.h"
#include "crypto/x25519.h"
#include "tls/keys.h"
#include "tls/session.h"
#include "x509/hostname.h"
#include "x509/identity.h"
#include "x509/key.h"
#include "x509/path.h"

/* ---- names and defaults ---------------------------------------------------------------------- */

/* signature_algorithms, in preference order: ECDSA, then RSA-PSS (RFC 8446's rsae schemes,
 * which TLS 1.2 may use too), then PKCS #1 v1.5. No SHA-1, no SHA-224. */
const uint16_t pl_client_sigalgs[] = {
    PL_SIG_ECDSA_SECP256R1_SHA256, PL_SIG_ECDSA_SECP384R1_SHA384, PL_SIG_RSA_PSS_RSAE_SHA256,
    PL_SIG_RSA_PSS_RSAE_SHA384,    PL_SIG_RSA_PSS_RSAE_SHA512,    PL_SIG_RSA_PKCS1_SHA256,
    PL_SIG_RSA_PKCS1_SHA384,       PL_SIG_RSA_PKCS1_SHA512,
};
const size_t pl_client_sigalgs_count = PL_ARRAY_LEN(pl_client_sigalgs);

const uint16_t pl_client_default_groups[] = {
    PL_GROUP_X25519, PL_GROUP_SECP256R1, PL_GROUP_SECP384R1, PL_GROUP_FFDHE2048,
    PL_GROUP_FFDHE3072,
};
const size_t pl_client_default_groups_count = PL_ARRAY_LEN(pl_client_default_groups);

static const struct {
    uint16_t id;
    const char *name;
} group_names[] = {
    {PL_GROUP_X25519, "x25519"},       {PL_GROUP_SECP256R1, "secp256r1"},
    {PL_GROUP_SECP384R1, "secp384r1"}, {PL_GROUP_FFDHE2048, "ffdhe2048"},
    {PL_GROUP_FFDHE3072, "ffdhe3072"}, {PL_GROUP_FFDHE4096, "ffdhe4096"},
    {PL_GROUP_SECP256R1, "P-256"},     {PL_GROUP_SECP384R1, "P-384"},
    {PL_GROUP_SECP256R1, "prime256v1"},
};

const char *pl_group_name(uint16_t group)
{
    for (size_t i = 0; i < PL_ARRAY_LEN(group_names); i++) {
        if (group_names[i].id == group) {
            return group_names[i].name;
        }
    }
    return NULL;
}

uint16_t pl_group_by_name(const char *name)
{
    for (size_t i = 0; i < PL_ARRAY_LEN(group_names); i++) {
        if (strcmp(group_names[i].name, name) == 0) {
            return group_names[i].id;
        }
    }
    return 0;
}

const char *pl_sigalg_name(uint16_t sigalg)
{
    switch (sigalg) {
    case PL_SIG_RSA_PKCS1_SHA256:
        return "rsa_pkcs1_sha256";
    case PL_SIG_RSA_PKCS1_SHA384:
        return "rsa_pkcs1_sha384";
    case PL_SIG_RSA_PKCS1_SHA512:
        return "rsa_pkcs1_sha512";
    case PL_SIG_ECDSA_SECP256R1_SHA256:
        return "ecdsa_secp256r1_sha256";
    case PL_SIG_ECDSA_SECP384R1_SHA384:
        return "ecdsa_secp384r1_sha384";
    case PL_SIG_RSA_PSS_RSAE_SHA256:
        return "rsa_pss_rsae_sha256";
    case PL_SIG_RSA_PSS_RSAE_SHA384:
        return "rsa_pss_rsae_sha384";
    case PL_SIG_RSA_PSS_RSAE_SHA512:
        return "rsa_pss_rsae_sha512";
    default:
        return NULL;
    }
}

void pl_client_config_defaults(pl_client_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    for (size_t i = 0; i < pl_suites_count && i < PL_CH_MAX_SUITES; i++) {
        cfg->suites[cfg->suites_count++] = pl_suites[i].id;
    }
    for (size_t i = 0; i < pl_client_default_groups_count; i++) {
        cfg->groups[cfg->groups_count++] = pl_client_default_groups[i];
    }
    cfg->sigalgs = pl_client_sigalgs;
    cfg->sigalgs_count = pl_client_sigalgs_count;
    cfg->verify = 1;
    cfg->hs_limit = PL_HS_DEFAULT_LIMIT;
    cfg->session_lifetime = PL_SESSION_DEFAULT_LIFETIME;
}

/* ---- the handshake's state ------------------------------------------------------------------- */

/* The handshake-message buffer starts at 4 KiB (most messages are far smaller; a certificate
 * chain usually fits in 8) and doubles when a message needs more, up to the configured limit. */
#define MSG_START 4096

typedef struct transcript {
    const pl_hash_class *h;
    pl_hash_ctx ctx;
} transcript;

struct pl_hs {
    pl_client_hello ch;                 /* what we offered */
    uint8_t *msg_buf;                   /* handshake messages are reassembled here */
    size_t msg_cap;                     /* its size: MSG_START, doubled as needed up to the limit */
    transcript t256, t384;              /* both, all along; *t is the PRF's */
    transcript *t;
    transcript before;                  /* the transcript before the message being handled */

    uint8_t *certs_der;                 /* a copy of the Certificate message's body */
    pl_cert certs[PL_MAX_CHAIN];
    size_t cert_count;
    pl_public_key leaf_key;
    int have_leaf_key;
    int cert_requested;
    uint16_t client_sigalg;             /* our CertificateVerify's scheme; 0: no chain to send */

    uint8_t pms[PL_DH_MAX_LEN];         /* the pre-master secret */
    size_t pms_len;
    uint8_t kx_public[PL_DH_MAX_LEN];   /* our ClientKeyExchange value */
    size_t kx_public_len;
    pl_tls_keys keys;

    pl_x509_result verdict;

    /* Resumption: the session ID our ClientHello carried (the session's own, or a fresh random
     * one beside a ticket, RFC 5077 §3.4), the server's session ID, and the ticket it sent. */
    uint8_t offered_id[32];
    uint8_t sh_id[32];
    size_t sh_id_len;
    int ticket_expected;                /* ServerHello echoed session_ticket */
    uint8_t *new_ticket;
    size_t new_ticket_len;
    uint32_t ticket_hint;
    uint8_t scratch[4096];              /* messages we write */
};

static int is_ip_literal(const char *name)
{
    uint8_t ip[16];
    size_t len;
    return pl_hostname_parse_ip(name, ip, &len) == 1;
}

int pl_client_set_host(pl_client *c, const char *name)
{
    ENSURE(c->state == PL_ST_INIT, SSL_ERR_BAD_STATE);
    ENSURE(name != NULL, SSL_ERR_INVALID_ARGUMENT);
    size_t len = strlen(name);
    ENSURE(len > 0 && len <= PL_HOSTNAME_MAX && pl_hostname_valid(name), SSL_ERR_BAD_HOSTNAME);
    memcpy(c->host, name, len + 1);
    return 0;
}

/* Both hashes run for the whole handshake: the PRF's (hs->t, once ServerHello chose it) for
 * Finished and the extended master secret, and either may be the one a CertificateVerify
 * signature needs (RFC 5246 §7.4.8), whatever the suite's PRF hash. */
static void transcript_add(struct pl_hs *hs, pl_slice m)
{
    hs->t256.h->update(&hs->t256.ctx, m.ptr, m.len);
    hs->t384.h->update(&hs->t384.ctx, m.ptr, m.len);
}

/* The hash of the transcript so far, leaving it running. */
static size_t transcript_hash(const transcript *t, uint8_t out[PL_HASH_MAX_LEN])
{
    pl_hash_ctx copy = t->ctx;
    t->h->final(&copy, out);
    return t->h->digest_len;
}

/* Send one handshake message we wrote into hs->scratch: hashed, traced, framed. */
static int send_handshake(pl_client *c, const pl_writer *w)
{
    pl_slice m = {w->buf, pl_writer_len(w)};
    TRY(pl_writer_status(w));
    transcript_add(c->hs, m);
    pl_trace_handshake(&c->trace, 0, m, c->suite, c->wc.aead != NULL);
    return pl_client_send(c, PL_CT_HANDSHAKE, m.ptr, m.len);
}

static int64_t now_seconds(const pl_client *c)
{
    return c->cfg->verify_time != 0 ? c->cfg->verify_time : (int64_t)time(NULL);
}

static const char *session_words(const pl_session *s, char *buf, size_t cap)
{
    if (s->ticket_len > 0) {
        snprintf(buf, cap, "its ticket (%zu bytes, RFC 5077)", s->ticket_len);
    } else {
        snprintf(buf, cap, "its session ID (%zu bytes)", s->id_len);
    }
    return buf;
}

/* The application's session goes into the ClientHello when pl_session_usable allows it (alive,
 * made for this host, its suite still enabled, EMS when required). A ticket travels in the
 * session_ticket extension with a fresh random session ID beside it, so that the server's echo
 * of that ID says it took the ticket (RFC 5077 §3.4); otherwise the session's own ID is sent. A
 * session that may not be offered is set aside, and why is kept in offer_refused. */
static int offer_session(pl_client *c)
{
    struct pl_hs *hs = c->hs;
    const pl_session *s = c->offer;
    if (s == NULL) {
        return 0;
    }
    char words[64];
    int rc = pl_session_usable(s, c->host, c->cfg, now_seconds(c));
    if (rc < 0) {
        c->offer_refused = rc;
        pl_trace_note(&c->trace, "not resuming the saved session: %s; a full handshake follows",
                      ssl_error_string(rc));
        return 0;
    }
    if (s->ticket_len > 0) {
        TRY(pl_random(hs->offered_id, sizeof hs->offered_id));
        hs->ch.session_id = (pl_slice){hs->offered_id, sizeof hs->offered_id};
        hs->ch.ticket = (pl_slice){s->ticket, s->ticket_len};
    } else {
        memcpy(hs->offered_id, s->id, s->id_len);
        hs->ch.session_id = (pl_slice){hs->offered_id, s->id_len};
    }
    pl_trace_note(&c->trace, "offering the saved session by %s: made with %s %lld s ago, %s, "
                  "%s", session_words(s, words, sizeof words),
                  s->host[0] != '\0' ? s->host : "this server",
                  (long long)(now_seconds(c) - s->created), pl_suite_by_id(s->suite)->name,
                  s->ems ? "extended master secret" : "no extended master secret");
    return 0;
}

int pl_hs_client_begin(pl_client *c)
{
    const pl_client_config *cfg = c->cfg;
    ENSURE(cfg->suites_count > 0 && cfg->groups_count > 0, SSL_ERR_CONFIG_EMPTY_LIST);
    ENSURE(cfg->identity == NULL || pl_identity_complete(cfg->identity),
           SSL_ERR_CLIENT_KEY_MISSING);
    struct pl_hs *hs = calloc(1, sizeof *hs);
    ENSURE(hs != NULL, SSL_ERR_NO_MEMORY);
    c->hs = hs;
    hs->msg_cap = cfg->hs_limit < MSG_START ? cfg->hs_limit : MSG_START;
    hs->msg_buf = malloc(hs->msg_cap);
    ENSURE(hs->msg_buf != NULL, SSL_ERR_NO_MEMORY);
    pl_hs_assembler_init(&c->rr.hs, hs->msg_buf, hs->msg_cap);
    hs->t256.h = &pl_sha256_class;
    hs->t256.h->init(&hs->t256.ctx);
    hs->t384.h = &pl_sha384_class;
    hs->t384.h->init(&hs->t384.ctx);

    /* RFC 5246 §7.4.1.2: 32 random bytes. The first four need not be the time (a clock in the
     * hello fingerprints the client and helps nobody); all 32 come from the OS. */
    TRY(pl_random(c->client_random, sizeof c->client_random));
    pl_client_hello *ch = &hs->ch;
    memcpy(ch->random, c->client_random, sizeof ch->random);
    ch->suites = cfg->suites;
    ch->suites_count = cfg->suites_count;
    ch->groups = cfg->groups;
    ch->groups_count = cfg->groups_count;
    ch->sigalgs = cfg->sigalgs;
    ch->sigalgs_count = cfg->sigalgs_count;
    /* RFC 6066 §3: literal IPv4 and IPv6 addresses are not permitted in server_name. */
    ch->server_name = c->host[0] != '\0' && !is_ip_literal(c->host) ? c->host : NULL;
    ch->alpn = (const char *const *)cfg->alpn;
    ch->alpn_count = cfg->alpn_count;
    ch->offer_ems = 1;
    ch->offer_ticket = 1;       /* RFC 5077 §3.2: an empty extension asks for a ticket */
    /* RFC 7366: encrypt-then-MAC is worth asking for whenever a CBC suite is offered. */
    for (size_t i = 0; i < cfg->suites_count; i++) {
        const pl_suite *s = pl_suite_by_id(cfg->suites[i]);
        ch->offer_etm |= s != NULL && pl_suite_is_cbc(s);
    }

    pl_trace_begin(&c->trace, c->host[0] != '\0' ? c->host : NULL);
    TRY(offer_session(c));
    pl_writer w;
    pl_writer_init(&w, hs->scratch, sizeof hs->scratch);
    int rc = pl_msg_write_client_hello(&w, ch);
    if (rc == SSL_ERR_WRITE_NO_SPACE && ch->ticket.len > 0) {
        /* a ticket (up to 64 KiB, RFC 5077) too large for our ClientHello: a full handshake */
        c->offer_refused = SSL_ERR_SESSION_TICKET_TOO_LARGE;
        ch->ticket = (pl_slice){NULL, 0};
        ch->session_id = (pl_slice){NULL, 0};
        pl_trace_note(&c->trace, "not resuming after all: %s",
                      ssl_error_string(SSL_ERR_SESSION_TICKET_TOO_LARGE));
        pl_writer_init(&w, hs->scratch, sizeof hs->scratch);
        rc = pl_msg_write_client_hello(&w, ch);
    }
    TRY(rc);
    TRY(send_handshake(c, &w));
    c->state = PL_ST_WAIT_SERVER_HELLO;
    return 0;
}

int pl_hs_client_grow(pl_client *c, size_t want)
{
    struct pl_hs *hs = c->hs;
    ENSURE(want <= c->cfg->hs_limit && want > hs->msg_cap, SSL_ERR_HS_MESSAGE_TOO_LARGE);
    size_t cap = hs->msg_cap;
    while (cap < want) {
        cap *= 2;
    }
    if (cap > c->cfg->hs_limit) {
        cap = c->cfg->hs_limit;
    }
    uint8_t *buf = malloc(cap);
    ENSURE(buf != NULL, SSL_ERR_NO_MEMORY);
    /* the bytes held so far move over; the old buffer is wiped before it is freed */
    memcpy(buf, hs->msg_buf, c->rr.hs.len);
    pl_wipe(hs->msg_buf, hs->msg_cap);
    free(hs->msg_buf);
    hs->msg_buf = buf;
    hs->msg_cap = cap;
    c->rr.hs.buf = buf;
    c->rr.hs.cap = cap;
    return 0;
}

void pl_hs_client_end(pl_client *c)
{
    struct pl_hs *hs = c->hs;
    if (hs == NULL) {
        return;
    }
    /* After the handshake only a HelloRequest may come, into the small buffer. */
    pl_hs_assembler_wipe(&c->rr.hs);
    pl_hs_assembler_init(&c->rr.hs, c->hs_small, sizeof c->hs_small);
    if (hs->have_leaf_key) {
        pl_key_public_free(&hs->leaf_key);
    }
    if (hs->msg_buf != NULL) {
        pl_wipe(hs->msg_buf, hs->msg_cap);
        free(hs->msg_buf);
    }
    free(hs->certs_der);
    free(hs->new_ticket);
    pl_wipe(hs, sizeof *hs);
    free(hs);
    c->hs = NULL;
}

/* ---- ServerHello ----------------------------------------------------------------------------- */

/* RFC 5246 §7.3: the server echoed the session ID we sent, so it resumes the session and the
 * handshake is abbreviated: no certificate and no key exchange; [NewSessionTicket],
 * ChangeCipherSpec and Finished come from the server, then ours go back. The keys come from
 * the session's master secret and the new randoms. The server may not change what the session
 * was made with: its suite, and whether the master secret is the extended one (RFC 7627 §5.3)
 * and records are encrypt-then-MAC (RFC 7366 §3.1). */
static void expand_keys(pl_client *c);

static int resume(pl_client *c)
{
    const pl_session *s = c->offer;
    if (c->suite->id != s->suite) {
        return pl_client_fail(c, SSL_ERR_HS_RESUME_SUITE_CHANGED, "server resumed the session "
                              "with %s, but it was made with %s", c->suite->name,
                              pl_suite_by_id(s->suite)->name);
    }
    if (c->ems != s->ems) {
        return pl_client_fail(c, SSL_ERR_HS_RESUME_EMS_CHANGED, "server resumed a session made "
                              "%s extended master secret, %s it (RFC 7627 §5.3)",
                              s->ems ? "with" : "without", c->ems ? "now using" : "now without");
    }
    if (c->etm != s->etm) {
        return pl_client_fail(c, SSL_ERR_HS_RESUME_ETM_CHANGED, "server resumed a session made "
                              "%s encrypt-then-MAC, %s it", s->etm ? "with" : "without",
                              c->etm ? "now using" : "now without");
    }
    c->resumed = 1;
    memcpy(c->master, s->master, sizeof c->master);
    pl_peer_info *p = malloc(sizeof *p);
    if (p != NULL) {            /* without it the getters say "no certificate"; nothing else */
        pl_peer_info_copy(p, &s->peer);
    }
    free(c->peer);
    c->peer = p;
    pl_trace_note(&c->trace, "the server resumed the session: ABBREVIATED handshake (RFC 5246 "
                  "§7.3), no certificate and no key exchange; the server's certificate was "
                  "verified when the session was made");
    expand_keys(c);
    return c->hs->ticket_expected ? PL_ST_WAIT_NEW_TICKET : PL_ST_WAIT_SERVER_CCS;
}

static int recv_server_hello(pl_client *c, pl_reader *body)
{
    struct pl_hs *hs = c->hs;
    pl_server_hello sh;
    TRY(pl_msg_parse_server_hello(body, &sh));
    int rc = pl_msg_check_server_hello(&sh, &hs->ch);
    if (rc == SSL_ERR_HS_BAD_VERSION) {
        return pl_client_fail(c, rc, "server chose protocol version %u.%u; padlock speaks TLS 1.2 "
                              "(3.3) only", sh.version >> 8, sh.version & 0xff);
    }
    if (rc == SSL_ERR_HS_SUITE_NOT_OFFERED) {
        return pl_client_fail(c, rc, "server chose cipher suite 0x%04x, which we did not offer",
                              sh.suite);
    }
    TRY(rc);
    c->suite = pl_suite_by_id(sh.suite);
    ENSURE(c->suite != NULL, SSL_ERR_INTERNAL);     /* offered, so known */
    memcpy(c->server_random, sh.random, sizeof c->server_random);
    /* RFC 7627 §5.2: use the extended master secret whenever the server echoes the extension. */
    c->ems = (sh.seen & PL_SEEN_EMS) != 0;
    c->etm = (sh.seen & PL_SEEN_ETM) != 0;      /* checked: only with a CBC suite */
    if (pl_suite_is_cbc(c->suite)) {
        pl_trace_note(&c->trace, "records will be AES-CBC with HMAC-%s, %s", c->suite->mac->name,
                      c->etm ? "encrypt-then-MAC (RFC 7366)"
                             : "MAC-then-encrypt (the server did not agree to encrypt-then-MAC; "
                               "padding and MAC are checked in constant time)");
    }
    if (c->cfg->require_ems && !c->ems) {
        return pl_client_fail(c, SSL_ERR_HS_EMS_REQUIRED, NULL);
    }
    if (sh.seen & PL_SEEN_ALPN) {
        memcpy(c->alpn, sh.alpn.ptr, sh.alpn.len); /* <= 255 bytes: the parser's bound */
        c->alpn[sh.alpn.len] = '\0';
    }
    /* From here the record version must be exactly 3.3, and one transcript hash is enough. */
    c->rr.version_fixed = 1;
    hs->t = c->suite->prf == &pl_sha384_class ? &hs->t384 : &hs->t256;
    memcpy(hs->sh_id, sh.session_id.ptr, sh.session_id.len);    /* <= 32: the parser's bound */
    hs->sh_id_len = sh.session_id.len;
    hs->ticket_expected = (sh.seen & PL_SEEN_SESSION_TICKET) != 0;
    pl_slice ours = hs->ch.session_id;
    if (ours.len > 0 && sh.session_id.len == ours.len &&
        memcmp(sh.session_id.ptr, ours.ptr, ours.len) == 0) {
        return resume(c);
    }
    if (ours.len > 0) {
        pl_trace_note(&c->trace, "the server declined the session: full handshake");
    }
    return PL_ST_WAIT_CERTIFICATE;
}

/* ---- Certificate ----------------------------------------------------------------------------- */

static void keep_peer_info(pl_client *c, const pl_cert *leaf)
{
    pl_peer_info *p = calloc(1, sizeof *p);
    if (p == NULL) {
        return;                 /* the getters then say "no certificate"; nothing else needs it */
    }
    pl_cert_name_string(leaf->subject, p->subject, sizeof p->subject);
    pl_cert_name_string(leaf->issuer, p->issuer, sizeof p->issuer);
    p->not_before = leaf->not_before;
    p->not_after = leaf->not_after;
    size_t used = 0;
    pl_der it;
    pl_general_name gn;
    pl_cert_names_init(&it, leaf->san);
    while (pl_cert_next_name(&it, &gn) == 1 && p->san_count < PL_ARRAY_LEN(p->sans)) {
        char one[300];
        if (gn.tag == PL_GN_DNS && gn.value.len < 256) {
            snprintf(one, sizeof one, "%.*s", (int)gn.value.len, (const char *)gn.value.ptr);
        } else if (gn.tag == PL_GN_IP && gn.value.len == 4) {
            pl_reader r = pl_reader_of(gn.value);
            uint8_t b[4] = {0};
            if (pl_read_copy(&r, b, 4) < 0) {
                continue;
            }
            snprintf(one, sizeof one, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
        } else if (gn.tag == PL_GN_IP && gn.value.len == 16) {
            pl_reader r = pl_reader_of(gn.value);
            size_t n = 0;
            for (int i = 0; i < 8; i++) {
                uint16_t v = 0;
                if (pl_read_u16(&r, &v) < 0) {
                    break;
                }
                n += (size_t)snprintf(one + n, sizeof one - n, i ? ":%x" : "%x", v);
            }
        } else {
            continue;
        }
        size_t len = strlen(one) + 1;
        if (used + len > sizeof p->text) {
            break;
        }
        memcpy(p->text + used, one, len);
        p->sans[p->san_count++] = p->text + used;
        used += len;
    }
    free(c->peer);
    c->peer = p;
}

static int64_t verify_time(const pl_client *c)
{
    return c->cfg->verify_time != 0 ? c->cfg->verify_time : (int64_t)time(NULL);
}

static const char *key_words(const pl_public_key *k, char *buf, size_t cap)
{
    if (k->alg == PL_KEY_RSA) {
        snprintf(buf, cap, "RSA-%zu", pl_rsa_public_bits(&k->u.rsa));
    } else {
        snprintf(buf, cap, "ECDSA %s", k->curve == PL_EC_P256 ? "P-256" : "P-384");
    }
    return buf;
}

/* The leaf's key must be the kind the suite uses (RFC 5246 §7.4.2), and its keyUsage, when it
 * has one, must allow the use (RFC 5280 §4.2.1.3; RFC 8422 §5.3 for ECDHE_ECDSA). */
static int check_leaf_fits_suite(pl_client *c)
{
    struct pl_hs *hs = c->hs;
    const pl_cert *leaf = &hs->certs[0];
    int want_ec = pl_suite_signs_with_ecdsa(c->suite);
    if ((want_ec && hs->leaf_key.alg != PL_KEY_EC) || (!want_ec && hs->leaf_key.alg != PL_KEY_RSA)) {
        return pl_client_fail(c, SSL_ERR_HS_CERT_KEY_TYPE,
                              "server certificate has an %s key, but %s needs an %s key",
                              hs->leaf_key.alg == PL_KEY_EC ? "EC" : "RSA", c->suite->name,
                              want_ec ? "ECDSA" : "RSA");
    }
    if (leaf->ext & PL_EXT_KEY_USAGE) {
        uint32_t need = c->suite->kx == PL_KX_RSA ? PL_KU_KEY_ENCIPHERMENT
                                                  : PL_KU_DIGITAL_SIGNATURE;
        if ((leaf->key_usage & need) == 0) {
            return pl_client_fail(c, SSL_ERR_HS_CERT_KEY_USAGE,
                                  "server certificate's keyUsage lacks %s, which %s needs",
                                  need == PL_KU_KEY_ENCIPHERMENT ? "keyEncipherment"
                                                                 : "digitalSignature",
                                  c->suite->name);
        }
    }
    return 0;
}

static int recv_certificate(pl_client *c, pl_reader *body)
{
    struct pl_hs *hs = c->hs;
    /* The message buffer is reused for the next message; the certificates must outlive it. */
    size_t len = pl_reader_left(body);
    hs->certs_der = malloc(len > 0 ? len : 1);
    ENSURE(hs->certs_der != NULL, SSL_ERR_NO_MEMORY);
    TRY(pl_read_copy(body, hs->certs_der, len));
    pl_reader copy;
    pl_reader_init(&copy, hs->certs_der, len);
    pl_slice der[PL_MAX_CHAIN];
    TRY(pl_msg_parse_certificate(&copy, der, PL_MAX_CHAIN, &hs->cert_count));
    ENSURE(hs->cert_count > 0, SSL_ERR_HS_NO_CERTIFICATE);
    for (size_t i = 0; i < hs->cert_count; i++) {
        int rc = pl_cert_parse(&hs->certs[i], der[i].ptr, der[i].len);
        if (rc < 0) {
            return pl_client_fail(c, rc, "server's certificate %zu of %zu does not parse: %s", i,
                                  hs->cert_count, ssl_error_string(rc));
        }
    }
    const pl_cert *leaf = &hs->certs[0];
    keep_peer_info(c, leaf);            /* the getters show a refused certificate too */
    char words[32];
    if (c->cfg->verify) {
        if (c->cfg->anchors == NULL || c->cfg->anchors->count == 0) {
            return pl_client_fail(c, SSL_ERR_NO_TRUST_ANCHORS, NULL);
        }
        pl_x509_verify_opts opts = {
            .now = verify_time(c),
            .host = c->host[0] != '\0' ? c->host : NULL,
            .max_intermediates = -1,
        };
        int rc = pl_x509_verify(leaf, &hs->certs[1], hs->cert_count - 1, c->cfg->anchors, &opts,
                                &hs->verdict);
        if (rc < 0) {
            pl_trace_note(&c->trace, "certificate REFUSED: %s", hs->verdict.detail);
            return pl_client_fail(c, rc, "%s", hs->verdict.detail);
        }
        char anchor[200];
        pl_cert_name_string(hs->verdict.path[hs->verdict.path_len - 1]->subject, anchor,
                            sizeof anchor);
        pl_trace_note(&c->trace, "chain verified: %zu certificate%s up to the trust anchor %s; "
                      "dates, CA flags, key usage, name constraints checked",
                      hs->verdict.path_len, hs->verdict.path_len == 1 ? "" : "s", anchor);
        if (opts.host != NULL) {
            pl_trace_note(&c->trace, "host name %s matches the certificate", opts.host);
        }
    } else {
        pl_trace_note(&c->trace, "certificate NOT verified: verification is switched off "
                      "(insecure)");
    }
    int rc = pl_key_parse_spki(&hs->leaf_key, leaf->spki);
    if (rc < 0) {
        return pl_client_fail(c, rc, "server certificate's public key: %s", ssl_error_string(rc));
    }
    hs->have_leaf_key = 1;
    TRY(check_leaf_fits_suite(c));
    pl_trace_note(&c->trace, "server key: %s", key_words(&hs->leaf_key, words, sizeof words));
    return c->suite->kx == PL_KX_RSA ? PL_ST_WAIT_CERT_REQ_OR_DONE : PL_ST_WAIT_SERVER_KX;
}

/* ---- ServerKeyExchange ----------------------------------------------------------------------- */

static int offered(const uint16_t *list, size_t n, uint16_t v)
{
    for (size_t i = 0; i < n; i++) {
        if (list[i] == v) {
            return 1;
        }
    }
    return 0;
}

static const pl_hash_class *sigalg_hash(uint16_t sigalg)
{
    switch (sigalg >> 8) {
    case 4:
        return &pl_sha256_class;
    case 5:
        return &pl_sha384_class;
    case 6:
        return &pl_sha512_class;
    case 8:             /* 0x0804..0x0806: rsa_pss_rsae_sha256/384/512 */
        return (sigalg & 0xff) == 4   ? &pl_sha256_class
               : (sigalg & 0xff) == 5 ? &pl_sha384_class
                                      : &pl_sha512_class;
    default:
        return NULL;
    }
}

/* RFC 5246 §7.4.3: the signature covers client_random + server_random + params, with the
 * scheme the server named (one we offered, and one its key can make). In TLS 1.2 an ECDSA
 * scheme names the hash only: the curve is the certificate's. */
static int check_kx_signature(pl_client *c, const pl_server_kx *skx)
{
    struct pl_hs *hs = c->hs;
    if (!offered(c->cfg->sigalgs, c->cfg->sigalgs_count, skx->sigalg)) {
        return pl_client_fail(c, SSL_ERR_HS_SIGALG_NOT_OFFERED,
                              "server signed its key exchange with scheme 0x%04x, which we did "
                              "not offer", skx->sigalg);
    }
    int ecdsa = (skx->sigalg & 0xff) == 3;
    int pss = (skx->sigalg >> 8) == 8;
    if (ecdsa != (hs->leaf_key.alg == PL_KEY_EC)) {
        return pl_client_fail(c, SSL_ERR_HS_SIGALG_KEY_MISMATCH,
                              "server signed with %s, but its certificate holds an %s key",
                              pl_sigalg_name(skx->sigalg),
                              hs->leaf_key.alg == PL_KEY_EC ? "EC" : "RSA");
    }
    const pl_hash_class *h = sigalg_hash(skx->sigalg);
    ENSURE(h != NULL, SSL_ERR_INTERNAL);        /* every offered scheme has a hash */
    pl_hash_ctx ctx;
    uint8_t digest[PL_HASH_MAX_LEN];
    h->init(&ctx);
    h->update(&ctx, c->client_random, sizeof c->client_random);
    h->update(&ctx, c->server_random, sizeof c->server_random);
    h->update(&ctx, skx->params.ptr, skx->params.len);
    h->final(&ctx, digest);
    int rc;
    if (ecdsa) {
        rc = pl_ecdsa_verify(&hs->leaf_key.u.ec, digest, h->digest_len, skx->signature.ptr,
                             skx->signature.len);
    } else if (pss) {
        rc = pl_rsa_pss_verify(&hs->leaf_key.u.rsa, h, digest, h->digest_len, h, h->digest_len,
                               skx->signature.ptr, skx->signature.len);
    } else {
        rc = pl_rsa_pkcs1_verify(&hs->leaf_key.u.rsa, h, digest, h->digest_len,
                                 skx->signature.ptr, skx->signature.len);
    }
    if (rc < 0) {
        return pl_client_fail(c, rc, "ServerKeyExchange signature (%s) does not verify with the "
                              "server certificate's key: %s", pl_sigalg_name(skx->sigalg),
                              ssl_error_string(rc));
    }
    char words[32];
    pl_trace_note(&c->trace, "signature %s over client_random + server_random + params verified "
                  "with the server's %s key", pl_sigalg_name(skx->sigalg),
                  key_words(&hs->leaf_key, words, sizeof words));
    return 0;
}

/* ECDHE (RFC 8422 §5.4, §5.10): a fresh key pair on the server's curve; the pre-master secret
 * is the shared x-coordinate (X25519: the shared value, RFC 7748 §6.1). The server's point is
 * validated by the curve code: on the curve, not the identity, X25519 not of small order. */
static int agree_ecdhe(pl_client *c, const pl_server_kx *skx)
{
    struct pl_hs *hs = c->hs;
    if (skx->group != PL_GROUP_X25519 && skx->group != PL_GROUP_SECP256R1 &&
        skx->group != PL_GROUP_SECP384R1) {
        return pl_client_fail(c, SSL_ERR_HS_GROUP_NOT_OFFERED,
                              "server chose curve 0x%04x, which we did not offer", skx->group);
    }
    if (!offered(c->cfg->groups, c->cfg->groups_count, skx->group)) {
        return pl_client_fail(c, SSL_ERR_HS_GROUP_NOT_OFFERED,
                              "server chose curve %s, which we did not offer",
                              pl_group_name(skx->group));
    }
    uint8_t priv[PL_EC_MAX_SCALAR_LEN];
    int rc;
    if (skx->group == PL_GROUP_X25519) {
        ENSURE(skx->point.len == PL_X25519_LEN, SSL_ERR_CRYPTO_BAD_POINT_ENCODING);
        rc = pl_x25519_keygen(priv, hs->kx_public);
        if (rc == 0) {
            rc = pl_x25519_shared(hs->pms, priv, skx->point.ptr);
        }
        hs->kx_public_len = PL_X25519_LEN;
        hs->pms_len = PL_X25519_LEN;
    } else {
        pl_ec_curve curve = skx->group == PL_GROUP_SECP256R1 ? PL_EC_P256 : PL_EC_P384;
        rc = pl_ecdh_keygen(curve, priv, hs->kx_public);
        if (rc == 0) {
            rc = pl_ecdh_shared(curve, hs->pms, priv, skx->point.ptr, skx->point.len);
        }
        hs->kx_public_len = pl_ec_point_len(curve);
        hs->pms_len = pl_ec_scalar_len(curve);
    }
    pl_wipe(priv, sizeof priv);
    if (rc < 0) {
        return pl_client_fail(c, rc, "server's %s public value refused: %s",
                              pl_group_name(skx->group), ssl_error_string(rc));
    }
    c->group = skx->group;
    c->group_name = pl_group_name(skx->group);
    pl_trace_note(&c->trace, "pre_master_secret = %s(our fresh private key, server's public "
                  "value): %zu bytes", skx->group == PL_GROUP_X25519 ? "X25519" : "ECDH",
                  hs->pms_len);
    return 0;
}

/* DHE (RFC 5246 §8.1.2): the server's group (an RFC 7919 group, or one it chose: at least 2048
 * bits), its public value checked, a fresh exponent of ours, Z with leading zeros stripped. */
static int agree_dhe(pl_client *c, const pl_server_kx *skx)
{
    struct pl_hs *hs = c->hs;
    pl_dh_group group;
    int rc = pl_dh_group_init(&group, skx->dh_p.ptr, skx->dh_p.len, skx->dh_g.ptr,
                              skx->dh_g.len);
    if (rc < 0) {
        return pl_client_fail(c, rc, "server's DHE group refused: %s", ssl_error_string(rc));
    }
    if (group.named_group != 0 &&
        !offered(c->cfg->groups, c->cfg->groups_count, group.named_group)) {
        return pl_client_fail(c, SSL_ERR_HS_GROUP_NOT_OFFERED,
                              "server chose DHE group %s, which we did not offer", group.name);
    }
    rc = pl_dh_check_public(&group, skx->dh_ys.ptr, skx->dh_ys.len);
    uint8_t priv[PL_DH_MAX_PRIV_LEN];
    if (rc == 0) {
        rc = pl_dh_keygen(&group, priv, group.priv_len, hs->kx_public, sizeof hs->kx_public);
    }
    if (rc == 0) {
        hs->kx_public_len = group.p_len;
        rc = pl_dh_shared(&group, priv, group.priv_len, skx->dh_ys.ptr, skx->dh_ys.len, hs->pms,
                          sizeof hs->pms, &hs->pms_len);
    }
    pl_wipe(priv, sizeof priv);
    if (rc < 0) {
        return pl_client_fail(c, rc, "DHE key agreement failed: %s", ssl_error_string(rc));
    }
    c->group = group.named_group;
    c->group_name = group.named_group != 0 ? pl_group_name(group.named_group) : "server-chosen";
    pl_trace_note(&c->trace, "pre_master_secret = g^(ours * server's) mod p in %s (%zu bits), "
                  "leading zeros stripped: %zu bytes", c->group_name, group.p_len * 8,
                  hs->pms_len);
    return 0;
}

static int recv_server_kx(pl_client *c, pl_reader *body)
{
    pl_server_kx skx;
    int ecdhe = c->suite->kx != PL_KX_DHE_RSA;
    TRY(pl_msg_parse_server_kx(body, ecdhe, &skx));
    TRY(check_kx_signature(c, &skx));
    TRY(ecdhe ? agree_ecdhe(c, &skx) : agree_dhe(c, &skx));
    return PL_ST_WAIT_CERT_REQ_OR_DONE;
}

/* ---- CertificateRequest, ServerHelloDone and our flight -------------------------------------- */

/* RFC 5246 §7.4.4, §7.4.6: the chain is sent only when it fits the request (its key's type,
 * a scheme the server accepts, one of the CAs it names); otherwise an empty Certificate goes,
 * and whether to continue without one is the server's decision, not ours. */
static int recv_cert_request(pl_client *c, pl_reader *body)
{
    struct pl_hs *hs = c->hs;
    const pl_identity *id = c->cfg->identity;
    pl_cert_request cr;
    char why[200], subject[200];
    TRY(pl_msg_parse_cert_request(body, &cr));
    hs->cert_requested = 1;
    if (id == NULL) {
        pl_trace_note(&c->trace, "the server asks for a client certificate; we have none and "
                      "will send an empty Certificate (RFC 5246 §7.4.6)");
    } else if (pl_msg_choose_client_cert(&cr, id, &hs->client_sigalg, why, sizeof why)) {
        pl_cert_name_string(id->certs[0].subject, subject, sizeof subject);
        pl_trace_note(&c->trace, "the server asks for a client certificate; ours (%s) fits its "
                      "request and will be sent, then CertificateVerify signed with %s",
                      subject, pl_sigalg_name(hs->client_sigalg));
    } else {
        pl_trace_note(&c->trace, "the server asks for a client certificate, but ours does not "
                      "fit: %s; we send an empty Certificate (RFC 5246 §7.4.6) and the server "
                      "decides", why);
    }
    return PL_ST_WAIT_DONE;
}

/* Our Certificate when the server asked: the configured chain, or an empty list. */
static int send_client_certificate(pl_client *c)
{
    struct pl_hs *hs = c->hs;
    const pl_identity *id = c->cfg->identity;
    pl_writer w;
    if (!hs->cert_requested) {
        return 0;
    }
    if (hs->client_sigalg == 0) {
        c->client_cert = PL_CLIENT_CERT_NOT_SENT;
        pl_writer_init(&w, hs->scratch, sizeof hs->scratch);
        TRY(pl_msg_write_empty_certificate(&w));
        return send_handshake(c, &w);
    }
    pl_slice der[PL_IDENTITY_MAX_CHAIN];
    size_t len = 4 + 3;                 /* header, certificate_list length */
    for (size_t i = 0; i < id->count; i++) {
        der[i] = id->certs[i].der;
        len += 3 + der[i].len;          /* bounded: at most 10 certificates of at most 1 MiB */
    }
    uint8_t *buf = malloc(len);         /* a chain may be larger than scratch */
    ENSURE(buf != NULL, SSL_ERR_NO_MEMORY);
    pl_writer_init(&w, buf, len);
    int rc = pl_msg_write_certificate(&w, der, id->count);
    if (rc == 0) {
        rc = send_handshake(c, &w);
    }
    free(buf);                          /* certificates are public: nothing to wipe */
    if (rc == 0) {
        char subject[200];
        c->client_cert = PL_CLIENT_CERT_SENT;
        pl_cert_name_string(id->certs[0].subject, subject, sizeof subject);
        pl_trace_note(&c->trace, "client certificate sent: %s, with %zu more certificate%s of "
                      "its chain", subject, id->count - 1, id->count == 2 ? "" : "s");
    }
    return rc;
}

/* RFC 5246 §7.4.8: a signature with our key over every handshake message so far — from
 * ClientHello up to and including ClientKeyExchange — hashed with the chosen scheme's hash. */
static int send_cert_verify(pl_client *c)
{
    struct pl_hs *hs = c->hs;
    if (!hs->cert_requested || hs->client_sigalg == 0) {
        return 0;
    }
    const pl_hash_class *h = pl_msg_sigalg_hash(hs->client_sigalg);
    const transcript *t = h == &pl_sha384_class ? &hs->t384 : &hs->t256;
    ENSURE(h == t->h, SSL_ERR_INTERNAL);        /* we choose SHA-256 and SHA-384 schemes only */
    uint8_t digest[PL_HASH_MAX_LEN];
    size_t n = transcript_hash(t, digest);
    pl_writer w;
    pl_writer_init(&w, hs->scratch, sizeof hs->scratch);
    int rc = pl_msg_write_cert_verify(&w, &c->cfg->identity->key, hs->client_sigalg, digest, n);
    if (rc < 0) {
        return pl_client_fail(c, rc, "signing CertificateVerify (%s) with our client key failed: "
                              "%s", pl_sigalg_name(hs->client_sigalg), ssl_error_string(rc));
    }
    TRY(send_handshake(c, &w));
    pl_trace_note(&c->trace, "CertificateVerify signed with %s over %s(handshake messages up to "
                  "ClientKeyExchange), proving we hold the certificate's private key",
                  pl_sigalg_name(hs->client_sigalg), t->h->name);
    return 0;
}

/* The output buffer's room for the client-certificate flight (pl_client_new): the Certificate
 * message with the whole chain and a CertificateVerify, as records. */
size_t pl_hs_client_out_extra(const pl_client_config *cfg)
{
    const pl_identity *id = cfg->identity;
    if (id == NULL) {
        return 0;
    }
    size_t msg = 4 + 3;
    for (size_t i = 0; i < id->count; i++) {
        msg += 3 + id->certs[i].der.len;
    }
    size_t records = msg / PL_RECORD_MAX_PLAINTEXT + 1;
    size_t verify = 4 + 2 + 2 + PL_RSA_MAX_LEN;  /* the largest signature: RSA-8192 */
    return msg + verify + (records + 1) * (PL_RECORD_HEADER_LEN + PL_RECORD_MAX_EXPANSION);
}

/* RFC 5246 §7.4.7.1: the RSA key exchange's pre-master secret is the version we offered and 46
 * random bytes, encrypted to the certificate's key with PKCS #1 v1.5. */
static int make_rsa_premaster(pl_client *c)
{
    struct pl_hs *hs = c->hs;
    hs->pms[0] = 3;
    hs->pms[1] = 3;
    TRY(pl_random(hs->pms + 2, 46));
    hs->pms_len = 48;
    const pl_rsa_public *key = &hs->leaf_key.u.rsa;
    hs->kx_public_len = pl_rsa_public_len(key);
    ENSURE(hs->kx_public_len <= sizeof hs->kx_public, SSL_ERR_CRYPTO_RSA_KEY_TOO_LARGE);
    TRY(pl_rsa_pkcs1_encrypt(key, hs->pms, hs->pms_len, hs->kx_public, hs->kx_public_len));
    c->group_name = "none";
    pl_trace_note(&c->trace, "pre_master_secret = 3,3 + 46 random bytes, encrypted to the server "
                  "certificate's RSA-%zu key (only its private key can read it)",
                  pl_rsa_public_bits(key));
    return 0;
}

/* The connection's keys from the master secret and this connection's randoms (a resumed
 * session's master secret gives new keys each time), and the key log line. */
static void expand_keys(pl_client *c)
{
    pl_tls_key_block(c->suite, c->master, c->client_random, c->server_random, &c->hs->keys);
    pl_trace_note(&c->trace, "key_block = PRF(master_secret, \"key expansion\", server_random + "
                  "client_random): write keys %u bytes, IVs %u bytes, each way",
                  c->suite->key_len, c->suite->fixed_iv_len);
    if (c->keylog != NULL) {
        char line[PL_TLS_KEYLOG_LINE_LEN];
        pl_tls_keylog_line(line, c->client_random, c->master);
        line[strcspn(line, "\n")] = '\0';
        c->keylog(c->keylog_user, line);
        pl_wipe(line, sizeof line);
    }
}

static void derive_keys(pl_client *c)
{
    struct pl_hs *hs = c->hs;
    if (c->ems) {
        /* RFC 7627 §4: session_hash covers the messages up to and including
         * ClientKeyExchange, binding the master secret to this handshake. */
        uint8_t session_hash[PL_HASH_MAX_LEN];
        size_t n = transcript_hash(hs->t, session_hash);
        pl_tls_ems_master_secret(c->suite, hs->pms, hs->pms_len, session_hash, n, c->master);
        pl_trace_note(&c->trace, "master_secret = PRF(pre_master_secret, \"extended master "
                      "secret\", session_hash) (RFC 7627): 48 bytes");
    } else {
        pl_tls_master_secret(c->suite, hs->pms, hs->pms_len, c->client_random, c->server_random,
                             c->master);
        pl_trace_note(&c->trace, "master_secret = PRF(pre_master_secret, \"master secret\", "
                      "ClientHello.random + ServerHello.random): 48 bytes");
    }
    pl_wipe(hs->pms, sizeof hs->pms);
    expand_keys(c);
}

/* One direction's record protection from the key block: AEAD, or AES-CBC with HMAC
 * (encrypt-then-MAC when agreed). */
static void install_keys(pl_client *c, pl_record_cipher *rc, int from_server)
{
    const pl_tls_keys *k = &c->hs->keys;
    if (pl_suite_is_cbc(c->suite)) {
        pl_record_cipher_init_cbc(rc, c->suite, from_server ? k->server_key : k->client_key,
                                  from_server ? k->server_mac : k->client_mac, c->etm);
    } else {
        pl_record_cipher_init(rc, c->suite, from_server ? k->server_key : k->client_key,
                              from_server ? k->server_iv : k->client_iv);
    }
}

/* Our ChangeCipherSpec, then Finished under the new keys: verify_data over every handshake
 * message so far (RFC 5246 §7.4.9) — the end of our flight in a full handshake, our answer to
 * the server's Finished in an abbreviated one. */
static int send_ccs_and_finished(pl_client *c)
{
    struct pl_hs *hs = c->hs;
    static const uint8_t ccs = 1;
    TRY(pl_client_send(c, PL_CT_CHANGE_CIPHER_SPEC, &ccs, 1));
    pl_trace_ccs(&c->trace, 0);
    install_keys(c, &c->wc, 0);
    uint8_t th[PL_HASH_MAX_LEN], verify_data[PL_TLS_VERIFY_DATA_LEN];
    size_t n = transcript_hash(hs->t, th);
    pl_tls_finished(c->suite, c->master, 1, th, n, verify_data);
    pl_writer w;
    pl_writer_init(&w, hs->scratch, sizeof hs->scratch);
    TRY(pl_msg_write_finished(&w, verify_data));
    TRY(send_handshake(c, &w));
    pl_trace_note(&c->trace, "verify_data = PRF(master_secret, \"client finished\", %s(handshake "
                  "messages so far))[0..11]", hs->t->h->name);
    return 0;
}

static int recv_server_hello_done(pl_client *c, pl_reader *body)
{
    struct pl_hs *hs = c->hs;
    TRY(pl_msg_parse_empty(body));
    pl_writer w;
    TRY(send_client_certificate(c));
    pl_writer_init(&w, hs->scratch, sizeof hs->scratch);
    switch (c->suite->kx) {
    case PL_KX_RSA:
        TRY(make_rsa_premaster(c));
        TRY(pl_msg_write_client_kx_rsa(&w, hs->kx_public, hs->kx_public_len));
        break;
    case PL_KX_DHE_RSA:
        TRY(pl_msg_write_client_kx_dhe(&w, hs->kx_public, hs->kx_public_len));
        break;
    case PL_KX_ECDHE_ECDSA:
    case PL_KX_ECDHE_RSA:
        TRY(pl_msg_write_client_kx_ecdhe(&w, hs->kx_public, hs->kx_public_len));
        break;
    default:
        return SSL_ERR_INTERNAL;
    }
    TRY(send_handshake(c, &w));
    derive_keys(c);                     /* the EMS session_hash stops at ClientKeyExchange */
    TRY(send_cert_verify(c));
    TRY(send_ccs_and_finished(c));
    return hs->ticket_expected ? PL_ST_WAIT_NEW_TICKET : PL_ST_WAIT_SERVER_CCS;
}

/* ---- NewSessionTicket, the server's ChangeCipherSpec and Finished ---------------------------- */

static int recv_ccs(pl_client *c, pl_reader *body)
{
    (void)body;                 /* the record layer checked it is the byte 1 */
    install_keys(c, &c->rr.cipher, 1);
    if (!c->resumed) {
        pl_tls_keys_wipe(&c->hs->keys); /* resuming, ours are still to be installed */
    }
    return PL_ST_WAIT_SERVER_FINISHED;
}

/* RFC 5077 §3.3: the ticket comes after the client's Finished in a full handshake and after
 * ServerHello in an abbreviated one, exactly when the ServerHello echoed session_ticket; an
 * empty ticket means the server issues none after all. It is kept with the session. */
static int recv_new_session_ticket(pl_client *c, pl_reader *body)
{
    struct pl_hs *hs = c->hs;
    pl_new_ticket t;
    TRY(pl_msg_parse_new_session_ticket(body, &t));
    if (t.ticket.len > 0) {
        hs->new_ticket = malloc(t.ticket.len);
        ENSURE(hs->new_ticket != NULL, SSL_ERR_NO_MEMORY);
        memcpy(hs->new_ticket, t.ticket.ptr, t.ticket.len);
        hs->new_ticket_len = t.ticket.len;
        hs->ticket_hint = t.lifetime_hint;
        pl_trace_note(&c->trace, "kept the ticket (%zu bytes) to resume this session later",
                      t.ticket.len);
    }
    return PL_ST_WAIT_SERVER_CCS;
}

static int recv_finished(pl_client *c, pl_reader *body)
{
    struct pl_hs *hs = c->hs;
    uint8_t got[PL_TLS_VERIFY_DATA_LEN], want[PL_TLS_VERIFY_DATA_LEN], th[PL_HASH_MAX_LEN];
    TRY(pl_msg_parse_finished(body, got));
    size_t n = transcript_hash(&hs->before, th);
    pl_tls_finished(c->suite, c->master, 0, th, n, want);
    /* A wrong verify_data is decrypt_error (RFC 5246 §7.2.2); compared in constant time so that
     * timing tells a forger nothing. */
    uint32_t same = pl_ct_memeq(got, want, sizeof want);
    pl_wipe(want, sizeof want);
    ENSURE(same, SSL_ERR_HS_BAD_FINISHED);
    if (c->resumed) {
        TRY(pl_read_end(body));
        pl_trace_note(&c->trace, "server's verify_data matches our transcript: it holds the "
                      "session's master secret");
        TRY(send_ccs_and_finished(c));     /* after the server's, in an abbreviated one */
        pl_tls_keys_wipe(&hs->keys);
        pl_trace_note(&c->trace, "handshake complete (abbreviated, session resumed), %s",
                      c->suite->name);
        return PL_ST_CONNECTED;
    }
    pl_trace_note(&c->trace, "server's verify_data matches our transcript: handshake complete "
                  "(full), %s", c->suite->name);
    return PL_ST_CONNECTED;
}

/* RFC 5246 §7.4.1.1: a HelloRequest asks for renegotiation, which padlock never does; it
 * answers with a no_renegotiation warning (RFC 5246 §7.2.2) and goes on. */
static int recv_hello_request(pl_client *c, pl_reader *body)
{
    TRY(pl_msg_parse_empty(body));
    static const uint8_t alert[2] = {1, PL_ALERT_NO_RENEGOTIATION};
    if (!c->alert_sent && pl_client_send(c, PL_CT_ALERT, alert, sizeof alert) == 0) {
        pl_trace_alert(&c->trace, 0, alert[0], alert[1]);
    }
    return PL_ST_CONNECTED;
}

/* ---- the table ------------------------------------------------------------------------------- */

#define TO(s) (1u << (s))

struct hs_rule {
    enum pl_client_state state;
    unsigned type;
    int (*handle)(pl_client *c, pl_reader *body);
    uint32_t next;
};

/* RFC 5246 §7.3: what the client may receive, when, and who handles it. */
static const struct hs_rule client_rules[] = {
    /* waiting for                 a message of type              handled by */
    {PL_ST_WAIT_SERVER_HELLO, PL_HS_SERVER_HELLO, recv_server_hello,       /* full, or resumed: */
     .next = TO(PL_ST_WAIT_CERTIFICATE) | TO(PL_ST_WAIT_NEW_TICKET) | TO(PL_ST_WAIT_SERVER_CCS)},
    {PL_ST_WAIT_CERTIFICATE, PL_HS_CERTIFICATE, recv_certificate,
     .next = TO(PL_ST_WAIT_SERVER_KX) | TO(PL_ST_WAIT_CERT_REQ_OR_DONE)}, /* (EC)DHE, or RSA */
    {PL_ST_WAIT_SERVER_KX, PL_HS_SERVER_KEY_EXCHANGE, recv_server_kx,
     .next = TO(PL_ST_WAIT_CERT_REQ_OR_DONE)},
    {PL_ST_WAIT_CERT_REQ_OR_DONE, PL_HS_CERTIFICATE_REQUEST, recv_cert_request,
     .next = TO(PL_ST_WAIT_DONE)},
    {PL_ST_WAIT_CERT_REQ_OR_DONE, PL_HS_SERVER_HELLO_DONE, recv_server_hello_done,
     .next = TO(PL_ST_WAIT_NEW_TICKET) | TO(PL_ST_WAIT_SERVER_CCS)},
    {PL_ST_WAIT_DONE, PL_HS_SERVER_HELLO_DONE, recv_server_hello_done,
     .next = TO(PL_ST_WAIT_NEW_TICKET) | TO(PL_ST_WAIT_SERVER_CCS)},
    {PL_ST_WAIT_NEW_TICKET, PL_HS_NEW_SESSION_TICKET, recv_new_session_ticket,
     .next = TO(PL_ST_WAIT_SERVER_CCS)},
    {PL_ST_WAIT_SERVER_CCS, PL_HT_CCS, recv_ccs, .next = TO(PL_ST_WAIT_SERVER_FINISHED)},
    {PL_ST_WAIT_SERVER_FINISHED, PL_HS_FINISHED, recv_finished, .next = TO(PL_ST_CONNECTED)},
    {PL_ST_CONNECTED, PL_HS_HELLO_REQUEST, recv_hello_request, .next = TO(PL_ST_CONNECTED)},
};

/* The connection's session, for the application to resume later: after a full handshake a new
 * one, when the server gave a session ID or a ticket; after an abbreviated one the session
 * resumed, with the server's new ticket if it sent one. Lifetimes as tls/session.h says. Out
 * of memory only means no session. */
static void keep_session(pl_client *c)
{
    struct pl_hs *hs = c->hs;
    int64_t now = now_seconds(c);
    pl_session *s;
    if (c->resumed) {
        s = pl_session_dup(c->offer);
    } else {
        if ((hs->sh_id_len == 0 && hs->new_ticket_len == 0) || c->cfg->session_lifetime == 0) {
            return;
        }
        s = calloc(1, sizeof *s);
        if (s != NULL) {
            s->suite = c->suite->id;
            s->ems = (uint8_t)c->ems;
            s->etm = (uint8_t)c->etm;
            memcpy(s->master, c->master, sizeof s->master);
            memcpy(s->id, hs->sh_id, hs->sh_id_len);
            s->id_len = hs->sh_id_len;
            s->created = now;
            s->expires = now + (int64_t)c->cfg->session_lifetime;
            memcpy(s->host, c->host, sizeof s->host);
            if (c->peer != NULL) {
                pl_peer_info_copy(&s->peer, c->peer);
                if (c->cfg->verify && c->peer->not_after < s->expires) {
                    s->expires = c->peer->not_after;    /* no resuming past the certificate */
                }
            }
        }
    }
    if (s == NULL) {
        return;
    }
    if (hs->new_ticket_len > 0) {
        free(s->ticket);
        s->ticket = hs->new_ticket;
        s->ticket_len = hs->new_ticket_len;
        hs->new_ticket = NULL;
        hs->new_ticket_len = 0;
        if (hs->ticket_hint > 0 && now + (int64_t)hs->ticket_hint < s->expires) {
            s->expires = now + (int64_t)hs->ticket_hint;
        }
    }
    pl_session_free(c->session);
    c->session = s;
}

static const char *type_name(unsigned type)
{
    const char *name = pl_msg_type_name(type);
    return name != NULL ? name : "an unknown handshake message";
}

int pl_hs_client_dispatch(pl_client *c, unsigned type, pl_slice body, pl_slice whole)
{
    const struct hs_rule *rule = NULL;
    for (size_t i = 0; i < PL_ARRAY_LEN(client_rules); i++) {
        if (client_rules[i].state == c->state && client_rules[i].type == type) {
            rule = &client_rules[i];
            break;
        }
    }
    if (type == PL_HT_CCS) {
        pl_trace_ccs(&c->trace, 1);
    } else {
        pl_trace_handshake(&c->trace, 1, whole, c->suite, c->rr.cipher.aead != NULL);
    }
    if (rule == NULL && type == PL_HS_HELLO_REQUEST && c->state != PL_ST_CONNECTED) {
        /* RFC 5246 §7.4.1.1: ignored while a handshake is under way, and never hashed. */
        pl_reader r = pl_reader_of(body);
        return pl_msg_parse_empty(&r);
    }
    if (rule == NULL) {
        return pl_client_fail(c, type == PL_HT_CCS ? SSL_ERR_HS_UNEXPECTED_CCS
                                                   : SSL_ERR_HS_UNEXPECTED_MESSAGE,
                              "server sent %s (type %u) %s", type_name(type), type,
                              c->state == PL_ST_CONNECTED ? "after the handshake"
                                                          : "where the handshake does not allow it");
    }
    struct pl_hs *hs = c->hs;
    if (hs != NULL && type != PL_HT_CCS && type != PL_HS_HELLO_REQUEST) {
        if (hs->t != NULL) {
            hs->before = *hs->t;        /* Finished is checked against the messages before it */
        }
        transcript_add(hs, whole);
    }
    pl_reader r = pl_reader_of(body);
    int next = rule->handle(c, &r);
    if (next < 0) {
        return next;
    }
    TRY(pl_read_end(&r));
    ENSURE(next < PL_ST_STATE_COUNT && (rule->next & TO((unsigned)next)) != 0, SSL_ERR_INTERNAL);
    c->state = (enum pl_client_state)next;
    if (c->state == PL_ST_CONNECTED && hs != NULL) {
        keep_session(c);
        pl_hs_client_end(c);
    }
    return 0;
}
