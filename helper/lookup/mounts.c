/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mounts.c — see mounts.h. Chooses the backend and orders mount trees.
 */
#define _GNU_SOURCE
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEPTH_UNKNOWN   ((size_t)0)
#define DEPTH_NOT_BELOW SIZE_MAX
#define DEPTH_WALKING   (SIZE_MAX - 1)

static const char *last_backend = "none";

static bool use_statmount(const struct mount_id *id)
{
#ifdef UU_FORCE_LIBMOUNT
	(void)id;
	return false;
#else
	return id->unique != 0;
#endif
}

static bool fall_back(int r)
{
	return r == -ENOSYS || r == -EOPNOTSUPP;
}

int mounts_lookup(const struct mount_id *id, struct mount_facts *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	if (use_statmount(id)) {
		last_backend = "statmount";
		r = mounts_statmount_lookup(id, out);
		if (!fall_back(r))
			return r;
	}
	if (id->legacy == 0)
		return -ENOSYS;
	last_backend = "libmount";
	return mounts_libmount_lookup(id, out);
}

int mounts_exists(const struct mount_id *id)
{
	struct mount_facts m;
	int r;

	if (use_statmount(id)) {
		r = mounts_statmount_exists(id);
		if (!fall_back(r))
			return r;
	}
	r = mounts_lookup(id, &m);
	mount_facts_free(&m);
	return r == 0 ? 1 : r == -ENOENT ? 0 : r;
}

int mounts_list_below(const struct mount_id *id, struct mount_id **ids, size_t *n)
{
	int r;

	*ids = NULL;
	*n = 0;
	if (use_statmount(id)) {
		last_backend = "statmount";
		r = mounts_statmount_list_below(id, ids, n);
		if (!fall_back(r))
			return r;
	}
	if (id->legacy == 0)
		return -ENOSYS;
	last_backend = "libmount";
	return mounts_libmount_list_below(id, ids, n);
}

int mounts_all(const struct mount_id *root, struct mount_facts **v, size_t *n)
{
	int r;

	if (use_statmount(root)) {
		last_backend = "statmount";
		r = mounts_statmount_all(root->unique, v, n);
		if (!fall_back(r))
			return r;
		mounts_all_free(*v, *n);
	}
	last_backend = "libmount";
	return mounts_libmount_all(v, n);
}

void mounts_all_free(struct mount_facts *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		mount_facts_free(&v[i]);
	free(v);
}

void mount_facts_free(struct mount_facts *f)
{
	free(f->target);
	free(f->root);
	free(f->source);
	free(f->fstype);
	free(f->fs_options);
	memset(f, 0, sizeof(*f));
}

bool mount_id_equal(const struct mount_id *a, const struct mount_id *b)
{
	if (a->unique && b->unique)
		return a->unique == b->unique;
	return a->legacy != 0 && a->legacy == b->legacy;
}

unsigned long mounts_peer_group(const char *fields)
{
	const char *p = fields;
	size_t len, digits;

	while (p && *p) {
		p += strspn(p, " ");
		len = strcspn(p, " ");
		digits = len > 7 ? strspn(p + 7, "0123456789") : 0;
		if (len > 7 && digits == len - 7 && digits < 20 && strncmp(p, "shared:", 7) == 0)
			return strtoul(p + 7, NULL, 10);
		p += len;
	}
	return 0;
}

const char *mounts_backend(void)
{
	return last_backend;
}

static int cmp_key(const void *a, const void *b)
{
	const struct mount_node *x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

static int cmp_depth(const void *a, const void *b)
{
	const struct mount_node *x = a, *y = b;

	if (x->depth != y->depth)
		return (x->depth > y->depth) - (x->depth < y->depth);
	return cmp_key(a, b);
}

static struct mount_node *find_node(struct mount_node *v, size_t n, uint64_t key)
{
	struct mount_node k = {.key = key};

	return bsearch(&k, v, n, sizeof(*v), cmp_key);
}

/*
 * Depth of v[i] below top: walk up the parent links to top, to a node
 * whose depth is known, or out of the table, then number the walked path.
 * Each node is walked once; path has room for n entries.
 */
static int resolve_depth(uint64_t top, struct mount_node *v, size_t n, size_t i,
			 struct mount_node **path)
{
	struct mount_node *cur = &v[i], *up;
	size_t len = 0, base;

	for (;;) {
		if (cur->key == top || cur->parent == cur->key) {
			base = DEPTH_NOT_BELOW;
			cur->depth = base;
			break;
		}
		path[len++] = cur;
		cur->depth = DEPTH_WALKING;
		if (cur->parent == top) {
			base = 0;
			break;
		}
		up = find_node(v, n, cur->parent);
		if (!up) {
			base = DEPTH_NOT_BELOW;
			break;
		}
		if (up->depth == DEPTH_WALKING)
			return -EAGAIN;
		if (up->depth != DEPTH_UNKNOWN) {
			base = up->depth;
			break;
		}
		cur = up;
	}
	while (len > 0)
		path[--len]->depth = base == DEPTH_NOT_BELOW ? base : ++base;
	return 0;
}

static int collect_ordered(const struct mount_node *v, size_t n, struct mount_id **ids,
			   size_t *nids)
{
	size_t k = 0;

	*ids = calloc(n ? n : 1, sizeof(**ids));
	if (!*ids)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (v[i].depth != DEPTH_NOT_BELOW)
			(*ids)[k++] = v[i].id;
	*nids = k;
	return 0;
}

int mounts_order_below(uint64_t top, struct mount_node *nodes, size_t n, struct mount_id **ids,
		       size_t *nids)
{
	struct mount_node **path = NULL;
	int r = 0;

	*ids = NULL;
	*nids = 0;
	qsort(nodes, n, sizeof(*nodes), cmp_key);
	for (size_t i = 0; i < n; i++) {
		nodes[i].depth = DEPTH_UNKNOWN;
		if (i > 0 && nodes[i].key == nodes[i - 1].key)
			return -EAGAIN;
	}
	path = calloc(n ? n : 1, sizeof(*path));
	if (!path)
		return -ENOMEM;
	for (size_t i = 0; i < n && r == 0; i++)
		if (nodes[i].depth == DEPTH_UNKNOWN)
			r = resolve_depth(top, nodes, n, i, path);
	if (r < 0)
		goto out;
	qsort(nodes, n, sizeof(*nodes), cmp_depth);
	r = collect_ordered(nodes, n, ids, nids);
out:
	free(path);
	return r;
}

int mounts_list_links(const struct mount_id *id, struct mount_link **links, size_t *n)
{
	int r;

	*links = NULL;
	*n = 0;
	if (use_statmount(id)) {
		last_backend = "statmount";
		r = mounts_statmount_list_links(id, links, n);
		if (!fall_back(r))
			return r;
	}
	if (id->legacy == 0)
		return -ENOSYS;
	last_backend = "libmount";
	return mounts_libmount_list_links(id, links, n);
}

int mounts_list_links_all(struct mount_link **links, size_t *n)
{
	*links = NULL;
	*n = 0;
#ifdef UU_FORCE_LIBMOUNT
	return -EOPNOTSUPP;
#else
	last_backend = "statmount";
	int r = mounts_statmount_list_links_all(links, n);

	return r == -ENOSYS ? -EOPNOTSUPP : r;
#endif
}

void mounts_links_free(struct mount_link *links, size_t n)
{
	for (size_t i = 0; links && i < n; i++)
		free(links[i].target);
	free(links);
}

int mounts_fdinfo_mnt_id(const char *fdinfo_path, uint64_t *id)
{
	char buf[512], *p, *end;
	unsigned long long v;
	ssize_t n;
	int in = open(fdinfo_path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (in < 0)
		return -errno;
	n = read(in, buf, sizeof(buf) - 1);
	close(in);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	if (strncmp(buf, "mnt_id:", 7) == 0)
		p = buf + 7;
	else if ((p = strstr(buf, "\nmnt_id:")))
		p += 8;
	else
		return -EIO;
	p += strspn(p, " \t");
	errno = 0;
	v = strtoull(p, &end, 10);
	if (errno || end == p || (*end != '\n' && *end != '\0') || v == 0)
		return -EIO;
	*id = v;
	return 0;
}
