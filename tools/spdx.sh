#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every source file, script and CMake file carries
#   SPDX-License-Identifier: GPL-2.0-or-later
# in its own comment syntax, near the top.
#   bash tools/spdx.sh           add the line where it is missing (idempotent)
#   bash tools/spdx.sh --check   list files without it; exit 1 if any (ctest spdx)
# Files are those git tracks (plus new, not ignored ones); data such as fuzz
# corpora, examples and benchmark results is not source and is left alone.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
id="SPDX-License-Identifier: GPL-2.0-or-later"
mode=${1:-add}

git rev-parse --is-inside-work-tree >/dev/null 2>&1 || {
	echo "spdx: SKIP: not a git checkout (the file list comes from git)"
	exit 77
}

# The comment line for FILE, or nothing if FILE is not source.
comment_for() {
	case "$1" in
	fuzz/corpus/* | bench/results-*) ;;
	*.c | *.h) echo "/* $id */" ;;
	*.sh | *.bash | *.py | *.cmake | CMakeLists.txt | */CMakeLists.txt | debian/rules) echo "# $id" ;;
	debian/*.postinst | debian/*.postrm | debian/*.preinst | debian/*.prerm) echo "# $id" ;;
	man/*.[0-9]) echo '.\" '"$id" ;;
	*) head -c 2 "$1" | grep -q '^#!' && echo "# $id" ;;
	esac
	return 0
}

missing=0
while IFS= read -r f; do
	[ -f "$f" ] && [ ! -L "$f" ] || continue
	line=$(comment_for "$f")
	[ -n "$line" ] || continue
	head -n 5 "$f" | grep -q 'SPDX-License-Identifier:' && continue
	if [ "$mode" = --check ]; then
		echo "spdx: no SPDX-License-Identifier: $f"
		missing=$((missing + 1))
		continue
	fi
	# after a shebang line, else first; same inode and mode
	tmp=$(mktemp)
	if head -n 1 "$f" | grep -q '^#!'; then
		{ head -n 1 "$f"; printf '%s\n' "$line"; tail -n +2 "$f"; } >"$tmp"
	else
		{ printf '%s\n' "$line"; cat "$f"; } >"$tmp"
	fi
	cat "$tmp" >"$f"
	rm -f "$tmp"
	echo "spdx: added to $f"
done < <(git ls-files --cached --others --exclude-standard | sort -u)

if [ "$mode" = --check ]; then
	[ "$missing" = 0 ] || { echo "spdx: $missing files lack the line (run bash tools/spdx.sh)"; exit 1; }
	echo "spdx: every source file, script and CMake file has the line"
fi
