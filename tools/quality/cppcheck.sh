#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# cppcheck over helper/ and policy/ with the build's own -I and -D (from its
# compile_commands.json). False positives: tools/quality/suppressions.txt.
#   cppcheck.sh BUILD_DIR
set -u
. "$(dirname "$0")/lib.sh"
. "$QUALITY/compdb.sh"
need cppcheck cppcheck python3
build=${1:?build dir}
db=$(compdb "$build") || exit 1
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# The compiler's predefined architecture macro, which cppcheck lacks
# (helper/lookup/statmount.h picks syscall numbers by it).
arch=$(${CC:-cc} -dumpmachine | cut -d- -f1)
cppcheck --project="$db" --file-filter="$TOP/helper/*" --file-filter="$TOP/helper/*/*" --file-filter="$TOP/policy/*" \
	-D"__${arch}__" -D__linux__ --platform=unix64 --std=c11 \
	--enable=warning,style,performance,portability --error-exitcode=1 --inline-suppr \
	-q -j"$(nproc)" --template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
	>"$out" 2>&1
rc=$?
python3 "$QUALITY/findings.py" cppcheck text <"$out"
frc=$?
# cppcheck failing with nothing we could read is a failure of its own.
if [ "$rc" != 0 ] && [ "$frc" = 0 ] && ! grep -q '\[[A-Za-z]*\]$' "$out"; then
	cat "$out" >&2
	echo "cppcheck: FAIL: exit $rc" >&2
	exit 1
fi
exit "$frc"
