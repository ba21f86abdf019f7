#!/usr/bin/env bash
# Session resumption against a real server on 127.0.0.1:
#
#   resume.sh openssl|gnutls PATH/TO/https_get
#
# For a handful of suites (ECDHE with RSA and ECDSA keys, AEAD and CBC with encrypt-then-MAC,
# DHE, RSA key exchange), each twice: the server issuing RFC 5077 tickets (both servers'
# default) and with tickets off (s_server -no_ticket, gnutls-serv --noticket), so the session ID
# carries the resumption. A first https_get saves the session (--sess-out), a second and a third
# resume it (--sess-in); each must fetch the right body, say "resumed: yes" in its -v output and
# name the way it offered the session in its trace (a ticket, or the session ID), and the server
# must agree it resumed: s_server -www's page says "Reused" instead of "New", gnutls-serv's log
# says "This is a resumed session" once per resumed connection.
#
# Then the sessions that must not be resumed: after the server restarted (it forgot the
# session: a full handshake, still a success), for another server name (the URL's host an IP
# literal instead of "localhost"), with the session's suite no longer offered, a damaged session
# file and a file that is no session at all (both refused with the error named, then a full
# handshake).
#
# Certificates: the fixtures of tests/data/tls (root, intermediate, RSA and EC P-256 leaves for
# localhost and 127.0.0.1, valid 2024-2049). One line per case, then a summary; exit 0 when all
# passed, 1 when one failed, 77 when the client or server is missing or gnutls-serv cannot be
# confined to loopback, 2 on a usage error. PADLOCK_INTEROP_KEEP=1 keeps the work directory.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

pl_interop_start resume "$HERE/resume.sh" "$@"

DATA=$HERE/../data/tls
CLIENT_TIMEOUT=20
mkdir -p "$T/www"
cat "$DATA/leaf-rsa.pem" "$DATA/int.pem" >"$T/rsa-chain.pem"
cat "$DATA/leaf-ec.pem" "$DATA/int.pem" >"$T/ec-chain.pem"
head -c 20000 /dev/urandom >"$T/www/body.bin"     # gnutls-serv --httpdata serves it
WANT=$(pl_sha256 "$T/www/body.bin")

NPASS=0 NFAIL=0 NCASE=0
case_begin() { CASE_NAME=$1 CASE_ERR="" CASE_INFO=""; NCASE=$((NCASE + 1)); }
case_fail() {
    if [ ${#CASE_ERR} -lt 400 ]; then CASE_ERR="${CASE_ERR:+$CASE_ERR; }$*"; fi
}
case_end() {
    if [ -z "$CASE_ERR" ]; then
        NPASS=$((NPASS + 1)); printf 'PASS %-7s %-58s %s\n' "$SERVER" "$CASE_NAME" "$CASE_INFO"
    else
        NFAIL=$((NFAIL + 1)); printf 'FAIL %-7s %-58s %s\n' "$SERVER" "$CASE_NAME" "$CASE_ERR"
    fi
}

# start KEY(rsa|ec) TICKETS(1|0) [extra server args...]
start() {
    local key=$1 tickets=$2
    shift 2
    local keyfile=$DATA/server-$key.pem
    LOG=$T/logs/server.$NCASE.log
    if [ "$SERVER" = openssl ]; then
        local -a cmd=(openssl s_server -accept "127.0.0.1:@PORT@" -www -tls1_2
                      -cert "$DATA/leaf-$key.pem" -cert_chain "$DATA/int.pem" -key "$keyfile"
                      -dhparam "$T/ffdhe2048.pem")
        [ "$tickets" = 0 ] && cmd+=(-no_ticket)
    else
        local -a cmd=(gnutls-serv --http --httpdata "$T/www/body.bin" -p @PORT@
                      --disable-client-cert --x509certfile "$T/$key-chain.pem"
                      --x509keyfile "$keyfile")
        [ "$tickets" = 0 ] && cmd+=(--noticket)
    fi
    pl_server_start "$T/www" "$LOG" "${cmd[@]}" "$@" || { case_fail "$PL_SERVER_ERR"; return 1; }
}

# get LABEL HOST [https_get args...]: one fetch of the body, -v and --trace on; RC, ERR, OUT.
get() {
    local label=$1 host=$2
    shift 2
    OUT=$T/logs/$NCASE.$label.out ERR=$T/logs/$NCASE.$label.err
    local path=body.bin
    [ "$SERVER" = gnutls ] && path=
    timeout -k 2 "$CLIENT_TIMEOUT" "$CLIENT" -v --trace --timeout 10 --cafile "$DATA/root.pem" \
        --connect "127.0.0.1:$PL_SERVER_PORT" "$@" "https://$host:$PL_SERVER_PORT/$path" \
        </dev/null >"$OUT" 2>"$ERR"
    RC=$?
    if [ "$RC" != 0 ]; then
        case_fail "$label: exit $RC: $(pl_last_line "$ERR")"
        return 1
    fi
    if grep -aqE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$ERR"; then
        case_fail "$label: sanitizer report"
    fi
    # s_server -www answers with its status page, not the file: check the body only for gnutls
    if [ "$SERVER" = gnutls ] && [ "$(pl_sha256 "$OUT")" != "$WANT" ]; then
        case_fail "$label: body differs"
    fi
    return 0
}

resumed_is() {   # LABEL yes|no: https_get's own report, and the server's
    local label=$1 want=$2
    grep -aq "^resumed: $want" "$ERR" || case_fail "$label: https_get says $(grep -a '^resumed:' "$ERR")"
    if [ "$SERVER" = openssl ]; then
        local word=New
        [ "$want" = yes ] && word=Reused
        # ("TLSv1.0" for the CBC-SHA suites: s_server names the suite's first version there)
        grep -aq "^$word, TLSv1" "$OUT" || case_fail "$label: s_server's page lacks \"$word\""
    fi
    if [ "$want" = yes ] && ! grep -aq "ABBREVIATED handshake" "$ERR"; then
        case_fail "$label: the trace does not show the abbreviated handshake"
    fi
}

server_resumed_count() {   # gnutls: resumed connections in the server's log
    grep -ac 'This is a resumed session' "$LOG"
}

openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out "$T/ffdhe2048.pem" \
    2>/dev/null || openssl dhparam -out "$T/ffdhe2048.pem" 2048 2>/dev/null

# --- resumption, by ticket and by session ID -----------------------------------------------------
ROWS=(
    "rsa TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
    "ec  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"
    "rsa TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"
    "rsa TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"
    "rsa TLS_RSA_WITH_AES_256_GCM_SHA384"
)
for row in "${ROWS[@]}"; do
    read -r key suite <<<"$row"
    for tickets in 1 0; do
        how=ticket
        [ "$tickets" = 0 ] && how="session ID"
        case_begin "$suite by $how"
        sess=$T/sess.$NCASE
        if start "$key" "$tickets"; then
            if get first localhost --cipher "$suite" --sess-out "$sess"; then
                resumed_is first no
                [ -s "$sess" ] || case_fail "no session saved"
                [ "$(stat -c %a "$sess")" = 600 ] || case_fail "session file not mode 600"
                for n in second third; do
                    get "$n" localhost --cipher "$suite" --sess-in "$sess" --sess-out "$sess" || break
                    resumed_is "$n" yes
                    grep -aq "^suite: $suite" "$ERR" || case_fail "$n: another suite"
                    if [ "$tickets" = 1 ]; then
                        grep -aq 'offering the saved session by its ticket' "$ERR" ||
                            case_fail "$n: the session was not offered by its ticket"
                    else
                        grep -aq 'offering the saved session by its session ID' "$ERR" ||
                            case_fail "$n: the session was not offered by its session ID"
                    fi
                done
                if [ "$SERVER" = gnutls ]; then
                    [ "$(server_resumed_count)" = 2 ] ||
                        case_fail "gnutls-serv reports $(server_resumed_count) resumed connections, not 2"
                fi
                CASE_INFO="full, then 2 resumed ($(stat -c %s "$sess")-byte session file)"
            fi
            pl_server_stop
        fi
        case_end
    done
done

# --- sessions that must not be resumed ---------------------------------------------------------
case_begin "after a server restart: full handshake"
sess=$T/sess.restart
if start rsa 1 && get first localhost --sess-out "$sess"; then
    pl_server_stop
    if start rsa 1 && get second localhost --sess-in "$sess"; then
        resumed_is second no
        grep -aq 'the server declined the session: full handshake' "$ERR" ||
            case_fail "the trace does not say the offer was declined"
        CASE_INFO="offered, declined, full handshake"
    fi
fi
pl_server_stop
case_end

# no_resume LABEL WHY-REGEX FIRST-ARGS -- SECOND-HOST SECOND-ARGS: the second run's session is
# not offered (or refused) for WHY, the handshake is full, the fetch succeeds.
no_resume() {
    local name=$1 why=$2 host=$3
    shift 3
    case_begin "$name"
    local sess=$T/sess.$NCASE
    if start rsa 1 && get first localhost --sess-out "$sess"; then
        [ -n "${MANGLE:-}" ] && eval "$MANGLE"
        if get second "$host" --sess-in "$sess" "$@"; then
            resumed_is second no
            grep -aqE -- "$why" "$ERR" || case_fail "no \"$why\" in the output"
            CASE_INFO=$(grep -aE -m1 -- "^session: |refused: " "$ERR" | sed 's/.*refused: //' |
                        cut -c1-90)
        fi
    fi
    pl_server_stop
    case_end
}
MANGLE=""
no_resume "another server name: not offered" "different server name" 127.0.0.1
no_resume "suite no longer enabled: not offered" "suite is not enabled" localhost \
    --cipher TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
# shellcheck disable=SC2016  # expanded by eval inside no_resume
MANGLE='printf "\\x55" | dd of="$sess" bs=1 seek=60 conv=notrunc 2>/dev/null'
no_resume "damaged session file: refused by name" "SSL_ERR_SESSION_CHECKSUM" localhost
# shellcheck disable=SC2016
MANGLE='head -c 300 /dev/urandom >"$sess"'
no_resume "not a session file: refused by name" "SSL_ERR_SESSION_NOT_A_SESSION" localhost
MANGLE=""

echo "== $SERVER: $NPASS of $NCASE cases passed"
[ "$NFAIL" = 0 ]
