# SPDX-License-Identifier: GPL-2.0-or-later
# The policy file (user-umount.conf(5)) as the installed binary loads it from the
# compiled-in directory ($POLICY_DIR, under the overlaid /etc).

case_policy_permit_grants_listed_flags_only() {
	mount_tmpfs "$T/pscratch"
	policy_set policy.conf "# lab scratch
permit lazy * on $T/pscratch"
	uu uubob -f "$T/pscratch"
	expect_rc 1
	expect_err "user-umount: $T/pscratch: permission denied: force not granted by $POLICY_DIR/policy.conf:2 permit"
	uu uubob --dry-run -v -l "$T/pscratch"
	expect_rc 0
	expect_out_has "would-unmount ($POLICY_DIR/policy.conf:2 permit)"
	uu uubob -l "$T/pscratch"
	expect_rc 0
	expect_unmounted "$T/pscratch"
}

case_policy_deny_overrides_fstab() {
	fstab_add "tmpfs $T/phome tmpfs users,noauto 0 0"
	mount_tmpfs "$T/phome"
	policy_set policy.conf "deny * on $T/phome"
	uu uubob "$T/phome"
	expect_rc 1
	expect_err "user-umount: $T/phome: permission denied: denied by $POLICY_DIR/policy.conf:1 deny"
	expect_mounted "$T/phome"
}

case_policy_group_and_user_expansion() {
	for u in uualice uubob; do
		mkdir -p "$T/media/$u"
		mount_tmpfs "$T/media/$u/usb"
	done
	policy_set policy.conf "permit :uuplug on $T/media/%u/* type vfat,tmpfs"
	uu uubob "$T/media/uubob/usb"
	expect_rc 1
	expect_mounted "$T/media/uubob/usb"
	uu uualice "$T/media/uubob/usb"
	expect_rc 1
	expect_mounted "$T/media/uubob/usb"
	uu uualice -v "$T/media/uualice/usb"
	expect_rc 0
	expect_out_has "($POLICY_DIR/policy.conf:1 permit)"
	expect_unmounted "$T/media/uualice/usb"
}

case_policy_d_in_byte_order_last_wins() {
	mount_tmpfs "$T/porder"
	policy_set policy.conf "deny * on $T/porder"
	policy_set policy.d/9-b.conf "permit uubob on $T/porder"
	policy_set policy.d/10-a.conf "deny uubob on $T/porder"
	policy_set policy.d/20-c.txt "deny uubob on $T/porder"
	# byte order: policy.conf, then 10-a.conf, then 9-b.conf; *.txt ignored
	uu uubob --dry-run -v "$T/porder"
	expect_rc 0
	expect_out_has "($POLICY_DIR/policy.d/9-b.conf:1 permit)"
	uu uualice "$T/porder"
	expect_rc 1
	expect_err "user-umount: $T/porder: permission denied: denied by $POLICY_DIR/policy.conf:1 deny"
}

# Loading fails closed: nothing is unmounted, the message names the file.
case_policy_unsafe_states_refused() {
	users_tmpfs "$T/punsafe"
	check_refused() { # expected message part
		uu uubob "$T/punsafe"
		expect_rc 2
		expect_err_has "$1"
		expect_err_has "nothing was unmounted"
		expect_mounted "$T/punsafe"
	}
	policy_set policy.conf "permit * on /nowhere"
	chown uubob "$POLICY_DIR/policy.conf"
	check_refused "$POLICY_DIR/policy.conf: "
	chown root "$POLICY_DIR/policy.conf"
	chmod 664 "$POLICY_DIR/policy.conf"
	check_refused "$POLICY_DIR/policy.conf: "
	chmod 646 "$POLICY_DIR/policy.conf"
	check_refused "$POLICY_DIR/policy.conf: "
	chmod 644 "$POLICY_DIR/policy.conf"
	chmod 777 "$POLICY_DIR/policy.d"
	check_refused "$POLICY_DIR/policy.d"
	chmod 755 "$POLICY_DIR/policy.d"
	printf 'permit * on /nowhere\n' >"$WORK/elsewhere.conf"
	ln -s "$WORK/elsewhere.conf" "$POLICY_DIR/policy.d/link.conf"
	check_refused "$POLICY_DIR/policy.d/link.conf"
	rm "$POLICY_DIR/policy.d/link.conf"
	printf 'permit * on /a\nallow * on /b\n' >"$POLICY_DIR/policy.d/bad.conf"
	check_refused "$POLICY_DIR/policy.d/bad.conf:2:1: "
	printf 'permit * on /a\0\n' >"$POLICY_DIR/policy.d/bad.conf"
	check_refused "$POLICY_DIR/policy.d/bad.conf:1:"
	head -c 5000 /dev/zero | tr '\0' '#' >"$POLICY_DIR/policy.d/bad.conf"
	check_refused "$POLICY_DIR/policy.d/bad.conf:1:"
	rm "$POLICY_DIR/policy.d/bad.conf"
	uu uubob "$T/punsafe"
	expect_rc 0
}

# The examples shipped in policy/examples/ load and say what they claim.
case_policy_examples() {
	src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	for f in "$src"/policy/examples/*.conf; do
		policy_set policy.conf "$(cat "$f")"
		uu uubob --dry-run /
		expect_rc 1
		case "$ERR" in *"nothing was unmounted"*) fail "$(basename "$f") does not load: $ERR" ;; esac
	done
	# locked-server: no tmpfs, even with fstab users; own FUSE still works
	policy_set policy.conf "$(cat "$src/policy/examples/locked-server.conf")"
	fstab_add "tmpfs $T/locked tmpfs users,noauto 0 0"
	mount_tmpfs "$T/locked"
	uu uubob "$T/locked"
	expect_rc 1
	expect_err_has "denied by $POLICY_DIR/policy.conf:"
	tiny_mount uualice "$T/locked-fuse" -o allow_other
	uu uubob "$T/locked-fuse"
	expect_rc 1
	uu uualice "$T/locked-fuse"
	expect_rc 0
}

# --check-policy says every refused line of a file, not only the first,
# for a FILE and for the installed policy; the valid lines are not errors.
case_policy_check_every_error() {
	printf '%s\n' 'permit * on /ok' 'allow * on /a' '# fine' 'permit * on relative' \
		'deny uubob' 'permit lazy lazy *' 'deny * type a,,b' >"$WORK/three.conf"
	chmod 644 "$WORK/three.conf"
	local want="$WORK/three.conf:2:1: expected 'permit' or 'deny', got 'allow'
$WORK/three.conf:4:13: pattern after 'on' must be absolute (start with '/'), got 'relative'
$WORK/three.conf:6:13: duplicate option 'lazy'
$WORK/three.conf:7:15: empty item in type list (expected TYPE[,TYPE...])"
	uu uubob --check-policy "$WORK/three.conf"
	expect_rc 1
	expect_err "$want"
	[ -z "$OUT" ] || fail "stdout: $OUT"
	# the installed policy: every error of the refused file
	policy_set policy.conf "$(cat "$WORK/three.conf")"
	uu uubob --check-policy
	expect_rc 1
	expect_err "${want//$WORK\/three.conf/$POLICY_DIR/policy.conf}"
	# and loading it still refuses everything, at the first error
	users_tmpfs "$T/pcheck"
	uu uubob "$T/pcheck"
	expect_rc 2
	expect_err_has "$POLICY_DIR/policy.conf:2:1: "
	expect_mounted "$T/pcheck"
}

# "**": zero or more components, on real mounts; "*" stays one component;
# --check-policy -v says what it matches.
case_policy_globstar() {
	users_tmpfs "$T/gh"
	mkdir -p "$T/gh/u"
	users_tmpfs "$T/gh/u/mnt"
	users_tmpfs "$T/ghx"
	policy_set policy.conf "deny * on $T/gh/*"
	uu uubob --dry-run "$T/gh/u/mnt" # '*' is one component: not denied
	expect_rc 0
	policy_set policy.conf "deny * on $T/gh/**"
	uu uubob "$T/gh/u/mnt"
	expect_rc 1
	expect_err "user-umount: $T/gh/u/mnt: permission denied: denied by $POLICY_DIR/policy.conf:1 deny"
	expect_mounted "$T/gh/u/mnt"
	uu uubob --dry-run "$T/gh" # zero components: the directory itself
	expect_rc 1
	expect_err_has "denied by $POLICY_DIR/policy.conf:1 deny"
	uu uubob "$T/ghx" # a prefix of the name is not the directory
	expect_rc 0
	expect_unmounted "$T/ghx"
	uu uubob --check-policy -v
	expect_rc 0
	expect_out_has "$POLICY_DIR/policy.conf:1: deny * on $T/gh/**  # on: '**' is zero or more components: also matches $T/gh"
	users_tmpfs "$T/mnt"
	users_tmpfs "$T/gh/u/mntx"
	policy_set policy.conf "deny * on $T/**/mnt"
	uu uubob --dry-run "$T/gh/u/mnt"
	expect_rc 1
	uu uubob --dry-run "$T/mnt" # zero components in the middle
	expect_rc 1
	uu uubob "$T/gh/u/mntx"
	expect_rc 0
	expect_unmounted "$T/gh/u/mntx"
}
