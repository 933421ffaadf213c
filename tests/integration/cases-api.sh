# SPDX-License-Identifier: GPL-2.0-or-later
# The API for file managers and admins (issue 13): JSON v1 (version,
# mount_point, mount_id, reason, allowed, error), --list, --id,
# --check-policy, and --dry-run saying busy. Every JSON document uu() sees
# is validated against docs/user-umount.schema.json (lib.sh).

api_users_tmpfs() { # dir: tmpfs with an fstab "users" entry
	fstab_add "tmpfs $1 tmpfs users,noauto 0 0"
	mount_tmpfs "$1"
}

# The unique mount ID (statx STATX_MNT_ID_UNIQUE) of the mount at PATH.
mnt_unique_id() {
	python3 - "$1" <<'PY'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
buf = ctypes.create_string_buffer(256)
AT_FDCWD, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID_UNIQUE = -100, 0x100, 0x4000
if libc.statx(AT_FDCWD, os.fsencode(sys.argv[1]), AT_SYMLINK_NOFOLLOW, STATX_MNT_ID_UNIQUE, buf) != 0:
    sys.exit(1)
mask = int.from_bytes(buf.raw[0:4], "little")
assert mask & STATX_MNT_ID_UNIQUE, "kernel without STATX_MNT_ID_UNIQUE"
print(int.from_bytes(buf.raw[0x90:0x98], "little"))
PY
}

# Does this build know unique mount IDs? The forced libmount build
# (UU_FORCE_LIBMOUNT) does not, like a kernel before 6.8: --id then says so.
api_has_ids() {
	uu uubob --id 1
	case $RC:$ERR in
	32:*"no mount with this ID"*) return 0 ;;
	2:*"no unique mount IDs here (--id needs statmount(2), Linux 6.8)"*) return 1 ;;
	*) fail "--id 1: exit $RC: $ERR"; exit 1 ;;
	esac
}

# Python over the last stdout: json_expect 'assertion using r (first result) and doc'
json_expect() {
	python3 - "$WORK/out" "$@" <<'PY' || fail "json: $OUT"
import json, sys
doc = json.loads(open(sys.argv[1], "rb").read().decode("utf-8", "surrogateescape"))
r = doc["results"][0] if doc["results"] else None
for expr in sys.argv[2:]:
    assert eval(expr), (expr, doc)
PY
}

case_api_json_v1_result() {
	api_users_tmpfs "$T/apiok"
	id=$(mnt_unique_id "$T/apiok")
	uu uubob --json "$T/apiok"
	expect_rc 0
	json_expect 'doc["version"] == 1 and doc["error"] is None' \
		"r['mount_point'] == '$T/apiok' and r['mount_id'] == $id" \
		'r["reason"] == "fstab-users" and r["result"] == "unmounted"' \
		'r["allowed"] == ["plain", "lazy", "expire", "recursive"]'
	expect_unmounted "$T/apiok"
	# a denial: not-entitled, allowed empty; the mount point as the kernel shows it
	mount_tmpfs "$T/apino"
	uu uubob --json "$T/apino/../apino"
	expect_rc 1
	json_expect 'r["reason"] == "not-entitled" and r["allowed"] == [] and r["result"] == "denied"' \
		"r['mount_point'] == '$T/apino' and r['target'] == '$T/apino/../apino'"
}

case_api_reason_codes() {
	api_users_tmpfs "$T/apirf"
	uu uubob --json -f "$T/apirf"
	expect_rc 1
	json_expect 'r["reason"] == "flag-not-granted"'
	ln -s apirf "$T/apisym"
	uu uubob --json "$T/apisym"
	json_expect 'r["reason"] == "symlink"'
	mkdir -p "$T/apidir"
	uu uubob --json "$T/apidir" "$T/apimissing" /
	json_expect 'doc["results"][0]["reason"] == "not-mounted"' \
		'doc["results"][1]["reason"] == "no-such-path"' \
		'doc["results"][2]["reason"] == "never-root"'
	mount_tmpfs "$T/apipol"
	mount_tmpfs "$T/apipold"
	policy_set policy.conf "permit lazy uubob on $T/apipol
deny * on $T/apirf"
	uu uubob --json --dry-run "$T/apipol" "$T/apirf"
	json_expect 'doc["results"][0]["reason"] == "policy-permit"' \
		'doc["results"][0]["allowed"] == ["plain", "lazy", "recursive"]' \
		'doc["results"][1]["reason"] == "policy-deny"'
	fuse_mount uualice "$T/apifuse"
	uu uualice --json --dry-run "$T/apifuse"
	json_expect 'r["reason"] == "fuse-owner" and r["allowed"] == ["plain", "lazy", "force", "expire", "recursive"]'
	# lazy would take a mount below that uubob may not unmount
	api_users_tmpfs "$T/apibelow"
	mount_tmpfs "$T/apibelow/sub"
	uu uubob --json -l "$T/apibelow"
	json_expect 'r["reason"] == "below-not-entitled" and r["allowed"] == ["plain", "expire"]'
	expect_mounted "$T/apibelow/sub"
}

case_api_fatal_errors_are_json_documents() {
	uu uubob --json --no-such-option "$T/x"
	expect_rc 1
	expect_err "user-umount: unknown option '--no-such-option'"
	json_expect 'doc["results"] == [] and doc["error"]["code"] == "usage" and doc["error"]["exit"] == 1' \
		'"--no-such-option" in doc["error"]["message"]'
	# --json after the bad option, and abbreviated, still counts
	uu uubob -Z --js
	expect_rc 1
	json_expect 'doc["error"]["code"] == "usage"'
	# after "--" it is a TARGET, not an option: no document
	uu uubob -Z -- --json
	[ -z "$OUT" ] || fail "a document without --json: $OUT"
	# not installed setuid: a document too
	UU=$WORK/bin/user-umount-nosuid uu uubob --json "$T/x"
	expect_rc 1
	json_expect 'doc["error"]["code"] == "not-setuid" and doc["results"] == []'
	policy_set policy.conf "permit * onn /x"
	uu uubob --json "$T/x"
	expect_rc 2
	json_expect 'doc["error"]["code"] == "policy" and doc["results"] == []' \
		'doc["error"]["message"].startswith("'"$POLICY_DIR"'/policy.conf:1:10: ")' \
		'"onn" not in doc["error"]["message"]'
	uu uubob --list --json
	expect_rc 2
	json_expect 'doc["error"]["code"] == "policy"'
	rm -rf "$POLICY_DIR"
	# fstab that does not parse is not trusted: --list says so, lists nothing
	fstab_add "tmpfs"
	line=$(wc -l </etc/fstab)
	uu uubob --list --json
	sed -i '$d' /etc/fstab
	expect_rc 2
	expect_err "user-umount: /etc/fstab:$line: syntax error; fstab is not trusted"
	json_expect 'doc["error"]["code"] == "fstab-broken" and doc["error"]["exit"] == 2'
}

case_api_list() {
	api_users_tmpfs "$T/apil1"
	mount_tmpfs "$T/apil2"
	fstab_add "tmpfs $T/apil\\0403 tmpfs users,noauto 0 0"
	mount_tmpfs "$T/apil 3"
	mount_tmpfs "$T/apil 3/sub"
	fuse_mount uualice "$T/apilfuse"
	uu uubob --list
	expect_rc 0
	[ "$(printf '%s\n' "$OUT" | head -n 1)" = "MOUNTPOINT SOURCE FSTYPE ALLOWED" ] || fail "header: $OUT"
	expect_out_has "$T/apil1 tmpfs tmpfs plain,lazy,expire,recursive"
	expect_out_has "$T/apil\\x203 tmpfs tmpfs plain,expire"
	case $OUT in *apil2* | *apilfuse* | *"apil\\x203/sub"*) fail "lists what uubob may not unmount: $OUT" ;; esac
	uu uubob --list -v
	line=$(grep -n "^tmpfs $T/apil1 " /etc/fstab | cut -d: -f1)
	expect_out_has "$T/apil1 tmpfs tmpfs plain,lazy,expire,recursive /etc/fstab:$line users"
	if api_has_ids; then id=$(mnt_unique_id "$T/apilfuse"); else id=None; fi
	uu uualice --list --json
	expect_rc 0
	json_expect 'doc["version"] == 1 and doc["error"] is None' \
		'all(x["result"] == "listed" and x["allowed"] for x in doc["results"])' \
		"[x['reason'] for x in doc['results'] if x['mount_point'] == '$T/apilfuse'] == ['fuse-owner']" \
		"[x['mount_id'] for x in doc['results'] if x['mount_point'] == '$T/apilfuse'] == [$id]" \
		"'$T/apil2' not in [x['mount_point'] for x in doc['results']]"
	expect_mounted "$T/apil1"
	# the root mount is never listed, even with an fstab "users" entry
	fstab_add "$(findmnt -n -o SOURCE /) / $(findmnt -n -o FSTYPE /) users,noauto 0 0"
	uu uubob --list
	sed -i '$d' /etc/fstab
	case $OUT in *"
/ "*) fail "lists the root mount: $OUT" ;; esac
	uu uubob --list "$T/apil1"
	expect_rc 1
	expect_err "user-umount: --list takes no TARGET and no unmount option"
}

# The file-manager flow: list, then unmount by ID; the ID never means another mount.
case_api_id() {
	api_users_tmpfs "$T/apid"
	if ! api_has_ids; then
		uu uubob --json --id "$(mnt_unique_id "$T/apid")"
		expect_rc 2
		json_expect 'r["reason"] == "error" and r["result"] == "error"'
		expect_mounted "$T/apid"
		return 0
	fi
	uu uubob --list --json
	id=$(python3 -c 'import json,sys; print([x["mount_id"] for x in json.load(open(sys.argv[1]))["results"] if x["mount_point"] == sys.argv[2]][0])' "$WORK/out" "$T/apid")
	# covered: root mounts another file system on top
	mount -t tmpfs cover "$T/apid"
	uu uubob --json --id "$id"
	expect_rc 1
	json_expect 'r["reason"] == "covered" and r["result"] == "denied"' "r['mount_id'] == $id"
	expect_err_has "refused: $T/apid now leads to another mount: cover (tmpfs, mount ID"
	umount "$T/apid"
	uu uubob --json --id "$id"
	expect_rc 0
	json_expect 'r["result"] == "unmounted" and r["reason"] == "fstab-users"' "r['mount_id'] == $id"
	expect_unmounted "$T/apid"
	# gone: 32
	uu uubob --json --id "$id"
	expect_rc 32
	json_expect 'r["reason"] == "gone" and r["result"] == "not-mounted"'
	# unreachable: a directory above it uubob cannot enter
	mkdir -p "$T/apiclosed"
	api_users_tmpfs "$T/apiclosed/m"
	chmod 700 "$T/apiclosed"
	id=$(mnt_unique_id "$T/apiclosed/m")
	uu uubob --json --id "$id"
	expect_rc 1
	json_expect 'r["reason"] == "unreachable"'
	expect_err_has "refused: you cannot reach its mount point $T/apiclosed/m: cannot resolve: Permission denied"
	expect_mounted "$T/apiclosed/m"
	# --expire by ID: the mount is found in the table, not touched, and still checked
	api_users_tmpfs "$T/apidexp"
	id=$(mnt_unique_id "$T/apidexp")
	uu uubob --json -e --id "$id"
	expect_rc 0
	json_expect 'r["result"] == "expire-marked"' "r['mount_id'] == $id"
	uu uubob --json -e --id "$id"
	expect_rc 0
	json_expect 'r["result"] == "unmounted"'
	expect_unmounted "$T/apidexp"
	# the usual entitlement applies
	mount_tmpfs "$T/apidn"
	uu uubob --id "$(mnt_unique_id "$T/apidn")"
	expect_rc 1
	expect_err_has "permission denied: no fstab entry"
	uu uubob --id 12abc
	expect_rc 1
	expect_err "user-umount: 12abc: not a mount ID (a number as --list prints it)"
}

case_api_dry_run_says_busy() {
	api_users_tmpfs "$T/apibusy"
	$(as_bg_cmd uubob) sh -c 'cd "$1" && exec sleep 60' sh "$T/apibusy" &
	DAEMONS="$DAEMONS $!"
	pid=$!
	sleep 0.2
	uu uubob --dry-run --json "$T/apibusy"
	expect_rc 32
	json_expect 'r["result"] == "busy" and r["reason"] == "busy"' "r['holders'][0]['pid'] == $pid"
	expect_err_has "target is busy: used by your processes $pid sleep (working directory)"
	uu uubob --dry-run -l "$T/apibusy"
	expect_rc 0
	expect_out_has "would-unmount"
	# another user's process: not certain, would-unmount
	api_users_tmpfs "$T/apibusy2"
	$(as_bg_cmd uualice) sh -c 'cd "$1" && exec sleep 60' sh "$T/apibusy2" &
	DAEMONS="$DAEMONS $!"
	sleep 0.2
	uu uubob --dry-run "$T/apibusy2"
	expect_rc 0
	# a mount below: busy, unless -R (which unmounts it first)
	api_users_tmpfs "$T/apibusy3"
	api_users_tmpfs "$T/apibusy3/sub"
	uu uubob --dry-run "$T/apibusy3"
	expect_rc 32
	expect_err_has "mounts below it: $T/apibusy3/sub"
	uu uubob --dry-run -R "$T/apibusy3"
	expect_rc 0
	expect_mounted "$T/apibusy3/sub"
}

case_api_check_policy_files() {
	printf '# ok\npermit lazy force uubob on %s/media/* type vfat,tmpfs\ndeny :users on "/a b/*" from /dev/sd*\n' "$T" >"$WORK/good.conf"
	printf 'permit * on /x\npermit * onn /y\n' >"$WORK/bad.conf"
	chmod 644 "$WORK/good.conf" "$WORK/bad.conf"
	uu uubob --check-policy -v "$WORK/good.conf"
	expect_rc 0
	expect_out_has "$WORK/good.conf:2: permit lazy force uubob on $T/media/* type vfat,tmpfs"
	expect_out_has "$WORK/good.conf:3: deny :users on \"/a b/*\" from /dev/sd*"
	uu uubob --check-policy "$WORK/good.conf" "$WORK/bad.conf"
	expect_rc 1
	expect_err "$WORK/bad.conf:2:10: expected 'on', 'type' or 'from', got 'onn'"
	# as the caller: no oracle for files only root may read
	printf 'secret-line-xyz\n' >"$WORK/rootonly.conf"
	chmod 600 "$WORK/rootonly.conf"
	uu uubob --check-policy "$WORK/rootonly.conf"
	expect_rc 1
	expect_err "$WORK/rootonly.conf: cannot read: Permission denied"
	uu uubob --check-policy /etc/shadow
	expect_rc 1
	case "$ERR$OUT" in *root:*) fail "shadow content shown: $ERR" ;; esac
	uu root --check-policy "$WORK/rootonly.conf"
	expect_rc 1
	expect_err_has "secret-line-xyz"
}

case_api_check_policy_installed() {
	uu uubob --check-policy
	expect_rc 0
	expect_out_has "policy is valid: 0 rules"
	policy_set policy.conf "permit * on /x"
	policy_set policy.d/10-a.conf "deny * on /y"
	uu uubob --check-policy -v
	expect_rc 0
	expect_out_has "$POLICY_DIR/policy.conf:1: permit * on /x"
	expect_out_has "$POLICY_DIR/policy.d/10-a.conf:1: deny * on /y"
	policy_set policy.d/20-b.conf "deny * onn /y"
	uu uubob --check-policy
	expect_rc 1
	expect_err "$POLICY_DIR/policy.d/20-b.conf:1:8: expected 'on', 'type' or 'from', got 'onn'"
	# the loader's ownership and mode checks
	rm "$POLICY_DIR/policy.d/20-b.conf"
	chmod 664 "$POLICY_DIR/policy.conf"
	uu uubob --check-policy
	expect_rc 1
	expect_err "$POLICY_DIR/policy.conf: writable by group or other"
	# root-only policy: said plainly
	chmod 600 "$POLICY_DIR/policy.conf"
	uu uubob --check-policy
	expect_rc 1
	expect_err_has "you may not read it (only root may); run --check-policy as root"
	uu root --check-policy
	expect_rc 0
}
