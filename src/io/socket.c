/* Socket send and receive for ssl_set_fd (see io.h). */
#include "io/io.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/types.h>

/* EINTR is retried, but not forever: a signal storm must not hang a connection. */
#define EINTR_RETRIES 100

long pl_fd_send(void *user, const void *buf, size_t len)
{
    pl_fd_io *io = user;
    for (int i = 0; i < EINTR_RETRIES; i++) {
        ssize_t n = send(io->fd, buf, len, MSG_NOSIGNAL);
        if (n > 0) {
            return (long)n;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return SSL_ERR_WANT_WRITE;
        }
        io->last_errno = n < 0 ? errno : EPIPE;
        return SSL_ERR_IO;
    }
    io->last_errno = EINTR;
    return SSL_ERR_IO;
}

long pl_fd_recv(void *user, void *buf, size_t len)
{
    pl_fd_io *io = user;
    for (int i = 0; i < EINTR_RETRIES; i++) {
        ssize_t n = recv(io->fd, buf, len, 0);
        if (n >= 0) {
            return (long)n;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return SSL_ERR_WANT_READ;
        }
        io->last_errno = errno;
        return SSL_ERR_IO;
    }
    io->last_errno = EINTR;
    return SSL_ERR_IO;
}
