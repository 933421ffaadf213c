/*
 * test_utab.c — utab line parsing: escapes, unknown keys, duplicates and
 * malformed lines (a forged or broken line must never parse as an entry).
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utab.h"
#include "suite.h"

START_TEST(test_plain)
{
	char line[] = "SRC=tmpfs TARGET=/tmp/m ROOT=/ OPTS=user=uualice";
	struct utab_entry e;

	ck_assert_int_eq(utab_parse_line(line, &e), 0);
	ck_assert_str_eq(e.src, "tmpfs");
	ck_assert_str_eq(e.target, "/tmp/m");
	ck_assert_str_eq(e.root, "/");
	ck_assert_str_eq(e.opts, "user=uualice");
	ck_assert_ptr_null(e.id);
}
END_TEST

START_TEST(test_escapes)
{
	char line[] = "ID=42 SRC=a\\040b TARGET=/m\\040x\\011y\\012z\\134w OPTS=user=x ATTRS=foo";
	struct utab_entry e;

	ck_assert_int_eq(utab_parse_line(line, &e), 0);
	ck_assert_str_eq(e.src, "a b");
	ck_assert_str_eq(e.target, "/m x\ty\nz\\w");
	ck_assert_str_eq(e.id, "42");
}
END_TEST

static const char *const bad[] = {
    "SRC=x",               /* no TARGET */
    "TARGET=/a TARGET=/b", /* duplicate key */
    "TARGET=/a\\04",       /* short escape */
    "TARGET=/a\\400",      /* escape over 0377 */
    "TARGET=/a\\x41",      /* not octal */
    "TARGET=/a garbage",   /* token without '=' */
    "=x TARGET=/a",        /* empty key */
    "",
};

START_TEST(test_bad)
{
	char line[128];
	struct utab_entry e;

	snprintf(line, sizeof(line), "%s", bad[_i]);
	ck_assert_int_eq(utab_parse_line(line, &e), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("utab");
	TCase *tc = tcase_create("utab");

	tcase_add_test(tc, test_plain);
	tcase_add_test(tc, test_escapes);
	tcase_add_loop_test(tc, test_bad, 0, sizeof(bad) / sizeof(bad[0]));
	suite_add_tcase(s, tc);
	return uu_run_suite(s);
}
