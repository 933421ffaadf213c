/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * racer — the race suite's driver (SECURITY.md; cases-race.sh).
 *
 *   racer SCENARIO USER RUNS DIR HELPER [TINYFUSE]
 *
 * Runs HELPER (the installed setuid user-umount) RUNS times as USER on one
 * target, forked and exec'd from here, while an attacker running as the
 * same USER (and, in "remount", root itself) changes what the target names:
 *
 *   final    DIR/att/x swaps (RENAME_EXCHANGE) between the directory the
 *            entitled tmpfs is mounted on, a symlink to a victim mount and a
 *            symlink to "/". The attacker renames from a user+mount namespace
 *            of its own, where the directory is no mount point, so the
 *            kernel lets the mount point itself move.
 *   parent   DIR/att/p (holding m, the entitled mount point) swaps with a
 *            symlink to a root directory whose m is a victim mount, with a
 *            directory whose m is a symlink to "/", and with a directory
 *            whose m is another victim mount; the target is DIR/att/p/m.
 *   fuse     DIR/fx is a victim tmpfs (its root the user's to write, the
 *            mount not the user's to unmount); the attacker stacks its own
 *            tinyfuse mount on it and unmounts that again (with the helper)
 *            in a loop.
 *   remount  DIR/att/x: root mounts fresh entitled tmpfs instances and victim
 *            tmpfs instances on top of each other there, while the attacker
 *            unmounts the entitled ones with the helper too.
 *   userns   DIR/att/a (the entitled tmpfs) swaps with DIR/att/v, renamed
 *            from the attacker's own user+mount namespace; in every other
 *            epoch root's victim tmpfs is mounted on att/v (race_userns.c).
 *   userns-stop  the same, and a second attacker (the user, in the first
 *            user namespace) stops every helper process it may signal,
 *            has the names swapped, and continues it.
 *   userns-hidden  the same exchange, and the parent mount is a bind mount
 *            of a subdirectory: the attacker also moves DIR/pm/att (holding
 *            the entitled mount and a victim) out of that mount's root and
 *            back, through another view of the file system (race_userns.c).
 *   userns-subuid  DIR/att is owned by one of the user's subordinate uids,
 *            mapped into the attacker's namespace with newuidmap.
 *
 * Checked after every run: every guarded mount (everything mounted when the
 * race began but the entitled mount, and every victim since) is still in the
 * namespace's mount table by unique mount ID, "/" is still writable, and the
 * helper answered within TIMEOUT_S. Only entitled mounts may go.
 *
 * Prints two summary lines (the helper's results, the attacker's activity)
 * and each violation on stderr; exit 0 = no violation, 1 = violations,
 * 2 = setup error, 3 = the race never reached the unmount or the attacker
 * did nothing (from SANITY_RUNS runs on).
 * The whole world is a private mount namespace with a tmpfs root (see
 * race_world.c): nothing here outlives the process.
 */
#define _GNU_SOURCE
#include "race.h"
#include "statmount.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FLIP_NAP_US   1500
#define CLEANUP_EVERY 100 /* remount: clear the stack every so many runs */
#define VICTIMS_MAX   150

void pathf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PATH_MAX) {
		fprintf(stderr, "racer: path too long\n");
		exit(2);
	}
}

void die(const char *what, const char *path, int err)
{
	fprintf(stderr, "racer: %s %s: %s\n", what, path, strerror(err));
	exit(2);
}

void mkdir_owned(const struct race *r, const char *path, bool user)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		die("mkdir", path, errno);
	if (chown(path, user ? r->user.uid : 0, user ? r->user.gid : 0) < 0 ||
	    chmod(path, 0755) < 0)
		die("chown", path, errno);
}

static void symlink_owned(const struct race *r, const char *to, const char *path)
{
	unlink(path);
	if (symlink(to, path) < 0 || lchown(path, r->user.uid, r->user.gid) < 0)
		die("symlink", path, errno);
}

static void victim(struct race *r, const char *path, const char *opts)
{
	int e = guard_mount_victim(&r->guard, AT_FDCWD, path, opts, path, true);

	if (e < 0)
		die("mount victim on", path, -e);
}

/* final, parent: before each run, the entitled tmpfs is mounted again on
 * its directory (by fd: wherever the attacker has renamed it to) if the
 * last run unmounted it. */
void ensure_entitled(struct race *r)
{
	int e;

	if (r->ent_id && mount_listed(&r->guard, r->ent_id))
		return;
	e = tmpfs_mount(r->ent_fd, NULL, ENT_SOURCE, ENT_OPTS, &r->ent_id);
	if (e < 0)
		die("mount the entitled tmpfs for", r->target, -e);
	atomic_fetch_add(&r->ent_mounts, 1);
}

/* ---- the attacker (a child process, as the user) ---------------------- */

/* The attacker: the user, in a user+mount namespace of its own if asked;
 * says on READY whether it got there, then attacks until stopped. */
static __attribute__((noreturn)) void attacker(struct race *r, attack_fn *fn, bool own_ns,
					       int ready)
{
	bool ok = become_user(&r->user) == 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (!ok)
		perror("racer: attacker: cannot become the user");
	if (ok && own_ns && unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0) {
		perror("racer: attacker: unshare(CLONE_NEWUSER | CLONE_NEWNS) "
		       "(unprivileged user namespaces are needed)");
		ok = false;
	}
	if (write(ready, &ok, sizeof(ok)) != (ssize_t)sizeof(ok) || !ok)
		_exit(1);
	rnd_seed((uint64_t)getpid() * 2654435761u ^ (uint64_t)time(NULL));
	fn(r);
	_exit(0);
}

void start_attacker(struct race *r, attack_fn *fn, bool own_namespace)
{
	bool ok = false;
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		die("pipe", "", errno);
	r->attacker = fork();
	if (r->attacker < 0)
		die("fork", "attacker", errno);
	if (r->attacker == 0)
		attacker(r, fn, own_namespace, p[1]);
	close(p[1]);
	if (read(p[0], &ok, sizeof(ok)) != (ssize_t)sizeof(ok) || !ok) {
		fprintf(stderr, "racer: the attacker could not start\n");
		exit(2);
	}
	close(p[0]);
}

/*
 * Pulses: NAME (the real thing, most of the time) is swapped with one of
 * OTHERS and back after a few microseconds, then left alone a little longer.
 * The helper must see the real thing at every check to go ahead (three
 * looks: resolve, mount facts, re-check) and a decoy in the short gap
 * before umount2(): mostly-real with short decoy pulses hits that far more
 * often than an even cycle would. Holds are spun, not slept (timer slack).
 */
static void attack_rename(struct race *r, const char *name, const char *const *others, size_t n)
{
	int dfd = open(r->att, O_PATH | O_DIRECTORY | O_CLOEXEC);

	for (size_t k = 0; dfd >= 0 && !atomic_load(&r->sh->stop); k++) {
		const char *decoy = others[k % n];

		if (renameat2(dfd, name, dfd, decoy, RENAME_EXCHANGE) < 0)
			continue;
		spin_us((long)(rnd() % DECOY_US));
		if (renameat2(dfd, name, dfd, decoy, RENAME_EXCHANGE) < 0)
			break; /* cannot happen: the names are the attacker's alone */
		atomic_fetch_add(&r->sh->ops, 2);
		spin_us((long)(rnd() % REAL_US));
	}
}

static void attack_final(struct race *r)
{
	static const char *const others[] = {"lv", "lr"};

	attack_rename(r, "x", others, 2);
}

static void attack_parent(struct race *r)
{
	static const char *const others[] = {"s", "q", "r"};

	attack_rename(r, "p", others, 3);
}

/* The attacker unmounts with the helper, as a user would. */
static int own_helper_run(struct race *r)
{
	char *argv[] = {(char *)r->helper, "-q", r->target, NULL, NULL};
	int rc;

	if (r->helper_opt) {
		argv[1] = (char *)r->helper_opt;
		argv[2] = "-q";
		argv[3] = r->target;
	}
	rc = wait_rc(spawn_as(&r->user, argv, true), TIMEOUT_S);

	atomic_fetch_add(&r->sh->runs, 1);
	if (rc == 0)
		atomic_fetch_add(&r->sh->unmounted, 1);
	return rc;
}

/* Is the attacker's FUSE mount on top of the victim? */
static bool fuse_on_top(const struct race *r)
{
	char type[64];
	uint64_t top;

	return mount_id_at(AT_FDCWD, r->target, &top) == 0 &&
	       mount_str(top, UU_STATMOUNT_FS_TYPE, type, sizeof(type)) == 0 &&
	       strncmp(type, "fuse", 4) == 0;
}

static bool wait_fuse_up(struct race *r, pid_t daemon)
{
	for (int i = 0; i < 10000 && !atomic_load(&r->sh->stop); i++) {
		if (fuse_on_top(r))
			return true;
		if (waitpid(daemon, NULL, WNOHANG) != 0)
			return false;
		sleep_us(200);
	}
	return false;
}

static void attack_fuse(struct race *r)
{
	char *argv[] = {(char *)r->tinyfuse, "-f", r->target, NULL};
	pid_t daemon;

	while (!atomic_load(&r->sh->stop)) {
		daemon = spawn_as(&r->user, argv, true);
		if (wait_fuse_up(r, daemon)) {
			atomic_fetch_add(&r->sh->ops, 1);
			sleep_us((long)(rnd() % 3000));
			for (int i = 0; i < 1000 && fuse_on_top(r); i++)
				if (own_helper_run(r) != 0)
					sleep_us(500);
		}
		wait_rc(daemon, TIMEOUT_S); /* it exits once its mount is gone */
	}
}

static void attack_remount(struct race *r)
{
	while (!atomic_load(&r->sh->stop)) {
		if (attacker_pause_point(r->sh))
			atomic_fetch_add(&r->sh->ops, 1);
		own_helper_run(r);
		sleep_us((long)(rnd() % 2000));
	}
}

/* ---- root's own mounting (remount) ------------------------------------ */

static bool top_is_entitled(const struct race *r)
{
	char src[64];
	uint64_t top;

	return mount_id_at(AT_FDCWD, r->target, &top) == 0 &&
	       mount_str(top, UU_STATMOUNT_SB_SOURCE, src, sizeof(src)) == 0 &&
	       strcmp(src, ENT_SOURCE) == 0;
}

/* Root mounts a fresh entitled tmpfs whenever the top is not one: on the
 * empty name, or on the victim some epochs start with (see after_remount),
 * where the helper must refuse it. Root never mounts a victim while helpers
 * run: a privileged mount landing between a helper's re-check and its
 * umount2() would be unmounted instead, and no unmount by path can prevent
 * that (SECURITY.md, known limits). */
static void flip_once(struct race *r)
{
	bool ent = top_is_entitled(r);
	uint64_t id;

	if (!ent && tmpfs_mount(AT_FDCWD, r->target, ENT_SOURCE, ENT_OPTS, &id) == 0)
		atomic_fetch_add(&r->ent_mounts, 1);
}

static void *flipper(void *arg)
{
	struct race *r = arg;
	sigset_t alarm_only;

	sigemptyset(&alarm_only);
	sigaddset(&alarm_only, SIGALRM); /* the driver's waits need it */
	pthread_sigmask(SIG_BLOCK, &alarm_only, NULL);
	rnd_seed((uint64_t)time(NULL) ^ 0x5bd1e995);
	while (!atomic_load(&r->sh->stop)) {
		if (atomic_load(&r->fpause)) {
			atomic_store(&r->fpaused, 1);
			while (atomic_load(&r->fpause) && !atomic_load(&r->sh->stop))
				sleep_us(100);
			atomic_store(&r->fpaused, 0);
			continue;
		}
		sleep_us((long)(rnd() % FLIP_NAP_US));
		flip_once(r);
	}
	return NULL;
}

static void flipper_hold(struct race *r, bool hold)
{
	atomic_store(&r->fpause, hold);
	while (atomic_load(&r->fpaused) != hold)
		sleep_us(50);
}

/* Every so often, with everyone else held still: check, then clear the
 * stack on the target and start again from one entitled mount. */
static void after_remount(struct race *r, long run)
{
	char when[64];
	uint64_t id;
	int e;

	if (run % CLEANUP_EVERY && atomic_load(&r->victims_live) < VICTIMS_MAX)
		return;
	attacker_hold(r->sh);
	flipper_hold(r, true);
	snprintf(when, sizeof(when), "before the cleanup after run %ld", run);
	guard_check(&r->guard, when);
	while (umount2(r->target, UMOUNT_NOFOLLOW) == 0)
		;
	guard_forget_gone(&r->guard);
	atomic_store(&r->victims_live, 0);
	/* Every other epoch, a victim under the name: entitled mounts then sit
	 * on it, and the helper must refuse them all. */
	if ((run / CLEANUP_EVERY) % 2 &&
	    guard_mount_victim(&r->guard, AT_FDCWD, r->target, ENT_OPTS,
			       "under the attacker's entitled mounts", false) == 0) {
		atomic_fetch_add(&r->victims, 1);
		atomic_fetch_add(&r->victims_live, 1);
	}
	e = tmpfs_mount(AT_FDCWD, r->target, ENT_SOURCE, ENT_OPTS, &id);
	if (e < 0)
		die("mount the entitled tmpfs for", r->target, -e);
	flipper_hold(r, false);
	attacker_release(r->sh);
}

/* ---- scenarios --------------------------------------------------------- */

static void setup_final(struct race *r)
{
	char v[PATH_MAX], p[PATH_MAX];

	pathf(v, "%s/victim", r->dir);
	mkdir_owned(r, v, false);
	victim(r, v, ENT_OPTS);
	pathf(r->target, "%s/x", r->att);
	mkdir_owned(r, r->target, true);
	pathf(p, "%s/lv", r->att);
	symlink_owned(r, v, p);
	pathf(p, "%s/lr", r->att);
	symlink_owned(r, "/", p);
	r->ent_fd = open(r->target, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (r->ent_fd < 0)
		die("open", r->target, errno);
	/* Before the entitled mount exists: in the attacker's namespace the
	 * directory must not be a mount point, or it could not be renamed. */
	start_attacker(r, attack_final, true);
}

static void setup_parent(struct race *r)
{
	char v[PATH_MAX], p[PATH_MAX];

	pathf(v, "%s/vdir", r->dir);
	mkdir_owned(r, v, false);
	pathf(p, "%s/m", v);
	mkdir_owned(r, p, false);
	victim(r, p, ENT_OPTS);
	pathf(p, "%s/s", r->att);
	symlink_owned(r, v, p);
	pathf(p, "%s/q", r->att);
	mkdir_owned(r, p, true);
	pathf(p, "%s/q/m", r->att);
	symlink_owned(r, "/", p);
	/* Root's directory, so the victim in it is not the attacker's to
	 * rename into p (that would be the neighbour swap, refused outright);
	 * r itself may be swapped with p. */
	pathf(p, "%s/r", r->att);
	mkdir_owned(r, p, false);
	pathf(p, "%s/r/m", r->att);
	mkdir_owned(r, p, false);
	victim(r, p, ENT_OPTS);
	pathf(p, "%s/p", r->att);
	mkdir_owned(r, p, true);
	pathf(r->target, "%s/p/m", r->att);
	mkdir_owned(r, r->target, true);
	r->ent_fd = open(r->target, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (r->ent_fd < 0)
		die("open", r->target, errno);
	start_attacker(r, attack_parent, false);
}

static void setup_fuse(struct race *r)
{
	char opts[64];

	if (!r->tinyfuse)
		die("scenario fuse needs", "TINYFUSE", EINVAL);
	/* Root's directory in root's directory: the attacker has no way of its
	 * own to remove the victim, only the right to mount on its root. */
	pathf(r->target, "%s/fx", r->dir);
	mkdir_owned(r, r->target, false);
	snprintf(opts, sizeof(opts), "mode=0755,uid=%u,gid=%u", (unsigned)r->user.uid,
		 (unsigned)r->user.gid);
	victim(r, r->target, opts);
	start_attacker(r, attack_fuse, false);
}

static void setup_remount(struct race *r)
{
	uint64_t id;
	int e;

	pathf(r->target, "%s/x", r->att);
	mkdir_owned(r, r->target, true);
	e = tmpfs_mount(AT_FDCWD, r->target, ENT_SOURCE, ENT_OPTS, &id);
	if (e < 0)
		die("mount the entitled tmpfs for", r->target, -e);
	start_attacker(r, attack_remount, false);
	e = pthread_create(&r->flipper, NULL, flipper, r);
	if (e)
		die("pthread_create", "flipper", e);
	r->flipping = true;
}

static const struct scenario scenarios[] = {
    {"final", "renames", setup_final, ensure_entitled, NULL, false, NULL},
    {"parent", "renames", setup_parent, ensure_entitled, NULL, false, NULL},
    /* The user's FUSE mount stacked on a victim is refused outright: were it
     * to go away between re-check and umount2(), the victim would go. */
    {"fuse", "FUSE mounts", setup_fuse, NULL, NULL, true, NULL},
    {"remount", "pauses", setup_remount, NULL, after_remount, false, NULL},
    /* race_userns.c: the neighbour swap from the caller's user namespace */
    {"userns", "renames", setup_userns, ensure_entitled, after_userns, false, verdict_userns},
    {"userns-stop", "renames", setup_userns_stop, ensure_entitled, after_userns, false,
     verdict_userns},
    /* race_userns.c: the swaps the neighbour pins must hold */
    {"userns-hidden", "renames", setup_userns_hidden, before_watched, after_watched, false,
     verdict_watched},
    {"userns-subuid", "renames", setup_userns_subuid, before_watched, after_watched, false,
     verdict_watched},
};

/* ---- the driver --------------------------------------------------------- */

static void run_once(struct race *r, long run)
{
	char *argv[] = {(char *)r->helper, r->target, NULL, NULL};
	char when[64];
	pid_t pid;
	int rc;

	if (r->helper_opt) {
		argv[1] = (char *)r->helper_opt;
		argv[2] = r->target;
	}
	if (r->s->before)
		r->s->before(r);
	pid = spawn_as(&r->user, argv, true);
	if (pid < 0)
		die("fork", "helper", errno);
	rc = wait_rc(pid, TIMEOUT_S);
	if (rc < 0) {
		fprintf(stderr, "racer: VIOLATION: the helper did not answer in %d s in run %ld\n",
			TIMEOUT_S, run);
		r->guard.violations++;
		rc = 256;
	}
	r->rc[rc]++;
	r->last_rc = rc;
	snprintf(when, sizeof(when), "after run %ld (helper exit %d)", run, rc == 256 ? -1 : rc);
	r->last_lost = guard_check(&r->guard, when);
	if (r->s->after)
		r->s->after(r, run);
}

/* Stop the attacker and the flipper, reap everything, check once more. */
static void stop_all(struct race *r)
{
	atomic_store(&r->sh->stop, 1);
	if (r->flipping)
		pthread_join(r->flipper, NULL);
	if (r->attacker > 0)
		kill(r->attacker, SIGKILL);
	if (r->stopper > 0)
		kill(r->stopper, SIGKILL);
	reap_all();
	guard_check(&r->guard, "at the end, all stopped");
}

static void refusals(const struct race *r, char *out, size_t len)
{
	size_t n = 0;

	out[0] = '\0';
	for (int rc = 1; rc < 256 && n < len; rc++)
		if (r->rc[rc])
			n += (size_t)snprintf(out + n, len - n, "%sexit %d: %ld", n ? ", " : "", rc,
					      r->rc[rc]);
	if (r->rc[256] && n < len)
		snprintf(out + n, len - n, "%sno answer: %ld", n ? ", " : "", r->rc[256]);
}

/* What the attacker (and root, in "remount") did meanwhile. */
static void activity(const struct race *r, char *out, size_t len)
{
	long ops = atomic_load(&r->sh->ops), runs = atomic_load(&r->sh->runs);
	size_t n = (size_t)snprintf(out, len, "%ld %s", ops, r->s->ops);

	if (runs && n < len)
		n += (size_t)snprintf(out + n, len - n, ", %ld own helper runs (%ld unmounted)",
				      runs, atomic_load(&r->sh->unmounted));
	if (atomic_load(&r->victims) && n < len)
		snprintf(out + n, len - n, "; root mounted %ld entitled and %ld victim tmpfs",
			 atomic_load(&r->ent_mounts), atomic_load(&r->victims));
}

static int report(const struct race *r, double secs)
{
	long refused = r->runs - r->rc[0];
	bool idle = atomic_load(&r->sh->ops) == 0 && atomic_load(&r->sh->runs) == 0;
	char why[256], what[256];
	int extra;

	refusals(r, why, sizeof(why));
	activity(r, what, sizeof(what));
	printf("race %s: %ld runs in %.1f s: %ld unmounted, %ld refused (%s), %ld violations\n",
	       r->s->name, r->runs, secs, r->rc[0], refused, why, r->guard.violations);
	printf("race %s: attacker: %s\n", r->s->name, what);
	extra = r->s->verdict ? r->s->verdict(r) : 0;
	if (r->guard.violations || extra == 1)
		return 1;
	if (r->runs >= SANITY_RUNS &&
	    ((r->rc[0] == 0 && !r->s->all_refused_ok) || refused == 0 || idle)) {
		fprintf(stderr, "racer: the race did not happen (no unmount, no refusal, or an "
				"idle attacker): the scenario proves nothing\n");
		return 3;
	}
	return extra;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const struct scenario *find_scenario(const char *name)
{
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		if (strcmp(scenarios[i].name, name) == 0)
			return &scenarios[i];
	return NULL;
}

static void parse_args(struct race *r, int argc, char **argv)
{
	char *end;

	if (argc < 6 || argc > 7 || !(r->s = find_scenario(argv[1]))) {
		fprintf(stderr, "usage: racer final|parent|fuse|remount|userns|userns-stop|"
				"userns-hidden|userns-subuid USER RUNS DIR HELPER [TINYFUSE]\n");
		exit(2);
	}
	r->runs = strtol(argv[3], &end, 10);
	if (*end || r->runs < 1 || user_lookup(argv[2], &r->user) < 0)
		die("bad", "arguments", EINVAL);
	r->dir = argv[4];
	r->helper = argv[5];
	r->tinyfuse = argc > 6 ? argv[6] : NULL;
	/* every helper run with this option too (the -l swap race) */
	r->helper_opt = getenv("UU_RACE_HELPER_OPT");
	if (r->helper_opt && (r->helper_opt[0] != '-' || !r->helper_opt[1]))
		die("UU_RACE_HELPER_OPT must be", "one option", EINVAL);
	if (r->dir[0] != '/' || r->helper[0] != '/' || (r->tinyfuse && r->tinyfuse[0] != '/'))
		die("paths must be", "absolute", EINVAL);
}

/*
 * UU_RACE_ATT_TMPFS: ATT is the root of a tmpfs of its own (the user's),
 * so the parent mount's root is "/". Without it ATT is on the world's bind
 * of the directory's top component (/var), whose root is not "/": there a
 * build without listmount (UU_FORCE_LIBMOUNT) refuses every plain
 * unmount, as documented, and the race would prove nothing.
 */
static void att_on_own_tmpfs(struct race *r)
{
	char opts[64];
	uint64_t id;
	int e;

	snprintf(opts, sizeof(opts), "mode=0755,uid=%u,gid=%u", (unsigned)r->user.uid,
		 (unsigned)r->user.gid);
	e = tmpfs_mount(AT_FDCWD, r->att, "uuatt", opts, &id);
	if (e < 0)
		die("mount tmpfs on", r->att, -e);
	guard_add_live(&r->guard, id, "the user's tmpfs on %s", r->att);
}

int main(int argc, char **argv)
{
	static struct race r;
	const char *paths[3];
	char scratch[PATH_MAX];
	double t0;

	parse_args(&r, argc, argv);
	if (setvbuf(stdout, NULL, _IOLBF, 0) != 0)
		return 2;
	prctl(PR_SET_CHILD_SUBREAPER, 1); /* orphans (FUSE daemons) come here */
	paths[0] = r.dir;
	paths[1] = r.helper;
	paths[2] = r.tinyfuse ? r.tinyfuse : r.helper;
	pathf(scratch, "%s/root", r.dir);
	if (world_enter(scratch, paths, 3) < 0)
		return 2;
	pathf(r.att, "%s/att", r.dir);
	mkdir_owned(&r, r.att, true);
	r.sh = shared_new();
	if (guard_init(&r.guard) < 0)
		return 2;
	if (getenv("UU_RACE_ATT_TMPFS"))
		att_on_own_tmpfs(&r);
	r.s->setup(&r);
	t0 = now();
	for (long i = 1; i <= r.runs; i++)
		run_once(&r, i);
	stop_all(&r);
	return report(&r, now() - t0);
}
