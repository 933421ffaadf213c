/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lex.h — the policy parser's lexer, private to policy/: words of one line,
 * with their columns, unescaped into a scratch buffer, and the error helper
 * that records file:line:column.
 */
#ifndef USER_UMOUNT_LEX_H
#define USER_UMOUNT_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "policy.h"

/* How many bytes of a word an error message quotes. */
#define SHOW_MAX 40
/* Unescaped words of one line, each NUL-terminated: never more than the line. */
#define SCRATCH_SIZE (POLICY_MAX_LINE + 2)
/* 1-based byte column of a 0-based offset into the line. */
#define COL(pos) ((unsigned)(pos) + 1)

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
	/* policy_check_buffer(): each error told here, and the next line read */
	policy_error_fn *report;
	void *report_arg;
	size_t nerrors;
	bool stop; /* going on would only repeat this error (rule limit, memory) */
};

/* Record an error at column col of the current line; returns -1. */
int lex_fail(struct parser *ps, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Input bytes for a message, as they are (the printer escapes), cut short. */
const char *lex_show(struct parser *ps, const char *s, size_t n);
const char *lex_show_word(struct parser *ps, const struct word *w);
bool lex_is_blank(char c);
bool lex_is_control(unsigned char c);
int lex_fail_control(struct parser *ps, size_t pos);
/* 1: a word in *w; 0: end of the line or a comment; -1: error. */
int lex_word(struct parser *ps, struct word *w);
/* An unquoted keyword? */
bool lex_is_kw(const struct word *w, const char *kw);

#endif
