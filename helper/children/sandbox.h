/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sandbox — the seccomp filter the unmount child runs under.
 *
 * Built with libseccomp (which allocates) into a plain BPF program held by
 * the caller, then loaded with one prctl(): after sandbox_load() returns,
 * the child may call umount2() with exactly the decided flags, and exit.
 * Anything else, or any foreign architecture/ABI, kills the process.
 */
#ifndef USER_UMOUNT_SANDBOX_H
#define USER_UMOUNT_SANDBOX_H

#include <linux/filter.h>

#define SANDBOX_MAX_INSNS 256

struct sandbox {
	struct sock_filter insns[SANDBOX_MAX_INSNS];
	struct sock_fprog prog;
};

/* 0 or -errno. umount_flags are the kernel's (MNT_*, UMOUNT_NOFOLLOW). */
int sandbox_build(int umount_flags, struct sandbox *sb);

/*
 * The same, and umount2()'s path argument must be the pointer PATH itself
 * (a buffer nothing changes after the filter is loaded): the lazy detach
 * by fd may reach no other name.
 */
int sandbox_build_at(int umount_flags, const char *path, struct sandbox *sb);

/*
 * Export a libseccomp filter (a scmp_filter_ctx) into sb, for filters
 * built elsewhere (probe.c). 0 or -errno.
 */
int sandbox_export(void *ctx, struct sandbox *sb);

/* No allocation, no stdio: only prctl(). 0 or -errno. */
int sandbox_load(const struct sandbox *sb);

#endif
