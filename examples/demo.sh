#!/usr/bin/env bash
# padlock in one command: fetch a page over TLS 1.2 from a local server and watch the handshake.
#
#   examples/demo.sh
#
# On a fresh Debian machine this installs what is missing (apt-get, through sudo when you are not
# root), builds https_get into build/, makes a throw-away demo CA and a certificate for
# "localhost", starts `openssl s_server` on 127.0.0.1 (TLS 1.2 only, a free port) serving a small
# page, runs
#
#   build/examples/https_get --trace --cafile CA --connect 127.0.0.1:PORT https://localhost:PORT/
#
# and stops the server again. The exit status is https_get's. HTTPS_GET=/path/to/https_get uses
# that program instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n== %s\n' "$*" >&2; }

# --- what the build and the demo need (the same way tests/run.sh installs) ---------------------
packages=(build-essential cmake pkg-config libtommath-dev libcmocka-dev libssl-dev openssl)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- build ---------------------------------------------------------------------------------------
client=${HTTPS_GET:-}
if [ -z "$client" ]; then
    say "building https_get into build/"
    log=$(mktemp "${TMPDIR:-/tmp}/padlock-demo-build.XXXXXX")
    if ! { cmake -S . -B build &&
           cmake --build build -j "$(nproc 2>/dev/null || echo 2)" --target https_get; } \
           >"$log" 2>&1; then
        tail -40 "$log" >&2
        echo "demo: the build failed (whole log: $log)" >&2
        exit 1
    fi
    rm -f "$log"
    client=$PWD/build/examples/https_get
fi

# --- a demo CA, a certificate for localhost, a page -------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/padlock-demo.XXXXXX")
server_pid=""
stop_server() {   # the server this script started, by its PID: TERM, then KILL after 2 s
    [ -n "$server_pid" ] || return 0
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 100); do
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.02
    done
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}
trap 'stop_server; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP

say "making a demo CA and a certificate for localhost (in $work)"
(
    cd "$work"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
        -subj "/CN=padlock demo CA" -keyout ca.key -out ca.pem \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
    printf '%s\n' "basicConstraints=critical,CA:FALSE" \
        "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" \
        "subjectAltName=DNS:localhost,IP:127.0.0.1" >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 \
        -sha256 -extfile server.ext -out server.pem 2>/dev/null
    mkdir www
    cat >www/index.html <<'HTML'
<!doctype html>
<html><head><title>padlock demo</title></head>
<body><h1>Hello from padlock</h1>
<p>This page came over TLS 1.2, fetched by https_get, a client built on padlock.</p></body></html>
HTML
)

# --- the server: 127.0.0.1 only, on a free port -------------------------------------------------
listening() {   # PORT: is a socket listening on it?
    local hex
    hex=$(printf '%04X' "$1")
    awk -v p=":$hex" 'FNR > 1 && $4 == "0A" && substr($2, length($2) - 4) == p { f = 1 }
                      END { exit !f }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
port=""
for _ in 1 2 3 4 5 6 7 8; do   # a few ports, in case one is taken under our feet
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
    listening "$p" && continue
    (cd "$work/www" && exec timeout -k 2 600 openssl s_server -accept "127.0.0.1:$p" -WWW \
        -tls1_2 -cert ../server.pem -key ../server.key -quiet) </dev/null >"$work/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 250); do   # 5 s at most
        if listening "$p"; then port=$p; break; fi
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.02
    done
    [ -n "$port" ] && break
    stop_server
done
if [ -z "$port" ]; then
    echo "demo: the server did not start:" >&2
    cat "$work/server.log" >&2
    exit 1
fi
say "openssl s_server listens on 127.0.0.1:$port (TLS 1.2, demo certificate for localhost)"

# --- the client -------------------------------------------------------------------------------
url="https://localhost:$port/index.html"
say "https_get --trace --cafile ca.pem --connect 127.0.0.1:$port $url"
set +e
timeout -k 2 30 "$client" --trace --cafile "$work/ca.pem" --connect "127.0.0.1:$port" "$url" \
    >"$work/page.html"
rc=$?
set -e
if [ $rc -eq 0 ]; then
    say "the page"
    cat "$work/page.html"
    say "done: handshake, certificate check and HTTP all succeeded"
else
    say "https_get failed (exit $rc)"
fi
stop_server
exit $rc
