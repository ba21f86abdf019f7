/* Links against an installed padlock and uses its public API. */
#include <padlock/ssl.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    const char *s = ssl_error_string(SSL_ERR_CRYPTO_AUTH_FAILED);
    printf("padlock %s: %s = %s\n", ssl_version_string(), ssl_error_name(SSL_ERR_CRYPTO_AUTH_FAILED), s);
    return strcmp(ssl_error_name(SSL_ERR_CRYPTO_AUTH_FAILED), "SSL_ERR_CRYPTO_AUTH_FAILED") != 0;
}
