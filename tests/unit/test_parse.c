/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_parse.c — policy/parse.c: every accepted form with the exact rules it
 * gives, every rejection with its exact message, line and column.
 */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "suite.h"

#ifndef UU_SOURCE_DIR
#define UU_SOURCE_DIR "."
#endif

#define FMT_MAX 8192

/* A buffer that may hold NUL bytes: BUF("a\0b") keeps all three bytes. */
#define BUF(s) s, sizeof(s) - 1

struct accept_case {
	const char *input;
	size_t len;
	const char *rules; /* one formatted rule a line, see fmt_rules() */
};

struct reject_case {
	const char *input;
	size_t len;
	unsigned line, column;
	const char *message;
};

__attribute__((format(printf, 3, 4))) static void append(char *buf, size_t *pos, const char *fmt,
							 ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf + *pos, FMT_MAX - *pos, fmt, ap);
	va_end(ap);
	ck_assert_int_ge(n, 0);
	ck_assert_uint_lt(*pos + (size_t)n, FMT_MAX);
	*pos += (size_t)n;
}

/* "LINE: permit lazy WHO on X type a,b from Y", fields in canonical order. */
static void fmt_rule(const struct policy_rule *r, char *buf, size_t *pos)
{
	append(buf, pos, "%u: ", r->line);
	append(buf, pos, "%s", r->permit ? "permit" : "deny");
	if (r->flags & POLICY_LAZY)
		append(buf, pos, "%s", " lazy");
	if (r->flags & POLICY_FORCE)
		append(buf, pos, "%s", " force");
	if (r->flags & POLICY_EXPIRE)
		append(buf, pos, "%s", " expire");
	if (r->who_kind == POLICY_WHO_ANY)
		ck_assert_ptr_null(r->who);
	append(buf, pos, " %s", r->who_kind == POLICY_WHO_GROUP ? ":" : "");
	append(buf, pos, "%s", r->who_kind == POLICY_WHO_ANY ? "*" : r->who);
	if (r->on)
		append(buf, pos, " on %s", r->on);
	for (size_t i = 0; i < r->ntypes; i++)
		append(buf, pos, i ? ",%s" : " type %s", r->types[i]);
	if (r->from)
		append(buf, pos, " from %s", r->from);
	append(buf, pos, "%s", "\n");
}

static void fmt_rules(const struct policy *p, size_t from, char *buf)
{
	size_t pos = 0;

	buf[0] = '\0';
	for (size_t i = from; i < p->nrules; i++)
		fmt_rule(&p->rules[i], buf, &pos);
}

static const struct accept_case accepts[] = {
    {BUF(""), ""},
    {BUF("\n\n"), ""},
    {BUF("# only a comment\n\n   \t\n# another"), ""},
    {BUF("permit :plugdev on /run/media/%u/* type vfat,exfat,ntfs3,iso9660,udf\n"),
     "1: permit :plugdev on /run/media/%u/* type vfat,exfat,ntfs3,iso9660,udf\n"},
    {BUF("permit lazy * on /srv/scratch"), "1: permit lazy * on /srv/scratch\n"},
    {BUF("deny * on /home\n"), "1: deny * on /home\n"},
    /* "**" is a pattern character like any other here; decide.c gives it depth */
    {BUF("deny * on /home/**\n"), "1: deny * on /home/**\n"},
    {BUF("deny * on /**/mnt\n"), "1: deny * on /**/mnt\n"},
    {BUF("permit * on /media/%u/** from **\n"), "1: permit * on /media/%u/** from **\n"},
    {BUF("permit * on /a**/b***\n"), "1: permit * on /a**/b***\n"},
    {BUF("permit * on \"/My Disk/**\"\n"), "1: permit * on /My Disk/**\n"},
    {BUF("deny *\n"), "1: deny *\n"},
    {BUF("permit alice\n"), "1: permit alice\n"},
    {BUF("permit expire force lazy alice\n"), "1: permit lazy force expire alice\n"},
    {BUF("permit force bob\n"), "1: permit force bob\n"},
    {BUF("permit expire :users\n"), "1: permit expire :users\n"},
    {BUF("deny bob from /dev/sd* type ext4 on /mnt/*\n"),
     "1: deny bob on /mnt/* type ext4 from /dev/sd*\n"},
    {BUF("permit * type fuse.sshfs,fuse.rclone from *@backup:* on /srv/*\n"),
     "1: permit * on /srv/* type fuse.sshfs,fuse.rclone from *@backup:*\n"},
    {BUF("\tpermit\t*\ton\t/x\t\n"), "1: permit * on /x\n"},
    {BUF("permit *   \t \n"), "1: permit *\n"},
    {BUF("permit * on /a#b # a comment\n"), "1: permit * on /a#b\n"},
    {BUF("permit * on \"/mnt/my disk\"\n"), "1: permit * on /mnt/my disk\n"},
    {BUF("permit * from \"a\\\"b\\\\c\"\n"), "1: permit * from a\"b\\c\n"},
    {BUF("permit * from \"#x\" # comment\n"), "1: permit * from #x\n"},
    {BUF("permit * on \"/a\" type \"vfat,exfat\"\n"), "1: permit * on /a type vfat,exfat\n"},
    {BUF("permit * on /a\\*b\n"), "1: permit * on /a\\*b\n"},
    {BUF("permit \"on\"\n"), "1: permit on\n"},
    {BUF("permit \":staff\"\n"), "1: permit :staff\n"},
    {BUF("permit * on /run/user/%U/%%x%u\n"), "1: permit * on /run/user/%U/%%x%u\n"},
    {BUF("permit host$\n"), "1: permit host$\n"},
    {BUF("permit a.b_c-d9\n"), "1: permit a.b_c-d9\n"},
    {BUF("permit :Domain.Users_1\n"), "1: permit :Domain.Users_1\n"},
    {BUF("permit * on /\n"), "1: permit * on /\n"},
    {BUF("permit * on /mnt/.hidden/..x/x.\n"), "1: permit * on /mnt/.hidden/..x/x.\n"},
    {BUF("permit * on /media/\xc3\x9cml\xc3\xa4ut\n"),
     "1: permit * on /media/\xc3\x9cml\xc3\xa4ut\n"},
    {BUF("permit * from tmpfs type tmpfs\n"), "1: permit * type tmpfs from tmpfs\n"},
    {BUF("permit * type c++fs,a-b,A_B,9p\n"), "1: permit * type c++fs,a-b,A_B,9p\n"},
    {BUF("# c\n\npermit a\n\ndeny :b\npermit lazy *"),
     "3: permit a\n5: deny :b\n6: permit lazy *\n"},
    {BUF("deny * # \x01\x7f control bytes and \xff in comments are fine\n"), "1: deny *\n"},
};

static const struct reject_case rejects[] = {
    {BUF("allow *\n"), 1, 1, "expected 'permit' or 'deny', got 'allow'"},
    {BUF("Permit *\n"), 1, 1, "expected 'permit' or 'deny', got 'Permit'"},
    {BUF("\"permit\" *\n"), 1, 1, "expected 'permit' or 'deny', got '\"permit\"'"},
    {BUF("\xef\xbb\xbfpermit *\n"), 1, 1, "expected 'permit' or 'deny', got '\xef\xbb\xbfpermit'"},
    {BUF("allow_0123456789012345678901234567890123456789\n"), 1, 1,
     "expected 'permit' or 'deny', got 'allow_0123456789012345678901234567890123...'"},
    /* cut after 40 bytes, but never inside a character: 5 + 17 x 2 bytes */
    {BUF("allow\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
	 "\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\n"),
     1, 1,
     "expected 'permit' or 'deny', got "
     "'allow\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3"
     "\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9...'"},
    {BUF("lazy permit *\n"), 1, 1, "expected 'permit' or 'deny', got 'lazy'"},
    {BUF("permit\n"), 1, 7, "expected a user name, ':group' or '*', got end of line"},
    {BUF("deny"), 1, 5, "expected a user name, ':group' or '*', got end of line"},
    {BUF("permit lazy\n"), 1, 12, "expected a user name, ':group' or '*', got end of line"},
    {BUF("permit   # comment\n"), 1, 10, "expected a user name, ':group' or '*', got end of line"},
    {BUF("permit on /x\n"), 1, 8, "expected a user name, ':group' or '*', got 'on'"},
    {BUF("deny type vfat\n"), 1, 6, "expected a user name, ':group' or '*', got 'type'"},
    {BUF("permit permit\n"), 1, 8, "expected a user name, ':group' or '*', got 'permit'"},
    {BUF("deny lazy *\n"), 1, 6, "'lazy' is only allowed after 'permit'"},
    {BUF("deny force *\n"), 1, 6, "'force' is only allowed after 'permit'"},
    {BUF("deny expire *\n"), 1, 6, "'expire' is only allowed after 'permit'"},
    {BUF("permit lazy lazy *\n"), 1, 13, "duplicate option 'lazy'"},
    {BUF("permit force expire force *\n"), 1, 21, "duplicate option 'force'"},
    {BUF("permit * lazy\n"), 1, 10,
     "expected 'on', 'type' or 'from', got 'lazy' (options go right after 'permit')"},
    {BUF("permit * /x\n"), 1, 10, "expected 'on', 'type' or 'from', got '/x'"},
    {BUF("permit * on /a /b\n"), 1, 16, "expected 'on', 'type' or 'from', got '/b'"},
    {BUF("permit * type a b\n"), 1, 17, "expected 'on', 'type' or 'from', got 'b'"},
    {BUF("permit * \"on\" /x\n"), 1, 10, "expected 'on', 'type' or 'from', got '\"on\"'"},
    {BUF("permit * ON /x\n"), 1, 10, "expected 'on', 'type' or 'from', got 'ON'"},
    {BUF("permit * on /a on /b\n"), 1, 16, "duplicate 'on' (each of on, type, from at most once)"},
    {BUF("permit * type a from b type c\n"), 1, 24,
     "duplicate 'type' (each of on, type, from at most once)"},
    {BUF("permit * from a from b\n"), 1, 17,
     "duplicate 'from' (each of on, type, from at most once)"},
    {BUF("permit * on\n"), 1, 12, "expected a pattern after 'on', got end of line"},
    {BUF("permit * from # c\n"), 1, 15, "expected a pattern after 'from', got end of line"},
    {BUF("permit * on /x type\n"), 1, 20,
     "expected a file system type after 'type', got end of line"},
    {BUF("permit * on type\n"), 1, 13, "expected a pattern after 'on', got 'type'"},
    {BUF("permit * from on /x\n"), 1, 15, "expected a pattern after 'from', got 'on'"},
    {BUF("permit * type from x\n"), 1, 15, "expected a file system type after 'type', got 'from'"},
    {BUF("permit * on x\n"), 1, 13,
     "pattern after 'on' must be absolute (start with '/'), got 'x'"},
    {BUF("permit * on */x\n"), 1, 13,
     "pattern after 'on' must be absolute (start with '/'), got '*/x'"},
    {BUF("permit * on %u\n"), 1, 13,
     "pattern after 'on' must be absolute (start with '/'), got '%u'"},
    {BUF("permit * on \"\"\n"), 1, 13, "empty pattern after 'on'"},
    {BUF("permit * from \"\"\n"), 1, 15, "empty pattern after 'from'"},
    {BUF("permit * on /a/\n"), 1, 15,
     "empty component in pattern after 'on' (mount points have no '//' and no trailing '/')"},
    {BUF("permit * on /a//b\n"), 1, 15,
     "empty component in pattern after 'on' (mount points have no '//' and no trailing '/')"},
    {BUF("permit * on //a\n"), 1, 13,
     "empty component in pattern after 'on' (mount points have no '//' and no trailing '/')"},
    {BUF("permit * on /a/./b\n"), 1, 16,
     "'.' or '..' component in pattern after 'on' (mount points are canonical paths)"},
    {BUF("deny * on /srv/../home\n"), 1, 16,
     "'.' or '..' component in pattern after 'on' (mount points are canonical paths)"},
    {BUF("permit * on /a/..\n"), 1, 16,
     "'.' or '..' component in pattern after 'on' (mount points are canonical paths)"},
    {BUF("deny * on /home/**/\n"), 1, 19,
     "empty component in pattern after 'on' (mount points have no '//' and no trailing '/')"},
    {BUF("deny * on /**/../x\n"), 1, 15,
     "'.' or '..' component in pattern after 'on' (mount points are canonical paths)"},
    {BUF("permit * on /%x\n"), 1, 14, "unknown expansion '%x' in pattern (expected %u, %U or %%)"},
    {BUF("permit * on /%%%d\n"), 1, 16,
     "unknown expansion '%d' in pattern (expected %u, %U or %%)"},
    {BUF("permit * from %s\n"), 1, 15, "unknown expansion '%s' in pattern (expected %u, %U or %%)"},
    {BUF("permit * on /a%\n"), 1, 15, "'%' at end of pattern (expected %u, %U or %%)"},
    {BUF("permit * on /a%%%\n"), 1, 17, "'%' at end of pattern (expected %u, %U or %%)"},
    {BUF("permit * on \"/a%\\\"\"\n"), 1, 16,
     "unknown expansion '%\\' in pattern (expected %u, %U or %%)"},
    {BUF("permit * on /%\xc3\xa9\n"), 1, 14,
     "unknown expansion '%\xc3' in pattern (expected %u, %U or %%)"},
    {BUF("permit * type a,,b\n"), 1, 17, "empty item in type list (expected TYPE[,TYPE...])"},
    {BUF("permit * type ,a\n"), 1, 15, "empty item in type list (expected TYPE[,TYPE...])"},
    {BUF("permit * type vfat, exfat\n"), 1, 20,
     "empty item in type list (expected TYPE[,TYPE...])"},
    {BUF("permit * type \"\"\n"), 1, 16, "empty item in type list (expected TYPE[,TYPE...])"},
    {BUF("permit * type a,a\n"), 1, 17, "duplicate type 'a'"},
    {BUF("permit * type vfat,ext4,vfat\n"), 1, 25, "duplicate type 'vfat'"},
    {BUF("permit * type v*fat\n"), 1, 16,
     "invalid character '*' in file system type (expected letters, digits, '.', '_', '+' or "
     "'-')"},
    {BUF("permit * type \"a\\\\b\"\n"), 1, 17,
     "invalid character '\\' in file system type (expected letters, digits, '.', '_', '+' "
     "or '-')"},
    {BUF("permit :\n"), 1, 9, "empty group name after ':'"},
    {BUF("permit \"\"\n"), 1, 9, "empty user name"},
    {BUF("permit -alice\n"), 1, 8, "user name must not start with '-'"},
    {BUF("permit :-grp\n"), 1, 9, "group name must not start with '-'"},
    {BUF("permit al*ce\n"), 1, 10,
     "invalid character '*' in user name (expected letters, digits, '.', '_', '-' or a final "
     "'$')"},
    {BUF("permit *x\n"), 1, 8,
     "invalid character '*' in user name (expected letters, digits, '.', '_', '-' or a final "
     "'$')"},
    {BUF("permit *#c\n"), 1, 8,
     "invalid character '*' in user name (expected letters, digits, '.', '_', '-' or a final "
     "'$')"},
    {BUF("permit \"*\"\n"), 1, 9,
     "invalid character '*' in user name (expected letters, digits, '.', '_', '-' or a final "
     "'$')"},
    {BUF("permit ali$ce\n"), 1, 11,
     "invalid character '$' in user name (expected letters, digits, '.', '_', '-' or a final "
     "'$')"},
    {BUF("permit $\n"), 1, 8,
     "invalid character '$' in user name (expected letters, digits, '.', '_', '-' or a final "
     "'$')"},
    {BUF("permit :gr@p\n"), 1, 11,
     "invalid character '@' in group name (expected letters, digits, '.', '_', '-' or a final "
     "'$')"},
    {BUF("permit ::g\n"), 1, 9,
     "invalid character ':' in group name (expected letters, digits, '.', '_', '-' or a "
     "final '$')"},
    {BUF("permit \xc3\xa9mile\n"), 1, 8,
     "invalid character '\xc3' in user name (expected letters, digits, '.', '_', '-' or a "
     "final '$')"},
    {BUF("permit \"a b\"\n"), 1, 10,
     "invalid character ' ' in user name (expected letters, digits, '.', '_', '-' or a final "
     "'$')"},
    {BUF("permit a\"b\"\n"), 1, 9, "'\"' inside a word (expected the whole word in quotes)"},
    {BUF("permit * on /a\"b\n"), 1, 15, "'\"' inside a word (expected the whole word in quotes)"},
    {BUF("permit * on \"/a\n"), 1, 13, "unterminated quoted word (expected a closing '\"')"},
    {BUF("permit * on \"/a\\"), 1, 13, "unterminated quoted word (expected a closing '\"')"},
    {BUF("permit * on \"/a\\\"\n"), 1, 13, "unterminated quoted word (expected a closing '\"')"},
    {BUF("permit * on \"/a\\n\"\n"), 1, 16,
     "unknown escape '\\n' in quoted word (expected \\\" or \\\\)"},
    {BUF("permit * on \"/a\\*\"\n"), 1, 16,
     "unknown escape '\\*' in quoted word (expected \\\" or \\\\)"},
    /* a control byte after a backslash is a control byte, not an escape */
    {BUF("permit * on \"/a\\\x02\"\n"), 1, 17,
     "control character 0x02 not allowed outside comments"},
    {BUF("permit * on \"/a\"b\n"), 1, 17,
     "expected a space or tab after the closing '\"', got 'b'"},
    {BUF("permit * on \"/a\"\"/b\"\n"), 1, 17,
     "expected a space or tab after the closing '\"', got '\"'"},
    {BUF("permit * on \"/a\"# c\n"), 1, 17,
     "expected a space or tab after the closing '\"', got '#'"},
    {BUF("permit * on \"/a\tb\"\n"), 1, 16, "control character 0x09 not allowed outside comments"},
    {BUF("permit *\r\n"), 1, 9, "control character 0x0d not allowed outside comments"},
    {BUF("permit * on /a\x01"
	 "b\n"),
     1, 15, "control character 0x01 not allowed outside comments"},
    {BUF("permit * from a\x7f\n"), 1, 16, "control character 0x7f not allowed outside comments"},
    {BUF("permit * on /a\x1b[2J\n"), 1, 15, "control character 0x1b not allowed outside comments"},
    {BUF("\x0cpermit *\n"), 1, 1, "control character 0x0c not allowed outside comments"},
    {BUF("permit *\0\n"), 1, 9, "NUL byte not allowed"},
    {BUF("# a comment\0 with a NUL\n"), 1, 12, "NUL byte not allowed"},
    {BUF("permit a\npermit b\n\0"), 3, 1, "NUL byte not allowed"},
    {BUF("permit * on /a\0/b\n"), 1, 15, "NUL byte not allowed"},
    {BUF("permit a\n# fine\n\ndeny * on /home\nallow b\n"), 5, 1,
     "expected 'permit' or 'deny', got 'allow'"},
    {BUF("permit a\r\npermit b\r\n"), 1, 9, "control character 0x0d not allowed outside comments"},
};

static void parse_ok(struct policy *p, const char *file, const char *buf, size_t len)
{
	struct policy_error err;
	int r = policy_parse_buffer(p, file, buf, len, &err);

	ck_assert_msg(r == 0, "unexpected rejection %s:%u:%u: %s", err.file, err.line, err.column,
		      err.message);
}

static void check_rejected(const char *buf, size_t len, unsigned line, unsigned col,
			   const char *message)
{
	struct policy p = {0};
	struct policy_error err;

	memset(&err, 0xa5, sizeof(err));
	ck_assert_int_eq(policy_parse_buffer(&p, "t.conf", buf, len, &err), -1);
	ck_assert_str_eq(err.file, "t.conf");
	ck_assert_str_eq(err.message, message);
	ck_assert_uint_eq(err.line, line);
	ck_assert_uint_eq(err.column, col);
	ck_assert_uint_eq(p.nrules, 0);
	ck_assert_uint_eq(p.nfiles, 0);
	ck_assert_ptr_null(p.rules);
	ck_assert_ptr_null(p.files);
}

START_TEST(test_accept)
{
	const struct accept_case *c = &accepts[_i];
	struct policy p = {0};
	char *got = malloc(FMT_MAX);

	ck_assert_ptr_nonnull(got);
	parse_ok(&p, "t.conf", c->input, c->len);
	fmt_rules(&p, 0, got);
	ck_assert_str_eq(got, c->rules);
	for (size_t i = 0; i < p.nrules; i++) {
		ck_assert_uint_eq(p.nfiles, 1);
		ck_assert_ptr_eq(p.rules[i].file, p.files[0]);
		ck_assert_str_eq(p.rules[i].file, "t.conf");
		ck_assert_uint_eq(p.rules[i].flags & ~(unsigned)POLICY_ALL_FLAGS, 0);
	}
	if (p.nrules == 0)
		ck_assert_uint_eq(p.nfiles, 0);
	policy_free(&p);
	free(got);
}
END_TEST

START_TEST(test_reject)
{
	const struct reject_case *c = &rejects[_i];

	check_rejected(c->input, c->len, c->line, c->column, c->message);
}
END_TEST

/* A buffer of n copies of line. */
static char *repeat(const char *line, size_t n, size_t *len)
{
	size_t l = strlen(line);
	char *buf = malloc(l * n + 1);

	ck_assert_ptr_nonnull(buf);
	for (size_t i = 0; i < n; i++)
		memcpy(buf + i * l, line, l);
	buf[l * n] = '\0';
	*len = l * n;
	return buf;
}

/* "permit * on /" followed by 'a's up to exactly len bytes, plus tail. */
static char *long_line(size_t len, const char *tail)
{
	char *buf = malloc(len + strlen(tail) + 1);

	ck_assert_ptr_nonnull(buf);
	memset(buf, 'a', len);
	memcpy(buf, "permit * on /", 13);
	strcpy(buf + len, tail);
	return buf;
}

START_TEST(test_line_length)
{
	struct policy p = {0};
	char *buf = long_line(POLICY_MAX_LINE, "\npermit b\n");

	parse_ok(&p, "t.conf", buf, strlen(buf));
	ck_assert_uint_eq(p.nrules, 2);
	ck_assert_uint_eq(strlen(p.rules[0].on), POLICY_MAX_LINE - 12);
	free(buf);
	buf = long_line(POLICY_MAX_LINE, "");
	parse_ok(&p, "t.conf", buf, strlen(buf));
	ck_assert_uint_eq(p.nrules, 3);
	policy_free(&p);
	free(buf);
	buf = long_line(POLICY_MAX_LINE + 1, "\n");
	check_rejected(buf, strlen(buf), 1, POLICY_MAX_LINE + 1,
		       "line longer than 4096 bytes (comments included, newline not counted)");
	free(buf);
	buf = long_line(POLICY_MAX_LINE + 1, "");
	buf[0] = '#';
	check_rejected(buf, strlen(buf), 1, POLICY_MAX_LINE + 1,
		       "line longer than 4096 bytes (comments included, newline not counted)");
	/* A NUL past the limit: the length is what is reported. */
	buf[POLICY_MAX_LINE] = '\0';
	check_rejected(buf, POLICY_MAX_LINE + 1, 1, POLICY_MAX_LINE + 1,
		       "line longer than 4096 bytes (comments included, newline not counted)");
	free(buf);
	buf = long_line(POLICY_MAX_LINE, "\r\n");
	check_rejected(buf, strlen(buf), 1, POLICY_MAX_LINE + 1,
		       "line longer than 4096 bytes (comments included, newline not counted)");
	free(buf);
}
END_TEST

START_TEST(test_max_rules)
{
	struct policy p = {0};
	struct policy_error err;
	size_t len;
	char *buf = repeat("deny *\n", POLICY_MAX_RULES, &len);

	parse_ok(&p, "t.conf", buf, len);
	ck_assert_uint_eq(p.nrules, POLICY_MAX_RULES);
	ck_assert_int_eq(policy_parse_buffer(&p, "u.conf", "\n\npermit a\n", 11, &err), -1);
	ck_assert_str_eq(err.file, "u.conf");
	ck_assert_uint_eq(err.line, 3);
	ck_assert_uint_eq(err.column, 1);
	ck_assert_str_eq(err.message, "more than 10000 rules");
	ck_assert_uint_eq(p.nrules, POLICY_MAX_RULES);
	ck_assert_uint_eq(p.nfiles, 1);
	/* Comments and blank lines do not count. */
	ck_assert_int_eq(policy_parse_buffer(&p, "u.conf", "# c\n\n", 5, &err), 0);
	policy_free(&p);
	free(buf);
	buf = repeat("deny *\n", POLICY_MAX_RULES + 1, &len);
	check_rejected(buf, len, POLICY_MAX_RULES + 1, 1, "more than 10000 rules");
	free(buf);
}
END_TEST

/* Rules already in *p count: 9 999 + 2 is refused at the second new rule. */
START_TEST(test_max_rules_existing)
{
	struct policy p = {0};
	struct policy_error err;
	size_t len;
	char *buf = repeat("deny *\n", POLICY_MAX_RULES - 1, &len);

	parse_ok(&p, "a.conf", buf, len);
	ck_assert_int_eq(policy_parse_buffer(&p, "b.conf", "permit x\npermit y\n", 18, &err), -1);
	ck_assert_uint_eq(err.line, 2);
	ck_assert_str_eq(err.message, "more than 10000 rules");
	ck_assert_uint_eq(p.nrules, POLICY_MAX_RULES - 1);
	parse_ok(&p, "c.conf", "permit x\n", 9);
	ck_assert_uint_eq(p.nrules, POLICY_MAX_RULES);
	ck_assert_str_eq(p.rules[POLICY_MAX_RULES - 1].file, "c.conf");
	policy_free(&p);
	free(buf);
}
END_TEST

/* "permit * type t0,t1,...,t{n-1}" */
static void types_line(char *buf, size_t size, unsigned n)
{
	size_t pos = (size_t)snprintf(buf, size, "permit * type ");

	for (unsigned i = 0; i < n; i++)
		pos += (size_t)snprintf(buf + pos, size - pos, "%st%u", i ? "," : "", i);
}

START_TEST(test_max_types)
{
	struct policy p = {0};
	char buf[1024];
	size_t col;

	types_line(buf, sizeof(buf), POLICY_MAX_TYPES);
	parse_ok(&p, "t.conf", buf, strlen(buf));
	ck_assert_uint_eq(p.rules[0].ntypes, POLICY_MAX_TYPES);
	ck_assert_str_eq(p.rules[0].types[POLICY_MAX_TYPES - 1], "t63");
	policy_free(&p);
	types_line(buf, sizeof(buf), POLICY_MAX_TYPES + 1);
	col = (size_t)(strstr(buf, ",t64") - buf) + 2;
	check_rejected(buf, strlen(buf), 1, (unsigned)col, "more than 64 types in one rule");
}
END_TEST

START_TEST(test_name_length)
{
	struct policy p = {0};
	char buf[512];

	memset(buf, 0, sizeof(buf));
	memcpy(buf, "permit :", 8);
	memset(buf + 8, 'g', 255);
	parse_ok(&p, "t.conf", buf, strlen(buf));
	ck_assert_uint_eq(strlen(p.rules[0].who), 255);
	policy_free(&p);
	buf[8 + 255] = 'g';
	check_rejected(buf, strlen(buf), 1, 9, "group name longer than 255 bytes");
	memcpy(buf, "permit ", 7);
	buf[7] = 'u';
	check_rejected(buf, strlen(buf), 1, 8, "user name longer than 255 bytes");
}
END_TEST

/* An error in a later buffer leaves the earlier rules exactly as they were. */
START_TEST(test_all_or_nothing)
{
	static const char good[] = "permit a on /x\ndeny :g\n";
	static const char bad[] = "permit b\npermit c\nallow d\n";
	struct policy p = {0};
	struct policy_error err;
	char before[FMT_MAX], after[FMT_MAX];
	struct policy_rule *rules;

	parse_ok(&p, "good.conf", good, strlen(good));
	fmt_rules(&p, 0, before);
	rules = p.rules;
	ck_assert_int_eq(policy_parse_buffer(&p, "bad.conf", bad, strlen(bad), &err), -1);
	ck_assert_str_eq(err.file, "bad.conf");
	ck_assert_uint_eq(err.line, 3);
	ck_assert_uint_eq(p.nrules, 2);
	ck_assert_uint_eq(p.nfiles, 1);
	ck_assert_ptr_eq(p.rules, rules);
	fmt_rules(&p, 0, after);
	ck_assert_str_eq(before, after);
	ck_assert_str_eq(p.files[0], "good.conf");
	policy_free(&p);
}
END_TEST

START_TEST(test_append_files)
{
	struct policy p = {0};
	char got[FMT_MAX];

	parse_ok(&p, "/etc/a.conf", "permit a\n", 9);
	parse_ok(&p, "/etc/empty.conf", "# nothing\n", 10);
	parse_ok(&p, "/etc/b.conf", "\ndeny b\npermit c\n", 17);
	ck_assert_uint_eq(p.nrules, 3);
	ck_assert_uint_eq(p.nfiles, 2);
	ck_assert_str_eq(p.files[0], "/etc/a.conf");
	ck_assert_str_eq(p.files[1], "/etc/b.conf");
	ck_assert_ptr_eq(p.rules[0].file, p.files[0]);
	ck_assert_ptr_eq(p.rules[1].file, p.files[1]);
	ck_assert_ptr_eq(p.rules[2].file, p.files[1]);
	fmt_rules(&p, 0, got);
	ck_assert_str_eq(got, "1: permit a\n2: deny b\n3: permit c\n");
	policy_free(&p);
	ck_assert_uint_eq(p.nrules, 0);
	ck_assert_ptr_null(p.rules);
	policy_free(&p);
}
END_TEST

/* The caller's file string is copied: the rules outlive it. */
START_TEST(test_file_copied)
{
	struct policy p = {0};
	char name[] = "/etc/x.conf";

	parse_ok(&p, name, "permit a\n", 9);
	name[1] = 'X';
	ck_assert_str_eq(p.rules[0].file, "/etc/x.conf");
	ck_assert_ptr_ne(p.rules[0].file, name);
	policy_free(&p);
}
END_TEST

START_TEST(test_null_file_and_err)
{
	struct policy p = {0};
	struct policy_error err;

	ck_assert_int_eq(policy_parse_buffer(&p, NULL, "allow\n", 6, &err), -1);
	ck_assert_str_eq(err.file, "(buffer)");
	ck_assert_int_eq(policy_parse_buffer(&p, NULL, "permit a\n", 9, NULL), 0);
	ck_assert_str_eq(p.rules[0].file, "(buffer)");
	ck_assert_int_eq(policy_parse_buffer(&p, "x", "allow\n", 6, NULL), -1);
	ck_assert_uint_eq(p.nrules, 1);
	policy_free(&p);
}
END_TEST

/* The buffer need not be NUL-terminated: len is the end. */
START_TEST(test_not_terminated)
{
	struct policy p = {0};
	const char buf[] = {'p', 'e', 'r', 'm', 'i', 't', ' ', 'a', 'b', 'c'};

	parse_ok(&p, "t.conf", buf, 8);
	ck_assert_str_eq(p.rules[0].who, "a");
	policy_free(&p);
}
END_TEST

struct told {
	char text[FMT_MAX];
	size_t pos;
};

static void tell(const struct policy_error *e, void *arg)
{
	struct told *t = arg;

	append(t->text, &t->pos, "%s:%u:%u: %s\n", e->file, e->line, e->column, e->message);
}

/* --check-policy: every refused line is told, with its own line and column. */
START_TEST(test_check_every_error)
{
	static const char bad[] = "permit a on /x\n"
				  "allow b\n"
				  "# fine\n"
				  "permit * on relative\n"
				  "deny c\n"
				  "permit lazy lazy *\n"
				  "permit * on \"/unterminated\n"
				  "deny * type a,,b";
	struct told t = {.pos = 0};
	struct policy p = {0};

	ck_assert_uint_eq(policy_check_buffer(&p, "t.conf", bad, strlen(bad), tell, &t), 5);
	ck_assert_str_eq(t.text,
			 "t.conf:2:1: expected 'permit' or 'deny', got 'allow'\n"
			 "t.conf:4:13: pattern after 'on' must be absolute (start with '/'), "
			 "got 'relative'\n"
			 "t.conf:6:13: duplicate option 'lazy'\n"
			 "t.conf:7:13: unterminated quoted word (expected a closing '\"')\n"
			 "t.conf:8:15: empty item in type list (expected TYPE[,TYPE...])\n");
	/* all or nothing, as policy_parse_buffer(): the good lines are not kept */
	ck_assert_uint_eq(p.nrules, 0);
	ck_assert_uint_eq(p.nfiles, 0);
	t.pos = 0;
	t.text[0] = '\0';
	ck_assert_uint_eq(policy_check_buffer(&p, "ok.conf", BUF("permit a\ndeny b\n"), tell, &t),
			  0);
	ck_assert_str_eq(t.text, "");
	ck_assert_uint_eq(p.nrules, 2);
	policy_free(&p);
}
END_TEST

/* At the rule limit going on would only repeat it: told once, then stop. */
START_TEST(test_check_stops_at_rule_limit)
{
	struct told t = {.pos = 0};
	struct policy p = {0};
	size_t len;
	char *buf = repeat("deny *\n", POLICY_MAX_RULES + 3, &len);

	ck_assert_uint_eq(policy_check_buffer(&p, "t.conf", buf, len, tell, &t), 1);
	ck_assert_str_eq(t.text, "t.conf:10001:1: more than 10000 rules\n");
	ck_assert_uint_eq(p.nrules, 0);
	free(buf);
}
END_TEST

static char *read_example(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf = malloc(POLICY_MAX_LINE * 64);

	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_ptr_nonnull(buf);
	*len = fread(buf, 1, POLICY_MAX_LINE * 64, f);
	ck_assert(!ferror(f) && feof(f));
	fclose(f);
	return buf;
}

/* Every shipped example parses, and gives at least one rule. */
START_TEST(test_examples)
{
	const char *dir = UU_SOURCE_DIR "/policy/examples";
	DIR *d = opendir(dir);
	struct dirent *de;
	unsigned n = 0;

	ck_assert_msg(d != NULL, "cannot open %s (set UU_SOURCE_DIR)", dir);
	while ((de = readdir(d)) != NULL) {
		struct policy p = {0};
		char path[1024];
		size_t len, l = strlen(de->d_name);
		char *buf;

		if (l < 6 || strcmp(de->d_name + l - 5, ".conf") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		buf = read_example(path, &len);
		parse_ok(&p, path, buf, len);
		ck_assert_msg(p.nrules > 0, "%s has no rules", path);
		policy_free(&p);
		free(buf);
		n++;
	}
	closedir(d);
	ck_assert_uint_ge(n, 3);
}
END_TEST

/* The package's policy.conf: no rule as shipped, and each example rule,
 * uncommented, parses. */
START_TEST(test_shipped_policy)
{
	const char *path = UU_SOURCE_DIR "/debian/policy.conf";
	struct policy p = {0};
	size_t len, o = 0, n = 0;
	char *buf = read_example(path, &len), *un = malloc(len + 1);

	ck_assert_ptr_nonnull(un);
	parse_ok(&p, path, buf, len);
	ck_assert_uint_eq(p.nrules, 0);
	for (size_t i = 0; i < len; i++) {
		bool bol = i == 0 || buf[i - 1] == '\n';

		if (bol &&
		    (strncmp(buf + i, "#permit ", 8) == 0 || strncmp(buf + i, "#deny ", 6) == 0)) {
			n++;
			continue;
		}
		un[o++] = buf[i];
	}
	un[o] = '\0';
	parse_ok(&p, path, un, o);
	ck_assert_uint_ge(n, 4);
	ck_assert_uint_eq(p.nrules, n);
	policy_free(&p);
	free(un);
	free(buf);
}
END_TEST

static Suite *parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("table");
	TCase *lim = tcase_create("limits");
	TCase *api = tcase_create("api");

	tcase_add_loop_test(tc, test_accept, 0, sizeof(accepts) / sizeof(accepts[0]));
	tcase_add_loop_test(tc, test_reject, 0, sizeof(rejects) / sizeof(rejects[0]));
	suite_add_tcase(s, tc);
	tcase_set_timeout(lim, 60);
	tcase_add_test(lim, test_line_length);
	tcase_add_test(lim, test_max_rules);
	tcase_add_test(lim, test_max_rules_existing);
	tcase_add_test(lim, test_max_types);
	tcase_add_test(lim, test_name_length);
	suite_add_tcase(s, lim);
	tcase_add_test(api, test_all_or_nothing);
	tcase_add_test(api, test_append_files);
	tcase_add_test(api, test_file_copied);
	tcase_add_test(api, test_null_file_and_err);
	tcase_add_test(api, test_not_terminated);
	tcase_add_test(api, test_examples);
	tcase_add_test(api, test_shipped_policy);
	tcase_add_test(api, test_check_every_error);
	tcase_add_test(lim, test_check_stops_at_rule_limit);
	suite_add_tcase(s, api);
	return s;
}

int main(void)
{
	return uu_run_suite(parse_suite());
}
