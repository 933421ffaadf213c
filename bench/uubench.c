/*
 * uubench — the measuring half of bench/run.sh. Runs as root inside a
 * private mount namespace (bench/inside.sh sets it up); never outside one.
 *
 *   uubench --n N --dir DIR --rounds R [--warmup W] --uu PATH --uu-libmount PATH
 *           --tinyfuse PATH --minimal PATH [--umount PATH] [--fusermount PATH]
 *           [--tmpfs-user NAME] [--fuse-user NAME] [--fstab PATH]
 *
 * 1. N background tmpfs mounts under DIR/bg (mount(2) in a loop).
 * 2. One target per tool under DIR/tg: tmpfs with an fstab "users" entry for
 *    umount(8), user-umount and the minimal program; a FUSE (tinyfuse) mount
 *    owned by the FUSE user for fusermount3 and user-umount on FUSE.
 * 3. W warm-up rounds, then R rounds. In a round every tool unmounts its
 *    target once (the starting tool rotates from round to round); each run
 *    is timed alone: CLOCK_MONOTONIC from just before fork() to the return
 *    of wait4(), i.e. fork + setgroups/setresgid/setresuid + execve + the
 *    tool's whole run. Peak RSS is wait4()'s ru_maxrss. After the last
 *    tool, untimed, every target is mounted again (and the FUSE daemons of
 *    the last round are reaped before that, so they do not run during a
 *    timed run).
 *
 * Output, CSV on stdout: n,tool,round,ns,maxrss_kb,exit
 * Progress and errors on stderr.
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

enum kind { TMPFS, FUSE };

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
	const char *opt; /* NULL or one option before TARGET */
	char target[4096];
	char log[4096];
	pid_t daemon; /* FUSE server of the current mount */
	unsigned failures;
};

static const char *envp[] = {"PATH=/usr/bin:/bin", NULL};
static struct tool tools[8];
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
	if (setgroups((size_t)u->ngroups, u->groups) < 0 ||
	    setresgid(u->gid, u->gid, u->gid) < 0 || setresuid(u->uid, u->uid, u->uid) < 0)
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
			fprintf(stderr, "uubench: %s: FUSE daemon still there after unmount, killing\n",
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
