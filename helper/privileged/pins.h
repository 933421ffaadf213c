/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pins — the neighbours of a plain unmount, held busy across umount2().
 *
 * umount2(LAST) names a path, and a rename can bring another child of the
 * parent mount under that name between the re-check and the call. Each
 * such neighbour (tree.c lists them by ID) is opened O_PATH at its mount
 * point, verified by mount ID to be the top of its stack on the parent
 * mount, and held: a pinned mount is busy, so a swap turns into EBUSY,
 * never into another mount's unmount. A neighbour whose directory no user
 * but root can change is verified and let go (it cannot be swapped in).
 *
 * Privileged: where the caller may not search the way to a neighbour
 * (another user's 0700 home, root's /var/lib/docker), it is opened again
 * with fs uid 0, only looked at, and verified like any other.
 */
#ifndef USER_UMOUNT_PINS_H
#define USER_UMOUNT_PINS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "tree.h"

struct pins {
	int *fd;
	size_t n;
};

/*
 * Verify (and, with HOLD, pin) every neighbour stack of TR. A stack that
 * cannot be verified makes the tree refuse (tree_set_unpinned); a fixed
 * one marks its entries fixed. 0, or -errno (out of memory, privilege
 * failure) with the tree refused.
 */
int pins_take(struct tree *tr, bool hold, struct pins *p);
void pins_release(struct pins *p);

#endif
