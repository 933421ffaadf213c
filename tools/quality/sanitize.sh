#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A second build with AddressSanitizer + UndefinedBehaviorSanitizer
# (-DUU_SANITIZE=ON), then the unit suites AND the integration suite with it
# (the installed setuid helper, real users, real mounts). Needs root, like
# the integration suite.
#   sanitize.sh [BUILD_DIR]      default: build-sanitize/ in the source tree
# Compiler: $UU_SANITIZE_CC, default gcc (the project's compiler; clang-14
# works too without UU_WERROR). UU_RACE_RUNS: runs per race case (1000).
#
# Reports go to files (sanitizer-defaults.c), not stderr: the run fails if
# any report was written, even when every test still passed.
set -u
. "$(dirname "$0")/lib.sh"
cc=${UU_SANITIZE_CC:-gcc}
need sanitize "$cc" cmake ctest
[ "$(id -u)" = 0 ] || skip_or_fail sanitize "needs root (the integration suite)"
build=$(mkdir -p "${1:-$TOP/build-sanitize}" && cd "${1:-$TOP/build-sanitize}" && pwd)
logs=$build/sanitizer-reports
werror=ON
[[ "$cc" == *clang* ]] && werror=OFF # libseccomp's SCMP_A1_32 trips clang's -Wmissing-field-initializers
# Sanitizer runtimes linked in statically: a dynamic libasan.so is one more
# file for ld.so to open, which the cases run with RLIMIT_NOFILE=5 do not have.
static="-static-libasan -static-libubsan"
[[ "$cc" == *clang* ]] && static="" # clang links its runtimes statically already

rm -rf "$logs"
mkdir -p "$logs"
chmod 1777 "$logs"
"$cc" -c -O1 -DUU_SANITIZER_LOG_DIR="\"$logs\"" "$QUALITY/sanitizer-defaults.c" \
	-o "$build/sanitizer-defaults.o" || exit 1
echo "== sanitize: configure and build ($cc, ASan + UBSan) in $build"
CC=$cc cmake -S "$TOP" -B "$build" -DCMAKE_INSTALL_PREFIX=/usr -DUU_SANITIZE=ON \
	-DUU_WERROR=$werror -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DCMAKE_EXE_LINKER_FLAGS="$build/sanitizer-defaults.o $static" >"$build/configure.log" 2>&1 ||
	{ cat "$build/configure.log" >&2; exit 1; }
cmake --build "$build" -j"$(nproc)" >"$build/build.log" 2>&1 ||
	{ cat "$build/build.log" >&2; exit 1; }

echo "== sanitize: unit suites and integration suite"
# The race cases run the helper thousands of times to find a window; here
# they are for the memory errors along those paths, so fewer runs will do
# (the normal integration test runs them in full).
export UU_RACE_RUNS=${UU_RACE_RUNS:-1000}
# Under ASan the helper is several times slower than root's remount loop in
# case_race_remount_underneath: every entitled mount is then stacked on a
# victim, every run is refused, and the scenario proves nothing (it runs in
# the normal build).
# case_race_userns_swap_stopped: with ASan every helper run is several times
# slower and the stopper holds each one, so too few entitled unmounts get
# through for the scenario's own sanity floor; the normal and libmount
# builds run it in full.
export UU_CASES_SKIP=${UU_CASES_SKIP:-@(case_race_remount_underneath|case_race_userns_swap_stopped)}
# All integration cases in one namespace (cheaper than one ctest each).
ctest --test-dir "$build" -R '^unit\.' --output-on-failure 2>&1 | tee "$build/ctest.log"
rc=${PIPESTATUS[0]}
cmake --build "$build" --target integration-all 2>&1 | tee -a "$build/ctest.log"
[ "${PIPESTATUS[0]}" = 0 ] || rc=1
reports=$(find "$logs" -type f | sort)
if [ -n "$reports" ]; then
	for f in $reports; do
		echo "== $f" >&2
		head -60 "$f" >&2
	done
	echo "sanitize: FAIL: sanitizer reports in $logs" >&2
	exit 1
fi
# The integration suite skips (77) without root or tools; ctest counts that
# as passed, so make sure it did run.
if grep -qE '^integration: SKIP' "$build/ctest.log"; then
	skip_or_fail sanitize "the integration suite was skipped"
fi
[ "$rc" = 0 ] || { echo "sanitize: FAIL: ctest exit $rc" >&2; exit 1; }
echo "sanitize: unit and integration suites pass under ASan + UBSan; no reports"
