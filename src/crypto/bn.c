/* Big numbers over libtommath, see bn.h. */
#include "crypto/bn.h"

#include <threads.h>
#include <tommath.h>

int pl_bn_check(int mp_err)
{
    if (mp_err == MP_OKAY) {
        return 0;
    }
    return mp_err == MP_MEM ? SSL_ERR_NO_MEMORY : SSL_ERR_CRYPTO_BIGNUM;
}

/* libtommath's source callback: all of size bytes, or an error (pl_random never returns part). */
static mp_err os_random(void *out, size_t size)
{
    return pl_random(out, size) == 0 ? MP_OKAY : MP_ERR;
}

static once_flag random_once = ONCE_FLAG_INIT;

static void set_random_source(void)
{
    mp_rand_source(os_random);
}

void pl_bn_use_os_random(void)
{
    call_once(&random_once, set_random_source);
}

static void skip_zeros(const uint8_t **p, size_t *len)
{
    while (*len > 0 && (*p)[0] == 0) {
        (*p)++;
        (*len)--;
    }
}

size_t pl_bn_bits(const uint8_t *p, size_t len)
{
    size_t bits;
    skip_zeros(&p, &len);
    if (len == 0) {
        return 0;
    }
    bits = len * 8;
    for (uint8_t top = p[0]; (top & 0x80) == 0; top = (uint8_t)(top << 1)) {
        bits--;
    }
    return bits;
}

int pl_bn_cmp(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
    int c;
    skip_zeros(&a, &a_len);
    skip_zeros(&b, &b_len);
    if (a_len != b_len) {
        return a_len < b_len ? -1 : 1;
    }
    c = a_len == 0 ? 0 : memcmp(a, b, a_len);
    return (c > 0) - (c < 0);
}

static int mod_exp(mp_int *g, mp_int *x, mp_int *p, mp_int *y, uint8_t *out, size_t out_len,
                   const uint8_t *base, size_t base_len, const uint8_t *exp, size_t exp_len,
                   const uint8_t *m, size_t m_len)
{
    size_t size;
    TRY(pl_bn_check(mp_from_ubin(g, base, base_len)));
    TRY(pl_bn_check(mp_from_ubin(x, exp, exp_len)));
    TRY(pl_bn_check(mp_from_ubin(p, m, m_len)));
    /* libtommath#563: mp_exptmod has given wrong results for even moduli. */
    ENSURE(mp_isodd(p) && mp_cmp_d(p, 1) == MP_GT, SSL_ERR_INVALID_ARGUMENT);
    TRY(pl_bn_check(mp_exptmod(g, x, p, y)));
    size = mp_ubin_size(y);
    ENSURE(size <= out_len, SSL_ERR_INVALID_ARGUMENT);
    memset(out, 0, out_len - size);
    TRY(pl_bn_check(mp_to_ubin(y, out + (out_len - size), size, NULL)));
    return 0;
}

int pl_bn_mod_exp(uint8_t *out, size_t out_len, const uint8_t *base, size_t base_len,
                  const uint8_t *exp, size_t exp_len, const uint8_t *m, size_t m_len)
{
    mp_int g, x, p, y;
    int rc;
    TRY(pl_bn_check(mp_init_multi(&g, &x, &p, &y, NULL)));
    rc = mod_exp(&g, &x, &p, &y, out, out_len, base, base_len, exp, exp_len, m, m_len);
    mp_clear_multi(&g, &x, &p, &y, NULL);
    return rc;
}
