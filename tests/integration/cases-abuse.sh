# SPDX-License-Identifier: GPL-2.0-or-later
# Abuse (SECURITY.md): hostile names in the mount table, hostile process
# state, signals and limits during the utab update, dead FUSE daemons.

# CVE-2021-3996: a FUSE mount on "X (deleted)" next to a victim's X.
case_abuse_deleted_suffix_fuse() {
	mount_tmpfs "$T/victim"
	tiny_mount uualice "$T/victim (deleted)" -o allow_other
	uu uualice "$T/victim (deleted)"
	expect_rc 0
	expect_unmounted "$T/victim (deleted)"
	expect_mounted "$T/victim"
	uu uualice "$T/victim"
	expect_rc 1
	expect_mounted "$T/victim"
}

# Names that break naive mount-table parsers. Each one, and only it, goes.
case_abuse_hostile_mount_point_names() {
	long=$(head -c 240 /dev/zero | tr '\0' L)
	deep="$T/deep"
	while [ ${#deep} -lt 3500 ]; do deep="$deep/$long"; done
	mkdir -p "$deep"
	for name in "$T/sp ace" "$T/lit\\040eral" "$T/t	ab" "$T/new
line" "$T/back\\slash" "$T/trail " "$deep/$long"; do
		users_tmpfs "$name"
		mount_tmpfs "$name-victim"
		uu uubob "$name-victim"
		expect_rc 1
		expect_mounted "$name-victim"
		uu uubob --json "$name"
		expect_rc 0
		python3 -c 'import json,os,sys; r=json.loads(sys.argv[1])["results"][0]; assert r["target"].encode("utf-8","surrogateescape")==os.fsencode(sys.argv[2]) and r["result"]=="unmounted", r' "$OUT" "$name" ||
			fail "json for $(printf %q "$name"): $OUT"
		expect_unmounted "$name"
		expect_mounted "$name-victim"
	done
}

# The literal name "a\040b" and the name "a b" are different mount points.
case_abuse_escaped_vs_real_space() {
	mount_tmpfs "$T/a b"
	users_tmpfs "$T/a\\040b"
	uu uubob "$T/a b"
	expect_rc 1
	expect_mounted "$T/a b"
	uu uubob "$T/a\\040b"
	expect_rc 0
	expect_mounted "$T/a b"
}

# Nothing in the environment changes anything: same result, same bytes.
case_abuse_environment() {
	users_tmpfs "$T/envok"
	mount_tmpfs "$T/envno"
	uu uubob "$T/envno"
	clean_err=$ERR
	mkdir -p "$WORK/evil"
	printf 'tmpfs %s tmpfs users 0 0\n' "$T/envno" >"$WORK/evil/fstab"
	for var in LD_PRELOAD="$WORK/evil/x.so" LD_LIBRARY_PATH="$WORK/evil" LC_ALL=xx_XX.UTF-8 \
		LANG=C.UTF-8 LC_MESSAGES=/etc TZ=../../../etc/shadow PATH="$WORK/evil" \
		MALLOC_CHECK_=3 MALLOC_PERTURB_=85 GLIBC_TUNABLES=glibc.malloc.check=3 \
		LIBMOUNT_FSTAB="$WORK/evil/fstab" LIBMOUNT_DEBUG=0xffff LIBBLKID_DEBUG=all \
		LIBSECCOMP_DEBUG=1 POSIXLY_CORRECT=1 NLSPATH=/etc/%N TMPDIR="$WORK/evil"; do
		uu "$var" --as uubob "$T/envno"
		# ld.so itself (before our code runs) may say it ignored LD_PRELOAD
		ERR=$(grep -v '^ERROR: ld.so: object .* from LD_PRELOAD cannot be preloaded' "$WORK/err")
		expect_rc 1
		[ "$ERR" = "$clean_err" ] || fail "with $var: '$ERR' vs '$clean_err'"
		expect_mounted "$T/envno"
	done
	uu LIBMOUNT_DEBUG=all LC_ALL=C --as uubob "$T/envok"
	expect_rc 0
	[ ! -s "$WORK/err" ] || fail "stderr: $(cat "$WORK/err")"
	expect_unmounted "$T/envok"
}

case_abuse_odd_fds() {
	users_tmpfs "$T/fd1"
	users_tmpfs "$T/fd2"
	# only stdin closed; many inherited fds; stdout a full device
	RC=0
	as uubob bash -c 'for i in $(seq 3 300); do eval "exec $i</dev/null"; done; exec "$0" "$1" <&-' \
		"$UU" "$T/fd1" 2>"$WORK/err" || RC=$?
	expect_rc 0
	expect_unmounted "$T/fd1"
	# a result nobody can read is no success: the unmount stands, exit 2
	RC=0
	as uubob "$UU" -v "$T/fd2" >/dev/full 2>"$WORK/err" || RC=$?
	ERR=$(cat "$WORK/err")
	expect_rc 2
	expect_err "user-umount: cannot write the result to standard output"
	expect_unmounted "$T/fd2"
}

case_abuse_huge_argv() {
	uu uubob $(seq -f "$T/nx%g" 1 5000)
	expect_rc 1
	expect_err "user-umount: too many TARGETs (at most 4096)"
	uu uubob $(seq -f "$T/nx%g" 1 200)
	expect_rc 32
	[ "$(printf '%s\n' "$ERR" | wc -l)" = 200 ] || fail "expected 200 lines"
}

utab_lines_ok() { # expected-file: utab's lines are a subset, intact
	sort /run/mount/utab >"$WORK/utab.now"
	comm -23 "$WORK/utab.now" "$1" | grep -q . && fail "utab has lines not in $1: $(cat /run/mount/utab)"
	ls -A /run/mount | grep -v -x -e utab -e utab.lock | grep -q . &&
		fail "left behind in /run/mount: $(ls -A /run/mount)"
	return 0
}

# CVE-2011-1676/1677: limits set to make the utab rewrite fail half-way.
# With CAP_SYS_RESOURCE the helper raises them and finishes; without it the
# update fails cleanly: exit 16, the unmount stands, utab is exactly as
# before, no temp file is left. Both outcomes are proven on every machine:
# the "without" one by dropping CAP_SYS_RESOURCE from the bounding set, the
# "raise" one with soft limits below the hard ones (no capability needed);
# raising a hard limit runs only where the bounding set has the capability.
rl_run() { # drop|keep LIMITS... ; sets RC
	local bset=()
	[ "$1" = keep ] || bset=(setpriv --bounding-set=-sys_resource)
	shift
	as uualice mount "$T/rl"
	sort /run/mount/utab >"$WORK/utab.before"
	grep -v "TARGET=$T/rl " /run/mount/utab | sort >"$WORK/utab.expect"
	uu "${bset[@]}" prlimit "$@" --as uualice "$T/rl"
	# Whatever the exit, utab's line set is the one before or the one
	# without this entry, and no temp file is left (utab_lines_ok).
	case "$RC" in
	0)
		expect_unmounted "$T/rl"
		[ "$(sort /run/mount/utab)" = "$(cat "$WORK/utab.expect")" ] || fail "utab: $(cat /run/mount/utab)"
		;;
	*)	# too few fds to start or to work (2), the loader could not map a
		# library (127), or an ASan build killed by SIGXFSZ before our
		# code ran (153): nothing done
		expect_mounted "$T/rl"
		[ "$(sort /run/mount/utab)" = "$(cat "$WORK/utab.before")" ] || fail "utab changed: $(cat /run/mount/utab)"
		umount "$T/rl"
		;;
	esac
	grep -v "TARGET=$T/rl " /run/mount/utab >"$WORK/utab.fix"
	cat "$WORK/utab.fix" >/run/mount/utab
	utab_lines_ok "$WORK/utab.before"
	echo "    $*: exit $RC"
}

case_abuse_rlimits_during_utab_update() {
	fstab_add "tmpfs $T/rl tmpfs user,noauto 0 0"
	mkdir -p "$T/rl"
	utab_add 'SRC=/dev/x TARGET=/keep\040me ROOT=/ OPTS=user=uubob'
	local sys_resource limits
	sys_resource=$(((0x$(awk '/^CapBnd/ {print $2}' /proc/self/status) >> 24) & 1))
	for limits in "--fsize=0:0" "--nofile=5:5" "--fsize=0:0 --nofile=5:5" "--fsize=1:1"; do
		# without the capability: never a success that skipped utab
		rl_run drop $limits
		case "$limits:$RC" in --fsize*:0) fail "exit 0 with RLIMIT_FSIZE $limits and no CAP_SYS_RESOURCE" ;; esac
		rl_run keep $limits
		[ "$sys_resource" = 0 ] || [ "$RC" != 16 ] || fail "exit 16 although limits could be raised"
	done
	# the drop run above reached the utab update, which comes before the
	# unmount: refused cleanly, the mount and utab as they were
	rl_run drop --fsize=0:0
	[ "$RC" = 2 ] || [ "$RC" = 153 ] || fail "no CAP_SYS_RESOURCE, fsize 0: exit $RC, expected 2"
	# soft limits below the hard ones are raised without a capability
	rl_run drop --fsize=0:unlimited
	[ "$RC" = 0 ] || [ "$RC" = 153 ] || fail "soft limits not raised: exit $RC"
	[ "$sys_resource" = 1 ] || echo "    (bounding set lacks CAP_SYS_RESOURCE: hard-limit raise not run)"
}

# Signal storms while the helper runs: whatever happens, utab is whole and
# no temp file is left; the mount is either gone or still there.
case_abuse_signal_storm_utab() {
	fstab_add "tmpfs $T/storm tmpfs user,noauto 0 0"
	mkdir -p "$T/storm"
	for i in $(seq 40); do
		utab_add "SRC=tmpfs TARGET=/other/$i ROOT=/ OPTS=user=uubob"
	done
	sort /run/mount/utab >"$WORK/utab.base"
	ends=""
	for i in $(seq 60); do
		mounted "$T/storm" || as uualice mount "$T/storm"
		sort /run/mount/utab >"$WORK/utab.expect"
		# start the storm anywhere from at once to after the helper is done
		out=$(as uualice "$WORK/bin/sigstorm" $((i * 250)) $((i % 7 * 3 + 1)) "$UU" "$T/storm")
		ends="$ends${out// /}
"
		utab_lines_ok "$WORK/utab.expect"
		# every base line survives, whatever the helper's fate
		comm -13 <(sort /run/mount/utab) "$WORK/utab.base" | grep -q . && fail "lost a line"
		if ! mounted "$T/storm"; then
			grep -q "TARGET=$T/storm " /run/mount/utab && umount_stale=1 || true
		fi
	done
	echo "    storm outcomes: $(printf '%s' "$ends" | sort | uniq -c | tr '\n' ' ')"
}

# A FUSE daemon that died: the owner unmounts at once, nobody hangs.
case_abuse_dead_fuse_daemon() {
	tiny_mount uualice "$T/dead" -o allow_other
	kill -9 "${DAEMONS##* }"
	sleep 0.2
	uu timeout 10 --as uubob "$T/dead"
	[ "$RC" != 124 ] || fail "helper hung for another user"
	expect_mounted "$T/dead"
	uu timeout 10 --as uualice "$T/dead"
	expect_rc 0
	expect_unmounted "$T/dead"
}
