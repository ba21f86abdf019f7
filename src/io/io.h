/* Socket I/O for connections made with ssl_set_fd: the send and receive callbacks over a file
 * descriptor. The only code in padlock that touches a socket.
 *
 * Blocking and non-blocking sockets both work: EAGAIN / EWOULDBLOCK become SSL_ERR_WANT_WRITE /
 * SSL_ERR_WANT_READ (on a blocking socket with SO_RCVTIMEO or SO_SNDTIMEO this is how a timeout
 * shows), EINTR is retried, end of stream is 0, anything else is SSL_ERR_IO with errno kept for
 * the error detail. SIGPIPE is never raised (MSG_NOSIGNAL). */
#ifndef PL_IO_IO_H
#define PL_IO_IO_H

#include "base/pl.h"

typedef struct pl_fd_io {
    int fd;
    int last_errno;             /* errno of the last SSL_ERR_IO, else 0 */
} pl_fd_io;

long pl_fd_send(void *user, const void *buf, size_t len);
long pl_fd_recv(void *user, void *buf, size_t len);

#endif
