/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json — write JSON strings that stay valid whatever bytes a path holds.
 */
#ifndef USER_UMOUNT_JSON_H
#define USER_UMOUNT_JSON_H

#include <stddef.h>
#include <stdio.h>

/*
 * Quote s as a JSON string into buf (always NUL-terminated; truncated at a
 * character boundary if too small; returns the length needed, without NUL).
 * '"', '\\' and control characters are escaped; valid UTF-8 is kept; each
 * byte that is not part of valid UTF-8 becomes "\udcXX" (Python's
 * surrogateescape), so the original bytes can be recovered. NULL -> null.
 */
size_t json_quote(const char *s, char *buf, size_t len);

/* The same, straight to a stream. */
void json_write_string(FILE *f, const char *s);

#endif
