/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * user-umount — let a user unmount what they are entitled to, and nothing
 * else. main() reads as the steps of docs/DESIGN.md; each step narrows what
 * the process may do and fails closed. Nothing is printed before every
 * privilege is gone (leave()).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "answers.h"
#include "asks.h"
#include "caller.h"
#include "checkpolicy.h"
#include "confine.h"
#include "fstab.h"
#include "hygiene.h"
#include "list.h"
#include "nsscan.h"
#include "options.h"
#include "policy.h"
#include "policyload.h"
#include "privs.h"
#include "report.h"
#include "run.h"
#include "utab.h"

#ifndef UU_VERSION
#define UU_VERSION "0"
#endif

static void usage(void)
{
	printf("usage: user-umount [options] [--] TARGET...\n"
	       "       user-umount [options] --id ID...\n"
	       "       user-umount --list [--json] [-v]\n"
	       "       user-umount --check-policy [-v] [FILE...]\n"
	       "Unmount file systems you are entitled to unmount.\n\n"
	       "  -l, --lazy       detach now, finish when no longer busy (-z too)\n"
	       "  -f, --force      force (NFS, CIFS, FUSE: abort a hung connection)\n"
	       "  -e, --expire     mark expired; a later call unmounts if unused since\n"
	       "  -R, --recursive  also every mount below TARGET, deepest first\n"
	       "      --dry-run    decide and report; unmount nothing\n"
	       "      --json       machine-readable result on stdout (schema: user-umount(8))\n"
	       "      --id         TARGETs are unique mount IDs, as --list and --json print them\n"
	       "      --list       the mounts you may unmount, and how; unmounts nothing\n"
	       "      --check-policy  check policy FILEs (default: the installed policy)\n"
	       "  -v, --verbose    also say which rule allowed it\n"
	       "  -q, --quiet      nothing on success or for not mounted\n"
	       "  -u, -d, -i       accepted (fusermount3's -u, umount(8)'s -d and -i)\n"
	       "  -h, --help       this text\n"
	       "  -V, --version    version and compiled-in paths\n\n"
	       "TARGET is a mount point, a mounted block device, or LABEL=, UUID=,\n"
	       "PARTLABEL=, PARTUUID=. umount(8)'s -n -c -r -t -a -A -O --fake are refused.\n"
	       "Exit: 0 ok, 1 usage or permission denied,\n"
	       "2 system error, 4 internal error, 8 interrupted, 16 utab line not put back,\n"
	       "32 unmount failed, 64 some TARGETs failed. See user-umount(8).\n");
}

static void version(void)
{
	printf("user-umount %s\n"
	       "policy: %s/policy.conf, %s/policy.d/*.conf\n"
	       "fstab: %s\nutab: %s\nnamespace scan: %s\n",
	       UU_VERSION, policyload_default_dir(), policyload_default_dir(), UU_FSTAB_PATH,
	       UU_UTAB_PATH, nsscan_available() ? "yes" : "no");
}

static bool policy_names_groups(const struct policy *p)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].who_kind == POLICY_WHO_GROUP)
			return true;
	return false;
}

static char stderr_buf[4096];

/* The caller, as the kernel gave them to us at exec. */
static uid_t caller_uid;
static gid_t caller_gid;

/*
 * Every uid the caller's, no capability, no way back: from here on the
 * process only reads what the caller may read and writes to their fds.
 * If even that fails, say nothing more than that.
 */
static bool leave(void)
{
	if (privs_drop_for_good(caller_uid, caller_gid) == 0)
		return true;
	if (geteuid() != 0 && getuid() != 0 && geteuid() == caller_uid)
		return true; /* never had privilege (not setuid) */
	_exit(EXIT_INTERNAL);
}

/* --help or --version, as the caller. */
static int info(enum options_action action)
{
	leave();
	action == OPTIONS_HELP ? usage() : version();
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_SYSERR;
}

/* A fatal error before any result: privileges first, then the message
 * (and with --json the document with "error", KIND its code). */
static int fatal(const char *kind, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fatal(const char *kind, int code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	leave();
	return report_fail(kind, code, "%s", msg);
}

/* fs uid 0 for the policy only: its files are root's and may be 0600. */
static int load_policy(struct policy *p, struct policy_error *perr)
{
	int r;

	if (privs_fs_root() < 0) {
		snprintf(perr->file, sizeof(perr->file), "%s", policyload_default_dir());
		snprintf(perr->kind, sizeof(perr->kind), "cannot switch to fs uid 0 to read it");
		return -1;
	}
	r = policyload_all(p, perr);
	if (privs_fs_caller(caller_uid) < 0)
		_exit(EXIT_INTERNAL);
	return r;
}

/* 0 all succeeded; 64 some did; otherwise the first failure's code. */
static int combined(const struct report *rs, size_t n)
{
	size_t ok = 0;
	int first_failure = EXIT_OK;

	for (size_t i = 0; i < n; i++) {
		if (rs[i].exit_code == EXIT_OK)
			ok++;
		else if (first_failure == EXIT_OK)
			first_failure = rs[i].exit_code;
	}
	if (ok == n)
		return EXIT_OK;
	return ok > 0 ? EXIT_SOME : first_failure;
}

/* Every privileged act first, for all TARGETs; then, unprivileged, the
 * reports. */
static int unmount_all(const struct options *o, const struct caller *c, const struct policy *p)
{
	struct report_style style = {o->verbose, o->quiet, o->json, c->uid, c->name, o->dry_run};
	struct run_context ctx;
	struct report *rs = calloc(o->ntargets, sizeof(*rs));
	int code;

	if (!rs)
		return fatal("system", EXIT_SYSERR, "out of memory; nothing was done");
	run_context_init(&ctx, o, c, p);
	for (size_t i = 0; i < o->ntargets; i++) {
		rs[i].target = o->targets[i];
		o->by_id ? run_target_id(&ctx, &rs[i]) : run_target(&ctx, &rs[i]);
	}
	leave();
	report_init();
	if (o->json)
		report_json_begin();
	for (size_t i = 0; i < o->ntargets; i++) {
		run_finish(&ctx, &rs[i]);
		report_result(&style, &rs[i]);
		free((char *)rs[i].source);
		free((char *)rs[i].fstype);
		free((char *)rs[i].mount_point);
	}
	if (o->json)
		report_json_end();
	code = combined(rs, o->ntargets);
	free(rs);
	return code;
}

int main(int argc, char **argv)
{
	struct policy_error perr = {0};
	struct policy policy = {0};
	enum options_action alone;
	struct options o;
	struct caller c;
	enum privs_state ps;
	char msg[512];
	int r;

	caller_uid = getuid();
	caller_gid = getgid();
	/* stderr through a static buffer, line by line: unbuffered, glibc
	 * formats each message in an 8 KiB buffer on the stack, and a refusal
	 * of a tiny RLIMIT_STACK must still be able to say why. */
	(void)setvbuf(stderr, stderr_buf, _IOLBF, sizeof(stderr_buf)); /* failed: unbuffered */
	if (hygiene_process() < 0)
		return fatal("system", EXIT_INTERNAL,
			     "cannot set up a clean process state; nothing was done");
	if (argc < 1 || !argv[0] || argv[0][0] == '\0')
		return fatal("usage", EXIT_USAGE,
			     "refusing to run with an empty argument list (argc is 0)");
	/* A lone --help or --version needs nothing of root's: every privilege
	 * is given up right after the hygiene, so they answer at the cost of
	 * an exec, and even where the steps below would refuse. Any other
	 * command line is parsed only once narrowed. */
	if ((alone = options_alone(argc, argv)) != OPTIONS_RUN)
		return info(alone);
	/* the lookups' questions that need privilege: answered by privileged/ */
	lookup_asks_install(&privileged_answers);
	ps = privs_check();
	if (ps == PRIVS_OK) {
		/* Limits first: the stack must be able to grow before anything
		 * deep runs. Then out of the caller's cgroups and scheduling
		 * state, all as full root; the cgroups are read back once our
		 * real uid is 0 (docs/DESIGN.md, "Out of the caller's reach"). */
		if (hygiene_limits(msg, sizeof(msg)) < 0)
			return fatal("privileges", EXIT_INTERNAL, "%s; nothing was done", msg);
		if (confine_enter(msg, sizeof(msg)) < 0 || confine_sched(msg, sizeof(msg)) < 0) {
			/* real uid 0 now: narrowed first, the final drop needs it */
			(void)privs_narrow_main(caller_uid);
			return fatal("privileges", EXIT_INTERNAL, "%s; nothing was done", msg);
		}
		if (privs_narrow_main(caller_uid) < 0 || hygiene_trap_signals() < 0)
			return fatal("privileges", EXIT_INTERNAL,
				     "cannot narrow privileges; nothing was done");
		if (confine_verify(msg, sizeof(msg)) < 0)
			return fatal("privileges", EXIT_INTERNAL, "%s; nothing was done", msg);
	}
	/* Before the options: a bad option under --json is a JSON document too. */
	report_json_mode(report_argv_wants_json(argc, argv));
	if (options_parse(argc, argv, &o, msg, sizeof(msg)) < 0)
		return fatal("usage", EXIT_USAGE, "%s", msg);
	if (o.action == OPTIONS_HELP || o.action == OPTIONS_VERSION)
		return info(o.action);
	if (o.action == OPTIONS_CHECK_POLICY) {
		leave(); /* the files are read as the caller, with no privilege */
		return checkpolicy_run(&o);
	}
	if (ps != PRIVS_OK)
		return fatal("not-setuid", EXIT_USAGE, "%s", privs_strerror(ps));
	if (load_policy(&policy, &perr) < 0) {
		/* The kind of error, never the file's text (it may be 0600). */
		if (perr.line)
			return fatal("policy", EXIT_SYSERR, "%s:%u:%u: %s; nothing was unmounted",
				     perr.file, perr.line, perr.column, perr.kind);
		return fatal("policy", EXIT_SYSERR, "%s: %s; nothing was unmounted", perr.file,
			     perr.kind);
	}
	if (caller_load(&c, caller_uid, caller_gid, policy_names_groups(&policy)) < 0)
		return fatal("identity", EXIT_SYSERR,
			     "cannot read the caller's identity; nothing was done");
	if (o.action == OPTIONS_LIST) {
		/* a question, not an act: looks only (the pins verified, not
		 * held), every privilege gone before the answer, no syslog */
		r = list_run(&o, &c, &policy, leave);
	} else {
		r = unmount_all(&o, &c, &policy);
	}
	/* A result nobody could read is no success (--json into a full disk). */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		report_fatal("cannot write the result to standard output");
		if (r == EXIT_OK)
			r = EXIT_SYSERR;
	}
	policy_free(&policy);
	caller_free(&c);
	return r;
}
