# SPDX-License-Identifier: GPL-2.0-or-later
# Issue 9, the defenses one by one, through the installed binary as real
# users: the neighbour (mount-point swap) rule, a mount point inside FUSE,
# utab lines tied to one mount (ambiguity, exact removal, the kill window,
# the bounded lock), shared peers below a --lazy target, holders seen with
# the caller's own eyes, --expire on devices and unreachable paths, policy
# errors without file text, and the privilege phases seen from outside.

# A root tmpfs of its own for one case, so that the neighbours of the
# mounts made under it are exactly the ones the case makes.
sec_base() { # dir
	mount_tmpfs "$1" mode=755
}

# --list --json as uualice: MOUNT is listed with lazy, without plain.
sec_list_lazy_only() { # mount
	uu uualice --list --json
	expect_rc 0
	python3 - "$WORK/out" "$1" <<'PY' || fail "--list: $OUT"
import json, sys
doc = json.load(open(sys.argv[1]))
r = [x for x in doc["results"] if x["mount_point"] == sys.argv[2]]
assert r and "plain" not in r[0]["allowed"] and "lazy" in r[0]["allowed"], r
PY
}

# Python over the last stdout's first result: sec_json 'assertion on r'
sec_json() {
	python3 - "$WORK/out" "$@" <<'PY' || fail "json: $OUT"
import json, sys
doc = json.loads(open(sys.argv[1], "rb").read().decode("utf-8", "surrogateescape"))
r = doc["results"][0]
for expr in sys.argv[2:]:
    assert eval(expr), (expr, r)
PY
}

# 1a. The caller's writable S holds their entitled S/a and root's tmpfs on
# S/v: renaming S/v over S/a (from `unshare -Urm`) would bring root's mount
# under the name. S/v is pinned across umount2() (a swap meets EBUSY), so
# the caller's own unmount goes through and root's mount stays; --dry-run
# and --json's "allowed" say the same.
case_sec_neighbour_swappable() {
	sec_base "$T/nb1"
	S=$T/nb1/s
	mkdir -p "$S/v"
	chown uualice "$S" "$S/v"
	users_tmpfs "$S/a"
	mount_tmpfs "$S/v"
	uu uualice --dry-run "$S/a"
	expect_rc 0
	uu uualice --dry-run --json "$S/a"
	expect_rc 0
	sec_json '"plain" in r["allowed"]'
	expect_mounted "$S/a"
	uu uualice "$S/a"
	expect_rc 0
	expect_unmounted "$S/a"
	expect_mounted "$S/v"
}

# 1b. Root's mount sits in a root-owned directory the caller cannot change
# (verified, not pinned), and with S itself root's, no neighbour is looked
# at at all. Both unmounts work.
case_sec_neighbour_not_movable() {
	sec_base "$T/nb2"
	S=$T/nb2/s
	R=$T/nb2/r
	mkdir -p "$S" "$R/v"
	chown uualice "$S"
	users_tmpfs "$S/a"
	mount_tmpfs "$R/v"
	uu uualice "$S/a"
	expect_rc 0
	expect_unmounted "$S/a"
	expect_mounted "$R/v"
	# S root's (not writable by the caller), root's mount on S/v beside S/a
	sec_base "$T/nb2b"
	S=$T/nb2b/s
	mkdir -p "$S/v"
	users_tmpfs "$S/a"
	mount_tmpfs "$S/v"
	uu uualice "$S/a"
	expect_rc 0
	expect_unmounted "$S/a"
	expect_mounted "$S/v"
}

# 1b'. Neighbours behind directories the caller cannot search: root's
# (as under /var/lib/docker) and another user's 0700 home. The helper opens
# them with CAP_DAC_READ_SEARCH for that one O_PATH open, verifies them by
# mount ID and pins them: the caller's unmount succeeds, theirs stay.
case_sec_neighbour_behind_private_dir() {
	sec_base "$T/nb6"
	S=$T/nb6/s
	mkdir -p "$S" "$T/nb6/root/v" "$T/nb6/bob/v"
	chown uualice "$S"
	chmod 700 "$T/nb6/root"
	users_tmpfs "$S/a"
	mount_tmpfs "$T/nb6/root/v"
	uu uualice "$S/a"
	expect_rc 0
	expect_unmounted "$S/a"
	expect_mounted "$T/nb6/root/v"
	chown uubob "$T/nb6/bob" "$T/nb6/bob/v"
	chmod 700 "$T/nb6/bob"
	tiny_mount uubob "$T/nb6/bob/v"
	users_tmpfs "$S/a"
	uu uualice --json "$S/a"
	expect_rc 0
	sec_json 'r["result"] == "unmounted"'
	expect_unmounted "$S/a"
	expect_mounted "$T/nb6/bob/v"
	expect_mounted "$T/nb6/root/v"
}

# 1c. P not writable by the caller: other users' mounts beside the target
# (uubob's FUSE mount, root's tmpfs) do not matter.
case_sec_neighbour_parent_not_writable() {
	sec_base "$T/nb3"
	P=$T/nb3
	users_tmpfs "$P/a"
	mount_tmpfs "$P/root"
	tiny_mount uubob "$P/bob" -o allow_other
	uu uualice "$P/a"
	expect_rc 0
	expect_unmounted "$P/a"
	expect_mounted "$P/root"
	expect_mounted "$P/bob"
}

# 1d. A group directory the caller is in (setgid, group-writable): root's
# mount there is pinned, and the caller's unmount goes through. Two things
# a pin cannot hold are refused, naming them: a mount the caller may remove
# stacked on root's (the pin would go with the upper one), and --force,
# which aborts a pinned FUSE mount before the kernel looks at the pin.
case_sec_neighbour_group_writable_dir() {
	sec_base "$T/nb4"
	S=$T/nb4/s
	G=$T/nb4/g
	mkdir -p "$S" "$G/v"
	chown uualice "$S"
	chgrp uuplug "$G"
	chmod 2775 "$G"
	users_tmpfs "$S/a"
	mount -t tmpfs rootv "$G/v" # not the fstab line's source: root's alone
	uu uualice "$S/a"
	expect_rc 0
	expect_unmounted "$S/a"
	expect_mounted "$G/v"
	# the caller's own entitled mount stacked on root's G/v
	users_tmpfs "$S/a"
	users_tmpfs "$G/v"
	uu uualice --json "$S/a"
	expect_rc 1
	sec_json 'r["reason"] == "stacked-removable"' "'$G/v' in r['message']"
	expect_mounted "$S/a"
	# --list and --dry-run say the same as the unmount: no plain way
	uu uualice --dry-run "$S/a"
	expect_rc 1
	sec_list_lazy_only "$S/a"
	umount "$G/v"
	expect_mounted "$G/v"
	# --force on the caller's FUSE mount beside root's G/v (not forcible)
	mkdir -p "$S/f"
	chown uualice "$S/f"
	tiny_mount uualice "$S/f"
	uu uualice --json -f "$S/f"
	expect_rc 1
	sec_json 'r["reason"] == "swappable-neighbour"' "'$G/v' in r['message']"
	expect_mounted "$S/f"
	uu uualice "$S/f"
	expect_rc 0
	expect_unmounted "$S/f"
	uu uualice "$S/a"
	expect_rc 0
	expect_mounted "$G/v"
}

# 1d2. A neighbour the listing shows but no path reaches: root's N at
# S/d/n, and another mount of root's over S/d since. N is a child of the
# parent mount, listed by ID with its mount point, and only the pin finds
# that the name leads elsewhere: the unmount is refused as cannot-check,
# and --dry-run, --list and --json's allowed must say so too (they verify
# the pins without holding them). Lazy names no path: allowed.
case_sec_neighbour_shadowed_readers_agree() {
	sec_base "$T/nb7"
	S=$T/nb7/s
	mkdir -p "$S/d/n"
	chown uualice "$S" "$S/d"
	users_tmpfs "$S/a"
	mount -t tmpfs rootn "$S/d/n"
	mount -t tmpfs rootx "$S/d"
	uu uualice --json "$S/a"
	expect_rc 1
	sec_json 'r["reason"] == "cannot-check"' "'$S/d/n' in r['message']" \
		'"lazy" in r["allowed"] and "plain" not in r["allowed"]'
	expect_mounted "$S/a"
	uu uualice --json --dry-run "$S/a"
	expect_rc 1
	sec_json 'r["reason"] == "cannot-check"' '"plain" not in r["allowed"]'
	sec_list_lazy_only "$S/a"
	uu uualice -l "$S/a"
	expect_rc 0
	expect_unmounted "$S/a"
	umount "$S/d"
	expect_mounted "$S/d/n"
}

# 1e. --lazy names no path (the target's own fd): a neighbour the caller
# may unmount carrying a root submount cannot be swapped into the detach.
case_sec_neighbour_lazy_subtree() {
	sec_base "$T/nb5"
	S=$T/nb5/s
	mkdir -p "$S"
	chown uualice "$S"
	users_tmpfs "$S/a"
	users_tmpfs "$S/b"
	mount_tmpfs "$S/b/sub"
	uu uualice --json -l "$S/a"
	expect_rc 0
	sec_json 'r["result"] == "unmounted"'
	expect_unmounted "$S/a"
	expect_mounted "$S/b"
	expect_mounted "$S/b/sub"
}

# 2. A mount point inside the caller's own FUSE mount: the name lookup in
# umount2() would ask their daemon, which could hold it there.
case_sec_parent_fuse() {
	fuse_mount uualice "$T/pf" -o allow_other
	mkdir "$(findmnt -n -o SOURCE "$T/pf")/in"
	users_tmpfs "$T/pf/in"
	uu uualice --json "$T/pf/in"
	expect_rc 1
	sec_json 'r["reason"] == "parent-fuse"' '"inside a FUSE file system" in r["message"]'
	expect_mounted "$T/pf/in"
	uu uubob "$T/pf/in"
	expect_rc 1
	expect_err_has "its mount point is inside a FUSE file system"
	expect_mounted "$T/pf/in"
	# the outer one first: then the inner one is on no FUSE mount any more
	umount "$T/pf/in"
	uu uualice "$T/pf"
	expect_rc 0
}

# A `user` fstab entry mounted by uualice through mount(8): utab gets its line.
sec_user_mount() { # dir
	fstab_add "tmpfs $1 tmpfs user,noauto 0 0"
	mkdir -p "$1"
	as uualice mount "$1"
	grep -q "TARGET=$1 " /run/mount/utab || fail "mount(8) wrote no utab line for $1"
}

# 3a. A stale second line for the same mount: refused, nothing changed.
case_sec_utab_two_lines() {
	sec_user_mount "$T/u1"
	line=$(grep "TARGET=$T/u1 " /run/mount/utab)
	utab_add "SRC=tmpfs TARGET=$T/u1 ROOT=/ OPTS=user=uualice"
	cp /run/mount/utab "$WORK/utab.before"
	for user in uualice uubob; do
		uu "$user" "$T/u1"
		expect_rc 2
		expect_err_has "has several lines for this mount"
		expect_mounted "$T/u1"
		cmp -s /run/mount/utab "$WORK/utab.before" || fail "utab changed: $(cat /run/mount/utab)"
	done
	uu uualice --json "$T/u1"
	sec_json 'r["reason"] == "utab-ambiguous"'
	echo "    (mount(8) wrote: $line)"
}

# 3b. Exactly the matched line goes; every other line stays byte for byte,
# including one at the same TARGET with another SRC (another mount's).
case_sec_utab_exact_line_removed() {
	sec_user_mount "$T/u2"
	line=$(grep "TARGET=$T/u2 " /run/mount/utab)
	{
		printf 'SRC=/dev/other TARGET=%s ROOT=/ OPTS=user=uubob\n' "$T/u2"
		printf 'SRC=tmpfs   TARGET=/else\\040where ROOT=/ OPTS=user=uubob\n'
		cat /run/mount/utab
		printf 'SRC=tmpfs\tTARGET=/z ROOT=/ OPTS=user=uualice,x=%s\n' "$T/u2"
		printf 'SRC=tmpfs TARGET=%s/u2x ROOT=/ OPTS=user=uualice\n' "$T"
	} >"$WORK/utab.new"
	cat "$WORK/utab.new" >/run/mount/utab
	grep -v -x -F -e "$line" "$WORK/utab.new" >"$WORK/utab.expect"
	[ "$(wc -l <"$WORK/utab.expect")" = 4 ] || fail "test setup: $(cat "$WORK/utab.expect")"
	uu uubob "$T/u2"
	expect_rc 1
	uu uualice "$T/u2"
	expect_rc 0
	expect_unmounted "$T/u2"
	cmp /run/mount/utab "$WORK/utab.expect" ||
		fail "utab: $(cat -A /run/mount/utab) expected $(cat -A "$WORK/utab.expect")"
}

# Start the helper as USER in the background (env and setpriv exec, so
# SEC_PID is the helper's own pid, a child of this shell).
sec_start() { # user args...
	local user=$1
	shift
	env -i PATH=/usr/bin:/bin /usr/bin/setpriv --reuid="$user" --regid="$(id -g "$user")" \
		--init-groups -- "$UU" "$@" >"$WORK/out" 2>"$WORK/err" &
	SEC_PID=$!
}

# 3c. The kill window, as anything could kill it (root's SIGKILL at random
# times): afterwards never a utab line without its mount. And the caller
# cannot signal the main process at all while it works with privilege.
case_sec_utab_kill_window() {
	sec_user_mount "$T/k"
	local outcomes="" pid delay n_gone=0 n_kept=0 n_lineless=0 n_tmp=0
	for i in $(seq 100); do
		if ! mounted "$T/k"; then
			as uualice mount "$T/k"
		elif ! grep -q "TARGET=$T/k " /run/mount/utab; then
			umount "$T/k"
			as uualice mount "$T/k"
		fi
		delay=$(printf '0.%04d' $((RANDOM % 250)))
		env -i PATH=/usr/bin:/bin /usr/bin/setpriv --reuid=uualice --regid=users \
			--init-groups -- "$UU" "$T/k" >/dev/null 2>&1 &
		pid=$!
		sleep "$delay"
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		sleep 0.02 # an unmount child already past its re-check finishes
		if mounted "$T/k"; then
			grep -q "TARGET=$T/k " /run/mount/utab && n_kept=$((n_kept + 1)) ||
				n_lineless=$((n_lineless + 1))
		else
			n_gone=$((n_gone + 1))
			! grep -q "TARGET=$T/k " /run/mount/utab ||
				fail "run $i (kill after ${delay}s): a utab line without its mount"
		fi
		# root's SIGKILL between linkat() and rename() may leave the one
		# fixed name (SECURITY.md); the next rewrite removes it under the
		# lock. Nothing else, and never a second one.
		ls -A /run/mount | grep -q -x utab.user-umount.tmp && n_tmp=$((n_tmp + 1))
		ls -A /run/mount | grep -v -x -e utab -e utab.lock -e utab.user-umount.tmp | grep -q . &&
			fail "left behind in /run/mount: $(ls -A /run/mount)"
	done
	# a leftover goes with the next rewrite
	if [ -e /run/mount/utab.user-umount.tmp ]; then
		mounted "$T/k" && umount "$T/k"
		as uualice mount "$T/k"
		uu uualice "$T/k"
		expect_rc 0
		[ ! -e /run/mount/utab.user-umount.tmp ] || fail "the next rewrite left the temporary name"
	fi
	echo "    100 runs: gone $n_gone, kept with line $n_kept, kept without line $n_lineless;" \
		"the fixed temporary name seen after $n_tmp kills"
}

# A root-owned tinyfuse over the policy directory, its daemon stopped: the
# helper hangs in load_policy (fs uid 0, before any target is looked at).
# Sets HELD_DAEMON; the case's stop_daemons lets it go.
sec_hold_policy_read() {
	mkdir -p "$POLICY_DIR"
	"$WORK/bin/tinyfuse" -f -o allow_other "$POLICY_DIR" >"$WORK/fuse.log" 2>&1 &
	HELD_DAEMON=$!
	DAEMONS="$DAEMONS $HELD_DAEMON"
	at_end "umount -l '$POLICY_DIR'"
	wait_mounted "$POLICY_DIR"
	kill -STOP "$HELD_DAEMON"
}

# Wait until PID sleeps in a FUSE request (or at least sleeps): wchan names it.
sec_wait_blocked() { # pid
	for _ in $(seq 100); do
		case "$(cat "/proc/$1/wchan" 2>/dev/null)" in
		*fuse* | request_wait_answer | *wait_answer*) return 0 ;;
		esac
		sleep 0.05
	done
	fail "pid $1 never blocked in FUSE (wchan $(cat "/proc/$1/wchan" 2>&1)); stderr: $(cat "$WORK/err"); daemon: $(cat "$WORK/fuse.log"); $(grep "$POLICY_DIR" /proc/self/mountinfo)"
}

# 3c (signals). While the main process works with privilege, the caller can
# neither stop nor kill it (real and saved uid 0): kill(2) gives EPERM.
case_sec_caller_cannot_signal_main() {
	users_tmpfs "$T/sig"
	sec_hold_policy_read
	sec_start uualice "$T/sig"
	pid=$SEC_PID
	sec_wait_blocked "$pid"
	for sig in 0 STOP KILL TERM; do
		as uualice kill -s "$sig" "$pid" 2>"$WORK/kill.err" &&
			fail "uualice could send SIG$sig to the helper"
		grep -q "Operation not permitted" "$WORK/kill.err" ||
			fail "kill -$sig: $(cat "$WORK/kill.err")"
	done
	grep -q '^State:.*[ST]' "/proc/$pid/status" || fail "helper state: $(grep State "/proc/$pid/status")"
	kill -CONT "$HELD_DAEMON"
	RC=0
	wait "$pid" || RC=$?
	expect_rc 0
	expect_unmounted "$T/sig"
}

# Does the saved /proc/PID/status text ST have exactly this line?
sec_status_has() { # regex (grep -P, whole line)
	printf '%s\n' "$st" | grep -q -x -P "$1" ||
		fail "$phase: $(printf '%s\n' "$st" | grep -E "^${1%%:*}:")"
}

# 8. The privilege phases from outside: held in the policy read, held
# while its resolver child waits for a stopped FUSE daemon, and held
# writing its result into a full pipe nobody reads.
case_sec_privilege_phases() {
	users_tmpfs "$T/ph"
	# (i) in load_policy: fs uid 0 for that call only (docs: privilege phases)
	sec_hold_policy_read
	sec_start uualice "$T/ph"
	pid=$SEC_PID
	sec_wait_blocked "$pid"
	st=$(cat "/proc/$pid/status")
	kill -CONT "$HELD_DAEMON"
	wait "$pid" || fail "helper failed after the policy read: $(cat "$WORK/err")"
	phase="while reading the policy"
	sec_status_has 'Uid:\t0\t4100\t0\t0'
	sec_status_has 'CapEff:\t0000000000000000'
	sec_status_has 'CapPrm:\t0000000000200104'
	sec_status_has 'CapBnd:\t0000000000200104'
	echo "    policy read: $(printf '%s\n' "$st" | grep -E '^(Uid|CapPrm|CapEff|CapBnd|NoNewPrivs)' | tr '\t\n' ' ')"
	# (ii) narrowed, fs uid the caller's: the main process waits for its
	# resolver child, which waits for uualice's stopped FUSE daemon
	tiny_mount uualice "$T/phf" -o allow_other
	daemon=${DAEMONS##* }
	kill -STOP "$daemon"
	sec_start uualice "$T/phf/x"
	pid=$SEC_PID
	for _ in $(seq 100); do
		child=$(cat "/proc/$pid/task/$pid/children" 2>/dev/null || true)
		[ -n "$child" ] && case "$(cat "/proc/${child%% *}/wchan" 2>/dev/null)" in *fuse* | *wait_answer*) break ;; esac
		sleep 0.05
	done
	st=$(cat "/proc/$pid/status")
	kill -CONT "$daemon"
	wait "$pid" || true
	phase="while the resolver child waits"
	sec_status_has 'Uid:\t0\t4100\t0\t4100'
	sec_status_has 'CapEff:\t0000000000000000'
	sec_status_has 'CapPrm:\t0000000000200104'
	echo "    resolver wait: $(printf '%s\n' "$st" | grep -E '^(Uid|CapPrm|CapEff|CapBnd|NoNewPrivs)' | tr '\t\n' ' ')"
	[ -n "$child" ] || fail "no resolver child seen"
	# held writing its result: stdout a full pipe
	users_tmpfs "$T/ph2"
	python3 - "$UU" "$T/ph2" <<'PY' || fail "held output phase"
import fcntl, os, subprocess, sys, time
uu, target = sys.argv[1], sys.argv[2]
r, w = os.pipe()
fl = fcntl.fcntl(w, fcntl.F_GETFL)
fcntl.fcntl(w, fcntl.F_SETFL, fl | os.O_NONBLOCK)
try:
    while True:
        os.write(w, b"x" * 4096)
except BlockingIOError:
    pass
try:
    while True:
        os.write(w, b"x")
except BlockingIOError:
    pass
fcntl.fcntl(w, fcntl.F_SETFL, fl)
p = subprocess.Popen(["env", "-i", "PATH=/usr/bin:/bin", "/usr/bin/setpriv", "--reuid=uualice",
                      "--regid=users", "--init-groups", "--", uu, "--json", target],
                     stdout=w, stderr=subprocess.DEVNULL)
os.close(w)
status = ""
for _ in range(200):
    time.sleep(0.05)
    try:
        wchan = open(f"/proc/{p.pid}/wchan").read()
        status = open(f"/proc/{p.pid}/status").read()
    except FileNotFoundError:
        break
    if "pipe" in wchan:
        break
fields = dict(l.split(":\t", 1) for l in status.splitlines() if ":\t" in l)
while os.read(r, 65536):
    pass
p.wait()
want = {"Uid": "4100\t4100\t4100\t4100", "CapPrm": "0000000000000000",
        "CapEff": "0000000000000000", "CapBnd": "0000000000000000", "NoNewPrivs": "1"}
got = {k: fields.get(k) for k in want}
print("    output held:", " ".join(f"{k}={v!r}" for k, v in got.items()))
sys.exit(0 if got == want and "pipe" in wchan else 1)
PY
	expect_unmounted "$T/ph2"
}

# 3d. A user holds the utab lock: refused within a bound, nothing changed.
case_sec_utab_lock_timeout() {
	sec_user_mount "$T/lk"
	touch /run/mount/utab.lock
	chmod 644 /run/mount/utab.lock
	cp /run/mount/utab "$WORK/utab.before"
	$(as_bg_cmd uubob) python3 -c 'import fcntl, sys, time
f = open("/run/mount/utab.lock")
fcntl.flock(f, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(60)' >"$WORK/locked" &
	DAEMONS="$DAEMONS $!"
	for _ in $(seq 100); do [ -s "$WORK/locked" ] && break; sleep 0.05; done
	[ -s "$WORK/locked" ] || fail "the lock holder did not start"
	start=$(date +%s%N)
	uu uualice "$T/lk"
	took=$((($(date +%s%N) - start) / 1000000))
	expect_rc 2
	expect_err_has "utab is locked by another process; nothing was unmounted"
	[ "$took" -lt 6000 ] || fail "refused only after $took ms"
	expect_mounted "$T/lk"
	cmp -s /run/mount/utab "$WORK/utab.before" || fail "utab changed: $(cat /run/mount/utab)"
	uu uualice --json "$T/lk"
	sec_json 'r["reason"] == "utab-locked"'
	echo "    refused after $took ms"
	stop_daemons
	uu uualice "$T/lk"
	expect_rc 0
	expect_unmounted "$T/lk"
}

# 4. --lazy and --recursive: a child of the target sits under a shared peer
# (the target is shared, and bound elsewhere): the unmount propagates. With
# the namespace scan the copy there is seen to be one, and goes too
# (cases-propagation.sh has the refusals); without, it is refused.
case_sec_lazy_peer_below() {
	sec_base "$T/sh"
	users_tmpfs "$T/sh/t"
	mount --make-shared "$T/sh/t"
	mkdir -p "$T/sh/peer"
	mount --bind "$T/sh/t" "$T/sh/peer"
	users_tmpfs "$T/sh/t/c"
	mounted "$T/sh/peer/c" || fail "test setup: no propagated copy"
	if [ "$(namespace_scan)" = yes ]; then
		uu uualice -R "$T/sh/t"
		expect_rc 0
		expect_unmounted "$T/sh/t"
		expect_unmounted "$T/sh/peer/c"
		expect_mounted "$T/sh/peer"
		return 0
	fi
	for flag in -l -R; do
		uu uualice --json "$flag" "$T/sh/t"
		expect_rc 1
		sec_json 'r["reason"] == "shared-peers"' "'peers here: $T/sh/peer' in r['message']"
		expect_mounted "$T/sh/t"
		expect_mounted "$T/sh/t/c"
		expect_mounted "$T/sh/peer/c"
	done
	uu uualice -l "$T/sh/t"
	expect_err_has "would propagate to the copies under the shared peers of $T/sh/t (peers here: $T/sh/peer)"
}

# 4. Shared, but no peer visible here (its members may be in other mount
# namespaces): without the namespace scan refused all the same; with it,
# no namespace holds one, and it goes.
case_sec_lazy_shared_no_visible_peer() {
	sec_base "$T/sh2"
	users_tmpfs "$T/sh2/t"
	mount --make-shared "$T/sh2/t"
	users_tmpfs "$T/sh2/t/c"
	if [ "$(namespace_scan)" = yes ]; then
		uu uualice -l "$T/sh2/t"
		expect_rc 0
		expect_unmounted "$T/sh2/t"
		return 0
	fi
	uu uualice -l "$T/sh2/t"
	expect_rc 1
	expect_err_has "no peer of it is visible here"
	expect_mounted "$T/sh2/t"
	expect_mounted "$T/sh2/t/c"
	# plain unmount of the child is fine (nothing below it)
	uu uualice "$T/sh2/t/c"
	expect_rc 0
}

# 5. Holders: a non-dumpable process of the caller is hidden (as the kernel
# hides it from them); a dumpable one is named.
case_sec_holders_nondumpable_hidden() {
	users_tmpfs "$T/hd"
	$(as_bg_cmd uualice) python3 -c 'import ctypes, os, sys, time
ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE 0
os.chdir(sys.argv[1])
time.sleep(60)' "$T/hd" &
	hidden=$!
	DAEMONS="$DAEMONS $hidden"
	$(as_bg_cmd uualice) python3 -c 'import os, sys, time
os.chdir(sys.argv[1])
time.sleep(60)' "$T/hd" &
	shown=$!
	DAEMONS="$DAEMONS $shown"
	for _ in $(seq 100); do
		[ "$(readlink "/proc/$hidden/cwd")" = "$T/hd" ] &&
			[ "$(readlink "/proc/$shown/cwd")" = "$T/hd" ] && break
		sleep 0.05
	done
	grep -q -x -P 'Uid:\t4100\t4100\t4100\t4100' "/proc/$hidden/status" || fail "setup: not uualice's"
	uu uualice "$T/hd"
	expect_rc 32
	expect_err_has "target is busy"
	expect_err_has "$shown python3 (working directory)"
	case $ERR in *"$hidden "*) fail "the non-dumpable holder $hidden is shown: $ERR" ;; esac
	expect_mounted "$T/hd"
}

# 6. -e on a device TARGET (a loop device, fstab users): mark, then unmount.
case_sec_expire_device_target() {
	truncate -s 8M "$WORK/ex.img"
	mkfs.ext4 -q -F "$WORK/ex.img"
	dev=$(losetup -f --show "$WORK/ex.img")
	at_end "umount '$T/exd'; losetup -d '$dev'"
	fstab_add "$dev $T/exd ext4 users,noauto 0 0"
	mkdir -p "$T/exd"
	mount "$T/exd"
	uu uubob -e "$dev"
	expect_rc 0
	expect_err_has "marked expired"
	expect_mounted "$T/exd"
	uu uubob -e "$dev"
	expect_rc 0
	expect_unmounted "$T/exd"
}

# 6. -e under a directory the caller cannot search: the dry run and the
# real run both say the caller's errno; nothing changes.
case_sec_expire_unreachable() {
	mkdir -p "$T/nosearch"
	chmod 700 "$T/nosearch"
	users_tmpfs "$T/nosearch/m"
	for args in "--dry-run -e" "-e"; do
		uu uubob $args "$T/nosearch/m"
		expect_rc 1
		expect_err "user-umount: $T/nosearch/m: permission denied"
		expect_mounted "$T/nosearch/m"
	done
	uu uubob --json -e "$T/nosearch/m"
	expect_rc 1
	sec_json 'r["result"] == "denied" and r["errno"] == "EACCES" and r["reason"] == "access"'
	expect_mounted "$T/nosearch/m"
	# reachable now: the first -e only marks it, so the runs above did not
	chmod 755 "$T/nosearch"
	uu uubob -e "$T/nosearch/m"
	expect_rc 0
	expect_err_has "marked expired"
	expect_mounted "$T/nosearch/m"
}

# 7. A 0600 policy with a syntax error: file:line:column and the kind, not
# a byte of the file.
case_sec_policy_error_hides_text() {
	policy_set policy.conf "# ok
permit * on /x
permit * onn /SECRETWORD1"
	chmod 600 "$POLICY_DIR/policy.conf"
	uu uubob "$T/x"
	expect_rc 2
	expect_err_has "$POLICY_DIR/policy.conf:3:10: "
	case $ERR in *SECRET* | *onn*) fail "policy text shown: $ERR" ;; esac
	policy_set policy.d/a.conf ""
	policy_set policy.conf "permit SECRETWORD2,lazy uubob on /x"
	chmod 600 "$POLICY_DIR/policy.conf"
	uu uubob --json "$T/x"
	expect_rc 2
	case $OUT$ERR in *SECRET*) fail "policy text shown: $OUT $ERR" ;; esac
	expect_err_has "$POLICY_DIR/policy.conf:1:"
	uu uubob --list
	expect_rc 2
	case $OUT$ERR in *SECRET*) fail "policy text shown by --list: $OUT $ERR" ;; esac
}
