/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * suite.h — run one Check suite in fork mode (a seccomp kill or a crash is
 * then a test result) and turn the outcome into an exit status.
 */
#ifndef USER_UMOUNT_TEST_SUITE_H
#define USER_UMOUNT_TEST_SUITE_H

#include <check.h>
#include <stdlib.h>

static inline int uu_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
