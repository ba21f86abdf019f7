/* libFuzzer target for resumption (src/tls/hs_client.c's abbreviated handshake and
 * NewSessionTicket, session.c's keeping of sessions): the input is one control byte and then
 * everything a server sends to a client that offers a saved session. The session is fixed
 * (its master secret, session ID and ticket are constants here), the randomness too (this file
 * defines pl_random, as fuzz_client.c does), so a recorded abbreviated handshake — ServerHello,
 * NewSessionTicket, ChangeCipherSpec, Finished, application data — verifies on replay and the
 * fuzzer starts from resumed connections; a server that declines gives a full handshake, whose
 * NewSessionTicket path is reached too.
 *
 *   control byte: bits 0-2  read sizes: all that fits, 1, 2, 3, 7, 64, 512, 4096 bytes
 *                 bit 3     offer the session by its ticket (else by its session ID)
 *                 bit 4     the session was made without extended master secret
 *                 bit 5     the session's suite is TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA with
 *                           encrypt-then-MAC (else TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)
 *                 bit 6     require extended master secret
 *                 bit 7     trace on
 *
 * Seeds: PADLOCK_FUZZ_RESUME_SEEDS=tests/fuzz/corpus/resume build-fuzz/tests/fuzz/fuzz_resume
 * plays complete connections with the test server (tests/support/tls_test_server.c), checks
 * each replays as made, writes them and exits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls/client.h"
#include "tls/session.h"
#include "tls_test_server.h"
#include "x509/store.h"

#include "../data/tls/tls.inc"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- fixed randomness (as fuzz_client.c: 0 the client, 1 the seed generator's server) -------- */

static uint64_t rng_state[2];
static int rng_party;

static void rng_restart(void)
{
    rng_state[0] = 0x726573756d650001u;
    rng_state[1] = 0x736572766572bb02u;
    rng_party = 0;
}

int pl_random(void *out, size_t len)
{
    uint8_t *p = out;
    while (len > 0) {
        uint64_t z = (rng_state[rng_party] += 0x9e3779b97f4a7c15u);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
        z ^= z >> 31;
        size_t n = len < 8 ? len : 8;
        memcpy(p, &z, n);
        p += n;
        len -= n;
    }
    return 0;
}

/* ---- the client and its session -------------------------------------------------------------- */

static pl_x509_store anchors;
static uint8_t the_ticket[96];

static pl_slice fixture(const char *name)
{
    for (size_t i = 0; i < PL_ARRAY_LEN(tls_fixtures); i++) {
        if (strcmp(tls_fixtures[i].name, name) == 0) {
            return (pl_slice){tls_fixtures[i].data, tls_fixtures[i].len};
        }
    }
    abort();
}

static void make_session(pl_session *s, uint8_t control)
{
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < sizeof s->master; i++) {
        s->master[i] = (uint8_t)(0x5a ^ (i * 29));
    }
    s->suite = control & 0x20 ? 0xc013 : 0xc02f;
    s->etm = (control & 0x20) != 0;
    s->ems = (control & 0x10) == 0;
    if (control & 0x08) {
        s->ticket = the_ticket;         /* borrowed: pl_session_dup copies it */
        s->ticket_len = sizeof the_ticket;
    } else {
        memset(s->id, 0x3c, sizeof s->id);
        s->id_len = sizeof s->id;
    }
    s->created = TLS_FIXTURE_TIME - 60;
    s->expires = TLS_FIXTURE_TIME + 3600;
    strcpy(s->host, "localhost");
    strcpy(s->peer.subject, "CN=localhost");
}

static void trace_sink(void *user, const char *line)
{
    size_t *n = user;
    *n += strlen(line);
}

static const size_t chunk_sizes[8] = {0, 1, 2, 3, 7, 64, 512, 4096};

static void make_config(pl_client_config *cfg, uint8_t control)
{
    pl_client_config_defaults(cfg);
    cfg->anchors = &anchors;
    cfg->verify_time = TLS_FIXTURE_TIME;
    cfg->require_ems = (control & 0x40) != 0;
}

static pl_client *start_client(const pl_client_config *cfg, uint8_t control, size_t *traced)
{
    pl_session offer;
    pl_client *c = pl_client_new(cfg);
    if (c == NULL) {
        abort();
    }
    if (control & 0x80) {
        c->trace.cb = trace_sink;
        c->trace.user = traced;
    }
    make_session(&offer, control);
    c->offer = pl_session_dup(&offer);
    if (c->offer == NULL || pl_client_set_host(c, "localhost") != 0 || pl_client_start(c) != 0) {
        abort();
    }
    return c;
}

struct outcome {
    int connected, resumed, kept_session;
    size_t app_bytes;
    int final;
};

static void drain(pl_client *c)
{
    pl_client_out_done(c, pl_client_out(c).len);
}

static int step(pl_client *c, struct outcome *oc)
{
    static uint8_t buf[4096];
    if (c->state != PL_ST_CONNECTED) {
        int rc = pl_client_handshake(c);
        if (rc != 0) {
            return rc;
        }
        oc->connected = 1;
        oc->resumed = c->resumed;
        oc->kept_session = c->session != NULL;
        static const uint8_t request[] = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
        if (pl_client_write(c, request, sizeof request - 1) < 0) {
            return c->error != 0 ? c->error : SSL_ERR_INTERNAL;
        }
    }
    for (;;) {
        long n = pl_client_read(c, buf, sizeof buf);
        if (n <= 0) {
            return (int)n;
        }
        oc->app_bytes += (size_t)n;
    }
}

static struct outcome run_client(uint8_t control, const uint8_t *data, size_t size)
{
    pl_client_config cfg;
    struct outcome oc = {0, 0, 0, 0, 0};
    size_t traced = 0, pos = 0, chunk = chunk_sizes[control & 7];
    make_config(&cfg, control);
    pl_client *c = start_client(&cfg, control, &traced);
    drain(c);
    int rc = SSL_ERR_WANT_READ;
    while (pos < size) {
        size_t room;
        uint8_t *dst = pl_client_in_room(c, &room);
        size_t n = size - pos;
        if (chunk != 0 && n > chunk) {
            n = chunk;
        }
        if (n > room) {
            n = room;
        }
        if (n == 0) {
            break;
        }
        memcpy(dst, data + pos, n);
        pl_client_in_add(c, n);
        pos += n;
        rc = step(c, &oc);
        drain(c);
        if (rc != SSL_ERR_WANT_READ) {
            break;
        }
    }
    if (rc == SSL_ERR_WANT_READ) {
        pl_client_in_eof(c);
        rc = step(c, &oc);
    }
    oc.final = rc;
    static const uint8_t byte = 0;
    if (c->error != 0 &&
        (pl_client_handshake(c) != c->error || pl_client_write(c, &byte, 1) != c->error ||
         (c->session != NULL && pl_error_alert(c->error) >= 0))) {
        abort();                /* sticky, and a fatal alert leaves no session */
    }
    (void)!pl_client_close(c);
    drain(c);
    pl_client_free(c);
    return oc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    rng_restart();
    (void)run_client(data[0], data + 1, size - 1);
    return 0;
}

/* ---- seeds ----------------------------------------------------------------------------------- */

struct seed {
    const char *name;
    uint8_t control;
    int resume;                 /* the server takes the session (else a full handshake) */
    int ticket_ext;             /* echo session_ticket, send a NewSessionTicket */
    int new_ticket_len;         /* its length (0: empty) */
};

static const struct seed seeds[] = {
    {"resume-by-id", 0x00, 1, 0, 0},
    {"resume-by-id-new-ticket", 0x81, 1, 1, 180},
    {"resume-by-ticket", 0x08, 1, 0, 0},
    {"resume-by-ticket-new-ticket", 0x8b, 1, 1, 64},
    {"resume-by-ticket-empty-ticket", 0x0c, 1, 1, 0},
    {"resume-cbc-etm", 0x20, 1, 1, 32},
    {"resume-no-ems", 0x92, 1, 0, 0},
    {"declined-full-with-ticket", 0x08, 0, 1, 150},
    {"declined-full-no-ticket", 0x85, 0, 0, 0},
    {"declined-full-empty-ticket", 0x06, 0, 1, 0},
};

static pl_private_key key_rsa;

static void make_seed(const struct seed *sd, const char *dir)
{
    static const uint8_t response[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    static const uint8_t close_notify[2] = {1, 0};
    static uint8_t new_ticket[256];
    pl_session session;
    tts_options o;
    tts_buf stream = {0}, nst = {0};
    pl_client_config cfg;
    size_t traced = 0;
    make_session(&session, sd->control);
    for (size_t i = 0; i < sizeof new_ticket; i++) {
        new_ticket[i] = (uint8_t)(i ^ 0xa5);
    }
    memset(&o, 0, sizeof o);
    o.suite = session.suite;
    o.group = PL_GROUP_X25519;
    o.sigalg = PL_SIG_RSA_PSS_RSAE_SHA256;
    o.key = &key_rsa;
    o.chain[0] = fixture("leaf-rsa");
    o.chain[1] = fixture("int");
    o.chain_count = 2;
    o.no_ems = !session.ems;
    o.ticket_ext = sd->ticket_ext;
    o.ticket = (pl_slice){new_ticket, (size_t)sd->new_ticket_len};
    o.ticket_hint = 300;
    o.resume_master = sd->resume ? session.master : NULL;

    rng_restart();
    make_config(&cfg, sd->control);
    pl_client *c = start_client(&cfg, sd->control, &traced);
    rng_party = 1;
    tts_server *s = tts_new(&o);
    pl_slice out = pl_client_out(c);
    if (tts_recv(s, out.ptr, out.len) != 0 || tts_build_flight(s) != 0) {
        abort();
    }
    drain(c);
    tts_frame(s, &stream, 0);
    if (sd->resume) {
        if (tts_send_finished(s, &stream) != 0) {
            abort();
        }
    }
    rng_party = 0;
    tts_buf first = {0};
    tts_buf_add(&first, stream.ptr, stream.len);
    size_t room;
    uint8_t *dst = pl_client_in_room(c, &room);
    if (room < first.len) {
        abort();
    }
    memcpy(dst, first.ptr, first.len);
    pl_client_in_add(c, first.len);
    int rc = pl_client_handshake(c);
    rng_party = 1;
    out = pl_client_out(c);
    if (tts_recv(s, out.ptr, out.len) != 0) {
        abort();
    }
    if (!sd->resume) {
        if (rc != SSL_ERR_WANT_READ) {
            abort();
        }
        if (sd->ticket_ext) {
            tts_ticket_message(&nst, new_ticket, (size_t)sd->new_ticket_len, 300);
            tts_transcript_add(s, nst.ptr, nst.len);
            tts_write(s, PL_CT_HANDSHAKE, nst.ptr, nst.len, &stream);
        }
        if (tts_send_finished(s, &stream) != 0) {
            abort();
        }
    } else if (rc != 0 || !s->client_finished_ok) {
        abort();
    }
    tts_write(s, PL_CT_APPLICATION_DATA, response, sizeof response - 1, &stream);
    tts_write(s, PL_CT_ALERT, close_notify, sizeof close_notify, &stream);
    rng_party = 0;
    pl_client_free(c);
    tts_free(s);
    tts_buf_free(&first);
    tts_buf_free(&nst);

    rng_restart();
    struct outcome oc = run_client(sd->control, stream.ptr, stream.len);
    fprintf(stderr, "seed %-32s %5zu bytes: %s%s, %zu bytes of data, ends with %s\n", sd->name,
            stream.len + 1, oc.connected ? "connected" : "refused",
            oc.resumed ? " (resumed)" : "", oc.app_bytes,
            ssl_error_name(oc.final) != NULL ? ssl_error_name(oc.final) : "0");
    if (!oc.connected || oc.resumed != sd->resume || oc.final != 0 ||
        oc.app_bytes != sizeof response - 1) {
        fprintf(stderr, "seed %s does not replay as made\n", sd->name);
        abort();
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.bin", dir, sd->name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(&sd->control, 1, 1, f) != 1 ||
        fwrite(stream.ptr, 1, stream.len, f) != stream.len || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        abort();
    }
    tts_buf_free(&stream);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    pl_slice root = fixture("root");
    (void)argc;
    (void)argv;
    pl_x509_store_init(&anchors);
    if (pl_x509_store_add_der(&anchors, root.ptr, root.len) != 0) {
        abort();
    }
    for (size_t i = 0; i < sizeof the_ticket; i++) {
        the_ticket[i] = (uint8_t)(i * 3 + 7);
    }
    const char *dir = getenv("PADLOCK_FUZZ_RESUME_SEEDS");
    if (dir != NULL) {
        pl_slice pem = fixture("server-rsa.key");
        if (pl_key_load_private_pem(&key_rsa, pem.ptr, pem.len) != 0) {
            abort();
        }
        for (size_t i = 0; i < PL_ARRAY_LEN(seeds); i++) {
            make_seed(&seeds[i], dir);
        }
        pl_key_private_free(&key_rsa);
        pl_x509_store_free(&anchors);
        exit(0);
    }
    return 0;
}
