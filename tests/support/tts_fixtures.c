/* The TLS test fixtures by name (see tts_fixtures.h): the one place that includes the generated
 * tables. */
#include "tts_fixtures.h"

#include <stdio.h>
#include <string.h>

#include "base/pl.h"

#include "../data/tls/client/client.inc"
#include "../data/tls/tls.inc"

const int64_t tts_fixture_time = TLS_FIXTURE_TIME;

pl_slice tts_fixture_find(const char *name)
{
    for (size_t i = 0; i < PL_ARRAY_LEN(tls_fixtures); i++) {
        if (strcmp(tls_fixtures[i].name, name) == 0) {
            return (pl_slice){tls_fixtures[i].data, tls_fixtures[i].len};
        }
    }
    return (pl_slice){NULL, 0};
}

pl_slice tts_client_fixture_find(const char *name)
{
    for (size_t i = 0; i < PL_ARRAY_LEN(tls_client_fixtures); i++) {
        if (strcmp(tls_client_fixtures[i].name, name) == 0) {
            return (pl_slice){tls_client_fixtures[i].data, tls_client_fixtures[i].len};
        }
    }
    return (pl_slice){NULL, 0};
}

int tts_identity_load(pl_identity *id, const char *kind)
{
    char name[64];
    memset(id, 0, sizeof *id);
    snprintf(name, sizeof name, "%s-chain.pem", kind);
    pl_slice chain = tts_client_fixture_find(name);
    snprintf(name, sizeof name, "%s.key", kind);
    pl_slice key = tts_client_fixture_find(name);
    int rc = pl_identity_set_chain_pem(id, chain.ptr, chain.len);
    return rc != 0 ? rc : pl_identity_set_key_pem(id, key.ptr, key.len);
}
