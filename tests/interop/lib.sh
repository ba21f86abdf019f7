# shellcheck shell=bash
# Helpers shared by the interop scripts (sourced, not run): a private network namespace, free
# ports, servers started and stopped by their PID, and waits that are all bounded.
#
# A server runs under `timeout`, so even one orphaned by a SIGKILL of its script goes away by
# itself after PL_SERVER_LIFETIME seconds.

PL_SERVER_LIFETIME=${PL_SERVER_LIFETIME:-300}
PL_PORT_LO=${PL_PORT_LO:-20000}       # ports are picked at random in [LO, LO+SPAN), below the
PL_PORT_SPAN=${PL_PORT_SPAN:-12000}   # usual ephemeral range (32768-60999)
if [ -x /usr/bin/python3 ]; then PL_PY=/usr/bin/python3; else PL_PY=python3; fi

# A proxy in the environment must not reach the clients.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

# pl_enter_netns SCRIPT ARGS...: re-executes SCRIPT inside a private network namespace whose only
# interface is loopback, so that no server can be reached from outside and gnutls-serv (which
# binds 0.0.0.0 and [::], with no option to change that) listens on a loopback-only stack. Root
# uses `unshare -n`; others try a user namespace, `unshare -r -n`. When neither works (or
# PADLOCK_INTEROP_NETNS=0), it returns and the script runs on the host's loopback.
pl_enter_netns() {
    local script=$1 how
    shift
    [ -n "${PADLOCK_INTEROP_IN_NETNS:-}" ] && return 0
    [ "${PADLOCK_INTEROP_NETNS:-auto}" = 0 ] && return 0
    command -v unshare >/dev/null 2>&1 || return 0
    for how in "-n" "-r -n"; do
        # shellcheck disable=SC2086  # $how is two words on purpose
        if unshare $how true 2>/dev/null; then
            export PADLOCK_INTEROP_IN_NETNS=1
            # shellcheck disable=SC2086,SC2016  # the inner bash expands $0 and $@
            exec unshare $how -- bash -c '
                if command -v ip >/dev/null 2>&1; then ip link set lo up
                else "$0" -c "import fcntl, socket, struct
s = socket.socket()        # SIOCGIFFLAGS, then SIOCSIFFLAGS with IFF_UP
r = fcntl.ioctl(s, 0x8913, struct.pack(\"16sH14x\", b\"lo\", 0))
f = struct.unpack(\"16sH14x\", r)[1] | 1
fcntl.ioctl(s, 0x8914, struct.pack(\"16sH14x\", b\"lo\", f))"
                fi || { echo "interop: cannot bring up lo in the namespace" >&2; exit 2; }
                shift; exec bash "$@"' "$PL_PY" x "$script" "$@"
        fi
    done
    return 0
}

pl_in_netns() {
    [ -n "${PADLOCK_INTEROP_IN_NETNS:-}" ]
}

# pl_listen_inodes PORT: the socket inodes in LISTEN state on PORT (IPv4 and IPv6), one a line.
pl_listen_inodes() {
    local hex
    hex=$(printf '%04X' "$1")
    awk -v p=":$hex" 'FNR > 1 && $4 == "0A" && substr($2, length($2) - 4) == p { print $10 }' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

pl_port_listening() {
    [ -n "$(pl_listen_inodes "$1")" ]
}

# pl_owns_port PID PORT: true when a socket listening on PORT belongs to PID or one of its
# children (the server runs as a child of `timeout`). True as well when the kernel does not list
# children, as nothing more can be checked then.
pl_owns_port() {
    local pid=$1 port=$2 p inode fd pids
    [ -r "/proc/$pid/task/$pid/children" ] || return 0
    pids="$pid $(cat "/proc/$pid/task/"*/children 2>/dev/null)"
    for inode in $(pl_listen_inodes "$port"); do
        for p in $pids; do
            for fd in /proc/"$p"/fd/*; do
                [ "$(readlink "$fd" 2>/dev/null)" = "socket:[$inode]" ] && return 0
            done
        done
    done
    return 1
}

pl_pick_port() {
    local i p
    for ((i = 0; i < 100; i++)); do
        p=$((PL_PORT_LO + (RANDOM * 32768 + RANDOM) % PL_PORT_SPAN))
        pl_port_listening "$p" || { echo "$p"; return 0; }
    done
    return 1
}

# pl_wait_listen PID PORT: waits (10 s at most) until PID listens on PORT. Sets PL_WAIT to
# "ok", "dead" (the process exited), "other" (someone else holds the port) or "timeout".
pl_wait_listen() {
    local pid=$1 port=$2 i
    for ((i = 0; i < 500; i++)); do
        if ! kill -0 "$pid" 2>/dev/null; then PL_WAIT=dead; return 1; fi
        if pl_port_listening "$port"; then
            if pl_owns_port "$pid" "$port"; then PL_WAIT=ok; return 0; fi
            PL_WAIT=other
            return 1
        fi
        sleep 0.02
    done
    PL_WAIT=timeout
    return 1
}

# pl_server_start DIR LOG CMD...: starts CMD in DIR with its output in LOG, on a free port that
# replaces every @PORT@ in CMD. Tries another port when the chosen one turns out to be taken (a
# bind failure in LOG, or another process listening). Sets PL_SERVER_PID and PL_SERVER_PORT, or
# returns 1 with the reason in PL_SERVER_ERR.
# shellcheck disable=SC2034  # read by the scripts that source this file
PL_SERVER_PID=""
PL_SERVER_PORT=""
PL_SERVER_ERR=""
# shellcheck disable=SC2034
pl_server_start() {
    local dir=$1 log=$2 try port a
    local -a cmd
    shift 2
    PL_SERVER_PID="" PL_SERVER_PORT="" PL_SERVER_ERR=""
    for ((try = 0; try < 8; try++)); do
        port=$(pl_pick_port) || { PL_SERVER_ERR="no free port found"; return 1; }
        cmd=()
        for a in "$@"; do cmd+=("${a//@PORT@/$port}"); done
        printf '%q ' "${cmd[@]}" >"$log.cmd"
        (cd "$dir" && exec timeout -k 2 "$PL_SERVER_LIFETIME" "${cmd[@]}") </dev/null >"$log" 2>&1 &
        PL_SERVER_PID=$!
        if pl_wait_listen "$PL_SERVER_PID" "$port"; then
            PL_SERVER_PORT=$port
            return 0
        fi
        pl_server_stop
        if [ "$PL_WAIT" = other ] || grep -qiE 'address already in use|bind' "$log"; then
            continue
        fi
        PL_SERVER_ERR="server did not start ($PL_WAIT): $(tail -c 300 "$log" | tr -s '\n' ' ')"
        return 1
    done
    PL_SERVER_ERR="no port could be bound in 8 tries"
    return 1
}

# pl_server_stop: TERM, then KILL after 2 s; reaps the process. Only ever the server this
# script started, by its PID.
pl_server_stop() {
    local pid=$PL_SERVER_PID i
    PL_SERVER_PID=""
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.02
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 0
}

pl_sha256() {   # FILE -> hex digest
    sha256sum <"$1" | cut -d' ' -f1
}

pl_last_line() {   # FILE -> its last non-empty line, on one line, at most 160 characters
    grep -av '^[[:space:]]*$' "$1" 2>/dev/null | tail -1 | tr -d '\r' | tr '\t' ' ' | cut -c1-160
}

# pl_interop_start NAME SCRIPT ARGS...: the common start of the scripts run as
# "SCRIPT openssl|gnutls PATH/TO/https_get" (interop.sh, mtls.sh, resume.sh). Checks the
# arguments (exit 2), that https_get, openssl, timeout, sha256sum and, for gnutls, gnutls-serv
# are there (exit 77, skipped, otherwise), enters a private network namespace by re-executing
# SCRIPT (pl_enter_netns; without one gnutls-serv is skipped unless
# PADLOCK_INTEROP_ALLOW_WILDCARD=1, as it listens on every interface), makes the work directory
# and removes it at exit unless PADLOCK_INTEROP_KEEP=1, stopping the server first. Sets SERVER,
# CLIENT (an absolute path), T (the work directory, with T/logs made).
# shellcheck disable=SC2034  # SERVER, CLIENT and T are the callers'
pl_interop_start() {
    local name=$1 script=$2 tool
    shift 2
    if [ $# -ne 2 ] || { [ "$1" != openssl ] && [ "$1" != gnutls ]; }; then
        echo "usage: $script openssl|gnutls PATH/TO/https_get" >&2
        exit 2
    fi
    SERVER=$1
    CLIENT=$2
    case $CLIENT in /*) ;; *) CLIENT=$PWD/$CLIENT ;; esac
    if [ ! -x "$CLIENT" ]; then
        echo "skipped: no https_get at $CLIENT (not built yet)"
        exit 77
    fi
    for tool in openssl timeout sha256sum; do
        command -v "$tool" >/dev/null 2>&1 || { echo "skipped: $tool is not installed"; exit 77; }
    done
    if [ "$SERVER" = gnutls ] && ! command -v gnutls-serv >/dev/null 2>&1; then
        echo "skipped: gnutls-serv is not installed (Debian: gnutls-bin)"
        exit 77
    fi
    pl_enter_netns "$script" "$@"
    if pl_in_netns; then
        echo "note: running in a private network namespace (loopback only)"
    elif [ "$SERVER" = gnutls ] && [ "${PADLOCK_INTEROP_ALLOW_WILDCARD:-0}" != 1 ]; then
        echo "skipped: gnutls-serv listens on 0.0.0.0 and [::], and there is no network namespace"
        echo "         (PADLOCK_INTEROP_NETNS=0, or neither root nor user namespaces);"
        echo "         PADLOCK_INTEROP_ALLOW_WILDCARD=1 runs it anyway"
        exit 77
    fi
    T=$(mktemp -d "${TMPDIR:-/tmp}/padlock-$name-$SERVER.XXXXXX") || exit 2
    mkdir -p "$T/logs"
    trap pl_interop_cleanup EXIT
    trap 'exit 130' INT TERM HUP
}

pl_interop_cleanup() {
    pl_server_stop
    if [ "${PADLOCK_INTEROP_KEEP:-0}" = 1 ]; then
        echo "work directory kept: $T"
    else
        rm -rf "$T"
    fi
}
