#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The whole test suite, as root on a Debian 12 machine:
#   bash tools/test.sh
# Installs what it needs, then builds twice with warnings as errors and runs
# every unit suite and the integration tests (real users, real mounts,
# private mount namespace) through ctest:
#   build-test/           the normal build (statmount fast path, libmount fallback)
#   build-test-libmount/  UU_FORCE_LIBMOUNT=ON: the same suites on the fallback path
# and then builds, checks, installs and tries the Debian package
# (tools/package-test.sh).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash tools/deps.sh

run_suite() { # build-dir cmake-options...
	local build=$1
	shift
	echo "== $(basename "$build"): $*"
	# UU_REQUIRE_TESTS: a missing test dependency fails here, never skips
	cmake -S . -B "$build" -DCMAKE_INSTALL_PREFIX=/usr -DUU_WERROR=ON -DUU_REQUIRE_TESTS=ON \
		"$@" >/dev/null
	cmake --build "$build" -j"$(nproc)" >/dev/null
	ctest --test-dir "$build" --output-on-failure ${CTEST_ARGS:-}
	# Show that the integration cases ran (as real users), not just "Passed":
	# each prints "ok      case_NAME" (and the race cases their counts).
	local log=$build/Testing/Temporary/LastTest.log ran
	grep -h -E '^(FAILED|skipped) +case_|^failed:|^ +(race|runs|scenario)' "$log" || true
	ran=$(grep -c -E '^ok +case_' "$log" || true)
	echo "integration: $ran cases ran and passed as real users"
	[ "$ran" -gt 0 ] || { echo "integration: FAIL: no integration case ran" >&2; return 1; }
}

run_suite "${BUILD_DIR:-$top/build-test}"
# The fallback build: the same unit and integration suites; the code-level
# gates ran above; the race scenarios (2 000 runs each above) run 500 times.
CTEST_ARGS="-E ^(hardening|cppcheck|clang-tidy|scan-build|fuzz|valgrind|sanitize|format|manpages|spdx|completion|install)$" \
	UU_RACE_RUNS=${UU_RACE_RUNS_FALLBACK:-500} \
	run_suite "${BUILD_DIR:-$top/build-test}-libmount" -DUU_FORCE_LIBMOUNT=ON
echo "== package"
bash tools/package-test.sh
