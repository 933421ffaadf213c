/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_options.c — libFuzzer harness for options_parse(), the first thing
 * the setuid helper does with attacker-chosen bytes.
 *
 *   clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -I helper -I policy \
 *       fuzz/fuzz_options.c helper/options.c helper/report.c helper/json.c \
 *       -o fuzz_options     (report.c: for report_escape(), which options.c may use)
 *   ./fuzz_options -max_total_time=60 fuzz/corpus/options  (or: bash fuzz/run.sh)
 *
 * The input is argv: arguments separated by NUL bytes, each in its own
 * exactly sized heap block (ASan sees a read past any of them), freed after
 * the call. Each input is parsed twice, the second time after an unrelated
 * argv, so state left in getopt from one call cannot leak into the next.
 * Checked, besides the sanitizers:
 *   - the result is 0 or -1; -1 comes with a one-line message (options.h)
 *     of printable bytes only (SECURITY.md: hostile bytes never reach the
 *     terminal raw) — even when the bad option is "--\n\033[2J";
 *   - only lazy/force/expire flags; on 0 with OPTIONS_RUN: never expire
 *     with lazy or force, at least one TARGET, each non-empty, shorter than
 *     PATH_MAX, and the tail of argv itself;
 *   - both parses of the same argv agree.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "policy.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_options: check failed: %s (line %d)\n", #cond,       \
				__LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define MAX_ARGS 64
#define MSG_LEN  256

struct result {
	int r;
	struct options o;
	char msg[MSG_LEN];
};

static int make_argv(const uint8_t *data, size_t size, char **argv)
{
	int argc = 0;
	size_t i = 0;

	argv[argc++] = strdup("user-umount");
	while (i < size && argc < MAX_ARGS) {
		const uint8_t *nul = memchr(data + i, '\0', size - i);
		size_t n = nul ? (size_t)(nul - (data + i)) : size - i;

		argv[argc] = malloc(n + 1);
		CHECK(argv[argc] != NULL);
		memcpy(argv[argc], data + i, n);
		argv[argc++][n] = '\0';
		i += n + 1;
	}
	argv[argc] = NULL;
	return argc;
}

static void free_argv(char **argv)
{
	for (int i = 0; argv[i]; i++)
		free(argv[i]);
}

static void parse(int argc, char **argv, struct result *res)
{
	memset(res->msg, 'x', sizeof(res->msg));
	res->r = options_parse(argc, argv, &res->o, res->msg, sizeof(res->msg));
}

static void check(int argc, char **argv, const struct result *res)
{
	const struct options *o = &res->o;

	CHECK(res->r == 0 || res->r == -1);
	if (res->r < 0) {
		CHECK(memchr(res->msg, '\0', sizeof(res->msg)) != NULL);
		CHECK(res->msg[0] != '\0');
		for (const char *p = res->msg; *p; p++)
			CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
		return;
	}
	CHECK((o->flags & ~(unsigned)(POLICY_LAZY | POLICY_FORCE | POLICY_EXPIRE)) == 0);
	if (o->action != OPTIONS_RUN) /* --help/--version stop at once */
		return;
	CHECK(!(o->flags & POLICY_EXPIRE) || !(o->flags & (POLICY_LAZY | POLICY_FORCE)));
	CHECK(o->ntargets >= 1 && o->ntargets <= OPTIONS_MAX_TARGETS);
	CHECK(o->targets + o->ntargets == argv + argc);
	for (size_t i = 0; i < o->ntargets; i++)
		CHECK(o->targets[i][0] != '\0' && strlen(o->targets[i]) < PATH_MAX);
}

/* A parse that stops inside a cluster of short options ("-hl"). */
static void unrelated_parse(void)
{
	char a0[] = "user-umount", a1[] = "-Vlq", a2[] = "--dry-run";
	char *argv[] = {a0, a1, a2, NULL};
	struct result res;

	parse(3, argv, &res);
	CHECK(res.r == 0 && res.o.action == OPTIONS_VERSION);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS + 1];
	struct result first, second;
	int argc = make_argv(data, size, argv);

	parse(argc, argv, &first);
	check(argc, argv, &first);
	unrelated_parse();
	parse(argc, argv, &second);
	check(argc, argv, &second);
	CHECK(first.r == second.r);
	CHECK(first.r < 0
		  ? strcmp(first.msg, second.msg) == 0
		  : first.o.action == second.o.action && first.o.flags == second.o.flags &&
			first.o.ntargets == second.o.ntargets &&
			first.o.targets == second.o.targets &&
			first.o.recursive == second.o.recursive &&
			first.o.dry_run == second.o.dry_run && first.o.json == second.o.json &&
			first.o.verbose == second.o.verbose && first.o.quiet == second.o.quiet);
	free_argv(argv);
	return 0;
}
