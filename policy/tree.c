/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tree.c — the mounts besides the target that one umount2() can reach,
 * decided from facts alone (see policy.h and docs/DESIGN.md).
 */
#include "policy.h"

/* The flags umount2() would be called with on that mount. */
static unsigned flags_for(const struct policy_tree_mount *m, unsigned asked)
{
	/* Below the target every mount is detached or unmounted on its own
	 * account: --lazy is the target's flag, not theirs. */
	return m->role == POLICY_TREE_BELOW ? asked & ~(unsigned)POLICY_LAZY : asked;
}

static bool tree_request(const struct policy_request *rq, const struct policy_tree *t)
{
	return (rq->flags & POLICY_LAZY) || t->recursive;
}

static bool permitted(const struct policy *p, const struct policy_request *rq,
		      const struct policy_mount *m, unsigned flags)
{
	struct policy_request each = *rq;
	struct policy_verdict v;

	each.mount = m;
	each.flags = flags;
	policy_decide(p, &each, &v);
	return v.result == POLICY_PERMIT;
}

/*
 * A neighbour is pinned (an O_PATH fd on its stack's top is held across
 * umount2()), so a swap that brings it under the name meets EBUSY. Two
 * things a pin does not hold: MNT_FORCE, which asks the file system to
 * abort before the kernel looks at the pins (so --force needs the top to
 * be one the caller may force), and a stack whose upper mount the caller
 * can take away (their FUSE mount, an entry of theirs) from over one they
 * may not unmount: the pin goes with the upper one.
 */
static enum policy_tree_result neighbour_result(const struct policy *p,
						const struct policy_request *rq,
						const struct policy_tree *t, size_t i)
{
	const struct policy_tree_mount *m = &t->mounts[i];

	if (m->fixed)
		return POLICY_TREE_CLEAR;
	if (!m->mount)
		return POLICY_TREE_UNKNOWN;
	if ((rq->flags & POLICY_FORCE) && m->top && !permitted(p, rq, m->mount, rq->flags))
		return POLICY_TREE_NEIGHBOUR_DENIED;
	if (permitted(p, rq, m->mount, 0))
		return POLICY_TREE_CLEAR;
	for (size_t k = 0; k < t->n; k++) {
		const struct policy_tree_mount *up = &t->mounts[k];

		if (up->role == POLICY_TREE_NEIGHBOUR && up->stack == m->stack &&
		    up->level > m->level && up->mount &&
		    (permitted(p, rq, up->mount, 0) || permitted(p, rq, up->mount, POLICY_LAZY)))
			return POLICY_TREE_STACK_UNPINNABLE;
	}
	return POLICY_TREE_CLEAR;
}

bool policy_tree_blocks(const struct policy *p, const struct policy_request *rq,
			const struct policy_tree *t, size_t i)
{
	const struct policy_tree_mount *m = &t->mounts[i];
	struct policy_request each = *rq;
	struct policy_verdict v;

	if (m->role == POLICY_TREE_NEIGHBOUR)
		return neighbour_result(p, rq, t, i) != POLICY_TREE_CLEAR;
	if (!m->mount)
		return true;
	/* Scanned: what propagation takes in every namespace was decided
	 * (policy_propagate_decide()). Not: peers in other namespaces are
	 * unseen, so a shared mount refuses --lazy and --recursive. */
	if (m->role == POLICY_TREE_SHARED && t->scanned)
		return t->propagation != POLICY_PROPAGATE_CLEAR;
	if (m->role == POLICY_TREE_SHARED)
		return tree_request(rq, t);
	if (m->role == POLICY_TREE_BELOW && !tree_request(rq, t))
		return false;
	each.mount = m->mount;
	each.flags = flags_for(m, rq->flags);
	policy_decide(p, &each, &v);
	return v.result != POLICY_PERMIT;
}

static enum policy_tree_result result_of(enum policy_tree_role role, const struct policy_tree *t)
{
	switch (role) {
	case POLICY_TREE_BELOW:
		return POLICY_TREE_BELOW_DENIED;
	case POLICY_TREE_SHARED:
		if (!t->scanned)
			return POLICY_TREE_PROPAGATES;
		return t->propagation == POLICY_PROPAGATE_UNKNOWN ? POLICY_TREE_UNKNOWN
								  : POLICY_TREE_TAKES_OTHER;
	case POLICY_TREE_BENEATH:
		return POLICY_TREE_BENEATH_DENIED;
	case POLICY_TREE_NEIGHBOUR:
		break; /* neighbour_result() */
	}
	return POLICY_TREE_UNKNOWN;
}

/*
 * Missing facts first (an unknown mount blocks whatever its role); then a
 * mount point inside a FUSE file system (umount2() would look the name up
 * there, and the daemon could hold that lookup for as long as it likes
 * between our re-check and the unmount); then
 * the roles in a fixed order so that the message names the most direct
 * reason: below, shared peers, beneath, neighbours.
 */
void policy_decide_tree(const struct policy *p, const struct policy_request *rq,
			const struct policy_tree *t, struct policy_tree_verdict *v)
{
	static const enum policy_tree_role order[] = {POLICY_TREE_BELOW, POLICY_TREE_SHARED,
						      POLICY_TREE_BENEATH, POLICY_TREE_NEIGHBOUR};

	v->result = POLICY_TREE_UNKNOWN;
	v->index = 0;
	if (t->incomplete)
		return;
	if (t->parent_asks_daemon) {
		v->result = POLICY_TREE_PARENT_FUSE;
		return;
	}
	if (t->unpinned) {
		v->index = t->n;
		return;
	}
	for (size_t i = 0; i < t->n; i++)
		if (!t->mounts[i].mount && !t->mounts[i].fixed) {
			v->index = i;
			return;
		}
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		for (size_t i = 0; i < t->n; i++)
			if (t->mounts[i].role == order[k] && policy_tree_blocks(p, rq, t, i)) {
				v->result = order[k] == POLICY_TREE_NEIGHBOUR
						? neighbour_result(p, rq, t, i)
						: result_of(order[k], t);
				v->index = i;
				return;
			}
	/* A scan that refused names its mount as a SHARED entry; none: unknown. */
	if (t->scanned && t->propagation != POLICY_PROPAGATE_CLEAR)
		return;
	v->result = POLICY_TREE_CLEAR;
}
