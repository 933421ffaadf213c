/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * policyload.c — see policyload.h.
 */
#define _GNU_SOURCE
#include "policyload.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef UU_POLICY_DIR
#define UU_POLICY_DIR "/etc/user-umount"
#endif

#define MAIN_FILE     "policy.conf"
#define DROPIN_DIR    "policy.d"
#define DROPIN_SUFFIX ".conf"
/* First read buffer; it doubles up to POLICYLOAD_MAX_FILE_SIZE + 1. */
#define READ_CHUNK 65536

struct names {
	char **v;
	size_t n;
};

const char *policyload_default_dir(void)
{
	return UU_POLICY_DIR;
}

__attribute__((format(printf, 3, 4))) static int load_fail(struct policy_error *err,
							   const char *path, const char *fmt, ...)
{
	va_list ap;

	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", path);
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	/* About the file, never from it: safe for any caller to read. */
	snprintf(err->kind, sizeof(err->kind), "%s", err->message);
	return -1;
}

static int join(char *out, const char *dir, const char *name, struct policy_error *err)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", dir, name);

	if (n < 0 || n >= PATH_MAX)
		return load_fail(err, dir, "path too long");
	return 0;
}

/* Why st may not be trusted as a file of this type, or NULL. */
static const char *untrusted(const struct stat *st, mode_t type)
{
	if (S_ISLNK(st->st_mode))
		return "is a symbolic link";
	if ((st->st_mode & S_IFMT) != type)
		return type == S_IFDIR ? "not a directory" : "not a regular file";
	if (st->st_uid != 0)
		return "not owned by root";
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return "writable by group or other";
	return NULL;
}

/*
 * Open name (relative to the directory fd at) as a trusted file or
 * directory: 1 and *fd, 0 when it does not exist, -1 with *err.
 *
 * Attack: anyone who can write a policy file, or swap it or policy.d for a
 * symlink to a file of their own, writes the rules of a setuid-root
 * program. So each step below DIR is pinned to the fd of the step before
 * (openat, never the path string again), O_NOFOLLOW refuses a symlink as
 * the last component, and the verdict comes from fstat on the very fd that
 * is then read. The earlier fstatat only keeps us from opening a FIFO (open
 * would block; O_NONBLOCK too, in case of a swap) or a device (open has side
 * effects), and gives a precise message; it must name the same inode the fd
 * holds, or the file changed under us. DIR's own parents (/etc) are taken
 * as they are: they belong to root like the binary itself.
 */
static int open_trusted(int at, const char *name, const char *path, mode_t type, int *fd,
			struct stat *st, struct policy_error *err)
{
	int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	struct stat before;
	const char *why;

	if (fstatat(at, name, &before, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0;
		return load_fail(err, path, "cannot stat: %s", strerror(errno));
	}
	why = untrusted(&before, type);
	if (why)
		return load_fail(err, path, "%s", why);
	*fd = openat(at, name, flags | (type == S_IFDIR ? O_DIRECTORY : 0));
	if (*fd < 0)
		return load_fail(err, path, "cannot open: %s", strerror(errno));
	if (fstat(*fd, st) < 0) {
		load_fail(err, path, "cannot stat: %s", strerror(errno));
		goto out;
	}
	why = untrusted(st, type);
	if (!why && (st->st_dev != before.st_dev || st->st_ino != before.st_ino))
		why = "replaced while being opened";
	if (!why)
		return 1;
	load_fail(err, path, "%s", why);
out:
	close(*fd);
	*fd = -1;
	return -1;
}

/* The whole file from fd, at most POLICYLOAD_MAX_FILE_SIZE bytes. */
static int read_all(int fd, const char *path, char **out, size_t *outlen, struct policy_error *err)
{
	size_t cap = 0, len = 0;
	char *buf = NULL;

	for (;;) {
		ssize_t n;

		if (len == cap) {
			size_t ncap = cap ? cap * 2 : READ_CHUNK;
			char *nbuf;

			if (cap > POLICYLOAD_MAX_FILE_SIZE)
				goto too_large;
			if (ncap > POLICYLOAD_MAX_FILE_SIZE + 1)
				ncap = POLICYLOAD_MAX_FILE_SIZE + 1;
			nbuf = realloc(buf, ncap);
			if (!nbuf) {
				load_fail(err, path, "out of memory");
				goto fail;
			}
			buf = nbuf;
			cap = ncap;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			load_fail(err, path, "cannot read: %s", strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	*out = buf;
	*outlen = len;
	return 0;
too_large:
	load_fail(err, path, "file too large (over %zu bytes)", POLICYLOAD_MAX_FILE_SIZE);
fail:
	free(buf);
	return -1;
}

/* Load one trusted file into *p; a missing file is no rules. */
static int load_file(int at, const char *name, const char *path, struct policy *p,
		     struct policy_error *err)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int fd = -1, rc;

	rc = open_trusted(at, name, path, S_IFREG, &fd, &st, err);
	if (rc <= 0)
		return rc;
	rc = -1;
	if (st.st_size < 0 || (size_t)st.st_size > POLICYLOAD_MAX_FILE_SIZE) {
		load_fail(err, path, "file too large (over %zu bytes)", POLICYLOAD_MAX_FILE_SIZE);
		goto out;
	}
	if (read_all(fd, path, &buf, &len, err) < 0)
		goto out;
	rc = policy_parse_buffer(p, path, buf, len, err);
out:
	free(buf);
	close(fd);
	return rc;
}

static bool wanted(const char *name)
{
	size_t n = strlen(name), s = strlen(DROPIN_SUFFIX);

	return name[0] != '.' && n > s && strcmp(name + n - s, DROPIN_SUFFIX) == 0;
}

static int by_bytes(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void names_free(struct names *nm)
{
	for (size_t i = 0; i < nm->n; i++)
		free(nm->v[i]);
	free(nm->v);
	nm->v = NULL;
	nm->n = 0;
}

/* The *.conf names of an open directory, sorted by bytes (strcmp). */
static int list_dropins(DIR *d, const char *path, struct names *nm, struct policy_error *err)
{
	struct dirent *de;

	nm->v = calloc(POLICYLOAD_MAX_FILES, sizeof(*nm->v));
	if (!nm->v)
		return load_fail(err, path, "out of memory");
	for (errno = 0; (de = readdir(d)) != NULL; errno = 0) {
		if (!wanted(de->d_name))
			continue;
		if (nm->n == POLICYLOAD_MAX_FILES)
			return load_fail(err, path, "more than %d *%s files", POLICYLOAD_MAX_FILES,
					 DROPIN_SUFFIX);
		nm->v[nm->n] = strdup(de->d_name);
		if (!nm->v[nm->n])
			return load_fail(err, path, "out of memory");
		nm->n++;
	}
	if (errno != 0)
		return load_fail(err, path, "cannot read directory: %s", strerror(errno));
	qsort(nm->v, nm->n, sizeof(*nm->v), by_bytes);
	return 0;
}

/* DIR/policy.d/NAME.conf in byte order; a missing policy.d is no rules. */
static int load_dropins(int dfd, const char *dir, struct policy *p, struct policy_error *err)
{
	char path[PATH_MAX], file[PATH_MAX];
	struct names nm = {0};
	struct stat st;
	DIR *d = NULL;
	int fd = -1, rc = -1;

	if (join(path, dir, DROPIN_DIR, err) < 0)
		return -1;
	rc = open_trusted(dfd, DROPIN_DIR, path, S_IFDIR, &fd, &st, err);
	if (rc <= 0)
		return rc;
	rc = -1;
	d = fdopendir(fd);
	if (!d) {
		load_fail(err, path, "cannot read directory: %s", strerror(errno));
		close(fd);
		goto out;
	}
	if (list_dropins(d, path, &nm, err) < 0)
		goto out;
	for (size_t i = 0; i < nm.n; i++)
		if (join(file, path, nm.v[i], err) < 0 ||
		    load_file(dirfd(d), nm.v[i], file, p, err) < 0)
			goto out;
	rc = 0;
out:
	names_free(&nm);
	if (d)
		closedir(d);
	return rc;
}

/* Append the rules and file names of *from to *to; *to is untouched on error. */
static int merge(struct policy *to, struct policy *from, const char *dir, struct policy_error *err)
{
	struct policy_rule *rules;
	char **files;

	if (from->nrules == 0 && from->nfiles == 0)
		return 0;
	if (to->nrules + from->nrules > POLICY_MAX_RULES)
		return load_fail(err, dir, "more than %d rules", POLICY_MAX_RULES);
	files = reallocarray(to->files, to->nfiles + from->nfiles + 1, sizeof(*files));
	if (!files)
		return load_fail(err, dir, "out of memory");
	to->files = files;
	rules = reallocarray(to->rules, to->nrules + from->nrules + 1, sizeof(*rules));
	if (!rules)
		return load_fail(err, dir, "out of memory");
	to->rules = rules;
	memcpy(to->files + to->nfiles, from->files, from->nfiles * sizeof(*files));
	memcpy(to->rules + to->nrules, from->rules, from->nrules * sizeof(*rules));
	to->nfiles += from->nfiles;
	to->nrules += from->nrules;
	free(from->files);
	free(from->rules);
	memset(from, 0, sizeof(*from));
	return 0;
}

/*
 * A trailing '/' would make even O_NOFOLLOW follow a symlink in the last
 * component ("link/" resolves through the link): strip it.
 */
static int dir_path(const char *dir, char *out, struct policy_error *err)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n == 0 || n >= PATH_MAX)
		return load_fail(err, dir, n ? "path too long" : "empty directory name");
	memcpy(out, dir, n);
	out[n] = '\0';
	return 0;
}

int policyload_dir(const char *dir, struct policy *p, struct policy_error *err)
{
	char top[PATH_MAX], path[PATH_MAX];
	struct policy tmp = {0};
	struct stat st;
	int dfd = -1, rc;

	memset(err, 0, sizeof(*err));
	if (dir_path(dir, top, err) < 0)
		return -1;
	rc = open_trusted(AT_FDCWD, top, top, S_IFDIR, &dfd, &st, err);
	if (rc <= 0)
		return rc;
	rc = -1;
	if (join(path, top, MAIN_FILE, err) < 0 || load_file(dfd, MAIN_FILE, path, &tmp, err) < 0)
		goto out;
	if (load_dropins(dfd, top, &tmp, err) < 0)
		goto out;
	rc = merge(p, &tmp, top, err);
out:
	policy_free(&tmp);
	close(dfd);
	return rc;
}

int policyload_all(struct policy *p, struct policy_error *err)
{
	return policyload_dir(UU_POLICY_DIR, p, err);
}
