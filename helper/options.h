/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * options — the command line (user-umount(8)), parsed before anything
 * privileged happens. Pure: no I/O; errors come back as a message.
 */
#ifndef USER_UMOUNT_OPTIONS_H
#define USER_UMOUNT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#define OPTIONS_MAX_TARGETS 4096

enum options_action {
	OPTIONS_RUN = 0,
	OPTIONS_HELP,
	OPTIONS_VERSION,
	OPTIONS_LIST,         /* --list: what may I unmount? No TARGET */
	OPTIONS_CHECK_POLICY, /* --check-policy [FILE...]: targets are FILEs */
};

struct options {
	enum options_action action;
	unsigned flags; /* enum policy_flag bits */
	bool recursive;
	bool dry_run;
	bool json;
	bool verbose;
	bool quiet;
	bool by_id;      /* --id: targets are unique mount IDs */
	bool fusermount; /* -u: called as fusermount3 (libfuse's "-u -q -z --") */
	char **targets;  /* points into argv */
	size_t ntargets;
};

/* 0, or -1 with a one-line reason in msg (usage error, exit 1). */
int options_parse(int argc, char **argv, struct options *o, char *msg, size_t msglen);

/* OPTIONS_HELP or OPTIONS_VERSION when the whole command line is exactly
 * one "-h", "--help", "-V" or "--version"; otherwise OPTIONS_RUN (which
 * says nothing: options_parse() decides). A string compare, no parsing. */
enum options_action options_alone(int argc, char *const *argv);

#endif
