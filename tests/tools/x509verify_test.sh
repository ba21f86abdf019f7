#!/usr/bin/env bash
# Drives examples/x509verify over tests/data/chains and checks exit status and reason:
#   x509verify_test.sh PATH/TO/x509verify tests/data/chains
set -u
tool=$(realpath "$1")
cd "$2"
now=$(cat TIME)
pass=0
fail=0

# expect STATUS WORD ARGS...: run the tool, check its exit status and that stderr has WORD
expect() {
    local want=$1 word=$2
    shift 2
    local err rc
    err=$("$tool" "$@" 2>&1 >/dev/null)
    rc=$?
    if [ "$rc" -eq "$want" ] && { [ -z "$word" ] || grep -q -- "$word" <<<"$err"; }; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: x509verify $* -> $rc (want $want${word:+, \"$word\"}): $err"
    fi
}

ok=(--cafile root.pem --time "$now")
expect 0 "" "${ok[@]}" --leaf leaf.pem --untrusted int.pem
expect 0 "" "${ok[@]}" --leaf leaf.pem --untrusted int.pem --name www.example.com
expect 0 "" "${ok[@]}" --leaf leaf.pem --untrusted int.pem --name 127.0.0.1
expect 1 SSL_ERR_CERT_NAME_MISMATCH "${ok[@]}" --leaf leaf.pem --untrusted int.pem --name example.org
# the pool in any order with decoys; a leaf file carrying its chain
cat decoy.pem nc-int.pem int.pem > "${TMPDIR:-/tmp}/pool.$$"
expect 0 "" "${ok[@]}" --leaf leaf.pem --untrusted "${TMPDIR:-/tmp}/pool.$$"
cat leaf.pem int.pem > "${TMPDIR:-/tmp}/leafchain.$$"
expect 0 "" "${ok[@]}" --leaf "${TMPDIR:-/tmp}/leafchain.$$"
rm -f "${TMPDIR:-/tmp}/pool.$$" "${TMPDIR:-/tmp}/leafchain.$$"
expect 1 SSL_ERR_CERT_UNKNOWN_ISSUER "${ok[@]}" --leaf leaf.pem
expect 1 SSL_ERR_CERT_UNKNOWN_ISSUER "${ok[@]}" --leaf leaf.pem --untrusted decoy.pem
expect 1 SSL_ERR_CERT_NOT_CA "${ok[@]}" --leaf leaf.pem --untrusted int-no-bc.pem
expect 1 SSL_ERR_CERT_NOT_CA "${ok[@]}" --leaf leaf.pem --untrusted int-ca-false.pem
expect 1 SSL_ERR_CERT_KEY_USAGE "${ok[@]}" --leaf leaf.pem --untrusted int-no-certsign.pem
expect 1 SSL_ERR_CERT_EXT_KEY_USAGE "${ok[@]}" --leaf leaf.pem --untrusted int-eku-client.pem
expect 1 SSL_ERR_CERT_EXT_KEY_USAGE "${ok[@]}" --leaf leaf-eku-client.pem --untrusted int.pem
expect 1 SSL_ERR_CERT_WEAK_SIGNATURE "${ok[@]}" --leaf leaf-sha1.pem --untrusted int.pem
expect 1 SSL_ERR_CERT_KEY_TOO_SMALL "${ok[@]}" --leaf leaf-rsa1024.pem --untrusted int.pem
expect 0 "" "${ok[@]}" --leaf leaf.pem --untrusted int-pss.pem
expect 1 SSL_ERR_CERT_PATH_LEN "${ok[@]}" --leaf pl-leaf.pem --untrusted <(cat pl-int1.pem pl-int2.pem)
expect 0 "" "${ok[@]}" --leaf d-leaf.pem --untrusted <(cat d1.pem d2.pem d3.pem) --max-depth 3
expect 1 SSL_ERR_CERT_CHAIN_TOO_LONG "${ok[@]}" --leaf d-leaf.pem --untrusted <(cat d1.pem d2.pem d3.pem) --max-depth 2
expect 1 SSL_ERR_CERT_NAME_CONSTRAINTS "${ok[@]}" --leaf nc-evil.pem --untrusted nc-int.pem
expect 1 SSL_ERR_CERT_NO_SAN "${ok[@]}" --leaf leaf-cn-only.pem --untrusted int.pem --name www.example.com
expect 1 SSL_ERR_CERT_EXPIRED "${ok[@]/$now/$((now + 400 * 86400))}" --leaf leaf.pem --untrusted int.pem
expect 1 SSL_ERR_CERT_NOT_YET_VALID --cafile root.pem --time 0 --leaf leaf.pem --untrusted int.pem
expect 0 "" --cafile self.pem --leaf self.pem --time "$now" --name self.example.com
expect 0 "" --cafile root-v1.pem --leaf leaf.pem --untrusted int-v1root.pem --time "$now"
# usage errors and unreadable input: status 2
expect 2 usage --leaf leaf.pem
expect 2 usage --cafile root.pem --leaf leaf.pem --time soon
expect 2 usage --cafile root.pem --leaf leaf.pem --bogus
expect 2 "cannot use" --cafile missing.pem --leaf leaf.pem
expect 2 "cannot use" --cafile root.pem --leaf missing.pem
expect 2 "cannot use" --cafile root.pem --leaf make.sh

echo "x509verify: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
