# SPDX-License-Identifier: GPL-2.0-or-later
# Every unmount and every denial goes to syslog (authpriv) with uid, target
# and deciding rule, as key="value" pairs a logfmt parser reads; dry runs at
# LOG_INFO; --list and --check-policy not at all. /dev/log is replaced, in a
# nested mount namespace, by a socket the test reads.

case_syslog_authpriv_lines() {
	users_at_s() { fstab_add "tmpfs $1 tmpfs users,noauto 0 0"; mount_tmpfs "$1"; }
	users_at_s "$T/logok"
	mount_tmpfs "$T/logno"
	users_at_s "$T/logdry"
	mkdir -p "$T/log\"q\" x=\"y"
	mount_tmpfs "$T/log\"q\" x=\"y"
	mkdir -p "$WORK/olddev"
	unshare -m --propagation private bash -s "$WORK" "$UU" "$T" <<'NS'
set -eu
WORK=$1 UU=$2 T=$3
mount --bind /dev "$WORK/olddev"
mount -t tmpfs -o mode=755 tmpfs /dev
for n in null zero full urandom random tty; do
	touch "/dev/$n"
	mount --bind "$WORK/olddev/$n" "/dev/$n"
done
python3 - "$WORK/syslog.txt" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
os.chmod("/dev/log", 0o666)
open(sys.argv[1] + ".ready", "w").close()
s.settimeout(10)
with open(sys.argv[1], "wb") as out:
    while True:
        m = s.recv(8192)
        out.write(m + b"\n")
        out.flush()
        if b"END-OF-TEST" in m:
            break
PY
listener=$!
while [ ! -e "$WORK/syslog.txt.ready" ]; do sleep 0.05; done
run() { env -i setpriv --reuid=uubob --regid=users --init-groups -- "$UU" "$@" || true; }
run --list >/dev/null
run --list --json >/dev/null
run --check-policy >/dev/null
run "$T/logok"
run "$T/logno" 2>/dev/null
run --dry-run "$T/logdry" >/dev/null
run "$T/log\"q\" x=\"y" 2>/dev/null
python3 -c 'import socket; s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.sendto(b"<86>END-OF-TEST", "/dev/log")'
wait "$listener"
NS
	python3 - "$WORK/syslog.txt" "$T" <<'PY' || fail "syslog: $(cat "$WORK/syslog.txt")"
import re, shlex, sys
t = sys.argv[2]
lines = [l for l in open(sys.argv[1], "rb").read().decode().splitlines() if "user-umount[" in l]
# logfmt: key="value" pairs, values with \" and \\ escapes (shlex reads them)
def fields(line):
    body = line.split("]: ", 1)[1]
    pairs = shlex.split(body)
    assert all("=" in p for p in pairs), pairs
    return int(line[1:line.index(">")]), dict(p.split("=", 1) for p in pairs)
got = [fields(l) for l in lines]
assert len(got) == 4, lines  # --list and --check-policy logged nothing
keys = {"uid", "user", "target", "mount_point", "mount_id", "source", "fstype", "flags",
        "dry_run", "result", "reason", "rule", "message"}
assert all(set(f) == keys for _, f in got), got
(p0, ok), (p1, no), (p2, dry), (p3, q) = got
assert p0 == 85 and ok["uid"] == "4200" and ok["user"] == "uubob" and ok["target"] == t + "/logok", ok
assert ok["result"] == "unmounted" and ok["reason"] == "fstab-users" and re.fullmatch(r"/etc/fstab:\d+ users", ok["rule"]), ok
assert ok["source"] == "tmpfs" and ok["fstype"] == "tmpfs" and int(ok["mount_id"]) > 0, ok
assert p1 == 84 and no["result"] == "denied" and no["reason"] == "not-entitled", no
assert no["message"].startswith("permission denied: no fstab entry"), no
assert p2 == 86 and dry["result"] == "would-unmount" and dry["dry_run"] == "yes", dry
assert p3 == 84 and q["target"] == t + '/log"q" x="y' and q["result"] == "denied", q
PY
}
