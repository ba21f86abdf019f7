/* Choosing an AEAD implementation (see aead.h). */
#include "crypto/aead.h"

const pl_aead_class *pl_aead_best(enum pl_aead_alg alg)
{
    switch (alg) {
    case PL_AEAD_AES128_GCM: return pl_aes_gcm_best(16);
    case PL_AEAD_AES256_GCM: return pl_aes_gcm_best(32);
    case PL_AEAD_CHACHA20_POLY1305: return pl_chacha20_poly1305_best();
    default: return NULL;
    }
}
