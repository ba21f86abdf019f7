/* pl_ct_declassify for builds that have valgrind's headers: a memcheck client request, which is a
 * few no-op instructions when the program is not running under valgrind. */
#include <valgrind/memcheck.h>

#include "base/ct.h"

void pl_ct_declassify(const void *p, size_t len)
{
    (void)VALGRIND_MAKE_MEM_DEFINED(p, len);
}
