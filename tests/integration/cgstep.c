/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cgstep — a caller who owns a cgroup (as systemd delegates one to every
 * user) tries to hold or kill the helper through it. Run as that user,
 * from inside the delegated cgroup CGDIR:
 *
 *   cgstep MODE CGDIR LOCKFILE HELPER [ARGS...]
 *
 * It makes CGDIR/ctl (itself) and CGDIR/run, starts HELPER in run, and:
 *   step      freezes run, looks at every process in it, thaws, again and
 *             again until HELPER exits (single-stepping it);
 *   kill      waits until HELPER waits for the utab lock, lets it have the
 *             lock and writes cgroup.kill over and over until HELPER exits
 *             (through the utab rewrite);
 *   moveback  like step, but first moves HELPER back into run each time.
 * LOCKFILE ("-": none) is flocked before HELPER starts and let go after
 * HELPER was seen waiting for it, so the fs-uid-0 window around the utab
 * rewrite lasts while it is stepped. HELPER's stdout goes to stderr.
 *
 * A process of HELPER in run with real or saved uid 0 but not full root is
 * one the caller could hold after the helper left its setup: "narrowed"
 * counts those sightings, "fsuid0", "caps" and "lock" the ones inside an
 * fs-uid-0 window, with an effective capability (the unmount child), or
 * holding the utab lock. "prelude" counts sightings of HELPER still full
 * root, before it confined itself. One line on stdout:
 *   steps=N frozen=N prelude=N narrowed=N fsuid0=N caps=N lock=N kills=N
 *   inlock=N status=S
 * where S is HELPER's exit code, or "signal-N"; "kills" counts the writes
 * of cgroup.kill, "inlock" those made while HELPER held the utab lock.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_STEPS     200000
#define FROZEN_SPINS  20000
#define LOCK_SIGHTING 20 /* sightings of HELPER waiting before the lock goes */

static char ctl[4096], run[4096];
static bool v1;
static struct {
	long steps, frozen, prelude, narrowed, fsuid0, caps, lock, kills, inlock;
} n;

static int put(const char *dir, const char *file, const char *text)
{
	char path[4200];
	int fd, r;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : -errno;
	close(fd);
	return r;
}

static ssize_t get(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t len;

	if (fd < 0)
		return -1;
	len = read(fd, buf, size - 1);
	close(fd);
	buf[len > 0 ? len : 0] = '\0';
	return len;
}

static bool frozen(void)
{
	char path[4200], buf[256];

	snprintf(path, sizeof(path), "%s/%s", run, v1 ? "freezer.state" : "cgroup.events");
	if (get(path, buf, sizeof(buf)) <= 0)
		return false;
	return v1 ? strcmp(buf, "FROZEN\n") == 0 : strstr(buf, "frozen 1") != NULL;
}

static void freeze(bool on)
{
	put(run, v1 ? "freezer.state" : "cgroup.freeze",
	    v1 ? (on ? "FROZEN" : "THAWED") : (on ? "1" : "0"));
}

struct ids {
	long r, e, s, f;
	unsigned long long capeff;
	char state;
};

static bool read_ids(long pid, struct ids *id)
{
	char path[64], buf[4096], *p;

	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	if (get(path, buf, sizeof(buf)) <= 0)
		return false;
	p = strstr(buf, "\nState:");
	id->state = p ? p[8] : '?';
	p = strstr(buf, "\nUid:");
	if (!p || sscanf(p + 5, "%ld %ld %ld %ld", &id->r, &id->e, &id->s, &id->f) != 4)
		return false;
	p = strstr(buf, "\nCapEff:");
	return p && sscanf(p + 8, "%llx", &id->capeff) == 1;
}

/* Does PID hold an flock (the utab lock: the only one the helper takes)? */
static bool holds_flock(long pid)
{
	static char buf[1 << 16];
	char *line;

	if (get("/proc/locks", buf, sizeof(buf)) <= 0)
		return false;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		long p;

		if (strstr(line, "FLOCK") && !strstr(line, "->") &&
		    sscanf(line, "%*s %*s %*s %*s %ld", &p) == 1 && p == pid)
			return true;
	}
	return false;
}

/* Every process in run, as the caller sees it. */
static void look(void)
{
	char path[4200], buf[1 << 14], *save = NULL;

	snprintf(path, sizeof(path), "%s/cgroup.procs", run);
	if (get(path, buf, sizeof(buf)) < 0)
		return;
	for (char *t = strtok_r(buf, "\n", &save); t; t = strtok_r(NULL, "\n", &save)) {
		struct ids id;
		long pid = atol(t);

		if (!read_ids(pid, &id))
			continue;
		if (id.e == 0) {
			n.prelude++;
			continue;
		}
		if (id.r != 0 && id.s != 0)
			continue; /* the caller's own: cgstep before exec, a resolver child */
		n.narrowed++;
		n.fsuid0 += id.f == 0;
		n.caps += id.capeff != 0;
		n.lock += holds_flock(pid);
	}
}

static void step(void)
{
	freeze(true);
	for (int i = 0; i < FROZEN_SPINS; i++)
		if (frozen()) {
			n.frozen++;
			break;
		}
	look();
	freeze(false);
	n.steps++;
}

/* HELPER waits for the lock: fs uid 0 and asleep (its 10 ms polls). */
static bool waiting(pid_t pid)
{
	struct ids id;

	return read_ids(pid, &id) && id.e != 0 && id.f == 0 && id.state == 'S';
}

/*
 * From when HELPER waits for the utab lock (it is let go just before),
 * cgroup.kill over and over until HELPER exits. A write with the lock seen
 * held by HELPER just before and just after it landed inside the rewrite
 * (the helper takes the lock once when its unmount succeeds): "inlock"
 * counts those.
 */
static void kill_from_lock(pid_t pid, int *status)
{
	bool before = holds_flock(pid), after;

	while (waitpid(pid, status, WNOHANG) == 0) {
		put(run, "cgroup.kill", "1");
		n.kills++;
		after = holds_flock(pid);
		n.inlock += before && after;
		before = after;
	}
}

static int finish(pid_t pid, int status)
{
	char s[32];

	if (WIFEXITED(status))
		snprintf(s, sizeof(s), "%d", WEXITSTATUS(status));
	else
		snprintf(s, sizeof(s), "signal-%d", WTERMSIG(status));
	printf("steps=%ld frozen=%ld prelude=%ld narrowed=%ld fsuid0=%ld caps=%ld lock=%ld "
	       "kills=%ld inlock=%ld status=%s\n",
	       n.steps, n.frozen, n.prelude, n.narrowed, n.fsuid0, n.caps, n.lock, n.kills,
	       n.inlock, s);
	(void)pid;
	return 0;
}

int main(int argc, char **argv)
{
	char pidtext[32], probe[4200];
	const char *mode;
	int lock = -1, status = 0, sightings = 0;
	pid_t pid;

	if (argc < 5) {
		fprintf(stderr,
			"usage: cgstep step|kill|moveback CGDIR LOCKFILE HELPER [ARGS...]\n");
		return 2;
	}
	mode = argv[1];
	snprintf(ctl, sizeof(ctl), "%s/ctl", argv[2]);
	snprintf(run, sizeof(run), "%s/run", argv[2]);
	snprintf(probe, sizeof(probe), "%s/freezer.state", argv[2]);
	v1 = access(probe, F_OK) == 0;
	if ((mkdir(ctl, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(run, 0755) < 0 && errno != EEXIST)) {
		perror("cgstep: mkdir");
		return 2;
	}
	snprintf(pidtext, sizeof(pidtext), "%d", (int)getpid());
	if (put(ctl, "cgroup.procs", pidtext) < 0) {
		fprintf(stderr, "cgstep: cannot enter %s\n", ctl);
		return 2;
	}
	if (strcmp(argv[3], "-") != 0) {
		lock = open(argv[3], O_RDONLY | O_CLOEXEC);
		if (lock < 0 || flock(lock, LOCK_EX) < 0) {
			perror("cgstep: lock");
			return 2;
		}
	}
	pid = fork();
	if (pid == 0) {
		if (put(run, "cgroup.procs", "0") < 0)
			_exit(120);
		dup2(2, 1);
		execv(argv[4], argv + 4);
		_exit(127);
	}
	if (pid < 0)
		return 2;
	snprintf(pidtext, sizeof(pidtext), "%d", (int)pid);
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (lock >= 0 && (waiting(pid) ? ++sightings >= LOCK_SIGHTING : 0)) {
			close(lock);
			lock = -1;
			if (strcmp(mode, "kill") == 0) {
				kill_from_lock(pid, &status);
				break;
			}
		}
		if (strcmp(mode, "kill") == 0)
			continue;
		if (strcmp(mode, "moveback") == 0)
			put(run, "cgroup.procs", pidtext);
		if (n.steps < MAX_STEPS)
			step();
	}
	freeze(false);
	if (waitpid(pid, &status, 0) < 0 && errno != ECHILD)
		return 2;
	return finish(pid, status);
}
