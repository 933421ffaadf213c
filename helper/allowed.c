/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * allowed.c — see allowed.h.
 */
#define _GNU_SOURCE
#include "allowed.h"

#include <stdlib.h>
#include <string.h>

#include "pins.h"
#include "report.h"
#include "tree.h"

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

/*
 * Each way the caller may ask, decided as an unmount would be: the policy
 * for the flag, then every other mount that unmount could reach
 * (tree_gather, policy_decide_tree). Anything not known is not allowed.
 */
unsigned allowed_of_target(const struct policy *p, const struct policy_caller *pc,
			   const struct target *t, const struct facts *f)
{
	static const struct {
		unsigned flags;
		bool recursive;
		unsigned allow;
	} asks[] = {{0, false, REPORT_ALLOW_PLAIN},
		    {POLICY_LAZY, false, REPORT_ALLOW_LAZY},
		    {POLICY_FORCE, false, REPORT_ALLOW_FORCE},
		    {POLICY_EXPIRE, false, REPORT_ALLOW_EXPIRE},
		    {0, true, REPORT_ALLOW_RECURSIVE}};
	unsigned allowed = 0;

	for (size_t i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
		struct policy_request rq = {pc, &f->pm, asks[i].flags};
		struct tree_request trq = {
		    t, f, asks[i].flags, asks[i].recursive, asks[i].recursive, pc->uid};
		struct policy_tree_verdict tv;
		struct policy_verdict v;
		struct pins pins;
		struct tree tr;

		policy_decide(p, &rq, &v);
		if (v.result != POLICY_PERMIT)
			continue;
		tree_gather(&trq, &tr);
		pins_take(&tr, false, &pins);
		policy_decide_tree(p, &rq, &tr.pt, &tv);
		if (tv.result == POLICY_TREE_CLEAR)
			allowed |= asks[i].allow;
		tree_free(&tr);
	}
	return allowed;
}
