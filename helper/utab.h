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

/*
 * The utab entry of this mount (last one with the same TARGET, ROOT and
 * SRC; ID too when both are known). *user: malloc'ed "user=" value or NULL.
 * 0 (also when there is no utab), or -errno when utab is unsafe or unreadable.
 */
int utab_lookup(const struct mount_facts *m, bool *has_entry, char **user);

/* Remove the entry for target (libmount update API: locked, signals blocked,
 * temp file + rename). 0 or -errno. */
int utab_remove(const char *target);

#endif
