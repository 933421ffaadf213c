/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fstab.c — see fstab.h.
 */
#define _GNU_SOURCE
#include "fstab.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "asks.h"
#include "loopdev.h"
#include "optstr.h"
#include "tagnames.h"

/* Far more than any fstab: a bigger file is not read at all. */
#define FSTAB_MAX ((size_t)16 << 20)

/* The mount being matched, and its loop backing file, asked once. */
struct mount_match {
	const struct mount_facts *m;
	int loop_state; /* 0 not asked yet, 1 known, -1 not a loop or unreadable */
	struct loopdev_backing loop;
};

/*
 * A /dev path names a device by number: a node (or a udev link) is
 * compared by st_rdev, a /dev/disk/by-* link that does not exist (no udev)
 * by the tag it spells, any other missing /dev path matches nothing. Never
 * by the mount table's source string: a FUSE fsname can say "/dev/sda1".
 * False when src exists but is no block device (compared as a string).
 */
static bool device_path_decides(const char *src, const struct mount_facts *m, bool *match)
{
	char name[16], value[TAGS_VALUE_MAX];
	struct stat st;

	*match = false;
	if (stat(src, &st) == 0) {
		if (!S_ISBLK(st.st_mode))
			return false;
		*match = major(m->dev) != 0 && st.st_rdev == m->dev;
	} else if (errno == ENOENT && major(m->dev) != 0 &&
		   tags_from_link_path(src, name, sizeof(name), value, sizeof(value)) == 0) {
		*match = lookup_asks()->device_has_tag(name, value, m->dev);
	}
	return true;
}

/* An image file (user,loop): the loop device's backing file, by identity. */
static bool loop_file_matches(const char *src, struct mount_match *mm)
{
	if (mm->loop_state == 0)
		mm->loop_state = loopdev_is_loop(mm->m->dev) &&
					 lookup_asks()->loop_backing(mm->m->dev, &mm->loop) == 0
				     ? 1
				     : -1;
	return mm->loop_state == 1 && loopdev_file_matches(src, &mm->loop);
}

static bool source_matches(const struct fstab_entry *fs, struct mount_match *mm)
{
	const char *src = fs->source;
	const struct mount_facts *m = mm->m;
	bool match;

	if (fs->tag)
		return major(m->dev) != 0 &&
		       lookup_asks()->device_has_tag(fs->tag, fs->tag_value, m->dev);
	if (!src || !m->source)
		return false;
	if (strncmp(src, "/dev/", 5) == 0 && device_path_decides(src, m, &match))
		return match;
	return strcmp(src, m->source) == 0 || (src[0] == '/' && loop_file_matches(src, mm));
}

static bool entry_type_agrees(const struct fstab_entry *fs, const struct mount_facts *m)
{
	const char *type = fs->fstype;

	if (!type || strcmp(type, "auto") == 0)
		return true;
	return m->fstype && fstab_type_matches(m->fstype, type);
}

/* Options in order, later ones win: "user,nouser" is not a user mount. */
static void read_options(const struct fstab_entry *fs, struct policy_fstab *out)
{
	char *opts = fs->options, *name, *val;
	size_t nlen, vlen;

	while (opts && optstr_next(&opts, &name, &nlen, &val, &vlen) == 0) {
		if (nlen == 5 && strncmp(name, "users", 5) == 0)
			out->users = true;
		else if (nlen == 7 && strncmp(name, "nousers", 7) == 0)
			out->users = false;
		else if (nlen == 6 && strncmp(name, "nouser", 6) == 0)
			out->user = false;
		else if ((nlen == 4 && strncmp(name, "user", 4) == 0) ||
			 (nlen == 5 && strncmp(name, "owner", 5) == 0) ||
			 (nlen == 5 && strncmp(name, "group", 5) == 0)) {
			out->user = true;
			out->user_option =
			    nlen == 4 ? "user" : (name[0] == 'o' ? "owner" : "group");
		}
	}
}

/*
 * An entry for this mount point that would entitle users but names another
 * source or type than the mounted one: worth saying, since "no entry" would
 * send the reader looking for a typo in the mount point.
 */
static void note_mismatch(const struct fstab_entry *fs, unsigned line, bool source_ok,
			  const struct mount_facts *m, char *buf, size_t len)
{
	struct policy_fstab opts = {0};

	read_options(fs, &opts);
	if (buf[0] || (!opts.user && !opts.users))
		return;
	if (!source_ok)
		snprintf(buf, len, "%s:%u is for %s; %s is mounted here", UU_FSTAB_PATH, line,
			 fs->source[0] ? fs->source : "no source",
			 m->source && m->source[0] ? m->source : "another source");
	else
		snprintf(buf, len, "%s:%u is for type %s; %s is mounted here", UU_FSTAB_PATH, line,
			 fs->fstype, m->fstype);
}

static int find_entry(const struct fstab_table *tb, const struct mount_facts *m,
		      struct policy_fstab *out, char *mismatch, size_t mlen)
{
	struct mount_match mm = {.m = m};
	bool source_ok, type_ok;
	int found = 0;

	for (size_t i = 0; !found && i < tb->n; i++) {
		const struct fstab_entry *fs = &tb->v[i];

		if (!fstab_same_path(fs->target, m->target))
			continue;
		/* the type first: it costs nothing, a tag's source may cost a probe */
		type_ok = entry_type_agrees(fs, m);
		source_ok = !type_ok || source_matches(fs, &mm);
		if (!source_ok || !type_ok) {
			note_mismatch(fs, fs->line, source_ok, m, mismatch, mlen);
			continue;
		}
		memset(out, 0, sizeof(*out));
		out->file = UU_FSTAB_PATH;
		out->line = fs->line;
		read_options(fs, out);
		found = 1;
	}
	if (found)
		mismatch[0] = '\0';
	return found;
}

/* The whole file: 0 (*text, *len), -ENOENT, -EFBIG, -errno. */
static int read_fstab(char **text, size_t *len)
{
	int fd = open(UU_FSTAB_PATH, O_RDONLY | O_CLOEXEC | O_NOCTTY), r = 0;
	size_t cap = 8192, n = 0;
	char *buf = NULL;

	*text = NULL;
	*len = 0;
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t got;

		if (!buf || n == cap) {
			size_t ncap = buf ? cap * 2 : cap;
			char *nb = ncap > FSTAB_MAX ? NULL : realloc(buf, ncap);

			if (!nb) {
				r = ncap > FSTAB_MAX ? -EFBIG : -ENOMEM;
				break;
			}
			buf = nb;
			cap = ncap;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			r = got < 0 ? -errno : 0;
			break;
		}
		n += (size_t)got;
	}
	close(fd);
	if (r < 0) {
		free(buf);
		return r;
	}
	*text = buf;
	*len = n;
	return 0;
}

int fstab_read(struct fstab_table *tb, unsigned *bad_line)
{
	char *text;
	size_t len;
	int r = read_fstab(&text, &len);

	tb->v = NULL;
	tb->n = 0;
	*bad_line = 0;
	if (r == -ENOENT)
		return 0;
	if (r == 0)
		r = fstab_parse(text, len, tb, bad_line);
	free(text);
	return r;
}

int fstab_match(const struct mount_facts *m, struct policy_fstab *out, unsigned *bad_line,
		char *mismatch, size_t mlen)
{
	struct fstab_table tb;
	int r;

	mismatch[0] = '\0';
	r = fstab_read(&tb, bad_line);
	if (r == 0)
		r = find_entry(&tb, m, out, mismatch, mlen);
	fstab_table_free(&tb);
	return r;
}
