/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mounts_statmount.c — mount facts from statmount(2)/listmount(2), by
 * unique mount ID (Linux >= 6.8): constant cost, whatever the table size.
 *
 * What the kernel reports is checked in the returned mask, never guessed
 * from the kernel version. A field the facts need that this kernel cannot
 * give means -EOPNOTSUPP, and mounts.c asks libmount instead.
 */
#define _GNU_SOURCE
#include "mounts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "statmount.h"

/* Room for a 4 KiB mount point, its root and options; grown on EOVERFLOW. */
#define SM_BUF_INITIAL (4u << 10)
#define SM_BUF_MAX     (1u << 20)
/* listmount(2) refuses more than 1 000 000 IDs per call anyway. */
#define LIST_PAGE  4096u
#define MOUNTS_MAX 1000000u

/* Always present when the kernel knows them (a type, a root, a mount point). */
#define SM_REQUIRED                                                                                \
	(UU_STATMOUNT_SB_BASIC | UU_STATMOUNT_MNT_BASIC | UU_STATMOUNT_FS_TYPE |                   \
	 UU_STATMOUNT_MNT_ROOT | UU_STATMOUNT_MNT_POINT)
/* Left out of mask when empty: known-empty only if supported_mask says so. */
#define SM_MAY_BE_EMPTY (UU_STATMOUNT_MNT_OPTS | UU_STATMOUNT_SB_SOURCE | UU_STATMOUNT_FS_SUBTYPE)
#define SM_WANT         (SM_REQUIRED | SM_MAY_BE_EMPTY | UU_STATMOUNT_SUPPORTED)

static int sys_statmount(uint64_t id, uint64_t mask, struct uu_statmount *buf, size_t size)
{
	struct uu_mnt_id_req req = {.size = UU_MNT_ID_REQ_SIZE_VER0, .mnt_id = id, .param = mask};

	if (syscall(__NR_statmount, &req, buf, size, 0) < 0)
		return -errno;
	return 0;
}

static long sys_listmount(uint64_t id, uint64_t last, uint64_t *ids, size_t n)
{
	struct uu_mnt_id_req req = {.size = UU_MNT_ID_REQ_SIZE_VER0, .mnt_id = id, .param = last};
	long r = syscall(__NR_listmount, &req, ids, n, 0);

	return r < 0 ? -errno : r;
}

/*
 * EINVAL means this kernel does not understand the request (a legacy ID in
 * the unique field, a request layout it predates): let libmount answer.
 */
static int map_errno(int r)
{
	return r == -EINVAL ? -EOPNOTSUPP : r;
}

/* statmount into a buffer grown on EOVERFLOW up to SM_BUF_MAX. */
static int statmount_alloc(uint64_t id, struct uu_statmount **out, size_t *size)
{
	size_t cap = SM_BUF_INITIAL;
	struct uu_statmount *buf;
	int r;

	for (;;) {
		buf = malloc(cap);
		if (!buf)
			return -ENOMEM;
		memset(buf, 0, sizeof(*buf));
		r = sys_statmount(id, SM_WANT, buf, cap);
		if (r != -EOVERFLOW || cap >= SM_BUF_MAX)
			break;
		free(buf);
		cap *= 4;
	}
	if (r < 0) {
		free(buf);
		return map_errno(r);
	}
	*out = buf;
	*size = cap;
	return 0;
}

/* A string field: NULL when absent, -EIO when it does not fit the buffer. */
static int sm_string(const struct uu_statmount *sm, size_t size, uint64_t bit, uint32_t off,
		     const char **out)
{
	size_t room = size - sizeof(*sm);

	*out = NULL;
	if (!(sm->mask & bit))
		return 0;
	if (off >= room || !memchr(sm->str + off, '\0', room - off))
		return -EIO;
	*out = sm->str + off;
	return 0;
}

/* Absent from mask: "" if the kernel says it could have given it, else unknown. */
static int sm_string_or_empty(const struct uu_statmount *sm, size_t size, uint64_t bit,
			      uint32_t off, const char **out)
{
	int r = sm_string(sm, size, bit, off, out);

	if (r < 0 || *out)
		return r;
	if ((sm->mask & UU_STATMOUNT_SUPPORTED) && (sm->supported_mask & bit))
		*out = "";
	return 0;
}

/* libmount's unmangle(): "\ooo" to the byte; anything else as is. */
static void unescape_octal(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)(64 * (s[1] & 7) + 8 * (s[2] & 7) + (s[3] & 7));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

/*
 * mountinfo's super options field: "ro"/"rw", the generic flags, then what
 * the security module and the file system show (mnt_opts, which the kernel
 * leaves escaped). The obsolete ",mand" is the one flag statmount omits.
 */
static int build_fs_options(const struct uu_statmount *sm, const char *opts, char **out)
{
	const char *flags[] = {
	    (sm->sb_flags & UU_SB_RDONLY) ? "ro" : "rw",
	    (sm->sb_flags & UU_SB_SYNCHRONOUS) ? ",sync" : "",
	    (sm->sb_flags & UU_SB_DIRSYNC) ? ",dirsync" : "",
	    (sm->sb_flags & UU_SB_LAZYTIME) ? ",lazytime" : "",
	};

	if (asprintf(out, "%s%s%s%s%s%s", flags[0], flags[1], flags[2], flags[3], *opts ? "," : "",
		     opts) < 0) {
		*out = NULL;
		return -ENOMEM;
	}
	unescape_octal(*out);
	return 0;
}

/* "type.subtype" when there is a subtype, as mountinfo shows it. */
static int build_fstype(const char *type, const char *subtype, char **out)
{
	if (!*subtype)
		*out = strdup(type);
	else if (asprintf(out, "%s.%s", type, subtype) < 0)
		*out = NULL;
	return *out ? 0 : -ENOMEM;
}

struct sm_strings {
	const char *type, *subtype, *source, *opts, *root, *point;
};

static int sm_strings_get(const struct uu_statmount *sm, size_t size, struct sm_strings *s)
{
	int r = 0;

	r = r ?: sm_string(sm, size, UU_STATMOUNT_FS_TYPE, sm->fs_type, &s->type);
	r = r ?: sm_string(sm, size, UU_STATMOUNT_MNT_ROOT, sm->mnt_root, &s->root);
	r = r ?: sm_string(sm, size, UU_STATMOUNT_MNT_POINT, sm->mnt_point, &s->point);
	r = r ?: sm_string_or_empty(sm, size, UU_STATMOUNT_FS_SUBTYPE, sm->fs_subtype, &s->subtype);
	r = r ?: sm_string_or_empty(sm, size, UU_STATMOUNT_SB_SOURCE, sm->sb_source, &s->source);
	r = r ?: sm_string_or_empty(sm, size, UU_STATMOUNT_MNT_OPTS, sm->mnt_opts, &s->opts);
	if (r < 0)
		return r;
	/* Only FUSE has subtypes: elsewhere an unknown one is an empty one. */
	if (s->type && !s->subtype && strncmp(s->type, "fuse", 4) != 0)
		s->subtype = "";
	return 0;
}

/*
 * Decide from the mask what the kernel gave. A mount point known to be
 * supported but not given means the mount is not reachable from our root:
 * mountinfo would not show it either.
 */
static int sm_check(const struct uu_statmount *sm, const struct sm_strings *s)
{
	bool point_known =
	    (sm->mask & UU_STATMOUNT_SUPPORTED) && (sm->supported_mask & UU_STATMOUNT_MNT_POINT);

	if (!s->point && point_known)
		return -ENOENT;
	if ((sm->mask & SM_REQUIRED) != SM_REQUIRED)
		return -EOPNOTSUPP;
	if (!s->type || !s->subtype || !s->source || !s->opts || !s->root || !s->point)
		return -EOPNOTSUPP;
	return 0;
}

static int sm_fill(const struct uu_statmount *sm, const struct sm_strings *s,
		   struct mount_facts *out)
{
	out->id.unique = sm->mnt_id;
	out->id.legacy = sm->mnt_id_old;
	out->parent.unique = sm->mnt_parent_id;
	out->parent.legacy = sm->mnt_parent_id_old;
	out->dev = makedev(sm->sb_dev_major, sm->sb_dev_minor);
	out->shared = (sm->mnt_propagation & UU_MS_SHARED) != 0;
	out->target = strdup(s->point);
	out->root = strdup(s->root);
	out->source = strdup(s->source);
	if (!out->target || !out->root || !out->source)
		return -ENOMEM;
	if (build_fstype(s->type, s->subtype, &out->fstype) < 0)
		return -ENOMEM;
	return build_fs_options(sm, s->opts, &out->fs_options);
}

/*
 * Facts by unique ID. The kernel looks the ID up in the caller's namespace
 * only (ENOENT otherwise). The answer is cross-checked against the legacy
 * ID the caller took from the same fd: a mismatch is never trusted.
 */
int mounts_statmount_lookup(const struct mount_id *id, struct mount_facts *out)
{
	struct uu_statmount *sm = NULL;
	struct sm_strings s = {0};
	size_t size = 0;
	int r;

	memset(out, 0, sizeof(*out));
	if (id->unique == 0)
		return -EOPNOTSUPP;
	r = statmount_alloc(id->unique, &sm, &size);
	if (r < 0)
		goto out;
	r = sm_strings_get(sm, size, &s);
	if (r == 0)
		r = sm_check(sm, &s);
	if (r == 0 && (sm->mnt_id != id->unique || (id->legacy && sm->mnt_id_old != id->legacy)))
		r = -EIO;
	if (r == 0)
		r = sm_fill(sm, &s, out);
out:
	free(sm);
	if (r < 0)
		mount_facts_free(out);
	return r;
}

int mounts_statmount_exists(const struct mount_id *id)
{
	struct uu_statmount sm;
	int r;

	if (id->unique == 0)
		return -EOPNOTSUPP;
	memset(&sm, 0, sizeof(sm));
	r = sys_statmount(id->unique, UU_STATMOUNT_SB_BASIC, &sm, sizeof(sm));
	if (r == -ENOENT)
		return 0;
	return r < 0 ? map_errno(r) : 1;
}

/* All unique IDs listmount(2) gives below id, paged by the last ID seen. */
static int list_ids(uint64_t id, uint64_t **ids, size_t *n)
{
	uint64_t *v = NULL, *nv, last = 0;
	size_t len = 0;
	long got;
	int r = 0;

	do {
		if (len > MOUNTS_MAX) {
			r = -E2BIG;
			goto out;
		}
		nv = reallocarray(v, len + LIST_PAGE, sizeof(*v));
		if (!nv) {
			r = -ENOMEM;
			goto out;
		}
		v = nv;
		got = sys_listmount(id, last, v + len, LIST_PAGE);
		if (got < 0) {
			r = map_errno((int)got);
			goto out;
		}
		len += (size_t)got;
		if (got > 0)
			last = v[len - 1];
	} while (got == (long)LIST_PAGE);
	if (len > MOUNTS_MAX)
		r = -E2BIG;
out:
	if (r < 0) {
		free(v);
		return r;
	}
	*ids = v;
	*n = len;
	return 0;
}

/* Legacy ID and parent of each listed mount; mounts gone meanwhile are dropped. */
static int link_nodes(const uint64_t *ids, size_t n, struct mount_node *nodes, size_t *nn)
{
	struct uu_statmount sm;
	size_t k = 0;
	int r;

	for (size_t i = 0; i < n; i++) {
		memset(&sm, 0, sizeof(sm));
		r = sys_statmount(ids[i], UU_STATMOUNT_MNT_BASIC, &sm, sizeof(sm));
		if (r == -ENOENT)
			continue;
		if (r < 0)
			return map_errno(r);
		if (!(sm.mask & UU_STATMOUNT_MNT_BASIC) || sm.mnt_id != ids[i])
			return -EOPNOTSUPP;
		nodes[k].id.unique = sm.mnt_id;
		nodes[k].id.legacy = sm.mnt_id_old;
		nodes[k].key = sm.mnt_id;
		nodes[k].parent = sm.mnt_parent_id;
		k++;
	}
	*nn = k;
	return 0;
}

/*
 * listmount(2) gives every descendant (not only children) in unique-ID
 * order, which is not parent-first once a mount has been moved under a
 * newer one: the order comes from the parent links instead.
 */
int mounts_statmount_list_below(const struct mount_id *id, struct mount_id **ids, size_t *n)
{
	struct mount_node *nodes = NULL;
	uint64_t *raw = NULL;
	size_t nraw = 0, nn = 0;
	int r;

	*ids = NULL;
	*n = 0;
	if (id->unique == 0)
		return -EOPNOTSUPP;
	r = list_ids(id->unique, &raw, &nraw);
	if (r < 0)
		goto out;
	nodes = calloc(nraw ? nraw : 1, sizeof(*nodes));
	if (!nodes) {
		r = -ENOMEM;
		goto out;
	}
	r = link_nodes(raw, nraw, nodes, &nn);
	if (r == 0)
		r = mounts_order_below(id->unique, nodes, nn, ids, n);
out:
	free(raw);
	free(nodes);
	return r;
}

/* Parent and mount point of one mount: a statmount into a stack buffer,
 * on the heap only for a long mount point. */
static int link_of(uint64_t id, struct mount_link *l, bool keep_hidden)
{
	union {
		struct uu_statmount sm;
		char raw[SM_BUF_INITIAL];
	} local;
	struct uu_statmount *sm = &local.sm, *heap = NULL;
	size_t cap = sizeof(local);
	const char *point = NULL;
	int r;

	for (;;) {
		memset(sm, 0, sizeof(*sm));
		r = sys_statmount(id, UU_STATMOUNT_MNT_BASIC | UU_STATMOUNT_MNT_POINT, sm, cap);
		if (r != -EOVERFLOW || cap >= SM_BUF_MAX)
			break;
		cap *= 4;
		free(heap);
		heap = sm = malloc(cap);
		if (!sm)
			return -ENOMEM;
	}
	if (r == 0 && (!(sm->mask & UU_STATMOUNT_MNT_BASIC) || sm->mnt_id != id))
		r = -EOPNOTSUPP;
	if (r == 0)
		r = sm_string(sm, cap, UU_STATMOUNT_MNT_POINT, sm->mnt_point, &point);
	if (r == 0 && !point && !keep_hidden)
		r = -ENOENT; /* not reachable from our root */
	if (r == 0) {
		l->id.unique = sm->mnt_id;
		l->id.legacy = sm->mnt_id_old;
		l->parent.unique = sm->mnt_parent_id;
		l->parent.legacy = sm->mnt_parent_id_old;
		l->target = point ? strdup(point) : NULL;
		r = l->target || !point ? 0 : -ENOMEM;
	}
	free(heap);
	return r < 0 ? map_errno(r) : 0;
}

/*
 * A mount that is gone by the time we ask is left out (it cannot be a
 * neighbour any more); any other failure fails the whole listing: a mount
 * missing from it could be the one the caller swaps in.
 */
static int list_links(uint64_t from, bool keep_hidden, struct mount_link **links, size_t *n)
{
	struct mount_link *v = NULL;
	uint64_t *raw = NULL;
	size_t nraw = 0, k = 0;
	int r;

	r = list_ids(from, &raw, &nraw);
	if (r == 0) {
		v = calloc(nraw ? nraw : 1, sizeof(*v));
		r = v ? 0 : -ENOMEM;
	}
	for (size_t i = 0; r == 0 && i < nraw; i++) {
		r = link_of(raw[i], &v[k], keep_hidden);
		if (r == 0)
			k++;
		else if (r == -ENOENT)
			r = 0;
	}
	free(raw);
	if (r < 0) {
		mounts_links_free(v, k);
		return r;
	}
	*links = v;
	*n = k;
	return 0;
}

int mounts_statmount_list_links(const struct mount_id *id, struct mount_link **links, size_t *n)
{
	*links = NULL;
	*n = 0;
	if (id->unique == 0)
		return -EOPNOTSUPP;
	return list_links(id->unique, false, links, n);
}

int mounts_statmount_list_links_all(struct mount_link **links, size_t *n)
{
	*links = NULL;
	*n = 0;
	return list_links(UU_LSMT_ROOT, true, links, n);
}

/*
 * Every mount below the caller's root (listmount's LSMT_ROOT), the root
 * itself first. Mounts gone meanwhile, or not reachable from the root, are
 * left out.
 */
int mounts_statmount_all(uint64_t root, struct mount_facts **v, size_t *n)
{
	uint64_t *raw = NULL;
	size_t nraw = 0, k = 0;
	int r;

	*v = NULL;
	*n = 0;
	if (root == 0)
		return -EOPNOTSUPP;
	r = list_ids(UU_LSMT_ROOT, &raw, &nraw);
	if (r == 0 && !(*v = calloc(nraw + 1, sizeof(**v))))
		r = -ENOMEM;
	for (size_t i = 0; r == 0 && i <= nraw; i++) {
		struct mount_id id = {i == 0 ? root : raw[i - 1], 0};

		r = mounts_statmount_lookup(&id, &(*v)[k]);
		if (r == -ENOENT)
			r = 0;
		else if (r == 0)
			k++;
	}
	*n = k;
	free(raw);
	return r;
}
