/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * loopdev — the file behind a mounted loop device, by identity.
 *
 * A user,loop fstab entry names an image file; the mount table shows
 * /dev/loopN. The two are matched by the backing file's (device, inode)
 * from LOOP_GET_STATUS64 against a stat of the fstab path, never by name:
 * the loop's file name is what it was when attached, and can be renamed
 * or replaced since.
 */
#ifndef USER_UMOUNT_LOOPDEV_H
#define USER_UMOUNT_LOOPDEV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct loopdev_backing {
	dev_t dev;      /* device of the backing file */
	uint64_t inode; /* its inode */
	bool autoclear; /* released by the kernel when the last user goes */
};

/* Is dev a loop device (by its major number)? */
bool loopdev_is_loop(dev_t dev);

/* The backing file itself is read by helper/privileged/loopinfo.h
 * (asks.h: loop_backing). */

/* Does the file at path (fstab's, resolved as root, as mount(8) did when
 * it set up the loop) have this identity? */
bool loopdev_file_matches(const char *path, const struct loopdev_backing *b);

/* The kernel's encoding of a dev_t in loop_info64.lo_device (new_encode_dev). */
dev_t loopdev_decode(uint64_t encoded);

#endif
