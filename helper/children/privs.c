/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * privs.c — see privs.h.
 */
#define _GNU_SOURCE
#include "privs.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/capability.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <unistd.h>

/* Higher than any capability the kernel knows; EINVAL marks the end. */
#define PRIVS_CAP_PROBE_MAX 64

#define BIT(c) (1ULL << (c))

/* What the main process may still hand to its unmount child, and
 * CAP_DAC_READ_SEARCH for the neighbour pins (privs_search()), where the
 * bounding set still had it at exec. */
#define MAIN_BASE (BIT(CAP_SYS_ADMIN) | BIT(CAP_SETPCAP))
#define MAIN_ALL  (MAIN_BASE | BIT(CAP_DAC_READ_SEARCH))
#define MAIN_KEEP main_keep
static unsigned long long main_keep = MAIN_BASE;

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

static unsigned long long flag_bits(cap_t caps, cap_flag_t which)
{
	unsigned long long bits = 0;

	for (cap_value_t c = 0; c < PRIVS_CAP_PROBE_MAX && c <= CAP_LAST_CAP; c++) {
		cap_flag_value_t v = CAP_CLEAR;

		if (cap_get_flag(caps, c, which, &v) == 0 && v == CAP_SET)
			bits |= BIT(c);
	}
	return bits;
}

/* The bounding-set bits among WHICH (one prctl each: ask only what matters). */
static int read_bounding(unsigned long long which, unsigned long long *out)
{
	*out = 0;
	for (cap_value_t c = 0; c < PRIVS_CAP_PROBE_MAX && which >> c; c++) {
		int r;

		if (!(which & BIT(c)))
			continue;
		r = prctl(PR_CAPBSET_READ, c, 0, 0, 0);
		if (r < 0 && errno == EINVAL)
			break; /* past the last capability this kernel knows */
		if (r < 0)
			return -errno;
		if (r == 1)
			*out |= BIT(c);
	}
	return 0;
}

static int read_sets(struct privs_caps *out)
{
	cap_t caps = cap_get_proc();

	if (!caps)
		return -errno;
	out->permitted = flag_bits(caps, CAP_PERMITTED);
	out->effective = flag_bits(caps, CAP_EFFECTIVE);
	out->inheritable = flag_bits(caps, CAP_INHERITABLE);
	cap_free(caps);
	out->bounding = 0;
	return 0;
}

int privs_read_caps(struct privs_caps *out)
{
	int r = read_sets(out);

	return r < 0 ? r : read_bounding(~0ULL, &out->bounding);
}

/* Set permitted and effective to exactly these bits; inheritable and
 * ambient empty. */
static int set_caps(unsigned long long permitted, unsigned long long effective)
{
	cap_t want = cap_init();
	int r = 0;

	if (!want)
		return -ENOMEM;
	for (cap_value_t c = 0; c <= CAP_LAST_CAP && c < PRIVS_CAP_PROBE_MAX; c++) {
		cap_value_t one[1] = {c};

		if ((permitted & BIT(c)) && cap_set_flag(want, CAP_PERMITTED, 1, one, CAP_SET) < 0)
			r = -EINVAL;
		if ((effective & BIT(c)) && cap_set_flag(want, CAP_EFFECTIVE, 1, one, CAP_SET) < 0)
			r = -EINVAL;
	}
	if (r == 0 && cap_set_proc(want) < 0)
		r = -errno;
	cap_free(want);
	if (r == 0 && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL)
		r = -errno;
	return r;
}

/* Drop the capabilities in FROM but not in KEEP from the bounding set
 * (FROM: what it may still hold; a capability dropped once stays dropped).
 * Needs CAP_SETPCAP effective. */
static int bound_to(unsigned long long keep, unsigned long long from)
{
	for (cap_value_t c = 0; c < PRIVS_CAP_PROBE_MAX && from >> c; c++) {
		if ((keep & BIT(c)) || !(from & BIT(c)))
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) == 0)
			continue;
		if (errno == EINVAL)
			break;
		return -errno;
	}
	return 0;
}

/* Read back: permitted and effective exactly, inheritable empty, and of
 * the bounding set the bits in CHECK no more than BOUNDING. */
static int expect_caps(unsigned long long permitted, unsigned long long effective,
		       unsigned long long bounding, unsigned long long check)
{
	struct privs_caps now = {0};
	int r = read_sets(&now);

	if (r == 0)
		r = read_bounding(check, &now.bounding);
	if (r < 0)
		return r;
	if (now.permitted != permitted || now.effective != effective || now.inheritable != 0 ||
	    (now.bounding & ~bounding) != 0)
		return -EPERM;
	return 0;
}

static int expect_uids(uid_t ruid, uid_t euid, uid_t suid, uid_t fsuid)
{
	uid_t r, e, s;

	if (getresuid(&r, &e, &s) < 0)
		return -errno;
	/* setfsuid() cannot fail visibly: an invalid id returns the current one. */
	if (r != ruid || e != euid || s != suid || (uid_t)setfsuid((uid_t)-1) != fsuid)
		return -EPERM;
	return 0;
}

static int no_new_privs(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	return prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : -EPERM;
}

/*
 * A setuid exec leaves us with real uid = the caller, so the caller may
 * SIGSTOP or SIGKILL us at any instruction (kill(2) compares the sender's
 * uids with our real and saved uid). Real and saved uid 0 end that;
 * ptrace was already refused (non-dumpable) and stays refused. The
 * effective and fs uid become the caller's, so files are opened with the
 * caller's rights unless a step asks for fs uid 0 on purpose. Of all
 * capabilities only CAP_SYS_ADMIN (the unmount child's umount2) and
 * CAP_SETPCAP (to empty the bounding set of that child and of ourselves at
 * the end) stay permitted, none effective. Every later uid change is
 * between ids we already hold, so CAP_SETUID is not needed.
 */
int privs_narrow_main(uid_t caller)
{
	int r;

	main_keep = MAIN_BASE | (cap_permitted(CAP_DAC_READ_SEARCH) ? BIT(CAP_DAC_READ_SEARCH) : 0);
	r = bound_to(MAIN_KEEP, ~0ULL);

	if (r == 0 && setresuid(0, caller, 0) < 0)
		r = -errno;
	if (r == 0) {
		setfsuid(caller);
		r = set_caps(MAIN_KEEP, 0);
	}
	if (r == 0)
		r = expect_uids(0, caller, 0, caller);
	if (r == 0)
		r = expect_caps(MAIN_KEEP, 0, MAIN_KEEP, ~0ULL);
	return r;
}

int privs_search(bool on)
{
	unsigned long long eff = on ? BIT(CAP_DAC_READ_SEARCH) : 0;
	int r;

	if (on && !(main_keep & BIT(CAP_DAC_READ_SEARCH)))
		return -EPERM;
	r = set_caps(MAIN_KEEP, eff);
	return r < 0 ? r : expect_caps(MAIN_KEEP, eff, ~0ULL, 0);
}

/* fs uid 0 raises the file-system capabilities the permitted set holds
 * (CAP_DAC_READ_SEARCH) into the effective set: cleared again, so that
 * fs uid 0 means ownership of root's files and nothing more. */
int privs_fs_root(void)
{
	int r;

	setfsuid(0);
	if ((uid_t)setfsuid((uid_t)-1) != 0)
		return -EPERM;
	if (!(main_keep & BIT(CAP_DAC_READ_SEARCH)))
		return 0;
	r = set_caps(MAIN_KEEP, 0);
	return r < 0 ? r : expect_caps(MAIN_KEEP, 0, ~0ULL, 0);
}

int privs_fs_caller(uid_t caller)
{
	setfsuid(caller);
	return (uid_t)setfsuid((uid_t)-1) == caller ? 0 : -EPERM;
}

/*
 * The namespace scan (helper/privileged/nsscan.c) needs CAP_SYS_ADMIN to
 * see other mount namespaces; nothing else in the main process does. It is
 * made effective for that scan alone, from the permitted set that
 * privs_narrow_main() left, and made ineffective again right after; both
 * are read back. The permitted set stays as it was.
 */
int privs_admin_on(void)
{
	struct privs_caps now = {0};
	int r = read_sets(&now);

	if (r == 0 && !(now.permitted & BIT(CAP_SYS_ADMIN)))
		r = -EPERM;
	if (r == 0)
		r = set_caps(now.permitted, BIT(CAP_SYS_ADMIN));
	return r == 0 ? expect_caps(now.permitted, BIT(CAP_SYS_ADMIN), ~0ULL, 0) : r;
}

int privs_admin_off(void)
{
	struct privs_caps now = {0};
	int r = read_sets(&now);

	if (r == 0)
		r = set_caps(now.permitted, 0);
	return r == 0 ? expect_caps(now.permitted, 0, ~0ULL, 0) : r;
}

/*
 * The resolver child walks TARGET as the caller: FUSE checks real,
 * effective and saved uid, and a root-only errno would tell the caller
 * whether a path they cannot search exists. Leaving uid 0 everywhere
 * clears the capabilities; they are cleared again and read back.
 */
int privs_become_caller(uid_t uid, gid_t gid)
{
	gid_t rg, eg, sg;
	int r;

	if (setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
		return -errno;
	r = set_caps(0, 0);
	if (r == 0)
		r = expect_uids(uid, uid, uid, uid);
	if (r == 0 && (getresgid(&rg, &eg, &sg) < 0 || rg != gid || eg != gid || sg != gid))
		r = -EPERM;
	if (r == 0)
		r = expect_caps(0, 0, ~0ULL, 0);
	return r == 0 ? no_new_privs() : r;
}

/*
 * The unmount child keeps real and saved uid 0, so the caller cannot stop
 * it between its re-check and umount2(), and the caller's fs uid and
 * groups, so the last lookup is made with the caller's rights. Of the
 * capabilities only CAP_SYS_ADMIN is left, and nothing can be regained:
 * empty bounding set (needs CAP_SETPCAP, so first), no_new_privs.
 */
int privs_unmount_child(uid_t caller)
{
	int r = set_caps(MAIN_KEEP, BIT(CAP_SETPCAP));

	if (r == 0)
		r = bound_to(0, MAIN_KEEP); /* the rest went at narrowing */
	if (r == 0)
		r = set_caps(BIT(CAP_SYS_ADMIN), BIT(CAP_SYS_ADMIN));
	if (r == 0)
		r = expect_uids(0, caller, 0, caller);
	if (r == 0)
		r = expect_caps(BIT(CAP_SYS_ADMIN), BIT(CAP_SYS_ADMIN), 0, MAIN_KEEP);
	return r == 0 ? no_new_privs() : r;
}

/*
 * After the last unmount and utab update nothing needs privilege: holders,
 * messages, JSON, stdout and syslog all run as the caller. The bounding set
 * goes first (it needs CAP_SETPCAP), then every uid becomes the caller's.
 */
int privs_drop_for_good(uid_t uid, gid_t gid)
{
	struct privs_caps now = {0};
	bool bound = false;
	int r = read_sets(&now);

	/* Without CAP_SETPCAP (a caller may remove it from the bounding set
	 * before exec) the bounding set stays; with no uid 0, nothing
	 * permitted and no_new_privs, it grants nothing. */
	if (r == 0 && (now.permitted & BIT(CAP_SETPCAP)))
		r = set_caps(now.permitted, BIT(CAP_SETPCAP));
	if (r == 0 && (now.permitted & BIT(CAP_SETPCAP))) {
		r = bound_to(0, (now.permitted & ~MAIN_ALL) == 0 ? MAIN_ALL : ~0ULL);
		bound = true;
	}
	if (r == 0 && (setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0))
		r = -errno;
	if (r == 0) {
		setfsuid(uid);
		r = set_caps(0, 0);
	}
	if (r == 0)
		r = expect_uids(uid, uid, uid, uid);
	if (r == 0)
		r = expect_caps(0, 0, bound ? 0 : ~0ULL, bound ? MAIN_ALL : 0);
	return r == 0 ? no_new_privs() : r;
}
