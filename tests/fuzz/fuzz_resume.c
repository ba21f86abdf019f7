/* libFuzzer target for resumption (src/tls/hs_client.c's abbreviated handshake and
 * NewSessionTicket, session.c's keeping of sessions): the input is one control byte and then
 * everything a server sends to a client that offers a saved session. The session is fixed
 * (its master secret, session ID and ticket are constants here), the randomness too
 * (client_driver.c's streams, seeded here), so a recorded abbreviated handshake — ServerHello,
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

#include "client_driver.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The client's stream and the seed generator's server's, as in fuzz_client.c but their own. */
static void rng_restart(void)
{
    driver_rng_restart(0x726573756d650001u, 0x736572766572bb02u);
}

/* ---- the client and its session -------------------------------------------------------------- */

static uint8_t the_ticket[96];

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
    s->created = tts_fixture_time - 60;
    s->expires = tts_fixture_time + 3600;
    strcpy(s->host, "localhost");
    strcpy(s->peer.subject, "CN=localhost");
}

static void make_config(pl_client_config *cfg, uint8_t control)
{
    driver_config(cfg);
    cfg->require_ems = (control & 0x40) != 0;
}

static pl_client *start_client(const pl_client_config *cfg, uint8_t control, size_t *traced)
{
    pl_session offer;
    make_session(&offer, control);
    return driver_start(cfg, control & 0x80, traced, "localhost", &offer);
}

static struct driver_outcome run_client(uint8_t control, const uint8_t *data, size_t size)
{
    pl_client_config cfg;
    size_t traced = 0;
    make_config(&cfg, control);
    pl_client *c = start_client(&cfg, control, &traced);
    struct driver_outcome oc = driver_run(c, driver_chunk(control), data, size);
    if (c->error != 0 && c->session != NULL && pl_error_alert(c->error) >= 0) {
        abort();                /* a fatal alert leaves no session */
    }
    driver_end(c);
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
    o.chain[0] = driver_fixture("leaf-rsa");
    o.chain[1] = driver_fixture("int");
    o.chain_count = 2;
    o.no_ems = !session.ems;
    o.ticket_ext = sd->ticket_ext;
    o.ticket = (pl_slice){new_ticket, (size_t)sd->new_ticket_len};
    o.ticket_hint = 300;
    o.resume_master = sd->resume ? session.master : NULL;

    rng_restart();
    make_config(&cfg, sd->control);
    pl_client *c = start_client(&cfg, sd->control, &traced);
    tts_server *s = driver_server_first_flight(c, &o, &stream);
    if (sd->resume) {
        if (tts_send_finished(s, &stream) != 0) {
            abort();
        }
    }
    driver_rng_use(DRIVER_CLIENT);
    tts_buf first = {0};
    tts_buf_add(&first, stream.ptr, stream.len);
    driver_give_all(c, first.ptr, first.len);
    int rc = pl_client_handshake(c);
    driver_rng_use(DRIVER_SERVER);
    pl_slice out = pl_client_out(c);
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
    driver_rng_use(DRIVER_CLIENT);
    pl_client_free(c);
    tts_free(s);
    tts_buf_free(&first);
    tts_buf_free(&nst);

    rng_restart();
    struct driver_outcome oc = run_client(sd->control, stream.ptr, stream.len);
    fprintf(stderr, "seed %-32s %5zu bytes: %s%s, %zu bytes of data, ends with %s\n", sd->name,
            stream.len + 1, oc.connected ? "connected" : "refused",
            oc.resumed ? " (resumed)" : "", oc.app_bytes,
            ssl_error_name(oc.final) != NULL ? ssl_error_name(oc.final) : "0");
    if (!oc.connected || oc.resumed != sd->resume || oc.final != 0 ||
        oc.app_bytes != sizeof response - 1) {
        fprintf(stderr, "seed %s does not replay as made\n", sd->name);
        abort();
    }
    driver_write_seed(dir, sd->name, &sd->control, 1, &stream);
    tts_buf_free(&stream);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    driver_init();
    for (size_t i = 0; i < sizeof the_ticket; i++) {
        the_ticket[i] = (uint8_t)(i * 3 + 7);
    }
    const char *dir = getenv("PADLOCK_FUZZ_RESUME_SEEDS");
    if (dir != NULL) {
        driver_load_key(&key_rsa, "server-rsa.key");
        for (size_t i = 0; i < PL_ARRAY_LEN(seeds); i++) {
            make_seed(&seeds[i], dir);
        }
        pl_key_private_free(&key_rsa);
        driver_free();
        exit(0);
    }
    return 0;
}
