#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The bash completion, sourced in a real bash, registered (complete -p) and
# called as bash calls it (COMP_WORDS, COMP_CWORD, _user_umount), as an
# unprivileged user, inside a private mount namespace. TARGET completion
# must offer what `user-umount --list` says the caller may unmount: mounts
# with fstab `users` entries at names with a space, a tab, a backslash and
# UTF-8, and not a mount of the same kind without an entitlement, nor /proc.
# The options offered must be exactly the options the program accepts.
#   completion.sh COMPLETION_FILE USER_UMOUNT_BINARY OPTIONS_C
set -u
export LC_ALL=C.UTF-8 # sort order and printf %q of UTF-8 names, as a desktop's shell
file=$(realpath "${1:?completion file}")
bin=$(realpath "${2:?user-umount binary}")
optsrc=$(realpath "${3:?helper/options.c}")
[ "$(id -u)" = 0 ] || { echo "completion: SKIP: needs root (mounts in a private namespace)"; exit 77; }
dir=$(mktemp -d /var/tmp/uu-compl.XXXXXX) || exit 1
chmod 755 "$dir"
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/bin"
# setuid root, as installed: --list must work as the caller would run it
install -o root -g root -m 4755 "$bin" "$dir/bin/user-umount"

# Every option the program accepts: each long option of options.c and each
# short one that `user-umount OPTION --help` takes without complaint.
accepted=$(
	{
		sed -n 's/^ *{"\([a-z-]*\)", [a-z_]*_argument.*/--\1/p' "$optsrc"
		sed -n 's/^static const char short_options\[\] = "+\([^"]*\)";/\1/p' "$optsrc" |
			tr -d ':' | fold -w1 | sed 's/^/-/'
	} | while read -r o; do
		env -i "$dir/bin/user-umount" "$o" --help >/dev/null 2>&1 && printf "%s\n" "$o"
	done | sort
)
[ "$(printf '%s\n' "$accepted" | wc -l)" -ge 20 ] || { echo "FAILED  found only: $accepted"; exit 1; }

unshare -m --propagation private -- bash -s "$file" "$dir" "$accepted" <<'NS'
set -u
file=$1 dir=$2 accepted=$3
mount --make-rprivate /
# /etc and /run of this namespace only: the host's are never written
mkdir -p "$dir/etc-up" "$dir/etc-work"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$dir/etc-up,workdir=$dir/etc-work" /etc
rm -rf /etc/user-umount
: >/etc/fstab
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/mount
: >/run/mount/utab
fstab_escape() { printf '%s' "$1" | sed -e 's/\\/\\134/g' -e 's/ /\\040/g' -e 's/\t/\\011/g'; }
for m in "with space" "tab	here" 'back\slash' plain "Fotos-Ü" "deep/er"; do
	mkdir -p "$dir/m/$m"
	mount -t tmpfs tmpfs "$dir/m/$m" || exit 1
	echo "tmpfs $(fstab_escape "$dir/m/$m") tmpfs users,noauto 0 0" >>/etc/fstab
done
mkdir -p "$dir/m/notmine"
mount -t tmpfs tmpfs "$dir/m/notmine" || exit 1 # no fstab entry: not the caller's to unmount
exec setpriv --reuid=nobody --regid=nogroup --clear-groups -- env -i PATH="$dir/bin:/usr/bin:/bin" LC_ALL=C.UTF-8 \
	bash -s "$file" "$dir" "$accepted" <<'USER'
set -u
file=$1 dir=$2 accepted=$3 m=$2/m
. "$file"
fail=0
complete_words() { # words... (the last is the one being completed)
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_user_umount
	printf '%s\n' "${COMPREPLY[@]}"
}
expect() { # description expected-output words...
	local what=$1 want=$2 got
	shift 2
	got=$(complete_words "$@" | sort)
	if [ "$got" = "$want" ]; then
		echo "ok      $what"
	else
		echo "FAILED  $what: got [$got], expected [$want]"
		fail=1
	fi
}
[ "$(complete -p user-umount)" = "complete -F _user_umount user-umount" ] ||
	{ echo "FAILED  not registered"; fail=1; }
expect "every option the program accepts, and only those" "$accepted" user-umount -
expect "long option" "--json" user-umount --js
expect "options by prefix" "$(printf '%s\n' --dry-run --detach-loop | sort)" user-umount --d
expect "--list, --id, --check-policy" "$(printf '%s\n' --id --internal-only | sort)" user-umount --i
expect "-d and -i" "-d" user-umount -d
expect "no options after --" "" user-umount -- --js
expect "after --list: its options only" "--json" user-umount --list --j
expect "--list takes no TARGET" "" user-umount --list "$m/"
expect "mount point with a space" "$m/with\\ space" user-umount "$m/wi"
expect "typed with a backslash-space" "$m/with\\ space" user-umount "$m/with\\ s"
expect "inside quotes: as is" "$m/with space" user-umount "'$m/with"
expect "mount point with a tab" "$(printf '%q' "$m/tab	here")" user-umount "$m/ta"
expect "mount point with a backslash" "$(printf '%q' "$m/back\\slash")" user-umount "$m/ba"
expect "UTF-8 as written" "$m/Fotos-Ü" user-umount "$m/Fo"
expect "after an option" "$m/plain" user-umount -l "$m/pl"
expect "only what you may unmount" \
	"$(printf '%q\n' "$m/Fotos-Ü" "$m/back\\slash" "$m/deep/er" "$m/plain" "$m/tab	here" "$m/with space" | sort)" \
	user-umount -v "$m/"
expect "not another's mount" "" user-umount "$m/notm"
expect "not /proc" "" user-umount -- /pro
expect "a target after --" "$m/plain" user-umount -- "$m/pl"
# each offered TARGET is one the caller may unmount
while IFS= read -r t; do
	eval "t=$t"
	user-umount --dry-run "$t" >/dev/null 2>&1 || { echo "FAILED  offered $t, not unmountable"; fail=1; }
done < <(complete_words user-umount "$m/")
# --id: the IDs of the same mounts
ids=$(complete_words user-umount --id "" | sort -n)
[ "$(printf '%s\n' "$ids" | grep -c '^[0-9][0-9]*$')" = 6 ] ||
	{ echo "FAILED  --id offers [$ids]"; fail=1; }
for id in $ids; do
	user-umount --dry-run --id "$id" >/dev/null 2>&1 || { echo "FAILED  --id $id not unmountable"; fail=1; }
done
[ "$fail" = 1 ] || echo "ok      --id offers the 6 mount IDs"
# --check-policy: file names
expect "--check-policy takes FILEs" "$dir/bin/user-umount" user-umount --check-policy "$dir/bin/us"
exit $fail
USER
NS
