/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * race_proc.c — running programs as the test user, waiting with a time
 * limit, the attacker's pause protocol, and a small random generator.
 */
#define _GNU_SOURCE
#include "race.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char *const clean_env[] = {"PATH=/usr/bin:/bin", NULL};

int user_lookup(const char *name, struct race_user *u)
{
	struct passwd *pw = getpwnam(name);

	if (!pw) {
		fprintf(stderr, "racer: no user %s\n", name);
		return -1;
	}
	u->name = name;
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	u->ngroups = (int)(sizeof(u->groups) / sizeof(u->groups[0]));
	if (getgrouplist(name, u->gid, u->groups, &u->ngroups) < 0) {
		fprintf(stderr, "racer: too many groups for %s\n", name);
		return -1;
	}
	return 0;
}

/* All uids, gids and groups of the user (a no-op if already them). */
int become_user(const struct race_user *u)
{
	uid_t r, e, s;

	if (getuid() == u->uid && geteuid() == u->uid)
		return 0;
	if (setgroups((size_t)u->ngroups, u->groups) < 0 || setresgid(u->gid, u->gid, u->gid) < 0 ||
	    setresuid(u->uid, u->uid, u->uid) < 0)
		return -1;
	if (getresuid(&r, &e, &s) < 0 || r != u->uid || e != u->uid || s != u->uid)
		return -1;
	return 0;
}

static void quiet_stdio(bool quiet)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return;
	dup2(fd, 0);
	/* UU_RACE_VERBOSE=1: let the helper's own messages through (debugging) */
	if (quiet && !getenv("UU_RACE_VERBOSE")) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
}

/* fork + exec ARGV as U with a clean environment; returns the pid. */
pid_t spawn_as(const struct race_user *u, char *const argv[], bool quiet)
{
	sigset_t none;
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (become_user(u) < 0)
		_exit(126);
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* after: a uid change clears it */
	quiet_stdio(quiet);
	execve(argv[0], argv, clean_env);
	_exit(127);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* Exit status of PID (128+N if killed by signal N); -1 if it outlived
 * TIMEOUT_S seconds (it is killed then). SIGALRM must reach this thread. */
int wait_rc(pid_t pid, unsigned timeout_s)
{
	struct sigaction sa = {.sa_handler = on_alarm};
	int status;
	bool late = false;

	sigaction(SIGALRM, &sa, NULL); /* no SA_RESTART: waitpid returns EINTR */
	alarm(timeout_s);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
		late = true;
		kill(pid, SIGKILL);
	}
	alarm(0);
	if (late)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static _Thread_local uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;

void rnd_seed(uint64_t seed)
{
	rnd_state = seed ? seed : 1;
}

/* xorshift64*: good enough to spread timings. */
uint64_t rnd(void)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545f4914f6cdd1dULL;
}

void sleep_us(long us)
{
	struct timespec ts = {us / 1000000, (us % 1000000) * 1000};

	if (us > 0)
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
}

/* Busy-wait: short holds, finer than nanosleep's timer slack. */
void spin_us(long us)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t);
	while ((t.tv_sec - t0.tv_sec) * 1000000L + (t.tv_nsec - t0.tv_nsec) / 1000 < us);
}

struct race_shared *shared_new(void)
{
	void *p = mmap(NULL, sizeof(struct race_shared), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("racer: mmap");
		exit(2);
	}
	memset(p, 0, sizeof(struct race_shared));
	return p;
}

/* Called by the attacker between two of its steps; true if it paused. */
bool attacker_pause_point(struct race_shared *s)
{
	if (!atomic_load(&s->pause))
		return false;
	atomic_store(&s->paused, 1);
	while (atomic_load(&s->pause) && !atomic_load(&s->stop))
		sleep_us(100);
	atomic_store(&s->paused, 0);
	return true;
}

/* The driver: hold the attacker still (it finishes its current step). */
void attacker_hold(struct race_shared *s)
{
	atomic_store(&s->pause, 1);
	for (long waited = 0; !atomic_load(&s->paused); waited += 100) {
		if (waited > 30 * 1000000L) {
			fprintf(stderr, "racer: the attacker does not pause\n");
			exit(2);
		}
		sleep_us(100);
	}
}

void attacker_release(struct race_shared *s)
{
	atomic_store(&s->pause, 0);
	while (atomic_load(&s->paused))
		sleep_us(50);
}

/* Our parent pid as /proc/PID/stat says (the field after the name). */
static pid_t parent_of(const char *pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p ? (pid_t)strtol(p + 4, NULL, 10) : -1; /* ") S PPID" */
}

/* SIGKILL each process whose parent we are (started by us, or orphans of
 * what we started: we are their subreaper). */
static void kill_children(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t self = getpid();

	while (d && (e = readdir(d)))
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9' && parent_of(e->d_name) == self)
			kill((pid_t)strtol(e->d_name, NULL, 10), SIGKILL);
	if (d)
		closedir(d);
}

/* Kill and reap every child there is, orphans included. */
void reap_all(void)
{
	for (int i = 0; i < 3000; i++) {
		pid_t p;

		while ((p = waitpid(-1, NULL, WNOHANG)) > 0)
			;
		if (p < 0 && errno == ECHILD)
			return;
		kill_children();
		sleep_us(10000);
	}
	fprintf(stderr, "racer: children that will not die\n");
	exit(2);
}
