/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_tags.c — tag names and udev's encoding, the loop device's dev_t
 * encoding, the probe child's seccomp filter (each allowed and forbidden
 * call), and the probe itself on a real loop device (as root).
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "answers.h"
#include "asks.h"
#include "loopdev.h"
#include "loopinfo.h"
#include "probe.h"
#include "suite.h"
#include "tags.h"

static const struct {
	const char *value;
	const char *encoded;
} encodings[] = {
    {"My Stick", "My\\x20Stick"},
    {"STICK", "STICK"},
    {"a/b", "a\\x2fb"},
    {"back\\slash", "back\\x5cslash"},
    {"tab\there", "tab\\x09here"},
    {"ok#+-.:=@_", "ok#+-.:=@_"},
    {"caf\xc3\xa9", "caf\xc3\xa9"}, /* valid UTF-8 stays */
    {"bad\xc3(", "bad\\xc3\\x28"},  /* invalid UTF-8 does not */
    {"$(x)", "\\x24\\x28x\\x29"},   /* nothing a shell or path would read */
    {"0123-ABCD", "0123-ABCD"},     /* a vfat UUID */
    {"..", ".."},                   /* refused by link lookup, not here */
};

START_TEST(test_encode_decode)
{
	char enc[256], dec[256];

	ck_assert_int_eq(tags_encode(encodings[_i].value, enc, sizeof(enc)), 0);
	ck_assert_str_eq(enc, encodings[_i].encoded);
	ck_assert_int_eq(tags_decode(enc, dec, sizeof(dec)), 0);
	ck_assert_str_eq(dec, encodings[_i].value);
}
END_TEST

START_TEST(test_decode_refuses)
{
	char dec[16];

	ck_assert_int_eq(tags_decode("a\\x0", dec, sizeof(dec)), -EINVAL);
	ck_assert_int_eq(tags_decode("a\\x00b", dec, sizeof(dec)), -EINVAL); /* no NUL inside */
	ck_assert_int_eq(tags_decode("a\\y20", dec, sizeof(dec)), -EINVAL);
	ck_assert_int_eq(tags_decode("a\\xg0", dec, sizeof(dec)), -EINVAL);
	ck_assert_int_eq(tags_decode("0123456789abcdef", dec, sizeof(dec)), -ENAMETOOLONG);
	ck_assert_int_eq(tags_encode("My Stick", dec, 8), -ENAMETOOLONG);
}
END_TEST

START_TEST(test_parse)
{
	char name[16];
	const char *value = NULL;

	ck_assert(tags_parse("LABEL=My Stick", name, sizeof(name), &value));
	ck_assert_str_eq(name, "LABEL");
	ck_assert_str_eq(value, "My Stick");
	ck_assert(tags_parse("UUID=1234-ABCD", name, sizeof(name), &value));
	ck_assert(tags_parse("PARTLABEL=x", name, sizeof(name), &value));
	ck_assert(tags_parse("PARTUUID=x=y", name, sizeof(name), &value));
	ck_assert_str_eq(value, "x=y");
	ck_assert(!tags_parse("LABEL=", name, sizeof(name), &value));
	ck_assert(!tags_parse("label=x", name, sizeof(name), &value));
	ck_assert(!tags_parse("ID=x", name, sizeof(name), &value));
	ck_assert(!tags_parse("/mnt/LABEL=x", name, sizeof(name), &value));
	ck_assert(!tags_parse("./LABEL=x", name, sizeof(name), &value));
	ck_assert(!tags_parse("LABEL", name, sizeof(name), &value));
	ck_assert(!tags_parse("PARTLABEL=x", name, 4, &value));
}
END_TEST

START_TEST(test_link_path)
{
	char name[16], value[64];

	ck_assert_int_eq(tags_from_link_path("/dev/disk/by-label/My\\x20Stick", name, sizeof(name),
					     value, sizeof(value)),
			 0);
	ck_assert_str_eq(name, "LABEL");
	ck_assert_str_eq(value, "My Stick");
	ck_assert_int_eq(tags_from_link_path("/dev/disk/by-partuuid/abc-01", name, sizeof(name),
					     value, sizeof(value)),
			 0);
	ck_assert_str_eq(name, "PARTUUID");
	ck_assert_int_eq(
	    tags_from_link_path("/dev/disk/by-id/usb-x", name, sizeof(name), value, sizeof(value)),
	    -EINVAL);
	ck_assert_int_eq(
	    tags_from_link_path("/dev/disk/by-label/a/b", name, sizeof(name), value, sizeof(value)),
	    -EINVAL);
	ck_assert_int_eq(
	    tags_from_link_path("/dev/disk/by-label/", name, sizeof(name), value, sizeof(value)),
	    -EINVAL);
	ck_assert_int_eq(tags_from_link_path("/dev/sda1", name, sizeof(name), value, sizeof(value)),
			 -EINVAL);
}
END_TEST

/* loop_info64.lo_device is the kernel's new_encode_dev(). */
START_TEST(test_loop_decode)
{
	ck_assert(loopdev_decode(0x0801) == makedev(8, 1));
	ck_assert(loopdev_decode(0xfd00) == makedev(253, 0));
	ck_assert(loopdev_decode((0x12345ull & 0xff) | (8u << 8) |
				 ((0x12345ull & ~0xffull) << 12)) == makedev(8, 0x12345));
	ck_assert(loopdev_is_loop(makedev(7, 3)));
	ck_assert(loopdev_is_loop(makedev(7, 1000)));
	ck_assert(!loopdev_is_loop(makedev(8, 1)));
	ck_assert(!loopdev_is_loop(makedev(0, 42)));
}
END_TEST

/* The lookups' privileged questions (asks.h): until main() installs the
 * answers of helper/privileged/, every one fails, none allows; installed,
 * they are privileged/'s own functions. */
START_TEST(test_asks_fail_closed)
{
	struct loopdev_backing b = {.dev = 1, .inode = 1};
	struct nsscan sc = {.n = 7};
	uint64_t dev = makedev(8, 1);

	lookup_asks_install(NULL);
	ck_assert(!lookup_asks()->device_has_tag("LABEL", "x", makedev(8, 1)));
	ck_assert_int_eq(lookup_asks()->loop_backing(makedev(7, 0), &b), -EPERM);
	ck_assert(b.dev == 0 && b.inode == 0);
	ck_assert_int_eq(lookup_asks()->scan_namespaces(&dev, 1, &sc), -EPERM);
	ck_assert(sc.n == 0 && !lookup_scan_unsupported(-EPERM));
	lookup_asks_install(&privileged_answers);
	ck_assert(lookup_asks()->device_has_tag == tags_device_has);
	ck_assert(lookup_asks()->loop_backing == loopdev_backing);
	lookup_asks_install(NULL);
}
END_TEST

/* What the probe child may do under its filter, one call per row. */
enum probe_call {
	CALL_READ_DEVICE,
	CALL_WRITE_PIPE,
	CALL_MMAP_ANON,
	CALL_OPENAT,
	CALL_STAT_PATH,
	CALL_READLINKAT,
	CALL_FSTAT_DEVICE,
	CALL_IOCTL_DEVICE,
	CALL_READ_OTHER,
	CALL_WRITE_OTHER,
	CALL_MMAP_EXEC,
	CALL_MMAP_FILE,
	CALL_IOCTL_OTHER,
	CALL_SOCKET,
	CALL_EXECVE,
	CALL_SETUID,
	CALL_KILL,
};

static const struct {
	enum probe_call call;
	int sig;    /* the signal it dies of, 0 if it lives */
	int errnum; /* the errno it gets when it lives, 0 for success */
} probe_calls[] = {
    {CALL_READ_DEVICE, 0, 0},      {CALL_WRITE_PIPE, 0, 0},        {CALL_MMAP_ANON, 0, 0},
    {CALL_OPENAT, 0, EACCES},      {CALL_STAT_PATH, 0, EACCES},    {CALL_READLINKAT, 0, EACCES},
    {CALL_FSTAT_DEVICE, 0, 0},     {CALL_IOCTL_DEVICE, 0, ENOTTY}, {CALL_READ_OTHER, SIGSYS, 0},
    {CALL_WRITE_OTHER, SIGSYS, 0}, {CALL_MMAP_EXEC, SIGSYS, 0},    {CALL_MMAP_FILE, SIGSYS, 0},
    {CALL_IOCTL_OTHER, SIGSYS, 0}, {CALL_SOCKET, SIGSYS, 0},       {CALL_EXECVE, SIGSYS, 0},
    {CALL_SETUID, SIGSYS, 0},      {CALL_KILL, SIGSYS, 0},
};

static long do_call(enum probe_call c, int dev, int out, int other)
{
	char buf[16] = "x";
	struct stat st;
	void *p;

	switch (c) {
	case CALL_READ_DEVICE:
		return read(dev, buf, 1);
	case CALL_WRITE_PIPE:
		return write(out, buf, 1);
	case CALL_MMAP_ANON:
	case CALL_MMAP_EXEC:
	case CALL_MMAP_FILE:
		p = mmap(NULL, 4096, PROT_READ | (c == CALL_MMAP_EXEC ? PROT_EXEC : 0),
			 c == CALL_MMAP_FILE ? MAP_PRIVATE : MAP_PRIVATE | MAP_ANONYMOUS,
			 c == CALL_MMAP_FILE ? dev : -1, 0);
		return p == MAP_FAILED ? -1 : 0;
	case CALL_OPENAT:
		return openat(AT_FDCWD, "/etc/passwd", O_RDONLY);
	case CALL_STAT_PATH:
		return stat("/etc/passwd", &st);
	case CALL_READLINKAT:
		return readlinkat(AT_FDCWD, "/proc/self/exe", buf, sizeof(buf));
	case CALL_FSTAT_DEVICE:
		return fstat(dev, &st);
	case CALL_IOCTL_DEVICE:
		return ioctl(dev, FIONREAD, buf);
	case CALL_READ_OTHER:
		return read(other, buf, 1);
	case CALL_WRITE_OTHER:
		return write(other, buf, 1);
	case CALL_IOCTL_OTHER:
		return ioctl(other, FIONREAD, buf);
	case CALL_SOCKET:
		return socket(AF_UNIX, SOCK_STREAM, 0);
	case CALL_EXECVE:
		return execl("/bin/true", "true", (char *)NULL);
	case CALL_SETUID:
		return setuid(0);
	case CALL_KILL:
		return kill(1, 0);
	}
	return -1;
}

START_TEST(test_probe_filter)
{
	int dev = open("/dev/zero", O_RDONLY), p[2], other = open("/dev/null", O_RDWR), status;
	struct sandbox sb;
	pid_t pid;
	long r;

	ck_assert(dev >= 0 && other >= 0 && pipe(p) == 0);
	ck_assert_int_eq(probe_filter_build(dev, p[1], &sb), 0);
	pid = fork();
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || sandbox_load(&sb) < 0)
			_exit(100);
		errno = 0;
		r = do_call(probe_calls[_i].call, dev, p[1], other);
		_exit(r >= 0 ? 0 : errno == probe_calls[_i].errnum ? 1 : 2);
	}
	ck_assert(waitpid(pid, &status, 0) == pid);
	if (probe_calls[_i].sig) {
		ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == probe_calls[_i].sig,
			      "row %d: status %#x", _i, status);
	} else {
		ck_assert_msg(WIFEXITED(status), "row %d died: %#x", _i, status);
		ck_assert_int_eq(WEXITSTATUS(status), probe_calls[_i].errnum ? 1 : 0);
	}
}
END_TEST

/* A line of /proc/PID/status, e.g. "Uid:". */
static void proc_status(pid_t pid, const char *key, char *out, size_t len)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	out[0] = '\0';
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0)
			snprintf(out, len, "%s",
				 line + strlen(key) + strspn(line + strlen(key), " \t"));
	if (f)
		fclose(f);
	out[strcspn(out, "\n")] = '\0';
}

/*
 * The child's whole narrowing, read back from the kernel while it sits in
 * its sandbox (blocked reading the "device", a pipe we hold): row 0 as
 * the child of a main process narrowed for caller 65534 (uids 0/65534/0),
 * row 1 for a root caller. Then one syscall outside the filter kills it.
 */
START_TEST(test_probe_sandbox)
{
	int dev[2], p[2], other = open("/dev/null", O_RDWR), status;
	const char *want = _i == 0 ? "65534\t65534\t65534\t65534" : "0\t0\t0\t0";
	char uid[64], eff[64], prm[64], nnp[16];
	struct sandbox sb;
	pid_t pid;

	ck_assert(other >= 0 && pipe(dev) == 0 && pipe(p) == 0);
	ck_assert_int_eq(probe_filter_build(dev[0], p[1], &sb), 0);
	pid = fork();
	if (pid == 0) {
		char c = 0;

		if (_i == 0 && (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
				setresuid(0, 65534, 0) < 0))
			_exit(9);
		if (probe_enter_sandbox(dev[0], p[1], &sb) < 0)
			_exit(10);
		if (read(dev[0], &c, 1) != 1 || openat(AT_FDCWD, "/", O_RDONLY) >= 0)
			_exit(14);
		if (fcntl(other, F_GETFD) >= 0 || errno != EBADF) /* closed (EBADF) */
			_exit(15);
		kill(1, 0); /* not in the filter */
		_exit(16);
	}
	close(dev[0]);
	/* Wait until it is narrowed (NoNewPrivs is set last but one). */
	for (int tries = 0; tries < 500; tries++) {
		proc_status(pid, "NoNewPrivs:", nnp, sizeof(nnp));
		if (strcmp(nnp, "1") == 0)
			break;
		usleep(2000);
	}
	usleep(20000);
	proc_status(pid, "Uid:", uid, sizeof(uid));
	proc_status(pid, "CapEff:", eff, sizeof(eff));
	proc_status(pid, "CapPrm:", prm, sizeof(prm));
	ck_assert_int_eq(write(dev[1], "x", 1), 1);
	ck_assert(waitpid(pid, &status, 0) == pid);
	ck_assert_str_eq(nnp, "1");
	ck_assert_str_eq(uid, want);
	ck_assert_str_eq(eff, "0000000000000000");
	ck_assert_str_eq(prm, "0000000000000000");
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS, "status %#x", status);
}
END_TEST

static char loop_dev[64];
static char image[64] = "/var/tmp/test_tags.XXXXXX";

static int sh(char *out, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Run a shell command; its first output line into out (if any). */
static int sh(char *out, size_t len, const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	FILE *f;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	n = out ? fread(out, 1, len - 1, f) : 0;
	if (out) {
		out[n] = '\0';
		out[strcspn(out, "\n")] = '\0';
	}
	return pclose(f);
}

/* A real ext4 image labelled with a space, on a loop device of its own. */
static void loop_setup(void)
{
	int fd = mkstemp(image);

	ck_assert(fd >= 0);
	close(fd);
	ck_assert_int_eq(sh(NULL, 0,
			    "truncate -s 8M %s && mkfs.ext4 -q -F -L 'My Stick' %s >/dev/null",
			    image, image),
			 0);
	ck_assert_int_eq(sh(loop_dev, sizeof(loop_dev), "losetup -f --show %s", image), 0);
}

static void loop_teardown(void)
{
	if (loop_dev[0])
		sh(NULL, 0, "losetup -d %s", loop_dev);
	unlink(image);
}

START_TEST(test_probe_loop)
{
	char value[PROBE_VALUE_MAX], want[128];
	struct loopdev_backing b;
	struct stat st, img;
	int err;

	ck_assert_int_eq(stat(loop_dev, &st), 0);
	ck_assert_int_eq(probe_tag(st.st_rdev, "LABEL", value, sizeof(value), &err), PROBE_FOUND);
	ck_assert_str_eq(value, "My Stick");
	ck_assert_int_eq(sh(want, sizeof(want), "blkid -p -s UUID -o value %s", loop_dev), 0);
	ck_assert_int_eq(probe_tag(st.st_rdev, "UUID", value, sizeof(value), &err), PROBE_FOUND);
	ck_assert_str_eq(value, want);
	ck_assert_int_eq(probe_tag(st.st_rdev, "PARTLABEL", value, sizeof(value), &err),
			 PROBE_NO_TAG);
	ck_assert(tags_device_has("LABEL", "My Stick", st.st_rdev));
	ck_assert(!tags_device_has("LABEL", "My stick", st.st_rdev));
	/* the backing file, by identity */
	ck_assert_int_eq(loopdev_backing(st.st_rdev, &b), 0);
	ck_assert_int_eq(stat(image, &img), 0);
	ck_assert(b.dev == img.st_dev && b.inode == img.st_ino && !b.autoclear);
	ck_assert(loopdev_file_matches(image, &b));
	ck_assert(!loopdev_file_matches("/etc/passwd", &b));
	/* no file system at all: no tag */
	ck_assert_int_eq(
	    sh(NULL, 0, "dd if=/dev/zero of=%s bs=64k count=16 conv=notrunc 2>/dev/null", loop_dev),
	    0);
	ck_assert_int_eq(probe_tag(st.st_rdev, "LABEL", value, sizeof(value), &err), PROBE_NO_TAG);
	/* not a block device the kernel knows */
	ck_assert_int_eq(probe_tag(makedev(0, 42), "LABEL", value, sizeof(value), &err),
			 PROBE_FAILED);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tags");
	TCase *pure = tcase_create("pure"), *dev = tcase_create("device");

	tcase_add_loop_test(pure, test_encode_decode, 0, sizeof(encodings) / sizeof(encodings[0]));
	tcase_add_test(pure, test_decode_refuses);
	tcase_add_test(pure, test_parse);
	tcase_add_test(pure, test_link_path);
	tcase_add_test(pure, test_loop_decode);
	tcase_add_test(pure, test_asks_fail_closed);
	tcase_add_loop_test(pure, test_probe_filter, 0,
			    sizeof(probe_calls) / sizeof(probe_calls[0]));
	suite_add_tcase(s, pure);
	if (geteuid() == 0 && access("/sbin/losetup", X_OK) == 0) {
		/* in the parent: the device is detached even when the test fails */
		tcase_add_unchecked_fixture(dev, loop_setup, loop_teardown);
		tcase_set_timeout(dev, 30);
		tcase_add_test(dev, test_probe_loop);
		/* root: drops to the caller; with the effective set full, then empty */
		tcase_add_loop_test(dev, test_probe_sandbox, 0, 2);
		suite_add_tcase(s, dev);
	}
	return uu_run_suite(s);
}
