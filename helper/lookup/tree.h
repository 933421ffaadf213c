/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tree — the facts about every mount besides the target that one
 * umount2(LAST) from the pinned parent can reach: the mounts below it
 * (--lazy, --recursive), the shared mounts the unmount propagates from,
 * the mounts beneath it at the same mount point, and the neighbours whose
 * mount point the caller could rename into the target's place.
 * policy_decide_tree() then decides from these facts alone; see
 * docs/DESIGN.md, "Which mount umount2() reaches".
 *
 * Lookups only: nothing here needs a capability or opens anything as root
 * (pins.c does that), and every failure leaves the tree incomplete (which
 * the policy treats as a refusal).
 */
#ifndef USER_UMOUNT_TREE_H
#define USER_UMOUNT_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "facts.h"
#include "policy.h"
#include "target.h"

/* Deeper stacks are refused: nobody stacks this many mounts by accident. */
#define TREE_STACK_MAX 16

struct tree_entry {
	enum policy_tree_role role;
	struct facts *f;       /* its own allocation (facts point into themselves) */
	bool known;            /* f was gathered */
	char *name;            /* mount point for the messages */
	unsigned stack, level; /* POLICY_TREE_NEIGHBOUR: see policy_tree_mount */
	bool top;
};

/* One neighbour's stack: a child of the parent mount and what sits on it. */
struct tree_stack {
	struct mount_id bottom, top;
	char *point;     /* its mount point as listed */
	size_t first, n; /* its entries in e[] (n 0: none were needed) */
};

struct tree {
	struct policy_tree pt;        /* what policy_decide_tree() reads */
	struct policy_tree_mount *ms; /* pt.mounts, one per entry */
	struct tree_entry *e;
	size_t n, cap;
	struct mount_id *below; /* the mounts below, parents first (--recursive) */
	size_t nbelow;
	struct tree_stack *stacks; /* the neighbours, to be pinned (pins.c) */
	size_t nstacks;
	struct mount_id pm; /* the parent mount (of the whole stack at the name) */
	char *unpinned;     /* pt.unpinned */
	int err;            /* pt.incomplete: the errno behind it */
	char why[256];      /* pt.incomplete: what could not be looked up */
};

struct tree_request {
	const struct target *t;
	const struct facts *f; /* the target's facts */
	unsigned flags;        /* enum policy_flag bits asked for */
	bool recursive;
	bool with_below; /* list the mounts below (--lazy, --recursive, or a busy answer) */
	uid_t caller;
};

void tree_gather(const struct tree_request *rq, struct tree *tr);

/* A neighbour that pins.c could not verify: the unmount is refused,
 * naming NAME ("cannot check"). */
void tree_set_unpinned(struct tree *tr, const char *name);

/* May no user but root change the entries of this directory (uid 0, not
 * writable by group or others)? Any doubt: no. */
bool tree_dir_fixed(int dirfd);
void tree_free(struct tree *tr);

#endif
