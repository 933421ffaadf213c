/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hygiene.c — see hygiene.h.
 */
#define _GNU_SOURCE
#include "hygiene.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* Enough fds for the target, its parent, pipes and libmount's files. */
#define MIN_NOFILE 64
/* /proc/self/maps of this program is a few KiB. */
#define MAPS_MAX ((size_t)256 * 1024)
/* The kernel's default stack_guard_gap: 256 pages of 4 KiB. */
#define STACK_GUARD_GAP (256ULL * 4096ULL)
/* Not in <linux/capability.h> under this name before libcap's header. */
#define CAP_SYS_RESOURCE_ 24

/*
 * A caller who closes fd 1 or 2 before exec can make our first open() return
 * 2, so that a message meant for stderr lands in a file we opened (the utab
 * lock, a temp file). Reopen 0-2 on /dev/null before opening anything else.
 */
static int open_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int nfd;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		nfd = open("/dev/null", O_RDWR | O_NOCTTY);
		if (nfd < 0)
			return -errno;
		if (nfd != fd)
			return -EBADF;
	}
	return 0;
}

/* Inherited fds beyond 0-2 are the caller's, and we must not leak them into
 * the children or confuse them with ours. */
static int close_other_fds(void)
{
	if (close_range(3, ~0U, 0) == 0)
		return 0;
	for (int fd = 3; fd < 65536; fd++)
		close(fd);
	return 0;
}

/* Dispositions and the mask are inherited across exec: an ignored SIGCHLD
 * would make waitpid() lie, a blocked signal could stall us. */
static int reset_signals(void)
{
	sigset_t all;

	for (int sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (signal(sig, SIG_DFL) == SIG_ERR && errno != EINVAL)
			return -errno;
	}
	sigemptyset(&all);
	if (sigprocmask(SIG_SETMASK, &all, NULL) < 0)
		return -errno;
	return 0;
}

int hygiene_process(void)
{
	int r = open_std_fds();

	if (r < 0)
		return r;
	close_other_fds();
	if (clearenv() != 0)
		return -ENOMEM;
	umask(022);
	r = reset_signals();
	if (r < 0)
		return r;
	/* No core dumps, no ptrace by the caller, /proc/self owned by root. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return -errno;
	if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0)
		return -EPERM;
	return 0;
}

/*
 * Raise a soft limit to at least AT_LEAST: with CAP_SYS_RESOURCE the hard
 * limit too, without it (some containers drop it from the bounding set) as
 * far as the hard limit allows. Best effort: what cannot be raised makes a
 * later step fail cleanly instead.
 */
static void raise_limit(int resource, rlim_t at_least)
{
	struct rlimit rl, want;

	if (getrlimit(resource, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= at_least)
		return;
	want.rlim_cur = at_least;
	want.rlim_max =
	    (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= at_least) ? rl.rlim_max : at_least;
	if (setrlimit(resource, &want) == 0)
		return;
	want.rlim_cur = rl.rlim_max;
	want.rlim_max = rl.rlim_max;
	setrlimit(resource, &want);
}

/* Limits below which the kernel would stop us with a signal at whatever
 * instruction crosses them, not with an error we could report. */
static const struct need {
	int resource;
	const char *name;
	rlim_t at_least;
} needs[] = {
    /* The main thread's stack grows on demand and each growth is checked
     * against the limit then: under a 16 KiB limit the policy read died
     * with SIGSEGV with fs uid 0. */
    {RLIMIT_STACK, "RLIMIT_STACK", HYGIENE_STACK_NEED},
    /* SIGXCPU at the soft limit, SIGKILL at the hard one: a caller who
     * burnt CPU time before exec picks the instant. */
    {RLIMIT_CPU, "RLIMIT_CPU", RLIM_INFINITY},
    /* A stack growth past it is SIGSEGV too. */
    {RLIMIT_AS, "RLIMIT_AS", RLIM_INFINITY},
};

static int raise_or_say(const struct need *n, char *msg, size_t len)
{
	struct rlimit rl, want;
	bool no_cap;

	if (getrlimit(n->resource, &rl) < 0)
		return snprintf(msg, len, "cannot read %s: %s", n->name, strerror(errno)), -1;
	if (rl.rlim_cur == RLIM_INFINITY ||
	    (n->at_least != RLIM_INFINITY && rl.rlim_cur >= n->at_least))
		return 0;
	want.rlim_cur = n->at_least;
	want.rlim_max = rl.rlim_max == RLIM_INFINITY ||
				(n->at_least != RLIM_INFINITY && rl.rlim_max >= n->at_least)
			    ? rl.rlim_max
			    : n->at_least;
	if (setrlimit(n->resource, &want) == 0)
		return 0;
	no_cap = prctl(PR_CAPBSET_READ, CAP_SYS_RESOURCE_, 0, 0, 0) == 0;
	return snprintf(msg, len, "%s is %llu (hard limit %llu) and cannot be raised%s: %s",
			n->name, (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max,
			no_cap ? " (CAP_SYS_RESOURCE is not in the bounding set)" : "",
			strerror(errno)),
	       -1;
}

/*
 * The limit is raised, but the stack can only grow into free address space:
 * check that the mapping below [stack] leaves HYGIENE_STACK_NEED and the
 * kernel's guard gap. (The kernel keeps at least 128 MiB free there
 * whatever the limit was at exec; this reads back that it did.)
 */
static int stack_room(char *msg, size_t len)
{
	char *buf = malloc(MAPS_MAX + 1), *line;
	unsigned long long lo, hi, prev_hi = 0, room = 0;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	ssize_t r = 0;

	while (buf && fd >= 0 && n < MAPS_MAX && (r = read(fd, buf + n, MAPS_MAX - n)) > 0)
		n += (size_t)r;
	if (fd >= 0)
		close(fd);
	if (!buf || fd < 0 || r < 0 || n == MAPS_MAX) {
		free(buf);
		return snprintf(msg, len, "cannot read /proc/self/maps to check the stack"), -1;
	}
	buf[n] = '\0';
	for (line = buf; *line;) {
		char *nl = strchr(line, '\n'), *e;
		size_t l;

		lo = strtoull(line, &e, 16);
		hi = *e == '-' ? strtoull(e + 1, &e, 16) : 0;
		if (!nl || *e != ' ' || hi <= lo)
			break;
		*nl = '\0';
		l = (size_t)(nl - line);
		if (l >= 8 && strcmp(line + l - 8, " [stack]") == 0) {
			room = hi - prev_hi;
			break;
		}
		prev_hi = hi;
		line = nl + 1;
	}
	free(buf);
	if (room >= (unsigned long long)HYGIENE_STACK_NEED + STACK_GUARD_GAP)
		return 0;
	return snprintf(msg, len, "the stack has only %llu bytes to grow into", room), -1;
}

int hygiene_limits(char *msg, size_t len)
{
	struct rlimit nocore = {0, 0};

	/* RLIMIT_FSIZE=0 must not kill us half-way through the utab rewrite
	 * (CVE-2011-1676/1677): a write past the limit then fails with EFBIG,
	 * utab stays as it was. */
	if (signal(SIGXFSZ, SIG_IGN) == SIG_ERR || setrlimit(RLIMIT_CORE, &nocore) < 0)
		return snprintf(msg, len, "cannot set up resource limits: %s", strerror(errno)), -1;
	for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++)
		if (raise_or_say(&needs[i], msg, len) < 0)
			return -1;
	if (stack_room(msg, len) < 0)
		return -1;
	raise_limit(RLIMIT_FSIZE, RLIM_INFINITY);
	raise_limit(RLIMIT_NOFILE, MIN_NOFILE);
	return 0;
}

static volatile sig_atomic_t interrupted;

static void note_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

int hygiene_trap_signals(void)
{
	static const int noted[] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP};
	static const int ignored[] = {SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE};
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = note_signal; /* no SA_RESTART: a blocking wait returns EINTR */
	for (size_t i = 0; i < sizeof(noted) / sizeof(noted[0]); i++)
		if (sigaction(noted[i], &sa, NULL) < 0)
			return -errno;
	sa.sa_handler = SIG_IGN;
	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		if (sigaction(ignored[i], &sa, NULL) < 0)
			return -errno;
	return 0;
}

bool hygiene_interrupted(void)
{
	return interrupted != 0;
}
