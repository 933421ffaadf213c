/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tagnames.c — see tagnames.h.
 */
#define _GNU_SOURCE
#include "tagnames.h"

#include "lazylib.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	const char *dir;
} tag_dirs[] = {
    {"LABEL", "/dev/disk/by-label/"},
    {"UUID", "/dev/disk/by-uuid/"},
    {"PARTLABEL", "/dev/disk/by-partlabel/"},
    {"PARTUUID", "/dev/disk/by-partuuid/"},
};

#define NTAGS (sizeof(tag_dirs) / sizeof(tag_dirs[0]))

const char *tags_dir_of(const char *name)
{
	for (size_t i = 0; i < NTAGS; i++)
		if (strcmp(tag_dirs[i].name, name) == 0)
			return tag_dirs[i].dir;
	return NULL;
}

bool tags_parse(const char *s, char *name, size_t namelen, const char **value)
{
	const char *eq = strchr(s, '=');
	size_t len = eq ? (size_t)(eq - s) : 0;

	if (!eq || eq[1] == '\0' || len + 1 > namelen)
		return false;
	memcpy(name, s, len);
	name[len] = '\0';
	*value = eq + 1;
	return tags_dir_of(name) != NULL;
}

int tags_encode(const char *value, char *out, size_t len)
{
	/* libblkid's encoder is the one udev's blkid builtin names links with */
	if (len == 0 || blkid_encode_string(value, out, len) != 0)
		return -ENAMETOOLONG;
	return 0;
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int tags_decode(const char *enc, char *out, size_t len)
{
	size_t w = 0;
	int hi, lo;

	for (const char *p = enc; *p; p++) {
		if (w + 1 >= len)
			return -ENAMETOOLONG;
		if (*p != '\\') {
			out[w++] = *p;
			continue;
		}
		hi = p[1] == 'x' ? hex(p[2]) : -1;
		lo = hi < 0 ? -1 : hex(p[3]);
		if (lo < 0 || (hi == 0 && lo == 0))
			return -EINVAL;
		out[w++] = (char)(hi * 16 + lo);
		p += 3;
	}
	out[w] = '\0';
	return 0;
}

int tags_from_link_path(const char *path, char *name, size_t namelen, char *value, size_t len)
{
	for (size_t i = 0; i < NTAGS; i++) {
		size_t dlen = strlen(tag_dirs[i].dir);
		const char *enc = path + dlen;

		if (strncmp(path, tag_dirs[i].dir, dlen) != 0 || !*enc || strchr(enc, '/'))
			continue;
		if (strlen(tag_dirs[i].name) + 1 > namelen || tags_decode(enc, value, len) < 0)
			return -EINVAL;
		snprintf(name, namelen, "%s", tag_dirs[i].name);
		return 0;
	}
	return -EINVAL;
}

bool tags_link_path_tag(const char *path, char name[16], struct tags_value *v)
{
	return tags_from_link_path(path, name, 16, v->value, sizeof(v->value)) == 0;
}
