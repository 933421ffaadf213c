#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The main job, shown end to end, as root on a Debian 12 machine:
#   bash tools/demo.sh
# Builds the helper, then inside a throwaway mount namespace (nothing on the
# host changes; only the test users are created if missing) mounts things
# that test users may or may not unmount and lets them try, as themselves,
# with the freshly built setuid helper.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ "$(id -u)" = 0 ] || { echo "demo: run as root (it creates a private mount namespace)" >&2; exit 1; }
bash tools/deps.sh
cmake -S . -B build-demo -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build build-demo -j"$(nproc)" >/dev/null
bash tests/integration/users.sh

work=$(mktemp -d /var/tmp/user-umount-demo.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
# the helper as `cmake --install` makes it (root:root 4755), linked into place
DESTDIR="$work/root" cmake --install build-demo >/dev/null
ln "$work/root/usr/bin/user-umount" "$work/user-umount"
unshare -m --propagation private -- bash tools/demo-inside.sh "$work"
