/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fstabparse — the lines of an fstab, read as libmount 2.38 reads them
 * (mnt_table_parse_file), without libmount: the plain unmount path reads
 * fstab on every run and loading libmount costs more than the reading.
 * What an entry says decides entitlement, so the reading is held to
 * libmount's by tests/unit/test_fstabparse.c on every case below and on
 * generated files.
 *
 * A line: leading blanks; empty or '#' is no entry; a trailing "\r" is
 * dropped. Fields split at spaces and tabs: source, target, type
 * (required), options, freq, passno (optional; numbers, or the line is
 * bad); anything after passno is ignored, as libmount does. A field's
 * "\NNN" (three octal digits) is that byte, and a "\000" ends the field
 * there. A source NAME=VALUE (or NAME="VALUE", NAME='VALUE') with NAME
 * one of ID, UUID, LABEL, PARTUUID, PARTLABEL is a tag.
 *
 * Stricter than libmount in one way: a NUL byte anywhere in the file
 * makes its line bad (libmount stops reading such a line at the NUL, or
 * fails on it, depending on where it is).
 * Looser in one: a last entry with no final newline after a comment line
 * is read (libmount with comments enabled calls that line bad).
 * Pure: no I/O.
 */
#ifndef USER_UMOUNT_FSTABPARSE_H
#define USER_UMOUNT_FSTABPARSE_H

#include <stdbool.h>
#include <stddef.h>

struct fstab_entry {
	unsigned line;         /* 1-based, in the file */
	char *source;          /* as written, unescaped ("LABEL=x" too) */
	char *tag, *tag_value; /* "LABEL", "x" when the source is a tag, else NULL */
	char *target, *fstype; /* unescaped */
	char *options;         /* NULL when the line has none */
};

struct fstab_table {
	struct fstab_entry *v;
	size_t n;
};

/*
 * Every entry of TEXT (LEN bytes). 0; -EINVAL with *bad_line the first
 * bad line (the table is then empty: an fstab not read fully is not
 * trusted); -ENOMEM.
 */
int fstab_parse(const char *text, size_t len, struct fstab_table *t, unsigned *bad_line);
void fstab_table_free(struct fstab_table *t);

/* One path for libmount's comparison: "/a//b/" is "/a/b". */
bool fstab_same_path(const char *a, const char *b);

/* libmount's mnt_match_fstype: TYPE in PATTERN ("ext4,vfat", "nonfs"). */
bool fstab_type_matches(const char *type, const char *pattern);

#endif
