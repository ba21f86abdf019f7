#!/bin/sh
# Usage: check_exports.sh libpadlock.so libpadlock.a exports.txt
# The shared library must export exactly the symbols listed (the SSL_API functions), and every
# global symbol the static library defines must start with pl_ or ssl_, so that linking padlock
# statically cannot clash with an application's own names (sha256_init, aes_encrypt, ...).
set -eu
so=$1 a=$2 list=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' |
    grep -v -E '^__(odr_asan|asan|ubsan)' | sort -u > "$tmp/exported"
grep -v '^#' "$list" | sed '/^$/d' | sort -u > "$tmp/expected"
if ! diff -u "$tmp/expected" "$tmp/exported"; then
    echo "FAIL: the shared library's exports differ from $list (- listed, + exported)"
    exit 1
fi
echo "shared library exports $(wc -l < "$tmp/exported") symbols, as listed"

# (__odr_asan.* and similar are the sanitizers' own, present only in sanitizer builds)
nm -g --defined-only "$a" | awk 'NF == 3 {print $3}' | grep -v -E '^__(odr_asan|asan|ubsan)' |
    sort -u > "$tmp/static"
if grep -v -E '^(pl_|ssl_)' "$tmp/static" > "$tmp/bad"; then
    echo "FAIL: global symbols without the pl_/ssl_ prefix in the static library:"
    cat "$tmp/bad"
    exit 1
fi
echo "static library: $(wc -l < "$tmp/static") global symbols, all prefixed pl_ or ssl_"
