/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_tree.c — policy_decide_tree() as a table (the mounts besides the
 * target that one umount2() can reach: below, shared, beneath, neighbours,
 * a FUSE parent), and tree_gather() failing closed when a lookup fails:
 * a statmount EOVERFLOW in the beneath lookup (a mount root path past the
 * buffer) is injected by wrapping the backends at link time
 * (-Wl,--wrap=mounts_statmount_lookup,--wrap=mounts_libmount_lookup).
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "facts.h"
#include "policy.h"
#include "suite.h"
#include "target.h"
#include "tree.h"

enum { NONE = 0, L = POLICY_LAZY, F = POLICY_FORCE, E = POLICY_EXPIRE };

/* The mounts a row can name: OK (fstab users: plain, lazy, expire; not
 * force), NO (nothing entitles the caller), UNKNOWN (facts missing). */
enum kind { OK = 1, NO, UNKNOWN };

static const struct policy_fstab users = {.file = "/etc/fstab", .line = 3, .users = true};
static const struct policy_mount m_ok = {
    .target = "/m/ok", .source = "tmpfs", .fstype = "tmpfs", .fstab = &users};
static const struct policy_mount m_no = {.target = "/m/no", .source = "tmpfs", .fstype = "tmpfs"};
static const struct policy_caller caller = {.uid = 4100, .name = "uualice"};

struct row {
	enum policy_tree_role role;
	enum kind kind;
	unsigned stack, level; /* neighbours: their stack and level in it */
	bool top, fixed;
};

struct tcase {
	const char *name;
	struct row m[4];
	size_t n;
	bool incomplete, recursive, parent_fuse, unpinned;
	bool scanned;                     /* every namespace scanned: propagation decides */
	enum policy_propagate_result got; /* the scan's verdict */
	unsigned flags;
	enum policy_tree_result expect;
	size_t index; /* checked unless expect is CLEAR */
};

#define B  POLICY_TREE_BELOW
#define S  POLICY_TREE_SHARED
#define BN POLICY_TREE_BENEATH
#define NB POLICY_TREE_NEIGHBOUR

/* clang-format off */
static const struct tcase cases[] = {
    /* facts missing: nothing is known, nothing is unmounted */
    {.name = "incomplete", .m = {{B, OK}}, .n = 1, .incomplete = true,
     .expect = POLICY_TREE_UNKNOWN},
    {.name = "incomplete before parent FUSE", .n = 0, .incomplete = true, .parent_fuse = true,
     .expect = POLICY_TREE_UNKNOWN},
    {.name = "incomplete, empty", .n = 0, .incomplete = true, .expect = POLICY_TREE_UNKNOWN},
    {.name = "unknown neighbour", .m = {{BN, OK}, {NB, UNKNOWN}}, .n = 2,
     .expect = POLICY_TREE_UNKNOWN, .index = 1},
    {.name = "unknown below blocks even a plain unmount", .m = {{NB, OK}, {NB, OK}, {B, UNKNOWN}},
     .n = 3, .expect = POLICY_TREE_UNKNOWN, .index = 2},
    {.name = "unknown shared", .m = {{S, UNKNOWN}}, .n = 1, .expect = POLICY_TREE_UNKNOWN},
    {.name = "unknown before a denied one", .m = {{BN, NO}, {NB, UNKNOWN}}, .n = 2,
     .expect = POLICY_TREE_UNKNOWN, .index = 1},
    /* below: only --lazy and --recursive take it */
    {.name = "below denied, plain", .m = {{B, NO}}, .n = 1, .expect = POLICY_TREE_CLEAR},
    {.name = "below denied, expire", .m = {{B, NO}}, .n = 1, .flags = E,
     .expect = POLICY_TREE_CLEAR},
    {.name = "below denied, lazy", .m = {{B, OK}, {B, NO}}, .n = 2, .flags = L,
     .expect = POLICY_TREE_BELOW_DENIED, .index = 1},
    {.name = "below denied, recursive", .m = {{B, NO}}, .n = 1, .recursive = true,
     .expect = POLICY_TREE_BELOW_DENIED},
    {.name = "below entitled, lazy", .m = {{B, OK}, {B, OK}}, .n = 2, .flags = L,
     .expect = POLICY_TREE_CLEAR},
    {.name = "below: lazy is the target's flag only", .m = {{B, OK}}, .n = 1, .flags = L | E,
     .expect = POLICY_TREE_CLEAR},
    /* shared: refused for --lazy/--recursive whoever may unmount it */
    {.name = "shared, plain", .m = {{S, OK}}, .n = 1, .expect = POLICY_TREE_CLEAR},
    {.name = "shared, lazy", .m = {{S, OK}}, .n = 1, .flags = L,
     .expect = POLICY_TREE_PROPAGATES},
    {.name = "shared, recursive", .m = {{B, OK}, {S, OK}}, .n = 2, .recursive = true,
     .expect = POLICY_TREE_PROPAGATES, .index = 1},
    /* shared, every namespace scanned: the scan's verdict decides */
    {.name = "scanned clear, lazy", .m = {{S, OK}}, .n = 1, .flags = L, .scanned = true,
     .got = POLICY_PROPAGATE_CLEAR, .expect = POLICY_TREE_CLEAR},
    {.name = "scanned clear, recursive", .m = {{B, OK}, {S, OK}}, .n = 2, .recursive = true,
     .scanned = true, .got = POLICY_PROPAGATE_CLEAR, .expect = POLICY_TREE_CLEAR},
    {.name = "scanned: takes another mount, plain", .m = {{S, OK}}, .n = 1, .scanned = true,
     .got = POLICY_PROPAGATE_NOT_COPY, .expect = POLICY_TREE_TAKES_OTHER},
    {.name = "scanned: a mount on a copy, lazy", .m = {{S, OK}}, .n = 1, .flags = L,
     .scanned = true, .got = POLICY_PROPAGATE_ON_COPY, .expect = POLICY_TREE_TAKES_OTHER},
    {.name = "scanned: a place that cannot be told", .m = {{S, OK}}, .n = 1, .scanned = true,
     .got = POLICY_PROPAGATE_UNKNOWN, .expect = POLICY_TREE_UNKNOWN},
    {.name = "scanned refusal with no entry naming it", .n = 0, .scanned = true,
     .got = POLICY_PROPAGATE_NOT_COPY, .expect = POLICY_TREE_UNKNOWN},
    {.name = "scanned: below denied named first", .m = {{S, OK}, {B, NO}}, .n = 2, .flags = L,
     .scanned = true, .got = POLICY_PROPAGATE_NOT_COPY, .expect = POLICY_TREE_BELOW_DENIED,
     .index = 1},
    /* beneath: with the request's flags */
    {.name = "beneath denied", .m = {{BN, NO}}, .n = 1, .expect = POLICY_TREE_BENEATH_DENIED},
    {.name = "beneath entitled", .m = {{BN, OK}}, .n = 1, .expect = POLICY_TREE_CLEAR},
    {.name = "beneath entitled, not to force", .m = {{BN, OK}}, .n = 1, .flags = F,
     .expect = POLICY_TREE_BENEATH_DENIED},
    {.name = "beneath, second denied", .m = {{BN, OK}, {BN, NO}}, .n = 2,
     .expect = POLICY_TREE_BENEATH_DENIED, .index = 1},
    /* neighbours: pinned, so whoever may unmount them, a plain unmount is clear */
    {.name = "neighbour denied, pinned", .m = {{NB, OK, 1, 0, true}, {NB, NO, 2, 0, true}},
     .n = 2, .expect = POLICY_TREE_CLEAR},
    {.name = "neighbour entitled", .m = {{NB, OK, 1, 0, true}}, .n = 1,
     .expect = POLICY_TREE_CLEAR},
    {.name = "neighbour denied, expire", .m = {{NB, NO, 1, 0, true}}, .n = 1, .flags = E,
     .expect = POLICY_TREE_CLEAR},
    /* --force aborts before the kernel looks at a pin: the top must be forcible */
    {.name = "neighbour denied, force", .m = {{NB, NO, 1, 0, true}}, .n = 1, .flags = F,
     .expect = POLICY_TREE_NEIGHBOUR_DENIED},
    {.name = "neighbour entitled, not to force", .m = {{NB, OK, 1, 0, true}}, .n = 1,
     .flags = F, .expect = POLICY_TREE_NEIGHBOUR_DENIED},
    {.name = "fixed neighbour, force", .m = {{NB, NO, 1, 0, true, true}}, .n = 1, .flags = F,
     .expect = POLICY_TREE_CLEAR},
    {.name = "fixed neighbour, unknown", .m = {{NB, UNKNOWN, 1, 0, true, true}}, .n = 1,
     .expect = POLICY_TREE_CLEAR},
    {.name = "not pinned", .m = {{NB, OK, 1, 0, true}}, .n = 1, .unpinned = true,
     .expect = POLICY_TREE_UNKNOWN, .index = 1},
    {.name = "not pinned, empty", .n = 0, .unpinned = true, .expect = POLICY_TREE_UNKNOWN},
    /* a stack: the pin on the top does not hold what the caller can take off */
    {.name = "removable over denied", .m = {{NB, NO, 1, 0}, {NB, OK, 1, 1, true}}, .n = 2,
     .expect = POLICY_TREE_STACK_UNPINNABLE, .index = 0},
    {.name = "removable over denied, force", .m = {{NB, NO, 1, 0}, {NB, OK, 1, 1, true}},
     .n = 2, .flags = F, .expect = POLICY_TREE_STACK_UNPINNABLE, .index = 0},
    {.name = "denied over entitled", .m = {{NB, OK, 1, 0}, {NB, NO, 1, 1, true}}, .n = 2,
     .expect = POLICY_TREE_CLEAR},
    {.name = "denied over denied", .m = {{NB, NO, 1, 0}, {NB, NO, 1, 1, true}}, .n = 2,
     .expect = POLICY_TREE_CLEAR},
    {.name = "two stacks", .m = {{NB, NO, 1, 0, true}, {NB, OK, 2, 0, true}}, .n = 2,
     .expect = POLICY_TREE_CLEAR},
    {.name = "removable over denied, fixed", .m = {{NB, NO, 1, 0, false, true},
     {NB, OK, 1, 1, true, true}}, .n = 2, .expect = POLICY_TREE_CLEAR},
    {.name = "unknown in a stack", .m = {{NB, UNKNOWN, 1, 0}, {NB, OK, 1, 1, true}}, .n = 2,
     .expect = POLICY_TREE_UNKNOWN, .index = 0},
    /* the order: below, shared, beneath, neighbours */
    {.name = "below named before neighbour", .m = {{NB, NO}, {BN, NO}, {B, NO}}, .n = 3,
     .flags = L, .expect = POLICY_TREE_BELOW_DENIED, .index = 2},
    {.name = "shared before beneath", .m = {{BN, NO}, {S, OK}}, .n = 2, .flags = L,
     .expect = POLICY_TREE_PROPAGATES, .index = 1},
    {.name = "beneath before neighbour", .m = {{NB, NO}, {BN, NO}}, .n = 2,
     .expect = POLICY_TREE_BENEATH_DENIED, .index = 1},
    /* a mount point inside FUSE: refused even when all else is clear */
    {.name = "parent FUSE, empty", .n = 0, .parent_fuse = true, .expect = POLICY_TREE_PARENT_FUSE},
    {.name = "parent FUSE, all entitled", .m = {{NB, OK}, {BN, OK}}, .n = 2, .parent_fuse = true,
     .expect = POLICY_TREE_PARENT_FUSE},
    {.name = "parent FUSE before unknown", .m = {{NB, UNKNOWN}}, .n = 1, .parent_fuse = true,
     .expect = POLICY_TREE_PARENT_FUSE},
    /* all clear */
    {.name = "empty", .n = 0, .expect = POLICY_TREE_CLEAR},
    {.name = "all entitled, lazy", .m = {{B, OK}, {BN, OK}, {NB, OK}, {NB, OK}}, .n = 4,
     .flags = L, .expect = POLICY_TREE_CLEAR},
    {.name = "all entitled, recursive", .m = {{B, OK}, {BN, OK}, {NB, OK}}, .n = 3,
     .recursive = true, .expect = POLICY_TREE_CLEAR},
};
/* clang-format on */

START_TEST(test_decide_tree)
{
	const struct tcase *c = &cases[_i];
	struct policy_tree_mount ms[4];
	struct policy p = {0};
	struct policy_request rq = {&caller, &m_ok, c->flags};
	struct policy_tree t = {ms,
				c->n,
				.incomplete = c->incomplete,
				.recursive = c->recursive,
				.parent_asks_daemon = c->parent_fuse,
				.unpinned = c->unpinned ? "/m/unpinned" : NULL,
				.scanned = c->scanned,
				.propagation = c->got};
	struct policy_tree_verdict v = {.result = POLICY_TREE_CLEAR, .index = 99};

	for (size_t i = 0; i < c->n; i++) {
		ms[i].role = c->m[i].role;
		ms[i].target = "/m/x";
		ms[i].mount = c->m[i].kind == OK ? &m_ok : c->m[i].kind == NO ? &m_no : NULL;
		ms[i].stack = c->m[i].stack;
		ms[i].level = c->m[i].level;
		ms[i].top = c->m[i].top;
		ms[i].fixed = c->m[i].fixed;
	}
	policy_decide_tree(&p, &rq, &t, &v);
	ck_assert_msg(v.result == c->expect, "%s: result %d, expected %d", c->name, v.result,
		      c->expect);
	if (c->expect != POLICY_TREE_CLEAR)
		ck_assert_msg(v.index == c->index, "%s: index %zu, expected %zu", c->name, v.index,
			      c->index);
}
END_TEST

/*
 * The backends, wrapped: a lookup of the poisoned mount ID fails as
 * statmount(2) does when a mount's root path exceeds its buffer.
 */
static struct mount_id poisoned;

int __real_mounts_statmount_lookup(const struct mount_id *id, struct mount_facts *out);
int __real_mounts_libmount_lookup(const struct mount_id *id, struct mount_facts *out);
int __wrap_mounts_statmount_lookup(const struct mount_id *id, struct mount_facts *out);
int __wrap_mounts_libmount_lookup(const struct mount_id *id, struct mount_facts *out);

int __wrap_mounts_statmount_lookup(const struct mount_id *id, struct mount_facts *out)
{
	if (poisoned.legacy && id->legacy == poisoned.legacy)
		return -EOVERFLOW;
	return __real_mounts_statmount_lookup(id, out);
}

int __wrap_mounts_libmount_lookup(const struct mount_id *id, struct mount_facts *out)
{
	if (poisoned.legacy && id->legacy == poisoned.legacy)
		return -EOVERFLOW;
	return __real_mounts_libmount_lookup(id, out);
}

/* A target as the resolver pins it: the parent directory and the mount. */
static void pin(const char *dir, const char *last, struct target *t)
{
	bool root;
	int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	memset(t, 0, sizeof(*t));
	ck_assert(fd >= 0 && target_mount_ids(fd, &t->root_id, &root) == 0);
	close(fd);
	snprintf(t->last, sizeof(t->last), "%s", last);
	t->parent_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	ck_assert(t->parent_fd >= 0);
	t->fd = openat(t->parent_fd, last, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	ck_assert(t->fd >= 0);
	ck_assert(target_mount_ids(t->fd, &t->id, &root) == 0 && root);
}

/* In a private namespace: a root-owned 0755 tmpfs D (so the caller's
 * neighbour walk does not run) with a tmpfs stacked twice on D/a. Gather
 * the tree of the top one, with the mount beneath it poisoned or not. */
static void gather_stacked(bool poison, unsigned flags, struct tree *tr,
			   enum policy_tree_result *res)
{
	const char *d = "/tmp/uu-tree";
	struct policy p = {0};
	struct policy_request rq;
	struct policy_tree_verdict v;
	struct tree_request trq;
	struct target t;
	struct facts f;
	int err;

	ck_assert_msg(unshare(CLONE_NEWNS) == 0, "unshare: %s", strerror(errno));
	ck_assert(mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0);
	ck_assert(mount("uu-test", "/tmp", "tmpfs", 0, "mode=1777") == 0); /* not the host's */
	ck_assert(mkdir(d, 0755) == 0);
	ck_assert(mount("uu-tree", d, "tmpfs", 0, "mode=755") == 0);
	ck_assert(mkdir("/tmp/uu-tree/a", 0755) == 0);
	ck_assert(mount("uu-below", "/tmp/uu-tree/a", "tmpfs", 0, NULL) == 0);
	ck_assert(mount("uu-top", "/tmp/uu-tree/a", "tmpfs", 0, NULL) == 0);
	pin(d, "a", &t);
	ck_assert(facts_gather(&t.id, &t.root_id, &f, &err) == FACTS_OK);
	if (poison)
		poisoned = f.mount.parent; /* the mount beneath the target */
	trq = (struct tree_request){&t, &f, flags, false, false, 4100};
	tree_gather(&trq, tr);
	poisoned = (struct mount_id){0};
	/* the mount beneath is root's (no fstab entry): with facts it blocks */
	rq = (struct policy_request){&caller, &f.pm, flags};
	policy_decide_tree(&p, &rq, &tr->pt, &v);
	*res = v.result;
	facts_free(&f);
	target_close(&t);
}

START_TEST(test_beneath_overflow_refuses)
{
	enum policy_tree_result res;
	struct tree tr;

	gather_stacked(true, NONE, &tr, &res);
	ck_assert_msg(tr.pt.incomplete, "a failed beneath lookup left the tree complete");
	ck_assert_int_eq(tr.err, EOVERFLOW);
	ck_assert_int_eq(res, POLICY_TREE_UNKNOWN);
	tree_free(&tr);
}
END_TEST

/* The control: without the injected failure the mount beneath is found
 * and (root's, not the caller's) blocks as BENEATH. */
START_TEST(test_beneath_found)
{
	enum policy_tree_result res;
	struct tree tr;

	gather_stacked(false, NONE, &tr, &res);
	ck_assert(!tr.pt.incomplete);
	ck_assert_int_eq(res, POLICY_TREE_BENEATH_DENIED);
	tree_free(&tr);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tree");
	TCase *tc = tcase_create("decide");
	TCase *tg = tcase_create("gather");

	tcase_add_loop_test(tc, test_decide_tree, 0, sizeof(cases) / sizeof(cases[0]));
	suite_add_tcase(s, tc);
	if (geteuid() == 0) {
		tcase_add_test(tg, test_beneath_overflow_refuses);
		tcase_add_test(tg, test_beneath_found);
		suite_add_tcase(s, tg);
	} else {
		printf("NOTE: not root: the tree_gather cases (mount namespaces) are left out\n");
	}
	return uu_run_suite(s);
}
