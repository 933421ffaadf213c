/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * holders — which of the caller's own processes keep a mount busy: working
 * directory, root, open files, memory maps. Only /proc is read, and mount
 * membership comes from fdinfo's mnt_id and maps' device numbers, never
 * from a stat through the (possibly hung FUSE) mount itself. Other users'
 * processes are not looked at: they are invisible by design.
 */
#ifndef USER_UMOUNT_HOLDERS_H
#define USER_UMOUNT_HOLDERS_H

#include <sys/types.h>

#include "mounts.h"
#include "report.h"

/* Runs as the caller, with no privilege left: it sees exactly the
 * processes the caller could see in /proc (non-dumpable ones hidden).
 * Fill r->holders (at most REPORT_MAX_HOLDERS). 0 or -errno. */
int holders_find(uid_t uid, uint64_t legacy_mnt_id, dev_t dev, struct report *r);

#endif
