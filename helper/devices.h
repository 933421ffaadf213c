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

#endif
