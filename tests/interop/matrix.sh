#!/usr/bin/env bash
# The shared 72-case interop matrix (../shared/interop/good.sh, see its README.md) with
# https_get as the client under test:
#
#   matrix.sh PATH/TO/https_get [SHARED-INTEROP-DIR]
#
# SHARED-INTEROP-DIR defaults to ../shared/interop beside the source tree. The client template is
# "https_get --cafile {ca} --connect {addr} {url}", with https_get's absolute path. Prints
# good.sh's line per case and its summary ("N passed, N failed[, N skipped]"), then the verdict:
# exit 0 when every case passed (all 72, the CBC rows included; only the gnutls-serv rows may be
# skipped, and only when there is no network namespace), 1 otherwise, 77 (skipped) when the
# matrix, https_get or a server program is missing.
#
# The matrix runs in a private network namespace (lib.sh, pl_enter_netns), made here so that a
# user namespace can stand in for root; good.sh's gnutls-serv rows need it (without one they are
# SKIPped by good.sh itself). Its PKI is cached in INTEROP_WORK (default
# ${TMPDIR:-/tmp}/padlock-interop-matrix.UID), shared by the normal and sanitizer builds; a lock
# there serialises runs. INTEROP_TIMEOUT (seconds per client run) defaults to 20 here.
# PADLOCK_INTEROP_FILTER=REGEX is passed on as good.sh's filter.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 PATH/TO/https_get [SHARED-INTEROP-DIR]" >&2
    exit 2
fi
CLIENT=$1
case $CLIENT in /*) ;; *) CLIENT=$PWD/$CLIENT ;; esac
SHARED=${2:-$HERE/../../../shared/interop}
if [ ! -f "$SHARED/good.sh" ]; then
    echo "skipped: the shared interop matrix is not there ($SHARED/good.sh)"
    exit 77
fi
SHARED=$(cd "$SHARED" && pwd)
if [ ! -x "$CLIENT" ]; then
    echo "skipped: no https_get at $CLIENT (not built yet)"
    exit 77
fi
for tool in openssl gnutls-serv timeout flock; do
    command -v "$tool" >/dev/null 2>&1 || { echo "skipped: $tool is not installed"; exit 77; }
done

# Fixed before entering the namespace: inside a user namespace the uid reads 0.
export INTEROP_WORK=${INTEROP_WORK:-${TMPDIR:-/tmp}/padlock-interop-matrix.$(id -u)}
export INTEROP_TIMEOUT=${INTEROP_TIMEOUT:-20}

pl_enter_netns "$HERE/matrix.sh" "$@"
if pl_in_netns; then
    export INTEROP_IN_NETNS=1        # good.sh: already confined, run the gnutls-serv rows
    echo "note: running in a private network namespace (loopback only)"
else
    export INTEROP_NETNS=0           # good.sh could not make one either; it skips those rows
fi

TEMPLATE="$(printf '%q' "$CLIENT") --cafile {ca} --connect {addr} {url}"
echo "== shared interop matrix: $SHARED/good.sh"
echo "   client: $TEMPLATE"
out=$(mktemp -d "${TMPDIR:-/tmp}/padlock-matrix.XXXXXX") || exit 2
trap 'rm -rf "$out"' EXIT
INTEROP_RESULTS=$out/results.tsv bash "$SHARED/good.sh" "$TEMPLATE" \
    ${PADLOCK_INTEROP_FILTER:+"$PADLOCK_INTEROP_FILTER"} | tee "$out/log"
rc=${PIPESTATUS[0]}
summary=$(grep -aE '^[0-9]+ passed, [0-9]+ failed' "$out/log" | tail -1)
echo "== matrix summary (good.sh): ${summary:-none (good.sh exit $rc)}"
echo "   per-case logs: $INTEROP_WORK/runs/good/<case>/"
if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
    echo "good.sh failed to run (exit $rc)"
    exit 1
fi
[ -s "$out/results.tsv" ] || { echo "good.sh wrote no results"; exit 1; }

# Every row must pass. A SKIP counts as a failure too, except good.sh's own skip of the
# gnutls-serv rows when there is no network namespace (its detail says so).
# The shared harness calls a server ready when its port is in LISTEN state in /proc/net/tcp or
# tcp6; gnutls-serv listens on both, so under load the client can reach 127.0.0.1 before the
# IPv4 socket listens and get "Connection refused" from a server that is about to answer.
# Likewise the port it picks for a server may still be taken ("server did not start: ...
# Address already in use", seen once in CI). Such rows (and only they: the failure came from the
# kernel, before any TLS) are run once more, and their second verdict counts; the log says which.
refused=$(awk -F'\t' '$4 != "PASS" && $4 != "SKIP" &&
                      (/Connection refused/ || /did not start.*Address already in use/) {print $1}' \
    "$out/results.tsv" | paste -sd'|')
if [ -n "$refused" ]; then
    echo "== again, after a server-start race (refused or port taken, before any TLS): $refused"
    INTEROP_RESULTS=$out/retry.tsv bash "$SHARED/good.sh" "$TEMPLATE" "^($refused) " |
        tee -a "$out/log"
    awk -F'\t' 'NR == FNR { if (FNR > 1) again[$1] = $0; next }
                FNR > 1 && ($1 in again) { print again[$1]; next } { print }' \
        "$out/retry.tsv" "$out/results.tsv" >"$out/merged.tsv" &&
        mv "$out/merged.tsv" "$out/results.tsv"
fi

npass=0 nfail=0 nskip=0 nrows=0
# shellcheck disable=SC2034  # the TSV's columns, read to keep the split right
while IFS=$'\t' read -r id expect got status rc_ detail msg; do
    [ "$id" = id ] && continue
    nrows=$((nrows + 1))
    case $status in
        PASS) npass=$((npass + 1)) ;;
        SKIP)
            if [[ $detail == *"no network namespace"* ]]; then
                nskip=$((nskip + 1))
            else
                nfail=$((nfail + 1))
                echo "UNEXPECTED SKIP $id: $detail"
            fi ;;
        *)    nfail=$((nfail + 1))
              echo "FAILED $id: expect=$expect got=$got ${detail:+# $detail}" ;;
    esac
done <"$out/results.tsv"
# Unfiltered, every row of the matrix must have a result.
want=""
if [ -z "${PADLOCK_INTEROP_FILTER:-}" ] && [ -f "$SHARED/cases/good.tsv" ]; then
    want=$(grep -cvE '^[[:space:]]*(#|$)' "$SHARED/cases/good.tsv")
    if [ "$nrows" != "$want" ]; then
        echo "good.sh reported $nrows cases, the matrix has $want"
        nfail=$((nfail + 1))
    fi
fi
skipped=""
[ "$nskip" -gt 0 ] && skipped=" ($nskip gnutls-serv rows skipped: no network namespace)"
echo "== verdict: $npass of ${want:-$nrows} passed, $nfail failed or missing$skipped"
[ "$nfail" -eq 0 ]
