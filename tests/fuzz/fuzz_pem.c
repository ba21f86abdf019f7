/* libFuzzer target for the PEM reader (src/x509/pem.c): iterates over every block of arbitrary
 * text, going on after failed blocks as a bundle loader does, with a small and a large output
 * buffer. The iterator must always make progress and never write past the buffer. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "x509/pem.h"

static uint8_t big[1 << 16];

static void iterate(const uint8_t *data, size_t size, uint8_t *out, size_t cap)
{
    pl_pem_iter it;
    pl_pem_block block;
    bool found;
    size_t left = size + 1;
    pl_pem_init(&it, data, size);
    for (;;) {
        int rc = pl_pem_next(&it, out, cap, &block, &found);
        size_t now = pl_reader_left(&it.in);
        if (rc == 0 && !found) {
            break; /* no more blocks */
        }
        if (rc == 0 && block.der_len > cap) {
            abort();
        }
        if (now >= left) {
            abort(); /* a block (good or bad) was read without progress: it would never end */
        }
        left = now;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t small[7];
    iterate(data, size, small, sizeof small);
    iterate(data, size, big, sizeof big);
    return 0;
}
