/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_confine.c — the CPU-list parser that the affinity read-back trusts:
 * the kernel's forms parse to exactly their CPUs; anything else is refused
 * (a wrong parse would accept an affinity narrower than the cpuset).
 * And, as root on the machine's cgroup v2 hierarchy, confine_enter() and
 * confine_verify() in a child that the test moves between them: a child
 * started in a user's cgroup is moved to the root and stays there; moved
 * back by someone else, or left in a cgroup that became a user's, it is
 * refused by the read-back (what a caller could do if a step before it
 * failed: confine_verify() is the last word).
 */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/mount.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "confine.h"
#include "suite.h"

#define BITS 128
#define PER  (sizeof(unsigned long) * CHAR_BIT)

static int count(const unsigned long *m)
{
	int n = 0;

	for (size_t i = 0; i < BITS; i++)
		n += (m[i / PER] >> (i % PER)) & 1;
	return n;
}

static bool has(const unsigned long *m, size_t c)
{
	return (m[c / PER] >> (c % PER)) & 1;
}

START_TEST(test_forms)
{
	unsigned long m[BITS / PER];

	ck_assert_int_eq(confine_parse_cpulist("0-3,8,10-11\n", m, BITS), 0);
	ck_assert_int_eq(count(m), 7);
	ck_assert(has(m, 0) && has(m, 3) && has(m, 8) && has(m, 11) && !has(m, 9));
	ck_assert_int_eq(confine_parse_cpulist("5", m, BITS), 0);
	ck_assert_int_eq(count(m), 1);
	ck_assert_int_eq(confine_parse_cpulist("\n", m, BITS), 0);
	ck_assert_int_eq(count(m), 0);
	ck_assert_int_eq(confine_parse_cpulist("127", m, BITS), 0);
	ck_assert(has(m, 127));
}
END_TEST

static const char *const bad[] = {
    "0-", "-1", "3-1", "0,,1", "0,", "a", "0 1", "1\n\n", "0-2x", " 0",
};

START_TEST(test_bad)
{
	unsigned long m[BITS / PER];

	ck_assert_int_eq(confine_parse_cpulist(bad[_i], m, BITS), -EINVAL);
}
END_TEST

/* Which hierarchies are left when a caller may write them: v2 always, a
 * v1 one when any of its controllers can hold a task. */
START_TEST(test_matters)
{
	static const char *const held[] = {
	    "freezer",       "memory",   "cpu", "cpuset",        "blkio",
	    "pids",          "devices",  "io",  "cpu,cpuacct",   "cpuacct,freezer",
	    "name=x,memory", "cpuacctx", "net", "newcontroller",
	};
	static const char *const not_held[] = {
	    "cpuacct", "net_cls,net_prio", "perf_event", "hugetlb",        "rdma",
	    "misc",    "name=systemd",     "",           "name=x,cpuacct", ",cpuacct,",
	};

	ck_assert(confine_hierarchy_matters(0, ""));
	for (size_t i = 0; i < sizeof(held) / sizeof(held[0]); i++)
		ck_assert_msg(confine_hierarchy_matters(3, held[i]), "'%s'", held[i]);
	for (size_t i = 0; i < sizeof(not_held) / sizeof(not_held[0]); i++)
		ck_assert_msg(!confine_hierarchy_matters(3, not_held[i]), "'%s'", not_held[i]);
}
END_TEST

START_TEST(test_range)
{
	unsigned long m[BITS / PER];

	ck_assert_int_eq(confine_parse_cpulist("128", m, BITS), -ERANGE);
	ck_assert_int_eq(confine_parse_cpulist("0-200", m, BITS), -ERANGE);
}
END_TEST

/* The cgroup v2 hierarchy's root, as a mount of the test's own attached
 * nowhere (the host's mount table is not touched); -1 when there is none.
 * The two test cgroups in it: a user's (delegated as systemd does it) and
 * root's alone. */
#define NOBODY 65534
static int cg2 = -1;
static char user_cg[80], root_cg[80];

static int open_cg2(void)
{
	int fs = (int)syscall(SYS_fsopen, "cgroup2", FSOPEN_CLOEXEC), mnt = -1;

	if (fs < 0)
		return -1;
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
	close(fs);
	return mnt;
}

static int put_at(const char *cg, const char *file, const char *text)
{
	char path[160];
	int fd, r;

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	fd = openat(cg2, path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : -errno;
	close(fd);
	return r;
}

static void cg_setup(void)
{
	static const char *const delegated[] = {"cgroup.procs", "cgroup.threads",
						"cgroup.subtree_control"};
	char path[160];

	/* named by the runner (the parent) too: its teardown finds them */
	snprintf(user_cg, sizeof(user_cg), "uu-unit-user.%d.%d", (int)getppid(), (int)getpid());
	snprintf(root_cg, sizeof(root_cg), "uu-unit-root.%d.%d", (int)getppid(), (int)getpid());
	ck_assert_int_eq(mkdirat(cg2, user_cg, 0755), 0);
	ck_assert_int_eq(mkdirat(cg2, root_cg, 0755), 0);
	ck_assert_int_eq(fchownat(cg2, user_cg, NOBODY, NOBODY, 0), 0);
	for (size_t i = 0; i < sizeof(delegated) / sizeof(delegated[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", user_cg, delegated[i]);
		ck_assert_int_eq(fchownat(cg2, path, NOBODY, NOBODY, 0), 0);
	}
}

/* In the runner, after the cases (a failed case skips the checked
 * teardown): every test cgroup of this runner goes, once empty. */
static void cg_teardown(void)
{
	char prefix[2][64];
	struct dirent *e;
	DIR *d;
	int fd = openat(cg2, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	snprintf(prefix[0], sizeof(prefix[0]), "uu-unit-user.%d.", (int)getpid());
	snprintf(prefix[1], sizeof(prefix[1]), "uu-unit-root.%d.", (int)getpid());
	d = fd < 0 ? NULL : fdopendir(fd);
	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, prefix[0], strlen(prefix[0])) != 0 &&
		    strncmp(e->d_name, prefix[1], strlen(prefix[1])) != 0)
			continue;
		for (int tries = 0;
		     tries < 100 && unlinkat(cg2, e->d_name, AT_REMOVEDIR) < 0 && errno == EBUSY;
		     tries++)
			usleep(10000);
	}
	closedir(d);
}

struct confined {
	int enter, verify;
	char where[256]; /* the v2 path after confine_enter */
	char msg[256];
};

static void v2_path(char *out, size_t len)
{
	char buf[4096], *p;
	FILE *f = fopen("/proc/self/cgroup", "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	p = strncmp(buf, "0::", 3) == 0 ? buf : strstr(buf, "\n0::");
	p = p ? p + (*p == '\n' ? 4 : 3) : (char *)"?";
	snprintf(out, len, "%.*s", (int)strcspn(p, "\n"), p);
}

enum meddle { MEDDLE_NONE, MEDDLE_MOVE_BACK, MEDDLE_LOOSEN };

/*
 * A child starts in START, runs confine_enter(), tells where it is and
 * waits; the test meddles; the child runs confine_verify(). Both results
 * and messages come back through a pipe.
 */
static struct confined run_confined(const char *start, enum meddle how)
{
	struct confined c = {0};
	char pidtext[32], go = 'g', path[160];
	int up[2], down[2], status;
	pid_t pid;

	ck_assert(pipe(up) == 0 && pipe(down) == 0);
	pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		struct confined r = {0};

		if (put_at(start, "cgroup.procs", "0") < 0)
			_exit(2);
		r.enter = confine_enter(r.msg, sizeof(r.msg));
		v2_path(r.where, sizeof(r.where));
		if (write(up[1], &r, sizeof(r)) != (ssize_t)sizeof(r) || read(down[0], &go, 1) != 1)
			_exit(3);
		r.verify = confine_verify(r.msg, sizeof(r.msg));
		_exit(write(up[1], &r, sizeof(r)) == (ssize_t)sizeof(r) ? 0 : 3);
	}
	ck_assert(read(up[0], &c, sizeof(c)) == (ssize_t)sizeof(c));
	snprintf(pidtext, sizeof(pidtext), "%d", (int)pid);
	if (how == MEDDLE_MOVE_BACK)
		ck_assert_int_eq(put_at(start, "cgroup.procs", pidtext), 0);
	if (how == MEDDLE_LOOSEN) {
		snprintf(path, sizeof(path), "%s/cgroup.freeze", start);
		ck_assert_int_eq(fchownat(cg2, path, NOBODY, NOBODY, 0), 0);
	}
	ck_assert(write(down[1], &go, 1) == 1);
	ck_assert(read(up[0], &c, sizeof(c)) == (ssize_t)sizeof(c));
	ck_assert(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(up[0]);
	close(up[1]);
	close(down[0]);
	close(down[1]);
	return c;
}

/* Started in a user's cgroup: moved to the root, and the read-back agrees. */
START_TEST(test_user_cgroup_left)
{
	struct confined c = run_confined(user_cg, MEDDLE_NONE);

	ck_assert_msg(c.enter == 0, "confine_enter: %s", c.msg);
	ck_assert_str_eq(c.where, "/");
	ck_assert_msg(c.verify == 0, "confine_verify: %s", c.msg);
}
END_TEST

/* Moved back into the user's cgroup after confine_enter: refused. */
START_TEST(test_moved_back_refused)
{
	struct confined c = run_confined(user_cg, MEDDLE_MOVE_BACK);

	ck_assert_msg(c.enter == 0, "confine_enter: %s", c.msg);
	ck_assert_str_eq(c.where, "/");
	ck_assert_int_eq(c.verify, -1);
	ck_assert_str_eq(c.msg, "moved out of the cgroup2 cgroup / by someone else");
}
END_TEST

/* A cgroup of root's alone is kept (nothing moves); when its cgroup.freeze
 * becomes a user's before the read-back, refused. */
START_TEST(test_loosened_refused)
{
	char want[96];
	struct confined c = run_confined(root_cg, MEDDLE_NONE);

	snprintf(want, sizeof(want), "/%s", root_cg);
	ck_assert_msg(c.enter == 0 && c.verify == 0, "%s", c.msg);
	ck_assert_str_eq(c.where, want);
	c = run_confined(root_cg, MEDDLE_LOOSEN);
	ck_assert_msg(c.enter == 0, "confine_enter: %s", c.msg);
	ck_assert_str_eq(c.where, want);
	ck_assert_int_eq(c.verify, -1);
	ck_assert_msg(strstr(c.msg, "is no longer safe to run in (cgroup.freeze is writable by "
				    "uid 65534)") != NULL,
		      "%s", c.msg);
}
END_TEST

/* One level's check on a directory of our own (any file system: the
 * check reads owners, modes and two files, as on cgroupfs). */
static char level_dir[] = "/tmp/uu-level.XXXXXX";

static void put(const char *name, const char *text, mode_t mode, uid_t uid)
{
	char p[PATH_MAX];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", level_dir, name);
	unlink(p);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ck_assert(fd >= 0);
	ck_assert(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	ck_assert(fchown(fd, uid, 0) == 0 && fchmod(fd, mode) == 0);
	close(fd);
}

static int level(bool v2, char *why, size_t len)
{
	int dir = open(level_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r;

	ck_assert(dir >= 0);
	why[0] = '\0';
	r = confine_level_ok(dir, v2, why, len);
	close(dir);
	return r;
}

START_TEST(test_level)
{
	char why[256], child[PATH_MAX];

	ck_assert(chmod(level_dir, 0755) == 0);
	put("cgroup.procs", "", 0644, 0);
	put("cgroup.freeze", "0\n", 0644, 0);
	put("cgroup.event_control", "", 0666, 0); /* exempt: notifications only */
	snprintf(child, sizeof(child), "%s/child", level_dir);
	ck_assert(mkdir(child, 0777) == 0 && chown(child, 65534, 0) == 0); /* not a level */
	ck_assert_int_eq(level(true, why, sizeof(why)), 1);
	/* frozen, v2 and v1 */
	put("cgroup.freeze", "1\n", 0644, 0);
	ck_assert_int_eq(level(true, why, sizeof(why)), 0);
	ck_assert_str_eq(why, "frozen (cgroup.freeze)");
	put("cgroup.freeze", "0\n", 0644, 0);
	ck_assert_int_eq(level(false, why, sizeof(why)), 1); /* no freezer.state: no freezer */
	put("freezer.state", "FROZEN\n", 0644, 0);
	ck_assert_int_eq(level(false, why, sizeof(why)), 0);
	ck_assert_str_eq(why, "frozen (freezer.state)");
	put("freezer.state", "FREEZING\n", 0644, 0);
	ck_assert_int_eq(level(false, why, sizeof(why)), 0);
	put("freezer.state", "THAWED\n", 0644, 0);
	ck_assert_int_eq(level(false, why, sizeof(why)), 1);
	/* a knob that is a user's, or writable by the group */
	put("memory.max", "max\n", 0644, 65534);
	ck_assert_int_eq(level(true, why, sizeof(why)), 0);
	ck_assert_str_eq(why, "memory.max is writable by uid 65534");
	put("memory.max", "max\n", 0664, 0);
	ck_assert_int_eq(level(true, why, sizeof(why)), 0);
	put("memory.max", "max\n", 0644, 0);
	ck_assert_int_eq(level(true, why, sizeof(why)), 1);
	/* the directory itself */
	ck_assert(chmod(level_dir, 0775) == 0);
	ck_assert_int_eq(level(true, why, sizeof(why)), 0);
	ck_assert_str_eq(why, "the directory is writable by uid 0");
}
END_TEST

/* Made and removed by the runner (a case runs in a child of its own). */
static void level_teardown(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", level_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", level_dir);
}

int main(void)
{
	Suite *s = suite_create("confine");
	TCase *tc = tcase_create("cpulist");

	tcase_add_test(tc, test_forms);
	tcase_add_loop_test(tc, test_bad, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_range);
	tcase_add_test(tc, test_matters);
	suite_add_tcase(s, tc);
	if (geteuid() == 0 && mkdtemp(level_dir)) { /* chown needs root */
		TCase *tl = tcase_create("level");

		tcase_add_unchecked_fixture(tl, NULL, level_teardown);
		tcase_add_test(tl, test_level);
		suite_add_tcase(s, tl);
	}
	cg2 = geteuid() == 0 ? open_cg2() : -1;
	if (cg2 >= 0) { /* the machine's hierarchy: root only, like the helper */
		TCase *tg = tcase_create("cgroup2");

		tcase_add_checked_fixture(tg, cg_setup, NULL);
		tcase_add_unchecked_fixture(tg, NULL, cg_teardown);
		tcase_add_test(tg, test_user_cgroup_left);
		tcase_add_test(tg, test_moved_back_refused);
		tcase_add_test(tg, test_loosened_refused);
		suite_add_tcase(s, tg);
	} else {
		printf("NOTE: not root or no cgroup v2: the confine cases are left out\n");
	}
	return uu_run_suite(s);
}
