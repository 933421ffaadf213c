/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tags — LABEL=, UUID=, PARTLABEL=, PARTUUID= and /dev/disk/by-* names of
 * a block device, in fstab and on the command line.
 *
 * A tag names the device that carries it. Where udev made its links
 * (/dev/disk/by-label/My\x20Stick), the link decides; where there are none
 * (containers, VMs, machines without udev) LABEL and UUID are read from the
 * one device in question by the sandboxed probe (probe.h). PARTLABEL and
 * PARTUUID live in the partition table of another device (the disk), so
 * without links they match nothing.
 */
#ifndef USER_UMOUNT_TAGS_H
#define USER_UMOUNT_TAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "tagnames.h"

#define TAGS_MAX_DEVICES 64

/* Does block device dev carry tag name=value? By the udev link if there is
 * one (it decides), else by probing dev itself (LABEL and UUID only). */
bool tags_device_has(const char *name, const char *value, dev_t dev);

/*
 * The mounted block devices that carry name=value (at most max): the
 * link's device, or without links every mounted block device probed in
 * turn. 0 or -errno.
 */
int tags_find_mounted(const char *name, const char *value, dev_t *devs, size_t max, size_t *n);

/*
 * TARGET as a tag (umount LABEL=X): the mount points of every mounted
 * device that carries it, at most DEVICES_MAX_PLACES (devices_free()).
 * 0 or -errno.
 */
int tags_mount_points(const char *name, const char *value, char ***places, size_t *n);

#endif
