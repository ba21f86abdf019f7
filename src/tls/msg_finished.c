/* Finished (RFC 5246 §7.4.9): verify_data, 12 bytes for every suite padlock implements. Its
 * comparison with the expected value is the handshake's, in constant time. */
#include "tls/msg.h"

int pl_msg_write_finished(pl_writer *w, const uint8_t verify_data[12])
{
    TRY(pl_write_u8(w, PL_HS_FINISHED));
    TRY(pl_write_u24(w, 12));
    return pl_write_bytes(w, verify_data, 12);
}

int pl_msg_parse_finished(pl_reader *r, uint8_t verify_data[12])
{
    TRY(pl_read_copy(r, verify_data, 12));
    return pl_read_end(r);
}
