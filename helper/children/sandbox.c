/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sandbox.c — see sandbox.h.
 */
#define _GNU_SOURCE
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __has_feature
#define __has_feature(x) 0 /* gcc < 14 */
#endif

static int add_rules(scmp_filter_ctx ctx, int umount_flags, const char *path)
{
	int r;

	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (r == 0 && path)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(umount2), 2,
				     SCMP_A0_64(SCMP_CMP_EQ, (uint64_t)(uintptr_t)path),
				     SCMP_A1_32(SCMP_CMP_EQ, (uint32_t)umount_flags));
	else if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(umount2), 1,
				     SCMP_A1_32(SCMP_CMP_EQ, (uint32_t)umount_flags));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0);
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit), 0);
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
	/* ASan builds only (tests, never shipped): ASan calls sigaltstack(NULL)
	 * before every noreturn call, the child's final _exit() included. */
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sigaltstack), 0);
#endif
	return r;
}

/*
 * libseccomp 2.5 exports BPF only to an fd. A pipe, not a file: the
 * caller's RLIMIT_FSIZE does not apply to it, and the program (at most
 * SANDBOX_MAX_INSNS * 8 bytes) fits in its buffer, so the write cannot block.
 */
static int export_program(scmp_filter_ctx ctx, struct sandbox *sb)
{
	int p[2], r;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	r = seccomp_export_bpf(ctx, p[1]);
	close(p[1]);
	if (r == 0) {
		n = read(p[0], sb->insns, sizeof(sb->insns));
		if (n <= 0 || n == (ssize_t)sizeof(sb->insns) || n % sizeof(struct sock_filter))
			r = n < 0 ? -errno : -E2BIG;
		else
			sb->prog.len = (unsigned short)(n / (ssize_t)sizeof(struct sock_filter));
	}
	close(p[0]);
	sb->prog.filter = sb->insns;
	return r;
}

int sandbox_export(void *ctx, struct sandbox *sb)
{
	memset(sb, 0, sizeof(*sb));
	return export_program(ctx, sb);
}

int sandbox_build(int umount_flags, struct sandbox *sb)
{
	return sandbox_build_at(umount_flags, NULL, sb);
}

int sandbox_build_at(int umount_flags, const char *path, struct sandbox *sb)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int r;

	memset(sb, 0, sizeof(*sb));
	if (!ctx)
		return -ENOMEM;
	r = add_rules(ctx, umount_flags, path);
	if (r == 0)
		r = export_program(ctx, sb);
	seccomp_release(ctx);
	return r;
}

int sandbox_load(const struct sandbox *sb)
{
	if (sb->prog.len == 0)
		return -EINVAL;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &sb->prog, 0, 0) < 0)
		return -errno;
	return 0;
}
