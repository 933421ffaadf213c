/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * caller.c — see caller.h.
 */
#define _GNU_SOURCE
#include "caller.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int load_groups(struct caller *c)
{
	int n = getgroups(0, NULL);

	if (n < 0)
		return -errno;
	if (n > CALLER_MAX_GROUPS)
		return -E2BIG;
	c->groups = calloc((size_t)n + 1, sizeof(gid_t));
	if (!c->groups)
		return -ENOMEM;
	n = getgroups(n, c->groups);
	if (n < 0)
		return -errno;
	c->ngroups = (size_t)n;
	return 0;
}

static int add_group_name(struct caller *c, gid_t gid)
{
	struct group *gr;

	errno = 0;
	gr = getgrgid(gid);
	if (!gr)
		return errno == 0 || errno == ENOENT ? 0 : -errno;
	for (size_t i = 0; i < c->ngroup_names; i++)
		if (strcmp(c->group_names[i], gr->gr_name) == 0)
			return 0;
	c->group_names[c->ngroup_names] = strdup(gr->gr_name);
	if (!c->group_names[c->ngroup_names])
		return -ENOMEM;
	c->ngroup_names++;
	return 0;
}

static int load_names(struct caller *c, bool with_group_names)
{
	struct passwd *pw;
	int r;

	errno = 0;
	pw = getpwuid(c->uid);
	if (pw) {
		c->name = strdup(pw->pw_name);
		if (!c->name)
			return -ENOMEM;
	} else if (errno != 0 && errno != ENOENT) {
		return -errno;
	}
	c->group_names = calloc(c->ngroups + 1, sizeof(char *));
	if (!c->group_names)
		return -ENOMEM;
	if (!with_group_names)
		return 0;
	r = add_group_name(c, c->gid);
	for (size_t i = 0; r == 0 && i < c->ngroups; i++)
		r = add_group_name(c, c->groups[i]);
	return r;
}

int caller_load(struct caller *c, uid_t uid, gid_t gid, bool with_group_names)
{
	int r;

	memset(c, 0, sizeof(*c));
	c->uid = uid;
	c->gid = gid;
	r = load_groups(c);
	if (r == 0)
		r = load_names(c, with_group_names);
	if (r < 0)
		caller_free(c);
	return r;
}

void caller_free(struct caller *c)
{
	for (size_t i = 0; c->group_names && i < c->ngroup_names; i++)
		free(c->group_names[i]);
	free(c->group_names);
	free(c->groups);
	free(c->name);
	memset(c, 0, sizeof(*c));
}
