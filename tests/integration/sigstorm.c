/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sigstorm — run a program and pelt it with signals until it exits:
 * SIGINT, SIGTERM, SIGHUP, SIGSTOP and SIGCONT in turn, a few microseconds
 * apart, starting START_US after it started, as the same user (so a setuid
 * program may be signalled).
 *   sigstorm START_US DELAY_US PROGRAM [ARGS...]
 * Prints how it ended ("exit N" or "signal N") and exits 0.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static const int storm[] = {SIGINT, SIGSTOP, SIGTERM, SIGCONT, SIGHUP, SIGCONT};
	struct timespec pause, start;
	long delay_us, start_us;
	int status;
	pid_t pid, done = 0;

	if (argc < 4) {
		fprintf(stderr, "usage: sigstorm START_US DELAY_US PROGRAM [ARGS...]\n");
		return 2;
	}
	start_us = strtol(argv[1], NULL, 10);
	delay_us = strtol(argv[2], NULL, 10);
	start.tv_sec = start_us / 1000000;
	start.tv_nsec = start_us % 1000000 * 1000;
	pause.tv_sec = 0;
	pause.tv_nsec = delay_us * 1000;
	pid = fork();
	if (pid == 0) {
		execv(argv[3], argv + 3);
		_exit(127);
	}
	nanosleep(&start, NULL);
	for (unsigned i = 0; pid > 0 && done == 0; i++) {
		kill(pid, storm[i % (sizeof(storm) / sizeof(storm[0]))]);
		nanosleep(&pause, NULL);
		done = waitpid(pid, &status, WNOHANG | WUNTRACED | WCONTINUED);
		if (done > 0 && (WIFSTOPPED(status) || WIFCONTINUED(status)))
			done = 0;
	}
	kill(pid, SIGCONT);
	if (done <= 0)
		return 1;
	if (WIFSIGNALED(status))
		printf("signal %d\n", WTERMSIG(status));
	else
		printf("exit %d\n", WEXITSTATUS(status));
	return 0;
}
