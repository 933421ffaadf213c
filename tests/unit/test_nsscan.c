/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_nsscan.c — the scan of every mount namespace, as root, in a
 * namespace of its own: a shared tmpfs with a mount on it, and a second
 * namespace (a forked child) holding slave copies. The scan must find both
 * namespaces and the copies with their propagation, read places only where
 * asked, leave CAP_SYS_ADMIN ineffective afterwards, and fail closed
 * without the capability. Each test forks (Check's fork mode).
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nsscan.h"
#include "privs.h"
#include "suite.h"

#define DIR_ "/tmp/uu-nsscan"

static unsigned long long cap_eff(void)
{
	char line[256];
	unsigned long long v = ~0ULL;
	FILE *f = fopen("/proc/self/status", "r");

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "CapEff:", 7) == 0)
			v = strtoull(line + 7, NULL, 16);
	fclose(f);
	return v;
}

/* This process in a private namespace with DIR_ a shared tmpfs holding
 * DIR_/t; a child in a namespace made from it with slave propagation,
 * waiting until killed. Returns the child's pid. */
static pid_t two_namespaces(void)
{
	int ready[2];
	char c;
	pid_t pid;

	ck_assert_msg(unshare(CLONE_NEWNS) == 0, "unshare: %s", strerror(errno));
	ck_assert(mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0);
	ck_assert(mount("uu-test", "/tmp", "tmpfs", 0, "mode=1777") == 0); /* not the host's */
	ck_assert(mkdir(DIR_, 0755) == 0);
	ck_assert(mount("uu-pm", DIR_, "tmpfs", 0, "mode=755") == 0);
	ck_assert(mount(NULL, DIR_, NULL, MS_SHARED, NULL) == 0);
	ck_assert(mkdir(DIR_ "/t", 0755) == 0);
	ck_assert(mount("uu-t", DIR_ "/t", "tmpfs", 0, NULL) == 0);
	ck_assert(pipe(ready) == 0);
	pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount("none", "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
			_exit(1);
		(void)!write(ready[1], "x", 1);
		pause();
		_exit(0);
	}
	ck_assert(read(ready[0], &c, 1) == 1);
	close(ready[0]);
	close(ready[1]);
	return pid;
}

static const struct policy_ns_mount *at(const struct nsscan *s, uint64_t ns, const char *point)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].ns == ns && s->v[i].point && strcmp(s->v[i].point, point) == 0)
			return &s->v[i];
	return NULL;
}

START_TEST(test_scan_finds_the_copies)
{
	struct stat st;
	struct nsscan s;
	const struct policy_ns_mount *pm, *t, *t2 = NULL;
	pid_t child;
	uint64_t dev;
	int r;

	if (!nsscan_available()) {
		ck_assert_int_eq(nsscan_run(NULL, 0, &s), -ENOSYS);
		ck_assert(nsscan_unsupported(-ENOSYS));
		printf("NOTE: no namespace scan in this build or kernel: only that was checked\n");
		return;
	}
	child = two_namespaces();
	ck_assert(stat(DIR_, &st) == 0);
	dev = st.st_dev;
	r = nsscan_run(&dev, 1, &s);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	ck_assert_msg(r == 0, "nsscan_run: %s", strerror(-r));
	ck_assert_uint_eq(cap_eff(), 0);
	ck_assert_uint_ge(s.nns, 2);
	for (size_t i = 1; i < s.n; i++)
		ck_assert(s.v[i - 1].id < s.v[i].id);
	pm = at(&s, s.own_ns, DIR_);
	t = at(&s, s.own_ns, DIR_ "/t");
	ck_assert_ptr_nonnull(pm);
	ck_assert_ptr_nonnull(t);
	ck_assert(pm->peer_group != 0 && t->peer_group != 0 && t->parent == pm->id);
	ck_assert_str_eq(t->root, "/");
	for (size_t i = 0; i < s.n; i++)
		if (s.v[i].ns != s.own_ns && s.v[i].master == t->peer_group)
			t2 = &s.v[i];
	ck_assert_msg(t2, "no slave copy of the target in the other namespace");
	ck_assert(t2->dev == t->dev && t2->magic == t->magic && t2->peer_group == 0);
	ck_assert_str_eq(t2->point, DIR_ "/t");
	/* places only on the super block asked for and its children */
	for (size_t i = 0; i < s.n; i++) {
		const struct policy_ns_mount *p = NULL;

		for (size_t j = 0; j < s.n; j++)
			if (s.v[j].id == s.v[i].parent)
				p = &s.v[j];
		ck_assert_msg(p, "mount %llu: its parent is not in the table",
			      (unsigned long long)s.v[i].id);
		if (s.v[i].dev != dev && p->dev != dev)
			ck_assert_msg(!s.v[i].point && !s.v[i].root, "place read for %s",
				      s.v[i].point);
	}
	nsscan_free(&s);
}
END_TEST

/* From inside a chroot, listmount does not show the mounts outside it in
 * our own namespace: the count against NS_MNT_GET_INFO catches that, and
 * the scan fails (after its retries) rather than return a partial table. */
START_TEST(test_scan_refuses_what_it_cannot_see)
{
	struct privs_caps caps;
	struct nsscan s;
	pid_t child;
	uint64_t dev = 0;
	int r;

	if (!nsscan_available())
		return;
	child = two_namespaces();
	ck_assert(chroot(DIR_) == 0 && chdir("/") == 0);
	r = nsscan_run(&dev, 1, &s);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	ck_assert_int_eq(r, -EAGAIN);
	ck_assert_ptr_null(s.v);
	ck_assert(privs_read_caps(&caps) == 0 && caps.effective == 0); /* no /proc here */
}
END_TEST

/* Without CAP_SYS_ADMIN permitted the scan refuses (never a partial table). */
START_TEST(test_scan_without_capability)
{
	struct nsscan s;
	cap_t none = cap_init();
	uint64_t dev = 0;

	if (!nsscan_available())
		return;
	ck_assert(none && cap_set_proc(none) == 0);
	cap_free(none);
	ck_assert_int_eq(nsscan_run(&dev, 1, &s), -EPERM);
	ck_assert_ptr_null(s.v);
	ck_assert_uint_eq(s.n, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("nsscan");
	TCase *tc = tcase_create("scan");

	if (geteuid() != 0) {
		printf("SKIP: the namespace scan needs root\n");
		return 77;
	}
	tcase_add_test(tc, test_scan_finds_the_copies);
	tcase_add_test(tc, test_scan_refuses_what_it_cannot_see);
	tcase_add_test(tc, test_scan_without_capability);
	suite_add_tcase(s, tc);
	return uu_run_suite(s);
}
