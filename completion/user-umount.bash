# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for user-umount(8): every option it takes; for TARGET the
# mount points the caller may unmount, as `user-umount --list` says (so not
# /proc, /sys or other users' mounts); for --id their mount IDs; for
# --check-policy file names.

# The MOUNTPOINT column of `user-umount --list -q`, decoded, one a line.
# In that column every backslash starts a \xHH escape (user-umount writes a
# backslash itself as \x5c and a blank as \x20), so printf %b decodes it
# exactly. A mount point holding a newline cannot be listed one a line and
# is left out.
_user_umount_targets()
{
	local mp rest
	command user-umount --list -q 2>/dev/null | while read -r mp rest; do
		[[ $mp == *'\x0a'* || $mp == *'\x0A'* ]] && continue
		printf '%b\n' "$mp"
	done
}

# The mount IDs of the same mounts, from the --json document: a string value
# cannot hold "mount_id": unescaped, so the match is the key itself.
_user_umount_ids()
{
	command user-umount --list --json 2>/dev/null | grep -o '"mount_id":[0-9]*' | cut -d: -f2
}

_user_umount()
{
	local cur=${COMP_WORDS[COMP_CWORD]} word mp i quoted= mode=target
	local opts='-l --lazy -z -f --force -e --expire -R --recursive --dry-run --json
		--list --id --check-policy -v --verbose -q --quiet -d --detach-loop
		-i --internal-only -u -h --help -V --version'

	COMPREPLY=()
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--) break ;;
		--list) mode=list ;;
		--id) mode=id ;;
		--check-policy) mode=policy ;;
		esac
	done
	if ((i == COMP_CWORD)) && [[ $cur == -* ]]; then
		case $mode in
		list) opts='--json -v --verbose -q --quiet' ;;
		policy) opts='-v --verbose -q --quiet' ;;
		esac
		mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
		return 0
	fi
	case $mode in
	list) return 0 ;; # --list takes no TARGET
	id)
		mapfile -t COMPREPLY < <(compgen -W "$(_user_umount_ids)" -- "$cur")
		return 0
		;;
	policy)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return 0
		;;
	esac
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
	done < <(_user_umount_targets | sort -u)
	return 0
}

complete -F _user_umount user-umount
