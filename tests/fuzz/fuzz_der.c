/* libFuzzer target for the DER reader (src/x509/der.c): walks arbitrary input as DER, entering
 * every constructed value and every OCTET STRING or BIT STRING that itself parses as DER (as
 * certificate extensions nest), and runs the value checks on each primitive. The reader must
 * refuse or accept without reading out of bounds, and nesting must stop at PL_DER_MAX_DEPTH. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "x509/der.h"

static int walk(pl_der *d);

static void check_primitive(const pl_der *parent, const pl_der_tlv *tlv)
{
    pl_slice s;
    uint64_t v;
    bool b;
    unsigned unused;
    pl_der sub;
    switch (tlv->tag) {
    case PL_DER_INTEGER:
        if (pl_der_check_integer(tlv->content) == 0) {
            (void)!pl_der_integer_magnitude(tlv->content, &s);
            (void)!pl_der_integer_u64(tlv->content, &v);
        }
        break;
    case PL_DER_BOOLEAN:
        (void)!pl_der_parse_bool(tlv->content, &b);
        break;
    case PL_DER_OID:
        (void)!pl_der_check_oid(tlv->content);
        break;
    case PL_DER_BIT_STRING:
        if (pl_der_parse_bits(tlv->content, &s, &unused) == 0 && unused == 0 &&
            pl_der_open(parent, s, &sub) == 0) {
            (void)!walk(&sub);
        }
        break;
    case PL_DER_OCTET_STRING:
        if (pl_der_open(parent, tlv->content, &sub) == 0) {
            (void)!walk(&sub);
        }
        break;
    default:
        break;
    }
}

static int walk(pl_der *d)
{
    while (pl_der_left(d) > 0) {
        pl_der_tlv tlv;
        TRY(pl_der_read_tlv(d, &tlv));
        if ((tlv.tag & PL_DER_CONSTRUCTED) != 0) {
            pl_der sub;
            TRY(pl_der_open(d, tlv.content, &sub));
            TRY(walk(&sub));
        } else {
            check_primitive(d, &tlv);
        }
    }
    return pl_der_end(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pl_der d;
    int rc;
    pl_der_init(&d, data, size);
    rc = walk(&d);
    if (rc != 0 && ssl_error_name(rc)[0] != 'S') {
        abort(); /* every failure is a named SSL_ERR_* code */
    }
    return 0;
}
