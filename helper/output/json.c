/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json.c — see json.h.
 */
#include "json.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p (1-4), or 0 if it is not one. */
static size_t utf8_len(const unsigned char *p)
{
	unsigned cp;
	size_t n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

struct out {
	char *buf;
	size_t len, pos;
	bool full;
};

static void json_put(struct out *o, const char *s, size_t n)
{
	if (!o->full && o->pos + n < o->len)
		memcpy(o->buf + o->pos, s, n);
	else
		o->full = true;
	o->pos += n;
}

static void put_escaped_byte(struct out *o, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char e[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};

	switch (c) {
	case '"':
		json_put(o, "\\\"", 2);
		return;
	case '\\':
		json_put(o, "\\\\", 2);
		return;
	case '\n':
		json_put(o, "\\n", 2);
		return;
	case '\t':
		json_put(o, "\\t", 2);
		return;
	case '\r':
		json_put(o, "\\r", 2);
		return;
	default:
		break;
	}
	if (c >= 0x80) { /* invalid UTF-8 byte: lone surrogate U+DC80..U+DCFF */
		e[2] = 'd';
		e[3] = 'c';
	}
	json_put(o, e, 6);
}

size_t json_quote(const char *s, char *buf, size_t len)
{
	struct out o = {buf, len, 0, false};
	const unsigned char *p = (const unsigned char *)s;

	if (!s) {
		json_put(&o, "null", 4);
	} else {
		json_put(&o, "\"", 1);
		while (*p) {
			size_t n = utf8_len(p);

			if (n == 1 && *p >= 0x20 && *p != '"' && *p != '\\' && *p != 0x7f)
				json_put(&o, (const char *)p, 1);
			else if (n > 1)
				json_put(&o, (const char *)p, n);
			else
				put_escaped_byte(&o, *p), n = 1;
			p += n;
		}
		json_put(&o, "\"", 1);
	}
	if (len)
		buf[o.full ? 0 : o.pos] = '\0';
	return o.pos;
}

void json_write_string(FILE *f, const char *s)
{
	char small[1024], *big;
	size_t need = json_quote(s, small, sizeof(small));

	if (need < sizeof(small)) {
		fputs(small, f);
		return;
	}
	big = malloc(need + 1);
	if (!big) {
		fputs("null", f);
		return;
	}
	json_quote(s, big, need + 1);
	fputs(big, f);
	free(big);
}
