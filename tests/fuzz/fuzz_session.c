/* libFuzzer target for the saved-session loader (src/tls/session.c, pl_session_load): the
 * input is one control byte and then a session file. A file that loads must save back to the
 * same bytes, load again, and go through the checks before offering (pl_session_usable).
 *
 *   control byte: bit 0  re-seal: replace the last 32 bytes with the SHA-256 of the rest first,
 *                        so that mutations get past the checksum and reach the field parser
 *                        (without it the fuzzer mostly tests the checksum, which it should too)
 *
 * Seeds: PADLOCK_FUZZ_SESSION_SEEDS=tests/fuzz/corpus/session build-fuzz/tests/fuzz/fuzz_session
 * writes sessions of several shapes (session ID, ticket, both, SANs, CBC with encrypt-then-MAC)
 * and exits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/hash.h"
#include "tls/session.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_round_trip(const pl_session *s, const uint8_t *file, size_t len)
{
    static uint8_t again[PL_SESSION_MAX_TICKET + 4096];
    size_t n = 0;
    if (pl_session_saved_len(s) != len || pl_session_save(s, again, sizeof again, &n) != 0 ||
        n != len || memcmp(again, file, len) != 0) {
        abort();                /* what loads must save back to the same bytes */
    }
    pl_session *back = NULL;
    if (pl_session_load(&back, again, n) != 0) {
        abort();
    }
    pl_client_config cfg;
    pl_client_config_defaults(&cfg);
    (void)!pl_session_usable(back, "localhost", &cfg, back->created);
    cfg.require_ems = 1;
    (void)!pl_session_usable(back, back->host, &cfg, back->expires - 1);
    pl_session *dup = pl_session_dup(back);
    pl_session_free(dup);
    pl_session_free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    uint8_t control = data[0];
    size_t len = size - 1;
    uint8_t *file = malloc(len > 0 ? len : 1);
    if (file == NULL) {
        return 0;
    }
    memcpy(file, data + 1, len);
    if ((control & 1) && len >= PL_SHA256_LEN) {
        pl_sha256(file, len - PL_SHA256_LEN, file + len - PL_SHA256_LEN);
    }
    pl_session *s = (pl_session *)1;
    int rc = pl_session_load(&s, file, len);
    if (rc == 0) {
        check_round_trip(s, file, len);
        pl_session_free(s);
    } else if (s != NULL || rc >= 0 || ssl_error_name(rc) == NULL) {
        abort();                /* a refusal is a named error and no session */
    }
    free(file);
    return 0;
}

/* ---- seeds ----------------------------------------------------------------------------------- */

static void write_seed(const char *dir, const char *name, uint8_t control, const pl_session *s)
{
    static uint8_t buf[PL_SESSION_MAX_TICKET + 4096];
    size_t len = 0;
    char path[1024];
    if (pl_session_save(s, buf, sizeof buf, &len) != 0) {
        abort();
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(&control, 1, 1, f) != 1 || fwrite(buf, 1, len, f) != len ||
        fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static void add_san(pl_session *s, const char *name)
{
    size_t used = 0;
    for (size_t i = 0; i < s->peer.san_count; i++) {
        used += strlen(s->peer.sans[i]) + 1;
    }
    memcpy(s->peer.text + used, name, strlen(name) + 1);
    s->peer.sans[s->peer.san_count++] = s->peer.text + used;
}

static void write_seeds(const char *dir)
{
    static uint8_t ticket[200];
    pl_session s;
    memset(&s, 0, sizeof s);
    for (size_t i = 0; i < sizeof s.master; i++) {
        s.master[i] = (uint8_t)(i * 7 + 1);
    }
    for (size_t i = 0; i < sizeof ticket; i++) {
        ticket[i] = (uint8_t)(i * 13);
    }
    s.suite = 0xc02f;
    s.ems = 1;
    s.id_len = 32;
    memset(s.id, 0xab, 32);
    s.created = 1893456000;
    s.expires = s.created + 86400;
    strcpy(s.host, "localhost");
    strcpy(s.peer.subject, "CN=localhost");
    strcpy(s.peer.issuer, "CN=Padlock TLS Test Int, O=Padlock TLS Test");
    s.peer.not_before = 1704067200;
    s.peer.not_after = 2524607999;
    add_san(&s, "localhost");
    add_san(&s, "127.0.0.1");
    write_seed(dir, "session-id", 0, &s);
    write_seed(dir, "session-id-resealed", 1, &s);
    s.ticket = ticket;
    s.ticket_len = sizeof ticket;
    write_seed(dir, "ticket-and-id", 1, &s);
    s.id_len = 0;
    s.suite = 0xc013;
    s.etm = 1;
    s.ems = 0;
    s.host[0] = '\0';
    s.peer.san_count = 0;
    write_seed(dir, "ticket-cbc-etm-no-host", 1, &s);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = getenv("PADLOCK_FUZZ_SESSION_SEEDS");
    if (dir != NULL) {
        write_seeds(dir);
        printf("seeds written to %s\n", dir);
        exit(0);
    }
    return 0;
}
