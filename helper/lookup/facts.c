/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * facts.c — see facts.h.
 */
#define _GNU_SOURCE
#include "facts.h"

#include <errno.h>
#include "optstr.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asks.h"
#include "fstab.h"
#include "loopdev.h"

/* user_id= of a FUSE super block; the kernel writes it, the user cannot. */
static int fuse_user_id_option(const struct mount_facts *m, char **out)
{
	char *val = NULL;
	size_t len = 0;

	*out = NULL;
	if (!policy_is_fuse(m->fstype) || !m->fs_options)
		return 0;
	if (optstr_get(m->fs_options, "user_id", &val, &len) != 0 || !val)
		return 0;
	*out = strndup(val, len);
	return *out ? 0 : -ENOMEM;
}

static void fill_policy_mount(const struct mount_id *id, const struct mount_id *root_id,
			      struct facts *f)
{
	f->pm.target = f->mount.target;
	f->pm.source = f->mount.source;
	f->pm.fstype = f->mount.fstype;
	f->pm.is_root = mount_id_equal(id, root_id);
	f->pm.fuse_user_id = f->fuse_user_id;
	f->pm.utab_user = f->utab.user;
	f->pm.fstab = f->has_fstab ? &f->fstab : NULL;
	f->pm.fstab_mismatch = !f->has_fstab && f->fstab_mismatch[0] ? f->fstab_mismatch : NULL;
}

/* A loop device's autoclear flag, read before the unmount (afterwards an
 * autoclear device is gone). Not a loop, or unreadable: nothing to say. */
static void loop_state(struct facts *f)
{
	struct loopdev_backing b;

	f->loop_kept = loopdev_is_loop(f->mount.dev) &&
		       lookup_asks()->loop_backing(f->mount.dev, &b) == 0 && !b.autoclear;
}

void facts_after_unmount(const struct facts *f, char *msg, size_t len)
{
	if (len == 0)
		return;
	msg[0] = '\0';
	if (f->loop_kept)
		snprintf(msg, len,
			 "unmounted; the loop device %s was not set to autoclear and stays "
			 "attached (losetup -d %s frees it)",
			 f->mount.source, f->mount.source);
}

enum facts_result facts_gather(const struct mount_id *id, const struct mount_id *root_id,
			       struct facts *f, int *err)
{
	int r;

	memset(f, 0, sizeof(*f));
	*err = 0;
	r = mounts_lookup(id, &f->mount);
	if (r == -ENOENT)
		return FACTS_OTHER_NAMESPACE;
	if (r == 0)
		r = fuse_user_id_option(&f->mount, &f->fuse_user_id);
	if (r == 0) {
		r = fstab_match(&f->mount, &f->fstab, &f->bad_line, f->fstab_mismatch,
				sizeof(f->fstab_mismatch));
		if (r == -EINVAL && f->bad_line)
			return FACTS_FSTAB_BROKEN;
		f->has_fstab = (r == 1);
	}
	if (r >= 0) {
		r = utab_lookup(UU_UTAB_PATH, &f->mount, &f->utab);
		if (r == -EPERM)
			return FACTS_UTAB_UNSAFE;
		if (r == -ENOTUNIQ)
			return FACTS_UTAB_AMBIGUOUS;
	}
	if (r < 0) {
		*err = -r;
		return FACTS_FAILED;
	}
	loop_state(f);
	fill_policy_mount(id, root_id, f);
	return FACTS_OK;
}

void facts_free(struct facts *f)
{
	mount_facts_free(&f->mount);
	utab_match_free(&f->utab);
	free(f->fuse_user_id);
	memset(f, 0, sizeof(*f));
}
