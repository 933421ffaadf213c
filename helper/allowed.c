/*
 * allowed.c — see allowed.h.
 */
#define _GNU_SOURCE
#include "allowed.h"

#include <stdlib.h>
#include <string.h>

#include "devices.h"
#include "report.h"

/* As in run.c: deeper stacks are refused there. */
#define STACK_MAX 16

unsigned allowed_grants(const struct policy *p, const struct caller *c,
			const struct policy_mount *pm)
{
	static const struct {
		unsigned flags, allow;
	} asks[] = {{0, REPORT_ALLOW_PLAIN | REPORT_ALLOW_RECURSIVE},
		    {POLICY_LAZY, REPORT_ALLOW_LAZY},
		    {POLICY_FORCE, REPORT_ALLOW_FORCE},
		    {POLICY_EXPIRE, REPORT_ALLOW_EXPIRE}};
	struct policy_caller pc = {c->uid, c->name, (const char *const *)c->group_names,
				   c->ngroup_names};
	struct policy_verdict v;
	unsigned allowed = 0;

	for (size_t i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
		struct policy_request rq = {&pc, pm, asks[i].flags};

		policy_decide(p, &rq, &v);
		if (v.result == POLICY_PERMIT)
			allowed |= asks[i].allow;
	}
	return allowed;
}

/* --lazy and --recursive take every mount below: each must be allowed plain. */
static bool tree_allowed(const struct policy *p, const struct caller *c, const struct facts *f,
			 const struct mount_id *root_id)
{
	struct mount_id *ids = NULL;
	struct facts bf;
	bool ok = true;
	size_t n = 0;
	int err;

	if (mounts_list_below(&f->mount.id, &ids, &n) < 0)
		return false;
	for (size_t i = 0; ok && i < n; i++) {
		ok = facts_gather(&ids[i], root_id, &bf, &err) == FACTS_OK &&
		     (allowed_grants(p, c, &bf.pm) & REPORT_ALLOW_PLAIN);
		facts_free(&bf);
	}
	free(ids);
	return ok;
}

/* ... and must not propagate to copies under the parent's shared peers. */
static bool no_peers(const struct facts *f)
{
	struct mount_facts parent;
	bool shared = true;
	char **peers;
	size_t n;

	if (mounts_lookup(&f->mount.parent, &parent) == 0)
		shared = parent.shared;
	mount_facts_free(&parent);
	if (!shared)
		return true;
	if (devices_peers(&f->mount.parent, &peers, &n) < 0)
		return false;
	devices_free(peers, n);
	return n == 0;
}

/* A stacked mount: what every mount beneath it at the same place allows. */
static unsigned beneath(const struct policy *p, const struct caller *c, const struct facts *f,
			const struct mount_id *root_id)
{
	struct mount_id cur = f->mount.parent;
	unsigned allowed = ~0u;
	struct mount_facts m;
	struct facts pf;
	bool stacked;
	int err;

	for (int depth = 0; depth < STACK_MAX; depth++) {
		if (mounts_lookup(&cur, &m) < 0)
			return allowed;
		stacked = strcmp(m.target, f->mount.target) == 0;
		mount_facts_free(&m);
		if (!stacked)
			return allowed;
		if (facts_gather(&cur, root_id, &pf, &err) != FACTS_OK) {
			facts_free(&pf);
			return 0;
		}
		allowed &= allowed_grants(p, c, &pf.pm);
		cur = pf.mount.parent;
		facts_free(&pf);
	}
	return 0;
}

unsigned allowed_of_target(const struct policy *p, const struct caller *c, const struct facts *f,
			   const struct mount_id *root_id)
{
	const unsigned tree = REPORT_ALLOW_LAZY | REPORT_ALLOW_RECURSIVE;
	unsigned allowed = allowed_grants(p, c, &f->pm);

	if ((allowed & tree) && (!tree_allowed(p, c, f, root_id) || !no_peers(f)))
		allowed &= ~tree;
	if (allowed)
		allowed &= beneath(p, c, f, root_id);
	return allowed;
}
