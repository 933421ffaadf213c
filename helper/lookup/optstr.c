/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * optstr.c — see optstr.h.
 */
#include "optstr.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

int optstr_next(char **optstr, char **name, size_t *namesz, char **value, size_t *valsz)
{
	char *p, *start = NULL, *sep = NULL, *stop = NULL;
	bool quoted = false;

	*name = *value = NULL;
	*namesz = *valsz = 0;
	if (!optstr || !*optstr)
		return -EINVAL;
	p = *optstr;
	while (*p == ',')
		p++;
	for (; *p; p++) {
		if (!start)
			start = p;
		if (*p == '"')
			quoted = !quoted;
		if (quoted)
			continue;
		if (!sep && p > start && *p == '=')
			sep = p;
		if (*p == ',')
			stop = p;
		else if (p[1] == '\0')
			stop = p + 1;
		if (!stop)
			continue;
		if (stop <= start)
			return -EINVAL;
		*name = start;
		*namesz = (size_t)((sep ? sep : stop) - start);
		if (sep) {
			*value = sep + 1;
			*valsz = (size_t)(stop - sep - 1);
		}
		*optstr = *stop ? stop + 1 : stop;
		return 0;
	}
	return 1;
}

int optstr_get(const char *optstr, const char *name, char **value, size_t *valsz)
{
	char *s = (char *)optstr, *n, *v;
	size_t want, nsz, vsz;
	int r;

	*value = NULL;
	*valsz = 0;
	if (!optstr || !name)
		return -EINVAL;
	want = strlen(name);
	while ((r = optstr_next(&s, &n, &nsz, &v, &vsz)) == 0) {
		if (nsz == want && strncmp(n, name, nsz) == 0) {
			*value = v;
			*valsz = vsz;
			return 0;
		}
	}
	return r;
}
