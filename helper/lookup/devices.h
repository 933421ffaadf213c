/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * devices — where a block device is mounted, by device number (never by
 * source string: a FUSE fsname can say "/dev/sda1").
 */
#ifndef USER_UMOUNT_DEVICES_H
#define USER_UMOUNT_DEVICES_H

#include <stddef.h>
#include <sys/types.h>

#define DEVICES_MAX_PLACES 64

/* Mount points (malloc'ed strings) of every mount of dev in the caller's
 * namespace, at most DEVICES_MAX_PLACES. 0 or -errno. */
int devices_mount_points(dev_t dev, char ***targets, size_t *n);
void devices_free(char **targets, size_t n);

/* The distinct device numbers of the mounts backed by a device (major not
 * 0) in the caller's namespace, at most max. 0 or -errno. */
int devices_block_devnos(dev_t *devs, size_t max, size_t *n);

/*
 * The topmost mount whose mount point is PATH and whose parent is (below)
 * the mount PARENT, found in the mount table alone: nothing resolves PATH,
 * so the mount's refcount is not touched (MNT_EXPIRE's mark survives).
 * 0 (out->legacy set), -ENOENT when nothing is mounted there, -errno.
 */
struct mount_id;
int devices_mount_at(const struct mount_id *parent, const char *path, struct mount_id *out);

/*
 * Mount points of the other members of MNT's shared peer group (mountinfo's
 * "shared:N"): an unmount below MNT propagates to them. 0 or -errno.
 */
int devices_peers(const struct mount_id *mnt, char ***targets, size_t *n);

#endif
