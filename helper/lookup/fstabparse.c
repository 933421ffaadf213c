/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fstabparse.c — see fstabparse.h.
 */
#define _GNU_SOURCE
#include "fstabparse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool octal(char c)
{
	return c >= '0' && c <= '7';
}

/*
 * The field at *P (up to a blank or the end), unescaped into a new string;
 * *P moves past it. NULL with *P unchanged when there is no field there
 * (errno 0), or NULL with errno ENOMEM.
 */
static char *field(const char **p)
{
	const char *s = *p, *e = s;
	char *out;
	size_t n = 0;

	errno = 0;
	while (*e && !blank(*e))
		e++;
	if (e == s)
		return NULL;
	out = malloc((size_t)(e - s) + 1);
	if (!out)
		return NULL;
	while (s < e) {
		if (s[0] == '\\' && s + 3 < e && octal(s[1]) && octal(s[2]) && octal(s[3])) {
			out[n++] = (char)(unsigned char)(64 * (s[1] - '0') + 8 * (s[2] - '0') +
							 (s[3] - '0'));
			s += 4;
		} else {
			out[n++] = *s++;
		}
	}
	out[n] = '\0';
	*p = e;
	return out;
}

static const char *skip_blanks(const char *p)
{
	while (blank(*p))
		p++;
	return p;
}

/*
 * freq and passno: what strtol reads. libmount's rule exactly: bad when
 * something follows the number that is not a blank, or when nothing was
 * read or it overflowed, unless the line ends right there.
 */
static bool number_field(const char **p)
{
	char *end = NULL;

	errno = 0;
	(void)strtol(*p, &end, 10);
	if (!end || (*end != '\0' && (end == *p || errno || !blank(*end))))
		return false;
	*p = end;
	return true;
}

static bool tag_name(const char *s, size_t n)
{
	static const char *const names[] = {"ID", "UUID", "LABEL", "PARTUUID", "PARTLABEL"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && strncmp(s, names[i], n) == 0)
			return true;
	return false;
}

/* NAME=VALUE, the value maybe in quotes: 0, or -ENOMEM. No tag: 0, NULLs. */
static int split_tag(struct fstab_entry *e)
{
	const char *eq = strchr(e->source, '='), *v, *end;

	if (!eq || !tag_name(e->source, (size_t)(eq - e->source)))
		return 0;
	v = eq + 1;
	end = v + strlen(v);
	if (*v == '"' || *v == '\'') {
		const char *q = strrchr(v + 1, *v);

		if (!q)
			return 0; /* no closing quote: no tag */
		end = q;
		v++;
	}
	if (end == v)
		return 0; /* an empty value: no tag */
	e->tag = strndup(e->source, (size_t)(eq - e->source));
	e->tag_value = strndup(v, (size_t)(end - v));
	return e->tag && e->tag_value ? 0 : -ENOMEM;
}

static void entry_free(struct fstab_entry *e)
{
	free(e->source);
	free(e->tag);
	free(e->tag_value);
	free(e->target);
	free(e->fstype);
	free(e->options);
	memset(e, 0, sizeof(*e));
}

/* One line without its "\n": 1 an entry, 0 none, -EINVAL bad, -ENOMEM. */
static int parse_line(const char *s, struct fstab_entry *e)
{
	char **req[] = {&e->source, &e->target, &e->fstype};

	s = skip_blanks(s);
	if (*s == '\0' || *s == '#')
		return 0;
	for (size_t i = 0; i < sizeof(req) / sizeof(req[0]); i++) {
		s = skip_blanks(s);
		if (!(*req[i] = field(&s)))
			return errno == ENOMEM ? -ENOMEM : -EINVAL;
	}
	s = skip_blanks(s);
	e->options = field(&s);
	if (!e->options && errno == ENOMEM)
		return -ENOMEM;
	if (e->options) {
		for (int i = 0; i < 2; i++) {
			s = skip_blanks(s);
			if (*s == '\0')
				break;
			if (!number_field(&s))
				return -EINVAL;
		}
	}
	return split_tag(e) < 0 ? -ENOMEM : 1;
}

void fstab_table_free(struct fstab_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		entry_free(&t->v[i]);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

static int add(struct fstab_table *t, size_t *cap, struct fstab_entry *e)
{
	if (t->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct fstab_entry *nv = reallocarray(t->v, ncap, sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		t->v = nv;
		*cap = ncap;
	}
	t->v[t->n++] = *e;
	memset(e, 0, sizeof(*e));
	return 0;
}

int fstab_parse(const char *text, size_t len, struct fstab_table *t, unsigned *bad_line)
{
	size_t cap = 0, pos = 0;
	unsigned line = 0;
	char *buf = NULL;
	size_t bufsz = 0;
	int r = 0;

	t->v = NULL;
	t->n = 0;
	*bad_line = 0;
	while (r == 0 && pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = (nl ? (size_t)(nl - text) : len) - pos;
		struct fstab_entry e = {0};

		line++;
		if (memchr(text + pos, '\0', n)) {
			r = -EINVAL;
			break;
		}
		if (!buf || n >= bufsz) {
			char *nb = realloc(buf, n + 1);

			if (!nb) {
				r = -ENOMEM;
				break;
			}
			buf = nb;
			bufsz = n + 1;
		}
		memcpy(buf, text + pos, n);
		buf[n] = '\0';
		if (n && buf[n - 1] == '\r')
			buf[n - 1] = '\0';
		pos += n + (nl ? 1 : 0);
		e.line = line;
		r = parse_line(buf, &e);
		if (r == 1)
			r = add(t, &cap, &e);
		entry_free(&e);
	}
	free(buf);
	if (r == -EINVAL)
		*bad_line = line;
	if (r < 0)
		fstab_table_free(t);
	return r;
}

/* The next component of P: start and length; NULL at the end. Repeated
 * slashes count as one; a component keeps its leading "/". */
static const char *component(const char *p, size_t *n)
{
	const char *q;

	while (p[0] == '/' && p[1] == '/')
		p++;
	*n = 0;
	if (!*p)
		return NULL;
	for (q = p + 1; *q && *q != '/'; q++)
		;
	*n = (size_t)(q - p);
	return p;
}

bool fstab_same_path(const char *a, const char *b)
{
	while (a && b) {
		size_t an, bn;
		const char *as = component(a, &an), *bs = component(b, &bn);

		if (an + bn == 0)
			return true;
		if (an + bn == 1 && ((as && *as == '/') || (bs && *bs == '/')))
			return true; /* a trailing slash */
		if (!as || !bs || an != bn || strncmp(as, bs, an) != 0)
			return false;
		a = as + an;
		b = bs + bn;
	}
	return false;
}

bool fstab_type_matches(const char *type, const char *pattern)
{
	bool negated = false;
	size_t n;

	if (!pattern || !type)
		return !pattern && !type;
	if (strncmp(pattern, "no", 2) == 0) {
		negated = true;
		pattern += 2;
	}
	n = strlen(type);
	for (const char *p = pattern; p; p = strchr(p, ','), p = p ? p + 1 : NULL) {
		if (strncmp(p, "no", 2) == 0 && strncasecmp(p + 2, type, n) == 0 &&
		    (p[n + 2] == '\0' || p[n + 2] == ','))
			return false;
		if (strncasecmp(p, type, n) == 0 && (p[n] == '\0' || p[n] == ','))
			return !negated;
	}
	return negated;
}
