/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * loopdev.c — see loopdev.h.
 */
#define _GNU_SOURCE
#include "loopdev.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "probe.h"

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

/* The loop device is opened by number (probe_open_device: the node the
 * kernel names, checked on the fd), read-only: only a status is asked. */
int loopdev_backing(dev_t dev, struct loopdev_backing *out)
{
	struct loop_info64 info;
	int fd, r;

	memset(out, 0, sizeof(*out));
	if (!loopdev_is_loop(dev))
		return -ENXIO;
	r = probe_open_device(dev, &fd);
	if (r < 0)
		return r;
	memset(&info, 0, sizeof(info));
	r = ioctl(fd, LOOP_GET_STATUS64, &info) < 0 ? -errno : 0;
	close(fd);
	if (r < 0)
		return r;
	out->dev = loopdev_decode(info.lo_device);
	out->inode = info.lo_inode;
	out->autoclear = (info.lo_flags & LO_FLAGS_AUTOCLEAR) != 0;
	return 0;
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
