# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the tools/quality scripts (sourced). Sets TOP (the source tree).
#
# A missing tool is a skip (exit 77, which ctest shows as "Skipped") on a
# developer's machine, and a failure under CI=true: CI must never pass
# because an analyzer was not installed. tools/deps.sh installs them all.
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
QUALITY=$TOP/tools/quality

# need NAME TOOL...: every TOOL must be on PATH.
need() {
	local name=$1 tool
	shift
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 && continue
		if [ "${CI:-}" = true ]; then
			echo "$name: FAIL: $tool is not installed and CI=true forbids skipping" >&2
			exit 1
		fi
		echo "$name: SKIP: $tool is not installed (bash tools/deps.sh installs it)"
		exit 77
	done
}

# skip_or_fail NAME REASON: the same rule for a missing capability.
skip_or_fail() {
	if [ "${CI:-}" = true ]; then
		echo "$1: FAIL: $2, and CI=true forbids skipping" >&2
		exit 1
	fi
	echo "$1: SKIP: $2"
	exit 77
}
