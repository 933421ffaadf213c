/*
 * devices.c — see devices.h. A device target is rare and its cost is
 * allowed to grow with the mount table: one pass over mountinfo.
 */
#define _GNU_SOURCE
#include "devices.h"

#include "mounts.h"

#include <errno.h>
#include <libmount/libmount.h>
#include <stdlib.h>
#include <string.h>

int devices_mount_points(dev_t dev, char ***targets, size_t *n)
{
	struct libmnt_table *tb = mnt_new_table();
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	int r = -ENOMEM;

	*targets = calloc(DEVICES_MAX_PLACES, sizeof(char *));
	*n = 0;
	if (!tb || !it || !*targets)
		goto out;
	r = mnt_table_parse_file(tb, "/proc/self/mountinfo");
	while (r == 0 && mnt_table_next_fs(tb, it, &fs) == 0) {
		if (mnt_fs_get_devno(fs) != dev || !mnt_fs_get_target(fs))
			continue;
		if (*n == DEVICES_MAX_PLACES)
			break;
		(*targets)[*n] = strdup(mnt_fs_get_target(fs));
		if (!(*targets)[(*n)++])
			r = -ENOMEM;
	}
out:
	mnt_free_iter(it);
	mnt_unref_table(tb);
	if (r < 0) {
		devices_free(*targets, *n);
		*targets = NULL;
		*n = 0;
	}
	return r;
}

void devices_free(char **targets, size_t n)
{
	for (size_t i = 0; targets && i < n; i++)
		free(targets[i]);
	free(targets);
}

static struct libmnt_fs *child_at(struct libmnt_table *tb, uint64_t parent, const char *path)
{
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs, *found = NULL;

	while (it && !found && mnt_table_next_fs(tb, it, &fs) == 0)
		if ((uint64_t)mnt_fs_get_parent_id(fs) == parent && mnt_fs_get_target(fs) &&
		    strcmp(mnt_fs_get_target(fs), path) == 0)
			found = fs;
	mnt_free_iter(it);
	return found;
}

int devices_mount_at(const struct mount_id *parent, const char *path, struct mount_id *out)
{
	struct libmnt_table *tb = mnt_new_table();
	struct libmnt_fs *fs, *next;
	int r;

	memset(out, 0, sizeof(*out));
	if (!tb)
		return -ENOMEM;
	r = mnt_table_parse_file(tb, "/proc/self/mountinfo");
	fs = r == 0 ? child_at(tb, parent->legacy, path) : NULL;
	/* Stacked mounts sit on each other's root at the same mount point. */
	while (fs && (next = child_at(tb, (uint64_t)mnt_fs_get_id(fs), path)))
		fs = next;
	if (r == 0 && !fs)
		r = -ENOENT;
	if (fs)
		out->legacy = (uint64_t)mnt_fs_get_id(fs);
	mnt_unref_table(tb);
	return r;
}

/* The N of "shared:N" in mountinfo's optional fields, or 0. */
static unsigned long peer_group(struct libmnt_fs *fs)
{
	const char *f = mnt_fs_get_optional_fields(fs), *p;
	unsigned long n = 0;

	for (p = f; p && (p = strstr(p, "shared:")); p++)
		if (p == f || p[-1] == ' ')
			return strtoul(p + 7, NULL, 10);
	return n;
}

static struct libmnt_fs *find_legacy(struct libmnt_table *tb, uint64_t id)
{
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs, *found = NULL;

	while (it && !found && mnt_table_next_fs(tb, it, &fs) == 0)
		if ((uint64_t)mnt_fs_get_id(fs) == id)
			found = fs;
	mnt_free_iter(it);
	return found;
}

int devices_peers(const struct mount_id *mnt, char ***targets, size_t *n)
{
	struct libmnt_table *tb = mnt_new_table();
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs, *self;
	unsigned long group = 0;
	int r = -ENOMEM;

	*targets = calloc(DEVICES_MAX_PLACES, sizeof(char *));
	*n = 0;
	if (!tb || !it || !*targets)
		goto out;
	r = mnt_table_parse_file(tb, "/proc/self/mountinfo");
	self = r == 0 ? find_legacy(tb, mnt->legacy) : NULL;
	group = self ? peer_group(self) : 0;
	while (group && mnt_table_next_fs(tb, it, &fs) == 0 && *n < DEVICES_MAX_PLACES) {
		if (fs == self || peer_group(fs) != group || !mnt_fs_get_target(fs))
			continue;
		(*targets)[*n] = strdup(mnt_fs_get_target(fs));
		if (!(*targets)[(*n)++])
			r = -ENOMEM;
	}
out:
	mnt_free_iter(it);
	mnt_unref_table(tb);
	if (r < 0) {
		devices_free(*targets, *n);
		*targets = NULL;
		*n = 0;
	}
	return r;
}
