#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source-path=SCRIPTDIR
# Runs inside `unshare -m --propagation private` (see run.sh): one N.
# Everything mounted here dies with the namespace; nothing reaches the host.
#   ns-bench.sh BINDIR WORK N ROUNDS WARMUP   (CSV on stdout)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/ns-setup.sh"
bin=$1 work=$2 n=$3 rounds=$4 warmup=$5
setup_ns "$work"
[ ! -x "$bin/user-umount-base" ] || UU_BASE=$bin/user-umount-base
# A systemd desktop starts the caller in a cgroup v2 of their own
# (user@UID.service, Delegate=yes): one row starts the helper there, so
# that it moves out first. Cgroups are the machine's: removed at the end.
cg=()
v2=$(findmnt -rn -t cgroup2 -o TARGET | head -n 1)
if [ -n "$v2" ]; then
	home=$v2$(awk -F: '$1 == 0 {print $3}' /proc/self/cgroup)
	home=${home%/}
	ucg=$(mktemp -d "$home/uu-bench.XXXXXX")
	trap 'rmdir "$ucg" 2>/dev/null || true' EXIT
	chown uubob "$ucg" "$ucg/cgroup.procs" "$ucg/cgroup.threads" "$ucg/cgroup.subtree_control"
	cg=(--user-cgroup "$ucg/cgroup.procs" "$home/cgroup.procs")
fi
"$bin/uubench" --n "$n" --dir "$work/t" --rounds "$rounds" --warmup "$warmup" \
	--uu "$bin/user-umount" --uu-libmount "$bin/user-umount-libmount" \
	--tinyfuse "$bin/tinyfuse" --minimal "$bin/minimal_umount" \
	--umount "$(command -v umount)" --fusermount "$(command -v fusermount3)" \
	--siblings "${BENCH_SIBLINGS:-0}" \
	${UU_BASE:+--uu-base "$UU_BASE"} "${cg[@]}"
