/*
 * unmount.c — see unmount.h.
 */
#define _GNU_SOURCE
#include "unmount.h"

#include <errno.h>
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

static int narrow_privileges(const struct caller *c)
{
	if (privs_drop_bounding_set() < 0)
		return -1;
	if (privs_keep_only_sys_admin(c->uid, c->gid) < 0)
		return -1;
	return privs_no_new_privs();
}

/*
 * Runs in the child. The order matters: privileges are narrowed before the
 * target path is touched again; the seccomp filter is built while
 * allocation is still allowed, and before the re-check, so that between
 * the re-check and umount2() there is only fchdir, close and one prctl;
 * the re-check and the umount2() both go through the pinned parent; after
 * the filter only umount2() and _exit() run.
 */
static __attribute__((noreturn)) void unmount_child(const struct target *t, const struct caller *c,
						    int kflags)
{
	static struct sandbox sb;
	int r;

	if (narrow_privileges(c) < 0)
		_exit(STEP_PRIVS);
	if (sandbox_build(kflags, &sb) < 0)
		_exit(STEP_SANDBOX);
	r = target_recheck(t);
	if (r == -ESTALE)
		_exit(STEP_CHANGED);
	if (r < 0 || fchdir(t->parent_fd) < 0)
		_exit(STEP_RECHECK);
	close(t->parent_fd);
	if (sandbox_load(&sb) < 0)
		_exit(STEP_SANDBOX);
	r = umount2(t->last, kflags);
	if (r < 0 && errno == EBUSY && (kflags & MNT_FORCE))
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
	int status;
	pid_t pid;

	/* Our own O_PATH fd on the mount would make it busy. */
	if (t->fd >= 0) {
		close(t->fd);
		t->fd = -1;
	}
	pid = fork();
	if (pid < 0) {
		*err = errno;
		return UNMOUNT_CHILD_FAILED;
	}
	if (pid == 0)
		unmount_child(t, c, kflags);
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
