/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * race_userns.c — the mount-point swap from the caller's own user namespace
 * (racer scenarios userns, userns-stop, userns-hidden and userns-subuid;
 * cases-race.sh; the last two are described further down).
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
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
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

/* P as the root of a tmpfs of root's, the attacker's: PM's root is "/",
 * so the mountinfo fallback (which cannot list mounts hidden outside a
 * bind mount's root, and refuses there) decides these runs too. */
static void att_on_own_tmpfs(struct race *r)
{
	char opts[64];
	uint64_t id;
	int e;

	snprintf(opts, sizeof(opts), "mode=0755,uid=%d,gid=%d", (int)r->user.uid, (int)r->user.gid);
	e = tmpfs_mount(AT_FDCWD, r->att, "uuatt", opts, &id);
	if (e < 0)
		die("mount tmpfs on", r->att, -e);
	guard_add_live(&r->guard, id, "root's tmpfs on %s, the attacker's", r->att);
}

/* Both attackers start before any mount exists on a or v: in the renaming
 * attacker's namespace neither may be a mount point. */
void setup_userns(struct race *r)
{
	att_on_own_tmpfs(r);
	setup_common(r);
	start_attacker(r, attack_userns, true);
}

void setup_userns_stop(struct race *r)
{
	att_on_own_tmpfs(r);
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

/* Into kind K: did the run unmount the entitled mount (and only that)? */
static void count_run(struct race *r, long run, int k)
{
	bool gone = !mount_listed(&r->guard, r->ent_id); /* run_once's snapshot */

	r->ep_runs[k]++;
	if (r->last_lost) {
		r->ep_lost[k]++; /* a violation already */
		if (r->last_rc == 0 && !gone)
			fprintf(stderr,
				"racer: VIOLATION (the same): run %ld exited 0 (\"unmounted\"), "
				"yet the entitled mount is still there\n",
				run);
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
}

/* Per epoch kind: with or without the victim on att/v. */
void after_userns(struct race *r, long run)
{
	count_run(r, run, r->victim_on);
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

/* ---- userns-hidden, userns-subuid: the swaps the pins must hold -------- */

/*
 * Both: P holds the entitled tmpfs on P/a and root's victim tmpfs on P/v,
 * and the attacker exchanges P/a and P/v from a user+mount namespace of its
 * own, as in userns. A plain unmount by name cannot keep such a swap out;
 * the helper pins every other child of P's mount PM that a swap could
 * bring under the name (DESIGN.md "The mount-point swap"), so a swap meets
 * EBUSY. Each scenario attacks what decides whether a neighbour is pinned:
 *
 * userns-hidden: root's tmpfs X is mounted on DIR/x, and X/sub is bound on
 * DIR/pm: PM's root is not its file system's root. P = DIR/pm/att is
 * X/sub/att. The attacker's namespace has both mounts, so it also moves P
 * to X/out/att, outside PM's root, and back (X/sub and X/out are its own).
 * While P is out, the mounts on P/a and P/v are children of PM without any
 * mount point statmount or mountinfo can show, and no path leads to them
 * from PM. Out before the helper lists PM's children: a walk that skips
 * them pins nothing. Out between the listing and the pin: the victim was
 * seen, but cannot be opened by its path, nor looked up by its ID as a
 * mount with a mount point; a helper that takes that for "gone" pins
 * nothing either. Either way the exchange then hits the victim; the helper
 * must refuse (cannot-check) or hold the pin. Root's NEIGHBOURS other
 * mounts in PM (see neighbours_after_victim) make the second moment as
 * wide as it is where a bind-mounted tree holds other mounts.
 *
 * userns-subuid: P (DIR/att, the root of a tmpfs of root's) is owned by
 * uid SUB_BASE + SUB_NS_UID - 1, one of the user's subordinate uids
 * (cases-race.sh writes /etc/subuid and /etc/subgid:
 * USER:SUB_BASE:SUB_COUNT). The user maps them into the attacker's
 * namespace with newuidmap and newgidmap, as rootless containers do; there
 * the attacker becomes SUB_NS_UID, P's owner, and P is its own. A P not
 * owned by the caller is no proof that the caller cannot change it.
 *
 * The attacker, being the caller, knows when its helper runs (the driver
 * tells it; it finds the process among the driver's children) and attacks
 * two runs in three: it waits until the resolver child (the helper's first
 * child, which runs as the caller) has come and gone, so that the target
 * was resolved and its facts read with every name in place, waits a random
 * moment more, and then (userns-hidden: in three attacks of four, after
 * moving P out) exchanges a and v in short pulses until the helper has
 * exited; then it puts everything back. seq is odd from its decision to
 * attack until then. A run that began and ended with seq even and
 * unchanged was left alone: those runs must mostly unmount (QUIET_SHARE),
 * so a defense that refuses everything does not pass. Attacked runs are
 * counted apart.
 */
#define ATTACK_MAX_US 500000 /* an attack gives up after this long */
#define DELAY_MAX_US  400    /* from the resolver's exit to the first rename */
#define FAST_REAL_US  60     /* names in place between two pulses, at most */
#define QUIET_SHARE   80     /* % of the quiet runs that must unmount */
#define KIND_MIN      20     /* runs of each kind (quiet, attacked) needed */
#define NEIGHBOURS    256    /* userns-hidden: root's other mounts in PM */
#define SUB_BASE      420000 /* cases-race.sh: USER:420000:65536 */
#define SUB_COUNT     65536
#define SUB_NS_UID    7 /* P's owner in the attacker's namespace (and its gid) */

static int att_fd = -1, sub_fd = -1, out_fd = -1; /* the attacker's */

static long mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

static void attacker_broke(struct race *r, const char *what)
{
	fprintf(stderr, "racer: attacker: %s: %s\n", what, strerror(errno));
	atomic_store(&r->sh->broke, 1);
}

/* The last pid handed out (the helper gets one of the next). */
static long last_pid(void)
{
	char buf[32] = "";
	int fd = open("/proc/sys/kernel/ns_last_pid", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		die("read", "/proc/sys/kernel/ns_last_pid", n < 0 ? errno : EIO);
	return strtol(buf, NULL, 10);
}

/* Is PID a live (not zombie) child of PARENT? */
static bool child_alive(pid_t pid, pid_t parent)
{
	char comm[64], state;
	pid_t ppid;

	return proc_stat(pid, comm, sizeof(comm), &state, &ppid) && ppid == parent &&
	       state != 'Z' && state != 'X';
}

/* A live child of PARENT among the pids after FLOOR (pids are handed out
 * in order), or 0. */
static pid_t child_near(pid_t parent, pid_t floor)
{
	for (pid_t p = floor + 1; p <= floor + NEAR_PIDS; p++)
		if (p != getpid() && child_alive(p, parent))
			return p;
	return 0;
}

/* Minor faults of PID's reaped children (cminflt, /proc/PID/stat), which
 * anyone may read; -1 if PID is gone. */
static long reaped_faults(pid_t pid)
{
	char path[64], buf[512], *p;
	long v = -1;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	/* ") S ppid pgrp session tty tpgid flags minflt cminflt" */
	if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %ld", &v) != 1)
		v = -1;
	return v;
}

/* The helper of the run just armed, once it has reaped its resolver child
 * (its first child, forked after the helper's cgroup and policy steps):
 * then the target has been resolved and its facts are read next. A child
 * that lives only while this process is not running could be missed; that
 * its faults were added to the helper's cannot. 0 if the helper ended
 * first, or the next run began. */
static pid_t await_resolved(struct race *r, pid_t driver, long armed, long end)
{
	pid_t floor = (pid_t)atomic_load(&r->sh->pid_floor), h = 0;
	long faults = 0;

	while (!h && !(h = child_near(driver, floor)))
		if (mono_us() > end || atomic_load(&r->sh->armed) != armed ||
		    atomic_load(&r->sh->stop))
			return 0;
	while ((faults = reaped_faults(h)) == 0)
		if (mono_us() > end)
			return 0;
	return faults > 0 && child_alive(h, driver) ? h : 0;
}

/* Pulses as in attack_userns, only faster, until the helper H is gone. */
static bool pulses_until_gone(struct race *r, pid_t h, pid_t driver, long end)
{
	while (child_alive(h, driver) && mono_us() < end) {
		if (!exchange(att_fd)) {
			attacker_broke(r, "renameat2");
			return false;
		}
		spin_us((long)(rnd() % DECOY_US));
		if (!exchange(att_fd)) {
			attacker_broke(r, "cannot swap back");
			return false;
		}
		atomic_fetch_add(&r->sh->ops, 2);
		spin_us((long)(rnd() % FAST_REAL_US));
	}
	return true;
}

static bool move_p(int from, int to)
{
	return renameat2(from, "att", to, "att", RENAME_NOREPLACE) == 0;
}

/* One attack on helper H; HIDDEN: mostly with P moved out of PM's root. */
static bool attack_one_run(struct race *r, pid_t h, pid_t driver, bool hidden, long end)
{
	bool out = hidden && rnd() % 4 != 0, ok;

	spin_us((long)(rnd() % DELAY_MAX_US));
	if (out && !move_p(sub_fd, out_fd)) {
		attacker_broke(r, "cannot move P out of the bind mount's root");
		return false;
	}
	if (out)
		atomic_fetch_add(&r->sh->outs, 1);
	ok = pulses_until_gone(r, h, driver, end);
	if (out && !move_p(out_fd, sub_fd)) {
		attacker_broke(r, "cannot move P back");
		return false; /* P stays out: every later run is refused */
	}
	if (out)
		atomic_fetch_add(&r->sh->ops, 2);
	return ok;
}

static void attack_runs(struct race *r, bool hidden)
{
	pid_t driver = getppid(), h;
	long seen = atomic_load(&r->sh->armed), armed;
	bool ok = true;

	while (ok && !atomic_load(&r->sh->stop)) {
		armed = atomic_load(&r->sh->armed);
		if (armed == seen) {
			sleep_us(20);
			continue;
		}
		seen = armed;
		if (rnd() % 3 == 0)
			continue;                 /* this run is left alone */
		atomic_fetch_add(&r->sh->seq, 1); /* odd: names may change from now on */
		long end = mono_us() + ATTACK_MAX_US;

		h = await_resolved(r, driver, armed, end);
		if (h)
			ok = attack_one_run(r, h, driver, hidden, end);
		if (!ok)
			break; /* seq stays odd: no run counts as quiet any more */
		atomic_fetch_add(&r->sh->seq, 1); /* even: every name in place */
		atomic_fetch_add(&r->sh->attacks, h != 0);
	}
}

static int open_dir(struct race *r, const char *path)
{
	int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		attacker_broke(r, path);
	return fd;
}

static void attack_hidden(struct race *r)
{
	char p[PATH_MAX];

	att_fd = open_dir(r, r->att);
	pathf(p, "%s/x/sub", r->dir);
	sub_fd = open_dir(r, p);
	pathf(p, "%s/x/out", r->dir);
	out_fd = open_dir(r, p);
	if (att_fd >= 0 && sub_fd >= 0 && out_fd >= 0)
		attack_runs(r, true);
}

/*
 * userns-hidden: NEIGHBOURS tmpfs of root's in X/sub/n (root's directory),
 * children of PM too, mounted after the victim: the helper lists mounts by
 * ID, oldest first, and pins them in that order, so these stand between
 * the moment it sees the victim and the moment it pins it, as other
 * mounts in a bind-mounted tree would. Done again (all unmounted, then
 * mounted anew) after a run that lost the victim, whose successor is
 * younger.
 */
static void neighbours_after_victim(struct race *r)
{
	char p[PATH_MAX];
	uint64_t id;
	int e;

	for (int i = 0; i < NEIGHBOURS; i++) {
		pathf(p, "%s/x/sub/n/%d", r->dir, i);
		mkdir_owned(r, p, false);
		while (umount2(p, UMOUNT_NOFOLLOW) == 0)
			;
	}
	guard_forget_gone(&r->guard);
	for (int i = 0; i < NEIGHBOURS; i++) {
		pathf(p, "%s/x/sub/n/%d", r->dir, i);
		e = tmpfs_mount(AT_FDCWD, p, "uuneighbour", "mode=0755", &id);
		if (e < 0)
			die("mount tmpfs on", p, -e);
		guard_add_live(&r->guard, id, "root's tmpfs on %s", p);
	}
}

void setup_userns_hidden(struct race *r)
{
	char x[PATH_MAX], p[PATH_MAX];
	uint64_t id;
	int e;

	pathf(x, "%s/x", r->dir);
	mkdir_owned(r, x, false);
	e = tmpfs_mount(AT_FDCWD, x, "uuhidden", "mode=0755", &id);
	if (e < 0)
		die("mount tmpfs on", x, -e);
	guard_add_live(&r->guard, id, "root's tmpfs X on %s", x);
	pathf(p, "%s/sub", x);
	mkdir_owned(r, p, true);
	pathf(p, "%s/out", x);
	mkdir_owned(r, p, true);
	pathf(p, "%s/sub/att", x);
	mkdir_owned(r, p, true);
	pathf(p, "%s/sub/n", x);
	mkdir_owned(r, p, false);
	pathf(p, "%s/pm", r->dir);
	mkdir_owned(r, p, false);
	pathf(x, "%s/x/sub", r->dir);
	if (mount(x, p, NULL, MS_BIND, NULL) < 0)
		die("bind mount on", p, errno);
	e = mount_id_at(AT_FDCWD, p, &id);
	if (e < 0)
		die("statx", p, -e);
	guard_add_live(&r->guard, id, "root's bind mount of X/sub on %s", p);
	pathf(r->att, "%s/pm/att", r->dir);
	setup_common(r);
	start_attacker(r, attack_hidden, true);
	e = guard_mount_victim(&r->guard, r->vfd, ".", ENT_OPTS, "on P/v", true);
	if (e < 0)
		die("mount the victim on P/v in", r->att, -e);
	r->victim_on = true;
	neighbours_after_victim(r);
}

/* ---- userns-subuid: the attacker's namespace, mapped by newuidmap ------ */

static void attack_subuid(struct race *r)
{
	att_fd = open_dir(r, r->att);
	if (att_fd >= 0)
		attack_runs(r, false);
}

static bool tell(int fd, bool ok)
{
	return write(fd, &ok, sizeof(ok)) == (ssize_t)sizeof(ok) && ok;
}

static bool hear(int fd)
{
	bool ok = false;

	return read(fd, &ok, sizeof(ok)) == (ssize_t)sizeof(ok) && ok;
}

/* The user unshares; once the driver had the user map its subordinate ids,
 * it becomes SUB_NS_UID there, P's owner, and attacks. */
static __attribute__((noreturn)) void mapped_attacker(struct race *r, int up, int down)
{
	bool ok = become_user(&r->user) == 0;
	struct stat st;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (!ok)
		perror("racer: attacker: cannot become the user");
	if (ok && unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0) {
		perror("racer: attacker: unshare(CLONE_NEWUSER | CLONE_NEWNS)");
		ok = false;
	}
	if (!tell(up, ok) || !hear(down))
		_exit(1);
	if (setgroups(0, NULL) < 0 || setresgid(SUB_NS_UID, SUB_NS_UID, SUB_NS_UID) < 0 ||
	    setresuid(SUB_NS_UID, SUB_NS_UID, SUB_NS_UID) < 0) {
		perror("racer: attacker: cannot become its subordinate uid");
		ok = false;
	} else if (stat(r->att, &st) < 0 || st.st_uid != SUB_NS_UID) {
		fprintf(stderr, "racer: attacker: %s is not owned by uid %d in its namespace\n",
			r->att, SUB_NS_UID);
		ok = false;
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* again: the uid change cleared it */
	if (!tell(up, ok))
		_exit(1);
	rnd_seed((uint64_t)getpid() * 2654435761u ^ (uint64_t)time(NULL));
	attack_subuid(r);
	_exit(0);
}

/* newuidmap/newgidmap PID 0 OWN 1 1 SUB_BASE SUB_COUNT, run as the user. */
static bool map_ids(struct race *r, const char *prog, pid_t pid, unsigned own)
{
	char spid[16], sown[16], sbase[16], scount[16];
	char *argv[] = {(char *)prog, spid, "0", sown, "1", "1", sbase, scount, NULL};
	int rc;

	if (access(prog, X_OK) < 0) {
		fprintf(stderr, "racer: %s: %s (package uidmap, tools/deps.sh)\n", prog,
			strerror(errno));
		return false;
	}
	snprintf(spid, sizeof(spid), "%d", (int)pid);
	snprintf(sown, sizeof(sown), "%u", own);
	snprintf(sbase, sizeof(sbase), "%d", SUB_BASE);
	snprintf(scount, sizeof(scount), "%d", SUB_COUNT);
	rc = wait_rc(spawn_as(&r->user, argv, false), TIMEOUT_S);
	if (rc != 0)
		fprintf(stderr,
			"racer: %s as %s exited %d (is %s:%d:%d in /etc/subuid and "
			"/etc/subgid?)\n",
			prog, r->user.name, rc, r->user.name, SUB_BASE, SUB_COUNT);
	return rc == 0;
}

static void start_mapped_attacker(struct race *r)
{
	int up[2], down[2];
	bool ok;

	if (pipe2(up, O_CLOEXEC) < 0 || pipe2(down, O_CLOEXEC) < 0)
		die("pipe", "", errno);
	r->attacker = fork();
	if (r->attacker < 0)
		die("fork", "attacker", errno);
	if (r->attacker == 0)
		mapped_attacker(r, up[1], down[0]);
	close(up[1]);
	close(down[0]);
	ok = hear(up[0]) && map_ids(r, "/usr/bin/newuidmap", r->attacker, r->user.uid) &&
	     map_ids(r, "/usr/bin/newgidmap", r->attacker, r->user.gid);
	if (!tell(down[1], ok) || !hear(up[0])) {
		fprintf(stderr, "racer: the attacker could not start in a namespace mapping "
				"the user's subordinate uids\n");
		exit(2);
	}
	close(up[0]);
	close(down[1]);
}

/* P is the root of a tmpfs of its own, so PM's root is "/" (the other
 * scenarios reach the whole namespace; this one is about the owner). */
void setup_userns_subuid(struct race *r)
{
	char opts[64];
	uint64_t id;
	int e;

	snprintf(opts, sizeof(opts), "mode=0755,uid=%d,gid=%d", SUB_BASE + SUB_NS_UID - 1,
		 SUB_BASE + SUB_NS_UID - 1);
	e = tmpfs_mount(AT_FDCWD, r->att, "uusubuid", opts, &id);
	if (e < 0)
		die("mount tmpfs on", r->att, -e);
	guard_add_live(&r->guard, id, "root's tmpfs on %s, owned by a subordinate uid", r->att);
	setup_common(r);
	start_mapped_attacker(r);
	e = guard_mount_victim(&r->guard, r->vfd, ".", ENT_OPTS, "on att/v", true);
	if (e < 0)
		die("mount the victim on att/v in", r->att, -e);
	r->victim_on = true;
}

/* ---- both: runs counted as left alone or attacked ---------------------- */

void before_watched(struct race *r)
{
	ensure_entitled(r);
	r->seq0 = atomic_load(&r->sh->seq);
	atomic_store(&r->sh->pid_floor, last_pid());
	atomic_fetch_add(&r->sh->armed, 1);
}

void after_watched(struct race *r, long run)
{
	bool alone = r->seq0 % 2 == 0 && atomic_load(&r->sh->seq) == r->seq0;

	count_run(r, run, alone ? 0 : 1);
	if (r->last_lost && strcmp(r->s->name, "userns-hidden") == 0)
		neighbours_after_victim(r);
}

int verdict_watched(const struct race *r)
{
	static const char *const kind[] = {"left alone", "attacked"};
	const struct race_shared *sh = r->sh;
	long share[2];

	for (int k = 0; k < 2; k++) {
		share[k] = r->ep_runs[k] ? 100 * r->ep_unmounted[k] / r->ep_runs[k] : 0;
		printf("race %s: %s: %ld runs, %ld unmounted (%ld%%), %ld refused (%ld with the "
		       "entitled mount gone), %ld lost a guarded mount\n",
		       r->s->name, kind[k], r->ep_runs[k], r->ep_unmounted[k], share[k],
		       r->ep_refused[k], r->ep_refused_gone[k], r->ep_lost[k]);
	}
	if (strcmp(r->s->name, "userns-hidden") == 0)
		printf("race %s: attacker: %ld helper runs attacked after their resolver exited, "
		       "%ld of them with P moved out of the bind mount's root\n",
		       r->s->name, atomic_load(&sh->attacks), atomic_load(&sh->outs));
	else
		printf("race %s: attacker: %ld helper runs attacked after their resolver exited, "
		       "as uid %d of its namespace (uid %d, the user's subordinate uid, mapped by "
		       "newuidmap)\n",
		       r->s->name, atomic_load(&sh->attacks), SUB_NS_UID,
		       SUB_BASE + SUB_NS_UID - 1);
	if (atomic_load(&sh->broke)) {
		fprintf(stderr, "racer: the attacker stopped early: the scenario proves nothing\n");
		return 3;
	}
	if (r->runs >= SANITY_RUNS &&
	    (r->ep_runs[0] < KIND_MIN || atomic_load(&sh->attacks) < KIND_MIN ||
	     share[0] < QUIET_SHARE)) {
		fprintf(stderr,
			"racer: fewer than %d runs left alone or attacked, or fewer than %d%% of "
			"those left alone unmounted: the scenario proves nothing\n",
			KIND_MIN, QUIET_SHARE);
		return 3;
	}
	return 0;
}
