#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `cmake --install` into a DESTDIR: as root the binary is root:root 4755
# (chown must come before chmod: chown clears the setuid bit); as another
# user the install stops with a clear message and leaves no binary.
#   install.sh BUILD_DIR INSTALLED_PATH (e.g. /usr/bin/user-umount)
set -u
build=${1:?build dir}
path=${2:?installed path}
[ "$(id -u)" = 0 ] || { echo "install: SKIP: needs root"; exit 77; }
grep -q '^UU_INSTALL_SETUID:BOOL=ON' "$build/CMakeCache.txt" ||
	{ echo "install: SKIP: configured with UU_INSTALL_SETUID=OFF"; exit 77; }
dest=$(mktemp -d /var/tmp/user-umount-install.XXXXXX) || exit 1
trap 'rm -rf "$dest"' EXIT
status=0

DESTDIR="$dest/root" cmake --install "$build" >"$dest/log" 2>&1 || {
	echo "install: FAIL: cmake --install as root: $(cat "$dest/log")"
	exit 1
}
mode=$(stat -c %U:%G:%a "$dest/root$path")
echo "install: as root: $path is $mode"
[ "$mode" = root:root:4755 ] || { echo "install: FAIL: expected root:root:4755"; status=1; }

# As nobody: a DESTDIR nobody may write, and the build tree only read.
mkdir "$dest/user"
chown nobody "$dest/user"
chmod 755 "$dest"
rc=0
env -i PATH=/usr/bin:/bin DESTDIR="$dest/user/root" setpriv --reuid=nobody --regid=nogroup \
	--clear-groups -- cmake --install "$build" >"$dest/log" 2>&1 || rc=$?
if [ "$rc" = 0 ]; then
	echo "install: FAIL: cmake --install as nobody succeeded"
	status=1
fi
msg=$(tr -s '\n ' '  ' <"$dest/log")
[[ "$msg" == *"must be setuid root (root:root 4755), which only root can set"* ]] ||
	{ echo "install: FAIL: no clear message as nobody: $(cat "$dest/log")"; status=1; }
[ ! -e "$dest/user/root$path" ] || { echo "install: FAIL: a non-setuid binary was left"; status=1; }
echo "install: as nobody: exit $rc: ${msg#*CMake Error at }"
exit $status
