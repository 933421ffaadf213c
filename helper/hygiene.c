/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hygiene.c — see hygiene.h.
 */
#define _GNU_SOURCE
#include "hygiene.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* Enough fds for the target, its parent, pipes and libmount's files. */
#define MIN_NOFILE 64

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

int hygiene_limits(void)
{
	struct rlimit nocore = {0, 0};

	/* RLIMIT_FSIZE=0 must not kill us half-way through the utab rewrite
	 * (CVE-2011-1676/1677): a write past the limit then fails with EFBIG,
	 * libmount drops its temp file and utab stays as it was. */
	if (signal(SIGXFSZ, SIG_IGN) == SIG_ERR)
		return -errno;
	raise_limit(RLIMIT_FSIZE, RLIM_INFINITY);
	raise_limit(RLIMIT_NOFILE, MIN_NOFILE);
	if (setrlimit(RLIMIT_CORE, &nocore) < 0)
		return -errno;
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
