/* The CBC record protection (src/tls/cbc.c, through the record layer of src/tls/record.c):
 *   - known answers: the Illustrated TLS 1.2 Connection's AES-128-CBC / HMAC-SHA1 records
 *     (TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, MAC-then-encrypt) open to their recorded plaintext,
 *     MAC and padding, and our sealing of the same plaintexts makes the same MAC and padding;
 *   - round trips for every CBC suite, MAC-then-encrypt and encrypt-then-MAC (RFC 7366), at
 *     every size around a block and the record limit, with exact lengths;
 *   - every tampered byte of a sealed record is bad_record_mac, and a failed record leaves no
 *     plaintext behind;
 *   - records made by hand here (AES-CBC and HMAC called directly) that probe the padding check
 *     the way padding-oracle and Lucky Thirteen attacks do: a wrong padding byte under a
 *     correct MAC, a padding length the record cannot hold, every legal padding length up to
 *     255, the shortest records, bodies that are not whole blocks. Each good record gives its
 *     exact plaintext and each bad one exactly SSL_ERR_RECORD_BAD_MAC — one error for every
 *     cause, so that the reply tells an attacker nothing (the timing is tests/ct's business);
 *   - sequence numbers: replay, reordering, exhaustion.
 * The known-answer tests need vectors/tls12-trace/; without it they are skipped and the
 * program exits 77 after the others ran. Random data and IVs come from the seeded generator,
 * whose seed is printed. */
#include <stdio.h>
#include <stdlib.h>

#include "pl_test.h"

#include "crypto/aes.h"
#include "crypto/hmac.h"
#include "tls/cbc.h"
#include "tls/keys.h"
#include "tls/record.h"

#define IV_LEN 16
#define BLOCK 16
#define MAC_HDR_LEN 13
/* room for the longest record and a few bytes more, for records made too long on purpose */
#define REC_CAP (PL_RECORD_MAX_LEN + 64)

static uint8_t hs_buf[PL_HS_DEFAULT_LIMIT];
static uint8_t rec[REC_CAP], work[REC_CAP], frag_buf[REC_CAP], body_buf[REC_CAP];
static uint8_t data[2 * PL_RECORD_MAX_PLAINTEXT + 1];
static const uint8_t key32[32] = {0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19};
static const uint8_t mac32[32] = {0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29};

/* What the current case is, for failure messages. */
static char where[200];

static size_t mac_len(const pl_suite *s)
{
    return s->mac->digest_len;
}

/* The CBC rows of the suite table, in table order. */
static size_t cbc_suites(const pl_suite *out[], size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < pl_suites_count; i++) {
        if (pl_suite_is_cbc(&pl_suites[i])) {
            assert_true(n < cap);
            out[n++] = &pl_suites[i];
        }
    }
    assert_int_equal(n, 9);
    return n;
}

/* A reader after ServerHello with the test's keys for the suite, and a writer with the same. */
static void keyed(const pl_suite *s, int etm, pl_record_reader *rr, pl_record_cipher *wc)
{
    pl_record_reader_init(rr, hs_buf, sizeof hs_buf);
    rr->version_fixed = 1;
    pl_record_cipher_init_cbc(&rr->cipher, s, key32, mac32, etm);
    if (wc != NULL) {
        pl_record_cipher_init_cbc(wc, s, key32, mac32, etm);
    }
}

static void expect_rc(int got, int want)
{
    if (got != want) {
        fail_msg("%s: got %s, want %s", where, ssl_error_name(got), ssl_error_name(want));
    }
}

/* Does hay[0..hay_len) contain needle[0..n)? */
static int contains(const uint8_t *hay, size_t hay_len, const uint8_t *needle, size_t n)
{
    for (size_t i = 0; i + n <= hay_len; i++) {
        if (memcmp(hay + i, needle, n) == 0) {
            return 1;
        }
    }
    return 0;
}

/* ---- records made by hand ----------------------------------------------------------------- */

/* RFC 5246 §6.2.3.1 (and RFC 7366 §3 with IV ‖ ciphertext as the data): HMAC with the test's
 * MAC key over seq_num ‖ type ‖ version ‖ length ‖ data. */
static void record_mac(const pl_suite *s, uint64_t seq, uint8_t type, const uint8_t *p,
                       size_t len, uint8_t *out)
{
    uint8_t hdr[MAC_HDR_LEN];
    pl_writer w;
    pl_hmac_ctx h;
    pl_writer_init(&w, hdr, sizeof hdr);
    assert_int_equal(pl_write_u64(&w, seq), 0);
    assert_int_equal(pl_write_u8(&w, type), 0);
    assert_int_equal(pl_write_u16(&w, PL_TLS12), 0);
    assert_int_equal(pl_write_u16(&w, (uint16_t)len), 0);
    pl_hmac_init(&h, s->mac, mac32, s->mac_key_len);
    pl_hmac_update(&h, hdr, sizeof hdr);
    pl_hmac_update(&h, p, len);
    pl_hmac_final(&h, out);
}

/* A MAC-then-encrypt plaintext body (RFC 5246 §6.2.3.2): data ‖ MAC ‖ pad + 1 bytes of value
 * pad (the padding and its length byte). Returns its length. */
static size_t mte_body(const pl_suite *s, uint64_t seq, uint8_t type, const uint8_t *p, size_t d,
                       size_t pad, uint8_t *body)
{
    memmove(body, p, d);
    record_mac(s, seq, type, p, d, body + d);
    memset(body + d + mac_len(s), (int)pad, pad + 1);
    return d + mac_len(s) + pad + 1;
}

/* An encrypt-then-MAC plaintext body: data ‖ pad + 1 bytes of value pad. */
static size_t etm_body(const uint8_t *p, size_t d, size_t pad, uint8_t *body)
{
    memmove(body, p, d);
    memset(body + d, (int)pad, pad + 1);
    return d + pad + 1;
}

/* IV ‖ AES-CBC(body) into frag with the test's key, a fresh IV from the seeded generator.
 * Returns the fragment's length. */
static size_t encrypt_body(const pl_suite *s, const uint8_t *body, size_t body_len,
                           uint8_t *frag)
{
    pl_aes_key k;
    uint8_t iv[IV_LEN];
    assert_int_equal(body_len % BLOCK, 0);
    pl_test_fill(frag, IV_LEN);
    memcpy(iv, frag, IV_LEN);
    assert_int_equal(pl_aes_init(&k, key32, s->key_len), 0);
    assert_int_equal(pl_aes_cbc_encrypt(&k, iv, body, frag + IV_LEN, body_len), 0);
    pl_aes_wipe(&k);
    return IV_LEN + body_len;
}

/* RFC 7366 §3: append the MAC over the fragment so far (IV ‖ ciphertext). */
static size_t append_etm_mac(const pl_suite *s, uint64_t seq, uint8_t type, uint8_t *frag,
                             size_t len)
{
    record_mac(s, seq, type, frag, len, frag + len);
    return len + mac_len(s);
}

/* type ‖ 3.3 ‖ length ‖ fragment into out. */
static size_t frame(uint8_t type, const uint8_t *frag, size_t len, uint8_t *out)
{
    pl_writer w;
    pl_writer_init(&w, out, REC_CAP);
    assert_int_equal(pl_write_u8(&w, type), 0);
    assert_int_equal(pl_write_u16(&w, PL_TLS12), 0);
    assert_int_equal(pl_write_u16(&w, (uint16_t)len), 0);
    assert_int_equal(pl_write_bytes(&w, frag, len), 0);
    return pl_writer_len(&w);
}

/* A whole record around a plaintext body made by mte_body or etm_body (and perhaps spoiled
 * after): encrypted, with the encrypt-then-MAC MAC when etm, framed into out. */
static size_t seal_body(const pl_suite *s, int etm, uint64_t seq, uint8_t type,
                        const uint8_t *body, size_t body_len, uint8_t *out)
{
    size_t len = encrypt_body(s, body, body_len, frag_buf);
    if (etm) {
        len = append_etm_mac(s, seq, type, frag_buf, len);
    }
    return frame(type, frag_buf, len, out);
}

/* A correct record of d bytes of data with pad as its padding length byte. */
static size_t make_record(const pl_suite *s, int etm, uint64_t seq, uint8_t type,
                          const uint8_t *p, size_t d, size_t pad, uint8_t *out)
{
    size_t body_len = etm ? etm_body(p, d, pad, body_buf)
                          : mte_body(s, seq, type, p, d, pad, body_buf);
    return seal_body(s, etm, seq, type, body_buf, body_len, out);
}

/* The padding length byte that, with d bytes of data, fills whole blocks: the smallest (0..15)
 * plus 16 * extra. */
static size_t pad_for(const pl_suite *s, int etm, size_t d, size_t extra)
{
    size_t used = d + (etm ? 0 : mac_len(s)) + 1;
    return (BLOCK - used % BLOCK) % BLOCK + BLOCK * extra;
}

/* The data length from base up (base..base + 15) that, with the padding length byte pad, fills
 * whole blocks. */
static size_t data_for(const pl_suite *s, int etm, size_t base, size_t pad)
{
    size_t used = base + (etm ? 0 : mac_len(s)) + pad + 1;
    return base + (BLOCK - used % BLOCK) % BLOCK;
}

/* Read a copy of r[0..len) as the record with sequence number seq (the copy is decrypted in
 * place; *plain points into it). A success takes the whole record, has the record's type and
 * moves the sequence number on; a record that fails to open leaves the sequence number alone
 * (one refused after it opened, an empty alert say, has used its number). */
static int open_copy(pl_record_reader *rr, const uint8_t *r, size_t len, uint64_t seq,
                     pl_slice *plain)
{
    size_t used = 0, need = 0;
    uint8_t type = 0;
    int rc;
    memcpy(work, r, len);
    rr->cipher.seq = seq;
    rc = pl_record_read(rr, work, len, &used, &need, &type, plain);
    if (rc == 0) {
        if (used != len) {
            fail_msg("%s: took %zu of %zu bytes (need %zu)", where, used, len, need);
        }
        assert_int_equal(type, r[0]);
        assert_true(rr->cipher.seq == seq + 1);
    } else if (rc == SSL_ERR_RECORD_BAD_MAC || rc == SSL_ERR_RECORD_SEQ_EXHAUSTED) {
        assert_true(rr->cipher.seq == seq);
    }
    return rc;
}

static void expect_plaintext(pl_record_reader *rr, const uint8_t *r, size_t len, uint64_t seq,
                             const uint8_t *want, size_t want_len)
{
    pl_slice plain = {0};
    expect_rc(open_copy(rr, r, len, seq, &plain), 0);
    if (plain.len != want_len) {
        fail_msg("%s: %zu bytes of plaintext, want %zu", where, plain.len, want_len);
    }
    assert_memory_equal(plain.ptr, want, want_len);
}

static void expect_bad_mac(pl_record_reader *rr, const uint8_t *r, size_t len, uint64_t seq)
{
    pl_slice plain = {0};
    expect_rc(open_copy(rr, r, len, seq, &plain), SSL_ERR_RECORD_BAD_MAC);
}

/* ---- known answers: The Illustrated TLS 1.2 Connection -------------------------------------- */

#define ILLUSTRATED "tls12-trace/illustrated-tls12"

/* The connection's five protected records (derived.json "records", and the same bytes as the
 * site's files in records/; the "plain" file is what `openssl enc -d` left: the plaintext, or
 * the plaintext ‖ MAC ‖ one byte of padding after its PKCS#7 unpadding). */
static const struct illustrated_record {
    const char *name, *file, *plain_file;
} illustrated_records[] = {
    {"client_finished", "clientfinished", "clientfinishedplain"},
    {"server_finished", "serverfinished", "serverfinishedplain"},
    {"client_application_data", "clientdata", "clientdataplain"},
    {"server_application_data", "serverdata", "serverdataplain"},
    {"client_close_notify_alert", "clientalert", "clientalertplain"},
};

static uint8_t *read_vector_file(const char *rel, size_t *len)
{
    char path[512];
    FILE *f;
    uint8_t *buf = malloc(4096);
    assert_non_null(buf);
    snprintf(path, sizeof path, ILLUSTRATED "/records/%s", rel);
    f = fopen(pl_test_vector_path(path), "rb");
    if (f == NULL) {
        fail_msg("cannot open %s", pl_test_vector_path(path));
    }
    *len = fread(buf, 1, 4096, f);
    assert_true(feof(f));
    fclose(f);
    return buf;
}

struct illustrated {
    pl_json *d;
    const pl_suite *suite;
    pl_tls_keys keys;
};

static void load_illustrated(struct illustrated *il)
{
    uint8_t cr[32], sr[32], master[48];
    il->d = pl_json_load(pl_test_vector_path(ILLUSTRATED "/derived.json"));
    assert_non_null(il->d);
    il->suite = pl_suite_by_id(0xc013); /* TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA */
    assert_non_null(il->suite);
    assert_non_null(strstr(pl_json_get_str(il->d, "cipher_suite"), il->suite->name));
    /* MAC-then-encrypt: encrypt_then_mac is a JSON false there (the records opening with etm 0
     * and failing with etm 1 below say the rest) */
    assert_non_null(pl_json_get(il->d, "encrypt_then_mac"));
    assert_int_equal(pl_json_type(pl_json_get(il->d, "encrypt_then_mac")), PL_JSON_BOOL);
    pl_test_unhex_into(pl_json_get_str(il->d, "client_random"), cr, 32);
    pl_test_unhex_into(pl_json_get_str(il->d, "server_random"), sr, 32);
    pl_test_unhex_into(pl_json_get_str(il->d, "master_secret"), master, 48);
    pl_tls_key_block(il->suite, master, cr, sr, &il->keys);
    pl_test_assert_hex(il->keys.client_mac, 20, pl_json_get_str(il->d, "client_write_mac_key"));
    pl_test_assert_hex(il->keys.server_mac, 20, pl_json_get_str(il->d, "server_write_mac_key"));
    pl_test_assert_hex(il->keys.client_key, 16, pl_json_get_str(il->d, "client_write_key"));
    pl_test_assert_hex(il->keys.server_key, 16, pl_json_get_str(il->d, "server_write_key"));
}

static void free_illustrated(struct illustrated *il)
{
    pl_tls_keys_wipe(&il->keys);
    pl_json_free(il->d);
}

static int from_client(const struct illustrated_record *ir)
{
    return strncmp(ir->name, "client_", 7) == 0;
}

/* Every recorded record through pl_record_read with its direction's keys and sequence number:
 * exactly the recorded plaintext, and (decrypted in place, as record.h says) the recorded MAC
 * and padding after it. The same record under the other direction's keys, another sequence
 * number or encrypt-then-MAC is bad_record_mac. */
static void test_record_cbc_illustrated_records_open_to_the_recorded_plaintext(void **state)
{
    struct illustrated il;
    size_t checked = 0;
    (void)state;
    if (pl_test_vectors_dir() == NULL) {
        skip();
    }
    load_illustrated(&il);
    for (size_t i = 0; i < PL_ARRAY_LEN(illustrated_records); i++) {
        const struct illustrated_record *ir = &illustrated_records[i];
        const pl_json *r = pl_json_get(pl_json_get(il.d, "records"), ir->name);
        int client = from_client(ir);
        const uint8_t *key = client ? il.keys.client_key : il.keys.server_key;
        const uint8_t *mac_key = client ? il.keys.client_mac : il.keys.server_mac;
        const uint8_t *other_key = client ? il.keys.server_key : il.keys.client_key;
        const uint8_t *other_mac = client ? il.keys.server_mac : il.keys.client_mac;
        uint64_t seq = (uint64_t)pl_json_get_num(r, "seq", -1);
        size_t len, want_len, dec_len, mac_len_got, file_len, plain_file_len, used, need;
        uint8_t *record, *want, *dec, *mac, *file, *plain_file, type, mac_again[20];
        uint8_t mac_input[13 + 64];
        unsigned pad = (unsigned)pl_json_get_num(r, "padding_length", -1);
        pl_record_reader rr;
        pl_slice plain = {0};
        assert_non_null(r);
        snprintf(where, sizeof where, "illustrated %s", ir->name);
        record = pl_test_unhex(pl_json_get_str(r, "record_hex"), &len);
        want = pl_test_unhex(pl_json_get_str(r, "plaintext"), &want_len);
        dec = pl_test_unhex(pl_json_get_str(r, "decrypted_fragment"), &dec_len);
        mac = pl_test_unhex(pl_json_get_str(r, "mac"), &mac_len_got);
        assert_int_equal(mac_len_got, 20);
        assert_int_equal(dec_len, len - PL_RECORD_HEADER_LEN - IV_LEN);
        assert_int_equal(dec_len, want_len + 20 + pad + 1);

        /* the site's files hold the same record, and their "plain" file agrees */
        file = read_vector_file(ir->file, &file_len);
        assert_int_equal(file_len, len);
        assert_memory_equal(file, record, len);
        plain_file = read_vector_file(ir->plain_file, &plain_file_len);
        assert_true(plain_file_len == want_len || plain_file_len == want_len + 20 + 1);
        assert_memory_equal(plain_file, want, want_len);
        if (plain_file_len > want_len) {
            assert_memory_equal(plain_file + want_len, mac, 20);
            assert_int_equal(plain_file[want_len + 20], pad);
        }

        /* the vector's own MAC input and MAC (RFC 5246 §6.2.3.1), independently of the reader */
        {
            pl_writer w;
            pl_writer_init(&w, mac_input, sizeof mac_input);
            assert_int_equal(pl_write_u64(&w, seq), 0);
            assert_int_equal(pl_write_u8(&w, record[0]), 0);
            assert_int_equal(pl_write_u16(&w, PL_TLS12), 0);
            assert_int_equal(pl_write_u16(&w, (uint16_t)want_len), 0);
            assert_int_equal(pl_write_bytes(&w, want, want_len), 0);
            pl_test_assert_hex(mac_input, pl_writer_len(&w), pl_json_get_str(r, "mac_input"));
            pl_hmac(&pl_sha1_class, mac_key, 20, mac_input, pl_writer_len(&w), mac_again);
            assert_memory_equal(mac_again, mac, 20);
        }

        pl_record_reader_init(&rr, hs_buf, sizeof hs_buf);
        rr.version_fixed = 1;
        pl_record_cipher_init_cbc(&rr.cipher, il.suite, key, mac_key, 0);
        rr.cipher.seq = seq;
        memcpy(work, record, len);
        expect_rc(pl_record_read(&rr, work, len, &used, &need, &type, &plain), 0);
        assert_int_equal(used, len);
        assert_int_equal(type, record[0]);
        assert_true(rr.cipher.seq == seq + 1);
        assert_int_equal(plain.len, want_len);
        assert_memory_equal(plain.ptr, want, want_len);
        /* in place: IV ‖ plaintext ‖ MAC ‖ padding, the plaintext where the IV ends */
        assert_ptr_equal(plain.ptr, work + PL_RECORD_HEADER_LEN + IV_LEN);
        assert_memory_equal(plain.ptr, dec, dec_len);
        assert_memory_equal(plain.ptr + want_len, mac, 20);
        for (size_t k = 0; k <= pad; k++) {
            assert_int_equal(plain.ptr[want_len + 20 + k], pad);
        }

        /* the wrong keys, sequence number or construction: bad_record_mac */
        pl_record_cipher_init_cbc(&rr.cipher, il.suite, other_key, other_mac, 0);
        expect_bad_mac(&rr, record, len, seq);
        pl_record_cipher_init_cbc(&rr.cipher, il.suite, key, other_mac, 0);
        expect_bad_mac(&rr, record, len, seq);
        pl_record_cipher_init_cbc(&rr.cipher, il.suite, key, mac_key, 0);
        expect_bad_mac(&rr, record, len, seq + 1);
        pl_record_cipher_init_cbc(&rr.cipher, il.suite, key, mac_key, 1);
        expect_bad_mac(&rr, record, len, seq);
        pl_record_cipher_wipe(&rr.cipher);
        checked++;
        free(record);
        free(want);
        free(dec);
        free(mac);
        free(file);
        free(plain_file);
    }
    assert_int_equal(checked, 5);
    free_illustrated(&il);
}

/* Sealing the recorded plaintexts with the recorded keys and sequence numbers: the same header,
 * and under our own random IV the same decrypted fragment — the same MAC and the same minimal
 * padding. */
static void test_record_cbc_seal_gives_the_illustrated_mac_and_padding(void **state)
{
    struct illustrated il;
    (void)state;
    if (pl_test_vectors_dir() == NULL) {
        skip();
    }
    load_illustrated(&il);
    for (size_t i = 0; i < PL_ARRAY_LEN(illustrated_records); i++) {
        const struct illustrated_record *ir = &illustrated_records[i];
        const pl_json *r = pl_json_get(pl_json_get(il.d, "records"), ir->name);
        int client = from_client(ir);
        const uint8_t *key = client ? il.keys.client_key : il.keys.server_key;
        const uint8_t *mac_key = client ? il.keys.client_mac : il.keys.server_mac;
        uint64_t seq = (uint64_t)pl_json_get_num(r, "seq", -1);
        size_t len, want_len, dec_len;
        uint8_t *record = pl_test_unhex(pl_json_get_str(r, "record_hex"), &len);
        uint8_t *want = pl_test_unhex(pl_json_get_str(r, "plaintext"), &want_len);
        uint8_t *dec = pl_test_unhex(pl_json_get_str(r, "decrypted_fragment"), &dec_len);
        uint8_t iv[IV_LEN];
        pl_record_cipher wc;
        pl_aes_key k;
        pl_writer w;
        snprintf(where, sizeof where, "illustrated %s", ir->name);
        pl_record_cipher_init_cbc(&wc, il.suite, key, mac_key, 0);
        wc.seq = seq;
        pl_writer_init(&w, rec, sizeof rec);
        assert_int_equal(pl_record_write(&wc, PL_TLS12, record[0], want, want_len, &w), 0);
        assert_int_equal(pl_writer_len(&w), len);
        assert_int_equal(pl_record_written_len(&wc, want_len), len);
        assert_memory_equal(rec, record, PL_RECORD_HEADER_LEN);
        memcpy(iv, rec + PL_RECORD_HEADER_LEN, IV_LEN);
        assert_int_equal(pl_aes_init(&k, key, 16), 0);
        assert_int_equal(pl_aes_cbc_decrypt(&k, iv, rec + PL_RECORD_HEADER_LEN + IV_LEN, work,
                                            dec_len), 0);
        assert_memory_equal(work, dec, dec_len);
        pl_aes_wipe(&k);
        pl_record_cipher_wipe(&wc);
        free(record);
        free(want);
        free(dec);
    }
    free_illustrated(&il);
}

/* ---- sealed by the record layer ------------------------------------------------------------ */

/* Every CBC suite, both constructions, sizes around a block and the record limit: the record is
 * the header, a 16-byte IV and whole blocks (plus the MAC after them with encrypt-then-MAC)
 * with the minimal padding; pl_record_written_len says its size; it reads back exactly. */
static void test_record_cbc_round_trip_every_suite_etm_and_size(void **state)
{
    static const size_t sizes[] = {0, 1, 15, 16, 17, 31, 32, 255, 256, 16383, 16384};
    static const uint8_t types[] = {PL_CT_APPLICATION_DATA, PL_CT_HANDSHAKE, PL_CT_ALERT};
    const pl_suite *suites[16];
    size_t n = cbc_suites(suites, PL_ARRAY_LEN(suites));
    (void)state;
    pl_test_fill(data, sizeof data);
    for (size_t s = 0; s < n; s++) {
        for (int etm = 0; etm <= 1; etm++) {
            size_t m = mac_len(suites[s]);
            pl_record_reader rr;
            pl_record_cipher wc;
            keyed(suites[s], etm, &rr, &wc);
            for (size_t i = 0; i < PL_ARRAY_LEN(sizes); i++) {
                size_t len = sizes[i], total, frag, body;
                uint8_t type = len == 0 ? PL_CT_APPLICATION_DATA : types[i % 3];
                pl_writer w;
                snprintf(where, sizeof where, "%s etm=%d size %zu", suites[s]->name, etm, len);
                pl_writer_init(&w, rec, sizeof rec);
                assert_int_equal(pl_record_write(&wc, PL_TLS12, type, data, len, &w), 0);
                total = pl_writer_len(&w);
                assert_int_equal(total, pl_record_written_len(&wc, len));
                frag = total - PL_RECORD_HEADER_LEN;
                assert_int_equal(rec[0], type);
                assert_int_equal(rec[1], 3);
                assert_int_equal(rec[2], 3);
                assert_int_equal((size_t)rec[3] << 8 | rec[4], frag);
                assert_int_equal(frag, pl_tls_cbc_sealed_len(suites[s], etm, len));
                body = frag - IV_LEN - (etm ? m : 0);
                assert_int_equal(body % BLOCK, 0);
                /* minimal padding: 1..16 bytes, the length byte included */
                assert_true(body >= len + (etm ? 0 : m) + 1);
                assert_true(body <= len + (etm ? 0 : m) + BLOCK);
                assert_true(rr.cipher.seq == i);
                expect_plaintext(&rr, rec, total, i, data, len);
                rr.cipher.seq = i + 1;
            }
            pl_record_cipher_wipe(&rr.cipher);
            pl_record_cipher_wipe(&wc);
        }
    }
}

/* More than 2^14 bytes become several records, each read back in turn, and
 * pl_record_written_len counts them all. */
static void test_record_cbc_write_splits_and_written_len_counts_every_record(void **state)
{
    static const size_t sizes[] = {16385, 2 * 16384, 2 * 16384 + 1};
    static uint8_t big[2 * REC_CAP], got[sizeof data];
    const pl_suite *suites[16];
    size_t n = cbc_suites(suites, PL_ARRAY_LEN(suites));
    (void)state;
    pl_test_fill(data, sizeof data);
    for (size_t s = 0; s < n; s++) {
        for (int etm = 0; etm <= 1; etm++) {
            for (size_t i = 0; i < PL_ARRAY_LEN(sizes); i++) {
                pl_record_reader rr;
                pl_record_cipher wc;
                pl_writer w;
                size_t pos = 0, have = 0, records = 0;
                snprintf(where, sizeof where, "%s etm=%d size %zu", suites[s]->name, etm,
                         sizes[i]);
                keyed(suites[s], etm, &rr, &wc);
                pl_writer_init(&w, big, sizeof big);
                assert_int_equal(pl_record_write(&wc, PL_TLS12, PL_CT_APPLICATION_DATA, data,
                                                 sizes[i], &w), 0);
                pl_record_cipher_null(&wc);
                pl_record_cipher_init_cbc(&wc, suites[s], key32, mac32, etm);
                assert_int_equal(pl_writer_len(&w), pl_record_written_len(&wc, sizes[i]));
                while (pos < pl_writer_len(&w)) {
                    size_t used, need;
                    uint8_t type;
                    pl_slice plain;
                    expect_rc(pl_record_read(&rr, big + pos, pl_writer_len(&w) - pos, &used,
                                             &need, &type, &plain), 0);
                    assert_true(used > 0);
                    assert_true(plain.len <= PL_RECORD_MAX_PLAINTEXT);
                    memcpy(got + have, plain.ptr, plain.len);
                    have += plain.len;
                    pos += used;
                    records++;
                }
                assert_int_equal(have, sizes[i]);
                assert_memory_equal(got, data, have);
                assert_int_equal(records, (sizes[i] + 16383) / 16384);
                assert_true(rr.cipher.seq == records);
                pl_record_cipher_wipe(&rr.cipher);
                pl_record_cipher_wipe(&wc);
            }
        }
    }
}

/* RFC 5246 §6.2.3.2: the IV is random per record. The same plaintext under the same keys and
 * sequence number, sealed twice, never repeats its IV or ciphertext; both read back. */
static void test_record_cbc_each_record_gets_a_fresh_iv(void **state)
{
    const pl_suite *suites[16];
    size_t n = cbc_suites(suites, PL_ARRAY_LEN(suites));
    uint8_t first[128], second[128];
    (void)state;
    for (size_t s = 0; s < n; s++) {
        for (int etm = 0; etm <= 1; etm++) {
            pl_record_reader rr;
            pl_record_cipher wc;
            pl_writer w;
            size_t len;
            snprintf(where, sizeof where, "%s etm=%d", suites[s]->name, etm);
            keyed(suites[s], etm, &rr, &wc);
            pl_writer_init(&w, first, sizeof first);
            assert_int_equal(pl_record_write(&wc, PL_TLS12, PL_CT_APPLICATION_DATA,
                                             (const uint8_t *)"same", 4, &w), 0);
            len = pl_writer_len(&w);
            wc.seq = 0;
            pl_writer_init(&w, second, sizeof second);
            assert_int_equal(pl_record_write(&wc, PL_TLS12, PL_CT_APPLICATION_DATA,
                                             (const uint8_t *)"same", 4, &w), 0);
            assert_int_equal(pl_writer_len(&w), len);
            assert_memory_equal(first, second, PL_RECORD_HEADER_LEN);
            assert_memory_not_equal(first + PL_RECORD_HEADER_LEN,
                                    second + PL_RECORD_HEADER_LEN, IV_LEN);
            assert_memory_not_equal(first + PL_RECORD_HEADER_LEN + IV_LEN,
                                    second + PL_RECORD_HEADER_LEN + IV_LEN,
                                    len - PL_RECORD_HEADER_LEN - IV_LEN);
            expect_plaintext(&rr, first, len, 0, (const uint8_t *)"same", 4);
            expect_plaintext(&rr, second, len, 0, (const uint8_t *)"same", 4);
        }
    }
}

/* Bytes whose every bit is flipped, not just the lowest: the header, both ends of the IV, the
 * first ciphertext byte, the last two blocks' edges and the last byte (the padding length
 * byte's block, or the MAC's last byte with encrypt-then-MAC). */
static int every_bit_of(size_t i, size_t len, size_t m)
{
    return i < PL_RECORD_HEADER_LEN || i == 5 || i == 20 || i == 21 || i == len - 1 ||
           i == len - 17 || i == len - m - 1 || i == len - m - 17;
}

/* The demand: flip every byte of a CBC record and each gives bad_record_mac. A changed
 * type is bad_record_mac too when it is still a known type (the MAC covers it), else the
 * header's bad type; a changed version is refused by the header check first; a changed length
 * makes the record look incomplete, longer than any record, or bad_record_mac. Every other
 * byte — IV, ciphertext, padding, MAC — is exactly bad_record_mac, the sequence number does
 * not move, and the buffer holds none of the plaintext afterwards. */
static void test_record_cbc_any_tampered_byte_is_bad_mac(void **state)
{
    static const size_t sizes[] = {0, 20, 64};
    const pl_suite *suites[16];
    size_t n = cbc_suites(suites, PL_ARRAY_LEN(suites)), flips = 0;
    (void)state;
    pl_test_fill(data, sizeof data);
    for (size_t s = 0; s < n; s++) {
        for (int etm = 0; etm <= 1; etm++) {
            for (size_t z = 0; z < PL_ARRAY_LEN(sizes); z++) {
                size_t m = mac_len(suites[s]), len;
                pl_record_reader rr;
                pl_record_cipher wc;
                pl_writer w;
                keyed(suites[s], etm, &rr, &wc);
                pl_writer_init(&w, rec, sizeof rec);
                assert_int_equal(pl_record_write(&wc, PL_TLS12, PL_CT_APPLICATION_DATA, data,
                                                 sizes[z], &w), 0);
                len = pl_writer_len(&w);
                snprintf(where, sizeof where, "%s etm=%d size %zu untouched", suites[s]->name,
                         etm, sizes[z]);
                expect_plaintext(&rr, rec, len, 0, data, sizes[z]);
                for (size_t i = 0; i < len; i++) {
                    for (unsigned bit = 0; bit < 8; bit++) {
                        size_t used = 0, need = 0;
                        uint8_t type, t;
                        pl_slice plain;
                        int rc;
                        if (bit > 0 && !every_bit_of(i, len, m)) {
                            continue;
                        }
                        snprintf(where, sizeof where, "%s etm=%d size %zu byte %zu bit %u",
                                 suites[s]->name, etm, sizes[z], i, bit);
                        memcpy(work, rec, len);
                        work[i] ^= (uint8_t)(1u << bit);
                        t = work[0];
                        rr.cipher.seq = 0;
                        rc = pl_record_read(&rr, work, len, &used, &need, &type, &plain);
                        flips++;
                        assert_true(rr.cipher.seq == 0);
                        if (i == 0) {
                            int known = t >= PL_CT_CHANGE_CIPHER_SPEC &&
                                        t <= PL_CT_APPLICATION_DATA;
                            expect_rc(rc, known ? SSL_ERR_RECORD_BAD_MAC
                                                : SSL_ERR_RECORD_BAD_TYPE);
                        } else if (i == 1 || i == 2) {
                            expect_rc(rc, SSL_ERR_RECORD_BAD_VERSION);
                        } else if (i == 3 || i == 4) {
                            if (!(rc == SSL_ERR_RECORD_BAD_MAC ||
                                  rc == SSL_ERR_RECORD_OVERFLOW || (rc == 0 && used == 0))) {
                                fail_msg("%s: got %s (used %zu)", where, ssl_error_name(rc),
                                         used);
                            }
                        } else {
                            expect_rc(rc, SSL_ERR_RECORD_BAD_MAC);
                        }
                        if (sizes[z] >= 16) {
                            assert_false(contains(work, len, data, 16));
                        }
                    }
                }
                pl_record_cipher_wipe(&rr.cipher);
                pl_record_cipher_wipe(&wc);
            }
        }
    }
    printf("[ INFO     ] %zu tampered CBC records refused\n", flips);
}

/* pl_record_read_to: a CBC application-data record gives the same plaintext (the CBC open works
 * in place); a tampered one gives bad_record_mac and leaves no plaintext in dst either. */
static void test_record_cbc_read_to_gives_the_plaintext(void **state)
{
    static uint8_t dst[PL_RECORD_MAX_PLAINTEXT];
    const pl_suite *suites[16];
    size_t n = cbc_suites(suites, PL_ARRAY_LEN(suites));
    (void)state;
    pl_test_fill(data, sizeof data);
    for (size_t s = 0; s < n; s++) {
        for (int etm = 0; etm <= 1; etm++) {
            pl_record_reader rr;
            pl_record_cipher wc;
            pl_writer w;
            size_t len, used, need;
            uint8_t type;
            pl_slice plain;
            snprintf(where, sizeof where, "%s etm=%d", suites[s]->name, etm);
            keyed(suites[s], etm, &rr, &wc);
            pl_writer_init(&w, rec, sizeof rec);
            assert_int_equal(pl_record_write(&wc, PL_TLS12, PL_CT_APPLICATION_DATA, data, 100,
                                             &w), 0);
            len = pl_writer_len(&w);
            memset(dst, 0, sizeof dst);
            memcpy(work, rec, len);
            expect_rc(pl_record_read_to(&rr, work, len, &used, &need, &type, &plain, dst,
                                        sizeof dst), 0);
            assert_int_equal(used, len);
            assert_int_equal(plain.len, 100);
            assert_memory_equal(plain.ptr, data, 100);
            memset(dst, 0, sizeof dst);
            memcpy(work, rec, len);
            work[len - 1] ^= 1;
            rr.cipher.seq = 0;
            expect_rc(pl_record_read_to(&rr, work, len, &used, &need, &type, &plain, dst,
                                        sizeof dst), SSL_ERR_RECORD_BAD_MAC);
            assert_false(contains(work, len, data, 16));
            assert_false(contains(dst, sizeof dst, data, 16));
        }
    }
}

/* ---- hand-made records: the padding check -------------------------------------------------- */

static const size_t pad_values[] = {1, 2, 7, 11, 15, 16, 17, 63, 64, 128, 200, 254, 255};

/* MAC-then-encrypt with a correct MAC and correct padding length byte, but one padding byte
 * before it wrong (each position in turn, two ways): bad_record_mac, never anything else. The
 * record unspoiled reads back. */
static void test_record_cbc_wrong_padding_byte_under_a_correct_mac_is_bad_mac(void **state)
{
    const pl_suite *suites[16];
    size_t n = cbc_suites(suites, PL_ARRAY_LEN(suites)), cases = 0;
    (void)state;
    pl_test_fill(data, sizeof data);
    for (size_t s = 0; s < n; s++) {
        pl_record_reader rr;
        size_t m = mac_len(suites[s]);
        keyed(suites[s], 0, &rr, NULL);
        for (size_t v = 0; v < PL_ARRAY_LEN(pad_values); v++) {
            size_t pad = pad_values[v];
            size_t d = data_for(suites[s], 0, 3, pad), body_len, len;
            body_len = mte_body(suites[s], 5, PL_CT_APPLICATION_DATA, data, d, pad, body_buf);
            assert_int_equal(body_len % BLOCK, 0);
            snprintf(where, sizeof where, "%s pad %zu good", suites[s]->name, pad);
            len = seal_body(suites[s], 0, 5, PL_CT_APPLICATION_DATA, body_buf, body_len, rec);
            expect_plaintext(&rr, rec, len, 5, data, d);
            for (size_t j = 0; j < pad; j++) {
                static const uint8_t spoil[] = {0x01, 0x80};
                for (size_t k = 0; k < PL_ARRAY_LEN(spoil); k++) {
                    uint8_t keep = body_buf[d + m + j];
                    snprintf(where, sizeof where, "%s pad %zu: byte %zu of it ^ %02x",
                             suites[s]->name, pad, j, spoil[k]);
                    body_buf[d + m + j] ^= spoil[k];
                    len = seal_body(suites[s], 0, 5, PL_CT_APPLICATION_DATA, body_buf, body_len,
                                    rec);
                    expect_bad_mac(&rr, rec, len, 5);
                    body_buf[d + m + j] = keep;
                    cases++;
                }
            }
        }
        pl_record_cipher_wipe(&rr.cipher);
    }
    printf("[ INFO     ] %zu records with one wrong padding byte refused\n", cases);
}

/* MAC-then-encrypt whose padding length byte v asks for more than the record holds after the
 * MAC: with a correct MAC of empty data in front and v everywhere after it, and with v in every
 * byte of the body (padding that would swallow the MAC itself). The largest v that fits, with
 * empty data, is accepted; every larger one is bad_record_mac. */
static void test_record_cbc_padding_longer_than_the_record_is_bad_mac(void **state)
{
    const pl_suite *suites[16];
    size_t n = cbc_suites(suites, PL_ARRAY_LEN(suites)), cases = 0;
    (void)state;
    for (size_t s = 0; s < n; s++) {
        pl_record_reader rr;
        size_t m = mac_len(suites[s]);
        size_t min_body = (m + 1 + BLOCK - 1) / BLOCK * BLOCK;
        size_t bodies[] = {min_body, min_body + 16, min_body + 32, 256, 272, 288};
        keyed(suites[s], 0, &rr, NULL);
        for (size_t b = 0; b < PL_ARRAY_LEN(bodies); b++) {
            size_t body_len = bodies[b], fits = body_len - m - 1, len;
            for (size_t v = 0; v < 256; v++) {
                snprintf(where, sizeof where, "%s body %zu pad length byte %zu",
                         suites[s]->name, body_len, v);
                /* MAC(empty) ‖ v ... v */
                record_mac(suites[s], 9, PL_CT_APPLICATION_DATA, data, 0, body_buf);
                memset(body_buf + m, (int)v, body_len - m);
                len = seal_body(suites[s], 0, 9, PL_CT_APPLICATION_DATA, body_buf, body_len,
                                rec);
                if (v == fits) {
                    expect_plaintext(&rr, rec, len, 9, data, 0);
                } else if (v > fits) {
                    expect_bad_mac(&rr, rec, len, 9);
                    cases++;
                }
                /* v ... v: the MAC's place is padding too */
                if (v + 1 >= body_len - m) {
                    memset(body_buf, (int)v, body_len);
                    len = seal_body(suites[s], 0, 9, PL_CT_APPLICATION_DATA, body_buf, body_len,
                                    rec);
                    expect_bad_mac(&rr, rec, len, 9);
                    cases++;
                }
            }
        }
        pl_record_cipher_wipe(&rr.cipher);
    }
    printf("[ INFO     ] %zu records with too long a padding refused\n", cases);
}

/* TLS allows any padding length up to 255 (RFC 5246 §6.2.3.2), not just the minimal one: every
 * length 0..255 with a correct MAC is accepted, with short, middling and full-size data, both
 * constructions. The longest legal padding (255) is among them. */
static void test_record_cbc_every_padding_length_up_to_255_is_accepted(void **state)
{
    static const size_t data_base[] = {0, 1000, PL_RECORD_MAX_PLAINTEXT - 15};
    const pl_suite *suites[16];
    size_t n = cbc_suites(suites, PL_ARRAY_LEN(suites)), cases = 0;
    (void)state;
    pl_test_fill(data, sizeof data);
    for (size_t s = 0; s < n; s++) {
        for (int etm = 0; etm <= 1; etm++) {
            pl_record_reader rr;
            keyed(suites[s], etm, &rr, NULL);
            for (size_t b = 0; b < PL_ARRAY_LEN(data_base); b++) {
                for (size_t pad = 0; pad < 256; pad++) {
                    size_t d = data_for(suites[s], etm, data_base[b], pad), len;
                    assert_true(d <= PL_RECORD_MAX_PLAINTEXT);
                    snprintf(where, sizeof where, "%s etm=%d data %zu pad %zu",
                             suites[s]->name, etm, d, pad);
                    len = make_record(suites[s], etm, 7, PL_CT_APPLICATION_DATA, data, d, pad,
                                      rec);
                    expect_plaintext(&rr, rec, len, 7, data, d);
                    cases++;
                }
            }
            pl_record_cipher_wipe(&rr.cipher);
        }
    }
    printf("[ INFO     ] %zu records with paddings of 0..255 bytes accepted\n", cases);
}

/* Every data length 0..320 with the minimal and the largest legal padding: the MAC over a
 * secret length ends at every offset in the hash's 64-byte blocks (the length field's block
 * boundary at 55/56 bytes included), both constructions. */
static void test_record_cbc_every_data_length_to_320_with_small_and_large_padding(void **state)
{
    const pl_suite *suites[16];
    size_t n = cbc_suites(suites, PL_ARRAY_LEN(suites));
    (void)state;
    pl_test_fill(data, sizeof data);
    for (size_t s = 0; s < n; s++) {
        for (int etm = 0; etm <= 1; etm++) {
            pl_record_reader rr;
            keyed(suites[s], etm, &rr, NULL);
            for (size_t d = 0; d <= 320; d++) {
                size_t small = pad_for(suites[s], etm, d, 0);
                size_t large = small + BLOCK * ((255 - small) / BLOCK);
                size_t pads[2] = {small, large};
                for (size_t p = 0; p < 2; p++) {
                    size_t len;
                    snprintf(where, sizeof where, "%s etm=%d data %zu pad %zu",
                             suites[s]->name, etm, d, pads[p]);
                    len = make_record(suites[s], etm, 3, PL_CT_HANDSHAKE, data, d, pads[p],
                                      rec);
                    if (d == 0) {
                        /* empty handshake records are refused, after the MAC passed */
                        pl_slice plain;
                        expect_rc(open_copy(&rr, rec, len, 3, &plain),
                                  SSL_ERR_RECORD_EMPTY_FRAGMENT);
                        continue;
                    }
                    expect_plaintext(&rr, rec, len, 3, data, d);
                }
            }
            pl_record_cipher_wipe(&rr.cipher);
        }
    }
}

/* The shortest records. MAC-then-encrypt: the smallest whole-block body that holds the MAC and
 * the padding length byte (32 bytes for SHA-1, 48 for SHA-256) opens; one block less, the IV
 * alone, part of an IV and nothing are bad_record_mac. Encrypt-then-MAC: one block opens; no
 * block at all (IV ‖ MAC, MAC correct), or a fragment shorter than IV ‖ MAC, is bad_record_mac. */
static void test_record_cbc_shortest_records(void **state)
{
    const pl_suite *suites[16];
    size_t n = cbc_suites(suites, PL_ARRAY_LEN(suites));
    (void)state;
    pl_test_fill(data, sizeof data);
    for (size_t s = 0; s < n; s++) {
        size_t m = mac_len(suites[s]), min_body = (m + 1 + BLOCK - 1) / BLOCK * BLOCK, len;
        pl_record_reader rr;
        pl_slice plain;
        assert_int_equal(min_body, m == 20 ? 32 : 48);

        /* MAC-then-encrypt */
        keyed(suites[s], 0, &rr, NULL);
        snprintf(where, sizeof where, "%s MtE minimal body %zu", suites[s]->name, min_body);
        len = make_record(suites[s], 0, 1, PL_CT_APPLICATION_DATA, data, 0, min_body - m - 1,
                          rec);
        assert_int_equal(len, PL_RECORD_HEADER_LEN + IV_LEN + min_body);
        expect_plaintext(&rr, rec, len, 1, data, 0);
        len = make_record(suites[s], 0, 1, PL_CT_ALERT, data, 0, min_body - m - 1, rec);
        expect_rc(open_copy(&rr, rec, len, 1, &plain), SSL_ERR_RECORD_EMPTY_FRAGMENT);
        /* one block less: all of it a well-formed padding, or the start of a correct MAC */
        snprintf(where, sizeof where, "%s MtE body %zu", suites[s]->name, min_body - BLOCK);
        memset(body_buf, (int)(min_body - BLOCK - 1), min_body - BLOCK);
        len = seal_body(suites[s], 0, 1, PL_CT_APPLICATION_DATA, body_buf, min_body - BLOCK,
                        rec);
        expect_bad_mac(&rr, rec, len, 1);
        mte_body(suites[s], 1, PL_CT_APPLICATION_DATA, data, 0, 0, body_buf);
        len = seal_body(suites[s], 0, 1, PL_CT_APPLICATION_DATA, body_buf, min_body - BLOCK,
                        rec);
        expect_bad_mac(&rr, rec, len, 1);
        for (size_t f = 0; f <= IV_LEN + BLOCK && f < IV_LEN + min_body; f++) {
            snprintf(where, sizeof where, "%s MtE fragment of %zu bytes", suites[s]->name, f);
            pl_test_fill(frag_buf, f);
            len = frame(PL_CT_APPLICATION_DATA, frag_buf, f, rec);
            expect_bad_mac(&rr, rec, len, 1);
        }
        pl_record_cipher_wipe(&rr.cipher);

        /* encrypt-then-MAC */
        keyed(suites[s], 1, &rr, NULL);
        snprintf(where, sizeof where, "%s EtM one block", suites[s]->name);
        len = make_record(suites[s], 1, 1, PL_CT_APPLICATION_DATA, data, 0, 15, rec);
        assert_int_equal(len, PL_RECORD_HEADER_LEN + IV_LEN + BLOCK + m);
        expect_plaintext(&rr, rec, len, 1, data, 0);
        len = make_record(suites[s], 1, 1, PL_CT_APPLICATION_DATA, data, 15, 0, rec);
        expect_plaintext(&rr, rec, len, 1, data, 15);
        snprintf(where, sizeof where, "%s EtM IV and MAC only", suites[s]->name);
        pl_test_fill(frag_buf, IV_LEN);
        len = append_etm_mac(suites[s], 1, PL_CT_APPLICATION_DATA, frag_buf, IV_LEN);
        len = frame(PL_CT_APPLICATION_DATA, frag_buf, len, rec);
        expect_bad_mac(&rr, rec, len, 1);
        for (size_t f = 0; f < IV_LEN + BLOCK + m; f++) {
            snprintf(where, sizeof where, "%s EtM fragment of %zu bytes", suites[s]->name, f);
            pl_test_fill(frag_buf, f);
            len = frame(PL_CT_APPLICATION_DATA, frag_buf, f, rec);
            expect_bad_mac(&rr, rec, len, 1);
        }
        pl_record_cipher_wipe(&rr.cipher);
    }
}

/* A body that is not whole blocks is bad_record_mac: a good record with 1..15 bytes added to or
 * taken from its fragment (with encrypt-then-MAC, the MAC made correct over the changed
 * IV ‖ ciphertext, so only the length can refuse it). */
static void test_record_cbc_body_not_whole_blocks_is_bad_mac(void **state)
{
    const pl_suite *suites[16];
    size_t n = cbc_suites(suites, PL_ARRAY_LEN(suites));
    (void)state;
    pl_test_fill(data, sizeof data);
    for (size_t s = 0; s < n; s++) {
        for (int etm = 0; etm <= 1; etm++) {
            size_t m = mac_len(suites[s]);
            pl_record_reader rr;
            keyed(suites[s], etm, &rr, NULL);
            for (size_t k = 1; k < BLOCK; k++) {
                for (int longer = 0; longer <= 1; longer++) {
                    size_t d = 40, pad = pad_for(suites[s], etm, d, 1), body_len, f, len;
                    body_len = etm ? etm_body(data, d, pad, body_buf)
                                   : mte_body(suites[s], 2, PL_CT_APPLICATION_DATA, data, d,
                                              pad, body_buf);
                    f = encrypt_body(suites[s], body_buf, body_len, frag_buf);
                    if (longer) {
                        pl_test_fill(frag_buf + f, k);
                        f += k;
                    } else {
                        f -= k;
                    }
                    if (etm) {
                        f = append_etm_mac(suites[s], 2, PL_CT_APPLICATION_DATA, frag_buf, f);
                    }
                    snprintf(where, sizeof where, "%s etm=%d fragment %s by %zu",
                             suites[s]->name, etm, longer ? "longer" : "shorter", k);
                    len = frame(PL_CT_APPLICATION_DATA, frag_buf, f, rec);
                    assert_int_equal((len - PL_RECORD_HEADER_LEN - IV_LEN - (etm ? m : 0)) %
                                         BLOCK,
                                     longer ? k : BLOCK - k);
                    expect_bad_mac(&rr, rec, len, 2);
                }
            }
            pl_record_cipher_wipe(&rr.cipher);
        }
    }
}

/* Encrypt-then-MAC with a correct MAC over a ciphertext whose decrypted padding is wrong: one
 * wrong padding byte at each position, a padding length byte past the body, and bodies of one
 * byte value throughout (good exactly when the value fits). The MAC check passing does not
 * let a bad padding through: bad_record_mac. */
static void test_record_cbc_etm_bad_padding_under_a_correct_mac_is_bad_mac(void **state)
{
    const pl_suite *suites[16];
    size_t n = cbc_suites(suites, PL_ARRAY_LEN(suites)), cases = 0;
    (void)state;
    pl_test_fill(data, sizeof data);
    for (size_t s = 0; s < n; s++) {
        pl_record_reader rr;
        keyed(suites[s], 1, &rr, NULL);
        for (size_t v = 0; v < PL_ARRAY_LEN(pad_values); v++) {
            size_t pad = pad_values[v], d = data_for(suites[s], 1, 3, pad), body_len, len;
            body_len = etm_body(data, d, pad, body_buf);
            assert_int_equal(body_len % BLOCK, 0);
            snprintf(where, sizeof where, "%s EtM pad %zu good", suites[s]->name, pad);
            len = seal_body(suites[s], 1, 4, PL_CT_APPLICATION_DATA, body_buf, body_len, rec);
            expect_plaintext(&rr, rec, len, 4, data, d);
            for (size_t j = 0; j < pad; j++) {
                snprintf(where, sizeof where, "%s EtM pad %zu: byte %zu of it wrong",
                         suites[s]->name, pad, j);
                body_buf[d + j] ^= 0x01;
                len = seal_body(suites[s], 1, 4, PL_CT_APPLICATION_DATA, body_buf, body_len,
                                rec);
                expect_bad_mac(&rr, rec, len, 4);
                body_buf[d + j] ^= 0x01;
                cases++;
            }
        }
        for (size_t body_len = BLOCK; body_len <= 288; body_len += BLOCK) {
            for (size_t v = 0; v < 256; v++) {
                size_t len;
                snprintf(where, sizeof where, "%s EtM body %zu all %zu", suites[s]->name,
                         body_len, v);
                memset(body_buf, (int)v, body_len);
                len = seal_body(suites[s], 1, 4, PL_CT_APPLICATION_DATA, body_buf, body_len,
                                rec);
                if (v < body_len) {
                    expect_plaintext(&rr, rec, len, 4, body_buf, body_len - v - 1);
                } else {
                    expect_bad_mac(&rr, rec, len, 4);
                    cases++;
                }
            }
        }
        pl_record_cipher_wipe(&rr.cipher);
    }
    printf("[ INFO     ] %zu encrypt-then-MAC records with a bad padding refused\n", cases);
}

/* ---- lengths and sequence numbers --------------------------------------------------------- */

/* The header's limit for a CBC suite is 2^14 plus the most its protection adds (IV, MAC and 256
 * bytes of padding), which the input buffer holds: the largest legal record — 2^14 bytes with
 * the longest padding that fits — opens, a header one byte over is record_overflow. */
static void test_record_cbc_largest_record_opens_and_one_byte_more_overflows(void **state)
{
    const pl_suite *suites[16];
    size_t n = cbc_suites(suites, PL_ARRAY_LEN(suites));
    (void)state;
    pl_test_fill(data, sizeof data);
    for (size_t s = 0; s < n; s++) {
        size_t limit = PL_RECORD_MAX_PLAINTEXT + pl_tls_cbc_max_expansion(suites[s]);
        assert_true(pl_tls_cbc_max_expansion(suites[s]) <= PL_RECORD_MAX_EXPANSION);
        for (int etm = 0; etm <= 1; etm++) {
            size_t d = PL_RECORD_MAX_PLAINTEXT, small = pad_for(suites[s], etm, d, 0);
            size_t pad = small + BLOCK * ((255 - small) / BLOCK), len, used, need;
            uint8_t hdr[5] = {PL_CT_APPLICATION_DATA, 3, 3, 0, 0}, type;
            pl_record_reader rr;
            pl_slice plain;
            keyed(suites[s], etm, &rr, NULL);
            snprintf(where, sizeof where, "%s etm=%d 2^14 bytes, pad %zu", suites[s]->name, etm,
                     pad);
            len = make_record(suites[s], etm, 0, PL_CT_APPLICATION_DATA, data, d, pad, rec);
            assert_true(len - PL_RECORD_HEADER_LEN <= limit);
            assert_true(len <= PL_RECORD_MAX_LEN);
            expect_plaintext(&rr, rec, len, 0, data, d);
            hdr[3] = (uint8_t)(limit >> 8);
            hdr[4] = (uint8_t)limit;
            expect_rc(pl_record_read(&rr, hdr, 5, &used, &need, &type, &plain), 0);
            assert_int_equal(used, 0);
            assert_int_equal(need, PL_RECORD_HEADER_LEN + limit);
            assert_true(need <= PL_RECORD_MAX_LEN);
            hdr[3] = (uint8_t)((limit + 1) >> 8);
            hdr[4] = (uint8_t)(limit + 1);
            expect_rc(pl_record_read(&rr, hdr, 5, &used, &need, &type, &plain),
                      SSL_ERR_RECORD_OVERFLOW);
            pl_record_cipher_wipe(&rr.cipher);
        }
    }
}

/* RFC 5246 §6.2.1: TLSPlaintext.length MUST NOT exceed 2^14. A CBC record's header limit leaves
 * room for 255 bytes of padding, so a record with minimal padding can carry up to 2^14 + 255
 * bytes; one that does is record_overflow, however good its MAC. */
static void test_record_cbc_plaintext_over_two_to_the_fourteen_is_record_overflow(void **state)
{
    static const size_t over[] = {1, 16, 200};
    const pl_suite *suites[16];
    size_t n = cbc_suites(suites, PL_ARRAY_LEN(suites));
    (void)state;
    pl_test_fill(data, sizeof data);
    for (size_t s = 0; s < n; s++) {
        for (int etm = 0; etm <= 1; etm++) {
            pl_record_reader rr;
            keyed(suites[s], etm, &rr, NULL);
            for (size_t i = 0; i < PL_ARRAY_LEN(over); i++) {
                size_t d = PL_RECORD_MAX_PLAINTEXT + over[i], len;
                pl_slice plain;
                snprintf(where, sizeof where, "%s etm=%d %zu bytes of plaintext",
                         suites[s]->name, etm, d);
                len = make_record(suites[s], etm, 0, PL_CT_APPLICATION_DATA, data, d,
                                  pad_for(suites[s], etm, d, 0), rec);
                assert_true(len <= PL_RECORD_MAX_LEN); /* passes the header's check */
                expect_rc(open_copy(&rr, rec, len, 0, &plain), SSL_ERR_RECORD_OVERFLOW);
            }
            pl_record_cipher_wipe(&rr.cipher);
        }
    }
}

/* A record read a second time (the sequence number moved on) is bad_record_mac, and so is a
 * later record read first (reordered); the failures leave the sequence number where it was. */
static void test_record_cbc_replayed_or_reordered_record_is_bad_mac(void **state)
{
    const pl_suite *suites[16];
    size_t n = cbc_suites(suites, PL_ARRAY_LEN(suites));
    uint8_t second[128];
    (void)state;
    for (size_t s = 0; s < n; s++) {
        for (int etm = 0; etm <= 1; etm++) {
            pl_record_reader rr;
            pl_record_cipher wc;
            pl_writer w;
            size_t len1, len2, used, need;
            uint8_t type;
            pl_slice plain;
            snprintf(where, sizeof where, "%s etm=%d", suites[s]->name, etm);
            keyed(suites[s], etm, &rr, &wc);
            pl_writer_init(&w, rec, sizeof rec);
            assert_int_equal(pl_record_write(&wc, PL_TLS12, PL_CT_APPLICATION_DATA,
                                             (const uint8_t *)"first", 5, &w), 0);
            len1 = pl_writer_len(&w);
            pl_writer_init(&w, second, sizeof second);
            assert_int_equal(pl_record_write(&wc, PL_TLS12, PL_CT_APPLICATION_DATA,
                                             (const uint8_t *)"second", 6, &w), 0);
            len2 = pl_writer_len(&w);
            /* the second record first: reordered */
            memcpy(work, second, len2);
            expect_rc(pl_record_read(&rr, work, len2, &used, &need, &type, &plain),
                      SSL_ERR_RECORD_BAD_MAC);
            assert_true(rr.cipher.seq == 0);
            memcpy(work, rec, len1);
            expect_rc(pl_record_read(&rr, work, len1, &used, &need, &type, &plain), 0);
            assert_true(rr.cipher.seq == 1);
            /* the first again: replayed */
            memcpy(work, rec, len1);
            expect_rc(pl_record_read(&rr, work, len1, &used, &need, &type, &plain),
                      SSL_ERR_RECORD_BAD_MAC);
            assert_true(rr.cipher.seq == 1);
            memcpy(work, second, len2);
            expect_rc(pl_record_read(&rr, work, len2, &used, &need, &type, &plain), 0);
            assert_int_equal(plain.len, 6);
            assert_memory_equal(plain.ptr, "second", 6);
            pl_record_cipher_wipe(&rr.cipher);
            pl_record_cipher_wipe(&wc);
        }
    }
}

/* The sequence number never wraps: the record at 2^64 - 2 is the last written and read; the
 * writer then refuses, and the reader refuses a record made (correctly) for 2^64 - 1 with
 * SSL_ERR_RECORD_SEQ_EXHAUSTED rather than opening it. */
static void test_record_cbc_sequence_number_never_wraps(void **state)
{
    const pl_suite *suites[16];
    size_t n = cbc_suites(suites, PL_ARRAY_LEN(suites));
    (void)state;
    for (size_t s = 0; s < n; s++) {
        for (int etm = 0; etm <= 1; etm++) {
            pl_record_reader rr;
            pl_record_cipher wc;
            pl_writer w;
            pl_slice plain;
            size_t len;
            snprintf(where, sizeof where, "%s etm=%d", suites[s]->name, etm);
            keyed(suites[s], etm, &rr, &wc);
            wc.seq = UINT64_MAX - 1;
            pl_writer_init(&w, rec, sizeof rec);
            assert_int_equal(pl_record_write(&wc, PL_TLS12, PL_CT_APPLICATION_DATA,
                                             (const uint8_t *)"x", 1, &w), 0);
            expect_plaintext(&rr, rec, pl_writer_len(&w), UINT64_MAX - 1,
                             (const uint8_t *)"x", 1);
            assert_true(wc.seq == UINT64_MAX);
            pl_writer_init(&w, rec, sizeof rec);
            expect_rc(pl_record_write(&wc, PL_TLS12, PL_CT_APPLICATION_DATA,
                                      (const uint8_t *)"x", 1, &w),
                      SSL_ERR_RECORD_SEQ_EXHAUSTED);
            len = make_record(suites[s], etm, UINT64_MAX, PL_CT_APPLICATION_DATA,
                              (const uint8_t *)"x", 1, pad_for(suites[s], etm, 1, 0), rec);
            expect_rc(open_copy(&rr, rec, len, UINT64_MAX, &plain),
                      SSL_ERR_RECORD_SEQ_EXHAUSTED);
            pl_record_cipher_wipe(&rr.cipher);
            pl_record_cipher_wipe(&wc);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_cbc_illustrated_records_open_to_the_recorded_plaintext),
        cmocka_unit_test(test_record_cbc_seal_gives_the_illustrated_mac_and_padding),
        cmocka_unit_test(test_record_cbc_round_trip_every_suite_etm_and_size),
        cmocka_unit_test(test_record_cbc_write_splits_and_written_len_counts_every_record),
        cmocka_unit_test(test_record_cbc_each_record_gets_a_fresh_iv),
        cmocka_unit_test(test_record_cbc_any_tampered_byte_is_bad_mac),
        cmocka_unit_test(test_record_cbc_read_to_gives_the_plaintext),
        cmocka_unit_test(test_record_cbc_wrong_padding_byte_under_a_correct_mac_is_bad_mac),
        cmocka_unit_test(test_record_cbc_padding_longer_than_the_record_is_bad_mac),
        cmocka_unit_test(test_record_cbc_every_padding_length_up_to_255_is_accepted),
        cmocka_unit_test(test_record_cbc_every_data_length_to_320_with_small_and_large_padding),
        cmocka_unit_test(test_record_cbc_shortest_records),
        cmocka_unit_test(test_record_cbc_body_not_whole_blocks_is_bad_mac),
        cmocka_unit_test(test_record_cbc_etm_bad_padding_under_a_correct_mac_is_bad_mac),
        cmocka_unit_test(test_record_cbc_largest_record_opens_and_one_byte_more_overflows),
        cmocka_unit_test(test_record_cbc_plaintext_over_two_to_the_fourteen_is_record_overflow),
        cmocka_unit_test(test_record_cbc_replayed_or_reordered_record_is_bad_mac),
        cmocka_unit_test(test_record_cbc_sequence_number_never_wraps),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    if (failed == 0) {
        pl_test_require_vectors(); /* the known-answer tests were skipped: exit 77 */
    }
    return failed;
}
