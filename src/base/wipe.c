/* Secure zeroing: memset followed by a compiler barrier that claims to read the memory, so the
 * store cannot be removed as dead even when the buffer is freed or goes out of scope next. */
#include "base/pl.h"

void pl_wipe(void *p, size_t len)
{
    if (len == 0) {
        return;
    }
    memset(p, 0, len);
    __asm__ __volatile__("" : : "r"(p) : "memory");
}
