/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * loopinfo — the backing file of a loop device, read from the device
 * itself: opened as root by number (probe_open_device), LOOP_GET_STATUS64.
 * A privileged act; lookups ask for it through asks.h.
 */
#ifndef USER_UMOUNT_LOOPINFO_H
#define USER_UMOUNT_LOOPINFO_H

#include <sys/types.h>

#include "loopdev.h"

/* The backing file of loop device dev. 0, -ENXIO when none, or -errno. */
int loopdev_backing(dev_t dev, struct loopdev_backing *out);

#endif
