/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * loopdev.c — see loopdev.h.
 */
#define _GNU_SOURCE
#include "loopdev.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define LOOPDEV_MAJOR 7

bool loopdev_is_loop(dev_t dev)
{
	return major(dev) == LOOPDEV_MAJOR;
}

dev_t loopdev_decode(uint64_t encoded)
{
	unsigned maj = (unsigned)((encoded & 0xfff00) >> 8);
	unsigned min = (unsigned)((encoded & 0xff) | ((encoded >> 12) & 0xfff00));

	return makedev(maj, min);
}

/*
 * The fstab path is root's configuration and is resolved as root, the way
 * mount(8) resolved it when it set up the loop device: whoever can swap a
 * file on that path could as well have had mount(8) mount the swapped
 * file there. Identity, not name, decides; no automount is triggered.
 */
bool loopdev_file_matches(const char *path, const struct loopdev_backing *b)
{
	struct stat st;

	if (!path || path[0] != '/' || fstatat(AT_FDCWD, path, &st, AT_NO_AUTOMOUNT) < 0)
		return false;
	return S_ISREG(st.st_mode) && st.st_dev == b->dev && (uint64_t)st.st_ino == b->inode;
}
