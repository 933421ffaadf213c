/*
 * test_privs.c — the unmount child's privilege state, read back from
 * /proc/self/status (not from libcap, which the code under test uses):
 * CAP_SYS_ADMIN permitted and effective and nothing else, empty bounding,
 * inheritable and ambient sets, every uid and gid the caller's,
 * no_new_privs set. Needs root.
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "privs.h"
#include "suite.h"

#define NOBODY            65534
#define CAP_SYS_ADMIN_BIT (1ULL << 21)

static unsigned long long status_hex(const char *key)
{
	char line[256];
	unsigned long long v = ~0ULL;
	size_t klen = strlen(key);
	FILE *f = fopen("/proc/self/status", "r");

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, klen) == 0 && line[klen] == ':')
			v = strtoull(line + klen + 1, NULL, 16);
	fclose(f);
	return v;
}

static void status_ids(const char *key, unsigned long ids[4])
{
	char line[256];
	size_t klen = strlen(key);
	FILE *f = fopen("/proc/self/status", "r");

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, klen) == 0 && line[klen] == ':')
			ck_assert_int_eq(sscanf(line + klen + 1, "%lu %lu %lu %lu", &ids[0],
						&ids[1], &ids[2], &ids[3]),
					 4);
	fclose(f);
}

static void narrow(void)
{
	ck_assert_int_eq(privs_drop_bounding_set(), 0);
	ck_assert_int_eq(privs_keep_only_sys_admin(NOBODY, NOBODY), 0);
	ck_assert_int_eq(privs_no_new_privs(), 0);
}

START_TEST(test_only_sys_admin)
{
	unsigned long uids[4] = {0}, gids[4] = {0};

	if (geteuid() != 0) {
		printf("SKIP test_only_sys_admin: needs root\n");
		return;
	}
	narrow();
	ck_assert_uint_eq(status_hex("CapPrm"), CAP_SYS_ADMIN_BIT);
	ck_assert_uint_eq(status_hex("CapEff"), CAP_SYS_ADMIN_BIT);
	ck_assert_uint_eq(status_hex("CapInh"), 0);
	ck_assert_uint_eq(status_hex("CapBnd"), 0);
	ck_assert_uint_eq(status_hex("CapAmb"), 0);
	ck_assert_uint_eq(status_hex("NoNewPrivs"), 1);
	status_ids("Uid", uids);
	status_ids("Gid", gids);
	for (int i = 0; i < 4; i++) {
		ck_assert_uint_eq(uids[i], NOBODY);
		ck_assert_uint_eq(gids[i], NOBODY);
	}
}
END_TEST

/* The bounding set must be dropped first: after the uid switch it cannot. */
START_TEST(test_no_way_back_to_root)
{
	if (geteuid() != 0) {
		printf("SKIP test_no_way_back_to_root: needs root\n");
		return;
	}
	narrow();
	ck_assert_int_ne(setuid(0), 0);
	ck_assert_int_ne(setresuid(0, 0, 0), 0);
	ck_assert_int_ne(setgid(0), 0);
}
END_TEST

START_TEST(test_check_as_root)
{
	if (geteuid() != 0) {
		ck_assert_int_eq(privs_check(), PRIVS_NOT_SETUID);
		return;
	}
	ck_assert_int_eq(privs_check(), PRIVS_OK);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("privs");
	TCase *tc = tcase_create("privs");

	tcase_add_test(tc, test_only_sys_admin);
	tcase_add_test(tc, test_no_way_back_to_root);
	tcase_add_test(tc, test_check_as_root);
	suite_add_tcase(s, tc);
	return uu_run_suite(s);
}
