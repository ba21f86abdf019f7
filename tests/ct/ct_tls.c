/* The constant-time check for the TLS layer's secrets:
 *
 *   - the key schedule: master secret (both forms), key block, Finished verify_data and its
 *     constant-time comparison, and the key-log line's hex encoding, all with the pre-master
 *     secret (and so everything derived from it) SECRET;
 *   - the record decrypt path: records sealed under SECRET keys and plaintext, read back through
 *     pl_record_read (header checks, nonce and additional data, AEAD open, the empty-record
 *     rules), for AES-128-GCM, AES-256-GCM and ChaCha20-Poly1305, and every CBC suite both
 *     MAC-then-encrypt (the Lucky Thirteen path: padding and MAC checked over secret lengths)
 *     and encrypt-then-MAC, good and tampered; only the verdict is public (declassified where it
 *     is decided), so the tampered case must not report either.
 *
 * The record's header, length and sequence number are public (they travel in the clear or are
 * counted); the plaintext is marked PUBLIC after a successful open only where the test itself
 * looks at it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ct_check.h"

#include "base/ct.h"
#include "tls/keys.h"
#include "tls/record.h"
#include "tls/suites.h"

static void check_key_schedule(const pl_suite *suite)
{
    uint8_t pms[48], cr[32], sr[32], master[48], hash[48], vd[12], vd2[12];
    pl_tls_keys keys;
    char line[PL_TLS_KEYLOG_LINE_LEN];
    ct_fill(pms, sizeof pms, 1);
    ct_fill(cr, sizeof cr, 2);
    ct_fill(sr, sizeof sr, 3);
    ct_fill(hash, sizeof hash, 4);
    SECRET(pms, sizeof pms);
    pl_tls_master_secret(suite, pms, sizeof pms, cr, sr, master);
    pl_tls_ems_master_secret(suite, pms, sizeof pms, hash, suite->prf->digest_len, master);
    pl_tls_key_block(suite, master, cr, sr, &keys);
    pl_tls_finished(suite, master, 1, hash, suite->prf->digest_len, vd);
    memcpy(vd2, vd, sizeof vd);
    vd2[11] ^= 1;
    uint32_t same = pl_ct_memeq(vd, vd2, sizeof vd);
    PUBLIC(&same, sizeof same);         /* the verdict is what the handshake reveals */
    if (same) {
        abort();
    }
    pl_tls_keylog_line(line, cr, master);
    pl_tls_keys_wipe(&keys);
}

static void check_record_read(const pl_suite *suite)
{
    static uint8_t hs_buf[64];
    uint8_t key[32], iv[12], data[300], wire[400];
    pl_record_cipher w;
    pl_record_reader rr;
    ct_fill(key, sizeof key, 5);
    ct_fill(iv, sizeof iv, 6);
    ct_fill(data, sizeof data, 7);
    SECRET(key, sizeof key);
    SECRET(iv, sizeof iv);
    SECRET(data, sizeof data);
    for (int mode = 0; mode < 4; mode++) {
        int tamper = mode & 1, etm = mode >> 1;
        if (etm && !pl_suite_is_cbc(suite)) {
            break;
        }
        pl_record_reader_init(&rr, hs_buf, sizeof hs_buf);
        if (pl_suite_is_cbc(suite)) {
            /* the MAC key is secret too (the key's bytes serve as it) */
            pl_record_cipher_init_cbc(&w, suite, key, key, etm);
            pl_record_cipher_init_cbc(&rr.cipher, suite, key, key, etm);
        } else {
            pl_record_cipher_init(&w, suite, key, iv);
            pl_record_cipher_init(&rr.cipher, suite, key, iv);
        }
        rr.version_fixed = 1;
        pl_writer out;
        pl_writer_init(&out, wire, sizeof wire);
        if (pl_record_write(&w, PL_TLS12, PL_CT_APPLICATION_DATA, data, sizeof data, &out) < 0) {
            abort();
        }
        size_t len = pl_writer_len(&out);
        PUBLIC(wire, len);              /* a record on the wire is public */
        if (tamper) {
            wire[len - 1] ^= 0x80;
        }
        size_t used = 0, need = 0;
        uint8_t type = 0;
        pl_slice plain;
        int rc = pl_record_read(&rr, wire, len, &used, &need, &type, &plain);
        if ((rc == 0) == (tamper != 0)) {
            fprintf(stderr, "record read %s: unexpected verdict %d (tamper %d, etm %d)\n",
                    suite->name, rc, tamper, etm);
            abort();
        }
        pl_record_cipher_wipe(&w);
        pl_record_cipher_wipe(&rr.cipher);
    }
}

void ct_check_tls(void)
{
    for (size_t i = 0; i < pl_suites_count; i++) {
        check_key_schedule(&pl_suites[i]);
        check_record_read(&pl_suites[i]);
    }
}
