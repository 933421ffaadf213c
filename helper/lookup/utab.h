/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * utab — what mount(8) recorded about user mounts in /run/mount/utab
 * (the "user=NAME" of the mounter), and removing a mount's entry after the
 * unmount. The path is compiled in; libmount is never pointed elsewhere.
 */
#ifndef USER_UMOUNT_UTAB_H
#define USER_UMOUNT_UTAB_H

#include <stdbool.h>
#include <stddef.h>

#include "mounts.h"

#ifndef UU_UTAB_PATH
#define UU_UTAB_PATH "/run/mount/utab"
#endif

#define UTAB_MAX_SIZE (16u << 20)

/* One parsed utab line; strings point into the caller's buffer. */
struct utab_entry {
	const char *src;
	const char *target;
	const char *root;
	const char *opts;
	const char *id;
};

/*
 * Parse one line (NUL-terminated, no newline) in place: "KEY=value ..." with
 * values unescaped (\ooo). Unknown keys are ignored. 0 or -EINVAL.
 */
int utab_parse_line(char *line, struct utab_entry *e);

/* How long another process may hold the utab lock before we give up. */
#define UTAB_LOCK_WAIT_MS 3000

/* The one utab line of a mount, as found. */
struct utab_match {
	bool found;
	char *line; /* the raw line, byte for byte (no newline) */
	char *user; /* its "user=" value, or NULL */
};

/*
 * The utab line of this mount: the lines whose TARGET, ROOT and SRC (and ID
 * when both are known) match. None: found is false. More than one:
 * -ENOTUNIQ (a stale line beside a live one; which one is ours cannot be
 * told, so nothing is decided on either). -EPERM: utab is not root-owned
 * or is writable by others. PATH is UU_UTAB_PATH outside tests.
 */
int utab_lookup(const char *path, const struct mount_facts *m, struct utab_match *out);
void utab_match_free(struct utab_match *m);

/*
 * Remove LINE, byte for byte, under the lock, provided it is still the one
 * line of this mount; every other line is kept as it was (a file without
 * a name until it is complete, then rename; see UTAB_TEMP_SUFFIX). Done before the unmount (see
 * docs/DESIGN.md): a helper that dies half-way leaves a mount without its line, never a line
 * without its mount. -ETIMEDOUT: the lock was held for UTAB_LOCK_WAIT_MS; -ESTALE: the line changed
 * or is no longer unique; -errno otherwise.
 */
int utab_take(const char *path, const struct mount_facts *m, const char *line);

/*
 * Put LINE back (the unmount failed): appended under the lock, only while
 * the mount M is still there by its ID and, when PIN >= 0, PIN (an fd the
 * caller opened on the mount before this call) is on it: a pinned mount
 * cannot be unmounted meanwhile but by a lazy detach, and if that happens
 * before the lock is let go the line is removed again. Nothing is added
 * if a line of M is there already. 0, -ESTALE (the mount is gone: nothing
 * put back, rightly), -ETIMEDOUT, -errno.
 */
int utab_restore(const char *path, const struct mount_facts *m, const char *line, int pin);

/*
 * The one name a rewrite's new contents have between linkat and rename
 * (PATH + this). A file of that name found under the lock is a leftover of
 * a killed helper and is removed before the next rewrite.
 */
#define UTAB_TEMP_SUFFIX ".user-umount.tmp"

#endif
