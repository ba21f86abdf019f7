/* libFuzzer target for the key parsers (src/x509/key.c): the same input goes to every public and
 * private key parser, as DER and as PEM text. Whatever they accept is freed again, so leaks and
 * double frees on any path show up under ASan. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "x509/key.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pl_slice der = {data, size};
    pl_spki info;
    pl_slice n, e;
    pl_public_key pub;
    pl_private_key priv;
    (void)!pl_key_parse_spki_info(der, &info);
    (void)!pl_key_parse_rsa_public_der(der, &n, &e);
    if (pl_key_parse_spki(&pub, der) == 0) {
        pl_key_public_free(&pub);
    }
    if (pl_key_parse_rsa_public(&pub, der) == 0) {
        pl_key_public_free(&pub);
    }
    if (pl_key_parse_pkcs1(&priv, der) == 0) {
        pl_key_private_free(&priv);
    }
    if (pl_key_parse_pkcs8(&priv, der) == 0) {
        pl_key_private_free(&priv);
    }
    if (pl_key_parse_sec1(&priv, der) == 0) {
        pl_key_private_free(&priv);
    }
    if (pl_key_load_public_pem(&pub, data, size) == 0) {
        pl_key_public_free(&pub);
    }
    if (pl_key_load_private_pem(&priv, data, size) == 0) {
        pl_key_private_free(&priv);
    }
    return 0;
}
