/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * facts — everything policy_decide() needs to know about one resolved
 * target, gathered from the mount table, fstab and utab.
 */
#ifndef USER_UMOUNT_FACTS_H
#define USER_UMOUNT_FACTS_H

#include <stdbool.h>

#include "mounts.h"
#include "policy.h"
#include "utab.h"

#define FACTS_TEXT_MAX 512

enum facts_result {
	FACTS_OK = 0,
	FACTS_OTHER_NAMESPACE, /* the mount is not in the caller's mount namespace */
	FACTS_FSTAB_BROKEN,    /* fstab has a syntax error at bad_line */
	FACTS_UTAB_UNSAFE,     /* utab is not root-owned or is writable by others */
	FACTS_UTAB_AMBIGUOUS,  /* several utab lines match this mount */
	FACTS_FAILED,          /* err */
};

struct facts {
	struct mount_facts mount;
	struct policy_fstab fstab;
	bool has_fstab;
	struct utab_match utab; /* its one utab line, if any */
	char *fuse_user_id;
	unsigned bad_line;
	char fstab_mismatch[FACTS_TEXT_MAX]; /* fstab_match()'s, "" if none */
	bool loop_kept;                      /* a loop device without autoclear: stays attached */
	struct policy_mount pm;              /* points into the fields above */
};

/* Facts of the mount with this ID; root_id is the mount of the caller's "/". */
enum facts_result facts_gather(const struct mount_id *id, const struct mount_id *root_id,
			       struct facts *f, int *err);
void facts_free(struct facts *f);

/*
 * After a successful unmount: what the caller should still know, as a
 * message ("" if nothing): a loop device that was not set to autoclear
 * stays attached (user-umount does not free it; see loopdev.h).
 */
void facts_after_unmount(const struct facts *f, char *msg, size_t len);

#endif
