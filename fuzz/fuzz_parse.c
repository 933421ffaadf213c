/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_parse.c — libFuzzer harness for policy_parse_buffer().
 *
 *   clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -I policy \
 *       fuzz/fuzz_parse.c policy/parse.c -o fuzz_parse
 *   ./fuzz_parse -max_total_time=60 fuzz/corpus/parse
 *
 * (The fuzzer adds what it finds to the corpus directory it is given: run
 * it on a scratch copy to keep fuzz/corpus/parse small.)
 *
 * Each input is parsed into a fresh policy; then, split at its first form
 * feed (0x0c, which the parser refuses, so no rule spans the split), it is
 * appended as one or two buffers to a policy that already holds rules;
 * inputs starting with "#full" also go into a policy three rules short of
 * the limit. Besides the sanitizers, the harness checks what the parser
 * promises: all-or-nothing per buffer, rules that obey the grammar, error
 * positions inside the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

#define SEED_POLICY "permit :plugdev on /run/media/%u/* type vfat\ndeny * on /home\n"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_parse: check failed: %s (line %d)\n", #cond,         \
				__LINE__);                                                         \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static void check_rule(const struct policy_rule *r)
{
	CHECK((r->flags & ~(unsigned)POLICY_ALL_FLAGS) == 0);
	CHECK(r->permit || r->flags == 0);
	CHECK((r->who_kind == POLICY_WHO_ANY) == (r->who == NULL));
	CHECK(!r->who || (r->who[0] != '\0' && r->who[0] != '-' && strlen(r->who) <= 255));
	CHECK(!r->on || (r->on[0] == '/' && !has_control(r->on)));
	CHECK(!r->from || (r->from[0] != '\0' && !has_control(r->from)));
	CHECK(r->ntypes <= POLICY_MAX_TYPES && (r->ntypes == 0) == (r->types == NULL));
	for (size_t i = 0; i < r->ntypes; i++)
		CHECK(r->types[i][0] != '\0' && !strchr(r->types[i], ','));
	CHECK(r->file != NULL && r->line >= 1);
}

/* Rules from index first on (the earlier ones were checked when added). */
static void check_policy(const struct policy *p, size_t first)
{
	CHECK(p->nrules <= POLICY_MAX_RULES);
	for (size_t i = first; i < p->nrules; i++) {
		bool owned = false;

		check_rule(&p->rules[i]);
		for (size_t j = 0; j < p->nfiles; j++)
			owned = owned || p->rules[i].file == p->files[j];
		CHECK(owned);
	}
}

/* Parse one buffer into p and check the all-or-nothing promise. */
static void parse_into(struct policy *p, const char *file, const uint8_t *data, size_t size)
{
	struct policy_error err;
	size_t nrules = p->nrules, nfiles = p->nfiles;
	size_t newlines = 0;

	for (size_t i = 0; i < size; i++)
		newlines += data[i] == '\n';
	if (policy_parse_buffer(p, file, (const char *)data, size, &err) < 0) {
		CHECK(p->nrules == nrules && p->nfiles == nfiles);
		CHECK(memchr(err.file, '\0', sizeof(err.file)) != NULL);
		CHECK(memchr(err.message, '\0', sizeof(err.message)) != NULL);
		CHECK(err.message[0] != '\0' && !has_control(err.message));
		CHECK(strcmp(err.file, file) == 0);
		CHECK(err.line >= 1 && err.line <= newlines + 1);
		CHECK(err.column >= 1 && err.column <= POLICY_MAX_LINE + 1);
	} else {
		CHECK(p->nrules >= nrules && p->nrules <= nrules + newlines + 1);
		CHECK(p->nfiles == nfiles + (p->nrules > nrules));
	}
	check_policy(p, nrules);
}

/*
 * Inputs starting with FULL_MARK are also appended to a policy three rules
 * short of POLICY_MAX_RULES, to reach the rule limit with small inputs.
 */
#define FULL_MARK     "#full\n"
#define FULL_RULE     "deny *\n"
#define FULL_EXISTING (POLICY_MAX_RULES - 3)

/* Drop what a successful parse appended, so the near-full policy is reused. */
static void truncate_policy(struct policy *p, size_t nrules, size_t nfiles)
{
	for (size_t i = nrules; i < p->nrules; i++) {
		struct policy_rule *r = &p->rules[i];

		free(r->who);
		free(r->on);
		free(r->from);
		for (size_t j = 0; j < r->ntypes; j++)
			free(r->types[j]);
		free(r->types);
	}
	for (size_t i = nfiles; i < p->nfiles; i++)
		free(p->files[i]);
	p->nrules = nrules;
	p->nfiles = nfiles;
}

static void parse_near_full(const uint8_t *data, size_t size)
{
	static struct policy full;
	const size_t rl = strlen(FULL_RULE);

	if (full.nrules == 0) {
		char *filler = malloc(FULL_EXISTING * rl);

		CHECK(filler != NULL);
		for (size_t i = 0; i < FULL_EXISTING; i++)
			memcpy(filler + i * rl, FULL_RULE, rl);
		parse_into(&full, "filler.conf", (const uint8_t *)filler, FULL_EXISTING * rl);
		free(filler);
		CHECK(full.nrules == FULL_EXISTING && full.nfiles == 1);
	}
	parse_into(&full, "full.conf", data, size);
	truncate_policy(&full, FULL_EXISTING, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy fresh = {0}, seeded = {0};
	const uint8_t *ff = memchr(data, '\x0c', size);
	size_t first = ff ? (size_t)(ff - data) : size;

	parse_into(&fresh, "fuzz.conf", data, size);
	policy_free(&fresh);
	CHECK(fresh.rules == NULL && fresh.nrules == 0 && fresh.files == NULL);

	parse_into(&seeded, "seed.conf", (const uint8_t *)SEED_POLICY, strlen(SEED_POLICY));
	CHECK(seeded.nrules == 2);
	parse_into(&seeded, "one.conf", data, first);
	if (ff)
		parse_into(&seeded, "two.conf", ff + 1, size - first - 1);
	policy_free(&seeded);

	if (size >= strlen(FULL_MARK) && memcmp(data, FULL_MARK, strlen(FULL_MARK)) == 0)
		parse_near_full(data, size);
	return 0;
}
