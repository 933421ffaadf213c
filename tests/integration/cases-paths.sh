# SPDX-License-Identifier: GPL-2.0-or-later
# Path tricks, never-rules and hostile process state (SECURITY.md).

# A link as last component stays refused, even to a mount the caller may
# unmount (docs: naming the mount point is what makes the unmount safe),
# and the message says how to name it; by that name the unmount works.
case_symlink_last_component_refused() {
	users_tmpfs "$T/symtarget"
	ln -s "$T/symtarget" "$T/symlink"
	ln -s symtarget "$T/symlink-rel"
	for path in "$T/symlink" "$T/symlink/" "$T/symlink//" "$T/symlink-rel"; do
		for opt in "" --dry-run -l; do
			uu uubob $opt "$path"
			expect_rc 1
			expect_err "user-umount: $path: is a symbolic link; name the mount point itself, not a link to it (readlink -f shows where the link leads)"
			expect_mounted "$T/symtarget"
		done
	done
	uu uubob --json "$T/symlink"
	expect_rc 1
	python3 -c 'import json,sys; r=json.loads(sys.argv[1])["results"][0]; assert r["result"]=="denied" and r["reason"]=="symlink", r' "$OUT" ||
		fail "json: $OUT"
	uu uubob "$(readlink -f "$T/symlink")" # as the message says
	expect_rc 0
	expect_unmounted "$T/symtarget"
}

# Symlinks in the directories above the last component are fine.
case_symlink_in_parent_followed() {
	mkdir -p "$T/realparent"
	users_tmpfs "$T/realparent/m"
	ln -s "$T/realparent" "$T/linkparent"
	fstab_add "tmpfs $T/linkparent/m tmpfs users,noauto 0 0"
	uu uubob "$T/linkparent/m"
	expect_rc 0
	expect_unmounted "$T/realparent/m"
}

case_not_a_mount_point() {
	mkdir -p "$T/plaindir"
	uu uubob "$T/plaindir"
	expect_rc 32
	expect_err "user-umount: $T/plaindir: not a mount point"
}

case_nonexistent() {
	uu uubob "$T/does-not-exist"
	expect_rc 32
	expect_err "user-umount: $T/does-not-exist: no such file or directory"
}

# CVE-2013-0157: under a directory the caller cannot search, an existing
# mount and a missing name give the same answer.
case_unsearchable_directory_no_oracle() {
	mkdir -p "$T/secret"
	users_tmpfs "$T/secret/m"
	chmod 700 "$T/secret"
	uu uubob "$T/secret/m"
	rc_m=$RC
	err_m=${ERR/\/m:/\/X:}
	uu uubob "$T/secret/missing"
	expect_rc "$rc_m"
	[ "${ERR/\/missing:/\/X:}" = "$err_m" ] || fail "differs: '$ERR' vs '$err_m'"
	expect_rc 1
	expect_err "user-umount: $T/secret/missing: permission denied"
	expect_mounted "$T/secret/m"
}

case_root_refused() {
	fstab_add "/dev/vda / ext4 users 0 0"
	for path in / // /. ; do
		uu uubob "$path"
		expect_rc 1
		expect_mounted /
	done
	uu uubob /
	expect_err "user-umount: /: permission denied: the root mount can never be unmounted by a user"
}

# '.' and '..' name no entry of a parent directory, so they stay refused,
# from inside the mount too; the message says how to name the mount point.
case_dot_and_dotdot_refused() {
	local why="name the mount point by its path, not '.' or '..' (pwd shows the path of '.'; user-umount --list shows the mount points you may unmount)"
	users_tmpfs "$T/dots"
	mkdir -p "$T/dots/sub"
	for path in "$T/dots/." "$T/dots/sub/.." "$T/dots/./"; do
		uu uubob "$path"
		expect_rc 1
		expect_err "user-umount: $path: $why"
		expect_mounted "$T/dots"
	done
	cd "$T/dots"
	uu uubob .
	expect_rc 1
	expect_err "user-umount: .: $why"
	cd sub
	uu uubob ..
	expect_rc 1
	expect_err "user-umount: ..: $why"
	uu uubob --json ..
	python3 -c 'import json,sys; r=json.loads(sys.argv[1])["results"][0]; assert r["reason"]=="dot", r' "$OUT" ||
		fail "json: $OUT"
	cd /
	expect_mounted "$T/dots"
	uu uubob "$T/dots" # by its path, as the message says
	expect_rc 0
	expect_unmounted "$T/dots"
}

# A path through /proc/PID/root leads into another mount namespace.
case_other_namespace_refused() {
	users_tmpfs "$T/otherns"
	$(as_bg_cmd uubob) unshare -Urm --propagation private sleep 30 &
	pid=$!
	DAEMONS="$DAEMONS $pid"
	sleep 0.3
	child=$(pgrep -P "$pid" || echo "$pid")
	uu uubob "/proc/$child/root$T/otherns"
	expect_rc 1
	expect_err_has "not a mount of your mount namespace"
	expect_mounted "$T/otherns"
}

# The setuid binary reads nothing from the environment.
case_environment_ignored() {
	mount_tmpfs "$T/envtarget"
	printf 'tmpfs %s tmpfs users 0 0\n' "$T/envtarget" >"$WORK/fake-fstab"
	printf 'SRC=tmpfs TARGET=%s ROOT=/ OPTS=user=uubob\n' "$T/envtarget" >"$WORK/fake-utab"
	chmod 644 "$WORK/fake-fstab" "$WORK/fake-utab"
	uu LIBMOUNT_FSTAB="$WORK/fake-fstab" LIBMOUNT_UTAB="$WORK/fake-utab" \
		LIBMOUNT_MTAB="$WORK/fake-utab" LIBMOUNT_DEBUG=all --as uubob "$T/envtarget"
	expect_rc 1
	expect_err "user-umount: $T/envtarget: permission denied: no fstab entry with user/users, no policy rule, not your FUSE mount"
	expect_mounted "$T/envtarget"
}

case_closed_std_fds() {
	users_tmpfs "$T/fds"
	RC=0
	as uubob "$UU" "$T/fds" <&- >&- 2>&- || RC=$?
	expect_rc 0
	expect_unmounted "$T/fds"
	mount_tmpfs "$T/fds-denied"
	cp /run/mount/utab "$WORK/utab.before"
	RC=0
	as uubob "$UU" "$T/fds-denied" <&- >&- 2>&- || RC=$?
	expect_rc 1
	expect_mounted "$T/fds-denied"
	cmp -s /run/mount/utab "$WORK/utab.before" || fail "utab changed"
}

case_argc_zero_refused() {
	users_tmpfs "$T/argc0"
	RC=0
	as uubob "$WORK/bin/exec_argc0" "$UU" >"$WORK/out" 2>"$WORK/err" || RC=$?
	ERR=$(cat "$WORK/err")
	expect_rc 1
	expect_err "user-umount: refusing to run with an empty argument list (argc is 0)"
	expect_mounted "$T/argc0"
}

case_without_setuid_bit() {
	users_tmpfs "$T/nosuid"
	RC=0
	as uubob "$WORK/bin/user-umount-nosuid" "$T/nosuid" >"$WORK/out" 2>"$WORK/err" || RC=$?
	ERR=$(cat "$WORK/err")
	expect_rc 1
	expect_err_has "not running as setuid root"
	expect_mounted "$T/nosuid"
}

case_no_new_privs() {
	users_tmpfs "$T/nnp"
	uu setpriv --no-new-privs --as uubob "$T/nnp"
	expect_rc 1
	expect_err_has "no_new_privs is set"
	expect_mounted "$T/nnp"
}

case_several_targets_some_fail() {
	users_tmpfs "$T/multi-ok"
	mount_tmpfs "$T/multi-denied"
	uu uubob "$T/multi-ok" "$T/multi-denied"
	expect_rc 64
	expect_unmounted "$T/multi-ok"
	expect_mounted "$T/multi-denied"
	users_tmpfs "$T/multi-a"
	users_tmpfs "$T/multi-b"
	uu uubob "$T/multi-a" "$T/multi-b"
	expect_rc 0
	expect_unmounted "$T/multi-a"
	expect_unmounted "$T/multi-b"
}

case_usage_errors() {
	uu uubob
	expect_rc 1
	expect_err "user-umount: no TARGET given (try --help)"
	uu uubob ""
	expect_rc 1
	expect_err "user-umount: empty TARGET"
	uu uubob --lazy-typo /x
	expect_rc 1
	expect_err "user-umount: unknown option '--lazy-typo'"
	uu uubob "/$(head -c 5000 /dev/zero | tr '\0' a)"
	expect_rc 1
	expect_err "user-umount: TARGET 1 is longer than PATH_MAX (4096 bytes)"
}

case_hostile_name_escaped_in_message() {
	d=$(printf '%s/bad\nname\033[31m' "$T")
	mkdir -p "$d"
	uu uubob "$d"
	expect_rc 32
	expect_err "user-umount: $T/bad\\x0aname\\x1b[31m: not a mount point"
}

case_version_names_paths() {
	uu uubob -V
	expect_rc 0
	expect_out_has "policy: "
	expect_out_has "fstab: /etc/fstab"
	expect_out_has "utab: /run/mount/utab"
}

# A lone --help or --version gives up root before anything else: it
# answers where every other run is refused (here an RLIMIT_CPU that cannot
# be raised, exit 4), and says what the full path says.
case_version_alone_needs_nothing() {
	local full
	uu uubob --vers
	expect_rc 0
	full=$OUT
	for a in -V --version; do
		uu setpriv --bounding-set=-sys_resource prlimit --cpu=100 --as uubob "$a"
		expect_rc 0
		[ "$OUT" = "$full" ] || fail "$a: '$OUT', the parsed --vers: '$full'"
	done
	for a in -h --help; do
		uu setpriv --bounding-set=-sys_resource prlimit --cpu=100 --as uubob "$a"
		expect_rc 0
		expect_out_has "usage: user-umount [options] [--] TARGET..."
	done
	uu setpriv --bounding-set=-sys_resource prlimit --cpu=100 --as uubob --vers
	expect_rc 4
	expect_err_has "RLIMIT_CPU is 100"
	# and it holds nothing while it answers: held in its write to a full
	# pipe, its ids, capabilities and no_new_privs are read from /proc
	local p pid nr st="" gid
	gid=$(id -g uubob)
	mkfifo "$WORK/full"
	exec {p}<>"$WORK/full"
	# filled to whatever its capacity is: written until EAGAIN
	dd if=/dev/zero of="/dev/fd/$p" bs=4096 count=4096 oflag=nonblock 2>/dev/null || true
	env -i PATH=/usr/bin:/bin setpriv --reuid=uubob --regid="$gid" --init-groups -- \
		"$UU" -V >&"$p" 2>"$WORK/err" &
	pid=$!
	for _ in $(seq 300); do
		nr=$(cut -d' ' -f1 "/proc/$pid/syscall" 2>/dev/null) || nr=""
		if [ "$nr" = 1 ] && [ "$(readlink "/proc/$pid/exe")" = "$UU" ]; then
			st=$(grep -E '^(Uid|Gid|Groups|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):' "/proc/$pid/status")
			break
		fi
		sleep 0.01
	done
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	exec {p}>&-
	[ -n "$st" ] || fail "-V was never seen writing to the full pipe"
	for want in "Uid:	4200	4200	4200	4200" "Gid:	$gid	$gid	$gid	$gid" \
		"CapPrm:	0000000000000000" "CapEff:	0000000000000000" \
		"CapBnd:	0000000000000000" "CapAmb:	0000000000000000" "NoNewPrivs:	1"; do
		grep -qxF "$want" <<<"$st" || fail "-V while it prints: no '$want' in: $st"
	done
}

# A caller who dropped capabilities from the bounding set before exec: no
# CAP_SYS_ADMIN is a clear refusal; no CAP_SETPCAP makes the unmount child
# unable to narrow itself, and it refuses to go on.
case_bounding_set_dropped() {
	users_tmpfs "$T/bnd"
	uu setpriv --bounding-set=-sys_admin --as uubob "$T/bnd"
	expect_rc 1
	expect_err_has "CAP_SYS_ADMIN is not in this process's capability bounding set"
	expect_mounted "$T/bnd"
	uu setpriv --bounding-set=-setpcap --as uubob "$T/bnd"
	expect_rc 4
	expect_err_has "cannot narrow privileges; nothing was done"
	expect_mounted "$T/bnd"
}

# Exit codes next to umount(8)'s and fusermount3's, each program run as the
# same user on the same mounts: the table in user-umount(8), EXIT STATUS,
# row by row (and its rows are what the man page says).
case_exit_codes_next_to_umount() {
	local man rows=0 pid
	man=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/man/user-umount.8
	code() { "$@" >/dev/null 2>&1; echo $?; }
	row() { # situation umount fusermount3 user-umount: measured, then in the man page
		local what=$1 u=$2 f=$3 uu=$4
		[ "$u" = "$5" ] || fail "$what: umount(8) exits $5, the table says $u"
		[ "$f" = "$6" ] || fail "$what: fusermount3 exits $6, the table says $f"
		[ "$uu" = "$7" ] || fail "$what: user-umount exits $7, the table says $uu"
		grep -qxF ".It $what Ta $u Ta $f Ta $uu" "$man" || fail "$what: not in the man page's table"
		rows=$((rows + 1))
	}
	uurc() { uu "$@" >/dev/null 2>&1; echo "$RC"; }
	users_tmpfs "$T/par-ok"
	fuse_mount uualice "$T/par-fuse"
	a=$(code as uubob umount "$T/par-ok")
	mount_tmpfs "$T/par-ok" # its fstab entry is there already
	b=$(code as uualice fusermount3 -u "$T/par-fuse")
	fuse_mount uualice "$T/par-fuse"
	row "unmounted" 0 0 0 "$a" "$b" "$(uurc uubob "$T/par-ok")"
	row "bad option" 1 1 1 "$(code as uubob umount --bogus "$T/par-fuse")" \
		"$(code as uualice fusermount3 --bogus -u "$T/par-fuse")" "$(uurc uubob --bogus "$T/par-fuse")"
	mount_tmpfs "$T/par-root" # no fstab entry: root's
	row "mounted, not yours" 32 1 1 "$(code as uubob umount "$T/par-root")" \
		"$(code as uubob fusermount3 -u "$T/par-fuse")" "$(uurc uubob "$T/par-fuse")"
	[ "$(uurc uubob "$T/par-root")" = 1 ] || fail "user-umount on root's tmpfs: not 1"
	mkdir -p "$T/par-dir"
	row "not a mount point" 1 1 32 "$(code as uubob umount "$T/par-dir")" \
		"$(code as uubob fusermount3 -u "$T/par-dir")" "$(uurc uubob "$T/par-dir")"
	row "no such file or directory" 1 1 32 "$(code as uubob umount "$T/par-none")" \
		"$(code as uubob fusermount3 -u "$T/par-none")" "$(uurc uubob "$T/par-none")"
	# busy: a process of the caller's sits in each mount
	(cd "$T/par-fuse" && exec $(as_bg_cmd uualice) sleep 1000) &
	pid=$!
	users_tmpfs "$T/par-busy"
	(cd "$T/par-busy" && exec $(as_bg_cmd uubob) sleep 1000) &
	DAEMONS="$DAEMONS $pid $!"
	for p in $pid $!; do
		for _ in $(seq 200); do
			[ "$(cat "/proc/$p/comm" 2>/dev/null)" = sleep ] && break
			sleep 0.05
		done
	done
	row "busy" 32 1 32 "$(code as uubob umount "$T/par-busy")" \
		"$(code as uualice fusermount3 -u "$T/par-fuse")" "$(uurc uubob "$T/par-busy")"
	expect_mounted "$T/par-busy"
	expect_mounted "$T/par-fuse"
	# a link as last component: followed by umount(8), refused here
	users_tmpfs "$T/par-lt"
	ln -s "$T/par-lt" "$T/par-link"
	fuse_mount uubob "$T/par-fuse2"
	ln -s "$T/par-fuse2" "$T/par-flink"
	a=$(code as uubob umount "$T/par-link")
	b=$(code as uubob fusermount3 -u "$T/par-flink")
	mount_tmpfs "$T/par-lt"
	row "symbolic link to the mount" 0 1 1 "$a" "$b" "$(uurc uubob "$T/par-link")"
	expect_mounted "$T/par-lt"
	users_tmpfs "$T/par-some"
	users_tmpfs "$T/par-some2"
	a=$(code as uubob umount "$T/par-some" "$T/par-dir")
	row "several, only some unmounted" 1 - 64 "$a" - "$(uurc uubob "$T/par-some2" "$T/par-dir")"
	expect_unmounted "$T/par-some"
	expect_unmounted "$T/par-some2"
	[ "$rows" = 8 ] || fail "$rows rows checked, the table has 8"
}
