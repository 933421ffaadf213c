#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# mandoc -Tlint over the man pages: any warning fails.
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
echo "manlint: $# pages clean"
