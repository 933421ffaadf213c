#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The project's one formatter (.clang-format) is applied: any C file it
# would change fails the test. Fix with: clang-format -i FILE
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
if ! command -v clang-format >/dev/null; then
	[ "${CI:-}" = true ] && { echo "format: clang-format missing under CI" >&2; exit 1; }
	echo "format: SKIP: clang-format not installed"; exit 77
fi
bad=0
for f in helper/*.[ch] helper/*/*.[ch] policy/*.[ch] tests/unit/*.[ch] tests/integration/*.[ch] fuzz/*.c bench/*.c; do
	if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
		echo "format: $f is not formatted"
		bad=1
	fi
done
[ "$bad" = 0 ] && echo "format: all C files formatted"
exit "$bad"
