/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * byid.c — see byid.h.
 */
#define _GNU_SOURCE
#include "byid.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <sys/stat.h>

#include "mounts.h"
#include "policy.h"
#include "statmount.h"

int byid_parse(const char *s, uint64_t *id)
{
	uint64_t v = 0;

	if (!s || !*s || s[0] == '0')
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9' || v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*id = v;
	return 0;
}

/* Unique mount IDs exist here: the kernel gives one for "/" (Linux 6.8),
 * and this build asks statmount(2) (not UU_FORCE_LIBMOUNT). */
static bool kernel_has_ids(void)
{
#ifdef UU_FORCE_LIBMOUNT
	return false;
#else
	struct statx sx;

	return statx(AT_FDCWD, "/", 0, STATX_MNT_ID_UNIQUE, &sx) == 0 &&
	       (sx.stx_mask & STATX_MNT_ID_UNIQUE);
#endif
}

__attribute__((format(printf, 5, 6))) static int refuse(struct report *r, enum outcome o,
							enum exit_code code, const char *reason,
							const char *fmt, ...)
{
	va_list ap;

	r->outcome = o;
	r->exit_code = code;
	r->reason = reason;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
	return -1;
}

/* What the mount point leads to now, instead of the mount: named. */
static int in_the_way(struct report *r, const struct mount_facts *m, const struct target *t)
{
	char what[REPORT_TEXT_MAX / 2], shown[REPORT_TEXT_MAX / 2], at[REPORT_TEXT_MAX / 4];
	struct mount_facts other;

	report_escape(m->target, at, sizeof(at));
	if (t->id.legacy && mounts_lookup(&t->id, &other) == 0) {
		snprintf(what, sizeof(what), "%s (%s, mount ID %llu, at %s)", other.source,
			 other.fstype, (unsigned long long)other.id.unique, other.target);
		mount_facts_free(&other);
		return refuse(r, OUTCOME_DENIED, EXIT_USAGE, "covered",
			      "refused: %s now leads to another mount: %s", at,
			      report_escape(what, shown, sizeof(shown)));
	}
	return refuse(r, OUTCOME_DENIED, EXIT_USAGE, "covered",
		      "refused: %s no longer leads to this mount", at);
}

static int unreachable(struct report *r, const struct mount_facts *m, enum target_result tr,
		       int err)
{
	char at[REPORT_TEXT_MAX / 2];

	return refuse(r, OUTCOME_DENIED, EXIT_USAGE, "unreachable",
		      "refused: you cannot reach its mount point %s: %s%s%s",
		      report_escape(m->target, at, sizeof(at)), target_strerror(tr),
		      err ? ": " : "", err ? strerror(err) : "");
}

/*
 * Attack: between --list and the unmount, the name can come to mean
 * another mount (one mounted over it, or over a directory above it). The
 * path is resolved as the caller, like any TARGET, and used only if the
 * kernel says the pinned mount has the unique ID asked for.
 */
int byid_resolve(const char *arg, const struct caller *c, unsigned flags, struct target *t,
		 struct report *r)
{
	struct mount_id want = {0, 0};
	struct mount_facts m;
	enum target_result tr;
	int err, ret;

	memset(t, 0, sizeof(*t));
	t->fd = t->parent_fd = -1;
	if (byid_parse(arg, &want.unique) < 0)
		return refuse(r, OUTCOME_ERROR, EXIT_USAGE, "bad-id",
			      "not a mount ID (a number as --list prints it)");
	r->mount_id = want.unique;
	if (!kernel_has_ids())
		return refuse(r, OUTCOME_ERROR, EXIT_SYSERR, "error",
			      "no unique mount IDs here (--id needs statmount(2), Linux 6.8)");
	/* -ENOSYS: statmount called it no ID (EINVAL), libmount has none */
	err = mounts_lookup(&want, &m);
	if (err == -ENOENT || err == -ENOSYS)
		return refuse(r, OUTCOME_NOT_MOUNTED, EXIT_FAILED, "gone",
			      "no mount with this ID in your mount namespace (unmounted?)");
	if (err < 0)
		return refuse(r, OUTCOME_ERROR, EXIT_SYSERR, "error",
			      "cannot look the mount ID up: %s", strerror(-err));
	if (flags & POLICY_EXPIRE)
		tr = target_resolve_untouched(m.target, c, t, &err);
	else
		tr = target_resolve(m.target, c, t, &err);
	if (tr == TARGET_OK && (t->id.unique ? t->id.unique == want.unique
					     : t->id.legacy && t->id.legacy == m.id.legacy))
		ret = 0;
	else if (tr == TARGET_OK || tr == TARGET_NOT_MOUNTPOINT)
		ret = in_the_way(r, &m, t);
	else
		ret = unreachable(r, &m, tr, err);
	if (ret < 0)
		r->mount_point = strdup(m.target);
	mount_facts_free(&m);
	return ret;
}
