/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * list.c — see list.h.
 *
 * Cost: one listmount(2) and one statmount(2) per mount (mountinfo parsed
 * once on the fallback), fstab parsed once, and the policy asked four times
 * per mount. Full facts (fstab entry, utab) are gathered only for mounts
 * whose mount point fstab names and for FUSE mounts: for every other mount
 * the built-in entitlements cannot apply and the policy rules need only the
 * mount table. The same checks as allowed_of_target(), table-wide.
 */
#define _GNU_SOURCE
#include "list.h"

#include "tree.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "allowed.h"
#include "facts.h"
#include "target.h"
#include "fstab.h"
#include "report.h"
#include "statmount.h"

#define STACK_MAX TREE_STACK_MAX
#define TREE      (REPORT_ALLOW_LAZY | REPORT_ALLOW_RECURSIVE)

struct entry {
	struct facts f;
	unsigned grants;  /* what the policy grants on this mount alone */
	unsigned allowed; /* with the tree, peers and stacking */
	bool bad_below;   /* a mount below is not allowed plain */
};

struct slot {
	uint64_t key;
	size_t index;
};

struct table {
	struct entry *v;
	size_t n;
	struct slot *by_key; /* v's keys and indexes, sorted by key */
	struct mount_id root;
	char **fstab; /* mount points fstab names, normalised, sorted */
	size_t nfstab;
	unsigned fstab_bad_line;
};

static uint64_t key(const struct mount_id *id)
{
	return id->unique ? id->unique : id->legacy;
}

static int cmp_slot(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

static struct entry *find(const struct table *t, const struct mount_id *id)
{
	struct slot k = {key(id), 0};
	const struct slot *s = t->n ? bsearch(&k, t->by_key, t->n, sizeof(k), cmp_slot) : NULL;

	return s ? &t->v[s->index] : NULL;
}

/* "/a//b/" and "/a/b" name one mount point for libmount's comparison. */
static void normalise(char *s)
{
	char *w = s;

	for (const char *r = s; *r; r++)
		if (!(r[0] == '/' && (r[1] == '/' || (r[1] == '\0' && w > s))))
			*w++ = *r;
	*w = '\0';
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The mount points fstab names. -EINVAL: a syntax error (fstab not trusted). */
static int fstab_targets(struct table *t)
{
	struct fstab_table tb;
	int r = fstab_read(&tb, &t->fstab_bad_line);

	if (r == 0 && !(t->fstab = calloc(tb.n + 1, sizeof(char *))))
		r = -ENOMEM;
	for (size_t i = 0; r == 0 && i < tb.n; i++) {
		t->fstab[t->nfstab] = strdup(tb.v[i].target);
		if (!t->fstab[t->nfstab])
			r = -ENOMEM;
		else
			normalise(t->fstab[t->nfstab++]);
	}
	if (r == 0)
		qsort(t->fstab, t->nfstab, sizeof(char *), cmp_str);
	fstab_table_free(&tb);
	return r;
}

static bool named_in_fstab(const struct table *t, const char *target)
{
	char *copy = strdup(target), *k = copy;
	bool found;

	if (!copy)
		return true; /* gather everything rather than guess */
	normalise(copy);
	found = bsearch(&k, t->fstab, t->nfstab, sizeof(char *), cmp_str) != NULL;
	free(copy);
	return found;
}

/* The mount of the caller's "/" (after any chroot). */
static int root_id(struct mount_id *id)
{
	struct statx sx;

	memset(id, 0, sizeof(*id));
	if (statx(AT_FDCWD, "/", 0, STATX_MNT_ID_UNIQUE, &sx) == 0 &&
	    (sx.stx_mask & STATX_MNT_ID_UNIQUE))
		id->unique = sx.stx_mnt_id;
	if (statx(AT_FDCWD, "/", 0, STATX_MNT_ID, &sx) < 0)
		return -errno;
	if (!(sx.stx_mask & STATX_MNT_ID))
		return -ENOSYS;
	id->legacy = sx.stx_mnt_id;
	return 0;
}

static bool same_id(const struct mount_id *a, const struct mount_id *b)
{
	return a->unique && b->unique ? a->unique == b->unique : a->legacy == b->legacy;
}

/* Facts of one mount: full ones where fstab or FUSE can entitle. */
static void entry_fill(struct table *t, struct entry *e, struct mount_facts *m,
		       const struct caller *c, const struct policy *p)
{
	struct mount_id id = m->id;
	int err;

	if (named_in_fstab(t, m->target) || policy_is_fuse(m->fstype)) {
		if (facts_gather(&id, &t->root, &e->f, &err) == FACTS_OK)
			e->grants = allowed_grants(p, c, &e->f.pm);
		/* the table still names it, for links between mounts */
		mount_facts_free(&e->f.mount);
		e->f.mount = *m;
		memset(m, 0, sizeof(*m));
		e->f.pm.target = e->f.mount.target;
		e->f.pm.source = e->f.mount.source;
		e->f.pm.fstype = e->f.mount.fstype;
		return;
	}
	e->f.mount = *m;
	memset(m, 0, sizeof(*m));
	e->f.pm.target = e->f.mount.target;
	e->f.pm.source = e->f.mount.source;
	e->f.pm.fstype = e->f.mount.fstype;
	e->f.pm.is_root = same_id(&id, &t->root);
	e->grants = allowed_grants(p, c, &e->f.pm);
}

/* Mark every mount above one the caller may not unmount plain. */
static void mark_bad_below(struct table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct entry *e = &t->v[i], *up;

		if (e->grants & REPORT_ALLOW_PLAIN)
			continue;
		for (size_t depth = 0; depth < t->n; depth++) {
			if (same_id(&e->f.mount.parent, &e->f.mount.id))
				break;
			up = find(t, &e->f.mount.parent);
			if (!up || up->bad_below)
				break;
			up->bad_below = true;
			e = up;
		}
	}
}

/* As an unmount: --lazy and --recursive are refused under a shared parent
 * (its peers may sit in other namespaces, where they cannot be seen). */
static bool parent_shared(const struct table *t, const struct entry *e)
{
	const struct entry *parent = find(t, &e->f.mount.parent);

	return !parent || parent->f.mount.shared || e->f.mount.shared;
}

static unsigned entry_allowed(const struct table *t, const struct entry *e)
{
	unsigned allowed = e->grants;
	const struct entry *cur = e, *up;

	if ((allowed & TREE) && (e->bad_below || parent_shared(t, e)))
		allowed &= ~TREE;
	for (int depth = 0; allowed && depth <= STACK_MAX; depth++) {
		up = find(t, &cur->f.mount.parent);
		if (!up)
			return 0; /* a parent we cannot see: nothing is known */
		if (up == cur || strcmp(up->f.mount.target, e->f.mount.target) != 0)
			return allowed;
		allowed &= up->grants; /* stacked: as far as the mount beneath allows */
		cur = up;
	}
	return 0;
}

/*
 * The table cannot see what an unmount checks: the neighbours it pins,
 * directories only root may change, mounts in other namespaces (the
 * namespace scan). So each mount it would list is decided again the way
 * an unmount would be: resolved as the caller by its path, checked to be
 * this mount, and asked allowed_of_target(), the function --json's
 * "allowed" and --dry-run use; its answer replaces the table's. A mount that cannot be
 * named that way (covered, unreachable) keeps the table's answer: no
 * unmount can name it either, and its listing says what an unmount of
 * its path would reach.
 */
static void entry_decide(struct entry *e, const struct caller *c, const struct policy *p)
{
	struct policy_caller pc = {c->uid, c->name, (const char *const *)c->group_names,
				   c->ngroup_names};
	struct facts f;
	struct target tg;
	int err;

	if (target_resolve(e->f.mount.target, c, &tg, &err) == TARGET_OK &&
	    mount_id_equal(&tg.id, &e->f.mount.id) &&
	    facts_gather(&tg.id, &tg.root_id, &f, &err) == FACTS_OK) {
		e->allowed = allowed_of_target(p, &pc, &tg, &f);
		facts_free(&f);
	}
	target_close(&tg);
}

static int table_load(struct table *t, const struct caller *c, const struct policy *p)
{
	struct mount_facts *m = NULL;
	size_t n = 0;
	int r = root_id(&t->root);

	r = r ?: fstab_targets(t);
	r = r ?: mounts_all(&t->root, &m, &n);
	if (r == 0 && strcmp(mounts_backend(), "libmount") == 0)
		t->root.unique = 0; /* the table knows legacy IDs only: compare those */
	if (r == 0 && (!(t->v = calloc(n + 1, sizeof(*t->v))) ||
		       !(t->by_key = calloc(n + 1, sizeof(*t->by_key)))))
		r = -ENOMEM;
	for (size_t i = 0; r == 0 && i < n; i++) {
		entry_fill(t, &t->v[i], &m[i], c, p);
		t->by_key[i].key = key(&t->v[i].f.mount.id);
		t->by_key[i].index = i;
		t->n++;
	}
	mounts_all_free(m, n);
	if (r < 0)
		return r;
	if (t->n > 1)
		qsort(t->by_key, t->n, sizeof(*t->by_key), cmp_slot);
	mark_bad_below(t);
	for (size_t i = 0; i < t->n; i++) {
		t->v[i].allowed = entry_allowed(t, &t->v[i]);
		if (t->v[i].grants)
			entry_decide(&t->v[i], c, p);
	}
	return 0;
}

static void table_free(struct table *t)
{
	for (size_t i = 0; t->v && i < t->n; i++)
		facts_free(&t->v[i].f);
	for (size_t i = 0; i < t->nfstab; i++)
		free(t->fstab[i]);
	free(t->fstab);
	free(t->v);
	free(t->by_key);
}

/* The verdict behind the first way allowed: its reason code and rule. */
static void entry_report(const struct entry *e, const struct caller *c, const struct policy *p,
			 struct report *r)
{
	unsigned flags = (e->allowed & (REPORT_ALLOW_PLAIN | REPORT_ALLOW_RECURSIVE)) ? 0
			 : (e->allowed & REPORT_ALLOW_LAZY)                           ? POLICY_LAZY
			 : (e->allowed & REPORT_ALLOW_FORCE)                          ? POLICY_FORCE
							     : POLICY_EXPIRE;
	struct policy_caller pc = {c->uid, c->name, (const char *const *)c->group_names,
				   c->ngroup_names};
	struct policy_request rq = {&pc, &e->f.pm, flags};
	struct policy_verdict v;

	policy_decide(p, &rq, &v);
	memset(r, 0, sizeof(*r));
	r->target = r->mount_point = e->f.mount.target;
	r->mount_id = e->f.mount.id.unique;
	r->source = e->f.mount.source;
	r->fstype = e->f.mount.fstype;
	r->outcome = OUTCOME_LISTED;
	r->entitlement = policy_reason_code(&v);
	r->allowed = e->allowed;
	policy_rule_describe(&v, r->rule, sizeof(r->rule));
}

/* One column value: escaped, and spaces too, so columns split on blanks. */
static const char *column(const char *s, char *buf, size_t len)
{
	char esc[REPORT_TEXT_MAX * 4];
	size_t w = 0;

	report_escape(s && *s ? s : "-", esc, sizeof(esc));
	for (const char *q = esc; *q && w + 5 < len; q++) {
		if (*q == ' ')
			w += (size_t)snprintf(buf + w, len - w, "\\x20");
		else
			buf[w++] = *q;
	}
	buf[w] = '\0';
	return buf;
}

static void print_text(const struct table *t, const struct options *o, const struct caller *c,
		       const struct policy *p)
{
	char point[REPORT_TEXT_MAX * 4], source[REPORT_TEXT_MAX * 4], type[256], allowed[64];
	struct report r;

	if (!o->quiet)
		printf("MOUNTPOINT SOURCE FSTYPE ALLOWED%s\n", o->verbose ? " RULE" : "");
	for (size_t i = 0; i < t->n; i++) {
		if (!t->v[i].allowed)
			continue;
		entry_report(&t->v[i], c, p, &r);
		printf("%s %s %s %s", column(r.mount_point, point, sizeof(point)),
		       column(r.source, source, sizeof(source)),
		       column(r.fstype, type, sizeof(type)),
		       report_allowed_describe(r.allowed, allowed, sizeof(allowed)));
		if (o->verbose) /* the last column: its spaces stay */
			printf(" %s", report_escape(r.rule, point, sizeof(point)));
		putchar('\n');
	}
}

int list_run(const struct options *o, const struct caller *c, const struct policy *p,
	     bool (*leave)(void))
{
	struct table t = {0};
	struct report r;
	int err = table_load(&t, c, p);

	leave();
	if (err == -EINVAL) {
		unsigned line = t.fstab_bad_line;

		table_free(&t);
		return report_fail("fstab-broken", EXIT_SYSERR,
				   "%s:%u: syntax error; fstab is not trusted", UU_FSTAB_PATH,
				   line);
	}
	if (err < 0) {
		table_free(&t);
		return report_fail("system", EXIT_SYSERR, "cannot read the mount table: %s",
				   strerror(-err));
	}
	if (o->json) {
		report_json_begin();
		for (size_t i = 0; i < t.n; i++) {
			if (!t.v[i].allowed)
				continue;
			entry_report(&t.v[i], c, p, &r);
			report_json_result(&r);
		}
		report_json_end();
	} else {
		print_text(&t, o, c, p);
	}
	table_free(&t);
	return EXIT_OK;
}
