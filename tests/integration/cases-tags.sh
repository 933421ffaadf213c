# SPDX-License-Identifier: GPL-2.0-or-later
# Tag sources (LABEL=, UUID=, /dev/disk/by-*), user,loop image entries,
# source mismatches, tag TARGETs and umount(8)'s call conventions, on real
# loop devices with ext4 images. Each tag case runs twice: without
# /dev/disk links (the helper reads the tag from the one device, in its
# sandboxed probe child) and with udev-style links made in a private /dev
# overlay of this namespace (the host's /dev is never written).
# Loop devices are global: every one attached here is detached by name.

LINKS=0

# A label no other session's image carries (mount(8) resolves labels by
# scanning every device when there are no links): "My Stick 1a2b".
tag_label() {
	printf 'My Stick %04x' $((RANDOM))
}

tag_image() { # file label -> an ext4 image with that label
	rm -f "$1"
	truncate -s 8M "$1"
	mkfs.ext4 -q -F -L "$2" "$1" >/dev/null
}

tag_attach() { # image -> prints the loop device (remembered for cleanup)
	local dev
	dev=$(losetup -f --show "$1")
	echo "$dev" >>"$WORK/tag-loops"
	echo "$dev"
}

# udev's encoding of a value as a link name: "My Stick" -> "My\x20Stick"
tag_enc() {
	python3 -c '
import sys
ok = set(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#+-.:=@_")
print("".join(chr(c) if c in ok else "\\x%02x" % c for c in sys.argv[1].encode()))' "$1"
}

# Is the topmost mount on /dev our overlay (never write the host's devtmpfs)?
dev_is_private() {
	awk '$5 == "/dev" { top = $0 } END { exit !(top ~ / - overlay /) }' /proc/self/mountinfo
}

# The private /dev overlay with /dev/disk/by-* links; only in LINKS=1 runs.
# Unless told "keep-sysfs", /sys/dev/block is hidden too: the helper then
# cannot find a device node to probe, so only the links can answer, and a
# run that passes proves that the links were used. In LINKS=0 runs on a
# machine with udev, an empty tmpfs hides its /dev/disk.
links_on() {
	if [ "$LINKS" != 1 ]; then
		[ ! -d /dev/disk ] || mount -t tmpfs -o ro,mode=755 tmpfs /dev/disk
		return 0
	fi
	rm -rf "$WORK/dev-up" "$WORK/dev-work"
	mkdir -p "$WORK/dev-up" "$WORK/dev-work"
	mount -t overlay overlay -o "lowerdir=/dev,upperdir=$WORK/dev-up,workdir=$WORK/dev-work" /dev
	dev_is_private || fail "no private /dev"
	mkdir -p /dev/disk/by-label /dev/disk/by-uuid /dev/disk/by-partlabel /dev/disk/by-partuuid
	[ "${1:-}" = keep-sysfs ] || mount -t tmpfs -o ro tmpfs /sys/dev/block
}

link_add() { # by-KIND value device
	[ "$LINKS" = 1 ] || return 0
	# never on the host's devtmpfs: only into the private overlay
	dev_is_private || fail "no private /dev"
	ln -sf "$3" "/dev/disk/$1/$(tag_enc "$2")"
}

links_off() {
	! mountpoint -q /sys/dev/block || umount /sys/dev/block
	! dev_is_private || umount /dev
	! awk '$5 == "/dev/disk" && / - tmpfs / { found = 1 } END { exit !found }' \
		/proc/self/mountinfo || umount /dev/disk
}

# Undo what a case left: its mounts on our loop devices, the /dev overlay,
# and the loop devices themselves (by the names losetup printed).
tag_cleanup() {
	local dev
	[ -f "$WORK/tag-loops" ] || return 0
	for dev in $(sort -u "$WORK/tag-loops"); do
		# freed meanwhile (autoclear) and maybe another session's now: leave it
		case "$(losetup -n -O BACK-FILE "$dev" 2>/dev/null)" in
		"$WORK"/*) ;;
		*) continue ;;
		esac
		while grep -q "^$dev " /proc/self/mounts; do
			umount "$(awk -v d="$dev" '$1 == d { print $2; exit }' /proc/self/mounts)" || break
		done
		losetup -d "$dev" 2>/dev/null || true
	done
	rm -f "$WORK/tag-loops"
}

# Run body once without links and once with them; clean up on any exit.
both_ways() {
	trap 'rc=$?; links_off; tag_cleanup; stop_daemons; exit $rc' EXIT
	echo "    (without /dev/disk links)"
	LINKS=0 "$1"
	tag_cleanup
	echo "    (with /dev/disk links)"
	LINKS=1 "$1"
	tag_cleanup
}

loop_of() { # mount point -> its source (/dev/loopN)
	findmnt -n -o SOURCE --mountpoint "$1"
}

body_label_with_space() {
	local lbl dev
	lbl=$(tag_label)
	tag_image "$WORK/lbl.img" "$lbl"
	dev=$(tag_attach "$WORK/lbl.img")
	links_on
	link_add by-label "$lbl" "$dev"
	mkdir -p "$T/stick"
	: >/etc/fstab
	fstab_add "# removable media"
	fstab_add "LABEL=${lbl// /\\040} $T/stick ext4 user,noauto 0 0"
	as uualice mount "$T/stick"
	expect_mounted "$T/stick"
	uu uubob "$T/stick"
	expect_rc 1
	expect_err_has "mounted by another user"
	expect_mounted "$T/stick"
	uu uualice "$T/stick"
	expect_rc 0
	# no error; the test's own losetup set no autoclear, which is noted
	[ -z "$ERR" ] || expect_err "user-umount: $T/stick: unmounted; the loop device $dev was not set to autoclear and stays attached (losetup -d $dev frees it)"
	expect_unmounted "$T/stick"
	links_off
}

case_tag_label_with_space() {
	both_ways body_label_with_space
}

body_uuid_entry() {
	local dev uuid
	tag_image "$WORK/uuid.img" "$(tag_label)"
	dev=$(tag_attach "$WORK/uuid.img")
	uuid=$(blkid -p -s UUID -o value "$dev")
	links_on
	link_add by-uuid "$uuid" "$dev"
	mkdir -p "$T/uuid" "$T/uuid2"
	: >/etc/fstab
	# upper case in fstab: a UUID is hex, its case carries nothing
	fstab_add "UUID=${uuid^^} $T/uuid ext4 users,noauto 0 0"
	mount "$dev" "$T/uuid"
	uu uubob "$T/uuid"
	expect_rc 0
	expect_unmounted "$T/uuid"
	# the udev link path in fstab names the same device
	fstab_add "/dev/disk/by-uuid/$uuid $T/uuid2 ext4 users,noauto 0 0"
	mount "$dev" "$T/uuid2"
	uu uubob "$T/uuid2"
	expect_rc 0
	expect_unmounted "$T/uuid2"
	links_off
}

case_tag_uuid_entry() {
	both_ways body_uuid_entry
}

body_loop_image() {
	local dev
	tag_image "$WORK/user.img" "$(tag_label)"
	chown uualice "$WORK/user.img"
	links_on keep-sysfs
	mkdir -p "$T/img"
	: >/etc/fstab
	fstab_add "$WORK/user.img $T/img ext4 user,loop,noauto 0 0"
	as uualice mount "$T/img"
	dev=$(loop_of "$T/img")
	echo "$dev" >>"$WORK/tag-loops"
	case "$dev" in /dev/loop*) ;; *) fail "mounted from '$dev', not a loop device" ;; esac
	uu uubob "$T/img"
	expect_rc 1
	expect_mounted "$T/img"
	uu uualice -d "$T/img"
	expect_rc 0
	expect_err ""
	expect_unmounted "$T/img"
	# mount(8) set autoclear: the loop device is released with the mount
	for _ in $(seq 50); do
		losetup -j "$WORK/user.img" | grep -q . || break
		sleep 0.1
	done
	[ -z "$(losetup -j "$WORK/user.img")" ] || fail "loop device not freed: $(losetup -j "$WORK/user.img")"
	links_off
}

case_tag_loop_image_entry() {
	both_ways body_loop_image
}

# A loop device attached without autoclear (root's losetup) stays attached,
# and the helper says so rather than freeing a device it was not given.
case_tag_loop_without_autoclear_said() {
	trap 'rc=$?; tag_cleanup; stop_daemons; exit $rc' EXIT
	local dev
	tag_image "$WORK/keep.img" "$(tag_label)"
	dev=$(tag_attach "$WORK/keep.img")
	mkdir -p "$T/keep"
	: >/etc/fstab
	fstab_add "$WORK/keep.img $T/keep ext4 users,loop,noauto 0 0"
	mount "$dev" "$T/keep"
	uu uubob "$T/keep"
	expect_rc 0
	# a note, not a result: stderr (scripts read stdout; umount(8) prints nothing)
	expect_err_has "$T/keep: unmounted; the loop device $dev was not set to autoclear and stays attached"
	[ -z "$OUT" ] || fail "note on stdout: $OUT"
	expect_unmounted "$T/keep"
	losetup "$dev" >/dev/null || fail "$dev was freed"
	uu uubob -q "$T/keep" # not mounted, and -q: silent
	expect_rc 32
	expect_err ""
	[ -z "$OUT" ] || fail "-q printed: $OUT"
}

body_mismatch() {
	local lbl other dev dev2 dev3
	lbl=$(tag_label)
	other=$(tag_label)
	tag_image "$WORK/mm.img" "$other"
	dev=$(tag_attach "$WORK/mm.img")
	# an image entry, and a copy of the same image: same bytes, other file
	tag_image "$WORK/mm-entry.img" "$lbl"
	cp "$WORK/mm-entry.img" "$WORK/mm-copy.img"
	dev2=$(tag_attach "$WORK/mm-copy.img")
	links_on
	link_add by-label "$other" "$dev"
	mkdir -p "$T/mm" "$T/mm2"
	: >/etc/fstab
	fstab_add "LABEL=${lbl// /\\040} $T/mm ext4 users,noauto 0 0"
	fstab_add "$WORK/mm-entry.img $T/mm2 ext4 users,loop,noauto 0 0"
	mount "$dev" "$T/mm"
	mount "$dev2" "$T/mm2"
	uu uubob "$T/mm"
	expect_rc 1
	expect_err "user-umount: $T/mm: permission denied: /etc/fstab:1 is for LABEL=$lbl; $dev is mounted here, no policy rule, not your FUSE mount"
	expect_mounted "$T/mm"
	uu uubob "$T/mm2"
	expect_rc 1
	expect_err "user-umount: $T/mm2: permission denied: /etc/fstab:2 is for $WORK/mm-entry.img; $dev2 is mounted here, no policy rule, not your FUSE mount"
	expect_mounted "$T/mm2"
	# the right device under the tag's mount point: allowed
	umount "$T/mm"
	dev3=$(tag_attach "$WORK/mm-entry.img")
	link_add by-label "$lbl" "$dev3"
	mount "$dev3" "$T/mm"
	uu uubob "$T/mm"
	expect_rc 0
	expect_unmounted "$T/mm"
	links_off
}

case_tag_mismatched_sources_denied() {
	both_ways body_mismatch
}

# With links, udev's link decides: a second device with the same label
# that the link does not name is not the entry's device (mount(8) would
# not have mounted it for that entry either).
case_tag_link_decides() {
	trap 'rc=$?; links_off; tag_cleanup; stop_daemons; exit $rc' EXIT
	local lbl dev dev2
	lbl=$(tag_label)
	tag_image "$WORK/ld1.img" "$lbl"
	tag_image "$WORK/ld2.img" "$lbl"
	dev=$(tag_attach "$WORK/ld1.img")
	dev2=$(tag_attach "$WORK/ld2.img")
	mkdir -p "$T/ld"
	: >/etc/fstab
	fstab_add "LABEL=${lbl// /\\040} $T/ld ext4 users,noauto 0 0"
	mount "$dev2" "$T/ld"
	LINKS=1
	links_on
	link_add by-label "$lbl" "$dev"
	uu uubob "$T/ld"
	expect_rc 1
	expect_err_has "is for LABEL=$lbl; $dev2 is mounted here"
	expect_mounted "$T/ld"
	links_off
	# without links the device itself carries the label: allowed
	uu uubob "$T/ld"
	expect_rc 0
	expect_unmounted "$T/ld"
}

body_tag_target() {
	local lbl dev uuid
	lbl=$(tag_label)
	tag_image "$WORK/tt.img" "$lbl"
	dev=$(tag_attach "$WORK/tt.img")
	uuid=$(blkid -p -s UUID -o value "$dev")
	links_on
	link_add by-label "$lbl" "$dev"
	link_add by-uuid "$uuid" "$dev"
	mkdir -p "$T/tt" "$T/tt2"
	: >/etc/fstab
	fstab_add "LABEL=${lbl// /\\040} $T/tt ext4 users,noauto 0 0"
	mount "$dev" "$T/tt"
	uu uubob -v "LABEL=$lbl"
	expect_rc 0
	expect_out_has "LABEL=$lbl: unmounted"
	expect_out_has "(/etc/fstab:1 users)"
	expect_unmounted "$T/tt"
	# mounted twice: both listed, none unmounted
	mount "$dev" "$T/tt"
	mount "$dev" "$T/tt2"
	uu uubob "UUID=$uuid"
	expect_rc 1
	expect_err "user-umount: UUID=$uuid: mounted at $T/tt and $T/tt2; name one"
	expect_mounted "$T/tt"
	expect_mounted "$T/tt2"
	umount "$T/tt2"
	uu uubob -q -i "UUID=$uuid"
	expect_rc 0
	expect_err ""
	[ -z "$OUT" ] || fail "-q printed: $OUT"
	expect_unmounted "$T/tt"
	# udev's name for it, whether or not udev made the link
	mount "$dev" "$T/tt"
	uu uubob "/dev/disk/by-label/$(tag_enc "$lbl")"
	expect_rc 0
	expect_unmounted "$T/tt"
	# nothing carries it
	uu uubob "LABEL=no such $lbl"
	expect_rc 32
	expect_err "user-umount: LABEL=no such $lbl: no mounted file system carries this LABEL"
	uu uubob -q "LABEL=no such $lbl"
	expect_rc 32
	expect_err ""
	links_off
}

case_tag_target() {
	both_ways body_tag_target
}

# umount(8)'s and fusermount3's conventions on a plain mount.
case_tag_call_conventions() {
	users_tmpfs "$T/cc"
	uu uubob -q -d -i "$T/cc"
	expect_rc 0
	expect_err ""
	[ -z "$OUT" ] || fail "-q printed: $OUT"
	expect_unmounted "$T/cc"
	uu uubob -q "$T/cc"
	expect_rc 32
	expect_err ""
	uu uubob "$T/cc"
	expect_rc 32
	expect_err "user-umount: $T/cc: not a mount point"
	users_tmpfs "$T/cc"
	for opt in -n -c -r "-t tmpfs" -a -A --fake "-O noauto"; do
		# shellcheck disable=SC2086
		uu uubob $opt "$T/cc"
		expect_rc 1
		expect_err_has "is not supported: "
		expect_mounted "$T/cc"
	done
	uu uubob --fake "$T/cc"
	expect_err "user-umount: --fake is not supported: use --dry-run"
	# -q silences "not mounted" only: other errors are still said
	uu uubob -q "$T/cc/nothing-here"
	expect_rc 32
	expect_err "user-umount: $T/cc/nothing-here: no such file or directory"
	umount "$T/cc"
}

# A /dev path that does not exist names no device: never matched as a
# string against a FUSE fsname that spells it (type auto matches any type).
case_tag_missing_dev_path_not_spoofable() {
	: >/etc/fstab
	fstab_add "/dev/uu-no-such-disk $T/nodev auto users,noauto 0 0"
	fstab_add "/dev/disk/by-label/uu-no-such-label $T/nolink auto users,noauto 0 0"
	tiny_mount uualice "$T/nodev" -o allow_other,fsname=/dev/uu-no-such-disk
	tiny_mount uualice "$T/nolink" -o allow_other,fsname=/dev/disk/by-label/uu-no-such-label
	uu uubob "$T/nodev"
	expect_rc 1
	expect_mounted "$T/nodev"
	uu uubob "$T/nolink"
	expect_rc 1
	expect_mounted "$T/nolink"
}

# PARTLABEL= and PARTUUID= live in another device's partition table: they
# match through udev's links only (the probe reads the mounted device).
body_partlabel() {
	local dev
	tag_image "$WORK/pl.img" "$(tag_label)"
	dev=$(tag_attach "$WORK/pl.img")
	links_on
	link_add by-partlabel "Data Part" "$dev"
	link_add by-partuuid "0c4f9a1e-01" "$dev"
	mkdir -p "$T/pl" "$T/pu"
	: >/etc/fstab
	fstab_add "PARTLABEL=Data\\040Part $T/pl ext4 users,noauto 0 0"
	fstab_add "PARTUUID=0C4F9A1E-01 $T/pu ext4 users,noauto 0 0"
	mount "$dev" "$T/pl"
	mount "$dev" "$T/pu"
	uu uubob "$T/pl"
	if [ "$LINKS" = 1 ]; then
		expect_rc 0
		expect_unmounted "$T/pl"
		uu uubob "$T/pu"
		expect_rc 0
		expect_unmounted "$T/pu"
	else
		expect_rc 1
		expect_err_has "/etc/fstab:1 is for PARTLABEL=Data Part; $dev is mounted here"
		expect_mounted "$T/pl"
		uu uubob "$T/pu"
		expect_rc 1
		expect_mounted "$T/pu"
		umount "$T/pl" "$T/pu"
	fi
	links_off
}

case_tag_partlabel_partuuid() {
	both_ways body_partlabel
}
