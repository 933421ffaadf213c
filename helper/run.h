/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * run — one TARGET end to end (docs/DESIGN.md, "One unmount"): resolve as
 * the caller, gather facts, decide the mount and every other mount the
 * unmount could reach, take its utab line, unmount in the sandboxed child,
 * put the line back if that failed. run_target() does the privileged part
 * and only fills the report; run_finish() runs after every privilege is
 * gone and completes what needs none (the caller's busy processes).
 */
#ifndef USER_UMOUNT_RUN_H
#define USER_UMOUNT_RUN_H

#include "caller.h"
#include "options.h"
#include "policy.h"
#include "report.h"

struct run_context {
	const struct options *o;
	const struct caller *c;
	const struct policy *p;
	struct policy_caller pc; /* the caller as the policy sees them, built once */
};

void run_context_init(struct run_context *ctx, const struct options *o, const struct caller *c,
		      const struct policy *p);

/* Fills *r (r->target set by the caller of this); returns its exit code. */
int run_target(const struct run_context *ctx, struct report *r);

/* After privileges are dropped: holders of a busy mount, then the message. */
void run_finish(const struct run_context *ctx, struct report *r);

/* --id: the same for the mount with this unique mount ID (byid.h). */
int run_target_id(const struct run_context *ctx, struct report *r);

#endif
