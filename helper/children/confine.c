/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * confine.c — see confine.h.
 */
#define _GNU_SOURCE
#include "confine.h"
#include "mounts.h"
#include "target.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include "lazylib.h"
#include <limits.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#define MAX_HIERARCHIES 32
#define TABLE_MAX       ((size_t)64 * 1024)
#define SMALL_FILE_MAX  4096
/* More CPUs than any machine this runs on has; the kernel ignores the rest. */
#define CPU_BITS 8192
/* The kernel's default timer slack for SCHED_OTHER tasks (50 us). */
#define DEFAULT_TIMER_SLACK_NS 50000
/* Best effort, level 4: what a nice-0 task gets when it sets no class. */
#define IOPRIO_WHO_PROCESS_ 1
#define IOPRIO_BE_4         ((2 << 13) | 4)
#define UTIL_CLAMP_FLAGS    (0x20 | 0x40) /* SCHED_FLAG_UTIL_CLAMP_MIN | _MAX */
#define UTIL_MAX            1024

struct hierarchy {
	unsigned id; /* 0: cgroup v2 */
	char *ctrl;  /* v1: "freezer", "cpu,cpuacct"; v2: "" */
	char *path;  /* where this process is, relative to root */
	int root;    /* the hierarchy's root in our cgroup namespace */
	bool walked; /* its levels were checked by confine_enter() too */
};

static struct hierarchy hs[MAX_HIERARCHIES];
static size_t nhs;

/* One line of /proc/self/cgroup, pointing into the buffer. */
struct line {
	unsigned id;
	char *ctrl, *path;
};

static int read_file_at(int dir, const char *name, size_t max, char **out)
{
	int fd = openat(dir, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY), err = 0;
	size_t n = 0;
	char *buf;

	*out = NULL;
	if (fd < 0)
		return -errno;
	buf = malloc(max + 1);
	while (buf && n < max) {
		ssize_t r = read(fd, buf + n, max - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			err = r < 0 ? errno : 0;
			break;
		}
		n += (size_t)r;
	}
	close(fd);
	if (!buf)
		return -ENOMEM;
	if (err || n == max) {
		free(buf);
		return err ? -err : -EFBIG;
	}
	buf[n] = '\0';
	*out = buf;
	return 0;
}

static bool digits(const char *s, size_t n)
{
	if (n == 0 || n > 9)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/*
 * "ID:CONTROLLERS:PATH\n" per hierarchy, strictly. A cgroup name may hold
 * a newline, so a caller can make a line that looks like another
 * hierarchy's: an ID seen twice is refused, and wherever a line says we
 * are is checked against that cgroup's own cgroup.procs (member()).
 */
static int parse_table(char *buf, struct line *v, size_t *n)
{
	*n = 0;
	for (char *p = buf; *p;) {
		char *nl = strchr(p, '\n'), *c1, *c2;

		if (!nl || *n == MAX_HIERARCHIES)
			return -EINVAL;
		*nl = '\0';
		c1 = strchr(p, ':');
		c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2 || !digits(p, (size_t)(c1 - p)) || c2[1] != '/')
			return -EINVAL;
		*c1 = *c2 = '\0';
		v[*n] = (struct line){(unsigned)strtoul(p, NULL, 10), c1 + 1, c2 + 1};
		if (v[*n].id == 0 && v[*n].ctrl[0])
			return -EINVAL;
		for (size_t i = 0; i < *n; i++)
			if (v[i].id == v[*n].id)
				return -EINVAL;
		(*n)++;
		p = nl + 1;
	}
	return 0;
}

/*
 * v1 controllers that can neither freeze, throttle, starve nor fail a task,
 * whoever writes their knobs: they count it (cpuacct), tag its network
 * packets (net_cls, net_prio), group it for CPU-wide perf events
 * (perf_event: such an event needs CAP_PERFMON or perf_event_paranoid <= 0,
 * and then sees every task on the CPU, in a cgroup or not), or limit what
 * this program never uses (hugetlb pages, RDMA handles, misc: SEV ASIDs).
 */
static const char *const cannot_hold[] = {"cpuacct", "net_cls", "net_prio", "perf_event",
					  "hugetlb", "rdma",    "misc"};

static bool can_hold(const char *c, size_t len)
{
	if (len == 0 || strncmp(c, "name=", 5) == 0)
		return false; /* no controller: name=systemd */
	for (size_t i = 0; i < sizeof(cannot_hold) / sizeof(cannot_hold[0]); i++)
		if (strlen(cannot_hold[i]) == len && strncmp(c, cannot_hold[i], len) == 0)
			return false;
	return true; /* freezer, memory, cpu, cpuset, blkio, pids, devices, any other */
}

bool confine_hierarchy_matters(unsigned id, const char *ctrl)
{
	if (id == 0)
		return true;
	for (const char *t = ctrl; *t;) {
		size_t len = strcspn(t, ",");

		if (can_hold(t, len))
			return true;
		t += len + (t[len] == ',');
	}
	return false;
}

static int set_controllers(int fs, const char *ctrl)
{
	char *copy = strdup(ctrl), *save = NULL;
	int r = copy ? 0 : -ENOMEM;

	for (char *t = copy ? strtok_r(copy, ",", &save) : NULL; r == 0 && t;
	     t = strtok_r(NULL, ",", &save)) {
		bool name = strncmp(t, "name=", 5) == 0;

		if (syscall(SYS_fsconfig, fs, name ? FSCONFIG_SET_STRING : FSCONFIG_SET_FLAG,
			    name ? "name" : t, name ? t + 5 : NULL, 0) < 0)
			r = -errno;
	}
	free(copy);
	return r;
}

/* The init cgroup namespace's inode number (PROC_CGROUP_INIT_INO). */
#define CGROUP_INIT_NS_INO 0xEFFFFFFBu

/* Unknown (no /proc) counts as the init namespace: the cautious side. */
static bool in_init_cgroup_ns(void)
{
	struct stat st;

	return stat("/proc/self/ns/cgroup", &st) < 0 || st.st_ino == CGROUP_INIT_NS_INO;
}

/*
 * Is FD the root of a cgroup2 mount whose root is the hierarchy's root?
 * Asked of what FD is on (the file system's magic, its mount by ID while
 * FD holds it, that mount's root "/"), never of the path that led there.
 */
static bool is_v2_root(int fd)
{
	struct mount_facts m;
	struct mount_id id;
	struct statfs sf;
	bool mount_root = false, ok;

	if (fstatfs(fd, &sf) < 0 || sf.f_type != CGROUP2_SUPER_MAGIC ||
	    target_mount_ids(fd, &id, &mount_root) < 0 || !mount_root || mounts_lookup(&id, &m) < 0)
		return false;
	ok = m.fstype && strcmp(m.fstype, "cgroup2") == 0 && m.root && strcmp(m.root, "/") == 0;
	mount_facts_free(&m);
	return ok;
}

static int open_v2_at(const char *path)
{
	int fd = open(path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0 && !is_v2_root(fd)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/*
 * cgroup v2 has one set of mount options for the whole machine
 * (nsdelegate, memory_recursiveprot, ...), and a cgroup2 super block
 * context created in the init cgroup namespace applies its own options to
 * it: a context of ours, with none, would clear systemd's for everyone. So
 * there an existing mount of the hierarchy's root is used: where systemd
 * puts it (at constant cost), else any cgroup2 line of our mount table
 * with root "/". -ENOENT: no such mount in this mount namespace.
 */
static int open_v2_mounted(int *out)
{
	static const char *const usual[] = {"/sys/fs/cgroup", "/sys/fs/cgroup/unified"};
	struct libmnt_table *tb = NULL;
	struct libmnt_iter *it = NULL;
	struct libmnt_fs *fs;
	int r;

	for (size_t i = 0; i < sizeof(usual) / sizeof(usual[0]); i++)
		if ((*out = open_v2_at(usual[i])) >= 0)
			return 0;
	r = mounts_read_table(&tb);
	if (r == 0 && !(it = mnt_new_iter(MNT_ITER_FORWARD)))
		r = -ENOMEM;
	for (int next = r; next == 0 && *out < 0;) {
		const char *type, *root, *target;

		next = mnt_table_next_fs(tb, it, &fs);
		type = next == 0 ? mnt_fs_get_fstype(fs) : NULL;
		root = type ? mnt_fs_get_root(fs) : NULL;
		target = root ? mnt_fs_get_target(fs) : NULL;
		if (target && strcmp(type, "cgroup2") == 0 && strcmp(root, "/") == 0)
			*out = open_v2_at(target);
	}
	mnt_free_iter(it);
	mnt_unref_table(tb);
	return r < 0 ? r : *out >= 0 ? 0 : -ENOENT;
}

/* Does the super block option list OPTS name every controller of CTRL
 * ("cpu,cpuacct")? */
static bool has_controllers(const char *opts, const char *ctrl)
{
	char want[256], *save = NULL;

	if ((size_t)snprintf(want, sizeof(want), "%s", ctrl) >= sizeof(want))
		return false; /* cut short: fewer names than asked for */
	for (char *c = strtok_r(want, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
		size_t n = strlen(c);
		const char *o = opts;
		bool found = false;

		while (!found && (o = strstr(o, c))) {
			found = (o == opts || o[-1] == ',') && (o[n] == ',' || o[n] == '\0');
			o += n;
		}
		if (!found)
			return false;
	}
	return true;
}

/*
 * Is FD the root of a writable cgroup v1 mount whose root is the root of
 * the hierarchy with the controllers CTRL? Asked, as for v2, of what FD is
 * on (magic, a mount root, that mount's root "/" and its super block's
 * controllers), never of the path that led there. A controller belongs to
 * one hierarchy at a time, so its name in the options names the hierarchy.
 * A read-only mount (systemd's ProtectControlGroups=yes) is the right
 * root but would refuse our move out of the caller's cgroup (EROFS): not
 * used, our own mount is made instead.
 */
static bool is_v1_root(int fd, const char *ctrl)
{
	struct mount_facts m;
	struct mount_id id;
	struct statfs sf;
	bool mount_root = false, ok;

	if (fstatfs(fd, &sf) < 0 || sf.f_type != CGROUP_SUPER_MAGIC || (sf.f_flags & ST_RDONLY) ||
	    target_mount_ids(fd, &id, &mount_root) < 0 || !mount_root || mounts_lookup(&id, &m) < 0)
		return false;
	ok = m.root && strcmp(m.root, "/") == 0 && m.fs_options &&
	     has_controllers(m.fs_options, ctrl);
	mount_facts_free(&m);
	return ok;
}

static int open_v1_at(const char *path, const char *ctrl)
{
	int fd = open(path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0 && !is_v1_root(fd, ctrl)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/*
 * In the init cgroup namespace, a cgroup v1 hierarchy through the mount of
 * its root where systemd and cgroupfs-mount put it, /sys/fs/cgroup/CTRL
 * (constant cost, and an fd on a mount that is already there costs
 * nothing to close, while each fsmount(2) of our own is a mount the
 * kernel tears down at close). -ENOENT: not there, or not that.
 */
static int open_v1_usual(const struct line *l, int *out)
{
	char path[64 + 256];

	if ((size_t)snprintf(path, sizeof(path), "/sys/fs/cgroup/%s", l->ctrl) >= sizeof(path) ||
	    strchr(l->ctrl, '/'))
		return -ENOENT;
	*out = open_v1_at(path, l->ctrl);
	return *out >= 0 ? 0 : -ENOENT;
}

/*
 * A kernel without fsopen(2) (before 5.2; also valgrind, which does not
 * know the call): a cgroup v1 hierarchy through any existing mount of its
 * root in our mount table, checked as open_v1_usual() checks.
 */
static int open_v1_mounted(const struct line *l, int *out)
{
	struct libmnt_table *tb = NULL;
	struct libmnt_iter *it = NULL;
	struct libmnt_fs *fs;
	int r = mounts_read_table(&tb);

	*out = -1;
	if (r == 0 && !(it = mnt_new_iter(MNT_ITER_FORWARD)))
		r = -ENOMEM;
	for (int next = r; next == 0 && *out < 0;) {
		const char *type, *root, *target, *opts;

		next = mnt_table_next_fs(tb, it, &fs);
		type = next == 0 ? mnt_fs_get_fstype(fs) : NULL;
		root = type ? mnt_fs_get_root(fs) : NULL;
		target = root ? mnt_fs_get_target(fs) : NULL;
		opts = target ? mnt_fs_get_fs_options(fs) : NULL;
		if (opts && strcmp(type, "cgroup") == 0 && strcmp(root, "/") == 0 &&
		    has_controllers(opts, l->ctrl))
			*out = open_v1_at(target, l->ctrl);
	}
	mnt_free_iter(it);
	mnt_unref_table(tb);
	return r < 0 ? r : *out >= 0 ? 0 : -ENOSYS;
}

/*
 * The hierarchy's root as our cgroup namespace sees it. In the init cgroup
 * namespace: cgroup v2 by open_v2_mounted(), v1 by open_v1_usual() where
 * it is there. Otherwise a mount of our own
 * that no path leads to (fsopen + fsmount, never attached): nothing in the
 * caller's mount table is trusted or changed, the root is the namespace's
 * root by the kernel's definition, and the kernel applies no option of it
 * to the machine (v1 keeps the options a hierarchy has; a cgroup
 * namespace's v2 context sets none).
 */
static int open_hierarchy(const struct line *l, int *out)
{
	int fs, r, mnt = -1;
	struct statfs sf;

	if (l->id == 0 && in_init_cgroup_ns())
		return open_v2_mounted(out);
	if (l->id != 0 && in_init_cgroup_ns() && open_v1_usual(l, out) == 0)
		return 0;
	fs = (int)syscall(SYS_fsopen, l->id == 0 ? "cgroup2" : "cgroup", FSOPEN_CLOEXEC);
	r = fs < 0 ? -errno : 0;
	if (r == -ENOSYS && l->id != 0 && in_init_cgroup_ns())
		return open_v1_mounted(l, out);
	if (r == 0 && l->id != 0)
		r = set_controllers(fs, l->ctrl);
	if (r == 0 && syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		r = -errno;
	if (r == 0) {
		mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC,
				   MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
		r = mnt < 0 ? -errno : 0;
	}
	if (fs >= 0)
		close(fs);
	if (r == 0 && (fstatfs(mnt, &sf) < 0 ||
		       sf.f_type != (l->id == 0 ? CGROUP2_SUPER_MAGIC : CGROUP_SUPER_MAGIC)))
		r = -EXDEV;
	if (r < 0 && mnt >= 0)
		close(mnt);
	*out = r == 0 ? mnt : -1;
	return r;
}

static bool root_only(const struct stat *st)
{
	return st->st_uid == 0 && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

/* v2: cgroup.freeze "0" (ENOENT: the root, which cannot be frozen);
 * v1: freezer.state "THAWED" (ENOENT: no freezer here, or its root). */
static int not_frozen(int dir, bool v2, char *why, size_t len)
{
	const char *name = v2 ? "cgroup.freeze" : "freezer.state";
	char *s = NULL;
	int r = read_file_at(dir, name, SMALL_FILE_MAX, &s);

	if (r == -ENOENT)
		return 1;
	if (r < 0)
		return r;
	r = strcmp(s, v2 ? "0\n" : "THAWED\n") == 0;
	if (!r)
		snprintf(why, len, "frozen (%s)", name);
	free(s);
	return r;
}

/*
 * One cgroup directory: root's alone to write, the directory and every
 * file in it (cgroup.freeze, cgroup.kill, cgroup.procs, every knob), and
 * not frozen. cgroup.event_control (v1 memory) is exempt: old kernels make
 * it world-writable, and it only registers notifications. 1 yes, 0 no
 * (why says which), -errno.
 */
static int level_ok(int dir, bool v2, char *why, size_t len)
{
	struct dirent *e;
	struct stat st;
	int r = 1, fd;
	DIR *d;

	if (fstat(dir, &st) < 0)
		return -errno;
	if (!root_only(&st)) {
		snprintf(why, len, "the directory is writable by uid %u", (unsigned)st.st_uid);
		return 0;
	}
	fd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		r = -errno;
		if (fd >= 0)
			close(fd);
		return r;
	}
	while (r == 1 && (errno = 0, e = readdir(d)) != NULL) {
		/* A child cgroup is no level of ours: not even looked at
		 * (kernfs gives every entry its type, so no stat is needed). */
		if (e->d_name[0] == '.' || e->d_type == DT_DIR ||
		    fstatat(dir, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || S_ISDIR(st.st_mode) ||
		    root_only(&st) || strcmp(e->d_name, "cgroup.event_control") == 0)
			continue;
		snprintf(why, len, "%s is writable by uid %u", e->d_name, (unsigned)st.st_uid);
		r = 0;
	}
	if (r == 1 && errno)
		r = -errno;
	closedir(d);
	return r == 1 ? not_frozen(dir, v2, why, len) : r;
}

int confine_level_ok(int dir, bool v2, char *why, size_t len)
{
	return level_ok(dir, v2, why, len);
}

/* Is our pid among the numbers of DIR's cgroup.procs? Read in pieces (the
 * root's lists every process of the machine). 1, 0, -errno. */
static int member_once(int dir)
{
	int fd = openat(dir, "cgroup.procs", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	unsigned long long want = (unsigned long long)getpid(), cur = 0;
	bool in_num = false;
	char buf[4096];
	ssize_t n;
	int r = 0;

	if (fd < 0)
		return -errno;
	while (r == 0 && (n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		for (ssize_t i = 0; i < n && r == 0; i++) {
			if (buf[i] >= '0' && buf[i] <= '9') {
				cur = cur * 10 + (unsigned)(buf[i] - '0');
				in_num = cur <= UINT32_MAX;
				continue;
			}
			if (in_num && cur == want)
				r = 1;
			cur = 0;
			in_num = false;
		}
	}
	close(fd);
	return r;
}

/*
 * A v1 cgroup.procs can leave out a member: the kernel sizes its list by
 * the task count and stops when the list is full, so tasks created while
 * it walks push others out (seen about once in 300 reads of a v1 root on
 * a busy machine). Read again a bounded number of times. Only a member is
 * ever listed, so a second read can find a true member missed, never make
 * one of a process that is not there.
 */
#define MEMBER_READS 16

static int member(int dir)
{
	int r = 0;

	for (int i = 0; r == 0 && i < MEMBER_READS; i++)
		r = member_once(dir);
	return r;
}

/*
 * Every level from the namespace root down to PATH is root's alone and
 * not frozen, and (below the root) PATH's cgroup.procs lists us. A path
 * that leaves the namespace ("/.." in a cgroup namespace), a component "."
 * or "..", or a cgroup that is gone counts as not safe. 1, 0 (why), -errno.
 *
 * Why the list is read: a cgroup name may hold a newline, so the line of
 * /proc/self/cgroup can end early and name another cgroup than ours. Such
 * a name is made by whoever may create cgroups in its parent, and that
 * parent is a level of the shortened path, checked here: root's alone, or
 * not safe. So the list only confirms what the levels already prove, and
 * for the root itself (a line "/" means a cgroup at the root, which only
 * root can create) it is not read: there it lists every process of the
 * machine, which the kernel sorts for every read (a sixth of an unmount's
 * time on a host with eight v1 hierarchies).
 */
static int chain_ok(const struct hierarchy *h, const char *path, char *why, size_t len)
{
	int dir = openat(h->root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), r = 1;
	const char *p = path;

	if (dir < 0)
		return -errno;
	while (r == 1) {
		char comp[NAME_MAX + 1];
		size_t n;
		int next;

		r = level_ok(dir, h->id == 0, why, len);
		while (r == 1 && *p == '/')
			p++;
		if (r != 1 || !*p)
			break;
		n = strcspn(p, "/");
		if (n > NAME_MAX || (n == 1 && p[0] == '.') || (n == 2 && !strncmp(p, "..", 2))) {
			snprintf(why, len, "its path cannot be followed");
			r = 0;
			break;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		p += n;
		next = openat(dir, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			snprintf(why, len, "it cannot be opened: %s", strerror(errno));
			r = 0;
			break;
		}
		close(dir);
		dir = next;
	}
	if (r == 1 && strcmp(path, "/") != 0 && (r = member(dir)) == 0)
		snprintf(why, len, "this process is not listed in it");
	close(dir);
	return r;
}

/* Into the namespace root: "0" is the writer itself. */
static int move_to_root(const struct hierarchy *h)
{
	int fd = openat(h->root, "cgroup.procs", O_WRONLY | O_CLOEXEC | O_NOFOLLOW), r = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, "0", 1) != 1)
		r = -errno;
	close(fd);
	return r;
}

static const char *hierarchy_name(const struct hierarchy *h)
{
	return h->id == 0 ? "cgroup2" : h->ctrl;
}

static int read_table(struct line *v, size_t *n, char **buf)
{
	int r = read_file_at(AT_FDCWD, "/proc/self/cgroup", TABLE_MAX, buf);

	*n = 0;
	if (r == 0 && (r = parse_table(*buf, v, n)) < 0) {
		free(*buf);
		*buf = NULL;
	}
	return r;
}

/* One hierarchy: stay where we are if that is safe, else leave for the
 * namespace root and check the root. */
static int enter_one(const struct line *l, char *msg, size_t len)
{
	struct hierarchy *h = &hs[nhs];
	char why[NAME_MAX + 64] = "";
	int r;

	*h = (struct hierarchy){l->id, strdup(l->ctrl), NULL, -1, false};
	if (!h->ctrl)
		return snprintf(msg, len, "out of memory"), -1;
	r = open_hierarchy(l, &h->root);
	nhs++;
	if (r == -ENOENT && strcmp(l->path, "/") == 0) {
		/* cgroup v2 unmounted in this namespace, and we are in the
		 * machine's root cgroup: it cannot be frozen or killed, and
		 * only root may move us out (a forged "0::/" line would be a
		 * second line of hierarchy 0, refused). Nothing to open. */
		h->path = strdup("/");
		return h->path ? 0 : (snprintf(msg, len, "out of memory"), -1);
	}
	if (r == -ENOENT)
		return snprintf(msg, len,
				"cannot see who may freeze or kill this process: it runs in "
				"the cgroup2 cgroup %s and no mount of the cgroup2 hierarchy's "
				"root is in this mount namespace",
				l->path),
		       -1;
	if (r < 0)
		return snprintf(msg, len,
				"cannot open the %s hierarchy to see who may freeze or "
				"kill this process: %s",
				hierarchy_name(h), strerror(-r)),
		       -1;
	/* At the root already, or moved there: nothing to decide, so its one
	 * level is checked once, by confine_verify(). */
	r = strcmp(l->path, "/") == 0 ? 0 : chain_ok(h, l->path, why, sizeof(why));
	h->walked = r == 1;
	if (r == 1) {
		h->path = strdup(l->path);
		return h->path ? 0 : (snprintf(msg, len, "out of memory"), -1);
	}
	if (r == 0 && strcmp(l->path, "/") != 0)
		r = move_to_root(h);
	if (r < 0)
		return snprintf(msg, len, "cannot leave the %s cgroup %s (%s): %s",
				hierarchy_name(h), l->path, why[0] ? why : "cannot be checked",
				strerror(-r)),
		       -1;
	h->path = strdup("/");
	return h->path ? 0 : (snprintf(msg, len, "out of memory"), -1);
}

int confine_enter(char *msg, size_t len)
{
	struct line v[MAX_HIERARCHIES];
	char *buf = NULL;
	size_t n;
	int r;

	/* Real uid 0 first. A v1 hierarchy lets a writer move any process
	 * whose real or saved uid is the writer's euid: from here on only root
	 * can move us there, so what the checks below find stays true (and
	 * confine_verify() reads it back). */
	if (setresuid(0, (uid_t)-1, (uid_t)-1) < 0 || getuid() != 0)
		return snprintf(msg, len, "cannot set the real uid to 0"), -1;
	r = read_table(v, &n, &buf);

	if (r == -ENOENT)
		return 0; /* a kernel without cgroups: nobody can freeze us */
	if (r < 0)
		return snprintf(msg, len, "cannot read /proc/self/cgroup: %s", strerror(-r)), -1;
	for (size_t i = 0; r == 0 && i < n; i++)
		if (confine_hierarchy_matters(v[i].id, v[i].ctrl))
			r = enter_one(&v[i], msg, len);
	free(buf);
	return r;
}

static void close_all(void)
{
	for (size_t i = 0; i < nhs; i++) {
		if (hs[i].root >= 0)
			close(hs[i].root);
		free(hs[i].ctrl);
		free(hs[i].path);
	}
	nhs = 0;
}

int confine_verify(char *msg, size_t len)
{
	struct line v[MAX_HIERARCHIES];
	char *buf = NULL, why[160] = "";
	size_t n;
	int r = nhs ? read_table(v, &n, &buf) : 0;

	if (r < 0)
		snprintf(msg, len, "cannot read /proc/self/cgroup: %s", strerror(-r));
	for (size_t i = 0; r == 0 && i < nhs; i++) {
		const struct line *l = NULL;

		for (size_t j = 0; j < n; j++)
			if (v[j].id == hs[i].id)
				l = &v[j];
		if (!l || strcmp(l->path, hs[i].path) != 0) {
			snprintf(msg, len, "moved out of the %s cgroup %s by someone else",
				 hierarchy_name(&hs[i]), hs[i].path);
			r = -1;
		} else if (hs[i].root >= 0 &&
			   (r = chain_ok(&hs[i], hs[i].path, why, sizeof(why))) != 1) {
			if (hs[i].walked)
				snprintf(
				    msg, len, "the %s cgroup %s is no longer safe to run in (%s)",
				    hierarchy_name(&hs[i]), hs[i].path, r < 0 ? strerror(-r) : why);
			else
				snprintf(msg, len,
					 "the root of the %s hierarchy is not safe to run in (%s)",
					 hierarchy_name(&hs[i]), r < 0 ? strerror(-r) : why);
			r = -1;
		} else {
			r = 0;
		}
	}
	free(buf);
	close_all();
	return r < 0 ? -1 : 0;
}

int confine_parse_cpulist(const char *s, unsigned long *mask, size_t nbits)
{
	const size_t per = sizeof(unsigned long) * CHAR_BIT;

	memset(mask, 0, (nbits + per - 1) / per * sizeof(unsigned long));
	if (!s)
		return -EINVAL;
	if (strcmp(s, "\n") == 0 || !*s)
		return 0; /* an empty set */
	for (const char *p = s;;) {
		char *end;
		unsigned long lo, hi;

		if (*p < '0' || *p > '9')
			return -EINVAL;
		lo = hi = strtoul(p, &end, 10);
		if (*end == '-') {
			if (end[1] < '0' || end[1] > '9')
				return -EINVAL;
			hi = strtoul(end + 1, &end, 10);
		}
		if (hi < lo)
			return -EINVAL;
		if (hi >= nbits)
			return -ERANGE;
		for (unsigned long c = lo; c <= hi; c++)
			mask[c / per] |= 1UL << (c % per);
		if (*end == ',') {
			p = end + 1;
			continue;
		}
		return strcmp(end, "\n") == 0 || !*end ? 0 : -EINVAL;
	}
}

/* A decimal the kernel wrote ("-1000\n"); anything else reads as 1, which
 * every caller takes as "changed" (and so resets or refuses). */
static int parse_int(const char *s)
{
	char *end;
	long v;

	if (!s)
		return 1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || (*end && *end != '\n' && *end != ' ') || v < INT_MIN ||
	    v > INT_MAX)
		return 1;
	return (int)v;
}

/* struct sched_attr as of Linux 5.3 (Debian 12's libc has no definition). */
struct uu_sched_attr {
	uint32_t size, policy;
	uint64_t flags;
	int32_t nice;
	uint32_t priority;
	uint64_t runtime, deadline, period;
	uint32_t util_min, util_max;
};

/*
 * SCHED_OTHER at nice 0 without a utilisation clamp. Only what differs is
 * set, so a machine that forbids raising a priority (no CAP_SYS_NICE in the
 * bounding set) still runs callers who changed nothing; one who did is
 * refused there. A kernel without clamps reports 0/0 and is left alone.
 */
static int reset_policy(char *msg, size_t len)
{
	struct uu_sched_attr a = {0}, want = {.size = sizeof(want), .util_max = UTIL_MAX};
	bool clamped;

	if (syscall(SYS_sched_getattr, 0, &a, sizeof(a), 0) < 0)
		return snprintf(msg, len, "cannot read the scheduling policy: %s", strerror(errno)),
		       -1;
	clamped = a.util_max != 0 && (a.util_min != 0 || a.util_max != UTIL_MAX);
	if (a.policy == SCHED_OTHER && a.nice == 0 && !clamped)
		return 0;
	want.flags = clamped ? UTIL_CLAMP_FLAGS : 0;
	if (syscall(SYS_sched_setattr, 0, &want, 0) < 0)
		return snprintf(msg, len,
				"cannot reset the scheduling policy %u, nice %d%s to "
				"SCHED_OTHER, nice 0: %s",
				a.policy, a.nice, clamped ? " and its utilisation clamp" : "",
				strerror(errno)),
		       -1;
	memset(&a, 0, sizeof(a));
	if (syscall(SYS_sched_getattr, 0, &a, sizeof(a), 0) < 0 || a.policy != SCHED_OTHER ||
	    a.nice != 0 || (clamped && (a.util_min != 0 || a.util_max != UTIL_MAX)))
		return snprintf(msg, len, "the scheduling policy did not take"), -1;
	return 0;
}

/* The CPUs our cpuset allows: cpuset.cpus.effective (v2) or
 * cpuset.effective_cpus (v1) where we now are, else every online CPU. */
static int allowed_cpus(unsigned long *mask)
{
	char *s = NULL;
	int r = -ENOENT;

	for (size_t i = 0; r == -ENOENT && i < nhs; i++) {
		const char *file =
		    hs[i].id == 0 ? "cpuset.cpus.effective" : "cpuset.effective_cpus";
		int dir;

		if (hs[i].root < 0)
			continue; /* not opened: the root cgroup of an unmounted v2 */
		dir = hs[i].path[1] ? openat(hs[i].root, hs[i].path + 1,
					     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
				    : dup(hs[i].root);
		if (dir < 0)
			return -errno;
		r = read_file_at(dir, file, SMALL_FILE_MAX, &s);
		close(dir);
	}
	if (r == -ENOENT)
		r = read_file_at(AT_FDCWD, "/sys/devices/system/cpu/online", SMALL_FILE_MAX, &s);
	if (r == 0)
		r = confine_parse_cpulist(s, mask, CPU_BITS);
	free(s);
	return r;
}

/* Every CPU: the kernel cuts the set down to what the cpuset allows. Read
 * back that we got all of those. */
static int reset_affinity(char *msg, size_t len)
{
	unsigned long want[CPU_BITS / (sizeof(unsigned long) * CHAR_BIT)];
	unsigned long got[sizeof(want) / sizeof(want[0])];
	int r;

	memset(want, 0xff, sizeof(want));
	if (sched_setaffinity(0, sizeof(want), (cpu_set_t *)want) < 0)
		return snprintf(msg, len, "cannot reset the CPU affinity: %s", strerror(errno)), -1;
	memset(got, 0, sizeof(got));
	r = sched_getaffinity(0, sizeof(got), (cpu_set_t *)got) < 0 ? -errno : allowed_cpus(want);
	if (r < 0)
		return snprintf(msg, len, "cannot read back the CPU affinity: %s", strerror(-r)),
		       -1;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (want[i] & ~got[i])
			return snprintf(msg, len,
					"the CPU affinity was not reset to every CPU the "
					"cpuset allows"),
			       -1;
	return 0;
}

/*
 * A raised oom_score_adj makes us the OOM killer's first choice when the
 * caller fills memory. Back to 0 where the kernel lets us: below a floor
 * that root set (systemd's OOMScoreAdjust=) it needs CAP_SYS_RESOURCE, and
 * a machine without it keeps root's floor, never more than the caller's.
 */
static int reset_oom_score(void)
{
	char *s = NULL;
	int fd, r;

	if (read_file_at(AT_FDCWD, "/proc/self/oom_score_adj", SMALL_FILE_MAX, &s) < 0)
		return 0; /* a kernel without it has no per-process choice to undo */
	r = parse_int(s);
	free(s);
	if (r <= 0)
		return 0;
	fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = write(fd, "0", 1) == 1 ? 0 : -errno;
	close(fd);
	return r == -EACCES ? 0 : r;
}

/*
 * Timer slack stretches every sleep (the 3-second utab lock wait too), an
 * idle I/O class starves every read, a session autogroup at nice 19 does
 * what nice 19 does. The first two are reset; the autogroup is shared by
 * the caller's whole session, so a changed one is refused instead.
 */
static int reset_rest(char *msg, size_t len)
{
	char *s = NULL;
	int nice = 0;

	if (prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0) != DEFAULT_TIMER_SLACK_NS &&
	    (prctl(PR_SET_TIMERSLACK, DEFAULT_TIMER_SLACK_NS, 0, 0, 0) < 0 ||
	     prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0) != DEFAULT_TIMER_SLACK_NS))
		return snprintf(msg, len, "cannot reset the timer slack"), -1;
	if (syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS_, 0) != IOPRIO_BE_4 &&
	    (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS_, 0, IOPRIO_BE_4) < 0 ||
	     syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS_, 0) != IOPRIO_BE_4))
		return snprintf(msg, len, "cannot reset the I/O priority: %s", strerror(errno)), -1;
	if (read_file_at(AT_FDCWD, "/proc/self/autogroup", SMALL_FILE_MAX, &s) == 0 && s) {
		const char *w = strstr(s, " nice ");

		nice = w ? parse_int(w + 6) : 0;
		free(s);
	}
	if (nice > 0)
		return snprintf(msg, len,
				"your session's scheduling group has nice %d "
				"(/proc/self/autogroup); set it to 0 first",
				nice),
		       -1;
	if (reset_oom_score() < 0)
		return snprintf(msg, len, "cannot reset the OOM score adjustment"), -1;
	return 0;
}

int confine_sched(char *msg, size_t len)
{
	if (reset_policy(msg, len) < 0 || reset_affinity(msg, len) < 0 || reset_rest(msg, len) < 0)
		return -1;
	return 0;
}
