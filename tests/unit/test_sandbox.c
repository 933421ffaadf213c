/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_sandbox.c — the seccomp filter, proven two ways. Live, the way
 * bubblewrap's try-syscall does: after sandbox_load(), call each syscall
 * harmlessly and see whether the process dies of SIGSYS (Check's fork mode
 * makes each death a test result). And on paper: the exported BPF program
 * runs in a classic-BPF interpreter (cbpf.h) on crafted seccomp_data, so
 * foreign architectures and ABIs are proven killed even on a kernel that
 * has no ia32 entry or x32 ABI to call them with.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cbpf.h"
#include "sandbox.h"
#include "suite.h"

#define FLAGS   (MNT_DETACH | 8 /* UMOUNT_NOFOLLOW */)
#define MISSING "/nonexistent/user-umount-sandbox-test"

static void load(int flags)
{
	static struct sandbox sb;

	ck_assert_int_eq(sandbox_build(flags, &sb), 0);
	ck_assert_int_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	/* No ck_assert after this point: Check itself writes to a pipe. */
	if (sandbox_load(&sb) != 0)
		_exit(2);
}

/* Allowed: umount2 with exactly the decided flags (fails harmlessly), exit. */
START_TEST(test_umount2_exact_flags_allowed)
{
	int r;

	load(FLAGS);
	r = umount2(MISSING, FLAGS);
	_exit(r < 0 && errno == ENOENT ? 0 : 1);
}
END_TEST

START_TEST(test_umount2_plain_allowed)
{
	int r;

	load(8);
	r = umount2(MISSING, 8);
	_exit(r < 0 && errno == ENOENT ? 0 : 1);
}
END_TEST

START_TEST(test_umount2_other_flags_killed)
{
	load(FLAGS);
	umount2(MISSING, 8 | MNT_FORCE);
	_exit(0);
}
END_TEST

START_TEST(test_umount2_without_nofollow_killed)
{
	load(FLAGS);
	umount2(MISSING, MNT_DETACH);
	_exit(0);
}
END_TEST

/* The lazy detach by fd: umount2() on the one buffer the filter names. */
static char at_path[] = MISSING;

static void load_at(void)
{
	static struct sandbox sb;

	ck_assert_int_eq(sandbox_build_at(MNT_DETACH, at_path, &sb), 0);
	ck_assert_int_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	if (sandbox_load(&sb) != 0)
		_exit(2);
}

START_TEST(test_umount2_at_own_buffer_allowed)
{
	int r;

	load_at();
	r = umount2(at_path, MNT_DETACH);
	_exit(r < 0 && errno == ENOENT ? 0 : 1);
}
END_TEST

/* The same string in another buffer is another name: killed. */
START_TEST(test_umount2_at_other_buffer_killed)
{
	static char other[] = MISSING;

	load_at();
	umount2(other, MNT_DETACH);
	_exit(0);
}
END_TEST

START_TEST(test_umount2_at_other_flags_killed)
{
	load_at();
	umount2(at_path, MNT_DETACH | 8);
	_exit(0);
}
END_TEST

/* Every other syscall kills, whatever its arguments. */
static const long forbidden[] = {
    SYS_getpid,       SYS_write,        SYS_openat,    SYS_open,    SYS_read,      SYS_close,
    SYS_mount,        SYS_ptrace,       SYS_kill,      SYS_setuid,  SYS_execve,    SYS_fork,
    SYS_clone,        SYS_mmap,         SYS_brk,       SYS_munmap,  SYS_socket,    SYS_unlink,
    SYS_rt_sigreturn, SYS_rt_sigaction, SYS_prctl,     SYS_seccomp, SYS_chdir,     SYS_fchdir,
    SYS_pivot_root,   SYS_move_mount,   SYS_open_tree, SYS_fsmount, SYS_nanosleep,
};

START_TEST(test_forbidden_killed)
{
	load(FLAGS);
	syscall(forbidden[_i], 0, 0, 0, 0, 0, 0);
	_exit(0);
}
END_TEST

/* x32 ABI numbers on x86_64 (same AUDIT_ARCH) must not slip through. */
START_TEST(test_x32_killed)
{
	load(FLAGS);
	syscall(0x40000000 | SYS_umount2, MISSING, FLAGS);
	_exit(0);
}
END_TEST

#if defined(__x86_64__)
/* i386 getpid through int $0x80: the pid, or a signal without an ia32 entry. */
static long ia32_getpid(void)
{
	long ret = 20; /* i386 getpid */

	__asm__ volatile("int $0x80" : "+a"(ret) : : "memory");
	return ret;
}

/* Does this kernel offer the ia32 entry? Asked in a child with no filter:
 * some kernels answer int $0x80 with SIGSEGV whatever the filter says. */
static int ia32_entry(void)
{
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(ia32_getpid() == getpid() ? 0 : 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}
#endif

/* A foreign architecture (i386 via int $0x80) is killed, live, where the
 * kernel has the ia32 entry; test_bpf_table proves it on every kernel. */
START_TEST(test_i386_killed_live)
{
#if defined(__x86_64__)
	int status;
	pid_t pid;

	if (!ia32_entry()) {
		printf("note: no ia32 entry on this kernel: i386 proven by test_bpf_table only\n");
		return;
	}
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		long ret = 52; /* i386 umount2 */

		load(FLAGS);
		__asm__ volatile("int $0x80" : "+a"(ret) : "b"(0), "c"(FLAGS) : "memory");
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS, "i386 umount2: status %#x",
		      status);
#endif
}
END_TEST

#if defined(__x86_64__)
/* The exported program, run on crafted seccomp_data: what the kernel would
 * answer for each (architecture, number, flags), whatever this kernel offers. */
#define X32_BIT 0x40000000
#define KILL    SECCOMP_RET_KILL_PROCESS
#define ALLOW   SECCOMP_RET_ALLOW

static const struct bpf_case {
	const char *what;
	uint32_t arch;
	int nr;
	uint64_t flags;
	uint32_t action;
} bpf_cases[] = {
    {.what = "x86_64 umount2, decided flags",
     .arch = AUDIT_ARCH_X86_64,
     .nr = SYS_umount2,
     .flags = FLAGS,
     .action = ALLOW},
    {.what = "x86_64 exit_group", .arch = AUDIT_ARCH_X86_64, .nr = SYS_exit_group, .action = ALLOW},
    {.what = "x86_64 exit", .arch = AUDIT_ARCH_X86_64, .nr = SYS_exit, .action = ALLOW},
    {.what = "x86_64 umount2, MNT_FORCE added",
     .arch = AUDIT_ARCH_X86_64,
     .nr = SYS_umount2,
     .flags = FLAGS | MNT_FORCE,
     .action = KILL},
    {.what = "x86_64 umount2, no UMOUNT_NOFOLLOW",
     .arch = AUDIT_ARCH_X86_64,
     .nr = SYS_umount2,
     .flags = MNT_DETACH,
     .action = KILL},
    {.what = "x86_64 umount2, no flags",
     .arch = AUDIT_ARCH_X86_64,
     .nr = SYS_umount2,
     .action = KILL},
    {.what = "x86_64 getpid", .arch = AUDIT_ARCH_X86_64, .nr = SYS_getpid, .action = KILL},
    {.what = "x86_64 mount", .arch = AUDIT_ARCH_X86_64, .nr = SYS_mount, .action = KILL},
    {.what = "x32 umount2, decided flags",
     .arch = AUDIT_ARCH_X86_64,
     .nr = X32_BIT | SYS_umount2,
     .flags = FLAGS,
     .action = KILL},
    {.what = "x32 exit_group",
     .arch = AUDIT_ARCH_X86_64,
     .nr = X32_BIT | SYS_exit_group,
     .action = KILL},
    {.what = "x32 exit", .arch = AUDIT_ARCH_X86_64, .nr = X32_BIT | SYS_exit, .action = KILL},
    {.what = "i386 umount2 (52), decided flags",
     .arch = AUDIT_ARCH_I386,
     .nr = 52,
     .flags = FLAGS,
     .action = KILL},
    {.what = "i386 nr = x86_64 umount2",
     .arch = AUDIT_ARCH_I386,
     .nr = SYS_umount2,
     .flags = FLAGS,
     .action = KILL},
    {.what = "i386 exit (1)", .arch = AUDIT_ARCH_I386, .nr = 1, .action = KILL},
    {.what = "i386 exit_group (252)", .arch = AUDIT_ARCH_I386, .nr = 252, .action = KILL},
    {.what = "aarch64 umount2 (39)",
     .arch = AUDIT_ARCH_AARCH64,
     .nr = 39,
     .flags = FLAGS,
     .action = KILL},
    {.what = "no architecture", .arch = 0, .nr = SYS_umount2, .flags = FLAGS, .action = KILL},
};

START_TEST(test_bpf_table)
{
	static struct sandbox sb;
	const struct bpf_case *c = &bpf_cases[_i];
	struct seccomp_data d = {.nr = c->nr, .arch = c->arch, .args = {0, c->flags}};
	uint32_t ret = 0;

	ck_assert_int_eq(sandbox_build(FLAGS, &sb), 0);
	ck_assert_msg(cbpf_run(&sb.prog, &d, &ret) == 0, "%s: program invalid", c->what);
	ck_assert_msg((ret & SECCOMP_RET_ACTION_FULL) == c->action, "%s: %#x, expected %#x",
		      c->what, ret, c->action);
}
END_TEST

/* Every forbidden native syscall, on paper too, with the decided flags as
 * its second argument (an argument check must not leak to another nr). */
START_TEST(test_bpf_forbidden)
{
	static struct sandbox sb;
	struct seccomp_data d = {
	    .nr = (int)forbidden[_i], .arch = AUDIT_ARCH_X86_64, .args = {0, FLAGS}};
	uint32_t ret = 0;

	ck_assert_int_eq(sandbox_build(FLAGS, &sb), 0);
	ck_assert_int_eq(cbpf_run(&sb.prog, &d, &ret), 0);
	ck_assert_uint_eq(ret & SECCOMP_RET_ACTION_FULL, KILL);
}
END_TEST
#endif

START_TEST(test_exit_group_allowed)
{
	load(FLAGS);
	syscall(SYS_exit_group, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sandbox");
	TCase *tc = tcase_create("sandbox");

	tcase_add_exit_test(tc, test_umount2_exact_flags_allowed, 0);
	tcase_add_exit_test(tc, test_umount2_plain_allowed, 0);
	tcase_add_exit_test(tc, test_exit_group_allowed, 0);
	tcase_add_exit_test(tc, test_umount2_at_own_buffer_allowed, 0);
	tcase_add_test_raise_signal(tc, test_umount2_at_other_buffer_killed, SIGSYS);
	tcase_add_test_raise_signal(tc, test_umount2_at_other_flags_killed, SIGSYS);
	tcase_add_test_raise_signal(tc, test_umount2_other_flags_killed, SIGSYS);
	tcase_add_test_raise_signal(tc, test_umount2_without_nofollow_killed, SIGSYS);
	tcase_add_loop_test_raise_signal(tc, test_forbidden_killed, SIGSYS, 0,
					 sizeof(forbidden) / sizeof(forbidden[0]));
	tcase_add_test_raise_signal(tc, test_x32_killed, SIGSYS);
	tcase_add_test(tc, test_i386_killed_live);
#if defined(__x86_64__)
	tcase_add_loop_test(tc, test_bpf_table, 0, sizeof(bpf_cases) / sizeof(bpf_cases[0]));
	tcase_add_loop_test(tc, test_bpf_forbidden, 0, sizeof(forbidden) / sizeof(forbidden[0]));
#endif
	suite_add_tcase(s, tc);
	return uu_run_suite(s);
}
