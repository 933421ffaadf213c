/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mounts — facts about one mount of the caller's mount namespace.
 *
 * Two sources behind one contract: statmount(2)/listmount(2) by unique mount
 * ID (Linux >= 6.8, constant cost), and libmount's parse of
 * /proc/self/mountinfo matched by legacy mount ID (any kernel; a lookup of
 * one mount reads the file up to that mount's line and parses that line
 * alone, listings parse the whole table). The caller
 * holds an O_PATH fd on the mount while asking, so the ID cannot be reused.
 * Strings returned are unescaped and owned by struct mount_facts.
 * Functions return 0 or a negative errno and never print.
 */
#ifndef USER_UMOUNT_MOUNTS_H
#define USER_UMOUNT_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* What identifies a mount: both IDs the kernel gives for one fd. */
struct mount_id {
	uint64_t unique; /* STATX_MNT_ID_UNIQUE; 0 when the kernel lacks it */
	uint64_t legacy; /* STATX_MNT_ID, as in mountinfo's first field */
};

struct mount_facts {
	struct mount_id id;     /* .unique is 0 when libmount answered */
	struct mount_id parent; /* likewise; a namespace root is its own parent */
	dev_t dev;              /* the super block's device number (major:minor) */
	char *target;           /* mount point, as the caller's mount table shows it */
	char *root;             /* root of the mount inside its file system */
	char *source;           /* mounted source ("/dev/sdb1", "tmpfs", FUSE fsname) */
	char *fstype;           /* "tmpfs", "vfat", "fuse.sshfs" (type.subtype) */
	/*
	 * mountinfo's super options field, unescaped: "ro"|"rw", then ",sync",
	 * ",dirsync", ",lazytime" as set, then the security module's and the
	 * file system's options ("rw,user_id=1000,group_id=100,..."). Only the
	 * obsolete ",mand" is missing when statmount answered.
	 */
	char *fs_options;
	bool shared; /* in a shared peer group */
};

/*
 * Fill *out for the mount with this ID in the caller's mount namespace.
 * -ENOENT: no such mount in this namespace (other namespace, or gone).
 */
int mounts_lookup(const struct mount_id *id, struct mount_facts *out);

/*
 * Is the mount with this ID still in the caller's mount namespace, wherever
 * its mount point is (one that a rename took out of sight too)? 1 yes,
 * 0 gone, -errno unknown. By unique ID (statmount); the libmount fallback
 * can only see mounts whose mount point the namespace's root reaches.
 */
int mounts_exists(const struct mount_id *id);

/*
 * The mounts below the mount with this ID (all descendants), in an order
 * where every mount comes after its parent. *ids is malloc'ed.
 */
int mounts_list_below(const struct mount_id *id, struct mount_id **ids, size_t *n);

/* One mount below another, as much as the neighbour check needs. */
struct mount_link {
	struct mount_id id;
	struct mount_id parent;
	char *target; /* mount point, as the caller's mount table shows it */
};

/*
 * Every mount below the mount with this ID (all descendants) with its
 * parent and mount point, in one pass: one statmount(2) each on the fast
 * path, one mountinfo parse on the fallback. *links is malloc'ed; free
 * with mounts_links_free().
 */
int mounts_list_links(const struct mount_id *id, struct mount_link **links, size_t *n);

/*
 * Every mount of the caller's mount namespace, those whose mount point
 * lies outside every root the caller can see included (target NULL):
 * listmount's view, which mountinfo does not have. -EOPNOTSUPP where only
 * mountinfo can be read (libmount build, kernel before 6.8).
 */
int mounts_list_links_all(struct mount_link **links, size_t *n);
void mounts_links_free(struct mount_link *links, size_t n);

void mount_facts_free(struct mount_facts *f);

/*
 * The one mount-ID equality: by unique ID when both have one (never
 * reused), else by legacy ID (0 is no mount). Every comparison of two
 * mounts goes through here.
 */
bool mount_id_equal(const struct mount_id *a, const struct mount_id *b);

/*
 * The one "shared:N" parser: N of the whole word "shared:N" (N all digits)
 * among mountinfo's space-separated optional fields, 0 when there is none.
 * "shared:12x" or "xshared:1" is not a peer group.
 */
unsigned long mounts_peer_group(const char *fields);

/*
 * The mount-table reader of listings: libmount's parse of /proc/self/mountinfo,
 * strict (a line libmount cannot parse fails the whole read with -EINVAL
 * rather than being skipped) and bounded. *out is the caller's to unref.
 */
struct libmnt_table;
int mounts_read_table(struct libmnt_table **out);

/*
 * Every mount of the caller's namespace reachable from its root (for
 * --list); root is the mount of the caller's "/". *v and its strings are
 * malloc'ed: mounts_all_free().
 */
int mounts_all(const struct mount_id *root, struct mount_facts **v, size_t *n);
void mounts_all_free(struct mount_facts *v, size_t n);

/*
 * The "mnt_id:" field of an fdinfo file (/proc/PID/fdinfo/FD): the legacy
 * mount ID of what that fd is on, read without asking its file system.
 * Parsed strictly (digits to the end of the line, not 0). 0 or -errno.
 */
int mounts_fdinfo_mnt_id(const char *fdinfo_path, uint64_t *id);

/* Which source answered the last lookup: "statmount" or "libmount". */
const char *mounts_backend(void);

/* Backends, used only by mounts.c and tests. -ENOSYS/-EOPNOTSUPP: fall back. */
int mounts_statmount_lookup(const struct mount_id *id, struct mount_facts *out);
int mounts_statmount_exists(const struct mount_id *id);
int mounts_statmount_list_below(const struct mount_id *id, struct mount_id **ids, size_t *n);
int mounts_libmount_lookup(const struct mount_id *id, struct mount_facts *out);
int mounts_libmount_list_below(const struct mount_id *id, struct mount_id **ids, size_t *n);
int mounts_statmount_list_links(const struct mount_id *id, struct mount_link **links, size_t *n);
int mounts_libmount_list_links(const struct mount_id *id, struct mount_link **links, size_t *n);
int mounts_statmount_list_links_all(struct mount_link **links, size_t *n);
int mounts_statmount_all(uint64_t root, struct mount_facts **v, size_t *n);
int mounts_libmount_all(struct mount_facts **v, size_t *n);
int mounts_statmount_all(uint64_t root, struct mount_facts **v, size_t *n);
int mounts_libmount_all(struct mount_facts **v, size_t *n);

/* One mount as a backend links them: key is the ID it knows parents by. */
struct mount_node {
	struct mount_id id;
	uint64_t key;
	uint64_t parent; /* key of the parent mount */
	size_t depth;    /* scratch for mounts_order_below() */
};

/*
 * Shared by the backends: keep the nodes whose parent chain reaches the
 * mount keyed top (top itself excluded) and return their IDs parents first.
 * Sorts nodes in place. -EAGAIN when the links are inconsistent (a
 * duplicate key or a cycle: the table changed while it was read).
 */
int mounts_order_below(uint64_t top, struct mount_node *nodes, size_t n, struct mount_id **ids,
		       size_t *nids);

#endif
