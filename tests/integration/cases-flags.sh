# SPDX-License-Identifier: GPL-2.0-or-later
# Every flag of the seeds (user-umount(8)): lazy, force, expire,
# recursive, device targets, busy diagnostics, --json, --dry-run,
# fusermount compatibility, and the errno messages that can be provoked.

# Start CMD as USER in the background with its working directory in DIR.
hold_cwd() { # user dir
	$(as_bg_cmd "$1") sh -c 'cd "$1" && exec sleep 60' sh "$2" &
	DAEMONS="$DAEMONS $!"
	sleep 0.2
}

case_lazy_refused_over_root_owned_submount() {
	users_tmpfs "$T/lz"
	mount_tmpfs "$T/lz/rootsub"
	uu uubob -l "$T/lz"
	expect_rc 1
	expect_err "user-umount: $T/lz: permission denied: --lazy would also unmount mounts you may not unmount: $T/lz/rootsub"
	expect_mounted "$T/lz"
	expect_mounted "$T/lz/rootsub"
}

# The Linux seed's warning: after `mount --rbind / X`, `umount -l X` would
# detach /proc, /sys and /dev of the whole namespace.
case_lazy_rbind_of_root_refused() {
	mkdir -p "$T/rb"
	mount --rbind / "$T/rb"
	mount --make-rprivate "$T/rb"
	src=$(awk -v t="$T/rb" '$5 == t { for (i = 7; $i != "-"; i++); print $(i + 2) }' /proc/self/mountinfo)
	fstab_add "$src $T/rb auto users,noauto 0 0"
	n_before=$(wc -l </proc/self/mountinfo)
	uu uubob -l "$T/rb"
	expect_rc 1
	expect_err_has "--lazy would also unmount mounts you may not unmount: $T/rb/"
	expect_mounted "$T/rb"
	expect_mounted "$T/rb/proc"
	[ "$(wc -l </proc/self/mountinfo)" = "$n_before" ] || fail "mount table changed"
	umount -l "$T/rb"
}

case_lazy_own_tree_detaches_even_if_busy() {
	users_tmpfs "$T/lz2"
	users_tmpfs "$T/lz2/sub"
	hold_cwd uubob "$T/lz2/sub"
	uu uubob -l "$T/lz2"
	expect_rc 0
	expect_unmounted "$T/lz2"
	expect_unmounted "$T/lz2/sub"
}

case_lazy_z_like_fusermount() {
	tiny_mount uualice "$T/fz"
	uu uualice -u -q -z -- "$T/fz"
	expect_rc 0
	expect_err ""
	[ -z "$OUT" ] || fail "stdout not empty: $OUT"
	expect_unmounted "$T/fz"
	# the same command line as fusermount3, for comparison
	tiny_mount uualice "$T/fz2"
	RC=0
	as uualice fusermount3 -u -q -z -- "$T/fz2" || RC=$?
	expect_rc 0
	expect_unmounted "$T/fz2"
}

case_force_not_granted_by_users() {
	users_tmpfs "$T/f1"
	uu uubob -f "$T/f1"
	expect_rc 1
	line=$(grep -n "$T/f1 " /etc/fstab | cut -d: -f1)
	expect_err "user-umount: $T/f1: permission denied: force not granted by /etc/fstab:$line users"
	expect_mounted "$T/f1"
}

# A FUSE daemon that stopped answering: the owner can force it, nobody else
# can, and the helper never hangs (each run is under a timeout).
case_force_hung_fuse() {
	tiny_mount uualice "$T/hung" -o allow_other
	daemon=${DAEMONS##* }
	kill -STOP "$daemon"
	$(as_bg_cmd uualice) stat "$T/hung/x" >/dev/null 2>&1 &
	DAEMONS="$DAEMONS $!"
	sleep 0.3
	uu timeout 20 --as uubob -f "$T/hung"
	expect_rc 1
	expect_mounted "$T/hung"
	uu timeout 20 --as uualice "$T/hung"
	[ "$RC" != 124 ] || fail "plain unmount of a hung mount hung"
	uu timeout 20 --as uualice -f "$T/hung"
	[ "$RC" != 124 ] || fail "forced unmount hung"
	expect_rc 0
	expect_unmounted "$T/hung"
}

case_expire_two_calls() {
	users_tmpfs "$T/ex"
	uu uubob -e "$T/ex"
	expect_rc 0
	expect_err_has "marked expired"
	expect_mounted "$T/ex"
	uu uubob -e "$T/ex"
	expect_rc 0
	expect_unmounted "$T/ex"
}

case_expire_access_in_between_marks_again() {
	users_tmpfs "$T/ex2"
	uu uubob -e "$T/ex2"
	expect_rc 0
	ls "$T/ex2" >/dev/null
	uu uubob -e "$T/ex2"
	expect_rc 0
	expect_err_has "marked expired"
	expect_mounted "$T/ex2"
	uu uubob -e --json "$T/ex2"
	expect_rc 0
	python3 -c 'import json,sys; r=json.loads(sys.argv[1])["results"][0]; assert r["result"]=="unmounted", r' "$OUT" ||
		fail "json: $OUT"
}

case_expire_busy() {
	users_tmpfs "$T/ex3"
	touch "$T/ex3/f"
	$(as_bg_cmd uubob) sh -c 'exec 3<"$1"; exec sleep 60' sh "$T/ex3/f" &
	DAEMONS="$DAEMONS $!"
	sleep 0.2
	uu uubob -e "$T/ex3"
	expect_rc 32
	expect_err_has "target is busy"
	expect_mounted "$T/ex3"
}

case_expire_with_lazy_or_force_is_usage_error() {
	users_tmpfs "$T/ex4"
	for opt in -l -f -z; do
		uu uubob -e "$opt" "$T/ex4"
		expect_rc 1
		expect_err "user-umount: --expire cannot be combined with --lazy or --force"
	done
	expect_mounted "$T/ex4"
}

case_recursive_own_tree() {
	users_tmpfs "$T/rc"
	users_tmpfs "$T/rc/a"
	users_tmpfs "$T/rc/a/b"
	users_tmpfs "$T/rc/c"
	uu uubob -R "$T/rc"
	expect_rc 0
	for m in "$T/rc/a/b" "$T/rc/a" "$T/rc/c" "$T/rc"; do
		expect_unmounted "$m"
	done
}

case_recursive_refused_lists_others() {
	users_tmpfs "$T/rc2"
	users_tmpfs "$T/rc2/mine"
	mount_tmpfs "$T/rc2/mine/roots"
	uu uubob -R "$T/rc2"
	expect_rc 1
	expect_err "user-umount: $T/rc2: permission denied: --recursive would also unmount mounts you may not unmount: $T/rc2/mine/roots"
	expect_mounted "$T/rc2"
	expect_mounted "$T/rc2/mine"
	expect_mounted "$T/rc2/mine/roots"
}

case_recursive_stops_at_busy() {
	users_tmpfs "$T/rc3"
	users_tmpfs "$T/rc3/a"
	users_tmpfs "$T/rc3/b"
	hold_cwd uubob "$T/rc3/b"
	uu uubob -R "$T/rc3"
	expect_rc 32
	expect_err_has "stopped at a mount below it: $T/rc3/b: target is busy"
	expect_mounted "$T/rc3"
	expect_mounted "$T/rc3/b"
}

loop_setup() { # image file -> prints the loop device
	truncate -s 8M "$1"
	mkfs.ext4 -q -F "$1" >/dev/null
	losetup -f --show "$1"
}

case_device_target() {
	dev=$(loop_setup "$WORK/img1")
	at_end losetup -d "$dev"
	mkdir -p "$T/dev1"
	fstab_add "$dev $T/dev1 ext4 users,noauto 0 0"
	mount "$dev" "$T/dev1"
	# a FUSE fsname that claims the same device matches nothing
	tiny_mount uualice "$T/dev-spoof" -o allow_other,fsname="$dev"
	uu uubob -v "$dev"
	expect_rc 0
	expect_unmounted "$T/dev1"
	expect_mounted "$T/dev-spoof"
	# a link to the device (like /dev/disk/by-label/X) works too
	mount "$dev" "$T/dev1"
	ln -sf "$dev" "$T/devlink"
	uu uubob "$T/devlink"
	expect_rc 0
	expect_unmounted "$T/dev1"
	# not mounted at all
	uu uubob "$dev"
	expect_rc 32
	expect_err "user-umount: $dev: block device is not mounted"
}

# udev's /dev/disk links, made by the test (no udev here): an overlay on
# /dev in this namespace, so nothing lands on the host's devtmpfs. A
# by-label link as TARGET, and LABEL= / UUID= fstab entries (which the
# helper resolves through these links, never through blkid).
case_device_disk_links() {
	local dev uuid
	dev=$(loop_setup "$WORK/img3")
	at_end losetup -d "$dev"
	e2label "$dev" uutestlabel
	uuid=$(blkid -p -s UUID -o value "$dev")
	mkdir -p "$WORK/dev-up" "$WORK/dev-work" "$T/dl"
	mount -t overlay overlay -o "lowerdir=/dev,upperdir=$WORK/dev-up,workdir=$WORK/dev-work" /dev
	# lazy: the block device opened through it for the mounts pins it a while
	at_end umount -l /dev
	mkdir -p /dev/disk/by-label /dev/disk/by-uuid
	ln -s "../../$(basename "$dev")" /dev/disk/by-label/uutestlabel
	ln -s "../../$(basename "$dev")" "/dev/disk/by-uuid/$uuid"
	fstab_add "LABEL=uutestlabel $T/dl ext4 users,noauto 0 0"
	mount "$dev" "$T/dl"
	uu uubob /dev/disk/by-label/uutestlabel
	expect_rc 0
	expect_unmounted "$T/dl"
	mount "$dev" "$T/dl"
	uu uubob "$T/dl"
	expect_rc 0
	expect_unmounted "$T/dl"
	: >/etc/fstab
	fstab_add "UUID=$uuid $T/dl ext4 users,noauto 0 0"
	mount "$dev" "$T/dl"
	uu uubob -v "$T/dl"
	expect_rc 0
	expect_unmounted "$T/dl"
	# a label no link names matches nothing
	: >/etc/fstab
	fstab_add "LABEL=otherlabel $T/dl ext4 users,noauto 0 0"
	mount "$dev" "$T/dl"
	uu uubob "$T/dl"
	expect_rc 1
	expect_mounted "$T/dl"
	umount "$T/dl"
}

case_device_mounted_twice_refused() {
	dev=$(loop_setup "$WORK/img2")
	at_end losetup -d "$dev"
	mkdir -p "$T/dev2a" "$T/dev2b"
	mount "$dev" "$T/dev2a"
	mount --bind "$T/dev2a" "$T/dev2b"
	fstab_add "$dev $T/dev2a ext4 users,noauto 0 0"
	uu uubob "$dev"
	expect_rc 1
	expect_err "user-umount: $dev: mounted at $T/dev2a and $T/dev2b; name one"
	expect_mounted "$T/dev2a"
	expect_mounted "$T/dev2b"
	umount "$T/dev2b" "$T/dev2a"
}

case_busy_names_own_processes() {
	users_tmpfs "$T/busy"
	touch "$T/busy/file"
	hold_cwd uubob "$T/busy"
	cwd_pid=${DAEMONS##* }
	$(as_bg_cmd uubob) sh -c 'exec 3<"$1"; exec sleep 60' sh "$T/busy/file" &
	fd_pid=$!
	DAEMONS="$DAEMONS $fd_pid"
	hold_cwd uualice "$T/busy"
	alice_pid=${DAEMONS##* }
	sleep 0.2
	uu uubob "$T/busy"
	expect_rc 32
	expect_err_has "target is busy: used by your processes"
	expect_err_has "$cwd_pid sleep (working directory)"
	expect_err_has "$fd_pid sleep (open file $T/busy/file)"
	case "$ERR" in *"$alice_pid"*) fail "another user's process is shown" ;; esac
	expect_mounted "$T/busy"
	uu uubob --json "$T/busy"
	python3 - "$OUT" "$cwd_pid" "$fd_pid" <<'PY' || fail "json holders: $OUT"
import json, sys
r = json.loads(sys.argv[1])["results"][0]
assert r["result"] == "busy" and r["errno"] == "EBUSY", r
hows = {(h["pid"], h["how"]) for h in r["holders"]}
assert (int(sys.argv[2]), "working directory") in hows, hows
assert (int(sys.argv[3]), "open file") in hows, hows
PY
}

case_busy_none_of_yours_and_submounts() {
	users_tmpfs "$T/busy2"
	hold_cwd uualice "$T/busy2"
	uu uubob "$T/busy2"
	expect_rc 32
	expect_err "user-umount: $T/busy2: target is busy: none of your processes holds it (others' are not shown)"
	users_tmpfs "$T/busy3"
	users_tmpfs "$T/busy3/sub"
	uu uubob "$T/busy3"
	expect_rc 32
	expect_err_has "; mounts below it: $T/busy3/sub"
}

case_dry_run() {
	users_tmpfs "$T/dry"
	uu uubob --dry-run -v "$T/dry"
	expect_rc 0
	expect_out_has "would-unmount (/etc/fstab:"
	expect_mounted "$T/dry"
	mount_tmpfs "$T/dry-denied"
	uu uubob --dry-run "$T/dry-denied"
	expect_rc 1
	expect_err_has "permission denied"
}

case_errno_messages() {
	uu uubob /etc/passwd/x
	expect_rc 32
	expect_err "user-umount: /etc/passwd/x: a component of the path is not a directory"
	ln -s loop2 "$T/loop1"
	ln -s loop1 "$T/loop2"
	uu uubob "$T/loop1/x"
	expect_rc 32
	expect_err "user-umount: $T/loop1/x: too many levels of symbolic links in the path"
	long=$(head -c 300 /dev/zero | tr '\0' n)
	uu uubob "$T/$long"
	expect_rc 32
	expect_err_has "path name or a component of it is too long"
}

# --json: one document, every outcome, any bytes in the path.
case_json_outcomes_and_hostile_paths() {
	weird=$(printf '%s/j "q" \\b\nn\tt\001\377\303\251' "$T")
	mkdir -p "$weird" "$T/jdir"
	mount_tmpfs "$weird"
	users_tmpfs "$T/jok"
	users_tmpfs "$T/jdry"
	uu uubob --json "$weird" "$T/jok" "$T/jdir" "$T/jmissing"
	expect_rc 64
	python3 - "$OUT" "$weird" "$T" <<'PY' || fail "json: $OUT"
import json, os, sys
doc = json.loads(sys.argv[1])
res = doc["results"]
t = sys.argv[3]
assert len(res) == 4, res
assert res[0]["target"].encode("utf-8", "surrogateescape") == os.fsencode(sys.argv[2]), res[0]
assert res[0]["result"] == "denied" and res[0]["fstype"] == "tmpfs", res[0]
assert res[1]["result"] == "unmounted" and res[1]["rule"].endswith(" users"), res[1]
assert res[1]["message"] is None and res[1]["errno"] is None and res[1]["holders"] == [], res[1]
assert res[2]["result"] == "not-mounted", res[2]
assert res[3]["result"] == "error" and res[3]["errno"] == "ENOENT", res[3]
for r in res:
    assert set(r) == {"target", "mount_point", "mount_id", "source", "fstype", "result", "reason",
                      "rule", "flags", "allowed", "errno", "message", "holders"}, r
assert doc["version"] == 1 and doc["error"] is None, doc
PY
	uu uubob --json --dry-run -l "$T/jdry"
	expect_rc 0
	python3 -c 'import json,sys; r=json.loads(sys.argv[1])["results"][0]; assert r["result"]=="would-unmount" and r["flags"]==["lazy"], r' "$OUT" ||
		fail "json dry-run: $OUT"
}

# A lazy detach below a shared mount takes the copies under its peers. With
# the namespace scan each is checked to be a copy, and they go with it;
# without, peers in other namespaces cannot be seen and it is refused.
case_lazy_refused_under_shared_peers() {
	mkdir -p "$T/peerA" "$T/peerB"
	mount_tmpfs "$T/peerA"
	mount --make-shared "$T/peerA"
	mount --bind "$T/peerA" "$T/peerB"
	users_tmpfs "$T/peerA/m"
	mounted "$T/peerB/m" || fail "propagation did not happen"
	if [ "$(namespace_scan)" = yes ]; then
		uu uubob -l "$T/peerA/m"
		expect_rc 0
		expect_unmounted "$T/peerA/m"
		expect_unmounted "$T/peerB/m"
		return 0
	fi
	uu uubob -l "$T/peerA/m"
	expect_rc 1
	expect_err "user-umount: $T/peerA/m: permission denied: --lazy would propagate to the copies under the shared peers of $T/peerA (peers here: $T/peerB); unmount it without it"
	expect_mounted "$T/peerA/m"
	expect_mounted "$T/peerB/m"
	# a plain unmount is umount(8)'s: the unused copy goes with it
	uu uubob "$T/peerA/m"
	expect_rc 0
	expect_unmounted "$T/peerA/m"
}
