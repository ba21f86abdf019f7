/* Sessions: copies, the checks before offering one, and the serialised form (tls/session.h).
 *
 * The serialised form, all integers big-endian:
 *
 *   "padlock-tls-session\n"          20 bytes of magic
 *   version                           u8, 1
 *   suite                             u16
 *   flags                             u8: bit 0 EMS, bit 1 encrypt-then-MAC, others 0
 *   master_secret                     48 bytes
 *   session_id                        <0..32>
 *   ticket                            <0..2^16-1>
 *   created, expires                  u64 each (two's complement of the Unix seconds)
 *   host                              <0..253>
 *   peer subject, issuer              <0..255> each
 *   peer not_before, not_after        u64 each
 *   peer SANs                         u8 count (<= 32), then <1..255> each
 *   checksum                          SHA-256 of every byte above
 *
 * The checksum is tested before any field is read; then every field is read through the
 * bounded cursor and checked as hostile input (a known suite, a session ID or a ticket,
 * expires after created, a valid host name, names that are text). */
#include "tls/session.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/ct.h"
#include "crypto/hash.h"
#include "tls/suites.h"
#include "x509/hostname.h"

static const char magic[] = "padlock-tls-session\n";
#define MAGIC_LEN (sizeof magic - 1)
#define FORMAT_VERSION 1
#define FLAG_EMS 1u
#define FLAG_ETM 2u

void pl_peer_info_copy(pl_peer_info *dst, const pl_peer_info *src)
{
    memcpy(dst, src, sizeof *dst);
    for (size_t i = 0; i < src->san_count; i++) {
        dst->sans[i] = dst->text + (src->sans[i] - src->text);
    }
}

pl_session *pl_session_dup(const pl_session *s)
{
    pl_session *d = malloc(sizeof *d);
    if (d == NULL) {
        return NULL;
    }
    memcpy(d, s, sizeof *d);
    pl_peer_info_copy(&d->peer, &s->peer);
    d->ticket = NULL;
    if (s->ticket_len > 0) {
        d->ticket = malloc(s->ticket_len);
        if (d->ticket == NULL) {
            pl_wipe(d, sizeof *d);
            free(d);
            return NULL;
        }
        memcpy(d->ticket, s->ticket, s->ticket_len);
    }
    return d;
}

void pl_session_free(pl_session *s)
{
    if (s == NULL) {
        return;
    }
    if (s->ticket != NULL) {
        pl_wipe(s->ticket, s->ticket_len);
        free(s->ticket);
    }
    pl_wipe(s, sizeof *s);
    free(s);
}

/* ---- checks before offering ------------------------------------------------------------------ */

int pl_session_usable(const pl_session *s, const char *host, const pl_client_config *cfg,
                      int64_t now)
{
    ENSURE(s->id_len > 0 || s->ticket_len > 0, SSL_ERR_SESSION_NOT_RESUMABLE);
    ENSURE(now >= s->created && now < s->expires, SSL_ERR_SESSION_EXPIRED);
    /* host names compare without case (RFC 4343); "" only matches "" */
    ENSURE(strcasecmp(s->host, host) == 0, SSL_ERR_SESSION_WRONG_HOST);
    int listed = 0;
    for (size_t i = 0; i < cfg->suites_count; i++) {
        listed |= cfg->suites[i] == s->suite;
    }
    ENSURE(listed, SSL_ERR_SESSION_SUITE_DISABLED);
    ENSURE(s->ems || !cfg->require_ems, SSL_ERR_SESSION_WITHOUT_EMS);
    return 0;
}

/* ---- the serialised form --------------------------------------------------------------------- */

static int write_text8(pl_writer *w, const char *text)
{
    size_t mark;
    TRY(pl_write_open8(w, &mark));
    TRY(pl_write_bytes(w, text, strlen(text)));
    return pl_write_close8(w, mark);
}

static int write_fields(pl_writer *w, const pl_session *s)
{
    size_t mark;
    TRY(pl_write_bytes(w, magic, MAGIC_LEN));
    TRY(pl_write_u8(w, FORMAT_VERSION));
    TRY(pl_write_u16(w, s->suite));
    TRY(pl_write_u8(w, (uint8_t)((s->ems ? FLAG_EMS : 0) | (s->etm ? FLAG_ETM : 0))));
    TRY(pl_write_bytes(w, s->master, sizeof s->master));
    TRY(pl_write_open8(w, &mark));
    TRY(pl_write_bytes(w, s->id, s->id_len));
    TRY(pl_write_close8(w, mark));
    TRY(pl_write_open16(w, &mark));
    TRY(pl_write_bytes(w, s->ticket, s->ticket_len));
    TRY(pl_write_close16(w, mark));
    TRY(pl_write_u64(w, (uint64_t)s->created));
    TRY(pl_write_u64(w, (uint64_t)s->expires));
    TRY(write_text8(w, s->host));
    TRY(write_text8(w, s->peer.subject));
    TRY(write_text8(w, s->peer.issuer));
    TRY(pl_write_u64(w, (uint64_t)s->peer.not_before));
    TRY(pl_write_u64(w, (uint64_t)s->peer.not_after));
    TRY(pl_write_u8(w, (uint8_t)s->peer.san_count));
    for (size_t i = 0; i < s->peer.san_count; i++) {
        TRY(write_text8(w, s->peer.sans[i]));
    }
    return 0;
}

size_t pl_session_saved_len(const pl_session *s)
{
    size_t n = MAGIC_LEN + 1 + 2 + 1 + PL_TLS_MASTER_LEN + 1 + s->id_len + 2 + s->ticket_len +
               16 + 1 + strlen(s->host) + 1 + strlen(s->peer.subject) + 1 +
               strlen(s->peer.issuer) + 16 + 1 + PL_SHA256_LEN;
    for (size_t i = 0; i < s->peer.san_count; i++) {
        n += 1 + strlen(s->peer.sans[i]);
    }
    return n;
}

int pl_session_save(const pl_session *s, uint8_t *buf, size_t cap, size_t *len)
{
    pl_writer w;
    uint8_t *sum;
    pl_writer_init(&w, buf, cap);
    TRY(write_fields(&w, s));
    size_t body = pl_writer_len(&w);
    TRY(pl_write_reserve(&w, PL_SHA256_LEN, &sum));
    pl_sha256(buf, body, sum);
    *len = pl_writer_len(&w);
    return 0;
}

/* A text field: printable ASCII or UTF-8 bytes, no control characters (what the engine
 * writes), NUL-terminated into out (cap > 255). */
static int read_text8(pl_reader *r, size_t floor, char *out, size_t cap)
{
    pl_slice v;
    TRY(pl_read_vec8(r, floor, 255, &v));
    ENSURE(v.len < cap, SSL_ERR_SESSION_MALFORMED);
    pl_reader t = pl_reader_of(v);
    for (size_t i = 0; i < v.len; i++) {
        uint8_t b;
        TRY(pl_read_u8(&t, &b));
        ENSURE(b >= 0x20 && b != 0x7f, SSL_ERR_SESSION_MALFORMED);
        out[i] = (char)b;
    }
    out[v.len] = '\0';
    return 0;
}

static int read_peer(pl_reader *r, pl_peer_info *p)
{
    uint64_t nb, na;
    uint8_t count;
    TRY(read_text8(r, 0, p->subject, sizeof p->subject));
    TRY(read_text8(r, 0, p->issuer, sizeof p->issuer));
    TRY(pl_read_u64(r, &nb));
    TRY(pl_read_u64(r, &na));
    p->not_before = (int64_t)nb;
    p->not_after = (int64_t)na;
    TRY(pl_read_u8(r, &count));
    ENSURE(count <= PL_ARRAY_LEN(p->sans), SSL_ERR_SESSION_MALFORMED);
    size_t used = 0;
    for (size_t i = 0; i < count; i++) {
        char one[256];
        TRY(read_text8(r, 1, one, sizeof one));
        size_t len = strlen(one) + 1;
        ENSURE(used + len <= sizeof p->text, SSL_ERR_SESSION_MALFORMED);
        memcpy(p->text + used, one, len);
        p->sans[p->san_count++] = p->text + used;
        used += len;
    }
    return 0;
}

static int read_fields(pl_reader *r, pl_session *s)
{
    uint8_t version, flags;
    uint64_t created, expires;
    pl_slice id, ticket;
    TRY(pl_read_skip(r, MAGIC_LEN));
    TRY(pl_read_u8(r, &version));
    TRY(pl_read_u16(r, &s->suite));
    ENSURE(pl_suite_by_id(s->suite) != NULL, SSL_ERR_SESSION_MALFORMED);
    TRY(pl_read_u8(r, &flags));
    ENSURE((flags & ~(FLAG_EMS | FLAG_ETM)) == 0, SSL_ERR_SESSION_MALFORMED);
    s->ems = (flags & FLAG_EMS) != 0;
    s->etm = (flags & FLAG_ETM) != 0;
    ENSURE(!s->etm || pl_suite_is_cbc(pl_suite_by_id(s->suite)), SSL_ERR_SESSION_MALFORMED);
    TRY(pl_read_copy(r, s->master, sizeof s->master));
    TRY(pl_read_vec8(r, 0, 32, &id));
    TRY(pl_read_vec16(r, 0, PL_SESSION_MAX_TICKET, &ticket));
    ENSURE(id.len > 0 || ticket.len > 0, SSL_ERR_SESSION_MALFORMED);
    memcpy(s->id, id.ptr, id.len);
    s->id_len = id.len;
    if (ticket.len > 0) {
        s->ticket = malloc(ticket.len);
        ENSURE(s->ticket != NULL, SSL_ERR_NO_MEMORY);
        memcpy(s->ticket, ticket.ptr, ticket.len);
        s->ticket_len = ticket.len;
    }
    TRY(pl_read_u64(r, &created));
    TRY(pl_read_u64(r, &expires));
    s->created = (int64_t)created;
    s->expires = (int64_t)expires;
    ENSURE(s->created > 0 && s->expires > s->created, SSL_ERR_SESSION_MALFORMED);
    TRY(read_text8(r, 0, s->host, sizeof s->host));
    ENSURE(s->host[0] == '\0' || pl_hostname_valid(s->host), SSL_ERR_SESSION_MALFORMED);
    return read_peer(r, &s->peer);
}

int pl_session_load(pl_session **out, const uint8_t *buf, size_t len)
{
    *out = NULL;
    ENSURE(buf != NULL && len >= MAGIC_LEN && memcmp(buf, magic, MAGIC_LEN) == 0,
           SSL_ERR_SESSION_NOT_A_SESSION);
    ENSURE(len > MAGIC_LEN && buf[MAGIC_LEN] == FORMAT_VERSION, SSL_ERR_SESSION_VERSION);
    ENSURE(len >= MAGIC_LEN + 1 + PL_SHA256_LEN, SSL_ERR_SESSION_CHECKSUM);
    uint8_t sum[PL_SHA256_LEN];
    size_t body = len - PL_SHA256_LEN;
    pl_sha256(buf, body, sum);
    ENSURE(memcmp(sum, buf + body, sizeof sum) == 0, SSL_ERR_SESSION_CHECKSUM);

    pl_session *s = calloc(1, sizeof *s);
    ENSURE(s != NULL, SSL_ERR_NO_MEMORY);
    pl_reader r;
    pl_reader_init(&r, buf, body);
    int rc = read_fields(&r, s);
    if (rc == 0) {
        rc = pl_read_end(&r);
    }
    if (rc < 0) {
        pl_session_free(s);
        /* a cursor error inside a checksummed file is a field out of range all the same */
        return rc == SSL_ERR_NO_MEMORY ? rc : SSL_ERR_SESSION_MALFORMED;
    }
    *out = s;
    return 0;
}
