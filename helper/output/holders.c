/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * holders.c — see holders.h.
 */
#define _GNU_SOURCE
#include "holders.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct scan {
	uid_t uid;
	uint64_t mnt_id; /* legacy ID, as fdinfo shows it */
	dev_t dev;
	struct report *r;
};

static bool full(const struct scan *s)
{
	return s->r->nholders >= REPORT_MAX_HOLDERS;
}

static void add(struct scan *s, pid_t pid, const char *comm, const char *how, const char *path)
{
	struct report_holder *h;

	if (full(s))
		return;
	h = &s->r->holders[s->r->nholders++];
	h->pid = pid;
	snprintf(h->comm, sizeof(h->comm), "%s", comm);
	h->how = how;
	snprintf(h->path, sizeof(h->path), "%s", path ? path : "");
}

/* "mnt_id:" of an fdinfo file, or 0. */
static uint64_t fdinfo_mnt_id(const char *path)
{
	uint64_t id = 0;

	return mounts_fdinfo_mnt_id(path, &id) == 0 ? id : 0;
}

/* Opening a /proc magic link O_PATH does not call into the file system. */
static bool link_on_mount(const struct scan *s, pid_t pid, const char *which)
{
	char path[64];
	uint64_t id;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, which);
	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return false;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	id = fdinfo_mnt_id(path);
	close(fd);
	return id == s->mnt_id;
}

static void link_target(pid_t pid, const char *which, char *buf, size_t len)
{
	char path[96];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/%.24s", (int)pid, which);
	n = readlink(path, buf, len - 1);
	buf[n < 0 ? 0 : n] = '\0';
}

static void scan_fds(struct scan *s, pid_t pid, const char *comm)
{
	char dir[64], path[96], target[512];
	struct dirent *d;
	DIR *dp;

	snprintf(dir, sizeof(dir), "/proc/%d/fdinfo", (int)pid);
	dp = opendir(dir);
	if (!dp)
		return;
	while (!full(s) && (d = readdir(dp))) {
		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "%s/%.20s", dir, d->d_name);
		if (fdinfo_mnt_id(path) != s->mnt_id)
			continue;
		snprintf(path, sizeof(path), "fd/%.20s", d->d_name);
		link_target(pid, path, target, sizeof(target));
		add(s, pid, comm, "open file", target);
	}
	closedir(dp);
}

static void scan_maps(struct scan *s, pid_t pid, const char *comm)
{
	char path[64], line[1024], last[512] = "";
	unsigned maj, min;
	unsigned long long ino;
	int off;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (!full(s) && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %*s %x:%x %llu %n", &maj, &min, &ino, &off) != 3 ||
		    ino == 0 || makedev(maj, min) != s->dev)
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (strcmp(last, line + off) == 0)
			continue; /* one line per mapped file */
		snprintf(last, sizeof(last), "%s", line + off);
		add(s, pid, comm, "memory map", last);
	}
	fclose(f);
}

static bool owned_by(pid_t pid, uid_t uid, char *comm, size_t len)
{
	char path[64], line[256];
	unsigned long ids[4] = {(unsigned long)-1};
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (n != 4 && fgets(line, sizeof(line), f))
		n = sscanf(line, "Uid: %lu %lu %lu %lu", &ids[0], &ids[1], &ids[2], &ids[3]);
	fclose(f);
	/* Real, effective, saved and fs uid: a setuid program the caller
	 * started is not "theirs", and its open files are none of their business. */
	for (int i = 0; i < 4; i++)
		if (n != 4 || ids[i] != (unsigned long)uid)
			return false;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	f = fopen(path, "re");
	if (!f || !fgets(comm, (int)len, f))
		snprintf(comm, len, "?");
	if (f)
		fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	return true;
}

static void scan_process(struct scan *s, pid_t pid)
{
	char comm[32], target[512];

	if (pid == getpid() || !owned_by(pid, s->uid, comm, sizeof(comm)))
		return;
	if (link_on_mount(s, pid, "cwd")) {
		link_target(pid, "cwd", target, sizeof(target));
		add(s, pid, comm, "working directory", target);
	}
	if (link_on_mount(s, pid, "root")) {
		link_target(pid, "root", target, sizeof(target));
		add(s, pid, comm, "root directory", target);
	}
	scan_fds(s, pid, comm);
	scan_maps(s, pid, comm);
}

int holders_find(uid_t uid, uint64_t legacy_mnt_id, dev_t dev, struct report *r)
{
	struct scan s = {uid, legacy_mnt_id, dev, r};
	struct dirent *d;
	DIR *proc = opendir("/proc");

	r->nholders = 0;
	if (!proc)
		return -errno;
	while (!full(&s) && (d = readdir(proc))) {
		char *end;
		long pid = strtol(d->d_name, &end, 10);

		if (*end == '\0' && pid > 0)
			scan_process(&s, (pid_t)pid);
	}
	closedir(proc);
	return 0;
}
