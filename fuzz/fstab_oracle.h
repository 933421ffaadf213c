/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fstab_oracle.h — the helper's fstab reading (fstabparse.c) and option
 * reading (optstr.c) held to libmount 2.38's, on one input. Used by
 * tests/unit/test_fstabparse.c (fixed and generated files) and by
 * fuzz/fuzz_fstab.c. Links libmount directly: it is the oracle.
 *
 * fstab_oracle_check() returns NULL when the two agree, else what differs.
 * Agreement: the same first bad line, or, with none, the same entries in
 * order (source, tag and value, target, type, options), and for every
 * entry's options the same items from optstr_next() as from
 * mnt_optstr_next_option(). Where fstabparse.h documents a difference
 * (a NUL byte makes a line bad), only the helper's side is checked.
 */
#ifndef USER_UMOUNT_FSTAB_ORACLE_H
#define USER_UMOUNT_FSTAB_ORACLE_H

/* The includer defines _GNU_SOURCE first (memfd_create). */
#include <errno.h>
#include <libmount/libmount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fstabparse.h"
#include "optstr.h"

static int fstab_oracle_errcb(struct libmnt_table *tb, const char *file, int line)
{
	unsigned *bad = mnt_table_get_userdata(tb);

	(void)file;
	if (bad && !*bad)
		*bad = (unsigned)line;
	return -EINVAL;
}

static int fstab_oracle_same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The items of OPTS, both ways. */
static const char *fstab_oracle_options(const char *opts)
{
	char *a = (char *)opts, *b = (char *)opts;

	for (int guard = 0; guard < 100000; guard++) {
		char *an, *av, *bn, *bv;
		size_t anl, avl, bnl, bvl;
		int ra = optstr_next(&a, &an, &anl, &av, &avl);
		int rb = mnt_optstr_next_option(&b, &bn, &bnl, &bv, &bvl);

		if (ra != rb)
			return "optstr_next's result";
		if (ra != 0)
			return NULL;
		if (an != bn || anl != bnl || av != bv || avl != bvl || a != b)
			return "an option item";
	}
	return "options without end";
}

static const char *fstab_oracle_check(const char *data, size_t len)
{
	struct fstab_table mine;
	struct libmnt_table *tb;
	struct libmnt_iter *it;
	struct libmnt_fs *fs;
	unsigned my_bad = 0, lm_bad = 0;
	const char *why = NULL;
	char path[64];
	int fd, r, lr;
	size_t i = 0;

	r = fstab_parse(data, len, &mine, &my_bad);
	if (r == -ENOMEM)
		return NULL;
	if (memchr(data, '\0', len)) {
		/* documented: the helper calls the file bad, libmount may not */
		why = r == -EINVAL && my_bad > 0 ? NULL : "a NUL byte not refused";
		fstab_table_free(&mine);
		return why;
	}
	fd = memfd_create("fstab", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
		if (fd >= 0)
			close(fd);
		fstab_table_free(&mine);
		return NULL; /* no oracle: nothing to say */
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	tb = mnt_new_table();
	it = mnt_new_iter(MNT_ITER_FORWARD);
	mnt_table_set_userdata(tb, &lm_bad);
	mnt_table_set_parser_errcb(tb, fstab_oracle_errcb);
	lr = mnt_table_parse_fstab(tb, path);
	if (lm_bad || my_bad) {
		if (lm_bad != my_bad || r != -EINVAL)
			why = "the bad line";
	} else if (lr < 0 || r < 0) {
		why = "the result";
	} else {
		while (!why && mnt_table_next_fs(tb, it, &fs) == 0) {
			const struct fstab_entry *e = i < mine.n ? &mine.v[i] : NULL;
			const char *tag = NULL, *val = NULL;

			i++;
			if (!e) {
				why = "the number of entries";
				break;
			}
			(void)mnt_fs_get_tag(fs, &tag, &val);
			if (!fstab_oracle_same(e->source, mnt_fs_get_source(fs)))
				why = "a source";
			else if (!fstab_oracle_same(e->tag, tag) ||
				 !fstab_oracle_same(e->tag_value, val))
				why = "a tag";
			else if (!fstab_oracle_same(e->target, mnt_fs_get_target(fs)))
				why = "a target";
			else if (!fstab_oracle_same(e->fstype, mnt_fs_get_fstype(fs)))
				why = "a type";
			else if (!fstab_oracle_same(e->options, mnt_fs_get_options(fs)))
				why = "options";
			else if (e->options)
				why = fstab_oracle_options(e->options);
		}
		if (!why && i != mine.n)
			why = "the number of entries";
	}
	mnt_free_iter(it);
	mnt_unref_table(tb);
	close(fd);
	fstab_table_free(&mine);
	return why;
}

#endif
