#!/bin/bash
# Runs inside `unshare -m --propagation private` (see run.sh): sets up a
# throw-away /etc, /run and /dev/fuse, then runs uubench for one N.
# Everything mounted here dies with the namespace; nothing reaches the host.
#   inside.sh WORK N ROUNDS WARMUP
set -eu
work=$1 n=$2 rounds=$3 warmup=$4
bin=$work/bin

mount --make-rprivate /
# /etc: overlay, so fstab can be written without writing the host's /etc.
mkdir -p "$work/etc-up" "$work/etc-work"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$work/etc-up,workdir=$work/etc-work" /etc
: >/etc/fstab
# No site policy: only the built-in rules (fstab users, FUSE owner).
rm -rf /etc/user-umount
# /run: private tmpfs holding an empty utab.
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/mount
: >/run/mount/utab
# /dev/fuse usable by the FUSE user: a 0666 node of our own bound over it,
# so the host's /dev/fuse keeps its mode.
mkdir -p "$work/dev"
mount -t tmpfs -o mode=755 tmpfs "$work/dev"
mknod -m 666 "$work/dev/fuse" c 10 229
mount --bind "$work/dev/fuse" /dev/fuse

"$bin/uubench" --n "$n" --dir "$work/t" --rounds "$rounds" --warmup "$warmup" \
	--uu "$bin/user-umount" --uu-libmount "$bin/user-umount-libmount" \
	--tinyfuse "$bin/tinyfuse" --minimal "$bin/minimal_umount" \
	--umount "$(command -v umount)" --fusermount "$(command -v fusermount3)"
