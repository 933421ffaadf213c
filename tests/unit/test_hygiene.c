/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_hygiene.c — what the helper inherits is replaced: fds 0-2 reopened
 * on /dev/null, other fds closed, environment empty, umask, signal
 * dispositions and mask reset, non-dumpable; SIGXFSZ ignored after
 * hygiene_limits().
 */
#define _GNU_SOURCE
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "hygiene.h"
#include "suite.h"

extern char **environ;

static void assert_dev_null(int fd)
{
	struct stat st;

	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert(S_ISCHR(st.st_mode));
	ck_assert_uint_eq(major(st.st_rdev), 1);
	ck_assert_uint_eq(minor(st.st_rdev), 3);
}

START_TEST(test_closed_std_fds_reopened)
{
	int keep = dup(2); /* Check reports through its own pipe, not fd 2 */

	(void)keep;
	close(0);
	close(1);
	close(2);
	ck_assert_int_eq(hygiene_process(), 0);
	assert_dev_null(0);
	assert_dev_null(1);
	assert_dev_null(2);
}
END_TEST

START_TEST(test_other_fds_closed)
{
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_ge(dup2(p[0], 42), 0);
	ck_assert_int_eq(hygiene_process(), 0);
	ck_assert_int_eq(fcntl(p[0], F_GETFD), -1);
	ck_assert_int_eq(fcntl(p[1], F_GETFD), -1);
	ck_assert_int_eq(fcntl(42, F_GETFD), -1);
}
END_TEST

START_TEST(test_environment_umask_signals)
{
	sigset_t blocked, now;
	struct sigaction sa;

	setenv("LIBMOUNT_FSTAB", "/tmp/evil", 1);
	setenv("LD_PRELOAD", "/tmp/evil.so", 1);
	umask(0);
	signal(SIGCHLD, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	sigemptyset(&blocked);
	sigaddset(&blocked, SIGINT);
	sigprocmask(SIG_BLOCK, &blocked, NULL);
	ck_assert_int_eq(hygiene_process(), 0);
	ck_assert(environ == NULL || environ[0] == NULL);
	ck_assert_ptr_null(getenv("LIBMOUNT_FSTAB"));
	ck_assert_uint_eq(umask(022), 022);
	ck_assert_int_eq(sigaction(SIGCHLD, NULL, &sa), 0);
	ck_assert(sa.sa_handler == SIG_DFL);
	ck_assert_int_eq(sigaction(SIGTERM, NULL, &sa), 0);
	ck_assert(sa.sa_handler == SIG_DFL);
	sigprocmask(SIG_SETMASK, NULL, &now);
	ck_assert(!sigismember(&now, SIGINT));
	ck_assert_int_eq(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}
END_TEST

START_TEST(test_limits_ignore_sigxfsz)
{
	struct sigaction sa;
	char msg[256];

	ck_assert_int_eq(hygiene_limits(msg, sizeof(msg)), 0);
	ck_assert_int_eq(sigaction(SIGXFSZ, NULL, &sa), 0);
	ck_assert(sa.sa_handler == SIG_IGN);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hygiene");
	TCase *tc = tcase_create("hygiene");

	tcase_add_test(tc, test_closed_std_fds_reopened);
	tcase_add_test(tc, test_other_fds_closed);
	tcase_add_test(tc, test_environment_umask_signals);
	tcase_add_test(tc, test_limits_ignore_sigxfsz);
	suite_add_tcase(s, tc);
	return uu_run_suite(s);
}
