#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build every libFuzzer harness in fuzz/ with clang-14 (ASan + UBSan) and run
# each for SECONDS (default: $UU_FUZZ_SECONDS, else 60), starting from its
# seed corpus in fuzz/corpus/NAME/.
#   bash fuzz/run.sh [SECONDS]            e.g. bash fuzz/run.sh 600
#   UU_FUZZ_ONLY=utab bash fuzz/run.sh    one harness
# ctest "fuzz" runs this with UU_FUZZ_SECONDS (default 20) per harness.
#
# New inputs go to a scratch corpus ($UU_FUZZ_WORK, default a temporary
# directory), never into fuzz/corpus/: add one by hand when it is worth
# keeping. Crashes are kept in $UU_FUZZ_WORK/NAME/ and the run fails.
# Without clang-14 and libFuzzer: exit 77 (skip), a failure under CI=true.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
seconds=${1:-${UU_FUZZ_SECONDS:-60}}
cc=${UU_FUZZ_CC:-clang-14}

skip() {
	if [ "${CI:-}" = true ]; then
		echo "fuzz: FAIL: $1, and CI=true forbids skipping" >&2
		exit 1
	fi
	echo "fuzz: SKIP: $1"
	exit 77
}

case "$seconds" in '' | *[!0-9]*) echo "fuzz: SECONDS must be a number: '$seconds'" >&2; exit 2 ;; esac
command -v "$cc" >/dev/null || skip "$cc is not installed"
command -v pkg-config >/dev/null || skip "pkg-config is not installed"
probe=$(mktemp -d)
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }' >"$probe/p.c"
"$cc" -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" 2>/dev/null ||
	{ rm -rf "$probe"; skip "$cc cannot link libFuzzer (package libclang-rt-14-dev)"; }
rm -rf "$probe"

# The sources each harness is linked with (relative to the top directory;
# globs allowed: policy/ is pure and links as a whole).
# A harness file without an entry here fails the run: none is skipped silently.
declare -A sources=(
	[parse]="policy/*.c"
	[utab]="helper/lookup/utab.c helper/lookup/optstr.c helper/lazylib.c helper/lookup/mounts.c helper/lookup/mounts_libmount.c helper/lookup/mounts_statmount.c"
	[json]="helper/output/json.c"
	[fstab]="helper/lookup/fstabparse.c helper/lookup/optstr.c"
	[options]="helper/options.c helper/output/report.c helper/output/json.c policy/*.c"
	[mountinfo]="helper/lazylib.c helper/lookup/mounts.c helper/lookup/mounts_libmount.c helper/lookup/mounts_statmount.c"
)
declare -A needs_root=([mountinfo]=1) # enters a mount namespace (see the harness)

# Not under /tmp: fuzz_mountinfo mounts a private tmpfs there.
work=${UU_FUZZ_WORK:-$(mktemp -d /var/tmp/uu-fuzz.XXXXXX)}
mkdir -p "$work"
cflags=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
	-fno-omit-frame-pointer -Wall -Wextra -Wno-macro-redefined
	-I"$top/helper" -I"$top/helper/lookup" -I"$top/helper/children" -I"$top/helper/output" -I"$top/helper/privileged" -I"$top/policy" -I"$top/fuzz" $(pkg-config --cflags mount))
libs=($(pkg-config --libs mount))
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

failed=""
summary=""
for src in "$here"/fuzz_*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	if [ -n "${UU_FUZZ_ONLY:-}" ] && [ "$name" != "$UU_FUZZ_ONLY" ]; then
		continue
	fi
	if [ -z "${sources[$name]+x}" ]; then
		echo "fuzz: $name: no entry in fuzz/run.sh's sources table" >&2
		failed="$failed $name"
		continue
	fi
	if [ -n "${needs_root[$name]:-}" ] && [ "$(id -u)" != 0 ]; then
		[ "${CI:-}" = true ] && { echo "fuzz: $name: needs root and CI=true" >&2; failed="$failed $name"; continue; }
		echo "fuzz: $name: skipped (needs root)"
		continue
	fi
	dir=$work/$name
	mkdir -p "$dir/corpus" "$dir/artifacts"
	srcs=()
	for s in ${sources[$name]}; do
		srcs+=($top/$s) # unquoted: the table may hold globs
	done
	if ! "$cc" "${cflags[@]}" "$src" "${srcs[@]}" "${libs[@]}" -o "$dir/fuzz_$name" 2>"$dir/build.log"; then
		cat "$dir/build.log" >&2
		echo "fuzz: $name: build failed" >&2
		failed="$failed $name"
		continue
	fi
	# The seeds are copied: a harness may hide /tmp (fuzz_mountinfo mounts
	# over it), and the checkout could be there.
	mkdir -p "$dir/seeds"
	[ -d "$here/corpus/$name" ] && cp -r "$here/corpus/$name/." "$dir/seeds/"
	echo "fuzz: $name: ${seconds}s from $(ls "$dir/seeds" | wc -l) seed input(s)"
	# Scratch corpus first: libFuzzer writes new inputs into the first dir.
	"$dir/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
		"$dir/corpus" "$dir/seeds" >"$dir/log" 2>&1
	rc=$?
	stats=$(grep -E '^#[0-9]+.*(DONE|cov:)' "$dir/log" | tail -1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log")
	cov=$(sed -E -n 's/.* cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+).*/cov \1, ft \2, corpus \3/p' <<<"$stats")
	line="$name: ${execs:-?} execs in ${seconds}s, ${cov:-no coverage line}"
	if [ "$rc" != 0 ]; then
		grep -E 'ERROR|check failed|SUMMARY|^ *#[0-9]+ 0x' "$dir/log" | head -20 >&2
		echo "fuzz: $name: FAILED (exit $rc); log $dir/log" >&2
		for a in "$dir"/artifacts/*; do
			[ -e "$a" ] && echo "fuzz: $name: reproduce: $dir/fuzz_$name $a" >&2
		done
		failed="$failed $name"
		line="$line — FAILED"
	fi
	summary="$summary$line"$'\n'
done

echo
printf '%s' "$summary"
if [ -n "$failed" ]; then
	echo "fuzz: FAILED:$failed (work dir $work kept)" >&2
	exit 1
fi
[ -n "${UU_FUZZ_WORK:-}" ] || rm -rf "$work"
echo "fuzz: all harnesses ran clean"
