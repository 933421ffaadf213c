/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_confine.c — the CPU-list parser that the affinity read-back trusts:
 * the kernel's forms parse to exactly their CPUs; anything else is refused
 * (a wrong parse would accept an affinity narrower than the cpuset).
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>

#include "confine.h"
#include "suite.h"

#define BITS 128
#define PER  (sizeof(unsigned long) * CHAR_BIT)

static int count(const unsigned long *m)
{
	int n = 0;

	for (size_t i = 0; i < BITS; i++)
		n += (m[i / PER] >> (i % PER)) & 1;
	return n;
}

static bool has(const unsigned long *m, size_t c)
{
	return (m[c / PER] >> (c % PER)) & 1;
}

START_TEST(test_forms)
{
	unsigned long m[BITS / PER];

	ck_assert_int_eq(confine_parse_cpulist("0-3,8,10-11\n", m, BITS), 0);
	ck_assert_int_eq(count(m), 7);
	ck_assert(has(m, 0) && has(m, 3) && has(m, 8) && has(m, 11) && !has(m, 9));
	ck_assert_int_eq(confine_parse_cpulist("5", m, BITS), 0);
	ck_assert_int_eq(count(m), 1);
	ck_assert_int_eq(confine_parse_cpulist("\n", m, BITS), 0);
	ck_assert_int_eq(count(m), 0);
	ck_assert_int_eq(confine_parse_cpulist("127", m, BITS), 0);
	ck_assert(has(m, 127));
}
END_TEST

static const char *const bad[] = {
    "0-", "-1", "3-1", "0,,1", "0,", "a", "0 1", "1\n\n", "0-2x", " 0",
};

START_TEST(test_bad)
{
	unsigned long m[BITS / PER];

	ck_assert_int_eq(confine_parse_cpulist(bad[_i], m, BITS), -EINVAL);
}
END_TEST

START_TEST(test_range)
{
	unsigned long m[BITS / PER];

	ck_assert_int_eq(confine_parse_cpulist("128", m, BITS), -ERANGE);
	ck_assert_int_eq(confine_parse_cpulist("0-200", m, BITS), -ERANGE);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("confine");
	TCase *tc = tcase_create("cpulist");

	tcase_add_test(tc, test_forms);
	tcase_add_loop_test(tc, test_bad, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_range);
	suite_add_tcase(s, tc);
	return uu_run_suite(s);
}
