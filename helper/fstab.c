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

/* Tags resolve through udev's links under /dev/disk, never through blkid. */
static int tag_devno(const char *tag, const char *value, dev_t *dev)
{
	static const char *const dirs[][2] = {{"UUID", "by-uuid"},
					      {"LABEL", "by-label"},
					      {"PARTUUID", "by-partuuid"},
					      {"PARTLABEL", "by-partlabel"}};
	char path[512];
	struct stat st;

	if (strchr(value, '/') || strcmp(value, ".") == 0 || strcmp(value, "..") == 0)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (strcmp(tag, dirs[i][0]) != 0)
			continue;
		snprintf(path, sizeof(path), "/dev/disk/%s/%s", dirs[i][1], value);
		if (stat(path, &st) < 0 || !S_ISBLK(st.st_mode))
			return -ENOENT;
		*dev = st.st_rdev;
		return 0;
	}
	return -EINVAL;
}

static bool source_matches(struct libmnt_fs *fs, const struct mount_facts *m)
{
	const char *src = mnt_fs_get_source(fs), *tag, *value;
	struct stat st;
	dev_t dev;

	if (mnt_fs_get_tag(fs, &tag, &value) == 0)
		return tag_devno(tag, value, &dev) == 0 && dev == m->dev;
	if (!src || !m->source)
		return false;
	if (strncmp(src, "/dev/", 5) == 0 && stat(src, &st) == 0 && S_ISBLK(st.st_mode))
		return major(m->dev) != 0 && st.st_rdev == m->dev;
	return strcmp(src, m->source) == 0;
}

static bool type_matches(struct libmnt_fs *fs, const struct mount_facts *m)
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

static int find_entry(struct libmnt_table *tb, const struct mount_facts *m,
		      struct policy_fstab *out)
{
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	unsigned line = count_lines(mnt_table_get_intro_comment(tb));
	int found = 0;

	if (!it)
		return -ENOMEM;
	while (!found && mnt_table_next_fs(tb, it, &fs) == 0) {
		line += count_lines(mnt_fs_get_comment(fs)) + 1;
		if (!mnt_fs_streq_target(fs, m->target) || !type_matches(fs, m) ||
		    !source_matches(fs, m))
			continue;
		memset(out, 0, sizeof(*out));
		out->file = UU_FSTAB_PATH;
		out->line = line;
		read_options(fs, out);
		found = 1;
	}
	mnt_free_iter(it);
	return found;
}

int fstab_match(const struct mount_facts *m, struct policy_fstab *out, unsigned *bad_line)
{
	struct parse_state st = {0};
	struct libmnt_table *tb = mnt_new_table();
	int r;

	*bad_line = 0;
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
		r = find_entry(tb, m, out);
	}
	mnt_unref_table(tb);
	return r;
}
