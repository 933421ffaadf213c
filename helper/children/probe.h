/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probe — read a file system's LABEL or UUID from the one mounted block
 * device itself, for machines without udev's /dev/disk links.
 *
 * The superblock is data the caller may have crafted (a user,loop image),
 * so it is parsed by libblkid in a child that holds no privilege: all uids
 * and gids the caller's (nobody's when the caller is root), no groups, no
 * capabilities, no_new_privs, CPU and memory limits, and a seccomp filter
 * that allows reading only the one device fd the parent opened read-only,
 * writing only the result pipe, anonymous non-executable memory, and exit.
 * See SECURITY.md, "The probe child".
 */
#ifndef USER_UMOUNT_PROBE_H
#define USER_UMOUNT_PROBE_H

#include <stddef.h>
#include <sys/types.h>

#include "sandbox.h"

#define PROBE_VALUE_MAX 256

/* Failure is the zero value: a tag that could not be read matches nothing. */
enum probe_result {
	PROBE_FAILED = 0, /* could not open or probe the device (err) */
	PROBE_NO_TAG,     /* no file system, several, or no such tag on it */
	PROBE_FOUND,      /* value holds the tag's value */
};

/*
 * The value of tag ("LABEL" or "UUID") of the file system on block device
 * dev, read in the sandboxed child. value has room for PROBE_VALUE_MAX.
 */
enum probe_result probe_tag(dev_t dev, const char *tag, char *value, size_t len, int *err);

/*
 * Open block device dev read-only by its number: the node the kernel names
 * in /sys/dev/block/MAJ:MIN/uevent (DEVNAME), under /dev, opened
 * O_NOFOLLOW|O_NONBLOCK and checked on the fd to be that very device.
 * 0 (*fd set) or -errno.
 */
int probe_open_device(dev_t dev, int *fd);

/* The child's seccomp filter for these fds (built before the fork). */
int probe_filter_build(int devfd, int out, struct sandbox *sb);

/*
 * In the child: close every fd but devfd and out, drop to the caller's
 * uids and gids (nobody's for a root caller) and no groups, check that no
 * capability is left, no_new_privs, not dumpable, CPU and memory limits,
 * then load sb. 0 or -errno; the child must exit on failure.
 */
int probe_enter_sandbox(int devfd, int out, const struct sandbox *sb);

#endif
