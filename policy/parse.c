/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * parse.c — policy files: text in, plain rule structs out (user-umount.conf(5)).
 *
 * Hand-written and line by line; no I/O, no decisions. The language:
 *
 *     permit [lazy] [force] [expire] WHO [on PATTERN] [type T,...] [from PATTERN]
 *     deny WHO [on PATTERN] [type T,...] [from PATTERN]
 *
 * Words are separated by spaces and tabs. A '#' at the start of a word
 * starts a comment that runs to the end of the line; inside a word it is an
 * ordinary character ("/mnt/a#b" is one pattern). A word may be written in
 * double quotes to hold spaces or to start with '#': inside, \" is a quote
 * and \\ a backslash; no other escape exists. A quoted word is never a
 * keyword and never the '*' of WHO. Control characters (tab included, except
 * as a separator) are refused outside comments. Options come right after
 * "permit", each at most once, in any order; on, type and from at most once
 * each, in any order, after WHO.
 *
 * Everything else is refused with file, line, column and what was expected:
 * the helper then unmounts nothing. A buffer is all-or-nothing: on error no
 * rule of it reaches *p.
 */
#define _GNU_SOURCE
#include "policy.h"
#include "lex.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest user or group name: Linux LOGIN_NAME_MAX without its NUL. */
#define NAME_MAX_LEN 255
/* First allocation of the rule array of one buffer. */
#define RULES_INITIAL 16
/* File name used in errors and rules when the caller gives none. */
#define NO_FILE_NAME "(buffer)"

/* Every keyword, and the flag of those that are options. */
static const struct {
	const char *word;
	unsigned option;
} keywords[] = {{"permit", 0},
		{"deny", 0},
		{"lazy", POLICY_LAZY},
		{"force", POLICY_FORCE},
		{"expire", POLICY_EXPIRE},
		{"on", 0},
		{"type", 0},
		{"from", 0}};

/* The keywords[] index of an unquoted keyword, or -1. */
static int keyword(const struct word *w)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (lex_is_kw(w, keywords[i].word))
			return (int)i;
	return -1;
}

static unsigned option_bit(const struct word *w)
{
	int k = keyword(w);

	return k < 0 ? 0 : keywords[k].option;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

/*
 * User and group names: what useradd(8) accepts, [A-Za-z0-9._-] with an
 * optional final '$' (machine accounts), not starting with '-'. A name is
 * compared whole by decide.c; refusing everything else keeps glob and
 * shell characters, spaces and control bytes out of identities.
 */
static int check_name(struct parser *ps, const char *name, unsigned col, const char *what)
{
	size_t n = strlen(name);

	if (n == 0)
		return lex_fail(ps, col, "empty %s name", what);
	if (n > NAME_MAX_LEN)
		return lex_fail(ps, col, "%s name longer than %d bytes", what, NAME_MAX_LEN);
	if (name[0] == '-')
		return lex_fail(ps, col, "%s name must not start with '-'", what);
	for (size_t i = 0; i < n; i++) {
		if (is_name_char(name[i]) || (name[i] == '$' && i > 0 && i == n - 1))
			continue;
		return lex_fail(ps, col + (unsigned)i,
				"invalid character '%s' in %s name (expected letters, digits, '.', "
				"'_', '-' or a final '$')",
				lex_show(ps, name + i, 1), what);
	}
	return 0;
}

static int parse_who(struct parser *ps, struct policy_rule *r, const struct word *w)
{
	const char *name = w->text, *what = "user";
	unsigned col = w->bodycol;

	if (keyword(w) >= 0)
		return lex_fail(ps, w->col, "expected a user name, ':group' or '*', got '%s'",
				lex_show_word(ps, w));
	if (!w->quoted && strcmp(w->text, "*") == 0) {
		r->who_kind = POLICY_WHO_ANY;
		return 0;
	}
	r->who_kind = POLICY_WHO_USER;
	if (name[0] == ':') {
		r->who_kind = POLICY_WHO_GROUP;
		name++;
		col++;
		what = "group";
	}
	if (r->who_kind == POLICY_WHO_GROUP && name[0] == '\0')
		return lex_fail(ps, col, "empty group name after ':'");
	if (check_name(ps, name, col, what) < 0)
		return -1;
	r->who = strdup(name);
	if (!r->who)
		return lex_fail(ps, w->col, "out of memory");
	return 0;
}

/*
 * '%' introduces %u (caller's name), %U (caller's uid) or %% (a '%'), which
 * decide.c expands at match time. Anything else is refused, so that no
 * future expansion can silently change what an existing rule matches.
 * Checked on the body as written: escapes never touch '%'.
 */
static int check_percent(struct parser *ps, const struct word *w)
{
	for (size_t i = 0; i < w->bodylen; i++) {
		char c;

		if (w->body[i] != '%')
			continue;
		if (i + 1 == w->bodylen)
			return lex_fail(ps, w->bodycol + (unsigned)i,
					"'%%' at end of pattern (expected %%u, %%U or %%%%)");
		c = w->body[++i];
		if (c != 'u' && c != 'U' && c != '%')
			return lex_fail(
			    ps, w->bodycol + (unsigned)i - 1,
			    "unknown expansion '%%%s' in pattern (expected %%u, %%U or %%%%)",
			    lex_show(ps, &c, 1));
	}
	return 0;
}

/*
 * Mount points in the mount table are canonical: no "//", no "." or ".."
 * component, no trailing '/'. An "on" pattern that breaks this can never
 * match, and a deny rule that silently never matches is a hole: refuse it.
 * Escapes never produce '/' or '.', so the body as written is checked.
 */
static int check_canonical(struct parser *ps, const struct word *w)
{
	const char *s = w->body;
	size_t n = w->bodylen;

	for (size_t i = 0; i < n; i++) {
		size_t end = i + 1, clen;

		if (s[i] != '/')
			continue;
		while (end < n && s[end] != '/')
			end++;
		clen = end - i - 1;
		if (clen == 0 && (end < n || i > 0))
			return lex_fail(ps, w->bodycol + (unsigned)i,
					"empty component in pattern after 'on' (mount points have "
					"no '//' and no trailing '/')");
		if ((clen == 1 && s[i + 1] == '.') ||
		    (clen == 2 && s[i + 1] == '.' && s[i + 2] == '.'))
			return lex_fail(ps, w->bodycol + (unsigned)i + 1,
					"'.' or '..' component in pattern after 'on' (mount points "
					"are canonical paths)");
	}
	return 0;
}

static int parse_pattern(struct parser *ps, const struct word *w, const char *kw, char **out)
{
	bool on = strcmp(kw, "on") == 0;

	if (w->text[0] == '\0')
		return lex_fail(ps, w->col, "empty pattern after '%s'", kw);
	if (on && w->text[0] != '/')
		return lex_fail(ps, w->col,
				"pattern after 'on' must be absolute (start with '/'), got '%s'",
				lex_show_word(ps, w));
	if (check_percent(ps, w) < 0)
		return -1;
	if (on && check_canonical(ps, w) < 0)
		return -1;
	*out = strdup(w->text);
	if (!*out)
		return lex_fail(ps, w->col, "out of memory");
	return 0;
}

/* n bytes of a line, NUL-terminated. Not strndup(): the buffer need not
 * end in a NUL, and nothing past the n bytes is read. */
static char *copy_bytes(const char *s, size_t n)
{
	char *out = malloc(n + 1);

	if (out) {
		memcpy(out, s, n);
		out[n] = '\0';
	}
	return out;
}

/* One item [a, b) of a type list, checked and stored. */
static int add_type(struct parser *ps, struct policy_rule *r, const struct word *w, size_t a,
		    size_t b)
{
	const char *s = w->body;

	if (a == b)
		return lex_fail(ps, w->bodycol + (unsigned)a,
				"empty item in type list (expected TYPE[,TYPE...])");
	for (size_t i = a; i < b; i++)
		if (!is_name_char(s[i]) && s[i] != '+')
			return lex_fail(ps, w->bodycol + (unsigned)i,
					"invalid character '%s' in file system type (expected "
					"letters, digits, '.', '_', '+' or '-')",
					lex_show(ps, s + i, 1));
	for (size_t j = 0; j < r->ntypes; j++)
		if (strlen(r->types[j]) == b - a && memcmp(r->types[j], s + a, b - a) == 0)
			return lex_fail(ps, w->bodycol + (unsigned)a, "duplicate type '%s'",
					lex_show(ps, s + a, b - a));
	r->types[r->ntypes] = copy_bytes(s + a, b - a);
	if (!r->types[r->ntypes])
		return lex_fail(ps, w->col, "out of memory");
	r->ntypes++;
	return 0;
}

/*
 * "vfat,exfat": exact names, no empty item, at most POLICY_MAX_TYPES. Read
 * from the body as written: '\\' and '"' are not type characters, so a
 * quoted list with an escape is refused at the escape.
 */
static int parse_types(struct parser *ps, struct policy_rule *r, const struct word *w)
{
	size_t count = 1, a = 0;

	for (size_t i = 0; i < w->bodylen; i++) {
		if (w->body[i] == ',' && ++count > POLICY_MAX_TYPES)
			return lex_fail(ps, w->bodycol + (unsigned)i + 1,
					"more than %d types in one rule", POLICY_MAX_TYPES);
	}
	r->types = calloc(count, sizeof(*r->types));
	if (!r->types)
		return lex_fail(ps, w->col, "out of memory");
	for (size_t i = 0; i <= w->bodylen; i++) {
		if (i < w->bodylen && w->body[i] != ',')
			continue;
		if (add_type(ps, r, w, a, i) < 0)
			return -1;
		a = i + 1;
	}
	return 0;
}

static int fail_clause(struct parser *ps, const struct word *w)
{
	return lex_fail(ps, w->col, "expected 'on', 'type' or 'from', got '%s'%s",
			lex_show_word(ps, w),
			option_bit(w) ? " (options go right after 'permit')" : "");
}

/* "on PATTERN", "type LIST" or "from PATTERN", each at most once. */
static int parse_clause(struct parser *ps, struct policy_rule *r, const struct word *w)
{
	const char *kw = w->text;
	const char *what = lex_is_kw(w, "type") ? "a file system type" : "a pattern";
	bool dup;
	struct word arg;
	int n;

	if (!lex_is_kw(w, "on") && !lex_is_kw(w, "type") && !lex_is_kw(w, "from"))
		return fail_clause(ps, w);
	dup = lex_is_kw(w, "on")     ? r->on != NULL
	      : lex_is_kw(w, "from") ? r->from != NULL
				     : r->ntypes > 0;
	if (dup)
		return lex_fail(ps, w->col, "duplicate '%s' (each of on, type, from at most once)",
				kw);
	n = lex_word(ps, &arg);
	if (n < 0)
		return -1;
	if (n == 0)
		return lex_fail(ps, ps->endcol, "expected %s after '%s', got end of line", what,
				kw);
	if (keyword(&arg) >= 0)
		return lex_fail(ps, arg.col, "expected %s after '%s', got '%s'", what, kw,
				lex_show_word(ps, &arg));
	if (strcmp(kw, "type") == 0)
		return parse_types(ps, r, &arg);
	return parse_pattern(ps, &arg, kw, strcmp(kw, "on") == 0 ? &r->on : &r->from);
}

/* lazy, force, expire: after "permit" only, each once. Returns lex_word's. */
static int parse_options(struct parser *ps, struct policy_rule *r, struct word *w)
{
	int n;

	while ((n = lex_word(ps, w)) == 1) {
		unsigned bit = option_bit(w);

		if (!bit)
			break;
		if (!r->permit)
			return lex_fail(ps, w->col, "'%s' is only allowed after 'permit'", w->text);
		if (r->flags & bit)
			return lex_fail(ps, w->col, "duplicate option '%s'", w->text);
		r->flags |= bit;
	}
	return n;
}

static int parse_rule(struct parser *ps, const struct word *first, struct policy_rule *r)
{
	struct word w;
	int n;

	if (lex_is_kw(first, "permit"))
		r->permit = true;
	else if (!lex_is_kw(first, "deny"))
		return lex_fail(ps, first->col, "expected 'permit' or 'deny', got '%s'",
				lex_show_word(ps, first));
	n = parse_options(ps, r, &w);
	if (n < 0)
		return -1;
	if (n == 0)
		return lex_fail(ps, ps->endcol,
				"expected a user name, ':group' or '*', got end of line");
	if (parse_who(ps, r, &w) < 0)
		return -1;
	while ((n = lex_word(ps, &w)) == 1)
		if (parse_clause(ps, r, &w) < 0)
			return -1;
	return n;
}

static void free_rule(struct policy_rule *r)
{
	free(r->who);
	free(r->on);
	free(r->from);
	for (size_t i = 0; i < r->ntypes; i++)
		free(r->types[i]);
	free(r->types);
	memset(r, 0, sizeof(*r));
}

static int add_rule(struct parser *ps, struct policy_rule *r)
{
	if (ps->existing + ps->nrules >= POLICY_MAX_RULES) {
		ps->stop = true;
		return lex_fail(ps, 1, "more than %d rules", POLICY_MAX_RULES);
	}
	if (ps->nrules == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : RULES_INITIAL;
		struct policy_rule *rules = reallocarray(ps->rules, cap, sizeof(*rules));

		if (!rules) {
			ps->stop = true;
			return lex_fail(ps, 1, "out of memory");
		}
		ps->rules = rules;
		ps->cap = cap;
	}
	r->file = ps->file;
	r->line = ps->lineno;
	ps->rules[ps->nrules++] = *r;
	memset(r, 0, sizeof(*r));
	return 0;
}

/*
 * One line. NUL bytes and overlong lines are refused before any word is
 * read: a NUL would cut a C string short and let the part after it vanish
 * from every later check, and the length limit bounds all per-line work.
 */
static int parse_line(struct parser *ps, const char *line, size_t len)
{
	size_t head = len < POLICY_MAX_LINE ? len : POLICY_MAX_LINE;
	const char *nul = memchr(line, '\0', head);
	struct policy_rule r = {0};
	struct word first;
	int n;

	ps->line = line;
	ps->len = len;
	ps->pos = 0;
	ps->used = 0;
	if (nul)
		return lex_fail(ps, (unsigned)(nul - line) + 1, "NUL byte not allowed");
	if (len > POLICY_MAX_LINE)
		return lex_fail(
		    ps, POLICY_MAX_LINE + 1,
		    "line longer than %d bytes (comments included, newline not counted)",
		    POLICY_MAX_LINE);
	n = lex_word(ps, &first);
	if (n <= 0)
		return n;
	if (parse_rule(ps, &first, &r) < 0 || add_rule(ps, &r) < 0) {
		free_rule(&r);
		return -1;
	}
	return 0;
}

/* Move the buffer's rules and its file name into *p; *p is untouched on error. */
static int commit(struct policy *p, struct parser *ps)
{
	char **files;
	struct policy_rule *rules;

	if (ps->nrules == 0)
		return 0;
	files = reallocarray(p->files, p->nfiles + 1, sizeof(*files));
	if (!files)
		return lex_fail(ps, 0, "out of memory");
	p->files = files;
	rules = reallocarray(p->rules, p->nrules + ps->nrules, sizeof(*rules));
	if (!rules)
		return lex_fail(ps, 0, "out of memory");
	p->rules = rules;
	memcpy(p->rules + p->nrules, ps->rules, ps->nrules * sizeof(*rules));
	p->nrules += ps->nrules;
	p->files[p->nfiles++] = ps->file;
	ps->file = NULL;
	ps->nrules = 0;
	return 0;
}

/*
 * An error of the current line: the end for policy_parse_buffer(); told,
 * and the next line read, for policy_check_buffer(). Returns whether to
 * go on.
 */
static bool line_failed(struct parser *ps)
{
	if (!ps->report)
		return false;
	ps->nerrors++;
	ps->report(ps->err, ps->report_arg);
	return !ps->stop;
}

static int parse_lines(struct parser *ps, const char *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t linelen = nl ? (size_t)(nl - (buf + off)) : len - off;

		if (ps->lineno == UINT_MAX) {
			ps->stop = true;
			lex_fail(ps, 1, "more than %u lines", UINT_MAX - 1);
			line_failed(ps);
			return -1;
		}
		ps->lineno++;
		if (parse_line(ps, buf + off, linelen) < 0 && !line_failed(ps))
			return -1;
		off += linelen + (nl ? 1 : 0);
	}
	return ps->nerrors ? -1 : 0;
}

/* Both entry points: -1 and *err (or the count in ps->nerrors) on error. */
static int parse(struct policy *p, struct parser *ps, const char *file, const char *buf, size_t len)
{
	ps->existing = p->nrules;
	ps->name = file ? file : NO_FILE_NAME;
	ps->file = strdup(ps->name);
	if (!ps->file) {
		lex_fail(ps, 0, "out of memory");
		return -1;
	}
	if (parse_lines(ps, buf, len) < 0)
		return -1;
	return commit(p, ps);
}

static void parser_free(struct parser *ps)
{
	for (size_t i = 0; i < ps->nrules; i++)
		free_rule(&ps->rules[i]);
	free(ps->rules);
	free(ps->file);
	free(ps);
}

static void fail_no_memory(struct policy_error *err, const char *file)
{
	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", file ? file : NO_FILE_NAME);
	snprintf(err->message, sizeof(err->message), "out of memory");
	snprintf(err->kind, sizeof(err->kind), "out of memory");
}

int policy_parse_buffer(struct policy *p, const char *file, const char *buf, size_t len,
			struct policy_error *err)
{
	struct policy_error dummy;
	struct parser *ps;
	int rc;

	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	ps = calloc(1, sizeof(*ps));
	if (!ps) {
		fail_no_memory(err, file);
		return -1;
	}
	ps->err = err;
	rc = parse(p, ps, file, buf, len);
	parser_free(ps);
	return rc;
}

size_t policy_check_buffer(struct policy *p, const char *file, const char *buf, size_t len,
			   policy_error_fn *report, void *arg)
{
	struct policy_error err = {0};
	struct parser *ps = calloc(1, sizeof(*ps));
	size_t n;

	if (!ps) {
		fail_no_memory(&err, file);
		report(&err, arg);
		return 1;
	}
	ps->err = &err;
	ps->report = report;
	ps->report_arg = arg;
	/* commit() failing (out of memory) is an error not yet told */
	if (parse(p, ps, file, buf, len) < 0 && ps->nerrors == 0) {
		report(&err, arg);
		ps->nerrors = 1;
	}
	n = ps->nerrors;
	parser_free(ps);
	return n;
}

void policy_free(struct policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nrules; i++)
		free_rule(&p->rules[i]);
	free(p->rules);
	for (size_t i = 0; i < p->nfiles; i++)
		free(p->files[i]);
	free(p->files);
	memset(p, 0, sizeof(*p));
}
