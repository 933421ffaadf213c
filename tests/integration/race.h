/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * race.h — the pieces of the race driver (racer.c): a private world with a
 * root of its own, the guard that watches every mount that must survive,
 * mounting by file descriptor, and running programs as the test user.
 */
#ifndef USER_UMOUNT_RACE_H
#define USER_UMOUNT_RACE_H

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define RACE_LABEL_MAX 200

/* The unprivileged user: the helper's caller and the attacker. */
struct race_user {
	const char *name;
	uid_t uid;
	gid_t gid;
	gid_t groups[64];
	int ngroups;
};

/* State shared with the attacker processes (a MAP_SHARED page). */
struct race_shared {
	atomic_int stop;
	atomic_int pause;  /* the driver asks the attacker to hold still */
	atomic_int paused; /* the attacker says it does */
	atomic_long ops;   /* renames, FUSE mounts, pauses: what the attacker did */
	atomic_long runs;  /* the attacker's own helper runs */
	atomic_long unmounted;
	/* userns-stop (race_userns.c): the stopper asks the renaming attacker
	 * for a swap (enum swap_state) while a helper process is stopped */
	atomic_int swap;
	atomic_long swaps, swaps_seccomp; /* all; with the process at "Seccomp: 2" */
	atomic_long stopped[4], eperm[4]; /* enum stop_role: processes, not calls */
	atomic_long priv_stopped;         /* stopped while holding a capability */
	/* userns-hidden, userns-subuid: the driver arms each run (pid_floor:
	 * the last pid handed out before its helper); seq is odd while the
	 * attacker attacks a run, from its decision until every name is back */
	atomic_long armed, pid_floor, seq, attacks;
	atomic_long outs; /* userns-hidden: P moved out of the parent mount's root */
	atomic_int broke; /* the attacker could not go on (it says why on stderr) */
};

/* A mount that must never disappear while the race runs. */
struct guard_entry {
	uint64_t id;
	bool live; /* attached: from now on it must be in the table */
	char label[RACE_LABEL_MAX];
	char opts[64];
	int respawn_fd; /* >= 0: mount a new victim on this directory if lost */
};

struct guard {
	pthread_mutex_t lock;
	struct guard_entry *v;
	size_t n, cap;
	uint64_t *table; /* the last listmount() snapshot, sorted */
	size_t ntable, captable;
	long violations;
};

/* race_world.c */
int world_enter(const char *scratch, const char *const *paths, size_t npaths);
int mount_list(struct guard *g);
bool mount_listed(const struct guard *g, uint64_t id);
int mount_id_at(int dirfd, const char *path, uint64_t *id);
int mount_str(uint64_t id, uint64_t what, char *out, size_t len);
int tmpfs_create(const char *source, const char *opts, uint64_t *id);
int tmpfs_attach(int fsfd, int dirfd, const char *path);
int tmpfs_mount(int dirfd, const char *path, const char *source, const char *opts, uint64_t *id);
int guard_init(struct guard *g);
void guard_add_live(struct guard *g, uint64_t id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int guard_mount_victim(struct guard *g, int dirfd, const char *path, const char *opts,
		       const char *label, bool respawn);
long guard_check(struct guard *g, const char *when);
size_t guard_forget_gone(struct guard *g);

/* race_proc.c */
int user_lookup(const char *name, struct race_user *u);
int become_user(const struct race_user *u);
pid_t spawn_as(const struct race_user *u, char *const argv[], bool quiet);
int wait_rc(pid_t pid, unsigned timeout_s);
void reap_all(void);
uint64_t rnd(void);
void rnd_seed(uint64_t seed);
void sleep_us(long us);
void spin_us(long us);
struct race_shared *shared_new(void);
bool attacker_pause_point(struct race_shared *s);
void attacker_hold(struct race_shared *s);
void attacker_release(struct race_shared *s);

/* ---- racer.c: the driver's state, shared with race_userns.c ---------- */

#define TIMEOUT_S   20 /* the helper must answer: it never hangs */
#define ENT_SOURCE  "uuent"
#define ENT_OPTS    "mode=0755"
#define DECOY_US    60  /* longest decoy pulse */
#define REAL_US     200 /* longest stretch of the real thing between pulses */
#define SANITY_RUNS 200 /* from this many runs on, no unmount at all fails */

struct race;

struct scenario {
	const char *name;
	const char *ops; /* what the attacker's operations are */
	void (*setup)(struct race *r);
	void (*before)(struct race *r);
	void (*after)(struct race *r, long run);
	bool all_refused_ok; /* every run may be refused: that is the defense */
	/* extra summary lines; returns 0, or the exit code (1 or 3) */
	int (*verdict)(const struct race *r);
};

struct race {
	const struct scenario *s;
	struct race_user user;
	const char *helper, *tinyfuse, *dir;
	const char *helper_opt; /* UU_RACE_HELPER_OPT: one more option (-l), or NULL */
	char att[PATH_MAX], target[PATH_MAX];
	long runs;
	struct guard guard;
	struct race_shared *sh;
	pid_t attacker;
	/* final, parent: the entitled tmpfs, remounted on this directory */
	int ent_fd;
	uint64_t ent_id;
	atomic_long ent_mounts;
	/* remount: root's own mounting thread */
	pthread_t flipper;
	bool flipping;
	atomic_int fpause, fpaused;
	atomic_long victims, victims_live;
	/* userns, userns-stop (race_userns.c): epochs with and without a
	 * victim on att/v; [0] without, [1] with. userns-hidden,
	 * userns-subuid: [0] runs the attacker left alone, [1] the others. */
	pid_t stopper;
	int vfd;
	bool victim_on;
	long ep_runs[2], ep_unmounted[2], ep_refused[2], ep_refused_gone[2], ep_lost[2];
	long seq0; /* the attacker's seq when this run began */
	/* results */
	long rc[257];   /* [256]: did not answer */
	int last_rc;    /* of the run just checked, for the after hook */
	long last_lost; /* guarded mounts that run lost */
};

typedef void attack_fn(struct race *r);

/* racer.c */
void pathf(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
__attribute__((noreturn)) void die(const char *what, const char *path, int err);
void mkdir_owned(const struct race *r, const char *path, bool user);
void ensure_entitled(struct race *r);
void start_attacker(struct race *r, attack_fn *fn, bool own_namespace);

/* race_userns.c */
void setup_userns(struct race *r);
void setup_userns_stop(struct race *r);
void after_userns(struct race *r, long run);
int verdict_userns(const struct race *r);
void setup_userns_hidden(struct race *r);
void setup_userns_subuid(struct race *r);
void before_watched(struct race *r);
void after_watched(struct race *r, long run);
int verdict_watched(const struct race *r);

#endif
