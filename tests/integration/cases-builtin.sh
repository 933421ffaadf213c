# SPDX-License-Identifier: GPL-2.0-or-later
# Built-in rules (docs/DESIGN.md, "Who may unmount what"): fstab users / user / owner / group, utab
# user=, FUSE user_id=, and no entitlement. Each case sets up its own mounts.

case_users_any_user_may_unmount() {
	users_tmpfs "$T/users"
	uu uubob "$T/users"
	expect_rc 0
	expect_err ""
	expect_unmounted "$T/users"
}

case_users_verbose_names_rule() {
	users_tmpfs "$T/usersv"
	uu uualice -v "$T/usersv"
	expect_rc 0
	line=$(grep -n "$T/usersv" /etc/fstab | cut -d: -f1)
	expect_out_has "$T/usersv: unmounted (/etc/fstab:$line users)"
}

case_no_entitlement_denied() {
	mount_tmpfs "$T/plain"
	uu uubob "$T/plain"
	expect_rc 1
	expect_err "user-umount: $T/plain: permission denied: no fstab entry with user/users, no policy rule, not your FUSE mount"
	expect_mounted "$T/plain"
}

case_fstab_entry_without_user_options_denied() {
	fstab_add "tmpfs $T/defaults tmpfs defaults,noauto 0 0"
	mount_tmpfs "$T/defaults"
	uu uubob "$T/defaults"
	expect_rc 1
	expect_err_has "fstab entry has no user/users option"
	expect_mounted "$T/defaults"
}

# fstab matches the (source, type, target) triple: same target, other source
# or type is not the entry's mount.
case_users_entry_other_source_denied() {
	fstab_add "othersrc $T/othersrc tmpfs users,noauto 0 0"
	mount_tmpfs "$T/othersrc"
	uu uubob "$T/othersrc"
	expect_rc 1
	expect_err_has "permission denied: /etc/fstab:"
	expect_err_has " is for othersrc; tmpfs is mounted here, no policy rule"
	expect_mounted "$T/othersrc"
}

case_users_entry_other_type_denied() {
	fstab_add "tmpfs $T/othertype ramfs users,noauto 0 0"
	mount_tmpfs "$T/othertype"
	uu uubob "$T/othertype"
	expect_rc 1
	expect_err_has " is for type ramfs; tmpfs is mounted here, no policy rule"
	expect_mounted "$T/othertype"
}

# A real user mount: mount(8) records user=uualice in utab.
case_user_mounter_only() {
	fstab_add "tmpfs $T/user tmpfs user,noauto 0 0"
	mkdir -p "$T/user"
	utab_add 'SRC=/dev/other TARGET=/elsewhere\040with\040space ROOT=/ OPTS=user=uubob'
	as uualice mount "$T/user"
	utab_add 'SRC=tmpfs TARGET=/after ROOT=/ OPTS=user=uualice2'
	grep -q "TARGET=$T/user .*user=uualice" /run/mount/utab || fail "mount(8) wrote no utab entry"
	before=$(grep -v "TARGET=$T/user " /run/mount/utab)
	uu uualice2 "$T/user"
	expect_rc 1
	expect_err "user-umount: $T/user: permission denied: mounted by another user, no policy rule, not your FUSE mount"
	expect_mounted "$T/user"
	uu uubob "$T/user"
	expect_rc 1
	expect_mounted "$T/user"
	uu uualice "$T/user"
	expect_rc 0
	expect_unmounted "$T/user"
	# Only this mount's line is gone; every other line is kept byte for byte.
	[ "$(cat /run/mount/utab)" = "$before" ] || fail "utab: '$(cat /run/mount/utab)' expected '$before'"
}

# Both ways: Debian 12's umount lets uualice2 unmount uualice's mount.
case_user_name_prefix_alice_vs_alice2() {
	fstab_add "tmpfs $T/prefix tmpfs user,noauto 0 0"
	mkdir -p "$T/prefix"
	as uualice mount "$T/prefix"
	uu uualice2 "$T/prefix"
	expect_rc 1
	expect_err_has "mounted by another user"
	expect_mounted "$T/prefix"
	uu uualice "$T/prefix"
	expect_rc 0
	as uualice2 mount "$T/prefix"
	grep -q "user=uualice2" /run/mount/utab || fail "no utab entry"
	uu uualice "$T/prefix"
	expect_rc 1
	expect_err_has "mounted by another user"
	expect_mounted "$T/prefix"
	uu uualice2 "$T/prefix"
	expect_rc 0
	expect_unmounted "$T/prefix"
}

case_user_without_utab_entry_denied() {
	fstab_add "tmpfs $T/nouser tmpfs user,noauto 0 0"
	mount_tmpfs "$T/nouser"
	uu uualice "$T/nouser"
	expect_rc 1
	expect_err_has "no mounter is recorded"
	expect_mounted "$T/nouser"
}

case_owner_and_group_mounter_only() {
	for opt in owner group; do
		fstab_add "tmpfs $T/$opt tmpfs $opt,noauto 0 0"
		mount_tmpfs "$T/$opt"
		utab_add "SRC=tmpfs TARGET=$T/$opt ROOT=/ OPTS=user=uualice"
		uu uubob "$T/$opt"
		expect_rc 1
		expect_mounted "$T/$opt"
		uu uualice2 "$T/$opt"
		expect_rc 1
		expect_mounted "$T/$opt"
		uu uualice -v "$T/$opt"
		expect_rc 0
		expect_out_has "($(printf /etc/fstab:%s "$(grep -n "$T/$opt " /etc/fstab | cut -d: -f1)") $opt)"
		expect_unmounted "$T/$opt"
		! grep -q "TARGET=$T/$opt " /run/mount/utab || fail "utab entry left"
	done
}

# utab is only trusted when root owns it and nobody else can write it.
case_utab_writable_by_others_refused() {
	fstab_add "tmpfs $T/utabw tmpfs user,noauto 0 0"
	mount_tmpfs "$T/utabw"
	utab_add "SRC=tmpfs TARGET=$T/utabw ROOT=/ OPTS=user=uubob"
	chmod 666 /run/mount/utab
	uu uubob "$T/utabw"
	chmod 644 /run/mount/utab
	expect_rc 2
	expect_err_has "/run/mount/utab is not owned by root or is writable by others"
	expect_mounted "$T/utabw"
}

case_fuse_owner_may_unmount() {
	fuse_mount uualice "$T/fuse-own" --no-allow-other
	uu uualice -v "$T/fuse-own"
	expect_rc 0
	expect_out_has "(FUSE user_id)"
	expect_unmounted "$T/fuse-own"
}

# CVE-2021-3995: user_id=4100 must not match uid 41000, nor the reverse.
case_fuse_uid_prefix_denied() {
	fuse_mount uualice "$T/fuse-4100" -o allow_other
	uu uualice2 "$T/fuse-4100"
	expect_rc 1
	expect_err "user-umount: $T/fuse-4100: permission denied: no fstab entry with user/users, no policy rule, not your FUSE mount"
	expect_mounted "$T/fuse-4100"
	fuse_mount uualice2 "$T/fuse-41000" -o allow_other
	uu uualice "$T/fuse-41000"
	expect_rc 1
	expect_mounted "$T/fuse-41000"
	uu uualice2 "$T/fuse-41000"
	expect_rc 0
	expect_unmounted "$T/fuse-41000"
}

# Without allow_other, another user cannot even reach the mount: they get
# exactly the error they would get from stat(2).
case_fuse_other_user_no_allow_other() {
	fuse_mount uualice "$T/fuse-private" --no-allow-other
	uu uubob "$T/fuse-private"
	expect_rc 1
	expect_err "user-umount: $T/fuse-private: permission denied"
	expect_mounted "$T/fuse-private"
}

# CVE-2021-3996: a FUSE fsname can claim to be a device; fstab matching is by
# device number and type, so it gains nothing.
case_fuse_fsname_spoofing_device() {
	fstab_add "/dev/vda $T/spoof ext4 users,noauto 0 0"
	tiny_mount uualice "$T/spoof" -o allow_other,fsname=/dev/vda
	grep -q " $T/spoof .* /dev/vda " /proc/self/mountinfo || fail "fsname not shown as /dev/vda"
	uu uubob "$T/spoof"
	expect_rc 1
	expect_mounted "$T/spoof"
	# with type "auto" only the device number can tell them apart
	fstab_add "/dev/vda $T/spoof3 auto users,noauto 0 0"
	tiny_mount uualice "$T/spoof3" -o allow_other,fsname=/dev/vda
	uu uubob "$T/spoof3"
	expect_rc 1
	expect_mounted "$T/spoof3"
	# and a subtype cannot make it another file system type
	fstab_add "tmpfs $T/spoof2 tmpfs users,noauto 0 0"
	tiny_mount uualice "$T/spoof2" -o allow_other,fsname=tmpfs,subtype=tmpfs
	uu uubob "$T/spoof2"
	expect_rc 1
	expect_mounted "$T/spoof2"
}

# The caller's own FUSE mount stacked on someone else's mount: if it went
# away between the helper's re-check and umount2(), the mount beneath would
# be unmounted. Refused; stacked on a mount the caller may unmount, allowed.
case_fuse_stacked_on_other_mount() {
	mount_tmpfs "$T/stackv" "mode=0755,uid=4100"
	tiny_mount uualice "$T/stackv" -o allow_other
	uu uualice "$T/stackv"
	expect_rc 1
	expect_err "user-umount: $T/stackv: permission denied: it is stacked on a mount you may not unmount (tmpfs); if it went away first, that one would be unmounted instead"
	expect_mounted "$T/stackv"
	fstab_add "tmpfs $T/stackok tmpfs users,noauto 0 0"
	mount_tmpfs "$T/stackok" "mode=0777"
	tiny_mount uualice "$T/stackok" -o allow_other
	uu uualice -v "$T/stackok"
	expect_rc 0
	expect_out_has "(FUSE user_id)"
	mounted "$T/stackok" || fail "the tmpfs beneath went too"
}
