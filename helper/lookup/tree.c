/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tree.c — see tree.h.
 */
#define _GNU_SOURCE
#include "tree.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "asks.h"
#include "devices.h"
#include "statmount.h"

/* A blocker's name, for the message (the report cuts it to its size). */
#define TREE_NAME_MAX 1024

static void incomplete(struct tree *tr, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void incomplete(struct tree *tr, int err, const char *fmt, ...)
{
	va_list ap;

	if (tr->pt.incomplete)
		return; /* the first reason is the one worth telling */
	tr->pt.incomplete = true;
	tr->err = err;
	va_start(ap, fmt);
	vsnprintf(tr->why, sizeof(tr->why), fmt, ap);
	va_end(ap);
}

/* Add one mount with its facts; a mount whose facts cannot be gathered is
 * added as unknown (it then blocks the unmount, naming NAME). */
static void add(struct tree *tr, const struct tree_request *rq, enum policy_tree_role role,
		const struct mount_id *id, const char *name)
{
	struct tree_entry *e;
	int err;

	if (tr->n == tr->cap) {
		size_t cap = tr->cap ? tr->cap * 2 : 8;
		struct tree_entry *ne = reallocarray(tr->e, cap, sizeof(*ne));

		if (!ne)
			return incomplete(tr, ENOMEM, "out of memory");
		tr->e = ne;
		tr->cap = cap;
	}
	e = &tr->e[tr->n++];
	memset(e, 0, sizeof(*e));
	e->role = role;
	/* Facts hold pointers into themselves: their own allocation, which
	 * the array's realloc does not move. */
	e->f = calloc(1, sizeof(*e->f));
	if (!e->f)
		return incomplete(tr, ENOMEM, "out of memory");
	e->known = facts_gather(id, &rq->t->root_id, e->f, &err) == FACTS_OK;
	e->name = strdup(e->known ? e->f->mount.target : (name ? name : "?"));
	if (!e->name)
		incomplete(tr, ENOMEM, "out of memory");
}

static bool tree_request(const struct tree_request *rq)
{
	return (rq->flags & POLICY_LAZY) || rq->recursive;
}

static void gather_below(const struct tree_request *rq, struct tree *tr)
{
	int r;

	if (!rq->with_below && !tree_request(rq))
		return;
	r = mounts_list_below(&rq->t->id, &tr->below, &tr->nbelow);
	if (r < 0)
		return incomplete(tr, -r, "the mounts below it");
	for (size_t i = 0; i < tr->nbelow; i++)
		add(tr, rq, POLICY_TREE_BELOW, &tr->below[i], NULL);
}

/* Is the mount ID a parent of one of the mounts below? */
static bool has_child_below(const struct tree *tr, const struct mount_id *id)
{
	for (size_t i = 0; i < tr->n; i++)
		if (tr->e[i].role == POLICY_TREE_BELOW && tr->e[i].known &&
		    mount_id_equal(&tr->e[i].f->mount.parent, id))
			return true;
	return false;
}

/* Add a mount named NAME instead of its mount point (facts of ID, if any). */
static void add_named(const struct tree_request *rq, struct tree *tr, enum policy_tree_role role,
		      const struct mount_id *id, const char *name)
{
	add(tr, rq, role, id, name);
	if (tr->n && !tr->pt.incomplete) {
		free(tr->e[tr->n - 1].name);
		tr->e[tr->n - 1].name = strdup(name);
		if (!tr->e[tr->n - 1].name)
			incomplete(tr, ENOMEM, "out of memory");
	}
}

/* Add a shared mount, named with its peers as far as we can see them. */
static void add_shared(const struct tree_request *rq, struct tree *tr, const struct mount_id *id,
		       const char *target)
{
	char name[TREE_NAME_MAX], **peers = NULL;
	size_t n = 0, len;
	int r = devices_peers(id, &peers, &n);

	if (r < 0)
		return incomplete(tr, -r, "the shared peers of %s", target);
	len = (size_t)snprintf(name, sizeof(name), "%s (%s", target,
			       n ? "peers here: " : "no peer of it is visible here; ");
	for (size_t i = 0; i < n && len < sizeof(name); i++)
		len += (size_t)snprintf(name + len, sizeof(name) - len, "%s%s", i ? ", " : "",
					peers[i]);
	if (len < sizeof(name))
		snprintf(name + len, sizeof(name) - len, "%s",
			 n ? ")" : "members in other mount namespaces cannot be seen)");
	devices_free(peers, n);
	add_named(rq, tr, POLICY_TREE_SHARED, id, name);
}

/* Is this member of the subtree shared and the parent of another? */
static bool shares(const struct tree *tr, size_t i)
{
	return tr->e[i].known && tr->e[i].f->mount.shared && has_child_below(tr, &tr->below[i]);
}

/*
 * Without namespace iteration in this kernel: the peers in other
 * namespaces cannot be seen, so every shared mount the unmount propagates
 * from (the target's parent, the target and any mount below that parents
 * another) refuses --lazy and --recursive, named with the peers seen here.
 */
static void add_unseen_peers(const struct tree_request *rq, struct tree *tr,
			     const struct mount_facts *parent, size_t nbelow)
{
	if (parent->shared)
		add_shared(rq, tr, &rq->f->mount.parent, parent->target);
	if (rq->f->mount.shared && has_child_below(tr, &rq->t->id))
		add_shared(rq, tr, &rq->t->id, rq->f->mount.target);
	for (size_t i = 0; i < nbelow; i++)
		if (shares(tr, i))
			add_shared(rq, tr, &tr->below[i], tr->e[i].f->mount.target);
}

/* Append to BUF (LEN bytes, *K used) while it fits; a long mount point
 * is cut, never written past the end. */
static void appendf(char *buf, size_t len, size_t *k, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void appendf(char *buf, size_t len, size_t *k, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (*k >= len)
		return;
	va_start(ap, fmt);
	r = vsnprintf(buf + *k, len - *k, fmt, ap);
	va_end(ap);
	*k = r < 0 ? len : *k + (size_t)r;
}

/* The mount that blocks, for the message: its mount point (or ID) and
 * its namespace, and why. */
static void describe(const struct nsscan *sc, const struct policy_propagate_verdict *v, char *buf,
		     size_t len)
{
	const struct policy_ns_mount *m = &sc->v[v->index];
	const char *copy_of = v->copy_of != POLICY_PROPAGATE_NONE && sc->v[v->copy_of].point
				  ? sc->v[v->copy_of].point
				  : "?";
	size_t k = 0;

	buf[0] = '\0';
	if (m->point)
		appendf(buf, len, &k, "%s", m->point);
	else
		appendf(buf, len, &k, "mount ID %llu", (unsigned long long)m->id);
	appendf(buf, len, &k, " in mount namespace ID %llu%s", (unsigned long long)m->ns,
		m->ns == sc->own_ns ? " (yours)" : "");
	if (v->result == POLICY_PROPAGATE_NOT_COPY)
		appendf(buf, len, &k, ", which is not a copy of %s", copy_of);
	else if (v->result == POLICY_PROPAGATE_ON_COPY)
		appendf(buf, len, &k, ", which is mounted on the copy of %s there", copy_of);
	else
		appendf(buf, len, &k, " (%s)",
			m->point ? "where it sits there cannot be told"
				 : "its mount point is not visible from that namespace's root");
}

/* What is unmounted here (target first; the subtree for --lazy and
 * --recursive) and the super blocks their parents can be on. */
static int propagation_request(const struct tree_request *rq, const struct tree *tr,
			       const struct mount_facts *parent, size_t nbelow, uint64_t **set,
			       size_t *nset, uint64_t **devs)
{
	size_t n = 1 + (tree_request(rq) ? nbelow : 0);

	*set = calloc(n, sizeof(**set));
	*devs = calloc(n + 1, sizeof(**devs));
	if (!*set || !*devs)
		return -ENOMEM;
	(*set)[0] = rq->t->id.unique;
	(*devs)[0] = parent->dev;
	(*devs)[1] = rq->f->mount.dev;
	for (size_t i = 1; i < n; i++) {
		(*set)[i] = tr->below[i - 1].unique;
		if (!tr->e[i - 1].known)
			return -EIO;
		(*devs)[i + 1] = tr->e[i - 1].f->mount.dev;
	}
	for (size_t i = 0; i < n; i++)
		if ((*set)[i] == 0)
			return -ENOSYS; /* no unique mount IDs (libmount answered): no scan */
	*nset = n;
	return 0;
}

/*
 * Scan every mount namespace and decide what this unmount would take in
 * those that receive from the shared mounts it propagates from. A refusal
 * is one SHARED entry, named after the mount that blocks: with the facts
 * of the parent (the mount here it propagates from) when the blocker is a
 * mount that is not a copy, with none when its place cannot be told.
 */
static int check_propagation(const struct tree_request *rq, struct tree *tr,
			     const struct mount_facts *parent, size_t nbelow)
{
	static const struct mount_id no_mount = {0};
	struct policy_propagate_slot *work = NULL;
	struct policy_propagate_verdict v;
	uint64_t *set = NULL, *devs = NULL;
	struct nsscan sc = {0};
	char name[TREE_NAME_MAX];
	size_t nset = 0;
	int r = propagation_request(rq, tr, parent, nbelow, &set, &nset, &devs);

	if (r == 0)
		r = lookup_asks()->scan_namespaces(devs, nset + 1, &sc);
	if (r == 0 && !(work = calloc(sc.n ? sc.n : 1, sizeof(*work))))
		r = -ENOMEM;
	if (r == 0) {
		policy_propagate_decide(
		    sc.v, sc.n, rq->f->mount.parent.unique, set, nset,
		    tree_request(rq) ? POLICY_PROPAGATE_TREE : POLICY_PROPAGATE_PLAIN, work, &v);
		tr->pt.scanned = true;
		tr->pt.propagation = v.result;
	}
	if (r == 0 && v.result != POLICY_PROPAGATE_CLEAR && v.index == POLICY_PROPAGATE_NONE)
		incomplete(tr, EAGAIN,
			   "the mounts of every mount namespace (they changed while "
			   "they were read)");
	else if (r == 0 && v.result != POLICY_PROPAGATE_CLEAR) {
		describe(&sc, &v, name, sizeof(name));
		/* unknown: an entry with no facts, which the policy reads as unknown */
		if (v.result == POLICY_PROPAGATE_UNKNOWN)
			add_named(rq, tr, POLICY_TREE_SHARED, &no_mount, name);
		else
			add_named(rq, tr, POLICY_TREE_SHARED, &rq->f->mount.parent, name);
	}
	free(work);
	lookup_nsscan_free(&sc);
	free(set);
	free(devs);
	return r;
}

/*
 * An unmount propagates from the shared peer group of the parent of each
 * mount it takes: the kernel takes, in every mount namespace that
 * receives from that group, the mount at the same place, whatever it is
 * (a mount that replaced the copy there, busy or not; with --lazy also at
 * the places of the descendants). So where the target's parent is shared
 * (or, for --lazy and --recursive, a mount of the subtree that parents
 * another), every namespace is scanned and the unmount is allowed only if
 * all it takes there is copies of what it unmounts here. Where the kernel
 * cannot iterate namespaces, a shared mount refuses --lazy and
 * --recursive, and a plain unmount goes unchecked, as it always went.
 */
static void gather_shared(const struct tree_request *rq, struct tree *tr)
{
	const struct mount_id *pm = &rq->f->mount.parent;
	size_t nbelow = tr->n; /* so far only the mounts below */
	struct mount_facts parent;
	bool shared;
	int r;

	/* Plain without unique IDs (libmount answered): nothing to scan with. */
	if (!tree_request(rq) && rq->f->mount.id.unique == 0)
		return;
	r = mounts_lookup(pm, &parent);
	if (r < 0)
		return incomplete(tr, -r, "the mount it is mounted on");
	shared = parent.shared;
	if (tree_request(rq)) {
		shared = shared || (rq->f->mount.shared && has_child_below(tr, &rq->t->id));
		for (size_t i = 0; i < nbelow && !shared; i++)
			shared = shares(tr, i);
	}
	r = shared ? check_propagation(rq, tr, &parent, nbelow) : 0;
	if (lookup_scan_unsupported(r) && tree_request(rq))
		add_unseen_peers(rq, tr, &parent, nbelow);
	else if (r < 0 && !lookup_scan_unsupported(r))
		incomplete(tr, -r, "the mounts of every mount namespace");
	mount_facts_free(&parent);
}

/*
 * umount2() takes whatever is on top at the name. If the decided mount
 * sits on other mounts at the same mount point and goes away between the
 * re-check and umount2() (its owner can unmount it: a FUSE mount stacked
 * on someone's media), the call hits the mount beneath. Every mount
 * beneath must therefore be one the caller could unmount too. Returns the
 * parent mount of the whole stack (the mount the pinned parent is on) and
 * the stack's bottom.
 */
static void gather_beneath(const struct tree_request *rq, struct tree *tr, struct mount_id *pm,
			   struct mount_id *bottom)
{
	struct mount_id cur = rq->f->mount.parent;
	struct mount_facts m;
	bool stacked, own_parent;
	int r;

	*bottom = rq->t->id;
	for (int depth = 0; depth <= TREE_STACK_MAX; depth++) {
		r = mounts_lookup(&cur, &m);
		if (r < 0)
			return incomplete(tr, -r, "the mount it is mounted on");
		stacked = strcmp(m.target, rq->f->mount.target) == 0;
		own_parent = mount_id_equal(&cur, &m.parent);
		if (!stacked) {
			*pm = cur;
			tr->pt.parent_asks_daemon = policy_is_fuse(m.fstype);
			mount_facts_free(&m);
			return;
		}
		add(tr, rq, POLICY_TREE_BENEATH, &cur, m.target);
		*bottom = cur;
		cur = m.parent;
		mount_facts_free(&m);
		if (own_parent) {
			*pm = *bottom;
			return;
		}
	}
	incomplete(tr, ELOOP, "more than %d mounts are stacked here", TREE_STACK_MAX);
}

bool tree_dir_fixed(int dirfd)
{
	struct statx sx;

	memset(&sx, 0, sizeof(sx));
	if (statx(dirfd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC,
		  STATX_MODE | STATX_UID, &sx) < 0)
		return false;
	if ((sx.stx_mask & (STATX_MODE | STATX_UID)) != (STATX_MODE | STATX_UID))
		return false;
	return S_ISDIR(sx.stx_mode) && sx.stx_uid == 0 && (sx.stx_mode & (S_IWGRP | S_IWOTH)) == 0;
}

void tree_set_unpinned(struct tree *tr, const char *name)
{
	if (tr->unpinned)
		return;
	tr->unpinned = strdup(name ? name : "?");
	tr->pt.unpinned = tr->unpinned ? tr->unpinned : "?";
}

/* The mounts of a listing, sorted by the legacy ID of their parent (both
 * backends give it), for finding children and stacks. */
struct links {
	struct mount_link *v;
	size_t n;
};

static int by_parent(const void *a, const void *b)
{
	const struct mount_link *x = a, *y = b;

	return x->parent.legacy < y->parent.legacy ? -1 : x->parent.legacy > y->parent.legacy;
}

/* The first link whose parent is PARENT (links sorted by parent), or n. */
static size_t first_child(const struct links *l, uint64_t parent)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->v[mid].parent.legacy < parent)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct mount_link *child_at(const struct links *l, const struct mount_id *parent,
					 const char *target)
{
	for (size_t i = first_child(l, parent->legacy);
	     i < l->n && l->v[i].parent.legacy == parent->legacy; i++)
		if (l->v[i].target && strcmp(l->v[i].target, target) == 0)
			return &l->v[i];
	return NULL;
}

/*
 * One neighbour's stack, bottom first. Its mounts are listed as entries
 * (with their facts) only where the policy needs them: a stack of more
 * than one (a removable mount over one that is not cannot be pinned), and
 * --force (the top must be one the caller may force).
 */
static void add_stack(const struct tree_request *rq, struct tree *tr, const struct links *l,
		      const struct mount_link *c)
{
	const struct mount_link *cur = c, *up, *top = c;
	struct tree_stack *st, *ns;
	size_t depth = 0;
	bool list;

	while ((up = child_at(l, &top->id, c->target)) && depth < TREE_STACK_MAX) {
		top = up;
		depth++;
	}
	if (up)
		return incomplete(tr, ELOOP, "more than %d mounts are stacked at %s",
				  TREE_STACK_MAX, c->target);
	ns = reallocarray(tr->stacks, tr->nstacks + 1, sizeof(*ns));
	if (!ns)
		return incomplete(tr, ENOMEM, "out of memory");
	tr->stacks = ns;
	st = &tr->stacks[tr->nstacks];
	memset(st, 0, sizeof(*st));
	st->bottom = c->id;
	st->top = top->id;
	st->point = strdup(c->target);
	if (!st->point)
		return incomplete(tr, ENOMEM, "out of memory");
	tr->nstacks++;
	list = depth > 0 || (rq->flags & POLICY_FORCE);
	st->first = tr->n;
	for (unsigned level = 0; list && cur && !tr->pt.incomplete; level++) {
		add(tr, rq, POLICY_TREE_NEIGHBOUR, &cur->id, cur->target);
		if (tr->pt.incomplete)
			break;
		tr->e[tr->n - 1].stack = (unsigned)tr->nstacks;
		tr->e[tr->n - 1].level = level;
		tr->e[tr->n - 1].top = cur == top;
		cur = cur == top ? NULL : child_at(l, &cur->id, c->target);
	}
	tr->stacks[tr->nstacks - 1].n = tr->n - tr->stacks[tr->nstacks - 1].first;
}

/*
 * umount2(LAST) from the pinned parent P unmounts what sits on top of the
 * name LAST in P at the time of the call, if its parent is P's mount PM.
 * A rename (from a user namespace of the caller's, where no mount pins a
 * directory; with a subordinate uid; through a group or sticky directory)
 * can bring any other child of PM under that name, and mounts move with
 * their directories. Each such stack is listed here, by ID, and pinned by
 * pins.c. Not needed: for a root caller (a swap gives root nothing it does
 * not have), for --lazy (it names no path: the target's own fd), and where
 * no user but root can change P's entries.
 *
 * Children are listed by ID: those whose mount point lies outside the
 * root of PM (PM a bind mount of a subdirectory, the directory renamed
 * away) have no path a table can show, yet can be renamed back. They can
 * only exist where PM's root is not its file system's root; there the
 * whole namespace is listed (listmount shows them; mountinfo cannot, and
 * such a parent is then refused as not checkable).
 */
static void gather_neighbours(const struct tree_request *rq, struct tree *tr,
			      const struct mount_id *pm, const struct mount_id *bottom)
{
	struct links l = {0};
	struct mount_facts parent;
	bool whole;
	int r;

	if (rq->caller == 0 || (rq->flags & POLICY_LAZY) || tree_dir_fixed(rq->t->parent_fd))
		return;
	r = mounts_lookup(pm, &parent);
	if (r < 0)
		return incomplete(tr, -r, "the mount it is mounted on");
	whole = !parent.root || strcmp(parent.root, "/") != 0;
	if (whole) {
		r = mounts_list_links_all(&l.v, &l.n);
		if (r == -EOPNOTSUPP) {
			char name[PATH_MAX + 64];

			snprintf(name, sizeof(name),
				 "%s (mounts outside its root cannot be "
				 "listed on this kernel)",
				 parent.target);
			tree_set_unpinned(tr, name);
			mount_facts_free(&parent);
			return;
		}
	} else {
		r = mounts_list_links(pm, &l.v, &l.n);
	}
	mount_facts_free(&parent);
	if (r < 0)
		return incomplete(tr, -r, "the other mounts in this file system");
	qsort(l.v, l.n, sizeof(*l.v), by_parent);
	for (size_t i = first_child(&l, pm->legacy);
	     i < l.n && l.v[i].parent.legacy == pm->legacy && !tr->pt.incomplete; i++) {
		const struct mount_link *c = &l.v[i];

		if (c->id.legacy == bottom->legacy || c->id.legacy == pm->legacy)
			continue;
		if (!c->target) { /* outside every root we can see */
			tree_set_unpinned(tr, "a mount whose mount point is outside the root of "
					      "the parent mount");
			break;
		}
		add_stack(rq, tr, &l, c);
	}
	mounts_links_free(l.v, l.n);
}

void tree_gather(const struct tree_request *rq, struct tree *tr)
{
	struct mount_id pm = {0}, bottom = {0};

	memset(tr, 0, sizeof(*tr));
	tr->pt.recursive = rq->recursive;
	gather_below(rq, tr);
	if (!tr->pt.incomplete)
		gather_shared(rq, tr);
	if (!tr->pt.incomplete)
		gather_beneath(rq, tr, &pm, &bottom);
	tr->pm = pm;
	if (!tr->pt.incomplete)
		gather_neighbours(rq, tr, &pm, &bottom);
	tr->ms = calloc(tr->n + 1, sizeof(*tr->ms));
	if (!tr->ms)
		return incomplete(tr, ENOMEM, "out of memory");
	for (size_t i = 0; i < tr->n; i++) {
		tr->ms[i].role = tr->e[i].role;
		tr->ms[i].mount = tr->e[i].known ? &tr->e[i].f->pm : NULL;
		tr->ms[i].target = tr->e[i].name ? tr->e[i].name : "?";
		tr->ms[i].stack = tr->e[i].stack;
		tr->ms[i].level = tr->e[i].level;
		tr->ms[i].top = tr->e[i].top;
	}
	tr->pt.mounts = tr->ms;
	tr->pt.n = tr->n;
}

void tree_free(struct tree *tr)
{
	for (size_t i = 0; i < tr->n; i++) {
		if (tr->e[i].f)
			facts_free(tr->e[i].f);
		free(tr->e[i].f);
		free(tr->e[i].name);
	}
	for (size_t i = 0; i < tr->nstacks; i++)
		free(tr->stacks[i].point);
	free(tr->stacks);
	free(tr->unpinned);
	free(tr->e);
	free(tr->ms);
	free(tr->below);
	memset(tr, 0, sizeof(*tr));
}
