/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * unmount — the one privileged act, in a child process.
 *
 * The child narrows itself step by step (empty bounding set, CAP_SYS_ADMIN
 * only, no_new_privs; real and saved uid 0 so the caller cannot signal
 * it, fs uid the caller's), re-checks that the name in the pinned
 * parent still leads to the decided mount, loads the seccomp filter, and
 * calls umount2() relative to the pinned parent. The parent waits and
 * learns the outcome from the exit status alone.
 */
#ifndef USER_UMOUNT_UNMOUNT_H
#define USER_UMOUNT_UNMOUNT_H

#include "caller.h"
#include "target.h"

enum unmount_result {
	UNMOUNT_OK = 0,
	UNMOUNT_KERNEL,         /* umount2() failed: err is its errno */
	UNMOUNT_CHANGED,        /* the name no longer leads to the decided mount */
	UNMOUNT_PRIVS_FAILED,   /* could not narrow privileges: nothing done */
	UNMOUNT_RECHECK_FAILED, /* could not re-open the target: err */
	UNMOUNT_SANDBOX_FAILED,
	UNMOUNT_CHILD_FAILED, /* fork failed, or the child died (err: errno or signal) */
	UNMOUNT_WRONG_MOUNT,  /* umount2() succeeded, yet the target is still mounted */
};

/* policy flag bits (enum policy_flag) -> umount2() flags. */
int unmount_kernel_flags(unsigned policy_flags);

/*
 * Closes t->fd first (an open fd on the mount makes it busy); keeps
 * t->parent_fd. One umount2() per call.
 */
enum unmount_result unmount_run(struct target *t, const struct caller *c, int kflags, int *err);

const char *unmount_strerror(enum unmount_result r);

#endif
