# Every unmount and every denial goes to syslog (authpriv) with uid, target
# and deciding rule. /dev/log is replaced, in a nested mount namespace, by a
# socket the test reads.

case_syslog_authpriv_lines() {
	users_tmpfs "$T/logok"
	mount_tmpfs "$T/logno"
	mkdir -p "$WORK/olddev"
	unshare -m --propagation private bash -s "$WORK" "$UU" "$T" "$here" <<'NS'
set -eu
WORK=$1 UU_BIN=$2 T=$3
. "$4/lib.sh"
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
    for _ in range(2):
        out.write(s.recv(8192) + b"\n")
        out.flush()
PY
listener=$!
while [ ! -e "$WORK/syslog.txt.ready" ]; do sleep 0.05; done
uu uubob "$T/logok"
uu uubob "$T/logno"
wait "$listener"
NS
	grep -q "^<85>.*user-umount\[[0-9]*\]: uid=4200 user=uubob target=$T/logok result=unmounted rule=/etc/fstab:[0-9]* users" "$WORK/syslog.txt" ||
		fail "no unmount line: $(cat "$WORK/syslog.txt")"
	grep -q "^<84>.*user-umount\[[0-9]*\]: uid=4200 user=uubob target=$T/logno result=denied rule=none reason=permission denied: no fstab entry" "$WORK/syslog.txt" ||
		fail "no denial line: $(cat "$WORK/syslog.txt")"
}
