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

#define TAGS_VALUE_MAX   256
#define TAGS_MAX_DEVICES 64

/*
 * "LABEL=x" (one of the four tag names, a non-empty value) -> true with
 * *name the tag name ("LABEL") and *value pointing into s.
 */
bool tags_parse(const char *s, char *name, size_t namelen, const char **value);

/* udev's name for a tag value: bytes outside [0-9A-Za-z#+-.:=@_] and valid
 * UTF-8 become \xHH ("My Stick" -> "My\x20Stick"). 0 or -ENAMETOOLONG. */
int tags_encode(const char *value, char *out, size_t len);

/* The reverse: \xHH -> the byte. 0, -EINVAL on a bad escape or a NUL. */
int tags_decode(const char *enc, char *out, size_t len);

/* "/dev/disk/by-label/My\x20Stick" -> "LABEL", "My Stick". 0 or -EINVAL. */
int tags_from_link_path(const char *path, char *name, size_t namelen, char *value, size_t len);

/* The same for a TARGET naming a link udev did not make (no udev here). */
struct tags_value {
	char value[TAGS_VALUE_MAX];
};
bool tags_link_path_tag(const char *path, char name[16], struct tags_value *v);

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
