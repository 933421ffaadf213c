# SPDX-License-Identifier: GPL-2.0-or-later
# Race suite (SECURITY.md "rename/symlink race"): an
# attacker running as the same user races the installed helper thousands of
# times. racer (racer.c) drives each scenario in a mount namespace of its own
# with a throw-away tmpfs as "/", runs the helper UU_RACE_RUNS times (default
# 2000) and checks after every run, by unique mount ID, that no mount but the
# entitled ones disappeared and that "/" is still writable. Layout under
# $T/race-SCENARIO (made by racer): att/ is the attacker's directory.

race() { # scenario [runs, unless UU_RACE_RUNS says; default 2000]
	# RACE_DIR: another directory than race-SCENARIO (the same scenario
	# with other options, in the namespace all cases share)
	local dir=${RACE_DIR:-$T/race-$1}
	[ -x "$WORK/bin/racer" ] || fail "racer is not installed: pass it to run.sh"
	mkdir -p "$dir"
	chmod 755 "$dir"
	# without listmount the parent mount's root must be "/" (racer.c,
	# att_on_own_tmpfs); the userns scenarios arrange that themselves
	case $1 in
	final | parent | remount) api_has_ids || local -x UU_RACE_ATT_TMPFS=1 ;;
	esac
	RC=0
	"$WORK/bin/racer" "$1" uubob "${UU_RACE_RUNS:-${2:-2000}}" "$dir" "$UU" "$WORK/bin/tinyfuse" \
		>"$WORK/out" 2>"$WORK/err" || RC=$?
	sed 's/^/    /' "$WORK/out"
	[ "$RC" = 0 ] || fail "racer exit $RC: $(head -c 4000 "$WORK/err")"
}

# a. The last component swaps between the entitled mount point, a symlink to
# a victim mount and a symlink to "/" (RENAME_EXCHANGE, from the attacker's
# own user+mount namespace, where the mount point is a plain directory).
case_race_final_component_swap() {
	fstab_add "uuent $T/race-final/att/x tmpfs users,noauto 0 0"
	race final
}

# b. The directory holding the entitled mount point is swapped with a symlink
# to a root directory whose m is a victim, a directory whose m links to "/",
# and a directory whose m is another victim.
case_race_parent_directory_swap() {
	fstab_add "uuent $T/race-parent/att/p/m tmpfs users,noauto 0 0"
	race parent
}

# c. The user's own FUSE mount (tinyfuse via fusermount3) is stacked on a
# victim tmpfs and unmounted again in a loop: the helper may unmount the
# FUSE mount, never the victim under it.
case_race_fuse_stacked_on_victim() {
	race fuse
}

# d. Root mounts fresh entitled and victim tmpfs instances on top of each
# other at the attacker's name while the attacker unmounts the entitled ones
# with the helper too (legacy mount IDs get reused; unique ones do not).
case_race_remount_underneath() {
	fstab_add "uuent $T/race-remount/att/x tmpfs users,noauto 0 0"
	race remount
}

# e. The mount-point swap from the caller's own user namespace (issue 9):
# the attacker unshares a user+mount namespace before root mounts anything
# on att/a (entitled) and att/v (a victim, in every other epoch), and
# exchanges the two directories there, where neither is a mount point; the
# mounts follow their directories. Refused while the victim is there (the
# neighbour rule), the entitled mount goes in the other epochs.
case_race_userns_swap() {
	fstab_add "uuent $T/race-userns/att/a tmpfs users,noauto 0 0"
	race userns
}

# e2. The same swap against -l (issue 16): a lazy unmount names no path,
# it detaches the mount of the target's own fd (/proc/self/fd/N), so no
# exchange of a and v at any moment can make it detach root's victim; and
# it does not refuse for that either: the runs without a victim unmount.
# 1000 runs.
case_race_userns_swap_lazy() {
	fstab_add "uuent $T/race-userns-lazy/att/a tmpfs users,noauto 0 0"
	RACE_DIR=$T/race-userns-lazy UU_RACE_HELPER_OPT=-l race userns 1000
}

# f. The same, and the user also stops every helper process it may signal
# (scanning /proc), has the names swapped while it is stopped, and
# continues it: the main process and the unmount child must refuse the
# signal (EPERM), and no process may be stopped while privileged.
case_race_userns_swap_stopped() {
	fstab_add "uuent $T/race-userns-stop/att/a tmpfs users,noauto 0 0"
	race userns-stop
}

# g. The neighbour swap where the parent mount PM is a bind mount of a
# subdirectory (issue 16): root binds X/sub (X: root's tmpfs on x/) on pm/;
# pm/att holds the entitled mount (a) and a victim (v), X/sub/n 256 more
# tmpfs of root's. From its own user and mount namespace, which has both
# views of X, the attacker moves att out of PM's root (to X/out) and back
# while the helper runs, and exchanges a and v meanwhile. Out there, the
# two mounts have no mount point a table can show; whether the helper
# lists PM's children then, or pins the victim then, it must refuse or
# hold the pin. Runs the attacker left alone must unmount. 1000 runs.
# Without listmount (the forced libmount build, like a kernel before 6.8)
# mounts outside PM's root cannot be listed: every plain unmount under such
# a PM is refused, and nothing is raced.
case_race_userns_hidden_parent() {
	local d=$T/race-userns-hidden
	fstab_add "uuent $d/pm/att/a tmpfs users,noauto 0 0"
	if api_has_ids; then
		race userns-hidden 1000
		return 0
	fi
	mkdir -p "$d/x" "$d/pm"
	chmod 755 "$d" "$d/x" "$d/pm"
	mount -t tmpfs -o mode=755 uuhidden "$d/x"
	at_end umount -R "$d/x"
	mkdir -p "$d/x/sub/att/a"
	chown uubob "$d/x/sub" "$d/x/sub/att" "$d/x/sub/att/a"
	mount --bind "$d/x/sub" "$d/pm"
	at_end umount -R "$d/pm"
	mount -t tmpfs uuent "$d/pm/att/a"
	uu uubob "$d/pm/att/a"
	expect_rc 1
	expect_err_has "mounts outside its root cannot be listed on this kernel"
	expect_mounted "$d/pm/att/a"
	uu uubob -l "$d/pm/att/a"
	expect_rc 0
	expect_unmounted "$d/pm/att/a"
}

# h. The neighbour swap in a directory owned by one of the caller's
# subordinate uids (issue 16): att/ belongs to uid 420006; the user maps
# 420000-485535 into its own user namespace with newuidmap and newgidmap
# (package uidmap), becomes att's owner there and exchanges a and v while
# the helper runs. Runs the attacker left alone must unmount. 1000 runs.
case_race_userns_subuid() {
	local f
	for f in subuid subgid; do
		cp -p "/etc/$f" "$WORK/$f.saved" 2>/dev/null || : >"$WORK/$f.saved"
		at_end "cp '$WORK/$f.saved' /etc/$f"
		printf 'uubob:420000:65536\n' >>"/etc/$f"
	done
	fstab_add "uuent $T/race-userns-subuid/att/a tmpfs users,noauto 0 0"
	race userns-subuid 1000
}
