#!/bin/bash
# The whole test suite, as root on a Debian 12 machine:
#   bash tools/test.sh
# Installs what it needs, builds with warnings as errors, and runs every
# unit suite and the integration tests (real users, real mounts, private
# mount namespace) through ctest.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash tools/deps.sh

build=${BUILD_DIR:-$top/build-test}
cmake -S . -B "$build" -DCMAKE_INSTALL_PREFIX=/usr -DUU_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
ctest --test-dir "$build" --output-on-failure
