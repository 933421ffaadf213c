/*
 * devices.c — see devices.h. A device target is rare and its cost is
 * allowed to grow with the mount table: one pass over mountinfo.
 */
#define _GNU_SOURCE
#include "devices.h"

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
