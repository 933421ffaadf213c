#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Integration tests: the setuid helper as `cmake --install` makes it
# (installed into a DESTDIR under a temporary directory), run as real
# unprivileged users inside a private mount namespace.
#   run.sh BUILD_DIR INSTALLED_PATH EXEC_ARGC0_BINARY TINYFUSE_BINARY [MORE_PROGRAMS...]
# INSTALLED_PATH is where the install puts the helper (/usr/bin/user-umount).
# UU_CASES: a glob of case names (ctest runs one case per test); unset, all
# cases run in one namespace (cmake --build BUILD --target integration-all).
# Exit 77 = skipped (not root, outside CI). Under CI=true a skip is a failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?build dir}
installed=${2:?installed path}
argc0=${3:?exec_argc0}
tinyfuse=${4:?tinyfuse}
shift 4
extras=("$@") # more test programs, installed into bin/ by name

skip() {
	if [ "${CI:-}" = true ]; then
		echo "integration: FAIL: cannot run ($1) and CI=true forbids skipping" >&2
		exit 1
	fi
	echo "integration: SKIP: $1"
	exit 77
}

[ "$(id -u)" = 0 ] || skip "needs root (creates users, mounts in a private namespace)"
for tool in unshare setpriv bindfs python3 mount useradd cmake; do
	command -v "$tool" >/dev/null || skip "missing tool: $tool"
done
python3 -c 'import jsonschema' 2>/dev/null || skip "missing python3-jsonschema (tools/deps.sh)"
unshare -m --propagation private true 2>/dev/null || skip "cannot create a mount namespace"

# Test users: names that are prefixes of each other (uualice, uualice2) and
# uids that are (4100, 41000); uubob is an unrelated user.
bash "$here/users.sh" || exit 1

work=$(mktemp -d /var/tmp/user-umount-it.XXXXXX) || exit 1
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
# The helper under test is the one the install makes: root:root 4755.
DESTDIR="$work/root" cmake --install "$build" >"$work/install.log" 2>&1 ||
	{ echo "integration: FAIL: cmake --install: $(cat "$work/install.log")" >&2; exit 1; }
export UU_BIN="$work/root$installed"
mode=$(stat -c %U:%G:%a "$UU_BIN") || exit 1
[ "$mode" = root:root:4755 ] ||
	{ echo "integration: FAIL: $UU_BIN is $mode after cmake --install, not root:root:4755" >&2; exit 1; }
install -o root -g root -m 0755 "$UU_BIN" "$work/bin/user-umount-nosuid"
install -o root -g root -m 0755 "$argc0" "$work/bin/exec_argc0"
install -o root -g root -m 0755 "$tinyfuse" "$work/bin/tinyfuse"
for x in "${extras[@]}"; do
	install -o root -g root -m 0755 "$x" "$work/bin/$(basename "$x")"
done

unshare -m --propagation private -- bash "$here/cases.sh" "$work" "${UU_CASES:-}"
