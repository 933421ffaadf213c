/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * utab.c — see utab.h.
 */
#define _GNU_SOURCE
#include "utab.h"

#include <errno.h>
#include <fcntl.h>
#include <libmount/libmount.h>
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
	if (!e->opts || mnt_optstr_get_option(e->opts, "user", &val, &len) != 0 || !val)
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

/*
 * The lock mount(8) and umount(8) take (libmount: flock on PATH.lock).
 * Any user can open that file and hold a lock on it, so we wait a bounded
 * time and then refuse, before anything was changed.
 */
static int lock_utab(const char *path)
{
	char lockpath[PATH_MAX];
	int fd, err;

	if ((size_t)snprintf(lockpath, sizeof(lockpath), "%s.lock", path) >= sizeof(lockpath))
		return -ENAMETOOLONG;
	fd = open(lockpath, O_RDONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY,
		  S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH);
	if (fd < 0)
		return -errno;
	for (int waited = 0;; waited += 10) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return fd;
		err = errno;
		if (err != EWOULDBLOCK && err != EINTR)
			break;
		err = ETIMEDOUT;
		if (waited >= UTAB_LOCK_WAIT_MS)
			break;
		nanosleep(&(struct timespec){0, 10L * 1000 * 1000}, NULL);
	}
	close(fd);
	return -err;
}

/* Write PARTS (pieces of the new contents) to a temp file, then rename it
 * over PATH: readers see the old or the new file, never half of one. */
static int replace_utab(const char *path, const struct iovec *parts, int nparts)
{
	char tmp[PATH_MAX];
	int fd, r = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH) < 0)
		r = -errno;
	for (int i = 0; r == 0 && i < nparts; i++) {
		const char *p = parts[i].iov_base;
		size_t left = parts[i].iov_len;

		while (r == 0 && left > 0) {
			ssize_t n = write(fd, p, left);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				r = n < 0 ? -errno : -EIO;
			else
				p += n, left -= (size_t)n;
		}
	}
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0)
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

int utab_restore(const char *path, const char *line)
{
	char *buf = NULL;
	size_t len = 0;
	int lock = lock_utab(path), r;

	if (lock < 0)
		return lock;
	r = read_utab(path, &buf, &len);
	if (r == 0) {
		bool nl = len > 0 && buf[len - 1] != '\n';

		r = replace_utab(path,
				 (struct iovec[]){{buf, len},
						  {(void *)"\n", nl},
						  {(void *)line, strlen(line)},
						  {(void *)"\n", 1}},
				 4);
	}
	free(buf);
	close(lock);
	return r;
}
