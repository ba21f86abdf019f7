#!/usr/bin/env bash
# examples/https_multi against one openssl s_server on 127.0.0.1:
#
#   multi_test.sh PATH/TO/https_multi
#
# Makes a CA and a localhost / 127.0.0.1 leaf (ECDSA P-256) with the openssl command line, and 20
# files of random bytes whose sizes sit on the edges of TLS records and buffers (0, 1, 16383,
# 16384, 16385 ... 1 MiB + 1). One `openssl s_server -WWW -tls1_2` serves them as HTTP/1.0
# read-until-close bodies, each ended by close_notify. It handles one connection at a time: the
# client's 200 connections are all open at once and wait their turn, which is what this test
# wants (many connections in every stage of the handshake and the response at the same time).
#
# Case 1: https_multi fetches 200 URLs (each file 10 times) with --connect 127.0.0.1:PORT and
# --out DIR. It must exit 0 with 200 lines "I OK BYTES", each I once, and DIR/I.body must have
# the size and SHA-256 of its file. The time it took is printed.
# Case 2: one URL whose port has no server and one good URL (by its host name, so it also takes
# the address fallback when localhost resolves to ::1 first): exit 1, one FAIL and one OK line.
#
# Exit 0 when both cases pass, 1 when one fails, 77 (skipped) when openssl, timeout or sha256sum
# is missing, 2 on a usage error. Every wait is bounded (`timeout`, the server's lifetime), and
# the server is stopped by its PID on every exit. Runs in a private network namespace when it
# can (see ../interop/lib.sh). PADLOCK_MULTI_KEEP=1 keeps the work directory.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../interop/lib.sh
. "$HERE/../interop/lib.sh"

if [ $# -ne 1 ]; then
    echo "usage: $0 PATH/TO/https_multi" >&2
    exit 2
fi
CLIENT=$1
case $CLIENT in /*) ;; *) CLIENT=$PWD/$CLIENT ;; esac
if [ ! -x "$CLIENT" ]; then
    echo "multi: SKIP: no client program at $CLIENT" >&2
    exit 77
fi
for tool in openssl timeout sha256sum; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "multi: SKIP: $tool is not installed" >&2
        exit 77
    fi
done

pl_enter_netns "$0" "$CLIENT"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/padlock-multi.XXXXXX") || exit 1
# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
    pl_server_stop
    if [ "${PADLOCK_MULTI_KEEP:-0}" = 1 ]; then
        echo "multi: work directory kept: $WORK" >&2
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
    echo "multi: FAIL: $*"
    exit 1
}

# ---- PKI: root CA and a leaf for localhost and 127.0.0.1 -------------------------------------
mkdir -p "$WORK/pki"
(
    cd "$WORK/pki" || exit 1
    cat >ext.cnf <<'CNF'
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
    set -e
    {
        timeout 60 openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key
        timeout 60 openssl req -x509 -new -key ca.key -subj "/CN=padlock multi test CA" \
            -days 30 -sha256 -extensions ca -config ext.cnf -out ca.pem
        timeout 60 openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out leaf.key
        timeout 60 openssl req -new -key leaf.key -subj "/CN=localhost" -out leaf.csr
        timeout 60 openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
            -days 30 -sha256 -extfile ext.cnf -extensions leaf -out leaf.pem
        timeout 60 openssl verify -CAfile ca.pem -purpose sslserver -verify_hostname localhost \
            leaf.pem
    } >openssl.log 2>&1
) || { tail -5 "$WORK/pki/openssl.log"; fail "could not make the certificates"; }

# ---- the files --------------------------------------------------------------------------------
SIZES=(0 1 2 100 1000 4096 16383 16384 16385 16400 32768 65535 65536 65537 100000 131072
       262144 500000 1048576 1048577)
mkdir -p "$WORK/www"
for size in "${SIZES[@]}"; do
    head -c "$size" /dev/urandom >"$WORK/www/f$size.bin"
done

# ---- the server -------------------------------------------------------------------------------
if ! pl_server_start "$WORK/www" "$WORK/server.log" \
        openssl s_server -WWW -tls1_2 -quiet -accept "127.0.0.1:@PORT@" \
        -cert "$WORK/pki/leaf.pem" -key "$WORK/pki/leaf.key"; then
    fail "openssl s_server: $PL_SERVER_ERR"
fi
PORT=$PL_SERVER_PORT

# ---- case 1: 200 URLs at once -----------------------------------------------------------------
ROUNDS=10
: >"$WORK/urls.txt"
: >"$WORK/expect.txt"           # line I+1: the file URL I names
for ((r = 0; r < ROUNDS; r++)); do
    for size in "${SIZES[@]}"; do
        echo "https://localhost:$PORT/f$size.bin" >>"$WORK/urls.txt"
        echo "f$size.bin" >>"$WORK/expect.txt"
    done
done
N=$(wc -l <"$WORK/urls.txt")

mkdir -p "$WORK/out"
start=$(date +%s%N)
timeout -k 5 240 "$CLIENT" --cafile "$WORK/pki/ca.pem" --connect "127.0.0.1:$PORT" \
    --out "$WORK/out" --urls "$WORK/urls.txt" --max 256 --timeout 200 \
    >"$WORK/client.out" 2>"$WORK/client.err"
rc=$?
end=$(date +%s%N)
ms=$(((end - start) / 1000000))
echo "multi: $N URLs over $N concurrent connections: exit $rc in $((ms / 1000)).$(printf '%03d' \
$((ms % 1000))) s"

bad=0
report() {
    echo "multi: $*"
    bad=$((bad + 1))
}
[ "$rc" -eq 0 ] || report "https_multi exited $rc (want 0)"
[ -s "$WORK/client.err" ] && report "stderr: $(head -c 300 "$WORK/client.err" | tr '\n' ' ')"
grep -v '^[0-9]* OK [0-9]*$' "$WORK/client.out" | head -5 | while read -r line; do
    echo "multi:   $line"
done
lines=$(wc -l <"$WORK/client.out")
[ "$lines" -eq "$N" ] || report "$lines output lines, want $N"
declare -A seen=()
declare -A sum=()
for size in "${SIZES[@]}"; do
    sum[f$size.bin]=$(pl_sha256 "$WORK/www/f$size.bin")
done
while read -r idx word bytes; do
    if [ "$word" != OK ]; then
        report "URL $idx: $word $bytes"
        continue
    fi
    if [ -n "${seen[$idx]:-}" ]; then
        report "URL $idx reported twice"
        continue
    fi
    seen[$idx]=1
    file=$(sed -n "$((idx + 1))p" "$WORK/expect.txt")
    [ -n "$file" ] || { report "URL $idx: no such URL"; continue; }
    want=$(stat -c %s "$WORK/www/$file")
    [ "$bytes" = "$want" ] || report "URL $idx ($file): $bytes bytes reported, want $want"
    if [ ! -f "$WORK/out/$idx.body" ]; then
        report "URL $idx ($file): no body file"
    elif [ "$(pl_sha256 "$WORK/out/$idx.body")" != "${sum[$file]}" ]; then
        report "URL $idx ($file): body differs (size $(stat -c %s "$WORK/out/$idx.body"))"
    fi
done <"$WORK/client.out"
[ "${#seen[@]}" -eq "$N" ] || report "${#seen[@]} URLs OK, want $N"
[ "$bad" -eq 0 ] || fail "case 1: $bad problem(s) (server log: $(pl_last_line "$WORK/server.log"))"
echo "multi: PASS: case 1: $N bodies, each with its file's size and SHA-256"

# ---- case 2: one URL with no server behind it, one good -------------------------------------
closed=$(pl_pick_port) || fail "no free port for case 2"
timeout -k 5 60 "$CLIENT" --cafile "$WORK/pki/ca.pem" --timeout 30 \
    "https://127.0.0.1:$closed/f1.bin" "https://localhost:$PORT/f16385.bin" \
    >"$WORK/case2.out" 2>"$WORK/case2.err"
rc=$?
[ "$rc" -eq 1 ] || fail "case 2: exit $rc (want 1): $(tr '\n' ' ' <"$WORK/case2.out")"
grep -q '^0 FAIL cannot connect to 127\.0\.0\.1 port [0-9]*: ' "$WORK/case2.out" ||
    fail "case 2: no FAIL line for URL 0: $(tr '\n' ' ' <"$WORK/case2.out")"
grep -qx '1 OK 16385' "$WORK/case2.out" ||
    fail "case 2: no OK line for URL 1: $(tr '\n' ' ' <"$WORK/case2.out")"
[ "$(wc -l <"$WORK/case2.out")" -eq 2 ] || fail "case 2: not two lines"
echo "multi: PASS: case 2: $(grep FAIL "$WORK/case2.out")"
exit 0
