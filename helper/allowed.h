/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * allowed — every way (plain, lazy, force, expire, recursive) a caller may
 * unmount one mount, as "allowed" in --json and --list tells it. For a
 * resolved TARGET the same checks as an unmount (policy, then the tree:
 * below, shared, beneath, neighbours); --list has the policy part only
 * (allowed_grants) plus its own table-wide look. A hint for callers: each
 * unmount decides again.
 */
#ifndef USER_UMOUNT_ALLOWED_H
#define USER_UMOUNT_ALLOWED_H

#include "caller.h"
#include "facts.h"
#include "policy.h"
#include "target.h"

/* What the policy alone grants on pm (enum report_allow bits; recursive
 * as plain, before the tree below is looked at). */
unsigned allowed_grants(const struct policy *p, const struct caller *c,
			const struct policy_mount *pm);

/* The whole answer for one resolved mount, as the unmount would decide it. */
unsigned allowed_of_target(const struct policy *p, const struct policy_caller *pc,
			   const struct target *t, const struct facts *f);

#endif
