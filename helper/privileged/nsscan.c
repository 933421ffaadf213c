/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nsscan.c — see nsscan.h.
 *
 * One namespace is read like this, and read again (up to NSSCAN_RETRIES
 * times) whenever the answers do not fit together:
 *   1. listmount(2) from its root, with its ID: every mount reachable from
 *      that root, paged by the last ID seen;
 *   2. statmount(2) of each for the super block and the propagation fields
 *      (no strings: cheap, one small buffer on the stack);
 *   3. the mounts above the listed root (the namespace's own root mount,
 *      which listmount leaves out) by their parent IDs;
 *   4. the count checked against the namespace's own (NS_MNT_GET_INFO
 *      counts every mount but its root): a mount that listmount did not
 *      show would be one the decision never saw, so a shortfall is never
 *      accepted;
 *   5. roots and mount points of the mounts the decision can need.
 * A mount that is gone by step 2 or 5 means the namespace changed: read it
 * again. A namespace that is gone (or empty) when listed is left out: it
 * holds nothing an unmount could take.
 */
#define _GNU_SOURCE
#include "nsscan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "privs.h"
#include "statmount.h"

/* include/uapi/linux/nsfs.h and pidfd.h (Linux 6.12, 6.11). */
struct uu_mnt_ns_info {
	uint32_t size;
	uint32_t nr_mounts; /* every mount but the namespace's root */
	uint64_t mnt_ns_id;
};
#define UU_NS_MNT_GET_INFO         _IOR(0xb7, 10, struct uu_mnt_ns_info)
#define UU_NS_MNT_GET_NEXT         _IOR(0xb7, 11, struct uu_mnt_ns_info)
#define UU_NS_MNT_GET_PREV         _IOR(0xb7, 12, struct uu_mnt_ns_info)
#define UU_PIDFD_GET_MNT_NAMESPACE _IO(0xff, 3)
#define UU_NSFS_MAGIC              0x6e736673

#define LIST_PAGE      4096u
#define SM_BUF_INITIAL (4u << 10)
#define SM_BUF_MAX     (1u << 20)
#define ABOVE_MAX      64 /* mounts above a namespace's listed root */
#define SM_BASIC       (UU_STATMOUNT_SB_BASIC | UU_STATMOUNT_MNT_BASIC)
#define SM_PLACE       (UU_STATMOUNT_MNT_BASIC | UU_STATMOUNT_MNT_ROOT | UU_STATMOUNT_MNT_POINT)

/* The libmount-fallback build (tests of that path) scans nothing. */
#ifdef UU_FORCE_LIBMOUNT
static const bool force_libmount = true;
#else
static const bool force_libmount = false;
#endif

struct scan {
	struct nsscan *out;
	size_t cap;
	uint64_t *devs; /* sorted copy */
	size_t ndevs;
	uint64_t *ids; /* one namespace's listing */
	size_t nids, idcap;
};

static int sys_statmount(uint64_t id, uint64_t ns, uint64_t mask, struct uu_statmount *buf,
			 size_t size)
{
	struct uu_mnt_id_req_ns req = {
	    .size = UU_MNT_ID_REQ_SIZE_VER1, .mnt_id = id, .param = mask, .mnt_ns_id = ns};

	memset(buf, 0, sizeof(*buf));
	return syscall(__NR_statmount, &req, buf, size, 0) < 0 ? -errno : 0;
}

static long sys_listmount(uint64_t ns, uint64_t last, uint64_t *ids, size_t n)
{
	struct uu_mnt_id_req_ns req = {.size = UU_MNT_ID_REQ_SIZE_VER1,
				       .mnt_id = UU_LSMT_ROOT,
				       .param = last,
				       .mnt_ns_id = ns};
	long r = syscall(__NR_listmount, &req, ids, n, 0);

	return r < 0 ? -errno : r;
}

/* The unsupported kernel's answers, folded into one. */
static int unsupported(int err)
{
	return err == ENOTTY || err == EINVAL || err == ENOSYS || err == EOPNOTSUPP ? -ENOSYS
										    : -err;
}

/* An nsfs fd of our own mount namespace, without a path: pidfd_open(2)
 * and PIDFD_GET_MNT_NAMESPACE, so no /proc the caller shaped is read. */
static int own_ns_fd(void)
{
	int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0), fd, err;
	struct statfs sf;

	if (pidfd < 0)
		return unsupported(errno);
	fd = ioctl(pidfd, UU_PIDFD_GET_MNT_NAMESPACE, 0);
	err = errno;
	close(pidfd);
	if (fd < 0)
		return unsupported(err);
	if (fstatfs(fd, &sf) < 0 || sf.f_type != UU_NSFS_MAGIC) {
		close(fd);
		return -EIO;
	}
	return fd;
}

static int ns_info(int fd, struct uu_mnt_ns_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	if (ioctl(fd, UU_NS_MNT_GET_INFO, info) < 0)
		return unsupported(errno);
	return info->mnt_ns_id ? 0 : -EIO;
}

/* The unique IDs listmount gives for the namespace, into sc->ids. */
static int list_ns(struct scan *sc, uint64_t ns)
{
	uint64_t last = 0;
	long got;

	sc->nids = 0;
	do {
		if (sc->nids + LIST_PAGE > sc->idcap) {
			size_t cap = sc->idcap + (size_t)LIST_PAGE * 4;
			uint64_t *v;

			if (cap > NSSCAN_MOUNTS_MAX + LIST_PAGE)
				return -E2BIG;
			v = reallocarray(sc->ids, cap, sizeof(*v));
			if (!v)
				return -ENOMEM;
			sc->ids = v;
			sc->idcap = cap;
		}
		got = sys_listmount(ns, last, sc->ids + sc->nids, LIST_PAGE);
		if (got < 0)
			return (int)got;
		sc->nids += (size_t)got;
		if (got > 0)
			last = sc->ids[sc->nids - 1];
	} while (got == (long)LIST_PAGE);
	return 0;
}

static struct policy_ns_mount *append(struct scan *sc)
{
	struct nsscan *o = sc->out;

	if (o->n == sc->cap) {
		size_t cap = sc->cap ? sc->cap * 2 : 1024;
		struct policy_ns_mount *v;

		if (o->n >= NSSCAN_MOUNTS_MAX)
			return NULL;
		v = reallocarray(o->v, cap, sizeof(*v));
		if (!v)
			return NULL;
		o->v = v;
		sc->cap = cap;
	}
	memset(&o->v[o->n], 0, sizeof(o->v[0]));
	return &o->v[o->n++];
}

/* Super block and propagation of one mount: one statmount, no strings. */
static int stat_basic(struct scan *sc, uint64_t id, uint64_t ns)
{
	struct uu_statmount sm;
	struct policy_ns_mount *m;
	int r = sys_statmount(id, ns, SM_BASIC, &sm, sizeof(sm));

	if (r < 0)
		return r;
	if ((sm.mask & SM_BASIC) != SM_BASIC || sm.mnt_id != id)
		return -EOPNOTSUPP;
	m = append(sc);
	if (!m)
		return sc->out->n >= NSSCAN_MOUNTS_MAX ? -E2BIG : -ENOMEM;
	*m = (struct policy_ns_mount){
	    .id = sm.mnt_id,
	    .parent = sm.mnt_parent_id,
	    .ns = ns,
	    .peer_group = (sm.mnt_propagation & UU_MS_SHARED) ? sm.mnt_peer_group : 0,
	    .master = sm.mnt_master,
	    .dev = makedev(sm.sb_dev_major, sm.sb_dev_minor),
	    .magic = sm.sb_magic,
	};
	return 0;
}

static int by_id(const void *a, const void *b)
{
	const struct policy_ns_mount *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static struct policy_ns_mount *find(struct policy_ns_mount *v, size_t n, uint64_t id)
{
	struct policy_ns_mount key = {.id = id};

	return n ? bsearch(&key, v, n, sizeof(*v), by_id) : NULL;
}

/* A string field, or NULL when absent or not inside the buffer. */
static const char *sm_str(const struct uu_statmount *sm, size_t size, uint64_t bit, uint32_t off)
{
	size_t room = size - sizeof(*sm);

	if (!(sm->mask & bit) || off >= room || !memchr(sm->str + off, '\0', room - off))
		return NULL;
	return sm->str + off;
}

static int keep(struct scan *sc, const char *s, const char **out)
{
	size_t len;

	*out = NULL;
	if (!s)
		return 0;
	len = strlen(s) + 1;
	if (sc->out->bytes + len > NSSCAN_STRINGS_MAX)
		return -E2BIG;
	*out = strdup(s);
	if (!*out)
		return -ENOMEM;
	sc->out->bytes += len;
	return 0;
}

/* Root and mount point of one mount (statmount into a buffer grown on
 * EOVERFLOW); it must still be the mount, on the parent, listed. */
static int stat_place(struct scan *sc, struct policy_ns_mount *m)
{
	size_t cap = SM_BUF_INITIAL;
	struct uu_statmount *sm = NULL;
	int r;

	for (;;) {
		free(sm);
		sm = malloc(cap);
		if (!sm)
			return -ENOMEM;
		r = sys_statmount(m->id, m->ns, SM_PLACE, sm, cap);
		if (r != -EOVERFLOW || cap >= SM_BUF_MAX)
			break;
		cap *= 4;
	}
	if (r == 0 && (!(sm->mask & UU_STATMOUNT_MNT_BASIC) || sm->mnt_id != m->id ||
		       sm->mnt_parent_id != m->parent))
		r = -ENOENT; /* moved meanwhile: read the namespace again */
	if (r == 0)
		r = keep(sc, sm_str(sm, cap, UU_STATMOUNT_MNT_ROOT, sm->mnt_root), &m->root);
	if (r == 0)
		r = keep(sc, sm_str(sm, cap, UU_STATMOUNT_MNT_POINT, sm->mnt_point), &m->point);
	free(sm);
	return r;
}

static int by_value(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static bool wanted_dev(const struct scan *sc, uint64_t dev)
{
	return sc->ndevs && bsearch(&dev, sc->devs, sc->ndevs, sizeof(dev), by_value);
}

/* Step 3: the mounts above the listed root, up to the namespace's root
 * (its own parent). V..N is this namespace's part, sorted. */
static int add_above(struct scan *sc, size_t first, uint64_t ns)
{
	for (int depth = 0; depth < ABOVE_MAX; depth++) {
		struct policy_ns_mount *v = sc->out->v + first;
		size_t n = sc->out->n - first, orphans = 0;
		uint64_t missing = 0;
		int r;

		for (size_t i = 0; i < n; i++)
			if (v[i].parent != v[i].id && !find(v, n, v[i].parent)) {
				orphans++;
				missing = v[i].parent;
			}
		if (orphans == 0)
			return 0;
		if (orphans > 1)
			return -ENOENT; /* two roots: it changed while it was listed */
		r = stat_basic(sc, missing, ns);
		if (r < 0)
			return r;
		qsort(sc->out->v + first, sc->out->n - first, sizeof(*v), by_id);
	}
	return -ENOENT;
}

/* Step 5, for the mounts on a wanted super block and their children. */
static int add_places(struct scan *sc, size_t first)
{
	struct policy_ns_mount *v = sc->out->v + first;
	size_t n = sc->out->n - first;

	for (size_t i = 0; i < n; i++) {
		struct policy_ns_mount *p = find(v, n, v[i].parent);
		int r;

		if (!wanted_dev(sc, v[i].dev) && !(p && wanted_dev(sc, p->dev)))
			continue;
		r = stat_place(sc, &v[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

static void drop_from(struct scan *sc, size_t first)
{
	while (sc->out->n > first) {
		struct policy_ns_mount *m = &sc->out->v[--sc->out->n];

		sc->out->bytes -=
		    (m->root ? strlen(m->root) + 1 : 0) + (m->point ? strlen(m->point) + 1 : 0);
		free((char *)m->root);
		free((char *)m->point);
	}
}

/* One try at one namespace (steps 1-5); -ENOENT: read it again. */
static int read_ns(struct scan *sc, int fd, uint64_t ns, size_t first)
{
	struct uu_mnt_ns_info now;
	int r = list_ns(sc, ns);

	for (size_t i = 0; r == 0 && i < sc->nids; i++)
		r = stat_basic(sc, sc->ids[i], ns);
	if (r == 0) {
		qsort(sc->out->v + first, sc->out->n - first, sizeof(sc->out->v[0]), by_id);
		r = add_above(sc, first, ns);
	}
	if (r == 0)
		r = ns_info(fd, &now);
	if (r == 0 && sc->out->n - first != (size_t)now.nr_mounts + 1)
		r = -ENOENT;
	return r == 0 ? add_places(sc, first) : r;
}

static int scan_ns(struct scan *sc, int fd)
{
	struct uu_mnt_ns_info info;
	size_t first = sc->out->n;
	int r;

	if (++sc->out->nns > NSSCAN_NS_MAX)
		return -E2BIG;
	for (int attempt = 0; attempt < NSSCAN_RETRIES; attempt++) {
		r = ns_info(fd, &info);
		if (r < 0)
			return r;
		r = read_ns(sc, fd, info.mnt_ns_id, first);
		if (r != -ENOENT)
			return r;
		drop_from(sc, first);
		if (ns_info(fd, &info) == 0 && info.nr_mounts == 0)
			return 0; /* emptied: nothing left in it to take */
	}
	return -EAGAIN;
}

/* From our own namespace in both directions, to both ends of the list. */
static int scan_all(struct scan *sc, int self)
{
	static const unsigned long dirs[] = {UU_NS_MNT_GET_NEXT, UU_NS_MNT_GET_PREV};
	int r = scan_ns(sc, self);

	for (size_t d = 0; r == 0 && d < 2; d++) {
		int cur = self;

		for (;;) {
			struct uu_mnt_ns_info info = {.size = sizeof(info)};
			int next = ioctl(cur, dirs[d], &info);

			if (next < 0)
				r = errno == ENOENT ? 0 : unsupported(errno);
			if (cur != self)
				close(cur);
			if (next < 0)
				break;
			cur = next;
			r = scan_ns(sc, cur);
			if (r < 0) {
				close(cur);
				break;
			}
		}
	}
	return r;
}

/* The whole table sorted; a mount seen twice means the scan raced. */
static int finish(struct nsscan *o)
{
	qsort(o->v, o->n, sizeof(*o->v), by_id);
	for (size_t i = 1; i < o->n; i++)
		if (o->v[i].id == o->v[i - 1].id)
			return -EAGAIN;
	return 0;
}

/*
 * CAP_SYS_ADMIN is effective from just before the first ioctl that needs
 * it to right after the last listmount/statmount; every path out of
 * scan_all() passes privs_admin_off(), and a failure to drop it ends the
 * process rather than let it run on with the capability.
 */
int nsscan_run(const uint64_t *devs, size_t ndevs, struct nsscan *out)
{
	struct scan sc = {.out = out, .ndevs = ndevs};
	struct uu_mnt_ns_info info;
	int self, r;

	memset(out, 0, sizeof(*out));
	if (force_libmount)
		return -ENOSYS;
	sc.devs = malloc((ndevs ? ndevs : 1) * sizeof(*devs));
	if (!sc.devs)
		return -ENOMEM;
	if (ndevs)
		memcpy(sc.devs, devs, ndevs * sizeof(*devs));
	qsort(sc.devs, ndevs, sizeof(*devs), by_value);
	self = own_ns_fd();
	if (self < 0) {
		free(sc.devs);
		return self;
	}
	r = ns_info(self, &info);
	if (r == 0) {
		out->own_ns = info.mnt_ns_id;
		r = privs_admin_on();
	}
	if (r == 0) {
		r = scan_all(&sc, self);
		if (privs_admin_off() < 0)
			_exit(4); /* never go on with CAP_SYS_ADMIN effective */
	}
	close(self);
	free(sc.ids);
	free(sc.devs);
	if (r == 0)
		r = finish(out);
	if (r < 0)
		nsscan_free(out);
	return r;
}

void nsscan_free(struct nsscan *s)
{
	lookup_nsscan_free(s);
}

bool nsscan_unsupported(int err)
{
	return lookup_scan_unsupported(err);
}

/* Without privilege: our namespace answers NS_MNT_GET_INFO, the next one
 * is refused (EPERM) rather than unknown (ENOTTY), and listmount takes a
 * namespace ID. */
bool nsscan_available(void)
{
	struct uu_mnt_ns_info info;
	uint64_t id;
	bool ok = false;
	int self = force_libmount ? -ENOSYS : own_ns_fd(), next;

	if (self < 0)
		return false;
	if (ns_info(self, &info) == 0) {
		next = ioctl(self, UU_NS_MNT_GET_NEXT, &(struct uu_mnt_ns_info){.size = 16});
		ok = next >= 0 || errno == EPERM || errno == ENOENT;
		if (next >= 0)
			close(next);
	}
	ok = ok && sys_listmount(info.mnt_ns_id, 0, &id, 1) >= 0;
	close(self);
	return ok;
}
