# SPDX-License-Identifier: GPL-2.0-or-later
# fstab.d-example/*.fstab: every claim in a "#@" comment, proven on a real
# mount of the entry (a loop device with a fresh file system for /dev/sdX,
# bindfs for sshfs, a scratch directory for the mount point).

EXAMPLES_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../fstab.d-example" && pwd)

# example_entry FILE -> sets CLAIM and the fields SRC DIR TYPE OPTS
example_entry() {
	CLAIM=$(sed -n 's/^#@ //p' "$1")
	read -r SRC DIR TYPE OPTS _ < <(grep -v '^#' "$1" | grep -v '^$' | head -1)
}

claim() { # key -> comma list -> space list
	printf '%s\n' "$CLAIM" | tr ' ' '\n' | sed -n "s/^$1=//p" | tr ',' ' '
}

# Turn the example into a mountable entry under $T and mount it as $1.
example_mount() { # mount-as
	local as_user=$1
	case "$TYPE" in
	fuse.*)
		SRC=$(mktemp -d "$WORK/exsrc.XXXXXX")
		chmod 755 "$SRC"
		TYPE=fuse.bindfs
		OPTS="$OPTS,allow_other"
		;;
	esac
	case "$SRC" in
	/dev/*)
		# a kernel without this file system (vfat is often a module that
		# is not there) gets ext4: the claims are about the options
		if ! grep -qw "$TYPE" /proc/filesystems && ! modprobe -q "$TYPE" 2>/dev/null; then
			echo "    (kernel lacks $TYPE: using ext4 for $(basename "$DIR"))"
			TYPE=ext4
		fi
		truncate -s 8M "$WORK/ex.img"
		"mkfs.${TYPE}" "$WORK/ex.img" >/dev/null 2>&1 || mkfs -t "$TYPE" "$WORK/ex.img" >/dev/null
		SRC=$(losetup -f --show "$WORK/ex.img")
		at_end losetup -d "$SRC"
		;;
	esac
	DIR="$T/ex/$(basename "$DIR")"
	mkdir -p "$DIR"
	[ "$as_user" = root ] || chown "$as_user" "$DIR"
	fstab_add "$SRC $DIR $TYPE $OPTS 0 0"
}

example_remount() { # mount-as
	case "$1:$OPTS" in
	root:*)
		mount "$DIR"
		;;
	*:*owner* | *:*group*)
		# What mount(8) does for the owner of the device or a member of its
		# group (checked by hand; the test cannot chown the host's /dev
		# node): mount it and record the mounter in utab.
		mount "$DIR"
		utab_add "SRC=$SRC TARGET=$DIR ROOT=/ OPTS=user=$1"
		;;
	*)
		as "$1" mount "$DIR"
		;;
	esac
	wait_mounted "$DIR"
}

example_prove() { # file
	example_entry "$1"
	local who=$(claim mount-as) u
	example_mount "$who"
	for u in $(claim allow); do
		example_remount "$who"
		for d in $(claim deny); do
			uu "$d" "$DIR"
			expect_rc 1
			expect_mounted "$DIR"
		done
		uu "$u" "$DIR"
		expect_rc 0
		expect_unmounted "$DIR"
	done
}

case_example_removable_media() { example_prove "$EXAMPLES_DIR/removable-media.fstab"; }
case_example_shared_scratch() { example_prove "$EXAMPLES_DIR/shared-scratch.fstab"; }
case_example_device_owner() { example_prove "$EXAMPLES_DIR/device-owner.fstab"; }
case_example_device_group() { example_prove "$EXAMPLES_DIR/device-group.fstab"; }
case_example_user_sshfs() { example_prove "$EXAMPLES_DIR/user-sshfs.fstab"; }

# Every example file has a claim and a test above.
case_example_all_covered() {
	for f in "$EXAMPLES_DIR"/*.fstab; do
		grep -q '^#@ mount-as=' "$f" || fail "$f has no #@ claim"
		name=$(basename "$f" .fstab | tr - _)
		declare -F "case_example_$name" >/dev/null || fail "$f has no case_example_$name"
	done
}

# The policy the package ships (debian/policy.conf, as shipped and with its
# example rules uncommented) and every policy/examples/*.conf pass
# --check-policy as a user would run it.
POLICY_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
case_example_policies_check() {
	local f n
	cp "$POLICY_SRC/debian/policy.conf" "$WORK/shipped.conf"
	sed 's/^#\(permit\|deny\) /\1 /' "$POLICY_SRC/debian/policy.conf" >"$WORK/shipped-uncommented.conf"
	chmod 644 "$WORK/shipped.conf" "$WORK/shipped-uncommented.conf"
	uu uubob --check-policy "$WORK/shipped.conf"
	expect_rc 0
	[ "$OUT" = "policy is valid: 0 rules" ] || fail "shipped policy.conf: $OUT"
	n=$(grep -c '^#\(permit\|deny\) ' "$POLICY_SRC/debian/policy.conf")
	[ "$n" -ge 4 ] || fail "debian/policy.conf shows only $n example rules"
	uu uubob --check-policy "$WORK/shipped-uncommented.conf"
	expect_rc 0
	[ "$OUT" = "policy is valid: $n rules" ] || fail "uncommented policy.conf: $OUT $ERR"
	for f in "$POLICY_SRC"/policy/examples/*.conf; do
		uu uubob --check-policy "$f"
		expect_rc 0
		case $OUT in "policy is valid: 0 rules" | "") fail "$(basename "$f"): $OUT $ERR" ;; esac
	done
	# both udisks2 layouts, and the types sticks carry today
	for f in "$WORK/shipped-uncommented.conf" "$POLICY_SRC/policy/examples/desktop.conf"; do
		uu uubob --check-policy -v "$f"
		for want in " on /media/%u/* type " " on /run/media/%u/* type "; do
			expect_out_has "$want"
		done
		for t in ext4 btrfs exfat fuseblk vfat ntfs3; do
			printf '%s\n' "$OUT" | grep " on /media/%u/\* type " | grep -q "[ ,]$t\(,\|$\)" ||
				fail "$(basename "$f"): /media/%u/* lacks type $t"
		done
	done
	# the installed copy, as the loader reads it
	policy_set policy.conf "$(cat "$WORK/shipped-uncommented.conf")"
	uu uubob --check-policy
	expect_rc 0
	expect_out_has "policy is valid: $n rules"
}

# Debian's udisks2 layout on a real file system: an ext4 stick at
# /media/NAME/LABEL, /media/NAME root's and not writable by NAME (udisks2
# adds an ACL r-x for NAME; mode 0755 stands in for it here), with
# desktop.conf loaded (the test users' group uuplug standing in for plugdev).
case_example_policy_debian_media() {
	local img dev
	# /media is covered by a tmpfs of this namespace: the host's is never written
	[ -d /media ] || { fail "no /media on this host to cover"; return 1; }
	mount -t tmpfs -o mode=755 tmpfs /media
	at_end umount -l /media
	mkdir -p /media/uualice /media/uubob /run/media/uualice
	chmod 755 /media/uualice /media/uubob /run/media/uualice
	policy_set policy.conf "$(sed 's/:plugdev /:uuplug /' "$POLICY_SRC/policy/examples/desktop.conf")"
	img=$WORK/stick.img
	truncate -s 16M "$img"
	mkfs.ext4 -q -F -L STICK "$img"
	dev=$(losetup -f --show "$img")
	at_end losetup -d "$dev"
	mkdir -p "/media/uualice/STICK" "/media/uubob/STICK" "/run/media/uualice/STICK"
	mount "$dev" /media/uualice/STICK
	at_end umount /media/uualice/STICK
	uu uubob /media/uualice/STICK # not uubob's directory, and not in the group
	expect_rc 1
	expect_err_has "permission denied"
	expect_mounted /media/uualice/STICK
	uu uualice -l /media/uualice/STICK # plain unmount only
	expect_rc 1
	expect_err_has "lazy not granted by $POLICY_DIR/policy.conf:"
	uu uualice -v /media/uualice/STICK
	expect_rc 0
	expect_out_has "/media/uualice/STICK: unmounted"
	expect_out_has "($POLICY_DIR/policy.conf:$(grep -n '^permit :plugdev on /media/' \
		"$POLICY_SRC/policy/examples/desktop.conf" | cut -d: -f1) permit)"
	expect_unmounted /media/uualice/STICK
	# alice's rule does not reach bob's directory, even for her own stick
	mount "$dev" /media/uubob/STICK
	uu uualice /media/uubob/STICK
	expect_rc 1
	expect_mounted /media/uubob/STICK
	umount /media/uubob/STICK
	# Fedora's layout, the same file
	mount "$dev" /run/media/uualice/STICK
	uu uualice /run/media/uualice/STICK
	expect_rc 0
	expect_unmounted /run/media/uualice/STICK
	# a tmpfs there is not media
	mount_tmpfs /media/uualice/STICK
	uu uualice /media/uualice/STICK
	expect_rc 1
	expect_mounted /media/uualice/STICK
	umount /media/uualice/STICK
}
