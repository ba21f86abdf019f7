/* libFuzzer target for certificate parsing and everything that reads a parsed certificate
 * (src/x509/cert.c, hostname.c, path.c, sig.c): parse the input as one DER certificate; if it
 * parses, print its names and times, walk its SAN and name constraints, match host names, and
 * validate it as a leaf against itself as the only trust anchor (which runs the signature,
 * key and constraint checks on hostile data). Nothing may read out of bounds or leak. */
#include <stddef.h>
#include <stdint.h>

#include "x509/hostname.h"
#include "x509/path.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const hosts[] = {"example.com", "www.example.com", "127.0.0.1", "::1"};
    pl_cert c;
    char text[300], when[21];
    pl_der it;
    pl_general_name gn;
    pl_x509_store anchors;
    pl_x509_verify_opts opts = {.now = 1800000000, .host = "example.com",
                                .max_intermediates = -1};
    pl_x509_result res;
    if (pl_cert_parse(&c, data, size) != 0) {
        return 0;
    }
    pl_cert_name_string(c.subject, text, sizeof text);
    pl_cert_name_string(c.issuer, text, 16);
    pl_cert_time_string(c.not_before, when);
    pl_cert_time_string(c.not_after, when);
    pl_cert_names_init(&it, c.san);
    while (pl_cert_next_name(&it, &gn)) {
    }
    for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
        (void)!pl_hostname_check(&c, hosts[i]);
    }
    pl_x509_store_init(&anchors);
    if (pl_x509_store_add_der(&anchors, data, size) == 0) {
        (void)!pl_x509_verify(&c, &c, 1, &anchors, &opts, &res);
        (void)!pl_x509_check_signature(&c, &c);
    }
    pl_x509_store_free(&anchors);
    return 0;
}
