/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_report.c — the pieces of the --json API and the report that need no
 * mount: reason codes from outcomes, "allowed" names, the v1 envelope and
 * the fatal-error document, the --json scan of argv, --id's ID parser.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "byid.h"
#include "policy.h"
#include "report.h"
#include "suite.h"

/* Run fn with stdout redirected to a buffer; returns the bytes (malloc'ed). */
static char *capture(void (*fn)(void *), void *arg)
{
	char path[] = "/tmp/uu-test-report.XXXXXX", *buf = calloc(1, 65536);
	int fd = mkstemp(path), saved = dup(1);
	FILE *f;

	ck_assert(fd >= 0 && saved >= 0 && buf);
	fflush(stdout);
	dup2(fd, 1);
	fn(arg);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	f = fdopen(fd, "r");
	rewind(f);
	ck_assert(fread(buf, 1, 65535, f) < 65535);
	fclose(f);
	unlink(path);
	return buf;
}

START_TEST(test_reason_from_outcome)
{
	struct report r = {0};

	r.outcome = OUTCOME_BUSY;
	ck_assert_str_eq(report_reason(&r), "busy");
	r.outcome = OUTCOME_NOT_MOUNTED;
	ck_assert_str_eq(report_reason(&r), "not-mounted");
	r.outcome = OUTCOME_UNMOUNTED;
	ck_assert_str_eq(report_reason(&r), "error"); /* never an empty code */
	r.entitlement = "fstab-users";
	ck_assert_str_eq(report_reason(&r), "fstab-users");
	r.outcome = OUTCOME_ERROR;
	ck_assert_str_eq(report_reason(&r), "error");
	r.reason = "changed";
	ck_assert_str_eq(report_reason(&r), "changed");
	/* errno outcomes name their own code, or leave it to the outcome */
	report_set_errno(&r, EACCES);
	ck_assert_str_eq(report_reason(&r), "access");
	report_set_errno(&r, EBUSY);
	ck_assert_str_eq(report_reason(&r), "busy");
	report_set_errno(&r, ENOENT);
	ck_assert_str_eq(report_reason(&r), "no-such-path");
	report_set_errno(&r, EXDEV);
	ck_assert_str_eq(report_reason(&r), "error");
}
END_TEST

START_TEST(test_allowed_describe)
{
	char buf[64];

	ck_assert_str_eq(report_allowed_describe(0, buf, sizeof(buf)), "-");
	ck_assert_str_eq(report_allowed_describe(REPORT_ALLOW_PLAIN | REPORT_ALLOW_EXPIRE |
						     REPORT_ALLOW_RECURSIVE,
						 buf, sizeof(buf)),
			 "plain,expire,recursive");
	ck_assert_str_eq(report_allowed_describe(0x1f, buf, sizeof(buf)),
			 "plain,lazy,force,expire,recursive");
}
END_TEST

static void one_result(void *arg)
{
	report_json_begin();
	report_json_result(arg);
	report_json_end();
}

START_TEST(test_json_v1_document)
{
	struct report r = {.target = "/m", .source = "src", .fstype = "tmpfs"};
	char *out;

	r.mount_point = "/m";
	r.mount_id = 18446744073709551615ULL;
	r.outcome = OUTCOME_LISTED;
	r.entitlement = "fuse-owner";
	r.allowed = REPORT_ALLOW_PLAIN | REPORT_ALLOW_FORCE;
	snprintf(r.rule, sizeof(r.rule), "FUSE user_id");
	out = capture(one_result, &r);
	ck_assert_str_eq(
	    out, "{\"version\":1,\"results\":[{\"target\":\"/m\",\"mount_point\":\"/m\","
		 "\"mount_id\":18446744073709551615,\"source\":\"src\",\"fstype\":\"tmpfs\","
		 "\"result\":\"listed\",\"reason\":\"fuse-owner\",\"rule\":\"FUSE user_id\","
		 "\"flags\":[],\"allowed\":[\"plain\",\"force\"],\"errno\":null,"
		 "\"message\":null,\"holders\":[]}],\"error\":null}\n");
	free(out);
	r.mount_id = 0;
	r.mount_point = NULL;
	out = capture(one_result, &r);
	ck_assert_ptr_nonnull(strstr(out, "\"mount_point\":null,\"mount_id\":null,"));
	free(out);
}
END_TEST

static void fatal_doc(void *arg)
{
	(void)arg;
	report_json_mode(true);
	ck_assert_int_eq(report_fail("policy", EXIT_USAGE, "p.conf:1:10: got '%s'", "a\"b"),
			 EXIT_USAGE);
	report_json_mode(false);
	ck_assert_int_eq(report_fail("usage", EXIT_USAGE, "text only"), EXIT_USAGE);
}

START_TEST(test_fatal_error_document)
{
	char *out = capture(fatal_doc, NULL);

	ck_assert_str_eq(out, "{\"version\":1,\"results\":[],\"error\":{\"code\":\"policy\","
			      "\"message\":\"p.conf:1:10: got 'a\\\"b'\",\"exit\":1}}\n");
	free(out);
}
END_TEST

START_TEST(test_argv_wants_json)
{
	char *a[] = {"uu", "-l", "--json", "x", NULL};
	char *b[] = {"uu", "-Z", "--js", NULL};
	char *c[] = {"uu", "--", "--json", NULL};
	char *d[] = {"uu", "--jsonx", "--j", "--", NULL};
	char *e[] = {"uu", "--list", NULL};

	ck_assert(report_argv_wants_json(4, a));
	ck_assert(report_argv_wants_json(3, b));
	ck_assert(!report_argv_wants_json(3, c));
	ck_assert(report_argv_wants_json(4, d)); /* "--j": getopt's prefix of --json */
	ck_assert(!report_argv_wants_json(2, e));
}
END_TEST

START_TEST(test_byid_parse)
{
	uint64_t id = 0;

	ck_assert_int_eq(byid_parse("2147483702", &id), 0);
	ck_assert(id == 2147483702ULL);
	ck_assert_int_eq(byid_parse("18446744073709551615", &id), 0);
	ck_assert(id == UINT64_MAX);
	ck_assert_int_eq(byid_parse("18446744073709551616", &id), -1);
	ck_assert_int_eq(byid_parse("0", &id), -1);
	ck_assert_int_eq(byid_parse("012", &id), -1);
	ck_assert_int_eq(byid_parse("+12", &id), -1);
	ck_assert_int_eq(byid_parse("12 ", &id), -1);
	ck_assert_int_eq(byid_parse("", &id), -1);
	ck_assert_int_eq(byid_parse("/mnt", &id), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_add_test(tc, test_reason_from_outcome);
	tcase_add_test(tc, test_allowed_describe);
	tcase_add_test(tc, test_json_v1_document);
	tcase_add_test(tc, test_fatal_error_document);
	tcase_add_test(tc, test_argv_wants_json);
	tcase_add_test(tc, test_byid_parse);
	suite_add_tcase(s, tc);
	return uu_run_suite(s);
}
