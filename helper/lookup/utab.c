/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * utab.c — see utab.h.
 */
#define _GNU_SOURCE
#include "utab.h"

#include <errno.h>
#include <fcntl.h>
#include "optstr.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/file.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <limits.h>
#include <stdint.h>

static int octal_digit(char c)
{
	return c >= '0' && c <= '7' ? c - '0' : -1;
}

/* "\040" -> ' ', in place; a backslash not followed by 3 octal digits or a
 * value over 0377 is malformed. */
static int unescape(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		int a, b, c;

		if (*r != '\\') {
			*w++ = *r;
			continue;
		}
		a = octal_digit(r[1]);
		b = a < 0 ? -1 : octal_digit(r[2]);
		c = b < 0 ? -1 : octal_digit(r[3]);
		if (c < 0 || a > 3)
			return -EINVAL;
		*w++ = (char)(a * 64 + b * 8 + c);
		r += 3;
	}
	*w = '\0';
	return 0;
}

static const char **entry_field(struct utab_entry *e, const char *key, size_t len)
{
	static const struct {
		const char *key;
		size_t off;
	} fields[] = {
	    {"SRC", offsetof(struct utab_entry, src)},
	    {"TARGET", offsetof(struct utab_entry, target)},
	    {"ROOT", offsetof(struct utab_entry, root)},
	    {"OPTS", offsetof(struct utab_entry, opts)},
	    {"ID", offsetof(struct utab_entry, id)},
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strlen(fields[i].key) == len && memcmp(fields[i].key, key, len) == 0)
			return (const char **)((char *)e + fields[i].off);
	return NULL;
}

int utab_parse_line(char *line, struct utab_entry *e)
{
	char *save = NULL;

	memset(e, 0, sizeof(*e));
	for (char *tok = strtok_r(line, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		char *eq = strchr(tok, '=');
		const char **field;

		if (!eq || eq == tok)
			return -EINVAL;
		field = entry_field(e, tok, (size_t)(eq - tok));
		if (!field)
			continue;
		if (*field || unescape(eq + 1) < 0)
			return -EINVAL;
		*field = eq + 1;
	}
	return e->target ? 0 : -EINVAL;
}

/*
 * Read utab only if root owns it and nobody else can write it: a forged
 * "user=" line is a forged entitlement.
 */
static int read_fd(int fd, char **buf, size_t *len)
{
	struct stat st;
	ssize_t n;

	*buf = NULL;
	*len = 0;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) ||
	    st.st_size >= UTAB_MAX_SIZE)
		return -EPERM;
	*buf = calloc(1, (size_t)st.st_size + 1);
	if (!*buf)
		return -ENOMEM;
	n = pread(fd, *buf, (size_t)st.st_size, 0);
	if (n != st.st_size) {
		free(*buf);
		*buf = NULL;
		return -EIO;
	}
	*len = (size_t)n;
	return 0;
}

static int read_utab(const char *path, char **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY), r;

	*buf = NULL;
	*len = 0;
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	r = read_fd(fd, buf, len);
	close(fd);
	return r;
}

static bool entry_matches(const struct utab_entry *e, const struct mount_facts *m)
{
	char legacy[24];

	if (strcmp(e->target, m->target) != 0)
		return false;
	if (e->root && m->root && strcmp(e->root, m->root) != 0)
		return false;
	if (e->src && (!m->source || strcmp(e->src, m->source) != 0))
		return false;
	if (e->id && m->id.legacy) {
		snprintf(legacy, sizeof(legacy), "%llu", (unsigned long long)m->id.legacy);
		if (strcmp(e->id, legacy) != 0)
			return false;
	}
	return true;
}

static int user_of(const struct utab_entry *e, char **user)
{
	char *val = NULL;
	size_t len = 0;

	*user = NULL;
	if (!e->opts || optstr_get(e->opts, "user", &val, &len) != 0 || !val)
		return 0;
	*user = strndup(val, len);
	return *user ? 0 : -ENOMEM;
}

/* Does the raw line (not NUL-terminated) belong to this mount? */
static bool line_matches(const char *raw, size_t len, const struct mount_facts *m,
			 struct utab_entry *e, char *scratch)
{
	memcpy(scratch, raw, len);
	scratch[len] = '\0';
	return utab_parse_line(scratch, e) == 0 && entry_matches(e, m);
}

/*
 * Walk the lines of BUF; count those of M and remember the last one's
 * offset. The copy in scratch is parsed in place (escapes undone).
 */
struct scan_result {
	size_t count;
	size_t off, len; /* of the last matching line */
};

static int scan_lines(const char *buf, size_t blen, const struct mount_facts *m,
		      struct scan_result *sr, struct utab_entry *last, char **scratch)
{
	struct utab_entry e;

	memset(sr, 0, sizeof(*sr));
	*scratch = malloc(blen + 1);
	if (!*scratch)
		return -ENOMEM;
	for (size_t off = 0; off < blen;) {
		const char *nl = memchr(buf + off, '\n', blen - off);
		size_t len = nl ? (size_t)(nl - (buf + off)) : blen - off;
		char *line = *scratch + off;

		if (memchr(buf + off, '\0', len) == NULL &&
		    line_matches(buf + off, len, m, &e, line)) {
			sr->count++;
			sr->off = off;
			sr->len = len;
			*last = e;
		}
		off += len + 1;
	}
	return 0;
}

int utab_lookup(const char *path, const struct mount_facts *m, struct utab_match *out)
{
	struct scan_result sr;
	struct utab_entry e = {0};
	char *buf, *scratch = NULL;
	size_t len;
	int r = read_utab(path, &buf, &len);

	memset(out, 0, sizeof(*out));
	if (r < 0 || !buf)
		return r;
	r = scan_lines(buf, len, m, &sr, &e, &scratch);
	if (r == 0 && sr.count > 1)
		r = -ENOTUNIQ;
	if (r == 0 && sr.count == 1) {
		out->found = true;
		out->line = strndup(buf + sr.off, sr.len);
		r = out->line ? user_of(&e, &out->user) : -ENOMEM;
	}
	free(scratch);
	free(buf);
	if (r < 0)
		utab_match_free(out);
	return r;
}

void utab_match_free(struct utab_match *m)
{
	free(m->line);
	free(m->user);
	memset(m, 0, sizeof(*m));
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/*
 * The lock mount(8) and umount(8) take (libmount: flock on PATH.lock).
 * Any user can open that file and hold a lock on it, so we wait a bounded
 * time and then refuse, before anything was changed. The bound is read
 * from the monotonic clock, not counted in polls: however long a sleep
 * lasts, the wait ends UTAB_LOCK_WAIT_MS after it began.
 */
static int lock_utab(const char *path)
{
	char lockpath[PATH_MAX];
	long long deadline = now_ms() + UTAB_LOCK_WAIT_MS;
	int fd, err;

	if ((size_t)snprintf(lockpath, sizeof(lockpath), "%s.lock", path) >= sizeof(lockpath))
		return -ENAMETOOLONG;
	fd = open(lockpath, O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY,
		  S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return fd;
		err = errno;
		if (err != EWOULDBLOCK && err != EINTR)
			break;
		err = ETIMEDOUT;
		if (now_ms() >= deadline)
			break;
		nanosleep(&(struct timespec){0, 10L * 1000 * 1000}, NULL);
	}
	close(fd);
	return -err;
}

static int write_parts(int fd, const struct iovec *parts, int nparts)
{
	for (int i = 0; i < nparts; i++) {
		const char *p = parts[i].iov_base;
		size_t left = parts[i].iov_len;

		while (left > 0) {
			ssize_t n = write(fd, p, left);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return n < 0 ? -errno : -EIO;
			p += n;
			left -= (size_t)n;
		}
	}
	return 0;
}

/*
 * The new contents are written to a file without a name (O_TMPFILE in
 * utab's directory), which the kernel frees if we die while writing it.
 * Only when it is complete does it get a name, TEMP, for the two calls
 * linkat and rename: readers see the old utab or the new one, never half,
 * and a helper killed (by root or the OOM killer: the caller cannot) can
 * leave at most TEMP behind. TEMP is one fixed name, and every rewrite
 * removes a leftover one first, under the lock: no other writer can be
 * between its linkat and its rename then, so what is there is stale.
 * Where O_TMPFILE is not supported the contents go to TEMP directly.
 */
static int replace_utab(const char *path, const struct iovec *parts, int nparts)
{
	char tmp[PATH_MAX], dir[PATH_MAX], proc[64];
	const char *slash = strrchr(path, '/');
	int fd, r;
	bool named = false;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s%s", path, UTAB_TEMP_SUFFIX) >= sizeof(tmp) ||
	    !slash || (size_t)(slash - path) + 2 > sizeof(dir))
		return -ENAMETOOLONG;
	snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	if (unlink(tmp) < 0 && errno != ENOENT)
		return -errno;
	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH);
	if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			  S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH);
		named = true;
	}
	if (fd < 0)
		return -errno;
	r = fchmod(fd, S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH) < 0 ? -errno : 0;
	if (r == 0)
		r = write_parts(fd, parts, nparts);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (r == 0 && !named) {
		r = linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) < 0 ? -errno : 0;
		named = r == 0;
	}
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0 && named)
		unlink(tmp);
	return r;
}

static int take_locked(const char *path, const struct mount_facts *m, const char *line)
{
	struct utab_entry e;
	struct scan_result sr;
	char *buf = NULL, *scratch = NULL;
	size_t len, after;
	int r = read_utab(path, &buf, &len);

	if (r == 0 && !buf)
		r = -ESTALE;
	if (r == 0)
		r = scan_lines(buf, len, m, &sr, &e, &scratch);
	if (r == 0 &&
	    (sr.count != 1 || sr.len != strlen(line) || memcmp(buf + sr.off, line, sr.len)))
		r = -ESTALE;
	if (r == 0) {
		after = sr.off + sr.len < len ? sr.off + sr.len + 1 : len;
		r = replace_utab(path, (struct iovec[]){{buf, sr.off}, {buf + after, len - after}},
				 2);
	}
	free(scratch);
	free(buf);
	return r;
}

int utab_take(const char *path, const struct mount_facts *m, const char *line)
{
	int lock = lock_utab(path), r;

	if (lock < 0)
		return lock;
	r = take_locked(path, m, line);
	close(lock);
	return r;
}

/*
 * Is the mount there, in this namespace, by its ID; and is PIN (when
 * given) on it? A pinned mount cannot be unmounted without MNT_DETACH
 * (EBUSY), and a detached one is no longer found by ID.
 */
static bool mount_present(const struct mount_facts *m, int pin)
{
	struct mount_facts now;
	char fdinfo[64];
	uint64_t legacy = 0;
	int r = mounts_lookup(&m->id, &now);

	mount_facts_free(&now);
	if (r == 0 && pin >= 0) {
		snprintf(fdinfo, sizeof(fdinfo), "/proc/self/fdinfo/%d", pin);
		r = mounts_fdinfo_mnt_id(fdinfo, &legacy);
		if (r == 0 && legacy != m->id.legacy)
			r = -ESTALE;
	}
	return r == 0;
}

/*
 * Under the lock: the mount is there (and pinned, so only a lazy detach
 * can take it now), its line is not already back, the line is appended;
 * and if the mount went meanwhile (a lazy detach), the line goes again
 * before the lock is let go.
 */
static int restore_locked(const char *path, const struct mount_facts *m, const char *line, int pin)
{
	struct utab_entry e;
	struct scan_result sr;
	char *buf = NULL, *scratch = NULL;
	size_t len = 0;
	int r;

	if (!mount_present(m, pin))
		return -ESTALE;
	r = read_utab(path, &buf, &len);
	if (r == 0 && buf)
		r = scan_lines(buf, len, m, &sr, &e, &scratch);
	if (r == 0 && buf && sr.count > 0) {
		free(scratch);
		free(buf);
		return 0; /* a line of this mount is back already (mount(8)) */
	}
	if (r == 0) {
		bool nl = len > 0 && buf[len - 1] != '\n';

		r = replace_utab(path,
				 (struct iovec[]){{buf, len},
						  {(void *)"\n", nl},
						  {(void *)line, strlen(line)},
						  {(void *)"\n", 1}},
				 4);
	}
	if (r == 0 && !mount_present(m, pin)) {
		r = replace_utab(path, (struct iovec[]){{buf, len}}, 1);
		if (r == 0)
			r = -ESTALE;
	}
	free(scratch);
	free(buf);
	return r;
}

int utab_restore(const char *path, const struct mount_facts *m, const char *line, int pin)
{
	int lock = lock_utab(path), r;

	if (lock < 0)
		return lock;
	r = restore_locked(path, m, line, pin);
	close(lock);
	return r;
}
