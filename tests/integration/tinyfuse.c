/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tinyfuse — the smallest FUSE file system the integration tests need: an
 * empty root directory, with whatever fsname=/subtype= the test passes on
 * the command line (to spoof sources), and a file "hang" whose getattr
 * blocks forever (to make a hung mount on demand).
 *   tinyfuse [FUSE options] MOUNTPOINT
 */
#define FUSE_USE_VERSION 31
#include <errno.h>
#include <fuse.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int tiny_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	memset(st, 0, sizeof(*st));
	if (strcmp(path, "/") == 0) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		return 0;
	}
	if (strcmp(path, "/hang") == 0) {
		for (;;)
			pause();
	}
	return -ENOENT;
}

static int tiny_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
			struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	(void)off;
	(void)fi;
	(void)flags;
	if (strcmp(path, "/") != 0)
		return -ENOENT;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	return 0;
}

static const struct fuse_operations ops = {
    .getattr = tiny_getattr,
    .readdir = tiny_readdir,
};

int main(int argc, char *argv[])
{
	return fuse_main(argc, argv, &ops, NULL);
}
