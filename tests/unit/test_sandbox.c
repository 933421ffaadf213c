/*
 * test_sandbox.c — the seccomp filter, proven the way bubblewrap's
 * try-syscall does: after sandbox_load(), call each syscall harmlessly and
 * see whether the process dies of SIGSYS. Check's fork mode makes each
 * death a test result (tcase_add_test_raise_signal).
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

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

/* A foreign architecture (i386 via int $0x80) is killed too. */
START_TEST(test_i386_killed)
{
	load(FLAGS);
#if defined(__x86_64__)
	{
		long ret = 52; /* i386 umount2 */

		__asm__ volatile("int $0x80" : "+a"(ret) : "b"(0), "c"(FLAGS) : "memory");
	}
#else
	raise(SIGSYS);
#endif
	_exit(0);
}
END_TEST

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
	tcase_add_test_raise_signal(tc, test_umount2_other_flags_killed, SIGSYS);
	tcase_add_test_raise_signal(tc, test_umount2_without_nofollow_killed, SIGSYS);
	tcase_add_loop_test_raise_signal(tc, test_forbidden_killed, SIGSYS, 0,
					 sizeof(forbidden) / sizeof(forbidden[0]));
	tcase_add_test_raise_signal(tc, test_x32_killed, SIGSYS);
	tcase_add_test_raise_signal(tc, test_i386_killed, SIGSYS);
	suite_add_tcase(s, tc);
	return uu_run_suite(s);
}
