#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# clang-tidy (checks: /.clang-tidy) over helper/ and policy/, compiled as the
# build compiles them (its compile_commands.json). False positives:
# tools/quality/suppressions.txt.
#   clang-tidy.sh BUILD_DIR
set -u
. "$(dirname "$0")/lib.sh"
. "$QUALITY/compdb.sh"
tidy=${CLANG_TIDY:-clang-tidy-14}
need clang-tidy "$tidy" python3
build=${1:?build dir}
db=$(compdb "$build") || exit 1
out=$(mktemp)
trap 'rm -f "$out"' EXIT

cd "$TOP"
# One process per file, in parallel; headers are checked through them.
# -Wno-error: the same findings whether or not the build has UU_WERROR (with
# -Werror, clang would also report warnings inside system-header macros).
printf '%s\0' helper/*.c helper/*/*.c policy/*.c |
	xargs -0 -n1 -P"$(nproc)" "$tidy" -p "$(dirname "$db")" --quiet --extra-arg=-Wno-error \
	>"$out" 2>&1
rc=$?
python3 "$QUALITY/findings.py" clang-tidy text <"$out"
frc=$?
if [ "$rc" != 0 ] && [ "$frc" = 0 ] && ! grep -qE '^[^ ]+:[0-9]+:[0-9]+: (warning|error): ' "$out"; then
	cat "$out" >&2
	echo "clang-tidy: FAIL: exit $rc" >&2
	exit 1
fi
exit "$frc"
