/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lazylib.c — see lazylib.h.
 */
#define _GNU_SOURCE
#define UU_LAZYLIB_IMPL
#include "lazylib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The program's exit status for "internal error" (user-umount(8)). */
#define LAZYLIB_EXIT 4

struct lib {
	const char *soname;
	const char *const *names;
	void **slots;
	size_t n;
	int loaded;
};

static struct uu_libmount mount_fns;
static struct uu_libblkid blkid_fns;

#define UU_LAZYLIB_NAME(f) #f,
static const char *const mount_names[] = {UU_LIBMOUNT_FUNCS(UU_LAZYLIB_NAME)};
static const char *const blkid_names[] = {UU_LIBBLKID_FUNCS(UU_LAZYLIB_NAME)};
#undef UU_LAZYLIB_NAME

static struct lib mount_lib = {"libmount.so.1", mount_names, (void **)&mount_fns,
			       sizeof(mount_names) / sizeof(mount_names[0]), 0};
static struct lib blkid_lib = {"libblkid.so.1", blkid_names, (void **)&blkid_fns,
			       sizeof(blkid_names) / sizeof(blkid_names[0]), 0};

_Static_assert(sizeof(struct uu_libmount) ==
		   sizeof(mount_names) / sizeof(mount_names[0]) * sizeof(void *),
	       "one name per libmount slot");
_Static_assert(sizeof(struct uu_libblkid) ==
		   sizeof(blkid_names) / sizeof(blkid_names[0]) * sizeof(void *),
	       "one name per libblkid slot");

/* One line on stderr and out: no call may go through an empty slot. */
static _Noreturn void cannot_load(const struct lib *l, const char *what)
{
	char line[512];
	int n =
	    snprintf(line, sizeof(line), "user-umount: cannot load %s: %s; nothing more is done\n",
		     l->soname, what ? what : "unknown error");

	if (n > 0)
		(void)!write(STDERR_FILENO, line,
			     (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	_exit(LAZYLIB_EXIT);
}

static void load(struct lib *l)
{
	void *h;

	if (l->loaded)
		return;
	h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		cannot_load(l, dlerror());
	for (size_t i = 0; i < l->n; i++) {
		void *f = dlsym(h, l->names[i]);

		if (!f)
			cannot_load(l, l->names[i]);
		l->slots[i] = f;
	}
	l->loaded = 1; /* the handle stays open until exit: the slots point into it */
}

const struct uu_libmount *lazylib_mount(void)
{
	load(&mount_lib);
	return &mount_fns;
}

const struct uu_libblkid *lazylib_blkid(void)
{
	load(&blkid_lib);
	return &blkid_fns;
}

int lazylib_mount_loaded(void)
{
	return mount_lib.loaded;
}

int lazylib_blkid_loaded(void)
{
	return blkid_lib.loaded;
}
