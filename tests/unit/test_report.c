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

/* Run fn with fd (1 or 2) redirected to a buffer; returns the bytes (malloc'ed). */
static char *capture_fd(int which, void (*fn)(void *), void *arg)
{
	char path[] = "/tmp/uu-test-report.XXXXXX", *buf = calloc(1, 65536);
	int fd = mkstemp(path), saved = dup(which);
	FILE *f;

	ck_assert(fd >= 0 && saved >= 0 && buf);
	fflush(stdout);
	fflush(stderr);
	dup2(fd, which);
	fn(arg);
	fflush(stdout);
	fflush(stderr);
	dup2(saved, which);
	close(saved);
	f = fdopen(fd, "r");
	rewind(f);
	ck_assert(fread(buf, 1, 65535, f) < 65535);
	fclose(f);
	unlink(path);
	return buf;
}

static char *capture(void (*fn)(void *), void *arg)
{
	return capture_fd(1, fn, arg);
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

struct styled {
	struct report_style style;
	struct report r;
};

static void one_report(void *arg)
{
	struct styled *x = arg;

	report_result(&x->style, &x->r);
}

/* stdout and stderr of one report_result() call, each malloc'ed. */
static void said(struct styled *x, char **out, char **err)
{
	*out = capture_fd(1, one_report, x);
	*err = capture_fd(2, one_report, x);
}

/*
 * Scripts read stdout, and umount(8) prints nothing on success: a note on a
 * success goes to stderr, stdout stays empty unless -v or a dry run asked.
 */
START_TEST(test_success_notes_on_stderr)
{
	struct styled x = {.r = {.target = "/m", .outcome = OUTCOME_UNMOUNTED}};
	char *out, *err;

	said(&x, &out, &err); /* a plain success: silent */
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(err, "");
	free(out), free(err);
	snprintf(x.r.message, sizeof(x.r.message), "unmounted; the loop device stays attached");
	said(&x, &out, &err);
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(err, "user-umount: /m: unmounted; the loop device stays attached\n");
	free(out), free(err);
	x.style.quiet = true; /* -q: notes too are silent */
	said(&x, &out, &err);
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(err, "");
	free(out), free(err);
	x.style.quiet = false;
	x.style.verbose = true; /* -v: the asked-for line, note and rule, on stdout */
	snprintf(x.r.rule, sizeof(x.r.rule), "/etc/fstab:3 users");
	said(&x, &out, &err);
	ck_assert_str_eq(
	    out,
	    "user-umount: /m: unmounted; the loop device stays attached (/etc/fstab:3 users)\n");
	ck_assert_str_eq(err, "");
	free(out), free(err);
	x.style.verbose = false;
	report_set_errno(&x.r, EAGAIN); /* --expire's first call: a note */
	said(&x, &out, &err);
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(err,
			 "user-umount: /m: marked expired; unmount it again later to finish\n");
	free(out), free(err);
	x.r.message[0] = '\0'; /* --dry-run's answer is what was asked: stdout */
	x.r.outcome = OUTCOME_WOULD_UNMOUNT;
	said(&x, &out, &err);
	ck_assert_str_eq(out, "user-umount: /m: would-unmount\n");
	ck_assert_str_eq(err, "");
	free(out), free(err);
	x.style.json = true; /* --json: only the document */
	x.r.outcome = OUTCOME_UNMOUNTED;
	snprintf(x.r.message, sizeof(x.r.message), "note");
	said(&x, &out, &err);
	ck_assert_ptr_nonnull(strstr(out, "\"message\":\"note\""));
	ck_assert_str_eq(err, "");
	free(out), free(err);
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
	tcase_add_test(tc, test_success_notes_on_stderr);
	suite_add_tcase(s, tc);
	return uu_run_suite(s);
}
