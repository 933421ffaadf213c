#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source-path=SCRIPTDIR
# Where user-umount's time goes, for one N. Runs inside
# `unshare -m --propagation private` (see run.sh --profile); prints markdown.
#   ns-profile.sh BINDIR WORK N ROUNDS
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/ns-setup.sh"
bin=$1 work=$2 n=$3 rounds=$4
setup_ns "$work"
"$bin/uubench" --setup-only --n "$n" --dir "$work/t" --uu x --uu-libmount x --tinyfuse x \
	--minimal x --only umount,uu-tmpfs,uul-tmpfs,minimal
tg=$work/t/tg
umount_bin=$(command -v umount)
tmp=$work/prof
mkdir -p "$tmp"

remount() { # tmpfs target, if a run left it unmounted
	[ "$(stat -c %m "$1")" = "$1" ] || mount -t tmpfs -o size=64k,mode=755 tmpfs "$1"
}

echo "## N = $n background mounts"
echo
echo "### Decomposition: each run alone, all interleaved, $rounds rounds"
echo
"$bin/uubench" --exec "$rounds" \
	"fork + exec /bin/true (root)|root|-|/bin/true" \
	"minimal_umount TARGET (root): + umount2()|root|$tg/minimal|$bin/minimal_umount $tg/minimal" \
	"same, linked with -lmount -lseccomp -lcap (root): + 7 DSOs|root|$tg/uul-tmpfs|$bin/minimal_umount_uulibs $tg/uul-tmpfs" \
	"user-umount -V (uubob): setuid exec, hygiene, privileges dropped|uubob|-|$bin/user-umount -V" \
	"user-umount --dry-run TARGET (uubob): + decision|uubob|-|$bin/user-umount --dry-run $tg/uu-tmpfs" \
	"user-umount TARGET (uubob): + unmount child|uubob|$tg/uu-tmpfs|$bin/user-umount $tg/uu-tmpfs" \
	"user-umount[libmount] --dry-run TARGET (uubob)|uubob|-|$bin/user-umount-libmount --dry-run $tg/umount" \
	"umount(8) TARGET (uubob)|uubob|$tg/umount|$umount_bin $tg/umount"
echo

if command -v strace >/dev/null; then
	echo "### System calls per unmount (strace -f -c; strace -u runs the setuid binary as the user)"
	echo
	echo '```'
	for what in "user-umount:uubob:$bin/user-umount:uu-tmpfs" "umount(8):uubob:$umount_bin:umount" \
		"minimal_umount:root:$bin/minimal_umount:minimal"; do
		IFS=: read -r label user prog t <<<"$what"
		remount "$tg/$t"
		if [ "$user" = root ]; then
			strace -f -c -o "$tmp/c.txt" "$prog" "$tg/$t" || true
		else
			strace -f -c -o "$tmp/c.txt" -u "$user" "$prog" "$tg/$t" || true
		fi
		total=$(awk '$NF == "total" {print $4}' "$tmp/c.txt")
		printf '%-15s %s syscalls; most frequent: %s\n' "$label" "$total" \
			"$(awk '$1 ~ /^[0-9.]+$/ && $NF != "total" {print $NF "=" $4}' "$tmp/c.txt" |
				sort -t= -k2 -nr | head -6 | tr '\n' ' ')"
	done
	remount "$tg/uu-tmpfs"
	# Kernel time of statmount (457) and listmount (458), which strace 6.1 cannot name.
	strace -f -T -o "$tmp/t.txt" -u uubob "$bin/user-umount" "$tg/uu-tmpfs" || true
	remount "$tg/uu-tmpfs"
	echo
	grep -E 'syscall_0x1c9|syscall_0x1ca' "$tmp/t.txt" |
		sed -E -e 's/syscall_0x1c9/statmount/' -e 's/syscall_0x1ca/listmount/' \
			-e 's/^[0-9]+ +([a-z]+)\(.*<([0-9.]+)>$/\1: \2 s in the kernel (strace -T)/'
	echo '```'
	echo
fi

if command -v perf >/dev/null && perf record -q -o "$tmp/probe.data" -e cpu-clock true 2>/dev/null; then
	# perf cannot follow a setuid exec: sample the whole machine, keep user-umount's.
	perf record -q -a -g -e cpu-clock -F 10000 -o "$tmp/perf.data" -- \
		"$bin/uubench" --exec "$rounds" \
		"user-umount TARGET|uubob|$tg/uu-tmpfs|$bin/user-umount $tg/uu-tmpfs" >/dev/null 2>&1
	echo "### perf (cpu-clock samples of the process named user-umount, $rounds unmounts)"
	echo
	echo '```'
	perf report -i "$tmp/perf.data" --stdio --comm user-umount --sort sym --no-children \
		-g none --percentage relative 2>/dev/null |
		awk '$2 == "[k]" {k += $1} $2 == "[.]" {u += $1}
			END {printf "kernel %.1f%%, user space %.1f%% of the samples\n", k, u}'
	echo "-- user space by library (share of the user-space samples):"
	perf report -i "$tmp/perf.data" --stdio --comm user-umount --sort dso --no-children \
		-g none --percentage relative 2>/dev/null | grep -v '^#' | grep -v '^$' | head -9
	echo "-- hottest symbols (self):"
	perf report -i "$tmp/perf.data" --stdio --comm user-umount --sort sym --no-children \
		-g none --percentage relative 2>/dev/null | grep -v '^#' | grep -v '^$' | head -12
	echo "-- inclusive, selected kernel entry points:"
	perf report -i "$tmp/perf.data" --stdio --comm user-umount --sort sym --children \
		-g none --percentage relative 2>/dev/null | grep -v '^#' | grep -v '^$' |
		grep -E '\] (__do_sys_listmount|__do_sys_statmount|do_exit|kernel_clone|copy_process|handle_mm_fault|path_umount|__do_sys_prctl|do_seccomp|load_elf_binary|bprm_execve|__x64_sys_connect|__x64_sys_rt_sigaction|synchronize_rcu_expedited|do_filp_open|__x64_sys_openat)$' |
		head -20
	echo '```'
	echo
	rm -f "$tmp/perf.data" "$tmp/probe.data"
fi

# At large N the libmount path that callgrind is limited to (below) is all
# there is to see: only at small N.
if [ "$n" -le 1000 ] && command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null; then
	# valgrind refuses setuid files: the 0755 copy, as root. Valgrind 3.19
	# does not know statmount/listmount (ENOSYS), so this run takes the
	# libmount fallback: its mounts_* lines are that path's cost, the rest
	# is common to both.
	remount "$tg/uu-tmpfs"
	valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.%p" \
		"$bin/user-umount-nosuid" --dry-run "$tg/uu-tmpfs" >/dev/null 2>"$tmp/vg.log" || true
	main=$tmp/cg.$(sed -n '1s/^==\([0-9]*\)==.*/\1/p' "$tmp/vg.log")
	echo "### callgrind: instructions of the parent process, user-umount --dry-run as root (libmount path, see above)"
	echo
	echo '```'
	callgrind_annotate --inclusive=yes --threshold=100 "$main" 2>/dev/null |
		grep -E 'PROGRAM TOTALS|[:]_dl_start |[:]main |[:]hygiene_process |[:]caller_load |[:]policyload_all |[:]privs_check |[:]run_target |[:]target_resolve |[:]facts_gather |[:]mounts_lookup |[:]mounts_list_below |[:]fstab_match |[:]utab_lookup |[:]report_result |[:]_dl_init |[:]exit ' |
		sed 's/ \[.*//'
	echo '```'
	echo
	rm -f "$tmp"/cg.*
fi
