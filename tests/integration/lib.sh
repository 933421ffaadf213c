# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for the integration cases; sourced inside the private
# mount namespace. Nothing here touches the host's mounts or files.

UU=${UU_BIN:?the installed helper (run.sh sets UU_BIN)}
# An AddressSanitizer build (tools/quality/sanitize.sh) reserves terabytes of
# address space before main: it cannot start under an RLIMIT_AS at all.
UU_ASAN=0
grep -qa __asan_init "$UU" && UU_ASAN=1
PASS=0
FAIL=0
SKIPPED=0
FAILED_NAMES=""
DAEMONS=""
AT_END=()

# Run a shell command when the case ends, passed or failed (latest first):
# detach a loop device, unmount an overlay. Failures there are ignored.
at_end() {
	AT_END=("$*" "${AT_END[@]}")
}

run_at_end() {
	local c
	for c in "${AT_END[@]}"; do
		eval "$c" >/dev/null 2>&1 || true
	done
	AT_END=()
}

# Run CMD as USER with a clean environment: real uid/gid/groups of USER.
as() {
	local user=$1
	shift
	env -i PATH=/usr/bin:/bin /usr/bin/setpriv --reuid="$user" --regid="$(id -g "$user")" \
		--init-groups -- "$@"
}

# Start CMD as USER in the background; $! is then CMD's own pid (env and
# setpriv exec), so it can be stopped and killed. Use as: as_bg USER CMD... &
as_bg_cmd() {
	echo env -i PATH=/usr/bin:/bin setpriv --reuid="$1" --regid="$(id -g "$1")" --init-groups --
}

# The JSON Schema every --json document must satisfy.
UU_SCHEMA=${UU_SCHEMA:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/docs/user-umount.schema.json}

# Is FILE one JSON document valid against the schema? (python3-jsonschema)
json_valid() {
	python3 - "$UU_SCHEMA" "$1" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
with open(sys.argv[2], "rb") as f:
    doc = json.loads(f.read().decode("utf-8", "surrogateescape"))
jsonschema.Draft202012Validator(schema).validate(doc)
PY
}

# Run the helper as USER; sets RC, OUT, ERR. Every JSON document it prints
# (any run with --json, or output that starts like one) is validated.
#   uu [LAUNCHER... --as] USER [HELPER-ARGS...]
# LAUNCHER runs as root and starts the switch to USER, so what it sets holds
# for the helper: `timeout 20`, `setpriv --no-new-privs`, `setpriv
# --bounding-set=-sys_admin`, `prlimit --fsize=0:0`. Its VAR=VALUE words go
# into the helper's otherwise clean environment instead:
#   uu timeout 20 LC_ALL=C --as uubob -f "$T/hung"
uu() {
	local launch=() envs=() user a json=0
	if [[ " $* " == *" --as "* ]]; then
		while [ "$1" != --as ]; do
			if [[ "$1" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; then envs+=("$1"); else launch+=("$1"); fi
			shift
		done
		shift
	fi
	user=$1
	shift
	RC=0
	"${launch[@]}" env -i PATH=/usr/bin:/bin "${envs[@]}" /usr/bin/setpriv --reuid="$user" \
		--regid="$(id -g "$user")" --init-groups -- "$UU" "$@" >"$WORK/out" 2>"$WORK/err" || RC=$?
	OUT=$(cat "$WORK/out")
	ERR=$(cat "$WORK/err")
	for a in "$@"; do
		[ "$a" != -- ] || break
		case $a in --js | --jso | --json) json=1 ;; esac
	done
	case $OUT in "{"*) json=1 ;; esac
	if [ "$json" = 1 ] && ! json_valid "$WORK/out" 2>"$WORK/schema-err"; then
		fail "not a valid --json document: $(tail -n 3 "$WORK/schema-err"); stdout: $OUT"
		return 1
	fi
}

# "yes" when the helper can scan every mount namespace for propagation
# (its -V says; docs/DESIGN.md "The namespace scan"), else "no".
namespace_scan() {
	"$UU" -V | sed -n 's/^namespace scan: //p'
}

fail() {
	echo "    $*" >&2
	return 1
}

expect_rc() {
	[ "$RC" = "$1" ] || fail "exit $RC, expected $1; stderr: $ERR"
}

expect_err() { # exact stderr
	[ "$ERR" = "$1" ] || fail "stderr: '$ERR'; expected '$1'"
}

expect_err_has() {
	case "$ERR" in *"$1"*) ;; *) fail "stderr lacks '$1': '$ERR'" ;; esac
}

expect_out_has() {
	case "$OUT" in *"$1"*) ;; *) fail "stdout lacks '$1': '$OUT'" ;; esac
}

# Is something mounted exactly at PATH (as the mount table says)?
mounted() {
	python3 - "$1" <<'PY'
import os, sys
want = os.fsencode(sys.argv[1])  # bytes, as given: UTF-8 or not
def unescape(b):
    out, i = bytearray(), 0
    while i < len(b):
        if b[i] == 0x5c and i + 3 < len(b) + 0 and all(0x30 <= c <= 0x37 for c in b[i+1:i+4]):
            out.append(int(b[i+1:i+4], 8)); i += 4
        else:
            out.append(b[i]); i += 1
    return bytes(out)
with open('/proc/self/mountinfo', 'rb') as f:
    sys.exit(0 if any(unescape(l.split(b' ')[4]) == want for l in f) else 1)
PY
}

expect_mounted() {
	mounted "$1" || fail "$1 is no longer mounted"
}

expect_unmounted() {
	! mounted "$1" || fail "$1 is still mounted"
}

# fstab escapes: space \040, tab \011, newline \012, backslash \134
fstab_escape() {
	printf '%s' "$1" | sed -e 's/\\/\\134/g' -e 's/ /\\040/g' -e 's/\t/\\011/g' | sed -z 's/\n/\\012/g'
}

# The "users tmpfs": a tmpfs at PATH with an fstab `users` entry (anyone may
# unmount it); PATH may hold any byte fstab can escape.
users_tmpfs() { # path
	fstab_add "tmpfs $(fstab_escape "$1") tmpfs users,noauto 0 0"
	mount_tmpfs "$1"
}

# A tmpfs at DIR (created if missing), optionally with extra -o options.
mount_tmpfs() {
	mkdir -p "$1"
	mount -t tmpfs ${2:+-o "$2"} tmpfs "$1"
}

# A user's bindfs FUSE mount; extra args are passed to bindfs.
fuse_mount() { # user mountpoint [bindfs options...]
	local user=$1 mnt=$2 src
	shift 2
	src=$(mktemp -d "$WORK/fusesrc.XXXXXX")
	chmod 755 "$src"
	mkdir -p "$mnt"
	chown "$user" "$mnt"
	$(as_bg_cmd "$user") bindfs -f "$@" "$src" "$mnt" >"$WORK/fuse.log" 2>&1 &
	DAEMONS="$DAEMONS $!"
	wait_mounted "$mnt"
}

# A user's tinyfuse mount (spoofable fsname/subtype, can hang on demand).
tiny_mount() { # user mountpoint [FUSE -o options]
	local user=$1 mnt=$2
	shift 2
	mkdir -p "$mnt"
	chown "$user" "$mnt"
	$(as_bg_cmd "$user") "$WORK/bin/tinyfuse" -f "$@" "$mnt" >"$WORK/fuse.log" 2>&1 &
	DAEMONS="$DAEMONS $!"
	wait_mounted "$mnt"
}

wait_mounted() {
	local mnt=$1
	for _ in $(seq 100); do
		mounted "$mnt" && return 0
		sleep 0.05
	done
	echo "fuse_mount: $mnt did not appear: $(cat "$WORK/fuse.log")" >&2
	return 1
}

stop_daemons() {
	for pid in $DAEMONS; do
		kill -CONT "$pid" 2>/dev/null || true
		kill "$pid" 2>/dev/null || true
	done
	for pid in $DAEMONS; do
		wait "$pid" 2>/dev/null || true
	done
	DAEMONS=""
}

fstab_add() { # one fstab line
	printf '%s\n' "$1" >>/etc/fstab
}

utab_add() {
	printf '%s\n' "$1" >>/run/mount/utab
}

# Install a policy: policy_set FILE-RELATIVE-TO-POLICY-DIR TEXT
policy_set() {
	mkdir -p "$POLICY_DIR/policy.d"
	chmod 755 "$POLICY_DIR" "$POLICY_DIR/policy.d"
	printf '%s\n' "$2" >"$POLICY_DIR/$1"
	chmod 644 "$POLICY_DIR/$1"
}

# Run one case function; count and name the result.
run_case() {
	local name=$1
	if [ -n "$ONLY" ] && [[ "$name" != $ONLY ]]; then
		return 0
	fi
	# UU_CASES_SKIP: a glob of cases to leave out (the sanitizer run uses it)
	if [ -n "${UU_CASES_SKIP:-}" ] && [[ "$name" == $UU_CASES_SKIP ]]; then
		echo "skipped $name (UU_CASES_SKIP)"
		SKIPPED=$((SKIPPED + 1))
		return 0
	fi
	# every case starts from an empty fstab and utab, and no policy
	: >/etc/fstab
	: >/run/mount/utab
	rm -rf "$POLICY_DIR"
	( set -eu; [ -z "${UU_TRACE:-}" ] || set -x; trap 'rc=$?; stop_daemons; run_at_end; exit $rc' EXIT; "$name" )
	if [ $? = 0 ]; then
		PASS=$((PASS + 1))
		echo "ok      $name"
	else
		FAIL=$((FAIL + 1))
		FAILED_NAMES="$FAILED_NAMES $name"
		echo "FAILED  $name"
	fi
}
