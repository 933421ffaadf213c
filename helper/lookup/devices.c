/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * devices.c — see devices.h. A device target is rare and its cost is
 * allowed to grow with the mount table: one pass over mountinfo, read by
 * the strict reader of mounts.h (a malformed line fails, never skipped).
 */
#define _GNU_SOURCE
#include "devices.h"

#include "mounts.h"

#include <errno.h>
#include <stdbool.h>
#include "lazylib.h"
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

/* Which mounts a collection keeps; self is skipped (may be NULL). */
struct want {
	dev_t dev;           /* devices: this device number, or 0 */
	unsigned long group; /* peers: this "shared:N", or 0 */
	struct libmnt_fs *self;
};

static unsigned long peer_group(struct libmnt_fs *fs);

static bool place_wanted(struct libmnt_fs *fs, const struct want *w)
{
	if (fs == w->self || !mnt_fs_get_target(fs))
		return false;
	if (w->dev)
		return mnt_fs_get_devno(fs) == w->dev;
	return w->group && peer_group(fs) == w->group;
}

/* The mount points of the wanted mounts of table tb, at most DEVICES_MAX_PLACES. */
static int collect_places(struct libmnt_table *tb, const struct want *w, char ***targets, size_t *n)
{
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	int r = 0;

	*targets = calloc(DEVICES_MAX_PLACES, sizeof(char *));
	*n = 0;
	if (!it || !*targets)
		r = -ENOMEM;
	while (r == 0 && *n < DEVICES_MAX_PLACES && mnt_table_next_fs(tb, it, &fs) == 0) {
		if (!place_wanted(fs, w))
			continue;
		(*targets)[*n] = strdup(mnt_fs_get_target(fs));
		if (!(*targets)[(*n)++])
			r = -ENOMEM;
	}
	mnt_free_iter(it);
	if (r < 0) {
		devices_free(*targets, *n);
		*targets = NULL;
		*n = 0;
	}
	return r;
}

int devices_mount_points(dev_t dev, char ***targets, size_t *n)
{
	struct want w = {.dev = dev};
	struct libmnt_table *tb;
	int r;

	*targets = NULL;
	*n = 0;
	r = mounts_read_table(&tb);
	if (tb && dev)
		r = collect_places(tb, &w, targets, n);
	mnt_unref_table(tb);
	return r;
}

static bool devno_known(const dev_t *devs, size_t n, dev_t dev)
{
	for (size_t i = 0; i < n; i++)
		if (devs[i] == dev)
			return true;
	return false;
}

int devices_block_devnos(dev_t *devs, size_t max, size_t *n)
{
	struct libmnt_table *tb = NULL;
	struct libmnt_iter *it = NULL;
	struct libmnt_fs *fs;
	dev_t dev;
	int r = mounts_read_table(&tb);

	*n = 0;
	if (r == 0 && !(it = mnt_new_iter(MNT_ITER_FORWARD)))
		r = -ENOMEM;
	while (r == 0 && *n < max && mnt_table_next_fs(tb, it, &fs) == 0) {
		dev = mnt_fs_get_devno(fs);
		if (major(dev) != 0 && !devno_known(devs, *n, dev))
			devs[(*n)++] = dev;
	}
	mnt_free_iter(it);
	mnt_unref_table(tb);
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
	struct libmnt_fs *fs, *next;
	struct libmnt_table *tb;
	int r;

	memset(out, 0, sizeof(*out));
	r = mounts_read_table(&tb);
	fs = tb ? child_at(tb, parent->legacy, path) : NULL;
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

/* The peer group of fs, by the one "shared:N" parser of mounts.h. */
static unsigned long peer_group(struct libmnt_fs *fs)
{
	return mounts_peer_group(mnt_fs_get_optional_fields(fs));
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
	struct want w = {0};
	struct libmnt_table *tb;
	int r;

	*targets = NULL;
	*n = 0;
	r = mounts_read_table(&tb);
	w.self = tb ? find_legacy(tb, mnt->legacy) : NULL;
	w.group = w.self ? peer_group(w.self) : 0;
	if (w.group)
		r = collect_places(tb, &w, targets, n);
	mnt_unref_table(tb);
	return r;
}
