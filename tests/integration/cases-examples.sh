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
