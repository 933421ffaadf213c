# SPDX-License-Identifier: GPL-2.0-or-later
# The caller's other doors to a running helper: a cgroup of their own
# (freeze, single-step, kill), scheduling and limits set before exec, and
# the race between a failed unmount and its utab line coming back.
# Sourced by cases.sh inside the private mount namespace. The cgroup
# directories made here are on the machine's hierarchies (cgroups have no
# mount namespace): each is removed when its case ends.

# The cgroup v2 hierarchy: where it is mounted, or mounted here (the mount
# dies with the namespace; the hierarchy is the machine's either way). A new
# cgroup2 mount applies its options to the whole machine: only where none is.
cg2_dir() {
	local m
	m=$(findmnt -rn -t cgroup2 -o TARGET | head -n 1)
	if [ -z "$m" ]; then
		mkdir -p "$WORK/cgroup2"
		mount -t cgroup2 cgroup2 "$WORK/cgroup2"
		m=$WORK/cgroup2
	fi
	printf '%s\n' "$m"
}

# A v1 freezer hierarchy: mounted already, or mounted here; none: empty.
cg1_freezer_dir() {
	local m
	m=$(findmnt -rn -t cgroup -o TARGET,OPTIONS | awk '$2 ~ /(^|,)freezer(,|$)/ {print $1; exit}')
	if [ -z "$m" ] && grep -q '^freezer' /proc/cgroups; then
		mkdir -p "$WORK/freezer"
		mount -t cgroup -o freezer freezer "$WORK/freezer" 2>/dev/null && m=$WORK/freezer
	fi
	printf '%s\n' "$m"
}

# Thaw, empty and remove a cgroup and its children (deepest first).
cg_remove() {
	local d=$1 c
	[ -d "$d" ] || return 0
	for c in "$d"/*/; do
		[ -d "$c" ] && cg_remove "${c%/}"
	done
	echo 0 >"$d/cgroup.freeze" 2>/dev/null || echo THAWED >"$d/freezer.state" 2>/dev/null || true
	echo 1 >"$d/cgroup.kill" 2>/dev/null || kill -9 $(cat "$d/cgroup.procs") 2>/dev/null || true
	for _ in $(seq 200); do
		rmdir "$d" 2>/dev/null && return 0
		sleep 0.01
	done
	echo "    could not remove cgroup $d" >&2
}

# A cgroup delegated to USER the way systemd does it (Delegate=yes): the
# directory and its cgroup.procs, cgroup.threads and cgroup.subtree_control
# (v1: cgroup.procs and tasks) are the user's. Its path in CGD; removed
# when the case ends (so not called in a $(...) subshell, where at_end
# would be lost).
cg_delegate() { # parent user
	local d f
	d=$(mktemp -d "$1/uu-it.XXXXXX")
	at_end cg_remove "$d"
	chown "$2" "$d"
	for f in cgroup.procs cgroup.threads cgroup.subtree_control tasks; do
		[ ! -e "$d/$f" ] || chown "$2" "$d/$f"
	done
	CGD=$d
}

# Run cgstep as USER from inside the delegated cgroup D (root puts it
# there, as systemd starts user@UID.service in its own); CG is its line.
cg_step() { # user cgroup mode lockfile helper-args...
	local user=$1 d=$2
	shift 2
	CG=$(sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$d" \
		env -i PATH=/usr/bin:/bin setpriv --reuid="$user" --regid="$(id -g "$user")" \
		--init-groups -- "$WORK/bin/cgstep" "$1" "$d" "$2" "$UU" "${@:3}" 2>"$WORK/cg.err")
	case $CG in steps=*) ;; *) fail "cgstep: $CG $(cat "$WORK/cg.err")"; return 1 ;; esac
}

cg_field() { # name
	printf '%s\n' "$CG" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# Only utab and its lock in /run/mount: no temp file of anyone's.
no_temp_left() {
	local extra
	extra=$(ls -A /run/mount | grep -v -x -e utab -e utab.lock || true)
	[ -z "$extra" ] || fail "left in /run/mount: $extra"
}

# Each run: a user mount with its utab line, the helper started in the
# user's cgroup, frozen and thawed over and over (the utab lock held by the
# user until the helper waits for it, so the fs-uid-0 window around the
# rewrite lasts): no process of the helper that left its setup is ever in
# the user's cgroup, so none of the fs-uid-0 windows, the utab rewrite or
# the unmount child can be held.
cg_hold_runs() { # cgroup-dir mode runs
	local d=$1 mode=$2 runs=$3 i st steps=0 frozen=0 prelude=0 ok=0 refused=0
	fstab_add "tmpfs $T/cg tmpfs user,noauto 0 0"
	mkdir -p "$T/cg"
	for i in $(seq "$runs"); do
		as uualice mount "$T/cg"
		cg_step uualice "$d" "$mode" /run/mount/utab.lock "$T/cg"
		[ "$(cg_field narrowed)" = 0 ] ||
			fail "run $i: the helper was in the caller's cgroup after its setup: $CG"
		st=$(cg_field status)
		if [ "$st" = 0 ]; then
			expect_unmounted "$T/cg"
			ok=$((ok + 1))
		elif [ "$mode" = moveback ] && [ "$st" = 4 ]; then
			# moved back before the narrowing: the read-back refuses
			grep -q "by someone else; nothing was done" "$WORK/cg.err" ||
				fail "run $i: exit 4 without the read-back's message: $(cat "$WORK/cg.err")"
			expect_mounted "$T/cg"
			umount "$T/cg"
			refused=$((refused + 1))
		else
			fail "run $i: $CG; $(cat "$WORK/cg.err")"
		fi
		! grep -q "TARGET=$T/cg " /run/mount/utab || fail "run $i: utab: $(cat /run/mount/utab)"
		steps=$((steps + $(cg_field steps)))
		frozen=$((frozen + $(cg_field frozen)))
		prelude=$((prelude + $(cg_field prelude)))
	done
	echo "    $mode, $runs runs: $ok unmounted, $refused refused; $steps steps, $frozen frozen," \
		"$prelude sightings before the confinement, 0 after it"
	[ "$steps" -gt "$runs" ] || fail "the helper was hardly stepped ($steps steps)"
}

case_cgroup_v2_step_cannot_hold() {
	local cg d
	cg=$(cg2_dir)
	cg_delegate "$cg" uualice
	d=$CGD
	cg_hold_runs "$d" step 30
}

# cgroup.kill on the user's cgroup, over and over from when the helper
# waits for the utab lock until it exits, 200 times: it never dies, utab keeps
# every other line, no temp file. A utab of 20 000 other lines (1 MiB) makes
# the rewrite last; the writes made while the helper held the lock are
# counted: at least a quarter of the runs must have some (174 of 200 here),
# else the kills missed the rewrite.
case_cgroup_v2_kill_during_utab_rewrite() {
	local cg d i inlock=0 hit=0 kills=0
	cg=$(cg2_dir)
	cg_delegate "$cg" uualice
	d=$CGD
	fstab_add "tmpfs $T/ck tmpfs user,noauto 0 0"
	mkdir -p "$T/ck"
	seq 20000 | awk '{printf "SRC=tmpfs TARGET=/other/%d ROOT=/ OPTS=user=uubob\n", $1}' \
		>>/run/mount/utab
	sort /run/mount/utab >"$WORK/utab.others"
	for i in $(seq 200); do
		as uualice mount "$T/ck"
		cg_step uualice "$d" kill /run/mount/utab.lock "$T/ck"
		[ "$(cg_field status)" = 0 ] || fail "run $i: the helper was killed or failed: $CG"
		expect_unmounted "$T/ck"
		[ "$(sort /run/mount/utab)" = "$(cat "$WORK/utab.others")" ] ||
			fail "run $i: utab is not the other lines"
		no_temp_left
		kills=$((kills + $(cg_field kills)))
		inlock=$((inlock + $(cg_field inlock)))
		[ "$(cg_field inlock)" = 0 ] || hit=$((hit + 1))
	done
	echo "    200 runs: $kills writes of cgroup.kill, $inlock of them while the helper held" \
		"the utab lock (in $hit runs); it never died; utab whole, no temp file"
	[ "$hit" -ge 50 ] || fail "cgroup.kill landed inside the rewrite in only $hit of 200 runs"
}

# cgroup v2 has one set of mount options for the whole machine, and a
# cgroup2 super block context made in the init cgroup namespace applies its
# own: a helper that made one (with none) cleared systemd's nsdelegate and
# memory_recursiveprot for everyone. With an option set that the test can
# spare (memory_localevents: how memory.events counts), the helper runs
# from the machine's root cgroup and from a user's delegated one: the
# options stay. (Another process that mounts cgroup2 meanwhile would reset
# them too: on a machine shared with other runs this case can be disturbed.)
cg2_options() { # mount point
	findmnt -rn -o FS-OPTIONS --mountpoint "$1"
}

case_cgroup_v2_options_kept() {
	local cg d orig want
	cg=$(cg2_dir)
	orig=$(cg2_options "$cg")
	at_end mount -o "remount,$orig" "$cg"
	# A hierarchy without the memory controller (a hybrid host's unified
	# tree) takes no memory_localevents: there the options it has must stay.
	if grep -qw memory "$cg/cgroup.controllers" 2>/dev/null; then
		case ",$orig," in *,memory_localevents,*) want=$orig ;; *) want=$orig,memory_localevents ;; esac
		mount -o "remount,$want" "$cg"
		[ "$(cg2_options "$cg")" = "$want" ] || fail "cannot set the cgroup2 options $want"
	else
		want=$orig
	fi
	fstab_add "tmpfs $T/co tmpfs user,noauto 0 0"
	mkdir -p "$T/co"
	as uualice mount "$T/co"
	uu --as uualice "$T/co"
	expect_rc 0
	[ "$(cg2_options "$cg")" = "$want" ] ||
		fail "the helper changed the machine's cgroup2 options: $want -> $(cg2_options "$cg")"
	cg_delegate "$cg" uualice
	d=$CGD
	as uualice mount "$T/co"
	cg_step uualice "$d" step - "$T/co"
	[ "$(cg_field status)" = 0 ] || fail "from the user's cgroup: $CG $(cat "$WORK/cg.err")"
	[ "$(cg2_options "$cg")" = "$want" ] ||
		fail "the helper (moving out of a user's cgroup) changed the machine's cgroup2" \
			"options: $want -> $(cg2_options "$cg")"
	echo "    cgroup2 options '$want' kept by a run from the root cgroup and one that moved"
}

# Run the helper on TARGET as uualice in a nested mount namespace where no
# cgroup2 mount is left, started in CGDIR ("": where the test runs); with
# SUB, a bind mount of the hierarchy's SUB ("/": its root) is made first at
# $WORK/cgbind and kept (found only by reading the mount table).
no_cg2_mount_run() { # cgdir target [sub]
	RC=0
	mkdir -p "$WORK/cgbind"
	unshare -m --propagation private sh -c '
		[ -z "$2" ] || echo $$ >"$2/cgroup.procs" || exit 101
		[ -z "$4" ] || mount --bind "$(findmnt -rn -t cgroup2 -o TARGET | head -n 1)$4" "$5" || exit 103
		findmnt -rn -t cgroup2 -o TARGET | sort -r | while read -r m; do
			[ "$m" = "$5" ] || umount -l "$m"
		done
		[ "$(findmnt -rn -t cgroup2 -o TARGET)" = "${4:+$5}" ] || exit 102
		exec env -i PATH=/usr/bin:/bin setpriv --reuid=uualice --regid="$(id -g uualice)" \
			--init-groups -- "$1" "$3"' sh "$UU" "$1" "$2" "${3:-}" "$WORK/cgbind" \
		>"$WORK/out" 2>"$WORK/err" || RC=$?
	ERR=$(cat "$WORK/err")
}

# No cgroup2 mount in the caller's mount namespace: nothing to open (and no
# context of our own may be made). In the machine's root cgroup that is
# safe and the run goes on; in a user's cgroup it cannot be checked:
# refused, nothing done. A mount of the root somewhere else is found in the
# mount table and used; a mount of a subtree is not the root.
case_cgroup_v2_unmounted() {
	local cg d self
	cg=$(cg2_dir)
	cg_delegate "$cg" uualice
	d=$CGD
	fstab_add "tmpfs $T/cu tmpfs user,noauto 0 0"
	mkdir -p "$T/cu"
	self=$(awk -F: '$1 == 0 {print $3}' /proc/self/cgroup)
	as uualice mount "$T/cu"
	sort /run/mount/utab >"$WORK/utab.before"
	no_cg2_mount_run "$d" "$T/cu"
	expect_rc 4
	expect_err_has "no mount of the cgroup2 hierarchy's root is in this mount namespace"
	expect_err_has "; nothing was done"
	expect_mounted "$T/cu"
	[ "$(sort /run/mount/utab)" = "$(cat "$WORK/utab.before")" ] || fail "utab changed"
	# the hierarchy's root elsewhere (read from the mount table): used, the
	# helper leaves the user's cgroup; only a subtree of it: not the root
	no_cg2_mount_run "$d" "$T/cu" "/$(basename "$d")"
	expect_rc 4
	expect_err_has "no mount of the cgroup2 hierarchy's root is in this mount namespace"
	expect_mounted "$T/cu"
	no_cg2_mount_run "$d" "$T/cu" /
	expect_rc 0
	! grep -q "TARGET=$T/cu " /run/mount/utab || fail "utab: $(cat /run/mount/utab)"
	umount "$T/cu"
	as uualice mount "$T/cu"
	no_cg2_mount_run "" "$T/cu"
	if [ "$self" = / ]; then
		expect_rc 0
		! grep -q "TARGET=$T/cu " /run/mount/utab || fail "utab: $(cat /run/mount/utab)"
		echo "    no cgroup2 mount: refused from a user's cgroup, run from the root cgroup"
	else
		expect_rc 4
		echo "    no cgroup2 mount: refused from a user's cgroup and from $self"
	fi
	umount "$T/cu"
}

case_cgroup_v1_freezer_cannot_hold() {
	local f d
	f=$(cg1_freezer_dir)
	if [ -z "$f" ]; then
		# No v1 freezer on this kernel: then no caller has one either.
		! grep -q ':freezer:' /proc/self/cgroup || fail "a freezer hierarchy is listed but not found"
		echo "    no v1 freezer hierarchy on this kernel: nothing for a caller to use"
		return 0
	fi
	cg_delegate "$f" uualice
	d=$CGD
	cg_hold_runs "$d" step 20
	# moved back into the user's freezer cgroup while the helper's real
	# uid is still theirs: refused by the read-back, or never held
	cg_hold_runs "$d" moveback 20
}

# In the machine's cgroup namespace a v1 hierarchy is opened where it is
# usually mounted, /sys/fs/cgroup/CONTROLLERS, and used only if what is
# there is the writable root of that hierarchy; there no cgroup mount of
# our own is made (strace: no fsopen). Started in the user's delegated
# freezer cgroup, with /sys/fs/cgroup/freezer covered (in a namespace of
# the run's own) by that very cgroup, by another hierarchy's root, by a
# tmpfs, by the root made read-only (ProtectControlGroups=yes), or with
# the hierarchy's root bound over /sys/fs/cgroup so that the path is a
# child cgroup named "freezer" on a mount whose root is "/": each time the
# helper must find the real root another way, leave the user's cgroup and
# unmount. Taking the cover for the root refuses the run (the read-back
# finds itself elsewhere, or the move fails) or fails to open its files.
case_cgroup_v1_usual_place_not_trusted() {
	local f d other how v2 n ok D=$T/desk-cv
	f=$(cg1_freezer_dir)
	if [ -z "$f" ] || [ "$f" != /sys/fs/cgroup/freezer ]; then
		! grep -q ':freezer:' /proc/self/cgroup || [ -n "$f" ] ||
			fail "a freezer hierarchy is listed but not found"
		echo "    no v1 freezer at /sys/fs/cgroup/freezer (${f:-none}): the usual place is not used"
		return 0
	fi
	other=$(findmnt -rn -t cgroup -o TARGET,OPTIONS |
		awk '$2 !~ /(^|,)freezer(,|$)/ && $2 !~ /(^|,)name=/ {print $1; exit}')
	cg_delegate "$f" uualice
	d=$CGD
	# the caller's mount in the sticky tmp of a shared desktop tree
	desk_layout "$D"
	mount --make-rshared "$D"
	fstab_add "tmpfs $D/tmp/cv tmpfs user,noauto 0 0"
	mkdir -p "$D/tmp/cv" "$WORK/cg2"
	# the usual place, as it is: used, no cgroup mount of our own
	as uualice mount "$D/tmp/cv"
	strace -f -qq -e trace=fsopen -o "$WORK/strace" -u uualice "$UU" "$D/tmp/cv" \
		>"$WORK/out" 2>"$WORK/err" || fail "uncovered: $(cat "$WORK/err")"
	expect_unmounted "$D/tmp/cv"
	desk_others_stay "$D"
	ok=1
	n=$(grep -c 'fsopen(' "$WORK/strace") || true
	# (in a cgroup namespace of its own every root is a mount of its own)
	[ "$(stat -L -c %i /proc/self/ns/cgroup)" != 4026531835 ] || [ "$n" = 0 ] || fail "/sys/fs/cgroup/CONTROLLERS not used: $n fsopen: $(grep "fsopen(" "$WORK/strace" | head -n 3)"
	# the child cgroup named like the hierarchy (root's, empty, ours)
	if [ ! -e /sys/fs/cgroup/freezer/freezer ]; then
		mkdir /sys/fs/cgroup/freezer/freezer
		at_end "rmdir /sys/fs/cgroup/freezer/freezer"
	fi
	# where cgroup2's root can still be found once /sys/fs/cgroup is covered
	v2=$(findmnt -rn -t cgroup2 -o TARGET | head -n 1)
	for how in subtree ${other:+other} tmpfs readonly child; do
		as uualice mount "$D/tmp/cv"
		RC=0
		unshare -m --propagation private sh -c '
			echo $$ >"$2/cgroup.procs" || exit 101
			case $1 in
			subtree) mount --bind "$2" /sys/fs/cgroup/freezer ;;
			other) mount --bind "$3" /sys/fs/cgroup/freezer ;;
			tmpfs) mount -t tmpfs tmpfs /sys/fs/cgroup/freezer ;;
			readonly) mount -o remount,bind,ro /sys/fs/cgroup/freezer ;;
			child) { [ -z "$6" ] || mount --bind "$6" "$7"; } &&
				mount --bind /sys/fs/cgroup/freezer /sys/fs/cgroup &&
				[ "$(stat -f -c %T /sys/fs/cgroup/freezer)" = cgroupfs ] ;;
			esac || exit 102
			env -i PATH=/usr/bin:/bin setpriv --reuid=uualice --regid="$(id -g uualice)" \
				--init-groups -- "$4" "$5" || exit
			! mountpoint -q "$5" || exit 103
			for o in tmp/bob tmp/root home/uubob/fuse srv/group/carol; do
				awk -v m="$8/$o" '\''$5 == m {f = 1} END {exit !f}'\'' /proc/self/mountinfo ||
					exit 104
			done' sh "$how" "$d" "$other" "$UU" "$D/tmp/cv" \
			"$v2" "$WORK/cg2" "$D" >"$WORK/out" 2>"$WORK/err" || RC=$?
		ERR=$(cat "$WORK/err")
		[ "$RC" = 0 ] || fail "/sys/fs/cgroup/freezer covered by $how: exit $RC: $ERR"
		ok=$((ok + 1))
		# unmounted in the run's namespace (private): here still mounted
		umount "$D/tmp/cv"
	done
	desk_others_stay "$D"
	echo "    uncovered: no fsopen; /sys/fs/cgroup/freezer covered by: subtree" \
		"${other:+other hierarchy ($other) }tmpfs, read-only root, a child cgroup:" \
		"each run left the user's cgroup; $ok unmounted of $ok, the others' mounts stayed"
}

# A v1 hierarchy whose controllers cannot hold a task (cpuacct alone on a
# hybrid host, or net_cls,net_prio, perf_event, hugetlb, rdma, misc) is
# not left, and not even opened: started in the user's delegated cgroup of
# it and in her freezer cgroup, the helper, held in its utab lock wait, is
# still in the former and out of the latter, and her mount in the sticky
# tmp of a shared desktop tree goes, everyone else's staying.
cgroups_read() { # pid
	SEEN=$(cat "/proc/$1/cgroup")
}

case_cgroup_v1_accounting_only_stays() {
	local acct fz da df="" seen want line ctrl D=$T/desk-cg
	line=$(awk -F: '$1 != 0 && $2 != "" && $2 !~ /name=/ {
		n = split($2, c, ","); ok = 1
		for (i = 1; i <= n; i++)
			if (c[i] !~ /^(cpuacct|net_cls|net_prio|perf_event|hugetlb|rdma|misc)$/) ok = 0
		if (ok) {print $1 ":" $2; exit}
	}' /proc/self/cgroup)
	if [ -z "$line" ]; then
		echo "    no v1 hierarchy of such controllers alone on this kernel: nothing to keep" \
			"(test_confine test_matters holds the rule)"
		return 0
	fi
	ctrl=${line#*:}
	acct=$(findmnt -rn -t cgroup -o TARGET,OPTIONS |
		awk -v want="$ctrl" '{n = split(want, w, ","); ok = 1
			for (i = 1; i <= n; i++) if ($2 !~ "(^|,)" w[i] "(,|$)") ok = 0
			if (ok) {print $1; exit}}')
	[ -n "$acct" ] || fail "the $ctrl hierarchy is listed but not mounted"
	fz=$(cg1_freezer_dir)
	cg_delegate "$acct" uualice
	da=$CGD
	if [ -n "$fz" ]; then
		cg_delegate "$fz" uualice
		df=$CGD
	fi
	desk_layout "$D"
	mount --make-rshared "$D"
	fstab_add "tmpfs $D/tmp/ca tmpfs user,noauto 0 0"
	mkdir -p "$D/tmp/ca"
	as uualice mount "$D/tmp/ca"
	SEEN=""
	held_at_utab_lock "$D/tmp/ca" cgroups_read \
		sh -c 'echo $$ >"$1/cgroup.procs" && { [ -z "$2" ] || echo $$ >"$2/cgroup.procs"; } &&
			shift 2 && exec "$@"' sh "$da" "$df"
	seen=$SEEN
	[ "$HELD" = 1 ] || fail "the helper was never seen waiting for the utab lock: exit $RC: $ERR"
	expect_rc 0
	expect_unmounted "$D/tmp/ca"
	desk_others_stay "$D"
	want=${da#"$acct"}
	grep -qxF "$line:$want" <<<"$seen" || fail "not in the user's $ctrl cgroup $want: $seen"
	if [ -n "$df" ]; then
		grep -q '^[0-9]*:freezer:/$' <<<"$seen" || fail "still in the user's freezer cgroup: $seen"
	fi
	echo "    held at the utab lock: $ctrl ${want}, ${df:+freezer /, }unmounted 1 of 1," \
		"the others' mounts beside it stayed"
}

# Start the helper on TARGET as uualice with LAUNCHER, hold it in its utab
# lock wait (fs uid 0, asleep), run READ with its pid there, let it go.
# HELD 1 if it was seen there; RC and ERR its exit status and stderr.
held_at_utab_lock() { # target read launcher...
	local target=$1 read=$2 lk pid
	shift 2
	exec {lk}>>/run/mount/utab.lock
	flock -x "$lk"
	"$@" env -i PATH=/usr/bin:/bin setpriv --reuid=uualice --regid="$(id -g uualice)" \
		--init-groups -- "$UU" "$target" >"$WORK/out" 2>"$WORK/err" &
	pid=$!
	HELD=0
	for _ in $(seq 3000); do
		if awk '/^Uid:/ {exit !($5 == 0 && $3 != 0)}' "/proc/$pid/status" 2>/dev/null &&
			grep -q '^State:.S' "/proc/$pid/status"; then
			"$read" "$pid"
			HELD=1
			break
		fi
		kill -0 "$pid" 2>/dev/null || break
	done
	flock -u "$lk"
	exec {lk}>&-
	RC=0
	wait "$pid" || RC=$?
	ERR=$(cat "$WORK/err")
}

sched_read() { # pid
	SEEN="policy=$(awk '{print $41}' "/proc/$1/stat") nice=$(awk '{print $19}' "/proc/$1/stat")"
	SEEN="$SEEN cpus=$(awk '/^Cpus_allowed_list/ {print $2}' "/proc/$1/status")"
}

# The helper started with LAUNCHER, held in its utab lock wait: its
# scheduling state from /proc (policy, nice, CPUs) in SEEN.
sched_seen() { # launcher...
	as uualice mount "$T/sl"
	SEEN=""
	held_at_utab_lock "$T/sl" sched_read "$@"
}

# Refused: exit 4, the reason, and nothing changed.
limit_refused() { # expected-message launcher...
	local want=$1
	shift
	as uualice mount "$T/sl"
	sort /run/mount/utab >"$WORK/utab.before"
	uu "$@" --as uualice "$T/sl"
	expect_rc 4
	expect_err_has "$want"
	expect_err_has "; nothing was done"
	expect_mounted "$T/sl"
	[ "$(sort /run/mount/utab)" = "$(cat "$WORK/utab.before")" ] || fail "utab changed"
	umount "$T/sl"
	grep -v "TARGET=$T/sl " /run/mount/utab >"$WORK/utab.fix" || true
	cat "$WORK/utab.fix" >/run/mount/utab
}

case_sched_and_limits_reset() {
	local all sys_resource want as_soft small1 small2
	fstab_add "tmpfs $T/sl tmpfs user,noauto 0 0"
	mkdir -p "$T/sl"
	all=$(awk '/^Cpus_allowed_list/ {print $2}' /proc/self/status)
	want="policy=0 nice=0 cpus=$all"
	# RLIMIT_AS: not under ASan (UU_ASAN in lib.sh); the normal build checks it
	# Under ASan: no RLIMIT_AS (it cannot start), and no stack below 64 KiB
	# (its instrumentation can die of SIGSEGV before main raises the limit:
	# seen once in two CI runs with 16 KiB); the normal build checks both
	as_soft="--as=100000000:unlimited" small1=16384 small2=32768
	if [ "$UU_ASAN" = 1 ]; then
		as_soft="" small1=65536 small2=131072
		echo "    ASan build: RLIMIT_AS and stacks below 64 KiB left to the normal build"
	fi
	for launcher in "chrt -i 0" "nice -n 19" "taskset -c 0" "chrt -b 0 nice -n 19 taskset -c 0" \
		"ionice -c 3" "prlimit --stack=$small1:unlimited" "prlimit --stack=$small2:unlimited" \
		"prlimit --cpu=100:unlimited $as_soft"; do
		# shellcheck disable=SC2086
		sched_seen $launcher
		[ "$RC" = 0 ] || fail "$launcher: exit $RC: $ERR"
		[ "$SEEN" = "$want" ] || fail "$launcher: the helper ran with '$SEEN', not '$want'"
		expect_unmounted "$T/sl"
		echo "    $launcher: $SEEN, exit $RC"
	done
	# Where the hard limit is below the need and CAP_SYS_RESOURCE is not
	# in the bounding set: refused before anything is done.
	# An ASan build's redzones need more than 16 KiB of stack before the
	# refusal can be made (it died there with SIGSEGV): the normal build
	# proves the refusal
	[ "$UU_ASAN" = 1 ] ||
		limit_refused "RLIMIT_STACK is 16384 (hard limit 16384) and cannot be raised (CAP_SYS_RESOURCE is not in the bounding set)" \
			setpriv --bounding-set=-sys_resource prlimit --stack=16384
	limit_refused "RLIMIT_CPU is 100 (hard limit 100) and cannot be raised" \
		setpriv --bounding-set=-sys_resource prlimit --cpu=100
	[ "$UU_ASAN" = 1 ] ||
		limit_refused "RLIMIT_AS is 100000000 (hard limit 100000000) and cannot be raised" \
			setpriv --bounding-set=-sys_resource prlimit --as=100000000
	sys_resource=$(((0x$(awk '/^CapBnd/ {print $2}' /proc/self/status) >> 24) & 1))
	if [ "$sys_resource" = 1 ] && [ "$UU_ASAN" = 0 ]; then
		sched_seen prlimit --stack=16384
		[ "$RC" = 0 ] && [ "$SEEN" = "$want" ] || fail "hard 16 KiB stack with CAP_SYS_RESOURCE: exit $RC, $SEEN: $ERR"
	fi
	# a session scheduling group at nice 19 is the caller's whole session's:
	# refused, not changed behind their back
	if [ -e /proc/self/autogroup ]; then
		limit_refused "your session's scheduling group has nice 19" \
			setsid -w sh -c 'echo 19 >/proc/self/autogroup && exec "$@"' sh
	fi
}

# The unmount of the user's FUSE mount fails (busy). Just before its utab
# line is put back, the user lets go and unmounts the mount themselves
# (fusermount3 -u, then -u -z): the line comes back only with its mount.
#
# The lock holder (root, python) learns the helper's pid, waits until the
# helper holds the utab lock for its take (seen in /proc/locks) or the line
# is gone, and then asks for the lock, blocking: the kernel grants it when
# the take lets go, while the helper first runs its unmount child and only
# then polls for the lock again. It says "locked" when it holds the lock
# with the line taken and not back, "missed" when the put-back came first
# (then the scenario runs again; it must be caught at least once).
RESTORE_LOCKER='
import fcntl, os, sys
want = ("TARGET=" + sys.argv[1] + " ").encode()
fd = open("/run/mount/utab.lock", "a")
first = os.stat("/run/mount/utab").st_ino
print("ready", flush=True)
pid = int(sys.stdin.readline())
# The take renames the new utab in while it holds the lock: the inode
# changes before the lock is let go, so this flock queues behind the take
# and has the lock before the put-back can ask for it again. (Watching
# /proc/locks instead missed the window once the helper got faster.)
while os.stat("/run/mount/utab").st_ino == first:
    if not os.path.exists("/proc/%d" % pid):
        break
fcntl.flock(fd, fcntl.LOCK_EX)
print("missed" if want in open("/run/mount/utab", "rb").read() else "locked", flush=True)
sys.stdin.readline()
'

restore_race() { # fusermount3-options...
	local hold hp src i attempt got=""
	fuse_mount uualice "$T/rf"
	src=$(awk -v t="$T/rf" '$5 == t {for (i = 7; $i != "-"; i++); print $(i + 2)}' /proc/self/mountinfo)
	utab_add "SRC=$src TARGET=$T/rf ROOT=/ OPTS=user=uualice"
	$(as_bg_cmd uualice) sh -c "cd '$T/rf' && exec sleep infinity" &
	hold=$!
	for attempt in $(seq 10); do
		coproc LK { python3 -c "$RESTORE_LOCKER" "$T/rf"; }
		read -r _ <&"${LK[0]}"
		$(as_bg_cmd uualice) "$UU" "$T/rf" >"$WORK/out" 2>"$WORK/err" &
		hp=$!
		echo "$hp" >&"${LK[1]}"
		read -r got <&"${LK[0]}"
		[ "$got" = locked ] && break
		echo go >&"${LK[1]}"
		wait "$LK_PID" 2>/dev/null || true
		RC=0
		wait "$hp" || RC=$?
		[ "$RC" = 32 ] && grep -q "TARGET=$T/rf " /run/mount/utab ||
			fail "attempt $attempt: put back before the lock was taken, but exit $RC: $(cat "$WORK/err")"
	done
	[ "$got" = locked ] || fail "the put-back was never caught waiting for the lock"
	# the helper's unmount child failed; it waits for the lock to put back
	for i in $(seq 3000); do
		awk '/^Uid:/ {exit !($5 == 0 && $3 != 0)}' "/proc/$hp/status" 2>/dev/null &&
			grep -q '^State:.S' "/proc/$hp/status" &&
			[ -z "$(cat "/proc/$hp/task/$hp/children" 2>/dev/null)" ] && break
		[ "$i" != 3000 ] || fail "the helper was not seen waiting for the lock: $(cat "$WORK/err")"
	done
	kill "$hold"
	wait "$hold" 2>/dev/null || true
	FRC=0
	as uualice fusermount3 "$@" "$T/rf" 2>"$WORK/fuse.err" || FRC=$?
	echo go >&"${LK[1]}"
	wait "$LK_PID" 2>/dev/null || true
	RC=0
	wait "$hp" || RC=$?
	[ "$RC" = 32 ] || fail "the helper: exit $RC, expected 32 (busy): $(cat "$WORK/err")"
	if grep -q "TARGET=$T/rf " /run/mount/utab; then
		expect_mounted "$T/rf" || fail "a utab line without its mount ($* exit $FRC)"
	fi
	echo "    $*: caught on attempt $attempt"
}

case_utab_restore_needs_its_mount() {
	# plain: the helper's pin keeps the mount (fusermount3 gets EBUSY), and
	# the line is put back with it
	restore_race -u
	[ "$FRC" != 0 ] || fail "fusermount3 -u unmounted a mount the helper had pinned"
	expect_mounted "$T/rf"
	grep -q "TARGET=$T/rf " /run/mount/utab || fail "the line of a mount still there is lost"
	as uualice fusermount3 -u "$T/rf"
	stop_daemons
	: >/run/mount/utab
	# lazy: the detach goes through the pin; the line does not come back
	restore_race -u -z
	[ "$FRC" = 0 ] || fail "fusermount3 -u -z: exit $FRC: $(cat "$WORK/fuse.err")"
	expect_unmounted "$T/rf"
	! grep -q "TARGET=$T/rf " /run/mount/utab || fail "a utab line without its mount"
	echo "    plain unmount refused while pinned, line back; lazy detach: no line"
}
