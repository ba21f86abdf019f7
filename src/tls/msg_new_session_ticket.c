/* NewSessionTicket (RFC 5077 §3.3): the server's ticket for resuming this session later. */
#include "tls/msg.h"

int pl_msg_parse_new_session_ticket(pl_reader *body, pl_new_ticket *t)
{
    TRY(pl_read_u32(body, &t->lifetime_hint));
    return pl_read_vec16(body, 0, 0xffff, &t->ticket);
}
