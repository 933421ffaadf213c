/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * target.c — see target.h.
 */
#define _GNU_SOURCE
#include "target.h"

#include "devices.h"
#include "hygiene.h"
#include "privs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "statmount.h" /* STATX_MNT_ID, STATX_MNT_ID_UNIQUE */

#ifndef STATX_ATTR_MOUNT_ROOT
#define STATX_ATTR_MOUNT_ROOT 0x00002000
#endif

/* Never sync with a (possibly dead) remote: ask for IDs only. */
#define STATX_ID_FLAGS (AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC)

/* What the resolver child reports, with the fds alongside (SCM_RIGHTS). */
struct resolve_msg {
	enum target_result result;
	bool table_only;
	int err;
	struct mount_id parent_id;
	char path[PATH_MAX];
	struct mount_id id;
	struct mount_id root_id;
	bool mount_root;
	bool block_device;
	dev_t rdev;
};

int target_mount_ids(int fd, struct mount_id *id, bool *mount_root)
{
	struct statx sx;

	memset(id, 0, sizeof(*id));
	memset(&sx, 0, sizeof(sx));
	if (statx(fd, "", STATX_ID_FLAGS, STATX_MNT_ID_UNIQUE, &sx) < 0)
		return -errno;
	if (sx.stx_mask & STATX_MNT_ID_UNIQUE)
		id->unique = sx.stx_mnt_id;
	memset(&sx, 0, sizeof(sx));
	if (statx(fd, "", STATX_ID_FLAGS, STATX_MNT_ID, &sx) < 0)
		return -errno;
	if (!(sx.stx_mask & STATX_MNT_ID) || !(sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT))
		return -ENOSYS;
	id->legacy = sx.stx_mnt_id;
	if (mount_root)
		*mount_root = (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
	return 0;
}

/* The mount of "/" as the caller sees it (their root, after any chroot). */
static int root_mount_id(struct mount_id *id)
{
	int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), r;

	if (fd < 0)
		return -errno;
	r = target_mount_ids(fd, id, NULL);
	close(fd);
	return r;
}

/* Split PATH into its parent directory and last component; "/" -> ("/", "."). */
static int split_path(const char *path, char *dir, size_t dirlen, char *last, bool *is_root)
{
	size_t len = strlen(path), start;

	while (len > 1 && path[len - 1] == '/')
		len--;
	*is_root = (len == 1 && path[0] == '/');
	if (*is_root) {
		snprintf(dir, dirlen, "/");
		snprintf(last, NAME_MAX + 1, ".");
		return 0;
	}
	start = len;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (len - start > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(last, path + start, len - start);
	last[len - start] = '\0';
	if (start == 0)
		snprintf(dir, dirlen, ".");
	else if (start == 1)
		snprintf(dir, dirlen, "/");
	else
		snprintf(dir, dirlen, "%.*s", (int)(start - 1), path);
	return 0;
}

static void resolve_as_caller(const char *dir, const char *last, bool is_root,
			      struct resolve_msg *m, int fds[2])
{
	struct stat st;
	int r;

	fds[0] = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fds[0] >= 0)
		fds[1] = openat(fds[0], last, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fds[0] < 0 || fds[1] < 0) {
		m->result = TARGET_ERRNO;
		m->err = errno;
		return;
	}
	if (!is_root && (strcmp(last, ".") == 0 || strcmp(last, "..") == 0)) {
		m->result = TARGET_DOT;
		return;
	}
	r = target_mount_ids(fds[1], &m->id, &m->mount_root);
	if (r == 0)
		r = root_mount_id(&m->root_id);
	if (r < 0) {
		m->result = TARGET_ERRNO;
		m->err = -r;
		return;
	}
	if (m->mount_root)
		return;
	/* Not a mount root, so not a FUSE root: a type stat is safe here. */
	m->result = TARGET_NOT_MOUNTPOINT;
	if (fstatat(fds[1], "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0)
		return;
	/* A /dev/disk/by-* link may name a device (matched by number later);
	 * a link to anything else is refused. */
	if (S_ISLNK(st.st_mode) && (fstatat(fds[0], last, &st, 0) < 0 || !S_ISBLK(st.st_mode))) {
		m->result = TARGET_SYMLINK;
		return;
	}
	m->block_device = S_ISBLK(st.st_mode);
	m->rdev = st.st_rdev;
}

/* The mount point PARENT/LAST as the mount table would show it. */
static int table_path(int parent_fd, const char *last, char *out, size_t len)
{
	char link[64], dir[PATH_MAX];
	ssize_t n;
	static const char deleted[] = " (deleted)";
	size_t dlen = sizeof(deleted) - 1;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", parent_fd);
	n = readlink(link, dir, sizeof(dir) - 1);
	if (n <= 0 || dir[0] != '/')
		return -ENOENT;
	dir[n] = '\0';
	/* A removed directory reads as "X (deleted)": never match on that. */
	if ((size_t)n >= dlen && strcmp(dir + n - dlen, deleted) == 0)
		return -ENOENT;
	if ((size_t)snprintf(out, len, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", last) >= len)
		return -ENAMETOOLONG;
	return 0;
}

static void find_in_table(int parent_fd, const char *last, struct resolve_msg *m)
{
	int r;

	m->table_only = true;
	if (strcmp(last, ".") == 0 || strcmp(last, "..") == 0) {
		m->result = TARGET_DOT;
		return;
	}
	r = target_mount_ids(parent_fd, &m->parent_id, NULL);
	if (r == 0)
		r = table_path(parent_fd, last, m->path, sizeof(m->path));
	if (r == 0)
		r = root_mount_id(&m->root_id);
	if (r == 0)
		r = devices_mount_at(&m->parent_id, m->path, &m->id);
	m->mount_root = (r == 0);
	if (r == -ENOENT)
		m->result = TARGET_NOT_MOUNTPOINT;
	else if (r < 0)
		m->result = TARGET_ERRNO, m->err = -r;
}

static int send_result(int sock, const struct resolve_msg *m, const int fds[2])
{
	char cbuf[CMSG_SPACE(2 * sizeof(int))];
	struct iovec iov = {.iov_base = (void *)m, .iov_len = sizeof(*m)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	size_t nfds = m->table_only ? 1 : 2;
	struct cmsghdr *cm;

	if (m->result == TARGET_OK) {
		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	}
	return sendmsg(sock, &mh, MSG_NOSIGNAL) == (ssize_t)sizeof(*m) ? 0 : -1;
}

static void resolver_child(int sock, const char *dir, const char *last, bool is_root,
			   bool table_only, const struct caller *c)
{
	static struct resolve_msg m = {.result = TARGET_OK};
	int fds[2] = {-1, -1};
	int r = privs_become_caller(c->uid, c->gid);

	if (r < 0) {
		m.result = TARGET_FAILED;
		m.err = -r;
	} else if (!table_only || is_root) {
		resolve_as_caller(dir, last, is_root, &m, fds);
	} else {
		/* Nothing below is looked up in dir, so its search permission
		 * is checked here: umount2() will need it, and the answer must
		 * be the caller's own (the dry run too). */
		fds[0] = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fds[0] < 0 || faccessat(fds[0], "", X_OK, AT_EMPTY_PATH) < 0)
			m.result = TARGET_ERRNO, m.err = errno;
		else
			find_in_table(fds[0], last, &m);
	}
	_exit(send_result(sock, &m, fds) == 0 ? 0 : 1);
}

/* Receive the child's report; with TARGET_OK exactly its fds must come. */
static int receive_result(int sock, struct resolve_msg *m, struct target *t)
{
	char cbuf[CMSG_SPACE(2 * sizeof(int))];
	struct iovec iov = {.iov_base = m, .iov_len = sizeof(*m)};
	struct msghdr mh = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *cm;
	size_t nfds;
	ssize_t n;

	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR && !hygiene_interrupted());
	if (n < 0 && errno == EINTR)
		return -EINTR;
	if (n != (ssize_t)sizeof(*m) || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)))
		return -EPROTO;
	cm = CMSG_FIRSTHDR(&mh);
	if (m->result != TARGET_OK)
		return cm ? -EPROTO : 0;
	nfds = m->table_only ? 1 : 2;
	if (!cm || cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS ||
	    cm->cmsg_len != CMSG_LEN(nfds * sizeof(int)))
		return -EPROTO;
	memcpy(&t->parent_fd, CMSG_DATA(cm), sizeof(int));
	if (nfds == 2)
		memcpy(&t->fd, CMSG_DATA(cm) + sizeof(int), sizeof(int));
	return 0;
}

static int wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ECHILD;
}

static enum target_result run_resolver(const char *dir, bool is_root, bool table_only,
				       const struct caller *c, struct target *t, int *err)
{
	static struct resolve_msg m;
	int sv[2], r;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return *err = errno, TARGET_FAILED;
	pid = fork();
	if (pid < 0) {
		*err = errno;
		close(sv[0]);
		close(sv[1]);
		return TARGET_FAILED;
	}
	if (pid == 0) {
		close(sv[0]);
		resolver_child(sv[1], dir, t->last, is_root, table_only, c);
	}
	close(sv[1]);
	memset(&m, 0, sizeof(m));
	r = receive_result(sv[0], &m, t);
	close(sv[0]);
	if (r == -EINTR) /* Ctrl-C while the caller's own lookup hangs */
		kill(pid, SIGKILL);
	if (wait_child(pid) < 0 || r < 0) {
		target_close(t);
		return *err = (r < 0 ? -r : ECHILD), TARGET_FAILED;
	}
	t->id = m.id;
	t->root_id = m.root_id;
	t->block_device = m.block_device;
	t->rdev = m.rdev;
	t->table_only = m.table_only;
	memcpy(t->path, m.path, sizeof(t->path));
	*err = m.err;
	return m.result;
}

static enum target_result resolve(const char *path, bool table_only, const struct caller *c,
				  struct target *t, int *err)
{
	char dir[PATH_MAX];
	bool is_root;
	int r;

	memset(t, 0, sizeof(*t));
	t->parent_fd = t->fd = -1;
	*err = 0;
	r = split_path(path, dir, sizeof(dir), t->last, &is_root);
	if (r < 0) {
		*err = -r;
		return TARGET_ERRNO;
	}
	return run_resolver(dir, is_root, table_only, c, t, err);
}

enum target_result target_resolve(const char *path, const struct caller *c, struct target *t,
				  int *err)
{
	return resolve(path, false, c, t, err);
}

enum target_result target_resolve_untouched(const char *path, const struct caller *c,
					    struct target *t, int *err)
{
	return resolve(path, true, c, t, err);
}

/*
 * Between the decision and umount2() the caller can rename, replace or
 * symlink the last component. The unmount child calls this after dropping
 * to the caller's uids: if the name no longer leads to the mount that was
 * decided, nothing is unmounted. umount2() then runs relative to the same
 * pinned parent with UMOUNT_NOFOLLOW.
 */
static int recheck_in_table(const struct target *t)
{
	struct mount_id parent, now;
	char path[PATH_MAX];
	int r = target_mount_ids(t->parent_fd, &parent, NULL);

	if (r == 0)
		r = table_path(t->parent_fd, t->last, path, sizeof(path));
	if (r == 0)
		r = devices_mount_at(&parent, path, &now);
	if (r == -ENOENT || (r == 0 && (!mount_id_equal(&now, &t->id) || strcmp(path, t->path))))
		return -ESTALE;
	return r;
}

int target_fd_mount(int fd, uint64_t *legacy)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	return mounts_fdinfo_mnt_id(path, legacy);
}

/*
 * Runs in the unmount child after it has entered the pinned parent, while
 * t->fd (the decided mount's root, opened at resolve time) is still open:
 * that fd keeps the mount alive, so its legacy ID cannot have been given
 * to another mount. One lookup of the last component from the pinned
 * parent must land on the same mount. The IDs come from fdinfo: statx
 * would ask a FUSE file system, which refuses anyone but its owner.
 */
int target_recheck(const struct target *t)
{
	uint64_t now = 0, then = 0;
	int fd, r;

	if (t->table_only)
		return recheck_in_table(t);
	fd = openat(t->parent_fd, t->last, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESTALE : -errno;
	r = target_fd_mount(fd, &now);
	close(fd);
	if (r == 0)
		r = target_fd_mount(t->fd, &then);
	if (r < 0)
		return r;
	return now == then && then == t->id.legacy ? 0 : -ESTALE;
}

int target_repin(struct target *t)
{
	struct mount_facts m;
	uint64_t legacy = 0;
	int fd, r;

	if (t->table_only || t->fd >= 0)
		return 0;
	fd = openat(t->parent_fd, t->last, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESTALE : -errno;
	r = target_fd_mount(fd, &legacy);
	if (r == 0 && legacy != t->id.legacy)
		r = -ESTALE;
	/* Held by fd now: if the mount with the unique ID still has this
	 * legacy ID, fd is on that very mount. */
	if (r == 0 && t->id.unique) {
		r = mounts_lookup(&t->id, &m);
		mount_facts_free(&m);
		if (r == -ENOENT)
			r = -ESTALE;
	}
	if (r < 0) {
		close(fd);
		return r;
	}
	t->fd = fd;
	return 0;
}

void target_close(struct target *t)
{
	if (t->fd >= 0)
		close(t->fd);
	if (t->parent_fd >= 0)
		close(t->parent_fd);
	t->fd = t->parent_fd = -1;
}

const char *target_strerror(enum target_result r)
{
	switch (r) {
	case TARGET_OK:
		return "resolved";
	case TARGET_ERRNO:
		return "cannot resolve";
	case TARGET_SYMLINK:
		return "is a symbolic link; name the mount point itself, not a link to it "
		       "(readlink -f shows where the link leads)";
	case TARGET_NOT_MOUNTPOINT:
		return "not a mount point";
	case TARGET_DOT:
		return "name the mount point by its path, not '.' or '..' (pwd shows the path of "
		       "'.'; user-umount --list shows the mount points you may unmount)";
	case TARGET_FAILED:
		return "internal error while resolving";
	}
	return "unknown";
}
