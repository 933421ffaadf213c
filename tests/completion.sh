#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The bash completion, sourced in bash and called as bash would call it
# (COMP_WORDS, COMP_CWORD), as an unprivileged user, inside a private mount
# namespace holding mount points with a space (\040 in mountinfo), a tab and
# a backslash.
#   completion.sh COMPLETION_FILE
set -u
file=$(realpath "${1:?completion file}")
[ "$(id -u)" = 0 ] || { echo "completion: SKIP: needs root (mounts in a private namespace)"; exit 77; }
dir=$(mktemp -d /tmp/uu-compl.XXXXXX) || exit 1
chmod 755 "$dir"
trap 'rm -rf "$dir"' EXIT

unshare -m --propagation private -- bash -s "$file" "$dir" <<'NS'
set -u
file=$1 dir=$2
for m in "with space" "tab	here" 'back\slash' plain; do
	mkdir -p "$dir/$m"
	mount -t tmpfs tmpfs "$dir/$m" || exit 1
done
exec setpriv --reuid=nobody --regid=nogroup --clear-groups -- bash -s "$file" "$dir" <<'USER'
set -u
file=$1 dir=$2
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
expect "long option" "--json" user-umount --js
expect "options by prefix" "--dry-run" user-umount --d
expect "no options after --" "" user-umount -- --js
expect "mount point with a space" "$dir/with\\ space" user-umount "$dir/wi"
expect "typed with a backslash-space" "$dir/with\\ space" user-umount "$dir/with\\ s"
expect "inside quotes: as is" "$dir/with space" user-umount "'$dir/with"
expect "mount point with a tab" "$(printf '%q' "$dir/tab	here")" user-umount "$dir/ta"
expect "mount point with a backslash" "$(printf '%q' "$dir/back\\slash")" user-umount "$dir/ba"
expect "after an option" "$dir/plain" user-umount -l "$dir/pl"
expect "all under a prefix" "$(printf '%q\n' "$dir/back\\slash" "$dir/plain" "$dir/tab	here" "$dir/with space" | sort)" \
	user-umount -v "$dir/"
expect "not a mount point" "" user-umount "$dir/nothing"
expect "a target after --" "/proc" user-umount -- /pro
exit $fail
USER
NS
