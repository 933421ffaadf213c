# SPDX-License-Identifier: GPL-2.0-or-later
# Issue 16: desktops as new users lay them out, all in one file system at
# once as on a real host (Debian keeps /tmp on the root file system, homes
# are 0700, group directories are setgid): a sticky tmp with another
# user's FUSE mount and root's tmpfs in it, another user's FUSE mount in a
# 0700 home, a group directory with two members' FUSE mounts. Every mount
# there is a neighbour of every other; the caller's own unmounts succeed
# and every other mount stays. Then the same tree shared, with a second
# namespace holding slave copies, and libfuse's own unmount path
# (`fusermount3 -u -q -z --`, with user-umount in fusermount3's place).

# The layout under D (a file system of its own, as / would be).
desk_layout() { # D
	local D=$1
	mount_tmpfs "$D" mode=755
	mkdir -p "$D/tmp" "$D/home/uualice" "$D/home/uubob" "$D/srv/group"
	chmod 1777 "$D/tmp"
	chown uualice "$D/home/uualice"
	chown uubob "$D/home/uubob"
	chmod 700 "$D/home/uualice" "$D/home/uubob"
	chgrp uuplug "$D/srv/group"
	chmod 2775 "$D/srv/group"
	# others' mounts: in tmp (uubob's FUSE, root's tmpfs), in uubob's
	# home, and uucarol's in the group directory
	tiny_mount uubob "$D/tmp/bob"
	mkdir "$D/tmp/root"
	mount -t tmpfs roottmp "$D/tmp/root"
	tiny_mount uubob "$D/home/uubob/fuse"
	tiny_mount uucarol "$D/srv/group/carol"
}

# The caller's own mounts, one in each place.
desk_own() { # D
	local D=$1
	tiny_mount uualice "$D/tmp/alice"
	tiny_mount uualice "$D/home/uualice/fuse"
	tiny_mount uualice "$D/srv/group/alice"
}

# One look at the mount table: +PATH must be mounted, -PATH must not.
desk_expect() { # [+|-]PATH...
	python3 - "$@" <<'PY' || fail "mount table: $*"
import sys
pts = {l.split(' ')[4] for l in open('/proc/self/mountinfo')}
bad = [a for a in sys.argv[1:] if (a[1:] in pts) != (a[0] == '+')]
sys.exit('not as expected: ' + ' '.join(bad) if bad else 0)
PY
}

desk_others_stay() { # D [more +/-PATHs]
	local D=$1
	shift
	desk_expect "+$D/tmp/bob" "+$D/tmp/root" "+$D/home/uubob/fuse" "+$D/srv/group/carol" "$@"
}

case_desktop_own_unmounts() {
	local D=$T/desk1 m
	desk_layout "$D"
	desk_own "$D"
	for m in "$D/tmp/alice" "$D/home/uualice/fuse" "$D/srv/group/alice"; do
		uu uualice "$m"
		expect_rc 0
		desk_others_stay "$D" "-$m"
	done
	# the same as --dry-run and --json first: the one decision
	desk_own "$D"
	for m in "$D/tmp/alice" "$D/home/uualice/fuse" "$D/srv/group/alice"; do
		uu uualice --dry-run --json "$m"
		expect_rc 0
		sec_json 'r["result"] == "would-unmount"' '"plain" in r["allowed"]'
		uu uualice --json "$m"
		expect_rc 0
		sec_json 'r["result"] == "unmounted"'
	done
	desk_others_stay "$D" "-$D/tmp/alice" "-$D/home/uualice/fuse" "-$D/srv/group/alice"
	# and nobody else's: uualice may unmount none of the others
	for m in "$D/tmp/bob" "$D/tmp/root" "$D/srv/group/carol"; do
		uu uualice "$m"
		expect_rc 1
	done
	desk_others_stay "$D"
}

# The namespace-scan line of --version: "yes" where the kernel lets the
# helper see every mount namespace (propagation is then checked there).
desk_ns_scan() {
	"$UU" --version | grep -q '^namespace scan: yes'
}

# The tree shared (as systemd makes /), a second namespace holding slave
# copies of it (as a service with PrivateTmp or ProtectHome has): plain,
# -l and `-u -q -z --` all succeed and take the copies along.
case_desktop_shared_with_slave_namespace() {
	local D=$T/desk2 m holder
	desk_layout "$D"
	mount --make-rshared "$D"
	desk_own "$D"
	unshare -m --propagation slave sleep 600 &
	holder=$!
	DAEMONS="$DAEMONS $holder"
	sleep 0.3
	m=$D/tmp/alice
	nsenter -t "$holder" -m grep -q " $m " /proc/self/mountinfo || fail "no slave namespace"
	uu uualice "$m"
	expect_rc 0
	expect_unmounted "$m"
	if desk_ns_scan; then
		uu uualice -l "$D/home/uualice/fuse"
		expect_rc 0
		expect_unmounted "$D/home/uualice/fuse"
		uu uualice -u -q -z -- "$D/srv/group/alice"
		expect_rc 0
		expect_unmounted "$D/srv/group/alice"
	else
		# no namespace iteration: -l under a shared parent stays refused,
		# and the fusermount way becomes a plain unmount
		uu uualice -l "$D/home/uualice/fuse"
		expect_rc 1
		expect_mounted "$D/home/uualice/fuse"
		uu uualice -u -q -z -- "$D/srv/group/alice"
		expect_rc 0
		expect_unmounted "$D/srv/group/alice"
	fi
	desk_others_stay "$D"
	# the copies went with them; the others' copies stay
	nsenter -t "$holder" -m python3 - "$D" <<'PY' || fail "slave namespace: $(nsenter -t "$holder" -m grep "$D" /proc/self/mountinfo)"
import sys
d = sys.argv[1]
pts = [l.split(' ')[4] for l in open('/proc/self/mountinfo')]
assert d + '/tmp/alice' not in pts, 'copy of tmp/alice left'
assert d + '/tmp/bob' in pts and d + '/tmp/root' in pts, 'others copies gone'
PY
	kill "$holder" 2>/dev/null
}

# libfuse ends a FUSE daemon with `fusermount3 -u -q -z -- MNT`. With
# user-umount in fusermount3's place for unmounting (mounting still goes to
# the real one), SIGTERM ends the daemon with no mount left, on a shared tree.
case_desktop_libfuse_unmounts_through_helper() {
	local D=$T/desk3 real=$WORK/real-fusermount3 wrap=$WORK/fusermount3-wrap pid m
	desk_layout "$D"
	mount --make-rshared "$D"
	: >"$real"
	mount --bind "$(command -v fusermount3)" "$real"
	cat >"$wrap" <<EOW
#!/bin/sh
for a in "\$@"; do [ "\$a" = -u ] && exec "$UU" "\$@"; done
exec "$real" "\$@"
EOW
	chmod 755 "$wrap"
	mount --bind "$wrap" "$(command -v fusermount3)"
	for m in "$D/home/uualice/fuse" "$D/tmp/alice"; do
		tiny_mount uualice "$m"
		pid=${DAEMONS##* }
		kill -TERM "$pid"
		for _ in $(seq 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.05
		done
		kill -0 "$pid" 2>/dev/null && fail "daemon for $m did not exit on SIGTERM"
		expect_unmounted "$m"
	done
	desk_others_stay "$D"
	umount "$(command -v fusermount3)"
	umount "$real"
}
