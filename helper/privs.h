/*
 * privs — the privilege phases, each its own step, in the order they run.
 *
 *   privs_check()               main, first: are we setuid root at all?
 *   privs_drop_bounding_set()   unmount child: nothing can be regained by exec
 *   privs_keep_only_sys_admin() unmount child: all uids/gids become the
 *                               caller's, CAP_SYS_ADMIN the only capability
 *   privs_no_new_privs()        unmount child: before seccomp
 *
 * Each reads back what it set. 0 or -errno; nothing prints.
 */
#ifndef USER_UMOUNT_PRIVS_H
#define USER_UMOUNT_PRIVS_H

#include <sys/types.h>

enum privs_state {
	PRIVS_OK = 0,
	PRIVS_NOT_SETUID,   /* euid is not 0: not installed setuid root */
	PRIVS_NO_NEW_PRIVS, /* the caller set no_new_privs: setuid had no effect */
	PRIVS_NO_SYS_ADMIN, /* root, but CAP_SYS_ADMIN not permitted (bounding set) */
};

enum privs_state privs_check(void);
const char *privs_strerror(enum privs_state s);

int privs_drop_bounding_set(void);
int privs_keep_only_sys_admin(uid_t uid, gid_t gid);
int privs_no_new_privs(void);

#endif
