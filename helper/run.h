/*
 * run — one TARGET end to end, steps 2-6 of SPEC section 5: resolve as the
 * caller, gather facts, decide (the mount, and with --lazy/--recursive
 * every mount below it), unmount in the sandboxed child, update utab,
 * report. Returns the TARGET's exit code.
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
	struct report_style style;
};

int run_target(const struct run_context *ctx, const char *arg);
/* --id: the same for the mount with this unique mount ID (byid.h). */
int run_target_id(const struct run_context *ctx, const char *arg);

#endif
