/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * list — --list: every mount of the caller's namespace the caller may
 * unmount in some way, with the ways ("allowed"). A question, not an act:
 * nothing is unmounted and nothing goes to syslog.
 */
#ifndef USER_UMOUNT_LIST_H
#define USER_UMOUNT_LIST_H

#include <stdbool.h>

#include "caller.h"
#include "options.h"
#include "policy.h"

/* Columns MOUNTPOINT SOURCE FSTYPE ALLOWED (RULE with -v), or --json.
 * Each listed mount is decided as its unmount would be (pins verified,
 * nothing held), with the privilege that takes; LEAVE then drops every
 * privilege before anything is printed. Returns the exit code. */
int list_run(const struct options *o, const struct caller *c, const struct policy *p,
	     bool (*leave)(void));

#endif
