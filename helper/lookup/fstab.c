/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fstab.c — see fstab.h.
 */
#define _GNU_SOURCE
#include "fstab.h"

#include <errno.h>
#include <libmount/libmount.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "asks.h"
#include "loopdev.h"
#include "tagnames.h"

struct parse_state {
	unsigned bad_line;
};

static int on_parse_error(struct libmnt_table *tb, const char *file, int line)
{
	struct parse_state *st = mnt_table_get_userdata(tb);

	(void)file;
	if (st && !st->bad_line)
		st->bad_line = (unsigned)line;
	return -EINVAL; /* stop: an fstab we cannot read fully is not trusted */
}

static unsigned count_lines(const char *s)
{
	unsigned n = 0;

	for (; s && *s; s++)
		n += (*s == '\n');
	return n;
}

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

static bool source_matches(struct libmnt_fs *fs, struct mount_match *mm)
{
	const char *src = mnt_fs_get_source(fs), *tag, *value;
	const struct mount_facts *m = mm->m;
	bool match;

	if (mnt_fs_get_tag(fs, &tag, &value) == 0)
		return major(m->dev) != 0 && lookup_asks()->device_has_tag(tag, value, m->dev);
	if (!src || !m->source)
		return false;
	if (strncmp(src, "/dev/", 5) == 0 && device_path_decides(src, m, &match))
		return match;
	return strcmp(src, m->source) == 0 || (src[0] == '/' && loop_file_matches(src, mm));
}

static bool entry_type_agrees(struct libmnt_fs *fs, const struct mount_facts *m)
{
	const char *type = mnt_fs_get_fstype(fs);

	if (!type || strcmp(type, "auto") == 0)
		return true;
	return m->fstype && mnt_match_fstype(m->fstype, type) == 1;
}

/* Options in order, later ones win: "user,nouser" is not a user mount. */
static void read_options(struct libmnt_fs *fs, struct policy_fstab *out)
{
	char *opts = (char *)mnt_fs_get_options(fs), *name, *val;
	size_t nlen, vlen;

	while (opts && mnt_optstr_next_option(&opts, &name, &nlen, &val, &vlen) == 0) {
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
static void note_mismatch(struct libmnt_fs *fs, unsigned line, bool source_ok,
			  const struct mount_facts *m, char *buf, size_t len)
{
	struct policy_fstab opts = {0};

	read_options(fs, &opts);
	if (buf[0] || (!opts.user && !opts.users))
		return;
	if (!source_ok)
		snprintf(buf, len, "%s:%u is for %s; %s is mounted here", UU_FSTAB_PATH, line,
			 mnt_fs_get_source(fs) ? mnt_fs_get_source(fs) : "no source",
			 m->source && m->source[0] ? m->source : "another source");
	else
		snprintf(buf, len, "%s:%u is for type %s; %s is mounted here", UU_FSTAB_PATH, line,
			 mnt_fs_get_fstype(fs), m->fstype);
}

static int find_entry(struct libmnt_table *tb, const struct mount_facts *m,
		      struct policy_fstab *out, char *mismatch, size_t mlen)
{
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct mount_match mm = {.m = m};
	unsigned line = count_lines(mnt_table_get_intro_comment(tb));
	struct libmnt_fs *fs;
	bool source_ok, type_ok;
	int found = 0;

	if (!it)
		return -ENOMEM;
	while (!found && mnt_table_next_fs(tb, it, &fs) == 0) {
		line += count_lines(mnt_fs_get_comment(fs)) + 1;
		if (!mnt_fs_streq_target(fs, m->target))
			continue;
		/* the type first: it costs nothing, a tag's source may cost a probe */
		type_ok = entry_type_agrees(fs, m);
		source_ok = !type_ok || source_matches(fs, &mm);
		if (!source_ok || !type_ok) {
			note_mismatch(fs, line, source_ok, m, mismatch, mlen);
			continue;
		}
		memset(out, 0, sizeof(*out));
		out->file = UU_FSTAB_PATH;
		out->line = line;
		read_options(fs, out);
		found = 1;
	}
	mnt_free_iter(it);
	if (found)
		mismatch[0] = '\0';
	return found;
}

int fstab_match(const struct mount_facts *m, struct policy_fstab *out, unsigned *bad_line,
		char *mismatch, size_t mlen)
{
	struct parse_state st = {0};
	struct libmnt_table *tb = mnt_new_table();
	int r;

	*bad_line = 0;
	mismatch[0] = '\0';
	if (!tb)
		return -ENOMEM;
	mnt_table_enable_comments(tb, 1);
	mnt_table_set_userdata(tb, &st);
	mnt_table_set_parser_errcb(tb, on_parse_error);
	r = mnt_table_parse_file(tb, UU_FSTAB_PATH);
	if (r == -ENOENT || (r < 0 && errno == ENOENT && !st.bad_line))
		r = 0;
	else if (st.bad_line) {
		*bad_line = st.bad_line;
		r = -EINVAL;
	} else if (r == 0) {
		r = find_entry(tb, m, out, mismatch, mlen);
	}
	mnt_unref_table(tb);
	return r;
}
