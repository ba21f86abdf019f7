#!/usr/bin/env bash
# Makes the certificate chains for tests/unit/test_path.c and tests/x509verify once, with the
# openssl command line (3.x): PEM files here, and chains.inc embedding each certificate's DER
# as a C array. Re-running makes new keys and dates; the tests use times relative to the
# certificates' own validity, so they keep passing.
#
#   root (RSA-2048, self-signed) ── int (P-256) ── leaf (P-256): the good chain
#   and one variation per rule the validator enforces (see each block).
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -f ./*.pem chains.inc

cat > "$work/ext.cnf" <<'CNF'
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[root_pathlen0]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[int]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_under_v1]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[int_pathlen0]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_ca_false]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_no_bc]
keyUsage = critical, keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_no_certsign]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_eku_client]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_nc]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign
nameConstraints = critical, permitted;DNS:example.com, permitted;IP:127.0.0.0/255.0.0.0, excluded;DNS:bad.example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com, DNS:*.example.com, IP:127.0.0.1
authorityKeyIdentifier = keyid
[leaf_nc_ok]
subjectAltName = DNS:www.example.com, DNS:example.com, IP:127.0.0.1
[leaf_eku_client]
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:www.example.com
[leaf_evil]
subjectAltName = DNS:www.example.com, DNS:www.evil.com
[leaf_bad]
subjectAltName = DNS:bad.example.com
[leaf_wild_bad]
subjectAltName = DNS:*.example.com
[leaf_ip_out]
subjectAltName = IP:10.0.0.1
[leaf_cn_only]
keyUsage = critical, digitalSignature
[leaf_self]
basicConstraints = CA:FALSE
subjectAltName = DNS:self.example.com
CNF

key() { # file, algorithm options...
    local f=$1
    shift
    openssl genpkey "$@" -out "$work/$f.key" 2>/dev/null
}
rsa() { key "$1" -algorithm RSA -pkeyopt rsa_keygen_bits:"${2:-2048}"; }
ec() { key "$1" -algorithm EC -pkeyopt ec_paramgen_curve:"${2:-P-256}"; }

selfsign() { # name, key, subject, section, days
    openssl req -x509 -new -key "$work/$2.key" -subj "$3" -days "$5" -sha256 \
        -extensions "$4" -config <(cat /etc/ssl/openssl.cnf "$work/ext.cnf") -out "$1.pem"
    [ "$1" = "$2" ] || cp "$work/$2.key" "$work/$1.key"
}
issue() { # name, key, subject, section, issuer name, days, extra options...
    local name=$1 k=$2 subj=$3 sect=$4 ca=$5 days=$6
    shift 6
    openssl req -new -key "$work/$k.key" -subj "$subj" -out "$work/$name.csr"
    openssl x509 -req -in "$work/$name.csr" -CA "$ca.pem" -CAkey "$work/$ca.key" \
        -set_serial "0x$(openssl rand -hex 8)" -days "$days" -extfile "$work/ext.cnf" \
        -extensions "$sect" -out "$name.pem" "$@" 2>/dev/null
    [ "$k" = "$name" ] || cp "$work/$k.key" "$work/$name.key"
}

rsa root; rsa root2; rsa small 1024; ec int; ec int2; ec leaf; ec other; ec p384 P-384
selfsign root root "/O=Padlock Chains/CN=Padlock Root" root 3650
selfsign root-pathlen0 root2 "/O=Padlock Chains/CN=Padlock Root PL0" root_pathlen0 3650
# a version 1 root: no extensions at all
openssl req -x509 -new -key "$work/root2.key" -subj "/CN=Padlock V1 Root" -days 3650 \
    -config <(sed 's/^x509_extensions/#&/' /etc/ssl/openssl.cnf) -out root-v1.pem
cp "$work/root2.key" "$work/root-v1.key"

issue int int "/O=Padlock Chains/CN=Padlock Int" int root 1825
issue leaf leaf "/CN=www.example.com" leaf int 365
# same issuer name, another key: signatures from it do not verify with int's key
issue decoy other "/O=Padlock Chains/CN=Padlock Int" int root 1825
# int again for the same key, valid one day only: verified later, it has expired
issue int-short int "/O=Padlock Chains/CN=Padlock Int" int root 1
issue int-no-bc int "/O=Padlock Chains/CN=Padlock Int" int_no_bc root 1825
issue int-ca-false int "/O=Padlock Chains/CN=Padlock Int" int_ca_false root 1825
issue int-no-certsign int "/O=Padlock Chains/CN=Padlock Int" int_no_certsign root 1825
issue int-eku-client int "/O=Padlock Chains/CN=Padlock Int" int_eku_client root 1825
issue int-pss int "/O=Padlock Chains/CN=Padlock Int" int root 1825 \
    -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest
issue int-sha1 int "/O=Padlock Chains/CN=Padlock Int" int root 1825 -sha1
issue int-v1root int "/O=Padlock Chains/CN=Padlock Int" int_under_v1 root-v1 1825
# pathLenConstraint 0 on an intermediate: a leaf may follow it, another CA may not
issue pl-int1 int "/CN=PL Int 1" int_pathlen0 root 1825
issue pl-int2 int2 "/CN=PL Int 2" int pl-int1 1825
issue pl-leaf leaf "/CN=www.example.com" leaf pl-int2 365
issue pl-leaf1 leaf "/CN=www.example.com" leaf pl-int1 365
# pathLenConstraint 0 on the root: no intermediate may follow it (as OpenSSL enforces)
issue int-under-pl0 int "/O=Padlock Chains/CN=Padlock Int" int root-pathlen0 1825
# name constraints: permitted example.com and 127/8, excluded bad.example.com
issue nc-int int2 "/CN=NC Int" int_nc root 1825
issue nc-leaf leaf "/CN=www.example.com" leaf_nc_ok nc-int 365
issue nc-evil leaf "/CN=www.example.com" leaf_evil nc-int 365
issue nc-bad leaf "/CN=bad.example.com" leaf_bad nc-int 365
issue nc-wild leaf "/CN=wild" leaf_wild_bad nc-int 365
issue nc-ip leaf "/CN=ip" leaf_ip_out nc-int 365
# leaf variations under the good int
issue leaf-eku-client leaf "/CN=www.example.com" leaf_eku_client int 365
issue leaf-sha1 leaf "/CN=www.example.com" leaf int 365 -sha1
issue leaf-rsa1024 small "/CN=www.example.com" leaf int 365
issue leaf-cn-only leaf "/CN=www.example.com" leaf_cn_only int 365
issue leaf-p384-ecdsa384 p384 "/CN=www.example.com" leaf int 365 -sha384
# a chain of three intermediates, for the depth limit
issue d1 int2 "/CN=Depth 1" int root 1825
issue d2 int "/CN=Depth 2" int d1 1825
issue d3 int2 "/CN=Depth 3" int d2 1825
issue d-leaf leaf "/CN=www.example.com" leaf d3 365
# a self-signed server certificate, trusted directly
selfsign self leaf "/CN=self.example.com" leaf_self 365

# a moment when every certificate above is valid (a day after they were made), for the tests
echo $(( $(date +%s) + 86400 )) > TIME

python3 - <<'PY'
import base64, glob, re
with open("chains.inc", "w") as out:
    out.write("/* Generated by make.sh: each certificate's DER. */\n")
    for path in sorted(glob.glob("*.pem")):
        text = open(path).read()
        b64 = re.search(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", text, re.S)
        data = base64.b64decode("".join(b64.group(1).split()))
        name = path[:-4].replace("-", "_")
        out.write("static const uint8_t chain_%s[%d] = {\n" % (name, len(data)))
        for i in range(0, len(data), 16):
            out.write("    " + ", ".join("0x%02x" % b for b in data[i:i + 16]) + ",\n")
        out.write("};\n")
PY
