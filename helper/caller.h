/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * caller — who is asking: real uid/gid, supplementary groups, and the
 * names the policy compares (user name, group names). Read once, before
 * any privileged step; nothing here comes from the environment.
 */
#ifndef USER_UMOUNT_CALLER_H
#define USER_UMOUNT_CALLER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define CALLER_MAX_GROUPS 65536

struct caller {
	uid_t uid;
	gid_t gid;
	gid_t *groups; /* supplementary groups, as inherited */
	size_t ngroups;
	char *name;         /* NULL when the uid has no passwd entry */
	char **group_names; /* real gid first, then supplementary; NULL entries skipped */
	size_t ngroup_names;
};

/* UID and GID are the real ones at exec (main keeps them: after narrowing
 * the real uid is 0). 0 or -errno. Group names are looked up only when with_group_names is set
 * (a policy rule names a group); NSS lookups are not free. */
int caller_load(struct caller *c, uid_t uid, gid_t gid, bool with_group_names);
void caller_free(struct caller *c);

#endif
