/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fstab — the fstab entry, if any, that matches a mounted (source, target)
 * pair, with the options that entitle users (users; user/owner/group).
 * The path is compiled in. Sources are matched by device number for block
 * devices and udev links, by the tag the device carries for LABEL=, UUID=,
 * PARTLABEL=, PARTUUID= and /dev/disk/by-* names (tags.h), by the backing
 * file's identity for image files on a loop device (user,loop; loopdev.h),
 * by exact string otherwise; and the file system type must agree: a FUSE
 * fsname can say "/dev/sda1".
 */
#ifndef USER_UMOUNT_FSTAB_H
#define USER_UMOUNT_FSTAB_H

#include <stdbool.h>

#include "fstabparse.h"
#include "mounts.h"
#include "policy.h"

#ifndef UU_FSTAB_PATH
#define UU_FSTAB_PATH "/etc/fstab"
#endif

#include <stddef.h>

/*
 * 1 found (*out filled; out->file is UU_FSTAB_PATH), 0 none, -EINVAL when
 * fstab has a syntax error (*bad_line set: fstab is then not trusted),
 * other -errno. With none found, mismatch (mlen bytes) says which entry for
 * this mount point would have entitled users but names another source or
 * type ("/etc/fstab:7 is for LABEL=STICK; /dev/loop3 is mounted here"),
 * or is "".
 */
/*
 * Every entry of UU_FSTAB_PATH (fstabparse.h): 0 (none when there is no
 * such file), -EINVAL with *bad_line, -EFBIG, other -errno. The one reading
 * of fstab for the unmount and for --list, so the two cannot disagree.
 */
int fstab_read(struct fstab_table *tb, unsigned *bad_line);

int fstab_match(const struct mount_facts *m, struct policy_fstab *out, unsigned *bad_line,
		char *mismatch, size_t mlen);

#endif
