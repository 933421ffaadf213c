/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_mounts.c — both mount-fact backends on real tmpfs (and FUSE) mounts
 * in a private mount namespace: statmount(2) and libmount must agree byte
 * for byte, on hostile mount point names too, and both must say -ENOENT for
 * mounts that are gone or in another namespace. Needs root.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lazylib.h"
#include "mounts.h"
#include "statmount.h"
#include "suite.h"

#define TMPFS_OPTS    "size=64k,mode=711"
#define TMPFS_FS_OPTS "rw," TMPFS_OPTS
#define DEEP_PATH_LEN 4000 /* a mount point close to PATH_MAX */
#define BINDFS        "/usr/bin/bindfs"
#define FUSE_WAIT_MS  5000
#define FUSE_POLL_MS  20
#define ORDER_MAX     32

static char base[PATH_MAX]; /* per test: a directory on a private tmpfs over /tmp */

/*
 * False where statmount(2) is ENOSYS (an old kernel, or valgrind < 3.24,
 * which does not know syscall 457): the "statmount side" of each comparison
 * is then mounts_lookup(), which must have fallen back to libmount.
 */
static bool have_statmount = true;

/* Every test runs in its own process and mount namespace: the host sees nothing. */
static void private_ns(void)
{
	ck_assert_msg(unshare(CLONE_NEWNS) == 0, "unshare: %s", strerror(errno));
	ck_assert(mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0);
	ck_assert(mount("uu-test", "/tmp", "tmpfs", 0, "mode=1777") == 0);
	snprintf(base, sizeof(base), "/tmp/uu-mounts.XXXXXX");
	ck_assert(mkdtemp(base) != NULL);
}

static void path_of(char *out, const char *rel)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", base, rel);

	ck_assert(n > 0 && n < PATH_MAX);
}

static void mount_tmpfs(const char *path, const char *src, unsigned long flags, const char *opts)
{
	ck_assert_msg(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir: %s", strerror(errno));
	ck_assert_msg(mount(src, path, "tmpfs", flags, opts) == 0, "mount: %s", strerror(errno));
}

static struct mount_id ids_of(const char *path)
{
	struct mount_id id;
	struct statx sx;

	memset(&sx, 0, sizeof(sx));
	ck_assert(statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID_UNIQUE, &sx) == 0);
	ck_assert(sx.stx_mask & STATX_MNT_ID_UNIQUE);
	id.unique = sx.stx_mnt_id;
	memset(&sx, 0, sizeof(sx));
	ck_assert(statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &sx) == 0);
	ck_assert(sx.stx_mask & STATX_MNT_ID);
	id.legacy = sx.stx_mnt_id;
	ck_assert(id.unique != 0 && id.legacy != 0 && id.unique != id.legacy);
	return id;
}

/* The statmount backend, or where it is ENOSYS the fallback that replaces it. */
static int lookup_fast(const struct mount_id *id, struct mount_facts *out)
{
	int r;

	if (have_statmount)
		return mounts_statmount_lookup(id, out);
	ck_assert_int_eq(mounts_statmount_lookup(id, out), -ENOSYS);
	r = mounts_lookup(id, out);
	ck_assert_str_eq(mounts_backend(), "libmount");
	return r;
}

static int list_fast(const struct mount_id *id, struct mount_id **ids, size_t *n)
{
	int r;

	if (have_statmount)
		return mounts_statmount_list_below(id, ids, n);
	ck_assert_int_eq(mounts_statmount_list_below(id, ids, n), -ENOSYS);
	r = mounts_list_below(id, ids, n);
	ck_assert_str_eq(mounts_backend(), "libmount");
	return r;
}

/* Both backends on the mount at path, whose parent mount holds parent_path. */
static void check_both(const char *path, const char *parent_path, struct mount_facts *sm,
		       struct mount_facts *lm)
{
	struct mount_id id = ids_of(path), pid = ids_of(parent_path);

	ck_assert_int_eq(lookup_fast(&id, sm), 0);
	ck_assert_int_eq(mounts_libmount_lookup(&id, lm), 0);
	ck_assert(strcmp(sm->target, path) == 0);
	ck_assert(strcmp(lm->target, path) == 0);
	ck_assert_str_eq(sm->root, lm->root);
	ck_assert_str_eq(sm->source, lm->source);
	ck_assert_str_eq(sm->fstype, lm->fstype);
	ck_assert_str_eq(sm->fs_options, lm->fs_options);
	ck_assert(sm->dev == lm->dev);
	ck_assert(sm->shared == lm->shared);
	if (have_statmount)
		ck_assert_uint_eq(sm->id.unique, id.unique);
	ck_assert_uint_eq(sm->id.legacy, id.legacy);
	ck_assert_uint_eq(lm->id.legacy, id.legacy);
	ck_assert_uint_eq(lm->id.unique, 0);
	if (have_statmount)
		ck_assert_uint_eq(sm->parent.unique, pid.unique);
	ck_assert_uint_eq(sm->parent.legacy, pid.legacy);
	ck_assert_uint_eq(lm->parent.legacy, pid.legacy);
}

static void check_tmpfs(const char *path, const char *parent_path, const char *source,
			const char *fs_options)
{
	struct mount_facts sm, lm;
	struct stat st;

	check_both(path, parent_path, &sm, &lm);
	ck_assert(stat(path, &st) == 0);
	ck_assert(sm.dev == st.st_dev);
	ck_assert(strcmp(sm.source, source) == 0);
	ck_assert_str_eq(sm.fstype, "tmpfs");
	ck_assert_str_eq(sm.root, "/");
	ck_assert_str_eq(sm.fs_options, fs_options);
	mount_facts_free(&sm);
	mount_facts_free(&lm);
	ck_assert_ptr_null(sm.target);
}

/* Names mountinfo has to escape or that have fooled parsers before. */
static const char *const hostile[] = {
    "with space",
    "tab\there",
    "new\nline",
    "back\\slash",
    "lit\\040eral",
    "x (deleted)",
    "x\\040(deleted)",
    "trailing space ",
    "\\134",
    "caf\xc3\xa9\xff",
    "\x01"
    "ctl",
    "--",
    "a,b=c",
    NULL, /* 255 bytes of all of it */
};

static void long_name(char *out, size_t len)
{
	static const char mix[] = "a \t\n\\b040 (deleted)";

	for (size_t i = 0; i < len; i++)
		out[i] = mix[i % (sizeof(mix) - 1)];
	out[len] = '\0';
}

START_TEST(test_hostile_name)
{
	char name[NAME_MAX + 1], path[PATH_MAX];

	if (hostile[_i])
		snprintf(name, sizeof(name), "%s", hostile[_i]);
	else
		long_name(name, NAME_MAX);
	path_of(path, name);
	/* The source is the same hostile string: mountinfo escapes it too. */
	mount_tmpfs(path, name, 0, TMPFS_OPTS);
	check_tmpfs(path, base, name, TMPFS_FS_OPTS);
}
END_TEST

/* A mount point of ~4 KiB: 255-byte components full of escaped bytes. */
START_TEST(test_deep_path)
{
	char path[PATH_MAX], comp[NAME_MAX + 1], parent[PATH_MAX];
	size_t len = strlen(base);

	snprintf(path, sizeof(path), "%s", base);
	long_name(comp, NAME_MAX);
	while (len + 1 + NAME_MAX < DEEP_PATH_LEN) {
		path[len++] = '/';
		memcpy(path + len, comp, NAME_MAX + 1);
		len += NAME_MAX;
		ck_assert(mkdir(path, 0755) == 0);
	}
	snprintf(parent, sizeof(parent), "%s", path);
	ck_assert(len + 4 < PATH_MAX);
	memcpy(path + len, "/ \\n", 5);
	mount_tmpfs(path, "deep", 0, TMPFS_OPTS);
	ck_assert_uint_ge(strlen(path), DEEP_PATH_LEN - NAME_MAX);
	check_tmpfs(path, parent, "deep", TMPFS_FS_OPTS);
}
END_TEST

/* Empty and missing sources, generic super block flags, shared propagation. */
START_TEST(test_sources_and_flags)
{
	char empty[PATH_MAX], none[PATH_MAX], flags[PATH_MAX], shared[PATH_MAX];
	struct mount_facts sm, lm;

	path_of(empty, "empty");
	path_of(none, "none");
	path_of(flags, "flags");
	path_of(shared, "shared");
	mount_tmpfs(empty, "", 0, NULL);
	mount_tmpfs(none, NULL, 0, NULL);
	mount_tmpfs(flags, "f", MS_RDONLY | MS_SYNCHRONOUS | MS_DIRSYNC | MS_LAZYTIME, "mode=700");
	mount_tmpfs(shared, "s", 0, NULL);
	ck_assert(mount("none", shared, "none", MS_SHARED, NULL) == 0);
	check_tmpfs(empty, base, "", "rw");
	check_tmpfs(none, base, "none", "rw");
	check_tmpfs(flags, base, "f", "ro,sync,dirsync,lazytime,mode=700");
	check_tmpfs(shared, base, "s", "rw");
	check_both(shared, base, &sm, &lm);
	ck_assert(sm.shared);
	mount_facts_free(&sm);
	mount_facts_free(&lm);
	check_both(empty, base, &sm, &lm);
	ck_assert(!sm.shared);
	mount_facts_free(&sm);
	mount_facts_free(&lm);
}
END_TEST

START_TEST(test_bind)
{
	char orig[PATH_MAX], sub[PATH_MAX], bind[PATH_MAX];
	struct mount_facts sm, lm, o;

	path_of(orig, "orig");
	path_of(sub, "orig/sub dir");
	path_of(bind, "bind");
	mount_tmpfs(orig, "orig src", 0, TMPFS_OPTS);
	ck_assert(mkdir(sub, 0755) == 0 && mkdir(bind, 0755) == 0);
	ck_assert(mount(sub, bind, "none", MS_BIND, NULL) == 0);
	check_both(bind, base, &sm, &lm);
	ck_assert_str_eq(sm.root, "/sub dir");
	ck_assert_str_eq(sm.source, "orig src");
	ck_assert_str_eq(sm.fs_options, TMPFS_FS_OPTS);
	ck_assert_int_eq(
	    lookup_fast(&(struct mount_id){ids_of(orig).unique, ids_of(orig).legacy}, &o), 0);
	ck_assert(o.dev == sm.dev);
	mount_facts_free(&o);
	mount_facts_free(&sm);
	mount_facts_free(&lm);
}
END_TEST

/* Options the file system escapes (overlay paths): unescaped alike. */
START_TEST(test_escaped_options)
{
	char t[PATH_MAX], lower[PATH_MAX], up[PATH_MAX], work[PATH_MAX], ov[PATH_MAX];
	char opts[3 * PATH_MAX + 64], want[PATH_MAX + 64];
	struct mount_facts sm, lm;

	path_of(t, "t");
	mount_tmpfs(t, "t", 0, NULL);
	path_of(lower, "t/lo w,er\\x");
	path_of(up, "t/up");
	path_of(work, "t/work");
	path_of(ov, "ov");
	ck_assert(mkdir(lower, 0755) == 0 && mkdir(up, 0755) == 0 && mkdir(work, 0755) == 0);
	ck_assert(mkdir(ov, 0755) == 0);
	snprintf(opts, sizeof(opts), "lowerdir=%s/t/lo w\\,er\\\\x,upperdir=%s,workdir=%s", base,
		 up, work);
	if (mount("ov", ov, "overlay", 0, opts) != 0) {
		printf("SKIP: test_escaped_options: overlay: %s\n", strerror(errno));
		return;
	}
	check_both(ov, base, &sm, &lm);
	snprintf(want, sizeof(want), "lowerdir=%s/t/lo w\\,er\\\\x,", base);
	ck_assert_ptr_nonnull(strstr(sm.fs_options, want));
	ck_assert_str_eq(sm.fstype, "overlay");
	mount_facts_free(&sm);
	mount_facts_free(&lm);
}
END_TEST

static void sort_u64(uint64_t *v, size_t n)
{
	uint64_t t;

	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

static void sorted_legacy(const struct mount_id *ids, size_t n, uint64_t *out)
{
	for (size_t i = 0; i < n; i++)
		out[i] = ids[i].legacy;
	sort_u64(out, n);
}

/* Every mount comes after its parent (or is a child of top). */
static void check_parent_first(const struct mount_id *top, const struct mount_id *ids, size_t n)
{
	struct mount_facts f;
	bool seen;

	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(mounts_libmount_lookup(&ids[i], &f), 0);
		seen = f.parent.legacy == top->legacy;
		for (size_t j = 0; j < i && !seen; j++)
			seen = ids[j].legacy == f.parent.legacy;
		ck_assert_msg(seen, "%s comes before its parent", f.target);
		mount_facts_free(&f);
	}
}

static void check_same_set(const struct mount_id *a, size_t na, const struct mount_id *b, size_t nb,
			   const uint64_t *want, size_t nwant)
{
	uint64_t sa[ORDER_MAX], sb[ORDER_MAX];

	ck_assert_uint_eq(na, nwant);
	ck_assert_uint_eq(nb, nwant);
	sorted_legacy(a, na, sa);
	sorted_legacy(b, nb, sb);
	for (size_t i = 0; i < nwant; i++) {
		ck_assert_uint_eq(sa[i], want[i]);
		ck_assert_uint_eq(sb[i], want[i]);
	}
}

/*
 * T/a/b/c (three deep), T/s mounted twice (stacked), and an old mount
 * moved under a newer one: listmount's ID order is not parent-first there.
 */
static const char *const tree[] = {"a", "a/b", "a/b/c", "s", "s", "late"};

START_TEST(test_tree)
{
	char top[PATH_MAX], p[PATH_MAX], old[PATH_MAX];
	struct mount_id tid, *sl = NULL, *ll = NULL, oid;
	uint64_t want[ORDER_MAX];
	size_t ns = 0, nl = 0, k = 0;

	path_of(top, "T");
	path_of(old, "old");
	mount_tmpfs(old, "old", 0, NULL);
	oid = ids_of(old);
	mount_tmpfs(top, "T", 0, NULL);
	tid = ids_of(top);
	for (size_t i = 0; i < sizeof(tree) / sizeof(tree[0]); i++) {
		path_of(p, "T");
		strcat(p, "/");
		strcat(p, tree[i]);
		mount_tmpfs(p, tree[i], 0, NULL);
		want[k++] = ids_of(p).legacy;
	}
	path_of(p, "T/late/in");
	ck_assert(mkdir(p, 0755) == 0 && mount(old, p, "none", MS_MOVE, NULL) == 0);
	ck_assert_uint_eq(ids_of(p).legacy, oid.legacy);
	ck_assert_uint_lt(oid.unique, tid.unique); /* so ID order is not parent-first */
	want[k++] = oid.legacy;
	sort_u64(want, k);
	ck_assert_int_eq(list_fast(&tid, &sl, &ns), 0);
	ck_assert_int_eq(mounts_libmount_list_below(&tid, &ll, &nl), 0);
	check_same_set(sl, ns, ll, nl, want, k);
	check_parent_first(&tid, sl, ns);
	check_parent_first(&tid, ll, nl);
	for (size_t i = 0; i < ns && have_statmount; i++)
		ck_assert(sl[i].unique != 0 && sl[i].legacy != 0);
	free(sl);
	free(ll);
}
END_TEST

START_TEST(test_leaf_has_nothing_below)
{
	char p[PATH_MAX];
	struct mount_id id, *v = NULL;
	size_t n = 1;

	path_of(p, "leaf");
	mount_tmpfs(p, "leaf", 0, NULL);
	id = ids_of(p);
	ck_assert_int_eq(list_fast(&id, &v, &n), 0);
	ck_assert_uint_eq(n, 0);
	free(v);
	n = 1;
	ck_assert_int_eq(mounts_libmount_list_below(&id, &v, &n), 0);
	ck_assert_uint_eq(n, 0);
	free(v);
}
END_TEST

static void check_enoent(const struct mount_id *id)
{
	struct mount_facts f;
	struct mount_id *v = NULL;
	size_t n = 0;

	ck_assert_int_eq(lookup_fast(id, &f), -ENOENT);
	ck_assert_ptr_null(f.target);
	ck_assert_int_eq(mounts_libmount_lookup(id, &f), -ENOENT);
	ck_assert_ptr_null(f.target);
	ck_assert_int_eq(mounts_lookup(id, &f), -ENOENT);
	ck_assert_int_eq(list_fast(id, &v, &n), -ENOENT);
	ck_assert_int_eq(mounts_libmount_list_below(id, &v, &n), -ENOENT);
	ck_assert_int_eq(mounts_list_below(id, &v, &n), -ENOENT);
	ck_assert_ptr_null(v);
}

START_TEST(test_unmounted)
{
	char p[PATH_MAX];
	struct mount_id id;

	path_of(p, "gone");
	mount_tmpfs(p, "gone", 0, NULL);
	id = ids_of(p);
	ck_assert_int_eq(mounts_exists(&id), 1);
	ck_assert(umount2(p, 0) == 0);
	check_enoent(&id);
	ck_assert_int_eq(mounts_exists(&id), 0);
}
END_TEST

/* A mount that exists, kept alive by an fd on its namespace, but not ours. */
START_TEST(test_other_namespace)
{
	char p[PATH_MAX];
	struct mount_id id, copy;
	struct mount_facts f;
	int nsfd;

	path_of(p, "elsewhere");
	mount_tmpfs(p, "elsewhere", 0, NULL);
	id = ids_of(p);
	nsfd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	ck_assert(nsfd >= 0);
	ck_assert(unshare(CLONE_NEWNS) == 0);
	copy = ids_of(p);
	ck_assert(copy.unique != id.unique && copy.legacy != id.legacy);
	check_enoent(&id);
	ck_assert_int_eq(mounts_lookup(&copy, &f), 0);
	mount_facts_free(&f);
	ck_assert(setns(nsfd, CLONE_NEWNS) == 0);
	ck_assert_int_eq(lookup_fast(&id, &f), 0);
	mount_facts_free(&f);
	ck_assert_int_eq(mounts_libmount_lookup(&id, &f), 0);
	mount_facts_free(&f);
	close(nsfd);
}
END_TEST

/* A mount of our namespace outside our root: mountinfo and statmount hide it alike. */
START_TEST(test_outside_root)
{
	char root[PATH_MAX], proc[PATH_MAX], out[PATH_MAX];
	struct mount_id id, in;
	struct mount_facts f;

	path_of(root, "root");
	path_of(proc, "root/proc");
	path_of(out, "outside");
	mount_tmpfs(root, "root", 0, NULL);
	ck_assert(mkdir(proc, 0755) == 0 && mount("proc", proc, "proc", 0, NULL) == 0);
	mount_tmpfs(out, "outside", 0, NULL);
	id = ids_of(out);
	in = ids_of(root);
	(void)lazylib_mount(); /* loaded by name: not in the chroot */
	ck_assert(chroot(root) == 0 && chdir("/") == 0);
	ck_assert_int_eq(lookup_fast(&id, &f), -ENOENT);
	ck_assert_int_eq(mounts_libmount_lookup(&id, &f), -ENOENT);
	/* still there, out of sight: statmount says so by ID (as root; the
	 * helper without CAP_SYS_ADMIN gets EPERM, unknown, counted as there);
	 * the fallback cannot see it at all */
#ifndef UU_FORCE_LIBMOUNT
	if (have_statmount)
		ck_assert_int_eq(mounts_exists(&id), 1);
#endif
	ck_assert_int_eq(lookup_fast(&in, &f), 0);
	ck_assert_str_eq(f.target, "/");
	mount_facts_free(&f);
}
END_TEST

#ifdef UU_FORCE_LIBMOUNT
#define FAST_BACKEND "libmount"
#else
#define FAST_BACKEND (have_statmount ? "statmount" : "libmount")
#endif

START_TEST(test_dispatch)
{
	char p[PATH_MAX];
	struct mount_id id, legacy_only, none = {0, 0}, *v = NULL;
	struct mount_facts f;
	size_t n = 0;

	path_of(p, "d");
	mount_tmpfs(p, "d", 0, NULL);
	id = ids_of(p);
	legacy_only = (struct mount_id){0, id.legacy};
	ck_assert_int_eq(mounts_lookup(&id, &f), 0);
	ck_assert_str_eq(mounts_backend(), FAST_BACKEND);
	ck_assert_str_eq(f.target, p);
	mount_facts_free(&f);
	ck_assert_int_eq(mounts_lookup(&legacy_only, &f), 0);
	ck_assert_str_eq(mounts_backend(), "libmount");
	ck_assert_str_eq(f.target, p);
	mount_facts_free(&f);
	ck_assert_int_eq(mounts_lookup(&none, &f), -ENOSYS);
	ck_assert_int_eq(mounts_list_below(&id, &v, &n), 0);
	ck_assert_str_eq(mounts_backend(), FAST_BACKEND);
	free(v);
	ck_assert_int_eq(mounts_list_below(&none, &v, &n), -ENOSYS);
}
END_TEST

static pid_t start_bindfs(const char *src, const char *mnt)
{
	pid_t pid = fork();

	ck_assert(pid >= 0);
	if (pid == 0) {
		/* Dies with the test, so a failed test leaves no daemon (and namespace) behind. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execl(BINDFS, BINDFS, "-f", "--no-allow-other", "-o", "subtype=uu.test", src, mnt,
		      (char *)NULL);
		_exit(127);
	}
	return pid;
}

static bool wait_mounted(const char *mnt, uint64_t below)
{
	struct timespec ts = {0, FUSE_POLL_MS * 1000000L};

	for (int ms = 0; ms < FUSE_WAIT_MS; ms += FUSE_POLL_MS) {
		if (ids_of(mnt).legacy != below)
			return true;
		nanosleep(&ts, NULL);
	}
	return false;
}

START_TEST(test_fuse)
{
	char src[PATH_MAX], mnt[PATH_MAX];
	struct mount_facts sm, lm;
	int status;
	pid_t pid;

	if (access(BINDFS, X_OK) != 0 || access("/dev/fuse", R_OK | W_OK) != 0) {
		printf("SKIP: test_fuse: needs %s and /dev/fuse\n", BINDFS);
		return;
	}
	path_of(src, "src");
	path_of(mnt, "fuse mnt");
	ck_assert(mkdir(src, 0755) == 0 && mkdir(mnt, 0755) == 0);
	pid = start_bindfs(src, mnt);
	ck_assert_msg(wait_mounted(mnt, ids_of(base).legacy), "bindfs did not mount");
	check_both(mnt, base, &sm, &lm);
	ck_assert_str_eq(sm.fstype, "fuse.uu.test");
	ck_assert_str_eq(sm.source, src);
	ck_assert_str_eq(sm.fs_options, "rw,user_id=0,group_id=0,default_permissions");
	mount_facts_free(&sm);
	mount_facts_free(&lm);
	ck_assert(umount2(mnt, 0) == 0);
	ck_assert(waitpid(pid, &status, 0) == pid);
}
END_TEST

/* A made-up mountinfo, bound over ours (this process, this namespace only). */
static void fake_mountinfo(const char *text)
{
	char file[PATH_MAX], proc[PATH_MAX];
	FILE *f;

	path_of(file, "mountinfo");
	f = fopen(file, "w");
	ck_assert(f && fputs(text, f) >= 0 && fclose(f) == 0);
	snprintf(proc, sizeof(proc), "/proc/%d/mountinfo", (int)getpid());
	ck_assert(mount(file, proc, "none", MS_BIND, NULL) == 0);
}

#define MI_ROOT "10 1 0:5 / / rw - tmpfs root rw\n"
#define MI_A    "20 10 0:6 / /a rw shared:7 master:3 - tmpfs a rw,mode=700\n"
#define MI_B    "30 20 0:7 / /a/b rw master:3 - tmpfs b rw\n"

START_TEST(test_mountinfo_fake)
{
	struct mount_id a = {0, 20}, b = {0, 30}, *v = NULL;
	struct mount_facts f;
	size_t n = 0;

	fake_mountinfo(MI_ROOT MI_B MI_A);
	ck_assert_int_eq(mounts_libmount_lookup(&a, &f), 0);
	ck_assert(f.shared);
	ck_assert_str_eq(f.fs_options, "rw,mode=700");
	ck_assert_uint_eq(f.parent.legacy, 10);
	mount_facts_free(&f);
	ck_assert_int_eq(mounts_libmount_lookup(&b, &f), 0);
	ck_assert(!f.shared);
	mount_facts_free(&f);
	ck_assert_int_eq(mounts_libmount_list_below(&(struct mount_id){0, 10}, &v, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(v[0].legacy, 20);
	ck_assert_uint_eq(v[1].legacy, 30);
	free(v);
}
END_TEST

/* What libmount would skip by default, and tables no kernel writes: refused. */
static const struct {
	const char *text;
	int err;
} bad_mountinfo[] = {
    {MI_ROOT MI_A "garbage\n" MI_B, -EINVAL},
    {MI_ROOT MI_A MI_B MI_B, -EAGAIN},
    {MI_ROOT MI_A MI_B "40 50 0:8 / /x rw - tmpfs x rw\n50 40 0:9 / /y rw - tmpfs y rw\n", -EAGAIN},
};

START_TEST(test_mountinfo_refused)
{
	struct mount_id top = {0, 10}, *v = NULL;
	struct mount_facts f;
	size_t n = 0;

	fake_mountinfo(bad_mountinfo[_i].text);
	ck_assert_int_eq(mounts_libmount_list_below(&top, &v, &n), bad_mountinfo[_i].err);
	ck_assert_ptr_null(v);
	(void)f;
}
END_TEST

/*
 * A lookup by ID reads mountinfo only up to that mount's line and parses
 * that line alone: a line libmount cannot read there is refused (never
 * "no such mount"); a mount listed after it is still found, and an ID
 * with no line is -ENOENT after the whole file.
 */
START_TEST(test_mountinfo_lookup_one_line)
{
	struct mount_id top = {0, 10}, a = {0, 20}, gone = {0, 99};
	struct mount_facts f;

	fake_mountinfo("10 1 garbage\n" MI_A);
	ck_assert_int_eq(mounts_libmount_lookup(&top, &f), -EINVAL);
	ck_assert_int_eq(mounts_libmount_lookup(&a, &f), 0);
	ck_assert_str_eq(f.fs_options, "rw,mode=700");
	mount_facts_free(&f);
	ck_assert_int_eq(mounts_libmount_lookup(&gone, &f), -ENOENT);
	/* "1" is no prefix of "10": the first field is compared whole */
	ck_assert_int_eq(mounts_libmount_lookup(&(struct mount_id){0, 1}, &f), -ENOENT);
	/* the first field as libmount's %d reads it */
	fake_mountinfo(MI_ROOT "  020 10 0:6 / /a rw - tmpfs a rw\n");
	ck_assert_int_eq(mounts_libmount_lookup(&a, &f), 0);
	mount_facts_free(&f);
	/* a last line without newline is read, as libmount reads it */
	fake_mountinfo(MI_ROOT "20 10 0:6 / /a rw - tmpfs a rw");
	ck_assert_int_eq(mounts_libmount_lookup(&a, &f), 0);
	ck_assert_str_eq(f.target, "/a");
	mount_facts_free(&f);
}
END_TEST

/* Lines across read() boundaries, and one longer than the first buffer. */
START_TEST(test_mountinfo_lookup_long_table)
{
	size_t cap = 1 << 20, len = 0;
	char *text = malloc(cap), *longname = malloc(100001);
	struct mount_facts f;

	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(longname);
	memset(longname, 'n', 100000);
	longname[100000] = '\0';
	len += (size_t)snprintf(text + len, cap - len, "%s", MI_ROOT);
	for (int i = 0; i < 3000; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"%d 10 0:8 / /m%04d rw - tmpfs x rw\n", 1000 + i, i);
	len += (size_t)snprintf(text + len, cap - len, "40 10 0:9 / /%s rw - tmpfs y rw\n%s",
				longname, MI_A);
	ck_assert_uint_lt(len, cap);
	fake_mountinfo(text);
	ck_assert_int_eq(mounts_libmount_lookup(&(struct mount_id){0, 3999}, &f), 0);
	ck_assert_str_eq(f.target, "/m2999");
	mount_facts_free(&f);
	ck_assert_int_eq(mounts_libmount_lookup(&(struct mount_id){0, 40}, &f), 0);
	ck_assert_uint_eq(strlen(f.target), 100001);
	mount_facts_free(&f);
	ck_assert_int_eq(mounts_libmount_lookup(&(struct mount_id){0, 20}, &f), 0);
	ck_assert_str_eq(f.target, "/a");
	mount_facts_free(&f);
	free(longname);
	free(text);
}
END_TEST

/* The shared ordering on made-up tables, where races can be staged. */
START_TEST(test_order_below)
{
	struct mount_node v[] = {
	    {{0, 5}, 5, 4, 0}, {{0, 4}, 4, 2, 0}, {{0, 2}, 2, 1, 0},
	    {{0, 3}, 3, 2, 0}, {{0, 9}, 9, 8, 0}, {{0, 1}, 1, 1, 0},
	};
	struct mount_id *ids = NULL;
	size_t n = 0;

	ck_assert_int_eq(mounts_order_below(2, v, 6, &ids, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(ids[0].legacy, 3);
	ck_assert_uint_eq(ids[1].legacy, 4);
	ck_assert_uint_eq(ids[2].legacy, 5);
	free(ids);
	ck_assert_int_eq(mounts_order_below(1, v, 6, &ids, &n), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(ids[0].legacy, 2);
	free(ids);
	ck_assert_int_eq(mounts_order_below(7, v, 6, &ids, &n), 0);
	ck_assert_uint_eq(n, 0);
	free(ids);
	v[0] = (struct mount_node){{0, 5}, 5, 3, 0};
	v[1] = (struct mount_node){{0, 3}, 3, 5, 0};
	ck_assert_int_eq(mounts_order_below(2, v, 6, &ids, &n), -EAGAIN);
	ck_assert_ptr_null(ids);
	v[0] = (struct mount_node){{0, 4}, 4, 2, 0};
	v[1] = (struct mount_node){{0, 4}, 4, 2, 0};
	ck_assert_int_eq(mounts_order_below(2, v, 6, &ids, &n), -EAGAIN);
}
END_TEST

/* The one "shared:N" parser: whole words with digits only. */
static const struct {
	const char *fields;
	unsigned long group;
} peer_groups[] = {
    {"shared:7", 7},
    {"master:3 shared:12", 12},
    {"shared:12 master:3", 12},
    {"propagate_from:2  shared:5", 5},
    {"", 0},
    {"master:3", 0},
    {"shared:", 0},
    {"shared:12x", 0},
    {"xshared:1", 0},
    {"shared:-1", 0},
    {"shared:99999999999999999999999", 0},
};

START_TEST(test_peer_group)
{
	ck_assert_uint_eq(mounts_peer_group(peer_groups[_i].fields), peer_groups[_i].group);
	ck_assert_uint_eq(mounts_peer_group(NULL), 0);
}
END_TEST

/* The one mount-ID equality: unique when both have one, else legacy. */
START_TEST(test_mount_id_equal)
{
	struct mount_id a = {100, 5}, b = {100, 6}, c = {101, 5}, l5 = {0, 5}, l6 = {0, 6},
			zero = {0, 0};

	ck_assert(mount_id_equal(&a, &b)); /* unique decides; legacy may be reused */
	ck_assert(!mount_id_equal(&a, &c));
	ck_assert(mount_id_equal(&a, &l5));
	ck_assert(!mount_id_equal(&l5, &l6));
	ck_assert(mount_id_equal(&l5, &l5));
	ck_assert(!mount_id_equal(&zero, &zero));
}
END_TEST

static Suite *mounts_suite(void)
{
	Suite *s = suite_create("mounts");
	TCase *ns = tcase_create("namespace"), *pure = tcase_create("pure");

	tcase_add_checked_fixture(ns, private_ns, NULL);
	tcase_set_timeout(ns, 30);
	tcase_add_loop_test(ns, test_hostile_name, 0, sizeof(hostile) / sizeof(hostile[0]));
	tcase_add_test(ns, test_deep_path);
	tcase_add_test(ns, test_sources_and_flags);
	tcase_add_test(ns, test_bind);
	tcase_add_test(ns, test_escaped_options);
	tcase_add_test(ns, test_tree);
	tcase_add_test(ns, test_leaf_has_nothing_below);
	tcase_add_test(ns, test_unmounted);
	tcase_add_test(ns, test_other_namespace);
	tcase_add_test(ns, test_outside_root);
	tcase_add_test(ns, test_dispatch);
	tcase_add_test(ns, test_fuse);
	tcase_add_test(ns, test_mountinfo_fake);
	tcase_add_test(ns, test_mountinfo_lookup_one_line);
	tcase_add_test(ns, test_mountinfo_lookup_long_table);
	tcase_add_loop_test(ns, test_mountinfo_refused, 0,
			    sizeof(bad_mountinfo) / sizeof(bad_mountinfo[0]));
	tcase_add_test(pure, test_order_below);
	tcase_add_loop_test(pure, test_peer_group, 0, sizeof(peer_groups) / sizeof(peer_groups[0]));
	tcase_add_test(pure, test_mount_id_equal);
	suite_add_tcase(s, ns);
	suite_add_tcase(s, pure);
	return s;
}

static bool statmount_works(void)
{
	struct mount_id root = {0, 0};
	struct mount_facts f;
	struct statx sx;
	int r;

	memset(&sx, 0, sizeof(sx));
	if (statx(AT_FDCWD, "/", 0, STATX_MNT_ID_UNIQUE, &sx) == 0 &&
	    (sx.stx_mask & STATX_MNT_ID_UNIQUE))
		root.unique = sx.stx_mnt_id;
	r = mounts_statmount_lookup(&root, &f);
	mount_facts_free(&f);
	return r != -ENOSYS && r != -EOPNOTSUPP;
}

int main(void)
{
	if (geteuid() != 0) {
		printf("SKIP: needs root (private mount namespaces, tmpfs mounts)\n");
		return 77;
	}
	have_statmount = statmount_works();
	if (!have_statmount)
		printf("NOTE: statmount(2) is ENOSYS here: checking the fallback in its place\n");
	return uu_run_suite(mounts_suite());
}
