/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * optstr — mount option strings ("rw,user_id=1000,x=\"a,b\""), read the
 * way libmount 2.38 reads them (mnt_optstr_next_option and
 * mnt_optstr_get_option), so that what this program decides from fstab,
 * utab and the mount table is what mount(8) and findmnt(8) see there.
 * tests/unit/test_fstabparse.c holds the two to the same answers.
 *
 * An item ends at a comma outside double quotes; leading commas are
 * skipped; the first '=' after the item's first character separates name
 * and value; an item still inside an open quote at the end is no item.
 * Pure: no I/O, no allocation.
 */
#ifndef USER_UMOUNT_OPTSTR_H
#define USER_UMOUNT_OPTSTR_H

#include <stddef.h>

/* The next item of *OPTSTR: 0 (name, value or NULL; *OPTSTR moved past
 * it), 1 at the end, -EINVAL for an item that cannot be read. */
int optstr_next(char **optstr, char **name, size_t *namesz, char **value, size_t *valsz);

/* The first item called NAME: 0 found (value NULL without '='), 1 none,
 * -EINVAL. */
int optstr_get(const char *optstr, const char *name, char **value, size_t *valsz);

#endif
