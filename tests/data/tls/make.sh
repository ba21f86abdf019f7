#!/usr/bin/env bash
# Makes the PKI for tests/unit/test_hs_client.c and tests/fuzz/fuzz_client.c once, with the
# openssl command line (3.x): the PEM files here, and tls.inc, which embeds each certificate's
# DER and each server key's PEM text as C arrays, with a table naming them, so that the tests
# need neither openssl nor a path at run time. The outputs are checked in; re-running makes new
# keys and certificates with the same names, dates and properties, which the tests accept.
#
#   root (RSA-2048, self-signed) ── int (P-256) ── the leaves below
#
# The server keys (server-rsa, server-ec, server-ec384) are checked in too: the test server
# signs its ServerKeyExchange and decrypts the RSA pre-master secret with them.
#
# Every certificate is valid from 2024-01-01 to 2049-12-31 (openssl ca sets the dates
# exactly), so the tests' fixed verification time TLS_FIXTURE_TIME (2030-01-01) is inside all
# of them and no fixture expires.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -f ./*.pem tls.inc

start=20240101000000Z
end=20491231235959Z

cat > "$work/ext.cnf" <<'CNF'
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[int]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf_rsa]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
[leaf_ec]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
[leaf_sign_only]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost
[leaf_encipher_only]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost
[leaf_agree_only]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyAgreement
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost
[leaf_other_host]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:other.example
[leaf_self]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
subjectAltName = DNS:localhost
CNF

# openssl ca is the one command of 3.0 that sets notBefore and notAfter exactly.
cat > "$work/ca.cnf" <<CNF
[ca]
default_ca = this
[this]
database = $work/index.txt
new_certs_dir = $work
serial = $work/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
organizationName = optional
CNF
touch "$work/index.txt"
openssl rand -hex 8 > "$work/serial"

key() { # file, algorithm options...
    local f=$1
    shift
    openssl genpkey "$@" -out "$f" 2>/dev/null
}
# issue name, key file, subject, extensions section, issuer (name; "self" for a self-signed one)
issue() {
    local name=$1 k=$2 subj=$3 sect=$4 ca=$5 signer
    openssl req -new -key "$k" -subj "$subj" -out "$work/$name.csr"
    if [ "$ca" = self ]; then
        signer=(-selfsign -keyfile "$k")
    else
        signer=(-cert "$ca.pem" -keyfile "$work/$ca.key")
    fi
    openssl ca -batch -notext -config "$work/ca.cnf" "${signer[@]}" -in "$work/$name.csr" \
        -startdate "$start" -enddate "$end" -extfile "$work/ext.cnf" -extensions "$sect" \
        -out "$name.pem" 2>/dev/null
}

key "$work/root.key" -algorithm RSA -pkeyopt rsa_keygen_bits:2048
key "$work/int.key" -algorithm EC -pkeyopt ec_paramgen_curve:P-256
key server-rsa.pem -algorithm RSA -pkeyopt rsa_keygen_bits:2048
key server-ec.pem -algorithm EC -pkeyopt ec_paramgen_curve:P-256
key server-ec384.pem -algorithm EC -pkeyopt ec_paramgen_curve:P-384
key "$work/small.key" -algorithm RSA -pkeyopt rsa_keygen_bits:1024

issue root "$work/root.key" "/O=Padlock TLS Test/CN=Padlock TLS Test Root" root self
issue int "$work/int.key" "/O=Padlock TLS Test/CN=Padlock TLS Test Int" int root
# the good leaves, one per server key
issue leaf-rsa server-rsa.pem "/CN=localhost" leaf_rsa int
issue leaf-ec server-ec.pem "/CN=localhost" leaf_ec int
issue leaf-ec384 server-ec384.pem "/CN=localhost" leaf_ec int
# keyUsage that does not fit a suite: RSA signing only (no RSA key exchange), RSA encryption
# only (no ECDHE_RSA or DHE_RSA), EC keyAgreement only (no ECDHE_ECDSA)
issue leaf-rsa-sign-only server-rsa.pem "/CN=localhost" leaf_sign_only int
issue leaf-rsa-encipher-only server-rsa.pem "/CN=localhost" leaf_encipher_only int
issue leaf-ec-agree-only server-ec.pem "/CN=localhost" leaf_agree_only int
# the right key for another host name
issue leaf-other-host server-rsa.pem "/CN=other.example" leaf_other_host int
# an RSA-1024 key, refused by policy
issue leaf-rsa1024 "$work/small.key" "/CN=localhost" leaf_rsa int
# the server's key in a self-signed certificate: no path to the root
issue leaf-self server-rsa.pem "/CN=localhost" leaf_self self

python3 - <<'PY'
import base64, glob, re

def c_name(path):
    return path.rsplit(".", 1)[0].replace("-", "_")

certs, keys = [], []
for path in sorted(glob.glob("*.pem")):
    text = open(path).read()
    if "BEGIN CERTIFICATE" in text:
        certs.append(path)
    else:
        keys.append(path)

with open("tls.inc", "w") as out:
    out.write("/* Generated by make.sh: each certificate's DER, each server key's PEM, and a "
              "table\n * naming them (tls_fixture_find in the tests looks them up). */\n")
    out.write("#define TLS_FIXTURE_TIME 1893456000 /* 2030-01-01T00:00:00Z */\n\n")
    out.write("struct tls_fixture {\n    const char *name;\n    const uint8_t *data;\n"
              "    size_t len;\n};\n\n")
    rows = []
    for path in certs:
        text = open(path).read()
        b64 = re.search(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", text, re.S)
        data = base64.b64decode("".join(b64.group(1).split()))
        name = "tls_cert_" + c_name(path)
        out.write("static const uint8_t %s[%d] = {\n" % (name, len(data)))
        for i in range(0, len(data), 16):
            out.write("    " + ", ".join("0x%02x" % b for b in data[i:i + 16]) + ",\n")
        out.write("};\n")
        rows.append('    {"%s", %s,\n     sizeof %s},\n' % (path[:-4], name, name))
    for path in keys:
        name = "tls_key_" + c_name(path)
        out.write("static const char %s[] =\n" % name)
        for line in open(path).read().splitlines():
            out.write('    "%s\\n"\n' % line)
        out.write("    ;\n")
        rows.append('    {"%s.key", (const uint8_t *)%s,\n     sizeof %s - 1},\n'
                    % (path[:-4], name, name))
    out.write("\nstatic const struct tls_fixture tls_fixtures[] = {\n")
    out.writelines(rows)
    out.write("};\n")
PY
