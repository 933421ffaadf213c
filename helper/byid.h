/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * byid — --id ID: a mount named by its unique mount ID (as --list and
 * --json print it), the handle a file manager holds between listing and
 * unmounting: the name can come to mean another mount, the ID cannot.
 */
#ifndef USER_UMOUNT_BYID_H
#define USER_UMOUNT_BYID_H

#include <stdint.h>

#include "caller.h"
#include "report.h"
#include "target.h"

/* Strict decimal, no sign, no leading zero, not 0. 0 or -1. */
int byid_parse(const char *s, uint64_t *id);

/*
 * Resolve the mount point of mount ID as the caller and pin it (t), only
 * if it still leads to that very mount. 0 (t ready for the decision), or -1
 * with the refusal in r: the mount is gone (32), another mount covers its
 * mount point or the caller cannot reach it (refused, naming what is in
 * the way). t is always safe to target_close().
 */
int byid_resolve(const char *arg, const struct caller *c, unsigned flags, struct target *t,
		 struct report *r);

#endif
