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

/* A temporary file standing in for fd which (1 or 2); returns its fd. */
static int redirect(int which, int *saved)
{
	char path[] = "/tmp/uu-test-report.XXXXXX";
	int fd = mkstemp(path);

	ck_assert(fd >= 0);
	unlink(path);
	*saved = dup(which);
	ck_assert(*saved >= 0);
	dup2(fd, which);
	return fd;
}

/* Put fd which back; returns what was written meanwhile (malloc'ed). */
static char *restore(int which, int fd, int saved)
{
	char *buf = calloc(1, 65536);
	ssize_t n;

	ck_assert_ptr_nonnull(buf);
	dup2(saved, which);
	close(saved);
	n = pread(fd, buf, 65535, 0);
	ck_assert(n >= 0 && n < 65535);
	close(fd);
	return buf;
}

/* Run fn with stdout and stderr each written to a buffer. */
static void capture_both(void (*fn)(void *), void *arg, char **out, char **err)
{
	int so, se, fo, fe;

	fflush(stdout);
	fflush(stderr);
	fo = redirect(1, &so);
	fe = redirect(2, &se);
	fn(arg);
	fflush(stdout);
	fflush(stderr);
	*err = restore(2, fe, se);
	*out = restore(1, fo, so);
}

static char *capture_fd(int which, void (*fn)(void *), void *arg)
{
	char *out, *err;

	capture_both(fn, arg, &out, &err);
	free(which == 1 ? err : out);
	return which == 1 ? out : err;
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
	capture_both(one_report, x, out, err);
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

/*
 * The one escaper: what people write (spaces, UTF-8) as is; what deceives a
 * terminal or a reader escaped, byte by byte, each class here.
 */
static const struct {
	const char *in, *out;
} escapes[] = {
    {"/media/alice/USB", "/media/alice/USB"},
    {"/media/My Files", "/media/My Files"},
    {"/media/Fotos-\xc3\x9c", "/media/Fotos-\xc3\x9c"},             /* U+00DC */
    {"/m/My Files \xc3\xbc", "/m/My Files \xc3\xbc"},               /* U+00FC */
    {"/m/\xe5\x86\x99\xe7\x9c\x9f", "/m/\xe5\x86\x99\xe7\x9c\x9f"}, /* CJK */
    {"/m/\xf0\x9f\x98\x80", "/m/\xf0\x9f\x98\x80"},                 /* U+1F600, 4 bytes */
    {"/m/a\xe2\x80\x8d"
     "b",
     "/m/a\xe2\x80\x8d"
     "b"},                                                          /* ZWJ (emoji, scripts) */
    {"/m/\xe2\x80\xa7\xe2\x80\xaf", "/m/\xe2\x80\xa7\xe2\x80\xaf"}, /* U+2027, U+202F */
    {"/m/\xe2\x81\xa5", "/m/\xe2\x81\xa5"},                         /* U+2065: not bidi */
    {"/m/\xef\xbf\xbd", "/m/\xef\xbf\xbd"},                         /* U+FFFD */
    {"/m/\xf4\x8f\xbf\xbf", "/m/\xf4\x8f\xbf\xbf"},                 /* U+10FFFF */
    /* C0 controls and DEL */
    {"a\x1b[31mb", "a\\x1b[31mb"},
    {"a\nb\tc\rd", "a\\x0ab\\x09c\\x0dd"},
    {"a\x7f", "a\\x7f"},
    {"a\x01", "a\\x01"},
    /* a backslash: so that every escape shown is one the program wrote */
    {"C:\\x1b", "C:\\x5cx1b"},
    /* C1 controls, although well-formed UTF-8 */
    {"a\xc2\x85"
     "b",
     "a\\xc2\\x85b"}, /* NEL */
    {"a\xc2\x9b"
     "31m",
     "a\\xc2\\x9b31m"},                                             /* CSI */
    {"a\xc2\x80\xc2\x9f\xc2\xa0", "a\\xc2\\x80\\xc2\\x9f\xc2\xa0"}, /* U+00A0 shown */
    /* invalid sequences, each byte */
    {"a\xff"
     "b",
     "a\\xffb"},
    {"a\x80"
     "b",
     "a\\x80b"},                                    /* stray continuation */
    {"a\xc3(", "a\\xc3("},                          /* lead without continuation */
    {"a\xc3", "a\\xc3"},                            /* cut at the end */
    {"a\xe2\x82", "a\\xe2\\x82"},                   /* cut at the end */
    {"a\xc0\xaf", "a\\xc0\\xaf"},                   /* overlong '/' */
    {"a\xe0\x80\xaf", "a\\xe0\\x80\\xaf"},          /* overlong '/' */
    {"a\xed\xa0\x80", "a\\xed\\xa0\\x80"},          /* surrogate U+D800 */
    {"a\xf4\x90\x80\x80", "a\\xf4\\x90\\x80\\x80"}, /* past U+10FFFF */
    {"a\xf8\x88\x80\x80\x80", "a\\xf8\\x88\\x80\\x80\\x80"},
    /* bidirectional controls */
    {"a\xd8\x9c"
     "b",
     "a\\xd8\\x9cb"}, /* U+061C ALM */
    {"a\xe2\x80\x8e"
     "b",
     "a\\xe2\\x80\\x8eb"}, /* U+200E LRM */
    {"a\xe2\x80\x8f"
     "b",
     "a\\xe2\\x80\\x8fb"}, /* U+200F RLM */
    {"a\xe2\x80\xaa"
     "b",
     "a\\xe2\\x80\\xaab"}, /* U+202A LRE */
    {"a\xe2\x80\xab"
     "b",
     "a\\xe2\\x80\\xabb"}, /* U+202B RLE */
    {"a\xe2\x80\xac"
     "b",
     "a\\xe2\\x80\\xacb"}, /* U+202C PDF */
    {"a\xe2\x80\xad"
     "b",
     "a\\xe2\\x80\\xadb"}, /* U+202D LRO */
    {"a\xe2\x80\xae"
     "b",
     "a\\xe2\\x80\\xaeb"}, /* U+202E RLO */
    {"a\xe2\x81\xa6"
     "b",
     "a\\xe2\\x81\\xa6b"}, /* U+2066 LRI */
    {"a\xe2\x81\xa7"
     "b",
     "a\\xe2\\x81\\xa7b"}, /* U+2067 RLI */
    {"a\xe2\x81\xa8"
     "b",
     "a\\xe2\\x81\\xa8b"}, /* U+2068 FSI */
    {"a\xe2\x81\xa9"
     "b",
     "a\\xe2\\x81\\xa9b"}, /* U+2069 PDI */
    /* line and paragraph separators */
    {"a\xe2\x80\xa8"
     "b",
     "a\\xe2\\x80\\xa8b"},
    {"a\xe2\x80\xa9"
     "b",
     "a\\xe2\\x80\\xa9b"},
    {NULL, ""},
};

START_TEST(test_escape_classes)
{
	char buf[256];

	for (size_t i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++)
		ck_assert_msg(
		    strcmp(report_escape(escapes[i].in, buf, sizeof(buf)), escapes[i].out) == 0,
		    "#%zu: got '%s', want '%s'", i, buf, escapes[i].out);
}
END_TEST

/* Cut to fit, with "...", never inside a character or an escape. */
START_TEST(test_escape_cut)
{
	char buf[12];

	/* 8 bytes of room before "...": "ab" + 3 x U+00FC = 8 */
	ck_assert_str_eq(report_escape("ab\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc", buf, sizeof(buf)),
			 "ab\xc3\xbc\xc3\xbc\xc3\xbc...");
	ck_assert_str_eq(report_escape("abc\xc3\xbc\xc3\xbc\xc3\xbc", buf, sizeof(buf)),
			 "abc\xc3\xbc\xc3\xbc...");
	ck_assert_str_eq(report_escape("abcd\x1b", buf, sizeof(buf)), "abcd\\x1b");
	ck_assert_str_eq(report_escape("abcde\x1b", buf, sizeof(buf)), "abcde...");
	ck_assert_str_eq(report_escape("abc\xe2\x80\xae", buf, sizeof(buf)), "abc...");
	ck_assert_str_eq(report_escape("12345678", buf, sizeof(buf)), "12345678");
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
	tcase_add_test(tc, test_escape_classes);
	tcase_add_test(tc, test_escape_cut);
	suite_add_tcase(s, tc);
	return uu_run_suite(s);
}
