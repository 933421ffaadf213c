/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * target — resolve a TARGET path as the caller, and pin it.
 *
 * The path is walked by a short-lived child that has become the caller
 * completely (uids, gids, groups; no capabilities), so every permission and
 * every FUSE access rule is exactly the caller's and the errno on failure is
 * the one the caller would get. The child hands back two O_PATH fds: the
 * parent directory (pinned; the unmount runs relative to it) and the last
 * component opened O_NOFOLLOW, with the mount IDs the kernel gives for it.
 * Only mount-ID bits are ever asked of statx on the target: a basic stat of a
 * FUSE root would hang on a dead daemon.
 */
#ifndef USER_UMOUNT_TARGET_H
#define USER_UMOUNT_TARGET_H

#include <limits.h>
#include <stdbool.h>

#include "caller.h"
#include "mounts.h"

enum target_result {
	TARGET_OK = 0,
	TARGET_ERRNO,          /* the caller's own errno while resolving (err) */
	TARGET_SYMLINK,        /* last component is a symbolic link */
	TARGET_NOT_MOUNTPOINT, /* (block_device tells whether it names a device) */
	TARGET_DOT,            /* last component is "." or ".." */
	TARGET_FAILED,         /* our own failure (fork, socket...): err */
};

struct target {
	char last[NAME_MAX + 1]; /* "." for "/" itself */
	int parent_fd;           /* O_PATH, pinned parent directory */
	int fd;                  /* O_PATH|O_NOFOLLOW, the last component */
	struct mount_id id;      /* the mount fd is on */
	struct mount_id root_id; /* the mount of the caller's "/" */
	bool block_device;       /* not a mount root, but a block device node */
	dev_t rdev;              /* its device number */
	bool table_only;         /* found in the mount table without resolving it */
	char path[PATH_MAX];     /* table_only: the mount point, as the table shows it */
};

enum target_result target_resolve(const char *path, const struct caller *c, struct target *t,
				  int *err);

/*
 * For --expire: any lookup that ends on the mount clears its expiry mark
 * (every mntput() does), so the second call could never finish. This
 * variant pins only the parent directory and finds the mount in the mount
 * table by (parent mount, mount point). t->fd stays -1.
 */
enum target_result target_resolve_untouched(const char *path, const struct caller *c,
					    struct target *t, int *err);

/*
 * Re-open the last component from the pinned parent and compare mount IDs
 * with t->fd's (which must still be open). Runs in the unmount child.
 * 0 same mount, -ESTALE changed, other -errno on failure.
 */
int target_recheck(const struct target *t);

/*
 * The mount IDs of whatever fd is on, asking statx for the mount-ID bits
 * only (a FUSE file system is not asked anything). 0 or -errno.
 */
int target_mount_ids(int fd, struct mount_id *id, bool *mount_root);

/* The legacy mount ID of the mount fd is on, from /proc/self/fdinfo: no
 * file system is asked, so it works on anyone's FUSE mount. 0 or -errno. */
int target_fd_mount(int fd, uint64_t *legacy);

/*
 * Open the target again from the pinned parent (after an unmount attempt
 * closed t->fd) and check it is still the decided mount. 0, -ESTALE or
 * -errno.
 */
int target_repin(struct target *t);

void target_close(struct target *t);
const char *target_strerror(enum target_result r);

#endif
