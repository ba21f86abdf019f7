#!/usr/bin/env bash
# Makes the client-certificate PKI for tests/unit/test_client_auth.c, tests/fuzz/fuzz_client.c
# and tests/interop/mtls.sh once, with the openssl command line (3.x): the PEM files here, and
# client.inc, which embeds each certificate's DER and each chain's and key's PEM text as C
# arrays, with a table naming them, so that the unit tests need neither openssl nor a path at run
# time. The outputs are checked in; re-running makes new keys and certificates with the same
# names, dates and properties, which the tests accept. It is separate from ../make.sh (the
# servers' PKI), whose outputs it leaves alone.
#
#   ca (RSA-2048, self-signed) ── int (P-256) ── rsa, ec, ec384, rsa1024, rsa-big (leaves)
#   other-ca (P-256, self-signed): a CA that issued none of them
#
# Leaves: CN=Padlock Test Client <kind>, keyUsage digitalSignature, extendedKeyUsage
# clientAuth. The keys are written in different encodings on purpose: rsa.key PKCS#1
# ("RSA PRIVATE KEY"), ec.key SEC1 ("EC PRIVATE KEY"), ec384.key and rsa1024.key PKCS#8
# ("PRIVATE KEY"). rsa-big has rsa.key's key and 700 subjectAltName entries (about 16 KiB).
# <kind>-chain.pem is the leaf then the intermediate, as a client configures it
# (ssl_ctx_use_certificate_chain_file).
#
# Every certificate is valid from 2024-01-01 to 2049-12-31, like ../make.sh's, so the tests'
# fixed verification time (2030-01-01) and any run before 2050 are inside all of them.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -f ./*.pem ./*.key client.inc

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
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client_big]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = @big_names
[big_names]
CNF
# 700 DNS names: a certificate of about 16 KiB, so that its chain's Certificate message needs
# more than one record and more than the client's usual output buffer
for i in $(seq 1 700); do echo "DNS.$i = client-$i.padlock.test"; done >> "$work/ext.cnf"

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

key "$work/ca.key" -algorithm RSA -pkeyopt rsa_keygen_bits:2048
key "$work/int.key" -algorithm EC -pkeyopt ec_paramgen_curve:P-256
key "$work/other-ca.key" -algorithm EC -pkeyopt ec_paramgen_curve:P-256
key "$work/rsa.p8" -algorithm RSA -pkeyopt rsa_keygen_bits:2048
key "$work/ec.p8" -algorithm EC -pkeyopt ec_paramgen_curve:P-256
key ec384.key -algorithm EC -pkeyopt ec_paramgen_curve:P-384
key rsa1024.key -algorithm RSA -pkeyopt rsa_keygen_bits:1024
openssl rsa -traditional -in "$work/rsa.p8" -out rsa.key 2>/dev/null
openssl ec -in "$work/ec.p8" -out ec.key 2>/dev/null

issue ca "$work/ca.key" "/O=Padlock TLS Test/CN=Padlock TLS Test Client Root" root self
issue int "$work/int.key" "/O=Padlock TLS Test/CN=Padlock TLS Test Client Int" int ca
issue other-ca "$work/other-ca.key" "/O=Padlock TLS Test/CN=Padlock TLS Test Other CA" root self
issue rsa rsa.key "/CN=Padlock Test Client RSA" client int
issue ec ec.key "/CN=Padlock Test Client EC P-256" client int
issue ec384 ec384.key "/CN=Padlock Test Client EC P-384" client int
# the RSA key again, in a certificate made large by its subjectAltName
issue rsa-big rsa.key "/CN=Padlock Test Client RSA (big)" client_big int
# an RSA-1024 key: refused by policy when it is configured
issue rsa1024 rsa1024.key "/CN=Padlock Test Client RSA-1024" client int
for k in rsa ec ec384 rsa1024 rsa-big; do
    cat "$k.pem" int.pem > "$k-chain.pem"
    openssl verify -CAfile ca.pem -untrusted int.pem -purpose sslclient "$k.pem" >/dev/null
done

python3 - <<'PY'
import base64, glob, re

def c_name(path):
    return re.sub(r"[^A-Za-z0-9]", "_", path)

certs, texts = [], []
for path in sorted(glob.glob("*.pem")) + sorted(glob.glob("*.key")):
    text = open(path).read()
    if path.endswith(".pem") and not path.endswith("-chain.pem"):
        certs.append(path)
    else:
        texts.append(path)

with open("client.inc", "w") as out:
    out.write("/* Generated by make.sh: each certificate's DER (named without .pem), each chain's "
              "and\n * key's PEM text (named with -chain.pem / .key), and a table naming them. "
              "*/\n\n")
    out.write("struct tls_client_fixture {\n    const char *name;\n    const uint8_t *data;\n"
              "    size_t len;\n};\n\n")
    rows = []
    for path in certs:
        text = open(path).read()
        b64 = re.search(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", text, re.S)
        data = base64.b64decode("".join(b64.group(1).split()))
        name = "tls_client_cert_" + c_name(path[:-4])
        out.write("static const uint8_t %s[%d] = {\n" % (name, len(data)))
        for i in range(0, len(data), 16):
            out.write("    " + ", ".join("0x%02x" % b for b in data[i:i + 16]) + ",\n")
        out.write("};\n")
        rows.append('    {"%s", %s,\n     sizeof %s},\n' % (path[:-4], name, name))
    for path in texts:
        name = "tls_client_text_" + c_name(path)
        out.write("static const char %s[] =\n" % name)
        for line in open(path).read().splitlines():
            out.write('    "%s\\n"\n' % line)
        out.write("    ;\n")
        rows.append('    {"%s", (const uint8_t *)%s,\n     sizeof %s - 1},\n' % (path, name, name))
    out.write("\nstatic const struct tls_client_fixture tls_client_fixtures[] = {\n")
    out.writelines(rows)
    out.write("};\n")
PY
