/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * privs — the privilege phases, each its own step, in the order they run.
 * docs/DESIGN.md has the whole table (phase -> uids -> capabilities).
 *
 *   privs_check()          main, first: are we setuid root at all?
 *   privs_narrow_main()    main, right after hygiene: real and saved uid 0
 *                          (the caller can no longer signal or trace us),
 *                          effective and fs uid the caller's, CAP_SYS_ADMIN
 *                          and CAP_SETPCAP permitted (never effective here),
 *                          bounding set trimmed to the same two
 *                          (and CAP_DAC_READ_SEARCH, if the bounding set had it)
 *   privs_fs_root() /      main: fs uid 0 only while reading the policy and
 *   privs_fs_caller()      while rewriting utab (file ownership needs it)
 *   privs_search()         main: CAP_DAC_READ_SEARCH effective only for the
 *                          O_PATH opens of the neighbour pins (pins.c)
 *   privs_admin_on() /     main: CAP_SYS_ADMIN effective only while every
 *   privs_admin_off()      mount namespace is scanned (helper/privileged/)
 *   privs_become_caller()  resolver child: every uid the caller's, no caps
 *   privs_unmount_child()  unmount child: empty bounding set, CAP_SYS_ADMIN
 *                          alone permitted and effective, no_new_privs
 *   privs_drop_for_good()  main, after the last privileged act: every uid
 *                          the caller's, no capability, empty bounding set,
 *                          no_new_privs
 *
 * Each reads back what it set. 0 or -errno; nothing prints.
 */
#ifndef USER_UMOUNT_PRIVS_H
#define USER_UMOUNT_PRIVS_H

#include <stdbool.h>
#include <sys/types.h>

enum privs_state {
	PRIVS_OK = 0,
	PRIVS_NOT_SETUID,   /* euid is not 0: not installed setuid root */
	PRIVS_NO_NEW_PRIVS, /* the caller set no_new_privs: setuid had no effect */
	PRIVS_NO_SYS_ADMIN, /* root, but CAP_SYS_ADMIN not permitted (bounding set) */
};

enum privs_state privs_check(void);
const char *privs_strerror(enum privs_state s);

int privs_narrow_main(uid_t caller);
/* CAP_DAC_READ_SEARCH effective (ON) or nothing effective, read back.
 * -EPERM where the bounding set lacked it at exec. */
int privs_search(bool on);
int privs_fs_root(void);
int privs_fs_caller(uid_t caller);
int privs_admin_on(void);
int privs_admin_off(void);
int privs_become_caller(uid_t uid, gid_t gid);
int privs_unmount_child(uid_t caller);
int privs_drop_for_good(uid_t uid, gid_t gid);

/* The capability sets as the kernel reports them (tests, docs). */
struct privs_caps {
	unsigned long long permitted, effective, inheritable, bounding;
};
int privs_read_caps(struct privs_caps *out);

#endif
