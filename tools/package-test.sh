#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The Debian package, built and tried as a user would get it (as root, on
# Debian 12; CI runs it from tools/test.sh):
#   1. dpkg-buildpackage -us -uc -b on a copy of the tree (runs the unit suites)
#   2. lintian: no error or warning (the one override has its reason)
#   3. contents: /usr/bin/user-umount root:root 4755, the conffile list, the
#      shipped policy has no active rule, docs, man pages, completion
#   4. dpkg --root into a throwaway root, with and without a dpkg-statoverride
#   5. in a private mount namespace the installed binary unmounts a test
#      mount as the test user uubob, and the shipped example rules parse
# Leaves nothing behind but the test users. UU_PKG_KEEP=1 keeps the work dir.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ "$(id -u)" = 0 ] || { echo "package: needs root" >&2; exit 1; }
version=$(dpkg-parsechangelog -l debian/changelog -S Version)
work=$(mktemp -d /var/tmp/user-umount-pkg.XXXXXX)
chmod 755 "$work"
[ -n "${UU_PKG_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
fail() {
	echo "package: FAIL: $*" >&2
	exit 1
}
start=$SECONDS

# 1. Build from the files git knows (committed or not, never build output).
src=$work/user-umount-$version
mkdir "$src"
git ls-files -z --cached --others --exclude-standard | tar --null -cf - -T - | tar -xf - -C "$src"
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1 ||
	{ tail -40 "$work/build.log" >&2; fail "dpkg-buildpackage"; }
grep -q '^100% tests passed' "$work/build.log" || fail "the package build ran no unit tests"
deb=$work/user-umount_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || fail "no $deb"
echo "package: built $(basename "$deb") in $((SECONDS - start)) s (unit suites passed)"

# 2. lintian, as a user (it warns about running as root): nothing but the
# override (which --show-overrides prints; that run's exit code is not a verdict).
chown -R nobody "$work"
lint() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
		env -i PATH=/usr/bin:/bin HOME="$work" lintian "$@" "$deb"
}
lint --fail-on error,warning >"$work/lintian.log" 2>&1 || { cat "$work/lintian.log" >&2; fail "lintian"; }
[ ! -s "$work/lintian.log" ] || { cat "$work/lintian.log" >&2; fail "lintian has something to say"; }
lint --show-overrides 2>&1 | grep '^O:' | sed 's/^/    /' || true
lint --show-overrides 2>&1 | grep -v -e '^N:' -e '^O: user-umount: elevated-privileges 4755 root/root \[usr/bin/user-umount\]$' |
	grep . && fail "lintian says more than the one override"
chown -R root:root "$work"
echo "package: lintian clean (only the elevated-privileges override)"

# 3. Contents.
dpkg-deb -c "$deb" >"$work/contents"
grep -q '^-rwsr-xr-x root/root .* \./usr/bin/user-umount$' "$work/contents" ||
	fail "/usr/bin/user-umount is not root:root 4755: $(grep usr/bin "$work/contents")"
for f in ./etc/user-umount/policy.conf ./etc/user-umount/policy.d/ \
	./usr/share/man/man8/user-umount.8.gz ./usr/share/man/man5/user-umount.conf.5.gz \
	./usr/share/bash-completion/completions/user-umount ./usr/share/doc/user-umount/README.md.gz \
	./usr/share/doc/user-umount/SECURITY.md.gz ./usr/share/doc/user-umount/copyright \
	./usr/share/doc/user-umount/policy/examples/desktop.conf \
	./usr/share/doc/user-umount/fstab.d-example/removable-media.fstab; do
	grep -q " $f\$" "$work/contents" || fail "the package lacks $f"
done
dpkg-deb -e "$deb" "$work/control"
[ "$(cat "$work/control/conffiles")" = /etc/user-umount/policy.conf ] ||
	fail "conffiles: $(cat "$work/control/conffiles")"
# libcap and libseccomp are linked in (UU_STATIC_LIBS): named, by version,
# and not needed as shared libraries
built_using=$(dpkg-deb -f "$deb" Built-Using)
case $built_using in
*"libcap2 (= "*", libseccomp (= "* | *"libseccomp (= "*", libcap2 (= "*) ;;
*) fail "Built-Using does not name libcap2 and libseccomp: '$built_using'" ;;
esac
dpkg-deb -f "$deb" Depends | grep -q -e libseccomp -e libcap &&
	fail "Depends still names the linked-in libraries: $(dpkg-deb -f "$deb" Depends)"
depends=$(dpkg-deb -f "$deb" Depends)
case "$depends" in
*libmount1*libblkid1* | *libblkid1*libmount1*) ;;
*) fail "Depends does not name libmount1 and libblkid1 (loaded with dlopen): '$depends'" ;;
esac
echo "package: contents ok (4755 root:root, conffiles: /etc/user-umount/policy.conf; Built-Using: $built_using)"

# 4. Into a throwaway root: first with an administrator's statoverride.
root=$work/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status"
dpkg-statoverride --root "$root" --add root root 4750 /usr/bin/user-umount
dpkg --root="$root" --force-depends -i "$deb" >"$work/dpkg.log" 2>&1 ||
	{ cat "$work/dpkg.log" >&2; fail "dpkg --root -i"; }
[ "$(stat -c %U:%G:%a "$root/usr/bin/user-umount")" = root:root:4750 ] ||
	fail "dpkg-statoverride not honoured: $(stat -c %U:%G:%a "$root/usr/bin/user-umount")"
dpkg --root="$root" -r user-umount >>"$work/dpkg.log" 2>&1
dpkg-statoverride --root "$root" --remove /usr/bin/user-umount
dpkg --root="$root" --force-depends -i "$deb" >>"$work/dpkg.log" 2>&1 ||
	{ cat "$work/dpkg.log" >&2; fail "dpkg --root -i"; }
[ "$(stat -c %U:%G:%a "$root/usr/bin/user-umount")" = root:root:4755 ] ||
	fail "installed mode: $(stat -c %U:%G:%a "$root/usr/bin/user-umount")"
echo "package: installed with dpkg --root (4750 under a statoverride, else 4755)"

# 5. The installed binary at work, in a private mount namespace with the
# package's /etc/user-umount and a test fstab over the real ones.
bash tests/integration/users.sh
unshare -m --propagation private -- bash -s "$root" "$work" <<'NS' || fail "the installed binary"
set -eu
root=$1 work=$2 uu=$1/usr/bin/user-umount
mount --make-rprivate /
mkdir -p "$work/etc-up" "$work/etc-work" "$work/mnt"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$work/etc-up,workdir=$work/etc-work" /etc
rm -rf /etc/user-umount
cp -a "$root/etc/user-umount" /etc/user-umount
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/mount
: >/run/mount/utab
echo "tmpfs $work/mnt tmpfs users,noauto 0 0" >/etc/fstab
mount -t tmpfs tmpfs "$work/mnt"
as_bob() { env -i PATH=/usr/bin:/bin setpriv --reuid=uubob --regid=users --init-groups -- "$@"; }
# the shipped example rules, uncommented, parse (a dry run decides)
sed -i 's/^#\(permit\|deny\) /\1 /' /etc/user-umount/policy.conf
out=$(as_bob "$uu" --dry-run -v "$work/mnt" 2>&1) || { echo "dry run: $out" >&2; exit 1; }
echo "    $out"
cp -a "$root/etc/user-umount/policy.conf" /etc/user-umount/policy.conf
as_bob "$uu" -v "$work/mnt"
if grep -q " $work/mnt " /proc/self/mountinfo; then
	echo "still mounted" >&2
	exit 1
fi
# and the installed completion loads
bash -c '. "$1"; complete -p user-umount' sh "$root/usr/share/bash-completion/completions/user-umount" >/dev/null
NS
echo "package: the installed binary unmounted a test mount as uubob"
echo "package: all checks passed in $((SECONDS - start)) s"
