#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The integration cases. Runs inside `unshare -m --propagation private`
# (see run.sh): every mount made here dies with the namespace, and /etc and
# /run are copy-on-write / private here, so the host's fstab, utab, policy
# and fuse.conf are never touched.
#   cases.sh WORKDIR [GLOB-OF-CASE-NAMES]
set -u
shopt -s extglob # UU_CASES and UU_CASES_SKIP may be @(a|b) patterns
WORK=$1
ONLY=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

setup_namespace() {
	mount --make-rprivate /
	# /etc: overlay, so fstab, fuse.conf and the policy directory can be
	# written here without writing the host's /etc.
	mkdir -p "$WORK/etc-up" "$WORK/etc-work"
	mount -t overlay overlay -o "lowerdir=/etc,upperdir=$WORK/etc-up,workdir=$WORK/etc-work" /etc
	: >/etc/fstab
	echo user_allow_other >/etc/fuse.conf
	# /run: private tmpfs holding utab.
	mount -t tmpfs -o mode=755 tmpfs /run
	mkdir -p /run/mount
	: >/run/mount/utab
	POLICY_DIR=$("$UU" -V | sed -n 's|^policy: \(.*\)/policy.conf,.*|\1|p')
	case "$POLICY_DIR" in
	/etc/*) rm -rf "$POLICY_DIR" ;;
	*) echo "policy dir $POLICY_DIR is not under /etc; build with -DCMAKE_INSTALL_PREFIX=/usr" >&2 ;;
	esac
	# /dev/fuse is 0600 on a new machine; a 0666 node of our own over it
	# (the host's /dev is shared: chmod would change the host's node)
	mknod -m 666 "$WORK/fuse" c 10 229
	mount --bind "$WORK/fuse" /dev/fuse
	# The mounts of the tests live under T, reachable by every test user.
	T=$WORK/t
	mkdir -p "$T"
	chmod 755 "$T"
}

setup_namespace
for f in "$here"/cases-*.sh; do
	. "$f"
done
for name in $(declare -F | awk '{print $3}' | grep '^case_'); do
	run_case "$name"
done
echo
[ $((PASS + FAIL + SKIPPED)) -gt 0 ] || { echo "integration: no case matches '$ONLY'"; exit 1; }
[ -z "$FAILED_NAMES" ] || echo "failed:$FAILED_NAMES"
echo "integration: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
