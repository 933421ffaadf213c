# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced: compdb BUILD_DIR -> prints the path of a compile_commands.json for
# the project. tests/quality.cmake makes the build export one; a build
# without it (configured before quality.cmake existed) gets a configure-only
# scratch tree with the same source, nothing built.
compdb() {
	local build=$1 scratch
	if [ -f "$build/compile_commands.json" ]; then
		echo "$build/compile_commands.json"
		return 0
	fi
	scratch=$build/quality-compdb
	cmake -S "$TOP" -B "$scratch" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
		-DCMAKE_INSTALL_PREFIX=/usr >/dev/null || return 1
	echo "$scratch/compile_commands.json"
}
