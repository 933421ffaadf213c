/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * unmount.c — see unmount.h.
 */
#define _GNU_SOURCE
#include "unmount.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "policy.h"
#include "privs.h"
#include "sandbox.h"

#ifndef UMOUNT_NOFOLLOW
#define UMOUNT_NOFOLLOW 0x00000008
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
	sigset_t all;
	char byte;
	int r;

	/* A signal handled after the filter is loaded would need
	 * rt_sigreturn, which it kills: a Ctrl-C right after a successful
	 * umount2() would then read as a failure. Everything stays pending
	 * until _exit(). */
	sigfillset(&all);
	if (sigprocmask(SIG_BLOCK, &all, NULL) < 0)
		_exit(STEP_PRIVS);
	if (privs_unmount_child(c->uid) < 0)
		_exit(STEP_PRIVS);
	if (sandbox_build(kflags, &sb) < 0)
		_exit(STEP_SANDBOX);
	while ((r = (int)read(go, &byte, 1)) < 0 && errno == EINTR)
		;
	if (r != 1)
		_exit(STEP_RECHECK);
	close(go);
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
	}
	return "unknown";
}
