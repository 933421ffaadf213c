/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_policyload.c — helper/policyload.c: which policy files are trusted,
 * in which order they load, and how refusals are reported.
 *
 * Each test builds its own policy directory under /tmp. Trusted files must
 * be owned by root, so the tests that need a trusted tree skip (with a
 * printed reason) when not run as root, and the program then exits 77;
 * CI runs them as root.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy.h"
#include "policyload.h"
#include "suite.h"

/* The same default as policyload.c; CMake passes one value to both. */
#ifndef UU_POLICY_DIR
#define UU_POLICY_DIR "/etc/user-umount"
#endif

/* Exit status when the tests that need root were skipped. */
#define SKIPPED_EXIT 77

/* An owner that is not root, for the ownership tests. */
#define NOBODY_UID 65534

static char top[PATH_MAX];

#define NEED_ROOT()                                                                                \
	do {                                                                                       \
		if (geteuid() != 0) {                                                              \
			printf("SKIP %s: needs root (policy files must be owned by uid 0)\n",      \
			       __func__);                                                          \
			return;                                                                    \
		}                                                                                  \
	} while (0)

static const char *at(const char *rel)
{
	static char path[PATH_MAX];

	ck_assert_int_lt(snprintf(path, sizeof(path), "%s/%s", top, rel), (int)sizeof(path));
	return path;
}

static void make_dir(const char *rel, mode_t mode)
{
	ck_assert_int_eq(mkdir(at(rel), mode), 0);
	ck_assert_int_eq(chmod(at(rel), mode), 0);
}

static void make_file(const char *rel, const char *text, mode_t mode)
{
	int fd = open(at(rel), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	ck_assert_int_eq(close(fd), 0);
	ck_assert_int_eq(chmod(at(rel), mode), 0);
}

/* One directory per run (removed by the parent even when a test fails)... */
static char base[64];

static void setup_run(void)
{
	snprintf(base, sizeof(base), "/tmp/uu-policyload-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
}

/* ...and one policy directory in it per test. */
static void setup(void)
{
	snprintf(top, sizeof(top), "%s/t-XXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(top));
	ck_assert_int_eq(chmod(top, 0755), 0);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void teardown(void)
{
	ck_assert_int_eq(nftw(top, remove_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static void teardown_run(void)
{
	if (nftw(base, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "cannot remove %s\n", base);
}

/* Load dir and expect success. */
static void load_ok(struct policy *p, const char *dir)
{
	struct policy_error err;
	int r = policyload_dir(dir, p, &err);

	ck_assert_msg(r == 0, "refused: %s:%u:%u: %s", err.file, err.line, err.column, err.message);
}

/* The who of every rule, in order, joined by spaces. */
static void whos(const struct policy *p, char *buf, size_t len)
{
	size_t pos = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < p->nrules; i++)
		pos += (size_t)snprintf(buf + pos, len - pos, "%s%s", i ? " " : "",
					p->rules[i].who ? p->rules[i].who : "*");
}

/* Load top, expect a refusal naming file (relative to top) and message. */
static void load_refused(const char *rel, const char *message)
{
	struct policy p = {0};
	struct policy_error err;
	const char *want = *rel ? at(rel) : top;

	ck_assert_int_eq(policyload_dir(top, &p, &err), -1);
	ck_assert_str_eq(err.file, want);
	ck_assert_str_eq(err.message, message);
	ck_assert_uint_eq(err.line, 0);
	ck_assert_uint_eq(err.column, 0);
	ck_assert_uint_eq(p.nrules, 0);
	ck_assert_ptr_null(p.rules);
	ck_assert_ptr_null(p.files);
}

static void good_tree(void)
{
	make_file("policy.conf", "permit main\n", 0644);
	make_dir("policy.d", 0755);
	make_file("policy.d/10-a.conf", "permit a1\ndeny a2\n", 0644);
	make_file("policy.d/20-b.conf", "# only b\npermit b1\n", 0600);
}

START_TEST(test_good)
{
	struct policy p = {0};
	char got[256];

	NEED_ROOT();
	good_tree();
	load_ok(&p, top);
	whos(&p, got, sizeof(got));
	ck_assert_str_eq(got, "main a1 a2 b1");
	ck_assert_uint_eq(p.nfiles, 3);
	ck_assert_str_eq(p.rules[0].file, at("policy.conf"));
	ck_assert_str_eq(p.rules[2].file, at("policy.d/10-a.conf"));
	ck_assert_str_eq(p.rules[3].file, at("policy.d/20-b.conf"));
	ck_assert_uint_eq(p.rules[3].line, 2);
	policy_free(&p);
}
END_TEST

/* Rules already in *p stay first; a trailing '/' on DIR is fine. */
START_TEST(test_appends)
{
	struct policy p = {0};
	struct policy_error err;
	char got[256], dir[PATH_MAX + 2];

	NEED_ROOT();
	good_tree();
	ck_assert_int_eq(policy_parse_buffer(&p, "earlier", "deny early\n", 11, &err), 0);
	snprintf(dir, sizeof(dir), "%s//", top);
	load_ok(&p, dir);
	whos(&p, got, sizeof(got));
	ck_assert_str_eq(got, "early main a1 a2 b1");
	ck_assert_str_eq(p.rules[0].file, "earlier");
	ck_assert_str_eq(p.rules[1].file, at("policy.conf"));
	policy_free(&p);
}
END_TEST

START_TEST(test_missing_dir)
{
	struct policy p = {0};
	struct policy_error err;

	ck_assert_int_eq(policyload_dir(at("nonexistent"), &p, &err), 0);
	ck_assert_uint_eq(p.nrules, 0);
	ck_assert_ptr_null(p.rules);
}
END_TEST

START_TEST(test_empty_dir)
{
	struct policy p = {0};

	NEED_ROOT();
	load_ok(&p, top);
	ck_assert_uint_eq(p.nrules, 0);
	ck_assert_uint_eq(p.nfiles, 0);
}
END_TEST

START_TEST(test_missing_main)
{
	struct policy p = {0};
	char got[256];

	NEED_ROOT();
	make_dir("policy.d", 0755);
	make_file("policy.d/a.conf", "permit only\n", 0644);
	load_ok(&p, top);
	whos(&p, got, sizeof(got));
	ck_assert_str_eq(got, "only");
	policy_free(&p);
}
END_TEST

START_TEST(test_missing_dropin_dir)
{
	struct policy p = {0};
	char got[256];

	NEED_ROOT();
	make_file("policy.conf", "permit main\n", 0644);
	load_ok(&p, top);
	whos(&p, got, sizeof(got));
	ck_assert_str_eq(got, "main");
	policy_free(&p);
}
END_TEST

START_TEST(test_file_not_root)
{
	NEED_ROOT();
	good_tree();
	ck_assert_int_eq(chown(at("policy.d/20-b.conf"), NOBODY_UID, 0), 0);
	load_refused("policy.d/20-b.conf", "not owned by root");
}
END_TEST

START_TEST(test_main_not_root)
{
	NEED_ROOT();
	good_tree();
	ck_assert_int_eq(chown(at("policy.conf"), NOBODY_UID, NOBODY_UID), 0);
	load_refused("policy.conf", "not owned by root");
}
END_TEST

START_TEST(test_dir_not_root)
{
	NEED_ROOT();
	good_tree();
	ck_assert_int_eq(chown(top, NOBODY_UID, 0), 0);
	load_refused("", "not owned by root");
}
END_TEST

START_TEST(test_dropin_dir_not_root)
{
	NEED_ROOT();
	good_tree();
	ck_assert_int_eq(chown(at("policy.d"), NOBODY_UID, 0), 0);
	load_refused("policy.d", "not owned by root");
}
END_TEST

/* Not root: the tree is ours, and so is refused. */
START_TEST(test_as_non_root)
{
	if (geteuid() == 0) {
		printf("SKIP %s: runs only as a non-root user\n", __func__);
		return;
	}
	make_file("policy.conf", "permit main\n", 0644);
	load_refused("", "not owned by root");
}
END_TEST

START_TEST(test_group_writable)
{
	NEED_ROOT();
	good_tree();
	ck_assert_int_eq(chmod(at("policy.conf"), 0664), 0);
	load_refused("policy.conf", "writable by group or other");
}
END_TEST

START_TEST(test_other_writable)
{
	NEED_ROOT();
	good_tree();
	ck_assert_int_eq(chmod(at("policy.d/10-a.conf"), 0602), 0);
	load_refused("policy.d/10-a.conf", "writable by group or other");
}
END_TEST

START_TEST(test_dir_other_writable)
{
	NEED_ROOT();
	good_tree();
	ck_assert_int_eq(chmod(top, 01777), 0);
	load_refused("", "writable by group or other");
}
END_TEST

START_TEST(test_dropin_dir_group_writable)
{
	NEED_ROOT();
	good_tree();
	ck_assert_int_eq(chmod(at("policy.d"), 0775), 0);
	load_refused("policy.d", "writable by group or other");
}
END_TEST

START_TEST(test_symlinked_file)
{
	NEED_ROOT();
	make_dir("real", 0755);
	make_file("real/policy.conf", "permit x\n", 0644);
	ck_assert_int_eq(symlink("real/policy.conf", at("policy.conf")), 0);
	load_refused("policy.conf", "is a symbolic link");
}
END_TEST

START_TEST(test_symlinked_dropin)
{
	NEED_ROOT();
	good_tree();
	ck_assert_int_eq(symlink("10-a.conf", at("policy.d/30-link.conf")), 0);
	load_refused("policy.d/30-link.conf", "is a symbolic link");
}
END_TEST

START_TEST(test_symlinked_dropin_dir)
{
	NEED_ROOT();
	make_dir("real", 0755);
	make_file("real/a.conf", "permit x\n", 0644);
	ck_assert_int_eq(symlink("real", at("policy.d")), 0);
	load_refused("policy.d", "is a symbolic link");
}
END_TEST

/* DIR itself a symlink, also when named with a trailing '/'. */
START_TEST(test_symlinked_dir)
{
	struct policy p = {0};
	struct policy_error err;
	char link[PATH_MAX], slash[PATH_MAX + 1];

	NEED_ROOT();
	make_dir("real", 0755);
	make_file("real/policy.conf", "permit x\n", 0644);
	snprintf(link, sizeof(link), "%s", at("link"));
	ck_assert_int_eq(symlink("real", link), 0);
	ck_assert_int_eq(policyload_dir(link, &p, &err), -1);
	ck_assert_str_eq(err.file, link);
	ck_assert_str_eq(err.message, "is a symbolic link");
	snprintf(slash, sizeof(slash), "%s/", link);
	ck_assert_int_eq(policyload_dir(slash, &p, &err), -1);
	ck_assert_str_eq(err.file, link);
	ck_assert_str_eq(err.message, "is a symbolic link");
	ck_assert_uint_eq(p.nrules, 0);
}
END_TEST

START_TEST(test_not_regular)
{
	NEED_ROOT();
	make_dir("policy.conf", 0755);
	load_refused("policy.conf", "not a regular file");
}
END_TEST

/* A FIFO is refused before it is opened: opening it would block. */
START_TEST(test_fifo)
{
	NEED_ROOT();
	make_dir("policy.d", 0755);
	ck_assert_int_eq(mkfifo(at("policy.d/fifo.conf"), 0644), 0);
	load_refused("policy.d/fifo.conf", "not a regular file");
}
END_TEST

START_TEST(test_dir_not_directory)
{
	NEED_ROOT();
	make_file("policy.d", "permit x\n", 0644);
	load_refused("policy.d", "not a directory");
}
END_TEST

START_TEST(test_byte_order)
{
	static const char *const names[] = {"b.conf",   "a.conf",        "B.conf",
					    "10.conf",  "9.conf",        "a-b.conf",
					    "a.b.conf", "\xc3\xa9.conf", "_.conf"};
	struct policy p = {0};
	char got[256], rel[64], text[64];

	NEED_ROOT();
	make_dir("policy.d", 0755);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(rel, sizeof(rel), "policy.d/%s", names[i]);
		snprintf(text, sizeof(text), "permit u%zu\n", i);
		make_file(rel, text, 0644);
	}
	load_ok(&p, top);
	whos(&p, got, sizeof(got));
	/* 10 9 B _ a-b a.b a b é: strcmp on bytes, not the locale's order. */
	ck_assert_str_eq(got, "u3 u4 u2 u8 u5 u6 u1 u0 u7");
	policy_free(&p);
}
END_TEST

/* Names starting with '.' or not ending in ".conf" are not read at all. */
START_TEST(test_ignored_names)
{
	static const char *const ignored[] = {
	    "policy.d/.hidden.conf", "policy.d/.conf", "policy.d/x.conf~", "policy.d/x.conf.bak",
	    "policy.d/x.txt",        "policy.d/conf",  "policy.d/x.CONF",  "policy.d/x.dpkg-old"};
	struct policy p = {0};
	char got[256];

	NEED_ROOT();
	make_dir("policy.d", 0755);
	make_file("policy.d/ok.conf", "permit ok\n", 0644);
	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		make_file(ignored[i], "this is not a policy\n", 0666);
	make_dir("policy.d/.git", 0777);
	load_ok(&p, top);
	whos(&p, got, sizeof(got));
	ck_assert_str_eq(got, "ok");
	policy_free(&p);
}
END_TEST

START_TEST(test_oversize)
{
	int fd;

	NEED_ROOT();
	make_file("policy.conf", "", 0644);
	fd = open(at("policy.conf"), O_WRONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)POLICYLOAD_MAX_FILE_SIZE + 1), 0);
	ck_assert_int_eq(close(fd), 0);
	load_refused("policy.conf", "file too large (over 40970000 bytes)");
}
END_TEST

/* The largest allowed size is read whole (blank lines parse to nothing). */
START_TEST(test_max_size)
{
	struct policy p = {0};
	char *buf = malloc(POLICYLOAD_MAX_FILE_SIZE);
	int fd;

	NEED_ROOT();
	ck_assert_ptr_nonnull(buf);
	memset(buf, '\n', POLICYLOAD_MAX_FILE_SIZE);
	memcpy(buf + POLICYLOAD_MAX_FILE_SIZE - 9, "permit z\n", 9);
	make_file("policy.conf", "", 0644);
	fd = open(at("policy.conf"), O_WRONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, buf, POLICYLOAD_MAX_FILE_SIZE),
			 (ssize_t)POLICYLOAD_MAX_FILE_SIZE);
	ck_assert_int_eq(close(fd), 0);
	free(buf);
	load_ok(&p, top);
	ck_assert_uint_eq(p.nrules, 1);
	ck_assert_uint_eq(p.rules[0].line, POLICYLOAD_MAX_FILE_SIZE - 8);
	policy_free(&p);
}
END_TEST

/* A parse error names the file, line and column; no rule of any file is kept. */
START_TEST(test_parse_error)
{
	struct policy p = {0};
	struct policy_error err;

	NEED_ROOT();
	good_tree();
	make_file("policy.d/30-bad.conf", "# ok\npermit c\ndeny * on relative\n", 0644);
	ck_assert_int_eq(policyload_dir(top, &p, &err), -1);
	ck_assert_str_eq(err.file, at("policy.d/30-bad.conf"));
	ck_assert_uint_eq(err.line, 3);
	ck_assert_uint_eq(err.column, 11);
	ck_assert_str_eq(err.message,
			 "pattern after 'on' must be absolute (start with '/'), got 'relative'");
	ck_assert_uint_eq(p.nrules, 0);
	ck_assert_ptr_null(p.rules);
}
END_TEST

/* On a refusal, rules already in *p are left exactly as they were. */
START_TEST(test_refusal_keeps_p)
{
	struct policy p = {0};
	struct policy_error err;

	NEED_ROOT();
	good_tree();
	ck_assert_int_eq(chmod(at("policy.d/20-b.conf"), 0666), 0);
	ck_assert_int_eq(policy_parse_buffer(&p, "earlier", "deny early\n", 11, &err), 0);
	ck_assert_int_eq(policyload_dir(top, &p, &err), -1);
	ck_assert_str_eq(err.message, "writable by group or other");
	ck_assert_uint_eq(p.nrules, 1);
	ck_assert_uint_eq(p.nfiles, 1);
	ck_assert_str_eq(p.rules[0].who, "early");
	policy_free(&p);
}
END_TEST

/* The rule limit holds across files. */
START_TEST(test_rules_across_files)
{
	struct policy p = {0};
	struct policy_error err;
	size_t half = POLICY_MAX_RULES / 2 + 1, len = half * 7;
	char *buf = malloc(len + 1);

	NEED_ROOT();
	ck_assert_ptr_nonnull(buf);
	for (size_t i = 0; i < half; i++)
		memcpy(buf + i * 7, "deny *\n", 7);
	buf[len] = '\0';
	make_file("policy.conf", buf, 0644);
	make_dir("policy.d", 0755);
	make_file("policy.d/a.conf", buf, 0644);
	free(buf);
	ck_assert_int_eq(policyload_dir(top, &p, &err), -1);
	ck_assert_str_eq(err.file, at("policy.d/a.conf"));
	ck_assert_uint_eq(err.line, POLICY_MAX_RULES - half + 1);
	ck_assert_str_eq(err.message, "more than 10000 rules");
}
END_TEST

/* Rules already in *p count too; *p is then left as it was. */
START_TEST(test_rules_with_existing)
{
	struct policy p = {0};
	struct policy_error err;
	size_t len = (POLICY_MAX_RULES - 1) * 7;
	char *buf = malloc(len);

	NEED_ROOT();
	ck_assert_ptr_nonnull(buf);
	for (size_t i = 0; i < POLICY_MAX_RULES - 1; i++)
		memcpy(buf + i * 7, "deny *\n", 7);
	ck_assert_int_eq(policy_parse_buffer(&p, "earlier", buf, len, &err), 0);
	free(buf);
	make_file("policy.conf", "permit a\npermit b\n", 0644);
	ck_assert_int_eq(policyload_dir(top, &p, &err), -1);
	ck_assert_str_eq(err.file, top);
	ck_assert_str_eq(err.message, "more than 10000 rules");
	ck_assert_uint_eq(p.nrules, POLICY_MAX_RULES - 1);
	ck_assert_uint_eq(p.nfiles, 1);
	policy_free(&p);
}
END_TEST

START_TEST(test_default_dir)
{
	ck_assert_str_eq(policyload_default_dir(), UU_POLICY_DIR);
}
END_TEST

static Suite *policyload_suite(void)
{
	Suite *s = suite_create("policyload");
	TCase *tc = tcase_create("load");

	tcase_add_unchecked_fixture(tc, setup_run, teardown_run);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_good);
	tcase_add_test(tc, test_appends);
	tcase_add_test(tc, test_missing_dir);
	tcase_add_test(tc, test_empty_dir);
	tcase_add_test(tc, test_missing_main);
	tcase_add_test(tc, test_missing_dropin_dir);
	tcase_add_test(tc, test_file_not_root);
	tcase_add_test(tc, test_main_not_root);
	tcase_add_test(tc, test_dir_not_root);
	tcase_add_test(tc, test_dropin_dir_not_root);
	tcase_add_test(tc, test_as_non_root);
	tcase_add_test(tc, test_group_writable);
	tcase_add_test(tc, test_other_writable);
	tcase_add_test(tc, test_dir_other_writable);
	tcase_add_test(tc, test_dropin_dir_group_writable);
	tcase_add_test(tc, test_symlinked_file);
	tcase_add_test(tc, test_symlinked_dropin);
	tcase_add_test(tc, test_symlinked_dropin_dir);
	tcase_add_test(tc, test_symlinked_dir);
	tcase_add_test(tc, test_not_regular);
	tcase_add_test(tc, test_fifo);
	tcase_add_test(tc, test_dir_not_directory);
	tcase_add_test(tc, test_byte_order);
	tcase_add_test(tc, test_ignored_names);
	tcase_add_test(tc, test_oversize);
	tcase_add_test(tc, test_max_size);
	tcase_add_test(tc, test_parse_error);
	tcase_add_test(tc, test_refusal_keeps_p);
	tcase_add_test(tc, test_rules_across_files);
	tcase_add_test(tc, test_rules_with_existing);
	tcase_add_test(tc, test_default_dir);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	if (uu_run_suite(policyload_suite()) != 0)
		return 1;
	/* 77: "skipped" for ctest's SKIP_RETURN_CODE, so CI can refuse skips. */
	return geteuid() == 0 ? 0 : SKIPPED_EXIT;
}
