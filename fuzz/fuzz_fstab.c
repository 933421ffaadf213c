/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_fstab.c — libFuzzer harness: the helper's fstab reading
 * (fstabparse.c) and option items (optstr.c) against libmount 2.38's on
 * the same bytes (fstab_oracle.h). Any difference aborts; so does any
 * read past the input (the sanitizers).
 *
 *   bash fuzz/run.sh    (or UU_FUZZ_ONLY=fstab bash fuzz/run.sh 600)
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fstab_oracle.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *copy = size ? malloc(size) : NULL; /* exactly sized: ASan sees overreads */
	const char *why;

	if (size && !copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	why = fstab_oracle_check(copy ? copy : "", size);
	if (why) {
		fprintf(stderr, "fuzz_fstab: %s differs from libmount\n", why);
		abort();
	}
	free(copy);
	return 0;
}
