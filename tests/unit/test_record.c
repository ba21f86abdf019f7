/* The record layer (src/tls/record.c): the recorded OpenSSL connections replayed through the
 * reader whole, byte by byte and in odd chunks (plaintext handshake, ChangeCipherSpec, the
 * encrypted Finished, data and close_notify, GCM and ChaCha20-Poly1305); sealing checked
 * against the recorded bytes; and every rule of the reader refused with its own error. The
 * round trip covers the CBC suites too; their own tests are in test_record_cbc.c. */
#include <stdio.h>
#include <stdlib.h>

#include "pl_test.h"

#include "tls/keys.h"
#include "tls/record.h"

static const char *const traces[] = {
    "tls12-trace/openssl-ecdhe-ecdsa-aes128-gcm-sha256",
    "tls12-trace/openssl-ecdhe-rsa-chacha20-poly1305",
    "tls12-trace/openssl-ecdhe-rsa-aes256-gcm-sha384",
};

static uint8_t hs_buf[PL_HS_DEFAULT_LIMIT];
static uint8_t in_buf[2 * PL_RECORD_MAX_LEN];

static pl_json *load_trace(const char *dir)
{
    char path[512];
    pl_json *j;
    snprintf(path, sizeof path, "%s/derived.json", dir);
    j = pl_json_load(pl_test_vector_path(path));
    assert_non_null(j);
    return j;
}

/* Handshake message types the client sends (RFC 5246 §7.4): the rest come from the server. */
static int sent_by_client(int type)
{
    return type == 1 || type == 15 || type == 16;
}

struct replay {
    pl_record_reader rr;
    const pl_suite *suite;
    pl_tls_keys keys;
    int from_server;
    const pl_json *all_messages;
    size_t next_message; /* index into all_messages */
    size_t ccs, finished, data, alerts;
    const char *want_finished, *want_data;
};

/* The next message in transcript order sent by the side being replayed. */
static const pl_json *next_expected(struct replay *rp)
{
    while (rp->next_message < pl_json_len(rp->all_messages)) {
        const pl_json *m = pl_json_at(rp->all_messages, rp->next_message++);
        if (sent_by_client((int)pl_json_get_num(m, "type", -1)) != rp->from_server) {
            return m;
        }
    }
    return NULL;
}

static void take_handshake(struct replay *rp, pl_slice plain)
{
    pl_reader r = pl_reader_of(plain);
    uint8_t t;
    pl_slice body, whole;
    do {
        assert_int_equal(pl_hs_assembler_add(&rp->rr.hs, &r), 0);
        while (pl_hs_assembler_next(&rp->rr.hs, &t, &body, &whole)) {
            assert_int_equal(whole.len, body.len + 4);
            if (rp->ccs == 0) {
                const pl_json *m = next_expected(rp);
                assert_non_null(m);
                assert_int_equal(t, (int)pl_json_get_num(m, "type", -1));
                pl_test_assert_hex(whole.ptr, whole.len, pl_json_get_str(m, "hex"));
                rp->rr.version_fixed = 1; /* as the handshake does once ServerHello is in */
            } else {
                assert_int_equal(t, 20); /* Finished, the first message under the new keys */
                pl_test_assert_hex(whole.ptr, whole.len, rp->want_finished);
                rp->finished++;
            }
        }
    } while (pl_reader_left(&r) > 0);
}

static void take_record(struct replay *rp, uint8_t type, pl_slice plain)
{
    switch (type) {
    case PL_CT_HANDSHAKE:
        take_handshake(rp, plain);
        break;
    case PL_CT_CHANGE_CIPHER_SPEC:
        assert_int_equal(pl_record_check_ccs(plain), 0);
        rp->ccs++;
        pl_record_cipher_init(&rp->rr.cipher, rp->suite,
                              rp->from_server ? rp->keys.server_key : rp->keys.client_key,
                              rp->from_server ? rp->keys.server_iv : rp->keys.client_iv);
        break;
    case PL_CT_APPLICATION_DATA:
        pl_test_assert_hex(plain.ptr, plain.len, rp->want_data);
        rp->data++;
        break;
    case PL_CT_ALERT:
        pl_test_assert_hex(plain.ptr, plain.len, "0100"); /* warning close_notify */
        rp->alerts++;
        break;
    default:
        fail_msg("unexpected content type %u", type);
    }
}

/* Feed one side's byte stream through an input buffer `chunk` bytes at a time (0: all at
 * once), as a connection would, and check everything that comes out. */
static void replay_stream(const pl_json *d, int from_server, size_t chunk)
{
    struct replay rp;
    uint8_t cr[32], sr[32], master[48];
    const pl_json *records = pl_json_get(d, "records");
    size_t stream_len, have = 0, pos = 0;
    uint8_t *stream = pl_test_unhex(
        pl_json_get_str(d, from_server ? "server_to_client_bytes" : "client_to_server_bytes"),
        &stream_len);
    memset(&rp, 0, sizeof rp);
    rp.suite = pl_suite_by_name(pl_json_get_str(d, "cipher_suite"));
    assert_non_null(rp.suite);
    rp.from_server = from_server;
    rp.all_messages = pl_json_get(d, "handshake_messages_in_order");
    rp.want_finished = pl_json_get_str(
        pl_json_get(records, from_server ? "server_finished" : "client_finished"), "plaintext");
    rp.want_data = pl_json_get_str(
        pl_json_get(records, from_server ? "server_record_1" : "client_record_1"), "plaintext");
    pl_test_unhex_into(pl_json_get_str(d, "client_random"), cr, 32);
    pl_test_unhex_into(pl_json_get_str(d, "server_random"), sr, 32);
    pl_test_unhex_into(pl_json_get_str(d, "master_secret"), master, 48);
    pl_tls_key_block(rp.suite, master, cr, sr, &rp.keys);
    pl_record_reader_init(&rp.rr, hs_buf, sizeof hs_buf);

    while (pos < stream_len || have > 0) {
        size_t used, need, n;
        uint8_t type;
        pl_slice plain;
        assert_int_equal(pl_record_read(&rp.rr, in_buf, have, &used, &need, &type, &plain), 0);
        if (used > 0) {
            take_record(&rp, type, plain);
            memmove(in_buf, in_buf + used, have - used);
            have -= used;
            continue;
        }
        assert_true(need > have);
        assert_true(need <= sizeof in_buf);
        assert_true(pos < stream_len); /* the stream must not end inside a record */
        n = chunk == 0 ? stream_len - pos : chunk;
        n = n < stream_len - pos ? n : stream_len - pos;
        n = n < sizeof in_buf - have ? n : sizeof in_buf - have;
        memcpy(in_buf + have, stream + pos, n);
        have += n;
        pos += n;
    }
    assert_null(next_expected(&rp)); /* every handshake message of this side was seen */
    assert_int_equal(rp.ccs, 1);
    assert_int_equal(rp.finished, 1);
    assert_int_equal(rp.data, 1);
    assert_int_equal(rp.alerts, 1);
    assert_int_equal(rp.rr.cipher.seq, 3); /* Finished, data, alert */
    pl_record_cipher_wipe(&rp.rr.cipher);
    pl_tls_keys_wipe(&rp.keys);
    free(stream);
}

static void test_record_replays_recorded_connections_in_any_chunking(void **state)
{
    static const size_t chunks[] = {0, 1, 2, 5, 7, 100, 4096};
    (void)state;
    for (size_t t = 0; t < PL_ARRAY_LEN(traces); t++) {
        pl_json *d = load_trace(traces[t]);
        for (size_t c = 0; c < PL_ARRAY_LEN(chunks); c++) {
            replay_stream(d, 1, chunks[c]);
            replay_stream(d, 0, chunks[c]);
        }
        pl_json_free(d);
    }
}

/* Our sealing of the recorded plaintexts gives the recorded records byte for byte for
 * ChaCha20-Poly1305, whose nonce is fixed by the sequence number. For GCM the explicit nonce
 * is the sender's choice — OpenSSL counts from a random start, padlock sends the sequence
 * number — so there the header and our nonce are checked, and the replay test above proves
 * the GCM nonce and AAD construction on OpenSSL's own records. */
static void test_record_seal_reproduces_recorded_records(void **state)
{
    static const char *const names[] = {"client_finished", "client_record_1", "client_record_2"};
    static const uint8_t types[] = {PL_CT_HANDSHAKE, PL_CT_APPLICATION_DATA, PL_CT_ALERT};
    (void)state;
    for (size_t t = 0; t < PL_ARRAY_LEN(traces); t++) {
        pl_json *d = load_trace(traces[t]);
        const pl_suite *suite = pl_suite_by_name(pl_json_get_str(d, "cipher_suite"));
        const pl_json *records = pl_json_get(d, "records");
        uint8_t cr[32], sr[32], master[48];
        pl_tls_keys keys;
        pl_record_cipher c;
        pl_test_unhex_into(pl_json_get_str(d, "client_random"), cr, 32);
        pl_test_unhex_into(pl_json_get_str(d, "server_random"), sr, 32);
        pl_test_unhex_into(pl_json_get_str(d, "master_secret"), master, 48);
        pl_tls_key_block(suite, master, cr, sr, &keys);
        pl_record_cipher_init(&c, suite, keys.client_key, keys.client_iv);
        for (size_t i = 0; i < PL_ARRAY_LEN(names); i++) {
            const pl_json *rec = pl_json_get(records, names[i]);
            uint8_t out[256];
            pl_writer w;
            size_t plain_len, want_len;
            uint8_t *plain = pl_test_unhex(pl_json_get_str(rec, "plaintext"), &plain_len);
            uint8_t *want = pl_test_unhex(pl_json_get_str(rec, "record_hex"), &want_len);
            pl_writer_init(&w, out, sizeof out);
            assert_int_equal(pl_record_write(&c, PL_TLS12, types[i], plain, plain_len, &w), 0);
            assert_int_equal(pl_writer_len(&w), want_len);
            assert_int_equal(pl_record_written_len(&c, plain_len), want_len);
            if (suite->record_iv_len > 0) {
                /* ours carries the sequence number; same key and AAD, so only a re-seal with
                 * OpenSSL's nonce can match: compare the nonce-independent parts instead */
                uint8_t seq[8] = {0, 0, 0, 0, 0, 0, 0, (uint8_t)i};
                assert_memory_equal(out, want, 5);
                assert_memory_equal(out + 5, seq, 8);
            } else {
                assert_memory_equal(out, want, want_len);
            }
            free(plain);
            free(want);
        }
        pl_record_cipher_wipe(&c);
        pl_tls_keys_wipe(&keys);
        pl_json_free(d);
    }
}

/* ---- hand-made records ---------------------------------------------------------------------- */

static const uint8_t key32[32] = {1, 2, 3}, iv12[12] = {4, 5, 6}, mac32[32] = {7, 8, 9};

/* A reader and a writer sharing keys for the suite: an AEAD suite's key and IV, or a CBC
 * suite's key and MAC key, with encrypt-then-MAC (RFC 7366) when etm is set (ignored for AEAD
 * suites). */
static void keyed_pair(const pl_suite *suite, int etm, pl_record_reader *rr,
                       pl_record_cipher *wc)
{
    pl_record_reader_init(rr, hs_buf, sizeof hs_buf);
    rr->version_fixed = 1;
    if (pl_suite_is_cbc(suite)) {
        pl_record_cipher_init_cbc(&rr->cipher, suite, key32, mac32, etm);
        pl_record_cipher_init_cbc(wc, suite, key32, mac32, etm);
    } else {
        pl_record_cipher_init(&rr->cipher, suite, key32, iv12);
        pl_record_cipher_init(wc, suite, key32, iv12);
    }
}

static int read_one(pl_record_reader *rr, uint8_t *rec, size_t len, uint8_t *type,
                    pl_slice *plain)
{
    size_t used, need;
    int rc = pl_record_read(rr, rec, len, &used, &need, type, plain);
    if (rc == 0) {
        assert_int_equal(used, len);
    }
    return rc;
}

/* Every suite, AEAD and CBC (the CBC ones both MAC-then-encrypt and encrypt-then-MAC). */
static void test_record_round_trip_every_suite_and_size(void **state)
{
    static const size_t sizes[] = {0, 1, 255, 16383, 16384};
    static uint8_t data[16384], out[PL_RECORD_MAX_LEN];
    (void)state;
    pl_test_fill(data, sizeof data);
    for (size_t s = 0; s < pl_suites_count; s++) {
        int etm_max = pl_suite_is_cbc(&pl_suites[s]) ? 1 : 0;
        for (int etm = 0; etm <= etm_max; etm++) {
            pl_record_reader rr;
            pl_record_cipher wc;
            keyed_pair(&pl_suites[s], etm, &rr, &wc);
            for (size_t i = 0; i < PL_ARRAY_LEN(sizes); i++) {
                pl_writer w;
                uint8_t type;
                pl_slice plain;
                pl_writer_init(&w, out, sizeof out);
                assert_int_equal(pl_record_write(&wc, PL_TLS12, PL_CT_APPLICATION_DATA, data,
                                                 sizes[i], &w), 0);
                assert_int_equal(pl_writer_len(&w), pl_record_written_len(&wc, sizes[i]));
                assert_int_equal(read_one(&rr, out, pl_writer_len(&w), &type, &plain), 0);
                assert_int_equal(type, PL_CT_APPLICATION_DATA);
                assert_int_equal(plain.len, sizes[i]);
                assert_memory_equal(plain.ptr, data, sizes[i]);
            }
            assert_int_equal(rr.cipher.seq, PL_ARRAY_LEN(sizes));
        }
    }
}

/* 2^14 + 1 bytes become two records; the reader takes them one at a time. */
static void test_record_write_splits_at_two_to_the_fourteen(void **state)
{
    static uint8_t data[16385], out[2 * PL_RECORD_MAX_LEN];
    pl_record_reader rr;
    pl_record_cipher wc;
    pl_writer w;
    size_t used, need;
    uint8_t type;
    pl_slice plain;
    (void)state;
    keyed_pair(pl_suite_by_id(0xc02f), 0, &rr, &wc);
    pl_writer_init(&w, out, sizeof out);
    assert_int_equal(pl_record_write(&wc, PL_TLS12, PL_CT_APPLICATION_DATA, data, sizeof data,
                                     &w), 0);
    assert_int_equal(pl_writer_len(&w), 16385 + 2 * (5 + 8 + 16));
    assert_int_equal(pl_record_read(&rr, out, pl_writer_len(&w), &used, &need, &type, &plain), 0);
    assert_int_equal(plain.len, 16384);
    assert_int_equal(pl_record_read(&rr, out + used, pl_writer_len(&w) - used, &used, &need,
                                    &type, &plain), 0);
    assert_int_equal(plain.len, 1);
}

/* Any single flipped bit, anywhere after the header, is bad_record_mac; a flipped header byte
 * too (it is in the additional data) unless the header check refuses it first. */
static void test_record_any_tampered_byte_is_bad_mac(void **state)
{
    static const uint16_t suites[] = {0xc02f, 0xc030, 0xcca8};
    (void)state;
    for (size_t s = 0; s < PL_ARRAY_LEN(suites); s++) {
        uint8_t out[128], rec[128], data[20] = "tamper with me";
        pl_writer w;
        pl_record_reader rr;
        pl_record_cipher wc;
        size_t len;
        keyed_pair(pl_suite_by_id(suites[s]), 0, &rr, &wc);
        pl_writer_init(&w, out, sizeof out);
        assert_int_equal(pl_record_write(&wc, PL_TLS12, PL_CT_APPLICATION_DATA, data,
                                         sizeof data, &w), 0);
        len = pl_writer_len(&w);
        for (size_t i = 0; i < len; i++) {
            uint8_t type;
            pl_slice plain;
            int rc;
            memcpy(rec, out, len);
            rec[i] ^= 0x01;
            rr.cipher.seq = 0;
            if (i == 3 || i == 4) {
                /* a different length: the record looks incomplete, or too short to open */
                size_t used, need;
                rc = pl_record_read(&rr, rec, len, &used, &need, &type, &plain);
                assert_true(rc == SSL_ERR_RECORD_BAD_MAC || (rc == 0 && used == 0));
                continue;
            }
            rc = read_one(&rr, rec, len, &type, &plain);
            if (i == 0) {
                assert_int_equal(rc, SSL_ERR_RECORD_BAD_MAC); /* 23 -> 22: AAD differs */
            } else if (i == 1 || i == 2) {
                assert_int_equal(rc, SSL_ERR_RECORD_BAD_VERSION);
            } else {
                assert_int_equal(rc, SSL_ERR_RECORD_BAD_MAC);
            }
        }
        /* and the same record read twice: the sequence number moved on */
        rr.cipher.seq = 0;
        {
            uint8_t type;
            pl_slice plain;
            memcpy(rec, out, len);
            assert_int_equal(read_one(&rr, rec, len, &type, &plain), 0);
            memcpy(rec, out, len);
            assert_int_equal(read_one(&rr, rec, len, &type, &plain), SSL_ERR_RECORD_BAD_MAC);
        }
    }
}

/* The header's length is judged before the body is awaited. */
static void test_record_overflow_refused_at_the_header(void **state)
{
    uint8_t hdr[5] = {PL_CT_HANDSHAKE, 3, 3, 0x40, 0x01}; /* 16385 */
    pl_record_reader rr;
    pl_record_cipher wc;
    size_t used, need;
    uint8_t type;
    pl_slice plain;
    (void)state;
    pl_record_reader_init(&rr, hs_buf, sizeof hs_buf);
    assert_int_equal(pl_record_read(&rr, hdr, 5, &used, &need, &type, &plain),
                     SSL_ERR_RECORD_OVERFLOW);
    hdr[3] = 0x40;
    hdr[4] = 0x00; /* 16384: fine, wait for it */
    assert_int_equal(pl_record_read(&rr, hdr, 5, &used, &need, &type, &plain), 0);
    assert_int_equal(used, 0);
    assert_int_equal(need, 5 + 16384);
    /* GCM: 2^14 + 8 + 16 is the most; one more overflows */
    keyed_pair(pl_suite_by_id(0xc02f), 0, &rr, &wc);
    hdr[3] = 0x40;
    hdr[4] = 24;
    assert_int_equal(pl_record_read(&rr, hdr, 5, &used, &need, &type, &plain), 0);
    hdr[4] = 25;
    assert_int_equal(pl_record_read(&rr, hdr, 5, &used, &need, &type, &plain),
                     SSL_ERR_RECORD_OVERFLOW);
    hdr[3] = 0xff;
    assert_int_equal(pl_record_read(&rr, hdr, 5, &used, &need, &type, &plain),
                     SSL_ERR_RECORD_OVERFLOW);
}

static void test_record_header_type_and_version(void **state)
{
    uint8_t rec[6] = {PL_CT_ALERT, 3, 1, 0, 1, 0};
    pl_record_reader rr;
    size_t used, need;
    uint8_t type;
    pl_slice plain;
    (void)state;
    pl_record_reader_init(&rr, hs_buf, sizeof hs_buf);
    /* before the version is fixed, 3.1 passes (an old server's alert can be read) */
    assert_int_equal(pl_record_read(&rr, rec, 6, &used, &need, &type, &plain), 0);
    assert_int_equal(used, 6);
    rec[1] = 2;
    assert_int_equal(pl_record_read(&rr, rec, 6, &used, &need, &type, &plain),
                     SSL_ERR_RECORD_BAD_VERSION);
    rr.version_fixed = 1;
    rec[1] = 3;
    assert_int_equal(pl_record_read(&rr, rec, 6, &used, &need, &type, &plain),
                     SSL_ERR_RECORD_BAD_VERSION);
    rec[2] = 4; /* TLS 1.3's version in a TLS 1.2 record layer */
    assert_int_equal(pl_record_read(&rr, rec, 6, &used, &need, &type, &plain),
                     SSL_ERR_RECORD_BAD_VERSION);
    rec[2] = 3;
    for (unsigned t = 0; t < 256; t++) {
        int rc;
        rec[0] = (uint8_t)t;
        rc = pl_record_read(&rr, rec, 6, &used, &need, &type, &plain);
        if (t >= 20 && t <= 23) {
            assert_int_equal(rc, 0);
        } else {
            assert_int_equal(rc, SSL_ERR_RECORD_BAD_TYPE); /* heartbeat (24) included */
        }
    }
    /* fewer than 5 bytes: wait */
    assert_int_equal(pl_record_read(&rr, rec, 4, &used, &need, &type, &plain), 0);
    assert_int_equal(used, 0);
    assert_int_equal(need, 5);
}

static void test_record_empty_fragments(void **state)
{
    uint8_t rec[5] = {PL_CT_APPLICATION_DATA, 3, 3, 0, 0};
    pl_record_reader rr;
    uint8_t type;
    pl_slice plain;
    (void)state;
    pl_record_reader_init(&rr, hs_buf, sizeof hs_buf);
    rr.version_fixed = 1;
    for (int i = 0; i < PL_RECORD_MAX_EMPTY; i++) {
        assert_int_equal(read_one(&rr, rec, 5, &type, &plain), 0);
        assert_int_equal(plain.len, 0);
    }
    assert_int_equal(read_one(&rr, rec, 5, &type, &plain), SSL_ERR_RECORD_TOO_MANY_EMPTY);
    /* a non-empty record resets the count */
    {
        uint8_t one[6] = {PL_CT_APPLICATION_DATA, 3, 3, 0, 1, 'x'};
        rr.empty_run = PL_RECORD_MAX_EMPTY;
        assert_int_equal(read_one(&rr, one, 6, &type, &plain), 0);
        assert_int_equal(read_one(&rr, rec, 5, &type, &plain), 0);
    }
    for (uint8_t t = 20; t <= 22; t++) {
        rec[0] = t;
        assert_int_equal(read_one(&rr, rec, 5, &type, &plain), SSL_ERR_RECORD_EMPTY_FRAGMENT);
    }
}

static void test_record_change_cipher_spec_is_exactly_one_byte_one(void **state)
{
    static const uint8_t one[1] = {1}, two[1] = {2}, pair[2] = {1, 1};
    (void)state;
    assert_int_equal(pl_record_check_ccs((pl_slice){one, 1}), 0);
    assert_int_equal(pl_record_check_ccs((pl_slice){two, 1}), SSL_ERR_RECORD_BAD_CCS);
    assert_int_equal(pl_record_check_ccs((pl_slice){pair, 2}), SSL_ERR_RECORD_BAD_CCS);
    assert_int_equal(pl_record_check_ccs((pl_slice){one, 0}), SSL_ERR_RECORD_BAD_CCS);
}

/* Several messages in one record, one message across many records, and the limit. */
static void test_record_handshake_reassembly(void **state)
{
    /* two messages (HelloRequest-like empty body, then a 5-byte body) and a third split */
    static const uint8_t stream[] = {0, 0, 0, 0, 2, 0, 0, 5, 'h', 'e', 'l', 'l', 'o',
                                     11, 0, 0, 3, 'a', 'b', 'c'};
    (void)state;
    for (size_t split = 0; split <= sizeof stream; split++) {
        pl_hs_assembler a;
        pl_reader parts[2];
        uint8_t types[3], t;
        size_t n = 0;
        pl_slice body, whole;
        pl_hs_assembler_init(&a, hs_buf, sizeof hs_buf);
        pl_reader_init(&parts[0], stream, split);
        pl_reader_init(&parts[1], stream + split, sizeof stream - split);
        for (int p = 0; p < 2; p++) {
            while (pl_reader_left(&parts[p]) > 0) {
                assert_int_equal(pl_hs_assembler_add(&a, &parts[p]), 0);
                while (pl_hs_assembler_next(&a, &t, &body, &whole)) {
                    assert_true(n < 3);
                    types[n++] = t;
                    if (t == 2) {
                        assert_int_equal(body.len, 5);
                        assert_memory_equal(body.ptr, "hello", 5);
                    }
                }
            }
            if (p == 0 && split > 0 && split < sizeof stream) {
                /* mid-message at a record boundary: pending unless a message just ended */
                int at_boundary = split == 4 || split == 13;
                assert_int_equal(pl_hs_assembler_pending(&a) == 0, at_boundary);
            }
        }
        assert_int_equal(n, 3);
        assert_int_equal(types[0], 0);
        assert_int_equal(types[1], 2);
        assert_int_equal(types[2], 11);
        assert_int_equal(pl_hs_assembler_pending(&a), 0);
    }
}

static void test_record_handshake_message_over_the_limit(void **state)
{
    uint8_t small[64];
    static const uint8_t hdr_fits[4] = {11, 0, 0, 60}, hdr_big[4] = {11, 0, 0, 61};
    pl_hs_assembler a;
    pl_reader r;
    (void)state;
    pl_hs_assembler_init(&a, small, sizeof small);
    pl_reader_init(&r, hdr_fits, 4);
    assert_int_equal(pl_hs_assembler_add(&a, &r), 0);
    pl_hs_assembler_init(&a, small, sizeof small);
    pl_reader_init(&r, hdr_big, 4);
    assert_int_equal(pl_hs_assembler_add(&a, &r), SSL_ERR_HS_MESSAGE_TOO_LARGE);
}

/* An alert between two fragments of a handshake message is refused. */
static void test_record_no_other_type_inside_a_handshake_message(void **state)
{
    uint8_t frag[9] = {PL_CT_HANDSHAKE, 3, 3, 0, 4, 11, 0, 1, 0};
    uint8_t alert[7] = {PL_CT_ALERT, 3, 3, 0, 2, 1, 0};
    pl_record_reader rr;
    uint8_t type;
    pl_slice plain;
    pl_reader r;
    (void)state;
    pl_record_reader_init(&rr, hs_buf, sizeof hs_buf);
    assert_int_equal(read_one(&rr, frag, sizeof frag, &type, &plain), 0);
    r = pl_reader_of(plain);
    assert_int_equal(pl_hs_assembler_add(&rr.hs, &r), 0);
    assert_int_equal(read_one(&rr, alert, sizeof alert, &type, &plain),
                     SSL_ERR_RECORD_INTERLEAVED);
}

/* The sequence number never wraps: the last value is refused on both sides. */
static void test_record_sequence_number_never_wraps(void **state)
{
    uint8_t out[64], data[1] = {0};
    pl_record_reader rr;
    pl_record_cipher wc;
    pl_writer w;
    uint8_t type;
    pl_slice plain;
    (void)state;
    keyed_pair(pl_suite_by_id(0xcca8), 0, &rr, &wc);
    wc.seq = UINT64_MAX - 1;
    rr.cipher.seq = UINT64_MAX - 1;
    pl_writer_init(&w, out, sizeof out);
    assert_int_equal(pl_record_write(&wc, PL_TLS12, PL_CT_APPLICATION_DATA, data, 1, &w), 0);
    assert_int_equal(read_one(&rr, out, pl_writer_len(&w), &type, &plain), 0);
    pl_writer_init(&w, out, sizeof out);
    assert_int_equal(pl_record_write(&wc, PL_TLS12, PL_CT_APPLICATION_DATA, data, 1, &w),
                     SSL_ERR_RECORD_SEQ_EXHAUSTED);
    {
        uint8_t rec[5 + 1 + 16] = {PL_CT_APPLICATION_DATA, 3, 3, 0, 17};
        assert_int_equal(read_one(&rr, rec, sizeof rec, &type, &plain),
                         SSL_ERR_RECORD_SEQ_EXHAUSTED);
    }
}

/* Shorter than explicit nonce + tag cannot authenticate. */
static void test_record_too_short_for_the_tag_is_bad_mac(void **state)
{
    uint8_t rec[5 + 23] = {PL_CT_APPLICATION_DATA, 3, 3, 0, 23};
    pl_record_reader rr;
    pl_record_cipher wc;
    uint8_t type;
    pl_slice plain;
    (void)state;
    keyed_pair(pl_suite_by_id(0xc02f), 0, &rr, &wc);
    assert_int_equal(read_one(&rr, rec, sizeof rec, &type, &plain), SSL_ERR_RECORD_BAD_MAC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_replays_recorded_connections_in_any_chunking),
        cmocka_unit_test(test_record_seal_reproduces_recorded_records),
        cmocka_unit_test(test_record_round_trip_every_suite_and_size),
        cmocka_unit_test(test_record_write_splits_at_two_to_the_fourteen),
        cmocka_unit_test(test_record_any_tampered_byte_is_bad_mac),
        cmocka_unit_test(test_record_overflow_refused_at_the_header),
        cmocka_unit_test(test_record_header_type_and_version),
        cmocka_unit_test(test_record_empty_fragments),
        cmocka_unit_test(test_record_change_cipher_spec_is_exactly_one_byte_one),
        cmocka_unit_test(test_record_handshake_reassembly),
        cmocka_unit_test(test_record_handshake_message_over_the_limit),
        cmocka_unit_test(test_record_no_other_type_inside_a_handshake_message),
        cmocka_unit_test(test_record_sequence_number_never_wraps),
        cmocka_unit_test(test_record_too_short_for_the_tag_is_bad_mac),
    };
    pl_test_require_vectors();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
