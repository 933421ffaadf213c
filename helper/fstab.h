/*
 * fstab — the fstab entry, if any, that matches a mounted (source, target)
 * pair, with the options that entitle users (users; user/owner/group).
 * The path is compiled in. Sources are matched by device number for block
 * devices and tags (UUID=, LABEL=...), by exact string otherwise, and the
 * file system type must agree: a FUSE fsname can say "/dev/sda1".
 */
#ifndef USER_UMOUNT_FSTAB_H
#define USER_UMOUNT_FSTAB_H

#include <stdbool.h>

#include "mounts.h"
#include "policy.h"

#ifndef UU_FSTAB_PATH
#define UU_FSTAB_PATH "/etc/fstab"
#endif

/*
 * 1 found (*out filled; out->file is UU_FSTAB_PATH), 0 none, -EINVAL when
 * fstab has a syntax error (*bad_line set: fstab is then not trusted),
 * other -errno.
 */
int fstab_match(const struct mount_facts *m, struct policy_fstab *out, unsigned *bad_line);

#endif
