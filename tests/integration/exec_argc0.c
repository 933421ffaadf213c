/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Run PROGRAM with an empty argument vector (argc == 0). */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *const empty_argv[] = {NULL};
	char *const envp[] = {NULL};

	if (argc < 2) {
		fprintf(stderr, "usage: exec_argc0 PROGRAM\n");
		return 2;
	}
	execve(argv[1], empty_argv, envp);
	perror("execve");
	return 127;
}
