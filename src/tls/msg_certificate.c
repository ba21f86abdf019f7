/* Certificate (RFC 5246 §7.4.2, §7.4.6): the server's chain in, the client's empty one out. */
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
