/*
 * user-umount — let a user unmount what they are entitled to, and nothing
 * else. main() reads as the steps of SPEC section 5; each step narrows what
 * the process may do and fails closed.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "caller.h"
#include "facts.h"
#include "fstab.h"
#include "hygiene.h"
#include "options.h"
#include "policy.h"
#include "policyload.h"
#include "privs.h"
#include "report.h"
#include "target.h"
#include "unmount.h"
#include "utab.h"

#ifndef UU_VERSION
#define UU_VERSION "0"
#endif

static void usage(void)
{
	printf("usage: user-umount [options] [--] TARGET...\n"
	       "Unmount file systems you are entitled to unmount.\n\n"
	       "  -v, --verbose   also say which rule allowed it\n"
	       "  -q, --quiet     errors only\n"
	       "  -h, --help      this text\n"
	       "  -V, --version   version and compiled-in paths\n\n"
	       "TARGET is a mount point. Exit: 0 ok, 1 usage or permission denied,\n"
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

static void resolve_failed(struct report *r, enum target_result tr, int err)
{
	switch (tr) {
	case TARGET_ERRNO:
		report_set_errno(r, err);
		return;
	case TARGET_SYMLINK:
	case TARGET_DOT:
		r->outcome = OUTCOME_DENIED;
		r->exit_code = EXIT_USAGE;
		break;
	case TARGET_NOT_MOUNTPOINT:
		r->outcome = OUTCOME_NOT_MOUNTED;
		r->exit_code = EXIT_FAILED;
		break;
	default:
		r->outcome = OUTCOME_ERROR;
		r->exit_code = EXIT_SYSERR;
		r->err = err;
		break;
	}
	snprintf(r->message, sizeof(r->message), "%s", target_strerror(tr));
}

static void facts_failed(struct report *r, enum facts_result fr, const struct facts *f, int err)
{
	r->outcome = fr == FACTS_OTHER_NAMESPACE ? OUTCOME_DENIED : OUTCOME_ERROR;
	r->exit_code = fr == FACTS_OTHER_NAMESPACE ? EXIT_USAGE : EXIT_SYSERR;
	r->err = err;
	if (fr == FACTS_OTHER_NAMESPACE)
		snprintf(r->message, sizeof(r->message),
			 "permission denied: not a mount of your mount namespace");
	else if (fr == FACTS_FSTAB_BROKEN)
		snprintf(r->message, sizeof(r->message),
			 "%s:%u: syntax error; fstab is not trusted, nothing was unmounted",
			 UU_FSTAB_PATH, f->bad_line);
	else if (fr == FACTS_UTAB_UNSAFE)
		snprintf(r->message, sizeof(r->message),
			 "%s is not owned by root or is writable by others; nothing was unmounted",
			 UU_UTAB_PATH);
	else
		snprintf(r->message, sizeof(r->message), "cannot read the mount table: %s",
			 strerror(err));
}

static void denied(struct report *r, const struct policy_request *rq,
		   const struct policy_verdict *v)
{
	char why[REPORT_TEXT_MAX - 32];

	r->outcome = OUTCOME_DENIED;
	r->exit_code = EXIT_USAGE;
	snprintf(r->message, sizeof(r->message), "permission denied: %s",
		 policy_denial_describe(rq, v, why, sizeof(why)));
}

static void unmount_done(struct report *r, enum unmount_result ur, int err,
			 const struct facts *f)
{
	int u;

	if (ur == UNMOUNT_KERNEL) {
		report_set_errno(r, err);
		return;
	}
	if (ur != UNMOUNT_OK) {
		r->outcome = OUTCOME_ERROR;
		r->exit_code = ur == UNMOUNT_CHANGED ? EXIT_FAILED : EXIT_INTERNAL;
		r->err = err;
		snprintf(r->message, sizeof(r->message), "%s", unmount_strerror(ur));
		return;
	}
	r->outcome = OUTCOME_UNMOUNTED;
	r->exit_code = EXIT_OK;
	if (!f->has_utab_entry)
		return;
	u = utab_remove(f->mount.target);
	if (u < 0) {
		r->exit_code = EXIT_UTAB;
		r->err = -u;
		snprintf(r->message, sizeof(r->message),
			 "unmounted, but %s could not be updated: %s", UU_UTAB_PATH, strerror(-u));
	}
}

/* Steps 2-6 of SPEC section 5 for one TARGET. */
static void unmount_one(const struct options *o, const struct caller *c,
			const struct policy *p, struct report *r)
{
	struct policy_caller pc = {c->uid, c->name, (const char *const *)c->group_names,
				   c->ngroup_names};
	struct policy_request rq = {&pc, NULL, o->flags};
	struct report_style style = {o->verbose, o->quiet, c->uid, c->name};
	struct policy_verdict v;
	enum target_result tr;
	enum facts_result fr;
	struct target t;
	struct facts f;
	int err;

	tr = target_resolve(r->target, c, &t, &err);
	if (tr != TARGET_OK) {
		resolve_failed(r, tr, err);
		report_result(&style, r);
		return;
	}
	fr = facts_gather(&t, &f, &err);
	if (fr != FACTS_OK) {
		facts_failed(r, fr, &f, err);
		goto out;
	}
	r->source = f.mount.source;
	r->fstype = f.mount.fstype;
	rq.mount = &f.pm;
	policy_decide(p, &rq, &v);
	policy_rule_describe(&v, r->rule, sizeof(r->rule));
	if (v.result != POLICY_PERMIT) {
		denied(r, &rq, &v);
		goto out;
	}
	unmount_done(r, unmount_run(&t, c, unmount_kernel_flags(o->flags), &err), err, &f);
out:
	target_close(&t);
	report_result(&style, r);
	r->source = r->fstype = NULL;
	facts_free(&f);
}

/* 0 all succeeded; 64 some did; otherwise the first failure's code. */
static int unmount_all(const struct options *o, const struct caller *c, const struct policy *p)
{
	size_t ok = 0;
	int first_failure = EXIT_OK;

	for (size_t i = 0; i < o->ntargets; i++) {
		struct report r = {.target = o->targets[i], .flags = o->flags};

		unmount_one(o, c, p, &r);
		if (r.exit_code == EXIT_OK)
			ok++;
		else if (first_failure == EXIT_OK)
			first_failure = r.exit_code;
	}
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
	if (options_parse(argc, argv, &o, msg, sizeof(msg)) < 0) {
		report_fatal("%s", msg);
		return EXIT_USAGE;
	}
	if (o.action != OPTIONS_RUN) {
		o.action == OPTIONS_HELP ? usage() : version();
		return EXIT_OK;
	}
	ps = privs_check();
	if (ps != PRIVS_OK) {
		report_fatal("%s", privs_strerror(ps));
		return EXIT_USAGE;
	}
	if (hygiene_limits() < 0 || caller_load(&c) < 0) {
		report_fatal("cannot read the caller's identity or set limits; nothing was done");
		return EXIT_SYSERR;
	}
	if (policyload_all(&policy, &perr) < 0) {
		if (perr.line)
			report_fatal("%s:%u:%u: %s; nothing was unmounted", perr.file, perr.line,
				     perr.column, perr.message);
		else
			report_fatal("%s: %s; nothing was unmounted", perr.file, perr.message);
		caller_free(&c);
		return EXIT_USAGE;
	}
	report_init();
	r = unmount_all(&o, &c, &policy);
	policy_free(&policy);
	caller_free(&c);
	return r;
}
