#!/bin/bash
# Integration tests: the setuid helper, installed into a temporary directory,
# run as real unprivileged users inside a private mount namespace.
#   run.sh USER_UMOUNT_BINARY EXEC_ARGC0_BINARY TINYFUSE_BINARY [MORE_PROGRAMS...]
# Exit 77 = skipped (not root, outside CI). Under CI=true a skip is a failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?binary}
argc0=${2:?exec_argc0}
tinyfuse=${3:?tinyfuse}
shift 3
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
for tool in unshare setpriv bindfs python3 mount useradd; do
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
install -o root -g root -m 4755 "$bin" "$work/bin/user-umount"
install -o root -g root -m 0755 "$bin" "$work/bin/user-umount-nosuid"
install -o root -g root -m 0755 "$argc0" "$work/bin/exec_argc0"
install -o root -g root -m 0755 "$tinyfuse" "$work/bin/tinyfuse"
for x in "${extras[@]}"; do
	install -o root -g root -m 0755 "$x" "$work/bin/$(basename "$x")"
done

unshare -m --propagation private -- bash "$here/cases.sh" "$work" "${UU_CASES:-}"
