#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The demo's steps, run inside the private mount namespace (see demo.sh).
set -u
work=$1
uu=$work/user-umount
mount --make-rprivate /
mkdir -p "$work/up" "$work/wk" "$work/media" "$work/scratch" "$work/src"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$work/up,workdir=$work/wk" /etc
mount -t tmpfs -o mode=755 tmpfs /run && mkdir -p /run/mount && : >/run/mount/utab
echo user_allow_other >/etc/fuse.conf
mknod -m 666 "$work/fuse" c 10 229 && mount --bind "$work/fuse" /dev/fuse # host node untouched
chown uualice "$work/media"
chmod 755 "$work/src"

say() { printf '\n== %s\n' "$*"; }
as() { # user command...: the user's real identity, a clean environment
	local u=$1; shift
	printf '%s$ %s\n' "$u" "$*"
	env -i PATH=/usr/bin:/bin setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups -- "$@"
	echo "(exit $?)"
}
show() { findmnt -n -o TARGET,SOURCE,FSTYPE --target "$1" 2>/dev/null | grep -F "$1" || echo "$1: not mounted"; }

say "A shared scratch area the admin opened to everyone (fstab 'users')"
echo "tmpfs $work/scratch tmpfs users,noauto 0 0" >>/etc/fstab
mount "$work/scratch"
show "$work/scratch"
as uubob "$uu" -v "$work/scratch"
show "$work/scratch"

say "uualice's own FUSE mount (bindfs, allow_other so others can see it)"
env -i setpriv --reuid=uualice --regid=users --init-groups -- bindfs -f -o allow_other "$work/src" "$work/media" &
daemon=$!
for _ in $(seq 50); do grep -q " $work/media " /proc/self/mountinfo && break; sleep 0.1; done
show "$work/media"
say "uualice2 (uid 41000, a name and a uid that start like uualice's 4100) may not"
as uualice2 "$uu" "$work/media"
say "uubob may not"
as uubob "$uu" "$work/media"
say "uualice may"
as uualice "$uu" -v "$work/media"
show "$work/media"
wait "$daemon" 2>/dev/null

say "Nobody may unmount /"
as uubob "$uu" /
say "Done: everything above happened in a private mount namespace that is gone now."
