# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for user-umount(8): its options, and for TARGET the mount
# points of the caller's own mount namespace, read from /proc/self/mountinfo
# (no privilege needed; the kernel's octal escapes such as \040 decoded).

# Each mount point of this namespace, decoded, one a line. A mount point
# holding a newline (\012) cannot be listed one a line and is left out.
_user_umount_mount_points()
{
	local id parent devno root mp rest
	while read -r id parent devno root mp rest; do
		[[ $mp == *'\012'* ]] && continue
		# every backslash here starts an octal escape: \040 -> \0040 for %b
		printf '%b\n' "${mp//\\/\\0}"
	done </proc/self/mountinfo
}

_user_umount()
{
	local cur=${COMP_WORDS[COMP_CWORD]} word mp i quoted=
	local opts='-l --lazy -z -f --force -e --expire -R --recursive --dry-run --json
		-v --verbose -q --quiet -u -h --help -V --version'

	COMPREPLY=()
	for ((i = 1; i < COMP_CWORD; i++)); do
		[[ ${COMP_WORDS[i]} == -- ]] && break
	done
	if ((i == COMP_CWORD)) && [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
		return 0
	fi
	# The word as typed, unquoted without eval: 'a b, "a b or a\ b.
	case $cur in
	\'* | \"*)
		quoted=1
		word=${cur:1}
		;;
	*) word=$(printf '%s' "$cur" | sed 's/\\\(.\)/\1/g') ;;
	esac
	while IFS= read -r mp; do
		[[ $mp == "$word"* ]] || continue
		if [[ -n $quoted ]]; then
			COMPREPLY+=("$mp")
		else
			COMPREPLY+=("$(printf '%q' "$mp")")
		fi
	done < <(_user_umount_mount_points | sort -u)
	return 0
}

complete -F _user_umount user-umount
