/*
 * parse.c — policy files: text in, plain rule structs out (SPEC section 4).
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

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest user or group name: Linux LOGIN_NAME_MAX without its NUL. */
#define NAME_MAX_LEN 255
/* How many bytes of a word an error message quotes. */
#define SHOW_MAX 40
/* Unescaped words of one line, each NUL-terminated: never more than the line. */
#define SCRATCH_SIZE (POLICY_MAX_LINE + 2)
/* First allocation of the rule array of one buffer. */
#define RULES_INITIAL 16
/* 1-based byte column of a 0-based offset into the line. */
#define COL(pos) ((unsigned)(pos) + 1)
/* File name used in errors and rules when the caller gives none. */
#define NO_FILE_NAME "(buffer)"

struct word {
	const char *raw; /* as written, quotes included */
	size_t rawlen;
	const char *body; /* raw without the quotes */
	size_t bodylen;
	unsigned col;     /* 1-based byte column of raw[0] */
	unsigned bodycol; /* 1-based byte column of body[0] */
	char *text;       /* unescaped, NUL-terminated, in the scratch buffer */
	bool quoted;
};

struct parser {
	const char *name; /* the caller's file name, for errors */
	char *file;       /* owned copy of it; rules point to it */
	unsigned lineno;
	const char *line; /* current line, without its newline */
	size_t len;
	size_t pos;
	unsigned endcol; /* column where the words of the line ended */
	char scratch[SCRATCH_SIZE];
	size_t used;
	char shown[SHOW_MAX * 4 + 4];
	struct policy_error *err;
	struct policy_rule *rules;
	size_t nrules, cap;
	size_t existing; /* rules already in *p: they count against the limit */
};

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

__attribute__((format(printf, 3, 4))) static int fail(struct parser *ps, unsigned col,
						      const char *fmt, ...)
{
	va_list ap;

	snprintf(ps->err->file, sizeof(ps->err->file), "%s", ps->name);
	ps->err->line = ps->lineno;
	ps->err->column = col;
	va_start(ap, fmt);
	vsnprintf(ps->err->message, sizeof(ps->err->message), fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Bytes of the input for a message: printable ASCII as is, the rest as
 * \xNN, cut after SHOW_MAX bytes. Messages reach a terminal and syslog; a
 * policy line must not be able to smuggle escape sequences or fake lines
 * into them, nor grow them without bound.
 */
static const char *show(struct parser *ps, const char *s, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n && i < SHOW_MAX; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			ps->shown[o++] = (char)c;
		else
			o += (size_t)snprintf(ps->shown + o, sizeof(ps->shown) - o, "\\x%02x", c);
	}
	if (n > SHOW_MAX)
		o += (size_t)snprintf(ps->shown + o, sizeof(ps->shown) - o, "...");
	ps->shown[o] = '\0';
	return ps->shown;
}

static const char *show_word(struct parser *ps, const struct word *w)
{
	return show(ps, w->raw, w->rawlen);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static int fail_control(struct parser *ps, size_t pos)
{
	return fail(ps, COL(pos), "control character 0x%02x not allowed outside comments",
		    (unsigned char)ps->line[pos]);
}

static int put(struct parser *ps, char c)
{
	if (ps->used >= SCRATCH_SIZE)
		return fail(ps, COL(ps->pos), "internal error: word buffer full");
	ps->scratch[ps->used++] = c;
	return 0;
}

static int lex_bare(struct parser *ps, struct word *w)
{
	w->body = w->raw;
	w->bodycol = w->col;
	for (; ps->pos < ps->len && !is_blank(ps->line[ps->pos]); ps->pos++) {
		char c = ps->line[ps->pos];

		if (is_control((unsigned char)c))
			return fail_control(ps, ps->pos);
		if (c == '"')
			return fail(ps, COL(ps->pos),
				    "'\"' inside a word (expected the whole word in quotes)");
		if (put(ps, c) < 0)
			return -1;
	}
	w->bodylen = (size_t)(ps->line + ps->pos - w->body);
	return put(ps, '\0');
}

/* One character of a quoted word, with its escape; 1 at the closing quote. */
static int lex_quoted_char(struct parser *ps, unsigned open)
{
	char c;

	if (ps->pos >= ps->len)
		return fail(ps, open, "unterminated quoted word (expected a closing '\"')");
	c = ps->line[ps->pos];
	if (c == '"')
		return 1;
	if (is_control((unsigned char)c))
		return fail_control(ps, ps->pos);
	if (c == '\\') {
		if (ps->pos + 1 >= ps->len)
			return fail(ps, open, "unterminated quoted word (expected a closing '\"')");
		c = ps->line[++ps->pos];
		if (c != '"' && c != '\\')
			return fail(ps, COL(ps->pos - 1),
				    "unknown escape '\\%s' in quoted word (expected \\\" or \\\\)",
				    show(ps, &c, 1));
	}
	ps->pos++;
	return put(ps, c);
}

static int lex_quoted(struct parser *ps, struct word *w)
{
	int r;

	w->quoted = true;
	ps->pos++;
	w->body = ps->line + ps->pos;
	w->bodycol = COL(ps->pos);
	while ((r = lex_quoted_char(ps, w->col)) == 0)
		;
	if (r < 0)
		return -1;
	w->bodylen = (size_t)(ps->line + ps->pos - w->body);
	ps->pos++;
	if (ps->pos < ps->len && !is_blank(ps->line[ps->pos]))
		return fail(ps, COL(ps->pos),
			    "expected a space or tab after the closing '\"', got '%s'",
			    show(ps, ps->line + ps->pos, 1));
	return put(ps, '\0');
}

/* 1: a word in *w; 0: end of the line or a comment; -1: error. */
static int lex_word(struct parser *ps, struct word *w)
{
	int r;

	while (ps->pos < ps->len && is_blank(ps->line[ps->pos]))
		ps->pos++;
	if (ps->pos >= ps->len || ps->line[ps->pos] == '#') {
		ps->endcol = COL(ps->pos);
		ps->pos = ps->len;
		return 0;
	}
	memset(w, 0, sizeof(*w));
	w->raw = ps->line + ps->pos;
	w->col = COL(ps->pos);
	w->text = ps->scratch + ps->used;
	if (*w->raw == '"')
		r = lex_quoted(ps, w);
	else
		r = lex_bare(ps, w);
	if (r < 0)
		return -1;
	w->rawlen = (size_t)(ps->line + ps->pos - w->raw);
	return 1;
}

static bool is_kw(const struct word *w, const char *kw)
{
	return !w->quoted && strcmp(w->text, kw) == 0;
}

/* The keywords[] index of an unquoted keyword, or -1. */
static int keyword(const struct word *w)
{
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (is_kw(w, keywords[i].word))
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
		return fail(ps, col, "empty %s name", what);
	if (n > NAME_MAX_LEN)
		return fail(ps, col, "%s name longer than %d bytes", what, NAME_MAX_LEN);
	if (name[0] == '-')
		return fail(ps, col, "%s name must not start with '-'", what);
	for (size_t i = 0; i < n; i++) {
		if (is_name_char(name[i]) || (name[i] == '$' && i > 0 && i == n - 1))
			continue;
		return fail(ps, col + (unsigned)i,
			    "invalid character '%s' in %s name (expected letters, digits, '.', "
			    "'_', '-' or a final '$')",
			    show(ps, name + i, 1), what);
	}
	return 0;
}

static int parse_who(struct parser *ps, struct policy_rule *r, const struct word *w)
{
	const char *name = w->text, *what = "user";
	unsigned col = w->bodycol;

	if (keyword(w) >= 0)
		return fail(ps, w->col, "expected a user name, ':group' or '*', got '%s'",
			    show_word(ps, w));
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
		return fail(ps, col, "empty group name after ':'");
	if (check_name(ps, name, col, what) < 0)
		return -1;
	r->who = strdup(name);
	if (!r->who)
		return fail(ps, w->col, "out of memory");
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
			return fail(ps, w->bodycol + (unsigned)i,
				    "'%%' at end of pattern (expected %%u, %%U or %%%%)");
		c = w->body[++i];
		if (c != 'u' && c != 'U' && c != '%')
			return fail(
			    ps, w->bodycol + (unsigned)i - 1,
			    "unknown expansion '%%%s' in pattern (expected %%u, %%U or %%%%)",
			    show(ps, &c, 1));
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
			return fail(ps, w->bodycol + (unsigned)i,
				    "empty component in pattern after 'on' (mount points have "
				    "no '//' and no trailing '/')");
		if ((clen == 1 && s[i + 1] == '.') ||
		    (clen == 2 && s[i + 1] == '.' && s[i + 2] == '.'))
			return fail(ps, w->bodycol + (unsigned)i + 1,
				    "'.' or '..' component in pattern after 'on' (mount points "
				    "are canonical paths)");
	}
	return 0;
}

static int parse_pattern(struct parser *ps, const struct word *w, const char *kw, char **out)
{
	bool on = strcmp(kw, "on") == 0;

	if (w->text[0] == '\0')
		return fail(ps, w->col, "empty pattern after '%s'", kw);
	if (on && w->text[0] != '/')
		return fail(ps, w->col,
			    "pattern after 'on' must be absolute (start with '/'), got '%s'",
			    show_word(ps, w));
	if (check_percent(ps, w) < 0)
		return -1;
	if (on && check_canonical(ps, w) < 0)
		return -1;
	*out = strdup(w->text);
	if (!*out)
		return fail(ps, w->col, "out of memory");
	return 0;
}

/* One item [a, b) of a type list, checked and stored. */
static int add_type(struct parser *ps, struct policy_rule *r, const struct word *w, size_t a,
		    size_t b)
{
	const char *s = w->body;

	if (a == b)
		return fail(ps, w->bodycol + (unsigned)a,
			    "empty item in type list (expected TYPE[,TYPE...])");
	for (size_t i = a; i < b; i++)
		if (!is_name_char(s[i]) && s[i] != '+')
			return fail(ps, w->bodycol + (unsigned)i,
				    "invalid character '%s' in file system type (expected "
				    "letters, digits, '.', '_', '+' or '-')",
				    show(ps, s + i, 1));
	for (size_t j = 0; j < r->ntypes; j++)
		if (strlen(r->types[j]) == b - a && memcmp(r->types[j], s + a, b - a) == 0)
			return fail(ps, w->bodycol + (unsigned)a, "duplicate type '%s'",
				    show(ps, s + a, b - a));
	r->types[r->ntypes] = strndup(s + a, b - a);
	if (!r->types[r->ntypes])
		return fail(ps, w->col, "out of memory");
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
			return fail(ps, w->bodycol + (unsigned)i + 1,
				    "more than %d types in one rule", POLICY_MAX_TYPES);
	}
	r->types = calloc(count, sizeof(*r->types));
	if (!r->types)
		return fail(ps, w->col, "out of memory");
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
	return fail(ps, w->col, "expected 'on', 'type' or 'from', got '%s'%s", show_word(ps, w),
		    option_bit(w) ? " (options go right after 'permit')" : "");
}

/* "on PATTERN", "type LIST" or "from PATTERN", each at most once. */
static int parse_clause(struct parser *ps, struct policy_rule *r, const struct word *w)
{
	const char *kw = w->text;
	const char *what = is_kw(w, "type") ? "a file system type" : "a pattern";
	bool dup;
	struct word arg;
	int n;

	if (!is_kw(w, "on") && !is_kw(w, "type") && !is_kw(w, "from"))
		return fail_clause(ps, w);
	dup = is_kw(w, "on") ? r->on != NULL : is_kw(w, "from") ? r->from != NULL : r->ntypes > 0;
	if (dup)
		return fail(ps, w->col, "duplicate '%s' (each of on, type, from at most once)", kw);
	n = lex_word(ps, &arg);
	if (n < 0)
		return -1;
	if (n == 0)
		return fail(ps, ps->endcol, "expected %s after '%s', got end of line", what, kw);
	if (keyword(&arg) >= 0)
		return fail(ps, arg.col, "expected %s after '%s', got '%s'", what, kw,
			    show_word(ps, &arg));
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
			return fail(ps, w->col, "'%s' is only allowed after 'permit'", w->text);
		if (r->flags & bit)
			return fail(ps, w->col, "duplicate option '%s'", w->text);
		r->flags |= bit;
	}
	return n;
}

static int parse_rule(struct parser *ps, const struct word *first, struct policy_rule *r)
{
	struct word w;
	int n;

	if (is_kw(first, "permit"))
		r->permit = true;
	else if (!is_kw(first, "deny"))
		return fail(ps, first->col, "expected 'permit' or 'deny', got '%s'",
			    show_word(ps, first));
	n = parse_options(ps, r, &w);
	if (n < 0)
		return -1;
	if (n == 0)
		return fail(ps, ps->endcol,
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
	if (ps->existing + ps->nrules >= POLICY_MAX_RULES)
		return fail(ps, 1, "more than %d rules", POLICY_MAX_RULES);
	if (ps->nrules == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : RULES_INITIAL;
		struct policy_rule *rules = reallocarray(ps->rules, cap, sizeof(*rules));

		if (!rules)
			return fail(ps, 1, "out of memory");
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
		return fail(ps, (unsigned)(nul - line) + 1, "NUL byte not allowed");
	if (len > POLICY_MAX_LINE)
		return fail(ps, POLICY_MAX_LINE + 1,
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
		return fail(ps, 0, "out of memory");
	p->files = files;
	rules = reallocarray(p->rules, p->nrules + ps->nrules, sizeof(*rules));
	if (!rules)
		return fail(ps, 0, "out of memory");
	p->rules = rules;
	memcpy(p->rules + p->nrules, ps->rules, ps->nrules * sizeof(*rules));
	p->nrules += ps->nrules;
	p->files[p->nfiles++] = ps->file;
	ps->file = NULL;
	ps->nrules = 0;
	return 0;
}

static int parse_lines(struct parser *ps, const char *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t linelen = nl ? (size_t)(nl - (buf + off)) : len - off;

		if (ps->lineno == UINT_MAX)
			return fail(ps, 1, "more than %u lines", UINT_MAX - 1);
		ps->lineno++;
		if (parse_line(ps, buf + off, linelen) < 0)
			return -1;
		off += linelen + (nl ? 1 : 0);
	}
	return 0;
}

int policy_parse_buffer(struct policy *p, const char *file, const char *buf, size_t len,
			struct policy_error *err)
{
	struct policy_error dummy;
	struct parser *ps;
	int rc = -1;

	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	ps = calloc(1, sizeof(*ps));
	if (!ps) {
		snprintf(err->file, sizeof(err->file), "%s", file ? file : NO_FILE_NAME);
		snprintf(err->message, sizeof(err->message), "out of memory");
		return -1;
	}
	ps->err = err;
	ps->existing = p->nrules;
	ps->name = file ? file : NO_FILE_NAME;
	ps->file = strdup(ps->name);
	if (!ps->file) {
		fail(ps, 0, "out of memory");
		goto out;
	}
	if (parse_lines(ps, buf, len) < 0 || commit(p, ps) < 0)
		goto out;
	rc = 0;
out:
	for (size_t i = 0; i < ps->nrules; i++)
		free_rule(&ps->rules[i]);
	free(ps->rules);
	free(ps->file);
	free(ps);
	return rc;
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
