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
#include <unistd.h>

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
static int read_utab(char **buf)
{
	struct stat st;
	ssize_t n;
	int fd;

	*buf = NULL;
	fd = open(UU_UTAB_PATH, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) || st.st_size >= UTAB_MAX_SIZE) {
		close(fd);
		return -EPERM;
	}
	*buf = calloc(1, (size_t)st.st_size + 1);
	n = *buf ? read(fd, *buf, (size_t)st.st_size) : -1;
	close(fd);
	if (n != st.st_size) {
		free(*buf);
		*buf = NULL;
		return -EIO;
	}
	return 0;
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

int utab_lookup(const struct mount_facts *m, bool *has_entry, char **user)
{
	struct utab_entry e, found = {0};
	char *buf, *save = NULL;
	int r = read_utab(&buf);

	*has_entry = false;
	*user = NULL;
	if (r < 0 || !buf)
		return r;
	for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (utab_parse_line(l, &e) == 0 && entry_matches(&e, m)) {
			found = e;
			*has_entry = true;
		}
	}
	r = *has_entry ? user_of(&found, user) : 0;
	free(buf);
	return r;
}

int utab_remove(const char *target)
{
	struct libmnt_update *upd = mnt_new_update();
	struct libmnt_lock *lock = NULL;
	int r;

	if (!upd)
		return -ENOMEM;
	r = mnt_update_set_fs(upd, 0, target, NULL);
	if (r == 1) { /* nothing to update: no utab on this system */
		r = 0;
		goto out;
	}
	if (r < 0)
		goto out;
	lock = mnt_new_lock(mnt_update_get_filename(upd), 0);
	if (!lock || mnt_lock_block_signals(lock, 1) < 0) {
		r = -ENOMEM;
		goto out;
	}
	r = mnt_update_table(upd, lock);
out:
	mnt_free_lock(lock);
	mnt_free_update(upd);
	return r < 0 ? r : 0;
}
