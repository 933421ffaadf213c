/*
 * allowed — every way (plain, lazy, force, expire, recursive) a caller may
 * unmount one mount, as "allowed" in --json and --list tells it. The same
 * checks as an unmount: the policy for each flag, and for --lazy and
 * --recursive the mounts below and the parent's shared peers; a stacked
 * mount only as far as the mounts beneath it allow. A hint for callers:
 * each unmount decides again.
 */
#ifndef USER_UMOUNT_ALLOWED_H
#define USER_UMOUNT_ALLOWED_H

#include "caller.h"
#include "facts.h"
#include "policy.h"

/* What the policy alone grants on pm (enum report_allow bits; recursive
 * as plain, before the tree below is looked at). */
unsigned allowed_grants(const struct policy *p, const struct caller *c,
			const struct policy_mount *pm);

/* The whole answer for one resolved mount; root_id: the caller's "/". */
unsigned allowed_of_target(const struct policy *p, const struct caller *c, const struct facts *f,
			   const struct mount_id *root_id);

#endif
