/* pl_ct_declassify for builds without valgrind's headers: nothing to tell anyone. */
#include "base/ct.h"

void pl_ct_declassify(const void *p, size_t len)
{
    (void)p;
    (void)len;
}
