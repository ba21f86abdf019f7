#!/bin/sh
# Usage: check_install.sh BUILD_DIR CONSUMER_SOURCE_DIR [CFLAGS]
# Installs the build into a temporary prefix, then builds a user's program against it twice:
# with CMake's find_package(padlock) (shared and static) and with pkg-config. All must run.
set -eu
build=$1 consumer=$2 cflags=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

cmake --install "$build" --prefix "$prefix" > "$tmp/install.log"
for f in include/padlock/ssl.h include/padlock/errors.def include/padlock/version.h; do
    test -f "$prefix/$f" || { echo "FAIL: $f not installed"; exit 1; }
done
libdir=$(ls -d "$prefix"/lib*/ | head -n 1)
test -f "$libdir/libpadlock.a" || { echo "FAIL: static library not installed"; exit 1; }
ls "$libdir"/libpadlock.so* > /dev/null || { echo "FAIL: shared library not installed"; exit 1; }

cmake -S "$consumer" -B "$tmp/consumer" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_FLAGS="$cflags" > "$tmp/cfg.log" 2>&1 ||
    { cat "$tmp/cfg.log"; echo "FAIL: find_package(padlock)"; exit 1; }
cmake --build "$tmp/consumer" > "$tmp/build.log" 2>&1 ||
    { cat "$tmp/build.log"; echo "FAIL: building against find_package(padlock)"; exit 1; }
LD_LIBRARY_PATH=$libdir "$tmp/consumer/consumer_shared"
"$tmp/consumer/consumer_static"

export PKG_CONFIG_PATH="$libdir/pkgconfig"
cc $cflags -o "$tmp/pc_consumer" "$consumer/main.c" $(pkg-config --cflags --libs padlock) ||
    { echo "FAIL: building with pkg-config --cflags --libs padlock"; exit 1; }
LD_LIBRARY_PATH=$libdir "$tmp/pc_consumer"
cc $cflags -o "$tmp/pc_static" "$consumer/main.c" $(pkg-config --cflags padlock) \
    "$libdir/libpadlock.a" $(pkg-config --libs-only-l --static libtommath)
"$tmp/pc_static"
echo "install tree works with find_package(padlock) and pkg-config"
