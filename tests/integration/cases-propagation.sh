# SPDX-License-Identifier: GPL-2.0-or-later
# Propagation into other mount namespaces (docs/DESIGN.md, "The namespace
# scan"). The test tree is made rshared and a second namespace (unshare -m
# --propagation slave, or shared: peers) is kept alive by a sleeping
# process. The kernel takes, in every namespace that receives from the
# target's parent, whatever sits at the target's place (and, with -l, at
# its descendants' places). The caller's own unmounts must go through and
# take the copies; a mount there that is no copy must stay.
#
# What to expect follows the helper's `namespace scan: yes|no` (-V): with
# no scan (older kernel, or the UU_FORCE_LIBMOUNT build) -l under a shared
# parent is refused as `shared-peers`, `-u -z` (fusermount3's way) is done
# as a plain unmount, and a plain unmount is not checked.

# A root tmpfs at DIR (nobody else may change it: no neighbour walk), rshared.
prop_base() { # dir
	mount_tmpfs "$1" mode=755
	mount --make-rshared "$1"
}

# A second mount namespace made from this one (PROPAGATION: slave or
# shared), held by a sleeping process; its pid goes into the variable NAME.
prop_ns() { # propagation name
	local pid
	unshare -m --propagation "$1" sleep 600 &
	pid=$!
	at_end "kill $pid"
	for _ in $(seq 100); do
		[ "$(readlink "/proc/$pid/ns/mnt")" = "$(readlink /proc/self/ns/mnt)" ] || break
		sleep 0.02
	done
	[ "$(readlink "/proc/$pid/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ] ||
		fail "test setup: no second namespace"
	printf -v "$2" '%s' "$pid"
}

# The ID the kernel gives that process's mount namespace (NS_GET_MNTNS_ID),
# as the helper names it.
prop_ns_id() { # pid
	python3 - "$1" <<'PY'
import fcntl, os, struct, sys
fd = os.open("/proc/%s/ns/mnt" % sys.argv[1], os.O_RDONLY)
print(struct.unpack("Q", fcntl.ioctl(fd, 0x8008B705, b"\0" * 8))[0])
PY
}

# The sources of the mounts at PATH in that process's namespace, bottom
# first ("" when nothing is mounted there).
prop_sources() { # pid path
	python3 - "$1" "$2" <<'PY'
import re, sys
unesc = lambda s: re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), s)
out = []
for line in open("/proc/%s/mountinfo" % sys.argv[1], encoding="latin-1"):
    a, b = line.rstrip("\n").split(" - ", 1)
    if unesc(a.split(" ")[4]) == sys.argv[2]:
        out.append(b.split(" ")[1])
print(" ".join(out))
PY
}

prop_expect_in() { # pid path sources
	local got
	got=$(prop_sources "$1" "$2")
	[ "$got" = "$3" ] || fail "in namespace of $1, $2 holds '$got', expected '$3'"
}

# A process in that namespace whose working directory is PATH (keeps the
# mount there busy).
prop_busy() { # pid path
	local busy
	nsenter -t "$1" -m -- sh -c "cd '$2' && exec sleep 600" &
	busy=$!
	at_end "kill $busy"
	for _ in $(seq 100); do
		[ "$(readlink "/proc/$busy/cwd" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.02
	done
	fail "test setup: nothing holds $2 there"
}

case_prop_version_line() {
	uu uualice -V
	expect_rc 0
	case "$OUT" in *"namespace scan: yes"* | *"namespace scan: no"*) ;;
	*) fail "no namespace scan line: $OUT" ;; esac
}

# The caller's own plain, -l and fusermount3-style unmounts with slave
# copies in a second namespace: each goes through and takes its copy.
case_prop_own_unmounts_slave_copies() {
	local D=$T/pa ns scan
	scan=$(namespace_scan)
	prop_base "$D"
	users_tmpfs "$D/plain"
	users_tmpfs "$D/lazy"
	users_tmpfs "$D/fm"
	users_tmpfs "$D/fmv"
	prop_ns slave ns
	for m in plain lazy fm fmv; do
		prop_expect_in "$ns" "$D/$m" tmpfs
	done
	uu uualice "$D/plain"
	expect_rc 0
	expect_unmounted "$D/plain"
	prop_expect_in "$ns" "$D/plain" ""
	# --list says what the unmount will do (issue 16: one decision)
	uu uualice --list --json
	expect_rc 0
	python3 - "$WORK/out" "$D/lazy" "$scan" <<'PY' || fail "--list: $OUT"
import json, sys
doc = json.load(open(sys.argv[1]))
r = [x for x in doc["results"] if x["mount_point"] == sys.argv[2]]
assert r and ("lazy" in r[0]["allowed"]) == (sys.argv[3] == "yes"), r
PY
	uu uualice --json -l "$D/lazy"
	if [ "$scan" = yes ]; then
		expect_rc 0
		expect_unmounted "$D/lazy"
		prop_expect_in "$ns" "$D/lazy" ""
	else
		expect_rc 1
		sec_json 'r["reason"] == "shared-peers"'
		expect_mounted "$D/lazy"
		prop_expect_in "$ns" "$D/lazy" tmpfs
	fi
	# libfuse's call: quiet, lazy, the target after --
	uu uualice -u -q -z -- "$D/fm"
	expect_rc 0
	[ -z "$OUT$ERR" ] || fail "-q said: $OUT$ERR"
	expect_unmounted "$D/fm"
	prop_expect_in "$ns" "$D/fm" ""
	uu uualice -v -u -z -- "$D/fmv"
	expect_rc 0
	if [ "$scan" = yes ]; then
		case "$OUT" in *"plain unmount"*) fail "-z was not lazy: $OUT" ;; esac
	else
		expect_out_has "-z done as a plain unmount"
	fi
	prop_expect_in "$ns" "$D/fmv" ""
}

# The same with a peer namespace (unshare --propagation shared).
case_prop_own_unmounts_peer_copies() {
	local D=$T/pp ns scan
	scan=$(namespace_scan)
	prop_base "$D"
	users_tmpfs "$D/plain"
	users_tmpfs "$D/lazy"
	users_tmpfs "$D/fm"
	prop_ns shared ns
	uu uualice "$D/plain"
	expect_rc 0
	prop_expect_in "$ns" "$D/plain" ""
	uu uualice -l "$D/lazy"
	if [ "$scan" = yes ]; then
		expect_rc 0
		prop_expect_in "$ns" "$D/lazy" ""
	else
		expect_rc 1
		expect_err_has "would propagate to the copies under the shared peers of $D"
		prop_expect_in "$ns" "$D/lazy" tmpfs
	fi
	uu uualice -u -q -z -- "$D/fm"
	expect_rc 0
	prop_expect_in "$ns" "$D/fm" ""
}

# In the slave namespace the copy of the caller's mount was replaced by
# root's own tmpfs, busy there (a peer namespace exists as well). The
# kernel would detach that one with -z although it is busy, and would fail
# the plain unmount with EBUSY. It stays, whatever the caller asks.
case_prop_replaced_copy_stays() {
	local D=$T/pb ns peer id scan args
	scan=$(namespace_scan)
	prop_base "$D"
	users_tmpfs "$D/t"
	prop_ns slave ns
	prop_ns shared peer
	nsenter -t "$ns" -m -- umount "$D/t"
	nsenter -t "$ns" -m -- mount -t tmpfs prop-foreign "$D/t"
	prop_busy "$ns" "$D/t"
	id=$(prop_ns_id "$ns")
	for args in "-z" "-u -q -z --" "" "-l --dry-run"; do
		# shellcheck disable=SC2086 # the words of args are options
		uu uualice --json $args "$D/t"
		if [ "$scan" = yes ]; then
			expect_rc 1
			sec_json 'r["reason"] == "propagates" and r["result"] == "denied"' \
				"'$D/t in mount namespace ID $id, which is not a copy of $D/t' in r['message']"
		elif [ "$args" = -z ] || [ "$args" = "-l --dry-run" ]; then
			expect_rc 1
			sec_json 'r["reason"] == "shared-peers"'
		else
			expect_rc 32 # plain: the kernel's EBUSY for the busy mount there
		fi
		expect_mounted "$D/t"
		prop_expect_in "$ns" "$D/t" prop-foreign
		prop_expect_in "$peer" "$D/t" tmpfs
	done
	uu uualice -z "$D/t"
	expect_rc 1
	[ "$scan" != yes ] ||
		expect_err "user-umount: $D/t: permission denied: --lazy would also take $D/t in mount namespace ID $id, which is not a copy of $D/t; nothing was unmounted"
}

# A mount at the place of a descendant of the target's copy: -l (and -R,
# and fusermount3's -u -z) would take it with the target's subtree.
case_prop_foreign_at_descendant_stays() {
	local D=$T/pc ns id scan args
	scan=$(namespace_scan)
	prop_base "$D"
	users_tmpfs "$D/t"
	users_tmpfs "$D/t/d"
	prop_ns slave ns
	nsenter -t "$ns" -m -- umount "$D/t/d"
	nsenter -t "$ns" -m -- mount -t tmpfs prop-foreign "$D/t/d"
	id=$(prop_ns_id "$ns")
	for args in -l -R "-u -q -z --"; do
		# shellcheck disable=SC2086
		uu uualice --json $args "$D/t"
		if [ "$scan" = yes ]; then
			expect_rc 1
			sec_json 'r["reason"] == "propagates"' \
				"'$D/t/d in mount namespace ID $id, which is not a copy of $D/t/d' in r['message']"
		elif [ "$args" = "-u -q -z --" ]; then
			expect_rc 32 # done plain: the mount below makes it busy
		else
			expect_rc 1
			sec_json 'r["reason"] == "shared-peers"'
		fi
		expect_mounted "$D/t"
		expect_mounted "$D/t/d"
		prop_expect_in "$ns" "$D/t" tmpfs
		prop_expect_in "$ns" "$D/t/d" prop-foreign
	done
	# the descendant alone: root's mount is at its place there too (with
	# no scan a plain unmount is not checked: the kernel would take it)
	if [ "$scan" = yes ]; then
		uu uualice "$D/t/d"
		expect_rc 1
		expect_err_has "would also take $D/t/d in mount namespace ID $id"
		prop_expect_in "$ns" "$D/t/d" prop-foreign
	fi
}

# Root's mount stacked on the copy's root: the kernel would slide it down
# into the copy's place (and with -l detach it). Refused; it stays in
# place. Unchecked (no scan), the plain unmount leaves it in place too.
case_prop_mount_on_copy_root_stays() {
	local D=$T/pd ns id scan args
	scan=$(namespace_scan)
	prop_base "$D"
	users_tmpfs "$D/t"
	prop_ns slave ns
	nsenter -t "$ns" -m -- mount -t tmpfs prop-foreign "$D/t"
	prop_expect_in "$ns" "$D/t" "tmpfs prop-foreign"
	id=$(prop_ns_id "$ns")
	if [ "$scan" != yes ]; then
		uu uualice --json -l "$D/t"
		expect_rc 1
		sec_json 'r["reason"] == "shared-peers"'
		uu uualice -u -q -z -- "$D/t"
		expect_rc 0
		prop_expect_in "$ns" "$D/t" prop-foreign
		return 0
	fi
	for args in -l "" "-u -q -z --"; do
		# shellcheck disable=SC2086
		uu uualice --json $args "$D/t"
		expect_rc 1
		sec_json 'r["reason"] == "propagates"' \
			"'$D/t in mount namespace ID $id, which is mounted on the copy of $D/t there' in r['message']"
		expect_mounted "$D/t"
		prop_expect_in "$ns" "$D/t" "tmpfs prop-foreign"
	done
}

# Root's mount inside the copy, not at the place of anything of the
# caller's: with -l the copy's whole subtree must be copies (refused, a
# stricter rule than the kernel needs); a plain unmount goes through, and
# the kernel leaves that copy, and root's mount in it, where they are.
case_prop_mount_inside_copy() {
	local D=$T/pinside ns id scan
	scan=$(namespace_scan)
	prop_base "$D"
	users_tmpfs "$D/t"
	mkdir "$D/t/x"
	prop_ns slave ns
	nsenter -t "$ns" -m -- mount -t tmpfs prop-foreign "$D/t/x"
	id=$(prop_ns_id "$ns")
	uu uualice --json -l "$D/t"
	expect_rc 1
	if [ "$scan" = yes ]; then
		sec_json 'r["reason"] == "propagates"' \
			"'$D/t/x in mount namespace ID $id, which is mounted on the copy of $D/t there' in r['message']"
	else
		sec_json 'r["reason"] == "shared-peers"'
	fi
	expect_mounted "$D/t"
	uu uualice "$D/t"
	expect_rc 0
	expect_unmounted "$D/t"
	prop_expect_in "$ns" "$D/t" tmpfs
	prop_expect_in "$ns" "$D/t/x" prop-foreign
}
