/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_options.c — the command line: accepted forms and every usage error
 * with its message.
 */
#define _GNU_SOURCE
#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "policy.h"
#include "suite.h"

struct ocase {
	const char *argv[8];
	int ok;
	const char *msg; /* expected message when !ok */
	size_t ntargets;
};

static const struct ocase cases[] = {
    {{"u", "/mnt", NULL}, 1, NULL, 1},
    {{"u", "-v", "/a", "/b", NULL}, 1, NULL, 2},
    {{"u", "-q", "--", "-weird", NULL}, 1, NULL, 1},
    {{"u", "--verbose", "--quiet", "/a", NULL}, 1, NULL, 1},
    {{"u", NULL}, 0, "no TARGET given (try --help)", 0},
    {{"u", "-v", NULL}, 0, "no TARGET given (try --help)", 0},
    {{"u", "", NULL}, 0, "empty TARGET", 0},
    {{"u", "/a", "", NULL}, 0, "empty TARGET", 0},
    {{"u", "-x", "/a", NULL}, 0, "unknown option '-x'", 0},
    {{"u", "--bogus", "/a", NULL}, 0, "unknown option '--bogus'", 0},
    {{"u", "--verbose=1", "/a", NULL}, 0, "unknown option '--verbose=1'", 0},
    /* target first: a later "-v" is a TARGET, never an option */
    {{"u", "/a", "-v", NULL}, 1, NULL, 2},
    {{"u", "-u", "-q", "-z", "--", "/a", NULL}, 1, NULL, 1},
    {{"u", "--lazy", "--force", "--recursive", "--dry-run", "--json", "/a", NULL}, 1, NULL, 1},
    {{"u", "-e", "-l", "/a", NULL}, 0, "--expire cannot be combined with --lazy or --force", 0},
    {{"u", "--force", "--expire", "/a", NULL},
     0,
     "--expire cannot be combined with --lazy or --force",
     0},
    {{"u", "-z", "-e", "/a", NULL}, 0, "--expire cannot be combined with --lazy or --force", 0},
    /* umount(8)'s -d and -i: accepted, nothing more to do */
    {{"u", "-d", "-i", "/a", NULL}, 1, NULL, 1},
    {{"u", "--detach-loop", "--internal-only", "-q", "/a", NULL}, 1, NULL, 1},
    {{"u", "-di", "/a", "/b", NULL}, 1, NULL, 2},
    /* refused, each with what user-umount does instead */
    {{"u", "-n", "/a", NULL}, 0, "-n/--no-mtab is not supported: utab is always updated", 0},
    {{"u", "--no-canonicalize", "/a", NULL},
     0,
     "-c/--no-canonicalize is not supported: TARGET is always resolved as you, never "
     "canonicalized; mounts are matched by ID",
     0},
    {{"u", "-r", "/a", NULL},
     0,
     "-r/--read-only is not supported: a mount that cannot be unmounted is left as it is, "
     "never remounted",
     0},
    {{"u", "-t", "ext4", "/a", NULL},
     0,
     "-t/--types is not supported: name each TARGET; the file system type is checked against "
     "fstab",
     0},
    {{"u", "--types=ext4", "/a", NULL},
     0,
     "-t/--types is not supported: name each TARGET; the file system type is checked against "
     "fstab",
     0},
    {{"u", "-t", NULL},
     0,
     "-t/--types is not supported: name each TARGET; the file system type is checked against "
     "fstab",
     0},
    {{"u", "-a", NULL}, 0, "-a/--all is not supported: name each TARGET (-R unmounts a tree)", 0},
    {{"u", "-A", "/dev/sdb1", NULL},
     0,
     "-A/--all-targets is not supported: name one mount point; a device mounted in several "
     "places is listed, not unmounted",
     0},
    {{"u", "--fake", "/a", NULL}, 0, "--fake is not supported: use --dry-run", 0},
    {{"u", "-O", "noauto", NULL}, 0, "-O/--test-opts is not supported: name each TARGET", 0},
    {{"u", "-N", "1", "/a", NULL},
     0,
     "-N/--namespace is not supported: only mounts of your own mount namespace are unmounted",
     0},
    {{"u", "-u", "-o", "rw", "/a", NULL},
     0,
     "-o is not supported: user-umount only unmounts; mount options are mount(8)'s and "
     "fusermount3's",
     0},
};

START_TEST(test_table)
{
	const struct ocase *c = &cases[_i];
	struct options o;
	char msg[256] = "";
	int argc = 0;

	while (c->argv[argc])
		argc++;
	int r = options_parse(argc, (char **)c->argv, &o, msg, sizeof(msg));
	if (c->ok) {
		ck_assert_msg(r == 0, "case %d: %s", _i, msg);
		ck_assert_uint_eq(o.ntargets, c->ntargets);
	} else {
		ck_assert_int_eq(r, -1);
		ck_assert_str_eq(msg, c->msg);
	}
}
END_TEST

START_TEST(test_help_version)
{
	const char *h[] = {"u", "--help", NULL}, *v[] = {"u", "-V", NULL};
	struct options o;
	char msg[256];

	ck_assert_int_eq(options_parse(2, (char **)h, &o, msg, sizeof(msg)), 0);
	ck_assert_int_eq(o.action, OPTIONS_HELP);
	ck_assert_int_eq(options_parse(2, (char **)v, &o, msg, sizeof(msg)), 0);
	ck_assert_int_eq(o.action, OPTIONS_VERSION);
}
END_TEST

START_TEST(test_alone)
{
	const char *yes[][2] = {{"-h", "h"}, {"--help", "h"}, {"-V", "v"}, {"--version", "v"}};
	const char *no[] = {"--vers", "--help=x", "-Vv", "-hV", "-v", "--", "", "-V ", "--HELP"};
	const char *two[] = {"u", "-V", "-V", NULL}, *none[] = {"u", NULL};

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		const char *a[] = {"u", yes[i][0], NULL};

		ck_assert_int_eq(options_alone(2, (char **)a),
				 yes[i][1][0] == 'h' ? OPTIONS_HELP : OPTIONS_VERSION);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		const char *a[] = {"u", no[i], NULL};

		ck_assert_msg(options_alone(2, (char **)a) == OPTIONS_RUN, "'%s'", no[i]);
	}
	ck_assert_int_eq(options_alone(3, (char **)two), OPTIONS_RUN);
	ck_assert_int_eq(options_alone(1, (char **)none), OPTIONS_RUN);
	ck_assert_int_eq(options_alone(0, (char **)none), OPTIONS_RUN);
}
END_TEST

START_TEST(test_flags)
{
	const char *a[] = {"u", "-u", "-q", "-z", "--", "/a", NULL};
	const char *b[] = {"u", "-lfR", "--dry-run", "--json", "/a", NULL};
	const char *c[] = {"u", "-e", "/a", NULL};
	struct options o;
	char msg[256];

	ck_assert_int_eq(options_parse(6, (char **)a, &o, msg, sizeof(msg)), 0);
	ck_assert_uint_eq(o.flags, POLICY_LAZY);
	ck_assert(o.quiet);
	ck_assert_str_eq(o.targets[0], "/a");
	ck_assert_int_eq(options_parse(5, (char **)b, &o, msg, sizeof(msg)), 0);
	ck_assert_uint_eq(o.flags, POLICY_LAZY | POLICY_FORCE);
	ck_assert(o.recursive && o.dry_run && o.json);
	ck_assert_int_eq(options_parse(3, (char **)c, &o, msg, sizeof(msg)), 0);
	ck_assert_uint_eq(o.flags, POLICY_EXPIRE);
}
END_TEST

START_TEST(test_path_max)
{
	static char longpath[PATH_MAX + 2];
	const char *argv[] = {"u", longpath, NULL};
	struct options o;
	char msg[256];

	memset(longpath, 'a', PATH_MAX);
	longpath[0] = '/';
	ck_assert_int_eq(options_parse(2, (char **)argv, &o, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "TARGET 1 is longer than PATH_MAX (4096 bytes)");
	longpath[PATH_MAX - 1] = '\0';
	ck_assert_int_eq(options_parse(2, (char **)argv, &o, msg, sizeof(msg)), 0);
}
END_TEST

/* --list, --check-policy, --id (issue 13). */
START_TEST(test_api_actions)
{
	const char *list[] = {"u", "--list", "--json", "-v", NULL};
	const char *list_t[] = {"u", "--list", "/a", NULL}, *list_f[] = {"u", "-l", "--list", NULL};
	const char *check0[] = {"u", "--check-policy", NULL};
	const char *check[] = {"u", "--check-policy", "-v", "a.conf", "", NULL};
	const char *check_j[] = {"u", "--check-policy", "--json", NULL};
	const char *id[] = {"u", "--id", "-l", "123", NULL}, *id0[] = {"u", "--id", NULL};
	struct options o;
	char msg[256];

	ck_assert_int_eq(options_parse(4, (char **)list, &o, msg, sizeof(msg)), 0);
	ck_assert(o.action == OPTIONS_LIST && o.json && o.verbose && o.ntargets == 0);
	ck_assert_int_eq(options_parse(3, (char **)list_t, &o, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "--list takes no TARGET and no unmount option");
	ck_assert_int_eq(options_parse(3, (char **)list_f, &o, msg, sizeof(msg)), -1);
	ck_assert_int_eq(options_parse(2, (char **)check0, &o, msg, sizeof(msg)), 0);
	ck_assert(o.action == OPTIONS_CHECK_POLICY && o.ntargets == 0);
	ck_assert_int_eq(options_parse(4, (char **)check, &o, msg, sizeof(msg)), 0);
	ck_assert(o.ntargets == 1 && o.verbose);
	ck_assert_int_eq(options_parse(5, (char **)check, &o, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "empty TARGET");
	ck_assert_int_eq(options_parse(3, (char **)check_j, &o, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "--check-policy takes only -v, -q and FILEs");
	ck_assert_int_eq(options_parse(4, (char **)id, &o, msg, sizeof(msg)), 0);
	ck_assert(o.action == OPTIONS_RUN && o.by_id && o.flags == POLICY_LAZY && o.ntargets == 1);
	ck_assert_int_eq(options_parse(2, (char **)id0, &o, msg, sizeof(msg)), -1);
	ck_assert_str_eq(msg, "no TARGET given (try --help)");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("options");

	tcase_add_loop_test(tc, test_table, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_help_version);
	tcase_add_test(tc, test_alone);
	tcase_add_test(tc, test_api_actions);
	tcase_add_test(tc, test_path_max);
	tcase_add_test(tc, test_flags);
	suite_add_tcase(s, tc);
	return uu_run_suite(s);
}
