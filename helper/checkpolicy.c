/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * checkpolicy.c — see checkpolicy.h.
 */
#define _GNU_SOURCE
#include "checkpolicy.h"

#include "privs.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caller.h"
#include "policy.h"
#include "policyload.h"
#include "report.h"

/*
 * main() has dropped every privilege for good before calling us (the
 * caller must not learn anything of a file they cannot read themselves);
 * check it did, before anything is opened.
 */
static int unprivileged(void)
{
	struct privs_caps caps;
	uid_t ru, eu, su;
	int r = privs_read_caps(&caps);

	if (r < 0)
		return r;
	if (getresuid(&ru, &eu, &su) < 0)
		return -errno;
	if (ru != eu || eu != su || caps.permitted || caps.effective)
		return -EPERM;
	return 0;
}

/* A file's bytes, read as the caller: -errno, or the length. */
static ssize_t read_file(const char *path, char **buf)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	ssize_t n = -EINVAL;

	*buf = NULL;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		goto out;
	n = -EFBIG;
	if ((size_t)st.st_size > POLICYLOAD_MAX_FILE_SIZE)
		goto out;
	*buf = malloc((size_t)st.st_size + 1);
	n = *buf ? read(fd, *buf, (size_t)st.st_size + 1) : -ENOMEM;
	if (n < 0 && *buf)
		n = -errno;
	if (n > st.st_size)
		n = -EFBIG; /* grew while being read */
	if (n >= 0)
		(*buf)[n] = '\0'; /* the parser is given len, but strings end here */
out:
	close(fd);
	return n;
}

static void print_error(const struct policy_error *e)
{
	char file[sizeof(e->file) * 4], msg[sizeof(e->message) * 4];

	report_escape(e->file, file, sizeof(file));
	report_escape(e->message, msg, sizeof(msg));
	if (e->line)
		fprintf(stderr, "%s:%u:%u: %s\n", file, e->line, e->column, msg);
	else
		fprintf(stderr, "%s: %s\n", file, msg);
}

static void print_error_fn(const struct policy_error *e, void *arg)
{
	(void)arg;
	print_error(e);
}

/* Every refused line of the file, not only the first. */
static bool check_file(const char *path, struct policy *p)
{
	struct policy_error e = {0};
	char *buf;
	ssize_t n = read_file(path, &buf);
	size_t errors;

	if (n < 0) {
		snprintf(e.file, sizeof(e.file), "%s", path);
		snprintf(e.message, sizeof(e.message), "cannot read: %s",
			 n == -EINVAL ? "not a regular file" : strerror((int)-n));
		print_error(&e);
		return false;
	}
	errors = policy_check_buffer(p, path, buf, (size_t)n, print_error_fn, NULL);
	free(buf);
	return errors == 0;
}

/*
 * The loader stops at the first refused file. When that was for a line
 * (not for ownership or mode), the file is read again as the caller and
 * every refused line of it is said.
 */
static bool check_installed(struct policy *p)
{
	struct policy_error e;
	struct policy scratch = {0};

	if (policyload_dir(policyload_default_dir(), p, &e) == 0)
		return true;
	if (e.line == 0 || check_file(e.file, &scratch))
		print_error(&e); /* not a line, or it changed meanwhile */
	policy_free(&scratch);
	if (e.line == 0 && access(e.file, R_OK) < 0 && errno == EACCES)
		fprintf(stderr,
			"%s: you may not read it (only root may); run --check-policy as "
			"root to check it\n",
			report_escape(e.file, e.message, sizeof(e.message)));
	return false;
}

/* A word as the policy language would need it written: quoted if needed. */
static void print_word(const char *s)
{
	char esc[POLICY_MAX_LINE * 4];

	report_escape(s, esc, sizeof(esc));
	if (strpbrk(s, " \t\"#") || !*s)
		printf(" \"%s\"", esc);
	else
		printf(" %s", esc);
}

/* "  # on: '**' is zero or more components: also matches /home" */
static void print_pattern_note(const char *kw, const char *pattern)
{
	char note[POLICY_MAX_LINE * 2], esc[sizeof(note) * 4];

	if (!pattern || !*policy_pattern_describe(pattern, note, sizeof(note)))
		return;
	printf("  # %s: %s", kw, report_escape(note, esc, sizeof(esc)));
}

/* -v: each rule as understood, with where it came from. */
static void print_rule(const struct policy_rule *r)
{
	char file[1024], flags[64];

	policy_flags_describe(r->flags, flags, sizeof(flags));
	for (char *q = flags; (q = strstr(q, ", "));)
		memmove(q, q + 1, strlen(q)); /* "lazy, force" -> "lazy force" */
	printf("%s:%u: %s%s%s", report_escape(r->file, file, sizeof(file)), r->line,
	       r->permit ? "permit" : "deny", r->permit && r->flags ? " " : "",
	       r->permit ? flags : "");
	if (r->who_kind == POLICY_WHO_ANY)
		printf(" *");
	else
		printf(" %s%s", r->who_kind == POLICY_WHO_GROUP ? ":" : "",
		       report_escape(r->who, file, sizeof(file)));
	if (r->on)
		printf(" on"), print_word(r->on);
	for (size_t i = 0; i < r->ntypes; i++)
		printf("%s%s", i ? "," : " type ", report_escape(r->types[i], file, sizeof(file)));
	if (r->from)
		printf(" from"), print_word(r->from);
	print_pattern_note("on", r->on);
	print_pattern_note("from", r->from);
	putchar('\n');
}

int checkpolicy_run(const struct options *o)
{
	struct policy p = {0};
	bool ok = true;
	int r = unprivileged();

	if (r < 0)
		return report_fail(
		    "privileges", EXIT_INTERNAL,
		    "cannot become the caller to read the policy: %s; nothing was read",
		    strerror(-r));
	if (o->ntargets == 0)
		ok = check_installed(&p);
	for (size_t i = 0; i < o->ntargets; i++)
		ok = check_file(o->targets[i], &p) && ok;
	for (size_t i = 0; ok && o->verbose && i < p.nrules; i++)
		print_rule(&p.rules[i]);
	if (ok && !o->quiet)
		printf("policy is valid: %zu rules\n", p.nrules);
	policy_free(&p);
	return ok ? EXIT_OK : EXIT_USAGE;
}
