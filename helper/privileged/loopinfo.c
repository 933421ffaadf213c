/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * loopinfo.c — see loopinfo.h.
 */
#define _GNU_SOURCE
#include "loopinfo.h"

#include <errno.h>
#include <linux/loop.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "probe.h"

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
