/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_mountinfo.c — the libmount backend on arbitrary mountinfo text.
 *
 * The backend reads only /proc/self/mountinfo, so the harness (as root)
 * enters a private mount namespace once and bind-mounts a scratch file over
 * this process's mountinfo; each input is written into that file. Checked:
 * no crash or sanitizer report, and every list_below() answer is in
 * parent-first order with each ID looked up to a parent seen before it.
 *
 * libFuzzer: clang -fsanitize=fuzzer,address ... fuzz/fuzz_mountinfo.c
 * helper/mounts*.c $(pkg-config --cflags --libs mount)
 * Without libFuzzer, -DUU_FUZZ_STANDALONE gives a main() that runs the
 * files named on the command line (the corpus, as a regression test).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mounts.h"

#define SCRATCH_DIR "/tmp/uu-fuzz"
#define SCRATCH     SCRATCH_DIR "/mountinfo"
#define TOPS_TRIED  4
#define CHECK_MAX   256 /* answers longer than this are not cross-checked */

static int setup(void)
{
	char proc[PATH_MAX];
	int fd;

	if (unshare(CLONE_NEWNS) != 0 || mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0)
		return -errno;
	if (mount("uu-fuzz", "/tmp", "tmpfs", 0, "mode=700") != 0)
		return -errno;
	if (mkdir(SCRATCH_DIR, 0700) != 0)
		return -errno;
	fd = open(SCRATCH, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	close(fd);
	snprintf(proc, sizeof(proc), "/proc/%d/mountinfo", (int)getpid());
	if (mount(SCRATCH, proc, "none", MS_BIND, NULL) != 0)
		return -errno;
	return 0;
}

/* Truncate and write: the bind mount keeps pointing at this inode. */
static void put_input(const uint8_t *data, size_t size)
{
	int fd = open(SCRATCH, O_WRONLY | O_TRUNC | O_CLOEXEC);
	size_t done = 0;
	ssize_t w;

	if (fd < 0)
		abort();
	while (done < size) {
		w = write(fd, data + done, size - done);
		if (w <= 0)
			abort();
		done += (size_t)w;
	}
	close(fd);
}

static void check_order(uint64_t top, const struct mount_id *ids, size_t n)
{
	struct mount_facts f;
	bool seen;

	for (size_t i = 0; i < n && n <= CHECK_MAX; i++) {
		if (mounts_libmount_lookup(&ids[i], &f) != 0)
			abort();
		seen = f.parent.legacy == top;
		for (size_t j = 0; j < i && !seen; j++)
			seen = ids[j].legacy == f.parent.legacy;
		if (!seen || ids[i].legacy == top || ids[i].unique != 0)
			abort();
		mount_facts_free(&f);
	}
}

/* Tops tried: small IDs, and the first number of the input. */
static uint64_t top_id(const uint8_t *data, size_t size, int k)
{
	unsigned long long v = 0;
	size_t i = 0;

	if (k > 0)
		return (uint64_t)k;
	while (i < size && i < 10 && data[i] >= '0' && data[i] <= '9')
		v = v * 10 + (data[i++] - '0');
	return v ? v : 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mount_facts f;
	struct mount_id id = {0, 0}, *ids = NULL;
	size_t n = 0;

	put_input(data, size);
	for (int k = 0; k < TOPS_TRIED; k++) {
		id.legacy = top_id(data, size, k);
		if (mounts_libmount_lookup(&id, &f) == 0) {
			if (!f.target || !f.source || !f.fstype || !f.fs_options || !f.root)
				abort();
			mount_facts_free(&f);
		}
		if (mounts_libmount_list_below(&id, &ids, &n) == 0)
			check_order(id.legacy, ids, n);
		free(ids);
		ids = NULL;
	}
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int r = setup();

	(void)argc;
	(void)argv;
	if (r < 0) {
		fprintf(stderr, "fuzz_mountinfo: needs root (namespace setup: %s)\n", strerror(-r));
		exit(EXIT_FAILURE);
	}
	return 0;
}

#ifdef UU_FUZZ_STANDALONE
#define INPUT_MAX (1u << 20)

int main(int argc, char **argv)
{
	static uint8_t buf[INPUT_MAX];
	size_t len;
	FILE *f;

	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return EXIT_FAILURE;
		}
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, len);
	}
	printf("fuzz_mountinfo: %d inputs ok\n", argc - 1);
	return EXIT_SUCCESS;
}
#endif
