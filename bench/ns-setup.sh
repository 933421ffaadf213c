# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by ns-bench.sh and ns-profile.sh, which run inside
# `unshare -m --propagation private`. Gives the namespace its own /etc
# (overlay: fstab can be written), /run (empty utab) and a 0666 /dev/fuse,
# none of which the host sees.
#   setup_ns WORK
# shellcheck shell=bash
setup_ns() {
	local work=$1
	mount --make-rprivate /
	mkdir -p "$work/etc-up" "$work/etc-work"
	mount -t overlay overlay -o "lowerdir=/etc,upperdir=$work/etc-up,workdir=$work/etc-work" /etc
	: >/etc/fstab
	# No site policy: the built-in rules only (fstab users, FUSE owner).
	rm -rf /etc/user-umount
	mount -t tmpfs -o mode=755 tmpfs /run
	mkdir -p /run/mount
	: >/run/mount/utab
	# A 0666 node of our own bound over /dev/fuse: the FUSE user may open
	# it here, and the host's /dev/fuse keeps its mode.
	mkdir -p "$work/dev"
	mount -t tmpfs -o mode=755 tmpfs "$work/dev"
	mknod -m 666 "$work/dev/fuse" c 10 229
	mount --bind "$work/dev/fuse" /dev/fuse
	mkdir -p "$work/t"
	chmod 755 "$work" "$work/t"
}
