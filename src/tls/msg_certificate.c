/* Certificate (RFC 5246 §7.4.2, §7.4.6): the server's chain in; the client's out, empty when it
 * has no certificate that fits the server's request, else its chain. */
#include "tls/msg.h"

int pl_msg_parse_certificate(pl_reader *r, pl_slice *certs, size_t max, size_t *count)
{
    pl_reader list;
    *count = 0;
    TRY(pl_read_sub24(r, 0, 0xffffff, &list));
    while (pl_reader_left(&list) > 0) {
        ENSURE(*count < max, SSL_ERR_HS_TOO_MANY_CERTIFICATES);
        TRY(pl_read_vec24(&list, 1, 0xffffff, &certs[*count]));
        (*count)++;
    }
    return pl_read_end(r);
}

int pl_msg_write_empty_certificate(pl_writer *w)
{
    TRY(pl_write_u8(w, PL_HS_CERTIFICATE));
    TRY(pl_write_u24(w, 3));
    return pl_write_u24(w, 0); /* certificate_list<0..2^24-1>, empty (§7.4.6) */
}

int pl_msg_write_certificate(pl_writer *w, const pl_slice *certs, size_t count)
{
    size_t body, list, one;
    TRY(pl_write_u8(w, PL_HS_CERTIFICATE));
    TRY(pl_write_open24(w, &body));
    TRY(pl_write_open24(w, &list));     /* certificate_list<0..2^24-1> */
    for (size_t i = 0; i < count; i++) {
        ENSURE(certs[i].len > 0, SSL_ERR_INVALID_ARGUMENT);   /* ASN.1Cert<1..2^24-1> */
        TRY(pl_write_open24(w, &one));
        TRY(pl_write_bytes(w, certs[i].ptr, certs[i].len));
        TRY(pl_write_close24(w, one));
    }
    TRY(pl_write_close24(w, list));
    return pl_write_close24(w, body);
}
