#!/usr/bin/env bash
# Makes the interop test PKI with the openssl command line, into a fresh directory:
#
#   mkpki.sh DIR
#
#   DIR/ca.pem                  the trust anchor (RSA-2048 root, self-signed)
#   DIR/other-ca.pem            an unrelated root, for the "untrusted CA" cases
#   DIR/<key>/{cert,key,chain,fullchain}.pem   for key in rsa2048 rsa4096 p256 p384
#   DIR/ffdhe2048.pem DIR/ffdhe3072.pem         RFC 7919 groups as PKCS#3 DH parameters
#
# Chains: rsa2048 and p256 are issued by the root itself (chain.pem is empty); rsa4096 and p384
# are issued by a P-256 intermediate, which the server sends after the leaf (chain.pem), so a
# client has to build a two-step path and check an ECDSA signature on an RSA leaf.
#
# Leaves: CN=localhost, SAN DNS:localhost and IP:127.0.0.1, EKU serverAuth, CA:FALSE; keyUsage
# digitalSignature,keyEncipherment for RSA (ECDHE_RSA signs, static RSA encrypts) and
# digitalSignature for EC. Valid from one day ago for 30 days. Keys are fresh on every run.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
out=$1
mkdir -p "$out"
cd "$out"

ossl() {   # quiet openssl; its chatter goes to a log that is shown only on failure
    if ! openssl "$@" >>openssl.log 2>&1; then
        echo "mkpki: openssl $1 failed:" >&2
        tail -5 openssl.log >&2
        exit 1
    fi
}

newkey() {   # type file
    case $1 in
        rsa2048) ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$2" ;;
        rsa4096) ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out "$2" ;;
        p256)    ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$2" ;;
        p384)    ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$2" ;;
        *) echo "mkpki: unknown key type $1" >&2; exit 2 ;;
    esac
}

cat >ext.cnf <<'CNF'
[ca_root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ca_int]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[leaf_rsa]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[leaf_ec]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

# sign SUBJECT-KEY CN EXT ISSUER-CERT ISSUER-KEY OUT: a certificate valid from yesterday for
# 30 days. "openssl ca" rather than "openssl x509 -req", because only it can set the start date.
serial=0
sign() {
    local key=$1 cn=$2 ext=$3 icert=$4 ikey=$5 outf=$6
    serial=$((serial + 1))
    rm -rf ca.db
    mkdir ca.db
    : >ca.db/index.txt
    printf '%02X%s\n' "$serial" "$(od -An -N7 -tx1 /dev/urandom | tr -d ' \n')" >ca.db/serial
    printf '[ca]\ndatabase = ca.db/index.txt\nserial = ca.db/serial\nnew_certs_dir = ca.db\n' \
           >ca.cnf
    printf 'policy = policy\n[policy]\ncommonName = supplied\n' >>ca.cnf
    ossl req -new -key "$key" -subj "/CN=$cn" -out "$outf.csr"
    ossl ca -batch -notext -config ca.cnf -name ca -in "$outf.csr" -out "$outf" \
        -cert "$icert" -keyfile "$ikey" -extfile ext.cnf -extensions "$ext" \
        -startdate "$(date -u -d '1 day ago' +%Y%m%d%H%M%SZ)" -days 30 -md sha256
    rm -rf "$outf.csr" ca.db ca.cnf
}

# Roots are self-signed through "openssl req -x509" (start: now minus nothing; a root that is
# valid from this second is fine for a client on the same clock).
newkey rsa2048 ca.key
ossl req -x509 -new -key ca.key -subj "/CN=padlock interop root CA" \
    -days 60 -sha256 -extensions ca_root -config ext.cnf -out ca.pem
newkey p256 other-ca.key
ossl req -x509 -new -key other-ca.key -subj "/CN=an unrelated root CA" \
    -days 60 -sha256 -extensions ca_root -config ext.cnf -out other-ca.pem

newkey p256 int.key
sign int.key "padlock interop intermediate CA" ca_int ca.pem ca.key int.pem

for k in rsa2048 rsa4096 p256 p384; do
    mkdir -p "$k"
    newkey "$k" "$k/key.pem"
    ext=leaf_ec
    [[ $k == rsa* ]] && ext=leaf_rsa
    case $k in
        rsa2048|p256) sign "$k/key.pem" localhost "$ext" ca.pem ca.key "$k/cert.pem"
                      : >"$k/chain.pem" ;;
        *)            sign "$k/key.pem" localhost "$ext" int.pem int.key "$k/cert.pem"
                      cp int.pem "$k/chain.pem" ;;
    esac
    cat "$k/cert.pem" "$k/chain.pem" >"$k/fullchain.pem"
    # the chain must verify the way the client will check it
    untrusted=()
    [ -s "$k/chain.pem" ] && untrusted=(-untrusted "$k/chain.pem")
    ossl verify -CAfile ca.pem "${untrusted[@]}" -purpose sslserver \
        -verify_hostname localhost "$k/cert.pem"
    ossl verify -CAfile ca.pem "${untrusted[@]}" -purpose sslserver \
        -verify_ip 127.0.0.1 "$k/cert.pem"
done

for g in ffdhe2048 ffdhe3072; do
    ossl genpkey -genparam -algorithm DH -pkeyopt "group:$g" -out "$g.pem"
done
rm -f ext.cnf openssl.log
