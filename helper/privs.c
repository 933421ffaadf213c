/*
 * privs.c — see privs.h.
 */
#define _GNU_SOURCE
#include "privs.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

/* Higher than any capability the kernel knows; EINVAL marks the end. */
#define PRIVS_CAP_PROBE_MAX 64

static bool cap_permitted(cap_value_t cap)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps = cap_get_proc();

	if (!caps)
		return false;
	if (cap_get_flag(caps, cap, CAP_PERMITTED, &v) < 0)
		v = CAP_CLEAR;
	cap_free(caps);
	return v == CAP_SET;
}

/*
 * A caller with no_new_privs, or one who dropped CAP_SYS_ADMIN from the
 * bounding set before exec, runs us without the privilege we need: say so
 * plainly instead of failing somewhere later.
 */
enum privs_state privs_check(void)
{
	if (geteuid() != 0) {
		if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
			return PRIVS_NO_NEW_PRIVS;
		return PRIVS_NOT_SETUID;
	}
	if (!cap_permitted(CAP_SYS_ADMIN))
		return PRIVS_NO_SYS_ADMIN;
	return PRIVS_OK;
}

const char *privs_strerror(enum privs_state s)
{
	switch (s) {
	case PRIVS_OK:
		return "ok";
	case PRIVS_NOT_SETUID:
		return "not running as setuid root (install it owned by root with mode 4755, on a "
		       "file system without nosuid)";
	case PRIVS_NO_NEW_PRIVS:
		return "no_new_privs is set for this process, so the setuid bit had no effect; "
		       "nothing was done";
	case PRIVS_NO_SYS_ADMIN:
		return "CAP_SYS_ADMIN is not in this process's capability bounding set; "
		       "nothing was done";
	}
	return "unknown";
}

/* Must run while CAP_SETPCAP is still effective, i.e. before the uid switch. */
int privs_drop_bounding_set(void)
{
	for (cap_value_t cap = 0; cap < PRIVS_CAP_PROBE_MAX; cap++) {
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0)
			continue;
		if (errno == EINVAL)
			break; /* past the last capability this kernel knows */
		return -errno;
	}
	for (cap_value_t cap = 0; cap < PRIVS_CAP_PROBE_MAX; cap++) {
		int r = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);

		if (r < 0 && errno == EINVAL)
			break;
		if (r != 0)
			return -EPERM;
	}
	return 0;
}

static int set_only_sys_admin(void)
{
	cap_value_t keep[] = {CAP_SYS_ADMIN};
	cap_t want = cap_init(), have = NULL;
	int r = -ENOMEM;

	if (!want)
		return -ENOMEM;
	if (cap_set_flag(want, CAP_PERMITTED, 1, keep, CAP_SET) < 0 ||
	    cap_set_flag(want, CAP_EFFECTIVE, 1, keep, CAP_SET) < 0)
		goto out;
	if (cap_set_proc(want) < 0 ||
	    (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)) {
		r = -errno;
		goto out;
	}
	have = cap_get_proc();
	r = (have && cap_compare(have, want) == 0) ? 0 : -EPERM;
out:
	cap_free(have);
	cap_free(want);
	return r;
}

/*
 * The unmount runs with the caller's real, effective and saved uids (FUSE
 * checks them; a leftover uid 0 would let a bug act as root) and with
 * CAP_SYS_ADMIN alone, the one capability umount2() needs. KEEPCAPS carries
 * the permitted set across setresuid; it is cleared again right after.
 */
int privs_keep_only_sys_admin(uid_t uid, gid_t gid)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;

	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return -errno;
	if (setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
		return -errno;
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return -errno;
	if (getresuid(&r, &e, &s) < 0 || getresgid(&rg, &eg, &sg) < 0)
		return -errno;
	if (r != uid || e != uid || s != uid || rg != gid || eg != gid || sg != gid)
		return -EPERM;
	return set_only_sys_admin();
}

int privs_no_new_privs(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	return prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : -EPERM;
}
