/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * minimal_umount — the floor for "a program that unmounts one path": exec,
 * dynamic linking of libc only, one umount2(), exit. No setuid, no checks;
 * the benchmark runs it as root on a tmpfs target.
 *   minimal_umount TARGET
 */
#include <stdio.h>
#include <sys/mount.h>

#ifndef UMOUNT_NOFOLLOW
#define UMOUNT_NOFOLLOW 0x00000008
#endif

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: minimal_umount TARGET\n", stderr);
		return 1;
	}
	if (umount2(argv[1], UMOUNT_NOFOLLOW) < 0) {
		perror("umount2");
		return 32;
	}
	return 0;
}
