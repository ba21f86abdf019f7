#!/usr/bin/env bash
# The one test command: installs what is missing (Debian: apt-get, with sudo when not root),
# configures with CMake into build/, builds, and runs every test with CTest.
#
#   tests/run.sh                 the normal build
#   PADLOCK_SANITIZE=ON tests/run.sh   the ASan+UBSan build, into build-asan/
#   PADLOCK_WERROR=ON  tests/run.sh    warnings are errors (CI)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config libtommath-dev libcmocka-dev libssl-dev openssl
          clang libclang-rt-14-dev valgrind
          gnutls-bin iproute2 python3)   # interop: gnutls-serv, a loopback-only namespace

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

sanitize=${PADLOCK_SANITIZE:-OFF}
werror=${PADLOCK_WERROR:-OFF}
fuzz=${PADLOCK_FUZZ:-OFF}
build=build
[ "$sanitize" = "ON" ] && build=build-asan
only=()
targets=()
if [ "$fuzz" = "ON" ]; then
    # the libFuzzer targets, built with clang and the sanitizers, each run briefly over its
    # checked-in corpus (long fuzzing runs are done by hand)
    build=build-fuzz
    sanitize=ON
    export CC=clang
    only=(-R '^fuzz_')
    targets=(--target fuzz_all)
fi
jobs=$(nproc 2>/dev/null || echo 2)

echo "== configure ($build: sanitize=$sanitize werror=$werror fuzz=$fuzz)"
cmake -S . -B "$build" -DPADLOCK_SANITIZE="$sanitize" -DPADLOCK_WERROR="$werror" \
    -DPADLOCK_FUZZ="$fuzz" > /dev/null
echo "== build"
cmake --build "$build" -j "$jobs" "${targets[@]}"
echo "== test"
ctest --test-dir "$build" --output-on-failure -j "$jobs" "${only[@]}"
