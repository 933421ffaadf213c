# SPDX-License-Identifier: GPL-2.0-or-later
# Names as people write them: spaces and UTF-8 are printed as they are, in
# messages, --list and syslog; what can deceive a terminal or a reader is
# escaped as \xNN by the one escaper (report.c): control bytes, invalid
# UTF-8, C1 controls, bidi controls, the line and paragraph separators.

NM_SPACE='My Files ü'
NM_UTF8='Fotos-Ü'
# name as made on disk | as every text output shows it
NM_ESCAPED=(
	$'esc\e[31m|esc\\x1b[31m'
	$'inv\xffx|inv\\xffx'
	$'cut\xc3(|cut\\xc3('
	$'over\xc0\xafx|over\\xc0\\xafx'
	$'c1\xc2\x9b2J|c1\\xc2\\x9b2J'
	$'rlo\xe2\x80\xaegnp.exe|rlo\\xe2\\x80\\xaegnp.exe'
	$'lri\xe2\x81\xa6x|lri\\xe2\\x81\\xa6x'
	$'lrm\xe2\x80\x8ex|lrm\\xe2\\x80\\x8ex'
	$'alm\xd8\x9cx|alm\\xd8\\x9cx'
	$'ls\xe2\x80\xa8x|ls\\xe2\\x80\\xa8x'
	$'ps\xe2\x80\xa9x|ps\\xe2\\x80\\xa9x'
	$'back\\slash|back\\x5cslash'
)

case_names_in_messages() {
	local d pair raw shown line
	d="$T/names"
	mkdir -p "$d/$NM_SPACE" "$d/$NM_UTF8"
	uu uubob "$d/$NM_SPACE"
	expect_rc 32
	expect_err "user-umount: $d/$NM_SPACE: not a mount point"
	uu uubob "$d/$NM_UTF8"
	expect_rc 32
	expect_err "user-umount: $d/$NM_UTF8: not a mount point"
	for pair in "${NM_ESCAPED[@]}"; do
		raw=${pair%%|*} shown=${pair#*|}
		mkdir -p "$d/$raw"
		uu uubob "$d/$raw"
		expect_rc 32
		expect_err "user-umount: $d/$shown: not a mount point"
	done
	# a denial and a -v success with UTF-8 and spaces, as written
	mount_tmpfs "$d/$NM_SPACE"
	uu uubob "$d/$NM_SPACE"
	expect_rc 1
	expect_err "user-umount: $d/$NM_SPACE: permission denied: no fstab entry with user/users, no policy rule, not your FUSE mount"
	expect_mounted "$d/$NM_SPACE"
	users_tmpfs "$d/$NM_UTF8"
	line=$(grep -n -F "$NM_UTF8" /etc/fstab | cut -d: -f1)
	uu uubob -v "$d/$NM_UTF8"
	expect_rc 0
	[ "$OUT" = "user-umount: $d/$NM_UTF8: unmounted (/etc/fstab:$line users)" ] ||
		fail "stdout: '$OUT'"
	expect_unmounted "$d/$NM_UTF8"
}

# --list: UTF-8 as is; a blank is \x20 there (columns are split on blanks);
# every deceptive class escaped.
case_names_in_list() {
	local d pair raw shown
	d="$T/namesl"
	users_tmpfs "$d/$NM_SPACE"
	users_tmpfs "$d/$NM_UTF8"
	for pair in "${NM_ESCAPED[@]}"; do
		raw=${pair%%|*}
		[[ $raw == esc* ]] && continue # no ESC in fstab: below, without fstab
		users_tmpfs "$d/$raw"
	done
	uu uubob --list
	expect_rc 0
	expect_out_has "$d/My\\x20Files\\x20ü tmpfs tmpfs plain,"
	expect_out_has "$d/$NM_UTF8 tmpfs tmpfs plain,"
	for pair in "${NM_ESCAPED[@]}"; do
		raw=${pair%%|*} shown=${pair#*|}
		[[ $raw == esc* ]] && continue
		expect_out_has "$d/$shown tmpfs tmpfs plain,"
	done
	# nothing deceptive reached stdout raw
	case $OUT in *$'\xe2\x80\xae'* | *$'\xc2\x9b'* | *$'\xe2\x80\xa8'* | *$'\xff'*)
		fail "raw deceptive bytes in --list" ;;
	esac
	uu uubob --list --json
	expect_rc 0
	python3 - "$OUT" "$d/$NM_SPACE" <<'PY' || fail "--list --json lacks '$d/$NM_SPACE'"
import json, sys
doc = json.loads(sys.argv[1].encode("utf-8", "surrogateescape"))
assert any(r["target"] == sys.argv[2] for r in doc["results"])
PY
}

# syslog (authpriv): UTF-8 and spaces as is inside key="value", the rest
# escaped. /dev/log is replaced, in a nested namespace, by a socket.
case_names_in_syslog() {
	local d="$T/namess" rlo=$'rlo\xe2\x80\xaegnp' ls=$'ls\xe2\x80\xa8x'
	users_tmpfs "$d/$NM_SPACE"
	mount_tmpfs "$d/$rlo"
	mount_tmpfs "$d/$ls"
	mkdir -p "$WORK/olddev-n"
	unshare -m --propagation private bash -s "$WORK" "$UU" "$d" "$NM_SPACE" "$rlo" "$ls" <<'NS'
set -eu
WORK=$1 UU=$2 d=$3
mount --bind /dev "$WORK/olddev-n"
mount -t tmpfs -o mode=755 tmpfs /dev
for n in null zero full urandom random tty; do
	touch "/dev/$n"
	mount --bind "$WORK/olddev-n/$n" "/dev/$n"
done
python3 - "$WORK/names-syslog.txt" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
os.chmod("/dev/log", 0o666)
open(sys.argv[1] + ".ready", "w").close()
s.settimeout(10)
with open(sys.argv[1], "wb") as out:
    while True:
        m = s.recv(16384)
        out.write(m + b"\n")
        out.flush()
        if b"END-OF-TEST" in m:
            break
PY
listener=$!
while [ ! -e "$WORK/names-syslog.txt.ready" ]; do sleep 0.05; done
for name in "$4" "$5" "$6"; do
	env -i setpriv --reuid=uubob --regid=users --init-groups -- "$UU" "$d/$name" 2>/dev/null || true
done
python3 -c 'import socket; s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.sendto(b"<86>END-OF-TEST", "/dev/log")'
wait "$listener"
NS
	python3 - "$WORK/names-syslog.txt" "$d" <<'PY' || fail "syslog: $(cat -v "$WORK/names-syslog.txt")"
import sys
raw = open(sys.argv[1], "rb").read()
d = sys.argv[2].encode()
lines = [l for l in raw.split(b"\n") if b"user-umount[" in l]
assert len(lines) == 3, lines
# UTF-8 and the space as written; the deceptive ones escaped; no raw bidi
# or separator anywhere in the log
assert b'target="' + d + b'/My Files \xc3\xbc"' in lines[0], lines[0]
assert b'result="unmounted"' in lines[0], lines[0]
assert b'target="' + d + b'/rlo\\xe2\\x80\\xaegnp"' in lines[1], lines[1]
assert b'target="' + d + b'/ls\\xe2\\x80\\xa8x"' in lines[2], lines[2]
for bad in (b"\xe2\x80\xae", b"\xe2\x80\xa8"):
    assert bad not in raw, bad
PY
}
