/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pins.c — see pins.h.
 */
#define _GNU_SOURCE
#include "pins.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mounts.h"
#include "privs.h"
#include "target.h"

/* A mount point whose path keeps changing is not checkable. */
#define PIN_TRIES 3

/* The legacy mount ID of whatever fd is on: statx for the ID bits only
 * (cheap, asks no file system but FUSE, which refuses anyone but its
 * owner), else /proc/self/fdinfo. */
static int fd_legacy_id(int fd, uint64_t *legacy)
{
	struct statx sx;

	memset(&sx, 0, sizeof(sx));
	if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC, STATX_MNT_ID,
		  &sx) == 0 &&
	    (sx.stx_mask & STATX_MNT_ID)) {
		*legacy = sx.stx_mnt_id;
		return 0;
	}
	return target_fd_mount(fd, legacy);
}

/*
 * O_PATH open as the caller; where the caller may not search the way
 * (another user's 0700 home), again with CAP_DAC_READ_SEARCH effective for
 * that one call. Never read or written, only verified by mount ID and
 * held. A failure to drop it again ends the process: nothing may go on
 * with an effective capability.
 */
static int open_path(int dirfd, const char *path, int flags)
{
	int fd = openat(dirfd, path, O_PATH | O_CLOEXEC | flags), err;

	if (fd >= 0 || errno != EACCES)
		return fd;
	if (privs_search(true) < 0) {
		errno = EACCES;
		return -1;
	}
	fd = openat(dirfd, path, O_PATH | O_CLOEXEC | flags);
	err = errno;
	if (privs_search(false) < 0)
		_exit(4);
	errno = err;
	return fd;
}

static int split(const char *path, char *dir, size_t dlen, const char **base)
{
	const char *slash = strrchr(path, '/');

	if (!slash || slash[1] == '\0' || (size_t)(slash - path) >= dlen)
		return -EINVAL;
	*base = slash + 1;
	if (slash == path)
		snprintf(dir, dlen, "/");
	else
		snprintf(dir, dlen, "%.*s", (int)(slash - path), path);
	return 0;
}

enum pin_result { PIN_HELD, PIN_FIXED, PIN_GONE, PIN_MISMATCH };

/* The directory of the last mount point, kept open while its other
 * entries are pinned (siblings share it: one open, one check). */
struct dir_cache {
	char path[PATH_MAX];
	int fd;
	bool fixed;
};

static int dir_open(const struct tree *tr, const char *dir, struct dir_cache *dc)
{
	uint64_t legacy;

	if (dc->fd >= 0 && strcmp(dc->path, dir) == 0)
		return dc->fd;
	if (dc->fd >= 0)
		close(dc->fd);
	dc->path[0] = '\0';
	dc->fd = open_path(AT_FDCWD, dir, O_DIRECTORY);
	if (dc->fd < 0)
		return -1;
	if (fd_legacy_id(dc->fd, &legacy) < 0 || legacy != tr->pm.legacy) {
		close(dc->fd);
		dc->fd = -1;
		return -1;
	}
	snprintf(dc->path, sizeof(dc->path), "%s", dir);
	dc->fixed = tree_dir_fixed(dc->fd);
	return dc->fd;
}

/* One try at the stack's mount point POINT: its directory on the parent
 * mount, the name in it leading to the stack's top. */
static enum pin_result pin_once(const struct tree *tr, const struct tree_stack *st,
				const char *point, struct dir_cache *dc, int *held)
{
	char dir[PATH_MAX];
	const char *base;
	uint64_t legacy;
	int dfd, fd;

	*held = -1;
	if (split(point, dir, sizeof(dir), &base) < 0)
		return PIN_MISMATCH;
	dfd = dir_open(tr, dir, dc);
	if (dfd < 0)
		return PIN_MISMATCH;
	fd = open_path(dfd, base, O_NOFOLLOW);
	if (fd < 0)
		return PIN_MISMATCH;
	if (fd_legacy_id(fd, &legacy) < 0 || legacy != st->top.legacy) {
		close(fd);
		return PIN_MISMATCH;
	}
	if (dc->fixed) {
		close(fd);
		return PIN_FIXED;
	}
	*held = fd;
	return PIN_HELD;
}

/* Verify and pin one stack, looking its mount point up again by ID when
 * the listed path no longer leads to it. */
static enum pin_result pin_stack(const struct tree *tr, const struct tree_stack *st,
				 struct dir_cache *dc, int *held)
{
	struct mount_facts m;
	char point[PATH_MAX];
	enum pin_result r;

	snprintf(point, sizeof(point), "%s", st->point);
	for (int i = 0; i < PIN_TRIES; i++) {
		r = pin_once(tr, st, point, dc, held);
		if (r != PIN_MISMATCH)
			return r;
		if (dc->fd >= 0) { /* the directory may be what changed */
			close(dc->fd);
			dc->fd = -1;
		}
		if (mounts_lookup(&st->bottom, &m) < 0)
			return PIN_GONE; /* no longer in this namespace: nothing to swap in */
		snprintf(point, sizeof(point), "%s", m.target ? m.target : "");
		mount_facts_free(&m);
	}
	return PIN_MISMATCH;
}

/* Room for one fd per pin besides what the run needs: the soft limit goes
 * up to the hard one if it must (no privilege needed); beyond that the
 * unmount is refused, never half pinned. */
#define PINS_FD_SPARE 64

static bool fd_room(size_t n)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return false;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < n + PINS_FD_SPARE) {
		if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < n + PINS_FD_SPARE)
			return false;
		rl.rlim_cur = n + PINS_FD_SPARE;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			return false;
	}
	return true;
}

int pins_take(struct tree *tr, bool hold, struct pins *p)
{
	struct dir_cache dc = {.fd = -1};

	memset(p, 0, sizeof(*p));
	if (tr->pt.incomplete || tr->pt.unpinned || tr->nstacks == 0)
		return 0;
	if (hold && !fd_room(tr->nstacks)) {
		tree_set_unpinned(tr, "the other mounts here (more than RLIMIT_NOFILE allows to "
				      "hold open)");
		return -EMFILE;
	}
	p->fd = calloc(tr->nstacks, sizeof(*p->fd));
	if (!p->fd) {
		tree_set_unpinned(tr, "the other mounts here (out of memory)");
		return -ENOMEM;
	}
	for (size_t i = 0; i < tr->nstacks; i++) {
		const struct tree_stack *st = &tr->stacks[i];
		int fd;

		switch (pin_stack(tr, st, &dc, &fd)) {
		case PIN_HELD:
			if (hold)
				p->fd[p->n++] = fd;
			else
				close(fd);
			break;
		case PIN_FIXED:
			for (size_t k = st->first; k < st->first + st->n; k++)
				tr->ms[k].fixed = true;
			break;
		case PIN_GONE:
			break;
		case PIN_MISMATCH:
			tree_set_unpinned(tr, st->point);
			pins_release(p);
			i = tr->nstacks;
			break;
		}
	}
	if (dc.fd >= 0)
		close(dc.fd);
	return 0;
}

void pins_release(struct pins *p)
{
	for (size_t i = 0; i < p->n; i++)
		close(p->fd[i]);
	free(p->fd);
	memset(p, 0, sizeof(*p));
}
