#!/usr/bin/env bash
# Makes the key fixtures for tests/unit/test_key.c once, with the openssl command line (3.x), and
# writes keys.inc, which embeds every .pem here as a C string so the tests need neither openssl
# nor a path at run time. The outputs are checked in; re-running makes new keys (and a new
# keys.inc), which the tests accept as long as they have the same types and sizes.
set -euo pipefail
cd "$(dirname "$0")"
rm -f ./*.pem ./*.der keys.inc

# RSA 2048: PKCS#1 RSAPrivateKey, PKCS#8, SubjectPublicKeyInfo, PKCS#1 RSAPublicKey.
openssl genrsa -traditional -out rsa2048-pkcs1.pem 2048
openssl pkcs8 -topk8 -nocrypt -in rsa2048-pkcs1.pem -out rsa2048-pkcs8.pem
openssl rsa -in rsa2048-pkcs1.pem -pubout -out rsa2048-spki.pem
openssl rsa -in rsa2048-pkcs1.pem -RSAPublicKey_out -out rsa2048-rsapublic.pem

# EC P-256 and P-384: SEC1 ECPrivateKey (with [0] parameters and [1] publicKey), the same with
# an "EC PARAMETERS" block before it, PKCS#8, SubjectPublicKeyInfo.
for c in prime256v1:p256 secp384r1:p384; do
    name=${c%%:*}
    short=${c##*:}
    openssl ecparam -name "$name" -genkey -noout -out "ec-$short-sec1.pem"
    openssl ecparam -name "$name" -out "ec-$short-with-params.pem"
    cat "ec-$short-sec1.pem" >> "ec-$short-with-params.pem"
    openssl pkcs8 -topk8 -nocrypt -in "ec-$short-sec1.pem" -out "ec-$short-pkcs8.pem"
    openssl ec -in "ec-$short-sec1.pem" -pubout -out "ec-$short-spki.pem"
done

# Keys the parser must refuse, each for a named reason.
openssl ecparam -name secp521r1 -genkey -noout -out bad-ec-p521-sec1.pem
openssl ec -in bad-ec-p521-sec1.pem -pubout -out bad-ec-p521-spki.pem
openssl ecparam -name prime256v1 -param_enc explicit -genkey -noout -out bad-ec-explicit-sec1.pem
openssl genpkey -algorithm ed25519 -out bad-ed25519-pkcs8.pem
openssl pkey -in bad-ed25519-pkcs8.pem -pubout -out bad-ed25519-spki.pem
openssl genpkey -algorithm rsa-pss -pkeyopt rsa_keygen_bits:2048 -out bad-rsa-pss-pkcs8.pem
openssl pkcs8 -topk8 -v2 aes-128-cbc -passout pass:test -in rsa2048-pkcs1.pem \
    -out bad-rsa-encrypted-pkcs8.pem
openssl rsa -traditional -aes128 -passout pass:test -in rsa2048-pkcs1.pem \
    -out bad-rsa-legacy-encrypted.pem
# A SEC1 key whose [1] publicKey belongs to another key: the P-256 key's DER with its last 65
# bytes (the uncompressed point) replaced by a fresh key's point.
openssl ecparam -name prime256v1 -genkey -noout -out other.pem
openssl ec -in ec-p256-sec1.pem -outform DER -out a.der
openssl ec -in other.pem -outform DER -out b.der
{ head -c $(( $(stat -c %s a.der) - 65 )) a.der; tail -c 65 b.der; } > mismatch.der
openssl base64 -in mismatch.der | {
    echo "-----BEGIN EC PRIVATE KEY-----"; cat; echo "-----END EC PRIVATE KEY-----"; } \
    > bad-ec-p256-mismatched-public.pem
rm -f other.pem a.der b.der mismatch.der

# keys.inc: static const char key_<name>[] = "...";, one per file.
for f in *.pem; do
    id=$(basename "$f" .pem | tr -- '-' '_')
    printf 'static const char key_%s[] =\n' "$id"
    sed -e 's/^/    "/' -e 's/$/\\n"/' "$f"
    printf '    ;\n'
done > keys.inc
