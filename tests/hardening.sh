#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Prove from the built binary itself (readelf, binutils) that the hardening
# STYLE.md asks for is really there: a flag dropped from the build, or a
# toolchain that ignores one, fails this test.
#   hardening.sh BINARY
# Each check prints "ok" or "FAIL"; exit 1 if any failed, 2 if BINARY cannot
# be read as an ELF file.
set -u
bin=${1:?usage: hardening.sh BINARY}
export LC_ALL=C
command -v readelf >/dev/null || { echo "hardening: readelf (binutils) is missing" >&2; exit 2; }
header=$(readelf -hW "$bin" 2>/dev/null) || { echo "hardening: $bin: not an ELF file" >&2; exit 2; }
dynamic=$(readelf -dW "$bin")
segments=$(readelf -lW "$bin")
# Undefined (imported) dynamic symbols, names without @version.
imports=$(readelf --dyn-syms -W "$bin" | awk '$7 == "UND" { sub(/@.*/, "", $8); print $8 }')
failed=0

check() { # name condition-result(0/1) detail
	if [ "$2" = 0 ]; then
		echo "ok      $1"
	else
		echo "FAIL    $1: $3"
		failed=1
	fi
}

# PIE: an ET_DYN executable (a shared library is ET_DYN too, hence the flag).
grep -qE '^ *Type: +DYN ' <<<"$header"
check "PIE: ELF type DYN" $? "$(grep -E '^ *Type:' <<<"$header" | sed 's/^ *//')"
grep -qE '\(FLAGS_1\).*\bPIE\b' <<<"$dynamic"
check "PIE: DF_1_PIE in FLAGS_1" $? "no PIE flag in the dynamic section"

# Full RELRO: the GOT is made read-only after relocation (GNU_RELRO), and
# every symbol is bound at start so nothing is left writable for lazy binding.
grep -qE '^ *GNU_RELRO ' <<<"$segments"
check "RELRO: GNU_RELRO segment" $? "no GNU_RELRO program header (-z relro)"
grep -qE '\(BIND_NOW\)|\(FLAGS\).*\bBIND_NOW\b|\(FLAGS_1\).*\bNOW\b' <<<"$dynamic"
check "RELRO: BIND_NOW (full RELRO)" $? "neither BIND_NOW nor FLAGS_1 NOW (-z now)"

# Stack protector: the failure handler is imported.
grep -qx '__stack_chk_fail' <<<"$imports"
check "stack protector: __stack_chk_fail imported" $? "not imported (-fstack-protector-strong)"

# FORTIFY_SOURCE: at least one checked libc variant (__memcpy_chk,
# __snprintf_chk ...) is imported.
fortified=$(grep -E '^__.*_chk$' <<<"$imports" | grep -vx '__stack_chk_fail' | head -3 | paste -sd' ')
[ -n "$fortified" ]
check "FORTIFY_SOURCE: *_chk imported${fortified:+ ($fortified ...)}" $? \
	"no __*_chk import (-D_FORTIFY_SOURCE=2 with optimization)"

# No executable stack: GNU_STACK present (absent means executable on most
# kernels) and its flags lack E.
stack=$(grep -E '^ *GNU_STACK ' <<<"$segments")
if [ -z "$stack" ]; then
	check "no executable stack" 1 "no GNU_STACK program header: the stack defaults to executable"
else
	# Columns: type offset vaddr paddr filesz memsz FLAGS align; FLAGS is
	# "RW " or "RWE" (a space stands for a missing letter).
	flags=$(sed -E 's/^ *GNU_STACK( +0x[0-9a-f]+){5} (.{3}) .*/\2/' <<<"$stack")
	[[ "$flags" != *E* ]]
	check "no executable stack (GNU_STACK $flags)" $? "GNU_STACK is executable (-z noexecstack)"
fi

# No RPATH/RUNPATH: ld.so drops only $ORIGIN-relative entries for a setuid
# program and still searches absolute ones: a build directory left there is
# a root exploit for whoever can write to it.
! grep -qE '\((RPATH|RUNPATH)\)' <<<"$dynamic"
check "no RPATH/RUNPATH" $? "$(grep -E '\((RPATH|RUNPATH)\)' <<<"$dynamic" | sed 's/^ *//' | paste -sd' ')"

# No text relocations (would need a writable, executable text segment).
! grep -qE '\(TEXTREL\)|\(FLAGS\).*\bTEXTREL\b' <<<"$dynamic"
check "no text relocations" $? "TEXTREL present"

[ "$failed" = 0 ] && echo "hardening: $bin: all checks passed" || echo "hardening: $bin: FAILED"
exit "$failed"
