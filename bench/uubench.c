/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uubench — the measuring half of bench/run.sh. Runs as root inside a
 * private mount namespace (bench/ns-setup.sh sets it up); never outside one.
 *
 *   uubench --n N --dir DIR --rounds R [--warmup W] --uu PATH --uu-libmount PATH
 *           --tinyfuse PATH --minimal PATH [--umount PATH] [--fusermount PATH]
 *           [--tmpfs-user NAME] [--fuse-user NAME] [--fstab PATH] [--only SLUG,...]
 *
 * 1. N background tmpfs mounts under DIR/bg (mount(2) in a loop).
 * 2. One target per tool under DIR/tg: tmpfs with an fstab "users" entry for
 *    umount(8), user-umount and the minimal program; a FUSE (tinyfuse) mount
 *    owned by the FUSE user for fusermount3 and user-umount on FUSE.
 * 3. W warm-up rounds, then R rounds. In a round every tool unmounts its
 *    target once (the starting tool rotates from round to round); each run
 *    is timed alone: CLOCK_MONOTONIC from just before fork() to the return
 *    of wait4(), i.e. fork + setgroups/setresgid/setresuid + execve + the
 *    tool's whole run. Peak RSS is wait4()'s ru_maxrss. Untimed: a FUSE
 *    daemon is reaped right after its unmount (so it does not exit during
 *    the next timed run), and after the last tool every target is mounted
 *    again.
 *
 * Output, CSV on stdout: n,tool,round,ns,maxrss_kb,cpu_us,minflt,exit
 * (maxrss_kb, cpu_us = user + system time, minflt = page faults: from
 * wait4(), children of the run included)
 * Progress and errors on stderr.
 *
 * --setup-only: steps 1-2 for the tmpfs targets only, then exit, leaving
 * the mounts in the namespace (bench/ns-profile.sh). --exec: see exec_mode().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef STATX_MNT_ID
#define STATX_MNT_ID 0x00001000U
#endif

#define MAX_GROUPS 64

/* VERSION: no target (user-umount -V); DENIED: a tmpfs of root's that the
 * user may not unmount (no fstab entry), which must stay mounted. */
enum kind { TMPFS, FUSE, VERSION, DENIED };

struct user {
	const char *name;
	uid_t uid;
	gid_t gid;
	gid_t groups[MAX_GROUPS];
	int ngroups;
};

struct tool {
	const char *name; /* column name in the report */
	const char *slug; /* target directory name */
	enum kind kind;
	struct user *user; /* NULL: root */
	const char *prog;
	const char *opt;       /* NULL or one option before TARGET */
	char **xargv;          /* --exec mode: the whole argv */
	bool from_user_cgroup; /* started in the user's delegated cgroup (--user-cgroup) */
	char target[4096];
	char log[4096];
	pid_t daemon; /* FUSE server of the current mount */
	unsigned failures;
};

static const char *envp[] = {"PATH=/usr/bin:/bin", NULL};
static struct tool tools[16];
static int siblings_layout;
/* --user-cgroup USER HOME: cgroup.procs of a v2 cgroup delegated to the
 * tmpfs user, and of the cgroup this runner started in. */
static const char *user_cgroup, *home_cgroup;
static size_t ntools;
static uint64_t container_id;
static const char *tinyfuse_path;

static void die(const char *what)
{
	fprintf(stderr, "uubench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void stop_daemons(void)
{
	for (size_t i = 0; i < ntools; i++) {
		if (tools[i].daemon <= 0)
			continue;
		kill(tools[i].daemon, SIGTERM);
		waitpid(tools[i].daemon, NULL, 0);
		tools[i].daemon = 0;
	}
}

static void on_signal(int sig)
{
	for (size_t i = 0; i < ntools; i++)
		if (tools[i].daemon > 0)
			kill(tools[i].daemon, SIGTERM);
	signal(sig, SIG_DFL);
	raise(sig);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void load_user(struct user *u, const char *name)
{
	struct passwd *pw = getpwnam(name);

	if (!pw) {
		fprintf(stderr, "uubench: no user %s (run tests/integration/users.sh)\n", name);
		exit(1);
	}
	u->name = name;
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	u->ngroups = MAX_GROUPS;
	if (getgrouplist(name, pw->pw_gid, u->groups, &u->ngroups) < 0) {
		fprintf(stderr, "uubench: %s is in too many groups\n", name);
		exit(1);
	}
}

/* In a child: become U for good (what setpriv --reuid --regid --init-groups does). */
static void become(const struct user *u)
{
	if (!u)
		return;
	if (setgroups((size_t)u->ngroups, u->groups) < 0 || setresgid(u->gid, u->gid, u->gid) < 0 ||
	    setresuid(u->uid, u->uid, u->uid) < 0)
		_exit(126);
}

static uint64_t mnt_id_of(const char *path, int *err)
{
	struct statx sx;

	memset(&sx, 0, sizeof(sx));
	if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC, STATX_MNT_ID, &sx) <
	    0) {
		*err = errno;
		return 0;
	}
	*err = 0;
	return sx.stx_mnt_id;
}

/* 1 mounted, 0 not, -errno. Root gets EACCES on a user's FUSE mount made
 * without allow_other: that is a mount (a tmpfs directory never says so). */
static int is_mounted(const struct tool *t)
{
	int err;
	uint64_t id = mnt_id_of(t->target, &err);

	if (err == EACCES)
		return 1;
	if (err)
		return -err;
	return id != container_id;
}

static int mount_tmpfs(const char *path)
{
	return mount("tmpfs", path, "tmpfs", 0, "size=64k,mode=755");
}

static void wait_fuse_gone(struct tool *t)
{
	double deadline = now_ms() + 5000;
	int status;

	if (t->daemon <= 0)
		return;
	while (waitpid(t->daemon, &status, WNOHANG) == 0) {
		if (now_ms() > deadline) {
			fprintf(stderr,
				"uubench: %s: FUSE daemon still there after unmount, killing\n",
				t->name);
			kill(t->daemon, SIGKILL);
			waitpid(t->daemon, &status, 0);
			break;
		}
		usleep(200);
	}
	t->daemon = 0;
}

static void start_fuse(struct tool *t)
{
	int logfd = open(t->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	pid_t pid;

	if (logfd < 0)
		die(t->log);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		char *argv[] = {(char *)"tinyfuse", (char *)"-f", (char *)"-s", t->target, NULL};
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(logfd, 1);
		dup2(logfd, 2);
		become(t->user);
		/* Dies with us, whatever happens to us (set after the uid change,
		 * which would clear it). */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		execve(tinyfuse_path, argv, (char **)envp);
		_exit(127);
	}
	close(logfd);
	t->daemon = pid;
}

/* Mount T's target again (untimed) and wait until the mount table shows it. */
static void mount_target(struct tool *t)
{
	double deadline;
	int m;

	if (t->kind == TMPFS || t->kind == DENIED) {
		if (mount_tmpfs(t->target) < 0)
			die(t->target);
		return;
	}
	start_fuse(t);
	deadline = now_ms() + 10000;
	while ((m = is_mounted(t)) == 0) {
		int status;

		if (waitpid(t->daemon, &status, WNOHANG) == t->daemon) {
			t->daemon = 0;
			fprintf(stderr, "uubench: %s: tinyfuse exited (status %#x); see %s\n",
				t->name, status, t->log);
			exit(1);
		}
		if (now_ms() > deadline) {
			fprintf(stderr, "uubench: %s: FUSE mount did not appear; see %s\n", t->name,
				t->log);
			exit(1);
		}
		usleep(200);
	}
	if (m < 0) {
		errno = -m;
		die(t->target);
	}
}

/* One timed run. Returns the wait status; sets *ns (wall), *rss_kb, *cpu_us
 * (user + system time) and *minflt (page faults), the last three of the
 * process and the children it waited for. */
/* The runner itself moves, outside the timed part: its child is forked
 * into the cgroup, as a desktop session's processes are. */
static void move_self(const char *procs)
{
	int fd = open(procs, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, "0", 1) != 1)
		die(procs);
	close(fd);
}

static int run_timed(struct tool *t, int64_t *ns, long *rss_kb, long *cpu_us, long *minflt)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status, logfd;
	pid_t pid;

	logfd = open(t->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (logfd < 0)
		die(t->log);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		char *argv[4] = {(char *)t->prog, NULL, NULL, NULL};

		argv[t->opt ? 2 : 1] = t->kind == VERSION ? NULL : t->target;
		if (t->opt)
			argv[1] = (char *)t->opt;
		dup2(logfd, 1);
		dup2(logfd, 2);
		become(t->user);
		execve(t->prog, t->xargv ? t->xargv : argv, (char **)envp);
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			die("wait4");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	close(logfd);
	*ns = (int64_t)(t1.tv_sec - t0.tv_sec) * 1000000000 + (t1.tv_nsec - t0.tv_nsec);
	*rss_kb = ru.ru_maxrss;
	*cpu_us = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000L + ru.ru_utime.tv_usec +
		  ru.ru_stime.tv_usec;
	*minflt = ru.ru_minflt;
	return status;
}

static void report_failure(struct tool *t, int status)
{
	char buf[600];
	ssize_t n;
	int fd;

	if (++t->failures > 3)
		return;
	fprintf(stderr, "uubench: %s failed (wait status %#x):", t->name, status);
	fd = open(t->log, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? 0 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	fprintf(stderr, " %s\n", buf);
}

static void add_tool(const char *name, const char *slug, enum kind k, struct user *u,
		     const char *prog, const char *opt, const char *dir)
{
	struct tool *t = &tools[ntools++];

	t->name = name;
	t->slug = slug;
	t->kind = k;
	t->user = u;
	t->prog = prog;
	t->opt = opt;
	/* --siblings: FUSE targets in a root directory of their own (their
	 * owner's FUSE mounts would otherwise be a tmpfs user's neighbours). */
	snprintf(t->target, sizeof(t->target), "%s/tg/%s%s", dir,
		 siblings_layout && k == FUSE ? "fuse/" : "", slug);
	snprintf(t->log, sizeof(t->log), "%s/log/%s.log", dir, slug);
}

static void usage(void)
{
	fputs("usage: uubench --exec ROUNDS 'LABEL|USER|REMOUNT|PROG ARG...'...\n"
	      "       uubench --setup-only ... (same options as below)\n"
	      "       uubench --n N --dir DIR --rounds R [--warmup W] --uu PATH\n"
	      "       --uu-libmount PATH --tinyfuse PATH --minimal PATH [--umount PATH]\n"
	      "       [--fusermount PATH] [--tmpfs-user NAME] [--fuse-user NAME] [--fstab PATH]\n"
	      "       [--uu-base PATH] [--siblings 0|1] [--user-cgroup PROCS HOME-PROCS]\n"
	      "       [--only SLUG,...]  (umount fusermount3 uu-tmpfs uu-fuse uu-version\n"
	      "                           uu-denied uu-cgroup uul-tmpfs uul-fuse uub-tmpfs\n"
	      "                           uub-fuse minimal)\n",
	      stderr);
	exit(2);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/*
 * --exec ROUNDS SPEC...: the decomposition runs of bench/ns-profile.sh. Each
 * SPEC is "LABEL|USER|REMOUNT|PROG ARG..." (fields split at '|', arguments
 * at spaces; USER "root" is root; REMOUNT "-" or a tmpfs mount point that
 * is mounted again, untimed, whenever the run left it unmounted). The SPECs
 * run round robin, ROUNDS times each, timed like the unmounts; one summary
 * line per SPEC: medians of wall time, CPU time, page faults, peak RSS.
 */
struct spec {
	char *label;
	struct user user;
	bool as_root;
	char *remount;
	uint64_t remount_parent;
	char *argv[16];
	int64_t *wall, *cpu, *flt, *rss;
	int bad;
};

static int64_t median_of(int64_t *v, long n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_i64);
	return v[n / 2];
}

static int exec_mode(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 0;
	int nspec = argc - 2;
	struct spec *sp;

	if (rounds < 1 || nspec < 1)
		usage();
	sp = calloc((size_t)nspec, sizeof(*sp));
	if (!sp)
		die("calloc");
	for (int i = 0; i < nspec; i++) {
		struct spec *x = &sp[i];
		char *f = strdup(argv[i + 2]), *user, *prog, *save = NULL;
		int k = 0, err;

		x->label = strsep(&f, "|");
		user = strsep(&f, "|");
		x->remount = strsep(&f, "|");
		prog = f;
		if (!x->label || !user || !x->remount || !prog)
			usage();
		if (strcmp(user, "root") == 0)
			x->as_root = true;
		else
			load_user(&x->user, user);
		for (char *a = strtok_r(prog, " ", &save); a && k < 15;
		     a = strtok_r(NULL, " ", &save))
			x->argv[k++] = a;
		if (strcmp(x->remount, "-") == 0) {
			x->remount = NULL;
		} else {
			char parent[4096];

			snprintf(parent, sizeof(parent), "%s/..", x->remount);
			x->remount_parent = mnt_id_of(parent, &err);
			if (err)
				die(parent);
		}
		x->wall = calloc((size_t)rounds, sizeof(int64_t));
		x->cpu = calloc((size_t)rounds, sizeof(int64_t));
		x->flt = calloc((size_t)rounds, sizeof(int64_t));
		x->rss = calloc((size_t)rounds, sizeof(int64_t));
		if (!x->wall || !x->cpu || !x->flt || !x->rss)
			die("calloc");
	}
	for (long r = -1; r < rounds; r++) { /* round -1: warm-up */
		for (int j = 0; j < nspec; j++) {
			struct spec *x = &sp[(j + (r + 1)) % nspec];
			struct tool t = {0};
			int64_t ns;
			long rss, cpu, flt;
			int status, err;

			t.user = x->as_root ? NULL : &x->user;
			t.prog = x->argv[0];
			t.xargv = x->argv;
			snprintf(t.log, sizeof(t.log), "/dev/null");
			status = run_timed(&t, &ns, &rss, &cpu, &flt);
			if (status != 0 && x->bad++ == 0)
				fprintf(stderr, "uubench: %s: wait status %#x\n", x->label, status);
			if (x->remount && mnt_id_of(x->remount, &err) == x->remount_parent &&
			    !err && mount_tmpfs(x->remount) < 0)
				die(x->remount);
			if (r < 0)
				continue;
			x->wall[r] = ns;
			x->cpu[r] = cpu;
			x->flt[r] = flt;
			x->rss[r] = rss;
		}
	}
	printf("| run | wall ms (median) | CPU ms (median) | page faults | peak RSS KiB |\n");
	printf("|---|---:|---:|---:|---:|\n");
	for (int i = 0; i < nspec; i++) {
		struct spec *x = &sp[i];

		printf("| %s | %.3f | %.3f | %lld | %lld |%s\n", x->label,
		       (double)median_of(x->wall, rounds) / 1e6,
		       (double)median_of(x->cpu, rounds) / 1e3,
		       (long long)median_of(x->flt, rounds), (long long)median_of(x->rss, rounds),
		       x->bad ? " (exit status != 0)" : "");
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *uu = NULL, *uul = NULL, *uub = NULL, *minimal = NULL;
	int siblings = 0;
	const char *umount_path = "/usr/bin/umount", *fusermount = "/usr/bin/fusermount3";
	const char *tmpfs_user = "uubob", *fuse_user = "uualice", *fstab = "/etc/fstab";
	const char *only = NULL;
	static struct user tu, fu;
	long n = -1, rounds = -1, warmup = 3;
	bool setup_only = false;
	char path[4096];
	double t0;
	FILE *f;
	int err;

	if (argc > 1 && !strcmp(argv[1], "--exec"))
		return exec_mode(argc - 1, argv + 1);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--setup-only")) {
			setup_only = true;
			continue;
		}
		if (!v)
			usage();
		i++;
		if (!strcmp(a, "--n"))
			n = atol(v);
		else if (!strcmp(a, "--dir"))
			dir = v;
		else if (!strcmp(a, "--rounds"))
			rounds = atol(v);
		else if (!strcmp(a, "--warmup"))
			warmup = atol(v);
		else if (!strcmp(a, "--uu"))
			uu = v;
		else if (!strcmp(a, "--uu-libmount"))
			uul = v;
		else if (!strcmp(a, "--uu-base"))
			uub = v;
		else if (!strcmp(a, "--siblings"))
			siblings = siblings_layout = atoi(v);
		else if (!strcmp(a, "--tinyfuse"))
			tinyfuse_path = v;
		else if (!strcmp(a, "--minimal"))
			minimal = v;
		else if (!strcmp(a, "--umount"))
			umount_path = v;
		else if (!strcmp(a, "--fusermount"))
			fusermount = v;
		else if (!strcmp(a, "--tmpfs-user"))
			tmpfs_user = v;
		else if (!strcmp(a, "--fuse-user"))
			fuse_user = v;
		else if (!strcmp(a, "--fstab"))
			fstab = v;
		else if (!strcmp(a, "--only"))
			only = v;
		else if (!strcmp(a, "--user-cgroup") && i + 1 < argc) {
			user_cgroup = v;
			home_cgroup = argv[++i];
		} else
			usage();
	}
	if (setup_only && rounds < 1)
		rounds = 1;
	if (n < 0 || rounds < 1 || warmup < 0 || !dir || !uu || !uul || !tinyfuse_path || !minimal)
		usage();
	load_user(&tu, tmpfs_user);
	load_user(&fu, fuse_user);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	atexit(stop_daemons);

	/* The order here is the order of the first round; later rounds rotate. */
	add_tool("umount(8)", "umount", TMPFS, &tu, umount_path, NULL, dir);
	add_tool("fusermount3 -u", "fusermount3", FUSE, &fu, fusermount, "-u", dir);
	add_tool("user-umount tmpfs", "uu-tmpfs", TMPFS, &tu, uu, NULL, dir);
	add_tool("user-umount FUSE", "uu-fuse", FUSE, &fu, uu, NULL, dir);
	add_tool("user-umount -V", "uu-version", VERSION, &tu, uu, "-V", dir);
	add_tool("user-umount denied", "uu-denied", DENIED, &tu, uu, NULL, dir);
	if (user_cgroup) { /* a systemd desktop: the caller's cgroup is theirs */
		add_tool("user-umount tmpfs (user's cgroup)", "uu-cgroup", TMPFS, &tu, uu, NULL,
			 dir);
		tools[ntools - 1].from_user_cgroup = true;
	}
	add_tool("user-umount[libmount] tmpfs", "uul-tmpfs", TMPFS, &tu, uul, NULL, dir);
	add_tool("user-umount[libmount] FUSE", "uul-fuse", FUSE, &fu, uul, NULL, dir);
	if (uub) { /* the same program at another revision, side by side */
		add_tool("user-umount[base] tmpfs", "uub-tmpfs", TMPFS, &tu, uub, NULL, dir);
		add_tool("user-umount[base] FUSE", "uub-fuse", FUSE, &fu, uub, NULL, dir);
	}
	add_tool("minimal umount2 (root)", "minimal", TMPFS, NULL, minimal, NULL, dir);
	if (only) { /* --only SLUG,SLUG: keep those tools, in this order */
		size_t k = 0;

		for (size_t i = 0; i < ntools; i++) {
			char pat[64];

			snprintf(pat, sizeof(pat), ",%s,", tools[i].slug);
			snprintf(path, sizeof(path), ",%s,", only);
			if (strstr(path, pat))
				tools[k++] = tools[i];
		}
		ntools = k;
		if (ntools == 0)
			usage();
	}

	/* Containers: tmpfs, so nothing is written to disk. */
	snprintf(path, sizeof(path), "%s/log", dir);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		die(path);
	snprintf(path, sizeof(path), "%s/bg", dir);
	if ((mkdir(path, 0755) < 0 && errno != EEXIST) || mount_tmpfs(path) < 0)
		die(path);
	if (mount("tmpfs", path, "tmpfs", MS_REMOUNT, "size=64m,nr_inodes=0,mode=755") < 0)
		die(path);
	snprintf(path, sizeof(path), "%s/tg", dir);
	if ((mkdir(path, 0755) < 0 && errno != EEXIST) || mount_tmpfs(path) < 0)
		die(path);
	container_id = mnt_id_of(path, &err);
	if (err)
		die(path);

	/* --siblings 1: the background mounts are children of the targets'
	 * own mount, in a sticky directory everyone may write (as /tmp), and
	 * the targets' directory is everyone's to write: every one of them is
	 * a neighbour a swap could bring in, verified and pinned. */
	if (siblings) {
		snprintf(path, sizeof(path), "%s/tg/bg", dir);
		if (mkdir(path, 0755) < 0 || chmod(path, 01777) < 0)
			die(path);
		snprintf(path, sizeof(path), "%s/tg/fuse", dir);
		if (mkdir(path, 0755) < 0)
			die(path);
		snprintf(path, sizeof(path), "%s/tg", dir);
		if (chmod(path, 0777) < 0)
			die(path);
	}
	t0 = now_ms();
	for (long i = 0; i < n; i++) {
		snprintf(path, sizeof(path), siblings ? "%s/tg/bg/%06ld" : "%s/bg/%06ld", dir, i);
		if (mkdir(path, 0755) < 0 || mount("tmpfs", path, "tmpfs", 0, "size=4k") < 0)
			die(path);
	}
	fprintf(stderr, "uubench: N=%ld: %ld background mounts in %.1f s\n", n, n,
		(now_ms() - t0) / 1e3);

	f = fopen(fstab, "a");
	if (!f)
		die(fstab);
	for (size_t i = 0; i < ntools; i++) {
		struct tool *t = &tools[i];

		if (t->kind == VERSION)
			continue;
		if (mkdir(t->target, 0755) < 0)
			die(t->target);
		if (t->kind == FUSE && chown(t->target, t->user->uid, t->user->gid) < 0)
			die(t->target);
		if (t->kind == TMPFS)
			fprintf(f, "tmpfs %s tmpfs users,noauto 0 0\n", t->target);
		/* DENIED: no entry, and root mounted it: nobody but root may */
	}
	if (fclose(f) != 0)
		die(fstab);
	for (size_t i = 0; i < ntools; i++)
		if (tools[i].kind != VERSION && (!setup_only || tools[i].kind != FUSE))
			mount_target(&tools[i]);
	if (setup_only)
		return 0;

	printf("n,tool,round,ns,maxrss_kb,cpu_us,minflt,exit\n");
	t0 = now_ms();
	for (long r = -warmup; r < rounds; r++) {
		for (size_t j = 0; j < ntools; j++) {
			struct tool *t = &tools[((size_t)(r + warmup) + j) % ntools];
			int64_t ns;
			long rss, cpu, flt;
			int status, code, m;

			if (t->from_user_cgroup)
				move_self(user_cgroup);
			status = run_timed(t, &ns, &rss, &cpu, &flt);
			if (t->from_user_cgroup)
				move_self(home_cgroup);
			code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

			/* a denial is the expected answer there: written as 0 */
			if (t->kind == DENIED)
				code = code == 1 ? 0 : code == 0 ? 254 : code;
			if (code != 0)
				report_failure(t, status);
			m = t->kind == VERSION ? 1 : is_mounted(t);
			if (t->kind == FUSE && m == 0)
				wait_fuse_gone(t);
			if (m != 0 && code == 0 && (t->kind == TMPFS || t->kind == FUSE)) {
				fprintf(stderr, "uubench: %s said 0 but %s is still mounted\n",
					t->name, t->target);
				code = 255;
			}
			if (m != 1 && (t->kind == DENIED || t->kind == VERSION)) {
				fprintf(stderr, "uubench: %s: %s is no longer mounted\n", t->name,
					t->target);
				code = 253;
			}
			if (r >= 0)
				printf("%ld,%s,%ld,%lld,%ld,%ld,%ld,%d\n", n, t->name, r,
				       (long long)ns, rss, cpu, flt, code);
		}
		for (size_t i = 0; i < ntools; i++)
			if ((tools[i].kind == TMPFS || tools[i].kind == FUSE) &&
			    is_mounted(&tools[i]) == 0)
				mount_target(&tools[i]);
		fflush(stdout);
	}
	fprintf(stderr, "uubench: N=%ld: %ld+%ld rounds of %zu tools in %.1f s\n", n, warmup,
		rounds, ntools, (now_ms() - t0) / 1e3);
	stop_daemons();
	return 0;
}
