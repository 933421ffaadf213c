/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * unmount.c — see unmount.h.
 */
#define _GNU_SOURCE
#include "unmount.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "policy.h"
#include "privs.h"
#include "sandbox.h"

#ifndef UMOUNT_NOFOLLOW
#define UMOUNT_NOFOLLOW 0x00000008
#endif
#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

/* Child exit statuses above any errno: which step failed. */
enum {
	STEP_PRIVS = 240,
	STEP_CHANGED,
	STEP_RECHECK,
	STEP_SANDBOX,
};

int unmount_kernel_flags(unsigned policy_flags)
{
	int k = UMOUNT_NOFOLLOW;

	if (policy_flags & POLICY_LAZY)
		k |= MNT_DETACH;
	if (policy_flags & POLICY_FORCE)
		k |= MNT_FORCE;
	if (policy_flags & POLICY_EXPIRE)
		k |= MNT_EXPIRE;
	return k;
}

/* The start both children share: every signal held (a signal handled
 * after the filter is loaded would need rt_sigreturn, which it kills: a
 * Ctrl-C right after a successful umount2() would then read as a failure;
 * everything stays pending until _exit()), privileges narrowed, then the
 * parent's GO awaited. */
static void child_prepare(const struct caller *c, int go)
{
	sigset_t all;
	char byte;
	int r;

	sigfillset(&all);
	if (sigprocmask(SIG_BLOCK, &all, NULL) < 0)
		_exit(STEP_PRIVS);
	if (privs_unmount_child(c->uid) < 0)
		_exit(STEP_PRIVS);
	while ((r = (int)read(go, &byte, 1)) < 0 && errno == EINTR)
		;
	if (r != 1)
		_exit(STEP_RECHECK);
	close(go);
}

/*
 * Runs in the child, which the caller cannot signal or trace: its real and
 * saved uid are 0 (the caller could otherwise stop it between its re-check
 * and umount2() and swap the mount point in that pause). The order
 * matters:
 *  - privileges are narrowed before the target path is touched again;
 *  - the seccomp filter is built while allocation is still allowed;
 *  - the parent closes its copy of the target fd (GO), since any open fd
 *    on the mount makes a plain unmount EBUSY, but ours stays open through
 *    the re-check so the decided mount cannot vanish and lend its ID;
 *  - fchdir() into the pinned parent comes before the re-check: on FUSE it
 *    can ask the daemon (FUSE_ACCESS), and nothing that asks a file system
 *    may sit between the re-check and umount2();
 *  - after the re-check only close() and one prctl() run, then umount2()
 *    relative to the pinned parent and _exit().
 * One umount2() per child: a retry (--force) is a new child and a new
 * re-check.
 */
static __attribute__((noreturn)) void unmount_child(const struct target *t, const struct caller *c,
						    int kflags, int go)
{
	static struct sandbox sb;
	int r;

	child_prepare(c, go);
	if (sandbox_build(kflags, &sb) < 0)
		_exit(STEP_SANDBOX);
	if (fchdir(t->parent_fd) < 0)
		_exit(STEP_RECHECK);
	r = target_recheck(t);
	if (r == -ESTALE)
		_exit(STEP_CHANGED);
	if (r < 0)
		_exit(STEP_RECHECK);
	if (t->fd >= 0)
		close(t->fd);
	close(t->parent_fd);
	if (sandbox_load(&sb) < 0)
		_exit(STEP_SANDBOX);
	r = umount2(t->last, kflags);
	_exit(r == 0 ? 0 : errno);
}

/*
 * --lazy names no path a swap could redirect: MNT_DETACH does not mind
 * the open fd, so the child detaches the mount its own O_PATH fd is on,
 * through the /proc/self/fd magic link (followed, hence no
 * UMOUNT_NOFOLLOW), which resolves to exactly that mount whatever has
 * been renamed since. /proc must be procfs, the fd must still be on the
 * decided mount (by ID, from fdinfo: no file system is asked), and the
 * filter allows umount2() on that one buffer only.
 */
static __attribute__((noreturn)) void detach_child(const struct target *t, const struct caller *c,
						   int kflags, int go)
{
	static struct sandbox sb;
	static char path[32];
	struct statfs sf;
	uint64_t legacy;
	int r;

	kflags &= ~UMOUNT_NOFOLLOW;
	child_prepare(c, go);
	if (t->fd < 0)
		_exit(STEP_RECHECK);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", t->fd);
	if (statfs("/proc/self/fd", &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)
		_exit(STEP_RECHECK);
	if (target_fd_mount(t->fd, &legacy) < 0)
		_exit(STEP_RECHECK);
	if (legacy != t->id.legacy)
		_exit(STEP_CHANGED);
	if (sandbox_build_at(kflags, path, &sb) < 0)
		_exit(STEP_SANDBOX);
	close(t->parent_fd);
	if (sandbox_load(&sb) < 0)
		_exit(STEP_SANDBOX);
	r = umount2(path, kflags);
	_exit(r == 0 ? 0 : errno);
}

static enum unmount_result interpret(int status, int *err)
{
	*err = 0;
	if (WIFSIGNALED(status)) {
		*err = WTERMSIG(status);
		return UNMOUNT_CHILD_FAILED;
	}
	switch (WEXITSTATUS(status)) {
	case 0:
		return UNMOUNT_OK;
	case STEP_PRIVS:
		return UNMOUNT_PRIVS_FAILED;
	case STEP_CHANGED:
		return UNMOUNT_CHANGED;
	case STEP_RECHECK:
		return UNMOUNT_RECHECK_FAILED;
	case STEP_SANDBOX:
		return UNMOUNT_SANDBOX_FAILED;
	default:
		*err = WEXITSTATUS(status);
		return UNMOUNT_KERNEL;
	}
}

enum unmount_result unmount_run(struct target *t, const struct caller *c, int kflags, int *err)
{
	int status, go[2];
	pid_t pid;

	if (pipe2(go, O_CLOEXEC) < 0) {
		*err = errno;
		return UNMOUNT_CHILD_FAILED;
	}
	pid = fork();
	if (pid < 0) {
		*err = errno;
		close(go[0]);
		close(go[1]);
		return UNMOUNT_CHILD_FAILED;
	}
	if (pid == 0) {
		close(go[1]);
		if (kflags & MNT_DETACH)
			detach_child(t, c, kflags, go[0]);
		unmount_child(t, c, kflags, go[0]);
	}
	close(go[0]);
	/* Our copy of the target fd would keep the mount busy; the child's
	 * copy pins it until its re-check is done. */
	if (t->fd >= 0) {
		close(t->fd);
		t->fd = -1;
	}
	if (write(go[1], "g", 1) != 1)
		kill(pid, SIGKILL);
	close(go[1]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			*err = errno;
			return UNMOUNT_CHILD_FAILED;
		}
	}
	return interpret(status, err);
}

const char *unmount_strerror(enum unmount_result r)
{
	switch (r) {
	case UNMOUNT_OK:
		return "unmounted";
	case UNMOUNT_KERNEL:
		return "the kernel refused the unmount";
	case UNMOUNT_CHANGED:
		return "the target changed while it was being unmounted; nothing was unmounted";
	case UNMOUNT_PRIVS_FAILED:
		return "could not narrow privileges; nothing was unmounted";
	case UNMOUNT_RECHECK_FAILED:
		return "could not re-open the target; nothing was unmounted";
	case UNMOUNT_SANDBOX_FAILED:
		return "could not set up the seccomp sandbox; nothing was unmounted";
	case UNMOUNT_CHILD_FAILED:
		return "the unmount process failed";
	case UNMOUNT_WRONG_MOUNT:
		return "the kernel unmounted something, but the target is still mounted: another "
		       "mount was moved into its place";
	}
	return "unknown";
}
