/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * race_world.c — the racer's private world and the guard over its mounts.
 *
 * The world: a mount namespace of its own whose root is a fresh tmpfs with
 * the system directories bound in. A helper that wrongly unmounts "/" (a
 * symlink to it swapped in at the last moment) would remount its root
 * read-only: that must hit this throw-away tmpfs, never the machine's root
 * file system. Every mount made here dies with the namespace.
 *
 * The guard: every mount that must survive (all mounts present at the start
 * but the entitled ones, and every victim mounted later), by unique mount ID.
 * A victim is entered before it is attached (its ID is known from the
 * detached fsmount() fd), so none can come and go unseen.
 */
#define _GNU_SOURCE
#include "race.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "statmount.h"

/* Bound recursively from the old root; the rest of "/" is left out. */
static const char *const system_dirs[] = {"usr", "etc", "run", "proc", "dev", "sys", "var"};
/* Merged-/usr links (copied as links), or directories (bound). */
static const char *const usr_links[] = {"bin", "sbin", "lib", "lib32", "lib64", "libx32"};

static int fail_errno(const char *what, const char *path)
{
	int e = errno;

	fprintf(stderr, "racer: %s %s: %s\n", what, path, strerror(e));
	return -e;
}

/* Make ROOT/NAME look like /NAME: the same link, or a recursive bind. */
static int bind_top(const char *root, const char *name)
{
	char src[PATH_MAX], dst[PATH_MAX], link[PATH_MAX];
	struct stat st;
	ssize_t n;

	snprintf(src, sizeof(src), "/%s", name);
	snprintf(dst, sizeof(dst), "%s/%s", root, name);
	if (lstat(dst, &st) == 0 || lstat(src, &st) < 0)
		return 0;
	if (S_ISLNK(st.st_mode)) {
		n = readlink(src, link, sizeof(link) - 1);
		if (n < 0)
			return fail_errno("readlink", src);
		link[n] = '\0';
		return symlink(link, dst) < 0 ? fail_errno("symlink", dst) : 0;
	}
	if (!S_ISDIR(st.st_mode))
		return 0;
	if (mkdir(dst, 0755) < 0)
		return fail_errno("mkdir", dst);
	if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0)
		return fail_errno("bind", src);
	return 0;
}

/* First component of an absolute PATH ("var" for /var/tmp/x). */
static void top_component(const char *path, char *out, size_t len)
{
	size_t n;

	while (*path == '/')
		path++;
	n = strcspn(path, "/");
	snprintf(out, len, "%.*s", (int)n, path);
}

static int populate(const char *root, const char *const *paths, size_t npaths)
{
	char top[NAME_MAX + 1], alias[PATH_MAX];
	int r = 0;

	for (size_t i = 0; r == 0 && i < sizeof(usr_links) / sizeof(usr_links[0]); i++)
		r = bind_top(root, usr_links[i]);
	for (size_t i = 0; r == 0 && i < sizeof(system_dirs) / sizeof(system_dirs[0]); i++)
		r = bind_top(root, system_dirs[i]);
	for (size_t i = 0; r == 0 && i < npaths; i++) {
		top_component(paths[i], top, sizeof(top));
		if (top[0])
			r = bind_top(root, top);
	}
	/* The recursive bind of ROOT's own parent tree holds a copy of ROOT. */
	snprintf(alias, sizeof(alias), "%s%s", root, root);
	umount2(alias, MNT_DETACH);
	return r;
}

/* Enter a new mount namespace whose root is a tmpfs mounted on SCRATCH. */
int world_enter(const char *scratch, const char *const *paths, size_t npaths)
{
	int r;

	if (unshare(CLONE_NEWNS) < 0)
		return fail_errno("unshare", "mount namespace");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return fail_errno("make private", "/");
	if (mkdir(scratch, 0755) < 0 && errno != EEXIST)
		return fail_errno("mkdir", scratch);
	if (mount("uu-race-root", scratch, "tmpfs", 0, "mode=0755") < 0)
		return fail_errno("mount tmpfs", scratch);
	r = populate(scratch, paths, npaths);
	if (r < 0)
		return r;
	if (chdir(scratch) < 0 || syscall(SYS_pivot_root, ".", ".") < 0)
		return fail_errno("pivot_root", scratch);
	if (umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		return fail_errno("detach", "the old root");
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Every mount of the namespace (listmount from its root), sorted, into g. */
int mount_list(struct guard *g)
{
	struct uu_mnt_id_req req = {.size = UU_MNT_ID_REQ_SIZE_VER0, .mnt_id = UU_LSMT_ROOT};
	long n;

	for (;;) {
		if (!g->table) {
			g->captable = g->captable ? g->captable * 4 : 4096;
			g->table = malloc(g->captable * sizeof(*g->table));
			if (!g->table)
				return -ENOMEM;
		}
		n = syscall(__NR_listmount, &req, g->table, g->captable, 0);
		if (n < 0)
			return -errno;
		if ((size_t)n < g->captable)
			break;
		free(g->table);
		g->table = NULL;
	}
	g->ntable = (size_t)n;
	qsort(g->table, g->ntable, sizeof(*g->table), cmp_u64);
	return 0;
}

bool mount_listed(const struct guard *g, uint64_t id)
{
	return bsearch(&id, g->table, g->ntable, sizeof(id), cmp_u64) != NULL;
}

/* The unique ID of the mount PATH (relative to DIRFD; "" = DIRFD) is on. */
int mount_id_at(int dirfd, const char *path, uint64_t *id)
{
	struct statx sx;
	int flags = AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC | (path[0] ? 0 : AT_EMPTY_PATH);

	memset(&sx, 0, sizeof(sx));
	if (statx(dirfd, path, flags, STATX_MNT_ID_UNIQUE, &sx) < 0)
		return -errno;
	if (!(sx.stx_mask & STATX_MNT_ID_UNIQUE))
		return -ENOSYS;
	*id = sx.stx_mnt_id;
	return 0;
}

/* "a=1,b=2" as fsconfig() strings. */
static int configure(int fs, const char *opts)
{
	char buf[256], *save = NULL, *kv, *v;

	snprintf(buf, sizeof(buf), "%s", opts);
	for (kv = strtok_r(buf, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		v = strchr(kv, '=');
		if (v)
			*v++ = '\0';
		if (fsconfig(fs, v ? FSCONFIG_SET_STRING : FSCONFIG_SET_FLAG, kv, v, 0) < 0)
			return -errno;
	}
	return 0;
}

/* A detached tmpfs mount: returns its fd; *id is its unique mount ID. */
int tmpfs_create(const char *source, const char *opts, uint64_t *id)
{
	int fs = fsopen("tmpfs", FSOPEN_CLOEXEC), mfd = -1, r;

	if (fs < 0)
		return -errno;
	r = fsconfig(fs, FSCONFIG_SET_STRING, "source", source, 0) < 0 ? -errno : 0;
	if (r == 0)
		r = configure(fs, opts);
	if (r == 0 && fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		r = -errno;
	if (r == 0 && (mfd = fsmount(fs, FSMOUNT_CLOEXEC, 0)) < 0)
		r = -errno;
	close(fs);
	if (r == 0 && (r = mount_id_at(mfd, "", id)) < 0)
		close(mfd);
	return r < 0 ? r : mfd;
}

/* Attach MFD on top of DIRFD/PATH (PATH NULL: DIRFD itself); closes MFD. */
int tmpfs_attach(int mfd, int dirfd, const char *path)
{
	unsigned flags = MOVE_MOUNT_F_EMPTY_PATH | (path ? 0 : MOVE_MOUNT_T_EMPTY_PATH);
	int r = move_mount(mfd, "", dirfd, path ? path : "", flags) < 0 ? -errno : 0;

	close(mfd);
	return r;
}

int tmpfs_mount(int dirfd, const char *path, const char *source, const char *opts, uint64_t *id)
{
	int mfd = tmpfs_create(source, opts, id);

	return mfd < 0 ? mfd : tmpfs_attach(mfd, dirfd, path);
}

static struct guard_entry *guard_push(struct guard *g, uint64_t id)
{
	struct guard_entry *e;

	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 256;
		struct guard_entry *v = realloc(g->v, cap * sizeof(*v));

		if (!v) {
			fprintf(stderr, "racer: out of memory\n");
			exit(2);
		}
		g->v = v;
		g->cap = cap;
	}
	e = &g->v[g->n++];
	memset(e, 0, sizeof(*e));
	e->id = id;
	e->respawn_fd = -1;
	return e;
}

void guard_add_live(struct guard *g, uint64_t id, const char *fmt, ...)
{
	struct guard_entry *e = guard_push(g, id);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->label, sizeof(e->label), fmt, ap);
	va_end(ap);
	e->live = true;
}

/* "MOUNT_POINT (TYPE)" of a mount, for the messages. */
static void describe(uint64_t id, char *out, size_t len)
{
	struct uu_mnt_id_req req = {.size = UU_MNT_ID_REQ_SIZE_VER0,
				    .mnt_id = id,
				    .param = UU_STATMOUNT_MNT_POINT | UU_STATMOUNT_FS_TYPE};
	static union {
		struct uu_statmount sm;
		char raw[16384];
	} buf;

	memset(&buf.sm, 0, sizeof(buf.sm));
	if (syscall(__NR_statmount, &req, &buf, sizeof(buf), 0) < 0 ||
	    (buf.sm.mask & (UU_STATMOUNT_MNT_POINT | UU_STATMOUNT_FS_TYPE)) !=
		(UU_STATMOUNT_MNT_POINT | UU_STATMOUNT_FS_TYPE))
		snprintf(out, len, "?");
	else
		snprintf(out, len, "%s (%s)", buf.sm.str + buf.sm.mnt_point,
			 buf.sm.str + buf.sm.fs_type);
}

/* A string of a mount (WHAT: UU_STATMOUNT_SB_SOURCE or _FS_TYPE); any thread. */
int mount_str(uint64_t id, uint64_t what, char *out, size_t len)
{
	struct uu_mnt_id_req req = {.size = UU_MNT_ID_REQ_SIZE_VER0, .mnt_id = id, .param = what};
	union {
		struct uu_statmount sm;
		char raw[4096];
	} buf;

	memset(&buf.sm, 0, sizeof(buf.sm));
	if (syscall(__NR_statmount, &req, &buf, sizeof(buf), 0) < 0)
		return -errno;
	if (!(buf.sm.mask & what))
		return -ENODATA;
	snprintf(out, len, "%s",
		 buf.sm.str + (what == UU_STATMOUNT_FS_TYPE ? buf.sm.fs_type : buf.sm.sb_source));
	return 0;
}

/* Guard every mount there is now. */
int guard_init(struct guard *g)
{
	char what[RACE_LABEL_MAX - 16];
	int r;

	pthread_mutex_init(&g->lock, NULL);
	r = mount_list(g);
	if (r < 0) {
		fprintf(stderr, "racer: listmount: %s\n", strerror(-r));
		return r;
	}
	for (size_t i = 0; i < g->ntable; i++) {
		describe(g->table[i], what, sizeof(what));
		guard_add_live(g, g->table[i], "%s", what);
	}
	return 0;
}

/* Mount a victim on the directory FD (on top of what is there); locked. */
static int victim_attach(struct guard *g, int fd, const char *opts, const char *label)
{
	struct guard_entry *e;
	uint64_t id;
	int mfd = tmpfs_create("uuvictim", opts, &id), r;

	if (mfd < 0)
		return mfd;
	e = guard_push(g, id);
	snprintf(e->label, sizeof(e->label), "victim tmpfs %s", label);
	snprintf(e->opts, sizeof(e->opts), "%s", opts);
	e->respawn_fd = -1;
	r = tmpfs_attach(mfd, fd, NULL);
	if (r == 0)
		e->live = true;
	else
		g->n--;
	return r;
}

/*
 * Mount a victim tmpfs on DIRFD/PATH. It is guarded from before it is
 * attached until the end, and nothing in the scenario but its cleanup (with
 * everyone else held still) ever unmounts it on purpose. With RESPAWN, a
 * victim that is lost (a violation) is mounted again on the same directory,
 * wherever it has been renamed to, so that every later loss counts too.
 */
int guard_mount_victim(struct guard *g, int dirfd, const char *path, const char *opts,
		       const char *label, bool respawn)
{
	int fd = openat(dirfd, path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), r;

	if (fd < 0)
		return -errno;
	pthread_mutex_lock(&g->lock);
	r = victim_attach(g, fd, opts, label);
	if (r == 0 && respawn)
		g->v[g->n - 1].respawn_fd = fd;
	pthread_mutex_unlock(&g->lock);
	if (r < 0 || !respawn)
		close(fd);
	return r;
}

/* Entry I is gone: mount its successor (locked). */
static void respawn(struct guard *g, size_t i)
{
	char label[RACE_LABEL_MAX], opts[sizeof(g->v[i].opts)];
	int fd = g->v[i].respawn_fd, r;

	g->v[i].respawn_fd = -1;
	snprintf(label, sizeof(label), "%s", g->v[i].label + strlen("victim tmpfs "));
	snprintf(opts, sizeof(opts), "%s", g->v[i].opts);
	r = victim_attach(g, fd, opts, label);
	if (r < 0) {
		fprintf(stderr, "racer: cannot mount the victim again: %s\n", strerror(-r));
		exit(2);
	}
	g->v[g->n - 1].respawn_fd = fd;
}

/* "/" remounted read-only: what umount2() does to the caller's root. */
static long root_check(const char *when)
{
	struct statvfs sv;

	if (statvfs("/", &sv) < 0 || !(sv.f_flag & ST_RDONLY))
		return 0;
	fprintf(stderr, "racer: VIOLATION: \"/\" was remounted read-only, seen %s\n", when);
	if (mount(NULL, "/", NULL, MS_REMOUNT, NULL) < 0)
		fprintf(stderr, "racer: cannot make / writable again: %s\n", strerror(errno));
	return 1;
}

/* Every guarded mount must still be there; returns the new violations. */
long guard_check(struct guard *g, const char *when)
{
	long found = 0;
	int r;

	pthread_mutex_lock(&g->lock);
	r = mount_list(g);
	if (r < 0) {
		fprintf(stderr, "racer: listmount: %s\n", strerror(-r));
		exit(2);
	}
	for (size_t i = 0, n = g->n; i < n; i++) {
		struct guard_entry *e = &g->v[i];

		if (!e->live || mount_listed(g, e->id))
			continue;
		fprintf(stderr, "racer: VIOLATION: mount %llu, %s, is gone, seen %s\n",
			(unsigned long long)e->id, e->label, when);
		e->live = false;
		found++;
		if (e->respawn_fd >= 0)
			respawn(g, i); /* may move g->v: e is not used again */
	}
	found += root_check(when);
	g->violations += found;
	pthread_mutex_unlock(&g->lock);
	return found;
}

/* After a cleanup by the driver itself: drop the entries it unmounted. */
size_t guard_forget_gone(struct guard *g)
{
	size_t kept = 0, n;

	pthread_mutex_lock(&g->lock);
	if (mount_list(g) < 0)
		exit(2);
	for (size_t i = 0; i < g->n; i++)
		if (mount_listed(g, g->v[i].id) || !g->v[i].live)
			g->v[kept++] = g->v[i];
		else if (g->v[i].respawn_fd >= 0)
			close(g->v[i].respawn_fd);
	n = g->n - kept;
	g->n = kept;
	pthread_mutex_unlock(&g->lock);
	return n;
}
