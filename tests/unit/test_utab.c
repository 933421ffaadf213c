/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_utab.c — utab line parsing: escapes, unknown keys, duplicates and
 * malformed lines (a forged or broken line must never parse as an entry);
 * and, on temp files (as root: utab must be root's), the one line of a
 * mount: lookup refuses several, take removes exactly it (every other byte
 * kept) or refuses a changed line, restore puts it back, and a lock held
 * by another process gives -ETIMEDOUT in bounded time, nothing changed.
 */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "utab.h"
#include "suite.h"

START_TEST(test_plain)
{
	char line[] = "SRC=tmpfs TARGET=/tmp/m ROOT=/ OPTS=user=uualice";
	struct utab_entry e;

	ck_assert_int_eq(utab_parse_line(line, &e), 0);
	ck_assert_str_eq(e.src, "tmpfs");
	ck_assert_str_eq(e.target, "/tmp/m");
	ck_assert_str_eq(e.root, "/");
	ck_assert_str_eq(e.opts, "user=uualice");
	ck_assert_ptr_null(e.id);
}
END_TEST

START_TEST(test_escapes)
{
	char line[] = "ID=42 SRC=a\\040b TARGET=/m\\040x\\011y\\012z\\134w OPTS=user=x ATTRS=foo";
	struct utab_entry e;

	ck_assert_int_eq(utab_parse_line(line, &e), 0);
	ck_assert_str_eq(e.src, "a b");
	ck_assert_str_eq(e.target, "/m x\ty\nz\\w");
	ck_assert_str_eq(e.id, "42");
}
END_TEST

static const char *const bad[] = {
    "SRC=x",               /* no TARGET */
    "TARGET=/a TARGET=/b", /* duplicate key */
    "TARGET=/a\\04",       /* short escape */
    "TARGET=/a\\400",      /* escape over 0377 */
    "TARGET=/a\\x41",      /* not octal */
    "TARGET=/a garbage",   /* token without '=' */
    "=x TARGET=/a",        /* empty key */
    "",
};

START_TEST(test_bad)
{
	char line[128];
	struct utab_entry e;

	snprintf(line, sizeof(line), "%s", bad[_i]);
	ck_assert_int_eq(utab_parse_line(line, &e), -EINVAL);
}
END_TEST

/* A temp utab (root's, 0644) holding TEXT; its path in path[]. */
static char dir[64], path[128];

static void utab_write(const char *text)
{
	FILE *f;

	snprintf(dir, sizeof(dir), "/tmp/uu-utab.XXXXXX");
	ck_assert(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/utab", dir);
	f = fopen(path, "w");
	ck_assert(f && fputs(text, f) >= 0 && fclose(f) == 0);
	ck_assert(chmod(path, 0644) == 0);
}

static char *utab_read(void)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	ck_assert(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	ck_assert(n >= 0);
	buf[n] = '\0';
	close(fd);
	return buf;
}

/* Nothing but utab and its lock is left in the directory. */
static void utab_no_temp(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "test -z \"$(ls -A %s | grep -v -x -e utab -e utab.lock)\"",
		 dir);
	ck_assert_msg(system(cmd) == 0, "a temp file was left in %s", dir);
}

/* After each file case: the temp directory goes. */
static void utab_cleanup(void)
{
	char cmd[128];

	if (dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", dir);
	}
}

static struct mount_facts mnt(const char *target, const char *source, unsigned long long legacy)
{
	return (struct mount_facts){.id = {.legacy = legacy},
				    .target = (char *)target,
				    .root = (char *)"/",
				    .source = (char *)source};
}

#define LINE "SRC=tmpfs TARGET=/m/a ROOT=/ OPTS=user=uualice"

/* A mount that exists (the one of "/"), with the facts of /m/a: restore
 * checks the mount by its IDs, and matches lines by the facts. */
static struct mount_facts live(void)
{
	struct mount_facts m = mnt("/m/a", "tmpfs", 0);
	struct statx sx;

	/* one ID per call: asked together, the kernel gives the unique one */
	ck_assert_int_eq(statx(AT_FDCWD, "/", 0, 0x1000, &sx), 0);
	m.id.legacy = sx.stx_mnt_id;
	ck_assert_int_eq(statx(AT_FDCWD, "/", 0, 0x4000, &sx), 0);
	if (sx.stx_mask & 0x4000)
		m.id.unique = sx.stx_mnt_id;
	return m;
}

START_TEST(test_lookup_one)
{
	struct mount_facts m = mnt("/m/a", "tmpfs", 0);
	struct utab_match um;

	utab_write("SRC=/dev/x TARGET=/m/a ROOT=/ OPTS=user=uubob\n" LINE "\n"
		   "SRC=tmpfs TARGET=/m/b ROOT=/ OPTS=user=uubob\n");
	ck_assert_int_eq(utab_lookup(path, &m, &um), 0);
	ck_assert(um.found);
	ck_assert_str_eq(um.line, LINE);
	ck_assert_str_eq(um.user, "uualice");
	utab_match_free(&um);
}
END_TEST

START_TEST(test_lookup_notuniq)
{
	struct mount_facts m = mnt("/m/a", "tmpfs", 0);
	struct utab_match um;

	utab_write(LINE
		   "\nSRC=tmpfs TARGET=/m/b ROOT=/\nSRC=tmpfs TARGET=/m/a ROOT=/ OPTS=user=x\n");
	ck_assert_int_eq(utab_lookup(path, &m, &um), -ENOTUNIQ);
	ck_assert(!um.found && !um.line && !um.user);
}
END_TEST

/* An ID recorded for another mount tells the lines apart. */
START_TEST(test_lookup_by_id)
{
	struct mount_facts m = mnt("/m/a", "tmpfs", 42);
	struct utab_match um;

	utab_write("ID=41 " LINE "\nID=42 " LINE "\n");
	ck_assert_int_eq(utab_lookup(path, &m, &um), 0);
	ck_assert(um.found);
	ck_assert_str_eq(um.line, "ID=42 " LINE);
	utab_match_free(&um);
}
END_TEST

START_TEST(test_take_exact)
{
	struct mount_facts m = mnt("/m/a", "tmpfs", 0);
	const char *before = "SRC=/dev/other TARGET=/m/a ROOT=/ OPTS=user=uubob\n"
			     "SRC=tmpfs   TARGET=/m/a\\040b  ROOT=/ OPTS=user=uubob\n";
	const char *after = "SRC=tmpfs\tTARGET=/z ROOT=/ OPTS=x=" LINE "\n"
			    "SRC=tmpfs TARGET=/m/ab ROOT=/";
	char text[1024], expect[1024];

	snprintf(text, sizeof(text), "%s%s\n%s", before, LINE, after);
	snprintf(expect, sizeof(expect), "%s%s", before, after);
	utab_write(text);
	ck_assert_int_eq(utab_take(path, &m, LINE), 0);
	ck_assert_str_eq(utab_read(), expect);
	utab_no_temp();
	/* and back: appended, on a line of its own */
	m = live();
	ck_assert_int_eq(utab_restore(path, &m, LINE, -1), 0);
	snprintf(expect, sizeof(expect), "%s%s\n%s\n", before, after, LINE);
	ck_assert_str_eq(utab_read(), expect);
	utab_no_temp();
}
END_TEST

START_TEST(test_take_last_line_unterminated)
{
	struct mount_facts m = mnt("/m/a", "tmpfs", 0);

	utab_write("SRC=tmpfs TARGET=/m/b ROOT=/\n" LINE);
	ck_assert_int_eq(utab_take(path, &m, LINE), 0);
	ck_assert_str_eq(utab_read(), "SRC=tmpfs TARGET=/m/b ROOT=/\n");
}
END_TEST

/* The line that was decided on is no longer the one there: -ESTALE, and
 * the file is as it was. */
static const char *const stale[] = {
    "SRC=tmpfs TARGET=/m/a ROOT=/ OPTS=user=uubob\n",            /* changed */
    LINE "\n" LINE "\n",                                         /* no longer unique */
    LINE "\nSRC=tmpfs TARGET=/m/a ROOT=/ OPTS=user=uualice,x\n", /* a second one */
    "SRC=tmpfs TARGET=/m/b ROOT=/\n",                            /* gone */
    "",                                                          /* empty */
};

START_TEST(test_take_stale)
{
	struct mount_facts m = mnt("/m/a", "tmpfs", 0);

	utab_write(stale[_i]);
	ck_assert_int_eq(utab_take(path, &m, LINE), -ESTALE);
	ck_assert_str_eq(utab_read(), stale[_i]);
	utab_no_temp();
}
END_TEST

/* Another process holds PATH.lock: refused within the bound, unchanged. */
START_TEST(test_lock_timeout)
{
	struct mount_facts m = mnt("/m/a", "tmpfs", 0);
	char lock[160], go;
	struct timespec t0, t1;
	int p[2], fd, status;
	double took;
	pid_t pid;

	utab_write(LINE "\n");
	snprintf(lock, sizeof(lock), "%s.lock", path);
	ck_assert(pipe(p) == 0);
	pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		fd = open(lock, O_RDONLY | O_CREAT, 0644);
		if (fd < 0 || flock(fd, LOCK_EX) < 0)
			_exit(1);
		if (write(p[1], "l", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	ck_assert(read(p[0], &go, 1) == 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(utab_take(path, &m, LINE), -ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_msg(took >= UTAB_LOCK_WAIT_MS / 1000.0 - 0.1 && took < 6.0, "took %.2f s", took);
	ck_assert_str_eq(utab_read(), LINE "\n");
	m = live();
	ck_assert_int_eq(utab_restore(path, &m, LINE, -1), -ETIMEDOUT);
	ck_assert_str_eq(utab_read(), LINE "\n");
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	/* the lock released: the same call goes through */
	ck_assert_int_eq(utab_take(path, &m, LINE), 0);
	ck_assert_str_eq(utab_read(), "");
}
END_TEST

/*
 * The bound is kept by the clock, not by counting polls: with every sleep
 * stretched (a timer slack of 200 ms: each 10 ms poll may take 210 ms), the
 * wait still ends within the bound and a poll. Counted in polls, the 300
 * polls would take about a minute.
 */
START_TEST(test_lock_timeout_stretched)
{
	struct mount_facts m = mnt("/m/a", "tmpfs", 0);
	char lock[160], go;
	struct timespec t0, t1;
	int p[2], fd, status;
	double took;
	pid_t pid;

	utab_write(LINE "\n");
	snprintf(lock, sizeof(lock), "%s.lock", path);
	ck_assert(pipe(p) == 0);
	pid = fork();
	ck_assert(pid >= 0);
	if (pid == 0) {
		fd = open(lock, O_RDONLY | O_CREAT, 0644);
		if (fd < 0 || flock(fd, LOCK_EX) < 0 || write(p[1], "l", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	ck_assert(read(p[0], &go, 1) == 1);
	ck_assert_int_eq(prctl(PR_SET_TIMERSLACK, 200L * 1000 * 1000, 0, 0, 0), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(utab_take(path, &m, LINE), -ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_msg(took < UTAB_LOCK_WAIT_MS / 1000.0 + 1.5, "took %.2f s", took);
	ck_assert_str_eq(utab_read(), LINE "\n");
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}
END_TEST

/* A mount that is gone gets no line back, and neither does one the pin is
 * not on; the file stays as it was. */
START_TEST(test_restore_needs_mount)
{
	struct mount_facts m = live();
	int pin = open("/proc", O_PATH | O_CLOEXEC);

	utab_write("SRC=tmpfs TARGET=/m/b ROOT=/\n");
	ck_assert(pin >= 0);
	ck_assert_int_eq(utab_restore(path, &m, LINE, pin), -ESTALE); /* pin on /proc */
	close(pin);
	m.id.unique = m.id.unique ? m.id.unique + 1000000 : 0;
	m.id.legacy += 1000000;
	ck_assert_int_eq(utab_restore(path, &m, LINE, -1), -ESTALE);
	ck_assert_str_eq(utab_read(), "SRC=tmpfs TARGET=/m/b ROOT=/\n");
	m = live();
	pin = open("/", O_PATH | O_CLOEXEC);
	ck_assert_int_eq(utab_restore(path, &m, LINE, pin), 0);
	close(pin);
	ck_assert_str_eq(utab_read(), "SRC=tmpfs TARGET=/m/b ROOT=/\n" LINE "\n");
	/* put back twice: one line */
	ck_assert_int_eq(utab_restore(path, &m, LINE, -1), 0);
	ck_assert_str_eq(utab_read(), "SRC=tmpfs TARGET=/m/b ROOT=/\n" LINE "\n");
	utab_no_temp();
}
END_TEST

/* A helper killed between linkat and rename left TEMP: the next rewrite
 * removes it (and it never becomes utab). */
START_TEST(test_stale_temp_removed)
{
	struct mount_facts m = mnt("/m/a", "tmpfs", 0);
	char tmp[200];
	FILE *f;

	utab_write(LINE "\n");
	snprintf(tmp, sizeof(tmp), "%s%s", path, UTAB_TEMP_SUFFIX);
	f = fopen(tmp, "w");
	ck_assert_ptr_nonnull(f);
	fputs("garbage\n", f);
	fclose(f);
	ck_assert_int_eq(utab_take(path, &m, LINE), 0);
	ck_assert_str_eq(utab_read(), "");
	utab_no_temp();
}
END_TEST

/*
 * Killed by root (or the OOM killer) at any point of a rewrite: utab is the
 * old or the new file, whole, and nothing but TEMP can be left (which the
 * next rewrite removes). The rewriting process is traced and killed at its
 * K-th system-call stop, for every K until it runs to its end. What a
 * killed process leaves in a directory depends only on which of its system
 * calls ran, and there is a stop before and after each one: this is every
 * point of the rewrite, none left to timing. At each kill the test notes
 * whether the new contents were open (a file of the helper's in utab's
 * directory, named or not): some kills must land there, and some between
 * linkat and rename (TEMP left), or the walk missed the window.
 */
enum kill_op { KILL_TAKE, KILL_RESTORE };

struct kill_walk {
	int points;   /* kill points tried (the last run is not killed) */
	int inside;   /* of them, with the new contents open */
	int leftover; /* of them, leaving TEMP behind */
};

/* Is one of PID's fds a file in dir[] other than utab and its lock? */
static bool writing_new(pid_t pid)
{
	char fd_dir[64], link[320], to[PATH_MAX], lock[160];
	struct dirent *d;
	bool found = false;
	DIR *fds;
	ssize_t n;

	snprintf(fd_dir, sizeof(fd_dir), "/proc/%d/fd", (int)pid);
	snprintf(lock, sizeof(lock), "%s.lock", path);
	fds = opendir(fd_dir);
	ck_assert_ptr_nonnull(fds);
	while (!found && (d = readdir(fds)) != NULL) {
		snprintf(link, sizeof(link), "%s/%s", fd_dir, d->d_name);
		n = readlink(link, to, sizeof(to) - 1);
		if (n <= 0)
			continue;
		to[n] = '\0';
		found = strncmp(to, dir, strlen(dir)) == 0 && to[strlen(dir)] == '/' &&
			strcmp(to, path) != 0 && strcmp(to, lock) != 0;
	}
	closedir(fds);
	return found;
}

/* A child that stops itself, traced, then runs OP once. */
static pid_t traced_rewrite(enum kill_op op, const struct mount_facts *m)
{
	int status;
	pid_t pid = fork();

	ck_assert(pid >= 0);
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0 || raise(SIGSTOP) != 0)
			_exit(2);
		if (op == KILL_TAKE)
			_exit(utab_take(path, m, LINE) == 0 ? 0 : 1);
		_exit(utab_restore(path, m, LINE, -1) == 0 ? 0 : 1);
	}
	ck_assert(waitpid(pid, &status, 0) == pid);
	ck_assert(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	ck_assert(ptrace(PTRACE_SETOPTIONS, pid, NULL,
			 (void *)(long)(PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL)) == 0);
	return pid;
}

/* Let PID run to its STOPS-th system-call stop (true), or to its end. */
static bool run_to_stop(pid_t pid, int stops, int *status)
{
	for (int n = 0; n < stops; n++) {
		ck_assert(ptrace(PTRACE_SYSCALL, pid, NULL, NULL) == 0);
		ck_assert(waitpid(pid, status, 0) == pid);
		if (WIFEXITED(*status) || WIFSIGNALED(*status))
			return false;
		ck_assert_msg(WIFSTOPPED(*status) && WSTOPSIG(*status) == (SIGTRAP | 0x80),
			      "stop %d: not a system-call stop (status %#x)", n, *status);
	}
	return true;
}

static void write_text(const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert(f && fputs(text, f) >= 0 && fclose(f) == 0);
}

static char *read_all(void)
{
	static char *buf;
	FILE *f = fopen(path, "r");
	size_t n;

	free(buf);
	buf = calloc(1, 1 << 20);
	ck_assert(f && buf);
	n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Only utab, its lock and TEMP in dir[]; is TEMP there? */
static bool only_temp_left(int k)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd),
		 "test -z \"$(ls -A %s | grep -v -x -e utab -e utab.lock -e utab%s)\"", dir,
		 UTAB_TEMP_SUFFIX);
	ck_assert_msg(system(cmd) == 0, "killed at stop %d: a temp file was left", k);
	snprintf(cmd, sizeof(cmd), "test -e %s%s", path, UTAB_TEMP_SUFFIX);
	return system(cmd) == 0;
}

static struct kill_walk kill_walk(enum kill_op op, const struct mount_facts *m, const char *before,
				  const char *after)
{
	struct kill_walk w = {0};
	int status;

	for (int k = 0;; k++) {
		pid_t pid;
		char *now;

		write_text(before);
		pid = traced_rewrite(op, m);
		if (!run_to_stop(pid, k, &status)) {
			ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
				      "the rewrite, run to its end, failed (status %#x)", status);
			ck_assert_str_eq(read_all(), after);
			break;
		}
		w.points++;
		w.inside += writing_new(pid);
		kill(pid, SIGKILL);
		ck_assert(waitpid(pid, &status, 0) == pid);
		now = read_all();
		ck_assert_msg(strcmp(now, before) == 0 || strcmp(now, after) == 0,
			      "killed at stop %d: utab is neither the old nor the new file", k);
		w.leftover += only_temp_left(k);
		ck_assert_msg(k < 10000, "the rewrite does not end");
	}
	return w;
}

static const char *const kill_ops[] = {"take", "restore"};

START_TEST(test_killed_rewrite_leaves_nothing)
{
	struct mount_facts m = _i == KILL_TAKE ? mnt("/m/a", "tmpfs", 0) : live();
	char *other = malloc(64 << 10), *with;
	struct kill_walk w;
	size_t olen;

	ck_assert_ptr_nonnull(other);
	for (olen = 0; olen + 64 < (64 << 10);)
		olen += (size_t)sprintf(other + olen, "SRC=tmpfs TARGET=/o/%zu ROOT=/\n", olen);
	with = malloc(olen + sizeof(LINE) + 2);
	ck_assert_ptr_nonnull(with);
	sprintf(with, "%s%s\n", other, LINE);
	utab_write("");
	if (_i == KILL_TAKE)
		w = kill_walk(KILL_TAKE, &m, with, other);
	else
		w = kill_walk(KILL_RESTORE, &m, other, with);
	printf("killed %s: at %d stops, %d with the new contents open, %d left TEMP\n",
	       kill_ops[_i], w.points, w.inside, w.leftover);
	ck_assert_msg(w.inside > 0, "no kill landed while the new contents were open");
	ck_assert_msg(w.leftover > 0, "no kill landed between linkat and rename");
	/* the run not killed removed what the last kills left */
	utab_no_temp();
	free(with);
	free(other);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("utab");
	TCase *tc = tcase_create("utab");

	tcase_add_test(tc, test_plain);
	tcase_add_test(tc, test_escapes);
	tcase_add_loop_test(tc, test_bad, 0, sizeof(bad) / sizeof(bad[0]));
	suite_add_tcase(s, tc);
	if (geteuid() == 0) { /* utab is read only when root owns it */
		TCase *tf = tcase_create("file");

		tcase_set_timeout(tf, 20);
		tcase_add_checked_fixture(tf, NULL, utab_cleanup);
		tcase_add_test(tf, test_lookup_one);
		tcase_add_test(tf, test_lookup_notuniq);
		tcase_add_test(tf, test_lookup_by_id);
		tcase_add_test(tf, test_take_exact);
		tcase_add_test(tf, test_take_last_line_unterminated);
		tcase_add_loop_test(tf, test_take_stale, 0, sizeof(stale) / sizeof(stale[0]));
		tcase_add_test(tf, test_lock_timeout);
		tcase_add_test(tf, test_lock_timeout_stretched);
		tcase_add_test(tf, test_restore_needs_mount);
		tcase_add_test(tf, test_stale_temp_removed);
		tcase_add_loop_test(tf, test_killed_rewrite_leaves_nothing, 0, 2);
		suite_add_tcase(s, tf);
	} else {
		printf("NOTE: not root: the utab file cases are left out\n");
	}
	return uu_run_suite(s);
}
