/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tagnames — LABEL=, UUID=, PARTLABEL=, PARTUUID= as names: parsing, udev's
 * encoding of a value in its /dev/disk/by-* link names, and back. Strings
 * only: what a device carries is asked in helper/privileged/tags.h.
 */
#ifndef USER_UMOUNT_TAGNAMES_H
#define USER_UMOUNT_TAGNAMES_H

#include <stdbool.h>
#include <stddef.h>

#define TAGS_VALUE_MAX 256

/*
 * "LABEL=x" (one of the four tag names, a non-empty value) -> true with
 * *name the tag name ("LABEL") and *value pointing into s.
 */
bool tags_parse(const char *s, char *name, size_t namelen, const char **value);

/* udev's name for a tag value: bytes outside [0-9A-Za-z#+-.:=@_] and valid
 * UTF-8 become \xHH ("My Stick" -> "My\x20Stick"). 0 or -ENAMETOOLONG. */
int tags_encode(const char *value, char *out, size_t len);

/* The reverse: \xHH -> the byte. 0, -EINVAL on a bad escape or a NUL. */
int tags_decode(const char *enc, char *out, size_t len);

/* "/dev/disk/by-label/My\x20Stick" -> "LABEL", "My Stick". 0 or -EINVAL. */
int tags_from_link_path(const char *path, char *name, size_t namelen, char *value, size_t len);

/* The same for a TARGET naming a link udev did not make (no udev here). */
struct tags_value {
	char value[TAGS_VALUE_MAX];
};
bool tags_link_path_tag(const char *path, char name[16], struct tags_value *v);

/* The /dev/disk/ directory of a tag name ("LABEL" -> "/dev/disk/by-label/"),
 * NULL for any other name. */
const char *tags_dir_of(const char *name);

#endif
