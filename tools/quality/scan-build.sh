#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The clang static analyzer (scan-build-14) over a fresh build of helper/ and
# policy/ in BUILD_DIR/quality-scan-build. False positives:
# tools/quality/suppressions.txt (matched on the -plist reports).
#   scan-build.sh BUILD_DIR
set -u
. "$(dirname "$0")/lib.sh"
sb=${SCAN_BUILD:-scan-build-14}
need scan-build "$sb" clang-14 python3
build=${1:?build dir}/quality-scan-build
reports=$build-reports
rm -rf "$build" "$reports"

# Besides the default checkers: va_list misuse, implementation-defined POSIX
# calls (e.g. malloc(0)), and the insecure-API checks that matter for a
# setuid program (strcpy/strcat, rand, bcopy/bzero/bcmp, float loop counters).
# Not DeprecatedOrUnsafeBufferHandling: it flags every memcpy/memset/snprintf
# and asks for Annex K *_s functions, which glibc does not have.
checkers=(valist.CopyToSelf valist.Uninitialized valist.Unterminated
	optin.portability.UnixAPI security.FloatLoopCounter security.insecureAPI.strcpy
	security.insecureAPI.rand security.insecureAPI.bcmp security.insecureAPI.bcopy
	security.insecureAPI.bzero)
args=(--use-analyzer=/usr/bin/clang-14 -plist -o "$reports")
for c in "${checkers[@]}"; do
	args+=(-enable-checker "$c")
done
# The default budget inlines a "large" function (> 14 basic blocks, e.g. the
# validity check in mounts_statmount.c) only 32 times per top-level function,
# then forgets what it returned and reports NULLs it had already ruled out.
args+=(-analyzer-config max-times-inline-large=1000)

"$sb" "${args[@]}" cmake -S "$TOP" -B "$build" -DBUILD_TESTING=OFF \
	-DCMAKE_INSTALL_PREFIX=/usr -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 1
# --status-bugs would count suppressed reports too; findings.py decides.
"$sb" "${args[@]}" cmake --build "$build" -j"$(nproc)" >"$build.log" 2>&1
rc=$?
if [ "$rc" != 0 ]; then
	cat "$build.log" >&2
	echo "scan-build: FAIL: the build failed (exit $rc)" >&2
	exit 1
fi
grep -q 'scan-build: Analysis run complete' "$build.log" || {
	cat "$build.log" >&2
	echo "scan-build: FAIL: no analysis ran" >&2
	exit 1
}
python3 "$QUALITY/findings.py" scan-build plist "$reports"
