/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * probe.c — see probe.h.
 */
#define _GNU_SOURCE
#include "probe.h"

#include "privs.h"

#include "lazylib.h"
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/fs.h>
#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef __has_feature
#define __has_feature(x) 0 /* gcc < 14 */
#endif

#define PROBE_NOBODY      65534
#define PROBE_CPU_SECONDS 2
#define PROBE_MEMORY      (256ul << 20)
#define PROBE_UEVENT_MAX  4096

/* The child's exit codes; a signal (SIGSYS, SIGXCPU) is a failure too. */
enum { CHILD_FOUND = 0, CHILD_NO_TAG = 3, CHILD_FAILED = 4 };

/* DEVNAME of block device dev, as the kernel names it in sysfs. */
static int devname_of(dev_t dev, char *name, size_t len)
{
	char path[64], buf[PROBE_UEVENT_MAX];
	const char *p, *end;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/uevent", major(dev), minor(dev));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	for (p = buf; p; p = (p = strchr(p, '\n')) ? p + 1 : NULL) {
		if (strncmp(p, "DEVNAME=", 8) != 0)
			continue;
		p += 8;
		end = p + strcspn(p, "\n");
		if (end == p || (size_t)(end - p) >= len || memmem(p, (size_t)(end - p), "..", 2))
			return -EINVAL;
		memcpy(name, p, (size_t)(end - p));
		name[end - p] = '\0';
		return 0;
	}
	return -ENOENT;
}

/*
 * Opening a device as root is a privileged act on a path: the path comes
 * from the kernel (sysfs), never from the caller or the mount table's
 * source string (a FUSE fsname can say anything), and the fd is checked to
 * be the device the mount is on, so a swapped node opens nothing else.
 */
int probe_open_device(dev_t dev, int *fd)
{
	char name[NAME_MAX], path[PATH_MAX];
	struct stat st;
	int r = major(dev) ? devname_of(dev, name, sizeof(name)) : -ENODEV;

	*fd = -1;
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "/dev/%s", name);
	/* fs uid 0 for this open only: device nodes are root's (root:disk 0660). */
	if (privs_fs_root() < 0)
		return -EPERM;
	*fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	r = *fd < 0 ? -errno : 0;
	if (privs_fs_caller(geteuid()) < 0)
		_exit(4); /* cannot happen: a uid we hold; never go on as fs uid 0 */
	if (r < 0)
		return r;
	if (fstat(*fd, &st) < 0 || !S_ISBLK(st.st_mode) || st.st_rdev != dev) {
		close(*fd);
		*fd = -1;
		return -ENODEV;
	}
	return 0;
}

static int allow_on_fd(scmp_filter_ctx ctx, int nr, int fd)
{
	return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A0(SCMP_CMP_EQ, (uint64_t)fd));
}

/* Memory: anonymous, never executable. Exit. */
static int memory_rules(scmp_filter_ctx ctx)
{
	static const int plain[] = {SCMP_SYS(brk),       SCMP_SYS(munmap), SCMP_SYS(mremap),
				    SCMP_SYS(madvise),   SCMP_SYS(close),  SCMP_SYS(exit),
				    SCMP_SYS(exit_group)};
	int r = 0;

	for (size_t i = 0; r == 0 && i < sizeof(plain) / sizeof(plain[0]); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, plain[i], 0);
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 2,
				     SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0),
				     SCMP_A3(SCMP_CMP_MASKED_EQ, MAP_ANONYMOUS, MAP_ANONYMOUS));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
				     SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
	if (r == 0) /* ASan builds only (tests): see sandbox.c */
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sigaltstack), 0);
#endif
	return r;
}

/*
 * What a crafted superblock could make a subverted libblkid do: read the
 * one device it was given and write the one pipe. libblkid's sysfs lookups
 * and device ioctls fail harmlessly (the parent passed the size and sector
 * size); anything else kills the child.
 */
static int filter_rules(scmp_filter_ctx ctx, int devfd, int out)
{
	static const int on_device[] = {SCMP_SYS(read),  SCMP_SYS(pread64),    SCMP_SYS(lseek),
					SCMP_SYS(fstat), SCMP_SYS(newfstatat), SCMP_SYS(fadvise64)};
	/* libblkid's sysfs lookups (partitions, device mapper): they fail */
	static const int refused[] = {SCMP_SYS(open),      SCMP_SYS(openat),     SCMP_SYS(access),
				      SCMP_SYS(faccessat), SCMP_SYS(faccessat2), SCMP_SYS(stat),
				      SCMP_SYS(lstat),     SCMP_SYS(statx),      SCMP_SYS(readlink),
				      SCMP_SYS(readlinkat)};
	int r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);

	for (size_t i = 0; r == 0 && i < sizeof(on_device) / sizeof(on_device[0]); i++)
		r = allow_on_fd(ctx, on_device[i], devfd);
	for (size_t i = 0; r == 0 && i < sizeof(refused) / sizeof(refused[0]); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), refused[i], 0);
	if (r == 0) /* a path relative to anything else than the device */
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(newfstatat), 1,
				     SCMP_A0(SCMP_CMP_NE, (uint64_t)devfd));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOTTY), SCMP_SYS(ioctl), 1,
				     SCMP_A0(SCMP_CMP_EQ, (uint64_t)devfd));
	if (r == 0)
		r = allow_on_fd(ctx, SCMP_SYS(write), out);
	return r == 0 ? memory_rules(ctx) : r;
}

int probe_filter_build(int devfd, int out, struct sandbox *sb)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int r;

	if (!ctx)
		return -ENOMEM;
	r = filter_rules(ctx, devfd, out);
	if (r == 0)
		r = sandbox_export(ctx, sb);
	seccomp_release(ctx);
	return r;
}

/* Every fd but the device and the pipe is closed: nothing else to reach. */
static int close_others(int a, int b)
{
	int lo = a < b ? a : b, hi = a < b ? b : a;

	if ((lo > 3 && close_range(3, (unsigned)lo - 1, 0) < 0) ||
	    (hi > lo + 1 && close_range((unsigned)lo + 1, (unsigned)hi - 1, 0) < 0) ||
	    close_range((unsigned)hi + 1, ~0U, 0) < 0)
		return -errno;
	return 0;
}

/*
 * The child keeps nothing of root: every uid and gid the caller's (the
 * main process's effective ids are the caller's; a root caller stays uid 0
 * with no capability), no capability, no_new_privs; a subverted child is
 * the caller, confined. Read back (privs_become_caller), then limits.
 */
static int child_narrow(int devfd, int out)
{
	struct rlimit cpu = {PROBE_CPU_SECONDS, PROBE_CPU_SECONDS},
		      mem = {PROBE_MEMORY, PROBE_MEMORY};

	if (close_others(devfd, out) < 0 || privs_become_caller(geteuid(), getegid()) < 0)
		return -1;
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return -1;
	if (setrlimit(RLIMIT_CPU, &cpu) < 0)
		return -1;
#if !defined(__SANITIZE_ADDRESS__) && !__has_feature(address_sanitizer)
	/* (ASan builds, tests only: its shadow alone is terabytes of address space) */
	if (setrlimit(RLIMIT_AS, &mem) < 0)
		return -1;
#else
	(void)mem;
#endif
	return 0;
}

int probe_enter_sandbox(int devfd, int out, const struct sandbox *sb)
{
	sigset_t all;

	/* A handled signal would need rt_sigreturn, which the filter kills. */
	sigfillset(&all);
	if (sigprocmask(SIG_BLOCK, &all, NULL) < 0 || child_narrow(devfd, out) < 0)
		return -EPERM;
	return sandbox_load(sb);
}

static void probe_child(int devfd, int out, const char *tag, uint64_t size, unsigned ssz,
			const struct sandbox *sb)
{
	blkid_probe pr = blkid_new_probe(); /* allocates: before the filter */
	const char *v = NULL;
	size_t len;
	int r;

	if (!pr || probe_enter_sandbox(devfd, out, sb) < 0)
		_exit(CHILD_FAILED);
	/* From here on only the filter's calls: the device is untrusted data. */
	if (blkid_probe_set_device(pr, devfd, 0, (blkid_loff_t)size) < 0 ||
	    blkid_probe_set_sectorsize(pr, ssz) < 0 || blkid_probe_enable_partitions(pr, 0) < 0 ||
	    blkid_probe_enable_superblocks(pr, 1) < 0 ||
	    blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID) < 0)
		_exit(CHILD_FAILED);
	r = blkid_do_safeprobe(pr); /* 1: nothing; -2: several file systems */
	if (r != 0 || blkid_probe_lookup_value(pr, tag, &v, NULL) < 0 || !v)
		_exit(r < 0 && r != -2 ? CHILD_FAILED : CHILD_NO_TAG);
	len = strnlen(v, PROBE_VALUE_MAX);
	_exit(len < PROBE_VALUE_MAX && write(out, v, len) == (ssize_t)len ? CHILD_FOUND
									  : CHILD_FAILED);
}

/* The child's answer: at most len - 1 bytes, then its exit status. */
static enum probe_result collect_answer(pid_t pid, int in, char *value, size_t len, int *err)
{
	size_t got = 0;
	ssize_t n;
	int status;

	do {
		n = read(in, value + got, len - got);
		if (n > 0)
			got += (size_t)n;
	} while ((n > 0 && got < len) || (n < 0 && errno == EINTR));
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return *err = errno, PROBE_FAILED;
	if (!WIFEXITED(status) || got >= len || memchr(value, '\0', got))
		return *err = EPROTO, PROBE_FAILED;
	value[got] = '\0';
	if (WEXITSTATUS(status) == CHILD_NO_TAG)
		return PROBE_NO_TAG;
	if (WEXITSTATUS(status) != CHILD_FOUND || got == 0)
		return *err = EPROTO, PROBE_FAILED;
	return PROBE_FOUND;
}

/* Size and sector size are asked by the parent: the child has no ioctl. */
static int device_geometry(int fd, uint64_t *size, unsigned *ssz)
{
	int s = 0;

	if (ioctl(fd, BLKGETSIZE64, size) < 0 || ioctl(fd, BLKSSZGET, &s) < 0)
		return -errno;
	if (s <= 0)
		return -EIO;
	*ssz = (unsigned)s;
	return 0;
}

enum probe_result probe_tag(dev_t dev, const char *tag, char *value, size_t len, int *err)
{
	enum probe_result res = PROBE_FAILED;
	int devfd = -1, p[2] = {-1, -1}, r;
	struct sandbox sb;
	uint64_t size = 0;
	unsigned ssz = 0;
	pid_t pid;

	*err = 0;
	value[0] = '\0';
	r = probe_open_device(dev, &devfd);
	if (r == 0)
		r = device_geometry(devfd, &size, &ssz);
	if (r == 0 && pipe2(p, O_CLOEXEC) < 0)
		r = -errno;
	if (r == 0)
		r = probe_filter_build(devfd, p[1], &sb);
	if (r < 0)
		goto out;
	(void)lazylib_blkid(); /* loaded here: the child opens no library */
	pid = fork();
	if (pid == 0)
		probe_child(devfd, p[1], tag, size, ssz, &sb);
	if (pid < 0) {
		r = -errno;
		goto out;
	}
	close(p[1]);
	p[1] = -1;
	res = collect_answer(pid, p[0], value, len, err);
out:
	if (r < 0)
		*err = -r;
	for (int i = 0; i < 2; i++)
		if (p[i] >= 0)
			close(p[i]);
	if (devfd >= 0)
		close(devfd);
	return res;
}
