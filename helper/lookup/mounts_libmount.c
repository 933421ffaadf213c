/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mounts_libmount.c — mount facts from libmount's parse of
 * /proc/self/mountinfo, matched by legacy mount ID (any kernel). Cost grows
 * with the table; used only when statmount(2) cannot answer.
 *
 * Only the kernel's own table is read, by a fixed path: never
 * mnt_table_parse_mtab() (it merges utab, which utab.c reads itself) and no
 * function that takes a path from the environment.
 */
#define _GNU_SOURCE
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lazylib.h"

#define MOUNTINFO_PATH "/proc/self/mountinfo"
#define MOUNTS_MAX     1000000u
/* One mountinfo line: four escaped paths of PATH_MAX and the options fit. */
#define LINE_MAX_ ((size_t)1 << 20)

/*
 * libmount skips lines it cannot parse unless told otherwise: a skipped line
 * would be a mount missing from list_below(). Fail instead.
 */
static int parse_error(struct libmnt_table *tb, const char *file, int line)
{
	(void)tb;
	(void)file;
	(void)line;
	return -EINVAL;
}

int mounts_read_table(struct libmnt_table **out)
{
	struct libmnt_table *tb = mnt_new_table();
	int r;

	*out = NULL;
	if (!tb)
		return -ENOMEM;
	r = mnt_table_set_parser_errcb(tb, parse_error);
	if (r == 0)
		r = mnt_table_parse_file(tb, MOUNTINFO_PATH);
	if (r > 0)
		r = -EIO;
	if (r == 0 && (size_t)mnt_table_get_nents(tb) > MOUNTS_MAX)
		r = -E2BIG;
	if (r < 0) {
		mnt_unref_table(tb);
		return r;
	}
	*out = tb;
	return 0;
}

/* The entry with this legacy ID; mountinfo shows each mount once. */
static int find_by_id(struct libmnt_table *tb, uint64_t legacy, struct libmnt_fs **found)
{
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs = NULL;
	int r = -ENOENT;

	*found = NULL;
	if (!it)
		return -ENOMEM;
	while (mnt_table_next_fs(tb, it, &fs) == 0) {
		if (mnt_fs_get_id(fs) >= 0 && (uint64_t)mnt_fs_get_id(fs) == legacy) {
			*found = fs;
			r = 0;
			break;
		}
	}
	mnt_free_iter(it);
	return r;
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static int fill_facts(struct libmnt_fs *fs, struct mount_facts *out)
{
	int parent = mnt_fs_get_parent_id(fs);

	if (mnt_fs_get_id(fs) <= 0 || parent < 0 || !mnt_fs_get_target(fs) ||
	    !mnt_fs_get_fstype(fs))
		return -EIO;
	out->id.legacy = (uint64_t)mnt_fs_get_id(fs);
	out->parent.legacy = (uint64_t)parent;
	out->dev = mnt_fs_get_devno(fs);
	out->shared = mounts_peer_group(mnt_fs_get_optional_fields(fs)) != 0;
	out->target = strdup(mnt_fs_get_target(fs));
	out->root = dup_or_empty(mnt_fs_get_root(fs));
	out->source = dup_or_empty(mnt_fs_get_source(fs));
	out->fstype = strdup(mnt_fs_get_fstype(fs));
	out->fs_options = dup_or_empty(mnt_fs_get_fs_options(fs));
	if (!out->target || !out->root || !out->source || !out->fstype || !out->fs_options)
		return -ENOMEM;
	return 0;
}

/*
 * Facts by legacy ID. mountinfo lists the caller's namespace only, as seen
 * from its root: a mount elsewhere is not found (-ENOENT). libmount
 * unescapes the fields. Unique IDs are not known here and stay 0.
 */
/* The table, and the entry of the mount with this legacy ID in it. */
static int table_at(const struct mount_id *id, struct libmnt_table **tb, struct libmnt_fs **fs)
{
	int r;

	*tb = NULL;
	if (id->legacy == 0)
		return -EINVAL;
	if (id->legacy > INT_MAX)
		return -ENOENT;
	r = mounts_read_table(tb);
	return r < 0 ? r : find_by_id(*tb, id->legacy, fs);
}

/*
 * Does the line at S (ending at END, '\n' or the buffer's NUL) belong to
 * mount LEGACY? Its first field read as libmount reads it (blanks, then a
 * number as scanf's %d takes it: a sign, leading zeros, an int's 32 bits),
 * never past END.
 */
static bool line_has_id(const char *s, const char *end, uint64_t legacy)
{
	char *num_end = NULL;
	long v;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s == end)
		return false;
	v = strtol(s, &num_end, 10);
	/* %d stores the long it read into an int, cut to 32 bits: as here */
	return num_end != s && num_end <= end && (int)v >= 0 && (uint64_t)(int)v == legacy;
}

/*
 * The table of the one mountinfo line of mount LEGACY. The kernel writes
 * mountinfo as it is read, so reading stops at that line: a mount listed
 * early (the cgroup hierarchies) costs a few lines, not the table, and
 * libmount parses one line, not ten thousand (the same parser and file
 * name as for the whole table, so the same fields; the first line with the
 * ID, as find_by_id() takes). -ENOENT when no line has that ID, after the
 * whole file.
 */
static int line_table(uint64_t legacy, struct libmnt_table **tb, struct libmnt_fs **fs)
{
	int fd = open(MOUNTINFO_PATH, O_RDONLY | O_CLOEXEC), r = -ENOENT;
	size_t cap = 65536, len = 0, line_len = 0;
	char *buf = fd < 0 ? NULL : malloc(cap + 1), *line = NULL;

	*tb = NULL;
	*fs = NULL;
	if (fd < 0)
		return -errno;
	if (!buf)
		r = -ENOMEM;
	while (buf && !line) {
		ssize_t got;
		char *s, *nl;

		if (len == cap) {
			char *nb = cap >= LINE_MAX_ ? NULL : realloc(buf, cap * 2 + 1);

			if (!nb) {
				r = cap >= LINE_MAX_ ? -E2BIG : -ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		got = read(fd, buf + len, cap - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			r = -errno;
			break;
		}
		if (got == 0) {
			/* a last line without its newline, as libmount reads one */
			if (len && line_has_id(buf, buf + len, legacy)) {
				line = buf;
				line_len = len;
			}
			break;
		}
		len += (size_t)got;
		buf[len] = '\0'; /* strtol stops here at the latest */
		s = buf;         /* after the realloc: the unscanned lines start the buffer */
		while (!line && (nl = memchr(s, '\n', len - (size_t)(s - buf)))) {
			if (line_has_id(s, nl, legacy)) {
				line = s;
				line_len = (size_t)(nl - s) + 1;
			} else {
				s = nl + 1;
			}
		}
		if (!line) {
			len -= (size_t)(s - buf);
			memmove(buf, s, len);
		}
	}
	close(fd);
	if (line) {
		FILE *f = fmemopen(line, line_len, "r");

		*tb = f ? mnt_new_table() : NULL;
		r = *tb ? mnt_table_set_parser_errcb(*tb, parse_error) : -ENOMEM;
		if (r == 0)
			r = mnt_table_parse_stream(*tb, f, MOUNTINFO_PATH);
		if (r > 0)
			r = -EIO;
		if (r == 0)
			r = find_by_id(*tb, legacy, fs) < 0 ? -EIO : 0;
		if (f)
			fclose(f);
	}
	free(buf);
	return r;
}

int mounts_libmount_lookup(const struct mount_id *id, struct mount_facts *out)
{
	struct libmnt_table *tb = NULL;
	struct libmnt_fs *fs;
	int r;

	memset(out, 0, sizeof(*out));
	if (id->legacy == 0)
		return -EINVAL;
	if (id->legacy > INT_MAX)
		return -ENOENT;
	r = line_table(id->legacy, &tb, &fs);
	if (r == 0)
		r = fill_facts(fs, out);
	if (tb)
		mnt_unref_table(tb);
	if (r < 0)
		mount_facts_free(out);
	return r;
}

static int table_nodes(struct libmnt_table *tb, struct mount_node **nodes, size_t *n)
{
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs = NULL;
	size_t k = 0, cap = (size_t)mnt_table_get_nents(tb);
	struct mount_node *v = calloc(cap ? cap : 1, sizeof(*v));
	int r = 0;

	if (!it || !v) {
		r = -ENOMEM;
		goto out;
	}
	while (k < cap && mnt_table_next_fs(tb, it, &fs) == 0) {
		if (mnt_fs_get_id(fs) <= 0 || mnt_fs_get_parent_id(fs) < 0) {
			r = -EIO;
			goto out;
		}
		v[k].id.legacy = (uint64_t)mnt_fs_get_id(fs);
		v[k].key = v[k].id.legacy;
		v[k].parent = (uint64_t)mnt_fs_get_parent_id(fs);
		k++;
	}
out:
	mnt_free_iter(it);
	if (r < 0) {
		free(v);
		return r;
	}
	*nodes = v;
	*n = k;
	return 0;
}

/* All descendants, by walking the parent IDs of the whole table. */
int mounts_libmount_list_below(const struct mount_id *id, struct mount_id **ids, size_t *n)
{
	struct libmnt_table *tb;
	struct mount_node *nodes = NULL;
	struct libmnt_fs *top;
	size_t nn = 0;
	int r;

	*ids = NULL;
	*n = 0;
	r = table_at(id, &tb, &top);
	if (r == 0)
		r = table_nodes(tb, &nodes, &nn);
	if (r == 0)
		r = mounts_order_below(id->legacy, nodes, nn, ids, n);
	free(nodes);
	mnt_unref_table(tb);
	return r;
}

static int cmp_legacy(const void *a, const void *b)
{
	const struct mount_id *x = a, *y = b;

	return x->legacy < y->legacy ? -1 : x->legacy > y->legacy;
}

/* One parse: the descendants (as list_below finds them), with their
 * parents and mount points. */
int mounts_libmount_list_links(const struct mount_id *id, struct mount_link **links, size_t *n)
{
	struct libmnt_table *tb;
	struct libmnt_iter *it = NULL;
	struct libmnt_fs *top, *fs = NULL;
	struct mount_node *nodes = NULL;
	struct mount_id *ids = NULL, key = {0};
	struct mount_link *v = NULL;
	size_t nn = 0, nids = 0, k = 0;
	int r;

	*links = NULL;
	*n = 0;
	r = table_at(id, &tb, &top);
	if (r == 0)
		r = table_nodes(tb, &nodes, &nn);
	if (r == 0)
		r = mounts_order_below(id->legacy, nodes, nn, &ids, &nids);
	if (r == 0) {
		qsort(ids, nids, sizeof(*ids), cmp_legacy);
		it = mnt_new_iter(MNT_ITER_FORWARD);
		v = calloc(nids + 1, sizeof(*v));
		r = it && v ? 0 : -ENOMEM;
	}
	while (r == 0 && k < nids && mnt_table_next_fs(tb, it, &fs) == 0) {
		key.legacy = (uint64_t)mnt_fs_get_id(fs);
		if (!bsearch(&key, ids, nids, sizeof(*ids), cmp_legacy))
			continue;
		if (mnt_fs_get_parent_id(fs) < 0 || !mnt_fs_get_target(fs)) {
			r = -EIO;
			break;
		}
		v[k].id.legacy = key.legacy;
		v[k].parent.legacy = (uint64_t)mnt_fs_get_parent_id(fs);
		v[k].target = strdup(mnt_fs_get_target(fs));
		if (!v[k++].target)
			r = -ENOMEM;
	}
	mnt_free_iter(it);
	free(nodes);
	free(ids);
	mnt_unref_table(tb);
	if (r < 0) {
		mounts_links_free(v, k);
		return r;
	}
	*links = v;
	*n = k;
	return 0;
}

/* Every mount of the table, in mountinfo's order. */
int mounts_libmount_all(struct mount_facts **v, size_t *n)
{
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_table *tb = NULL;
	struct libmnt_fs *fs = NULL;
	size_t k = 0, cap;
	int r = it ? mounts_read_table(&tb) : -ENOMEM;

	*v = NULL;
	*n = 0;
	cap = tb ? (size_t)mnt_table_get_nents(tb) : 0;
	if (r == 0 && !(*v = calloc(cap ? cap : 1, sizeof(**v))))
		r = -ENOMEM;
	while (r == 0 && k < cap && mnt_table_next_fs(tb, it, &fs) == 0)
		r = fill_facts(fs, &(*v)[k++]);
	*n = k;
	mnt_free_iter(it);
	mnt_unref_table(tb);
	return r;
}
