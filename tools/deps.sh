#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Install the Debian 12 packages the build, the demo and the tests need.
# Idempotent; runs apt-get only when something is missing. Needs root.
set -eu
pkgs=(build-essential cmake pkg-config libmount-dev libblkid-dev libseccomp-dev libcap-dev check
      util-linux mount fuse3 bindfs python3 python3-jsonschema mandoc man-db passwd dosfstools e2fsprogs libfuse3-dev
      clang-format cppcheck clang-14 clang-tidy-14 clang-tools-14 libclang-rt-14-dev valgrind llvm-14
      debhelper dpkg-dev fakeroot lintian uidmap strace)
pkgs+=("$@")
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
fi
