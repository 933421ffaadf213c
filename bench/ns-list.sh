#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck source-path=SCRIPTDIR
# user-umount --list against `findmnt -rn`, side by side, at N mounts. Runs
# inside `unshare -m --propagation private` (see run.sh --list); prints
# markdown. Issue 13's target: --list costs at most 2x findmnt -rn at 10 000.
#   ns-list.sh BINDIR WORK N ROUNDS
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/ns-setup.sh"
bin=$1 work=$2 n=$3 rounds=$4
setup_ns "$work"
"$bin/uubench" --setup-only --n "$n" --dir "$work/t" --uu x --uu-libmount x --tinyfuse x \
	--minimal x --only uu-tmpfs
findmnt=$(command -v findmnt)
total=$(wc -l </proc/self/mountinfo)

# It must list what it should: the fstab "users" target, and not the rest.
got=$(setpriv --reuid=uubob --regid=users --init-groups -- "$bin/user-umount" --list)
grep -q "^$work/t/tg/uu-tmpfs tmpfs tmpfs plain," <<<"$got" ||
	{ echo "ns-list: --list did not list the users target: $got" >&2; exit 1; }
[ "$(wc -l <<<"$got")" -lt 10 ] || { echo "ns-list: --list lists too much" >&2; exit 1; }

table() { # title, then uubench --exec specs
	echo "### $1"
	echo
	shift
	"$bin/uubench" --exec "$rounds" "$@" | tee "$work/table.md"
	echo
	# median wall time of each user-umount row against the findmnt row
	awk -F'|' 'NR > 2 { gsub(/ /, "", $3); ms[NR] = $3; name[NR] = $2 }
		END { for (i = 4; i in ms; i++)
			printf "- ratio %s/ findmnt -rn: %.2f\n", name[i], ms[i] / ms[3] }' "$work/table.md"
	echo
}

echo "## --list at N = $n background mounts ($total in the namespace), $rounds rounds"
echo
specs=(
	"findmnt -rn (uubob)|uubob|-|$findmnt -rn"
	"user-umount --list (uubob)|uubob|-|$bin/user-umount --list"
	"user-umount --list --json (uubob)|uubob|-|$bin/user-umount --list --json"
	"user-umount[libmount] --list (uubob)|uubob|-|$bin/user-umount-libmount --list"
)
table "Built-in rules only (no policy)" "${specs[@]}"
mkdir -p /etc/user-umount
install -o root -g root -m 0644 "$here/../policy/examples/desktop.conf" /etc/user-umount/policy.conf
table "With policy/examples/desktop.conf installed" "${specs[@]}"
