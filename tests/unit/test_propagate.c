/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_propagate.c — policy_propagate_decide() as a table: one world of
 * mount namespaces (the caller's, 1; a slave copy of it, 2), each row
 * adding, replacing or dropping mounts, and the verdict with the mount
 * that blocks. Each rule of fs/pnode.c that the decision follows has a
 * row where it decides, and each refusal has one.
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "suite.h"

#define EXT4  0xef53
#define TMP   0x01021994
#define FUSE  0x65735546
#define MAXM  24
#define NONE_ POLICY_PROPAGATE_NONE

struct m {
	uint64_t id, parent, ns, pg, master, dev, magic;
	const char *root, *point;
};

/*
 * The caller's namespace 1: PM (10, shared, group 100) on /home, the
 * target T (11, a FUSE mount, shared as everything mounted on a shared
 * mount is: group 200) at /home/u/t. Namespace 2 was made from it with
 * slave propagation: PM' (20) and T' (21) are slaves of groups 100 and
 * 200, at the same places. Both have their own root and /tmp.
 */
static const struct m world[] = {
    {1, 1, 1, 0, 0, 1, EXT4, "/", "/"},
    {10, 1, 1, 100, 0, 10, TMP, "/", "/home"},
    {11, 10, 1, 200, 0, 20, FUSE, "/", "/home/u/t"},
    {2, 2, 2, 0, 0, 1, EXT4, "/", "/"},
    {20, 2, 2, 0, 100, 10, TMP, "/", "/home"},
    {21, 20, 2, 0, 200, 20, FUSE, "/", "/home/u/t"},
    {22, 2, 2, 0, 0, 30, TMP, "/", "/tmp"},
};

/* T with a mount D (12) inside it, and D's copy D' (24) inside T'. */
#define WITH_D                                                                                     \
	{12, 11, 1, 400, 0, 40, TMP, "/", "/home/u/t/d"},                                          \
	{                                                                                          \
		24, 21, 2, 0, 400, 40, TMP, "/", "/home/u/t/d"                                     \
	}

#define P POLICY_PROPAGATE_PLAIN
#define T POLICY_PROPAGATE_TREE
enum {
	UNKNOWN = POLICY_PROPAGATE_UNKNOWN,
	NOT_COPY = POLICY_PROPAGATE_NOT_COPY,
	ON_COPY = POLICY_PROPAGATE_ON_COPY,
	CLEAR = POLICY_PROPAGATE_CLEAR,
};

struct tcase {
	const char *name;
	struct m add[6]; /* an ID already in the world replaces that mount */
	uint64_t drop[2];
	enum policy_propagate_mode mode;
	uint64_t set[3]; /* default {11} */
	uint64_t parent; /* default 10 */
	int expect;
	uint64_t block, of; /* IDs; 0: none */
};

/* clang-format off */
static const struct tcase cases[] = {
    /* copies only */
    {"slave copy, plain", {{0}}, {0}, P, {0}, 0, CLEAR, 0, 0},
    {"slave copy, lazy", {{0}}, {0}, T, {0}, 0, CLEAR, 0, 0},
    {"slave copies of a subtree, lazy", {WITH_D}, {0}, T, {11, 12}, 0, CLEAR, 0, 0},
    {"the copy gone: nothing at the place", {{0}}, {21}, P, {0}, 0, CLEAR, 0, 0},
    /* the kernel picks by place, not by being a copy */
    {"another mount at T's place, plain",
     {{21, 20, 2, 0, 0, 50, TMP, "/", "/home/u/t"}}, {0}, P, {0}, 0, NOT_COPY, 21, 11},
    {"another mount at T's place, lazy",
     {{21, 20, 2, 0, 0, 50, TMP, "/", "/home/u/t"}}, {0}, T, {0}, 0, NOT_COPY, 21, 11},
    {"same super block, another root (a bind of another directory)",
     {{21, 20, 2, 0, 200, 20, FUSE, "/other", "/home/u/t"}}, {0}, P, {0}, 0, NOT_COPY, 21, 11},
    {"same device number, another type",
     {{21, 20, 2, 0, 200, 20, TMP, "/", "/home/u/t"}}, {0}, P, {0}, 0, NOT_COPY, 21, 11},
    {"a mount beside the place is not taken",
     {{21, 20, 2, 0, 0, 50, TMP, "/", "/home/u/x"}}, {0}, P, {0}, 0, CLEAR, 0, 0},
    {"a mount at a deeper path is not at the place",
     {{21, 20, 2, 0, 0, 50, TMP, "/", "/home/u/t/t"}}, {0}, P, {0}, 0, CLEAR, 0, 0},
    /* who receives */
    {"PM private: it propagates nowhere",
     {{10, 1, 1, 0, 0, 10, TMP, "/", "/home"}, {21, 20, 2, 0, 0, 50, TMP, "/", "/home/u/t"}},
     {0}, P, {0}, 0, CLEAR, 0, 0},
    {"PM' private: not a receiver",
     {{20, 2, 2, 0, 0, 10, TMP, "/", "/home"}, {21, 20, 2, 0, 0, 50, TMP, "/", "/home/u/t"}},
     {0}, P, {0}, 0, CLEAR, 0, 0},
    {"PM' a slave of another group",
     {{20, 2, 2, 0, 999, 10, TMP, "/", "/home"}, {21, 20, 2, 0, 0, 50, TMP, "/", "/home/u/t"}},
     {0}, P, {0}, 0, CLEAR, 0, 0},
    {"PM' a peer (shared namespace)",
     {{20, 2, 2, 100, 0, 10, TMP, "/", "/home"}, {21, 20, 2, 0, 0, 50, TMP, "/", "/home/u/t"}},
     {0}, P, {0}, 0, NOT_COPY, 21, 11},
    {"a peer in the caller's own namespace",
     {{13, 1, 1, 100, 0, 10, TMP, "/", "/mnt"}, {14, 13, 1, 0, 0, 50, TMP, "/", "/mnt/u/t"}},
     {0}, P, {0}, 0, NOT_COPY, 14, 11},
    {"a peer in the caller's own namespace with a copy",
     {{13, 1, 1, 100, 0, 10, TMP, "/", "/mnt"}, {14, 13, 1, 200, 0, 20, FUSE, "/", "/mnt/u/t"}},
     {0}, P, {0}, 0, CLEAR, 0, 0},
    {"slave of a slave that is shared (transitive)",
     {{20, 2, 2, 300, 100, 10, TMP, "/", "/home"}, {3, 3, 3, 0, 0, 1, EXT4, "/", "/"},
      {30, 3, 3, 0, 300, 10, TMP, "/", "/home"}, {31, 30, 3, 0, 0, 50, TMP, "/", "/home/u/t"}},
     {0}, P, {0}, 0, NOT_COPY, 31, 11},
    {"three groups down, listed before the groups they receive from",
     {{20, 2, 2, 300, 100, 10, TMP, "/", "/home"}, {3, 3, 4, 0, 0, 1, EXT4, "/", "/"},
      {4, 3, 4, 0, 500, 10, TMP, "/", "/home"}, {5, 4, 4, 0, 0, 50, TMP, "/", "/home/u/t"},
      {6, 6, 3, 0, 0, 1, EXT4, "/", "/"}, {7, 6, 3, 500, 300, 10, TMP, "/", "/home"}},
     {0}, P, {0}, 0, NOT_COPY, 5, 11},
    {"slave of a group nothing in the tree has",
     {{3, 3, 3, 0, 0, 1, EXT4, "/", "/"}, {30, 3, 3, 0, 300, 10, TMP, "/", "/home"},
      {31, 30, 3, 0, 0, 50, TMP, "/", "/home/u/t"}},
     {0}, P, {0}, 0, CLEAR, 0, 0},
    {"a slave does not propagate back to its master",
     {{10, 1, 1, 100, 50, 10, TMP, "/", "/home"}, {3, 3, 3, 0, 0, 1, EXT4, "/", "/"},
      {30, 3, 3, 50, 0, 10, TMP, "/", "/home"}, {31, 30, 3, 0, 0, 50, TMP, "/", "/home/u/t"}},
     {0}, P, {0}, 0, CLEAR, 0, 0},
    /* the place is the dentry, told from root and mount point */
    {"the receiver mounted elsewhere: same dentry, other path",
     {{20, 2, 2, 0, 100, 10, TMP, "/", "/srv/h"}, {21, 20, 2, 0, 0, 50, TMP, "/", "/srv/h/u/t"}},
     {0}, P, {0}, 0, NOT_COPY, 21, 11},
    {"the receiver a bind of a subdirectory: /u/t below /x is T's place",
     {{20, 2, 2, 0, 100, 10, TMP, "/u", "/x"}, {21, 20, 2, 0, 0, 50, TMP, "/", "/x/t"}},
     {0}, P, {0}, 0, NOT_COPY, 21, 11},
    {"the receiver a bind of a subdirectory: /u/u/t is not",
     {{20, 2, 2, 0, 100, 10, TMP, "/u", "/x"}, {21, 20, 2, 0, 0, 50, TMP, "/", "/x/u/t"}},
     {0}, P, {0}, 0, CLEAR, 0, 0},
    {"the receiver on its namespace's root",
     {{20, 2, 2, 0, 100, 10, TMP, "/", "/"}, {21, 20, 2, 0, 0, 50, TMP, "/", "/u/t"}},
     {0}, P, {0}, 0, NOT_COPY, 21, 11},
    {"PM a bind of a subdirectory too",
     {{10, 1, 1, 100, 0, 10, TMP, "/u", "/home"}, {20, 2, 2, 0, 100, 10, TMP, "/", "/x"},
      {21, 20, 2, 0, 0, 50, TMP, "/", "/x/u/u/t"}},
     {0}, P, {0}, 0, NOT_COPY, 21, 11},
    /* places that cannot be told */
    {"a receiver's child with no mount point (hidden)",
     {{21, 20, 2, 0, 0, 50, TMP, "/", NULL}}, {0}, P, {0}, 0, UNKNOWN, 21, 0},
    {"a receiver with no mount point",
     {{20, 2, 2, 0, 100, 10, TMP, "/", NULL}}, {0}, P, {0}, 0, UNKNOWN, 21, 0},
    {"a receiver with no root",
     {{20, 2, 2, 0, 100, 10, TMP, NULL, "/home"}}, {0}, P, {0}, 0, UNKNOWN, 21, 0},
    {"a receiver's child outside its mount point",
     {{21, 20, 2, 0, 200, 20, FUSE, "/", "/homeless/u/t"}}, {0}, P, {0}, 0, UNKNOWN, 21, 0},
    {"a receiver's child under another path",
     {{21, 20, 2, 0, 200, 20, FUSE, "/", "/abcd/u/t"}}, {0}, P, {0}, 0, UNKNOWN, 21, 0},
    {"the target with no mount point",
     {{11, 10, 1, 200, 0, 20, FUSE, "/", NULL}}, {0}, P, {0}, 0, UNKNOWN, 11, 0},
    {"the copy with no root",
     {{21, 20, 2, 0, 200, 20, FUSE, NULL, "/home/u/t"}}, {0}, P, {0}, 0, NOT_COPY, 21, 11},
    /* on and inside the copies */
    {"a mount stacked on the copy's root, plain",
     {{25, 21, 2, 0, 0, 50, TMP, "/", "/home/u/t"}}, {0}, P, {0}, 0, ON_COPY, 25, 11},
    {"a mount stacked on the copy's root, lazy",
     {{25, 21, 2, 0, 0, 50, TMP, "/", "/home/u/t"}}, {0}, T, {0}, 0, ON_COPY, 25, 11},
    {"a mount inside the copy, plain: the kernel leaves the copy",
     {{25, 21, 2, 0, 0, 50, TMP, "/", "/home/u/t/x"}}, {0}, P, {0}, 0, CLEAR, 0, 0},
    {"a mount inside the copy with no mount point, plain",
     {{25, 21, 2, 0, 0, 50, TMP, "/", NULL}}, {0}, P, {0}, 0, UNKNOWN, 25, 0},
    {"a mount inside the copy, lazy",
     {{25, 21, 2, 0, 0, 50, TMP, "/", "/home/u/t/x"}}, {0}, T, {0}, 0, ON_COPY, 25, 11},
    {"another mount at the place of a descendant, lazy",
     {WITH_D, {24, 21, 2, 0, 0, 50, TMP, "/", "/home/u/t/d"}}, {0}, T, {11, 12}, 0,
     NOT_COPY, 24, 12},
    {"a copy of a descendant that T no longer propagates to, lazy",
     {WITH_D, {11, 10, 1, 0, 0, 20, FUSE, "/", "/home/u/t"}}, {0}, T, {11, 12}, 0,
     ON_COPY, 24, 11},
    {"a copy of a member stacked on T, stacked on T', lazy",
     {{12, 11, 1, 400, 0, 40, TMP, "/", "/home/u/t"}, {24, 21, 2, 0, 400, 40, TMP, "/", "/home/u/t"}},
     {0}, T, {11, 12}, 0, CLEAR, 0, 0},
    /* the table must fit together and fit the request */
    {"the target's parent is not PM", {{0}}, {0}, P, {0}, 20, UNKNOWN, 0, 0},
    {"a member of the set is not in the table", {{0}}, {0}, P, {11, 77}, 0, UNKNOWN, 0, 0},
    {"a parent is not in the table", {{0}}, {2}, P, {0}, 0, UNKNOWN, 20, 0},
    {"lazy: a mount below T is missing from the set", {WITH_D}, {0}, T, {11}, 0, UNKNOWN, 12, 0},
    {"the set holds a namespace's root", {{0}}, {0}, P, {11, 1}, 0, UNKNOWN, 0, 0},
};
/* clang-format on */

static size_t build(const struct tcase *c, struct policy_ns_mount *v)
{
	struct m all[MAXM];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(world) / sizeof(world[0]); i++)
		all[n++] = world[i];
	for (size_t a = 0; a < 6 && c->add[a].id; a++) {
		size_t i = 0;

		while (i < n && all[i].id != c->add[a].id)
			i++;
		ck_assert(i < MAXM);
		all[i] = c->add[a];
		if (i == n)
			n++;
	}
	for (size_t d = 0; d < 2 && c->drop[d]; d++)
		for (size_t i = 0; i < n; i++)
			if (all[i].id == c->drop[d])
				all[i--] = all[--n];
	for (size_t i = 0; i < n; i++)
		v[i] = (struct policy_ns_mount){all[i].id,    all[i].parent, all[i].ns,
						all[i].pg,    all[i].master, all[i].dev,
						all[i].magic, all[i].root,   all[i].point};
	return n;
}

static int by_id(const void *a, const void *b)
{
	const struct policy_ns_mount *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static void decide(const struct policy_ns_mount *v, size_t n, uint64_t parent, const uint64_t *set,
		   size_t nset, enum policy_propagate_mode mode,
		   struct policy_propagate_verdict *out)
{
	struct policy_propagate_slot *work = calloc(n ? n : 1, sizeof(*work));

	ck_assert_ptr_nonnull(work);
	policy_propagate_decide(v, n, parent, set, nset, mode, work, out);
	free(work);
}

START_TEST(test_table)
{
	const struct tcase *c = &cases[_i];
	struct policy_ns_mount v[MAXM];
	struct policy_propagate_verdict out;
	uint64_t dflt[3] = {11, 0, 0};
	const uint64_t *set = c->set[0] ? c->set : dflt;
	size_t n = build(c, v), nset = 0;

	while (nset < 3 && set[nset])
		nset++;
	qsort(v, n, sizeof(v[0]), by_id);
	decide(v, n, c->parent ? c->parent : 10, set, nset, c->mode, &out);
	ck_assert_msg((int)out.result == c->expect, "%s: result %d, expected %d", c->name,
		      out.result, c->expect);
	ck_assert_msg(c->block ? out.index != NONE_ && v[out.index].id == c->block
			       : out.index == NONE_,
		      "%s: blocked by %llu, expected %llu", c->name,
		      out.index == NONE_ ? 0ULL : (unsigned long long)v[out.index].id,
		      (unsigned long long)c->block);
	ck_assert_msg(c->of ? out.copy_of != NONE_ && v[out.copy_of].id == c->of
			    : out.copy_of == NONE_,
		      "%s: copy of %llu, expected %llu", c->name,
		      out.copy_of == NONE_ ? 0ULL : (unsigned long long)v[out.copy_of].id,
		      (unsigned long long)c->of);
}
END_TEST

/* The table must be sorted by ID: a table out of order is unknown. */
START_TEST(test_unsorted)
{
	struct policy_ns_mount v[MAXM];
	struct policy_propagate_verdict out;
	uint64_t set[1] = {11};
	size_t n = build(&cases[0], v);

	qsort(v, n, sizeof(v[0]), by_id);
	decide(v, n, 10, set, 1, P, &out);
	ck_assert_int_eq(out.result, CLEAR);
	decide(v, n, 10, set, 0, P, &out); /* an empty set */
	ck_assert_int_eq(out.result, UNKNOWN);
	v[0].id = v[1].id; /* a duplicate */
	decide(v, n, 10, set, 1, P, &out);
	ck_assert_int_eq(out.result, UNKNOWN);
}
END_TEST

/*
 * A propagation tree wider than POLICY_PROPAGATE_GROUPS_MAX peer groups
 * (a chain of namespaces each a shared slave of the last) is unknown; one
 * group fewer still decides, and finds the foreign mount at the end.
 */
static void chain(size_t groups, struct policy_propagate_verdict *out)
{
	size_t n = 3 + 2 * groups, k = 0;
	struct policy_ns_mount *v = calloc(n, sizeof(*v));
	uint64_t set[1] = {3};

	ck_assert_ptr_nonnull(v);
	v[k++] = (struct policy_ns_mount){1, 1, 1, 0, 0, 1, EXT4, "/", "/"};
	v[k++] = (struct policy_ns_mount){2, 1, 1, 1000, 0, 10, TMP, "/", "/home"};
	v[k++] = (struct policy_ns_mount){3, 2, 1, 0, 0, 20, FUSE, "/", "/home/t"};
	for (size_t g = 1; g < groups; g++) {
		uint64_t id = 10 + 2 * g;

		v[k++] = (struct policy_ns_mount){id, id, 100 + g, 0, 0, 1, EXT4, "/", "/"};
		v[k++] = (struct policy_ns_mount){id + 1, id,  100 + g, 1000 + g, 1000 + g - 1,
						  10,     TMP, "/",     "/home"};
	}
	v[k++] = (struct policy_ns_mount){
	    1000000, 10 + 2 * (groups - 1) + 1, 99, 0, 0, 50, TMP, "/", "/home/t"};
	decide(v, k, 2, set, 1, P, out);
	free(v);
}

START_TEST(test_groups_bound)
{
	struct policy_propagate_verdict out;

	chain(POLICY_PROPAGATE_GROUPS_MAX, &out);
	ck_assert_int_eq(out.result, NOT_COPY);
	chain(POLICY_PROPAGATE_GROUPS_MAX + 1, &out);
	ck_assert_int_eq(out.result, UNKNOWN);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("propagate");
	TCase *tc = tcase_create("decide");

	tcase_add_loop_test(tc, test_table, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_unsorted);
	tcase_add_test(tc, test_groups_bound);
	suite_add_tcase(s, tc);
	return uu_run_suite(s);
}
