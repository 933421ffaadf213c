/*
 * user-umount — let a user unmount what they are entitled to, and nothing
 * else. main() reads as the steps of SPEC section 5; each step narrows what
 * the process may do and fails closed.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "caller.h"
#include "checkpolicy.h"
#include "fstab.h"
#include "hygiene.h"
#include "list.h"
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
	       "  -q, --quiet      errors only\n"
	       "  -u               accepted and ignored (fusermount compatibility)\n"
	       "  -h, --help       this text\n"
	       "  -V, --version    version and compiled-in paths\n\n"
	       "TARGET is a mount point or a mounted block device.\n"
	       "Exit: 0 ok, 1 usage or permission denied,\n"
	       "2 system error, 4 internal error, 8 interrupted, 16 utab not updated,\n"
	       "32 unmount failed, 64 some TARGETs failed. See user-umount(8).\n");
}

static void version(void)
{
	printf("user-umount %s\n"
	       "policy: %s/policy.conf, %s/policy.d/*.conf\n"
	       "fstab: %s\nutab: %s\n",
	       UU_VERSION, policyload_default_dir(), policyload_default_dir(), UU_FSTAB_PATH,
	       UU_UTAB_PATH);
}

static bool policy_names_groups(const struct policy *p)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i].who_kind == POLICY_WHO_GROUP)
			return true;
	return false;
}

/* 0 all succeeded; 64 some did; otherwise the first failure's code. */
static int unmount_all(const struct options *o, const struct caller *c, const struct policy *p)
{
	struct run_context ctx = {
	    o, c, p, {o->verbose, o->quiet, o->json, c->uid, c->name, o->dry_run}};
	size_t ok = 0;
	int first_failure = EXIT_OK;

	if (o->json)
		report_json_begin();
	for (size_t i = 0; i < o->ntargets; i++) {
		int code =
		    o->by_id ? run_target_id(&ctx, o->targets[i]) : run_target(&ctx, o->targets[i]);

		if (code == EXIT_OK)
			ok++;
		else if (first_failure == EXIT_OK)
			first_failure = code;
	}
	if (o->json)
		report_json_end();
	if (ok == o->ntargets)
		return EXIT_OK;
	return ok > 0 ? EXIT_SOME : first_failure;
}

int main(int argc, char **argv)
{
	struct policy_error perr;
	struct policy policy = {0};
	struct options o;
	struct caller c;
	enum privs_state ps;
	char msg[256];
	int r;

	if (hygiene_process() < 0) {
		report_fatal("cannot set up a clean process state; nothing was done");
		return EXIT_INTERNAL;
	}
	if (argc < 1 || !argv[0] || argv[0][0] == '\0') {
		report_fatal("refusing to run with an empty argument list (argc is 0)");
		return EXIT_USAGE;
	}
	/* Before the options: a bad option under --json is a JSON document too. */
	report_json_mode(report_argv_wants_json(argc, argv));
	if (options_parse(argc, argv, &o, msg, sizeof(msg)) < 0)
		return report_fail("usage", EXIT_USAGE, "%s", msg);
	if (o.action == OPTIONS_HELP || o.action == OPTIONS_VERSION) {
		o.action == OPTIONS_HELP ? usage() : version();
		return EXIT_OK;
	}
	if (o.action == OPTIONS_CHECK_POLICY)
		return checkpolicy_run(&o); /* as the caller, no privilege */
	ps = privs_check();
	if (ps != PRIVS_OK)
		return report_fail("not-setuid", EXIT_USAGE, "%s", privs_strerror(ps));
	if (hygiene_limits() < 0)
		return report_fail("system", EXIT_SYSERR,
				   "cannot set up resource limits; nothing was done");
	if (policyload_all(&policy, &perr) < 0) {
		if (perr.line)
			return report_fail("policy", EXIT_USAGE,
					   "%s:%u:%u: %s; nothing was unmounted", perr.file,
					   perr.line, perr.column, perr.message);
		return report_fail("policy", EXIT_USAGE, "%s: %s; nothing was unmounted", perr.file,
				   perr.message);
	}
	if (caller_load(&c, policy_names_groups(&policy)) < 0) {
		policy_free(&policy);
		return report_fail("identity", EXIT_SYSERR,
				   "cannot read the caller's identity; nothing was done");
	}
	report_init();
	if (o.action == OPTIONS_LIST)
		r = list_run(&o, &c, &policy); /* a question: no syslog */
	else
		r = unmount_all(&o, &c, &policy);
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
