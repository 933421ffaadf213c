/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * propagate.c — which mounts one unmount takes in the mount namespaces that
 * receive propagation from the target's parent, decided from a table of
 * every mount of every namespace (see policy.h and docs/DESIGN.md, "The
 * namespace scan").
 *
 * The kernel's rules (fs/pnode.c: propagate_mount_busy() and
 * propagate_umount(), the version before Linux 6.17 and its rewrite alike):
 *
 *  - Unmounting the set S (plain: the target; --lazy: the target's whole
 *    subtree) also considers, for each X in S, every mount R that receives
 *    propagation from X's parent P: the other members of P's peer group
 *    and the slaves of that group, transitively (a slave's own peers and
 *    slaves too), in any namespace; never P's master.
 *  - The candidate in R is R's child at X's place: mounted on the same
 *    dentry. The place is told from the paths: R's root joined with the
 *    child's mount point below R's equals P's root joined with X's mount
 *    point below P's. The kernel picks it by place, not by being a copy.
 *  - A candidate is taken unless a mount that is not taken sits inside it
 *    (then it stays, and so does that mount); one stacked on its root is
 *    slid down into its place. Taken means detached even while busy
 *    (--lazy), or unmounted when unused (plain; a busy one fails it all
 *    with EBUSY).
 *
 * This decision counts every candidate as taken. Each must be a copy of
 * its X (same super block, same type, same root) or a member of S. On and
 * inside the copies: with TREE every mount must itself be such a
 * candidate or in S; plain, a mount stacked on a copy's root refuses (the
 * kernel would move it), one further inside leaves that copy alone.
 * A mount whose place is needed and cannot be told refuses as unknown.
 */
#include "policy.h"

#include <string.h>

enum { W_SET = 1u, W_RECEIVER = 2u, W_CANDIDATE = 4u, W_DONE = 8u };

static size_t find(const struct policy_ns_mount *v, size_t n, uint64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo].id == id ? lo : POLICY_PROPAGATE_NONE;
}

static bool is_root(const struct policy_ns_mount *m)
{
	return m->parent == m->id;
}

/* The path of a child's mount point below its parent's: "" for a mount
 * on the parent's root, NULL when it is not below (or not known). */
static const char *below(const char *child, const char *parent)
{
	size_t len;

	if (!child || !parent)
		return NULL;
	if (strcmp(parent, "/") == 0)
		return child[0] == '/' ? child + 1 : NULL;
	len = strlen(parent);
	if (strncmp(child, parent, len) != 0)
		return NULL;
	if (child[len] == '\0')
		return child + len;
	return child[len] == '/' ? child + len + 1 : NULL;
}

/* A dentry's path inside its file system, in three parts (no copy made). */
struct place {
	const char *part[3];
};

static bool place_of(const char *root, const char *rel, struct place *p)
{
	if (!root || !rel)
		return false;
	if (!*rel)
		*p = (struct place){{root, "", ""}};
	else if (strcmp(root, "/") == 0)
		*p = (struct place){{"/", "", rel}};
	else
		*p = (struct place){{root, "/", rel}};
	return true;
}

static bool same_place(const struct place *a, const struct place *b)
{
	const char *x = a->part[0], *y = b->part[0];
	size_t i = 0, j = 0;

	for (;;) {
		while (!*x && i < 2)
			x = a->part[++i];
		while (!*y && j < 2)
			y = b->part[++j];
		if (!*x || !*y)
			return !*x && !*y;
		if (*x++ != *y++)
			return false;
	}
}

/* Where the child C of the mount R sits: its dentry in R's file system. */
static bool place_in(const struct policy_ns_mount *r, const struct policy_ns_mount *c,
		     struct place *p)
{
	return place_of(r->root, below(c->point, r->point), p);
}

static bool is_copy(const struct policy_ns_mount *c, const struct policy_ns_mount *x)
{
	return c->dev == x->dev && c->magic == x->magic && c->root && x->root &&
	       strcmp(c->root, x->root) == 0;
}

static void block(struct policy_propagate_verdict *out, enum policy_propagate_result r,
		  size_t index, size_t copy_of)
{
	*out = (struct policy_propagate_verdict){r, index, copy_of};
}

/* The peer groups, kept sorted: is G one of them? */
struct groups {
	uint64_t g[POLICY_PROPAGATE_GROUPS_MAX];
	size_t n;
};

static size_t group_slot(const struct groups *gs, uint64_t g)
{
	size_t lo = 0, hi = gs->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (gs->g[mid] < g)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool has_group(const struct groups *gs, uint64_t g)
{
	size_t i = group_slot(gs, g);

	return g && i < gs->n && gs->g[i] == g;
}

/* Add G; false when there is no room (the tree is then unknown). */
static bool add_group(struct groups *gs, uint64_t g)
{
	size_t i = group_slot(gs, g);

	if (gs->n == POLICY_PROPAGATE_GROUPS_MAX)
		return false;
	memmove(&gs->g[i + 1], &gs->g[i], (gs->n - i) * sizeof(gs->g[0]));
	gs->g[i] = g;
	gs->n++;
	return true;
}

/*
 * Mark every mount that receives propagation from P: P's peer group and,
 * as long as it grows, the groups of slaves of the groups found (a slave
 * that is shared passes on to its own peers and slaves).
 */
static bool mark_receivers(const struct policy_ns_mount *v, size_t n, size_t p,
			   struct policy_propagate_slot *work, struct groups *gs)
{
	bool grew = true;

	gs->n = 0;
	if (!add_group(gs, v[p].peer_group))
		return false;
	while (grew) {
		grew = false;
		for (size_t i = 0; i < n; i++)
			if (has_group(gs, v[i].master) && v[i].peer_group &&
			    !has_group(gs, v[i].peer_group)) {
				if (!add_group(gs, v[i].peer_group))
					return false;
				grew = true;
			}
	}
	for (size_t i = 0; i < n; i++) {
		work[i].flags &= ~W_RECEIVER;
		if (i != p && (has_group(gs, v[i].peer_group) || has_group(gs, v[i].master)))
			work[i].flags |= W_RECEIVER;
	}
	return true;
}

/* The child C of a receiver against each member X of the set mounted on
 * P: at X's place it must be X's copy (or in the set). */
static bool check_candidate(const struct policy_ns_mount *v, size_t n, size_t p, size_t c,
			    const uint64_t *set, size_t nset, struct policy_propagate_slot *work,
			    struct policy_propagate_verdict *out)
{
	struct place pc, px;

	if (!place_in(&v[work[c].parent], &v[c], &pc)) {
		block(out, POLICY_PROPAGATE_UNKNOWN, c, POLICY_PROPAGATE_NONE);
		return false;
	}
	for (size_t k = 0; k < nset; k++) {
		size_t x = find(v, n, set[k]);

		if (work[x].parent != p)
			continue;
		if (!place_in(&v[p], &v[x], &px)) {
			block(out, POLICY_PROPAGATE_UNKNOWN, x, POLICY_PROPAGATE_NONE);
			return false;
		}
		if (!same_place(&pc, &px) || (work[c].flags & W_SET))
			continue;
		if (!is_copy(&v[c], &v[x])) {
			block(out, POLICY_PROPAGATE_NOT_COPY, c, x);
			return false;
		}
		work[c].flags |= W_CANDIDATE;
		work[c].of = x;
	}
	return true;
}

/* Everything the unmount of the members mounted on P takes elsewhere. */
static bool check_parent(const struct policy_ns_mount *v, size_t n, size_t p, const uint64_t *set,
			 size_t nset, struct policy_propagate_slot *work, struct groups *gs,
			 struct policy_propagate_verdict *out)
{
	if (!v[p].peer_group)
		return true; /* not shared: its unmounts propagate nowhere */
	if (!mark_receivers(v, n, p, work, gs)) {
		block(out, POLICY_PROPAGATE_UNKNOWN, p, POLICY_PROPAGATE_NONE);
		return false;
	}
	for (size_t c = 0; c < n; c++)
		if (!is_root(&v[c]) && (work[work[c].parent].flags & W_RECEIVER) &&
		    !check_candidate(v, n, p, c, set, nset, work, out))
			return false;
	return true;
}

/* On and inside the copies the unmount takes (see the top of the file). */
static bool check_inside(const struct policy_ns_mount *v, size_t n, enum policy_propagate_mode mode,
			 struct policy_propagate_slot *work, struct policy_propagate_verdict *out)
{
	for (size_t i = 0; i < n; i++) {
		size_t r = work[i].parent;
		const char *rel;

		if (is_root(&v[i]) || (work[r].flags & (W_CANDIDATE | W_SET)) != W_CANDIDATE ||
		    (work[i].flags & (W_SET | W_CANDIDATE)))
			continue;
		rel = below(v[i].point, v[r].point);
		if (mode == POLICY_PROPAGATE_PLAIN && !rel) {
			block(out, POLICY_PROPAGATE_UNKNOWN, i, POLICY_PROPAGATE_NONE);
			return false;
		}
		if (mode == POLICY_PROPAGATE_PLAIN && *rel)
			continue; /* the kernel leaves that copy where it is */
		block(out, POLICY_PROPAGATE_ON_COPY, i, work[r].of);
		return false;
	}
	return true;
}

/* The table is sorted, complete (every parent in it) and holds the set,
 * whose first member sits on PARENT; TREE: the set is a whole subtree. */
static bool table_ok(const struct policy_ns_mount *v, size_t n, uint64_t parent,
		     const uint64_t *set, size_t nset, enum policy_propagate_mode mode,
		     struct policy_propagate_slot *work, struct policy_propagate_verdict *out)
{
	size_t t;

	for (size_t i = 0; i < n; i++)
		if (v[i].id == 0 || (i && v[i].id <= v[i - 1].id))
			return false;
	for (size_t i = 0; i < n; i++) {
		work[i] = (struct policy_propagate_slot){find(v, n, v[i].parent),
							 POLICY_PROPAGATE_NONE, 0};
		if (work[i].parent == POLICY_PROPAGATE_NONE) {
			out->index = i;
			return false;
		}
	}
	for (size_t k = 0; k < nset; k++) {
		size_t x = find(v, n, set[k]);

		if (x == POLICY_PROPAGATE_NONE || is_root(&v[x]))
			return false;
		work[x].flags |= W_SET;
	}
	t = find(v, n, set[0]);
	if (v[t].parent != parent)
		return false;
	for (size_t i = 0; mode == POLICY_PROPAGATE_TREE && i < n; i++)
		if (!is_root(&v[i]) && (work[work[i].parent].flags & W_SET) &&
		    !(work[i].flags & W_SET)) {
			out->index = i; /* the subtree changed since it was listed */
			return false;
		}
	return true;
}

void policy_propagate_decide(const struct policy_ns_mount *v, size_t n, uint64_t parent,
			     const uint64_t *set, size_t nset, enum policy_propagate_mode mode,
			     struct policy_propagate_slot *work,
			     struct policy_propagate_verdict *out)
{
	struct groups gs;

	block(out, POLICY_PROPAGATE_UNKNOWN, POLICY_PROPAGATE_NONE, POLICY_PROPAGATE_NONE);
	if (nset == 0 || !table_ok(v, n, parent, set, nset, mode, work, out))
		return;
	for (size_t k = 0; k < nset; k++) {
		size_t p = work[find(v, n, set[k])].parent;

		if (work[p].flags & W_DONE)
			continue;
		work[p].flags |= W_DONE;
		if (!check_parent(v, n, p, set, nset, work, &gs, out))
			return;
	}
	if (check_inside(v, n, mode, work, out))
		block(out, POLICY_PROPAGATE_CLEAR, POLICY_PROPAGATE_NONE, POLICY_PROPAGATE_NONE);
}
