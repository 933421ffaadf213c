/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_privs.c — every privilege phase (docs/DESIGN.md's table), read back
 * from /proc/self/status (not from libcap, which the code under test
 * uses), and whether a process of the caller's uid can signal us in it.
 * Needs root; each test runs in its own fork (Check's fork mode).
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>
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

#define CAP_SETPCAP_BIT (1ULL << 8)
#define MAIN_KEEP_BITS  (CAP_SYS_ADMIN_BIT | CAP_SETPCAP_BIT | 1ULL << 2 /* CAP_DAC_READ_SEARCH */)

static void expect_uids(unsigned long r, unsigned long e, unsigned long s, unsigned long fs)
{
	unsigned long uids[4] = {0};

	status_ids("Uid", uids);
	ck_assert_uint_eq(uids[0], r);
	ck_assert_uint_eq(uids[1], e);
	ck_assert_uint_eq(uids[2], s);
	ck_assert_uint_eq(uids[3], fs);
}

static bool need_root(const char *name)
{
	if (geteuid() == 0)
		return true;
	printf("SKIP %s: needs root\n", name);
	return false;
}

/* Can a process with every uid NOBODY signal pid? (kill(pid, 0): no signal sent) */
static bool nobody_can_signal(pid_t pid)
{
	int status;
	pid_t child = fork();

	ck_assert_int_ge(child, 0);
	if (child == 0) {
		if (setresuid(NOBODY, NOBODY, NOBODY) < 0)
			_exit(2);
		_exit(kill(pid, 0) == 0 ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) != 2);
	return WEXITSTATUS(status) == 0;
}

/* A setuid-root exec by NOBODY: real uid and all gids NOBODY's, euid 0. */
static void as_after_setuid_exec(void)
{
	ck_assert_int_eq(setgroups(0, NULL), 0);
	ck_assert_int_eq(setresgid(NOBODY, NOBODY, NOBODY), 0);
	ck_assert_int_eq(setresuid(NOBODY, 0, 0), 0);
}

/* The main process after narrowing: real and saved uid 0 (the caller
 * cannot signal it), effective and fs uid the caller's, CAP_SYS_ADMIN and
 * CAP_SETPCAP permitted, nothing effective, bounding set the same two. */
START_TEST(test_main_narrowed)
{
	if (!need_root("test_main_narrowed"))
		return;
	as_after_setuid_exec();
	ck_assert(nobody_can_signal(getpid()));
	ck_assert_int_eq(privs_narrow_main(NOBODY), 0);
	expect_uids(0, NOBODY, 0, NOBODY);
	ck_assert_uint_eq(status_hex("CapPrm"), MAIN_KEEP_BITS);
	ck_assert_uint_eq(status_hex("CapEff"), 0);
	ck_assert_uint_eq(status_hex("CapInh"), 0);
	ck_assert_uint_eq(status_hex("CapBnd"), MAIN_KEEP_BITS);
	ck_assert_uint_eq(status_hex("CapAmb"), 0);
	ck_assert(!nobody_can_signal(getpid()));
	ck_assert_int_eq(privs_fs_root(), 0);
	expect_uids(0, NOBODY, 0, 0);
	ck_assert_uint_eq(status_hex("CapEff"), 0);
	ck_assert_int_eq(privs_fs_caller(NOBODY), 0);
	expect_uids(0, NOBODY, 0, NOBODY);
}
END_TEST

/* The unmount child: still unsignalable, CAP_SYS_ADMIN alone, nothing to
 * regain. */
START_TEST(test_unmount_child)
{
	if (!need_root("test_unmount_child"))
		return;
	as_after_setuid_exec();
	ck_assert_int_eq(privs_narrow_main(NOBODY), 0);
	ck_assert_int_eq(privs_unmount_child(NOBODY), 0);
	expect_uids(0, NOBODY, 0, NOBODY);
	ck_assert_uint_eq(status_hex("CapPrm"), CAP_SYS_ADMIN_BIT);
	ck_assert_uint_eq(status_hex("CapEff"), CAP_SYS_ADMIN_BIT);
	ck_assert_uint_eq(status_hex("CapInh"), 0);
	ck_assert_uint_eq(status_hex("CapBnd"), 0);
	ck_assert_uint_eq(status_hex("CapAmb"), 0);
	ck_assert_uint_eq(status_hex("NoNewPrivs"), 1);
	ck_assert(!nobody_can_signal(getpid()));
}
END_TEST

/* The resolver child and the main process at the end: the caller, with
 * nothing left. */
static void expect_caller_for_good(void)
{
	unsigned long gids[4] = {0};

	expect_uids(NOBODY, NOBODY, NOBODY, NOBODY);
	status_ids("Gid", gids);
	for (int i = 0; i < 4; i++)
		ck_assert_uint_eq(gids[i], NOBODY);
	ck_assert_uint_eq(status_hex("CapPrm"), 0);
	ck_assert_uint_eq(status_hex("CapEff"), 0);
	ck_assert_uint_eq(status_hex("CapAmb"), 0);
	ck_assert_uint_eq(status_hex("NoNewPrivs"), 1);
	ck_assert_int_ne(setuid(0), 0);
	ck_assert_int_ne(setresuid(0, 0, 0), 0);
	ck_assert_int_ne(setgid(0), 0);
}

START_TEST(test_become_caller)
{
	if (!need_root("test_become_caller"))
		return;
	as_after_setuid_exec();
	ck_assert_int_eq(privs_narrow_main(NOBODY), 0);
	ck_assert_int_eq(privs_become_caller(NOBODY, NOBODY), 0);
	expect_caller_for_good();
}
END_TEST

START_TEST(test_drop_for_good)
{
	if (!need_root("test_drop_for_good"))
		return;
	as_after_setuid_exec();
	ck_assert_int_eq(privs_narrow_main(NOBODY), 0);
	ck_assert_int_eq(privs_drop_for_good(NOBODY, NOBODY), 0);
	expect_caller_for_good();
	ck_assert_uint_eq(status_hex("CapBnd"), 0);
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

	tcase_add_test(tc, test_main_narrowed);
	tcase_add_test(tc, test_unmount_child);
	tcase_add_test(tc, test_become_caller);
	tcase_add_test(tc, test_drop_for_good);
	tcase_add_test(tc, test_check_as_root);
	suite_add_tcase(s, tc);
	return uu_run_suite(s);
}
