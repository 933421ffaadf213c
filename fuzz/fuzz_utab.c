/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_utab.c — libFuzzer harness for utab_parse_line() and the "user="
 * lookup the helper does on a utab entry's OPTS (optstr_get, held to
 * libmount's mnt_optstr_get_option).
 *
 *   clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
 *       -I helper -I policy fuzz/fuzz_utab.c helper/utab.c \
 *       $(pkg-config --cflags --libs mount) -o fuzz_utab
 *   ./fuzz_utab -max_total_time=60 fuzz/corpus/utab     (or: bash fuzz/run.sh)
 *
 * The input is split into lines at '\n' as utab_lookup() does; each line is
 * parsed from an exactly sized heap copy, so ASan sees any read past it.
 * Besides the sanitizers, checked:
 *   - the result is 0 or -EINVAL, and 0 only with a TARGET;
 *   - every field points into the line and is no longer than its raw value;
 *   - round trip: the fields, \ooo-escaped again and written as a new line,
 *     parse back to the very same bytes (unescape is escape's inverse);
 *   - optstr_get() answers what mnt_optstr_get_option() answers;
 *   - "user=" from OPTS is the value of an option named exactly "user":
 *     "fuser=x" or "user2=x" must never give x (the 2.38 prefix bug).
 */
#include <errno.h>
#include <libmount/libmount.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optstr.h"
#include "utab.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_utab: check failed: %s (line %d)\n", #cond,          \
				__LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define NFIELDS 5

static const char *const keys[NFIELDS] = {"SRC", "TARGET", "ROOT", "OPTS", "ID"};

static void fields(struct utab_entry *e, const char **out[NFIELDS])
{
	out[0] = &e->src;
	out[1] = &e->target;
	out[2] = &e->root;
	out[3] = &e->opts;
	out[4] = &e->id;
}

/* Each byte libmount would escape, and every other non-printable, as \ooo. */
static size_t escape(const char *s, char *out)
{
	size_t o = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= 0x20 || c == '\\' || c >= 0x7f)
			o += (size_t)sprintf(out + o, "\\%03o", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
	return o;
}

static void check_round_trip(struct utab_entry *e)
{
	const char **f[NFIELDS], **g[NFIELDS];
	struct utab_entry again;
	size_t cap = 1, len = 0;
	char *line;

	fields(e, f);
	for (int i = 0; i < NFIELDS; i++)
		if (*f[i])
			cap += strlen(keys[i]) + 2 + 4 * strlen(*f[i]);
	line = malloc(cap);
	CHECK(line != NULL);
	line[0] = '\0';
	/* Reverse order on purpose: the key order must not matter. */
	for (int i = NFIELDS - 1; i >= 0; i--) {
		if (!*f[i])
			continue;
		len += (size_t)sprintf(line + len, "%s%s=", len ? " " : "", keys[i]);
		len += escape(*f[i], line + len);
	}
	CHECK(len < cap);
	CHECK(utab_parse_line(line, &again) == 0);
	fields(&again, g);
	for (int i = 0; i < NFIELDS; i++)
		CHECK((*f[i] == NULL) == (*g[i] == NULL) && (!*f[i] || strcmp(*f[i], *g[i]) == 0));
	free(line);
}

/*
 * The helper's user_of(): the value of option "user" in OPTS. Whatever
 * libmount answers must be the value of an option whose whole name is
 * "user": it starts right after "user=", which starts OPTS or follows ','.
 */
static void check_user(const char *opts)
{
	char *val = NULL;
	size_t vlen = 0, olen = strlen(opts);
	char *lval = NULL;
	size_t lvlen = 0;
	int r = optstr_get(opts, "user", &val, &vlen);

	/* The helper's reading is libmount's, to the byte. */
	CHECK(r == mnt_optstr_get_option(opts, "user", &lval, &lvlen));
	CHECK(r != 0 || (val == lval && vlen == lvlen));
	CHECK(r <= 1);
	if (r != 0 || !val)
		return;
	CHECK(val >= opts + 5 && val <= opts + olen && vlen <= olen - (size_t)(val - opts));
	CHECK(memcmp(val - 5, "user=", 5) == 0);
	CHECK(val - 5 == opts || val[-6] == ',');
	/* The value ends at the first ',' outside double quotes. */
	for (size_t i = 0, quoted = 0; i < vlen; i++) {
		quoted ^= val[i] == '"';
		CHECK(quoted || val[i] != ',');
	}
}

static void one_line(const char *data, size_t size)
{
	struct utab_entry e;
	const char **f[NFIELDS];
	char *line = malloc(size + 1);
	int r;

	CHECK(line != NULL);
	memcpy(line, data, size);
	line[size] = '\0';
	r = utab_parse_line(line, &e);
	CHECK(r == 0 || r == -EINVAL);
	if (r == 0) {
		CHECK(e.target != NULL);
		fields(&e, f);
		for (int i = 0; i < NFIELDS; i++)
			CHECK(!*f[i] || (*f[i] > line && *f[i] <= line + size &&
					 strlen(*f[i]) <= (size_t)(line + size - *f[i])));
		if (e.opts)
			check_user(e.opts);
		check_round_trip(&e);
	}
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;

	/* utab_lookup() reads a C string: nothing after a NUL is ever seen. */
	end = memchr(p, '\0', size) ? (const char *)memchr(p, '\0', size) : end;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n > 0) /* strtok_r skips empty lines */
			one_line(p, n);
		p += n + 1;
	}
	/* And OPTS-like text straight from the input, not only parsed values. */
	if (size > 0 && size < 4096 && !memchr(data, '\0', size)) {
		char *opts = malloc(size + 1);

		CHECK(opts != NULL);
		memcpy(opts, data, size);
		opts[size] = '\0';
		check_user(opts);
		free(opts);
	}
	return 0;
}
