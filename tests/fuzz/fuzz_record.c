/* libFuzzer target for the record layer and the handshake message parsers (src/tls/record.c,
 * msg_*.c): the input is a server's byte stream. It is read record by record, first in the
 * clear and then, after the first ChangeCipherSpec, under a fixed ChaCha20-Poly1305 key (so
 * most encrypted records fail authentication, as they must); handshake plaintext is
 * reassembled and every message is handed to the parser for its type. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tls/msg.h"
#include "tls/record.h"

static void parse_message(uint8_t type, pl_slice body)
{
    pl_reader r = pl_reader_of(body);
    pl_server_hello sh;
    pl_server_kx skx;
    pl_cert_request cr;
    pl_slice certs[PL_MAX_CHAIN];
    size_t count;
    uint8_t vd[12];
    switch (type) {
    case PL_HS_SERVER_HELLO:
        if (pl_msg_parse_server_hello(&r, &sh) == 0) {
            static const uint16_t suites[] = {0xc02f, 0xcca8};
            static const uint16_t groups[] = {29};
            static const uint16_t sigalgs[] = {0x0804};
            pl_client_hello ch = {.suites = suites, .suites_count = 2, .groups = groups,
                                  .groups_count = 1, .sigalgs = sigalgs, .sigalgs_count = 1,
                                  .server_name = "example.com", .offer_ems = 1};
            (void)!pl_msg_check_server_hello(&sh, &ch);
        }
        break;
    case PL_HS_CERTIFICATE:
        (void)!pl_msg_parse_certificate(&r, certs, PL_MAX_CHAIN, &count);
        break;
    case PL_HS_SERVER_KEY_EXCHANGE: {
        pl_reader again = r;
        (void)!pl_msg_parse_server_kx(&r, 1, &skx);
        (void)!pl_msg_parse_server_kx(&again, 0, &skx);
        break;
    }
    case PL_HS_CERTIFICATE_REQUEST:
        (void)!pl_msg_parse_cert_request(&r, &cr);
        break;
    case PL_HS_FINISHED:
        (void)!pl_msg_parse_finished(&r, vd);
        break;
    default:
        (void)!pl_msg_parse_empty(&r);
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t hs_buf[4096], in[PL_RECORD_MAX_LEN];
    static const uint8_t key[32] = {1}, iv[12] = {2};
    const pl_suite *suite = pl_suite_by_id(0xcca8);
    pl_record_reader rr;
    size_t pos = 0;
    pl_record_reader_init(&rr, hs_buf, sizeof hs_buf);
    while (pos < size) {
        size_t have = size - pos < sizeof in ? size - pos : sizeof in, used, need;
        uint8_t type;
        pl_slice plain;
        memcpy(in, data + pos, have); /* records are decrypted in place */
        if (pl_record_read(&rr, in, have, &used, &need, &type, &plain) != 0 || used == 0) {
            break;
        }
        pos += used;
        if (type == PL_CT_CHANGE_CIPHER_SPEC) {
            if (pl_record_check_ccs(plain) != 0 || rr.cipher.aead != NULL) {
                break;
            }
            pl_record_cipher_init(&rr.cipher, suite, key, iv);
            rr.version_fixed = 1;
        } else if (type == PL_CT_HANDSHAKE) {
            pl_reader r = pl_reader_of(plain);
            do {
                uint8_t t;
                pl_slice body, whole;
                if (pl_hs_assembler_add(&rr.hs, &r) != 0) {
                    goto out;
                }
                while (pl_hs_assembler_next(&rr.hs, &t, &body, &whole)) {
                    parse_message(t, body);
                }
            } while (pl_reader_left(&r) > 0);
        }
    }
out:
    pl_record_cipher_wipe(&rr.cipher);
    return 0;
}
