#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The man pages: mandoc -Tlint (any warning fails), and each page rendered
# at 80 columns, as `MANWIDTH=80 man -l PAGE` (groff, through man-db) and as
# mandoc shows it: no line wider than 80 columns, and in every tag list
# whose items hold a table (the umount(8)/fusermount3 option table of
# user-umount(8)) every description starts in the same column.
#   manlint.sh PAGE...
set -u
if ! command -v mandoc >/dev/null; then
	[ "${CI:-}" = true ] && { echo "manlint: mandoc missing under CI" >&2; exit 1; }
	echo "manlint: SKIP: mandoc not installed"; exit 77
fi
out=$(mandoc -Tlint -W warning "$@" 2>&1)
if [ -n "$out" ]; then
	echo "$out"
	exit 1
fi
renderers=(mandoc)
if command -v man >/dev/null && command -v groff >/dev/null; then
	renderers+=(man)
elif [ "${CI:-}" = true ]; then
	echo "manlint: man-db or groff missing under CI (MANWIDTH=80 man -l is what users see)" >&2
	exit 1
else
	echo "manlint: man-db/groff not installed: checking the mandoc rendering only"
fi
render() { # renderer page
	case $1 in
	mandoc) mandoc -Tutf8 -Owidth=80 "$2" ;;
	man) MANWIDTH=80 MANPAGER=cat PAGER=cat man -l "$2" 2>"${TMPDIR:-/tmp}/manlint-err.$$" ;;
	esac | col -bx
}
bad=0
for page in "$@"; do
	for r in "${renderers[@]}"; do
		: >"${TMPDIR:-/tmp}/manlint-err.$$"
		render "$r" "$page" >"${TMPDIR:-/tmp}/manlint.$$" || { echo "manlint: $r cannot render $page"; bad=1; continue; }
		if [ -s "${TMPDIR:-/tmp}/manlint-err.$$" ]; then # groff's "can't break line" and the like
			echo "manlint: $page ($r, 80 columns): $(cat "${TMPDIR:-/tmp}/manlint-err.$$")"
			bad=1
		fi
		LC_ALL=C.UTF-8 python3 - "$page" "$r" "${TMPDIR:-/tmp}/manlint.$$" <<'PY' || bad=1
import re, sys
page, renderer, path = sys.argv[1:4]
lines = open(path, encoding="utf-8").read().split("\n")
ok = True
def say(n, msg):
    global ok
    ok = False
    print(f"manlint: {page} ({renderer}, 80 columns) line {n + 1}: {msg}\n    |{lines[n]}|")
for n, l in enumerate(lines):
    if len(l) > 80:
        say(n, f"{len(l)} columns wide")
# The option table: from its header row to the next heading, a tag line is
# "     TAG  TEXT" or "     TAG" alone; every TEXT and every continuation
# line starts in the column of the header's second cell.
for n, l in enumerate(lines):
    m = re.match(r"^( +)option( +)what user-umount does$", l)
    if not m:
        continue
    tag_col, text_col = len(m.group(1)), len(m.group(1)) + 6 + len(m.group(2))
    rows = 0
    for k in range(n + 1, len(lines)):
        row = lines[k]
        if row == "" or re.match(r"^ {0,4}\S", row):
            break
        indent = len(row) - len(row.lstrip(" "))
        if indent == text_col:
            continue
        if indent != tag_col:
            say(k, f"starts in column {indent + 1}, not {tag_col + 1} (option) or {text_col + 1} (what it does)")
            continue
        rows += 1
        cell = re.match(r"^ +\S+(?: \S+)*( {2,}| ?$)", row)
        if cell and cell.group(1).strip() == "" and len(cell.group(1)) >= 2:
            if cell.end() != text_col:
                say(k, f"description in column {cell.end() + 1}, not {text_col + 1}")
    if rows < 20:
        say(n, f"only {rows} rows in the option table")
    break
else:
    if page.endswith(".8"):
        say(0, "no umount(8)/fusermount3 option table found")
sys.exit(0 if ok else 1)
PY
	done
done
rm -f "${TMPDIR:-/tmp}/manlint.$$" "${TMPDIR:-/tmp}/manlint-err.$$"
[ "$bad" = 0 ] || exit 1
echo "manlint: $# pages clean, and at 80 columns with: ${renderers[*]}"
