#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# valgrind memcheck over the helper on a sample of scenarios: every process
# (the helper and the children it forks) must report zero errors, and a
# definite leak counts as an error.
#   valgrind.sh BINARY
#
# Run as root, not through the setuid bit (valgrind cannot trace a setuid
# exec): with uid 0 as the caller the flow is the same. The scenarios that
# need mounts run in a private mount namespace with /etc overlaid (fstab,
# policy) and a private /run (utab), like the integration suite.
#
# Two things valgrind cannot do, and what happens instead:
#  - statmount/listmount (Linux 6.8) are unknown to valgrind 3.19: it answers
#    ENOSYS, so the libmount fallback is what runs here (the statmount path
#    runs under ASan/UBSan in tools/quality/sanitize.sh);
#  - it refuses to load a seccomp filter: the unmount child then fails
#    closed ("could not set up the seccomp sandbox; nothing was unmounted",
#    exit 4), which is checked below; the unmount itself runs under
#    ASan/UBSan in the integration suite (sanitize.sh).
set -u
. "$(dirname "$0")/lib.sh"
need valgrind valgrind unshare mount
bin=$(readlink -f "${1:?usage: valgrind.sh BINARY}")
[ "$(id -u)" = 0 ] || skip_or_fail valgrind "needs root (mount namespace, fstab and policy overlays)"
unshare -m --propagation private true 2>/dev/null || skip_or_fail valgrind "cannot create a mount namespace"

work=$(mktemp -d /var/tmp/uu-valgrind.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
mkdir -p "$work/logs"

# Inside the namespace: the scenarios. Each line: expected exit, then args.
cat >"$work/scenarios.sh" <<'EOS'
set -u
bin=$1 W=$2
# --run-libc-freeres=no: glibc's freeres at exit would flush stdio buffers a
# forked child inherited, printing output twice (a valgrind artifact).
vg() {
	valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		--show-leak-kinds=definite --trace-children=no --child-silent-after-fork=no \
		--run-libc-freeres=no --log-file="$W/logs/%p.log" "$bin" "$@" \
		>"$W/out" 2>"$W/err"
}
failed=0
run() { # expected-exit what args...
	local want=$1 what=$2 rc=0
	shift 2
	vg "$@" || rc=$?
	if [ "$rc" = "$want" ]; then
		echo "ok      $what (exit $rc)"
	else
		echo "FAIL    $what: exit $rc, expected $want; stderr: $(head -c 300 "$W/err")"
		failed=1
	fi
}
expect_mounted() {
	grep -q " $1 " /proc/self/mountinfo || { echo "FAIL    $1 is no longer mounted"; failed=1; }
}

mount --make-rprivate /
mkdir -p "$W/etc-up" "$W/etc-work"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$W/etc-up,workdir=$W/etc-work" /etc
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/mount /etc/user-umount
: >/run/mount/utab
M=$W/m
for d in users denied policy tree unmount; do
	mkdir -p "$M/$d"
done
# users: anyone; user: only the mounter utab names (root here).
printf 'uu-users %s tmpfs users,noauto 0 0\nuu-unmount %s tmpfs user,noauto 0 0\n' \
	"$M/users" "$M/unmount" >/etc/fstab
printf 'SRC=uu-unmount TARGET=%s ROOT=/ OPTS=user=root\n' "$M/unmount" >>/run/mount/utab
cat >/etc/user-umount/policy.conf <<EOP
# valgrind scenarios
permit lazy * on $M/policy type tmpfs
deny * on $M/denied
permit * on $M/tree
permit * on $M/tree/*
EOP
chmod 644 /etc/user-umount/policy.conf /etc/fstab
for d in users denied policy tree unmount; do
	mount -t tmpfs "uu-$d" "$M/$d"
done
mkdir -p "$M/tree/sub"
mount -t tmpfs uu-sub "$M/tree/sub"

run 0 "--help" --help
run 0 "--version" --version
run 1 "usage error (--expire with --lazy)" --expire --lazy /x
run 1 "usage error (no TARGET)"
run 32 "nonexistent path" "$W/nonexistent"
run 32 "not a mount point" "$W"
run 1 "denied dry-run (policy deny)" --dry-run "$M/denied"
run 1 "the root mount" --dry-run /
run 0 "allowed dry-run, JSON (fstab users)" --dry-run --json -v "$M/users"
run 0 "allowed dry-run, lazy (policy permit)" --dry-run --lazy "$M/policy"
run 0 "recursive dry-run (policy permit, submount)" --dry-run -R "$M/tree"
run 64 "several targets, some fail (dry-run)" --dry-run "$M/users" "$M/denied"
run 4 "unmount (fstab user, utab user=root): seccomp refused under valgrind, fails closed" \
	"$M/unmount"
expect_mounted "$M/unmount"
exit $failed
EOS

unshare -m --propagation private bash "$work/scenarios.sh" "$bin" "$work"
rc=$?

# Every process valgrind saw, children included.
bad=0
n=0
for log in "$work"/logs/*.log; do
	n=$((n + 1))
	if ! grep -q 'ERROR SUMMARY: 0 errors' "$log"; then
		echo "valgrind: errors in $(sed -n 's/^==[0-9]*== Command: //p' "$log" | head -1):" >&2
		grep -vE '^==[0-9]+== *$' "$log" | head -60 >&2
		bad=1
	fi
done
[ "$n" -gt 0 ] || { echo "valgrind: FAIL: no valgrind logs were written" >&2; exit 1; }
echo "valgrind: $n processes checked (helpers and their forked children)"
if [ "$rc" != 0 ] || [ "$bad" != 0 ]; then
	echo "valgrind: FAILED" >&2
	exit 1
fi
echo "valgrind: zero errors, zero definite leaks"
