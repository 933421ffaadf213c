/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * race_userns.c — the mount-point swap from the caller's own user namespace
 * (racer scenarios userns and userns-stop; cases-race.sh).
 *
 * S = DIR/att, the attacker's directory (0755, not sticky). Root mounts the
 * entitled tmpfs (fstab: users,noauto) on S/a and, in every other epoch of
 * EPOCH_RUNS runs, a victim tmpfs on S/v; both directories are the
 * attacker's. The attacker entered a user+mount namespace of its own before
 * any of these mounts existed: there neither directory is a mount point, so
 * renameat2(S/a, S/v, RENAME_EXCHANGE) works, and in the real namespace the
 * mounts follow their directories. The helper, run as the user on S/a, must
 * never unmount the victim: with the victim there it refuses (the neighbour
 * rule), without it the entitled mount goes in a good share of the runs.
 * Root mounts and unmounts the victim only between runs, with the attacker
 * held still (a privileged mount made between a helper's last check and its
 * umount2() is a limit no unmount by name can close).
 *
 * userns-stop adds a second attacker: the user, in the racer's own user
 * namespace. It scans /proc for helper processes and their children, stops
 * each one kill(2) lets it stop, has the names swapped while it is stopped
 * (a rename of a mount point fails with EBUSY here, so it asks the renaming
 * attacker through the shared page), continues it and has them swapped back
 * once it exits. A process it may stop is stepped (stopped, continued,
 * stopped again) until it shows "Seccomp: 2" (the unmount child past its last
 * check, before umount2()) or a random step. Counted once per process and
 * outcome: stopped (kill() returned 0 and it stopped) or refused (EPERM), by
 * role. A process seen stopped while it held a capability or any uid 0 is a
 * violation.
 */
#define _GNU_SOURCE
#include "race.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#define EPOCH_RUNS    50    /* epochs alternate: without a victim, with one */
#define MIN_SHARE     10    /* % of the victim-less runs that must unmount */
#define SWAP_WAIT_US  50000 /* the stopper waits this long for a swap */
#define AFTER_MAX_US  3000  /* a swap lasts this long after SIGCONT at most */
#define STOP_WAIT_US  5000  /* kill() said yes: the process stops within this */
#define STEPS_MAX     200   /* stop/continue steps per helper process */
#define SEEN_MAX      256   /* processes the stopper remembers */
#define FOUND_MAX     8192  /* processes in one /proc scan */
#define NEAR_PIDS     16    /* a helper's children: the next pids */
#define CAP_ADMIN_BIT (1ULL << 21)
#define MAIN_KEEP_BITS                                                                             \
	(CAP_ADMIN_BIT | 1ULL << 8 | 1ULL << 2) /* + CAP_SETPCAP, CAP_DAC_READ_SEARCH */

enum swap_state { SWAP_IDLE, SWAP_WANTED, SWAP_TAKEN, SWAP_DONE, SWAP_BACK };
/* ROLE_UNMOUNT: a child whose permitted set is exactly CAP_SYS_ADMIN;
 * ROLE_EXEC: a main process that has not narrowed yet (see classify). */
enum stop_role { ROLE_MAIN, ROLE_EXEC, ROLE_CHILD, ROLE_UNMOUNT, ROLES };

static const char *const role_names[] = {"main (stoppable only after its final drop)",
					 "main before narrowing", "other children",
					 "unmount children"};

/* ---- the renaming attacker (the user, in its own user+mount namespace) -- */

static bool exchange(int dfd)
{
	return renameat2(dfd, "a", dfd, "v", RENAME_EXCHANGE) == 0;
}

/* The stopper's request: swap, stay swapped until it says so, swap back. */
static void serve_swap(struct race *r, int dfd)
{
	int want = SWAP_WANTED;
	bool ok;

	if (!atomic_compare_exchange_strong(&r->sh->swap, &want, SWAP_TAKEN))
		return;
	ok = exchange(dfd);
	atomic_store(&r->sh->swap, ok ? SWAP_DONE : SWAP_IDLE);
	if (!ok)
		return;
	while (atomic_load(&r->sh->swap) != SWAP_BACK && !atomic_load(&r->sh->stop))
		sleep_us(10);
	if (!exchange(dfd)) {
		perror("racer: attacker: cannot swap back");
		_exit(1);
	}
	atomic_fetch_add(&r->sh->ops, 2);
	atomic_fetch_add(&r->sh->swaps, 1);
	atomic_store(&r->sh->swap, SWAP_IDLE);
}

/* Pulses as in attack_rename (racer.c): a and v swapped for a few
 * microseconds, then left alone a little longer; between pulses the names
 * are in place, and there the driver may hold the attacker still. */
static void attack_userns(struct race *r)
{
	int dfd = open(r->att, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (dfd < 0)
		perror("racer: attacker: open");
	while (dfd >= 0 && !atomic_load(&r->sh->stop)) {
		if (attacker_pause_point(r->sh))
			continue;
		serve_swap(r, dfd);
		if (!exchange(dfd)) {
			perror("racer: attacker: renameat2");
			break;
		}
		spin_us((long)(rnd() % DECOY_US));
		if (!exchange(dfd)) {
			perror("racer: attacker: cannot swap back");
			break;
		}
		atomic_fetch_add(&r->sh->ops, 2);
		spin_us((long)(rnd() % REAL_US));
	}
}

/* ---- the stopper (the user, in the racer's user namespace) ------------- */

struct seen {
	pid_t pid;
	unsigned stopped, refused; /* 1 << enum stop_role */
};

struct found {
	pid_t pid, ppid;
	bool helper; /* comm is user-umount */
};

struct stopper {
	struct race *r;
	struct seen seen[SEEN_MAX];
	size_t next;
	struct found f[FOUND_MAX];
	size_t n;
};

/* comm, state and parent of PID (/proc/PID/stat); false if it is gone. */
static bool proc_stat(pid_t pid, char *comm, size_t len, char *state, pid_t *ppid)
{
	char path[64], buf[512], *open_, *close_;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	open_ = strchr(buf, '(');
	close_ = strrchr(buf, ')');
	if (!open_ || !close_ || close_ < open_ || close_[1] != ' ' || !close_[2])
		return false;
	snprintf(comm, len, "%.*s", (int)(close_ - open_ - 1), open_ + 1);
	*state = close_[2];
	*ppid = (pid_t)strtol(close_ + 4, NULL, 10);
	return true;
}

/* What /proc/PID/status says about privilege; false if PID is gone. */
struct pstatus {
	unsigned uid[4]; /* real, effective, saved, fs */
	unsigned long long prm, seccomp;
};

static unsigned long long field(const char *buf, const char *key, int base)
{
	const char *p = strstr(buf, key);

	return p ? strtoull(p + strlen(key), NULL, base) : ~0ULL;
}

static bool status_read(pid_t pid, struct pstatus *ps)
{
	char path[64], buf[4096];
	const char *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strstr(buf, "\nUid:");
	if (!p ||
	    sscanf(p + 5, "%u %u %u %u", &ps->uid[0], &ps->uid[1], &ps->uid[2], &ps->uid[3]) != 4)
		memset(ps->uid, 0, sizeof(ps->uid)); /* cannot tell: privileged */
	ps->prm = field(buf, "\nCapPrm:", 16);
	ps->seccomp = field(buf, "\nSeccomp:", 10);
	return true;
}

/*
 * The role of a helper process, and whether it is privileged: any uid 0 or
 * any permitted capability. A setuid exec starts with the caller's real uid,
 * effective and saved uid 0 and the whole permitted set, before the helper's
 * first instruction: any user may stop it there and until privs_narrow_main
 * makes the real uid 0 (its first uid change). A SIGSTOP sent just before
 * that takes effect just after it, while the permitted set is still whole.
 * Both are ROLE_EXEC, not a violation: no mount has been looked at yet. The
 * narrowed main keeps CAP_SYS_ADMIN and CAP_SETPCAP only. (A helper that
 * never narrowed its capabilities would count here too; its children would
 * then be stoppable while privileged.)
 */
static enum stop_role classify(pid_t pid, bool main, bool *priv, char *why, size_t len)
{
	struct pstatus ps;

	*priv = false;
	if (!status_read(pid, &ps))
		return main ? ROLE_MAIN : ROLE_CHILD;
	snprintf(why, len, "uids %u %u %u %u, CapPrm %llx", ps.uid[0], ps.uid[1], ps.uid[2],
		 ps.uid[3], ps.prm);
	if (main && (ps.prm & ~MAIN_KEEP_BITS))
		return ROLE_EXEC;
	*priv = ps.prm != 0 || !ps.uid[0] || !ps.uid[1] || !ps.uid[2] || !ps.uid[3];
	if (main)
		return ROLE_MAIN;
	return ps.prm == CAP_ADMIN_BIT ? ROLE_UNMOUNT : ROLE_CHILD;
}

static struct seen *seen_get(struct stopper *st, pid_t pid)
{
	struct seen *s;

	for (size_t i = 0; i < SEEN_MAX; i++)
		if (st->seen[i].pid == pid)
			return &st->seen[i];
	s = &st->seen[st->next++ % SEEN_MAX];
	memset(s, 0, sizeof(*s));
	s->pid = pid;
	return s;
}

/* Wait until PID is stopped (true) or gone or a zombie (false). */
static bool wait_state(pid_t pid, const char *states, long max_us)
{
	char comm[64], state;
	pid_t ppid;

	for (long waited = 0; waited < max_us; waited += 5) {
		if (!proc_stat(pid, comm, sizeof(comm), &state, &ppid) || state == 'Z' ||
		    state == 'X')
			return false;
		if (strchr(states, state))
			return true;
		spin_us(5);
	}
	return false;
}

static bool swap_request(struct race_shared *sh)
{
	int s = SWAP_IDLE;

	if (!atomic_compare_exchange_strong(&sh->swap, &s, SWAP_WANTED))
		return false;
	for (long waited = 0; waited < SWAP_WAIT_US; waited += 10) {
		s = atomic_load(&sh->swap);
		if (s == SWAP_DONE || s == SWAP_IDLE)
			return s == SWAP_DONE;
		sleep_us(10);
	}
	s = SWAP_WANTED;
	if (atomic_compare_exchange_strong(&sh->swap, &s, SWAP_IDLE))
		return false; /* the attacker is held still: no swap */
	while ((s = atomic_load(&sh->swap)) == SWAP_TAKEN)
		sleep_us(10);
	return s == SWAP_DONE;
}

static void swap_back(struct race_shared *sh)
{
	atomic_store(&sh->swap, SWAP_BACK);
	while (atomic_load(&sh->swap) != SWAP_IDLE && !atomic_load(&sh->stop))
		sleep_us(10);
}

/* PID is stopped: swap the names, continue it, swap back once it is done. */
static void swapped_continue(struct stopper *st, pid_t pid)
{
	char comm[64], state;
	pid_t ppid;
	bool swapped = swap_request(st->r->sh);

	kill(pid, SIGCONT);
	if (!swapped)
		return;
	for (long waited = 0; waited < AFTER_MAX_US; waited += 10) {
		if (!proc_stat(pid, comm, sizeof(comm), &state, &ppid) || state == 'Z')
			break;
		spin_us(10);
	}
	swap_back(st->r->sh);
}

/* PID has stopped: note it, then step it until the moment to swap. */
static void step(struct stopper *st, struct seen *s, bool main)
{
	char why[128] = "?";
	bool priv;
	enum stop_role role = classify(s->pid, main, &priv, why, sizeof(why));
	struct pstatus ps;

	if (!(s->stopped & (1u << role))) {
		s->stopped |= 1u << role;
		atomic_fetch_add(&st->r->sh->stopped[role], 1);
	}
	if (priv) {
		fprintf(stderr,
			"racer: VIOLATION: the user stopped helper process %d (%s) while it "
			"held a uid 0 or a capability: %s\n",
			(int)s->pid, role_names[role], why);
		atomic_fetch_add(&st->r->sh->priv_stopped, 1);
	}
	for (int i = 0; i < STEPS_MAX; i++) {
		if (i > 0 && (kill(s->pid, SIGSTOP) < 0 || !wait_state(s->pid, "tT", STOP_WAIT_US)))
			break;
		if (status_read(s->pid, &ps) && ps.seccomp == 2) {
			atomic_fetch_add(&st->r->sh->swaps_seccomp, 1);
			return swapped_continue(st, s->pid);
		}
		if (rnd() % 8 == 0)
			return swapped_continue(st, s->pid);
		kill(s->pid, SIGCONT);
		spin_us((long)(rnd() % 20));
	}
	kill(s->pid, SIGCONT);
}

static void attack_one(struct stopper *st, pid_t pid, bool main)
{
	struct seen *s = seen_get(st, pid);
	char why[128];
	bool priv;
	enum stop_role role;

	if (kill(pid, SIGSTOP) < 0) {
		if (errno != EPERM)
			return;
		role = classify(pid, main, &priv, why, sizeof(why));
		if (!(s->refused & (1u << role))) {
			s->refused |= 1u << role;
			atomic_fetch_add(&st->r->sh->eperm[role], 1);
		}
		return;
	}
	if (wait_state(pid, "tT", STOP_WAIT_US))
		step(st, s, main);
	else
		kill(pid, SIGCONT);
}

/* A helper's main process: attack it and its children (they get the next
 * pids, and /proc/PID/task/PID/children may not exist) until it exits. */
static void watch_main(struct stopper *st, pid_t m)
{
	char comm[64], state;
	pid_t ppid;

	while (!atomic_load(&st->r->sh->stop) && proc_stat(m, comm, sizeof(comm), &state, &ppid) &&
	       state != 'Z') {
		attack_one(st, m, true);
		for (pid_t p = m + 1; p <= m + NEAR_PIDS; p++)
			if (proc_stat(p, comm, sizeof(comm), &state, &ppid) && ppid == m)
				attack_one(st, p, false);
	}
}

/* Every process of the system: pid, parent, is it a helper. */
static void scan(struct stopper *st)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char comm[64], state;

	st->n = 0;
	while (d && st->n < FOUND_MAX && (e = readdir(d))) {
		struct found *f = &st->f[st->n];

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		f->pid = (pid_t)strtol(e->d_name, NULL, 10);
		if (!proc_stat(f->pid, comm, sizeof(comm), &state, &f->ppid))
			continue;
		f->helper = strcmp(comm, "user-umount") == 0;
		st->n++;
	}
	if (d)
		closedir(d);
}

static bool is_helper(const struct stopper *st, pid_t pid)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->f[i].pid == pid)
			return st->f[i].helper;
	return false;
}

static void attack_stopper(struct race *r)
{
	static struct stopper st;

	st.r = r;
	while (!atomic_load(&r->sh->stop)) {
		bool any = false;

		scan(&st);
		for (size_t i = 0; i < st.n; i++) {
			bool parent = is_helper(&st, st.f[i].ppid);

			if (!st.f[i].helper && !parent)
				continue;
			any = true;
			if (parent)
				attack_one(&st, st.f[i].pid, false);
			else
				watch_main(&st, st.f[i].pid);
		}
		if (!any)
			sched_yield();
	}
}

/* ---- the driver's side -------------------------------------------------- */

static void setup_common(struct race *r)
{
	char v[PATH_MAX];

	pathf(r->target, "%s/a", r->att);
	mkdir_owned(r, r->target, true);
	pathf(v, "%s/v", r->att);
	mkdir_owned(r, v, true);
	r->ent_fd = open(r->target, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (r->ent_fd < 0)
		die("open", r->target, errno);
	r->vfd = open(v, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (r->vfd < 0)
		die("open", v, errno);
}

/* Both attackers start before any mount exists on a or v: in the renaming
 * attacker's namespace neither may be a mount point. */
void setup_userns(struct race *r)
{
	setup_common(r);
	start_attacker(r, attack_userns, true);
}

void setup_userns_stop(struct race *r)
{
	setup_common(r);
	start_attacker(r, attack_stopper, false);
	r->stopper = r->attacker;
	start_attacker(r, attack_userns, true);
}

/* With the attacker held still (names in place): the victim comes or goes. */
static void switch_epoch(struct race *r, long run)
{
	char when[96], v[PATH_MAX];
	uint64_t top, base;
	int e, n = 0;

	attacker_hold(r->sh);
	snprintf(when, sizeof(when), "before the epoch change after run %ld", run);
	guard_check(&r->guard, when);
	pathf(v, "%s/v", r->att);
	if (r->victim_on) {
		while (n++ < 20 && mount_id_at(AT_FDCWD, r->att, &base) == 0 &&
		       mount_id_at(AT_FDCWD, v, &top) == 0 && top != base)
			if (umount2(v, UMOUNT_NOFOLLOW) < 0)
				die("unmount the victim on", v, errno);
		guard_forget_gone(&r->guard);
	} else {
		snprintf(when, sizeof(when), "att/v (epoch from run %ld)", run + 1);
		e = guard_mount_victim(&r->guard, r->vfd, ".", ENT_OPTS, when, true);
		if (e < 0)
			die("mount the victim on", v, -e);
	}
	r->victim_on = !r->victim_on;
	attacker_release(r->sh);
}

/* Per epoch kind: did the run unmount the entitled mount (and only that)? */
void after_userns(struct race *r, long run)
{
	int k = r->victim_on;
	bool gone = !mount_listed(&r->guard, r->ent_id); /* run_once's snapshot */

	r->ep_runs[k]++;
	if (r->last_lost) {
		r->ep_lost[k]++; /* a violation already */
	} else if (r->last_rc == 0 && gone) {
		r->ep_unmounted[k]++;
	} else if (r->last_rc == 0) {
		fprintf(stderr,
			"racer: VIOLATION: run %ld exited 0, the entitled mount is still "
			"there\n",
			run);
		r->guard.violations++;
	} else {
		r->ep_refused[k]++;
		r->ep_refused_gone[k] += gone;
	}
	if (run % EPOCH_RUNS == 0)
		switch_epoch(r, run);
}

static int verdict_stopper(const struct race *r)
{
	const struct race_shared *sh = r->sh;
	long total = 0;

	printf("race %s: stopper: %ld swaps while stopped (%ld at \"Seccomp: 2\");", r->s->name,
	       atomic_load(&sh->swaps), atomic_load(&sh->swaps_seccomp));
	for (int i = ROLE_MAIN; i < ROLES; i++) {
		printf(" %s %ld stopped, %ld EPERM%s", role_names[i], atomic_load(&sh->stopped[i]),
		       atomic_load(&sh->eperm[i]), i < ROLES - 1 ? ";" : "");
		total += atomic_load(&sh->stopped[i]) + atomic_load(&sh->eperm[i]);
	}
	printf("; stopped while privileged: %ld\n", atomic_load(&sh->priv_stopped));
	if (atomic_load(&sh->priv_stopped))
		return 1;
	if (r->runs >= SANITY_RUNS && total == 0) {
		fprintf(stderr, "racer: the stopper found no helper process to signal: the "
				"scenario proves nothing\n");
		return 3;
	}
	return 0;
}

int verdict_userns(const struct race *r)
{
	long share = r->ep_runs[0] ? 100 * r->ep_unmounted[0] / r->ep_runs[0] : 0;
	int rc = 0;

	printf("race %s: without a victim: %ld runs, %ld unmounted (%ld%%), %ld refused (%ld "
	       "with the entitled mount gone), %ld lost a guarded mount\n",
	       r->s->name, r->ep_runs[0], r->ep_unmounted[0], share, r->ep_refused[0],
	       r->ep_refused_gone[0], r->ep_lost[0]);
	printf("race %s: with a victim on att/v: %ld runs, %ld unmounted (the entitled mount), "
	       "%ld refused (%ld with the entitled mount gone), %ld lost a guarded mount\n",
	       r->s->name, r->ep_runs[1], r->ep_unmounted[1], r->ep_refused[1],
	       r->ep_refused_gone[1], r->ep_lost[1]);
	if (r->stopper > 0)
		rc = verdict_stopper(r);
	if (rc == 0 && r->runs >= SANITY_RUNS && (r->ep_runs[1] == 0 || share < MIN_SHARE)) {
		fprintf(stderr,
			"racer: fewer than %d%% of the victim-less runs unmounted, or no "
			"victim epoch: the scenario proves nothing\n",
			MIN_SHARE);
		rc = 3;
	}
	return rc;
}
