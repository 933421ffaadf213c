/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tags.c — see tags.h.
 */
#define _GNU_SOURCE
#include "tags.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "devices.h"
#include "probe.h"

/* The device udev's link for name=value points to. -ENOENT: no such link. */
static int link_device_exact(const char *name, const char *value, dev_t *dev)
{
	char enc[TAGS_VALUE_MAX * 4], path[PATH_MAX];
	const char *dir = tags_dir_of(name);
	struct stat st;

	if (!dir || tags_encode(value, enc, sizeof(enc)) < 0 || strcmp(enc, ".") == 0 ||
	    strcmp(enc, "..") == 0)
		return -EINVAL;
	if ((size_t)snprintf(path, sizeof(path), "%s%s", dir, enc) >= sizeof(path))
		return -ENAMETOOLONG;
	if (stat(path, &st) < 0)
		return -ENOENT; /* no link, or a dangling one: not udev's answer */
	if (!S_ISBLK(st.st_mode))
		return -ENOENT;
	*dev = st.st_rdev;
	return 0;
}

/* A UUID is hex, its case carries nothing: udev names ext4's in lower
 * case and vfat's in upper case, whatever case fstab uses. */
static int link_device(const char *name, const char *value, dev_t *dev)
{
	char other[TAGS_VALUE_MAX];
	size_t i;
	int r = link_device_exact(name, value, dev);

	for (int upper = 0; r == -ENOENT && strstr(name, "UUID") && upper < 2; upper++) {
		for (i = 0; value[i] && i + 1 < sizeof(other); i++)
			other[i] = (char)(upper ? toupper((unsigned char)value[i])
						: tolower((unsigned char)value[i]));
		other[i] = '\0';
		if (!value[i])
			r = link_device_exact(name, other, dev);
	}
	return r;
}

/* Without a link: read LABEL or UUID from dev itself, in the probe child. */
static bool probe_has(const char *name, const char *value, dev_t dev)
{
	char found[PROBE_VALUE_MAX];
	int err;

	if (strcmp(name, "LABEL") != 0 && strcmp(name, "UUID") != 0)
		return false;
	if (probe_tag(dev, name, found, sizeof(found), &err) != PROBE_FOUND)
		return false;
	/* A UUID is hex: its case carries nothing. A label's does. */
	return name[0] == 'U' ? strcasecmp(found, value) == 0 : strcmp(found, value) == 0;
}

bool tags_device_has(const char *name, const char *value, dev_t dev)
{
	dev_t linked;

	if (link_device(name, value, &linked) == 0)
		return linked == dev;
	return probe_has(name, value, dev);
}

int tags_find_mounted(const char *name, const char *value, dev_t *devs, size_t max, size_t *n)
{
	dev_t mounted[TAGS_MAX_DEVICES], linked;
	size_t nm = 0;
	int r;

	*n = 0;
	if (max == 0)
		return -EINVAL;
	if (link_device(name, value, &linked) == 0) {
		devs[(*n)++] = linked;
		return 0;
	}
	r = devices_block_devnos(mounted, TAGS_MAX_DEVICES, &nm);
	for (size_t i = 0; r == 0 && i < nm && *n < max; i++)
		if (probe_has(name, value, mounted[i]))
			devs[(*n)++] = mounted[i];
	return r;
}

/* Append the mount points of dev to *places. */
static int append_places(dev_t dev, char ***places, size_t *n)
{
	char **more = NULL;
	size_t nmore = 0, i;
	int r = devices_mount_points(dev, &more, &nmore);

	for (i = 0; r == 0 && i < nmore && *n < DEVICES_MAX_PLACES; i++) {
		(*places)[(*n)++] = more[i];
		more[i] = NULL;
	}
	devices_free(more, nmore);
	return r;
}

int tags_mount_points(const char *name, const char *value, char ***places, size_t *n)
{
	dev_t devs[TAGS_MAX_DEVICES];
	size_t nd = 0;
	int r = tags_find_mounted(name, value, devs, TAGS_MAX_DEVICES, &nd);

	*n = 0;
	*places = r == 0 ? calloc(DEVICES_MAX_PLACES, sizeof(char *)) : NULL;
	if (r == 0 && !*places)
		r = -ENOMEM;
	for (size_t i = 0; r == 0 && i < nd; i++)
		r = append_places(devs[i], places, n);
	if (r < 0) {
		devices_free(*places, *n);
		*places = NULL;
		*n = 0;
	}
	return r;
}
