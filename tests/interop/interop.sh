#!/usr/bin/env bash
# https_get against a real TLS 1.2 server on 127.0.0.1:
#
#   interop.sh openssl|gnutls PATH/TO/https_get
#
# For the server named (openssl s_server or gnutls-serv), one case for every AEAD suite x
# certificate key type x group that padlock supports, each downloading files of 0, 1, 16383,
# 16384, 16385 and 1048576 bytes whose SHA-256 must match; then the CBC suites x key type x
# (fewer) groups, each once with the server's encrypt-then-MAC on and once off (s_server -no_etm,
# gnutls %NO_ETM), what the server agreed to checked in its own report (below); then servers with
# extended master secret on and off, a CBC-only server with the client's default offer, one with
# ALPN, one that asks for a client certificate, --keylog checked against the server's key log
# (with --trace on), an IP-literal URL (no SNI), and two servers the client must refuse
# (untrusted CA, wrong name). With openssl also the HTTP body framings: Content-Length, chunked
# (with extensions and a trailer), and bodies cut short.
#
# Only valid combinations run: ECDHE_ECDSA suites with the P-256 and P-384 leaves, ECDHE_RSA,
# DHE_RSA and RSA suites with the RSA-2048 and RSA-4096 leaves; ECDHE suites with x25519,
# secp256r1 and secp384r1, DHE suites with ffdhe2048 and ffdhe3072 (the RFC 7919 groups; the
# server is given that group as its DH parameters). Server and client are both pinned to the one
# combination (--cipher, --group), and the server's own report of what it negotiated is checked
# where it gives one (gnutls-serv: the suite's parts, and for DHE that the client offered the
# RFC 7919 group by name). s_server is given the RFC 7919 group as -dhparam (OpenSSL 3.0 ignores
# ffdhe names in a TLS 1.2 supported_groups).
#
# CBC suites: ECDHE ones with x25519 and one NIST curve (secp256r1 for AES-128, secp384r1 for
# AES-256), RSA key exchange once per key; per suite and encrypt-then-MAC mode one combination
# downloads every size above, the others 1 and 16385 bytes. Encrypt-then-MAC is checked on the
# server's side: gnutls-serv's session report ("Options: ... EtM", and the MAC in its
# Description), s_server's -trace (every ServerHello names the suite and carries encrypt_then_mac,
# or with -no_etm none does; every ClientHello offers it).
#
# Bodies: openssl s_server -WWW serves the files from its directory as HTTP/1.0 read-until-close
# bodies (ended by close_notify); its -HTTP mode sends files that hold a whole HTTP response,
# which gives the Content-Length and chunked cases. gnutls-serv --httpdata serves one file, with
# a Content-Length, whatever the path: a gnutls server is started per file.
#
# https_get runs with -v. When its stderr has lines such as "suite: TLS_...", "group: x25519",
# "version: TLS 1.2", "alpn: http/1.1", "ems: yes" or "etm: yes" ("key: value", any case, '='),
# each one present must agree with the case; lines that are absent are not required.
#
# One line per case (PASS/FAIL, server, case, detail), then a summary. Exit 0 when every case
# passed, 1 when one failed, 77 (skipped) when the client or the server program is missing, or
# gnutls-serv cannot be confined to loopback (see lib.sh, pl_enter_netns), 2 on a usage error.
#
# Environment: PADLOCK_INTEROP_FILTER=REGEX runs only the cases whose line matches;
# PADLOCK_INTEROP_KEEP=1 keeps the work directory (PKI, logs); PADLOCK_INTEROP_NETNS=0 stays on
# the host's loopback; PADLOCK_INTEROP_ALLOW_WILDCARD=1 runs gnutls-serv there anyway (it then
# listens on all interfaces while it runs).
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

pl_interop_start interop "$HERE/interop.sh" "$@"

CLIENT_TIMEOUT=${PADLOCK_INTEROP_CLIENT_TIMEOUT:-20}   # seconds per client run; then it has hung
CLIENT_OWN_TIMEOUT=$((CLIENT_TIMEOUT > 6 ? CLIENT_TIMEOUT - 5 : 1))   # https_get --timeout
MAX_HANGS=10           # after this many hung runs the remaining cases are not run
SIZES=(0 1 16383 16384 16385 1048576)
CBC_SIZES=(1 16385)    # the CBC combinations other than the one per suite x ETM mode with SIZES
FILTER=${PADLOCK_INTEROP_FILTER:-}

PKI=$T/pki
WWW=$T/www
mkdir -p "$WWW" "$T/logs"
echo "== PKI and files (into $T)"
"$HERE/mkpki.sh" "$PKI" || { echo "FAIL mkpki.sh could not make the test PKI"; exit 1; }

declare -A SHA
for n in "${SIZES[@]}"; do
    head -c "$n" /dev/urandom >"$WWW/$n.bin"
    SHA[$n]=$(pl_sha256 "$WWW/$n.bin")
done

# --- the table -------------------------------------------------------------------------------
SUITES=(
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
    TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
    TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 TLS_DHE_RSA_WITH_AES_256_GCM_SHA384
    TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256
    TLS_RSA_WITH_AES_128_GCM_SHA256 TLS_RSA_WITH_AES_256_GCM_SHA384
)
# CBC suites (HMAC-SHA1 or HMAC-SHA256; RFC 7366 encrypt-then-MAC when the server agrees), each
# run twice: server with encrypt-then-MAC (both servers' default) and without.
CBC_SUITES=(
    TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
    TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA
    TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256
    TLS_RSA_WITH_AES_128_CBC_SHA TLS_RSA_WITH_AES_256_CBC_SHA
    TLS_RSA_WITH_AES_128_CBC_SHA256 TLS_RSA_WITH_AES_256_CBC_SHA256
)
openssl_suite() {   # IANA name -> OpenSSL's name
    case $1 in
        TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)       echo ECDHE-ECDSA-AES128-GCM-SHA256 ;;
        TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384)       echo ECDHE-ECDSA-AES256-GCM-SHA384 ;;
        TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256) echo ECDHE-ECDSA-CHACHA20-POLY1305 ;;
        TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)         echo ECDHE-RSA-AES128-GCM-SHA256 ;;
        TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)         echo ECDHE-RSA-AES256-GCM-SHA384 ;;
        TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256)   echo ECDHE-RSA-CHACHA20-POLY1305 ;;
        TLS_DHE_RSA_WITH_AES_128_GCM_SHA256)           echo DHE-RSA-AES128-GCM-SHA256 ;;
        TLS_DHE_RSA_WITH_AES_256_GCM_SHA384)           echo DHE-RSA-AES256-GCM-SHA384 ;;
        TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256)     echo DHE-RSA-CHACHA20-POLY1305 ;;
        TLS_RSA_WITH_AES_128_GCM_SHA256)               echo AES128-GCM-SHA256 ;;
        TLS_RSA_WITH_AES_256_GCM_SHA384)               echo AES256-GCM-SHA384 ;;
        TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA)          echo ECDHE-ECDSA-AES128-SHA ;;
        TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA)            echo ECDHE-RSA-AES128-SHA ;;
        TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA)          echo ECDHE-ECDSA-AES256-SHA ;;
        TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA)            echo ECDHE-RSA-AES256-SHA ;;
        TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256)         echo ECDHE-RSA-AES128-SHA256 ;;
        TLS_RSA_WITH_AES_128_CBC_SHA)                  echo AES128-SHA ;;
        TLS_RSA_WITH_AES_256_CBC_SHA)                  echo AES256-SHA ;;
        TLS_RSA_WITH_AES_128_CBC_SHA256)               echo AES128-SHA256 ;;
        TLS_RSA_WITH_AES_256_CBC_SHA256)               echo AES256-SHA256 ;;
    esac
}
suite_kx() {   # IANA name -> ecdhe_ecdsa | ecdhe_rsa | dhe_rsa | rsa
    local kx=${1#TLS_}
    kx=${kx%%_WITH_*}
    echo "${kx,,}"
}
gnutls_kx() {   # IANA name -> GnuTLS key exchange keyword (ECDHE-ECDSA, DHE-RSA, RSA, ...)
    local kx=${1#TLS_}
    kx=${kx%%_WITH_*}
    echo "${kx//_/-}"
}
gnutls_cipher() {   # IANA name -> GnuTLS cipher keyword (AES-128-GCM, CHACHA20-POLY1305, AES-128-CBC)
    local c=${1#*_WITH_}
    c=${c%_SHA*}
    echo "${c//_/-}"
}
gnutls_mac() {   # IANA name -> GnuTLS MAC keyword: SHA1 or SHA256 for CBC suites, else AEAD
    case $1 in
        *_CBC_SHA)    echo SHA1 ;;
        *_CBC_SHA256) echo SHA256 ;;
        *)            echo AEAD ;;
    esac
}
keys_for() {   # key exchange -> the leaf key types it can use
    case $1 in
        ecdhe_ecdsa) echo "p256 p384" ;;
        *)           echo "rsa2048 rsa4096" ;;
    esac
}
groups_for() {   # key exchange -> the groups it can use ("-": none)
    case $1 in
        ecdhe_*) echo "x25519 secp256r1 secp384r1" ;;
        dhe_*)   echo "ffdhe2048 ffdhe3072" ;;
        *)       echo "-" ;;
    esac
}
cbc_groups_for() {   # CBC suite's key exchange, IANA name -> its groups: fewer than for AEAD
    case $1 in
        ecdhe_*) case $2 in   # x25519 and one NIST curve, so that both curves are covered
                     *_AES_128_*) echo "x25519 secp256r1" ;;
                     *)           echo "x25519 secp384r1" ;;
                 esac ;;
        *)       echo "-" ;;
    esac
}
openssl_group() {
    case $1 in x25519) echo X25519 ;; secp256r1) echo P-256 ;; secp384r1) echo P-384 ;; esac
}
gnutls_group() {   # our group -> GnuTLS priority keyword and its name in gnutls-serv's report
    case $1 in
        x25519)    echo "GROUP-X25519 ECDHE-X25519" ;;
        secp256r1) echo "GROUP-SECP256R1 ECDHE-SECP256R1" ;;
        secp384r1) echo "GROUP-SECP384R1 ECDHE-SECP384R1" ;;
        ffdhe2048) echo "GROUP-FFDHE2048 DHE-FFDHE2048" ;;
        ffdhe3072) echo "GROUP-FFDHE3072 DHE-FFDHE3072" ;;
        -)         echo "GROUP-ALL RSA" ;;
    esac
}

# --- the bookkeeping of one case -------------------------------------------------------------
NCASE=0 NPASS=0 NFAIL=0 NFETCH=0 NHANG=0 NVCHECKED=0
CASE_NAME="" CASE_ERR="" CASE_INFO=""

case_selected() {   # NAME -> run it? (PADLOCK_INTEROP_FILTER)
    [ -z "$FILTER" ] || [[ "$SERVER $1" =~ $FILTER ]]
}
case_begin() {
    CASE_NAME=$1 CASE_ERR="" CASE_INFO=""
    NCASE=$((NCASE + 1))
}
case_fail() {   # append a reason (once; the first few are kept)
    case "; $CASE_ERR;" in *"; $*;"*) return 0 ;; esac
    if [ ${#CASE_ERR} -lt 400 ]; then CASE_ERR="${CASE_ERR:+$CASE_ERR; }$*"; fi
}
case_end() {
    if [ -z "$CASE_ERR" ]; then
        NPASS=$((NPASS + 1))
        printf 'PASS %-7s %-62s %s\n' "$SERVER" "$CASE_NAME" "$CASE_INFO"
    else
        NFAIL=$((NFAIL + 1))
        printf 'FAIL %-7s %-62s %s\n' "$SERVER" "$CASE_NAME" "$CASE_ERR"
    fi
}

# What the case expects https_get -v to report (empty: nothing to check).
EXPECT_SUITE="" EXPECT_GROUP="" EXPECT_ALPN="" EXPECT_EMS="" EXPECT_ETM=""
expect() {   # suite group alpn ems [etm]
    EXPECT_SUITE=$1 EXPECT_GROUP=$2 EXPECT_ALPN=$3 EXPECT_EMS=$4 EXPECT_ETM=${5:-}
    [ "$EXPECT_GROUP" = - ] && EXPECT_GROUP=""
}

# v_line KEY-REGEX FILE [VALUE-REGEX]: the first "key: value" line of https_get -v output for
# that key (and whose value matches VALUE-REGEX).
v_line() {
    grep -a -m1 -iE "^[[:space:]]*($1)[[:space:]]*[:=].*${3:-}" "$2" 2>/dev/null | tr -d '\r'
}

# check_v ERR-FILE: the negotiated values https_get -v printed, against the case. Tolerant of
# formats: a value is checked only when its line is there, and only for containing the name.
check_v() {
    local f=$1 l checked=0 g alts a ok
    l=$(v_line 'cipher[ _-]?suite|suite' "$f")
    if [ -n "$l" ] && [ -n "$EXPECT_SUITE" ]; then
        checked=1
        [[ ${l^^} == *"$EXPECT_SUITE"* ]] || case_fail "-v says '$l', expected $EXPECT_SUITE"
    fi
    # (only a line whose value names TLS: -v may also print the certificate's "version: 3")
    l=$(v_line '(tls[ _-]?)?version|protocol' "$f" '(tls|ssl)')
    if [ -n "$l" ]; then
        checked=1
        [[ $l == *1.2* ]] || case_fail "-v says '$l', expected TLS 1.2"
    fi
    # ("group" only, not "curve": the certificate's key may be described by its curve)
    l=$(v_line '(named[ _-]?|(key[ _-]?exchange|kx|ecdhe|dhe)[ _-]?)?group' "$f")
    if [ -n "$l" ] && [ -n "$EXPECT_GROUP" ]; then
        checked=1
        g=$EXPECT_GROUP
        case $g in
            secp256r1) alts="secp256r1 p-256 p256 prime256v1" ;;
            secp384r1) alts="secp384r1 p-384 p384" ;;
            ffdhe*)    alts="$g ${g#ffdhe}" ;;   # a server's DH parameters may be shown by size
            *)         alts=$g ;;
        esac
        ok=0
        for a in $alts; do [[ ${l,,} == *"$a"* ]] && ok=1; done
        [ $ok = 1 ] || case_fail "-v says '$l', expected $g"
    fi
    l=$(v_line 'alpn|application[ _-]?protocol' "$f")
    if [ -n "$l" ] && [ -n "$EXPECT_ALPN" ]; then
        checked=1
        [[ $l == *"$EXPECT_ALPN"* ]] || case_fail "-v says '$l', expected ALPN $EXPECT_ALPN"
    fi
    l=$(v_line 'ems|extended[ _-]?master[ _-]?secret' "$f")
    if [ -n "$l" ] && [ -n "$EXPECT_EMS" ]; then
        checked=1
        local said=on
        [[ ${l,,} =~ [:=][[:space:]]*(no|off|false|not|none|0)([^a-z]|$) ]] && said=off
        [ "$said" = "$EXPECT_EMS" ] ||
            case_fail "-v says '$l', expected extended master secret $EXPECT_EMS"
    fi
    l=$(v_line 'etm|encrypt[ _-]?then[ _-]?mac' "$f")
    if [ -n "$l" ] && [ -n "$EXPECT_ETM" ]; then
        checked=1
        local said=on
        [[ ${l,,} =~ [:=][[:space:]]*(no|off|false|not|none|0)([^a-z]|$) ]] && said=off
        [ "$said" = "$EXPECT_ETM" ] ||
            case_fail "-v says '$l', expected encrypt-then-MAC $EXPECT_ETM"
    fi
    [ $checked = 1 ] && NVCHECKED=$((NVCHECKED + 1))
    return 0
}

# run_client LABEL URL ARGS...: one https_get run against the current server, stdout and stderr
# into $T/logs/LABEL.{out,err}. Sets RC: the exit status, "hung" when it had to be killed,
# "skipped" when too many runs hung already, or a description of a crash or sanitizer report.
run_client() {
    local label=$1 url=$2
    shift 2
    OUT=$T/logs/$label.out ERR=$T/logs/$label.err
    if [ "$NHANG" -ge "$MAX_HANGS" ]; then RC=skipped; return; fi
    NFETCH=$((NFETCH + 1))
    printf '%q ' "$CLIENT" -v --timeout "$CLIENT_OWN_TIMEOUT" "$@" "$url" >"$T/logs/$label.cmd"
    timeout -k 2 "$CLIENT_TIMEOUT" "$CLIENT" -v --timeout "$CLIENT_OWN_TIMEOUT" "$@" "$url" \
        </dev/null >"$OUT" 2>"$ERR"
    RC=$?
    if [ "$RC" = 124 ] || [ "$RC" = 137 ]; then
        RC=hung
        NHANG=$((NHANG + 1))
    elif [ "$RC" -gt 128 ]; then
        RC="crashed (signal $((RC - 128)))"
    elif grep -aqE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$ERR"; then
        RC="sanitizer report: $(grep -aE -m1 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
            "$ERR" | cut -c1-120)"
    fi
}

# fetch LABEL SIZE-OR-FILE WANT-SHA [CLIENT ARGS...]: a download that must succeed with exactly
# the expected body. The URL's host is $URL_HOST (localhost unless a case changes it).
URL_HOST=localhost
fetch() {
    local label=$1 path=$2 want=$3 got size
    shift 3
    run_client "$label" "https://$URL_HOST:$PL_SERVER_PORT/$path" \
        --cafile "$PKI/ca.pem" --connect "127.0.0.1:$PL_SERVER_PORT" "$@"
    case $RC in
        0) ;;
        hung)    case_fail "$path: hung, killed after ${CLIENT_TIMEOUT}s"; return 1 ;;
        skipped) case_fail "$path: not run, $MAX_HANGS client runs hung already"; return 1 ;;
        [0-9]*)  case_fail "$path: exit $RC: $(pl_last_line "$ERR")"; return 1 ;;
        *)       case_fail "$path: $RC"; return 1 ;;
    esac
    got=$(pl_sha256 "$OUT")
    if [ "$got" != "$want" ]; then
        size=$(stat -c %s "$OUT")
        case_fail "$path: body differs (got $size bytes, sha256 ${got:0:16}...)"
        return 1
    fi
    check_v "$ERR"
    return 0
}

# refuse LABEL PATH PARTIAL-OK [CLIENT ARGS...]: a run that must fail (non-zero exit, not a hang).
# Unless PARTIAL-OK is 1, it must also print nothing on stdout.
refuse() {
    local label=$1 path=$2 partial=$3
    shift 3
    run_client "$label" "https://$URL_HOST:$PL_SERVER_PORT/$path" \
        --connect "127.0.0.1:$PL_SERVER_PORT" "$@"
    case $RC in
        0)       case_fail "accepted (exit 0), expected a refusal"; return 1 ;;
        hung)    case_fail "hung, killed after ${CLIENT_TIMEOUT}s"; return 1 ;;
        skipped) case_fail "not run, $MAX_HANGS client runs hung already"; return 1 ;;
        [0-9]*)  ;;
        *)       case_fail "$RC"; return 1 ;;   # a crash is no refusal
    esac
    if [ "$partial" != 1 ] && [ -s "$OUT" ]; then
        case_fail "refused (exit $RC) but printed $(stat -c %s "$OUT") bytes on stdout first"
        return 1
    fi
    CASE_INFO="refused as it should: exit $RC: $(pl_last_line "$ERR")"
    return 0
}

# server_log_has LOG REGEX WHAT: the server's own report must mention REGEX.
server_log_has() {
    grep -aqE -- "$2" "$1" || case_fail "server log: $3"
}
server_log_lacks() {
    if grep -aqE -- "$2" "$1"; then case_fail "server log: $3"; fi
}

# --- the servers -----------------------------------------------------------------------------
# SERVER_ENV: one VAR=value for the server's environment, or empty.
SERVER_ENV=""
openssl_start() {   # KEY MODE(-WWW|-HTTP) LOG [extra s_server args...]
    local key=$1 mode=$2 log=$3
    shift 3
    local -a cmd=(openssl s_server -accept "127.0.0.1:@PORT@" "$mode" -tls1_2
                  -cert "$PKI/$key/cert.pem" -key "$PKI/$key/key.pem")
    [ -s "$PKI/$key/chain.pem" ] && cmd+=(-cert_chain "$PKI/$key/chain.pem")
    if [ -n "${SERVER_ENV:-}" ]; then cmd=(env "$SERVER_ENV" "${cmd[@]}"); fi
    pl_server_start "$WWW" "$log" "${cmd[@]}" "$@"
}

gnutls_start() {   # KEY FILE LOG PRIORITY [extra gnutls-serv args...]
    local key=$1 file=$2 log=$3 prio=$4
    shift 4
    local -a cmd=(gnutls-serv --http --httpdata "$file" -p @PORT@ --priority "$prio"
                  --x509certfile "$PKI/$key/fullchain.pem" --x509keyfile "$PKI/$key/key.pem")
    if [ -n "${SERVER_ENV:-}" ]; then cmd=(env "$SERVER_ENV" "${cmd[@]}"); fi
    pl_server_start "$WWW" "$log" "${cmd[@]}" "$@"
}

# --- 1. every suite x key type x group ---------------------------------------------------------
# openssl_hellos TRACE IANA ETM(etm|noetm): s_server's -trace of its connections. Every
# ServerHello must name the suite; with etm every one must carry encrypt_then_mac (RFC 7366),
# with noetm none; and every ClientHello must offer it (the client offers it with CBC suites
# whatever the server does).
openssl_hellos() {
    local trace=$1 iana=$2 etm=$3 nch chetm nsh shetm badsuite
    if [ ! -s "$trace" ]; then case_fail "server: no -trace output in $trace"; return 1; fi
    read -r nch chetm nsh shetm badsuite < <(awk -v suite="$iana" '
        /^(Sent|Received) Record/                     { msg = "" }
        /^    [A-Za-z]+, Length=/                     { msg = "" }
        /^    ClientHello, Length=/                   { msg = "ch"; nch++ }
        /^    ServerHello, Length=/                   { msg = "sh"; nsh++ }
        msg == "ch" && /extension_type=encrypt_then_mac\(/ { chetm++ }
        msg == "sh" && /extension_type=encrypt_then_mac\(/ { shetm++ }
        msg == "sh" && /^      cipher_suite / && $NF != suite   { badsuite++ }
        END { print nch + 0, chetm + 0, nsh + 0, shetm + 0, badsuite + 0 }' "$trace")
    if [ "$nsh" = 0 ]; then case_fail "server: no ServerHello in its -trace"; return 1; fi
    [ "$badsuite" = 0 ] || case_fail "server: $badsuite ServerHello(s) with another suite than $iana"
    [ "$chetm" = "$nch" ] ||
        case_fail "server: $((nch - chetm)) of $nch ClientHellos did not offer encrypt_then_mac"
    if [ "$etm" = etm ]; then
        [ "$shetm" = "$nsh" ] ||
            case_fail "server: $((nsh - shetm)) of $nsh ServerHellos without encrypt_then_mac"
    else
        [ "$shetm" = 0 ] ||
            case_fail "server (-no_etm): $shetm of $nsh ServerHellos with encrypt_then_mac"
    fi
    HELLOS="$nsh ServerHello(s), encrypt_then_mac in $shetm"
}

# matrix_case IANA kx openssl-name gnutls-kx gnutls-cipher gnutls-mac key group ETM SIZE...:
# ETM is "-" for an AEAD suite, "etm" (server default: encrypt-then-MAC on) or "noetm" (server
# refuses it: s_server -no_etm, gnutls %NO_ETM) for a CBC suite.
matrix_case() {
    local iana=$1 kx=$2 osname=$3 gtkx=$4 gtcipher=$5 gtmac=$6 key=$7 group=$8 etm=$9
    shift 9
    local -a sizes=("$@")
    local name label n log ok_sizes="" gg gkw gdesc prio want etm_want="" HELLOS=""
    local -a cargs=(--cipher "$iana") sargs
    local offer=$group
    # In TLS 1.2 the client's supported_groups also names the curves it accepts for the server's
    # ECDSA key (RFC 8422 §5.1), and s_server refuses a certificate whose curve is not among
    # them: the client offers the leaf's curve too. The server, pinned to one group, still picks
    # that group for ECDHE.
    if [ "$kx" = ecdhe_ecdsa ]; then
        local curve=secp256r1
        [ "$key" = p384 ] && curve=secp384r1
        [ "$group" != "$curve" ] && offer="$group,$curve"
    fi
    [ "$group" != - ] && cargs+=(--group "$offer")
    name="$iana $key $group"
    label="${iana}_${key}_${group}"
    case $etm in
        etm)   name+=" etm";    label+=_etm;   etm_want=on ;;
        noetm) name+=" no-etm"; label+=_noetm; etm_want=off ;;
    esac
    case_selected "$name" || return 0
    case_begin "$name"
    expect "$iana" "$group" "" "" "$etm_want"
    if [ "$SERVER" = openssl ]; then
        sargs=(-quiet -cipher "$osname")
        case $group in
            ffdhe*) sargs+=(-dhparam "$PKI/$group.pem") ;;
            -)      ;;
            *)      sargs+=(-groups "$(openssl_group "$group")") ;;
        esac
        log=$T/logs/$label.server.log
        # CBC: the server's -trace shows whether its ServerHello agreed to encrypt-then-MAC
        [ "$etm" != - ] && sargs+=(-trace -msgfile "$log.trace")
        [ "$etm" = noetm ] && sargs+=(-no_etm)
        if ! openssl_start "$key" -WWW "$log" "${sargs[@]}"; then
            case_fail "$PL_SERVER_ERR"
        else
            for n in "${sizes[@]}"; do
                fetch "$label.$n" "$n.bin" "${SHA[$n]}" "${cargs[@]}" && ok_sizes+="$n "
            done
            pl_server_stop
            [ "$etm" != - ] && openssl_hellos "$log.trace" "$iana" "$etm"
        fi
    else
        gg=$(gnutls_group "$group")
        gkw=${gg% *} gdesc=${gg#* }
        prio="NONE:+VERS-TLS1.2:+$gtkx:+$gtcipher:+$gtmac:+SIGN-ALL:+COMP-NULL:+$gkw"
        [ "$etm" = noetm ] && prio+=":%NO_ETM"
        # No --dhparams: gnutls-serv then takes the DHE group from the client's supported_groups
        # (RFC 7919), and its report names it DHE-FFDHE2048/3072 only when the client offered it
        # (with --dhparams, or without an offer, it reports DHE-CUSTOM2048/3072).
        sargs=(--disable-client-cert)
        local netm=0
        for n in "${sizes[@]}"; do
            log=$T/logs/$label.$n.server.log
            if ! gnutls_start "$key" "$WWW/$n.bin" "$log" "$prio" "${sargs[@]}"; then
                case_fail "$n.bin: $PL_SERVER_ERR"
                continue
            fi
            fetch "$label.$n" "$n.bin" "${SHA[$n]}" "${cargs[@]}"
            ok=$?
            pl_server_stop
            if [ $ok = 0 ]; then
                # gnutls-serv's own account of the session
                local hint=""
                grep -aq 'Description:.*DHE-CUSTOM' "$log" &&
                    hint=" (the client's supported_groups did not name $group, RFC 7919)"
                want="Description: \(TLS1\.2-X\.509\)-\($gdesc\)-(.*-)?\($gtcipher\)"
                [ "$gtmac" != AEAD ] && want+="-\($gtmac\)"
                server_log_has "$log" "$want" \
                    "$n.bin: not TLS1.2 ($gdesc, $gtcipher${etm_want:+, $gtmac}): $(grep -a -m1 Description "$log")$hint"
                case $etm in
                    etm)   server_log_has "$log" '^- Options:.*EtM' \
                               "$n.bin: encrypt-then-MAC not negotiated ($(grep -a -m1 Options: "$log"))" &&
                               netm=$((netm + 1)) ;;
                    noetm) server_log_has "$log" '^- Options:' "$n.bin: no session report"
                           server_log_lacks "$log" '^- Options:.*EtM' \
                               "$n.bin: encrypt-then-MAC negotiated despite %NO_ETM" ;;
                esac
                ok_sizes+="$n "
            fi
        done
        [ "$etm" = etm ] && HELLOS="server: EtM in $netm sessions"
        [ "$etm" = noetm ] && HELLOS="server: no EtM"
    fi
    CASE_INFO="sizes ok: ${ok_sizes% }${HELLOS:+; $HELLOS}"
    case_end
}

echo "== $SERVER: every AEAD suite x key type x group, sizes ${SIZES[*]}"
for iana in "${SUITES[@]}"; do
    kx=$(suite_kx "$iana")
    osname=$(openssl_suite "$iana")
    gtkx=$(gnutls_kx "$iana")
    gtcipher=$(gnutls_cipher "$iana")
    for key in $(keys_for "$kx"); do
        for group in $(groups_for "$kx"); do
            matrix_case "$iana" "$kx" "$osname" "$gtkx" "$gtcipher" AEAD "$key" "$group" - \
                "${SIZES[@]}"
        done
    done
done

# CBC suites: every key type, ECDHE with x25519 and one NIST curve (cbc_groups_for), each with
# the server's encrypt-then-MAC on and off. Per suite and ETM mode one combination downloads
# every size (with ETM the first, without it the last, so both keys and both groups get one);
# the others download CBC_SIZES.
echo "== $SERVER: every CBC suite x key type x (fewer) groups x encrypt-then-MAC on/off," \
     "sizes ${SIZES[*]} once per suite and mode, else ${CBC_SIZES[*]}"
for iana in "${CBC_SUITES[@]}"; do
    kx=$(suite_kx "$iana")
    osname=$(openssl_suite "$iana")
    gtkx=$(gnutls_kx "$iana")
    gtcipher=$(gnutls_cipher "$iana")
    gtmac=$(gnutls_mac "$iana")
    combos=()
    for key in $(keys_for "$kx"); do
        for group in $(cbc_groups_for "$kx" "$iana"); do combos+=("$key $group"); done
    done
    for etm in etm noetm; do
        full=0
        [ "$etm" = noetm ] && full=$((${#combos[@]} - 1))
        for i in "${!combos[@]}"; do
            read -r key group <<<"${combos[$i]}"
            if [ "$i" = "$full" ]; then sizes=("${SIZES[@]}"); else sizes=("${CBC_SIZES[@]}"); fi
            matrix_case "$iana" "$kx" "$osname" "$gtkx" "$gtcipher" "$gtmac" "$key" "$group" \
                "$etm" "${sizes[@]}"
        done
    done
done

# --- 2. protocol features --------------------------------------------------------------------
# Each feature case uses ECDHE_RSA with an RSA-2048 leaf unless it says otherwise, and one body.
FEAT_SUITE=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
FEAT_PRIO="NONE:+VERS-TLS1.2:+ECDHE-RSA:+AES-128-GCM:+AEAD:+SIGN-ALL:+COMP-NULL:+GROUP-X25519"
FEAT_N=16385

# feature NAME KEY PARTIAL-OK/EXPECT... is spelled out per case below; these two start the server.
feat_openssl() {   # LOG [s_server args...]
    local log=$1
    shift
    openssl_start rsa2048 -WWW "$log" "$@"
}
feat_gnutls() {    # LOG PRIORITY [gnutls-serv args...]
    local log=$1 prio=$2
    shift 2
    gnutls_start rsa2048 "$WWW/$FEAT_N.bin" "$log" "$prio" "$@"
}
feat_server() {    # LOG; the per-server settings come from OS_ARGS and GT_PRIO / GT_ARGS
    if [ "$SERVER" = openssl ]; then
        feat_openssl "$1" "${OS_ARGS[@]}"
    else
        feat_gnutls "$1" "$GT_PRIO" "${GT_ARGS[@]}"
    fi || { case_fail "$PL_SERVER_ERR"; return 1; }
}

echo "== $SERVER: protocol features"

# Both sides at their defaults (TLS 1.2 only on the server): the client's own offer must
# interoperate, it must send SNI for a host name and offer extended master secret (RFC 7627).
if case_selected "defaults: client default offer, SNI and EMS offered"; then
    case_begin "defaults: client default offer, SNI and EMS offered"
    expect "" "" "" on
    log=$T/logs/defaults.server.log
    OS_ARGS=(-tlsextdebug)
    GT_PRIO="NORMAL:-VERS-ALL:+VERS-TLS1.2" GT_ARGS=(--disable-client-cert)
    if feat_server "$log"; then
        fetch defaults "$FEAT_N.bin" "${SHA[$FEAT_N]}"
        pl_server_stop
        if [ "$SERVER" = openssl ]; then
            server_log_has "$log" 'TLS client extension "server name"' "the client sent no SNI"
            server_log_has "$log" 'TLS client extension "extended master secret"' \
                "the client did not offer extended master secret"
        else
            server_log_has "$log" 'server name.*: localhost' "the client sent no SNI 'localhost'"
            server_log_has "$log" 'Options:.*extended master secret' \
                "no extended master secret negotiated"
            CASE_INFO="server: $(grep -a -m1 'Description' "$log" | sed 's/^- //')"
        fi
    fi
    case_end
fi

# A server that does not do extended master secret: the RFC 5246 master secret must be used.
if case_selected "ems-off: server without extended master secret"; then
    case_begin "ems-off: server without extended master secret"
    expect "$FEAT_SUITE" x25519 "" off
    log=$T/logs/ems-off.server.log
    printf '%s\n' "openssl_conf = oc" "[oc]" "ssl_conf = sc" "[sc]" "system_default = sd" "[sd]" \
        "Options = -ExtendedMasterSecret" >"$T/no-ems.cnf"
    OS_ARGS=(-quiet -cipher ECDHE-RSA-AES128-GCM-SHA256 -groups X25519)
    GT_PRIO="$FEAT_PRIO:%NO_SESSION_HASH" GT_ARGS=(--disable-client-cert)
    [ "$SERVER" = openssl ] && SERVER_ENV="OPENSSL_CONF=$T/no-ems.cnf"
    if feat_server "$log"; then
        fetch ems-off "$FEAT_N.bin" "${SHA[$FEAT_N]}" --cipher "$FEAT_SUITE" --group x25519
        pl_server_stop
        if [ "$SERVER" = gnutls ]; then
            server_log_has "$log" 'Options:' "no session report"
            server_log_lacks "$log" 'Options:.*extended master secret' \
                "extended master secret was negotiated anyway"
        fi
    fi
    SERVER_ENV=""
    case_end
fi

# The same pinned server with extended master secret on (the default), beside the off case.
if case_selected "ems-on: server with extended master secret"; then
    case_begin "ems-on: server with extended master secret"
    expect "$FEAT_SUITE" x25519 "" on
    log=$T/logs/ems-on.server.log
    OS_ARGS=(-tlsextdebug -cipher ECDHE-RSA-AES128-GCM-SHA256 -groups X25519)
    GT_PRIO="$FEAT_PRIO" GT_ARGS=(--disable-client-cert)
    if feat_server "$log"; then
        fetch ems-on "$FEAT_N.bin" "${SHA[$FEAT_N]}" --cipher "$FEAT_SUITE" --group x25519
        pl_server_stop
        if [ "$SERVER" = openssl ]; then
            server_log_has "$log" 'TLS client extension "extended master secret"' \
                "the client did not offer extended master secret"
        else
            server_log_has "$log" 'Options:.*extended master secret' \
                "no extended master secret negotiated"
        fi
    fi
    case_end
fi

# A server with one CBC suite only and its defaults otherwise, the client with its default offer
# (no --cipher, no --group): the default offer must include the CBC suites and encrypt-then-MAC,
# and the server must agree to it.
if case_selected "cbc-defaults: CBC-only server, client default offer, encrypt-then-MAC"; then
    case_begin "cbc-defaults: CBC-only server, client default offer, encrypt-then-MAC"
    expect TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA "" "" on on
    log=$T/logs/cbc-defaults.server.log
    OS_ARGS=(-quiet -cipher ECDHE-RSA-AES256-SHA -trace -msgfile "$log.trace")
    GT_PRIO="NONE:+VERS-TLS1.2:+ECDHE-RSA:+AES-256-CBC:+SHA1:+SIGN-ALL:+COMP-NULL:+GROUP-ALL"
    GT_ARGS=(--disable-client-cert)
    if feat_server "$log"; then
        HELLOS=""
        fetch cbc-defaults "$FEAT_N.bin" "${SHA[$FEAT_N]}"
        pl_server_stop
        if [ "$SERVER" = openssl ]; then
            openssl_hellos "$log.trace" TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA etm
            CASE_INFO="server: $HELLOS"
        else
            server_log_has "$log" 'Description: .*\(AES-256-CBC\)-\(SHA1\)' \
                "not ECDHE-RSA AES-256-CBC SHA1: $(grep -a -m1 Description "$log")"
            server_log_has "$log" '^- Options:.*EtM' \
                "encrypt-then-MAC not negotiated ($(grep -a -m1 Options: "$log"))"
            server_log_has "$log" 'Options:.*extended master secret' \
                "no extended master secret negotiated"
            CASE_INFO="server: $(grep -a -m1 'Options:' "$log" | sed 's/^- //')"
        fi
    fi
    case_end
fi

# --keylog (NSS key log format) and --trace: the client's CLIENT_RANDOM line must be the one the
# server logged for the same connection (s_server -keylogfile; gnutls honours SSLKEYLOGFILE), so
# the client logged the right master secret; --trace must not disturb the download.
if case_selected "keylog: client's key log matches the server's; --trace"; then
    case_begin "keylog: client's key log matches the server's; --trace"
    expect "$FEAT_SUITE" x25519 "" ""
    log=$T/logs/keylog.server.log
    OS_ARGS=(-quiet -cipher ECDHE-RSA-AES128-GCM-SHA256 -groups X25519
             -keylogfile "$T/server.keylog")
    GT_PRIO="$FEAT_PRIO" GT_ARGS=(--disable-client-cert)
    [ "$SERVER" = gnutls ] && SERVER_ENV="SSLKEYLOGFILE=$T/server.keylog"
    if feat_server "$log"; then
        fetch keylog "$FEAT_N.bin" "${SHA[$FEAT_N]}" --cipher "$FEAT_SUITE" --group x25519 \
            --keylog "$T/client.keylog" --trace
        pl_server_stop
        line=$(grep -a -m1 -iE '^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}$' "$T/client.keylog" \
               2>/dev/null | tr 'A-F' 'a-f')
        if [ -z "$line" ]; then
            case_fail "no 'CLIENT_RANDOM <64 hex> <96 hex>' line in the --keylog file"
        elif ! tr 'A-F' 'a-f' <"$T/server.keylog" | grep -aqxF -- "$line"; then
            case_fail "the client's key log line is not the server's (wrong master secret logged)"
        else
            CASE_INFO="CLIENT_RANDOM line matches the server's"
        fi
    fi
    SERVER_ENV=""
    case_end
fi

# ALPN: the client offers http/1.1 (--alpn), the server selects it. gnutls-serv is told to treat
# an ALPN mismatch as fatal.
if case_selected "alpn: server selects http/1.1"; then
    case_begin "alpn: server selects http/1.1"
    expect "$FEAT_SUITE" x25519 http/1.1 ""
    log=$T/logs/alpn.server.log
    OS_ARGS=(-tlsextdebug -cipher ECDHE-RSA-AES128-GCM-SHA256 -groups X25519 -alpn http/1.1)
    GT_PRIO="$FEAT_PRIO" GT_ARGS=(--disable-client-cert --alpn http/1.1 --alpn-fatal)
    if feat_server "$log"; then
        fetch alpn "$FEAT_N.bin" "${SHA[$FEAT_N]}" --cipher "$FEAT_SUITE" --group x25519 \
            --alpn http/1.1
        pl_server_stop
        if [ "$SERVER" = openssl ]; then
            server_log_has "$log" 'TLS client extension "application layer protocol negotiation"' \
                "the client sent no ALPN extension"
        else
            server_log_has "$log" 'Application protocol: http/1.1' "no ALPN http/1.1 negotiated"
        fi
    fi
    case_end
fi

# A CertificateRequest that the client cannot meet: it answers with an empty Certificate and the
# server, which does not require one, goes on (RFC 5246 §7.4.6).
if case_selected "client-cert: server asks for a certificate, does not require it"; then
    case_begin "client-cert: server asks for a certificate, does not require it"
    expect "$FEAT_SUITE" x25519 "" ""
    log=$T/logs/client-cert.server.log
    OS_ARGS=(-quiet -cipher ECDHE-RSA-AES128-GCM-SHA256 -groups X25519 -verify 1
             -CAfile "$PKI/ca.pem")
    GT_PRIO="$FEAT_PRIO" GT_ARGS=(--x509cafile "$PKI/ca.pem")
    if feat_server "$log"; then
        fetch client-cert "$FEAT_N.bin" "${SHA[$FEAT_N]}" --cipher "$FEAT_SUITE" --group x25519
        pl_server_stop
    fi
    case_end
fi

# A URL whose host is an IP literal: no SNI (RFC 6066 §3), and the name checked is the
# certificate's iPAddress SAN 127.0.0.1. Served from the P-384 leaf under the intermediate.
if case_selected "ip-literal: https://127.0.0.1/, no SNI, iPAddress SAN"; then
    case_begin "ip-literal: https://127.0.0.1/, no SNI, iPAddress SAN"
    expect "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" secp384r1 "" ""
    log=$T/logs/ip-literal.server.log
    if [ "$SERVER" = openssl ]; then
        openssl_start p384 -WWW "$log" -tlsextdebug -cipher ECDHE-ECDSA-AES256-GCM-SHA384 \
            -groups P-384
    else
        ip_prio="NONE:+VERS-TLS1.2:+ECDHE-ECDSA:+AES-256-GCM:+AEAD:+SIGN-ALL:+COMP-NULL"
        gnutls_start p384 "$WWW/$FEAT_N.bin" "$log" "$ip_prio:+GROUP-SECP384R1" \
            --disable-client-cert
    fi || case_fail "$PL_SERVER_ERR"
    if [ -n "$PL_SERVER_PID" ]; then
        URL_HOST=127.0.0.1
        fetch ip-literal "$FEAT_N.bin" "${SHA[$FEAT_N]}" \
            --cipher TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 --group secp384r1
        URL_HOST=localhost
        pl_server_stop
        if [ "$SERVER" = openssl ]; then
            server_log_lacks "$log" 'TLS client extension "server name"' \
                "the client sent SNI for an IP address"
        else
            server_log_lacks "$log" 'server name' "the client sent SNI for an IP address"
        fi
    fi
    case_end
fi

# Two servers the client must refuse, so that a client that accepts anything cannot pass.
if case_selected "refuse: certificate from a CA the client does not trust"; then
    case_begin "refuse: certificate from a CA the client does not trust"
    log=$T/logs/untrusted.server.log
    OS_ARGS=(-quiet) GT_PRIO="NORMAL:-VERS-ALL:+VERS-TLS1.2" GT_ARGS=(--disable-client-cert)
    if feat_server "$log"; then
        refuse untrusted "$FEAT_N.bin" 0 --cafile "$PKI/other-ca.pem"
        pl_server_stop
    fi
    case_end
fi
if case_selected "refuse: certificate for another name (localhost, URL wrong.example)"; then
    case_begin "refuse: certificate for another name (localhost, URL wrong.example)"
    log=$T/logs/wrong-name.server.log
    OS_ARGS=(-quiet) GT_PRIO="NORMAL:-VERS-ALL:+VERS-TLS1.2" GT_ARGS=(--disable-client-cert)
    if feat_server "$log"; then
        URL_HOST=wrong.example
        refuse wrong-name "$FEAT_N.bin" 0 --cafile "$PKI/ca.pem"
        URL_HOST=localhost
        pl_server_stop
    fi
    case_end
fi

# --- 3. HTTP body framing (openssl s_server -HTTP sends a file that is a whole response) --------
if [ "$SERVER" = openssl ]; then
    echo "== openssl: HTTP body framing"
    crlf=$'\r\n'
    # chunked BODY-FILE OUT CHUNK-SIZE HEX-FORMAT EXT TRAILER: BODY-FILE as a chunked response
    chunked() {
        local body=$1 out=$2 csz=$3 fmt=$4 ext=$5 trailer=$6 part
        local dir=$T/split.$$
        rm -rf "$dir"
        mkdir -p "$dir"
        [ -s "$body" ] && split -a 4 -b "$csz" "$body" "$dir/c."
        {
            printf 'HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n'
            printf 'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n'
            for part in "$dir"/c.*; do   # at most 1 MiB / CHUNK-SIZE pieces
                [ -e "$part" ] || continue
                # shellcheck disable=SC2059  # the format is one of two fixed ones
                printf "$fmt" "$(stat -c %s "$part")"
                printf '%s\r\n' "$ext"
                cat "$part"
                printf '\r\n'
            done
            printf '0%s\r\n%s\r\n' "$ext" "$trailer"
        } >"$out"
        rm -rf "$dir"
    }
    for n in "${SIZES[@]}"; do
        { printf 'HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n'
          printf 'Content-Length: %d\r\nConnection: close\r\n\r\n' "$n"
          cat "$WWW/$n.bin"; } >"$WWW/cl-$n.http"
        chunked "$WWW/$n.bin" "$WWW/chunked-$n.http" 4093 '%x' "" ""
    done
    chunked "$WWW/16385.bin" "$WWW/chunked-ext.http" 1000 '%X' ";name=value;flag" \
        "X-Checksum: none${crlf}"
    # bodies cut short: the server sends close_notify after them, so only the HTTP layer can
    # tell (a truncation error, DESIGN.md)
    { printf 'HTTP/1.1 200 OK\r\nContent-Length: 2000\r\nConnection: close\r\n\r\n'
      head -c 1000 "$WWW/16385.bin"; } >"$WWW/cl-short.http"
    chunked "$WWW/16385.bin" "$WWW/chunked-cut.http" 4093 '%x' "" ""
    head -c -5 "$WWW/chunked-cut.http" >"$WWW/chunked-unterminated.http"   # no "0\r\n\r\n"

    http_case() {   # NAME KIND(ok|refuse) FILE-PREFIX...
        local name=$1 kind=$2 f n ok_list=""
        shift 2
        case_selected "$name" || return 0
        case_begin "$name"
        expect "$FEAT_SUITE" x25519 "" ""
        local log=$T/logs/http-${name%%:*}.server.log
        if ! openssl_start rsa2048 -HTTP "$log" -quiet -cipher ECDHE-RSA-AES128-GCM-SHA256 \
                -groups X25519; then
            case_fail "$PL_SERVER_ERR"
        else
            for f in "$@"; do
                if [ "$kind" = ok ]; then
                    n=${f#*-}; n=${n%.http}
                    [ "$f" = chunked-ext.http ] && n=16385
                    fetch "http-$f" "$f" "${SHA[$n]}" --cipher "$FEAT_SUITE" --group x25519 &&
                        ok_list+="${f%.http} "
                else
                    refuse "http-$f" "$f" 1 --cafile "$PKI/ca.pem" --cipher "$FEAT_SUITE"
                fi
            done
            pl_server_stop
            [ "$kind" = ok ] && CASE_INFO="ok: ${ok_list% }"
        fi
        case_end
    }
    cl_files=() ch_files=()
    for n in "${SIZES[@]}"; do cl_files+=("cl-$n.http"); ch_files+=("chunked-$n.http"); done
    http_case "http: Content-Length bodies" ok "${cl_files[@]}"
    http_case "http: chunked bodies (4093-byte chunks)" ok "${ch_files[@]}"
    http_case "http: chunked with chunk extensions, upper-case hex and a trailer" ok \
        chunked-ext.http
    http_case "http: refuse Content-Length body cut short" refuse cl-short.http
    http_case "http: refuse chunked body without its last chunk" refuse chunked-unterminated.http
fi

# --- summary ---------------------------------------------------------------------------------
echo "== $SERVER summary: $NCASE cases, $NPASS passed, $NFAIL failed ($NFETCH https_get runs;" \
     "negotiated values from -v checked in $NVCHECKED)"
[ "$NHANG" -gt 0 ] && echo "   $NHANG runs hung and were killed"
[ "$NCASE" -gt 0 ] || { echo "no case matched PADLOCK_INTEROP_FILTER=$FILTER"; exit 1; }
[ "$NFAIL" -eq 0 ]
