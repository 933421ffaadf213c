#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The unmount benchmark (bench/README.md), and (--profile) where
# user-umount's time goes. Needs root; changes nothing on the host but the
# test users (tests/integration/users.sh) and, if missing, Debian packages.
#
#   bash bench/run.sh [--quick] [--n "100 1000 10000"] [--rounds R] [--warmup W]
#                     [--profile | --profile-only] [--profile-rounds R] [--no-deps]
#                     [--list | --list-only] [--list-n N] [--base REV] [--siblings]
#                     [--nsscan | --nsscan-only] [--nsscan-ns K] [--nsscan-mounts M]
#
#   --quick           N in {100, 1000}, 40 rounds
#   --n LIST          background mount counts (env BENCH_N)
#   --rounds R        measured rounds per N (env BENCH_ROUNDS; default 200)
#   --warmup W        unmeasured rounds first (env BENCH_WARMUP; default 5)
#   --profile         after the benchmark, profile at the smallest and largest N
#   --profile-only    only the profile
#   --profile-rounds R  runs per row of the profile (env BENCH_PROFILE_ROUNDS; 200)
#   --no-deps         do not check Debian packages
#   --list            after the benchmark, user-umount --list against findmnt -rn
#   --list-only       only that comparison
#   --list-n N        mounts for it (env BENCH_LIST_N; default 10000)
#   --base REV        also time user-umount built from git revision REV (tools
#                     "user-umount[base]"), side by side: before/after a change
#   --siblings        the N background mounts sit beside the targets, on their
#                     own mount, in a sticky directory every user may write:
#                     every one is verified and pinned across the unmount
#   --nsscan          after the benchmark, the namespace scan: a shared parent
#                     with K namespaces of M mounts each (env BENCH_NSSCAN_NS,
#                     default 200; BENCH_NSSCAN_MOUNTS, default 500), -l and
#                     plain, user-umount beside umount(8)
#   --nsscan-only     only that
#
# Results: a markdown table on stdout and in bench/results-DATE.md (raw
# samples in bench/results-DATE.csv); --profile also bench/results-DATE-profile.md,
# --nsscan bench/results-DATE-nsscan.md.
# See bench/README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

args="$*"
ns_list=${BENCH_N:-"100 1000 10000"}
rounds=${BENCH_ROUNDS:-200}
warmup=${BENCH_WARMUP:-5}
profile_rounds=${BENCH_PROFILE_ROUNDS:-200}
list_n=${BENCH_LIST_N:-10000}
nsscan_ns=${BENCH_NSSCAN_NS:-200}
nsscan_mounts=${BENCH_NSSCAN_MOUNTS:-500}
bench=1 profile=0 deps=1 rc=0 list=0 base="" siblings=0 nsscan=0
while [ $# -gt 0 ]; do
	case $1 in
	--quick)
		ns_list="100 1000" rounds=40 warmup=3 profile_rounds=60
		;;
	--n) ns_list=$2; shift ;;
	--rounds) rounds=$2; shift ;;
	--warmup) warmup=$2; shift ;;
	--profile) profile=1 ;;
	--profile-only) profile=1 bench=0 ;;
	--profile-rounds) profile_rounds=$2; shift ;;
	--no-deps) deps=0 ;;
	--list) list=1 ;;
	--list-only) list=1 bench=0 ;;
	--list-n) list_n=$2; shift ;;
	--base) base=$2; shift ;;
	--siblings) siblings=1 ;;
	--nsscan) nsscan=1 ;;
	--nsscan-only) nsscan=1 bench=0 ;;
	--nsscan-ns) nsscan_ns=$2; shift ;;
	--nsscan-mounts) nsscan_mounts=$2; shift ;;
	-h | --help)
		sed -n '2,37p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "run.sh: unknown argument $1 (see --help)" >&2
		exit 2
		;;
	esac
	shift
done
for n in $ns_list $nsscan_ns $nsscan_mounts; do
	case $n in '' | *[!0-9]*) echo "run.sh: N must be a number: $n" >&2; exit 2 ;; esac
done

[ "$(id -u)" = 0 ] || { echo "run.sh: needs root (users, mounts in a private namespace)" >&2; exit 1; }
unshare -m --propagation private true || { echo "run.sh: cannot create a mount namespace" >&2; exit 1; }

log() { printf '== %s\n' "$*" >&2; }

if [ "$deps" = 1 ]; then
	extra=(fuse3 libfuse3-dev python3)
	[ "$profile" = 0 ] || extra+=(strace valgrind)
	bash "$repo/tools/deps.sh" "${extra[@]}"
fi

# Release builds: the default statmount path and the forced libmount
# fallback, plus tinyfuse and the two bench programs.
build=$here/build
log "building into $build"
cmake -S "$repo" -B "$build/uu" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build "$build/uu" -j2 --target user-umount tinyfuse >/dev/null
cmake -S "$repo" -B "$build/uu-libmount" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
	-DUU_FORCE_LIBMOUNT=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build/uu-libmount" -j2 --target user-umount >/dev/null
if [ -n "$base" ]; then
	log "building $base into $build/base"
	rm -rf "$build/base-src"
	git -C "$repo" worktree add -f --detach "$build/base-src" "$base" >/dev/null
	cmake -S "$build/base-src" -B "$build/base" -DCMAKE_BUILD_TYPE=Release \
		-DCMAKE_INSTALL_PREFIX=/usr -DBUILD_TESTING=OFF >/dev/null
	cmake --build "$build/base" -j2 --target user-umount >/dev/null
	git -C "$repo" worktree remove --force "$build/base-src"
fi
cc -O2 -Wall -Wextra -o "$build/uubench" "$here/uubench.c"
cc -O2 -Wall -Wextra -o "$build/minimal_umount" "$here/minimal_umount.c"
# The same floor program loading what user-umount loads (for --profile).
cc -O2 -Wall -Wextra -fPIE -pie -Wl,-z,relro -Wl,-z,now -Wl,--no-as-needed \
	-o "$build/minimal_umount_uulibs" "$here/minimal_umount.c" -lmount -lseccomp -lcap

bash "$repo/tests/integration/users.sh"

# Binaries under a 0755 directory on a file system without nosuid.
work=$(mktemp -d /var/tmp/uu-bench.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
bin=$work/bin
mkdir -p "$bin"
install -o root -g root -m 4755 "$build/uu/user-umount" "$bin/user-umount"
install -o root -g root -m 4755 "$build/uu-libmount/user-umount" "$bin/user-umount-libmount"
install -o root -g root -m 0755 "$build/uu/user-umount" "$bin/user-umount-nosuid"
[ -z "$base" ] || install -o root -g root -m 4755 "$build/base/user-umount" "$bin/user-umount-base"
install -o root -g root -m 0755 "$build/uu/tests/tinyfuse" "$bin/tinyfuse"
install -o root -g root -m 0755 "$build/uubench" "$build/minimal_umount" \
	"$build/minimal_umount_uulibs" "$bin/"

# Let the build's and install's dirty pages reach the disk now, not during
# the first N's timed runs (writeback showed up there as wall time).
sync

stamp=$(date +%Y-%m-%d-%H%M)
meta=(
	"## user-umount benchmark, $(date '+%Y-%m-%d %H:%M %Z')"
	""
	"- machine: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)), kernel $(uname -r), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	"- user-umount $(git -C "$repo" describe --always --dirty 2>/dev/null || echo '?') (Release); $(umount --version | head -1); fusermount3 $(fusermount3 --version 2>&1 | sed -n 's/.*version: //p')"
	"- N in {$ns_list}, $rounds measured rounds after $warmup warm-up rounds; in each round every tool unmounts its own target once, tools interleaved (round robin, starting tool rotating), each unmount timed alone (fork to wait4, CLOCK_MONOTONIC); remounts between rounds are not timed"
	"- command: bash bench/run.sh $args"
)

if [ "$bench" = 1 ]; then
	csv=$work/results.csv
	first=1
	for n in $ns_list; do
		log "N=$n: $rounds rounds"
		mkdir -p "$work/n$n"
		BENCH_SIBLINGS=$siblings unshare -m --propagation private -- bash "$here/ns-bench.sh" \
			"$bin" "$work/n$n" "$n" "$rounds" "$warmup" >"$work/n$n.csv"
		if [ "$first" = 1 ]; then cat "$work/n$n.csv"; else tail -n +2 "$work/n$n.csv"; fi >>"$csv"
		first=0
		rm -rf "$work/n$n"
	done
	out=$here/results-$stamp.md
	python3 "$here/report.py" "$csv" "${meta[@]}" >"$out" || rc=$?
	cp "$csv" "$here/results-$stamp.csv"
	cat "$out"
	echo
	log "written: $out (raw samples: ${out%.md}.csv)"
	[ "$rc" = 0 ] || log "some unmounts failed: see the table"
fi

if [ "$list" = 1 ]; then
	lout=$here/results-$stamp-list.md
	log "--list against findmnt -rn at N=$list_n"
	mkdir -p "$work/l$list_n"
	{
		printf '%s\n' "${meta[0]/benchmark/--list benchmark}" "${meta[2]}" "${meta[3]}" ""
		unshare -m --propagation private -- bash "$here/ns-list.sh" "$bin" "$work/l$list_n" \
			"$list_n" "$rounds"
	} | tee "$lout" || rc=1
	rm -rf "$work/l$list_n"
	log "written: $lout"
fi

if [ "$nsscan" = 1 ]; then
	sout=$here/results-$stamp-nsscan.md
	log "namespace scan: $nsscan_ns namespaces of $nsscan_mounts mounts"
	mkdir -p "$work/s"
	{
		printf '%s\n' "${meta[0]/benchmark/namespace scan benchmark}" "${meta[2]}" "${meta[3]}" ""
		unshare -m --propagation private -- bash "$here/ns-nsscan.sh" "$bin" "$work/s" \
			"$nsscan_ns" "$nsscan_mounts" "$rounds"
	} | tee "$sout" || rc=1
	rm -rf "$work/s"
	log "written: $sout"
fi

if [ "$profile" = 1 ]; then
	pout=$here/results-$stamp-profile.md
	read -r -a all <<<"$ns_list"
	pns=("${all[0]}")
	[ "${#all[@]}" -lt 2 ] || pns+=("${all[${#all[@]} - 1]}")
	{
		printf '%s\n' "${meta[0]/benchmark/profile}" "${meta[2]}" "${meta[3]}" ""
		for n in "${pns[@]}"; do
			log "profile at N=$n"
			mkdir -p "$work/p$n"
			unshare -m --propagation private -- bash "$here/ns-profile.sh" "$bin" \
				"$work/p$n" "$n" "$profile_rounds"
			rm -rf "$work/p$n"
		done
	} | tee "$pout"
	log "written: $pout"
fi
exit "$rc"
