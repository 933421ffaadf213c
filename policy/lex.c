/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lex.c — see lex.h. Words are separated by spaces and tabs; a '#' at the
 * start of a word starts a comment; a word may be double-quoted, with \"
 * and \\ as its only escapes; control characters are refused.
 */
#define _GNU_SOURCE
#include "lex.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * The message with every quoted %s ('%s': always words of the file) left
 * out: the kind of error without any text of the file, for callers who may
 * not read the file themselves. An unquoted %s is the parser's own word
 * ("user", a hint) and stays.
 */
static void fail_kind(struct policy_error *err, const char *fmt, va_list ap)
{
	char quiet[sizeof(err->kind)];
	size_t o = 0;

	for (const char *p = fmt; *p && o + 8 < sizeof(quiet); p++) {
		if (strncmp(p, "'%s'", 4) == 0) {
			memcpy(quiet + o, "'%.0s...'", 9);
			o += 9;
			p += 3;
		} else {
			quiet[o++] = *p;
		}
	}
	quiet[o] = '\0';
	vsnprintf(err->kind, sizeof(err->kind), quiet, ap);
}

int lex_fail(struct parser *ps, unsigned col, const char *fmt, ...)
{
	va_list ap, ap2;

	snprintf(ps->err->file, sizeof(ps->err->file), "%s", ps->name);
	ps->err->line = ps->lineno;
	ps->err->column = col;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	vsnprintf(ps->err->message, sizeof(ps->err->message), fmt, ap);
	fail_kind(ps->err, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	return -1;
}

/*
 * Bytes of the input for a message, cut after SHOW_MAX bytes (at the start
 * of a UTF-8 character, so that a name is not cut inside a letter). They
 * are not escaped here: whoever prints a policy_error escapes it once
 * (report_escape() in the helper), so that a bidi control of the file
 * cannot reach a terminal or syslog and a UTF-8 name reads as written. The
 * lexer refuses control bytes before any word is quoted; should one get
 * here all the same, it is written as \xNN, so that a message never holds
 * a control byte whoever prints it.
 */
const char *lex_show(struct parser *ps, const char *s, size_t n)
{
	size_t cut = n < SHOW_MAX ? n : SHOW_MAX, o = 0;

	while (cut < n && cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--; /* s[cut], the first byte left out, continues a character */
	for (size_t i = 0; i < cut; i++) {
		unsigned char c = (unsigned char)s[i];

		if (lex_is_control(c))
			o += (size_t)snprintf(ps->shown + o, sizeof(ps->shown) - o, "\\x%02x", c);
		else
			ps->shown[o++] = (char)c;
	}
	snprintf(ps->shown + o, sizeof(ps->shown) - o, "%s", cut < n ? "..." : "");
	return ps->shown;
}

const char *lex_show_word(struct parser *ps, const struct word *w)
{
	return lex_show(ps, w->raw, w->rawlen);
}

bool lex_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

bool lex_is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

int lex_fail_control(struct parser *ps, size_t pos)
{
	return lex_fail(ps, COL(pos), "control character 0x%02x not allowed outside comments",
			(unsigned char)ps->line[pos]);
}

static int token_put(struct parser *ps, char c)
{
	if (ps->used >= SCRATCH_SIZE)
		return lex_fail(ps, COL(ps->pos), "internal error: word buffer full");
	ps->scratch[ps->used++] = c;
	return 0;
}

static int lex_bare(struct parser *ps, struct word *w)
{
	w->body = w->raw;
	w->bodycol = w->col;
	for (; ps->pos < ps->len && !lex_is_blank(ps->line[ps->pos]); ps->pos++) {
		char c = ps->line[ps->pos];

		if (lex_is_control((unsigned char)c))
			return lex_fail_control(ps, ps->pos);
		if (c == '"')
			return lex_fail(ps, COL(ps->pos),
					"'\"' inside a word (expected the whole word in quotes)");
		if (token_put(ps, c) < 0)
			return -1;
	}
	w->bodylen = (size_t)(ps->line + ps->pos - w->body);
	return token_put(ps, '\0');
}

/* One character of a quoted word, with its escape; 1 at the closing quote. */
static int lex_quoted_char(struct parser *ps, unsigned open)
{
	char c;

	if (ps->pos >= ps->len)
		return lex_fail(ps, open, "unterminated quoted word (expected a closing '\"')");
	c = ps->line[ps->pos];
	if (c == '"')
		return 1;
	if (lex_is_control((unsigned char)c))
		return lex_fail_control(ps, ps->pos);
	if (c == '\\') {
		if (ps->pos + 1 >= ps->len)
			return lex_fail(ps, open,
					"unterminated quoted word (expected a closing '\"')");
		c = ps->line[++ps->pos];
		if (lex_is_control((unsigned char)c))
			return lex_fail_control(ps, ps->pos);
		if (c != '"' && c != '\\')
			return lex_fail(
			    ps, COL(ps->pos - 1),
			    "unknown escape '\\%s' in quoted word (expected \\\" or \\\\)",
			    lex_show(ps, &c, 1));
	}
	ps->pos++;
	return token_put(ps, c);
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
	if (ps->pos < ps->len && !lex_is_blank(ps->line[ps->pos]))
		return lex_fail(ps, COL(ps->pos),
				"expected a space or tab after the closing '\"', got '%s'",
				lex_show(ps, ps->line + ps->pos, 1));
	return token_put(ps, '\0');
}

/* 1: a word in *w; 0: end of the line or a comment; -1: error. */
int lex_word(struct parser *ps, struct word *w)
{
	int r;

	while (ps->pos < ps->len && lex_is_blank(ps->line[ps->pos]))
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

bool lex_is_kw(const struct word *w, const char *kw)
{
	return !w->quoted && strcmp(w->text, kw) == 0;
}
