#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source-path=SCRIPTDIR
# The namespace scan's cost (run.sh --nsscan). Runs inside
# `unshare -m --propagation private`; prints markdown.
#   ns-nsscan.sh BINDIR WORK NAMESPACES MOUNTS ROUNDS
# A shared parent PM holding the targets; MOUNTS tmpfs mounts per namespace
# (this one's own plus background tmpfs beside PM, not on it); NAMESPACES
# more namespaces made from this one with slave propagation (each holding
# copies of all of it, the targets' included), kept by sleeping processes.
# Then umount(8) and user-umount unmount their targets, -l and plain,
# interleaved (uubench --exec): every user-umount run here scans every
# namespace. A target under a private parent is the baseline without a
# scan. Mounting the targets again (untimed) propagates into every
# namespace.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/ns-setup.sh"
bin=$1 work=$2 nns=$3 per=$4 rounds=$5
setup_ns "$work"
umount_bin=$(command -v umount)

pm=$work/pm
priv=$work/priv
mkdir -p "$pm" "$priv" "$work/bg"
mount -t tmpfs -o mode=755 tmpfs "$pm"
mount --make-shared "$pm"
mount -t tmpfs -o mode=755 tmpfs "$priv"
mount -t tmpfs -o mode=755,nr_inodes=0 tmpfs "$work/bg"
targets="$pm/umount-l $pm/uu-l $pm/umount $pm/uu $priv/uu-l"
for t in $targets; do
	mkdir -p "$t"
	echo "tmpfs $t tmpfs users,noauto 0 0" >>/etc/fstab
	mount -t tmpfs -o size=64k,mode=755 tmpfs "$t"
done
have=$(wc -l </proc/self/mountinfo)
for i in $(seq "$((per > have ? per - have : 0))"); do
	mkdir "$work/bg/$i"
	mount -t tmpfs -o size=4k tmpfs "$work/bg/$i"
done
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for _ in $(seq "$nns"); do
	unshare -m --propagation slave sleep 3600 &
	pids+=("$!")
done
for p in "${pids[@]}"; do # every namespace made before the first run
	while [ "$(readlink "/proc/$p/ns/mnt")" = "$(readlink /proc/self/ns/mnt)" ]; do
		sleep 0.01
	done
done

echo "## Namespace scan: $nns namespaces of $(wc -l </proc/self/mountinfo) mounts"
echo
echo "- the targets' parent is shared; each namespace holds slave copies of it and of the targets"
echo "- $rounds rounds, tools interleaved (uubench --exec: medians of each run alone, fork to wait4)"
"$bin/user-umount" -V | sed -n 's/^\(namespace scan: .*\)/- user-umount -V: \1/p'
echo
"$bin/uubench" --exec "$rounds" \
	"umount(8) -l TARGET (uubob)|uubob|$pm/umount-l|$umount_bin -l $pm/umount-l" \
	"user-umount -l TARGET (uubob)|uubob|$pm/uu-l|$bin/user-umount -l $pm/uu-l" \
	"umount(8) TARGET (uubob)|uubob|$pm/umount|$umount_bin $pm/umount" \
	"user-umount TARGET (uubob)|uubob|$pm/uu|$bin/user-umount $pm/uu" \
	"user-umount -l TARGET, private parent: no scan (uubob)|uubob|$priv/uu-l|$bin/user-umount -l $priv/uu-l"
echo
