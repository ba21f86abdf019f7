/* OS randomness through getrandom(2) (Linux ≥ 3.17, glibc ≥ 2.25).
 *
 * getrandom blocks until the kernel's pool is initialised and then never fails for lack of
 * entropy, so the only failures are a kernel without the call (ENOSYS) or an unexpected error. We
 * report them as SSL_ERR_RANDOM_FAILED. There is deliberately no fallback to /dev/urandom reads
 * that could be redirected, to the clock, or to rand(). */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/random.h>

#include "base/pl.h"

int pl_random(void *out, size_t len)
{
    uint8_t *p = out;
    size_t done = 0;
    while (done < len) {
        ssize_t n = getrandom(p + done, len - done, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            pl_wipe(out, len);
            return SSL_ERR_RANDOM_FAILED;
        }
        done += (size_t)n;
    }
    return 0;
}
