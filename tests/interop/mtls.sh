#!/usr/bin/env bash
# Client certificates (mutual TLS) against a real TLS 1.2 server on 127.0.0.1:
#
#   mtls.sh openssl|gnutls PATH/TO/https_get
#
# The server (openssl s_server -Verify 1 -CAfile CA, or gnutls-serv --require-client-cert
# --verify-client-cert --x509cafile CA) requires a client certificate issued under the client
# test CA, tests/data/tls/client/ca.pem; https_get presents one with --cert/--key. Its own
# certificate comes from mkpki.sh, as in interop.sh. The cases:
#
#   - RSA client key: RSA-PSS (the server's default list), PKCS #1 v1.5 (the server lists only
#     PKCS #1 schemes: s_server -client_sigalgs, gnutls -SIGN-ALL:+SIGN-RSA-SHA256), and a
#     SHA-384 scheme under a suite whose PRF hash is SHA-256 (the transcript hash is the
#     scheme's, not the PRF's);
#   - EC client keys: P-256 and P-384, the latter under a SHA-384 suite; with static RSA and
#     DHE key exchanges too (openssl);
#   - refusals: a server that trusts a different client CA (it names that CA in its request, so
#     the chain does not fit, an empty Certificate goes and the server refuses), and a client
#     without a certificate. https_get must exit 1 there.
#
# Each accepted case is checked on both sides: the body arrives whole; https_get -v says
# "client-cert: sent" and its --trace names the CertificateVerify scheme expected; the server
# received and verified the chain — s_server's verify callback reports depth 0 (our leaf's
# subject) with "verify return:1" and its -trace shows the CertificateVerify with that scheme;
# gnutls-serv says "The certificate is trusted", shows our leaf's subject in its certificate
# list and the "Client Signature" it checked.
#
# One line per case (PASS/FAIL, server, case, detail), then a summary. Exit 0 when every case
# passed, 1 when one failed, 77 (skipped) when the client or the server program is missing or
# gnutls-serv cannot be confined to loopback (lib.sh, pl_enter_netns), 2 on a usage error.
# Environment: PADLOCK_INTEROP_FILTER=REGEX, PADLOCK_INTEROP_KEEP=1, PADLOCK_INTEROP_NETNS=0 as
# for interop.sh.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

pl_interop_start mtls "$HERE/mtls.sh" "$@"
CPKI=$HERE/../data/tls/client

CLIENT_TIMEOUT=${PADLOCK_INTEROP_CLIENT_TIMEOUT:-20}
CLIENT_OWN_TIMEOUT=$((CLIENT_TIMEOUT > 6 ? CLIENT_TIMEOUT - 5 : 1))
FILTER=${PADLOCK_INTEROP_FILTER:-}

PKI=$T/pki
WWW=$T/www
mkdir -p "$WWW" "$T/logs"
echo "== PKI and files (into $T)"
"$HERE/mkpki.sh" "$PKI" || { echo "FAIL mkpki.sh could not make the test PKI"; exit 1; }
for f in ca.pem other-ca.pem rsa-chain.pem rsa.key ec-chain.pem ec.key ec384-chain.pem ec384.key; do
    [ -s "$CPKI/$f" ] || { echo "FAIL missing client fixture $CPKI/$f"; exit 1; }
done
FILE=16385.bin
head -c 16385 /dev/urandom >"$WWW/$FILE"
WANT_SHA=$(pl_sha256 "$WWW/$FILE")

# --- bookkeeping (as interop.sh) ------------------------------------------------------------
NCASE=0 NPASS=0 NFAIL=0
CASE_NAME="" CASE_ERR="" CASE_INFO=""
case_selected() { [ -z "$FILTER" ] || [[ "$SERVER $1" =~ $FILTER ]]; }
case_begin() { CASE_NAME=$1 CASE_ERR="" CASE_INFO=""; NCASE=$((NCASE + 1)); }
case_fail() {
    case "; $CASE_ERR;" in *"; $*;"*) return 0 ;; esac
    if [ ${#CASE_ERR} -lt 400 ]; then CASE_ERR="${CASE_ERR:+$CASE_ERR; }$*"; fi
}
case_end() {
    if [ -z "$CASE_ERR" ]; then
        NPASS=$((NPASS + 1))
        printf 'PASS %-7s %-58s %s\n' "$SERVER" "$CASE_NAME" "$CASE_INFO"
    else
        NFAIL=$((NFAIL + 1))
        printf 'FAIL %-7s %-58s %s\n' "$SERVER" "$CASE_NAME" "$CASE_ERR"
    fi
}
has() {   # FILE REGEX WHAT: FILE must mention REGEX
    grep -aqE -- "$2" "$1" 2>/dev/null || case_fail "$3"
}

# run_client LABEL ARGS...: one https_get -v --trace run; RC is its exit status ("hung" when it
# had to be killed, or a crash / sanitizer report).
run_client() {
    local label=$1
    shift
    OUT=$T/logs/$label.out ERR=$T/logs/$label.err
    printf '%q ' "$CLIENT" -v --trace --timeout "$CLIENT_OWN_TIMEOUT" "$@" >"$T/logs/$label.cmd"
    timeout -k 2 "$CLIENT_TIMEOUT" "$CLIENT" -v --trace --timeout "$CLIENT_OWN_TIMEOUT" "$@" \
        "https://localhost:$PL_SERVER_PORT/$FILE" </dev/null >"$OUT" 2>"$ERR"
    RC=$?
    if [ "$RC" = 124 ] || [ "$RC" = 137 ]; then
        RC=hung
    elif [ "$RC" -gt 128 ]; then
        RC="crashed (signal $((RC - 128)))"
    elif grep -aqE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$ERR"; then
        RC="sanitizer report: $(grep -aE -m1 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
            "$ERR" | cut -c1-120)"
    fi
}

client_args() {   # KIND(rsa|ec|ec384|none) SUITE [GROUP] -> CARGS
    CARGS=(--cafile "$PKI/ca.pem" --connect "127.0.0.1:$PL_SERVER_PORT" --cipher "$2")
    [ -n "${3:-}" ] && CARGS+=(--group "$3")
    [ "$1" != none ] && CARGS+=(--cert "$CPKI/$1-chain.pem" --key "$CPKI/$1.key")
    return 0
}

leaf_cn() {   # KIND -> the client leaf's common name
    case $1 in
        rsa) echo "Padlock Test Client RSA" ;;
        ec) echo "Padlock Test Client EC P-256" ;;
        ec384) echo "Padlock Test Client EC P-384" ;;
    esac
}

# accepted LABEL KIND SUITE GROUP WANT: the client's side of a case that must succeed with
# its certificate sent and CertificateVerify signed with WANT (padlock's scheme name).
accepted() {
    local label=$1 kind=$2 suite=$3 group=$4 want=$5 got
    client_args "$kind" "$suite" "$group"
    run_client "$label" "${CARGS[@]}"
    case $RC in
        0) ;;
        hung) case_fail "client hung, killed after ${CLIENT_TIMEOUT}s"; return 1 ;;
        [0-9]*) case_fail "client exit $RC: $(pl_last_line "$ERR")"; return 1 ;;
        *) case_fail "client $RC"; return 1 ;;
    esac
    got=$(pl_sha256 "$OUT")
    [ "$got" = "$WANT_SHA" ] || case_fail "body differs (got $(stat -c %s "$OUT") bytes)"
    has "$ERR" '^client-cert: sent$' "-v does not say client-cert: sent ($(grep -a -m1 \
        '^client-cert' "$ERR"))"
    has "$ERR" "CertificateVerify signed with $want" \
        "the client's trace does not say CertificateVerify signed with $want"
    has "$ERR" "--- [0-9]+\. CertificateVerify -" "the client's trace shows no CertificateVerify"
    return 0
}

# refused LABEL KIND SUITE: a case the server must refuse: https_get exits 1 (a TLS failure),
# printing no body.
refused() {
    local label=$1 kind=$2 suite=$3
    client_args "$kind" "$suite" ""
    run_client "$label" "${CARGS[@]}"
    case $RC in
        1) ;;
        0) case_fail "accepted (exit 0), expected a refusal"; return 1 ;;
        hung) case_fail "client hung, killed after ${CLIENT_TIMEOUT}s"; return 1 ;;
        [0-9]*) case_fail "exit $RC (expected 1, a TLS failure): $(pl_last_line "$ERR")"
                return 1 ;;
        *) case_fail "client $RC"; return 1 ;;
    esac
    [ -s "$OUT" ] && case_fail "refused but printed $(stat -c %s "$OUT") bytes on stdout"
    has "$ERR" '^client-cert: requested-not-sent$' \
        "-v does not say client-cert: requested-not-sent ($(grep -a -m1 '^client-cert' "$ERR"))"
    CASE_INFO="refused: $(pl_last_line "$ERR")"
    return 0
}

# wait_exit: give the server (which ends itself after its one connection) up to 5 s to exit.
wait_exit() {
    local i
    for ((i = 0; i < 250; i++)); do
        kill -0 "$PL_SERVER_PID" 2>/dev/null || return 0
        sleep 0.02
    done
}

openssl_suite() {
    case $1 in
        TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)   echo ECDHE-RSA-AES128-GCM-SHA256 ;;
        TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)   echo ECDHE-RSA-AES256-GCM-SHA384 ;;
        TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256) echo ECDHE-ECDSA-AES128-GCM-SHA256 ;;
        TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384) echo ECDHE-ECDSA-AES256-GCM-SHA384 ;;
        TLS_DHE_RSA_WITH_AES_256_GCM_SHA384)     echo DHE-RSA-AES256-GCM-SHA384 ;;
        TLS_RSA_WITH_AES_128_GCM_SHA256)         echo AES128-GCM-SHA256 ;;
    esac
}

# --- openssl s_server -Verify 1 ---------------------------------------------------------------
# os_case NAME SERVER-KEY SUITE GROUP CLIENT-KIND WANT-SCHEME [s_server args...]
os_case() {
    local name=$1 skey=$2 suite=$3 group=$4 kind=$5 want=$6 label log
    shift 6
    case_selected "$name" || return 0
    case_begin "$name"
    label=$(echo "$name" | tr -c 'A-Za-z0-9_\n-' _)
    log=$T/logs/$label.server.log
    local -a cmd=(openssl s_server -accept "127.0.0.1:@PORT@" -WWW -tls1_2
                  -cert "$PKI/$skey/cert.pem" -key "$PKI/$skey/key.pem"
                  -Verify 1 -CAfile "$CPKI/ca.pem" -cipher "$(openssl_suite "$suite")"
                  -naccept 1 -trace -msgfile "$log.trace")
    [ -s "$PKI/$skey/chain.pem" ] && cmd+=(-cert_chain "$PKI/$skey/chain.pem")
    if ! pl_server_start "$WWW" "$log" "${cmd[@]}" "$@"; then
        case_fail "$PL_SERVER_ERR"
        case_end
        return
    fi
    accepted "$label" "$kind" "$suite" "$group" "$want"
    wait_exit       # -naccept 1: it exits by itself, and only then is its -msgfile complete
    pl_server_stop
    # the server's verify callback: our leaf at depth 0, accepted; nothing refused
    has "$log" "^depth=0 CN = $(leaf_cn "$kind")\$" "server: no depth=0 $(leaf_cn "$kind")"
    if ! grep -aA1 "^depth=0 CN = $(leaf_cn "$kind")" "$log" | grep -aq '^verify return:1$'; then
        case_fail "server: the client certificate did not verify"
    fi
    if grep -aqiE 'verify error|peer did not return' "$log"; then
        case_fail "server: $(grep -aiE -m1 'verify error|peer did not return' "$log")"
    fi
    # its -trace: the CertificateVerify it received names the scheme
    local seen
    seen=$(awk '/^    CertificateVerify, Length=/ { cv = 1; next }
                cv && /Signature Algorithm:/ { print $3; exit }' "$log.trace")
    [ "$seen" = "$want" ] ||
        case_fail "server: CertificateVerify scheme '${seen:-none}', expected $want"
    [ -z "$CASE_ERR" ] && CASE_INFO="server verified $(leaf_cn "$kind"), CertificateVerify $seen"
    case_end
}

os_refuse() {   # NAME CA-FILE CLIENT-KIND
    local name=$1 ca=$2 kind=$3 label log
    case_selected "$name" || return 0
    case_begin "$name"
    label=$(echo "$name" | tr -c 'A-Za-z0-9_\n-' _)
    log=$T/logs/$label.server.log
    if ! pl_server_start "$WWW" "$log" openssl s_server -accept "127.0.0.1:@PORT@" -WWW -tls1_2 \
            -cert "$PKI/rsa2048/cert.pem" -key "$PKI/rsa2048/key.pem" -Verify 1 -CAfile "$ca"; then
        case_fail "$PL_SERVER_ERR"
        case_end
        return
    fi
    refused "$label" "$kind" TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    pl_server_stop
    has "$log" 'peer did not return a certificate' \
        "server: no 'peer did not return a certificate' in its log"
    case_end
}

# --- gnutls-serv --require-client-cert --------------------------------------------------------
GT_BASE="NONE:+VERS-TLS1.2:+COMP-NULL:+GROUP-ALL:+AEAD:+AES-128-GCM:+AES-256-GCM"

# gt_case NAME SERVER-KEY SUITE CLIENT-KIND WANT-SCHEME GNUTLS-SCHEME-REGEX PRIORITY-TAIL
gt_case() {
    local name=$1 skey=$2 suite=$3 kind=$4 want=$5 gwant=$6 tail=$7 label log
    case_selected "$name" || return 0
    case_begin "$name"
    label=$(echo "$name" | tr -c 'A-Za-z0-9_\n-' _)
    log=$T/logs/$label.server.log
    if ! pl_server_start "$WWW" "$log" gnutls-serv --http --httpdata "$WWW/$FILE" -p @PORT@ \
            --priority "$GT_BASE:$tail" --x509certfile "$PKI/$skey/fullchain.pem" \
            --x509keyfile "$PKI/$skey/key.pem" --require-client-cert --verify-client-cert \
            --x509cafile "$CPKI/ca.pem"; then
        case_fail "$PL_SERVER_ERR"
        case_end
        return
    fi
    accepted "$label" "$kind" "$suite" "" "$want"
    pl_server_stop
    has "$log" 'Status: The certificate is trusted' \
        "server: the client certificate is not trusted ($(grep -a -m1 'Status:' "$log"))"
    has "$log" 'Got a certificate list of 2 certificates' "server: no 2-certificate client chain"
    has "$log" "Subject: CN=$(leaf_cn "$kind")\$" "server: no subject CN=$(leaf_cn "$kind")"
    has "$log" "^- Client Signature: ($gwant)\$" \
        "server: client signature '$(grep -a -m1 'Client Signature' "$log")', expected $gwant"
    [ -z "$CASE_ERR" ] &&
        CASE_INFO="server trusted $(leaf_cn "$kind"), $(grep -a -m1 'Client Signature' "$log" |
            sed 's/^- //')"
    case_end
}

gt_refuse() {   # NAME CA-FILE CLIENT-KIND
    local name=$1 ca=$2 kind=$3 label log
    case_selected "$name" || return 0
    case_begin "$name"
    label=$(echo "$name" | tr -c 'A-Za-z0-9_\n-' _)
    log=$T/logs/$label.server.log
    if ! pl_server_start "$WWW" "$log" gnutls-serv --http --httpdata "$WWW/$FILE" -p @PORT@ \
            --priority "$GT_BASE:+ECDHE-RSA:+SIGN-ALL" \
            --x509certfile "$PKI/rsa2048/fullchain.pem" --x509keyfile "$PKI/rsa2048/key.pem" \
            --require-client-cert --verify-client-cert --x509cafile "$ca"; then
        case_fail "$PL_SERVER_ERR"
        case_end
        return
    fi
    refused "$label" "$kind" TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    pl_server_stop
    has "$log" 'No certificate was found' "server: no 'No certificate was found' in its log"
    case_end
}

echo "== $SERVER: client certificates"
if [ "$SERVER" = openssl ]; then
    os_case "rsa: PSS (server's default list)" rsa2048 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 \
        x25519 rsa rsa_pss_rsae_sha256
    os_case "rsa: PKCS#1 only listed" rsa2048 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 \
        x25519 rsa rsa_pkcs1_sha256 -client_sigalgs rsa_pkcs1_sha256:ecdsa_secp256r1_sha256
    os_case "rsa: PKCS#1 SHA-384 under a SHA-256 PRF" rsa2048 \
        TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 x25519 rsa rsa_pkcs1_sha384 \
        -client_sigalgs rsa_pkcs1_sha384
    os_case "rsa: PSS SHA-384 under a SHA-384 suite" rsa2048 \
        TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 secp384r1 rsa rsa_pss_rsae_sha384 \
        -client_sigalgs rsa_pss_rsae_sha384:rsa_pkcs1_sha256 -groups P-384
    os_case "ec p256: ECDSA SHA-256" p256 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 \
        x25519,secp256r1 ec ecdsa_secp256r1_sha256
    os_case "ec p384: ECDSA SHA-384 under a SHA-384 suite" p384 \
        TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 secp384r1 ec384 ecdsa_secp384r1_sha384 \
        -groups P-384
    os_case "ec p256 with RSA key exchange" rsa2048 TLS_RSA_WITH_AES_128_GCM_SHA256 "" \
        ec ecdsa_secp256r1_sha256
    # (OpenSSL refuses an EC client certificate on a curve the client's supported_groups does
    # not list: with DHE the client offers the certificate's curve beside the DH group)
    os_case "ec p384 with DHE, only ECDSA SHA-256 listed" rsa2048 \
        TLS_DHE_RSA_WITH_AES_256_GCM_SHA384 ffdhe2048,secp384r1 ec384 ecdsa_secp256r1_sha256 \
        -dhparam "$PKI/ffdhe2048.pem" -client_sigalgs ecdsa_secp256r1_sha256:rsa_pss_rsae_sha256
    os_refuse "refuse: server trusts another client CA" "$CPKI/other-ca.pem" rsa
    os_refuse "refuse: no client certificate configured" "$CPKI/ca.pem" none
else
    gt_case "rsa: PSS" rsa2048 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 rsa rsa_pss_rsae_sha256 \
        'RSA-PSS-RSAE-SHA256' "+ECDHE-RSA:+SIGN-ALL"
    gt_case "rsa: PKCS#1 only allowed" rsa2048 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 rsa \
        rsa_pkcs1_sha256 'RSA-SHA256' "+ECDHE-RSA:+SIGN-RSA-SHA256:+SIGN-ECDSA-SHA256"
    gt_case "rsa: PKCS#1 SHA-384 under a SHA-256 PRF" rsa2048 \
        TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 rsa rsa_pkcs1_sha384 'RSA-SHA384' \
        "+ECDHE-RSA:+SIGN-RSA-SHA384"
    gt_case "ec p256: ECDSA SHA-256" p256 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 ec \
        ecdsa_secp256r1_sha256 'ECDSA-(SECP256R1-)?SHA256' "+ECDHE-ECDSA:+SIGN-ALL"
    gt_case "ec p384: ECDSA SHA-384 under a SHA-384 suite" p384 \
        TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 ec384 ecdsa_secp384r1_sha384 \
        'ECDSA-(SECP384R1-)?SHA384' "+ECDHE-ECDSA:+SIGN-ALL"
    gt_refuse "refuse: server trusts another client CA" "$CPKI/other-ca.pem" rsa
    gt_refuse "refuse: no client certificate configured" "$CPKI/ca.pem" none
fi

echo "== $SERVER mtls summary: $NCASE cases, $NPASS passed, $NFAIL failed"
[ "$NCASE" -gt 0 ] || { echo "no case matched PADLOCK_INTEROP_FILTER=$FILTER"; exit 1; }
[ "$NFAIL" -eq 0 ]
